//! The crawler's one error type.

/// What can go wrong in the crawler's own API (a page that fails to fetch is
/// not an error: it is counted in the crawl report).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration (file, `--mirror`, options) is invalid; the message names the key.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The crawl state store could not be read or written.
    #[error("crawl state: {0}")]
    State(#[from] crate::state::StateError),
    /// The HTTP client could not be built.
    #[error("http client: {0}")]
    Client(String),
    /// A document breaks a rule every indexed document keeps (see
    /// [`Document::validate`](crate::Document::validate)); `field` names
    /// the culprit as the import format spells it.
    #[error("{field}: {message}")]
    InvalidDocument { field: &'static str, message: String },
}

pub type Result<T> = std::result::Result<T, Error>;
