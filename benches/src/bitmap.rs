//! Bitmap and succinct-structure rows of the matrix: `bitmap/<op>/<dataset>/<impl>`.
//!
//! **Compressed bitmaps** (`u32` sets), datasets: `dense-1e6` (10⁶ random values below
//! 2²³, bitmap containers), `sparse-1e5` (10⁵ random values over all of `u32`, array
//! containers), `runs-1e6` (10⁴ runs of 100, run containers after `run_optimize`), and
//! with `arsenal-bench --large` `dense-1e7` (10⁷ random values below 2²⁶). Ops:
//! `and`, `or`, `xor` of two independent sets of the dataset's kind (checksum: the
//! result's cardinality, equal to the sorted-vector answer computed outside the timing),
//! `contains` (10⁶ probes, half present: the hits), `serialize` (the portable format:
//! its length, and the other implementation must read it back equal), `deserialize`
//! (validated: the cardinality). Impls: `arsenal:croaring` ([`arsenal_bitmap::CRoaring`]),
//! `raw:croaring` (croaring-sys called directly: the same C calls; its `deserialize` is
//! CRoaring's advice for untrusted bytes, `portable_deserialize_safe` then
//! `internal_validate`, without our trailing-bytes check),
//! `peer:roaring` (the `roaring` crate, pure Rust, its validating `deserialize_from`).
//!
//! **Succinct structures**, `arsenal:native` vs `peer:vers-vecs` and `peer:sucds`
//! (`Rank9Sel` with select hints, their `EliasFano`, `WaveletMatrix`): `rank1` and
//! `select1` (10⁶ random queries on 2²⁴ random bits at density 50 %), `ef-get` and
//! `ef-successor` (10⁶ queries on 10⁶ sorted values below 2³², `sorted-1e6`; on 10⁷
//! with `--large`, `sorted-1e7`), `wm-access` and `wm-rank`
//! (10⁶ queries on 10⁶ values below 2¹⁶). Each cell's checksum is the sum of its answers,
//! equal to the sum computed with a plain prefix-count table or sorted array outside the
//! timing. `vers-vecs` asks for BMI2 and popcnt target features (`scripts/bench --native`
//! gives them; the portable build runs its fallbacks).
//!
//! **Memory rows** `bitmap/memory/<dataset>/<impl>`: heap bytes per value held by each
//! bitmap of the dataset.

use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use arsenal_bitmap::{BitVector, Bitmap, CRoaring, EliasFano, WaveletMatrix};
use croaring_sys as ffi;

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_by;
use crate::harness::{rng, Case, Registry};
use crate::report::MemoryRow;
use crate::strategy::pick;

const NAME: &str = "bitmap";

/// The bitmap domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Compressed bitmaps and succinct structures",
    register,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-bitmap",
        pick: pick::<arsenal_bitmap::Backend>,
    }),
    ..Domain::EMPTY
};

/// A sorted, deduplicated set of the dataset's kind.
fn set(kind: &str, seed: u64) -> Vec<u32> {
    let mut next = rng(seed);
    let mut v: Vec<u32> = match kind {
        "dense-1e6" => (0..1_000_000)
            .map(|_| (next() % (1 << 23)) as u32)
            .collect(),
        "dense-1e7" => (0..10_000_000)
            .map(|_| (next() % (1 << 26)) as u32)
            .collect(),
        "sparse-1e5" => (0..100_000).map(|_| next() as u32).collect(),
        "runs-1e6" => (0..10_000)
            .flat_map(|_| {
                let start = (next() % (u64::from(u32::MAX) - 100)) as u32;
                start..start + 100
            })
            .collect(),
        other => unreachable!("no dataset {other}"),
    };
    v.sort_unstable();
    v.dedup();
    v
}

const KINDS: &[&str] = &["dense-1e6", "sparse-1e5", "runs-1e6"];

fn ours(values: &[u32]) -> CRoaring {
    let mut b = CRoaring::from_slice(values);
    b.run_optimize();
    b
}

fn peer(values: &[u32]) -> roaring::RoaringBitmap {
    let mut b =
        roaring::RoaringBitmap::from_sorted_iter(values.iter().copied()).expect("sorted values");
    b.optimize();
    b
}

/// A raw CRoaring bitmap (freed on drop), for the `raw:` rows.
struct Raw(*mut ffi::roaring_bitmap_t);

