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
use crate::schema::{self, Fields};
use crate::search::Shared;

/// Memory for the indexing arena. One thread: the machines have two cores
/// and searches must keep one.
const WRITER_MEMORY_BYTES: usize = 64 * 1024 * 1024;

/// Adds, replaces and deletes documents; see
/// [`SearchIndex::writer`](crate::SearchIndex::writer).
pub struct IndexWriter {
    writer: tantivy::IndexWriter<TantivyDocument>,
    shared: Arc<Shared>,
}

impl IndexWriter {
    pub(crate) fn new(shared: Arc<Shared>) -> Result<IndexWriter> {
        let writer = shared
            .index
            .writer_with_num_threads(1, WRITER_MEMORY_BYTES)
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
    out.add_u64(fields.group_hash, schema::group_hash(doc.group_key()));

    // Titles are short, so indexing them under each of the document's
    // languages is cheap and lets a query in any of them find the title.
    if !doc.title.trim().is_empty() {
        let langs = doc.known_languages();
        if langs.is_empty() {
            out.add_text(fields.title_any, &doc.title);
        }
        for lang in langs {
            out.add_text(fields.titles[lang.index()], &doc.title);
        }
    }
    for (target, text) in doc.routed_blocks() {
        out.add_text(fields.body(target), text);
    }
    for text in doc.keywords.iter().chain(&doc.organisations) {
        out.add_text(fields.meta, text);
    }

    let year = doc.date.map(|date| {
        use chrono::Datelike;
        date.year().to_string()
    });
    let facet_values: [(&str, Vec<&str>); 6] = [
        // Explicit and inferred themes alike: a document that shows no
        // theme is still found under the themes its text is about.
        (
            schema::THEME,
            doc.themes
                .iter()
                .chain(&doc.themes_inferred)
                .map(String::as_str)
                .collect(),
        ),
        (schema::YEAR, year.iter().map(String::as_str).collect()),
        (
            schema::ORGANISATION,
            doc.organisations.iter().map(String::as_str).collect(),
        ),
        (
            schema::LANGUAGE,
            doc.languages.iter().map(String::as_str).collect(),
        ),
        (schema::SOURCE, vec![doc.source.as_str()]),
        (schema::TYPE, vec![doc.doc_type.as_str()]),
    ];
    for (name, values) in facet_values {
        let Some(field) = fields.facet(name) else {
            continue;
        };
        let mut seen: Vec<String> = Vec::new();
        for value in values {
            if let Some(clean) = schema::facet_value(name, value)
                && !seen.contains(&clean)
            {
                out.add_facet(field, schema::facet_of(&clean));
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
