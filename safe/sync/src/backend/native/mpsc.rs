//! Unbounded multi-producer single-consumer queue: Dmitry Vyukov's intrusive MPSC node
//! queue, one heap node per value.
//!
//! Native Rust because ck has nothing equivalent: `ck_ring` is bounded, and
//! `ck_fifo_mpmc` needs caller-managed nodes plus a safe memory reclamation scheme
//! (`ck_epoch`/`ck_hp`) before a node may be freed. With a single consumer no
//! reclamation scheme is needed: only the consumer frees nodes.
//!
//! Progress: `push` is wait-free (one swap, one store). `pop` is wait-free except in the
//! window where a producer has swapped itself in but not yet linked its node; the
//! consumer then spins until the link appears (the queue is not linearizable as
//! lock-free in that window, which is the design's known trade-off).
//!
//! The algorithm is model-checked with [loom](https://docs.rs/loom) (`tests/loom_mpsc.rs`,
//! run with `RUSTFLAGS="--cfg loom" cargo test -p arsenal-sync --release --test
//! loom_mpsc`): under `cfg(loom)` this module uses loom's atomics, cells and `Arc`.
use std::fmt;
use std::mem::MaybeUninit;
use std::ptr;

#[cfg(loom)]
use loom::{
    cell::UnsafeCell,
    sync::atomic::{AtomicPtr, Ordering},
    sync::Arc,
};
#[cfg(not(loom))]
use std::sync::{
    atomic::{AtomicPtr, Ordering},
    Arc,
};

use crate::{Pop, Push};

/// `std::cell::UnsafeCell` with loom's closure-based access API.
#[cfg(not(loom))]
struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    fn new(value: T) -> Self {
        UnsafeCell(std::cell::UnsafeCell::new(value))
    }

    #[inline]
    fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

/// Waiting for a producer to link its node.
#[inline]
fn spin() {
    #[cfg(loom)]
    loom::thread::yield_now();
    #[cfg(not(loom))]
    std::hint::spin_loop();
}

struct Node<T> {
    next: AtomicPtr<Node<T>>,
    value: UnsafeCell<MaybeUninit<T>>,
}

impl<T> Node<T> {
    fn boxed(value: MaybeUninit<T>) -> *mut Node<T> {
        Box::into_raw(Box::new(Node {
            next: AtomicPtr::new(ptr::null_mut()),
            value: UnsafeCell::new(value),
        }))
    }
}

struct Inner<T> {
    /// Most recently pushed node (producers swap themselves in here).
    head: AtomicPtr<Node<T>>,
    /// The stub: the node before the oldest value; only the consumer touches it.
    tail: UnsafeCell<*mut Node<T>>,
}

impl<T> Inner<T> {
    fn new() -> Self {
        let stub = Node::boxed(MaybeUninit::uninit());
        Inner {
            head: AtomicPtr::new(stub),
            tail: UnsafeCell::new(stub),
        }
    }

    fn push(&self, value: T) {
        let node = Node::boxed(MaybeUninit::new(value));
        let previous = self.head.swap(node, Ordering::AcqRel);
        // SAFETY: `previous` is a live node: nodes are freed only by the consumer after
        // it has moved past them, which needs this link first.
        unsafe { (*previous).next.store(node, Ordering::Release) };
    }

    /// # Safety
    ///
    /// Only one thread at a time may call it (the single consumer).
    unsafe fn pop(&self) -> Option<T> {
        // SAFETY: the consumer is the only one touching `tail` (caller's contract).
        let tail = self.tail.with_mut(|tail| unsafe { *tail });
        loop {
            // SAFETY: `tail` is the live stub node.
            let next = unsafe { (*tail).next.load(Ordering::Acquire) };
            if !next.is_null() {
                // SAFETY: `next` is published (Acquire above pairs with the producer's
                // Release) and holds a value nobody has taken; it becomes the new stub,
                // whose value counts as moved out. The old stub is unreachable now:
                // producers only touch `head`'s node, which is not `tail` here.
                let value = unsafe {
                    self.tail.with_mut(|slot| *slot = next);
                    let value = (*next).value.with_mut(|value| (*value).assume_init_read());
                    drop(Box::from_raw(tail));
                    value
                };
                return Some(value);
            }
            if self.head.load(Ordering::Acquire) == tail {
                return None;
            }
            // A producer swapped itself in but has not linked its node yet.
            spin();
        }
    }
}

impl<T> Drop for Inner<T> {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: no other handle exists, we are the only consumer.
        while let Some(value) = unsafe { self.pop() } {
            drop(value);
        }
        // SAFETY: the remaining stub came from `Box::into_raw`; its value was moved out
        // (or never set).
        self.tail
            .with_mut(|tail| drop(unsafe { Box::from_raw(*tail) }));
    }
}

/// Creates an unbounded MPSC queue: any number of (cloneable, shareable) producers, one
/// consumer.
///
/// ```
/// use arsenal_sync::{unbounded_mpsc, Pop, Push};
/// let (tx, rx) = unbounded_mpsc::channel();
/// std::thread::scope(|s| {
///     for t in 0..3u64 {
///         let tx = tx.clone();
///         s.spawn(move || (0..1000).for_each(|i| tx.push(t * 1000 + i)));
///     }
/// });
/// assert_eq!(std::iter::from_fn(|| rx.try_pop()).count(), 3000);
/// ```
pub fn channel<T>() -> (Producer<T>, Consumer<T>) {
    let inner = Arc::new(Inner::new());
    (
        Producer {
            inner: inner.clone(),
        },
        Consumer { inner },
    )
}

/// A producing end: clone it, share it; `try_push` never fails.
pub struct Producer<T> {
    inner: Arc<Inner<T>>,
}

/// The consuming end: one thread at a time (`Send`, neither `Clone` nor `Sync`).
pub struct Consumer<T> {
    inner: Arc<Inner<T>>,
}

impl<T> Clone for Producer<T> {
    fn clone(&self) -> Self {
        Producer {
            inner: self.inner.clone(),
        }
    }
}

// SAFETY: producers only swap `head` and link nodes atomically, from any thread; values
// move to the consumer's thread, so `T: Send`.
unsafe impl<T: Send> Send for Producer<T> {}
// SAFETY: concurrent `push` through `&Producer` is the multi-producer case the algorithm
// is for; no `&T` is shared.
unsafe impl<T: Send> Sync for Producer<T> {}
// SAFETY: the consumer is the only handle that touches `tail`; being `!Sync` and
// `!Clone`, one thread at a time uses it. Values arrive from other threads: `T: Send`.
unsafe impl<T: Send> Send for Consumer<T> {}

impl<T> Push<T> for Producer<T> {
    #[inline]
    fn try_push(&self, value: T) -> Result<(), T> {
        self.inner.push(value);
        Ok(())
    }

    #[inline]
    fn push(&self, value: T) {
        self.inner.push(value);
    }
}

impl<T> Pop<T> for Consumer<T> {
    #[inline]
    fn try_pop(&self) -> Option<T> {
        // SAFETY: this handle is the single consumer (see its `Send` impl).
        unsafe { self.inner.pop() }
    }
}

impl<T> fmt::Debug for Producer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("unbounded_mpsc::Producer")
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Consumer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("unbounded_mpsc::Consumer")
            .finish_non_exhaustive()
    }
}
