//! Compressed bitmaps and succinct structures.
//!
//! - **Compressed bitmaps** of `u32` behind one [`Bitmap`] trait: [`CRoaring`] (CRoaring
//!   5.2, the C reference implementation of Roaring bitmaps, through crates.io
//!   `croaring-sys`), with set operations, rank/select and the **portable Roaring
//!   format** shared by the Java, Go, C and Rust implementations (read back with full
//!   validation: corrupt bytes are an [`Error`], never undefined behaviour).
//! - **Succinct structures** in native Rust (no C library fits): [`BitVector`] with
//!   rank/select (Vigna's rank9 and sampled select), [`EliasFano`] monotone sequences
//!   (access, successor, rank) and the [`WaveletMatrix`] (access, rank and select over an
//!   integer sequence).
//!
//! | structure | operations | space |
//! |---|---|---|
//! | [`CRoaring`] | insert, remove, contains, ∧ ∨ ⊕ ∖ (new or in place), rank, select, portable format | Roaring containers: ≤ 2 bytes per value, runs compressed |
//! | [`BitVector`] | get, rank0/1, select0/1 | n bits + 25 % (rank) + 2 × 32 bits per 512 (select) |
//! | [`EliasFano`] | get, next_geq, rank | ≤ 2 + ⌈log₂(u/n)⌉ bits per value + the high bits' index |
//! | [`WaveletMatrix`] | get, rank, select of a value | ⌈log₂ σ⌉ bit vectors of n bits |
//!
//! ```
//! # #[cfg(feature = "croaring")] {
//! use arsenal_bitmap::{Bitmap, CRoaring};
//!
//! let a = CRoaring::from_slice(&[1, 2, 3, 1000, 100_000]);
//! let b: CRoaring = (2..=1000).collect();
//! assert_eq!((&a & &b).to_vec(), [2, 3, 1000]);
//! assert_eq!(a.or(&b).len(), 1001);
//!
//! // The portable format, readable by every Roaring implementation.
//! let bytes = a.serialize_portable();
//! assert_eq!(CRoaring::deserialize_portable(&bytes)?, a);
//! assert!(CRoaring::deserialize_portable(&bytes[..bytes.len() - 1]).is_err());
//! # }
//! # Ok::<(), arsenal_bitmap::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod bitvec;
mod elias_fano;
mod wavelet;

/// The compressed-bitmap backends, one module each.
pub mod backend {
    #[cfg(feature = "croaring")]
    pub mod croaring;
}

pub use bitvec::BitVector;
pub use elias_fano::EliasFano;
pub use wavelet::WaveletMatrix;

#[cfg(feature = "croaring")]
pub use backend::croaring::CRoaring;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Serialised bytes are not a valid bitmap: truncated, trailing bytes, containers
    /// that break the format's invariants.
    Corrupt,
    /// A parameter is out of range (bit counts, unsorted input to Elias–Fano).
    Parameter,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Corrupt => "corrupt bitmap bytes",
            ErrorKind::Parameter => "parameter out of range",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Corrupt => std::io::ErrorKind::InvalidData,
            ErrorKind::Parameter => std::io::ErrorKind::InvalidInput,
        }
    }
}

