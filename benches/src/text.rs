//! String-matching rows of the matrix: `text/<op>/<dataset>/<impl>`, in GB/s of haystack.
//!
//! | op | datasets | one iteration | checksum (`expect`) | verification (`verify`) |
//! |---|---|---|---|---|
//! | `find-one` | `english`, `code`, `random`, `pathological`; `english-lines` (the `english` text searched line by line, ~75 bytes a search: per-call cost, for `Latency`) | count the leftmost non-overlapping occurrences of one needle (16 bytes; 8 in `random`, 6 in `english-lines`) | the count from [`arsenal_text::reference::find_all`] | every start position equals the reference's |
//! | `find-many` | `english-16`, `english-256`, `code-16`, `code-256`, `random-256`, `pathological-16` | count every `(pattern, end)` occurrence, overlapping included | the count from a plain reference (a hash set of the patterns, looked up at every end) | the sorted `(pattern, end)` list equals the reference's |
//! | `regex` | `english`, `code` | count every `(pattern, end)` at which some match of a pattern ends (Vectorscan's semantic) | `regex-automata`'s count | the sorted list equals `regex-automata`'s |
//!
//! Haystacks are 1 MiB, generated here (`reads_data: false`): `english` is words of a
//! generated vocabulary (syllables, Zipf-like frequencies, capitals, punctuation,
//! newlines), `code` is generated Rust-like source lines, `random` is uniform random
//! bytes, `pathological` is 1 MiB of `a` searched for `a`×30 `b a` (every position
//! passed a first/last-byte filter — ours probes the rare `b` instead — and Horspool
//! shifts by one; KMP, Z and Boyer–Moore's good-suffix rule stay linear) or for the 16 literals `a`, `aa`, … (every position ends 16 matches).
//!
//! Impls: `arsenal:<engine>` (every [`arsenal_text::Backend`], through its concrete type),
//! `raw:vectorscan` (the -sys crate called as Vectorscan's documentation shows: one
//! database, one scratch, a C callback), `peer:memchr-memmem` (a reused
//! `memmem::Finder`), `peer:aho-corasick` (`AhoCorasick` with `AhoCorasickKind::DFA`, its
//! fastest search, standard semantics: `find_iter` for one needle,
//! `find_overlapping_iter` for sets), `peer:regex-automata` (the `regex` crate's lazy
//! DFA with `MatchKind::All`, an overlapping search over the whole pattern set, reused
//! cache; bytes-oriented, no Unicode, to match Vectorscan's syntax).
//!
//! **Memory rows** `text/memory/needle-16/<impl>` (one 16-byte needle) and
//! `text/memory/literals-256/<impl>` (the `english-256` set): bytes held by the built
//! searcher (Rust heap growth plus its inline size; for Vectorscan, database plus
//! scratch as the library reports them).

use std::collections::HashSet;
use std::ffi::{c_int, c_uint, c_ulonglong, c_void};
use std::hint::black_box;
use std::path::Path;
use std::ptr;
use std::rc::Rc;

use arsenal_text::{
    reference, AhoCorasick, BoyerMoore, Horspool, Kmp, Match, MultiSearcher, RegexSet, Searcher,
    SimdSearch, Vectorscan, VectorscanLiterals, ZSearch,
};
use arsenal_vectorscan_sys as hs;

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_by;
use crate::harness::{rng, Case, Registry};
use crate::report::MemoryRow;
use crate::strategy::pick;

const NAME: &str = "text";

/// Every match start of an impl on a haystack (the verification's position list).
type PositionsFn = Box<dyn Fn(&[u8]) -> Vec<usize>>;
const MIB: usize = 1 << 20;

/// The string-matching domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "String matching",
    register,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-text",
        pick: pick::<arsenal_text::Backend>,
    }),
    ..Domain::EMPTY
};

// ---------------------------------------------------------------- data generators

/// A vocabulary of `n` pseudo-words made of common English syllables.
fn vocabulary(n: usize, seed: u64) -> Vec<String> {
    const SYLLABLES: &[&str] = &[
        "th", "e", "an", "in", "er", "on", "re", "at", "en", "ti", "es", "or", "te", "of", "ed",
        "is", "it", "al", "ar", "st", "to", "nt", "ng", "se", "ha", "as", "ou", "io", "le", "ve",
        "co", "me", "de", "hi", "ri", "ro", "ic", "ne", "ea", "ra", "ce", "li", "ch", "ll", "be",
        "ma", "si", "om", "ur", "ing", "ion", "ent", "ly", "y", "a", "s",
    ];
    let mut next = rng(seed);
    let mut seen = HashSet::new();
    let mut words = Vec::with_capacity(n);
    while words.len() < n {
        let parts = 1 + (next() % 4) as usize;
        let w: String = (0..parts)
            .map(|_| SYLLABLES[(next() % SYLLABLES.len() as u64) as usize])
            .collect();
        if seen.insert(w.clone()) {
            words.push(w);
        }
    }
    words
}

