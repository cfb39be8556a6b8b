//! One line of the import format, read into a [`crawler::Document`].
//!
//! A line is a JSON object; see the README ("Importing documents") for the
//! keys. Types and the spelling of keys are checked here, where the key is
//! known; the rules every document keeps, crawled or imported, are checked
//! by [`crawler::Document::validate`]. What a line leaves out is derived as
//! a crawl derives it (paragraph languages, organisations; themes later, in
//! [`crate::pipeline`]), and nothing the line gives is computed again.

use chrono::NaiveDate;
use crawler::{CrawlConfig, DocType, TextBlock};
use serde_json::{Map, Value};
use url::Url;

/// Every key a line may hold. `id` and `year` are accepted and ignored:
/// the id is a hash of the canonical URL, the year comes from the date.
const KEYS: &[&str] = &[
    "url",
    "title",
    "body",
    "blocks",
    "language",
    "date",
    "themes",
    "organisations",
    "keywords",
    "source",
    "type",
    "id",
    "year",
];

/// The keys of an element of `blocks`.
const BLOCK_KEYS: &[&str] = &["text", "language"];

/// The `type` values a line may give (a listing is the crawler's own).
const TYPES: &[DocType] = &[
    DocType::News,
    DocType::Publication,
    DocType::Event,
    DocType::Project,
    DocType::PressRelease,
    DocType::Page,
];

/// Why a line is not a document: the key at fault (`None` when the line is
/// not a JSON object at all) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    pub field: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for RecordError {}

fn error(field: impl Into<String>, message: impl Into<String>) -> RecordError {
    RecordError {
        field: Some(field.into()),
        message: message.into(),
    }
}

/// Reads lines against one configuration (its sources and host aliases).
pub struct LineReader<'c> {
    config: &'c CrawlConfig,
    host_aliases: Vec<(String, String)>,
}

impl<'c> LineReader<'c> {
    pub fn new(config: &'c CrawlConfig) -> LineReader<'c> {
        LineReader {
            config,
            host_aliases: config.host_aliases(),
        }
    }

    /// Reads one line into a valid document with a canonical URL.
    pub fn parse(&self, line: &str) -> Result<crawler::Document, RecordError> {
        parse_line(line, self.config, &self.host_aliases)
    }
}

fn parse_line(
    line: &str,
    config: &CrawlConfig,
    host_aliases: &[(String, String)],
) -> Result<crawler::Document, RecordError> {
    let value: Value = serde_json::from_str(line).map_err(|e| RecordError {
        field: None,
        message: format!("not JSON ({e})"),
    })?;
    let Value::Object(mut record) = value else {
        return Err(RecordError {
            field: None,
            message: format!("not a JSON object but {}", kind(&value)),
        });
    };
    if let Some(unknown) = record.keys().find(|key| !KEYS.contains(&key.as_str())) {
        return Err(error(
            unknown.as_str(),
            format!("unknown key (known: {})", KEYS.join(", ")),
        ));
    }
    let url = take_string(&mut record, "url")?.ok_or_else(|| error("url", "missing"))?;
    let url = canonical_url(url, host_aliases);
    let title = take_string(&mut record, "title")?.ok_or_else(|| error("title", "missing"))?;
    let language = take_string(&mut record, "language")?;
    let body = take_string(&mut record, "body")?;
    let blocks = match (body, take(&mut record, "blocks")) {
        (Some(_), Some(_)) => return Err(error("blocks", "give body or blocks, not both")),
        (Some(body), None) => paragraphs(&body),
        (None, Some(blocks)) => read_blocks(blocks)?,
        (None, None) => Vec::new(),
    };
    let blocks = with_languages(blocks, language.as_deref());
    let languages = match (blocks.is_empty(), language) {
        (true, Some(language)) => vec![language],
        _ => crawler::language::languages_by_share(&blocks),
    };
    let source = match take_string(&mut record, "source")? {
        Some(source) => source,
        None => source_of(&url, config)?,
    };
    let themes = take_strings(&mut record, "themes")?
        .unwrap_or_default()
        .iter()
        .filter_map(|theme| crawler::themes::canonical_theme(theme))
        .collect();
    let organisations = take_strings(&mut record, "organisations")?;
    let mut document = crawler::Document {
        url,
        source,
        doc_type: take_type(&mut record)?,
        title,
        blocks,
        languages,
        date: take_date(&mut record)?,
        themes,
        keywords: take_strings(&mut record, "keywords")?.unwrap_or_default(),
        organisations: Vec::new(),
        organisation_mentions: Vec::new(),
        parent_url: None,
        passages: Vec::new(),
        translations: Vec::new(),
    };
    // Given organisations are taken as they are, without their mentions:
    // locating them (folding every paragraph, then the name patterns) was
    // most of this thread's time per document, and mentions only lower the
    // weight of words inside written-out names.
    match organisations {
        Some(given) => document.organisations = given,
        None => crawler::organisations::annotate(&mut document),
    }
    document.validate(&config.sources).map_err(|e| match e {
        crawler::Error::InvalidDocument { field, message } => error(field, message),
        other => error("line", other.to_string()),
    })?;
    Ok(document)
}

/// The canonical spelling of a URL, as a crawl writes it; a string that is
/// no URL is kept for [`crawler::Document::validate`] to reject.
fn canonical_url(url: String, host_aliases: &[(String, String)]) -> String {
    match Url::parse(&url) {
        Ok(parsed) => crawler::urls::canonicalize(&parsed, host_aliases).to_string(),
        Err(_) => url,
    }
}

/// The source whose hosts serve `url`, for a line that names none.
fn source_of(url: &str, config: &CrawlConfig) -> Result<String, RecordError> {
    let host = Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned));
    config
        .sources
        .iter()
        .find(|source| host.as_ref().is_some_and(|host| source.hosts.contains(host)))
        .map(|source| source.id.clone())
        .ok_or_else(|| {
            error(
                "source",
                "missing, and the URL's host belongs to no configured source",
            )
        })
}

