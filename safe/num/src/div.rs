//! Division by invariant integers: divide many numbers by one divisor with a multiply and
//! shifts instead of the `div` instruction.
//!
//! | type | what | feature |
//! |---|---|---|
//! | [`Divider<T>`] | native Rust: Granlund–Montgomery round-up multipliers computed as libdivide does (a power of two is a shift; otherwise `mulhi(m, n) >> s`, with libdivide's "add" form when the multiplier needs one more bit) | always |
//! | [`Libdivide<T>`] | libdivide 3.0's branchy dividers through `arsenal-libdivide-sys`; slices through its AVX-512 / AVX2 / scalar loops in C | `libdivide` |
//! | [`LibdivideBranchfree<T>`] | libdivide's branch-free dividers (divisor 1 is refused: libdivide cannot represent it) | `libdivide` |
//! | [`Hardware<T>`] | the `div` instruction (`n / d`), the baseline | always |
//!
//! `T` is `u32` or `u64`; [`SignedDivider`] (native) and [`Hardware`] also take `i32` and
//! `i64` (truncation toward zero, and
//! `MIN / -1` wraps to `MIN` as `wrapping_div` does instead of trapping). Every
//! constructor checks the divisor first: 0 (and 1 for the branch-free form) is an `Err`
//! with [`ErrorKind::Divisor`], never a division trap or libdivide's `abort()`. libdivide's
//! signed dividers are not wired.
//!
//! ```
//! use arsenal_num::div::{Divide, Divider, SignedDivider};
//!
//! let by7 = Divider::<u32>::new(7)?;
//! assert_eq!(by7.div(100), 14);
//! assert_eq!(by7.rem(100), 2);
//! let mut out = [0u32; 3];
//! by7.div_slice(&[7, 49, u32::MAX], &mut out)?;
//! assert_eq!(out, [1, 7, u32::MAX / 7]);
//! assert!(Divider::<u64>::new(0).is_err());
//! let by_minus_one = SignedDivider::<i32>::new(-1)?;
//! assert_eq!(by_minus_one.div(i32::MIN), i32::MIN); // wraps, never traps
//! assert_eq!(SignedDivider::<i64>::new(-7)?.div(100), -14);
//! # Ok::<(), arsenal_num::Error>(())
//! ```

use std::fmt::Debug;

use crate::{Error, ErrorKind, Result};

#[cfg(feature = "libdivide")]
pub use crate::backend::libdivide::{Libdivide, LibdivideBranchfree, LibdivideWord};

mod sealed {
    pub trait Sealed {}
    impl Sealed for u32 {}
    impl Sealed for u64 {}
    impl Sealed for i32 {}
    impl Sealed for i64 {}
}

/// The integer types the dividers take (sealed): `u32` and `u64` for every divider; `i32`
/// and `i64` for [`SignedDivider`] and [`Hardware`].
pub trait Word: sealed::Sealed + Copy + Debug + Eq + Send + Sync + 'static {}
impl Word for u32 {}
impl Word for u64 {}
impl Word for i32 {}
impl Word for i64 {}

/// Division of `T`s by one fixed divisor. Object safe.
pub trait Divide<T: Word>: Debug {
    /// The divisor.
    fn divisor(&self) -> T;
    /// `n / divisor`.
    fn div(&self, n: T) -> T;
    /// `n % divisor`.
    fn rem(&self, n: T) -> T;
    /// `out[i] = input[i] / divisor`; [`ErrorKind::Length`] when the lengths differ.
    fn div_slice(&self, input: &[T], out: &mut [T]) -> Result<()>;
}

pub(crate) fn check_len(backend: &'static str, a: usize, b: usize) -> Result<()> {
    if a != b {
        return Err(Error::new(
            ErrorKind::Length,
            backend,
            format!("input has {a} elements, output {b}"),
        ));
    }
    Ok(())
}

pub(crate) fn zero_divisor(backend: &'static str) -> Error {
    Error::new(ErrorKind::Divisor, backend, "division by zero")
}

/// The native invariant divider. See the [module docs](self).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Divider<T> {
    divisor: T,
    /// 0 for a power of two (then `n >> shift`).
    magic: T,
    shift: u32,
    add: bool,
}

