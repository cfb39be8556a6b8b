//! Searching: `GET`/`POST /api/search`, `/api/search.json` (with `all=true`
//! every hit up to [`index::MAX_EXPORT`]) and facet value lookup.
//!
//! Every entry point turns its input into `key=value` pairs and goes through
//! [`SearchParams::from_pairs`], so they accept and refuse the same things.

use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use index::{FacetCount, Hit, SearchRequest};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

pub use super::parameters::SearchQuery;
use super::{ApiError, blocking};
use crate::params::{ParamError, SearchParams, bounded, closed_values, single, switch};
use crate::server::AppState;

/// The search response: the query echoed, the page of hits and facet counts
/// over the whole result set.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The query, trimmed.
    pub query: String,
    /// Number of hits (translations counted once when collapsed).
    pub total: usize,
    /// The page returned, from 1.
    pub page: usize,
    /// Hits per page (for `all=true`: the export limit).
    pub per_page: usize,
    /// Time spent, in milliseconds.
    pub took_ms: f64,
    /// The hits of the page.
    pub hits: Vec<Hit>,
    /// Counts per facet value over all matching documents.
    pub facets: index::Facets,
    /// Query terms that named a thesaurus concept, and the terms of other
    /// languages searched for them (`expand=false` turns this off).
    pub expansions: Vec<index::Expansion>,
}

/// `all=true` on `search.json`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Documentation only; parsed with the search parameters.
pub struct ExportQuery {
    /// Every hit (up to 10,000) on one page instead of one page of them.
    all: Option<bool>,
}

/// The decoded pairs of a query string.
pub(crate) fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

/// Removes `name` from the pairs and reads it as a switch, off by default.
pub(crate) fn take_switch(pairs: &mut Vec<(String, String)>, name: &str) -> Result<bool, ParamError> {
    let mut value = None;
    let mut given = Ok(());
    pairs.retain(|(key, text)| {
        if key != name {
            return true;
        }
        if given.is_ok() {
            given = single(&mut value, name, text.clone());
        }
        false
    });
    given?;
    switch(name, value.as_deref(), false)
}

/// Checks the pairs into an index request.
pub(crate) fn request_from(pairs: Vec<(String, String)>) -> Result<SearchRequest, ParamError> {
    SearchParams::from_pairs(pairs)?.validate()
}

