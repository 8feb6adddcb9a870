//! Queues and locks: [Concurrency Kit](https://github.com/concurrencykit/ck)'s ring
//! buffers, spinlocks and reader-writer lock behind small Rust traits and
//! [`lock_api`], plus two native Rust pieces where ck has no equivalent.
//!
//! | Type | Algorithm | Backend | Progress | When to use |
//! |------|-----------|---------|----------|-------------|
//! | [`spsc::channel`] | `ck_ring` SPSC | `ck` | wait-free | one producer thread, one consumer thread |
//! | [`spmc::channel`] | `ck_ring` SPMC | `ck` | producer wait-free, consumers lock-free | fan-out of work from one thread |
//! | [`mpsc::channel`] | `ck_ring` MPSC | `ck` | producers lock-free\*, consumer wait-free | bounded fan-in |
//! | [`mpmc::Queue`] | `ck_ring` MPMC | `ck` | consumers lock-free, producers lock-free\* | shared bounded work queue |
//! | [`unbounded_mpsc::channel`] | Vyukov intrusive MPSC list | native | push wait-free, pop blocking in a tiny window | fan-in that must never fail or drop |
//! | [`any_mpsc::channel`] | either MPSC queue above | chosen at run time by a [`Backend`] | the chosen queue's | fan-in whose backend is configuration |
//! | [`FasMutex`] | test-and-set spinlock | `ck` | blocking (spin) | tiny critical sections, low contention |
//! | [`TicketMutex`] | ticket spinlock (FIFO) | `ck` | blocking (spin), fair | fairness, threads ≤ cores |
//! | [`McsMutex`] | MCS queue spinlock (FIFO) | `ck` | blocking (spin), fair | contended, many cores |
//! | [`ClhMutex`] | CLH queue spinlock (FIFO) | `ck` | blocking (spin), fair | contended, many cores |
//! | [`CkRwLock`] | `ck_rwlock` | `ck` | blocking (spin), writer-preferring | read-mostly, short sections |
//! | [`FutexMutex`] | Drepper's futex mutex | native (Linux) | blocking (sleeps) | oversubscribed threads, longer sections |
//!
//! \* ck's multi-producer enqueue reserves a slot lock-free but then waits until earlier
//! reservations are published, so a producer preempted in between delays the others.
//!
//! # Queues
//!
//! [`Push`] and [`Pop`] are the queue traits; bounded queues also implement [`Bounded`].
//! `try_push` never waits and hands the value back when the queue is full; `try_pop`
//! returns `None` when the queue is empty. `push`/`pop` wait until they succeed by busy
//! waiting: a few spins with the CPU's pause hint, then `std::thread::yield_now`. They
//! never sleep and there is no disconnection: `pop` on a queue nobody pushes to waits
//! forever. Which ends may be shared is in the types: an SPSC [`spsc::Producer`] is
//! `Send` but neither `Clone` nor `Sync`, so two threads can never enqueue at once.
//!
//! ck rings store one pointer per slot. A value whose size and alignment fit a pointer
//! (`u64`, `Box<T>`, `Arc<T>`, `()`, ...) travels in the slot itself; a larger one is
//! boxed on push and unboxed on pop. A ring of `slots` slots (a power of two, from
//! [`MIN_SLOTS`] to [`MAX_SLOTS`]) holds up to `slots - 1` values (ck keeps one slot
//! empty); other slot counts are an [`ErrorKind::InvalidCapacity`] error. Values still
//! queued when the last handle goes are dropped.
//!
//! # Locks
//!
//! Each lock is a raw lock implementing `lock_api`'s `RawMutex` (`RawMutexFair` for the
//! FIFO ones; `RawRwLock` + `RawRwLockDowngrade` for [`RawCkRwLock`]), with a type alias
//! for the `lock_api` wrapper, so users get the familiar guard-based API:
//!
//! ```
//! # #[cfg(feature = "ck")]
//! # fn main() -> Result<(), arsenal_sync::Error> {
//! use arsenal_sync::{mpmc, McsMutex, Pop, Push};
//!
//! let queue = mpmc::Queue::<u64>::new(1024)?;
//! let total = McsMutex::new(0u64);
//! std::thread::scope(|s| {
//!     s.spawn(|| (1..=100).for_each(|i| queue.push(i)));
//!     s.spawn(|| {
//!         for _ in 0..100 {
//!             let value = queue.pop();
//!             *total.lock() += value;
//!         }
//!     });
//! });
//! assert_eq!(total.into_inner(), 5050);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "ck"))]
//! # fn main() {}
//! ```
//!
//! # Choosing a backend at run time
//!
//! The selectable unit is the multi-producer single-consumer queue, the one shape both
//! backends provide: [`Backend`] names them (`ck`: the bounded [`mpsc`] ring; `native`: the
//! unbounded [`unbounded_mpsc`] queue), [`Backend::for_strategy`] picks one for an
//! [`arsenal_core::Strategy`] with the benchmark row behind each choice (see [`Backend`]),
//! and [`any_mpsc::channel`] makes a queue on a `Backend` value. At compile time,
//! [`DefaultMpsc`] (an [`MpscQueue`]) names the same default. The other rings and the
//! locks are chosen by type, by what they guarantee (table above).
//!
//! ```
//! use arsenal_sync::{any_mpsc, Backend, DefaultMpsc, MpscQueue, Pop, Push};
//! use arsenal_core::Strategy;
//!
//! let (tx, rx) = any_mpsc::channel::<&str>(Backend::for_strategy(Strategy::Latency), 64)?;
//! tx.push("hello");
//! assert_eq!(rx.pop(), "hello");
//! let (tx, rx) = DefaultMpsc::channel::<u8>(64)?;
//! tx.push(1);
//! assert_eq!((rx.pop(), DefaultMpsc::BACKEND), (1, Backend::available()[0]));
//! # Ok::<(), arsenal_sync::Error>(())
//! ```
//!
//! # Features
//!
//! `ck` (default) enables the Concurrency Kit types. The native pieces are always
//! built. Library authors should depend with `default-features = false` and enable
//! what they use.
#![warn(missing_docs)]
// The backend table links the `ck` types, absent without the feature.
#![cfg_attr(not(feature = "ck"), allow(rustdoc::broken_intra_doc_links))]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod any_mpsc;
mod error;
mod select;

