//! Sorting, selection and searching: Highway's **vqsort** (C++) and native Rust
//! algorithms behind one [`Sorter`] trait, checked against std in the tests and timed
//! against std and the best crates in the matrix's `sort`, `select` and `search` rows.
//!
//! | backend | what | stable | key types |
//! |---|---|---|---|
//! | [`Vqsort`] (feature `vqsort`, default) | Highway's vectorised quicksort (Blacher et al. 2022), AVX-512/AVX2 chosen at run time | no | all |
//! | [`Samplesort`] | in-place super-scalar samplesort after IPS⁴o (Axtmann et al. 2017): block permutation, equality buckets, O(k·b) extra memory | no | all |
//! | [`ParallelSamplesort`] | the same, classifying, permuting blocks and sorting buckets on every core | no | all |
//! | [`Radix`] | LSD radix sort, 8-bit digits, passes with one digit value skipped, O(n) scratch | **yes** | all |
//!
//! Every backend starts with run detection (one scan that stops at the first pair out of
//! order): input already in order costs that scan, reversed input a reversal, and a long
//! ordered prefix a sort of the rest plus one merge (as std's sorts, which detect runs).
//!
//! Key types ([`SortKey`]): `u16`–`u128`, `i16`–`i64`, `f32`/`f64` in
//! [`f64::total_cmp`]'s order (`-NaN < -∞ < … < -0.0 < +0.0 < … < +∞ < +NaN`, the same
//! for every backend), and the key-value pairs [`KeyValue32`]/[`KeyValue64`] (by key).
//!
//! Strings: [`sort_strings`] (multikey quicksort, for anything `AsRef<[u8]>`: `&str`,
//! `String`, `&[u8]`, `Vec<u8>`), in std's order for those types.
//!
//! Selection ([`select_nth`]: Floyd–Rivest, introselect) and searching ([`search`]:
//! branchless and Eytzinger binary search, interpolation search, a SIMD lower bound for
//! small arrays) are free functions over the same key types.
//!
//! ```
//! use arsenal_sort::{Backend, SortExt, Order};
//!
//! let mut v = vec![3.5f64, -0.0, f64::NAN, 0.0, -7.25, f64::INFINITY];
//! for backend in Backend::available() {
//!     let mut keys = v.clone();
//!     backend.sorter()?.sort(&mut keys)?;
//!     let bits: Vec<u64> = keys.iter().map(|x| x.to_bits()).collect();
//!     let mut expect = v.clone();
//!     expect.sort_by(f64::total_cmp);
//!     assert_eq!(bits, expect.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
//! }
//! // The default choice for a slice of this length:
//! arsenal_sort::sort(&mut v)?;
//! assert_eq!(v[0], -7.25);
//!
//! let mut pairs = [arsenal_sort::KeyValue64::new(2, 20), arsenal_sort::KeyValue64::new(1, 10)];
//! Backend::Radix.sorter()?.sort_keys(arsenal_sort::SortKey::keys(&mut pairs[..]), Order::Descending)?;
//! assert_eq!(pairs[0].value, 20);
//! # Ok::<(), arsenal_sort::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

/// Runs `$body` with `$k` bound to the typed slice inside a [`Keys`].
macro_rules! each_key {
    ($keys:expr, |$k:ident| $body:expr) => {
        match $keys {
            Keys::U16($k) => $body,
            Keys::U32($k) => $body,
            Keys::U64($k) => $body,
            Keys::U128($k) => $body,
            Keys::I16($k) => $body,
            Keys::I32($k) => $body,
            Keys::I64($k) => $body,
            Keys::F32($k) => $body,
            Keys::F64($k) => $body,
            Keys::KeyValue32($k) => $body,
            Keys::KeyValue64($k) => $body,
        }
    };
}

mod adaptive;
mod key;
mod radix;
mod samplesort;
pub mod search;
mod select;
mod small;
mod strings;
#[cfg(feature = "vqsort")]
mod vqsort;

use std::mem::MaybeUninit;