/// Picks an index in `0..n` with a Zipf-like (1/rank) bias.
fn zipf(next: &mut (impl FnMut() -> u64 + ?Sized), n: usize) -> usize {
    // Inverse of the continuous 1/x CDF on [1, n + 1).
    let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
    (((n as f64 + 1.0).powf(u)) as usize - 1).min(n - 1)
}

/// English-like text: sentences of Zipf-distributed words, capitalised, with
/// punctuation, numbers now and then, and line breaks.
fn english(len: usize, seed: u64) -> Vec<u8> {
    let words = vocabulary(5_000, seed);
    let mut next = rng(seed + 1);
    let mut out = Vec::with_capacity(len + 64);
    let mut line = 0;
    let mut start = true;
    while out.len() < len {
        let w = &words[zipf(&mut next, words.len())];
        if start {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase().to_string().bytes());
                out.extend(c.as_str().bytes());
            }
            start = false;
        } else if next().is_multiple_of(40) {
            out.extend(format!("{}", next() % 2000).bytes());
        } else {
            out.extend(w.bytes());
        }
        line += w.len() + 1;
        match next() % 16 {
            0 => {
                out.extend(b". ");
                start = true;
            }
            1 => out.extend(b", "),
            _ => out.push(b' '),
        }
        if line > 72 {
            out.push(b'\n');
            line = 0;
        }
    }
    out.truncate(len);
    out
}

/// Rust-like source code: functions with `let` bindings, calls, `if`/`match`, comments.
fn code(len: usize, seed: u64) -> Vec<u8> {
    let idents = vocabulary(800, seed);
    let mut next = rng(seed + 2);
    let pick = |next: &mut dyn FnMut() -> u64| -> String {
        let a = &idents[zipf(&mut *next, idents.len())];
        if next().is_multiple_of(3) {
            format!("{a}_{}", idents[zipf(&mut *next, idents.len())])
        } else {
            a.clone()
        }
    };
    const TYPES: &[&str] = &[
        "u32",
        "usize",
        "String",
        "Vec<u8>",
        "&str",
        "Option<u64>",
        "Result<()>",
    ];
    let mut out = String::with_capacity(len + 256);
    while out.len() < len {
        let f = pick(&mut next);
        let arg = pick(&mut next);
        let ty = TYPES[(next() % TYPES.len() as u64) as usize];
        out.push_str(&format!(
            "/// Computes the {f} of a {arg}.\npub fn {f}({arg}: {ty}) -> {ty} {{\n"
        ));
        for _ in 0..(2 + next() % 8) {
            let v = pick(&mut next);
            let call = pick(&mut next);
            match next() % 5 {
                0 => out.push_str(&format!("    let {v} = {call}(&{arg}, {});\n", next() % 100)),
                1 => out.push_str(&format!("    if {v}.is_empty() {{\n        return {call}({arg});\n    }}\n")),
                2 => out.push_str(&format!("    // {call}: keep {v} in range\n")),
                3 => out.push_str(&format!("    let mut {v}: {ty} = self.{call}.clone();\n")),
                _ => out.push_str(&format!("    match {v} {{\n        Some(x) => {call}(x),\n        None => {{}}\n    }}\n")),
            }
        }
        out.push_str(&format!("    {arg}\n}}\n\n"));
    }
    let mut out = out.into_bytes();
    out.truncate(len);
    out
}

fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut next = rng(seed);
    (0..len).map(|_| next() as u8).collect()
}

/// A needle taken from the middle of `haystack` at a word start: `m` bytes.
fn needle_from(haystack: &[u8], m: usize) -> Vec<u8> {
    let mut at = haystack.len() / 2;
    while at < haystack.len() - m && haystack[at - 1] != b' ' {
        at += 1;
    }
    haystack[at..at + m].to_vec()
}

