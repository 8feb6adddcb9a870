//! The libdivide backend: libdivide 3.0's dividers through `arsenal-libdivide-sys`.

use arsenal_libdivide_sys as sys;

use crate::div::{check_len, zero_divisor, Divide, Word};
use crate::{Error, ErrorKind, Result};

/// The widest slice level of libdivide's vector code this CPU runs.
fn level() -> i32 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            return sys::LEVEL_AVX512;
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            return sys::LEVEL_AVX2;
        }
    }
    sys::LEVEL_SCALAR
}

/// The word types libdivide divides (`u32`, `u64`), with their C divider structs.
pub trait LibdivideWord: Word {
    /// libdivide's branchy divider struct.
    #[doc(hidden)]
    type Raw: Copy + Default + std::fmt::Debug + Send + Sync;
    /// libdivide's branch-free divider struct.
    #[doc(hidden)]
    type RawBranchfree: Copy + Default + std::fmt::Debug + Send + Sync;
    #[doc(hidden)]
    fn gen(d: Self, out: &mut Self::Raw) -> i32;
    #[doc(hidden)]
    fn gen_bf(d: Self, out: &mut Self::RawBranchfree) -> i32;
    /// `n / d`.
    ///
    /// # Safety
    ///
    /// `d` was filled by a successful [`gen`](LibdivideWord::gen) (an arbitrary struct
    /// can make libdivide shift by its width or more, undefined behaviour in C).
    #[doc(hidden)]
    unsafe fn div(n: Self, d: &Self::Raw) -> Self;
    /// `n / d`, branch-free.
    ///
    /// # Safety
    ///
    /// `d` was filled by a successful [`gen_bf`](LibdivideWord::gen_bf).
    #[doc(hidden)]
    unsafe fn div_bf(n: Self, d: &Self::RawBranchfree) -> Self;
    /// `out[i] = input[i] / d` for `i < min(input.len(), out.len())`.
    ///
    /// # Safety
    ///
    /// As [`div`](LibdivideWord::div), and this CPU runs `level` (one of the sys crate's
    /// levels; AVX2 or AVX-512 code on a CPU without them is undefined behaviour).
    #[doc(hidden)]
    unsafe fn slice(level: i32, d: &Self::Raw, input: &[Self], out: &mut [Self]);
    /// The branch-free [`slice`](LibdivideWord::slice).
    ///
    /// # Safety
    ///
    /// As [`div_bf`](LibdivideWord::div_bf) and [`slice`](LibdivideWord::slice).
    #[doc(hidden)]
    unsafe fn slice_bf(level: i32, d: &Self::RawBranchfree, input: &[Self], out: &mut [Self]);
    #[doc(hidden)]
    fn rem_of(n: Self, q: Self, d: Self) -> Self;
}

macro_rules! word {
    ($t:ty, $raw:ident, $rawbf:ident, $gen:ident, $genbf:ident, $do:ident, $dobf:ident, $slice:ident, $slicebf:ident) => {
        impl LibdivideWord for $t {
            type Raw = sys::$raw;
            type RawBranchfree = sys::$rawbf;
            fn gen(d: Self, out: &mut Self::Raw) -> i32 {
                // SAFETY: out is a live, exclusive divider struct; the shim rejects the
                // divisors libdivide would abort on (returning -1) before calling it.
                unsafe { sys::$gen(d, out) }
            }
            fn gen_bf(d: Self, out: &mut Self::RawBranchfree) -> i32 {
                // SAFETY: as in gen (the shim rejects 0 and 1).
                unsafe { sys::$genbf(d, out) }
            }
            unsafe fn div(n: Self, d: &Self::Raw) -> Self {
                // SAFETY: d was filled by a successful gen (the caller's contract).
                unsafe { sys::$do(n, d) }
            }
            unsafe fn div_bf(n: Self, d: &Self::RawBranchfree) -> Self {
                // SAFETY: as in div.
                unsafe { sys::$dobf(n, d) }
            }
            unsafe fn slice(level: i32, d: &Self::Raw, input: &[Self], out: &mut [Self]) {
                debug_assert_eq!(input.len(), out.len());
                let n = input.len().min(out.len());
                // SAFETY: input and out are live, non-overlapping slices of at least n
                // elements; d and level as the caller's contract says.
                unsafe { sys::$slice(level, d, input.as_ptr(), out.as_mut_ptr(), n) };
            }
            unsafe fn slice_bf(
                level: i32,
                d: &Self::RawBranchfree,
                input: &[Self],
                out: &mut [Self],
            ) {
                debug_assert_eq!(input.len(), out.len());
                let n = input.len().min(out.len());
                // SAFETY: as in slice.
                unsafe { sys::$slicebf(level, d, input.as_ptr(), out.as_mut_ptr(), n) };
            }
            fn rem_of(n: Self, q: Self, d: Self) -> Self {
                n - q * d
            }
        }
    };
}

