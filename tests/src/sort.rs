//! The sorting suite (`arsenal-sort`): every [`Sorter`] backend against std's sorts on
//! every key type, input pattern and size from 0 to 10⁶, both orders, by
//! [`sort_conformance!`](crate::sort_conformance); floats with NaN of both signs, `±0.0`
//! and infinities in `total_cmp`'s order; stability where the backend promises it; the
//! key-value pairs' payloads carried along. Selection and searching are checked against
//! std's `select_nth_unstable` and `partition_point` ([`selection`], [`searching`]).
use arsenal_sort::search::{
    interpolation_lower_bound, lower_bound_branchless, simd_lower_bound_u32, simd_lower_bound_u64,
    Eytzinger,
};
use arsenal_sort::{
    select_nth, sort_strings, ErrorKind, KeyValue32, KeyValue64, Order, SelectAlgorithm, SortExt,
    SortKey, Sorter,
};

use crate::data::rng;

/// The input patterns (every sort's classic hard and easy cases).
pub const PATTERNS: &[&str] = &[
    "random",
    "sorted",
    "reverse",
    "sorted-tail",
    "few-unique",
    "all-equal",
    "organ-pipe",
    "sawtooth",
    "two-values",
];

/// `n` raw 64-bit values in `pattern` (ordered as unsigned integers).
pub fn raw(pattern: &str, n: usize, seed: u64) -> Vec<u64> {
    let mut next = rng(seed);
    let mut v: Vec<u64> = (0..n).map(|_| next()).collect();
    match pattern {
        "random" => {}
        "sorted" => v.sort_unstable(),
        "reverse" => v.sort_unstable_by(|a, b| b.cmp(a)),
        "sorted-tail" => {
            let head = n - n / 50;
            v[..head].sort_unstable();
        }
        "few-unique" => v
            .iter_mut()
            .for_each(|x| *x = (*x % 7).wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        "all-equal" => v.iter_mut().for_each(|x| *x = 42),
        "organ-pipe" => {
            v.sort_unstable();
            let mut out: Vec<u64> = v.iter().step_by(2).copied().collect();
            out.extend(v.iter().skip(1).step_by(2).rev());
            v = out;
        }
        "sawtooth" => v
            .iter_mut()
            .enumerate()
            .for_each(|(i, x)| *x = (i % 97) as u64),
        "two-values" => v
            .iter_mut()
            .for_each(|x| *x = if *x % 2 == 0 { 0 } else { u64::MAX }),
        other => panic!("unknown pattern {other}"),
    }
    v
}

/// A key type of the suite: built from raw 64-bit values, compared exactly.
pub trait TestKey: SortKey + core::fmt::Debug {
    /// The key for a raw value (covering the type's whole range and special values).
    fn from_raw(x: u64) -> Self;
    /// An exact identity (bits, payload included).
    fn id(&self) -> u128;
}

macro_rules! int_test_key {
    ($($t:ty),*) => {$(
        impl TestKey for $t {
            fn from_raw(x: u64) -> Self {
                x.wrapping_mul(0x2545_F491_4F6C_DD1D).rotate_left(17) as $t ^ (x as $t)
            }
            fn id(&self) -> u128 {
                *self as u128
            }
        }
    )*};
}
int_test_key!(u16, u32, u64, i16, i32, i64);

impl TestKey for u128 {
    fn from_raw(x: u64) -> Self {
        (u128::from(x % 5) << 64) | u128::from(x)
    }
    fn id(&self) -> u128 {
        *self
    }
}

/// Floats: every 16th raw value maps to a special value (±NaN, ±0.0, ±∞, subnormals).
fn special_f64(x: u64) -> f64 {
    const SPECIAL: [f64; 8] = [
        f64::NAN,
        -0.0,
        0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MIN_POSITIVE / 4.0,
        -f64::MIN_POSITIVE / 8.0,
        f64::MAX,
    ];
    match x % 16 {
        0 => SPECIAL[((x >> 4) % 8) as usize],
        1 => -f64::NAN,
        _ => f64::from_bits(x),
    }
}

impl TestKey for f64 {
    fn from_raw(x: u64) -> Self {
        special_f64(x)
    }
    fn id(&self) -> u128 {
        u128::from(self.to_bits())
    }
}

impl TestKey for f32 {
    fn from_raw(x: u64) -> Self {
        if x % 16 < 2 {
            special_f64(x) as f32
        } else {
            f32::from_bits(x as u32)
        }
    }
    fn id(&self) -> u128 {
        u128::from(self.to_bits())
    }
}

impl TestKey for KeyValue64 {
    fn from_raw(x: u64) -> Self {
        KeyValue64::new(x % 1000, x)
    }
    fn id(&self) -> u128 {
        (u128::from(self.key) << 64) | u128::from(self.value)
    }
}

impl TestKey for KeyValue32 {
    fn from_raw(x: u64) -> Self {
        KeyValue32::new((x % 300) as u32, (x >> 32) as u32)
    }
    fn id(&self) -> u128 {
        (u128::from(self.key) << 32) | u128::from(self.value)
    }
}

/// Sorts `keys` with `sorter` in `order` and checks the result: ordered by the key's
/// order, the same multiset of exact values (payloads included), and for a stable
/// backend equal keys in input order.
pub fn check_sort<K: TestKey>(sorter: &mut dyn Sorter, keys: &[K], order: Order, what: &str) {
    let mut got = keys.to_vec();
    sorter
        .sort_keys(K::keys(&mut got), order)
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let ordered = got.windows(2).all(|w| match order {
        Order::Ascending => w[0].ordered() <= w[1].ordered(),
        Order::Descending => w[0].ordered() >= w[1].ordered(),
    });
    assert!(ordered, "{what}: not in {order:?} order");
    let mut a: Vec<u128> = keys.iter().map(TestKey::id).collect();
    let mut b: Vec<u128> = got.iter().map(TestKey::id).collect();
    a.sort_unstable();
    b.sort_unstable();
    assert!(a == b, "{what}: not a permutation of the input");
    if sorter.backend().is_stable() {
        // std's stable sort by the key's order is the only stable answer.
        let mut want = keys.to_vec();
        match order {
            Order::Ascending => want.sort_by_key(|k| k.ordered()),
            Order::Descending => want.sort_by_key(|k| std::cmp::Reverse(k.ordered())),
        }
        let same = want.iter().zip(&got).all(|(x, y)| x.id() == y.id());
        assert!(same, "{what}: a stable backend reordered equal keys");
    }
}

/// Every pattern × sizes × both orders for one key type.
pub fn all_patterns<K: TestKey>(sorter: &mut dyn Sorter, sizes: &[usize]) {
    for &pattern in PATTERNS {
        for &n in sizes {
            let keys: Vec<K> = raw(pattern, n, n as u64 + 1)
                .into_iter()
                .map(K::from_raw)
                .collect();
            for order in [Order::Ascending, Order::Descending] {
                let what = format!("{:?} {pattern} n={n} {:?}", K::TYPE, order);
                check_sort(sorter, &keys, order, &what);
            }
        }
    }
}

/// Sizes around every threshold of the sorts (insertion sort, samplesort's base case,
/// radix's small cutoff, the parallel minimum) and large inputs.
pub const SIZES: &[usize] = &[
    0, 1, 2, 3, 16, 31, 32, 33, 63, 64, 65, 100, 257, 1000, 4099, 65_535, 65_537,
];

/// The whole suite for one backend.
pub fn suite(make: fn() -> Box<dyn Sorter + Send>) {
    let mut s = make();
    all_patterns::<u64>(&mut *s, SIZES);
    all_patterns::<u32>(&mut *s, &SIZES[..15]);
    all_patterns::<u16>(&mut *s, &SIZES[..15]);
    all_patterns::<i64>(&mut *s, &SIZES[..15]);
    all_patterns::<i32>(&mut *s, &SIZES[..15]);
    all_patterns::<i16>(&mut *s, &SIZES[..15]);
    all_patterns::<u128>(&mut *s, &SIZES[..15]);
    all_patterns::<f64>(&mut *s, SIZES);
    all_patterns::<f32>(&mut *s, &SIZES[..15]);
    all_patterns::<KeyValue64>(&mut *s, SIZES);
    all_patterns::<KeyValue32>(&mut *s, &SIZES[..15]);
    // Large: 10⁶ random and few-unique keys, and 3·10⁵ pairs.
    for pattern in ["random", "few-unique", "sorted-tail"] {
        let keys: Vec<u64> = raw(pattern, 1_000_000, 9);
        let mut want = keys.clone();
        want.sort_unstable();
        let mut got = keys.clone();
        s.sort(&mut got).unwrap();
        assert!(got == want, "u64 {pattern} 10⁶");
        let floats: Vec<f64> = keys.iter().map(|&x| special_f64(x)).collect();
        let want: Vec<u64> = {
            let mut f = floats.clone();
            f.sort_by(f64::total_cmp);
            f.iter().map(|x| x.to_bits()).collect()
        };
        let mut got = floats.clone();
        s.sort(&mut got).unwrap();
        assert!(
            got.iter().map(|x| x.to_bits()).eq(want.iter().copied()),
            "f64 {pattern} 10⁶"
        );
    }
    // Floats without NaN: one subnormal duplicated among random negative subnormals
    // (Highway 1.0.3's float sort misorders about half of such slices; backends must not
    // hand them to it), 300 slices of 100–800 keys.
    let mut next = rng(12);
    for _ in 0..300 {
        let n = 100 + (next() % 700) as usize;
        let dup = next() % 100;
        let keys: Vec<f64> = (0..n)
            .map(|_| {
                if next() % 100 < dup {
                    -f64::MIN_POSITIVE / 8.0
                } else {
                    f64::from_bits(next() & 0x800F_FFFF_FFFF_FFFF)
                }
            })
            .collect();
        let mut want = keys.clone();
        want.sort_by(f64::total_cmp);
        let mut got = keys.clone();
        s.sort(&mut got).unwrap();
        assert!(
            got.iter()
                .map(|x| x.to_bits())
                .eq(want.iter().map(|x| x.to_bits())),
            "subnormal-heavy f64, n={n}, {dup} % duplicates"
        );
    }
    let pairs: Vec<KeyValue64> = raw("random", 300_000, 10)
        .into_iter()
        .map(KeyValue64::from_raw)
        .collect();
    check_sort(&mut *s, &pairs, Order::Ascending, "pairs 3·10⁵");
}

/// Instantiates the sorting suite for one backend (`Backend` value).
#[macro_export]
macro_rules! sort_conformance {
    ($name:ident, $backend:expr) => {
        mod $name {
            #[test]
            fn every_type_pattern_size_and_order() {
                $crate::sort::suite(|| ($backend).sorter().expect("compiled in"));
            }

            #[test]
            fn names_itself() {
                let s = ($backend).sorter().expect("compiled in");
                assert_eq!(s.backend(), $backend);
            }
        }
    };
}

/// Selection: both algorithms against a sort on every pattern, every rank class, and an
/// index past the end (including `usize::MAX`) refused with the keys unchanged.
pub fn selection() {
    for &pattern in PATTERNS {
        for n in [1usize, 2, 3, 10, 100, 600, 601, 602, 1000, 20_000, 200_000] {
            let keys = raw(pattern, n, 3);
            let mut sorted = keys.clone();
            sorted.sort_unstable();
            for nth in [0, 1.min(n - 1), n / 4, n / 2, n - 1] {
                for alg in [SelectAlgorithm::FloydRivest, SelectAlgorithm::Introselect] {
                    let mut v = keys.clone();
                    let got = select_nth(&mut v, nth, alg).unwrap();
                    assert_eq!(got, sorted[nth], "{pattern} n={n} nth={nth} {alg:?}");
                    assert_eq!(v[nth], got);
                    assert!(
                        v[..nth].iter().all(|&x| x <= got) && v[nth..].iter().all(|&x| x >= got)
                    );
                    let mut all = v.clone();
                    all.sort_unstable();
                    assert!(all == sorted, "not a permutation");
                }
            }
        }
    }
    // Floats in total order, NaN included: the median of a slice with NaNs.
    let floats: Vec<f64> = raw("random", 5000, 4)
        .into_iter()
        .map(special_f64)
        .collect();
    let mut sorted = floats.clone();
    sorted.sort_by(f64::total_cmp);
    let mut v = floats.clone();
    let m = select_nth(&mut v, 2500, SelectAlgorithm::FloydRivest).unwrap();
    assert_eq!(m.to_bits(), sorted[2500].to_bits());
    for bad in [3usize, 4, usize::MAX] {
        let mut v = vec![1u32, 2, 3];
        let e = select_nth(&mut v, bad, SelectAlgorithm::Introselect).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutOfRange);
        assert!(e.to_string().contains("index"), "{e}");
        assert_eq!(v, [1, 2, 3]);
    }
}

