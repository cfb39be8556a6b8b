//! The crawl state store: per URL, what the last crawls learned (validators,
//! content hash, when it is due again, how often it failed), plus a per-host
//! robots.txt cache.
//!
//! It lets a recrawl send conditional requests, skip pages that are not due
//! and resume after a kill at any moment. The store is an append-only
//! JSON-lines journal (`crawl-state.jsonl`), one tagged record per line:
//!
//! ```text
//! {"kind":"url","url":"https://…","last_fetch":"…","status":200,…}
//! {"kind":"gone","url":"https://…"}
//! {"kind":"robots","host":"…","fetched":"…","status":200,"body":"…"}
//! ```
//!
//! Opening replays the journal, last record wins. Appending one whole line
//! per change means a kill can at worst tear the last line, which the next
//! open skips with a warning; [`CrawlState::compact`] rewrites the journal
//! atomically (temp file, fsync, rename) when it has grown stale.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// File name of the journal inside the state directory.
pub const FILE_NAME: &str = "crawl-state.jsonl";

/// How long a cached robots.txt may be used (RFC 9309 §2.4: up to 24 hours).
pub const ROBOTS_MAX_AGE: Duration = Duration::hours(24);

/// `open` compacts when the journal has more lines than this …
const COMPACT_MIN_LINES: usize = 1000;
/// … and more than this many lines per live entry.
const COMPACT_RATIO: usize = 2;

/// Backoff after the first consecutive failure; it doubles with each further one.
const FIRST_BACKOFF_MINUTES: i64 = 15;
/// Longest backoff: a broken page is still retried weekly.
const MAX_BACKOFF_MINUTES: i64 = 7 * 24 * 60;

/// What can go wrong while reading or writing the state journal.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Reading, writing, syncing or renaming a state file failed.
    #[error("crawl state {path}: {source}")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// A record could not be encoded as JSON (not expected for these types).
    #[error("encode crawl state record: {0}")]
    Encode(#[from] serde_json::Error),
}

pub type Result<T> = std::result::Result<T, StateError>;

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StateError + '_ {
    move |source| StateError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What the crawls so far learned about one canonical URL.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct UrlState {
    /// Canonical URL, the key.
    pub url: String,
    /// When it was last fetched; `None` means discovered but never fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_fetch: Option<DateTime<Utc>>,
    /// Last HTTP status. A 304 is stored as such while etag and hash keep
    /// describing the last 200.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `ETag` of the last 200, for `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `Last-Modified` of the last 200, for `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Hash of the extracted content last indexed, to skip unchanged pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<u64>,
    /// When to fetch it again; `None` means due now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_due: Option<DateTime<Utc>>,
    /// Consecutive 404/410 answers.
    #[serde(default)]
    pub gone_count: u32,
    /// Consecutive 5xx answers or timeouts, for [`failure_backoff`].
    #[serde(default)]
    pub failures: u32,
    /// The document this URL produced (its canonical link may differ);
    /// `None` for listings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_url: Option<String>,
    /// Whether the page is a listing (followed for links, not indexed).
    #[serde(default)]
    pub is_listing: bool,
}

impl UrlState {
    /// A URL just discovered: never fetched, due now.
    pub fn discovered(url: impl Into<String>) -> UrlState {
        UrlState {
            url: url.into(),
            ..UrlState::default()
        }
    }

    /// Whether it should be fetched at `now`: no `next_due`, or one that has
    /// passed. A never-fetched URL carries no `next_due` unless a failure
    /// backoff set one, which is then respected.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.next_due.is_none_or(|due| due <= now)
    }
}

/// A host's robots.txt as last fetched.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RobotsCache {
    /// Host (with port if not the default), the key.
    pub host: String,
    /// When it was fetched.
    pub fetched: DateTime<Utc>,
    /// HTTP status of the robots.txt answer (the policy depends on it).
    pub status: u16,
    /// The body, empty when the status was not 2xx.
    pub body: String,
}

impl RobotsCache {
    /// Whether the cached copy may still be used at `now` ([`ROBOTS_MAX_AGE`]).
    pub fn is_fresh(&self, now: DateTime<Utc>) -> bool {
        now.signed_duration_since(self.fetched) < ROBOTS_MAX_AGE
    }
}

