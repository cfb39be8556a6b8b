//! Language detection per text block, restricted to the sources' languages.
//!
//! Pages and PDFs mix French, Dutch and English (the policy-event programme
//! puts a French and a Dutch session one after the other), so language is a
//! property of each block, not of the page. Short blocks (headings, times)
//! cannot be told apart reliably; they borrow their neighbours' language.

use std::collections::HashMap;
use std::sync::LazyLock;

use whatlang::{Detector, Lang};

use crate::document::TextBlock;

/// Below this many letters a guess is mostly noise.
const MIN_LETTERS: usize = 25;

/// From this many letters on, whatlang's trigrams are trusted as they are.
const LONG_TEXT_LETTERS: usize = 120;

/// Confidence whatlang needs on a short text when function words do not decide.
const MIN_CONFIDENCE: f64 = 0.5;

static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::with_allowlist(vec![Lang::Fra, Lang::Nld, Lang::Eng, Lang::Deu]));

/// Frequent function words that belong to one language only (words shared by
/// two of them, like `de`, `die`, `in`, `en`, are left out). Trigrams are weak
/// on headings of a few words; these words settle most of them.
const FUNCTION_WORDS: &[(&str, &[&str])] = &[
    (
        "fr",
        &[
            "le", "la", "les", "du", "et", "est", "une", "un", "pour", "dans", "avec", "sur", "au", "aux",
            "qui", "que", "par", "ce", "cette", "ses", "son", "sont", "pas", "l", "d", "qu", "nous", "vous",
        ],
    ),
    (
        "nl",
        &[
            "het", "een", "van", "voor", "met", "op", "zijn", "niet", "dat", "wordt", "worden", "aan",
            "naar", "bij", "ook", "om", "te", "als", "tot", "uit", "deze", "wat", "hoe", "binnen",
        ],
    ),
    (
        "en",
        &[
            "the", "and", "of", "to", "for", "with", "on", "are", "be", "by", "this", "that", "from", "will",
            "we", "your", "our", "it", "as", "at", "an", "or", "has", "have", "their", "which",
        ],
    ),
    (
        "de",
        &[
            "der", "das", "und", "ist", "nicht", "mit", "für", "von", "zu", "den", "dem", "ein", "eine",
            "auf", "sich", "im", "wird", "werden",
        ],
    ),
];

fn code(lang: Lang) -> Option<&'static str> {
    match lang {
        Lang::Fra => Some("fr"),
        Lang::Nld => Some("nl"),
        Lang::Eng => Some("en"),
        Lang::Deu => Some("de"),
        _ => None,
    }
}

/// The language whose function words occur most, with its count and the
/// runner-up's count.
fn function_word_vote(text: &str) -> Option<(&'static str, usize, usize)> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut scores: Vec<(&'static str, usize)> = FUNCTION_WORDS
        .iter()
        .map(|(lang, list)| (*lang, words.iter().filter(|w| list.contains(&w.as_str())).count()))
        .collect();
    scores.sort_by_key(|s| std::cmp::Reverse(s.1));
    let (best, count) = *scores.first()?;
    let second = scores.get(1).map_or(0, |s| s.1);
    Some((best, count, second))
}

/// `fr`, `nl`, `en` or `de`, or `None` when the text is too short or the
/// guess unreliable.
pub fn detect(text: &str) -> Option<&'static str> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < MIN_LETTERS {
        return None;
    }
    let info = DETECTOR.detect(text);
    let guess = info.as_ref().and_then(|i| code(i.lang()));
    if letters >= LONG_TEXT_LETTERS {
        return guess;
    }
    if let Some((best, count, second)) = function_word_vote(text) {
        if count >= 2 && count > second {
            return Some(best);
        }
        if count == 1 && second == 0 && guess == Some(best) {
            return Some(best);
        }
    }
    match info {
        Some(i) if i.confidence() >= MIN_CONFIDENCE => guess,
        _ => None,
    }
}

