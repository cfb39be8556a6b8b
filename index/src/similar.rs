//! Related documents: tantivy's more-like-this over the text of a document
//! and of its translations.

use tantivy::Term;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, OwnedValue};

use crate::collapse;
use crate::document::Document;
use crate::error::Result;
use crate::search::{Hit, Links, MAX_PER_PAGE, SearchIndex};
use crate::snippet;

/// More-like-this tuning. The corpus is a few thousand documents, so the
/// Lucene-style defaults (a term must be in 5 documents and twice in the
/// source) would leave most documents with no query at all: any term
/// counts, once is enough, and idf does the weighting. 25 terms keep the
/// query focused and cheap; terms under 3 bytes are mostly leftovers of
/// elision and numbering (`l`, `d`, `1a`). Stop words are already gone:
/// the fields' analyzers drop them.
const MIN_DOC_FREQUENCY: u64 = 1;
const MIN_TERM_FREQUENCY: usize = 1;
const MAX_QUERY_TERMS: usize = 25;
const MIN_WORD_LENGTH: usize = 3;

impl SearchIndex {
    /// Up to `limit` documents related to the one with this id, most
    /// related first; `None` when no document has the id. The text of the
    /// document's translations counts too, each in its language, so a
    /// French page also finds Dutch ones when its Dutch version is indexed.
    /// The document, its translations, its passages and its parent are left
    /// out; translations of a related text come as one hit (shown in the
    /// document's language when there is one), with the beginning of its
    /// text as snippet.
    pub fn similar(&self, id: &str, limit: usize) -> Result<Option<Vec<Hit>>> {
        let searcher = self.shared.reader.searcher();
        let Some(address) = self.address_of(&searcher, id)? else {
            return Ok(None);
        };
        let document = self.load(&searcher, address)?;
        let limit = limit.min(MAX_PER_PAGE);
        let mut versions = self.translations(&searcher, &document)?;
        versions.retain(|version| version.url != document.url);
        let texts = self.texts(std::iter::once(&document).chain(&versions));
        if limit == 0 || texts.is_empty() {
            return Ok(Some(Vec::new()));
        }

        let related = MoreLikeThisQuery::builder()
            .with_min_doc_frequency(MIN_DOC_FREQUENCY)
            .with_min_term_frequency(MIN_TERM_FREQUENCY)
            .with_max_query_terms(MAX_QUERY_TERMS)
            .with_min_word_length(MIN_WORD_LENGTH)
            .with_document_fields(texts);
        let query = BooleanQuery::new(self.exclusions(&document, Box::new(related)));

        let (_, _, groups) = collapse::top_groups(&searcher, &query, Count, 0..limit, false)?;
        let preferred: Vec<&str> = collapse::main_language(&document).into_iter().collect();
        let links = Links {
            versions: true,
            parents: true,
            preferred: &preferred,
        };
        let hits = self.hits(&searcher, groups, links, true, |matched| {
            let shown = collapse::pick_shown(matched, &preferred, |_| true);
            (
                shown,
                snippet::lead_snippet(&matched[shown]).into_iter().collect(),
            )
        })?;
        Ok(Some(hits))
    }

    /// The text of `documents` per field, as indexing routed it: titles
    /// under each language of their document, blocks under theirs,
    /// keywords in the metadata field.
    fn texts<'d>(&self, documents: impl Iterator<Item = &'d Document>) -> Vec<(Field, Vec<OwnedValue>)> {
        let fields = &self.shared.fields;
        let mut texts: Vec<(Field, Vec<OwnedValue>)> = Vec::new();
        let mut add = |field: Field, text: &str| {
            if text.trim().is_empty() {
                return;
            }
            let value = OwnedValue::Str(text.to_owned());
            match texts.iter_mut().find(|(f, _)| *f == field) {
                Some((_, values)) => values.push(value),
                None => texts.push((field, vec![value])),
            }
        };
        for document in documents {
            let langs = document.known_languages();
            if langs.is_empty() {
                add(fields.title_any, &document.title);
            }
            for lang in langs {
                add(fields.titles[lang.index()], &document.title);
            }
            for (target, text) in document.routed_blocks() {
                add(fields.body(target), text);
            }
            for keyword in &document.keywords {
                add(fields.meta, keyword);
            }
        }
        texts
    }

    /// `related` without the document and its translations (its group,
    /// which holds them all, the document itself when it has none), its
    /// passages and its parent.
    fn exclusions(&self, document: &Document, related: Box<dyn Query>) -> Vec<(Occur, Box<dyn Query>)> {
        let fields = &self.shared.fields;
        let term = |field: Field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let mut clauses = vec![
            (Occur::Must, related),
            (Occur::MustNot, term(fields.group, document.group_key())),
            (Occur::MustNot, term(fields.container, &document.url)),
        ];
        if let Some(parent) = &document.parent_url {
            clauses.push((Occur::MustNot, term(fields.url, parent)));
        }
        clauses
    }
}
