//! Sitemap parsing (sitemaps.org protocol): `<urlset>`, `<sitemapindex>`,
//! either gzip-compressed, and plain-text sitemaps with one URL per line.
//!
//! Sitemaps give the crawler page URLs and their `lastmod` without walking
//! listings. Parsing is pure (bytes in, entries out); fetching them is the
//! caller's business. The parser is lenient where real sitemaps are sloppy
//! (any namespace or prefix, missing time zone, bare `&`, whitespace around
//! values) and strict only where the input is not a sitemap at all.

use std::borrow::Cow;
use std::io::Read;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use flate2::read::MultiGzDecoder;
use quick_xml::Reader;
use quick_xml::events::{BytesRef, Event};

/// Largest sitemap accepted, after decompression (the protocol's limit is
/// 50 MB uncompressed); also bounds memory against gzip bombs.
pub const MAX_SITEMAP_BYTES: usize = 50 * 1024 * 1024;

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Why bytes could not be read as a sitemap.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SitemapError {
    /// The input is neither a `<urlset>`/`<sitemapindex>` document nor a text
    /// list of URLs (an HTML error page, an empty body, a feed).
    #[error("not a sitemap")]
    NotASitemap,
    /// The sitemap is larger than [`MAX_SITEMAP_BYTES`] (after decompression).
    #[error("sitemap larger than {MAX_SITEMAP_BYTES} bytes")]
    TooLarge,
    /// The XML is malformed; the message gives the parser's reason and offset.
    #[error("malformed sitemap xml: {0}")]
    Xml(String),
    /// The input starts like gzip but does not inflate.
    #[error("corrupt gzip sitemap: {0}")]
    Gzip(String),
}

/// A parsed sitemap.
#[derive(Debug, Clone, PartialEq)]
pub enum Sitemap {
    /// A `<sitemapindex>`: each entry is another sitemap to fetch.
    Index(Vec<SitemapEntry>),
    /// A `<urlset>` or text sitemap: each entry is a page.
    UrlSet(Vec<SitemapEntry>),
}

impl Sitemap {
    /// The entries, whichever kind of sitemap this is.
    pub fn entries(&self) -> &[SitemapEntry] {
        match self {
            Sitemap::Index(entries) | Sitemap::UrlSet(entries) => entries,
        }
    }
}

/// One `<url>` or `<sitemap>` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct SitemapEntry {
    /// The `<loc>` value, unescaped and trimmed, as written (not canonicalised).
    pub loc: String,
    /// `<lastmod>`, when present and a valid W3C datetime.
    pub lastmod: Option<DateTime<Utc>>,
}

/// Parses a sitemap: gzip (detected by its magic bytes), XML, or plain text.
///
/// Entries without a `<loc>` are dropped; an unreadable `<lastmod>` becomes
/// `None` rather than an error, since the URL is still worth having.
pub fn parse_sitemap(bytes: &[u8]) -> Result<Sitemap, SitemapError> {
    let bytes = if bytes.starts_with(&GZIP_MAGIC) {
        Cow::Owned(gunzip(bytes)?)
    } else if bytes.len() > MAX_SITEMAP_BYTES {
        return Err(SitemapError::TooLarge);
    } else {
        Cow::Borrowed(bytes)
    };
    // The protocol requires UTF-8; a stray invalid byte should not cost the whole file.
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim_start().starts_with('<') {
        parse_xml(text)
    } else {
        parse_text(text)
    }
}

/// Inflates at most [`MAX_SITEMAP_BYTES`], reading one byte past it to tell
/// "exactly the limit" from "over".
fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, SitemapError> {
    let limit = u64::try_from(MAX_SITEMAP_BYTES).unwrap_or(u64::MAX);
    let mut out = Vec::new();
    MultiGzDecoder::new(bytes)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| SitemapError::Gzip(e.to_string()))?;
    if out.len() > MAX_SITEMAP_BYTES {
        return Err(SitemapError::TooLarge);
    }
    Ok(out)
}

/// A text sitemap: one absolute http(s) URL per line; other lines are ignored.
fn parse_text(text: &str) -> Result<Sitemap, SitemapError> {
    let entries: Vec<SitemapEntry> = text
        .lines()
        .map(str::trim)
        .filter(|line| url::Url::parse(line).is_ok_and(|u| matches!(u.scheme(), "http" | "https")))
        .map(|line| SitemapEntry {
            loc: line.to_owned(),
            lastmod: None,
        })
        .collect();
    if entries.is_empty() {
        return Err(SitemapError::NotASitemap);
    }
    Ok(Sitemap::UrlSet(entries))
}

