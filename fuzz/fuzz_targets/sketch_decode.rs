//! Streaming sketches: `sketch_decode` (see `arsenal_fuzz::sketch::sketch_decode`).
//!
//! The property lives in `arsenal_fuzz::sketch` (fuzz/src/sketch.rs); the stable
//! `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::sketch::sketch_decode(data));
