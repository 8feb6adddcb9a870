//! CLOCK-Pro (Jiang, Chen & Zhang, "CLOCK-Pro: an effective improvement of the CLOCK
//! replacement", USENIX ATC 2005).

use std::hash::{BuildHasher, Hash};

use crate::store::{List, Store, NIL};
use crate::{Backend, Cache, DefaultHasher};

// `meta` bits.
const REF: u8 = 1;
const HOT: u8 = 2;
const TEST: u8 = 4;

/// CLOCK-Pro: one clock of resident hot pages, resident cold pages and non-resident
/// cold pages (keys whose "test period" still runs), swept by three hands.
///
/// - `HAND_cold` finds a victim: a cold page with its reference bit set is promoted to
///   hot if it is in its test period (else it starts one); an unreferenced cold page
///   is evicted and stays as a non-resident key while its test period runs.
/// - `HAND_hot` demotes an unreferenced hot page to cold, and ends the test periods it
///   passes (removing non-resident keys).
/// - `HAND_test` ends test periods when more than `capacity` non-resident keys are kept.
///
/// The cold area's target size `m_c` adapts: +1 when a non-resident key is requested
/// within its test period, −1 when a test period ends unused (1 ≤ `m_c` ≤ capacity);
/// it starts at half the capacity, and until the first eviction new keys enter as hot
/// pages while the hot area is below its target (the paper leaves the initial state
/// open; libCacheSim's CLOCK-Pro starts the same way).
/// A hit only sets a reference bit (as CLOCK). Memory: up to `capacity` non-resident
/// keys besides the resident entries.
pub struct ClockPro<K, V, S = DefaultHasher> {
    store: Store<K, V, S>,
    list: List,
    hand_cold: usize,
    hand_hot: usize,
    hand_test: usize,
    count_hot: usize,
    count_cold: usize,
    count_test: usize,
    cold_target: usize,
    /// The cold target's floor: 1 % of the capacity (at least 1).
    min_cold: usize,
    capacity: usize,
    /// Whether the cache has evicted yet (it was full once).
    evicted: bool,
}

impl<K: Hash + Eq + Clone, V> ClockPro<K, V> {
    /// An empty cache of at most `capacity` resident entries (0 stores nothing).
    pub fn new(capacity: usize) -> Self {
        Self::with_hasher(capacity, DefaultHasher::default())
    }
}

