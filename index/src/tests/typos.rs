//! Typo tolerance: misspelt words find their documents, below exact
//! matches, with highlights; names and acronyms stay exact.

use super::*;

fn doc(url: &str, lang: &str, title: &str, text: &str) -> Document {
    Document {
        url: url.into(),
        title: title.into(),
        blocks: vec![block(Some(lang), text)],
        languages: strings(&[lang]),
        ..Document::default()
    }
}

fn typo_search(index: &SearchIndex, query: &str, fuzzy: bool) -> SearchResults {
    run(
        index,
        SearchRequest {
            query: query.into(),
            fuzzy,
            ..literal()
        },
    )
}

#[test]
fn misspelt_suffix_still_finds_the_dutch_word() {
    // The stemmer cuts `-heid` from `staatloosheid` but not `-hied`.
    let index = index_with(&[
        doc(
            "https://example.org/nl",
            "nl",
            "Sessie 2",
            "Over staatloosheid in België.",
        ),
        doc("https://example.org/en", "en", "Session 3", "Labour migration."),
    ]);
    let results = typo_search(&index, "staatlooshied", true);
    assert_eq!(urls(&results), ["https://example.org/nl"]);
    assert!(
        results.hits[0].snippet.contains("<mark>staatloosheid</mark>"),
        "{}",
        results.hits[0].snippet
    );
}

#[test]
fn misspelt_thesaurus_term_is_expanded() {
    // No document has `staatloosheid`; the programme's session says
    // `staatlozen` and `apatrides`, which the concept's terms reach.
    let index = corpus_index();
    let results = run(
        &index,
        SearchRequest {
            query: "staatlooshied".into(),
            ..SearchRequest::default()
        },
    );
    assert!(urls(&results).contains(&PROGRAMME), "{:?}", urls(&results));
    assert_eq!(results.expansions[0].concept, "statelessness");
    assert_eq!(results.expansions[0].term, "staatlooshied");
    let without = run(
        &index,
        SearchRequest {
            query: "staatlooshied".into(),
            fuzzy: false,
            ..SearchRequest::default()
        },
    );
    assert_eq!(without.total, 0);
}

#[test]
fn transposed_letters_find_the_french_word() {
    let index = corpus_index();
    let results = typo_search(&index, "apatirdes", true);
    assert_eq!(urls(&results), [PROGRAMME]);
    let snippet = &results.hits[0].snippet;
    assert!(snippet.contains("<mark>apatrides</mark>"), "{snippet}");
    // The corpus typo tests too: a misspelt Dutch word from the programme.
    assert_eq!(urls(&typo_search(&index, "staatlozne", true)), [PROGRAMME]);
}

#[test]
fn typos_are_off_on_request() {
    let index = corpus_index();
    assert_eq!(typo_search(&index, "apatirdes", false).total, 0);
    assert_eq!(typo_search(&index, "staatlozne", false).total, 0);
}

#[test]
fn exact_match_ranks_above_a_typo_match() {
    // `apatirdes` is itself in the corpus once, `apatrides` twice: the
    // misspelling typed finds both spellings, its own first.
    let index = index_with(&[
        doc("https://example.org/a", "fr", "Séjour", "Le droit des apatrides."),
        doc(
            "https://example.org/b",
            "fr",
            "Séjour",
            "La protection des apatrides.",
        ),
        doc(
            "https://example.org/c",
            "fr",
            "Séjour",
            "Le statut des apatirdes.",
        ),
    ]);
    let results = typo_search(&index, "apatirdes", true);
    assert_eq!(results.total, 3);
    assert_eq!(results.hits[0].url, "https://example.org/c");
    assert!(results.hits[0].score > results.hits[1].score);
    // The right spelling typed does not pull in the rarer misspelling.
    assert_eq!(typo_search(&index, "apatrides", true).total, 2);
}

#[test]
fn acronyms_names_digits_and_short_words_stay_exact() {
    let index = index_with(&[
        doc(
            "https://example.org/amis",
            "en",
            "AMIS",
            "The AMIS network and DG HOLE.",
        ),
        doc(
            "https://example.org/y",
            "en",
            "Report",
            "The 2023 report of Fedasyl.",
        ),
    ]);
    for query in ["AMIF", "DG HOME", "2024", "AMIf", "FedAsil", "amif"] {
        assert_eq!(typo_search(&index, query, true).total, 0, "{query}");
    }
    // The same words typed plainly and long enough do tolerate a typo.
    assert_eq!(typo_search(&index, "Fedasil", true).total, 1);
    assert_eq!(typo_search(&index, "fedasil", true).total, 1);
}

#[test]
fn phrases_and_exclusions_stay_exact() {
    let index = corpus_index();
    assert_eq!(typo_search(&index, "\"apatirdes\"", true).total, 0);
    // `-apatirdes` excludes nothing.
    assert_eq!(
        typo_search(&index, "staatlozen -apatirdes", true).total,
        typo_search(&index, "staatlozen", true).total
    );
}

#[test]
fn odd_words_do_not_break_typo_lookup() {
    let index = corpus_index();
    for query in [
        "ééééééééééé",
        "😀😀😀😀😀😀",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "l'acceuil",
        "one-stop-dsek",
        "ﬁﬁﬁﬁﬁﬁ",
        "Straße",
    ] {
        assert!(
            index
                .search(&SearchRequest {
                    query: query.into(),
                    ..SearchRequest::default()
                })
                .is_ok(),
            "{query}"
        );
    }
}

#[test]
fn remembered_near_spellings_follow_the_index() {
    // Near spellings are remembered per word until the index changes: a
    // commit that adds the right spelling must be seen at once.
    let index = index_with(&[doc(
        "https://example.org/en",
        "en",
        "Session 3",
        "Labour migration.",
    )]);
    assert_eq!(typo_search(&index, "reintegratoin", true).total, 0);
    let mut writer = index.writer().expect("writer");
    writer
        .upsert(&doc(
            "https://example.org/fr",
            "en",
            "Return",
            "Support for reintegration after return.",
        ))
        .expect("upsert");
    writer.commit().expect("commit");
    assert_eq!(
        urls(&typo_search(&index, "reintegratoin", true)),
        ["https://example.org/fr"]
    );
}
