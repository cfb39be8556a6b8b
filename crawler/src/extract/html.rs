//! HTML page → [`HtmlPage`]: the document, its links, canonical URL,
//! language alternates and, for a listing, its items.
//!
//! The main content is found by generic structure (`main`, `article`,
//! `[role=main]`, `#content`...), labels are read from visible text, and the
//! date is only ever taken from a label, a `<time>`, a meta tag or a line
//! that is nothing but a date, never from a sentence of the body.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::fields::{
    self, clean_title, date_only, first_sentence, strip_site_suffix, top_date, top_date_lines,
};
use super::labels::{self, Labels};
use super::listing::{self, ListingItem};
use super::passages;
use super::text::{self, Line, Scope, collapse, inline_text, strip_markup};
use crate::document::{Document, TextBlock};
use crate::{dates, language, organisations};

/// A hyperlink of the page, resolved to an absolute URL without fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: Url,
    /// Visible text (or image `alt`/`title` for icon links), whitespace collapsed.
    pub text: String,
}

/// Everything the crawler needs from one HTML page.
#[derive(Debug, Clone, PartialEq)]
pub struct HtmlPage {
    pub document: Document,
    /// Every `<a href>` of the page, navigation included, in document order.
    pub links: Vec<Link>,
    /// `<link rel=canonical>`, resolved.
    pub canonical: Option<Url>,
    /// Other language versions: `(hreflang, url)` from `<link rel=alternate
    /// hreflang>` and the language switcher.
    pub alternates: Vec<(String, Url)>,
    /// The entries of a listing page, from [`extract_listing_html`]; empty
    /// from [`extract_html`].
    pub listing_items: Vec<ListingItem>,
}

/// Parses one of the constant selectors below.
fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("built-in selector is valid")
}

static MAIN_CANDIDATES: LazyLock<Vec<Selector>> = LazyLock::new(|| {
    [
        "main",
        "[role=main]",
        "article",
        "#content",
        "#main-content",
        ".main-content",
        "#main",
        ".node__content",
        ".region-content",
        ".content",
    ]
    .iter()
    .map(|s| sel(s))
    .collect()
});
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static META: LazyLock<Selector> = LazyLock::new(|| sel("meta[content]"));
static TIME: LazyLock<Selector> = LazyLock::new(|| sel("time"));
static ANCHORS: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));
static HTML_TAG: LazyLock<Selector> = LazyLock::new(|| sel("html"));
static BASE: LazyLock<Selector> = LazyLock::new(|| sel("base[href]"));
static LINK_TAGS: LazyLock<Selector> = LazyLock::new(|| sel("link[href][rel]"));
static IMG_ALT: LazyLock<Selector> = LazyLock::new(|| sel("img[alt]"));

/// Extracts a fetched HTML page. `url` is the real page URL, `source` the
/// source id copied into the document.
pub fn extract_html(url: &Url, html: &str, source: &str) -> HtmlPage {
    extract(url, html, source, false)
}

/// Extracts a listing page: as [`extract_html`], with its
/// [`listing_items`](HtmlPage::listing_items) read from the same parse.
pub fn extract_listing_html(url: &Url, html: &str, source: &str) -> HtmlPage {
    extract(url, html, source, true)
}