/// Normalises an `<html lang>` value (`fr-BE` → `fr`); `None` if unusable.
fn primary_subtag(lang: &str) -> Option<String> {
    let primary = lang.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let ok = (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    ok.then_some(primary)
}

/// Sets `lang` on every block: detected when possible; otherwise the
/// previous or next detected block's language, whichever a weak guess on the
/// block itself agrees with (a heading takes the language of the session it
/// opens), else the previous one's, else `fallback` (e.g. `<html lang>`).
///
/// A bilingual line such as `Un nouveau droit de séjour pour les apatrides /
/// Een nieuw verblijfsrecht voor staatlozen` is first split in two blocks, so
/// each half is analysed (and quoted in snippets) in its own language.
pub fn assign_languages(blocks: &mut Vec<TextBlock>, fallback: Option<&str>) {
    *blocks = std::mem::take(blocks)
        .into_iter()
        .flat_map(split_bilingual)
        .collect();
    let detected: Vec<Option<&'static str>> = blocks.iter().map(|b| detect(&b.text)).collect();
    let fallback = fallback.and_then(primary_subtag);
    for i in 0..blocks.len() {
        let previous = detected[..i].iter().rev().flatten().next().copied();
        let next = detected[i..].iter().flatten().next().copied();
        let guess = weak_guess(&blocks[i].text);
        let neighbour = match guess {
            Some(g) if next == Some(g) && previous != Some(g) => next,
            _ => previous.or(next),
        };
        blocks[i].lang = detected[i]
            .or(neighbour)
            .map(str::to_string)
            .or_else(|| fallback.clone());
    }
}

/// whatlang's best guess among our languages, without any reliability bar:
/// only good enough to choose between two neighbours.
fn weak_guess(text: &str) -> Option<&'static str> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 10 {
        return None;
    }
    DETECTOR.detect(text).and_then(|info| code(info.lang()))
}

/// Splits `French title / Dutch title` lines whose halves are in different
/// languages; leaves every other block whole.
fn split_bilingual(block: TextBlock) -> Vec<TextBlock> {
    let parts: Vec<&str> = block.text.split(" / ").map(str::trim).collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return vec![block];
    }
    // Both halves must be told apart with confidence: a colon or a slash in
    // one English title must not cut it.
    let langs: Vec<Option<&str>> = parts.iter().map(|p| detect(p)).collect();
    let all_known = langs.iter().all(Option::is_some);
    let differ = langs.windows(2).all(|w| w[0] != w[1]);
    if !(all_known && differ) {
        return vec![block];
    }
    parts
        .into_iter()
        .map(|text| TextBlock {
            lang: None,
            text: text.to_owned(),
        })
        .collect()
}

