//! Raw FFI to [Concurrency Kit](https://github.com/concurrencykit/ck) 0.7: its ring
//! buffers (`ck_ring`), spinlocks (`ck_spinlock_{fas,ticket,mcs,clh}`) and reader-writer
//! lock (`ck_rwlock`).
//!
//! Almost all of ck is `static inline` in its headers, so the bindings below are hand
//! written (a small surface) and point at our shim, `shim/ck_shim.c`, which exports each
//! function we use as `arsenal_ck_<ck name>` and forwards to ck; it has no logic. The
//! structs are `#[repr(C)]` mirrors of ck's, meant to be embedded by value; the shim
//! `_Static_assert`s their layouts and exports their `sizeof`/`alignof`
//! (`tests/smoke.rs` compares them). The ticket-lock mirror is the x86/x86-64 variant
//! (one 32-bit word; the only one with a trylock): the shim refuses to build elsewhere.
//!
//! The build script finds ck with pkg-config (`ck`, `>= 0.7, < 0.8`; Debian's
//! `libck-dev`), else in the system prefixes, else `CK_DIR` / `CK_INCLUDE_DIR` +
//! `CK_LIB_DIR`. How it was found is exported to dependents as `DEP_CK_ROUTE`,
//! `DEP_CK_VERSION` and `DEP_CK_INCLUDE`.
//!
//! # Facts the safe layer relies on
//!
//! - **Rings** hold `void *` slots; a ring of `size` slots (a power of two) stores at
//!   most `size - 1` entries. Entries are handed to the shim *by address*
//!   (`*const *const c_void`) so that pointer-sized values with uninitialised bytes can
//!   be moved through a slot; dequeue writes one slot's bytes to `data`.
//! - `ck_ring_dequeue_{spmc,mpmc}` retry their compare-and-swap until they take an entry
//!   or see the ring empty; the `trydequeue` forms give up after one lost race.
//! - **Spinlocks** never sleep. MCS and CLH need one queue node per acquisition; CLH's
//!   unlock hands the caller its predecessor's node (the lock starts with one unowned
//!   node). The ticket lock is FIFO with 16-bit tickets (up to 65 535 waiters).
//! - All functions operate on memory that other threads access concurrently with ck's
//!   own atomics: Rust must only touch these structs through raw pointers (e.g. from an
//!   `UnsafeCell`), never through `&mut` while they are shared.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_uint, c_void};

/// `CK_MD_CACHELINE` of the supported targets (asserted by the shim).
pub const CK_MD_CACHELINE: usize = 64;

/// `struct ck_ring`: the ring's counters (consumer head, producer tail/head), each
/// group on its own cache line, then `size` and `mask`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ck_ring_t {
    /// Consumer head.
    pub c_head: c_uint,
    /// Padding to the next cache line.
    pub pad: [c_char; CK_MD_CACHELINE - 4],
    /// Producer tail (entries before it are visible to consumers).
    pub p_tail: c_uint,
    /// Producer head (slots reserved by producers).
    pub p_head: c_uint,
    /// Padding to the next cache line.
    pub _pad: [c_char; CK_MD_CACHELINE - 8],
    /// Number of slots (a power of two).
    pub size: c_uint,
    /// `size - 1`.
    pub mask: c_uint,
}

impl ck_ring_t {
    /// An all-zero ring, to be set up with [`arsenal_ck_ring_init`].
    pub const ZEROED: ck_ring_t = ck_ring_t {
        c_head: 0,
        pad: [0; CK_MD_CACHELINE - 4],
        p_tail: 0,
        p_head: 0,
        _pad: [0; CK_MD_CACHELINE - 8],
        size: 0,
        mask: 0,
    };
}

/// `struct ck_ring_buffer`: one slot of a ring's buffer.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ck_ring_buffer_t {
    /// The slot's bytes.
    pub value: *mut c_void,
}

/// `struct ck_spinlock_fas` (fetch-and-store spinlock); zero is unlocked
/// (`CK_SPINLOCK_FAS_INITIALIZER`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ck_spinlock_fas_t {
    /// 0 unlocked, 1 locked.
    pub value: c_uint,
}

/// `struct ck_spinlock_ticket` on x86/x86-64: next ticket in the high 16 bits, the
/// serving position in the low 16; zero is unlocked (`CK_SPINLOCK_TICKET_INITIALIZER`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ck_spinlock_ticket_t {
    /// Packed ticket counters.
    pub value: u32,
}