fn extract(url: &Url, html: &str, source: &str, listing: bool) -> HtmlPage {
    let doc = Html::parse_document(html);
    let base = base_url(&doc, url);
    let canonical = link_tags(&doc, &base, "canonical")
        .into_iter()
        .next()
        .map(|(_, u)| u);
    let mut alternates: Vec<(String, Url)> = link_tags(&doc, &base, "alternate")
        .into_iter()
        .filter_map(|(lang, u)| Some((lang?, u)))
        .collect();
    for alternate in switcher_links(&doc, &base) {
        if !alternates.contains(&alternate) {
            alternates.push(alternate);
        }
    }

    let body = doc.select(&BODY).next().unwrap_or_else(|| doc.root_element());
    let (root, main_lines) = main_content(body);
    let page_lines = text::lines(body, Scope::Page);

    let mut labels = labels::parse(&main_lines);
    let page_date = merge_labels(&mut labels, labels::parse(&page_lines));

    let metas = metas(&doc);
    let meta = |keys: &[&str]| -> Option<String> {
        keys.iter()
            .find_map(|k| metas.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    };

    // Title: the main content's h1, og:title, any visible h1, <title>, first sentence.
    let h1_main = root.select(&H1).map(inline_text).find(|t| !t.is_empty());
    let h1_page = page_lines.iter().find(|l| l.heading == Some(1)).map(Line::plain);
    let site_name = meta(&["og:site_name"]);
    let head_title = doc
        .select(&TITLE)
        .next()
        .map(|t| strip_site_suffix(&collapse(&t.text().collect::<String>()), site_name.as_deref()))
        .filter(|t| !t.is_empty());
    let title = h1_main
        .or_else(|| meta(&["og:title", "twitter:title"]).map(|t| strip_markup(&t)))
        .or(h1_page)
        .or(head_title)
        .map(|t| clean_title(&t))
        .filter(|t| !t.is_empty())
        .or_else(|| first_sentence(&main_lines, &labels.metadata_lines))
        .unwrap_or_default();

    // Date: label, <time> in the main content, meta tags, a date line at the top.
    let title_lines: Vec<usize> = (0..main_lines.len())
        .filter(|&i| same_text(&main_lines[i].plain(), &title))
        .chain(labels.metadata_lines.iter().copied())
        .collect();
    let date = labels
        .date
        .or_else(|| root.select(&TIME).find_map(|t| time_date(&t)))
        .or_else(|| {
            meta(&[
                "article:published_time",
                "dcterms.date",
                "dc.date",
                "date",
                "datepublished",
            ])
            .and_then(|v| dates::parse_date(&v))
        })
        .or_else(|| top_date(&main_lines, &title_lines))
        .or(page_date)
        .or(labels.duration_start);

    // Metadata shown as text (the date under the title, tag chips) leaves the text.
    let dropped: Vec<usize> = title_lines
        .iter()
        .copied()
        .chain(top_date_lines(&main_lines, &title_lines))
        .chain((0..main_lines.len()).filter(|&i| is_tag_line(&main_lines[i])))
        .collect();
    let mut blocks: Vec<TextBlock> = main_lines
        .iter()
        .enumerate()
        .filter(|(i, l)| !dropped.contains(i) && !is_file_name(&l.text))
        .map(|(_, l)| TextBlock {
            lang: None,
            text: l.plain(),
        })
        .collect();
    let html_lang = doc
        .select(&HTML_TAG)
        .next()
        .and_then(|h| h.value().attr("lang").map(str::to_string));
    language::assign_languages(&mut blocks, html_lang.as_deref());
    let languages = language::languages_by_share(&blocks);

    let mut keywords = labels.keywords.clone();
    for code in &labels.codes {
        push_unique(&mut keywords, code);
    }
    for tag in tag_links(&main_lines) {
        push_unique(&mut keywords, &tag);
    }

    let document_url = document_url(url, canonical.as_ref());
    let mut document = Document {
        url: document_url.to_string(),
        source: source.to_string(),
        doc_type: crate::DocType::Page,
        title,
        blocks,
        languages,
        date,
        themes: labels.themes.clone(),
        keywords,
        organisations: Vec::new(),
        organisation_mentions: Vec::new(),
        parent_url: None,
        passages: Vec::new(),
        translations: Vec::new(),
    };
    organisations::annotate(&mut document);
    let full_text = format!("{}\n\n{}", document.title, document.text());
    document.doc_type = fields::doc_type(&document_url, source, &labels, &full_text);
    document.passages = passages::html_passages(root, &main_lines, html_lang.as_deref(), document.doc_type);

    let listing_items = match listing {
        true => listing::document_items(&doc, &base, html_lang.as_deref()),
        false => Vec::new(),
    };
    HtmlPage {
        document,
        links: anchors(&doc, &base),
        canonical,
        alternates,
        listing_items,
    }
}

/// Fills what the main content's labels left empty with the page's, and
/// returns the page's labelled date: it only counts after the main content's
/// own date sources (a sidebar may list other items' dates).
fn merge_labels(main: &mut Labels, page: Labels) -> Option<chrono::NaiveDate> {
    main.has_when |= page.has_when;
    main.has_where |= page.has_where;
    main.duration_start = main.duration_start.or(page.duration_start);
    if main.themes.is_empty() {
        main.themes = page.themes;
    }
    if main.keywords.is_empty() {
        main.keywords = page.keywords;
    }
    if main.publication_types.is_empty() {
        main.publication_types = page.publication_types;
    }
    if main.codes.is_empty() {
        main.codes = page.codes;
    }
    page.date
}

/// The first candidate container that shows some text, else the body.
fn main_content(body: ElementRef<'_>) -> (ElementRef<'_>, Vec<Line>) {
    for candidate in MAIN_CANDIDATES.iter() {
        for element in body.select(candidate) {
            let lines = text::lines(element, Scope::Main);
            if !lines.is_empty() {
                return (element, lines);
            }
        }
    }
    (body, text::lines(body, Scope::Main))
}

fn same_text(a: &str, b: &str) -> bool {
    !b.is_empty() && collapse(a).to_lowercase() == collapse(b).to_lowercase()
}

/// Captions that are just a file name (`urn-...-full-false.jpg`).
fn is_file_name(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    !t.contains(' ')
        && [
            ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".pdf", ".doc", ".docx",
        ]
        .iter()
        .any(|e| t.ends_with(e))
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x.eq_ignore_ascii_case(item)) {
        list.push(item.to_string());
    }
}

