//! The sketch suite (`arsenal-sketch`): every sketch's documented error bound checked
//! against exact answers, the distinct counters once per backend by
//! [`sketch_conformance!`](crate::sketch_conformance), and every sketch's serialised
//! form (serde JSON) truncated and corrupted without a panic.

use std::collections::HashMap;

use arsenal_sketch::{
    hash_item, Backend, CountMin, CountSketch, HyperLogLog, HyperLogLogPlus, MinHash, SpaceSaving,
    TDigest,
};

use crate::data::Rng;

/// `n` distinct 64-bit hashes from stream `seed`.
pub fn distinct_hashes(n: usize, seed: u64) -> impl Iterator<Item = u64> {
    (0..n as u64).map(move |i| hash_item(&(i, seed)))
}

/// Relative errors of `backend` at precision 12 over `seeds` streams of `n` distinct
/// items: the root mean square and the largest.
pub fn distinct_errors(backend: Backend, n: usize, seeds: u64) -> (f64, f64) {
    let errs: Vec<f64> = (0..seeds)
        .map(|seed| {
            let mut c = backend.new_counter(12).expect("valid precision");
            distinct_hashes(n, seed).for_each(|h| c.add_hash(h));
            (c.count() - n as f64) / n as f64
        })
        .collect();
    let rms = (errs.iter().map(|e| e * e).sum::<f64>() / errs.len() as f64).sqrt();
    (rms, errs.iter().fold(0.0f64, |m, e| m.max(e.abs())))
}

/// The distinct counter's error across many seeds at n = 2¹⁰ … 2²⁰ (and one stream of
/// 2²⁴): root mean square within 1.3 × the published 1.04/√m, no seed beyond 4.5 of it.
pub fn distinct_accuracy(backend: Backend) {
    let sigma = 1.04 / 64.0;
    for log_n in (10..=20).step_by(2) {
        let seeds = if log_n <= 16 { 24 } else { 6 };
        let (rms, worst) = distinct_errors(backend, 1 << log_n, seeds);
        assert!(
            rms <= 1.3 * sigma,
            "{backend} at 2^{log_n}: rms {rms:.4} > 1.3 × {sigma:.4}"
        );
        assert!(
            worst <= 4.5 * sigma,
            "{backend} at 2^{log_n}: worst {worst:.4}"
        );
    }
    let (_, worst) = distinct_errors(backend, 1 << 24, 1);
    assert!(worst <= 4.0 * sigma, "{backend} at 2^24: {worst:.4}");
}

/// Precisions outside 4..=18 are errors; merging sketches of two streams equals the
/// sketch of their union (register-wise, exactly).
pub fn distinct_limits_and_merge(backend: Backend) {
    for p in [0u8, 3, 19, u8::MAX] {
        assert!(backend.new_counter(p).is_err(), "{backend} precision {p}");
    }
    let (a, b): (Vec<u64>, Vec<u64>) = (
        distinct_hashes(30_000, 1).collect(),
        distinct_hashes(50_000, 2).collect(),
    );
    match backend {
        Backend::Hll => {
            let (mut x, mut y, mut all) = (
                HyperLogLog::new(12).unwrap(),
                HyperLogLog::new(12).unwrap(),
                HyperLogLog::new(12).unwrap(),
            );
            a.iter().for_each(|&h| x.update_hash(h));
            b.iter().for_each(|&h| y.update_hash(h));
            a.iter().chain(&b).for_each(|&h| all.update_hash(h));
            x.merge(&y).unwrap();
            assert_eq!(x, all);
            assert!(x.merge(&HyperLogLog::new(11).unwrap()).is_err());
        }
        Backend::HllPlus => {
            for n in [100usize, 30_000] {
                let (mut x, mut y, mut all) = (
                    HyperLogLogPlus::new(12).unwrap(),
                    HyperLogLogPlus::new(12).unwrap(),
                    HyperLogLogPlus::new(12).unwrap(),
                );
                a[..n].iter().for_each(|&h| x.update_hash(h));
                b[..n].iter().for_each(|&h| y.update_hash(h));
                a[..n]
                    .iter()
                    .chain(&b[..n])
                    .for_each(|&h| all.update_hash(h));
                x.merge(&y).unwrap();
                assert_eq!(x.estimate(), all.estimate(), "n = {n}");
            }
        }
        other => unreachable!("a new distinct counter needs its merge check: {other}"),
    }
}