/// A JSON body as the pairs a query string would give: strings, numbers and
/// booleans as they print, arrays as a repeated key, `null` as absent.
pub fn body_pairs(body: &[u8]) -> Result<Vec<(String, String)>, ParamError> {
    let invalid = |parameter: &str, message: String| ParamError {
        parameter: parameter.to_owned(),
        message,
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let value: Value =
        serde_json::from_slice(body).map_err(|e| invalid("body", format!("not valid JSON: {e}")))?;
    let Value::Object(object) = value else {
        return Err(invalid(
            "body",
            "must be a JSON object of search parameters, e.g. {\"q\": \"asile\"}".into(),
        ));
    };
    let scalar = |key: &str, value: &Value| -> Result<Option<String>, ParamError> {
        match value {
            Value::Null => Ok(None),
            Value::String(text) => Ok(Some(text.clone())),
            Value::Number(number) => Ok(Some(number.to_string())),
            Value::Bool(switch) => Ok(Some(switch.to_string())),
            Value::Array(_) | Value::Object(_) => Err(invalid(
                key,
                "must be a string, number, boolean, or an array of those".into(),
            )),
        }
    };
    let mut pairs = Vec::new();
    for (key, value) in &object {
        let values = match value {
            Value::Array(items) => items.iter().collect(),
            single => vec![single],
        };
        for value in values {
            if let Some(text) = scalar(key, value)? {
                pairs.push((key.clone(), text));
            }
        }
    }
    Ok(pairs)
}

async fn run_search(state: &AppState, request: SearchRequest, all: bool) -> Result<SearchResponse, ApiError> {
    let started = Instant::now();
    let index = state.index.clone();
    let (request, results) = blocking(move || {
        let results = match all {
            true => index.export(&request, index::MAX_EXPORT),
            false => index.search(&request),
        };
        (request, results)
    })
    .await?;
    let results = results?;
    let (page, per_page) = match all {
        true => (1, index::MAX_EXPORT),
        false => (request.page, request.per_page),
    };
    Ok(SearchResponse {
        query: request.query,
        total: results.total,
        page,
        per_page,
        took_ms: (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
        hits: results.hits,
        facets: results.facets,
        expansions: results.expansions,
    })
}

/// How long shared caches may keep a search response.
const CACHE_CONTROL: &str = "public, max-age=60";

/// Feeds serialized JSON straight into the hash, so that hashing needs no
/// buffer the size of the body.
struct HashWriter(xxhash_rust::xxh3::Xxh3);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A search response with a validator: `ETag` from the hash of everything
/// but `took_ms`, and 304 without a body when the client has it already.
///
/// The tag is weak (`W/`): equal results differ in `took_ms` and, once
/// compressed, in bytes, so byte-for-byte (strong) equality would never hold.
///
/// The body is serialized once, to the bytes sent (and not at all for a
/// 304). The hash cannot be taken over those bytes, which hold `took_ms`:
/// it streams a serialization of the other fields into the hasher, which
/// allocates nothing, rather than cutting `took_ms` out of the bytes, which
/// would depend on how serde_json lays out the fields.
fn cached(headers: &HeaderMap, response: &SearchResponse) -> Result<Response, ApiError> {
    let stable = (
        &response.query,
        response.total,
        response.page,
        response.per_page,
        &response.hits,
        &response.facets,
        &response.expansions,
    );
    let mut hasher = HashWriter(xxhash_rust::xxh3::Xxh3::new());
    serde_json::to_writer(&mut hasher, &stable)
        .map_err(|e| ApiError::Internal(format!("hashing the response: {e}")))?;
    let etag = format!("W/\"{:032x}\"", hasher.0.digest128());
    let validators = [
        (
            header::ETAG,
            HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\"")),
        ),
        (header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL)),
    ];
    if super::etag_matches(headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, validators).into_response());
    }
    let body = serde_json::to_vec(response)
        .map_err(|e| ApiError::Internal(format!("serializing the response: {e}")))?;
    let content_type = [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))];
    Ok((validators, content_type, body).into_response())
}

/// One page of hits with facet counts.
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, description = "One page of hits; `ETag` and `Cache-Control: public, max-age=60`", body = SearchResponse),
        (status = 304, description = "`If-None-Match` matched the `ETag`: the client's copy is current"),
        (status = 400, description = "A parameter is invalid; `parameter` names it", body = super::ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let request = request_from(query_pairs(raw.as_deref()))?;
    let response = run_search(&state, request, false).await?;
    cached(&headers, &response)
}

/// The same search with its parameters in a JSON body: strings, numbers,
/// booleans, arrays for repeatable ones.
#[utoipa::path(
    post,
    path = "/api/search",
    tag = "search",
    request_body(content = SearchQuery, content_type = "application/json",
        description = "The parameters of `GET /api/search` as a JSON object, e.g. `{\"q\": \"asile\", \"year\": [2023, 2024]}`"),
    responses(
        (status = 200, description = "One page of hits", body = SearchResponse),
        (status = 400, description = "Malformed body (`parameter`: `body`) or an invalid parameter", body = super::ErrorBody),
        (status = 413, description = "Body larger than 64 KiB", body = super::ErrorBody),
    )
)]
pub async fn search_post(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Json<SearchResponse>, ApiError> {
    let request = request_from(body_pairs(&body)?)?;
    Ok(Json(run_search(&state, request, false).await?))
}

/// The search as JSON: one page, or with `all=true` every hit (up to
/// 10,000) at once.
#[utoipa::path(
    get,
    path = "/api/search.json",
    tag = "export",
    params(SearchQuery, ExportQuery),
    responses(
        (status = 200, description = "The hits; `ETag` and `Cache-Control` as for `/api/search`", body = SearchResponse),
        (status = 304, description = "`If-None-Match` matched the `ETag`"),
        (status = 400, description = "A parameter is invalid", body = super::ErrorBody),
    )
)]
pub async fn search_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut pairs = query_pairs(raw.as_deref());
    let all = take_switch(&mut pairs, "all")?;
    let request = request_from(pairs)?;
    let response = run_search(&state, request, all).await?;
    cached(&headers, &response)
}

