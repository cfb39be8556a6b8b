//! The facets, one entry each: the single list the schema, the writer, the
//! filters, the counts, the API's parameters and its description, the CLI
//! and the page are all derived from. Adding a facet is an entry here and
//! the function that takes its values from a [`Document`].

use chrono::Datelike;

use crate::document::Document;

/// Every facet, in the order of the response's facet lists.
pub const FACETS: &[FacetDef] = &[
    FacetDef {
        name: "theme",
        aliases: &[],
        description: "EMN theme label, e.g. `Return & Readmission` (shown or inferred from the text)",
        labels: Labels {
            en: "Theme",
            fr: "Thème",
            nl: "Thema",
        },
        values: themes,
        vocabulary: Vocabulary::Open,
        kind: ValueKind::Text,
        many_values: false,
    },
    FacetDef {
        name: "year",
        aliases: &[],
        description: "Publication year",
        labels: Labels {
            en: "Year",
            fr: "Année",
            nl: "Jaar",
        },
        values: year,
        vocabulary: Vocabulary::Open,
        kind: ValueKind::Year,
        many_values: false,
    },
    FacetDef {
        name: "organisation",
        aliases: &["organization"],
        description: "Organisation name, e.g. `CGRS`",
        labels: Labels {
            en: "Organisation",
            fr: "Organisation",
            nl: "Organisatie",
        },
        values: |document| document.organisations.clone(),
        vocabulary: Vocabulary::Open,
        kind: ValueKind::Text,
        many_values: true,
    },
    FacetDef {
        name: "language",
        aliases: &[],
        description: "Language code",
        labels: Labels {
            en: "Language",
            fr: "Langue",
            nl: "Taal",
        },
        values: |document| document.languages.clone(),
        vocabulary: Vocabulary::Closed(LANGUAGES),
        kind: ValueKind::Text,
        many_values: false,
    },
    FacetDef {
        name: "source",
        aliases: &[],
        description: "Source id",
        labels: Labels {
            en: "Source",
            fr: "Source",
            nl: "Bron",
        },
        values: |document| vec![document.source.clone()],
        vocabulary: Vocabulary::Configured,
        kind: ValueKind::Text,
        many_values: false,
    },
    FacetDef {
        name: "type",
        aliases: &[],
        description: "Document type",
        labels: Labels {
            en: "Type",
            fr: "Type",
            nl: "Type",
        },
        values: |document| vec![document.doc_type.clone()],
        vocabulary: Vocabulary::Closed(TYPES),
        kind: ValueKind::Text,
        many_values: false,
    },
    FacetDef {
        name: "keyword",
        aliases: &[],
        description: "Keyword the source gave the document",
        labels: Labels {
            en: "Keyword",
            fr: "Mot-clé",
            nl: "Trefwoord",
        },
        values: |document| document.keywords.clone(),
        vocabulary: Vocabulary::Open,
        kind: ValueKind::Text,
        many_values: true,
    },
];

/// The analysed languages, as the `language` facet writes them.
const LANGUAGES: &[&str] = &["fr", "nl", "en", "de"];

/// The document types the crawler gives.
const TYPES: &[&str] = &["news", "publication", "event", "project", "press-release", "page"];

/// Years a filter accepts: anything else is a typo, not a date.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Explicit and inferred themes alike: a document that shows no theme is
/// still found under the themes its text is about.
fn themes(document: &Document) -> Vec<String> {
    document
        .themes
        .iter()
        .chain(&document.themes_inferred)
        .cloned()
        .collect()
}

fn year(document: &Document) -> Vec<String> {
    document
        .date
        .map(|date| date.year().to_string())
        .into_iter()
        .collect()
}

/// One facet; see [`FACETS`].
#[derive(Debug, Clone, Copy)]
pub struct FacetDef {
    /// The API parameter, the index field and the key of its list in
    /// [`Facets`](crate::Facets).
    pub name: &'static str,
    /// Other parameter names accepted for it.
    pub aliases: &'static [&'static str],
    /// One line for the API description and the page.
    pub description: &'static str,
    /// What the page calls it.
    pub labels: Labels,
    /// The document's values, as it has them (cleaned by [`clean`](Self::clean)).
    pub values: fn(&Document) -> Vec<String>,
    /// Which values a filter may name.
    pub vocabulary: Vocabulary,
    /// How values are read and listed.
    pub kind: ValueKind,
    /// Too many values to show them all: the page offers to find one by
    /// prefix (`/api/facets/{name}`).
    pub many_values: bool,
}

/// A facet's name in the page's languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Labels {
    /// English.
    pub en: &'static str,
    /// French.
    pub fr: &'static str,
    /// Dutch.
    pub nl: &'static str,
}

