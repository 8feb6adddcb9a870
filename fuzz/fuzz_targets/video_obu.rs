//! Property: `arsenal_fuzz::video::video_obu` (fuzz/src/video.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::video::video_obu(data));
