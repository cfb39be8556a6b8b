//! Rebuilding documents from archived responses, with no network: what
//! `migrasearch reindex` runs after a change in extraction or analysis.

use std::collections::{HashMap, HashSet};

use url::Url;

use crate::archive::ArchivedResponse;
use crate::config::CrawlConfig;
use crate::crawl::{
    Followed, Page, extract_body, follow_moves, inherit_from_parent, listing_documents, listing_page,
    own_canonical, translations,
};
use crate::document::Document;
use crate::urls::canonicalize;

/// The documents the archived responses give, as a crawl would have
/// produced them: listings only for their items that have no page among
/// the archived ones (an item whose link redirected to a page has one),
/// canonical links followed, PDFs given their linking page's date and
/// themes, the same content indexed once. `responses` should hold one (the
/// newest 2xx) response per URL, `redirects` where URLs last redirected to
/// (see [`crate::archive::redirects`]).
pub fn documents_from_archive(
    config: &CrawlConfig,
    responses: &[ArchivedResponse],
    redirects: &HashMap<String, String>,
) -> Vec<Document> {
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
        let is_listing = source.is_listing(&url);
        match extract_body(
            &url,
            &response.body,
            &content_type,
            &source.id,
            is_pdf,
            is_listing,
        ) {
            Page::Html(page) => pages.push((url, source, *page)),
            Page::Pdf(document) => files.push((url, *document)),
            Page::None | Page::Sitemap(_) | Page::Unusable(_) => {}
        }
    }
    let mut parents: HashMap<String, Document> = HashMap::new();
    let mut documents = Vec::new();
    let mut listings = Vec::new();
    for (url, source, page) in pages {
        let mut document = page.document;
        if let Some(canonical) = own_canonical(page.canonical.as_ref(), &url, source, &aliases) {
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
        match source.is_listing(&url) {
            true => listings.push(listing_page(
                config,
                &aliases,
                source,
                &document,
                page.listing_items,
            )),
            false => documents.push(document),
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
    // Item links are canonical: so must the redirects followed from them be.
    let canonical = |url: &str| {
        Url::parse(url)
            .ok()
            .map(|u| canonicalize(&u, &aliases).to_string())
    };
    let moved: HashMap<String, String> = redirects
        .iter()
        .filter_map(|(from, to)| Some((canonical(from)?, canonical(to)?)))
        .collect();
    let is_page = |link: &str| {
        matches!(
            follow_moves(link, &moved, |url| has_page.contains(url)),
            Followed::Document
        )
    };
    documents.extend(listing_documents(listings, is_page));
    documents
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::archive::redirects;

    fn archived(url: &str, status: u16, headers: &[(&str, &str)], body: &str) -> ArchivedResponse {
        ArchivedResponse {
            url: url.to_owned(),
            fetched_at: Utc::now(),
            status,
            request_headers: Vec::new(),
            response_headers: headers
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    const HTML: (&str, &str) = ("Content-Type", "text/html; charset=utf-8");

    #[test]
    fn an_item_whose_link_redirected_to_a_page_has_a_page() {
        let entry = |path: &str, title: &str| {
            format!("<li><h2><a href=\"{path}\">{title}</a></h2><p>A teaser of the item.</p></li>")
        };
        let listing = format!(
            "<html lang=en><body><main><h1>News</h1><ul>{}{}</ul></main></body></html>",
            entry("/news/moved-item", "An item that moved to another address"),
            entry("/news/lost-item", "An item whose page was never fetched"),
        );
        let article = "<html lang=en><body><main><h1>The moved item</h1>\
             <p>Publication date: 3 March 2023</p>\
             <p>The item's page, at its new address, with text about asylum.</p></main></body></html>";
        let all = [
            archived("https://emnbelgium.be/news?page=0", 200, &[HTML], &listing),
            // Relative, through a host alias: both resolved as the crawl does.
            archived(
                "https://emnbelgium.be/news/moved-item",
                301,
                &[("Location", "//www.emnbelgium.be/news/step")],
                "",
            ),
            archived(
                "https://www.emnbelgium.be/news/step",
                302,
                &[("Location", "/news/new-address")],
                "",
            ),
            archived("https://emnbelgium.be/news/new-address", 200, &[HTML], article),
        ];
        let moved = redirects(&all);
        let documents = documents_from_archive(&CrawlConfig::default(), &all, &moved);
        let listing = documents
            .iter()
            .find(|d| d.url == "https://emnbelgium.be/news?page=0")
            .expect("the listing's document");
        let anchors: Vec<&str> = listing.passages.iter().map(|p| p.anchor.as_str()).collect();
        assert_eq!(anchors, ["item-an-item-whose-page-was-never-fetched"]);
        assert!(
            documents
                .iter()
                .any(|d| d.url == "https://emnbelgium.be/news/new-address")
        );
        // Without the redirects both items are listing-only.
        let without = documents_from_archive(&CrawlConfig::default(), &all, &HashMap::new());
        let listing = without
            .iter()
            .find(|d| d.url == "https://emnbelgium.be/news?page=0");
        assert_eq!(listing.map(|d| d.passages.len()), Some(2));
    }
}
