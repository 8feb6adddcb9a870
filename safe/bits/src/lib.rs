//! Bit operations in native Rust: counts (`clz`, `ctz`, `popcount`), byte swaps, bit
//! reversal, `pext`/`pdep` with BMI2 and a portable fallback, popcounts over slices
//! (scalar, AVX2, AVX-512 VPOPCNTDQ), intersection counts of two slices, and a bit array
//! with rank and select. No C library does this better than the instructions themselves,
//! so the backends are instruction sets chosen at run time, as in `arsenal-memops`.
//!
//! | backend | needs | `pext` / `pdep` | word `select` | slice popcount |
//! |---|---|---|---|---|
//! | [`Backend::Portable`] | nothing (every target, Miri) | a loop over the mask's set bits up to 12, else Hacker's Delight `compress`/`expand` (bit groups, ~100 branch-free ops) | by bytes | `count_ones` per word |
//! | [`Backend::Bmi2`] | x86-64 BMI2 + POPCNT | `pext`/`pdep` | `tzcnt(pdep(1 << k, w))` | `popcnt` per word |
//! | [`Backend::Avx2`] | + AVX2 | as BMI2 | as BMI2 | Harley–Seal carry-save adders + `vpshufb` nibble lookup |
//! | [`Backend::Avx512`] | + AVX-512 F, BW, VPOPCNTDQ | as BMI2 | as BMI2 | `vpopcntq`, masked tail |
//!
//! # Choosing a backend
//! [`Backend`] has the selection shape every Arsenal domain crate shares
//! ([`arsenal_core::select`]): [`Backend::ALL`], [`Backend::available`] (what this CPU
//! runs, widest first), `name()`/`Display`/`FromStr`, and [`Backend::for_strategy`]
//! documented on its [`Select`] impl. A working instance is a [`BitOps`] (the backend's
//! kernels): [`Backend::ops`] = [`BitOps::new`], an [`ErrorKind::Unsupported`] error when
//! the CPU lacks the backend. There is no compile-time `Default…` alias (instruction sets
//! are known only at run time): the default is [`BitOps::auto`], the widest available
//! backend, **except** that on CPUs that run `pdep`/`pext` in microcode (AMD before
//! Zen 3, see [`cpu`]) it routes `pext`, `pdep` and word `select` to the portable kernels.
//!
//! # Scalar operations
//! The [`Bits`] trait gives `u8`, `u16`, `u32` and `u64` the same named operations;
//! `pext`/`pdep`/`select` go through [`BitOps::auto`] (one indirect call; the slice forms
//! [`BitOps::pext_many`]/[`BitOps::pdep_many`] amortise it).
//!
//! ```
//! use arsenal_bits::{BitArray, Bits};
//!
//! assert_eq!(0b1011_0000u8.ctz(), 4);
//! assert_eq!(0x1234u16.bswap(), 0x3412);
//! assert_eq!(0b1101_0110u8.pext(0b1111_0000), 0b1101);
//! assert_eq!(0b1101u8.pdep(0b1111_0000), 0b1101_0000);
//! assert_eq!(0b1010_1000u64.select(1), Some(5));
//!
//! let words = [u64::MAX, 0xFF, 1];
//! assert_eq!(arsenal_bits::popcount(&words), 64 + 8 + 1);
//! assert_eq!(arsenal_bits::and_count(&words, &[1, 1, 1])?, 3);
//!
//! let mut bits = BitArray::new(1000)?;
//! bits.set(3);
//! bits.set(700);
//! assert_eq!(bits.get(700), Some(true));
//! assert_eq!(bits.get(1000), None);
//! assert_eq!(bits.rank(701), Some(2));
//! assert_eq!(bits.select(1), Some(700));
//! assert_eq!(bits.iter_ones().collect::<Vec<_>>(), [3, 700]);
//! # Ok::<(), arsenal_bits::Error>(())
//! ```
//!
//! Errors: two slices of different lengths ([`ErrorKind::Length`]), a backend this CPU
//! cannot run ([`ErrorKind::Unsupported`]), a bit array too large to allocate
//! ([`ErrorKind::TooLarge`]). Indexing a [`BitArray`] out of range with `set`/`clear`/
//! `toggle` panics like slice indexing; `get`, `rank` and `select` return `None`.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

