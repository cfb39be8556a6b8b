//! Facet counting: a collector for any number of facet fields, the lists
//! a search returns (cut, selected values kept, years filled in) and the
//! prefix matching of [`SearchIndex::facet_values`](crate::SearchIndex::facet_values).

use std::collections::{BTreeMap, HashMap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::analysis;
use crate::collapse;
use crate::schema;
use crate::search::FacetCount;

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

/// Years a list fills in at most: a bogus date (year 1) next to real ones
/// would otherwise list two thousand empty years.
const MAX_YEAR_SPAN: i64 = 300;

/// The list a search returns for facet `name`: every selected value (0
/// when it matches nothing), marked; then, for `year`, every year between
/// the smallest and the largest, ascending, never cut; for the others the
/// values by count (descending) then value, cut after `size` but for the
/// selected ones.
pub(crate) fn list(
    name: &str,
    counted: Vec<(String, u64)>,
    selected: &[String],
    size: usize,
) -> Vec<FacetCount> {
    let mut list: Vec<FacetCount> = counted
        .into_iter()
        .map(|(value, count)| FacetCount {
            selected: selected.contains(&value),
            value,
            count,
        })
        .collect();
    for value in selected {
        if !list.iter().any(|count| &count.value == value) {
            list.push(FacetCount {
                value: value.clone(),
                count: 0,
                selected: true,
            });
        }
    }
    if name == schema::YEAR {
        return years(list);
    }
    sort(&mut list);
    list.into_iter()
        .enumerate()
        .filter(|(rank, count)| *rank < size || count.selected)
        .map(|(_, count)| count)
        .collect()
}

/// Count descending, then value.
pub(crate) fn sort(list: &mut [FacetCount]) {
    list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
}

/// Counted values as an unselected list, most frequent first (see [`sort`]).
pub(crate) fn sorted(counted: impl IntoIterator<Item = (String, u64)>) -> Vec<FacetCount> {
    let mut list: Vec<FacetCount> = counted
        .into_iter()
        .map(|(value, count)| FacetCount {
            value,
            count,
            selected: false,
        })
        .collect();
    sort(&mut list);
    list
}

/// Years ascending with the missing ones in between at 0.
fn years(mut list: Vec<FacetCount>) -> Vec<FacetCount> {
    let year = |count: &FacetCount| count.value.parse::<i64>().ok();
    let known: Vec<i64> = list.iter().filter_map(year).collect();
    if let (Some(&first), Some(&last)) = (known.iter().min(), known.iter().max())
        && last - first < MAX_YEAR_SPAN
    {
        let by_year: HashMap<i64, usize> = list
            .iter()
            .enumerate()
            .filter_map(|(at, count)| Some((year(count)?, at)))
            .collect();
        for missing in (first..=last).filter(|y| !by_year.contains_key(y)) {
            list.push(FacetCount {
                value: missing.to_string(),
                count: 0,
                selected: false,
            });
        }
    }
    // Anything not a number (never indexed as a year) goes last.
    list.sort_by(|a, b| {
        let key = |count: &FacetCount| year(count).unwrap_or(i64::MAX);
        key(a).cmp(&key(b)).then_with(|| a.value.cmp(&b.value))
    });
    list
}

/// Lowercase, accent-free words of `text`, as the language-neutral
/// analyzer splits them. `analyzer` is [`analysis::simple_analyzer`], built
/// once by the caller: type-ahead folds every facet value per keystroke.
pub(crate) fn folded_words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    analysis::analyze(analyzer, text)
        .into_iter()
        .map(|(_, word)| word)
        .collect()
}

/// Whether a facet value matches what was typed so far. `typed` is the
/// folded prefix without spaces; it matches from the start of any word of
/// the value, and may run on over the following words as long as each
/// piece starts its word: `reten` finds `Rétention`, `inter` and
/// `caritas int` find `Caritas International`, and so does `cai`
/// (`ca`ritas `i`nternational), as people shorten names.
pub(crate) fn prefix_matches(words: &[String], typed: &str) -> bool {
    if typed.is_empty() {
        return true;
    }
    // How much of `typed` the words so far can have consumed; a match may
    // start at any word, hence 0 at each. Sets, not a search over splits,
    // so a long prefix against a long value stays quadratic at worst.
    let mut consumed: Vec<usize> = Vec::new();
    for word in words {
        consumed.push(0);
        let mut next = Vec::new();
        for &at in &consumed {
            let rest = &typed[at..];
            let common = word.bytes().zip(rest.bytes()).take_while(|(a, b)| a == b).count();
            if common == rest.len() {
                return true;
            }
            next.extend(
                (1..=common)
                    .filter(|cut| rest.is_char_boundary(*cut))
                    .map(|cut| at + cut),
            );
        }
        next.sort_unstable();
        next.dedup();
        consumed = next;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(value: &str, typed: &str) -> bool {
        let mut analyzer = analysis::simple_analyzer();
        let typed = folded_words(&mut analyzer, typed).concat();
        prefix_matches(&folded_words(&mut analyzer, value), &typed)
    }

    #[test]
    fn prefixes_match_words_and_abbreviations_without_accents() {
        assert!(matches("Caritas International", "cai"));
        assert!(matches("Caritas International", "Cari"));
        assert!(matches("Caritas International", "inter"));
        assert!(matches("Caritas International", "caritas int"));
        assert!(matches("Rétention", "rete"));
        assert!(matches("Rétention", "RÉTEN"));
        assert!(!matches("Rétention", "reti"));
        assert!(!matches("Caritas International", "aritas"));
        assert!(!matches("Caritas International", "cx"));
        assert!(matches("Return & Readmission", "return re"));
    }

    #[test]
    fn years_are_filled_in_ascending() {
        let counted = vec![("2024".to_owned(), 2), ("2021".to_owned(), 1)];
        let list = list(schema::YEAR, counted, &["2019".to_owned()], 1);
        let values: Vec<(&str, u64, bool)> = list
            .iter()
            .map(|c| (c.value.as_str(), c.count, c.selected))
            .collect();
        assert_eq!(
            values,
            [
                ("2019", 0, true),
                ("2020", 0, false),
                ("2021", 1, false),
                ("2022", 0, false),
                ("2023", 0, false),
                ("2024", 2, false),
            ]
        );
    }

    #[test]
    fn a_bogus_year_does_not_fill_two_thousand_years() {
        let counted = vec![("1".to_owned(), 1), ("2024".to_owned(), 1)];
        assert_eq!(list(schema::YEAR, counted, &[], 10).len(), 2);
    }
}
