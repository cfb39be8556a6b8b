//! Variants of a typed word that are searched too: near spellings found in
//! the index's term dictionaries (typo tolerance), misspelt thesaurus
//! terms, and the parts of Dutch and German compounds.

use std::sync::{Arc, LazyLock};

use crate::memo::Memo;

use super::*;

/// Typo tolerance and compounds.
impl QueryBuilder<'_> {
    /// Per target, the dictionary terms a misspelt word is also searched
    /// as; empty when typo tolerance is off or the word is not eligible.
    ///
    /// The typed word is compared after analysis, with up to one edit from
    /// [`ONE_TYPO_CHARS`] letters and two from [`TWO_TYPOS_CHARS`] (fewer if
    /// its stem is shorter: two edits on a six-letter stem match anything),
    /// a transposition counting as one. Because the stemmer only removes
    /// suffixes, a typo in one (`staatlooshied` for `staatloosheid`) leaves
    /// a stem far from the right one; single edits of the last
    /// [`TAIL_CHARS`] letters are therefore stemmed too.
    ///
    /// Which terms count: only those found in more documents than the word
    /// as typed (in any field). A word nobody wrote (`staatlooshied`) takes
    /// every near term; a rare misspelling in the corpus (`apatirdes`) still
    /// reaches the common spelling; but a correct common word (`beleid`)
    /// does not drag in its rarer neighbours (`geleid`), nor a Dutch word
    /// French terms that happen to look like it. Matches through a typo are
    /// weighted [`FUZZY_BOOST`], so exact matches rank first.
    ///
    /// The answer depends on the word and the index alone, so it is
    /// remembered until the index changes (see [`index_state`]): walking a
    /// dozen term dictionaries per segment is most of a query's set-up.
    pub(super) fn fuzzy_terms(
        &mut self,
        atom: &Atom,
        analysed: &[Vec<(usize, String)>],
    ) -> Arc<Vec<Vec<Term>>> {
        let (Some(searcher), Atom::Word(typed)) = (self.typos, atom) else {
            return Arc::default();
        };
        let budget = typo_budget(typed);
        if budget == 0 {
            return Arc::default();
        }
        static TYPO_MEMO: LazyLock<Memo<NearTerms>> = LazyLock::new(|| Memo::new(MAX_TYPO_WORDS));
        // The index state first: nothing remembered of another index or of
        // an earlier commit is used.
        let key = format!("{:016x} {typed}", self.typo_state);
        TYPO_MEMO.get_or(&key, |_| Arc::new(self.near_terms(searcher, budget, analysed)))
    }

    /// [`fuzzy_terms`](Self::fuzzy_terms), computed.
    fn near_terms(
        &mut self,
        searcher: &Searcher,
        budget: u8,
        analysed: &[Vec<(usize, String)>],
    ) -> Vec<Vec<Term>> {
        // The word's single token per target, if it has one.
        let exact: Vec<Option<&str>> = self
            .targets
            .iter()
            .map(
                |&(_, slot, _)| match analysed.get(slot_index(slot)).map(Vec::as_slice) {
                    Some([(_, text)]) => Some(text.as_str()),
                    _ => None,
                },
            )
            .collect();
        let typed_docs = self.typed_docs(searcher, analysed);
        let folded = match analysed.get(slot_index(None)).map(Vec::as_slice) {
            Some([(_, text)]) => Some(text.clone()),
            _ => None,
        };
        let mut repaired: HashMap<usize, Arc<Vec<String>>> = HashMap::new();
        let mut automata: HashMap<(String, u8), Option<DfaWrapper>> = HashMap::new();
        let mut out = Vec::with_capacity(exact.len());
        for (target, text) in exact.into_iter().enumerate() {
            let (field, slot, _) = self.targets[target];
            let Some(text) = text else {
                out.push(Vec::new());
                continue;
            };
            let distance = budget.min(typo_budget_for_len(text.chars().count()));
            // Building a Levenshtein automaton costs far more than walking a
            // small dictionary with it: one per distinct token and distance,
            // shared by the fields and segments.
            let automaton = automata
                .entry((text.to_owned(), distance))
                .or_insert_with(|| levenshtein(field, text, distance));
            let mut candidates: BTreeSet<String> = match automaton {
                Some(automaton) => dictionary_neighbours(searcher, field, automaton),
                None => BTreeSet::new(),
            };
            if let (Some(_), Some(folded)) = (slot, folded.as_deref()) {
                let analyzer = &mut self.analyzers[slot_index(slot)];
                let stems = repaired
                    .entry(slot_index(slot))
                    .or_insert_with(|| cached_tail_repairs(slot_index(slot), analyzer, folded));
                candidates.extend(stems.iter().cloned());
            }
            candidates.remove(text);
            let mut popular: Vec<(u64, Term)> = candidates
                .into_iter()
                .map(|candidate| Term::from_field_text(field, &candidate))
                .filter_map(|term| {
                    let docs = searcher.doc_freq(&term).unwrap_or(0);
                    (docs > typed_docs).then_some((docs, term))
                })
                .collect();
            // Most frequent first; ties in dictionary order (stable sort).
            popular.sort_by_key(|(docs, _)| std::cmp::Reverse(*docs));
            out.push(
                popular
                    .into_iter()
                    .take(MAX_FUZZY_TERMS)
                    .map(|(_, term)| term)
                    .collect(),
            );
        }
        out
    }

    /// In how many documents the analysed word occurs, in its most frequent
    /// field.
    fn typed_docs(&self, searcher: &Searcher, analysed: &[Vec<(usize, String)>]) -> u64 {
        self.targets
            .iter()
            .filter_map(
                |&(field, slot, _)| match analysed.get(slot_index(slot)).map(Vec::as_slice) {
                    Some([(_, text)]) => Some(Term::from_field_text(field, text)),
                    _ => None,
                },
            )
            .map(|term| searcher.doc_freq(&term).unwrap_or(0))
            .max()
            .unwrap_or(0)
    }

    /// The concept a misspelt word names, so that `staatlooshied` is
    /// expanded like `staatloosheid`. Only with typo tolerance on, for a
    /// word no document contains (a real word is not a typo), against the
    /// thesaurus's one-word terms, within the word's typo budget; the
    /// closest term wins, and a tie between two terms means no guess.
    pub(super) fn misspelt_concept<'t>(
        &mut self,
        group: &[Atom],
        thesaurus: &'t Thesaurus,
    ) -> Option<&'t Concept> {
        let searcher = self.typos?;
        let [atom @ Atom::Word(typed)] = group else {
            return None;
        };
        let budget = typo_budget(typed);
        if budget == 0 {
            return None;
        }
        let analysed = self.analyse(atom);
        if self.typed_docs(searcher, &analysed) > 0 {
            return None;
        }
        let word = crate::thesaurus::normalise(typed);
        if word.contains(' ') {
            return None;
        }
        let mut best: Option<(usize, String)> = None;
        let mut tied = false;
        for term in thesaurus.one_word_terms() {
            let Some(distance) = typo_distance(&word, term, budget) else {
                continue;
            };
            match &best {
                Some((closest, _)) if distance > *closest => {}
                Some((closest, known)) if distance == *closest => tied |= known != term,
                _ => {
                    best = Some((distance, term.clone()));
                    tied = false;
                }
            }
        }
        if tied {
            return None;
        }
        thesaurus.lookup(&best?.1).into_iter().next()
    }

    /// For a word that splits into known parts, all its parts required in
    /// the Dutch and German fields (each in any of them); `None` otherwise
    /// or when decompounding is off.
    pub(super) fn compound_query(
        &mut self,
        atom: &Atom,
        analysed: &[Vec<(usize, String)>],
    ) -> Option<Box<dyn Query>> {
        if !self.decompound || !matches!(atom, Atom::Word(_)) {
            return None;
        }
        let folded = match analysed.get(slot_index(None)).map(Vec::as_slice) {
            Some([(_, text)]) => text,
            _ => return None,
        };
        let parts = Decompounder::builtin().split(folded)?;
        let mut required: Vec<Box<dyn Query>> = Vec::with_capacity(parts.len());
        for part in parts {
            let mut per_field: Vec<Box<dyn Query>> = Vec::new();
            for &(field, slot, boost) in &self.targets {
                if !slot.is_some_and(Lang::has_compounds) {
                    continue;
                }
                let tokens = analysis::analyze(&mut self.analyzers[slot_index(slot)], &part);
                if let Some(query) = field_query(field, &tokens) {
                    per_field.push(Box::new(BoostQuery::new(query, boost)));
                }
            }
            if per_field.is_empty() {
                return None;
            }
            required.push(Box::new(DisjunctionMaxQuery::with_tie_breaker(
                per_field,
                TIE_BREAKER,
            )));
        }
        Some(Box::new(BooleanQuery::intersection(required)))
    }
}

