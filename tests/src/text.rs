//! The string-matching suite (`arsenal-text`): every one-needle engine against the
//! plain reference ([`arsenal_text::reference`]) and `memchr::memmem`, every
//! multi-pattern engine against the reference and the `aho-corasick` crate, by
//! [`text_searcher_conformance!`](crate::text_searcher_conformance) and
//! [`text_multi_conformance!`](crate::text_multi_conformance). Haystacks are random
//! over small alphabets (to force many, overlapping matches) and pathological
//! (`aaa…ab`); the empty needle, the empty haystack, needles longer than the haystack
//! and starts past the end (up to `usize::MAX`) are covered.
use arsenal_text::{reference, ErrorKind, Match, MultiSearcher, Result, Searcher};

use crate::data::Rng;

/// Random bytes over the first `alphabet` letters from `b'a'` (256: every byte value).
pub fn random_bytes(rng: &mut Rng, len: usize, alphabet: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            if alphabet >= 256 {
                rng.next_u64() as u8
            } else {
                b'a' + rng.below(alphabet) as u8
            }
        })
        .collect()
}

/// Checks every `Searcher` method for one needle and haystack against the reference.
pub fn check_one<S: Searcher + ?Sized>(s: &S, haystack: &[u8], starts: &[usize]) {
    let needle = s.needle().to_vec();
    let all = reference::find_all(haystack, &needle);
    let over = reference::find_overlapping(haystack, &needle);
    let ctx = || format!("needle {:?} haystack {:?}", show(&needle), show(haystack));
    let mut got = Vec::new();
    s.find_all(haystack, &mut got);
    assert_eq!(got, all, "find_all: {}", ctx());
    assert_eq!(s.count(haystack), all.len(), "count: {}", ctx());
    got.clear();
    s.find_overlapping(haystack, &mut got);
    assert_eq!(got, over, "find_overlapping: {}", ctx());
    assert_eq!(s.find(haystack), over.first().copied(), "find: {}", ctx());
    for &start in starts {
        let want = over.iter().copied().find(|&p| p >= start);
        assert_eq!(
            s.find_at(haystack, start),
            want,
            "find_at {start}: {}",
            ctx()
        );
    }
}

