//! The bundled mirror of the sources, embedded in the binary so that
//! `migrasearch demo` and the tests crawl realistic pages offline.
//!
//! `mirror/site/<host>/...` holds the files; a URL maps to a file as
//! `mirror/README.md` describes: `/` → `index.html`, a path with an
//! extension → that file, otherwise `<path>.html`, or `<path>__<query>.html`.
//! The server answers `/<host>/<path>` (one port for all hosts, the form the
//! demo uses), or `/<path>` with the host taken from the `Host` header.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use include_dir::{Dir, include_dir};
use tokio::net::TcpListener;

static SITE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/mirror/site");

/// The hosts the bundled mirror has pages for.
pub fn hosts() -> Vec<&'static str> {
    SITE.dirs()
        .filter_map(|d| d.path().file_name().and_then(|n| n.to_str()))
        .collect()
}

/// Every request the mirror answered, as `host/path?query`, for tests that
/// check what a crawl fetched.
#[derive(Clone, Default)]
pub struct RequestLog(Arc<Mutex<Vec<String>>>);

impl RequestLog {
    pub fn entries(&self) -> Vec<String> {
        self.0.lock().map(|v| v.clone()).unwrap_or_default()
    }

    fn push(&self, entry: String) {
        if let Ok(mut log) = self.0.lock() {
            log.push(entry);
        }
    }
}

/// A router serving the bundled mirror.
pub fn router(log: RequestLog) -> Router {
    Router::new().fallback(serve_file).with_state(log)
}

/// Serves the mirror on `listener` until the process ends.
pub async fn serve(listener: TcpListener, log: RequestLog) -> std::io::Result<()> {
    axum::serve(listener, router(log)).await
}

/// Binds the mirror on a free loopback port and serves it in the background.
pub async fn spawn(log: RequestLog) -> std::io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(e) = serve(listener, log).await {
            tracing::error!(error = %e, "mirror server stopped");
        }
    });
    Ok(addr)
}

/// `--mirror` arguments that send every mirrored host to the server at `addr`.
pub fn mirror_specs(addr: SocketAddr) -> Vec<String> {
    hosts()
        .into_iter()
        .map(|host| format!("https://{host}=http://{addr}/{host}"))
        .collect()
}

/// The default crawl configuration, sent to the bundled mirror at `addr`
/// with no delay of our own (robots.txt Crawl-delay still applies).
pub fn crawl_config(addr: SocketAddr) -> crawler::Result<crawler::CrawlConfig> {
    let mirrors = mirror_specs(addr)
        .iter()
        .map(|spec| crawler::Mirror::parse(spec))
        .collect::<crawler::Result<_>>()?;
    Ok(crawler::CrawlConfig {
        mirrors,
        delay: std::time::Duration::ZERO,
        ..Default::default()
    })
}

/// Which site and page a request to the mirror asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MirrorRequest {
    pub host: String,
    pub path: String,
    pub query: Option<String>,
}

impl MirrorRequest {
    /// `/<host>/<path>` when the first segment is a mirrored host, else
    /// `/<path>` on the host named by the `Host` header.
    pub fn parse(headers: &HeaderMap, uri: &axum::http::Uri) -> MirrorRequest {
        let path = uri.path();
        let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
        let (host, path) = if SITE.get_dir(first).is_some() {
            (first.to_owned(), &path[1 + first.len()..])
        } else {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(|h| h.split(':').next().unwrap_or(h).to_owned())
                .unwrap_or_default();
            (host, path)
        };
        let path = if path.is_empty() { "/" } else { path };
        MirrorRequest {
            host,
            path: path.to_owned(),
            query: uri.query().map(str::to_owned),
        }
    }

    /// `host/path?query`, as the request log records it.
    pub fn key(&self) -> String {
        match &self.query {
            Some(q) => format!("{}{}?{q}", self.host, self.path),
            None => format!("{}{}", self.host, self.path),
        }
    }
}

async fn serve_file(State(log): State<RequestLog>, headers: HeaderMap, request: Request) -> Response {
    let wanted = MirrorRequest::parse(&headers, request.uri());
    log.push(wanted.key());
    respond(&wanted, &headers)
}

/// The mirror's answer: the file, with an `ETag` (and 304 to a matching
/// `If-None-Match`, as the real Drupal sites do, so recrawls can be
/// conditional), or 404.
pub fn respond(wanted: &MirrorRequest, headers: &HeaderMap) -> Response {
    let Some(file) = file_for(&wanted.host, &wanted.path, wanted.query.as_deref()) else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<h1>Page not found</h1>",
        )
            .into_response();
    };
    let etag = etag(file.contents());
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let content_type = content_type(file.path().to_str().unwrap_or_default());
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::ETAG, etag),
        ],
        Body::from(file.contents()),
    )
        .into_response()
}

fn file_for(host: &str, path: &str, query: Option<&str>) -> Option<&'static include_dir::File<'static>> {
    let decoded = percent_decode(path)?;
    let relative = decoded.trim_matches('/');
    if relative.split('/').any(|segment| segment == "..") {
        return None;
    }
    let last = relative.rsplit('/').next().unwrap_or_default();
    let name = if relative.is_empty() {
        "index.html".to_owned()
    } else if last.contains('.') && query.is_none() {
        relative.to_owned()
    } else {
        match query {
            Some(q) => format!("{relative}__{q}.html"),
            None => format!("{relative}.html"),
        }
    };
    SITE.get_file(format!("{host}/{name}"))
}

fn percent_decode(path: &str) -> Option<String> {
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// The `ETag` the mirror gives a body (also used by tests that script pages).
pub fn etag(contents: &[u8]) -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    contents.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    }
}
