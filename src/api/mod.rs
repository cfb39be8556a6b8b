//! The JSON API, one module per concern: searching ([`search`]), exports
//! ([`export`]: CSV and Atom), documents ([`documents`]: stored, similar,
//! archived), [`stats`], [`metrics`] and its description ([`openapi`]).
//! [`crate::server`] assembles the routes and the middleware.
//!
//! Every error leaves through [`ApiError`], with a stable JSON body
//! `{"error": {"code", "message", "parameter"?}}`.

pub mod documents;
pub mod error;
pub mod export;
pub mod metrics;
pub mod openapi;
pub mod search;
pub mod stats;

use std::time::Duration;

pub use error::{ApiError, ErrorBody};

/// Largest request body accepted (413 past it): a search needs far less.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest a request may take before it is answered 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs blocking index or file work off the async threads.
pub(crate) async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task: {e}")))
}
