//! Searching: [`SearchIndex::search`] and the exports, each a run of
//! [`SearchIndex::execute`] — build the query, apply the filters, rank and
//! collapse a window, count the facets, make the hits.
//!
//! - `handle`: [`SearchIndex`] itself: opening, the writer, look-ups.
//! - `request`: [`SearchRequest`], [`Filters`], [`Sort`] and their limits.
//! - `results`: [`SearchResults`], [`Hit`] and what a hit links to.
//! - `filters`: the request's filters as queries.
//! - `ranking`: the ranked window, preferred languages, version order.
//! - `counts`: the facet lists, disjunctive passes included.
//! - `hits`: loading a page's hits, their snippets, versions and parents.

mod counts;
mod filters;
mod handle;
mod hits;
pub(crate) mod ranking;
mod request;
mod results;

use std::sync::Arc;

use tantivy::Searcher;
use tantivy::collector::Count;
use tantivy::query::Query;

use crate::collapse::{self, DistinctGroups};
use crate::error::Result;
use crate::facets::Ordinals;
use crate::query::{self, QueryBuilder};
use crate::thesaurus::Thesaurus;

pub use handle::SearchIndex;
pub(crate) use hits::Links;
pub(crate) use ranking::{Ranked, ranked_window};
pub use request::{DEFAULT_FACET_SIZE, Filters, MAX_EXPORT, MAX_PER_PAGE, MAX_SNIPPETS, SearchRequest, Sort};
pub use results::{FacetCount, Facets, Hit, ParentRef, PassageRef, SearchResults, Version};

use counts::Counting;
use filters::FilterQueries;
use hits::Snippets;
use request::{validate, validate_filters};

impl SearchIndex {
    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        validate(request)?;
        let first = (request.page - 1).saturating_mul(request.per_page);
        self.execute(request, first, request.per_page, request.snippets, Extent::Full)
    }

    /// Every hit of a search, ranked and collapsed as [`search`](Self::search)
    /// ranks them, at most `limit` (and never more than [`MAX_EXPORT`]);
    /// `page` and `per_page` are ignored. `total` and `facets` are the
    /// search's; each hit has one snippet, the best (none for `snippets` 0).
    pub fn export(&self, request: &SearchRequest, limit: usize) -> Result<SearchResults> {
        validate_filters(request)?;
        self.execute(
            request,
            0,
            limit.min(MAX_EXPORT),
            request.snippets.min(1),
            Extent::Full,
        )
    }

    /// The rows of [`export`](Self::export), for formats that list hits
    /// alone: the same hits in the same order with the same `total`, but
    /// without their versions and parents (`versions` empty, `parent`
    /// `None`, `parent_url` kept) and with no facet counts.
    pub fn export_rows(&self, request: &SearchRequest, limit: usize) -> Result<SearchResults> {
        validate_filters(request)?;
        self.execute(
            request,
            0,
            limit.min(MAX_EXPORT),
            request.snippets.min(1),
            Extent::Rows,
        )
    }

    /// Runs a search for `count` hits from rank `first`, with up to
    /// `most_snippets` snippets each.
    fn execute(
        &self,
        request: &SearchRequest,
        first: usize,
        count: usize,
        most_snippets: usize,
        extent: Extent,
    ) -> Result<SearchResults> {
        let fields = &self.shared.fields;
        let searcher = self.shared.reader.searcher();
        let full = extent == Extent::Full;

        let mut builder = QueryBuilder::new(&self.shared.index, fields)
            .with_typos(request.fuzzy.then_some(&searcher))
            .with_decompounding(request.decompound);
        let parsed = query::parse(&request.query);
        let built = builder.build(&parsed, request.expand.then(Thesaurus::builtin));
        let filters = FilterQueries::new(fields, request);
        let counting = Counting::plan(request, &self.shared.ordinals, &filters, full);

        let window = window(&searcher, first, count);
        let by_date = request.sort == Sort::Date || !built.scored;
        let filtered = filters.apply(built.query.as_ref(), None);
        let (total, counted, page) = rank(
            &searcher,
            Arc::clone(&self.shared.ordinals),
            &filtered,
            &counting,
            request.collapse,
            window,
            by_date,
        )?;
        let facets = counting.lists(&searcher, built.query.as_ref(), &filters, counted)?;

        // Snippets quote the words typed before the thesaurus terms.
        let literal = (!built.expansions.is_empty()).then(|| builder.build(&parsed, None));
        let snippets = Snippets::new(&searcher, fields, &built, literal, most_snippets)?;
        let preferred = ranking::preferred_languages(request, &built.expansions);
        let preferred: Vec<&str> = preferred.iter().map(String::as_str).collect();
        let links = Links {
            versions: full && request.collapse,
            parents: full,
            preferred: &preferred,
        };
        let hits = self.hits(
            &searcher,
            page,
            links,
            built.scored,
            |documents| match &snippets {
                Some(snippets) => snippets.show(documents, &preferred),
                None => (collapse::pick_shown(documents, &preferred, |_| true), Vec::new()),
            },
        )?;
        Ok(SearchResults {
            total,
            hits,
            facets,
            expansions: built.expansions,
        })
    }
}

/// How much of a search to compute besides the ranked hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extent {
    /// Facet counts, and each hit's versions and parent.
    Full,
    /// The hits alone, as export formats list them.
    Rows,
}

/// Ranks `first..first + count`, never beyond the documents that exist:
/// tantivy allocates the window.
fn window(searcher: &Searcher, first: usize, count: usize) -> std::ops::Range<usize> {
    let alive = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let start = first.min(alive);
    start..start.saturating_add(count).min(alive)
}

/// A facet's counted values.
type Counted = Vec<(String, u64)>;

/// One pass over the matches of `query`: the total (groups when
/// collapsing), the counts of the facets `counting` counts with the hits,
/// and the page of ranked groups in `window`.
fn rank(
    searcher: &Searcher,
    ordinals: Arc<Ordinals>,
    query: &dyn Query,
    counting: &Counting,
    collapse: bool,
    window: std::ops::Range<usize>,
    by_date: bool,
) -> Result<(usize, Vec<Counted>, Vec<Ranked>)> {
    let counters = counting.with_hits();
    if collapse {
        let ((total, counts), _, page) = collapse::top_groups(
            searcher,
            query,
            (DistinctGroups(ordinals), counters),
            window,
            by_date,
        )?;
        Ok((total, counts, page))
    } else {
        let ((total, counts), ranked) = ranked_window(searcher, query, (Count, counters), window, by_date)?;
        Ok((total, counts, ranked.into_iter().map(|hit| vec![hit]).collect()))
    }
}
