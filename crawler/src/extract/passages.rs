//! Units of a document that are indexed on their own ([`Passage`]s): the
//! sessions of an event programme and the projects of a funding (AMIF) page.
//!
//! Both are found by the sources' conventions, not by one file's layout:
//! a session is a title followed by a line of time slots, then its
//! description; a project is a section headed by a project title. The rules
//! work on text lines so the PDF and HTML extractors share them.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use scraper::node::Node;
use scraper::{ElementRef, Selector};

use super::fields::date_only;
use super::text::{Line, collapse};
use crate::document::{DocType, Passage, PassageKind, TextBlock};
use crate::slug::{self, fold};
use crate::{language, organisations};

/// Words of an anchor's slug; longer titles are cut.
const SLUG_WORDS: usize = 8;

/// A title spans at most this many lines (a long title wraps in a PDF).
const MAX_TITLE_LINES: usize = 3;
const MAX_TITLE_CHARS: usize = 200;
const MAX_TITLE_WORDS: usize = 25;

/// Page chrome and markers are short lines.
const SHORT_LINE_WORDS: usize = 6;
const SHORT_LINE_CHARS: usize = 60;

/// A session cut short by an agenda table must show at least one
/// paragraph this long to count (a cover's `POLICY EVENT` + `9.00-17.00`
/// is followed by the agenda, not a description).
const MIN_DESCRIPTION_WORDS: usize = 8;

/// Closing formulas are short; a long paragraph starting the same way is text.
const MAX_CLOSING_CHARS: usize = 300;

/// One time: `9.00`, `9:00`, `9h00`, `9u30`, `14h`, `14u`.
const TIME: &str = r"\d{1,2}(?:[.:hHuU]\d{2}|[hHuU])";
/// Between the two times of a range.
const RANGE_SEP: &str = r"\s*(?:[-–—‑]|to|tot|à|bis)\s*";
/// Between two ranges.
const CONNECTOR: &str = r"\s*(?:,|;|&|\+|/|et|en|and|und)\s*";

fn range_pattern() -> String {
    format!("{TIME}{RANGE_SEP}{TIME}")
}

fn slots_pattern() -> String {
    let range = range_pattern();
    format!("{range}(?:{CONNECTOR}{range})*")
}

/// A line made only of time ranges, optionally in parentheses.
static SLOT_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^\(?\s*{}\s*\)?\.?$", slots_pattern())).expect("slot line regex is valid")
});

/// A title ending with its slots in parentheses.
static TITLE_WITH_SLOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?P<title>.*?\S)\s*\(\s*(?P<slot>{})\s*\)\.?$",
        slots_pattern()
    ))
    .expect("title with slot regex is valid")
});

/// The times of one range, captured.
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?P<a>\d{{1,2}})(?:[.:hu](?P<am>\d{{2}})|[hu]){RANGE_SEP}(?P<b>\d{{1,2}})(?:[.:hu](?P<bm>\d{{2}})|[hu])"
    ))
    .expect("range regex is valid")
});

/// An agenda row: a time (or range) and text on the same line.
static AGENDA_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^{TIME}(?:{RANGE_SEP}{TIME})?\s+\S*\p{{L}}")).expect("agenda regex is valid")
});

/// Normalised slots (`10.45-11.45, 14.15-15.15`) of a slot text.
fn normalise_slots(text: &str) -> Option<String> {
    let ranges: Vec<String> = RANGE
        .captures_iter(text)
        .filter_map(|c| {
            let part = |h: &str, m: Option<regex::Match<'_>>| -> Option<String> {
                let hour: u32 = c.name(h)?.as_str().parse().ok()?;
                let minute: u32 = m.map_or(Some(0), |m| m.as_str().parse().ok())?;
                (hour <= 24 && minute < 60).then(|| format!("{hour:02}.{minute:02}"))
            };
            Some(format!(
                "{}-{}",
                part("a", c.name("am"))?,
                part("b", c.name("bm"))?
            ))
        })
        .collect();
    (!ranges.is_empty()).then(|| ranges.join(", "))
}

fn is_slot_line(line: &str) -> bool {
    SLOT_LINE.is_match(line.trim())
}

