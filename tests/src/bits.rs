//! The bits suite (`arsenal-bits`): every [`BitOps`] backend against naive reference
//! loops, by [`bits_conformance!`](crate::bits_conformance): `pext`/`pdep` on every pair
//! of 8-bit operands, every 16-bit value under a set of masks, a strided grid of 16-bit
//! pairs and random 64-bit pairs of every mask density; word `select` on every 16-bit
//! value and every rank; slice popcounts and `and`/`or`/`xor` counts on every length
//! 0..=300 at unaligned starts; rank/select indexes on arrays of edge lengths; mismatched
//! lengths → `Err`. [`scalar_ops`] checks the [`Bits`] trait on every `u8` and `u16`.
use arsenal_bits::{Backend, BitArray, BitOps, Bits, ErrorKind, RankSelect};

use crate::data::rng;

/// `pext` by the definition: a loop over the mask's set bits.
pub fn pext_ref(value: u64, mask: u64) -> u64 {
    let (mut out, mut k, mut m) = (0u64, 0, mask);
    while m != 0 {
        let bit = m.trailing_zeros();
        out |= ((value >> bit) & 1) << k;
        k += 1;
        m &= m - 1;
    }
    out
}

/// `pdep` by the definition.
pub fn pdep_ref(value: u64, mask: u64) -> u64 {
    let (mut out, mut k, mut m) = (0u64, 0, mask);
    while m != 0 {
        let bit = m.trailing_zeros();
        out |= ((value >> k) & 1) << bit;
        k += 1;
        m &= m - 1;
    }
    out
}

/// The `k`-th set bit by clearing the lowest set bit `k` times.
pub fn select_ref(word: u64, k: u32) -> Option<u32> {
    let mut w = word;
    for _ in 0..k {
        if w == 0 {
            return None;
        }
        w &= w - 1;
    }
    (w != 0).then(|| w.trailing_zeros())
}

/// Ones by scanning every bit.
fn ones_ref(word: u64) -> u64 {
    (0..64).map(|i| word >> i & 1).sum()
}

/// The backend's ops; when the backend does not run here, checks that asking for it is
/// an `Unsupported` error and returns `None`.
pub fn ops_or_unsupported(backend: Backend) -> Option<BitOps> {
    match BitOps::new(backend) {
        Ok(ops) => {
            assert!(backend.is_available());
            assert_eq!(ops.backend(), backend);
            assert_eq!(ops.pext_pdep_backend(), backend);
            Some(ops)
        }
        Err(e) => {
            assert!(!backend.is_available(), "{backend}: {e}");
            assert_eq!(e.kind(), ErrorKind::Unsupported);
            eprintln!("bits: backend {backend} does not run on this CPU ({e})");
            None
        }
    }
}

fn check_pairs(ops: &BitOps, values: &[u64], masks: &[u64]) {
    let mut out = vec![0u64; values.len()];
    ops.pext_many(values, masks, &mut out).unwrap();
    for ((&v, &m), &got) in values.iter().zip(masks).zip(&out) {
        assert_eq!(got, pext_ref(v, m), "pext_many({v:#x}, {m:#x})");
    }
    ops.pdep_many(values, masks, &mut out).unwrap();
    for ((&v, &m), &got) in values.iter().zip(masks).zip(&out) {
        assert_eq!(got, pdep_ref(v, m), "pdep_many({v:#x}, {m:#x})");
    }
    for (&v, &m) in values.iter().zip(masks).step_by(7) {
        assert_eq!(ops.pext(v, m), pext_ref(v, m), "pext({v:#x}, {m:#x})");
        assert_eq!(ops.pdep(v, m), pdep_ref(v, m), "pdep({v:#x}, {m:#x})");
        assert_eq!(
            ops.pdep(ops.pext(v, m), m),
            v & m,
            "round trip {v:#x} {m:#x}"
        );
    }
}

