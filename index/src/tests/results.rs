//! Result sets: facets, filters, dates, sorting, pagination, snippets and
//! hit metadata.

use super::*;
use crate::{Filters, Sort};

#[test]
fn facet_counts_cover_all_matches_not_the_page() {
    let index = corpus_index();
    let results = run(
        &index,
        SearchRequest {
            query: "fedasil OR emn".into(),
            per_page: 1,
            ..literal()
        },
    );
    assert_eq!(results.hits.len(), 1);
    assert_eq!(results.total, 5);
    let organisations: Vec<(&str, u64)> = results.facets["organisation"]
        .iter()
        .map(|count| (count.value.as_str(), count.count))
        .collect();
    assert_eq!(
        organisations,
        vec![
            ("Fedasil", 3),
            ("Immigration Office", 2),
            ("CGRS", 1),
            ("EMN", 1),
            ("IOM", 1),
        ]
    );
    // Every year from the first to the last, ascending, 2023 at 0.
    let years: Vec<(&str, u64)> = results.facets["year"]
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(
        years,
        vec![("2021", 1), ("2022", 1), ("2023", 0), ("2024", 2), ("2025", 1)]
    );
    let types: u64 = results.facets["type"].iter().map(|c| c.count).sum();
    assert_eq!(types, 5);
}

#[test]
fn facet_filters_or_within_and_across() {
    let index = corpus_index();
    let filtered = |filters: Filters| run(&index, SearchRequest { filters, ..literal() });
    let results = filtered(
        Filters::default()
            .with("theme", strings(&["Return & Readmission"]))
            .with("year", ["2024"]),
    );
    assert_eq!(urls(&results), vec![FEDASIL]);
    let results = filtered(
        Filters::default()
            .with("theme", strings(&["Return & Readmission"]))
            .with("year", ["2024", "2021"]),
    );
    assert_eq!(urls(&results), vec![FEDASIL, STUDY]);
    let results = filtered(
        Filters::default()
            .with("language", strings(&["NL"]))
            .with("type", strings(&["news", "event"])),
    );
    assert_eq!(urls(&results), vec![PROGRAMME, GEMEENTEN]);
    let results = filtered(
        Filters::default()
            .with("source", strings(&["fedasil.be"]))
            .with("organisation", strings(&["IOM"])),
    );
    assert_eq!(urls(&results), vec![FEDASIL]);
    assert_eq!(
        filtered(Filters::default().with("theme", strings(&["Nope"]))).total,
        0
    );
    // Blank values do not filter.
    assert_eq!(
        filtered(Filters::default().with("theme", strings(&[" "]))).total,
        6
    );
}

#[test]
fn date_range_is_inclusive_and_drops_undated() {
    let index = corpus_index();
    let ranged = |from, to| {
        run(
            &index,
            SearchRequest {
                from,
                to,
                ..literal()
            },
        )
    };
    assert_eq!(
        urls(&ranged(date(2022, 3, 22), date(2024, 4, 18))),
        vec![PROGRAMME, FEDASIL, GEMEENTEN]
    );
    assert_eq!(urls(&ranged(date(2025, 1, 1), None)), vec![PRESS]);
    assert_eq!(urls(&ranged(None, date(2021, 12, 31))), vec![STUDY]);
    let error = index
        .search(&SearchRequest {
            from: date(2024, 1, 1),
            to: date(2023, 1, 1),
            ..literal()
        })
        .expect_err("from after to");
    assert!(error.is_caller_error());
}

#[test]
fn empty_query_lists_newest_first_with_undated_last() {
    let index = corpus_index();
    let results = search(&index, "  ");
    assert_eq!(results.total, 6);
    assert_eq!(
        urls(&results),
        vec![PRESS, PROGRAMME, FEDASIL, GEMEENTEN, STUDY, UNDATED]
    );
    assert!(results.hits.iter().all(|hit| hit.score == 0.0));
    assert_eq!(
        results.hits[0].snippet,
        "L&#x27;Office des étrangers et Fedasil mènent des projets de retour volontaire."
    );
}