fn is_agenda_row(line: &str) -> bool {
    !is_slot_line(line) && AGENDA_ROW.is_match(line.trim())
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn is_short(line: &str) -> bool {
    words(line) <= SHORT_LINE_WORDS && line.chars().count() <= SHORT_LINE_CHARS
}

/// `kind-slug-of-the-title`, with `-2`, `-3`... when already used.
fn anchor(kind: PassageKind, title: &str, used: &mut HashSet<String>) -> String {
    slug::anchor(kind.as_str(), title, SLUG_WORDS, used)
}

/// Blocks with their language, the passage's languages and organisations.
fn passage(
    kind: PassageKind,
    anchor: String,
    title: String,
    texts: Vec<String>,
    fallback: Option<&str>,
    slot: Option<String>,
) -> Passage {
    let mut blocks: Vec<TextBlock> = texts
        .into_iter()
        .map(|text| TextBlock { lang: None, text })
        .collect();
    // The title says something of the language when the body cannot.
    let fallback = fallback.or_else(|| language::detect(&title));
    language::assign_languages(&mut blocks, fallback);
    let languages = language::languages_by_share(&blocks);
    let text = blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let organisations = organisations::find_organisations(&format!("{title}\n\n{text}"));
    Passage {
        kind,
        anchor,
        title,
        blocks,
        languages,
        slot,
        date: None,
        themes: Vec::new(),
        organisations,
        translation_key: None,
        doc_type: None,
        link: None,
    }
}

// ---------------------------------------------------------------------------
// Programme sessions
// ---------------------------------------------------------------------------

/// Language names, by the language they name.
const LANGUAGE_NAMES: &[(&str, &[&str])] = &[
    ("fr", &["francais", "french", "frans", "franzosisch"]),
    ("nl", &["neerlandais", "dutch", "nederlands", "niederlandisch"]),
    ("en", &["english", "anglais", "engels", "englisch"]),
    ("de", &["deutsch", "german", "allemand", "duits"]),
];

/// Words that say a session is held in several languages.
const MULTILINGUAL_WORDS: &[(&str, &[&str])] = &[
    ("fr", &["bilingue", "trilingue", "multilingue"]),
    (
        "nl",
        &[
            "tweetalig",
            "tweetalige",
            "drietalig",
            "drietalige",
            "meertalig",
            "meertalige",
        ],
    ),
    ("en", &["bilingual", "trilingual", "multilingual"]),
    ("de", &["zweisprachig", "zweisprachige"]),
];

/// Words that go with a language name in a marker (`Presentations in English`).
const MARKER_WORDS: &[(&str, &[&str])] = &[
    (
        "fr",
        &[
            "seance",
            "presentation",
            "presentations",
            "traduction",
            "interpretation",
            "langue",
        ],
    ),
    (
        "nl",
        &[
            "sessie",
            "presentatie",
            "presentaties",
            "vertaling",
            "tolk",
            "tolken",
            "taal",
        ],
    ),
    (
        "en",
        &[
            "session",
            "presentation",
            "presentations",
            "translation",
            "interpreting",
            "language",
        ],
    ),
    (
        "de",
        &["sitzung", "vortrag", "vortrage", "ubersetzung", "sprache"],
    ),
];

/// A marker can also be a language name and a preposition (`(In English)`).
const MAX_BARE_MARKER_WORDS: usize = 3;

fn has_word(folded_words: &[&str], list: &[&str]) -> bool {
    folded_words.iter().any(|w| list.contains(w))
}

/// A line saying in which language(s) a session is held (`Session bilingue
/// (français-néerlandais)`, `Presentations in English`): not body text, but
/// a hint of the session's language (the one named alone, else the one the
/// marker is worded in).
fn marker_language(line: &str) -> Option<Option<&'static str>> {
    if !is_short(line) || line.ends_with(['.', '?', '!']) {
        return None;
    }
    let folded = fold(line);
    let ws: Vec<&str> = folded.split_whitespace().collect();
    let named: Vec<&str> = LANGUAGE_NAMES
        .iter()
        .filter(|(_, names)| has_word(&ws, names))
        .map(|(l, _)| *l)
        .collect();
    let multilingual = MULTILINGUAL_WORDS.iter().find(|(_, list)| has_word(&ws, list));
    let worded = MARKER_WORDS.iter().find(|(_, list)| has_word(&ws, list));
    let is_marker = multilingual.is_some()
        || (!named.is_empty() && (worded.is_some() || ws.len() <= MAX_BARE_MARKER_WORDS));
    if !is_marker {
        return None;
    }
    if let [only] = named.as_slice() {
        return Some(Some(only));
    }
    Some(multilingual.or(worded).map(|(l, _)| *l))
}

/// Openings of closing formulas (folded): the programme's end, not a session's text.
const CLOSINGS: &[&str] = &[
    "we look forward",
    "looking forward",
    "we hope to see you",
    "see you",
    "thank you for",
    "all information",
    "more information",
    "further information",
    "for more information",
    "au plaisir",
    "nous nous rejouissons",
    "nous esperons vous",
    "a bientot",
    "merci de votre",
    "toutes les informations",
    "plus d informations",
    "pour plus d informations",
    "we kijken",
    "wij kijken",
    "we zien u",
    "wij zien u",
    "graag tot",
    "tot dan",
    "hopelijk tot",
    "alle informatie",
    "meer informatie",
    "voor meer informatie",
    "wir freuen uns",
    "weitere informationen",
    "alle informationen",
];

fn is_closing(text: &str) -> bool {
    if text.chars().count() > MAX_CLOSING_CHARS {
        return false;
    }
    let folded = fold(text).split_whitespace().collect::<Vec<_>>().join(" ");
    CLOSINGS.iter().any(|c| folded.starts_with(c))
}

fn is_bullet(text: &str) -> bool {
    text.starts_with(['-', '•', '*', '–', '·'])
}

/// Whether `lines` (one paragraph) can be a session title.
fn title_ok(lines: &[String]) -> bool {
    if lines.is_empty() || lines.len() > MAX_TITLE_LINES {
        return false;
    }
    let title = lines.join(" ");
    let letters = title.chars().filter(|c| c.is_alphabetic()).count();
    let first_lower = title.chars().next().is_some_and(char::is_lowercase);
    letters >= 4
        && title.chars().count() <= MAX_TITLE_CHARS
        && words(&title) <= MAX_TITLE_WORDS
        && !first_lower
        && !title.ends_with(['.', ',', ';'])
        && !is_bullet(&title)
        && !lines.iter().any(|l| is_slot_line(l) || is_agenda_row(l))
        && marker_language(&title).is_none()
        && !is_closing(&title)
        // The event's own day over its hours (`Thursday, 18 April 2024`, `9.00-17.00`).
        && date_only(&title).is_none()
}

