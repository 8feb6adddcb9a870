//! The bitmap suite (`arsenal-bitmap`), instantiated once per compressed-bitmap backend
//! by [`bitmap_conformance!`](crate::bitmap_conformance): set algebra, rank and select
//! against a sorted-vector model on sparse, dense and run-heavy sets; the portable
//! Roaring format round-tripped, read and written by the pure-Rust `roaring` crate both
//! ways, and refused when truncated, extended or corrupted. The succinct structures are
//! checked against plain scans.

use std::collections::BTreeSet;

use arsenal_bitmap::{BitVector, Bitmap, EliasFano, WaveletMatrix};

use crate::data::Rng;

/// Sorted, distinct test sets: empty, tiny, sparse over all of `u32`, dense below 2²⁰,
/// runs, and the extremes of the range.
pub fn sets(seed: u64) -> Vec<Vec<u32>> {
    let mut rng = Rng::new(seed);
    let mut out: Vec<Vec<u32>> = vec![
        vec![],
        vec![0],
        vec![u32::MAX],
        vec![0, 1, 65_535, 65_536, u32::MAX - 1, u32::MAX],
        (0..5_000).map(|_| rng.next_u64() as u32).collect(),
        (0..200_000).map(|_| rng.below(1 << 20) as u32).collect(),
        (0..300)
            .flat_map(|_| {
                let s = rng.below(u64::from(u32::MAX) - 5_000) as u32;
                s..s + rng.below(4_000) as u32
            })
            .collect(),
        (0..70_000u32).collect(),
    ];
    for s in &mut out {
        s.sort_unstable();
        s.dedup();
    }
    out
}

fn build<B: Bitmap>(values: &[u32], optimize: bool) -> B {
    let mut b = B::from_slice(values);
    if optimize {
        b.run_optimize();
    }
    b
}

/// Union, intersection, differences (new and in place), cardinalities, membership,
/// rank and select against the model, with and without run containers.
pub fn algebra<B: Bitmap>() {
    let (firsts, seconds) = (sets(1), sets(2));
    for (a, b) in firsts.iter().zip(seconds.iter().rev()) {
        let (ma, mb): (BTreeSet<u32>, BTreeSet<u32>) =
            (a.iter().copied().collect(), b.iter().copied().collect());
        for optimize in [false, true] {
            let (x, y): (B, B) = (build(a, optimize), build(b, optimize));
            assert_eq!(x.len(), a.len() as u64);
            assert_eq!(x.to_vec(), *a);
            let cases: [(B, Vec<u32>); 4] = [
                (x.and(&y), ma.intersection(&mb).copied().collect()),
                (x.or(&y), ma.union(&mb).copied().collect()),
                (x.xor(&y), ma.symmetric_difference(&mb).copied().collect()),
                (x.and_not(&y), ma.difference(&mb).copied().collect()),
            ];
            for (i, (got, want)) in cases.iter().enumerate() {
                assert_eq!(got.to_vec(), *want, "op {i}, optimize {optimize}");
            }
            assert_eq!(x.and_len(&y), cases[0].1.len() as u64);
            let mut z = x.clone();
            z.and_inplace(&y);
            assert_eq!(z, cases[0].0);
            let mut z = x.clone();
            z.or_inplace(&y);
            assert_eq!(z, cases[1].0);
            let mut z = x.clone();
            z.xor_inplace(&y);
            assert_eq!(z, cases[2].0);
            let mut z = x.clone();
            z.and_not_inplace(&y);
            assert_eq!(z, cases[3].0);
            for (i, &v) in a.iter().enumerate().step_by(97) {
                assert!(x.contains(v));
                assert_eq!(x.rank(v), i as u64 + 1);
                assert_eq!(x.select(i as u64), Some(v));
            }
            assert_eq!(x.select(a.len() as u64), None);
            assert_eq!(x.select(u64::MAX), None);
            assert_eq!(x.rank(u32::MAX), a.len() as u64);
        }
    }
    let mut e = B::new();
    assert!(e.is_empty());
    assert!(e.insert(u32::MAX) && !e.insert(u32::MAX));
    assert!(e.remove(u32::MAX) && !e.remove(u32::MAX));
    let collected: B = [3u32, 1, 2, 3].into_iter().collect();
    assert_eq!(collected.to_vec(), [1, 2, 3]);
}

/// The portable format: round trip, and the `roaring` crate reading our bytes and we
/// reading its, on every test set with and without run containers.
#[cfg(feature = "croaring")]
pub fn portable_interop<B: Bitmap>() {
    for values in sets(3) {
        for optimize in [false, true] {
            let ours: B = build(&values, optimize);
            let bytes = ours.serialize_portable();
            assert_eq!(B::deserialize_portable(&bytes).unwrap(), ours);
            let theirs = roaring::RoaringBitmap::deserialize_from(&bytes[..])
                .expect("roaring reads our portable bytes");
            assert!(theirs.iter().eq(values.iter().copied()));
            let mut peer =
                roaring::RoaringBitmap::from_sorted_iter(values.iter().copied()).expect("sorted");
            if optimize {
                peer.optimize();
            }
            let mut peer_bytes = Vec::new();
            peer.serialize_into(&mut peer_bytes).unwrap();
            let back = B::deserialize_portable(&peer_bytes).expect("we read roaring's bytes");
            assert_eq!(back.to_vec(), values);
        }
    }
}

