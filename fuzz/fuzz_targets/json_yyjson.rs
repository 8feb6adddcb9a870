//! yyjson: `arsenal_conformance::json::fuzz_one` (never crash; accepted documents walk,
//! serialize to JSON that reparses to the same tree, and equal serde_json's tree when
//! serde_json also accepts).
//!
//! The property lives in `arsenal_fuzz` (fuzz/src/lib.rs), which keeps one parser per
//! thread and reuses it across inputs; the stable `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::json_yyjson(data));
