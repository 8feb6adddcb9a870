//! CSV: `csv_parse` (see `arsenal_fuzz::csv::csv_parse`).
//!
//! The property lives in `arsenal_fuzz::csv` (fuzz/src/csv.rs); the stable `replay`
//! binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::csv::csv_parse(data));
