//! A small load generator for the search API: sends a fixed list of
//! searches to a running server, a bounded number of times, and prints
//! latency percentiles. Loopback only.
//!
//! ```sh
//! cargo run --release -- demo &            # or: migrasearch serve
//! cargo run --release --example loadgen -- http://127.0.0.1:7700 2000 4
//! ```

use std::time::{Duration, Instant};

const QUERIES: &[&str] = &[
    "q=apatrides",
    "q=staatlozen",
    "q=accueil&source=fedasil",
    "theme=Return%20%26%20Readmission&year=2020",
    "q=asylum%20migration",
    "q=%22crise%20de%20l%27accueil%22",
    "q=CGVS",
    "q=labour%20migration&sort=date",
    "",
    "q=reception%20centres&language=en",
];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let base = args.next().unwrap_or_else(|| "http://127.0.0.1:7700".into());
    let requests: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1000);
    let concurrency: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1).max(1);
    let host = reqwest::Url::parse(&base)?
        .host_str()
        .unwrap_or_default()
        .to_owned();
    if !(host == "localhost" || host.starts_with("127.") || host == "[::1]") {
        return Err("loadgen only targets loopback addresses".into());
    }
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..concurrency {
        let (client, base) = (client.clone(), base.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            for i in (worker..requests).step_by(concurrency) {
                let url = format!("{base}/api/search?{}", QUERIES[i % QUERIES.len()]);
                let sent = Instant::now();
                let response = client.get(&url).send().await?;
                let status = response.status();
                response.bytes().await?;
                if !status.is_success() {
                    return Err(format!("{url}: {status}").into());
                }
                latencies.push(sent.elapsed());
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(latencies)
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for worker in workers {
        latencies.extend(worker.await?.map_err(|e| e.to_string())?);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} requests, concurrency {concurrency}, {:.0} req/s; latency ms: p50 {:.2}, p90 {:.2}, p99 {:.2}, max {:.2}",
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        ms(at(0.5)),
        ms(at(0.9)),
        ms(at(0.99)),
        ms(at(1.0)),
    );
    Ok(())
}
