//! The ordered-map suite (`arsenal-tree`), instantiated once per backend by
//! [`tree_conformance!`](crate::tree_conformance): every answer checked against std's
//! `BTreeMap` as a model under random operations (dense, sparse and extreme keys, with
//! removals that merge and rebalance nodes), every range-bound combination including
//! inverted and empty ranges, ascending and descending bulk loads, the documented space
//! bound, and shared reads from two threads.
use std::collections::BTreeMap;
use std::ops::Bound;

use arsenal_tree::OrderedMap;

use crate::data::rng;

fn contents<M: OrderedMap + ?Sized>(m: &M, range: (Bound<u64>, Bound<u64>)) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    m.for_each_in(range, &mut |k, v| out.push((k, v)));
    out
}

fn check_contents<M: OrderedMap>(m: &M, model: &BTreeMap<u64, u64>) {
    assert_eq!(m.len(), model.len());
    assert_eq!(m.is_empty(), model.is_empty());
    let all = contents(m, (Bound::Unbounded, Bound::Unbounded));
    assert!(all.iter().copied().eq(model.iter().map(|(k, v)| (*k, *v))));
    assert_eq!(m.first(), model.first_key_value().map(|(k, v)| (*k, *v)));
    assert_eq!(m.last(), model.last_key_value().map(|(k, v)| (*k, *v)));
}

/// A key: mostly from a small range (hits, overwrites, removals that empty nodes), some
/// from all of `u64`, 0 and `u64::MAX`.
fn draw(next: &mut impl FnMut() -> u64, span: u64) -> u64 {
    let r = next();
    match r % 16 {
        0 => next(),
        1 => 0,
        2 => u64::MAX,
        _ => next() % span,
    }
}

/// 300 000 random operations (three phases: growing, shrinking, mixed), each answer equal
/// to the model's; the whole contents compared every 25 000.
pub fn model_ops<M: OrderedMap + Default>() {
    let mut m = M::default();
    let mut model = BTreeMap::new();
    let mut next = rng(11);
    for i in 0..300_000u64 {
        let key = draw(&mut next, 20_000);
        let insert_share = [7, 2, 4][(i / 100_000) as usize];
        match next() % 10 {
            r if r < insert_share => {
                assert_eq!(
                    m.insert(key, i).unwrap(),
                    model.insert(key, i),
                    "insert {key}"
                )
            }
            r if r < 8 => assert_eq!(m.remove(key), model.remove(&key), "remove {key}"),
            8 => assert_eq!(m.get(key), model.get(&key).copied(), "get {key}"),
            _ => assert_eq!(
                m.lower_bound(key),
                model.range(key..).next().map(|(k, v)| (*k, *v)),
                "lower_bound {key}"
            ),
        }
        if i % 25_000 == 24_999 {
            check_contents(&m, &model);
        }
    }
    check_contents(&m, &model);
    m.clear();
    assert!(m.is_empty());
    assert_eq!(m.first(), None);
    assert_eq!(m.insert(5, 6).unwrap(), None);
    assert_eq!(m.get(5), Some(6));
}

/// Every combination of bounds (unbounded, included, excluded) at keys present, absent,
/// 0 and `u64::MAX`, including inverted and empty ranges, which yield nothing (no panic,
/// unlike `BTreeMap::range`).
pub fn ranges<M: OrderedMap + Default>() {
    let mut m = M::default();
    let mut model = BTreeMap::new();
    for k in (0..3_000u64)
        .map(|k| k * 10)
        .chain([u64::MAX - 1, u64::MAX])
    {
        m.insert(k, k / 10).unwrap();
        model.insert(k, k / 10);
    }
    let points = [
        0,
        1,
        9,
        10,
        11,
        15_000,
        15_005,
        29_990,
        29_991,
        u64::MAX - 1,
        u64::MAX,
    ];
    let bounds = |k: u64| [Bound::Unbounded, Bound::Included(k), Bound::Excluded(k)];
    for &a in &points {
        for &b in &points {
            for lo in bounds(a) {
                for hi in bounds(b) {
                    let valid = match (lo, hi) {
                        (Bound::Included(x), Bound::Included(y)) => x <= y,
                        (Bound::Included(x) | Bound::Excluded(x), Bound::Excluded(y))
                        | (Bound::Excluded(x), Bound::Included(y)) => x < y,
                        _ => true,
                    };
                    let want: Vec<(u64, u64)> = if valid {
                        model.range((lo, hi)).map(|(k, v)| (*k, *v)).collect()
                    } else {
                        Vec::new()
                    };
                    assert_eq!(contents(&m, (lo, hi)), want, "range {lo:?}..{hi:?}");
                }
            }
        }
        assert_eq!(
            m.lower_bound(a),
            model.range(a..).next().map(|(k, v)| (*k, *v)),
            "lower_bound {a}"
        );
    }
}

