//! Search results for other tools: every hit as CSV, the newest hits as an
//! Atom feed. The writers are pure functions over hits.

use std::fmt::Write as _;

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use index::{Hit, Sort};

use super::search::{ExportQuery, SearchQuery, query_pairs, request_from, take_switch};
use super::{ApiError, blocking};
use crate::server::AppState;

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "url",
    "title",
    "date",
    "year",
    "languages",
    "themes",
    "organisations",
    "source",
    "type",
    "parent_url",
    "score",
];

/// One CSV field, quoted as RFC 4180 says when it holds a comma, a quote or
/// a line break (quotes doubled).
fn csv_field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

fn csv_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (n, field) in fields.into_iter().enumerate() {
        if n > 0 {
            out.push(',');
        }
        csv_field(out, field);
    }
    out.push_str("\r\n");
}

/// The hits as CSV: a header row, then one row per hit; lists joined with `; `.
pub fn write_csv(hits: &[Hit]) -> String {
    let mut out = String::new();
    csv_row(&mut out, CSV_COLUMNS.iter().copied());
    for hit in hits {
        let optional = |value: Option<String>| value.unwrap_or_default();
        let row = [
            hit.id.clone(),
            hit.url.clone(),
            hit.title.clone(),
            optional(hit.date.map(|d| d.to_string())),
            optional(hit.year.map(|y| y.to_string())),
            hit.language.join("; "),
            hit.themes.join("; "),
            hit.organisations.join("; "),
            hit.source.clone(),
            hit.doc_type.clone(),
            optional(hit.parent_url.clone()),
            hit.score.to_string(),
        ];
        csv_row(&mut out, row.iter().map(String::as_str));
    }
    out
}

/// Every hit of a search (up to 10,000) as CSV.
#[utoipa::path(
    get,
    path = "/api/search.csv",
    tag = "export",
    params(SearchQuery, ExportQuery),
    responses(
        (status = 200, description = "Header row (id, url, title, date, year, languages, themes, organisations, source, type, parent_url, score), then one row per hit; lists joined with `; `",
            content_type = "text/csv"),
        (status = 400, description = "A parameter is invalid", body = super::ErrorBody),
    )
)]
pub async fn search_csv(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut pairs = query_pairs(raw.as_deref());
    // Accepted for symmetry with search.json: the CSV always has every hit.
    take_switch(&mut pairs, "all")?;
    let request = request_from(pairs)?;
    let index = state.index.clone();
    let results = blocking(move || index.export_rows(&request, index::MAX_EXPORT)).await??;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"migrasearch.csv\"",
            ),
        ],
        write_csv(&results.hits),
    )
        .into_response())
}

/// Entries in a feed.
pub const FEED_ENTRIES: usize = 50;

