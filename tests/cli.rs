//! The command line: search output, and errors that name the problem.

use crate::common::{binary, data_dir, fixture};

#[test]
fn search_prints_json() {
    fixture();
    let output = binary()
        .args(["search", "apatrides", "--json", "--data"])
        .arg(data_dir())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let body: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(body["total"].as_u64().unwrap() >= 1);
    assert!(body["hits"][0]["snippet"].as_str().unwrap().contains("<mark>"));
}

#[test]
fn search_filters_by_theme_and_year() {
    fixture();
    let output = binary()
        .args([
            "search",
            "--theme",
            "Return & Readmission",
            "--year",
            "2020",
            "--data",
        ])
        .arg(data_dir())
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("2 results"), "{text}");
}

#[test]
fn bad_arguments_are_named() {
    fixture();
    let output = binary()
        .args(["search", "x", "--per-page", "1000", "--data"])
        .arg(data_dir())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("per_page"));

    let output = binary()
        .args(["crawl", "--mirror", "emnbelgium.be", "--data"])
        .arg(data_dir())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("ORIGIN=TARGET"));

    let empty = tempfile::tempdir().unwrap();
    let output = binary()
        .args(["serve", "--data"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no index"));
}

#[test]
fn help_explains_the_options() {
    let output = binary().args(["crawl", "--help"]).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("--mirror") && text.contains("--delay") && text.contains("--data"),
        "{text}"
    );
}
