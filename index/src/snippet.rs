//! Hit snippets: the passage of a document that best shows why it matched.
//!
//! A document may hold the same content in several languages, and only the
//! language the query matched in has highlights, so a snippet is cut from
//! every body field and the one with the most highlights wins: `apatrides`
//! shows the French passage of a bilingual programme, `staatlozen` the Dutch
//! one. Text is taken from the stored document, routed exactly as indexing
//! routed it. Output is HTML: text escaped, matches in `<mark>`.

use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::snippet::SnippetGenerator;

use crate::analysis::Lang;
use crate::document::{Document, Target};
use crate::schema::Fields;

/// Rough snippet length in characters.
const SNIPPET_CHARS: usize = 200;
const MARK_OPEN: &str = "<mark>";
const MARK_CLOSE: &str = "</mark>";

/// Makes snippets for the hits of one query.
pub(crate) struct Snippeter {
    /// One generator per body field; empty when the query ranks nothing.
    generators: Vec<(Target, SnippetGenerator)>,
}

impl Snippeter {
    pub fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
        scored: bool,
    ) -> tantivy::Result<Snippeter> {
        let mut generators = Vec::new();
        if scored {
            let targets = Lang::ALL.iter().map(|lang| Some(*lang)).chain([None]);
            for target in targets {
                let mut generator = SnippetGenerator::create(searcher, query, fields.body(target))?;
                generator.set_max_num_chars(SNIPPET_CHARS);
                generators.push((target, generator));
            }
        }
        Ok(Snippeter { generators })
    }

    /// The HTML snippet of a document.
    pub fn snippet(&self, doc: &Document) -> String {
        let mut best = None;
        let mut best_marks = 0;
        for (target, generator) in &self.generators {
            let text = doc.text_for(*target);
            if text.is_empty() {
                continue;
            }
            let snippet = generator.snippet(&text);
            let marks = snippet.highlighted().len();
            if marks > best_marks {
                best_marks = marks;
                best = Some(snippet);
            }
        }
        match best {
            Some(mut snippet) => {
                snippet.set_snippet_prefix_postfix(MARK_OPEN, MARK_CLOSE);
                collapse_whitespace(&snippet.to_html())
            }
            // Matched in the title or metadata only, or no query: the start
            // of the text says best what the document is about.
            None => lead(doc),
        }
    }
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
    fn document_without_text_has_empty_lead() {
        assert_eq!(lead(&Document::default()), "");
    }
}
