//! Collapsing translations: the versions of one text in several languages
//! (the French and Dutch versions of a programme session, pages linked by
//! `hreflang`) share a group key and come back as one hit.
//!
//! Ranking stays tantivy's: hits are read in rank order and a group takes
//! the rank of its best version. Which version is shown is chosen among the
//! versions that matched (see [`pick_shown`]).

use std::collections::{HashMap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::document::Document;
use crate::schema;

/// Counts the distinct translation groups among the matching documents:
/// the `total` of a collapsed search.
pub(crate) struct DistinctGroups;

pub(crate) struct DistinctGroupsInSegment {
    column: Column<u64>,
    seen: HashSet<u64>,
}

impl Collector for DistinctGroups {
    type Fruit = usize;
    type Child = DistinctGroupsInSegment;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(DistinctGroupsInSegment {
            column: segment.fast_fields().u64(schema::GROUP_HASH)?,
            seen: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<HashSet<u64>>) -> tantivy::Result<usize> {
        let mut all = HashSet::new();
        for fruit in fruits {
            all.extend(fruit);
        }
        Ok(all.len())
    }
}

impl SegmentCollector for DistinctGroupsInSegment {
    type Fruit = HashSet<u64>;

    fn collect(&mut self, doc: DocId, _: Score) {
        if let Some(hash) = self.column.first(doc) {
            self.seen.insert(hash);
        }
    }

    fn harvest(self) -> HashSet<u64> {
        self.seen
    }
}

/// The group hash of a hit, read from the fast field. A document indexed
/// before groups existed has none and stays a group of its own.
pub(crate) fn group_of(searcher: &Searcher, address: DocAddress) -> Option<u64> {
    let segment = searcher.segment_reader(address.segment_ord);
    let column = segment.fast_fields().u64(schema::GROUP_HASH).ok()?;
    column.first(address.doc_id)
}

/// Hits in rank order, grouped: each group lists its matching versions in
/// rank order, groups ordered by their best version.
pub(crate) fn group_in_rank_order(
    ranked: &[(Score, DocAddress)],
    group: impl Fn(DocAddress) -> Option<u64>,
) -> Vec<Vec<(Score, DocAddress)>> {
    let mut groups: Vec<Vec<(Score, DocAddress)>> = Vec::new();
    // An export groups thousands of hits: look groups up, not scan them.
    let mut positions: HashMap<u64, usize> = HashMap::new();
    for &(score, address) in ranked {
        match group(address) {
            Some(key) => match positions.get(&key) {
                Some(&at) => groups[at].push((score, address)),
                None => {
                    positions.insert(key, groups.len());
                    groups.push(vec![(score, address)]);
                }
            },
            None => groups.push(vec![(score, address)]),
        }
    }
    groups
}

/// Which matching version of a group to show: the one in the preferred
/// language (asked for, or the query's), else one the words typed matched
/// themselves (not only their translations), else the best ranked.
/// `versions` are in rank order; returns an index into it.
pub(crate) fn pick_shown(
    versions: &[Document],
    preferred: &[&str],
    matched_literally: impl Fn(&Document) -> bool,
) -> usize {
    for lang in preferred {
        if let Some(at) = versions.iter().position(|v| main_language(v) == Some(lang)) {
            return at;
        }
    }
    versions.iter().position(matched_literally).unwrap_or(0)
}

/// The main language of a document, its first.
pub(crate) fn main_language(document: &Document) -> Option<&str> {
    document.languages.first().map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(lang: &str) -> Document {
        Document {
            url: format!("https://x/#{lang}"),
            languages: vec![lang.into()],
            ..Document::default()
        }
    }

    fn address(doc_id: DocId) -> DocAddress {
        DocAddress::new(0, doc_id)
    }

    #[test]
    fn groups_keep_rank_order_and_take_their_best_rank() {
        let ranked = [
            (3.0, address(0)),
            (2.0, address(1)),
            (1.0, address(2)),
            (0.5, address(3)),
        ];
        let groups = group_in_rank_order(&ranked, |a| match a.doc_id {
            0 | 2 => Some(7),
            1 => Some(8),
            _ => None,
        });
        let ids: Vec<Vec<DocId>> = groups
            .iter()
            .map(|g| g.iter().map(|(_, a)| a.doc_id).collect())
            .collect();
        assert_eq!(ids, vec![vec![0, 2], vec![1], vec![3]]);
    }

    #[test]
    fn documents_without_group_never_merge() {
        let ranked = [(1.0, address(0)), (1.0, address(1))];
        assert_eq!(group_in_rank_order(&ranked, |_| None).len(), 2);
    }

    #[test]
    fn the_preferred_language_wins_then_a_literal_match_then_rank() {
        let versions = [doc("fr"), doc("nl")];
        assert_eq!(pick_shown(&versions, &["nl"], |_| false), 1);
        assert_eq!(pick_shown(&versions, &["en", "fr"], |_| false), 0);
        assert_eq!(pick_shown(&versions, &["en"], |d| d.languages[0] == "nl"), 1);
        assert_eq!(pick_shown(&versions, &[], |_| false), 0);
    }
}
