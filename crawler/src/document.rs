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
    /// A listing page (news, publications): not indexed itself; only its
    /// [`Passage`]s (items that exist nowhere else) are.
    Listing,
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
            DocType::Listing => "listing",
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
    /// Units of the document indexed on their own as well: the sessions of
    /// an event programme, the projects of an AMIF page, the items of a
    /// listing that have no page of their own.
    #[serde(default)]
    pub passages: Vec<Passage>,
    /// Other language versions of this page (`hreflang` alternates, the
    /// language switcher), canonical URLs; never the page itself.
    #[serde(default)]
    pub translations: Vec<Translation>,
}

/// Another language version of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Translation {
    /// ISO 639-1 code.
    pub lang: String,
    /// Canonical URL of that version.
    pub url: String,
}

/// What kind of unit a [`Passage`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PassageKind {
    /// A session of an event programme.
    Session,
    /// A project of a funding page (AMIF).
    Project,
    /// An item of a listing.
    Item,
}

impl PassageKind {
    /// The name the API uses, also the anchor's prefix.
    pub fn as_str(self) -> &'static str {
        match self {
            PassageKind::Session => "session",
            PassageKind::Project => "project",
            PassageKind::Item => "item",
        }
    }
}

/// A unit of a document, searchable on its own at `document.url#anchor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    pub kind: PassageKind,
    /// Fragment id without `#`, unique within the document: the kind and a
    /// slug of the title (`session-un-nouveau-droit-de-sejour-pour-les-apatrides`).
    pub anchor: String,
    pub title: String,
    /// The passage's text (title excluded), each block with its language.
    pub blocks: Vec<TextBlock>,
    /// Languages of the passage, most used first.
    pub languages: Vec<String>,
    /// A session's time slots as printed, normalised (`10.45-11.45`, several
    /// joined by `, `); a project's code or period; `None` otherwise.
    pub slot: Option<String>,
    /// The passage's own date (a listing item's); `None`: the document's.
    pub date: Option<NaiveDate>,
    /// Themes shown with the passage itself (a listing item's); empty: the
    /// document's apply.
    pub themes: Vec<String>,
    /// Canonical organisation names named in the passage.
    pub organisations: Vec<String>,
    /// Passages of one document sharing this key are the same unit in
    /// different languages (the French and Dutch versions of a session).
    pub translation_key: Option<String>,
    /// Type facet of the passage when it differs from the document's (a
    /// news listing's items are `News`); `None`: the document's.
    pub doc_type: Option<DocType>,
    /// The page the passage links to, when it names one (a listing item's
    /// "read more" that could not be fetched).
    pub link: Option<String>,
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
