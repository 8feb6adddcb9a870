//! Compressed bitmaps: `bitmap_portable` (see `arsenal_fuzz::bitmap::bitmap_portable`).
//!
//! The property lives in `arsenal_fuzz::bitmap` (fuzz/src/bitmap.rs); the stable
//! `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::bitmap::bitmap_portable(data));
