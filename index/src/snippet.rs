//! Hit snippets: the passage of a document that best shows why it matched.
//!
//! A document may hold the same content in several languages, and only the
//! language the query matched in has highlights, so a snippet is cut from
//! every body field and the one with the most highlights wins: `apatrides`
//! shows the French passage of a bilingual programme, `staatlozen` the Dutch
//! one. Text is taken from the stored document, routed exactly as indexing
//! routed it. Output is HTML: text escaped, matches in `<mark>`.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::Lang;
use crate::document::{Document, Target};
use crate::schema::Fields;

/// Rough snippet length in characters.
const SNIPPET_CHARS: usize = 200;
/// The best fragment of this many bytes is picked first; the snippet is
/// then cut from it around the matches, so they do not sit at its very end.
const FRAGMENT_CHARS: usize = 2 * SNIPPET_CHARS;
/// Context kept before the first match, in characters.
const LEAD_IN_CHARS: usize = 60;
const MARK_OPEN: &str = "<mark>";
const MARK_CLOSE: &str = "</mark>";

/// Makes snippets for the hits of one query.
pub(crate) struct Snippeter {
    /// What to highlight in each body field; empty when the query ranks
    /// nothing.
    targets: Vec<(Target, Highlighter)>,
}

/// The terms of a query in one field, with their weights (rarer terms
/// weigh more), and the field's analyzer to find them in a text.
struct Highlighter {
    terms: HashMap<String, f32>,
    analyzer: TextAnalyzer,
}

/// One token of a text: where it is and its indexed form.
struct Token {
    range: Range<usize>,
    text: String,
}

/// A cut of a text: its byte range, the highlights inside it (relative to
/// its start) and the weight of what it highlights.
struct Fragment {
    range: Range<usize>,
    highlights: Vec<Range<usize>>,
    score: f32,
}

impl Snippeter {
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
        scored: bool,
    ) -> tantivy::Result<Snippeter> {
        let mut targets = Vec::new();
        if scored {
            for target in Lang::ALL.iter().map(|lang| Some(*lang)).chain([None]) {
                targets.push((target, Highlighter::new(searcher, query, fields.body(target))?));
            }
        }
        Ok(Snippeter { targets })
    }

    /// The fragment with the most highlights over the document's targets,
    /// if anything is highlighted. Kept by the caller that asks whether a
    /// document matched, so its snippets do not cut it again: it holds each
    /// target's tokens, so a text is analysed once however many snippets
    /// are cut from it.
    pub fn matched(&self, doc: &Document) -> Option<Matched> {
        let mut best: Option<(usize, Fragment)> = None;
        let mut analysed = Vec::new();
        for (target, highlighter) in &self.targets {
            if highlighter.terms.is_empty() {
                continue;
            }
            let (text, blocks) = doc.routed_text(*target);
            if text.is_empty() {
                continue;
            }
            let tokens = highlighter.tokens(&text);
            if let Some(fragment) = highlighter.best_fragment(&tokens, 0) {
                let marks = fragment.highlights.len();
                if best
                    .as_ref()
                    .is_none_or(|(_, best)| marks > best.highlights.len())
                {
                    best = Some((analysed.len(), fragment));
                }
            }
            analysed.push(Analysed {
                target: *target,
                text,
                blocks,
                tokens,
            });
        }
        // None when matched in the title or metadata only, or with no query:
        // the start of the text then says best what the document is about.
        let (at, fragment) = best?;
        Some(Matched {
            at,
            fragment,
            analysed,
        })
    }

    /// Up to `most` highlighted snippets from different places: the one
    /// [`matched`](Self::matched) gives, then the best of each block it does
    /// not reach, most highlights first, then in text order.
    pub fn marked_several(&self, doc: &Document, most: usize) -> Vec<String> {
        self.matched(doc)
            .map(|first| self.several(doc, first, most))
            .unwrap_or_default()
    }

    /// [`marked_several`](Self::marked_several) from the document's
    /// [`matched`](Self::matched) fragment `first`.
    pub fn several(&self, doc: &Document, first: Matched, most: usize) -> Vec<String> {
        let Matched {
            at,
            fragment: shown,
            analysed,
        } = first;
        let shown_in = &analysed[at];
        let mut snippets = vec![centred_html(
            &shown_in.text[shown.range.clone()],
            &shown.highlights,
        )];
        if most <= 1 {
            return snippets;
        }
        // Each target's blocks come in the order of their spans; the blocks
        // the first snippet covers are skipped.
        let mut next_block: Vec<usize> = vec![0; analysed.len()];
        let mut others: Vec<(usize, usize, String)> = Vec::new();
        for (order, (block_target, _)) in doc.routed_blocks().enumerate() {
            let Some(index) = analysed.iter().position(|a| a.target == block_target) else {
                continue;
            };
            let block = next_block[index];
            next_block[index] += 1;
            let of = &analysed[index];
            let Some(span) = of.blocks.get(block) else {
                continue;
            };
            if index == at && span.start < shown.range.end && shown.range.start < span.end {
                continue;
            }
            let Some((_, highlighter)) = self.targets.iter().find(|(t, _)| *t == block_target) else {
                continue;
            };
            let inside: Vec<&Token> = of
                .tokens
                .iter()
                .filter(|token| token.range.start >= span.start && token.range.end <= span.end)
                .collect();
            if let Some(fragment) = highlighter.best_fragment_of(&inside, span.start) {
                let text = &of.text[span.clone()];
                let html = centred_html(&text[fragment.range.clone()], &fragment.highlights);
                others.push((fragment.highlights.len(), order, html));
            }
        }
        others.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, _, html) in others {
            if snippets.len() >= most {
                break;
            }
            if !snippets.contains(&html) {
                snippets.push(html);
            }
        }
        snippets
    }
}

