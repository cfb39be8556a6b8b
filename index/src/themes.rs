//! EMN main themes inferred from a document's text, for documents that show
//! none (AMIF pages, press releases, programmes), and how well inference
//! agrees with the themes a source gives.
//!
//! The text is cut into words, and the longest run of one to four words
//! starting at each position that is a [`Thesaurus`] term names a concept.
//! A concept counts once per document, plus the logarithm of its repeats,
//! plus a bonus when the title names it; its weight goes in full to its first
//! theme and in part to the others. The umbrella concepts `migration` and
//! `asylum` weigh half, and together count for `Cross-sectional` (EMN's
//! theme for the field as a whole). A document naming fewer than two
//! distinct concepts gets no theme; otherwise a theme is kept when it has a
//! fair share of the total, and either two distinct concepts or most of the
//! total; at most [`MAX_THEMES`], strongest first.
//!
//! Acronym terms (`AI`, `LOI`, `VET`) only count when written in capitals,
//! so the French `j'ai` or the Dutch `vet` do not name a concept.
//!
//! ```
//! let themes = index::themes::infer_themes(
//!     "Retour volontaire",
//!     "Le programme de retour volontaire et de réintégration aide les migrants \
//!      à rentrer dans leur pays d'origine.",
//! );
//! assert_eq!(themes[0], "Return & Readmission");
//! ```

use std::collections::HashMap;

use serde::Serialize;

use crate::thesaurus::{Concept, THEMES, Thesaurus, normalise};

/// Most themes inferred for one document.
pub const MAX_THEMES: usize = 3;

/// Longest term, in words, looked up.
const MAX_NGRAM: usize = 4;

/// Extra weight of a concept the title names.
const TITLE_BONUS: f64 = 1.0;

/// Share of a concept's weight given to each of its themes after the first.
const SECONDARY_THEME_SHARE: f64 = 0.5;

/// Least share of the total a theme needs.
const MIN_SHARE: f64 = 0.2;

/// Share of the total that makes one concept enough for a theme.
const CLEAR_SHARE: f64 = 0.5;

/// Least distinct concepts a document must name to get any theme: one term,
/// however repeated, is too little to classify a text.
const MIN_CONCEPTS: usize = 2;

/// Least score a theme needs (one concept mentioned once has 1).
const MIN_SCORE: f64 = 1.0;

/// Concepts that name the whole field EMN covers and appear on nearly every
/// page; they weigh [`UMBRELLA_WEIGHT`] of a concept, and a text naming all
/// of them is about the field as a whole: one concept of [`UMBRELLA_THEME`].
const UMBRELLA_CONCEPTS: [&str; 2] = ["migration", "asylum"];

/// Weight of an umbrella concept relative to any other.
const UMBRELLA_WEIGHT: f64 = 0.5;

/// EMN's theme for items on migration and asylum in general.
const UMBRELLA_THEME: &str = "Cross-sectional";

/// The canonical EMN themes the text of a document is about, strongest
/// first, using the built-in thesaurus; empty when the text names too little.
pub fn infer_themes(title: &str, text: &str) -> Vec<String> {
    infer_themes_with(Thesaurus::builtin(), title, text)
}