/// `pext`/`pdep` on every pair of 8-bit operands.
pub fn pext_pdep_u8(ops: &BitOps) {
    let (values, masks): (Vec<u64>, Vec<u64>) = (0..1u64 << 16).map(|p| (p & 0xFF, p >> 8)).unzip();
    check_pairs(ops, &values, &masks);
}

/// `pext`/`pdep` on every 16-bit value under 24 masks (edges and random), and a strided
/// grid of 16-bit pairs (every 61st value × every 97th mask).
pub fn pext_pdep_u16(ops: &BitOps) {
    let mut next = rng(16);
    let mut mask_set: Vec<u64> = vec![
        0, 0xFFFF, 0xAAAA, 0x5555, 0x8001, 0x0FF0, 0xF00F, 0x1, 0x8000, 0x7FFE,
    ];
    mask_set.extend((0..14).map(|_| next() & 0xFFFF));
    let mut values = Vec::new();
    let mut masks = Vec::new();
    for &m in &mask_set {
        for v in 0..1u64 << 16 {
            values.push(v);
            masks.push(m);
        }
    }
    for m in (0..1u64 << 16).step_by(97) {
        for v in (0..1u64 << 16).step_by(61) {
            values.push(v);
            masks.push(m);
        }
    }
    check_pairs(ops, &values, &masks);
}

/// `pext`/`pdep` on random 64-bit pairs whose masks range from sparse to dense, and on
/// the edge masks (0, all ones, single bits, halves).
pub fn pext_pdep_u64(ops: &BitOps) {
    let mut next = rng(64);
    let mut values = Vec::new();
    let mut masks = Vec::new();
    for i in 0..60_000 {
        let v = next();
        let m = match i % 6 {
            0 => next(),
            1 => next() & next() & next(),
            2 => next() | next() | next(),
            3 => 1u64 << (next() % 64),
            4 => !(1u64 << (next() % 64)),
            _ => next() & next(),
        };
        values.push(v);
        masks.push(m);
    }
    for m in [
        0,
        u64::MAX,
        1,
        1 << 63,
        0xFFFF_FFFF,
        0xFFFF_FFFF_0000_0000,
        0x5555_5555_5555_5555,
    ] {
        for v in [0, u64::MAX, 0x0123_4567_89AB_CDEF, 1, 1 << 63] {
            values.push(v);
            masks.push(m);
        }
    }
    check_pairs(ops, &values, &masks);
    let mut out = [0u64; 2];
    for bad in [
        ops.pext_many(&[1, 2], &[1], &mut out),
        ops.pdep_many(&[1, 2], &[1, 2], &mut out[..1]),
    ] {
        assert_eq!(bad.unwrap_err().kind(), ErrorKind::Length);
    }
}

/// Word `select` on every 16-bit value (shifted to three places) and every rank
/// 0..=17, random 64-bit words at every rank 0..=64, and ranks up to `u32::MAX`.
pub fn select_in_word(ops: &BitOps) {
    for v in 0..1u64 << 16 {
        for shift in [0, 24, 48] {
            let w = v << shift;
            for k in 0..=17 {
                assert_eq!(
                    ops.select_in_word(w, k),
                    select_ref(w, k),
                    "select({w:#x}, {k})"
                );
            }
        }
    }
    let mut next = rng(7);
    for _ in 0..2_000 {
        let w = next() & next().rotate_left(7);
        for k in 0..=64 {
            assert_eq!(
                ops.select_in_word(w, k),
                select_ref(w, k),
                "select({w:#x}, {k})"
            );
        }
    }
    for k in [64, 65, u32::MAX] {
        assert_eq!(ops.select_in_word(u64::MAX, k), None);
    }
    assert_eq!(ops.select_in_word(u64::MAX, 63), Some(63));
}

