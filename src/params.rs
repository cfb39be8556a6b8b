//! Search parameters as users give them (query string or CLI flags), checked
//! and turned into an [`index::SearchRequest`]. One place, so the API and
//! the CLI accept and refuse exactly the same things.

use std::sync::OnceLock;

use chrono::NaiveDate;
use index::{FACETS, FacetDef, Filters, SearchRequest, Sort, Vocabulary};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
pub const MAX_PER_PAGE: usize = 100;
pub const DEFAULT_PER_PAGE: usize = 20;
/// Deep pages cost as much as all the pages before them.
pub const MAX_PAGE: usize = 500;
/// Values listed per facet: default and largest accepted.
pub const DEFAULT_FACET_SIZE: usize = index::DEFAULT_FACET_SIZE;
pub const MAX_FACET_SIZE: usize = 100;

/// Languages `lang` accepts: the `language` facet's.
pub const LANGUAGES: &[&str] = &["fr", "nl", "en", "de"];

/// The parameters besides the facets, in the order the unknown-parameter
/// message lists them (the facets come after `q`).
const OTHER_PARAMETERS: &[&str] = &[
    "from",
    "to",
    "sort",
    "page",
    "per_page",
    "facet_size",
    "snippets",
    "disjunctive",
    "expand",
    "fuzzy",
    "decompound",
    "collapse",
    "lang",
];

/// The ids of the configured sources: the values the `source` facet (a
/// [`Vocabulary::Configured`] one) accepts.
pub fn configured_sources() -> &'static [String] {
    static IDS: OnceLock<Vec<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        let sources = crawler::CrawlConfig::default().sources;
        sources.into_iter().map(|source| source.id).collect()
    })
}

/// The values a facet filter accepts, when they are a closed list.
pub fn closed_values(facet: &FacetDef) -> Option<Vec<&'static str>> {
    match facet.vocabulary {
        Vocabulary::Open => None,
        Vocabulary::Closed(values) => Some(values.to_vec()),
        Vocabulary::Configured => Some(configured_sources().iter().map(String::as_str).collect()),
    }
}

/// A parameter the caller got wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub parameter: String,
    pub message: String,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.parameter, self.message)
    }
}

impl std::error::Error for ParamError {}

fn invalid(parameter: &str, message: impl Into<String>) -> ParamError {
    ParamError {
        parameter: parameter.to_owned(),
        message: message.into(),
    }
}

/// Raw, unchecked parameters.
#[derive(Debug, Default, Clone)]
pub struct SearchParams {
    pub q: Option<String>,
    /// Values per facet, in [`FACETS`] order (see [`SearchParams::facet`]).
    pub facets: Vec<Vec<String>>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
    pub expand: Option<String>,
    pub fuzzy: Option<String>,
    pub decompound: Option<String>,
    pub collapse: Option<String>,
    /// Preferred language of collapsed hits (`lang`), not a filter.
    pub lang: Option<String>,
    pub facet_size: Option<String>,
    pub snippets: Option<String>,
    pub disjunctive: Option<String>,
}

impl SearchParams {
    /// Collects parameters from `key=value` pairs; unknown keys are refused
    /// so that a typo (`thme=Asylum`) is not silently ignored.
    pub fn from_pairs<I, K, V>(pairs: I) -> Result<SearchParams, ParamError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: Into<String>,
    {
        let mut params = SearchParams::default();
        for (key, value) in pairs {
            let value: String = value.into();
            let single = |slot: &mut Option<String>, name: &str| single(slot, name, value.clone());
            match key.as_ref() {
                "q" => single(&mut params.q, "q")?,
                "from" => single(&mut params.from, "from")?,
                "to" => single(&mut params.to, "to")?,
                "sort" => single(&mut params.sort, "sort")?,
                "page" => single(&mut params.page, "page")?,
                "per_page" => single(&mut params.per_page, "per_page")?,
                "expand" => single(&mut params.expand, "expand")?,
                "fuzzy" => single(&mut params.fuzzy, "fuzzy")?,
                "decompound" => single(&mut params.decompound, "decompound")?,
                "collapse" => single(&mut params.collapse, "collapse")?,
                "lang" => single(&mut params.lang, "lang")?,
                "facet_size" => single(&mut params.facet_size, "facet_size")?,
                "snippets" => single(&mut params.snippets, "snippets")?,
                "disjunctive" => single(&mut params.disjunctive, "disjunctive")?,
                other => match FACETS.iter().position(|facet| facet.answers_to(other)) {
                    Some(at) => params.facet_values(at).push(value),
                    None => return Err(invalid(other, unknown_parameter_message())),
                },
            }
        }
        Ok(params)
    }

    /// The values given for the facet at `at` in [`FACETS`].
    fn facet_values(&mut self, at: usize) -> &mut Vec<String> {
        self.facets.resize(FACETS.len(), Vec::new());
        &mut self.facets[at]
    }

    /// Adds values of the facet `name` (a name or alias of [`FACETS`]);
    /// false for an unknown facet.
    pub fn facet<V: Into<String>>(&mut self, name: &str, values: impl IntoIterator<Item = V>) -> bool {
        let Some(at) = FACETS.iter().position(|facet| facet.answers_to(name)) else {
            return false;
        };
        self.facet_values(at).extend(values.into_iter().map(Into::into));
        true
    }

