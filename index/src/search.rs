//! The index handle and searching: filters, sorting, pagination, facet
//! counts and hits.

use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::analysis;
use crate::collapse::{self, DistinctGroups};
use crate::document::{Document, StoredDocument, document_id};
use crate::error::{Error, Result};
use crate::facets::{self, Many};
use crate::query::{self, Expansion, QueryBuilder};
use crate::schema::{self, Fields};
use crate::snippet::{self, Snippeter};
use crate::thesaurus::Thesaurus;
use crate::writer::IndexWriter;

/// Largest page a caller may ask for.
pub const MAX_PER_PAGE: usize = 1_000;

/// Most hits [`SearchIndex::export`] returns.
pub const MAX_EXPORT: usize = 10_000;

/// Values listed per facet unless [`SearchRequest::facet_size`] says.
pub const DEFAULT_FACET_SIZE: usize = 10;

/// Snippets per hit at most, from different places of the document.
const MAX_SNIPPETS: usize = 3;

/// Most versions listed for one hit (a text is rarely in more than four
/// languages; the cap keeps a malformed group cheap).
const MAX_VERSIONS: usize = 16;

/// State shared by the index handle and its writer.
pub(crate) struct Shared {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// The directory the index was opened from; `None` in memory.
    pub dir: Option<PathBuf>,
}

/// A searchable index. Cheap to clone; clones share the same index.
#[derive(Clone)]
pub struct SearchIndex {
    pub(crate) shared: Arc<Shared>,
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Show translations of one text (linked passages and pages) as one
    /// hit listing its versions; `false` lists every version apart.
    pub collapse: bool,
    /// Language whose version a collapsed hit shows first (`lang`); without
    /// it, the query's language when the thesaurus tells it.
    pub prefer_language: Option<String>,
    /// Values listed per facet (default [`DEFAULT_FACET_SIZE`]): the most
    /// frequent, plus every selected value wherever it ranks (0: only
    /// those). The `year` list is never cut.
    pub facet_size: usize,
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
            collapse: true,
            prefer_language: None,
            facet_size: DEFAULT_FACET_SIZE,
        }
    }
}

/// Facet filters: values of one facet are ORed, facets are ANDed. An empty
/// list does not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Keywords, as the documents give them.
    pub keyword: Vec<String>,
}

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Best match first; an empty query lists newest first.
    #[default]
    Relevance,
    /// Newest first, undated last.
    Date,
}

/// One page of results with facet counts over the matching documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// Number of hits: matching documents, translations counted once when
    /// collapsed.
    pub total: usize,
    /// The requested page.
    pub hits: Vec<Hit>,
    /// Counts per facet value (see [`Facets`]).
    pub facets: Facets,
    /// The thesaurus expansions the query used.
    pub expansions: Vec<Expansion>,
}

/// One matching document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Hit {
    /// Document id.
    pub id: String,
    /// Canonical URL.
    pub url: String,
    /// Title.
    pub title: String,
    /// HTML: escaped text with matches in `<mark>`; without matches in the
    /// text, its beginning.
    pub snippet: String,
    /// Up to three snippets from different places of the document, best
    /// first (equal to [`snippet`](Self::snippet)); one (the beginning) or
    /// none when nothing in the text matched.
    pub snippets: Vec<String>,
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
    /// Page the document was found on, or the document a passage is part of.
    pub parent_url: Option<String>,
    /// The document a passage is part of, or the page a file was found on.
    pub parent: Option<ParentRef>,
    /// Set when the hit is a passage of [`parent`](Self::parent).
    pub passage: Option<PassageRef>,
    /// Every language version of the hit, the one shown first; empty when
    /// the document has no known translation or results are not collapsed.
    pub versions: Vec<Version>,
}

/// The parent of a hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ParentRef {
    /// Document id, when the parent is indexed.
    pub id: Option<String>,
    /// Canonical URL.
    pub url: String,
    /// Title, when known.
    pub title: Option<String>,
}

/// What kind of passage a hit is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PassageRef {
    /// `session`, `project` or `item`.
    pub kind: String,
    /// Fragment id in the parent.
    pub anchor: String,
    /// A session's time slots, a project's code or period.
    pub slot: Option<String>,
}

/// One language version of a collapsed hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Version {
    /// Document id.
    pub id: String,
    /// Canonical URL.
    pub url: String,
    /// Title in that language.
    pub title: String,
    /// Main language code.
    pub language: Option<String>,
}

