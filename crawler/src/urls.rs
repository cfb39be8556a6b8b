//! URL canonicalisation: one spelling per page, so that a page is fetched
//! once and indexed once whatever link led to it.

use url::Url;

/// Query parameters that never change what a page shows: Drupal's
/// self-referencing `q=` trap and campaign tracking.
fn is_noise_param(name: &str) -> bool {
    name == "q" || name.starts_with("utm_")
}

/// Canonical form of a URL found on a page.
///
/// Lowercases scheme and host (the `url` crate does), maps a host alias
/// (`www.fedasil.be`) to its canonical host, upgrades `http` to `https` for
/// known hosts, drops the fragment, default port, `q` and `utm_*`
/// parameters, and sorts the remaining query pairs.
pub fn canonicalize(url: &Url, host_aliases: &[(String, String)]) -> Url {
    let mut url = url.clone();
    url.set_fragment(None);
    if let Some(host) = url.host_str().map(str::to_owned) {
        let canonical = host_aliases
            .iter()
            .find(|(alias, _)| *alias == host)
            .map(|(_, canonical)| canonical.clone());
        let known = canonical.is_some() || host_aliases.iter().any(|(_, c)| *c == host);
        if let Some(canonical) = canonical {
            // Only fails for cannot-be-a-base URLs, which have no host.
            let _ = url.set_host(Some(&canonical));
        }
        if known && url.scheme() == "http" {
            let _ = url.set_scheme("https");
            let _ = url.set_port(None);
        }
    }
    if url.query().is_some() {
        let mut pairs: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(name, _)| !is_noise_param(name))
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        pairs.sort();
        if pairs.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
    }
    url
}

/// Path plus query, the part scope patterns are matched against.
pub fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{}", url.path(), q),
        None => url.path().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> String {
        let aliases = vec![("www.fedasil.be".to_owned(), "fedasil.be".to_owned())];
        canonicalize(&Url::parse(s).unwrap(), &aliases).to_string()
    }

    #[test]
    fn drops_fragment_and_q_trap() {
        assert_eq!(
            canon("https://emnbelgium.be/news/foo?q=/news/foo#main-content"),
            "https://emnbelgium.be/news/foo"
        );
    }

    #[test]
    fn sorts_query_and_drops_tracking() {
        assert_eq!(
            canon("https://emnbelgium.be/news?utm_source=x&page=2&b=1"),
            "https://emnbelgium.be/news?b=1&page=2"
        );
    }

    #[test]
    fn maps_www_alias_and_http() {
        assert_eq!(
            canon("http://WWW.Fedasil.be/fr/international/fonds-europeens"),
            "https://fedasil.be/fr/international/fonds-europeens"
        );
    }

    #[test]
    fn leaves_unknown_hosts_scheme_alone() {
        assert_eq!(canon("http://example.org/a#b"), "http://example.org/a");
    }
}
