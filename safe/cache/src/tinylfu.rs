//! W-TinyLFU (Einziger, Friedman & Manes, "TinyLFU: a highly efficient cache admission
//! policy", ACM TOS 2017), the policy of Caffeine.

use std::hash::{BuildHasher, Hash};

use crate::store::{List, Store, NIL};
use crate::{Backend, Cache, DefaultHasher};

const WINDOW: u8 = 0;
const PROBATION: u8 = 1;
const PROTECTED: u8 = 2;

/// At most 2^21 sketch words (16 MiB, 16 four-bit counters each): the sketch is sized
/// from the capacity, and this bounds what a huge capacity allocates up front.
const MAX_SKETCH_WORDS: usize = 1 << 21;

/// A count-min sketch of 4-bit counters (depth 4) with periodic halving ("reset"), the
/// frequency estimate TinyLFU admits by. Each key's four counters share one 64-bit word
/// per row, in distinct nibbles.
#[derive(Clone, Debug)]
pub(crate) struct FrequencySketch {
    table: Vec<u64>,
    mask: usize,
    additions: usize,
    sample: usize,
}

impl FrequencySketch {
    pub fn new(capacity: usize) -> Self {
        let words = capacity.clamp(16, MAX_SKETCH_WORDS).next_power_of_two();
        FrequencySketch {
            table: vec![0; words],
            mask: words - 1,
            additions: 0,
            // The paper's sample size W = 10 × the cache size.
            sample: capacity.saturating_mul(10).max(160),
        }
    }

    #[inline]
    fn slot(&self, h: u64, row: u32) -> (usize, u32) {
        // A different odd multiplier per row spreads the rows independently.
        const SEEDS: [u64; 4] = [
            0x9e37_79b9_7f4a_7c15,
            0xc2b2_ae3d_27d4_eb4f,
            0x1656_67b1_9e37_79f9,
            0xd6e8_feb8_6659_fd93,
        ];
        let x = h.wrapping_mul(SEEDS[row as usize]);
        let word = (x >> 32) as usize & self.mask;
        // Row `row` owns nibbles 4·row .. 4·row + 3 of its word.
        let nibble = row * 4 + ((x >> 29) & 3) as u32;
        (word, nibble * 4)
    }

    /// The estimated frequency of `h` (0..=15).
    #[inline]
    pub fn frequency(&self, h: u64) -> u8 {
        (0..4)
            .map(|row| {
                let (w, shift) = self.slot(h, row);
                ((self.table[w] >> shift) & 15) as u8
            })
            .min()
            .unwrap_or(0)
    }

    /// Counts one occurrence of `h`; every `sample` additions all counters halve.
    #[inline]
    pub fn increment(&mut self, h: u64) {
        let mut added = false;
        for row in 0..4 {
            let (w, shift) = self.slot(h, row);
            if (self.table[w] >> shift) & 15 < 15 {
                self.table[w] += 1 << shift;
                added = true;
            }
        }
        if added {
            self.additions += 1;
            if self.additions >= self.sample {
                for word in &mut self.table {
                    *word = (*word >> 1) & 0x7777_7777_7777_7777;
                }
                self.additions /= 2;
            }
        }
    }

    pub fn bytes(&self) -> usize {
        self.table.len() * 8
    }
}

/// W-TinyLFU: a small LRU window (1 % of the capacity) in front of a segmented LRU main
/// area (80 % protected, 20 % probation). An entry leaving the window is admitted to
/// the main area only if a TinyLFU frequency sketch (count-min, 4-bit counters, halved
/// every 10 × capacity accesses) estimates it more popular than the main area's victim.
///
/// Static window (Caffeine adapts its size by hill climbing) and no doorkeeper; the
/// sketch counts every lookup ([`Cache::get`], hit or miss) and every insert not
/// immediately preceded by a missed lookup of the same key (so get-then-insert counts
/// once). The sketch is sized from the capacity (up to 16 MiB).
pub struct WTinyLfu<K, V, S = DefaultHasher> {
    store: Store<K, V, S>,
    lists: [List; 3],
    sketch: FrequencySketch,
    window_target: usize,
    protected_target: usize,
    main_capacity: usize,
    capacity: usize,
    last_miss: Option<u64>,
}

impl<K: Hash + Eq + Clone, V> WTinyLfu<K, V> {
    /// An empty cache of at most `capacity` entries (0 stores nothing).
    pub fn new(capacity: usize) -> Self {
        Self::with_hasher(capacity, DefaultHasher::default())
    }
}