fn time_date(time: &ElementRef<'_>) -> Option<chrono::NaiveDate> {
    let attr = time.value().attr("datetime").and_then(dates::parse_date);
    attr.or_else(|| date_only(&collapse(&time.text().collect::<String>())))
}

/// `(name or property, content)` of every meta tag, names lowercased.
fn metas(doc: &Html) -> Vec<(String, String)> {
    doc.select(&META)
        .filter_map(|m| {
            let e = m.value();
            let name = e.attr("property").or(e.attr("name")).or(e.attr("itemprop"))?;
            Some((name.trim().to_lowercase(), e.attr("content")?.trim().to_string()))
        })
        .collect()
}

pub(super) fn base_url(doc: &Html, url: &Url) -> Url {
    doc.select(&BASE)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|h| url.join(h.trim()).ok())
        .unwrap_or_else(|| url.clone())
}

/// Resolves an `href`: absolute http(s) only, fragment removed.
pub(super) fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let mut url = base.join(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

/// `(hreflang, url)` of `<link>` tags whose `rel` contains `rel`.
fn link_tags(doc: &Html, base: &Url, rel: &str) -> Vec<(Option<String>, Url)> {
    doc.select(&LINK_TAGS)
        .filter(|l| {
            let rels = l.value().attr("rel").unwrap_or("");
            rels.split_whitespace().any(|r| r.eq_ignore_ascii_case(rel))
        })
        .filter_map(|l| {
            let url = resolve(base, l.value().attr("href")?)?;
            Some((l.value().attr("hreflang").map(|h| h.trim().to_lowercase()), url))
        })
        .collect()
}

fn anchors(doc: &Html, base: &Url) -> Vec<Link> {
    doc.select(&ANCHORS)
        .filter_map(|a| {
            let url = resolve(base, a.value().attr("href")?)?;
            let mut text = collapse(&a.text().collect::<String>());
            if text.is_empty() {
                let alt = a
                    .select(&IMG_ALT)
                    .next()
                    .and_then(|i| i.value().attr("alt").map(str::to_string));
                text = collapse(
                    &alt.or(a.value().attr("title").map(str::to_string))
                        .unwrap_or_default(),
                );
            }
            Some(Link { url, text })
        })
        .collect()
}

/// Language code of a switcher link, from `hreflang`, `lang` or its text.
fn switcher_lang(a: &ElementRef<'_>) -> Option<String> {
    let e = a.value();
    if let Some(code) = e.attr("hreflang").or(e.attr("lang")) {
        return Some(code.trim().to_lowercase());
    }
    let text = collapse(&a.text().collect::<String>()).to_lowercase();
    let code = match text.as_str() {
        "fr" | "français" | "francais" => "fr",
        "nl" | "nederlands" => "nl",
        "en" | "english" => "en",
        "de" | "deutsch" => "de",
        _ => return None,
    };
    Some(code.to_string())
}

/// Links inside a language switcher (class/id words `language`, `locale`,
/// `lang`...) or marked as language links.
fn switcher_links(doc: &Html, base: &Url) -> Vec<(String, Url)> {
    const WORDS: &[&str] = &[
        "language",
        "languages",
        "lang",
        "langs",
        "locale",
        "locales",
        "switcher",
    ];
    doc.select(&ANCHORS)
        .filter(|a| {
            a.ancestors()
                .chain(std::iter::once(**a))
                .filter_map(ElementRef::wrap)
                .any(|e| {
                    let v = e.value();
                    if matches!(v.name(), "html" | "body") {
                        return false;
                    }
                    let words = format!("{} {}", v.attr("class").unwrap_or(""), v.attr("id").unwrap_or(""));
                    words
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| WORDS.contains(&w.to_ascii_lowercase().as_str()))
                })
        })
        .filter_map(|a| Some((switcher_lang(&a)?, resolve(base, a.value().attr("href")?)?)))
        .collect()
}

