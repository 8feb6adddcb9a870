//! The string-matching suite, once per engine (and per SIMD level), plus Vectorscan's
//! regex sets against a reference built on the `regex` crate, its streaming mode split
//! at every offset, and its compile errors.
#![cfg(feature = "text")]

arsenal_conformance::text_searcher_conformance!(kmp, arsenal_text::Kmp::new);
arsenal_conformance::text_searcher_conformance!(horspool, |n: &[u8]| Ok(
    arsenal_text::Horspool::new(n)
));
arsenal_conformance::text_searcher_conformance!(boyer_moore, arsenal_text::BoyerMoore::new);
arsenal_conformance::text_searcher_conformance!(z, arsenal_text::ZSearch::new);
arsenal_conformance::text_searcher_conformance!(simd, |n: &[u8]| Ok(
    arsenal_text::SimdSearch::new(n)
));
arsenal_conformance::text_searcher_conformance!(simd_scalar, |n: &[u8]| {
    arsenal_text::SimdSearch::with_level(n, arsenal_text::SimdLevel::Scalar)
});
#[cfg(target_arch = "x86_64")]
arsenal_conformance::text_searcher_conformance!(simd_sse2, |n: &[u8]| {
    arsenal_text::SimdSearch::with_level(n, arsenal_text::SimdLevel::Sse2)
});
arsenal_conformance::text_searcher_conformance!(
    aho_corasick_one,
    arsenal_text::AhoCorasick::searcher
);
arsenal_conformance::text_multi_conformance!(aho_corasick, |p: &[&[u8]]| {
    arsenal_text::AhoCorasick::new(p)
});
#[cfg(feature = "vectorscan")]
arsenal_conformance::text_searcher_conformance!(vectorscan, arsenal_text::Vectorscan::new);
#[cfg(feature = "vectorscan")]
arsenal_conformance::text_multi_conformance!(vectorscan_literals, |p: &[&[u8]]| {
    arsenal_text::VectorscanLiterals::new(p)
});
// Every backend through its `Backend` value (the boxed, dynamic form).
arsenal_conformance::text_searcher_conformance!(dynamic_default, |n: &[u8]| {
    arsenal_text::Backend::available()[0].searcher(n)
});

#[test]
fn every_backend_agrees_on_text() {
    use arsenal_text::{Backend, Searcher};
    let mut rng = arsenal_conformance::data::Rng::new(3);
    let haystack = arsenal_conformance::text::random_bytes(&mut rng, 100_000, 3);
    for needle in [&b"abcab"[..], b"aaaa", b"c", b"abcabcabcabcabcabc"] {
        let want: Vec<usize> = memchr::memmem::find_iter(&haystack, needle).collect();
        for backend in Backend::available() {
            let s = backend.searcher(needle).unwrap();
            let mut got = Vec::new();
            s.find_all(&haystack, &mut got);
            assert_eq!(got, want, "{backend} {needle:?}");
        }
    }
}

#[cfg(feature = "vectorscan")]
mod vectorscan_only {
    use arsenal_conformance::data::Rng;
    use arsenal_conformance::text::random_bytes;
    use arsenal_text::{ErrorKind, Match, MultiSearcher, RegexSet, StreamDatabase};

    const PATTERNS: &[&str] = &[
        "[0-9]+",
        "ab+c",
        "a.c",
        "(foo|bar)baz",
        "x[yz]{2,3}",
        "(?i)CAB",
    ];

    /// Every `(pattern, end)` such that some substring ending at `end` matches the
    /// whole pattern (quadratic, on small haystacks): the all-matches semantic.
    fn all_ends(patterns: &[&str], haystack: &[u8]) -> Vec<Match> {
        let whole: Vec<regex::bytes::Regex> = patterns
            .iter()
            .map(|p| regex::bytes::Regex::new(&format!("(?-u)^(?:{p})$")).unwrap())
            .collect();
        let mut out = Vec::new();
        for end in 1..=haystack.len() {
            for (i, re) in whole.iter().enumerate() {
                if (0..end).any(|s| re.is_match(&haystack[s..end])) {
                    out.push(Match {
                        end,
                        pattern: i as u32,
                    });
                }
            }
        }
        out
    }