/// One module per backend.
pub mod backend {
    #[cfg(feature = "ck")]
    pub mod ck;
    pub mod native;
}

/// Seals [`MpscQueue`]: implemented by this crate's backends only, so `BACKEND` is true.
mod sealed {
    pub trait Sealed {}
}

#[cfg(feature = "ck")]
pub use backend::ck::lock::{
    CkRwLock, ClhGuard, ClhMutex, FasMutex, McsGuard, McsMutex, RawCkRwLock, RawClh, RawFas,
    RawMcs, RawTicket, TicketMutex,
};
#[cfg(feature = "ck")]
pub use backend::ck::ring::{mpmc, mpsc, spmc, spsc};
#[cfg(target_os = "linux")]
pub use backend::native::futex::{FutexMutex, RawFutex};
pub use backend::native::mpsc as unbounded_mpsc;
pub use error::{Error, ErrorKind, Result};
/// The `lock_api` version the raw locks implement (`lock_api::Mutex`, guards, traits).
pub use lock_api;
pub use select::Backend;

/// Smallest slot count of a ck ring.
pub const MIN_SLOTS: usize = 4;
/// Largest slot count of a ck ring (ck's counters are 32-bit).
pub const MAX_SLOTS: usize = 1 << 31;

/// A multi-producer single-consumer queue implementation, chosen at compile time (its
/// run-time counterparts are [`Backend`] and [`any_mpsc`]): ck's bounded ring
/// ([`CkMpsc`](backend::ck::CkMpsc), feature `ck`) or the native unbounded queue
/// ([`NativeMpsc`](backend::native::NativeMpsc)). Producers are `Clone` and `Sync`, the
/// consumer is `Send` only, for `T: Send`.
///
/// ```
/// use arsenal_sync::{DefaultMpsc, MpscQueue, Pop, Push};
///
/// fn fan_in<Q: MpscQueue>() -> arsenal_sync::Result<u64> {
///     let (tx, rx) = Q::channel::<u64>(256)?;
///     std::thread::scope(|s| {
///         for t in 0..4 {
///             let tx = tx.clone();
///             s.spawn(move || (1..=10).for_each(|i| tx.push(t * 10 + i)));
///         }
///     });
///     Ok(std::iter::from_fn(|| rx.try_pop()).sum())
/// }
/// assert_eq!(fan_in::<DefaultMpsc>()?, 820);
/// # Ok::<(), arsenal_sync::Error>(())
/// ```
pub trait MpscQueue: sealed::Sealed {
    /// Which backend this is.
    const BACKEND: Backend;
    /// A producing end (clone it for more producers).
    type Producer<T: Send>: Push<T> + Clone + Send + Sync;
    /// The consuming end.
    type Consumer<T: Send>: Pop<T> + Send;

