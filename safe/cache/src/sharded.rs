//! A sharded cache for concurrent use.

use std::hash::{BuildHasher, Hash};
use std::marker::PhantomData;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::{Backend, Cache, DefaultHasher};

/// `N` independent caches, each behind its own mutex; a key's shard is chosen by its
/// hash, so threads touching different shards never contend. Each shard runs the
/// policy on its own share of the capacity (the policies' papers describe one shard;
/// with many shards the hit ratio approaches the single cache's when keys spread
/// evenly).
///
/// `Send + Sync` whenever the shard type is `Send` (the mutexes provide the rest; no
/// unsafe code). Values are returned by clone, since a reference cannot outlive the
/// shard's lock.
///
/// ```
/// use arsenal_cache::{Backend, Sharded};
/// let cache = Sharded::new(Backend::S3Fifo, 1_000, 8);
/// std::thread::scope(|s| {
///     for t in 0..2u64 {
///         let cache = &cache;
///         s.spawn(move || {
///             for k in 0..100u64 {
///                 cache.insert(k * 2 + t, k);
///             }
///         });
///     }
/// });
/// assert_eq!(cache.get(&6), Some(3));
/// assert_eq!(cache.len(), 200);
/// ```
pub struct Sharded<K, V, C = Box<dyn Cache<K, V> + Send>> {
    shards: Box<[Shard<C>]>,
    hasher: DefaultHasher,
    _types: PhantomData<fn(K) -> V>,
}

/// One shard on cache lines of its own (two, for the adjacent-line prefetcher), so
/// that locking one shard never invalidates a line another core is locking.
#[repr(align(128))]
struct Shard<C>(Mutex<C>);

impl<K, V, C> std::fmt::Debug for Sharded<K, V, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sharded")
            .field("shards", &self.shards.len())
            .finish_non_exhaustive()
    }
}

impl<K, V> Sharded<K, V>
where
    K: Hash + Eq + Clone + Send + 'static,
    V: Send + 'static,
{
    /// `shards` caches of `backend`'s policy (rounded up to a power of two, at least
    /// 1), sharing `capacity` (each gets `capacity / shards` rounded up).
    pub fn new(backend: Backend, capacity: usize, shards: usize) -> Self {
        let shards = shards.clamp(1, 1 << 16).next_power_of_two();
        let per_shard = capacity.div_ceil(shards);
        Self::from_shards((0..shards).map(|_| backend.new_cache::<K, V>(per_shard)))
    }
}

impl<K: Hash, V, C> Sharded<K, V, C> {
    /// Shards built from `caches` (their number rounded down to a power of two: the
    /// extra ones are dropped; at least one is needed).
    ///
    /// # Panics
    /// If `caches` is empty.
    pub fn from_shards(caches: impl IntoIterator<Item = C>) -> Self {
        let mut shards: Vec<Shard<C>> = caches.into_iter().map(|c| Shard(Mutex::new(c))).collect();
        assert!(!shards.is_empty(), "Sharded needs at least one shard");
        shards.truncate(1 << shards.len().ilog2());
        Sharded {
            shards: shards.into_boxed_slice(),
            hasher: DefaultHasher::default(),
            _types: PhantomData,
        }
    }

    /// The number of shards.
    pub fn shards(&self) -> usize {
        self.shards.len()
    }

    /// The shard that holds `key`, locked. A shard whose lock was poisoned (a panic
    /// while it was held) is still used: every policy's state stays consistent between
    /// its own statements that can panic (none of them panics on its own).
    pub fn shard(&self, key: &K) -> MutexGuard<'_, C> {
        let h = self.hasher.hash_one(key);
        // The high bits: the shards' own maps use the low ones.
        let i = (h >> 48) as usize & (self.shards.len() - 1);
        self.shards[i]
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl<K: Hash, V, C: Cache<K, V>> Sharded<K, V, C> {
    /// Looks `key` up (updating its shard's policy state) and clones the value.
    pub fn get(&self, key: &K) -> Option<V>
    where
        V: Clone,
    {
        self.shard(key).get(key).cloned()
    }

    /// Inserts into `key`'s shard.
    pub fn insert(&self, key: K, value: V) {
        self.shard(&key).insert(key, value)
    }

    /// Removes `key`, returning its value.
    pub fn remove(&self, key: &K) -> Option<V> {
        self.shard(key).remove(key)
    }

    /// The entries stored in all shards (each locked in turn: a snapshot only when no
    /// other thread writes).
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.0.lock().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
    }

    /// Whether every shard is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
