//! The memory-operations conformance suite, run once per [`Backend`] this CPU has
//! (`tests/memops.rs` instantiates [`memops_conformance!`](crate::memops_conformance)).
//!
//! Every check compares a backend with a reference computed by the standard library
//! (`copy_from_slice`, `copy_within`, `fill`, slice ordering, `iter().position`) byte for
//! byte, and every write lands in a buffer surrounded by canary bytes that must survive,
//! so an out-of-bounds store fails the test. Buffers are 64-byte aligned before the
//! alignment offsets under test are added.

use arsenal_memops::{Backend, CopyPolicy, Error, MemOps};
use std::cmp::Ordering;

/// Largest size of the exhaustive sweeps.
pub const MAX_SWEEP: usize = 1024;
/// Alignments swept (offsets from a 64-byte boundary).
pub const ALIGNS: usize = 64;
/// Canary bytes on each side of a destination.
const GUARD: usize = 64;
const CANARY: u8 = 0xA5;

/// `ops` for `backend`, or `None` (with a note on stderr) when this CPU lacks it.
pub fn ops_for(backend: Backend) -> Option<MemOps> {
    match MemOps::new(backend) {
        Ok(ops) => Some(ops),
        Err(e) => {
            eprintln!("memops: skipping {backend}: {e}");
            None
        }
    }
}

/// A deterministic, non-repeating-looking byte pattern.
pub fn pattern(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// A heap buffer with a 64-byte-aligned window of `len` bytes.
struct Aligned {
    storage: Vec<u8>,
    start: usize,
    len: usize,
}

impl Aligned {
    fn new(len: usize, fill: u8) -> Aligned {
        let storage = vec![fill; len + 64];
        let start = storage.as_ptr().align_offset(64);
        Aligned {
            storage,
            start,
            len,
        }
    }

    fn get(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len]
    }

    fn get_mut(&mut self) -> &mut [u8] {
        &mut self.storage[self.start..self.start + self.len]
    }
}

/// Panics with the first differing offset when `got != want`.
#[track_caller]
fn assert_bytes(got: &[u8], want: &[u8], what: &dyn Fn() -> String) {
    if got != want {
        let at = got
            .iter()
            .zip(want)
            .position(|(a, b)| a != b)
            .unwrap_or(got.len().min(want.len()));
        panic!(
            "{}: first difference at byte {at} (got {:#04x?}, want {:#04x?})",
            what(),
            got.get(at),
            want.get(at)
        );
    }
}

/// Copies of every size `0..=MAX_SWEEP` from every source alignment to every
/// destination alignment in `dst_aligns` (inside canaries), through `policy`.
fn sweep_copy(ops: MemOps, policy: CopyPolicy, src_aligns: &[usize], dst_aligns: &[usize]) {
    let mut src = Aligned::new(ALIGNS + MAX_SWEEP, 0);
    src.get_mut()
        .copy_from_slice(&pattern(ALIGNS + MAX_SWEEP, 1));
    let total = GUARD + ALIGNS + MAX_SWEEP + GUARD;
    let mut dst = Aligned::new(total, CANARY);
    let mut want = vec![CANARY; total];
    for n in 0..=MAX_SWEEP {
        for &sa in src_aligns {
            let from = &src.get()[sa..sa + n];
            for &da in dst_aligns {
                let at = GUARD + da;
                want[at..at + n].copy_from_slice(from);
                ops.copy_with(policy, &mut dst.get_mut()[at..at + n], from)
                    .expect("equal lengths");
                assert_bytes(dst.get(), &want, &|| {
                    format!(
                        "{} {policy:?} copy of {n} bytes, src align {sa}, dst align {da}",
                        ops.backend()
                    )
                });
                want[at..at + n].fill(CANARY);
                dst.get_mut()[at..at + n].fill(CANARY);
            }
        }
    }
}

/// Every size `0..=1024` × all 64 source × all 64 destination alignments (4.2 million
/// copies, each checked with canaries; about 2 s per backend in a debug build), then the
/// `InlineSmall` and `NonTemporal` copy policies over every size × every source alignment.
pub fn check_copy_alignments(ops: MemOps) {
    let all: Vec<usize> = (0..ALIGNS).collect();
    sweep_copy(ops, CopyPolicy::Cached, &all, &all);
    sweep_copy(ops, CopyPolicy::InlineSmall, &all, &[0, 1, 31]);
    sweep_copy(ops, CopyPolicy::NonTemporal, &all, &[0, 1, 33]);
}

