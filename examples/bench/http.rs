//! Load over HTTP against the real server: one keep-alive client walking
//! the mix in order, or several walking it concurrently for throughput.
//! Every loop sends a fixed number of requests; only loopback is allowed.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use reqwest::{StatusCode, Url};

use super::process::Guard;
use super::queries::Query;

/// A search's latency (request sent to body read) and the `total` it
/// reported.
pub struct Sample {
    pub latency: Duration,
    pub total: u64,
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
}

impl Client {
    pub fn new(base: &str) -> Result<Self> {
        let base = Url::parse(base)?;
        if base.host_str() != Some("127.0.0.1") {
            bail!("the benchmark only talks to 127.0.0.1");
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()?;
        Ok(Client { http, base })
    }

    /// Waits until the server answers `/healthz`; returns its document count.
    pub async fn wait_healthy(&self, server: &mut Guard, limit: Duration) -> Result<u64> {
        let started = Instant::now();
        let url = self.base.join("/healthz")?;
        while started.elapsed() < limit {
            if server.exited() {
                bail!("the server exited before answering /healthz");
            }
            if let Ok(response) = self.http.get(url.clone()).send().await
                && response.status().is_success()
            {
                let health: serde_json::Value = response.json().await?;
                return Ok(health["documents"].as_u64().unwrap_or(0));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("no answer from /healthz within {limit:?}")
    }

    /// One search; the body is read in full before the clock stops.
    async fn search(&self, params: &[(&str, String)]) -> Result<(Duration, StatusCode, Vec<u8>)> {
        let mut url = self.base.join("/api/search")?;
        url.query_pairs_mut().extend_pairs(params);
        let sent = Instant::now();
        let response = self.http.get(url).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        Ok((sent.elapsed(), status, body.to_vec()))
    }

    /// The mix once, in order, with `extra` parameters added to each query.
    /// `None` when the server rejects an extra parameter (400): a feature
    /// switch this build does not have.
    pub async fn pass(&self, queries: &[Query], extra: &[(&str, &str)]) -> Result<Option<Vec<Sample>>> {
        let mut samples = Vec::with_capacity(queries.len());
        for query in queries {
            let mut params = query.params();
            params.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
            let (latency, status, body) = self.search(&params).await?;
            if status == StatusCode::BAD_REQUEST && !extra.is_empty() {
                return Ok(None);
            }
            if !status.is_success() {
                bail!("{params:?}: {status}: {}", String::from_utf8_lossy(&body));
            }
            // Parsed after the clock stopped: client work is not latency.
            let parsed: serde_json::Value =
                serde_json::from_slice(&body).context("search response is not JSON")?;
            let total = parsed["total"].as_u64().unwrap_or(0);
            samples.push(Sample { latency, total });
        }
        Ok(Some(samples))
    }

    /// `requests` searches spread over `clients` concurrent keep-alive
    /// connections, each walking the mix from its own offset. Returns the
    /// latencies and the wall time.
    pub async fn concurrent(
        &self,
        queries: &[Query],
        clients: usize,
        requests: usize,
    ) -> Result<(Vec<Duration>, Duration)> {
        let params: Vec<_> = queries.iter().map(Query::params).collect();
        let params = std::sync::Arc::new(params);
        let started = Instant::now();
        let mut workers = Vec::new();
        for worker in 0..clients {
            // A client of its own each, so each holds its own connection.
            let client = Client::new(self.base.as_str())?;
            let params = params.clone();
            workers.push(tokio::spawn(async move {
                let offset = worker * params.len() / clients;
                let mut latencies = Vec::new();
                for i in (worker..requests).step_by(clients) {
                    let query = &params[(offset + i) % params.len()];
                    let (latency, status, _) = client.search(query).await?;
                    if !status.is_success() {
                        bail!("{query:?}: {status}");
                    }
                    latencies.push(latency);
                }
                Ok(latencies)
            }));
        }
        let mut latencies = Vec::with_capacity(requests);
        for worker in workers {
            latencies.extend(worker.await??);
        }
        Ok((latencies, started.elapsed()))
    }

    /// The search that matches everything (`q=` empty), `times` times.
    pub async fn match_all(&self, times: usize) -> Result<Vec<Duration>> {
        let params = [("q", String::new()), ("per_page", "10".to_owned())];
        let mut latencies = Vec::with_capacity(times);
        for _ in 0..times {
            let (latency, status, _) = self.search(&params).await?;
            if !status.is_success() {
                bail!("match-everything search: {status}");
            }
            latencies.push(latency);
        }
        Ok(latencies)
    }
}
