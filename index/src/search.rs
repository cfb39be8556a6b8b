//! The index handle and searching: filters, sorting, pagination, facet
//! counts and hits.

use std::ops::Bound;
use std::path::Path;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::analysis;
use crate::document::{Document, StoredDocument, document_id};
use crate::error::{Error, Result};
use crate::query::{self, Expansion, QueryBuilder};
use crate::schema::{self, Fields};
use crate::snippet::Snippeter;
use crate::thesaurus::Thesaurus;
use crate::writer::IndexWriter;

/// Largest page a caller may ask for.
pub const MAX_PER_PAGE: usize = 1_000;

/// State shared by the index handle and its writer.
pub(crate) struct Shared {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
}

/// A searchable index. Cheap to clone; clones share the same index.
#[derive(Clone)]
pub struct SearchIndex {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("num_docs", &self.num_docs())
            .finish()
    }
}

/// What to search for; see the field docs for the semantics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// User query (see the crate docs for the syntax); empty matches all.
    pub query: String,
    /// Facet filters.
    pub filters: Filters,
    /// Earliest date, inclusive. Undated documents are excluded when set.
    pub from: Option<NaiveDate>,
    /// Latest date, inclusive. Undated documents are excluded when set.
    pub to: Option<NaiveDate>,
    /// Result order.
    pub sort: Sort,
    /// Page number, from 1.
    pub page: usize,
    /// Hits per page, 1 to [`MAX_PER_PAGE`].
    pub per_page: usize,
    /// Also search the thesaurus terms of other languages for the concepts
    /// the query names (`statelessness` → `apatridie`, `staatloosheid`).
    pub expand: bool,
    /// Tolerate typos: a word of 5 letters or more also finds terms one
    /// edit away (two from 9 letters), ranked below exact matches. Names and
    /// acronyms (`AMIF`, `DG HOME`) and words with digits stay exact.
    pub fuzzy: bool,
    /// Also search Dutch and German compounds as their parts
    /// (`opvangcrisis` finds `crisis van de opvang`). Documents are split
    /// at index time whatever this says, so `opvang` finds `opvangcrisis`.
    pub decompound: bool,
}

impl Default for SearchRequest {
    fn default() -> SearchRequest {
        SearchRequest {
            query: String::new(),
            filters: Filters::default(),
            from: None,
            to: None,
            sort: Sort::default(),
            page: 1,
            per_page: 20,
            expand: true,
            fuzzy: true,
            decompound: true,
        }
    }
}

/// Facet filters: values of one facet are ORed, facets are ANDed. An empty
/// list does not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// Canonical theme labels.
    pub theme: Vec<String>,
    /// Canonical organisation names.
    pub organisation: Vec<String>,
    /// Publication years.
    pub year: Vec<i32>,
    /// Language codes.
    pub language: Vec<String>,
    /// Source sites.
    pub source: Vec<String>,
    /// Document types.
    #[serde(rename = "type", alias = "doc_type")]
    pub doc_type: Vec<String>,
}

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first; an empty query lists newest first.
    #[default]
    Relevance,
    /// Newest first, undated last.
    Date,
}

/// One page of results with facet counts over all matching documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    /// Number of matching documents.
    pub total: usize,
    /// The requested page.
    pub hits: Vec<Hit>,
    /// Counts per facet value over all matching documents.
    pub facets: Facets,
    /// The thesaurus expansions the query used.
    pub expansions: Vec<Expansion>,
}

/// One matching document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Canonical URL.
    pub url: String,
    /// Title.
    pub title: String,
    /// HTML: escaped text with matches in `<mark>`.
    pub snippet: String,
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Publication year.
    pub year: Option<i32>,
    /// Language codes.
    pub language: Vec<String>,
    /// Theme labels the source shows.
    pub themes: Vec<String>,
    /// Theme labels inferred from the text, for a document that shows none.
    pub themes_inferred: Vec<String>,
    /// Organisation names.
    pub organisations: Vec<String>,
    /// Source site.
    pub source: String,
    /// Document type.
    #[serde(rename = "type")]
    pub doc_type: String,
    /// Relevance score; 0 when the query has nothing to rank by.
    pub score: f32,
    /// Page the document was found on.
    pub parent_url: Option<String>,
}

/// Facet counts. Lists are sorted by count (descending) then value, except
/// `year`, sorted by year descending.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facets {
    /// Themes.
    pub theme: Vec<FacetCount>,
    /// Years, as strings.
    pub year: Vec<FacetCount>,
    /// Organisations.
    pub organisation: Vec<FacetCount>,
    /// Languages.
    pub language: Vec<FacetCount>,
    /// Sources.
    pub source: Vec<FacetCount>,
    /// Document types.
    #[serde(rename = "type")]
    pub doc_type: Vec<FacetCount>,
}