/// Large copies at random sizes up to 64 MiB (plus exactly 64 MiB), at odd offsets,
/// through the cached and both non-temporal paths.
pub fn check_copy_large(ops: MemOps) {
    const MAX: usize = 64 << 20;
    let src = pattern(MAX + 64, 7);
    let mut dst = vec![CANARY; MAX + 2 * GUARD + 64];
    let mut rng = pattern(64, 99).into_iter();
    let mut sizes = vec![
        MAX,
        arsenal_memops::NT_THRESHOLD,
        arsenal_memops::NT_THRESHOLD + 1,
    ];
    for _ in 0..3 {
        let r = u32::from_le_bytes([0, 0, 0, 0].map(|_| rng.next().unwrap_or(1)));
        sizes.push((r as usize % MAX) + 1);
    }
    for (i, &n) in sizes.iter().enumerate() {
        let (sa, da) = (i * 13 % 64, i * 29 % 64 + 1);
        for policy in [
            CopyPolicy::Cached,
            CopyPolicy::NonTemporalLarge,
            CopyPolicy::NonTemporal,
        ] {
            let at = GUARD + da;
            ops.copy_with(policy, &mut dst[at..at + n], &src[sa..sa + n])
                .expect("equal lengths");
            let what = || format!("{} {policy:?} copy of {n} bytes", ops.backend());
            assert_bytes(&dst[at..at + n], &src[sa..sa + n], &what);
            assert!(dst[..at].iter().all(|&b| b == CANARY), "{}", what());
            assert!(
                dst[at + n..at + n + GUARD].iter().all(|&b| b == CANARY),
                "{}",
                what()
            );
            dst[at..at + n].fill(CANARY);
        }
    }
}

/// Overlapping moves, both directions, every size `0..=1024` × every distance `1..=64`
/// (plus distance 0 and non-overlapping distances), against `copy_within`.
pub fn check_move_overlapping(ops: MemOps) {
    let base = pattern(MAX_SWEEP + 2 * 130, 3);
    let mut buf = base.clone();
    let mut want = base.clone();
    for n in 0..=MAX_SWEEP {
        let span = n + 130;
        for dist in (0..=64).chain([65, 100, 129, 130]) {
            for up in [true, false] {
                let (src, dest) = if up { (1, 1 + dist) } else { (1 + dist, 1) };
                want[..span + 1].copy_from_slice(&base[..span + 1]);
                want.copy_within(src..src + n, dest);
                ops.move_within(&mut buf, src..src + n, dest)
                    .expect("in bounds");
                assert_bytes(&buf, &want, &|| {
                    format!(
                        "{} move of {n} bytes {} by {dist}",
                        ops.backend(),
                        if up { "up" } else { "down" }
                    )
                });
                buf[..span + 1].copy_from_slice(&base[..span + 1]);
            }
        }
    }
    // Large overlapping moves cross the block loops many times.
    let n = 3 << 20;
    let base = pattern(n + 8192, 4);
    for dist in [1usize, 63, 64, 65, 4097] {
        for up in [true, false] {
            let (src, dest) = if up { (0, dist) } else { (dist, 0) };
            let mut got = base.clone();
            let mut want = base.clone();
            want.copy_within(src..src + n, dest);
            ops.move_within(&mut got, src..src + n, dest)
                .expect("in bounds");
            assert_bytes(&got, &want, &|| {
                format!("{} large move by {dist}, up={up}", ops.backend())
            });
        }
    }
}

/// memset: every size `0..=1024` × every destination alignment, inside canaries.
pub fn check_set(ops: MemOps) {
    let total = GUARD + ALIGNS + MAX_SWEEP + GUARD;
    let mut dst = Aligned::new(total, CANARY);
    let mut want = vec![CANARY; total];
    for n in 0..=MAX_SWEEP {
        for da in 0..ALIGNS {
            let value = (n ^ da) as u8 | 1;
            let at = GUARD + da;
            want[at..at + n].fill(value);
            ops.set(&mut dst.get_mut()[at..at + n], value);
            assert_bytes(dst.get(), &want, &|| {
                format!("{} set of {n} bytes at align {da}", ops.backend())
            });
            want[at..at + n].fill(CANARY);
            dst.get_mut()[at..at + n].fill(CANARY);
        }
    }
    let mut big = vec![0u8; (64 << 20) + 3];
    ops.set(&mut big[1..(64 << 20) + 2], 0xC3);
    assert_eq!((big[0], big[(64 << 20) + 2]), (0, 0));
    assert!(big[1..(64 << 20) + 2].iter().all(|&b| b == 0xC3));
}

