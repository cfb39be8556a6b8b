//! Behaviour tests of the public API on a small corpus shaped like the
//! seeds: a bilingual French/Dutch event programme, French, Dutch and
//! English pages, and an undated page.

mod browse;
mod compounds;
mod export;
mod facets;
#[cfg(feature = "openapi")]
mod openapi;
mod passages;
mod queries;
mod results;
mod similar;
mod snippets;
mod typos;

use chrono::NaiveDate;

use crate::{Block, Document, Error, SearchIndex, SearchRequest, SearchResults};

const PROGRAMME: &str = "https://emnbelgium.be/sites/default/files/programme-2024.pdf";
const FEDASIL: &str = "https://www.fedasil.be/fr/international/fonds-europeens";
const STUDY: &str = "https://emnbelgium.be/publication/reception-return-study";
const GEMEENTEN: &str = "https://www.fedasil.be/nl/nieuws/opvang/gemeenten";
const UNDATED: &str = "https://emnbelgium.be/statelessness";
const PRESS: &str = "https://media4cohesion.belgashare.be/fr/press-releases/14498";

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn block(lang: Option<&str>, text: &str) -> Block {
    Block {
        lang: lang.map(str::to_owned),
        text: text.to_owned(),
    }
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| (*value).to_owned()).collect()
}

fn corpus() -> Vec<Document> {
    vec![
        Document {
            url: PROGRAMME.into(),
            source: "emnbelgium.be".into(),
            doc_type: "event".into(),
            title: "Annual report on migration & asylum: policy event".into(),
            blocks: vec![
                block(Some("fr"), "Mesures en réponse à la crise de l'accueil."),
                block(Some("nl"), "Maatregelen naar aanleiding van de opvangcrisis."),
                block(Some("fr"), "Un nouveau droit de séjour pour les apatrides."),
                block(Some("nl"), "Een nieuw verblijfsrecht voor staatlozen."),
                block(
                    Some("nl"),
                    "Centraliseren om beter te informeren: de one-stop-desk models.",
                ),
                block(
                    Some("en"),
                    "Labour migration: critical reflection on emerging trends.",
                ),
            ],
            languages: strings(&["fr", "nl", "en"]),
            date: date(2024, 4, 18),
            themes: strings(&["Migration", "Asylum"]),
            themes_inferred: vec![],
            keywords: strings(&["policy event"]),
            organisations: strings(&["EMN", "CGRS"]),
            organisation_mentions: vec![],
            parent_url: Some("https://emnbelgium.be/news/policy-event-2024".into()),
            passage: None,
            translation_key: None,
        },
        Document {
            url: FEDASIL.into(),
            source: "fedasil.be".into(),
            doc_type: "page".into(),
            title: "Fonds européens".into(),
            blocks: vec![
                block(
                    None,
                    "Le volet ‘accueil’ vise à renforcer l’accueil des demandeurs de protection internationale.",
                ),
                block(
                    None,
                    "Le volet ‘retour volontaire’ vise à renforcer le programme actuel avec l’OIM.",
                ),
            ],
            languages: strings(&["fr"]),
            date: date(2024, 1, 10),
            themes: strings(&["International Protection", "Return & Readmission"]),
            themes_inferred: vec![],
            keywords: strings(&["AMIF"]),
            organisations: strings(&["Fedasil", "IOM"]),
            organisation_mentions: vec![],
            parent_url: None,
            passage: None,
            translation_key: None,
        },
        Document {
            url: STUDY.into(),
            source: "emnbelgium.be".into(),
            doc_type: "publication".into(),
            title: "EMN study on reception centres".into(),
            blocks: vec![block(
                Some("en"),
                "The study compares reception centres and the returns of rejected applicants.",
            )],
            languages: strings(&["en"]),
            date: date(2021, 7, 1),
            themes: strings(&["Return & Readmission"]),
            themes_inferred: vec![],
            keywords: vec![],
            organisations: strings(&["Immigration Office"]),
            organisation_mentions: vec![],
            parent_url: None,
            passage: None,
            translation_key: None,
        },
        Document {
            url: GEMEENTEN.into(),
            source: "fedasil.be".into(),
            doc_type: "news".into(),
            title: "Gemeenten en de opvang van asielzoekers".into(),
            blocks: vec![block(
                Some("nl"),
                "Meer gemeenten bieden opvang aan asielzoekers tijdens de opvangcrisis.",
            )],
            languages: strings(&["nl"]),
            date: date(2022, 3, 22),
            themes: strings(&["Asylum"]),
            themes_inferred: vec![],
            keywords: vec![],
            organisations: strings(&["Fedasil"]),
            organisation_mentions: vec![],
            parent_url: None,
            passage: None,
            translation_key: None,
        },
        Document {
            url: UNDATED.into(),
            source: "emnbelgium.be".into(),
            doc_type: "page".into(),
            title: "Statelessness".into(),
            blocks: vec![block(
                Some("en"),
                "Statelessness determination <script>alert(1)</script> & procedure.",
            )],
            languages: strings(&["en"]),
            date: None,
            themes: strings(&["Vulnerable groups"]),
            themes_inferred: vec![],
            keywords: vec![],
            organisations: vec![],
            organisation_mentions: vec![],
            parent_url: None,
            passage: None,
            translation_key: None,
        },
        Document {
            url: PRESS.into(),
            source: "media4cohesion.belgashare.be".into(),
            doc_type: "press-release".into(),
            title: "Le Fonds AMIF soutient le retour volontaire".into(),
            blocks: vec![block(
                Some("fr"),
                "L'Office des étrangers et Fedasil mènent des projets de retour volontaire.",
            )],
            languages: strings(&["fr"]),
            date: date(2025, 12, 17),
            themes: strings(&["Return & Readmission"]),
            themes_inferred: vec![],
            keywords: vec![],
            organisations: strings(&["Immigration Office", "Fedasil"]),
            organisation_mentions: vec![],
            parent_url: None,
            passage: None,
            translation_key: None,
        },
    ]
}

