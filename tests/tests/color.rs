//! The colour conversion and scaling suite, once per backend, and the native backend's
//! SIMD-against-scalar check.
#![cfg(feature = "color")]

arsenal_conformance::color_conformance!(
    native,
    arsenal_color::Native::new().expect("ARSENAL_COLOR_ISA names a usable instruction set"),
    arsenal_conformance::color::NATIVE
);
arsenal_conformance::color_conformance!(
    native_scalar,
    arsenal_color::Native::with_isa(arsenal_color::Isa::Scalar).expect("scalar"),
    arsenal_conformance::color::NATIVE
);
#[cfg(feature = "libyuv")]
arsenal_conformance::color_conformance!(
    libyuv,
    arsenal_color::Libyuv,
    arsenal_conformance::color::LIBYUV
);

#[test]
fn native_simd_matches_scalar() {
    let compared = arsenal_conformance::color::simd_matches_scalar();
    eprintln!("compared with scalar: {compared:?}");
    #[cfg(target_arch = "x86_64")]
    if arsenal_core_avx2() {
        assert!(compared.contains(&arsenal_color::Isa::Avx2));
    }
}

#[cfg(target_arch = "x86_64")]
fn arsenal_core_avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
}

#[test]
fn isa_names() {
    assert!("avx512".parse::<arsenal_color::Isa>().is_err());
    assert!("bogus".parse::<arsenal_color::Isa>().is_err());
    for isa in arsenal_color::Isa::available() {
        assert_eq!(isa.name().parse::<arsenal_color::Isa>().ok(), Some(isa));
        assert_eq!(
            arsenal_color::Native::with_isa(isa).map(|n| n.isa()).ok(),
            Some(isa)
        );
    }
}
