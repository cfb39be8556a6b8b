//! The benchmark of the repository: a deterministic synthetic corpus,
//! imported and served by the real binary, measured over HTTP, against a
//! plain tantivy index of the same documents as the floor.
//!
//! ```sh
//! cargo build --release --bin migrasearch
//! cargo run --release --example bench -- --docs 10000 [--out DIR] [--queries 300] [--seed 1]
//! ```
//!
//! Steps: write `DIR/corpus-N.jsonl` (reused when N and seed match), run
//! `migrasearch import` into `DIR/data-N`, build the plain index in
//! `DIR/plain-N` and time the query mix on it, start `migrasearch serve`,
//! time the same mix over HTTP (one client, then several), then once per
//! feature switched off. The markdown report goes to stdout and
//! `DIR/results-N.md`. Every loop is a fixed number of requests, only
//! 127.0.0.1 is contacted, and the server is killed at the end.

#[path = "bench/corpus.rs"]
mod corpus;
#[path = "bench/http.rs"]
mod http;
#[path = "bench/plain.rs"]
mod plain;
#[path = "bench/process.rs"]
mod process;
#[path = "bench/queries.rs"]
mod queries;
#[path = "bench/report.rs"]
mod report;
#[path = "bench/rng.rs"]
mod rng;
#[path = "bench/vocab.rs"]
mod vocab;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Parser;

use queries::{KINDS, Query};
use report::{KindRow, Results, Stats};

/// Benchmark import and search on a synthetic corpus.
#[derive(Parser)]
struct Args {
    /// Number of documents in the corpus.
    #[arg(long, default_value_t = 10_000)]
    docs: usize,
    /// Directory for the corpus, the indexes, logs and the report.
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
    /// Number of queries in the mix.
    #[arg(long, default_value_t = 300)]
    queries: usize,
    /// Seed of the corpus and of the query mix.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The migrasearch binary (default: target/release/migrasearch beside
    /// this example).
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Keep DIR/data-N from an earlier run instead of importing again.
    #[arg(long)]
    reuse_index: bool,
}

/// Concurrent clients of the throughput run.
const CLIENTS: usize = 4;
/// Passes of the mix per variant of the feature table.
const FEATURE_ROUNDS: usize = 3;
/// Repetitions of the match-everything search.
const MATCH_ALL_TIMES: usize = 50;
/// The feature switches, each turned off alone.
const SWITCHES: &[(&str, (&str, &str))] = &[
    ("`fuzzy=false` (typo tolerance)", ("fuzzy", "false")),
    ("`expand=false` (thesaurus expansion)", ("expand", "false")),
    ("`decompound=false`", ("decompound", "false")),
    ("`collapse=false` (translations)", ("collapse", "false")),
    ("`disjunctive=false` (facets)", ("disjunctive", "false")),
    ("`snippets=0`", ("snippets", "0")),
];

fn main() -> Result<()> {
    let args = Args::parse();
    let machine = report::machine();
    std::fs::create_dir_all(&args.out)?;
    let bin = match &args.bin {
        Some(bin) => bin.clone(),
        None => process::default_binary()?,
    };
    anyhow::ensure!(
        bin.exists(),
        "{} not found: cargo build --release --bin migrasearch",
        bin.display()
    );
    let n = args.docs;

    let vocabs = vocab::build();
    eprintln!("corpus: {n} documents, seed {}", args.seed);
    let corpus = corpus::ensure(&args.out, n, args.seed, &vocabs)?;
    let mix = queries::mix(args.queries, args.seed, &vocabs);

    let data = args.out.join(format!("data-{n}"));
    let import = if args.reuse_index && data.exists() {
        None
    } else {
        if data.exists() {
            std::fs::remove_dir_all(&data)?;
        }
        eprintln!("import into {}", data.display());
        let log = args.out.join(format!("import-{n}.log"));
        let imported = process::import(&bin, &data, &corpus.path, &log)?;
        Some((imported.seconds, imported.peak_rss_kib))
    };
    let index_bytes = process::disk_usage(&data.join("index"))?;

    eprintln!("plain tantivy floor");
    let docs = corpus::read(&corpus.path)?;
    let plain_dir = args.out.join(format!("plain-{n}"));
    let (plain, built) = plain::build(&plain_dir, &docs)?;
    drop(docs);
    plain_pass(&plain, &mix)?; // warm-up: the OS cache and tantivy's readers
    let plain_samples = plain_pass(&plain, &mix)?;
    let everything = Query {
        kind: queries::Kind::FiltersOnly,
        lang: "",
        q: String::new(),
        filters: Vec::new(),
    };
    let match_all_plain: Vec<Duration> = (0..MATCH_ALL_TIMES)
        .map(|_| plain.search(&everything).map(|(d, _)| d))
        .collect::<tantivy::Result<_>>()?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(CLIENTS)
        .enable_all()
        .build()?;
    let served = runtime.block_on(measure_http(&bin, &data, &args.out, n, &mix))?;

    let plain_latencies: Vec<Duration> = plain_samples.iter().map(|s| s.0).collect();
    let kinds = KINDS
        .iter()
        .map(|(kind, label, _)| {
            let of_kind: Vec<usize> = (0..mix.len()).filter(|&i| mix[i].kind == *kind).collect();
            let p50 = |latency: &dyn Fn(usize) -> Duration| {
                Stats::of(&of_kind.iter().map(|&i| latency(i)).collect::<Vec<_>>()).p50
            };
            KindRow {
                label,
                queries: of_kind.len(),
                http_p50: p50(&|i| served.samples[i].latency),
                plain_p50: p50(&|i| plain_samples[i].0),
                http_hits: report::median(
                    &of_kind
                        .iter()
                        .map(|&i| served.samples[i].total)
                        .collect::<Vec<_>>(),
                ),
                plain_hits: report::median(
                    &of_kind
                        .iter()
                        .map(|&i| plain_samples[i].1 as u64)
                        .collect::<Vec<_>>(),
                ),
            }
        })
        .filter(|row| row.queries > 0)
        .collect();
    let filtered = mix.iter().filter(|q| !q.filters.is_empty()).count();
    let langs = vocab::LANGS
        .iter()
        .map(|(lang, _)| format!("{} {lang}", mix.iter().filter(|q| q.lang == *lang).count()))
        .collect::<Vec<_>>()
        .join(", ");
    let mix_text = KINDS
        .iter()
        .map(|(kind, label, _)| {
            let count = mix.iter().filter(|q| q.kind == *kind).count();
            format!("{count} {label}")
        })
        .collect::<Vec<_>>()
        .join(", ")
        + &format!("; {langs}; {filtered} with theme/year/language filters; `per_page=10`");

    let results = Results {
        date: chrono::Utc::now().format("%Y-%m-%d").to_string(),
        machine,
        commit: git_head(),
        docs: n,
        seed: args.seed,
        mix: mix_text,
        corpus_bytes: corpus.bytes,
        generated_in: corpus.generated_in,
        import,
        index_bytes,
        served_documents: served.documents,
        plain_build_seconds: built.seconds,
        plain_bytes: process::disk_usage(&plain_dir)?,
        http: Stats::of(&served.samples.iter().map(|s| s.latency).collect::<Vec<_>>()),
        plain: Stats::of(&plain_latencies),
        http_totals: served.samples.iter().map(|s| s.total).collect(),
        plain_totals: plain_samples.iter().map(|s| s.1 as u64).collect(),
        kinds,
        clients: CLIENTS,
        concurrent: Stats::of(&served.concurrent),
        throughput: served.concurrent.len() as f64 / served.concurrent_wall.as_secs_f64(),
        match_all_http: Stats::of(&served.match_all),
        match_all_plain: Stats::of(&match_all_plain),
        server_peak_kib: served.peak_rss_kib,
        feature_rounds: FEATURE_ROUNDS,
        features: served.features,
    };
    let text = report::markdown(&results);
    println!("{text}");
    let path = args.out.join(format!("results-{n}.md"));
    std::fs::write(&path, &text).with_context(|| format!("write {}", path.display()))?;
    eprintln!("report written to {}", path.display());
    Ok(())
}

