//! The HTTP face: the JSON API ([`crate::api`]) for other tools, the page
//! ([`crate::web`]) for people, and the middleware around both.
//!
//! The API routes live in one table ([`documented_routes`]) that builds the
//! router and that the OpenAPI test compares with the description, so a
//! route cannot be added undocumented.

use std::sync::Arc;

use axum::handler::Handler;
use axum::http::{Method, StatusCode, header};
use axum::routing::{MethodFilter, MethodRouter, on};
use axum::{Json, Router, middleware};
use index::SearchIndex;
use serde::Serialize;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::ToSchema;

pub use crate::api::ApiError;
use crate::api::metrics::Metrics;
use crate::api::{self, MAX_BODY_BYTES, REQUEST_TIMEOUT, documents, export, search, stats};
use crate::data::DataDir;

/// Shared by all handlers; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub index: SearchIndex,
    /// Where the archive and the crawl records are; without it the
    /// archived copies are 404 and no last crawl is known.
    pub data: Option<DataDir>,
    pub(crate) metrics: Arc<Metrics>,
}

impl AppState {
    /// Serves `index` alone.
    pub fn new(index: SearchIndex) -> AppState {
        AppState {
            index,
            data: None,
            metrics: Arc::default(),
        }
    }

    /// Also serves what the data directory holds besides the index.
    pub fn with_data(mut self, data: DataDir) -> AppState {
        self.data = Some(data);
        self
    }
}

/// One API route.
struct Route {
    method: Method,
    path: &'static str,
    handler: MethodRouter<AppState>,
}

fn route<H, T>(method: Method, path: &'static str, handler: H) -> Route
where
    H: Handler<T, AppState>,
    T: 'static,
{
    let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
    Route {
        method,
        path,
        handler: on(filter, handler),
    }
}

/// Every API route, the single list the router and the OpenAPI test use.
fn routes() -> Vec<Route> {
    vec![
        route(Method::GET, "/api/search", search::search),
        route(Method::POST, "/api/search", search::search_post),
        route(Method::GET, "/api/search.json", search::search_json),
        route(Method::GET, "/api/search.csv", export::search_csv),
        route(Method::GET, "/api/search.atom", export::search_atom),
        route(Method::GET, "/api/facets", search::facet_list),
        route(Method::GET, "/api/facets/{name}", search::facet_values),
        route(Method::GET, "/api/documents/{id}", documents::document),
        route(Method::GET, "/api/documents/{id}/similar", documents::similar),
        route(Method::GET, "/api/documents/{id}/archived", documents::archived),
        route(Method::GET, "/api/stats", stats::stats),
        route(Method::GET, "/api/openapi.json", api::openapi::openapi),
        route(Method::GET, "/metrics", api::metrics::metrics),
        route(Method::GET, "/healthz", health),
    ]
}

/// Method and path of every API route (the page's routes aside).
pub fn documented_routes() -> Vec<(Method, &'static str)> {
    routes().into_iter().map(|r| (r.method, r.path)).collect()
}

/// The whole router: API, health check, metrics and the search page, with
/// compression, CORS, limits and metrics around every route.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for Route { path, handler, .. } in routes() {
        // Two methods of one path merge into one method router.
        router = router.route(path, handler);
    }
    // Searching is read-only, so any site may call it, POST included.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::IF_NONE_MATCH])
        .expose_headers([header::ETAG, header::CONTENT_DISPOSITION]);
    // Innermost first; `Router::layer` wraps each route, so the metrics
    // see the matched route template.
    router
        .merge(crate::web::router())
        .fallback(not_found)
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(api::error::json_errors))
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(middleware::from_fn_with_state(state.clone(), api::metrics::track))
        .with_state(state)
}

/// The health check's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the server answers.
    pub status: String,
    /// Entries in the index (documents and passages).
    pub documents: u64,
}

/// Whether the server is up, and how many entries its index has.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "service",
    responses((status = 200, description = "The server is up", body = Health))
)]
pub async fn health(axum::extract::State(state): axum::extract::State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        documents: state.index.num_docs(),
    })
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such route; see / and /api/openapi.json".into())
}
