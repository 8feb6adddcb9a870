//! The ordered-map suite, once per backend, and the backends against each other.
#![cfg(feature = "tree")]

// The B+ tree's documented bound: leaves at least half full (33 B/key for u64 → u64),
// inner nodes, and the arenas' growth by a quarter (heap_bytes counts capacity).
arsenal_conformance::tree_conformance!(btree, arsenal_tree::BTree<u64, u64>, 48.0);
// The adaptive radix tree: 16 B leaves plus inner nodes of at least 2 (Node4), 4 (Node16),
// 13 (Node48) or 37 (Node256) children, arenas grown by half (measured 42 B/key).
arsenal_conformance::tree_conformance!(art, arsenal_tree::Art<u64>, 96.0);
// Abseil's nodes (256 bytes, 15 entries per leaf) are at least half full after inserts.
#[cfg(feature = "abseil-btree")]
arsenal_conformance::tree_conformance!(abseil, arsenal_tree::Abseil, 40.0);

#[test]
fn backends_agree() {
    use arsenal_tree::{Backend, OrderedMap};
    use std::ops::Bound;
    let mut maps: Vec<_> = Backend::available()
        .into_iter()
        .map(Backend::u64_map)
        .collect();
    assert!(!maps.is_empty());
    for k in 0..20_000u64 {
        let key = k.wrapping_mul(0x2545_f491_4f6c_dd1d) % 9_000;
        let got: Vec<_> = maps.iter_mut().map(|m| m.insert(key, k).unwrap()).collect();
        assert!(
            got.windows(2).all(|w| w[0] == w[1]),
            "insert {key}: {got:?}"
        );
        if k % 3 == 0 {
            let removed: Vec<_> = maps.iter_mut().map(|m| m.remove(key / 2)).collect();
            assert!(
                removed.windows(2).all(|w| w[0] == w[1]),
                "remove: {removed:?}"
            );
        }
    }
    let scans: Vec<Vec<(u64, u64)>> = maps
        .iter()
        .map(|m| {
            let mut out = Vec::new();
            m.for_each_in(
                (Bound::Included(100), Bound::Excluded(5_000)),
                &mut |k, v| out.push((k, v)),
            );
            out
        })
        .collect();
    assert!(scans[0].len() > 1_000, "{}", scans[0].len());
    assert!(scans.windows(2).all(|w| w[0] == w[1]));
}
