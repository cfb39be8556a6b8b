//! The tantivy schema: field names as constants and resolved field handles.
//!
//! Text fields are indexed (with positions, for phrases) but not stored: the
//! whole [`Document`](crate::Document) is stored once as JSON in [`DOC`], and
//! hits, `get` and snippets are all served from it. The facet fields are
//! named after the facets of [`FACETS`].

use tantivy::schema::{
    FAST, Facet, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions,
};

use crate::analysis::{ANALYZER_SIMPLE, Lang};
use crate::facets::FACETS;

/// Document id (16 hex digits), exact match.
pub const ID: &str = "id";
/// Canonical URL, exact match; the key for upsert and delete.
pub const URL: &str = "url";
/// Title fields per language, in [`Lang::ALL`] order.
pub const TITLES: [&str; 4] = ["title_fr", "title_nl", "title_en", "title_de"];
/// Title of a document with no analysed language.
pub const TITLE_ANY: &str = "title_any";
/// Body fields per language, in [`Lang::ALL`] order.
pub const BODIES: [&str; 4] = ["body_fr", "body_nl", "body_en", "body_de"];
/// Body text in no analysed language.
pub const BODY_ANY: &str = "body_any";
/// Keywords and organisation names, searched by default.
pub const META: &str = "meta";
/// Organisation names written out in the text (`Commissariat général aux
/// réfugiés et aux apatrides`): searched at a low weight, and masked in the
/// title and body fields, so that a word inside a name (`apatrides`) does
/// not rank a document as if it were about that topic.
pub const ORG_NAMES: &str = "org_names";
/// Publication date as days since 0001-01-01 (i64, fast and indexed) for
/// the date filter and sort; absent when the document has no date.
pub const DATE: &str = "date";
/// Sort key for "newest first": the date, then a hash of the URL, so that
/// documents of the same day come in the same order whatever order they
/// were indexed in (a reindex gives the same pages as the crawl).
pub const DATE_ORDER: &str = "date_order";
/// For a passage, its parent's URL (exact match): replacing or deleting a
/// document replaces or deletes its passages. Absent on other documents.
pub const CONTAINER: &str = "container";
/// Translation group (see [`Document::group_key`](crate::Document::group_key)),
/// exact match, to list the versions of a hit.
pub const GROUP: &str = "group";
/// Hash of the translation group, fast, to collapse hits.
pub const GROUP_HASH: &str = "group_hash";
/// The whole document as JSON, stored only.
pub const DOC: &str = "doc";

/// Builds the schema.
pub fn build_schema() -> Schema {
    let mut builder = Schema::builder();
    builder.add_text_field(ID, STRING | STORED);
    builder.add_text_field(URL, STRING | STORED);
    for (name, lang) in TITLES.iter().zip(Lang::ALL) {
        builder.add_text_field(name, text_options(lang.analyzer_name()));
    }
    builder.add_text_field(TITLE_ANY, text_options(ANALYZER_SIMPLE));
    for (name, lang) in BODIES.iter().zip(Lang::ALL) {
        builder.add_text_field(name, text_options(lang.analyzer_name()));
    }
    builder.add_text_field(BODY_ANY, text_options(ANALYZER_SIMPLE));
    builder.add_text_field(META, text_options(ANALYZER_SIMPLE));
    builder.add_text_field(ORG_NAMES, text_options(ANALYZER_SIMPLE));
    // One facet field per facet, named as the facet.
    for facet in FACETS {
        builder.add_facet_field(facet.name, FacetOptions::default());
    }
    builder.add_i64_field(DATE, INDEXED | FAST);
    builder.add_i64_field(DATE_ORDER, FAST);
    builder.add_text_field(CONTAINER, STRING);
    builder.add_text_field(GROUP, STRING);
    builder.add_u64_field(GROUP_HASH, FAST);
    builder.add_text_field(DOC, STORED);
    builder.build()
}

fn text_options(analyzer: &str) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Field handles, resolved once from the schema.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub id: Field,
    pub url: Field,
    pub titles: [Field; 4],
    pub title_any: Field,
    pub bodies: [Field; 4],
    pub body_any: Field,
    pub meta: Field,
    pub org_names: Field,
    /// In [`FACETS`] order.
    pub facets: Vec<Field>,
    pub date: Field,
    pub date_order: Field,
    pub container: Field,
    pub group: Field,
    pub group_hash: Field,
    pub doc: Field,
}

impl Fields {
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        let field = |name: &str| schema.get_field(name);
        Ok(Fields {
            id: field(ID)?,
            url: field(URL)?,
            titles: [
                field(TITLES[0])?,
                field(TITLES[1])?,
                field(TITLES[2])?,
                field(TITLES[3])?,
            ],
            title_any: field(TITLE_ANY)?,
            bodies: [
                field(BODIES[0])?,
                field(BODIES[1])?,
                field(BODIES[2])?,
                field(BODIES[3])?,
            ],
            body_any: field(BODY_ANY)?,
            meta: field(META)?,
            org_names: field(ORG_NAMES)?,
            facets: FACETS
                .iter()
                .map(|facet| field(facet.name))
                .collect::<tantivy::Result<_>>()?,
            date: field(DATE)?,
            date_order: field(DATE_ORDER)?,
            container: field(CONTAINER)?,
            group: field(GROUP)?,
            group_hash: field(GROUP_HASH)?,
            doc: field(DOC)?,
        })
    }

    /// The body field of a routing target.
    pub fn body(&self, target: Option<Lang>) -> Field {
        match target {
            Some(lang) => self.bodies[lang.index()],
            None => self.body_any,
        }
    }
}

/// The one-level facet `/value` for a clean value.
pub(crate) fn facet_of(value: &str) -> Facet {
    Facet::from_path([value])
}

/// The [`DATE_ORDER`] value: days in the high bits, 24 bits of the URL's
/// hash below; undated documents sort after every dated one.
pub(crate) fn date_order_value(date: Option<chrono::NaiveDate>, url: &str) -> i64 {
    let tie = (xxhash_rust::xxh3::xxh3_64(url.as_bytes()) & 0xFF_FFFF) as i64;
    match date {
        Some(date) => (date_value(date) << 24) | tie,
        None => i64::MIN + tie,
    }
}

/// The [`GROUP_HASH`] value of a group key.
pub(crate) fn group_hash(key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes())
}

/// Days since 0001-01-01, the value of the [`DATE`] field.
pub(crate) fn date_value(date: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    i64::from(date.num_days_from_ce())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_resolves_every_field() {
        let schema = build_schema();
        assert!(Fields::new(&schema).is_ok());
    }

    #[test]
    fn slashes_stay_inside_one_facet_level() {
        let facet = facet_of("Borders/Visa");
        assert_eq!(facet.to_path(), vec!["Borders/Visa"]);
    }

    #[test]
    fn dates_order_like_their_values() {
        let early = chrono::NaiveDate::from_ymd_opt(2013, 10, 25).map(date_value);
        let late = chrono::NaiveDate::from_ymd_opt(2024, 4, 18).map(date_value);
        assert!(early < late);
    }
}
