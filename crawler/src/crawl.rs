//! The crawl scheduler: a frontier per host, one request at a time per host
//! with a polite delay between them, hosts in parallel.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tracing::{debug, info, warn};
use url::Url;

use crate::config::CrawlConfig;
use crate::document::Document;
use crate::error::Result;
use crate::extract::{self, HtmlPage};
use crate::fetch::{FetchError, Fetcher, decode_html};
use crate::robots::RobotsPolicy;
use crate::urls::canonicalize;

/// Redirect hops followed for robots.txt (pages' redirects go through the frontier).
const MAX_ROBOTS_REDIRECTS: usize = 5;

/// What a crawl did, for the person who ran it.
#[derive(Debug, Default, Serialize)]
pub struct CrawlReport {
    /// HTTP requests answered (robots.txt included).
    pub fetched: usize,
    /// Documents handed on for indexing.
    pub documents: usize,
    /// Listing pages followed but not indexed.
    pub listings: usize,
    pub redirects: usize,
    pub robots_blocked: usize,
    /// The same content already seen under another URL.
    pub duplicates: usize,
    /// Failures by reason (`http 404`, `timed out`, ...).
    pub failed: BTreeMap<String, usize>,
    pub hosts: BTreeMap<String, HostReport>,
    pub elapsed: Duration,
}

#[derive(Debug, Default, Serialize)]
pub struct HostReport {
    pub fetched: usize,
    pub failed: usize,
    pub robots_blocked: usize,
    /// The wait applied between two requests to this host.
    pub delay: Duration,
}

/// A URL waiting in a host's queue.
struct Queued {
    url: Url,
    source: usize,
    /// The page that linked a file, which lends it date and themes.
    parent: Option<Arc<Document>>,
}

enum RobotsState {
    Unknown,
    Ready(RobotsPolicy),
}

struct HostState {
    queue: VecDeque<Queued>,
    robots: RobotsState,
    next_at: Instant,
    busy: bool,
}

/// URLs to fetch, per host, and every URL ever queued in this crawl.
#[derive(Default)]
struct Frontier {
    hosts: BTreeMap<String, HostState>,
    seen: HashSet<String>,
}

impl Frontier {
    /// Queues a URL once per crawl, if a source has it in scope and it can be fetched.
    fn enqueue(
        &mut self,
        config: &CrawlConfig,
        aliases: &[(String, String)],
        url: &Url,
        parent: Option<Arc<Document>>,
    ) {
        let url = canonicalize(url, aliases);
        let Some(source) = config.sources.iter().position(|s| {
            url.host_str().is_some_and(|h| s.hosts.iter().any(|sh| sh == h)) && s.in_scope(&url)
        }) else {
            return;
        };
        if config.fetch_url(&url).is_none() || !self.seen.insert(url.to_string()) {
            return;
        }
        let host = url.host_str().unwrap_or_default().to_owned();
        self.hosts
            .entry(host)
            .or_insert_with(|| HostState {
                queue: VecDeque::new(),
                robots: RobotsState::Unknown,
                next_at: Instant::now(),
                busy: false,
            })
            .queue
            .push_back(Queued { url, source, parent });
    }
}

/// What a finished task brings back to the scheduler.
enum Outcome {
    Robots {
        host: String,
        policy: RobotsPolicy,
        requests: usize,
    },
    Page {
        item: Queued,
        result: std::result::Result<Page, FetchError>,
    },
}

enum Page {
    Redirect(Option<Url>),
    Html(Box<HtmlPage>),
    Pdf(Box<Document>),
    HttpError(u16),
    Unusable(String),
}

