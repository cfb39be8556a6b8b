//! One document: as indexed, its similar documents, and the page as it was
//! fetched (from the WARC archive in the data directory).

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use index::{Hit, SearchIndex};
use serde::Serialize;
use utoipa::{IntoParams, ToSchema};

use super::search::{known_pairs, query_pairs};
use super::{ApiError, blocking};
use crate::params::bounded;
use crate::server::AppState;

/// Most similar documents one request returns.
pub const MAX_SIMILAR: usize = 100;

/// Ids are 16 hex digits; anything else cannot exist, so it is not looked up.
fn checked_id(id: &str) -> Result<(), ApiError> {
    let valid = !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric());
    match valid {
        true => Ok(()),
        false => Err(no_document(id)),
    }
}

fn no_document(id: &str) -> ApiError {
    ApiError::NotFound(format!("no document with id `{id}`"))
}

/// Looks document `id` up with `find` off the async threads; 404 when
/// there is none.
async fn lookup<T, F>(state: &AppState, id: &str, find: F) -> Result<T, ApiError>
where
    F: FnOnce(&SearchIndex, &str) -> index::Result<Option<T>> + Send + 'static,
    T: Send + 'static,
{
    checked_id(id)?;
    let index = state.index.clone();
    let wanted = id.to_owned();
    blocking(move || find(&index, &wanted))
        .await??
        .ok_or_else(|| no_document(id))
}

async fn stored(state: &AppState, id: &str) -> Result<index::StoredDocument, ApiError> {
    lookup(state, id, |index, id| index.get(id)).await
}

/// The document as it was indexed.
#[utoipa::path(
    get,
    path = "/api/documents/{id}",
    tag = "documents",
    params(("id" = String, Path, description = "Document id (16 hex digits), from a hit")),
    responses(
        (status = 200, description = "The stored document: its fields and text blocks", body = index::StoredDocument),
        (status = 404, description = "No such document", body = super::ErrorBody),
    )
)]
pub async fn document(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    Ok(Json(stored(&state, &id).await?).into_response())
}

/// `limit` of a similar-documents request.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Documentation only; parsed by hand to name bad parameters.
pub struct SimilarQuery {
    /// Most documents returned, 1 to 100 (default 10).
    limit: Option<usize>,
}

/// Documents like one document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Similar {
    /// The document compared with.
    pub id: String,
    /// The most similar documents, most similar first.
    pub hits: Vec<Hit>,
}

/// Documents whose text is most like this one's.
#[utoipa::path(
    get,
    path = "/api/documents/{id}/similar",
    tag = "documents",
    params(("id" = String, Path, description = "Document id"), SimilarQuery),
    responses(
        (status = 200, description = "The most similar documents", body = Similar),
        (status = 400, description = "Bad `limit`", body = super::ErrorBody),
        (status = 404, description = "No such document", body = super::ErrorBody),
    )
)]
pub async fn similar(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Similar>, ApiError> {
    let pairs = query_pairs(raw.as_deref());
    let [limit] = known_pairs(&pairs, &["limit"])?[..] else {
        unreachable!("one value per known parameter")
    };
    let limit = bounded("limit", limit, 10, 1, MAX_SIMILAR)?;
    let hits = lookup(&state, &id, move |index, id| index.similar(id, limit)).await?;
    Ok(Json(Similar { id, hits }))
}

/// The URL a document was fetched at: a passage (`url#anchor`) comes from
/// its page.
fn fetched_url(url: &str) -> &str {
    url.split_once('#').map_or(url, |(page, _)| page)
}

/// The page as it was fetched (HTML, PDF ...), from the archive.
#[utoipa::path(
    get,
    path = "/api/documents/{id}/archived",
    tag = "documents",
    params(("id" = String, Path, description = "Document id")),
    responses(
        (status = 200, description = "The archived body with its original `Content-Type`, `Memento-Datetime` (when it was fetched), `Link: <url>; rel=\"original\"` and `Content-Security-Policy: sandbox`",
            content_type = "*/*"),
        (status = 404, description = "No such document, or no archived copy of its page", body = super::ErrorBody),
    )
)]
pub async fn archived(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let document = stored(&state, &id).await?;
    let url = fetched_url(&document.document.url).to_owned();
    let Some(data) = state.data.clone() else {
        return Err(ApiError::NotFound("this server has no archive".into()));
    };
    // Reads the archive files on each request (only the wanted URL's
    // bodies are decompressed into memory): enough for a research tool's
    // occasional look. An url → (file, offset) map would need an API of the
    // crawler's archive reader.
    let lookup = url.clone();
    let found = blocking(move || crawler::archive::find(&data.archive_dir(), &lookup))
        .await?
        .map_err(|e| ApiError::Internal(format!("reading the archive: {e}")))?;
    let Some(response) = found else {
        return Err(ApiError::NotFound(format!("no archived copy of {url}")));
    };
    let original = |name: &str| {
        response
            .response_headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .and_then(|(_, value)| HeaderValue::from_str(value).ok())
    };
    let content_type =
        original("content-type").unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let encoding = original("content-encoding");
    let source = response.url;
    let fetched_at = response.fetched_at;
    let mut reply = Response::new(Body::from(response.body));
    let headers = reply.headers_mut();
    headers.insert(header::CONTENT_TYPE, content_type);
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, encoding);
    }
    let fetched = fetched_at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    if let Ok(value) = HeaderValue::from_str(&fetched) {
        headers.insert("memento-datetime", value);
    }
    if let Ok(value) = HeaderValue::from_str(&format!("<{source}>; rel=\"original\"")) {
        headers.insert(header::LINK, value);
    }
    // Archived pages carry their sites' scripts: sandboxed, they cannot run
    // on our origin or read its cookies.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_come_from_their_page() {
        assert_eq!(
            fetched_url("https://fedasil.be/fr/a#session-1"),
            "https://fedasil.be/fr/a"
        );
        assert_eq!(fetched_url("https://fedasil.be/fr/a"), "https://fedasil.be/fr/a");
    }
}
