//! Passages and translations over the crawled mirror: the sessions of the
//! 2024 programme are hits of their own, named after their parent, and the
//! French and Dutch versions of a session come back as one hit.

use serde_json::Value;

use crate::common::{hit_urls, search};

const PROGRAMME: &str =
    "https://emnbelgium.be/sites/default/files/2024-03/emn-policy-event-2024-programme.pdf";
const FEDASIL_FUNDS: &str = "https://fedasil.be/fr/international/fonds-europeens";
const PRESS_RELEASE: &str = "https://media4cohesion.belgashare.be/fr/press-releases/14498";

fn hits(body: &Value) -> &Vec<Value> {
    body["hits"].as_array().expect("hits")
}

/// Hits that are sessions of the programme.
fn sessions(body: &Value) -> Vec<&Value> {
    hits(body)
        .iter()
        .filter(|hit| hit["passage"]["kind"] == "session" && hit["parent"]["url"] == PROGRAMME)
        .collect()
}

fn version_languages(hit: &Value) -> Vec<String> {
    hit["versions"]
        .as_array()
        .map(|versions| {
            versions
                .iter()
                .filter_map(|v| v["language"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn statelessness_gives_the_french_and_dutch_sessions_as_one_hit() {
    let body = search("q=statelessness").await;
    let stateless: Vec<&Value> = sessions(&body)
        .into_iter()
        .filter(|hit| {
            let versions = hit["versions"].to_string();
            versions.contains("apatrides") || versions.contains("staatlozen")
        })
        .collect();
    assert_eq!(stateless.len(), 1, "one collapsed hit: {:?}", hit_urls(&body));
    let hit = stateless[0];
    let mut languages = version_languages(hit);
    languages.sort();
    assert_eq!(languages, ["fr", "nl"], "{hit}");
    let urls: Vec<&str> = hit["versions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["url"].as_str())
        .collect();
    assert_eq!(urls[0], hit["url"], "the version shown is listed first");
    for url in urls {
        assert!(url.starts_with(&format!("{PROGRAMME}#session-")), "{url}");
    }
    // A name written out (`... for Refugees and Stateless Persons`) does
    // not outrank the session about statelessness.
    assert_eq!(hits(&body)[0]["url"], hit["url"], "{:?}", hit_urls(&body));
    // The session outranks the whole programme it is part of.
    let rank = |url: &Value| hits(&body).iter().position(|h| h["url"] == *url);
    assert!(
        rank(&hit["url"]) < rank(&Value::from(PROGRAMME)),
        "{:?}",
        hit_urls(&body)
    );
}

#[tokio::test]
async fn the_version_shown_follows_the_query_language_or_lang() {
    let shown = |body: &Value| -> Vec<String> {
        sessions(body)
            .iter()
            .filter_map(|hit| hit["language"][0].as_str().map(str::to_owned))
            .take(1)
            .collect()
    };
    assert_eq!(shown(&search("q=apatrides").await), ["fr"]);
    assert_eq!(shown(&search("q=staatlozen").await), ["nl"]);
    assert_eq!(shown(&search("q=apatrides&lang=nl").await), ["nl"]);
}

#[tokio::test]
async fn without_collapse_sessions_come_apart_with_anchors_and_parent() {
    let body = search("q=asile%20accueil&collapse=false").await;
    let found = sessions(&body);
    assert!(!found.is_empty(), "{:?}", hit_urls(&body));
    for hit in &found {
        let url = hit["url"].as_str().unwrap();
        let anchor = hit["passage"]["anchor"].as_str().unwrap();
        assert_eq!(url, format!("{PROGRAMME}#{anchor}"));
        assert!(anchor.starts_with("session-"), "{anchor}");
        assert_eq!(hit["parent_url"], PROGRAMME);
        assert!(
            hit["parent"]["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{hit}"
        );
        assert_eq!(hit["versions"], serde_json::json!([]));
    }
    // The reception-crisis session, in French.
    assert!(
        found
            .iter()
            .any(|hit| hit["title"].as_str().unwrap().contains("crise de l'accueil")),
        "{:?}",
        hit_urls(&body)
    );
}

#[tokio::test]
async fn opvang_finds_the_dutch_reception_crisis_session() {
    // `opvang` is Dutch (the thesaurus says so): the Dutch version is shown.
    let body = search("q=opvang").await;
    let titles: Vec<&str> = sessions(&body)
        .iter()
        .filter_map(|hit| hit["title"].as_str())
        .collect();
    assert!(titles.iter().any(|t| t.contains("opvangcrisis")), "{titles:?}");
}

#[tokio::test]
async fn a_typo_still_finds_the_dutch_statelessness_session() {
    let body = search("q=staatlooshied").await;
    let found = sessions(&body);
    let hit = found
        .iter()
        .find(|hit| hit["title"].as_str().unwrap().contains("staatlozen"))
        .unwrap_or_else(|| panic!("{:?}", hit_urls(&body)));
    assert_eq!(hit["language"][0], "nl");
}

#[tokio::test]
async fn voluntary_return_finds_the_fedasil_page_and_the_press_release() {
    let body = search("q=voluntary%20return").await;
    let urls = hit_urls(&body);
    let parents: Vec<String> = hits(&body)
        .iter()
        .map(|hit| {
            hit["parent"]["url"]
                .as_str()
                .filter(|_| hit["passage"].is_object())
                .unwrap_or_else(|| hit["url"].as_str().unwrap())
                .to_owned()
        })
        .collect();
    assert!(parents.contains(&FEDASIL_FUNDS.to_owned()), "{urls:?}");
    assert!(urls.contains(&PRESS_RELEASE.to_owned()), "{urls:?}");
}

#[tokio::test]
async fn the_fedasil_page_has_its_projects_as_passages() {
    let body = search("q=retour%20volontaire&collapse=false&per_page=50").await;
    let projects: Vec<&Value> = hits(&body)
        .iter()
        .filter(|hit| hit["passage"]["kind"] == "project")
        .collect();
    assert!(
        projects.iter().any(|hit| hit["parent"]["url"] == FEDASIL_FUNDS
            && hit["title"].as_str().unwrap().contains("Retour Volontaire")),
        "{:?}",
        hit_urls(&body)
    );
}

#[tokio::test]
async fn collapse_and_lang_are_checked() {
    let (status, body) = crate::common::get_json("/api/search?q=asile&collapse=maybe").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["parameter"], "collapse");
    let (status, body) = crate::common::get_json("/api/search?q=asile&lang=xx").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["parameter"], "lang");
}

#[tokio::test]
async fn a_listing_item_without_a_page_is_found_as_a_passage_of_the_listing() {
    // The mirror keeps this item in the news listing but its article is gone.
    let body = search("q=twitter").await;
    let hit = hits(&body)
        .iter()
        .find(|hit| hit["passage"]["kind"] == "item")
        .unwrap_or_else(|| panic!("{:?}", hit_urls(&body)));
    let url = hit["url"].as_str().unwrap();
    assert!(url.starts_with("https://emnbelgium.be/news?page="), "{url}");
    assert!(url.contains("#item-today-emn-belgium"), "{url}");
    assert_eq!(hit["parent_url"].as_str(), url.split('#').next());
    assert_eq!(hit["type"], "news");
    assert_eq!(hit["date"], "2020-05-07");
    assert_eq!(hit["themes"], serde_json::json!(["Cross-sectional"]));
}
