//! Collapsing translations: the versions of one text in several languages
//! (the French and Dutch versions of a programme session, pages linked by
//! `hreflang`) share a group key and come back as one hit.
//!
//! Ranking stays tantivy's: hits are read in rank order and a group takes
//! the rank of its best version. Which version is shown is chosen among the
//! versions that matched (see [`pick_shown`]).

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;
use std::ops::Range;
use std::sync::Arc;

use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::Query;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::document::Document;
use crate::error::Result;
use crate::facets::{Ordinals, SegmentOrdinals};
use crate::schema;
use crate::search::ranking::{Ranked, ranked_window};

/// The translation group of a document, the one rule for the total, the
/// facet counts and the hits alike: its group hash, or, for a document
/// without one, the document itself. The writer stores a hash only for
/// documents with a translation key, so the many documents without one are
/// counted without hashing; an index written before that stores a hash of
/// the URL instead, which is just as unique. Keyed by address, not by doc
/// id, which segments share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Group {
    Shared(u64),
    Alone(DocAddress),
}

/// A hasher for keys that are hashes already (group hashes): their bits are
/// used as they are, so sets of groups cost no SipHash round per document.
#[derive(Default, Clone, Copy)]
pub(crate) struct PrehashedHasher(u64);

impl std::hash::Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only reached for keys other than one u64; fold them in.
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 ^= value;
    }
}

/// A set of group hashes.
pub(crate) type HashSet64 = HashSet<u64, BuildHasherDefault<PrehashedHasher>>;

/// The group hash column of a segment; `None` when it has none.
pub(crate) fn group_column(segment: &SegmentReader) -> tantivy::Result<Option<Column<u64>>> {
    segment.fast_fields().column_opt(schema::GROUP_HASH)
}

/// The group of document `doc` of segment `segment`, whose group column is
/// `column`.
pub(crate) fn group_in(column: Option<&Column<u64>>, segment: SegmentOrdinal, doc: DocId) -> Group {
    match column.and_then(|column| column.first(doc)) {
        Some(hash) => Group::Shared(hash),
        None => Group::Alone(DocAddress::new(segment, doc)),
    }
}

/// The group columns of every segment of a searcher, opened once.
pub(crate) struct Groups(Vec<Option<Column<u64>>>);

impl Groups {
    pub fn new(searcher: &Searcher) -> tantivy::Result<Groups> {
        let columns = searcher.segment_readers().iter().map(group_column);
        Ok(Groups(columns.collect::<tantivy::Result<_>>()?))
    }

    /// The group of the document at `address`.
    pub fn of(&self, address: DocAddress) -> Group {
        let column = self.0.get(address.segment_ord as usize).and_then(Option::as_ref);
        group_in(column, address.segment_ord, address.doc_id)
    }
}

/// Counts the distinct translation groups among the matching documents:
/// the `total` of a collapsed search. Reads the groups from the index's
/// facet arrays, which number them.
pub(crate) struct DistinctGroups(pub Arc<Ordinals>);

pub(crate) struct DistinctGroupsInSegment {
    ordinals: Arc<SegmentOrdinals>,
    /// Documents of no shared group, each its own.
    alone: usize,
    shared: HashSet64,
}

/// What one segment found: documents alone, and the shared groups.
pub(crate) struct SegmentGroups {
    alone: usize,
    shared: HashSet64,
}

impl Collector for DistinctGroups {
    type Fruit = usize;
    type Child = DistinctGroupsInSegment;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(DistinctGroupsInSegment {
            ordinals: self.0.of(segment)?,
            alone: 0,
            shared: HashSet64::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentGroups>) -> tantivy::Result<usize> {
        let mut alone = 0;
        let mut shared = HashSet64::default();
        for fruit in fruits {
            alone += fruit.alone;
            shared.extend(fruit.shared);
        }
        Ok(alone + shared.len())
    }
}

impl SegmentCollector for DistinctGroupsInSegment {
    type Fruit = SegmentGroups;

    fn collect(&mut self, doc: DocId, _: Score) {
        match self.ordinals.groups.shared(doc) {
            Some(hash) => {
                self.shared.insert(hash);
            }
            None => self.alone += 1,
        }
    }