/// Which value of an entry is being read.
#[derive(Clone, Copy)]
enum Field {
    Loc,
    Lastmod,
}

/// Walks the XML by depth: root (1), entry (2), entry field (3). Matching on
/// local names ignores namespaces and prefixes, and the depth check keeps
/// extension values such as `<image:image><image:loc>` out of `loc`.
fn parse_xml(text: &str) -> Result<Sitemap, SitemapError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().allow_dangling_amp = true;

    let mut is_index = None;
    let mut entries = Vec::new();
    let mut depth = 0usize;
    let mut entry: Option<SitemapEntry> = None;
    let mut field: Option<Field> = None;
    let mut value = String::new();

    loop {
        let event = reader
            .read_event()
            .map_err(|e| SitemapError::Xml(format!("{e} at byte {}", reader.error_position())))?;
        match event {
            Event::Start(start) => {
                depth += 1;
                let name = start.local_name();
                match depth {
                    1 => is_index = Some(root_kind(name.as_ref(), is_index)?),
                    2 if matches!(name.as_ref(), "url" | "sitemap") => {
                        entry = Some(SitemapEntry {
                            loc: String::new(),
                            lastmod: None,
                        });
                    }
                    3 if entry.is_some() => {
                        field = match name.as_ref() {
                            "loc" => Some(Field::Loc),
                            "lastmod" => Some(Field::Lastmod),
                            _ => None,
                        };
                        value.clear();
                    }
                    _ => {}
                }
            }
            // `<urlset/>` is an empty sitemap; empty entries or fields add nothing.
            Event::Empty(start) if depth == 0 => {
                is_index = Some(root_kind(start.local_name().as_ref(), is_index)?);
            }
            Event::End(_) => {
                match depth {
                    // Only the field's own end closes it: markup nested inside
                    // a `<loc>` must not cut it short.
                    3 => match (field.take(), entry.as_mut()) {
                        (Some(Field::Loc), Some(entry)) if entry.loc.is_empty() => {
                            value.trim().clone_into(&mut entry.loc);
                        }
                        (Some(Field::Lastmod), Some(entry)) => {
                            entry.lastmod = parse_w3c_datetime(&value);
                        }
                        _ => {}
                    },
                    2 => {
                        if let Some(done) = entry.take().filter(|e| !e.loc.is_empty()) {
                            entries.push(done);
                        }
                    }
                    _ => {}
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(text) if field.is_some() => value.push_str(&text.xml10_content()),
            Event::CData(cdata) if field.is_some() => value.push_str(&cdata.xml10_content()),
            Event::GeneralRef(reference) if field.is_some() => push_reference(&mut value, &reference),
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(SitemapError::Xml("unexpected end of document".to_owned()));
    }
    match is_index {
        Some(true) => Ok(Sitemap::Index(entries)),
        Some(false) => Ok(Sitemap::UrlSet(entries)),
        None => Err(SitemapError::NotASitemap),
    }
}

/// Whether a root element is a sitemap index (`true`) or a urlset (`false`).
fn root_kind(local_name: &str, seen: Option<bool>) -> Result<bool, SitemapError> {
    if seen.is_some() {
        return Err(SitemapError::Xml("more than one root element".to_owned()));
    }
    match local_name {
        "sitemapindex" => Ok(true),
        "urlset" => Ok(false),
        _ => Err(SitemapError::NotASitemap),
    }
}

/// Appends the text of `&name;`: character references and the five XML
/// entities; anything else (undeclared, so invalid) is kept as written.
fn push_reference(value: &mut String, reference: &BytesRef<'_>) {
    let resolved = match reference.as_ref() {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => reference.resolve_char_ref().ok().flatten(),
    };
    match resolved {
        Some(c) => value.push(c),
        None => {
            value.push('&');
            value.push_str(reference.as_ref());
            value.push(';');
        }
    }
}

/// Parses the W3C datetime profile of ISO 8601 used by `<lastmod>`:
/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, and `YYYY-MM-DDThh:mm[:ss[.s]]TZD` with
/// `TZD` = `Z` or `±hh:mm`. A missing time zone is read as UTC and a space
/// is accepted for `T`, both common in the wild.
pub fn parse_w3c_datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let (date, time) = match s.split_once(['T', 't', ' ']) {
        Some((date, time)) => (date, Some(time.trim())),
        None => (s, None),
    };
    let date = parse_w3c_date(date)?;
    let Some(time) = time else {
        return Some(Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN)));
    };
    let (clock, offset) = split_offset(time)?;
    let clock = NaiveTime::parse_from_str(clock, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
        .ok()?;
    let local = NaiveDateTime::new(date, clock);
    offset
        .from_local_datetime(&local)
        .single()
        .map(|dt| dt.with_timezone(&Utc))
}

