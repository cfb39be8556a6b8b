//! Splitting Dutch and German compounds into known parts, so that `opvang`
//! finds `opvangnetwerk` and `opvangcrisis` finds `crisis van de opvang`.
//!
//! The dictionary is built once from the single words of the thesaurus's
//! Dutch and German terms plus a hand list of frequent migration morphemes
//! ([`MORPHEMES`]), all folded and lowercased like the analyzers fold them,
//! stop words left out. A word splits when it is a known word of at least
//! [`MIN_PART_CHARS`] characters followed by, optionally, a linking element
//! (`s`, `e`, `en`: `verblijf·s·recht`, `vluchteling·en·beleid`) and a
//! rest that is itself known or splits in turn. Of several possible splits
//! the one with the fewest, then the most even, parts wins. A word of unknown parts is left alone: no statistics, no
//! guessing, so `staatlozen` stays one word.
//!
//! [`DecompoundFilter`] applies this at index time in the Dutch and German
//! analyzers (the parts are emitted at the compound's position, before
//! stemming); `query.rs` applies [`Decompounder::split`] to query words.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use crate::lang::Lang;
use crate::memo::Memo;
use crate::thesaurus::{Thesaurus, normalise};

/// Shortest part, in characters: shorter ones (`aan`, `in`, `zee`) would
/// split ordinary words by accident.
pub const MIN_PART_CHARS: usize = 4;
/// Most parts a compound is split into.
const MAX_PARTS: usize = 4;
/// Words whose compound splits are remembered (see [`crate::memo`]).
const SPLIT_MEMO_WORDS: usize = 100_000;
/// Longer words are not split (the analyzers drop tokens past 40 bytes).
const MAX_COMPOUND_BYTES: usize = 64;
/// Linking elements allowed between two parts, tried longest first.
const LINKERS: [&str; 3] = ["en", "s", "e"];

/// Frequent Dutch and German parts of migration compounds, folded and
/// lowercased, on top of what the thesaurus provides.
pub const MORPHEMES: &[&str] = &[
    // Dutch.
    "aanvraag",
    "aanvragen",
    "aanvrager",
    "afdeling",
    "asiel",
    "beleid",
    "bescherming",
    "besluit",
    "bureau",
    "centrum",
    "centra",
    "crisis",
    "dienst",
    "gezin",
    "gezins",
    "hereniging",
    "instroom",
    "integratie",
    "kinderen",
    "kosten",
    "land",
    "landen",
    "migrant",
    "migranten",
    "migratie",
    "minderjarige",
    "minderjarigen",
    "netwerk",
    "opvang",
    "plaats",
    "plaatsen",
    "procedure",
    "procedures",
    "recht",
    "rechten",
    "regeling",
    "status",
    "statuut",
    "terugkeer",
    "traject",
    "verblijf",
    "vergunning",
    "verzoek",
    "vluchteling",
    "vluchtelingen",
    "vreemdeling",
    "vreemdelingen",
    "zaken",
    "zoeker",
    "zoekers",
    "arbeid",
    "arbeids",
    "gesloten",
    "grens",
    "grenzen",
    "huisvesting",
    "inburgering",
    "nationaliteit",
    "partner",
    "programma",
    "project",
    "studie",
    "werk",
    "werknemer",
    "werknemers",
    // German.
    "antrag",
    "antrage",
    "anerkennung",
    "asyl",
    "aufenthalt",
    "aufnahme",
    "behorde",
    "bewerber",
    "einrichtung",
    "flucht",
    "fluchtling",
    "fluchtlinge",
    "gesetz",
    "integration",
    "migration",
    "netz",
    "netzwerk",
    "politik",
    "ruckkehr",
    "schutz",
    "status",
    "verfahren",
    "zentrum",
    "recht",
    "erlaubnis",
    "krise",
    "unterbringung",
    "zuwanderung",
    "familie",
    "familien",
    "nachzug",
];

/// A set of known parts and the splitting rules.
#[derive(Debug, Clone, Default)]
pub struct Decompounder {
    words: HashSet<String>,
}