    fn harvest(self) -> SegmentGroups {
        SegmentGroups {
            alone: self.alone,
            shared: self.shared,
        }
    }
}

/// Hits in rank order, grouped as they come: each group lists its
/// matching versions in rank order, groups ordered by their best version.
#[derive(Default)]
pub(crate) struct RankedGroups {
    groups: Vec<Ranked>,
    // An export groups thousands of hits: look groups up, not scan them.
    positions: HashMap<Group, usize>,
    /// How many ranked hits are grouped.
    grouped: usize,
}

impl RankedGroups {
    /// Groups the hits of `ranked` past those grouped so far: `ranked`
    /// starts with the hits of the previous call.
    fn extend(&mut self, ranked: &[(Score, DocAddress)], group: impl Fn(DocAddress) -> Group) {
        for &(score, address) in ranked.iter().skip(self.grouped) {
            let key = group(address);
            match self.positions.get(&key) {
                Some(&at) => self.groups[at].push((score, address)),
                None => {
                    self.positions.insert(key, self.groups.len());
                    self.groups.push(vec![(score, address)]);
                }
            }
        }
        self.grouped = self.grouped.max(ranked.len());
    }
}

/// Hits in rank order, grouped (see [`RankedGroups`]).
#[cfg(test)]
pub(crate) fn group_in_rank_order(
    ranked: &[(Score, DocAddress)],
    group: impl Fn(DocAddress) -> Group,
) -> Vec<Ranked> {
    let mut groups = RankedGroups::default();
    groups.extend(ranked, group);
    groups.groups
}

/// The translation groups ranked `wanted` among those matching `query`, by
/// score or newest first, with `extra` collected over every match and the
/// number of matching documents.
pub(crate) fn top_groups<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    extra: C,
    wanted: Range<usize>,
    by_date: bool,
) -> Result<(C::Fruit, usize, Vec<Ranked>)> {
    let columns = Groups::new(searcher)?;
    let alive = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    // A page of groups needs more ranked documents than groups; widen the
    // window until the page is full or nothing is left.
    let mut window = wanted.end.saturating_mul(2).saturating_add(8).min(alive);
    let ((matching, fruit), mut ranked) = ranked_window(searcher, query, (Count, extra), 0..window, by_date)?;
    let mut groups = RankedGroups::default();
    loop {
        // A wider window ranks the same hits first (tantivy breaks ties by
        // address), so only the new ones are grouped.
        groups.extend(&ranked, |address| columns.of(address));
        if groups.groups.len() >= wanted.end || window >= matching || window >= alive {
            let page = groups
                .groups
                .into_iter()
                .skip(wanted.start)
                .take(wanted.len())
                .collect();
            return Ok((fruit, matching, page));
        }
        window = window.saturating_mul(4).min(alive);
        ranked = ranked_window(searcher, query, Count, 0..window, by_date)?.1;
    }
}

/// Which matching version of a group to show: the one in the preferred
/// language (asked for, or the query's), else one the words typed matched
/// themselves (not only their translations), else the best ranked.
/// `versions` are in rank order; returns an index into it.
/// `matched_literally` is asked about the versions in order, from the
/// first, until it says yes, so a caller can keep what it found.
pub(crate) fn pick_shown(
    versions: &[Document],
    preferred: &[&str],
    matched_literally: impl FnMut(&Document) -> bool,
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
            0 | 2 => Group::Shared(7),
            1 => Group::Shared(8),
            _ => Group::Alone(a),
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
        assert_eq!(group_in_rank_order(&ranked, Group::Alone).len(), 2);
    }

    #[test]
    fn documents_without_group_are_their_own_in_every_segment() {
        // Same doc id, different segments: two groups, not one.
        assert_ne!(group_in(None, 0, 3), group_in(None, 1, 3));
        assert_eq!(group_in(None, 1, 3), Group::Alone(DocAddress::new(1, 3)));
    }

    #[test]
    fn a_wider_window_groups_only_its_new_hits() {
        let ranked: Vec<(Score, DocAddress)> = (0..6).map(|doc| (1.0, address(doc))).collect();
        let group = |a: DocAddress| Group::Shared(u64::from(a.doc_id % 2));
        let mut widened = RankedGroups::default();
        widened.extend(&ranked[..3], group);
        widened.extend(&ranked, group);
        assert_eq!(widened.groups, group_in_rank_order(&ranked, group));
        assert_eq!(widened.groups.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3]);
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
