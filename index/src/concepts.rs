//! Concept marks: at index time, every place a text names a concept of the
//! built-in thesaurus in the field's language (`demande de protection
//! internationale`, `asielaanvraag`) also gets one token for the concept,
//! [`mark`]`(id)`, spanning the words that name it.
//!
//! Searching a concept's terms of another language is then one term per
//! field instead of a dozen phrases: a phrase of common words walks the
//! positions of every document that has all of them, and the thesaurus is
//! full of such phrases. The mark's offsets cover the whole term, so a
//! snippet highlights the term, not its words one by one.
//!
//! A term matches as a phrase would: the same stems at the same relative
//! positions (the gaps left by stop words included). One-word terms also
//! match the parts of a compound (`asiel` in `asielaanvraag`), as a query
//! for the word finds them.

use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

use crate::lang::Lang;
use crate::memo::Fnv;
use crate::thesaurus::Thesaurus;

/// First character of a mark: the tokenizer never emits it in a word, so a
/// mark cannot meet a word (nor a typo-tolerant neighbour of one).
pub(crate) const MARK_PREFIX: char = '\u{1}';

/// The token that marks concept `id` in the text.
pub(crate) fn mark(id: &str) -> String {
    format!("{MARK_PREFIX}{id}")
}

/// Whether an indexed term is a concept mark rather than a word.
pub(crate) fn is_mark(term: &str) -> bool {
    term.starts_with(MARK_PREFIX)
}

/// One term of a concept, as the language's query analyzer sees it.
struct Term {
    /// The concept's mark.
    mark: String,
    /// Stems with their positions relative to the first, in order.
    stems: Vec<(usize, String)>,
}

/// The terms of one language, by stem: one look-up a token tells both
/// whether it may start a term and which terms it ends.
#[derive(Default)]
pub(crate) struct Marks {
    by_stem: HashMap<String, StemRole, BuildHasherDefault<Fnv>>,
    /// Most positions a term spans, so the stream keeps that many tokens.
    longest: usize,
}

/// What a stem is to the terms of a language.
#[derive(Default)]
struct StemRole {
    /// It is the first of a term of several words: after it the stream
    /// must hold tokens back.
    starts: bool,
    /// The terms it is the last stem of.
    ends: Vec<Term>,
}

impl Marks {
    /// The terms of `thesaurus` in `lang`, as `analyzer` (the language's
    /// query analyzer: no marks, no compound parts) turns them into stems.
    pub fn of(thesaurus: &Thesaurus, lang: Lang, analyzer: &mut TextAnalyzer) -> Marks {
        let mut marks = Marks::default();
        for concept in thesaurus.concepts() {
            let mark = mark(&concept.id);
            for term in concept.terms.get(lang.code()).into_iter().flatten() {
                let tokens = stems(analyzer, term);
                let Some(((first, _), (_, last))) = tokens.first().zip(tokens.last()) else {
                    continue;
                };
                let stems: Vec<(usize, String)> = tokens
                    .iter()
                    .map(|(position, stem)| (position - first, stem.clone()))
                    .collect();
                let known = &marks.by_stem.entry(last.clone()).or_default().ends;
                if known.iter().any(|t| t.mark == mark && t.stems == stems) {
                    continue;
                }
                marks.longest = marks.longest.max(stems.last().map_or(0, |(at, _)| at + 1));
                if stems.len() > 1 {
                    marks.by_stem.entry(stems[0].1.clone()).or_default().starts = true;
                }
                if let Some(role) = marks.by_stem.get_mut(last) {
                    role.ends.push(Term {
                        mark: mark.clone(),
                        stems,
                    });
                }
            }
        }
        marks
    }
}

/// `(position, stem)` of each token `analyzer` makes of `text`.
fn stems(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.position, token.text.clone()));
    }
    out
}

/// A tantivy [`TokenFilter`] that follows each token ending a concept's
/// term with the concept's mark. Place it last, after stemming.
#[derive(Clone, Copy)]
pub struct ConceptFilter {
    marks: &'static Marks,
}

impl ConceptFilter {
    /// Marks the terms of `marks`; `None` marks nothing (one analyzer type
    /// for index and query analyzers).
    pub fn new(marks: Option<&'static Marks>) -> ConceptFilter {
        static NONE: LazyLock<Marks> = LazyLock::new(Marks::default);
        ConceptFilter {
            marks: marks.unwrap_or(&*NONE),
        }
    }
}

impl TokenFilter for ConceptFilter {
    type Tokenizer<T: Tokenizer> = ConceptFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ConceptFilterWrapper<T> {
        ConceptFilterWrapper {
            marks: self.marks,
            inner: tokenizer,
        }
    }
}