fn plain_pass(plain: &plain::Plain, mix: &[Query]) -> Result<Vec<(Duration, usize)>> {
    Ok(mix
        .iter()
        .map(|q| plain.search(q))
        .collect::<tantivy::Result<_>>()?)
}

/// What the HTTP phase measured.
struct Served {
    documents: u64,
    samples: Vec<http::Sample>,
    concurrent: Vec<Duration>,
    concurrent_wall: Duration,
    match_all: Vec<Duration>,
    peak_rss_kib: u64,
    features: Vec<(&'static str, Option<Duration>)>,
}

async fn measure_http(bin: &Path, data: &Path, out: &Path, n: usize, mix: &[Query]) -> Result<Served> {
    let log = out.join(format!("serve-{n}.log"));
    // The guard kills the server when this function returns, error or not.
    let (mut server, base) = process::serve(bin, data, &log)?;
    let client = http::Client::new(&base)?;
    let documents = client.wait_healthy(&mut server, Duration::from_secs(120)).await?;
    eprintln!("server up at {base} with {documents} documents; warm-up pass");
    client.pass(mix, &[]).await?;
    eprintln!("one client");
    let samples = client.pass(mix, &[]).await?.context("plain pass rejected")?;
    eprintln!("{CLIENTS} clients");
    let (concurrent, concurrent_wall) = client.concurrent(mix, CLIENTS, 2 * mix.len()).await?;
    let match_all = client.match_all(MATCH_ALL_TIMES).await?;
    let features = feature_table(&client, mix).await?;
    let peak_rss_kib = process::peak_rss_kib(server.pid()).unwrap_or(0);
    Ok(Served {
        documents,
        samples,
        concurrent,
        concurrent_wall,
        match_all,
        peak_rss_kib,
        features,
    })
}

/// The p50 with every feature on and with each switched off alone. The
/// variants take turns, pass after pass, so that other load on the machine
/// weighs on all of them alike rather than on whichever ran during it.
async fn feature_table(
    client: &http::Client,
    mix: &[Query],
) -> Result<Vec<(&'static str, Option<Duration>)>> {
    let mut variants: Vec<(&'static str, Vec<(&str, &str)>)> = vec![("every feature on", vec![])];
    variants.extend(SWITCHES.iter().map(|(label, switch)| (*label, vec![*switch])));
    let mut latencies: Vec<Option<Vec<Duration>>> = vec![Some(Vec::new()); variants.len()];
    for round in 1..=FEATURE_ROUNDS {
        eprintln!("feature switches, round {round} of {FEATURE_ROUNDS}");
        for ((_, extra), slot) in variants.iter().zip(latencies.iter_mut()) {
            let Some(collected) = slot.as_mut() else {
                continue;
            };
            match client.pass(mix, extra).await? {
                Some(samples) => collected.extend(samples.iter().map(|s| s.latency)),
                // The server does not know this switch: "n/a" in the table.
                None => *slot = None,
            }
        }
    }
    Ok(variants
        .iter()
        .zip(latencies)
        .map(|((label, _), l)| (*label, l.map(|l| Stats::of(&l).p50)))
        .collect())
}

/// The commit measured, for the report.
fn git_head() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| format!("`{}`", String::from_utf8_lossy(&o.stdout).trim()))
        .unwrap_or_else(|| "an unknown commit".to_owned())
}
