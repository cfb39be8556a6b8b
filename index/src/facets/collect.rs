//! Counting facet values: one collector for any number of facet fields,
//! counting documents, or translation groups when collapsed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::collapse;

use super::ordinals::{FacetOrdinals, Ordinals, SegmentOrdinals};

/// Counts the values of some facet fields (they are all one level deep) in
/// one pass: matching documents, or, for a collapsed search, matching
/// translation groups, so that a value's count is the number of hits that
/// ticking it shows. Its fruit has one list per facet, in the order asked.
pub(crate) struct FacetCounter {
    /// Positions in [`FACETS`](super::FACETS).
    facets: Vec<usize>,
    by_group: bool,
    ordinals: Arc<Ordinals>,
}

/// Counts the facets at `facets` (positions in [`FACETS`](super::FACETS))
/// from the index's `ordinals`.
pub(crate) fn collector(ordinals: &Arc<Ordinals>, facets: Vec<usize>, by_group: bool) -> FacetCounter {
    FacetCounter {
        facets,
        by_group,
        ordinals: Arc::clone(ordinals),
    }
}

pub(crate) struct FacetCounterInSegment {
    /// The segment's arrays: the facets' ordinals and the groups.
    ordinals: Arc<SegmentOrdinals>,
    /// Per facet counted, in the order asked.
    counting: Vec<Counting>,
    by_group: bool,
    /// Documents collected one by one (a scored search), counted a block
    /// at a time: per document, the facets' loop cost more than counting.
    pending: Vec<DocId>,
    /// Of a block, the documents without a shared group.
    alone: Vec<DocId>,
}

/// Documents counted at once.
const BLOCK: usize = 256;

/// What one segment has counted of one facet.
struct Counting {
    /// Position in [`FACETS`](super::FACETS), and so in the segment's arrays.
    at: usize,
    /// Per term ordinal: documents, or (counting groups) documents of no
    /// shared group, each a group of its own. A vector, not a map: this
    /// runs for every matching document and every facet.
    counts: Vec<u64>,
    /// Documents (alone) per numbered set of values, for a facet counted
    /// by set; added to `counts` when the segment is done.
    set_counts: Vec<u64>,
    /// Counting groups: `(ordinal, group hash)` of the shared groups seen,
    /// so a group whose versions all have a value counts once.
    shared: HashSet<(u32, u64)>,
}

/// One segment's counts of one facet by ordinal: documents (or lone
/// documents), and the shared groups of each value; named by the segment's
/// values when segments are merged.
pub(crate) struct Counted {
    segment: Arc<SegmentOrdinals>,
    at: usize,
    counts: Vec<(u32, u64)>,
    shared: BTreeMap<u32, collapse::HashSet64>,
}

impl Counted {
    fn value(&self, ord: u32) -> &str {
        self.segment
            .values
            .get(self.at)
            .and_then(|values| values.get(ord as usize))
            .map_or("", |value| value)
    }
}

impl Collector for FacetCounter {
    type Fruit = Vec<Vec<(String, u64)>>;
    type Child = FacetCounterInSegment;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let ordinals = self.ordinals.of(segment)?;
        let counting = self
            .facets
            .iter()
            .map(|&at| Counting {
                at,
                counts: vec![0; ordinals.values.get(at).map_or(0, Vec::len)],
                set_counts: vec![0; ordinals.facets.get(at).map_or(0, FacetOrdinals::set_count)],
                shared: HashSet::new(),
            })
            .collect();
        Ok(FacetCounterInSegment {
            ordinals,
            counting,
            by_group: self.by_group,
            pending: Vec::with_capacity(BLOCK),
            alone: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<Vec<Counted>>) -> tantivy::Result<Self::Fruit> {
        let lists = (0..self.facets.len()).map(|slot| {
            // Values are borrowed from the segments' arrays; a value's
            // string is made once, however many segments count it.
            let mut counts: HashMap<&str, u64> = HashMap::new();
            let mut shared: HashMap<&str, collapse::HashSet64> = HashMap::new();
            for counted in segments.iter().filter_map(|facets| facets.get(slot)) {
                for (ord, count) in &counted.counts {
                    *counts.entry(counted.value(*ord)).or_default() += count;
                }
                for (ord, groups) in &counted.shared {
                    shared.entry(counted.value(*ord)).or_default().extend(groups);
                }
            }
            for (value, groups) in shared {
                *counts.entry(value).or_default() += groups.len() as u64;
            }
            // The root facet (no value) is never indexed; skipped were it there.
            counts
                .into_iter()
                .filter(|(value, _)| !value.is_empty())
                .map(|(value, count)| (value.to_owned(), count))
                .collect()
        });
        Ok(lists.collect())
    }
}

impl SegmentCollector for FacetCounterInSegment {
    type Fruit = Vec<Counted>;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.pending.push(doc);
        if self.pending.len() >= BLOCK {
            let pending = std::mem::take(&mut self.pending);
            self.collect_block(&pending);
            self.pending = pending;
            self.pending.clear();
        }
    }

