//! The CPU-inference conformance suite (ggml block formats), once per backend.
#![cfg(feature = "ml")]

arsenal_conformance::ml_conformance!(native, arsenal_ml::Backend::Native);
#[cfg(feature = "ggml")]
arsenal_conformance::ml_conformance!(ggml, arsenal_ml::Backend::Ggml);