impl Highlighter {
    /// The query's terms in `field`, weighted as tantivy's snippet
    /// generator weighs them (1 / (1 + document frequency)).
    fn new(searcher: &Searcher, query: &dyn Query, field: Field) -> tantivy::Result<Highlighter> {
        let mut wanted: BTreeSet<&tantivy::Term> = BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                wanted.insert(term);
            }
        });
        let mut terms = HashMap::new();
        for term in wanted {
            let value = term.value();
            let Some(text) = value.as_str() else {
                continue;
            };
            let docs = searcher.doc_freq(term)?;
            if docs > 0 {
                terms.insert(text.to_owned(), 1.0 / (1.0 + docs as f32));
            }
        }
        let analyzer = searcher.index().tokenizer_for_field(field)?;
        Ok(Highlighter { terms, analyzer })
    }

    /// The tokens of `text`, as the field indexed them.
    fn tokens(&self, text: &str) -> Vec<Token> {
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push(Token {
                range: token.offset_from..token.offset_to,
                text: token.text.clone(),
            });
        }
        tokens
    }

    fn best_fragment(&self, tokens: &[Token], base: usize) -> Option<Fragment> {
        let tokens: Vec<&Token> = tokens.iter().collect();
        self.best_fragment_of(&tokens, base)
    }

    /// The best cut of at most [`FRAGMENT_CHARS`] bytes of the text whose
    /// tokens are `tokens` (offsets less `base`): cuts start at a token and
    /// end when the next token would pass the limit; the one whose
    /// highlights weigh most wins, the earliest among equals. `None` when
    /// nothing is highlighted.
    fn best_fragment_of(&self, tokens: &[&Token], base: usize) -> Option<Fragment> {
        let mut best: Option<Fragment> = None;
        let mut current = Fragment {
            range: 0..0,
            highlights: Vec::new(),
            score: 0.0,
        };
        let keep = |fragment: Fragment, best: &mut Option<Fragment>| {
            if fragment.score > 0.0 && best.as_ref().is_none_or(|best| fragment.score > best.score) {
                *best = Some(fragment);
            }
        };
        for token in tokens {
            let (from, to) = (token.range.start - base, token.range.end - base);
            if to - current.range.start > FRAGMENT_CHARS {
                let done = std::mem::replace(
                    &mut current,
                    Fragment {
                        range: from..from,
                        highlights: Vec::new(),
                        score: 0.0,
                    },
                );
                keep(done, &mut best);
            }
            current.range.end = current.range.end.max(to);
            if let Some(weight) = self.terms.get(&token.text) {
                current.score += weight;
                current.highlights.push(from..to);
            }
        }
        keep(current, &mut best);
        best.map(|mut fragment| {
            let start = fragment.range.start;
            for highlight in &mut fragment.highlights {
                *highlight = highlight.start.saturating_sub(start)..highlight.end.saturating_sub(start);
            }
            fragment
        })
    }
}

/// The best fragment of a document for one query, with the analysed text
/// of each of its targets, so that more snippets are cut without
/// analysing again.
pub(crate) struct Matched {
    /// Which of `analysed` the fragment is cut from.
    at: usize,
    fragment: Fragment,
    analysed: Vec<Analysed>,
}

/// A document's text routed to one target, where its blocks sit in it, and
/// its tokens.
struct Analysed {
    target: Target,
    text: String,
    blocks: Vec<Range<usize>>,
    tokens: Vec<Token>,
}

/// The first characters of the document's text as a snippet, if it has
/// any text.
pub(crate) fn lead_snippet(doc: &Document) -> Option<String> {
    Some(lead(doc)).filter(|lead| !lead.is_empty())
}

/// The first characters of the document's text, cut at a word, escaped.
fn lead(doc: &Document) -> String {
    let Some(block) = doc.blocks.iter().find(|block| !block.text.trim().is_empty()) else {
        return String::new();
    };
    let text = collapse_whitespace(&block.text);
    let mut end = text.len();
    if let Some((cut, _)) = text.char_indices().nth(SNIPPET_CHARS) {
        // Back to the last space so no word is cut, unless there is none.
        end = text[..cut].rfind(' ').filter(|space| *space > 0).unwrap_or(cut);
    }
    let mut lead = escape_html(text[..end].trim_end());
    if end < text.len() {
        lead.push('…');
    }
    lead
}