    /// A new queue; `slots` sizes a bounded backend's ring (ck: a power of two from
    /// [`MIN_SLOTS`] to [`MAX_SLOTS`], holding `slots - 1` values), the unbounded native
    /// queue does not use it.
    ///
    /// # Errors
    /// The ring's [`ErrorKind::InvalidCapacity`] / [`ErrorKind::Allocation`] errors.
    fn channel<T: Send>(slots: usize) -> Result<(Self::Producer<T>, Self::Consumer<T>)>;
}

/// The MPSC queue of this build: ck's ring (feature `ck`), else the native queue. The
/// same priority as `Backend::available()`, whose first entry is its
/// [`BACKEND`](MpscQueue::BACKEND).
#[cfg(feature = "ck")]
pub type DefaultMpsc = backend::ck::CkMpsc;
/// The MPSC queue of this build: ck's ring (feature `ck`), else the native queue. The
/// same priority as `Backend::available()`, whose first entry is its
/// [`BACKEND`](MpscQueue::BACKEND).
#[cfg(not(feature = "ck"))]
pub type DefaultMpsc = backend::native::NativeMpsc;

/// Busy-waits for `attempt` to succeed: spins with the pause hint, then yields the CPU.
#[inline]
fn wait_for<R>(mut attempt: impl FnMut() -> Option<R>) -> R {
    let mut round = 0u32;
    loop {
        if let Some(done) = attempt() {
            return done;
        }
        if round < 6 {
            for _ in 0..(1u32 << round) {
                std::hint::spin_loop();
            }
            round += 1;
        } else {
            std::thread::yield_now();
        }
    }
}

/// The producing side of a queue.
pub trait Push<T> {
    /// Enqueues `value` without waiting; a full queue hands it back as `Err(value)`.
    fn try_push(&self, value: T) -> Result<(), T>;

    /// Enqueues `value`, busy-waiting (spin, then yield) while the queue is full.
    #[inline]
    fn push(&self, value: T) {
        let mut value = Some(value);
        wait_for(|| match self.try_push(value.take()?) {
            Ok(()) => Some(()),
            Err(back) => {
                value = Some(back);
                None
            }
        })
    }
}

/// The consuming side of a queue.
pub trait Pop<T> {
    /// Dequeues the oldest value without waiting; `None` when the queue is empty.
    fn try_pop(&self) -> Option<T>;

    /// Dequeues the oldest value, busy-waiting (spin, then yield) while the queue is
    /// empty. There is no disconnection: it waits forever if nobody pushes.
    #[inline]
    fn pop(&self) -> T {
        wait_for(|| self.try_pop())
    }
}

/// A queue with a fixed capacity.
pub trait Bounded {
    /// How many values the queue holds at most.
    fn capacity(&self) -> usize;

    /// How many values it holds now (a snapshot under concurrency).
    fn len(&self) -> usize;

    /// Whether it holds no values now (a snapshot under concurrency).
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T, Q: Push<T> + ?Sized> Push<T> for &Q {
    fn try_push(&self, value: T) -> Result<(), T> {
        (**self).try_push(value)
    }
    fn push(&self, value: T) {
        (**self).push(value)
    }
}

impl<T, Q: Pop<T> + ?Sized> Pop<T> for &Q {
    fn try_pop(&self) -> Option<T> {
        (**self).try_pop()
    }
    fn pop(&self) -> T {
        (**self).pop()
    }
}

impl<T, Q: Push<T> + ?Sized> Push<T> for std::sync::Arc<Q> {
    fn try_push(&self, value: T) -> Result<(), T> {
        (**self).try_push(value)
    }
    fn push(&self, value: T) {
        (**self).push(value)
    }
}

impl<T, Q: Pop<T> + ?Sized> Pop<T> for std::sync::Arc<Q> {
    fn try_pop(&self) -> Option<T> {
        (**self).try_pop()
    }
    fn pop(&self) -> T {
        (**self).pop()
    }
}

impl<Q: Bounded + ?Sized> Bounded for std::sync::Arc<Q> {
    fn capacity(&self) -> usize {
        (**self).capacity()
    }
    fn len(&self) -> usize {
        (**self).len()
    }
}
