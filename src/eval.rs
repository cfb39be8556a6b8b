//! Search quality: runs the judged queries of `relevance/judgments.toml`
//! against an index and scores the rankings (nDCG@10 and recall@10), overall,
//! per query language and for the cross-lingual queries.
//!
//! The judgments say, per query, which documents a good answer lists and how
//! well each answers (grades 0 to 3; see the file's header and
//! `RELEVANCE.md`). Scoring compares documents by canonical URL; a
//! `#fragment` (a passage) is accepted in the judgments and ignored for now.
//!
//! ```
//! use migrasearch::eval::{Judgments, ndcg, recall};
//! let judgments = Judgments::builtin();
//! assert!(judgments.queries().len() >= 60);
//! // One relevant document of grade 3, found at rank 2 of 10.
//! let ranked = ["https://a.example/", "https://b.example/"];
//! let grades = [("https://b.example/", 3)].into_iter().collect();
//! assert!((ndcg(&ranked, &grades, 10) - 1.0 / 3f64.log2()).abs() < 1e-9);
//! assert_eq!(recall(&ranked, &grades, 10), 1.0);
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context;
use index::{SearchIndex, SearchRequest};
use serde::{Deserialize, Serialize};

use crate::data::DataDir;
use crate::{mirror, pipeline};

/// Rank cut-off of both metrics.
pub const K: usize = 10;

/// Highest grade a judgment may give.
pub const MAX_GRADE: u8 = 3;

/// The judgments bundled with the binary.
const BUILTIN: &str = include_str!("../relevance/judgments.toml");

/// Language of a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Fr, Lang::Nl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

/// One judged query.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgedQuery {
    /// Unique name, `<lang>-<short-name>`.
    pub id: String,
    /// The query as a user types it.
    pub text: String,
    /// Language of the query.
    pub lang: Lang,
    /// Whether a document graded 2 or 3 is relevant through text in another
    /// language than the query's.
    pub cross_lingual: bool,
    /// Grade per document URL (optionally with a `#fragment`).
    pub relevant: BTreeMap<String, u8>,
}

impl JudgedQuery {
    /// Grade per document, fragments removed (the best grade when two
    /// passages of one document are judged).
    pub fn document_grades(&self) -> HashMap<&str, u8> {
        let mut grades: HashMap<&str, u8> = HashMap::new();
        for (url, &grade) in &self.relevant {
            let grade_slot = grades.entry(without_fragment(url)).or_default();
            *grade_slot = (*grade_slot).max(grade);
        }
        grades
    }
}

/// A mistake in a judgments file, naming the query when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgmentsError {
    /// Id of the query at fault (or its position, `#3`, when it has no id).
    pub query: Option<String>,
    pub message: String,
}

impl std::fmt::Display for JudgmentsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.query {
            Some(query) => write!(f, "query `{query}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for JudgmentsError {}

/// A validated set of judged queries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgments {
    queries: Vec<JudgedQuery>,
}

impl Judgments {
    /// The judgments bundled with the binary (`relevance/judgments.toml`).
    pub fn builtin() -> Judgments {
        Judgments::from_toml(BUILTIN).expect("the bundled judgments are valid")
    }

    /// Reads and validates a judgments file.
    pub fn load(path: &Path) -> anyhow::Result<Judgments> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Judgments::from_toml(&text).with_context(|| format!("in {}", path.display()))
    }