/// `struct ck_spinlock_mcs`: one waiter's queue node (`ck_spinlock_mcs_context_t`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ck_spinlock_mcs {
    /// Non-zero while the owner of this node must keep waiting.
    pub locked: c_uint,
    /// The next waiter's node, set by that waiter.
    pub next: *mut ck_spinlock_mcs,
}
/// `ck_spinlock_mcs_context_t`: a queue node.
pub type ck_spinlock_mcs_context_t = ck_spinlock_mcs;
/// `ck_spinlock_mcs_t`: the lock itself, a pointer to the tail node (null: unlocked,
/// `CK_SPINLOCK_MCS_INITIALIZER`).
pub type ck_spinlock_mcs_t = *mut ck_spinlock_mcs;

/// `struct ck_spinlock_clh`: a CLH queue node; the lock is a `*mut ck_spinlock_clh_t`
/// pointing at the tail node.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ck_spinlock_clh_t {
    /// Non-zero while the owner of this node holds or waits for the lock.
    pub wait: c_uint,
    /// The predecessor's node, handed to this node's owner on unlock.
    pub previous: *mut ck_spinlock_clh_t,
}

/// `struct ck_rwlock`: writer flag and reader count; zero is unlocked
/// (`CK_RWLOCK_INITIALIZER`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct ck_rwlock_t {
    /// Non-zero while a writer holds or is acquiring the lock.
    pub writer: c_uint,
    /// Number of readers holding the lock.
    pub n_readers: c_uint,
}

/// Enqueue functions of the ring flavours: `(ring, buffer, &entry) -> enqueued`.
pub type RingEnqueueFn =
    unsafe extern "C" fn(*mut ck_ring_t, *mut ck_ring_buffer_t, *const *const c_void) -> bool;
/// Dequeue functions of the ring flavours: `(ring, buffer, data) -> dequeued`; `data`
/// receives one slot (pointer-sized).
pub type RingDequeueFn =
    unsafe extern "C" fn(*mut ck_ring_t, *const ck_ring_buffer_t, *mut c_void) -> bool;

