//! The plain document the extractors produce and the crawler hands on.
//!
//! It knows nothing of the index: the binary maps it onto `index::Document`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::config::Source;
use crate::error::{Error, Result};

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

    /// Checks what every document must satisfy before it is indexed,
    /// whether a crawl extracted it or an import read it: an absolute
    /// http(s) URL, a title, a source among `sources`, language codes
    /// (`fr`, not `French`) and no blank list entries. The error names the
    /// field as the import format spells it.
    pub fn validate(&self, sources: &[Source]) -> Result<()> {
        let invalid = |field: &'static str, message: String| Error::InvalidDocument { field, message };
        check_url(&self.url).map_err(|message| invalid("url", message))?;
        if self.title.trim().is_empty() {
            return Err(invalid("title", "is empty".into()));
        }
        if !sources.iter().any(|source| source.id == self.source) {
            let known: Vec<&str> = sources.iter().map(|source| source.id.as_str()).collect();
            return Err(invalid(
                "source",
                format!(
                    "{:?} is not a configured source ({})",
                    self.source,
                    known.join(", ")
                ),
            ));
        }
        let block_languages = self.blocks.iter().filter_map(|block| block.lang.as_deref());
        if let Some(bad) = self
            .languages
            .iter()
            .map(String::as_str)
            .chain(block_languages)
            .find(|lang| !is_language_code(lang))
        {
            return Err(invalid(
                "language",
                format!("{bad:?} is not a language code (fr, nl, en, ...)"),
            ));
        }
        let lists = [
            ("themes", &self.themes),
            ("keywords", &self.keywords),
            ("organisations", &self.organisations),
        ];
        for (field, values) in lists {
            if values.iter().any(|value| value.trim().is_empty()) {
                return Err(invalid(field, "holds an empty value".into()));
            }
        }
        Ok(())
    }
}

/// Why `url` cannot key a document, if it cannot.
fn check_url(url: &str) -> std::result::Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|error| format!("{url:?} is not an absolute URL ({error})"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("{url:?} is not an http or https URL"));
    }
    Ok(())
}

/// An ISO 639 code as the extractors write it: two or three lowercase letters.
fn is_language_code(lang: &str) -> bool {
    (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document() -> Document {
        Document {
            url: "https://fedasil.be/fr/retour".into(),
            source: "fedasil".into(),
            doc_type: DocType::Page,
            title: "Retour volontaire".into(),
            blocks: vec![TextBlock {
                lang: Some("fr".into()),
                text: "Le retour volontaire.".into(),
            }],
            languages: vec!["fr".into()],
            date: None,
            themes: vec!["Return & Readmission".into()],
            keywords: Vec::new(),
            organisations: vec!["Fedasil".into()],
            organisation_mentions: Vec::new(),
            parent_url: None,
            passages: Vec::new(),
            translations: Vec::new(),
        }
    }

    fn field_of(document: &Document) -> Option<&'static str> {
        match document.validate(&crate::config::default_sources()) {
            Ok(()) => None,
            Err(Error::InvalidDocument { field, .. }) => Some(field),
            Err(other) => panic!("unexpected error {other}"),
        }
    }

    #[test]
    fn a_complete_document_is_valid() {
        assert_eq!(field_of(&document()), None);
    }

    #[test]
    fn each_broken_rule_names_its_field() {
        type Breaks = fn(&mut Document);
        let cases: [(&str, Breaks); 8] = [
            ("url", |d| d.url = "/fr/retour".into()),
            ("url", |d| d.url = "ftp://fedasil.be/retour".into()),
            ("title", |d| d.title = "  ".into()),
            ("source", |d| d.source = "fedasi".into()),
            ("language", |d| d.languages = vec!["French".into()]),
            ("language", |d| d.blocks[0].lang = Some("FR".into())),
            ("themes", |d| d.themes.push(String::new())),
            ("organisations", |d| d.organisations.push(" ".into())),
        ];
        for (field, breaks) in cases {
            let mut broken = document();
            breaks(&mut broken);
            assert_eq!(field_of(&broken), Some(field), "{broken:?}");
        }
    }

    #[test]
    fn the_message_names_the_known_sources() {
        let mut broken = document();
        broken.source = "fedasi".into();
        let message = broken
            .validate(&crate::config::default_sources())
            .map_err(|e| e.to_string())
            .unwrap_err();
        assert!(message.starts_with("source: \"fedasi\""), "{message}");
        assert!(message.contains("emn-belgium"), "{message}");
    }
}
