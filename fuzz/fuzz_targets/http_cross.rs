//! llhttp, picohttpparser and http_parser agree on every input, with the default limits
//! and with small ones, in every mode (request; response to GET; response to GET at the
//! end of the connection), pipelined messages included: the same complete messages
//! (method, target, version, status, reason, headers, body and chunks, trailers,
//! consumed), `Partial` from all three, or errors of the same `ErrorKind`. No exception:
//! arsenal-http promises the same verdict from every backend.
//!
//! The property lives in `arsenal_fuzz` (fuzz/src/lib.rs) and `arsenal_conformance::http`
//! (`CrossParsers`); the stable `replay` binary runs the same code.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| arsenal_fuzz::http_cross(data));
