//! Text analysis: one analyzer per language plus a language-neutral one.
//!
//! Every analyzer has a constant name and all of them are registered by
//! [`register_analyzers`], so indexing, query building and snippets always
//! agree on how a field is tokenised. The language chain is
//! `SimpleTokenizer → RemoveLongFilter → LowerCaser → StopWordFilter →
//! AsciiFoldingFilter → StemFilter`: stop words are removed before folding
//! because the lists carry accents (`à`, `où`), and accents are folded before
//! stemming so that `réfugiés` and `refugies` end up on the same stem.
//! Dutch and German insert a `DecompoundFilter` before stemming: a compound
//! (`opvangcrisis`) is followed by its parts (`opvang`, `crisis`) at the
//! same position, so its parts find it. Query words are analysed without it
//! ([`query_analyzer`]): `query.rs` splits them itself, into an OR.

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, StopWordFilter, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer, TokenizerManager,
};

use crate::concepts::{ConceptFilter, Marks};
use crate::decompound::{DecompoundFilter, Decompounder};
pub use crate::lang::Lang;
use crate::memo::Memo;
use crate::thesaurus::Thesaurus;

/// Analyzer for French text (indexing: words and concept marks).
pub const ANALYZER_FR: &str = "migrasearch_fr_marked";
/// Analyzer for Dutch text.
pub const ANALYZER_NL: &str = "migrasearch_nl_marked";
/// Analyzer for English text.
pub const ANALYZER_EN: &str = "migrasearch_en_marked";
/// Analyzer for German text.
pub const ANALYZER_DE: &str = "migrasearch_de_marked";
/// French analyzer for query words: [`ANALYZER_FR`] without concept marks.
pub const ANALYZER_FR_QUERY: &str = "migrasearch_fr_query";
/// Dutch analyzer for query words: [`ANALYZER_NL`] without decompounding
/// or concept marks.
pub const ANALYZER_NL_QUERY: &str = "migrasearch_nl_query";
/// English analyzer for query words: [`ANALYZER_EN`] without concept marks.
pub const ANALYZER_EN_QUERY: &str = "migrasearch_en_query";
/// German analyzer for query words: [`ANALYZER_DE`] without decompounding
/// or concept marks.
pub const ANALYZER_DE_QUERY: &str = "migrasearch_de_query";
/// Language-neutral analyzer: lowercase and fold accents, no stop words, no
/// stemming. Used for text of unknown language, keywords and organisations.
pub const ANALYZER_SIMPLE: &str = "migrasearch_simple";

/// Tokens longer than this many bytes are dropped (base64 blobs, URLs glued
/// to text by extraction); no real word in our languages gets near it.
const MAX_TOKEN_BYTES: usize = 40;

/// The analyzers of a language.
impl Lang {
    /// Name of this language's registered analyzer.
    pub fn analyzer_name(self) -> &'static str {
        match self {
            Lang::Fr => ANALYZER_FR,
            Lang::Nl => ANALYZER_NL,
            Lang::En => ANALYZER_EN,
            Lang::De => ANALYZER_DE,
        }
    }

    /// Name of the analyzer for query words: the index one without concept
    /// marks, and for Dutch and German without decompounding (see
    /// [`query_analyzer`]).
    pub fn query_analyzer_name(self) -> &'static str {
        match self {
            Lang::Fr => ANALYZER_FR_QUERY,
            Lang::Nl => ANALYZER_NL_QUERY,
            Lang::En => ANALYZER_EN_QUERY,
            Lang::De => ANALYZER_DE_QUERY,
        }
    }
}

/// Registers every analyzer of this crate under its constant name.
pub fn register_analyzers(manager: &TokenizerManager) {
    for lang in Lang::ALL {
        manager.register(lang.analyzer_name(), language_analyzer(lang));
        manager.register(lang.query_analyzer_name(), query_analyzer(lang));
    }
    manager.register(ANALYZER_SIMPLE, simple_analyzer());
}

/// Builds the analyzer of one language, the one its fields are indexed
/// with: words, compound parts and concept marks (see the `concepts` module).
pub fn language_analyzer(lang: Lang) -> TextAnalyzer {
    let dictionary = lang.has_compounds().then(Decompounder::builtin);
    chain(
        lang,
        DecompoundFilter::new(dictionary),
        ConceptFilter::new(Some(marks(lang))),
    )
}

