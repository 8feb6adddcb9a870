//! Concurrency Kit's spinlocks and reader-writer lock as `lock_api` raw locks.
//!
//! Every lock here spins (with the CPU's pause instruction) and never sleeps: use them
//! for short critical sections with no more runnable threads than cores. A FIFO lock
//! (ticket, MCS, CLH) hands the lock to the longest waiter, so if that thread is
//! descheduled everybody waits for it: with more threads than cores prefer
//! [`FutexMutex`](crate::FutexMutex).
//!
//! MCS and CLH need one queue node per acquisition; `lock_api` 0.5 keeps per-acquisition
//! state in the guard, so the node travels in the guard ([`McsGuard`], [`ClhGuard`]).
//! Nodes are heap-allocated and cached one per thread (per lock kind), so the common
//! acquisition allocates nothing. Unlocking from another thread is fine for every lock
//! here (the guard carries the node), so all guards are `Send`.
use std::cell::{Cell, UnsafeCell};
use std::fmt;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicPtr, Ordering};

use arsenal_ck_sys as sys;
use lock_api::{GuardSend, RawMutex, RawMutexFair, RawRwLock, RawRwLockDowngrade};

macro_rules! simple_spinlock {
    (
        $(#[$doc:meta])* $raw:ident, $alias:ident, $cty:ty, $init:expr,
        $lock:ident, $trylock:ident, $unlock:ident, $locked:ident, $what:literal
    ) => {
        $(#[$doc])*
        pub struct $raw {
            inner: UnsafeCell<$cty>,
        }

        // SAFETY: the ck lock is a plain word operated on with ck's atomics from any
        // thread; nothing in it is tied to the creating thread.
        unsafe impl Send for $raw {}
        // SAFETY: all access goes through ck's atomic lock functions, which exist to be
        // called concurrently on one lock.
        unsafe impl Sync for $raw {}

        impl fmt::Debug for $raw {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($raw))
                    .field("locked", &RawMutex::is_locked(self))
                    .finish()
            }
        }

        // SAFETY: ck's lock provides mutual exclusion with acquire fences on lock
        // (`ck_pr_fence_lock`) and release fences on unlock (`ck_pr_fence_unlock`); the
        // guard carries no state, so forgetting it only leaves the lock held, and moving
        // the lock moves a plain word.
        unsafe impl RawMutex for $raw {
            #[allow(clippy::declare_interior_mutable_const)]
            const INIT: Self = $raw {
                inner: UnsafeCell::new($init),
            };
            type Guard = GuardSend;

            #[inline]
            fn lock(&self) -> GuardSend {
                // SAFETY: `inner` is an initialised ck lock (the all-zero initializer).
                unsafe { sys::$lock(self.inner.get()) };
                GuardSend::new()
            }

            #[inline]
            fn try_lock(&self) -> Option<GuardSend> {
                // SAFETY: as in `lock`.
                unsafe { sys::$trylock(self.inner.get()) }.then(GuardSend::new)
            }

            #[inline]
            unsafe fn unlock(&self, _guard: GuardSend) {
                // SAFETY: the caller holds the lock (trait contract).
                unsafe { sys::$unlock(self.inner.get()) }
            }

            #[inline]
            fn is_locked(&self) -> bool {
                // SAFETY: as in `lock`; this only loads the lock word.
                unsafe { sys::$locked(self.inner.get()) }
            }
        }

        #[doc = concat!("A `lock_api::Mutex` over ck's ", $what, ".")]
        pub type $alias<T> = lock_api::Mutex<$raw, T>;
    };
}

simple_spinlock!(
    /// Raw `ck_spinlock_fas`: test-and-set (fetch-and-store) with test-and-test-and-set
    /// spinning. Unfair; the cheapest uncontended lock.
    ///
    /// ```
    /// let counter = arsenal_sync::FasMutex::new(0u32);
    /// *counter.lock() += 1;
    /// assert!(counter.try_lock().is_some());
    /// assert_eq!(counter.into_inner(), 1);
    /// ```
    RawFas, FasMutex, sys::ck_spinlock_fas_t, sys::ck_spinlock_fas_t { value: 0 },
    arsenal_ck_spinlock_fas_lock, arsenal_ck_spinlock_fas_trylock,
    arsenal_ck_spinlock_fas_unlock, arsenal_ck_spinlock_fas_locked,
    "fetch-and-store spinlock"
);

