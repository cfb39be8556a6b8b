//! Prefix matching of facet values for type-ahead
//! ([`SearchIndex::facet_values`](crate::SearchIndex::facet_values)).

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;

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
}
