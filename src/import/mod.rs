//! `import`: bulk load of documents from JSON Lines files, one document a
//! line ([`record`] reads a line).
//!
//! Lines are streamed: each is read, checked and mapped on this thread and
//! handed to the index writer, whose own threads analyse and index it
//! meanwhile. Everything goes into one writer committed once at the end, so
//! a bad line (without `--skip-invalid`) or a killed import leaves the
//! index as it was: tantivy's commit is atomic, and uncommitted segments
//! are discarded.

pub mod record;

use std::cell::Cell;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use crawler::CrawlConfig;
use flate2::read::MultiGzDecoder;
use indicatif::{ProgressBar, ProgressStyle};

use crate::data::DataDir;
use crate::pipeline::index_document;
use record::LineReader;

/// Invalid lines quoted in the summary of a `--skip-invalid` run.
const SKIPPED_SHOWN: usize = 5;

/// Lines between two updates of the progress bar.
const PROGRESS_EVERY: usize = 256;

/// What an import did.
#[derive(Debug)]
pub struct ImportSummary {
    /// Documents indexed (a URL given twice counts twice, is stored once).
    pub imported: usize,
    /// Invalid lines left out (`--skip-invalid`).
    pub skipped: usize,
    /// The first few of them (`SKIPPED_SHOWN`): `file:line: field: message`.
    pub skipped_examples: Vec<String>,
    /// The inputs as named on the command line.
    pub inputs: Vec<String>,
    pub elapsed: Duration,
    /// Entries (documents and passages) in the index after the commit.
    pub total_entries: u64,
}

impl ImportSummary {
    /// The report printed at the end: one line, then the skipped lines
    /// shown, if any.
    pub fn report(&self) -> String {
        let seconds = self.elapsed.as_secs_f64();
        let rate = self.imported as f64 / seconds.max(1e-3);
        let mut out = format!(
            "imported {} documents ({} skipped) from {} in {seconds:.1} s ({} documents/s); \
             index holds {} documents and passages",
            self.imported,
            self.skipped,
            self.inputs.join(", "),
            thousands(rate.round() as u64),
            self.total_entries
        );
        if self.skipped > 0 {
            let _ = write!(out, "\nskipped {} invalid lines:", self.skipped);
            for example in &self.skipped_examples {
                let _ = write!(out, "\n  {example}");
            }
            if self.skipped > self.skipped_examples.len() {
                let _ = write!(out, "\n  and {} more", self.skipped - self.skipped_examples.len());
            }
        }
        out
    }
}

/// `12195` as `12,195`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Imports the documents of `inputs` (paths, `-` for standard input) into
/// the index in `data`, upserting by canonical URL. An invalid line is an
/// error naming its file, line and field, and nothing is committed, unless
/// `skip_invalid`, which leaves such lines out and counts them.
pub fn import(
    config: &CrawlConfig,
    data: &DataDir,
    inputs: &[PathBuf],
    skip_invalid: bool,
) -> anyhow::Result<ImportSummary> {
    let started = Instant::now();
    let index = data.open_or_create_index()?;
    let lines = LineReader::new(config);
    let progress = Progress::new(inputs);
    let mut writer = index.bulk_writer().context("opening the index writer")?;
    let mut summary = ImportSummary {
        imported: 0,
        skipped: 0,
        skipped_examples: Vec::new(),
        inputs: inputs.iter().map(|p| p.display().to_string()).collect(),
        elapsed: Duration::ZERO,
        total_entries: 0,
    };
    for path in inputs {
        let name = path.display().to_string();
        let mut input = open_input(path, &progress.bytes)?;
        let mut line = Vec::new();
        let mut number: usize = 0;
        loop {
            line.clear();
            let read = input
                .read_until(b'\n', &mut line)
                .with_context(|| format!("reading {name}"))?;
            if read == 0 {
                break;
            }
            number += 1;
            let parsed = match std::str::from_utf8(&line) {
                Ok(text) if text.trim().is_empty() => continue,
                Ok(text) => lines.parse(text),
                Err(_) => Err(record::RecordError {
                    field: None,
                    message: "not UTF-8".into(),
                }),
            };
            match parsed {
                Ok(document) => {
                    index_document(&mut writer, document)?;
                    summary.imported += 1;
                }
                Err(error) if skip_invalid => {
                    summary.skipped += 1;
                    if summary.skipped_examples.len() < SKIPPED_SHOWN {
                        summary.skipped_examples.push(format!("{name}:{number}: {error}"));
                    }
                }
                Err(error) => {
                    progress.finish();
                    // The writer is dropped uncommitted: nothing of this run is kept.
                    bail!(
                        "{name}:{number}: {error}\nnothing was imported; --skip-invalid imports the valid lines"
                    );
                }
            }
            if number.is_multiple_of(PROGRESS_EVERY) {
                progress.update(summary.imported, started.elapsed());
            }
        }
    }
    progress.set_committing();
    writer.commit().context("committing the index")?;
    progress.finish();
    summary.elapsed = started.elapsed();
    summary.total_entries = index.num_docs();
    Ok(summary)
}

