//! Raw FFI to [HighwayHash](https://github.com/google/highwayhash): 64/128/256-bit
//! one-shot and streaming hashing, plus the library's own C bindings (`HighwayHash64`,
//! `SipHashC`, `SipHash13C`).
//!
//! Debian's `libhighwayhash-dev` exports a C API (`c_bindings.h`) for 64-bit one-shot
//! hashing only; the 128/256-bit results and incremental hashing exist only as C++
//! templates. Our shim, `shim/hh_shim.cc` (+ `shim/hh_cat.h`, `shim/hh_shim_avx2.cc`),
//! exports them as `arsenal_hh_*`:
//!
//! - one-shot functions call `InstructionSets::Run<HighwayHash>`, the library's run-time
//!   dispatch to its AVX2 / SSE4.1 / portable instantiations;
//! - the streaming state wraps `HighwayHashCatT<Target>` for AVX2 (a second translation
//!   unit compiled with `-mavx2 -mfma -mbmi -mbmi2`) when the CPU has it, else the
//!   portable target. All targets give identical hashes.
//!
//! The build script finds the library in the system prefixes (no pkg-config file), else
//! `HIGHWAYHASH_DIR` / `HIGHWAYHASH_INCLUDE_DIR` + `HIGHWAYHASH_LIB_DIR`, and links the C++
//! standard library.
//!
//! # Facts the safe layer relies on
//!
//! - Keys are four `u64` words (`HHKey`), read by pointer: `key` must point at 4 words.
//! - One-shot functions read exactly `len` bytes; `bytes` may be null only if `len == 0`.
//! - A streaming state from [`arsenal_hh_cat_new`] (null on allocation failure) is
//!   released with [`arsenal_hh_cat_free`]. The `finish*` functions finalise a copy, so the
//!   state is unchanged and hashing may continue. The state holds no pointers into the
//!   input and no thread-local data: it may move between threads.
//! - 128-bit results are `[lo, hi]` words as the library stores them; 256-bit results are
//!   four words in the library's order.
//! - `SipHashC` is SipHash-2-4 and `SipHash13C` SipHash-1-3, each keyed by two `u64`
//!   words (`k0`, `k1` as the little-endian halves of the 16-byte key).
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_void};

/// `HHKey`: the 256-bit HighwayHash key.
pub type HHKey = [u64; 4];

extern "C" {
    /// One-shot 64-bit HighwayHash (run-time dispatch to the best target).
    pub fn arsenal_hh_hash64(key: *const u64, bytes: *const c_char, len: usize) -> u64;
    /// One-shot 128-bit HighwayHash, written to `out[0..2]`.
    pub fn arsenal_hh_hash128(key: *const u64, bytes: *const c_char, len: usize, out: *mut u64);
    /// One-shot 256-bit HighwayHash, written to `out[0..4]`.
    pub fn arsenal_hh_hash256(key: *const u64, bytes: *const c_char, len: usize, out: *mut u64);

    /// A new streaming state keyed by `key[0..4]` (null on allocation failure).
    pub fn arsenal_hh_cat_new(key: *const u64) -> *mut c_void;
    /// Frees a state from [`arsenal_hh_cat_new`] (null is accepted).
    pub fn arsenal_hh_cat_free(state: *mut c_void);
    /// Restarts the state with `key[0..4]`.
    pub fn arsenal_hh_cat_reset(state: *mut c_void, key: *const u64);
    /// Appends `len` bytes.
    pub fn arsenal_hh_cat_append(state: *mut c_void, bytes: *const c_char, len: usize);
    /// The 64-bit hash of everything appended since the last reset.
    pub fn arsenal_hh_cat_finish64(state: *const c_void) -> u64;
    /// The 128-bit hash of everything appended, written to `out[0..2]`.
    pub fn arsenal_hh_cat_finish128(state: *const c_void, out: *mut u64);
    /// The 256-bit hash of everything appended, written to `out[0..4]`.
    pub fn arsenal_hh_cat_finish256(state: *const c_void, out: *mut u64);
    /// 1 when the state uses the AVX2 target, 0 for the portable one.
    pub fn arsenal_hh_cat_is_avx2(state: *const c_void) -> c_int;

    /// The library's C binding: one-shot 64-bit HighwayHash (run-time dispatch).
    pub fn HighwayHash64(key: *const u64, bytes: *const c_char, size: u64) -> u64;
    /// The library's C binding: SipHash-2-4 keyed by `key[0..2]`.
    pub fn SipHashC(key: *const u64, bytes: *const c_char, size: u64) -> u64;
    /// The library's C binding: SipHash-1-3 keyed by `key[0..2]`.
    pub fn SipHash13C(key: *const u64, bytes: *const c_char, size: u64) -> u64;
}
