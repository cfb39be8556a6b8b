//! EMN main themes: the canonical English labels of the `theme` facet.
//!
//! EMN Belgium shows theme labels in English, and some in Dutch or French on
//! translated pages (`Migratie`, `Internationale bescherming`). Every
//! spelling maps to one English label so the facet does not split; labels we
//! do not know (the real site has `Regularization`) are kept as written.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The main themes seen on emnbelgium.be, older ones included.
pub const EMN_THEMES: &[&str] = &[
    "Ad Hoc Queries",
    "Asylum",
    "Borders & Visa",
    "Citizenship & Nationality",
    "Cross-sectional",
    "Data & Statistics",
    "Economic migration",
    "Family reunification",
    "Integration",
    "International Protection",
    "Migration",
    "Return & Readmission",
    "Smuggling & Trafficking",
    "Vulnerable groups",
    "Irregular Migration",
    "Study & Training",
];

/// Other spellings (Dutch, French, singular/plural) of each canonical theme.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "Ad Hoc Queries",
        &[
            "ad hoc query",
            "ad hoc vragen",
            "questions ad hoc",
            "demandes ad hoc",
        ],
    ),
    ("Asylum", &["asiel", "asile"]),
    (
        "Borders & Visa",
        &[
            "borders & visas",
            "border & visa",
            "grenzen en visa",
            "grenzen en visum",
            "frontières et visas",
            "frontières et visa",
        ],
    ),
    (
        "Citizenship & Nationality",
        &[
            "burgerschap en nationaliteit",
            "nationaliteit",
            "citoyenneté et nationalité",
            "nationalité",
            "nationality",
        ],
    ),
    (
        "Cross-sectional",
        &["transversaal", "transversal", "horizontaal", "horizontal"],
    ),
    (
        "Data & Statistics",
        &[
            "gegevens en statistieken",
            "données et statistiques",
            "statistics",
            "statistieken",
            "statistiques",
        ],
    ),
    (
        "Economic migration",
        &[
            "economische migratie",
            "migration économique",
            "labour migration",
            "arbeidsmigratie",
        ],
    ),
    (
        "Family reunification",
        &["gezinshereniging", "regroupement familial", "family reunion"],
    ),
    ("Integration", &["integratie"]),
    (
        "International Protection",
        &["internationale bescherming", "protection internationale"],
    ),
    ("Migration", &["migratie"]),
    (
        "Return & Readmission",
        &[
            "return",
            "terugkeer",
            "retour",
            "terugkeer en overname",
            "terugkeer en readmissie",
            "retour et réadmission",
        ],
    ),
    (
        "Smuggling & Trafficking",
        &[
            "mensensmokkel en mensenhandel",
            "smokkel en mensenhandel",
            "trafic et traite",
            "trafficking & smuggling",
        ],
    ),
    ("Vulnerable groups", &["kwetsbare groepen", "groupes vulnérables"]),
    (
        "Irregular Migration",
        &["irreguliere migratie", "migration irrégulière"],
    ),
    (
        "Study & Training",
        &[
            "studie en opleiding",
            "studies en opleiding",
            "études et formation",
            "étude et formation",
        ],
    ),
];

/// Comparison key: lowercase, unaccented, `&`/`and`/`en`/`et` alike,
/// punctuation and spacing ignored.
fn key(label: &str) -> String {
    let folded: String = label
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            '&' => ' ',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    folded
        .split_whitespace()
        .filter(|w| !matches!(*w, "and" | "en" | "et"))
        .collect::<Vec<_>>()
        .join(" ")
}

static INDEX: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut index = HashMap::new();
    for theme in EMN_THEMES {
        index.insert(key(theme), *theme);
    }
    for (theme, others) in SYNONYMS {
        for other in *others {
            index.insert(key(other), *theme);
        }
    }
    index
});

/// The canonical English label for a theme label in any language or
/// spelling; an unknown label is returned trimmed; empty gives `None`.
pub fn canonical_theme(label: &str) -> Option<String> {
    let trimmed = label.trim().trim_end_matches(['.', ';', ',']).trim();
    if trimmed.is_empty() {
        return None;
    }
    let k = key(trimmed);
    if k.is_empty() {
        return None;
    }
    Some(match INDEX.get(&k) {
        Some(theme) => (*theme).to_string(),
        None => trimmed.split_whitespace().collect::<Vec<_>>().join(" "),
    })
}

/// Canonical themes of a comma-separated value, deduplicated, in order.
pub fn split_themes(value: &str) -> Vec<String> {
    let mut themes: Vec<String> = Vec::new();
    for theme in value.split([',', ';', '\n']).filter_map(canonical_theme) {
        if !themes.contains(&theme) {
            themes.push(theme);
        }
    }
    themes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> Option<String> {
        canonical_theme(s)
    }

    #[test]
    fn canonical_labels_map_to_themselves() {
        for theme in EMN_THEMES {
            assert_eq!(canon(theme).as_deref(), Some(*theme));
        }
    }

    #[test]
    fn spelling_variants_and_translations() {
        let cases = [
            ("borders and visa", "Borders & Visa"),
            ("  BORDERS &  VISA ", "Borders & Visa"),
            ("Cross sectional", "Cross-sectional"),
            ("Migratie", "Migration"),
            ("Internationale bescherming", "International Protection"),
            ("Protection internationale", "International Protection"),
            ("Asiel", "Asylum"),
            ("Asile", "Asylum"),
            ("Terugkeer", "Return & Readmission"),
            ("Retour", "Return & Readmission"),
            ("Integratie", "Integration"),
            ("Intégration", "Integration"),
            ("Gezinshereniging", "Family reunification"),
            ("Regroupement familial", "Family reunification"),
            ("return and readmission", "Return & Readmission"),
            ("Ad-hoc queries", "Ad Hoc Queries"),
        ];
        for (input, expected) in cases {
            assert_eq!(canon(input).as_deref(), Some(expected), "{input}");
        }
    }

    #[test]
    fn unknown_kept_empty_dropped() {
        assert_eq!(canon(" Regularization ").as_deref(), Some("Regularization"));
        assert_eq!(canon(""), None);
        assert_eq!(canon("  , "), None);
    }

    #[test]
    fn splits_and_deduplicates() {
        assert_eq!(
            split_themes("Cross-sectional, Asylum, Migration, Migratie"),
            ["Cross-sectional", "Asylum", "Migration"]
        );
        assert!(split_themes("").is_empty());
    }
}
