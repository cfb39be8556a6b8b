//! The lists a search returns: every selected value kept, text values by
//! count and cut, years ascending with the gaps filled.

use std::collections::HashMap;

use super::table::{FacetDef, ValueKind};
use serde::Serialize;

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

/// Years a list fills in at most: a bogus date (year 1) next to real ones
/// would otherwise list two thousand empty years.
const MAX_YEAR_SPAN: i64 = 300;

/// The list a search returns for `facet`: every selected value (0
/// when it matches nothing), marked; then, for a year facet, every year between
/// the smallest and the largest, ascending, never cut; for the others the
/// values by count (descending) then value, cut after `size` but for the
/// selected ones.
pub(crate) fn list(
    facet: &FacetDef,
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
    if facet.kind == ValueKind::Year {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facets::table::facet;

    fn year() -> &'static FacetDef {
        facet("year").unwrap()
    }

    #[test]
    fn years_are_filled_in_ascending() {
        let counted = vec![("2024".to_owned(), 2), ("2021".to_owned(), 1)];
        let list = list(year(), counted, &["2019".to_owned()], 1);
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
        assert_eq!(list(year(), counted, &[], 10).len(), 2);
    }
}
