//! Bit-operation rows of the matrix: `bits/<op>/<dataset>/<impl>`.
//!
//! | op | datasets | one iteration | unit | verified |
//! |---|---|---|---|---|
//! | `pext`, `pdep` | `dense-4096` (4096 random value/mask pairs, masks ~50 % set), `sparse-4096` (masks ~12.5 % set) | every pair into a reused output array, then a checksum of it | ns per pair | the checksum = that of a bit-by-bit loop's outputs |
//! | `popcount` | `4KiB`, `1MiB` of random `u64` words | the count | GB/s | = the sum of `count_ones` computed once |
//! | `popcount-bytes` | `1MiB` of random bytes | the count | GB/s | the same |
//! | `and-count` | `1MiB` + `1MiB` of random words | popcount of `a & b` | GB/s (both inputs) | the same |
//! | `rank`, `select` | `bits-2^20` (2²⁰ random bits, density 50 %) | 10⁵ random queries, answers summed | ns per query | = the sum from a prefix-count table |
//!
//! Impls: `arsenal:portable`, `arsenal:bmi2`, `arsenal:avx2`, `arsenal:avx512`
//! ([`arsenal_bits::BitOps::new`] of each backend; a backend this CPU lacks is
//! `unsupported`). The AVX2 and AVX-512 backends run the BMI2 kernels for `pext`, `pdep`
//! and word `select`, so those rows list `portable` and `bmi2` only; `select` uses a
//! [`RankSelect`] index built with each backend's kernels, `rank` one cell
//! `arsenal:auto` ([`BitArray::rank_select`]: rank's code is the same in every backend). Peers: `peer:std` (the loop a
//! user writes: `count_ones` per word or byte, compiled for the build's target CPU),
//! `peer:core-arch` (`core::arch::x86_64::_pext_u64`/`_pdep_u64` in a
//! `#[target_feature(enable = "bmi2")]` loop), `peer:bitintr` (`bitintr::Pext`/`Pdep`:
//! the instruction when the build enables BMI2, its software loop otherwise),
//! `peer:bitvec` (`BitSlice::count_ones`), `peer:vers-vecs` (`RsVec::rank1`/`select1`,
//! with its BMI2 and popcnt paths under `target-cpu=native`).

use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use arsenal_bits::{Backend, BitArray, BitOps, RankSelect};

use crate::domain::{Domain, Selection};
use crate::harness::{rng, Case, Registry};
use crate::report::Unit;
use crate::strategy::pick;

const NAME: &str = "bits";

/// The bit-operations domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Bit operations",
    register,
    unit,
    select: Some(Selection {
        krate: "arsenal-bits",
        pick: pick::<arsenal_bits::Backend>,
    }),
    ..Domain::EMPTY
};

fn unit(op: &str) -> Option<Unit> {
    Some(match op {
        "pext" | "pdep" | "rank" | "select" => Unit::NanosPerItem,
        _ => Unit::GigabytesPerSecond,
    })
}

fn arsenal(b: Backend) -> String {
    format!("arsenal:{b}")
}

/// The backend's ops, or the `unsupported` cell saying why not.
fn ops_or_unsupported(reg: &mut Registry, op: &str, dataset: &str, b: Backend) -> Option<BitOps> {
    match BitOps::new(b) {
        Ok(ops) => Some(ops),
        Err(e) => {
            reg.add(Case::unsupported(
                NAME,
                op,
                dataset,
                arsenal(b),
                e.to_string(),
            ));
            None
        }
    }
}

/// A position-sensitive checksum of the outputs: a flipped bit or two swapped outputs
/// change it. A sum of independent terms (vectorised), so that the checksum, timed with
/// every iteration, costs well under the operations it checks.
fn fold(out: &[u64]) -> u64 {
    out.iter().enumerate().fold(0u64, |acc, (i, &x)| {
        acc.wrapping_add(x ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
    })
}

fn pext_loop(value: u64, mask: u64, deposit: bool) -> u64 {
    let (mut out, mut k, mut m) = (0u64, 0, mask);
    while m != 0 {
        let bit = m.trailing_zeros();
        if deposit {
            out |= ((value >> k) & 1) << bit;
        } else {
            out |= ((value >> bit) & 1) << k;
        }
        k += 1;
        m &= m - 1;
    }
    out
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "bmi2")]
fn core_arch_many(values: &[u64], masks: &[u64], out: &mut [u64], deposit: bool) {
    use core::arch::x86_64::{_pdep_u64, _pext_u64};
    for ((o, &v), &m) in out.iter_mut().zip(values).zip(masks) {
        *o = if deposit {
            _pdep_u64(v, m)
        } else {
            _pext_u64(v, m)
        };
    }
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    register_pext_pdep(reg);
    register_popcounts(reg);
    register_rank_select(reg);
}

/// A whole-array `pext` or `pdep`: (values, masks, out). One call per iteration, so the
/// box's indirect call is amortised over the 4096 pairs.
type ManyFn = Box<dyn FnMut(&[u64], &[u64], &mut [u64])>;

