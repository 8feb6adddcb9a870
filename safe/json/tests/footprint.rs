//! The memory each backend holds for a parsed document: a check of the order behind
//! `Strategy::MinimalMemory` → yyjson, whose evidence is the matrix benchmark's
//! `json/memory/twitter-generated` rows (see the `Select` impl of
//! `arsenal_json::Backend`).
//!
//! Both C libraries allocate with `malloc` (simdjson through `operator new`), so glibc's
//! `mallinfo2` (bytes in use in every arena plus mmapped blocks) sees all of it. One test
//! in its own binary, so no other test allocates meanwhile.
#![cfg(all(target_os = "linux", target_env = "gnu"))]

use arsenal_json::{Backend, Document, JsonValue};

/// glibc's `struct mallinfo2` (glibc 2.33 and later).
#[repr(C)]
struct MallInfo2 {
    arena: usize,
    ordblks: usize,
    smblks: usize,
    hblks: usize,
    hblkhd: usize,
    usmblks: usize,
    fsmblks: usize,
    uordblks: usize,
    fordblks: usize,
    keepcost: usize,
}

extern "C" {
    fn mallinfo2() -> MallInfo2;
}

/// Bytes allocated and not yet freed, process-wide.
fn in_use() -> usize {
    // SAFETY: mallinfo2 takes no arguments and returns a struct by value.
    let info = unsafe { mallinfo2() };
    info.uordblks + info.hblkhd
}

/// A twitter-like document of about 400 KB: objects with numbers, strings, an array.
fn document() -> Vec<u8> {
    let items: Vec<String> = (0..4000)
        .map(|i| {
            format!(
                r#"{{"id": {i}, "user": "user-{i}", "text": "message number {i} of the test document", "tags": ["a", "b", "c"], "score": {}}}"#,
                f64::from(i) * 0.5
            )
        })
        .collect();
    format!("[{}]", items.join(",\n")).into_bytes()
}

/// (bytes in use while the document lives, bytes the parser still holds after it is
/// dropped), net of what was in use before.
fn footprint(backend: Backend, json: &[u8]) -> (usize, usize) {
    let before = in_use();
    let mut parser = backend.parser().expect("parser");
    let live = {
        let doc = parser.parse(json).expect("parse");
        assert_eq!(doc.root().len(), Some(4000));
        in_use().saturating_sub(before)
    }; // the document is dropped here
    let kept = in_use().saturating_sub(before);
    (live, kept)
}

#[test]
fn yyjson_holds_several_times_less_than_simdjson() {
    let json = document();
    let mut results = Vec::new();
    for backend in Backend::available() {
        let (live, kept) = footprint(backend, &json);
        println!(
            "{backend}: {live} bytes while the document lives ({:.1} per input byte), {kept} kept by the parser after",
            live as f64 / json.len() as f64
        );
        results.push((backend, live, kept));
    }
    let get = |b: Backend| results.iter().find(|r| r.0 == b).map(|r| (r.1, r.2));
    if let Some((live, kept)) = get(Backend::Yyjson) {
        assert!(live < 5 * json.len(), "yyjson: {live} bytes");
        assert!(kept < 4096, "yyjson frees its document: {kept} bytes kept");
    }
    if let (Some((simd_live, simd_kept)), Some((yy_live, _))) =
        (get(Backend::Simdjson), get(Backend::Yyjson))
    {
        // simdjson's buffers stay with the parser for the next parse.
        assert!(
            simd_kept * 10 >= simd_live * 9,
            "{simd_kept} of {simd_live}"
        );
        assert!(
            simd_live > 3 * yy_live,
            "simdjson {simd_live}, yyjson {yy_live}"
        );
    }
}
