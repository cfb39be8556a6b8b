//! The WARC archive of every fetched response: provenance for researchers
//! (what a site served, and when) and the source `reindex` rebuilds the
//! index from without the network.
//!
//! Each crawl appends to a new `migrasearch-<UTC timestamp>-<seq>.warc.gz`
//! file: a `warcinfo` record, then a `request` and a `response` record per
//! exchange, each record its own gzip member as WARC tools expect.
//!
//! The records are written and read here rather than with the `warc` crate:
//! its 0.4 writer gzips a whole file as one stream, ignores the byte count of
//! `Write::write` (so a large body can be cut short without an error) and
//! pulls its own older `uuid`, `libflate` and `nom`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use flate2::Compression;
use flate2::bufread::GzDecoder;
use flate2::write::GzEncoder;

/// One archived exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedResponse {
    /// The real URL, never a mirror address.
    pub url: String,
    pub fetched_at: DateTime<Utc>,
    pub status: u16,
    pub request_headers: Vec<(String, String)>,
    pub response_headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What can go wrong with the archive.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Creating, writing or listing an archive file or directory failed.
    #[error("archive i/o on {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A record is not well-formed WARC or HTTP; reading skips it or ends
    /// that file with a warning, so this only names the reason.
    #[error("malformed warc record: {0}")]
    Format(String),
}

pub type Result<T> = std::result::Result<T, ArchiveError>;

const WARC_VERSION: &str = "WARC/1.1";
const FILE_PREFIX: &str = "migrasearch-";
const FILE_SUFFIX: &str = ".warc.gz";
/// Enough files for one second of crawls; a fixed width keeps name order
/// equal to creation order.
const MAX_SEQ: u32 = 99_999;
/// The body is stored de-chunked, so a WARC reader must not de-chunk it
/// again: `Transfer-Encoding` is stored under this prefix (as is any header
/// that already has it, so that reading maps every name back exactly).
const ORIG_PREFIX: &str = "X-Archive-Orig-";
/// Longest WARC header block accepted; past it the file is garbage.
const MAX_WARC_HEAD: usize = 1 << 20;
/// Initial buffer for a block: a corrupt Content-Length must not reserve
/// gigabytes before the data proves it exists.
const MAX_PREALLOC: u64 = 64 << 20;

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Appends to the current WARC file of a crawl.
pub struct ArchiveWriter {
    path: PathBuf,
    file: File,
    /// Length of the complete records; a failed append is cut back to it so
    /// that later records stay readable.
    len: u64,
    warcinfo_id: String,
}

impl ArchiveWriter {
    /// Creates `dir` if needed and starts a new file with its `warcinfo` record.
    pub fn open(dir: &Path) -> Result<ArchiveWriter> {
        fs::create_dir_all(dir).map_err(io_error(dir))?;
        let stamp = Utc::now().format("%Y%m%d%H%M%S").to_string();
        let mut seq = 0;
        let (path, file) = loop {
            let path = dir.join(format!("{FILE_PREFIX}{stamp}-{seq:05}{FILE_SUFFIX}"));
            // create_new: two crawls in the same second never share a file.
            match OpenOptions::new().append(true).create_new(true).open(&path) {
                Ok(file) => break (path, file),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists && seq < MAX_SEQ => seq += 1,
                Err(e) => return Err(io_error(&path)(e)),
            }
        };
        let mut writer = ArchiveWriter {
            path,
            file,
            len: 0,
            warcinfo_id: record_id(),
        };
        writer.write_warcinfo()?;
        Ok(writer)
    }

