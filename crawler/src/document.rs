//! The plain document the extractors produce and the crawler hands on.
//!
//! It knows nothing of the index: the binary maps it onto `index::Document`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Kind of publication, the `type` facet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocType {
    News,
    Publication,
    Event,
    Project,
    PressRelease,
    Page,
}

impl DocType {
    /// The facet value, as the API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::News => "news",
            DocType::Publication => "publication",
            DocType::Event => "event",
            DocType::Project => "project",
            DocType::PressRelease => "press-release",
            DocType::Page => "page",
        }
    }
}

/// A paragraph (or heading, list item, table row) of a document's main text,
/// with the language detected for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextBlock {
    /// ISO 639-1 code (`fr`, `nl`, `en`, `de`), `None` when too short to tell.
    pub lang: Option<String>,
    pub text: String,
}

/// One extracted document, keyed by its canonical real URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Canonical URL on the real site (never a mirror's address).
    pub url: String,
    /// Source id: `emn-belgium`, `fedasil`, `immigration-office`, `media4cohesion`.
    pub source: String,
    pub doc_type: DocType,
    pub title: String,
    /// Main text without boilerplate, in reading order.
    pub blocks: Vec<TextBlock>,
    /// Languages of the text, most used first.
    pub languages: Vec<String>,
    /// Publication or event date; `None` when the page shows none.
    pub date: Option<NaiveDate>,
    /// Canonical EMN main themes (English labels).
    pub themes: Vec<String>,
    pub keywords: Vec<String>,
    /// Canonical organisation names (see `organisations`), title included.
    pub organisations: Vec<String>,
    /// Where the organisations are named in the blocks, in reading order
    /// (mentions in the title alone are not located).
    #[serde(default)]
    pub organisation_mentions: Vec<OrganisationMention>,
    /// For a linked file (a PDF programme): the page that links it.
    pub parent_url: Option<String>,
}

/// One place an organisation is named in a document's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationMention {
    /// Canonical organisation name (see `organisations`).
    pub name: String,
    /// Index of the block in [`Document::blocks`].
    pub block: usize,
    /// Byte offset of the mention in the block's text.
    pub start: usize,
    /// Byte offset just after the mention in the block's text.
    pub end: usize,
    /// The mention as written in the block (`CGVS`, `Office des Étrangers`).
    pub text: String,
}

impl Document {
    /// The whole main text, blocks separated by blank lines.
    pub fn text(&self) -> String {
        let parts: Vec<&str> = self.blocks.iter().map(|b| b.text.as_str()).collect();
        parts.join("\n\n")
    }
}
