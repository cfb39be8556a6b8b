//! What a search returns: [`SearchResults`], its [`Hit`]s with their
//! parents, passages and versions, and the facet counts.

use chrono::NaiveDate;
use serde::Serialize;

pub use crate::facets::FacetCount;
use crate::facets::{FACETS, position};
use crate::query::Expansion;

/// One page of results with facet counts over the matching documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// Number of hits: matching documents, translations counted once when
    /// collapsed.
    pub total: usize,
    /// The requested page.
    pub hits: Vec<Hit>,
    /// Counts per facet value (see [`Facets`]).
    pub facets: Facets,
    /// The thesaurus expansions the query used.
    pub expansions: Vec<Expansion>,
}

/// One matching document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Canonical URL.
    pub url: String,
    /// Title.
    pub title: String,
    /// HTML: escaped text with matches in `<mark>`; without matches in the
    /// text, its beginning.
    pub snippet: String,
    /// Up to three snippets from different places of the document, best
    /// first (equal to [`snippet`](Self::snippet)); one (the beginning) or
    /// none when nothing in the text matched.
    pub snippets: Vec<String>,
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Publication year.
    pub year: Option<i32>,
    /// Language codes.
    pub language: Vec<String>,
    /// Theme labels the source shows.
    pub themes: Vec<String>,
    /// Theme labels inferred from the text, for a document that shows none.
    pub themes_inferred: Vec<String>,
    /// Organisation names.
    pub organisations: Vec<String>,
    /// Source site.
    pub source: String,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Relevance score; 0 when the query has nothing to rank by.
    pub score: f32,
    /// Page the document was found on, or the document a passage is part of.
    pub parent_url: Option<String>,
    /// The document a passage is part of, or the page a file was found on.
    pub parent: Option<ParentRef>,
    /// Set when the hit is a passage of [`parent`](Self::parent).
    pub passage: Option<PassageRef>,
    /// Every language version of the hit, the one shown first; empty when
    /// the document has no known translation or results are not collapsed.
    pub versions: Vec<Version>,
}

/// The parent of a hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParentRef {
    /// Document id, when the parent is indexed.
    pub id: Option<String>,
    /// Canonical URL.
    pub url: String,
    /// Title, when known.
    pub title: Option<String>,
}

/// What kind of passage a hit is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PassageRef {
    /// `session`, `project` or `item`.
    pub kind: String,
    /// Fragment id in the parent.
    pub anchor: String,
    /// A session's time slots, a project's code or period.
    pub slot: Option<String>,
}

/// One language version of a collapsed hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Version {
    /// Document id.
    pub id: String,
    /// Canonical URL.
    pub url: String,
    /// Title in that language.
    pub title: String,
    /// Main language code.
    pub language: Option<String>,
}

/// Facet counts, one list per facet of [`FACETS`], in that order
/// (serialized as an object keyed by facet name). Disjunctive unless
/// [`SearchRequest::disjunctive`](crate::SearchRequest::disjunctive) is
/// off: a facet with selected values counts the documents matching the
/// query and every *other* filter (dates included), so its other values
/// show what choosing them too would add; a facet without selection counts
/// the matching documents. Lists are sorted by count (descending) then
/// value and cut to
/// [`SearchRequest::facet_size`](crate::SearchRequest::facet_size), every
/// selected value kept (count 0 when nothing has it). `year` lists every
/// year from the first to the last, ascending, with 0 for the years
/// between that have nothing, uncut.
#[derive(Debug, Clone, PartialEq)]
pub struct Facets {
    /// In [`FACETS`] order, every facet present.
    lists: Vec<Vec<FacetCount>>,
}

impl Default for Facets {
    /// Every facet, with an empty list.
    fn default() -> Facets {
        Facets {
            lists: vec![Vec::new(); FACETS.len()],
        }
    }
}

impl Facets {
    /// From one list per facet, in [`FACETS`] order.
    pub(crate) fn from_lists(mut lists: Vec<Vec<FacetCount>>) -> Facets {
        lists.resize(FACETS.len(), Vec::new());
        Facets { lists }
    }

    /// The list of a facet by its name (`type` for the document type);
    /// empty for an unknown name.
    pub fn by_name(&self, name: &str) -> &[FacetCount] {
        position(name).map_or(&[], |at| &self.lists[at])
    }

    /// Each facet's name and list, in [`FACETS`] order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &[FacetCount])> {
        FACETS
            .iter()
            .map(|facet| facet.name)
            .zip(self.lists.iter().map(Vec::as_slice))
    }
}

impl std::ops::Index<&str> for Facets {
    type Output = [FacetCount];

    /// As [`Facets::by_name`].
    fn index(&self, name: &str) -> &[FacetCount] {
        self.by_name(name)
    }
}

impl Serialize for Facets {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.lists.len()))?;
        for (name, list) in self.iter() {
            map.serialize_entry(name, list)?;
        }
        map.end()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Facets {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Ref};
        let mut object = ObjectBuilder::new().description(Some(
            "Facet counts, one list per facet (see `/api/facets`). Disjunctive unless \
             `disjunctive=false`: a facet with selected values counts the documents matching \
             the query and every *other* filter (dates included), so its other values show \
             what choosing them too would add; a facet without selection counts the matching \
             documents. Lists are sorted by count (descending) then value and cut to \
             `facet_size`, every selected value kept (count 0 when nothing has it). `year` \
             lists every year from the first to the last, ascending, with 0 for the years \
             between that have nothing, uncut.",
        ));
        for facet in FACETS {
            let list = ArrayBuilder::new()
                .items(Ref::from_schema_name("FacetCount"))
                .description(Some(facet.description));
            object = object.property(facet.name, list).required(facet.name);
        }
        object.into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Facets {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        use utoipa::PartialSchema;
        schemas.push(("FacetCount".into(), FacetCount::schema()));
        <FacetCount as utoipa::ToSchema>::schemas(schemas);
    }
}
