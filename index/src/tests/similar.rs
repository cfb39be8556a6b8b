//! Related documents.

use super::*;
use crate::PassageOf;

const RETENTION_FR: &str = "https://example.org/fr/retention";
const RETENTION_NL: &str = "https://example.org/nl/detentie";
const RETENTION_PASSAGE: &str = "https://example.org/fr/retention#familles";
const PARENT: &str = "https://example.org/fr/centres";
const DETENTIE: &str = "https://example.org/nl/gesloten-centra";
const CENTRES_FR: &str = "https://example.org/fr/centres-fermes";
const CENTRES_NL: &str = "https://example.org/nl/gesloten-centra-gezinnen";
const UNRELATED: &str = "https://example.org/en/labour";

fn page(url: &str, lang: &str, title: &str, text: &str) -> Document {
    Document {
        url: url.into(),
        source: "example".into(),
        doc_type: "page".into(),
        title: title.into(),
        blocks: vec![block(Some(lang), text)],
        languages: strings(&[lang]),
        ..Document::default()
    }
}

fn linked(mut doc: Document, key: &str) -> Document {
    doc.translation_key = Some(key.into());
    doc
}

/// A French page on detention with its Dutch translation, a passage and a
/// parent; Dutch and French pages on the same topic; an unrelated one.
fn detention(link_translations: bool) -> Vec<Document> {
    let french = page(
        RETENTION_FR,
        "fr",
        "Rétention des familles",
        "La rétention des familles avec enfants dans les centres fermés est interdite. \
         Les familles en séjour irrégulier sont hébergées dans des maisons de retour.",
    );
    let dutch = page(
        RETENTION_NL,
        "nl",
        "Detentie van gezinnen",
        "De detentie van gezinnen met kinderen in gesloten centra is verboden. \
         Gezinnen zonder wettig verblijf worden opgevangen in terugkeerwoningen.",
    );
    let (french, dutch) = match link_translations {
        true => (linked(french, "retention"), linked(dutch, "retention")),
        false => (french, dutch),
    };
    let mut french = french;
    french.parent_url = Some(PARENT.into());
    let passage = Document {
        url: RETENTION_PASSAGE.into(),
        parent_url: Some(RETENTION_FR.into()),
        passage: Some(PassageOf {
            kind: "item".into(),
            anchor: "familles".into(),
            parent_title: "Rétention des familles".into(),
            slot: None,
            link: None,
        }),
        ..page(
            RETENTION_PASSAGE,
            "fr",
            "Les familles en rétention",
            "Les familles avec enfants ne sont plus placées en rétention dans les centres fermés.",
        )
    };
    vec![
        french,
        dutch,
        passage,
        page(
            PARENT,
            "fr",
            "Les centres fermés",
            "Les centres fermés accueillent les personnes en rétention, parfois des familles.",
        ),
        page(
            DETENTIE,
            "nl",
            "Gesloten centra",
            "Gezinnen met kinderen werden vroeger in gesloten centra vastgehouden; detentie van gezinnen blijft omstreden.",
        ),
        linked(
            page(
                CENTRES_FR,
                "fr",
                "Familles et centres fermés",
                "Des familles avec enfants en séjour irrégulier et la rétention en centres fermés.",
            ),
            "centres",
        ),
        linked(
            page(
                CENTRES_NL,
                "nl",
                "Gezinnen en gesloten centra",
                "Gezinnen met kinderen zonder wettig verblijf en detentie in gesloten centra.",
            ),
            "centres",
        ),
        page(
            UNRELATED,
            "en",
            "Labour migration",
            "Seasonal workers and the single permit for labour migration.",
        ),
    ]
}

fn similar_urls(index: &SearchIndex, url: &str, limit: usize) -> Vec<String> {
    let hits = index
        .similar(&crate::document_id(url), limit)
        .expect("similar")
        .expect("known id");
    hits.into_iter().map(|hit| hit.url).collect()
}

#[test]
fn similar_leaves_out_the_document_its_versions_passages_and_parent() {
    let index = index_with(&detention(true));
    let related = similar_urls(&index, RETENTION_FR, 10);
    for excluded in [RETENTION_FR, RETENTION_NL, RETENTION_PASSAGE, PARENT] {
        assert!(
            !related.iter().any(|url| url == excluded),
            "{excluded} in {related:?}"
        );
    }
    assert!(!related.iter().any(|url| url == UNRELATED), "{related:?}");
    // The linked French and Dutch pages come once, in French like the
    // document asked about.
    assert_eq!(
        related.first().map(String::as_str),
        Some(CENTRES_FR),
        "{related:?}"
    );
    assert!(!related.iter().any(|url| url == CENTRES_NL), "{related:?}");
}

#[test]
fn linked_translations_find_related_documents_in_another_language() {
    let linked = index_with(&detention(true));
    let related = similar_urls(&linked, RETENTION_FR, 10);
    assert!(related.iter().any(|url| url == DETENTIE), "{related:?}");
    // Without the link, the French text alone cannot reach Dutch words.
    let apart = index_with(&detention(false));
    let related = similar_urls(&apart, RETENTION_FR, 10);
    assert!(!related.iter().any(|url| url == DETENTIE), "{related:?}");
}

#[test]
fn similar_hits_show_their_lead_and_versions() {
    let index = index_with(&detention(true));
    let hits = index
        .similar(&crate::document_id(RETENTION_FR), 1)
        .expect("similar")
        .expect("known");
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit.url, CENTRES_FR);
    assert_eq!(
        hit.snippet,
        "Des familles avec enfants en séjour irrégulier et la rétention en centres fermés."
    );
    assert_eq!(hit.snippets, std::slice::from_ref(&hit.snippet));
    assert!(hit.score > 0.0);
    let versions: Vec<&str> = hit.versions.iter().map(|v| v.url.as_str()).collect();
    assert_eq!(versions, [CENTRES_FR, CENTRES_NL]);
}

#[test]
fn similar_of_an_unknown_id_is_none() {
    let index = index_with(&detention(true));
    assert!(index.similar("0000000000000000", 5).expect("similar").is_none());
    assert_eq!(
        index.similar(&crate::document_id(RETENTION_FR), 0).expect("ok"),
        Some(vec![])
    );
    // A document without text has nothing to relate by.
    let empty = index_with(&[Document {
        url: "https://example.org/empty".into(),
        ..Document::default()
    }]);
    let hits = empty
        .similar(&crate::document_id("https://example.org/empty"), 5)
        .expect("similar");
    assert_eq!(hits, Some(vec![]));
}