mod array;
mod backend;
pub mod cpu;
mod error;

pub use array::{BitArray, IterOnes, RankSelect};
pub use error::{Error, ErrorKind, Result};

use arsenal_core::{Select, Strategy};
use backend::Table;
use error::CHECKS;
use std::sync::OnceLock;

arsenal_core::backends! {
    /// An implementation of the operations, by instruction set; declared narrowest first.
    /// [`Backend::available`] lists the ones this CPU runs, widest first; [`Backend::ops`]
    /// gives a backend's [`BitOps`].
    ///
    /// ```
    /// use arsenal_bits::Backend;
    /// assert_eq!(Backend::ALL.len(), 4);
    /// assert!(Backend::Portable.is_available());
    /// assert_eq!("BMI2".parse::<Backend>()?, Backend::Bmi2);
    /// # Ok::<(), arsenal_core::UnknownBackend>(())
    /// ```
    domain = "bits";
    pub enum Backend {
        /// Portable Rust: bit-group `pext`/`pdep`, `count_ones` popcounts.
        Portable = "portable",
        /// x86-64 BMI2 + POPCNT: the `pext`/`pdep`/`popcnt` instructions.
        Bmi2 = "bmi2",
        /// x86-64 AVX2 (+ BMI2): nibble-lookup slice popcounts.
        Avx2 = "avx2",
        /// x86-64 AVX-512 F + BW + VPOPCNTDQ (+ BMI2): `vpopcntq` slice popcounts.
        Avx512 = "avx512",
    }
}

/// The order of [`Backend::available`] (the documented priority; the first available
/// is the default): widest first. Measured on Zen 4 in a portable build
/// (`bits/popcount/4KiB`): AVX-512 91.5 GB/s, AVX2 33.7, BMI2 16.6, portable 9.0.
const PRIORITY: [Backend; 4] = [
    Backend::Avx512,
    Backend::Avx2,
    Backend::Bmi2,
    Backend::Portable,
];

impl Backend {
    /// Whether this CPU (and build: x86-64, not Miri) runs the backend.
    fn runs_here(self) -> bool {
        match self {
            Backend::Portable => true,
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Backend::Bmi2 => {
                std::arch::is_x86_feature_detected!("bmi1")
                    && std::arch::is_x86_feature_detected!("bmi2")
                    && std::arch::is_x86_feature_detected!("popcnt")
            }
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Backend::Avx2 => {
                Backend::Bmi2.runs_here() && std::arch::is_x86_feature_detected!("avx2")
            }
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Backend::Avx512 => {
                Backend::Bmi2.runs_here()
                    && std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512bw")
                    && std::arch::is_x86_feature_detected!("avx512vpopcntdq")
            }
            #[cfg(not(all(target_arch = "x86_64", not(miri))))]
            _ => false,
        }
    }

    /// This backend's operations, or an [`ErrorKind::Unsupported`] error when this CPU
    /// cannot run it. The same as [`BitOps::new`].
    ///
    /// ```
    /// use arsenal_bits::Backend;
    /// for backend in Backend::available() {
    ///     let ops = backend.ops()?;
    ///     assert_eq!(ops.pext(0b1010, 0b1110), 0b101);
    ///     assert_eq!(ops.backend(), backend);
    /// }
    /// # Ok::<(), arsenal_bits::Error>(())
    /// ```
    pub fn ops(self) -> Result<BitOps> {
        BitOps::new(self)
    }

    fn table(self) -> &'static Table {
        match self {
            Backend::Portable => &backend::PORTABLE,
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Backend::Bmi2 => &backend::BMI2,
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Backend::Avx2 => &backend::AVX2,
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Backend::Avx512 => &backend::AVX512,
            #[cfg(not(all(target_arch = "x86_64", not(miri))))]
            _ => &backend::PORTABLE,
        }
    }
}

