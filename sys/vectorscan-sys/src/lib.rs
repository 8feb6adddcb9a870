//! Raw FFI to [Vectorscan](https://github.com/VectorCamp/vectorscan)'s C API (`hs/hs.h`),
//! 5.4.x: Hyperscan's portable fork (x86-64 SSE4.2/AVX2/AVX-512, Arm NEON/SVE, POWER).
//!
//! # Choice of source
//!
//! Vectorscan is a large C++ library (a cmake build of several minutes, with Boost and
//! Ragel at build time) with a stable C API. This crate declares the part of that API
//! the safe layer uses by hand and links the library that `arsenal-build` finds:
//! Debian's `libvectorscan-dev` (pkg-config `libhs`, `>= 5.4, < 5.5`), else the system
//! prefixes, else `HS_DIR` / `HS_INCLUDE_DIR` + `HS_LIB_DIR`. crates.io's
//! `hyperscan-sys` / `vectorscan-rs-sys` either expect the same system library or build
//! the sources with cmake; the distribution package is already built (with run-time CPU
//! dispatch, "fat runtime") and patched by Debian. Linking adds the C++ standard library.
//! How it was found is exported to dependents as `DEP_HS_ROUTE`, `DEP_HS_VERSION` and
//! `DEP_HS_INCLUDE`.
//!
//! # Facts the safe layer relies on
//!
//! - A database (`hs_database_t`) is immutable after compilation and may be shared by
//!   threads; a scratch space (`hs_scratch_t`) may be used by one scan at a time
//!   (`HS_SCRATCH_IN_USE` otherwise); a stream (`hs_stream_t`) belongs to one caller.
//! - `hs_scan` and `hs_scan_stream` take the data length as `unsigned int`: inputs of
//!   4 GiB or more must be split by the caller (streaming mode).
//! - The match callback reports `(id, from, to)` where `to` is the end offset (one past
//!   the last byte) from the start of the block or stream; `from` is 0 unless the
//!   pattern was compiled with `HS_FLAG_SOM_LEFTMOST`. Every end offset of every match is
//!   reported, in increasing `to` order. A non-zero return stops the scan
//!   (`HS_SCAN_TERMINATED`).
//! - Compile errors come back as an `hs_compile_error_t` with a message and the index of
//!   the offending expression (negative when none), freed with `hs_free_compile_error`.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_uint, c_ulonglong, c_void};

/// `hs_error_t`: a status code.
pub type hs_error_t = c_int;
/// The call succeeded.
pub const HS_SUCCESS: hs_error_t = 0;
/// A parameter passed to this function was invalid.
pub const HS_INVALID: hs_error_t = -1;
/// A memory allocation failed.
pub const HS_NOMEM: hs_error_t = -2;
/// The engine was terminated by the callback's non-zero return.
pub const HS_SCAN_TERMINATED: hs_error_t = -3;
/// The pattern compiler failed (details in the `hs_compile_error_t`).
pub const HS_COMPILER_ERROR: hs_error_t = -4;
/// The database was built for a different version of the library.
pub const HS_DB_VERSION_ERROR: hs_error_t = -5;
/// The database was built for a different platform.
pub const HS_DB_PLATFORM_ERROR: hs_error_t = -6;
/// The database was built for a different mode (block vs streaming).
pub const HS_DB_MODE_ERROR: hs_error_t = -7;
/// A parameter was not correctly aligned.
pub const HS_BAD_ALIGN: hs_error_t = -8;
/// The memory allocator returned incorrectly aligned memory.
pub const HS_BAD_ALLOC: hs_error_t = -9;
/// The scratch region was already in use.
pub const HS_SCRATCH_IN_USE: hs_error_t = -10;
/// This CPU lacks the instructions the library needs (SSE4.2 on x86-64).
pub const HS_ARCH_ERROR: hs_error_t = -11;
/// A provided buffer was too small.
pub const HS_INSUFFICIENT_SPACE: hs_error_t = -12;
/// An unexpected internal error.
pub const HS_UNKNOWN_ERROR: hs_error_t = -13;

