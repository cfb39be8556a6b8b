//! The crawler against a mirror that misbehaves on purpose: robots rules and
//! failures, slow-downs, conditional recrawls, changed and vanished pages,
//! redirect loops, endless and oversized bodies, a legacy charset, duplicate
//! content, an interrupted crawl, and a rebuild from the archive offline.
//!
//! Most tests crawl only media4cohesion from its French listing, which each
//! test replaces with a page linking the URLs it needs (listings are
//! followed, not indexed; `/fr/press-releases/<n>` pages are indexed).

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crawler::{CrawlConfig, Mirror};
use index::SearchResults;
use migrasearch::data::DataDir;
use migrasearch::mirror::mirror_specs;
use migrasearch::params::SearchParams;
use migrasearch::pipeline::{RunSummary, crawl_into, reindex};

use crate::common::faulty::{Faulty, Rule, only};

const HOST: &str = "media4cohesion.belgashare.be";
const LISTING: &str = "/fr/press-releases";
/// The release the bundled mirror has.
const MIRRORED: &str = "/fr/press-releases/14498";

/// The log's key for a path of media4cohesion.
fn key(path: &str) -> String {
    format!("{HOST}{path}")
}

fn real_url(path: &str) -> String {
    format!("https://{HOST}{path}")
}

/// media4cohesion alone, started from its French listing (the mirror has no
/// other), which links `paths`; robots.txt without the Crawl-delay, so that
/// only the timing tests wait.
fn press_site(faulty: &Faulty, paths: &[&str]) -> CrawlConfig {
    faulty.set(&key("/robots.txt"), robots("User-agent: *\nDisallow: /admin/\n"));
    let links: String = paths
        .iter()
        .map(|p| format!("<li><a href=\"{p}\">Communiqué {p}</a></li>\n"))
        .collect();
    faulty.set(
        &key(LISTING),
        Rule::Html(format!(
            "<!doctype html><html lang=\"fr\"><head><title>Communiqués de presse</title></head>\
             <body><h1>Communiqués de presse</h1><ul>\n{links}</ul></body></html>"
        )),
    );
    let mut config = only(faulty.mirror_config(), &["media4cohesion"]);
    config.sources[0].start_urls = vec![url::Url::parse(&real_url(LISTING)).unwrap()];
    config
}

fn robots(text: &str) -> Rule {
    Rule::Bytes {
        content_type: "text/plain; charset=utf-8".to_owned(),
        body: text.as_bytes().to_vec(),
    }
}

/// A French press release the extractor indexes.
fn release_page(title: &str, text: &str) -> String {
    format!(
        "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
    )
}

/// Every known page is due again at the next crawl.
fn always_due(mut config: CrawlConfig) -> CrawlConfig {
    config.recrawl_listing = Duration::ZERO;
    config.recrawl_page = Duration::ZERO;
    config
}

/// A crawl that must end: a scheduler that loops or waits forever fails
/// the test instead of hanging the suite.
async fn crawl(config: CrawlConfig, data: &DataDir) -> RunSummary {
    tokio::time::timeout(Duration::from_secs(60), crawl_into(config, data))
        .await
        .expect("the crawl did not end within 60 s")
        .expect("crawl failed")
}

fn search(data: &DataDir, query: &str) -> SearchResults {
    let request = SearchParams::from_pairs([("q", query), ("per_page", "100")])
        .unwrap()
        .validate()
        .unwrap();
    data.open_index().unwrap().search(&request).unwrap()
}

fn hit_urls(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|h| h.url.clone()).collect()
}

