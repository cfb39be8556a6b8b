//! The crawl scheduler: a frontier per host, one request at a time per host
//! with a polite delay between them, hosts in parallel; conditional
//! recrawls driven by the state store; every response archived.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use serde::Serialize;
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use tracing::{debug, info, warn};
use url::Url;

use crate::archive::{ArchiveWriter, ArchivedResponse};
use crate::config::CrawlConfig;
use crate::document::Document;
use crate::error::Result;
use crate::extract::{self, HtmlPage};
use crate::fetch::{FetchError, Fetched, Fetcher, Validators, decode_html};
use crate::robots::RobotsPolicy;
use crate::sitemap::{Sitemap, parse_sitemap};
use crate::state::{CrawlState, RobotsCache, UrlState, failure_backoff};
use crate::urls::canonicalize;

/// Redirect hops followed for robots.txt (pages' redirects go through the frontier).
const MAX_ROBOTS_REDIRECTS: usize = 5;
/// Attempts at one URL within one crawl when the host says "slow down".
const MAX_SLOW_DOWN_RETRIES: u32 = 3;
/// A host that keeps saying "slow down" never makes us wait longer than this.
const MAX_HOST_DELAY: Duration = Duration::from_secs(60);
/// Answers in a row of 404/410 before a page's document is removed.
const GONE_AFTER: u32 = 2;

/// What the crawl tells its caller as it goes.
#[derive(Debug)]
pub enum CrawlEvent {
    /// A new or changed document to index.
    Document(Box<Document>),
    /// The page behind this document is gone: remove it from the index.
    Removed { document_url: String },
    /// One request answered (for progress display).
    Fetched { url: String, status: u16 },
}

/// What a crawl did, for the person who ran it.
#[derive(Debug, Default, Serialize)]
pub struct CrawlReport {
    /// HTTP requests answered (robots.txt included).
    pub fetched: usize,
    /// Bytes of response bodies received.
    pub bytes: u64,
    /// Answers 304: our copy is current.
    pub not_modified: usize,
    /// 200 answers whose extracted content did not change.
    pub unchanged: usize,
    /// Documents seen for the first time.
    pub new: usize,
    /// Documents whose content changed.
    pub changed: usize,
    /// Documents removed because their page is gone.
    pub removed: usize,
    /// Listing pages followed but not indexed.
    pub listings: usize,
    pub redirects: usize,
    pub robots_blocked: usize,
    /// Known pages not due for a visit yet.
    pub not_due: usize,
    /// The same content already seen under another URL.
    pub duplicates: usize,
    /// Failures by reason (`http 404`, `timed out`, ...).
    pub failed: BTreeMap<String, usize>,
    pub hosts: BTreeMap<String, HostReport>,
    pub elapsed: Duration,
}

impl CrawlReport {
    /// Documents handed on for indexing (new and changed).
    pub fn documents(&self) -> usize {
        self.new + self.changed
    }

    fn fail(&mut self, host: &str, reason: impl Into<String>) {
        *self.failed.entry(reason.into()).or_default() += 1;
        self.hosts.entry(host.to_owned()).or_default().failed += 1;
    }
}

#[derive(Debug, Default, Serialize)]
pub struct HostReport {
    pub fetched: usize,
    pub not_modified: usize,
    pub failed: usize,
    pub robots_blocked: usize,
    /// The wait applied between two requests to this host, at the end.
    pub delay: Duration,
    /// Time spent in requests to this host (fetch and extraction).
    pub busy: Duration,
}

/// A URL waiting in a host's queue.
struct Queued {
    url: Url,
    source: usize,
    /// The page that linked a file, which lends it date and themes.
    parent: Option<Arc<Document>>,
    /// What the last crawl learned of it.
    previous: Option<UrlState>,
    /// Times the host asked us to come back later, in this crawl.
    retries: u32,
    /// A sitemap named by robots.txt (or by a sitemap index), not a page.
    sitemap: bool,
}