impl Raw {
    fn of(values: &[u32]) -> Raw {
        // SAFETY: `values` is valid for `values.len()` reads; the result is checked.
        let p = unsafe { ffi::roaring_bitmap_of_ptr(values.len(), values.as_ptr()) };
        assert!(!p.is_null(), "CRoaring allocation failed");
        // SAFETY: a valid bitmap.
        unsafe { ffi::roaring_bitmap_run_optimize(p) };
        Raw(p)
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        // SAFETY: created by CRoaring, freed once.
        unsafe { ffi::roaring_bitmap_free(self.0) }
    }
}

/// |a ∘ b| of two sorted sets by a merge, for op `and`, `or` or `xor`.
fn merged_len(a: &[u32], b: &[u32], op: &str) -> u64 {
    let (mut i, mut j, mut both) = (0, 0, 0u64);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let total = (a.len() + b.len()) as u64;
    match op {
        "and" => both,
        "or" => total - both,
        _ => total - 2 * both,
    }
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    for &kind in KINDS {
        register_bitmaps(reg, kind);
    }
    if crate::harness::large() {
        register_bitmaps(reg, "dense-1e7");
    }
    register_succinct(reg);
}

type RawOp = unsafe extern "C" fn(
    *const ffi::roaring_bitmap_t,
    *const ffi::roaring_bitmap_t,
) -> *mut ffi::roaring_bitmap_t;