fn show(bytes: &[u8]) -> String {
    if bytes.len() > 80 {
        format!(
            "{}… ({} bytes)",
            String::from_utf8_lossy(&bytes[..80]),
            bytes.len()
        )
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// Random needles and haystacks over alphabets of 2, 3, 4 and 256 letters, needles cut
/// from the haystack (so they occur) or random.
pub fn random<S: Searcher>(make: impl Fn(&[u8]) -> Result<S>) {
    let mut rng = Rng::new(17);
    for round in 0..1500 {
        let alphabet = [2, 3, 4, 256][round % 4];
        let n = rng.below(200) as usize;
        let haystack = random_bytes(&mut rng, n, alphabet);
        let m = rng.below(12) as usize;
        let needle = if n > m && rng.below(2) == 0 {
            let at = rng.below((n - m) as u64) as usize;
            haystack[at..at + m].to_vec()
        } else {
            random_bytes(&mut rng, m, alphabet)
        };
        let s = make(&needle).expect("needle compiles");
        let starts = [
            0,
            1,
            n / 2,
            n,
            n + 1,
            usize::MAX,
            rng.below(n as u64 + 2) as usize,
        ];
        check_one(&s, &haystack, &starts);
    }
}

/// Longer haystacks (64 KiB of text-like bytes with newlines, crossing every SIMD block
/// boundary) against `memchr::memmem`.
pub fn against_memmem<S: Searcher>(make: impl Fn(&[u8]) -> Result<S>) {
    let mut rng = Rng::new(5);
    let haystack: Vec<u8> = (0..65_536)
        .map(|_| match rng.below(12) {
            0 => b' ',
            1 => b'\n',
            r => b'a' + (r as u8 - 2) % 6,
        })
        .collect();
    for m in [1, 2, 3, 4, 5, 8, 16, 31, 32, 33, 64] {
        for k in 0..4 {
            let at = rng.below((haystack.len() - m) as u64) as usize;
            let needle = if k == 3 {
                vec![b'z'; m]
            } else {
                haystack[at..at + m].to_vec()
            };
            let s = make(&needle).expect("needle compiles");
            let want: Vec<usize> = memchr::memmem::find_iter(&haystack, &needle).collect();
            let mut got = Vec::new();
            s.find_all(&haystack, &mut got);
            assert_eq!(got, want, "needle {:?}", show(&needle));
            assert_eq!(s.count(&haystack), want.len());
            assert_eq!(s.find(&haystack), memchr::memmem::find(&haystack, &needle));
        }
    }
}

/// The edge cases: empty needle and haystack, needle longer than the haystack, a match
/// at the very end, every byte value, starts past the end.
pub fn edges<S: Searcher>(make: impl Fn(&[u8]) -> Result<S>) {
    let cases: &[(&[u8], &[u8])] = &[
        (b"", b""),
        (b"", b"abc"),
        (b"a", b""),
        (b"abcd", b"abc"),
        (b"abc", b"abc"),
        (b"c", b"abc"),
        (b"\0", b"\0\0\xff\0"),
        (b"\xff\xfe", b"\xff\xff\xfe\xff\xfe"),
    ];
    for &(needle, haystack) in cases {
        let s = make(needle).expect("needle compiles");
        check_one(&s, haystack, &[0, 1, 2, 3, 4, 5, usize::MAX]);
    }
    let every: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
    for m in 1..5 {
        for at in [0, 100, 255, 300, 512 - m] {
            let s = make(&every[at..at + m]).expect("needle compiles");
            check_one(&s, &every, &[0, at, at + 1]);
        }
    }
}

/// Pathological inputs for each algorithm: `aaa…ab` against `aa…ab` (KMP/Z's linear
/// worst case, naive's quadratic one), `aaa…a` against `baa…a` (Horspool's worst case),
/// runs of the first and last byte (the SIMD filter's false positives), and periodic
/// needles with many overlapping matches.
pub fn pathological<S: Searcher>(make: impl Fn(&[u8]) -> Result<S>) {
    let a_b: Vec<u8> = [vec![b'a'; 20_000], vec![b'b']].concat();
    let a: Vec<u8> = vec![b'a'; 20_000];
    let mut needle_ab = vec![b'a'; 300];
    needle_ab.push(b'b');
    let mut needle_ba = vec![b'a'; 300];
    needle_ba[0] = b'b';
    let cases: Vec<(Vec<u8>, &[u8])> = vec![
        (needle_ab.clone(), &a_b),
        (needle_ab, &a),
        (needle_ba, &a_b),
        (vec![b'a'; 7], &a),
        (b"aXa".to_vec(), &a),
        (b"ab".to_vec(), &a_b),
    ];
    for (needle, haystack) in &cases {
        let s = make(needle).expect("needle compiles");
        let want = reference::find_overlapping(haystack, needle);
        let mut got = Vec::new();
        s.find_overlapping(haystack, &mut got);
        assert_eq!(got, want, "needle {:?}", show(needle));
        assert_eq!(
            s.count(haystack),
            reference::find_all(haystack, needle).len()
        );
    }
    let periodic = b"abaababaabaababaababa".repeat(50);
    let s = make(b"abaab").expect("needle compiles");
    check_one(&s, &periodic, &[0, 3, 500]);
}

/// Random pattern sets (1 to 24 patterns of 1 to 6 bytes, duplicates and prefixes of
/// each other included) against the reference and `aho-corasick`'s overlapping search.
pub fn multi_random<M: MultiSearcher>(make: impl Fn(&[&[u8]]) -> Result<M>) {
    let mut rng = Rng::new(23);
    for round in 0..600 {
        let alphabet = [2, 3, 4, 256][round % 4];
        let k = 1 + rng.below(24) as usize;
        let n = rng.below(300) as usize;
        let haystack = random_bytes(&mut rng, n, alphabet);
        let patterns: Vec<Vec<u8>> = (0..k)
            .map(|_| {
                let m = 1 + rng.below(6) as usize;
                if haystack.len() > m && rng.below(2) == 0 {
                    let at = rng.below((haystack.len() - m) as u64) as usize;
                    haystack[at..at + m].to_vec()
                } else {
                    random_bytes(&mut rng, m, alphabet)
                }
            })
            .collect();
        check_multi(&make, &patterns, &haystack);
    }
}

/// One set against the reference and the `aho-corasick` crate.
pub fn check_multi<M: MultiSearcher>(
    make: &impl Fn(&[&[u8]]) -> Result<M>,
    patterns: &[Vec<u8>],
    haystack: &[u8],
) {
    let refs: Vec<&[u8]> = patterns.iter().map(|p| p.as_slice()).collect();
    let set = make(&refs).expect("set compiles");
    assert_eq!(set.pattern_count(), patterns.len());
    let want = reference::multi_find_all(haystack, &refs);
    let mut got = Vec::new();
    set.find_all(haystack, &mut got).expect("scan");
    assert_eq!(got, want, "patterns {refs:?} haystack {:?}", show(haystack));
    assert_eq!(set.count(haystack).expect("scan"), want.len());
    let peer = aho_corasick::AhoCorasick::new(&refs).expect("aho-corasick builds");
    let mut theirs: Vec<Match> = peer
        .find_overlapping_iter(haystack)
        .map(|m| Match {
            end: m.end(),
            pattern: m.pattern().as_u32(),
        })
        .collect();
    theirs.sort_unstable();
    assert_eq!(got, theirs, "against aho-corasick");
}

/// Larger sets: 2 000 random words over a 64 KiB text, and the bad sets (empty, an
/// empty pattern) refused with the documented kinds.
pub fn multi_limits<M: MultiSearcher>(make: impl Fn(&[&[u8]]) -> Result<M>) {
    let mut rng = Rng::new(31);
    let haystack = random_bytes(&mut rng, 65_536, 8);
    let patterns: Vec<Vec<u8>> = (0..2000)
        .map(|_| {
            let m = 3 + rng.below(6) as usize;
            random_bytes(&mut rng, m, 8)
        })
        .collect();
    let refs: Vec<&[u8]> = patterns.iter().map(|p| p.as_slice()).collect();
    let set = make(&refs).expect("set compiles");
    let peer = aho_corasick::AhoCorasick::new(&refs).expect("aho-corasick builds");
    let mut theirs: Vec<Match> = peer
        .find_overlapping_iter(&haystack)
        .map(|m| Match {
            end: m.end(),
            pattern: m.pattern().as_u32(),
        })
        .collect();
    theirs.sort_unstable();
    let mut got = Vec::new();
    set.find_all(&haystack, &mut got).expect("scan");
    assert!(!theirs.is_empty());
    assert_eq!(got, theirs);
    assert_eq!(set.count(&haystack).expect("scan"), theirs.len());
    assert_eq!(make(&[]).err().map(|e| e.kind()), Some(ErrorKind::EmptySet));
    assert_eq!(
        make(&[b"a", b"", b"c"]).err().map(|e| e.kind()),
        Some(ErrorKind::EmptyPattern)
    );
    // A pattern of every byte value, NUL included.
    let every: Vec<u8> = (0..=255u8).collect();
    check_multi(
        &make,
        &[every.clone(), vec![0], vec![255, 0]],
        &[every.clone(), every].concat(),
    );
}

/// Instantiates the one-needle suite for an engine, given a constructor expression
/// `Fn(&[u8]) -> arsenal_text::Result<impl Searcher>`.
#[macro_export]
macro_rules! text_searcher_conformance {
    ($name:ident, $make:expr) => {
        mod $name {
            use $crate::text as suite;

            #[test]
            fn random() {
                suite::random($make);
            }

            #[test]
            fn against_memmem() {
                suite::against_memmem($make);
            }

            #[test]
            fn edges() {
                suite::edges($make);
            }

            #[test]
            fn pathological() {
                suite::pathological($make);
            }
        }
    };
}

/// Instantiates the multi-pattern suite for an engine, given a constructor expression
/// `Fn(&[&[u8]]) -> arsenal_text::Result<impl MultiSearcher>`.
#[macro_export]
macro_rules! text_multi_conformance {
    ($name:ident, $make:expr) => {
        mod $name {
            use $crate::text as suite;

            #[test]
            fn random() {
                suite::multi_random($make);
            }

            #[test]
            fn limits() {
                suite::multi_limits($make);
            }
        }
    };
}
