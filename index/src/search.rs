//! The index handle and searching: filters, sorting, pagination, facet
//! counts and hits.

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Collector, Count, DocSetCollector, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Index, IndexReader, Order, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::analysis;
use crate::collapse::{self, DistinctGroups, Group};
use crate::document::{Document, StoredDocument, document_id};
use crate::error::{Error, Result};
use crate::facets::{self, Many};
use crate::query::{self, Expansion, QueryBuilder};
use crate::schema::{self, Fields};
use crate::snippet::{self, Matched, Snippeter};
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

impl Facets {
    /// The list of a facet by its name (`type` for the document type);
    /// empty for an unknown name.
    pub fn by_name(&self, name: &str) -> &[FacetCount] {
        match name {
            schema::THEME => &self.theme,
            schema::YEAR => &self.year,
            schema::ORGANISATION => &self.organisation,
            schema::LANGUAGE => &self.language,
            schema::SOURCE => &self.source,
            schema::TYPE => &self.doc_type,
            schema::KEYWORD => &self.keyword,
            _ => &[],
        }
    }
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
        // Reloaded by `IndexWriter::commit` too, so a search right after a
        // commit of this process sees it. On disk, tantivy also watches
        // `meta.json`, so a server follows the commits of another process
        // (a crawl or an import into its data directory) without a restart.
        let policy = match dir {
            Some(_) => ReloadPolicy::OnCommitWithDelay,
            None => ReloadPolicy::Manual,
        };
        let reader = index.reader_builder().reload_policy(policy).try_into()?;
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
        self.execute(request, first, request.per_page, MAX_SNIPPETS, Extent::Full)
    }

    /// Every hit of a search, ranked and collapsed as [`search`](Self::search)
    /// ranks them, at most `limit` (and never more than [`MAX_EXPORT`]);
    /// `page` and `per_page` are ignored. `total` and `facets` are the
    /// search's; each hit has one snippet, the best.
    pub fn export(&self, request: &SearchRequest, limit: usize) -> Result<SearchResults> {
        validate_dates(request)?;
        self.execute(request, 0, limit.min(MAX_EXPORT), 1, Extent::Full)
    }

    /// The rows of [`export`](Self::export), for formats that list hits
    /// alone: the same hits in the same order with the same `total`, but
    /// without their versions and parents (`versions` empty, `parent`
    /// `None`, `parent_url` kept) and with no facet counts.
    pub fn export_rows(&self, request: &SearchRequest, limit: usize) -> Result<SearchResults> {
        validate_dates(request)?;
        self.execute(request, 0, limit.min(MAX_EXPORT), 1, Extent::Rows)
    }

    /// Runs a search for `count` hits from rank `first`, with up to
    /// `most_snippets` snippets each.
    fn execute(
        &self,
        request: &SearchRequest,
        first: usize,
        count: usize,
        most_snippets: usize,
        extent: Extent,
    ) -> Result<SearchResults> {
        let fields = &self.shared.fields;
        let searcher = self.shared.reader.searcher();
        let full = extent == Extent::Full;

        let mut builder = QueryBuilder::new(&self.shared.index, fields)
            .with_typos(request.fuzzy.then_some(&searcher))
            .with_decompounding(request.decompound);
        let thesaurus = request.expand.then(Thesaurus::builtin);
        let built = builder.build(&query::parse(&request.query), thesaurus);
        let filters = FilterQueries::new(fields, request);
        let full_query = filters.apply(built.query.as_ref(), None);
        // Facets with a selection are counted in passes of their own
        // (disjunctive counts); the others with the hits. Rows count none.
        let unselected: Vec<usize> = (0..schema::FACETS.len())
            .filter(|at| full && filters.selected[*at].is_empty())
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

        let (total, counts, page) = if request.collapse {
            let ((groups_total, counts), _, page) = collapse::top_groups(
                &searcher,
                &full_query,
                (DistinctGroups, counters),
                start..end,
                by_date,
            )?;
            (groups_total, counts, page)
        } else {
            let ((matching, counts), ranked) =
                ranked_window(&searcher, &full_query, (Count, counters), start..end, by_date)?;
            let page = ranked.into_iter().map(|hit| vec![hit]).collect();
            (matching, counts, page)
        };

        let facets = match full {
            true => facet_lists(
                &searcher,
                request,
                built.query.as_ref(),
                &filters,
                unselected,
                counts,
            )?,
            false => Facets::default(),
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
        let links = Links {
            versions: full && request.collapse,
            parents: full,
            preferred: &preferred,
        };
        let hits = self.hits(&searcher, page, links, built.scored, |documents| {
            // What the literal query found in the versions `pick_shown`
            // asked about, in order: the shown one's is cut once.
            let mut asked = Vec::new();
            let shown = collapse::pick_shown(documents, &preferred, |document| match &literal {
                Some(literal) => {
                    let matched = literal.matched(document);
                    let found = matched.is_some();
                    asked.push(matched);
                    found
                }
                None => true,
            });
            let matched = asked.into_iter().nth(shown);
            let snippets = snippets_of(
                &documents[shown],
                literal.as_ref().map(|literal| (literal, matched)),
                &snippeter,
                most_snippets,
            );
            (shown, snippets)
        })?;
        Ok(SearchResults {
            total,
            hits,
            facets,
            expansions: built.expansions,
        })
    }

    /// The hits of a page of groups, in order. For each group its matching
    /// versions are loaded, and `show` says which one the hit shows and
    /// with what snippets; then the versions and parents `links` asks for
    /// are looked up for the whole page at once. The score is the group's
    /// best (whichever version is shown), or 0 when not `scored`.
    pub(crate) fn hits(
        &self,
        searcher: &Searcher,
        page: Vec<Ranked>,
        links: Links<'_>,
        scored: bool,
        mut show: impl FnMut(&[Document]) -> (usize, Vec<String>),
    ) -> Result<Vec<Hit>> {
        let mut shown = Vec::with_capacity(page.len());
        // Matching versions already loaded, so listing them loads none again.
        let mut loaded: HashMap<DocAddress, Summary> = HashMap::new();
        for group in page {
            let mut documents = Vec::with_capacity(group.len());
            for &(_, address) in &group {
                documents.push(self.load(searcher, address)?);
            }
            let (at, snippets) = show(&documents);
            if links.versions {
                for (&(_, address), document) in group.iter().zip(&documents) {
                    if document.translation_key.is_some() {
                        loaded.insert(address, Summary::of(document));
                    }
                }
            }
            let score = match scored {
                true => group.first().map_or(0.0, |(score, _)| *score),
                false => 0.0,
            };
            shown.push((documents.swap_remove(at), snippets, score));
        }
        let documents: Vec<&Document> = shown.iter().map(|(document, _, _)| document).collect();
        let versions = match links.versions {
            true => self.page_versions(searcher, &documents, loaded, links.preferred)?,
            false => vec![Vec::new(); documents.len()],
        };
        let parents = match links.parents {
            true => self.page_parents(searcher, &documents)?,
            false => vec![None; documents.len()],
        };
        let hits = shown.into_iter().zip(versions).zip(parents).map(
            |(((document, snippets, score), versions), parent)| Hit {
                versions,
                parent,
                ..hit(document, snippets, score)
            },
        );
        Ok(hits.collect())
    }

    /// The versions each of `documents` lists as a collapsed hit, in
    /// order: none for a document without translations, nor when its
    /// translations were never indexed; else every indexed version of its
    /// group (at most [`MAX_VERSIONS`]), itself first, then the
    /// `preferred` languages, then the others by language code. One query
    /// finds the versions of the whole page; `loaded` are versions already
    /// at hand.
    fn page_versions(
        &self,
        searcher: &Searcher,
        documents: &[&Document],
        loaded: HashMap<DocAddress, Summary>,
        preferred: &[&str],
    ) -> Result<Vec<Vec<Version>>> {
        let mut keys: Vec<&str> = documents
            .iter()
            .filter(|document| document.translation_key.is_some())
            .map(|document| document.group_key())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let term = |key: &str| Term::from_field_text(self.shared.fields.group, key);
        let found = self.addresses(searcher, keys.iter().map(|key| term(key)))?;
        // Each group's versions, capped before anything is loaded (group
        // hashes are fast fields): those at hand first, then by address.
        let groups = collapse::Groups::new(searcher)?;
        let mut found: Vec<DocAddress> = found.into_iter().collect();
        found.sort_unstable_by_key(|address| (!loaded.contains_key(address), *address));
        let mut by_group: HashMap<Group, Vec<DocAddress>> = HashMap::new();
        for address in found {
            let members = by_group.entry(groups.of(address)).or_default();
            if members.len() < MAX_VERSIONS {
                members.push(address);
            }
        }
        let mut listed: HashMap<&str, Vec<Summary>> = HashMap::new();
        for key in keys {
            let hash = Group::Shared(schema::group_hash(key));
            let mut versions = Vec::new();
            for address in by_group.get(&hash).into_iter().flatten() {
                let version = match loaded.get(address) {
                    Some(version) => version.clone(),
                    None => self.summary(searcher, *address)?,
                };
                // The term matched the key; the hash alone could collide.
                if version.group_key() == key {
                    versions.push(version);
                }
            }
            listed.insert(key, versions);
        }
        let mut page = Vec::with_capacity(documents.len());
        for document in documents {
            let versions = match document.translation_key {
                Some(_) => listed.get(document.group_key()).cloned().unwrap_or_default(),
                None => Vec::new(),
            };
            page.push(ranked_versions(document, versions, preferred));
        }
        Ok(page)
    }

    /// The parent of each of `documents`, in order: the passage's document
    /// or the page a file was found on, with its title when it is indexed.
    /// One query finds the indexed parents of the whole page.
    fn page_parents(&self, searcher: &Searcher, documents: &[&Document]) -> Result<Vec<Option<ParentRef>>> {
        let mut urls: Vec<&str> = documents
            .iter()
            .filter_map(|document| document.parent_url.as_deref())
            .collect();
        urls.sort_unstable();
        urls.dedup();
        let terms = urls
            .iter()
            .map(|url| Term::from_field_text(self.shared.fields.url, url));
        let mut found: Vec<DocAddress> = self.addresses(searcher, terms)?.into_iter().collect();
        // A URL is indexed once; were it twice, the first address wins, as
        // it would among equal scores.
        found.sort_unstable();
        let mut indexed: HashMap<String, Summary> = HashMap::new();
        for address in found {
            let parent = self.summary(searcher, address)?;
            indexed.entry(parent.url.clone()).or_insert(parent);
        }
        let parents = documents.iter().map(|document| {
            let url = document.parent_url.as_ref()?;
            let indexed = indexed.get(url);
            let title = match (indexed, &document.passage) {
                (Some(parent), _) => Some(parent.title.clone()),
                (None, Some(passage)) => Some(passage.parent_title.clone()),
                (None, None) => None,
            };
            Some(ParentRef {
                id: indexed.map(|parent| document_id(&parent.url)),
                url: url.clone(),
                title: title.filter(|title| !title.is_empty()),
            })
        });
        Ok(parents.collect())
    }

    /// Every document with one of `terms`.
    fn addresses(
        &self,
        searcher: &Searcher,
        terms: impl Iterator<Item = Term>,
    ) -> Result<HashSet<DocAddress>> {
        let alternatives: Vec<Box<dyn Query>> = terms
            .map(|term| -> Box<dyn Query> { Box::new(TermQuery::new(term, IndexRecordOption::Basic)) })
            .collect();
        if alternatives.is_empty() {
            return Ok(HashSet::new());
        }
        Ok(searcher.search(&BooleanQuery::union(alternatives), &DocSetCollector)?)
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

    /// What listing the document at `address` takes from it, without
    /// reading the rest of its JSON into a [`Document`].
    fn summary(&self, searcher: &Searcher, address: DocAddress) -> Result<Summary> {
        self.stored(searcher, address)
    }

    pub(crate) fn load(&self, searcher: &Searcher, address: DocAddress) -> Result<Document> {
        self.stored(searcher, address)
    }

    /// The stored JSON of the document at `address`, read as `T`.
    fn stored<T: DeserializeOwned>(&self, searcher: &Searcher, address: DocAddress) -> Result<T> {
        let stored: TantivyDocument = searcher.doc(address)?;
        let json = stored
            .get_first(self.shared.fields.doc)
            .and_then(|value| value.as_str())
            .ok_or_else(|| Error::Corrupt("stored document has no json".into()))?;
        serde_json::from_str(json).map_err(|error| Error::Corrupt(error.to_string()))
    }
}

/// How much of a search to compute besides the ranked hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extent {
    /// Facet counts, and each hit's versions and parent.
    Full,
    /// The hits alone, as export formats list them.
    Rows,
}

