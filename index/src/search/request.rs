//! What a search asks for: [`SearchRequest`], its [`Filters`] and [`Sort`],
//! the limits a request must keep to and their checks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::facets::{self, FACETS, FacetDef, ValueKind};

/// Largest page a caller may ask for.
pub const MAX_PER_PAGE: usize = 1_000;

/// Most hits [`SearchIndex::export`](crate::SearchIndex::export) returns.
pub const MAX_EXPORT: usize = 10_000;

/// Values listed per facet unless [`SearchRequest::facet_size`] says.
pub const DEFAULT_FACET_SIZE: usize = 10;

/// Snippets per hit at most, from different places of the document.
pub const MAX_SNIPPETS: usize = 3;

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
    /// Snippets per hit, 0 to [`MAX_SNIPPETS`] (default): 0 gives none
    /// (`snippet` empty) and makes no snippet generators at all; the version
    /// a collapsed hit shows is then chosen by language and rank alone.
    pub snippets: usize,
    /// Disjunctive facet counts (default): each facet with a selection is
    /// counted in a pass of its own, without its own filter. `false`
    /// counts every facet in the hits pass under every filter
    /// (conjunctive counts), no extra pass.
    pub disjunctive: bool,
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
            snippets: MAX_SNIPPETS,
            disjunctive: true,
        }
    }
}

/// Facet filters by facet name ([`FACETS`]): values of one facet are ORed,
/// facets are ANDed. A facet without values does not filter. Serialized as
/// an object of every facet's values; read from one whose keys are facet
/// names or aliases and whose values are a string, a number or a list of
/// those.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// In [`FACETS`] order; empty when nothing was set.
    values: Vec<Vec<String>>,
}

impl Filters {
    /// The values of the facet `name` (or alias); empty for an unknown one.
    pub fn get(&self, name: &str) -> &[String] {
        match FACETS.iter().position(|facet| facet.answers_to(name)) {
            Some(at) => self.values.get(at).map_or(&[], Vec::as_slice),
            None => &[],
        }
    }

    /// Sets the values of the facet `name` (or alias).
    pub fn set<V: Into<String>>(&mut self, name: &str, values: impl IntoIterator<Item = V>) -> Result<()> {
        let Some(at) = FACETS.iter().position(|facet| facet.answers_to(name)) else {
            return Err(Error::InvalidRequest(format!(
                "unknown facet `{name}`; expected one of {}",
                facets::names()
            )));
        };
        self.values.resize(FACETS.len(), Vec::new());
        self.values[at] = values.into_iter().map(Into::into).collect();
        Ok(())
    }

    /// These filters with the values of `name` set, for names written in
    /// the code.
    ///
    /// # Panics
    ///
    /// When `name` is not a facet of [`FACETS`].
    pub fn with<V: Into<String>>(mut self, name: &str, values: impl IntoIterator<Item = V>) -> Filters {
        if let Err(error) = self.set(name, values) {
            panic!("{error}");
        }
        self
    }

    /// Each facet with its values, in [`FACETS`] order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static FacetDef, &[String])> {
        FACETS
            .iter()
            .enumerate()
            .map(|(at, facet)| (facet, self.values.get(at).map_or(&[][..], Vec::as_slice)))
    }

    /// Whether no facet filters.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Vec::is_empty)
    }
}

impl std::ops::Index<&str> for Filters {
    type Output = [String];

    /// As [`Filters::get`].
    fn index(&self, name: &str) -> &[String] {
        self.get(name)
    }
}

impl Serialize for Filters {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(FACETS.len()))?;
        for (facet, values) in self.iter() {
            map.serialize_entry(facet.name, values)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Filters {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Filters, D::Error> {
        /// A value as JSON gives it: years come as numbers.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Scalar {
            Text(String),
            Number(i64),
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(Scalar),
            Many(Vec<Scalar>),
        }
        let text = |scalar: Scalar| match scalar {
            Scalar::Text(text) => text,
            Scalar::Number(number) => number.to_string(),
        };
        let map = std::collections::BTreeMap::<String, OneOrMany>::deserialize(deserializer)?;
        let mut filters = Filters::default();
        for (name, values) in map {
            let values: Vec<String> = match values {
                OneOrMany::One(value) => vec![text(value)],
                OneOrMany::Many(values) => values.into_iter().map(text).collect(),
            };
            filters.set(&name, values).map_err(serde::de::Error::custom)?;
        }
        Ok(filters)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Filters {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
        let mut object = ObjectBuilder::new().description(Some(
            "Facet filters: values of one facet are ORed, facets are ANDed.",
        ));
        for facet in FACETS {
            let values = ArrayBuilder::new()
                .items(ObjectBuilder::new().schema_type(Type::String))
                .description(Some(facet.description));
            object = object.property(facet.name, values);
        }
        object.into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Filters {}

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
    if request.snippets > MAX_SNIPPETS {
        return Err(Error::InvalidRequest(format!(
            "snippets must be between 0 and {MAX_SNIPPETS}"
        )));
    }
    validate_filters(request)
}

/// The checks every search makes, exports included: year filters that are
/// years, dates in order.
pub(crate) fn validate_filters(request: &SearchRequest) -> Result<()> {
    for (facet, values) in request.filters.iter() {
        let bad = values.iter().find(|value| {
            facet.kind == ValueKind::Year && facet.clean(value).is_some_and(|v| v.parse::<i32>().is_err())
        });
        if let Some(bad) = bad {
            return Err(Error::InvalidRequest(format!(
                "{}: `{bad}` is not a year",
                facet.name
            )));
        }
    }
    if let (Some(from), Some(to)) = (request.from, request.to)
        && from > to
    {
        return Err(Error::InvalidRequest("from is after to".into()));
    }
    Ok(())
}