fn register_bitmaps(reg: &mut Registry, kind: &'static str) {
    let (a, b) = (set(kind, 1), set(kind, 2));
    let n = (a.len() + b.len()) as u64;
    let (oa, ob) = (Rc::new(ours(&a)), Rc::new(ours(&b)));
    let (pa, pb) = (Rc::new(peer(&a)), Rc::new(peer(&b)));
    let (ra, rb) = (Rc::new(Raw::of(&a)), Rc::new(Raw::of(&b)));
    let raw_ops: [(&str, RawOp); 3] = [
        ("and", ffi::roaring_bitmap_and),
        ("or", ffi::roaring_bitmap_or),
        ("xor", ffi::roaring_bitmap_xor),
    ];
    for (op, raw_op) in raw_ops {
        let want = merged_len(&a, &b, op);
        let (x, y) = (oa.clone(), ob.clone());
        reg.add(
            Case::new(NAME, op, kind, "arsenal:croaring", 0, n, move || {
                let r = match op {
                    "and" => x.and(&y),
                    "or" => x.or(&y),
                    _ => x.xor(&y),
                };
                r.len()
            })
            .expect(want),
        );
        let (x, y) = (ra.clone(), rb.clone());
        reg.add(
            Case::new(NAME, op, kind, "raw:croaring", 0, n, move || {
                // SAFETY: two valid bitmaps; the result is freed by `Raw`'s drop.
                let r = Raw(unsafe { raw_op(x.0, y.0) });
                // SAFETY: a valid bitmap (CRoaring returned it).
                unsafe { ffi::roaring_bitmap_get_cardinality(r.0) }
            })
            .expect(want),
        );
        let (x, y) = (pa.clone(), pb.clone());
        reg.add(
            Case::new(NAME, op, kind, "peer:roaring", 0, n, move || {
                let r = match op {
                    "and" => &*x & &*y,
                    "or" => &*x | &*y,
                    _ => &*x ^ &*y,
                };
                r.len()
            })
            .expect(want),
        );
    }
    // contains: 10^6 probes, half drawn from the set.
    let mut next = rng(3);
    let probes: Rc<Vec<u32>> = Rc::new(
        (0..1_000_000)
            .map(|i| {
                let r = next();
                if i % 2 == 0 {
                    a[(r % a.len() as u64) as usize]
                } else {
                    r as u32
                }
            })
            .collect(),
    );
    let hits = probes.iter().filter(|p| a.binary_search(p).is_ok()).count() as u64;
    let np = probes.len() as u64;
    let (x, p) = (oa.clone(), probes.clone());
    reg.add(
        Case::new(
            NAME,
            "contains",
            kind,
            "arsenal:croaring",
            0,
            np,
            move || p.iter().filter(|&&v| x.contains(v)).count() as u64,
        )
        .expect(hits),
    );
    let (x, p) = (ra.clone(), probes.clone());
    reg.add(
        Case::new(NAME, "contains", kind, "raw:croaring", 0, np, move || {
            p.iter()
                // SAFETY: a valid bitmap, only read.
                .filter(|&&v| unsafe { ffi::roaring_bitmap_contains(x.0, v) })
                .count() as u64
        })
        .expect(hits),
    );
    let (x, p) = (pa.clone(), probes);
    reg.add(
        Case::new(NAME, "contains", kind, "peer:roaring", 0, np, move || {
            p.iter().filter(|&&v| x.contains(v)).count() as u64
        })
        .expect(hits),
    );
    // serialize / deserialize (the portable format), cross-read outside the timing.
    let ours_bytes = Rc::new(oa.serialize_portable());
    let mut peer_bytes = Vec::new();
    pa.serialize_into(&mut peer_bytes).expect("in-memory write");
    let peer_bytes = Rc::new(peer_bytes);
    let card = a.len() as u64;
    let bytes_len = ours_bytes.len() as u64;
    let (x, check_bytes) = (oa.clone(), ours_bytes.clone());
    let want_peer = pa.clone();
    reg.add(
        Case::new(
            NAME,
            "serialize",
            kind,
            "arsenal:croaring",
            bytes_len,
            1,
            move || black_box(x.serialize_portable()).len() as u64,
        )
        .expect(bytes_len)
        .verify(move || {
            let back = roaring::RoaringBitmap::deserialize_from(&check_bytes[..])
                .map_err(|e| format!("roaring cannot read CRoaring's bytes: {e}"))?;
            if back == *want_peer {
                Ok(())
            } else {
                Err("roaring read a different set from CRoaring's bytes".to_owned())
            }
        }),
    );
    let (x, check_bytes) = (pa.clone(), peer_bytes.clone());
    let want_ours = oa.clone();
    let peer_len = peer_bytes.len() as u64;
    reg.add(
        Case::new(
            NAME,
            "serialize",
            kind,
            "peer:roaring",
            peer_len,
            1,
            move || {
                let mut out = Vec::with_capacity(x.serialized_size());
                x.serialize_into(&mut out).expect("in-memory write");
                black_box(out).len() as u64
            },
        )
        .expect(peer_len)
        .verify(move || match CRoaring::deserialize_portable(&check_bytes) {
            Ok(back) if back == *want_ours => Ok(()),
            Ok(_) => Err("CRoaring read a different set from roaring's bytes".to_owned()),
            Err(e) => Err(format!("CRoaring cannot read roaring's bytes: {e}")),
        }),
    );
    let bytes = ours_bytes.clone();
    reg.add(
        Case::new(
            NAME,
            "deserialize",
            kind,
            "arsenal:croaring",
            bytes_len,
            1,
            move || CRoaring::deserialize_portable(&bytes).map_or(0, |b| b.len()),
        )
        .expect(card),
    );
    let bytes = ours_bytes.clone();
    reg.add(
        Case::new(
            NAME,
            "deserialize",
            kind,
            "raw:croaring",
            bytes_len,
            1,
            move || {
                // SAFETY: the read is bounded by the slice's length; the result is checked.
                let p = unsafe {
                    ffi::roaring_bitmap_portable_deserialize_safe(
                        bytes.as_ptr().cast(),
                        bytes.len(),
                    )
                };
                if p.is_null() {
                    return 0;
                }
                let r = Raw(p);
                let mut reason: *const std::ffi::c_char = std::ptr::null();
                // SAFETY: a bitmap CRoaring returned; `reason` receives a static string.
                if !unsafe { ffi::roaring_bitmap_internal_validate(r.0, &mut reason) } {
                    return 0;
                }
                // SAFETY: a valid bitmap.
                unsafe { ffi::roaring_bitmap_get_cardinality(r.0) }
            },
        )
        .expect(card),
    );
    let bytes = ours_bytes;
    reg.add(
        Case::new(
            NAME,
            "deserialize",
            kind,
            "peer:roaring",
            bytes_len,
            1,
            move || roaring::RoaringBitmap::deserialize_from(&bytes[..]).map_or(0, |b| b.len()),
        )
        .expect(card),
    );
}

/// 10⁶ query positions below `n`.
fn queries(n: usize, seed: u64) -> Rc<Vec<usize>> {
    let mut next = rng(seed);
    Rc::new(
        (0..1_000_000)
            .map(|_| (next() % n as u64) as usize)
            .collect(),
    )
}

/// One succinct-structure cell: `answer` for every query, summed; the sum must be
/// `want` (computed outside the timing from a plain reference). `answer` is a generic
/// closure, so each cell's loop is compiled for its structure (no indirect calls).
fn summed<S: 'static, Q: 'static, F: Fn(&S, &Q) -> u64 + 'static>(
    reg: &mut Registry,
    (op, dataset, want): (&str, &str, u64),
    imp: &str,
    structure: Rc<S>,
    queries: &Rc<Vec<Q>>,
    answer: F,
) {
    let q = queries.clone();
    let n = q.len() as u64;
    reg.add(
        Case::new(NAME, op, dataset, imp, 0, n, move || {
            q.iter().map(|x| answer(&structure, x)).sum()
        })
        .expect(want),
    );
}

