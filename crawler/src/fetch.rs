//! The thin I/O layer: one HTTP GET with a timeout and a size limit, no
//! automatic redirects (the crawler decides whether a target is in scope),
//! and mirror rewriting that keeps the real URL for everything else.

use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HOST, LOCATION};
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

pub struct Fetcher {
    client: reqwest::Client,
    max_bytes: usize,
    timeout: Duration,
}

impl Fetcher {
    pub fn new(config: &CrawlConfig) -> Result<Fetcher> {
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| Error::Client(e.to_string()))?;
        Ok(Fetcher {
            client,
            max_bytes: config.max_page_bytes,
            timeout: config.timeout,
        })
    }

    /// GETs a real URL (through its mirror when one is configured).
    pub async fn get(&self, config: &CrawlConfig, real: &Url) -> std::result::Result<Fetched, FetchError> {
        let target = config.fetch_url(real).ok_or(FetchError::NotMirrored)?;
        // The whole exchange, body included, must fit in the timeout: a
        // server that trickles bytes forever must not hold the crawl.
        match tokio::time::timeout(self.timeout, self.exchange(config, real, &target)).await {
            Ok(result) => result,
            Err(_) => Err(FetchError::Timeout),
        }
    }

    async fn exchange(
        &self,
        config: &CrawlConfig,
        real: &Url,
        target: &Url,
    ) -> std::result::Result<Fetched, FetchError> {
        let mut request = self.client.get(target.clone());
        if target.host_str() != real.host_str() {
            // A local copy that serves several sites on one port tells them
            // apart by Host, as the real servers do.
            if let Some(host) = real.host_str() {
                request = request.header(HOST, host);
            }
        }
        let mut response = request.send().await.map_err(network_error)?;
        let status = response.status().as_u16();
        let content_type = header_str(&response, CONTENT_TYPE);
        let location = header_str(&response, LOCATION)
            .and_then(|loc| target.join(&loc).ok())
            .map(|fetched| config.real_url(&fetched));
        if response
            .content_length()
            .is_some_and(|len| len > self.max_bytes as u64)
        {
            return Err(FetchError::TooLarge(self.max_bytes));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(network_error)? {
            if body.len() + chunk.len() > self.max_bytes {
                return Err(FetchError::TooLarge(self.max_bytes));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            status,
            content_type,
            location,
            body,
        })
    }
}

fn header_str(response: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
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
/// then UTF-8 if valid, else windows-1252 (what mislabelled Western pages are).
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
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(body)
            .0
            .into_owned(),
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
    fn invalid_utf8_without_label_falls_back_to_windows_1252() {
        assert_eq!(decode_html(b"Fran\xe7ais", None), "Français");
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
