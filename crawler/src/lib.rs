//! Polite, incremental crawler for the migration-policy sources, and the
//! extractors that turn fetched pages into plain [`Document`]s.
//!
//! Everything apart from fetching is pure: URL canonicalisation, robots
//! decisions, date parsing, organisation matching and page extraction take
//! strings and return values.

pub mod dates;
pub mod document;
pub mod extract;
pub mod language;
pub mod organisations;
pub mod themes;

pub use document::{DocType, Document, TextBlock};