/// Crawls every source of `config`, sending each extracted document to `sink`.
pub async fn crawl(config: CrawlConfig, sink: mpsc::Sender<Document>) -> Result<CrawlReport> {
    let started = Instant::now();
    let config = Arc::new(config);
    let fetcher = Arc::new(Fetcher::new(&config)?);
    let aliases = config.host_aliases();
    let mut report = CrawlReport::default();
    let mut frontier = Frontier::default();
    let mut seen_content: HashMap<u64, String> = HashMap::new();
    let mut emitted: HashSet<String> = HashSet::new();
    let mut pages_per_source = vec![0usize; config.sources.len()];
    let mut tasks: JoinSet<Outcome> = JoinSet::new();

    for source in &config.sources {
        for start in &source.start_urls {
            frontier.enqueue(&config, &aliases, start, None);
        }
    }

    loop {
        let now = Instant::now();
        let mut next_wake: Option<Instant> = None;
        for (name, host) in frontier.hosts.iter_mut() {
            if host.busy || host.queue.is_empty() {
                continue;
            }
            if host.next_at > now {
                next_wake = Some(next_wake.map_or(host.next_at, |t| t.min(host.next_at)));
                continue;
            }
            match &host.robots {
                RobotsState::Unknown => {
                    let Some(first) = host.queue.front() else { continue };
                    let robots_url = first.url.join("/robots.txt").ok();
                    let (config, fetcher, name) = (config.clone(), fetcher.clone(), name.clone());
                    tasks.spawn(async move { fetch_robots(&config, &fetcher, name, robots_url).await });
                    host.busy = true;
                }
                RobotsState::Ready(policy) => {
                    while let Some(item) = host.queue.pop_front() {
                        let stats = report.hosts.entry(name.clone()).or_default();
                        if !policy.allowed(item.url.as_str()) {
                            debug!(url = %item.url, "blocked by robots.txt");
                            report.robots_blocked += 1;
                            stats.robots_blocked += 1;
                            continue;
                        }
                        if pages_per_source[item.source] >= config.sources[item.source].max_pages {
                            *report.failed.entry("over max_pages".into()).or_default() += 1;
                            continue;
                        }
                        pages_per_source[item.source] += 1;
                        let (config, fetcher) = (config.clone(), fetcher.clone());
                        tasks.spawn(async move {
                            let result = fetch_page(&config, &fetcher, &item).await;
                            Outcome::Page { item, result }
                        });
                        host.busy = true;
                        break;
                    }
                }
            }
        }

        let outcome = if tasks.is_empty() {
            match next_wake {
                Some(at) => {
                    tokio::time::sleep_until(at.into()).await;
                    continue;
                }
                None => break,
            }
        } else {
            let wake = next_wake.unwrap_or_else(|| now + Duration::from_secs(3600));
            tokio::select! {
                joined = tasks.join_next() => match joined {
                    Some(Ok(outcome)) => outcome,
                    Some(Err(e)) => {
                        // A task that panicked loses its page, never the crawl.
                        warn!(error = %e, "crawl task failed");
                        *report.failed.entry("internal error".into()).or_default() += 1;
                        for host in frontier.hosts.values_mut() { host.busy = false; }
                        continue;
                    }
                    None => continue,
                },
                _ = tokio::time::sleep_until(wake.into()) => continue,
            }
        };

        match outcome {
            Outcome::Robots {
                host: name,
                policy,
                requests,
            } => {
                report.fetched += requests;
                if let RobotsPolicy::DisallowAll { reason } = &policy {
                    warn!(host = %name, %reason, "robots.txt unavailable: host skipped");
                }
                let Some(host) = frontier.hosts.get_mut(&name) else {
                    continue;
                };
                let delay = host_delay(&config, &host.queue, &policy);
                report.hosts.entry(name.clone()).or_default().delay = delay;
                host.robots = RobotsState::Ready(policy);
                host.next_at = Instant::now() + delay;
                host.busy = false;
            }
            Outcome::Page { item, result } => {
                let name = item.url.host_str().unwrap_or_default().to_owned();
                if let Some(host) = frontier.hosts.get_mut(&name) {
                    host.busy = false;
                    host.next_at = Instant::now() + report.hosts.get(&name).map_or(config.delay, |h| h.delay);
                }
                let stats = report.hosts.entry(name.clone()).or_default();
                let page = match result {
                    Ok(page) => {
                        report.fetched += 1;
                        stats.fetched += 1;
                        page
                    }
                    Err(e) => {
                        warn!(url = %item.url, error = %e, "fetch failed");
                        stats.failed += 1;
                        *report.failed.entry(e.to_string()).or_default() += 1;
                        continue;
                    }
                };
                let source = &config.sources[item.source];
                match page {
                    Page::Redirect(Some(target)) => {
                        report.redirects += 1;
                        frontier.enqueue(&config, &aliases, &target, item.parent.clone());
                    }
                    Page::Redirect(None) => {
                        *report
                            .failed
                            .entry("redirect without location".into())
                            .or_default() += 1;
                    }
                    Page::HttpError(status) => {
                        debug!(url = %item.url, status, "http error");
                        report.hosts.entry(name).or_default().failed += 1;
                        *report.failed.entry(format!("http {status}")).or_default() += 1;
                    }
                    Page::Unusable(reason) => {
                        info!(url = %item.url, %reason, "skipped");
                        *report.failed.entry(reason).or_default() += 1;
                    }
                    Page::Html(page) => {
                        let HtmlPage {
                            mut document,
                            links,
                            canonical,
                            ..
                        } = *page;
                        if let Some(canonical) = canonical.map(|c| canonicalize(&c, &aliases)) {
                            // The page's own canonical link wins over the URL that led to it.
                            if canonical.host_str() == item.url.host_str() && source.in_scope(&canonical) {
                                frontier.seen.insert(canonical.to_string());
                                document.url = canonical.to_string();
                            }
                        }
                        let listing = source.is_listing(&item.url);
                        let parent = Arc::new(document.clone());
                        for link in &links {
                            let file = link.url.path().to_ascii_lowercase().ends_with(".pdf");
                            frontier.enqueue(&config, &aliases, &link.url, file.then(|| parent.clone()));
                        }
                        if listing {
                            report.listings += 1;
                            continue;
                        }
                        if emit(document, &mut emitted, &mut seen_content, &mut report, &sink)
                            .await
                            .is_err()
                        {
                            break;
                        }
                    }
                    Page::Pdf(document) => {
                        let mut document = *document;
                        if let Some(parent) = &item.parent {
                            inherit_from_parent(&mut document, parent);
                        }
                        if emit(document, &mut emitted, &mut seen_content, &mut report, &sink)
                            .await
                            .is_err()
                        {
                            break;
                        }
                    }
                }
            }
        }
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// A file (PDF) has the date and themes of the page that links it when it shows none itself.
fn inherit_from_parent(document: &mut Document, parent: &Document) {
    document.parent_url = Some(parent.url.clone());
    if document.date.is_none() {
        document.date = parent.date;
    }
    for theme in &parent.themes {
        if !document.themes.contains(theme) {
            document.themes.push(theme.clone());
        }
    }
    if document.doc_type == crate::DocType::Publication && parent.doc_type == crate::DocType::Event {
        document.doc_type = crate::DocType::Event;
    }
}

/// Hands a document on, once per URL and once per content.
async fn emit(
    document: Document,
    emitted: &mut HashSet<String>,
    seen_content: &mut HashMap<u64, String>,
    report: &mut CrawlReport,
    sink: &mpsc::Sender<Document>,
) -> std::result::Result<(), ()> {
    if !emitted.insert(document.url.clone()) {
        report.duplicates += 1;
        return Ok(());
    }
    let hash = xxhash_rust::xxh3::xxh3_64(format!("{}\n{}", document.title, document.text()).as_bytes());
    if let Some(first) = seen_content.get(&hash) {
        debug!(url = %document.url, %first, "same content as another URL");
        report.duplicates += 1;
        return Ok(());
    }
    seen_content.insert(hash, document.url.clone());
    report.documents += 1;
    debug!(url = %document.url, title = %document.title, "document");
    // The receiver only goes away when the indexer failed: stop crawling.
    sink.send(document).await.map_err(|_| ())
}

fn host_delay(config: &CrawlConfig, queue: &VecDeque<Queued>, policy: &RobotsPolicy) -> Duration {
    let configured = queue
        .front()
        .and_then(|item| config.sources[item.source].delay)
        .unwrap_or(config.delay);
    configured.max(policy.crawl_delay().unwrap_or_default())
}

async fn fetch_robots(config: &CrawlConfig, fetcher: &Fetcher, host: String, url: Option<Url>) -> Outcome {
    let mut url = match url {
        Some(url) => url,
        None => {
            return Outcome::Robots {
                host,
                policy: RobotsPolicy::AllowAll,
                requests: 0,
            };
        }
    };
    let mut requests = 0;
    for _ in 0..=MAX_ROBOTS_REDIRECTS {
        requests += 1;
        let policy = match fetcher.get(config, &url).await {
            Err(e) => RobotsPolicy::unreachable(format!("robots.txt: {e}")),
            Ok(answer) if (300..400).contains(&answer.status) => match answer.location {
                Some(next) => {
                    url = next;
                    continue;
                }
                None => RobotsPolicy::AllowAll,
            },
            Ok(answer) => RobotsPolicy::from_response(answer.status, &answer.body, &config.user_agent),
        };
        return Outcome::Robots {
            host,
            policy,
            requests,
        };
    }
    Outcome::Robots {
        host,
        policy: RobotsPolicy::unreachable("robots.txt: too many redirects"),
        requests,
    }
}

async fn fetch_page(
    config: &CrawlConfig,
    fetcher: &Fetcher,
    item: &Queued,
) -> std::result::Result<Page, FetchError> {
    let answer = fetcher.get(config, &item.url).await?;
    if (300..400).contains(&answer.status) {
        return Ok(Page::Redirect(answer.location));
    }
    if !(200..300).contains(&answer.status) {
        return Ok(Page::HttpError(answer.status));
    }
    if answer.body.is_empty() {
        return Ok(Page::Unusable("empty body".into()));
    }
    let content_type = answer.content_type.unwrap_or_default().to_ascii_lowercase();
    let url = item.url.clone();
    let source = config.sources[item.source].id.clone();
    let is_pdf = content_type.contains("pdf") || answer.body.starts_with(b"%PDF");
    // Extraction is CPU work: keep it off the async threads.
    let page = tokio::task::spawn_blocking(move || {
        if is_pdf {
            return match extract::extract_pdf(&url, &answer.body, &source) {
                Ok(document) => Page::Pdf(Box::new(document)),
                Err(e) => Page::Unusable(format!("pdf: {e}")),
            };
        }
        if !(content_type.is_empty() || content_type.contains("html") || content_type.contains("xml")) {
            return Page::Unusable(format!(
                "unsupported type {}",
                content_type.split(';').next().unwrap_or("")
            ));
        }
        if answer.body.iter().take(1024).filter(|b| **b == 0).count() > 8 {
            return Page::Unusable("binary body labelled as html".into());
        }
        let html = decode_html(&answer.body, Some(&content_type));
        Page::Html(Box::new(extract::extract_html(&url, &html, &source)))
    })
    .await
    .unwrap_or_else(|e| Page::Unusable(format!("extraction failed: {e}")));
    Ok(page)
}
