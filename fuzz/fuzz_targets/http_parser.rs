//! http_parser: `arsenal_conformance::http::fuzz_one`, with the default limits and with
//! small ones. In every mode (request; response to GET; response to GET at the end of
//! the connection): never crash; a complete message's slices lie inside the bytes it
//! consumed (`0 < consumed <= len`); pipelined messages after it parse on with the same
//! parser; and the input fed in pieces (at `input[0] % len`, and at two hashed points)
//! gives exactly the one-piece result for the first message.
//!
//! The property lives in `arsenal_fuzz` (fuzz/src/lib.rs) and `arsenal_conformance::http`;
//! one parser per thread is reset and reused across inputs. The stable `replay` binary
//! runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::http_parser(data));