/// Languages that make up a real share of the text (≥ 10 % of characters or
/// at least two blocks), most used first.
pub fn languages_by_share(blocks: &[TextBlock]) -> Vec<String> {
    let mut chars: HashMap<&str, usize> = HashMap::new();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut total = 0;
    for block in blocks {
        let n = block.text.chars().count();
        total += n;
        if let Some(lang) = block.lang.as_deref() {
            *chars.entry(lang).or_default() += n;
            *counts.entry(lang).or_default() += 1;
        }
    }
    let mut langs: Vec<(&str, usize)> = chars
        .into_iter()
        .filter(|(lang, n)| n * 10 >= total || counts.get(lang).copied().unwrap_or(0) >= 2)
        .collect();
    langs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    langs.into_iter().map(|(lang, _)| lang.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str) -> TextBlock {
        TextBlock {
            lang: None,
            text: text.to_string(),
        }
    }

    const FR: &str = "L'année 2023 a été une nouvelle fois marquée par la saturation du réseau d'accueil – depuis 2021, des demandeurs d'asile se retrouvent en dehors du réseau d'accueil, par manque de places.";
    const NL: &str = "Het jaar 2023 werd opnieuw gekenmerkt door een verzadiging van het opvangnetwerk – sinds 2021 belanden asielzoekers buiten het opvangnetwerk wegens plaatsgebrek.";
    const EN: &str = "The Talent Partnerships, launched by the European Commission, aim to provide a comprehensive policy framework, as well as funding support to boost international mobility.";

    #[test]
    fn detects_seed_paragraphs() {
        assert_eq!(detect(FR), Some("fr"));
        assert_eq!(detect(NL), Some("nl"));
        assert_eq!(detect(EN), Some("en"));
        assert_eq!(
            detect("Un nouveau droit de séjour pour les apatrides"),
            Some("fr")
        );
        assert_eq!(detect("Een nieuw verblijfsrecht voor staatlozen"), Some("nl"));
        assert_eq!(
            detect("Labour migration: critical reflection on emerging trends"),
            Some("en")
        );
        assert_eq!(detect("We look forward to your participation !"), Some("en"));
        assert_eq!(detect("Uitdagingen en projecten binnen het CGVS"), Some("nl"));
        assert_eq!(detect("Défis et projets en cours au CGRA"), Some("fr"));
        // Too few clues: better unknown than German.
        assert_eq!(detect("Tweetalige sessie (Nederlands-Frans)"), None);
    }

    #[test]
    fn short_text_is_undetermined() {
        assert_eq!(detect("10.45-11.45"), None);
        assert_eq!(detect("Lunch"), None);
        assert_eq!(detect("Home Affairs"), None);
        assert_eq!(detect(""), None);
    }

    #[test]
    fn neighbours_fill_undetectable_blocks() {
        let mut blocks = vec![
            block("10.45-11.45"),
            block(FR),
            block("Session bilingue"),
            block(NL),
            block("12.00"),
            block(EN),
        ];
        assert!(detect("Session bilingue").is_none());
        assign_languages(&mut blocks, Some("en"));
        let langs: Vec<_> = blocks.iter().map(|b| b.lang.as_deref()).collect();
        assert_eq!(
            langs,
            [
                Some("fr"),
                Some("fr"),
                Some("fr"),
                Some("nl"),
                Some("nl"),
                Some("en")
            ]
        );
    }

    #[test]
    fn bilingual_lines_are_split_by_language() {
        let mut blocks = vec![
            block("Un nouveau droit de séjour pour les apatrides / Een nieuw verblijfsrecht voor staatlozen"),
            block("Labour migration: critical reflection / emerging trends in Belgium and the EU"),
        ];
        assign_languages(&mut blocks, None);
        let got: Vec<(&str, Option<&str>)> = blocks
            .iter()
            .map(|b| (b.text.as_str(), b.lang.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("Un nouveau droit de séjour pour les apatrides", Some("fr")),
                ("Een nieuw verblijfsrecht voor staatlozen", Some("nl")),
                (
                    "Labour migration: critical reflection / emerging trends in Belgium and the EU",
                    Some("en")
                ),
            ]
        );
    }

    #[test]
    fn a_heading_takes_the_language_of_what_follows_when_it_looks_like_it() {
        let mut blocks = vec![
            block(FR),
            block("Informatiecampagnes in derde landen"),
            block("10.45-11.45"),
            block(NL),
        ];
        assign_languages(&mut blocks, None);
        assert_eq!(blocks[1].lang.as_deref(), Some("nl"));
        assert_eq!(blocks[2].lang.as_deref(), Some("fr"));
    }

    #[test]
    fn fallback_when_nothing_detectable() {
        let mut blocks = vec![block("Contact"), block("Lunch")];
        assign_languages(&mut blocks, Some("nl-BE"));
        assert!(blocks.iter().all(|b| b.lang.as_deref() == Some("nl")));
        assign_languages(&mut blocks, None);
        assert!(blocks.iter().all(|b| b.lang.is_none()));
    }

    #[test]
    fn share_keeps_real_languages_most_used_first() {
        let tagged = |text: &str, lang: &str| TextBlock {
            lang: Some(lang.into()),
            text: text.into(),
        };
        let blocks = vec![
            tagged(FR, "fr"),
            tagged(FR, "fr"),
            tagged("Kort", "nl"),
            tagged("Nog kort", "nl"),
            tagged("Kurz", "de"),
            tagged(&"word ".repeat(200), "en"),
        ];
        // `nl` has two blocks, `de` one short block under 10 % of the text.
        assert_eq!(languages_by_share(&blocks), ["en", "fr", "nl"]);
        assert!(languages_by_share(&[]).is_empty());
    }
}