/// The tokenizer produced by [`ConceptFilter`].
#[derive(Clone)]
pub struct ConceptFilterWrapper<T> {
    marks: &'static Marks,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for ConceptFilterWrapper<T> {
    type TokenStream<'a> = ConceptTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ConceptTokenStream {
            marks: self.marks,
            recent: VecDeque::new(),
            spare: Vec::new(),
            live_until: 0,
            last_position: None,
            ahead: VecDeque::new(),
            current: Token::default(),
            passing: false,
            done: false,
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream produced by [`ConceptFilterWrapper`].
///
/// After a word that may start a term of several words, it runs a few
/// words behind its input, so that the term's mark can come before the
/// term's first word: tokens then stay in the order of their offsets, as
/// highlighting expects, while the mark spans the whole term. Elsewhere
/// tokens pass through as they are.
pub struct ConceptTokenStream<T> {
    marks: &'static Marks,
    /// The words (first token at each position) since a possible start of
    /// a term: position, stem and start offset, oldest first.
    recent: VecDeque<(usize, String, usize)>,
    /// Tokens given out, kept so that their text buffers are reused for
    /// the next tokens held back: most of the text passes through here.
    spare: Vec<Token>,
    /// Positions before this one may still belong to a term that started
    /// at the last possible start.
    live_until: usize,
    /// Position of the input's last token: a token at the same position is
    /// a compound's part, not a word.
    last_position: Option<usize>,
    /// Tokens read but not given out yet, marks among them.
    ahead: VecDeque<Token>,
    /// The token given out last, unless `passing`.
    current: Token,
    /// The token given out last is the input's own.
    passing: bool,
    /// The input has no more tokens.
    done: bool,
    tail: T,
}

impl<T: TokenStream> ConceptTokenStream<T> {
    /// Takes in the input's current token: given out at once (true) when
    /// nothing is held back and it ends no term, else held in `ahead` with
    /// the marks of the terms it ends.
    fn take_in(&mut self) -> bool {
        let marks = self.marks;
        let token = self.tail.token();
        let is_word = self.last_position != Some(token.position);
        self.last_position = Some(token.position);
        let role = marks.by_stem.get(&token.text);
        if is_word && role.is_some_and(|role| role.starts) {
            self.live_until = token.position + marks.longest;
        }
        let live = token.position < self.live_until;
        if !live {
            self.recent.clear();
        } else if is_word {
            let mut text = match self.recent.len() >= marks.longest.max(1) {
                true => self
                    .recent
                    .pop_front()
                    .map(|(_, text, _)| text)
                    .unwrap_or_default(),
                false => String::new(),
            };
            text.clear();
            text.push_str(&token.text);
            self.recent.push_back((token.position, text, token.offset_from));
        }
        let terms = role.map(|role| &role.ends).filter(|ends| !ends.is_empty());
        if self.ahead.is_empty() && !live && terms.is_none() {
            return true;
        }
        // A copy: filters before this one may reuse their token (a
        // compound's parts are written over the compound's).
        let mut held = self.spare.pop().unwrap_or_default();
        copy_token(token, &mut held);
        self.ahead.push_back(held);
        for term in terms.into_iter().flatten() {
            if term.stems.len() == 1 {
                // One-word terms (keyed by their only stem) match a
                // compound's parts too; the mark follows the token.
                let named = self.ahead.back().cloned().unwrap_or_default();
                self.insert_mark(
                    &term.mark,
                    named.position,
                    named.offset_from,
                    named.offset_to,
                    None,
                );
            } else if is_word && let Some((position, start)) = self.matches(term) {
                let end = self.ahead.back().map_or(start, |token| token.offset_to);
                self.insert_mark(&term.mark, position, start, end, Some(position));
            }
        }
        false
    }

    /// Where a multi-word `term` starts (position and offset), when the
    /// recent words end with it.
    fn matches(&self, term: &Term) -> Option<(usize, usize)> {
        let (end, _, _) = self.recent.back()?;
        let (span, _) = term.stems.last()?;
        let first = end.checked_sub(*span)?;
        let mut start = None;
        for (relative, stem) in &term.stems {
            let wanted = first + relative;
            let (_, found, offset) = self
                .recent
                .iter()
                .rev()
                .find(|(position, _, _)| *position == wanted)?;
            if found != stem {
                return None;
            }
            if *relative == 0 {
                start = Some((wanted, *offset));
            }
        }
        start
    }

    /// Adds a mark to `ahead`: before the first token at `before` (a
    /// term's first word), or last; once per mark and position.
    fn insert_mark(&mut self, mark: &str, position: usize, from: usize, to: usize, before: Option<usize>) {
        let known = self
            .ahead
            .iter()
            .any(|token| token.position == position && token.text == mark);
        if known {
            return;
        }
        let mut token = self.spare.pop().unwrap_or_default();
        token.offset_from = from;
        token.offset_to = to;
        token.position = position;
        token.position_length = 1;
        token.text.clear();
        token.text.push_str(mark);
        let at = before
            .and_then(|position| self.ahead.iter().position(|token| token.position == position))
            .unwrap_or(self.ahead.len());
        self.ahead.insert(at, token);
    }

