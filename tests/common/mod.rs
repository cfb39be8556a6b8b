//! The shared fixture: one crawl of the bundled mirror by the `migrasearch`
//! binary, and one server over the resulting index, started once for all
//! tests on a runtime thread of their own.

pub mod faulty;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use migrasearch::{AppState, app, mirror};
use serde_json::Value;

pub struct Fixture {
    /// The data directory the binary crawled into.
    pub data: PathBuf,
    /// Base URL of the search server, `http://127.0.0.1:PORT`.
    pub base: String,
    /// What the mirror served during the crawl.
    pub mirror_log: mirror::RequestLog,
    /// What the crawl printed on stderr (its report).
    pub crawl_output: String,
    _dir: tempfile::TempDir,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

pub fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_migrasearch"))
}

/// `--mirror` arguments for every host of the bundled mirror at `addr`.
pub fn mirror_args(addr: SocketAddr) -> Vec<String> {
    mirror::mirror_specs(addr)
        .into_iter()
        .flat_map(|spec| ["--mirror".to_owned(), spec])
        .collect()
}

pub fn fixture() -> &'static Fixture {
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let data = dir.path().join("data");
        let log = mirror::RequestLog::default();
        let (sender, receiver) = std::sync::mpsc::channel();
        let thread_log = log.clone();
        let thread_data = data.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            runtime.block_on(async move {
                let mirror_addr = mirror::spawn(thread_log).await.expect("mirror");
                let output = binary()
                    .arg("crawl")
                    .arg("--data")
                    .arg(&thread_data)
                    .args(mirror_args(mirror_addr))
                    .env("RUST_LOG", "warn")
                    .output()
                    .expect("running migrasearch crawl");
                let crawl_output = String::from_utf8_lossy(&output.stderr).into_owned();
                assert!(output.status.success(), "crawl failed:\n{crawl_output}");
                let index = migrasearch::data::DataDir::new(&thread_data)
                    .open_index()
                    .expect("index");
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
                let addr = listener.local_addr().expect("addr");
                sender.send((addr, crawl_output)).expect("send");
                axum::serve(
                    listener,
                    app(AppState::new(index).with_data(migrasearch::data::DataDir::new(&thread_data))),
                )
                .await
                .expect("serve");
            });
        });
        let (addr, crawl_output) = receiver.recv().expect("fixture thread failed");
        Fixture {
            data,
            base: format!("http://{addr}"),
            mirror_log: log,
            crawl_output,
            _dir: dir,
        }
    })
}

/// GETs a path of the fixture's server: status and JSON body.
pub async fn get_json(path_and_query: &str) -> (u16, Value) {
    let url = format!("{}{}", fixture().base, path_and_query);
    let response = reqwest::get(&url)
        .await
        .unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let status = response.status().as_u16();
    let body = response
        .json::<Value>()
        .await
        .unwrap_or_else(|e| panic!("GET {url}: not JSON: {e}"));
    (status, body)
}

/// The hits of a search, as JSON values.
pub async fn search(query: &str) -> Value {
    let (status, body) = get_json(&format!("/api/search?{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

pub fn hit_urls(body: &Value) -> Vec<String> {
    body["hits"].as_array().map_or_else(Vec::new, |hits| {
        hits.iter()
            .filter_map(|h| h["url"].as_str().map(str::to_owned))
            .collect()
    })
}

pub fn data_dir() -> &'static Path {
    &fixture().data
}
