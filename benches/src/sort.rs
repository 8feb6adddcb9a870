//! Sorting, selection and searching rows of the matrix: `sort/<key type>/<pattern>-<n>/<impl>`,
//! `select/u64/<dataset>/<impl>`, `search/u64/<dataset>/<impl>`.
//!
//! | op | datasets | one iteration | items | verified |
//! |---|---|---|---|---|
//! | `u64` | `random-1e1`, `-3e1`, `-1e2`, `-3e2`, `-1e3` … `-1e6` (`-1e7` with `--large`); at 10⁶ also `sorted`, `reverse`, `sorted-tail` (sorted, the last 1 % random), `few-unique` (16 values), `zipf` (s = 1 over 10⁴ values), `organ-pipe` | the input copied into a reused buffer, then sorted; below 2¹⁶ keys, ⌈2¹⁶/n⌉ different random inputs of n keys, each sorted on its own (one tiny input sorted over and over would let the branch predictor learn it) | keys | the buffer after the first iteration equals std's `sort_unstable` output (per input), bit for bit |
//! | `u32`, `f64`, `u128` | `random-1e6`, `few-unique-1e6` | the same | keys | the same (`f64`: by `total_cmp`; the data has no NaN and no `-0.0`, so every impl's order is the same) |
//! | `strings` | `words-1e5` (a 10⁴-word vocabulary, skewed), `urls-1e5` (long shared prefixes), `random-1e5` (0–32 random bytes) | the `&[u8]` slices copied, then sorted | strings | equal to std's `sort_unstable` output |
//! | `select` (`u64`) | `random-1e6`, `few-unique-1e6`: the median (n/2-th) | the input copied, then selected | keys | the selected value = the sorted input's n/2-th |
//! | `search` (`u64`) | `sorted-1e3`, `sorted-1e6` (10⁶ random keys, half of the queries present) | 10⁵ lower-bound queries | queries | Σ returned indices = `partition_point`'s |
//!
//! Sorting impls: `arsenal:vqsort` ([`arsenal_sort::Vqsort`]), `raw:vqsort` (the shim's
//! `arsenal_vqsort_*` called directly; `f64` as doubles, which needs NaN-free data),
//! `arsenal:samplesort`, `arsenal:parallel-samplesort` (every core), `arsenal:radix`;
//! peers `peer:std-sort-unstable` (ipnsort), `peer:std-sort` (driftsort),
//! `peer:voracious` (`voracious_sort`, one thread), `peer:rdst` (`radix_sort_unstable`
//! with its default `multi-threaded` feature: every core, as its README benchmarks it),
//! `peer:glidesort`. The parallel impls use every core of the machine; compare them with
//! each other.
//!
//! **Memory rows** `sort/memory/u64-1e6/<impl>`: the peak resident growth while sorting
//! 10⁶ keys that already exist, per key (scratch space; 0 for in-place sorts).

use std::cell::RefCell;
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use arsenal_hwy_sys as hwy;
use arsenal_sort::search::{
    interpolation_lower_bound, lower_bound_branchless, simd_lower_bound_u64, Eytzinger,
};
use arsenal_sort::{
    select_nth, sort_strings, Bits, ParallelSamplesort, Radix, Samplesort, SelectAlgorithm,
    SortExt, SortKey, Vqsort,
};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::peak_resident;
use crate::harness::{rng, Case, Registry};
use crate::report::{MemoryRow, Unit};
use crate::strategy::pick;

const NAME: &str = "sort";

/// The sorting domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Sorting, selection and searching",
    register,
    unit,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-sort",
        pick: pick::<arsenal_sort::Backend>,
    }),
    ..Domain::EMPTY
};

fn unit(op: &str) -> Option<Unit> {
    Some(if op == "search" {
        Unit::NanosPerItem
    } else {
        Unit::ItemsPerSecond
    })
}

/// A key type of the sorting rows, with how each peer sorts it.
trait Key: SortKey + PartialEq + Default {
    /// The same bits (for an exact comparison of float outputs).
    fn same(a: &[Self], b: &[Self]) -> bool;
    fn std_unstable(k: &mut [Self]);
    fn std_stable(k: &mut [Self]);
    fn raw_vqsort(k: &mut [Self]);
    fn voracious(k: &mut [Self]);
    fn rdst(k: &mut [Self]);
    fn glidesort(k: &mut [Self]);
    /// A key from random bits (no NaN, no `-0.0`).
    fn from_bits(x: u64, y: u64) -> Self;
}

