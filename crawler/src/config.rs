//! Crawl configuration: the sources, their scope, and politeness settings.
//!
//! Built-in defaults describe the four real sources; a TOML file can replace
//! them. Unknown keys and bad values are rejected with the key named.

use std::time::Duration;

use regex::Regex;
use serde::Deserialize;
use url::Url;

use crate::error::{Error, Result};
use crate::urls::path_and_query;

/// Identifies the crawler to webmasters, with a URL that explains it.
pub const DEFAULT_USER_AGENT: &str = "migrasearch/0.1 (+https://github.com/migrasearch/migrasearch; search engine for migration policy publications)";

/// Everything one crawl needs.
#[derive(Debug, Clone)]
pub struct CrawlConfig {
    pub sources: Vec<Source>,
    pub user_agent: String,
    /// Least wait between two requests to one host; robots.txt Crawl-delay can raise it.
    pub delay: Duration,
    pub timeout: Duration,
    /// Responses larger than this are dropped.
    pub max_page_bytes: usize,
    /// Real origins served by a local copy instead (`--mirror`).
    pub mirrors: Vec<Mirror>,
    /// How soon a listing page is due again (they change as items are added).
    pub recrawl_listing: Duration,
    /// How soon any other page is due again.
    pub recrawl_page: Duration,
}

/// One site (or part of one) that we crawl.
#[derive(Debug, Clone)]
pub struct Source {
    /// `emn-belgium`, `fedasil`, `immigration-office`, `media4cohesion`.
    pub id: String,
    pub start_urls: Vec<Url>,
    /// Hosts of the source; the first is canonical, the others are aliases.
    pub hosts: Vec<String>,
    /// Path (and query) patterns in scope; empty = the whole host.
    pub allow: Vec<Regex>,
    /// Path patterns never fetched even when allowed.
    pub exclude: Vec<Regex>,
    /// Pages that are followed for their links but not indexed (listings, pagers).
    pub listing: Vec<Regex>,
    /// Hosts never crawled (staging copies).
    pub excluded_hosts: Vec<String>,
    /// Overrides the crawl-wide delay for this source.
    pub delay: Option<Duration>,
    pub max_pages: usize,
    /// Override the crawl-wide settings of the same names for this source.
    pub timeout: Option<Duration>,
    pub max_page_bytes: Option<usize>,
    pub user_agent: Option<String>,
    pub recrawl_listing: Option<Duration>,
    pub recrawl_page: Option<Duration>,
}

/// A real origin (`https://emnbelgium.be`) answered by another base URL
/// (`http://127.0.0.1:8080` or `http://127.0.0.1:8080/emnbelgium.be`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mirror {
    pub origin: Url,
    pub target: Url,
}

impl Mirror {
    /// Parses `ORIGIN=TARGET` as given to `--mirror`.
    pub fn parse(spec: &str) -> Result<Mirror> {
        let (origin, target) = spec
            .split_once('=')
            .ok_or_else(|| Error::Config(format!("mirror `{spec}`: expected ORIGIN=TARGET")))?;
        let parse = |s: &str, what: &str| {
            Url::parse(s.trim()).map_err(|e| Error::Config(format!("mirror `{spec}`: bad {what} URL: {e}")))
        };
        let origin = parse(origin, "origin")?;
        let target = parse(target, "target")?;
        if origin.host_str().is_none() || target.host_str().is_none() {
            return Err(Error::Config(format!("mirror `{spec}`: URLs need a host")));
        }
        Ok(Mirror { origin, target })
    }

    /// Whether this mirror answers for `url`: same host, or another alias of
    /// it (a mirror of `www.fedasil.be` serves `fedasil.be`), whatever the scheme.
    fn serves(&self, url: &Url, config: &CrawlConfig) -> bool {
        match (url.host_str(), self.origin.host_str()) {
            (Some(host), Some(origin)) => {
                config.canonical_host(host) == config.canonical_host(origin)
                    && (self.origin.port().is_none() || url.port_or_known_default() == self.origin.port())
            }
            _ => false,
        }
    }

    fn target_prefix(&self) -> String {
        let mut base = self.target.clone();
        base.set_query(None);
        base.set_fragment(None);
        base.as_str().trim_end_matches('/').to_owned()
    }
}

