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

    /// Opens the index, creating an empty one if there is none.
    pub fn open_or_create_index(&self) -> anyhow::Result<SearchIndex> {
        SearchIndex::open_or_create(&self.index_dir())
            .with_context(|| format!("opening the index in {}", self.index_dir().display()))
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