macro_rules! int_key {
    ($t:ty, $vq:ident) => {
        impl Key for $t {
            fn same(a: &[Self], b: &[Self]) -> bool {
                a == b
            }
            fn std_unstable(k: &mut [Self]) {
                k.sort_unstable();
            }
            fn std_stable(k: &mut [Self]) {
                k.sort();
            }
            fn raw_vqsort(k: &mut [Self]) {
                // SAFETY: a live, exclusive slice of k.len() keys of the shim's type.
                unsafe { hwy::$vq(k.as_mut_ptr(), k.len(), 0) };
            }
            fn voracious(k: &mut [Self]) {
                voracious_radix_sort::RadixSort::voracious_sort(k);
            }
            fn rdst(k: &mut [Self]) {
                rdst::RadixSort::radix_sort_unstable(k);
            }
            fn glidesort(k: &mut [Self]) {
                glidesort::sort(k);
            }
            fn from_bits(x: u64, y: u64) -> Self {
                ((u128::from(x) << 64 | u128::from(y)) >> (128 - <$t>::BITS)) as $t
            }
        }
    };
}
int_key!(u32, arsenal_vqsort_u32);
int_key!(u64, arsenal_vqsort_u64);
int_key!(u128, arsenal_vqsort_u128);

impl Key for f64 {
    fn same(a: &[Self], b: &[Self]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
    }
    fn std_unstable(k: &mut [Self]) {
        k.sort_unstable_by(f64::total_cmp);
    }
    fn std_stable(k: &mut [Self]) {
        k.sort_by(f64::total_cmp);
    }
    fn raw_vqsort(k: &mut [Self]) {
        // SAFETY: a live, exclusive slice of k.len() NaN-free doubles.
        unsafe { hwy::arsenal_vqsort_f64(k.as_mut_ptr(), k.len(), 0) };
    }
    fn voracious(k: &mut [Self]) {
        voracious_radix_sort::RadixSort::voracious_sort(k);
    }
    fn rdst(k: &mut [Self]) {
        rdst::RadixSort::radix_sort_unstable(k);
    }
    fn glidesort(k: &mut [Self]) {
        glidesort::sort_by(k, f64::total_cmp);
    }
    fn from_bits(x: u64, y: u64) -> Self {
        // A finite value of every magnitude and sign, never -0.0 (the mantissa is never 0
        // together with a zero exponent).
        let exp = (x >> 53) % 2046 + 1;
        f64::from_bits((x & (1 << 63)) | (exp << 52) | (y >> 12))
    }
}

