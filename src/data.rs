//! The data directory: what a crawl leaves on disk and where.
//!
//! ```text
//! DIR/index/               the tantivy index
//! DIR/crawl-state.jsonl    per-URL crawl state (validators, hashes, due dates)
//! DIR/archive/*.warc.gz    every response fetched, for provenance and `reindex`
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use index::SearchIndex;

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

    /// Opens the index, creating an empty one if there is none. An index
    /// built by another version (another schema) is refused with what to do.
    pub fn open_or_create_index(&self) -> anyhow::Result<SearchIndex> {
        match SearchIndex::open_or_create(&self.index_dir()) {
            Err(index::Error::Incompatible(reason)) => bail!(
                "the index in {} was built by another version of migrasearch ({reason}); rebuild it \
                 from the archive with `migrasearch reindex --data {}` (no network needed)",
                self.index_dir().display(),
                self.root.display()
            ),
            opened => opened.with_context(|| format!("opening the index in {}", self.index_dir().display())),
        }
    }

    /// Whether the index on disk was built with another schema.
    pub fn index_is_outdated(&self) -> bool {
        matches!(
            SearchIndex::open_or_create(&self.index_dir()),
            Err(index::Error::Incompatible(_))
        )
    }

    /// Opens the index for a full rebuild: one built with another schema is
    /// removed first (its content comes back from the archive).
    pub fn open_index_for_rebuild(&self) -> anyhow::Result<SearchIndex> {
        if self.index_is_outdated() {
            std::fs::remove_dir_all(self.index_dir())
                .with_context(|| format!("removing the outdated index in {}", self.index_dir().display()))?;
        }
        self.open_or_create_index()
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
