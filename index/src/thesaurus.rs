//! A multilingual thesaurus of migration and asylum terms, used to expand a
//! query in one language into the equivalent terms of the others.
//!
//! Each [`Concept`] is one notion (modelled on the structure of the EMN
//! Asylum and Migration Glossary): an ascii kebab-case id, one or more EMN
//! main themes, and per language (`en`, `fr`, `nl`, optionally `de`) a list
//! of terms whose first entry is the preferred term and the rest genuine
//! synonyms, inflected forms and abbreviations.
//!
//! The built-in thesaurus lives in `index/data/thesaurus.toml` (its format
//! is documented at the top of that file) and is embedded in the binary;
//! [`Thesaurus::builtin`] parses it once. Lookups compare [`normalise`]d
//! phrases, so `Crise de l'accueil`, `crise de l’accueil` and
//! `CRISE DE L ACCUEIL` all find the same concept.
//!
//! ```
//! use index::thesaurus::Thesaurus;
//!
//! let thesaurus = Thesaurus::builtin();
//! let concepts = thesaurus.lookup("FAMI");
//! assert_eq!(concepts[0].id, "asylum-migration-and-integration-fund");
//! let terms = thesaurus.other_language_terms(concepts[0], Some("fr"));
//! assert!(terms.contains(&("nl".to_string(), "Asiel-, Migratie- en Integratiefonds".to_string())));
//! ```

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// The EMN main themes a concept can be filed under, spelled as on
/// emnbelgium.be (the last two only appear on older pages).
pub const THEMES: &[&str] = &[
    "Ad Hoc Queries",
    "Asylum",
    "Borders & Visa",
    "Citizenship & Nationality",
    "Cross-sectional",
    "Data & Statistics",
    "Economic migration",
    "Family reunification",
    "Integration",
    "International Protection",
    "Migration",
    "Return & Readmission",
    "Smuggling & Trafficking",
    "Vulnerable groups",
    "Irregular Migration",
    "Study & Training",
];

/// The languages a concept may have terms in, in output order.
pub const LANGUAGES: &[&str] = &["en", "fr", "nl", "de"];

/// The languages every concept must have terms in.
pub const REQUIRED_LANGUAGES: &[&str] = &["en", "fr", "nl"];

/// The thesaurus file embedded in the binary.
const BUILTIN: &str = include_str!("../data/thesaurus.toml");

/// One notion, with its terms in each language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concept {
    /// Unique ascii kebab-case identifier, e.g. `statelessness`.
    pub id: String,
    /// EMN main themes (see [`THEMES`]), at least one.
    pub themes: Vec<String>,
    /// Terms per language code; the first term of each list is preferred.
    #[serde(flatten)]
    pub terms: BTreeMap<String, Vec<String>>,
}

impl Concept {
    /// The preferred term in `lang`, if the concept has terms in it.
    pub fn preferred(&self, lang: &str) -> Option<&str> {
        self.terms.get(lang)?.first().map(String::as_str)
    }

