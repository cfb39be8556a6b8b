//! What a search asks for: [`SearchRequest`], its [`Filters`] and [`Sort`],
//! the limits a request must keep to and their checks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Largest page a caller may ask for.
pub const MAX_PER_PAGE: usize = 1_000;

/// Most hits [`SearchIndex::export`](crate::SearchIndex::export) returns.
pub const MAX_EXPORT: usize = 10_000;

/// Values listed per facet unless [`SearchRequest::facet_size`] says.
pub const DEFAULT_FACET_SIZE: usize = 10;

/// Snippets per hit at most, from different places of the document.
pub(crate) const MAX_SNIPPETS: usize = 3;

/// What to search for; see the field docs for the semantics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SearchRequest {
    /// User query (see the crate docs for the syntax); empty matches all.
    pub query: String,
    /// Facet filters.
    pub filters: Filters,
    /// Earliest date, inclusive. Undated documents are excluded when set.
    pub from: Option<NaiveDate>,
    /// Latest date, inclusive. Undated documents are excluded when set.
    pub to: Option<NaiveDate>,
    /// Result order.
    pub sort: Sort,
    /// Page number, from 1.
    pub page: usize,
    /// Hits per page, 1 to [`MAX_PER_PAGE`].
    pub per_page: usize,
    /// Also search the thesaurus terms of other languages for the concepts
    /// the query names (`statelessness` → `apatridie`, `staatloosheid`).
    pub expand: bool,
    /// Tolerate typos: a word of 5 letters or more also finds terms one
    /// edit away (two from 9 letters), ranked below exact matches. Names and
    /// acronyms (`AMIF`, `DG HOME`) and words with digits stay exact.
    pub fuzzy: bool,
    /// Also search Dutch and German compounds as their parts
    /// (`opvangcrisis` finds `crisis van de opvang`). Documents are split
    /// at index time whatever this says, so `opvang` finds `opvangcrisis`.
    pub decompound: bool,
    /// Show translations of one text (linked passages and pages) as one
    /// hit listing its versions; `false` lists every version apart.
    pub collapse: bool,
    /// Language whose version a collapsed hit shows first (`lang`); without
    /// it, the query's language when the thesaurus tells it.
    pub prefer_language: Option<String>,
    /// Values listed per facet (default [`DEFAULT_FACET_SIZE`]): the most
    /// frequent, plus every selected value wherever it ranks (0: only
    /// those). The `year` list is never cut.
    pub facet_size: usize,
}

impl Default for SearchRequest {
    fn default() -> SearchRequest {
        SearchRequest {
            query: String::new(),
            filters: Filters::default(),
            from: None,
            to: None,
            sort: Sort::default(),
            page: 1,
            per_page: 20,
            expand: true,
            fuzzy: true,
            decompound: true,
            collapse: true,
            prefer_language: None,
            facet_size: DEFAULT_FACET_SIZE,
        }
    }
}

/// Facet filters: values of one facet are ORed, facets are ANDed. An empty
/// list does not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Filters {
    /// Canonical theme labels.
    pub theme: Vec<String>,
    /// Canonical organisation names.
    pub organisation: Vec<String>,
    /// Publication years.
    pub year: Vec<i32>,
    /// Language codes.
    pub language: Vec<String>,
    /// Source sites.
    pub source: Vec<String>,
    /// Document types.
    #[serde(rename = "type", alias = "doc_type")]
    pub doc_type: Vec<String>,
    /// Keywords, as the documents give them.
    pub keyword: Vec<String>,
}

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first; an empty query lists newest first.
    #[default]
    Relevance,
    /// Newest first, undated last.
    Date,
}

pub(crate) fn validate(request: &SearchRequest) -> Result<()> {
    if request.page == 0 {
        return Err(Error::InvalidRequest("page starts at 1".into()));
    }
    if request.per_page == 0 || request.per_page > MAX_PER_PAGE {
        return Err(Error::InvalidRequest(format!(
            "per_page must be between 1 and {MAX_PER_PAGE}"
        )));
    }
    validate_dates(request)
}

pub(crate) fn validate_dates(request: &SearchRequest) -> Result<()> {
    if let (Some(from), Some(to)) = (request.from, request.to)
        && from > to
    {
        return Err(Error::InvalidRequest("from is after to".into()));
    }
    Ok(())
}
