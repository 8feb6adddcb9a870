//! std's `HashMap` (hashbrown's Swiss table) behind [`Map`], with any `BuildHasher`.

use std::borrow::Borrow;
use std::collections::hash_map::{self, HashMap};
use std::fmt;
use std::hash::{BuildHasher, Hash};

use crate::{Backend, Error, ErrorKind, Map, Result};

/// std's `HashMap<K::Owned, u64, S>` behind [`Map`]: `u64` keys as they are, byte-string
/// keys as `Vec<u8>`. `S` defaults to [`arsenal_hash::Build`] (a per-map random seed
/// over [`arsenal_hash::DefaultHasher`]); any [`BuildHasher`] works, e.g.
/// `StdMap<u64, arsenal_hash::Build<arsenal_hash::RapidHash>>`.
///
/// [`insert`](Map::insert) and [`reserve`](Map::reserve) go through
/// `HashMap::try_reserve`, so a failed allocation is an [`Error`], not std's abort.
///
/// ```
/// use arsenal_map::{Map, StdMap};
///
/// let mut m: StdMap<u64> = [(1, 10), (2, 20)].into_iter().collect();
/// assert_eq!(m.get(&2), Some(20));
/// assert_eq!(m.as_std().len(), 2);
/// ```
pub struct StdMap<K: ?Sized + ToOwned, S = arsenal_hash::Build> {
    inner: HashMap<K::Owned, u64, S>,
}

impl<K: ?Sized + ToOwned, S: Default> StdMap<K, S> {
    /// An empty map.
    pub fn new() -> Self {
        StdMap {
            inner: HashMap::with_hasher(S::default()),
        }
    }
}

impl<K: ?Sized + ToOwned, S> StdMap<K, S> {
    /// An empty map hashing with `hasher`.
    pub fn with_hasher(hasher: S) -> Self {
        StdMap {
            inner: HashMap::with_hasher(hasher),
        }
    }

    /// The std map inside.
    pub fn as_std(&self) -> &HashMap<K::Owned, u64, S> {
        &self.inner
    }

    /// The std map, taken out.
    pub fn into_std(self) -> HashMap<K::Owned, u64, S> {
        self.inner
    }

    /// An iterator over the keys (owned form) and values.
    pub fn iter(&self) -> hash_map::Iter<'_, K::Owned, u64> {
        self.inner.iter()
    }
}

impl<K: ?Sized + ToOwned, S: Default> Default for StdMap<K, S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: ?Sized + ToOwned, S: Clone> Clone for StdMap<K, S>
where
    K::Owned: Clone,
{
    fn clone(&self) -> Self {
        StdMap {
            inner: self.inner.clone(),
        }
    }
}

impl<K: ?Sized + ToOwned, S> fmt::Debug for StdMap<K, S>
where
    K::Owned: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.inner.iter()).finish()
    }
}

impl<K: ?Sized + ToOwned, S> From<HashMap<K::Owned, u64, S>> for StdMap<K, S> {
    fn from(inner: HashMap<K::Owned, u64, S>) -> Self {
        StdMap { inner }
    }
}

impl<K: ?Sized + ToOwned, S: BuildHasher> Extend<(K::Owned, u64)> for StdMap<K, S>
where
    K::Owned: Hash + Eq,
{
    fn extend<I: IntoIterator<Item = (K::Owned, u64)>>(&mut self, iter: I) {
        self.inner.extend(iter);
    }
}

impl<K: ?Sized + ToOwned, S: BuildHasher + Default> FromIterator<(K::Owned, u64)> for StdMap<K, S>
where
    K::Owned: Hash + Eq,
{
    fn from_iter<I: IntoIterator<Item = (K::Owned, u64)>>(iter: I) -> Self {
        let mut m = Self::new();
        m.extend(iter);
        m
    }
}

fn reserve_error(err: std::collections::TryReserveError) -> Error {
    // `TryReserveError::kind` is unstable: tell the two cases apart by std's message
    // ("... the computed capacity exceeded the collection's maximum" vs "... the memory
    // allocator returned an error").
    let text = err.to_string();
    let kind = if text.contains("capacity exceeded") || text.contains("capacity overflow") {
        ErrorKind::Capacity
    } else {
        ErrorKind::OutOfMemory
    };
    Error::new(kind, Backend::Std.name(), text)
}

/// Heap bytes of hashbrown's table: one slot per bucket plus one control byte per bucket
/// and a trailing group of 16. `capacity()` is 7/8 of the buckets (a power of two) for
/// tables of 8 buckets or more.
fn table_bytes<T>(capacity: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    let buckets = if capacity < 8 {
        if capacity < 4 {
            4
        } else {
            8
        }
    } else {
        (capacity * 8 / 7).next_power_of_two()
    };
    buckets * std::mem::size_of::<T>() + buckets + 16
}

macro_rules! std_map_common {
    () => {
        fn len(&self) -> usize {
            self.inner.len()
        }

        fn reserve(&mut self, additional: usize) -> Result<()> {
            self.inner.try_reserve(additional).map_err(reserve_error)
        }

        fn clear(&mut self) {
            self.inner.clear();
        }

        fn backend(&self) -> Backend {
            Backend::Std
        }
    };
}

impl<S: BuildHasher> Map<u64> for StdMap<u64, S> {
    #[inline]
    fn get(&self, key: &u64) -> Option<u64> {
        self.inner.get(key).copied()
    }

    #[inline]
    fn insert(&mut self, key: &u64, value: u64) -> Result<Option<u64>> {
        self.inner.try_reserve(1).map_err(reserve_error)?;
        Ok(self.inner.insert(*key, value))
    }

    #[inline]
    fn remove(&mut self, key: &u64) -> Option<u64> {
        self.inner.remove(key)
    }

    fn heap_bytes(&self) -> usize {
        table_bytes::<(u64, u64)>(self.inner.capacity())
    }

    fn for_each(&self, f: &mut dyn FnMut(&u64, u64)) {
        for (k, v) in &self.inner {
            f(k, *v);
        }
    }

    std_map_common!();
}

impl<S: BuildHasher> Map<[u8]> for StdMap<[u8], S> {
    #[inline]
    fn get(&self, key: &[u8]) -> Option<u64> {
        self.inner.get(key).copied()
    }

    #[inline]
    fn insert(&mut self, key: &[u8], value: u64) -> Result<Option<u64>> {
        if let Some(v) = self.inner.get_mut(key) {
            return Ok(Some(std::mem::replace(v, value)));
        }
        self.inner.try_reserve(1).map_err(reserve_error)?;
        let mut owned = Vec::new();
        owned
            .try_reserve_exact(key.len())
            .map_err(|e| Error::new(ErrorKind::OutOfMemory, Backend::Std.name(), e.to_string()))?;
        owned.extend_from_slice(key);
        Ok(self.inner.insert(owned, value))
    }

    #[inline]
    fn remove(&mut self, key: &[u8]) -> Option<u64> {
        self.inner.remove(key)
    }

    fn heap_bytes(&self) -> usize {
        let keys: usize = self.inner.keys().map(Vec::capacity).sum();
        table_bytes::<(Vec<u8>, u64)>(self.inner.capacity()) + keys
    }

    fn for_each(&self, f: &mut dyn FnMut(&[u8], u64)) {
        for (k, v) in &self.inner {
            f(k.borrow(), *v);
        }
    }

    std_map_common!();
}
