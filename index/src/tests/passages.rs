//! Passages (units of a document indexed on their own) and translations
//! collapsed into one hit.

use super::*;
use crate::PassageOf;

const SESSION_FR: &str = "https://emnbelgium.be/sites/default/files/programme-2024.pdf#session-apatrides";
const SESSION_NL: &str = "https://emnbelgium.be/sites/default/files/programme-2024.pdf#session-staatlozen";
const SESSION_EN: &str = "https://emnbelgium.be/sites/default/files/programme-2024.pdf#session-labour";

fn session(url: &str, lang: &str, title: &str, text: &str, key: Option<&str>) -> Document {
    Document {
        url: url.into(),
        source: "emn-belgium".into(),
        doc_type: "event".into(),
        title: title.into(),
        blocks: vec![block(Some(lang), text)],
        languages: strings(&[lang]),
        date: date(2024, 4, 18),
        parent_url: Some(PROGRAMME.into()),
        passage: Some(PassageOf {
            kind: "session".into(),
            anchor: url.rsplit('#').next().unwrap_or_default().into(),
            parent_title: "Programme".into(),
            slot: Some("10.45-11.45".into()),
            link: None,
        }),
        translation_key: key.map(|key| format!("{PROGRAMME}#{key}")),
        ..Document::default()
    }
}

fn sessions() -> Vec<Document> {
    vec![
        session(
            SESSION_FR,
            "fr",
            "Un nouveau droit de séjour pour les apatrides",
            "Une nouvelle procédure de séjour pour les personnes reconnues apatrides.",
            Some("session-apatrides"),
        ),
        session(
            SESSION_NL,
            "nl",
            "Een nieuw verblijfsrecht voor staatlozen",
            "Een nieuwe verblijfsprocedure voor staatlozen die als staatloos zijn erkend.",
            Some("session-apatrides"),
        ),
        session(
            SESSION_EN,
            "en",
            "Labour migration: critical reflection on emerging trends",
            "Labour shortages and immigration pathways for medium-skilled jobs.",
            None,
        ),
    ]
}

/// The corpus with the programme's sessions as its passages.
fn index_with_sessions() -> SearchIndex {
    let index = corpus_index();
    let mut writer = index.writer().expect("writer");
    writer.replace_passages(PROGRAMME, &sessions()).expect("passages");
    writer.commit().expect("commit");
    index
}

fn expanded(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.into(),
        ..SearchRequest::default()
    }
}

#[test]
fn translations_collapse_into_one_hit_listing_every_version() {
    let index = index_with_sessions();
    let results = run(&index, expanded("statelessness"));
    let sessions: Vec<_> = results.hits.iter().filter(|hit| hit.passage.is_some()).collect();
    assert_eq!(sessions.len(), 1, "{:?}", urls(&results));
    let versions: Vec<(&str, Option<&str>)> = sessions[0]
        .versions
        .iter()
        .map(|v| (v.url.as_str(), v.language.as_deref()))
        .collect();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].0, sessions[0].url, "the shown version comes first");
    assert!(versions.contains(&(SESSION_FR, Some("fr"))));
    assert!(versions.contains(&(SESSION_NL, Some("nl"))));
    let apart = run(
        &index,
        SearchRequest {
            collapse: false,
            ..expanded("statelessness")
        },
    );
    let apart_sessions = apart.hits.iter().filter(|hit| hit.passage.is_some()).count();
    assert_eq!(apart_sessions, 2);
    assert_eq!(apart.total, results.total + 1, "total counts the collapsed hits");
    assert!(apart.hits.iter().all(|hit| hit.versions.is_empty()));
}

#[test]
fn the_version_in_the_query_language_is_shown() {
    let index = index_with_sessions();
    let shown = |request: SearchRequest| -> String {
        let results = run(&index, request);
        let hit = results.hits.iter().find(|hit| hit.passage.is_some());
        hit.map(|hit| hit.url.clone()).unwrap_or_default()
    };
    assert_eq!(shown(expanded("apatrides")), SESSION_FR);
    assert_eq!(shown(expanded("staatlozen")), SESSION_NL);
    let dutch_please = SearchRequest {
        prefer_language: Some("nl".into()),
        ..expanded("apatrides")
    };
    assert_eq!(shown(dutch_please), SESSION_NL);
}

