//! Visible text of an HTML subtree as lines, boilerplate left out.
//!
//! A "line" is what one block element (paragraph, heading, list item, table
//! row, `div` text) shows, whitespace collapsed, with the links inside it.
//! Boilerplate is recognised by tag, ARIA role and common class/id words, not
//! by one site's class names, so unseen markup from the same sites works too.

use std::sync::LazyLock;

use regex::Regex;
use scraper::node::{Element, Node};
use scraper::{ElementRef, Html, Selector};

/// One block of visible text.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Line {
    /// Collapsed text; table cells are separated by a tab.
    pub text: String,
    /// `(text, href)` of the links inside the line, in order.
    pub links: Vec<(String, String)>,
    /// `Some(n)` for an `<hn>` heading.
    pub heading: Option<u8>,
}

impl Line {
    /// The text as a block shows it (cells joined by a space).
    pub fn plain(&self) -> String {
        self.text.replace('\t', " ")
    }
}

/// Which parts of the page to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// The main text: sidebars go too.
    Main,
    /// Everything a reader sees around the content (labels may sit in a sidebar).
    Page,
}

/// Never visible or never content.
const DROPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas", "button",
    "select", "input", "textarea", "head", "title", "meta", "link", "nav", "dialog",
];

/// Roles of navigation and page chrome.
const DROPPED_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "search",
    "menu",
    "menubar",
    "toolbar",
];

/// Class/id words of menus, switchers, sharing widgets and the like.
const DROPPED_WORDS: &[&str] = &[
    "menu",
    "menus",
    "breadcrumb",
    "breadcrumbs",
    "language",
    "languages",
    "locale",
    "locales",
    "switcher",
    "share",
    "sharing",
    "sharethis",
    "addtoany",
    "social",
    "cookie",
    "cookies",
    "pager",
    "pagination",
    "skip",
    "navbar",
    "topbar",
    "toolbar",
    "footer",
    "disclaimer",
    "print",
];

/// Whole classes of text that is hidden on screen (screen-reader text).
const HIDDEN_CLASSES: &[&str] = &[
    "visually-hidden",
    "sr-only",
    "screen-reader-text",
    "element-invisible",
    "hidden",
    "d-none",
    "is-hidden",
];

/// Extra words for the main text only.
const DROPPED_WORDS_MAIN: &[&str] = &["sidebar", "related"];

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "ul",
    "caption",
];

/// Inline elements whose edges separate words when the markup glues them
/// (`<span>17/12/2025</span><span>08:00</span>`); formatting tags like `<b>`
/// can split a word and are left alone.
const SEPARATING_INLINE: &[&str] = &["a", "span", "time", "label", "img", "abbr", "cite", "small"];

/// Escaped markup left in the text (`&lt;p&gt;` in the source).
static ESCAPED_TAG: LazyLock<Regex> = LazyLock::new(|| {
    // Also the doubly escaped form, seen as `&lt;p&gt;` after one parse.
    Regex::new(r"(?i)(?:<|&lt;)/?(?:p|br|div|span|strong|em|b|i|u|ul|ol|li|a|h[1-6]|blockquote|table|tr|td)\b[^>]*?(?:>|&gt;)")
        .expect("escaped tag regex is valid")
});

/// How deep escaped markup is unescaped (`&amp;lt;p&amp;gt;` is two levels).
const MAX_REPARSE: usize = 3;

/// Deeper nesting is not walked: the walk is recursive and hostile markup
/// must not exhaust the stack.
const MAX_NESTING: usize = 256;

/// Texts of "skip to content" links, which point inside the page.
const SKIP_LINK_STARTS: &[&str] = &[
    "skip",
    "aller au",
    "passer au",
    "ga naar",
    "naar de",
    "direct naar",
    "zum inhalt",
];

fn class_words(element: &Element) -> impl Iterator<Item = String> + '_ {
    let class = element.attr("class").unwrap_or("");
    let id = element.attr("id").unwrap_or("");
    class
        .split(|c: char| !c.is_ascii_alphanumeric())
        .chain(id.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
}

