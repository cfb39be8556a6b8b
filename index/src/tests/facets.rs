//! Disjunctive facet counts, checked against counts worked out document by
//! document; selected values, the facet size cut, the year list and the
//! keyword facet.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;

use super::*;
use crate::{FacetCount, Facets, Filters};

const THEMES: [&str; 5] = ["Asylum", "Return & Readmission", "Borders", "Integration", "Visa"];
const ORGS: [&str; 4] = ["Fedasil", "CGRS", "IOM", "Immigration Office"];
const LANGS: [&str; 3] = ["fr", "nl", "en"];
const SOURCES: [&str; 3] = ["fedasil", "emn-belgium", "media4cohesion"];
const TYPES: [&str; 3] = ["news", "publication", "event"];
const KEYWORDS: [&str; 4] = ["AMIF", "policy event", "reception", "statelessness"];
const WORDS: [&str; 6] = ["accueil", "opvang", "asile", "retour", "visa", "frontières"];

/// A deterministic pseudo-random corpus: every facet takes several values,
/// some documents have none of a facet, some no date.
pub(super) fn generated(count: usize) -> Vec<Document> {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |below: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) % below as u64) as usize
    };
    (0..count)
        .map(|n| {
            let mut pick = |values: &[&str], most: usize| {
                let mut chosen: Vec<String> = Vec::new();
                for _ in 0..next(most + 1) {
                    let value = values[next(values.len())].to_owned();
                    if !chosen.contains(&value) {
                        chosen.push(value);
                    }
                }
                chosen
            };
            let themes = pick(&THEMES, 2);
            let organisations = pick(&ORGS, 2);
            let keywords = pick(&KEYWORDS, 2);
            let lang = LANGS[next(LANGS.len())];
            let text = format!(
                "Document {n}: {} et {}.",
                WORDS[next(WORDS.len())],
                WORDS[next(WORDS.len())]
            );
            Document {
                url: format!("https://example.org/doc/{n}"),
                source: SOURCES[next(SOURCES.len())].into(),
                doc_type: TYPES[next(TYPES.len())].into(),
                title: format!("Titre {n}"),
                blocks: vec![block(Some(lang), &text)],
                languages: vec![lang.into()],
                date: match next(6) {
                    0 => None,
                    // 2019 and 2023 never occur: gaps the year list fills.
                    k => date([2018, 2020, 2021, 2022, 2024][k - 1], 1 + next(12) as u32, 1),
                },
                themes,
                keywords,
                organisations,
                ..Document::default()
            }
        })
        .collect()
}

/// The values of one facet of a document, as indexed.
fn values_of(doc: &Document, facet: &str) -> Vec<String> {
    match facet {
        "theme" => doc.themes.iter().chain(&doc.themes_inferred).cloned().collect(),
        "year" => doc.date.map(|d| d.year().to_string()).into_iter().collect(),
        "organisation" => doc.organisations.clone(),
        "language" => doc.languages.clone(),
        "source" => vec![doc.source.clone()],
        "type" => vec![doc.doc_type.clone()],
        "keyword" => doc.keywords.clone(),
        other => panic!("no facet {other}"),
    }
}

const FACET_NAMES: [&str; 7] = [
    "theme",
    "year",
    "organisation",
    "language",
    "source",
    "type",
    "keyword",
];

fn selected_values(filters: &Filters, facet: &str) -> Vec<String> {
    filters.get(facet).to_vec()
}

fn list<'f>(facets: &'f Facets, facet: &str) -> &'f [FacetCount] {
    facets.by_name(facet)
}

/// The values of a facet list counted above zero, with their counts.
fn nonzero(facets: &Facets, facet: &str) -> BTreeMap<String, u64> {
    list(facets, facet)
        .iter()
        .filter(|c| c.count > 0)
        .map(|c| (c.value.clone(), c.count))
        .collect()
}