/// The measured choice of backend per [`Strategy`]. Row ids are the matrix benchmark's
/// (`benches/src/bits.rs`); the numbers are in `docs/bits.md` (AMD EPYC Zen 4, AVX-512),
/// from the portable build: in a `target-cpu=native` build LLVM vectorises every
/// `count_ones` loop itself, and the backends differ little.
///
/// | strategy | backend (first available of) | evidence |
/// |---|---|---|
/// | `Throughput` | AVX-512, AVX2, BMI2, portable | `bits/popcount/1MiB`: in a portable build (what run-time dispatch is for) AVX-512 88.5 GB/s, AVX2 31.5, BMI2 20.1, portable 9.0 |
/// | `Latency` | the same order | `bits/popcount/4KiB`: 91.5, 33.7, 16.6, 9.0 GB/s |
/// | `Balanced` | [`BitOps::auto`]'s slice backend: the first of [`Backend::available`] | the documented priority |
/// | `MinimalMemory` | as `Throughput` | no backend keeps state (a static table of functions), so memory cannot tell them apart; the tie goes to the `Throughput` answer |
/// | `MaximalSpeed` | as `Throughput`; on CPUs with microcoded `pdep`, [`BitOps::auto`] additionally routes `pext`/`pdep`/`select` to the portable kernels | `bits/popcount/1MiB` |
///
/// ```
/// use arsenal_core::Strategy;
/// use arsenal_bits::Backend;
/// for strategy in Strategy::ALL {
///     let ops = Backend::for_strategy(strategy).ops()?;
///     assert_eq!(ops.popcount(&[3, 5]), 4);
/// }
/// # Ok::<(), arsenal_bits::Error>(())
/// ```
impl Select for Backend {
    fn available() -> Vec<Backend> {
        static AVAILABLE: OnceLock<Vec<Backend>> = OnceLock::new();
        AVAILABLE
            .get_or_init(|| PRIORITY.into_iter().filter(|b| b.runs_here()).collect())
            .clone()
    }

    fn for_strategy(strategy: Strategy) -> Backend {
        match strategy {
            Strategy::Balanced => BitOps::auto().backend(),
            _ => arsenal_core::prefer(&PRIORITY),
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None,
            Strategy::Latency => Some("bits/popcount/4KiB"),
            Strategy::Throughput | Strategy::MinimalMemory | Strategy::MaximalSpeed => {
                Some("bits/popcount/1MiB")
            }
        }
    }
}

/// The operations of one [`Backend`] (its kernels), checked to run on this CPU: the
/// working instance of a backend. Cheap to copy.
///
/// `BitOps::new(backend)` runs every operation with that backend's kernels.
/// [`BitOps::auto`] (also `BitOps::default()`) uses the first available backend for the
/// slice popcounts, and for `pext`, `pdep` and word `select` the same backend unless this
/// CPU runs `pdep`/`pext` in microcode ([`cpu::this_cpu_pdep_is_microcoded`]), where it
/// uses the portable kernels; [`BitOps::pext_pdep_backend`] tells which.
///
/// ```
/// use arsenal_bits::{Backend, BitOps};
/// let ops = BitOps::new(Backend::Portable)?;
/// assert_eq!(ops.pdep(0b11, 0b1010_0000), 0b1010_0000);
/// assert_eq!(ops.popcount_bytes(b"\xFF\x01"), 9);
/// assert!(ops.pext_many(&[1, 2], &[1], &mut [0, 0]).is_err());
/// # Ok::<(), arsenal_bits::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct BitOps {
    // Invariant: both tables' backends run on this CPU.
    slices: &'static Table,
    words: &'static Table,
}

impl std::fmt::Debug for BitOps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BitOps")
            .field("backend", &self.slices.backend)
            .field("pext_pdep_backend", &self.words.backend)
            .finish()
    }
}

impl Default for BitOps {
    fn default() -> BitOps {
        BitOps::auto()
    }
}

fn check_len(what: &'static str, a: usize, b: usize) -> Result<()> {
    if a == b {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Length,
            CHECKS,
            format!("{what}: slices of {a} and {b} elements"),
        ))
    }
}

impl BitOps {
    /// `backend`'s kernels for every operation, or [`ErrorKind::Unsupported`] when this
    /// CPU cannot run it.
    ///
    /// ```
    /// use arsenal_bits::{Backend, BitOps, ErrorKind};
    /// for &backend in Backend::ALL {
    ///     match BitOps::new(backend) {
    ///         Ok(ops) => assert_eq!(ops.backend(), backend),
    ///         Err(e) => assert_eq!(e.kind(), ErrorKind::Unsupported),
    ///     }
    /// }
    /// ```
    pub fn new(backend: Backend) -> Result<BitOps> {
        if !backend.is_available() {
            return Err(Error::new(
                ErrorKind::Unsupported,
                CHECKS,
                format!("backend {backend} needs instructions this CPU (or target) lacks"),
            ));
        }
        let table = backend.table();
        Ok(BitOps {
            slices: table,
            words: table,
        })
    }