/// A buffered reader of an input, gunzipped when its name ends in `.gz` or
/// it starts with gzip's magic bytes. `read` counts the bytes taken from
/// the file (compressed, for a `.gz`), for the progress bar.
fn open_input(path: &Path, read: &Rc<Cell<u64>>) -> anyhow::Result<Box<dyn BufRead>> {
    let raw: Box<dyn Read> = if path == Path::new("-") {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(File::open(path).with_context(|| format!("opening {}", path.display()))?)
    };
    let mut raw = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: raw,
            read: Rc::clone(read),
        },
    );
    let magic = raw
        .fill_buf()
        .with_context(|| format!("reading {}", path.display()))?
        .starts_with(&[0x1f, 0x8b]);
    let named_gz = path.extension().is_some_and(|ext| ext == "gz");
    Ok(if magic || named_gz {
        Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(raw)))
    } else {
        Box::new(raw)
    })
}

/// A reader that counts what passes through it.
struct Counting<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// The progress bar on a terminal: documents, documents/s, bytes read of
/// the inputs' size and the time left; nothing otherwise.
struct Progress {
    bar: ProgressBar,
    bytes: Rc<Cell<u64>>,
}

impl Progress {
    fn new(inputs: &[PathBuf]) -> Progress {
        let bytes = Rc::default();
        if !std::io::stderr().is_terminal() {
            return Progress {
                bar: ProgressBar::hidden(),
                bytes,
            };
        }
        // Standard input has no size known in advance: no ETA then.
        let sizes: Option<u64> = inputs
            .iter()
            .map(|path| {
                std::fs::metadata(path)
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
            })
            .sum();
        let (bar, template) = match sizes {
            Some(total) => (
                ProgressBar::new(total),
                "{bar:30} {binary_bytes}/{binary_total_bytes} · {msg} · ETA {eta}",
            ),
            None => (ProgressBar::new_spinner(), "{spinner} {binary_bytes} · {msg}"),
        };
        bar.set_style(
            ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar, bytes }
    }

    fn update(&self, documents: usize, elapsed: Duration) {
        if self.bar.is_hidden() {
            return;
        }
        self.bar.set_position(self.bytes.get());
        let rate = documents as f64 / elapsed.as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{documents} documents, {} documents/s",
            thousands(rate as u64)
        ));
    }

    fn set_committing(&self) {
        self.bar.set_position(self.bytes.get());
        self.bar.set_message("committing");
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_grouped_in_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(12195), "12,195");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn the_report_quotes_the_first_skipped_lines() {
        let summary = ImportSummary {
            imported: 10,
            skipped: 7,
            skipped_examples: (1..=5).map(|n| format!("a.jsonl:{n}: date: bad")).collect(),
            inputs: vec!["a.jsonl".into()],
            elapsed: Duration::from_secs(2),
            total_entries: 10,
        };
        let report = summary.report();
        assert!(
            report.starts_with("imported 10 documents (7 skipped) from a.jsonl in 2.0 s (5 documents/s)"),
            "{report}"
        );
        assert!(
            report.contains("skipped 7 invalid lines:\n  a.jsonl:1: date: bad"),
            "{report}"
        );
        assert!(report.ends_with("and 2 more"), "{report}");
    }
}