/// Text as XML character data or attribute value. Characters XML 1.0 does
/// not allow (most control characters) are dropped rather than breaking the
/// document.
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A snippet (escaped HTML with `<mark>`) as plain text: tags dropped,
/// entities decoded. For the feed and the terminal.
pub fn snippet_text(snippet: &str) -> String {
    let mut text = String::with_capacity(snippet.len());
    let mut in_tag = false;
    for c in snippet.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

fn rfc3339(date: NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// What a feed is about: its id and self link (the request URL), title,
/// and when it was built (its `updated` when no entry is dated).
pub struct FeedInfo<'a> {
    pub self_url: &'a str,
    pub title: &'a str,
    pub built: DateTime<Utc>,
}

/// The hits as an Atom 1.0 feed (RFC 4287). Undated hits are left out: a
/// feed says what is new, and they would show as new forever.
pub fn write_atom(feed: &FeedInfo<'_>, hits: &[Hit]) -> String {
    let dated: Vec<(&Hit, NaiveDate)> = hits.iter().filter_map(|hit| hit.date.map(|d| (hit, d))).collect();
    let updated = dated
        .iter()
        .map(|(_, date)| *date)
        .max()
        .map(rfc3339)
        .unwrap_or_else(|| feed.built.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    let mut out = String::new();
    let e = xml_escape;
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(out, "  <id>{}</id>", e(feed.self_url));
    let _ = writeln!(out, "  <title>{}</title>", e(feed.title));
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    let _ = writeln!(
        out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        e(feed.self_url)
    );
    out.push_str("  <author><name>migrasearch</name></author>\n");
    out.push_str("  <generator>migrasearch</generator>\n");
    for (hit, date) in dated {
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <id>{}</id>", e(&hit.url));
        let _ = writeln!(out, "    <title>{}</title>", e(&hit.title));
        let _ = writeln!(out, "    <link rel=\"alternate\" href=\"{}\"/>", e(&hit.url));
        let _ = writeln!(out, "    <updated>{}</updated>", rfc3339(date));
        let summary = snippet_text(&hit.snippet);
        if !summary.trim().is_empty() {
            let _ = writeln!(out, "    <summary type=\"text\">{}</summary>", e(summary.trim()));
        }
        for theme in &hit.themes {
            let _ = writeln!(out, "    <category term=\"{}\"/>", e(theme));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

/// The request URL, for the feed's id and self link. Behind a reverse
/// proxy, the scheme the client used comes from `Forwarded: proto=`
/// (RFC 7239) or else `X-Forwarded-Proto`, and the host from `Forwarded:
/// host=` (first element of each: the client's side); without them the
/// scheme is `http` and the host the `Host` header's. Only `http` and
/// `https` are taken as a scheme.
fn request_url(headers: &HeaderMap, raw: Option<&str>) -> String {
    let text = |name: &str| headers.get(name).and_then(|h| h.to_str().ok());
    // The first value of a list: the one the client's side of the first proxy saw.
    let first = |value: &str| value.split(',').next().unwrap_or_default().trim().to_owned();
    let forwarded = |key: &str| {
        let element = first(text("forwarded")?);
        element.split(';').find_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            let value = value.trim().trim_matches('"');
            (name.trim().eq_ignore_ascii_case(key) && !value.is_empty()).then(|| value.to_owned())
        })
    };
    let scheme = forwarded("proto")
        .or_else(|| text("x-forwarded-proto").map(first))
        .map(|proto| proto.to_ascii_lowercase())
        .filter(|proto| proto == "http" || proto == "https")
        .unwrap_or_else(|| "http".to_owned());
    let host = forwarded("host")
        .or_else(|| text(header::HOST.as_str()).map(str::to_owned))
        .unwrap_or_else(|| "localhost".to_owned());
    match raw {
        Some(query) if !query.is_empty() => format!("{scheme}://{host}/api/search.atom?{query}"),
        _ => format!("{scheme}://{host}/api/search.atom"),
    }
}

/// The newest hits of a search as an Atom feed.
#[utoipa::path(
    get,
    path = "/api/search.atom",
    tag = "export",
    params(SearchQuery),
    responses(
        (status = 200, description = "Atom 1.0 feed of the 50 newest dated hits (`sort`, `page` and `per_page` are set by the feed)",
            content_type = "application/atom+xml"),
        (status = 400, description = "A parameter is invalid", body = super::ErrorBody),
    )
)]
pub async fn search_atom(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs: Vec<(String, String)> = query_pairs(raw.as_deref())
        .into_iter()
        .filter(|(key, _)| !matches!(key.as_str(), "sort" | "page" | "per_page"))
        .collect();
    let mut request = request_from(pairs)?;
    request.sort = Sort::Date;
    request.page = 1;
    request.per_page = FEED_ENTRIES;
    let title = match request.query.is_empty() {
        true => "migrasearch: newest publications".to_owned(),
        false => format!("migrasearch: {}", request.query),
    };
    let index = state.index.clone();
    let results = blocking(move || index.search(&request)).await??;
    let self_url = request_url(&headers, raw.as_deref());
    let feed = FeedInfo {
        self_url: &self_url,
        title: &title,
        built: Utc::now(),
    };
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        write_atom(&feed, &results.hits),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let mut out = String::new();
        csv_row(&mut out, ["plain", "a, b", "say \"hi\"", "two\nlines"]);
        assert_eq!(out, "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
    }

    #[test]
    fn empty_results_are_a_header_row() {
        assert_eq!(write_csv(&[]), format!("{}\r\n", CSV_COLUMNS.join(",")));
    }

    #[test]
    fn feed_urls_follow_the_proxy_headers() {
        let url = |pairs: &[(&'static str, &'static str)]| {
            let mut headers = HeaderMap::new();
            for (name, value) in pairs {
                headers.insert(*name, axum::http::HeaderValue::from_static(value));
            }
            request_url(&headers, Some("q=asile"))
        };
        assert_eq!(url(&[("host", "a.org")]), "http://a.org/api/search.atom?q=asile");
        assert_eq!(
            url(&[("host", "a.org"), ("x-forwarded-proto", "https")]),
            "https://a.org/api/search.atom?q=asile"
        );
        assert_eq!(
            url(&[
                ("host", "internal:7700"),
                (
                    "forwarded",
                    "for=1.2.3.4;proto=HTTPS;host=\"search.org\", for=5.6.7.8;proto=http"
                ),
                ("x-forwarded-proto", "http"),
            ]),
            "https://search.org/api/search.atom?q=asile"
        );
        assert_eq!(
            url(&[("host", "a.org"), ("x-forwarded-proto", "https, http")]),
            "https://a.org/api/search.atom?q=asile"
        );
        assert_eq!(
            url(&[("host", "a.org"), ("x-forwarded-proto", "javascript")]),
            "http://a.org/api/search.atom?q=asile"
        );
        assert_eq!(url(&[]), "http://localhost/api/search.atom?q=asile");
    }

    #[test]
    fn xml_text_is_escaped_and_cleaned() {
        assert_eq!(
            xml_escape("R&D <b> \"x\" \u{1}"),
            "R&amp;D &lt;b&gt; &quot;x&quot; "
        );
        assert_eq!(
            snippet_text("le <mark>retour</mark> &amp; l&#39;accueil"),
            "le retour & l'accueil"
        );
    }
}
