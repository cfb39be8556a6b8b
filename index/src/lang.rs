//! The languages that get their own analysis and fields, and what the
//! analysis needs to know of each: code, stemmer, stop words, compounds.

use rust_stemmers::Algorithm;

/// The languages that get their own analyzer and fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// French.
    Fr,
    /// Dutch.
    Nl,
    /// English.
    En,
    /// German.
    De,
}

impl Lang {
    /// All analysed languages, in field order.
    pub const ALL: [Lang; 4] = [Lang::Fr, Lang::Nl, Lang::En, Lang::De];

    /// Parses a language code leniently: case and region are ignored, so
    /// `FR`, `fr-BE` and `nl_be` are understood.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    /// Two-letter code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::Nl => "nl",
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    /// Position in [`Lang::ALL`], used to index per-language field arrays.
    pub(crate) fn index(self) -> usize {
        match self {
            Lang::Fr => 0,
            Lang::Nl => 1,
            Lang::En => 2,
            Lang::De => 3,
        }
    }

    /// Whether compounds are split at index time.
    pub fn has_compounds(self) -> bool {
        matches!(self, Lang::Nl | Lang::De)
    }

    /// The Snowball stemmer of this language.
    pub(crate) fn algorithm(self) -> Algorithm {
        match self {
            Lang::Fr => Algorithm::French,
            Lang::Nl => Algorithm::Dutch,
            Lang::En => Algorithm::English,
            Lang::De => Algorithm::German,
        }
    }

    /// Stop words, lowercase and unfolded (they are matched before folding).
    ///
    /// Kept short on purpose: a word listed here is dropped from the required
    /// part of every query (see `query.rs`), so only true function words
    /// belong, never words another language uses for meaning (`war`, `will`).
    pub(crate) fn stop_words(self) -> &'static [&'static str] {
        match self {
            // Elisions (`l'`, `d'`, `qu'`, `jusqu'`...) come out of the
            // tokenizer as bare letters and must vanish too.
            Lang::Fr => &[
                "a", "à", "au", "aux", "avec", "c", "ce", "ces", "cet", "cette", "d", "dans", "de", "des",
                "du", "elle", "elles", "en", "est", "et", "eux", "il", "ils", "j", "je", "jusqu", "l", "la",
                "le", "les", "leur", "leurs", "lorsqu", "lui", "m", "ma", "mais", "me", "mes", "moi", "mon",
                "n", "ne", "nos", "notre", "nous", "on", "ont", "ou", "où", "par", "pas", "pour", "puisqu",
                "qu", "que", "qui", "quoiqu", "s", "sa", "se", "ses", "son", "sont", "sur", "t", "ta", "te",
                "tes", "toi", "ton", "tu", "un", "une", "vos", "votre", "vous", "y", "été", "être",
            ],
            // `'s` and `'t` (des, het) leave bare letters as well.
            Lang::Nl => &[
                "aan", "al", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "door", "een", "en",
                "er", "het", "hij", "hun", "ik", "in", "is", "je", "maar", "met", "naar", "niet", "of", "om",
                "ook", "op", "over", "s", "t", "te", "tot", "u", "uit", "van", "voor", "was", "wat", "we",
                "werd", "wij", "wordt", "worden", "ze", "zich", "zij", "zijn", "zo",
            ],
            // `Belgium's`, `don't`: the tokenizer leaves `s` and `t`.
            Lang::En => &[
                "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have",
                "if", "in", "into", "is", "it", "its", "of", "on", "or", "s", "such", "t", "that", "the",
                "their", "then", "there", "these", "they", "this", "to", "was", "were", "which", "with",
            ],
            Lang::De => &[
                "am", "an", "auch", "auf", "aus", "bei", "das", "dass", "dem", "den", "der", "des", "die",
                "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "für", "ich", "im",
                "in", "ist", "mit", "nach", "nicht", "oder", "sich", "sie", "sind", "über", "und", "vom",
                "von", "wir", "zu", "zum", "zur",
            ],
        }
    }
}
