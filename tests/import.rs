//! `migrasearch import`: JSON Lines into a real index on disk, read back
//! through the index, the command line and a running server.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::binary;

const FRENCH: &str = "Le Commissariat général aux réfugiés et aux apatrides publie son rapport \
                      annuel sur la protection internationale des demandeurs d'asile en Belgique.";
const DUTCH: &str = "Het Commissariaat-generaal voor de Vluchtelingen en de Staatlozen publiceert \
                     zijn jaarverslag over de internationale bescherming van asielzoekers.";

/// A line with every field given.
fn full_line(n: usize) -> Value {
    json!({
        "url": format!("https://emnbelgium.be/news/report-{n}"),
        "title": format!("Rapport annuel {n}"),
        "body": format!("{FRENCH}\n\nDeuxième paragraphe {n} sur l'accueil des demandeurs d'asile."),
        "language": "fr",
        "date": "2024-04-18",
        "themes": ["Asylum"],
        "organisations": ["CGRS"],
        "keywords": ["rapport annuel"],
        "source": "emn-belgium",
        "type": "news",
    })
}

fn jsonl(lines: &[Value]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

fn write_file(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn import(data: &Path, args: &[&Path]) -> Output {
    binary()
        .arg("import")
        .arg("--data")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_success(output: &Output) {
    assert!(output.status.success(), "import failed: {}", stderr(output));
}

fn open(data: &Path) -> index::SearchIndex {
    migrasearch::data::DataDir::new(data).open_index().unwrap()
}

fn count(data: &Path) -> u64 {
    open(data).num_docs()
}

fn stored(data: &Path, url: &str) -> Option<Value> {
    let document = open(data).get(&index::document_id(url)).unwrap()?;
    Some(serde_json::to_value(document).unwrap())
}

#[tokio::test]
async fn every_field_given_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let blocks_form = json!({
        "url": "http://www.fedasil.be/nl/jaarverslag?utm_source=feed",
        "title": "Jaarverslag",
        "blocks": [{"text": DUTCH, "language": "nl"}, {"text": FRENCH}],
        "date": "2023-12-01",
        "source": "fedasil",
        "type": "publication",
        "id": "theirs", "year": 2023,
    });
    let file = write_file(dir.path(), "corpus.jsonl", &jsonl(&[full_line(1), blocks_form]));
    let output = import(&data, &[&file]);
    assert_success(&output);
    assert!(
        stderr(&output).contains("imported 2 documents (0 skipped) from"),
        "{}",
        stderr(&output)
    );
    assert_eq!(count(&data), 2);

    // Over HTTP, from a server on the same directory.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = migrasearch::app(migrasearch::AppState::new(open(&data)));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let url = "https://emnbelgium.be/news/report-1";
    let response = reqwest::get(format!("http://{addr}/api/documents/{}", index::document_id(url)))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let document: Value = response.json().await.unwrap();
    assert_eq!(document["url"], url);
    assert_eq!(document["title"], "Rapport annuel 1");
    let texts: Vec<&str> = document["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|block| block["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            FRENCH,
            "Deuxième paragraphe 1 sur l'accueil des demandeurs d'asile."
        ]
    );
    assert_eq!(document["blocks"][1]["lang"], "fr");
    assert_eq!(document["languages"], json!(["fr"]));
    assert_eq!(document["date"], "2024-04-18");
    assert_eq!(document["themes"], json!(["Asylum"]));
    assert_eq!(document["themes_inferred"], json!([]));
    assert_eq!(document["organisations"], json!(["CGRS"]));
    assert_eq!(document["keywords"], json!(["rapport annuel"]));
    assert_eq!(document["source"], "emn-belgium");
    assert_eq!(document["type"], "news");

    // The blocks form: the URL canonicalised as a crawl does, the given
    // language kept, the missing one detected, organisations matched and
    // themes inferred from the text.
    let canonical = "https://fedasil.be/nl/jaarverslag";
    let document = stored(&data, canonical).expect("stored under the canonical URL");
    assert_eq!(document["blocks"][0]["lang"], "nl");
    assert_eq!(document["blocks"][1]["lang"], "fr");
    assert_eq!(document["blocks"][1]["text"], FRENCH);
    assert_eq!(document["organisations"], json!(["CGRS"]));
    assert_eq!(document["date"], "2023-12-01");
    assert_eq!(
        (&document["source"], &document["type"]),
        (&json!("fedasil"), &json!("publication"))
    );
    assert!(document["themes"].as_array().unwrap().is_empty());
    assert!(
        !document["themes_inferred"].as_array().unwrap().is_empty(),
        "{document}"
    );

    // And through the command line's search.
    let output = binary()
        .args(["search", "jaarverslag", "--json", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    let body: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(body["hits"][0]["url"], canonical, "{body}");
    assert_eq!(body["hits"][0]["organisations"], json!(["CGRS"]));
}

#[test]
fn a_bad_line_names_file_line_and_field_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let good = write_file(dir.path(), "good.jsonl", &jsonl(&[full_line(1), full_line(2)]));
    assert_success(&import(&data, &[&good]));
    let before = count(&data);
    assert_eq!(before, 2);

    let with = |key: &str, value: Value| {
        let mut line = full_line(9);
        line[key] = value;
        line.to_string()
    };
    let mut missing_url = full_line(9);
    missing_url.as_object_mut().unwrap().remove("url");
    let cases = [
        (
            with("title", json!(7)),
            "title: expected a string, found a number",
        ),
        (
            with("date", json!("2024-13-01")),
            r#"date: "2024-13-01" is not a date (YYYY-MM-DD)"#,
        ),
        (
            with("source", json!("emn-belgum")),
            r#"source: "emn-belgum" is not a configured source"#,
        ),
        ("{\"url\": \"https://emnbelgium.be/x\",".to_owned(), "not JSON"),
        (missing_url.to_string(), "url: missing"),
        (with("titel", json!("x")), "titel: unknown key"),
    ];
    for (bad, expected) in cases {
        // A valid new document first: it must not be committed either.
        let content = format!("{}\n{bad}\n{}\n", full_line(8), full_line(10));
        let file = write_file(dir.path(), "bad.jsonl", &content);
        let output = import(&data, &[&file]);
        assert!(!output.status.success(), "{bad} was accepted");
        let message = stderr(&output);
        assert!(
            message.contains(&format!("bad.jsonl:2: {expected}")),
            "{bad}: {message}"
        );
        assert_eq!(count(&data), before, "{bad}");
        assert!(stored(&data, "https://emnbelgium.be/news/report-8").is_none());
    }
}

#[test]
fn skip_invalid_imports_the_rest_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut wrong_type = full_line(3);
    wrong_type["type"] = json!("blog");
    let content = format!(
        "{}\n{wrong_type}\n\nnot json\n{}\n{}\n",
        full_line(1),
        full_line(2),
        full_line(4)
    );
    let file = write_file(dir.path(), "mixed.jsonl", &content);
    let output = binary()
        .arg("import")
        .arg("--skip-invalid")
        .arg("--data")
        .arg(&data)
        .arg(&file)
        .output()
        .unwrap();
    assert_success(&output);
    let message = stderr(&output);
    assert!(message.contains("imported 3 documents (2 skipped)"), "{message}");
    assert!(message.contains("skipped 2 invalid lines"), "{message}");
    assert!(
        message.contains(r#"mixed.jsonl:2: type: "blog" is not a type"#),
        "{message}"
    );
    // The blank line 3 is no document, and no error either.
    assert!(message.contains("mixed.jsonl:4: not JSON"), "{message}");
    assert_eq!(count(&data), 3);
}

#[test]
fn importing_twice_leaves_the_same_index() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let lines: Vec<Value> = (1..=40).map(full_line).collect();
    let file = write_file(dir.path(), "corpus.jsonl", &jsonl(&lines));
    assert_success(&import(&data, &[&file]));
    let first = stored(&data, "https://emnbelgium.be/news/report-7");
    assert_success(&import(&data, &[&file]));
    assert_eq!(count(&data), 40);
    assert_eq!(stored(&data, "https://emnbelgium.be/news/report-7"), first);
    assert!(first.is_some());
}

#[test]
fn gzip_and_standard_input_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let gzip = |lines: &[Value]| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(jsonl(lines).as_bytes()).unwrap();
        encoder.finish().unwrap()
    };
    let named = dir.path().join("corpus.jsonl.gz");
    std::fs::write(&named, gzip(&[full_line(1), full_line(2)])).unwrap();
    // Gzip without the extension is recognised by its magic bytes.
    let unnamed = dir.path().join("more.jsonl");
    std::fs::write(&unnamed, gzip(&[full_line(3)])).unwrap();
    assert_success(&import(&data, &[&named, &unnamed]));
    assert_eq!(count(&data), 3);

    let mut child = binary()
        .args(["import", "-", "--data"])
        .arg(&data)
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(jsonl(&[full_line(4), full_line(5)]).as_bytes())
        .unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert_success(&output);
    assert!(
        stderr(&output).contains("imported 2 documents (0 skipped) from -"),
        "{}",
        stderr(&output)
    );
    assert_eq!(count(&data), 5);
}

