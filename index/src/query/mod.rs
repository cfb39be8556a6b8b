//! The user query language and its translation into a tantivy query.
//!
//! Syntax: words, `"quoted phrases"`, `OR` (uppercase, between two positive
//! terms or phrases), `-word` / `-"phrase"` to exclude; everything else is
//! ANDed. Parsing never fails: an unbalanced quote, a lone `-`, a misplaced
//! `OR` or stray symbols degrade to plain words, and words that analyse to
//! nothing are ignored.
//!
//! Each term or phrase is searched in every text field, analysed with that
//! field's own analyzer, so `apatrides` meets French `apatride` and
//! `staatlozen` Dutch `staatloze`; the per-field queries are combined with a
//! disjunction-max so a bilingual document is not scored twice. A word that
//! any language treats as a stop word (`de`, `the`) only adds to the score:
//! requiring it would demand that English fields contain `de`.
//!
//! Two relaxations apply to a plain word (not to phrases or exclusions):
//!
//! - Typo tolerance ([`QueryBuilder::with_typos`]): a word of 5 letters or
//!   more may differ by one edit (two from 9 letters) from a term of the
//!   index. The fuzzy match is expanded to the dictionary terms it reaches
//!   and searched as ordinary term queries, weighted [`FUZZY_BOOST`], so
//!   snippets highlight them like any other term. Names and acronyms (a
//!   capital after the first letter, digits) stay exact.
//! - Decompounding ([`QueryBuilder::with_decompounding`]): a Dutch or German
//!   compound is also searched as its parts, all required, in the Dutch and
//!   German fields: `opvangcrisis` OR (`opvang` AND `crisis`).

use std::collections::{BTreeSet, HashMap};

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, DfaWrapper, DisjunctionMaxQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, Searcher, Term};

use crate::analysis::{self, ANALYZER_SIMPLE, Lang};
use crate::concepts;
use crate::decompound::Decompounder;
use crate::schema::Fields;
use crate::thesaurus::{Concept, Thesaurus};

mod guard;
mod variants;

use guard::ExclusionGuard;

/// Longer queries are cut: nobody types more, and it bounds the work.
const MAX_QUERY_CHARS: usize = 1_000;
/// At most this many terms and phrases are used.
const MAX_ATOMS: usize = 32;
/// Weight of a title match relative to a body match.
const TITLE_BOOST: f32 = 2.0;
/// Weight of a keyword or organisation match: above the body, below titles.
const META_BOOST: f32 = 1.5;
/// How much the non-best fields add in a disjunction-max.
const TIE_BREAKER: f32 = 0.1;
/// Weight of a thesaurus expansion relative to the words typed.
const EXPANSION_BOOST: f32 = 0.5;
/// Weight of a match inside an organisation's name written out: the
/// document names the body, it is not about the word.
const ORG_NAME_BOOST: f32 = 0.3;
/// Longest run of typed words looked up in the thesaurus as one term.
const MAX_EXPANSION_WORDS: usize = 5;
/// Terms added per concept at most, preferred terms first.
const MAX_EXPANSION_TERMS: usize = 12;
/// Weight of a typo-tolerant match relative to the word typed.
const FUZZY_BOOST: f32 = 0.3;
/// A word of this many letters may be misspelt by one edit...
const ONE_TYPO_CHARS: usize = 5;
/// ...and of this many by two.
const TWO_TYPOS_CHARS: usize = 9;
/// Dictionary terms a misspelt word is searched as, per field, at most:
/// the most frequent ones.
const MAX_FUZZY_TERMS: usize = 8;
/// Dictionary terms examined per field and segment, at most; bounds the
/// work on a huge dictionary.
const MAX_FUZZY_CANDIDATES: usize = 256;
/// Typos in this many final letters are also tried before stemming.
const TAIL_CHARS: usize = 4;

/// A query term that matched a thesaurus concept, and what was added for it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Expansion {
    /// The words as typed.
    pub term: String,
    /// The concept's id in the thesaurus.
    pub concept: String,
    /// The concept's terms in the other languages that were searched too.
    pub added: Vec<String>,
}

/// A searchable unit: a word or a quoted phrase. Both are analysed the same
/// way; a word that splits into several tokens (`one-stop-desk`) becomes a
/// phrase too.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Atom {
    Word(String),
    Phrase(String),
}

impl Atom {
    fn text(&self) -> &str {
        match self {
            Atom::Word(text) | Atom::Phrase(text) => text,
        }
    }
}

