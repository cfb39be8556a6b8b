//! Ranking: the window of ranked documents a page needs, the languages a
//! collapsed hit prefers, and the order of a hit's versions.

use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, TopDocs};
use tantivy::query::Query;
use tantivy::{DocAddress, Order, Searcher};

use crate::document::Document;
use crate::error::Result;
use crate::query::Expansion;
use crate::schema;
use crate::thesaurus::Thesaurus;

use super::request::SearchRequest;
use super::results::Version;

/// Documents with their scores, best first.
pub(crate) type Ranked = Vec<(f32, DocAddress)>;

/// Runs `query` once, collecting `extra` over every match and the documents
/// ranked in `window`, by score or newest first.
pub(crate) fn ranked_window<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    extra: C,
    window: std::ops::Range<usize>,
    by_date: bool,
) -> Result<(C::Fruit, Ranked)> {
    if window.is_empty() {
        return Ok((searcher.search(query, &extra)?, Vec::new()));
    }
    if by_date {
        let top = TopDocs::for_doc_range(window).order_by((
            (
                SortByStaticFastValue::<i64>::for_field(schema::DATE_ORDER),
                Order::Desc,
            ),
            (SortBySimilarityScore, Order::Desc),
        ));
        let (fruit, top) = searcher.search(query, &(extra, top))?;
        let top = top
            .into_iter()
            .map(|((_, score), address)| (score, address))
            .collect();
        Ok((fruit, top))
    } else {
        let top = TopDocs::for_doc_range(window).order_by_score();
        Ok(searcher.search(query, &(extra, top))?)
    }
}

/// Languages a collapsed hit prefers to show: the one asked for, else the
/// languages of the thesaurus terms the query was typed in.
pub(crate) fn preferred_languages(request: &SearchRequest, expansions: &[Expansion]) -> Vec<String> {
    if let Some(lang) = &request.prefer_language {
        return vec![lang.to_lowercase()];
    }
    let thesaurus = Thesaurus::builtin();
    let mut languages: Vec<String> = Vec::new();
    for expansion in expansions {
        for lang in thesaurus.term_languages(&expansion.term) {
            if !languages.iter().any(|l| l == lang) {
                languages.push(lang.to_owned());
            }
        }
    }
    // A term spelt alike in several languages says nothing.
    if languages.len() > 1 {
        Vec::new()
    } else {
        languages
    }
}

/// The versions of a collapsed hit showing `document`, in order: itself,
/// then the `preferred` languages, then the others by language code; none
/// when its translations were never indexed (only itself is left).
pub(crate) fn ranked_versions(
    document: &Document,
    mut versions: Vec<Version>,
    preferred: &[&str],
) -> Vec<Version> {
    if versions.len() < 2 {
        return Vec::new();
    }
    let rank = |version: &Version| {
        let language = version.language.as_deref().unwrap_or("");
        let preferred_at = preferred.iter().position(|p| *p == language);
        (
            version.url != document.url,
            preferred_at.unwrap_or(usize::MAX),
            language.to_owned(),
            version.url.clone(),
        )
    };
    versions.sort_by_key(rank);
    versions
}
