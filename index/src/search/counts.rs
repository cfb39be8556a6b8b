//! The facet lists of a search. Disjunctive (the default): facets without
//! a selection are counted in the hits pass, each facet with a selection in
//! a pass of its own without its own filter. Conjunctive: every facet in
//! the hits pass, under every filter.

use std::sync::Arc;

use tantivy::Searcher;
use tantivy::query::Query;

use crate::error::Result;
use crate::facets::{self, FACETS, FacetCounter, Ordinals};

use super::filters::FilterQueries;
use super::request::SearchRequest;
use super::results::Facets;

/// Which facets a search counts where.
pub(crate) struct Counting<'r> {
    request: &'r SearchRequest,
    /// What the counters read.
    ordinals: &'r Arc<Ordinals>,
    /// Facets counted in the hits pass, by position in [`FACETS`].
    with_hits: Vec<usize>,
    /// Whether the search lists facets at all (export rows do not).
    full: bool,
}

impl<'r> Counting<'r> {
    /// Which facets the hits pass counts: none when not `full`, every one
    /// for conjunctive counts, else those without a selection.
    pub(crate) fn plan(
        request: &'r SearchRequest,
        ordinals: &'r Arc<Ordinals>,
        filters: &FilterQueries,
        full: bool,
    ) -> Counting<'r> {
        let with_hits = (0..FACETS.len())
            .filter(|at| full && (!request.disjunctive || filters.selected[*at].is_empty()))
            .collect();
        Counting {
            request,
            ordinals,
            with_hits,
            full,
        }
    }

    /// The collector of the hits pass.
    pub(crate) fn with_hits(&self) -> FacetCounter {
        facets::collector(self.ordinals, self.with_hits.clone(), self.request.collapse)
    }

    /// The facet lists: `counted` by the hits pass (in the order of
    /// [`with_hits`](Self::with_hits)), and a pass over `query` for each
    /// facet left, under every filter but its own.
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
        let mut all: Vec<Option<Vec<(String, u64)>>> = vec![None; FACETS.len()];
        for (at, counts) in self.with_hits.iter().zip(counted) {
            all[*at] = Some(counts);
        }
        let mut lists = Vec::with_capacity(FACETS.len());
        for (at, (facet, counts)) in FACETS.iter().zip(all).enumerate() {
            let counts = match counts {
                Some(counts) => counts,
                None => {
                    let query = filters.apply(query, Some(at));
                    let counter = facets::collector(self.ordinals, vec![at], self.request.collapse);
                    searcher.search(&query, &counter)?.pop().unwrap_or_default()
                }
            };
            lists.push(facets::list(
                facet,
                counts,
                &filters.selected[at],
                self.request.facet_size,
            ));
        }
        Ok(Facets::from_lists(lists))
    }
}