fn register_succinct(reg: &mut Registry) {
    use sucds::bit_vectors::prelude::*;
    const N: usize = 1 << 24;
    let mut next = rng(11);
    let words: Vec<u64> = (0..N / 64).map(|_| next()).collect();
    // Reference: ones before each word.
    let mut before = Vec::with_capacity(words.len() + 1);
    let mut acc = 0usize;
    for w in &words {
        before.push(acc);
        acc += w.count_ones() as usize;
    }
    let ones = acc;
    let rank_ref = |i: usize| {
        before[i / 64] + (words[i / 64] & ((1u64 << (i % 64)) - 1)).count_ones() as usize
    };
    let rq = queries(N, 12);
    let rank = (
        "rank1",
        "bits-2^24",
        rq.iter().map(|&i| rank_ref(i) as u64).sum(),
    );
    let sq = queries(ones, 13);
    let select_ref = |k: usize| {
        let w = before.partition_point(|&b| b <= k) - 1;
        let mut rest = k - before[w];
        let mut x = words[w];
        while rest > 0 {
            x &= x - 1;
            rest -= 1;
        }
        w * 64 + x.trailing_zeros() as usize
    };
    let select = (
        "select1",
        "bits-2^24",
        sq.iter().map(|&k| select_ref(k) as u64).sum(),
    );

    let ours = Rc::new(BitVector::from_words(words.clone(), N).expect("valid length"));
    let vers = Rc::new(vers_vecs::RsVec::from_bit_vec(
        vers_vecs::BitVec::from_limbs(&words),
    ));
    let sucds_bv = Rc::new(
        sucds::bit_vectors::Rank9Sel::from_bits((0..N).map(|i| words[i / 64] >> (i % 64) & 1 == 1))
            .select1_hints()
            .select0_hints(),
    );
    summed(reg, rank, "arsenal:native", ours.clone(), &rq, |s, &i| {
        s.rank1(i) as u64
    });
    summed(reg, rank, "peer:vers-vecs", vers.clone(), &rq, |s, &i| {
        s.rank1(i) as u64
    });
    summed(reg, rank, "peer:sucds", sucds_bv.clone(), &rq, |s, &i| {
        s.rank1(i).unwrap_or(0) as u64
    });
    summed(reg, select, "arsenal:native", ours, &sq, |s, &k| {
        s.select1(k).unwrap_or(0) as u64
    });
    summed(reg, select, "peer:vers-vecs", vers, &sq, |s, &k| {
        s.select1(k) as u64
    });
    summed(reg, select, "peer:sucds", sucds_bv, &sq, |s, &k| {
        s.select1(k).unwrap_or(0) as u64
    });
    register_elias_fano(reg, 1_000_000, "sorted-1e6");
    if crate::harness::large() {
        register_elias_fano(reg, 10_000_000, "sorted-1e7");
    }
    register_wavelet(reg);
}

/// `ef-get` and `ef-successor` on `len` sorted values below 2³².
fn register_elias_fano(reg: &mut Registry, len: usize, dataset: &'static str) {
    let mut next = rng(21);
    let mut values: Vec<u64> = (0..len).map(|_| next() % (1 << 32)).collect();
    values.sort_unstable();
    let n = values.len();
    let gq = queries(n, 22);
    let get = ("ef-get", dataset, gq.iter().map(|&i| values[i]).sum());
    let mut next = rng(23);
    let xs: Rc<Vec<u64>> = Rc::new((0..1_000_000).map(|_| next() % values[n - 1]).collect());
    let succ_sum = xs
        .iter()
        .map(|&x| values[values.partition_point(|&v| v < x)])
        .sum();
    let succ = ("ef-successor", dataset, succ_sum);
    let ours = Rc::new(EliasFano::new(&values).expect("sorted"));
    let vers = Rc::new(vers_vecs::EliasFanoVec::from_slice(&values));
    let sucds_ef = {
        let mut b =
            sucds::mii_sequences::EliasFanoBuilder::new(values[n - 1] + 1, n).expect("valid sizes");
        b.extend(values.iter().copied()).expect("sorted");
        Rc::new(b.build().enable_rank())
    };
    summed(reg, get, "arsenal:native", ours.clone(), &gq, |s, &i| {
        s.get(i).unwrap_or(0)
    });
    summed(reg, get, "peer:vers-vecs", vers.clone(), &gq, |s, &i| {
        s.get(i).unwrap_or(0)
    });
    summed(reg, get, "peer:sucds", sucds_ef.clone(), &gq, |s, &i| {
        s.select(i).unwrap_or(0)
    });
    summed(reg, succ, "arsenal:native", ours, &xs, |s, &x| {
        s.next_geq(x).map_or(0, |(_, v)| v)
    });
    summed(reg, succ, "peer:vers-vecs", vers, &xs, |s, &x| {
        s.successor(x).unwrap_or(0)
    });
    summed(reg, succ, "peer:sucds", sucds_ef, &xs, |s, &x| {
        s.successor(x).unwrap_or(0)
    });
}

