//! Looking at the index as a whole rather than through a query: facet
//! values for type-ahead, and statistics.

use std::ops::Bound;
use std::path::Path;

use serde::Serialize;
use tantivy::Term;
use tantivy::collector::Count;
use tantivy::query::{AllQuery, RangeQuery};

use crate::analysis;
use crate::error::{Error, Result};
use crate::facets;
use crate::search::{FacetCount, SearchIndex, SearchRequest};

/// What the index holds; see [`SearchIndex::stats`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndexStats {
    /// Indexed documents that are not passages.
    pub documents: u64,
    /// Passages (sessions, projects, listing items) of documents.
    pub passages: u64,
    /// Documents and passages per source, most first.
    pub by_source: Vec<FacetCount>,
    /// Documents and passages per language, most first.
    pub by_language: Vec<FacetCount>,
    /// Documents and passages per type, most first.
    pub by_type: Vec<FacetCount>,
    /// Size of the index's files on disk; 0 in memory.
    pub size_bytes: u64,
}

impl SearchIndex {
    /// Values of facet `facet` (a name of [`FACETS`](crate::FACETS)) over every document, with
    /// their counts, most frequent first, at most `limit`: those matching
    /// `prefix` ignoring case and accents, from the start of any word, and
    /// running on over the next words (`cai` finds `Caritas
    /// International`); an empty prefix lists the top values. An unknown
    /// facet is a caller error.
    pub fn facet_values(&self, facet: &str, prefix: &str, limit: usize) -> Result<Vec<FacetCount>> {
        // Every document, each version apart: the search that matches all.
        let everything = SearchRequest {
            collapse: false,
            ..SearchRequest::default()
        };
        self.facet_values_in(&everything, facet, prefix, limit)
    }

    /// Values of facet `facet` matching `prefix` (as in
    /// [`facet_values`](Self::facet_values)) with their counts in the
    /// results of `request`, counted as its facet lists are (disjunctive:
    /// the facet's own selection does not narrow its counts; translations
    /// once when collapsed), values with hits first, selected values kept
    /// even at 0; at most `limit`. `request`'s paging and `facet_size` are
    /// ignored: every value is looked at, not only the listed ones.
    pub fn facet_values_in(
        &self,
        request: &SearchRequest,
        facet: &str,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<FacetCount>> {
        if facets::facet(facet).is_none() {
            return Err(Error::InvalidRequest(format!(
                "unknown facet `{facet}`; expected one of {}",
                facets::names()
            )));
        }
        let counting = SearchRequest {
            page: 1,
            per_page: 1,
            facet_size: usize::MAX,
            snippets: 0,
            ..request.clone()
        };
        let results = self.search(&counting)?;
        let mut analyzer = analysis::simple_analyzer();
        let typed = facets::folded_words(&mut analyzer, prefix).concat();
        let mut list: Vec<FacetCount> = results
            .facets
            .by_name(facet)
            .iter()
            .filter(|count| count.count > 0 || count.selected)
            .filter(|count| {
                facets::prefix_matches(&facets::folded_words(&mut analyzer, &count.value), &typed)
            })
            .cloned()
            .collect();
        facets::sort(&mut list);
        list.truncate(limit);
        Ok(list)
    }

    /// Counts of what the index holds, as of the last commit.
    pub fn stats(&self) -> Result<IndexStats> {
        let searcher = self.shared.reader.searcher();
        let fields = &self.shared.fields;
        // Passages, and only they, have a container: every term of the
        // field, from the empty one up.
        let passages = RangeQuery::new(
            Bound::Included(Term::from_field_text(fields.container, "")),
            Bound::Unbounded,
        );
        let passages = searcher.search(&passages, &Count)? as u64;
        let facets = ["source", "language", "type"].map(|name| facets::position(name).unwrap_or(usize::MAX));
        let counter = facets::collector(&self.shared.ordinals, facets.to_vec(), false);
        let mut lists = searcher.search(&AllQuery, &counter)?.into_iter();
        let (sources, languages, types) = (
            lists.next().unwrap_or_default(),
            lists.next().unwrap_or_default(),
            lists.next().unwrap_or_default(),
        );
        Ok(IndexStats {
            documents: searcher.num_docs().saturating_sub(passages),
            passages,
            by_source: facets::sorted(sources),
            by_language: facets::sorted(languages),
            by_type: facets::sorted(types),
            size_bytes: self.shared.dir.as_deref().map_or(0, size_on_disk),
        })
    }
}

/// Total size of the files under `dir`. Files vanish while merges run, so
/// one that cannot be read counts as nothing rather than failing.
fn size_on_disk(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => size_on_disk(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}
