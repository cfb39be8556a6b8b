//! Writing: turning a [`Document`] into a tantivy document, upserts, deletes
//! and commits.
//!
//! Only one writer exists at a time (tantivy holds a lock file); changes are
//! invisible until [`IndexWriter::commit`], and dropped without it they are
//! discarded.

use std::sync::Arc;

use tantivy::{TantivyDocument, Term};

use crate::document::{Document, document_id};
use crate::error::{Error, Result};
use crate::facets::FACETS;
use crate::schema::{self, Fields};
use crate::shared::Shared;

/// Memory for the indexing arena. One thread: the machines have two cores
/// and searches must keep one.
const WRITER_MEMORY_BYTES: usize = 64 * 1024 * 1024;

/// Arena memory per indexing thread of a bulk load: larger arenas mean
/// fewer, larger segments and so less merging afterwards.
const BULK_MEMORY_PER_THREAD_BYTES: usize = 256 * 1024 * 1024;

/// Indexing threads of a bulk load at most; the caller's own thread
/// prepares the documents beside them.
const BULK_MAX_THREADS: usize = 4;

impl crate::SearchIndex {
    /// A writer for loading many documents at once (`import`): one
    /// indexing thread per core and more memory than
    /// [`writer`](crate::SearchIndex::writer), which crawls use so that
    /// searches keep a core. The same single-writer lock applies.
    pub fn bulk_writer(&self) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(BULK_MAX_THREADS);
        IndexWriter::with_resources(
            Arc::clone(&self.shared),
            threads,
            threads * BULK_MEMORY_PER_THREAD_BYTES,
        )
    }
}

/// Adds, replaces and deletes documents; see
/// [`SearchIndex::writer`](crate::SearchIndex::writer).
pub struct IndexWriter {
    writer: tantivy::IndexWriter<TantivyDocument>,
    shared: Arc<Shared>,
}

impl IndexWriter {
    pub(crate) fn new(shared: Arc<Shared>) -> Result<IndexWriter> {
        IndexWriter::with_resources(shared, 1, WRITER_MEMORY_BYTES)
    }

    fn with_resources(shared: Arc<Shared>, threads: usize, memory_bytes: usize) -> Result<IndexWriter> {
        let writer = shared
            .index
            .writer_with_num_threads(threads, memory_bytes)
            .map_err(|error| match error {
                tantivy::TantivyError::LockFailure(..) => Error::WriterBusy,
                other => Error::Tantivy(other),
            })?;
        Ok(IndexWriter { writer, shared })
    }

    /// Indexes `doc`, replacing any document with the same URL, so a recrawl
    /// updates in place. Visible after [`commit`](Self::commit).
    pub fn upsert(&mut self, doc: &Document) -> Result<()> {
        if doc.url.trim().is_empty() {
            return Err(Error::InvalidRequest("document url is empty".into()));
        }
        let tantivy_doc = to_tantivy(&self.shared.fields, doc)?;
        self.writer
            .delete_term(Term::from_field_text(self.shared.fields.url, &doc.url));
        self.writer.add_document(tantivy_doc)?;
        Ok(())
    }

    /// Replaces the passages of the document at `parent_url` with
    /// `passages` (none: removes them). Each passage must name that parent
    /// in [`Document::parent_url`] and carry [`Document::passage`].
    pub fn replace_passages(&mut self, parent_url: &str, passages: &[Document]) -> Result<()> {
        for passage in passages {
            if passage.passage.is_none() || passage.parent_url.as_deref() != Some(parent_url) {
                return Err(Error::InvalidRequest(format!(
                    "{} is not a passage of {parent_url}",
                    passage.url
                )));
            }
        }
        self.writer
            .delete_term(Term::from_field_text(self.shared.fields.container, parent_url));
        for passage in passages {
            self.upsert(passage)?;
        }
        Ok(())
    }

    /// Deletes the document with this URL and its passages, if any.
    /// Visible after [`commit`](Self::commit).
    pub fn delete(&mut self, url: &str) -> Result<()> {
        self.writer
            .delete_term(Term::from_field_text(self.shared.fields.url, url));
        self.writer
            .delete_term(Term::from_field_text(self.shared.fields.container, url));
        Ok(())
    }

    /// Deletes every document (`reindex` rebuilds from scratch). Visible,
    /// with what is added after it, at [`commit`](Self::commit): a search
    /// never sees the index empty.
    pub fn delete_all(&mut self) -> Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }

    /// Makes every change since the writer was opened durable and visible to
    /// the next search, atomically, then releases the writer lock.
    pub fn commit(mut self) -> Result<()> {
        self.writer.commit()?;
        self.shared.reader.reload()?;
        // The commit is already durable; a failed merge only costs space.
        if let Err(error) = self.writer.wait_merging_threads() {
            tracing::warn!(%error, "index merge failed after commit");
        }
        Ok(())
    }
}

/// Organisation names as the text writes them out in three words or more
/// (`Commissioner General for Refugees and Stateless Persons`), longest
/// first; acronyms and short names stay searchable as ordinary words.
fn written_out_names(doc: &Document) -> Vec<&str> {
    let mut names: Vec<&str> = doc
        .organisation_mentions
        .iter()
        .map(|mention| mention.text.as_str())
        .filter(|text| text.split_whitespace().count() >= 3)
        .collect();
    names.sort_by_key(|name| std::cmp::Reverse(name.len()));
    names.dedup();
    names
}

