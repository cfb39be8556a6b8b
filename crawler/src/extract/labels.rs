//! Labelled fields in a page's text: `Publication date:`, `Main theme:`,
//! `Keywords:`, `When ?`, `Code:`...
//!
//! The sites print metadata as "label, value" in many shapes: on one line
//! (`Main Theme: Asylum`), glued (`When17 March 2021`, `Main Theme:Asylum`),
//! or with the value on the following lines (a `<dt>`/`<dd>` pair, a list of
//! links). Labels are matched case-insensitively in English, Dutch and French.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use super::text::Line;
use crate::{dates, themes};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Date,
    When,
    Where,
    Theme,
    Keywords,
    PublicationType,
    Code,
    Duration,
    Budget,
}

impl Kind {
    /// Metadata lines that are dropped from the main text once read.
    fn is_metadata(self) -> bool {
        matches!(
            self,
            Kind::Date | Kind::Theme | Kind::Keywords | Kind::PublicationType
        )
    }
}

const LABELS: &[(&str, Kind)] = &[
    ("publication date", Kind::Date),
    ("date of publication", Kind::Date),
    ("date de publication", Kind::Date),
    ("publicatiedatum", Kind::Date),
    ("datum van publicatie", Kind::Date),
    ("date", Kind::Date),
    ("datum", Kind::Date),
    ("when", Kind::When),
    ("quand", Kind::When),
    ("wanneer", Kind::When),
    ("where", Kind::Where),
    ("où", Kind::Where),
    ("waar", Kind::Where),
    ("main theme", Kind::Theme),
    ("main themes", Kind::Theme),
    ("hoofdthema", Kind::Theme),
    ("hoofdthema's", Kind::Theme),
    ("thème principal", Kind::Theme),
    ("theme principal", Kind::Theme),
    ("keywords", Kind::Keywords),
    ("trefwoorden", Kind::Keywords),
    ("mots-clés", Kind::Keywords),
    ("mots clés", Kind::Keywords),
    ("mots-cles", Kind::Keywords),
    ("publication type", Kind::PublicationType),
    ("type de publication", Kind::PublicationType),
    ("publicatietype", Kind::PublicationType),
    ("code", Kind::Code),
    ("project duration", Kind::Duration),
    ("durée du projet", Kind::Duration),
    ("projectduur", Kind::Duration),
    ("looptijd", Kind::Duration),
    ("budget", Kind::Budget),
];

fn alternation() -> String {
    let mut names: Vec<&str> = LABELS.iter().map(|(n, _)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names
        .iter()
        .map(|n| regex::escape(n).replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|")
}

/// A label at the start of a line.
static LEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)^(?:{})", alternation())).expect("label regex is valid"));

/// A `Label:` further into a line (`... 01 July 2021 Main theme: Asylum`).
static INNER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b(?:{})\s*:", alternation())).expect("label regex is valid"));

/// Project codes such as `AMIF-046-078`.
static CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z]{2,}[A-Z0-9]*(?:[-/.][A-Z0-9]+)+$").expect("code regex is valid"));

fn kind_of(label: &str) -> Option<Kind> {
    let label = label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    LABELS.iter().find(|(n, _)| *n == label).map(|(_, k)| *k)
}

/// What the labels of a page say.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Labels {
    /// First labelled date (`Publication date`, `Date`, `When`...).
    pub date: Option<NaiveDate>,
    /// A `When` label with a date was seen.
    pub has_when: bool,
    /// A `Where` label with a value was seen.
    pub has_where: bool,
    pub themes: Vec<String>,
    pub keywords: Vec<String>,
    /// Values of `Publication Type:` labels.
    pub publication_types: Vec<String>,
    /// Start of a `Project duration:` range.
    pub duration_start: Option<NaiveDate>,
    /// Project codes (`Code: AMIF-046-078`).
    pub codes: Vec<String>,
    /// Indices of the lines that only carried metadata.
    pub metadata_lines: Vec<usize>,
}

