//! Ordered maps (`arsenal-tree`): random operation sequences on every backend and on the
//! generic B+ tree with small keys, checked against std's `BTreeMap`.

use std::collections::BTreeMap;
use std::ops::Bound;

use arsenal_tree::{BTree, Backend, OrderedMap};

/// A key from two input bytes: small (dense, many hits and removes), near `u64::MAX`, or a
/// byte shifted anywhere (sparse, long shared prefixes).
fn key(a: u8, b: u8) -> u64 {
    match a >> 6 {
        0 => u64::from(b),
        1 => u64::MAX - u64::from(b),
        2 => u64::from(b) << (a & 63),
        _ => u64::from(b) * 0x0101_0101,
    }
}

fn bound(kind: u8, k: u64) -> Bound<u64> {
    match kind % 3 {
        0 => Bound::Unbounded,
        1 => Bound::Included(k),
        _ => Bound::Excluded(k),
    }
}

/// `tree_ops`: the input is 4-byte operations (insert, remove, get, lower bound, range
/// scan with any bounds, first/last, clear) run on every [`OrderedMap`] backend and on
/// `BTree<u8, u16>`; every answer equals std's `BTreeMap`'s, including empty and inverted
/// ranges, and no operation panics.
pub fn tree_ops(data: &[u8]) {
    for backend in Backend::available() {
        let mut m = backend.u64_map();
        let mut model: BTreeMap<u64, u64> = BTreeMap::new();
        for (i, op) in data.chunks_exact(4).enumerate() {
            let k = key(op[1], op[2]);
            let v = i as u64;
            match op[0] % 16 {
                0..=5 => {
                    let got = m.insert(k, v).expect("insert of a small map");
                    assert_eq!(got, model.insert(k, v), "{backend}: insert {k}");
                }
                6..=8 => assert_eq!(m.remove(k), model.remove(&k), "{backend}: remove {k}"),
                9 | 10 => assert_eq!(m.get(k), model.get(&k).copied(), "{backend}: get {k}"),
                11 => assert_eq!(
                    m.lower_bound(k),
                    model.range(k..).next().map(|(a, b)| (*a, *b)),
                    "{backend}: lower_bound {k}"
                ),
                12 | 13 => {
                    let hi = key(op[3], op[2] ^ op[3]);
                    let range = (bound(op[0] >> 4, k), bound(op[3], hi));
                    let mut got = Vec::new();
                    m.for_each_in(range, &mut |a, b| got.push((a, b)));
                    // std's range panics on inverted or empty-excluded bounds: the
                    // expected answer is then nothing.
                    let valid = match (range.0, range.1) {
                        (Bound::Included(a), Bound::Included(b)) => a <= b,
                        (Bound::Included(a) | Bound::Excluded(a), Bound::Excluded(b))
                        | (Bound::Excluded(a), Bound::Included(b)) => a < b,
                        _ => true,
                    };
                    let want: Vec<(u64, u64)> = if valid {
                        model.range(range).map(|(a, b)| (*a, *b)).collect()
                    } else {
                        Vec::new()
                    };
                    assert_eq!(got, want, "{backend}: range {range:?}");
                }
                14 => {
                    let first = model.first_key_value().map(|(a, b)| (*a, *b));
                    let last = model.last_key_value().map(|(a, b)| (*a, *b));
                    assert_eq!(m.first(), first, "{backend}");
                    assert_eq!(m.last(), last, "{backend}");
                }
                _ => {
                    if op[3] == 0 {
                        m.clear();
                        model.clear();
                    }
                }
            }
            assert_eq!(m.len(), model.len(), "{backend}");
        }
        let mut all = Vec::new();
        m.for_each_in((Bound::Unbounded, Bound::Unbounded), &mut |a, b| all.push((a, b)));
        assert!(all.into_iter().eq(model.into_iter()), "{backend}: contents");
    }
    small_keys(data);
}

/// The generic tree with `u8` keys: full nodes and merges on a 256-key space.
fn small_keys(data: &[u8]) {
    let mut t: BTree<u8, u16> = BTree::new();
    let mut model: BTreeMap<u8, u16> = BTreeMap::new();
    for (i, op) in data.chunks_exact(2).enumerate() {
        let (k, v) = (op[1], i as u16);
        if op[0] & 1 == 0 {
            assert_eq!(t.insert(k, v).expect("insert"), model.insert(k, v));
        } else {
            assert_eq!(t.remove(&k), model.remove(&k));
        }
        assert_eq!(t.get(&k), model.get(&k));
        if op[0] & 6 == 6 {
            assert!(t.range(k..).eq(model.range(k..)));
        }
    }
    assert!(t.iter().eq(model.iter()));
    assert_eq!(t.len(), model.len());
}