    /// Parses and validates judgments: only the documented keys, unique
    /// non-empty ids, a non-empty text, grades 0 to 3 on http(s) URLs, and at
    /// least one document graded 1 or more per query.
    pub fn from_toml(text: &str) -> Result<Judgments, JudgmentsError> {
        let file_error = |message: String| JudgmentsError { query: None, message };
        let root: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| file_error(e.to_string()))?;
        if let Some(key) = root.keys().find(|key| *key != "query") {
            return Err(file_error(format!(
                "unknown key `{key}`; expected [[query]] tables"
            )));
        }
        let entries = match root.get("query") {
            Some(toml::Value::Array(entries)) => entries.clone(),
            Some(_) => return Err(file_error("`query` must be an array of tables, [[query]]".into())),
            None => return Err(file_error("no [[query]] tables".into())),
        };
        let mut queries = Vec::with_capacity(entries.len());
        let mut seen = HashSet::new();
        for (position, entry) in entries.into_iter().enumerate() {
            let name = entry
                .get("id")
                .and_then(toml::Value::as_str)
                .filter(|id| !id.trim().is_empty())
                .map_or_else(|| format!("#{}", position + 1), str::to_owned);
            let error = |message: String| JudgmentsError {
                query: Some(name.clone()),
                message,
            };
            let query: JudgedQuery = entry
                .try_into()
                .map_err(|e: toml::de::Error| error(e.message().to_owned()))?;
            validate(&query).map_err(error)?;
            if !seen.insert(query.id.clone()) {
                return Err(error("id used by an earlier query".into()));
            }
            queries.push(query);
        }
        if queries.is_empty() {
            return Err(file_error("no [[query]] tables".into()));
        }
        Ok(Judgments { queries })
    }

    pub fn queries(&self) -> &[JudgedQuery] {
        &self.queries
    }
}

fn validate(query: &JudgedQuery) -> Result<(), String> {
    let id_ok = !query.id.is_empty()
        && query
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !id_ok {
        return Err("id must be lowercase ascii letters, digits and hyphens".into());
    }
    if query.text.trim().is_empty() {
        return Err("text is empty".into());
    }
    if query.relevant.is_empty() {
        return Err("[query.relevant] lists no document".into());
    }
    for (url, &grade) in &query.relevant {
        let parsed = url::Url::parse(url).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("`{url}` is not an http(s) URL"));
        }
        if grade > MAX_GRADE {
            return Err(format!(
                "`{url}` has grade {grade}; grades go from 0 to {MAX_GRADE}"
            ));
        }
    }
    if query.relevant.values().all(|&grade| grade == 0) {
        return Err("no document is graded 1 or more".into());
    }
    Ok(())
}

fn without_fragment(url: &str) -> &str {
    url.split_once('#').map_or(url, |(document, _)| document)
}

/// Gain of a grade: 2^grade − 1.
fn gain(grade: u8) -> f64 {
    f64::from((1u32 << grade) - 1)
}

/// Discounted cumulative gain of grades in rank order, first `k` ranks.
fn dcg(grades: impl IntoIterator<Item = u8>, k: usize) -> f64 {
    grades
        .into_iter()
        .take(k)
        .enumerate()
        .map(|(rank, grade)| gain(grade) / (rank as f64 + 2.0).log2())
        // Not `sum()`: an empty f64 sum is -0.0, printed as "-0.000".
        .fold(0.0, |total, value| total + value)
}

/// The grade of each ranked URL; a document ranked twice (two passages)
/// counts once, at its first rank.
fn ranked_grades(ranked: &[&str], grades: &HashMap<&str, u8>) -> Vec<u8> {
    let mut seen = HashSet::new();
    ranked
        .iter()
        .map(|url| without_fragment(url))
        .filter(|url| seen.insert(*url))
        .map(|url| grades.get(url).copied().unwrap_or(0))
        .collect()
}

/// nDCG@k: graded gains 2^g − 1, log2 discount, normalised by the best
/// ordering of the judged grades. 0 when nothing is graded above 0.
pub fn ndcg(ranked: &[&str], grades: &HashMap<&str, u8>, k: usize) -> f64 {
    let mut ideal: Vec<u8> = grades.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(ideal, k);
    if best == 0.0 {
        return 0.0;
    }
    dcg(ranked_grades(ranked, grades), k) / best
}

/// recall@k: the share of documents graded 1 or more found in the first `k`.
pub fn recall(ranked: &[&str], grades: &HashMap<&str, u8>, k: usize) -> f64 {
    let relevant = grades.values().filter(|&&grade| grade >= 1).count();
    if relevant == 0 {
        return 0.0;
    }
    let found = ranked_grades(ranked, grades)
        .into_iter()
        .take(k)
        .filter(|&grade| grade >= 1)
        .count();
    found as f64 / relevant as f64
}