/// The input patterns of the sorting rows.
fn pattern<K: Key>(name: &str, n: usize, seed: u64) -> Vec<K> {
    let mut next = rng(seed);
    let mut random = |_| K::from_bits(next(), next());
    let sorted = |v: &mut Vec<K>| v.sort_unstable_by_key(|k| k.ordered());
    match name {
        "random" => (0..n).map(&mut random).collect(),
        "sorted" => {
            let mut v: Vec<K> = (0..n).map(&mut random).collect();
            sorted(&mut v);
            v
        }
        "reverse" => {
            let mut v: Vec<K> = (0..n).map(&mut random).collect();
            sorted(&mut v);
            v.reverse();
            v
        }
        "sorted-tail" => {
            let mut v: Vec<K> = (0..n).map(&mut random).collect();
            let head = n - n / 100;
            v[..head].sort_unstable_by_key(|k| k.ordered());
            v
        }
        "few-unique" => {
            let values: Vec<K> = (0..16).map(&mut random).collect();
            let mut pick = rng(seed + 1);
            (0..n).map(|_| values[(pick() % 16) as usize]).collect()
        }
        "zipf" => {
            // Zipf(s = 1) over 10⁴ values by inverse transform of the harmonic CDF.
            let values: Vec<K> = (0..10_000).map(&mut random).collect();
            let mut cdf = Vec::with_capacity(values.len());
            let mut sum = 0.0;
            for r in 1..=values.len() {
                sum += 1.0 / r as f64;
                cdf.push(sum);
            }
            let mut u = rng(seed + 2);
            (0..n)
                .map(|_| {
                    let x = (u() >> 11) as f64 / (1u64 << 53) as f64 * sum;
                    values[cdf.partition_point(|&c| c < x).min(values.len() - 1)]
                })
                .collect()
        }
        "organ-pipe" => {
            let mut v: Vec<K> = (0..n).map(&mut random).collect();
            sorted(&mut v);
            let mut out: Vec<K> = v.iter().step_by(2).copied().collect();
            out.extend(v.iter().skip(1).step_by(2).rev());
            out
        }
        other => unreachable!("pattern {other}"),
    }
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    // Decades, and half-decades around the small sizes where vqsort overtakes std.
    let mut u64_sets: Vec<(String, usize)> = [
        ("random-1e1", 10),
        ("random-3e1", 30),
        ("random-1e2", 100),
        ("random-3e2", 300),
        ("random-1e3", 1_000),
        ("random-1e4", 10_000),
        ("random-1e5", 100_000),
        ("random-1e6", 1_000_000),
    ]
    .iter()
    .map(|&(d, n)| (d.to_owned(), n))
    .collect();
    if crate::harness::large() {
        u64_sets.push(("random-1e7".to_owned(), 10_000_000));
    }
    for p in [
        "sorted",
        "reverse",
        "sorted-tail",
        "few-unique",
        "zipf",
        "organ-pipe",
    ] {
        u64_sets.push((format!("{p}-1e6"), 1_000_000));
    }
    for (dataset, n) in &u64_sets {
        let p = dataset.rsplit_once('-').map_or("random", |(p, _)| p);
        // Below BATCH_KEYS keys an iteration sorts many different inputs of n keys:
        // sorting one tiny input over and over lets the branch predictor learn it, which
        // flatters branchy sorts against branch-free ones.
        let inputs = BATCH_KEYS.div_ceil(*n);
        sort_cells::<u64>(reg, "u64", dataset, pattern(p, *n * inputs, 1), *n);
    }
    for (p, dataset) in [("random", "random-1e6"), ("few-unique", "few-unique-1e6")] {
        sort_cells::<u32>(reg, "u32", dataset, pattern(p, 1_000_000, 2), 1_000_000);
        sort_cells::<f64>(reg, "f64", dataset, pattern(p, 1_000_000, 3), 1_000_000);
        sort_cells::<u128>(reg, "u128", dataset, pattern(p, 1_000_000, 4), 1_000_000);
    }
    for (kind, dataset) in [
        ("words", "words-1e5"),
        ("urls", "urls-1e5"),
        ("random", "random-1e5"),
    ] {
        string_cells(reg, dataset, strings(kind, 100_000, 7));
    }
    for (p, dataset) in [("random", "random-1e6"), ("few-unique", "few-unique-1e6")] {
        select_cells(reg, dataset, Rc::new(pattern::<u64>(p, 1_000_000, 5)));
    }
    for (dataset, n) in [("sorted-1e3", 1_000usize), ("sorted-1e6", 1_000_000)] {
        search_cells(reg, dataset, n);
    }
}

/// One impl's sort, as a cell runs it.
type SortFn<K> = Box<dyn FnMut(&mut [K])>;

/// One impl's lower-bound search: (sorted keys, query) → position.
type SearchFn = Box<dyn Fn(&[u64], u64) -> usize>;

/// Registers every sorting impl on one input.
/// Below this many keys a sorting cell sorts several inputs per iteration.
const BATCH_KEYS: usize = 1 << 16;

/// The cells of one sorting row: `data` is one input of `n` keys, or several in a row
/// (each sorted on its own).
fn sort_cells<K: Key>(reg: &mut Registry, op: &str, dataset: &str, data: Vec<K>, n: usize) {
    let mut want = data.clone();
    want.chunks_mut(n).for_each(K::std_unstable);
    let (data, want) = (Rc::new(data), Rc::new(want));
    let mut cell = |imp: &str, mut f: SortFn<K>| {
        let buf = Rc::new(RefCell::new(vec![K::default(); data.len()]));
        let (d, b, out, w) = (Rc::clone(&data), Rc::clone(&buf), buf, Rc::clone(&want));
        let keys = d.len() as u64;
        reg.add(
            Case::new(NAME, op, dataset, imp, 0, keys, move || {
                let mut k = b.borrow_mut();
                k.copy_from_slice(&d);
                for input in black_box(&mut k[..]).chunks_mut(n) {
                    f(input);
                }
                k.first().map_or(0, |x| x.ordered().byte(0) as u64) + keys
            })
            .verify(move || {
                if K::same(&out.borrow(), &w) {
                    Ok(())
                } else {
                    let at = out.borrow().iter().zip(w.iter()).position(|(a, b)| a != b);
                    Err(format!(
                        "output differs from std's sort_unstable at index {at:?}"
                    ))
                }
            }),
        );
    };
    cell(
        "arsenal:vqsort",
        Box::new(|k| Vqsort.sort(k).expect("vqsort")),
    );
    cell("raw:vqsort", Box::new(K::raw_vqsort));
    cell(
        "arsenal:samplesort",
        Box::new(|k| Samplesort.sort(k).expect("samplesort")),
    );
    let mut par = ParallelSamplesort::new();
    cell(
        "arsenal:parallel-samplesort",
        Box::new(move |k| par.sort(k).expect("parallel samplesort")),
    );
    cell("arsenal:radix", Box::new(|k| Radix.sort(k).expect("radix")));
    cell("peer:std-sort-unstable", Box::new(K::std_unstable));
    cell("peer:std-sort", Box::new(K::std_stable));
    cell("peer:voracious", Box::new(K::voracious));
    cell("peer:rdst", Box::new(K::rdst));
    cell("peer:glidesort", Box::new(K::glidesort));
}

