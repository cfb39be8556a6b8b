//! Polite, incremental crawler for the migration-policy sources, and the
//! extractors that turn fetched pages into plain [`Document`]s.
//!
//! Everything apart from fetching is pure: URL canonicalisation, robots
//! decisions, date parsing, organisation matching and page extraction take
//! strings and return values.
//!
//! ```
//! use crawler::extract::extract_html;
//! let url = url::Url::parse("https://emnbelgium.be/news/example").unwrap();
//! let page = extract_html(
//!     &url,
//!     "<html lang=en><body><main><h1>Alternatives to detention</h1>\
//!      <p>Publication date: 21 December 2020</p>\
//!      <p>EMN Belgium and the CGVS discussed alternatives to detention for families.</p>\
//!      <p>Main Theme: Return &amp; Readmission</p></main></body></html>",
//!     "emn-belgium",
//! );
//! assert_eq!(page.document.title, "Alternatives to detention");
//! assert_eq!(page.document.date.map(|d| d.to_string()).as_deref(), Some("2020-12-21"));
//! assert_eq!(page.document.themes, ["Return & Readmission"]);
//! assert!(page.document.organisations.contains(&"CGRS".to_owned()));
//! ```

pub mod archive;
pub mod config;
pub mod crawl;
pub mod dates;
pub mod document;
pub mod error;
pub mod extract;
pub mod fetch;
pub mod language;
pub mod organisations;
pub mod replay;
pub mod robots;
pub mod sitemap;
mod slug;
pub mod state;
pub mod themes;
pub mod urls;

pub use config::{CrawlConfig, Mirror, Source};
pub use crawl::{CrawlEvent, CrawlReport, HostReport, crawl};
pub use document::{DocType, Document, Passage, PassageKind, TextBlock, Translation};
pub use error::{Error, Result};
