//! The synthetic corpus: N documents in the import format (JSON Lines),
//! drawn from the vocabularies with a seeded generator, so the same N and
//! seed give the same file byte for byte.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::rng::Rng;
use super::vocab::{LANGS, ORGANISATIONS, Vocab};

/// Bump when the generator changes, so an old corpus file is not reused.
const GENERATOR_VERSION: u32 = 1;

/// One line of the import format.
#[derive(Debug, Serialize, Deserialize)]
pub struct Doc {
    pub url: String,
    pub title: String,
    pub body: String,
    pub language: String,
    pub date: String,
    pub themes: Vec<String>,
    pub organisations: Vec<String>,
    pub keywords: Vec<String>,
    pub source: String,
    #[serde(rename = "type")]
    pub doc_type: String,
}

/// The canonical EMN themes (crawler/src/themes.rs), weighted by how often
/// the sources use them.
pub const THEMES: &[(&str, f64)] = &[
    ("Asylum", 5.0),
    ("International Protection", 4.0),
    ("Migration", 3.0),
    ("Return & Readmission", 3.0),
    ("Integration", 3.0),
    ("Economic migration", 2.0),
    ("Family reunification", 2.0),
    ("Vulnerable groups", 2.0),
    ("Borders & Visa", 2.0),
    ("Irregular Migration", 2.0),
    ("Smuggling & Trafficking", 1.5),
    ("Citizenship & Nationality", 1.5),
    ("Data & Statistics", 1.5),
    ("Cross-sectional", 1.0),
    ("Study & Training", 1.0),
    ("Ad Hoc Queries", 0.5),
];

pub const FIRST_YEAR: i32 = 2005;
pub const LAST_YEAR: i32 = 2026;

/// Sources with their share of documents, host and the types they publish.
const SOURCES: &[(&str, f64, &str, &[&str])] = &[
    (
        "emn-belgium",
        0.45,
        "https://emnbelgium.be",
        &["news", "publication", "event", "page"],
    ),
    (
        "fedasil",
        0.25,
        "https://www.fedasil.be",
        &["news", "press-release", "project", "page"],
    ),
    (
        "immigration-office",
        0.15,
        "https://dofi.ibz.be",
        &["news", "publication", "project", "page"],
    ),
    (
        "media4cohesion",
        0.15,
        "https://media4cohesion.belgashare.be",
        &["press-release", "news", "project"],
    ),
];

/// What was written (or found) on disk.
pub struct Corpus {
    pub path: PathBuf,
    pub bytes: u64,
    /// Seconds spent generating; `None` when an existing file was reused.
    pub generated_in: Option<f64>,
}

