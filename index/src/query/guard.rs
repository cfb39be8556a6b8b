//! A guard around excluded clauses, working around a tantivy 0.27 probe.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// Shields an excluded query from probes behind its position.
///
/// tantivy 0.27's `Exclude::new` probes the exclusion set with
/// `seek_danger(target)` where `target` can be lower than the set's current
/// document; `PhraseScorer` debug-asserts against that, so `-"a phrase"`
/// panicked in debug builds. The guard answers such probes itself and only
/// forwards forward seeks.
#[derive(Debug)]
pub(super) struct ExclusionGuard(pub(super) Box<dyn Query>);

impl Clone for ExclusionGuard {
    fn clone(&self) -> Self {
        ExclusionGuard(self.0.box_clone())
    }
}

impl Query for ExclusionGuard {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(GuardWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct GuardWeight(Box<dyn Weight>);

impl Weight for GuardWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(GuardScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

/// Uses `DocSet`'s default `seek_danger`, which only seeks forward.
struct GuardScorer(Box<dyn Scorer>);

impl DocSet for GuardScorer {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.0.doc();
        if doc >= target { doc } else { self.0.seek(target) }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for GuardScorer {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