/// Searching: every search = `partition_point` on random, duplicate-heavy and extreme
/// keys (0 and `u64::MAX` present and probed), empty and one-element slices, skewed data
/// for the interpolation search.
pub fn searching() {
    for n in [0usize, 1, 2, 5, 8, 9, 15, 16, 17, 100, 1000, 4096, 100_000] {
        for (kind, modulo) in [("dups", 13u64), ("random", u64::MAX), ("skewed", 0)] {
            let mut next = rng((n as u64).wrapping_add(modulo));
            let mut v: Vec<u64> = (0..n)
                .map(|i| match kind {
                    "skewed" => {
                        if i % 100 == 0 {
                            next()
                        } else {
                            (i as u64).pow(2)
                        }
                    }
                    _ => next() % modulo,
                })
                .collect();
            if n > 2 {
                v[0] = 0;
                v[1] = u64::MAX;
            }
            v.sort_unstable();
            let e = Eytzinger::new(&v).unwrap();
            let v32: Vec<u32> = {
                let mut w: Vec<u32> = v.iter().map(|&x| x as u32).collect();
                w.sort_unstable();
                w
            };
            let mut probes: Vec<u64> = (0..300).map(|_| next()).collect();
            probes.extend(v.iter().take(200).copied());
            probes.extend(v.iter().take(200).map(|x| x.wrapping_add(1)));
            probes.extend([0, 1, u64::MAX, u64::MAX - 1]);
            for &q in &probes {
                let want = v.partition_point(|&x| x < q);
                assert_eq!(lower_bound_branchless(&v, &q), want, "{kind} n={n} q={q}");
                assert_eq!(e.lower_bound(&q), want, "eytzinger {kind} n={n} q={q}");
                assert_eq!(
                    interpolation_lower_bound(&v, q),
                    want,
                    "interpolation {kind} n={n}"
                );
                if n <= 4096 {
                    assert_eq!(simd_lower_bound_u64(&v, q), want);
                    let q32 = q as u32;
                    assert_eq!(
                        simd_lower_bound_u32(&v32, q32),
                        v32.partition_point(|&x| x < q32)
                    );
                }
            }
        }
    }
}