fn register_wavelet(reg: &mut Registry) {
    let mut next = rng(31);
    let values: Vec<u64> = (0..1_000_000).map(|_| next() % (1 << 16)).collect();
    let n = values.len();
    let aq = queries(n, 32);
    let access = ("wm-access", "u16-1e6", aq.iter().map(|&i| values[i]).sum());
    // rank(symbol, i) for (symbol = values[j], i) pairs; reference by per-symbol
    // sorted positions.
    let mut next = rng(33);
    let rq: Rc<Vec<(u64, usize)>> = Rc::new(
        (0..1_000_000)
            .map(|_| {
                let j = (next() % n as u64) as usize;
                (values[j], (next() % (n as u64 + 1)) as usize)
            })
            .collect(),
    );
    let mut positions: std::collections::HashMap<u64, Vec<usize>> = Default::default();
    for (i, &v) in values.iter().enumerate() {
        positions.entry(v).or_default().push(i);
    }
    let rank_sum = rq
        .iter()
        .map(|&(c, i)| positions[&c].partition_point(|&p| p < i) as u64)
        .sum();
    let rank = ("wm-rank", "u16-1e6", rank_sum);
    let ours = Rc::new(WaveletMatrix::new(&values).expect("valid input"));
    let vers = Rc::new(vers_vecs::WaveletMatrix::from_slice(&values, 16));
    let sucds_wm = Rc::new(
        sucds::char_sequences::WaveletMatrix::new(
            sucds::int_vectors::CompactVector::from_slice(&values),
            |bv| {
                sucds::bit_vectors::Rank9Sel::new(bv)
                    .select1_hints()
                    .select0_hints()
            },
        )
        .expect("non-empty"),
    );
    summed(reg, access, "arsenal:native", ours.clone(), &aq, |s, &i| {
        s.get(i).unwrap_or(0)
    });
    summed(reg, access, "peer:vers-vecs", vers.clone(), &aq, |s, &i| {
        s.get_u64(i).unwrap_or(0)
    });
    summed(reg, access, "peer:sucds", sucds_wm.clone(), &aq, |s, &i| {
        s.access(i).unwrap_or(0)
    });
    summed(reg, rank, "arsenal:native", ours, &rq, |s, &(c, i)| {
        s.rank(c, i) as u64
    });
    summed(reg, rank, "peer:vers-vecs", vers, &rq, |s, &(c, i)| {
        s.rank_u64(i, c).unwrap_or(0) as u64
    });
    summed(reg, rank, "peer:sucds", sucds_wm, &rq, |s, &(c, i)| {
        s.rank(i, c).unwrap_or(0) as u64
    });
}

/// Heap bytes per value held by each bitmap of each dataset.
pub fn memory_rows() -> Vec<MemoryRow> {
    let mut rows = Vec::new();
    for &kind in KINDS {
        let values = set(kind, 1);
        let n = values.len();
        let what = format!("bitmap of the {kind} set (run-optimised): heap bytes held / values");
        let mut row = |imp: &str, bytes: Option<usize>| {
            rows.push(MemoryRow {
                domain: NAME.to_owned(),
                dataset: kind.to_owned(),
                what: what.clone(),
                imp: imp.to_owned(),
                items: n as u64,
                bytes_per_item: bytes.map(|b| b as f64 / n as f64),
            })
        };
        row(
            "arsenal:croaring",
            held_by(|| Some(ours(&values))).map(|(_, b)| b),
        );
        row(
            "peer:roaring",
            held_by(|| Some(peer(&values))).map(|(_, b)| b),
        );
    }
    rows
}
