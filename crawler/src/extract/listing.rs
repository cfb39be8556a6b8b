//! Items of a listing page (news, publications): title, link, date, themes
//! and teaser of each entry.
//!
//! Items are found by structure, not by one site's class names: inside the
//! main content, the largest set of sibling containers of one kind (same tag
//! and first class, under parents of one kind) that each show a title, i.e.
//! a heading or a link of several words. Drupal's `views-row`s, `<article>`
//! teasers and `<li>` entries all fit.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use chrono::NaiveDate;
use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::fields::date_only;
use super::html::{base_url, resolve};
use super::labels;
use super::text::{self, Line, Scope, collapse};
use crate::document::{DocType, TextBlock};
use crate::language;

/// One entry of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingItem {
    pub title: String,
    /// Absolute URL of the title link (or of its "read more" link), without
    /// fragment; not canonicalised (the caller knows the host aliases).
    pub link: Option<Url>,
    pub date: Option<NaiveDate>,
    /// Canonical themes of the item's `Main theme:` label.
    pub themes: Vec<String>,
    /// Teaser text, title, date and labels left out, each block with its language.
    pub blocks: Vec<TextBlock>,
    /// Languages of title and teaser, most used first.
    pub languages: Vec<String>,
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).expect("built-in selector is valid")
}

/// Where the listing sits; `article` is left out because items may be articles.
static ROOTS: LazyLock<Vec<Selector>> = LazyLock::new(|| {
    [
        "main",
        "[role=main]",
        "#main-content",
        "#content",
        ".region-content",
        "body",
    ]
    .iter()
    .map(|s| sel(s))
    .collect()
});
static HTML_TAG: LazyLock<Selector> = LazyLock::new(|| sel("html"));
static TIME: LazyLock<Selector> = LazyLock::new(|| sel("time"));

/// Containers whose repeated children are navigation, not items.
const CHROME_TAGS: &[&str] = &["nav", "aside", "header", "footer", "select"];
const CHROME_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
    "menu",
];
const CHROME_WORDS: &[&str] = &[
    "pager",
    "pagination",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "related",
    "language",
    "switcher",
    "share",
    "social",
    "tabs",
    "facets",
    "filters",
];

/// "Read more" in the sites' languages: such a link gives the item's page,
/// never its title.
const READ_MORE: &[&str] = &[
    "read more",
    "more",
    "lees meer",
    "meer lezen",
    "lees verder",
    "meer",
    "lire la suite",
    "lire plus",
    "en savoir plus",
    "plus",
    "suite",
    "weiterlesen",
    "continue reading",
    "details",
];

/// The items of a listing page, in page order; empty when the page shows
/// no repeated entries. `url` is the page's address, for relative links.
pub fn listing_items(url: &Url, html: &str) -> Vec<ListingItem> {
    let doc = Html::parse_document(html);
    let html_lang = doc
        .select(&HTML_TAG)
        .next()
        .and_then(|h| h.value().attr("lang").map(str::to_string));
    document_items(&doc, &base_url(&doc, url), html_lang.as_deref())
}

/// The items of a parsed listing page (for [`extract_listing_html`](super::extract_listing_html),
/// which has parsed it already); `base` resolves relative links.
pub(super) fn document_items(doc: &Html, base: &Url, html_lang: Option<&str>) -> Vec<ListingItem> {
    let Some(root) = ROOTS.iter().find_map(|s| doc.select(s).next()) else {
        return Vec::new();
    };
    entries(root)
        .into_iter()
        .filter_map(|entry| item(entry, base, html_lang))
        .collect()
}

/// `tag.first-class`: siblings of one kind share it whatever their other
/// classes (`views-row views-row-1 views-row-odd`).
fn signature(e: ElementRef<'_>) -> String {
    let v = e.value();
    match v.attr("class").and_then(|c| c.split_whitespace().next()) {
        Some(class) => format!("{}.{}", v.name(), class),
        None => v.name().to_string(),
    }
}

fn is_chrome(e: ElementRef<'_>) -> bool {
    let v = e.value();
    if CHROME_TAGS.contains(&v.name()) {
        return true;
    }
    if v.attr("role")
        .is_some_and(|r| CHROME_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    let words = format!("{} {}", v.attr("class").unwrap_or(""), v.attr("id").unwrap_or(""));
    words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| CHROME_WORDS.contains(&w.to_ascii_lowercase().as_str()))
}

