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
use crate::config::{CrawlConfig, Source};
use crate::document::{DocType, Document, Passage, PassageKind, Translation};
use crate::error::Result;
use crate::extract::{self, HtmlPage, ListingItem};
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
/// Redirects and duplicates followed when checking whether a listing item's
/// link has a document.
const MAX_MOVES: usize = 10;

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
    /// [`DocType::Listing`] documents handed on at the end of the crawl
    /// (not counted in `new` or `changed`).
    pub listing_documents: usize,
    /// Passages of those documents: listing items with no page of their own.
    pub listing_passages: usize,
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
        // Boxed: a fetched page is much larger than the other outcomes.
        result: std::result::Result<Box<(Fetched, Page)>, FetchError>,
        took: Duration,
    },
}

/// A listing page fetched with 2xx in this crawl, kept until the end of the
/// crawl, when we know which of its items have a page of their own.
pub(crate) struct ListingPage {
    /// The listing's canonical URL, its document URL.
    pub url: String,
    pub source: String,
    pub title: String,
    pub items: Vec<ListingItem>,
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
    // Where a URL's content went in this crawl (redirect target, canonical
    // URL, first URL of the same content): listing items are checked through it.
    let mut moved: HashMap<String, String> = HashMap::new();
    let mut listing_pages: BTreeMap<String, ListingPage> = BTreeMap::new();
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
                    let result = fetch_page(&config, &fetcher, &item).await.map(Box::new);
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
                    Ok(answer) => *answer,
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
                                let canonical = canonicalize(&target, &aliases);
                                moved.insert(item.url.to_string(), canonical.to_string());
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
                            alternates,
                            listing_items,
                        } = *page;
                        if let Some(canonical) =
                            own_canonical(canonical.as_ref(), &item.url, source, &aliases)
                        {
                            frontier.seen.insert(canonical.to_string());
                            document.url = canonical.to_string();
                        }
                        let own = [document.url.as_str(), item.url.as_str()];
                        document.translations = translations(&alternates, &own, source, &aliases);
                        let parent = Arc::new(document.clone());
                        for link in &links {
                            let file = link.url.path().to_ascii_lowercase().ends_with(".pdf");
                            let parent = file.then(|| parent.clone());
                            frontier.enqueue(&config, state, &link.url, parent, false)?;
                        }
                        if is_listing {
                            report.listings += 1;
                            let listing = listing_page(&config, &aliases, source, &document, listing_items);
                            listing_pages.insert(listing.url.clone(), listing);
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
                    if document.url != item.url.as_str() {
                        moved.insert(item.url.to_string(), document.url.clone());
                    }
                    if first_url != document.url || !emitted.insert(document.url.clone()) {
                        debug!(url = %document.url, %first_url, "same content as another URL");
                        report.duplicates += 1;
                        if first_url != document.url {
                            moved.insert(document.url.clone(), first_url);
                        }
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
    // A closed channel means the caller stopped the crawl: what listings
    // hold is only known once every linked page had its chance.
    if !events.is_closed() {
        let indexed: HashSet<String> = state
            .iter()
            .filter_map(|s| s.document_url.clone())
            .chain(emitted)
            .collect();
        let has_page = |link: &str| has_document(link, state, &moved, &indexed);
        for document in listing_documents(listing_pages.into_values().collect(), has_page) {
            report.listing_documents += 1;
            report.listing_passages += document.passages.len();
            debug!(url = %document.url, items = document.passages.len(), "listing");
            if events
                .send(CrawlEvent::Document(Box::new(document)))
                .await
                .is_err()
            {
                break;
            }
        }
    }
    for (name, host) in &frontier.hosts {
        report.hosts.entry(name.clone()).or_default().delay = host.delay;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// A page's own canonical link, canonicalised, when it wins over the URL
/// that led to the page: same host, in the source's scope.
pub(crate) fn own_canonical(
    canonical: Option<&Url>,
    url: &Url,
    source: &Source,
    aliases: &[(String, String)],
) -> Option<Url> {
    canonical
        .map(|c| canonicalize(c, aliases))
        .filter(|c| c.host_str() == url.host_str() && source.in_scope(c))
}

/// A listing page's items as kept until the end of a crawl (or replay):
/// links canonicalised, entries leading to another listing (a theme, the
/// next page) dropped as navigation. `document` is the listing's, its URL
/// already the canonical one.
pub(crate) fn listing_page(
    config: &CrawlConfig,
    aliases: &[(String, String)],
    source: &Source,
    document: &Document,
    mut items: Vec<ListingItem>,
) -> ListingPage {
    for listed in &mut items {
        listed.link = listed.link.take().map(|l| canonicalize(&l, aliases));
    }
    let is_listing = |l: &Url| config.source_for(l).is_some_and(|s| s.is_listing(l));
    items.retain(|listed| !listed.link.as_ref().is_some_and(is_listing));
    ListingPage {
        url: document.url.clone(),
        source: source.id.clone(),
        title: document.title.clone(),
        items,
    }
}

/// Whether a listing item's canonical link ended up as an indexed document:
/// its state names one, or it moved (redirect, canonical link, duplicate
/// content) to a URL that does. A redirect of an earlier crawl, whose target
/// this crawl did not see, counts as indexed: the target was queued then.
fn has_document(
    link: &str,
    state: &CrawlState,
    moved: &HashMap<String, String>,
    indexed: &HashSet<String>,
) -> bool {
    let is_document =
        |url: &str| indexed.contains(url) || state.get(url).is_some_and(|k| k.document_url.is_some());
    match follow_moves(link, moved, is_document) {
        Followed::Document => true,
        Followed::Stopped(url) => state
            .get(url)
            .and_then(|k| k.status)
            .is_some_and(|s| (300..400).contains(&s)),
        Followed::TooFar => false,
    }
}

/// Where following moved URLs from a link ended.
pub(crate) enum Followed<'a> {
    /// At a URL that is a document.
    Document,
    /// At this URL, which is no document and did not move.
    Stopped(&'a str),
    /// In a loop, or a chain longer than [`MAX_MOVES`].
    TooFar,
}

/// Follows `moved` (old URL → new URL) from `link` until `is_document`
/// accepts a URL, at most [`MAX_MOVES`] moves.
pub(crate) fn follow_moves<'a>(
    link: &'a str,
    moved: &'a HashMap<String, String>,
    is_document: impl Fn(&str) -> bool,
) -> Followed<'a> {
    let mut url = link;
    for _ in 0..=MAX_MOVES {
        if is_document(url) {
            return Followed::Document;
        }
        match moved.get(url) {
            Some(next) => url = next,
            None => return Followed::Stopped(url),
        }
    }
    Followed::TooFar
}

/// One [`DocType::Listing`] document per listing page, its passages the
/// items for which `has_page` says no. An item shown by several listings
/// becomes a passage of one only: news and publication listings first,
/// then shorter paths (`/news?page=2` before `/keywords/video`).
pub(crate) fn listing_documents(
    mut listings: Vec<ListingPage>,
    has_page: impl Fn(&str) -> bool,
) -> Vec<Document> {
    let rank = |l: &ListingPage| {
        let url = Url::parse(&l.url).ok();
        let typed = url.as_ref().and_then(extract::listing_item_type).is_some();
        let depth = url
            .as_ref()
            .and_then(|u| u.path_segments().map(|s| s.filter(|p| !p.is_empty()).count()))
            .unwrap_or(usize::MAX);
        (!typed, depth, l.url.clone())
    };
    listings.sort_by_cached_key(rank);
    let mut seen: HashSet<String> = HashSet::new();
    let mut documents = Vec::new();
    for listing in listings {
        let item_type = Url::parse(&listing.url)
            .ok()
            .as_ref()
            .and_then(extract::listing_item_type);
        let mut passages: Vec<Passage> = Vec::new();
        let mut anchors: HashSet<String> = HashSet::new();
        for item in listing.items {
            if item.link.as_ref().is_some_and(|l| has_page(l.as_str())) {
                continue;
            }
            let key = match &item.link {
                Some(link) => link.to_string(),
                None => format!("{}\n{:?}", item.title.to_lowercase(), item.date),
            };
            if !seen.insert(key) {
                continue;
            }
            passages.push(item_passage(item, &mut anchors, item_type));
        }
        let mut languages: Vec<String> = Vec::new();
        for lang in passages.iter().flat_map(|p| p.languages.iter()) {
            if !languages.contains(lang) {
                languages.push(lang.clone());
            }
        }
        documents.push(Document {
            url: listing.url,
            source: listing.source,
            doc_type: DocType::Listing,
            title: listing.title,
            blocks: Vec::new(),
            languages,
            date: None,
            themes: Vec::new(),
            keywords: Vec::new(),
            organisations: Vec::new(),
            organisation_mentions: Vec::new(),
            parent_url: None,
            passages,
            translations: Vec::new(),
        });
    }
    documents
}

/// A listing item as a searchable passage of its listing.
fn item_passage(item: ListingItem, anchors: &mut HashSet<String>, doc_type: Option<DocType>) -> Passage {
    let text = std::iter::once(item.title.as_str())
        .chain(item.blocks.iter().map(|b| b.text.as_str()))
        .collect::<Vec<_>>()
        .join("\n");
    Passage {
        kind: PassageKind::Item,
        anchor: extract::item_anchor(&item.title, anchors),
        organisations: crate::organisations::find_organisations(&text),
        title: item.title,
        blocks: item.blocks,
        languages: item.languages,
        slot: None,
        date: item.date,
        themes: item.themes,
        translation_key: None,
        doc_type,
        link: item.link.map(String::from),
    }
}

/// Other language versions of a page from its `hreflang` alternates and
/// language switcher: canonical, of the page's own source and in its scope,
/// never one of `own` (the page's URLs), one per language (the first given),
/// codes cut to their two-letter language (`nl-BE` → `nl`), `x-default`
/// dropped. A bare language root (`/`, `/nl`) is left out unless the page is
/// one too: switchers fall back to the home page when a page has no
/// translation.
pub(crate) fn translations(
    alternates: &[(String, Url)],
    own: &[&str],
    source: &Source,
    aliases: &[(String, String)],
) -> Vec<Translation> {
    let is_root = |url: &Url| {
        let path = url.path().trim_matches('/');
        url.query().is_none()
            && (path.is_empty() || (path.len() == 2 && path.chars().all(|c| c.is_ascii_alphabetic())))
    };
    let page_is_root = own.iter().filter_map(|u| Url::parse(u).ok()).any(|u| is_root(&u));
    let mut found: Vec<Translation> = Vec::new();
    for (code, url) in alternates {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if code.trim().eq_ignore_ascii_case("x-default")
            || primary.len() != 2
            || !primary.chars().all(|c| c.is_ascii_alphabetic())
        {
            continue;
        }
        let url = canonicalize(url, aliases);
        let ours = url
            .host_str()
            .is_some_and(|h| source.hosts.iter().any(|s| s == h));
        if !ours || !source.in_scope(&url) || own.contains(&url.as_str()) || (is_root(&url) && !page_is_root)
        {
            continue;
        }
        if !found.iter().any(|t| t.lang == primary) {
            found.push(Translation {
                lang: primary,
                url: url.to_string(),
            });
        }
    }
    found
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
    let is_listing = source.is_listing(&item.url);
    // Extraction is CPU work: keep it off the async threads.
    let (page, body) = tokio::task::spawn_blocking(move || {
        let page = extract_body(&url, &body, &content_type, &source_id, is_pdf, is_listing);
        (page, body)
    })
    .await
    .map_err(|e| FetchError::Network(format!("extraction failed: {e}")))?;
    answer.body = body;
    Ok((answer, page))
}

/// Extracts a fetched body: a PDF, or HTML (with its items when `is_listing`).
pub(crate) fn extract_body(
    url: &Url,
    body: &[u8],
    content_type: &str,
    source: &str,
    is_pdf: bool,
    is_listing: bool,
) -> Page {
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
    Page::Html(Box::new(match is_listing {
        true => extract::extract_listing_html(url, &html, source),
        false => extract::extract_html(url, &html, source),
    }))
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

    fn emn_source() -> Source {
        crate::config::default_sources()
            .into_iter()
            .find(|s| s.id == "emn-belgium")
            .expect("built-in source")
    }

    fn alternate(code: &str, url: &str) -> (String, Url) {
        (code.to_owned(), Url::parse(url).unwrap())
    }

    #[test]
    fn translations_are_canonical_in_scope_and_one_per_language() {
        let aliases = vec![
            ("emnbelgium.be".to_owned(), "emnbelgium.be".to_owned()),
            ("www.emnbelgium.be".to_owned(), "emnbelgium.be".to_owned()),
        ];
        let own = "https://emnbelgium.be/news/alternatives-to-detention";
        let alternates = [
            alternate("x-default", own),
            alternate("en", own),
            alternate(
                "nl-BE",
                "http://www.emnbelgium.be/nl/nieuws/alternatieven?q=/x#top",
            ),
            alternate("nl", "https://emnbelgium.be/nl/nieuws/other"),
            alternate("FR", "https://emnbelgium.be/fr/actualites/alternatives"),
            alternate("de", "https://dev.infinity-dt.com/de/news/x"),
            alternate("en", "https://emnbelgium.be/search?keys=x"),
            alternate("fr", "https://emnbelgium.be/fr/other"),
            alternate("??", "https://emnbelgium.be/xx/news/y"),
        ];
        let found = translations(&alternates, &[own], &emn_source(), &aliases);
        let pairs: Vec<(&str, &str)> = found.iter().map(|t| (t.lang.as_str(), t.url.as_str())).collect();
        assert_eq!(
            pairs,
            [
                ("nl", "https://emnbelgium.be/nl/nieuws/alternatieven"),
                ("fr", "https://emnbelgium.be/fr/actualites/alternatives"),
            ]
        );
    }

    #[test]
    fn a_switcher_pointing_to_home_pages_gives_no_translation() {
        let alternates = [
            alternate("en", "https://emnbelgium.be/"),
            alternate("nl", "https://emnbelgium.be/nl"),
            alternate("fr", "https://emnbelgium.be/fr/"),
        ];
        let article = ["https://emnbelgium.be/news/we-are-celebrating-emn-day"];
        assert!(translations(&alternates, &article, &emn_source(), &[]).is_empty());
        let home = ["https://emnbelgium.be/"];
        let langs: Vec<String> = translations(&alternates, &home, &emn_source(), &[])
            .into_iter()
            .map(|t| t.lang)
            .collect();
        assert_eq!(langs, ["nl", "fr"]);
    }

    fn item(title: &str, link: Option<&str>) -> ListingItem {
        ListingItem {
            title: title.to_owned(),
            link: link.map(|l| Url::parse(l).unwrap()),
            date: None,
            themes: Vec::new(),
            blocks: Vec::new(),
            languages: vec!["en".to_owned()],
        }
    }

    fn listing(url: &str, items: Vec<ListingItem>) -> ListingPage {
        ListingPage {
            url: url.to_owned(),
            source: "emn-belgium".to_owned(),
            title: "News".to_owned(),
            items,
        }
    }

    #[test]
    fn an_item_shown_by_several_listings_is_a_passage_once() {
        let shared = || item("Shared item", Some("https://emnbelgium.be/news/shared"));
        let listings = vec![
            listing("https://emnbelgium.be/keywords/video", vec![shared()]),
            listing(
                "https://emnbelgium.be/news?page=1",
                vec![shared(), item("Same title", None)],
            ),
            listing(
                "https://emnbelgium.be/news?page=0",
                vec![item("Same title", None)],
            ),
            listing(
                "https://emnbelgium.be/all-publications",
                vec![item("Indexed", Some("https://emnbelgium.be/p"))],
            ),
        ];
        let documents = listing_documents(listings, |link| link == "https://emnbelgium.be/p");
        let summary: Vec<(&str, Vec<&str>)> = documents
            .iter()
            .map(|d| {
                (
                    d.url.as_str(),
                    d.passages.iter().map(|p| p.anchor.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("https://emnbelgium.be/all-publications", vec![]),
                ("https://emnbelgium.be/news?page=0", vec!["item-same-title"]),
                ("https://emnbelgium.be/news?page=1", vec!["item-shared-item"]),
                ("https://emnbelgium.be/keywords/video", vec![]),
            ]
        );
        assert!(
            documents
                .iter()
                .all(|d| d.doc_type == DocType::Listing && d.blocks.is_empty())
        );
        assert_eq!(documents[1].passages[0].doc_type, Some(DocType::News));
    }

    #[test]
    fn moved_links_are_followed_to_their_document() {
        let mut state = CrawlState::in_memory();
        let mut indexed = UrlState::discovered("https://x.org/indexed");
        indexed.document_url = Some("https://x.org/indexed".into());
        state.record(indexed).unwrap();
        let mut old_redirect = UrlState::discovered("https://x.org/old");
        old_redirect.status = Some(301);
        state.record(old_redirect).unwrap();
        let mut gone = UrlState::discovered("https://x.org/gone");
        gone.status = Some(404);
        state.record(gone).unwrap();
        let moved: HashMap<String, String> = [
            ("https://x.org/a".to_owned(), "https://x.org/b".to_owned()),
            ("https://x.org/b".to_owned(), "https://x.org/indexed".to_owned()),
            ("https://x.org/loop".to_owned(), "https://x.org/loop".to_owned()),
        ]
        .into();
        let docs = HashSet::from(["https://x.org/emitted".to_owned()]);
        let check = |u: &str| has_document(u, &state, &moved, &docs);
        assert!(check("https://x.org/a"));
        assert!(check("https://x.org/emitted"));
        assert!(check("https://x.org/old"));
        assert!(!check("https://x.org/gone"));
        assert!(!check("https://x.org/loop"));
        assert!(!check("https://x.org/unknown"));
    }

    /// Answers each request with the page scripted for its path and query
    /// (404 otherwise), one request per connection.
    async fn serve(pages: HashMap<String, (u16, String)>) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let pages = Arc::new(pages);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let pages = pages.clone();
                tokio::spawn(async move {
                    let _ = answer(stream, &pages).await;
                });
            }
        });
        addr
    }

    async fn answer(
        stream: tokio::net::TcpStream,
        pages: &HashMap<String, (u16, String)>,
    ) -> std::io::Result<()> {
        // Without tokio's io-util feature: raw readiness and non-blocking reads.
        let mut request = Vec::new();
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            stream.readable().await?;
            let mut buf = [0u8; 4096];
            match stream.try_read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => request.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(e) => return Err(e),
            }
        }
        let head = String::from_utf8_lossy(&request);
        let target = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
        let (status, body) = pages
            .get(&target)
            .cloned()
            .unwrap_or((404, "<p>Not found</p>".into()));
        let response = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let mut bytes = response.as_bytes();
        while !bytes.is_empty() {
            stream.writable().await?;
            match stream.try_write(bytes) {
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    const NEWS_LISTING: &str = r#"<!DOCTYPE html><html lang="en"><head><title>News | EMN Belgium</title></head>
      <body><main><h1>News</h1><div class="view-content">
        <div class="views-row">
          <div class="views-field"><div class="field-content">10 February 2022</div></div>
          <div class="views-field"><h3><a href="/news/digital-services">To what extent could digital services support migration and asylum management?</a></h3></div>
          <div class="views-field"><p>This joint EMN-OECD inform focuses on digital technologies.</p></div>
          <div class="views-field"><span class="views-label">Main Theme: </span><div><a href="/cross-sectional">Cross-sectional</a></div></div>
        </div>
        <div class="views-row">
          <div class="views-field"><div class="field-content">22 March 2021</div></div>
          <div class="views-field"><h3><a href="/news/asylum-in-belgium?q=/news/asylum-in-belgium">The CGRS launched asyluminbelgium.be</a></h3></div>
          <div class="views-field"><p>This new website provides information in nine languages about the asylum procedure in Belgium.</p></div>
          <div class="views-field"><span class="views-label">Main Theme: </span><div><a href="/international-protection">International Protection</a></div></div>
        </div>
        <div class="views-row">
          <div class="views-field"><div class="field-content">17 March 2021</div></div>
          <div class="views-field"><h3>Georgia and Moldova have joined the EMN as observers</h3></div>
          <div class="views-field"><p>This will enhance mutual collaboration and understanding on asylum and migration.</p></div>
          <div class="views-field"><span class="views-label">Main Theme: </span><div><a href="/cross-sectional">Cross-sectional</a></div></div>
        </div>
        <div class="views-row">
          <div class="views-field"><h3><a href="/news-type/news-item?page=1">More news items of the network</a></h3></div>
        </div>
      </div></main></body></html>"#;

    const ARTICLE: &str = r#"<!DOCTYPE html><html lang="en"><head><title>Digital services | EMN Belgium</title>
      <link rel="canonical" href="https://emnbelgium.be/news/digital-services">
      <link rel="alternate" hreflang="x-default" href="https://emnbelgium.be/news/digital-services">
      <link rel="alternate" hreflang="nl-BE" href="https://emnbelgium.be/nl/nieuws/digitale-diensten"></head>
      <body><main><h1>To what extent could digital services support migration and asylum management?</h1>
      <p>Publication date: 10 February 2022</p>
      <p>This joint EMN-OECD inform focuses on specific areas in the asylum, migration and acquisition of citizenship procedures, and border control management, where digital technologies may be used.</p>
      <p>Main Theme: Cross-sectional</p></main></body></html>"#;

    #[tokio::test]
    async fn listing_items_without_a_page_become_passages_of_a_listing_document() {
        let pages = HashMap::from([
            ("/news?page=0".to_owned(), (200, NEWS_LISTING.to_owned())),
            ("/news/digital-services".to_owned(), (200, ARTICLE.to_owned())),
            (
                "/news/asylum-in-belgium".to_owned(),
                (404, "<p>Gone</p>".to_owned()),
            ),
            (
                "/robots.txt".to_owned(),
                (200, "User-agent: *\nAllow: /\n".to_owned()),
            ),
        ]);
        let addr = serve(pages).await;
        let mut source = emn_source();
        source.start_urls = vec![Url::parse("https://emnbelgium.be/news?page=0").unwrap()];
        let config = CrawlConfig {
            sources: vec![source],
            mirrors: vec![crate::Mirror::parse(&format!("https://emnbelgium.be=http://{addr}")).unwrap()],
            delay: Duration::ZERO,
            timeout: Duration::from_secs(5),
            ..CrawlConfig::default()
        };
        let mut state = CrawlState::in_memory();
        let (sender, mut receiver) = mpsc::channel(64);
        let report = crawl(config, &mut state, None, sender).await.unwrap();
        let mut documents = Vec::new();
        while let Some(event) = receiver.recv().await {
            if let CrawlEvent::Document(document) = event {
                documents.push(*document);
            }
        }

        let article = documents
            .iter()
            .find(|d| d.url == "https://emnbelgium.be/news/digital-services")
            .expect("the article is indexed");
        assert_eq!(
            article.translations,
            [Translation {
                lang: "nl".into(),
                url: "https://emnbelgium.be/nl/nieuws/digitale-diensten".into()
            }]
        );
        let listings: Vec<&Document> = documents
            .iter()
            .filter(|d| d.doc_type == DocType::Listing)
            .collect();
        assert_eq!(listings.len(), 1, "{documents:#?}");
        let listing = listings[0];
        assert_eq!(listing.url, "https://emnbelgium.be/news?page=0");
        assert_eq!(listing.title, "News");
        assert!(listing.blocks.is_empty());
        let passages: Vec<(&str, Option<&str>, String, &[String])> = listing
            .passages
            .iter()
            .map(|p| {
                let date = p.date.map(|d| d.to_string()).unwrap_or_default();
                (p.anchor.as_str(), p.link.as_deref(), date, p.themes.as_slice())
            })
            .collect();
        assert_eq!(
            passages,
            [
                (
                    "item-the-cgrs-launched-asyluminbelgium-be",
                    Some("https://emnbelgium.be/news/asylum-in-belgium"),
                    "2021-03-22".to_owned(),
                    &["International Protection".to_owned()][..]
                ),
                (
                    "item-georgia-and-moldova-have-joined-the-emn-as",
                    None,
                    "2021-03-17".to_owned(),
                    &["Cross-sectional".to_owned()][..]
                ),
            ]
        );
        let first = &listing.passages[0];
        assert_eq!(first.kind, PassageKind::Item);
        assert_eq!(first.doc_type, Some(DocType::News));
        assert_eq!(first.organisations, ["CGRS"]);
        assert_eq!(first.languages, ["en"]);
        assert_eq!(first.blocks.len(), 1);
        assert_eq!(report.listings, 1);
        assert_eq!((report.listing_documents, report.listing_passages), (1, 2));
        assert_eq!(report.new, 1, "{report:?}");
    }
}