    /// The run-time default, detected once: the first of [`Backend::available`], with `pext`,
    /// `pdep` and word `select` routed to the portable kernels on CPUs with microcoded
    /// `pdep`/`pext` (see [`cpu`]).
    ///
    /// ```
    /// let ops = arsenal_bits::BitOps::auto();
    /// assert_eq!(ops.backend(), arsenal_bits::Backend::available()[0]);
    /// if arsenal_bits::cpu::this_cpu_pdep_is_microcoded() {
    ///     assert_eq!(ops.pext_pdep_backend(), arsenal_bits::Backend::Portable);
    /// } else {
    ///     assert_eq!(ops.pext_pdep_backend(), ops.backend());
    /// }
    /// ```
    pub fn auto() -> BitOps {
        static AUTO: OnceLock<BitOps> = OnceLock::new();
        *AUTO.get_or_init(|| {
            let widest = Backend::available()[0];
            BitOps::routed(widest, cpu::this_cpu_pdep_is_microcoded())
        })
    }

    /// `backend` for the slices and, when `microcoded_pdep`, the portable kernels for
    /// the word operations. `backend` must be available.
    fn routed(backend: Backend, microcoded_pdep: bool) -> BitOps {
        let slices = backend.table();
        let words = if microcoded_pdep {
            &backend::PORTABLE
        } else {
            slices
        };
        BitOps { slices, words }
    }

    /// The backend of the slice operations (popcounts, intersection counts).
    pub fn backend(&self) -> Backend {
        self.slices.backend
    }

    /// The backend of `pext`, `pdep` and word `select` (the same as
    /// [`backend`](Self::backend) except in [`BitOps::auto`] on CPUs with microcoded
    /// `pdep`).
    pub fn pext_pdep_backend(&self) -> Backend {
        self.words.backend
    }

    /// Parallel bit extract: the bits of `value` at the set positions of `mask`, packed
    /// into the low bits (x86 `pext`).
    ///
    /// ```
    /// assert_eq!(arsenal_bits::BitOps::auto().pext(0xABCD, 0xF0F0), 0xAC);
    /// ```
    #[inline]
    pub fn pext(&self, value: u64, mask: u64) -> u64 {
        // SAFETY: the table's backend runs on this CPU (struct invariant).
        unsafe { (self.words.pext)(value, mask) }
    }

    /// Parallel bit deposit: the low bits of `value` placed at the set positions of
    /// `mask`, other bits zero (x86 `pdep`).
    ///
    /// ```
    /// assert_eq!(arsenal_bits::BitOps::auto().pdep(0xAC, 0xF0F0), 0xA0C0);
    /// ```
    #[inline]
    pub fn pdep(&self, value: u64, mask: u64) -> u64 {
        // SAFETY: the table's backend runs on this CPU (struct invariant).
        unsafe { (self.words.pdep)(value, mask) }
    }

    /// `out[i] = pext(values[i], masks[i])`; [`ErrorKind::Length`] unless the three
    /// slices have one length.
    pub fn pext_many(&self, values: &[u64], masks: &[u64], out: &mut [u64]) -> Result<()> {
        check_len("pext_many", values.len(), masks.len())?;
        check_len("pext_many", values.len(), out.len())?;
        // SAFETY: the table's backend runs on this CPU; lengths checked.
        unsafe { (self.words.pext_many)(values, masks, out) };
        Ok(())
    }

    /// `out[i] = pdep(values[i], masks[i])`; [`ErrorKind::Length`] unless the three
    /// slices have one length.
    pub fn pdep_many(&self, values: &[u64], masks: &[u64], out: &mut [u64]) -> Result<()> {
        check_len("pdep_many", values.len(), masks.len())?;
        check_len("pdep_many", values.len(), out.len())?;
        // SAFETY: the table's backend runs on this CPU; lengths checked.
        unsafe { (self.words.pdep_many)(values, masks, out) };
        Ok(())
    }

