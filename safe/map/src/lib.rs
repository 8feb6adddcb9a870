//! Hash maps from `u64` or byte-string keys to `u64` values, behind one [`Map`] trait.
//!
//! | backend | type | implementation | hash |
//! |---|---|---|---|
//! | `abseil` | [`Abseil`] | Abseil's `absl::flat_hash_map` (C++ Swiss table, Debian's `libabsl-dev`, our `extern "C"` shim) | `absl::Hash` |
//! | `std` | [`StdMap`] | std's `HashMap` (hashbrown's Swiss table) | any [`BuildHasher`](std::hash::BuildHasher); by default [`arsenal_hash::Build`] over [`arsenal_hash::DefaultHasher`] |
//!
//! Both are open-addressing Swiss tables (groups of 16 control bytes probed with SIMD),
//! so they are here to be measured against each other — and against the pure-Rust
//! `hashbrown` with `foldhash`/`ahash` — in the matrix's `map` rows; the numbers, and
//! why robin-hood and cuckoo maps are not offered, are in `docs/map.md`.
//!
//! Values are `u64` (an index or a handle into your own storage). Keys are `u64`
//! ([`Map<u64>`]) or bytes ([`Map<[u8]>`](Map), copied into the map). Unlike std's
//! `HashMap::insert`, which aborts the process when the allocator fails,
//! [`Map::insert`] and [`Map::reserve`] return an [`Error`]: [`ErrorKind::Capacity`] for
//! requests no table can address (`reserve(usize::MAX)`), [`ErrorKind::OutOfMemory`]
//! when the allocation fails (the map unchanged).
//!
//! ```
//! use arsenal_map::{Backend, Map, StdMap};
//!
//! let mut ids = StdMap::<[u8]>::new();
//! assert_eq!(ids.insert(b"alice", 1)?, None);
//! assert_eq!(ids.insert(b"alice", 2)?, Some(1));
//! assert_eq!(ids.get(b"alice"), Some(2));
//! assert!(ids.reserve(usize::MAX).is_err());
//!
//! // Any available backend, chosen at run time.
//! for backend in Backend::available() {
//!     let mut m = backend.u64_map();
//!     m.insert(&7, 49)?;
//!     assert_eq!(m.get(&7), Some(49));
//! }
//! # Ok::<(), arsenal_map::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod std_map;

/// The C/C++ backends, one module each.
pub mod backend {
    #[cfg(feature = "abseil")]
    pub mod abseil;
}

#[cfg(feature = "abseil")]
pub use backend::abseil::Abseil;
pub use std_map::StdMap;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request exceeds what a table can address (`reserve(usize::MAX)`); the map is
    /// unchanged.
    Capacity,
    /// The allocator failed; the map is unchanged.
    OutOfMemory,
    /// The allocator failed while Abseil was already growing its table, which Abseil cannot
    /// undo: the table was leaked and the map is now **empty**. Only when an allocation
    /// fails that the pre-check did not foresee (a growth triggered by deleted slots).
    ContentsLost,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Capacity => "capacity beyond what a hash table can address",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::ContentsLost => "out of memory while growing; the map was emptied",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Capacity => std::io::ErrorKind::InvalidInput,
            ErrorKind::OutOfMemory | ErrorKind::ContentsLost => std::io::ErrorKind::OutOfMemory,
        }
    }
}

