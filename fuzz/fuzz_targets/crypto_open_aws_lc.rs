//! Property: `arsenal_fuzz::crypto::crypto_open_aws_lc` (fuzz/src/crypto.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::crypto::crypto_open_aws_lc(data));