    /// Facet by facet over the block, so that each inner loop reads one
    /// array: the cost of a search matching much of a large index.
    fn collect_block(&mut self, docs: &[DocId]) {
        let ordinals = &*self.ordinals;
        let mut docs = docs;
        if self.by_group {
            // Few documents share a group; the others count as documents.
            self.alone.clear();
            for &doc in docs {
                match ordinals.groups.shared(doc) {
                    Some(group) => {
                        for counting in &mut self.counting {
                            if let Some(facet) = ordinals.facets.get(counting.at) {
                                counting
                                    .shared
                                    .extend(facet.of(doc).iter().map(|ord| (*ord, group)));
                            }
                        }
                    }
                    None => self.alone.push(doc),
                }
            }
            docs = &self.alone;
        }
        for counting in &mut self.counting {
            if let Some(facet) = ordinals.facets.get(counting.at) {
                count_documents(facet, docs, &mut counting.counts, &mut counting.set_counts);
            }
        }
    }

    fn harvest(mut self) -> Vec<Counted> {
        let pending = std::mem::take(&mut self.pending);
        self.collect_block(&pending);
        let segment = self.ordinals;
        self.counting
            .into_iter()
            .map(|counting| counting.harvest(Arc::clone(&segment)))
            .collect()
    }
}

/// Adds one to `counts[by_doc[doc]]` for each of `docs`.
#[inline]
fn count_numbered(by_doc: &[u32], docs: &[DocId], counts: &mut [u64]) {
    for &doc in docs {
        if let Some(count) = by_doc
            .get(doc as usize)
            .and_then(|number| counts.get_mut(*number as usize))
        {
            *count += 1;
        }
    }
}

/// Adds `docs` to the counts of their values of `facet` (to those of their
/// sets of values, for a facet counted by set).
#[inline]
fn count_documents(facet: &FacetOrdinals, docs: &[DocId], counts: &mut [u64], set_counts: &mut [u64]) {
    match facet {
        // No value is a number past every count: skipped.
        FacetOrdinals::Single(by_doc) => count_numbered(by_doc, docs, counts),
        FacetOrdinals::Sets { by_doc, .. } => count_numbered(by_doc, docs, set_counts),
        FacetOrdinals::Many { .. } => {
            for &doc in docs {
                for ord in facet.of(doc) {
                    if let Some(count) = counts.get_mut(*ord as usize) {
                        *count += 1;
                    }
                }
            }
        }
    }
}

impl Counting {
    fn harvest(mut self, segment: Arc<SegmentOrdinals>) -> Counted {
        if let Some(FacetOrdinals::Sets { sets, .. }) = segment.facets.get(self.at) {
            for (set, count) in sets.iter().zip(&self.set_counts) {
                for ord in set.iter().filter(|_| *count > 0) {
                    if let Some(total) = self.counts.get_mut(*ord as usize) {
                        *total += count;
                    }
                }
            }
        }
        let counts = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(ord, count)| (ord as u32, *count))
            .collect();
        let mut shared: BTreeMap<u32, collapse::HashSet64> = BTreeMap::new();
        for (ord, group) in self.shared {
            shared.entry(ord).or_default().insert(group);
        }
        Counted {
            segment,
            at: self.at,
            counts,
            shared,
        }
    }
}