fn register_pext_pdep(reg: &mut Registry) {
    const N: usize = 4096;
    for (dataset, sparse) in [("dense-4096", false), ("sparse-4096", true)] {
        let mut next = rng(if sparse { 21 } else { 22 });
        let values: Rc<Vec<u64>> = Rc::new((0..N).map(|_| next()).collect());
        let masks: Rc<Vec<u64>> = Rc::new(
            (0..N)
                .map(|_| {
                    if sparse {
                        next() & next() & next()
                    } else {
                        next()
                    }
                })
                .collect(),
        );
        for (op, deposit) in [("pext", false), ("pdep", true)] {
            let want_out: Vec<u64> = values
                .iter()
                .zip(masks.iter())
                .map(|(&v, &m)| pext_loop(v, m, deposit))
                .collect();
            let want = fold(&want_out);
            let cell = |imp: String, mut run: ManyFn| {
                let (v, m) = (values.clone(), masks.clone());
                let mut out = vec![0u64; N];
                Case::new(NAME, op, dataset, imp, 0, N as u64, move || {
                    run(black_box(&v), black_box(&m), &mut out);
                    fold(&out)
                })
                .expect(want)
            };
            for b in [Backend::Portable, Backend::Bmi2] {
                let Some(ops) = ops_or_unsupported(reg, op, dataset, b) else {
                    continue;
                };
                reg.add(cell(
                    arsenal(b),
                    Box::new(move |v, m, out| {
                        let done = if deposit {
                            ops.pdep_many(v, m, out)
                        } else {
                            ops.pext_many(v, m, out)
                        };
                        done.expect("equal lengths");
                    }),
                ));
            }
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("bmi2") {
                reg.add(cell(
                    "peer:core-arch".to_owned(),
                    Box::new(move |v, m, out| {
                        // SAFETY: BMI2 detected above.
                        unsafe { core_arch_many(v, m, out, deposit) }
                    }),
                ));
            } else {
                reg.add(Case::unsupported(
                    NAME,
                    op,
                    dataset,
                    "peer:core-arch",
                    "no BMI2",
                ));
            }
            reg.add(cell(
                "peer:bitintr".to_owned(),
                Box::new(move |v, m, out| {
                    use bitintr::{Pdep, Pext};
                    for ((o, &x), &y) in out.iter_mut().zip(v).zip(m) {
                        *o = if deposit { x.pdep(y) } else { x.pext(y) };
                    }
                }),
            ));
        }
    }
}

const BACKENDS: [Backend; 4] = [
    Backend::Portable,
    Backend::Bmi2,
    Backend::Avx2,
    Backend::Avx512,
];

fn register_popcounts(reg: &mut Registry) {
    for (dataset, bytes) in [("4KiB", 4096usize), ("1MiB", 1 << 20)] {
        let mut next = rng(31);
        let words: Rc<Vec<u64>> = Rc::new((0..bytes / 8).map(|_| next()).collect());
        let want: u64 = words.iter().map(|w| u64::from(w.count_ones())).sum();
        let n = bytes as u64;
        let w = words.clone();
        let ours = move |ops: BitOps| {
            let w = w.clone();
            move || ops.popcount(black_box(&w))
        };
        let w = words.clone();
        let peer = move || {
            black_box(&w)
                .iter()
                .map(|x| u64::from(x.count_ones()))
                .sum()
        };
        count_cells(reg, "popcount", dataset, n, want, ours, peer);
        let w = words.clone();
        reg.add(
            Case::new(NAME, "popcount", dataset, "peer:bitvec", n, 1, move || {
                use bitvec::prelude::*;
                black_box(&w).view_bits::<Lsb0>().count_ones() as u64
            })
            .expect(want),
        );
    }

    let dataset = "1MiB";
    let mut next = rng(32);
    let bytes: Rc<Vec<u8>> = Rc::new((0..1 << 20).map(|_| next() as u8).collect());
    let want: u64 = bytes.iter().map(|b| u64::from(b.count_ones())).sum();
    let x = bytes.clone();
    let ours = move |ops: BitOps| {
        let x = x.clone();
        move || ops.popcount_bytes(black_box(&x))
    };
    let peer = move || {
        black_box(&bytes)
            .iter()
            .map(|b| u64::from(b.count_ones()))
            .sum()
    };
    count_cells(reg, "popcount-bytes", dataset, 1 << 20, want, ours, peer);

    let a: Rc<Vec<u64>> = Rc::new((0..1 << 17).map(|_| next()).collect());
    let b2: Rc<Vec<u64>> = Rc::new((0..1 << 17).map(|_| next()).collect());
    let want: u64 = a
        .iter()
        .zip(b2.iter())
        .map(|(x, y)| u64::from((x & y).count_ones()))
        .sum();
    let (x, y) = (a.clone(), b2.clone());
    let ours = move |ops: BitOps| {
        let (x, y) = (x.clone(), y.clone());
        move || {
            ops.and_count(black_box(&x), black_box(&y))
                .expect("equal lengths")
        }
    };
    let peer = move || {
        black_box(&a)
            .iter()
            .zip(black_box(&b2).iter())
            .map(|(p, q)| u64::from((p & q).count_ones()))
            .sum()
    };
    count_cells(reg, "and-count", dataset, 2 << 20, want, ours, peer);
}