/// Generated byte strings, leaked once so that every impl sorts `&'static [u8]` slices
/// (16-byte elements, as a `Vec<&str>` would be).
fn strings(kind: &str, n: usize, seed: u64) -> Vec<&'static [u8]> {
    let mut next = rng(seed);
    let word = |next: &mut dyn FnMut() -> u64| -> Vec<u8> {
        let len = 2 + (next() % 10) as usize;
        (0..len).map(|_| b'a' + (next() % 26) as u8).collect()
    };
    let vocabulary: Vec<Vec<u8>> = (0..10_000).map(|_| word(&mut next)).collect();
    let items: Vec<Vec<u8>> = (0..n)
        .map(|_| match kind {
            // Words of a 10⁴-word vocabulary, skewed towards the first ones.
            "words" => {
                vocabulary[((next() % 10_000) * (next() % 10_000) / 10_000) as usize].clone()
            }
            // URLs: long shared prefixes, then two path segments.
            "urls" => {
                let host = [
                    "https://example.com/",
                    "https://example.org/docs/",
                    "http://a.test/",
                ][(next() % 3) as usize];
                let mut u = host.as_bytes().to_vec();
                u.extend_from_slice(&vocabulary[(next() % 10_000) as usize]);
                u.push(b'/');
                u.extend_from_slice(&vocabulary[(next() % 10_000) as usize]);
                u
            }
            // Random bytes, 0–32 of them.
            _ => (0..next() % 33).map(|_| next() as u8).collect(),
        })
        .collect();
    let store: &'static [Vec<u8>] = Box::leak(items.into_boxed_slice());
    store.iter().map(|v| v.as_slice()).collect()
}

