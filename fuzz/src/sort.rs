//! Sorting, selection and searching (`arsenal-sort`): fuzzed keys through every backend,
//! both orders, every key type family, checked against std.

use arsenal_sort::search::{
    interpolation_lower_bound, lower_bound_branchless, simd_lower_bound_u64, Eytzinger,
};
use arsenal_sort::{
    select_nth, sort_strings, Backend, KeyValue64, Order, SelectAlgorithm, SortKey,
};

/// Decodes 8-byte little-endian words (the tail zero-padded); when the first byte is
/// `0xA5`, the words are repeated up to 140 000 keys so that the parallel and
/// most-significant-digit paths (from 2¹⁷ and 2¹⁶ keys) run too (rarely: such an input
/// takes about half a second under AddressSanitizer).
fn words(data: &[u8]) -> Vec<u64> {
    let mut w: Vec<u64> = data
        .chunks(8)
        .map(|c| {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            u64::from_le_bytes(b)
        })
        .collect();
    if data.first() == Some(&0xA5) && !w.is_empty() {
        let base = w.clone();
        let mut i = 0u64;
        while w.len() < 140_000 {
            w.extend(base.iter().map(|x| x ^ (i % 3)));
            i += 1;
        }
    }
    w
}

fn check<K: SortKey + PartialEq>(keys: &[K], id: impl Fn(&K) -> u128, what: &str) {
    for backend in Backend::available() {
        let mut sorter = backend.sorter().expect("available");
        for order in [Order::Ascending, Order::Descending] {
            let mut got = keys.to_vec();
            sorter.sort_keys(K::keys(&mut got), order).expect("sort");
            let ok = got.windows(2).all(|w| match order {
                Order::Ascending => w[0].ordered() <= w[1].ordered(),
                Order::Descending => w[0].ordered() >= w[1].ordered(),
            });
            assert!(ok, "{backend} {what} {order:?}: out of order");
            let mut a: Vec<u128> = keys.iter().map(&id).collect();
            let mut b: Vec<u128> = got.iter().map(&id).collect();
            a.sort_unstable();
            b.sort_unstable();
            assert!(a == b, "{backend} {what} {order:?}: not a permutation");
            if backend.is_stable() {
                let mut want = keys.to_vec();
                match order {
                    Order::Ascending => want.sort_by_key(|k| k.ordered()),
                    Order::Descending => want.sort_by_key(|k| std::cmp::Reverse(k.ordered())),
                }
                assert!(
                    want.iter().zip(&got).all(|(x, y)| id(x) == id(y)),
                    "{backend} unstable"
                );
            }
        }
    }
}

/// `sort_ops`: the input as keys of five types (u64, i32, f64 with every NaN and zero
/// the bytes spell, key-value pairs, u16) sorted by every backend in both orders (ordered,
/// a permutation, stable where promised); the median and two other ranks selected by both
/// algorithms (= the sorted slice's); lower bounds of the keys ± 1 by every search
/// (= `partition_point`); an index past the end refused; the input split at `\n` bytes
/// as strings sorted like std's `sort_unstable`.
pub fn sort_ops(data: &[u8]) {
    let mut strings: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    let mut want = strings.clone();
    want.sort_unstable();
    sort_strings(&mut strings).expect("sort strings");
    assert!(strings == want, "strings");

    let w = words(data);
    check(&w, |x| u128::from(*x), "u64");
    let i32s: Vec<i32> = w.iter().map(|&x| x as i32).collect();
    check(&i32s, |x| *x as u32 as u128, "i32");
    let f64s: Vec<f64> = w.iter().map(|&x| f64::from_bits(x)).collect();
    check(&f64s, |x| u128::from(x.to_bits()), "f64");
    let kv: Vec<KeyValue64> = w
        .iter()
        .enumerate()
        .map(|(i, &x)| KeyValue64::new(x % 5, i as u64))
        .collect();
    check(
        &kv,
        |p| (u128::from(p.key) << 64) | u128::from(p.value),
        "kv64",
    );
    let u16s: Vec<u16> = w.iter().map(|&x| (x >> 48) as u16).collect();
    check(&u16s, |x| u128::from(*x), "u16");

    let mut sorted = w.clone();
    sorted.sort_unstable();
    if !w.is_empty() {
        for nth in [0, w.len() / 2, (data[0] as usize) % w.len()] {
            for alg in [SelectAlgorithm::FloydRivest, SelectAlgorithm::Introselect] {
                let mut v = w.clone();
                assert_eq!(select_nth(&mut v, nth, alg).expect("in range"), sorted[nth]);
            }
        }
    }
    let mut v = w.clone();
    assert!(select_nth(&mut v, w.len(), SelectAlgorithm::Introselect).is_err());
    assert!(v == w, "a refused selection changed the keys");

    let e = Eytzinger::new(&sorted).expect("layout");
    for &k in w.iter().take(256) {
        for q in [k, k.wrapping_add(1), k.wrapping_sub(1)] {
            let want = sorted.partition_point(|&x| x < q);
            assert_eq!(lower_bound_branchless(&sorted, &q), want);
            assert_eq!(e.lower_bound(&q), want);
            assert_eq!(interpolation_lower_bound(&sorted, q), want);
            if sorted.len() <= 4096 {
                assert_eq!(simd_lower_bound_u64(&sorted, q), want);
            }
        }
    }
}
