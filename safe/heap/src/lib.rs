//! Priority queues in native Rust: a d-ary heap and a monotone radix heap.
//!
//! | type | what | keys | push / pop |
//! |---|---|---|---|
//! | [`DaryHeap<T, D>`](DaryHeap) | max-heap of any `Ord` type, `D` children per node (4 by default); std `BinaryHeap`'s API | any `Ord` | O(log_D n) |
//! | [`DaryQueue<V, D>`](DaryQueue) | min-queue of `(u64, V)` over a `DaryHeap` | any order | O(log_D n) |
//! | [`RadixHeap<V>`](RadixHeap) | monotone min-queue of `(u64, V)` (Ahuja et al. 1990) | never below the last key popped | O(1) amortised + ≤ 64 moves per item |
//!
//! No C library fits: the fast priority queues are C++ templates (Boost.Heap) whose
//! value is the algorithm, not a binary, so these are our own, measured in the matrix's
//! `heap` rows against std's `BinaryHeap` and the `dary_heap` and `radix-heap` crates
//! (`docs/heap.md` has the numbers).
//!
//! [`MinQueue`] is the one trait of the domain: `push(key, value)`, `pop()` → the item
//! with the smallest key. Pushes return an [`Error`] instead of aborting when the
//! allocator fails, and the radix heap's ordering rule is an error
//! ([`ErrorKind::NotMonotone`]), not a panic.
//!
//! ```
//! use arsenal_heap::{Backend, MinQueue};
//!
//! // Dijkstra's algorithm on a small graph, with whichever queue the caller picks.
//! let edges: &[&[(usize, u64)]] = &[&[(1, 4), (2, 1)], &[(3, 1)], &[(1, 2), (3, 5)], &[]];
//! for backend in Backend::available() {
//!     let mut queue = backend.queue::<usize>();
//!     let mut dist = vec![u64::MAX; edges.len()];
//!     dist[0] = 0;
//!     queue.push(0, 0)?;
//!     while let Some((d, node)) = queue.pop() {
//!         if d > dist[node] {
//!             continue;
//!         }
//!         for &(next, w) in edges[node] {
//!             if d + w < dist[next] {
//!                 dist[next] = d + w;
//!                 queue.push(d + w, next)?;
//!             }
//!         }
//!     }
//!     assert_eq!(dist, [0, 3, 1, 4]);
//! }
//! # Ok::<(), arsenal_heap::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod dary;
mod queue;
mod radix;

pub use dary::DaryHeap;
pub use queue::DaryQueue;
pub use radix::RadixHeap;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// More items than a vector can address (`reserve(usize::MAX)`); the queue is
    /// unchanged.
    Capacity,
    /// The allocator failed; the queue is unchanged.
    OutOfMemory,
    /// A [`RadixHeap`] was given a key below the last key it popped; the queue is
    /// unchanged.
    NotMonotone,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Capacity => "capacity beyond what a vector can address",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::NotMonotone => "key below the last key popped from a monotone queue",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Capacity | ErrorKind::NotMonotone => std::io::ErrorKind::InvalidInput,
            ErrorKind::OutOfMemory => std::io::ErrorKind::OutOfMemory,
        }
    }
}

