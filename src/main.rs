//! The `migrasearch` command: parses arguments, starts logging, and calls
//! into the library.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use crawler::{CrawlConfig, Mirror};
use index::SearchIndex;
use migrasearch::api::export::snippet_text;
use migrasearch::data::DataDir;
use migrasearch::import::import;
use migrasearch::params::{self, SearchParams};
use migrasearch::pipeline::{RunSummary, crawl_into, reindex};
use migrasearch::{AppState, app, mirror};
use tracing_subscriber::EnvFilter;

/// Search engine for Belgian and EU migration and asylum policy publications.
#[derive(Parser)]
#[command(version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Crawl the bundled mirror of the sources, index it and serve search.
    ///
    /// A second run reuses the index in --data (pass --recrawl to rebuild it).
    Demo {
        /// Address to serve search on.
        #[arg(long, default_value = "127.0.0.1:7700")]
        addr: SocketAddr,
        #[command(flatten)]
        data: DataArgs,
        /// Crawl the mirror again even when the index has documents.
        #[arg(long)]
        recrawl: bool,
    },
    /// Crawl the sources (the real sites unless --mirror is given) into the index.
    Crawl(CrawlArgs),
    /// Serve the JSON API and the search page over an existing index.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:7700")]
        addr: SocketAddr,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Search the index from the command line.
    Search(SearchArgs),
    /// Rebuild the index from the archived responses, without network access
    /// (after a change in extraction or analysis).
    Reindex {
        #[command(flatten)]
        data: DataArgs,
        /// TOML file with the sources (their scope decides what is indexed).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Load documents from JSON Lines files, one document a line (see the
    /// README for the format), upserting by canonical URL.
    ///
    /// All or nothing: an invalid line stops the import, naming its file,
    /// line and field, and the index stays as it was (--skip-invalid imports
    /// the valid lines and reports the others).
    Import {
        #[command(flatten)]
        data: DataArgs,
        /// TOML file with the sources (a line's `source` must be one of their ids).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Import the valid lines, and report how many were skipped and why.
        #[arg(long)]
        skip_invalid: bool,
        /// JSON Lines files; `-` reads standard input; gzip (`.gz`) is read transparently.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Score search quality on the judged queries: nDCG@10 and recall@10 with
    /// every feature on (full) and off (baseline).
    Eval {
        /// Directory holding the index; crawled from the bundled mirror first
        /// when it has none (default: a temporary directory).
        #[arg(long, value_name = "DIR")]
        data: Option<PathBuf>,
        /// Judgments file (default: the bundled relevance/judgments.toml).
        #[arg(long, value_name = "FILE")]
        judgments: Option<PathBuf>,
        /// Print the reports, with every query's ranking, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Serve only the bundled mirror of the sources (for crawling it by hand).
    Mirror {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:7701")]
        addr: SocketAddr,
    },
}

#[derive(Args)]
struct DataArgs {
    /// Directory holding the index, the crawl state and the archive.
    #[arg(long = "data", default_value = "./data", value_name = "DIR")]
    dir: PathBuf,
}

#[derive(Args)]
struct CrawlArgs {
    #[command(flatten)]
    data: DataArgs,
    /// TOML file with [crawl] settings and [[source]] entries (replacing the built-in sources).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Fetch a real origin from another base URL, keeping real URLs in the index:
    /// `https://emnbelgium.be=http://127.0.0.1:8080`. Repeatable. When given,
    /// hosts without a mirror are not crawled.
    #[arg(long, value_name = "ORIGIN=TARGET")]
    mirror: Vec<String>,
    /// Least wait between two requests to one host, e.g. `1s`, `250ms`
    /// (default 1s for real sites, 0 for mirrors; robots.txt Crawl-delay can raise it).
    #[arg(long, value_name = "DURATION")]
    delay: Option<String>,
    /// Crawl only these sources (emn-belgium, fedasil, immigration-office, media4cohesion). Repeatable.
    #[arg(long, value_name = "ID")]
    source: Vec<String>,
    /// Extra start URL (of a configured source). Repeatable.
    #[arg(long, value_name = "URL")]
    start: Vec<String>,
    /// Stop after this many pages per source.
    #[arg(long, value_name = "N")]
    max_pages: Option<usize>,
    /// Visit every known page now, not only those due (listings daily, pages monthly).
    #[arg(long)]
    all: bool,
    /// List what would be fetched first (start URLs and pages due), fetch nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Args)]
struct SearchArgs {
    /// The query: words (all must match), "phrases", OR, -exclusions. Empty lists everything.
    #[arg(default_value = "")]
    query: String,
    #[command(flatten)]
    data: DataArgs,
    #[command(flatten)]
    facets: FacetArgs,
    /// Earliest date, YYYY-MM-DD.
    #[arg(long)]
    from: Option<String>,
    /// Latest date, YYYY-MM-DD.
    #[arg(long)]
    to: Option<String>,
    /// relevance (default) or date (newest first).
    #[arg(long)]
    sort: Option<String>,
    /// Page of results, from 1.
    #[arg(long)]
    page: Option<String>,
    /// Hits per page, 1 to 100.
    #[arg(long)]
    per_page: Option<String>,
    /// Print the JSON the API would return.
    #[arg(long)]
    json: bool,
    /// Search only the words typed, without the thesaurus terms of other languages.
    #[arg(long)]
    no_expand: bool,
    /// List translations (the French and Dutch versions of a session) apart
    /// instead of as one hit.
    #[arg(long)]
    no_collapse: bool,
    /// Language whose version a hit with translations shows first (fr, nl, en).
    #[arg(long)]
    lang: Option<String>,
    /// Snippets per hit, 0 to 3 (0: none, and no snippet work at all).
    #[arg(long)]
    snippets: Option<String>,
    /// Count every facet under every filter (conjunctive counts, one pass)
    /// instead of each selected facet without its own filter.
    #[arg(long)]
    conjunctive: bool,
}

/// One repeatable `--NAME` flag per facet of [`index::FACETS`].
struct FacetArgs(Vec<(&'static str, Vec<String>)>);

impl clap::FromArgMatches for FacetArgs {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let values = index::FACETS.iter().map(|facet| {
            let given = matches.get_many::<String>(facet.name).into_iter().flatten();
            (facet.name, given.cloned().collect())
        });
        Ok(FacetArgs(values.collect()))
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = FacetArgs::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for FacetArgs {
    fn augment_args(mut command: clap::Command) -> clap::Command {
        for facet in index::FACETS {
            let closed = params::closed_values(facet).map(|values| format!(" ({})", values.join(", ")));
            let arg = clap::Arg::new(facet.name)
                .long(facet.name)
                .aliases(facet.aliases.iter().copied())
                .value_name("VALUE")
                .action(clap::ArgAction::Append)
                .help(format!(
                    "Only this {}{}. Repeatable (OR).",
                    facet.description,
                    closed.unwrap_or_default()
                ));
            command = command.arg(arg);
        }
        command
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        FacetArgs::augment_args(command)
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,tantivy=warn,html5ever=error")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Demo { addr, data, recrawl } => demo(addr, &DataDir::new(data.dir), recrawl).await,
        Command::Crawl(args) => crawl(args).await,
        Command::Serve { addr, data } => serve(addr, &DataDir::new(data.dir)).await,
        Command::Search(args) => search(args).await,
        Command::Reindex { data, config } => {
            let started = Instant::now();
            let data = DataDir::new(data.dir);
            let indexed = reindex(&load_config(config.as_deref())?, &data)?;
            eprintln!(
                "reindexed {indexed} documents and passages from {} in {:.1} s",
                data.archive_dir().display(),
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Import {
            data,
            config,
            skip_invalid,
            files,
        } => {
            let config = load_config(config.as_deref())?;
            let summary = import(&config, &DataDir::new(data.dir), &files, skip_invalid)?;
            eprintln!("{}", summary.report());
            Ok(())
        }
        Command::Eval {
            data,
            judgments,
            json,
        } => {
            let args = migrasearch::eval::EvalArgs {
                data,
                judgments,
                json,
            };
            println!("{}", migrasearch::eval::run(&args).await?);
            Ok(())
        }
        Command::Mirror { addr } => {
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .with_context(|| format!("binding {addr}"))?;
            println!(
                "mirror of {} on http://{addr}/<host>/...",
                mirror::hosts().join(", ")
            );
            for spec in mirror::mirror_specs(addr) {
                println!("  --mirror {spec}");
            }
            mirror::serve(listener, mirror::RequestLog::default()).await?;
            Ok(())
        }
    }
}

async fn demo(addr: SocketAddr, data: &DataDir, recrawl: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    // Opened once here and handed to the server when reused as it is.
    let (index, documents) = match data.open_checked()? {
        Ok(index) => {
            let documents = index.num_docs();
            (Some(index), documents)
        }
        Err(_) => {
            eprintln!(
                "the index in {} was built by another version of migrasearch: rebuilding it from the archive",
                data.root().display()
            );
            let entries = reindex(&load_config(None)?, data)?;
            (None, u64::try_from(entries).unwrap_or(u64::MAX))
        }
    };
    let index = if documents == 0 || recrawl {
        // The crawl writes through its own handle; the server opens the result.
        drop(index);
        let mirror_addr = mirror::spawn(mirror::RequestLog::default())
            .await
            .context("starting the bundled mirror")?;
        eprintln!(
            "crawling the bundled mirror (served on http://{mirror_addr}) into {}",
            data.root().display()
        );
        let mut config = mirror::crawl_config(mirror_addr)?;
        if recrawl {
            // Everything again, conditionally: a demo of the incremental crawl.
            config.recrawl_listing = Duration::ZERO;
            config.recrawl_page = Duration::ZERO;
        }
        let summary = crawl_into(config, data).await?;
        print_summary(&summary);
        None
    } else {
        eprintln!(
            "reusing the index in {} ({documents} documents; --recrawl to crawl the mirror again)",
            data.root().display()
        );
        index
    };
    eprintln!("ready in {:.1} s", started.elapsed().as_secs_f64());
    let index = match index {
        Some(index) => index,
        None => data.open_index()?,
    };
    serve_index(addr, index, data).await
}

fn load_config(path: Option<&Path>) -> anyhow::Result<CrawlConfig> {
    match path {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            Ok(CrawlConfig::from_toml(&text).with_context(|| format!("in {}", path.display()))?)
        }
        None => Ok(CrawlConfig::default()),
    }
}

async fn crawl(args: CrawlArgs) -> anyhow::Result<()> {
    let mut config = load_config(args.config.as_deref())?;
    config.mirrors = args
        .mirror
        .iter()
        .map(|spec| Mirror::parse(spec))
        .collect::<Result<_, _>>()?;
    match &args.delay {
        Some(delay) => {
            config.delay = humantime::parse_duration(delay)
                .with_context(|| format!("--delay: `{delay}` is not a duration, try 1s or 250ms"))?;
        }
        // A local copy needs no protection; robots.txt Crawl-delay still applies.
        None if !config.mirrors.is_empty() => config.delay = Duration::ZERO,
        None => {}
    }
    if !args.source.is_empty() {
        let known: Vec<String> = config.sources.iter().map(|s| s.id.clone()).collect();
        if let Some(unknown) = args.source.iter().find(|id| !known.contains(id)) {
            bail!(
                "--source: unknown source `{unknown}`; known: {}",
                known.join(", ")
            );
        }
        config.sources.retain(|s| args.source.contains(&s.id));
    }
    if let Some(max) = args.max_pages {
        if max == 0 {
            bail!("--max-pages: must be at least 1");
        }
        config.sources.iter_mut().for_each(|s| s.max_pages = max);
    }
    if args.all {
        config.recrawl_listing = Duration::ZERO;
        config.recrawl_page = Duration::ZERO;
        for source in &mut config.sources {
            source.recrawl_listing = None;
            source.recrawl_page = None;
        }
    }
    for start in &args.start {
        let url = url::Url::parse(start).with_context(|| format!("--start: `{start}` is not a URL"))?;
        let source = config
            .sources
            .iter_mut()
            .find(|s| url.host_str().is_some_and(|h| s.hosts.iter().any(|sh| sh == h)))
            .with_context(|| format!("--start: `{start}` belongs to no configured source"))?;
        source.start_urls.push(url);
    }
    let data = DataDir::new(&args.data.dir);
    if args.dry_run {
        let state = crawler::state::CrawlState::open(&data.state_file())
            .with_context(|| format!("reading the crawl state {}", data.state_file().display()))?;
        let plan = crawler::crawl::plan(&config, &state);
        for url in &plan {
            match config.fetch_url(url) {
                Some(target) if target != *url => println!("{url}\t(via {target})"),
                _ => println!("{url}"),
            }
        }
        eprintln!(
            "{} URLs to fetch first ({} known to the crawl state); links found on them would follow",
            plan.len(),
            state.len()
        );
        return Ok(());
    }
    let summary = crawl_into(config, &data).await?;
    print_summary(&summary);
    Ok(())
}

fn print_summary(summary: &RunSummary) {
    let report = &summary.report;
    if summary.interrupted {
        eprintln!(
            "crawl interrupted: {} documents and {} passages indexed, {} removed, index holds {}; run the same command again to resume",
            summary.indexed, summary.passages, summary.removed, summary.total_documents
        );
        return;
    }
    let elapsed = report.elapsed.as_secs_f64();
    eprintln!(
        "crawl done in {elapsed:.1} s: {} requests ({} KiB), {} new, {} changed, {} unchanged, {} not modified, {} removed, {} listings, {} redirects, {} blocked by robots.txt, {} not due, {} duplicates; {} passages indexed; index holds {} documents and passages",
        report.fetched,
        report.bytes / 1024,
        report.new,
        report.changed,
        report.unchanged,
        report.not_modified,
        summary.removed,
        report.listings,
        report.redirects,
        report.robots_blocked,
        report.not_due,
        report.duplicates,
        summary.passages,
        summary.total_documents,
    );
    for (reason, count) in &report.failed {
        eprintln!("  failed: {count} × {reason}");
    }
    for (host, stats) in &report.hosts {
        eprintln!(
            "  {host}: {} fetched, {} not modified, {} failed, {} blocked, delay {:?}, {:.2} s in requests",
            stats.fetched,
            stats.not_modified,
            stats.failed,
            stats.robots_blocked,
            stats.delay,
            stats.busy.as_secs_f64()
        );
    }
}

async fn serve(addr: SocketAddr, data: &DataDir) -> anyhow::Result<()> {
    serve_index(addr, data.open_index()?, data).await
}

async fn serve_index(addr: SocketAddr, index: SearchIndex, data: &DataDir) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    let documents = index.num_docs();
    let bound = listener.local_addr().context("reading the bound address")?;
    println!("migrasearch: serving {documents} documents on http://{bound}");
    axum::serve(listener, app(AppState::new(index).with_data(data.clone())))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving")
}

async fn search(args: SearchArgs) -> anyhow::Result<()> {
    let mut params = SearchParams {
        q: Some(args.query.clone()),
        from: args.from,
        to: args.to,
        sort: args.sort,
        page: args.page,
        per_page: args.per_page,
        expand: args.no_expand.then(|| "false".to_owned()),
        fuzzy: None,
        decompound: None,
        collapse: args.no_collapse.then(|| "false".to_owned()),
        lang: args.lang,
        snippets: args.snippets,
        disjunctive: args.conjunctive.then(|| "false".to_owned()),
        ..SearchParams::default()
    };
    for (name, values) in args.facets.0 {
        params.facet(name, values);
    }
    let request = params.validate().map_err(|e| anyhow::anyhow!("--{}", e))?;
    let index = DataDir::new(&args.data.dir).open_index()?;
    let results = index.search(&request)?;
    if args.json {
        let body = serde_json::json!({
            "query": request.query, "total": results.total, "page": request.page,
            "per_page": request.per_page, "hits": results.hits, "facets": results.facets,
            "expansions": results.expansions,
        });
        println!("{}", serde_json::to_string_pretty(&body)?);
        return Ok(());
    }
    println!("{} results", results.total);
    for expansion in &results.expansions {
        println!(
            "  `{}` also searched as: {}",
            expansion.term,
            expansion.added.join(", ")
        );
    }
    for (rank, hit) in results.hits.iter().enumerate() {
        let date = hit
            .date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "undated".into());
        println!(
            "\n{}. {}",
            (request.page - 1) * request.per_page + rank + 1,
            hit.title
        );
        println!("   {} · {} · {} · {}", hit.url, date, hit.source, hit.doc_type);
        if let Some(passage) = &hit.passage {
            let parent = hit.parent.as_ref();
            let title = parent.and_then(|p| p.title.as_deref()).unwrap_or("");
            let slot = passage
                .slot
                .as_deref()
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            println!("   {}{slot} of: {title}", passage.kind);
        }
        if hit.versions.len() > 1 {
            let others: Vec<String> = hit
                .versions
                .iter()
                .skip(1)
                .map(|v| format!("{} {}", v.language.as_deref().unwrap_or("?"), v.url))
                .collect();
            println!("   also in: {}", others.join(" · "));
        }
        if !hit.themes.is_empty() {
            println!("   themes: {}", hit.themes.join(", "));
        }
        let snippet = hit
            .snippet
            .replace("<mark>", "\x1b[1m")
            .replace("</mark>", "\x1b[0m");
        // Snippets are HTML for the web; the terminal wants plain text.
        println!("   {}", snippet_text(&snippet));
    }
    Ok(())
}
