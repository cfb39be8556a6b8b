//! The thin I/O layer: one HTTP GET with a timeout and a size limit, no
//! automatic redirects (the crawler decides whether a target is in scope),
//! and mirror rewriting that keeps the real URL for everything else.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HOST, IF_MODIFIED_SINCE, IF_NONE_MATCH, LOCATION, USER_AGENT};
use url::Url;

use crate::config::CrawlConfig;
use crate::error::{Error, Result};

/// One HTTP answer, with URLs already mapped back to the real site.
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    pub content_type: Option<String>,
    /// Redirect target, for 3xx answers.
    pub location: Option<Url>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// How long the server asks us to wait (429, 503), from `Retry-After`.
    pub retry_after: Option<Duration>,
    /// Headers as sent and received, for the archive.
    pub request_headers: Vec<(String, String)>,
    pub response_headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Why a fetch gave no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The URL's host has no mirror while mirrors are configured.
    #[error("not mirrored")]
    NotMirrored,
    #[error("timed out")]
    Timeout,
    #[error("larger than {0} bytes")]
    TooLarge(usize),
    #[error("network error: {0}")]
    Network(String),
}

/// What one request may cost, from the source's settings.
#[derive(Debug, Clone)]
pub struct Limits {
    pub timeout: Duration,
    pub max_bytes: usize,
    pub user_agent: String,
}

/// Validators of the copy we have, for a conditional request.
#[derive(Debug, Clone, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

pub struct Fetcher {
    client: reqwest::Client,
}

impl Fetcher {
    pub fn new(config: &CrawlConfig) -> Result<Fetcher> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| Error::Client(e.to_string()))?;
        Ok(Fetcher { client })
    }

    /// GETs a real URL (through its mirror when one is configured),
    /// conditionally when `validators` has any.
    pub async fn get(
        &self,
        config: &CrawlConfig,
        real: &Url,
        limits: &Limits,
        validators: &Validators,
    ) -> std::result::Result<Fetched, FetchError> {
        let target = config.fetch_url(real).ok_or(FetchError::NotMirrored)?;
        // The whole exchange, body included, must fit in the timeout: a
        // server that trickles bytes forever must not hold the crawl.
        match tokio::time::timeout(
            limits.timeout,
            self.exchange(config, real, &target, limits, validators),
        )
        .await
        {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout),
        }
    }

    async fn exchange(
        &self,
        config: &CrawlConfig,
        real: &Url,
        target: &Url,
        limits: &Limits,
        validators: &Validators,
    ) -> std::result::Result<Fetched, FetchError> {
        let mut request_headers = vec![(USER_AGENT.to_string(), limits.user_agent.clone())];
        if let Some(host) = real.host_str() {
            // Also sent to a local copy that serves several sites on one
            // port: it tells them apart by Host, as the real servers do.
            request_headers.push((HOST.to_string(), host.to_owned()));
        }
        if let Some(etag) = &validators.etag {
            request_headers.push((IF_NONE_MATCH.to_string(), etag.clone()));
        }
        if let Some(date) = &validators.last_modified {
            request_headers.push((IF_MODIFIED_SINCE.to_string(), date.clone()));
        }
        let mut request = self.client.get(target.clone());
        for (name, value) in &request_headers {
            request = request.header(name, value);
        }
        let mut response = request.send().await.map_err(network_error)?;
        let status = response.status().as_u16();
        let header = |name: &str| header_str(&response, name);
        let content_type = header(CONTENT_TYPE.as_str());
        let location = header(LOCATION.as_str())
            .and_then(|loc| target.join(&loc).ok())
            .map(|fetched| config.real_url(&fetched));
        let etag = header("etag");
        let last_modified = header("last-modified");
        let retry_after = header("retry-after").and_then(|v| parse_retry_after(&v));
        let response_headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
            .collect();
        if response
            .content_length()
            .is_some_and(|len| len > limits.max_bytes as u64)
        {
            return Err(FetchError::TooLarge(limits.max_bytes));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(network_error)? {
            if body.len() + chunk.len() > limits.max_bytes {
                return Err(FetchError::TooLarge(limits.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            status,
            content_type,
            location,
            etag,
            last_modified,
            retry_after,
            request_headers,
            response_headers,
            body,
        })
    }
}

/// `Retry-After` as seconds or an HTTP date; capped so that a hostile value
/// cannot stall the crawl for days.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
            (when.with_timezone(&chrono::Utc) - chrono::Utc::now())
                .to_std()
                .unwrap_or_default()
        }
    };
    Some(wait.min(Duration::from_secs(3600)))
}

fn header_str(response: &reqwest::Response, name: &str) -> Option<String> {
    response.headers().get(name)?.to_str().ok().map(str::to_owned)
}

fn network_error(e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        FetchError::Timeout
    } else {
        // The top-level message hides the cause (connection refused, reset...).
        let mut message = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(inner) = source {
            message = format!("{message}: {inner}");
            source = inner.source();
        }
        FetchError::Network(message)
    }
}

/// Decodes an HTML page: BOM, then the HTTP charset, then `<meta charset>`,
/// then UTF-8 if valid, else what a detector (chardetng) guesses from the
/// bytes, for the mislabelled Western pages that are its most common cause.
pub fn decode_html(body: &[u8], content_type: Option<&str>) -> String {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(body) {
        return encoding
            .decode_without_bom_handling(&body[bom_len..])
            .0
            .into_owned();
    }
    let declared = content_type
        .and_then(charset_param)
        .or_else(|| meta_charset(&body[..body.len().min(2048)]))
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    if let Some(encoding) = declared {
        return encoding.decode_without_bom_handling(body).0.into_owned();
    }
    match std::str::from_utf8(body) {
        Ok(text) => text.to_owned(),
        Err(_) => {
            let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(body, true);
            // `.be` pages: a hint that the Western encodings are likely.
            let encoding = detector.guess(Some(b"be"), chardetng::Utf8Detection::Deny);
            encoding.decode_without_bom_handling(body).0.into_owned()
        }
    }
}

fn charset_param(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

fn meta_charset(head: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let value: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!value.is_empty()).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_charset_wins_over_guessing() {
        let body = b"<p>r\xe9fugi\xe9s</p>";
        assert_eq!(
            decode_html(body, Some("text/html; charset=ISO-8859-1")),
            "<p>réfugiés</p>"
        );
    }

    #[test]
    fn meta_charset_is_used() {
        let body = b"<html><head><meta charset=\"windows-1252\"></head><p>\x93accueil\x94</p>";
        assert!(decode_html(body, Some("text/html")).contains("\u{201c}accueil\u{201d}"));
    }

    #[test]
    fn undeclared_latin_text_is_detected() {
        let body = "<p>Les demandeurs d\u{2019}asile et les r\u{e9}fugi\u{e9}s re\u{e7}oivent une protection \u{e0} l\u{2019}\u{e9}gard de la proc\u{e9}dure.</p>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(body);
        assert_eq!(decode_html(&bytes, Some("text/html")), body);
    }

    #[test]
    fn invalid_utf8_without_label_falls_back_to_windows_1252() {
        assert_eq!(decode_html(b"Fran\xe7ais", None), "Français");
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(parse_retry_after("99999999"), Some(Duration::from_secs(3600)));
        let past = "Wed, 21 Oct 2015 07:28:00 GMT";
        assert_eq!(parse_retry_after(past), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn bom_wins() {
        assert_eq!(
            decode_html(
                b"\xef\xbb\xbfd\xc3\xa9j\xc3\xa0",
                Some("text/html; charset=latin1")
            ),
            "déjà"
        );
    }
}