simple_spinlock!(
    /// Raw `ck_spinlock_ticket`: FIFO ticket lock (16-bit tickets on x86-64, so at most
    /// 65 535 threads may wait at once).
    ///
    /// ```
    /// let m = arsenal_sync::TicketMutex::new(vec![1]);
    /// m.lock().push(2);
    /// assert_eq!(*m.lock(), [1, 2]);
    /// ```
    RawTicket, TicketMutex, sys::ck_spinlock_ticket_t, sys::ck_spinlock_ticket_t { value: 0 },
    arsenal_ck_spinlock_ticket_lock, arsenal_ck_spinlock_ticket_trylock,
    arsenal_ck_spinlock_ticket_unlock, arsenal_ck_spinlock_ticket_locked,
    "FIFO ticket spinlock"
);

// SAFETY: a ticket lock is FIFO: every unlock hands the lock to the next ticket holder.
unsafe impl RawMutexFair for RawTicket {
    #[inline]
    unsafe fn unlock_fair(&self, guard: GuardSend) {
        // SAFETY: the caller holds the lock (trait contract).
        unsafe { self.unlock(guard) }
    }
}

/// One cached heap node per thread, so that MCS/CLH acquisitions rarely allocate.
struct NodeCache<N: 'static> {
    slot: Cell<*mut N>,
}

impl<N> NodeCache<N> {
    const fn new() -> Self {
        NodeCache {
            slot: Cell::new(ptr::null_mut()),
        }
    }
}

impl<N> Drop for NodeCache<N> {
    fn drop(&mut self) {
        let node = self.slot.get();
        if !node.is_null() {
            // SAFETY: a cached node came from `Box::into_raw` and nobody else refers to it.
            drop(unsafe { Box::from_raw(node) });
        }
    }
}

/// A node from `cache` (or a fresh one, also when the thread's cache is gone).
fn take_node<N>(
    cache: &'static std::thread::LocalKey<NodeCache<N>>,
    fresh: fn() -> N,
) -> NonNull<N> {
    let cached = cache
        .try_with(|c| c.slot.replace(ptr::null_mut()))
        .unwrap_or(ptr::null_mut());
    NonNull::new(cached).unwrap_or_else(|| NonNull::from(Box::leak(Box::new(fresh()))))
}

/// Gives a node nobody refers to any more back to `cache` (or frees it).
///
/// # Safety
///
/// `node` came from `Box::into_raw`/`Box::leak` and no thread will access it again.
unsafe fn give_node<N>(cache: &'static std::thread::LocalKey<NodeCache<N>>, node: NonNull<N>) {
    let spare = cache
        .try_with(|c| c.slot.replace(node.as_ptr()))
        .unwrap_or(node.as_ptr());
    if !spare.is_null() {
        // SAFETY: `spare` is either `node` (no cache) or the previously cached node; both
        // are unreferenced boxes.
        drop(unsafe { Box::from_raw(spare) });
    }
}

thread_local! {
    static MCS_NODES: NodeCache<sys::ck_spinlock_mcs> = const { NodeCache::new() };
    static CLH_NODES: NodeCache<sys::ck_spinlock_clh_t> = const { NodeCache::new() };
}

fn fresh_mcs() -> sys::ck_spinlock_mcs {
    sys::ck_spinlock_mcs {
        locked: 0,
        next: ptr::null_mut(),
    }
}

fn fresh_clh() -> sys::ck_spinlock_clh_t {
    sys::ck_spinlock_clh_t {
        wait: 0,
        previous: ptr::null_mut(),
    }
}

/// Raw `ck_spinlock_mcs`: FIFO queue lock where each waiter spins on its own node (no
/// shared cache line bouncing under contention).
///
/// ```
/// let m = arsenal_sync::McsMutex::new(0u64);
/// std::thread::scope(|s| {
///     for _ in 0..2 {
///         s.spawn(|| for _ in 0..1000 { *m.lock() += 1 });
///     }
/// });
/// assert_eq!(m.into_inner(), 2000);
/// ```
pub struct RawMcs {
    queue: UnsafeCell<sys::ck_spinlock_mcs_t>,
}

/// The guard state of [`RawMcs`]: the acquisition's queue node.
#[derive(Debug)]
pub struct McsGuard {
    node: NonNull<sys::ck_spinlock_mcs>,
}