/// The built-in thesaurus's terms in `lang`, as the concept filter marks
/// them, built once.
fn marks(lang: Lang) -> &'static Marks {
    static MARKS: LazyLock<Vec<Marks>> = LazyLock::new(|| {
        Lang::ALL
            .iter()
            .map(|lang| Marks::of(Thesaurus::builtin(), *lang, &mut query_analyzer(*lang)))
            .collect()
    });
    &MARKS[lang.index()]
}

/// Builds the analyzer query words of one language go through: the
/// language's own minus decompounding and concept marks, so a compound
/// stays one token and `query.rs` decides how its parts and the concepts
/// it names are searched.
pub fn query_analyzer(lang: Lang) -> TextAnalyzer {
    chain(lang, DecompoundFilter::new(None), ConceptFilter::new(None))
}

fn chain(lang: Lang, decompound: DecompoundFilter, concepts: ConceptFilter) -> TextAnalyzer {
    let stop_words = lang.stop_words().iter().map(|word| (*word).to_owned());
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(stop_words))
        .filter(AsciiFoldingFilter)
        .filter(decompound)
        .filter(StemFilter::new(lang.algorithm()).with_plural_folding(lang == Lang::Fr))
        .filter(concepts)
        .build()
}

/// Builds the language-neutral analyzer.
pub fn simple_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Runs `text` through `analyzer`, returning `(position, term)` pairs.
///
/// Positions keep the gaps left by removed stop words, so a phrase built
/// from them lines up with what was indexed.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        tokens.push((token.position, token.text.clone()));
    }
    tokens
}

/// A tantivy [`TokenFilter`] that replaces each token by its Snowball stem,
/// computed by `rust-stemmers` (tantivy's own stemmer feature is off) and
/// remembered per word (see the `memo` module).
#[derive(Clone)]
pub struct StemFilter {
    stemmer: Arc<Stemmer>,
    algorithm: Algorithm,
    fold_plural: bool,
}

impl StemFilter {
    /// A filter stemming with the given Snowball algorithm.
    pub fn new(algorithm: Algorithm) -> StemFilter {
        StemFilter {
            stemmer: Arc::new(Stemmer::create(algorithm)),
            algorithm,
            fold_plural: false,
        }
    }

    /// Drops a plural `-s` before stemming. The French Snowball stemmer
    /// removes `-er` from `etranger` but not from `etrangers`, so without this
    /// `Office des étrangers` would not match `étranger`.
    #[must_use]
    pub fn with_plural_folding(mut self, fold_plural: bool) -> StemFilter {
        self.fold_plural = fold_plural;
        self
    }
}

impl TokenFilter for StemFilter {
    type Tokenizer<T: Tokenizer> = StemFilterWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemFilterWrapper<T> {
        StemFilterWrapper {
            memo: stem_memo(self.algorithm, self.fold_plural),
            stemmer: self.stemmer,
            fold_plural: self.fold_plural,
            inner: tokenizer,
        }
    }
}

/// Words whose stems are remembered, per stemmer.
const STEM_MEMO_WORDS: usize = 100_000;

/// The stems of one stemmer, `None` for a word it leaves as it is.
type StemMemo = Memo<Option<Box<str>>>;

/// The memory of the stemmer with `algorithm` and plural folding.
fn stem_memo(algorithm: Algorithm, fold_plural: bool) -> &'static StemMemo {
    static MEMOS: LazyLock<Vec<(Algorithm, bool, StemMemo)>> = LazyLock::new(|| {
        Lang::ALL
            .iter()
            .flat_map(|lang| [(lang.algorithm(), false), (lang.algorithm(), true)])
            .map(|(algorithm, fold)| (algorithm, fold, Memo::new(STEM_MEMO_WORDS)))
            .collect()
    });
    static OTHER: LazyLock<StemMemo> = LazyLock::new(|| Memo::new(0));
    MEMOS
        .iter()
        .find(|(a, f, _)| *a == algorithm && *f == fold_plural)
        .map_or(&*OTHER, |(_, _, memo)| memo)
}