/// memcmp: every first-difference position of every size `0..=256` in both signs (the
/// bytes differ by `0x80` so a signed comparison would get it wrong); sizes up to 1024
/// with the difference at the first, middle and last byte; every alignment of both
/// inputs for sizes `0..=160`; different lengths.
pub fn check_compare(ops: MemOps) {
    let reference = |a: &[u8], b: &[u8]| a.cmp(b);
    let a = pattern(MAX_SWEEP + ALIGNS, 5);
    let mut b = a.clone();
    let check = |a: &[u8], b: &mut [u8], off: usize, n: usize, k: usize| {
        let orig = b[off + k];
        for flip in [0x80u8, 0x01, 0xFF] {
            b[off + k] = orig ^ flip;
            let (x, y) = (&a[off..off + n], &b[off..off + n]);
            assert_eq!(
                ops.compare(x, y),
                reference(x, y),
                "{} compare of {n} bytes, difference at {k}, align {off}",
                ops.backend()
            );
            assert_eq!(ops.compare(y, x), reference(y, x));
        }
        b[off + k] = orig;
        assert_eq!(
            ops.compare(&a[off..off + n], &b[off..off + n]),
            Ordering::Equal
        );
    };
    for n in 0..=256 {
        for k in 0..n {
            check(&a, &mut b, 0, n, k);
        }
    }
    for n in 257..=MAX_SWEEP {
        for k in [0, n / 2, n - 1] {
            check(&a, &mut b, 3, n, k);
        }
    }
    for n in 1..=160 {
        for off in 0..ALIGNS {
            check(&a, &mut b, off, n, n - 1);
            check(&a, &mut b, off, n, n / 3);
        }
    }
    assert_eq!(ops.compare(b"abc", b"abcd"), Ordering::Less);
    assert_eq!(ops.compare(b"abcd", b"abc"), Ordering::Greater);
    assert_eq!(ops.compare(b"", b""), Ordering::Equal);
}

/// Reference memchr.
fn naive_find(h: &[u8], byte: u8) -> Option<usize> {
    h.iter().position(|&b| b == byte)
}

/// memchr: every needle position of every size `0..=1024` (plus absent) at two
/// alignments, every alignment for sizes `0..=200`, and haystacks over a small alphabet
/// of bytes one bit away from the needle (the cases word-at-a-time tricks get wrong),
/// for needles 0x00, 0x01, 0x7F, 0x80 and 0xFF.
pub fn check_find_byte(ops: MemOps) {
    for needle in [0x00u8, 0x01, 0x7F, 0x80, 0xFF] {
        let filler = needle ^ 0x01;
        let mut h = vec![filler; MAX_SWEEP + ALIGNS];
        for n in 0..=MAX_SWEEP {
            let offs: &[usize] = if n <= 200 {
                &[0, 1, 7, 17, 31, 33, 63]
            } else {
                &[0, 5]
            };
            for &off in offs {
                let hay = &mut h[off..off + n];
                assert_eq!(
                    ops.find_byte(hay, needle),
                    None,
                    "{} absent, {n}",
                    ops.backend()
                );
                for k in 0..n {
                    hay[k] = needle;
                    assert_eq!(
                        ops.find_byte(hay, needle),
                        Some(k),
                        "{} find in {n} bytes at {k}, align {off}, needle {needle:#x}",
                        ops.backend()
                    );
                    hay[k] = filler;
                }
            }
        }
        // Random haystacks over {needle, needle ^ 1, needle ^ 0x80, needle ^ 0xFF, 0x80}.
        let alphabet = [needle ^ 0x01, needle ^ 0x80, needle ^ 0xFF, 0x80, needle];
        let noise = pattern(4096, u64::from(needle) + 11);
        for n in [7usize, 8, 9, 31, 64, 100, 257, 1000, 4000] {
            for start in 0..40 {
                let hay: Vec<u8> = noise[..n]
                    .iter()
                    .enumerate()
                    .map(|(i, &r)| {
                        // Mostly non-needles: the needle appears about once in 40 bytes.
                        let pick = (r as usize + i * start) % 200;
                        alphabet[if pick < 5 { 4 } else { pick % 4 }]
                    })
                    .collect();
                assert_eq!(
                    ops.find_byte(&hay, needle),
                    naive_find(&hay, needle),
                    "{} random haystack {n}/{start}, needle {needle:#x}",
                    ops.backend()
                );
            }
        }
    }
}