    /// Whether the first token held back can be given out: no term
    /// starting at or before it can still end later.
    fn front_is_settled(&self) -> bool {
        match (self.ahead.front(), self.ahead.back()) {
            (Some(front), Some(back)) => self.done || back.position >= front.position + self.marks.longest,
            _ => false,
        }
    }
}

impl<T: TokenStream> TokenStream for ConceptTokenStream<T> {
    fn advance(&mut self) -> bool {
        loop {
            if self.front_is_settled()
                && let Some(token) = self.ahead.pop_front()
            {
                let given = std::mem::replace(&mut self.current, token);
                if self.spare.len() < SPARE_TOKENS {
                    self.spare.push(given);
                }
                self.passing = false;
                return true;
            }
            if self.done {
                return false;
            }
            if !self.tail.advance() {
                self.done = true;
                continue;
            }
            if self.marks.by_stem.is_empty() || self.take_in() {
                self.passing = true;
                return true;
            }
        }
    }

    fn token(&self) -> &Token {
        match self.passing {
            true => self.tail.token(),
            false => &self.current,
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self.passing {
            true => self.tail.token_mut(),
            false => &mut self.current,
        }
    }
}

/// Tokens kept for their buffers: a term holds back a few at a time.
const SPARE_TOKENS: usize = 16;

/// `from` written over `to`, reusing `to`'s text buffer.
fn copy_token(from: &Token, to: &mut Token) {
    to.offset_from = from.offset_from;
    to.offset_to = from.offset_to;
    to.position = from.position;
    to.position_length = from.position_length;
    to.text.clear();
    to.text.push_str(&from.text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(lang: Lang, text: &str) -> Vec<(usize, String, usize, usize)> {
        let mut analyzer = crate::analysis::language_analyzer(lang);
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push((
                token.position,
                token.text.clone(),
                token.offset_from,
                token.offset_to,
            ));
        }
        out
    }

    fn marks(lang: Lang, text: &str) -> Vec<(String, String)> {
        tokens(lang, text)
            .into_iter()
            .filter(|(_, term, _, _)| is_mark(term))
            .map(|(_, term, from, to)| (term[1..].to_owned(), text[from..to].to_owned()))
            .collect()
    }

    #[test]
    fn a_multi_word_term_is_marked_over_its_whole_span() {
        let text = "Chaque demande de protection internationale est examinée.";
        let found = marks(Lang::Fr, text);
        assert!(
            found.contains(&(
                "application-for-international-protection".to_owned(),
                "demande de protection internationale".to_owned()
            )),
            "{found:?}"
        );
    }

    #[test]
    fn words_out_of_order_or_apart_are_not_a_term() {
        let found = marks(Lang::Fr, "La protection de la demande internationale.");
        assert!(
            !found
                .iter()
                .any(|(id, _)| id == "application-for-international-protection"),
            "{found:?}"
        );
    }

    #[test]
    fn compound_parts_name_one_word_concepts() {
        let found = marks(Lang::Nl, "Het aantal asielaanvragen steeg.");
        assert!(found.iter().any(|(id, _)| id == "asylum"), "{found:?}");
    }

    #[test]
    fn marks_leave_the_words_and_positions_as_they_were() {
        let text = "Le retour volontaire des demandeurs d'asile.";
        let words: Vec<_> = tokens(Lang::Fr, text)
            .into_iter()
            .filter(|(_, term, _, _)| !is_mark(term))
            .collect();
        let mut plain = crate::analysis::query_analyzer(Lang::Fr);
        let expected = stems(&mut plain, text);
        let got: Vec<(usize, String)> = words.into_iter().map(|(p, t, _, _)| (p, t)).collect();
        assert_eq!(got, expected);
        assert!(!marks(Lang::Fr, text).is_empty());
    }

    #[test]
    fn a_mark_comes_before_its_term_so_offsets_never_go_back() {
        // Highlighting cuts fragments in token order: a token starting
        // before the one given out last would point outside its fragment.
        let text =
            "Une demande de protection internationale, puis une autre demande de protection internationale.";
        let found = tokens(Lang::Fr, text);
        let starts: Vec<usize> = found.iter().map(|(_, _, from, _)| *from).collect();
        assert!(starts.windows(2).all(|pair| pair[0] <= pair[1]), "{found:?}");
        let mark = found
            .iter()
            .position(|(_, term, _, _)| term == &mark("application-for-international-protection"));
        let word = found.iter().position(|(_, term, _, _)| term == "demand");
        assert!(mark < word, "{found:?}");
    }
}
