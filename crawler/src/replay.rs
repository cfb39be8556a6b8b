//! Rebuilding documents from archived responses, with no network: what
//! `migrasearch reindex` runs after a change in extraction or analysis.

use std::collections::{HashMap, HashSet};

use url::Url;

use crate::archive::ArchivedResponse;
use crate::config::CrawlConfig;
use crate::crawl::{Page, extract_body, inherit_from_parent};
use crate::document::Document;
use crate::urls::canonicalize;

/// The documents the archived responses give, as a crawl would have
/// produced them: listings left out, canonical links followed, PDFs given
/// their linking page's date and themes, the same content indexed once.
/// `responses` should hold one (the newest 2xx) response per URL.
pub fn documents_from_archive(config: &CrawlConfig, responses: &[ArchivedResponse]) -> Vec<Document> {
    let aliases = config.host_aliases();
    let mut pages = Vec::new();
    let mut files = Vec::new();
    for response in responses.iter().filter(|r| (200..300).contains(&r.status)) {
        let Ok(url) = Url::parse(&response.url) else {
            continue;
        };
        let url = canonicalize(&url, &aliases);
        let Some(source) = config.source_for(&url) else {
            continue;
        };
        let content_type = response
            .response_headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.to_ascii_lowercase())
            .unwrap_or_default();
        let is_pdf = content_type.contains("pdf") || response.body.starts_with(b"%PDF");
        match extract_body(&url, &response.body, &content_type, &source.id, is_pdf) {
            Page::Html(page) => pages.push((url, source, *page)),
            Page::Pdf(document) => files.push((url, *document)),
            Page::None | Page::Sitemap(_) | Page::Unusable(_) => {}
        }
    }
    let mut parents: HashMap<String, Document> = HashMap::new();
    let mut documents = Vec::new();
    for (url, source, page) in pages {
        let mut document = page.document;
        if let Some(canonical) = page.canonical.map(|c| canonicalize(&c, &aliases))
            && canonical.host_str() == url.host_str()
            && source.in_scope(&canonical)
        {
            document.url = canonical.to_string();
        }
        for link in &page.links {
            if link.url.path().to_ascii_lowercase().ends_with(".pdf") {
                let file = canonicalize(&link.url, &aliases).to_string();
                parents.entry(file).or_insert_with(|| document.clone());
            }
        }
        if !source.is_listing(&url) {
            documents.push(document);
        }
    }
    for (url, mut document) in files {
        if let Some(parent) = parents.get(url.as_str()) {
            inherit_from_parent(&mut document, parent);
        }
        documents.push(document);
    }
    let mut seen_urls = HashSet::new();
    let mut seen_content = HashSet::new();
    documents
        .retain(|d| seen_urls.insert(d.url.clone()) && seen_content.insert(crate::crawl::content_hash(d)));
    documents
}