/// A parsed query: every group is required, and a group matches when any of
/// its atoms does (`a OR b` is one group of two).
#[derive(Debug, Default, PartialEq)]
pub(crate) struct ParsedQuery {
    pub required: Vec<Vec<Atom>>,
    pub excluded: Vec<Atom>,
}

#[derive(Debug, PartialEq)]
enum Lexeme {
    Atom { negated: bool, atom: Atom },
    Or,
}

/// Parses a user query; never fails.
pub(crate) fn parse(input: &str) -> ParsedQuery {
    let mut parsed = ParsedQuery::default();
    let mut pending_or = false;
    let mut after_positive = false;
    let mut atoms = 0;
    for lexeme in lex(input) {
        match lexeme {
            // An `OR` only joins when a positive atom precedes it; a leading,
            // doubled or trailing one is simply ignored.
            Lexeme::Or => pending_or = after_positive,
            Lexeme::Atom { negated, atom } => {
                atoms += 1;
                if atoms > MAX_ATOMS {
                    break;
                }
                if negated {
                    parsed.excluded.push(atom);
                    after_positive = false;
                } else {
                    match parsed.required.last_mut() {
                        Some(group) if pending_or => group.push(atom),
                        _ => parsed.required.push(vec![atom]),
                    }
                    after_positive = true;
                }
                pending_or = false;
            }
        }
    }
    parsed
}

fn lex(input: &str) -> Vec<Lexeme> {
    let input: String = input.chars().take(MAX_QUERY_CHARS).collect();
    let mut lexemes = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            break;
        };
        let mut negated = false;
        if first == '-' {
            chars.next();
            match chars.peek() {
                // A lone `-` means nothing.
                None => break,
                Some(c) if c.is_whitespace() => continue,
                Some(_) => negated = true,
            }
        }
        if chars.next_if_eq(&'"').is_some() {
            let mut phrase = String::new();
            let mut closed = false;
            for c in chars.by_ref() {
                if c == '"' {
                    closed = true;
                    break;
                }
                phrase.push(c);
            }
            if closed {
                if !phrase.trim().is_empty() {
                    lexemes.push(Lexeme::Atom {
                        negated,
                        atom: Atom::Phrase(phrase),
                    });
                }
            } else {
                // Unbalanced quote: the rest is read as plain words.
                lexemes.extend(phrase.split_whitespace().map(|word| Lexeme::Atom {
                    negated: false,
                    atom: Atom::Word(word.to_owned()),
                }));
            }
            continue;
        }
        let mut word = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '"') {
            word.push(c);
        }
        if word == "OR" && !negated {
            lexemes.push(Lexeme::Or);
        } else if !word.is_empty() {
            lexemes.push(Lexeme::Atom {
                negated,
                atom: Atom::Word(word),
            });
        }
    }
    lexemes
}

/// The tantivy query for a user query.
pub(crate) struct BuiltQuery {
    pub query: Box<dyn Query>,
    /// Thesaurus expansions used, for the response.
    pub expansions: Vec<Expansion>,
    /// False when nothing in the query ranks documents (empty query, only
    /// symbols or only exclusions): results are then listed newest first.
    pub scored: bool,
}

/// Which of the searched fields a term goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldSet {
    /// Every field, each with its analyzer: a word typed.
    All,
    /// One language's fields and the neutral ones: a term of that language.
    Language(Lang),
    /// The language-neutral fields alone.
    Neutral,
}

/// Which analyzer a field uses: a language, or the neutral one.
type AnalyzerSlot = Option<Lang>;

fn slot_index(slot: AnalyzerSlot) -> usize {
    slot.map_or(Lang::ALL.len(), Lang::index)
}

/// Translates parsed queries with the analyzers registered on an index.
pub(crate) struct QueryBuilder<'s> {
    /// Query analyzers in [`Lang::ALL`] order, then the neutral one.
    analyzers: Vec<TextAnalyzer>,
    /// Every searched field with its analyzer and boost.
    targets: Vec<(Field, AnalyzerSlot, f32)>,
    /// Where misspelt words are looked up; `None` turns typo tolerance off.
    typos: Option<&'s Searcher>,
    /// What that searcher sees (see `variants::index_state`), computed once
    /// per query: the key of the near spellings remembered for it.
    typo_state: u64,
    /// Whether compounds typed are also searched as their parts.
    decompound: bool,
}