/// Pattern flag: case-insensitive matching.
pub const HS_FLAG_CASELESS: c_uint = 1;
/// Pattern flag: `.` matches newlines too.
pub const HS_FLAG_DOTALL: c_uint = 2;
/// Pattern flag: `^` and `$` match at line boundaries.
pub const HS_FLAG_MULTILINE: c_uint = 4;
/// Pattern flag: report at most one match per pattern per scan.
pub const HS_FLAG_SINGLEMATCH: c_uint = 8;
/// Pattern flag: allow patterns that can match the empty string.
pub const HS_FLAG_ALLOWEMPTY: c_uint = 16;
/// Pattern flag: the pattern and the data are UTF-8.
pub const HS_FLAG_UTF8: c_uint = 32;
/// Pattern flag: Unicode properties for character classes (with `HS_FLAG_UTF8`).
pub const HS_FLAG_UCP: c_uint = 64;
/// Pattern flag: prefiltering mode (approximate, may report false positives).
pub const HS_FLAG_PREFILTER: c_uint = 128;
/// Pattern flag: report the leftmost start offset of each match (costs speed and
/// stream state).
pub const HS_FLAG_SOM_LEFTMOST: c_uint = 256;

/// Database mode: block mode (whole buffers).
pub const HS_MODE_BLOCK: c_uint = 1;
/// Database mode: streaming mode (data in chunks, matches across chunk boundaries).
pub const HS_MODE_STREAM: c_uint = 2;
/// Database mode: vectored mode (one scan over several buffers).
pub const HS_MODE_VECTORED: c_uint = 4;
/// Mode flag for streaming databases with `HS_FLAG_SOM_LEFTMOST` patterns: exact start
/// offsets anywhere in the stream.
pub const HS_MODE_SOM_HORIZON_LARGE: c_uint = 1 << 24;

/// An opaque compiled pattern database.
#[repr(C)]
#[derive(Debug)]
pub struct hs_database_t {
    _private: [u8; 0],
}

/// An opaque scratch space for one scan at a time.
#[repr(C)]
#[derive(Debug)]
pub struct hs_scratch_t {
    _private: [u8; 0],
}

/// An opaque open stream.
#[repr(C)]
#[derive(Debug)]
pub struct hs_stream_t {
    _private: [u8; 0],
}

/// An opaque platform description (we always pass NULL: the host platform).
#[repr(C)]
#[derive(Debug)]
pub struct hs_platform_info_t {
    _private: [u8; 0],
}

/// A compile error: a NUL-terminated message and the index of the expression that
/// caused it (negative when the error concerns no single expression).
#[repr(C)]
#[derive(Debug)]
pub struct hs_compile_error_t {
    /// A human-readable message.
    pub message: *mut c_char,
    /// The zero-based index of the offending expression, or negative.
    pub expression: c_int,
}

/// The match callback: `(id, from, to, flags, context)`; non-zero stops the scan.
pub type match_event_handler = Option<
    unsafe extern "C" fn(
        id: c_uint,
        from: c_ulonglong,
        to: c_ulonglong,
        flags: c_uint,
        context: *mut c_void,
    ) -> c_int,
>;

