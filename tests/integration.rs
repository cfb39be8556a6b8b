//! End-to-end tests: the bundled mirror served on port 0, crawled by the real
//! crawler through `--mirror`, indexed on disk, and searched over HTTP.
//! One test binary, so the suite links once.

mod common;

mod api;
mod browser;
mod cli;
mod crawl;
mod faults;
mod http;
mod import;
mod passages;
mod relevance;
