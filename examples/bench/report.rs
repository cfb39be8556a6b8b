//! Percentiles and the markdown report, written to be pasted into
//! BENCHMARKS.md as it is.

use std::fmt::Write as _;
use std::time::Duration;

/// Latency percentiles of one set of requests (nearest rank).
#[derive(Clone, Copy)]
pub struct Stats {
    pub n: usize,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
}

impl Stats {
    pub fn of(latencies: &[Duration]) -> Stats {
        let mut sorted = latencies.to_vec();
        sorted.sort();
        let at = |p: f64| {
            let rank = (p * sorted.len() as f64).ceil() as usize;
            sorted[rank.clamp(1, sorted.len()) - 1]
        };
        Stats {
            n: sorted.len(),
            p50: at(0.50),
            p95: at(0.95),
            p99: at(0.99),
            max: at(1.0),
        }
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

pub fn median(values: &[u64]) -> u64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or(0)
}

/// The queries of one kind, over HTTP and on the floor.
pub struct KindRow {
    pub label: &'static str,
    pub queries: usize,
    pub http_p50: Duration,
    pub plain_p50: Duration,
    /// Median `total` over HTTP and median count on the floor.
    pub http_hits: u64,
    pub plain_hits: u64,
}

/// Everything one run measured.
pub struct Results {
    pub date: String,
    pub machine: String,
    pub commit: String,
    pub docs: usize,
    pub seed: u64,
    pub mix: String,
    pub corpus_bytes: u64,
    pub generated_in: Option<f64>,
    /// Wall seconds and peak RSS (KiB) of the import; `None` when reused.
    pub import: Option<(f64, u64)>,
    pub index_bytes: u64,
    pub served_documents: u64,
    pub plain_build_seconds: f64,
    pub plain_bytes: u64,
    pub http: Stats,
    pub plain: Stats,
    pub http_totals: Vec<u64>,
    pub plain_totals: Vec<u64>,
    pub kinds: Vec<KindRow>,
    pub clients: usize,
    pub concurrent: Stats,
    pub throughput: f64,
    pub match_all_http: Stats,
    pub match_all_plain: Stats,
    pub server_peak_kib: u64,
    /// Passes of the mix per variant of the feature table.
    pub feature_rounds: usize,
    /// Label and p50, `None` when the server has no such switch.
    pub features: Vec<(&'static str, Option<Duration>)>,
}

pub fn markdown(r: &Results) -> String {
    let mut out = String::new();
    let docs = r.docs;
    let _ = writeln!(out, "### {docs} synthetic documents ({})\n", r.date);
    let _ = writeln!(
        out,
        "`cargo run --release --example bench -- --docs {docs} --seed {}` at {}; {}.\n\
         Mix of {} queries: {}.\n",
        r.seed, r.commit, r.machine, r.http.n, r.mix
    );

    let _ = writeln!(out, "| corpus and import | |\n|---|---|");
    let generated = r
        .generated_in
        .map_or("reused".to_owned(), |s| format!("{s:.1} s"));
    let _ = writeln!(
        out,
        "| JSONL | {} (generated: {generated}) |",
        mib(r.corpus_bytes)
    );
    match r.import {
        Some((seconds, peak)) => {
            let _ = writeln!(
                out,
                "| import | {seconds:.1} s, {:.0} documents/s, peak RSS {} |",
                docs as f64 / seconds,
                mib(peak * 1024)
            );
        }
        None => {
            let _ = writeln!(out, "| import | not run (index reused) |");
        }
    }
    let _ = writeln!(
        out,
        "| index on disk | {} ({:.2} × the JSONL); {} documents served |",
        mib(r.index_bytes),
        r.index_bytes as f64 / r.corpus_bytes as f64,
        r.served_documents
    );
    let _ = writeln!(
        out,
        "| plain tantivy index | {} ({:.2} × the JSONL), built in {:.1} s ({:.0} documents/s) |",
        mib(r.plain_bytes),
        r.plain_bytes as f64 / r.corpus_bytes as f64,
        r.plain_build_seconds,
        docs as f64 / r.plain_build_seconds
    );

    let _ = writeln!(
        out,
        "\n| search (top 10) | p50 | p95 | p99 | max |\n|---|---|---|---|---|"
    );
    let row = |out: &mut String, label: &str, s: &Stats| {
        let _ = writeln!(
            out,
            "| {label} | {} | {} | {} | {} |",
            ms(s.p50),
            ms(s.p95),
            ms(s.p99),
            ms(s.max)
        );
    };
    row(&mut out, "HTTP, 1 client, all facets", &r.http);
    row(
        &mut out,
        &format!("HTTP, {} clients ({:.0} req/s)", r.clients, r.throughput),
        &r.concurrent,
    );
    row(&mut out, "plain tantivy, in process (floor)", &r.plain);
    row(&mut out, "HTTP, `q=` empty (match everything)", &r.match_all_http);
    row(&mut out, "plain tantivy, match everything", &r.match_all_plain);
    let _ = writeln!(
        out,
        "\nHTTP p50 / floor p50: **{:.1} ×**. Server peak RSS {}. Median hits per query: {} over \
         HTTP (expansion and typo tolerance find more), {} plain.",
        r.http.p50.as_secs_f64() / r.plain.p50.as_secs_f64(),
        mib(r.server_peak_kib * 1024),
        median(&r.http_totals),
        median(&r.plain_totals)
    );

    let _ = writeln!(
        out,
        "\n| query kind | queries | HTTP p50 | plain p50 | ratio | median hits HTTP / plain |\n\
         |---|---|---|---|---|---|"
    );
    for row in &r.kinds {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.0} × | {} / {} |",
            row.label,
            row.queries,
            ms(row.http_p50),
            ms(row.plain_p50),
            row.http_p50.as_secs_f64() / row.plain_p50.as_secs_f64(),
            row.http_hits,
            row.plain_hits
        );
    }

    let _ = writeln!(
        out,
        "\n| HTTP, 1 client, variants in turn, {} passes each | p50 | vs all on |\n|---|---|---|",
        r.feature_rounds
    );
    // Against the table's own first row, measured in the same rounds.
    let all_on = r.features.first().and_then(|f| f.1).unwrap_or(r.http.p50);
    for (label, p50) in &r.features {
        match p50 {
            Some(p50) => {
                let _ = writeln!(
                    out,
                    "| {label} | {} | {:+.0} % |",
                    ms(*p50),
                    (p50.as_secs_f64() / all_on.as_secs_f64() - 1.0) * 100.0
                );
            }
            None => {
                let _ = writeln!(out, "| {label} | n/a | |");
            }
        }
    }
    out
}

/// Cores, CPU model and load of the running machine.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("model name"))?;
            Some(line.split_once(':')?.1.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    // Other work on the machine skews every figure; say how busy it was.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    format!("{cores} cores (nproc), {cpu}, load average {load} at the start")
}