/// A Zipf(1.1) stream of `n` keys over `keys` and its exact counts.
pub fn zipf_stream(n: usize, keys: u64, seed: u64) -> (Vec<u64>, HashMap<u64, u64>) {
    let mut cdf = Vec::with_capacity(keys as usize);
    let mut sum = 0.0;
    for r in 1..=keys {
        sum += (r as f64).powf(-1.1);
        cdf.push(sum);
    }
    let mut rng = Rng::new(seed);
    let stream: Vec<u64> = (0..n)
        .map(|_| {
            let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * sum;
            cdf.partition_point(|&c| c <= u) as u64
        })
        .collect();
    let mut counts = HashMap::new();
    for &k in &stream {
        *counts.entry(k).or_insert(0u64) += 1;
    }
    (stream, counts)
}

/// Count-Min's guarantee with w = ⌈e/ε⌉, d = ⌈ln 1/δ⌉: never under the true count, and
/// over it by more than εN for at most a δ share of the keys (with slack for the
/// sample); the Count sketch's median estimate unbiased.
pub fn count_min_bounds() {
    let (stream, counts) = zipf_stream(1_000_000, 100_000, 5);
    for (eps, delta) in [(0.001, 0.01), (0.0005, 0.05)] {
        for conservative in [false, true] {
            let mut cm = CountMin::with_error(eps, delta).unwrap();
            cm.set_conservative(conservative);
            stream.iter().for_each(|k| cm.update(k));
            let n = stream.len() as f64;
            let over = counts
                .iter()
                .filter(|&(k, &c)| {
                    let est = cm.estimate(k);
                    assert!(est >= c, "under-estimate {est} < {c}");
                    (est - c) as f64 > eps * n
                })
                .count();
            let share = over as f64 / counts.len() as f64;
            assert!(
                share <= delta * 1.5,
                "ε {eps}, δ {delta}: {share:.4} of keys over εN"
            );
        }
    }
    let mut cs = CountSketch::new(4096, 7).unwrap();
    stream.iter().for_each(|k| cs.update(k));
    let bias: f64 = counts
        .iter()
        .map(|(k, &c)| (cs.estimate(k) - c as i64) as f64)
        .sum::<f64>()
        / counts.len() as f64;
    assert!(bias.abs() < 2.0, "mean signed error {bias}");
}

/// Space-Saving with m counters: every key with true count > N/m is reported, and
/// every reported key has count − error ≤ true ≤ count.
pub fn space_saving_guarantee() {
    let (stream, counts) = zipf_stream(1_000_000, 100_000, 6);
    for m in [64usize, 1024] {
        let mut s = SpaceSaving::new(m).unwrap();
        stream.iter().for_each(|&k| s.insert(k));
        let top = s.top(m);
        let threshold = stream.len() as u64 / m as u64;
        for (&k, &c) in &counts {
            if c > threshold {
                assert!(
                    top.iter().any(|t| t.0 == k),
                    "m {m}: key {k} ({c} > N/m) missing"
                );
            }
        }
        for (k, count, error) in top {
            let truth = counts[&k];
            assert!(
                count - error <= truth && truth <= count,
                "m {m}: {k}: {count}-{error} vs {truth}"
            );
        }
    }
}