/// The entry containers: of all groups of same-kind siblings outside page
/// chrome, the kind (parent kind, child kind) with the most titled members.
fn entries(root: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut kinds: HashMap<(String, String), Vec<ElementRef<'_>>> = HashMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    let mut stack = vec![root];
    while let Some(parent) = stack.pop() {
        let children: Vec<ElementRef<'_>> = parent
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| !is_chrome(*c))
            .collect();
        let mut groups: Vec<(String, Vec<ElementRef<'_>>)> = Vec::new();
        for child in &children {
            let sig = signature(*child);
            match groups.iter_mut().find(|(s, _)| *s == sig) {
                Some((_, members)) => members.push(*child),
                None => groups.push((sig, vec![*child])),
            }
        }
        for (sig, members) in groups {
            if members.len() < 2 {
                continue;
            }
            let titled: Vec<ElementRef<'_>> = members
                .iter()
                .copied()
                .filter(|m| title_line(&text::lines(*m, Scope::Main)).is_some())
                .collect();
            // Most members must look like entries: a few links among
            // paragraphs do not make a listing.
            if titled.len() < 2 || titled.len() * 2 < members.len() {
                continue;
            }
            let key = (signature(parent), sig);
            if !kinds.contains_key(&key) {
                order.push(key.clone());
            }
            kinds.entry(key).or_default().extend(titled);
        }
        // Reversed so that the walk (a stack) keeps document order.
        stack.extend(children.into_iter().rev());
    }
    let Some(best) = order.iter().max_by(|a, b| {
        // On a tie the first kind in the page wins (`max_by` keeps the last).
        kinds[*a]
            .len()
            .cmp(&kinds[*b].len())
            .then(std::cmp::Ordering::Greater)
    }) else {
        return Vec::new();
    };
    kinds.remove(best).unwrap_or_default()
}

/// The line holding an entry's title and the link it gives: the first
/// heading, else the first link of at least three words that is not a
/// "read more".
fn title_line(lines: &[Line]) -> Option<(usize, String, Option<String>)> {
    if let Some((i, line)) = lines.iter().enumerate().find(|(_, l)| l.heading.is_some()) {
        let href = line
            .links
            .iter()
            .find(|(t, _)| !is_read_more(t))
            .map(|(_, h)| h.clone());
        return Some((i, line.plain(), href));
    }
    lines.iter().enumerate().find_map(|(i, line)| {
        let (text, href) = line
            .links
            .iter()
            .find(|(t, _)| t.split_whitespace().count() >= 3 && !is_read_more(t))?;
        Some((i, collapse(text), Some(href.clone())))
    })
}

fn is_read_more(text: &str) -> bool {
    let t = text.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
    let t = collapse(&t);
    t.split_whitespace().count() <= 6
        && READ_MORE
            .iter()
            .any(|p| t == *p || t.strip_prefix(p).is_some_and(|rest| rest.starts_with(' ')))
}

/// A line that is nothing but a "read more" link.
fn is_read_more_line(line: &Line) -> bool {
    line.links.len() == 1 && is_read_more(&line.text)
}

fn item(entry: ElementRef<'_>, base: &Url, html_lang: Option<&str>) -> Option<ListingItem> {
    let lines = text::lines(entry, Scope::Main);
    let (title_index, title, title_href) = title_line(&lines)?;
    let title = super::fields::clean_title(&title);
    if title.is_empty() {
        return None;
    }
    let read_more = lines
        .iter()
        .filter(|l| is_read_more_line(l))
        .find_map(|l| l.links.first().map(|(_, h)| h.clone()));
    let link = title_href.or(read_more).and_then(|h| resolve(base, &h));

    // Labels are read without the title and "read more" lines, which must
    // not be taken for a theme's value.
    let rest: Vec<Line> = lines
        .into_iter()
        .enumerate()
        .filter(|(i, l)| *i != title_index && !is_read_more_line(l))
        .map(|(_, l)| l)
        .collect();
    let found = labels::parse(&rest);
    let date_lines: Vec<usize> = (0..rest.len())
        .filter(|&i| !found.metadata_lines.contains(&i) && date_only(&rest[i].text).is_some())
        .collect();
    let date = found
        .date
        .or_else(|| date_lines.first().and_then(|&i| date_only(&rest[i].text)))
        .or_else(|| entry.select(&TIME).find_map(time_date));

    let mut blocks: Vec<TextBlock> = rest
        .iter()
        .enumerate()
        .filter(|(i, _)| !found.metadata_lines.contains(i) && !date_lines.contains(i))
        .map(|(_, l)| TextBlock {
            lang: None,
            text: l.plain(),
        })
        .collect();
    // A teaser is often too short to tell: the title helps.
    let title_lang = language::detect(&title);
    language::assign_languages(&mut blocks, title_lang.or(html_lang));
    let mut all = blocks.clone();
    all.push(TextBlock {
        lang: title_lang.map(str::to_string).or_else(|| {
            let lang = blocks.iter().find_map(|b| b.lang.clone());
            lang.or_else(|| html_lang.and_then(primary_lang))
        }),
        text: title.clone(),
    });
    let languages = language::languages_by_share(&all);
    Some(ListingItem {
        title,
        link,
        date,
        themes: found.themes,
        blocks,
        languages,
    })
}

