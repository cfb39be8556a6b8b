//! The crate's error type.
//!
//! Caller mistakes ([`Error::InvalidRequest`], [`Error::WriterBusy`]) are kept
//! apart from internal failures so that a server can answer 4xx for the first
//! and log-and-500 the rest; [`Error::is_caller_error`] tells them apart.

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request or document is invalid (page 0, per_page 0 or too large,
    /// `from` after `to`, empty URL). The caller should fix its input.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// Another [`IndexWriter`](crate::IndexWriter) is open on this index;
    /// only one may exist at a time. Retry after it is committed or dropped.
    #[error("an index writer is already open")]
    WriterBusy,
    /// The index on disk was built with a different schema or an incompatible
    /// tantivy version; it must be rebuilt.
    #[error("incompatible index: {0}")]
    Incompatible(String),
    /// A stored document could not be decoded or encoded.
    #[error("corrupt stored document: {0}")]
    Corrupt(String),
    /// A file-system operation failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// Any other failure reported by tantivy.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    /// True when the caller caused the error and can fix it by changing the
    /// request, false for internal failures.
    pub fn is_caller_error(&self) -> bool {
        matches!(self, Error::InvalidRequest(_) | Error::WriterBusy)
    }
}

/// Result with this crate's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