/// The tokenizer produced by [`StemFilter`].
#[derive(Clone)]
pub struct StemFilterWrapper<T> {
    stemmer: Arc<Stemmer>,
    fold_plural: bool,
    memo: &'static StemMemo,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for StemFilterWrapper<T> {
    type TokenStream<'a> = StemTokenStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemTokenStream {
            stemmer: &self.stemmer,
            fold_plural: self.fold_plural,
            memo: self.memo,
            buffer: String::new(),
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream produced by [`StemFilterWrapper`].
pub struct StemTokenStream<'a, T> {
    stemmer: &'a Stemmer,
    fold_plural: bool,
    memo: &'static StemMemo,
    /// Holds the next stem before it is swapped into the token.
    buffer: String,
    tail: T,
}

impl<T: TokenStream> TokenStream for StemTokenStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let (stemmer, fold_plural) = (self.stemmer, self.fold_plural);
        let compute = |word: &str| {
            let plural = fold_plural && is_plural_s(word);
            let word = if plural { &word[..word.len() - 1] } else { word };
            match stemmer.stem(word) {
                Cow::Owned(stem) => Some(stem.into()),
                Cow::Borrowed(_) if plural => Some(word.into()),
                Cow::Borrowed(_) => None,
            }
        };
        // The stem is copied into a buffer kept across tokens, then swapped
        // in: no allocation per token once the buffers have grown.
        let buffer = &mut self.buffer;
        let changed = self.memo.with(&token.text, compute, |stem| match stem {
            Some(stem) => {
                buffer.clear();
                buffer.push_str(stem);
                true
            }
            None => false,
        });
        if changed {
            std::mem::swap(&mut token.text, &mut self.buffer);
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

/// A word of four letters or more ending in a single `s` (not `ss`).
fn is_plural_s(word: &str) -> bool {
    let bytes = word.as_bytes();
    word.chars().count() >= 4
        && bytes.last() == Some(&b's')
        && bytes.get(bytes.len().wrapping_sub(2)) != Some(&b's')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Terms as a query word gives them (no compound parts).
    fn terms(lang: Lang, text: &str) -> Vec<String> {
        analyze(&mut query_analyzer(lang), text)
            .into_iter()
            .map(|(_, term)| term)
            .collect()
    }

    /// Terms as indexed, with their positions.
    /// The words indexed for `text`, concept marks left out (see
    /// `concepts` for those).
    fn indexed(lang: Lang, text: &str) -> Vec<(usize, String)> {
        let mut words = analyze(&mut language_analyzer(lang), text);
        words.retain(|(_, word)| !crate::concepts::is_mark(word));
        words
    }

    fn stem(lang: Lang, word: &str) -> String {
        let terms = terms(lang, word);
        assert_eq!(terms.len(), 1, "{word:?} gave {terms:?}");
        terms.into_iter().next().unwrap_or_default()
    }

    fn assert_same_stem(lang: Lang, words: &[&str]) {
        let first = stem(lang, words[0]);
        for word in &words[1..] {
            assert_eq!(stem(lang, word), first, "{word} vs {}", words[0]);
        }
    }

    #[test]
    fn french_inflections_share_a_stem() {
        assert_same_stem(Lang::Fr, &["apatrides", "apatride", "Apatrides"]);
        assert_same_stem(Lang::Fr, &["réfugiés", "réfugié", "refugies", "Refugiés"]);
        assert_same_stem(Lang::Fr, &["demandeurs", "demandeur"]);
        assert_same_stem(Lang::Fr, &["accueil", "Accueil"]);
        assert_same_stem(Lang::Fr, &["migratoires", "migratoire"]);
        assert_same_stem(Lang::Fr, &["étrangers", "étranger", "etrangers"]);
        assert_same_stem(Lang::Fr, &["procédures", "procédure"]);
        assert_same_stem(Lang::Fr, &["mineurs", "mineur"]);
        assert_same_stem(Lang::Fr, &["retours", "retour"]);
        assert_same_stem(Lang::Fr, &["centres", "centre"]);
    }

    #[test]
    fn dutch_inflections_share_a_stem() {
        assert_same_stem(Lang::Nl, &["staatlozen", "staatloze"]);
        assert_same_stem(Lang::Nl, &["gemeenten", "gemeente"]);
        assert_same_stem(Lang::Nl, &["asielzoekers", "asielzoeker"]);
        assert_same_stem(Lang::Nl, &["vluchtelingen", "vluchteling"]);
        assert!(stem(Lang::Nl, "opvangcrisis").starts_with("opvangcris"));
    }

    #[test]
    fn compounds_are_indexed_with_their_stemmed_parts_at_their_position() {
        assert_eq!(
            indexed(Lang::Nl, "de opvangcrisis duurt"),
            vec![
                (1, "opvangcrisis".to_owned()),
                (1, "opvang".to_owned()),
                (1, "crisis".to_owned()),
                (2, "duurt".to_owned()),
            ]
        );
        // Parts are stemmed like the words typed alone.
        let parts: Vec<String> = indexed(Lang::Nl, "Asielaanvragen")
            .into_iter()
            .map(|(_, term)| term)
            .collect();
        assert!(parts.contains(&stem(Lang::Nl, "aanvraag")), "{parts:?}");
        assert!(parts.contains(&stem(Lang::Nl, "asiel")), "{parts:?}");
        let parts = indexed(Lang::De, "Asylanträge");
        assert!(
            parts.iter().any(|(_, t)| *t == stem(Lang::De, "Antrag")),
            "{parts:?}"
        );
        // Only Dutch and German split; positions never move.
        assert_eq!(indexed(Lang::Fr, "opvangcrisis").len(), 1);
        assert_eq!(indexed(Lang::Nl, "staatlozen").len(), 1);
    }

    #[test]
    fn dutch_stemmer_keeps_the_ge_prefix() {
        // A stemmer that strips `ge-` would merge `gemeente` with `meen`.
        let stem = stem(Lang::Nl, "gemeenten");
        assert!(stem.starts_with("gemeent"), "{stem}");
    }

    #[test]
    fn english_inflections_share_a_stem() {
        assert_same_stem(Lang::En, &["centres", "centre"]);
        assert_same_stem(Lang::En, &["returns", "return", "returned"]);
        assert_same_stem(Lang::En, &["statelessness", "stateless"]);
        assert_same_stem(Lang::En, &["refugees", "refugee"]);
        assert_eq!(
            terms(Lang::En, "reception centres"),
            terms(Lang::En, "Reception Centre")
        );
    }

    #[test]
    fn german_inflections_share_a_stem() {
        assert_same_stem(Lang::De, &["Flüchtlinge", "Flüchtling", "fluchtlinge"]);
    }

    #[test]
    fn french_elisions_and_stop_words_vanish() {
        assert_eq!(
            terms(Lang::Fr, "crise de l'accueil"),
            terms(Lang::Fr, "crise accueil")
        );
        assert_eq!(
            terms(Lang::Fr, "l’accueil d’urgence"),
            terms(Lang::Fr, "accueil urgence")
        );
        assert!(terms(Lang::Fr, "qu'il jusqu'à l' d' n' s' c' m' t' j'").is_empty());
    }

    #[test]
    fn stop_word_gaps_are_kept_in_positions() {
        let positions: Vec<usize> = indexed(Lang::Fr, "crise de l'accueil")
            .into_iter()
            .map(|(position, _)| position)
            .collect();
        assert_eq!(positions, vec![0, 3]);
    }

    #[test]
    fn simple_analyzer_folds_without_stemming() {
        let terms: Vec<String> = analyze(&mut simple_analyzer(), "Réfugiés de l'AMIF")
            .into_iter()
            .map(|(_, term)| term)
            .collect();
        assert_eq!(terms, vec!["refugies", "de", "l", "amif"]);
    }

    #[test]
    fn acronyms_survive_every_analyzer() {
        for lang in Lang::ALL {
            assert_eq!(terms(lang, "Fedasil AMIF").len(), 2, "{lang:?}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        let odd = "😀 中文 ÆØÅ ß ﬁ \u{0301}e\u{0301} 𝔘𝔫𝔦 \u{202e}rtl\u{202d} \0 x̷̢ a-b_c 2024-2025 ".repeat(3);
        for lang in Lang::ALL {
            let _ = terms(lang, &odd);
        }
        let long = "a".repeat(500);
        assert!(terms(Lang::En, &long).is_empty());
    }

    #[test]
    fn language_codes_are_parsed_leniently() {
        assert_eq!(Lang::from_code("fr"), Some(Lang::Fr));
        assert_eq!(Lang::from_code(" NL-be "), Some(Lang::Nl));
        assert_eq!(Lang::from_code("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("it"), None);
        assert_eq!(Lang::from_code(""), None);
    }
}
