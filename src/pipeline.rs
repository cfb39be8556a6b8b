//! From crawl to index: runs the crawler and applies what it reports to the
//! index; rebuilds the index from the archive (`reindex`).
//!
//! The two library crates never meet; this module maps one's documents onto
//! the other's.

use std::io::IsTerminal;

use anyhow::Context;
use crawler::archive::{ArchiveWriter, latest_per_url, read_archive};
use crawler::state::CrawlState;
use crawler::{CrawlConfig, CrawlEvent, CrawlReport};
use index::SearchIndex;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::mpsc;

use crate::data::DataDir;

/// Documents indexed between two commits, so that a long crawl becomes
/// searchable as it goes and an interruption loses little.
const COMMIT_EVERY: usize = 50;

/// What a crawl-and-index run did.
pub struct RunSummary {
    pub report: CrawlReport,
    pub indexed: usize,
    pub removed: usize,
    pub total_documents: u64,
    /// Stopped by Ctrl-C; the next run resumes.
    pub interrupted: bool,
}

/// Crawls with `config` and applies new, changed and removed documents to
/// the index in `data` (keyed by canonical URL, so a recrawl updates in
/// place). Crawl state and archive live in `data` too.
pub async fn crawl_into(config: CrawlConfig, data: &DataDir) -> anyhow::Result<RunSummary> {
    let index = data.open_or_create_index()?;
    let mut state = CrawlState::open(&data.state_file())
        .with_context(|| format!("opening the crawl state {}", data.state_file().display()))?;
    forget_unindexed(&mut state, &index)?;
    let mut archive = ArchiveWriter::open(&data.archive_dir())
        .with_context(|| format!("opening the archive in {}", data.archive_dir().display()))?;

    let progress = progress_bar();
    let (sender, mut receiver) = mpsc::channel::<CrawlEvent>(64);
    let writer_index = index.clone();
    let bar = progress.clone();
    // Indexing is blocking work; it runs beside the async crawl.
    let indexer = tokio::task::spawn_blocking(move || -> anyhow::Result<(usize, usize)> {
        let mut writer = writer_index.writer().context("opening the index writer")?;
        let (mut indexed, mut removed, mut pending) = (0, 0, 0);
        while let Some(event) = receiver.blocking_recv() {
            match event {
                CrawlEvent::Document(document) => {
                    writer
                        .upsert(&to_index_document(*document))
                        .context("indexing a document")?;
                    indexed += 1;
                    pending += 1;
                }
                CrawlEvent::Removed { document_url } => {
                    writer.delete(&document_url).context("removing a document")?;
                    removed += 1;
                    pending += 1;
                }
                CrawlEvent::Fetched { url, status } => {
                    bar.inc(1);
                    bar.set_message(url.clone());
                    if bar.is_hidden() {
                        tracing::info!(%url, status, "fetched");
                    }
                }
            }
            if pending >= COMMIT_EVERY {
                writer.commit().context("committing the index")?;
                writer = writer_index.writer().context("reopening the index writer")?;
                pending = 0;
            }
        }
        writer.commit().context("committing the index")?;
        Ok((indexed, removed))
    });
    // Ctrl-C stops the crawl between two steps: what was fetched is in the
    // state and the archive, what was extracted gets committed below, and
    // the next run resumes from there.
    let crawled = tokio::select! {
        crawled = crawler::crawl(config, &mut state, Some(&mut archive), sender) => Some(crawled),
        _ = tokio::signal::ctrl_c() => None,
    };
    let (indexed, removed) = indexer.await.context("indexer task")??;
    progress.finish_and_clear();
    let interrupted = crawled.is_none();
    let report = crawled.transpose().context("crawling")?.unwrap_or_default();
    archive.finish().context("closing the archive")?;
    state.compact().context("compacting the crawl state")?;
    Ok(RunSummary {
        report,
        indexed,
        removed,
        total_documents: index.num_docs(),
        interrupted,
    })
}

/// A page whose document never reached the index (a crawl killed before
/// its commit) must be fetched in full again, not revalidated.
fn forget_unindexed(state: &mut CrawlState, index: &SearchIndex) -> anyhow::Result<()> {
    let mut missing = Vec::new();
    for known in state.iter() {
        if let Some(document_url) = &known.document_url
            && !index.contains(document_url).context("checking the index")?
        {
            missing.push(known.clone());
        }
    }
    for mut known in missing {
        known.content_hash = None;
        known.document_url = None;
        known.last_fetch = None;
        known.etag = None;
        known.last_modified = None;
        known.next_due = None;
        state.record(known).context("updating the crawl state")?;
    }
    Ok(())
}

