//! The index handle: opening or creating an index, its writer, and
//! looking documents up by URL, id or translation group.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Index, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::analysis;
use crate::document::{Document, StoredDocument, document_id};
use crate::error::{Error, Result};
use crate::facets::Ordinals;
use crate::schema::{self, Fields};
use crate::shared::Shared;
use crate::writer::IndexWriter;

/// Most versions listed for one hit (a text is rarely in more than four
/// languages; the cap keeps a malformed group cheap).
pub(crate) const MAX_VERSIONS: usize = 16;

/// A searchable index. Cheap to clone; clones share the same index.
#[derive(Clone)]
pub struct SearchIndex {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("num_docs", &self.num_docs())
            .finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index
    /// if needed.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir)?;
        let directory = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
        let index =
            Index::open_or_create(directory, schema::build_schema()).map_err(|error| match error {
                tantivy::TantivyError::SchemaError(message) => Error::Incompatible(message),
                tantivy::TantivyError::IncompatibleIndex(incompatibility) => {
                    Error::Incompatible(format!("{incompatibility:?}"))
                }
                other => Error::Tantivy(other),
            })?;
        SearchIndex::from_index(index, Some(dir.to_owned()))
    }

    /// Creates an empty index in memory, for tests.
    pub fn create_in_ram() -> Result<SearchIndex> {
        SearchIndex::from_index(Index::create_in_ram(schema::build_schema()), None)
    }

    fn from_index(index: Index, dir: Option<PathBuf>) -> Result<SearchIndex> {
        analysis::register_analyzers(index.tokenizers());
        let fields = Fields::new(&index.schema())?;
        // Reloaded by `IndexWriter::commit` too, so a search right after a
        // commit of this process sees it. On disk, tantivy also watches
        // `meta.json`, so a server follows the commits of another process
        // (a crawl or an import into its data directory) without a restart.
        let policy = match dir {
            Some(_) => ReloadPolicy::OnCommitWithDelay,
            None => ReloadPolicy::Manual,
        };
        // The warmer reads a new segment's facet arrays before a searcher
        // that sees it is handed out, so no search pays for that.
        let ordinals = Arc::new(Ordinals::default());
        let warmer: Arc<dyn tantivy::Warmer> = ordinals.clone();
        let reader = index
            .reader_builder()
            .reload_policy(policy)
            .warmers(vec![Arc::downgrade(&warmer)])
            .try_into()?;
        Ok(SearchIndex {
            shared: Arc::new(Shared {
                index,
                reader,
                fields,
                ordinals,
                dir,
            }),
        })
    }

    /// Opens the writer. Only one may be open at a time: a second call
    /// before the first is committed or dropped fails with
    /// [`Error::WriterBusy`].
    pub fn writer(&self) -> Result<IndexWriter> {
        IndexWriter::new(Arc::clone(&self.shared))
    }

    /// Number of documents as of the last commit.
    pub fn num_docs(&self) -> u64 {
        self.shared.reader.searcher().num_docs()
    }

    /// Whether a document with this canonical URL, or passages of it, are
    /// in the index (a listing is indexed through its passages alone).
    pub fn contains(&self, url: &str) -> Result<bool> {
        let searcher = self.shared.reader.searcher();
        let fields = &self.shared.fields;
        let query = BooleanQuery::union(vec![
            Box::new(TermQuery::new(
                Term::from_field_text(fields.url, url),
                IndexRecordOption::Basic,
            )),
            Box::new(TermQuery::new(
                Term::from_field_text(fields.container, url),
                IndexRecordOption::Basic,
            )),
        ]);
        Ok(searcher.search(&query, &Count)? > 0)
    }

    /// The document with this id, if any.
    pub fn get(&self, id: &str) -> Result<Option<StoredDocument>> {
        let searcher = self.shared.reader.searcher();
        match self.address_of(&searcher, id)? {
            Some(address) => {
                let document = self.load(&searcher, address)?;
                Ok(Some(StoredDocument {
                    id: document_id(&document.url),
                    document,
                }))
            }
            None => Ok(None),
        }
    }

    /// Where the document with this id is, if any.
    pub(crate) fn address_of(&self, searcher: &Searcher, id: &str) -> Result<Option<DocAddress>> {
        let query = TermQuery::new(
            Term::from_field_text(self.shared.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.first().map(|(_, address)| *address))
    }

    /// Every indexed document of `document`'s translation group, itself
    /// included, in no particular order.
    pub(crate) fn translations(&self, searcher: &Searcher, document: &Document) -> Result<Vec<Document>> {
        let query = TermQuery::new(
            Term::from_field_text(self.shared.fields.group, document.group_key()),
            IndexRecordOption::Basic,
        );
        let found = searcher.search(&query, &TopDocs::with_limit(MAX_VERSIONS).order_by_score())?;
        found
            .into_iter()
            .map(|(_, address)| self.load(searcher, address))
            .collect()
    }

    pub(crate) fn load(&self, searcher: &Searcher, address: DocAddress) -> Result<Document> {
        self.stored(searcher, address)
    }

    /// The stored JSON of the document at `address`, read as `T`.
    pub(crate) fn stored<T: DeserializeOwned>(&self, searcher: &Searcher, address: DocAddress) -> Result<T> {
        let stored: TantivyDocument = searcher.doc(address)?;
        let json = stored
            .get_first(self.shared.fields.doc)
            .and_then(|value| value.as_str())
            .ok_or_else(|| Error::Corrupt("stored document has no json".into()))?;
        serde_json::from_str(json).map_err(|error| Error::Corrupt(error.to_string()))
    }
}