/// The `div` instruction behind the same interface (the baseline the invariant dividers
/// must beat; on recent x86 cores, such as AMD Zen 4, it is fast).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hardware<T> {
    divisor: T,
}

macro_rules! native {
    ($t:ty, $wide:ty) => {
        impl Divider<$t> {
            /// A divider for `divisor`; [`ErrorKind::Divisor`] for 0.
            pub fn new(divisor: $t) -> Result<Self> {
                if divisor == 0 {
                    return Err(zero_divisor("native"));
                }
                let bits = <$t>::BITS;
                let l = bits - 1 - divisor.leading_zeros();
                if divisor.is_power_of_two() {
                    return Ok(Divider {
                        divisor,
                        magic: 0,
                        shift: l,
                        add: false,
                    });
                }
                // proposed = floor(2^(bits + l) / d) < 2^bits because d > 2^l.
                let num: $wide = 1 << (bits + l);
                let proposed = (num / <$wide>::from(divisor)) as $t;
                let rem = (num % <$wide>::from(divisor)) as $t;
                let e = divisor - rem;
                let (magic, add) = if e < (1 << l) {
                    (proposed + 1, false)
                } else {
                    // One bit more: 2·proposed (+1 when the doubled remainder reaches d),
                    // the top bit restored by the add step when dividing.
                    let mut m = proposed.wrapping_add(proposed);
                    let twice = rem.wrapping_add(rem);
                    if twice >= divisor || twice < rem {
                        m = m.wrapping_add(1);
                    }
                    (m.wrapping_add(1), true)
                };
                Ok(Divider {
                    divisor,
                    magic,
                    shift: l,
                    add,
                })
            }

            #[inline(always)]
            fn mulhi(a: $t, b: $t) -> $t {
                ((<$wide>::from(a) * <$wide>::from(b)) >> <$t>::BITS) as $t
            }
        }

        impl Divide<$t> for Divider<$t> {
            fn divisor(&self) -> $t {
                self.divisor
            }

            #[inline]
            fn div(&self, n: $t) -> $t {
                if self.magic == 0 {
                    return n >> self.shift;
                }
                let q = Self::mulhi(self.magic, n);
                if self.add {
                    (((n - q) >> 1) + q) >> self.shift
                } else {
                    q >> self.shift
                }
            }

            #[inline]
            fn rem(&self, n: $t) -> $t {
                n - self.div(n) * self.divisor
            }

            fn div_slice(&self, input: &[$t], out: &mut [$t]) -> Result<()> {
                check_len("native", input.len(), out.len())?;
                let (m, s) = (self.magic, self.shift);
                // One loop per form, so each is branch-free and vectorisable.
                let pairs = out.iter_mut().zip(input);
                if m == 0 {
                    pairs.for_each(|(o, &n)| *o = n >> s);
                } else if self.add {
                    pairs.for_each(|(o, &n)| {
                        let q = Self::mulhi(m, n);
                        *o = (((n - q) >> 1) + q) >> s;
                    });
                } else {
                    pairs.for_each(|(o, &n)| *o = Self::mulhi(m, n) >> s);
                }
                Ok(())
            }
        }

        impl Hardware<$t> {
            /// The divisor; [`ErrorKind::Divisor`] for 0.
            pub fn new(divisor: $t) -> Result<Self> {
                if divisor == 0 {
                    return Err(zero_divisor("hardware"));
                }
                Ok(Hardware { divisor })
            }
        }

        impl Divide<$t> for Hardware<$t> {
            fn divisor(&self) -> $t {
                self.divisor
            }
            #[inline]
            fn div(&self, n: $t) -> $t {
                n / self.divisor
            }
            #[inline]
            fn rem(&self, n: $t) -> $t {
                n % self.divisor
            }
            fn div_slice(&self, input: &[$t], out: &mut [$t]) -> Result<()> {
                check_len("hardware", input.len(), out.len())?;
                let d = self.divisor;
                out.iter_mut().zip(input).for_each(|(o, &n)| *o = n / d);
                Ok(())
            }
        }
    };
}

native!(u32, u64);
native!(u64, u128);