fn index_with(docs: &[Document]) -> SearchIndex {
    let index = SearchIndex::create_in_ram().expect("index");
    let mut writer = index.writer().expect("writer");
    for doc in docs {
        writer.upsert(doc).expect("upsert");
    }
    writer.commit().expect("commit");
    index
}

fn corpus_index() -> SearchIndex {
    index_with(&corpus())
}

fn run(index: &SearchIndex, request: SearchRequest) -> SearchResults {
    index.search(&request).expect("search")
}

/// A request without thesaurus expansion: these tests pin what the typed
/// words alone match; `expansion_*` tests cover the thesaurus.
fn literal() -> SearchRequest {
    SearchRequest {
        expand: false,
        ..SearchRequest::default()
    }
}

fn search(index: &SearchIndex, query: &str) -> SearchResults {
    run(
        index,
        SearchRequest {
            query: query.into(),
            ..literal()
        },
    )
}

fn urls(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|hit| hit.url.as_str()).collect()
}

fn sorted_urls(results: &SearchResults) -> Vec<&str> {
    let mut urls = urls(results);
    urls.sort_unstable();
    urls
}

#[test]
fn upsert_twice_keeps_one_updated_document() {
    let mut docs = corpus();
    let index = index_with(&docs);
    assert_eq!(index.num_docs(), 6);

    docs[2].title = "Detention in Belgium".into();
    let mut writer = index.writer().expect("writer");
    writer.upsert(&docs[2]).expect("upsert");
    writer.upsert(&docs[2]).expect("upsert");
    writer.commit().expect("commit");

    assert_eq!(index.num_docs(), 6);
    assert_eq!(urls(&search(&index, "detention")), vec![STUDY]);
    assert_eq!(search(&index, "\"EMN study\"").total, 0);
}

#[test]
fn delete_removes_by_url() {
    let index = corpus_index();
    let mut writer = index.writer().expect("writer");
    writer.delete(STUDY).expect("delete");
    writer.delete("https://unknown.example").expect("delete");
    writer.commit().expect("commit");
    assert_eq!(index.num_docs(), 5);
    assert_eq!(search(&index, "reception").total, 0);
}

#[test]
fn changes_are_invisible_until_commit() {
    let index = corpus_index();
    let mut writer = index.writer().expect("writer");
    writer.delete(STUDY).expect("delete");
    drop(writer);
    assert_eq!(index.num_docs(), 6);
}

#[test]
fn get_returns_the_stored_document() {
    let docs = corpus();
    let index = index_with(&docs);
    let id = crate::document_id(PROGRAMME);
    let stored = index.get(&id).expect("get").expect("found");
    assert_eq!(stored.id, id);
    assert_eq!(stored.document, docs[0]);
    assert!(index.get("0000000000000000").expect("get").is_none());
    assert!(index.get("").expect("get").is_none());
}

