//! Each segment's facet values as plain arrays of term ordinals, read once
//! from tantivy's columns when a segment is first searched.
//!
//! Counting reads every facet of every matching document: through tantivy's
//! column index (a rank in an optional or multi-valued index, then a
//! bit-unpacked value) that cost 100–150 ns a document for the seven facets
//! and was the main cost of a search matching much of a large index. From
//! an array it is one load per value. Segments never change, so the arrays
//! are built once per segment, by the reader's warmer before a new searcher
//! is handed out, and dropped with the last searcher that sees the segment.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::index::SegmentId;
use tantivy::schema::Facet;
use tantivy::{DocId, Searcher, SearcherGeneration, SegmentReader, Warmer};

use crate::collapse;

use super::FACETS;

/// No value (a document without this facet, or without a shared group).
const NONE: u32 = u32::MAX;

/// Most distinct sets of values a facet is counted by set (see
/// [`FacetOrdinals::Sets`]); past this, value by value.
const MAX_SETS: usize = 1 << 16;

/// The ordinals of one facet in one segment.
pub(crate) enum FacetOrdinals {
    /// At most one value a document (most facets): `ords[doc]`, or [`NONE`].
    Single(Vec<u32>),
    /// Several values a document, in few combinations (1–3 themes of a few
    /// dozen): `by_doc[doc]` numbers the document's set of values, whose
    /// ordinals are `sets[n]`. Counting adds one to the set's count per
    /// document, and each set's count to its values once per search: a
    /// loop over a document's values, per document, cost three times more.
    Sets { by_doc: Vec<u32>, sets: Vec<Box<[u32]>> },
    /// Any number: the values of `doc` are `ords[starts[doc]..starts[doc + 1]]`.
    Many { starts: Vec<u32>, ords: Vec<u32> },
}

impl FacetOrdinals {
    fn read(facets: &FacetReader, max_doc: DocId) -> FacetOrdinals {
        let mut starts = Vec::with_capacity(max_doc as usize + 1);
        let mut ords = Vec::with_capacity(max_doc as usize);
        let mut single = true;
        for doc in 0..max_doc {
            starts.push(ords.len() as u32);
            let before = ords.len();
            // Ordinals fit in u32: a segment holds fewer than 2^31 documents.
            ords.extend(facets.facet_ords(doc).map(|ord| ord as u32));
            single &= ords.len() - before <= 1;
        }
        starts.push(ords.len() as u32);
        if !single {
            return FacetOrdinals::sets(&starts, &ords, MAX_SETS)
                .unwrap_or(FacetOrdinals::Many { starts, ords });
        }
        let by_doc = starts
            .windows(2)
            .map(|range| match range[0] < range[1] {
                true => ords[range[0] as usize],
                false => NONE,
            })
            .collect();
        FacetOrdinals::Single(by_doc)
    }

    /// The documents' values `ords[starts[doc]..starts[doc + 1]]` as
    /// numbered sets, unless they make more than `most` sets.
    fn sets(starts: &[u32], ords: &[u32], most: usize) -> Option<FacetOrdinals> {
        let mut numbers: HashMap<&[u32], u32> = HashMap::new();
        let mut sets: Vec<Box<[u32]>> = Vec::new();
        let mut by_doc = Vec::with_capacity(starts.len().saturating_sub(1));
        for range in starts.windows(2) {
            let values = &ords[range[0] as usize..range[1] as usize];
            if values.is_empty() {
                by_doc.push(NONE);
                continue;
            }
            let number = *numbers.entry(values).or_insert_with(|| {
                sets.push(values.into());
                sets.len() as u32 - 1
            });
            if sets.len() > most {
                return None;
            }
            by_doc.push(number);
        }
        Some(FacetOrdinals::Sets { by_doc, sets })
    }

    /// How many sets of values documents are counted by (zero unless
    /// [`FacetOrdinals::Sets`]).
    pub fn set_count(&self) -> usize {
        match self {
            FacetOrdinals::Sets { sets, .. } => sets.len(),
            _ => 0,
        }
    }

    /// The values of `doc`, as term ordinals of the segment's facet
    /// dictionary.
    #[inline]
    pub fn of(&self, doc: DocId) -> &[u32] {
        match self {
            FacetOrdinals::Single(by_doc) => match by_doc.get(doc as usize) {
                Some(ord) if *ord != NONE => std::slice::from_ref(ord),
                _ => &[],
            },
            FacetOrdinals::Sets { by_doc, sets } => by_doc
                .get(doc as usize)
                .and_then(|number| sets.get(*number as usize))
                .map_or(&[], |set| set),
            FacetOrdinals::Many { starts, ords } => {
                let doc = doc as usize;
                match (starts.get(doc), starts.get(doc + 1)) {
                    (Some(from), Some(to)) => &ords[*from as usize..*to as usize],
                    _ => &[],
                }
            }
        }
    }
}

/// The translation groups of one segment's documents, by number: most
/// documents have none, and a number a document takes 4 bytes where the
/// group column's optional index costs a rank lookup.
pub(crate) struct GroupOrdinals {
    /// Per document: its index in `hashes`, or [`NONE`].
    by_doc: Vec<u32>,
    hashes: Vec<u64>,
}

