//! Concurrency Kit's `ck_ring`: bounded, array-based rings of pointer-sized slots.
//!
//! One private `Ring<T>` holds the ck ring and its slots; the public handle types of
//! each flavour decide who may call which ck function, so an SPSC ring cannot be pushed
//! to from two threads at once (its producer is neither `Clone` nor `Sync`).
use std::cell::UnsafeCell;
use std::ffi::c_void;
use std::marker::PhantomData;
use std::mem::{align_of, size_of, MaybeUninit};
use std::sync::Arc;

use arsenal_ck_sys as sys;

use crate::{Bounded, Error, ErrorKind, Pop, Push, Result, MAX_SLOTS, MIN_SLOTS};

/// Whether `T` travels in the slot itself (`true`) or boxed, as the slot's pointer.
const fn is_inline<T>() -> bool {
    size_of::<T>() <= size_of::<*mut c_void>() && align_of::<T>() <= align_of::<*mut c_void>()
}

/// Turns a value into the bytes of one slot: the value itself when it fits in a pointer,
/// else a `Box` pointer. `MaybeUninit` because an inline value may leave bytes unset.
#[inline]
fn encode<T>(value: T) -> MaybeUninit<*mut c_void> {
    if is_inline::<T>() {
        let mut slot = MaybeUninit::<*mut c_void>::uninit();
        // SAFETY: `T` fits in the slot's size and alignment (checked by `is_inline`).
        unsafe { slot.as_mut_ptr().cast::<T>().write(value) };
        slot
    } else {
        MaybeUninit::new(Box::into_raw(Box::new(value)).cast())
    }
}

/// Inverse of [`encode`].
///
/// # Safety
///
/// `slot` must hold bytes produced by `encode::<T>` that have not been decoded before.
#[inline]
unsafe fn decode<T>(slot: MaybeUninit<*mut c_void>) -> T {
    if is_inline::<T>() {
        // SAFETY: `encode` wrote a valid `T` at the start of the slot (caller's contract);
        // the slot's bytes were copied unchanged by ck.
        unsafe { slot.as_ptr().cast::<T>().read() }
    } else {
        // SAFETY: `encode` stored a pointer from `Box::into_raw`, decoded only once.
        unsafe { *Box::from_raw(slot.assume_init().cast::<T>()) }
    }
}

/// Checks a slot count: a power of two in `MIN_SLOTS..=MAX_SLOTS`.
fn check_slots(slots: usize) -> Result<u32> {
    if !(MIN_SLOTS..=MAX_SLOTS).contains(&slots) || !slots.is_power_of_two() {
        return Err(Error::new(
            ErrorKind::InvalidCapacity,
            "ck",
            format!(
                "ck_ring needs a power-of-two slot count in {MIN_SLOTS}..={MAX_SLOTS}, got {slots}"
            ),
        ));
    }
    // The range check keeps it within u32.
    Ok(slots as u32)
}

/// The ring's counters, cache-line aligned so they do not share a line with the `Arc`'s
/// reference counts.
#[repr(C, align(64))]
struct Counters(UnsafeCell<sys::ck_ring_t>);

/// A ck ring and its slots. Not `Sync`: the handle types say which ck calls may race.
struct Ring<T> {
    ring: Counters,
    slots: Box<[UnsafeCell<sys::ck_ring_buffer_t>]>,
    _owns: PhantomData<T>,
}

impl<T> Ring<T> {
    fn new(slots: usize) -> Result<Ring<T>> {
        let size = check_slots(slots)?;
        let ring = Counters(UnsafeCell::new(sys::ck_ring_t::ZEROED));
        // SAFETY: the ring is writable and `size` a power of two.
        unsafe { sys::arsenal_ck_ring_init(ring.0.get(), size) };
        let mut buffer = Vec::new();
        buffer.try_reserve_exact(slots).map_err(|err| {
            Error::new(
                ErrorKind::Allocation,
                "ck",
                format!("cannot allocate {slots} ring slots: {err}"),
            )
        })?;
        buffer.extend((0..slots).map(|_| {
            UnsafeCell::new(sys::ck_ring_buffer_t {
                value: std::ptr::null_mut(),
            })
        }));
        let slots = buffer.into_boxed_slice();
        Ok(Ring {
            ring,
            slots,
            _owns: PhantomData,
        })
    }

    fn buffer(&self) -> *mut sys::ck_ring_buffer_t {
        // `UnsafeCell` is `repr(transparent)` and grants write access through `&self`.
        self.slots.as_ptr().cast_mut().cast()
    }

    fn capacity(&self) -> usize {
        self.slots.len() - 1
    }