/// Whether `element` (and its subtree) is left out in `scope`.
fn is_dropped(element: &ElementRef<'_>, scope: Scope, in_article: bool) -> bool {
    let e = element.value();
    let name = e.name();
    if DROPPED_TAGS.contains(&name) || e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    if e.attr("class")
        .is_some_and(|c| c.split_whitespace().any(|c| HIDDEN_CLASSES.contains(&c)))
    {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let style = style.replace(' ', "").to_ascii_lowercase();
        if style.contains("display:none") || style.contains("visibility:hidden") {
            return true;
        }
    }
    // An article's own header/footer holds its title and date.
    if matches!(name, "header" | "footer") && !in_article {
        return true;
    }
    if name == "a" && e.attr("href").is_some_and(|h| h.trim_start().starts_with('#')) {
        let text = element.text().collect::<String>().trim().to_lowercase();
        if SKIP_LINK_STARTS.iter().any(|s| text.starts_with(s)) {
            return true;
        }
    }
    if scope == Scope::Main && name == "aside" {
        return true;
    }
    if name == "form" && !has_content(element) {
        return true;
    }
    if let Some(role) = e.attr("role") {
        let role = role.to_ascii_lowercase();
        if DROPPED_ROLES.contains(&role.as_str()) || (scope == Scope::Main && role == "complementary") {
            return true;
        }
    }
    // Structural containers keep their content whatever their classes say
    // (Drupal puts `lang-fr` on `<body>`).
    if matches!(name, "html" | "body" | "main" | "article") {
        return false;
    }
    class_words(e).any(|w| {
        DROPPED_WORDS.contains(&w.as_str())
            || (scope == Scope::Main && DROPPED_WORDS_MAIN.contains(&w.as_str()))
    })
}

/// Some sites wrap the whole page in a `<form>`; only small forms are dropped.
fn has_content(element: &ElementRef<'_>) -> bool {
    static CONTENT: LazyLock<Selector> =
        LazyLock::new(|| Selector::parse("main, article, h1, p").expect("content selector is valid"));
    element.select(&CONTENT).next().is_some()
}

struct Walker {
    scope: Scope,
    lines: Vec<Line>,
    current: Line,
    /// The previous inline element ended: a space is due if words touch.
    boundary: bool,
    /// Current element nesting.
    level: usize,
}

impl Walker {
    fn flush(&mut self) {
        let text = self
            .current
            .text
            .trim_matches(|c: char| c == ' ' || c == '\t')
            .to_string();
        let has_words = text.chars().any(|c| c.is_alphanumeric());
        if has_words {
            let links = std::mem::take(&mut self.current.links);
            self.lines.push(Line {
                text,
                links,
                heading: self.current.heading,
            });
        }
        self.current = Line::default();
        self.boundary = false;
    }

    fn push_text(&mut self, raw: &str) {
        for c in raw.chars() {
            let buf = &mut self.current.text;
            if c.is_whitespace() {
                if !buf.is_empty() && !buf.ends_with([' ', '\t']) {
                    buf.push(' ');
                }
                self.boundary = false;
                continue;
            }
            if self.boundary && c.is_alphanumeric() && buf.ends_with(|p: char| p.is_alphanumeric()) {
                buf.push(' ');
            }
            self.boundary = false;
            buf.push(c);
        }
    }

    fn text_node(&mut self, text: &str, depth: usize) {
        if depth < MAX_REPARSE && ESCAPED_TAG.is_match(text) {
            let fragment = Html::parse_fragment(text);
            self.children(fragment.root_element(), false, depth + 1);
        } else {
            self.push_text(text);
        }
    }

    fn children(&mut self, element: ElementRef<'_>, in_article: bool, depth: usize) {
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.text_node(text, depth),
                Node::Element(_) => {
                    if let Some(child) = ElementRef::wrap(child) {
                        self.element(child, in_article, depth);
                    }
                }
                _ => {}
            }
        }
    }

    fn element(&mut self, element: ElementRef<'_>, in_article: bool, depth: usize) {
        if self.level >= MAX_NESTING || is_dropped(&element, self.scope, in_article) {
            return;
        }
        self.level += 1;
        self.element_inner(element, in_article, depth);
        self.level -= 1;
    }

    fn element_inner(&mut self, element: ElementRef<'_>, in_article: bool, depth: usize) {
        let name = element.value().name();
        let in_article = in_article || name == "article";
        match name {
            "br" | "hr" => self.flush(),
            "td" | "th" => {
                if !self.current.text.is_empty() && !self.current.text.ends_with('\t') {
                    self.current.text.push('\t');
                }
                self.children(element, in_article, depth);
            }
            "a" => {
                self.boundary = true;
                let start = self.current.text.len();
                self.children(element, in_article, depth);
                let text = self.current.text.get(start..).unwrap_or("").trim().to_string();
                if let Some(href) = element.value().attr("href")
                    && !text.is_empty()
                {
                    self.current.links.push((text, href.trim().to_string()));
                }
                self.boundary = true;
            }
            _ if BLOCK_TAGS.contains(&name) => {
                self.flush();
                let heading = name
                    .strip_prefix('h')
                    .and_then(|n| n.parse::<u8>().ok())
                    .filter(|n| (1..=6).contains(n));
                self.current.heading = heading;
                self.children(element, in_article, depth);
                self.flush();
            }
            _ if SEPARATING_INLINE.contains(&name) => {
                self.boundary = true;
                self.children(element, in_article, depth);
                self.boundary = true;
            }
            _ => self.children(element, in_article, depth),
        }
    }
}