/// A session's start at paragraph `i`: title, slot text, lines of the
/// paragraph that already belong to the body, and paragraphs consumed.
fn session_start(paras: &[Vec<String>], i: usize) -> Option<(String, String, Vec<String>, usize)> {
    let para = &paras[i];
    let last = para.last()?;
    // `Title (10.45-11.45)`.
    if let Some(c) = TITLE_WITH_SLOT.captures(last) {
        let mut title_lines = para[..para.len() - 1].to_vec();
        title_lines.push(c["title"].to_string());
        if title_ok(&title_lines) {
            return Some((title_lines.join(" "), c["slot"].to_string(), Vec::new(), 1));
        }
    }
    // Title and slot in one paragraph, the body possibly glued after them.
    if let Some(k) = para.iter().position(|l| is_slot_line(l))
        && k >= 1
        && title_ok(&para[..k])
    {
        return Some((para[..k].join(" "), para[k].clone(), para[k + 1..].to_vec(), 1));
    }
    // Title, then a paragraph opening with the slot.
    let next = paras.get(i + 1)?;
    if title_ok(para) && next.first().is_some_and(|l| is_slot_line(l)) {
        return Some((para.join(" "), next[0].clone(), next[1..].to_vec(), 2));
    }
    None
}

/// A session being read.
struct Draft {
    title: String,
    slot: String,
    body: Vec<String>,
    hint: Option<&'static str>,
    /// Body over: what follows until the next session is not its text.
    closed: bool,
    cut_by_agenda: bool,
}

impl Draft {
    fn push(&mut self, lines: &[String]) {
        let text = lines.join(" ");
        if text.is_empty() {
            return;
        }
        // A paragraph cut by a page break goes on in lowercase.
        if let Some(previous) = self.body.last_mut()
            && !previous.ends_with(['.', '!', '?', ':', ';', ')', '»', '"', '”'])
            && text.chars().next().is_some_and(char::is_lowercase)
        {
            previous.push(' ');
            previous.push_str(&text);
            return;
        }
        self.body.push(text);
    }

    fn is_session(&self) -> bool {
        let described = self.body.iter().any(|p| words(p) >= MIN_DESCRIPTION_WORDS);
        !self.body.is_empty() && (described || !self.cut_by_agenda)
    }
}

/// Short lines repeated in the document (page chrome: `Funded by`, `the
/// European Union`), counted in paragraphs made only of short lines, since
/// a wrapped sentence's fragment is no chrome.
fn chrome_lines(paras: &[Vec<String>]) -> HashSet<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for para in paras {
        if para.iter().all(|l| is_short(l)) {
            for line in para {
                if !is_slot_line(line) && marker_language(line).is_none() {
                    *counts.entry(line.as_str()).or_default() += 1;
                }
            }
        }
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n >= 2)
        .map(|(l, _)| l.to_string())
        .collect()
}

/// Splits paragraphs where the text extraction left no blank line: around
/// marker lines, and before a title (the lines after the last sentence end)
/// whose slot follows it or ends it.
fn split_glued(para: Vec<String>) -> Vec<Vec<String>> {
    let mut cuts: Vec<usize> = Vec::new();
    for (k, line) in para.iter().enumerate() {
        if marker_language(line).is_some() {
            cuts.extend([k, k + 1]);
            continue;
        }
        let title_end = if TITLE_WITH_SLOT.is_match(line) {
            k + 1
        } else if is_slot_line(line) {
            k
        } else {
            continue;
        };
        let start = para[..title_end]
            .iter()
            .rposition(|l| l.ends_with(['.', '!', '?']))
            .map_or(0, |j| j + 1);
        if title_end > start && title_end - start <= MAX_TITLE_LINES {
            cuts.extend([start, k + 1]);
        }
    }
    cuts.retain(|&c| c > 0 && c < para.len());
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut from = 0;
    for cut in cuts.into_iter().chain(std::iter::once(para.len())) {
        out.push(para[from..cut].to_vec());
        from = cut;
    }
    out
}

