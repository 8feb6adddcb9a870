//! Hash maps: `map_ops` (see `arsenal_fuzz::map::map_ops`).
//!
//! The property lives in `arsenal_fuzz::map` (fuzz/src/map.rs); the stable `replay`
//! binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::map::map_ops(data));
