//! Accent folding and anchors (`item-the-title`): one algorithm for listing
//! items, passages and organisation names, so the same title always gives
//! the same anchor.

use std::collections::HashSet;

/// ASCII for an accented lowercase letter of French, Dutch and German;
/// `None` for any other character.
pub(crate) fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è' | 'é' | 'ê' | 'ë' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o",
        'œ' => "oe",
        'ù' | 'ú' | 'û' | 'ü' => "u",
        'ý' | 'ÿ' => "y",
        'ß' => "ss",
        _ => return None,
    })
}

/// Lowercase ASCII letters and digits, accents folded, everything else a space.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match fold_char(c) {
            Some(folded) => out.push_str(folded),
            None if c.is_ascii_alphanumeric() => out.push(c),
            None => out.push(' '),
        }
    }
    out
}

/// `prefix-slug-of-the-title` (the title's first `words` words, folded), or
/// `prefix` alone for a title without letters or digits; `-2`, `-3`... when
/// `taken` holds it already. The anchor returned is added to `taken`.
pub(crate) fn anchor(prefix: &str, title: &str, words: usize, taken: &mut HashSet<String>) -> String {
    // Elisions and possessives stay one word (`l'asile` → `lasile`).
    let folded = fold(&title.replace(['\'', '’'], ""));
    let slug: Vec<&str> = folded.split_whitespace().take(words).collect();
    let base = match slug.is_empty() {
        true => prefix.to_owned(),
        false => format!("{prefix}-{}", slug.join("-")),
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Anchors are part of indexed URLs (`page#item-...`): they must not change.
    #[test]
    fn anchors_are_pinned() {
        let mut taken = HashSet::new();
        let mut a = |prefix: &str, title: &str| anchor(prefix, title, 8, &mut taken);
        assert_eq!(
            a(
                "item",
                "L'Office des Étrangers publie son rapport annuel 2020 sur l'asile"
            ),
            "item-loffice-des-etrangers-publie-son-rapport-annuel-2020"
        );
        assert_eq!(
            a("item", "L’Office des Étrangers publie son rapport annuel 2020"),
            "item-loffice-des-etrangers-publie-son-rapport-annuel-2020-2"
        );
        assert_eq!(
            a("session", "Mesures : l'accueil, Belgium's Œuvre à Zürich — ß"),
            "session-mesures-laccueil-belgiums-oeuvre-a-zurich-ss"
        );
        assert_eq!(a("project", "Ærø: Ñandú & Ÿ 2.0"), "project-aero-nandu-y-2-0");
        assert_eq!(a("item", "!!"), "item");
        assert_eq!(a("item", "—"), "item-2");
        assert_eq!(fold("Ça va, l'ami?"), "ca va  l ami ");
    }
}