fn indexed(data: &DataDir, path: &str) -> bool {
    data.open_index().unwrap().contains(&real_url(path)).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn robots_disallow_and_crawl_delay_are_obeyed() {
    let faulty = Faulty::start().await;
    let blocked = "/fr/press-releases/903";
    let config = press_site(&faulty, &[MIRRORED, blocked]);
    // The site's own robots.txt (Crawl-delay: 1), plus one disallowed release.
    let own = include_str!("../mirror/site/media4cohesion.belgashare.be/robots.txt");
    faulty.set(
        &key("/robots.txt"),
        robots(&format!("{}\nDisallow: {blocked}\n", own.trim_end())),
    );
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let summary = crawl(config, &data).await;

    let mut log = faulty.requests();
    log.sort_by_key(|r| r.at);
    // robots.txt, the listing and the release: two gaps to measure at least.
    assert!(log.len() >= 3, "{log:?}");
    for pair in log.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap >= Duration::from_millis(950),
            "{} came {gap:?} after {}",
            pair[1].key,
            pair[0].key
        );
    }
    assert!(!log.iter().any(|r| r.key == key(blocked)), "{log:?}");
    assert!(summary.report.robots_blocked >= 1, "{:?}", summary.report);
    assert!(indexed(&data, MIRRORED));
}

