//! String matching behind small traits: one needle, many literals, regular-expression
//! sets, in block and streaming mode.
//!
//! | backend | type | one needle ([`Searcher`]) | many literals ([`MultiSearcher`]) | regex set | streaming |
//! |---|---|---|---|---|---|
//! | `kmp` (native) | [`Kmp`] | Knuth–Morris–Pratt, O(n + m) worst case | – | – | – |
//! | `boyer-moore` (native) | [`BoyerMoore`] | Boyer–Moore: the bad-character and strong good-suffix rules, Galil's rule for overlapping matches; O(n + m) | – | – | – |
//! | `horspool` (native) | [`Horspool`] | Boyer–Moore–Horspool: skips by the bad-character rule, O(nm) worst case | – | – | – |
//! | `z` (native) | [`ZSearch`] | the Z-algorithm (Gusfield), O(n + m) worst case | – | – | – |
//! | `simd` (native) | [`SimdSearch`] | Muła's "generic SIMD" two-byte filter on the needle's two rarest bytes: AVX2 (run-time detected), SSE2, or scalar | – | – | – |
//! | `aho-corasick` (native) | [`AhoCorasick`] | a one-pattern automaton | a byte-class DFA (Aho & Corasick 1975) | – | – |
//! | `vectorscan` (C++, feature `vectorscan`) | `Vectorscan`, `VectorscanLiterals`, `RegexSet`, `StreamDatabase` | `hs_compile_lit` | `hs_compile_lit_multi` | `hs_compile_multi` | `hs_scan_stream` |
//!
//! # The semantics every engine shares
//!
//! - **One needle** ([`Searcher`]): positions are the *start* offsets of occurrences.
//!   [`find_all`](Searcher::find_all) and [`count`](Searcher::count) report the
//!   leftmost non-overlapping occurrences (the next search starts after the previous
//!   occurrence's end, as `memchr::memmem::find_iter` and `str::matches`);
//!   [`find_overlapping`](Searcher::find_overlapping) reports every start. An empty
//!   needle occurs at every offset `0..=haystack.len()`.
//! - **Many literals** ([`MultiSearcher`]): every `(pattern index, end offset)` pair of
//!   every occurrence, overlapping ones included, sorted by end offset and then pattern
//!   index (a [`Match`]). This is what Vectorscan reports natively; the native
//!   Aho–Corasick reports the same, and `aho-corasick`'s `find_overlapping_iter` does
//!   after sorting. Empty patterns and empty sets are an [`Err`].
//! - **Regex sets** (Vectorscan's `RegexSet`, also a [`MultiSearcher`]): every
//!   `(pattern, end)` pair at which *some* match of the pattern ends, the same
//!   "all matches" semantic (`regex-automata`'s `MatchKind::All` overlapping search
//!   produces it). Patterns are bytes-oriented (no UTF-8 mode), `.` excludes `\n`, and a
//!   pattern that can match the empty string is an [`Err`].
//!
//! ```
//! use arsenal_text::{Backend, Searcher};
//!
//! let haystack = b"abracadabra, abracadabra";
//! for backend in Backend::available() {
//!     let searcher = backend.searcher(b"abra")?;
//!     assert_eq!(searcher.find(haystack), Some(0));
//!     assert_eq!(searcher.count(haystack), 4);
//!     let mut starts = Vec::new();
//!     searcher.find_all(haystack, &mut starts);
//!     assert_eq!(starts, [0, 7, 13, 20]);
//! }
//! # Ok::<(), arsenal_text::Error>(())
//! ```
//!
//! Many literals at once, with whichever engine can do it:
//!
//! ```
//! use arsenal_text::{Backend, Match, MultiSearcher};
//!
//! for backend in Backend::available() {
//!     let Ok(set) = backend.multi_searcher(&[b"he", b"she", b"hers"]) else {
//!         continue; // a single-needle engine
//!     };
//!     let mut found = Vec::new();
//!     set.find_all(b"ushers", &mut found)?;
//!     assert_eq!(
//!         found,
//!         [
//!             Match { pattern: 0, end: 4 }, // he
//!             Match { pattern: 1, end: 4 }, // she
//!             Match { pattern: 2, end: 6 }, // hers
//!         ]
//!     );
//! }
//! # Ok::<(), arsenal_text::Error>(())
//! ```
//!
//! Library authors depend with `default-features = false` (the native engines need no
//! feature) and enable `vectorscan` when they want it.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod backend;
pub mod reference;