impl<K, V, S> std::fmt::Debug for ClockPro<K, V, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClockPro")
            .field("hot", &self.count_hot)
            .field("cold", &self.count_cold)
            .field("non_resident", &self.count_test)
            .field("cold_target", &self.cold_target)
            .field("capacity", &self.capacity)
            .finish()
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> ClockPro<K, V, S> {
    /// As [`ClockPro::new`], hashing keys with `hasher`.
    pub fn with_hasher(capacity: usize, hasher: S) -> Self {
        ClockPro {
            store: Store::with_hasher(hasher),
            list: List::EMPTY,
            hand_cold: NIL,
            hand_hot: NIL,
            hand_test: NIL,
            count_hot: 0,
            count_cold: 0,
            count_test: 0,
            cold_target: (capacity / 2).max(1),
            min_cold: (capacity / 100).max(1),
            capacity,
            evicted: false,
        }
    }

    /// The cold area's current target size `m_c`.
    pub fn cold_target(&self) -> usize {
        self.cold_target
    }

    /// The node after `i` on the clock (wrapping around).
    fn after(&self, i: usize) -> usize {
        match self.store.next(i) {
            NIL => self.list.head,
            n => n,
        }
    }

    /// Takes `i` off the clock, moving any hand that points at it to the next node.
    fn detach(&mut self, i: usize) {
        let next = if self.list.len == 1 {
            NIL
        } else {
            self.after(i)
        };
        for hand in [&mut self.hand_cold, &mut self.hand_hot, &mut self.hand_test] {
            if *hand == i {
                *hand = next;
            }
        }
        self.store.unlink(&mut self.list, i);
    }

    /// Links `i` at the clock's head: just behind `HAND_hot`, the last place its sweep
    /// reaches.
    fn attach_head(&mut self, i: usize) {
        if self.list.len == 0 {
            self.store.push_front(&mut self.list, i);
            self.hand_cold = i;
            self.hand_hot = i;
            self.hand_test = i;
            return;
        }
        self.store.insert_before(&mut self.list, self.hand_hot, i);
    }

    fn shrink_cold_target(&mut self) {
        self.cold_target = (self.cold_target - 1).max(self.min_cold);
    }

    /// Removes a non-resident key entirely.
    fn forget(&mut self, i: usize) {
        self.detach(i);
        self.store.release(i);
        self.count_test -= 1;
    }

    /// HAND_hot: sweeps until one hot page is demoted (callers ensure there is one).
    fn run_hand_hot(&mut self) {
        loop {
            let i = self.hand_hot;
            self.hand_hot = self.after(i);
            let meta = self.store.node(i).meta;
            let resident = self.store.node(i).value.is_some();
            if meta & HOT != 0 {
                if meta & REF != 0 {
                    self.store.node_mut(i).meta = HOT;
                } else {
                    self.store.node_mut(i).meta = 0;
                    self.count_hot -= 1;
                    self.count_cold += 1;
                    return;
                }
            } else if !resident {
                self.forget(i);
                self.shrink_cold_target();
            } else if meta & TEST != 0 {
                self.store.node_mut(i).meta = meta & !TEST;
                self.shrink_cold_target();
            }
        }
    }

    /// HAND_test: sweeps until one non-resident key is removed (callers ensure there
    /// is one), ending the test periods it passes.
    fn run_hand_test(&mut self) {
        loop {
            let i = self.hand_test;
            self.hand_test = self.after(i);
            let meta = self.store.node(i).meta;
            if meta & HOT != 0 {
                continue;
            }
            if self.store.node(i).value.is_none() {
                self.forget(i);
                self.shrink_cold_target();
                return;
            }
            if meta & TEST != 0 {
                self.store.node_mut(i).meta = meta & !TEST;
                self.shrink_cold_target();
            }
        }
    }

    /// Keeps the hot area within `capacity - m_c`.
    fn balance_hot(&mut self) {
        while self.count_hot > 0 && self.count_hot > self.capacity - self.cold_target {
            self.run_hand_hot();
        }
    }

    /// HAND_cold: sweeps until one resident cold page is evicted.
    fn run_hand_cold(&mut self) {
        loop {
            if self.count_cold == 0 {
                // Everything resident is hot: demote one first.
                self.run_hand_hot();
                continue;
            }
            let i = self.hand_cold;
            self.hand_cold = self.after(i);
            let meta = self.store.node(i).meta;
            if meta & HOT != 0 || self.store.node(i).value.is_none() {
                continue;
            }
            if meta & REF != 0 {
                // Re-referenced: promote within its test period, else start one; either
                // way it moves to the head.
                self.detach(i);
                self.attach_head(i);
                if meta & TEST != 0 {
                    self.store.node_mut(i).meta = HOT;
                    self.count_cold -= 1;
                    self.count_hot += 1;
                    self.balance_hot();
                } else {
                    self.store.node_mut(i).meta = TEST;
                }
                continue;
            }
            self.count_cold -= 1;
            if meta & TEST != 0 {
                // Stays as a non-resident key until its test period ends.
                self.store.node_mut(i).value = None;
                self.count_test += 1;
                while self.count_test > self.capacity {
                    self.run_hand_test();
                }
            } else {
                self.detach(i);
                self.store.release(i);
            }
            return;
        }
    }
}

