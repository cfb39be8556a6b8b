//! The query language: stemming across languages, AND, OR, phrases,
//! exclusions, stop words and malformed input.

use super::*;
use crate::Filters;

#[test]
fn inflected_forms_meet_across_languages() {
    let index = corpus_index();
    for (query, url) in [
        ("apatride", PROGRAMME),
        ("apatrides", PROGRAMME),
        ("staatloze", PROGRAMME),
        ("staatlozen", PROGRAMME),
        ("reception centre", STUDY),
        ("return", STUDY),
        ("demandeur", FEDASIL),
        ("asielzoeker", GEMEENTEN),
        ("gemeente", GEMEENTEN),
        ("opvangcrisis", PROGRAMME),
        ("one-stop-desk", PROGRAMME),
        ("Fedasil", FEDASIL),
        ("CGRS", PROGRAMME),
    ] {
        let results = search(&index, query);
        assert!(urls(&results).contains(&url), "{query}: {:?}", urls(&results));
    }
    assert_eq!(
        sorted_urls(&search(&index, "opvangcrisis")),
        vec![PROGRAMME, GEMEENTEN]
    );
}

#[test]
fn accents_are_optional_in_queries() {
    let index = corpus_index();
    assert_eq!(urls(&search(&index, "etrangers")), vec![PRESS]);
    assert_eq!(urls(&search(&index, "séjour")), vec![PROGRAMME]);
    assert_eq!(urls(&search(&index, "sejour")), vec![PROGRAMME]);
}

#[test]
fn words_are_anded_by_default() {
    let index = corpus_index();
    assert_eq!(urls(&search(&index, "apatrides staatlozen")), vec![PROGRAMME]);
    assert_eq!(search(&index, "apatrides gemeenten").total, 0);
}

#[test]
fn or_widens() {
    let index = corpus_index();
    let results = search(&index, "gemeenten OR apatrides");
    assert_eq!(sorted_urls(&results), vec![PROGRAMME, GEMEENTEN]);
}

#[test]
fn phrases_respect_order() {
    let index = corpus_index();
    assert_eq!(urls(&search(&index, "\"reception centres\"")), vec![STUDY]);
    assert_eq!(search(&index, "\"centres reception\"").total, 0);
    assert_eq!(urls(&search(&index, "\"crise de l'accueil\"")), vec![PROGRAMME]);
}

#[test]
fn phrases_intersect_with_terms_and_filters() {
    let index = corpus_index();
    let results = run(
        &index,
        SearchRequest {
            query: "study \"reception centres\" -\"crise de l'accueil\"".into(),
            filters: Filters::default().with("theme", strings(&["Return & Readmission"])),
            ..literal()
        },
    );
    assert_eq!(urls(&results), vec![STUDY]);
    assert_eq!(
        search(&index, "-\"reception centres\" -\"crise de l'accueil\"").total,
        4
    );
}

#[test]
fn exclusions_remove_documents() {
    let index = corpus_index();
    let all = search(&index, "retour volontaire");
    assert_eq!(sorted_urls(&all), vec![PRESS, FEDASIL]);
    assert_eq!(
        urls(&search(&index, "retour volontaire -AMIF")),
        Vec::<&str>::new()
    );
    assert_eq!(
        urls(&search(&index, "retour -\"Office des étrangers\"")),
        vec![FEDASIL]
    );
    // Only exclusions: everything else, newest first.
    let rest = search(&index, "-fedasil");
    assert_eq!(urls(&rest), vec![PROGRAMME, STUDY, UNDATED]);
}

#[test]
fn malformed_queries_still_answer() {
    let index = corpus_index();
    for query in [
        "\"unbalanced",
        "-",
        "OR",
        "((",
        "a OR",
        "OR OR",
        "\"",
        "--",
        "-\"",
        "\"\"",
        "*:?",
    ] {
        let results = index.search(&SearchRequest {
            query: query.into(),
            ..literal()
        });
        assert!(results.is_ok(), "{query}: {results:?}");
    }
    assert_eq!(search(&index, "((").total, 6);
    assert_eq!(urls(&search(&index, "\"apatrides")), vec![PROGRAMME]);
    assert_eq!(urls(&search(&index, "apatrides OR")), vec![PROGRAMME]);
}

#[test]
fn stop_words_do_not_block_a_match() {
    let index = corpus_index();
    assert_eq!(urls(&search(&index, "crise de l'accueil")), vec![PROGRAMME]);
    assert_eq!(urls(&search(&index, "the reception centres")), vec![STUDY]);
    // A query of stop words alone is answered, whatever it finds.
    for query in ["the", "de la", "l'"] {
        assert!(
            index
                .search(&SearchRequest {
                    query: query.into(),
                    ..literal()
                })
                .is_ok()
        );
    }
}