    /// The file this writer appends to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn write_warcinfo(&mut self) -> Result<()> {
        let file_name = self
            .path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let fields = format!(
            "software: migrasearch {}\r\nformat: WARC File Format 1.1\r\n\
             conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n",
            env!("CARGO_PKG_VERSION"),
        );
        let date = warc_date(Utc::now());
        let headers = [
            ("WARC-Type", "warcinfo"),
            ("WARC-Record-ID", self.warcinfo_id.as_str()),
            ("WARC-Date", date.as_str()),
            ("WARC-Filename", file_name.as_str()),
            ("Content-Type", "application/warc-fields"),
        ];
        let mut out = Vec::new();
        gzip_record(&mut out, &headers, &[fields.as_bytes()]).map_err(io_error(&self.path))?;
        self.commit(&out)
    }

    /// Writes the `request` and `response` records of one exchange; once this
    /// returns, both are in the file even if the process is killed.
    pub fn append(&mut self, response: &ArchivedResponse) -> Result<()> {
        let request_id = record_id();
        let response_id = record_id();
        let date = warc_date(response.fetched_at);
        let target = clean_uri(&response.url);

        let mut request_head = format!("GET {} HTTP/1.1\r\n", request_target(&response.url));
        push_http_headers(&mut request_head, &response.request_headers);
        let reason = reqwest::StatusCode::from_u16(response.status)
            .ok()
            .and_then(|status| status.canonical_reason())
            .unwrap_or("");
        let mut response_head = format!("HTTP/1.1 {:03} {reason}\r\n", response.status);
        push_http_headers(&mut response_head, &response.response_headers);

        let common = |kind, id, concurrent, content_type| {
            [
                ("WARC-Type", kind),
                ("WARC-Record-ID", id),
                ("WARC-Date", date.as_str()),
                ("WARC-Target-URI", target.as_ref()),
                ("WARC-Concurrent-To", concurrent),
                ("WARC-Warcinfo-ID", self.warcinfo_id.as_str()),
                ("Content-Type", content_type),
            ]
        };
        let request_headers = common(
            "request",
            request_id.as_str(),
            response_id.as_str(),
            "application/http;msgtype=request",
        );
        let response_headers = common(
            "response",
            response_id.as_str(),
            request_id.as_str(),
            "application/http;msgtype=response",
        );
        // Both records are compressed in memory and written in one call, so
        // a failure leaves nothing half-written behind the last good record.
        let mut out = Vec::with_capacity(response.body.len() / 2 + 4096);
        gzip_record(&mut out, &request_headers, &[request_head.as_bytes()])
            .and_then(|()| {
                gzip_record(
                    &mut out,
                    &response_headers,
                    &[response_head.as_bytes(), &response.body],
                )
            })
            .map_err(io_error(&self.path))?;
        self.commit(&out)
    }

    fn commit(&mut self, bytes: &[u8]) -> Result<()> {
        match self.file.write_all(bytes) {
            Ok(()) => {
                self.len += bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                // Best effort: if the cut fails too, readers still stop at
                // the broken record with a warning.
                let _ = self.file.set_len(self.len);
                Err(io_error(&self.path)(e))
            }
        }
    }

    /// Syncs the file to disk (appends already survive a killed process;
    /// this also covers a power loss).
    pub fn finish(self) -> Result<()> {
        self.file.sync_all().map_err(io_error(&self.path))
    }
}

/// Every response in the archive directory, oldest file first, in record
/// order. A file that ends in a broken record (a kill during a write) keeps
/// the records before it, with a warning.
pub fn read_archive(dir: &Path) -> Result<Vec<ArchivedResponse>> {
    let mut responses = Vec::new();
    scan(dir, &|_| true, &mut |response| responses.push(response))?;
    Ok(responses)
}

/// The newest archived 2xx response per URL (what `reindex` uses), by
/// `fetched_at`, later records winning ties; sorted by URL. A 304 only shows
/// that a page was checked, so it never replaces content.
pub fn latest_per_url(responses: Vec<ArchivedResponse>) -> Vec<ArchivedResponse> {
    let mut latest: HashMap<String, ArchivedResponse> = HashMap::new();
    for response in responses {
        if !(200..300).contains(&response.status) {
            continue;
        }
        match latest.get_mut(&response.url) {
            Some(kept) if kept.fetched_at > response.fetched_at => {}
            Some(kept) => *kept = response,
            None => {
                latest.insert(response.url.clone(), response);
            }
        }
    }
    let mut latest: Vec<ArchivedResponse> = latest.into_values().collect();
    latest.sort_by(|a, b| a.url.cmp(&b.url));
    latest
}

/// Where URLs last redirected to: URL → target (its `Location`, resolved
/// against the URL, not canonicalised) for each URL whose newest 2xx or 3xx
/// response (304 aside) is a redirect with a readable `Location`. The
/// counterpart of [`latest_per_url`], which keeps content only: `reindex`
/// follows these as the crawl follows redirects.
pub fn redirects(responses: &[ArchivedResponse]) -> HashMap<String, String> {
    let mut latest: HashMap<&str, &ArchivedResponse> = HashMap::new();
    for response in responses {
        if !(200..400).contains(&response.status) || response.status == 304 {
            continue;
        }
        match latest.get(response.url.as_str()) {
            Some(kept) if kept.fetched_at > response.fetched_at => {}
            _ => {
                latest.insert(&response.url, response);
            }
        }
    }
    latest
        .into_iter()
        .filter(|(_, response)| (300..400).contains(&response.status))
        .filter_map(|(url, response)| {
            let location = response
                .response_headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("location"))?;
            let target = url::Url::parse(url).ok()?.join(location.1.trim()).ok()?;
            Some((url.to_owned(), target.to_string()))
        })
        .collect()
}

/// The newest archived content of one URL (chosen as by [`latest_per_url`]),
/// reading only that URL's bodies.
pub fn find(dir: &Path, url: &str) -> Result<Option<ArchivedResponse>> {
    let mut found = Vec::new();
    scan(dir, &|target| target == url, &mut |response| found.push(response))?;
    Ok(latest_per_url(found).pop())
}