/// Writes `dir/corpus-N.jsonl`, or reuses it when its sidecar says it was
/// made by this generator with the same N and seed.
pub fn ensure(dir: &Path, docs: usize, seed: u64, vocabs: &[Vocab]) -> std::io::Result<Corpus> {
    let path = dir.join(format!("corpus-{docs}.jsonl"));
    let meta_path = dir.join(format!("corpus-{docs}.jsonl.meta"));
    let meta = format!("docs={docs} seed={seed} generator={GENERATOR_VERSION}\n");
    let reusable = path.exists() && std::fs::read_to_string(&meta_path).ok().as_ref() == Some(&meta);
    let generated_in = if reusable {
        None
    } else {
        let started = std::time::Instant::now();
        let mut out = BufWriter::new(File::create(&path)?);
        let root = Rng::new(seed);
        for i in 0..docs {
            serde_json::to_writer(&mut out, &generate(i, &mut root.fork(i as u64), vocabs))?;
            out.write_all(b"\n")?;
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::write(&meta_path, meta)?;
        Some(started.elapsed().as_secs_f64())
    };
    let bytes = std::fs::metadata(&path)?.len();
    Ok(Corpus {
        path,
        bytes,
        generated_in,
    })
}

/// Reads the corpus back (the plain-tantivy floor indexes the very file the
/// import read).
pub fn read(path: &Path) -> std::io::Result<Vec<Doc>> {
    BufReader::new(File::open(path)?)
        .lines()
        .map(|line| serde_json::from_str(&line?).map_err(std::io::Error::other))
        .collect()
}

fn generate(i: usize, rng: &mut Rng, vocabs: &[Vocab]) -> Doc {
    let shares: Vec<f64> = LANGS.iter().map(|(_, share)| *share).collect();
    let lang = rng.weighted(&shares);
    let vocab = &vocabs[lang];

    let source_shares: Vec<f64> = SOURCES.iter().map(|s| s.1).collect();
    let (source, _, host, types) = SOURCES[rng.weighted(&source_shares)];
    let doc_type = *rng.pick(types);

    let theme_weights: Vec<f64> = THEMES.iter().map(|t| t.1).collect();
    let mut themes = Vec::new();
    for _ in 0..rng.range(1, 3) {
        let theme = THEMES[rng.weighted(&theme_weights)].0.to_owned();
        if !themes.contains(&theme) {
            themes.push(theme);
        }
    }

    let org_weights: Vec<f64> = ORGANISATIONS.iter().map(|o| o.2).collect();
    let mut orgs = Vec::new();
    for _ in 0..rng.weighted(&[2.0, 3.0, 2.5, 1.5, 1.0]) {
        let org = rng.weighted(&org_weights);
        if !orgs.contains(&org) {
            orgs.push(org);
        }
    }

    let title = title(rng, vocab);
    let body = body(rng, vocab, lang, &orgs);
    let keywords = if rng.chance(0.25) {
        let words: Vec<&str> = vocab.content_words().take(300).collect();
        (0..rng.range(1, 3))
            .map(|_| rng.pick(&words).to_string())
            .collect()
    } else {
        Vec::new()
    };
    let path_lang = if source == "emn-belgium" || source == "media4cohesion" {
        String::new()
    } else {
        format!("/{}", vocab.lang)
    };
    Doc {
        url: format!("{host}{path_lang}/{doc_type}/{}-{i}", slug(&title)),
        title,
        body,
        language: vocab.lang.to_owned(),
        date: date(rng),
        themes,
        organisations: orgs.iter().map(|&o| ORGANISATIONS[o].0.to_owned()).collect(),
        keywords,
        source: source.to_owned(),
        doc_type: doc_type.to_owned(),
    }
}

/// More documents in recent years, as on the real sites.
fn date(rng: &mut Rng) -> String {
    let weights: Vec<f64> = (FIRST_YEAR..=LAST_YEAR)
        .map(|y| match y {
            2026 => 1.0,
            2025 => 2.5,
            _ => 1.0 + (y - FIRST_YEAR) as f64 / 10.0,
        })
        .collect();
    let year = FIRST_YEAR + rng.weighted(&weights) as i32;
    format!("{year}-{:02}-{:02}", rng.range(1, 12), rng.range(1, 28))
}

fn title(rng: &mut Rng, vocab: &Vocab) -> String {
    let words: Vec<&str> = (0..rng.range(4, 11)).map(|_| vocab.sample(rng)).collect();
    capitalise(&words.join(" "))
}

/// Lengths log-normal around 520 words (150–1500); paragraphs of 2–6
/// sentences; each organisation of the document named in its local name.
fn body(rng: &mut Rng, vocab: &Vocab, lang: usize, orgs: &[usize]) -> String {
    let target = (450.0 * (0.55 * rng.normal()).exp()).clamp(150.0, 1500.0) as usize;
    let mut sentences = Vec::new();
    let mut words = 0;
    while words < target {
        let length = rng.range(8, 24);
        let mut sentence: Vec<String> = Vec::new();
        while sentence.len() < length {
            let word = vocab.sample(rng);
            words += word.split(' ').count();
            sentence.push(word.to_owned());
        }
        if rng.chance(0.08) {
            let year = rng.range(FIRST_YEAR as usize, LAST_YEAR as usize);
            sentence.insert(rng.range(0, sentence.len()), year.to_string());
        }
        sentences.push(sentence);
    }
    for &org in orgs {
        let names = ORGANISATIONS[org].1[lang];
        for _ in 0..rng.range(1, 3) {
            let s = rng.range(0, sentences.len() - 1);
            let at = rng.range(0, sentences[s].len());
            sentences[s].insert(at, rng.pick(names).to_string());
        }
    }
    let mut paragraphs = Vec::new();
    let mut rest = &sentences[..];
    while !rest.is_empty() {
        let take = rng.range(2, 6).min(rest.len());
        let text: Vec<String> = rest[..take]
            .iter()
            .map(|s| {
                let mut s = capitalise(&s.join(" "));
                s.push('.');
                s
            })
            .collect();
        paragraphs.push(text.join(" "));
        rest = &rest[take..];
    }
    paragraphs.join("\n\n")
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(60).collect()
}
