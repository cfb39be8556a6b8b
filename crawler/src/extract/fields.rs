//! Rules that choose a page's title, date and type from what was extracted.
//!
//! Kept apart from the HTML walking so each rule is a small pure function
//! over lines, labels and the URL, testable on its own.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use url::Url;

use super::labels::Labels;
use super::text::Line;
use crate::dates;
use crate::document::DocType;

/// Site names that end `<title>`s (`... | EMN Belgium`, `... - Fedasil`).
const SITE_NAMES: &[&str] = &[
    "emn belgium",
    "emn",
    "fedasil",
    "media4cohesion",
    "belga",
    "office des étrangers",
    "office des etrangers",
    "dienst vreemdelingenzaken",
    "immigration office",
    "dofi",
    "ibz",
];

/// Removes a trailing site name from a `<title>`.
pub(crate) fn strip_site_suffix(title: &str, site_name: Option<&str>) -> String {
    let title = title.trim();
    for sep in [" | ", " - ", " – ", " — ", " :: "] {
        if let Some((head, tail)) = title.rsplit_once(sep) {
            let tail_l = tail.trim().to_lowercase();
            let known = SITE_NAMES.contains(&tail_l.as_str())
                || site_name.is_some_and(|s| s.trim().eq_ignore_ascii_case(tail.trim()));
            // After a pipe, a short tail is a site name whatever it says.
            let pipe_tail = sep == " | " && tail.split_whitespace().count() <= 4;
            if (known || pipe_tail) && !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// Cuts a label that leaked into a title (`Title Publication date: ...`).
pub(crate) fn clean_title(title: &str) -> String {
    static LEAK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\s*(?:publication date|date de publication|publicatiedatum|main theme|hoofdthema|keywords|trefwoorden|mots-clés|publication type)\s*:.*$",
        )
        .expect("leak regex is valid")
    });
    let cut = LEAK.replace(title, "");
    cut.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// First sentence of the first body line, for pages without any title.
pub(crate) fn first_sentence(lines: &[Line], skip: &[usize]) -> Option<String> {
    let line = lines
        .iter()
        .enumerate()
        .find(|(i, l)| !skip.contains(i) && date_only(&l.text).is_none() && l.text.chars().count() >= 8)?
        .1;
    let text = line.plain();
    let end = text
        .char_indices()
        .find(|&(i, c)| matches!(c, '.' | '?' | '!') && text[i + c.len_utf8()..].starts_with(' '))
        .map_or(text.len(), |(i, c)| i + c.len_utf8());
    let sentence = &text[..end];
    let sentence: String = sentence.chars().take(200).collect();
    Some(sentence.trim().to_string())
}

/// The date of a line that shows nothing but a date (with weekday, time or
/// `om`/`at` words around it): `10 February 2022`, `17/12/2025 08:00`.
pub(crate) fn date_only(line: &str) -> Option<NaiveDate> {
    static TIME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b\d{1,2}(?:[:.hu]\d{2}|u|h)\b").expect("time regex is valid"));
    const FILLER: &[&str] = &[
        "mon",
        "monday",
        "tue",
        "tues",
        "tuesday",
        "wed",
        "wednesday",
        "thu",
        "thur",
        "thurs",
        "thursday",
        "fri",
        "friday",
        "sat",
        "saturday",
        "sun",
        "sunday",
        "lun",
        "lundi",
        "mar",
        "mardi",
        "mer",
        "mercredi",
        "jeu",
        "jeudi",
        "ven",
        "vendredi",
        "sam",
        "samedi",
        "dim",
        "dimanche",
        "ma",
        "maandag",
        "di",
        "dinsdag",
        "wo",
        "woensdag",
        "do",
        "donderdag",
        "vr",
        "vrijdag",
        "za",
        "zaterdag",
        "zo",
        "zondag",
        "at",
        "from",
        "to",
        "à",
        "de",
        "du",
        "au",
        "om",
        "van",
        "tot",
        "le",
        "on",
        "op",
        "cet",
        "cest",
        "utc",
        "am",
        "pm",
    ];
    if line.chars().count() > 80 {
        return None;
    }
    let found = dates::find_dates(line);
    let (first, _) = found.first()?.clone();
    let mut rest = String::new();
    let mut last = 0;
    for (_, range) in &found {
        rest.push_str(line.get(last..range.start)?);
        rest.push(' ');
        last = range.end;
    }
    rest.push_str(line.get(last..)?);
    let rest = TIME.replace_all(&rest, " ");
    let leftover = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| !FILLER.contains(&w.to_lowercase().as_str()));
    (!leftover).then_some(first)
}

