//! Least recently used.

use std::hash::{BuildHasher, Hash};

use crate::store::{List, Store};
use crate::{Backend, Cache, DefaultHasher};

/// Least recently used: a hit moves the entry to the front, a miss evicts the entry
/// at the back. O(1) per operation (hash map + doubly linked list in a slab).
///
/// The textbook baseline: no scan or loop resistance (a loop one entry larger than the
/// cache never hits).
pub struct Lru<K, V, S = DefaultHasher> {
    store: Store<K, V, S>,
    list: [List; 1],
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V> Lru<K, V> {
    /// An empty cache of at most `capacity` entries (0 stores nothing; `usize::MAX`
    /// is unbounded: nothing is allocated from the capacity).
    pub fn new(capacity: usize) -> Self {
        Self::with_hasher(capacity, DefaultHasher::default())
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> Lru<K, V, S> {
    /// As [`Lru::new`], hashing keys with `hasher`.
    pub fn with_hasher(capacity: usize, hasher: S) -> Self {
        Lru {
            store: Store::with_hasher(hasher),
            list: [List::EMPTY],
            capacity,
        }
    }
}

impl<K, V, S> std::fmt::Debug for Lru<K, V, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lru")
            .field("len", &self.list[0].len)
            .field("capacity", &self.capacity)
            .finish()
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> Cache<K, V> for Lru<K, V, S> {
    fn get(&mut self, key: &K) -> Option<&V> {
        let i = self.store.find(key)?;
        self.store.relink(&mut self.list, i, 0);
        self.store.node(i).value.as_ref()
    }

    fn peek(&self, key: &K) -> Option<&V> {
        self.store.peek(key)
    }

    fn insert(&mut self, key: K, value: V) {
        if self.capacity == 0 {
            return;
        }
        if let Some(i) = self.store.find(&key) {
            self.store.node_mut(i).value = Some(value);
            self.store.relink(&mut self.list, i, 0);
            return;
        }
        if self.list[0].len >= self.capacity {
            if let Some(t) = self.store.pop_back(&mut self.list[0]) {
                self.store.release(t);
            }
        }
        let i = self.store.alloc(key, Some(value), 0);
        self.store.push_front(&mut self.list[0], i);
    }

    fn remove(&mut self, key: &K) -> Option<V> {
        self.store.remove(&mut self.list, key)
    }

    fn len(&self) -> usize {
        self.list[0].len
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn backend(&self) -> Backend {
        Backend::Lru
    }

    fn heap_bytes(&self) -> usize {
        self.store.heap_bytes()
    }
}
