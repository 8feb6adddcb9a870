//! The linear-algebra conformance suite, once per backend.
#![cfg(feature = "linalg")]

arsenal_conformance::linalg_conformance!(native, arsenal_linalg::Backend::Native);
#[cfg(feature = "openblas")]
arsenal_conformance::linalg_conformance!(openblas, arsenal_linalg::Backend::OpenBlas);
#[cfg(feature = "blis")]
arsenal_conformance::linalg_conformance!(blis, arsenal_linalg::Backend::Blis);