/// Which search features a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Options {
    /// Thesaurus expansion into the other languages.
    pub expand: bool,
    /// Typo tolerance (terms one or two edits away).
    pub fuzzy: bool,
    /// Dutch and German query compounds also searched as their parts.
    pub decompound: bool,
}

impl Options {
    /// Every feature on: what users get.
    pub const FULL: Options = Options {
        expand: true,
        fuzzy: true,
        decompound: true,
    };
    /// Every optional feature off: the words typed, analysed per language.
    pub const BASELINE: Options = Options {
        expand: false,
        fuzzy: false,
        decompound: false,
    };

    fn request(self, query: &str) -> SearchRequest {
        SearchRequest {
            query: query.to_owned(),
            per_page: K,
            expand: self.expand,
            fuzzy: self.fuzzy,
            decompound: self.decompound,
            ..SearchRequest::default()
        }
    }
}

/// Mean scores over a group of queries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    /// Number of queries in the group.
    pub queries: usize,
    /// Mean nDCG@10.
    pub ndcg: f64,
    /// Mean recall@10.
    pub recall: f64,
}

impl Summary {
    fn of<'a>(results: impl IntoIterator<Item = &'a QueryResult>) -> Summary {
        let (mut queries, mut ndcg, mut recall) = (0, 0.0, 0.0);
        for result in results {
            queries += 1;
            ndcg += result.ndcg;
            recall += result.recall;
        }
        let mean = |sum: f64| if queries == 0 { 0.0 } else { sum / queries as f64 };
        Summary {
            queries,
            ndcg: mean(ndcg),
            recall: mean(recall),
        }
    }
}

/// How one query fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryResult {
    pub id: String,
    pub text: String,
    pub lang: Lang,
    pub cross_lingual: bool,
    pub ndcg: f64,
    pub recall: f64,
    /// Number of matching documents.
    pub total: usize,
    /// The first results, best first.
    pub ranked: Vec<String>,
    /// Documents graded 1 or more that are not in the first results.
    pub missed: Vec<String>,
}

/// The scores of one configuration over a set of judgments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Name of the configuration (`full`, `baseline`, ...).
    pub name: String,
    pub options: Options,
    /// Rank cut-off.
    pub k: usize,
    pub overall: Summary,
    /// Per query language, `fr`, `nl`, `en`.
    pub by_language: BTreeMap<String, Summary>,
    /// Queries whose relevant documents are in another language.
    pub cross_lingual: Summary,
    pub queries: Vec<QueryResult>,
}

/// Runs every judged query with `options` and scores the rankings.
pub fn evaluate(
    index: &SearchIndex,
    judgments: &Judgments,
    name: &str,
    options: Options,
) -> index::Result<Report> {
    let mut queries = Vec::with_capacity(judgments.queries.len());
    for query in &judgments.queries {
        let results = index.search(&options.request(&query.text))?;
        let grades = query.document_grades();
        // A collapsed hit stands for every version of its text: it scores
        // as its best-graded version.
        let ranked: Vec<String> = results
            .hits
            .into_iter()
            .map(|hit| {
                let grade = |url: &str| grades.get(without_fragment(url)).copied().unwrap_or(0);
                let best = hit
                    .versions
                    .iter()
                    .map(|v| v.url.as_str())
                    .max_by_key(|url| grade(url));
                match best {
                    Some(url) if grade(url) > grade(&hit.url) => url.to_owned(),
                    _ => hit.url,
                }
            })
            .collect();
        let ranked_refs: Vec<&str> = ranked.iter().map(String::as_str).collect();
        let found: HashSet<&str> = ranked_refs
            .iter()
            .take(K)
            .map(|url| without_fragment(url))
            .collect();
        let mut missed: Vec<String> = grades
            .iter()
            .filter(|(url, grade)| **grade >= 1 && !found.contains(**url))
            .map(|(url, _)| (*url).to_owned())
            .collect();
        missed.sort();
        queries.push(QueryResult {
            id: query.id.clone(),
            text: query.text.clone(),
            lang: query.lang,
            cross_lingual: query.cross_lingual,
            ndcg: ndcg(&ranked_refs, &grades, K),
            recall: recall(&ranked_refs, &grades, K),
            total: results.total,
            ranked,
            missed,
        });
    }
    Ok(report(name, options, queries))
}