fn primary_lang(lang: &str) -> Option<String> {
    let primary = lang.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    (primary.len() == 2 && primary.chars().all(|c| c.is_ascii_alphabetic())).then_some(primary)
}

fn time_date(time: ElementRef<'_>) -> Option<NaiveDate> {
    let attr = time.value().attr("datetime").and_then(crate::dates::parse_date);
    attr.or_else(|| date_only(&collapse(&time.text().collect::<String>())))
}

/// The type facet of a listing's items, from the listing's path: news
/// listings give `News`, publication listings `Publication`, others `None`.
pub fn listing_item_type(listing: &Url) -> Option<DocType> {
    let path = listing.path().to_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let has = |words: &[&str]| segments.iter().any(|s| words.iter().any(|w| s.contains(w)));
    if has(&["news", "nieuws", "actualites", "actualit%c3%a9s"]) {
        Some(DocType::News)
    } else if has(&["publication", "publicati"]) {
        Some(DocType::Publication)
    } else {
        None
    }
}

/// `item-<slug>`: the title's first eight words in lowercase ASCII, joined
/// by dashes; `-2`, `-3`... when `taken` already holds it. The anchor is
/// added to `taken`.
pub fn item_anchor(title: &str, taken: &mut HashSet<String>) -> String {
    crate::slug::anchor("item", title, 8, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(html: &str) -> Vec<ListingItem> {
        listing_items(&Url::parse("https://emnbelgium.be/news?page=0").unwrap(), html)
    }

    fn date(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    const DRUPAL: &str = r#"<html lang="en"><body>
      <nav class="menu"><ul><li><a href="/news">News and other things here</a></li>
        <li><a href="/about">About the network here</a></li><li><a href="/x">Some other page</a></li></ul></nav>
      <main><h1>News</h1><div class="view-content">
        <div class="views-row views-row-1">
          <div class="views-field"><div class="field-content">10 February 2022</div></div>
          <div class="views-field"><h3><a href="/news/digital-services?q=/news/x">To what extent could digital services support migration?</a></h3></div>
          <div class="views-field"><p>This joint EMN-OECD inform focuses on digital technologies in asylum procedures.</p></div>
          <div class="views-field"><span class="views-label">Main Theme: </span><div class="field-content"><a href="/cross-sectional">Cross-sectional</a></div></div>
          <div class="views-field"><a href="/news/digital-services#more">Read more<span class="visually-hidden"> about it</span></a></div>
        </div>
        <div class="views-row views-row-2">
          <div class="views-field"><div class="field-content">22 March 2021</div></div>
          <div class="views-field"><h3>The CGRS launched asyluminbelgium.be</h3></div>
          <div class="views-field"><p>This new website provides information in nine languages about the asylum procedure.</p></div>
        </div>
        <div class="views-row views-row-3">
          <div class="views-field"><h3><a href="https://other.example/report">Annual report on asylum figures</a></h3></div>
          <p>Publication date: 14 October 2021</p>
          <div>Hoofdthema: Internationale bescherming, Asiel</div>
        </div>
      </div>
      <nav class="pager"><ul><li><a href="?page=1">Next page of results</a></li><li><a href="?page=2">Last page of results</a></li></ul></nav>
      </main></body></html>"#;

    #[test]
    fn drupal_rows_become_items() {
        let found = items(DRUPAL);
        assert_eq!(found.len(), 3, "{found:#?}");
        let first = &found[0];
        assert_eq!(
            first.title,
            "To what extent could digital services support migration?"
        );
        assert_eq!(
            first.link.as_ref().map(Url::as_str),
            Some("https://emnbelgium.be/news/digital-services?q=/news/x")
        );
        assert_eq!(first.date, date("2022-02-10"));
        assert_eq!(first.themes, ["Cross-sectional"]);
        let texts: Vec<&str> = first.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["This joint EMN-OECD inform focuses on digital technologies in asylum procedures."]
        );
        assert_eq!(first.languages, ["en"]);

        let second = &found[1];
        assert_eq!(second.link, None);
        assert_eq!(second.date, date("2021-03-22"));
        assert!(second.themes.is_empty());

        let third = &found[2];
        assert_eq!(
            third.link.as_ref().map(Url::as_str),
            Some("https://other.example/report")
        );
        assert_eq!(third.date, date("2021-10-14"));
        assert_eq!(third.themes, ["International Protection", "Asylum"]);
        assert!(third.blocks.is_empty(), "{:?}", third.blocks);
    }

    #[test]
    fn read_more_gives_the_link_when_the_title_has_none() {
        let html = r#"<main><ul>
            <li><h2>First item title</h2><p>Teaser one.</p><a href="/a">Lees meer</a></li>
            <li><h2>Second item title</h2><p>Teaser two.</p><a href="/b">Lees meer</a></li>
          </ul></main>"#;
        let found = items(html);
        assert_eq!(found.len(), 2);
        assert_eq!(
            found[1].link.as_ref().map(Url::as_str),
            Some("https://emnbelgium.be/b")
        );
        assert_eq!(found[1].blocks.len(), 1);
    }

    #[test]
    fn articles_with_time_tags() {
        let html = r#"<main><section>
            <article class="teaser"><a href="/fr/actualites/un">Un nouveau centre d'accueil ouvre ses portes</a>
              <time datetime="2018-04-13">13/04/2018</time></article>
            <article class="teaser"><a href="/fr/actualites/deux">Le retour volontaire en chiffres pour 2017</a>
              <time datetime="2018-02-01">1er février 2018</time></article>
          </section></main>"#;
        let found = items(html);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(found[0].date, date("2018-04-13"));
        assert_eq!(found[1].title, "Le retour volontaire en chiffres pour 2017");
    }

    #[test]
    fn a_page_without_repeated_entries_has_no_items() {
        let html = r#"<main><h1>About</h1><p>Some text with <a href="/a">a link of words</a>.</p>
            <p>More prose here.</p><p>And more prose.</p></main>"#;
        assert!(items(html).is_empty());
    }

    #[test]
    fn the_mirror_news_listing() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../mirror/site/emnbelgium.be/news__page=0.html"
        );
        let Ok(html) = std::fs::read_to_string(path) else {
            return;
        };
        let found = items(&html);
        assert_eq!(found.len(), 10, "{found:#?}");
        assert!(found.iter().all(|i| i.link.is_some() && i.date.is_some()));
        assert_eq!(
            found[2].title,
            "The annual report contains a complete overview of the asylum figures of 2020"
        );
        assert!(found[2].themes.is_empty());
        assert_eq!(found[9].themes, ["Borders & Visa"]);
    }

    #[test]
    fn item_types_from_the_listing_path() {
        let t = |u: &str| listing_item_type(&Url::parse(u).unwrap());
        assert_eq!(t("https://emnbelgium.be/news?page=3"), Some(DocType::News));
        assert_eq!(t("https://emnbelgium.be/nl/nieuws"), Some(DocType::News));
        assert_eq!(t("https://fedasil.be/fr/actualites"), Some(DocType::News));
        assert_eq!(
            t("https://emnbelgium.be/all-publications?page=1"),
            Some(DocType::Publication)
        );
        assert_eq!(
            t("https://emnbelgium.be/publication-type/emn-reports-studies"),
            Some(DocType::Publication)
        );
        assert_eq!(t("https://emnbelgium.be/keywords/video"), None);
    }

    #[test]
    fn anchors_are_ascii_short_and_unique() {
        let mut taken = HashSet::new();
        let a = item_anchor(
            "L'Office des Étrangers publie son rapport annuel 2020 sur l'asile et la migration",
            &mut taken,
        );
        assert_eq!(a, "item-loffice-des-etrangers-publie-son-rapport-annuel-2020");
        assert_eq!(
            item_anchor(
                "L'Office des Étrangers publie son rapport annuel 2020",
                &mut taken
            ),
            format!("{a}-2")
        );
        assert_eq!(item_anchor("!!", &mut HashSet::new()), "item");
    }
}