/// Slice popcounts (`u64` and bytes) and the two-slice counts on every length 0..=300
/// at every start offset 0..8 (bytes) or 0..4 (words), against per-bit counts.
pub fn slices(ops: &BitOps) {
    let mut next = rng(300);
    let a: Vec<u64> = (0..310).map(|_| next()).collect();
    let b: Vec<u64> = (0..310)
        .map(|i| if i % 5 == 0 { u64::MAX } else { next() })
        .collect();
    let bytes: Vec<u8> = a.iter().flat_map(|w| w.to_le_bytes()).collect();
    // Prefix sums of per-bit counts: the reference count of any range is a difference.
    let prefix = |count: &dyn Fn(usize) -> u64, n: usize| {
        let mut sums = vec![0u64; n + 1];
        for i in 0..n {
            sums[i + 1] = sums[i] + count(i);
        }
        sums
    };
    let single = prefix(&|i| ones_ref(a[i]), a.len());
    let and = prefix(&|i| ones_ref(a[i] & b[i]), a.len());
    let or = prefix(&|i| ones_ref(a[i] | b[i]), a.len());
    let xor = prefix(&|i| ones_ref(a[i] ^ b[i]), a.len());
    let byte_sums = prefix(&|i| ones_ref(u64::from(bytes[i])), bytes.len());
    for len in 0..=300usize {
        for start in 0..4 {
            let end = start + len;
            let (x, y) = (&a[start..end], &b[start..end]);
            let want = |sums: &[u64]| sums[end] - sums[start];
            assert_eq!(
                ops.popcount(x),
                want(&single),
                "popcount len {len} start {start}"
            );
            assert_eq!(ops.and_count(x, y).unwrap(), want(&and), "and len {len}");
            assert_eq!(ops.or_count(x, y).unwrap(), want(&or), "or len {len}");
            assert_eq!(ops.xor_count(x, y).unwrap(), want(&xor), "xor len {len}");
        }
        for start in 0..8 {
            let x = &bytes[start..start + len];
            let want = byte_sums[start + len] - byte_sums[start];
            assert_eq!(ops.popcount_bytes(x), want, "bytes len {len} start {start}");
        }
    }
    // Longer byte runs (the 512-byte blocks of the AVX2 Harley–Seal loop), unaligned.
    for len in [511, 512, 513, 1023, 1536, 2000, 2470] {
        for start in [0, 1, 3, 7] {
            let end = (start + len).min(bytes.len());
            let want = byte_sums[end] - byte_sums[start];
            let got = ops.popcount_bytes(&bytes[start..end]);
            assert_eq!(got, want, "bytes {start}..{end}");
        }
    }
    let ones = vec![u64::MAX; 1000];
    assert_eq!(ops.popcount(&ones), 64_000);
    assert_eq!(ops.popcount_bytes(&[0xFF; 4099]), 8 * 4099);
    assert_eq!(ops.xor_count(&ones, &ones).unwrap(), 0);
    for bad in [
        ops.and_count(&a[..3], &b[..4]),
        ops.or_count(&a[..1], &[]),
        ops.xor_count(&[], &b[..2]),
    ] {
        assert_eq!(bad.unwrap_err().kind(), ErrorKind::Length);
    }
}

/// Rank and select through a [`RankSelect`] index built with `ops`, on arrays of edge
/// lengths (0, 1, 63…65, 511…513, 5000, 70000: many select hints) and densities, at every
/// position and rank.
pub fn rank_select(ops: &BitOps) {
    let mut next = rng(512);
    for len in [0usize, 1, 63, 64, 65, 511, 512, 513, 1000, 5000, 70_000] {
        for density in [0u64, 1, 50, 99, 100] {
            let bits: BitArray = (0..len).map(|_| next() % 100 < density).collect();
            let positions: Vec<usize> = (0..len).filter(|&i| bits.get(i) == Some(true)).collect();
            let index = RankSelect::new(&bits, *ops);
            assert_eq!(index.count_ones(), positions.len() as u64);
            let mut rank = 0u64;
            for i in 0..=len {
                assert_eq!(index.rank(i), Some(rank), "rank({i}) of {len} bits");
                if i < len && bits.get(i) == Some(true) {
                    rank += 1;
                }
            }
            assert_eq!(index.rank(len + 1), None);
            assert_eq!(index.rank(usize::MAX), None);
            for (k, &p) in positions.iter().enumerate() {
                assert_eq!(index.select(k as u64), Some(p), "select({k}) of {len} bits");
            }
            assert_eq!(index.select(positions.len() as u64), None);
            assert_eq!(index.select(u64::MAX), None);
        }
    }
}

