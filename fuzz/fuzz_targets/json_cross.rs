//! simdjson and yyjson agree: both reject (both with `ErrorKind::Empty` exactly when the
//! input is blank), or both accept with the same document. The one documented difference
//! (integers beyond 64 bits: simdjson rejects with `ErrorKind::Number`, yyjson reads a
//! double) is allowed; see `arsenal_fuzz::json_cross`.
//!
//! The property lives in `arsenal_fuzz` (fuzz/src/lib.rs), which keeps one parser per
//! thread and reuses it across inputs; the stable `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::json_cross(data));