impl Decompounder {
    /// The dictionary built from the built-in thesaurus and [`MORPHEMES`].
    pub fn builtin() -> &'static Decompounder {
        static BUILTIN: LazyLock<Decompounder> = LazyLock::new(|| {
            let mut words: Vec<String> = MORPHEMES.iter().map(|word| (*word).to_owned()).collect();
            for concept in Thesaurus::builtin().concepts() {
                for lang in ["nl", "de"] {
                    for term in concept.terms.get(lang).into_iter().flatten() {
                        words.extend(normalise(term).split(' ').map(str::to_owned));
                    }
                }
            }
            let stop_words: HashSet<String> = [Lang::Nl, Lang::De]
                .iter()
                .flat_map(|lang| lang.stop_words())
                .map(|word| normalise(word))
                .collect();
            Decompounder::new(words.into_iter().filter(|word| !stop_words.contains(word)))
        });
        &BUILTIN
    }

    /// A dictionary of these words, normalised like the thesaurus
    /// (lowercase, accents folded); words shorter than [`MIN_PART_CHARS`]
    /// or with digits are left out.
    pub fn new(words: impl IntoIterator<Item = String>) -> Decompounder {
        let words = words
            .into_iter()
            .map(|word| normalise(&word))
            .filter(|word| word.chars().count() >= MIN_PART_CHARS && word.chars().all(char::is_alphabetic))
            .collect();
        Decompounder { words }
    }

    /// Whether `word` (lowercase, folded) is a known part.
    pub fn knows(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// The parts of a lowercase, folded compound, or `None` when it is not a
    /// compound of known parts. Linking elements belong to no part.
    pub fn split(&self, word: &str) -> Option<Vec<String>> {
        if word.len() > MAX_COMPOUND_BYTES {
            return None;
        }
        self.split_into(word, MAX_PARTS)
    }

    fn split_into(&self, word: &str, max_parts: usize) -> Option<Vec<String>> {
        let mut best: Option<Vec<String>> = None;
        self.each_split(word, max_parts, &mut Vec::new(), &mut |parts| {
            if best.as_ref().is_none_or(|best| better(parts, best)) {
                best = Some(parts.to_vec());
            }
        });
        best
    }

    /// Calls `found` with every split of `word` into 2 to `max_parts` known
    /// parts (`prefix` holds the parts already taken off its front).
    fn each_split(
        &self,
        word: &str,
        max_parts: usize,
        prefix: &mut Vec<String>,
        found: &mut dyn FnMut(&[String]),
    ) {
        if prefix.len() + 1 >= max_parts {
            return;
        }
        // Every character boundary leaving a head of MIN_PART_CHARS or more.
        let ends = word.char_indices().map(|(at, _)| at).skip(MIN_PART_CHARS);
        for end in ends {
            let (head, rest) = word.split_at(end);
            if !self.knows(head) {
                continue;
            }
            let tails =
                std::iter::once(rest).chain(LINKERS.iter().filter_map(|linker| rest.strip_prefix(linker)));
            prefix.push(head.to_owned());
            for tail in tails {
                if tail.chars().count() < MIN_PART_CHARS {
                    continue;
                }
                if self.knows(tail) {
                    prefix.push(tail.to_owned());
                    found(prefix);
                    prefix.pop();
                }
                self.each_split(tail, max_parts, prefix, found);
            }
            prefix.pop();
        }
    }

    /// Everything indexed for a compound besides itself: its parts and, for
    /// a part that is a compound too (`asielaanvraag` in
    /// `asielaanvraagprocedure`), that part's own parts. No duplicates.
    pub fn index_parts(&self, word: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for part in self.split(word).unwrap_or_default() {
            let sub = self.split_into(&part, MAX_PARTS - 1).unwrap_or_default();
            for piece in std::iter::once(part).chain(sub) {
                if piece != word && !out.contains(&piece) {
                    out.push(piece);
                }
            }
        }
        out
    }
}

/// A tantivy [`TokenFilter`] that follows each compound token with its
/// parts, at the same position and offsets. Place it after lowercasing and
/// accent folding and before stemming, so parts are stemmed like words.
#[derive(Clone, Copy)]
pub struct DecompoundFilter {
    /// `None` passes tokens through unchanged.
    dictionary: Option<&'static Decompounder>,
}

impl DecompoundFilter {
    /// A filter splitting with `dictionary`, or doing nothing with `None`
    /// (one analyzer type for the languages with and without compounds).
    pub fn new(dictionary: Option<&'static Decompounder>) -> DecompoundFilter {
        DecompoundFilter { dictionary }
    }
}

impl TokenFilter for DecompoundFilter {
    type Tokenizer<T: Tokenizer> = DecompoundFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> DecompoundFilterWrapper<T> {
        DecompoundFilterWrapper {
            dictionary: self.dictionary,
            inner: tokenizer,
        }
    }
}