/// Truncations, an extra byte, byte flips and forged headers: an `Err`, or (flips) a
/// bitmap that is internally consistent. Never a panic or a crash.
pub fn corrupt_input<B: Bitmap>() {
    for values in sets(4).into_iter().take(7) {
        let bytes = build::<B>(&values, true).serialize_portable();
        for cut in 0..bytes.len() {
            assert!(B::deserialize_portable(&bytes[..cut]).is_err(), "cut {cut}");
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(B::deserialize_portable(&long).is_err());
        for i in (0..bytes.len()).step_by(bytes.len() / 200 + 1) {
            for bit in [0x01u8, 0x10, 0x80] {
                let mut v = bytes.clone();
                v[i] ^= bit;
                if let Ok(b) = B::deserialize_portable(&v) {
                    let all = b.to_vec();
                    assert_eq!(all.len() as u64, b.len());
                    assert!(all.windows(2).all(|w| w[0] < w[1]));
                }
            }
        }
    }
    // Headers that claim more than the bytes hold: the no-run cookie with 2^32 − 1 and
    // 65 536 containers, the run cookie with 65 536 containers.
    let forged: [&[u8]; 4] = [
        &[0x3a, 0x30, 0, 0, 0xff, 0xff, 0xff, 0xff],
        &[0x3a, 0x30, 0, 0, 0, 0, 1, 0],
        &[0x3b, 0x30, 0xff, 0xff, 0, 0, 0, 0],
        &[],
    ];
    for bytes in forged {
        assert!(B::deserialize_portable(bytes).is_err(), "{bytes:?}");
    }
}

/// Rank and select of a 2²⁰-bit vector at densities 1, 50 and 99 % against a scan,
/// every query at the ends and past them.
pub fn bit_vector() {
    let mut rng = Rng::new(9);
    for density in [1u64, 50, 99] {
        let bits: Vec<bool> = (0..1 << 20).map(|_| rng.below(100) < density).collect();
        let bv = BitVector::from_bits(bits.iter().copied());
        let (mut ones, mut zeros) = (Vec::new(), Vec::new());
        for (i, &b) in bits.iter().enumerate() {
            if b {
                ones.push(i)
            } else {
                zeros.push(i)
            }
        }
        assert_eq!(bv.count_ones(), ones.len());
        for (k, &p) in ones.iter().enumerate().step_by(13) {
            assert_eq!(bv.select1(k), Some(p));
            assert_eq!(bv.rank1(p), k);
            assert_eq!(bv.rank1(p + 1), k + 1);
        }
        for (k, &p) in zeros.iter().enumerate().step_by(13) {
            assert_eq!(bv.select0(k), Some(p));
            assert_eq!(bv.rank0(p), k);
        }
        assert_eq!(bv.select1(ones.len()), None);
        assert_eq!(bv.select0(zeros.len()), None);
        assert_eq!(bv.rank1(usize::MAX), ones.len());
    }
    assert!(BitVector::from_words(vec![0], 65).is_err());
    assert!(BitVector::from_words(Vec::new(), usize::MAX).is_err());
}

/// Elias–Fano and the wavelet matrix against a sorted array and a scan.
pub fn sequences() {
    let mut rng = Rng::new(10);
    let mut values: Vec<u64> = (0..200_000).map(|_| rng.below(1 << 40)).collect();
    values.sort_unstable();
    let ef = EliasFano::new(&values).unwrap();
    for i in (0..values.len()).step_by(7) {
        assert_eq!(ef.get(i), Some(values[i]));
    }
    for _ in 0..20_000 {
        let x = rng.below(1 << 40);
        let i = values.partition_point(|&v| v < x);
        assert_eq!(ef.next_geq(x), values.get(i).map(|&v| (i, v)));
        assert_eq!(ef.rank(x), i);
    }
    assert!(EliasFano::new(&[5, 4]).is_err());
    let seq: Vec<u64> = (0..100_000).map(|_| rng.below(300)).collect();
    let wm = WaveletMatrix::new(&seq).unwrap();
    for c in [0u64, 7, 299, 300, u64::MAX] {
        let positions: Vec<usize> = (0..seq.len()).filter(|&i| seq[i] == c).collect();
        for (k, &p) in positions.iter().enumerate().step_by(5) {
            assert_eq!(wm.select(c, k), Some(p));
            assert_eq!(wm.rank(c, p), k);
        }
        assert_eq!(wm.select(c, positions.len()), None);
        assert_eq!(wm.rank(c, usize::MAX), positions.len());
    }
    for i in (0..seq.len()).step_by(11) {
        assert_eq!(wm.get(i), Some(seq[i]));
    }
}

/// Instantiates the compressed-bitmap suite for one backend type.
#[macro_export]
macro_rules! bitmap_conformance {
    ($name:ident, $type:ty) => {
        mod $name {
            use $crate::bitmap as suite;

            #[test]
            fn algebra() {
                suite::algebra::<$type>();
            }

            #[cfg(feature = "croaring")]
            #[test]
            fn portable_interop() {
                suite::portable_interop::<$type>();
            }

            #[test]
            fn corrupt_input() {
                suite::corrupt_input::<$type>();
            }
        }
    };
}
