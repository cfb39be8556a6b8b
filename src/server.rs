//! The HTTP face: a JSON API for other tools and a page for people.
//!
//! Every error leaves through [`ApiError`], with a stable JSON body
//! `{"error": {"code", "message"}}`; internal details are logged, not sent.

use std::time::Instant;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use index::{Facets, Hit, SearchIndex};
use serde::Serialize;
use serde_json::json;

use crate::params::{ParamError, SearchParams};

/// Shared by all handlers; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub index: SearchIndex,
}

/// The whole router: API, health check and the search page.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(crate::web::router())
        .route("/api/search", get(search))
        .route("/api/documents/{id}", get(document))
        .route("/healthz", get(health))
        .fallback(not_found)
        .with_state(state)
}

/// The one place errors become HTTP responses.
#[derive(Debug)]
pub enum ApiError {
    /// The caller sent a bad parameter (400).
    InvalidParameter(ParamError),
    /// No such document or route (404).
    NotFound(String),
    /// Our fault (500); the detail is logged only.
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, parameter) = match self {
            ApiError::InvalidParameter(e) => (
                StatusCode::BAD_REQUEST,
                "invalid_parameter",
                e.to_string(),
                Some(e.parameter),
            ),
            ApiError::NotFound(what) => (StatusCode::NOT_FOUND, "not_found", what, None),
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error, see the server log".into(),
                    None,
                )
            }
        };
        let mut error = json!({ "code": code, "message": message });
        if let Some(parameter) = parameter {
            error["parameter"] = json!(parameter);
        }
        (status, Json(json!({ "error": error }))).into_response()
    }
}

impl From<ParamError> for ApiError {
    fn from(e: ParamError) -> Self {
        ApiError::InvalidParameter(e)
    }
}

impl From<index::Error> for ApiError {
    fn from(e: index::Error) -> Self {
        match e {
            index::Error::InvalidRequest(message) => ApiError::InvalidParameter(ParamError {
                parameter: "request".into(),
                message,
            }),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// The search response: the query echoed, the page of hits and facet counts
/// over the whole result set.
#[derive(Serialize)]
pub struct SearchResponse {
    pub query: String,
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub took_ms: f64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// Query terms that named a thesaurus concept, and the terms of other
    /// languages searched for them (`expand=false` turns this off).
    pub expansions: Vec<index::Expansion>,
}

async fn search(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResponse>, ApiError> {
    let started = Instant::now();
    let raw = raw.unwrap_or_default();
    let params = SearchParams::from_pairs(
        url::form_urlencoded::parse(raw.as_bytes()).map(|(k, v)| (k, v.into_owned())),
    )?;
    let request = params.validate()?;
    let index = state.index.clone();
    let (request, results) = tokio::task::spawn_blocking(move || {
        let results = index.search(&request);
        (request, results)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("search task: {e}")))?;
    let results = results?;
    Ok(Json(SearchResponse {
        query: request.query,
        total: results.total,
        page: request.page,
        per_page: request.per_page,
        took_ms: (started.elapsed().as_secs_f64() * 1000.0 * 100.0).round() / 100.0,
        hits: results.hits,
        facets: results.facets,
        expansions: results.expansions,
    }))
}

async fn document(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let valid = !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric());
    if !valid {
        return Err(ApiError::NotFound(format!("no document with id `{id}`")));
    }
    let index = state.index.clone();
    let lookup = id.clone();
    let found = tokio::task::spawn_blocking(move || index.get(&lookup))
        .await
        .map_err(|e| ApiError::Internal(format!("lookup task: {e}")))??;
    match found {
        Some(document) => Ok(Json(document).into_response()),
        None => Err(ApiError::NotFound(format!("no document with id `{id}`"))),
    }
}

async fn health(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(json!({ "status": "ok", "documents": state.index.num_docs() }))
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route; see / and /api/search".into())
}