    /// The languages of the concept in [`LANGUAGES`] order.
    fn languages(&self) -> impl Iterator<Item = (&'static str, &Vec<String>)> + '_ {
        LANGUAGES
            .iter()
            .filter_map(|lang| Some((*lang, self.terms.get(*lang)?)))
    }
}

/// A mistake in a thesaurus file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ThesaurusError {
    /// The text is not valid TOML or does not have the expected shape.
    #[error("invalid thesaurus: {message}")]
    Syntax {
        /// The TOML parser's message, with the location.
        message: String,
    },
    /// An id is not ascii kebab-case.
    #[error("concept {id:?}: id must be ascii kebab-case")]
    InvalidId {
        /// The offending id.
        id: String,
    },
    /// Two concepts share an id.
    #[error("concept {id:?}: duplicate id")]
    DuplicateId {
        /// The repeated id.
        id: String,
    },
    /// A concept has no theme.
    #[error("concept {id:?}: no theme")]
    NoTheme {
        /// The concept's id.
        id: String,
    },
    /// A theme is not one of [`THEMES`].
    #[error("concept {id:?}: unknown theme {theme:?}")]
    UnknownTheme {
        /// The concept's id.
        id: String,
        /// The unknown theme.
        theme: String,
    },
    /// A language key is not one of [`LANGUAGES`].
    #[error("concept {id:?}: unknown language {lang:?}")]
    UnknownLanguage {
        /// The concept's id.
        id: String,
        /// The unknown language key.
        lang: String,
    },
    /// One of [`REQUIRED_LANGUAGES`] is absent or has no terms.
    #[error("concept {id:?}: no {lang:?} terms")]
    MissingLanguage {
        /// The concept's id.
        id: String,
        /// The missing language.
        lang: String,
    },
    /// A term is empty once normalised.
    #[error("concept {id:?}: empty {lang:?} term")]
    EmptyTerm {
        /// The concept's id.
        id: String,
        /// The language of the empty term.
        lang: String,
    },
}

/// The shape of a thesaurus file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    concept: Vec<Concept>,
}

/// A validated set of concepts with a normalised-term index.
#[derive(Debug, Clone, Default)]
pub struct Thesaurus {
    concepts: Vec<Concept>,
    by_id: HashMap<String, usize>,
    /// Normalised term → indices of the concepts having it, in file order.
    by_term: HashMap<String, Vec<usize>>,
    /// The normalised terms of one word, in file order (repeats kept), for
    /// matching a misspelt word against them without normalising again.
    one_words: Vec<String>,
}

impl Thesaurus {
    /// The thesaurus embedded from `index/data/thesaurus.toml`, parsed once.
    ///
    /// The tests guarantee the embedded file is valid; should it not be, this
    /// logs the error and returns an empty thesaurus rather than panicking.
    pub fn builtin() -> &'static Thesaurus {
        static BUILTIN_THESAURUS: LazyLock<Thesaurus> = LazyLock::new(|| match Thesaurus::parse(BUILTIN) {
            Ok(thesaurus) => thesaurus,
            Err(error) => {
                tracing::error!(%error, "embedded thesaurus is invalid, using an empty one");
                Thesaurus::default()
            }
        });
        &BUILTIN_THESAURUS
    }

    /// Parses and validates a thesaurus file (see `index/data/thesaurus.toml`
    /// for the format).
    pub fn parse(text: &str) -> Result<Thesaurus, ThesaurusError> {
        let file: File = toml::from_str(text).map_err(|error| ThesaurusError::Syntax {
            message: error.to_string().trim_end().to_string(),
        })?;
        let mut thesaurus = Thesaurus::default();
        for concept in file.concept {
            validate(&concept)?;
            let index = thesaurus.concepts.len();
            if thesaurus.by_id.insert(concept.id.clone(), index).is_some() {
                return Err(ThesaurusError::DuplicateId { id: concept.id });
            }
            for term in concept.terms.values().flatten() {
                let normal = normalise(term);
                if !normal.contains(' ') {
                    thesaurus.one_words.push(normal.clone());
                }
                let entry = thesaurus.by_term.entry(normal).or_default();
                if entry.last() != Some(&index) {
                    entry.push(index);
                }
            }
            thesaurus.concepts.push(concept);
        }
        Ok(thesaurus)
    }

    /// The terms of one word, normalised, in file order.
    pub fn one_word_terms(&self) -> &[String] {
        &self.one_words
    }

    /// All concepts, in file order.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// The concept with this id.
    pub fn get(&self, id: &str) -> Option<&Concept> {
        self.by_id.get(id).map(|&index| &self.concepts[index])
    }

    /// Concepts one of whose terms, in any language, equals `phrase` once both
    /// are normalised (lowercase, accents folded, punctuation and hyphens to
    /// spaces, whitespace collapsed).
    pub fn lookup(&self, phrase: &str) -> Vec<&Concept> {
        self.by_term
            .get(&normalise(phrase))
            .map(|indices| indices.iter().map(|&index| &self.concepts[index]).collect())
            .unwrap_or_default()
    }

    /// The languages in which `phrase` is a term of some concept, in
    /// [`LANGUAGES`] order.
    pub fn term_languages(&self, phrase: &str) -> Vec<&'static str> {
        let wanted = normalise(phrase);
        let mut languages = Vec::new();
        for concept in self.lookup(phrase) {
            for (lang, terms) in concept.languages() {
                if terms.iter().any(|term| normalise(term) == wanted) && !languages.contains(&lang) {
                    languages.push(lang);
                }
            }
        }
        languages.sort_by_key(|lang| LANGUAGES.iter().position(|l| l == lang));
        languages
    }

    /// All the terms of a concept in other languages than `lang` (or in all
    /// languages if `None`), as `(language, term)` pairs: first the preferred
    /// term of each language, then the variants, languages in [`LANGUAGES`]
    /// order.
    pub fn other_language_terms(&self, concept: &Concept, lang: Option<&str>) -> Vec<(String, String)> {
        let languages: Vec<_> = concept
            .languages()
            .filter(|(code, _)| Some(*code) != lang)
            .collect();
        let preferred = languages
            .iter()
            .filter_map(|(code, terms)| Some((*code, terms.first()?)));
        let variants = languages
            .iter()
            .flat_map(|(code, terms)| terms.iter().skip(1).map(move |term| (*code, term)));
        preferred
            .chain(variants)
            .map(|(code, term)| (code.to_string(), term.clone()))
            .collect()
    }
}