/// One facet value and how many matching documents have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value (a year is written as `"2020"`).
    pub value: String,
    /// Number of matching documents.
    pub count: u64,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index
    /// if needed.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex> {
        std::fs::create_dir_all(dir)?;
        let directory = MmapDirectory::open(dir).map_err(tantivy::TantivyError::from)?;
        let index =
            Index::open_or_create(directory, schema::build_schema()).map_err(|error| match error {
                tantivy::TantivyError::SchemaError(message) => Error::Incompatible(message),
                tantivy::TantivyError::IncompatibleIndex(incompatibility) => {
                    Error::Incompatible(format!("{incompatibility:?}"))
                }
                other => Error::Tantivy(other),
            })?;
        SearchIndex::from_index(index)
    }

    /// Creates an empty index in memory, for tests.
    pub fn create_in_ram() -> Result<SearchIndex> {
        SearchIndex::from_index(Index::create_in_ram(schema::build_schema()))
    }

    fn from_index(index: Index) -> Result<SearchIndex> {
        analysis::register_analyzers(index.tokenizers());
        let fields = Fields::new(&index.schema())?;
        // Reloaded by `IndexWriter::commit`, so a search right after a
        // commit sees it, with no polling thread.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            shared: Arc::new(Shared {
                index,
                reader,
                fields,
            }),
        })
    }

    /// Opens the writer. Only one may be open at a time: a second call
    /// before the first is committed or dropped fails with
    /// [`Error::WriterBusy`].
    pub fn writer(&self) -> Result<IndexWriter> {
        IndexWriter::new(Arc::clone(&self.shared))
    }

    /// Number of documents as of the last commit.
    pub fn num_docs(&self) -> u64 {
        self.shared.reader.searcher().num_docs()
    }

    /// Whether a document with this canonical URL is in the index.
    pub fn contains(&self, url: &str) -> Result<bool> {
        let searcher = self.shared.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.shared.fields.url, url),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&query, &Count)? > 0)
    }

    /// The document with this id, if any.
    pub fn get(&self, id: &str) -> Result<Option<StoredDocument>> {
        let searcher = self.shared.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.shared.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, address)) => {
                let document = self.load(&searcher, *address)?;
                Ok(Some(StoredDocument {
                    id: document_id(&document.url),
                    document,
                }))
            }
            None => Ok(None),
        }
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        validate(request)?;
        let fields = &self.shared.fields;
        let searcher = self.shared.reader.searcher();

        let mut builder = QueryBuilder::new(&self.shared.index, fields)
            .with_typos(request.fuzzy.then_some(&searcher))
            .with_decompounding(request.decompound);
        let thesaurus = request.expand.then(Thesaurus::builtin);
        let built = builder.build(&query::parse(&request.query), thesaurus);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, built.query.box_clone())];
        for filter in filter_queries(fields, request) {
            // Filters select, they must not change the ranking.
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
        }
        let full_query = BooleanQuery::new(clauses);

        // Never ask tantivy for more than exists: it allocates the window.
        let alive = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let start = (request.page - 1).saturating_mul(request.per_page).min(alive);
        let end = start.saturating_add(request.per_page).min(alive);
        let by_date = request.sort == Sort::Date || !built.scored;

        let (total, top, counts) = if start >= end {
            let (total, counts) = searcher.search(&full_query, &(Count, facet_collectors()))?;
            (total, Vec::new(), counts)
        } else if by_date {
            let top = TopDocs::for_doc_range(start..end).order_by((
                (
                    SortByStaticFastValue::<i64>::for_field(schema::DATE_ORDER),
                    Order::Desc,
                ),
                (SortBySimilarityScore, Order::Desc),
            ));
            let (total, top, counts) = searcher.search(&full_query, &(Count, top, facet_collectors()))?;
            let top = top
                .into_iter()
                .map(|((_, score), address)| (score, address))
                .collect();
            (total, top, counts)
        } else {
            let top = TopDocs::for_doc_range(start..end).order_by_score();
            searcher.search(&full_query, &(Count, top, facet_collectors()))?
        };

        let snippeter = Snippeter::new(&searcher, built.query.as_ref(), fields, built.scored)?;
        // The words typed are quoted first; the thesaurus terms only when
        // the document matched through them alone.
        let literal = match built.expansions.is_empty() {
            true => None,
            false => {
                let literal = builder.build(&query::parse(&request.query), None);
                Some(Snippeter::new(
                    &searcher,
                    literal.query.as_ref(),
                    fields,
                    literal.scored,
                )?)
            }
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let document = self.load(&searcher, address)?;
            let snippet = literal
                .as_ref()
                .and_then(|literal| literal.marked(&document))
                .unwrap_or_else(|| snippeter.snippet(&document));
            hits.push(hit(document, snippet, if built.scored { score } else { 0.0 }));
        }
        Ok(SearchResults {
            total,
            hits,
            facets: facets(counts),
            expansions: built.expansions,
        })
    }

    fn load(&self, searcher: &Searcher, address: DocAddress) -> Result<Document> {
        let stored: TantivyDocument = searcher.doc(address)?;
        let json = stored
            .get_first(self.shared.fields.doc)
            .and_then(|value| value.as_str())
            .ok_or_else(|| Error::Corrupt("stored document has no json".into()))?;
        serde_json::from_str(json).map_err(|error| Error::Corrupt(error.to_string()))
    }
}