/// `k` distinct patterns: words (or, for binary data, 4–8 byte substrings) from the
/// haystack, one in four absent from it (random letters).
fn patterns_from(haystack: &[u8], k: usize, text: bool, seed: u64) -> Vec<Vec<u8>> {
    let mut next = rng(seed);
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(k);
    while out.len() < k {
        let p: Vec<u8> = if next().is_multiple_of(4) {
            (0..5 + next() % 6)
                .map(|_| b'a' + (next() % 26) as u8)
                .collect()
        } else if text {
            let mut at = (next() % (haystack.len() as u64 - 64)) as usize;
            while haystack[at].is_ascii_alphabetic() {
                at += 1;
            }
            while !haystack[at].is_ascii_alphabetic() {
                at += 1;
            }
            let end = at
                + haystack[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                    .count();
            if end - at < 4 {
                continue;
            }
            haystack[at..end].to_vec()
        } else {
            let m = 4 + (next() % 5) as usize;
            let at = (next() % (haystack.len() - m) as u64) as usize;
            haystack[at..at + m].to_vec()
        };
        if seen.insert(p.clone()) {
            out.push(p);
        }
    }
    out
}

/// Every `(pattern, end)` pair, sorted: for each end, the patterns of each distinct
/// length looked up in a hash map (plain, linear in haystack × lengths).
fn multi_reference(haystack: &[u8], patterns: &[Vec<u8>]) -> Vec<Match> {
    let mut by_bytes: std::collections::HashMap<&[u8], Vec<u32>> = Default::default();
    for (i, p) in patterns.iter().enumerate() {
        by_bytes.entry(p).or_default().push(i as u32);
    }
    let mut lengths: Vec<usize> = patterns.iter().map(|p| p.len()).collect();
    lengths.sort_unstable();
    lengths.dedup();
    let mut out = Vec::new();
    for end in 1..=haystack.len() {
        let first = out.len();
        for &m in &lengths {
            if m > end {
                break;
            }
            if let Some(ids) = by_bytes.get(&haystack[end - m..end]) {
                out.extend(ids.iter().map(|&pattern| Match { end, pattern }));
            }
        }
        out[first..].sort_unstable();
    }
    out
}

// ---------------------------------------------------------------- raw Vectorscan

/// One Vectorscan database and scratch, called as its documentation shows.
struct RawHs {
    db: *mut hs::hs_database_t,
    scratch: *mut hs::hs_scratch_t,
}

impl RawHs {
    fn literals(patterns: &[&[u8]]) -> Result<RawHs, String> {
        let ptrs: Vec<*const std::ffi::c_char> =
            patterns.iter().map(|p| p.as_ptr().cast()).collect();
        let lens: Vec<usize> = patterns.iter().map(|p| p.len()).collect();
        let ids: Vec<c_uint> = (0..patterns.len() as c_uint).collect();
        let (mut db, mut err) = (ptr::null_mut(), ptr::null_mut());
        // SAFETY: three arrays of `patterns.len()` elements; `lens[i]` readable bytes at
        // `ptrs[i]`; valid out-pointers.
        let rc = unsafe {
            hs::hs_compile_lit_multi(
                ptrs.as_ptr(),
                ptr::null(),
                ids.as_ptr(),
                lens.as_ptr(),
                patterns.len() as c_uint,
                hs::HS_MODE_BLOCK,
                ptr::null(),
                &mut db,
                &mut err,
            )
        };
        Self::finish(rc, db, err)
    }

    fn regexes(patterns: &[&str]) -> Result<RawHs, String> {
        let owned: Vec<std::ffi::CString> = patterns
            .iter()
            .map(|p| std::ffi::CString::new(*p).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        let ptrs: Vec<*const std::ffi::c_char> = owned.iter().map(|c| c.as_ptr()).collect();
        let ids: Vec<c_uint> = (0..patterns.len() as c_uint).collect();
        let (mut db, mut err) = (ptr::null_mut(), ptr::null_mut());
        // SAFETY: NUL-terminated expressions kept alive by `owned`; valid out-pointers.
        let rc = unsafe {
            hs::hs_compile_multi(
                ptrs.as_ptr(),
                ptr::null(),
                ids.as_ptr(),
                patterns.len() as c_uint,
                hs::HS_MODE_BLOCK,
                ptr::null(),
                &mut db,
                &mut err,
            )
        };
        Self::finish(rc, db, err)
    }

    fn finish(
        rc: hs::hs_error_t,
        db: *mut hs::hs_database_t,
        err: *mut hs::hs_compile_error_t,
    ) -> Result<RawHs, String> {
        if rc != hs::HS_SUCCESS {
            // SAFETY: the compile error returned by the failed call, freed once.
            unsafe { hs::hs_free_compile_error(err) };
            return Err(format!("compile failed: {rc}"));
        }
        let mut scratch = ptr::null_mut();
        // SAFETY: a live database; a valid out-pointer holding NULL.
        let rc = unsafe { hs::hs_alloc_scratch(db, &mut scratch) };
        if rc != hs::HS_SUCCESS {
            // SAFETY: freed once.
            unsafe { hs::hs_free_database(db) };
            return Err(format!("hs_alloc_scratch: {rc}"));
        }
        Ok(RawHs { db, scratch })
    }

    /// Scans `data`, calling `on_match(ctx, id, to)` through a C callback.
    fn scan<C>(&self, data: &[u8], on_match: hs::match_event_handler, ctx: &mut C) -> bool {
        // SAFETY: the database and its scratch are live and used by this call only;
        // `data` is readable for its length (< 4 GiB); `ctx` is what `on_match` expects.
        let rc = unsafe {
            hs::hs_scan(
                self.db,
                data.as_ptr().cast(),
                data.len() as c_uint,
                0,
                self.scratch,
                on_match,
                (ctx as *mut C).cast(),
            )
        };
        rc == hs::HS_SUCCESS
    }
}

impl Drop for RawHs {
    fn drop(&mut self) {
        // SAFETY: both were allocated in `finish` and are freed once.
        unsafe {
            hs::hs_free_scratch(self.scratch);
            hs::hs_free_database(self.db);
        }
    }
}

/// Counts every match (the `ctx` is a `u64`).
unsafe extern "C" fn count_all(
    _id: c_uint,
    _from: c_ulonglong,
    _to: c_ulonglong,
    _flags: c_uint,
    ctx: *mut c_void,
) -> c_int {
    // SAFETY: the scans using this callback pass a `&mut u64`.
    unsafe { *ctx.cast::<u64>() += 1 };
    0
}

/// Leftmost non-overlapping occurrences of one literal: `(needle length, next allowed
/// start, count)`.
unsafe extern "C" fn count_non_overlapping(
    _id: c_uint,
    _from: c_ulonglong,
    to: c_ulonglong,
    _flags: c_uint,
    ctx: *mut c_void,
) -> c_int {
    // SAFETY: the scans using this callback pass a `&mut (u64, u64, u64)`.
    let (m, next, count) = unsafe { &mut *ctx.cast::<(u64, u64, u64)>() };
    if to - *m >= *next {
        *count += 1;
        *next = to;
    }
    0
}

/// Collects `(id, to)` into a `Vec<Match>`.
unsafe extern "C" fn collect(
    id: c_uint,
    _from: c_ulonglong,
    to: c_ulonglong,
    _flags: c_uint,
    ctx: *mut c_void,
) -> c_int {
    // SAFETY: the scans using this callback pass a `&mut Vec<Match>`.
    unsafe { &mut *ctx.cast::<Vec<Match>>() }.push(Match {
        end: to as usize,
        pattern: id,
    });
    0
}

// ---------------------------------------------------------------- registration

fn datasets() -> Vec<(&'static str, Rc<Vec<u8>>)> {
    vec![
        ("english", Rc::new(english(MIB, 7))),
        ("code", Rc::new(code(MIB, 8))),
        ("random", Rc::new(random_bytes(MIB, 9))),
        ("pathological", Rc::new(vec![b'a'; MIB])),
    ]
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    let sets = datasets();
    for (name, haystack) in &sets {
        let needle = if *name == "pathological" {
            let mut n = vec![b'a'; 30];
            n.extend(b"ba");
            n
        } else {
            needle_from(haystack, if *name == "random" { 8 } else { 16 })
        };
        let whole = Rc::new(vec![(0, haystack.len())]);
        find_one(reg, name, haystack, &whole, &needle);
        if *name == "english" {
            // The same text searched line by line: one search per ~75-byte line.
            let mut lines = Vec::new();
            let mut start = 0;
            for (i, &b) in haystack.iter().enumerate() {
                if b == b'\n' {
                    lines.push((start, i));
                    start = i + 1;
                }
            }
            lines.push((start, haystack.len()));
            find_one(
                reg,
                "english-lines",
                haystack,
                &Rc::new(lines),
                &needle[..6],
            );
        }
    }
    for (name, haystack) in &sets {
        let variants: &[usize] = match *name {
            "random" => &[256],
            "pathological" => &[16],
            _ => &[16, 256],
        };
        for &k in variants {
            let patterns = if *name == "pathological" {
                (1..=k).map(|n| vec![b'a'; n]).collect()
            } else {
                patterns_from(haystack, k, *name != "random", 11 + k as u64)
            };
            find_many(reg, &format!("{name}-{k}"), haystack, &patterns);
        }
    }
    for (name, haystack) in &sets[..2] {
        let patterns: &[&str] = if *name == "english" {
            &[
                "[A-Z][a-z]+ing",
                "[0-9]{3,4}",
                "the[a-z]* of",
                "(?i)ENT[a-z]+ION",
                "[a-z]+ly, [a-z]+",
            ]
        } else {
            &[
                "fn [a-z_]+\\(",
                "let mut [a-z_]+: Vec<u8>",
                "return [a-z_]+\\([a-z_]+\\)",
                "[0-9]{2}\\)",
                "Some\\(x\\) => [a-z]+",
            ]
        };
        regex(reg, name, haystack, patterns);
    }
}

/// The pieces of a haystack searched one by one: `(start, end)` ranges.
type Spans = Rc<Vec<(usize, usize)>>;

/// Σ `count(piece)` over the spans.
#[inline]
fn count_spans(h: &[u8], spans: &[(usize, usize)], mut count: impl FnMut(&[u8]) -> u64) -> u64 {
    spans.iter().map(|&(a, b)| count(&h[a..b])).sum()
}

/// Every span's start positions, shifted by the span's start, concatenated.
fn positions_spans(
    h: &[u8],
    spans: &[(usize, usize)],
    mut find: impl FnMut(&[u8]) -> Vec<usize>,
) -> Vec<usize> {
    spans
        .iter()
        .flat_map(|&(a, b)| find(&h[a..b]).into_iter().map(move |p| p + a))
        .collect()
}

fn find_one(
    reg: &mut Registry,
    dataset: &str,
    haystack: &Rc<Vec<u8>>,
    spans: &Spans,
    needle: &[u8],
) {
    let want = Rc::new(positions_spans(haystack, spans, |piece| {
        reference::find_all(piece, needle)
    }));
    let count = want.len() as u64;
    let bytes = haystack.len() as u64;
    let items = spans.len() as u64;
    let case = |imp: &str, run: Box<dyn FnMut() -> u64>, positions: PositionsFn| {
        let (h, sp, w) = (Rc::clone(haystack), Rc::clone(spans), Rc::clone(&want));
        Case::new(NAME, "find-one", dataset, imp, bytes, items, run)
            .expect(count)
            .verify(move || same_positions(&positions_spans(&h, &sp, &positions), &w))
    };
    let add = |reg: &mut Registry, imp: &str, searcher: arsenal_text::Result<Box<dyn Searcher>>| {
        let searcher = match searcher {
            Ok(s) => Rc::new(s),
            Err(e) => {
                reg.add(Case::failed(NAME, "find-one", dataset, imp, e.to_string()));
                return;
            }
        };
        let (h, sp, s) = (Rc::clone(haystack), Rc::clone(spans), Rc::clone(&searcher));
        reg.add(case(
            imp,
            Box::new(move || count_spans(black_box(&h), &sp, |p| s.count(p) as u64)),
            Box::new(move |piece| {
                let mut got = Vec::new();
                searcher.find_all(piece, &mut got);
                got
            }),
        ));
    };
    fn boxed<S: Searcher + 'static>(
        r: arsenal_text::Result<S>,
    ) -> arsenal_text::Result<Box<dyn Searcher>> {
        r.map(|s| Box::new(s) as Box<dyn Searcher>)
    }
    add(reg, "arsenal:simd", boxed(Ok(SimdSearch::new(needle))));
    add(reg, "arsenal:horspool", boxed(Ok(Horspool::new(needle))));
    add(reg, "arsenal:boyer-moore", boxed(BoyerMoore::new(needle)));
    add(reg, "arsenal:kmp", boxed(Kmp::new(needle)));
    add(reg, "arsenal:z", boxed(ZSearch::new(needle)));
    add(
        reg,
        "arsenal:aho-corasick",
        boxed(AhoCorasick::searcher(needle)),
    );
    add(reg, "arsenal:vectorscan", boxed(Vectorscan::new(needle)));

    match RawHs::literals(&[needle]) {
        Ok(raw) => {
            let raw = Rc::new(raw);
            let (h, sp, r) = (Rc::clone(haystack), Rc::clone(spans), Rc::clone(&raw));
            let m = needle.len() as u64;
            reg.add(case(
                "raw:vectorscan",
                Box::new(move || {
                    count_spans(black_box(&h), &sp, |piece| {
                        let mut ctx = (m, 0u64, 0u64);
                        r.scan(piece, Some(count_non_overlapping), &mut ctx);
                        ctx.2
                    })
                }),
                Box::new(move |piece| {
                    let mut all: Vec<Match> = Vec::new();
                    raw.scan(piece, Some(collect), &mut all);
                    let mut next = 0;
                    let mut got = Vec::new();
                    for mt in all {
                        let start = mt.end - m as usize;
                        if start >= next {
                            got.push(start);
                            next = mt.end;
                        }
                    }
                    got
                }),
            ));
        }
        Err(e) => reg.add(Case::failed(NAME, "find-one", dataset, "raw:vectorscan", e)),
    }

    let finder = Rc::new(memchr::memmem::Finder::new(needle).into_owned());
    let (h, sp, f) = (Rc::clone(haystack), Rc::clone(spans), Rc::clone(&finder));
    reg.add(case(
        "peer:memchr-memmem",
        Box::new(move || count_spans(black_box(&h), &sp, |p| f.find_iter(p).count() as u64)),
        Box::new(move |piece| finder.find_iter(piece).collect()),
    ));

    let ac = Rc::new(
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build([needle])
            .expect("one needle builds"),
    );
    let (h, sp, a) = (Rc::clone(haystack), Rc::clone(spans), Rc::clone(&ac));
    reg.add(case(
        "peer:aho-corasick",
        Box::new(move || count_spans(black_box(&h), &sp, |p| a.find_iter(p).count() as u64)),
        Box::new(move |piece| ac.find_iter(piece).map(|m| m.start()).collect()),
    ));
}

/// `Ok` when the engine's list equals the reference's, else where they first differ.
fn same_list<T: PartialEq + std::fmt::Debug>(
    what: &str,
    got: &[T],
    want: &[T],
) -> Result<(), String> {
    if got == want {
        return Ok(());
    }
    let at = got
        .iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    Err(format!(
        "{} {what}, {} expected; first difference at {at}: {:?} vs {:?}",
        got.len(),
        want.len(),
        got.get(at),
        want.get(at)
    ))
}

fn same_positions(got: &[usize], want: &[usize]) -> Result<(), String> {
    same_list("positions", got, want)
}

fn same_matches(got: &[Match], want: &[Match]) -> Result<(), String> {
    same_list("matches", got, want)
}

fn find_many(reg: &mut Registry, dataset: &str, haystack: &Rc<Vec<u8>>, patterns: &[Vec<u8>]) {
    let want = Rc::new(multi_reference(haystack, patterns));
    let count = want.len() as u64;
    let bytes = haystack.len() as u64;
    let refs: Vec<&[u8]> = patterns.iter().map(|p| p.as_slice()).collect();

    let add = |reg: &mut Registry, imp: &str, set: arsenal_text::Result<Box<dyn MultiSearcher>>| {
        let set = match set {
            Ok(s) => Rc::new(s),
            Err(e) => {
                reg.add(Case::failed(NAME, "find-many", dataset, imp, e.to_string()));
                return;
            }
        };
        let (h, s, w) = (Rc::clone(haystack), Rc::clone(&set), Rc::clone(&want));
        reg.add(
            Case::new(NAME, "find-many", dataset, imp, bytes, 1, move || {
                set.count(black_box(&h)).unwrap_or(usize::MAX) as u64
            })
            .expect(count)
            .verify({
                let h = Rc::clone(haystack);
                move || {
                    let mut got = Vec::new();
                    s.find_all(&h, &mut got).map_err(|e| e.to_string())?;
                    same_matches(&got, &w)
                }
            }),
        );
    };
    add(
        reg,
        "arsenal:aho-corasick",
        AhoCorasick::new(&refs).map(|s| Box::new(s) as Box<dyn MultiSearcher>),
    );
    add(
        reg,
        "arsenal:vectorscan",
        VectorscanLiterals::new(&refs).map(|s| Box::new(s) as Box<dyn MultiSearcher>),
    );

    match RawHs::literals(&refs) {
        Ok(raw) => raw_multi_cell(reg, "find-many", dataset, haystack, raw, count, &want),
        Err(e) => reg.add(Case::failed(
            NAME,
            "find-many",
            dataset,
            "raw:vectorscan",
            e,
        )),
    }

    let ac = Rc::new(
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&refs)
            .expect("the set builds"),
    );
    let (h, a, w) = (Rc::clone(haystack), Rc::clone(&ac), Rc::clone(&want));
    reg.add(
        Case::new(
            NAME,
            "find-many",
            dataset,
            "peer:aho-corasick",
            bytes,
            1,
            move || ac.find_overlapping_iter(black_box(&h[..])).count() as u64,
        )
        .expect(count)
        .verify({
            let h = Rc::clone(haystack);
            move || {
                let mut got: Vec<Match> = a
                    .find_overlapping_iter(&h[..])
                    .map(|m| Match {
                        end: m.end(),
                        pattern: m.pattern().as_u32(),
                    })
                    .collect();
                got.sort_unstable();
                same_matches(&got, &w)
            }
        }),
    );
}