/// Checks one concept on its own (uniqueness is checked by the caller).
fn validate(concept: &Concept) -> Result<(), ThesaurusError> {
    let id = || concept.id.clone();
    let kebab = concept
        .id
        .split('-')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if !kebab {
        return Err(ThesaurusError::InvalidId { id: id() });
    }
    if concept.themes.is_empty() {
        return Err(ThesaurusError::NoTheme { id: id() });
    }
    if let Some(theme) = concept
        .themes
        .iter()
        .find(|theme| !THEMES.contains(&theme.as_str()))
    {
        return Err(ThesaurusError::UnknownTheme {
            id: id(),
            theme: theme.clone(),
        });
    }
    if let Some(lang) = concept
        .terms
        .keys()
        .find(|lang| !LANGUAGES.contains(&lang.as_str()))
    {
        return Err(ThesaurusError::UnknownLanguage {
            id: id(),
            lang: lang.clone(),
        });
    }
    for lang in REQUIRED_LANGUAGES {
        if concept.terms.get(*lang).is_none_or(Vec::is_empty) {
            return Err(ThesaurusError::MissingLanguage {
                id: id(),
                lang: lang.to_string(),
            });
        }
    }
    for (lang, terms) in &concept.terms {
        if terms.iter().any(|term| normalise(term).is_empty()) {
            return Err(ThesaurusError::EmptyTerm {
                id: id(),
                lang: lang.clone(),
            });
        }
    }
    Ok(())
}

/// Normalises a term or phrase for comparison: lowercase, accents and
/// ligatures folded to ascii (`é` → `e`, `œ` → `oe`, `ß` → `ss`), every
/// character that is not a letter or digit (punctuation, hyphens,
/// apostrophes) turned into a space, whitespace collapsed and trimmed.
///
/// ```
/// use index::thesaurus::normalise;
///
/// assert_eq!(normalise("Crise de l’Accueil"), "crise de l accueil");
/// assert_eq!(normalise("Asiel-, Migratie- en Integratiefonds"), "asiel migratie en integratiefonds");
/// assert_eq!(normalise("  Main-d'œuvre "), "main d oeuvre");
/// ```
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = fold(c);
        if folded.chars().all(char::is_alphanumeric) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(&folded);
        } else {
            pending_space = true;
        }
    }
    out
}

