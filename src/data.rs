//! The data directory: what a crawl leaves on disk and where.
//!
//! ```text
//! DIR/index/               the tantivy index
//! DIR/crawl-state.jsonl    per-URL crawl state (validators, hashes, due dates)
//! DIR/archive/*.warc.gz    every response fetched, for provenance and `reindex`
//! DIR/crawls.json          the last crawl of each source that ran to its end
//!                          (finish time, requests, documents), for `/api/stats`
//!                          and `/metrics`; replaced atomically (temp file + rename)
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};
use index::SearchIndex;
use serde::{Deserialize, Serialize};

/// The last crawl of each source that ran to its end, by source id
/// (`DIR/crawls.json`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CrawlRecords {
    /// By source id.
    pub sources: BTreeMap<String, CrawlRecord>,
}

/// One source's last complete crawl.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CrawlRecord {
    /// When the crawl finished.
    pub finished_at: DateTime<Utc>,
    /// HTTP requests answered by the source's hosts (robots.txt included).
    pub requests: usize,
    /// Documents (new or changed) indexed from the source in that crawl.
    pub documents: usize,
    /// Requests that failed.
    pub failed: usize,
}

/// An index on disk built by another version of migrasearch (another
/// schema): it must be rebuilt from the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outdated {
    /// What the index library found incompatible.
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn index_dir(&self) -> PathBuf {
        self.root.join("index")
    }

    pub fn state_file(&self) -> PathBuf {
        self.root.join("crawl-state.jsonl")
    }

    pub fn archive_dir(&self) -> PathBuf {
        self.root.join("archive")
    }

    pub fn crawls_file(&self) -> PathBuf {
        self.root.join("crawls.json")
    }

    /// The last complete crawl of each source; empty when none finished yet.
    pub fn crawl_records(&self) -> anyhow::Result<CrawlRecords> {
        let path = self.crawls_file();
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).with_context(|| format!("reading {}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(CrawlRecords::default()),
            Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
        }
    }

    /// Records finished crawls, keeping the other sources' records. The file
    /// is replaced by a rename, so a reader never sees half of it.
    pub fn record_crawls(
        &self,
        finished: impl IntoIterator<Item = (String, CrawlRecord)>,
    ) -> anyhow::Result<()> {
        let mut records = self.crawl_records().unwrap_or_else(|error| {
            tracing::warn!(%error, "replacing an unreadable crawl record file");
            CrawlRecords::default()
        });
        records.sources.extend(finished);
        let path = self.crawls_file();
        let temp = self.root.join("crawls.json.tmp");
        let json = serde_json::to_vec_pretty(&records)?;
        std::fs::write(&temp, json).with_context(|| format!("writing {}", temp.display()))?;
        std::fs::rename(&temp, &path).with_context(|| format!("replacing {}", path.display()))
    }

    /// Opens the index, creating an empty one if there is none; `Ok(Err)`
    /// when the one on disk was built with another schema. One open for
    /// callers that handle that case (rebuild), where checking first and
    /// opening after would open it twice.
    pub fn open_checked(&self) -> anyhow::Result<Result<SearchIndex, Outdated>> {
        match SearchIndex::open_or_create(&self.index_dir()) {
            Ok(index) => Ok(Ok(index)),
            Err(index::Error::Incompatible(reason)) => Ok(Err(Outdated { reason })),
            Err(error) => {
                Err(error).with_context(|| format!("opening the index in {}", self.index_dir().display()))
            }
        }
    }

    /// Opens the index, creating an empty one if there is none. An index
    /// built by another version (another schema) is refused with what to do.
    pub fn open_or_create_index(&self) -> anyhow::Result<SearchIndex> {
        match self.open_checked()? {
            Ok(index) => Ok(index),
            Err(Outdated { reason }) => bail!(
                "the index in {} was built by another version of migrasearch ({reason}); rebuild it \
                 from the archive with `migrasearch reindex --data {}` (no network needed)",
                self.index_dir().display(),
                self.root.display()
            ),
        }
    }

    /// Opens the index for a full rebuild: one built with another schema is
    /// removed first (its content comes back from the archive).
    pub fn open_index_for_rebuild(&self) -> anyhow::Result<SearchIndex> {
        match self.open_checked()? {
            Ok(index) => Ok(index),
            Err(_) => {
                std::fs::remove_dir_all(self.index_dir()).with_context(|| {
                    format!("removing the outdated index in {}", self.index_dir().display())
                })?;
                self.open_or_create_index()
            }
        }
    }

    /// Opens an index that must exist (for `serve` and `search`).
    pub fn open_index(&self) -> anyhow::Result<SearchIndex> {
        if !self.index_dir().join("meta.json").exists() {
            bail!(
                "no index in {}: run `migrasearch crawl` or `migrasearch demo` first",
                self.root.display()
            );
        }
        self.open_or_create_index()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(requests: usize) -> CrawlRecord {
        CrawlRecord {
            finished_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            requests,
            documents: 1,
            failed: 0,
        }
    }

    #[test]
    fn crawl_records_merge_by_source() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let data = DataDir::new(dir.path());
        assert!(data.crawl_records()?.sources.is_empty());
        data.record_crawls([
            ("fedasil".to_owned(), record(1)),
            ("emn-belgium".to_owned(), record(2)),
        ])?;
        data.record_crawls([("fedasil".to_owned(), record(3))])?;
        let records = data.crawl_records()?;
        assert_eq!(records.sources["fedasil"].requests, 3);
        assert_eq!(records.sources["emn-belgium"].requests, 2);
        assert!(!data.root().join("crawls.json.tmp").exists());
        Ok(())
    }
}