/// The archive files in name order, which is creation order.
fn archive_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(dir)(e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry.map_err(io_error(dir))?.path();
        let named = path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.ends_with(FILE_SUFFIX));
        if named && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Calls `found` with each response whose target URI is `wanted`; other
/// blocks are skipped unread into memory.
fn scan(dir: &Path, wanted: &dyn Fn(&str) -> bool, found: &mut dyn FnMut(ArchivedResponse)) -> Result<()> {
    for path in archive_files(dir)? {
        scan_file(&path, wanted, found)?;
    }
    Ok(())
}

fn scan_file(
    path: &Path,
    wanted: &dyn Fn(&str) -> bool,
    found: &mut dyn FnMut(ArchivedResponse),
) -> Result<()> {
    let file = File::open(path).map_err(io_error(path))?;
    let mut compressed = BufReader::with_capacity(1 << 16, file);
    // Request headers by the id of the response they belong to.
    let mut requests: HashMap<String, Vec<(String, String)>> = HashMap::new();
    loop {
        match compressed.fill_buf() {
            Ok([]) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(io_error(path)(e)),
        }
        // A record is used only once its whole gzip member, checksum
        // included, has been read: a member cut by a kill yields nothing.
        let mut member = BufReader::with_capacity(1 << 16, GzDecoder::new(&mut compressed));
        let mut records = Vec::new();
        loop {
            match read_record(&mut member, wanted) {
                Ok(Some(record)) => records.push(record),
                Ok(None) => break,
                Err(error) => {
                    tracing::warn!(
                        file = %path.display(),
                        %error,
                        "archive file ends in an unreadable record, keeping the records before it"
                    );
                    return Ok(());
                }
            }
        }
        for record in records {
            use_record(path, record, &mut requests, found);
        }
    }
}

fn use_record(
    path: &Path,
    mut record: WarcRecord,
    requests: &mut HashMap<String, Vec<(String, String)>>,
    found: &mut dyn FnMut(ArchivedResponse),
) {
    let Some(block) = record.block.take() else {
        return;
    };
    match record.header("WARC-Type") {
        Some("request") => match parse_http_head(&block) {
            Ok(head) => {
                if let Some(response_id) = record.header("WARC-Concurrent-To") {
                    requests.insert(response_id.to_owned(), head.headers);
                }
            }
            Err(error) => tracing::warn!(file = %path.display(), %error, "skipping archived request"),
        },
        Some("response") => {
            let request_headers = record
                .header("WARC-Record-ID")
                .and_then(|id| requests.remove(id))
                .unwrap_or_default();
            match to_response(&record, block, request_headers) {
                Ok(response) => found(response),
                Err(error) => {
                    tracing::warn!(file = %path.display(), %error, "skipping archived response")
                }
            }
        }
        _ => {}
    }
}

/// One WARC record; `block` is `None` when it was skipped unread.
struct WarcRecord {
    headers: Vec<(String, String)>,
    block: Option<Vec<u8>>,
}

impl WarcRecord {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Reads the next record, `None` at a clean end of the stream. Only request
/// and response blocks for a wanted target are kept.
fn read_record<R: BufRead>(
    reader: &mut R,
    wanted: &dyn Fn(&str) -> bool,
) -> std::result::Result<Option<WarcRecord>, ArchiveError> {
    let mut line = Vec::new();
    // Tolerate blank lines between records, as other writers leave them.
    loop {
        line.clear();
        if read_line(reader, &mut line)? == 0 {
            return Ok(None);
        }
        if !trim_eol(&line).is_empty() {
            break;
        }
    }
    if !trim_eol(&line).starts_with(b"WARC/") {
        return Err(ArchiveError::Format(
            "record does not start with a WARC version line".into(),
        ));
    }
    let mut headers = Vec::new();
    let mut head_len = line.len();
    loop {
        line.clear();
        let read = read_line(reader, &mut line)?;
        if read == 0 {
            return Err(ArchiveError::Format("record ends inside its headers".into()));
        }
        head_len += read;
        if head_len > MAX_WARC_HEAD {
            return Err(ArchiveError::Format("record headers are too long".into()));
        }
        let text = trim_eol(&line);
        if text.is_empty() {
            break;
        }
        if let Some((name, value)) = split_header(text) {
            headers.push((name, value));
        }
    }
    let mut record = WarcRecord { headers, block: None };
    let length: u64 = record
        .header("Content-Length")
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| ArchiveError::Format("record has no valid Content-Length".into()))?;
    let keep = matches!(record.header("WARC-Type"), Some("request" | "response"))
        && record.header("WARC-Target-URI").is_some_and(wanted);
    let mut limited = reader.take(length);
    let read = if keep {
        let mut block = Vec::with_capacity(length.min(MAX_PREALLOC) as usize);
        let read = limited.read_to_end(&mut block).map_err(read_error)?;
        record.block = Some(block);
        read as u64
    } else {
        io::copy(&mut limited, &mut io::sink()).map_err(read_error)?
    };
    if read < length {
        return Err(ArchiveError::Format("record ends inside its block".into()));
    }
    let mut trailer = [0u8; 4];
    reader.read_exact(&mut trailer).map_err(read_error)?;
    if &trailer != b"\r\n\r\n" {
        return Err(ArchiveError::Format(
            "record block is not followed by CRLF CRLF".into(),
        ));
    }
    Ok(Some(record))
}