    /// The position of the `k`-th (from 0) set bit of `word`, or `None` when `word` has
    /// at most `k` set bits.
    ///
    /// ```
    /// let ops = arsenal_bits::BitOps::auto();
    /// assert_eq!(ops.select_in_word(0b1011_0000, 2), Some(7));
    /// assert_eq!(ops.select_in_word(0b1011_0000, 3), None);
    /// assert_eq!(ops.select_in_word(u64::MAX, u32::MAX), None);
    /// ```
    #[inline]
    pub fn select_in_word(&self, word: u64, k: u32) -> Option<u32> {
        if k >= 64 {
            return None;
        }
        // SAFETY: the table's backend runs on this CPU (struct invariant).
        let at = unsafe { (self.words.select_in_word)(word, k) };
        (at < 64).then_some(at)
    }

    /// The number of set bits in `words`.
    #[inline]
    pub fn popcount(&self, words: &[u64]) -> u64 {
        // SAFETY: the table's backend runs on this CPU (struct invariant).
        unsafe { (self.slices.popcount)(words) }
    }

    /// The number of set bits in `bytes` (any length and alignment).
    #[inline]
    pub fn popcount_bytes(&self, bytes: &[u8]) -> u64 {
        // SAFETY: the table's backend runs on this CPU (struct invariant).
        unsafe { (self.slices.popcount_bytes)(bytes) }
    }

    /// The number of set bits in `a & b` (the size of the intersection of two bit sets);
    /// [`ErrorKind::Length`] when the lengths differ.
    pub fn and_count(&self, a: &[u64], b: &[u64]) -> Result<u64> {
        check_len("and_count", a.len(), b.len())?;
        // SAFETY: the table's backend runs on this CPU; lengths checked.
        Ok(unsafe { (self.slices.and_count)(a, b) })
    }

    /// The number of set bits in `a | b` (the size of the union); [`ErrorKind::Length`]
    /// when the lengths differ.
    pub fn or_count(&self, a: &[u64], b: &[u64]) -> Result<u64> {
        check_len("or_count", a.len(), b.len())?;
        // SAFETY: the table's backend runs on this CPU; lengths checked.
        Ok(unsafe { (self.slices.or_count)(a, b) })
    }

    /// The number of set bits in `a ^ b` (the Hamming distance); [`ErrorKind::Length`]
    /// when the lengths differ.
    pub fn xor_count(&self, a: &[u64], b: &[u64]) -> Result<u64> {
        check_len("xor_count", a.len(), b.len())?;
        // SAFETY: the table's backend runs on this CPU; lengths checked.
        Ok(unsafe { (self.slices.xor_count)(a, b) })
    }
}

/// [`BitOps::popcount`] of [`BitOps::auto`].
pub fn popcount(words: &[u64]) -> u64 {
    BitOps::auto().popcount(words)
}

/// [`BitOps::popcount_bytes`] of [`BitOps::auto`].
pub fn popcount_bytes(bytes: &[u8]) -> u64 {
    BitOps::auto().popcount_bytes(bytes)
}

/// [`BitOps::and_count`] of [`BitOps::auto`].
pub fn and_count(a: &[u64], b: &[u64]) -> Result<u64> {
    BitOps::auto().and_count(a, b)
}

/// [`BitOps::or_count`] of [`BitOps::auto`].
pub fn or_count(a: &[u64], b: &[u64]) -> Result<u64> {
    BitOps::auto().or_count(a, b)
}

/// [`BitOps::xor_count`] of [`BitOps::auto`].
pub fn xor_count(a: &[u64], b: &[u64]) -> Result<u64> {
    BitOps::auto().xor_count(a, b)
}

mod sealed {
    pub trait Sealed {}
}

