//! Push / pop sequences on every arsenal-sync queue (the MPSC backends, Concurrency Kit's
//! SPSC / MPMC / SPMC rings) against `VecDeque`. Property:
//! `arsenal_fuzz::ops::sync_queues` (fuzz/src/ops.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::ops::sync_queues(data));