/// The sessions described in a programme's text.
///
/// `paragraphs` are the programme's paragraphs in reading order, each with
/// its lines separated by `\n` (PDF text), or one line each (HTML).
/// `fallback_lang` is used when no block's language can be told.
pub(crate) fn programme_sessions<S: AsRef<str>>(
    paragraphs: &[S],
    fallback_lang: Option<&str>,
) -> Vec<Passage> {
    let paras: Vec<Vec<String>> = paragraphs
        .iter()
        .map(|p| {
            p.as_ref()
                .lines()
                .map(collapse)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .flat_map(split_glued)
        .collect();
    let chrome = chrome_lines(&paras);

    let mut drafts: Vec<Draft> = Vec::new();
    let mut i = 0;
    while i < paras.len() {
        if let Some((title, slot, rest, consumed)) = session_start(&paras, i) {
            let mut draft = Draft {
                title,
                slot,
                body: Vec::new(),
                hint: None,
                closed: false,
                cut_by_agenda: false,
            };
            let rest: Vec<String> = rest.into_iter().filter(|l| !chrome.contains(l)).collect();
            draft.push(&rest);
            drafts.push(draft);
            i += consumed;
            continue;
        }
        let para = &paras[i];
        i += 1;
        let Some(draft) = drafts.last_mut() else {
            continue;
        };
        if draft.closed {
            continue;
        }
        let text = para.join(" ");
        if is_agenda_row(&para[0]) {
            draft.closed = true;
            draft.cut_by_agenda = true;
        } else if is_closing(&text) {
            draft.closed = true;
        } else if let Some(hint) = marker_language(&text) {
            draft.hint = draft.hint.or(hint);
            // Markers close a description; chrome may follow before the next title.
            draft.closed = !draft.body.is_empty();
        } else if para.iter().all(|l| is_short(l)) && para.iter().any(|l| chrome.contains(l)) {
            // A chrome paragraph goes whole (`Home Affairs` shown once with it).
        } else {
            let kept: Vec<String> = para.iter().filter(|l| !chrome.contains(*l)).cloned().collect();
            draft.push(&kept);
        }
    }

    let mut used = HashSet::new();
    let mut sessions: Vec<Passage> = drafts
        .into_iter()
        .filter(Draft::is_session)
        .map(|d| {
            let anchor = anchor(PassageKind::Session, &d.title, &mut used);
            let slot = normalise_slots(&d.slot);
            passage(
                PassageKind::Session,
                anchor,
                d.title,
                d.body,
                d.hint.or(fallback_lang),
                slot,
            )
        })
        .collect();
    link_translations(&mut sessions);
    sessions
}

/// Folded capitalised words that do not open a sentence: names of people,
/// places and bodies, shared by a session's language versions.
fn names(passage: &Passage) -> HashSet<String> {
    let mut out = HashSet::new();
    for block in &passage.blocks {
        let mut sentence_start = true;
        for word in block.text.split_whitespace() {
            let core = word.trim_matches(|c: char| !c.is_alphanumeric());
            let capitalised = core.chars().next().is_some_and(char::is_uppercase);
            if capitalised && !sentence_start && core.chars().count() >= 3 {
                out.insert(fold(core).trim().to_string());
            }
            sentence_start = word.ends_with(['.', '!', '?', ':']) || is_bullet(word);
        }
    }
    out
}

/// How strongly two adjacent sessions look like language versions of one
/// unit: `None` when they cannot be (other slots, same language, nothing
/// shared while both name someone), else the number of shared names.
fn version_evidence(a: &Passage, b: &Passage) -> Option<usize> {
    let set = |p: &Passage| {
        let mut slots: Vec<String> = p
            .slot
            .as_deref()
            .unwrap_or("")
            .split(", ")
            .map(str::to_string)
            .collect();
        slots.sort();
        slots
    };
    let (la, lb) = (a.languages.first()?, b.languages.first()?);
    if a.slot.is_none() || set(a) != set(b) || la == lb {
        return None;
    }
    let orgs_a: HashSet<&String> = a.organisations.iter().collect();
    let shared_orgs = b.organisations.iter().filter(|o| orgs_a.contains(o)).count();
    let (na, nb) = (names(a), names(b));
    let shared_names = na.intersection(&nb).count();
    let a_empty = a.organisations.is_empty() && na.is_empty();
    let b_empty = b.organisations.is_empty() && nb.is_empty();
    match (a_empty && b_empty, shared_orgs + shared_names) {
        (true, _) => Some(0),
        (false, 0) => None,
        (false, n) => Some(n),
    }
}

/// Gives adjacent language versions of a session one `translation_key` (the
/// first one's anchor). Pairs with the most shared evidence are linked first,
/// so a session between two candidates goes to the better match.
fn link_translations(sessions: &mut [Passage]) {
    let mut candidates: Vec<(usize, usize)> = (0..sessions.len().saturating_sub(1))
        .filter_map(|i| Some((version_evidence(&sessions[i], &sessions[i + 1])?, i)))
        .collect();
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut linked = vec![false; sessions.len()];
    for (_, i) in candidates {
        if linked[i] || linked[i + 1] {
            continue;
        }
        linked[i] = true;
        linked[i + 1] = true;
        let key = sessions[i].anchor.clone();
        sessions[i].translation_key = Some(key.clone());
        sessions[i + 1].translation_key = Some(key);
    }
}

// ---------------------------------------------------------------------------
// Projects of a funding page
// ---------------------------------------------------------------------------

/// Level given to a paragraph that is only bold text: below every `<hn>`.
const BOLD_LEVEL: u8 = 7;

static PROJECT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^\p{L}])(?:projet|project|projekt)(?:$|[^\p{L}])").expect("valid")
});

static FUND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:AMIF|FAMI|ISF|FSI|BMVI)\b").expect("valid"));

/// A fund's name in a heading about the fund itself, not a project.
static FUND_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:fonds|fund|funds|fondo|programme|programma)\b").expect("valid"));

/// A project code: a fund acronym and number groups (`AMIF-046-078`).
static PROJECT_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:AMIF|FAMI|ISF|FSI|BMVI)(?:[-/.][0-9]+[A-Z]?)+\b").expect("project code regex is valid")
});