fn report(name: &str, options: Options, queries: Vec<QueryResult>) -> Report {
    let by_language = Lang::ALL
        .iter()
        .map(|&lang| {
            let summary = Summary::of(queries.iter().filter(|q| q.lang == lang));
            (lang.code().to_owned(), summary)
        })
        .collect();
    Report {
        name: name.to_owned(),
        options,
        k: K,
        overall: Summary::of(&queries),
        by_language,
        cross_lingual: Summary::of(queries.iter().filter(|q| q.cross_lingual)),
        queries,
    }
}

/// The two configurations `migrasearch eval` compares: everything on, and
/// everything optional off.
pub fn compare(index: &SearchIndex, judgments: &Judgments) -> index::Result<Vec<Report>> {
    Ok(vec![
        evaluate(index, judgments, "full", Options::FULL)?,
        evaluate(index, judgments, "baseline", Options::BASELINE)?,
    ])
}

/// A plain-text table of the reports side by side: one row per group
/// (overall, each language, cross-lingual), nDCG@k then recall@k columns.
pub fn render_table(reports: &[Report]) -> String {
    let Some(first) = reports.first() else {
        return String::new();
    };
    let width = reports.iter().map(|r| r.name.len()).max().unwrap_or(0).max(6);
    let label_width = 16;
    let mut out = String::new();
    let metric_header = |metric: &str| {
        let span = reports.len() * (width + 2) - 2;
        format!("{metric:<span$}")
    };
    out.push_str(&format!(
        "{:<label_width$} {:>7}  {}  {}\n",
        "",
        "",
        metric_header(&format!("nDCG@{}", first.k)),
        metric_header(&format!("recall@{}", first.k)),
    ));
    let names: Vec<String> = reports.iter().map(|r| format!("{:>width$}", r.name)).collect();
    out.push_str(&format!(
        "{:<label_width$} {:>7}  {}  {}\n",
        "group",
        "queries",
        names.join("  "),
        names.join("  "),
    ));
    let mut rows: Vec<(String, Vec<Summary>)> =
        vec![("overall".into(), reports.iter().map(|r| r.overall).collect())];
    for lang in Lang::ALL {
        let summaries = reports
            .iter()
            .map(|r| r.by_language.get(lang.code()).copied().unwrap_or(Summary::of([])))
            .collect();
        rows.push((lang.code().to_owned(), summaries));
    }
    rows.push((
        "cross-lingual".into(),
        reports.iter().map(|r| r.cross_lingual).collect(),
    ));
    for (label, summaries) in rows {
        let cell = |value: f64| format!("{value:>width$.3}");
        let ndcg: Vec<String> = summaries.iter().map(|s| cell(s.ndcg)).collect();
        let recall: Vec<String> = summaries.iter().map(|s| cell(s.recall)).collect();
        out.push_str(&format!(
            "{label:<label_width$} {:>7}  {}  {}\n",
            summaries[0].queries,
            ndcg.join("  "),
            recall.join("  "),
        ));
    }
    out.lines()
        .map(|line| line.trim_end().to_owned() + "\n")
        .collect()
}

/// What `migrasearch eval` was asked for.
#[derive(Debug, Clone, Default)]
pub struct EvalArgs {
    /// Data directory with an index; without one, the bundled mirror is
    /// crawled into it first. `None`: a temporary directory.
    pub data: Option<PathBuf>,
    /// Judgments file; `None`: the bundled `relevance/judgments.toml`.
    pub judgments: Option<PathBuf>,
    /// Print the reports as JSON instead of the table.
    pub json: bool,
}