/// For each facet F, the counts of the documents that match the query,
/// the date range and every filter but F's (F's too when not
/// `disjunctive`), per value of F.
fn brute_force(
    docs: &[Document],
    matching: &BTreeSet<String>,
    request: &SearchRequest,
) -> BTreeMap<&'static str, BTreeMap<String, u64>> {
    let passes = |doc: &Document, facet: &str| {
        let wanted = selected_values(&request.filters, facet);
        wanted.is_empty() || values_of(doc, facet).iter().any(|v| wanted.contains(v))
    };
    let in_range = |doc: &Document| match (request.from, request.to) {
        (None, None) => true,
        (from, to) => doc
            .date
            .is_some_and(|d| from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)),
    };
    let mut counts = BTreeMap::new();
    for facet in FACET_NAMES {
        let mut per_value: BTreeMap<String, u64> = BTreeMap::new();
        for doc in docs.iter().filter(|doc| matching.contains(&doc.url)) {
            let others = FACET_NAMES
                .iter()
                .filter(|f| !request.disjunctive || **f != facet)
                .all(|f| passes(doc, f));
            if others && in_range(doc) {
                for value in values_of(doc, facet) {
                    *per_value.entry(value).or_default() += 1;
                }
            }
        }
        counts.insert(facet, per_value);
    }
    counts
}

/// URLs of every document the query matches, without filters.
fn matching_urls(index: &SearchIndex, query: &str) -> BTreeSet<String> {
    let results = run(
        index,
        SearchRequest {
            query: query.into(),
            collapse: false,
            per_page: crate::MAX_PER_PAGE,
            ..literal()
        },
    );
    results.hits.into_iter().map(|hit| hit.url).collect()
}

