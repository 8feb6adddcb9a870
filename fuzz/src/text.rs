//! String matching (`arsenal-text`): arbitrary needles, pattern sets and haystacks on
//! every engine against the plain reference; arbitrary regular expressions compiled by
//! Vectorscan.

use arsenal_text::{reference, AhoCorasick, Backend, MultiSearcher, Searcher};

/// The haystack cap: the reference is quadratic.
const MAX_HAYSTACK: usize = 4096;

/// `text_search`: `data[0] % 33` is the needle's length, the needle follows, the rest
/// is the haystack (at most 4 KiB). Every available backend's [`Searcher`] gives the
/// reference's leftmost non-overlapping starts, every start, count and `find_at` at a
/// few starts (`usize::MAX` included). The needle split at `|` bytes (empty pieces
/// dropped, at most 64) is a pattern set: the native Aho–Corasick and, when compiled
/// in, Vectorscan's literal set report the reference's `(pattern, end)` list; an empty
/// set is refused with `EmptySet`.
pub fn text_search(data: &[u8]) {
    let Some((&len, rest)) = data.split_first() else {
        return;
    };
    let m = usize::from(len % 33).min(rest.len());
    let (needle, haystack) = rest.split_at(m);
    let haystack = &haystack[..haystack.len().min(MAX_HAYSTACK)];
    let all = reference::find_all(haystack, needle);
    let over = reference::find_overlapping(haystack, needle);
    for backend in Backend::available() {
        let s = backend.searcher(needle).expect("every needle compiles");
        let mut got = Vec::new();
        s.find_all(haystack, &mut got);
        assert_eq!(got, all, "{backend} find_all");
        assert_eq!(s.count(haystack), all.len(), "{backend} count");
        got.clear();
        s.find_overlapping(haystack, &mut got);
        assert_eq!(got, over, "{backend} find_overlapping");
        for start in [0, 1, haystack.len() / 2, haystack.len(), usize::MAX] {
            let want = over.iter().copied().find(|&p| p >= start);
            assert_eq!(
                s.find_at(haystack, start),
                want,
                "{backend} find_at {start}"
            );
        }
    }
    let patterns: Vec<&[u8]> = needle
        .split(|&b| b == b'|')
        .filter(|p| !p.is_empty())
        .take(64)
        .collect();
    let want = reference::multi_find_all(haystack, &patterns);
    for backend in Backend::available()
        .into_iter()
        .filter(|b| b.multi_pattern())
    {
        match backend.multi_searcher(&patterns) {
            Ok(set) => {
                let mut got = Vec::new();
                set.find_all(haystack, &mut got).expect("scan");
                assert_eq!(got, want, "{backend} multi");
                assert_eq!(set.count(haystack).expect("scan"), want.len());
            }
            Err(e) => {
                assert!(patterns.is_empty(), "{backend}: {e}");
                assert_eq!(e.kind(), arsenal_text::ErrorKind::EmptySet);
            }
        }
    }
    if !patterns.is_empty() {
        let ac = AhoCorasick::new(&patterns).expect("non-empty literals build");
        assert_eq!(ac.pattern_count(), patterns.len());
    }
}

/// `text_vectorscan_compile`: the input as (lossy) UTF-8 lines, at most 16, is a set of
/// regular expressions for Vectorscan, block and streaming mode: compiling gives `Ok`
/// or an `Err` (never a crash); a compiled set scans the input itself as the haystack,
/// in one block and as a stream in 7-byte chunks, without error. (Block and stream
/// results are not compared: Vectorscan 5.4.9 has known false negatives, see
/// `tests/tests/text.rs`.)
pub fn text_vectorscan_compile(data: &[u8]) {
    use arsenal_text::{RegexSet, StreamDatabase};
    let text = String::from_utf8_lossy(data);
    let patterns: Vec<&str> = text.lines().take(16).collect();
    let haystack = &data[..data.len().min(MAX_HAYSTACK)];
    if let Ok(set) = RegexSet::new(&patterns) {
        let mut found = Vec::new();
        set.find_all(haystack, &mut found).expect("block scan");
        assert!(found.windows(2).all(|w| w[0] <= w[1]), "sorted");
        assert!(found
            .iter()
            .all(|m| m.end <= haystack.len() && (m.pattern as usize) < patterns.len()));
    }
    if let Ok(db) = StreamDatabase::regexes(&patterns) {
        let mut stream = db.stream().expect("stream opens");
        let mut found = Vec::new();
        for chunk in haystack.chunks(7) {
            stream.scan(chunk, &mut found).expect("stream scan");
        }
        stream.finish(&mut found).expect("stream close");
        assert!(found.iter().all(|m| m.end <= haystack.len()));
    }
}