fn read_line<R: BufRead>(reader: &mut R, line: &mut Vec<u8>) -> std::result::Result<usize, ArchiveError> {
    // Bounded, so a file of garbage without newlines is not read into memory.
    let limit = (MAX_WARC_HEAD + 1) as u64;
    reader.take(limit).read_until(b'\n', line).map_err(read_error)
}

/// Reading errors come from a truncated or corrupt gzip member; the path is
/// added by the caller's warning.
fn read_error(e: io::Error) -> ArchiveError {
    ArchiveError::Format(format!("unreadable data: {e}"))
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// `Name: value` with optional whitespace around the value.
fn split_header(line: &[u8]) -> Option<(String, String)> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = String::from_utf8_lossy(&line[..colon]).trim().to_owned();
    let value = String::from_utf8_lossy(&line[colon + 1..])
        .trim_matches([' ', '\t'])
        .to_owned();
    Some((name, value))
}

struct HttpHead {
    start_line: String,
    headers: Vec<(String, String)>,
    /// Bytes up to and including the blank line.
    len: usize,
}

/// Parses an HTTP message head; only the lines before the first blank line
/// are looked at, so a large body costs nothing.
fn parse_http_head(block: &[u8]) -> std::result::Result<HttpHead, ArchiveError> {
    let mut start_line = None;
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut pos = 0;
    loop {
        let Some(newline) = block[pos..].iter().position(|&b| b == b'\n') else {
            return Err(ArchiveError::Format("http message has no end of head".into()));
        };
        let line = trim_eol(&block[pos..pos + newline + 1]);
        pos += newline + 1;
        if line.is_empty() {
            break;
        }
        if start_line.is_none() {
            start_line = Some(String::from_utf8_lossy(line).into_owned());
        } else if line.starts_with(b" ") || line.starts_with(b"\t") {
            // Obsolete line folding continues the previous value.
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(String::from_utf8_lossy(line).trim());
            }
        } else if let Some((name, value)) = split_header(line) {
            headers.push((original_name(name), value));
        }
    }
    Ok(HttpHead {
        start_line: start_line.unwrap_or_default(),
        headers,
        len: pos,
    })
}

fn to_response(
    record: &WarcRecord,
    mut block: Vec<u8>,
    request_headers: Vec<(String, String)>,
) -> std::result::Result<ArchivedResponse, ArchiveError> {
    let url = record
        .header("WARC-Target-URI")
        .ok_or_else(|| ArchiveError::Format("response has no WARC-Target-URI".into()))?
        .to_owned();
    let date = record
        .header("WARC-Date")
        .ok_or_else(|| ArchiveError::Format("response has no WARC-Date".into()))?;
    let fetched_at = DateTime::parse_from_rfc3339(date)
        .map_err(|e| ArchiveError::Format(format!("bad WARC-Date {date:?}: {e}")))?
        .with_timezone(&Utc);
    let head = parse_http_head(&block)?;
    let status = head
        .start_line
        .strip_prefix("HTTP/")
        .and_then(|rest| rest.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| ArchiveError::Format(format!("bad status line {:?}", head.start_line)))?;
    // One move of the body, not a copy per record or per read.
    block.drain(..head.len);
    Ok(ArchivedResponse {
        url,
        fetched_at,
        status,
        request_headers,
        response_headers: head.headers,
        body: block,
    })
}

/// Writes one record as its own gzip member.
fn gzip_record(out: &mut Vec<u8>, headers: &[(&str, &str)], block: &[&[u8]]) -> io::Result<()> {
    let length: usize = block.iter().map(|part| part.len()).sum();
    let mut head = format!("{WARC_VERSION}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {length}\r\n\r\n"));
    let mut encoder = GzEncoder::new(out, Compression::default());
    encoder.write_all(head.as_bytes())?;
    for part in block {
        encoder.write_all(part)?;
    }
    encoder.write_all(b"\r\n\r\n")?;
    encoder.finish()?;
    Ok(())
}

