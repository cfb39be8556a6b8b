//! The search page in a real browser: Debian's Chromium, driven through
//! chromedriver (WebDriver), against the fixture's server. Each test opens one
//! browser session and waits by polling the page, never by sleeping blindly.
//!
//! Without `/usr/bin/chromedriver` and `/usr/bin/chromium` these tests fail
//! (`apt-get install chromium chromium-driver`; `.ci/run` does it).

use std::collections::BTreeMap;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::common::{fixture, search};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// How long the page may take to answer an action.
const PATIENCE: Duration = Duration::from_secs(15);

/// chromedriver and the browsers it starts, in a process group of their own
/// so that a failing test leaves no browser behind.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Browser {
    client: Client,
    _driver: Driver,
}

impl Browser {
    async fn open() -> Browser {
        for (path, package) in [(CHROMEDRIVER, "chromium-driver"), (CHROMIUM, "chromium")] {
            assert!(
                Path::new(path).exists(),
                "{path} is missing: the browser tests need Debian's `{package}` \
                 (apt-get install -y chromium chromium-driver, as .ci/run does)"
            );
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .env("LANGUAGE", "en")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {CHROMEDRIVER}: {e}"));
        let driver = Driver(child);
        let webdriver = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + PATIENCE;
        while reqwest::get(format!("{webdriver}/status")).await.is_err() {
            assert!(
                Instant::now() < deadline,
                "{CHROMEDRIVER} did not start listening on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900", "--lang=en-US"],
            }),
        );
        // chromedriver speaks plain HTTP on localhost: no TLS connector needed.
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&webdriver)
            .await
            .unwrap_or_else(|e| panic!("starting {CHROMIUM} through {CHROMEDRIVER}: {e}"));
        Browser {
            client,
            _driver: driver,
        }
    }

    /// Opens a page of the fixture's server and waits until it has rendered.
    async fn visit(&self, path_and_query: &str) {
        let url = format!("{}{}", fixture().base, path_and_query);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|e| panic!("goto {url}: {e}"));
        self.wait_until("true", "the page to load").await;
    }

    async fn js(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script `{script}`: {e}"))
    }

    /// Polls until `condition` (a JavaScript expression) holds and the page
    /// shows the URL in its address bar (the page marks what it rendered).
    async fn wait_until(&self, condition: &str, what: &str) {
        let script = format!(
            "return Boolean({condition}) && document.getElementById('results').dataset.rendered === location.search"
        );
        let deadline = Instant::now() + PATIENCE;
        while self.js(&script).await != json!(true) {
            if Instant::now() > deadline {
                let state = self
                    .js("return [location.href, document.getElementById('status').textContent]")
                    .await;
                panic!("timed out waiting for {what} ({condition}); page: {state}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no `{css}` on the page: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking `{css}`: {e}"));
    }

    async fn strings(&self, script: &str) -> Vec<String> {
        serde_json::from_value(self.js(script).await).unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    async fn hit_titles(&self) -> Vec<String> {
        self.strings("return [...document.querySelectorAll('.hit a.title')].map(a => a.textContent)")
            .await
    }

    async fn checked(&self) -> Vec<String> {
        self.strings("return [...document.querySelectorAll('input[data-facet]:checked')].map(i => i.dataset.facet + '=' + i.value)")
            .await
    }

    /// A facet panel as the page shows it: value → count.
    async fn panel(&self, facet: &str) -> BTreeMap<String, u64> {
        let script = format!(
            "return Object.fromEntries([...document.querySelectorAll('input[data-facet=\"{facet}\"]')]\
             .map(i => [i.value, Number(i.closest('label').querySelector('.count').textContent)]))"
        );
        serde_json::from_value(self.js(&script).await).expect("panel")
    }

    async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
            PathBuf::from,
        );
        let dir = target.join("screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(name);
        std::fs::write(&path, png).expect("writing the screenshot");
        path
    }

    async fn close(self) {
        self.client.close().await.expect("closing the browser");
    }
}

