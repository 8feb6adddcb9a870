//! Raw FFI to [xxHash](https://github.com/Cyan4973/xxHash) 0.8: XXH32, XXH64, XXH3
//! (64- and 128-bit), one-shot and streaming.
//!
//! The declarations are hand written (a small, stable surface) from `xxhash.h` 0.8.1;
//! every `XXH*` function is exported by the library itself (`nm libxxhash.a` lists them
//! all, the XXH3 ones included).
//!
//! Debian builds the library for baseline x86-64 (XXH3 with SSE2) and does not ship
//! upstream's run-time dispatcher (`xxh_x86dispatch.c`), so the crate also compiles our
//! shim `shim/arsenal_xxh3.c` from the same installed `xxhash.h` in its header-only form,
//! once per vector level: on x86-64 `arsenal_*_sse2`, `arsenal_*_avx2` and
//! `arsenal_*_avx512` (built with `-msse2`, `-mavx2`, `-mavx512f` and the matching
//! `XXH_VECTOR`), elsewhere `arsenal_*_generic` (xxHash's own choice). Calling a level
//! the CPU lacks is undefined behaviour: the safe layer checks the CPU's features first.
//! They compute exactly what the library's functions compute. The build script finds the library with
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

/// Declares one vector level's copy of the shim's functions (see the crate docs).
macro_rules! shim_level {
    ($doc:literal, $h64:ident, $h128:ident, $u64:ident, $d64:ident, $u128:ident, $d128:ident, $x64:ident) => {
        extern "C" {
            #[doc = concat!("`XXH3_64bits_withSeed`, ", $doc)]
            pub fn $h64(input: *const c_void, len: usize, seed: u64) -> u64;
            #[doc = concat!("`XXH3_128bits_withSeed`, ", $doc)]
            pub fn $h128(input: *const c_void, len: usize, seed: u64) -> XXH128_hash_t;
            #[doc = concat!("`XXH3_64bits_update`, ", $doc)]
            pub fn $u64(
                state: *mut XXH3_state_t,
                input: *const c_void,
                len: usize,
            ) -> XXH_errorcode;
            #[doc = concat!("`XXH3_64bits_digest`, ", $doc)]
            pub fn $d64(state: *const XXH3_state_t) -> u64;
            #[doc = concat!("`XXH3_128bits_update`, ", $doc)]
            pub fn $u128(
                state: *mut XXH3_state_t,
                input: *const c_void,
                len: usize,
            ) -> XXH_errorcode;
            #[doc = concat!("`XXH3_128bits_digest`, ", $doc)]
            pub fn $d128(state: *const XXH3_state_t) -> XXH128_hash_t;
            #[doc = concat!("`XXH64`, ", $doc)]
            pub fn $x64(input: *const c_void, len: usize, seed: u64) -> u64;
        }
    };
}

#[cfg(target_arch = "x86_64")]
shim_level!(
    "compiled with SSE2 (every x86-64 CPU).",
    arsenal_xxh3_64_sse2,
    arsenal_xxh3_128_sse2,
    arsenal_xxh3_64_update_sse2,
    arsenal_xxh3_64_digest_sse2,
    arsenal_xxh3_128_update_sse2,
    arsenal_xxh3_128_digest_sse2,
    arsenal_xxh64_sse2
);
#[cfg(target_arch = "x86_64")]
shim_level!(
    "compiled with AVX2: only on a CPU with AVX2.",
    arsenal_xxh3_64_avx2,
    arsenal_xxh3_128_avx2,
    arsenal_xxh3_64_update_avx2,
    arsenal_xxh3_64_digest_avx2,
    arsenal_xxh3_128_update_avx2,
    arsenal_xxh3_128_digest_avx2,
    arsenal_xxh64_avx2
);
#[cfg(target_arch = "x86_64")]
shim_level!(
    "compiled with AVX-512 F: only on a CPU with AVX-512 F.",
    arsenal_xxh3_64_avx512,
    arsenal_xxh3_128_avx512,
    arsenal_xxh3_64_update_avx512,
    arsenal_xxh3_64_digest_avx512,
    arsenal_xxh3_128_update_avx512,
    arsenal_xxh3_128_digest_avx512,
    arsenal_xxh64_avx512
);
#[cfg(not(target_arch = "x86_64"))]
shim_level!(
    "compiled for the target's baseline (xxHash's own vector choice).",
    arsenal_xxh3_64_generic,
    arsenal_xxh3_128_generic,
    arsenal_xxh3_64_update_generic,
    arsenal_xxh3_64_digest_generic,
    arsenal_xxh3_128_update_generic,
    arsenal_xxh3_128_digest_generic,
    arsenal_xxh64_generic
);
