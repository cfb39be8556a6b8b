//! The plain data a caller indexes and gets back, and how a document's text
//! is routed to the per-language fields.
//!
//! Routing lives here, not in the writer, because snippets must cut the very
//! same text per field that indexing put there.

use std::ops::Range;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::analysis::Lang;

/// A document to index. The URL is its key: upserting the same URL again
/// replaces the earlier version.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Document {
    /// Canonical URL; the document id is a hash of it (see [`document_id`]).
    pub url: String,
    /// Site the document comes from (facet `source`).
    #[serde(default)]
    pub source: String,
    /// Kind of page: news, publication, event, project, press-release, page
    /// (facet `type`).
    #[serde(default, rename = "type", alias = "doc_type")]
    pub doc_type: String,
    /// Title, indexed under every language of the document.
    #[serde(default)]
    pub title: String,
    /// Paragraphs, each with its detected language.
    #[serde(default)]
    pub blocks: Vec<Block>,
    /// Languages of the document, main one first (facet `language`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Publication date (facet `year`, date filter and sort).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Canonical EMN theme labels shown by the source itself (facet `theme`).
    #[serde(default)]
    pub themes: Vec<String>,
    /// Canonical EMN theme labels inferred from the text (see
    /// [`themes::infer_themes`](crate::themes::infer_themes)) for a document
    /// that shows none; also in facet `theme`.
    #[serde(default)]
    pub themes_inferred: Vec<String>,
    /// Free keywords, searchable (facet `keyword`).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Canonical organisation names (facet `organisation`).
    #[serde(default)]
    pub organisations: Vec<String>,
    /// Where the organisations are named in [`blocks`](Self::blocks).
    #[serde(default)]
    pub organisation_mentions: Vec<OrganisationMention>,
    /// URL of the page this document was found on (e.g. a PDF's news page),
    /// or, for a passage, of the document it is a part of.
    #[serde(default)]
    pub parent_url: Option<String>,
    /// Set when this document is a passage of the document at
    /// [`parent_url`](Self::parent_url); its URL is the parent's with the
    /// passage's anchor as fragment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passage: Option<PassageOf>,
    /// Documents sharing this key are the same text in different languages
    /// (translations); search results show them as one hit. `None`: the
    /// document has no known translation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_key: Option<String>,
}

/// What a passage is and what it is a part of.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PassageOf {
    /// `session`, `project` or `item`.
    pub kind: String,
    /// Fragment id of the passage in its parent, without `#`.
    pub anchor: String,
    /// Title of the parent document.
    pub parent_title: String,
    /// A session's time slots, a project's code or period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
    /// Page the passage points to when it names one (a listing item).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// One paragraph of text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Block {
    /// Detected language code (`fr`, `nl`, `en`, `de`), if any.
    #[serde(default)]
    pub lang: Option<String>,
    /// The paragraph's text.
    pub text: String,
}

/// One place an organisation is named: a byte range in one block's text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationMention {
    /// Canonical organisation name.
    pub name: String,
    /// Index of the block in [`Document::blocks`].
    pub block: usize,
    /// Byte offset of the mention in the block's text.
    pub start: usize,
    /// Byte offset just after the mention in the block's text.
    pub end: usize,
    /// The mention as written.
    pub text: String,
}

/// A document as returned by [`SearchIndex::get`](crate::SearchIndex::get).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredDocument {
    /// Stable id, see [`document_id`].
    pub id: String,
    /// The document as it was indexed.
    #[serde(flatten)]
    pub document: Document,
}

/// The id of the document with this URL: 16 lowercase hex digits of its
/// xxh3 hash, stable across runs and versions.
pub fn document_id(url: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(url.as_bytes()))
}

/// Where a piece of text is indexed: a language field, or the neutral one.
pub(crate) type Target = Option<Lang>;

impl Document {
    /// The key under which translations collapse: the translation key, or
    /// the URL for a document without translations.
    pub fn group_key(&self) -> &str {
        self.translation_key.as_deref().unwrap_or(&self.url)
    }

    /// The analysed languages of the document, in order, without repeats.
    pub(crate) fn known_languages(&self) -> Vec<Lang> {
        let mut langs = Vec::new();
        for lang in self.languages.iter().filter_map(|code| Lang::from_code(code)) {
            if !langs.contains(&lang) {
                langs.push(lang);
            }
        }
        langs
    }