/// The [`Bits`] trait on every `u8` and `u16` (and random `u32`/`u64`) against loops:
/// counts, swaps, reversal, `select`, and `pext`/`pdep` under a few masks.
pub fn scalar_ops() {
    fn check<T: Bits + Into<u64>>(x: T, masks: &[T]) {
        let bits = T::BITS;
        let v: u64 = x.into();
        let clz = (0..bits).rev().take_while(|i| v >> i & 1 == 0).count() as u32;
        let ctz = (0..bits).take_while(|i| v >> i & 1 == 0).count() as u32;
        assert_eq!(x.clz(), clz, "clz {v:#x}");
        assert_eq!(x.ctz(), ctz, "ctz {v:#x}");
        assert_eq!(u64::from(x.popcount()), ones_ref(v), "popcount {v:#x}");
        let swapped = (0..bits / 8).fold(0u64, |acc, i| {
            acc | ((v >> (8 * i)) & 0xFF) << (bits - 8 - 8 * i)
        });
        assert_eq!(x.bswap().into(), swapped, "bswap {v:#x}");
        let reversed = (0..bits).fold(0u64, |acc, i| acc | ((v >> i) & 1) << (bits - 1 - i));
        assert_eq!(x.bit_reverse().into(), reversed, "bit_reverse {v:#x}");
        for k in [0, 1, bits / 2, bits - 1, bits] {
            assert_eq!(x.select(k), select_ref(v, k), "select {v:#x} {k}");
        }
        for &m in masks {
            let mm: u64 = m.into();
            assert_eq!(x.pext(m).into(), pext_ref(v, mm), "pext {v:#x} {mm:#x}");
            assert_eq!(x.pdep(m).into(), pdep_ref(v, mm), "pdep {v:#x} {mm:#x}");
        }
    }
    for x in 0..=u8::MAX {
        check(x, &[0, 0xFF, 0xA5, x]);
    }
    for x in 0..=u16::MAX {
        check(x, &[0xF00F, x.rotate_left(3)]);
    }
    let mut next = rng(32);
    for _ in 0..5_000 {
        check(next() as u32, &[next() as u32]);
        check(next(), &[next(), u64::MAX]);
    }
}

/// Instantiates the bits suite for one backend (a [`Backend`] value); on a CPU without
/// the backend every test checks that asking for it is an `Unsupported` error.
#[macro_export]
macro_rules! bits_conformance {
    ($name:ident, $backend:expr) => {
        mod $name {
            fn ops() -> Option<arsenal_bits::BitOps> {
                $crate::bits::ops_or_unsupported($backend)
            }

            #[test]
            fn pext_pdep_every_u8_pair() {
                if let Some(ops) = ops() {
                    $crate::bits::pext_pdep_u8(&ops);
                }
            }

            #[test]
            fn pext_pdep_u16() {
                if let Some(ops) = ops() {
                    $crate::bits::pext_pdep_u16(&ops);
                }
            }

            #[test]
            fn pext_pdep_random_u64() {
                if let Some(ops) = ops() {
                    $crate::bits::pext_pdep_u64(&ops);
                }
            }

            #[test]
            fn select_in_word() {
                if let Some(ops) = ops() {
                    $crate::bits::select_in_word(&ops);
                }
            }

            #[test]
            fn slice_popcounts() {
                if let Some(ops) = ops() {
                    $crate::bits::slices(&ops);
                }
            }

            #[test]
            fn rank_select() {
                if let Some(ops) = ops() {
                    $crate::bits::rank_select(&ops);
                }
            }
        }
    };
}
