//! Raw FFI to [snappy](https://github.com/google/snappy)'s C API (`snappy-c.h`), 1.1.x.
//!
//! # Choice of source
//!
//! snappy is a C++ library with a small, stable C API. This crate declares that C API by
//! hand (five functions and one enum) and links the library that `arsenal-build` finds:
//! Debian's `libsnappy-dev` (pkg-config `snappy`, `>= 1.1, < 1.3`), else the system
//! prefixes, else `SNAPPY_DIR` / `SNAPPY_INCLUDE_DIR` + `SNAPPY_LIB_DIR`. No C++ shim is
//! needed because the C API covers the raw format completely. We do not use crates.io's
//! `snappy-sys`: it needs CMake at build time and bundles its own copy of the sources,
//! while the distribution package is already built, versioned and patched by Debian.
//! Linking adds the C++ standard library (needed by a static `libsnappy.a`). How it was
//! found is exported to dependents as `DEP_SNAPPY_ROUTE`, `DEP_SNAPPY_VERSION` and
//! `DEP_SNAPPY_INCLUDE`.
//!
//! # Facts the safe layer relies on
//!
//! - The raw format is a little-endian base-128 varint of the uncompressed length
//!   followed by the compressed data; `snappy_uncompressed_length` only parses that
//!   varint (`SNAPPY_INVALID_INPUT` when it is malformed).
//! - `snappy_uncompress` checks every copy against the output it was given and returns
//!   `SNAPPY_BUFFER_TOO_SMALL` when the recorded length exceeds `*uncompressed_length`,
//!   `SNAPPY_INVALID_INPUT` for any malformed input; it never reads or writes out of
//!   bounds.
//! - `snappy_compress` needs `*compressed_length >= snappy_max_compressed_length(n)`.
//! - The functions keep no global state and are safe to call from any thread.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int};

/// `snappy_status` (a C enum, `int`-sized).
pub type snappy_status = c_int;
/// Success.
pub const SNAPPY_OK: snappy_status = 0;
/// The input is not valid snappy data.
pub const SNAPPY_INVALID_INPUT: snappy_status = 1;
/// The output buffer is too small.
pub const SNAPPY_BUFFER_TOO_SMALL: snappy_status = 2;

extern "C" {
    /// Compresses `input_length` bytes of `input` into `compressed`, whose size is passed
    /// in `*compressed_length` (at least `snappy_max_compressed_length(input_length)`)
    /// and replaced by the compressed length.
    pub fn snappy_compress(
        input: *const c_char,
        input_length: usize,
        compressed: *mut c_char,
        compressed_length: *mut usize,
    ) -> snappy_status;

    /// Decompresses `compressed` into `uncompressed`, whose size is passed in
    /// `*uncompressed_length` and replaced by the decompressed length.
    pub fn snappy_uncompress(
        compressed: *const c_char,
        compressed_length: usize,
        uncompressed: *mut c_char,
        uncompressed_length: *mut usize,
    ) -> snappy_status;

    /// The largest compressed size of `source_length` input bytes.
    pub fn snappy_max_compressed_length(source_length: usize) -> usize;

    /// Reads the uncompressed length recorded at the start of `compressed` into
    /// `*result`.
    pub fn snappy_uncompressed_length(
        compressed: *const c_char,
        compressed_length: usize,
        result: *mut usize,
    ) -> snappy_status;

    /// Checks whether `compressed` would decompress successfully (without writing it).
    pub fn snappy_validate_compressed_buffer(
        compressed: *const c_char,
        compressed_length: usize,
    ) -> snappy_status;
}
