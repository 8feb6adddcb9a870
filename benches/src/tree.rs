//! Ordered-map rows of the matrix: `tree/<op>/<dataset>/<impl>`.
//!
//! Datasets: `u64-1e3`, `u64-1e5`, `u64-1e6` (distinct random 64-bit keys, value = the
//! key's index; misses are other random keys); with `--large` also `u64-1e7` (`insert`,
//! `get-hit` and `range` only: seconds per iteration, the DRAM-bound regime). Ops
//! (`items` as noted; the report's ns/op is per item):
//!
//! | op | one iteration | items | checksum |
//! |---|---|---|---|
//! | `insert` | a new tree, every key inserted in random order, dropped | keys | the tree's length |
//! | `insert-sorted` | a new tree, every key inserted in ascending order (a bulk load), dropped | keys | the tree's length |
//! | `get-hit` | every key looked up in a tree built outside the timing | keys | Σ (value + 1) = n(n+1)/2 |
//! | `get-miss` | as many absent keys looked up | keys | 0 |
//! | `churn` | every key inserted into an empty tree kept across iterations, then every key removed | keys | Σ (removed value + 1) |
//! | `range` | n/100 range scans `[lo, lo + w)`, `lo` random, `w` sized for ~100 keys | entries visited | Σ (value + 1) over the entries, from a `BTreeMap` reference run |
//!
//! Impls: `arsenal:btree` ([`arsenal_tree::BTree`], its own `get`/`insert`/`range`),
//! `arsenal:art` ([`arsenal_tree::Art`], the adaptive radix tree, its own API),
//! `arsenal:abseil` ([`arsenal_tree::Abseil`] through the `OrderedMap` trait: one FFI call
//! per operation, 128 entries per call in scans), `raw:abseil` (`absl::btree_map` in C++,
//! the loop inside C++: `benches/native/raw_absl_btree.cpp`, compiled against the headers
//! arsenal-absl-sys found) and `peer:std-btreemap` (std's `BTreeMap<u64, u64>`).
//!
//! **Memory rows** `tree/memory/u64-1e6/<impl>`: heap bytes held by a tree of the 10⁶
//! keys inserted in random order (glibc `mallinfo2`, so C++ and Rust allocations alike) /
//! keys.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::ops::Bound;
use std::path::Path;
use std::rc::Rc;

use arsenal_tree::{Abseil, Art, BTree, OrderedMap};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_by;
use crate::harness::{distinct_keys, rng, Case, Registry};
use crate::report::MemoryRow;
use crate::strategy::pick;

const NAME: &str = "tree";

/// The ordered-map domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Ordered maps",
    register,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-tree",
        pick: pick::<arsenal_tree::Backend>,
    }),
    ..Domain::EMPTY
};

extern "C" {
    fn raw_absl_btree_build(keys: *const u64, n: usize) -> *mut std::ffi::c_void;
    fn raw_absl_btree_free(tree: *mut std::ffi::c_void);
    fn raw_absl_btree_insert(keys: *const u64, n: usize) -> u64;
    fn raw_absl_btree_lookup(tree: *const std::ffi::c_void, keys: *const u64, n: usize) -> u64;
    fn raw_absl_btree_churn(tree: *mut std::ffi::c_void, keys: *const u64, n: usize) -> u64;
    fn raw_absl_btree_scan(
        tree: *const std::ffi::c_void,
        lo: *const u64,
        hi: *const u64,
        n: usize,
    ) -> u64;
}

/// The operations one ordered map under test needs.
trait Tree: 'static {
    fn make() -> Self;
    fn put(&mut self, key: u64, value: u64);
    fn look(&self, key: u64) -> Option<u64>;
    fn take(&mut self, key: u64) -> Option<u64>;
    fn size(&self) -> usize;
    /// Σ (value + 1) over the entries with keys in `[lo, hi)`.
    fn scan(&self, lo: u64, hi: u64) -> u64;
}

