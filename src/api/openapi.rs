//! The OpenAPI 3.1 description of the API, generated from the handlers'
//! annotations and served at `/api/openapi.json`.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi;

use super::{documents, export, metrics, search, stats};
use crate::server;

/// The API description; `paths` must list every route of
/// [`server::documented_routes`] (a test checks it).
#[derive(OpenApi)]
#[openapi(
    info(
        title = "migrasearch",
        description = "Search over Belgian and EU migration and asylum policy publications \
                       (EMN Belgium, Fedasil, the Immigration Office, AMIF press releases). \
                       Errors are JSON: `{\"error\": {\"code\", \"message\", \"parameter\"?}}`; \
                       request bodies are limited to 64 KiB (413) and requests to 10 s (503). \
                       Responses are compressed (gzip, br) when asked; GET is open to any origin (CORS)."
    ),
    paths(
        search::search,
        search::search_post,
        search::search_json,
        search::facet_list,
        search::facet_values,
        export::search_csv,
        export::search_atom,
        documents::document,
        documents::similar,
        documents::archived,
        stats::stats,
        server::health,
        metrics::metrics,
        openapi,
    ),
    components(schemas(super::ErrorBody, super::error::ErrorDetail)),
    tags(
        (name = "search", description = "Full-text and faceted search"),
        (name = "export", description = "Every hit as CSV or JSON, the newest as Atom"),
        (name = "documents", description = "One document: stored, similar, archived"),
        (name = "service", description = "Health, statistics, metrics and this description"),
    )
)]
pub struct ApiDoc;

/// This description, as JSON.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "service",
    responses((status = 200, description = "The OpenAPI 3.1 description of the API", content_type = "application/json"))
)]
pub async fn openapi() -> Response {
    static JSON: OnceLock<String> = OnceLock::new();
    let json = JSON.get_or_init(|| ApiDoc::openapi().to_json().unwrap_or_default());
    ([(header::CONTENT_TYPE, "application/json")], json.as_str()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/openapi.json is the description for readers of the repository
    /// (linked from the README); it must be what the server serves.
    #[test]
    fn the_committed_description_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/openapi.json");
        let current = ApiDoc::openapi().to_pretty_json().unwrap_or_default() + "\n";
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(path, &current).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == current,
            "{path} is out of date: run `UPDATE_OPENAPI=1 cargo test -p migrasearch --lib openapi` and commit it"
        );
    }

    #[test]
    fn every_route_is_documented_and_nothing_else() {
        let doc = ApiDoc::openapi();
        let mut documented: Vec<(String, String)> = doc
            .paths
            .paths
            .iter()
            .flat_map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ];
                methods
                    .into_iter()
                    .filter(|(_, present)| *present)
                    .map(|(method, _)| (method.to_owned(), path.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut routed: Vec<(String, String)> = server::documented_routes()
            .into_iter()
            .map(|(method, path)| (method.to_string(), path.to_owned()))
            .collect();
        documented.sort();
        routed.sort();
        assert_eq!(documented, routed);
    }
}