/// One label found on a line, with its value on that line (possibly empty).
struct Found {
    kind: Kind,
    value: String,
    /// Whether the line holds nothing but this label.
    bare: bool,
}

/// How a label may be followed on its own line; `None` if it is prose.
fn value_after(kind: Kind, label: &str, rest: &str) -> Option<(String, bool)> {
    let trimmed = rest.trim_start();
    if trimmed.is_empty() {
        return Some((String::new(), true));
    }
    if let Some(v) = trimmed.strip_prefix([':', '?', '：']) {
        let v = v.trim_start_matches([':', '?', ' ', '\t']).trim();
        return Some((v.to_string(), v.is_empty()));
    }
    let first = rest.chars().next()?;
    let glued = rest.len() == trimmed.len();
    let label_ends_lower = label.chars().last().is_some_and(char::is_lowercase);
    let acceptable = if first == '\t' {
        // A table row: label cell, value cell.
        true
    } else if glued {
        first.is_ascii_digit() || (label_ends_lower && first.is_uppercase())
    } else {
        // "Label value" with only a space: only dates are recognisable enough.
        matches!(kind, Kind::Date | Kind::When | Kind::Duration)
    };
    if !acceptable {
        return None;
    }
    if matches!(kind, Kind::Date | Kind::When) {
        // The value must start with the date (a weekday may come first):
        // "Date limite ..." or "When the ..." are prose.
        let (_, range) = dates::find_dates(trimmed).into_iter().next()?;
        if range.start > 12 {
            return None;
        }
    }
    Some((trimmed.trim().to_string(), false))
}

fn labels_on(line: &str) -> Vec<Found> {
    let mut found = Vec::new();
    if let Some(m) = LEADING.find(line)
        && let Some(kind) = kind_of(m.as_str())
        && let Some((value, bare)) = value_after(kind, m.as_str(), &line[m.end()..])
    {
        // The value ends where another `Label:` starts.
        let cut = INNER.find(&value).map_or(value.len(), |n| n.start());
        let (own, more) = value.split_at(cut);
        found.push(Found {
            kind,
            value: own.trim().to_string(),
            bare,
        });
        found.extend(labels_on(more));
        return found;
    }
    if line.len() > 300 {
        return found;
    }
    if let Some(m) = INNER.find(line)
        && m.start() > 0
    {
        found.extend(labels_on(&line[m.start()..]));
    }
    found
}

fn is_label_line(line: &Line) -> bool {
    !labels_on(&line.text).is_empty()
}

