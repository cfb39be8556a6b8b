//! Facet values for type-ahead, and index statistics.

use super::*;
use crate::PassageOf;

fn with_caritas() -> Vec<Document> {
    let mut docs = corpus();
    docs.push(Document {
        url: "https://example.org/caritas".into(),
        source: "fedasil.be".into(),
        doc_type: "press-release".into(),
        title: "Centres fermés".into(),
        blocks: vec![block(Some("fr"), "La rétention des familles.")],
        languages: strings(&["fr"]),
        themes: strings(&["Rétention"]),
        organisations: strings(&["Caritas International", "Fedasil"]),
        date: date(2024, 2, 1),
        ..Document::default()
    });
    docs
}

fn values(index: &SearchIndex, facet: &str, prefix: &str, limit: usize) -> Vec<(String, u64)> {
    index
        .facet_values(facet, prefix, limit)
        .expect("facet values")
        .into_iter()
        .map(|count| {
            assert!(!count.selected);
            (count.value, count.count)
        })
        .collect()
}

fn named(list: &[(String, u64)]) -> Vec<&str> {
    list.iter().map(|(value, _)| value.as_str()).collect()
}

#[test]
fn facet_values_match_prefixes_of_words_without_accents_or_case() {
    let index = index_with(&with_caritas());
    assert_eq!(
        named(&values(&index, "organisation", "cai", 10)),
        ["Caritas International"]
    );
    assert_eq!(
        named(&values(&index, "organisation", "INTER", 10)),
        ["Caritas International"]
    );
    assert_eq!(
        named(&values(&index, "organisation", "caritas int", 10)),
        ["Caritas International"]
    );
    assert_eq!(
        named(&values(&index, "organisation", "im", 10)),
        ["Immigration Office"]
    );
    assert_eq!(named(&values(&index, "theme", "RÉTEN", 10)), ["Rétention"]);
    assert_eq!(named(&values(&index, "theme", "retention", 10)), ["Rétention"]);
    assert_eq!(
        named(&values(&index, "theme", "readm", 10)),
        ["Return & Readmission"]
    );
    assert_eq!(named(&values(&index, "type", "release", 10)), ["press-release"]);
    assert_eq!(named(&values(&index, "keyword", "pol", 10)), ["policy event"]);
    assert!(values(&index, "theme", "etention", 10).is_empty());
    assert_eq!(
        values(&index, "year", "202", 3),
        [
            ("2024".to_owned(), 3),
            ("2021".to_owned(), 1),
            ("2022".to_owned(), 1)
        ]
    );
}

#[test]
fn facet_values_without_prefix_are_the_most_frequent() {
    let index = index_with(&with_caritas());
    assert_eq!(
        values(&index, "organisation", "", 2),
        [("Fedasil".to_owned(), 4), ("Immigration Office".to_owned(), 2)]
    );
    assert_eq!(values(&index, "organisation", "", 100).len(), 6);
    assert!(values(&index, "organisation", "", 0).is_empty());
    assert_eq!(values(&index, "language", "", 10)[0], ("fr".to_owned(), 4));
}

#[test]
fn an_unknown_facet_is_a_caller_error_naming_it() {
    let index = corpus_index();
    let error = index.facet_values("colour", "", 10).expect_err("unknown facet");
    assert!(
        matches!(&error, Error::InvalidRequest(message) if message.contains("colour")),
        "{error}"
    );
    assert!(error.is_caller_error());
}

fn passage(anchor: &str, lang: &str) -> Document {
    Document {
        url: format!("{PROGRAMME}#{anchor}"),
        source: "emnbelgium.be".into(),
        doc_type: "event".into(),
        title: format!("Session {anchor}"),
        blocks: vec![block(Some(lang), "Une session.")],
        languages: strings(&[lang]),
        parent_url: Some(PROGRAMME.into()),
        passage: Some(PassageOf {
            kind: "session".into(),
            anchor: anchor.into(),
            parent_title: "Programme".into(),
            slot: None,
            link: None,
        }),
        ..Document::default()
    }
}

#[test]
fn stats_count_documents_passages_and_their_facets() {
    let index = corpus_index();
    let mut writer = index.writer().expect("writer");
    writer
        .replace_passages(PROGRAMME, &[passage("a", "fr"), passage("b", "nl")])
        .expect("passages");
    writer.commit().expect("commit");
    let stats = index.stats().expect("stats");
    assert_eq!((stats.documents, stats.passages), (6, 2));
    let pairs = |list: &[crate::FacetCount]| -> Vec<(String, u64)> {
        list.iter().map(|c| (c.value.clone(), c.count)).collect()
    };
    assert_eq!(
        pairs(&stats.by_source),
        [
            ("emnbelgium.be".to_owned(), 5),
            ("fedasil.be".to_owned(), 2),
            ("media4cohesion.belgashare.be".to_owned(), 1),
        ]
    );
    assert_eq!(
        pairs(&stats.by_language),
        [("fr".to_owned(), 4), ("en".to_owned(), 3), ("nl".to_owned(), 3)]
    );
    assert_eq!(
        stats.by_type[0],
        crate::FacetCount {
            value: "event".into(),
            count: 3,
            selected: false,
        }
    );
    assert_eq!(stats.by_type.iter().map(|c| c.count).sum::<u64>(), 8);
    assert_eq!(stats.size_bytes, 0, "in memory");
}

#[test]
fn stats_of_an_index_on_disk_give_its_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = SearchIndex::open_or_create(dir.path()).expect("create");
    let empty = index.stats().expect("stats");
    assert_eq!((empty.documents, empty.passages), (0, 0));
    let mut writer = index.writer().expect("writer");
    for doc in corpus() {
        writer.upsert(&doc).expect("upsert");
    }
    writer.commit().expect("commit");
    let stats = index.stats().expect("stats");
    assert_eq!(stats.documents, 6);
    assert!(
        stats.size_bytes > empty.size_bytes,
        "{} <= {}",
        stats.size_bytes,
        empty.size_bytes
    );
}