/// Named bit operations on `u8`, `u16`, `u32` and `u64`. Counts, swaps and reversal are
/// std's (single instructions where the build targets them); `pext`, `pdep` and `select`
/// go through [`BitOps::auto`]. Every operation is defined for every input, zero
/// included (`clz(0) = ctz(0) = BITS`).
///
/// ```
/// use arsenal_bits::Bits;
/// assert_eq!(0u32.clz(), 32);
/// assert_eq!(1u16.bit_reverse(), 0x8000);
/// assert_eq!(0xF0u8.popcount(), 4);
/// assert_eq!(u64::MAX.select(63), Some(63));
/// assert_eq!(0u64.select(0), None);
/// ```
pub trait Bits: sealed::Sealed + Copy + Eq + std::fmt::Debug {
    /// The width in bits.
    const BITS: u32;
    /// Leading zeros (`BITS` for 0).
    fn clz(self) -> u32;
    /// Trailing zeros (`BITS` for 0).
    fn ctz(self) -> u32;
    /// Set bits.
    fn popcount(self) -> u32;
    /// Bytes in reverse order.
    fn bswap(self) -> Self;
    /// Bits in reverse order.
    fn bit_reverse(self) -> Self;
    /// Parallel bit extract ([`BitOps::pext`]) through [`BitOps::auto`].
    fn pext(self, mask: Self) -> Self;
    /// Parallel bit deposit ([`BitOps::pdep`]) through [`BitOps::auto`].
    fn pdep(self, mask: Self) -> Self;
    /// The position of the `k`-th (from 0) set bit, `None` when there are at most `k`.
    fn select(self, k: u32) -> Option<u32>;
}

macro_rules! bits_impl {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Bits for $t {
            const BITS: u32 = <$t>::BITS;
            #[inline]
            fn clz(self) -> u32 { self.leading_zeros() }
            #[inline]
            fn ctz(self) -> u32 { self.trailing_zeros() }
            #[inline]
            fn popcount(self) -> u32 { self.count_ones() }
            #[inline]
            fn bswap(self) -> Self { self.swap_bytes() }
            #[inline]
            fn bit_reverse(self) -> Self { self.reverse_bits() }
            #[inline]
            fn pext(self, mask: Self) -> Self {
                // Zero-extended operands give the same packed bits, which fit the type.
                BitOps::auto().pext(u64::from(self), u64::from(mask)) as $t
            }
            #[inline]
            fn pdep(self, mask: Self) -> Self {
                // The result lies within `mask`, so within the type.
                BitOps::auto().pdep(u64::from(self), u64::from(mask)) as $t
            }
            #[inline]
            fn select(self, k: u32) -> Option<u32> {
                BitOps::auto().select_in_word(u64::from(self), k)
            }
        }
    )*};
}
bits_impl!(u8, u16, u32, u64);

/// The portable `pext` on any target: a loop over the set bits for masks of at most 12
/// set bits, Hacker's Delight's bit-group `compress` for denser ones.
///
/// ```
/// assert_eq!(arsenal_bits::pext_portable(0b1101_0110, 0b1111_0000), 0b1101);
/// ```
pub fn pext_portable(value: u64, mask: u64) -> u64 {
    backend::portable::compress(value, mask)
}

/// The portable `pdep` on any target: a loop over the set bits for masks of at most 12
/// set bits, Hacker's Delight's bit-group `expand` for denser ones.
///
/// ```
/// assert_eq!(arsenal_bits::pdep_portable(0b1101, 0b1111_0000), 0b1101_0000);
/// ```
pub fn pdep_portable(value: u64, mask: u64) -> u64 {
    backend::portable::expand(value, mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_available_backend_works() {
        for &b in Backend::ALL {
            match b.ops() {
                Ok(ops) => {
                    assert!(b.is_available());
                    assert_eq!(ops.pext(0xABCD, 0xF0F0), 0xAC, "{b}");
                    assert_eq!(ops.pdep(0xAC, 0xF0F0), 0xA0C0, "{b}");
                    assert_eq!(ops.select_in_word(0b1010, 1), Some(3), "{b}");
                    assert_eq!(ops.popcount(&[u64::MAX; 9]), 576, "{b}");
                    assert_eq!(ops.popcount_bytes(&[0xFF; 65]), 520, "{b}");
                    assert_eq!(ops.xor_count(&[0b11; 40], &[0b01; 40]).unwrap(), 40, "{b}");
                }
                Err(e) => {
                    assert!(!b.is_available());
                    assert_eq!(e.kind(), ErrorKind::Unsupported);
                }
            }
        }
    }

    #[test]
    fn routing() {
        let widest = Backend::available()[0];
        let ops = BitOps::routed(widest, true);
        assert_eq!(ops.backend(), widest);
        assert_eq!(ops.pext_pdep_backend(), Backend::Portable);
        assert_eq!(BitOps::routed(widest, false).pext_pdep_backend(), widest);
    }
}