/// A window of about [`SNIPPET_CHARS`] around the matches of `fragment`,
/// HTML-escaped, matches in `<mark>`, `…` where text was cut.
fn centred_html(fragment: &str, highlights: &[std::ops::Range<usize>]) -> String {
    // Only ranges inside the fragment, on character boundaries: a match
    // that began before the fragment must not cut outside it.
    let highlights: Vec<std::ops::Range<usize>> = highlights
        .iter()
        .filter(|h| {
            h.start < h.end
                && h.end <= fragment.len()
                && fragment.is_char_boundary(h.start)
                && fragment.is_char_boundary(h.end)
        })
        .cloned()
        .collect();
    let highlights = highlights.as_slice();
    let first = highlights.iter().map(|h| h.start).min().unwrap_or(0);
    // Start a little before the first match, at a word boundary.
    let mut start = back_by_chars(fragment, first, LEAD_IN_CHARS);
    if start > 0 {
        start = fragment[start..first]
            .find(' ')
            .map_or(start, |space| start + space + 1);
    }
    let mut end = forward_by_chars(fragment, start, SNIPPET_CHARS);
    if end < fragment.len() {
        end = fragment[first.min(end)..end]
            .rfind(' ')
            .map_or(end, |space| first.min(end) + space);
    }
    // Never cut through a match.
    for h in highlights {
        if h.start < end && h.end > end {
            end = h.end;
        }
    }
    let mut html = String::new();
    if start > 0 {
        html.push('…');
    }
    let mut at = start;
    let mut marks: Vec<&std::ops::Range<usize>> = highlights
        .iter()
        .filter(|h| h.start >= start && h.end <= end)
        .collect();
    marks.sort_by_key(|h| h.start);
    for h in marks {
        if h.start < at {
            continue;
        }
        html.push_str(&escape_html(&fragment[at..h.start]));
        html.push_str(MARK_OPEN);
        html.push_str(&escape_html(&fragment[h.start..h.end]));
        html.push_str(MARK_CLOSE);
        at = h.end;
    }
    html.push_str(&escape_html(&fragment[at..end]));
    let mut html = collapse_whitespace(&html);
    if end < fragment.len() {
        html.push('…');
    }
    html
}

/// The byte offset `n` characters before `from` (or 0).
fn back_by_chars(text: &str, from: usize, n: usize) -> usize {
    text[..from]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `from` (or the end).
fn forward_by_chars(text: &str, from: usize, n: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| from + i)
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Block;

    fn doc_with(text: &str) -> Document {
        Document {
            blocks: vec![
                Block {
                    lang: None,
                    text: "  ".into(),
                },
                Block {
                    lang: None,
                    text: text.into(),
                },
            ],
            ..Document::default()
        }
    }

    #[test]
    fn lead_is_escaped_and_whitespace_collapsed() {
        let lead = lead(&doc_with("a <script>alert('x')</script>\n\n  & b"));
        assert_eq!(
            lead,
            "a &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; b"
        );
    }

    #[test]
    fn long_lead_is_cut_at_a_word() {
        let text = "mot ".repeat(100);
        let lead = lead(&doc_with(&text));
        assert!(lead.ends_with("mot…"), "{lead}");
        assert!(lead.chars().count() <= SNIPPET_CHARS + 1);
    }

    #[test]
    fn long_word_lead_is_cut_on_a_char_boundary() {
        let text = "é".repeat(300);
        let lead = lead(&doc_with(&text));
        assert_eq!(lead.chars().count(), SNIPPET_CHARS + 1);
    }

    #[test]
    fn snippet_is_centred_on_the_matches() {
        let fragment = format!(
            "{}le réseau d'accueil des <apatrides> {}",
            "mot ".repeat(80),
            "fin ".repeat(80)
        );
        let at = fragment.find("apatrides").unwrap();
        let matched = std::ops::Range {
            start: at,
            end: at + "apatrides".len(),
        };
        let html = centred_html(&fragment, std::slice::from_ref(&matched));
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("des &lt;<mark>apatrides</mark>&gt; fin"), "{html}");
        let before = html.find("<mark>").unwrap();
        assert!((20..=80).contains(&html[..before].chars().count()), "{html}");
        assert!(html.chars().count() <= SNIPPET_CHARS + 40, "{html}");
    }

    #[test]
    fn short_fragment_is_kept_whole() {
        let html = centred_html("Fedasil & CGRA", &[0..7, 10..14]);
        assert_eq!(html, "<mark>Fedasil</mark> &amp; <mark>CGRA</mark>");
    }

    #[test]
    fn document_without_text_has_empty_lead() {
        assert_eq!(lead(&Document::default()), "");
    }
}
