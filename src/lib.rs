//! migrasearch: one search over Belgian and EU migration and asylum policy
//! publications (EMN Belgium, Fedasil, the Immigration Office, AMIF press
//! releases), in French, Dutch and English.
//!
//! This crate is the glue: it maps crawled documents into the index
//! ([`pipeline`]), serves the HTTP API and page ([`server`]), and carries the
//! bundled mirror of the sources ([`mirror`]). `main.rs` only parses
//! arguments and calls in here.

pub mod mirror;
pub mod params;
pub mod pipeline;
pub mod server;

pub use server::{AppState, app};
