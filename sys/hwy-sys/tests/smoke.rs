//! -sys smoke test: every key type sorts ascending and descending, matching std's sort.
use arsenal_hwy_sys as sys;

fn keys(n: usize) -> Vec<u64> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        })
        .collect()
}

#[test]
fn u64_and_pairs_sort_like_std() {
    let mut v = keys(10_000);
    let mut expect = v.clone();
    expect.sort_unstable();
    // SAFETY: `v` is a live, writable slice of `v.len()` keys.
    unsafe { sys::arsenal_vqsort_u64(v.as_mut_ptr(), v.len(), 0) };
    assert_eq!(v, expect);
    // SAFETY: as above.
    unsafe { sys::arsenal_vqsort_u64(v.as_mut_ptr(), v.len(), 1) };
    expect.reverse();
    assert_eq!(v, expect);

    let mut pairs: Vec<sys::hwy_K64V64> = keys(5_000)
        .into_iter()
        .map(|k| sys::hwy_K64V64 {
            key: k % 97,
            value: k,
        })
        .collect();
    // SAFETY: `pairs` is a live, writable slice of `pairs.len()` 16-byte aligned pairs.
    unsafe { sys::arsenal_vqsort_k64v64(pairs.as_mut_ptr(), pairs.len(), 0) };
    assert!(pairs.windows(2).all(|w| w[0].key <= w[1].key));

    let mut wide: Vec<u128> = keys(3_000)
        .iter()
        .map(|&k| (u128::from(k % 5) << 64) | u128::from(k))
        .collect();
    let mut expect_wide = wide.clone();
    expect_wide.sort_unstable();
    // SAFETY: `wide` is a live, writable slice; Rust's u128 is Highway's uint128_t on x86-64.
    unsafe { sys::arsenal_vqsort_u128(wide.as_mut_ptr(), wide.len(), 0) };
    assert_eq!(wide, expect_wide);

    // SAFETY: n = 0 never touches the (dangling) pointer.
    unsafe { sys::arsenal_vqsort_u32(core::ptr::NonNull::dangling().as_ptr(), 0, 0) };
}

#[test]
fn floats_and_target() {
    let mut v: Vec<f64> = keys(4_000).iter().map(|&k| (k as f64) - 9.0e18).collect();
    let mut expect = v.clone();
    expect.sort_unstable_by(f64::total_cmp);
    // SAFETY: `v` is a live, writable slice of NaN-free doubles.
    unsafe { sys::arsenal_vqsort_f64(v.as_mut_ptr(), v.len(), 0) };
    assert_eq!(v, expect);
    // SAFETY: a static NUL-terminated string.
    let name = unsafe { core::ffi::CStr::from_ptr(sys::arsenal_vqsort_best_target()) };
    assert!(!name.to_bytes().is_empty());
}