/// An error from `arsenal-map` (the shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A hash map from keys `K` (`u64` or `[u8]`) to `u64` values. Object safe:
/// `Box<dyn Map<u64>>` is what [`Backend::u64_map`] returns.
pub trait Map<K: ?Sized> {
    /// The value of `key`.
    fn get(&self, key: &K) -> Option<u64>;
    /// Sets `key` to `value`; the former value.
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`] (map unchanged) or, for [`Abseil`] only,
    /// [`ErrorKind::ContentsLost`] when the table must grow and the allocator fails.
    fn insert(&mut self, key: &K, value: u64) -> Result<Option<u64>>;
    /// Removes `key`; its value.
    fn remove(&mut self, key: &K) -> Option<u64>;
    /// Whether `key` is present.
    fn contains_key(&self, key: &K) -> bool {
        self.get(key).is_some()
    }
    /// The number of keys.
    fn len(&self) -> usize;
    /// Whether the map is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Makes room for `additional` more keys without growing.
    ///
    /// # Errors
    /// [`ErrorKind::Capacity`] when `len() + additional` exceeds what a table can address
    /// (including any overflow), [`ErrorKind::OutOfMemory`] when the allocation fails; the
    /// map is unchanged either way.
    fn reserve(&mut self, additional: usize) -> Result<()>;
    /// Removes every key (the table's memory may be kept).
    fn clear(&mut self);
    /// The bytes the map holds on the heap (its table, and out-of-line key bytes).
    fn heap_bytes(&self) -> usize;
    /// Calls `f` with every key and value, in the table's order.
    fn for_each(&self, f: &mut dyn FnMut(&K, u64));
    /// Looks up every key of `keys`, writing `out[i]`; the number found. One call for
    /// the whole batch: [`Abseil`] crosses the FFI boundary once per batch instead of once
    /// per key.
    ///
    /// # Panics
    /// If `out` is shorter than `keys`.
    fn get_many(&self, keys: &[K], out: &mut [Option<u64>]) -> usize
    where
        K: Sized,
    {
        assert!(
            out.len() >= keys.len(),
            "get_many: out is shorter than keys"
        );
        let mut hits = 0;
        for (key, slot) in keys.iter().zip(out.iter_mut()) {
            *slot = self.get(key);
            hits += usize::from(slot.is_some());
        }
        hits
    }
    /// Which backend this is.
    fn backend(&self) -> Backend;
}

arsenal_core::backends! {
    /// The hash-map backends this crate knows.
    domain = "map";
    pub enum Backend {
        /// Abseil's `flat_hash_map` (C++): a Swiss table with `absl::Hash`.
        Abseil = "abseil",
        /// std's `HashMap` (Rust, hashbrown's Swiss table) with Arsenal's default hasher.
        Std = "std",
    }
}

impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        let mut v = vec![Backend::Std];
        if cfg!(feature = "abseil") {
            v.push(Backend::Abseil);
        }
        v
    }

    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced | Latency | Throughput | MaximalSpeed | MinimalMemory => Backend::Std,
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            Latency => Some("map/get-hit/bytes-1e6"),
            Throughput | MaximalSpeed => Some("map/insert/u64-1e6"),
            MinimalMemory => Some("map/memory/bytes-1e6"),
        }
    }
}

impl Backend {
    /// An empty `u64 → u64` map of this backend.
    ///
    /// # Panics
    /// If the backend is not compiled in (see [`Backend::available`]).
    pub fn u64_map(self) -> Box<dyn Map<u64> + Send + Sync> {
        match self {
            Backend::Std => Box::new(StdMap::<u64>::new()),
            #[cfg(feature = "abseil")]
            Backend::Abseil => Box::new(Abseil::<u64>::new()),
            #[allow(unreachable_patterns)]
            other => panic!("the {other} map backend is not compiled in"),
        }
    }

    /// An empty `bytes → u64` map of this backend.
    ///
    /// # Panics
    /// If the backend is not compiled in (see [`Backend::available`]).
    pub fn bytes_map(self) -> Box<dyn Map<[u8]> + Send + Sync> {
        match self {
            Backend::Std => Box::new(StdMap::<[u8]>::new()),
            #[cfg(feature = "abseil")]
            Backend::Abseil => Box::new(Abseil::<[u8]>::new()),
            #[allow(unreachable_patterns)]
            other => panic!("the {other} map backend is not compiled in"),
        }
    }
}

/// The map most users want: [`StdMap`] (std's Swiss table with Arsenal's default hasher),
/// the fastest in this crate's benchmark rows (see [`Backend::for_strategy`]).
pub type DefaultMap<K> = StdMap<K, arsenal_hash::Build>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_available_backend_maps_keys() {
        for backend in Backend::available() {
            let mut m = backend.u64_map();
            assert_eq!(m.backend(), backend);
            for k in 0..10_000u64 {
                assert_eq!(m.insert(&k, k * 2).unwrap(), None);
            }
            assert_eq!(m.insert(&5, 0).unwrap(), Some(10));
            assert_eq!(m.len(), 10_000);
            assert_eq!(m.get(&9_999), Some(19_998));
            assert_eq!(m.remove(&9_999), Some(19_998));
            assert!(!m.contains_key(&9_999));
            let mut out = [None; 3];
            assert_eq!(m.get_many(&[1, 20_000, 3], &mut out), 2);
            assert_eq!(out, [Some(2), None, Some(6)]);
            let mut sum = 0;
            m.for_each(&mut |k, v| {
                assert_eq!(v, if *k == 5 { 0 } else { k * 2 });
                sum += 1;
            });
            assert_eq!(sum, 9_999);
            assert_eq!(
                m.reserve(usize::MAX).unwrap_err().kind(),
                ErrorKind::Capacity
            );
            assert!(m.heap_bytes() >= m.len() * 16);
            m.clear();
            assert!(m.is_empty());

            let mut b = backend.bytes_map();
            assert_eq!(b.insert(b"", 1).unwrap(), None);
            assert_eq!(b.insert(&[7; 100], 2).unwrap(), None);
            assert_eq!(b.get(b""), Some(1));
            assert_eq!(b.get(&[7; 100]), Some(2));
            assert_eq!(b.get(&[7; 99]), None);
            assert_eq!(b.remove(b""), Some(1));
            assert_eq!(b.len(), 1);
            assert!(b.heap_bytes() >= 100);
        }
    }
}