/// The tokenizer produced by [`DecompoundFilter`].
#[derive(Clone)]
pub struct DecompoundFilterWrapper<T> {
    dictionary: Option<&'static Decompounder>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for DecompoundFilterWrapper<T> {
    type TokenStream<'a> = DecompoundTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DecompoundTokenStream {
            dictionary: self.dictionary,
            pending: Vec::new(),
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream produced by [`DecompoundFilterWrapper`].
pub struct DecompoundTokenStream<T> {
    dictionary: Option<&'static Decompounder>,
    /// Parts still to emit, last first.
    pending: Vec<String>,
    tail: T,
}

impl<T: TokenStream> TokenStream for DecompoundTokenStream<T> {
    fn advance(&mut self) -> bool {
        // A part reuses the compound's token (position, offsets); the next
        // `advance` of the inner stream overwrites it anyway.
        if let Some(part) = self.pending.pop() {
            self.tail.token_mut().text = part;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        if let Some(dictionary) = self.dictionary {
            // Most words are no compound; trying every split of each costs
            // more than remembering the answer per word.
            static SPLITS: LazyLock<Memo<Option<Arc<[String]>>>> =
                LazyLock::new(|| Memo::new(SPLIT_MEMO_WORDS));
            let split = |word: &str| {
                let parts = dictionary.index_parts(word);
                (!parts.is_empty()).then(|| parts.into())
            };
            let word = &self.tail.token().text;
            // The memory holds the built-in dictionary's answers only.
            let parts = match std::ptr::eq(dictionary, Decompounder::builtin()) {
                true => SPLITS.get_or(word, split),
                false => split(word),
            };
            if let Some(parts) = parts {
                self.pending = parts.iter().rev().cloned().collect();
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// Whether split `a` is preferred to split `b`: fewer parts, then the
/// longer shortest part, then the longer head. Plain "longest head first"
/// would cut `opvangnetwerk` into `opvangnet` + `werk` (both thesaurus
/// words), and `opvang` would then not find it.
fn better(a: &[String], b: &[String]) -> bool {
    let shortest = |parts: &[String]| parts.iter().map(|p| p.chars().count()).min().unwrap_or(0);
    let head = |parts: &[String]| parts.first().map_or(0, |p| p.chars().count());
    (b.len(), shortest(a), head(a)) > (a.len(), shortest(b), head(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(word: &str) -> Option<Vec<String>> {
        Decompounder::builtin().split(word)
    }

    fn parts(list: &[&str]) -> Option<Vec<String>> {
        Some(list.iter().map(|part| (*part).to_owned()).collect())
    }

    #[test]
    fn compounds_split_into_known_parts() {
        assert_eq!(split("opvangcrisis"), parts(&["opvang", "crisis"]));
        assert_eq!(split("opvangnetwerk"), parts(&["opvang", "netwerk"]));
        assert_eq!(split("terugkeerbeleid"), parts(&["terugkeer", "beleid"]));
        assert_eq!(split("asylantrag"), parts(&["asyl", "antrag"]));
    }

    #[test]
    fn known_compound_heads_win_over_shorter_ones() {
        // `asielaanvraag` is a thesaurus term; it is the longest known head.
        assert_eq!(
            split("asielaanvraagprocedure"),
            parts(&["asielaanvraag", "procedure"])
        );
        let index_parts = Decompounder::builtin().index_parts("asielaanvraagprocedure");
        for part in ["asielaanvraag", "procedure", "asiel", "aanvraag"] {
            assert!(index_parts.iter().any(|p| p == part), "{index_parts:?}");
        }
    }

    #[test]
    fn linking_elements_belong_to_no_part() {
        assert_eq!(split("verblijfsrecht"), parts(&["verblijf", "recht"]));
        assert_eq!(split("asielaanvraag"), parts(&["asiel", "aanvraag"]));
        assert_eq!(split("vreemdelingenwet"), None, "`wet` is too short");
        assert_eq!(split("vluchtelingenbeleid"), parts(&["vluchtelingen", "beleid"]));
        assert_eq!(split("vluchtelingbeleid"), parts(&["vluchteling", "beleid"]));
    }

    #[test]
    fn unknown_or_short_words_are_not_split() {
        for word in [
            "staatlozen",
            "staatloosheid",
            "opvang",
            "crisis",
            "beleid",
            "asiel",
            "",
            "a",
            "opvangxyz",
        ] {
            assert_eq!(split(word), None, "{word}");
        }
        // Three letters are no part, even when the rest is known.
        let small = Decompounder::new(["opvang".to_owned(), "aan".to_owned()]);
        assert_eq!(small.split("aanopvang"), None);
        assert_eq!(small.split("opvangaan"), None);
    }

    #[test]
    fn stop_words_are_no_parts() {
        assert!(!Decompounder::builtin().knows("voor"));
        assert!(!Decompounder::builtin().knows("door"));
    }

    #[test]
    fn odd_input_does_not_panic() {
        let dictionary = Decompounder::builtin();
        for word in [
            "ééééééééé",
            "opvang😀crisis",
            "中文中文中文中文中文",
            "opvangé",
            "ßßßßßßßßß",
        ] {
            let _ = dictionary.split(word);
            let _ = dictionary.index_parts(word);
        }
    }
}