#[test]
fn a_passage_hit_names_its_parent_and_anchor() {
    let index = index_with_sessions();
    let results = search(&index, "staatlozen");
    let hit = results
        .hits
        .iter()
        .find(|hit| hit.url == SESSION_NL)
        .expect("the Dutch session");
    let passage = hit.passage.as_ref().expect("a passage");
    assert_eq!(passage.kind, "session");
    assert_eq!(passage.anchor, "session-staatlozen");
    assert_eq!(passage.slot.as_deref(), Some("10.45-11.45"));
    let parent = hit.parent.as_ref().expect("a parent");
    assert_eq!(parent.url, PROGRAMME);
    assert_eq!(
        parent.title.as_deref(),
        Some("Annual report on migration & asylum: policy event"),
        "the indexed parent's own title"
    );
    assert_eq!(parent.id.as_deref(), Some(crate::document_id(PROGRAMME).as_str()));
    assert!(hit.snippet.contains("<mark>staatlozen</mark>"), "{}", hit.snippet);
}

#[test]
fn pages_of_collapsed_hits_do_not_repeat_or_skip_groups() {
    let index = index_with_sessions();
    let all = run(
        &index,
        SearchRequest {
            per_page: 50,
            ..expanded("labour OR apatrides OR staatlozen")
        },
    );
    assert!(all.total >= 3);
    let mut paged = Vec::new();
    for page in 1..=all.total {
        let results = run(
            &index,
            SearchRequest {
                page,
                per_page: 1,
                ..expanded("labour OR apatrides OR staatlozen")
            },
        );
        assert_eq!(results.total, all.total);
        paged.extend(results.hits.into_iter().map(|hit| hit.url));
    }
    assert_eq!(paged, urls(&all));
}

#[test]
fn replacing_passages_drops_the_old_ones_and_deleting_the_parent_drops_all() {
    let index = index_with_sessions();
    assert!(index.contains(SESSION_EN).expect("contains"));
    let mut writer = index.writer().expect("writer");
    writer
        .replace_passages(PROGRAMME, &sessions()[..1])
        .expect("passages");
    writer.commit().expect("commit");
    assert!(index.contains(SESSION_FR).expect("contains"));
    assert!(!index.contains(SESSION_EN).expect("contains"));

    let mut writer = index.writer().expect("writer");
    writer.delete(PROGRAMME).expect("delete");
    writer.commit().expect("commit");
    assert!(!index.contains(SESSION_FR).expect("contains"));
    assert!(!index.contains(PROGRAMME).expect("contains"));
}

#[test]
fn a_passage_of_another_parent_is_refused() {
    let index = corpus_index();
    let mut writer = index.writer().expect("writer");
    let error = writer.replace_passages(FEDASIL, &sessions()[..1]);
    assert!(matches!(error, Err(Error::InvalidRequest(_))));
}

#[test]
fn a_facet_count_is_the_number_of_hits_ticking_it_shows() {
    let index = index_with_sessions();
    for collapse in [true, false] {
        let base = SearchRequest {
            collapse,
            per_page: 50,
            ..expanded("statelessness OR staatlozen OR labour")
        };
        let results = run(&index, base.clone());
        let lists = [
            ("language", &results.facets["language"]),
            ("type", &results.facets["type"]),
            ("organisation", &results.facets["organisation"]),
        ];
        for (facet, list) in lists {
            assert!(!list.is_empty(), "{facet}");
            for count in list {
                let mut filters = base.filters.clone();
                match facet {
                    "language" => filters.set("language", vec![count.value.clone()]).unwrap(),
                    "type" => filters.set("type", vec![count.value.clone()]).unwrap(),
                    _ => filters.set("organisation", vec![count.value.clone()]).unwrap(),
                }
                let ticked = run(
                    &index,
                    SearchRequest {
                        filters,
                        ..base.clone()
                    },
                );
                assert_eq!(
                    ticked.total as u64, count.count,
                    "{facet}={} with collapse={collapse}",
                    count.value
                );
            }
        }
    }
}
