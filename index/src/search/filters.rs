//! The filters of a request as tantivy queries, so that the hits pass and
//! each disjunctive facet pass apply the same ones.

use std::ops::Bound;

use chrono::NaiveDate;
use tantivy::Term;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::schema::{self, Fields};

use super::request::SearchRequest;

/// The filters of a request as queries: one per facet with values, in
/// [`FACETS`](crate::FACETS) order, and one for the date range.
pub(crate) struct FilterQueries {
    /// Clean selected values per facet, in [`FACETS`](crate::FACETS)
    /// order; empty for a facet that does not filter.
    pub selected: Vec<Vec<String>>,
    /// `(facet position, query)` of the facets that filter.
    facets: Vec<(usize, Box<dyn Query>)>,
    dates: Option<Box<dyn Query>>,
}

impl FilterQueries {
    pub(crate) fn new(fields: &Fields, request: &SearchRequest) -> FilterQueries {
        let mut selected = Vec::new();
        let mut facets: Vec<(usize, Box<dyn Query>)> = Vec::new();
        for (at, (facet, values)) in request.filters.iter().enumerate() {
            let mut clean: Vec<String> = Vec::new();
            for value in values.iter().filter_map(|value| facet.clean(value)) {
                if !clean.contains(&value) {
                    clean.push(value);
                }
            }
            let alternatives: Vec<Box<dyn Query>> = clean
                .iter()
                .map(|value| -> Box<dyn Query> {
                    let term = Term::from_facet(fields.facets[at], &schema::facet_of(value));
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                })
                .collect();
            if !alternatives.is_empty() {
                facets.push((at, Box::new(BooleanQuery::union(alternatives))));
            }
            selected.push(clean);
        }
        let dates = (request.from.is_some() || request.to.is_some()).then(|| -> Box<dyn Query> {
            let bound = |date: Option<NaiveDate>| match date {
                Some(date) => Bound::Included(Term::from_field_i64(fields.date, schema::date_value(date))),
                None => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(bound(request.from), bound(request.to)))
        });
        FilterQueries {
            selected,
            facets,
            dates,
        }
    }

    /// `query` restricted by every filter but the one of the facet at
    /// `except`.
    pub(crate) fn apply(&self, query: &dyn Query, except: Option<usize>) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query.box_clone())];
        let filters = self
            .facets
            .iter()
            .filter(|(at, _)| Some(*at) != except)
            .map(|(_, filter)| filter)
            .chain(&self.dates);
        for filter in filters {
            // Filters select, they must not change the ranking.
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0)),
            ));
        }
        BooleanQuery::new(clauses)
    }
}
