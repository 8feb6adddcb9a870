//! [`DaryQueue`]: the [`MinQueue`] over a [`DaryHeap`].

use std::cmp::Ordering;
use std::fmt;

use crate::{Backend, DaryHeap, Error, ErrorKind, MinQueue, Result};

/// An item of a [`DaryQueue`]: ordered by key alone, smallest greatest (so that the
/// max-heap pops the smallest key).
#[derive(Clone, Debug)]
struct Entry<V> {
    key: u64,
    value: V,
}

impl<V> PartialEq for Entry<V> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl<V> Eq for Entry<V> {}

impl<V> PartialOrd for Entry<V> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<V> Ord for Entry<V> {
    #[inline(always)]
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

/// A min-priority queue of `(u64 key, V)` items over a [`DaryHeap`] with `D` children
/// per node (4 by default): any order of keys, O(log_D n) per push and pop. Items with
/// equal keys come out in no particular order.
///
/// ```
/// use arsenal_heap::{DaryQueue, MinQueue};
///
/// let mut q = DaryQueue::<&str>::new();
/// q.push(3, "c")?;
/// q.push(1, "a")?;
/// assert_eq!(q.pop(), Some((1, "a")));
/// q.push(0, "z")?; // any key, unlike the radix heap
/// assert_eq!(q.pop(), Some((0, "z")));
/// # Ok::<(), arsenal_heap::Error>(())
/// ```
pub struct DaryQueue<V, const D: usize = 4> {
    heap: DaryHeap<Entry<V>, D>,
}

impl<V, const D: usize> DaryQueue<V, D> {
    /// An empty queue.
    pub fn new() -> Self {
        DaryQueue {
            heap: DaryHeap::new(),
        }
    }

    /// An empty queue with room for `capacity` items.
    pub fn with_capacity(capacity: usize) -> Self {
        DaryQueue {
            heap: DaryHeap::with_capacity(capacity),
        }
    }

    /// Iterates over the items in heap order (the first has the smallest key).
    pub fn iter(&self) -> impl Iterator<Item = (u64, &V)> + '_ {
        self.heap.iter().map(|e| (e.key, &e.value))
    }
}

impl<V, const D: usize> MinQueue<V> for DaryQueue<V, D> {
    /// # Errors
    /// [`ErrorKind::OutOfMemory`] when the allocator fails; the queue is unchanged.
    #[inline]
    fn push(&mut self, key: u64, value: V) -> Result<()> {
        if self.heap.len() == self.heap.capacity() {
            self.heap.try_reserve(1).map_err(|e| reserve_error(&e))?;
        }
        self.heap.push(Entry { key, value });
        Ok(())
    }

    #[inline]
    fn pop(&mut self) -> Option<(u64, V)> {
        self.heap.pop().map(|e| (e.key, e.value))
    }

    fn peek_key(&self) -> Option<u64> {
        self.heap.peek().map(|e| e.key)
    }

    fn len(&self) -> usize {
        self.heap.len()
    }

    fn reserve(&mut self, additional: usize) -> Result<()> {
        self.heap
            .try_reserve(additional)
            .map_err(|e| reserve_error(&e))
    }

    fn clear(&mut self) {
        self.heap.clear();
    }

    fn backend(&self) -> Backend {
        Backend::Dary4
    }
}

/// `Capacity` when the size overflows, `OutOfMemory` when the allocator failed
/// (`TryReserveError::kind` is unstable: told apart by std's message).
fn reserve_error(err: &std::collections::TryReserveError) -> Error {
    let text = err.to_string();
    let kind = if text.contains("capacity exceeded") || text.contains("capacity overflow") {
        ErrorKind::Capacity
    } else {
        ErrorKind::OutOfMemory
    };
    Error::new(kind, Backend::Dary4.name(), text)
}

impl<V, const D: usize> Default for DaryQueue<V, D> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V: Clone, const D: usize> Clone for DaryQueue<V, D> {
    fn clone(&self) -> Self {
        DaryQueue {
            heap: self.heap.clone(),
        }
    }
}

impl<V: fmt::Debug, const D: usize> fmt::Debug for DaryQueue<V, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<V, const D: usize> FromIterator<(u64, V)> for DaryQueue<V, D> {
    /// Builds the heap in O(n).
    fn from_iter<I: IntoIterator<Item = (u64, V)>>(iter: I) -> Self {
        DaryQueue {
            heap: iter
                .into_iter()
                .map(|(key, value)| Entry { key, value })
                .collect(),
        }
    }
}
