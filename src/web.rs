//! The search page for people: HTML, script and style embedded in the
//! binary (no CDN, works offline, no build step).
//!
//! The page links its assets as `/assets/app.js?v=VERSION`, where `VERSION`
//! is a hash of the assets computed at compile time: a new binary with other
//! assets gets other URLs, so browsers may keep the old ones forever. The
//! same hash is the assets' (weak) `ETag`, for requests without (or with a
//! stale) `?v=`.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::RawQuery;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

const INDEX_HTML: &str = include_str!("web/index.html");
const APP_JS: &str = include_str!("web/app.js");
const APP_CSS: &str = include_str!("web/app.css");

/// Where `index.html` names the assets' version.
const VERSION_PLACEHOLDER: &str = "__VERSION__";

/// The assets' version: FNV-1a over both, so a change to either changes it.
pub const ASSETS_VERSION: u64 = fnv1a(
    APP_CSS.as_bytes(),
    fnv1a(APP_JS.as_bytes(), 0xcbf2_9ce4_8422_2325),
);

const fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

static VERSION: LazyLock<String> = LazyLock::new(|| format!("{ASSETS_VERSION:016x}"));
static PAGE: LazyLock<String> = LazyLock::new(|| INDEX_HTML.replace(VERSION_PLACEHOLDER, &VERSION));

/// The page and its assets, for any router state.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(page))
        .route(
            "/assets/app.js",
            get(|query: RawQuery, headers: HeaderMap| async move {
                asset(query, &headers, APP_JS, "text/javascript; charset=utf-8")
            }),
        )
        .route(
            "/assets/app.css",
            get(|query: RawQuery, headers: HeaderMap| async move {
                asset(query, &headers, APP_CSS, "text/css; charset=utf-8")
            }),
        )
}

async fn page() -> impl IntoResponse {
    // The page itself is small and names the current assets: always revalidate.
    ([(header::CACHE_CONTROL, "no-cache")], Html(PAGE.as_str()))
}

fn asset(
    RawQuery(query): RawQuery,
    headers: &HeaderMap,
    body: &'static str,
    content_type: &'static str,
) -> Response {
    // Weak: the compression layer changes the bytes, not what they mean.
    let etag = format!("W/\"{}\"", *VERSION);
    let current = query.as_deref() == Some(&format!("v={}", *VERSION));
    // Only a URL carrying this version may be cached for good; any other is revalidated.
    let cache = if current {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut response = if crate::api::etag_matches(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, content_type)], body).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, etag);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_the_assets_by_their_version() {
        assert!(!PAGE.contains(VERSION_PLACEHOLDER));
        assert!(PAGE.contains(&format!("/assets/app.js?v={}", *VERSION)));
        assert!(PAGE.contains(&format!("/assets/app.css?v={}", *VERSION)));
    }

    #[test]
    fn the_pager_stops_at_the_last_page_the_api_serves() {
        let constant = format!("const MAX_PAGE = {};", crate::params::MAX_PAGE);
        assert!(APP_JS.contains(&constant), "app.js should declare {constant}");
    }

    #[test]
    fn version_changes_with_either_asset() {
        let base = 0xcbf2_9ce4_8422_2325;
        assert_ne!(fnv1a(b"a", fnv1a(b"b", base)), fnv1a(b"a", fnv1a(b"c", base)));
        assert_ne!(fnv1a(b"x", fnv1a(b"b", base)), fnv1a(b"y", fnv1a(b"b", base)));
    }
}