impl CrawlConfig {
    /// The address to request for a real URL: the mirror's when one serves it.
    pub fn fetch_url(&self, real: &Url) -> Option<Url> {
        match self.mirrors.iter().find(|m| m.serves(real, self)) {
            Some(mirror) => Url::parse(&format!("{}{}", mirror.target_prefix(), path_and_query(real))).ok(),
            None if self.mirrors.is_empty() => Some(real.clone()),
            // With mirrors configured, a host without one is not fetched at
            // all: a test or demo must never reach the real network.
            None => None,
        }
    }

    /// Maps an address on a mirror (a redirect target) back to the real URL.
    pub fn real_url(&self, fetched: &Url) -> Url {
        for mirror in &self.mirrors {
            let prefix = mirror.target_prefix();
            let Some(rest) = fetched.as_str().strip_prefix(&prefix) else {
                continue;
            };
            if rest.is_empty() || rest.starts_with('/') || rest.starts_with('?') {
                let origin = mirror.origin.as_str().trim_end_matches('/');
                let rest = if rest.is_empty() { "/" } else { rest };
                if let Ok(url) = Url::parse(&format!("{origin}{rest}")) {
                    return url;
                }
            }
        }
        fetched.clone()
    }

    /// What one request of `source` may cost.
    pub fn limits(&self, source: &Source) -> crate::fetch::Limits {
        crate::fetch::Limits {
            timeout: source.timeout.unwrap_or(self.timeout),
            max_bytes: source.max_page_bytes.unwrap_or(self.max_page_bytes),
            user_agent: source
                .user_agent
                .clone()
                .unwrap_or_else(|| self.user_agent.clone()),
        }
    }

    /// How long until a page of `source` is due again.
    pub fn recrawl_interval(&self, source: &Source, is_listing: bool) -> Duration {
        match is_listing {
            true => source.recrawl_listing.unwrap_or(self.recrawl_listing),
            false => source.recrawl_page.unwrap_or(self.recrawl_page),
        }
    }

    /// The canonical host of a source's host or alias (the first of its
    /// `hosts`); any other host is its own.
    pub fn canonical_host<'a>(&'a self, host: &'a str) -> &'a str {
        self.sources
            .iter()
            .find(|s| s.hosts.iter().any(|h| h == host))
            .and_then(|s| s.hosts.first())
            .map_or(host, String::as_str)
    }

    /// `(alias, canonical)` pairs for URL canonicalisation, canonical hosts included.
    pub fn host_aliases(&self) -> Vec<(String, String)> {
        self.sources
            .iter()
            .flat_map(|s| {
                let canonical = s.hosts.first().cloned().unwrap_or_default();
                s.hosts.iter().map(move |h| (h.clone(), canonical.clone()))
            })
            .collect()
    }

    /// The source a canonical URL belongs to, if it is in scope of one.
    pub fn source_for(&self, url: &Url) -> Option<&Source> {
        self.source_index(url).map(|i| &self.sources[i])
    }

    /// The position in `sources` of the source a canonical URL belongs to.
    pub fn source_index(&self, url: &Url) -> Option<usize> {
        let host = url.host_str()?;
        self.sources
            .iter()
            .position(|s| s.hosts.iter().any(|h| h == host) && s.in_scope(url))
    }
}

impl Source {
    /// Whether a canonical URL of this source's hosts is to be fetched.
    pub fn in_scope(&self, url: &Url) -> bool {
        let Some(host) = url.host_str() else { return false };
        if self.excluded_hosts.iter().any(|h| host_matches(host, h)) {
            return false;
        }
        if !matches!(url.scheme(), "http" | "https") {
            return false;
        }
        let target = path_and_query(url);
        (self.allow.is_empty() || self.allow.iter().any(|r| r.is_match(&target)))
            && !self.exclude.iter().any(|r| r.is_match(&target))
    }

    /// Whether a page only lists other pages (followed, not indexed).
    pub fn is_listing(&self, url: &Url) -> bool {
        let target = path_and_query(url);
        self.listing.iter().any(|r| r.is_match(&target))
    }
}

/// `*.f2w.bosa.be` style patterns match the domain and its subdomains.
fn host_matches(host: &str, pattern: &str) -> bool {
    match pattern.strip_prefix("*.") {
        Some(domain) => host == domain || host.ends_with(&format!(".{domain}")),
        None => host == pattern,
    }
}