/// A `migrasearch serve` child, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data: &Path) -> Server {
    let mut child = binary()
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first
        .split_whitespace()
        .find(|word| word.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    Server { child, base }
}

async fn healthz_documents(base: &str) -> u64 {
    let body: Value = reqwest::get(format!("{base}/healthz"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["documents"].as_u64().unwrap()
}

#[tokio::test]
async fn a_running_server_sees_an_import_after_its_commit() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = write_file(dir.path(), "first.jsonl", &jsonl(&[full_line(1)]));
    assert_success(&import(&data, &[&first]));
    let server = serve(&data);
    assert_eq!(healthz_documents(&server.base).await, 1);

    // The server holds no writer lock: the import can write beside it.
    let lines: Vec<Value> = (2..=30).map(full_line).collect();
    let more = write_file(dir.path(), "more.jsonl", &jsonl(&lines));
    let (data_for_import, more_path) = (data.clone(), more.clone());
    let output = tokio::task::spawn_blocking(move || import(&data_for_import, &[&more_path]))
        .await
        .unwrap();
    assert_success(&output);

    let deadline = Instant::now() + Duration::from_secs(5);
    let mut seen = healthz_documents(&server.base).await;
    while seen != 30 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        seen = healthz_documents(&server.base).await;
    }
    assert_eq!(seen, 30, "the server did not follow the import's commit");
    let id = index::document_id("https://emnbelgium.be/news/report-30");
    let response = reqwest::get(format!("{}/api/documents/{id}", server.base))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}
