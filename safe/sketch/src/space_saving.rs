//! Space-Saving top-k (Metwally, Agrawal & El Abbadi, "Efficient computation of
//! frequent and top-k elements in data streams", 2005), with the merge of Agarwal et
//! al., "Mergeable summaries" (2012), in its Space-Saving form.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;

use crate::{incompatible, param, HashSketch, Result, Sketch};

const NAME: &str = "space-saving";

/// The largest accepted capacity.
const MAX_CAPACITY: usize = 1 << 32;

#[derive(Clone, Debug)]
struct Entry<K> {
    key: K,
    count: u64,
    error: u64,
    /// Where the entry's slot sits in the heap order.
    pos: usize,
}

/// Space-Saving heavy hitters over keys `K`: at most `capacity` (m) monitored keys,
/// each with a count and an error bound.
///
/// A monitored key's count is incremented; an unmonitored key replaces the key with the
/// smallest count `c_min`, inheriting `count = c_min + c` and `error = c_min`. The keys
/// live in fixed slots, a binary min-heap by count orders the slots, and a hash index
/// maps keys to slots: one hash lookup and O(log m) slot swaps (no rehashing) per
/// update.
///
/// **Guarantees** (N = [`total`](Self::total)): for every monitored key,
/// `count − error ≤ true count ≤ count`; an unmonitored key's true count is at most the
/// smallest count, which is at most N/m; so every key with true count > N/m is
/// monitored. [`top`](Self::top) lists monitored keys by count.
///
/// **Merge.** Agarwal et al. merge Misra-Gries summaries by adding the counters and
/// subtracting the (m+1)-th largest. Space-Saving counters are Misra-Gries counters plus
/// the smallest count, so this crate merges in the equivalent upper-bound form that
/// keeps the guarantees above: for each key in either summary the new count is the sum
/// of its counts, taking the other summary's smallest count (0 if it is not full) where
/// the key is absent, and the new lower bound is the sum of its lower bounds (0 where
/// absent); the m keys with the largest counts are kept. The kept counts sum to at most
/// N₁ + N₂ and every dropped or unmonitored key's true count is at most the smallest
/// kept count, so the merged summary satisfies the same guarantees for the combined
/// stream.
///
/// Pre-hashed `u64` keys work as any other key (`SpaceSaving<u64>` implements
/// [`HashSketch`]). Counts saturate at `u64::MAX`. Memory: O(m) entries and index slots.
#[derive(Clone, Debug)]
pub struct SpaceSaving<K> {
    capacity: usize,
    total: u64,
    /// The monitored keys, each in a fixed slot.
    slots: Vec<Entry<K>>,
    /// Slot numbers in min-heap order by count.
    order: Vec<usize>,
    /// Key → slot (foldhash: the index is probed on every update).
    index: HashMap<K, usize, foldhash::fast::RandomState>,
}

impl<K: Hash + Eq + Clone> SpaceSaving<K> {
    /// An empty summary monitoring at most `capacity` keys.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) unless `capacity` is in
    /// `1..=2^32`.
    pub fn new(capacity: usize) -> Result<Self> {
        if !(1..=MAX_CAPACITY).contains(&capacity) {
            return Err(param(NAME, format!("capacity {capacity} outside 1..=2^32")));
        }
        Ok(SpaceSaving {
            capacity,
            total: 0,
            slots: Vec::new(),
            order: Vec::new(),
            index: HashMap::default(),
        })
    }

    /// The most keys monitored (m).
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The number of keys monitored.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether no key is monitored.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The sum of all counts added (N).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// The bound on the true count of any unmonitored key: the smallest count when the
    /// summary is full, else 0.
    pub fn min_count(&self) -> u64 {
        if self.slots.len() == self.capacity {
            self.slots[self.order[0]].count
        } else {
            0
        }
    }

    /// Adds one occurrence of `item`.
    pub fn insert(&mut self, item: K) {
        self.add(item, 1);
    }

    /// Adds `count` occurrences of `item` (nothing for 0).
    pub fn add(&mut self, item: K, count: u64) {
        if count == 0 {
            return;
        }
        self.total = self.total.saturating_add(count);
        if let Some(&slot) = self.index.get(&item) {
            let e = &mut self.slots[slot];
            e.count = e.count.saturating_add(count);
            let pos = e.pos;
            self.sift_down(pos);
        } else if self.slots.len() < self.capacity {
            let (slot, pos) = (self.slots.len(), self.order.len());
            self.index.insert(item.clone(), slot);
            self.slots.push(Entry {
                key: item,
                count,
                error: 0,
                pos,
            });
            self.order.push(slot);
            self.sift_up(pos);
        } else {
            let slot = self.order[0];
            let min = self.slots[slot].count;
            let old = std::mem::replace(
                &mut self.slots[slot],
                Entry {
                    key: item.clone(),
                    count: min.saturating_add(count),
                    error: min,
                    pos: 0,
                },
            );
            self.index.remove(&old.key);
            self.index.insert(item, slot);
            self.sift_down(0);
        }
    }