/// `text` with every occurrence of `names` blanked out (same length, so
/// the rest keeps its offsets).
fn mask<'t>(text: &'t str, names: &[&str]) -> std::borrow::Cow<'t, str> {
    if !names.iter().any(|name| text.contains(name)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut masked = text.to_owned();
    for name in names {
        masked = masked.replace(name, &" ".repeat(name.len()));
    }
    std::borrow::Cow::Owned(masked)
}

/// Maps a document onto the schema.
fn to_tantivy(fields: &Fields, doc: &Document) -> Result<TantivyDocument> {
    let mut out = TantivyDocument::new();
    out.add_text(fields.id, document_id(&doc.url));
    out.add_text(fields.url, &doc.url);
    let json = serde_json::to_string(doc).map_err(|error| Error::Corrupt(error.to_string()))?;
    out.add_text(fields.doc, json);
    if doc.passage.is_some()
        && let Some(parent) = &doc.parent_url
    {
        out.add_text(fields.container, parent);
    }
    out.add_text(fields.group, doc.group_key());
    // Only a document with translations shares a group; the others are
    // their own, which counting tells from a missing hash without hashing.
    if doc.translation_key.is_some() {
        out.add_u64(fields.group_hash, schema::group_hash(doc.group_key()));
    }

    // Titles are short, so indexing them under each of the document's
    // languages is cheap and lets a query in any of them find the title.
    let names = written_out_names(doc);
    for name in &names {
        out.add_text(fields.org_names, name);
    }
    if !doc.title.trim().is_empty() {
        let title = mask(&doc.title, &names);
        let langs = doc.known_languages();
        if langs.is_empty() {
            out.add_text(fields.title_any, &title);
        }
        for lang in langs {
            out.add_text(fields.titles[lang.index()], &title);
        }
    }
    for (target, text) in doc.routed_blocks() {
        out.add_text(fields.body(target), mask(text, &names));
    }
    for text in doc.keywords.iter().chain(&doc.organisations) {
        out.add_text(fields.meta, text);
    }

    for (facet, field) in FACETS.iter().zip(&fields.facets) {
        let mut seen: Vec<String> = Vec::new();
        for value in (facet.values)(doc) {
            if let Some(clean) = facet.clean(&value)
                && !seen.contains(&clean)
            {
                out.add_facet(*field, schema::facet_of(&clean));
                seen.push(clean);
            }
        }
    }
    if let Some(date) = doc.date {
        out.add_i64(fields.date, schema::date_value(date));
    }
    out.add_i64(fields.date_order, schema::date_order_value(doc.date, &doc.url));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::{Document, SearchIndex};

    fn doc(url: &str) -> Document {
        Document {
            url: url.to_owned(),
            title: "Accueil".to_owned(),
            ..Document::default()
        }
    }

    #[test]
    fn a_word_inside_a_written_out_name_ranks_below_the_same_word_as_topic() {
        use crate::{Block, OrganisationMention, SearchRequest};
        let name = "Commissariat général aux réfugiés et aux apatrides";
        let block = |text: &str| Block {
            lang: Some("fr".into()),
            text: text.into(),
        };
        let naming = Document {
            url: "https://example.org/cgra".into(),
            title: format!("Le {name} ouvre un site"),
            blocks: vec![block(&format!("Le {name} ouvre un site."))],
            languages: vec!["fr".into()],
            organisation_mentions: vec![OrganisationMention {
                name: "CGRS".into(),
                block: 0,
                start: 3,
                end: 3 + name.len(),
                text: name.into(),
            }],
            ..Document::default()
        };
        let topical = Document {
            url: "https://example.org/apatrides".into(),
            title: "Un droit de séjour".into(),
            blocks: vec![block(
                "Une nouvelle loi sur la procédure de séjour des apatrides, longue à décrire en détail.",
            )],
            languages: vec!["fr".into()],
            ..Document::default()
        };
        let index = SearchIndex::create_in_ram().unwrap();
        let mut writer = index.writer().unwrap();
        writer.upsert(&naming).unwrap();
        writer.upsert(&topical).unwrap();
        writer.commit().unwrap();
        let search = |query: &str| {
            let request = SearchRequest {
                query: query.into(),
                expand: false,
                ..SearchRequest::default()
            };
            let results = index.search(&request).unwrap();
            results.hits.into_iter().map(|hit| hit.url).collect::<Vec<_>>()
        };
        assert_eq!(search("apatrides"), [topical.url.as_str(), naming.url.as_str()]);
        // The name itself still finds the document that writes it out.
        assert_eq!(search("\"réfugiés et aux apatrides\""), [naming.url.as_str()]);
    }

    #[test]
    fn delete_all_then_add_is_atomic() {
        let index = SearchIndex::create_in_ram().unwrap();
        let mut writer = index.writer().unwrap();
        writer.upsert(&doc("https://example.org/a")).unwrap();
        writer.upsert(&doc("https://example.org/b")).unwrap();
        writer.commit().unwrap();
        let mut writer = index.writer().unwrap();
        writer.delete_all().unwrap();
        writer.upsert(&doc("https://example.org/c")).unwrap();
        assert_eq!(index.num_docs(), 2, "nothing visible before the commit");
        writer.commit().unwrap();
        assert_eq!(index.num_docs(), 1);
        assert!(index.contains("https://example.org/c").unwrap());
        assert!(!index.contains("https://example.org/a").unwrap());
    }
}