/// `migrasearch eval`: evaluates the full and baseline configurations and
/// returns what to print.
pub async fn run(args: &EvalArgs) -> anyhow::Result<String> {
    let judgments = match &args.judgments {
        Some(path) => Judgments::load(path)?,
        None => Judgments::builtin(),
    };
    let temporary = match &args.data {
        Some(_) => None,
        None => Some(TempData::create()?),
    };
    let root = args
        .data
        .clone()
        .or_else(|| temporary.as_ref().map(|t| t.0.clone()))
        .context("no data directory")?;
    let data = DataDir::new(root);
    let index = index_with_documents(&data).await?;
    let reports = tokio::task::spawn_blocking(move || compare(&index, &judgments))
        .await
        .context("evaluation task failed")??;
    if args.json {
        return Ok(serde_json::to_string_pretty(&reports)?);
    }
    Ok(render_table(&reports))
}

/// The index in `data`, after crawling the bundled mirror into it when it
/// has no documents (as `migrasearch demo` does).
pub async fn index_with_documents(data: &DataDir) -> anyhow::Result<SearchIndex> {
    if data.open_or_create_index()?.num_docs() == 0 {
        let addr = mirror::spawn(mirror::RequestLog::default())
            .await
            .context("starting the bundled mirror")?;
        eprintln!("crawling the bundled mirror into {}", data.root().display());
        pipeline::crawl_into(mirror::crawl_config(addr)?, data).await?;
    }
    data.open_index()
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempData(PathBuf);

impl TempData {
    fn create() -> anyhow::Result<TempData> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!("migrasearch-eval-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(TempData(path))
    }
}

impl Drop for TempData {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grades<'a>(pairs: &[(&'a str, u8)]) -> HashMap<&'a str, u8> {
        pairs.iter().copied().collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn ndcg_is_one_for_the_ideal_ranking() {
        let judged = grades(&[("a", 3), ("b", 2), ("c", 1)]);
        assert!(close(ndcg(&["a", "b", "c", "x"], &judged, 10), 1.0));
    }

    #[test]
    fn ndcg_of_a_swapped_pair_matches_the_hand_computation() {
        // Ideal: 7/log2(2) + 3/log2(3) = 7 + 1.892789 = 8.892789.
        // Ranked b, a: 3/1 + 7/log2(3) = 3 + 4.416508 = 7.416508.
        let judged = grades(&[("a", 3), ("b", 2)]);
        let expected = (3.0 + 7.0 / 3f64.log2()) / (7.0 + 3.0 / 3f64.log2());
        let value = ndcg(&["b", "a"], &judged, 10);
        assert!(close(value, expected));
        assert!((value - 0.834).abs() < 1e-3, "{value}");
    }

    #[test]
    fn ndcg_counts_unjudged_results_as_zero() {
        // The one relevant document at rank 3: 1/log2(4) = 0.5 of the ideal.
        let judged = grades(&[("a", 1)]);
        assert!(close(ndcg(&["x", "y", "a"], &judged, 10), 0.5));
        assert!(close(ndcg(&["x", "y"], &judged, 10), 0.0));
    }

    #[test]
    fn ndcg_stops_at_the_cut_off() {
        let judged = grades(&[("a", 2)]);
        let ranked = ["1", "2", "3", "a"];
        assert!(close(ndcg(&ranked, &judged, 3), 0.0));
        // Rank 4: 1/log2(5).
        assert!(close(ndcg(&ranked, &judged, 4), 1.0 / 5f64.log2()));
    }

    #[test]
    fn ideal_uses_only_the_best_k_judged_grades() {
        // Two grade-3 documents judged, cut-off 1: the ideal is one of them.
        let judged = grades(&[("a", 3), ("b", 3), ("c", 0)]);
        assert!(close(ndcg(&["b"], &judged, 1), 1.0));
    }

    #[test]
    fn a_document_ranked_twice_counts_once() {
        let judged = grades(&[("https://d/", 3), ("https://e/", 1)]);
        let ranked = ["https://d/#p1", "https://d/#p2", "https://e/"];
        // d at 1 (7), e at 2 (1/log2 3): the ideal ordering exactly.
        assert!(close(ndcg(&ranked, &judged, 10), 1.0));
        assert!(close(recall(&ranked, &judged, 10), 1.0));
    }

    #[test]
    fn recall_counts_grade_one_and_up() {
        let judged = grades(&[("a", 3), ("b", 1), ("c", 0), ("d", 2)]);
        // Relevant: a, b, d. Found in the first 2: a and c (c is not relevant).
        assert!(close(recall(&["a", "c", "b"], &judged, 2), 1.0 / 3.0));
        assert!(close(recall(&["a", "c", "b"], &judged, 10), 2.0 / 3.0));
    }

    #[test]
    fn summaries_are_means_per_group() {
        let result = |id: &str, lang, cross_lingual, ndcg| QueryResult {
            id: id.into(),
            text: id.into(),
            lang,
            cross_lingual,
            ndcg,
            recall: 1.0,
            total: 1,
            ranked: vec![],
            missed: vec![],
        };
        let report = report(
            "full",
            Options::FULL,
            vec![
                result("fr-a", Lang::Fr, false, 1.0),
                result("fr-b", Lang::Fr, true, 0.5),
                result("en-a", Lang::En, true, 0.0),
            ],
        );
        assert_eq!(report.overall.queries, 3);
        assert!(close(report.overall.ndcg, 0.5));
        assert!(close(report.by_language["fr"].ndcg, 0.75));
        assert_eq!(report.by_language["nl"].queries, 0);
        assert!(close(report.cross_lingual.ndcg, 0.25));
        let table = render_table(&[report.clone(), report]);
        assert!(table.contains("cross-lingual"), "{table}");
        assert!(
            table
                .lines()
                .any(|l| l.starts_with("overall") && l.contains("0.500")),
            "{table}"
        );
    }

    #[test]
    fn the_bundled_judgments_are_balanced() {
        let judgments = Judgments::builtin();
        let queries = judgments.queries();
        assert!(queries.len() >= 60);
        for lang in Lang::ALL {
            let n = queries.iter().filter(|q| q.lang == lang).count();
            assert!(3 * n >= queries.len() - 2, "{lang:?}: {n}");
        }
        let cross = queries.iter().filter(|q| q.cross_lingual).count();
        assert!(3 * cross >= queries.len(), "{cross} cross-lingual");
    }

    const GOOD: &str = r#"