/// A tree through its own API (`$t`): `$put`, `$look`, `$take` with the tree as `$m`
/// and the key and value as `$k`/`$v` (the APIs differ in passing keys by value or by
/// reference and in what `insert` returns); `len` and `range(lo..hi)` are common.
macro_rules! native_tree {
    ($t:ty, |$m:ident, $k:ident, $v:ident| put: $put:expr, look: $look:expr, take: $take:expr) => {
        impl Tree for $t {
            fn make() -> Self {
                <$t>::new()
            }
            #[inline]
            fn put(&mut self, $k: u64, $v: u64) {
                let $m = self;
                $put;
            }
            #[inline]
            fn look(&self, $k: u64) -> Option<u64> {
                let $m = self;
                $look
            }
            #[inline]
            fn take(&mut self, $k: u64) -> Option<u64> {
                let $m = self;
                $take
            }
            fn size(&self) -> usize {
                self.len()
            }
            #[inline]
            fn scan(&self, lo: u64, hi: u64) -> u64 {
                self.range(lo..hi).map(|(_, v)| v + 1).sum()
            }
        }
    };
}
native_tree!(BTree<u64, u64>, |t, k, v|
    put: t.insert(k, v).expect("insert"),
    look: t.get(&k).copied(),
    take: t.remove(&k)
);
native_tree!(Art<u64>, |t, k, v|
    put: t.insert(k, v).expect("insert"),
    look: t.get(k).copied(),
    take: t.remove(k)
);
native_tree!(BTreeMap<u64, u64>, |t, k, v|
    put: t.insert(k, v),
    look: t.get(&k).copied(),
    take: t.remove(&k)
);

impl Tree for Abseil {
    fn make() -> Self {
        Abseil::new()
    }
    #[inline]
    fn put(&mut self, key: u64, value: u64) {
        self.insert(key, value).expect("insert");
    }
    #[inline]
    fn look(&self, key: u64) -> Option<u64> {
        self.get(key)
    }
    #[inline]
    fn take(&mut self, key: u64) -> Option<u64> {
        self.remove(key)
    }
    fn size(&self) -> usize {
        self.len()
    }
    #[inline]
    fn scan(&self, lo: u64, hi: u64) -> u64 {
        let mut sum = 0;
        self.for_each_in((Bound::Included(lo), Bound::Excluded(hi)), &mut |_, v| {
            sum += v + 1
        });
        sum
    }
}

/// n(n+1)/2: Σ (value + 1) over values 0..n.
fn triangle(n: usize) -> u64 {
    let n = n as u64;
    n * (n + 1) / 2
}

/// The data of one dataset, shared by every impl's cells.
struct Data {
    hit: Vec<u64>,
    miss: Vec<u64>,
    /// The keys in ascending order, with their values (the index in `hit`).
    sorted: Vec<(u64, u64)>,
    /// Range scans `[lo[i], hi[i])`.
    lo: Vec<u64>,
    hi: Vec<u64>,
    /// Entries the scans visit, and Σ (value + 1) over them.
    scanned: u64,
    scan_sum: u64,
}

impl Data {
    fn new(n: usize) -> Data {
        let (hit, miss) = distinct_keys(n);
        let reference: BTreeMap<u64, u64> = hit
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i as u64))
            .collect();
        let sorted: Vec<(u64, u64)> = reference.iter().map(|(&k, &v)| (k, v)).collect();
        // A window of ~100 keys: 100 / n of the key space.
        let width = (u64::MAX / n as u64).saturating_mul(100);
        let mut next = rng(3);
        let queries = (n / 100).max(10);
        let lo: Vec<u64> = (0..queries).map(|_| next()).collect();
        let hi: Vec<u64> = lo.iter().map(|l| l.saturating_add(width)).collect();
        let (mut scanned, mut scan_sum) = (0u64, 0u64);
        for (&l, &h) in lo.iter().zip(&hi) {
            for (_, v) in reference.range(l..h) {
                scanned += 1;
                scan_sum += v + 1;
            }
        }
        Data {
            hit,
            miss,
            sorted,
            lo,
            hi,
            scanned,
            scan_sum,
        }
    }
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    let mut datasets = vec![
        ("u64-1e3", 1_000),
        ("u64-1e5", 100_000),
        ("u64-1e6", 1_000_000),
    ];
    if crate::harness::large() {
        datasets.push(("u64-1e7", 10_000_000));
    }
    for (dataset, n) in datasets {
        let data = Rc::new(Data::new(n));
        cells::<BTree<u64, u64>>(reg, dataset, "arsenal:btree", &data);
        cells::<Art<u64>>(reg, dataset, "arsenal:art", &data);
        cells::<Abseil>(reg, dataset, "arsenal:abseil", &data);
        raw_cells(reg, dataset, &data);
        cells::<BTreeMap<u64, u64>>(reg, dataset, "peer:std-btreemap", &data);
    }
}

