//! The query mix: a fixed list of searches drawn from the corpus
//! vocabularies with a seeded generator, the same for the server and the
//! plain-tantivy floor, so their figures compare query for query.

use super::corpus::{FIRST_YEAR, LAST_YEAR, THEMES};
use super::rng::Rng;
use super::vocab::{LANGS, Vocab};

/// What a query exercises; also the rows of the per-kind table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One of the most frequent content words: long posting lists.
    Frequent,
    /// A word of the long tail: few hits, dictionary walks dominate.
    Rare,
    /// Two or three words, all required.
    And,
    /// A multi-word thesaurus term in quotes.
    Phrase,
    /// A frequent word with one typo, for typo tolerance to repair.
    Typo,
    /// No words, filters only (browsing).
    FiltersOnly,
}

pub const KINDS: &[(Kind, &str, f64)] = &[
    (Kind::Frequent, "frequent term", 0.30),
    (Kind::Rare, "rare term", 0.15),
    (Kind::And, "2–3 words (AND)", 0.25),
    (Kind::Phrase, "phrase", 0.15),
    (Kind::Typo, "typo", 0.10),
    (Kind::FiltersOnly, "filters only", 0.05),
];

/// Share of queries with filters (filter-only ones included).
const FILTERED: f64 = 0.40;

pub struct Query {
    pub kind: Kind,
    /// The language the words were drawn from.
    pub lang: &'static str,
    /// The text typed, in the query syntax both engines read (words ANDed,
    /// `"phrases"`); empty for a filters-only search.
    pub q: String,
    /// `theme`, `year` or `language`, each with one value.
    pub filters: Vec<(&'static str, String)>,
}

impl Query {
    /// Parameters of `/api/search`: the top 10 (facets always come along).
    pub fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = vec![("q", self.q.clone()), ("per_page", "10".to_owned())];
        params.extend(self.filters.iter().map(|(k, v)| (*k, v.clone())));
        params
    }
}

pub fn mix(count: usize, seed: u64, vocabs: &[Vocab]) -> Vec<Query> {
    let mut rng = Rng::new(seed).fork(0x0071_7565_7279);
    let kind_shares: Vec<f64> = KINDS.iter().map(|k| k.2).collect();
    let lang_shares: Vec<f64> = LANGS.iter().map(|l| l.1).collect();
    let filters_only = KINDS
        .iter()
        .find(|k| k.0 == Kind::FiltersOnly)
        .map_or(0.0, |k| k.2);
    (0..count)
        .map(|_| {
            let vocab = &vocabs[rng.weighted(&lang_shares)];
            let kind = KINDS[rng.weighted(&kind_shares)].0;
            let q = text(kind, vocab, &mut rng);
            let filtered =
                kind == Kind::FiltersOnly || rng.chance((FILTERED - filters_only) / (1.0 - filters_only));
            let filters = if filtered {
                filters(vocab, &mut rng)
            } else {
                Vec::new()
            };
            Query {
                kind,
                lang: vocab.lang,
                q,
                filters,
            }
        })
        .collect()
}

fn text(kind: Kind, vocab: &Vocab, rng: &mut Rng) -> String {
    let frequent: Vec<&str> = vocab.content_words().take(60).collect();
    let common: Vec<&str> = vocab.content_words().take(400).collect();
    match kind {
        Kind::Frequent => rng.pick(&frequent).to_string(),
        Kind::Rare => {
            if rng.chance(0.5) {
                rng.pick(vocab.rare_words()).clone()
            } else {
                let real: Vec<&str> = vocab.content_words().collect();
                let tail = &real[real.len() * 7 / 10..];
                rng.pick(tail).to_string()
            }
        }
        Kind::And => {
            let mut words = vec![*rng.pick(&frequent)];
            for _ in 0..rng.range(1, 2) {
                words.push(*rng.pick(&common));
            }
            words.join(" ")
        }
        Kind::Phrase => {
            let phrases: Vec<&str> = vocab.phrases().collect();
            format!("\"{}\"", rng.pick(&phrases))
        }
        Kind::Typo => {
            let long: Vec<&str> = common
                .iter()
                .copied()
                .filter(|w| w.chars().count() >= 6)
                .collect();
            let word = *rng.pick(&long);
            typo(word, rng)
        }
        Kind::FiltersOnly => String::new(),
    }
}

/// One edit away: a letter replaced, dropped or two swapped, never the
/// first (people rarely mistype it).
fn typo(word: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = word.to_lowercase().chars().collect();
    let at = rng.range(1, chars.len() - 2);
    match rng.range(0, 2) {
        0 => chars[at] = *rng.pick(&['a', 'e', 'i', 'o', 'n', 'r', 's', 't']),
        1 => {
            chars.remove(at);
        }
        _ => chars.swap(at, at + 1),
    }
    chars.into_iter().collect()
}

fn filters(vocab: &Vocab, rng: &mut Rng) -> Vec<(&'static str, String)> {
    let theme_weights: Vec<f64> = THEMES.iter().map(|t| t.1).collect();
    let mut filters = Vec::new();
    let count = rng.range(1, 2);
    for name in rng.distinct(3, count) {
        filters.push(match name {
            0 => ("theme", THEMES[rng.weighted(&theme_weights)].0.to_owned()),
            1 => (
                "year",
                rng.range(FIRST_YEAR as usize, LAST_YEAR as usize).to_string(),
            ),
            _ => ("language", vocab.lang.to_owned()),
        });
    }
    filters
}
