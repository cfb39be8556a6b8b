//! Counting facet values: one collector for any number of facet fields,
//! counting documents, or translation groups when collapsed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::collapse;

use super::FACETS;
use super::ordinals::{FacetOrdinals, Ordinals, SegmentOrdinals};

/// Counts the values of some facet fields (they are all one level deep) in
/// one pass: matching documents, or, for a collapsed search, matching
/// translation groups, so that a value's count is the number of hits that
/// ticking it shows. Its fruit has one list per facet, in the order asked.
pub(crate) struct FacetCounter {
    /// Positions in [`FACETS`].
    facets: Vec<usize>,
    by_group: bool,
    ordinals: Arc<Ordinals>,
}

/// Counts the facets at `facets` (positions in [`FACETS`]) from the index's
/// `ordinals`.
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
    /// Position in [`FACETS`], and so in the segment's arrays.
    at: usize,
    /// The facet's dictionary, to name the ordinals counted.
    dictionary: FacetReader,
    /// Per term ordinal: documents, or (counting groups) documents of no
    /// shared group, each a group of its own. A vector, not a map: this
    /// runs for every matching document and every facet.
    counts: Vec<u64>,
    /// Counting groups: `(ordinal, group hash)` of the shared groups seen,
    /// so a group whose versions all have a value counts once.
    shared: HashSet<(u32, u64)>,
}

/// One segment's counts by value: documents (or lone documents), and the
/// shared groups of each value.
pub(crate) struct Counted {
    counts: Vec<(String, u64)>,
    shared: Vec<(String, collapse::HashSet64)>,
}

impl Collector for FacetCounter {
    type Fruit = Vec<Vec<(String, u64)>>;
    type Child = FacetCounterInSegment;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let counting = self
            .facets
            .iter()
            .map(|&at| {
                let name = FACETS.get(at).map_or("", |facet| facet.name);
                let dictionary = segment.facet_reader(name)?;
                Ok(Counting {
                    at,
                    counts: vec![0; dictionary.num_facets()],
                    dictionary,
                    shared: HashSet::new(),
                })
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(FacetCounterInSegment {
            ordinals: self.ordinals.of(segment)?,
            counting,
            by_group: self.by_group,
            pending: Vec::with_capacity(BLOCK),
            alone: Vec::with_capacity(BLOCK),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<tantivy::Result<Vec<Counted>>>) -> tantivy::Result<Self::Fruit> {
        let mut counts: Vec<HashMap<String, u64>> = vec![HashMap::new(); self.facets.len()];
        let mut shared: Vec<HashMap<String, collapse::HashSet64>> = vec![HashMap::new(); self.facets.len()];
        for segment in segments {
            for ((counted, counts), shared) in segment?.into_iter().zip(&mut counts).zip(&mut shared) {
                for (value, count) in counted.counts {
                    *counts.entry(value).or_default() += count;
                }
                for (value, groups) in counted.shared {
                    shared.entry(value).or_default().extend(groups);
                }
            }
        }
        let lists = counts.into_iter().zip(shared).map(|(mut counts, shared)| {
            for (value, groups) in shared {
                *counts.entry(value).or_default() += groups.len() as u64;
            }
            counts.into_iter().collect()
        });
        Ok(lists.collect())
    }
}

impl SegmentCollector for FacetCounterInSegment {
    type Fruit = tantivy::Result<Vec<Counted>>;

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
                count_documents(facet, docs, &mut counting.counts);
            }
        }
    }

    fn harvest(mut self) -> tantivy::Result<Vec<Counted>> {
        let pending = std::mem::take(&mut self.pending);
        self.collect_block(&pending);
        self.counting.into_iter().map(Counting::harvest).collect()
    }
}

/// Adds `docs` to the counts of their values of `facet`.
#[inline]
fn count_documents(facet: &FacetOrdinals, docs: &[DocId], counts: &mut [u64]) {
    match facet {
        FacetOrdinals::Single(by_doc) => {
            // No value is an ordinal past every count: skipped.
            for &doc in docs {
                if let Some(count) = by_doc
                    .get(doc as usize)
                    .and_then(|ord| counts.get_mut(*ord as usize))
                {
                    *count += 1;
                }
            }
        }
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
    fn harvest(self) -> tantivy::Result<Counted> {
        let counted: Vec<(u64, u64)> = self
            .counts
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(ord, count)| (ord as u64, *count))
            .collect();
        let mut by_ord: BTreeMap<u64, collapse::HashSet64> = BTreeMap::new();
        for (ord, group) in self.shared {
            by_ord.entry(u64::from(ord)).or_default().insert(group);
        }
        let values = values_of(&self.dictionary, counted.iter().map(|(ord, _)| *ord))?;
        // The root facet (no value) is never indexed; skipped were it there.
        let counts = values
            .into_iter()
            .zip(counted)
            .filter(|(value, _)| !value.is_empty())
            .map(|(value, (_, count))| (value, count));
        let shared_values = values_of(&self.dictionary, by_ord.keys().copied())?;
        let shared = shared_values
            .into_iter()
            .zip(by_ord.into_values())
            .filter(|(value, _)| !value.is_empty());
        Ok(Counted {
            counts: counts.collect(),
            shared: shared.collect(),
        })
    }
}

/// The values of ascending term ordinals of a facet, in one pass over its
/// dictionary: looking each up alone decodes its dictionary block from the
/// start, which made a keyword facet of thousands of values the slowest
/// part of a search.
fn values_of(facets: &FacetReader, ords: impl Iterator<Item = u64>) -> tantivy::Result<Vec<String>> {
    let ords: Vec<u64> = ords.collect();
    let mut values = Vec::with_capacity(ords.len());
    facets.facet_dict().sorted_ords_to_term_cb(&ords, |bytes| {
        let facet = Facet::from_encoded(bytes.to_vec()).unwrap_or_else(|_| Facet::root());
        values.push(
            facet
                .to_path()
                .last()
                .map(|value| (*value).to_owned())
                .unwrap_or_default(),
        );
    })?;
    Ok(values)
}