extern "C" {
    /// The library's version string (static storage).
    pub fn hs_version() -> *const c_char;
    /// `HS_SUCCESS` when this CPU can run the library, `HS_ARCH_ERROR` otherwise.
    pub fn hs_valid_platform() -> hs_error_t;

    /// Compiles one regular expression (NUL-terminated) into a database.
    pub fn hs_compile(
        expression: *const c_char,
        flags: c_uint,
        mode: c_uint,
        platform: *const hs_platform_info_t,
        db: *mut *mut hs_database_t,
        error: *mut *mut hs_compile_error_t,
    ) -> hs_error_t;

    /// Compiles `elements` regular expressions (NUL-terminated) with per-expression
    /// flags and ids (either array may be NULL: all zero) into one database.
    pub fn hs_compile_multi(
        expressions: *const *const c_char,
        flags: *const c_uint,
        ids: *const c_uint,
        elements: c_uint,
        mode: c_uint,
        platform: *const hs_platform_info_t,
        db: *mut *mut hs_database_t,
        error: *mut *mut hs_compile_error_t,
    ) -> hs_error_t;

    /// Compiles one pure literal of `len` bytes (NUL bytes allowed) into a database.
    pub fn hs_compile_lit(
        expression: *const c_char,
        flags: c_uint,
        len: usize,
        mode: c_uint,
        platform: *const hs_platform_info_t,
        db: *mut *mut hs_database_t,
        error: *mut *mut hs_compile_error_t,
    ) -> hs_error_t;

    /// Compiles `elements` pure literals (`lens[i]` bytes each) into one database.
    pub fn hs_compile_lit_multi(
        expressions: *const *const c_char,
        flags: *const c_uint,
        ids: *const c_uint,
        lens: *const usize,
        elements: c_uint,
        mode: c_uint,
        platform: *const hs_platform_info_t,
        db: *mut *mut hs_database_t,
        error: *mut *mut hs_compile_error_t,
    ) -> hs_error_t;

    /// Frees a compile error (NULL is allowed).
    pub fn hs_free_compile_error(error: *mut hs_compile_error_t) -> hs_error_t;
    /// Frees a database (NULL is allowed).
    pub fn hs_free_database(db: *mut hs_database_t) -> hs_error_t;
    /// The size in bytes of a database.
    pub fn hs_database_size(
        database: *const hs_database_t,
        database_size: *mut usize,
    ) -> hs_error_t;
    /// The size in bytes of one stream's state for a streaming database.
    pub fn hs_stream_size(database: *const hs_database_t, stream_size: *mut usize) -> hs_error_t;

    /// Allocates (`*scratch` NULL) or grows (`*scratch` non-NULL) a scratch space large
    /// enough for `db`.
    pub fn hs_alloc_scratch(
        db: *const hs_database_t,
        scratch: *mut *mut hs_scratch_t,
    ) -> hs_error_t;
    /// The size in bytes of a scratch space.
    pub fn hs_scratch_size(scratch: *const hs_scratch_t, scratch_size: *mut usize) -> hs_error_t;
    /// Frees a scratch space (NULL is allowed).
    pub fn hs_free_scratch(scratch: *mut hs_scratch_t) -> hs_error_t;

    /// Scans one block of `length` bytes with a block-mode database.
    pub fn hs_scan(
        db: *const hs_database_t,
        data: *const c_char,
        length: c_uint,
        flags: c_uint,
        scratch: *mut hs_scratch_t,
        on_event: match_event_handler,
        context: *mut c_void,
    ) -> hs_error_t;

    /// Opens a stream on a streaming-mode database.
    pub fn hs_open_stream(
        db: *const hs_database_t,
        flags: c_uint,
        stream: *mut *mut hs_stream_t,
    ) -> hs_error_t;
    /// Scans the next `length` bytes of a stream.
    pub fn hs_scan_stream(
        id: *mut hs_stream_t,
        data: *const c_char,
        length: c_uint,
        flags: c_uint,
        scratch: *mut hs_scratch_t,
        on_event: match_event_handler,
        context: *mut c_void,
    ) -> hs_error_t;
    /// Closes a stream, reporting the matches that end at its end (`$`) when
    /// `scratch` is non-NULL, and frees it.
    pub fn hs_close_stream(
        id: *mut hs_stream_t,
        scratch: *mut hs_scratch_t,
        on_event: match_event_handler,
        context: *mut c_void,
    ) -> hs_error_t;
}
