//! The hits of a page: each group's shown version and its snippets, the
//! versions and parents of the whole page, looked up at once.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;
use serde::Deserialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Searcher, Term};

use crate::collapse::{self, Group};
use crate::document::{Document, document_id};
use crate::error::Result;
use crate::query::BuiltQuery;
use crate::schema::{self, Fields};
use crate::snippet::{self, Matched, Snippeter};

use super::handle::{MAX_VERSIONS, SearchIndex};
use super::ranking::{Ranked, ranked_versions};
use super::results::{Hit, ParentRef, PassageRef, Version};

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

    fn into_version(self) -> Version {
        Version {
            id: document_id(&self.url),
            language: self.languages.into_iter().next(),
            url: self.url,
            title: self.title,
        }
    }

    /// As [`Document::group_key`].
    fn group_key(&self) -> &str {
        self.translation_key.as_deref().unwrap_or(&self.url)
    }
}

impl SearchIndex {
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
            let versions = versions.into_iter().map(Summary::into_version).collect();
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

    /// What listing the document at `address` takes from it, without
    /// reading the rest of its JSON into a [`Document`].
    fn summary(&self, searcher: &Searcher, address: DocAddress) -> Result<Summary> {
        self.stored(searcher, address)
    }
}

/// The snippets of a search's hits: the words typed are quoted first, the
/// thesaurus terms only when the document matched through them alone.
pub(crate) struct Snippets {
    /// The whole query's generators.
    query: Snippeter,
    /// The words typed alone, when the thesaurus added terms.
    literal: Option<Snippeter>,
    /// Snippets per hit at most.
    most: usize,
}

impl Snippets {
    /// Generators for `built`, and for `literal` (the query without the
    /// thesaurus) when given; `None` for `most` 0, which builds none.
    pub(crate) fn new(
        searcher: &Searcher,
        fields: &Fields,
        built: &BuiltQuery,
        literal: Option<BuiltQuery>,
        most: usize,
    ) -> Result<Option<Snippets>> {
        if most == 0 {
            return Ok(None);
        }
        let literal = match literal {
            Some(literal) => Some(Snippeter::new(
                searcher,
                literal.query.as_ref(),
                fields,
                literal.scored,
            )?),
            None => None,
        };
        Ok(Some(Snippets {
            query: Snippeter::new(searcher, built.query.as_ref(), fields, built.scored)?,
            literal,
            most,
        }))
    }

    /// Which of a group's `documents` its hit shows (see
    /// [`collapse::pick_shown`]), with its snippets.
    pub(crate) fn show(&self, documents: &[Document], preferred: &[&str]) -> (usize, Vec<String>) {
        // What the literal query found in the versions `pick_shown` asked
        // about, in order: the shown one's is cut once.
        let mut asked = Vec::new();
        let shown = collapse::pick_shown(documents, preferred, |document| match &self.literal {
            Some(literal) => {
                let matched = literal.matched(document);
                let found = matched.is_some();
                asked.push(matched);
                found
            }
            None => true,
        });
        let matched = asked.into_iter().nth(shown);
        (shown, self.of(&documents[shown], matched))
    }

    /// Up to `most` snippets of a hit, best first: the words typed, else
    /// the whole query, else the beginning of the text. `matched` is what
    /// the literal query matched in the document, when known already.
    fn of(&self, document: &Document, matched: Option<Option<Matched>>) -> Vec<String> {
        let mut snippets = Vec::new();
        if let Some(literal) = &self.literal {
            let matched = matched.unwrap_or_else(|| literal.matched(document));
            if let Some(matched) = matched {
                snippets = literal.several(document, matched, self.most);
            }
        }
        if snippets.is_empty() {
            snippets = self.query.marked_several(document, self.most);
        }
        if snippets.is_empty() {
            snippets.extend(snippet::lead_snippet(document));
        }
        snippets
    }
}

/// A hit showing `document`; `snippets` best first.
fn hit(document: Document, snippets: Vec<String>, score: f32) -> Hit {
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