/// Folds one lowercase character of the Latin alphabets used in the
/// thesaurus languages to ascii; other characters are kept as they are, and
/// combining marks become empty.
fn fold(c: char) -> std::borrow::Cow<'static, str> {
    let ascii = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ř' => "r",
        'ß' => "ss",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ť' | 'ţ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        '\u{0300}'..='\u{036f}' => "",
        _ => return std::borrow::Cow::Owned(c.to_string()),
    };
    std::borrow::Cow::Borrowed(ascii)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn builtin() -> Thesaurus {
        Thesaurus::parse(BUILTIN).unwrap_or_else(|error| panic!("{error}"))
    }

    fn ids(concepts: &[&Concept]) -> Vec<String> {
        concepts.iter().map(|concept| concept.id.clone()).collect()
    }

    /// Asserts that every phrase finds exactly one concept, the same for all.
    fn assert_same_concept(phrases: &[&str]) {
        let thesaurus = builtin();
        let first = ids(&thesaurus.lookup(phrases[0]));
        assert_eq!(first.len(), 1, "{:?} → {first:?}", phrases[0]);
        for phrase in &phrases[1..] {
            assert_eq!(ids(&thesaurus.lookup(phrase)), first, "{phrase:?}");
        }
    }

    #[test]
    fn embedded_file_parses_with_at_least_200_concepts() {
        let thesaurus = builtin();
        assert!(
            thesaurus.concepts().len() >= 200,
            "{}",
            thesaurus.concepts().len()
        );
        assert_eq!(Thesaurus::builtin().concepts().len(), thesaurus.concepts().len());
    }

    #[test]
    fn every_concept_has_en_fr_nl_terms_and_a_canonical_theme() {
        for concept in builtin().concepts() {
            for lang in REQUIRED_LANGUAGES {
                assert!(
                    concept.terms.get(*lang).is_some_and(|terms| !terms.is_empty()),
                    "{} lacks {lang}",
                    concept.id
                );
            }
            assert!(!concept.themes.is_empty(), "{}", concept.id);
            for theme in &concept.themes {
                assert!(THEMES.contains(&theme.as_str()), "{}: {theme}", concept.id);
            }
        }
    }

    #[test]
    fn ids_are_unique() {
        let thesaurus = builtin();
        let ids: HashSet<_> = thesaurus.concepts().iter().map(|c| &c.id).collect();
        assert_eq!(ids.len(), thesaurus.concepts().len());
    }

    #[test]
    fn every_theme_but_ad_hoc_queries_has_three_concepts() {
        let thesaurus = builtin();
        for theme in THEMES.iter().filter(|theme| **theme != "Ad Hoc Queries") {
            let count = thesaurus
                .concepts()
                .iter()
                .filter(|concept| concept.themes.iter().any(|t| t == theme))
                .count();
            assert!(count >= 3, "{theme}: {count}");
        }
    }

    #[test]
    fn no_term_is_repeated_within_a_language_of_a_concept() {
        for concept in builtin().concepts() {
            for (lang, terms) in &concept.terms {
                let mut seen = HashSet::new();
                for term in terms {
                    assert!(
                        seen.insert(normalise(term)),
                        "{} {lang}: {term:?} repeated",
                        concept.id
                    );
                }
            }
        }
    }

    #[test]
    fn no_term_belongs_to_two_concepts() {
        let thesaurus = builtin();
        let shared: Vec<_> = thesaurus
            .by_term
            .iter()
            .filter(|(_, indices)| indices.len() > 1)
            .map(|(term, indices)| {
                let ids: Vec<_> = indices.iter().map(|&i| &thesaurus.concepts[i].id).collect();
                format!("{term:?} in {ids:?}")
            })
            .collect();
        assert!(shared.is_empty(), "{shared:#?}");
    }

    #[test]
    fn no_term_is_a_common_word_of_another_language() {
        // Lookup ignores the language: an acronym that is an everyday word
        // elsewhere (Dutch "LOI" is French "loi") would expand unrelated queries.
        let common = [
            "loi",
            "les",
            "des",
            "het",
            "een",
            "the",
            "and",
            "et",
            "en",
            "of",
            "van",
            "pour",
            "voor",
            "ict",
            "it",
            "eu",
            "ue",
            "uitstroom",
            "bewaring",
        ];
        let thesaurus = builtin();
        for word in common {
            assert!(thesaurus.lookup(word).is_empty(), "{word:?} is a term");
        }
    }

    #[test]
    fn statelessness_is_found_in_three_languages() {
        assert_same_concept(&["statelessness", "apatrides", "staatlozen", "Staatenlosigkeit"]);
        assert_eq!(builtin().lookup("apatrides")[0].id, "statelessness");
    }

    #[test]
    fn amif_names_and_acronyms_are_one_concept() {
        assert_same_concept(&[
            "AMIF",
            "FAMI",
            "Fonds Asile, Migration et Intégration",
            "Asiel-, Migratie- en Integratiefonds",
            "Asylum, Migration and Integration Fund",
            "fonds asile migration et integration",
        ]);
    }

    #[test]
    fn reception_crisis_is_one_concept() {
        assert_same_concept(&[
            "opvangcrisis",
            "crise de l'accueil",
            "crise de l’accueil",
            "reception crisis",
        ]);
    }

    #[test]
    fn voluntary_return_is_one_concept() {
        assert_same_concept(&["voluntary return", "retour volontaire", "vrijwillige terugkeer"]);
    }

    #[test]
    fn belgian_abbreviations_are_found() {
        assert_same_concept(&["MENA", "NBMV", "UAM", "mineurs étrangers non accompagnés"]);
        assert_same_concept(&[
            "DPI",
            "demandeur de protection internationale",
            "verzoeker om internationale bescherming",
        ]);
        assert_same_concept(&["opvang", "accueil", "reception"]);
    }

    #[test]
    fn lookup_of_an_unknown_phrase_is_empty() {
        assert!(builtin().lookup("croissant au beurre").is_empty());
        assert!(builtin().lookup("").is_empty());
        assert!(builtin().lookup(" - ").is_empty());
    }

    #[test]
    fn get_finds_concepts_by_id() {
        let thesaurus = builtin();
        assert_eq!(
            thesaurus.get("statelessness").map(|c| c.id.as_str()),
            Some("statelessness")
        );
        assert!(thesaurus.get("no-such-concept").is_none());
    }

    #[test]
    fn other_language_terms_put_preferred_terms_first_and_skip_the_language() {
        let thesaurus = builtin();
        let concept = thesaurus.get("statelessness").expect("statelessness");
        let terms = thesaurus.other_language_terms(concept, Some("en"));
        assert_eq!(terms[0], ("fr".to_string(), "apatridie".to_string()));
        assert_eq!(terms[1], ("nl".to_string(), "staatloosheid".to_string()));
        assert!(terms.iter().all(|(lang, _)| lang != "en"));
        assert!(terms.contains(&("nl".to_string(), "staatlozen".to_string())));

        let all = thesaurus.other_language_terms(concept, None);
        assert_eq!(all[0], ("en".to_string(), "statelessness".to_string()));
        let count: usize = concept.terms.values().map(Vec::len).sum();
        assert_eq!(all.len(), count);
    }

    #[test]
    fn normalise_folds_case_accents_and_punctuation() {
        assert_eq!(normalise("Réfugiés"), "refugies");
        assert_eq!(normalise("RÉFUGIÉS"), "refugies");
        assert_eq!(normalise("re\u{301}fugie\u{301}s"), "refugies");
        assert_eq!(
            normalise("niet-begeleide  minderjarige\tvreemdeling"),
            "niet begeleide minderjarige vreemdeling"
        );
        assert_eq!(normalise("ESF+"), "esf");
        assert_eq!(normalise("Staatenlosigkeit, Straße"), "staatenlosigkeit strasse");
        assert_eq!(normalise("reïntegratie"), "reintegratie");
        assert_eq!(normalise("«  »"), "");
    }

    const VALID: &str = r#"