/// Which values a facet filter may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    /// Any value.
    Open,
    /// These values, in any case; anything else is a typo.
    Closed(&'static [&'static str]),
    /// A list the index does not know (the configured sources): the caller
    /// supplies it to [`FacetDef::check`].
    Configured,
}

/// How a facet's values are read and listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Text, listed by count then value, cut to the facet size.
    Text,
    /// A year: a filter value must be one, and the list runs ascending with
    /// the missing years in between, uncut.
    Year,
}

impl FacetDef {
    /// Whether the facet's values are a closed list (case-folded).
    pub fn is_closed(&self) -> bool {
        self.vocabulary != Vocabulary::Open
    }

    /// Whether `key` names this facet: its name or an alias.
    pub fn answers_to(&self, key: &str) -> bool {
        self.name == key || self.aliases.contains(&key)
    }

    /// A value as it is indexed and filtered on, so that the indexed value
    /// and a caller's compare equal: trimmed, without NUL (tantivy's facet
    /// separator), lowercased for a closed list, a year without leading
    /// zeros. `None` when nothing is left.
    pub fn clean(&self, value: &str) -> Option<String> {
        let mut clean: String = value.trim().chars().filter(|c| *c != '\0').collect();
        if self.is_closed() {
            clean = clean.to_lowercase();
        }
        if self.kind == ValueKind::Year
            && let Ok(year) = clean.parse::<i32>()
        {
            clean = year.to_string();
        }
        (!clean.is_empty()).then_some(clean)
    }

    /// Checks a filter value as a caller gives it: `Ok(None)` when blank,
    /// else the clean value, or what is wrong with it. `configured` is the
    /// list of a [`Vocabulary::Configured`] facet.
    pub fn check(&self, value: &str, configured: &[&str]) -> Result<Option<String>, String> {
        let Some(clean) = self.clean(value) else {
            return Ok(None);
        };
        if self.kind == ValueKind::Year {
            return match clean.parse::<i32>() {
                Ok(year) if YEARS.contains(&year) => Ok(Some(clean)),
                _ => Err(format!("`{value}` is not a year (e.g. 2020)")),
            };
        }
        let allowed = match self.vocabulary {
            Vocabulary::Open => return Ok(Some(clean)),
            Vocabulary::Closed(values) => values,
            Vocabulary::Configured => configured,
        };
        match allowed.contains(&clean.as_str()) {
            true => Ok(Some(clean)),
            false => Err(format!("`{clean}` is not one of {}", allowed.join(", "))),
        }
    }
}

/// The facet named `name` (not an alias).
pub fn facet(name: &str) -> Option<&'static FacetDef> {
    FACETS.iter().find(|facet| facet.name == name)
}

/// Where the facet named `name` is in [`FACETS`].
pub(crate) fn position(name: &str) -> Option<usize> {
    FACETS.iter().position(|facet| facet.name == name)
}

/// The facet names, comma-separated, for messages.
pub(crate) fn names() -> String {
    FACETS
        .iter()
        .map(|facet| facet.name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(name: &str) -> &'static FacetDef {
        facet(name).unwrap()
    }

    #[test]
    fn values_are_cleaned() {
        assert_eq!(def("theme").clean("  Asylum "), Some("Asylum".into()));
        assert_eq!(def("language").clean("FR"), Some("fr".into()));
        assert_eq!(def("theme").clean(" \0 "), None);
        assert_eq!(def("theme").clean("a/b"), Some("a/b".into()));
        assert_eq!(def("year").clean(" 02020"), Some("2020".into()));
    }

    #[test]
    fn checks_name_what_is_wrong() {
        assert_eq!(def("year").check("2020", &[]), Ok(Some("2020".into())));
        assert!(def("year").check("1850", &[]).is_err());
        assert!(def("year").check("abc", &[]).is_err());
        assert_eq!(
            def("type").check("Press-Release", &[]),
            Ok(Some("press-release".into()))
        );
        assert!(def("type").check("news-item", &[]).is_err());
        assert_eq!(
            def("source").check("FEDASIL", &["fedasil"]),
            Ok(Some("fedasil".into()))
        );
        assert!(def("source").check("fedasil.be", &["fedasil"]).is_err());
        assert_eq!(def("keyword").check(" ", &[]), Ok(None));
    }

    #[test]
    fn names_and_aliases_are_unique() {
        let mut keys: Vec<&str> = FACETS
            .iter()
            .flat_map(|facet| std::iter::once(facet.name).chain(facet.aliases.iter().copied()))
            .collect();
        let all = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), all);
    }
}