/// Date lines right under the title (a date, maybe followed by a line with
/// only a time): scanned from the top of the main text until the first body
/// paragraph. Their indices, so they can leave the text.
pub(crate) fn top_date_lines(lines: &[Line], skip: &[usize]) -> Vec<usize> {
    static TIME_ONLY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\d{1,2}[:.hu]\d{2}(?:\s*[-–]\s*\d{1,2}[:.hu]\d{2})?$").expect("valid")
    });
    let mut found: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        if date_only(&line.text).is_some() {
            found.push(i);
            continue;
        }
        if found.last() == Some(&(i.wrapping_sub(1))) && TIME_ONLY.is_match(line.text.trim()) {
            found.push(i);
            continue;
        }
        let words = line.text.split_whitespace().count();
        if line.heading.is_none() && (words >= 12 || line.text.len() >= 100) {
            break;
        }
    }
    found
}

/// The first of [`top_date_lines`].
pub(crate) fn top_date(lines: &[Line], skip: &[usize]) -> Option<NaiveDate> {
    let first = *top_date_lines(lines, skip).first()?;
    date_only(&lines.get(first)?.text)
}

/// Whether the text reads like an event programme: a `Programme` heading
/// and several time slots.
pub(crate) fn looks_like_programme(text: &str) -> bool {
    static HEADING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)\b(?:PROGRAMME|PROGRAMMA|Programme|Programma|Program)\b").expect("valid")
    });
    static SLOT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b\d{1,2}[.:h]\d{2}\s*[-–]\s*\d{1,2}[.:h]\d{2}\b").expect("slot regex is valid")
    });
    HEADING.is_match(text) && SLOT.find_iter(text).count() >= 2
}

fn segments(url: &Url) -> Vec<String> {
    url.path_segments()
        .map(|s| s.filter(|x| !x.is_empty()).map(str::to_lowercase).collect())
        .unwrap_or_default()
}

/// The segment `name` followed by at least one more (an item, not a listing).
fn has_item_under(segs: &[String], names: &[&str]) -> bool {
    segs.iter()
        .enumerate()
        .any(|(i, s)| names.contains(&s.as_str()) && i + 1 < segs.len())
}