impl GroupOrdinals {
    fn read(column: Option<&Column<u64>>, max_doc: DocId) -> GroupOrdinals {
        let mut hashes = Vec::new();
        let mut by_doc = vec![NONE; max_doc as usize];
        if let Some(column) = column {
            let mut numbers: HashMap<u64, u32> = HashMap::new();
            for (doc, slot) in (0..max_doc).zip(by_doc.iter_mut()) {
                if let Some(hash) = column.first(doc) {
                    *slot = *numbers.entry(hash).or_insert_with(|| {
                        hashes.push(hash);
                        hashes.len() as u32 - 1
                    });
                }
            }
        }
        GroupOrdinals { by_doc, hashes }
    }

    /// The hash of `doc`'s shared group, if it has one.
    #[inline]
    pub fn shared(&self, doc: DocId) -> Option<u64> {
        match self.by_doc.get(doc as usize) {
            Some(number) if *number != NONE => self.hashes.get(*number as usize).copied(),
            _ => None,
        }
    }
}

/// One segment's arrays: every facet in [`FACETS`] order with the value of
/// each ordinal, and the groups.
pub(crate) struct SegmentOrdinals {
    pub facets: Vec<FacetOrdinals>,
    /// Per facet, the value each ordinal stands for (decoding the facet
    /// dictionary for every search was a tenth of a query's time).
    pub values: Vec<Vec<Box<str>>>,
    pub groups: GroupOrdinals,
}

impl SegmentOrdinals {
    fn read(segment: &SegmentReader) -> tantivy::Result<SegmentOrdinals> {
        let max_doc = segment.max_doc();
        let mut facets = Vec::with_capacity(FACETS.len());
        let mut values = Vec::with_capacity(FACETS.len());
        for facet in FACETS {
            let reader = segment.facet_reader(facet.name)?;
            facets.push(FacetOrdinals::read(&reader, max_doc));
            values.push(facet_values(&reader)?);
        }
        let groups = GroupOrdinals::read(collapse::group_column(segment)?.as_ref(), max_doc);
        Ok(SegmentOrdinals {
            facets,
            values,
            groups,
        })
    }
}

/// The value of every ordinal of a facet, in one pass over its dictionary.
/// Facets are one level deep: a value is its facet's last segment (the
/// root, never indexed, would be empty).
fn facet_values(reader: &FacetReader) -> tantivy::Result<Vec<Box<str>>> {
    let mut values = Vec::with_capacity(reader.num_facets());
    let mut terms = reader.facet_dict().stream()?;
    while terms.advance() {
        let facet = Facet::from_encoded(terms.key().to_vec()).unwrap_or_else(|_| Facet::root());
        values.push(facet.to_path().last().copied().unwrap_or_default().into());
    }
    Ok(values)
}

/// The arrays of every segment a live searcher sees; the reader's
/// [`Warmer`].
#[derive(Default)]
pub(crate) struct Ordinals {
    segments: RwLock<HashMap<SegmentId, Arc<SegmentOrdinals>>>,
}

impl Ordinals {
    /// The arrays of `segment`, read now if the warmer has not (a searcher
    /// taken before the warmer was registered).
    pub fn of(&self, segment: &SegmentReader) -> tantivy::Result<Arc<SegmentOrdinals>> {
        let id = segment.segment_id();
        if let Some(known) = self.segments.read().ok().and_then(|map| map.get(&id).cloned()) {
            return Ok(known);
        }
        let read = Arc::new(SegmentOrdinals::read(segment)?);
        // A poisoned lock only loses the memory, never the answer.
        if let Ok(mut map) = self.segments.write() {
            map.insert(id, Arc::clone(&read));
        }
        Ok(read)
    }

    /// How many segments' arrays are kept.
    #[cfg(test)]
    pub fn segments(&self) -> usize {
        self.segments.read().map_or(0, |map| map.len())
    }
}

impl Warmer for Ordinals {
    fn warm(&self, searcher: &Searcher) -> tantivy::Result<()> {
        for segment in searcher.segment_readers() {
            self.of(segment)?;
        }
        Ok(())
    }

    fn garbage_collect(&self, live: &[&SearcherGeneration]) {
        if let Ok(mut map) = self.segments.write() {
            map.retain(|id, _| {
                live.iter()
                    .any(|generation| generation.segments().contains_key(id))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_give_each_document_its_values_and_stay_bounded() {
        // Documents: {1, 2}, none, {3}, {1, 2}, {2, 3}.
        let starts = [0, 2, 2, 3, 5, 7];
        let ords = [1, 2, 3, 1, 2, 2, 3];
        let many = FacetOrdinals::Many {
            starts: starts.to_vec(),
            ords: ords.to_vec(),
        };
        let sets = FacetOrdinals::sets(&starts, &ords, 3).expect("three sets");
        assert_eq!(sets.set_count(), 3, "the repeated set is numbered once");
        for doc in 0..6 {
            assert_eq!(sets.of(doc), many.of(doc), "document {doc}");
        }
        assert!(FacetOrdinals::sets(&starts, &ords, 2).is_none(), "past the bound");
    }
}