word!(
    u32,
    libdivide_u32_t,
    libdivide_u32_branchfree_t,
    arsenal_libdivide_u32_gen,
    arsenal_libdivide_u32_branchfree_gen,
    arsenal_libdivide_u32_do,
    arsenal_libdivide_u32_branchfree_do,
    arsenal_libdivide_u32_do_slice,
    arsenal_libdivide_u32_branchfree_do_slice
);
word!(
    u64,
    libdivide_u64_t,
    libdivide_u64_branchfree_t,
    arsenal_libdivide_u64_gen,
    arsenal_libdivide_u64_branchfree_gen,
    arsenal_libdivide_u64_do,
    arsenal_libdivide_u64_branchfree_do,
    arsenal_libdivide_u64_do_slice,
    arsenal_libdivide_u64_branchfree_do_slice
);

/// libdivide's branchy divider (`libdivide_u32_t` / `libdivide_u64_t`).
///
/// ```
/// use arsenal_num::div::{Divide, Libdivide};
/// let d = Libdivide::<u64>::new(1000)?;
/// assert_eq!(d.div(123_456), 123);
/// assert!(Libdivide::<u32>::new(0).is_err()); // libdivide itself would abort()
/// # Ok::<(), arsenal_num::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Libdivide<T: LibdivideWord> {
    raw: T::Raw,
    divisor: T,
    level: i32,
}

/// libdivide's branch-free divider; divisor 1 (which libdivide's branch-free form cannot
/// represent) is refused with [`ErrorKind::Divisor`].
///
/// ```
/// use arsenal_num::div::{Divide, LibdivideBranchfree};
/// assert_eq!(LibdivideBranchfree::<u32>::new(3)?.div(10), 3);
/// assert!(LibdivideBranchfree::<u32>::new(1).is_err());
/// # Ok::<(), arsenal_num::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct LibdivideBranchfree<T: LibdivideWord> {
    raw: T::RawBranchfree,
    divisor: T,
    level: i32,
}

impl<T: LibdivideWord> Libdivide<T> {
    /// A divider for `divisor`; [`ErrorKind::Divisor`] for 0.
    pub fn new(divisor: T) -> Result<Self> {
        let mut raw = T::Raw::default();
        if T::gen(divisor, &mut raw) != 0 {
            return Err(zero_divisor("libdivide"));
        }
        Ok(Libdivide {
            raw,
            divisor,
            level: level(),
        })
    }
}

impl<T: LibdivideWord> LibdivideBranchfree<T> {
    /// A divider for `divisor`; [`ErrorKind::Divisor`] for 0 and 1.
    pub fn new(divisor: T) -> Result<Self> {
        let mut raw = T::RawBranchfree::default();
        if T::gen_bf(divisor, &mut raw) != 0 {
            return Err(Error::new(
                ErrorKind::Divisor,
                "libdivide-branchfree",
                "libdivide's branch-free dividers take divisors >= 2",
            ));
        }
        Ok(LibdivideBranchfree {
            raw,
            divisor,
            level: level(),
        })
    }
}

/// [`Divide`] for one of the two divider types, through its scalar and slice functions.
macro_rules! divide {
    ($ty:ident, $name:literal, $div:ident, $slice:ident) => {
        impl<T: LibdivideWord> Divide<T> for $ty<T> {
            fn divisor(&self) -> T {
                self.divisor
            }
            fn div(&self, n: T) -> T {
                // SAFETY: raw was filled by a successful generator (gen, or gen_bf for
                // the branch-free form) in new (the field is private).
                unsafe { T::$div(n, &self.raw) }
            }
            fn rem(&self, n: T) -> T {
                T::rem_of(n, self.div(n), self.divisor)
            }
            fn div_slice(&self, input: &[T], out: &mut [T]) -> Result<()> {
                check_len($name, input.len(), out.len())?;
                // SAFETY: input and out have one length (checked above); raw from a
                // successful generator and level from level() (this CPU runs it), both
                // private fields set in new.
                unsafe { T::$slice(self.level, &self.raw, input, out) };
                Ok(())
            }
        }
    };
}

divide!(Libdivide, "libdivide", div, slice);
divide!(
    LibdivideBranchfree,
    "libdivide-branchfree",
    div_bf,
    slice_bf
);
