//! From crawl to index: runs the crawler and upserts what it extracts.
//!
//! The two library crates never meet; this module maps one's documents onto
//! the other's.

use anyhow::Context;
use crawler::{CrawlConfig, CrawlReport};
use index::SearchIndex;
use tokio::sync::mpsc;

/// Documents indexed between two commits, so that a long crawl becomes
/// searchable as it goes and an interruption loses little.
const COMMIT_EVERY: usize = 200;

/// What a crawl-and-index run did.
pub struct RunSummary {
    pub report: CrawlReport,
    pub indexed: usize,
    pub total_documents: u64,
}

/// Crawls with `config` and upserts every document into `index` (keyed by
/// canonical URL, so a recrawl updates in place).
pub async fn crawl_into(config: CrawlConfig, index: &SearchIndex) -> anyhow::Result<RunSummary> {
    let (sender, mut receiver) = mpsc::channel::<crawler::Document>(64);
    let writer_index = index.clone();
    // Indexing is blocking work; it runs beside the async crawl.
    let indexer = tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
        let mut writer = writer_index.writer().context("opening the index writer")?;
        let mut indexed = 0;
        while let Some(document) = receiver.blocking_recv() {
            writer
                .upsert(&to_index_document(document))
                .context("indexing a document")?;
            indexed += 1;
            if indexed % COMMIT_EVERY == 0 {
                writer.commit().context("committing the index")?;
                writer = writer_index.writer().context("reopening the index writer")?;
            }
        }
        writer.commit().context("committing the index")?;
        Ok(indexed)
    });
    let report = crawler::crawl(config, sender).await.context("crawling")?;
    let indexed = indexer.await.context("indexer task")??;
    Ok(RunSummary {
        report,
        indexed,
        total_documents: index.num_docs(),
    })
}

/// The crawler's document as the index takes it.
pub fn to_index_document(document: crawler::Document) -> index::Document {
    index::Document {
        url: document.url,
        source: document.source,
        doc_type: document.doc_type.as_str().to_owned(),
        title: document.title,
        blocks: document
            .blocks
            .into_iter()
            .map(|block| index::Block {
                lang: block.lang,
                text: block.text,
            })
            .collect(),
        languages: document.languages,
        date: document.date,
        themes: document.themes,
        keywords: document.keywords,
        organisations: document.organisations,
        parent_url: document.parent_url,
    }
}