    /// The count and error of a monitored key (`count − error ≤ true ≤ count`), `None`
    /// if it is not monitored (its true count is then at most
    /// [`min_count`](Self::min_count)).
    pub fn get<Q>(&self, key: &Q) -> Option<(u64, u64)>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.index.get(key).map(|&slot| {
            let e = &self.slots[slot];
            (e.count, e.error)
        })
    }

    /// An upper bound on the true count of `key`: its count if monitored, else
    /// [`min_count`](Self::min_count).
    pub fn upper_bound<Q>(&self, key: &Q) -> u64
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.get(key).map_or_else(|| self.min_count(), |(c, _)| c)
    }

    /// The `k` monitored keys with the largest counts, as `(key, count, error)`, sorted
    /// by count (then by the lower bound `count − error`), largest first.
    pub fn top(&self, k: usize) -> Vec<(K, u64, u64)> {
        let mut entries: Vec<&Entry<K>> = self.slots.iter().collect();
        entries.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then((b.count - b.error).cmp(&(a.count - a.error)))
        });
        entries
            .into_iter()
            .take(k)
            .map(|e| (e.key.clone(), e.count, e.error))
            .collect()
    }

    fn count_at(&self, pos: usize) -> u64 {
        self.slots[self.order[pos]].count
    }

    fn swap(&mut self, i: usize, j: usize) {
        self.order.swap(i, j);
        self.slots[self.order[i]].pos = i;
        self.slots[self.order[j]].pos = j;
    }

    fn sift_up(&mut self, mut i: usize) {
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.count_at(i) >= self.count_at(parent) {
                break;
            }
            self.swap(i, parent);
            i = parent;
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        let n = self.order.len();
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut smallest = i;
            if l < n && self.count_at(l) < self.count_at(smallest) {
                smallest = l;
            }
            if r < n && self.count_at(r) < self.count_at(smallest) {
                smallest = r;
            }
            if smallest == i {
                return;
            }
            self.swap(i, smallest);
            i = smallest;
        }
    }

    /// Rebuilds the heap order and the index from `self.slots` in any order.
    fn rebuild(&mut self) {
        self.index.clear();
        self.order = (0..self.slots.len()).collect();
        for (i, e) in self.slots.iter_mut().enumerate() {
            e.pos = i;
            self.index.insert(e.key.clone(), i);
        }
        for i in (0..self.order.len() / 2).rev() {
            self.sift_down(i);
        }
    }

    /// Folds `other` into `self` (see the type's documentation for the rule and the
    /// guarantees it keeps).
    ///
    /// # Errors
    /// [`ErrorKind::Incompatible`](crate::ErrorKind::Incompatible) if the capacities
    /// differ.
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        if self.capacity != other.capacity {
            return Err(incompatible(
                NAME,
                format!("capacity {} vs {}", self.capacity, other.capacity),
            ));
        }
        let (min1, min2) = (self.min_count(), other.min_count());
        // key -> (upper bound, lower bound)
        let mut combined: HashMap<K, (u64, u64)> =
            HashMap::with_capacity(self.slots.len() + other.slots.len());
        for e in &self.slots {
            let (up, low) = match other.index.get(&e.key) {
                Some(&j) => {
                    let o = &other.slots[j];
                    (o.count, o.count - o.error)
                }
                None => (min2, 0),
            };
            combined.insert(
                e.key.clone(),
                (
                    e.count.saturating_add(up),
                    (e.count - e.error).saturating_add(low),
                ),
            );
        }
        for o in &other.slots {
            if !self.index.contains_key(&o.key) {
                combined.insert(
                    o.key.clone(),
                    (o.count.saturating_add(min1), o.count - o.error),
                );
            }
        }
        let mut entries: Vec<Entry<K>> = combined
            .into_iter()
            .map(|(key, (count, lower))| Entry {
                key,
                count,
                error: count - lower,
                pos: 0,
            })
            .collect();
        if entries.len() > self.capacity {
            entries.select_nth_unstable_by(self.capacity - 1, |a, b| b.count.cmp(&a.count));
            entries.truncate(self.capacity);
        }
        self.slots = entries;
        self.total = self.total.saturating_add(other.total);
        self.rebuild();
        Ok(())
    }

    /// The memory the summary holds, in bytes (entries and index slots; keys' own heap
    /// data not included).
    pub fn size_in_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self.slots.capacity() * std::mem::size_of::<Entry<K>>()
            + self.order.capacity() * std::mem::size_of::<usize>()
            + self.index.capacity() * (std::mem::size_of::<(K, usize)>() + 1)
    }
}