    fn len(&self) -> usize {
        // SAFETY: the ring is initialised; `ck_ring_size` only loads its counters.
        unsafe { sys::arsenal_ck_ring_size(self.ring.0.get()) as usize }
    }

    /// # Safety
    ///
    /// `enqueue` must be a ck enqueue function whose producer rule the caller obeys.
    #[inline]
    unsafe fn push(&self, enqueue: sys::RingEnqueueFn, value: T) -> Result<(), T> {
        let slot = encode(value);
        // SAFETY: ring and buffer belong together and live as long as `self`; the entry
        // is read through its address as one slot of bytes (the shim's convention).
        let ok = unsafe { enqueue(self.ring.0.get(), self.buffer(), slot.as_ptr().cast()) };
        if ok {
            Ok(())
        } else {
            // SAFETY: the ring was full and did not take the entry: it is still ours.
            Err(unsafe { decode(slot) })
        }
    }

    /// # Safety
    ///
    /// `dequeue` must be a ck dequeue function whose consumer rule the caller obeys.
    #[inline]
    unsafe fn pop(&self, dequeue: sys::RingDequeueFn) -> Option<T> {
        let mut slot = MaybeUninit::<*mut c_void>::uninit();
        // SAFETY: as in `push`; ck writes one slot's bytes into `slot` when it returns true.
        let ok = unsafe { dequeue(self.ring.0.get(), self.buffer(), slot.as_mut_ptr().cast()) };
        // SAFETY: a successful dequeue hands this consumer a slot enqueued by `push`.
        ok.then(|| unsafe { decode(slot) })
    }
}

impl<T> Drop for Ring<T> {
    fn drop(&mut self) {
        // SAFETY: `&mut self`: no other handle exists, so a single-consumer dequeue is
        // allowed whatever the flavour.
        while let Some(value) = unsafe { self.pop(sys::arsenal_ck_ring_dequeue_spsc) } {
            drop(value);
        }
    }
}

/// Blocking helpers shared by the handles (see [`Push::push`]).
macro_rules! bounded_impl {
    ($ty:ident) => {
        impl<T> Bounded for $ty<T> {
            fn capacity(&self) -> usize {
                self.ring.capacity()
            }
            fn len(&self) -> usize {
                self.ring.len()
            }
        }
    };
}

macro_rules! push_impl {
    ($ty:ident, $enqueue:ident) => {
        impl<T> Push<T> for $ty<T> {
            #[inline]
            fn try_push(&self, value: T) -> Result<(), T> {
                // SAFETY: see the handle's `Send`/`Sync` impls: the flavour's producer
                // rule holds for this handle.
                unsafe { self.ring.push(sys::$enqueue, value) }
            }
        }
    };
}

macro_rules! pop_impl {
    ($ty:ident, $dequeue:ident) => {
        impl<T> Pop<T> for $ty<T> {
            #[inline]
            fn try_pop(&self) -> Option<T> {
                // SAFETY: see the handle's `Send`/`Sync` impls: the flavour's consumer
                // rule holds for this handle.
                unsafe { self.ring.pop(sys::$dequeue) }
            }
        }
    };
}

macro_rules! handle_debug {
    ($ty:ident, $name:literal) => {
        impl<T> std::fmt::Debug for $ty<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct($name)
                    .field("capacity", &self.ring.capacity())
                    .field("len", &self.ring.len())
                    .finish()
            }
        }
    };
}

/// Single-producer single-consumer ring (`ck_ring_*_spsc`): wait-free on both sides.
pub mod spsc {
    use super::*;

    /// Creates an SPSC ring of `slots` slots (a power of two, at least 4), holding up to
    /// `slots - 1` values.
    ///
    /// ```
    /// use arsenal_sync::{spsc, Pop, Push};
    /// let (tx, rx) = spsc::channel::<u32>(4)?;
    /// std::thread::spawn(move || (0..10).for_each(|i| tx.push(i)));
    /// assert_eq!((0..10).map(|_| rx.pop()).collect::<Vec<_>>(), (0..10).collect::<Vec<_>>());
    /// assert!(spsc::channel::<u32>(6).is_err());
    /// # Ok::<(), arsenal_sync::Error>(())
    /// ```
    pub fn channel<T>(slots: usize) -> Result<(Producer<T>, Consumer<T>)> {
        let ring = Arc::new(Ring::new(slots)?);
        Ok((Producer { ring: ring.clone() }, Consumer { ring }))
    }