    /// Where each block goes: its own language when it is one we analyse;
    /// a block without language goes to the document's first language; text
    /// in another language (or with no language anywhere) goes to the
    /// neutral field, where at least it is found unstemmed.
    pub(crate) fn routed_blocks(&self) -> impl Iterator<Item = (Target, &str)> + '_ {
        let fallback = self.known_languages().first().copied();
        self.blocks
            .iter()
            .filter(|block| !block.text.trim().is_empty())
            .map(move |block| {
                let target = match &block.lang {
                    Some(code) => Lang::from_code(code),
                    None => fallback,
                };
                (target, block.text.as_str())
            })
    }

    /// The text routed to one target, blocks joined by blank lines, and
    /// where each of those blocks sits in it, in the order of
    /// [`routed_blocks`](Self::routed_blocks). Snippets use the ranges to
    /// tell blocks apart, so the joining is decided here alone.
    pub(crate) fn routed_text(&self, target: Target) -> (String, Vec<Range<usize>>) {
        let mut text = String::new();
        let mut spans = Vec::new();
        for (_, block) in self.routed_blocks().filter(|(t, _)| *t == target) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            spans.push(text.len()..text.len() + block.len());
            text.push_str(block);
        }
        (text, spans)
    }

    /// The text routed to one target, blocks joined by blank lines.
    #[cfg(test)]
    pub(crate) fn text_for(&self, target: Target) -> String {
        self.routed_text(target).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(lang: Option<&str>, text: &str) -> Block {
        Block {
            lang: lang.map(str::to_owned),
            text: text.to_owned(),
        }
    }

    #[test]
    fn id_is_sixteen_hex_digits_and_stable() {
        let id = document_id("https://emnbelgium.be/news/a");
        assert_eq!(id.len(), 16);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(id, document_id("https://emnbelgium.be/news/a"));
        assert_ne!(id, document_id("https://emnbelgium.be/news/b"));
        assert_eq!(document_id("").len(), 16);
    }

    #[test]
    fn blocks_are_routed_by_language_with_fallbacks() {
        let doc = Document {
            languages: vec!["it".into(), "NL".into(), "fr".into()],
            blocks: vec![
                block(Some("fr"), "un"),
                block(None, "twee"),
                block(Some("it"), "tre"),
                block(Some("fr-BE"), "quatre"),
                block(None, "   "),
            ],
            ..Document::default()
        };
        let routed: Vec<_> = doc.routed_blocks().collect();
        assert_eq!(
            routed,
            vec![
                (Some(Lang::Fr), "un"),
                (Some(Lang::Nl), "twee"),
                (None, "tre"),
                (Some(Lang::Fr), "quatre"),
            ]
        );
        assert_eq!(doc.text_for(Some(Lang::Fr)), "un\n\nquatre");
        assert_eq!(doc.text_for(Some(Lang::En)), "");
    }

    #[test]
    fn routed_text_gives_each_block_its_place_past_empty_blocks() {
        let doc = Document {
            languages: vec!["fr".into()],
            blocks: vec![
                block(Some("fr"), ""),
                block(None, "un"),
                block(Some("nl"), "twee"),
                block(Some("fr"), " \n "),
                block(Some("fr"), "quatre"),
            ],
            ..Document::default()
        };
        let (text, spans) = doc.routed_text(Some(Lang::Fr));
        assert_eq!(text, "un\n\nquatre");
        assert_eq!(spans, [0..2, 4..10]);
        assert!(spans.iter().all(|span| !text[span.clone()].contains('\n')));
        let (text, spans) = doc.routed_text(Some(Lang::Nl));
        assert_eq!(text, "twee");
        assert_eq!(spans, std::iter::once(0..4).collect::<Vec<_>>());
    }

    #[test]
    fn unlabelled_blocks_of_a_language_less_document_are_neutral() {
        let doc = Document {
            blocks: vec![block(None, "text")],
            ..Document::default()
        };
        assert_eq!(doc.routed_blocks().collect::<Vec<_>>(), vec![(None, "text")]);
    }

    #[test]
    fn stored_document_serialises_flat_with_iso_dates() {
        let stored = StoredDocument {
            id: "0123456789abcdef".into(),
            document: Document {
                url: "https://x".into(),
                doc_type: "news".into(),
                date: NaiveDate::from_ymd_opt(2021, 7, 1),
                ..Document::default()
            },
        };
        let json = serde_json::to_value(&stored).unwrap_or_default();
        assert_eq!(json["id"], "0123456789abcdef");
        assert_eq!(json["url"], "https://x");
        assert_eq!(json["type"], "news");
        assert_eq!(json["date"], "2021-07-01");
    }

    #[test]
    fn document_deserialises_with_missing_optional_fields() {
        let doc: Document =
            serde_json::from_str(r#"{"url":"u","source":"s","type":"page","title":"t"}"#).unwrap_or_default();
        assert_eq!(doc.url, "u");
        assert!(doc.blocks.is_empty());
    }

    #[test]
    fn json_stored_before_inferred_themes_and_mentions_still_loads() {
        let old = r#"{"url":"u","source":"s","type":"news","title":"t","blocks":[],"languages":["en"],
            "date":null,"themes":["Asylum"],"keywords":[],"organisations":["CGRS"],"parent_url":null}"#;
        let doc: Document = serde_json::from_str(old).expect("old json loads");
        assert_eq!(doc.themes, ["Asylum"]);
        assert!(doc.themes_inferred.is_empty());
        assert!(doc.organisation_mentions.is_empty());
    }

    #[test]
    fn inferred_themes_and_mentions_round_trip_through_json() {
        let doc = Document {
            url: "u".into(),
            blocks: vec![block(Some("fr"), "Le CGVS et l'OE.")],
            themes_inferred: vec!["Asylum".into()],
            organisation_mentions: vec![OrganisationMention {
                name: "CGRS".into(),
                block: 0,
                start: 3,
                end: 7,
                text: "CGVS".into(),
            }],
            ..Document::default()
        };
        let json = serde_json::to_value(&doc).expect("serialises");
        assert_eq!(json["themes_inferred"][0], "Asylum");
        assert_eq!(json["organisation_mentions"][0]["name"], "CGRS");
        assert_eq!(json["organisation_mentions"][0]["block"], 0);
        assert_eq!(json["organisation_mentions"][0]["start"], 3);
        assert_eq!(json["organisation_mentions"][0]["end"], 7);
        assert_eq!(json["organisation_mentions"][0]["text"], "CGVS");
        let back: Document = serde_json::from_value(json).expect("deserialises");
        assert_eq!(back, doc);
    }
}
