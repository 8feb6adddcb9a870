//! Cache policies conformance (issue 16, in progress): policy behaviour
//! checked against Belady's optimum on generated traces.

use arsenal_cache::{belady, simulate, Cache, Lru};

/// A deterministic skewed trace of `n` requests over `keys` distinct keys.
pub fn skewed_trace(n: usize, keys: u64) -> Vec<u64> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Squaring a uniform value skews towards small keys.
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            ((u * u) * keys as f64) as u64
        })
        .collect()
}

/// Checks the `Cache` contract for an LRU of capacity `cap` on `trace`:
/// never more than `cap` entries, and hits never above Belady's optimum.
pub fn check_lru(trace: &[u64], cap: usize) {
    let mut c = Lru::new(cap);
    let stats = simulate(&mut c, trace);
    assert!(c.len() <= cap);
    assert_eq!(stats.hits + stats.misses, trace.len() as u64);
    let opt = belady(trace, cap);
    assert!(
        opt.hits >= stats.hits,
        "cap {cap}: opt {opt:?} < lru {stats:?}"
    );
}