/// Edits a word may have as typed: none for names, acronyms and codes
/// (`AMIF`, `CGVS`, `DG`, `eGov`, `2024`), words with a capital after the
/// first letter or a digit, and for words under [`ONE_TYPO_CHARS`] letters.
fn typo_budget(typed: &str) -> u8 {
    let inner_capital = typed.chars().skip(1).any(char::is_uppercase);
    if inner_capital || typed.chars().any(|c| c.is_numeric()) {
        return 0;
    }
    typo_budget_for_len(typed.chars().count())
}

/// The edit distance between two words (insertion, deletion,
/// substitution, transposition of neighbours: one each), if at most `max`.
fn typo_distance(a: &str, b: &str, max: u8) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let max = usize::from(max);
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Three rows of the dynamic programme: two back, previous, current.
    let mut before = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let substitution = previous[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            let mut distance = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                distance = distance.min(before[j - 2] + 1);
            }
            current[j] = distance;
            row_min = row_min.min(distance);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= max).then_some(distance)
}

fn typo_budget_for_len(chars: usize) -> u8 {
    match chars {
        n if n >= TWO_TYPOS_CHARS => 2,
        n if n >= ONE_TYPO_CHARS => 1,
        _ => 0,
    }
}

/// The automaton accepting the terms within `distance` edits of `text`
/// (transpositions count once); `None` for distance 0 or when tantivy
/// refuses the distance.
fn levenshtein(field: Field, text: &str, distance: u8) -> Option<DfaWrapper> {
    if distance == 0 {
        return None;
    }
    FuzzyTermQuery::new(Term::from_field_text(field, text), distance, true)
        .automaton()
        .ok()
}