impl<K: Hash + Eq + Clone + std::fmt::Debug> Sketch for SpaceSaving<K> {
    fn merge(&mut self, other: &Self) -> Result<()> {
        SpaceSaving::merge(self, other)
    }
    fn size_in_bytes(&self) -> usize {
        SpaceSaving::size_in_bytes(self)
    }
}

impl HashSketch for SpaceSaving<u64> {
    fn update_hash(&mut self, hash: u64) {
        self.add(hash, 1);
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    use super::*;
    use crate::corrupt;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize)]
    struct RawOut<'a, K> {
        capacity: usize,
        total: u64,
        entries: Vec<(&'a K, u64, u64)>,
    }

    #[derive(Deserialize)]
    struct RawIn<K> {
        capacity: usize,
        total: u64,
        entries: Vec<(K, u64, u64)>,
    }

    impl<K: Serialize> Serialize for SpaceSaving<K> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            RawOut {
                capacity: self.capacity,
                total: self.total,
                entries: self
                    .slots
                    .iter()
                    .map(|e| (&e.key, e.count, e.error))
                    .collect(),
            }
            .serialize(serializer)
        }
    }

    impl<'de, K: Deserialize<'de> + Hash + Eq + Clone> Deserialize<'de> for SpaceSaving<K> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let raw = RawIn::<K>::deserialize(deserializer)?;
            from_raw(raw).map_err(serde::de::Error::custom)
        }
    }

    fn from_raw<K: Hash + Eq + Clone>(raw: RawIn<K>) -> crate::Result<SpaceSaving<K>> {
        let mut s =
            SpaceSaving::new(raw.capacity).map_err(|e| corrupt(NAME, e.message().to_owned()))?;
        if raw.entries.len() > raw.capacity {
            return Err(corrupt(NAME, "more entries than the capacity"));
        }
        let mut sum: u128 = 0;
        for (_, count, error) in &raw.entries {
            if *count == 0 || error >= count {
                return Err(corrupt(NAME, "an entry needs count ≥ 1 and error < count"));
            }
            sum += u128::from(*count);
        }
        if raw.total < u64::MAX && sum > u128::from(raw.total) {
            return Err(corrupt(NAME, "counts add up to more than the total"));
        }
        s.total = raw.total;
        s.slots = raw
            .entries
            .into_iter()
            .map(|(key, count, error)| Entry {
                key,
                count,
                error,
                pos: 0,
            })
            .collect();
        s.rebuild();
        if s.index.len() != s.slots.len() {
            return Err(corrupt(NAME, "duplicate keys"));
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::SplitMix;
    use crate::ErrorKind;

    fn zipf_stream(n: usize, seed: u64) -> Vec<u32> {
        let mut rng = SplitMix(seed);
        // P(i) ∝ 1/(i+1)^1.2 by inverse-CDF over a table of 10 000 keys.
        let weights: Vec<f64> = (0..10_000)
            .map(|i| 1.0 / f64::from(i + 1).powf(1.2))
            .collect();
        let mut cdf = Vec::with_capacity(weights.len());
        let mut acc = 0.0;
        for w in &weights {
            acc += w;
            cdf.push(acc);
        }
        (0..n)
            .map(|_| {
                let u = rng.next_f64() * acc;
                cdf.partition_point(|&c| c < u) as u32
            })
            .collect()
    }

    fn exact(stream: &[u32]) -> HashMap<u32, u64> {
        let mut m = HashMap::new();
        for &x in stream {
            *m.entry(x).or_insert(0) += 1;
        }
        m
    }

    fn check_guarantees(s: &SpaceSaving<u32>, truth: &HashMap<u32, u64>, n: u64) {
        assert_eq!(s.total(), n);
        let m = s.capacity() as u64;
        assert!(s.min_count() <= n / m);
        for (&key, &f) in truth {
            match s.get(&key) {
                Some((count, error)) => {
                    assert!(
                        count - error <= f && f <= count,
                        "{key}: {count} {error} {f}"
                    )
                }
                None => {
                    assert!(f <= s.min_count(), "{key} unmonitored with {f}");
                    assert!(f * m <= n, "{key} has more than N/m and is not monitored");
                }
            }
        }
        // Heap invariant and index consistency.
        for (slot, e) in s.slots.iter().enumerate() {
            assert_eq!(s.index[&e.key], slot);
            assert_eq!(s.order[e.pos], slot);
        }
        for i in 1..s.order.len() {
            assert!(s.count_at((i - 1) / 2) <= s.count_at(i));
        }
    }

    #[test]
    fn parameters() {
        for c in [0, MAX_CAPACITY + 1, usize::MAX] {
            assert_eq!(
                SpaceSaving::<u64>::new(c).unwrap_err().kind(),
                ErrorKind::Parameter
            );
        }
        let mut s = SpaceSaving::<String>::new(2).unwrap();
        s.insert("a".into());
        s.add("b".into(), 0);
        assert_eq!(s.len(), 1);
        assert_eq!(s.get("a"), Some((1, 0)));
        assert_eq!(s.upper_bound("zzz"), 0);
        let t = SpaceSaving::<String>::new(3).unwrap();
        assert_eq!(s.merge(&t).unwrap_err().kind(), ErrorKind::Incompatible);
    }

    #[test]
    fn guarantees_and_top_k() {
        let stream = zipf_stream(50_000, 4);
        let truth = exact(&stream);
        let mut s = SpaceSaving::new(100).unwrap();
        for &x in &stream {
            s.insert(x);
        }
        check_guarantees(&s, &truth, stream.len() as u64);
        let mut exact_top: Vec<(u32, u64)> = truth.iter().map(|(&k, &v)| (k, v)).collect();
        exact_top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let top = s.top(10);
        assert_eq!(top.len(), 10);
        let got: Vec<u32> = top.iter().map(|t| t.0).collect();
        let want: Vec<u32> = exact_top[..10].iter().map(|t| t.0).collect();
        assert_eq!(got, want);
        assert!(top.windows(2).all(|w| w[0].1 >= w[1].1));
        assert_eq!(s.top(1_000).len(), 100);
        // Weighted adds and pre-hashed keys.
        let mut h = SpaceSaving::<u64>::new(4).unwrap();
        HashSketch::update(&mut h, "x");
        h.add(7, 10);
        assert_eq!(h.top(1)[0], (7, 10, 0));
        assert_eq!(h.total(), 11);
    }

    #[test]
    fn merge_within_bounds() {
        let stream = zipf_stream(40_000, 8);
        let truth = exact(&stream);
        let mut parts: Vec<SpaceSaving<u32>> =
            (0..3).map(|_| SpaceSaving::new(80).unwrap()).collect();
        for (i, &x) in stream.iter().enumerate() {
            // Uneven split: one part sees a different mix.
            parts[(i * 7 / 5) % 3].insert(x);
        }
        let mut merged = parts[0].clone();
        merged.merge(&parts[1]).unwrap();
        merged.merge(&parts[2]).unwrap();
        check_guarantees(&merged, &truth, stream.len() as u64);
        let mut exact_top: Vec<(u32, u64)> = truth.iter().map(|(&k, &v)| (k, v)).collect();
        exact_top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let got: Vec<u32> = merged.top(5).iter().map(|t| t.0).collect();
        let want: Vec<u32> = exact_top[..5].iter().map(|t| t.0).collect();
        assert_eq!(got, want);
        // Merging small, non-full summaries is exact.
        let mut a = SpaceSaving::new(10).unwrap();
        let mut b = SpaceSaving::new(10).unwrap();
        a.add(1u32, 5);
        b.add(1u32, 3);
        b.add(2u32, 4);
        a.merge(&b).unwrap();
        assert_eq!(a.get(&1), Some((8, 0)));
        assert_eq!(a.get(&2), Some((4, 0)));
        assert_eq!(a.total(), 12);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trip_and_hostile() {
        let mut s = SpaceSaving::new(20).unwrap();
        for &x in &zipf_stream(2_000, 1) {
            s.insert(x);
        }
        let json = serde_json::to_string(&s).unwrap();
        let back: SpaceSaving<u32> = serde_json::from_str(&json).unwrap();
        assert_eq!(back.top(20), s.top(20));
        assert_eq!(back.total(), s.total());
        let truth = exact(&zipf_stream(2_000, 1));
        check_guarantees(&back, &truth, 2_000);
        let bad = [
            r#"{"capacity":0,"total":0,"entries":[]}"#,
            r#"{"capacity":18446744073709551615,"total":0,"entries":[]}"#,
            r#"{"capacity":1,"total":5,"entries":[[1,2,0],[2,2,0]]}"#,
            r#"{"capacity":2,"total":5,"entries":[[1,2,0],[1,2,0]]}"#,
            r#"{"capacity":2,"total":5,"entries":[[1,2,2]]}"#,
            r#"{"capacity":2,"total":5,"entries":[[1,0,0]]}"#,
            r#"{"capacity":2,"total":3,"entries":[[1,2,0],[2,2,0]]}"#,
        ];
        for b in bad {
            assert!(serde_json::from_str::<SpaceSaving<u32>>(b).is_err(), "{b}");
        }
    }
}