// SAFETY: the node is a heap allocation owned by this acquisition; unlocking from another
// thread touches only the node and the lock, and the node goes to that thread's cache.
unsafe impl Send for McsGuard {}
// SAFETY: a shared `&McsGuard` gives no access to the node.
unsafe impl Sync for McsGuard {}

// SAFETY: the queue pointer is only operated on with ck's atomics; nodes are heap
// allocations not tied to any thread.
unsafe impl Send for RawMcs {}
// SAFETY: ck's MCS functions are made to be called concurrently on one lock.
unsafe impl Sync for RawMcs {}

impl fmt::Debug for RawMcs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawMcs")
            .field("locked", &RawMutex::is_locked(self))
            .finish()
    }
}

// SAFETY: ck's MCS lock provides mutual exclusion with lock/unlock fences. The node lives
// in the guard, so forgetting the guard leaks it and leaves the lock held (no dangling
// pointer: the node is never freed while enqueued); moving a held lock moves only the
// tail pointer, and successors cannot exist while the mover owns the lock exclusively.
unsafe impl RawMutex for RawMcs {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: Self = RawMcs {
        queue: UnsafeCell::new(ptr::null_mut()),
    };
    type Guard = McsGuard;

    #[inline]
    fn lock(&self) -> McsGuard {
        let node = take_node(&MCS_NODES, fresh_mcs);
        // SAFETY: the queue is initialised (null); `node` is an exclusive heap node that
        // stays alive until `unlock` is done with it.
        unsafe { sys::arsenal_ck_spinlock_mcs_lock(self.queue.get(), node.as_ptr()) };
        McsGuard { node }
    }

    #[inline]
    fn try_lock(&self) -> Option<McsGuard> {
        let node = take_node(&MCS_NODES, fresh_mcs);
        // SAFETY: as in `lock`.
        if unsafe { sys::arsenal_ck_spinlock_mcs_trylock(self.queue.get(), node.as_ptr()) } {
            Some(McsGuard { node })
        } else {
            // SAFETY: a failed trylock never published the node.
            unsafe { give_node(&MCS_NODES, node) };
            None
        }
    }

    #[inline]
    unsafe fn unlock(&self, guard: McsGuard) {
        // SAFETY: the caller holds the lock with this guard's node (trait contract).
        unsafe { sys::arsenal_ck_spinlock_mcs_unlock(self.queue.get(), guard.node.as_ptr()) };
        // SAFETY: once unlock returns, no waiter refers to our node (a successor linked
        // itself before spinning on its own node, and unlock waited for that link).
        unsafe { give_node(&MCS_NODES, guard.node) };
    }

    #[inline]
    fn is_locked(&self) -> bool {
        // SAFETY: only loads the tail pointer.
        unsafe { sys::arsenal_ck_spinlock_mcs_locked(self.queue.get()) }
    }
}

// SAFETY: MCS is FIFO: unlock hands the lock to the next queued node.
unsafe impl RawMutexFair for RawMcs {
    #[inline]
    unsafe fn unlock_fair(&self, guard: McsGuard) {
        // SAFETY: forwarded contract.
        unsafe { self.unlock(guard) }
    }
}

/// A `lock_api::Mutex` over ck's MCS queue spinlock.
pub type McsMutex<T> = lock_api::Mutex<RawMcs, T>;

/// Raw `ck_spinlock_clh`: FIFO queue lock where each waiter spins on its predecessor's
/// node; unlocking hands the unlocker its predecessor's node. The lock's first,
/// unowned node is allocated on first use (`lock_api` needs a `const INIT`) and freed
/// with the lock. ck has no CLH trylock, so `try_lock` returns `None` when the lock is
/// held and otherwise enqueues: it may then wait for acquisitions that raced with it.
///
/// ```
/// let m = arsenal_sync::ClhMutex::new(String::new());
/// m.lock().push_str("clh");
/// assert_eq!(m.lock().as_str(), "clh");
/// ```
pub struct RawClh {
    /// The tail node (`ck_spinlock_clh_t **` for ck); null until first use.
    queue: AtomicPtr<sys::ck_spinlock_clh_t>,
}

/// The guard state of [`RawClh`]: the acquisition's queue node.
#[derive(Debug)]
pub struct ClhGuard {
    node: NonNull<sys::ck_spinlock_clh_t>,
}