/// One slice count's cells over `bytes` bytes: every backend's (`ours(ops)` is
/// its timed closure) and `peer:std`'s, each checked against `want` (computed by the
/// caller outside timing).
fn count_cells<F: FnMut() -> u64 + 'static>(
    reg: &mut Registry,
    op: &str,
    dataset: &str,
    bytes: u64,
    want: u64,
    ours: impl Fn(BitOps) -> F,
    peer: impl FnMut() -> u64 + 'static,
) {
    for b in BACKENDS {
        let Some(ops) = ops_or_unsupported(reg, op, dataset, b) else {
            continue;
        };
        reg.add(Case::new(NAME, op, dataset, arsenal(b), bytes, 1, ours(ops)).expect(want));
    }
    reg.add(Case::new(NAME, op, dataset, "peer:std", bytes, 1, peer).expect(want));
}

/// Queries per rank or select cell.
const QUERIES: usize = 100_000;

fn register_rank_select(reg: &mut Registry) {
    const N: usize = 1 << 20;
    let dataset = "bits-2^20";
    let mut next = rng(41);
    let words: Vec<u64> = (0..N / 64).map(|_| next()).collect();
    let mut before = Vec::with_capacity(words.len() + 1);
    let mut acc = 0u64;
    for w in &words {
        before.push(acc);
        acc += u64::from(w.count_ones());
    }
    let ones = acc;
    let rank_ref = |i: usize| {
        before[i / 64] + u64::from((words[i / 64] & ((1u64 << (i % 64)) - 1)).count_ones())
    };
    let select_ref = |k: u64| {
        let w = before.partition_point(|&b| b <= k) - 1;
        let mut x = words[w];
        for _ in 0..k - before[w] {
            x &= x - 1;
        }
        (w * 64) as u64 + u64::from(x.trailing_zeros())
    };
    let rq: Rc<Vec<usize>> = Rc::new((0..QUERIES).map(|_| (next() % N as u64) as usize).collect());
    let sq: Rc<Vec<u64>> = Rc::new((0..QUERIES).map(|_| next() % ones).collect());
    let rank_want: u64 = rq.iter().map(|&i| rank_ref(i)).sum();
    let select_want: u64 = sq.iter().map(|&k| select_ref(k)).sum();

    // The index borrows its array: the array lives as long as the process (one 128 KiB
    // array per run of the benchmark).
    let bits: &'static BitArray = Box::leak(Box::new(
        BitArray::from_words(words.clone(), N).expect("whole words"),
    ));
    // Rank does not depend on the backend (one table read and inline `count_ones` over
    // at most 8 words): one cell, with the default kernels. Select's last step is the
    // backend's word select (`pdep` + `tzcnt` with BMI2, by bytes in portable Rust).
    let index = Rc::new(bits.rank_select());
    let q = rq.clone();
    reg.add(query_case(
        "rank",
        dataset,
        "arsenal:auto",
        rank_want,
        move || q.iter().map(|&i| index.rank(i).unwrap_or(0)).sum(),
    ));
    for b in [Backend::Portable, Backend::Bmi2] {
        let Some(ops) = ops_or_unsupported(reg, "select", dataset, b) else {
            continue;
        };
        let index = RankSelect::new(bits, ops);
        let q = sq.clone();
        reg.add(query_case(
            "select",
            dataset,
            arsenal(b),
            select_want,
            move || {
                q.iter()
                    .map(|&k| index.select(k).map_or(0, |p| p as u64))
                    .sum()
            },
        ));
    }
    let vers = Rc::new(vers_vecs::RsVec::from_bit_vec(
        vers_vecs::BitVec::from_limbs(&words),
    ));
    let (v2, q) = (vers.clone(), rq.clone());
    reg.add(query_case(
        "rank",
        dataset,
        "peer:vers-vecs",
        rank_want,
        move || q.iter().map(|&i| v2.rank1(i) as u64).sum(),
    ));
    let q = sq.clone();
    reg.add(query_case(
        "select",
        dataset,
        "peer:vers-vecs",
        select_want,
        move || q.iter().map(|&k| vers.select1(k as usize) as u64).sum(),
    ));
}

/// A rank or select cell of [`QUERIES`] queries, checked against `want` (the reference
/// answers' sum, computed outside timing from the words by plain counting).
fn query_case(
    op: &str,
    dataset: &str,
    imp: impl Into<String>,
    want: u64,
    run: impl FnMut() -> u64 + 'static,
) -> Case {
    Case::new(NAME, op, dataset, imp, 0, QUERIES as u64, run).expect(want)
}