/// Facet counts, disjunctive: a facet with selected values counts the
/// documents matching the query and every *other* filter (dates included),
/// so its other values show what choosing them too would add; a facet
/// without selection counts the matching documents. Lists are sorted by
/// count (descending) then value and cut to
/// [`SearchRequest::facet_size`], every selected value kept (count 0 when
/// nothing has it). `year` lists every year from the first to the last,
/// ascending, with 0 for the years between that have nothing, uncut.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Keywords.
    pub keyword: Vec<FacetCount>,
}

/// One facet value and how many matching documents have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// The value (a year is written as `"2020"`).
    pub value: String,
    /// Number of matching documents.
    pub count: u64,
    /// Whether the request filters on this value.
    pub selected: bool,
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
        SearchIndex::from_index(index, Some(dir.to_owned()))
    }

    /// Creates an empty index in memory, for tests.
    pub fn create_in_ram() -> Result<SearchIndex> {
        SearchIndex::from_index(Index::create_in_ram(schema::build_schema()), None)
    }

    fn from_index(index: Index, dir: Option<PathBuf>) -> Result<SearchIndex> {
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
                dir,
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

    /// Whether a document with this canonical URL, or passages of it, are
    /// in the index (a listing is indexed through its passages alone).
    pub fn contains(&self, url: &str) -> Result<bool> {
        let searcher = self.shared.reader.searcher();
        let fields = &self.shared.fields;
        let query = BooleanQuery::union(vec![
            Box::new(TermQuery::new(
                Term::from_field_text(fields.url, url),
                IndexRecordOption::Basic,
            )),
            Box::new(TermQuery::new(
                Term::from_field_text(fields.container, url),
                IndexRecordOption::Basic,
            )),
        ]);
        Ok(searcher.search(&query, &Count)? > 0)
    }

    /// The document with this id, if any.
    pub fn get(&self, id: &str) -> Result<Option<StoredDocument>> {
        let searcher = self.shared.reader.searcher();
        match self.address_of(&searcher, id)? {
            Some(address) => {
                let document = self.load(&searcher, address)?;
                Ok(Some(StoredDocument {
                    id: document_id(&document.url),
                    document,
                }))
            }
            None => Ok(None),
        }
    }

    /// Where the document with this id is, if any.
    pub(crate) fn address_of(&self, searcher: &Searcher, id: &str) -> Result<Option<DocAddress>> {
        let query = TermQuery::new(
            Term::from_field_text(self.shared.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.first().map(|(_, address)| *address))
    }

    /// Runs a search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        validate(request)?;
        let first = (request.page - 1).saturating_mul(request.per_page);
        self.execute(request, first, request.per_page, MAX_SNIPPETS)
    }

    /// Every hit of a search, ranked and collapsed as [`search`](Self::search)
    /// ranks them, at most `limit` (and never more than [`MAX_EXPORT`]);
    /// `page` and `per_page` are ignored. `total` and `facets` are the
    /// search's; each hit has one snippet, the best.
    pub fn export(&self, request: &SearchRequest, limit: usize) -> Result<SearchResults> {
        validate_dates(request)?;
        self.execute(request, 0, limit.min(MAX_EXPORT), 1)
    }

    /// Runs a search for `count` hits from rank `first`, with up to
    /// `most_snippets` snippets each.
    fn execute(
        &self,
        request: &SearchRequest,
        first: usize,
        count: usize,
        most_snippets: usize,
    ) -> Result<SearchResults> {
        let fields = &self.shared.fields;
        let searcher = self.shared.reader.searcher();

        let mut builder = QueryBuilder::new(&self.shared.index, fields)
            .with_typos(request.fuzzy.then_some(&searcher))
            .with_decompounding(request.decompound);
        let thesaurus = request.expand.then(Thesaurus::builtin);
        let built = builder.build(&query::parse(&request.query), thesaurus);
        let filters = FilterQueries::new(fields, request);
        let full_query = filters.apply(built.query.as_ref(), None);
        // Facets with a selection are counted in passes of their own
        // (disjunctive counts); the others with the hits.
        let unselected: Vec<usize> = (0..schema::FACETS.len())
            .filter(|at| filters.selected[*at].is_empty())
            .collect();
        let counters = Many(
            unselected
                .iter()
                .map(|at| facets::collector(schema::FACETS[*at], request.collapse))
                .collect(),
        );

        // Never ask tantivy for more than exists: it allocates the window.
        let alive = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let start = first.min(alive);
        let end = start.saturating_add(count).min(alive);
        let by_date = request.sort == Sort::Date || !built.scored;

        let (matching, groups_total, counts, page) = if request.collapse {
            // A page of groups needs more ranked documents than groups;
            // widen the window until the page is full or nothing is left.
            let mut window = end.saturating_mul(2).saturating_add(8).min(alive);
            let ((matching, groups_total, counts), mut ranked) = ranked_window(
                &searcher,
                &full_query,
                (Count, DistinctGroups, counters),
                0..window,
                by_date,
            )?;
            loop {
                let groups =
                    collapse::group_in_rank_order(&ranked, |address| collapse::group_of(&searcher, address));
                if groups.len() >= end || window >= matching || window >= alive {
                    let page: Vec<Ranked> = groups
                        .into_iter()
                        .skip(start)
                        .take(end.saturating_sub(start))
                        .collect();
                    break (matching, groups_total, counts, page);
                }
                window = window.saturating_mul(4).min(alive);
                ranked = ranked_window(&searcher, &full_query, Count, 0..window, by_date)?.1;
            }
        } else {
            let ((matching, counts), ranked) =
                ranked_window(&searcher, &full_query, (Count, counters), start..end, by_date)?;
            let page = ranked.into_iter().map(|hit| vec![hit]).collect();
            (matching, matching, counts, page)
        };
        let total = if request.collapse { groups_total } else { matching };

        let mut counted: Vec<Vec<(String, u64)>> = vec![Vec::new(); schema::FACETS.len()];
        for (at, counts) in unselected.iter().zip(counts) {
            counted[*at] = counts;
        }
        for (at, name) in schema::FACETS.iter().enumerate() {
            if !filters.selected[at].is_empty() {
                let query = filters.apply(built.query.as_ref(), Some(at));
                counted[at] = searcher.search(&query, &facets::collector(name, request.collapse))?;
            }
        }
        let mut lists = counted
            .into_iter()
            .zip(&filters.selected)
            .zip(schema::FACETS)
            .map(|((counted, selected), name)| facets::list(name, counted, selected, request.facet_size));
        let mut next = || lists.next().unwrap_or_default();
        let facets = Facets {
            theme: next(),
            year: next(),
            organisation: next(),
            language: next(),
            source: next(),
            doc_type: next(),
            keyword: next(),
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
        let preferred = preferred_languages(request, &built.expansions);
        let preferred: Vec<&str> = preferred.iter().map(String::as_str).collect();
        let mut hits = Vec::with_capacity(page.len());
        for group in page {
            let mut matched = Vec::with_capacity(group.len());
            for &(score, address) in &group {
                matched.push((score, self.load(&searcher, address)?));
            }
            let documents: Vec<Document> = matched.iter().map(|(_, d)| d.clone()).collect();
            let shown = collapse::pick_shown(&documents, &preferred, |document| match &literal {
                Some(literal) => literal.marked(document).is_some(),
                None => true,
            });
            // The group ranks by its best version, whichever is shown.
            let score = group.first().map(|(score, _)| *score).unwrap_or(0.0);
            let (_, document) = matched.swap_remove(shown);
            let versions = match request.collapse {
                true => self.listed_versions(&searcher, &document, &preferred)?,
                false => Vec::new(),
            };
            let parent = self.parent(&searcher, &document)?;
            let snippets = snippets_of(&document, literal.as_ref(), &snippeter, most_snippets);
            let mut hit = hit(document, snippets, if built.scored { score } else { 0.0 });
            hit.parent = parent;
            hit.versions = versions;
            hits.push(hit);
        }
        Ok(SearchResults {
            total,
            hits,
            facets,
            expansions: built.expansions,
        })
    }

    /// The versions a collapsed hit lists: none for a document without
    /// translations, nor when its translations were never indexed.
    pub(crate) fn listed_versions(
        &self,
        searcher: &Searcher,
        document: &Document,
        preferred: &[&str],
    ) -> Result<Vec<Version>> {
        if document.translation_key.is_none() {
            return Ok(Vec::new());
        }
        let mut versions = self.versions(searcher, document, preferred)?;
        // Translations named by a page but never indexed leave one.
        if versions.len() < 2 {
            versions.clear();
        }
        Ok(versions)
    }

    /// Every version of a document's translation group, `document` first,
    /// then the preferred languages, then the others by language code.
    fn versions(&self, searcher: &Searcher, document: &Document, preferred: &[&str]) -> Result<Vec<Version>> {
        let translations = self.translations(searcher, document)?;
        let mut versions = Vec::with_capacity(translations.len());
        for version in translations {
            versions.push(Version {
                id: document_id(&version.url),
                language: collapse::main_language(&version).map(str::to_owned),
                url: version.url,
                title: version.title,
            });
        }
        let rank = |version: &Version| {
            let language = version.language.as_deref().unwrap_or("");
            let preferred_at = preferred.iter().position(|p| *p == language);
            (
                version.url != document.url,
                preferred_at.unwrap_or(usize::MAX),
                language.to_owned(),
                version.url.clone(),
            )
        };
        versions.sort_by_key(rank);
        Ok(versions)
    }

    /// Every indexed document of `document`'s translation group, itself
    /// included, in no particular order.
    pub(crate) fn translations(&self, searcher: &Searcher, document: &Document) -> Result<Vec<Document>> {
        let query = TermQuery::new(
            Term::from_field_text(self.shared.fields.group, document.group_key()),
            IndexRecordOption::Basic,
        );
        let found = searcher.search(&query, &TopDocs::with_limit(MAX_VERSIONS).order_by_score())?;
        found
            .into_iter()
            .map(|(_, address)| self.load(searcher, address))
            .collect()
    }

    /// The parent of a passage or of a file found on a page, with its title
    /// when it is indexed.
    pub(crate) fn parent(&self, searcher: &Searcher, document: &Document) -> Result<Option<ParentRef>> {
        let Some(url) = &document.parent_url else {
            return Ok(None);
        };
        let query = TermQuery::new(
            Term::from_field_text(self.shared.fields.url, url),
            IndexRecordOption::Basic,
        );
        let found = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let indexed = match found.first() {
            Some((_, address)) => Some(self.load(searcher, *address)?),
            None => None,
        };
        let title = match (&indexed, &document.passage) {
            (Some(parent), _) => Some(parent.title.clone()),
            (None, Some(passage)) => Some(passage.parent_title.clone()),
            (None, None) => None,
        };
        Ok(Some(ParentRef {
            id: indexed.map(|parent| document_id(&parent.url)),
            url: url.clone(),
            title: title.filter(|title| !title.is_empty()),
        }))
    }

    pub(crate) fn load(&self, searcher: &Searcher, address: DocAddress) -> Result<Document> {
        let stored: TantivyDocument = searcher.doc(address)?;
        let json = stored
            .get_first(self.shared.fields.doc)
            .and_then(|value| value.as_str())
            .ok_or_else(|| Error::Corrupt("stored document has no json".into()))?;
        serde_json::from_str(json).map_err(|error| Error::Corrupt(error.to_string()))
    }
}

/// Documents with their scores, best first.
pub(crate) type Ranked = Vec<(f32, DocAddress)>;

/// Runs `query` once, collecting `extra` over every match and the documents
/// ranked in `window`, by score or newest first.
pub(crate) fn ranked_window<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    extra: C,
    window: std::ops::Range<usize>,
    by_date: bool,
) -> Result<(C::Fruit, Ranked)> {
    if window.is_empty() {
        return Ok((searcher.search(query, &extra)?, Vec::new()));
    }
    if by_date {
        let top = TopDocs::for_doc_range(window).order_by((
            (
                SortByStaticFastValue::<i64>::for_field(schema::DATE_ORDER),
                Order::Desc,
            ),
            (SortBySimilarityScore, Order::Desc),
        ));
        let (fruit, top) = searcher.search(query, &(extra, top))?;
        let top = top
            .into_iter()
            .map(|((_, score), address)| (score, address))
            .collect();
        Ok((fruit, top))
    } else {
        let top = TopDocs::for_doc_range(window).order_by_score();
        Ok(searcher.search(query, &(extra, top))?)
    }
}