/// `body` cut into paragraphs at blank lines, each a block.
fn paragraphs(body: &str) -> Vec<TextBlock> {
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in body.split('\n').map(|line| line.trim_end_matches('\r')) {
        if line.trim().is_empty() {
            push_paragraph(&mut blocks, &mut current);
        } else {
            current.push(line);
        }
    }
    push_paragraph(&mut blocks, &mut current);
    blocks
}

fn push_paragraph(blocks: &mut Vec<TextBlock>, lines: &mut Vec<&str>) {
    if !lines.is_empty() {
        blocks.push(TextBlock {
            lang: None,
            text: lines.join("\n").trim().to_owned(),
        });
        lines.clear();
    }
}

/// `blocks: [{"text", "language"}]`; blank texts are left out, as blank
/// paragraphs of a body are.
fn read_blocks(value: Value) -> Result<Vec<TextBlock>, RecordError> {
    let Value::Array(items) = value else {
        return Err(error(
            "blocks",
            format!("expected an array, found {}", kind(&value)),
        ));
    };
    let mut blocks = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let field = |key: &str| format!("blocks[{i}].{key}");
        let Value::Object(mut item) = item else {
            return Err(error(
                format!("blocks[{i}]"),
                format!("expected an object, found {}", kind(&item)),
            ));
        };
        if let Some(unknown) = item.keys().find(|key| !BLOCK_KEYS.contains(&key.as_str())) {
            return Err(error(
                field(unknown),
                format!("unknown key (known: {})", BLOCK_KEYS.join(", ")),
            ));
        }
        let text = take_string(&mut item, "text")
            .map_err(|e| error(field("text"), e.message))?
            .ok_or_else(|| error(field("text"), "missing"))?;
        let lang = take_string(&mut item, "language").map_err(|e| error(field("language"), e.message))?;
        if !text.trim().is_empty() {
            blocks.push(TextBlock { lang, text });
        }
    }
    Ok(blocks)
}

/// Blocks with the language the line gives them (their own, else the
/// line's); each run of blocks still without one is detected as a crawled
/// page's paragraphs are, following the language before it. Nothing is
/// detected when the line says it all.
fn with_languages(blocks: Vec<TextBlock>, language: Option<&str>) -> Vec<TextBlock> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut unknown = Vec::new();
    for mut block in blocks {
        if block.lang.is_none() {
            block.lang = language.map(str::to_owned);
        }
        match block.lang {
            Some(_) => {
                detect_run(&mut unknown, &mut out);
                out.push(block);
            }
            None => unknown.push(block),
        }
    }
    detect_run(&mut unknown, &mut out);
    out
}