// SAFETY: the node is a heap allocation; unlocking from another thread only writes the
// node and hands that thread the predecessor's node, which goes to its cache.
unsafe impl Send for ClhGuard {}
// SAFETY: a shared `&ClhGuard` gives no access to the node.
unsafe impl Sync for ClhGuard {}

impl RawClh {
    /// The tail pointer, installing the unowned first node if there is none yet.
    #[inline]
    fn queue(&self) -> *mut *mut sys::ck_spinlock_clh_t {
        if self.queue.load(Ordering::Acquire).is_null() {
            self.install_first_node();
        }
        self.queue.as_ptr()
    }

    #[cold]
    fn install_first_node(&self) {
        let node = take_node(&CLH_NODES, fresh_clh);
        // SAFETY: `node` is exclusive until published; this is `ck_spinlock_clh_init`'s
        // setup of an unowned node (not waiting, no predecessor).
        unsafe {
            node.as_ptr().write(fresh_clh());
        }
        if self
            .queue
            .compare_exchange(
                ptr::null_mut(),
                node.as_ptr(),
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_err()
        {
            // SAFETY: another thread installed its node first; ours was never published.
            unsafe { give_node(&CLH_NODES, node) };
        }
    }
}

// SAFETY: the tail pointer is only operated on atomically (by ck or `AtomicPtr`); nodes
// are heap allocations not tied to any thread.
unsafe impl Send for RawClh {}
// SAFETY: ck's CLH functions are made to be called concurrently on one lock.
unsafe impl Sync for RawClh {}

impl fmt::Debug for RawClh {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawClh")
            .field("locked", &RawMutex::is_locked(self))
            .finish()
    }
}

impl Drop for RawClh {
    fn drop(&mut self) {
        let tail = *self.queue.get_mut();
        if !tail.is_null() && !RawMutex::is_locked(self) {
            // SAFETY: unlocked and exclusively owned: the tail node is the one node no
            // thread owns (every unlocker took its predecessor's node). A lock dropped
            // while held (guard forgotten) leaks its nodes instead.
            drop(unsafe { Box::from_raw(tail) });
        }
    }
}

// SAFETY: ck's CLH lock provides mutual exclusion with lock/unlock fences. Forgetting a
// guard leaks its node and leaves the lock held; moving a held lock moves only the tail
// pointer (waiters need `&self`, impossible while it is moved).
unsafe impl RawMutex for RawClh {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: Self = RawClh {
        queue: AtomicPtr::new(ptr::null_mut()),
    };
    type Guard = ClhGuard;

    #[inline]
    fn lock(&self) -> ClhGuard {
        let queue = self.queue();
        let node = take_node(&CLH_NODES, fresh_clh);
        // SAFETY: `queue` holds an initialised tail node; `node` is exclusive and stays
        // alive (owned by the guard, then by a successor) while anyone refers to it.
        unsafe { sys::arsenal_ck_spinlock_clh_lock(queue, node.as_ptr()) };
        ClhGuard { node }
    }

    #[inline]
    fn try_lock(&self) -> Option<ClhGuard> {
        // ck has no CLH trylock: take it only when it looks free. Threads that enqueue
        // between the check and our enqueue go first, so this may wait for their
        // critical sections (never for a queue that was already there).
        if RawMutex::is_locked(self) {
            return None;
        }
        Some(self.lock())
    }

    #[inline]
    unsafe fn unlock(&self, guard: ClhGuard) {
        let mut node = guard.node.as_ptr();
        // SAFETY: the caller holds the lock with this node (trait contract); ck replaces
        // `node` with the predecessor's node, which nobody else refers to any more.
        unsafe { sys::arsenal_ck_spinlock_clh_unlock(&mut node) };
        if let Some(previous) = NonNull::new(node) {
            // SAFETY: see above: the predecessor's node is now exclusively ours.
            unsafe { give_node(&CLH_NODES, previous) };
        }
    }

    #[inline]
    fn is_locked(&self) -> bool {
        if self.queue.load(Ordering::Acquire).is_null() {
            return false;
        }
        // SAFETY: the tail pointer is initialised and nodes are never freed while linked.
        unsafe { sys::arsenal_ck_spinlock_clh_locked(self.queue.as_ptr()) }
    }
}

// SAFETY: CLH is FIFO: unlock hands the lock to the successor spinning on our node.
unsafe impl RawMutexFair for RawClh {
    #[inline]
    unsafe fn unlock_fair(&self, guard: ClhGuard) {
        // SAFETY: forwarded contract.
        unsafe { self.unlock(guard) }
    }
}