/// What the page is, from the source, the URL and the labels.
pub(crate) fn doc_type(url: &Url, source: &str, labels: &Labels, text: &str) -> DocType {
    let segs = segments(url);
    let host = url.host_str().unwrap_or("").to_lowercase();
    let m4c = source == "media4cohesion" || host.contains("media4cohesion");
    // The listing of releases is not a release.
    if has_item_under(&segs, &["press-releases"])
        || (m4c && segs.last().is_some_and(|s| s != "press-releases"))
    {
        return DocType::PressRelease;
    }
    let amif_fedasil = [
        "fonds-europeens",
        "europese-fondsen",
        "european-funds",
        "financiering",
    ];
    if has_item_under(&segs, &["projects-funded-eu"])
        || segs.iter().any(|s| amif_fedasil.contains(&s.as_str()))
        || (!labels.codes.is_empty() && labels.duration_start.is_some())
    {
        return DocType::Project;
    }
    if labels.has_when || labels.has_where || looks_like_programme(text) {
        return DocType::Event;
    }
    if has_item_under(
        &segs,
        &["publication", "publicatie", "publications", "publicaties"],
    ) || labels.publication_types.len() == 1
    {
        return DocType::Publication;
    }
    if has_item_under(
        &segs,
        &["news", "nieuws", "actualites", "actualités", "actualite"],
    ) {
        return DocType::News;
    }
    DocType::Page
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Line {
        Line {
            text: text.to_string(),
            ..Line::default()
        }
    }

    #[test]
    fn site_suffixes() {
        assert_eq!(
            strip_site_suffix("Annual report | EMN Belgium", None),
            "Annual report"
        );
        assert_eq!(
            strip_site_suffix("Fonds européens - Fedasil", None),
            "Fonds européens"
        );
        assert_eq!(
            strip_site_suffix("Asile - migration - Fedasil", None),
            "Asile - migration"
        );
        assert_eq!(
            strip_site_suffix("Journée - La Belgique clôture", None),
            "Journée - La Belgique clôture"
        );
        assert_eq!(strip_site_suffix("Title – My Site", Some("My Site")), "Title");
    }

    #[test]
    fn date_only_lines() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(date_only("10 February 2022"), d(2022, 2, 10));
        assert_eq!(date_only("17/12/2025 08:00"), d(2025, 12, 17));
        assert_eq!(date_only("Fri 25 Oct 2013"), d(2013, 10, 25));
        assert_eq!(date_only("Thursday, 18 April 2024 9.00-17.00"), d(2024, 4, 18));
        assert_eq!(date_only("vr 01 mrt 2013 om 9u30"), d(2013, 3, 1));
        assert_eq!(date_only("On 10 June 2021, FRA published"), None);
        assert_eq!(date_only("No date"), None);
    }

    #[test]
    fn top_date_stops_at_the_body() {
        let lines = [
            line("Title"),
            line("On 10 June 2021, FRA published its fundamental rights report that takes stock of things."),
            line("15 June 2021"),
        ];
        assert_eq!(top_date(&lines, &[0]), None);
        let lines = [line("Title"), line("17/12/2025"), line("08:00"), line("Body")];
        assert_eq!(top_date(&lines, &[0]), NaiveDate::from_ymd_opt(2025, 12, 17));
        assert_eq!(top_date_lines(&lines, &[0]), [1, 2]);
    }

    #[test]
    fn types_from_urls_and_labels() {
        let t =
            |u: &str, source: &str, labels: &Labels| doc_type(&Url::parse(u).unwrap(), source, labels, "");
        let none = Labels::default();
        assert_eq!(
            t(
                "https://media4cohesion.belgashare.be/fr/press-releases/14498",
                "media4cohesion",
                &none
            ),
            DocType::PressRelease
        );
        assert_eq!(
            t(
                "https://media4cohesion.belgashare.be/fr/press-releases",
                "media4cohesion",
                &none
            ),
            DocType::Page
        );
        assert_eq!(
            t(
                "https://dofi.ibz.be/en/documentation/projects-funded-eu/amif-046-078-x",
                "immigration-office",
                &none
            ),
            DocType::Project
        );
        assert_eq!(
            t(
                "https://fedasil.be/fr/international/fonds-europeens",
                "fedasil",
                &none
            ),
            DocType::Project
        );
        assert_eq!(
            t("https://emnbelgium.be/nl/publication/x", "emn-belgium", &none),
            DocType::Publication
        );
        assert_eq!(
            t("https://emnbelgium.be/nl/nieuws/x", "emn-belgium", &none),
            DocType::News
        );
        assert_eq!(
            t("https://fedasil.be/fr/actualites/accueil/x", "fedasil", &none),
            DocType::News
        );
        assert_eq!(
            t("https://emnbelgium.be/news?page=0", "emn-belgium", &none),
            DocType::Page
        );
        let when = Labels {
            has_when: true,
            ..Labels::default()
        };
        assert_eq!(
            t("https://emnbelgium.be/news/x", "emn-belgium", &when),
            DocType::Event
        );
        let typed = Labels {
            publication_types: vec!["Study".into()],
            ..Labels::default()
        };
        assert_eq!(
            t("https://emnbelgium.be/node/1", "emn-belgium", &typed),
            DocType::Publication
        );
    }

    #[test]
    fn programme_detection() {
        assert!(looks_like_programme(
            "PROGRAMME (morning)\n9.00-9.30 Registration\n9.30-10.30 Welcome"
        ));
        assert!(!looks_like_programme("The programme opens at 9.00."));
    }

    #[test]
    fn titles_lose_labels() {
        assert_eq!(
            clean_title("Annual report  Publication date: 01 July 2021"),
            "Annual report"
        );
        let lines = [
            line("Main Theme: Asylum"),
            line("First sentence here. Second one."),
        ];
        assert_eq!(
            first_sentence(&lines, &[0]).as_deref(),
            Some("First sentence here.")
        );
    }
}