/// Whether `href` points to a tag/keyword/category page (`/keywords/video`,
/// `?category=asile-et-migration`).
fn is_tag_href(href: &str) -> bool {
    static BASE: LazyLock<Option<Url>> = LazyLock::new(|| Url::parse("https://example.invalid/").ok());
    let Some(url) = BASE.as_ref().and_then(|b| b.join(href).ok()) else {
        return false;
    };
    let segs: Vec<String> = url
        .path_segments()
        .map(|s| s.map(str::to_lowercase).collect())
        .unwrap_or_default();
    let in_path = segs.iter().enumerate().any(|(i, s)| {
        matches!(
            s.as_str(),
            "keywords" | "tags" | "tag" | "trefwoorden" | "mots-cles"
        ) && i + 1 < segs.len()
    });
    in_path
        || url
            .query_pairs()
            .any(|(k, _)| matches!(k.as_ref(), "category" | "tag" | "tags" | "keyword"))
}

/// A line made only of tag links (category chips).
fn is_tag_line(line: &Line) -> bool {
    let linked: usize = line.links.iter().map(|(t, _)| t.len() + 1).sum();
    !line.links.is_empty() && line.links.iter().all(|(_, h)| is_tag_href(h)) && linked >= line.text.len()
}

/// Texts of the tag links of the main text.
fn tag_links(lines: &[Line]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for (text, href) in lines.iter().flat_map(|l| l.links.iter()) {
        if is_tag_href(href) && text.chars().count() <= 60 && !tags.contains(text) {
            tags.push(text.clone());
        }
    }
    tags
}

/// The canonical URL when it is on the same site, else the page URL
/// (without fragment).
fn document_url(url: &Url, canonical: Option<&Url>) -> Url {
    let host = |u: &Url| {
        u.host_str()
            .unwrap_or("")
            .trim_start_matches("www.")
            .to_lowercase()
    };
    match canonical {
        Some(c) if host(c) == host(url) => c.clone(),
        _ => {
            let mut u = url.clone();
            u.set_fragment(None);
            u
        }
    }
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
