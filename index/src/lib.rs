//! Full-text and faceted search over migration and asylum publications in
//! French, Dutch, English and German, on top of tantivy.
//!
//! The crate takes plain [`Document`]s (the binary maps the crawler's output
//! onto them), indexes each paragraph under its language's analyzer
//! (stop words, accent folding, Snowball stemming), and answers
//! [`SearchRequest`]s with hits, HTML snippets and facet counts.
//!
//! - [`analysis`]: the analyzers, one per language, registered under
//!   constant names.
//! - [`schema`]: field names and the tantivy schema.
//! - `query`: the lenient user query language: words (ANDed),
//!   `"phrases"`, `OR`, `-exclusions`. It never fails; each term is searched
//!   in every language field with that field's analyzer.
//! - `facets`: the facet table [`FACETS`] (one [`FacetDef`] per facet:
//!   name, description, labels, how a document's values are found, which
//!   values a filter accepts) that the schema, the writer, the filters and
//!   the counts loop over; the counting collector and the lists returned.
//! - `search`: [`SearchIndex`] (`search/handle.rs`), the request
//!   (`request.rs`: [`SearchRequest`], [`Filters`], [`Sort`]), the results
//!   (`results.rs`: [`SearchResults`], [`Hit`], [`Facets`]), the filters as
//!   queries (`filters.rs`), ranking (`ranking.rs`), the facet passes
//!   (`counts.rs`) and the hits with their snippets, versions and parents
//!   (`hits.rs`); `search/mod.rs` runs a search as those steps.
//! - `writer`: the single [`IndexWriter`] (and the bulk writer of imports);
//!   `shared`: the state it shares with the handle.
//! - `lang`: the languages ([`analysis::Lang`]) with their stemmers and stop
//!   words; `concepts`: the concept marks the language analyzers index;
//!   `memo`: per-word memories of stems and compound splits.
//!   Besides [`SearchIndex::search`]: [`SearchIndex::export`] (every hit;
//!   [`SearchIndex::export_rows`] without versions, parents or facets),
//!   [`SearchIndex::similar`] (related documents),
//!   [`SearchIndex::facet_values`] (type-ahead) and [`SearchIndex::stats`].
//!
//! With the `openapi` feature, the request and response types derive
//! `utoipa::ToSchema`.
//!
//! It knows nothing of HTTP or crawling. Searching and committing are
//! blocking work: call them from a blocking thread in async code.
//!
//! # Example
//!
//! ```
//! use index::{Block, Document, SearchIndex, SearchRequest};
//!
//! # fn main() -> index::Result<()> {
//! let index = SearchIndex::create_in_ram()?;
//! let mut writer = index.writer()?;
//! writer.upsert(&Document {
//!     url: "https://www.fedasil.be/fr/international/fonds-europeens".into(),
//!     source: "fedasil.be".into(),
//!     doc_type: "page".into(),
//!     title: "Fonds européens".into(),
//!     blocks: vec![Block {
//!         lang: Some("fr".into()),
//!         text: "Le volet accueil vise à renforcer l'accueil des demandeurs d'asile.".into(),
//!     }],
//!     languages: vec!["fr".into()],
//!     organisations: vec!["Fedasil".into()],
//!     ..Document::default()
//! })?;
//! writer.commit()?;
//!
//! let results = index.search(&SearchRequest {
//!     query: "demandeur".into(),
//!     ..SearchRequest::default()
//! })?;
//! assert_eq!(results.total, 1);
//! assert!(results.hits[0].snippet.contains("<mark>demandeurs</mark>"));
//! assert_eq!(results.facets["organisation"][0].value, "Fedasil");
//! # Ok(())
//! # }
//! ```

pub mod analysis;
mod browse;
mod collapse;
mod concepts;
pub mod decompound;
mod document;
mod error;
mod facets;
mod lang;
mod memo;
mod query;
pub mod schema;
mod search;
mod shared;
mod similar;
mod snippet;
pub mod themes;
pub mod thesaurus;
mod writer;

pub use browse::IndexStats;
pub use document::{Block, Document, OrganisationMention, PassageOf, StoredDocument, document_id};
pub use error::{Error, Result};
pub use facets::{FACETS, FacetDef, Labels, ValueKind, Vocabulary, facet};
pub use query::Expansion;
pub use search::{
    DEFAULT_FACET_SIZE, FacetCount, Facets, Filters, Hit, MAX_EXPORT, MAX_PER_PAGE, MAX_SNIPPETS, ParentRef,
    PassageRef, SearchIndex, SearchRequest, SearchResults, Sort, Version,
};
pub use writer::IndexWriter;

#[cfg(test)]
mod tests;
