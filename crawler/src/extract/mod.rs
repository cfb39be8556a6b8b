//! Extractors: fetched HTML pages and PDFs to plain [`Document`](crate::Document)s.
//!
//! They rely on visible text labels and generic structure (`h1`, `main`,
//! `article`, meta tags), never on one mirror's class names, because they
//! also run on markup from the real sites that no fixture shows.
//!
//! - `text`: visible lines of a subtree, boilerplate left out;
//! - `labels`: `Publication date:`, `Main theme:`, `When ?`... in those lines;
//! - `fields`: title, date and type rules;
//! - `passages`: programme sessions and funding-page projects, indexed on their own;
//! - `html` / `pdf`: the two entry points.

mod fields;
mod html;
mod labels;
mod listing;
mod passages;
mod pdf;
mod text;

pub use html::{HtmlPage, Link, extract_html, extract_listing_html};
pub use listing::{ListingItem, item_anchor, listing_item_type, listing_items};
pub use pdf::extract_pdf;

/// Why a file could not be turned into a [`Document`](crate::Document).
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    /// The PDF could not be parsed or its text not decoded.
    #[error("cannot read pdf: {0}")]
    Pdf(String),
    /// The PDF library panicked on this file (malformed or unusual PDF).
    #[error("pdf library failed on this file")]
    PdfPanicked,
    /// The file holds no extractable text (e.g. a scanned PDF).
    #[error("no text in file")]
    NoText,
}

/// Result of the extractors.
pub type Result<T> = std::result::Result<T, ExtractError>;