/// What a client needs to know of one facet to offer it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetInfo {
    /// The search parameter, and the key of its list in a response's `facets`.
    pub name: String,
    /// Other parameter names accepted for it.
    pub aliases: Vec<String>,
    /// One line saying what it is.
    pub description: String,
    /// Its name in English, French and Dutch.
    pub labels: FacetLabels,
    /// The values a filter accepts, when they are a closed list.
    pub values: Option<Vec<String>>,
    /// `year` (values are years, listed ascending) or `text`.
    pub kind: String,
    /// Too many values to list them all: find them by prefix with
    /// `/api/facets/{name}`.
    pub many_values: bool,
}

/// A facet's labels.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetLabels {
    pub en: String,
    pub fr: String,
    pub nl: String,
}

/// The facets, in the order of a response's `facets`.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetList {
    pub facets: Vec<FacetInfo>,
}

/// Every facet the search counts and filters on, in order, with what a
/// client needs to offer it.
#[utoipa::path(
    get,
    path = "/api/facets",
    tag = "search",
    responses((status = 200, description = "The facets, in the order of a response's `facets`", body = FacetList))
)]
pub async fn facet_list() -> Json<FacetList> {
    let facets = index::FACETS.iter().map(|facet| FacetInfo {
        name: facet.name.to_owned(),
        aliases: facet.aliases.iter().map(|alias| (*alias).to_owned()).collect(),
        description: facet.description.to_owned(),
        labels: FacetLabels {
            en: facet.labels.en.to_owned(),
            fr: facet.labels.fr.to_owned(),
            nl: facet.labels.nl.to_owned(),
        },
        values: closed_values(facet).map(|values| values.iter().map(|v| (*v).to_owned()).collect()),
        kind: match facet.kind {
            index::ValueKind::Year => "year".to_owned(),
            index::ValueKind::Text => "text".to_owned(),
        },
        many_values: facet.many_values,
    });
    Json(FacetList {
        facets: facets.collect(),
    })
}

/// Most values one facet lookup returns.
pub const MAX_FACET_VALUES: usize = 100;

/// `prefix` and `limit` of a facet lookup.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Documentation only; parsed by hand to name bad parameters.
pub struct FacetQuery {
    /// Only values starting with this, ignoring case and accents (e.g. `cai`).
    prefix: Option<String>,
    /// Most values returned, 1 to 100 (default 10).
    limit: Option<usize>,
}

/// The values of one facet.
#[derive(Debug, Serialize, ToSchema)]
pub struct FacetValues {
    /// The facet.
    pub facet: String,
    /// The prefix asked for (empty: every value).
    pub prefix: String,
    /// Values with their number of documents, most frequent first.
    pub values: Vec<FacetCount>,
}

/// Reads the only parameters an endpoint takes, refusing others and repeats.
pub(crate) fn known_pairs<'a>(
    pairs: &'a [(String, String)],
    known: &[&str],
) -> Result<Vec<Option<&'a str>>, ParamError> {
    let mut values = vec![None; known.len()];
    for (key, value) in pairs {
        let Some(slot) = known.iter().position(|k| k == key) else {
            return Err(ParamError {
                parameter: key.clone(),
                message: format!("unknown parameter; expected {}", known.join(" or ")),
            });
        };
        if values[slot].replace(value.as_str()).is_some() {
            return Err(ParamError {
                parameter: key.clone(),
                message: "given more than once".into(),
            });
        }
    }
    Ok(values)
}