enum RobotsState {
    Unknown,
    Ready(RobotsPolicy),
}

struct HostState {
    queue: VecDeque<Queued>,
    robots: RobotsState,
    next_at: Instant,
    delay: Duration,
    busy: bool,
}

/// URLs to fetch, per host, and every URL queued in this crawl.
struct Frontier {
    hosts: BTreeMap<String, HostState>,
    seen: HashSet<String>,
    /// `config.host_aliases()`, computed once: every link goes through it.
    aliases: Vec<(String, String)>,
}

impl Frontier {
    fn new(config: &CrawlConfig) -> Frontier {
        Frontier {
            hosts: BTreeMap::new(),
            seen: HashSet::new(),
            aliases: config.host_aliases(),
        }
    }

    /// Queues a URL once per crawl, if a source has it in scope, it can be
    /// fetched, and it is due (start URLs always are: they are how new
    /// items are found).
    fn enqueue(
        &mut self,
        config: &CrawlConfig,
        state: &mut CrawlState,
        url: &Url,
        parent: Option<Arc<Document>>,
        always_due: bool,
    ) -> Result<()> {
        let url = canonicalize(url, &self.aliases);
        let Some(source) = config.source_index(&url) else {
            return Ok(());
        };
        if config.fetch_url(&url).is_none() || !self.seen.insert(url.to_string()) {
            return Ok(());
        }
        let previous = state.get(url.as_str()).cloned();
        match &previous {
            // Counted once, at the start of the crawl.
            Some(known) if !always_due && !is_due(config, known, Utc::now()) => return Ok(()),
            Some(_) => {}
            // Remembered at once, so a crawl killed before reaching it resumes with it.
            None => state.record(UrlState::discovered(url.as_str()))?,
        }
        let host = url.host_str().unwrap_or_default().to_owned();
        self.hosts
            .entry(host)
            .or_insert_with(|| HostState {
                queue: VecDeque::new(),
                robots: RobotsState::Unknown,
                next_at: Instant::now(),
                delay: config.delay,
                busy: false,
            })
            .queue
            .push_back(Queued {
                url,
                source,
                parent,
                previous,
                retries: 0,
                sitemap: false,
            });
        Ok(())
    }

    /// Queues a sitemap of a host we crawl. Sitemaps are read whatever the
    /// scope patterns say (they list pages; each page is checked on its own).
    fn enqueue_sitemap(&mut self, config: &CrawlConfig, url: &Url, source: usize) {
        let Some(host) = url.host_str().map(str::to_owned) else {
            return;
        };
        let ours = config
            .sources
            .get(source)
            .is_some_and(|s| s.hosts.contains(&host));
        if !ours || config.fetch_url(url).is_none() || !self.seen.insert(url.to_string()) {
            return;
        }
        if let Some(state) = self.hosts.get_mut(&host) {
            let item = Queued {
                url: url.clone(),
                source,
                parent: None,
                previous: None,
                retries: 0,
                sitemap: true,
            };
            state.queue.push_back(item);
        }
    }
}

/// What a finished task brings back to the scheduler.
enum Outcome {
    Robots {
        host: String,
        policy: RobotsPolicy,
        cache: Option<RobotsCache>,
        requests: usize,
    },
    Page {
        item: Box<Queued>,
        result: std::result::Result<(Fetched, Page), FetchError>,
        took: Duration,
    },
}

pub(crate) enum Page {
    /// Nothing to extract (redirects, errors, 304).
    None,
    Sitemap(Option<Sitemap>),
    Html(Box<HtmlPage>),
    Pdf(Box<Document>),
    Unusable(String),
}