/// [`infer_themes`] with a given thesaurus.
pub fn infer_themes_with(thesaurus: &Thesaurus, title: &str, text: &str) -> Vec<String> {
    let mut concepts: HashMap<&str, ConceptHits<'_>> = HashMap::new();
    for (concept, in_title) in concept_matches(thesaurus, title)
        .into_iter()
        .map(|c| (c, true))
        .chain(concept_matches(thesaurus, text).into_iter().map(|c| (c, false)))
    {
        let hits = concepts.entry(concept.id.as_str()).or_insert(ConceptHits {
            concept,
            count: 0,
            in_title: false,
        });
        hits.count += 1;
        hits.in_title |= in_title;
    }

    let mut scores: HashMap<&str, ThemeScore> = HashMap::new();
    for hits in concepts.values() {
        let mut weight = hits.weight();
        if UMBRELLA_CONCEPTS.contains(&hits.concept.id.as_str()) {
            weight *= UMBRELLA_WEIGHT;
        }
        for (rank, theme) in hits.concept.themes.iter().enumerate() {
            let share = if rank == 0 { 1.0 } else { SECONDARY_THEME_SHARE };
            let score = scores.entry(theme.as_str()).or_default();
            score.score += weight * share;
            score.concepts += 1;
        }
    }
    let umbrella: Vec<&ConceptHits<'_>> = UMBRELLA_CONCEPTS
        .iter()
        .filter_map(|id| concepts.get(id))
        .collect();
    if umbrella.len() == UMBRELLA_CONCEPTS.len() {
        let in_title = umbrella.iter().all(|hits| hits.in_title);
        let score = scores.entry(UMBRELLA_THEME).or_default();
        score.score += 1.0 + if in_title { TITLE_BONUS } else { 0.0 };
        score.concepts += 1;
    }
    let total: f64 = scores.values().map(|s| s.score).sum();
    if concepts.len() < MIN_CONCEPTS || total <= 0.0 {
        return Vec::new();
    }

    let mut ranked: Vec<(&str, ThemeScore)> = scores.into_iter().collect();
    ranked.sort_by(|(a, sa), (b, sb)| {
        sb.score
            .total_cmp(&sa.score)
            .then_with(|| theme_rank(a).cmp(&theme_rank(b)))
    });
    ranked
        .into_iter()
        .filter(|(_, s)| {
            let share = s.score / total;
            s.score >= MIN_SCORE && share >= MIN_SHARE && (s.concepts >= 2 || share >= CLEAR_SHARE)
        })
        .take(MAX_THEMES)
        .map(|(theme, _)| theme.to_string())
        .collect()
}

/// How one concept occurs in a document.
struct ConceptHits<'a> {
    concept: &'a Concept,
    count: usize,
    in_title: bool,
}

impl ConceptHits<'_> {
    /// Once per document, plus the log of repeats, plus the title bonus.
    fn weight(&self) -> f64 {
        let repeats = (self.count.max(1) as f64).ln();
        let title = if self.in_title { TITLE_BONUS } else { 0.0 };
        1.0 + repeats + title
    }
}

/// The evidence for one theme.
#[derive(Debug, Clone, Copy, Default)]
struct ThemeScore {
    score: f64,
    /// Distinct concepts filed under the theme.
    concepts: usize,
}

/// Position of a theme in [`THEMES`], to break ties the same way every time.
fn theme_rank(theme: &str) -> usize {
    THEMES.iter().position(|t| *t == theme).unwrap_or(THEMES.len())
}

/// One word of a text: its normalised form and whether it was written in
/// capitals (`AI`, `LOI`).
struct Word {
    norm: String,
    capitals: bool,
}