fn raw_multi_cell(
    reg: &mut Registry,
    op: &str,
    dataset: &str,
    haystack: &Rc<Vec<u8>>,
    raw: RawHs,
    count: u64,
    want: &Rc<Vec<Match>>,
) {
    let raw = Rc::new(raw);
    let (h, r, w) = (Rc::clone(haystack), Rc::clone(&raw), Rc::clone(want));
    reg.add(
        Case::new(
            NAME,
            op,
            dataset,
            "raw:vectorscan",
            haystack.len() as u64,
            1,
            move || {
                let mut n = 0u64;
                r.scan(black_box(&h), Some(count_all), &mut n);
                n
            },
        )
        .expect(count)
        .verify({
            let h = Rc::clone(haystack);
            move || {
                let mut got = Vec::new();
                if !raw.scan(&h, Some(collect), &mut got) {
                    return Err("hs_scan failed".into());
                }
                got.sort_unstable();
                same_matches(&got, &w)
            }
        }),
    );
}

/// `regex-automata`'s lazy DFA over the whole set, `MatchKind::All`, overlapping.
struct PeerRegex {
    dfa: regex_automata::hybrid::dfa::DFA,
    cache: std::cell::RefCell<regex_automata::hybrid::dfa::Cache>,
}

impl PeerRegex {
    fn new(patterns: &[&str]) -> Result<PeerRegex, String> {
        use regex_automata::{hybrid::dfa::DFA, util::syntax, MatchKind};
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .thompson(regex_automata::nfa::thompson::Config::new().utf8(false))
            .build_many(patterns)
            .map_err(|e| e.to_string())?;
        let cache = std::cell::RefCell::new(dfa.create_cache());
        Ok(PeerRegex { dfa, cache })
    }