extern "C" {
    /// `CK_VERSION` of the header the shim was compiled against (a NUL-terminated
    /// static string such as `"0.7.1"`).
    pub fn arsenal_ck_version() -> *const c_char;

    /// `sizeof(ck_ring_t)`.
    pub fn arsenal_ck_sizeof_ring() -> usize;
    /// `alignof(ck_ring_t)`.
    pub fn arsenal_ck_alignof_ring() -> usize;
    /// `sizeof(ck_ring_buffer_t)`.
    pub fn arsenal_ck_sizeof_ring_buffer() -> usize;
    /// `alignof(ck_ring_buffer_t)`.
    pub fn arsenal_ck_alignof_ring_buffer() -> usize;
    /// `sizeof(ck_spinlock_fas_t)`.
    pub fn arsenal_ck_sizeof_spinlock_fas() -> usize;
    /// `alignof(ck_spinlock_fas_t)`.
    pub fn arsenal_ck_alignof_spinlock_fas() -> usize;
    /// `sizeof(ck_spinlock_ticket_t)`.
    pub fn arsenal_ck_sizeof_spinlock_ticket() -> usize;
    /// `alignof(ck_spinlock_ticket_t)`.
    pub fn arsenal_ck_alignof_spinlock_ticket() -> usize;
    /// `sizeof(ck_spinlock_mcs_t)` (a pointer).
    pub fn arsenal_ck_sizeof_spinlock_mcs() -> usize;
    /// `alignof(ck_spinlock_mcs_t)`.
    pub fn arsenal_ck_alignof_spinlock_mcs() -> usize;
    /// `sizeof(ck_spinlock_mcs_context_t)`.
    pub fn arsenal_ck_sizeof_spinlock_mcs_context() -> usize;
    /// `alignof(ck_spinlock_mcs_context_t)`.
    pub fn arsenal_ck_alignof_spinlock_mcs_context() -> usize;
    /// `sizeof(ck_spinlock_clh_t)`.
    pub fn arsenal_ck_sizeof_spinlock_clh() -> usize;
    /// `alignof(ck_spinlock_clh_t)`.
    pub fn arsenal_ck_alignof_spinlock_clh() -> usize;
    /// `sizeof(ck_rwlock_t)`.
    pub fn arsenal_ck_sizeof_rwlock() -> usize;
    /// `alignof(ck_rwlock_t)`.
    pub fn arsenal_ck_alignof_rwlock() -> usize;

    /// `ck_ring_init`: `size` must be a power of two.
    pub fn arsenal_ck_ring_init(ring: *mut ck_ring_t, size: c_uint);
    /// `ck_ring_size`: entries currently in the ring (a snapshot).
    pub fn arsenal_ck_ring_size(ring: *const ck_ring_t) -> c_uint;
    /// `ck_ring_capacity`: the number of slots (`size`; one stays empty).
    pub fn arsenal_ck_ring_capacity(ring: *const ck_ring_t) -> c_uint;

    /// `ck_ring_enqueue_spsc(ring, buffer, *entry)`: one producer at a time.
    pub fn arsenal_ck_ring_enqueue_spsc(
        ring: *mut ck_ring_t,
        buffer: *mut ck_ring_buffer_t,
        entry: *const *const c_void,
    ) -> bool;
    /// `ck_ring_dequeue_spsc`: one consumer at a time.
    pub fn arsenal_ck_ring_dequeue_spsc(
        ring: *mut ck_ring_t,
        buffer: *const ck_ring_buffer_t,
        data: *mut c_void,
    ) -> bool;
    /// `ck_ring_enqueue_spmc(ring, buffer, *entry)`: one producer at a time.
    pub fn arsenal_ck_ring_enqueue_spmc(
        ring: *mut ck_ring_t,
        buffer: *mut ck_ring_buffer_t,
        entry: *const *const c_void,
    ) -> bool;
    /// `ck_ring_dequeue_spmc`: any number of consumers.
    pub fn arsenal_ck_ring_dequeue_spmc(
        ring: *mut ck_ring_t,
        buffer: *const ck_ring_buffer_t,
        data: *mut c_void,
    ) -> bool;
    /// `ck_ring_trydequeue_spmc`: one attempt; false when empty or on a lost race.
    pub fn arsenal_ck_ring_trydequeue_spmc(
        ring: *mut ck_ring_t,
        buffer: *const ck_ring_buffer_t,
        data: *mut c_void,
    ) -> bool;
    /// `ck_ring_enqueue_mpmc(ring, buffer, *entry)`: any number of producers.
    pub fn arsenal_ck_ring_enqueue_mpmc(
        ring: *mut ck_ring_t,
        buffer: *mut ck_ring_buffer_t,
        entry: *const *const c_void,
    ) -> bool;
    /// `ck_ring_dequeue_mpmc`: any number of consumers.
    pub fn arsenal_ck_ring_dequeue_mpmc(
        ring: *mut ck_ring_t,
        buffer: *const ck_ring_buffer_t,
        data: *mut c_void,
    ) -> bool;
    /// `ck_ring_trydequeue_mpmc`: one attempt; false when empty or on a lost race.
    pub fn arsenal_ck_ring_trydequeue_mpmc(
        ring: *mut ck_ring_t,
        buffer: *const ck_ring_buffer_t,
        data: *mut c_void,
    ) -> bool;
    /// `ck_ring_enqueue_mpsc(ring, buffer, *entry)`: any number of producers.
    pub fn arsenal_ck_ring_enqueue_mpsc(
        ring: *mut ck_ring_t,
        buffer: *mut ck_ring_buffer_t,
        entry: *const *const c_void,
    ) -> bool;
    /// `ck_ring_dequeue_mpsc`: one consumer at a time.
    pub fn arsenal_ck_ring_dequeue_mpsc(
        ring: *mut ck_ring_t,
        buffer: *const ck_ring_buffer_t,
        data: *mut c_void,
    ) -> bool;

    /// `ck_spinlock_fas_init`.
    pub fn arsenal_ck_spinlock_fas_init(lock: *mut ck_spinlock_fas_t);
    /// `ck_spinlock_fas_lock`.
    pub fn arsenal_ck_spinlock_fas_lock(lock: *mut ck_spinlock_fas_t);
    /// `ck_spinlock_fas_trylock`.
    pub fn arsenal_ck_spinlock_fas_trylock(lock: *mut ck_spinlock_fas_t) -> bool;
    /// `ck_spinlock_fas_locked`.
    pub fn arsenal_ck_spinlock_fas_locked(lock: *mut ck_spinlock_fas_t) -> bool;
    /// `ck_spinlock_fas_unlock`.
    pub fn arsenal_ck_spinlock_fas_unlock(lock: *mut ck_spinlock_fas_t);

    /// `ck_spinlock_ticket_init`.
    pub fn arsenal_ck_spinlock_ticket_init(lock: *mut ck_spinlock_ticket_t);
    /// `ck_spinlock_ticket_lock`.
    pub fn arsenal_ck_spinlock_ticket_lock(lock: *mut ck_spinlock_ticket_t);
    /// `ck_spinlock_ticket_trylock`.
    pub fn arsenal_ck_spinlock_ticket_trylock(lock: *mut ck_spinlock_ticket_t) -> bool;
    /// `ck_spinlock_ticket_locked`.
    pub fn arsenal_ck_spinlock_ticket_locked(lock: *mut ck_spinlock_ticket_t) -> bool;
    /// `ck_spinlock_ticket_unlock`.
    pub fn arsenal_ck_spinlock_ticket_unlock(lock: *mut ck_spinlock_ticket_t);

    /// `ck_spinlock_mcs_init`.
    pub fn arsenal_ck_spinlock_mcs_init(queue: *mut ck_spinlock_mcs_t);
    /// `ck_spinlock_mcs_lock`: `node` must stay valid until the matching unlock returns.
    pub fn arsenal_ck_spinlock_mcs_lock(queue: *mut ck_spinlock_mcs_t, node: *mut ck_spinlock_mcs);
    /// `ck_spinlock_mcs_trylock`: on failure `node` was not enqueued.
    pub fn arsenal_ck_spinlock_mcs_trylock(
        queue: *mut ck_spinlock_mcs_t,
        node: *mut ck_spinlock_mcs,
    ) -> bool;
    /// `ck_spinlock_mcs_locked`.
    pub fn arsenal_ck_spinlock_mcs_locked(queue: *mut ck_spinlock_mcs_t) -> bool;
    /// `ck_spinlock_mcs_unlock`: `node` is the one the lock was taken with.
    pub fn arsenal_ck_spinlock_mcs_unlock(
        queue: *mut ck_spinlock_mcs_t,
        node: *mut ck_spinlock_mcs,
    );

    /// `ck_spinlock_clh_init`: `unowned` becomes the lock's first (unowned) node.
    pub fn arsenal_ck_spinlock_clh_init(
        lock: *mut *mut ck_spinlock_clh_t,
        unowned: *mut ck_spinlock_clh_t,
    );
    /// `ck_spinlock_clh_lock`: enqueues `thread` (the caller's node).
    pub fn arsenal_ck_spinlock_clh_lock(
        queue: *mut *mut ck_spinlock_clh_t,
        thread: *mut ck_spinlock_clh_t,
    );
    /// `ck_spinlock_clh_locked`.
    pub fn arsenal_ck_spinlock_clh_locked(queue: *mut *mut ck_spinlock_clh_t) -> bool;
    /// `ck_spinlock_clh_unlock`: `*thread` is the node the lock was taken with; on
    /// return it is the predecessor's node, now owned by the caller.
    pub fn arsenal_ck_spinlock_clh_unlock(thread: *mut *mut ck_spinlock_clh_t);

    /// `ck_rwlock_init`.
    pub fn arsenal_ck_rwlock_init(rw: *mut ck_rwlock_t);
    /// `ck_rwlock_write_lock`.
    pub fn arsenal_ck_rwlock_write_lock(rw: *mut ck_rwlock_t);
    /// `ck_rwlock_write_trylock`.
    pub fn arsenal_ck_rwlock_write_trylock(rw: *mut ck_rwlock_t) -> bool;
    /// `ck_rwlock_write_unlock`.
    pub fn arsenal_ck_rwlock_write_unlock(rw: *mut ck_rwlock_t);
    /// `ck_rwlock_write_downgrade`: the writer becomes a reader.
    pub fn arsenal_ck_rwlock_write_downgrade(rw: *mut ck_rwlock_t);
    /// `ck_rwlock_read_lock`.
    pub fn arsenal_ck_rwlock_read_lock(rw: *mut ck_rwlock_t);
    /// `ck_rwlock_read_trylock`.
    pub fn arsenal_ck_rwlock_read_trylock(rw: *mut ck_rwlock_t) -> bool;
    /// `ck_rwlock_read_unlock`.
    pub fn arsenal_ck_rwlock_read_unlock(rw: *mut ck_rwlock_t);
    /// `ck_rwlock_locked`: held by a reader or a writer.
    pub fn arsenal_ck_rwlock_locked(rw: *mut ck_rwlock_t) -> bool;
    /// `ck_rwlock_locked_writer`.
    pub fn arsenal_ck_rwlock_locked_writer(rw: *mut ck_rwlock_t) -> bool;
}