    /// Checks every parameter and builds the index request.
    pub fn validate(&self) -> Result<SearchRequest, ParamError> {
        let query = self.q.clone().unwrap_or_default();
        let chars = query.chars().count();
        if chars > MAX_QUERY_CHARS {
            return Err(invalid(
                "q",
                format!("{chars} characters; at most {MAX_QUERY_CHARS} allowed"),
            ));
        }
        let from = self.from.as_deref().map(|d| parse_day("from", d)).transpose()?;
        let to = self.to.as_deref().map(|d| parse_day("to", d)).transpose()?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(invalid("from", format!("{from} is after to={to}")));
        }
        let sort = match self.sort.as_deref().map(str::trim) {
            None | Some("") | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(other) => return Err(invalid("sort", format!("`{other}` is not relevance or date"))),
        };
        let page = bounded("page", self.page.as_deref(), 1, 1, MAX_PAGE)?;
        let per_page = bounded(
            "per_page",
            self.per_page.as_deref(),
            DEFAULT_PER_PAGE,
            1,
            MAX_PER_PAGE,
        )?;
        let facet_size = bounded(
            "facet_size",
            self.facet_size.as_deref(),
            DEFAULT_FACET_SIZE,
            1,
            MAX_FACET_SIZE,
        )?;
        let snippets = bounded(
            "snippets",
            self.snippets.as_deref(),
            index::MAX_SNIPPETS,
            0,
            index::MAX_SNIPPETS,
        )?;
        let disjunctive = switch("disjunctive", self.disjunctive.as_deref(), true)?;
        let expand = switch("expand", self.expand.as_deref(), true)?;
        let fuzzy = switch("fuzzy", self.fuzzy.as_deref(), true)?;
        let decompound = switch("decompound", self.decompound.as_deref(), true)?;
        let collapse = switch("collapse", self.collapse.as_deref(), true)?;
        // One value at most (`single`): the first, if any, once checked.
        let prefer_language = match self.lang.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(lang) => match LANGUAGES.contains(&lang.to_ascii_lowercase().as_str()) {
                true => Some(lang.to_ascii_lowercase()),
                false => {
                    let message = format!(
                        "`{}` is not one of {}",
                        lang.to_ascii_lowercase(),
                        LANGUAGES.join(", ")
                    );
                    return Err(invalid("lang", message));
                }
            },
        };
        let mut filters = Filters::default();
        for (at, facet) in FACETS.iter().enumerate() {
            let configured = closed_values(facet).unwrap_or_default();
            let mut values = Vec::new();
            for value in self.facets.get(at).into_iter().flatten() {
                match facet.check(value, &configured) {
                    Ok(clean) => values.extend(clean),
                    Err(message) => return Err(invalid(facet.name, message)),
                }
            }
            if !values.is_empty() {
                // The name is the table's own.
                let _ = filters.set(facet.name, values);
            }
        }
        Ok(SearchRequest {
            query: query.trim().to_owned(),
            filters,
            from,
            to,
            sort,
            page,
            per_page,
            expand,
            fuzzy,
            decompound,
            collapse,
            prefer_language,
            facet_size,
            snippets,
            disjunctive,
        })
    }
}

/// What an unknown parameter is told: every parameter, the facets in
/// table order after `q`.
fn unknown_parameter_message() -> String {
    let names: Vec<&str> = std::iter::once("q")
        .chain(FACETS.iter().map(|facet| facet.name))
        .chain(OTHER_PARAMETERS.iter().copied())
        .collect();
    let (last, rest) = names.split_last().unwrap_or((&"q", &[]));
    format!("unknown parameter; expected {} or {last}", rest.join(", "))
}

/// Stores the value of a parameter that may be given once.
pub(crate) fn single(slot: &mut Option<String>, name: &str, value: String) -> Result<(), ParamError> {
    if slot.is_some() {
        return Err(invalid(name, "given more than once"));
    }
    *slot = Some(value);
    Ok(())
}

/// A switch: `true`/`1` or `false`/`0`; `default` when absent or empty.
pub(crate) fn switch(name: &str, value: Option<&str>, default: bool) -> Result<bool, ParamError> {
    match value.map(str::trim) {
        None | Some("") => Ok(default),
        Some("true") | Some("1") => Ok(true),
        Some("false") | Some("0") => Ok(false),
        Some(other) => Err(invalid(name, format!("`{other}` is not true or false"))),
    }
}

fn parse_day(name: &str, value: &str) -> Result<NaiveDate, ParamError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(name, format!("`{value}` is not a date in the form YYYY-MM-DD")))
}