fn push_http_headers(head: &mut String, headers: &[(String, String)]) {
    for (name, value) in headers {
        // Line breaks in a name or value would end the head early; a colon
        // in a name would move the split. Neither comes from a real server.
        let name: String = stored_name(name)
            .chars()
            .map(|c| if matches!(c, '\r' | '\n' | ':') { '_' } else { c })
            .collect();
        let value: String = value
            .chars()
            .map(|c| if matches!(c, '\r' | '\n') { ' ' } else { c })
            .collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
}

fn has_orig_prefix(name: &str) -> bool {
    name.get(..ORIG_PREFIX.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(ORIG_PREFIX))
}

fn stored_name(name: &str) -> Cow<'_, str> {
    if name.eq_ignore_ascii_case("transfer-encoding") || has_orig_prefix(name) {
        Cow::Owned(format!("{ORIG_PREFIX}{name}"))
    } else {
        Cow::Borrowed(name)
    }
}

fn original_name(name: String) -> String {
    if has_orig_prefix(&name) {
        let rest = &name[ORIG_PREFIX.len()..];
        if rest.eq_ignore_ascii_case("transfer-encoding") || has_orig_prefix(rest) {
            return rest.to_owned();
        }
    }
    name
}

/// The origin-form request target (path and query) of a URL.
fn request_target(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => parsed[url::Position::BeforePath..url::Position::AfterQuery].to_owned(),
        // Absolute form is valid HTTP/1.1 too.
        Err(_) => clean_uri(url).replace(' ', "%20"),
    }
}

/// A URI can hold no line break in a header; percent-encoding keeps it a URI.
fn clean_uri(url: &str) -> Cow<'_, str> {
    if url.contains(['\r', '\n']) {
        Cow::Owned(url.replace('\r', "%0D").replace('\n', "%0A"))
    } else {
        Cow::Borrowed(url)
    }
}

