//! [`RadixHeap`]: a monotone min-priority queue over `u64` keys.

use std::fmt;

use crate::{Backend, Error, ErrorKind, MinQueue, Result};

/// Buckets: one for keys equal to the floor, one per bit position of `key ^ floor`.
const BUCKETS: usize = 65;

/// A monotone min-priority queue (Ahuja, Mehlhorn, Orlin & Tarjan 1990): keys are `u64`
/// and no key may be pushed below the last key popped (the *floor*), which is what
/// Dijkstra's algorithm, event simulation and best-first searches do.
///
/// Items sit in 65 buckets by the highest bit in which their key differs from the
/// floor. A pop takes from bucket 0 (keys equal to the floor); when it is empty, the
/// lowest non-empty bucket is scanned for its minimum, which becomes the floor, and its
/// items are redistributed into lower buckets. Every item moves down at most 64 times,
/// so a push and a pop cost O(1) amortised plus that — no comparisons against the other
/// items, which is where it beats a comparison heap.
///
/// Pushing a key below the floor is an [`ErrorKind::NotMonotone`] error, never a panic.
///
/// ```
/// use arsenal_heap::{MinQueue, RadixHeap};
///
/// let mut q = RadixHeap::new();
/// q.push(30, 'c')?;
/// q.push(10, 'a')?;
/// q.push(20, 'b')?;
/// assert_eq!(q.pop(), Some((10, 'a')));
/// assert!(q.push(5, 'x').is_err()); // below the floor, 10
/// q.push(10, 'd')?; // equal to the floor is fine
/// assert_eq!(q.pop(), Some((10, 'd')));
/// # Ok::<(), arsenal_heap::Error>(())
/// ```
pub struct RadixHeap<V> {
    floor: u64,
    len: usize,
    buckets: [Vec<(u64, V)>; BUCKETS],
}

/// The bucket of `key` for the floor `floor` (`key ≥ floor`).
#[inline(always)]
fn bucket(key: u64, floor: u64) -> usize {
    (64 - (key ^ floor).leading_zeros()) as usize
}

impl<V> RadixHeap<V> {
    /// An empty queue with floor 0.
    pub fn new() -> Self {
        RadixHeap {
            floor: 0,
            len: 0,
            buckets: std::array::from_fn(|_| Vec::new()),
        }
    }

    /// An empty queue that accepts keys from `floor` up.
    pub fn with_floor(floor: u64) -> Self {
        RadixHeap {
            floor,
            ..Self::new()
        }
    }

    /// The smallest key a push accepts: the last key popped (or the starting floor).
    pub fn floor(&self) -> u64 {
        self.floor
    }

    /// Removes every item and sets the floor to `floor`, keeping the buckets' memory.
    pub fn clear_to(&mut self, floor: u64) {
        for b in &mut self.buckets {
            b.clear();
        }
        self.len = 0;
        self.floor = floor;
    }

    /// Iterates over the items in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &V)> + '_ {
        self.buckets
            .iter()
            .flat_map(|b| b.iter().map(|(k, v)| (*k, v)))
    }

    /// Makes bucket 0 non-empty (if any item is left) by redistributing the lowest
    /// non-empty bucket around its minimum, the new floor.
    fn refill(&mut self) {
        if !self.buckets[0].is_empty() {
            return;
        }
        let Some(i) = (1..BUCKETS).find(|&i| !self.buckets[i].is_empty()) else {
            return;
        };
        let mut items = std::mem::take(&mut self.buckets[i]);
        let floor = items
            .iter()
            .map(|(k, _)| *k)
            .min()
            .expect("non-empty bucket");
        self.floor = floor;
        for (key, value) in items.drain(..) {
            // Every key of bucket i shares the bits above i - 1 with the old floor and
            // with the new one, so it lands in a bucket below i.
            self.buckets[bucket(key, floor)].push((key, value));
        }
        // Keep the emptied vector's memory for the next items of bucket i.
        self.buckets[i] = items;
    }
}

impl<V> MinQueue<V> for RadixHeap<V> {
    /// # Errors
    /// [`ErrorKind::NotMonotone`] when `key` is below [`floor`](RadixHeap::floor),
    /// [`ErrorKind::OutOfMemory`] when the allocator fails; the queue is unchanged.
    #[inline]
    fn push(&mut self, key: u64, value: V) -> Result<()> {
        if key < self.floor {
            return Err(Error::new(
                ErrorKind::NotMonotone,
                Backend::Radix.name(),
                format!("key {key} is below the last key popped, {}", self.floor),
            ));
        }
        let b = &mut self.buckets[bucket(key, self.floor)];
        if b.len() == b.capacity() {
            b.try_reserve(1).map_err(|e| {
                Error::new(ErrorKind::OutOfMemory, Backend::Radix.name(), e.to_string())
            })?;
        }
        b.push((key, value));
        self.len += 1;
        Ok(())
    }

    #[inline]
    fn pop(&mut self) -> Option<(u64, V)> {
        self.refill();
        let item = self.buckets[0].pop()?;
        self.len -= 1;
        Some(item)
    }

    fn peek_key(&self) -> Option<u64> {
        if !self.buckets[0].is_empty() {
            return Some(self.floor);
        }
        self.buckets
            .iter()
            .find(|b| !b.is_empty())
            .and_then(|b| b.iter().map(|(k, _)| *k).min())
    }

    fn len(&self) -> usize {
        self.len
    }

    /// Checks that `additional` more items are addressable; the memory itself is taken
    /// bucket by bucket as items arrive (which bucket an item lands in depends on its key
    /// and the floor at the time).
    fn reserve(&mut self, additional: usize) -> Result<()> {
        let total = self.len.checked_add(additional);
        let bytes = total.and_then(|n| n.checked_mul(std::mem::size_of::<(u64, V)>()));
        match bytes {
            Some(b) if b <= isize::MAX as usize => Ok(()),
            _ => Err(Error::new(
                ErrorKind::Capacity,
                Backend::Radix.name(),
                format!(
                    "{} + {additional} items exceed what a vector can address",
                    self.len
                ),
            )),
        }
    }

    /// Removes every item; the floor goes back to 0.
    fn clear(&mut self) {
        self.clear_to(0);
    }

    fn backend(&self) -> Backend {
        Backend::Radix
    }
}

impl<V> Default for RadixHeap<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V: Clone> Clone for RadixHeap<V> {
    fn clone(&self) -> Self {
        RadixHeap {
            floor: self.floor,
            len: self.len,
            buckets: self.buckets.clone(),
        }
    }
}

impl<V: fmt::Debug> fmt::Debug for RadixHeap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RadixHeap")
            .field("floor", &self.floor)
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}