/// How long to wait before retrying after `failures` consecutive failures:
/// 15 min, 30 min, 1 h, 2 h … capped at 7 days; zero when nothing failed.
pub fn failure_backoff(failures: u32) -> Duration {
    if failures == 0 {
        return Duration::zero();
    }
    // Past 2^10 × 15 min the cap applies anyway; clamping the exponent avoids overflow.
    let doublings = (failures - 1).min(20);
    let minutes = (FIRST_BACKOFF_MINUTES << doublings).min(MAX_BACKOFF_MINUTES);
    Duration::minutes(minutes)
}

/// One journal line, as read.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Record {
    Url(UrlState),
    Gone { url: String },
    Robots(RobotsCache),
}

/// One journal line, as written (borrows, so recording does not clone).
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum RecordRef<'a> {
    Url(&'a UrlState),
    Gone { url: &'a str },
    Robots(&'a RobotsCache),
}

/// The journal file and its append handle.
#[derive(Debug)]
struct Journal {
    path: PathBuf,
    file: File,
    /// Lines in the file, live or stale, to decide when to compact.
    lines: usize,
}

/// Per-URL crawl state and robots.txt cache, journaled to disk.
#[derive(Debug)]
pub struct CrawlState {
    /// `None` for an in-memory store.
    journal: Option<Journal>,
    /// Ordered by URL so iteration and compaction are deterministic.
    urls: BTreeMap<String, UrlState>,
    robots: BTreeMap<String, RobotsCache>,
}

impl CrawlState {
    /// Opens (or creates, with its parent directories) the journal at `path`
    /// and replays it. Unreadable lines are skipped with a warning; a journal
    /// that is mostly stale records is compacted.
    pub fn open(path: &Path) -> Result<CrawlState> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(io_err(path))?;
        let mut state = CrawlState::in_memory();
        let (lines, ends_with_newline) = state.replay(&file, path)?;
        if !ends_with_newline {
            // A torn last line: end it, so the next record starts on a line
            // of its own instead of being glued to the garbage.
            file.write_all(b"\n").map_err(io_err(path))?;
        }
        state.journal = Some(Journal {
            path: path.to_owned(),
            file,
            lines,
        });
        let live = state.urls.len() + state.robots.len();
        if lines > COMPACT_MIN_LINES && lines > COMPACT_RATIO * live {
            tracing::info!(path = %path.display(), lines, live, "compacting crawl state");
            state.compact()?;
        }
        Ok(state)
    }

    /// A store that writes nothing (tests, `--dry-run`).
    pub fn in_memory() -> CrawlState {
        CrawlState {
            journal: None,
            urls: BTreeMap::new(),
            robots: BTreeMap::new(),
        }
    }

    /// Applies every parsable line of the journal; returns the line count and
    /// whether the file ends with a newline (an empty file counts as ending with one).
    fn replay(&mut self, file: &File, path: &Path) -> Result<(usize, bool)> {
        let mut reader = BufReader::new(file);
        reader.seek(SeekFrom::Start(0)).map_err(io_err(path))?;
        let mut line = Vec::new();
        let mut number = 0;
        let mut ends_with_newline = true;
        loop {
            line.clear();
            let read = reader.read_until(b'\n', &mut line).map_err(io_err(path))?;
            if read == 0 {
                break;
            }
            number += 1;
            ends_with_newline = line.last() == Some(&b'\n');
            let text = line.trim_ascii();
            if text.is_empty() {
                continue;
            }
            match serde_json::from_slice::<Record>(text) {
                Ok(record) => self.apply(record),
                Err(error) => tracing::warn!(
                    path = %path.display(),
                    line = number,
                    %error,
                    "skipping unreadable crawl state line"
                ),
            }
        }
        Ok((number, ends_with_newline))
    }

    fn apply(&mut self, record: Record) {
        match record {
            Record::Url(state) => {
                self.urls.insert(state.url.clone(), state);
            }
            Record::Gone { url } => {
                self.urls.remove(&url);
            }
            Record::Robots(cache) => {
                self.robots.insert(cache.host.clone(), cache);
            }
        }
    }

    /// Appends one record as one line. A single `write_all` of the whole
    /// line on an unbuffered file hands it to the kernel before returning,
    /// so it survives a kill of the process; no fsync per record, since
    /// losing the last records to a power cut only means refetching them.
    fn append(&mut self, record: &RecordRef<'_>) -> Result<()> {
        let Some(journal) = self.journal.as_mut() else {
            return Ok(());
        };
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        journal
            .file
            .write_all(&line)
            .and_then(|()| journal.file.flush())
            .map_err(io_err(&journal.path))?;
        journal.lines += 1;
        Ok(())
    }

    /// State of a canonical URL.
    pub fn get(&self, url: &str) -> Option<&UrlState> {
        self.urls.get(url)
    }

    /// Records (replaces) the state of `state.url`; durable when it returns.
    pub fn record(&mut self, state: UrlState) -> Result<()> {
        if self.urls.get(&state.url) == Some(&state) {
            return Ok(());
        }
        self.append(&RecordRef::Url(&state))?;
        self.urls.insert(state.url.clone(), state);
        Ok(())
    }

    /// Forgets a URL (journals a tombstone); a no-op for an unknown URL.
    pub fn remove(&mut self, url: &str) -> Result<()> {
        if !self.urls.contains_key(url) {
            return Ok(());
        }
        self.append(&RecordRef::Gone { url })?;
        self.urls.remove(url);
        Ok(())
    }

    /// Every known URL, in URL order.
    pub fn iter(&self) -> impl Iterator<Item = &UrlState> {
        self.urls.values()
    }

    /// URLs to fetch at `now` (see [`UrlState::is_due`]), never-scheduled
    /// ones first, then the longest overdue.
    pub fn due(&self, now: DateTime<Utc>) -> Vec<&UrlState> {
        let mut due: Vec<&UrlState> = self.urls.values().filter(|s| s.is_due(now)).collect();
        // Stable sort: ties stay in URL order. `None < Some(_)` puts unscheduled first.
        due.sort_by_key(|s| s.next_due);
        due
    }

    /// Number of known URLs.
    pub fn len(&self) -> usize {
        self.urls.len()
    }

    /// Whether no URL is known.
    pub fn is_empty(&self) -> bool {
        self.urls.is_empty()
    }

    /// Rewrites the journal as one line per live URL and robots entry.
    ///
    /// Writes `<journal>.tmp`, fsyncs it, renames it over the journal and
    /// fsyncs the directory, so a kill at any point leaves either the old or
    /// the new journal, both complete.
    pub fn compact(&mut self) -> Result<()> {
        let Some(journal) = self.journal.as_ref() else {
            return Ok(());
        };
        let path = journal.path.clone();
        let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
        tmp_name.push(".tmp");
        let tmp = path.with_file_name(tmp_name);

        let file = File::create(&tmp).map_err(io_err(&tmp))?;
        let mut out = BufWriter::new(file);
        let records = self
            .robots
            .values()
            .map(RecordRef::Robots)
            .chain(self.urls.values().map(RecordRef::Url));
        let mut lines = 0;
        for record in records {
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n").map_err(io_err(&tmp))?;
            lines += 1;
        }
        let file = out.into_inner().map_err(|e| io_err(&tmp)(e.into_error()))?;
        file.sync_all().map_err(io_err(&tmp))?;
        drop(file);
        fs::rename(&tmp, &path).map_err(io_err(&path))?;
        sync_dir(&path);

        let file = OpenOptions::new()
            .append(true)
            .open(&path)
            .map_err(io_err(&path))?;
        self.journal = Some(Journal { path, file, lines });
        Ok(())
    }

    /// Cached robots.txt of a host (fresh or not: see [`RobotsCache::is_fresh`]).
    pub fn robots(&self, host: &str) -> Option<&RobotsCache> {
        self.robots.get(host)
    }

    /// Records (replaces) a host's robots.txt; durable when it returns.
    pub fn record_robots(&mut self, cache: RobotsCache) -> Result<()> {
        if self.robots.get(&cache.host) == Some(&cache) {
            return Ok(());
        }
        self.append(&RecordRef::Robots(&cache))?;
        self.robots.insert(cache.host.clone(), cache);
        Ok(())
    }
}

/// Makes the rename durable. Best effort: not every platform can open a
/// directory, and the rename itself is already atomic.
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 4, 18, hour, 0, 0).unwrap()
    }

    fn fetched(url: &str) -> UrlState {
        UrlState {
            url: url.to_owned(),
            last_fetch: Some(at(10)),
            status: Some(200),
            etag: Some("\"abc\"".to_owned()),
            last_modified: Some("Thu, 18 Apr 2024 08:00:00 GMT".to_owned()),
            content_hash: Some(u64::MAX - 1),
            next_due: Some(at(12)),
            gone_count: 0,
            failures: 1,
            document_url: Some(format!("{url}/canonical")),
            is_listing: false,
        }
    }

    fn robots(host: &str) -> RobotsCache {
        RobotsCache {
            host: host.to_owned(),
            fetched: at(9),
            status: 200,
            body: "User-agent: *\nDisallow: /search\n".to_owned(),
        }
    }

    fn journal(dir: &tempfile::TempDir) -> PathBuf {
        dir.path().join("state").join(FILE_NAME)
    }

    #[test]
    fn record_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal(&dir);
        let mut state = CrawlState::open(&path).unwrap();
        assert!(state.is_empty());
        state.record(fetched("https://a.be/1")).unwrap();
        state.record(UrlState::discovered("https://a.be/2")).unwrap();
        let mut updated = fetched("https://a.be/1");
        updated.status = Some(304);
        state.record(updated.clone()).unwrap();
        drop(state);

        let state = CrawlState::open(&path).unwrap();
        assert_eq!(state.len(), 2);
        assert_eq!(state.get("https://a.be/1"), Some(&updated));
        assert_eq!(
            state.get("https://a.be/2"),
            Some(&UrlState::discovered("https://a.be/2"))
        );
    }

    #[test]
    fn torn_last_line_is_skipped_and_later_records_still_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal(&dir);
        let mut state = CrawlState::open(&path).unwrap();
        state.record(fetched("https://a.be/1")).unwrap();
        drop(state);
        // A kill in the middle of writing the next line.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"kind":"url","url":"https://a.be/2","sta"#)
            .unwrap();
        drop(file);

        let mut state = CrawlState::open(&path).unwrap();
        assert_eq!(state.len(), 1);
        state.record(fetched("https://a.be/3")).unwrap();
        drop(state);
        let state = CrawlState::open(&path).unwrap();
        let urls: Vec<&str> = state.iter().map(|s| s.url.as_str()).collect();
        assert_eq!(urls, ["https://a.be/1", "https://a.be/3"]);
    }

    #[test]
    fn garbage_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        fs::write(
            &path,
            "not json\n{\"kind\":\"url\",\"url\":\"https://a.be/1\"}\n\n{\"kind\":\"mystery\"}\n\u{0}\u{ff}\n",
        )
        .unwrap();
        let state = CrawlState::open(&path).unwrap();
        assert_eq!(state.len(), 1);
        assert_eq!(state.get("https://a.be/1").unwrap().failures, 0);
    }

    #[test]
    fn tombstone_removes_url_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal(&dir);
        let mut state = CrawlState::open(&path).unwrap();
        state.record(fetched("https://a.be/1")).unwrap();
        state.record(fetched("https://a.be/2")).unwrap();
        state.remove("https://a.be/1").unwrap();
        state.remove("https://a.be/unknown").unwrap();
        assert!(state.get("https://a.be/1").is_none());
        drop(state);

        let state = CrawlState::open(&path).unwrap();
        assert_eq!(state.len(), 1);
        assert!(state.get("https://a.be/1").is_none());
        assert!(fs::read_to_string(&path).unwrap().contains(r#""kind":"gone""#));
    }

    #[test]
    fn compaction_keeps_content_and_shrinks_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal(&dir);
        let mut state = CrawlState::open(&path).unwrap();
        for round in 0..20 {
            for page in 0..5 {
                let mut s = fetched(&format!("https://a.be/{page}"));
                s.failures = round;
                state.record(s).unwrap();
            }
        }
        state.record(fetched("https://a.be/doomed")).unwrap();
        state.remove("https://a.be/doomed").unwrap();
        state.record_robots(robots("a.be")).unwrap();
        let before = fs::metadata(&path).unwrap().len();
        let snapshot: Vec<UrlState> = state.iter().cloned().collect();

        state.compact().unwrap();
        let after = fs::metadata(&path).unwrap().len();
        assert!(after < before / 10, "{after} vs {before}");
        assert_eq!(fs::read_to_string(&path).unwrap().lines().count(), 6);
        assert!(!path.with_file_name(format!("{FILE_NAME}.tmp")).exists());

        // Still appendable after the swap, and the reopened store is the same.
        state.record(fetched("https://a.be/new")).unwrap();
        drop(state);
        let state = CrawlState::open(&path).unwrap();
        let mut expected = snapshot;
        expected.push(fetched("https://a.be/new"));
        expected.sort_by(|a, b| a.url.cmp(&b.url));
        assert_eq!(state.iter().cloned().collect::<Vec<_>>(), expected);
        assert_eq!(state.robots("a.be"), Some(&robots("a.be")));
    }

    #[test]
    fn open_compacts_a_mostly_stale_journal() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal(&dir);
        let mut state = CrawlState::open(&path).unwrap();
        for round in 0..1200 {
            let mut s = UrlState::discovered("https://a.be/only");
            s.failures = round;
            state.record(s).unwrap();
        }
        drop(state);
        let state = CrawlState::open(&path).unwrap();
        assert_eq!(state.get("https://a.be/only").unwrap().failures, 1199);
        assert_eq!(fs::read_to_string(&path).unwrap().lines().count(), 1);
    }

    #[test]
    fn due_respects_next_due_and_orders_unscheduled_first() {
        let mut state = CrawlState::in_memory();
        state.record(UrlState::discovered("https://a.be/new")).unwrap();
        let mut later = fetched("https://a.be/later");
        later.next_due = Some(at(15));
        state.record(later).unwrap();
        let mut overdue = fetched("https://a.be/overdue");
        overdue.next_due = Some(at(8));
        state.record(overdue).unwrap();
        let mut exact = fetched("https://a.be/exact");
        exact.next_due = Some(at(12));
        state.record(exact).unwrap();
        let mut backing_off = UrlState::discovered("https://a.be/failing");
        backing_off.failures = 1;
        backing_off.next_due = Some(at(13));
        state.record(backing_off).unwrap();

        let due: Vec<&str> = state.due(at(12)).iter().map(|s| s.url.as_str()).collect();
        assert_eq!(
            due,
            ["https://a.be/new", "https://a.be/overdue", "https://a.be/exact"]
        );
        assert_eq!(state.due(at(20)).len(), 5);
    }

    #[test]
    fn backoff_doubles_from_fifteen_minutes_and_caps_at_a_week() {
        assert_eq!(failure_backoff(0), Duration::zero());
        assert_eq!(failure_backoff(1), Duration::minutes(15));
        assert_eq!(failure_backoff(2), Duration::minutes(30));
        assert_eq!(failure_backoff(3), Duration::hours(1));
        assert_eq!(failure_backoff(4), Duration::hours(2));
        assert!(failure_backoff(10) < Duration::days(7));
        assert_eq!(failure_backoff(11), Duration::days(7));
        assert_eq!(failure_backoff(u32::MAX), Duration::days(7));
        for n in 1..40 {
            assert!(failure_backoff(n + 1) >= failure_backoff(n));
        }
    }

    #[test]
    fn robots_cache_round_trips_and_expires() {
        let dir = tempfile::tempdir().unwrap();
        let path = journal(&dir);
        let mut state = CrawlState::open(&path).unwrap();
        state.record_robots(robots("a.be")).unwrap();
        let mut refreshed = robots("a.be");
        refreshed.status = 404;
        refreshed.body.clear();
        state.record_robots(refreshed.clone()).unwrap();
        state.record_robots(robots("b.be:8080")).unwrap();
        drop(state);

        let state = CrawlState::open(&path).unwrap();
        assert_eq!(state.robots("a.be"), Some(&refreshed));
        assert_eq!(state.robots("b.be:8080"), Some(&robots("b.be:8080")));
        assert!(state.robots("c.be").is_none());
        assert!(state.is_empty(), "robots entries are not URLs");

        let cache = robots("a.be");
        assert!(cache.is_fresh(at(9) + Duration::hours(23)));
        assert!(!cache.is_fresh(at(9) + Duration::hours(24)));
    }

    #[test]
    fn in_memory_store_writes_nothing_and_compacts_trivially() {
        let mut state = CrawlState::in_memory();
        state.record(fetched("https://a.be/1")).unwrap();
        state.compact().unwrap();
        state.remove("https://a.be/1").unwrap();
        assert!(state.is_empty());
    }
}