/// Rebuilds the whole index from the archive, without any network access.
/// Returns the number of documents indexed.
pub fn reindex(config: &CrawlConfig, data: &DataDir) -> anyhow::Result<usize> {
    let responses = read_archive(&data.archive_dir())
        .with_context(|| format!("reading the archive in {}", data.archive_dir().display()))?;
    let responses = latest_per_url(responses);
    let documents = crawler::replay::documents_from_archive(config, &responses);
    let index = data.open_or_create_index()?;
    let mut writer = index.writer().context("opening the index writer")?;
    writer.delete_all().context("clearing the index")?;
    for document in &documents {
        writer
            .upsert(&to_index_document(document.clone()))
            .context("indexing a document")?;
    }
    writer.commit().context("committing the index")?;
    Ok(documents.len())
}

/// A progress bar on a terminal; hidden (plain log lines instead) otherwise.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} pages fetched, {elapsed} · {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The crawler's document as the index takes it. A document that shows no
/// EMN theme gets themes inferred from its title and text
/// (`themes_inferred`); one that shows some keeps them and gets none.
pub fn to_index_document(document: crawler::Document) -> index::Document {
    let themes_inferred = if document.themes.is_empty() {
        index::themes::infer_themes(&document.title, &document.text())
    } else {
        Vec::new()
    };
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
        themes_inferred,
        keywords: document.keywords,
        organisations: document.organisations,
        organisation_mentions: document
            .organisation_mentions
            .into_iter()
            .map(|mention| index::OrganisationMention {
                name: mention.name,
                block: mention.block,
                start: mention.start,
                end: mention.end,
                text: mention.text,
            })
            .collect(),
        parent_url: document.parent_url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crawled(title: &str, text: &str, themes: &[&str]) -> crawler::Document {
        let blocks = vec![crawler::TextBlock {
            lang: Some("fr".into()),
            text: text.into(),
        }];
        let organisation_mentions =
            crawler::organisations::find_mentions_in_blocks(blocks.iter().map(|b| b.text.as_str()));
        crawler::Document {
            url: "https://fedasil.be/fr/retour".into(),
            source: "fedasil".into(),
            doc_type: crawler::DocType::Page,
            title: title.into(),
            blocks,
            languages: vec!["fr".into()],
            date: None,
            themes: themes.iter().map(|t| t.to_string()).collect(),
            keywords: Vec::new(),
            organisations: crawler::organisations::find_organisations(text),
            organisation_mentions,
            parent_url: None,
            passages: Vec::new(),
            translations: Vec::new(),
        }
    }

    const RETURN_TEXT: &str = "Fedasil et l'OIM organisent le retour volontaire et la réintégration \
                               dans le pays d'origine.";

    #[test]
    fn a_document_without_themes_gets_inferred_ones() {
        let doc = to_index_document(crawled("Retour volontaire", RETURN_TEXT, &[]));
        assert!(doc.themes.is_empty());
        assert_eq!(
            doc.themes_inferred.first().map(String::as_str),
            Some("Return & Readmission"),
            "{:?}",
            doc.themes_inferred
        );
    }

    #[test]
    fn explicit_themes_are_kept_and_nothing_is_inferred() {
        let doc = to_index_document(crawled("Retour volontaire", RETURN_TEXT, &["Asylum"]));
        assert_eq!(doc.themes, ["Asylum"]);
        assert!(doc.themes_inferred.is_empty());
    }

    #[test]
    fn organisation_mentions_are_carried_and_stored() {
        let doc = to_index_document(crawled("Retour volontaire", RETURN_TEXT, &[]));
        let mentions: Vec<(&str, usize, &str)> = doc
            .organisation_mentions
            .iter()
            .map(|m| (m.name.as_str(), m.block, m.text.as_str()))
            .collect();
        assert_eq!(mentions, [("Fedasil", 0, "Fedasil"), ("IOM", 0, "OIM")]);
        let m = &doc.organisation_mentions[1];
        assert_eq!(doc.blocks[0].text.get(m.start..m.end), Some("OIM"));
        let json = serde_json::to_value(&doc).unwrap_or_default();
        assert_eq!(json["organisation_mentions"][1]["text"], "OIM");
    }
}