fn detect_run(run: &mut Vec<TextBlock>, out: &mut Vec<TextBlock>) {
    if run.is_empty() {
        return;
    }
    let before = out.last().and_then(|block| block.lang.clone());
    crawler::language::assign_languages(run, before.as_deref());
    out.append(run);
}

fn take_type(record: &mut Map<String, Value>) -> Result<DocType, RecordError> {
    let Some(name) = take_string(record, "type")? else {
        return Ok(DocType::Page);
    };
    TYPES.iter().copied().find(|t| t.as_str() == name).ok_or_else(|| {
        let names: Vec<&str> = TYPES.iter().map(|t| t.as_str()).collect();
        error("type", format!("{name:?} is not a type ({})", names.join(", ")))
    })
}

fn take_date(record: &mut Map<String, Value>) -> Result<Option<NaiveDate>, RecordError> {
    let Some(text) = take_string(record, "date")? else {
        return Ok(None);
    };
    // chrono alone would take `2024-4-1`; the format says two digits.
    let date = (text.len() == 10)
        .then(|| NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok())
        .flatten();
    date.map(Some)
        .ok_or_else(|| error("date", format!("{text:?} is not a date (YYYY-MM-DD)")))
}

/// A key's value; `null` counts as absent.
fn take(record: &mut Map<String, Value>, key: &str) -> Option<Value> {
    record.remove(key).filter(|value| !value.is_null())
}

fn take_string(record: &mut Map<String, Value>, key: &str) -> Result<Option<String>, RecordError> {
    match take(record, key) {
        None => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(other) => Err(error(key, format!("expected a string, found {}", kind(&other)))),
    }
}

