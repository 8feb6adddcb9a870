//! Raw FFI to [libdivide](https://libdivide.com) 3.0 (Debian's `libdivide-dev`, header-only
//! C) through our own C shim (`shim/arsenal_libdivide.c`); no logic.
//!
//! libdivide's functions are `static inline` in its header, so the shim exports them
//! (`arsenal_libdivide_u32_gen`, `_do`, the branch-free forms, the same for `u64`) and
//! adds slice loops (`*_do_slice`) so the per-element work is inlined in C. The slice
//! loops are compiled once per level: [`LEVEL_SCALAR`] (libdivide's scalar code),
//! [`LEVEL_AVX2`] (`LIBDIVIDE_AVX2`, `-mavx2`) and [`LEVEL_AVX512`] (`LIBDIVIDE_AVX512`,
//! `-mavx512f`); they take the level first and return 0, or -1 for an unknown level.
//!
//! # Facts the safe layer relies on
//!
//! - libdivide itself calls `abort()` for a divisor of 0, and for a divisor of 1 in the
//!   branch-free form. The shim's generators check first and return -1 without calling
//!   libdivide for those, 0 otherwise; they never abort.
//! - A divider struct is plain data (`#pragma pack(1)`: a magic number and one byte),
//!   valid for as long as it is not modified; dividing reads it only.
//! - Slice loops: `input` readable and `out` writable for `n` elements (`out` may equal
//!   `input`); the level must be one this CPU runs ([`LEVEL_AVX2`] needs AVX2,
//!   [`LEVEL_AVX512`] AVX-512F), else illegal instructions.
#![no_std]
#![allow(non_camel_case_types)]

/// libdivide's scalar code (every CPU).
pub const LEVEL_SCALAR: i32 = 0;
/// libdivide's AVX2 vector code (needs AVX2; x86-64 only).
pub const LEVEL_AVX2: i32 = 2;
/// libdivide's AVX-512 vector code (needs AVX-512F; x86-64 only).
pub const LEVEL_AVX512: i32 = 3;

macro_rules! divider {
    ($($(#[$m:meta])* $name:ident: $t:ty;)+) => {
        $(
            $(#[$m])*
            #[repr(C, packed)]
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
            pub struct $name {
                /// The multiplier (0 for powers of two in the branchy form).
                pub magic: $t,
                /// Shift amount and flags.
                pub more: u8,
            }
        )+
    };
}

divider! {
    /// `struct libdivide_u32_t`.
    libdivide_u32_t: u32;
    /// `struct libdivide_u32_branchfree_t`.
    libdivide_u32_branchfree_t: u32;
    /// `struct libdivide_u64_t`.
    libdivide_u64_t: u64;
    /// `struct libdivide_u64_branchfree_t`.
    libdivide_u64_branchfree_t: u64;
}

macro_rules! api {
    ($($t:ty, $d:ty, $gen:ident, $div:ident, $slice:ident;)+) => {
        extern "C" {
            $(
                #[doc = concat!("Fills `*out` for divisor `d`: 0, or -1 (nothing written) for a divisor libdivide rejects (`", stringify!($d), "`).")]
                pub fn $gen(d: $t, out: *mut $d) -> i32;
                #[doc = concat!("`n / d` through `", stringify!($d), "`.")]
                pub fn $div(n: $t, d: *const $d) -> $t;
                #[doc = "`out[i] = input[i] / d` for `i < n` at `level`; 0, or -1 for an unknown level."]
                pub fn $slice(level: i32, d: *const $d, input: *const $t, out: *mut $t, n: usize) -> i32;
            )+
        }
    };
}

api! {
    u32, libdivide_u32_t, arsenal_libdivide_u32_gen, arsenal_libdivide_u32_do, arsenal_libdivide_u32_do_slice;
    u32, libdivide_u32_branchfree_t, arsenal_libdivide_u32_branchfree_gen, arsenal_libdivide_u32_branchfree_do, arsenal_libdivide_u32_branchfree_do_slice;
    u64, libdivide_u64_t, arsenal_libdivide_u64_gen, arsenal_libdivide_u64_do, arsenal_libdivide_u64_do_slice;
    u64, libdivide_u64_branchfree_t, arsenal_libdivide_u64_branchfree_gen, arsenal_libdivide_u64_branchfree_do, arsenal_libdivide_u64_branchfree_do_slice;
}

extern "C" {
    /// The libdivide version the shim was compiled against, `major * 100 + minor` (300).
    pub fn arsenal_libdivide_version() -> i32;
}