/// A `lock_api::Mutex` over ck's CLH queue spinlock.
pub type ClhMutex<T> = lock_api::Mutex<RawClh, T>;

/// Raw `ck_rwlock`: a spinning reader-writer lock; a writer announces itself and then
/// waits for readers to drain, and new readers back off while a writer is announced
/// (writer-preferring). Downgrade is supported.
///
/// ```
/// let lock = arsenal_sync::CkRwLock::new(5);
/// {
///     let (a, b) = (lock.read(), lock.read());
///     assert_eq!(*a + *b, 10);
///     assert!(lock.try_write().is_none());
/// }
/// *lock.write() += 1;
/// assert_eq!(*lock.read(), 6);
/// ```
pub struct RawCkRwLock {
    inner: UnsafeCell<sys::ck_rwlock_t>,
}

// SAFETY: the lock is two words operated on with ck's atomics from any thread.
unsafe impl Send for RawCkRwLock {}
// SAFETY: ck's rwlock functions are made to be called concurrently on one lock.
unsafe impl Sync for RawCkRwLock {}

impl fmt::Debug for RawCkRwLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawCkRwLock")
            .field("locked", &RawRwLock::is_locked(self))
            .finish()
    }
}

// SAFETY: ck_rwlock excludes writers from each other and from readers, with lock/unlock
// fences; guards are stateless (forgetting one leaves the lock held).
unsafe impl RawRwLock for RawCkRwLock {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: Self = RawCkRwLock {
        inner: UnsafeCell::new(sys::ck_rwlock_t {
            writer: 0,
            n_readers: 0,
        }),
    };
    type SharedGuard = GuardSend;
    type ExclusiveGuard = GuardSend;

    #[inline]
    fn lock_shared(&self) -> GuardSend {
        // SAFETY: `inner` is an initialised ck_rwlock.
        unsafe { sys::arsenal_ck_rwlock_read_lock(self.inner.get()) };
        GuardSend::new()
    }

    #[inline]
    fn try_lock_shared(&self) -> Option<GuardSend> {
        // SAFETY: as above.
        unsafe { sys::arsenal_ck_rwlock_read_trylock(self.inner.get()) }.then(GuardSend::new)
    }

    #[inline]
    unsafe fn unlock_shared(&self, _guard: GuardSend) {
        // SAFETY: the caller holds a read lock (trait contract).
        unsafe { sys::arsenal_ck_rwlock_read_unlock(self.inner.get()) }
    }

    #[inline]
    fn lock_exclusive(&self) -> GuardSend {
        // SAFETY: as above.
        unsafe { sys::arsenal_ck_rwlock_write_lock(self.inner.get()) };
        GuardSend::new()
    }

    #[inline]
    fn try_lock_exclusive(&self) -> Option<GuardSend> {
        // SAFETY: as above.
        unsafe { sys::arsenal_ck_rwlock_write_trylock(self.inner.get()) }.then(GuardSend::new)
    }

    #[inline]
    unsafe fn unlock_exclusive(&self, _guard: GuardSend) {
        // SAFETY: the caller holds the write lock (trait contract).
        unsafe { sys::arsenal_ck_rwlock_write_unlock(self.inner.get()) }
    }

    #[inline]
    fn is_locked(&self) -> bool {
        // SAFETY: only loads the lock words.
        unsafe { sys::arsenal_ck_rwlock_locked(self.inner.get()) }
    }

    #[inline]
    fn is_locked_exclusive(&self) -> bool {
        // SAFETY: only loads the writer word.
        unsafe { sys::arsenal_ck_rwlock_locked_writer(self.inner.get()) }
    }
}

// SAFETY: `ck_rwlock_write_downgrade` registers the caller as a reader before releasing
// the writer flag, so no writer can get in between.
unsafe impl RawRwLockDowngrade for RawCkRwLock {
    #[inline]
    unsafe fn downgrade(&self, _guard: GuardSend) -> GuardSend {
        // SAFETY: the caller holds the write lock (trait contract).
        unsafe { sys::arsenal_ck_rwlock_write_downgrade(self.inner.get()) };
        GuardSend::new()
    }
}

/// A `lock_api::RwLock` over ck's reader-writer spinlock.
pub type CkRwLock<T> = lock_api::RwLock<RawCkRwLock, T>;
