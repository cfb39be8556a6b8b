//! Search parameters as users give them (query string or CLI flags), checked
//! and turned into an [`index::SearchRequest`]. One place, so the API and
//! the CLI accept and refuse exactly the same things.

use chrono::NaiveDate;
use index::{Filters, SearchRequest, Sort};

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
pub const MAX_PER_PAGE: usize = 100;
pub const DEFAULT_PER_PAGE: usize = 20;
/// Deep pages cost as much as all the pages before them.
pub const MAX_PAGE: usize = 500;
/// Values listed per facet: default and largest accepted.
pub const DEFAULT_FACET_SIZE: usize = index::DEFAULT_FACET_SIZE;
pub const MAX_FACET_SIZE: usize = 100;

/// Values of the facets whose vocabulary is closed: anything else is a typo.
pub const LANGUAGES: &[&str] = &["fr", "nl", "en", "de"];
pub const SOURCES: &[&str] = &["emn-belgium", "fedasil", "immigration-office", "media4cohesion"];
pub const TYPES: &[&str] = &["news", "publication", "event", "project", "press-release", "page"];

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
    pub theme: Vec<String>,
    pub organisation: Vec<String>,
    pub year: Vec<String>,
    pub language: Vec<String>,
    pub source: Vec<String>,
    pub doc_type: Vec<String>,
    pub keyword: Vec<String>,
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
                "theme" => params.theme.push(value),
                "organisation" | "organization" => params.organisation.push(value),
                "year" => params.year.push(value),
                "language" => params.language.push(value),
                "source" => params.source.push(value),
                "type" => params.doc_type.push(value),
                "keyword" => params.keyword.push(value),
                other => {
                    return Err(invalid(
                        other,
                        "unknown parameter; expected q, theme, organisation, year, language, source, type, keyword, from, to, sort, page, per_page, facet_size, expand, fuzzy, decompound, collapse or lang",
                    ));
                }
            }
        }
        Ok(params)
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
        let year = self
            .year
            .iter()
            .map(|y| match y.trim().parse::<i32>() {
                Ok(year) if (1900..=2100).contains(&year) => Ok(year),
                _ => Err(invalid("year", format!("`{y}` is not a year (e.g. 2020)"))),
            })
            .collect::<Result<Vec<_>, _>>()?;
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
        let clean = |values: &[String]| -> Vec<String> {
            values
                .iter()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect()
        };
        let expand = switch("expand", self.expand.as_deref(), true)?;
        let fuzzy = switch("fuzzy", self.fuzzy.as_deref(), true)?;
        let decompound = switch("decompound", self.decompound.as_deref(), true)?;
        let collapse = switch("collapse", self.collapse.as_deref(), true)?;
        let closed = |name: &str, values: &[String], allowed: &[&str]| -> Result<Vec<String>, ParamError> {
            clean(values)
                .into_iter()
                .map(|v| v.to_ascii_lowercase())
                .map(|v| match allowed.contains(&v.as_str()) {
                    true => Ok(v),
                    false => Err(invalid(
                        name,
                        format!("`{v}` is not one of {}", allowed.join(", ")),
                    )),
                })
                .collect()
        };
        // One value at most (`single`): the first, if any, once checked.
        let prefer_language = closed("lang", self.lang.as_slice(), LANGUAGES)?
            .into_iter()
            .next();
        Ok(SearchRequest {
            query: query.trim().to_owned(),
            filters: Filters {
                theme: clean(&self.theme),
                organisation: clean(&self.organisation),
                year,
                language: closed("language", &self.language, LANGUAGES)?,
                source: closed("source", &self.source, SOURCES)?,
                doc_type: closed("type", &self.doc_type, TYPES)?,
                keyword: clean(&self.keyword),
            },
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
        })
    }
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
        assert_eq!(request.filters.theme, vec!["Asylum", "Return & Readmission"]);
        assert_eq!(request.filters.year, vec![2020]);
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
        assert_eq!(request.filters.keyword, ["AMIF", "policy event"]);
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
        assert_eq!(request.filters.language, ["fr"]);
        assert_eq!(request.filters.doc_type, ["press-release"]);
    }
}