pub use key::{Bits, KeyType, KeyValue32, KeyValue64, Keys, SortKey};
pub use select::{select_nth, SelectAlgorithm};
pub use strings::sort_strings;
#[cfg(feature = "vqsort")]
pub use vqsort::Vqsort;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The backend is not compiled into this build (its cargo feature is off).
    Unsupported,
    /// Scratch space could not be allocated; the keys are unchanged.
    OutOfMemory,
    /// A worker thread could not be started; the keys are a permutation of the input.
    Thread,
    /// An index beyond the slice (selection); the keys are unchanged.
    OutOfRange,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Unsupported => "backend not compiled in",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::Thread => "a worker thread failed",
            ErrorKind::OutOfRange => "index out of range",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            ErrorKind::OutOfMemory => std::io::ErrorKind::OutOfMemory,
            ErrorKind::Thread => std::io::ErrorKind::Other,
            ErrorKind::OutOfRange => std::io::ErrorKind::InvalidInput,
        }
    }
}

/// An error from `arsenal-sort` (the shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The direction of a sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Order {
    /// Smallest first.
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

/// A sorting algorithm. Object safe: [`Backend::sorter`] returns a
/// `Box<dyn Sorter + Send>`; [`SortExt`] adds the typed calls.
pub trait Sorter {
    /// Sorts `keys` in `order` (see [`SortKey`] for each type's order).
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`] when scratch space cannot be allocated (the keys are
    /// unchanged), [`ErrorKind::Thread`] when a worker thread cannot be started (the keys
    /// are a permutation of the input).
    fn sort_keys(&mut self, keys: Keys<'_>, order: Order) -> Result<()>;
    /// Which backend this is.
    fn backend(&self) -> Backend;
}

/// Typed sorting on every [`Sorter`] (blanket impl).
pub trait SortExt: Sorter {
    /// Sorts `keys` ascending.
    ///
    /// # Errors
    /// As [`Sorter::sort_keys`].
    fn sort<K: SortKey>(&mut self, keys: &mut [K]) -> Result<()> {
        self.sort_keys(K::keys(keys), Order::Ascending)
    }
    /// Sorts `keys` descending.
    ///
    /// # Errors
    /// As [`Sorter::sort_keys`].
    fn sort_descending<K: SortKey>(&mut self, keys: &mut [K]) -> Result<()> {
        self.sort_keys(K::keys(keys), Order::Descending)
    }
}

impl<S: Sorter + ?Sized> SortExt for S {}

impl<S: Sorter + ?Sized> Sorter for Box<S> {
    fn sort_keys(&mut self, keys: Keys<'_>, order: Order) -> Result<()> {
        (**self).sort_keys(keys, order)
    }
    fn backend(&self) -> Backend {
        (**self).backend()
    }
}

/// Native LSD radix sort: stable, O(n · key bytes), with a scratch buffer of n keys
/// allocated per call. Best on large slices of random keys; every pass reads and
/// writes all keys, so short keys (`u32`) gain the most.
#[derive(Debug, Clone, Copy, Default)]
pub struct Radix;

impl Sorter for Radix {
    fn sort_keys(&mut self, keys: Keys<'_>, order: Order) -> Result<()> {
        let desc = order == Order::Descending;
        each_key!(keys, |k| adaptive::sort(k, desc, &mut |t| radix(t, desc)))
    }
    fn backend(&self) -> Backend {
        Backend::Radix
    }
}

fn radix<K: SortKey>(keys: &mut [K], descending: bool) -> Result<()> {
    let mut scratch: Vec<MaybeUninit<K>> = Vec::new();
    scratch
        .try_reserve_exact(keys.len())
        .map_err(|_| Error::new(ErrorKind::OutOfMemory, "radix", "scratch space"))?;
    scratch.resize_with(keys.len(), MaybeUninit::uninit);
    radix::radix_sort(keys, descending, &mut scratch);
    Ok(())
}

/// Native in-place super-scalar samplesort (IPS⁴o's block permutation) on the calling
/// thread: not stable; extra memory independent of n (256 block buffers of 512 bytes and a
/// few blocks, about 130 KiB per call).
#[derive(Debug, Clone, Copy, Default)]
pub struct Samplesort;

impl Sorter for Samplesort {
    fn sort_keys(&mut self, keys: Keys<'_>, order: Order) -> Result<()> {
        let desc = order == Order::Descending;
        each_key!(keys, |k| adaptive::sort(k, desc, &mut |t| {
            samplesort::samplesort(t, desc)
        }))
    }
    fn backend(&self) -> Backend {
        Backend::Samplesort
    }
}

/// Samplesort's top level on several threads (scoped `std` threads started per call):
/// the keys are classified into up to 256 buckets in per-thread stripes and the blocks
/// permuted in place by all threads together (IPS⁴o's parallel step: each bucket's
/// read and write pointers behind a lock of their own), then the buckets are sorted in
/// parallel, the largest first, each on the least loaded thread — by **vqsort** when the
/// `vqsort` feature is on, else by the sequential [`Samplesort`]
/// ([`ParallelSamplesort::bucket_sorter`] says which). Extra memory: about 130 KiB per
/// thread. Below 2¹⁷ keys the bucket sorter sorts everything on the calling thread.
#[derive(Debug, Clone, Copy)]
pub struct ParallelSamplesort {
    threads: usize,
}

impl ParallelSamplesort {
    /// One thread per available core ([`std::thread::available_parallelism`]).
    pub fn new() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        ParallelSamplesort { threads }
    }

    /// Exactly `threads` threads (at least 1).
    pub fn with_threads(threads: usize) -> Self {
        ParallelSamplesort {
            threads: threads.clamp(1, 1024),
        }
    }

    /// The number of threads.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The backend that sorts the buckets: [`Backend::Vqsort`] when compiled in, else
    /// [`Backend::Samplesort`].
    pub const fn bucket_sorter() -> Backend {
        match Self::BASE {
            samplesort::Base::Samplesort => Backend::Samplesort,
            #[cfg(feature = "vqsort")]
            samplesort::Base::Vqsort => Backend::Vqsort,
        }
    }

    #[cfg(feature = "vqsort")]
    const BASE: samplesort::Base = samplesort::Base::Vqsort;
    #[cfg(not(feature = "vqsort"))]
    const BASE: samplesort::Base = samplesort::Base::Samplesort;
}

impl Default for ParallelSamplesort {
    fn default() -> Self {
        Self::new()
    }
}

impl Sorter for ParallelSamplesort {
    fn sort_keys(&mut self, keys: Keys<'_>, order: Order) -> Result<()> {
        let (threads, desc) = (self.threads, order == Order::Descending);
        each_key!(keys, |k| adaptive::sort(k, desc, &mut |t| {
            samplesort::parallel_samplesort(t, desc, threads, Self::BASE)
        }))
    }
    fn backend(&self) -> Backend {
        Backend::ParallelSamplesort
    }
}

arsenal_core::backends! {
    /// The sorting backends this crate knows.
    domain = "sort";
    pub enum Backend {
        /// Highway's vqsort (C++, feature `vqsort`).
        Vqsort = "vqsort",
        /// Native samplesort, one thread.
        Samplesort = "samplesort",
        /// Native samplesort on every core.
        ParallelSamplesort = "parallel-samplesort",
        /// Native LSD radix sort (stable).
        Radix = "radix",
    }
}

/// Every backend sorts slices of up to this many keys by the native small sort (inside
/// its run detection): sorting networks for up to 8 keys and branch-free bidirectional merges
/// (stable for the key-value pairs: insertion-sorted leaves). On the matrix's
/// `sort/u64/random-3e1` row it is several times vqsort, whose per-call setup dominates
/// tiny slices; vqsort overtakes std's `sort_unstable` between 100 and 300 keys
/// (`docs/sort.md`).
pub const SMALL_SORT_MAX: usize = adaptive::SMALL;

/// One step of Marsaglia's xorshift64 (13, 7, 17): the samples of the samplesort and of
/// Floyd–Rivest, and the tests' random keys. `state` must not be zero.
#[inline]
pub(crate) fn xorshift64(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        let mut v = Vec::new();
        #[cfg(feature = "vqsort")]
        v.push(Backend::Vqsort);
        v.extend([
            Backend::Radix,
            Backend::Samplesort,
            Backend::ParallelSamplesort,
        ]);
        v
    }

    /// Every strategy prefers vqsort, the fastest sort of every `sort/*-1e6` row and of
    /// every row from 300 keys, and in place (0 bytes of scratch). Without it: the LSD
    /// radix sort (the fastest native sort on one thread from 10³ keys, 8 bytes of
    /// scratch per key), and for maximal speed the parallel samplesort.
    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::Strategy::*;
        match strategy {
            MaximalSpeed => arsenal_core::prefer(&[Backend::Vqsort, Backend::ParallelSamplesort]),
            _ => arsenal_core::prefer(&[Backend::Vqsort, Backend::Radix]),
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            Latency => Some("sort/u64/random-1e3"),
            Throughput | MaximalSpeed => Some("sort/u64/random-1e6"),
            MinimalMemory => Some("sort/memory/u64-1e6"),
        }
    }
}

impl Backend {
    /// A sorter of this backend.
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] when the backend is not compiled in.
    pub fn sorter(self) -> Result<Box<dyn Sorter + Send>> {
        match self {
            #[cfg(feature = "vqsort")]
            Backend::Vqsort => Ok(Box::new(Vqsort)),
            Backend::Samplesort => Ok(Box::new(Samplesort)),
            Backend::ParallelSamplesort => Ok(Box::new(ParallelSamplesort::new())),
            Backend::Radix => Ok(Box::new(Radix)),
            #[allow(unreachable_patterns)]
            other => Err(Error::new(
                ErrorKind::Unsupported,
                other.name(),
                "not compiled in (enable the cargo feature of the same name)",
            )),
        }
    }

    /// Whether equal keys (pairs with equal keys) keep their order.
    pub const fn is_stable(self) -> bool {
        matches!(self, Backend::Radix)
    }
}

/// The sorter [`sort`] uses: [`Vqsort`] when compiled in, else [`Radix`] (the first of
/// [`Backend::available`]).
#[cfg(feature = "vqsort")]
pub type DefaultSorter = Vqsort;
/// The sorter [`sort`] uses: [`Vqsort`] when compiled in, else [`Radix`] (the first of
/// [`Backend::available`]).
#[cfg(not(feature = "vqsort"))]
pub type DefaultSorter = Radix;

/// Sorts `keys` ascending with [`DefaultSorter`].
///
/// # Errors
/// As [`Sorter::sort_keys`].
pub fn sort<K: SortKey>(keys: &mut [K]) -> Result<()> {
    DefaultSorter::default().sort(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    fn data(n: usize) -> Vec<u64> {
        let mut x = 88172645463325252u64;
        (0..n).map(|_| crate::xorshift64(&mut x) % 1000).collect()
    }

    #[test]
    fn every_backend_sorts() {
        for n in [0, 1, 2, 31, 33, 100, 1000, 70_000, 200_000] {
            let v = data(n);
            let mut asc = v.clone();
            asc.sort_unstable();
            for b in Backend::available() {
                let mut s = b.sorter().unwrap();
                assert_eq!(s.backend(), b);
                let mut k = v.clone();
                s.sort(&mut k).unwrap();
                assert_eq!(k, asc, "{b} n={n}");
                s.sort_descending(&mut k).unwrap();
                assert!(k.iter().eq(asc.iter().rev()), "{b} n={n} descending");
            }
        }
    }

    #[test]
    fn radix_is_stable_both_ways() {
        let mut pairs: Vec<KeyValue64> = data(5000)
            .into_iter()
            .enumerate()
            .map(|(i, k)| KeyValue64::new(k, i as u64))
            .collect();
        Radix.sort(&mut pairs).unwrap();
        assert!(pairs
            .windows(2)
            .all(|w| (w[0].key, w[0].value) < (w[1].key, w[1].value)));
        Radix.sort_descending(&mut pairs).unwrap();
        assert!(pairs
            .windows(2)
            .all(|w| w[0].key > w[1].key || (w[0].key == w[1].key && w[0].value < w[1].value)));
    }

    #[test]
    fn parallel_threads_clamped() {
        assert_eq!(ParallelSamplesort::with_threads(0).threads(), 1);
        assert_eq!(ParallelSamplesort::with_threads(usize::MAX).threads(), 1024);
        let mut v = data(300_000);
        let mut e = v.clone();
        e.sort_unstable();
        ParallelSamplesort::with_threads(3).sort(&mut v).unwrap();
        assert_eq!(v, e);
    }
}