impl<K: Hash + Eq + Clone, V, S: BuildHasher> Cache<K, V> for ClockPro<K, V, S> {
    fn get(&mut self, key: &K) -> Option<&V> {
        let i = self.store.find(key)?;
        let node = self.store.node_mut(i);
        if node.value.is_some() {
            node.meta |= REF;
        }
        node.value.as_ref()
    }

    fn peek(&self, key: &K) -> Option<&V> {
        self.store.peek(key)
    }

    fn insert(&mut self, key: K, value: V) {
        if self.capacity == 0 {
            return;
        }
        let mut test_hit = false;
        if let Some(i) = self.store.find(&key) {
            let node = self.store.node_mut(i);
            if node.value.is_some() {
                node.value = Some(value);
                node.meta |= REF;
                return;
            }
            // Requested within its test period: the cold area was too small.
            test_hit = true;
            self.cold_target = (self.cold_target + 1).min(self.capacity);
            self.forget(i);
        }
        if self.count_hot + self.count_cold >= self.capacity {
            self.evicted = true;
            self.run_hand_cold();
        }
        let i = self.store.alloc(key, Some(value), 0);
        self.attach_head(i);
        // Warm-up: until the first eviction, new keys fill the hot area up to its
        // target (the paper leaves the initial state open; libCacheSim starts so too).
        if test_hit || (!self.evicted && self.count_hot < self.capacity - self.cold_target) {
            self.store.node_mut(i).meta = HOT;
            self.count_hot += 1;
            self.balance_hot();
        } else {
            self.store.node_mut(i).meta = TEST;
            self.count_cold += 1;
        }
    }

    fn remove(&mut self, key: &K) -> Option<V> {
        let i = self.store.find(key)?;
        let meta = self.store.node(i).meta;
        if self.store.node(i).value.is_none() {
            self.forget(i);
            return None;
        }
        if meta & HOT != 0 {
            self.count_hot -= 1;
        } else {
            self.count_cold -= 1;
        }
        self.detach(i);
        self.store.release(i)
    }

    fn len(&self) -> usize {
        self.count_hot + self.count_cold
    }

    fn capacity(&self) -> usize {
        self.capacity
    }

    fn backend(&self) -> Backend {
        Backend::ClockPro
    }

    fn heap_bytes(&self) -> usize {
        self.store.heap_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl<K: Hash + Eq + Clone, V, S: BuildHasher> ClockPro<K, V, S> {
        /// Walks the clock and checks the counters and bounds.
        fn check(&self) {
            let (mut hot, mut cold, mut test) = (0, 0, 0);
            let mut i = self.list.head;
            while i != NIL {
                let n = self.store.node(i);
                match (n.value.is_some(), n.meta & HOT != 0) {
                    (true, true) => hot += 1,
                    (true, false) => cold += 1,
                    (false, hot_flag) => {
                        assert!(!hot_flag, "a non-resident hot page");
                        test += 1
                    }
                }
                i = self.store.next(i);
            }
            assert_eq!(
                (hot, cold, test),
                (self.count_hot, self.count_cold, self.count_test)
            );
            assert_eq!(self.list.len, hot + cold + test);
            assert_eq!(self.store.map.len(), self.list.len);
            assert!(hot + cold <= self.capacity);
            assert!(test <= self.capacity);
            assert!((self.min_cold..=self.capacity.max(1)).contains(&self.cold_target));
            assert!(hot <= self.capacity - self.cold_target || hot == 0);
        }
    }

    #[test]
    fn counters_and_bounds_hold() {
        for cap in [1usize, 2, 5, 64] {
            let mut c = ClockPro::new(cap);
            let mut x = 88172645463325252u64;
            for step in 0..20_000u64 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let key = (x % 300) * (x >> 40 & 3) % 300;
                match x >> 60 {
                    0 => {
                        c.remove(&key);
                    }
                    1..=7 => {
                        c.get(&key);
                    }
                    _ => c.insert(key, step),
                }
                c.check();
            }
        }
    }
}