fn take_strings(record: &mut Map<String, Value>, key: &str) -> Result<Option<Vec<String>>, RecordError> {
    let items = match take(record, key) {
        None => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(error(
                key,
                format!("expected an array of strings, found {}", kind(&other)),
            ));
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            Value::String(text) => Ok(text),
            other => Err(error(
                format!("{key}[{i}]"),
                format!("expected a string, found {}", kind(&other)),
            )),
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// A JSON value's kind, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FR: &str = "Le Commissariat général aux réfugiés et aux apatrides a publié son rapport \
                      annuel sur la protection internationale des demandeurs d'asile en Belgique.";
    const NL: &str = "Het Commissariaat-generaal voor de Vluchtelingen en de Staatlozen heeft zijn \
                      jaarverslag over de internationale bescherming van asielzoekers gepubliceerd.";

    fn parse(line: &str) -> Result<crawler::Document, RecordError> {
        LineReader::new(&CrawlConfig::default()).parse(line)
    }

    fn field_of(line: &str) -> Option<String> {
        parse(line).err().and_then(|e| e.field)
    }

    #[test]
    fn a_full_line_keeps_every_field_as_given() {
        let line = serde_json::json!({
            "url": "https://emnbelgium.be/news/annual-report?utm_source=x#top",
            "title": "Rapport annuel", "body": format!("{FR}\n\n{FR}"), "language": "fr",
            "date": "2024-04-18", "themes": ["Asylum"], "organisations": ["CGRS"],
            "keywords": ["rapport"], "source": "emn-belgium", "type": "news",
            "id": "ignored", "year": 2024,
        })
        .to_string();
        let document = parse(&line).unwrap();
        assert_eq!(document.url, "https://emnbelgium.be/news/annual-report");
        assert_eq!(document.blocks.len(), 2);
        assert!(document.blocks.iter().all(|b| b.lang.as_deref() == Some("fr")));
        assert_eq!(document.languages, ["fr"]);
        assert_eq!(document.date, NaiveDate::from_ymd_opt(2024, 4, 18));
        assert_eq!(
            (document.themes, document.organisations, document.keywords),
            (vec!["Asylum".into()], vec!["CGRS".into()], vec!["rapport".into()])
        );
        assert_eq!(
            (document.source.as_str(), document.doc_type),
            ("emn-belgium", DocType::News)
        );
        // Given organisations are not looked for in the text.
        assert!(document.organisation_mentions.is_empty());
    }

    #[test]
    fn what_a_line_leaves_out_is_derived_as_for_a_crawled_page() {
        let line = serde_json::json!({
            "url": "http://www.fedasil.be/nl/jaarverslag", "title": "Jaarverslag",
            "body": format!("{FR}\n   \n{NL}"),
        })
        .to_string();
        let document = parse(&line).unwrap();
        assert_eq!(document.url, "https://fedasil.be/nl/jaarverslag");
        assert_eq!(document.source, "fedasil");
        assert_eq!(document.doc_type, DocType::Page);
        let langs: Vec<Option<&str>> = document.blocks.iter().map(|b| b.lang.as_deref()).collect();
        assert_eq!(langs, [Some("fr"), Some("nl")]);
        assert_eq!(document.organisations, ["CGRS"]);
        assert_eq!(document.organisation_mentions.len(), 2);
        assert!(document.themes.is_empty());
    }

    #[test]
    fn blocks_keep_their_languages_and_unknown_ones_are_detected() {
        let line = serde_json::json!({
            "url": "https://emnbelgium.be/a", "title": "Bilingue",
            "blocks": [{"text": FR, "language": "fr"}, {"text": NL}, {"text": " "}],
        })
        .to_string();
        let document = parse(&line).unwrap();
        let langs: Vec<Option<&str>> = document.blocks.iter().map(|b| b.lang.as_deref()).collect();
        assert_eq!(langs, [Some("fr"), Some("nl")]);
    }

    #[test]
    fn each_mistake_names_its_field() {
        let base = r#""url": "https://emnbelgium.be/a", "title": "T""#;
        let cases = [
            (format!(r#"{{{base}, "date": "2024-13-01"}}"#), "date"),
            (format!(r#"{{{base}, "date": "2024-4-1"}}"#), "date"),
            (format!(r#"{{{base}, "titel": "x"}}"#), "titel"),
            (format!(r#"{{{base}, "themes": "Asylum"}}"#), "themes"),
            (format!(r#"{{{base}, "keywords": ["a", 3]}}"#), "keywords[1]"),
            (format!(r#"{{{base}, "source": "emn"}}"#), "source"),
            (format!(r#"{{{base}, "type": "blog"}}"#), "type"),
            (
                format!(r#"{{{base}, "language": "French", "body": "x"}}"#),
                "language",
            ),
            (format!(r#"{{{base}, "body": "x", "blocks": []}}"#), "blocks"),
            (
                format!(r#"{{{base}, "blocks": [{{"txt": "x"}}]}}"#),
                "blocks[0].txt",
            ),
            (
                format!(r#"{{{base}, "blocks": [{{"text": 1}}]}}"#),
                "blocks[0].text",
            ),
            (r#"{"title": "T"}"#.to_owned(), "url"),
            (
                r#"{"url": "/a", "title": "T", "source": "fedasil"}"#.to_owned(),
                "url",
            ),
            (
                r#"{"url": "https://example.org/a", "title": "T"}"#.to_owned(),
                "source",
            ),
            (
                r#"{"url": "https://emnbelgium.be/a", "title": 5}"#.to_owned(),
                "title",
            ),
        ];
        for (line, field) in cases {
            assert_eq!(field_of(&line).as_deref(), Some(field), "{line}");
        }
        let message = parse(&format!(r#"{{{base}, "date": "2024-13-01"}}"#))
            .unwrap_err()
            .to_string();
        assert_eq!(message, r#"date: "2024-13-01" is not a date (YYYY-MM-DD)"#);
    }

    #[test]
    fn a_line_that_is_no_json_object_says_so() {
        for line in ["{\"url\": ", "[1, 2]"] {
            let error = parse(line).unwrap_err();
            assert_eq!(error.field, None);
            assert!(error.message.starts_with("not "), "{error}");
        }
    }

    #[test]
    fn a_body_is_cut_at_blank_lines_only() {
        let blocks = paragraphs("one\r\nline two\n\n\n  \nthree\n");
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["one\nline two", "three"]);
    }
}