/// `Code: AMIF-046-078`.
static CODE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i:\bcode)\s*:\s*(?P<code>[A-Z]{2,}[A-Z0-9]*(?:[-/.][A-Z0-9]+)+)")
        .expect("code label regex is valid")
});

/// The code of a `Code:` label in `text`, when it has a number.
fn code_label(text: &str) -> Option<String> {
    CODE_LABEL
        .captures_iter(text)
        .map(|c| c["code"].to_string())
        .find(|code| code.chars().any(|c| c.is_ascii_digit()))
}

/// A heading ending with a year range (`... 2024-2025`).
static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(?\b(?P<a>(?:19|20)\d{2})\s*[-–—/]\s*(?P<b>(?:19|20)\d{2})\)?\s*$").expect("valid")
});

/// Words of headings about a project's aspect (`Project objectives`), not
/// a project of its own; folded.
const ASPECT_WORDS: &[&str] = &[
    "description",
    "objectives",
    "objective",
    "objectifs",
    "objectif",
    "goals",
    "results",
    "resultats",
    "resultaten",
    "partners",
    "partenaires",
    "partner",
    "budget",
    "duration",
    "duree",
    "looptijd",
    "details",
    "summary",
    "resume",
    "samenvatting",
    "context",
    "contexte",
    "activities",
    "activites",
    "activiteiten",
    "doelstellingen",
    "doelstelling",
    "beschrijving",
    "about",
    "propos",
    "over",
    "contact",
    "the",
    "le",
    "du",
    "de",
    "het",
    "a",
    "of",
    "van",
    "des",
    "et",
    "and",
    "en",
];

/// Plural project words head a group of projects, not one.
const PLURALS: &[&str] = &["projets", "projects", "projecten", "projekte"];

fn is_project_heading(text: &str) -> bool {
    if words(text) > 15 || text.chars().count() > 150 {
        return false;
    }
    let folded = fold(text);
    let ws: Vec<&str> = folded.split_whitespace().collect();
    if ws.iter().any(|w| PLURALS.contains(w)) && !PROJECT_WORD.is_match(text) {
        return false;
    }
    if PROJECT_CODE.is_match(text) {
        return true;
    }
    let project_word = PROJECT_WORD.is_match(text);
    let fund = FUND.is_match(text) && !FUND_WORD.is_match(text);
    if !(project_word || fund) {
        return false;
    }
    // What the heading says besides the project word and the fund.
    let rest: Vec<&&str> = ws
        .iter()
        .filter(|w| {
            !matches!(
                **w,
                "projet" | "project" | "projekt" | "amif" | "fami" | "isf" | "bmvi" | "fsi"
            ) && !w.chars().all(|c| c.is_ascii_digit())
        })
        .collect();
    !rest.is_empty() && !rest.iter().all(|w| ASPECT_WORDS.contains(w))
}

/// Texts of the paragraphs under `root` that are only bold text (headings
/// written as `<p><strong>Project ...</strong></p>`), whitespace removed.
fn bold_paragraphs(root: ElementRef<'_>) -> HashSet<String> {
    static PARAGRAPH: LazyLock<Selector> =
        LazyLock::new(|| Selector::parse("p").expect("paragraph selector is valid"));
    let mut out = HashSet::new();
    for p in root.select(&PARAGRAPH) {
        let mut any = false;
        let all_bold = p.descendants().all(|node| {
            let Node::Text(text) = node.value() else {
                return true;
            };
            if text.trim().is_empty() {
                return true;
            }
            any = true;
            node.ancestors()
                .take_while(|a| a.id() != p.id())
                .filter_map(ElementRef::wrap)
                .any(|e| matches!(e.value().name(), "b" | "strong"))
        });
        if any && all_bold {
            out.insert(squash(&p.text().collect::<String>()));
        }
    }
    out
}

/// Text without any whitespace, to compare lines built differently.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// One project's slot: its code (a `Code:` label, else a code in its heading
/// or text), else the period its heading ends with.
fn project_slot(heading: &str, texts: &[String]) -> Option<String> {
    let labelled = texts
        .iter()
        .find_map(|t| code_label(t))
        .or_else(|| code_label(heading));
    labelled
        .or_else(|| PROJECT_CODE.find(heading).map(|m| m.as_str().to_string()))
        .or_else(|| {
            texts
                .iter()
                .find_map(|t| PROJECT_CODE.find(t).map(|m| m.as_str().to_string()))
        })
        .or_else(|| {
            PERIOD
                .captures(heading)
                .map(|c| format!("{}-{}", &c["a"], &c["b"]))
        })
}