/// A whole number from `min` to `max`; `default` when absent.
pub(crate) fn bounded(
    name: &str,
    value: Option<&str>,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ParamError> {
    let Some(value) = value else { return Ok(default) };
    match value.trim().parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(invalid(
            name,
            format!("`{value}` must be a whole number from {min} to {max}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pairs: &[(&str, &str)]) -> Result<SearchRequest, ParamError> {
        SearchParams::from_pairs(pairs.iter().map(|(k, v)| (*k, v.to_string())))?.validate()
    }

    fn error_parameter(pairs: &[(&str, &str)]) -> String {
        check(pairs).unwrap_err().parameter
    }

    #[test]
    fn defaults() {
        let request = check(&[]).unwrap();
        assert_eq!((request.page, request.per_page), (1, DEFAULT_PER_PAGE));
        assert!(matches!(request.sort, Sort::Relevance));
        assert!(request.query.is_empty());
    }

    #[test]
    fn repeated_facets_are_kept() {
        let request = check(&[
            ("theme", "Asylum"),
            ("theme", "Return & Readmission"),
            ("year", "2020"),
        ])
        .unwrap();
        assert_eq!(request.filters["theme"], vec!["Asylum", "Return & Readmission"]);
        assert_eq!(request.filters["year"], ["2020"]);
    }

    #[test]
    fn bad_values_name_their_parameter() {
        assert_eq!(error_parameter(&[("per_page", "1000")]), "per_page");
        assert_eq!(error_parameter(&[("per_page", "0")]), "per_page");
        assert_eq!(error_parameter(&[("page", "0")]), "page");
        assert_eq!(error_parameter(&[("year", "abc")]), "year");
        assert_eq!(error_parameter(&[("from", "2024-13-01")]), "from");
        assert_eq!(
            error_parameter(&[("from", "2024-05-01"), ("to", "2024-01-01")]),
            "from"
        );
        assert_eq!(error_parameter(&[("sort", "popular")]), "sort");
        assert_eq!(error_parameter(&[("q", &"a".repeat(10_000))]), "q");
        assert_eq!(error_parameter(&[("thme", "Asylum")]), "thme");
        assert_eq!(error_parameter(&[("q", "a"), ("q", "b")]), "q");
        assert_eq!(error_parameter(&[("type", "news-item")]), "type");
        assert_eq!(error_parameter(&[("expand", "maybe")]), "expand");
        assert_eq!(error_parameter(&[("fuzzy", "yes")]), "fuzzy");
        assert_eq!(error_parameter(&[("language", "es")]), "language");
        assert_eq!(error_parameter(&[("source", "fedasil.be")]), "source");
        assert_eq!(error_parameter(&[("facet_size", "0")]), "facet_size");
        assert_eq!(error_parameter(&[("facet_size", "101")]), "facet_size");
        assert_eq!(error_parameter(&[("facet_size", "ten")]), "facet_size");
        assert_eq!(
            error_parameter(&[("facet_size", "5"), ("facet_size", "6")]),
            "facet_size"
        );
    }

    #[test]
    fn keywords_repeat_and_facet_size_is_bounded() {
        let request = check(&[
            ("keyword", "AMIF"),
            ("keyword", " policy event "),
            ("keyword", " "),
        ])
        .unwrap();
        assert_eq!(request.filters["keyword"], ["AMIF", "policy event"]);
        assert_eq!(request.facet_size, DEFAULT_FACET_SIZE);
        assert_eq!(check(&[("facet_size", "100")]).unwrap().facet_size, 100);
        assert_eq!(check(&[("facet_size", "1")]).unwrap().facet_size, 1);
        let unknown = check(&[("keywords", "AMIF")]).unwrap_err();
        assert!(unknown.message.contains("keyword,"), "{}", unknown.message);
        assert!(unknown.message.contains("facet_size"), "{}", unknown.message);
    }

    #[test]
    fn closed_facets_accept_any_case() {
        let request = check(&[
            ("language", "FR"),
            ("type", "Press-Release"),
            ("source", "fedasil"),
        ])
        .unwrap();
        assert_eq!(request.filters["language"], ["fr"]);
        assert_eq!(request.filters["type"], ["press-release"]);
        assert_eq!(request.filters["source"], ["fedasil"]);
    }

    #[test]
    fn sources_are_the_configured_ones() {
        let ids: Vec<String> = crawler::CrawlConfig::default()
            .sources
            .into_iter()
            .map(|source| source.id)
            .collect();
        assert_eq!(configured_sources(), ids);
        for id in &ids {
            assert!(check(&[("source", id)]).is_ok(), "{id}");
        }
    }

    #[test]
    fn aliases_and_the_benchmark_switches() {
        let request = check(&[
            ("organization", "CGRS"),
            ("snippets", "0"),
            ("disjunctive", "false"),
        ])
        .unwrap();
        assert_eq!(request.filters["organisation"], ["CGRS"]);
        assert_eq!((request.snippets, request.disjunctive), (0, false));
        let defaults = check(&[]).unwrap();
        assert_eq!(
            (defaults.snippets, defaults.disjunctive),
            (index::MAX_SNIPPETS, true)
        );
        assert_eq!(error_parameter(&[("snippets", "4")]), "snippets");
        assert_eq!(error_parameter(&[("disjunctive", "maybe")]), "disjunctive");
        let unknown = check(&[("thme", "Asylum")]).unwrap_err().message;
        for facet in FACETS {
            assert!(unknown.contains(facet.name), "{unknown}");
        }
    }
}
