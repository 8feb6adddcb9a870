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
    /// `max_depth` nesting levels. Returns null and sets `*error` on failure.
    pub fn arsenal_sj_parser_new(
        max_capacity: usize,
        max_depth: usize,
        error: *mut c_int,
    ) -> *mut arsenal_sj_parser;
    /// Frees a parser created by [`arsenal_sj_parser_new`]. Null is allowed.
    pub fn arsenal_sj_parser_free(parser: *mut arsenal_sj_parser);
    /// Parses `len` bytes at `buf`. When `padded` is non-zero the caller guarantees
    /// [`arsenal_sj_padding`] readable bytes after the input; otherwise simdjson copies
    /// the input into a padded buffer it owns. On success returns 0 and stores the
    /// document's tape and string buffer, valid until the next parse or free.
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
    /// simdjson's static message for an error code.
    pub fn arsenal_sj_error_message(code: c_int) -> *const c_char;
    /// `SIMDJSON_PADDING`: bytes that must be readable past the input in padded mode.
    pub fn arsenal_sj_padding() -> usize;
    /// `SIMDJSON_VERSION` of the headers the shim was compiled against.
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

/// simdjson's `error_code` values (stable across 3.x).
pub mod error_code {
    #![allow(missing_docs)]
    pub const SUCCESS: i32 = 0;
    pub const CAPACITY: i32 = 1;
    pub const MEMALLOC: i32 = 2;
    pub const TAPE_ERROR: i32 = 3;
    pub const DEPTH_ERROR: i32 = 4;
    pub const STRING_ERROR: i32 = 5;
    pub const T_ATOM_ERROR: i32 = 6;
    pub const F_ATOM_ERROR: i32 = 7;
    pub const N_ATOM_ERROR: i32 = 8;
    pub const NUMBER_ERROR: i32 = 9;
    pub const BIGINT_ERROR: i32 = 10;
    pub const UTF8_ERROR: i32 = 11;
    pub const UNINITIALIZED: i32 = 12;
    pub const EMPTY: i32 = 13;
    pub const UNESCAPED_CHARS: i32 = 14;
    pub const UNCLOSED_STRING: i32 = 15;
    pub const UNSUPPORTED_ARCHITECTURE: i32 = 16;
    pub const INCORRECT_TYPE: i32 = 17;
    pub const NUMBER_OUT_OF_RANGE: i32 = 18;
    pub const INDEX_OUT_OF_BOUNDS: i32 = 19;
    pub const NO_SUCH_FIELD: i32 = 20;
    pub const IO_ERROR: i32 = 21;
    pub const INVALID_JSON_POINTER: i32 = 22;
    pub const INVALID_URI_FRAGMENT: i32 = 23;
    pub const UNEXPECTED_ERROR: i32 = 24;
    pub const PARSER_IN_USE: i32 = 25;
    pub const OUT_OF_ORDER_ITERATION: i32 = 26;
    pub const INSUFFICIENT_PADDING: i32 = 27;
    pub const INCOMPLETE_ARRAY_OR_OBJECT: i32 = 28;
    pub const SCALAR_DOCUMENT_AS_VALUE: i32 = 29;
    pub const OUT_OF_BOUNDS: i32 = 30;
    pub const TRAILING_CONTENT: i32 = 31;
}
