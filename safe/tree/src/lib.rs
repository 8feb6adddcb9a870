//! Ordered maps from `u64` keys to `u64` values behind one [`OrderedMap`] trait.
//!
//! | backend | type | implementation |
//! |---|---|---|
//! | `btree` | [`BTree`] | native Rust B+ tree: 16-entry leaves chained for scans, 16-way inner nodes searched branch-free, nodes in two arenas with `u32` links; generic over `Copy` keys and values |
//! | `art` | [`Art`] | native Rust adaptive radix tree (Leis et al. 2013): `u64` keys as 8 big-endian bytes, Node4/16/48/256 growing and shrinking with the fan-out, path compression and lazy expansion, nodes in per-kind arenas with tagged `u32` links; generic over `Copy` values |
//! | `abseil` | [`Abseil`] | Abseil's `absl::btree_map<uint64_t, uint64_t>` (C++ B-tree with 256-byte nodes, Debian's `libabsl-dev`, our `extern "C"` shim) |
//!
//! The B-trees hold many keys per node, against std's `BTreeMap` (11 keys per node,
//! searched key by key); the radix tree descends one key byte per level with no key
//! comparisons until the leaf. All are measured against std's map in the matrix's `tree`
//! rows (`docs/tree.md` has the numbers): the radix tree is fastest on point operations,
//! the B+ tree on range scans, Abseil's tree the smallest.
//!
//! Unlike std's `BTreeMap::insert`, which aborts the process when the allocator fails,
//! [`OrderedMap::insert`] returns an [`Error`]: [`ErrorKind::OutOfMemory`] with the map
//! unchanged for [`BTree`] and [`Art`]; for [`Abseil`], whose B-tree cannot promise to be
//! intact after a failed node allocation, [`ErrorKind::ContentsLost`] with the map
//! emptied.
//!
//! ```
//! use arsenal_tree::{Backend, OrderedMap};
//! use std::ops::Bound;
//!
//! for backend in Backend::available() {
//!     let mut m = backend.u64_map();
//!     for k in [30, 10, 20, 40] {
//!         m.insert(k, k + 1)?;
//!     }
//!     assert_eq!(m.get(20), Some(21));
//!     assert_eq!(m.lower_bound(25), Some((30, 31)));
//!     let mut keys = Vec::new();
//!     m.for_each_in((Bound::Included(15), Bound::Unbounded), &mut |k, _| keys.push(k));
//!     assert_eq!(keys, [20, 30, 40]);
//! }
//! # Ok::<(), arsenal_tree::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

use std::ops::Bound;

mod art;
mod btree;

/// The C/C++ backends, one module each.
pub mod backend {
    #[cfg(feature = "abseil")]
    pub mod abseil;
}

pub use art::{Art, ArtIter};
#[cfg(feature = "abseil")]
pub use backend::abseil::Abseil;
pub use btree::{BTree, Range};

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// More nodes than the tree can address; the map is unchanged.
    Capacity,
    /// The allocator failed; the map is unchanged.
    OutOfMemory,
    /// The allocator failed inside Abseil's B-tree, which cannot promise to be intact
    /// afterwards: the tree was leaked and the map is now **empty**.
    ContentsLost,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Capacity => "more nodes than the tree can address",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::ContentsLost => "out of memory inside the tree; the map was emptied",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Capacity => std::io::ErrorKind::InvalidInput,
            ErrorKind::OutOfMemory | ErrorKind::ContentsLost => std::io::ErrorKind::OutOfMemory,
        }
    }
}

/// An error from `arsenal-tree` (the shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The error for a failed `try_reserve`.
pub(crate) fn reserve_error(err: &std::collections::TryReserveError, backend: Backend) -> Error {
    let text = err.to_string();
    let kind = if text.contains("capacity exceeded") || text.contains("capacity overflow") {
        ErrorKind::Capacity
    } else {
        ErrorKind::OutOfMemory
    };
    Error::new(kind, backend.name(), text)
}

