//! Native Rust integer codecs, no C library involved:
//!
//! * [`leb128`]: LEB128 varints, unsigned and ZigZag-signed (protobuf's `uint`/`sint`).
//! * [`stream_vbyte`]: Stream VByte (Lemire, Kurz, Rupp 2017) for `u32` arrays, with an
//!   SSSE3 decoder chosen at run time and a portable scalar one.
//!
//! They share the crate's [`Error`](crate::Error) type (backend names `"leb128"` and
//! `"stream-vbyte"`): truncated input is [`ErrorKind::Truncated`](crate::ErrorKind),
//! malformed input [`ErrorKind::Corrupt`](crate::ErrorKind). Decoders never read past
//! their input.

pub mod leb128;
pub mod stream_vbyte;
