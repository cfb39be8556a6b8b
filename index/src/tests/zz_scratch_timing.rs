use super::*;
#[test]
fn scratch_timing() {
    let index = corpus_index();
    let words: Vec<String> = (0..32)
        .map(|i| format!("staatlooshiedxyzq{i}abcdefghij").replace(char::is_numeric, "k"))
        .collect();
    let q = words.join(" OR ");
    let t = std::time::Instant::now();
    let r = index
        .search(&SearchRequest {
            query: q,
            ..SearchRequest::default()
        })
        .unwrap();
    eprintln!("32 words: {:?} total {}", t.elapsed(), r.total);
    let t = std::time::Instant::now();
    let r = index
        .search(&SearchRequest {
            query: "staatlooshied".into(),
            ..SearchRequest::default()
        })
        .unwrap();
    eprintln!("1 word: {:?} total {}", t.elapsed(), r.total);
}
