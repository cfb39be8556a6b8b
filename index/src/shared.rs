//! The state an index handle and its writer share, apart from both so that
//! neither needs the other's module for it.

use std::path::PathBuf;
use std::sync::Arc;

use tantivy::{Index, IndexReader};

use crate::facets::Ordinals;
use crate::schema::Fields;

/// State shared by the index handle and its writer.
pub(crate) struct Shared {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// The facet arrays of the reader's segments; also its warmer.
    pub ordinals: Arc<Ordinals>,
    /// The directory the index was opened from; `None` in memory.
    pub dir: Option<PathBuf>,
}