/// The projects of a funding page: one passage per section headed by a
/// project title. A page that is itself one project (its `Code:` outside
/// any such section, or a code in its `h1`) has none.
pub(crate) fn funding_projects(
    lines: &[Line],
    bold: &HashSet<String>,
    fallback_lang: Option<&str>,
) -> Vec<Passage> {
    let level = |l: &Line| -> Option<u8> {
        l.heading
            .or_else(|| bold.contains(&squash(&l.text)).then_some(BOLD_LEVEL))
    };
    let levels: Vec<Option<u8>> = lines.iter().map(level).collect();
    let end_of = |i: usize| -> usize {
        let own = levels[i].unwrap_or(BOLD_LEVEL);
        (i + 1..lines.len())
            .find(|&j| levels[j].is_some_and(|l| l <= own))
            .unwrap_or(lines.len())
    };
    let heads: Vec<usize> = (0..lines.len())
        .filter(|&i| levels[i].is_some_and(|l| l >= 2) && is_project_heading(&lines[i].plain()))
        .collect();
    // A heading over other project headings groups them.
    let sections: Vec<(usize, usize)> = heads
        .iter()
        .map(|&i| (i, end_of(i)))
        .filter(|&(i, end)| !heads.iter().any(|&h| h > i && h < end))
        .collect();

    let inside = |j: usize| sections.iter().any(|&(i, end)| j > i && j < end);
    let page_code = lines.iter().enumerate().any(|(j, l)| {
        let text = l.plain();
        (code_label(&text).is_some() && !inside(j)) || (l.heading == Some(1) && PROJECT_CODE.is_match(&text))
    });
    if page_code {
        return Vec::new();
    }

    let mut used = HashSet::new();
    sections
        .into_iter()
        .filter_map(|(i, end)| {
            let title = lines[i].plain();
            let texts: Vec<String> = lines[i + 1..end].iter().map(Line::plain).collect();
            if texts.is_empty() {
                return None;
            }
            let slot = project_slot(&title, &texts);
            let anchor = anchor(PassageKind::Project, &title, &mut used);
            Some(passage(
                PassageKind::Project,
                anchor,
                title,
                texts,
                fallback_lang,
                slot,
            ))
        })
        .collect()
}