impl<'s> QueryBuilder<'s> {
    /// A builder with typo tolerance off and decompounding on.
    pub fn new(index: &Index, fields: &Fields) -> QueryBuilder<'s> {
        let manager = index.tokenizers();
        let mut analyzers: Vec<TextAnalyzer> = Lang::ALL
            .iter()
            .map(|lang| {
                manager
                    .get(lang.query_analyzer_name())
                    .unwrap_or_else(|| analysis::query_analyzer(*lang))
            })
            .collect();
        analyzers.push(
            manager
                .get(ANALYZER_SIMPLE)
                .unwrap_or_else(analysis::simple_analyzer),
        );
        let mut targets = Vec::new();
        for lang in Lang::ALL {
            targets.push((fields.titles[lang.index()], Some(lang), TITLE_BOOST));
        }
        targets.push((fields.title_any, None, TITLE_BOOST));
        for lang in Lang::ALL {
            targets.push((fields.bodies[lang.index()], Some(lang), 1.0));
        }
        targets.push((fields.body_any, None, 1.0));
        targets.push((fields.meta, None, META_BOOST));
        targets.push((fields.org_names, None, ORG_NAME_BOOST));
        QueryBuilder {
            analyzers,
            targets,
            typos: None,
            typo_state: 0,
            decompound: true,
        }
    }

    /// Tolerates typos in the words typed, looking them up in `searcher`'s
    /// term dictionaries; `None` turns it off.
    #[must_use]
    pub fn with_typos(mut self, searcher: Option<&'s Searcher>) -> QueryBuilder<'s> {
        self.typos = searcher;
        self.typo_state = searcher.map_or(0, variants::index_state);
        self
    }

    /// Also searches the compounds typed as their parts (on by default).
    #[must_use]
    pub fn with_decompounding(mut self, decompound: bool) -> QueryBuilder<'s> {
        self.decompound = decompound;
        self
    }

    /// Builds the query; with `thesaurus`, terms that name a concept are
    /// also searched as the concept's terms in the other languages, with a
    /// lower weight.
    pub fn build(&mut self, parsed: &ParsedQuery, thesaurus: Option<&Thesaurus>) -> BuiltQuery {
        let mut must: Vec<Box<dyn Query>> = Vec::new();
        let mut should: Vec<Box<dyn Query>> = Vec::new();
        let mut must_not: Vec<Box<dyn Query>> = Vec::new();
        let mut expansions = Vec::new();
        let groups = parsed.required.len();
        let mut start = 0;
        while start < groups {
            // The longest run of single-atom groups that names a concept.
            if let Some(thesaurus) = thesaurus
                && let Some((end, concept)) =
                    longest_concept(&parsed.required, start, thesaurus).or_else(|| {
                        self.misspelt_concept(&parsed.required[start], thesaurus)
                            .map(|concept| (start + 1, concept))
                    })
            {
                let typed: Vec<&Atom> = parsed.required[start..end].iter().map(|g| &g[0]).collect();
                if let Some(query) = self.expanded_query(&typed, concept, thesaurus, &mut expansions) {
                    must.push(query);
                }
                start = end;
                continue;
            }
            let group = &parsed.required[start];
            start += 1;
            let mut alternatives = Vec::new();
            for atom in group {
                let analysed = self.analyse(atom);
                let Some(query) = self.word_query(atom, &analysed) else {
                    continue;
                };
                if is_stop_word(&analysed) {
                    should.push(query);
                } else {
                    alternatives.push(query);
                }
            }
            match alternatives.len() {
                0 => {}
                1 => must.extend(alternatives),
                _ => must.push(Box::new(BooleanQuery::union(alternatives))),
            }
        }
        for atom in &parsed.excluded {
            let analysed = self.analyse(atom);
            if is_stop_word(&analysed) {
                continue;
            }
            // Exclusions are taken literally: removing what merely looks
            // like the word would hide too much.
            if let Some(query) = self.atom_query(&analysed, &[]) {
                must_not.push(Box::new(ExclusionGuard(query)));
            }
        }

        let scored = !must.is_empty() || !should.is_empty();
        if !scored {
            must.push(Box::new(AllQuery));
        }
        if must_not.is_empty()
            && should.is_empty()
            && must.len() == 1
            && let Some(query) = must.pop()
        {
            return BuiltQuery {
                query,
                expansions,
                scored,
            };
        }
        // Without a required clause, tantivy requires one of the optional
        // ones, which is what a query made only of stop words wants.
        let clauses = must
            .into_iter()
            .map(|query| (Occur::Must, query))
            .chain(should.into_iter().map(|query| (Occur::Should, query)))
            .chain(must_not.into_iter().map(|query| (Occur::MustNot, query)))
            .collect();
        BuiltQuery {
            query: Box::new(BooleanQuery::new(clauses)),
            expansions,
            scored,
        }
    }

    /// The typed words (all required) or any of the concept's terms in the
    /// other languages, these weighted lower.
    fn expanded_query(
        &mut self,
        typed: &[&Atom],
        concept: &Concept,
        thesaurus: &Thesaurus,
        expansions: &mut Vec<Expansion>,
    ) -> Option<Box<dyn Query>> {
        let mut literal: Vec<Box<dyn Query>> = Vec::new();
        for atom in typed {
            let analysed = self.analyse(atom);
            if is_stop_word(&analysed) {
                continue;
            }
            literal.extend(self.word_query(atom, &analysed));
        }
        let typed_text = typed.iter().map(|a| a.text()).collect::<Vec<_>>().join(" ");
        let typed_norm = crate::thesaurus::normalise(&typed_text);
        // The index marks the built-in thesaurus's concepts (see
        // `concepts`); another thesaurus is searched term by term.
        let marked = std::ptr::eq(thesaurus, Thesaurus::builtin());
        let mut added = Vec::new();
        let mut variants: Vec<Box<dyn Query>> = Vec::new();
        // Terms that analyse alike (`asylum application`, `asylum
        // applications`) are one query: the disjunction-max below scores
        // them alike anyway, and each phrase costs a walk over positions.
        type Analysed = (Option<Lang>, Vec<Vec<(usize, String)>>);
        let mut searched: Vec<(Analysed, bool)> = Vec::new();
        for (code, term) in thesaurus.other_language_terms(concept, None) {
            if added.len() >= MAX_EXPANSION_TERMS {
                break;
            }
            if crate::thesaurus::normalise(&term) == typed_norm || added.contains(&term) {
                continue;
            }
            let analysed = self.analyse(&Atom::Phrase(term.clone()));
            let lang = Lang::from_code(&code);
            // A term of one language is looked for in that language's
            // fields (and the neutral ones) alone; where the index marks the
            // concept, in its language's fields as the mark.
            let fields = match (lang, marked) {
                (Some(_), true) => FieldSet::Neutral,
                (Some(lang), false) => FieldSet::Language(lang),
                (None, _) => FieldSet::All,
            };
            let key = (lang, analysed);
            let found = match searched.iter().find(|(known, _)| *known == key) {
                Some((_, found)) => *found,
                None => {
                    let query = self.atom_query_in(&key.1, &[], fields);
                    let found = query.is_some();
                    variants.extend(query);
                    searched.push((key, found));
                    found
                }
            };
            if found || (marked && lang.is_some()) {
                added.push(term);
            }
        }
        if marked {
            variants.extend(self.mark_queries(concept));
        }
        let literal: Option<Box<dyn Query>> = match literal.len() {
            0 => None,
            1 => literal.pop(),
            _ => Some(Box::new(BooleanQuery::intersection(literal))),
        };
        let mut alternatives: Vec<Box<dyn Query>> = literal.into_iter().collect();
        if !variants.is_empty() {
            // The best variant counts, not their sum: `apatride` and
            // `apatrides` are one match, and together must not outweigh
            // the word typed.
            let best = DisjunctionMaxQuery::with_tie_breaker(variants, 0.0);
            alternatives.push(Box::new(BoostQuery::new(Box::new(best), EXPANSION_BOOST)));
            expansions.push(Expansion {
                term: typed_text,
                concept: concept.id.clone(),
                added,
            });
        }
        match alternatives.len() {
            0 => None,
            1 => alternatives.pop(),
            _ => Some(Box::new(BooleanQuery::union(alternatives))),
        }
    }

    /// The concept's mark in the fields of each language it has terms in,
    /// one disjunction-max per language, as a term of that language would
    /// be searched.
    fn mark_queries(&self, concept: &Concept) -> Vec<Box<dyn Query>> {
        let mark = concepts::mark(&concept.id);
        let mut queries: Vec<Box<dyn Query>> = Vec::new();
        for lang in Lang::ALL {
            if concept.terms.get(lang.code()).is_none_or(Vec::is_empty) {
                continue;
            }
            let per_field: Vec<Box<dyn Query>> = self
                .targets
                .iter()
                .filter(|(_, slot, _)| *slot == Some(lang))
                .map(|&(field, _, boost)| -> Box<dyn Query> {
                    let term =
                        TermQuery::new(Term::from_field_text(field, &mark), IndexRecordOption::WithFreqs);
                    Box::new(BoostQuery::new(Box::new(term), boost))
                })
                .collect();
            if !per_field.is_empty() {
                queries.push(Box::new(DisjunctionMaxQuery::with_tie_breaker(
                    per_field,
                    TIE_BREAKER,
                )));
            }
        }
        queries
    }

    /// The atom's tokens under each analyzer, indexed like `analyzers`.
    fn analyse(&mut self, atom: &Atom) -> Vec<Vec<(usize, String)>> {
        self.analyzers
            .iter_mut()
            .map(|analyzer| analysis::analyze(analyzer, atom.text()))
            .collect()
    }

    /// The atom as typed, or misspelt (see [`QueryBuilder::fuzzy_terms`]),
    /// or, for a compound, its parts.
    fn word_query(&mut self, atom: &Atom, analysed: &[Vec<(usize, String)>]) -> Option<Box<dyn Query>> {
        let fuzzy = self.fuzzy_terms(atom, analysed);
        let typed = self.atom_query(analysed, &fuzzy);
        let parts = self.compound_query(atom, analysed);
        match (typed, parts) {
            (Some(typed), Some(parts)) => Some(Box::new(BooleanQuery::union(vec![typed, parts]))),
            (typed, parts) => typed.or(parts),
        }
    }

    /// The atom searched in every field where it leaves tokens; `fuzzy`
    /// holds, per target, dictionary terms searched too with a lower weight.
    fn atom_query(&self, analysed: &[Vec<(usize, String)>], fuzzy: &[Vec<Term>]) -> Option<Box<dyn Query>> {
        self.atom_query_in(analysed, fuzzy, FieldSet::All)
    }

    /// [`atom_query`](Self::atom_query) in some of the fields only.
    fn atom_query_in(
        &self,
        analysed: &[Vec<(usize, String)>],
        fuzzy: &[Vec<Term>],
        fields: FieldSet,
    ) -> Option<Box<dyn Query>> {
        let mut per_field: Vec<Box<dyn Query>> = Vec::new();
        for (target, &(field, slot, boost)) in self.targets.iter().enumerate() {
            let wanted = match (fields, slot) {
                (FieldSet::All, _) | (_, None) => true,
                (FieldSet::Language(lang), Some(own)) => lang == own,
                (FieldSet::Neutral, Some(_)) => false,
            };
            if !wanted {
                continue;
            }
            let Some(tokens) = analysed.get(slot_index(slot)) else {
                continue;
            };
            let Some(mut query) = field_query(field, tokens) else {
                continue;
            };
            if let Some(terms) = fuzzy.get(target).filter(|terms| !terms.is_empty()) {
                // The closest spelling counts, not the sum of them all.
                let variants = terms
                    .iter()
                    .map(|term| -> Box<dyn Query> {
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs))
                    })
                    .collect();
                let variants = DisjunctionMaxQuery::with_tie_breaker(variants, 0.0);
                query = Box::new(BooleanQuery::union(vec![
                    query,
                    Box::new(BoostQuery::new(Box::new(variants), FUZZY_BOOST)),
                ]));
            }
            per_field.push(if boost == 1.0 {
                query
            } else {
                Box::new(BoostQuery::new(query, boost))
            });
        }
        match per_field.len() {
            0 => None,
            1 => per_field.pop(),
            _ => Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(
                per_field,
                TIE_BREAKER,
            ))),
        }
    }
}

