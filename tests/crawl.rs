//! What the crawl of the mirror fetched, and what a recrawl changes.

use std::collections::HashSet;

use migrasearch::data::DataDir;
use migrasearch::{mirror, pipeline};

use crate::common::{fixture, search};

#[test]
fn robots_disallow_is_obeyed() {
    let log = fixture().mirror_log.entries();
    assert!(
        log.iter().any(|e| e == "emnbelgium.be/robots.txt"),
        "robots.txt never fetched: {log:?}"
    );
    // Articles link /keywords/<tag> pages, in scope but disallowed by robots.txt.
    assert!(
        !log.iter().any(|e| e.starts_with("emnbelgium.be/keywords/")),
        "{log:?}"
    );
    assert!(
        !log.iter()
            .any(|e| e.starts_with("emnbelgium.be/search") || e.starts_with("emnbelgium.be/user/")),
        "{log:?}"
    );
    let output = &fixture().crawl_output;
    let blocked: usize = output
        .split(" blocked by robots.txt")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no robots count in the crawl report:\n{output}"));
    assert!(blocked >= 5, "only {blocked} URLs blocked:\n{output}");
}

#[test]
fn no_url_is_fetched_twice_and_traps_are_avoided() {
    let log = fixture().mirror_log.entries();
    let mut seen = HashSet::new();
    for entry in &log {
        assert!(seen.insert(entry), "fetched twice: {entry}");
        assert!(!entry.contains("q="), "the ?q= trap was followed: {entry}");
    }
    // Out-of-scope hosts are never requested from the mirror either.
    assert!(log.iter().all(|e| !e.starts_with("ec.europa.eu")));
}

#[tokio::test]
async fn the_programme_pdf_is_indexed_with_its_parent() {
    let body = search("q=%22Talent%20Partnerships%22").await;
    let hit = body["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["url"].as_str().unwrap().ends_with(".pdf"));
    let hit = hit.expect("programme PDF not found");
    assert_eq!(
        hit["parent_url"],
        "https://emnbelgium.be/news/emn-belgium-policy-event-2024-discussing-annual-report-2023-migration-asylum-and-considering"
    );
}

#[tokio::test]
async fn escaped_html_in_the_press_release_is_stripped() {
    let body = search("q=Belga&source=media4cohesion").await;
    let hit = &body["hits"][0];
    assert_eq!(
        hit["url"],
        "https://media4cohesion.belgashare.be/fr/press-releases/14498"
    );
    assert_eq!(hit["date"], "2025-12-17");
    assert_eq!(hit["type"], "press-release");
    let (_, document) =
        crate::common::get_json(&format!("/api/documents/{}", hit["id"].as_str().unwrap())).await;
    let text = document.to_string();
    assert!(
        !text.contains("<p>") && !text.contains("&lt;p&gt;"),
        "escaped markup left in {text}"
    );
}

#[tokio::test]
async fn a_recrawl_updates_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    // A mirror of its own, so the shared one's request log stays that of one crawl.
    let log = mirror::RequestLog::default();
    let mirror_addr = mirror::spawn(log.clone()).await.unwrap();
    let config = || mirror::crawl_config(mirror_addr).unwrap();
    let first = pipeline::crawl_into(config(), &data).await.unwrap();
    assert!(first.indexed >= 25, "{} indexed", first.indexed);
    assert!(
        first.passages >= 11,
        "the programme's sessions: {}",
        first.passages
    );
    assert_eq!(first.total_documents as usize, first.indexed + first.passages);
    let requests_of_first = log.entries().len();
    // Everything due again: every page is asked for, conditionally.
    let mut again = config();
    again.recrawl_listing = std::time::Duration::ZERO;
    again.recrawl_page = std::time::Duration::ZERO;
    let second = pipeline::crawl_into(again, &data).await.unwrap();
    assert_eq!(second.indexed, 0, "nothing changed, nothing to reindex");
    assert_eq!(second.total_documents, first.total_documents);
    assert!(second.report.not_modified >= 25, "{:?}", second.report);
    assert!(log.entries().len() > requests_of_first);
    // Right after, with the default schedule only the start pages are due.
    let third = pipeline::crawl_into(config(), &data).await.unwrap();
    assert_eq!(third.indexed, 0);
    assert!(third.report.not_due >= 25, "{:?}", third.report);
    // robots.txt came from the cache, its Crawl-delay with it.
    let press = &third.report.hosts["media4cohesion.belgashare.be"];
    assert_eq!(
        press.delay,
        std::time::Duration::from_secs(1),
        "{:?}",
        third.report
    );
    assert_eq!(third.total_documents, first.total_documents);
}

/// A local copy that serves several sites on one port, told apart by the
/// `Host` header (no path prefix), is crawled with the real URLs kept.
#[tokio::test]
async fn a_mirror_dispatching_on_host_works() {
    let addr = mirror::spawn(mirror::RequestLog::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_migrasearch"))
        .args(["crawl", "--source", "fedasil", "--mirror"])
        .arg(format!("https://www.fedasil.be=http://{addr}"))
        .arg("--data")
        .arg(dir.path())
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let index = DataDir::new(dir.path()).open_index().unwrap();
    let request = migrasearch::params::SearchParams::from_pairs([("q", "réinstallation")])
        .unwrap()
        .validate()
        .unwrap();
    let results = index.search(&request).unwrap();
    let urls: Vec<&str> = results.hits.iter().map(|h| h.url.as_str()).collect();
    assert_eq!(urls, ["https://fedasil.be/fr/international/fonds-europeens"]);
}
