//! Cache replacement policies behind one [`Cache`] trait, plus a trace
//! simulator with Belady's offline optimum as the ceiling.
//!
//! Issue 16 part 2 is in progress: this first piece ships the trait, LRU,
//! Belady and the simulator.
//!
//! ```
//! use arsenal_cache::{simulate, Cache, Lru};
//! let mut c = Lru::new(2);
//! c.insert(1u64, "a");
//! assert_eq!(c.get(&1), Some(&"a"));
//! let stats = simulate(&mut Lru::new(1), &[1, 1, 2, 2]);
//! assert_eq!(stats.hits, 2);
//! ```
#![warn(missing_docs)]

use std::collections::HashMap;
use std::hash::Hash;

/// A bounded key/value cache with a replacement policy.
pub trait Cache<K, V> {
    /// Looks up `key`, updating the policy's recency/frequency state.
    fn get(&mut self, key: &K) -> Option<&V>;
    /// Inserts `key`; may evict another entry. A capacity-0 cache stores nothing.
    fn insert(&mut self, key: K, value: V);
    /// Removes `key`, returning its value.
    fn remove(&mut self, key: &K) -> Option<V>;
    /// Number of stored entries (always `<= capacity()`).
    fn len(&self) -> usize;
    /// True when no entry is stored.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Maximum number of entries.
    fn capacity(&self) -> usize;
}

const NIL: usize = usize::MAX;

struct Node<K, V> {
    key: K,
    value: Option<V>,
    prev: usize,
    next: usize,
}

/// Least-recently-used cache: O(1) get/insert/remove (hash map + linked list
/// in a slab). Memory grows with the number of entries, never pre-allocated
/// from the capacity, so `usize::MAX` is a valid (unbounded) capacity.
pub struct Lru<K, V> {
    map: HashMap<K, usize>,
    nodes: Vec<Node<K, V>>,
    free: Vec<usize>,
    head: usize,
    tail: usize,
    capacity: usize,
}

impl<K, V> std::fmt::Debug for Lru<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lru")
            .field("len", &self.map.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

impl<K: Hash + Eq + Clone, V> Lru<K, V> {
    /// Creates an empty LRU cache holding at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Lru {
            map: HashMap::new(),
            nodes: Vec::new(),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
            capacity,
        }
    }

    fn unlink(&mut self, i: usize) {
        let (p, n) = (self.nodes[i].prev, self.nodes[i].next);
        if p == NIL {
            self.head = n
        } else {
            self.nodes[p].next = n
        }
        if n == NIL {
            self.tail = p
        } else {
            self.nodes[n].prev = p
        }
    }

    fn push_front(&mut self, i: usize) {
        self.nodes[i].prev = NIL;
        self.nodes[i].next = self.head;
        if self.head != NIL {
            self.nodes[self.head].prev = i
        } else {
            self.tail = i
        }
        self.head = i;
    }
}

impl<K: Hash + Eq + Clone, V> Cache<K, V> for Lru<K, V> {
    fn get(&mut self, key: &K) -> Option<&V> {
        let i = *self.map.get(key)?;
        self.unlink(i);
        self.push_front(i);
        self.nodes[i].value.as_ref()
    }

    fn insert(&mut self, key: K, value: V) {
        if self.capacity == 0 {
            return;
        }
        if let Some(&i) = self.map.get(&key) {
            self.nodes[i].value = Some(value);
            self.unlink(i);
            self.push_front(i);
            return;
        }
        if self.map.len() >= self.capacity {
            let t = self.tail;
            self.unlink(t);
            self.map.remove(&self.nodes[t].key);
            self.nodes[t].value = None;
            self.free.push(t);
        }
        let node = Node {
            key: key.clone(),
            value: Some(value),
            prev: NIL,
            next: NIL,
        };
        let i = match self.free.pop() {
            Some(i) => {
                self.nodes[i] = node;
                i
            }
            None => {
                self.nodes.push(node);
                self.nodes.len() - 1
            }
        };
        self.map.insert(key, i);
        self.push_front(i);
    }