/// Languages a collapsed hit prefers to show: the one asked for, else the
/// languages of the thesaurus terms the query was typed in.
fn preferred_languages(request: &SearchRequest, expansions: &[Expansion]) -> Vec<String> {
    if let Some(lang) = &request.prefer_language {
        return vec![lang.to_lowercase()];
    }
    let thesaurus = Thesaurus::builtin();
    let mut languages: Vec<String> = Vec::new();
    for expansion in expansions {
        for lang in thesaurus.term_languages(&expansion.term) {
            if !languages.iter().any(|l| l == lang) {
                languages.push(lang.to_owned());
            }
        }
    }
    // A term spelt alike in several languages says nothing.
    if languages.len() > 1 {
        Vec::new()
    } else {
        languages
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
    validate_dates(request)
}

fn validate_dates(request: &SearchRequest) -> Result<()> {
    if let (Some(from), Some(to)) = (request.from, request.to)
        && from > to
    {
        return Err(Error::InvalidRequest("from is after to".into()));
    }
    Ok(())
}

/// The filters of a request as queries: one per facet with values, in
/// [`schema::FACETS`] order, and one for the date range.
struct FilterQueries {
    /// Clean selected values per facet, in [`schema::FACETS`] order; empty
    /// for a facet that does not filter.
    selected: Vec<Vec<String>>,
    /// `(facet position, query)` of the facets that filter.
    facets: Vec<(usize, Box<dyn Query>)>,
    dates: Option<Box<dyn Query>>,
}

impl FilterQueries {
    fn new(fields: &Fields, request: &SearchRequest) -> FilterQueries {
        let filters = &request.filters;
        let years: Vec<String> = filters.year.iter().map(i32::to_string).collect();
        let wanted: [&[String]; 7] = [
            &filters.theme,
            &years,
            &filters.organisation,
            &filters.language,
            &filters.source,
            &filters.doc_type,
            &filters.keyword,
        ];
        let mut selected = Vec::with_capacity(wanted.len());
        let mut facets: Vec<(usize, Box<dyn Query>)> = Vec::new();
        for (at, (name, values)) in schema::FACETS.iter().zip(wanted).enumerate() {
            let mut clean: Vec<String> = Vec::new();
            for value in values.iter().filter_map(|value| schema::facet_value(name, value)) {
                if !clean.contains(&value) {
                    clean.push(value);
                }
            }
            let field = fields.facets[at];
            let alternatives: Vec<Box<dyn Query>> = clean
                .iter()
                .map(|value| -> Box<dyn Query> {
                    let term = Term::from_facet(field, &schema::facet_of(value));
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
                })
                .collect();
            if !alternatives.is_empty() {
                facets.push((at, Box::new(BooleanQuery::union(alternatives))));
            }
            selected.push(clean);
        }
        let dates = (request.from.is_some() || request.to.is_some()).then(|| -> Box<dyn Query> {
            let bound = |date: Option<NaiveDate>| match date {
                Some(date) => Bound::Included(Term::from_field_i64(fields.date, schema::date_value(date))),
                None => Bound::Unbounded,
            };
            Box::new(RangeQuery::new(bound(request.from), bound(request.to)))
        });
        FilterQueries {
            selected,
            facets,
            dates,
        }
    }

    /// `query` restricted by every filter but the one of the facet at
    /// `except`.
    fn apply(&self, query: &dyn Query, except: Option<usize>) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query.box_clone())];
        let filters = self
            .facets
            .iter()
            .filter(|(at, _)| Some(*at) != except)
            .map(|(_, filter)| filter)
            .chain(&self.dates);
        for filter in filters {
            // Filters select, they must not change the ranking.
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(filter.box_clone(), 0.0)),
            ));
        }
        BooleanQuery::new(clauses)
    }
}