    fn text(rng: &mut Rng, n: usize) -> Vec<u8> {
        const LETTERS: &[u8] = b"abcdxyzfoobarbaz0123 \nC";
        (0..n)
            .map(|_| LETTERS[rng.below(LETTERS.len() as u64) as usize])
            .collect()
    }

    #[test]
    fn regex_set_matches_reference() {
        let set = RegexSet::new(PATTERNS).unwrap();
        let mut rng = Rng::new(11);
        for _ in 0..150 {
            let n = rng.below(80) as usize;
            let haystack = text(&mut rng, n);
            let mut got = Vec::new();
            set.find_all(&haystack, &mut got).unwrap();
            assert_eq!(got, all_ends(PATTERNS, &haystack), "{haystack:?}");
            assert_eq!(set.count(&haystack).unwrap(), got.len());
        }
    }

    #[test]
    fn streaming_split_at_every_offset() {
        let mut rng = Rng::new(13);
        let haystack = text(&mut rng, 300);
        let literals: Vec<&[u8]> = vec![b"ab", b"foo", b"barbaz", b"a", b"0 "];
        let block = {
            let set = arsenal_text::VectorscanLiterals::new(&literals).unwrap();
            let mut v = Vec::new();
            set.find_all(&haystack, &mut v).unwrap();
            v
        };
        let regex_block = {
            let set = RegexSet::new(PATTERNS).unwrap();
            let mut v = Vec::new();
            set.find_all(&haystack, &mut v).unwrap();
            v
        };
        assert!(!block.is_empty() && !regex_block.is_empty());
        for (db, want) in [
            (StreamDatabase::literals(&literals).unwrap(), &block),
            (StreamDatabase::regexes(PATTERNS).unwrap(), &regex_block),
        ] {
            for split in 0..=haystack.len() {
                let mut stream = db.stream().unwrap();
                let mut got = Vec::new();
                stream.scan(&haystack[..split], &mut got).unwrap();
                stream.scan(&haystack[split..], &mut got).unwrap();
                stream.finish(&mut got).unwrap();
                assert_eq!(&got, want, "split at {split}");
            }
            // One byte at a time.
            let mut stream = db.stream().unwrap();
            let mut got = Vec::new();
            for b in &haystack {
                stream.scan(std::slice::from_ref(b), &mut got).unwrap();
            }
            stream.finish(&mut got).unwrap();
            assert_eq!(&got, want, "byte by byte");
            // Dropped without finishing: freed, nothing reported, no leak or crash.
            let mut stream = db.stream().unwrap();
            stream.scan(&haystack, &mut Vec::new()).unwrap();
            drop(stream);
        }
        // `$` matches are reported by finish().
        let db = StreamDatabase::regexes(&["end$"]).unwrap();
        let mut stream = db.stream().unwrap();
        let mut got = Vec::new();
        stream.scan(b"the end", &mut got).unwrap();
        stream.finish(&mut got).unwrap();
        assert_eq!(got, [Match { end: 7, pattern: 0 }]);
    }

    #[test]
    fn bad_patterns_are_errors() {
        let e = RegexSet::new(&["fine", "also fine", "(unclosed"]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BadPattern);
        assert_eq!(e.code(), Some(2));
        assert!(e.message().contains("pattern 2"), "{e}");
        assert_eq!(e.backend(), "vectorscan");
        for bad in ["a{3,2}", "[z-a]", "(?<=x)y\\", "\\"] {
            let e = RegexSet::new(&[bad]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::BadPattern, "{bad}: {e}");
        }
        // Backreferences are not supported by Vectorscan.
        assert!(RegexSet::new(&["(a)\\1"]).is_err());
        assert_eq!(
            RegexSet::new(&["a*"]).unwrap_err().kind(),
            ErrorKind::EmptyPattern
        );
        assert_eq!(
            RegexSet::new(&["a\0b"]).unwrap_err().kind(),
            ErrorKind::BadPattern
        );
        assert_eq!(
            RegexSet::new::<&str>(&[]).unwrap_err().kind(),
            ErrorKind::EmptySet
        );
        assert_eq!(
            StreamDatabase::literals(&[]).unwrap_err().kind(),
            ErrorKind::EmptySet
        );
    }