/// The file format of `--config`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    crawl: CrawlSection,
    #[serde(default, rename = "source")]
    sources: Vec<SourceSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrawlSection {
    user_agent: Option<String>,
    /// e.g. `"1s"`, `"500ms"`.
    delay: Option<String>,
    timeout: Option<String>,
    max_page_bytes: Option<usize>,
    /// e.g. `"1day"`.
    recrawl_listing: Option<String>,
    /// e.g. `"30days"`.
    recrawl_page: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceSection {
    id: String,
    start_urls: Vec<String>,
    hosts: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    listing: Vec<String>,
    #[serde(default)]
    excluded_hosts: Vec<String>,
    delay: Option<String>,
    max_pages: Option<usize>,
    timeout: Option<String>,
    max_page_bytes: Option<usize>,
    user_agent: Option<String>,
    recrawl_listing: Option<String>,
    recrawl_page: Option<String>,
}

const DEFAULT_MAX_PAGES: usize = 2000;

impl Default for CrawlConfig {
    fn default() -> Self {
        CrawlConfig {
            sources: default_sources(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            delay: Duration::from_secs(1),
            timeout: Duration::from_secs(30),
            max_page_bytes: 10 * 1024 * 1024,
            mirrors: Vec::new(),
            recrawl_listing: Duration::from_secs(24 * 3600),
            recrawl_page: Duration::from_secs(30 * 24 * 3600),
        }
    }
}

impl CrawlConfig {
    /// Parses a TOML config; sources given there replace the built-in ones.
    pub fn from_toml(text: &str) -> Result<CrawlConfig> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| Error::Config(e.message().to_owned()))?;
        let mut config = CrawlConfig::default();
        let section = file.crawl;
        if let Some(agent) = section.user_agent {
            if agent.trim().is_empty() {
                return Err(Error::Config("crawl.user_agent: must not be empty".into()));
            }
            config.user_agent = agent;
        }
        if let Some(delay) = section.delay {
            config.delay = parse_duration("crawl.delay", &delay)?;
        }
        if let Some(timeout) = section.timeout {
            config.timeout = parse_duration("crawl.timeout", &timeout)?;
        }
        if let Some(max) = section.max_page_bytes {
            config.max_page_bytes = positive("crawl.max_page_bytes", max)?;
        }
        if let Some(every) = section.recrawl_listing {
            config.recrawl_listing = parse_duration("crawl.recrawl_listing", &every)?;
        }
        if let Some(every) = section.recrawl_page {
            config.recrawl_page = parse_duration("crawl.recrawl_page", &every)?;
        }
        if !file.sources.is_empty() {
            config.sources = file
                .sources
                .into_iter()
                .map(SourceSection::into_source)
                .collect::<Result<_>>()?;
        }
        Ok(config)
    }
}

impl SourceSection {
    fn into_source(self) -> Result<Source> {
        let key = |k: &str| format!("source `{}`: {k}", self.id);
        if self.hosts.is_empty() {
            return Err(Error::Config(key("hosts: at least one host is required")));
        }
        let start_urls = self
            .start_urls
            .iter()
            .map(|u| Url::parse(u).map_err(|e| Error::Config(format!("{}: `{u}`: {e}", key("start_urls")))))
            .collect::<Result<Vec<_>>>()?;
        let regexes = |name: &str, list: &[String]| -> Result<Vec<Regex>> {
            list.iter()
                .map(|p| Regex::new(p).map_err(|e| Error::Config(format!("{}: {e}", key(name)))))
                .collect()
        };
        Ok(Source {
            start_urls,
            allow: regexes("allow", &self.allow)?,
            exclude: regexes("exclude", &self.exclude)?,
            listing: regexes("listing", &self.listing)?,
            excluded_hosts: self.excluded_hosts.clone(),
            delay: self
                .delay
                .as_deref()
                .map(|d| parse_duration(&key("delay"), d))
                .transpose()?,
            max_pages: self
                .max_pages
                .map(|n| positive(&key("max_pages"), n))
                .transpose()?
                .unwrap_or(DEFAULT_MAX_PAGES),
            timeout: self
                .timeout
                .as_deref()
                .map(|d| parse_duration(&key("timeout"), d))
                .transpose()?,
            max_page_bytes: self
                .max_page_bytes
                .map(|n| positive(&key("max_page_bytes"), n))
                .transpose()?,
            user_agent: match self.user_agent {
                Some(agent) if agent.trim().is_empty() => {
                    return Err(Error::Config(key("user_agent: must not be empty")));
                }
                agent => agent,
            },
            recrawl_listing: self
                .recrawl_listing
                .as_deref()
                .map(|d| parse_duration(&key("recrawl_listing"), d))
                .transpose()?,
            recrawl_page: self
                .recrawl_page
                .as_deref()
                .map(|d| parse_duration(&key("recrawl_page"), d))
                .transpose()?,
            hosts: self.hosts,
            id: self.id,
        })
    }
}