/// An error from `arsenal-heap` (the shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A min-priority queue of items `(key, value)` with `u64` keys: [`pop`](MinQueue::pop)
/// returns an item with the smallest key (equal keys in no particular order). Object
/// safe: [`Backend::queue`] returns a `Box<dyn MinQueue<V>>`.
pub trait MinQueue<V> {
    /// Adds an item.
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`] when the allocator fails, and for a [`RadixHeap`]
    /// [`ErrorKind::NotMonotone`] when `key` is below the last key popped; the queue is
    /// unchanged either way.
    fn push(&mut self, key: u64, value: V) -> Result<()>;
    /// Removes an item with the smallest key.
    fn pop(&mut self) -> Option<(u64, V)>;
    /// The smallest key.
    fn peek_key(&self) -> Option<u64>;
    /// The number of items.
    fn len(&self) -> usize;
    /// Whether the queue is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Makes room for `additional` more items.
    ///
    /// # Errors
    /// [`ErrorKind::Capacity`] when `len() + additional` items exceed what a vector can
    /// address (including any overflow), [`ErrorKind::OutOfMemory`] when the allocation
    /// fails; the queue is unchanged either way.
    fn reserve(&mut self, additional: usize) -> Result<()>;
    /// Removes every item (the memory may be kept).
    fn clear(&mut self);
    /// Which backend this is.
    fn backend(&self) -> Backend;
}

impl<V, Q: MinQueue<V> + ?Sized> MinQueue<V> for Box<Q> {
    fn push(&mut self, key: u64, value: V) -> Result<()> {
        (**self).push(key, value)
    }
    fn pop(&mut self) -> Option<(u64, V)> {
        (**self).pop()
    }
    fn peek_key(&self) -> Option<u64> {
        (**self).peek_key()
    }
    fn len(&self) -> usize {
        (**self).len()
    }
    fn reserve(&mut self, additional: usize) -> Result<()> {
        (**self).reserve(additional)
    }
    fn clear(&mut self) {
        (**self).clear()
    }
    fn backend(&self) -> Backend {
        (**self).backend()
    }
}

arsenal_core::backends! {
    /// The priority queues this crate has (native Rust, always built).
    domain = "heap";
    pub enum Backend {
        /// [`DaryQueue`] with 4 children per node: any key order.
        Dary4 = "dary4",
        /// [`RadixHeap`]: keys never below the last key popped.
        Radix = "radix",
    }
}

impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        Backend::ALL.to_vec()
    }

    /// Every strategy gets the d-ary queue: the radix heap is faster on the monotone
    /// rows but refuses keys below its floor, a contract a strategy must not switch under
    /// a caller. Choose [`Backend::Radix`] by name where keys are monotone.
    fn for_strategy(_strategy: arsenal_core::Strategy) -> Backend {
        Backend::Dary4
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            Latency | Throughput | MaximalSpeed => Some("heap/sort/u64-1e6"),
            MinimalMemory => Some("heap/memory/u64-1e6"),
        }
    }
}

impl Backend {
    /// An empty queue of this backend.
    pub fn queue<V: Send + 'static>(self) -> Box<dyn MinQueue<V> + Send> {
        match self {
            Backend::Dary4 => Box::new(DaryQueue::<V, 4>::new()),
            Backend::Radix => Box::new(RadixHeap::<V>::new()),
        }
    }

    /// Whether this queue accepts keys below the last key popped.
    pub const fn any_key_order(self) -> bool {
        matches!(self, Backend::Dary4)
    }
}

/// The queue most users want: [`DaryQueue`] with 4 children per node.
pub type DefaultQueue<V> = DaryQueue<V, 4>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_backend_sorts() {
        for backend in Backend::available() {
            let mut q = backend.queue::<u32>();
            assert_eq!(q.backend(), backend);
            let mut x = 12345u64;
            let mut keys = Vec::new();
            for i in 0..10_000u32 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let key = x >> (x % 64);
                keys.push(key);
                q.push(key, i).unwrap();
            }
            keys.sort_unstable();
            assert_eq!(q.peek_key(), Some(keys[0]));
            let popped: Vec<u64> = std::iter::from_fn(|| q.pop().map(|(k, _)| k)).collect();
            assert_eq!(popped, keys);
            assert!(q.is_empty());
            assert_eq!(
                q.reserve(usize::MAX).unwrap_err().kind(),
                ErrorKind::Capacity
            );
            q.clear();
            q.push(u64::MAX, 1).unwrap();
            q.push(0, 2).unwrap();
            assert_eq!(q.pop(), Some((0, 2)));
            assert_eq!(q.pop(), Some((u64::MAX, 1)));
            if !backend.any_key_order() {
                let err = q.push(7, 0).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::NotMonotone);
                assert!(q.is_empty());
            }
        }
    }
}
