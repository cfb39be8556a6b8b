//! Counting facet values: a collector for one facet field (documents, or
//! translation groups when collapsed), and [`Many`] to run several in one
//! pass.

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::collapse;

/// Runs several collectors of one type in a single pass; tantivy's tuples
/// stop at four and the facet fields are seven.
pub(crate) struct Many<C>(pub Vec<C>);

pub(crate) struct ManyInSegment<S>(Vec<S>);

impl<C: Collector> Collector for Many<C> {
    type Fruit = Vec<C::Fruit>;
    type Child = ManyInSegment<C::Child>;

    fn for_segment(&self, ordinal: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let children = self
            .0
            .iter()
            .map(|collector| collector.for_segment(ordinal, segment))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(ManyInSegment(children))
    }

    fn requires_scoring(&self) -> bool {
        self.0.iter().any(Collector::requires_scoring)
    }

    fn merge_fruits(
        &self,
        segments: Vec<Vec<<C::Child as SegmentCollector>::Fruit>>,
    ) -> tantivy::Result<Vec<C::Fruit>> {
        let mut per_collector: Vec<Vec<_>> = self.0.iter().map(|_| Vec::new()).collect();
        for fruits in segments {
            for (slot, fruit) in per_collector.iter_mut().zip(fruits) {
                slot.push(fruit);
            }
        }
        self.0
            .iter()
            .zip(per_collector)
            .map(|(collector, fruits)| collector.merge_fruits(fruits))
            .collect()
    }
}

impl<S: SegmentCollector> SegmentCollector for ManyInSegment<S> {
    type Fruit = Vec<S::Fruit>;

    fn collect(&mut self, doc: DocId, score: Score) {
        for child in &mut self.0 {
            child.collect(doc, score);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        for child in &mut self.0 {
            child.collect_block(docs);
        }
    }

    fn harvest(self) -> Vec<S::Fruit> {
        self.0.into_iter().map(SegmentCollector::harvest).collect()
    }
}

/// Counts the values of one facet field (they are all one level deep):
/// matching documents, or, for a collapsed search, matching translation
/// groups, so that a value's count is the number of hits that ticking it
/// shows.
pub(crate) struct FacetCounter {
    field: String,
    by_group: bool,
}

pub(crate) fn collector(field: &str, by_group: bool) -> FacetCounter {
    FacetCounter {
        field: field.to_owned(),
        by_group,
    }
}

pub(crate) struct FacetCounterInSegment {
    facets: FacetReader,
    /// Set when counting groups: the segment's group column (see
    /// [`collapse::group_in`]).
    groups: Option<Option<Column<u64>>>,
    /// Per term ordinal: documents, or (counting groups) documents of no
    /// shared group, each a group of its own. A vector, not a map: this
    /// runs for every matching document and every facet.
    counts: Vec<u64>,
    /// Counting groups: `(ordinal, group hash)` of the shared groups seen,
    /// so a group whose versions all have a value counts once.
    shared: HashSet<(u64, u64)>,
}

/// One segment's counts by value: documents (or lone documents), and the
/// shared groups of each value.
pub(crate) struct Counted {
    counts: Vec<(String, u64)>,
    shared: Vec<(String, collapse::HashSet64)>,
}

impl Collector for FacetCounter {
    type Fruit = Vec<(String, u64)>;
    type Child = FacetCounterInSegment;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<Self::Child> {
        let groups = match self.by_group {
            true => Some(collapse::group_column(segment)?),
            false => None,
        };
        let facets = segment.facet_reader(&self.field)?;
        Ok(FacetCounterInSegment {
            counts: vec![0; facets.num_facets()],
            facets,
            groups,
            shared: HashSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<tantivy::Result<Counted>>) -> tantivy::Result<Vec<(String, u64)>> {
        let mut counts: HashMap<String, u64> = HashMap::new();
        let mut shared: HashMap<String, collapse::HashSet64> = HashMap::new();
        for counted in segments {
            let counted = counted?;
            for (value, count) in counted.counts {
                *counts.entry(value).or_default() += count;
            }
            for (value, groups) in counted.shared {
                shared.entry(value).or_default().extend(groups);
            }
        }
        for (value, groups) in shared {
            *counts.entry(value).or_default() += groups.len() as u64;
        }
        Ok(counts.into_iter().collect())
    }
}

impl SegmentCollector for FacetCounterInSegment {
    type Fruit = tantivy::Result<Counted>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let shared = match &self.groups {
            Some(column) => column.as_ref().and_then(|column| column.first(doc)),
            None => None,
        };
        match shared {
            Some(group) => {
                for ord in self.facets.facet_ords(doc) {
                    self.shared.insert((ord, group));
                }
            }
            None => {
                for ord in self.facets.facet_ords(doc) {
                    if let Some(count) = self.counts.get_mut(ord as usize) {
                        *count += 1;
                    }
                }
            }
        }
    }

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
            by_ord.entry(ord).or_default().insert(group);
        }
        let values = values_of(&self.facets, counted.iter().map(|(ord, _)| *ord))?;
        // The root facet (no value) is never indexed; skipped were it there.
        let counts = values
            .into_iter()
            .zip(counted)
            .filter(|(value, _)| !value.is_empty())
            .map(|(value, (_, count))| (value, count));
        let shared_values = values_of(&self.facets, by_ord.keys().copied())?;
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
