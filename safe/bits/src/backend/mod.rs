//! The kernels of each backend, with one signature per operation so that a backend is a
//! table of function pointers ([`Table`]). Every kernel takes slices whose lengths the
//! caller ([`crate::BitOps`]) has already checked.

use crate::Backend;

/// One backend's kernels. The functions are `unsafe` only because some need CPU features
/// (`#[target_feature]`): a `Table` is called only after its backend was found to run on
/// this CPU. Slices of two-slice kernels have equal lengths (the caller checks).
pub(crate) struct Table {
    pub backend: Backend,
    pub pext: unsafe fn(u64, u64) -> u64,
    pub pdep: unsafe fn(u64, u64) -> u64,
    /// `out[i] = pext(values[i], masks[i])`; all three the same length.
    pub pext_many: unsafe fn(&[u64], &[u64], &mut [u64]),
    /// `out[i] = pdep(values[i], masks[i])`; all three the same length.
    pub pdep_many: unsafe fn(&[u64], &[u64], &mut [u64]),
    /// The position of the `k`-th (from 0) set bit of `word`, or 64 when it has at most `k`.
    pub select_in_word: unsafe fn(u64, u32) -> u32,
    pub popcount: unsafe fn(&[u64]) -> u64,
    pub popcount_bytes: unsafe fn(&[u8]) -> u64,
    pub and_count: unsafe fn(&[u64], &[u64]) -> u64,
    pub or_count: unsafe fn(&[u64], &[u64]) -> u64,
    pub xor_count: unsafe fn(&[u64], &[u64]) -> u64,
}

/// The operation a two-slice popcount kernel applies before counting (`SINGLE`: none, the
/// first slice alone), as a const generic of the SIMD backends' `count`.
#[cfg(all(target_arch = "x86_64", not(miri)))]
pub(crate) mod op {
    pub const SINGLE: u8 = 0;
    pub const AND: u8 = 1;
    pub const OR: u8 = 2;
    pub const XOR: u8 = 3;
}

/// A SIMD backend's slice-popcount entry points (`popcount_bytes`, `popcount`,
/// `and_count`, `or_count`, `xor_count`) over its module's
/// `unsafe fn count<const OP: u8>(a: *const u8, b: *const u8, len: usize) -> u64`, all
/// compiled with `$features` (the features `count` needs).
#[cfg(all(target_arch = "x86_64", not(miri)))]
macro_rules! popcount_entries {
    ($features:literal) => {
        #[target_feature(enable = $features)]
        pub unsafe fn popcount_bytes(bytes: &[u8]) -> u64 {
            // SAFETY: the caller runs this table only with these features; the slice is
            // readable for its length.
            unsafe { count::<{ $crate::backend::op::SINGLE }>(bytes.as_ptr(), bytes.as_ptr(), bytes.len()) }
        }

        #[target_feature(enable = $features)]
        pub unsafe fn popcount(words: &[u64]) -> u64 {
            // SAFETY: as `popcount_bytes`.
            unsafe { popcount_bytes($crate::backend::as_bytes(words)) }
        }

        popcount_entries!(@binary $features, and_count, AND);
        popcount_entries!(@binary $features, or_count, OR);
        popcount_entries!(@binary $features, xor_count, XOR);
    };
    (@binary $features:literal, $name:ident, $op:ident) => {
        #[target_feature(enable = $features)]
        pub unsafe fn $name(a: &[u64], b: &[u64]) -> u64 {
            let len = core::mem::size_of_val(a).min(core::mem::size_of_val(b));
            // SAFETY: the features as above; both slices hold at least `len` bytes.
            unsafe { count::<{ $crate::backend::op::$op }>(a.as_ptr().cast(), b.as_ptr().cast(), len) }
        }
    };
}

#[cfg(all(target_arch = "x86_64", not(miri)))]
pub(crate) mod avx2;
#[cfg(all(target_arch = "x86_64", not(miri)))]
pub(crate) mod avx512;
#[cfg(all(target_arch = "x86_64", not(miri)))]
pub(crate) mod bmi2;
pub(crate) mod portable;

/// Declares a backend's `Table` from a module with every kernel.
macro_rules! table {
    ($name:ident, $backend:expr, $m:path) => {
        pub(crate) static $name: Table = {
            use $m as m;
            Table {
                backend: $backend,
                pext: m::pext,
                pdep: m::pdep,
                pext_many: m::pext_many,
                pdep_many: m::pdep_many,
                select_in_word: m::select_in_word,
                popcount: m::popcount,
                popcount_bytes: m::popcount_bytes,
                and_count: m::and_count,
                or_count: m::or_count,
                xor_count: m::xor_count,
            }
        };
    };
}

table!(PORTABLE, Backend::Portable, portable);
#[cfg(all(target_arch = "x86_64", not(miri)))]
table!(BMI2, Backend::Bmi2, bmi2);
#[cfg(all(target_arch = "x86_64", not(miri)))]
table!(AVX2, Backend::Avx2, avx2);
#[cfg(all(target_arch = "x86_64", not(miri)))]
table!(AVX512, Backend::Avx512, avx512);

/// The bytes of `words` (native order: popcounts do not care).
#[cfg(all(target_arch = "x86_64", not(miri)))]
pub(crate) fn as_bytes(words: &[u64]) -> &[u8] {
    // SAFETY: `words` is `8 * len` initialised bytes; `u8` has alignment 1 and no
    // invalid values; the returned slice borrows `words`.
    unsafe {
        core::slice::from_raw_parts(words.as_ptr().cast::<u8>(), core::mem::size_of_val(words))
    }
}
