//! Priority queues: `heap_ops` (see `arsenal_fuzz::heap::heap_ops`).
//!
//! The property lives in `arsenal_fuzz::heap` (fuzz/src/heap.rs); the stable `replay`
//! binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::heap::heap_ops(data));
