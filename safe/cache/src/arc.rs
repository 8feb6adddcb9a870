//! ARC, the adaptive replacement cache (Megiddo & Modha, FAST 2003).

use std::hash::{BuildHasher, Hash};

use crate::store::{List, Store};
use crate::{Backend, Cache, DefaultHasher};

// The node's list.
const T1: u8 = 0;
const T2: u8 = 1;
const B1: u8 = 2;
const B2: u8 = 3;

/// ARC: two LRU lists of resident entries — `T1` (seen once recently) and `T2` (seen
/// at least twice) — and two ghost lists of evicted keys (`B1`, `B2`, no values). A
/// miss whose key is in a ghost list moves the target size `p` of `T1` towards the
/// list that would have hit, so the cache adapts between recency and frequency.
///
/// Follows the paper's Figure 4 case by case ([`Cache::get`] is case I; a ghost hit or
/// a new key arrives with [`Cache::insert`], cases II–IV). Ghost lists hold up to
/// `capacity` keys in all (memory: up to 2 × `capacity` keys).
pub struct ArcCache<K, V, S = DefaultHasher> {
    store: Store<K, V, S>,
    lists: [List; 4],
    /// Target size of T1.
    p: usize,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V> ArcCache<K, V> {
    /// An empty cache of at most `capacity` resident entries (0 stores nothing).
    pub fn new(capacity: usize) -> Self {
        Self::with_hasher(capacity, DefaultHasher::default())
    }
}

impl<K, V, S> std::fmt::Debug for ArcCache<K, V, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArcCache")
            .field("t1", &self.lists[T1 as usize].len)
            .field("t2", &self.lists[T2 as usize].len)
            .field("b1", &self.lists[B1 as usize].len)
            .field("b2", &self.lists[B2 as usize].len)
            .field("p", &self.p)
            .field("capacity", &self.capacity)
            .finish()
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> ArcCache<K, V, S> {
    /// As [`ArcCache::new`], hashing keys with `hasher`.
    pub fn with_hasher(capacity: usize, hasher: S) -> Self {
        ArcCache {
            store: Store::with_hasher(hasher),
            lists: [List::EMPTY; 4],
            p: 0,
            capacity,
        }
    }

    /// The current target size of the recency list `T1` (0..=capacity).
    pub fn target_recent(&self) -> usize {
        self.p
    }

    fn len_of(&self, l: u8) -> usize {
        self.lists[l as usize].len
    }

    fn relink(&mut self, i: usize, to: u8) {
        self.store.relink(&mut self.lists, i, to);
    }

    /// Drops the LRU key of a ghost list entirely.
    fn drop_ghost(&mut self, l: u8) {
        if let Some(t) = self.store.pop_back(&mut self.lists[l as usize]) {
            self.store.release(t);
        }
    }

    /// REPLACE(x, p): demotes the LRU entry of T1 or T2 to its ghost list.
    fn replace(&mut self, in_b2: bool) {
        let t1 = self.len_of(T1);
        let from = if t1 >= 1 && ((in_b2 && t1 == self.p) || t1 > self.p) {
            T1
        } else {
            T2
        };
        let i = self.lists[from as usize].tail;
        if i == crate::store::NIL {
            return;
        }
        self.relink(i, if from == T1 { B1 } else { B2 });
        self.store.node_mut(i).value = None;
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> Cache<K, V> for ArcCache<K, V, S> {
    fn get(&mut self, key: &K) -> Option<&V> {
        let i = self.store.find(key)?;
        if self.store.node(i).list > T2 {
            return None; // a ghost: the insert that follows the miss adapts `p`
        }
        self.relink(i, T2);
        self.store.node(i).value.as_ref()
    }

    fn peek(&self, key: &K) -> Option<&V> {
        self.store.peek(key)
    }

    fn insert(&mut self, key: K, value: V) {
        let c = self.capacity;
        if c == 0 {
            return;
        }
        match self.store.find(&key) {
            Some(i) if self.store.node(i).list <= T2 => {
                // Case I: a resident entry; a write counts as a hit.
                self.store.node_mut(i).value = Some(value);
                self.relink(i, T2);
            }
            Some(i) => {
                // Cases II and III: a ghost hit adapts p towards the list that hit.
                let (b1, b2) = (self.len_of(B1), self.len_of(B2));
                let in_b2 = self.store.node(i).list == B2;
                if in_b2 {
                    let delta = if b2 >= b1 { 1 } else { b1 / b2 };
                    self.p = self.p.saturating_sub(delta);
                } else {
                    let delta = if b1 >= b2 { 1 } else { b2 / b1 };
                    self.p = self.p.saturating_add(delta).min(c);
                }
                self.replace(in_b2);
                self.relink(i, T2);
                self.store.node_mut(i).value = Some(value);
            }
            None => {
                // Case IV: a new key.
                let (t1, b1) = (self.len_of(T1), self.len_of(B1));
                let total = t1 + b1 + self.len_of(T2) + self.len_of(B2);
                if t1 + b1 >= c {
                    if t1 < c {
                        self.drop_ghost(B1);
                        self.replace(false);
                    } else if let Some(t) = self.store.pop_back(&mut self.lists[T1 as usize]) {
                        self.store.release(t);
                    }
                } else if total >= c {
                    if total >= c.saturating_mul(2) {
                        self.drop_ghost(B2);
                    }
                    self.replace(false);
                }
                let i = self.store.alloc(key, Some(value), T1);
                self.store.push_front(&mut self.lists[T1 as usize], i);
            }
        }
    }

    fn remove(&mut self, key: &K) -> Option<V> {
        self.store.remove(&mut self.lists, key)
    }

    fn len(&self) -> usize {
        self.len_of(T1) + self.len_of(T2)
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn backend(&self) -> Backend {
        Backend::Arc
    }

    fn heap_bytes(&self) -> usize {
        self.store.heap_bytes()
    }
}