    /// The producing end: one thread at a time (`Send`, neither `Clone` nor `Sync`).
    pub struct Producer<T> {
        ring: Arc<Ring<T>>,
    }
    /// The consuming end: one thread at a time (`Send`, neither `Clone` nor `Sync`).
    pub struct Consumer<T> {
        ring: Arc<Ring<T>>,
    }
    // SAFETY: the producer moves `T`s to another thread, so `T: Send`; it is the only
    // handle that enqueues, and being `!Sync` and `!Clone` only one thread can use it at a
    // time: ck's single-producer rule. The ring itself only holds `T`s it owns.
    unsafe impl<T: Send> Send for Producer<T> {}
    // SAFETY: as for `Producer`, with ck's single-consumer rule.
    unsafe impl<T: Send> Send for Consumer<T> {}

    push_impl!(Producer, arsenal_ck_ring_enqueue_spsc);
    pop_impl!(Consumer, arsenal_ck_ring_dequeue_spsc);
    bounded_impl!(Producer);
    bounded_impl!(Consumer);
    handle_debug!(Producer, "spsc::Producer");
    handle_debug!(Consumer, "spsc::Consumer");
}

/// Single-producer multi-consumer ring (`ck_ring_*_spmc`): wait-free producer,
/// lock-free consumers.
pub mod spmc {
    use super::*;

    /// Creates an SPMC ring of `slots` slots (a power of two, at least 4), holding up to
    /// `slots - 1` values. Clone the [`Consumer`] for more consumers.
    ///
    /// ```
    /// use arsenal_sync::{spmc, Pop, Push};
    /// let (tx, rx) = spmc::channel::<u64>(64)?;
    /// let rx2 = rx.clone();
    /// (1..=10).for_each(|i| tx.push(i));
    /// let sum: u64 = std::thread::scope(|s| {
    ///     let a = s.spawn(|| (0..5).map(|_| rx.pop()).sum::<u64>());
    ///     let b = s.spawn(|| (0..5).map(|_| rx2.pop()).sum::<u64>());
    ///     a.join().unwrap() + b.join().unwrap()
    /// });
    /// assert_eq!(sum, 55);
    /// # Ok::<(), arsenal_sync::Error>(())
    /// ```
    pub fn channel<T>(slots: usize) -> Result<(Producer<T>, Consumer<T>)> {
        let ring = Arc::new(Ring::new(slots)?);
        Ok((Producer { ring: ring.clone() }, Consumer { ring }))
    }

    /// The producing end: one thread at a time (`Send`, neither `Clone` nor `Sync`).
    pub struct Producer<T> {
        ring: Arc<Ring<T>>,
    }
    /// A consuming end: clone it, share it; any number of threads may pop.
    pub struct Consumer<T> {
        ring: Arc<Ring<T>>,
    }
    impl<T> Clone for Consumer<T> {
        fn clone(&self) -> Self {
            Consumer {
                ring: self.ring.clone(),
            }
        }
    }
    // SAFETY: the only enqueuing handle, usable by one thread at a time (`!Sync`,
    // `!Clone`): ck's single-producer rule; values move across threads, so `T: Send`.
    unsafe impl<T: Send> Send for Producer<T> {}
    // SAFETY: `ck_ring_dequeue_spmc` allows any number of concurrent consumers; values
    // move across threads, so `T: Send`. No `&T` is ever shared.
    unsafe impl<T: Send> Send for Consumer<T> {}
    // SAFETY: as for `Send`: concurrent `try_pop` through `&Consumer` is what spmc allows.
    unsafe impl<T: Send> Sync for Consumer<T> {}

    impl<T> Consumer<T> {
        /// One dequeue attempt (`ck_ring_trydequeue_spmc`): `None` when the ring is empty
        /// *or* another consumer won the race for the head entry (then the ring may still
        /// hold values). [`Pop::try_pop`] retries such races.
        pub fn try_pop_once(&self) -> Option<T> {
            // SAFETY: spmc consumers may race (see the `Sync` impl).
            unsafe { self.ring.pop(sys::arsenal_ck_ring_trydequeue_spmc) }
        }
    }

    push_impl!(Producer, arsenal_ck_ring_enqueue_spmc);
    pop_impl!(Consumer, arsenal_ck_ring_dequeue_spmc);
    bounded_impl!(Producer);
    bounded_impl!(Consumer);
    handle_debug!(Producer, "spmc::Producer");
    handle_debug!(Consumer, "spmc::Consumer");
}

/// Multi-producer single-consumer ring (`ck_ring_*_mpsc`): lock-free producers,
/// wait-free consumer. Bounded; see [`unbounded_mpsc`](crate::unbounded_mpsc) for the
/// unbounded native queue.
pub mod mpsc {
    use super::*;

