//! String matching: `text_search` (see `arsenal_fuzz::text::text_search`).
//!
//! The property lives in `arsenal_fuzz::text` (fuzz/src/text.rs); the stable `replay`
//! binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::text::text_search(data));