/// Comma-separated values, or the link texts when the values are links.
fn values(value: &str, line: &Line) -> Vec<String> {
    let linked: Vec<String> = line
        .links
        .iter()
        .filter(|(text, _)| value.contains(text.as_str()))
        .map(|(text, _)| text.clone())
        .collect();
    if !linked.is_empty() {
        return linked;
    }
    value
        .split([',', ';'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
        .collect()
}

/// Shape of a link target: number of path segments and the first one.
/// Values of one field link to pages of one kind (`/keywords/a`, `/keywords/b`).
fn href_shape(href: &str) -> (usize, String) {
    let path = href.split(['?', '#']).next().unwrap_or("");
    let path = path
        .split_once("://")
        .map_or(path, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    (
        segs.len(),
        if segs.len() > 1 {
            segs[0].to_lowercase()
        } else {
            String::new()
        },
    )
}

/// Lines after a bare label that hold its values: link-only lines pointing
/// to pages of the same kind, or one short line that reads like a list
/// rather than a sentence.
fn following_values(lines: &[Line], start: usize) -> (Vec<String>, Vec<usize>) {
    let mut out = Vec::new();
    let mut used = Vec::new();
    let mut shape = None;
    for (i, line) in lines.iter().enumerate().skip(start).take(12) {
        if line.heading.is_some()
            || is_label_line(line)
            || line.text.chars().count() > 80
            || line.text.trim_end().ends_with(['.', '!', '?'])
            || dates::parse_date(&line.text).is_some()
        {
            break;
        }
        let link_only = !line.links.is_empty() && {
            let linked: usize = line.links.iter().map(|(t, _)| t.len()).sum();
            linked * 2 >= line.text.len()
        };
        if link_only {
            let this = href_shape(&line.links[0].1);
            if shape.get_or_insert_with(|| this.clone()) != &this {
                break;
            }
        } else if !used.is_empty() {
            break;
        }
        out.extend(values(&line.text, line));
        used.push(i);
        if !link_only {
            break;
        }
    }
    (out, used)
}

fn push_unique(list: &mut Vec<String>, items: impl IntoIterator<Item = String>) {
    for item in items {
        if !list.iter().any(|x| x.eq_ignore_ascii_case(&item)) {
            list.push(item);
        }
    }
}

/// Reads every label of `lines`.
pub(crate) fn parse(lines: &[Line]) -> Labels {
    let mut labels = Labels::default();
    for (i, line) in lines.iter().enumerate() {
        for found in labels_on(&line.text) {
            let mut used = vec![i];
            let kind = found.kind;
            match kind {
                Kind::Date | Kind::When | Kind::Duration | Kind::Where | Kind::Code => {
                    // A bare label takes the next line as its value.
                    let (value, next) = if found.bare {
                        match lines.get(i + 1) {
                            Some(next) if next.text.chars().count() <= 120 && !is_label_line(next) => {
                                (next.plain(), Some(i + 1))
                            }
                            _ => (String::new(), None),
                        }
                    } else {
                        (found.value.clone(), None)
                    };
                    used.extend(next);
                    read_single(&mut labels, kind, &value);
                }
                Kind::Theme | Kind::Keywords | Kind::PublicationType => {
                    let vals = if found.bare {
                        let (vals, more) = following_values(lines, i + 1);
                        used.extend(more);
                        vals
                    } else {
                        values(&found.value, line)
                    };
                    match kind {
                        Kind::Theme => {
                            let canonical = vals.iter().filter_map(|v| themes::canonical_theme(v));
                            push_unique(&mut labels.themes, canonical);
                        }
                        Kind::Keywords => push_unique(&mut labels.keywords, vals),
                        _ => push_unique(&mut labels.publication_types, vals),
                    }
                }
                Kind::Budget => {}
            }
            if kind.is_metadata() {
                labels.metadata_lines.extend(used);
            }
        }
    }
    labels.metadata_lines.sort_unstable();
    labels.metadata_lines.dedup();
    labels
}

fn read_single(labels: &mut Labels, kind: Kind, value: &str) {
    match kind {
        Kind::Date | Kind::When => {
            let date = dates::parse_date(value);
            if kind == Kind::When && date.is_some() {
                labels.has_when = true;
            }
            labels.date = labels.date.or(date);
        }
        Kind::Where => labels.has_where |= !value.trim().is_empty() && value.len() <= 200,
        Kind::Duration => {
            let start = dates::parse_date_range(value)
                .map(|(s, _)| s)
                .or_else(|| dates::parse_date(value));
            labels.duration_start = labels.duration_start.or(start);
        }
        Kind::Code => {
            if let Some(code) = value.split_whitespace().next().filter(|c| CODE.is_match(c)) {
                push_unique(&mut labels.codes, [code.to_string()]);
            }
        }
        _ => {}
    }
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

    fn linked(text: &str, links: &[&str]) -> Line {
        let links = links.iter().map(|l| (l.to_string(), format!("/{l}"))).collect();
        Line {
            text: text.to_string(),
            links,
            heading: None,
        }
    }

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn inline_and_glued_labels() {
        let l = parse(&[
            line("When17 March 2021"),
            line("Main Theme:Asylum"),
            line("Keywords: video, policy paper"),
            line("Publication Type: Study"),
        ]);
        assert_eq!(l.date, d(2021, 3, 17));
        assert!(l.has_when);
        assert_eq!(l.themes, ["Asylum"]);
        assert_eq!(l.keywords, ["video", "policy paper"]);
        assert_eq!(l.publication_types, ["Study"]);
        assert_eq!(l.metadata_lines, [1, 2, 3]);
    }

    #[test]
    fn labels_in_several_languages_and_cases() {
        let l = parse(&[
            line("PUBLICATION DATE: Fri 25 Oct 2013"),
            line("Hoofdthema: Migratie, Internationale bescherming"),
        ]);
        assert_eq!(l.date, d(2013, 10, 25));
        assert_eq!(l.themes, ["Migration", "International Protection"]);
        let l = parse(&[
            line("Publicatiedatum: 22 maart 2021"),
            line("Trefwoorden: terugkeer"),
        ]);
        assert_eq!(l.date, d(2021, 3, 22));
        assert_eq!(l.keywords, ["terugkeer"]);
        let l = parse(&[
            line("Date de publication : 10 février 2022"),
            line("Mots-clés : asile"),
        ]);
        assert_eq!(l.date, d(2022, 2, 10));
        assert_eq!(l.keywords, ["asile"]);
    }

    #[test]
    fn values_on_following_lines() {
        let l = parse(&[
            line("When ?"),
            line("Wednesday, 26 April 2017"),
            line("08:30 to 12:45"),
            line("Where ?"),
            line("Résidence Palace"),
            line("Main Theme:"),
            linked("Cross-sectional", &["Cross-sectional"]),
            linked("Asylum", &["Asylum"]),
            line("Keywords"),
            Line {
                text: "Eastern Europe".into(),
                links: vec![("Eastern Europe".into(), "/keywords/ee".into())],
                heading: None,
            },
            Line {
                text: "Read more".into(),
                links: vec![("Read more".into(), "/news/x".into())],
                heading: None,
            },
            line("Some body text that follows and is a sentence."),
        ]);
        assert_eq!(l.date, d(2017, 4, 26));
        assert!(l.has_when && l.has_where);
        assert_eq!(l.themes, ["Cross-sectional", "Asylum"]);
        assert_eq!(l.keywords, ["Eastern Europe"]);
        assert_eq!(l.metadata_lines, [5, 6, 7, 8, 9]);
    }

    #[test]
    fn empty_labels_and_prose_are_ignored() {
        let l = parse(&[
            line("Publication date:"),
            line("Main theme:"),
            line("When the committee met, the date was not yet known."),
            line("Where applicable, codes of conduct apply."),
            line("Date limite non communiquée"),
        ]);
        assert_eq!(
            l,
            Labels {
                metadata_lines: vec![0, 1],
                ..Labels::default()
            }
        );
    }

    #[test]
    fn several_labels_on_one_line() {
        let l = parse(&[linked(
            "Publication date: 01 July 2021 Main theme: Asylum, Migration",
            &[],
        )]);
        assert_eq!(l.date, d(2021, 7, 1));
        assert_eq!(l.themes, ["Asylum", "Migration"]);
    }

    #[test]
    fn immigration_office_project_fields() {
        let l = parse(&[
            line("Code: AMIF-046-078"),
            line("Project duration:01/01/2022 -31/12/2024"),
            line("Budget: € 1,146,889.91 (€ 860,167.43 by AMIF & € 286,722.48 by the national budget)"),
            line("Code of conduct for staff"),
        ]);
        assert_eq!(l.codes, ["AMIF-046-078"]);
        assert_eq!(l.duration_start, d(2022, 1, 1));
        assert_eq!(l.date, None);
    }

    #[test]
    fn table_row_label() {
        let l = parse(&[line("Publication date\t13/04/2018"), line("Keywords\treturn")]);
        assert_eq!(l.date, d(2018, 4, 13));
        assert_eq!(l.keywords, ["return"]);
    }
}