    /// Creates an MPSC ring of `slots` slots (a power of two, at least 4), holding up to
    /// `slots - 1` values. Clone the [`Producer`] for more producers.
    ///
    /// ```
    /// use arsenal_sync::{mpsc, Pop, Push};
    /// let (tx, rx) = mpsc::channel::<u32>(16)?;
    /// std::thread::scope(|s| {
    ///     for t in 0..2 {
    ///         let tx = tx.clone();
    ///         s.spawn(move || (0..4).for_each(|i| tx.push(t * 100 + i)));
    ///     }
    /// });
    /// let mut got: Vec<u32> = std::iter::from_fn(|| rx.try_pop()).collect();
    /// got.sort();
    /// assert_eq!(got, [0, 1, 2, 3, 100, 101, 102, 103]);
    /// # Ok::<(), arsenal_sync::Error>(())
    /// ```
    pub fn channel<T>(slots: usize) -> Result<(Producer<T>, Consumer<T>)> {
        let ring = Arc::new(Ring::new(slots)?);
        Ok((Producer { ring: ring.clone() }, Consumer { ring }))
    }

    /// A producing end: clone it, share it; any number of threads may push.
    pub struct Producer<T> {
        ring: Arc<Ring<T>>,
    }
    /// The consuming end: one thread at a time (`Send`, neither `Clone` nor `Sync`).
    pub struct Consumer<T> {
        ring: Arc<Ring<T>>,
    }
    impl<T> Clone for Producer<T> {
        fn clone(&self) -> Self {
            Producer {
                ring: self.ring.clone(),
            }
        }
    }
    // SAFETY: `ck_ring_enqueue_mpsc` allows any number of concurrent producers; values
    // move across threads, so `T: Send`.
    unsafe impl<T: Send> Send for Producer<T> {}
    // SAFETY: as for `Send`: concurrent `try_push` through `&Producer` is what mpsc allows.
    unsafe impl<T: Send> Sync for Producer<T> {}
    // SAFETY: the only dequeuing handle, usable by one thread at a time (`!Sync`,
    // `!Clone`): ck's single-consumer rule.
    unsafe impl<T: Send> Send for Consumer<T> {}

    push_impl!(Producer, arsenal_ck_ring_enqueue_mpsc);
    pop_impl!(Consumer, arsenal_ck_ring_dequeue_mpsc);
    bounded_impl!(Producer);
    bounded_impl!(Consumer);
    handle_debug!(Producer, "mpsc::Producer");
    handle_debug!(Consumer, "mpsc::Consumer");
}

/// Multi-producer multi-consumer ring (`ck_ring_*_mpmc`): one shared queue with `&self`
/// methods; lock-free consumers, producers lock-free to reserve a slot but blocking to
/// publish (each waits for earlier reservations to be published).
pub mod mpmc {
    use super::*;

    /// A bounded MPMC queue; share it by reference or in an `Arc`.
    ///
    /// ```
    /// use arsenal_sync::{mpmc, Bounded, Pop, Push};
    /// let queue = mpmc::Queue::<String>::new(4)?;
    /// assert_eq!(queue.capacity(), 3);
    /// for word in ["a", "b", "c"] {
    ///     queue.try_push(word.to_string()).unwrap();
    /// }
    /// assert_eq!(queue.try_push("d".into()), Err("d".to_string()));
    /// assert_eq!(queue.pop(), "a");
    /// # Ok::<(), arsenal_sync::Error>(())
    /// ```
    pub struct Queue<T> {
        ring: Ring<T>,
    }

    impl<T> Queue<T> {
        /// A queue of `slots` slots (a power of two, at least 4), holding up to
        /// `slots - 1` values.
        pub fn new(slots: usize) -> Result<Queue<T>> {
            Ok(Queue {
                ring: Ring::new(slots)?,
            })
        }

        /// One dequeue attempt (`ck_ring_trydequeue_mpmc`): `None` when the queue is
        /// empty *or* another consumer won the race for the head entry.
        /// [`Pop::try_pop`] retries such races.
        pub fn try_pop_once(&self) -> Option<T> {
            // SAFETY: mpmc allows concurrent consumers (see the `Sync` impl).
            unsafe { self.ring.pop(sys::arsenal_ck_ring_trydequeue_mpmc) }
        }
    }

    // SAFETY: the queue owns its `T`s; moving it moves them, so `T: Send`.
    unsafe impl<T: Send> Send for Queue<T> {}
    // SAFETY: `ck_ring_{en,de}queue_mpmc` allow any number of concurrent producers and
    // consumers; values move between threads (never shared by reference), so `T: Send`.
    unsafe impl<T: Send> Sync for Queue<T> {}

    push_impl!(Queue, arsenal_ck_ring_enqueue_mpmc);
    pop_impl!(Queue, arsenal_ck_ring_dequeue_mpmc);
    bounded_impl!(Queue);
    handle_debug!(Queue, "mpmc::Queue");
}
