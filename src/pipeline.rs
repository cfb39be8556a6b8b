//! From crawl to index: runs the crawler and applies what it reports to the
//! index; rebuilds the index from the archive (`reindex`).
//!
//! The two library crates never meet; this module maps one's documents onto
//! the other's.

use std::collections::HashMap;
use std::io::IsTerminal;

use anyhow::Context;
use crawler::archive::{ArchiveWriter, latest_per_url, read_archive, redirects};
use crawler::state::CrawlState;
use crawler::{CrawlConfig, CrawlEvent, CrawlReport};
use index::SearchIndex;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::mpsc;

use crate::data::{CrawlRecord, DataDir};

/// Documents indexed between two commits, so that a long crawl becomes
/// searchable as it goes and an interruption loses little.
const COMMIT_EVERY: usize = 50;

/// What a crawl-and-index run did.
pub struct RunSummary {
    pub report: CrawlReport,
    /// Documents indexed (listings, indexed through their passages alone,
    /// not counted).
    pub indexed: usize,
    /// Passages indexed with those documents and listings.
    pub passages: usize,
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

    // Each source's hosts, to credit the report's per-host counts to it.
    let sources: Vec<(String, Vec<String>)> = config
        .sources
        .iter()
        .map(|source| (source.id.clone(), source.hosts.clone()))
        .collect();
    let known_sources = config.sources.clone();
    let progress = progress_bar();
    let (sender, mut receiver) = mpsc::channel::<CrawlEvent>(64);
    let writer_index = index.clone();
    let bar = progress.clone();
    // Indexing is blocking work; it runs beside the async crawl.
    let indexer = tokio::task::spawn_blocking(
        move || -> anyhow::Result<(usize, usize, usize, HashMap<String, usize>)> {
            let mut writer = writer_index.writer().context("opening the index writer")?;
            let (mut indexed, mut passages, mut removed, mut pending) = (0, 0, 0, 0);
            let mut by_source: HashMap<String, usize> = HashMap::new();
            while let Some(event) = receiver.blocking_recv() {
                match event {
                    CrawlEvent::Document(document) if !is_valid(&document, &known_sources) => {}
                    CrawlEvent::Document(document) => {
                        let source = document.source.clone();
                        let (own, parts) = index_document(&mut writer, *document)?;
                        *by_source.entry(source).or_default() += own;
                        indexed += own;
                        passages += parts;
                        pending += own + parts;
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
            Ok((indexed, passages, removed, by_source))
        },
    );
    // Ctrl-C stops the crawl between two steps: what was fetched is in the
    // state and the archive, what was extracted gets committed below, and
    // the next run resumes from there.
    let crawled = tokio::select! {
        crawled = crawler::crawl(config, &mut state, Some(&mut archive), sender) => Some(crawled),
        _ = tokio::signal::ctrl_c() => None,
    };
    let (indexed, passages, removed, by_source) = indexer.await.context("indexer task")??;
    progress.finish_and_clear();
    let interrupted = crawled.is_none();
    let report = crawled.transpose().context("crawling")?.unwrap_or_default();
    archive.finish().context("closing the archive")?;
    state.compact().context("compacting the crawl state")?;
    if !interrupted {
        let records = crawl_records(&sources, &report, &by_source, chrono::Utc::now());
        data.record_crawls(records)
            .context("recording the finished crawl")?;
    }
    Ok(RunSummary {
        report,
        indexed,
        passages,
        removed,
        total_documents: index.num_docs(),
        interrupted,
    })
}

/// Per source, what a crawl that ran to its end did: requests summed over
/// the source's hosts, documents indexed from it.
fn crawl_records(
    sources: &[(String, Vec<String>)],
    report: &CrawlReport,
    documents: &HashMap<String, usize>,
    finished_at: chrono::DateTime<chrono::Utc>,
) -> Vec<(String, CrawlRecord)> {
    sources
        .iter()
        .map(|(id, hosts)| {
            let hosts = || report.hosts.iter().filter(|(host, _)| hosts.contains(host));
            let record = CrawlRecord {
                finished_at,
                requests: hosts().map(|(_, stats)| stats.fetched).sum(),
                documents: documents.get(id).copied().unwrap_or(0),
                failed: hosts().map(|(_, stats)| stats.failed).sum(),
            };
            (id.clone(), record)
        })
        .collect()
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
/// Returns the number of index entries (documents and their passages).
/// Listing-only items are rebuilt too: an item is one when its link, after
/// the archived redirects, leads to no archived page, as the crawl decides.
pub fn reindex(config: &CrawlConfig, data: &DataDir) -> anyhow::Result<usize> {
    let responses = read_archive(&data.archive_dir())
        .with_context(|| format!("reading the archive in {}", data.archive_dir().display()))?;
    let moved = redirects(&responses);
    let responses = latest_per_url(responses);
    let documents = crawler::replay::documents_from_archive(config, &responses, &moved);
    let index = data.open_index_for_rebuild()?;
    let mut writer = index.writer().context("opening the index writer")?;
    writer.delete_all().context("clearing the index")?;
    for document in documents.iter().filter(|d| is_valid(d, &config.sources)) {
        index_document(&mut writer, document.clone())?;
    }
    writer.commit().context("committing the index")?;
    Ok(usize::try_from(index.num_docs()).unwrap_or(usize::MAX))
}

/// Whether a crawled document may be indexed ([`crawler::Document::validate`],
/// the check imports go through too). An extraction that breaks a rule is
/// a bug to report, not a reason to stop a crawl.
fn is_valid(document: &crawler::Document, sources: &[crawler::Source]) -> bool {
    match document.validate(sources) {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!(url = %document.url, %error, "not indexing an invalid document");
            false
        }
    }
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

/// Indexes a crawled document and replaces its passages; a listing is
/// indexed through its passages alone. Returns how many documents (0 or 1)
/// and passages were indexed.
pub(crate) fn index_document(
    writer: &mut index::IndexWriter,
    document: crawler::Document,
) -> anyhow::Result<(usize, usize)> {
    let url = document.url.clone();
    let (own, passages) = to_index_documents(document);
    let indexed = usize::from(own.is_some());
    match own {
        Some(own) => writer.upsert(&own),
        None => writer.delete(&url),
    }
    .with_context(|| format!("indexing {url}"))?;
    writer
        .replace_passages(&url, &passages)
        .with_context(|| format!("indexing the passages of {url}"))?;
    Ok((indexed, passages.len()))
}

/// The crawler's document as the index takes it (`None` for a listing,
/// which is not searchable itself), and its passages, each at
/// `url#anchor` with the document as parent.
pub fn to_index_documents(
    mut document: crawler::Document,
) -> (Option<index::Document>, Vec<index::Document>) {
    let passages = std::mem::take(&mut document.passages);
    let page_key = page_translation_key(&document);
    let mut ordinals: Vec<(crawler::PassageKind, usize)> = Vec::new();
    let passages = passages
        .into_iter()
        .map(|passage| {
            // The n-th project of a page and the n-th project of its
            // translation, with the same code or period, are one project.
            let ordinal = match ordinals.iter_mut().find(|(kind, _)| *kind == passage.kind) {
                Some((_, count)) => {
                    *count += 1;
                    *count
                }
                None => {
                    ordinals.push((passage.kind, 0));
                    0
                }
            };
            let across_pages = page_key.as_ref().filter(|_| passage.translation_key.is_none());
            let key = across_pages.map(|page_key| {
                let slot = passage.slot.as_deref().unwrap_or("");
                format!("{page_key}#{}-{ordinal}-{slot}", passage.kind.as_str())
            });
            let mut indexed = passage_document(&document, passage);
            if key.is_some() {
                indexed.translation_key = key;
            }
            indexed
        })
        .collect();
    let own = (document.doc_type != crawler::DocType::Listing).then(|| to_index_document(document));
    (own, passages)
}

/// A passage as a document of its own. It inherits what it does not state
/// itself (date, languages, type) from its document; its themes are its
/// own or inferred from its text, never the whole document's.
fn passage_document(parent: &crawler::Document, passage: crawler::Passage) -> index::Document {
    let text: Vec<&str> = passage.blocks.iter().map(|b| b.text.as_str()).collect();
    let themes_inferred = if passage.themes.is_empty() {
        index::themes::infer_themes(&passage.title, &text.join("\n\n"))
    } else {
        Vec::new()
    };
    let organisation_mentions = crawler::organisations::find_mentions_in_blocks(text.iter().copied());
    let doc_type = match (passage.doc_type, parent.doc_type) {
        (Some(own), _) => own,
        (None, crawler::DocType::Listing) => crawler::DocType::News,
        (None, inherited) => inherited,
    };
    let languages = match passage.languages.is_empty() {
        true => parent.languages.clone(),
        false => passage.languages,
    };
    index::Document {
        url: format!("{}#{}", parent.url, passage.anchor),
        source: parent.source.clone(),
        doc_type: doc_type.as_str().to_owned(),
        title: passage.title,
        blocks: passage.blocks.into_iter().map(to_index_block).collect(),
        languages,
        date: passage.date.or(parent.date),
        themes: passage.themes,
        themes_inferred,
        keywords: Vec::new(),
        organisations: passage.organisations,
        organisation_mentions: organisation_mentions.into_iter().map(to_index_mention).collect(),
        parent_url: Some(parent.url.clone()),
        passage: Some(index::PassageOf {
            kind: passage.kind.as_str().to_owned(),
            anchor: passage.anchor,
            parent_title: parent.title.clone(),
            slot: passage.slot,
            link: passage.link,
        }),
        translation_key: passage
            .translation_key
            .map(|key| format!("{}#{}", parent.url, key)),
    }
}

/// The key shared by a page and its translations: the smallest URL of the
/// set, which every version computes alike when they link each other.
fn page_translation_key(document: &crawler::Document) -> Option<String> {
    document
        .translations
        .iter()
        .map(|translation| translation.url.as_str())
        .chain([document.url.as_str()])
        .min()
        .filter(|_| !document.translations.is_empty())
        .map(str::to_owned)
}

fn to_index_block(block: crawler::TextBlock) -> index::Block {
    index::Block {
        lang: block.lang,
        text: block.text,
    }
}

fn to_index_mention(mention: crawler::document::OrganisationMention) -> index::OrganisationMention {
    index::OrganisationMention {
        name: mention.name,
        block: mention.block,
        start: mention.start,
        end: mention.end,
        text: mention.text,
    }
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
    let translation_key = page_translation_key(&document);
    index::Document {
        url: document.url,
        source: document.source,
        doc_type: document.doc_type.as_str().to_owned(),
        title: document.title,
        blocks: document.blocks.into_iter().map(to_index_block).collect(),
        languages: document.languages,
        date: document.date,
        themes: document.themes,
        themes_inferred,
        keywords: document.keywords,
        organisations: document.organisations,
        organisation_mentions: document
            .organisation_mentions
            .into_iter()
            .map(to_index_mention)
            .collect(),
        parent_url: document.parent_url,
        passage: None,
        translation_key,
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
    fn pages_naming_each_other_share_a_translation_key() {
        let mut french = crawled("Retour volontaire", RETURN_TEXT, &[]);
        let dutch_url = "https://fedasil.be/nl/terugkeer";
        french.translations = vec![crawler::Translation {
            lang: "nl".into(),
            url: dutch_url.into(),
        }];
        let mut dutch = crawled("Vrijwillige terugkeer", RETURN_TEXT, &[]);
        dutch.url = dutch_url.into();
        dutch.translations = vec![crawler::Translation {
            lang: "fr".into(),
            url: french.url.clone(),
        }];
        let french = to_index_document(french);
        let dutch = to_index_document(dutch);
        assert!(french.translation_key.is_some());
        assert_eq!(french.translation_key, dutch.translation_key);
        let alone = to_index_document(crawled("Accueil", RETURN_TEXT, &[]));
        assert_eq!(alone.translation_key, None);
    }

    #[test]
    fn passages_become_documents_at_their_anchor_under_their_parent() {
        let mut programme = crawled("Programme", RETURN_TEXT, &["Cross-sectional"]);
        programme.date = chrono::NaiveDate::from_ymd_opt(2024, 4, 18);
        programme.passages = vec![crawler::Passage {
            kind: crawler::PassageKind::Session,
            anchor: "session-retour".into(),
            title: "Le retour volontaire".into(),
            blocks: vec![crawler::TextBlock {
                lang: Some("fr".into()),
                text: RETURN_TEXT.into(),
            }],
            languages: vec!["fr".into()],
            slot: Some("10.45-11.45".into()),
            date: None,
            themes: Vec::new(),
            organisations: vec!["Fedasil".into()],
            translation_key: Some("session-retour".into()),
            doc_type: None,
            link: None,
        }];
        let (own, passages) = to_index_documents(programme);
        assert!(own.is_some_and(|own| own.url == "https://fedasil.be/fr/retour"));
        let [session] = passages.as_slice() else {
            panic!("one passage: {passages:?}");
        };
        assert_eq!(session.url, "https://fedasil.be/fr/retour#session-retour");
        assert_eq!(
            session.parent_url.as_deref(),
            Some("https://fedasil.be/fr/retour")
        );
        assert_eq!(session.date, chrono::NaiveDate::from_ymd_opt(2024, 4, 18));
        assert_eq!(session.doc_type, "page");
        // Its own themes, inferred from its text, not the programme's.
        assert!(session.themes.is_empty());
        assert!(
            session
                .themes_inferred
                .iter()
                .any(|t| t == "Return & Readmission")
        );
        assert_eq!(
            session.translation_key.as_deref(),
            Some("https://fedasil.be/fr/retour#session-retour")
        );
        let passage = session.passage.as_ref().expect("passage");
        assert_eq!(
            (passage.kind.as_str(), passage.parent_title.as_str()),
            ("session", "Programme")
        );
        assert_eq!(
            session.organisation_mentions.len(),
            2,
            "{:?}",
            session.organisation_mentions
        );
    }

    #[test]
    fn projects_of_translated_pages_are_linked_in_order_and_by_code() {
        let project = |title: &str, slot: &str| crawler::Passage {
            kind: crawler::PassageKind::Project,
            anchor: format!("project-{}", title.to_lowercase().replace(' ', "-")),
            title: title.into(),
            blocks: Vec::new(),
            languages: Vec::new(),
            slot: Some(slot.into()),
            date: None,
            themes: Vec::new(),
            organisations: Vec::new(),
            translation_key: None,
            doc_type: None,
            link: None,
        };
        let page = |url: &str, other: &str, lang: &str, titles: [&str; 2]| {
            let mut page = crawled("Fonds", RETURN_TEXT, &[]);
            page.url = url.into();
            page.translations = vec![crawler::Translation {
                lang: lang.into(),
                url: other.into(),
            }];
            page.passages = vec![project(titles[0], "2024-2025"), project(titles[1], "2024-2025")];
            page
        };
        let (fr, nl) = ("https://fedasil.be/fr/fonds", "https://fedasil.be/nl/fondsen");
        let (_, french) = to_index_documents(page(fr, nl, "nl", ["Accueil", "Retour"]));
        let (_, dutch) = to_index_documents(page(nl, fr, "fr", ["Opvang", "Terugkeer"]));
        let keys = |passages: &[index::Document]| -> Vec<Option<String>> {
            passages.iter().map(|p| p.translation_key.clone()).collect()
        };
        assert_eq!(keys(&french), keys(&dutch));
        assert_ne!(french[0].translation_key, french[1].translation_key);
        // A page without translations keeps its projects apart.
        let mut alone = page(fr, nl, "nl", ["Accueil", "Retour"]);
        alone.translations.clear();
        let (_, alone) = to_index_documents(alone);
        assert_eq!(keys(&alone), [None, None]);
    }

    #[test]
    fn a_listing_is_indexed_through_its_passages_alone() {
        let mut listing = crawled("News", "", &[]);
        listing.doc_type = crawler::DocType::Listing;
        let (own, passages) = to_index_documents(listing);
        assert!(own.is_none());
        assert!(passages.is_empty());
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