/// Up to `most` snippets of a hit, best first: the words typed, else the
/// whole query, else the beginning of the text.
fn snippets_of(
    document: &Document,
    literal: Option<&Snippeter>,
    snippeter: &Snippeter,
    most: usize,
) -> Vec<String> {
    let mut snippets = literal
        .map(|literal| literal.marked_several(document, most))
        .unwrap_or_default();
    if snippets.is_empty() {
        snippets = snippeter.marked_several(document, most);
    }
    if snippets.is_empty() {
        snippets.extend(snippet::lead_snippet(document));
    }
    snippets
}

/// A hit showing `document`; `snippets` best first.
pub(crate) fn hit(document: Document, snippets: Vec<String>, score: f32) -> Hit {
    Hit {
        id: document_id(&document.url),
        year: document.date.map(|date| date.year()),
        date: document.date,
        url: document.url,
        title: document.title,
        snippet: snippets.first().cloned().unwrap_or_default(),
        snippets,
        language: document.languages,
        themes: document.themes,
        themes_inferred: document.themes_inferred,
        organisations: document.organisations,
        source: document.source,
        doc_type: document.doc_type,
        score,
        passage: document.passage.map(|passage| PassageRef {
            kind: passage.kind,
            anchor: passage.anchor,
            slot: passage.slot,
        }),
        parent_url: document.parent_url,
        parent: None,
        versions: Vec::new(),
    }
}
