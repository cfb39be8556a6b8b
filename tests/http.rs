//! The HTTP API over the crawled mirror.

use serde_json::Value;

use crate::common::{get_json, hit_urls, search};

const PROGRAMME: &str =
    "https://emnbelgium.be/sites/default/files/2024-03/emn-policy-event-2024-programme.pdf";

fn hit_for<'a>(body: &'a Value, url: &str) -> &'a Value {
    body["hits"]
        .as_array()
        .and_then(|hits| hits.iter().find(|h| h["url"] == url))
        .unwrap_or_else(|| panic!("{url} not among the hits: {:?}", hit_urls(body)))
}

#[tokio::test]
async fn apatrides_finds_the_programme_with_a_french_snippet() {
    let body = search("q=apatrides").await;
    let hit = hit_for(&body, PROGRAMME);
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<mark>apatrides</mark>") || snippet.contains("<mark>apatride</mark>"),
        "{snippet}"
    );
    // Words of the French session, not the Dutch one.
    assert!(!snippet.contains("staatlozen"), "{snippet}");
    assert_eq!(hit["type"], "event");
    assert_eq!(hit["date"], "2024-04-18");
    let languages = hit["language"].as_array().unwrap();
    for lang in ["fr", "nl", "en"] {
        assert!(
            languages.iter().any(|l| l == lang),
            "{lang} missing from {languages:?}"
        );
    }
}

#[tokio::test]
async fn staatlozen_finds_the_programme_with_a_dutch_snippet() {
    let body = search("q=staatlozen").await;
    let hit = hit_for(&body, PROGRAMME);
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(
        snippet.contains("<mark>staatlozen</mark>") || snippet.contains("<mark>staatloze</mark>"),
        "{snippet}"
    );
    assert!(!snippet.contains("apatrides"), "{snippet}");
}

#[tokio::test]
async fn stemming_matches_other_forms() {
    // The programme has `apatride` and `apatrides`; `staatloos`/`staatloze` forms in Dutch.
    let singular = search("q=apatride").await;
    assert!(hit_urls(&singular).contains(&PROGRAMME.to_owned()));
    let centres = search("q=reception%20centres").await;
    let centre = search("q=reception%20centre").await;
    assert_eq!(centres["total"], centre["total"]);
}

#[tokio::test]
async fn accueil_in_fedasil_finds_the_amif_page() {
    let body = search("q=accueil&source=fedasil").await;
    let page = "https://fedasil.be/fr/international/fonds-europeens";
    let urls = hit_urls(&body);
    assert!(urls.contains(&page.to_owned()), "{urls:?}");
    // The page, and its project on reception as a passage of it.
    for hit in body["hits"].as_array().unwrap() {
        let url = hit["url"].as_str().unwrap();
        assert!(url == page || hit["parent"]["url"] == page, "{url}");
        assert_eq!(hit["source"], "fedasil");
        assert_eq!(hit["type"], "project");
    }
}

