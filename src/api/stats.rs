//! What the index holds and when each source was last crawled.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiError, blocking};
use crate::data::CrawlRecord;
use crate::server::AppState;

/// Index statistics and the last complete crawl of each source.
#[derive(Debug, Serialize, ToSchema)]
pub struct Stats {
    /// Documents and passages, by source, language and type; size on disk.
    #[serde(flatten)]
    pub index: index::IndexStats,
    /// The last crawl of each source that ran to its end, by source id;
    /// empty when the server has no data directory or nothing finished yet.
    pub last_crawl: BTreeMap<String, CrawlRecord>,
}

/// The last complete crawl of each source, from the data directory.
pub(crate) fn last_crawls(state: &AppState) -> BTreeMap<String, CrawlRecord> {
    let Some(data) = &state.data else {
        return BTreeMap::new();
    };
    match data.crawl_records() {
        Ok(records) => records.sources,
        Err(error) => {
            tracing::warn!(error = format!("{error:#}"), "unreadable crawl records");
            BTreeMap::new()
        }
    }
}

/// What the index holds and when each source was last crawled.
#[utoipa::path(
    get,
    path = "/api/stats",
    tag = "service",
    responses((status = 200, description = "Index statistics and last crawls", body = Stats))
)]
pub async fn stats(State(state): State<AppState>) -> Result<Json<Stats>, ApiError> {
    // Both read files: one trip off the async threads.
    let (index_stats, last_crawl) = blocking(move || (state.index.stats(), last_crawls(&state))).await?;
    Ok(Json(Stats {
        index: index_stats?,
        last_crawl,
    }))
}
