//! Prometheus metrics: requests by route template, method and status, a
//! latency histogram by route, the number of index entries and the time of
//! each source's last complete crawl. A small registry of our own: a few
//! counters do not need a metrics framework.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::blocking;
use crate::server::AppState;

/// Upper bounds of the latency buckets, in seconds: 1 ms to 10 s.
const BUCKETS: [f64; 13] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The label of requests that matched no route: raw paths would let any
/// client create series without end.
const UNMATCHED: &str = "unmatched";

#[derive(Debug, Default)]
struct Histogram {
    /// Observations at or below each bound (not cumulative; summed on output).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Debug, Default)]
struct Registry {
    requests: BTreeMap<(String, String, u16), u64>,
    durations: BTreeMap<String, Histogram>,
}

/// The request counters and latency histograms.
#[derive(Debug, Default)]
pub struct Metrics {
    registry: Mutex<Registry>,
}

impl Metrics {
    /// Counts one answered request.
    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let mut registry = self
            .registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *registry
            .requests
            .entry((route.to_owned(), method.to_owned(), status))
            .or_default() += 1;
        let histogram = registry.durations.entry(route.to_owned()).or_default();
        if let Some(slot) = BUCKETS.iter().position(|bound| seconds <= *bound) {
            histogram.buckets[slot] += 1;
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// The request metrics in the Prometheus text format.
    pub fn render(&self, out: &mut String) {
        let registry = self
            .registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        out.push_str(
            "# HELP http_requests_total HTTP requests answered, by route template, method and status.\n",
        );
        out.push_str("# TYPE http_requests_total counter\n");
        for ((route, method, status), count) in &registry.requests {
            let _ = writeln!(
                out,
                "http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {count}",
                label(route),
                label(method)
            );
        }
        out.push_str("# HELP http_request_duration_seconds Time to answer a request, until its headers.\n");
        out.push_str("# TYPE http_request_duration_seconds histogram\n");
        for (route, histogram) in &registry.durations {
            let route = label(route);
            let mut cumulative = 0;
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                cumulative += count;
                let _ = writeln!(
                    out,
                    "http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                histogram.count
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                histogram.sum
            );
            let _ = writeln!(
                out,
                "http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                histogram.count
            );
        }
    }
}

/// A label value escaped as the text format requires.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Times and counts every request under its route template.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED.to_owned(), |path| path.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let response = next.run(request).await;
    state.metrics.observe(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// Metrics in the Prometheus text format.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "service",
    responses((status = 200, description = "Prometheus text format 0.0.4: `http_requests_total`, `http_request_duration_seconds`, `migrasearch_documents`, `migrasearch_last_crawl_timestamp_seconds`",
        content_type = "text/plain"))
)]
pub async fn metrics(State(state): State<AppState>) -> Response {
    let mut out = String::new();
    state.metrics.render(&mut out);
    out.push_str("# HELP migrasearch_documents Entries in the index (documents and passages).\n");
    out.push_str("# TYPE migrasearch_documents gauge\n");
    let _ = writeln!(out, "migrasearch_documents {}", state.index.num_docs());
    let crawls = blocking({
        let state = state.clone();
        move || super::stats::last_crawls(&state)
    })
    .await
    .unwrap_or_default();
    out.push_str("# HELP migrasearch_last_crawl_timestamp_seconds When the last complete crawl of a source finished.\n");
    out.push_str("# TYPE migrasearch_last_crawl_timestamp_seconds gauge\n");
    for (source, record) in crawls {
        let _ = writeln!(
            out,
            "migrasearch_last_crawl_timestamp_seconds{{source=\"{}\"}} {}",
            label(&source),
            record.finished_at.timestamp()
        );
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histograms_are_cumulative() {
        let metrics = Metrics::default();
        metrics.observe("/api/search", "GET", 200, 0.0005);
        metrics.observe("/api/search", "GET", 200, 0.3);
        metrics.observe("/api/search", "GET", 400, 20.0);
        let mut out = String::new();
        metrics.render(&mut out);
        assert!(
            out.contains("http_requests_total{route=\"/api/search\",method=\"GET\",status=\"200\"} 2"),
            "{out}"
        );
        assert!(
            out.contains("http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.001\"} 1"),
            "{out}"
        );
        assert!(
            out.contains("http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.5\"} 2"),
            "{out}"
        );
        assert!(
            out.contains("http_request_duration_seconds_bucket{route=\"/api/search\",le=\"10\"} 2"),
            "{out}"
        );
        assert!(
            out.contains("http_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 3"),
            "{out}"
        );
        assert!(
            out.contains("http_request_duration_seconds_count{route=\"/api/search\"} 3"),
            "{out}"
        );
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
