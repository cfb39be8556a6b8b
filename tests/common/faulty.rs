//! A misbehaving copy of the bundled mirror, for the crawler's fault tests.
//!
//! It answers like `migrasearch::mirror` except where a test scripts a rule
//! for one `host/path?query` (an error status, a slow-down, a redirect, a
//! body that never ends or never stops, bytes in another charset), and it
//! logs every request with its arrival time, so tests can check what was
//! asked, how often and how politely.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use crawler::{CrawlConfig, Mirror};
use migrasearch::mirror::{self, MirrorRequest};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How the server answers one path instead of the mirror.
#[derive(Debug, Clone)]
pub enum Rule {
    /// 200 `text/html; charset=utf-8` with an ETag of the content; 304 to a
    /// matching `If-None-Match`.
    Html(String),
    /// 200 with exactly these bytes and this `Content-Type`.
    Bytes { content_type: String, body: Vec<u8> },
    /// This status, with a short HTML body.
    Status(u16),
    /// This status and `Retry-After: <seconds>`.
    StatusWithRetryAfter(u16, u64),
    /// 301 to this path of the same site.
    Redirect(String),
    /// 200 and headers at once, then a body that never ends.
    Hang,
    /// 200 with a streamed body of this many bytes and no `Content-Length`.
    Huge(usize),
    /// The inner rule for the next request only, then the mirror's answer.
    Once(Box<Rule>),
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Logged {
    pub at: Instant,
    /// `host/path?query`, as [`MirrorRequest::key`] spells it.
    pub key: String,
    pub if_none_match: Option<String>,
    /// The status answered (bodies of `Hang` and `Huge` may still be streaming).
    pub status: u16,
}

struct Shared {
    rules: Mutex<HashMap<String, Rule>>,
    log: Mutex<Vec<Logged>>,
    /// Where endless and huge bodies come from (see [`spawn_drip`]).
    drip: SocketAddr,
}

/// The server; it stops when dropped.
pub struct Faulty {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl Faulty {
    /// Serves on a free loopback port in the current tokio runtime.
    pub async fn start() -> Faulty {
        let (drip, drip_task) = spawn_drip().await;
        let shared = Arc::new(Shared {
            rules: Mutex::default(),
            log: Mutex::default(),
            drip,
        });
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind faulty mirror");
        let addr = listener.local_addr().expect("faulty mirror address");
        let app = Router::new().fallback(answer).with_state(shared.clone());
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("faulty mirror stopped");
        });
        Faulty {
            addr,
            shared,
            tasks: vec![drip_task, server],
        }
    }