/// What the hits of a page are linked to.
pub(crate) struct Links<'p> {
    /// Each hit's versions (a collapsed search).
    pub versions: bool,
    /// Each hit's parent, with its title.
    pub parents: bool,
    /// Languages the versions list first.
    pub preferred: &'p [&'p str],
}

/// The stored fields of a document that listing it as a version or a
/// parent reads; serde skips the rest (blocks, above all).
#[derive(Debug, Clone, Deserialize)]
struct Summary {
    url: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    translation_key: Option<String>,
}

impl Summary {
    fn of(document: &Document) -> Summary {
        Summary {
            url: document.url.clone(),
            title: document.title.clone(),
            languages: document.languages.clone(),
            translation_key: document.translation_key.clone(),
        }
    }

    /// As [`Document::group_key`].
    fn group_key(&self) -> &str {
        self.translation_key.as_deref().unwrap_or(&self.url)
    }
}

/// The versions of a collapsed hit showing `document`, in order: itself,
/// then the `preferred` languages, then the others by language code; none
/// when its translations were never indexed (only itself is left).
fn ranked_versions(document: &Document, summaries: Vec<Summary>, preferred: &[&str]) -> Vec<Version> {
    if summaries.len() < 2 {
        return Vec::new();
    }
    let mut versions: Vec<Version> = summaries
        .into_iter()
        .map(|summary| Version {
            id: document_id(&summary.url),
            language: summary.languages.into_iter().next(),
            url: summary.url,
            title: summary.title,
        })
        .collect();
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
    versions
}

