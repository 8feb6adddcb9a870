//! Property: `arsenal_fuzz::audio::audio_ogg_opus` (fuzz/src/audio.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::audio::audio_ogg_opus(data));
