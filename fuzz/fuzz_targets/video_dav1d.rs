//! Property: `arsenal_fuzz::video::video_dav1d` (fuzz/src/video.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::video::video_dav1d(data));