fn parse_w3c_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.splitn(3, '-');
    let year_part = parts.next()?;
    if year_part.len() != 4 || !year_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = year_part.parse().ok()?;
    let month: u32 = parts.next().map_or(Some(1), two_digits)?;
    let day: u32 = parts.next().map_or(Some(1), two_digits)?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn two_digits(s: &str) -> Option<u32> {
    if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// Splits `hh:mm:ss+02:00` into the clock and its offset (UTC when absent).
fn split_offset(time: &str) -> Option<(&str, FixedOffset)> {
    let utc = FixedOffset::east_opt(0)?;
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, utc));
    }
    let Some(at) = time.rfind(['+', '-']) else {
        return Some((time, utc));
    };
    let (clock, zone) = time.split_at(at);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone[1..].chars().filter(|c| *c != ':').collect();
    // Checked before slicing: all ASCII digits means byte indexes are char boundaries.
    if !matches!(digits.len(), 2 | 4) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = two_digits(&digits[..2])?.try_into().ok()?;
    let minutes: i32 = match digits.get(2..) {
        Some(m) if !m.is_empty() => two_digits(m)?.try_into().ok()?,
        _ => 0,
    };
    let offset = FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?;
    Some((clock, offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn locs(sitemap: &Sitemap) -> Vec<&str> {
        sitemap.entries().iter().map(|e| e.loc.as_str()).collect()
    }

    const URLSET: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>
      https://emnbelgium.be/news/alternatives-detention
    </loc>
    <lastmod>2024-04-18T10:00:00+02:00</lastmod>
    <changefreq>monthly</changefreq>
    <image:image><image:loc>https://emnbelgium.be/img.png</image:loc></image:image>
  </url>
  <url><loc>https://emnbelgium.be/publications?type=report&amp;page=2</loc></url>
  <url><lastmod>2024-01-01</lastmod></url>
  <url><loc><![CDATA[https://emnbelgium.be/a?b=1&c=2]]></loc><lastmod>not a date</lastmod></url>
</urlset>"#;

    #[test]
    fn urlset_with_namespace_unescapes_and_trims() {
        let sitemap = parse_sitemap(URLSET.as_bytes()).unwrap();
        assert_eq!(
            sitemap,
            Sitemap::UrlSet(vec![
                SitemapEntry {
                    loc: "https://emnbelgium.be/news/alternatives-detention".to_owned(),
                    lastmod: Some(utc("2024-04-18T08:00:00Z")),
                },
                SitemapEntry {
                    loc: "https://emnbelgium.be/publications?type=report&page=2".to_owned(),
                    lastmod: None,
                },
                SitemapEntry {
                    loc: "https://emnbelgium.be/a?b=1&c=2".to_owned(),
                    lastmod: None,
                },
            ])
        );
    }

    #[test]
    fn urlset_without_namespace_or_with_prefix() {
        let plain = "<urlset><url><loc>https://a.be/<b>1</b></loc></url></urlset>";
        assert_eq!(
            locs(&parse_sitemap(plain.as_bytes()).unwrap()),
            ["https://a.be/1"]
        );
        let prefixed = r#"<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sm:url><sm:loc>https://a.be/2</sm:loc></sm:url></sm:urlset>"#;
        assert_eq!(
            locs(&parse_sitemap(prefixed.as_bytes()).unwrap()),
            ["https://a.be/2"]
        );
        assert_eq!(
            parse_sitemap(b"\xef\xbb\xbf<urlset/>").unwrap(),
            Sitemap::UrlSet(vec![])
        );
    }

    #[test]
    fn sitemap_index() {
        let xml = r#"<?xml version="1.0"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://a.be/sitemap.xml?page=1</loc><lastmod>2024-04-18</lastmod></sitemap>
  <sitemap><loc>https://a.be/sitemap.xml?page=2</loc></sitemap>
</sitemapindex>"#;
        assert_eq!(
            parse_sitemap(xml.as_bytes()).unwrap(),
            Sitemap::Index(vec![
                SitemapEntry {
                    loc: "https://a.be/sitemap.xml?page=1".to_owned(),
                    lastmod: Some(utc("2024-04-18T00:00:00Z")),
                },
                SitemapEntry {
                    loc: "https://a.be/sitemap.xml?page=2".to_owned(),
                    lastmod: None,
                },
            ])
        );
    }

    #[test]
    fn gzip_input_is_inflated() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(URLSET.as_bytes()).unwrap();
        let bytes = gz.finish().unwrap();
        assert_eq!(bytes[..2], GZIP_MAGIC);
        assert_eq!(parse_sitemap(&bytes), parse_sitemap(URLSET.as_bytes()));
    }

    #[test]
    fn corrupt_or_oversized_gzip_is_an_error() {
        assert!(matches!(
            parse_sitemap(&[0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 1, 2, 3]),
            Err(SitemapError::Gzip(_))
        ));
        // A small gzip that inflates past the cap (a gzip bomb).
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let zeros = vec![b' '; 1024 * 1024];
        for _ in 0..=MAX_SITEMAP_BYTES / zeros.len() {
            gz.write_all(&zeros).unwrap();
        }
        let bomb = gz.finish().unwrap();
        assert!(bomb.len() < MAX_SITEMAP_BYTES / 100);
        assert_eq!(parse_sitemap(&bomb), Err(SitemapError::TooLarge));
    }

    #[test]
    fn lastmod_w3c_forms() {
        let p = parse_w3c_datetime;
        assert_eq!(p("2024-04-18"), Some(utc("2024-04-18T00:00:00Z")));
        assert_eq!(p("2024-04"), Some(utc("2024-04-01T00:00:00Z")));
        assert_eq!(p("2024"), Some(utc("2024-01-01T00:00:00Z")));
        assert_eq!(p("2024-04-18T10:00:00+02:00"), Some(utc("2024-04-18T08:00:00Z")));
        assert_eq!(p("2024-04-18T10:00Z"), Some(utc("2024-04-18T10:00:00Z")));
        assert_eq!(p("2024-04-18T10:00-05:30"), Some(utc("2024-04-18T15:30:00Z")));
        assert_eq!(
            p("2024-04-18T10:00:05.250Z"),
            Some(utc("2024-04-18T10:00:05.250Z"))
        );
        assert_eq!(p(" 2024-04-18 10:00:00 "), Some(utc("2024-04-18T10:00:00Z")));
        assert_eq!(p("2024-04-18T10:00:00+0200"), Some(utc("2024-04-18T08:00:00Z")));
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-02-30",
            "24-04-18",
            "2024-04-18T25:00Z",
            "2024-04-18T10:00+2",
        ] {
            assert_eq!(p(bad), None, "{bad}");
        }
    }

    #[test]
    fn malformed_xml_is_an_error_not_a_panic() {
        for bad in [
            "<urlset><url><loc>https://a.be/1</url></urlset>",
            "<urlset><url><loc>https://a.be/1</loc></url>",
            "<urlset><url><loc>https://a.be/1</loc></url></urlset><urlset/>",
            "<urlset><url><loc>x</loc></url></urlset",
            "<urlset><!-- never closed",
        ] {
            assert!(
                matches!(parse_sitemap(bad.as_bytes()), Err(SitemapError::Xml(_))),
                "{bad}"
            );
        }
        for not_sitemap in [
            "<!DOCTYPE html><html><body>Not found</body></html>",
            "",
            "  \n",
            "<rss/>",
            "Service unavailable",
        ] {
            assert_eq!(
                parse_sitemap(not_sitemap.as_bytes()),
                Err(SitemapError::NotASitemap),
                "{not_sitemap}"
            );
        }
        // Arbitrary bytes never panic.
        for len in 0..64u8 {
            let noise: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37).wrapping_add(len)).collect();
            let _ = parse_sitemap(&noise);
            let _ = parse_sitemap(&[b"<urlset><url><loc>".as_slice(), &noise].concat());
        }
    }

    #[test]
    fn text_sitemap_one_url_per_line() {
        let text = "\u{feff}https://a.be/1\r\n\n  https://a.be/2?x=1&y=2  \nnot a url\nftp://a.be/file\n";
        assert_eq!(
            locs(&parse_sitemap(text.as_bytes()).unwrap()),
            ["https://a.be/1", "https://a.be/2?x=1&y=2"]
        );
    }

    #[test]
    fn entities_and_character_references_are_unescaped() {
        let xml = "<urlset><url><loc>https://a.be/?a=1&amp;b=&#50;&#x33;&amp;c=&lt;&gt;&quot;&apos; &unknown; & bare</loc></url></urlset>";
        assert_eq!(
            locs(&parse_sitemap(xml.as_bytes()).unwrap()),
            ["https://a.be/?a=1&b=23&c=<>\"' &unknown; & bare"]
        );
    }
}
