//! Raw FFI to [xxHash](https://github.com/Cyan4973/xxHash) 0.8: XXH32, XXH64, XXH3
//! (64- and 128-bit), one-shot and streaming.
//!
//! The declarations are hand written (a small, stable surface) from `xxhash.h` 0.8.1;
//! every function is exported by the library itself (`nm libxxhash.a` lists them all, the
//! XXH3 ones included), so there is no shim. The build script finds the library with
//! pkg-config, `libxxhash` `>= 0.8, < 0.9` (Debian's `libxxhash-dev`; dynamic unless
//! `XXHASH_STATIC=1`), else in the system prefixes, else `XXHASH_DIR` /
//! `XXHASH_INCLUDE_DIR` + `XXHASH_LIB_DIR`; the route and version are exported to
//! dependents as `DEP_XXHASH_ROUTE` and `DEP_XXHASH_VERSION`.
//!
//! # Facts the safe layer relies on
//!
//! - The one-shot functions read exactly `len` bytes from `input`; `input` may be null
//!   only when `len == 0`.
//! - States are opaque, heap-allocated by `*_createState` (null on allocation failure)
//!   and released by `*_freeState`. A state must be `*_reset` before its first `update`.
//!   `*_digest` does not modify the state: hashing may continue after it.
//! - `*_update` returns [`XXH_ERROR`] only for a null `input` with a non-zero length.
//! - Hashes are defined on bytes, identical on every platform (the canonical
//!   representation is big-endian; these functions return native integers).
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_uint, c_void};

/// `XXH_errorcode`: [`XXH_OK`] or [`XXH_ERROR`].
pub type XXH_errorcode = core::ffi::c_int;
/// Success.
pub const XXH_OK: XXH_errorcode = 0;
/// Failure (a null input with a non-zero length).
pub const XXH_ERROR: XXH_errorcode = 1;

/// `XXH_VERSION_NUMBER` of the header these declarations were written from (0.8.1).
pub const XXH_VERSION_NUMBER: c_uint = 801;

/// 128-bit result of the XXH3-128 functions, as two 64-bit halves.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct XXH128_hash_t {
    /// Low 64 bits.
    pub low64: u64,
    /// High 64 bits.
    pub high64: u64,
}

/// Opaque streaming state of XXH32.
#[repr(C)]
#[derive(Debug)]
pub struct XXH32_state_t {
    _opaque: [u8; 0],
    _pin: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
}

/// Opaque streaming state of XXH64.
#[repr(C)]
#[derive(Debug)]
pub struct XXH64_state_t {
    _opaque: [u8; 0],
    _pin: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
}

/// Opaque streaming state shared by XXH3-64 and XXH3-128.
#[repr(C)]
#[derive(Debug)]
pub struct XXH3_state_t {
    _opaque: [u8; 0],
    _pin: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,
}

extern "C" {
    /// The version of the linked library, `major * 10000 + minor * 100 + release`.
    pub fn XXH_versionNumber() -> c_uint;

    /// One-shot XXH32 of `len` bytes with a 32-bit seed.
    pub fn XXH32(input: *const c_void, len: usize, seed: u32) -> u32;
    /// Allocates an XXH32 state (null on failure).
    pub fn XXH32_createState() -> *mut XXH32_state_t;
    /// Frees a state from [`XXH32_createState`] (null is accepted).
    pub fn XXH32_freeState(state: *mut XXH32_state_t) -> XXH_errorcode;
    /// Starts a new XXH32 hash with `seed`.
    pub fn XXH32_reset(state: *mut XXH32_state_t, seed: u32) -> XXH_errorcode;
    /// Feeds `len` bytes.
    pub fn XXH32_update(
        state: *mut XXH32_state_t,
        input: *const c_void,
        len: usize,
    ) -> XXH_errorcode;
    /// The hash of everything fed since the last reset (the state is unchanged).
    pub fn XXH32_digest(state: *const XXH32_state_t) -> u32;

    /// One-shot XXH64 of `len` bytes with a 64-bit seed.
    pub fn XXH64(input: *const c_void, len: usize, seed: u64) -> u64;
    /// Allocates an XXH64 state (null on failure).
    pub fn XXH64_createState() -> *mut XXH64_state_t;
    /// Frees a state from [`XXH64_createState`] (null is accepted).
    pub fn XXH64_freeState(state: *mut XXH64_state_t) -> XXH_errorcode;
    /// Starts a new XXH64 hash with `seed`.
    pub fn XXH64_reset(state: *mut XXH64_state_t, seed: u64) -> XXH_errorcode;
    /// Feeds `len` bytes.
    pub fn XXH64_update(
        state: *mut XXH64_state_t,
        input: *const c_void,
        len: usize,
    ) -> XXH_errorcode;
    /// The hash of everything fed since the last reset (the state is unchanged).
    pub fn XXH64_digest(state: *const XXH64_state_t) -> u64;

    /// One-shot XXH3-64 with seed 0.
    pub fn XXH3_64bits(input: *const c_void, len: usize) -> u64;
    /// One-shot XXH3-64 with a seed.
    pub fn XXH3_64bits_withSeed(input: *const c_void, len: usize, seed: u64) -> u64;
    /// One-shot XXH3-128 with seed 0.
    pub fn XXH3_128bits(input: *const c_void, len: usize) -> XXH128_hash_t;
    /// One-shot XXH3-128 with a seed.
    pub fn XXH3_128bits_withSeed(input: *const c_void, len: usize, seed: u64) -> XXH128_hash_t;

    /// Allocates an XXH3 state (64-byte aligned; null on failure).
    pub fn XXH3_createState() -> *mut XXH3_state_t;
    /// Frees a state from [`XXH3_createState`] (null is accepted).
    pub fn XXH3_freeState(state: *mut XXH3_state_t) -> XXH_errorcode;
    /// Starts a new XXH3-64 hash with `seed`.
    pub fn XXH3_64bits_reset_withSeed(state: *mut XXH3_state_t, seed: u64) -> XXH_errorcode;
    /// Feeds `len` bytes to an XXH3-64 hash.
    pub fn XXH3_64bits_update(
        state: *mut XXH3_state_t,
        input: *const c_void,
        len: usize,
    ) -> XXH_errorcode;
    /// The XXH3-64 hash of everything fed since the last reset (the state is unchanged).
    pub fn XXH3_64bits_digest(state: *const XXH3_state_t) -> u64;
    /// Starts a new XXH3-128 hash with `seed`.
    pub fn XXH3_128bits_reset_withSeed(state: *mut XXH3_state_t, seed: u64) -> XXH_errorcode;
    /// Feeds `len` bytes to an XXH3-128 hash.
    pub fn XXH3_128bits_update(
        state: *mut XXH3_state_t,
        input: *const c_void,
        len: usize,
    ) -> XXH_errorcode;
    /// The XXH3-128 hash of everything fed since the last reset (the state is unchanged).
    pub fn XXH3_128bits_digest(state: *const XXH3_state_t) -> XXH128_hash_t;
}