/// Registers `case`, except the ops the 10⁷ dataset (`--large`) skips: it gets `insert`,
/// `get-hit` and `range` only (seconds per iteration).
fn add(reg: &mut Registry, case: Case) {
    let id = case.id();
    let parts: Vec<&str> = id.split('/').collect();
    if parts[2] != "u64-1e7" || matches!(parts[1], "insert" | "get-hit" | "range") {
        reg.add(case);
    }
}

fn cells<T: Tree>(reg: &mut Registry, dataset: &str, imp: &str, data: &Rc<Data>) {
    let n = data.hit.len();
    let d = Rc::clone(data);
    add(
        reg,
        Case::new(NAME, "insert", dataset, imp, 0, n as u64, move || {
            let mut t = T::make();
            for (i, &k) in d.hit.iter().enumerate() {
                t.put(black_box(k), i as u64);
            }
            t.size() as u64
        })
        .expect(n as u64),
    );
    let d = Rc::clone(data);
    add(
        reg,
        Case::new(
            NAME,
            "insert-sorted",
            dataset,
            imp,
            0,
            n as u64,
            move || {
                let mut t = T::make();
                for &(k, v) in d.sorted.iter() {
                    t.put(black_box(k), v);
                }
                t.size() as u64
            },
        )
        .expect(n as u64),
    );
    let built = Rc::new({
        let mut t = T::make();
        for (i, &k) in data.hit.iter().enumerate() {
            t.put(k, i as u64);
        }
        t
    });
    for (op, hit, want) in [("get-hit", true, triangle(n)), ("get-miss", false, 0)] {
        let (t, d) = (Rc::clone(&built), Rc::clone(data));
        add(
            reg,
            Case::new(NAME, op, dataset, imp, 0, n as u64, move || {
                let probes = if hit { &d.hit } else { &d.miss };
                let mut sum = 0u64;
                for &k in probes.iter() {
                    if let Some(v) = t.look(black_box(k)) {
                        sum += v + 1;
                    }
                }
                sum
            })
            .expect(want),
        );
    }
    let (t, d) = (Rc::clone(&built), Rc::clone(data));
    add(
        reg,
        Case::new(NAME, "range", dataset, imp, 0, data.scanned, move || {
            let mut sum = 0u64;
            for (&lo, &hi) in d.lo.iter().zip(&d.hi) {
                sum += t.scan(black_box(lo), hi);
            }
            sum
        })
        .expect(data.scan_sum),
    );
    let d = Rc::clone(data);
    let mut t = T::make();
    add(
        reg,
        Case::new(NAME, "churn", dataset, imp, 0, n as u64, move || {
            for (i, &k) in d.hit.iter().enumerate() {
                t.put(black_box(k), i as u64);
            }
            let mut sum = 0u64;
            for &k in d.hit.iter() {
                if let Some(v) = t.take(black_box(k)) {
                    sum += v + 1;
                }
            }
            sum + t.size() as u64
        })
        .expect(triangle(n)),
    );
}

/// A raw C++ tree (freed on drop).
struct RawTree {
    ptr: *mut std::ffi::c_void,
}

impl RawTree {
    /// A tree of `keys[i] → i`.
    fn build(keys: &[u64]) -> RawTree {
        // SAFETY: `keys` holds `keys.len()` keys; the tree is freed by `Drop`.
        let ptr = unsafe { raw_absl_btree_build(keys.as_ptr(), keys.len()) };
        RawTree { ptr }
    }