/// The passages of an HTML page's main content (`root`, its `lines`): an
/// event page's programme sessions, else a funding page's projects.
pub(crate) fn html_passages(
    root: ElementRef<'_>,
    lines: &[Line],
    html_lang: Option<&str>,
    doc_type: DocType,
) -> Vec<Passage> {
    if doc_type == DocType::Listing {
        return Vec::new();
    }
    if doc_type == DocType::Event {
        let paragraphs: Vec<String> = lines.iter().map(Line::plain).collect();
        let sessions = programme_sessions(&paragraphs, html_lang);
        if !sessions.is_empty() {
            return sessions;
        }
    }
    funding_projects(lines, &bold_paragraphs(root), html_lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<String> {
        text.split("\n\n").map(str::to_string).collect()
    }

    fn summary(sessions: &[Passage]) -> Vec<(&str, Option<&str>, Option<&str>)> {
        sessions
            .iter()
            .map(|s| {
                (
                    s.title.as_str(),
                    s.slot.as_deref(),
                    s.languages.first().map(String::as_str),
                )
            })
            .collect()
    }

    #[test]
    fn slots_are_normalised() {
        for (line, want) in [
            ("10.45-11.45", "10.45-11.45"),
            ("(10.45-11.45)", "10.45-11.45"),
            ("12.00-13.00 et 14.15-15.15", "12.00-13.00, 14.15-15.15"),
            ("12.00-13.00 en 14.15-15.15", "12.00-13.00, 14.15-15.15"),
            ("14.15-15.15 and 15.30-16.30", "14.15-15.15, 15.30-16.30"),
            ("9:00 – 9:30 & 14:00-15:30", "09.00-09.30, 14.00-15.30"),
            ("9h00-10h30, 11h-12h", "09.00-10.30, 11.00-12.00"),
            ("9u30 - 10u15 + 13u-14u", "09.30-10.15, 13.00-14.00"),
            ("10.00-11.00 und 12.00-13.00", "10.00-11.00, 12.00-13.00"),
        ] {
            assert!(is_slot_line(line), "{line}");
            assert_eq!(normalise_slots(line).as_deref(), Some(want), "{line}");
        }
        for line in [
            "10.45-11.45 Welcome",
            "2024-2025",
            "9.00",
            "Lunch",
            "10.45-11.45 et le reste",
        ] {
            assert!(!is_slot_line(line), "{line}");
        }
        assert!(is_agenda_row("10.45-11.45\tMesures / Maatregelen"));
        assert!(is_agenda_row("9:00 Registration"));
        assert!(!is_agenda_row("10.45-11.45 et 14.15-15.15"));
    }

    #[test]
    fn anchors_are_slugs_capped_and_unique() {
        let mut used = HashSet::new();
        let title = "Un nouveau droit de séjour pour les apatrides en Belgique";
        assert_eq!(
            anchor(PassageKind::Session, title, &mut used),
            "session-un-nouveau-droit-de-sejour-pour-les-apatrides"
        );
        assert_eq!(
            anchor(PassageKind::Session, title, &mut used),
            "session-un-nouveau-droit-de-sejour-pour-les-apatrides-2"
        );
        assert_eq!(
            anchor(PassageKind::Session, "Mesures : l'accueil, Belgium's", &mut used),
            "session-mesures-laccueil-belgiums"
        );
        assert_eq!(anchor(PassageKind::Project, "—", &mut used), "project");
    }

    #[test]
    fn markers_and_closings() {
        assert_eq!(
            marker_language("Session bilingue (français-néerlandais)"),
            Some(Some("fr"))
        );
        assert_eq!(
            marker_language("Tweetalige sessie (Nederlands-Frans)"),
            Some(Some("nl"))
        );
        assert_eq!(marker_language("Presentations in English"), Some(Some("en")));
        assert_eq!(marker_language("(En anglais)"), Some(Some("en")));
        assert_eq!(
            marker_language("Cours de français pour adultes primo-arrivants"),
            None
        );
        assert_eq!(marker_language("Labour migration: critical reflection"), None);
        assert!(is_closing("We look forward to your participation !"));
        assert!(is_closing("Au plaisir de vous y retrouver."));
        assert!(is_closing("Meer informatie op onze website."));
        assert!(!is_closing(
            "In this session the Immigration Office presents its work."
        ));
    }

    /// French and Dutch versions with slots in parentheses on the title
    /// line, `:` and `h` times, agenda rows, chrome and a closing formula.
    const BILINGUAL: &str = "PROGRAMMA\n\n\
        9:00-9:30\tOnthaal\n\n\
        9:30-10:30\tLa réinstallation en 2023 / Hervestiging in 2023\n\n\
        Avec le soutien de\nl'Union européenne\n\n\
        La réinstallation en 2023 (9h30-10h30 et 11h00-12h00)\n\n\
        En 2023, la Belgique a accueilli des réfugiés réinstallés depuis le Liban et la Turquie. \
        Dans cette session, Madame Anne Peeters de Fedasil présentera le programme et ses résultats.\n\n\
        Séance bilingue\n\n\
        Avec le soutien de\nl'Union européenne\n\n\
        Hervestiging in 2023 (9:30-10:30 en 11:00-12:00)\n\n\
        In 2023 heeft België hervestigde vluchtelingen uit Libanon en Turkije opgevangen. \
        In deze sessie stelt Mevrouw Anne Peeters van Fedasil het programma en de resultaten ervan voor.\n\n\
        Wij kijken uit naar uw deelname!\n\n\
        Alle informatie staat op onze website.";

    #[test]
    fn bilingual_programme_in_another_layout() {
        let sessions = programme_sessions(&paras(BILINGUAL), None);
        assert_eq!(
            summary(&sessions),
            [
                (
                    "La réinstallation en 2023",
                    Some("09.30-10.30, 11.00-12.00"),
                    Some("fr")
                ),
                (
                    "Hervestiging in 2023",
                    Some("09.30-10.30, 11.00-12.00"),
                    Some("nl")
                ),
            ]
        );
        assert_eq!(sessions[0].anchor, "session-la-reinstallation-en-2023");
        assert_eq!(
            sessions[0].translation_key.as_deref(),
            Some("session-la-reinstallation-en-2023")
        );
        assert_eq!(sessions[1].translation_key, sessions[0].translation_key);
        for s in &sessions {
            assert_eq!(s.blocks.len(), 1, "{:?}", s.blocks);
            let text = &s.blocks[0].text;
            for junk in ["soutien", "Union", "bilingue", "kijken", "informatie"] {
                assert!(!text.contains(junk), "{junk} in {text}");
            }
            assert_eq!(s.organisations, ["Fedasil"]);
            assert!(s.themes.is_empty() && s.date.is_none() && s.doc_type.is_none());
        }
    }

    #[test]
    fn english_only_programme_has_no_translation_keys() {
        let text = "Programme\n\n\
            Opening of the conference\n10:00 - 10:30\n\n\
            The chair of the EMN Steering Board opens the conference and presents the agenda of the day.\n\n\
            Integration of beneficiaries of protection\n10:30 - 12:00\n\n\
            Speakers from Myria and the OECD discuss the labour market integration of refugees \
            in Belgium and the Netherlands.\n\n\
            Presentations in English\n\n\
            Return and reintegration\n\n\
            10:30 - 12:00\n\n\
            The International Organization for Migration presents its assisted voluntary return programme.\n\n\
            See you in Brussels!";
        let sessions = programme_sessions(&paras(text), None);
        assert_eq!(
            summary(&sessions),
            [
                ("Opening of the conference", Some("10.00-10.30"), Some("en")),
                (
                    "Integration of beneficiaries of protection",
                    Some("10.30-12.00"),
                    Some("en")
                ),
                ("Return and reintegration", Some("10.30-12.00"), Some("en")),
            ]
        );
        assert!(sessions.iter().all(|s| s.translation_key.is_none()));
        assert!(sessions[2].blocks.iter().all(|b| !b.text.contains("Brussels")));
        assert_eq!(sessions[1].organisations, ["Myria", "OECD"]);
    }

    #[test]
    fn agenda_rows_and_cover_are_not_sessions() {
        // Cover and agenda only: a title over a slot whose "body" is the agenda.
        let text = "POLICY EVENT\n9.00-17.00\n\nPROGRAMME\n\n\
            9.00-9.30\tRegistration\n\n\
            9.30-10.30\tWelcome and keynote speech\n\n\
            Lunch\n\n13.00-14.00\n\n\
            14.00-15.00\tPanel on return policy";
        assert!(programme_sessions(&paras(text), None).is_empty());
    }

    #[test]
    fn sessions_glued_without_blank_lines() {
        let text = "Un nouveau droit de séjour pour les apatrides\n10.45-11.45\n\
            Le 22 février 2024, la Chambre a adopté un projet de loi sur le séjour des apatrides, présenté avec le UNHCR.\n\
            Session bilingue (français-néerlandais)\n\
            Een nieuw verblijfsrecht voor staatlozen\n10.45-11.45\n\
            Op 22 februari 2024 keurde de Kamer een wetsontwerp goed over het verblijf van staatlozen, toegelicht met UNHCR.\n\
            Tweetalige sessie (Nederlands-Frans)";
        let sessions = programme_sessions(&[text], None);
        assert_eq!(
            summary(&sessions),
            [
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
            ]
        );
        assert!(sessions[0].blocks[0].text.contains("apatrides"));
        assert!(!sessions[0].blocks.iter().any(|b| b.text.contains("bilingue")));
        assert!(sessions[1].blocks[0].text.contains("staatlozen"));
        assert!(sessions[0].translation_key.is_some());
        assert_eq!(sessions[0].translation_key, sessions[1].translation_key);
    }

    #[test]
    fn the_events_day_over_its_hours_is_no_session() {
        let text = "When ?\n\nThursday, 18 April 2024\n\n9.00-17.00\n\nWhere ?\n\nPacheco Centre, Brussels\n\n\
            Policy event on the Annual Report on Migration and Asylum, with parallel sessions in French and Dutch.";
        assert!(programme_sessions(&paras(text), None).is_empty());
    }

    #[test]
    fn adjacent_parallel_sessions_are_not_versions_without_shared_names() {
        let text = "Le retour volontaire\n\n14.00-15.00\n\n\
            Dans cette session, Caritas et Fedasil présentent leur programme de retour volontaire vers la Guinée.\n\n\
            Kinderen in de opvang\n\n14.00-15.00\n\n\
            In deze sessie stelt Myria het rapport over kinderen in de opvang in Vlaanderen voor.";
        let sessions = programme_sessions(&paras(text), None);
        assert_eq!(sessions.len(), 2);
        assert!(sessions.iter().all(|s| s.translation_key.is_none()));
    }

    #[test]
    fn title_and_slot_in_one_paragraph_with_the_body_glued() {
        let text = "Les défis de l'accueil en 2024\n(14h15-15h15)\nLe directeur de Fedasil présente les défis \
            auxquels l'agence fait face en 2024 et les réponses envisagées.";
        let sessions = programme_sessions(&paras(text), None);
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0].slot.as_deref(), Some("14.15-15.15"));
        assert!(sessions[0].blocks[0].text.starts_with("Le directeur"));
        assert_eq!(sessions[0].languages, ["fr"]);
    }

    fn line(text: &str, heading: Option<u8>) -> Line {
        Line {
            text: text.to_string(),
            heading,
            ..Line::default()
        }
    }

    #[test]
    fn project_headings() {
        for yes in [
            "Projet AMIF Accueil 2024-2025",
            "Projet AMIF Retour Volontaire 2024-2025",
            "AMIF-project Opvang",
            "Project AMIF-046-078",
            "AMIF Hervestiging 2022-2023",
            "ISF-project Grensbewaking",
        ] {
            assert!(is_project_heading(yes), "{yes}");
        }
        for no in [
            "2021-2027 : Fonds Asile, Migration et Intégration",
            "Actions spécifiquement menées par Fedasil",
            "Project objectives",
            "Over het project",
            "Projets AMIF",
            "Fonds AMIF 2021-2027",
        ] {
            assert!(!is_project_heading(no), "{no}");
        }
    }

    #[test]
    fn project_sections_bold_headings_and_slots() {
        let lines = vec![
            line("European funds", Some(1)),
            line(
                "Fedasil carries out projects funded by the Asylum, Migration and Integration Fund.",
                None,
            ),
            line("Project Reception 2024-2025", None),
            line(
                "The project strengthens the reception network and the support of residents.",
                None,
            ),
            line("Project Resettlement", None),
            line("Code: AMIF-101-202", None),
            line(
                "The project implements the Belgian resettlement programme with UNHCR.",
                None,
            ),
            line("Contact", Some(2)),
            line("info@fedasil.be", None),
        ];
        let bold: HashSet<String> = ["Project Reception 2024-2025", "Project Resettlement"]
            .iter()
            .map(|t| squash(t))
            .collect();
        let projects = funding_projects(&lines, &bold, Some("en"));
        let got: Vec<(&str, &str, Option<&str>, usize)> = projects
            .iter()
            .map(|p| {
                (
                    p.title.as_str(),
                    p.anchor.as_str(),
                    p.slot.as_deref(),
                    p.blocks.len(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "Project Reception 2024-2025",
                    "project-project-reception-2024-2025",
                    Some("2024-2025"),
                    1
                ),
                (
                    "Project Resettlement",
                    "project-project-resettlement",
                    Some("AMIF-101-202"),
                    2
                ),
            ]
        );
        assert_eq!(projects[1].organisations, ["UNHCR"]);
        assert!(
            projects
                .iter()
                .all(|p| p.kind == PassageKind::Project && p.languages == ["en"])
        );
    }

    #[test]
    fn a_page_that_is_one_project_has_no_project_passages() {
        let lines = vec![
            line("AMIF-046-078 Circular migration", Some(1)),
            line("Code: AMIF-046-078", None),
            line("Project partners", Some(2)),
            line("Enabel and the Immigration Office.", None),
        ];
        assert!(funding_projects(&lines, &HashSet::new(), None).is_empty());
        let lines = vec![
            line("Circular migration", Some(1)),
            line("Code: AMIF-046-078", None),
            line("Project AMIF Circular migration", Some(2)),
            line("Enabel and the Immigration Office run the project.", None),
        ];
        assert!(funding_projects(&lines, &HashSet::new(), None).is_empty());
    }
}
