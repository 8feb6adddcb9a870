//! Raw FFI to [Highway](https://github.com/google/highway)'s **vqsort**, the vectorised
//! quicksort of Blacher, Giesen, Sanders and Wassenberg (2022), through our extern "C"
//! shim `shim/arsenal_vqsort.cc` over `hwy::Sorter` (vqsort's API is C++ overloads).
//!
//! # Facts the safe layer relies on
//!
//! - `arsenal_vqsort_<T>(keys, n, descending)` sorts `keys[0..n)` in place, ascending
//!   when `descending == 0` and descending otherwise. `keys` may be dangling when
//!   `n < 2` (the shim returns before touching it). Not stable.
//! - Floats: Highway 1.0.3 documents no NaN ordering, so the safe layer never passes a
//!   NaN. **Known defect of Highway 1.0.3:** `arsenal_vqsort_f64` misorders slices in
//!   which one subnormal value is duplicated among other subnormals (about half of
//!   100–800-key slices of random negative subnormals with one of them repeated; found
//!   by arsenal-sort's parallel conformance run on an AVX-512 Xeon; slices of random
//!   subnormals without duplicates sorted correctly). The safe layer sorts floats with
//!   subnormals, NaN or `-0.0` as integer images. `-0.0` and `+0.0` compare equal.
//! - `u128` keys are Highway's `uint128_t` (`lo` then `hi`, 16-byte aligned), which is
//!   Rust's `u128` on x86-64; [`hwy_K64V64`] and [`hwy_K32V32`] compare their `key`
//!   only.
//! - **Known defect of Highway 1.0.3 (Debian bookworm):** `arsenal_vqsort_k64v64` with
//!   `descending != 0` loses and duplicates pairs from about 1 000 keys on (found by
//!   arsenal-sort's conformance suite on an AVX-512 machine); ascending order and every
//!   other type are correct in both orders. The safe layer sorts these pairs ascending
//!   and reverses them.
//! - Each thread sorts with its own `hwy::Sorter` (a `thread_local` in the shim), so
//!   calls from different threads never share state. Highway chooses the instruction set
//!   at run time (`arsenal_vqsort_best_target` names the best one this CPU supports).
//! - No C++ exception leaves the shim: vqsort does not throw.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int};

/// Highway's `K64V64`: a 64-bit key and a 64-bit value, ordered by `key` alone.
#[repr(C, align(16))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct hwy_K64V64 {
    /// The payload (the low half).
    pub value: u64,
    /// The sort key (the high half).
    pub key: u64,
}

/// Highway's `K32V32`: a 32-bit key and a 32-bit value, ordered by `key` alone.
#[repr(C, align(8))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct hwy_K32V32 {
    /// The payload (the low half).
    pub value: u32,
    /// The sort key (the high half).
    pub key: u32,
}

extern "C" {
    /// Sorts `n` `u16` keys.
    pub fn arsenal_vqsort_u16(keys: *mut u16, n: usize, descending: c_int);
    /// Sorts `n` `u32` keys.
    pub fn arsenal_vqsort_u32(keys: *mut u32, n: usize, descending: c_int);
    /// Sorts `n` `u64` keys.
    pub fn arsenal_vqsort_u64(keys: *mut u64, n: usize, descending: c_int);
    /// Sorts `n` `i16` keys.
    pub fn arsenal_vqsort_i16(keys: *mut i16, n: usize, descending: c_int);
    /// Sorts `n` `i32` keys.
    pub fn arsenal_vqsort_i32(keys: *mut i32, n: usize, descending: c_int);
    /// Sorts `n` `i64` keys.
    pub fn arsenal_vqsort_i64(keys: *mut i64, n: usize, descending: c_int);
    /// Sorts `n` `f32` keys (no NaN).
    pub fn arsenal_vqsort_f32(keys: *mut f32, n: usize, descending: c_int);
    /// Sorts `n` `f64` keys (no NaN).
    pub fn arsenal_vqsort_f64(keys: *mut f64, n: usize, descending: c_int);
    /// Sorts `n` 128-bit keys (`u128` on x86-64).
    pub fn arsenal_vqsort_u128(keys: *mut u128, n: usize, descending: c_int);
    /// Sorts `n` key-value pairs by key.
    pub fn arsenal_vqsort_k64v64(keys: *mut hwy_K64V64, n: usize, descending: c_int);
    /// Sorts `n` key-value pairs by key.
    pub fn arsenal_vqsort_k32v32(keys: *mut hwy_K32V32, n: usize, descending: c_int);
    /// 1 when vqsort sorts `f64` on this build and CPU, else 0.
    pub fn arsenal_vqsort_have_f64() -> c_int;
    /// The name of the best instruction set Highway supports on this CPU (a static
    /// NUL-terminated string, e.g. `AVX3`).
    pub fn arsenal_vqsort_best_target() -> *const c_char;
}