fn hit_titles(body: &Value) -> Vec<String> {
    body["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            h["title"]
                .as_str()
                .or(h["url"].as_str())
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

fn facet(body: &Value, name: &str) -> BTreeMap<String, u64> {
    body["facets"][name]
        .as_array()
        .map(|values| {
            values
                .iter()
                .map(|f| {
                    (
                        f["value"].as_str().unwrap_or_default().to_owned(),
                        f["count"].as_u64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn css_string(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

#[tokio::test]
async fn typing_searches_facets_filter_and_the_permalink_restores_the_page() {
    let browser = Browser::open().await;
    browser.visit("/").await;

    // Results as one types: no button press.
    let input = browser.client.find(Locator::Css("#q")).await.expect("search box");
    input.send_keys("asile").await.expect("typing");
    browser
        .wait_until(
            "new URLSearchParams(location.search).get('q') === 'asile'",
            "the typed query",
        )
        .await;
    let api = search("q=asile").await;
    let total = api["total"].as_u64().expect("total");
    assert!(total > 1, "the fixture should have several hits for asile: {api}");
    assert_eq!(browser.hit_titles().await, hit_titles(&api));
    let status = browser
        .js("return document.getElementById('status').textContent")
        .await;
    assert!(
        status.as_str().unwrap().contains(&format!("{total} results")),
        "{status}"
    );

    // Tick a theme that narrows the search.
    let themes = facet(&api, "theme");
    let (theme, _) = themes
        .iter()
        .find(|(_, count)| **count > 0 && **count < total)
        .unwrap_or_else(|| panic!("no theme narrows `asile`: {themes:?}"));
    browser
        .click(&format!(
            "input[data-facet=\"theme\"][value=\"{}\"]",
            css_string(theme)
        ))
        .await;
    browser
        .wait_until(
            &format!(
                "new URLSearchParams(location.search).get('theme') === {}",
                json!(theme)
            ),
            "the theme filter",
        )
        .await;
    let filtered = search(&format!("q=asile&theme={}", percent(theme))).await;
    assert!(filtered["total"].as_u64().unwrap() < total);
    assert_eq!(browser.hit_titles().await, hit_titles(&filtered));
    assert_eq!(browser.checked().await, vec![format!("theme={theme}")]);
    // The theme panel shows what the API counts for this search: with
    // disjunctive facets, the other themes keep their counts as if no theme
    // were ticked.
    let panel = browser.panel("theme").await;
    let expected = facet(&filtered, "theme");
    for (value, count) in &expected {
        assert_eq!(
            panel.get(value),
            Some(count),
            "theme `{value}`: page {panel:?}, API {expected:?}"
        );
    }
    let disjunctive = filtered["facets"]["theme"][0].get("selected").is_some();
    if disjunctive {
        assert!(
            panel.iter().any(|(value, count)| value != theme && *count > 0),
            "other themes keep their counts: {panel:?}"
        );
    }

    // The permalink gives the same page.
    let permalink = browser.client.current_url().await.expect("url").to_string();
    let titles = browser.hit_titles().await;
    browser.client.goto(&permalink).await.expect("reload");
    browser
        .wait_until("document.querySelector('.hit')", "the permalink")
        .await;
    assert_eq!(browser.hit_titles().await, titles);
    assert_eq!(browser.checked().await, vec![format!("theme={theme}")]);
    assert_eq!(
        browser.js("return document.getElementById('q').value").await,
        json!("asile")
    );

    // Back goes to the search before the theme.
    browser.client.back().await.expect("back");
    browser
        .wait_until(
            "!new URLSearchParams(location.search).has('theme')",
            "the page before the theme",
        )
        .await;
    assert_eq!(browser.hit_titles().await, hit_titles(&api));

    // "Similar" lists the API's similar documents under the card.
    let id = api["hits"][0]["id"].as_str().expect("id");
    let (status, similar) = crate::common::get_json(&format!("/api/documents/{id}/similar")).await;
    assert_eq!(status, 200, "{similar}");
    browser.click(".hit [data-similar]").await;
    browser
        .wait_until("document.querySelector('.hit .similar:not(:empty)') && !document.querySelector('.hit .similar').textContent.endsWith('…')", "the similar documents")
        .await;
    let shown = browser
        .strings("return [...document.querySelectorAll('.hit .similar a')].map(a => a.textContent)")
        .await;
    assert_eq!(shown, hit_titles(&similar));
    browser.close().await;
}

#[tokio::test]
async fn year_bars_filter_by_a_year_and_a_dragged_range() {
    let browser = Browser::open().await;
    browser.visit("/").await;
    let api = search("").await;
    let total = api["total"].as_u64().unwrap();
    let years = facet(&api, "year");
    let bars = browser
        .strings("return [...document.querySelectorAll('.bar')].map(b => b.dataset.year)")
        .await;
    assert!(
        bars.len() >= years.len(),
        "one bar per year: {bars:?} for {years:?}"
    );
    let (year, count) = years
        .iter()
        .find(|(_, count)| **count > 0 && **count < total)
        .expect("a year with some documents");

    browser.click(&format!(".bar[data-year=\"{year}\"]")).await;
    browser
        .wait_until(
            &format!("new URLSearchParams(location.search).get('year') === '{year}'"),
            "the year filter",
        )
        .await;
    let pressed = browser
        .js(&format!(
            "return document.querySelector('.bar[data-year=\"{year}\"]').getAttribute('aria-pressed')"
        ))
        .await;
    assert_eq!(pressed, json!("true"));
    let filtered = search(&format!("year={year}")).await;
    assert_eq!(filtered["total"].as_u64(), Some(*count));
    assert_eq!(browser.hit_titles().await, hit_titles(&filtered));
    let chips = browser
        .strings("return [...document.querySelectorAll('#active [data-remove]')].map(b => b.textContent)")
        .await;
    assert_eq!(chips.len(), 1, "{chips:?}");

    // Dragging from the first bar to the last sets a date range instead.
    let (first, last) = (bars.first().unwrap(), bars.last().unwrap());
    let from = browser
        .client
        .find(Locator::Css(&format!(".bar[data-year=\"{first}\"]")))
        .await
        .unwrap();
    let to = browser
        .client
        .find(Locator::Css(&format!(".bar[data-year=\"{last}\"]")))
        .await
        .unwrap();
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: from,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        })
        .then(PointerAction::MoveToElement {
            element: to,
            duration: Some(Duration::from_millis(100)),
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Up {
            button: MOUSE_BUTTON_LEFT,
        });
    browser.client.perform_actions(drag).await.expect("drag");
    browser
        .wait_until(
            &format!(
                "location.search.includes('from={first}-01-01') && location.search.includes('to={last}-12-31') \
                 && !location.search.includes('year=')"
            ),
            "the dragged range",
        )
        .await;
    assert_eq!(
        browser.js("return document.getElementById('from').value").await,
        json!(format!("{first}-01-01"))
    );
    browser.close().await;
}

#[tokio::test]
async fn interface_switches_to_dutch_and_keeps_ui_out_of_the_api() {
    let browser = Browser::open().await;
    browser.visit("/?q=statelessness").await;
    assert_eq!(
        browser.js("return document.documentElement.lang").await,
        json!("en")
    );
    let path = browser.screenshot("search-page.png").await;
    assert!(
        std::fs::metadata(&path).expect("screenshot").len() > 10_000,
        "{}",
        path.display()
    );

    browser.click("button[data-ui=\"nl\"]").await;
    browser
        .wait_until(
            "new URLSearchParams(location.search).get('ui') === 'nl'",
            "the Dutch interface",
        )
        .await;
    let labels = browser
        .strings("return [document.documentElement.lang, document.querySelector('legend').textContent, document.querySelector('[data-t=sort]').textContent, document.getElementById('status').textContent]")
        .await;
    assert_eq!(labels[0], "nl");
    assert_eq!(labels[1], "Thema");
    assert_eq!(labels[2], "Sorteren");
    assert!(
        labels[3].contains("resulta"),
        "a Dutch count, not an API error: {labels:?}"
    );
    assert_eq!(
        browser.hit_titles().await,
        hit_titles(&search("q=statelessness").await)
    );
    let csv = browser
        .js("return document.getElementById('csv').getAttribute('href')")
        .await;
    assert_eq!(csv, json!("/api/search.csv?q=statelessness"));
    browser.screenshot("search-page-nl.png").await;

    // The organisation panel finds values by prefix.
    let find = browser
        .client
        .find(Locator::Css("input[data-find=organisation]"))
        .await
        .expect("find box");
    find.send_keys("cg").await.expect("typing");
    browser
        .wait_until(
            "(() => { const v = [...document.querySelectorAll('input[data-facet=organisation]')].map(i => i.value); \
             return v.length > 0 && v.every(x => x.toLowerCase().startsWith('cg')); })()",
            "organisations starting with cg",
        )
        .await;
    browser.close().await;
}

/// The assets are served with their types and a version that busts caches.
#[tokio::test]
async fn a_cut_facet_list_offers_more_values() {
    let api = search("").await;
    let organisations = api["facets"]["organisation"].as_array().unwrap().len();
    let all = search("facet_size=50").await;
    let every = facet(&all, "organisation");
    assert!(
        every.len() > organisations,
        "the demo has more than {organisations} organisations"
    );

    let browser = Browser::open().await;
    browser.visit("/").await;
    assert_eq!(browser.panel("organisation").await.len(), organisations);
    browser
        .click("fieldset[data-name=\"organisation\"] button.more")
        .await;
    browser
        .wait_until(
            "new URLSearchParams(location.search).get('facet_size') === '50'",
            "the longer lists",
        )
        .await;
    browser
        .wait_until(
            &format!(
                "document.querySelectorAll('input[data-facet=\"organisation\"]').length === {}",
                every.len()
            ),
            "every organisation listed",
        )
        .await;
    assert_eq!(browser.panel("organisation").await, every);
    browser
        .click("fieldset[data-name=\"organisation\"] button.more")
        .await;
    browser
        .wait_until(
            "!new URLSearchParams(location.search).has('facet_size')",
            "the short lists again",
        )
        .await;
    browser.close().await;
}

#[tokio::test]
async fn assets_are_embedded_typed_and_versioned() {
    let page = reqwest::get(format!("{}/", fixture().base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let version = format!("{:016x}", migrasearch::web::ASSETS_VERSION);
    for (asset, content_type) in [("app.js", "text/javascript"), ("app.css", "text/css")] {
        let path = format!("/assets/{asset}?v={version}");
        assert!(page.contains(&path), "the page links {path}");
        let response = reqwest::get(format!("{}{path}", fixture().base)).await.unwrap();
        let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
        assert!(header("content-type").starts_with(content_type));
        assert!(header("cache-control").contains("immutable"));
        let etag = header("etag");
        let again = reqwest::Client::new()
            .get(format!("{}/assets/{asset}", fixture().base))
            .header("if-none-match", etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status().as_u16(), 304);
    }
}

fn percent(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