/// The facet lists of a search: `counts` of the `unselected` facets,
/// counted with the hits, and a pass for each facet with a selection.
fn facet_lists(
    searcher: &Searcher,
    request: &SearchRequest,
    query: &dyn Query,
    filters: &FilterQueries,
    unselected: Vec<usize>,
    counts: Vec<Vec<(String, u64)>>,
) -> Result<Facets> {
    let mut counted: Vec<Vec<(String, u64)>> = vec![Vec::new(); schema::FACETS.len()];
    for (at, counts) in unselected.into_iter().zip(counts) {
        counted[at] = counts;
    }
    for (at, name) in schema::FACETS.iter().enumerate() {
        if !filters.selected[at].is_empty() {
            let query = filters.apply(query, Some(at));
            counted[at] = searcher.search(&query, &facets::collector(name, request.collapse))?;
        }
    }
    let mut lists = counted
        .into_iter()
        .zip(&filters.selected)
        .zip(schema::FACETS)
        .map(|((counted, selected), name)| facets::list(name, counted, selected, request.facet_size));
    let mut next = || lists.next().unwrap_or_default();
    Ok(Facets {
        theme: next(),
        year: next(),
        organisation: next(),
        language: next(),
        source: next(),
        doc_type: next(),
        keyword: next(),
    })
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
/// whole query, else the beginning of the text. `literal` comes with what
/// it matched in the document when that is known already.
fn snippets_of(
    document: &Document,
    literal: Option<(&Snippeter, Option<Option<Matched>>)>,
    snippeter: &Snippeter,
    most: usize,
) -> Vec<String> {
    let mut snippets = Vec::new();
    if let Some((literal, matched)) = literal {
        let matched = matched.unwrap_or_else(|| literal.matched(document));
        if let Some(matched) = matched {
            snippets = literal.several(document, matched, most);
        }
    }
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