/// Ascending and descending bulk loads of 10⁵ keys, then every key removed in random
/// order: the map empties cleanly and accepts keys again.
pub fn bulk_loads<M: OrderedMap + Default>() {
    let n = 100_000u64;
    let mut m = M::default();
    for k in 0..n {
        assert_eq!(m.insert(k, k).unwrap(), None);
    }
    for k in (n..2 * n).rev() {
        assert_eq!(m.insert(k, k).unwrap(), None);
    }
    assert_eq!(m.len(), 2 * n as usize);
    assert_eq!(m.first(), Some((0, 0)));
    assert_eq!(m.last(), Some((2 * n - 1, 2 * n - 1)));
    let mut keys: Vec<u64> = (0..2 * n).collect();
    let mut next = rng(5);
    for i in (1..keys.len()).rev() {
        keys.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    for (i, &k) in keys.iter().enumerate() {
        assert_eq!(m.remove(k), Some(k), "remove {k}");
        if i % 20_000 == 0 {
            assert_eq!(m.len(), keys.len() - i - 1);
            assert_eq!(m.get(keys[keys.len() - 1]), Some(keys[keys.len() - 1]));
        }
    }
    assert!(m.is_empty());
    assert_eq!(m.lower_bound(0), None);
    m.insert(1, 1).unwrap();
    assert_eq!(contents(&m, (Bound::Unbounded, Bound::Unbounded)), [(1, 1)]);
}

/// Heap bytes per key of 10⁵ random keys stay within `max_per_key` (the backend's
/// documented bound), and after removing 90 % of them within `max_per_key` of the keys
/// once held (freed nodes are kept for reuse, not returned).
pub fn space_bound<M: OrderedMap + Default>(max_per_key: f64) {
    let mut m = M::default();
    let mut next = rng(7);
    let keys: Vec<u64> = (0..100_000).map(|_| next()).collect();
    for (i, &k) in keys.iter().enumerate() {
        m.insert(k, i as u64).unwrap();
    }
    let n = m.len();
    assert!(n > 99_000);
    let per_key = m.heap_bytes() as f64 / n as f64;
    assert!(
        per_key >= 16.0,
        "{per_key} B/key is below the entries' own size"
    );
    assert!(per_key <= max_per_key, "{per_key} B/key > {max_per_key}");
    for &k in &keys[..90_000] {
        m.remove(k);
    }
    assert!(m.heap_bytes() as f64 <= max_per_key * n as f64);
}

/// Two threads read one map at once (`Sync`), each seeing every key.
pub fn shared_reads<M: OrderedMap + Default + Sync>() {
    let mut m = M::default();
    for k in 0..20_000u64 {
        m.insert(k * 7, k).unwrap();
    }
    std::thread::scope(|s| {
        for t in 0..2u64 {
            let m = &m;
            s.spawn(move || {
                for k in (t..20_000).step_by(2) {
                    assert_eq!(m.get(k * 7), Some(k));
                    assert_eq!(m.lower_bound(k * 7 - (k > 0) as u64), Some((k * 7, k)));
                }
            });
        }
    });
}

/// Instantiates the suite for one backend: `$map` is an `OrderedMap + Default + Sync`,
/// `$bytes_per_key` its documented space bound (heap bytes per key, random inserts).
#[macro_export]
macro_rules! tree_conformance {
    ($name:ident, $map:ty, $bytes_per_key:expr) => {
        mod $name {
            #[test]
            fn model_ops() {
                $crate::tree::model_ops::<$map>();
            }
            #[test]
            fn ranges() {
                $crate::tree::ranges::<$map>();
            }
            #[test]
            fn bulk_loads() {
                $crate::tree::bulk_loads::<$map>();
            }
            #[test]
            fn space_bound() {
                $crate::tree::space_bound::<$map>($bytes_per_key);
            }
            #[test]
            fn shared_reads() {
                $crate::tree::shared_reads::<$map>();
            }
        }
    };
}