/// WARC/1.1 dates may carry fractions of a second; as many digits as needed
/// are kept, so `fetched_at` reads back exactly.
fn warc_date(date: DateTime<Utc>) -> String {
    date.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn record_id() -> String {
    format!("<urn:uuid:{}>", uuid::Uuid::new_v4())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_700_000_000 + seconds, 0).unwrap()
    }

    fn response(url: &str, seconds: i64, status: u16, body: &[u8]) -> ArchivedResponse {
        ArchivedResponse {
            url: url.to_owned(),
            fetched_at: at(seconds),
            status,
            request_headers: vec![("User-Agent".into(), "migrasearch-test".into())],
            response_headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: body.to_vec(),
        }
    }

    fn write_crawl(dir: &Path, responses: &[ArchivedResponse]) -> PathBuf {
        let mut writer = ArchiveWriter::open(dir).unwrap();
        for response in responses {
            writer.append(response).unwrap();
        }
        let path = writer.path().to_owned();
        writer.finish().unwrap();
        path
    }

    fn decompress(path: &Path) -> Vec<u8> {
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(File::open(path).unwrap())
            .read_to_end(&mut text)
            .unwrap();
        text
    }

    fn pdf_bytes() -> Vec<u8> {
        // Every byte value, CRLF CRLF and a fake WARC line inside the body.
        let mut body = b"%PDF-1.7\r\n\r\nWARC/1.1\r\n\r\n".to_vec();
        body.extend((0..=255u8).cycle().take(5000));
        body.extend_from_slice(b"\r\n");
        body
    }

    #[test]
    fn html_and_binary_bodies_round_trip_with_headers() {
        let dir = tempfile::tempdir().unwrap();
        let mut html = response(
            "https://emnbelgium.be/news/caf%C3%A9?page=2",
            0,
            200,
            "<html><body>Réfugiés</body></html>".as_bytes(),
        );
        html.response_headers.push(("Set-Cookie".into(), "a=1".into()));
        html.response_headers.push(("Set-Cookie".into(), "b=2".into()));
        html.request_headers.push(("Accept".into(), "*/*".into()));
        let mut pdf = response("https://cgrs.be/report.pdf", 5, 200, &pdf_bytes());
        pdf.response_headers = vec![("Content-Type".into(), "application/pdf".into())];
        let empty = ArchivedResponse {
            request_headers: Vec::new(),
            response_headers: Vec::new(),
            ..response("https://cgrs.be/gone", 6, 404, b"")
        };
        write_crawl(dir.path(), &[html.clone(), pdf.clone(), empty.clone()]);

        assert_eq!(read_archive(dir.path()).unwrap(), [html, pdf, empty]);
    }

    #[test]
    fn fractional_fetch_times_read_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let mut page = response("https://example.org/", 0, 200, b"x");
        page.fetched_at = Utc.timestamp_opt(1_700_000_000, 123_456_789).unwrap();
        write_crawl(dir.path(), std::slice::from_ref(&page));
        assert_eq!(read_archive(dir.path()).unwrap(), [page]);
    }

    #[test]
    fn large_binary_body_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let body: Vec<u8> = (0..20u32 << 20)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let page = response("https://example.org/big.pdf", 0, 200, &body);
        write_crawl(dir.path(), std::slice::from_ref(&page));
        let read = read_archive(dir.path()).unwrap();
        assert_eq!(read.len(), 1);
        assert!(read[0].body == body, "20 MB body differs");
    }

    #[test]
    fn each_crawl_writes_a_new_named_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = write_crawl(dir.path(), &[]);
        let second = write_crawl(dir.path(), &[]);
        assert_ne!(first, second);
        for path in [&first, &second] {
            let name = path.file_name().unwrap().to_str().unwrap();
            let stamp = name
                .strip_prefix("migrasearch-")
                .unwrap()
                .strip_suffix(".warc.gz")
                .unwrap();
            let (time, seq) = stamp.split_once('-').unwrap();
            assert_eq!(time.len(), 14, "{name}");
            assert!(time.bytes().all(|b| b.is_ascii_digit()), "{name}");
            assert_eq!(seq.len(), 5, "{name}");
        }
        assert_eq!(archive_files(dir.path()).unwrap(), [first, second]);
    }

    #[test]
    fn two_crawls_latest_picks_newer_2xx_and_ignores_304_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let old_a = response("https://a.example/", 0, 200, b"old a");
        let old_c = response("https://c.example/", 0, 200, b"c content");
        let only_b = response("https://b.example/", 0, 404, b"missing");
        write_crawl(dir.path(), &[old_a, old_c.clone(), only_b]);
        let new_a = response("https://a.example/", 100, 200, b"new a");
        let checked_a = response("https://a.example/", 200, 304, b"");
        let failed_c = response("https://c.example/", 100, 500, b"oops");
        write_crawl(dir.path(), &[new_a.clone(), checked_a, failed_c]);

        assert_eq!(archive_files(dir.path()).unwrap().len(), 2);
        let all = read_archive(dir.path()).unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(latest_per_url(all), [new_a, old_c]);
    }

    #[test]
    fn redirects_are_the_newest_answer_of_their_url() {
        let moved = |url: &str, at: i64, location: &str| {
            let mut r = response(url, at, 301, b"");
            r.response_headers.push(("Location".into(), location.into()));
            r
        };
        let all = [
            moved("https://a.example/old", 0, "/new"),
            moved("https://a.example/back", 0, "https://a.example/x"),
            response("https://a.example/back", 100, 200, b"content again"),
            moved("https://a.example/checked", 0, "https://b.example/y"),
            response("https://a.example/checked", 100, 304, b""),
            response("https://a.example/nowhere", 0, 302, b""),
        ];
        let found = redirects(&all);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found["https://a.example/old"], "https://a.example/new");
        assert_eq!(found["https://a.example/checked"], "https://b.example/y");
    }

    #[test]
    fn latest_prefers_the_later_record_on_equal_times() {
        let first = response("https://a.example/", 0, 200, b"first");
        let second = response("https://a.example/", 0, 200, b"second");
        let older = response("https://a.example/", -5, 200, b"older");
        assert_eq!(latest_per_url(vec![first, second.clone(), older]), [second]);
    }

    fn assert_truncation_keeps_earlier(cut: impl Fn(u64, u64) -> u64) {
        let dir = tempfile::tempdir().unwrap();
        let kept = [
            response("https://a.example/1", 0, 200, b"one"),
            response("https://a.example/2", 1, 200, &pdf_bytes()),
        ];
        let mut writer = ArchiveWriter::open(dir.path()).unwrap();
        for page in &kept {
            writer.append(page).unwrap();
        }
        let before_last = fs::metadata(writer.path()).unwrap().len();
        writer
            .append(&response("https://a.example/3", 2, 200, &pdf_bytes()))
            .unwrap();
        let path = writer.path().to_owned();
        writer.finish().unwrap();
        let full = fs::metadata(&path).unwrap().len();
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(cut(before_last, full))
            .unwrap();
        // A later crawl's file is still read after the broken one.
        let later = response("https://a.example/4", 3, 200, b"four");
        write_crawl(dir.path(), std::slice::from_ref(&later));

        let mut expected = kept.to_vec();
        expected.push(later);
        assert_eq!(read_archive(dir.path()).unwrap(), expected);
    }

    #[test]
    fn truncated_last_bytes_keep_the_complete_earlier_records() {
        assert_truncation_keeps_earlier(|_, full| full - 3);
    }

    #[test]
    fn record_cut_in_the_middle_keeps_the_complete_earlier_records() {
        assert_truncation_keeps_earlier(|before, full| before + (full - before) / 2);
    }

    #[test]
    fn record_cut_right_after_its_gzip_header_keeps_earlier_records() {
        assert_truncation_keeps_earlier(|before, _| before + 12);
    }

    #[test]
    fn garbage_after_the_records_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        let page = response("https://a.example/", 0, 200, b"page");
        let path = write_crawl(dir.path(), std::slice::from_ref(&page));
        File::options()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"not gzip at all")
            .unwrap();
        assert_eq!(read_archive(dir.path()).unwrap(), [page]);
    }

    #[test]
    fn empty_or_missing_directory_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_archive(dir.path()).unwrap().is_empty());
        assert!(read_archive(&dir.path().join("missing")).unwrap().is_empty());
        assert_eq!(
            find(&dir.path().join("missing"), "https://a.example/").unwrap(),
            None
        );
    }

    #[test]
    fn empty_files_and_other_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        File::create(dir.path().join("migrasearch-20000101000000-00000.warc.gz")).unwrap();
        fs::write(dir.path().join("notes.txt"), "not an archive").unwrap();
        fs::create_dir(dir.path().join("sub.warc.gz")).unwrap();
        let page = response("https://a.example/", 0, 200, b"page");
        write_crawl(dir.path(), std::slice::from_ref(&page));
        assert_eq!(read_archive(dir.path()).unwrap(), [page]);
    }

    #[test]
    fn only_warcinfo_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        write_crawl(dir.path(), &[]);
        assert!(read_archive(dir.path()).unwrap().is_empty());
    }

    #[test]
    fn find_returns_the_newest_content_of_one_url() {
        let dir = tempfile::tempdir().unwrap();
        let old = response("https://a.example/", 0, 200, b"old");
        let other = response("https://b.example/", 50, 200, b"other");
        write_crawl(dir.path(), &[old, other.clone()]);
        let new = response("https://a.example/", 100, 200, b"new");
        let checked = response("https://a.example/", 200, 304, b"");
        write_crawl(dir.path(), &[new.clone(), checked]);

        assert_eq!(find(dir.path(), "https://a.example/").unwrap(), Some(new));
        assert_eq!(find(dir.path(), "https://b.example/").unwrap(), Some(other));
        assert_eq!(find(dir.path(), "https://c.example/").unwrap(), None);
    }

    #[test]
    fn file_is_gzip_per_record_starting_with_warcinfo() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_crawl(
            dir.path(),
            &[
                response("https://a.example/", 0, 200, b"a"),
                response("https://b.example/", 1, 200, b"b"),
            ],
        );
        let text = String::from_utf8_lossy(&decompress(&path)).into_owned();
        assert!(text.starts_with("WARC/1.1\r\nWARC-Type: warcinfo\r\n"), "{text}");
        assert!(text.contains("software: migrasearch "), "{text}");
        assert_eq!(text.matches("WARC/1.1\r\n").count(), 5);

        // One member per record: a single-member decoder stops after each.
        let bytes = fs::read(&path).unwrap();
        let mut rest: &[u8] = &bytes;
        let mut members = Vec::new();
        while !rest.is_empty() {
            let mut decoder = flate2::bufread::GzDecoder::new(rest);
            let mut member = Vec::new();
            decoder.read_to_end(&mut member).unwrap();
            rest = decoder.into_inner();
            members.push(String::from_utf8(member).unwrap());
        }
        assert_eq!(members.len(), 5);
        assert!(
            members
                .iter()
                .all(|m| m.starts_with("WARC/1.1\r\n") && m.ends_with("\r\n\r\n"))
        );
    }

    #[test]
    fn request_and_response_records_are_linked_and_use_the_real_url() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_crawl(
            dir.path(),
            &[response("https://a.example/path?q=1", 0, 200, b"a")],
        );
        let bytes = decompress(&path);
        let mut reader: &[u8] = &bytes;
        let mut records = Vec::new();
        while let Some(record) = read_record(&mut reader, &|_| true).unwrap() {
            records.push(record);
        }
        let [info, request, response] = &records[..] else {
            panic!("expected 3 records, got {}", records.len())
        };
        let id = |record: &WarcRecord, name| record.header(name).unwrap().to_owned();
        assert_eq!(id(request, "WARC-Concurrent-To"), id(response, "WARC-Record-ID"));
        assert_eq!(id(response, "WARC-Concurrent-To"), id(request, "WARC-Record-ID"));
        assert_eq!(id(response, "WARC-Warcinfo-ID"), id(info, "WARC-Record-ID"));
        for record in [request, response] {
            assert_eq!(id(record, "WARC-Target-URI"), "https://a.example/path?q=1");
            assert_eq!(id(record, "WARC-Date"), "2023-11-14T22:13:20Z");
            let record_id = id(record, "WARC-Record-ID");
            assert!(record_id.starts_with("<urn:uuid:") && record_id.ends_with('>'));
            assert_eq!(record_id.len(), "<urn:uuid:>".len() + 36);
        }
        assert_ne!(id(request, "WARC-Record-ID"), id(response, "WARC-Record-ID"));
        assert!(
            request
                .block
                .as_ref()
                .unwrap()
                .starts_with(b"GET /path?q=1 HTTP/1.1\r\n")
        );
        assert!(
            response
                .block
                .as_ref()
                .unwrap()
                .starts_with(b"HTTP/1.1 200 OK\r\n")
        );
        assert_eq!(
            response.header("Content-Type"),
            Some("application/http;msgtype=response")
        );
    }

    #[test]
    fn transfer_encoding_is_stored_under_a_prefix_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut page = response("https://a.example/", 0, 200, b"de-chunked");
        page.response_headers = vec![
            ("transfer-encoding".into(), "chunked".into()),
            ("X-Archive-Orig-Date".into(), "kept".into()),
        ];
        let path = write_crawl(dir.path(), std::slice::from_ref(&page));
        let text = String::from_utf8_lossy(&decompress(&path)).into_owned();
        assert!(
            text.contains("\r\nX-Archive-Orig-transfer-encoding: chunked\r\n"),
            "{text}"
        );
        assert!(!text.contains("\r\ntransfer-encoding"), "{text}");
        assert_eq!(read_archive(dir.path()).unwrap(), [page]);
    }

    #[test]
    fn line_breaks_in_headers_or_url_cannot_break_the_records() {
        let dir = tempfile::tempdir().unwrap();
        let mut odd = response("https://a.example/x\r\nWARC-Type: evil", 0, 999, b"body");
        odd.response_headers = vec![("Bad\r\nName:".into(), "v1\r\n\r\nv2".into())];
        let normal = response("https://b.example/", 1, 200, b"fine");
        write_crawl(dir.path(), &[odd, normal.clone()]);
        let read = read_archive(dir.path()).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].url, "https://a.example/x%0D%0AWARC-Type: evil");
        assert_eq!(read[0].status, 999);
        assert_eq!(
            read[0].response_headers,
            [("Bad__Name_".to_owned(), "v1    v2".to_owned())]
        );
        assert_eq!(read[0].body, b"body");
        assert_eq!(read[1], normal);
    }

    #[test]
    fn http_heads_parse_leniently() {
        let head =
            parse_http_head(b"HTTP/1.0 301 Moved\nLocation: /new\n  /folded\nnocolon\n\nbody").unwrap();
        assert_eq!(head.start_line, "HTTP/1.0 301 Moved");
        assert_eq!(head.headers, [("Location".to_owned(), "/new /folded".to_owned())]);
        assert_eq!(
            head.len,
            b"HTTP/1.0 301 Moved\nLocation: /new\n  /folded\nnocolon\n\n".len()
        );
        assert!(parse_http_head(b"HTTP/1.1 200 OK\r\nno end").is_err());
        assert!(parse_http_head(b"").is_err());
    }

    #[test]
    fn malformed_records_are_reported_not_panicked_on() {
        for input in [
            &b"garbage\r\n\r\n"[..],
            b"WARC/1.1\r\nWARC-Type: response\r\n\r\n",
            b"WARC/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
            b"WARC/1.1\r\nContent-Length: 10\r\n\r\nshort",
            b"WARC/1.1\r\nContent-Length: 2\r\n\r\nabXXXX",
            b"WARC/1.1\r\nWARC-Type",
        ] {
            let mut reader = input;
            assert!(read_record(&mut reader, &|_| true).is_err(), "{input:?}");
        }
        let mut blank: &[u8] = b"\r\n\r\n";
        assert!(read_record(&mut blank, &|_| true).unwrap().is_none());
    }

    #[test]
    fn responses_with_bad_dates_or_status_lines_are_skipped() {
        let record = |date: &str| WarcRecord {
            headers: vec![
                ("WARC-Target-URI".into(), "https://a.example/".into()),
                ("WARC-Date".into(), date.into()),
            ],
            block: None,
        };
        assert!(
            to_response(
                &record("yesterday"),
                b"HTTP/1.1 200 OK\r\n\r\n".to_vec(),
                Vec::new()
            )
            .is_err()
        );
        assert!(
            to_response(
                &record("2024-01-01T00:00:00Z"),
                b"HTTP/1.1 abc\r\n\r\n".to_vec(),
                Vec::new()
            )
            .is_err()
        );
        let ok = to_response(
            &record("2024-01-01T00:00:00Z"),
            b"HTTP/1.1 204\r\n\r\n".to_vec(),
            Vec::new(),
        )
        .unwrap();
        assert_eq!(ok.status, 204);
        assert!(ok.body.is_empty());
    }
}
