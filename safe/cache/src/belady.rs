//! Belady's offline optimum (MIN).

use std::collections::{BTreeSet, HashMap};

use crate::HitStats;

/// Belady's offline optimum on `trace` at `capacity`: on a miss, the resident key used
/// farthest in the future is evicted — or the missed key itself is not admitted when it
/// is used later than every resident key (the "bypass" form of MIN, optimal also for
/// policies that may refuse admission, as W-TinyLFU does). No online policy gets more
/// hits on the same trace, so the tests and the bench use it as the ceiling.
///
/// O(n log capacity) time and O(n) memory (the next-use index of every request).
///
/// ```
/// use arsenal_cache::belady;
/// // A loop over 3 keys in a 2-entry cache: LRU never hits, MIN keeps two of them.
/// let trace = [1, 2, 3, 1, 2, 3, 1, 2, 3];
/// assert_eq!(belady(&trace, 2).hits, 4);
/// ```
pub fn belady(trace: &[u64], capacity: usize) -> HitStats {
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
