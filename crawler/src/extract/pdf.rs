//! PDF → [`Document`]: text, title, cover date and per-paragraph language.
//!
//! The sources publish programmes and reports as PDFs. The policy-event
//! programme gives each session in French, then in Dutch, plus English ones,
//! so the text is cut into paragraph-sized blocks, and a long block that
//! still mixes languages is regrouped line by line, for each block to carry
//! its own language.

use std::panic::{AssertUnwindSafe, catch_unwind};

use url::Url;

use super::fields::{date_only, looks_like_programme};
use super::{ExtractError, Result, passages};
use crate::document::{DocType, Document, TextBlock};
use crate::{dates, language, organisations};

/// How much of the start of the text is searched for the cover date.
const COVER_CHARS: usize = 300;

/// Blocks longer than this are checked for mixed languages.
const MIXED_CHECK_CHARS: usize = 300;

/// A run of lines shorter than this joins its neighbour instead of
/// becoming a block of its own language.
const MIN_RUN_LETTERS: usize = 80;

/// Extracts a PDF. `url` is its real URL, `source` the source id.
pub fn extract_pdf(url: &Url, bytes: &[u8], source: &str) -> Result<Document> {
    // pdf-extract panics on some malformed files; a bad file must not take
    // the crawler down.
    let text = catch_unwind(|| pdf_extract::extract_text_from_mem(bytes))
        .map_err(|_| ExtractError::PdfPanicked)?
        .map_err(|e| ExtractError::Pdf(e.to_string()))?;
    if !text.chars().any(char::is_alphanumeric) {
        return Err(ExtractError::NoText);
    }

    let paragraphs = paragraphs(&text);
    let title = info_title(bytes)
        .or_else(|| {
            paragraphs
                .iter()
                .find(|p| is_title_like(p))
                .map(|p| p.chars().take(200).collect())
        })
        .unwrap_or_default();

    let mut blocks: Vec<TextBlock> = paragraphs
        .iter()
        .flat_map(|p| split_mixed(p))
        .map(|text| TextBlock { lang: None, text })
        .collect();
    if blocks.first().is_some_and(|b| b.text == title) {
        blocks.remove(0);
    }
    language::assign_languages(&mut blocks, None);
    let languages = language::languages_by_share(&blocks);

    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cover: String = collapsed.chars().take(COVER_CHARS).collect();
    let date = dates::find_dates(&cover).first().map(|(d, _)| *d);

    let programme = looks_like_programme(&text);
    let passages = if programme {
        passages::programme_sessions(&paragraphs, None)
    } else {
        Vec::new()
    };

    let mut document = Document {
        url: {
            let mut u = url.clone();
            u.set_fragment(None);
            u.to_string()
        },
        source: source.to_string(),
        doc_type: if programme {
            DocType::Event
        } else {
            DocType::Publication
        },
        title,
        blocks,
        languages,
        date,
        themes: Vec::new(),
        keywords: Vec::new(),
        organisations: Vec::new(),
        organisation_mentions: Vec::new(),
        parent_url: None,
        passages,
        translations: Vec::new(),
    };
    organisations::annotate(&mut document);
    Ok(document)
}

/// The `Title` of the PDF's Info dictionary, unless empty or a file name.
fn info_title(bytes: &[u8]) -> Option<String> {
    let title = catch_unwind(AssertUnwindSafe(|| {
        let doc = pdf_extract::Document::load_mem(bytes).ok()?;
        let info = doc.trailer.get_deref(b"Info", &doc).ok()?.as_dict().ok()?;
        let raw = info.get_deref(b"Title", &doc).ok()?.as_str().ok()?;
        Some(decode_pdf_string(raw))
    }))
    .ok()??;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let title = title
        .strip_prefix("Microsoft Word - ")
        .unwrap_or(&title)
        .to_string();
    let lower = title.to_lowercase();
    let file_name = [".pdf", ".doc", ".docx", ".ppt", ".pptx", ".indd"]
        .iter()
        .any(|e| lower.ends_with(e));
    (!title.is_empty() && !file_name && title.chars().any(char::is_alphabetic)).then_some(title)
}

/// PDF text strings are UTF-16BE with a BOM, or PDFDocEncoding (close
/// enough to Latin-1 for titles).
fn decode_pdf_string(raw: &[u8]) -> String {
    match raw {
        [0xFE, 0xFF, rest @ ..] => {
            let units: Vec<u16> = rest
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        }
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8_lossy(rest).into_owned(),
        _ => raw.iter().map(|&b| char::from(b)).collect(),
    }
}

/// Paragraphs: text between blank lines, each line's spacing collapsed.
/// Lines are kept (joined by `\n`) so mixed blocks can be regrouped.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for line in text.lines().chain(std::iter::once("")) {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    out
}

/// A first paragraph worth showing as a title: words, not a date or times.
fn is_title_like(paragraph: &str) -> bool {
    let letters = paragraph.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 4 && date_only(paragraph).is_none()
}

fn join_lines(lines: &[&str]) -> String {
    lines.join(" ")
}