fn positive(key: &str, value: usize) -> Result<usize> {
    if value == 0 {
        return Err(Error::Config(format!("{key}: must be positive")));
    }
    Ok(value)
}

fn parse_duration(key: &str, value: &str) -> Result<Duration> {
    humantime::parse_duration(value)
        .map_err(|e| Error::Config(format!("{key}: `{value}` is not a duration ({e}), try \"1s\"")))
}

fn regexes(patterns: &[&str]) -> Vec<Regex> {
    // The built-in patterns are constants checked by the tests below.
    patterns.iter().filter_map(|p| Regex::new(p).ok()).collect()
}

fn urls(list: &[&str]) -> Vec<Url> {
    list.iter().filter_map(|u| Url::parse(u).ok()).collect()
}

/// The four real sources, as SOURCES.md describes them.
pub fn default_sources() -> Vec<Source> {
    let lang = "(?:/(?:nl|fr|en))?";
    vec![
        Source {
            id: "emn-belgium".into(),
            start_urls: urls(&[
                "https://emnbelgium.be/news?page=0",
                "https://emnbelgium.be/news",
                "https://emnbelgium.be/all-publications",
            ]),
            hosts: vec!["emnbelgium.be".into(), "www.emnbelgium.be".into()],
            // The whole bilingual site is about migration: everything but
            // the technical paths is in scope.
            allow: Vec::new(),
            exclude: regexes(&[
                r"^/(?:nl/|fr/|en/)?(?:search|user|admin|node/add|filter|comment|print|rss)(?:[/?]|$)",
                r"\.(?:jpe?g|png|gif|svg|webp|zip|docx?|xlsx?|pptx?|mp4|mp3|css|js)$",
            ]),
            listing: regexes(&[
                r"^/(?:nl|fr|en)?/?$",
                r"[?&]page=\d+",
                &format!(
                    r"^{lang}/(?:news|nieuws|actualites|all-publications|publications|publicaties|events|evenementen)/?$"
                ),
                &format!(r"^{lang}/(?:news-type|publication-type|keywords|trefwoorden|main-theme|theme)/"),
            ]),
            excluded_hosts: vec!["dev.infinity-dt.com".into(), "*.infinity-dt.com".into()],
            delay: None,
            max_pages: DEFAULT_MAX_PAGES,
            timeout: None,
            max_page_bytes: None,
            user_agent: None,
            recrawl_listing: None,
            recrawl_page: None,
        },
        Source {
            id: "fedasil".into(),
            start_urls: urls(&[
                "https://fedasil.be/fr/international/fonds-europeens",
                "https://fedasil.be/nl/internationaal/europese-fondsen",
                "https://fedasil.be/en/international/european-funds",
                "https://fedasil.be/nl/vrijwillige-terugkeer/financiering",
            ]),
            hosts: vec!["fedasil.be".into(), "www.fedasil.be".into()],
            // Fedasil's site is large; the AMIF pages, funding pages and news are ours.
            allow: regexes(&[
                r"^/(?:fr|nl|en)/(?:international|internationaal)(?:/|$)",
                r"^/(?:fr|nl|en)/(?:actualites|nieuws|news)(?:/|$|\?)",
                r"^/(?:fr|nl|en)/(?:retour-volontaire|vrijwillige-terugkeer|voluntary-return)/(?:financement|financiering|funding)",
                r"^/(?:fr|nl|en)/node(?:/\d+$|\?page=\d+$)",
                r"\.pdf$",
            ]),
            exclude: Vec::new(),
            listing: regexes(&[r"[?&]page=\d+", r"^/(?:fr|nl|en)/(?:actualites|nieuws|news)/?$"]),
            excluded_hosts: Vec::new(),
            delay: None,
            max_pages: DEFAULT_MAX_PAGES,
            timeout: None,
            max_page_bytes: None,
            user_agent: None,
            recrawl_listing: None,
            recrawl_page: None,
        },
        Source {
            id: "immigration-office".into(),
            start_urls: urls(&[
                "https://dofi.ibz.be/en/documentation/projects-funded-eu",
                "https://dofi.ibz.be/fr/documentation/projets-finances-par-lue",
                "https://dofi.ibz.be/nl/documentatie/projecten-gefinancierd-door-de-eu",
            ]),
            hosts: vec!["dofi.ibz.be".into(), "www.dofi.ibz.be".into()],
            allow: regexes(&[
                r"^/(?:fr|nl|en)/(?:documentation|documentatie)/",
                r"(?i)amif",
                r"\.pdf$",
            ]),
            exclude: Vec::new(),
            listing: regexes(&[
                r"[?&]page=\d+",
                r"^/(?:fr|nl|en)/(?:documentation|documentatie)/[^/]+/?$",
            ]),
            excluded_hosts: vec!["*.f2w.bosa.be".into()],
            delay: None,
            max_pages: DEFAULT_MAX_PAGES,
            timeout: None,
            max_page_bytes: None,
            user_agent: None,
            recrawl_listing: None,
            recrawl_page: None,
        },
        Source {
            id: "media4cohesion".into(),
            start_urls: urls(&[
                "https://media4cohesion.belgashare.be/fr/press-releases",
                "https://media4cohesion.belgashare.be/nl/press-releases",
                "https://media4cohesion.belgashare.be/en/press-releases",
            ]),
            hosts: vec!["media4cohesion.belgashare.be".into()],
            allow: regexes(&[r"^/(?:fr|nl|en)/press-releases(?:/\d+)?/?(?:\?page=\d+)?$"]),
            exclude: Vec::new(),
            listing: regexes(&[r"^/(?:fr|nl|en)/press-releases/?(?:\?page=\d+)?$"]),
            excluded_hosts: Vec::new(),
            delay: None,
            max_pages: DEFAULT_MAX_PAGES,
            timeout: None,
            max_page_bytes: None,
            user_agent: None,
            recrawl_listing: None,
            recrawl_page: None,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn default_patterns_all_compile() {
        // `regexes` drops a pattern that fails to compile; count them back.
        let sources = default_sources();
        let counts: Vec<usize> = sources
            .iter()
            .map(|s| s.allow.len() + s.exclude.len() + s.listing.len())
            .collect();
        assert_eq!(counts, vec![6, 7, 5, 2]);
        assert!(sources.iter().all(|s| s.start_urls.len() >= 3));
    }

    #[test]
    fn emn_scope_and_listings() {
        let config = CrawlConfig::default();
        let news = url("https://emnbelgium.be/news/some-article");
        let source = config.source_for(&news).unwrap();
        assert_eq!(source.id, "emn-belgium");
        assert!(!source.is_listing(&news));
        assert!(source.is_listing(&url("https://emnbelgium.be/news?page=2")));
        assert!(source.is_listing(&url("https://emnbelgium.be/keywords/video")));
        assert!(
            config
                .source_for(&url("https://emnbelgium.be/user/login"))
                .is_none()
        );
        assert!(
            config
                .source_for(&url("https://emnbelgium.be/search?keys=x"))
                .is_none()
        );
        assert!(
            config
                .source_for(&url("https://dev.infinity-dt.com/news/x"))
                .is_none()
        );
        assert!(
            config
                .source_for(&url("https://ec.europa.eu/home-affairs"))
                .is_none()
        );
    }

    #[test]
    fn fedasil_scope_is_narrow() {
        let config = CrawlConfig::default();
        assert!(
            config
                .source_for(&url("https://fedasil.be/fr/international/fonds-europeens"))
                .is_some()
        );
        assert!(config.source_for(&url("https://fedasil.be/fr/contact")).is_none());
    }

    #[test]
    fn mirror_maps_both_ways() {
        let config = CrawlConfig {
            mirrors: vec![
                Mirror::parse("https://emnbelgium.be=http://127.0.0.1:9000/emnbelgium.be").unwrap(),
            ],
            ..CrawlConfig::default()
        };
        let real = url("https://emnbelgium.be/news?page=1");
        let fetch = config.fetch_url(&real).unwrap();
        assert_eq!(fetch.as_str(), "http://127.0.0.1:9000/emnbelgium.be/news?page=1");
        assert_eq!(config.real_url(&fetch), real);
        assert!(config.fetch_url(&url("https://fedasil.be/fr/x")).is_none());
    }

    #[test]
    fn mirror_without_path_prefix() {
        let config = CrawlConfig {
            mirrors: vec![Mirror::parse("https://fedasil.be=http://127.0.0.1:9001").unwrap()],
            ..CrawlConfig::default()
        };
        let real = url("https://fedasil.be/fr/international/fonds-europeens");
        let fetch = config.fetch_url(&real).unwrap();
        assert_eq!(
            fetch.as_str(),
            "http://127.0.0.1:9001/fr/international/fonds-europeens"
        );
        assert_eq!(config.real_url(&fetch), real);
    }

    #[test]
    fn mirror_of_an_alias_serves_the_canonical_host() {
        let config = CrawlConfig {
            mirrors: vec![Mirror::parse("http://www.fedasil.be=http://127.0.0.1:9002").unwrap()],
            ..CrawlConfig::default()
        };
        let fetch = config
            .fetch_url(&url("https://fedasil.be/fr/international/fonds-europeens"))
            .unwrap();
        assert_eq!(
            fetch.as_str(),
            "http://127.0.0.1:9002/fr/international/fonds-europeens"
        );
    }

    #[test]
    fn bad_mirror_spec_is_named() {
        let err = Mirror::parse("emnbelgium.be").unwrap_err().to_string();
        assert!(err.contains("ORIGIN=TARGET"), "{err}");
    }

    #[test]
    fn toml_rejects_unknown_keys_and_bad_values() {
        let err = CrawlConfig::from_toml("[crawl]\ndelai = \"1s\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("delai"), "{err}");
        let err = CrawlConfig::from_toml("[crawl]\ndelay = \"soon\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("crawl.delay"), "{err}");
        let config = CrawlConfig::from_toml(
            "[crawl]\ndelay = \"250ms\"\n[[source]]\nid = \"x\"\nhosts = [\"example.org\"]\nstart_urls = [\"https://example.org/\"]\n",
        )
        .unwrap();
        assert_eq!(config.delay, Duration::from_millis(250));
        assert_eq!(config.sources.len(), 1);
    }

    #[test]
    fn per_source_settings_override_the_crawl_wide_ones() {
        let config = CrawlConfig::from_toml(
            r#"
            [crawl]
            recrawl_listing = "6h"
            [[source]]
            id = "x"
            hosts = ["example.org"]
            start_urls = ["https://example.org/news"]
            listing = ["^/news$"]
            timeout = "5s"
            max_page_bytes = 1000
            user_agent = "tester/1.0"
            recrawl_page = "7days"
            "#,
        )
        .unwrap();
        let source = &config.sources[0];
        let limits = config.limits(source);
        assert_eq!(limits.timeout, Duration::from_secs(5));
        assert_eq!(limits.max_bytes, 1000);
        assert_eq!(limits.user_agent, "tester/1.0");
        assert_eq!(
            config.recrawl_interval(source, true),
            Duration::from_secs(6 * 3600)
        );
        assert_eq!(
            config.recrawl_interval(source, false),
            Duration::from_secs(7 * 24 * 3600)
        );
    }

    #[test]
    fn bad_per_source_values_name_the_key() {
        let base = "[[source]]\nid = \"x\"\nhosts = [\"example.org\"]\nstart_urls = []\n";
        for (line, key) in [
            ("max_pages = 0", "max_pages"),
            ("max_page_bytes = 0", "max_page_bytes"),
            ("timeout = \"forever\"", "timeout"),
            ("user_agent = \" \"", "user_agent"),
            ("allow = [\"(\"]", "allow"),
            ("colour = \"red\"", "colour"),
        ] {
            let err = CrawlConfig::from_toml(&format!("{base}{line}\n"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(key), "{line}: {err}");
        }
    }
}