pub use backend::aho_corasick::AhoCorasick;
pub use backend::boyer_moore::BoyerMoore;
pub use backend::horspool::Horspool;
pub use backend::kmp::Kmp;
pub use backend::simd::{SimdLevel, SimdSearch};
#[cfg(feature = "vectorscan")]
pub use backend::vectorscan::{
    version as vectorscan_version, RegexSet, Stream, StreamDatabase, Vectorscan, VectorscanLiterals,
};
pub use backend::z::ZSearch;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A pattern set with no pattern.
    EmptySet,
    /// An empty literal in a pattern set, or a regular expression that can match the
    /// empty string.
    EmptyPattern,
    /// A pattern the engine cannot compile (Vectorscan's message and the pattern's
    /// index are in the error).
    BadPattern,
    /// More patterns, longer patterns or a larger automaton or input than the engine
    /// can address (e.g. more than `u32::MAX` patterns, a 4 GiB block for Vectorscan).
    TooLarge,
    /// The allocator failed.
    OutOfMemory,
    /// The backend is not compiled in, or cannot do this (a single-needle engine asked
    /// for a pattern set).
    Unsupported,
    /// Any other error the C library reported (its code is in the error).
    Library,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::EmptySet => "empty pattern set",
            ErrorKind::EmptyPattern => "empty pattern",
            ErrorKind::BadPattern => "invalid pattern",
            ErrorKind::TooLarge => "too large",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Library => "library error",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::OutOfMemory => std::io::ErrorKind::OutOfMemory,
            ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            ErrorKind::Library => std::io::ErrorKind::Other,
            _ => std::io::ErrorKind::InvalidInput,
        }
    }
}

/// An error from `arsenal-text` (the shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// One occurrence reported by a [`MultiSearcher`]: which pattern (its index in the
/// set) ends where (one past its last byte). Ordered by `end`, then `pattern`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Match {
    /// One past the last byte of the occurrence.
    pub end: usize,
    /// The index of the pattern in the set it was compiled from.
    pub pattern: u32,
}

/// A search for one needle, built once and run over many haystacks. Object safe:
/// [`Backend::searcher`] returns a `Box<dyn Searcher + Send>`.
///
/// Only [`find_at`](Searcher::find_at) is required; engines override the others where
/// they can do better than repeated calls.
pub trait Searcher {
    /// The needle.
    fn needle(&self) -> &[u8];

    /// The start of the leftmost occurrence that starts at or after `start` (`None`
    /// also when `start > haystack.len()`).
    fn find_at(&self, haystack: &[u8], start: usize) -> Option<usize>;

    /// The start of the leftmost occurrence.
    fn find(&self, haystack: &[u8]) -> Option<usize> {
        self.find_at(haystack, 0)
    }

    /// Appends the starts of the leftmost non-overlapping occurrences to `out`.
    fn find_all(&self, haystack: &[u8], out: &mut Vec<usize>) {
        let step = self.needle().len().max(1);
        let mut at = 0;
        while let Some(pos) = self.find_at(haystack, at) {
            out.push(pos);
            at = pos + step;
        }
    }

    /// The number of leftmost non-overlapping occurrences.
    fn count(&self, haystack: &[u8]) -> usize {
        let step = self.needle().len().max(1);
        let mut at = 0;
        let mut n = 0;
        while let Some(pos) = self.find_at(haystack, at) {
            n += 1;
            at = pos + step;
        }
        n
    }

    /// Appends the start of every occurrence, overlapping ones included, to `out`.
    fn find_overlapping(&self, haystack: &[u8], out: &mut Vec<usize>) {
        let mut at = 0;
        while let Some(pos) = self.find_at(haystack, at) {
            out.push(pos);
            at = pos + 1;
        }
    }

    /// Which backend this is.
    fn backend(&self) -> Backend;
}

impl<S: Searcher + ?Sized> Searcher for Box<S> {
    fn needle(&self) -> &[u8] {
        (**self).needle()
    }
    fn find_at(&self, haystack: &[u8], start: usize) -> Option<usize> {
        (**self).find_at(haystack, start)
    }
    fn find(&self, haystack: &[u8]) -> Option<usize> {
        (**self).find(haystack)
    }
    fn find_all(&self, haystack: &[u8], out: &mut Vec<usize>) {
        (**self).find_all(haystack, out)
    }
    fn count(&self, haystack: &[u8]) -> usize {
        (**self).count(haystack)
    }
    fn find_overlapping(&self, haystack: &[u8], out: &mut Vec<usize>) {
        (**self).find_overlapping(haystack, out)
    }
    fn backend(&self) -> Backend {
        (**self).backend()
    }
}