/// The terms of `field` the automaton accepts, streamed from each
/// segment's term dictionary. Errors only lose candidates.
fn dictionary_neighbours(searcher: &Searcher, field: Field, automaton: &DfaWrapper) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().search(automaton).into_stream() else {
            continue;
        };
        let mut taken = 0;
        while taken < MAX_FUZZY_CANDIDATES && stream.advance() {
            // Concept marks are no spelling of anything.
            if let Ok(term) = std::str::from_utf8(stream.key())
                && !crate::concepts::is_mark(term)
            {
                found.insert(term.to_owned());
                taken += 1;
            }
        }
    }
    found
}

/// Identifies what a searcher sees: its segments (ids are unique across
/// indexes) and their deletes. Another index or a commit gives another
/// value, so nothing remembered about one is used for the other.
pub(super) fn index_state(searcher: &Searcher) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (segment, deletes) in searcher.generation().segments() {
        hasher.update(segment.uuid_string().as_bytes());
        hasher.update(&deletes.unwrap_or(u64::MAX).to_le_bytes());
    }
    hasher.digest()
}

/// Words whose near terms are remembered; past this the memory starts
/// afresh.
const MAX_TYPO_WORDS: usize = 8192;

/// Per searched field, the near terms of one typed word.
type NearTerms = Arc<Vec<Vec<Term>>>;

/// Words whose tail repairs are kept, per analyzer; past this the memory
/// starts afresh.
const MAX_CACHED_REPAIRS: usize = 4096;