    /// Calls `f(pattern, end)` for every match end of every pattern.
    fn each(&self, haystack: &[u8], mut f: impl FnMut(u32, usize)) -> Result<(), String> {
        use regex_automata::{hybrid::dfa::OverlappingState, Input};
        let mut cache = self.cache.borrow_mut();
        let input = Input::new(haystack);
        let mut state = OverlappingState::start();
        loop {
            self.dfa
                .try_search_overlapping_fwd(&mut cache, &input, &mut state)
                .map_err(|e| e.to_string())?;
            match state.get_match() {
                Some(m) => f(m.pattern().as_u32(), m.offset()),
                None => return Ok(()),
            }
        }
    }
}

fn regex(reg: &mut Registry, dataset: &str, haystack: &Rc<Vec<u8>>, patterns: &[&str]) {
    let peer = match PeerRegex::new(patterns) {
        Ok(p) => Rc::new(p),
        Err(e) => {
            reg.add(Case::failed(
                NAME,
                "regex",
                dataset,
                "peer:regex-automata",
                e,
            ));
            return;
        }
    };
    let mut want = Vec::new();
    if let Err(e) = peer.each(haystack, |pattern, end| want.push(Match { end, pattern })) {
        reg.add(Case::failed(
            NAME,
            "regex",
            dataset,
            "peer:regex-automata",
            e,
        ));
        return;
    }
    want.sort_unstable();
    let want = Rc::new(want);
    let count = want.len() as u64;
    let bytes = haystack.len() as u64;

    let h = Rc::clone(haystack);
    reg.add(
        Case::new(
            NAME,
            "regex",
            dataset,
            "peer:regex-automata",
            bytes,
            1,
            move || {
                let mut n = 0u64;
                peer.each(black_box(&h), |_, _| n += 1)
                    .map_or(u64::MAX, |_| n)
            },
        )
        .expect(count),
    );

    match RegexSet::new(patterns) {
        Ok(set) => {
            let set = Rc::new(set);
            let (h, s, w) = (Rc::clone(haystack), Rc::clone(&set), Rc::clone(&want));
            reg.add(
                Case::new(
                    NAME,
                    "regex",
                    dataset,
                    "arsenal:vectorscan",
                    bytes,
                    1,
                    move || set.count(black_box(&h)).unwrap_or(usize::MAX) as u64,
                )
                .expect(count)
                .verify({
                    let h = Rc::clone(haystack);
                    move || {
                        let mut got = Vec::new();
                        s.find_all(&h, &mut got).map_err(|e| e.to_string())?;
                        same_matches(&got, &w)
                    }
                }),
            );
        }
        Err(e) => reg.add(Case::failed(
            NAME,
            "regex",
            dataset,
            "arsenal:vectorscan",
            e.to_string(),
        )),
    }
    match RawHs::regexes(patterns) {
        Ok(raw) => raw_multi_cell(reg, "regex", dataset, haystack, raw, count, &want),
        Err(e) => reg.add(Case::failed(NAME, "regex", dataset, "raw:vectorscan", e)),
    }
}

