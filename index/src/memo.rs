//! Bounded memories of per-word work that depends on the word alone (and,
//! for near spellings, on the index state): Snowball stems, compound splits,
//! typo repairs and near spellings. Text follows Zipf's law, so a few
//! thousand words make most tokens; remembering them saves most of the
//! stemming of indexing and of snippets, which analyse whole documents.
//!
//! Shared by every thread (one memory, however many search threads run)
//! behind a read-write lock that readers share; a word is added only when
//! the lock is free at once, so no thread ever waits to write.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::RwLock;

/// FNV-1a: words are short, and SipHash would cost as much as the lookup
/// saves. Keys are our own tokens, not attacker-chosen in bulk, and the map
/// is bounded, so a weaker hash is no risk.
#[derive(Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A bounded map from words to what was computed for them.
pub(crate) struct Memo<V> {
    map: RwLock<HashMap<Box<str>, V, BuildHasherDefault<Fnv>>>,
    capacity: usize,
}

impl<V: Clone> Memo<V> {
    pub fn new(capacity: usize) -> Memo<V> {
        Memo {
            map: RwLock::new(HashMap::default()),
            capacity,
        }
    }

    /// The value remembered for `word`, else `compute(word)`, remembered
    /// when there is room (a full memory starts afresh: the frequent words
    /// come back at once).
    pub fn get_or(&self, word: &str, compute: impl FnOnce(&str) -> V) -> V {
        self.with(word, compute, V::clone)
    }

    /// `read` of the value remembered for `word` (else computed as by
    /// [`get_or`](Self::get_or)), without copying it out of the memory.
    pub fn with<R>(&self, word: &str, compute: impl FnOnce(&str) -> V, read: impl FnOnce(&V) -> R) -> R {
        if let Ok(map) = self.map.read()
            && let Some(value) = map.get(word)
        {
            return read(value);
        }
        let value = compute(word);
        let out = read(&value);
        if let Ok(mut map) = self.map.try_write() {
            if map.len() >= self.capacity {
                map.clear();
            }
            map.insert(word.into(), value);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_and_stays_bounded() {
        let memo: Memo<usize> = Memo::new(2);
        let calls = std::cell::Cell::new(0);
        let len = |word: &str| {
            calls.set(calls.get() + 1);
            word.len()
        };
        assert_eq!(memo.get_or("asile", len), 5);
        assert_eq!(memo.get_or("asile", len), 5);
        assert_eq!(calls.get(), 1, "the second lookup is remembered");
        memo.get_or("opvang", len);
        memo.get_or("return", len);
        assert!(memo.map.read().map(|map| map.len()).unwrap_or(0) <= 2);
    }
}
