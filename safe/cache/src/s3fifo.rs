//! S3-FIFO (Yang et al., "FIFO queues are all you need for cache eviction", SOSP 2023).

use std::hash::{BuildHasher, Hash};

use crate::store::{List, Store};
use crate::{Backend, Cache, DefaultHasher};

const SMALL: u8 = 0;
const MAIN: u8 = 1;
const GHOST: u8 = 2;
/// Frequencies saturate at 3 (two bits, as in the paper).
const MAX_FREQ: u8 = 3;
/// A small-queue entry moves to the main queue when it was accessed at least this
/// often while there (the paper's `freq > 1`; libCacheSim's default threshold).
const PROMOTE: u8 = 2;

/// S3-FIFO: three FIFO queues. New keys enter a small queue (10 % of the capacity);
/// when it evicts, an entry hit at least twice there moves to the main queue (90 %),
/// any other leaves a key-only ghost. A key found in the ghost queue on a miss goes
/// straight to the main queue. The main queue is a CLOCK with a two-bit counter: an
/// accessed entry is reinserted with its counter decremented. The main queue evicts
/// when it holds more than its share (or the small queue is empty), else the small
/// queue does; until the first eviction, keys beyond a full small queue go to the main
/// queue. These details follow libCacheSim's `S3FIFO.c` (the authors' simulator): with
/// them our hit ratios match its to within 0.3 points on the LIRS traces (the tests
/// compare, where libCacheSim installs).
///
/// A hit only increments a counter (no list movement), so hits need no ordering work
/// — the reason the paper gives for its throughput. The ghost queue holds up to 90 % of
/// the capacity in keys.
pub struct S3Fifo<K, V, S = DefaultHasher> {
    store: Store<K, V, S>,
    lists: [List; 3],
    small_target: usize,
    ghost_capacity: usize,
    capacity: usize,
    /// Whether the cache has evicted yet (it was full once).
    evicted: bool,
}

impl<K: Hash + Eq + Clone, V> S3Fifo<K, V> {
    /// An empty cache of at most `capacity` entries (0 stores nothing).
    pub fn new(capacity: usize) -> Self {
        Self::with_hasher(capacity, DefaultHasher::default())
    }
}

impl<K, V, S> std::fmt::Debug for S3Fifo<K, V, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3Fifo")
            .field("small", &self.lists[SMALL as usize].len)
            .field("main", &self.lists[MAIN as usize].len)
            .field("ghost", &self.lists[GHOST as usize].len)
            .field("capacity", &self.capacity)
            .finish()
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> S3Fifo<K, V, S> {
    /// As [`S3Fifo::new`], hashing keys with `hasher`.
    pub fn with_hasher(capacity: usize, hasher: S) -> Self {
        let small_target = (capacity / 10).max(1);
        S3Fifo {
            store: Store::with_hasher(hasher),
            lists: [List::EMPTY; 3],
            small_target,
            ghost_capacity: capacity - capacity / 10,
            capacity,
            evicted: false,
        }
    }

    /// Evicts one resident entry.
    fn evict(&mut self) {
        loop {
            let small = self.lists[SMALL as usize];
            if small.len > 0 && self.lists[MAIN as usize].len <= self.capacity - self.small_target {
                let t = small.tail;
                if t == crate::store::NIL {
                    return;
                }
                if self.store.node(t).meta >= PROMOTE {
                    self.store.relink(&mut self.lists, t, MAIN);
                    self.store.node_mut(t).meta = 0;
                    continue;
                }
                // Not accessed in the small queue: keep the key as a ghost.
                self.store.relink(&mut self.lists, t, GHOST);
                self.store.node_mut(t).value = None;
                if self.lists[GHOST as usize].len > self.ghost_capacity {
                    if let Some(g) = self.store.pop_back(&mut self.lists[GHOST as usize]) {
                        self.store.release(g);
                    }
                }
                return;
            }
            let t = self.lists[MAIN as usize].tail;
            let freq = self.store.node(t).meta;
            if freq > 0 {
                let l = &mut self.lists[MAIN as usize];
                self.store.unlink(l, t);
                self.store.push_front(l, t);
                self.store.node_mut(t).meta = freq - 1;
                continue;
            }
            self.store.unlink(&mut self.lists[MAIN as usize], t);
            self.store.release(t);
            return;
        }
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> Cache<K, V> for S3Fifo<K, V, S> {
    fn get(&mut self, key: &K) -> Option<&V> {
        let i = self.store.find(key)?;
        let node = self.store.node_mut(i);
        if node.list == GHOST {
            return None;
        }
        node.meta = (node.meta + 1).min(MAX_FREQ);
        node.value.as_ref()
    }

    fn peek(&self, key: &K) -> Option<&V> {
        self.store.peek(key)
    }

    fn insert(&mut self, key: K, value: V) {
        if self.capacity == 0 {
            return;
        }
        let found = self.store.find(&key);
        if let Some(i) = found {
            let node = self.store.node_mut(i);
            if node.list != GHOST {
                node.value = Some(value);
                node.meta = (node.meta + 1).min(MAX_FREQ);
                return;
            }
        }
        if self.len() >= self.capacity {
            self.evicted = true;
            self.evict();
        }
        match found.filter(|&i| self.store.node(i).list == GHOST) {
            // The ghost may have been dropped by the eviction just made.
            Some(i) if self.store.find(&key) == Some(i) => {
                self.store.relink(&mut self.lists, i, MAIN);
                let node = self.store.node_mut(i);
                node.value = Some(value);
                node.meta = 0;
            }
            _ => {
                // Until the first eviction, keys beyond a full small queue go to the
                // main queue (libCacheSim's S3-FIFO, which its authors found better in
                // general than filling the small queue past its size).
                let to = if !self.evicted && self.lists[SMALL as usize].len >= self.small_target {
                    MAIN
                } else {
                    SMALL
                };
                let i = self.store.alloc(key, Some(value), to);
                self.store.push_front(&mut self.lists[to as usize], i);
            }
        }
    }

    fn remove(&mut self, key: &K) -> Option<V> {
        self.store.remove(&mut self.lists, key)
    }

    fn len(&self) -> usize {
        self.lists[SMALL as usize].len + self.lists[MAIN as usize].len
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn backend(&self) -> Backend {
        Backend::S3Fifo
    }

    fn heap_bytes(&self) -> usize {
        self.store.heap_bytes()
    }
}