/// [`tail_repairs`], remembered across queries: analysing a few hundred
/// variants per language is most of a typo-tolerant query's time, and the
/// answer depends only on the word and the language's query analyzer, which
/// is the same for every index.
fn cached_tail_repairs(slot: usize, analyzer: &mut TextAnalyzer, folded: &str) -> Arc<Vec<String>> {
    static MEMOS: LazyLock<Vec<Memo<Arc<Vec<String>>>>> = LazyLock::new(|| {
        (0..=Lang::ALL.len())
            .map(|_| Memo::new(MAX_CACHED_REPAIRS))
            .collect()
    });
    let mut compute = |word: &str| Arc::new(tail_repairs(analyzer, word));
    match MEMOS.get(slot) {
        Some(memo) => memo.get_or(folded, compute),
        None => compute(folded),
    }
}

/// What `analyzer` makes of the single-edit variants (deletion,
/// transposition, substitution, insertion of `a`-`z`) of the last
/// [`TAIL_CHARS`] letters of a folded word: the stems of the right word
/// when the typo sat in its suffix. Variants that analyse to no or several
/// tokens are dropped.
fn tail_repairs(analyzer: &mut TextAnalyzer, folded: &str) -> Vec<String> {
    let chars: Vec<char> = folded.chars().collect();
    let start = chars.len().saturating_sub(TAIL_CHARS);
    let mut variants: Vec<Vec<char>> = Vec::new();
    for at in start..chars.len() {
        let mut deleted = chars.clone();
        deleted.remove(at);
        variants.push(deleted);
        if at + 1 < chars.len() && chars[at] != chars[at + 1] {
            let mut swapped = chars.clone();
            swapped.swap(at, at + 1);
            variants.push(swapped);
        }
        for letter in 'a'..='z' {
            if letter != chars[at] {
                let mut substituted = chars.clone();
                substituted[at] = letter;
                variants.push(substituted);
            }
        }
    }
    for at in start..=chars.len() {
        for letter in 'a'..='z' {
            let mut inserted = chars.clone();
            inserted.insert(at, letter);
            variants.push(inserted);
        }
    }
    let mut stems = BTreeSet::new();
    for variant in variants {
        let variant: String = variant.into_iter().collect();
        if let [(_, stem)] = analysis::analyze(analyzer, &variant).as_slice() {
            stems.insert(stem.clone());
        }
    }
    stems.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_tail_repairs_are_the_computed_ones() {
        let mut analyzer = analysis::query_analyzer(Lang::Nl);
        let computed = tail_repairs(&mut analyzer, "staatlooshied");
        assert!(!computed.is_empty());
        let slot = Lang::Nl.index();
        let first = cached_tail_repairs(slot, &mut analyzer, "staatlooshied");
        let again = cached_tail_repairs(slot, &mut analyzer, "staatlooshied");
        assert_eq!(*first, computed);
        assert!(
            Arc::ptr_eq(&first, &again),
            "the second call is served from the cache"
        );
    }

    #[test]
    fn typo_budget_follows_length_and_case() {
        for (word, budget) in [
            ("asile", 1),
            ("Asile", 1),
            ("asil", 0),
            ("staatloosheid", 2),
            ("apatrides", 2),
            ("AMIF", 0),
            ("CGVS", 0),
            ("FEDASIL", 0),
            ("FedAsil", 0),
            ("covid19", 0),
            ("réfugiés", 1),
            ("", 0),
        ] {
            assert_eq!(typo_budget(word), budget, "{word}");
        }
    }

    #[test]
    fn typo_distance_counts_transpositions_once() {
        assert_eq!(typo_distance("staatlooshied", "staatloosheid", 2), Some(1));
        assert_eq!(typo_distance("apatirdes", "apatrides", 1), Some(1));
        assert_eq!(typo_distance("asile", "asile", 0), Some(0));
        assert_eq!(typo_distance("asile", "azil", 1), None);
        assert_eq!(typo_distance("asile", "azil", 2), Some(2));
        assert_eq!(typo_distance("", "abc", 2), None);
        assert_eq!(typo_distance("ééé", "eee", 3), Some(3));
    }
}