/// An error from `arsenal-bitmap` (the shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A compressed set of `u32` values.
pub trait Bitmap: Clone + PartialEq + std::fmt::Debug + FromIterator<u32> + Extend<u32> {
    /// An empty bitmap.
    fn new() -> Self;
    /// A bitmap of `values` (any order, duplicates allowed).
    fn from_slice(values: &[u32]) -> Self;
    /// Adds `value`; whether it was absent.
    fn insert(&mut self, value: u32) -> bool;
    /// Removes `value`; whether it was present.
    fn remove(&mut self, value: u32) -> bool;
    /// Whether `value` is in the set.
    fn contains(&self, value: u32) -> bool;
    /// The number of values (the cardinality).
    fn len(&self) -> u64;
    /// Whether the set is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The intersection.
    fn and(&self, other: &Self) -> Self;
    /// The union.
    fn or(&self, other: &Self) -> Self;
    /// The symmetric difference.
    fn xor(&self, other: &Self) -> Self;
    /// The values of `self` not in `other`.
    fn and_not(&self, other: &Self) -> Self;
    /// `self ∩= other`.
    fn and_inplace(&mut self, other: &Self);
    /// `self ∪= other`.
    fn or_inplace(&mut self, other: &Self);
    /// `self ⊕= other`.
    fn xor_inplace(&mut self, other: &Self);
    /// `self ∖= other`.
    fn and_not_inplace(&mut self, other: &Self);
    /// The size of the intersection, without building it.
    fn and_len(&self, other: &Self) -> u64;
    /// The number of values `≤ value`.
    fn rank(&self, value: u32) -> u64;
    /// The value of rank `index` (0-based: `select(0)` is the smallest), `None` past the
    /// end.
    fn select(&self, index: u64) -> Option<u32>;
    /// The values in increasing order.
    fn to_vec(&self) -> Vec<u32>;
    /// Converts containers to run-length form where that is smaller; whether any was.
    fn run_optimize(&mut self) -> bool;
    /// The bitmap in the portable Roaring format
    /// (<https://github.com/RoaringBitmap/RoaringFormatSpec>).
    fn serialize_portable(&self) -> Vec<u8>;
    /// Reads the portable Roaring format, validating every container.
    ///
    /// # Errors
    /// [`ErrorKind::Corrupt`] for anything but exactly one valid bitmap.
    fn deserialize_portable(bytes: &[u8]) -> Result<Self>;
    /// The bytes the bitmap holds (CRoaring's own estimate of its containers).
    fn size_in_bytes(&self) -> usize;
    /// Which backend this is.
    fn backend(&self) -> Backend;
}

arsenal_core::backends! {
    /// The compressed-bitmap backends this build has.
    domain = "bitmap";
    pub enum Backend {
        /// CRoaring (C): Roaring bitmaps with SIMD container operations.
        CRoaring = "croaring",
    }
}

impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        let mut v = Vec::new();
        if cfg!(feature = "croaring") {
            v.push(Backend::CRoaring);
        }
        v
    }

    fn for_strategy(_strategy: arsenal_core::Strategy) -> Backend {
        Backend::CRoaring
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            MinimalMemory => Some("bitmap/memory/dense-1e6"),
            Latency => Some("bitmap/contains/dense-1e6"),
            Throughput | MaximalSpeed => Some("bitmap/and/dense-1e6"),
        }
    }
}

/// The compressed bitmap most users want: [`CRoaring`] (the only backend so far).
#[cfg(feature = "croaring")]
pub type DefaultBitmap = CRoaring;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn available_follows_the_features() {
        assert_eq!(
            Backend::available().contains(&Backend::CRoaring),
            cfg!(feature = "croaring")
        );
    }

    // The selection shape needs a compressed-bitmap backend compiled in.
    #[cfg(feature = "any-backend")]
    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[cfg(feature = "croaring")]
    #[test]
    fn croaring_set_algebra_and_format() {
        let a = CRoaring::from_slice(&[5, 1, 70_000, 1 << 31, u32::MAX, 1]);
        assert_eq!(a.len(), 5);
        assert_eq!(a.to_vec(), [1, 5, 70_000, 1 << 31, u32::MAX]);
        let mut b: CRoaring = (0..100u32).collect();
        assert!(b.insert(70_000));
        assert!(!b.insert(70_000));
        assert!(b.remove(0) && !b.remove(0));
        assert_eq!(a.and(&b).to_vec(), [1, 5, 70_000]);
        assert_eq!(a.and_len(&b), 3);
        assert_eq!(a.or(&b).len(), 5 + 100 - 1 + 1 - 3);
        assert_eq!(a.xor(&b).len(), a.or(&b).len() - 3);
        assert_eq!((&a - &b).to_vec(), [1 << 31, u32::MAX]);
        let mut c = a.clone();
        c.and_not_inplace(&b);
        assert_eq!(c, &a - &b);
        assert_eq!(a.rank(5), 2);
        assert_eq!(a.select(4), Some(u32::MAX));
        assert_eq!(a.select(5), None);
        assert_eq!(a.select(u64::MAX), None);
        let bytes = a.serialize_portable();
        assert_eq!(bytes.len(), a.portable_size());
        assert_eq!(CRoaring::deserialize_portable(&bytes).unwrap(), a);
        for cut in 0..bytes.len() {
            assert!(
                CRoaring::deserialize_portable(&bytes[..cut]).is_err(),
                "cut {cut}"
            );
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(CRoaring::deserialize_portable(&long).is_err());
        assert_eq!(a.backend(), Backend::CRoaring);
        assert!(a.size_in_bytes() > 0);
    }
}