impl<K, V, S> std::fmt::Debug for WTinyLfu<K, V, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WTinyLfu")
            .field("window", &self.lists[WINDOW as usize].len)
            .field("probation", &self.lists[PROBATION as usize].len)
            .field("protected", &self.lists[PROTECTED as usize].len)
            .field("capacity", &self.capacity)
            .finish()
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> WTinyLfu<K, V, S> {
    /// As [`WTinyLfu::new`], hashing keys with `hasher`.
    pub fn with_hasher(capacity: usize, hasher: S) -> Self {
        let window_target = (capacity / 100).max(1).min(capacity);
        let main_capacity = capacity - window_target;
        WTinyLfu {
            store: Store::with_hasher(hasher),
            lists: [List::EMPTY; 3],
            sketch: FrequencySketch::new(capacity),
            window_target,
            protected_target: main_capacity / 10 * 8 + main_capacity % 10 * 8 / 10,
            main_capacity,
            capacity,
            last_miss: None,
        }
    }

    fn hash(&self, key: &K) -> u64 {
        self.store.map.hasher().hash_one(key)
    }

    fn move_to(&mut self, i: usize, to: u8) {
        self.store.relink(&mut self.lists, i, to);
    }

    /// A hit on resident node `i`: LRU within the window and protected segments,
    /// probation → protected (demoting protected's LRU entry when it is over target).
    fn on_hit(&mut self, i: usize) {
        match self.store.node(i).list {
            PROBATION => {
                self.move_to(i, PROTECTED);
                if self.lists[PROTECTED as usize].len > self.protected_target {
                    let t = self.lists[PROTECTED as usize].tail;
                    self.move_to(t, PROBATION);
                }
            }
            l => self.move_to(i, l),
        }
    }

    fn evict_node(&mut self, i: usize) {
        let l = self.store.node(i).list;
        self.store.unlink(&mut self.lists[l as usize], i);
        self.store.release(i);
    }

    /// The window overflowed: its LRU entry competes with the main area's victim.
    fn admit_from_window(&mut self) {
        let cand = self.lists[WINDOW as usize].tail;
        if self.lists[PROBATION as usize].len + self.lists[PROTECTED as usize].len
            < self.main_capacity
        {
            self.move_to(cand, PROBATION);
            return;
        }
        let mut victim = self.lists[PROBATION as usize].tail;
        if victim == NIL {
            victim = self.lists[PROTECTED as usize].tail;
        }
        if victim == NIL {
            return self.evict_node(cand);
        }
        let fc = self.sketch.frequency(self.hash(&self.store.node(cand).key));
        let fv = self
            .sketch
            .frequency(self.hash(&self.store.node(victim).key));
        if fc > fv {
            self.evict_node(victim);
            self.move_to(cand, PROBATION);
        } else {
            self.evict_node(cand);
        }
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> Cache<K, V> for WTinyLfu<K, V, S> {
    fn get(&mut self, key: &K) -> Option<&V> {
        let h = self.hash(key);
        self.sketch.increment(h);
        match self.store.find(key) {
            None => {
                self.last_miss = Some(h);
                None
            }
            Some(i) => {
                self.last_miss = None;
                self.on_hit(i);
                self.store.node(i).value.as_ref()
            }
        }
    }

    fn peek(&self, key: &K) -> Option<&V> {
        self.store.peek(key)
    }

    fn insert(&mut self, key: K, value: V) {
        if self.capacity == 0 {
            return;
        }
        let h = self.hash(&key);
        if self.last_miss.take() != Some(h) {
            self.sketch.increment(h);
        }
        if let Some(i) = self.store.find(&key) {
            self.store.node_mut(i).value = Some(value);
            self.on_hit(i);
            return;
        }
        let i = self.store.alloc(key, Some(value), WINDOW);
        self.store.push_front(&mut self.lists[WINDOW as usize], i);
        if self.lists[WINDOW as usize].len > self.window_target {
            self.admit_from_window();
        }
    }

    fn remove(&mut self, key: &K) -> Option<V> {
        self.store.remove(&mut self.lists, key)
    }

    fn len(&self) -> usize {
        self.lists.iter().map(|l| l.len).sum()
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn backend(&self) -> Backend {
        Backend::WTinyLfu
    }

    fn heap_bytes(&self) -> usize {
        self.store.heap_bytes() + self.sketch.bytes()
    }
}