    fn remove(&mut self, key: &K) -> Option<V> {
        let i = self.map.remove(key)?;
        self.unlink(i);
        self.free.push(i);
        self.nodes[i].value.take()
    }

    fn len(&self) -> usize {
        self.map.len()
    }

    fn capacity(&self) -> usize {
        self.capacity
    }
}

/// Hit/miss counts of one simulation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HitStats {
    /// Requests served from the cache.
    pub hits: u64,
    /// Requests not in the cache (then inserted).
    pub misses: u64,
}

impl HitStats {
    /// Hits divided by requests (0 for an empty trace).
    pub fn hit_ratio(&self) -> f64 {
        let n = self.hits + self.misses;
        if n == 0 {
            0.0
        } else {
            self.hits as f64 / n as f64
        }
    }
}

/// Replays `trace` through `cache` (get, insert on miss).
pub fn simulate(cache: &mut dyn Cache<u64, ()>, trace: &[u64]) -> HitStats {
    let mut s = HitStats::default();
    for &k in trace {
        if cache.get(&k).is_some() {
            s.hits += 1;
        } else {
            s.misses += 1;
            cache.insert(k, ());
        }
    }
    s
}

/// Belady's offline optimum (evict the key whose next use is farthest):
/// the hit-count ceiling of every policy on `trace` at `capacity`.
pub fn belady(trace: &[u64], capacity: usize) -> HitStats {
    use std::collections::BTreeSet;
    let n = trace.len();
    let mut next = vec![usize::MAX; n];
    let mut last: HashMap<u64, usize> = HashMap::new();
    for i in (0..n).rev() {
        if let Some(&j) = last.get(&trace[i]) {
            next[i] = j;
        }
        last.insert(trace[i], i);
    }
    // Resident keys ordered by (next use, key); `cur` maps key -> next use.
    let mut order: BTreeSet<(usize, u64)> = BTreeSet::new();
    let mut cur: HashMap<u64, usize> = HashMap::new();
    let mut s = HitStats::default();
    for (i, &k) in trace.iter().enumerate() {
        if let Some(nu) = cur.remove(&k) {
            s.hits += 1;
            order.remove(&(nu, k));
        } else {
            s.misses += 1;
            if capacity == 0 {
                continue;
            }
            if cur.len() >= capacity {
                if let Some(&(fnu, fk)) = order.iter().next_back() {
                    if fnu > next[i] {
                        // Evict the farthest resident key.
                        order.remove(&(fnu, fk));
                        cur.remove(&fk);
                    } else {
                        continue; // bypass: this key is used later than all residents
                    }
                }
            }
        }
        order.insert((next[i], k));
        cur.insert(k, next[i]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg_trace(n: usize, keys: u64) -> Vec<u64> {
        let mut x = 12345u64;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) % keys) * ((x >> 20) % 3 + 1) % keys
            })
            .collect()
    }

    #[test]
    fn lru_evicts_least_recent() {
        let mut c = Lru::new(2);
        c.insert(1u64, 10);
        c.insert(2, 20);
        assert_eq!(c.get(&1), Some(&10));
        c.insert(3, 30);
        assert_eq!(c.get(&2), None);
        assert_eq!(c.remove(&1), Some(10));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn zero_and_max_capacity() {
        let mut z = Lru::new(0);
        z.insert(1u64, ());
        assert!(z.is_empty());
        let mut m = Lru::new(usize::MAX);
        m.insert(1u64, ());
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn belady_dominates_lru() {
        let t = lcg_trace(20_000, 500);
        for cap in [1, 5, 50, 250] {
            let opt = belady(&t, cap);
            let lru = simulate(&mut Lru::new(cap), &t);
            assert!(opt.hits >= lru.hits, "cap {cap}: {opt:?} < {lru:?}");
            assert_eq!(opt.hits + opt.misses, t.len() as u64);
        }
    }

    #[test]
    fn lru_zero_hits_on_loop() {
        let t: Vec<u64> = (0..10).flat_map(|_| 0..100u64).collect();
        assert_eq!(simulate(&mut Lru::new(99), &t).hits, 0);
        assert!(belady(&t, 99).hits > 0);
    }
}