    /// Answers `key` (`host/path?query`) by `rule` from now on.
    pub fn set(&self, key: &str, rule: Rule) {
        lock(&self.shared.rules).insert(key.to_owned(), rule);
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<Logged> {
        lock(&self.shared.log).clone()
    }

    /// The default crawl configuration sent to this server for every host
    /// of the bundled mirror: no delay of our own, a 2 s timeout.
    pub fn mirror_config(&self) -> CrawlConfig {
        let mirrors = mirror::mirror_specs(self.addr)
            .iter()
            .map(|spec| Mirror::parse(spec).expect("mirror spec"))
            .collect();
        CrawlConfig {
            mirrors,
            delay: Duration::ZERO,
            timeout: Duration::from_secs(2),
            ..CrawlConfig::default()
        }
    }
}

impl Drop for Faulty {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// `config` with only the sources named (each must exist).
pub fn only(mut config: CrawlConfig, ids: &[&str]) -> CrawlConfig {
    for id in ids {
        assert!(config.sources.iter().any(|s| s.id == *id), "no source {id}");
    }
    config.sources.retain(|s| ids.contains(&s.id.as_str()));
    config
}

/// Mutex poisoning only follows a panic elsewhere in the test; keep going.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn answer(State(shared): State<Arc<Shared>>, headers: HeaderMap, uri: Uri) -> Response {
    let at = Instant::now();
    let wanted = MirrorRequest::parse(&headers, &uri);
    let key = wanted.key();
    let rule = {
        let mut rules = lock(&shared.rules);
        match rules.get(&key) {
            Some(Rule::Once(_)) => match rules.remove(&key) {
                Some(Rule::Once(inner)) => Some(*inner),
                other => other,
            },
            other => other.cloned(),
        }
    };
    let response = match rule {
        None => mirror::respond(&wanted, &headers),
        Some(rule) => apply(&shared, rule, &wanted, &headers, &uri).await,
    };
    lock(&shared.log).push(Logged {
        at,
        key,
        if_none_match: header_str(&headers, header::IF_NONE_MATCH),
        status: response.status().as_u16(),
    });
    response
}

async fn apply(
    shared: &Shared,
    mut rule: Rule,
    wanted: &MirrorRequest,
    headers: &HeaderMap,
    uri: &Uri,
) -> Response {
    // `answer` takes one `Once` off; a nested one acts at once.
    while let Rule::Once(inner) = rule {
        rule = *inner;
    }
    match rule {
        Rule::Html(html) => {
            let etag = migrasearch::mirror::etag(html.as_bytes());
            if header_str(headers, header::IF_NONE_MATCH)
                .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
            {
                return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
            }
            (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                    (header::ETAG, etag),
                ],
                html,
            )
                .into_response()
        }
        Rule::Bytes { content_type, body } => ([(header::CONTENT_TYPE, content_type)], body).into_response(),
        Rule::Status(code) => (
            status(code),
            [(header::CONTENT_TYPE, "text/html")],
            format!("<h1>{code}</h1>"),
        )
            .into_response(),
        Rule::StatusWithRetryAfter(code, seconds) => (
            status(code),
            [(header::RETRY_AFTER, seconds.to_string())],
            format!("<h1>{code}</h1>"),
        )
            .into_response(),
        Rule::Redirect(path) => {
            // Keep the path-prefix form the request came in, so the crawler
            // maps the target back to the real site.
            let prefix = format!("/{}", wanted.host);
            let location = if uri.path().starts_with(&format!("{prefix}/")) {
                format!("{prefix}{path}")
            } else {
                path
            };
            (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response()
        }
        Rule::Hang => drip(shared, "/hang").await,
        Rule::Huge(bytes) => drip(shared, &format!("/huge/{bytes}")).await,
        Rule::Once(_) => unreachable!("unwrapped above"),
    }
}

fn status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).expect("a valid status code in the test")
}

fn header_str(headers: &HeaderMap, name: header::HeaderName) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// A streamed answer relayed from the drip socket. Tests can name neither
/// `futures_core::Stream` nor `http_body::Frame` (the root package does not
/// depend on them), but reqwest's body is an `http_body::Body` that axum
/// accepts, so a body that trickles forever or runs long is read from a
/// plain socket that writes it by hand.
async fn drip(shared: &Shared, path: &str) -> Response {
    match reqwest::get(format!("http://{}{path}", shared.drip)).await {
        Ok(upstream) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            Body::new(reqwest::Body::from(upstream)),
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("drip: {e}")).into_response(),
    }
}

/// A raw HTTP/1.1 responder: `/hang` sends headers and then nothing until
/// the reader goes away; `/huge/N` sends N bytes of filler and closes (no
/// `Content-Length`: the body ends with the connection).
async fn spawn_drip() -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind drip");
    let addr = listener.local_addr().expect("drip address");
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(drip_one(stream));
        }
    });
    (addr, task)
}

async fn drip_one(mut stream: TcpStream) {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let path = head.split(' ').nth(1).unwrap_or_default().to_owned();
    let start = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n\r\n";
    if stream.write_all(start.as_bytes()).await.is_err() {
        return;
    }
    if let Some(total) = path.strip_prefix("/huge/").and_then(|n| n.parse::<usize>().ok()) {
        let chunk = vec![b'x'; 64 * 1024];
        let mut sent = 0;
        while sent < total {
            let n = chunk.len().min(total - sent);
            // The reader stops early when the crawler gives up: so do we.
            if stream.write_all(&chunk[..n]).await.is_err() {
                return;
            }
            sent += n;
        }
        let _ = stream.shutdown().await;
    } else {
        // Hang: hold the connection open until the other side closes it.
        while let Ok(n) = stream.read(&mut buffer).await {
            if n == 0 {
                break;
            }
        }
    }
}