#[test]
fn empty_url_is_a_caller_error() {
    let index = SearchIndex::create_in_ram().expect("index");
    let mut writer = index.writer().expect("writer");
    let error = writer.upsert(&Document::default()).expect_err("must fail");
    assert!(matches!(error, Error::InvalidRequest(_)));
    assert!(error.is_caller_error());
}

#[test]
fn only_one_writer_at_a_time() {
    let index = corpus_index();
    let writer = index.writer().expect("writer");
    let error = index.writer().err().expect("second writer must fail");
    assert!(matches!(error, Error::WriterBusy), "{error:?}");
    writer.commit().expect("commit");
    assert!(index.writer().is_ok());
}
#[test]
fn on_disk_index_survives_reopening() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested").join("index");
    {
        let index = SearchIndex::open_or_create(&path).expect("create");
        let mut writer = index.writer().expect("writer");
        for doc in corpus() {
            writer.upsert(&doc).expect("upsert");
        }
        writer.commit().expect("commit");
    }
    let index = SearchIndex::open_or_create(&path).expect("reopen");
    assert_eq!(index.num_docs(), 6);
    assert_eq!(urls(&search(&index, "apatride")), vec![PROGRAMME]);
}

#[test]
fn clones_share_the_index() {
    let index = SearchIndex::create_in_ram().expect("index");
    let clone = index.clone();
    let mut writer = index.writer().expect("writer");
    writer.upsert(&corpus()[0]).expect("upsert");
    writer.commit().expect("commit");
    assert_eq!(clone.num_docs(), 1);
    fn assert_send_sync<T: Send + Sync>(_: &T) {}
    assert_send_sync(&clone);
}

#[test]
fn odd_documents_index_and_search() {
    let odd = Document {
        url: "https://x.example/\0odd".into(),
        source: " ".into(),
        title: "\u{0}".into(),
        blocks: vec![block(Some("zz"), "😀 中文 texte"), block(None, "")],
        languages: strings(&["", "xx"]),
        themes: strings(&["a/b", "\0", ""]),
        date: NaiveDate::from_ymd_opt(1, 1, 1),
        ..Document::default()
    };
    let index = index_with(&[odd]);
    let results = search(&index, "texte");
    assert_eq!(results.total, 1);
    assert_eq!(results.facets["theme"][0].value, "a/b");
    assert_eq!(results.facets["year"][0].value, "1");
}

#[test]
fn expansion_finds_other_languages_and_is_reported() {
    let index = corpus_index();
    let literal = search(&index, "statelessness");
    let expanded = run(
        &index,
        SearchRequest {
            query: "statelessness".into(),
            ..SearchRequest::default()
        },
    );
    assert!(
        expanded.total > literal.total,
        "{} vs {}",
        expanded.total,
        literal.total
    );
    assert!(urls(&expanded).contains(&PROGRAMME), "{:?}", urls(&expanded));
    let expansion = &expanded.expansions[0];
    assert_eq!(expansion.term, "statelessness");
    assert!(
        expansion.added.iter().any(|t| t == "apatridie"),
        "{:?}",
        expansion.added
    );
    assert!(literal.expansions.is_empty());
}

#[test]
fn expansion_ranks_the_literal_term_first() {
    // Two documents alike but for the word: the one with the word typed wins.
    let index = SearchIndex::create_in_ram().unwrap();
    let mut writer = index.writer().unwrap();
    for (url, lang, text) in [
        (
            "https://example.org/nl",
            "nl",
            "Het verblijfsrecht van staatlozen in België.",
        ),
        (
            "https://example.org/fr",
            "fr",
            "Le droit de séjour des apatrides en Belgique.",
        ),
    ] {
        let doc = Document {
            url: url.into(),
            title: "Verblijf / Séjour".into(),
            blocks: vec![block(Some(lang), text)],
            languages: strings(&[lang]),
            ..Document::default()
        };
        writer.upsert(&doc).unwrap();
    }
    writer.commit().unwrap();
    let expanded = run(
        &index,
        SearchRequest {
            query: "staatlozen".into(),
            ..SearchRequest::default()
        },
    );
    assert_eq!(
        urls(&expanded),
        ["https://example.org/nl", "https://example.org/fr"]
    );
    assert!(expanded.hits[0].score > expanded.hits[1].score);
}