[[query]]
id = "en-x"
text = "x"
lang = "en"
cross_lingual = false
[query.relevant]
"https://example.org/a" = 3
"#;

    #[test]
    fn a_minimal_file_loads() {
        let judgments = Judgments::from_toml(GOOD).unwrap();
        assert_eq!(judgments.queries()[0].relevant["https://example.org/a"], 3);
    }

    fn error_of(text: &str) -> JudgmentsError {
        Judgments::from_toml(text).unwrap_err()
    }

    #[test]
    fn unknown_keys_are_rejected_naming_the_query() {
        let error = error_of(&GOOD.replace("lang = \"en\"", "lang = \"en\"\ngrade = 2"));
        assert_eq!(error.query.as_deref(), Some("en-x"));
        assert!(error.message.contains("grade"), "{error}");
        let error = error_of(&format!("title = \"set\"\n{GOOD}"));
        assert_eq!(error.query, None);
        assert!(error.message.contains("title"), "{error}");
    }

    #[test]
    fn bad_values_are_rejected_naming_the_query() {
        for (from, to, needle) in [
            ("lang = \"en\"", "lang = \"de\"", "de"),
            ("= 3", "= 4", "grade 4"),
            ("= 3", "= 0", "graded 1 or more"),
            ("\"https://example.org/a\"", "\"example.org/a\"", "not a URL"),
            ("text = \"x\"", "text = \" \"", "text is empty"),
            ("cross_lingual = false\n", "", "cross_lingual"),
        ] {
            let error = error_of(&GOOD.replace(from, to));
            assert_eq!(error.query.as_deref(), Some("en-x"), "{from} -> {to}: {error}");
            assert!(error.to_string().contains(needle), "{from} -> {to}: {error}");
        }
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let error = error_of(&format!("{GOOD}{GOOD}"));
        assert_eq!(error.query.as_deref(), Some("en-x"));
        assert!(error.message.contains("earlier"), "{error}");
    }

    #[test]
    fn a_query_without_id_is_named_by_position() {
        let error = error_of(&GOOD.replace("id = \"en-x\"\n", ""));
        assert_eq!(error.query.as_deref(), Some("#1"));
    }
}