/// strlen: every string length `0..=1024` with bytes after the NUL (including more
/// NULs and `0x80`s), at two alignments; no NUL is [`Error::NoNul`]; and `strnlen_raw`.
pub fn check_strlen(ops: MemOps) {
    let mut buf: Vec<u8> = pattern(MAX_SWEEP + 80, 21)
        .into_iter()
        .map(|b| b | 1)
        .collect();
    for n in 0..=MAX_SWEEP {
        for off in [0usize, 3] {
            let end = (off + n + 70).min(buf.len());
            buf[off + n] = 0;
            if off + n + 40 < end {
                buf[off + n + 40] = 0;
            }
            let s = &buf[off..end];
            assert_eq!(
                ops.strlen(s),
                Ok(n),
                "{} strlen {n} align {off}",
                ops.backend()
            );
            // SAFETY: `s` is readable for its length.
            let raw = unsafe { ops.strnlen_raw(s.as_ptr(), s.len()) };
            assert_eq!(raw, n);
            // SAFETY: `n <= s.len()`.
            let bounded = unsafe { ops.strnlen_raw(s.as_ptr(), n) };
            assert_eq!(bounded, n);
            assert_eq!(ops.strlen(&s[..n]), Err(Error::NoNul));
            buf[off + n] = 0x81;
            if off + n + 40 < end {
                buf[off + n + 40] = 0x81;
            }
        }
    }
}

/// Misuse gives errors, never a write.
pub fn check_misuse(ops: MemOps) {
    let mut buf = *b"abcdef";
    assert_eq!(
        ops.copy(&mut buf, b"abc"),
        Err(Error::LengthMismatch { dst: 6, src: 3 })
    );
    assert!(ops.move_within(&mut buf, 4..7, 0).is_err());
    assert!(ops.move_within(&mut buf, 0..3, 4).is_err());
    assert!(ops.move_within(&mut buf, 0..0, 7).is_err());
    assert!(ops
        .move_within(&mut buf, usize::MAX - 1..usize::MAX, 0)
        .is_err());
    #[allow(clippy::reversed_empty_ranges)]
    let backwards = 4..2;
    assert!(ops.move_within(&mut buf, backwards, 0).is_err());
    assert_eq!(&buf, b"abcdef");
    ops.move_within(&mut buf, 6..6, 6)
        .expect("empty move at the end is fine");
    assert!(ops
        .copy_with(CopyPolicy::NonTemporalLarge, &mut buf, b"")
        .is_err());
}

/// Instantiates every suite as `#[test]`s for one backend; tests of a backend this CPU
/// lacks print a note and pass. `$name` names the module.
#[macro_export]
macro_rules! memops_conformance {
    ($name:ident, $backend:expr) => {
        mod $name {
            use $crate::memops as suite;

            fn ops() -> Option<arsenal_memops::MemOps> {
                suite::ops_for($backend)
            }

            #[test]
            fn copy_alignments() {
                if let Some(ops) = ops() {
                    suite::check_copy_alignments(ops);
                }
            }

            #[test]
            fn copy_large() {
                if let Some(ops) = ops() {
                    suite::check_copy_large(ops);
                }
            }

            #[test]
            fn move_overlapping() {
                if let Some(ops) = ops() {
                    suite::check_move_overlapping(ops);
                }
            }

            #[test]
            fn set() {
                if let Some(ops) = ops() {
                    suite::check_set(ops);
                }
            }

            #[test]
            fn compare() {
                if let Some(ops) = ops() {
                    suite::check_compare(ops);
                }
            }

            #[test]
            fn find_byte() {
                if let Some(ops) = ops() {
                    suite::check_find_byte(ops);
                }
            }

            #[test]
            fn strlen() {
                if let Some(ops) = ops() {
                    suite::check_strlen(ops);
                }
            }

            #[test]
            fn misuse() {
                if let Some(ops) = ops() {
                    suite::check_misuse(ops);
                }
            }
        }
    };
}
