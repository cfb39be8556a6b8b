//! The API beyond one page of hits: POST, exports, feeds, facets, similar
//! and archived documents, stats, metrics, the OpenAPI description and the
//! middleware (compression, ETag, CORS, limits), over a real server.

use std::collections::BTreeSet;
use std::io::Read;

use reqwest::StatusCode;
use reqwest::header::{self, HeaderMap};
use serde_json::Value;

use crate::common::{fixture, get_json, search};

const PROGRAMME: &str =
    "https://emnbelgium.be/sites/default/files/2024-03/emn-policy-event-2024-programme.pdf";

fn url(path: &str) -> String {
    format!("{}{path}", fixture().base)
}

async fn post_search(body: impl Into<reqwest::Body>) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(url("/api/search"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .expect("POST /api/search");
    let status = response.status();
    (status, response.json().await.expect("JSON body"))
}

/// The body without `took_ms`, which differs between two equal searches.
fn results(mut body: Value) -> Value {
    body.as_object_mut().map(|o| o.remove("took_ms"));
    body
}

async fn id_of(query: &str, url: &str) -> String {
    let body = search(query).await;
    body["hits"]
        .as_array()
        .and_then(|hits| hits.iter().find(|h| h["url"] == url))
        .and_then(|hit| hit["id"].as_str())
        .unwrap_or_else(|| panic!("{url} not found by {query}"))
        .to_owned()
}

#[tokio::test]
async fn post_gives_the_same_results_as_get() {
    let get = search("q=return&year=2020&year=2021&language=en&per_page=5&expand=false").await;
    let (status, post) = post_search(
        r#"{"q": "return", "year": [2020, 2021], "language": "en", "per_page": 5, "expand": false}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{post}");
    assert!(get["total"].as_u64().unwrap() > 0, "{get}");
    assert_eq!(results(post), results(get));
}

#[tokio::test]
async fn bad_post_bodies_are_400_naming_the_problem() {
    let cases = [
        (r#"{"q": "#, "body"),
        (r#"["q", "asile"]"#, "body"),
        (r#"{"theme": {"name": "Asylum"}}"#, "theme"),
        (r#"{"per_page": 1000}"#, "per_page"),
        (r#"{"q": ["a", "b"]}"#, "q"),
        (r#"{"colour": "red"}"#, "colour"),
    ];
    for (body, parameter) in cases {
        let (status, error) = post_search(body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {error}");
        assert_eq!(error["error"]["code"], "invalid_parameter", "{body}");
        assert_eq!(error["error"]["parameter"], parameter, "{body}: {error}");
    }
}

/// Rows of an RFC 4180 document.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[tokio::test]
async fn csv_has_a_header_and_one_row_per_hit() {
    let query = "q=asile&collapse=false";
    let response = reqwest::get(url(&format!("/api/search.csv?{query}")))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert_eq!(
        response.headers()[header::CONTENT_DISPOSITION],
        "attachment; filename=\"migrasearch.csv\""
    );
    let rows = parse_csv(&response.text().await.unwrap());
    let (status, all) = get_json(&format!("/api/search.json?{query}&all=true")).await;
    assert_eq!(status, 200, "{all}");
    let hits = all["hits"].as_array().unwrap();
    // More hits than one default page: the export is not paginated.
    assert!(hits.len() > 20, "only {} hits", hits.len());
    assert_eq!(hits.len() as u64, all["total"].as_u64().unwrap());
    assert_eq!(
        rows[0],
        [
            "id",
            "url",
            "title",
            "date",
            "year",
            "languages",
            "themes",
            "organisations",
            "source",
            "type",
            "parent_url",
            "score"
        ]
    );
    assert_eq!(rows.len() - 1, hits.len());
    for (row, hit) in rows[1..].iter().zip(hits) {
        assert_eq!(row.len(), 12, "{row:?}");
        assert_eq!(row[0], hit["id"].as_str().unwrap());
        assert_eq!(row[2], hit["title"].as_str().unwrap());
        let themes: Vec<&str> = hit["themes"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(row[6], themes.join("; "));
    }
    // Without all=true, search.json is /api/search.
    let page = results(search(query).await);
    let (_, json) = get_json(&format!("/api/search.json?{query}")).await;
    assert_eq!(results(json), page);
}

#[tokio::test]
async fn atom_feed_has_the_newest_hits() {
    let response = reqwest::get(url("/api/search.atom?q=retour")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let bytes = response.bytes().await.unwrap();
    let feed = feed_rs::parser::parse(&bytes[..]).expect("a valid feed");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel.as_deref() == Some("self") && l.href.contains("/api/search.atom?q=retour"))
    );
    let dated = search("q=retour&sort=date&per_page=50").await;
    let expected: Vec<&str> = dated["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["date"].is_string())
        .filter_map(|h| h["url"].as_str())
        .collect();
    assert!(!expected.is_empty());
    let entries: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(entries, expected);
    let updated: Vec<_> = feed.entries.iter().map(|e| e.updated.expect("updated")).collect();
    assert!(updated.windows(2).all(|w| w[0] >= w[1]), "{updated:?}");
    let entry = &feed.entries[0];
    assert!(entry.title.as_ref().is_some_and(|t| !t.content.is_empty()));
    assert!(!entry.links.is_empty());
    assert!(
        feed.entries
            .iter()
            .any(|e| e.summary.as_ref().is_some_and(|s| !s.content.contains("<mark>")))
    );
}

#[tokio::test]
async fn openapi_documents_every_route() {
    let (status, doc) = get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1."),
        "{}",
        doc["openapi"]
    );
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "post", "put", "delete", "patch"].contains(&k.as_str()))
                .map(|method| (method.to_uppercase(), path.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let routed: BTreeSet<(String, String)> = migrasearch::server::documented_routes()
        .into_iter()
        .map(|(method, path)| (method.to_string(), path.to_owned()))
        .collect();
    assert_eq!(documented, routed);
    assert!(routed.contains(&("POST".to_owned(), "/api/search".to_owned())));
    // Every schema referenced is defined.
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    for name in [
        "SearchResponse",
        "Hit",
        "ErrorBody",
        "FacetValues",
        "Stats",
        "StoredDocument",
    ] {
        assert!(schemas.contains_key(name), "{name} missing");
    }
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(refs.len() > 10);
    for reference in refs {
        let name = reference.trim_start_matches("#/components/schemas/");
        assert!(schemas.contains_key(name), "dangling {reference}");
    }
    // Every documented route answers something other than "no such route".
    for (method, path) in &routed {
        let concrete = path
            .replace("{id}", "0000000000000000")
            .replace("{name}", "theme");
        let response = reqwest::Client::new()
            .request(method.parse().unwrap(), url(&concrete))
            .send()
            .await
            .unwrap();
        let body = response.text().await.unwrap();
        assert!(!body.contains("no such route"), "{method} {path}: {body}");
    }
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, value) in object {
                match (key.as_str(), value.as_str()) {
                    ("$ref", Some(reference)) => refs.push(reference.to_owned()),
                    _ => collect_refs(value, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, refs)),
        _ => {}
    }
}

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    for _ in 0..2 {
        search("q=metrics-probe").await;
        get_json("/api/documents/0000000000000001").await;
    }
    let response = reqwest::get(url("/metrics")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let value = |prefix: &str| -> f64 {
        text.lines()
            .find(|line| line.starts_with(prefix))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {prefix} in\n{text}"))
    };
    assert!(value(r#"http_requests_total{route="/api/search",method="GET",status="200"}"#) >= 2.0);
    assert!(value(r#"http_requests_total{route="/api/documents/{id}",method="GET",status="404"}"#) >= 2.0);
    assert!(!text.contains("0000000000000001"), "raw paths leak into labels");
    assert!(value(r#"http_request_duration_seconds_bucket{route="/api/search",le="+Inf"}"#) >= 2.0);
    assert!(value(r#"http_request_duration_seconds_bucket{route="/api/search",le="10"}"#) >= 2.0);
    assert!(value("migrasearch_documents ") >= 25.0);
    assert!(value(r#"migrasearch_last_crawl_timestamp_seconds{source="fedasil"}"#) > 1.6e9);
}

#[tokio::test]
async fn responses_are_compressed_when_asked() {
    // This client does not decompress, so the encoding is seen as sent.
    let client = reqwest::Client::new();
    let response = client
        .get(url("/api/search?per_page=50"))
        .header(header::ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "gzip");
    let compressed = response.bytes().await.unwrap();
    let mut json = String::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_string(&mut json)
        .expect("gzip");
    let body: Value = serde_json::from_str(&json).unwrap();
    assert!(body["hits"].as_array().unwrap().len() >= 25, "{body}");
    assert!(compressed.len() < json.len() / 2);
    let response = client
        .get(url("/api/search?per_page=50"))
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::CONTENT_ENCODING], "br");
    let plain = client.get(url("/api/search?per_page=50")).send().await.unwrap();
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn etag_and_if_none_match_give_304() {
    let client = reqwest::Client::new();
    for path in ["/api/search?q=asile", "/api/search.json?q=asile&all=true"] {
        let first = client.get(url(path)).send().await.unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(first.headers()[header::CACHE_CONTROL], "public, max-age=60");
        let etag = first.headers()[header::ETAG].clone();
        let again = client.get(url(path)).send().await.unwrap();
        assert_eq!(again.headers()[header::ETAG], etag, "same results, same tag");
        let cached = client
            .get(url(path))
            .header(header::IF_NONE_MATCH, etag.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(cached.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert!(cached.bytes().await.unwrap().is_empty());
        let stale = client
            .get(url(path))
            .header(header::IF_NONE_MATCH, "\"something-else\"")
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), StatusCode::OK);
    }
    let other = client.get(url("/api/search?q=retour")).send().await.unwrap();
    let asile = client.get(url("/api/search?q=asile")).send().await.unwrap();
    assert_ne!(other.headers()[header::ETAG], asile.headers()[header::ETAG]);
}

#[tokio::test]
async fn cors_is_open_for_reading() {
    let client = reqwest::Client::new();
    let response = client
        .get(url("/api/search?q=asile"))
        .header(header::ORIGIN, "https://example.org")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let preflight = client
        .request(reqwest::Method::OPTIONS, url("/api/search"))
        .header(header::ORIGIN, "https://example.org")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(header::ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let headers: &HeaderMap = preflight.headers();
    assert_eq!(headers[header::ACCESS_CONTROL_ALLOW_ORIGIN], "*");
    let methods = headers[header::ACCESS_CONTROL_ALLOW_METHODS].to_str().unwrap();
    assert!(methods.contains("GET") && methods.contains("POST"), "{methods}");
}

#[tokio::test]
async fn oversize_bodies_are_413_json() {
    let huge = format!(r#"{{"q": "{}"}}"#, "a".repeat(100 * 1024));
    let (status, body) = post_search(huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "payload_too_large", "{body}");
}

#[tokio::test]
async fn framework_errors_are_json_too() {
    let response = reqwest::Client::new()
        .delete(url("/api/search"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn facet_values_by_prefix() {
    let (status, body) = get_json("/api/facets/theme?prefix=ret&limit=5").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["facet"].as_str(), body["prefix"].as_str()),
        (Some("theme"), Some("ret"))
    );
    let values = body["values"].as_array().unwrap();
    assert!(
        values.iter().any(|v| v["value"] == "Return & Readmission"),
        "{values:?}"
    );
    assert!(values.len() <= 5);
    for value in values {
        let text = value["value"].as_str().unwrap().to_lowercase();
        assert!(text.split_whitespace().any(|w| w.starts_with("ret")), "{text}");
        assert!(value["count"].as_u64().unwrap() > 0);
    }
    let (status, all) = get_json("/api/facets/source").await;
    assert_eq!(status, 200);
    assert!(all["values"].as_array().unwrap().len() >= 2, "{all}");
    let (status, error) = get_json("/api/facets/colour").await;
    assert_eq!(status, 400);
    assert_eq!(error["error"]["parameter"], "name");
    let (status, error) = get_json("/api/facets/theme?limit=0").await;
    assert_eq!(status, 400);
    assert_eq!(error["error"]["parameter"], "limit");
}

#[tokio::test]
async fn similar_documents_of_a_known_document() {
    let id = id_of("q=staatlozen", PROGRAMME).await;
    let (status, body) = get_json(&format!("/api/documents/{id}/similar?limit=3")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["id"], id.as_str());
    let hits = body["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 3, "{hits:?}");
    assert!(
        hits.iter()
            .all(|h| h["id"] != id.as_str() && h["url"] != PROGRAMME)
    );
    let (status, missing) = get_json("/api/documents/0000000000000000/similar").await;
    assert_eq!(status, 404);
    assert_eq!(missing["error"]["code"], "not_found");
}

#[tokio::test]
async fn archived_copy_of_a_known_document() {
    let id = id_of("q=staatlozen", PROGRAMME).await;
    let response = reqwest::get(url(&format!("/api/documents/{id}/archived")))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(headers[header::CONTENT_SECURITY_POLICY], "sandbox");
    assert_eq!(
        headers[header::LINK],
        format!("<{PROGRAMME}>; rel=\"original\"").as_str()
    );
    let memento = headers["memento-datetime"].to_str().unwrap();
    assert!(memento.ends_with(" GMT") && memento.len() == 29, "{memento}");
    assert!(response.bytes().await.unwrap().starts_with(b"%PDF"));

    // An HTML page keeps its type; a passage gives its page.
    let body = search("q=accueil&source=fedasil&collapse=false").await;
    let passage = body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["url"].as_str().is_some_and(|u| u.contains('#')))
        .expect("a passage hit");
    let response = reqwest::get(url(&format!(
        "/api/documents/{}/archived",
        passage["id"].as_str().unwrap()
    )))
    .await
    .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let page = passage["url"]
        .as_str()
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        response.headers()[header::LINK],
        format!("<{page}>; rel=\"original\"").as_str()
    );
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.text().await.unwrap().to_lowercase().contains("<html"));

    let (status, missing) = get_json("/api/documents/0000000000000000/archived").await;
    assert_eq!(status, 404);
    assert_eq!(missing["error"]["code"], "not_found");
}

#[tokio::test]
async fn stats_count_the_index_and_the_last_crawls() {
    let (status, stats) = get_json("/api/stats").await;
    assert_eq!(status, 200, "{stats}");
    let documents = stats["documents"].as_u64().unwrap();
    let passages = stats["passages"].as_u64().unwrap();
    let (_, health) = get_json("/healthz").await;
    assert_eq!(documents + passages, health["documents"].as_u64().unwrap());
    let by_source: u64 = stats["by_source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["count"].as_u64().unwrap())
        .sum();
    assert_eq!(by_source, documents + passages);
    assert!(stats["size_bytes"].as_u64().unwrap() > 0);
    let crawls = stats["last_crawl"].as_object().unwrap();
    for source in ["emn-belgium", "fedasil", "immigration-office", "media4cohesion"] {
        let record = &crawls[source];
        assert!(record["requests"].as_u64().unwrap() > 0, "{source}: {record}");
        assert!(record["finished_at"].is_string(), "{source}: {record}");
    }
    for source in ["emn-belgium", "fedasil"] {
        assert!(
            crawls[source]["documents"].as_u64().unwrap() > 0,
            "{source}: {}",
            crawls[source]
        );
    }
}

/// The values a hit has for a facet, as the index counts them.
fn facet_values_of(hit: &Value, facet: &str) -> Vec<String> {
    let strings = |key: &str| -> Vec<String> {
        hit[key]
            .as_array()
            .map(|values| {
                values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    match facet {
        "theme" => [strings("themes"), strings("themes_inferred")].concat(),
        "organisation" => strings("organisations"),
        "language" => strings("language"),
        "year" => hit["year"]
            .as_i64()
            .map(|y| vec![y.to_string()])
            .unwrap_or_default(),
        "source" | "type" => hit[facet]
            .as_str()
            .map(|v| vec![v.to_owned()])
            .unwrap_or_default(),
        other => panic!("no brute force for {other}"),
    }
}

#[tokio::test]
async fn disjunctive_facet_counts_equal_a_brute_force_count_over_all_documents() {
    // Every document, each version apart: the brute force sees what the index counts.
    let (status, all) = get_json("/api/search.json?all=true&collapse=false").await;
    assert_eq!(status, 200);
    let documents = all["hits"].as_array().expect("hits").clone();
    assert_eq!(documents.len() as u64, all["total"].as_u64().unwrap());
    let facets = ["theme", "organisation", "language", "year", "source", "type"];
    let selections: [&[(&str, &str)]; 4] = [
        &[("theme", "Asylum")],
        &[("theme", "Asylum"), ("theme", "Migration"), ("year", "2021")],
        &[("source", "emn-belgium"), ("language", "fr")],
        &[("type", "event"), ("theme", "Cross-sectional"), ("year", "2024")],
    ];
    for selection in selections {
        let query: String = selection
            .iter()
            .map(|(k, v)| format!("&{k}={}", v.replace(' ', "%20").replace('&', "%26")))
            .collect();
        let body = search(&format!("collapse=false&facet_size=100{query}")).await;
        let matches = |hit: &Value, except: Option<&str>| {
            facets.iter().filter(|f| Some(**f) != except).all(|facet| {
                let wanted: Vec<&str> = selection
                    .iter()
                    .filter(|(k, _)| k == facet)
                    .map(|(_, v)| *v)
                    .collect();
                wanted.is_empty()
                    || facet_values_of(hit, facet)
                        .iter()
                        .any(|v| wanted.contains(&v.as_str()))
            })
        };
        assert_eq!(
            body["total"].as_u64().unwrap(),
            documents.iter().filter(|hit| matches(hit, None)).count() as u64,
            "total for {selection:?}"
        );
        for facet in facets {
            let mut expected: std::collections::BTreeMap<String, u64> = Default::default();
            for hit in documents.iter().filter(|hit| matches(hit, Some(facet))) {
                for value in facet_values_of(hit, facet) {
                    *expected.entry(value).or_default() += 1;
                }
            }
            for count in body["facets"][facet].as_array().expect("facet list") {
                let value = count["value"].as_str().unwrap();
                let want = expected.get(value).copied().unwrap_or(0);
                assert_eq!(
                    count["count"].as_u64().unwrap(),
                    want,
                    "{facet}={value} for {selection:?}"
                );
                let selected = selection.iter().any(|(k, v)| *k == facet && *v == value);
                assert_eq!(count["selected"], selected, "{facet}={value}");
            }
            // Every value the brute force finds is listed (facet_size=100 cuts nothing here).
            let listed: BTreeSet<&str> = body["facets"][facet]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| c["count"].as_u64() > Some(0))
                .filter_map(|c| c["value"].as_str())
                .collect();
            let found: BTreeSet<&str> = expected.keys().map(String::as_str).collect();
            assert_eq!(listed, found, "{facet} for {selection:?}");
        }
    }
}

#[tokio::test]
async fn facet_values_are_counted_in_the_search_they_come_with() {
    // The same counts as the search's own facet list, for the values the prefix keeps.
    for search_params in ["q=apatrides", "q=asile&theme=Asylum", ""] {
        let listed = search(&format!("{search_params}&facet_size=100")).await;
        let expected: Vec<(String, u64)> = listed["facets"]["organisation"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["count"].as_u64() > Some(0))
            .filter(|v| v["value"].as_str().unwrap().to_lowercase().starts_with('c'))
            .map(|v| {
                (
                    v["value"].as_str().unwrap().to_owned(),
                    v["count"].as_u64().unwrap(),
                )
            })
            .collect();
        let (status, body) = get_json(&format!(
            "/api/facets/organisation?prefix=c&limit=100&{search_params}"
        ))
        .await;
        assert_eq!(status, 200, "{body}");
        let mut found: Vec<(String, u64)> = body["values"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["value"].as_str().unwrap().to_lowercase().starts_with('c'))
            .map(|v| {
                (
                    v["value"].as_str().unwrap().to_owned(),
                    v["count"].as_u64().unwrap(),
                )
            })
            .collect();
        let mut expected = expected;
        expected.sort();
        found.sort();
        assert!(!found.is_empty(), "{search_params}: {body}");
        assert_eq!(found, expected, "{search_params}");
    }
    let (status, error) = get_json("/api/facets/organisation?prefix=c&year=abc").await;
    assert_eq!(status, 400);
    assert_eq!(error["error"]["parameter"], "year");
}