    #[test]
    fn many_patterns_and_huge_inputs() {
        // 20 000 literals compile and agree with the native automaton.
        let mut rng = Rng::new(19);
        let patterns: Vec<Vec<u8>> = (0..20_000)
            .map(|_| {
                let m = 4 + rng.below(8) as usize;
                random_bytes(&mut rng, m, 256)
            })
            .collect();
        let refs: Vec<&[u8]> = patterns.iter().map(|p| p.as_slice()).collect();
        let haystack: Vec<u8> = patterns.concat();
        let vs = arsenal_text::VectorscanLiterals::new(&refs).unwrap();
        let ac = arsenal_text::AhoCorasick::new(&refs).unwrap();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        vs.find_all(&haystack, &mut a).unwrap();
        ac.find_all(&haystack, &mut b).unwrap();
        assert!(a.len() >= patterns.len());
        assert_eq!(a, b);
    }

    #[test]
    fn searchers_are_send() {
        fn send<T: Send>(_: &T) {}
        let vs = arsenal_text::Vectorscan::new(b"x").unwrap();
        send(&vs);
        // One searcher per thread (a scratch space serves one scan at a time).
        let handles: Vec<_> = (0..4)
            .map(|i| {
                std::thread::spawn(move || {
                    let vs = arsenal_text::Vectorscan::new(b"ab").unwrap();
                    use arsenal_text::Searcher;
                    vs.count(&b"ab".repeat(1000 + i))
                })
            })
            .collect();
        for (i, h) in handles.into_iter().enumerate() {
            assert_eq!(h.join().unwrap(), 1000 + i);
        }
    }

    /// Vectorscan 5.4.9 (Debian's build) misses matches of two-byte patterns made of a
    /// literal byte and a class: `[^a-c]d` finds nothing in the first haystack (a scan
    /// from offset 4 finds both matches), `d.` and `d[0-9]` miss `d1` at offset 72 of
    /// the second (a scan from offset 10 finds it), while `d1` and `bd1` find it. Kept
    /// as a record of the library bug (it looks like the two-byte "double shufti"
    /// acceleration); the reference test above avoids that pattern shape. Run with
    /// `--ignored` against a newer Vectorscan.
    #[test]
    #[ignore = "Vectorscan 5.4.9 false negatives (two-byte literal + class patterns)"]
    fn known_false_negatives_two_byte_class_patterns() {
        let first: &[u8] =
            b"byb31y af3cox0y01ac oaya0b02xC2brb02\nbbar3af\n\n0boxxbo0bza1cb0b2bbfodc0d1oby";
        let second: &[u8] = &[
            98, 32, 111, 122, 97, 10, 114, 98, 98, 49, 114, 97, 50, 114, 50, 97, 48, 97, 98, 99,
            98, 50, 97, 32, 122, 98, 97, 97, 121, 99, 97, 48, 51, 98, 97, 97, 98, 49, 122, 122, 97,
            111, 99, 122, 99, 48, 122, 122, 98, 32, 97, 98, 102, 97, 32, 121, 51, 99, 111, 111, 10,
            111, 32, 50, 50, 48, 122, 98, 102, 67, 98, 98, 100, 49, 102, 97, 67, 99, 67,
        ];
        let mut failures = Vec::new();
        for (pattern, haystack) in [("[^a-c]d", first), ("d.", second), ("d[0-9]", second)] {
            let set = RegexSet::new(&[pattern]).unwrap();
            let mut got = Vec::new();
            set.find_all(haystack, &mut got).unwrap();
            if got != all_ends(&[pattern], haystack) {
                failures.push(pattern);
            }
        }
        assert!(failures.is_empty(), "wrong matches for {failures:?}");
    }
}