fn validate(request: &SearchRequest) -> Result<()> {
    if request.page == 0 {
        return Err(Error::InvalidRequest("page starts at 1".into()));
    }
    if request.per_page == 0 || request.per_page > MAX_PER_PAGE {
        return Err(Error::InvalidRequest(format!(
            "per_page must be between 1 and {MAX_PER_PAGE}"
        )));
    }
    if let (Some(from), Some(to)) = (request.from, request.to)
        && from > to
    {
        return Err(Error::InvalidRequest("from is after to".into()));
    }
    Ok(())
}

/// One query per active facet filter and one for the date range.
fn filter_queries(fields: &Fields, request: &SearchRequest) -> Vec<Box<dyn Query>> {
    let filters = &request.filters;
    let years: Vec<String> = filters.year.iter().map(i32::to_string).collect();
    let wanted: [(&str, &[String]); 6] = [
        (schema::THEME, &filters.theme),
        (schema::YEAR, &years),
        (schema::ORGANISATION, &filters.organisation),
        (schema::LANGUAGE, &filters.language),
        (schema::SOURCE, &filters.source),
        (schema::TYPE, &filters.doc_type),
    ];
    let mut queries: Vec<Box<dyn Query>> = Vec::new();
    for (name, values) in wanted {
        let Some(field) = fields.facet(name) else {
            continue;
        };
        let alternatives: Vec<Box<dyn Query>> = values
            .iter()
            .filter_map(|value| schema::facet_value(name, value))
            .map(|value| -> Box<dyn Query> {
                let term = Term::from_facet(field, &schema::facet_of(&value));
                Box::new(TermQuery::new(term, IndexRecordOption::Basic))
            })
            .collect();
        if !alternatives.is_empty() {
            queries.push(Box::new(BooleanQuery::union(alternatives)));
        }
    }
    if request.from.is_some() || request.to.is_some() {
        let bound = |date: Option<NaiveDate>| match date {
            Some(date) => Bound::Included(Term::from_field_i64(fields.date, schema::date_value(date))),
            None => Bound::Unbounded,
        };
        queries.push(Box::new(RangeQuery::new(bound(request.from), bound(request.to))));
    }
    queries
}

type FacetCollectors = (
    (FacetCollector, FacetCollector, FacetCollector),
    (FacetCollector, FacetCollector, FacetCollector),
);
type FacetFruits = (
    (FacetCounts, FacetCounts, FacetCounts),
    (FacetCounts, FacetCounts, FacetCounts),
);

/// Counters for the six facet fields, in [`schema::FACETS`] order (tantivy
/// tuples stop at four, hence two triples).
fn facet_collectors() -> FacetCollectors {
    let collector = |name: &str| {
        let mut collector = FacetCollector::for_field(name);
        collector.add_facet("/");
        collector
    };
    let [a, b, c, d, e, f] = schema::FACETS;
    (
        (collector(a), collector(b), collector(c)),
        (collector(d), collector(e), collector(f)),
    )
}

fn facets(counts: FacetFruits) -> Facets {
    let ((theme, year, organisation), (language, source, doc_type)) = counts;
    let mut year = facet_counts(&year);
    year.sort_by(|a, b| {
        let key = |count: &FacetCount| count.value.parse::<i64>().unwrap_or(i64::MIN);
        key(b).cmp(&key(a)).then_with(|| a.value.cmp(&b.value))
    });
    Facets {
        theme: facet_counts(&theme),
        year,
        organisation: facet_counts(&organisation),
        language: facet_counts(&language),
        source: facet_counts(&source),
        doc_type: facet_counts(&doc_type),
    }
}

fn facet_counts(counts: &FacetCounts) -> Vec<FacetCount> {
    let mut list: Vec<FacetCount> = counts
        .get("/")
        .filter_map(|(facet, count)| {
            let value = facet.to_path().last().map(|value| (*value).to_owned())?;
            Some(FacetCount { value, count })
        })
        .collect();
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    list
}

fn hit(document: Document, snippet: String, score: f32) -> Hit {
    Hit {
        id: document_id(&document.url),
        year: document.date.map(|date| date.year()),
        date: document.date,
        url: document.url,
        title: document.title,
        snippet,
        language: document.languages,
        themes: document.themes,
        themes_inferred: document.themes_inferred,
        organisations: document.organisations,
        source: document.source,
        doc_type: document.doc_type,
        score,
        parent_url: document.parent_url,
    }
}
