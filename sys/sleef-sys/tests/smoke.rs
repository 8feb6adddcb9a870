//! -sys smoke test: the shim was compiled against SLEEF 3.x and its slice loops compute
//! exp and pow at every level this CPU runs (odd lengths exercise the padded tail).
use arsenal_sleef_sys as sys;

fn levels() -> Vec<i32> {
    let mut levels = vec![sys::LEVEL_SCALAR];
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            levels.push(sys::LEVEL_AVX2);
        }
        if std::arch::is_x86_feature_detected!("avx512f") {
            levels.push(sys::LEVEL_AVX512);
        }
    }
    levels
}

#[test]
fn version_is_3() {
    // SAFETY: no arguments; returns a constant.
    let v = unsafe { sys::arsenal_sleef_version() };
    assert_eq!(v / 10000, 3, "version {v}");
}

#[test]
fn exp_and_pow_round_trip() {
    let x: Vec<f64> = (0..37).map(|i| f64::from(i) * 0.25 - 4.0).collect();
    let y: Vec<f32> = (0..37).map(|i| i as f32 * 0.1).collect();
    for level in levels() {
        let mut out = vec![0.0f64; x.len()];
        // SAFETY: x and out are live slices of x.len() elements; the level runs here.
        let rc =
            unsafe { sys::arsenal_sleef_expd_u10(level, x.as_ptr(), out.as_mut_ptr(), x.len()) };
        assert_eq!(rc, 0);
        for (a, b) in x.iter().zip(&out) {
            assert!(
                (a.exp() - b).abs() <= 2.0 * f64::EPSILON * a.exp(),
                "level {level}: exp({a}) = {b}"
            );
        }
        let mut p = vec![0.0f32; y.len()];
        let base = vec![2.0f32; y.len()];
        // SAFETY: as above, three live slices of y.len() elements.
        let rc = unsafe {
            sys::arsenal_sleef_powf_u10(level, base.as_ptr(), y.as_ptr(), p.as_mut_ptr(), y.len())
        };
        assert_eq!(rc, 0);
        for (e, r) in y.iter().zip(&p) {
            assert!(
                (2f32.powf(*e) - r).abs() <= 2.0 * f32::EPSILON * r,
                "level {level}: 2^{e} = {r}"
            );
        }
    }
    // SAFETY: an unknown level touches no memory and returns -1.
    let rc = unsafe { sys::arsenal_sleef_expd_u10(7, x.as_ptr(), std::ptr::null_mut(), 0) };
    assert_eq!(rc, -1);
}
