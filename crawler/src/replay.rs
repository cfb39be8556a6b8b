//! Rebuilding documents from archived responses, with no network: what
//! `migrasearch reindex` runs after a change in extraction or analysis.

use std::collections::{HashMap, HashSet};

use url::Url;

use crate::archive::ArchivedResponse;
use crate::config::CrawlConfig;
use crate::crawl::{ListingPage, Page, extract_body, inherit_from_parent, listing_documents, translations};
use crate::document::Document;
use crate::extract;
use crate::fetch::decode_html;
use crate::urls::canonicalize;

/// The documents the archived responses give, as a crawl would have
/// produced them: listings only for their items that have no page among
/// the archived ones, canonical links followed, PDFs given
/// their linking page's date and themes, the same content indexed once.
/// `responses` should hold one (the newest 2xx) response per URL.
pub fn documents_from_archive(config: &CrawlConfig, responses: &[ArchivedResponse]) -> Vec<Document> {
    let aliases = config.host_aliases();
    let mut pages = Vec::new();
    let mut files = Vec::new();
    let mut listings = Vec::new();
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
            Page::Html(page) => {
                if source.is_listing(&url) {
                    let html = decode_html(&response.body, Some(&content_type));
                    let mut items = extract::listing_items(&url, &html);
                    for item in &mut items {
                        item.link = item.link.take().map(|link| canonicalize(&link, &aliases));
                    }
                    // Entries leading to another listing are navigation.
                    items.retain(|item| {
                        let listing = |l: &Url| config.source_for(l).is_some_and(|s| s.is_listing(l));
                        !item.link.as_ref().is_some_and(listing)
                    });
                    let own_url = match page.canonical.as_ref().map(|c| canonicalize(c, &aliases)) {
                        Some(canonical)
                            if canonical.host_str() == url.host_str() && source.in_scope(&canonical) =>
                        {
                            canonical.to_string()
                        }
                        _ => page.document.url.clone(),
                    };
                    listings.push(ListingPage {
                        url: own_url,
                        source: source.id.clone(),
                        title: page.document.title.clone(),
                        items,
                    });
                }
                pages.push((url, source, *page));
            }
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
        let own = [document.url.as_str(), url.as_str()];
        document.translations = translations(&page.alternates, &own, source, &aliases);
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
    let has_page: HashSet<String> = documents.iter().map(|d| d.url.clone()).collect();
    documents.extend(listing_documents(listings, |link| has_page.contains(link)));
    documents
}
