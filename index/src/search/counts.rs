//! The facet lists of a search: facets without a selection are counted in
//! the hits pass, each facet with a selection in a pass of its own without
//! its own filter (disjunctive counts).

use tantivy::Searcher;
use tantivy::query::Query;

use crate::error::Result;
use crate::facets;
use crate::schema;

use super::filters::FilterQueries;
use super::request::SearchRequest;
use super::results::Facets;

/// Which facets a search counts where.
pub(crate) struct Counting<'r> {
    request: &'r SearchRequest,
    /// Facets counted in the hits pass, by position in [`schema::FACETS`].
    with_hits: Vec<usize>,
    /// Whether the search lists facets at all (export rows do not).
    full: bool,
}

impl<'r> Counting<'r> {
    /// Facets with a selection are counted in passes of their own
    /// (disjunctive counts), the others with the hits; none when not `full`.
    pub(crate) fn plan(request: &'r SearchRequest, filters: &FilterQueries, full: bool) -> Counting<'r> {
        let with_hits = (0..schema::FACETS.len())
            .filter(|at| full && filters.selected[*at].is_empty())
            .collect();
        Counting {
            request,
            with_hits,
            full,
        }
    }

    /// The collectors of the hits pass.
    pub(crate) fn with_hits(&self) -> Vec<facets::FacetCounter> {
        self.with_hits
            .iter()
            .map(|at| facets::collector(schema::FACETS[*at], self.request.collapse))
            .collect()
    }

    /// The facet lists: `counted` by the hits pass (in the order of
    /// [`with_hits`](Self::with_hits)), and a pass over `query` for each
    /// facet with a selection, under every filter but its own.
    pub(crate) fn lists(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        filters: &FilterQueries,
        counted: Vec<Vec<(String, u64)>>,
    ) -> Result<Facets> {
        if !self.full {
            return Ok(Facets::default());
        }
        let request = self.request;
        let mut all: Vec<Vec<(String, u64)>> = vec![Vec::new(); schema::FACETS.len()];
        for (at, counts) in self.with_hits.iter().zip(counted) {
            all[*at] = counts;
        }
        for (at, name) in schema::FACETS.iter().enumerate() {
            if !filters.selected[at].is_empty() {
                let query = filters.apply(query, Some(at));
                all[at] = searcher.search(&query, &facets::collector(name, request.collapse))?;
            }
        }
        let mut lists = all
            .into_iter()
            .zip(&filters.selected)
            .zip(schema::FACETS)
            .map(|((counted, selected), name)| facets::list(name, counted, selected, request.facet_size));
        let mut next = || lists.next().unwrap_or_default();
        Ok(Facets {
            theme: next(),
            year: next(),
            organisation: next(),
            language: next(),
            source: next(),
            doc_type: next(),
            keyword: next(),
        })
    }
}