#[test]
fn disjunctive_counts_match_counts_worked_out_per_document() {
    let docs = generated(120);
    let index = index_with(&docs);
    let combinations = [
        Filters::default(),
        Filters::default().with("theme", strings(&["Asylum"])),
        Filters::default()
            .with("theme", strings(&["Asylum", "Borders"]))
            .with("year", ["2020", "2022"]),
        Filters::default()
            .with("language", strings(&["fr"]))
            .with("source", strings(&["fedasil"]))
            .with("keyword", strings(&["AMIF"])),
        Filters::default()
            .with("organisation", strings(&["CGRS", "IOM"]))
            .with("type", strings(&["news"]))
            .with("theme", strings(&["Visa"]))
            .with("keyword", strings(&["reception", "policy event"])),
    ];
    let mut checked = 0;
    for query in ["", "accueil OR asile", "opvang"] {
        let matching = matching_urls(&index, query);
        assert!(!matching.is_empty(), "{query}");
        for filters in &combinations {
            for (from, to) in [(None, None), (date(2020, 6, 1), date(2024, 12, 31))] {
                let request = SearchRequest {
                    query: query.into(),
                    filters: filters.clone(),
                    from,
                    to,
                    facet_size: 100,
                    collapse: false,
                    ..literal()
                };
                let results = run(&index, request.clone());
                let expected = brute_force(&docs, &matching, &request);
                for facet in FACET_NAMES {
                    let selected = selected_values(filters, facet);
                    let got: BTreeMap<String, u64> = list(&results.facets, facet)
                        .iter()
                        .filter(|c| c.count > 0)
                        .map(|c| (c.value.clone(), c.count))
                        .collect();
                    assert_eq!(
                        got, expected[facet],
                        "facet {facet}, query {query:?}, {filters:?}, {from:?}..{to:?}"
                    );
                    for count in list(&results.facets, facet) {
                        assert_eq!(count.selected, selected.contains(&count.value), "{count:?}");
                    }
                    for value in &selected {
                        assert!(
                            list(&results.facets, facet).iter().any(|c| &c.value == value),
                            "selected {value} missing from {facet}"
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 3 * 5 * 2 * 7);
}

#[test]
fn a_selected_value_that_matches_nothing_is_listed_at_zero() {
    let index = corpus_index();
    let results = run(
        &index,
        SearchRequest {
            filters: Filters::default()
                .with("theme", strings(&["Nope"]))
                .with("year", ["1999"])
                .with("language", strings(&["de"])),
            ..literal()
        },
    );
    assert_eq!(results.total, 0);
    let nope = results.facets["theme"]
        .iter()
        .find(|c| c.value == "Nope")
        .expect("listed");
    assert_eq!((nope.count, nope.selected), (0, true));
    let german = &results.facets["language"];
    assert_eq!(
        german,
        &[FacetCount {
            value: "de".into(),
            count: 0,
            selected: true,
        }]
    );
    // 1999 is selected: the list runs from it to the last year, at 0 all along.
    let years: Vec<(&str, bool)> = results.facets["year"]
        .iter()
        .map(|c| (c.value.as_str(), c.selected))
        .collect();
    assert_eq!(years.first(), Some(&("1999", true)));
    assert!(results.facets["year"].iter().all(|c| c.count == 0));
}

#[test]
fn facet_size_cuts_lists_but_keeps_selected_values() {
    let index = index_with(&generated(80));
    let results = run(
        &index,
        SearchRequest {
            facet_size: 2,
            filters: Filters::default().with("keyword", strings(&["AMIF", "statelessness", "reception"])),
            ..literal()
        },
    );
    assert_eq!(results.facets["theme"].len(), 2);
    assert_eq!(results.facets["organisation"].len(), 2);
    // Sorted by count, then value.
    let theme = &results.facets["theme"];
    assert!(
        theme[0].count > theme[1].count
            || (theme[0].count == theme[1].count && theme[0].value < theme[1].value)
    );
    // Three selected keywords are kept, though beyond the cut.
    let keywords: BTreeSet<&str> = results.facets["keyword"]
        .iter()
        .filter(|c| c.selected)
        .map(|c| c.value.as_str())
        .collect();
    assert_eq!(keywords, BTreeSet::from(["AMIF", "reception", "statelessness"]));
    assert!(results.facets["keyword"].len() <= 4);
    // The default is ten.
    assert_eq!(SearchRequest::default().facet_size, crate::DEFAULT_FACET_SIZE);
}

#[test]
fn years_run_contiguous_and_ascending_with_zeros_and_are_never_cut() {
    let index = index_with(&generated(60));
    let results = run(
        &index,
        SearchRequest {
            facet_size: 1,
            ..literal()
        },
    );
    let years: Vec<(i32, u64)> = results.facets["year"]
        .iter()
        .map(|c| (c.value.parse().expect("a year"), c.count))
        .collect();
    let first = years[0].0;
    let expected: Vec<i32> = (first..first + years.len() as i32).collect();
    assert_eq!(years.iter().map(|(y, _)| *y).collect::<Vec<_>>(), expected);
    assert_eq!((years[0].0, years[years.len() - 1].0), (2018, 2024));
    for gap in [2019, 2023] {
        assert!(years.contains(&(gap, 0)), "{years:?}");
    }
    assert!(results.facets["year"].iter().all(|c| !c.selected));
}

#[test]
fn keywords_are_a_facet_and_a_filter() {
    let index = corpus_index();
    let results = search(&index, "");
    let keywords: Vec<(&str, u64)> = results.facets["keyword"]
        .iter()
        .map(|c| (c.value.as_str(), c.count))
        .collect();
    assert_eq!(keywords, [("AMIF", 1), ("policy event", 1)]);
    let filtered = run(
        &index,
        SearchRequest {
            filters: Filters::default().with("keyword", strings(&["AMIF", "policy event"])),
            ..literal()
        },
    );
    assert_eq!(sorted_urls(&filtered), [PROGRAMME, FEDASIL]);
    let and_other = run(
        &index,
        SearchRequest {
            filters: Filters::default()
                .with("keyword", strings(&["AMIF", "policy event"]))
                .with("language", strings(&["nl"])),
            ..literal()
        },
    );
    assert_eq!(urls(&and_other), [PROGRAMME]);
    // The keyword list ignores its own filter but not the language one.
    let listed: Vec<(&str, u64, bool)> = and_other.facets["keyword"]
        .iter()
        .map(|c| (c.value.as_str(), c.count, c.selected))
        .collect();
    assert_eq!(listed, [("policy event", 1, true), ("AMIF", 0, true)]);
    let json = serde_json::to_value(&and_other).expect("json");
    assert_eq!(json["facets"]["keyword"][0]["selected"], true);
}

#[test]
fn conjunctive_counts_apply_every_filter_to_every_facet() {
    let docs = generated(120);
    let index = index_with(&docs);
    let filters = Filters::default()
        .with("theme", strings(&["Asylum", "Borders"]))
        .with("language", strings(&["fr", "nl"]));
    let matching = matching_urls(&index, "");
    let request = SearchRequest {
        filters,
        facet_size: 100,
        collapse: false,
        disjunctive: false,
        ..literal()
    };
    let results = run(&index, request.clone());
    let expected = brute_force(&docs, &matching, &request);
    for facet in FACET_NAMES {
        assert_eq!(nonzero(&results.facets, facet), expected[facet], "facet {facet}");
    }
    // The theme filter narrowed the theme list itself: fewer documents
    // have the other themes than without it.
    let others = |facets: &Facets| -> u64 {
        facets["theme"]
            .iter()
            .filter(|c| !c.selected)
            .map(|c| c.count)
            .sum()
    };
    let disjunctive = run(
        &index,
        SearchRequest {
            disjunctive: true,
            ..request
        },
    );
    assert_eq!(disjunctive.total, results.total);
    assert!(others(&results.facets) < others(&disjunctive.facets));
}

#[test]
fn counts_stay_exact_over_segments_deletes_and_merges() {
    // Three commits make three segments; the third rewrites documents of
    // the first (deleted there, added again with other values), so counts
    // read from each segment's arrays must skip the deleted versions.
    let mut docs = generated(90);
    let index = SearchIndex::create_in_ram().expect("index");
    for chunk in docs.chunks(45) {
        let mut writer = index.writer().expect("writer");
        for doc in chunk {
            writer.upsert(doc).expect("upsert");
        }
        writer.commit().expect("commit");
    }
    let mut writer = index.writer().expect("writer");
    for doc in docs.iter_mut().take(20) {
        doc.themes = strings(&["Visa"]);
        doc.keywords = strings(&["AMIF", "reception"]);
        writer.upsert(doc).expect("upsert");
    }
    writer.commit().expect("commit");
    let request = SearchRequest {
        facet_size: 100,
        collapse: false,
        ..literal()
    };
    let check = |index: &SearchIndex| {
        let results = run(index, request.clone());
        let matching: BTreeSet<String> = docs.iter().map(|doc| doc.url.clone()).collect();
        let expected = brute_force(&docs, &matching, &request);
        for facet in FACET_NAMES {
            assert_eq!(nonzero(&results.facets, facet), expected[facet], "facet {facet}");
        }
    };
    check(&index);
    // The arrays of every live segment, and only those, are kept.
    let live = index.shared.reader.searcher().segment_readers().len();
    assert_eq!(index.shared.ordinals.segments(), live);
    let ids = index.shared.index.searchable_segment_ids().expect("segments");
    assert!(ids.len() >= 2, "{ids:?}");
    let mut merger: tantivy::IndexWriter = index.shared.index.writer(15_000_000).expect("writer");
    merger.merge(&ids).wait().expect("merge");
    merger.wait_merging_threads().expect("merged");
    index.shared.reader.reload().expect("reload");
    assert_eq!(index.shared.reader.searcher().segment_readers().len(), 1);
    check(&index);
    // tantivy collects the warmers' garbage on a thread of its own, each
    // second, once no searcher holds the old segments.
    let collected = (0..50).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        index.shared.ordinals.segments() == 1
    });
    assert!(
        collected,
        "the merged segments' arrays are dropped: {}",
        index.shared.ordinals.segments()
    );
}