/// Values of one facet matching a prefix, for autocompletion, counted in
/// the results of the search the other parameters describe (no other
/// parameter: every document), as the search's own facet lists count them.
#[utoipa::path(
    get,
    path = "/api/facets/{name}",
    tag = "search",
    params(
        ("name" = String, Path, description = "A facet's name, as `GET /api/facets` lists them"),
        FacetQuery,
        SearchQuery,
    ),
    responses(
        (status = 200, description = "The matching values", body = FacetValues),
        (status = 400, description = "Unknown facet (`parameter`: `name`) or bad `limit`", body = super::ErrorBody),
    )
)]
pub async fn facet_values(
    State(state): State<AppState>,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<FacetValues>, ApiError> {
    let (own, search): (Vec<_>, Vec<_>) = query_pairs(raw.as_deref())
        .into_iter()
        .partition(|(key, _)| matches!(key.as_str(), "prefix" | "limit"));
    let [prefix, limit] = known_pairs(&own, &["prefix", "limit"])?[..] else {
        unreachable!("one value per known parameter")
    };
    let prefix = prefix.unwrap_or_default().trim().to_owned();
    let limit = bounded("limit", limit, 10, 1, MAX_FACET_VALUES)?;
    let request = request_from(search)?;
    let index = state.index.clone();
    let (facet, lookup) = (name.clone(), prefix.clone());
    let values = blocking(move || index.facet_values_in(&request, &facet, &lookup, limit))
        .await?
        .map_err(|error| match error {
            // The index knows its facets; the only request error is the name.
            index::Error::InvalidRequest(message) => ApiError::invalid("name", message),
            other => other.into(),
        })?;
    Ok(Json(FacetValues {
        facet: name,
        prefix,
        values,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_values_become_pairs() {
        let mut pairs =
            body_pairs(br#"{"q": "asile", "year": [2023, 2024], "expand": false, "lang": null}"#).unwrap();
        pairs.sort();
        let expected: Vec<(String, String)> = [
            ("expand", "false"),
            ("q", "asile"),
            ("year", "2023"),
            ("year", "2024"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(pairs, expected);
        assert!(body_pairs(b"  ").unwrap().is_empty());
    }

    #[test]
    fn malformed_bodies_name_the_problem() {
        assert_eq!(body_pairs(b"{\"q\": ").unwrap_err().parameter, "body");
        assert_eq!(body_pairs(b"[1, 2]").unwrap_err().parameter, "body");
        assert_eq!(
            body_pairs(br#"{"theme": {"a": 1}}"#).unwrap_err().parameter,
            "theme"
        );
        assert_eq!(
            body_pairs(br#"{"year": [[2020]]}"#).unwrap_err().parameter,
            "year"
        );
    }

    #[test]
    fn switches_are_taken_out() {
        let mut pairs = query_pairs(Some("q=a&all=true"));
        assert!(take_switch(&mut pairs, "all").unwrap());
        assert_eq!(pairs, [("q".to_owned(), "a".to_owned())]);
        let mut pairs = query_pairs(Some("all=maybe"));
        assert_eq!(take_switch(&mut pairs, "all").unwrap_err().parameter, "all");
        let mut pairs = query_pairs(Some("all=true&all=true"));
        let repeated = take_switch(&mut pairs, "all").unwrap_err();
        assert_eq!(repeated.message, "given more than once");
        for off in ["all=", "all=0", "q=a"] {
            assert!(!take_switch(&mut query_pairs(Some(off)), "all").unwrap(), "{off}");
        }
    }

    #[test]
    fn only_known_parameters_once() {
        let pairs = query_pairs(Some("prefix=cai&limit=5"));
        assert_eq!(
            known_pairs(&pairs, &["prefix", "limit"]).unwrap(),
            [Some("cai"), Some("5")]
        );
        let pairs = query_pairs(Some("prefx=cai"));
        assert_eq!(known_pairs(&pairs, &["prefix"]).unwrap_err().parameter, "prefx");
        assert_eq!(
            bounded("limit", Some("0"), 10, 1, 100).unwrap_err().parameter,
            "limit"
        );
        assert_eq!(bounded("limit", None, 10, 1, 100).unwrap(), 10);
    }
}
