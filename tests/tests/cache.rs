//! Cache policies conformance (issue 16, in progress).
#![cfg(feature = "cache")]

use arsenal_conformance::cache::{check_lru, skewed_trace};

#[test]
fn lru_bounded_and_below_belady() {
    let t = skewed_trace(50_000, 2_000);
    for cap in [0, 2, 20, 200] {
        check_lru(&t, cap);
    }
}