    /// The tree's pointer. Cells call this rather than reading the field: a `move`
    /// closure that names only `tree.ptr` captures the bare pointer (edition 2021's
    /// disjoint captures) and would run on a freed tree.
    fn get(&self) -> *mut std::ffi::c_void {
        self.ptr
    }
}

impl Drop for RawTree {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from `raw_absl_btree_build`; freed once.
        unsafe { raw_absl_btree_free(self.ptr) }
    }
}

fn raw_cells(reg: &mut Registry, dataset: &str, data: &Rc<Data>) {
    let imp = "raw:abseil";
    let n = data.hit.len();
    let sorted_keys: Rc<Vec<u64>> = Rc::new(data.sorted.iter().map(|&(k, _)| k).collect());
    // insert-sorted values are the sorted position, not the key's index: the checksum
    // (the length) does not see values.
    for (op, keys) in [
        ("insert", Rc::new(data.hit.clone())),
        ("insert-sorted", sorted_keys),
    ] {
        add(
            reg,
            Case::new(NAME, op, dataset, imp, 0, n as u64, move || {
                // SAFETY: `keys` holds `keys.len()` keys.
                unsafe { raw_absl_btree_insert(keys.as_ptr(), keys.len()) }
            })
            .expect(n as u64),
        );
    }
    let built = Rc::new(RawTree::build(&data.hit));
    for (op, hit, want) in [("get-hit", true, triangle(n)), ("get-miss", false, 0)] {
        let (t, d) = (Rc::clone(&built), Rc::clone(data));
        add(
            reg,
            Case::new(NAME, op, dataset, imp, 0, n as u64, move || {
                let probes = if hit { &d.hit } else { &d.miss };
                // SAFETY: a live tree; `probes` holds its length in keys.
                unsafe { raw_absl_btree_lookup(t.get(), probes.as_ptr(), probes.len()) }
            })
            .expect(want),
        );
    }
    let (t, d) = (Rc::clone(&built), Rc::clone(data));
    add(
        reg,
        Case::new(NAME, "range", dataset, imp, 0, data.scanned, move || {
            // SAFETY: a live tree; `lo` and `hi` hold the same number of bounds.
            unsafe { raw_absl_btree_scan(t.get(), d.lo.as_ptr(), d.hi.as_ptr(), d.lo.len()) }
        })
        .expect(data.scan_sum),
    );
    let churned = RawTree::build(&[]);
    let d = Rc::clone(data);
    add(
        reg,
        Case::new(NAME, "churn", dataset, imp, 0, n as u64, move || {
            // SAFETY: a live tree used by this cell alone; `hit` holds `n` keys.
            unsafe { raw_absl_btree_churn(churned.get(), d.hit.as_ptr(), d.hit.len()) }
        })
        .expect(triangle(n)),
    );
}

/// Heap bytes per key of a tree of every key of the 10⁶ dataset.
pub fn memory_rows() -> Vec<MemoryRow> {
    let (hit, _) = distinct_keys(1_000_000);
    fn fill<T: Tree>(keys: &[u64]) -> Option<T> {
        let mut t = T::make();
        for (i, &k) in keys.iter().enumerate() {
            t.put(k, i as u64);
        }
        Some(t)
    }
    let what = "u64 → u64 ordered map of 10⁶ keys inserted in random order: heap bytes held / keys";
    let held = [
        (
            "arsenal:btree",
            held_by(|| fill::<BTree<u64, u64>>(&hit)).map(|r| r.1),
        ),
        (
            "arsenal:art",
            held_by(|| fill::<Art<u64>>(&hit)).map(|r| r.1),
        ),
        (
            "arsenal:abseil",
            held_by(|| fill::<Abseil>(&hit)).map(|r| r.1),
        ),
        (
            "peer:std-btreemap",
            held_by(|| fill::<BTreeMap<u64, u64>>(&hit)).map(|r| r.1),
        ),
    ];
    held.into_iter()
        .map(|(imp, bytes)| MemoryRow {
            domain: NAME.to_owned(),
            dataset: "u64-1e6".to_owned(),
            what: what.to_owned(),
            imp: imp.to_owned(),
            items: 1_000_000,
            bytes_per_item: bytes.map(|b| b as f64 / 1e6),
        })
        .collect()
}
