//! Exporting every hit of a search.

use std::time::Instant;

use super::facets::generated;
use super::*;
use crate::{Facets, MAX_EXPORT, MAX_PER_PAGE, Sort};

/// More documents than a page can hold, two of them translations.
fn large() -> (SearchIndex, usize) {
    let mut docs = generated(2_500);
    for (doc, lang) in docs.iter_mut().take(2).zip(["fr", "nl"]) {
        doc.translation_key = Some("https://example.org/pair".into());
        doc.languages = strings(&[lang]);
    }
    let count = docs.len();
    let started = Instant::now();
    let index = index_with(&docs);
    eprintln!("indexed {count} documents in {:?}", started.elapsed());
    (index, count)
}

fn export(index: &SearchIndex, request: &SearchRequest, limit: usize) -> SearchResults {
    let started = Instant::now();
    let results = index.export(request, limit).expect("export");
    eprintln!(
        "exported {} hits of {:?} in {:?}",
        results.hits.len(),
        request.query,
        started.elapsed()
    );
    results
}

#[test]
fn export_returns_every_hit_beyond_a_page_in_search_order() {
    let (index, count) = large();
    // Page and per_page are ignored, even out of search's bounds.
    let request = SearchRequest {
        page: 0,
        per_page: MAX_PER_PAGE + 1,
        ..literal()
    };
    let all = export(&index, &request, MAX_EXPORT);
    // The two translations are one hit, as in search.
    assert_eq!(all.total, count - 1);
    assert_eq!(all.hits.len(), count - 1);
    let pair = all
        .hits
        .iter()
        .find(|hit| hit.versions.len() == 2)
        .expect("collapsed pair");
    assert!(pair.url.ends_with("/doc/0") || pair.url.ends_with("/doc/1"));
    let page = |page| {
        run(
            &index,
            SearchRequest {
                page,
                per_page: MAX_PER_PAGE,
                ..literal()
            },
        )
    };
    let first = page(1);
    assert_eq!(urls(&first), urls(&all)[..MAX_PER_PAGE]);
    assert_eq!(urls(&page(2)), urls(&all)[MAX_PER_PAGE..2 * MAX_PER_PAGE]);
    assert_eq!(all.facets, first.facets);
    // One snippet each: the best.
    assert!(
        all.hits
            .iter()
            .all(|hit| hit.snippets.len() == 1 && hit.snippets[0] == hit.snippet)
    );
}

#[test]
fn export_respects_the_limit_and_the_query() {
    let (index, _) = large();
    let request = SearchRequest {
        query: "accueil OR asile".into(),
        ..literal()
    };
    let limited = export(&index, &request, 1_200);
    assert_eq!(limited.hits.len(), 1_200);
    let all = export(&index, &request, usize::MAX);
    assert!(all.total > 1_200, "{}", all.total);
    assert_eq!(all.hits.len(), all.total);
    assert_eq!(urls(&limited), urls(&all)[..1_200]);
    assert!(all.hits.iter().all(|hit| hit.snippet.contains("<mark>")));
    let searched = run(
        &index,
        SearchRequest {
            per_page: 50,
            ..request.clone()
        },
    );
    assert_eq!(urls(&searched), urls(&all)[..50]);
    assert_eq!(searched.total, all.total);
    // Date order and no collapsing are honoured too.
    let by_date = SearchRequest {
        sort: Sort::Date,
        collapse: false,
        ..request.clone()
    };
    let dated = export(&index, &by_date, 100);
    let searched = run(
        &index,
        SearchRequest {
            per_page: 100,
            ..by_date
        },
    );
    assert_eq!(urls(&dated), urls(&searched));
    assert!(export(&index, &request, 0).hits.is_empty());
}

#[test]
fn export_still_checks_the_dates() {
    let index = corpus_index();
    let error = index
        .export(
            &SearchRequest {
                from: date(2024, 1, 1),
                to: date(2023, 1, 1),
                ..literal()
            },
            10,
        )
        .expect_err("from after to");
    assert!(error.is_caller_error());
    assert_eq!(MAX_EXPORT, 10_000);
}

#[test]
fn export_rows_are_the_export_without_versions_parents_or_facets() {
    let (index, _) = large();
    let corpus = corpus_index();
    let requests = [
        (&index, literal()),
        (
            &index,
            SearchRequest {
                query: "accueil OR asile".into(),
                ..literal()
            },
        ),
        (
            &index,
            SearchRequest {
                sort: Sort::Date,
                collapse: false,
                ..literal()
            },
        ),
        (&corpus, literal()),
        (
            &corpus,
            SearchRequest {
                query: "accueil".into(),
                ..SearchRequest::default()
            },
        ),
    ];
    for (index, request) in requests {
        let full = index.export(&request, MAX_EXPORT).expect("export");
        let rows = index.export_rows(&request, MAX_EXPORT).expect("export rows");
        let ids = |results: &SearchResults| -> Vec<String> {
            results.hits.iter().map(|hit| hit.id.clone()).collect()
        };
        assert_eq!(ids(&rows), ids(&full), "{request:?}");
        assert_eq!(rows.total, full.total, "{request:?}");
        assert_eq!(rows.facets, Facets::default());
        for (row, hit) in rows.hits.iter().zip(&full.hits) {
            assert!(row.versions.is_empty() && row.parent.is_none(), "{row:?}");
            assert_eq!(row.parent_url, hit.parent_url);
            assert_eq!(row.snippets, hit.snippets);
            assert_eq!(row.score, hit.score);
        }
    }
    // The full export does list versions and parents.
    let full = corpus.export(&literal(), MAX_EXPORT).expect("export");
    assert!(full.hits.iter().any(|hit| hit.parent.is_some()));
    let full = index.export(&literal(), MAX_EXPORT).expect("export");
    assert!(full.hits.iter().any(|hit| !hit.versions.is_empty()));
}