// ---------------------------------------------------------------- memory

/// Bytes held by one 16-byte needle's searcher and by the `english-256` set's.
pub fn memory_rows() -> Vec<MemoryRow> {
    let haystack = english(MIB, 7);
    let needle = needle_from(&haystack, 16);
    let patterns = patterns_from(&haystack, 256, true, 11 + 256);
    let refs: Vec<&[u8]> = patterns.iter().map(|p| p.as_slice()).collect();
    let mut rows = Vec::new();
    let mut row = |dataset: &str, what: &str, imp: &str, bytes: Option<usize>| {
        rows.push(MemoryRow {
            domain: NAME.to_owned(),
            dataset: dataset.to_owned(),
            what: what.to_owned(),
            imp: imp.to_owned(),
            items: 1,
            bytes_per_item: bytes.map(|b| b as f64),
        });
    };
    fn rust<T>(make: impl FnOnce() -> Option<T>) -> Option<usize> {
        held_by(make).map(|(_, b)| b + std::mem::size_of::<T>())
    }
    const ONE: &str =
        "one 16-byte needle's searcher: heap bytes + inline size (Vectorscan: database + scratch)";
    row(
        "needle-16",
        ONE,
        "arsenal:simd",
        rust(|| Some(SimdSearch::new(&needle))),
    );
    row(
        "needle-16",
        ONE,
        "arsenal:horspool",
        rust(|| Some(Horspool::new(&needle))),
    );
    row(
        "needle-16",
        ONE,
        "arsenal:boyer-moore",
        rust(|| BoyerMoore::new(&needle).ok()),
    );
    row(
        "needle-16",
        ONE,
        "arsenal:kmp",
        rust(|| Kmp::new(&needle).ok()),
    );
    row(
        "needle-16",
        ONE,
        "arsenal:z",
        rust(|| ZSearch::new(&needle).ok()),
    );
    row(
        "needle-16",
        ONE,
        "arsenal:aho-corasick",
        rust(|| AhoCorasick::searcher(&needle).ok()),
    );
    row(
        "needle-16",
        ONE,
        "arsenal:vectorscan",
        Vectorscan::new(&needle).ok().map(|v| v.heap_bytes()),
    );
    row(
        "needle-16",
        ONE,
        "peer:memchr-memmem",
        rust(|| Some(memchr::memmem::Finder::new(&needle).into_owned())),
    );
    const SET: &str = "the english-256 literal set's automaton: heap bytes + inline size (Vectorscan: database + scratch)";
    row(
        "literals-256",
        SET,
        "arsenal:aho-corasick",
        rust(|| AhoCorasick::new(&refs).ok()),
    );
    row(
        "literals-256",
        SET,
        "arsenal:vectorscan",
        VectorscanLiterals::new(&refs).ok().map(|v| v.heap_bytes()),
    );
    row(
        "literals-256",
        SET,
        "peer:aho-corasick",
        rust(|| {
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&refs)
                .ok()
        }),
    );
    rows
}
