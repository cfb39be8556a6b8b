//! The floor: the same documents in a plain tantivy index built in process
//! (one stemmed field per language, filters as raw terms, no facets, no
//! expansion, no typo tolerance, no snippets) and the same queries timed
//! in process. What the server adds on top of this is our cost.

use std::path::Path;
use std::time::{Duration, Instant};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query as TantivyQuery, QueryParser, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{Index, IndexReader, TantivyDocument, Term};

use super::corpus::Doc;
use super::queries::Query;

const LANGUAGES: &[(&str, Language)] = &[
    ("fr", Language::French),
    ("nl", Language::Dutch),
    ("en", Language::English),
];

pub struct Plain {
    index: Index,
    reader: IndexReader,
    text: Vec<Field>,
    theme: Field,
    year: Field,
    language: Field,
}

/// How the build went.
pub struct Built {
    pub seconds: f64,
}

pub fn build(dir: &Path, docs: &[Doc]) -> tantivy::Result<(Plain, Built)> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    let mut schema = Schema::builder();
    let text: Vec<Field> = LANGUAGES
        .iter()
        .map(|(code, _)| {
            let indexing = TextFieldIndexing::default()
                .set_tokenizer(&format!("stem_{code}"))
                .set_index_option(IndexRecordOption::WithFreqsAndPositions);
            let options = TextOptions::default().set_indexing_options(indexing);
            schema.add_text_field(&format!("text_{code}"), options)
        })
        .collect();
    let theme = schema.add_text_field("theme", STRING);
    let year = schema.add_text_field("year", STRING);
    let language = schema.add_text_field("language", STRING);
    let index = Index::create_in_dir(dir, schema.build())?;
    for (code, lang) in LANGUAGES {
        let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(Stemmer::new(*lang))
            .build();
        index.tokenizers().register(&format!("stem_{code}"), analyzer);
    }

    let started = Instant::now();
    let mut writer = index.writer::<TantivyDocument>(200_000_000)?;
    for doc in docs {
        let mut entry = TantivyDocument::default();
        let field = LANGUAGES
            .iter()
            .position(|(code, _)| *code == doc.language)
            .map_or(text[2], |i| text[i]);
        entry.add_text(field, &doc.title);
        entry.add_text(field, &doc.body);
        for t in &doc.themes {
            entry.add_text(theme, t);
        }
        entry.add_text(year, doc.date.get(..4).unwrap_or_default());
        entry.add_text(language, &doc.language);
        writer.add_document(entry)?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    let seconds = started.elapsed().as_secs_f64();
    let reader = index.reader()?;
    let plain = Plain {
        index,
        reader,
        text,
        theme,
        year,
        language,
    };
    Ok((plain, Built { seconds }))
}

impl Plain {
    /// Parses and runs one query: top 10 by score and the count of hits.
    pub fn search(&self, query: &Query) -> tantivy::Result<(Duration, usize)> {
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let mut parser = QueryParser::for_index(&self.index, self.text.clone());
        parser.set_conjunction_by_default();
        let words: Box<dyn TantivyQuery> = if query.q.trim().is_empty() {
            Box::new(AllQuery)
        } else {
            parser.parse_query_lenient(&query.q).0
        };
        let mut clauses = vec![(Occur::Must, words)];
        for (name, value) in &query.filters {
            let field = match *name {
                "theme" => self.theme,
                "year" => self.year,
                _ => self.language,
            };
            let term = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
            clauses.push((Occur::Must, Box::new(term)));
        }
        let combined = BooleanQuery::new(clauses);
        let (top, count) = searcher.search(&combined, &(TopDocs::with_limit(10).order_by_score(), Count))?;
        std::hint::black_box(top);
        Ok((started.elapsed(), count))
    }
}