#[tokio::test]
async fn theme_and_year_give_exactly_the_2020_return_items() {
    let body = search("theme=Return%20%26%20Readmission&year=2020").await;
    let mut urls = hit_urls(&body);
    urls.sort();
    assert_eq!(
        urls,
        vec![
            "https://emnbelgium.be/news/on-15-december-emn-belgium-and-the-emn-return-expert",
            "https://emnbelgium.be/news/voluntary-returns-to-the-countries-of-origin-are-decreasing-for",
        ]
    );
    assert_eq!(body["total"], 2);
    for hit in body["hits"].as_array().unwrap() {
        assert_eq!(hit["year"], 2020);
        assert!(
            hit["themes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "Return & Readmission")
        );
    }
}

#[tokio::test]
async fn facet_counts_cover_the_whole_result_set() {
    // Facets count documents, every version of a text: so does `total`
    // with translations apart.
    let body = search("per_page=1&collapse=false").await;
    let total = body["total"].as_u64().unwrap();
    assert!(total >= 25, "only {total} documents");
    assert_eq!(body["hits"].as_array().unwrap().len(), 1);
    let sources: u64 = body["facets"]["source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["count"].as_u64().unwrap())
        .sum();
    assert_eq!(sources, total, "every document has one source");
    // Each theme count is what filtering on that theme gives.
    for facet in body["facets"]["theme"].as_array().unwrap() {
        let value = facet["value"].as_str().unwrap();
        let filtered = search(&format!("theme={}&per_page=1&collapse=false", urlencode(value))).await;
        assert_eq!(filtered["total"], facet["count"], "theme {value}");
    }
}

#[tokio::test]
async fn organisation_facet_finds_cgrs_from_cgvs() {
    let body = search("q=CGVS").await;
    let hit = hit_for(&body, PROGRAMME);
    assert!(
        hit["organisations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o == "CGRS"),
        "{hit}"
    );
    let cgrs = body["facets"]["organisation"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == "CGRS");
    assert!(
        cgrs.is_some_and(|f| f["count"].as_u64().unwrap() >= 1),
        "{}",
        body["facets"]["organisation"]
    );
    let filtered = search("organisation=CGRS").await;
    assert!(hit_urls(&filtered).contains(&PROGRAMME.to_owned()));
}

#[tokio::test]
async fn empty_query_lists_everything_newest_first() {
    let body = search("per_page=100").await;
    let dates: Vec<&str> = body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["date"].as_str())
        .collect();
    assert!(dates.len() >= 20);
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

#[tokio::test]
async fn document_endpoint_returns_the_stored_document() {
    let body = search("q=staatlozen").await;
    let id = hit_for(&body, PROGRAMME)["id"].as_str().unwrap().to_owned();
    let (status, document) = get_json(&format!("/api/documents/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(document["url"], PROGRAMME);
    let (status, missing) = get_json("/api/documents/0000000000000000").await;
    assert_eq!(status, 404);
    assert_eq!(missing["error"]["code"], "not_found");
}

#[tokio::test]
async fn bad_parameters_get_400_naming_the_parameter() {
    let long_query = format!("q={}", "a".repeat(10_000));
    let cases = [
        ("per_page=1000", "per_page"),
        ("page=0", "page"),
        ("year=abc", "year"),
        ("from=2024-05-01&to=2024-01-01", "from"),
        ("from=yesterday", "from"),
        ("sort=popular", "sort"),
        (long_query.as_str(), "q"),
        ("colour=red", "colour"),
        ("type=news-item", "type"),
        ("language=es", "language"),
    ];
    for (query, parameter) in cases {
        let (status, body) = get_json(&format!("/api/search?{query}")).await;
        assert_eq!(status, 400, "{parameter}: {body}");
        assert_eq!(body["error"]["code"], "invalid_parameter");
        assert_eq!(body["error"]["parameter"], parameter);
        assert!(body["error"]["message"].as_str().unwrap().contains(parameter));
    }
}

#[tokio::test]
async fn malformed_queries_fall_back_to_terms() {
    for query in [
        "%22unbalanced",
        "-",
        "OR",
        "((",
        "apatrides%20OR",
        "%22%22",
        "AND%20AND",
    ] {
        let (status, body) = get_json(&format!("/api/search?q={query}")).await;
        assert_eq!(status, 200, "{query}: {body}");
    }
}

#[tokio::test]
async fn snippets_are_escaped_html_with_marks_only() {
    let body = search("q=Fedasil").await;
    for hit in body["hits"].as_array().unwrap() {
        let snippet = hit["snippet"].as_str().unwrap();
        let stripped = snippet.replace("<mark>", "").replace("</mark>", "");
        assert!(!stripped.contains('<'), "{snippet}");
    }
}

#[tokio::test]
async fn page_and_health() {
    let base = &crate::common::fixture().base;
    let page = reqwest::get(format!("{base}/")).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("type=\"search\""));
    let (status, health) = get_json("/healthz").await;
    assert_eq!(status, 200);
    assert!(health["documents"].as_u64().unwrap() >= 25);
    let (status, _) = get_json("/api/nothing-here").await;
    assert_eq!(status, 404);
}

fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[tokio::test]
async fn statelessness_is_expanded_to_french_and_dutch() {
    let body = search("q=statelessness").await;
    hit_for(&body, PROGRAMME);
    let expansion = &body["expansions"][0];
    assert_eq!(expansion["term"], "statelessness");
    let added: Vec<&str> = expansion["added"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.as_str())
        .collect();
    assert!(added.iter().any(|t| t.starts_with("apatrid")), "{added:?}");
    assert!(added.iter().any(|t| t.starts_with("staatlo")), "{added:?}");
    // The English word alone is not in the programme.
    let literal = search("q=statelessness&expand=false").await;
    assert!(!hit_urls(&literal).contains(&PROGRAMME.to_owned()), "{literal}");
    assert_eq!(literal["expansions"], serde_json::json!([]));
}

#[tokio::test]
async fn multi_word_terms_are_expanded_as_one_concept() {
    let body = search("q=voluntary%20return").await;
    let expansion = &body["expansions"][0];
    assert_eq!(expansion["term"], "voluntary return");
    let urls = hit_urls(&body);
    // The French Fedasil page speaks of `retour volontaire`.
    assert!(
        urls.contains(&"https://fedasil.be/fr/international/fonds-europeens".to_owned()),
        "{urls:?}"
    );
}