/// t-digest (compression δ = 100) on 10⁶ values, against an exact sort, for a uniform
/// and a heavy-tailed (log-normal) distribution: the rank error at q = 10⁻⁴, 0.5 and
/// 0.9999 within the crate's documented bound `max(π·√(q(1−q))/δ, sin²(π/δ)/2)` (half
/// the largest centroid the k1 scale function allows at q, or at the edge).
pub fn tdigest_rank_error() {
    let mut rng = Rng::new(77);
    let uniform: Vec<f64> = (0..1_000_000)
        .map(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
        .collect();
    let lognormal: Vec<f64> = uniform
        .chunks_exact(2)
        .flat_map(|p| {
            let r = (-2.0 * p[0].max(1e-300).ln()).sqrt();
            let t = std::f64::consts::TAU * p[1];
            [(r * t.cos()).exp(), (r * t.sin()).exp()]
        })
        .collect();
    for (name, values) in [("uniform", uniform), ("lognormal", lognormal)] {
        let mut td = TDigest::new(100.0).unwrap();
        values.iter().for_each(|&v| td.add(v).unwrap());
        let mut sorted = values;
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len() as f64;
        let delta = 100.0f64;
        let edge = (std::f64::consts::PI / delta).sin().powi(2) / 2.0;
        for q in [1e-4f64, 0.5, 0.9999] {
            let bound = (std::f64::consts::PI * (q * (1.0 - q)).sqrt() / delta).max(edge);
            let v = td.quantile(q).unwrap();
            let below = sorted.partition_point(|&x| x < v) as f64;
            let upto = sorted.partition_point(|&x| x <= v) as f64;
            let rank = ((below + upto) / 2.0) / n;
            assert!(
                (rank - q).abs() <= bound,
                "{name} q {q}: rank {rank} (bound {bound})"
            );
        }
        assert_eq!(td.min(), sorted.first().copied());
        assert_eq!(td.max(), sorted.last().copied());
        assert!(td.add(f64::NAN).is_err());
    }
}

/// MinHash's Jaccard estimate within 4/√k of the truth at J = 0.1, 0.5, 0.9.
pub fn minhash_accuracy() {
    let k = 256;
    for (shared, own) in [(2_000u64, 9_000u64), (10_000, 5_000), (18_000, 1_000)] {
        let truth = shared as f64 / (shared + 2 * own) as f64;
        let mut a = MinHash::new(k).unwrap();
        let mut b = MinHash::new(k).unwrap();
        for i in 0..shared {
            a.update(&i);
            b.update(&i);
        }
        for i in 0..own {
            a.update(&(1u64 << 40 | i));
            b.update(&(1u64 << 41 | i));
        }
        let j = a.jaccard(&b).unwrap();
        assert!(
            (j - truth).abs() <= 4.0 / (k as f64).sqrt(),
            "J {truth}: {j}"
        );
    }
}

/// Every sketch serialised (serde JSON), then every prefix and many single-byte edits
/// of that text: each either fails to deserialise or gives a sketch that works; never a
/// panic.
pub fn serde_corruption() {
    let mut hll = HyperLogLogPlus::new(8).unwrap();
    distinct_hashes(50, 3).for_each(|h| hll.update_hash(h));
    let mut dense = HyperLogLog::new(6).unwrap();
    distinct_hashes(500, 3).for_each(|h| dense.update_hash(h));
    let mut cm = CountMin::new(16, 3).unwrap();
    (0..100u64).for_each(|i| cm.update(&i));
    let mut ss = SpaceSaving::new(8).unwrap();
    (0..100u64).for_each(|i| ss.insert(i % 13));
    let mut td = TDigest::new(20.0).unwrap();
    (0..300).for_each(|i| td.add(f64::from(i)).unwrap());
    let mut mh = MinHash::new(8).unwrap();
    (0..50u64).for_each(|i| mh.update(&i));
    let texts = [
        serde_json::to_string(&hll).unwrap(),
        serde_json::to_string(&dense).unwrap(),
        serde_json::to_string(&cm).unwrap(),
        serde_json::to_string(&ss).unwrap(),
        serde_json::to_string(&td).unwrap(),
        serde_json::to_string(&mh).unwrap(),
    ];
    for text in &texts {
        let bytes = text.as_bytes();
        let mut variants: Vec<Vec<u8>> = (0..bytes.len()).map(|i| bytes[..i].to_vec()).collect();
        for i in 0..bytes.len() {
            for b in [b'0', b'9', b'-', b'[', b']', b',', b'"', b'e'] {
                let mut v = bytes.to_vec();
                v[i] = b;
                variants.push(v);
            }
        }
        for v in variants {
            exercise(&v);
        }
    }
}

/// Deserialises `bytes` as every sketch type; whatever decodes is used.
pub fn exercise(bytes: &[u8]) {
    if let Ok(s) = serde_json::from_slice::<HyperLogLogPlus>(bytes) {
        let _ = s.estimate();
        let mut t = s.clone();
        t.merge(&s).expect("merge with itself");
        t.update(&1u64);
    }
    if let Ok(s) = serde_json::from_slice::<HyperLogLog>(bytes) {
        let _ = (s.estimate(), s.estimate_improved());
    }
    if let Ok(mut s) = serde_json::from_slice::<CountMin>(bytes) {
        s.update(&7u64);
        let _ = s.estimate(&7u64);
    }
    if let Ok(mut s) = serde_json::from_slice::<SpaceSaving<u64>>(bytes) {
        s.insert(7);
        let _ = s.top(3);
    }
    if let Ok(mut s) = serde_json::from_slice::<TDigest>(bytes) {
        let _ = (s.quantile(0.5), s.cdf(1.0));
        s.add(1.0).expect("finite value");
        s.compress();
        let _ = s.quantile(0.99);
    }
    if let Ok(s) = serde_json::from_slice::<MinHash>(bytes) {
        let _ = s.jaccard(&s);
    }
}

/// Instantiates the distinct-counter suite for one backend.
#[macro_export]
macro_rules! sketch_conformance {
    ($name:ident, $backend:expr) => {
        mod $name {
            use $crate::sketch as suite;

            #[test]
            fn distinct_accuracy() {
                suite::distinct_accuracy($backend);
            }

            #[test]
            fn limits_and_merge() {
                suite::distinct_limits_and_merge($backend);
            }
        }
    };
}