/// Signed division through the unsigned divider of |d|: q = ±(|n| / |d|), truncating toward
/// zero like `/`. `MIN / -1` (whose quotient does not fit) wraps to `MIN`, as
/// `wrapping_div` does, instead of trapping; `rem` is `n − q·d` with the same wrapping
/// (`MIN % -1 = 0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedDivider<S: SignedWord> {
    abs: Divider<S::Unsigned>,
    negative: bool,
}

/// The signed word types (`i32`, `i64`) and their unsigned counterparts (sealed).
pub trait SignedWord: Word {
    /// `u32` for `i32`, `u64` for `i64`.
    type Unsigned: Word;
}
impl SignedWord for i32 {
    type Unsigned = u32;
}
impl SignedWord for i64 {
    type Unsigned = u64;
}

macro_rules! signed {
    ($s:ty, $u:ty) => {
        impl SignedDivider<$s> {
            /// A divider for `divisor`; [`ErrorKind::Divisor`] for 0. Quotients truncate
            /// toward zero; `MIN / -1` wraps to `MIN` (as `wrapping_div`), never traps.
            pub fn new(divisor: $s) -> Result<Self> {
                if divisor == 0 {
                    return Err(zero_divisor("native"));
                }
                Ok(SignedDivider {
                    abs: Divider::<$u>::new(divisor.unsigned_abs())?,
                    negative: divisor < 0,
                })
            }
        }

        impl Divide<$s> for SignedDivider<$s> {
            fn divisor(&self) -> $s {
                let d = self.abs.divisor() as $s;
                if self.negative {
                    d.wrapping_neg()
                } else {
                    d
                }
            }

            #[inline]
            fn div(&self, n: $s) -> $s {
                let q = self.abs.div(n.unsigned_abs()) as $s;
                if (n < 0) != self.negative {
                    q.wrapping_neg()
                } else {
                    q
                }
            }

            #[inline]
            fn rem(&self, n: $s) -> $s {
                n.wrapping_sub(self.div(n).wrapping_mul(self.divisor()))
            }

            fn div_slice(&self, input: &[$s], out: &mut [$s]) -> Result<()> {
                check_len("native", input.len(), out.len())?;
                out.iter_mut()
                    .zip(input)
                    .for_each(|(o, &n)| *o = self.div(n));
                Ok(())
            }
        }

        impl Hardware<$s> {
            /// The divisor; [`ErrorKind::Divisor`] for 0. `MIN / -1` wraps to `MIN`
            /// (`wrapping_div`), never traps.
            pub fn new(divisor: $s) -> Result<Self> {
                if divisor == 0 {
                    return Err(zero_divisor("hardware"));
                }
                Ok(Hardware { divisor })
            }
        }

        impl Divide<$s> for Hardware<$s> {
            fn divisor(&self) -> $s {
                self.divisor
            }
            #[inline]
            fn div(&self, n: $s) -> $s {
                n.wrapping_div(self.divisor)
            }
            #[inline]
            fn rem(&self, n: $s) -> $s {
                n.wrapping_rem(self.divisor)
            }
            fn div_slice(&self, input: &[$s], out: &mut [$s]) -> Result<()> {
                check_len("hardware", input.len(), out.len())?;
                let d = self.divisor;
                out.iter_mut()
                    .zip(input)
                    .for_each(|(o, &n)| *o = n.wrapping_div(d));
                Ok(())
            }
        }
    };
}

signed!(i32, u32);
signed!(i64, u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_matches_hardware_on_edges() {
        let ds = [
            1u64,
            2,
            3,
            5,
            7,
            10,
            641,
            1 << 32,
            (1 << 63) + 1,
            u64::MAX - 1,
            u64::MAX,
        ];
        let ns = [
            0u64,
            1,
            2,
            6,
            7,
            1 << 40,
            u64::MAX / 2,
            u64::MAX - 1,
            u64::MAX,
        ];
        for &d in &ds {
            let v = Divider::<u64>::new(d).unwrap();
            for &n in &ns {
                assert_eq!(v.div(n), n / d, "{n} / {d}");
                assert_eq!(v.rem(n), n % d, "{n} % {d}");
            }
        }
        for d in 1..=1000u32 {
            let v = Divider::<u32>::new(d).unwrap();
            for n in [0, 1, d - 1, d, d + 1, u32::MAX - 1, u32::MAX] {
                assert_eq!(v.div(n), n / d, "{n} / {d}");
            }
        }
    }
}
