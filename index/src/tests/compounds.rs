//! Dutch and German compounds: a part finds the compound, a compound typed
//! finds its parts written apart.

use super::*;

fn nl(url: &str, text: &str) -> Document {
    Document {
        url: url.into(),
        title: "Opvang".into(),
        blocks: vec![block(Some("nl"), text)],
        languages: strings(&["nl"]),
        ..Document::default()
    }
}

const NETWERK: &str = "https://example.org/netwerk";
const APART: &str = "https://example.org/apart";

fn compounds_index() -> SearchIndex {
    index_with(&[
        nl(NETWERK, "Het opvangnetwerk groeit."),
        nl(APART, "De crisis van de opvang duurt."),
        Document {
            url: "https://example.org/de".into(),
            title: "Asyl".into(),
            blocks: vec![block(Some("de"), "Die Zahl der Asylanträge steigt.")],
            languages: strings(&["de"]),
            ..Document::default()
        },
    ])
}

fn compound_search(index: &SearchIndex, query: &str, decompound: bool) -> SearchResults {
    run(
        index,
        SearchRequest {
            query: query.into(),
            decompound,
            fuzzy: false,
            ..literal()
        },
    )
}

#[test]
fn a_part_finds_the_compound() {
    let index = compounds_index();
    assert_eq!(sorted_urls(&compound_search(&index, "netwerk", true)), [NETWERK]);
    let results = compound_search(&index, "opvang", true);
    assert_eq!(sorted_urls(&results), [APART, NETWERK]);
    // Index-side parts do not depend on the request.
    assert_eq!(compound_search(&index, "netwerk", false).total, 1);
    assert_eq!(compound_search(&index, "Antrag", true).total, 1);
}

#[test]
fn a_compound_finds_its_parts_written_apart() {
    let index = compounds_index();
    let results = compound_search(&index, "opvangcrisis", true);
    assert_eq!(urls(&results), [APART]);
    let snippet = &results.hits[0].snippet;
    assert!(
        snippet.contains("<mark>crisis</mark>") && snippet.contains("<mark>opvang</mark>"),
        "{snippet}"
    );
    assert_eq!(compound_search(&index, "opvangcrisis", false).total, 0);
}

#[test]
fn parts_are_all_required() {
    let index = compounds_index();
    // `opvangnetwerk` must not find a text with `opvang` but no `netwerk`.
    assert_eq!(urls(&compound_search(&index, "opvangnetwerk", true)), [NETWERK]);
}

#[test]
fn the_compound_itself_ranks_above_its_parts_apart() {
    let index = index_with(&[
        nl(APART, "De crisis van de opvang duurt."),
        nl(NETWERK, "De opvangcrisis duurt."),
    ]);
    let results = compound_search(&index, "opvangcrisis", true);
    assert_eq!(urls(&results), [NETWERK, APART]);
}

#[test]
fn corpus_compound_meets_its_parts() {
    let index = corpus_index();
    // `opvang` alone: the news item, and the programme's `opvangcrisis`.
    assert_eq!(
        sorted_urls(&compound_search(&index, "opvang", true)),
        [PROGRAMME, GEMEENTEN]
    );
    assert_eq!(
        sorted_urls(&compound_search(&index, "verblijf", true)),
        [PROGRAMME]
    );
}