/// The visible lines of `root` in reading order.
pub(crate) fn lines(root: ElementRef<'_>, scope: Scope) -> Vec<Line> {
    let mut walker = Walker {
        scope,
        lines: Vec::new(),
        current: Line::default(),
        boundary: false,
        level: 0,
    };
    let in_article = root
        .ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().name() == "article");
    // The root itself is walked through its children so that its own
    // classes never drop it.
    walker.children(root, in_article || root.value().name() == "article", 0);
    walker.flush();
    walker.lines
}

/// Text of a small piece (title, link) with escaped markup removed.
pub(crate) fn inline_text(root: ElementRef<'_>) -> String {
    let lines = lines(root, Scope::Page);
    lines.iter().map(Line::plain).collect::<Vec<_>>().join(" ")
}

/// Strips tags from a string that may hold escaped markup (`og:title`).
pub(crate) fn strip_markup(text: &str) -> String {
    if !ESCAPED_TAG.is_match(text) && !text.contains('<') {
        return collapse(text);
    }
    let fragment = Html::parse_fragment(text);
    inline_text(fragment.root_element())
}

/// Collapses whitespace runs to single spaces and trims.
pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_lines(html: &str, scope: Scope) -> Vec<String> {
        let doc = Html::parse_document(html);
        let sel = Selector::parse("body").unwrap();
        let body = doc.select(&sel).next().unwrap();
        lines(body, scope).iter().map(Line::plain).collect()
    }

    #[test]
    fn blocks_in_reading_order_without_chrome() {
        let html = r#"<body class="lang-fr"><header><a href="/">Site</a></header>
            <nav><a href="/x">Menu item</a></nav>
            <div class="breadcrumb"><a href="/">Home</a> &gt; Here</div>
            <div class="region-content"><h2>Heading</h2><p>First   paragraph
            text.</p><ul><li>one</li><li>two</li></ul>
            <table><tr><th>Code</th><td>AMIF-1</td></tr></table></div>
            <aside><p>Side note</p></aside>
            <div class="social-share">Share on X</div><footer>Footer text</footer>
            <p><a href="/n">Read more<span class="visually-hidden"> about this</span></a></p>
            <script>var x = 1;</script></body>"#;
        assert_eq!(
            body_lines(html, Scope::Main),
            [
                "Heading",
                "First paragraph text.",
                "one",
                "two",
                "Code AMIF-1",
                "Read more"
            ]
        );
        assert!(body_lines(html, Scope::Page).contains(&"Side note".to_string()));
    }

    #[test]
    fn skip_links_and_deep_nesting() {
        let html = r##"<body><a href="#main">Skip to main content</a><p>Text</p></body>"##;
        assert_eq!(body_lines(html, Scope::Main), ["Text"]);
        let deep = format!(
            "<body>{}deep{}</body>",
            "<div>".repeat(5000),
            "</div>".repeat(5000)
        );
        let _ = body_lines(&deep, Scope::Main);
    }

    #[test]
    fn article_header_is_kept() {
        let html =
            "<body><article><header><h1>Title</h1><p>01 July 2021</p></header><p>Body</p></article></body>";
        assert_eq!(body_lines(html, Scope::Main), ["Title", "01 July 2021", "Body"]);
    }

    #[test]
    fn escaped_markup_is_reparsed() {
        let html = "<body><div>&lt;p&gt;Escaped &lt;strong&gt;para&lt;/strong&gt;.&lt;/p&gt;<p>Real.</p>&amp;lt;p&amp;gt;Twice&amp;lt;/p&amp;gt;</div></body>";
        let lines = body_lines(html, Scope::Main);
        assert_eq!(lines, ["Escaped para.", "Real.", "Twice"]);
    }

    #[test]
    fn touching_inline_elements_are_separated() {
        let html = "<body><div><span>17/12/2025</span><span>08:00</span></div><p><b>W</b>ord</p></body>";
        assert_eq!(body_lines(html, Scope::Main), ["17/12/2025 08:00", "Word"]);
    }

    #[test]
    fn links_are_recorded_with_their_line() {
        let doc = Html::parse_document(
            r#"<body><p>Keywords: <a href="/k/a">A</a>, <a href="/k/b">B b</a></p></body>"#,
        );
        let sel = Selector::parse("body").unwrap();
        let lines = lines(doc.select(&sel).next().unwrap(), Scope::Main);
        assert_eq!(lines[0].text, "Keywords: A, B b");
        assert_eq!(
            lines[0].links,
            [("A".into(), "/k/a".into()), ("B b".into(), "/k/b".into())]
        );
    }
}
