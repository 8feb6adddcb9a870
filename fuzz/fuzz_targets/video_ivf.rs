//! Property: `arsenal_fuzz::video::video_ivf` (fuzz/src/video.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::video::video_ivf(data));