/// One paragraph as blocks: whole, or regrouped by language when it is long
/// and its lines are in different languages.
fn split_mixed(paragraph: &str) -> Vec<String> {
    let lines: Vec<&str> = paragraph.lines().collect();
    if paragraph.len() < MIXED_CHECK_CHARS || lines.len() < 2 {
        return vec![join_lines(&lines)];
    }
    // Runs of consecutive lines in one language; undetected lines join the run.
    let mut runs: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
    for line in &lines {
        let lang = language::detect(line);
        match runs.last_mut() {
            Some((run_lang, run)) if lang.is_none() || *run_lang == lang || run_lang.is_none() => {
                if run_lang.is_none() {
                    *run_lang = lang;
                }
                run.push(line);
            }
            _ => runs.push((lang, vec![line])),
        }
    }
    // Short runs are likely misdetections: fold them into the previous run.
    let mut merged: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
    for (lang, run) in runs {
        let letters: usize = run
            .iter()
            .map(|l| l.chars().filter(|c| c.is_alphabetic()).count())
            .sum();
        match merged.last_mut() {
            Some((prev_lang, prev)) if letters < MIN_RUN_LETTERS || *prev_lang == lang => prev.extend(run),
            _ => merged.push((lang, run)),
        }
    }
    merged.iter().map(|(_, run)| join_lines(run)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let text = "Title line\nsecond   line\n\n\nPara two\n  \nPara three";
        assert_eq!(
            paragraphs(text),
            ["Title line\nsecond line", "Para two", "Para three"]
        );
    }

    #[test]
    fn mixed_paragraph_is_regrouped_by_language() {
        let fr = "L'année 2023 a été une nouvelle fois marquée par la saturation du réseau d'accueil des demandeurs.\nComme en 2022, plusieurs mesures ont été prises pour augmenter la capacité d'accueil du réseau.";
        let nl = "Het jaar 2023 werd opnieuw gekenmerkt door een verzadiging van het opvangnetwerk voor asielzoekers.\nNet als 2022 werden verschillende maatregelen genomen om de uitstroom uit het netwerk te versnellen.";
        let blocks = split_mixed(&format!("{fr}\n{nl}"));
        assert_eq!(blocks.len(), 2, "{blocks:?}");
        assert_eq!(language::detect(&blocks[0]), Some("fr"));
        assert_eq!(language::detect(&blocks[1]), Some("nl"));
        // A single-language paragraph stays whole.
        assert_eq!(split_mixed(fr).len(), 1);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let url = Url::parse("https://emnbelgium.be/x.pdf").unwrap();
        assert!(extract_pdf(&url, b"not a pdf", "emn-belgium").is_err());
        assert!(extract_pdf(&url, b"%PDF-1.4\n1 0 obj <<>> endobj trailer <<>>", "emn-belgium").is_err());
        assert!(extract_pdf(&url, &[], "emn-belgium").is_err());
    }

    #[test]
    fn pdf_strings_decode() {
        assert_eq!(decode_pdf_string(&[0xFE, 0xFF, 0, b'H', 0, 0xE9]), "Hé");
        assert_eq!(decode_pdf_string(b"Plain"), "Plain");
    }

    const PROGRAMME: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../mirror/site/emnbelgium.be/sites/default/files/2024-03/emn-policy-event-2024-programme.pdf"
    );

    #[test]
    fn mirror_programme() {
        let bytes = std::fs::read(PROGRAMME).unwrap_or_else(|e| panic!("{PROGRAMME}: {e}"));
        let url = Url::parse(
            "https://emnbelgium.be/sites/default/files/2024-03/emn-policy-event-2024-programme.pdf",
        )
        .unwrap();
        let doc = extract_pdf(&url, &bytes, "emn-belgium").unwrap();
        assert_eq!(doc.date, chrono::NaiveDate::from_ymd_opt(2024, 4, 18));
        assert_eq!(doc.doc_type, DocType::Event);
        // The Info Title, or the cover's first lines.
        let title = doc.title.to_uppercase();
        assert!(
            title.contains("POLICY EVENT") || title.contains("MIGRATION"),
            "{}",
            doc.title
        );
        let lang_of = |needle: &str, avoid: &str| {
            let block = doc
                .blocks
                .iter()
                .filter(|b| b.text.contains(needle) && !b.text.contains(avoid) && b.text.len() > 200)
                .collect::<Vec<_>>();
            assert!(!block.is_empty(), "no block with {needle}");
            block.iter().map(|b| b.lang.clone()).collect::<Vec<_>>()
        };
        assert!(
            lang_of("apatrides", "staatlozen")
                .iter()
                .all(|l| l.as_deref() == Some("fr"))
        );
        assert!(
            lang_of("staatlozen", "apatrides")
                .iter()
                .all(|l| l.as_deref() == Some("nl"))
        );
        assert!(
            lang_of("Talent Partnerships", "opvang")
                .iter()
                .all(|l| l.as_deref() == Some("en"))
        );
        for lang in ["fr", "nl", "en"] {
            assert!(doc.languages.iter().any(|l| l == lang), "{:?}", doc.languages);
        }
        for org in ["CGRS", "Fedasil", "IOM", "Immigration Office", "UNHCR", "EMN"] {
            assert!(
                doc.organisations.iter().any(|o| o == org),
                "{org}: {:?}",
                doc.organisations
            );
        }
        // Each mention points at its words in its block.
        assert!(doc.organisation_mentions.len() >= doc.organisations.len().saturating_sub(1));
        for mention in &doc.organisation_mentions {
            let block = &doc.blocks[mention.block].text;
            assert_eq!(block.get(mention.start..mention.end), Some(mention.text.as_str()));
        }
        assert!(
            doc.organisation_mentions
                .iter()
                .any(|m| m.name == "CGRS" && (m.text == "CGVS" || m.text == "CGRA"))
        );
        programme_sessions(&doc);
    }

    /// The sessions of the bundled programme: French/Dutch pairs, then the
    /// English ones.
    fn programme_sessions(doc: &Document) {
        use crate::document::PassageKind;
        let sessions = &doc.passages;
        let got: Vec<(&str, Option<&str>, Option<&str>)> = sessions
            .iter()
            .map(|s| {
                (
                    s.title.as_str(),
                    s.slot.as_deref(),
                    s.languages.first().map(String::as_str),
                )
            })
            .collect();
        let both = Some("10.45-11.45, 14.15-15.15");
        let desks = Some("12.00-13.00, 14.15-15.15");
        assert_eq!(
            got,
            [
                (
                    "Mesures en réponse à la crise de l'accueil",
                    Some("10.45-11.45"),
                    Some("fr")
                ),
                (
                    "Maatregelen naar aanleiding van de opvangcrisis",
                    Some("10.45-11.45"),
                    Some("nl")
                ),
                (
                    "Un nouveau droit de séjour pour les apatrides",
                    Some("10.45-11.45"),
                    Some("fr")
                ),
                (
                    "Een nieuw verblijfsrecht voor staatlozen",
                    Some("10.45-11.45"),
                    Some("nl")
                ),
                (
                    "Les campagnes d'information dans les pays tiers",
                    both,
                    Some("fr")
                ),
                ("Informatiecampagnes in derde landen", both, Some("nl")),
                (
                    "Défis et projets en cours au CGRA",
                    Some("12.00-13.00"),
                    Some("fr")
                ),
                (
                    "Uitdagingen en projecten binnen het CGVS",
                    Some("12.00-13.00"),
                    Some("nl")
                ),
                (
                    "Centraliser pour mieux informer : les modèles de guichet unique",
                    desks,
                    Some("fr")
                ),
                (
                    "Centraliseren om beter te informeren: de one-stop-desk models",
                    desks,
                    Some("nl")
                ),
                (
                    "Belgium's Talent Mobility projects",
                    Some("12.00-13.00, 15.30-16.30"),
                    Some("en")
                ),
                (
                    "Labour migration: critical reflection on emerging trends",
                    Some("14.15-15.15, 15.30-16.30"),
                    Some("en")
                ),
            ]
        );
        assert_eq!(
            sessions[2].anchor,
            "session-un-nouveau-droit-de-sejour-pour-les-apatrides"
        );
        for pair in sessions[..10].chunks(2) {
            assert_eq!(pair[0].translation_key.as_deref(), Some(pair[0].anchor.as_str()));
            assert_eq!(pair[1].translation_key, pair[0].translation_key);
        }
        assert!(sessions[10..].iter().all(|s| s.translation_key.is_none()));
        let mut anchors: Vec<&str> = sessions.iter().map(|s| s.anchor.as_str()).collect();
        anchors.sort_unstable();
        anchors.dedup();
        assert_eq!(anchors.len(), sessions.len());

        let text = |i: usize| {
            sessions[i]
                .blocks
                .iter()
                .map(|b| b.text.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert!(text(2).contains("apatrides") && !text(2).contains("staatlozen"));
        assert!(text(3).contains("staatlozen") && !text(3).contains("apatrides"));
        for (i, s) in sessions.iter().enumerate() {
            assert_eq!(s.kind, PassageKind::Session);
            assert_eq!(s.languages.len(), 1, "{}: {:?}", s.title, s.languages);
            assert!(
                s.blocks.iter().all(|b| b.lang == s.languages.first().cloned()),
                "{}",
                s.title
            );
            let body = text(i);
            assert!(!body.is_empty() && !body.contains(&s.title), "{}", s.title);
            for junk in [
                "Funded by",
                "European Union",
                "Home Affairs",
                "Session bilingue",
                "Tweetalige sessie",
                "Presentations in English",
                "look forward",
                "All information",
            ] {
                assert!(!body.contains(junk), "{junk} in {}", s.title);
            }
            assert!(s.themes.is_empty() && s.doc_type.is_none() && s.link.is_none());
        }
        // The page break inside the last paragraph is mended.
        assert!(text(11).contains("goals they are set out to"), "{}", text(11));
        assert_eq!(sessions[0].organisations, ["Fedasil"]);
        assert!(sessions[3].organisations.iter().any(|o| o == "CGRS"));
        assert!(sessions[3].organisations.iter().any(|o| o == "UNHCR"));
        assert!(sessions[10].organisations.iter().any(|o| o == "IOM"));
    }
}