/// A search for a set of patterns at once, reporting every `(pattern, end)` pair of
/// every occurrence, overlapping ones included, sorted by end then pattern (see the
/// [crate docs](crate)). Object safe: [`Backend::multi_searcher`] returns a
/// `Box<dyn MultiSearcher + Send>`.
pub trait MultiSearcher {
    /// The number of patterns in the set.
    fn pattern_count(&self) -> usize;

    /// Appends every occurrence to `out`, sorted by end offset, then pattern index.
    ///
    /// # Errors
    /// Vectorscan: [`ErrorKind::TooLarge`] for a haystack of 4 GiB or more (use its
    /// streaming mode), [`ErrorKind::Library`] if the library fails; `out` then holds
    /// what was appended before. The native engines never fail.
    fn find_all(&self, haystack: &[u8], out: &mut Vec<Match>) -> Result<()>;

    /// The number of occurrences [`find_all`](MultiSearcher::find_all) would report.
    ///
    /// # Errors
    /// As [`find_all`](MultiSearcher::find_all).
    fn count(&self, haystack: &[u8]) -> Result<usize>;

    /// Which backend this is.
    fn backend(&self) -> Backend;
}

impl<S: MultiSearcher + ?Sized> MultiSearcher for Box<S> {
    fn pattern_count(&self) -> usize {
        (**self).pattern_count()
    }
    fn find_all(&self, haystack: &[u8], out: &mut Vec<Match>) -> Result<()> {
        (**self).find_all(haystack, out)
    }
    fn count(&self, haystack: &[u8]) -> Result<usize> {
        (**self).count(haystack)
    }
    fn backend(&self) -> Backend {
        (**self).backend()
    }
}

arsenal_core::backends! {
    /// The string-matching engines this crate knows.
    domain = "text";
    pub enum Backend {
        /// Vectorscan (C++, feature `vectorscan`): literals and regex sets, block and
        /// streaming mode.
        Vectorscan = "vectorscan",
        /// native Rust: Muła's two-byte SIMD filter on the needle's rarest bytes (AVX2, SSE2 or scalar).
        Simd = "simd",
        /// native Rust: Boyer–Moore–Horspool.
        Horspool = "horspool",
        /// native Rust: Boyer–Moore (bad-character and strong good-suffix rules).
        BoyerMoore = "boyer-moore",
        /// native Rust: Knuth–Morris–Pratt.
        Kmp = "kmp",
        /// native Rust: the Z-algorithm.
        Z = "z",
        /// native Rust: Aho–Corasick, a byte-class DFA (one needle or many literals).
        AhoCorasick = "aho-corasick",
    }
}

impl arsenal_core::Select for Backend {
    /// The SIMD filter first (the compile-time default: the fastest one-needle engine on
    /// text, no C library, no database), then Vectorscan when compiled in and this CPU
    /// runs it, then the other native engines from the fastest on the `text/find-one`
    /// rows to the slowest.
    fn available() -> Vec<Backend> {
        let mut out = Vec::with_capacity(Backend::ALL.len());
        out.push(Backend::Simd);
        #[cfg(feature = "vectorscan")]
        if backend::vectorscan::platform_ok() {
            out.push(Backend::Vectorscan);
        }
        out.extend([
            Backend::Horspool,
            Backend::BoyerMoore,
            Backend::AhoCorasick,
            Backend::Kmp,
            Backend::Z,
        ]);
        out
    }

    /// Answers for one needle ([`Backend::searcher`]):
    /// - `Throughput`, `MaximalSpeed`: the SIMD filter (`text/find-one/english`; AVX2
    ///   when this CPU has it). Vectorscan is faster on rare needles in random bytes
    ///   (`text/find-one/random`); choose it by name there.
    /// - `Latency`: the SIMD filter (`text/find-one/english-lines`: one search per
    ///   ~75-byte line, where Vectorscan's per-call setup costs: 2.2 GB/s against
    ///   Vectorscan's 2.0 on an AMD EPYC; level on an Intel Xeon).
    /// - `MinimalMemory`: the SIMD filter, which keeps only the needle
    ///   (`text/memory/needle-16`; Horspool adds a 2 KiB shift table, KMP and Z a word
    ///   per needle byte, Vectorscan a database and a scratch space).
    /// - `Balanced`: the SIMD filter, the first of
    ///   [`available`](arsenal_core::Select::available).
    ///
    /// For sets of literals ([`Backend::multi_searcher`]), the native Aho–Corasick is
    /// faster where matches are dense (`text/find-many/english-256`: Vectorscan's
    /// per-match callback dominates), Vectorscan where they are rare; regular
    /// expressions need Vectorscan.
    fn for_strategy(_strategy: arsenal_core::Strategy) -> Backend {
        Backend::Simd
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            Throughput | MaximalSpeed => Some("text/find-one/english"),
            Latency => Some("text/find-one/english-lines"),
            MinimalMemory => Some("text/memory/needle-16"),
        }
    }
}