/// An ordered map from `u64` keys to `u64` values. Object safe: `Box<dyn OrderedMap>` is
/// what [`Backend::u64_map`] returns.
pub trait OrderedMap {
    /// The value of `key`.
    fn get(&self, key: u64) -> Option<u64>;
    /// Sets `key` to `value`; the former value.
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`] (map unchanged), [`ErrorKind::Capacity`] (map
    /// unchanged), or for [`Abseil`] [`ErrorKind::ContentsLost`] when a node allocation
    /// fails.
    fn insert(&mut self, key: u64, value: u64) -> Result<Option<u64>>;
    /// Removes `key`; its value.
    fn remove(&mut self, key: u64) -> Option<u64>;
    /// Whether `key` is present.
    fn contains_key(&self, key: u64) -> bool {
        self.get(key).is_some()
    }
    /// The number of keys.
    fn len(&self) -> usize;
    /// Whether the map is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The entry with the smallest key.
    fn first(&self) -> Option<(u64, u64)>;
    /// The entry with the largest key.
    fn last(&self) -> Option<(u64, u64)>;
    /// The entry with the smallest key at or above `key` (its successor, or itself).
    fn lower_bound(&self, key: u64) -> Option<(u64, u64)>;
    /// Calls `f` with every entry whose key lies in `range`, in ascending key order.
    fn for_each_in(&self, range: (Bound<u64>, Bound<u64>), f: &mut dyn FnMut(u64, u64));
    /// Removes every key (memory may be kept).
    fn clear(&mut self);
    /// The bytes the map holds on the heap.
    fn heap_bytes(&self) -> usize;
    /// Which backend this is.
    fn backend(&self) -> Backend;
}

impl<M: OrderedMap + ?Sized> OrderedMap for Box<M> {
    fn get(&self, key: u64) -> Option<u64> {
        (**self).get(key)
    }
    fn insert(&mut self, key: u64, value: u64) -> Result<Option<u64>> {
        (**self).insert(key, value)
    }
    fn remove(&mut self, key: u64) -> Option<u64> {
        (**self).remove(key)
    }
    fn len(&self) -> usize {
        (**self).len()
    }
    fn first(&self) -> Option<(u64, u64)> {
        (**self).first()
    }
    fn last(&self) -> Option<(u64, u64)> {
        (**self).last()
    }
    fn lower_bound(&self, key: u64) -> Option<(u64, u64)> {
        (**self).lower_bound(key)
    }
    fn for_each_in(&self, range: (Bound<u64>, Bound<u64>), f: &mut dyn FnMut(u64, u64)) {
        (**self).for_each_in(range, f)
    }
    fn clear(&mut self) {
        (**self).clear()
    }
    fn heap_bytes(&self) -> usize {
        (**self).heap_bytes()
    }
    fn backend(&self) -> Backend {
        (**self).backend()
    }
}

arsenal_core::backends! {
    /// The ordered-map backends this crate knows.
    domain = "tree";
    pub enum Backend {
        /// Native Rust B+ tree with cache-line-sized nodes ([`BTree`]).
        BTree = "btree",
        /// Native Rust adaptive radix tree ([`Art`]).
        Art = "art",
        /// Abseil's `btree_map` (C++).
        Abseil = "abseil",
    }
}

impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        let mut v = vec![Backend::BTree, Backend::Art];
        if cfg!(feature = "abseil") {
            v.push(Backend::Abseil);
        }
        v
    }

    /// The adaptive radix tree for speed (fastest lookups, inserts and churn in every
    /// `tree` row: 1.9× the B+ tree's lookups at 10⁶ keys); the B+ tree for `Balanced`
    /// (the fastest range scans, generic keys, 27 bytes per key against the radix tree's
    /// 42); Abseil's `btree_map` where it is compiled in for memory (22.7 bytes per key).
    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => Backend::BTree,
            Latency | Throughput | MaximalSpeed => Backend::Art,
            MinimalMemory => arsenal_core::prefer(&[Backend::Abseil, Backend::BTree]),
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            Latency => Some("tree/get-hit/u64-1e6"),
            Throughput | MaximalSpeed => Some("tree/insert/u64-1e6"),
            MinimalMemory => Some("tree/memory/u64-1e6"),
        }
    }
}

impl Backend {
    /// An empty `u64 → u64` ordered map of this backend.
    ///
    /// # Panics
    /// If the backend is not compiled in (see [`Backend::available`]).
    pub fn u64_map(self) -> Box<dyn OrderedMap + Send + Sync> {
        match self {
            Backend::BTree => Box::new(BTree::<u64, u64>::new()),
            Backend::Art => Box::new(Art::<u64>::new()),
            #[cfg(feature = "abseil")]
            Backend::Abseil => Box::new(Abseil::new()),
            #[allow(unreachable_patterns)]
            other => panic!("the {other} tree backend is not compiled in"),
        }
    }
}

/// The ordered map most users want: the native [`BTree`] (any `Copy` key, the fastest
/// range scans; [`Art`] is faster on point operations over `u64` keys, see
/// [`Backend::for_strategy`]).
pub type DefaultTree<K, V> = BTree<K, V>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_available_backend_orders_keys() {
        for backend in Backend::available() {
            let mut m = backend.u64_map();
            assert_eq!(m.backend(), backend);
            assert_eq!(m.first(), None);
            assert_eq!(m.lower_bound(0), None);
            for k in (0..20_000u64).rev() {
                assert_eq!(m.insert(k * 3, k).unwrap(), None);
            }
            assert_eq!(m.insert(30, 0).unwrap(), Some(10));
            assert_eq!(m.len(), 20_000);
            assert_eq!(m.get(59_997), Some(19_999));
            assert_eq!(m.get(59_998), None);
            assert_eq!(m.first(), Some((0, 0)));
            assert_eq!(m.last(), Some((59_997, 19_999)));
            assert_eq!(m.lower_bound(31), Some((33, 11)));
            assert_eq!(m.lower_bound(59_998), None);
            assert_eq!(m.remove(33), Some(11));
            assert_eq!(m.lower_bound(31), Some((36, 12)));
            let mut seen = Vec::new();
            m.for_each_in((Bound::Excluded(27), Bound::Included(39)), &mut |k, v| {
                seen.push((k, v))
            });
            assert_eq!(seen, [(30, 0), (36, 12), (39, 13)]);
            let mut count = 0;
            m.for_each_in((Bound::Unbounded, Bound::Unbounded), &mut |_, _| count += 1);
            assert_eq!(count, 19_999);
            assert!(m.heap_bytes() >= m.len() * 16);
            m.clear();
            assert!(m.is_empty());
            assert_eq!(m.last(), None);
            m.insert(u64::MAX, 1).unwrap();
            assert_eq!(m.lower_bound(u64::MAX), Some((u64::MAX, 1)));
        }
    }
}