/// The words of a text, split where [`normalise`] would put a space
/// (combining accents stay inside their word).
fn words(text: &str) -> Vec<Word> {
    let is_word_char = |c: char| c.is_alphanumeric() || ('\u{0300}'..='\u{036f}').contains(&c);
    text.split(|c: char| !is_word_char(c))
        .filter(|raw| !raw.is_empty())
        .flat_map(|raw| {
            let capitals = raw.chars().any(char::is_uppercase) && !raw.chars().any(char::is_lowercase);
            normalise(raw)
                .split(' ')
                .filter(|part| !part.is_empty())
                .map(|part| Word {
                    norm: part.to_string(),
                    capitals,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The concepts named in a text, one entry per occurrence: at each word, the
/// longest run of up to [`MAX_NGRAM`] words that is a term wins, and the scan
/// goes on after it (so `asylum application` is not also `asylum`).
fn concept_matches<'t>(thesaurus: &'t Thesaurus, text: &str) -> Vec<&'t Concept> {
    let words = words(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut step = 1;
        for n in (1..=MAX_NGRAM.min(words.len() - i)).rev() {
            let run = &words[i..i + n];
            let phrase = run.iter().map(|w| w.norm.as_str()).collect::<Vec<_>>().join(" ");
            let capitals = run.iter().all(|w| w.capitals);
            let concepts: Vec<&Concept> = thesaurus
                .lookup(&phrase)
                .into_iter()
                .filter(|concept| capitals || !only_acronyms(concept, &phrase))
                .collect();
            if !concepts.is_empty() {
                found.extend(concepts);
                step = n;
                break;
            }
        }
        i += step;
    }
    found
}

/// Whether every term of `concept` that normalises to `phrase` is written
/// without lowercase letters (an acronym such as `AI` or `LOI`).
fn only_acronyms(concept: &Concept, phrase: &str) -> bool {
    concept
        .terms
        .values()
        .flatten()
        .filter(|term| normalise(term) == phrase)
        .all(|term| !term.chars().any(char::is_lowercase))
}

/// How inferred themes compare with the themes a source gives, over items
/// that have some (see [`theme_agreement`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Agreement {
    /// Items with at least one explicit theme.
    pub items: usize,
    /// Items whose inferred themes are exactly the explicit ones.
    pub exact: usize,
    /// Items sharing at least one theme between inferred and explicit.
    pub overlap: usize,
    /// Inferred themes that are explicit, over all inferred themes (0 when
    /// nothing was inferred).
    pub precision: f64,
    /// Explicit themes that were inferred, over all explicit themes (0 when
    /// there are none).
    pub recall: f64,
}

/// Infers the themes of each `(title, text, explicit themes)` item and
/// compares them with the explicit ones; items without explicit themes are
/// left out. Precision and recall are counted over all theme labels
/// (micro-averaged).
pub fn theme_agreement(docs: &[(String, String, Vec<String>)]) -> Agreement {
    let mut agreement = Agreement::default();
    let (mut inferred_total, mut explicit_total, mut shared_total) = (0usize, 0usize, 0usize);
    for (title, text, explicit) in docs {
        if explicit.is_empty() {
            continue;
        }
        let inferred = infer_themes(title, text);
        let shared = inferred.iter().filter(|theme| explicit.contains(theme)).count();
        agreement.items += 1;
        if shared > 0 {
            agreement.overlap += 1;
        }
        if shared == inferred.len() && explicit.iter().all(|theme| inferred.contains(theme)) {
            agreement.exact += 1;
        }
        inferred_total += inferred.len();
        explicit_total += explicit.len();
        shared_total += shared;
    }
    let ratio = |part: usize, whole: usize| {
        if whole == 0 {
            0.0
        } else {
            part as f64 / whole as f64
        }
    };
    agreement.precision = ratio(shared_total, inferred_total);
    agreement.recall = ratio(shared_total, explicit_total);
    agreement
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_or_unrelated_text_has_no_theme() {
        assert!(infer_themes("", "").is_empty());
        assert!(infer_themes("  ", " - ’ ").is_empty());
        assert!(infer_themes("Croissants", "Le boulanger vend des croissants au beurre.").is_empty());
    }

    #[test]
    fn voluntary_return_in_three_languages() {
        for (title, text) in [
            (
                "Retour volontaire",
                "Le programme de retour volontaire soutient la réintégration dans le pays d'origine.",
            ),
            (
                "Vrijwillige terugkeer",
                "Het programma voor vrijwillige terugkeer ondersteunt de re-integratie in het land van herkomst.",
            ),
            (
                "Voluntary return",
                "The voluntary return programme supports reintegration in the country of origin.",
            ),
        ] {
            let themes = infer_themes(title, text);
            assert_eq!(
                themes.first().map(String::as_str),
                Some("Return & Readmission"),
                "{title}: {themes:?}"
            );
        }
    }

    #[test]
    fn at_most_three_canonical_themes() {
        let text = "Asylum applications, voluntary return, family reunification, labour migration, \
                    statelessness, naturalisation, trafficking in human beings, visa, integration \
                    courses, unaccompanied minors, reception centres, Schengen borders.";
        let themes = infer_themes("Everything at once", text);
        assert!(themes.len() <= MAX_THEMES, "{themes:?}");
        for theme in &themes {
            assert!(THEMES.contains(&theme.as_str()), "{theme}");
        }
    }

    #[test]
    fn acronyms_count_only_in_capitals() {
        let thesaurus = Thesaurus::builtin();
        let ids = |text: &str| -> Vec<String> {
            concept_matches(thesaurus, text)
                .iter()
                .map(|concept| concept.id.clone())
                .collect()
        };
        assert!(
            ids("j'ai vu la loi, het vet").is_empty(),
            "{:?}",
            ids("j'ai vu la loi")
        );
        assert!(ids("AI in asylum procedures").contains(&"artificial-intelligence".to_string()));
        assert!(
            ids("le FAMI et l'AMIF")
                .iter()
                .all(|id| id == "asylum-migration-and-integration-fund")
        );
        assert_eq!(ids("le FAMI et l'AMIF").len(), 2);
    }

    #[test]
    fn longest_term_wins_over_its_words() {
        let found: Vec<String> = concept_matches(Thesaurus::builtin(), "new asylum applications in 2020")
            .iter()
            .map(|concept| concept.id.clone())
            .collect();
        assert_eq!(found, ["application-for-international-protection"]);
    }

    #[test]
    fn title_counts_more_than_text() {
        let text = "Voluntary return and family reunification.";
        let return_first = infer_themes("Voluntary return", text);
        let family_first = infer_themes("Family reunification", text);
        assert_eq!(
            return_first.first().map(String::as_str),
            Some("Return & Readmission")
        );
        assert_eq!(
            family_first.first().map(String::as_str),
            Some("Family reunification")
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for text in [
            "\u{301}\u{301}",
            "ǅ ﬁ İ ß",
            "🙂 asile 🙂",
            &"asile ".repeat(10_000),
            "a\u{0}b",
        ] {
            let _ = infer_themes(text, text);
        }
    }

    #[test]
    fn agreement_counts_items_labels_and_skips_unlabelled() {
        let item = |title: &str, text: &str, themes: &[&str]| {
            (
                title.to_string(),
                text.to_string(),
                themes.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            )
        };
        let docs = vec![
            item(
                "Voluntary return",
                "Voluntary return and reintegration of returnees.",
                &["Return & Readmission"],
            ),
            item("Nothing", "Nothing thematic here.", &["Asylum"]),
            item("Unlabelled", "Voluntary return.", &[]),
        ];
        let agreement = theme_agreement(&docs);
        assert_eq!(agreement.items, 2);
        assert_eq!(agreement.exact, 1);
        assert_eq!(agreement.overlap, 1);
        assert!((agreement.precision - 1.0).abs() < 1e-9, "{agreement:?}");
        assert!((agreement.recall - 0.5).abs() < 1e-9, "{agreement:?}");
        assert_eq!(theme_agreement(&[]), Agreement::default());
    }

    /// The labelled items of the mirror's EMN news listings: `(title, teaser,
    /// main themes)`, with the theme label exactly as the listing shows it.
    fn listing_items() -> Vec<(String, String, Vec<String>)> {
        const PAGES: [&str; 3] = [
            include_str!("../../mirror/site/emnbelgium.be/news__page=0.html"),
            include_str!("../../mirror/site/emnbelgium.be/news__page=1.html"),
            include_str!("../../mirror/site/emnbelgium.be/news__page=2.html"),
        ];
        PAGES
            .iter()
            .flat_map(|page| page.split(r#"<div class="views-row">"#).skip(1))
            .map(|row| {
                let title = between(row, "<h3", "</h3>").map(plain).unwrap_or_default();
                let text = between(row, "views-field-body", "</div></div>")
                    .map(plain)
                    .unwrap_or_default();
                let themes = between(row, "views-field-field-main-theme", "</div></div>")
                    .map(|field| {
                        field
                            .split("<a ")
                            .skip(1)
                            .map(plain)
                            .filter(|theme| !theme.is_empty())
                            .collect()
                    })
                    .unwrap_or_default();
                (title, text, themes)
            })
            .collect()
    }

    /// The text after the first `start` up to the next `end`.
    fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
        let from = text.find(start)? + start.len();
        let rest = &text[from..];
        Some(&rest[..rest.find(end).unwrap_or(rest.len())])
    }

    /// Markup to text: tags dropped (a leading tag remainder too), the
    /// entities of the listings decoded, whitespace collapsed.
    fn plain(html: &str) -> String {
        let html = html.find('>').map_or(html, |i| &html[i + 1..]);
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => {
                    in_tag = true;
                    out.push(' ');
                }
                '>' => in_tag = false,
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        let out = out
            .replace("&amp;", "&")
            .replace("&#039;", "'")
            .replace("&quot;", "\"")
            .replace("&nbsp;", " ");
        out.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn agreement_on_the_labelled_emn_news_items() {
        let items = listing_items();
        let labelled: Vec<_> = items.iter().filter(|(_, _, themes)| !themes.is_empty()).collect();
        assert!(labelled.len() >= 20, "{} labelled items", labelled.len());
        assert!(
            labelled
                .iter()
                .all(|(title, text, _)| !title.is_empty() && !text.is_empty())
        );
        for (title, text, explicit) in &labelled {
            println!("{explicit:?} → {:?}  | {title}", infer_themes(title, text));
        }
        let agreement = theme_agreement(&items);
        println!("{agreement:#?}");
        assert_eq!(agreement.items, labelled.len());
        // Inference is a fallback, not a classifier: it must be right more
        // often than not when it speaks, and find something for some items.
        assert!(agreement.overlap > 0, "{agreement:?}");
    }
}
