//! Date parsing for the formats the sources print (see `SOURCES.md`).
//!
//! One regex finds dates inside running text, so label values, listing lines
//! and PDF covers share the same rules: numeric dates are day-first, month
//! names are English, French, Dutch or German (full or abbreviated, any case,
//! accents optional), weekday prefixes are simply skipped. Nothing here ever
//! falls back to today's date: no date found means `None`.

use std::ops::Range;
use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::{Captures, Regex};

/// Month names and abbreviations, written with their accents; the regex also
/// accepts the unaccented spelling and lookups fold accents first.
const MONTHS: &[(&str, u32)] = &[
    // English
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
    // French
    ("janvier", 1),
    ("janv", 1),
    ("février", 2),
    ("févr", 2),
    ("fév", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juil", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("déc", 12),
    // Dutch
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mrt", 3),
    ("mei", 5),
    ("juni", 6),
    ("juli", 7),
    ("augustus", 8),
    ("oktober", 10),
    ("okt", 10),
    // German
    ("januar", 1),
    ("jänner", 1),
    ("jän", 1),
    ("februar", 2),
    ("märz", 3),
    ("maerz", 3),
    ("dezember", 12),
    ("dez", 12),
];

/// Strips the accents that occur in the month names above and lowercases.
fn fold_month(word: &str) -> String {
    word.trim_end_matches('.')
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'é' | 'è' | 'ê' => 'e',
            'û' | 'ù' => 'u',
            'ä' => 'a',
            other => other,
        })
        .collect()
}

fn month_number(word: &str) -> Option<u32> {
    let folded = fold_month(word);
    MONTHS
        .iter()
        .find(|(name, _)| fold_month(name) == folded)
        .map(|&(_, n)| n)
}

/// All spellings, longest first so `mars` wins over `mar` and `sept` over `sep`.
fn month_alternation() -> String {
    let mut names: Vec<String> = MONTHS
        .iter()
        .flat_map(|(name, _)| [name.to_string(), fold_month(name)])
        .collect();
    // `août` folds to `aout`: both spellings are accepted.
    names.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
    names.dedup();
    names
        .iter()
        .map(|n| regex::escape(n))
        .collect::<Vec<_>>()
        .join("|")
}

/// The one date regex. The leading `(?:^|[^\d])` stands in for a look-behind
/// (unsupported by `regex`): a date may be glued to a label (`When17 March`)
/// but not to other digits. Its character is excluded from the reported range.
static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let m = month_alternation();
    let pattern = format!(
        r"(?ix)
        (?:^|[^\d])
        (?:
            (?P<iso>(?P<iy>\d{{4}})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})
                (?:T\d{{1,2}}:\d{{2}}(?::\d{{2}}(?:\.\d+)?)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?)
          | (?P<num>(?P<nd>\d{{1,2}})(?P<s1>[/.\-])(?P<nm>\d{{1,2}})(?P<s2>[/.\-])(?P<ny>\d{{4}}))
          | (?P<dmy>(?P<dd>\d{{1,2}})(?:er|re|st|nd|rd|th|ste|de|e)?\.?\s*(?:of\s+)?
                (?P<dm>{m})\b\.?,?\s*(?P<dy>\d{{4}}))
          | (?P<mdy>\b(?P<mm>{m})\b\.?\s*(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}}))
        )"
    );
    Regex::new(&pattern).expect("date regex is valid")
});

fn num(caps: &Captures<'_>, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

fn year(caps: &Captures<'_>, name: &str) -> Option<i32> {
    caps.name(name)?.as_str().parse().ok()
}

/// Turns one regex match into a date and the byte range of the date proper.
fn date_of(caps: &Captures<'_>) -> Option<(NaiveDate, Range<usize>)> {
    let (date, whole) = if let Some(whole) = caps.name("iso") {
        let d = NaiveDate::from_ymd_opt(year(caps, "iy")?, num(caps, "im")?, num(caps, "id")?);
        (d?, whole)
    } else if let Some(whole) = caps.name("num") {
        // `13/04-2018` is more likely two numbers than a date.
        if caps.name("s1")?.as_str() != caps.name("s2")?.as_str() {
            return None;
        }
        let d = NaiveDate::from_ymd_opt(year(caps, "ny")?, num(caps, "nm")?, num(caps, "nd")?);
        (d?, whole)
    } else if let Some(whole) = caps.name("dmy") {
        let month = month_number(caps.name("dm")?.as_str())?;
        (
            NaiveDate::from_ymd_opt(year(caps, "dy")?, month, num(caps, "dd")?)?,
            whole,
        )
    } else {
        let whole = caps.name("mdy")?;
        let month = month_number(caps.name("mm")?.as_str())?;
        (
            NaiveDate::from_ymd_opt(year(caps, "my")?, month, num(caps, "md")?)?,
            whole,
        )
    };
    Some((date, whole.range()))
}

/// Every date in `text`, in order, with the byte range it occupies.
///
/// Parts may be separated by any whitespace, newlines included
/// (`APRIL\n18\n2024`). Impossible dates (`31/02/2020`) are skipped.
pub fn find_dates(text: &str) -> Vec<(NaiveDate, Range<usize>)> {
    let mut found = Vec::new();
    for caps in DATE_RE.captures_iter(text) {
        let Some((date, range)) = date_of(&caps) else {
            continue;
        };
        // A date running into more digits (`01/01/20221`) is something else.
        if text[range.end..].starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        found.push((date, range));
    }
    found
}

/// Parses a string that is mainly one date (weekday, time or range around it
/// allowed); a range gives its start.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    find_dates(s).into_iter().next().map(|(d, _)| d)
}

