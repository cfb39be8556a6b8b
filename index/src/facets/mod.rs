//! Facets: the table that defines them ([`FACETS`]), counting their values
//! in a search, the lists a search returns, and type-ahead matching.
//!
//! - `table`: one [`FacetDef`] per facet — name, aliases, description,
//!   labels, how a document's values are found, which values a filter may
//!   name, how the list is made.
//! - `collect`: the counting collector (documents, or translation groups).
//! - `list`: the lists returned (selected values kept, years filled in).
//! - `ordinals`: each segment's facet values and groups as plain arrays,
//!   read once by the reader's warmer, which counting reads.
//! - `prefix`: matching values against what was typed so far.

mod collect;
mod list;
mod ordinals;
mod prefix;
mod table;

pub(crate) use collect::{FacetCounter, collector};
pub use list::FacetCount;
pub(crate) use list::{list, sort, sorted};
pub(crate) use ordinals::{Ordinals, SegmentOrdinals};
pub(crate) use prefix::{folded_words, prefix_matches};
pub use table::{FACETS, FacetDef, Labels, ValueKind, Vocabulary, facet};
pub(crate) use table::{names, position};