/// URLs the next crawl would request first: start URLs and known URLs that
/// are due, in scope and fetchable (`--dry-run`). Robots rules are checked
/// when the crawl fetches robots.txt, so blocked URLs can still be listed.
pub fn plan(config: &CrawlConfig, state: &CrawlState) -> Vec<Url> {
    let aliases = config.host_aliases();
    let now = Utc::now();
    let starts = config.sources.iter().flat_map(|s| s.start_urls.iter().cloned());
    let due = state
        .iter()
        .filter(|s| is_due(config, s, now))
        .filter_map(|s| Url::parse(&s.url).ok());
    let mut seen = HashSet::new();
    starts
        .chain(due)
        .map(|url| canonicalize(&url, &aliases))
        .filter(|url| config.source_for(url).is_some() && config.fetch_url(url).is_some())
        .filter(|url| seen.insert(url.to_string()))
        .collect()
}

/// Crawls every source of `config`: start URLs, then what they link to and
/// what the state says is due; new and changed documents, and removals, go
/// to `events`; every response goes to `archive`.
pub async fn crawl(
    config: CrawlConfig,
    state: &mut CrawlState,
    mut archive: Option<&mut ArchiveWriter>,
    events: mpsc::Sender<CrawlEvent>,
) -> Result<CrawlReport> {
    let started = Instant::now();
    let config = Arc::new(config);
    let fetcher = Arc::new(Fetcher::new(&config)?);
    let aliases = config.host_aliases();
    let mut report = CrawlReport::default();
    let mut frontier = Frontier::new(&config);
    let mut seen_content: HashMap<u64, String> = HashMap::new();
    let mut emitted: HashSet<String> = HashSet::new();
    let mut pages_per_source = vec![0usize; config.sources.len()];
    let mut tasks: JoinSet<Outcome> = JoinSet::new();

    for source in &config.sources {
        for start in &source.start_urls {
            frontier.enqueue(&config, state, start, None, true)?;
        }
    }
    // What an interrupted crawl had discovered but not fetched, and what is due.
    let now = Utc::now();
    let (due, not_due): (Vec<&UrlState>, Vec<&UrlState>) =
        state.iter().partition(|s| is_due(&config, s, now));
    report.not_due = not_due.len();
    let due: Vec<Url> = due.into_iter().filter_map(|s| Url::parse(&s.url).ok()).collect();
    for url in &due {
        frontier.enqueue(&config, state, url, None, true)?;
    }

    'crawl: loop {
        let now = Instant::now();
        let mut next_wake: Option<Instant> = None;
        // Sitemaps named by a cached robots.txt, queued after this pass.
        let mut cached_sitemaps: Vec<(Url, usize)> = Vec::new();
        for (name, host) in frontier.hosts.iter_mut() {
            if host.busy || host.queue.is_empty() {
                continue;
            }
            if host.next_at > now {
                next_wake = Some(next_wake.map_or(host.next_at, |t| t.min(host.next_at)));
                continue;
            }
            if let RobotsState::Unknown = host.robots {
                let user_agent = host
                    .queue
                    .front()
                    .map(|first| config.limits(&config.sources[first.source]).user_agent);
                if let Some(cached) =
                    fresh_robots(state, name, user_agent.as_deref().unwrap_or(&config.user_agent))
                {
                    host.delay = host_delay(&config, &host.queue, &cached);
                    report.hosts.entry(name.clone()).or_default().delay = host.delay;
                    if let Some(first) = host.queue.front() {
                        let sitemaps = cached.sitemaps().iter().filter_map(|s| Url::parse(s).ok());
                        cached_sitemaps.extend(sitemaps.map(|url| (url, first.source)));
                    }
                    host.robots = RobotsState::Ready(cached);
                } else {
                    let Some(first) = host.queue.front() else { continue };
                    let robots_url = first.url.join("/robots.txt").ok();
                    let limits = config.limits(&config.sources[first.source]);
                    let (config, fetcher, name) = (config.clone(), fetcher.clone(), name.clone());
                    tasks.spawn(
                        async move { fetch_robots(&config, &fetcher, &limits, name, robots_url).await },
                    );
                    host.busy = true;
                    continue;
                }
            }
            let RobotsState::Ready(policy) = &host.robots else {
                continue;
            };
            while let Some(item) = host.queue.pop_front() {
                if !policy.allowed(item.url.as_str()) {
                    debug!(url = %item.url, "blocked by robots.txt");
                    report.robots_blocked += 1;
                    report.hosts.entry(name.clone()).or_default().robots_blocked += 1;
                    // Not remembered: found again through its links, and
                    // asked for if robots.txt ever allows it.
                    state.remove(item.url.as_str())?;
                    continue;
                }
                if pages_per_source[item.source] >= config.sources[item.source].max_pages {
                    *report.failed.entry("over max_pages".into()).or_default() += 1;
                    continue;
                }
                pages_per_source[item.source] += 1;
                let (config, fetcher) = (config.clone(), fetcher.clone());
                tasks.spawn(async move {
                    let started = Instant::now();
                    let result = fetch_page(&config, &fetcher, &item).await;
                    Outcome::Page {
                        item: Box::new(item),
                        result,
                        took: started.elapsed(),
                    }
                });
                host.busy = true;
                break;
            }
        }

        for (sitemap, source) in &cached_sitemaps {
            frontier.enqueue_sitemap(&config, sitemap, *source);
        }
        if !cached_sitemaps.is_empty() {
            continue;
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
                cache,
                requests,
            } => {
                report.fetched += requests;
                if let RobotsPolicy::DisallowAll { reason } = &policy {
                    warn!(host = %name, %reason, "robots.txt unavailable: host skipped this crawl");
                }
                if let Some(cache) = cache {
                    state.record_robots(cache)?;
                }
                let Some(host) = frontier.hosts.get_mut(&name) else {
                    continue;
                };
                host.delay = host_delay(&config, &host.queue, &policy);
                let source = host.queue.front().map(|item| item.source);
                let sitemaps: Vec<Url> = policy
                    .sitemaps()
                    .iter()
                    .filter_map(|s| Url::parse(s).ok())
                    .collect();
                host.robots = RobotsState::Ready(policy);
                host.next_at = Instant::now() + host.delay;
                host.busy = false;
                if let Some(source) = source {
                    for sitemap in &sitemaps {
                        frontier.enqueue_sitemap(&config, sitemap, source);
                    }
                }
            }
            Outcome::Page {
                mut item,
                result,
                took,
            } => {
                let name = item.url.host_str().unwrap_or_default().to_owned();
                report.hosts.entry(name.clone()).or_default().busy += took;
                let Some(host) = frontier.hosts.get_mut(&name) else {
                    continue;
                };
                host.busy = false;
                host.next_at = Instant::now() + host.delay;
                let (fetched, page) = match result {
                    Ok(answer) => answer,
                    Err(e) => {
                        warn!(url = %item.url, error = %e, "fetch failed");
                        report.fail(&name, e.to_string());
                        let mut known = item
                            .previous
                            .unwrap_or_else(|| UrlState::discovered(item.url.as_str()));
                        known.last_fetch = Some(Utc::now());
                        match e {
                            // Too large stays too large: try again at the next regular visit.
                            FetchError::TooLarge(_) | FetchError::NotMirrored => {
                                let interval = config.recrawl_interval(&config.sources[item.source], false);
                                known.next_due = Some(Utc::now() + chrono_duration(interval));
                            }
                            FetchError::Timeout | FetchError::Network(_) => {
                                known.failures += 1;
                                known.next_due = Some(Utc::now() + failure_backoff(known.failures));
                            }
                        }
                        state.record(known)?;
                        continue;
                    }
                };
                report.fetched += 1;
                report.bytes += fetched.body.len() as u64;
                let stats = report.hosts.entry(name.clone()).or_default();
                stats.fetched += 1;
                if let Some(archive) = archive.as_deref_mut() {
                    let record = ArchivedResponse {
                        url: item.url.to_string(),
                        fetched_at: Utc::now(),
                        status: fetched.status,
                        request_headers: fetched.request_headers.clone(),
                        response_headers: fetched.response_headers.clone(),
                        body: fetched.body.clone(),
                    };
                    if let Err(e) = archive.append(&record) {
                        warn!(url = %item.url, error = %e, "archiving failed");
                    }
                }
                if events
                    .send(CrawlEvent::Fetched {
                        url: item.url.to_string(),
                        status: fetched.status,
                    })
                    .await
                    .is_err()
                {
                    break 'crawl;
                }

                if item.sitemap {
                    if let Page::Sitemap(Some(sitemap)) = page {
                        follow_sitemap(&config, state, &mut frontier, &sitemap, item.source)?;
                    } else if (200..300).contains(&fetched.status) {
                        report.fail(&name, "unreadable sitemap");
                    }
                    continue;
                }
                let source = &config.sources[item.source];
                let is_listing = source.is_listing(&item.url);
                let interval = chrono_duration(config.recrawl_interval(source, is_listing));
                let mut known = item
                    .previous
                    .clone()
                    .unwrap_or_else(|| UrlState::discovered(item.url.as_str()));
                known.last_fetch = Some(Utc::now());
                known.status = Some(fetched.status);
                known.is_listing = is_listing;
                match fetched.status {
                    429 | 503 => {
                        // The host asks us to slow down: double its delay, wait
                        // as long as it says, and come back to this URL.
                        let Some(host) = frontier.hosts.get_mut(&name) else {
                            continue;
                        };
                        host.delay = (host.delay * 2).max(Duration::from_secs(1)).min(MAX_HOST_DELAY);
                        let wait = fetched.retry_after.unwrap_or(host.delay).max(host.delay);
                        host.next_at = Instant::now() + wait;
                        info!(url = %item.url, status = fetched.status, wait = ?wait, "host asks to slow down");
                        if item.retries < MAX_SLOW_DOWN_RETRIES {
                            item.retries += 1;
                            host.queue.push_front(*item);
                        } else {
                            report.fail(&name, format!("http {}", fetched.status));
                            known.failures += 1;
                            known.next_due = Some(Utc::now() + failure_backoff(known.failures));
                            state.record(known)?;
                        }
                        continue;
                    }
                    304 => {
                        report.not_modified += 1;
                        report.hosts.entry(name.clone()).or_default().not_modified += 1;
                        known.failures = 0;
                        known.gone_count = 0;
                        known.next_due = Some(Utc::now() + interval);
                        state.record(known)?;
                        continue;
                    }
                    300..=399 => {
                        report.redirects += 1;
                        known.next_due = Some(Utc::now() + interval);
                        state.record(known)?;
                        match fetched.location {
                            Some(target) => {
                                frontier.enqueue(&config, state, &target, item.parent.clone(), true)?
                            }
                            None => report.fail(&name, "redirect without location"),
                        }
                        continue;
                    }
                    404 | 410 => {
                        known.gone_count += 1;
                        report.fail(&name, format!("http {}", fetched.status));
                        if known.gone_count >= GONE_AFTER {
                            if let Some(document_url) = known.document_url.take() {
                                report.removed += 1;
                                info!(url = %item.url, "gone twice: removing its document");
                                if events.send(CrawlEvent::Removed { document_url }).await.is_err() {
                                    break 'crawl;
                                }
                            }
                            state.remove(item.url.as_str())?;
                        } else {
                            // Check again at the next crawl (within a day): one 404 can be a glitch.
                            known.next_due = Some(Utc::now() + interval.min(chrono::Duration::days(1)));
                            state.record(known)?;
                        }
                        continue;
                    }
                    500..=599 => {
                        report.fail(&name, format!("http {}", fetched.status));
                        known.failures += 1;
                        known.next_due = Some(Utc::now() + failure_backoff(known.failures));
                        state.record(known)?;
                        continue;
                    }
                    400..=499 => {
                        report.fail(&name, format!("http {}", fetched.status));
                        known.next_due = Some(Utc::now() + interval);
                        state.record(known)?;
                        continue;
                    }
                    _ => {}
                }
                known.failures = 0;
                known.gone_count = 0;
                known.etag = fetched.etag.clone();
                known.last_modified = fetched.last_modified.clone();
                known.next_due = Some(Utc::now() + interval);
                let document = match page {
                    Page::None | Page::Sitemap(_) => None,
                    Page::Unusable(reason) => {
                        info!(url = %item.url, %reason, "skipped");
                        report.fail(&name, reason);
                        None
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
                        let parent = Arc::new(document.clone());
                        for link in &links {
                            let file = link.url.path().to_ascii_lowercase().ends_with(".pdf");
                            let parent = file.then(|| parent.clone());
                            frontier.enqueue(&config, state, &link.url, parent, false)?;
                        }
                        if is_listing {
                            report.listings += 1;
                            None
                        } else {
                            Some(document)
                        }
                    }
                    Page::Pdf(document) => {
                        let mut document = *document;
                        if let Some(parent) = &item.parent {
                            inherit_from_parent(&mut document, parent);
                        }
                        Some(document)
                    }
                };
                if let Some(document) = document {
                    let hash = content_hash(&document);
                    let first_url = seen_content
                        .entry(hash)
                        .or_insert_with(|| document.url.clone())
                        .clone();
                    if first_url != document.url || !emitted.insert(document.url.clone()) {
                        debug!(url = %document.url, %first_url, "same content as another URL");
                        report.duplicates += 1;
                    } else if known.content_hash == Some(hash)
                        && known.document_url.as_deref() == Some(&document.url)
                    {
                        report.unchanged += 1;
                    } else {
                        match known.content_hash {
                            Some(_) => report.changed += 1,
                            None => report.new += 1,
                        }
                        known.content_hash = Some(hash);
                        known.document_url = Some(document.url.clone());
                        debug!(url = %document.url, title = %document.title, "document");
                        if events
                            .send(CrawlEvent::Document(Box::new(document)))
                            .await
                            .is_err()
                        {
                            break 'crawl;
                        }
                    }
                }
                state.record(known)?;
            }
        }
    }
    for (name, host) in &frontier.hosts {
        report.hosts.entry(name.clone()).or_default().delay = host.delay;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Queues what a sitemap lists: child sitemaps of an index, and pages,
/// skipping pages whose `lastmod` is older than our last visit.
fn follow_sitemap(
    config: &CrawlConfig,
    state: &mut CrawlState,
    frontier: &mut Frontier,
    sitemap: &Sitemap,
    source: usize,
) -> Result<()> {
    for entry in sitemap.entries() {
        let Ok(url) = Url::parse(&entry.loc) else { continue };
        if let Sitemap::Index(_) = sitemap {
            frontier.enqueue_sitemap(config, &url, source);
            continue;
        }
        let canonical = canonicalize(&url, &frontier.aliases);
        let known = state.get(canonical.as_str());
        let changed_since_visit = match (entry.lastmod, known.and_then(|k| k.last_fetch)) {
            (Some(modified), Some(visited)) => modified > visited,
            _ => false,
        };
        // A page the sitemap says changed is fetched now; others keep their schedule.
        frontier.enqueue(config, state, &url, None, changed_since_visit)?;
    }
    Ok(())
}

/// Whether a known URL is due for a visit. After a failure (5xx, timeout,
/// a first 404) the backoff in `next_due` decides; otherwise the time since
/// the last visit and the *current* recrawl interval do, so a shorter
/// interval (or `--all`) applies at once to pages fetched before.
fn is_due(config: &CrawlConfig, known: &UrlState, now: chrono::DateTime<Utc>) -> bool {
    let Some(last_fetch) = known.last_fetch else {
        return true;
    };
    if known.failures > 0 || known.gone_count > 0 {
        return known.next_due.is_none_or(|due| due <= now);
    }
    let Some(source) = Url::parse(&known.url)
        .ok()
        .and_then(|url| config.source_for(&url))
    else {
        return false;
    };
    last_fetch + chrono_duration(config.recrawl_interval(source, known.is_listing)) <= now
}

/// Identifies what a document says, to tell a changed page from a re-served one.
pub(crate) fn content_hash(document: &Document) -> u64 {
    let mut key = format!(
        "{}\n{:?}\n{:?}\n{}",
        document.title,
        document.date,
        document.themes,
        document.text()
    );
    key.push_str(&document.keywords.join("\n"));
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

fn chrono_duration(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::days(3650))
}

/// A robots.txt fetched less than a day ago, unless it failed (5xx are
/// retried), read for our user agent as a fresh copy would be.
fn fresh_robots(state: &CrawlState, host: &str, user_agent: &str) -> Option<RobotsPolicy> {
    let cache = state.robots(host)?;
    (cache.is_fresh(Utc::now()) && cache.status < 500)
        .then(|| RobotsPolicy::from_response(cache.status, cache.body.as_bytes(), user_agent))
}

/// A file (PDF) has the date and themes of the page that links it when it shows none itself.
pub(crate) fn inherit_from_parent(document: &mut Document, parent: &Document) {
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

fn host_delay(config: &CrawlConfig, queue: &VecDeque<Queued>, policy: &RobotsPolicy) -> Duration {
    let configured = queue
        .front()
        .and_then(|item| config.sources[item.source].delay)
        .unwrap_or(config.delay);
    configured.max(policy.crawl_delay().unwrap_or_default())
}

async fn fetch_robots(
    config: &CrawlConfig,
    fetcher: &Fetcher,
    limits: &crate::fetch::Limits,
    host: String,
    url: Option<Url>,
) -> Outcome {
    let Some(mut url) = url else {
        return Outcome::Robots {
            host,
            policy: RobotsPolicy::AllowAll,
            cache: None,
            requests: 0,
        };
    };
    let mut requests = 0;
    for _ in 0..=MAX_ROBOTS_REDIRECTS {
        requests += 1;
        let answer = match fetcher.get(config, &url, limits, &Validators::default()).await {
            Err(e) => {
                let policy = RobotsPolicy::unreachable(format!("robots.txt: {e}"));
                return Outcome::Robots {
                    host,
                    policy,
                    cache: None,
                    requests,
                };
            }
            Ok(answer) => answer,
        };
        if (300..400).contains(&answer.status) {
            match answer.location {
                Some(next) => {
                    url = next;
                    continue;
                }
                None => {
                    return Outcome::Robots {
                        host,
                        policy: RobotsPolicy::AllowAll,
                        cache: None,
                        requests,
                    };
                }
            }
        }
        let policy = RobotsPolicy::from_response(answer.status, &answer.body, &limits.user_agent);
        // Failures are not cached: the next crawl asks again.
        let cache = (answer.status < 500).then(|| RobotsCache {
            host: host.clone(),
            fetched: Utc::now(),
            status: answer.status,
            body: String::from_utf8_lossy(&answer.body).into_owned(),
        });
        return Outcome::Robots {
            host,
            policy,
            cache,
            requests,
        };
    }
    let policy = RobotsPolicy::unreachable("robots.txt: too many redirects");
    Outcome::Robots {
        host,
        policy,
        cache: None,
        requests,
    }
}

async fn fetch_page(
    config: &CrawlConfig,
    fetcher: &Fetcher,
    item: &Queued,
) -> std::result::Result<(Fetched, Page), FetchError> {
    let source = &config.sources[item.source];
    let validators = match &item.previous {
        // Only a copy we indexed can be revalidated; a page that is missing
        // from the index (or never gave a document) is fetched in full.
        Some(known) if known.content_hash.is_some() || known.is_listing => Validators {
            etag: known.etag.clone(),
            last_modified: known.last_modified.clone(),
        },
        _ => Validators::default(),
    };
    let mut answer = fetcher
        .get(config, &item.url, &config.limits(source), &validators)
        .await?;
    if !(200..300).contains(&answer.status) {
        return Ok((answer, Page::None));
    }
    if item.sitemap {
        let body = std::mem::take(&mut answer.body);
        let (sitemap, body) = tokio::task::spawn_blocking(move || (parse_sitemap(&body).ok(), body))
            .await
            .map_err(|e| FetchError::Network(format!("sitemap parsing failed: {e}")))?;
        answer.body = body;
        return Ok((answer, Page::Sitemap(sitemap)));
    }
    if answer.body.is_empty() {
        return Ok((answer, Page::Unusable("empty body".into())));
    }
    let content_type = answer
        .content_type
        .clone()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let url = item.url.clone();
    let source_id = source.id.clone();
    let body = std::mem::take(&mut answer.body);
    let is_pdf = content_type.contains("pdf") || body.starts_with(b"%PDF");
    // Extraction is CPU work: keep it off the async threads.
    let (page, body) = tokio::task::spawn_blocking(move || {
        let page = extract_body(&url, &body, &content_type, &source_id, is_pdf);
        (page, body)
    })
    .await
    .map_err(|e| FetchError::Network(format!("extraction failed: {e}")))?;
    answer.body = body;
    Ok((answer, page))
}

pub(crate) fn extract_body(url: &Url, body: &[u8], content_type: &str, source: &str, is_pdf: bool) -> Page {
    if is_pdf {
        return match extract::extract_pdf(url, body, source) {
            Ok(document) => Page::Pdf(Box::new(document)),
            Err(e) => Page::Unusable(format!("pdf: {e}")),
        };
    }
    if !(content_type.is_empty() || content_type.contains("html") || content_type.contains("xml")) {
        let kind = content_type.split(';').next().unwrap_or("");
        return Page::Unusable(format!("unsupported type {kind}"));
    }
    if body.iter().take(1024).filter(|b| **b == 0).count() > 8 {
        return Page::Unusable("binary body labelled as html".into());
    }
    let html = decode_html(body, Some(content_type));
    Page::Html(Box::new(extract::extract_html(url, &html, source)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cached_robots_txt_is_read_for_our_agent() {
        let mut state = CrawlState::in_memory();
        let body = "User-agent: *\nAllow: /\n\nUser-agent: migrasearch\nDisallow: /private/\n";
        let cache = RobotsCache {
            host: "x.org".into(),
            fetched: Utc::now(),
            status: 200,
            body: body.into(),
        };
        state.record_robots(cache).unwrap();
        let policy = fresh_robots(&state, "x.org", crate::config::DEFAULT_USER_AGENT).unwrap();
        assert!(!policy.allowed("https://x.org/private/page"));
        assert!(policy.allowed("https://x.org/news"));
    }

    #[test]
    fn a_stale_or_failed_robots_txt_is_not_reused() {
        let mut state = CrawlState::in_memory();
        let stale = Utc::now() - chrono::Duration::hours(25);
        let cache = RobotsCache {
            host: "old.org".into(),
            fetched: stale,
            status: 200,
            body: String::new(),
        };
        state.record_robots(cache).unwrap();
        let cache = RobotsCache {
            host: "down.org".into(),
            fetched: Utc::now(),
            status: 503,
            body: String::new(),
        };
        state.record_robots(cache).unwrap();
        assert!(fresh_robots(&state, "old.org", "migrasearch").is_none());
        assert!(fresh_robots(&state, "down.org", "migrasearch").is_none());
    }
}