/// Parses `01/01/2022 - 31/12/2024` style ranges (any spacing, dash, `to`,
/// `au`, `tot`...). `None` unless two dates are joined by such a separator.
pub fn parse_date_range(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:-|–|—|/|to|until|till|au|à|a|jusqu'au|tot|t/m|tot en met|bis)?\s*$")
            .expect("separator regex is valid")
    });
    let dates = find_dates(s);
    let (start, first) = dates.first()?;
    let (end, second) = dates.get(1)?;
    let between = s.get(first.end..second.start)?;
    SEPARATOR.is_match(between).then_some((*start, *end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_every_source_format() {
        let cases = [
            ("01 July 2021", d(2021, 7, 1)),
            ("1 July 2021", d(2021, 7, 1)),
            ("Fri 25 Oct 2013", d(2013, 10, 25)),
            ("22 maart 2021", d(2021, 3, 22)),
            ("vr 01 mrt 2013", d(2013, 3, 1)),
            ("December 10, 2019", d(2019, 12, 10)),
            ("Wednesday, 26 April 2017", d(2017, 4, 26)),
            ("APRIL 18 2024", d(2024, 4, 18)),
            ("13/04/2018", d(2018, 4, 13)),
            ("17/12/2025 08:00", d(2025, 12, 17)),
            ("01/01/2022 - 31/12/2024", d(2022, 1, 1)),
            ("10 février 2022", d(2022, 2, 10)),
            ("1er juillet 2021", d(2021, 7, 1)),
            ("13.04.2018", d(2018, 4, 13)),
            ("13-04-2018", d(2018, 4, 13)),
            ("2021-07-01", d(2021, 7, 1)),
            ("2021-07-01T10:00:00+02:00", d(2021, 7, 1)),
            ("10 fevrier 2022", d(2022, 2, 10)),
            ("15 aout 2020", d(2020, 8, 15)),
            ("15 août 2020", d(2020, 8, 15)),
            ("3 déc. 2019", d(2019, 12, 3)),
            ("3 DÉC 2019", d(2019, 12, 3)),
            ("mercredi 5 sept. 2018", d(2018, 9, 5)),
            ("5 März 2020", d(2020, 3, 5)),
            ("do 14 okt. 2021", d(2021, 10, 14)),
            ("2 mars 2020", d(2020, 3, 2)),
            ("1 mei 2019", d(2019, 5, 1)),
            ("Sept 9, 2020", d(2020, 9, 9)),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_date(input), Some(expected), "{input}");
        }
    }

    #[test]
    fn finds_dates_across_newlines() {
        let text = "ANNUAL REPORT\n\nAPRIL\n18\n2024\n9.00-17.00";
        let found = find_dates(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, d(2024, 4, 18));
        assert_eq!(&text[found[0].1.clone()], "APRIL\n18\n2024");
    }

    #[test]
    fn glued_label_and_ranges() {
        let text = "When17 March 2021";
        let found = find_dates(text);
        assert_eq!(found[0].0, d(2021, 3, 17));
        assert_eq!(&text[found[0].1.clone()], "17 March 2021");
        assert_eq!(parse_date("Publication date:01 July 2021"), Some(d(2021, 7, 1)));
    }

    #[test]
    fn finds_all_dates_in_order() {
        let text = "On 10 June 2021, FRA published; see 15/06/2021 and 2021-06-20.";
        let dates: Vec<_> = find_dates(text).into_iter().map(|(d, _)| d).collect();
        assert_eq!(dates, [d(2021, 6, 10), d(2021, 6, 15), d(2021, 6, 20)]);
    }

    #[test]
    fn ranges() {
        let expected = Some((d(2022, 1, 1), d(2024, 12, 31)));
        assert_eq!(parse_date_range("01/01/2022 - 31/12/2024"), expected);
        assert_eq!(parse_date_range("01/01/2022-31/12/2024"), expected);
        assert_eq!(parse_date_range("01/01/2022  –  31/12/2024"), expected);
        assert_eq!(parse_date_range("1 January 2022 to 31 December 2024"), expected);
        assert_eq!(parse_date_range("01/01/2022"), None);
        assert_eq!(parse_date_range("01/01/2022, then a meeting on 31/12/2024"), None);
    }

    #[test]
    fn rejects_invalid_and_absent_dates() {
        assert_eq!(parse_date("31/02/2020"), None);
        assert_eq!(parse_date("30 February 2021"), None);
        assert_eq!(parse_date("13/13/2020"), None);
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("no date here, 9.00-9.30, room 12"), None);
        assert!(find_dates("Budget: € 1,146,889.91 AMIF-046-078 om 9u30").is_empty());
        assert!(find_dates("The Main 10 2020 event").is_empty());
        assert!(find_dates("123/04/2018").is_empty());
        assert!(find_dates("13/04-2018").is_empty());
    }
}
