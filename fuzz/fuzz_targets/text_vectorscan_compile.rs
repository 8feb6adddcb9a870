//! Vectorscan pattern compilation: `text_vectorscan_compile` (see
//! `arsenal_fuzz::text::text_vectorscan_compile`).
//!
//! The property lives in `arsenal_fuzz::text` (fuzz/src/text.rs); the stable `replay`
//! binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::text::text_vectorscan_compile(data));