[[concept]]
id = "statelessness"
themes = ["Vulnerable groups"]
en = ["statelessness"]
fr = ["apatridie"]
nl = ["staatloosheid"]
"#;

    fn parse_error(text: &str) -> ThesaurusError {
        Thesaurus::parse(text).expect_err("should not parse")
    }

    #[test]
    fn a_minimal_file_parses() {
        let thesaurus = Thesaurus::parse(VALID).expect("valid");
        assert_eq!(thesaurus.concepts().len(), 1);
        assert_eq!(thesaurus.concepts()[0].preferred("fr"), Some("apatridie"));
        assert!(
            Thesaurus::parse("")
                .expect("empty is valid")
                .concepts()
                .is_empty()
        );
    }

    #[test]
    fn unknown_theme_is_rejected_naming_the_concept() {
        let error = parse_error(&VALID.replace("Vulnerable groups", "Vulnerable Groups"));
        assert_eq!(
            error,
            ThesaurusError::UnknownTheme {
                id: "statelessness".into(),
                theme: "Vulnerable Groups".into()
            }
        );
        assert!(error.to_string().contains("statelessness"), "{error}");
    }

    #[test]
    fn missing_dutch_is_rejected_naming_the_concept() {
        let error = parse_error(&VALID.replace("nl = [\"staatloosheid\"]\n", ""));
        assert_eq!(
            error,
            ThesaurusError::MissingLanguage {
                id: "statelessness".into(),
                lang: "nl".into()
            }
        );
        assert!(error.to_string().contains("statelessness"), "{error}");
        let error = parse_error(&VALID.replace("[\"staatloosheid\"]", "[]"));
        assert!(matches!(error, ThesaurusError::MissingLanguage { .. }), "{error}");
    }

    #[test]
    fn duplicate_id_is_rejected_naming_the_concept() {
        let error = parse_error(&format!("{VALID}{VALID}"));
        assert_eq!(
            error,
            ThesaurusError::DuplicateId {
                id: "statelessness".into()
            }
        );
        assert!(error.to_string().contains("statelessness"), "{error}");
    }

    #[test]
    fn other_mistakes_are_rejected() {
        assert!(matches!(
            parse_error(&VALID.replace("themes = [\"Vulnerable groups\"]", "themes = []")),
            ThesaurusError::NoTheme { .. }
        ));
        assert!(matches!(
            parse_error(&VALID.replace("[\"apatridie\"]", "[\"apatridie\", \" - \"]")),
            ThesaurusError::EmptyTerm { .. }
        ));
        assert!(matches!(
            parse_error(&VALID.replace("fr = ", "fn = ")),
            ThesaurusError::UnknownLanguage { .. }
        ));
        assert!(matches!(
            parse_error(&VALID.replace("\"statelessness\"\nthemes", "\"Stateless ness\"\nthemes")),
            ThesaurusError::InvalidId { .. }
        ));
        assert!(matches!(
            parse_error("[[concept]\n"),
            ThesaurusError::Syntax { .. }
        ));
        assert!(matches!(
            parse_error("other = 1\n"),
            ThesaurusError::Syntax { .. }
        ));
    }

    #[test]
    fn lookup_returns_every_concept_sharing_a_term() {
        let text = format!(
            "{VALID}{}",
            VALID.replace("id = \"statelessness\"", "id = \"other\"")
        );
        let thesaurus = Thesaurus::parse(&text).expect("valid");
        assert_eq!(ids(&thesaurus.lookup("Apatridie")), ["statelessness", "other"]);
    }
}
