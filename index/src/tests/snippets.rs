//! Several snippets per hit.

use super::*;

const LONG: &str = "https://example.org/fr/accueil-long";

/// Blocks long enough that one snippet cannot cover two of them.
fn long_document() -> Document {
    let filler = "Le texte continue sans rapport avec le sujet de la recherche. ".repeat(8);
    let blocks = vec![
        block(Some("fr"), "Introduction générale sans le mot cherché."),
        block(
            Some("fr"),
            &format!("Premier: l'accueil des familles et l'accueil des enfants. {filler}"),
        ),
        block(Some("fr"), &filler),
        block(Some("fr"), &format!("{filler} Deuxième: l'accueil des mineurs.")),
        block(Some("fr"), &filler),
        block(Some("fr"), &format!("Troisième: l'accueil en ville. {filler}")),
        block(Some("fr"), &format!("Quatrième: l'accueil encore. {filler}")),
    ];
    Document {
        url: LONG.into(),
        title: "Un long texte".into(),
        blocks,
        languages: strings(&["fr"]),
        ..Document::default()
    }
}

#[test]
fn a_hit_has_up_to_three_snippets_from_different_blocks_best_first() {
    let index = index_with(&[long_document()]);
    assert_three_snippets_from_different_blocks(&search(&index, "accueil").hits[0]);
}

/// Three snippets of [`long_document`] for `accueil`, best first, each
/// from its own block.
fn assert_three_snippets_from_different_blocks(hit: &crate::Hit) {
    assert_eq!(hit.snippets.len(), 3, "{:?}", hit.snippets);
    assert_eq!(hit.snippets[0], hit.snippet);
    assert!(hit.snippets[0].contains("Premier"), "{:?}", hit.snippets);
    assert!(
        hit.snippets.iter().all(|s| s.contains("<mark>accueil</mark>")),
        "{:?}",
        hit.snippets
    );
    let places: Vec<&str> = ["Premier", "Deuxième", "Troisième", "Quatrième"]
        .into_iter()
        .filter(|word| hit.snippets.iter().any(|s| s.contains(word)))
        .collect();
    assert_eq!(places.len(), 3, "{:?}", hit.snippets);
    // Each from its own block: no snippet repeats another's words.
    for (at, snippet) in hit.snippets.iter().enumerate() {
        let count = places.iter().filter(|word| snippet.contains(*word)).count();
        assert_eq!(count, 1, "snippet {at}: {snippet}");
    }
}

#[test]
fn a_short_document_gives_one_snippet() {
    let index = corpus_index();
    let hit = &search(&index, "statelessness").hits[0];
    assert_eq!(hit.snippets, std::slice::from_ref(&hit.snippet));
}

#[test]
fn no_query_gives_the_lead_or_nothing() {
    let mut empty = Document {
        url: "https://example.org/empty".into(),
        title: "Sans texte".into(),
        ..Document::default()
    };
    empty.date = date(2020, 1, 1);
    let index = index_with(&[long_document(), empty]);
    let results = search(&index, "");
    let long = results.hits.iter().find(|hit| hit.url == LONG).expect("long");
    assert_eq!(long.snippets, ["Introduction générale sans le mot cherché."]);
    assert_eq!(long.snippet, long.snippets[0]);
    let empty = results.hits.iter().find(|hit| hit.url != LONG).expect("empty");
    assert!(empty.snippets.is_empty());
    assert_eq!(empty.snippet, "");
    // A title-only match shows the lead alone too.
    let titled = &search(&index, "long").hits[0];
    assert_eq!(titled.snippets, ["Introduction générale sans le mot cherché."]);
}

#[test]
fn an_empty_leading_block_does_not_shift_the_blocks_a_snippet_covers() {
    let mut document = long_document();
    document.blocks.insert(0, block(Some("fr"), ""));
    document.blocks.insert(2, block(Some("fr"), "  "));
    let index = index_with(&[document]);
    assert_three_snippets_from_different_blocks(&search(&index, "accueil").hits[0]);
}

#[test]
fn zero_snippets_gives_none() {
    let index = index_with(&[long_document()]);
    let results = run(
        &index,
        SearchRequest {
            query: "accueil".into(),
            snippets: 0,
            ..literal()
        },
    );
    let hit = &results.hits[0];
    assert_eq!((hit.snippet.as_str(), hit.snippets.len()), ("", 0));
    let one = run(
        &index,
        SearchRequest {
            query: "accueil".into(),
            snippets: 1,
            ..literal()
        },
    );
    assert_eq!(one.hits[0].snippets.len(), 1);
    let too_many = SearchRequest {
        snippets: crate::MAX_SNIPPETS + 1,
        ..literal()
    };
    assert!(matches!(
        index.search(&too_many),
        Err(crate::Error::InvalidRequest(_))
    ));
}