/// Sorting byte strings: the native `sort_strings` (American flag + multikey quicksort) against std's and glidesort's
/// comparison sorts (vqsort sorts fixed-width keys only).
fn string_cells(reg: &mut Registry, dataset: &str, data: Vec<&'static [u8]>) {
    let mut want = data.clone();
    want.sort_unstable();
    let (data, want) = (Rc::new(data), Rc::new(want));
    let mut cell = |imp: &str, f: fn(&mut [&'static [u8]])| {
        let buf = Rc::new(RefCell::new(data.as_ref().clone()));
        let (d, b, out, w) = (Rc::clone(&data), Rc::clone(&buf), buf, Rc::clone(&want));
        let n = d.len() as u64;
        reg.add(
            Case::new(NAME, "strings", dataset, imp, 0, n, move || {
                let mut k = b.borrow_mut();
                k.copy_from_slice(&d);
                f(black_box(&mut k));
                k[k.len() / 2].len() as u64 + n
            })
            .verify(move || {
                if *out.borrow() == *w {
                    Ok(())
                } else {
                    Err("output differs from std's sort_unstable".to_owned())
                }
            }),
        );
    };
    cell("arsenal:sort-strings", |k| sort_strings(k).expect("sort"));
    cell("peer:std-sort-unstable", |k| k.sort_unstable());
    cell("peer:std-sort", |k| k.sort());
    cell("peer:glidesort", glidesort::sort);
}

fn select_cells(reg: &mut Registry, dataset: &str, data: Rc<Vec<u64>>) {
    let nth = data.len() / 2;
    let mut sorted = (*data).clone();
    sorted.sort_unstable();
    let want = sorted[nth];
    let mut cell = |imp: &str, f: fn(&mut [u64], usize) -> u64| {
        let d = Rc::clone(&data);
        let mut buf = vec![0u64; d.len()];
        let n = d.len() as u64;
        reg.add(
            Case::new(NAME, "select", dataset, imp, 0, n, move || {
                buf.copy_from_slice(&d);
                f(black_box(&mut buf), nth)
            })
            .expect(want),
        );
    };
    cell("arsenal:floyd-rivest", |k, i| {
        select_nth(k, i, SelectAlgorithm::FloydRivest).expect("in range")
    });
    cell("arsenal:introselect", |k, i| {
        select_nth(k, i, SelectAlgorithm::Introselect).expect("in range")
    });
    cell("peer:std-select-nth-unstable", |k, i| {
        *k.select_nth_unstable(i).1
    });
}

fn search_cells(reg: &mut Registry, dataset: &str, n: usize) {
    let mut next = rng(6);
    let mut keys: Vec<u64> = (0..n).map(|_| next() >> 1).collect();
    keys.sort_unstable();
    let queries: Vec<u64> = (0..100_000)
        .map(|i| {
            if i % 2 == 0 {
                keys[(next() % n as u64) as usize]
            } else {
                next() >> 1
            }
        })
        .collect();
    let want = queries
        .iter()
        .map(|q| keys.partition_point(|x| x < q) as u64)
        .fold(0u64, u64::wrapping_add);
    let (keys, queries) = (Rc::new(keys), Rc::new(queries));
    let items = queries.len() as u64;
    let mut cell = |imp: &str, f: SearchFn| {
        let (k, q) = (Rc::clone(&keys), Rc::clone(&queries));
        reg.add(
            Case::new(NAME, "search", dataset, imp, 0, items, move || {
                q.iter()
                    .map(|&x| f(&k, black_box(x)) as u64)
                    .fold(0, u64::wrapping_add)
            })
            .expect(want),
        );
    };
    cell(
        "arsenal:branchless",
        Box::new(|k, x| lower_bound_branchless(k, &x)),
    );
    let ey = Rc::new(Eytzinger::new(&keys).expect("layout"));
    cell(
        "arsenal:eytzinger",
        Box::new(move |_, x| ey.lower_bound(&x)),
    );
    cell("arsenal:interpolation", Box::new(interpolation_lower_bound));
    cell(
        "peer:std-partition-point",
        Box::new(|k, x| k.partition_point(|y| *y < x)),
    );
    cell(
        "peer:std-binary-search",
        Box::new(|k, x| k.binary_search(&x).unwrap_or_else(|i| i)),
    );
    if n <= 4096 {
        cell("arsenal:simd", Box::new(simd_lower_bound_u64));
    } else {
        reg.add(Case::unsupported(
            NAME,
            "search",
            dataset,
            "arsenal:simd",
            "a linear vectorised count: for arrays of up to a few thousand keys",
        ));
    }
}

/// Peak resident growth per key while sorting 10⁶ existing keys.
pub fn memory_rows() -> Vec<MemoryRow> {
    let data: Vec<u64> = pattern("random", 1_000_000, 1);
    let mut rows = Vec::new();
    let mut row = |imp: &str, f: &mut dyn FnMut(&mut [u64])| {
        let mut k = data.clone();
        let peak = peak_resident(|| {
            f(&mut k);
            Some(())
        });
        rows.push(MemoryRow {
            domain: NAME.to_owned(),
            dataset: "u64-1e6".to_owned(),
            what: "sorting 10⁶ random u64 keys already in memory: peak resident growth / keys"
                .to_owned(),
            imp: imp.to_owned(),
            items: 1_000_000,
            bytes_per_item: peak.map(|(_, b)| b as f64 / 1e6),
        });
    };
    row("arsenal:vqsort", &mut |k| Vqsort.sort(k).expect("vqsort"));
    row("arsenal:samplesort", &mut |k| {
        Samplesort.sort(k).expect("samplesort")
    });
    row("arsenal:parallel-samplesort", &mut |k| {
        ParallelSamplesort::new()
            .sort(k)
            .expect("parallel samplesort")
    });
    row("arsenal:radix", &mut |k| Radix.sort(k).expect("radix"));
    row("peer:std-sort-unstable", &mut <u64 as Key>::std_unstable);
    row("peer:std-sort", &mut <u64 as Key>::std_stable);
    row("peer:voracious", &mut <u64 as Key>::voracious);
    row("peer:rdst", &mut <u64 as Key>::rdst);
    row("peer:glidesort", &mut <u64 as Key>::glidesort);
    rows
}