#[test]
fn date_sort_applies_to_queries() {
    let index = corpus_index();
    let results = run(
        &index,
        SearchRequest {
            query: "fedasil OR statelessness OR reception".into(),
            sort: Sort::Date,
            ..literal()
        },
    );
    assert_eq!(urls(&results), vec![PRESS, FEDASIL, GEMEENTEN, STUDY, UNDATED]);
    assert!(results.hits.iter().all(|hit| hit.score > 0.0));
}

#[test]
fn relevance_prefers_title_matches() {
    let index = corpus_index();
    let results = search(&index, "gemeenten OR opvangcrisis");
    assert_eq!(urls(&results)[0], GEMEENTEN);
    assert!(results.hits[0].score >= results.hits[1].score);
}

#[test]
fn pagination_windows_the_hits() {
    let index = corpus_index();
    let page = |page, per_page| {
        run(
            &index,
            SearchRequest {
                page,
                per_page,
                ..literal()
            },
        )
    };
    assert_eq!(urls(&page(2, 2)), vec![FEDASIL, GEMEENTEN]);
    assert_eq!(urls(&page(3, 2)), vec![STUDY, UNDATED]);
    let beyond = page(4, 2);
    assert!(beyond.hits.is_empty());
    assert_eq!(beyond.total, 6);
    assert_eq!(beyond.facets["source"].len(), 3);
    assert!(page(usize::MAX, crate::MAX_PER_PAGE).hits.is_empty());
}

#[test]
fn bad_pagination_is_a_caller_error() {
    let index = corpus_index();
    for (page, per_page) in [(0, 10), (1, 0), (1, crate::MAX_PER_PAGE + 1)] {
        let error = index
            .search(&SearchRequest {
                page,
                per_page,
                ..literal()
            })
            .expect_err("invalid");
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    }
}

#[test]
fn snippets_mark_matches_and_escape_html() {
    let index = corpus_index();
    let results = search(&index, "statelessness");
    assert_eq!(urls(&results), vec![UNDATED]);
    let snippet = &results.hits[0].snippet;
    assert!(snippet.contains("<mark>Statelessness</mark>"), "{snippet}");
    assert!(snippet.contains("&lt;script&gt;"), "{snippet}");
    assert!(!snippet.contains("<script>"), "{snippet}");
    assert!(snippet.contains("&amp;"), "{snippet}");
}

#[test]
fn bilingual_document_gives_a_snippet_in_the_query_language() {
    let index = corpus_index();
    let french = &search(&index, "apatrides").hits[0].snippet;
    assert!(french.contains("<mark>apatrides</mark>"), "{french}");
    assert!(!french.contains("staatlozen"), "{french}");
    let dutch = &search(&index, "staatlozen").hits[0].snippet;
    assert!(dutch.contains("<mark>staatlozen</mark>"), "{dutch}");
    assert!(!dutch.contains("apatrides"), "{dutch}");
}

#[test]
fn title_only_match_falls_back_to_the_lead() {
    let index = corpus_index();
    let results = search(&index, "annual");
    assert_eq!(urls(&results), vec![PROGRAMME]);
    assert!(results.hits[0].snippet.starts_with("Mesures en réponse"));
}

#[test]
fn hits_carry_the_document_metadata() {
    let index = corpus_index();
    let results = search(&index, "apatrides");
    let hit = &results.hits[0];
    assert_eq!(hit.id, crate::document_id(PROGRAMME));
    assert_eq!(hit.year, Some(2024));
    assert_eq!(hit.date, date(2024, 4, 18));
    assert_eq!(hit.doc_type, "event");
    assert_eq!(hit.language, strings(&["fr", "nl", "en"]));
    assert_eq!(
        hit.parent_url.as_deref(),
        Some("https://emnbelgium.be/news/policy-event-2024")
    );
    let json = serde_json::to_value(&results).expect("json");
    assert_eq!(json["hits"][0]["type"], "event");
    assert_eq!(json["hits"][0]["date"], "2024-04-18");
    assert_eq!(json["facets"]["type"][0]["value"], "event");
    assert_eq!(json["facets"]["year"][0]["value"], "2024");
}
