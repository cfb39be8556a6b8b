//! migrasearch: one search over Belgian and EU migration and asylum policy
//! publications (EMN Belgium, Fedasil, the Immigration Office, AMIF press
//! releases), in French, Dutch and English.
//!
//! This crate is the glue: it maps crawled documents into the index
//! ([`pipeline`]), serves the HTTP API and page ([`server`]), and carries the
//! bundled mirror of the sources ([`mirror`]). `main.rs` only parses
//! arguments and calls in here.
//!
//! ```
//! use migrasearch::params::SearchParams;
//! // The API's query string and the CLI's flags are checked by the same code.
//! let params = SearchParams::from_pairs([("q", "apatrides"), ("year", "2024"), ("per_page", "5")]).unwrap();
//! let request = params.validate().unwrap();
//! assert_eq!((request.query.as_str(), request.per_page), ("apatrides", 5));
//! let error = SearchParams::from_pairs([("per_page", "1000")]).unwrap().validate().unwrap_err();
//! assert_eq!(error.parameter, "per_page");
//! ```

pub mod api;
pub mod data;
pub mod eval;
pub mod import;
pub mod mirror;
pub mod params;
pub mod pipeline;
pub mod server;
pub mod web;

pub use server::{AppState, app};