impl Backend {
    /// A searcher for one needle with this engine.
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] when the backend is not compiled in or this CPU
    /// cannot run it; [`ErrorKind::TooLarge`] / [`ErrorKind::OutOfMemory`] for a needle
    /// the engine cannot hold; Vectorscan's compile errors.
    pub fn searcher(self, needle: &[u8]) -> Result<Box<dyn Searcher + Send>> {
        Ok(match self {
            Backend::Kmp => Box::new(Kmp::new(needle)?),
            Backend::Horspool => Box::new(Horspool::new(needle)),
            Backend::BoyerMoore => Box::new(BoyerMoore::new(needle)?),
            Backend::Z => Box::new(ZSearch::new(needle)?),
            Backend::Simd => Box::new(SimdSearch::new(needle)),
            Backend::AhoCorasick => Box::new(AhoCorasick::searcher(needle)?),
            #[cfg(feature = "vectorscan")]
            Backend::Vectorscan => Box::new(Vectorscan::new(needle)?),
            #[cfg(not(feature = "vectorscan"))]
            Backend::Vectorscan => return Err(unavailable(self)),
        })
    }

    /// A searcher for a set of literal patterns with this engine (Aho–Corasick or
    /// Vectorscan).
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] for a single-needle engine or a backend not compiled
    /// in; [`ErrorKind::EmptySet`], [`ErrorKind::EmptyPattern`], [`ErrorKind::TooLarge`]
    /// for sets the engines refuse.
    pub fn multi_searcher(self, patterns: &[&[u8]]) -> Result<Box<dyn MultiSearcher + Send>> {
        match self {
            Backend::AhoCorasick => Ok(Box::new(AhoCorasick::new(patterns)?)),
            #[cfg(feature = "vectorscan")]
            Backend::Vectorscan => Ok(Box::new(VectorscanLiterals::new(patterns)?)),
            _ => Err(unavailable(self)),
        }
    }

    /// Whether this engine searches for sets of patterns
    /// ([`multi_searcher`](Backend::multi_searcher)).
    pub const fn multi_pattern(self) -> bool {
        matches!(self, Backend::AhoCorasick | Backend::Vectorscan)
    }
}

#[cold]
fn unavailable(backend: Backend) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        backend.name(),
        if backend.is_available() {
            "this engine searches for one needle only"
        } else {
            "backend not compiled in (or this CPU cannot run it)"
        },
    )
}

/// The one-needle engine [`Backend::for_strategy`]`(Balanced)` names: the SIMD filter.
pub type DefaultSearcher = SimdSearch;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_backend_finds() {
        let hay = b"aaaabaaaabaaab";
        for backend in Backend::available() {
            let s = backend.searcher(b"aaab").unwrap();
            assert_eq!(s.backend(), backend);
            let mut all = Vec::new();
            s.find_all(hay, &mut all);
            assert_eq!(all, reference::find_all(hay, b"aaab"), "{backend}");
            let mut over = Vec::new();
            s.find_overlapping(b"aaaa", &mut over);
            assert!(over.is_empty());
            let s = backend.searcher(b"aa").unwrap();
            s.find_overlapping(b"aaaa", &mut over);
            assert_eq!(over, [0, 1, 2], "{backend}");
            assert_eq!(s.count(b"aaaaa"), 2, "{backend}");
            let empty = backend.searcher(b"").unwrap();
            assert_eq!(empty.count(b"abc"), 4, "{backend}");
            assert_eq!(empty.find_at(b"abc", 4), None, "{backend}");
            if backend.multi_pattern() {
                let m = backend.multi_searcher(&[b"ab", b"b", b"aab"]).unwrap();
                let mut found = Vec::new();
                m.find_all(hay, &mut found).unwrap();
                assert_eq!(
                    found,
                    reference::multi_find_all(hay, &[b"ab", b"b", b"aab"]),
                    "{backend}"
                );
                assert_eq!(
                    backend.multi_searcher(&[]).err().map(|e| e.kind()),
                    Some(ErrorKind::EmptySet)
                );
                assert_eq!(
                    backend.multi_searcher(&[b"a", b""]).err().map(|e| e.kind()),
                    Some(ErrorKind::EmptyPattern)
                );
            } else {
                assert_eq!(
                    backend.multi_searcher(&[b"a"]).err().map(|e| e.kind()),
                    Some(ErrorKind::Unsupported)
                );
            }
        }
    }
}