#[tokio::test(flavor = "multi_thread")]
async fn robots_txt_server_error_skips_the_host() {
    let faulty = Faulty::start().await;
    let config = press_site(&faulty, &[MIRRORED]);
    // RFC 9309: a robots.txt that cannot be read means nothing may be fetched.
    faulty.set(&key("/robots.txt"), Rule::Status(500));
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let summary = crawl(config, &data).await;

    let keys: Vec<String> = faulty.requests().into_iter().map(|r| r.key).collect();
    assert_eq!(keys, [key("/robots.txt")]);
    assert_eq!(summary.indexed, 0);
    assert_eq!(summary.total_documents, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn too_many_requests_waits_for_retry_after_then_retries() {
    let faulty = Faulty::start().await;
    let config = press_site(&faulty, &[MIRRORED]);
    faulty.set(
        &key(MIRRORED),
        Rule::Once(Box::new(Rule::StatusWithRetryAfter(429, 2))),
    );
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let summary = crawl(config, &data).await;

    let mut log = faulty.requests();
    log.sort_by_key(|r| r.at);
    let refused = log
        .iter()
        .position(|r| r.status == 429)
        .expect("the 429 was never served");
    let next = log
        .get(refused + 1)
        .unwrap_or_else(|| panic!("nothing requested after the 429: {log:?}"));
    let waited = next.at.duration_since(log[refused].at);
    assert!(waited >= Duration::from_secs(2), "asked again after {waited:?}");
    assert_eq!(next.key, key(MIRRORED), "the refused page is not retried first");
    assert!(indexed(&data, MIRRORED), "{:?}", summary.report);
}

#[tokio::test(flavor = "multi_thread")]
async fn recrawl_of_an_unchanged_site_is_conditional() {
    let faulty = Faulty::start().await;
    let scripted = "/fr/press-releases/910";
    let config = always_due(press_site(&faulty, &[MIRRORED, scripted]));
    // One page from the mirror's files, one from a rule: both give ETags.
    faulty.set(
        &key(scripted),
        Rule::Html(release_page(
            "Fin des projets AMIF",
            "Les projets financés par le Fonds Asile, Migration et Intégration se terminent.",
        )),
    );
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let first = crawl(config.clone(), &data).await;
    assert_eq!(first.indexed, 2, "{:?}", first.report);
    // Pages that answered (the mirror's release also links /nl and /en
    // listings it does not have: their 404s are not under test here).
    let first_pages: BTreeSet<String> = pages(&faulty.requests());
    let before = faulty.requests().len();

    let second = crawl(config, &data).await;
    let recrawl = faulty.requests().split_off(before);
    // Every page we hold a copy of is revalidated (robots.txt may come from
    // the cache or not, and a 404 gave no ETag).
    for request in recrawl.iter().filter(|r| first_pages.contains(&r.key)) {
        assert!(
            request.if_none_match.is_some(),
            "{} asked without If-None-Match",
            request.key
        );
    }
    assert_eq!(pages(&recrawl), first_pages, "not every known page was due");
    let report = &second.report;
    assert_eq!(report.new + report.changed, 0, "{report:?}");
    assert!(report.not_modified + report.unchanged >= 1, "{report:?}");
    assert_eq!(second.indexed, 0);
    assert_eq!(second.total_documents, first.total_documents);
}

/// The pages (not robots.txt) a log asked for that were found (200 or 304).
fn pages(log: &[crate::common::faulty::Logged]) -> BTreeSet<String> {
    log.iter()
        .filter(|r| !r.key.ends_with("/robots.txt") && matches!(r.status, 200 | 304))
        .map(|r| r.key.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_page_is_reindexed() {
    let faulty = Faulty::start().await;
    let config = always_due(press_site(&faulty, &[MIRRORED]));
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let first = crawl(config.clone(), &data).await;
    assert_eq!(search(&data, "zorglub").total, 0);

    faulty.set(
        &key(MIRRORED),
        Rule::Html(release_page(
            "Journée internationale des migrants",
            "La Belgique clôture un cycle de projets AMIF, dont le projet zorglub sur l'accueil.",
        )),
    );
    let second = crawl(config, &data).await;
    assert_eq!(second.report.changed, 1, "{:?}", second.report);
    assert_eq!(hit_urls(&search(&data, "zorglub")), [real_url(MIRRORED)]);
    // Updated in place, not added beside the old copy.
    assert_eq!(second.total_documents, first.total_documents);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_gone_twice_is_removed() {
    let faulty = Faulty::start().await;
    let config = always_due(press_site(&faulty, &[MIRRORED]));
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    crawl(config.clone(), &data).await;
    assert!(indexed(&data, MIRRORED));

    faulty.set(&key(MIRRORED), Rule::Status(404));
    let second = crawl(config.clone(), &data).await;
    // One 404 can be a glitch.
    assert!(indexed(&data, MIRRORED), "removed after one 404");
    assert_eq!(second.removed, 0);

    let third = crawl(config, &data).await;
    let asked = faulty
        .requests()
        .iter()
        .filter(|r| r.key == key(MIRRORED))
        .count();
    assert_eq!(asked, 3, "the release was not asked for once per crawl");
    assert_eq!(third.removed, 1, "{:?}", third.report);
    assert!(!indexed(&data, MIRRORED));
    assert_eq!(third.total_documents, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_loop_ends() {
    let faulty = Faulty::start().await;
    let (a, b) = ("/fr/press-releases/901", "/fr/press-releases/902");
    let config = press_site(&faulty, &[a]);
    faulty.set(&key(a), Rule::Redirect(b.to_owned()));
    faulty.set(&key(b), Rule::Redirect(a.to_owned()));
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let summary = crawl(config, &data).await;

    let log = faulty.requests();
    let mut seen = HashSet::new();
    for request in &log {
        assert!(seen.insert(&request.key), "{} asked twice: {log:?}", request.key);
    }
    assert!(seen.contains(&key(a)) && seen.contains(&key(b)), "{log:?}");
    assert_eq!(summary.report.redirects, 2, "{:?}", summary.report);
    assert!(!indexed(&data, a) && !indexed(&data, b));
    assert_eq!(summary.total_documents, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_that_never_finishes_times_out() {
    let faulty = Faulty::start().await;
    let endless = "/fr/press-releases/905";
    let config = press_site(&faulty, &[endless, MIRRORED]);
    faulty.set(&key(endless), Rule::Hang);
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let started = Instant::now();
    let summary = crawl(config, &data).await;

    // The whole exchange is bounded by the 2 s timeout, not just the headers.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        summary.report.failed.get("timed out"),
        Some(&1),
        "{:?}",
        summary.report.failed
    );
    assert!(indexed(&data, MIRRORED));
    assert!(!indexed(&data, endless));
}

#[tokio::test(flavor = "multi_thread")]
async fn an_oversized_page_is_dropped() {
    let faulty = Faulty::start().await;
    let huge = "/fr/press-releases/906";
    let config = press_site(&faulty, &[huge, MIRRORED]);
    // No Content-Length: the limit must hold while reading, too.
    faulty.set(&key(huge), Rule::Huge(20 * 1024 * 1024));
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let summary = crawl(config, &data).await;

    let too_large: usize = summary
        .report
        .failed
        .iter()
        .filter(|(reason, _)| reason.starts_with("larger than"))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(too_large, 1, "{:?}", summary.report.failed);
    assert!(!indexed(&data, huge));
    assert!(indexed(&data, MIRRORED), "the crawl stopped at the huge page");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_windows_1252_page_is_decoded() {
    let faulty = Faulty::start().await;
    let legacy = "/fr/press-releases/907";
    let config = press_site(&faulty, &[legacy]);
    // é is 0xE9 and the curly quotes 0x93/0x94: invalid UTF-8, and the
    // quotes are where windows-1252 differs from ISO-8859-1.
    let body = b"<html lang=\"fr\"><head><title>Accueil des r\xe9fugi\xe9s</title></head><body><main>\
        <h1>Accueil des r\xe9fugi\xe9s</h1><p>La Belgique organise l'\x93accueil\x94 des r\xe9fugi\xe9s \
        et des demandeurs d'asile dans les centres f\xe9d\xe9raux.</p></main></body></html>";
    faulty.set(
        &key(legacy),
        Rule::Bytes {
            content_type: "text/html; charset=windows-1252".to_owned(),
            body: body.to_vec(),
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    crawl(config, &data).await;

    let results = search(&data, "réfugiés");
    assert_eq!(hit_urls(&results), [real_url(legacy)]);
    let stored = data
        .open_index()
        .unwrap()
        .get(&results.hits[0].id)
        .unwrap()
        .expect("stored document");
    assert!(
        stored.document.title.contains("réfugiés"),
        "{}",
        stored.document.title
    );
    let text: Vec<&str> = stored.document.blocks.iter().map(|b| b.text.as_str()).collect();
    let text = text.join("\n");
    assert!(text.contains("\u{201c}accueil\u{201d} des réfugiés"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_page_under_two_urls_is_indexed_once() {
    let faulty = Faulty::start().await;
    let (one, other) = ("/fr/press-releases/908", "/fr/press-releases/909");
    let config = press_site(&faulty, &[one, other]);
    let html = release_page(
        "Deux adresses, un communiqué",
        "Le même communiqué sur les projets AMIF est publié à deux adresses.",
    );
    faulty.set(&key(one), Rule::Html(html.clone()));
    faulty.set(&key(other), Rule::Html(html));
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let summary = crawl(config, &data).await;

    assert_eq!(summary.total_documents, 1, "{:?}", summary.report);
    assert_eq!(summary.report.duplicates, 1, "{:?}", summary.report);
    assert!(indexed(&data, one) != indexed(&data, other));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_crawl_resumes_to_the_same_index() {
    let faulty = Faulty::start().await;
    let mirror = format!("https://emnbelgium.be=http://{}/emnbelgium.be", faulty.addr);
    let binary_crawl = |dir: &Path| {
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_migrasearch"));
        command
            .args(["crawl", "--source", "emn-belgium", "--mirror", &mirror, "--data"])
            .arg(dir)
            .env("RUST_LOG", "warn")
            .kill_on_drop(true);
        command
    };
    let interrupted = tempfile::tempdir().unwrap();
    // 150 ms between requests makes the crawl last a few seconds.
    let mut child = binary_crawl(interrupted.path())
        .args(["--delay", "150ms"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        child.try_wait().unwrap().is_none(),
        "the crawl ended before it could be killed"
    );
    child.start_kill().unwrap();
    assert!(!child.wait().await.unwrap().success());
    let asked = faulty.requests().len();
    assert!(asked >= 3, "killed before it got going: {asked} requests");

    // Run again to the end, at full speed.
    let output = binary_crawl(interrupted.path()).output().await.unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let resume = faulty.requests().split_off(asked);
    let whole = tempfile::tempdir().unwrap();
    let output = binary_crawl(whole.path()).output().await.unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let resumed = all_documents(&DataDir::new(interrupted.path()));
    let uninterrupted = all_documents(&DataDir::new(whole.path()));
    assert!(uninterrupted.len() >= 10, "{uninterrupted:?}");
    let missing: Vec<_> = uninterrupted.difference(&resumed).collect();
    let extra: Vec<_> = resumed.difference(&uninterrupted).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "after the resume, missing {missing:?}, extra {extra:?}; \
         the resume asked for {:?}",
        resume.iter().map(|r| (&r.key, r.status)).collect::<Vec<_>>()
    );
}

/// `(url, title)` of every document, from an empty query.
fn all_documents(data: &DataDir) -> BTreeSet<(String, String)> {
    let results = search(data, "");
    assert_eq!(results.total, results.hits.len(), "more than one page of results");
    results
        .hits
        .iter()
        .map(|h| (h.url.clone(), h.title.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn reindex_needs_no_network_and_gives_the_same_results() {
    let faulty = Faulty::start().await;
    // media4cohesion's Crawl-delay is not under test here.
    faulty.set(&key("/robots.txt"), robots("User-agent: *\nDisallow: /admin/\n"));
    let config = only(
        faulty.mirror_config(),
        &["emn-belgium", "fedasil", "media4cohesion"],
    );
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let summary = crawl(config.clone(), &data).await;

    let queries = ["apatrides", "staatlozen", ""];
    let results = |data: &DataDir| -> Vec<(usize, Vec<String>)> {
        queries
            .iter()
            .map(|q| {
                let found = search(data, q);
                (found.total, hit_urls(&found))
            })
            .collect()
    };
    let before = results(&data);
    assert!(before[0].0 >= 1 && before[1].0 >= 1, "{before:?}");
    assert!(
        before[2].1.iter().any(|u| u.ends_with(".pdf")),
        "no PDF: {before:?}"
    );
    assert_eq!(before[2].0, before[2].1.len(), "more than one page of results");

    // Mirrors on a port nobody listens on: any request would fail.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let offline = CrawlConfig {
        mirrors: mirror_specs(closed)
            .iter()
            .map(|spec| Mirror::parse(spec).unwrap())
            .collect(),
        ..config
    };
    let asked = faulty.requests().len();
    let rebuilt = reindex(&offline, &data).unwrap();
    assert_eq!(faulty.requests().len(), asked);
    assert_eq!(rebuilt as u64, summary.total_documents);
    assert_eq!(results(&data), before);
}

/// A gzip-compressed sitemap listed by a sitemap index that robots.txt names.
fn sitemaps(faulty: &Faulty, lastmod: &str) {
    use std::io::Write;
    let index = format!(
        "<?xml version=\"1.0\"?><sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
         <sitemap><loc>https://{HOST}/sitemap-releases.xml.gz</loc></sitemap></sitemapindex>"
    );
    let urlset = format!(
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\
         <url><loc>https://{HOST}/fr/press-releases/950</loc><lastmod>{lastmod}</lastmod></url></urlset>"
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(urlset.as_bytes()).unwrap();
    let body = gz.finish().unwrap();
    faulty.set(
        &key("/sitemap.xml"),
        Rule::Bytes {
            content_type: "application/xml".into(),
            body: index.into_bytes(),
        },
    );
    faulty.set(
        &key("/sitemap-releases.xml.gz"),
        Rule::Bytes {
            content_type: "application/gzip".into(),
            body,
        },
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sitemaps_find_unlinked_pages_and_lastmod_skips_unchanged_ones() {
    let faulty = Faulty::start().await;
    // The listing links nothing: the release is only in the sitemap.
    let config = press_site(&faulty, &[]);
    faulty.set(
        &key("/robots.txt"),
        robots(&format!(
            "User-agent: *\nDisallow: /admin/\nSitemap: https://{HOST}/sitemap.xml\n"
        )),
    );
    sitemaps(&faulty, "2020-01-01");
    faulty.set(
        &key("/fr/press-releases/950"),
        Rule::Html(release_page(
            "Réinstallation",
            "Un projet AMIF de réinstallation pris en charge par Fedasil.",
        )),
    );
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    let first = crawl(config.clone(), &data).await;
    assert!(indexed(&data, "/fr/press-releases/950"), "{:?}", first.report);
    let asked = |log: &[crate::common::faulty::Logged]| {
        log.iter()
            .filter(|r| r.key == key("/fr/press-releases/950"))
            .count()
    };
    assert_eq!(asked(&faulty.requests()), 1);

    // lastmod older than our visit, page not due: not asked again.
    crawl(config.clone(), &data).await;
    assert_eq!(asked(&faulty.requests()), 1);

    // lastmod after our visit: asked again at once.
    let later = (chrono::Utc::now() + chrono::Duration::hours(1))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    sitemaps(&faulty, &later);
    crawl(config, &data).await;
    assert_eq!(asked(&faulty.requests()), 2);
}

/// A release in French and Dutch whose pages name each other with
/// `hreflang`, as the real sites' language switchers do.
fn translated_release(lang: &str, other_lang: &str, other: &str, title: &str, text: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <link rel=\"alternate\" hreflang=\"{other_lang}\" href=\"{other}\"></head>\
         <body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_linked_by_hreflang_are_one_hit_with_both_versions() {
    let faulty = Faulty::start().await;
    let (french, dutch) = ("/fr/press-releases/920", "/nl/press-releases/920");
    let config = press_site(&faulty, &[french, dutch]);
    faulty.set(
        &key(french),
        Rule::Html(translated_release(
            "fr",
            "nl",
            dutch,
            "Un centre d'accueil ouvre à Namur",
            "Le nouveau centre d'accueil de Namur ouvre ses portes aux demandeurs d'asile \
             et offre trois cents places supplémentaires au réseau.",
        )),
    );
    faulty.set(
        &key(dutch),
        Rule::Html(translated_release(
            "nl",
            "fr",
            french,
            "Opvangcentrum opent in Namen",
            "Het nieuwe opvangcentrum van Namen opent zijn deuren voor asielzoekers \
             en biedt driehonderd extra plaatsen in het netwerk.",
        )),
    );
    let dir = tempfile::tempdir().unwrap();
    let data = DataDir::new(dir.path());
    crawl(config, &data).await;
    let run = |pairs: &[(&str, &str)]| {
        let request = SearchParams::from_pairs(pairs.iter().copied())
            .unwrap()
            .validate()
            .unwrap();
        data.open_index().unwrap().search(&request).unwrap()
    };
    let collapsed = run(&[("q", "Namur OR Namen")]);
    assert_eq!(hit_urls(&collapsed).len(), 1, "{:?}", hit_urls(&collapsed));
    let versions: Vec<(Option<&str>, &str)> = collapsed.hits[0]
        .versions
        .iter()
        .map(|v| (v.language.as_deref(), v.url.as_str()))
        .collect();
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert!(versions.contains(&(Some("fr"), real_url(french).as_str())));
    assert!(versions.contains(&(Some("nl"), real_url(dutch).as_str())));
    assert_eq!(collapsed.total, 1);

    let dutch_first = run(&[("q", "Namur OR Namen"), ("lang", "nl")]);
    assert_eq!(hit_urls(&dutch_first), [real_url(dutch)]);
    assert_eq!(dutch_first.hits[0].versions[0].url, real_url(dutch));

    let apart = run(&[("q", "Namur OR Namen"), ("collapse", "false")]);
    assert_eq!(apart.total, 2, "{:?}", hit_urls(&apart));
}
