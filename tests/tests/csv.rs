//! The CSV suite, once per backend.
#![cfg(feature = "csv")]

arsenal_conformance::csv_conformance!(simd, arsenal_csv::Backend::Simd);
arsenal_conformance::csv_conformance!(scalar, arsenal_csv::Backend::Scalar);

#[test]
fn every_available_backend_is_tested() {
    assert_eq!(
        arsenal_csv::Backend::available(),
        [arsenal_csv::Backend::Simd, arsenal_csv::Backend::Scalar]
    );
}