/// Strings: `sort_strings` equals std's `sort_unstable` on `Vec<u8>`, `&str` (UTF-8,
/// multibyte) and `String`, for empty strings, one repeated string, prefixes of each
/// other, small alphabets (deep common prefixes), long strings and 2·10⁵ random ones.
pub fn strings() {
    let mut next = rng(21);
    for n in [0usize, 1, 2, 15, 16, 17, 100, 3000] {
        for alphabet in [1u64, 2, 3, 256] {
            let v: Vec<Vec<u8>> = (0..n)
                .map(|_| {
                    let len = (next() % 40) as usize;
                    (0..len).map(|_| (next() % alphabet) as u8).collect()
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            let mut got = v.clone();
            sort_strings(&mut got).unwrap();
            assert!(got == want, "bytes n={n} alphabet={alphabet}");
        }
    }
    let words = [
        "é", "e", "ée", "", "z", "Ω", "a", "ab", "abc", "ab", "", "ωmega", "日本", "日",
    ];
    let mut got: Vec<&str> = words.iter().cycle().take(500).copied().collect();
    let mut want = got.clone();
    want.sort_unstable();
    sort_strings(&mut got).unwrap();
    assert_eq!(got, want);
    let mut owned: Vec<String> = (0..200_000)
        .map(|_| format!("{:x}", next() >> (next() % 64)))
        .collect();
    let mut want = owned.clone();
    want.sort_unstable();
    sort_strings(&mut owned).unwrap();
    assert!(owned == want, "2·10⁵ strings");
    let long: Vec<Vec<u8>> = (0..300)
        .map(|i| {
            let mut s = vec![b'x'; 10_000];
            s.push((i % 7) as u8);
            s
        })
        .collect();
    let mut want = long.clone();
    want.sort_unstable();
    let mut got = long;
    sort_strings(&mut got).unwrap();
    assert!(got == want, "10 000-byte common prefixes");
}
