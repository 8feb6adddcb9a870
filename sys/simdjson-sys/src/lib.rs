//! Raw FFI to [simdjson](https://github.com/simdjson/simdjson)'s DOM parser.
//!
//! simdjson is a C++ library, so this crate compiles a small `extern "C"` shim of our
//! own (`shim/arsenal_simdjson.cpp`) against it and declares that shim here. There is
//! no logic in this crate: the safe API is `arsenal-json` (feature `simdjson`).
//!
//! The parsed document is exposed as simdjson's *tape*: an array of `u64` words whose
//! high byte is a type tag (see the `TAPE_*` constants) and a string buffer where each
//! string is a little-endian `u32` length followed by the bytes and a NUL.
//!
//! Build-script cfgs from the detected version: `simdjson_bigint_error` (3.8 or newer:
//! integers beyond 64 bits are reported as [`error::BIGINT`] rather than
//! [`error::NUMBER`]).
//!
//! How the library was found (vendored submodule, env override, system, or the
//! `scripts/bootstrap` prefix) is printed by the build script and exported to dependents
//! as `DEP_SIMDJSON_ROUTE`, `DEP_SIMDJSON_VERSION` and `DEP_SIMDJSON_INCLUDE`.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int};

/// Opaque parser handle (a `simdjson::dom::parser` plus its document).
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_sj_parser {
    _opaque: [u8; 0],
    _pinned: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
}

extern "C" {
    /// Creates a parser accepting documents of at most `max_capacity` bytes and
    /// `max_depth` nesting levels. Returns null and sets `*error` (an [`error`] code)
    /// on failure.
    pub fn arsenal_sj_parser_new(
        max_capacity: usize,
        max_depth: usize,
        error: *mut c_int,
    ) -> *mut arsenal_sj_parser;
    /// Frees a parser created by [`arsenal_sj_parser_new`]. Null is allowed.
    pub fn arsenal_sj_parser_free(parser: *mut arsenal_sj_parser);
    /// Parses `len` bytes at `buf`; returns 0 or an [`error`] code. When `padded` is
    /// non-zero the caller guarantees [`arsenal_sj_padding`] readable bytes after the
    /// input; otherwise the shim copies the input into a zero-padded buffer the parser
    /// owns and reuses. On success stores the document's tape and string buffer, valid
    /// until the next parse or free.
    pub fn arsenal_sj_parse(
        parser: *mut arsenal_sj_parser,
        buf: *const u8,
        len: usize,
        padded: c_int,
        tape: *mut *const u64,
        strings: *mut *const u8,
    ) -> c_int;
    /// The maximum nesting depth the parser accepts.
    pub fn arsenal_sj_parser_max_depth(parser: *const arsenal_sj_parser) -> usize;
    /// The maximum document size in bytes the parser accepts.
    pub fn arsenal_sj_parser_max_capacity(parser: *const arsenal_sj_parser) -> usize;
    /// simdjson's static message for the last error this thread saw in the shim.
    pub fn arsenal_sj_last_error_message() -> *const c_char;
    /// `SIMDJSON_PADDING`: bytes that must be readable past the input in padded mode.
    pub fn arsenal_sj_padding() -> usize;
    /// The simdjson version (`major.minor.revision`) of the headers the shim was
    /// compiled against.
    pub fn arsenal_sj_version() -> *const c_char;
    /// Name of the SIMD kernel simdjson selected at run time (e.g. `haswell`).
    pub fn arsenal_sj_active_implementation() -> *const c_char;
}

/// Tape tag: root marker (first and last word of every document).
pub const TAPE_ROOT: u8 = b'r';
/// Tape tag: start of an array; payload = index after the matching end | count << 32.
pub const TAPE_START_ARRAY: u8 = b'[';
/// Tape tag: end of an array; payload = index of the matching start.
pub const TAPE_END_ARRAY: u8 = b']';
/// Tape tag: start of an object; payload as for arrays (count of key/value pairs).
pub const TAPE_START_OBJECT: u8 = b'{';
/// Tape tag: end of an object.
pub const TAPE_END_OBJECT: u8 = b'}';
/// Tape tag: string; payload = offset into the string buffer.
pub const TAPE_STRING: u8 = b'"';
/// Tape tag: signed 64-bit integer, value in the next word.
pub const TAPE_INT64: u8 = b'l';
/// Tape tag: unsigned 64-bit integer (above `i64::MAX`), value in the next word.
pub const TAPE_UINT64: u8 = b'u';
/// Tape tag: double, bits in the next word.
pub const TAPE_DOUBLE: u8 = b'd';
/// Tape tag: `true`.
pub const TAPE_TRUE: u8 = b't';
/// Tape tag: `false`.
pub const TAPE_FALSE: u8 = b'f';
/// Tape tag: `null`.
pub const TAPE_NULL: u8 = b'n';
/// Mask of a tape word's payload (low 56 bits).
pub const TAPE_PAYLOAD_MASK: u64 = (1 << 56) - 1;
/// Container counts saturate at this value; count by walking when it is reached.
pub const TAPE_COUNT_SATURATED: u64 = 0xFF_FFFF;

/// Error codes returned by the shim: simdjson's `error_code`, translated by name (its
/// numeric values differ between 3.x releases: before 3.8 there is no `BIGINT_ERROR`).
pub mod error {
    /// No error.
    pub const OK: i32 = 0;
    /// Document larger than the parser's maximum capacity.
    pub const CAPACITY: i32 = 1;
    /// Allocation failed.
    pub const MEMALLOC: i32 = 2;
    /// Improper structure (missing or extra commas, braces, keys...).
    pub const TAPE: i32 = 3;
    /// Nesting deeper than the parser's max depth.
    pub const DEPTH: i32 = 4;
    /// Invalid string (bad escape, lone surrogate).
    pub const STRING: i32 = 5;
    /// Invalid `true`, `false` or `null`.
    pub const ATOM: i32 = 6;
    /// Invalid or out-of-range number.
    pub const NUMBER: i32 = 7;
    /// Integer beyond 64 bits (simdjson 3.8+; older releases report [`NUMBER`]).
    pub const BIGINT: i32 = 8;
    /// Invalid UTF-8.
    pub const UTF8: i32 = 9;
    /// Empty input.
    pub const EMPTY: i32 = 10;
    /// Unescaped control characters in a string.
    pub const UNESCAPED_CHARS: i32 = 11;
    /// A string with no closing quote.
    pub const UNCLOSED_STRING: i32 = 12;
    /// An array or object with no end.
    pub const INCOMPLETE: i32 = 13;
    /// Content after the document.
    pub const TRAILING_CONTENT: i32 = 14;
    /// No SIMD kernel for this CPU.
    pub const UNSUPPORTED_ARCHITECTURE: i32 = 15;
    /// Anything else (including a C++ exception caught at the boundary).
    pub const OTHER: i32 = 16;
}