/// The end (exclusive) of the longest run of single-atom groups from
/// `start` whose words name a concept, with that concept.
fn longest_concept<'t>(
    groups: &[Vec<Atom>],
    start: usize,
    thesaurus: &'t Thesaurus,
) -> Option<(usize, &'t Concept)> {
    let mut end = start;
    while end < groups.len() && end - start < MAX_EXPANSION_WORDS && groups[end].len() == 1 {
        end += 1;
    }
    (start + 1..=end).rev().find_map(|stop| {
        let words: Vec<&str> = groups[start..stop].iter().map(|g| g[0].text()).collect();
        thesaurus
            .lookup(&words.join(" "))
            .into_iter()
            .next()
            .map(|concept| (stop, concept))
    })
}

/// True when some language analyzer removes the atom entirely.
fn is_stop_word(analysed: &[Vec<(usize, String)>]) -> bool {
    analysed
        .iter()
        .take(Lang::ALL.len())
        .any(|tokens| tokens.is_empty())
}

/// One token is a term query, several a phrase keeping their relative
/// positions (gaps left by stop words included).
fn field_query(field: Field, tokens: &[(usize, String)]) -> Option<Box<dyn Query>> {
    match tokens {
        [] => None,
        [(_, text)] => Some(Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::WithFreqs,
        ))),
        [(first, _), ..] => {
            let terms = tokens
                .iter()
                .map(|(position, text)| {
                    (
                        position.saturating_sub(*first),
                        Term::from_field_text(field, text),
                    )
                })
                .collect();
            Some(Box::new(PhraseQuery::new_with_offset(terms)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Atom {
        Atom::Word(text.to_owned())
    }

    fn phrase(text: &str) -> Atom {
        Atom::Phrase(text.to_owned())
    }

    #[test]
    fn words_are_anded() {
        let parsed = parse("asile  accueil");
        assert_eq!(parsed.required, vec![vec![word("asile")], vec![word("accueil")]]);
        assert!(parsed.excluded.is_empty());
    }

    #[test]
    fn or_joins_neighbours() {
        let parsed = parse("fedasil apatrides OR staatlozen OR \"stateless persons\"");
        assert_eq!(
            parsed.required,
            vec![
                vec![word("fedasil")],
                vec![word("apatrides"), word("staatlozen"), phrase("stateless persons")],
            ]
        );
    }

    #[test]
    fn lowercase_or_is_a_word() {
        assert_eq!(parse("a or b").required.len(), 3);
    }

    #[test]
    fn misplaced_or_is_ignored() {
        assert_eq!(parse("OR a OR").required, vec![vec![word("a")]]);
        assert_eq!(parse("OR").required, Vec::<Vec<Atom>>::new());
        assert_eq!(parse("a OR OR b").required, vec![vec![word("a"), word("b")]]);
        let parsed = parse("a OR -b");
        assert_eq!(parsed.required, vec![vec![word("a")]]);
        assert_eq!(parsed.excluded, vec![word("b")]);
    }

    #[test]
    fn exclusions_of_words_and_phrases() {
        let parsed = parse("asylum -return -\"one stop\" one-stop-desk");
        assert_eq!(
            parsed.required,
            vec![vec![word("asylum")], vec![word("one-stop-desk")]]
        );
        assert_eq!(parsed.excluded, vec![word("return"), phrase("one stop")]);
    }

    #[test]
    fn phrases_are_kept_whole() {
        let parsed = parse("\"crise de l'accueil\" 2023");
        assert_eq!(
            parsed.required,
            vec![vec![phrase("crise de l'accueil")], vec![word("2023")]]
        );
    }

    #[test]
    fn unbalanced_quote_degrades_to_words() {
        let parsed = parse("\"reception centres");
        assert_eq!(
            parsed.required,
            vec![vec![word("reception")], vec![word("centres")]]
        );
        assert_eq!(parse("-\"a b").required, vec![vec![word("a")], vec![word("b")]]);
    }

    #[test]
    fn lone_dash_and_empty_phrases_vanish() {
        assert_eq!(parse("-"), ParsedQuery::default());
        assert_eq!(parse(" - a -").required, vec![vec![word("a")]]);
        assert_eq!(parse("\"\" \"  \""), ParsedQuery::default());
        assert_eq!(parse(""), ParsedQuery::default());
    }

    #[test]
    fn glued_quotes_split_words() {
        assert_eq!(
            parse("a\"b c\"d").required,
            vec![vec![word("a")], vec![phrase("b c")], vec![word("d")]]
        );
    }

    #[test]
    fn long_queries_are_bounded() {
        let parsed = parse(&"x ".repeat(500));
        assert_eq!(parsed.required.len(), MAX_ATOMS);
        let parsed = parse(&"-".repeat(5000));
        assert_eq!(parsed.excluded.len(), 1);
    }

    #[test]
    fn stop_words_are_detected_per_language() {
        let index = tantivy::Index::create_in_ram(crate::schema::build_schema());
        analysis::register_analyzers(index.tokenizers());
        let fields = Fields::new(&index.schema()).expect("schema fields");
        let mut builder = QueryBuilder::new(&index, &fields);
        for (text, stop) in [("de", true), ("l'", true), ("the", true), ("asile", false)] {
            let analysed = builder.analyse(&word(text));
            assert_eq!(is_stop_word(&analysed), stop, "{text}");
        }
        assert!(!builder.build(&parse("(("), None).scored);
        assert!(builder.build(&parse("the"), None).scored);
        assert!(!builder.build(&parse("-fedasil"), None).scored);
    }
}
