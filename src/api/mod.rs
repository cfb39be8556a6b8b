//! The JSON API, one module per concern: searching ([`search`]), exports
//! ([`export`]: CSV and Atom), documents ([`documents`]: stored, similar,
//! archived), [`stats`], [`metrics`] and its description ([`openapi`]).
//! [`crate::server`] assembles the routes and the middleware.
//!
//! Every error leaves through [`ApiError`], with a stable JSON body
//! `{"error": {"code", "message", "parameter"?}}`.

pub mod documents;
pub mod error;
pub mod export;
pub mod metrics;
pub mod openapi;
mod parameters;
pub mod search;
pub mod stats;

use std::time::Duration;

use axum::http::{HeaderMap, header};

pub use error::{ApiError, ErrorBody};

/// Largest request body accepted (413 past it): a search needs far less.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest a request may take before it is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs blocking index or file work off the async threads.
pub(crate) async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task: {e}")))
}

/// Whether the request's `If-None-Match` names `etag` (or is `*`). Lists and
/// repeated headers are read, and tags compare weakly (`W/` ignored, RFC 9110
/// §13.1.2) as `If-None-Match` asks: the compression layer changes the bytes
/// of a response, so only weak tags are given out.
pub(crate) fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    let opaque = |tag: &str| tag.strip_prefix("W/").unwrap_or(tag).to_owned();
    let wanted = opaque(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || opaque(tag) == wanted)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn etags_match_weakly_in_lists() {
        let asked = |values: &[&'static str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(header::IF_NONE_MATCH, HeaderValue::from_static(value));
            }
            headers
        };
        let tag = "W/\"abc\"";
        assert!(etag_matches(&asked(&["W/\"abc\""]), tag));
        assert!(etag_matches(&asked(&["\"abc\""]), tag));
        assert!(etag_matches(&asked(&["\"x\", W/\"abc\""]), tag));
        assert!(etag_matches(&asked(&["\"x\"", "\"abc\""]), tag));
        assert!(etag_matches(&asked(&["*"]), tag));
        assert!(etag_matches(&asked(&["\"abc\""]), "\"abc\""));
        assert!(!etag_matches(&asked(&["\"abcd\""]), tag));
        assert!(!etag_matches(&asked(&["W/W/\"abc\""]), tag));
        assert!(!etag_matches(&asked(&[]), tag));
    }
}
