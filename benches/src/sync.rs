//! sync rows of the matrix: queues (`sync/queue/<NpMc>/<impl>`) and locks
//! (`sync/lock/<uncontended|2threads>/<impl>`).
//!
//! Queue rows: one iteration moves [`MESSAGES`] `u64`s (1..=N) from the producer
//! threads to the consumer threads, spawned per iteration with `std::thread::scope`;
//! items = N, so items/s is messages per second; the checksum is the sum of the values
//! received (N(N+1)/2 for every implementation). Every implementation waits the same
//! way on a full or empty queue: `Backoff` (64 pause-hint spins, then
//! `thread::yield_now`). With several consumers, the main thread pushes one `0` per
//! consumer after the producers finish; a consumer stops at the first `0` it pops (the
//! queues are FIFO, so every value came before). Bounded queues hold 1023 values (ck
//! rings of 1024 slots keep one empty; peers get capacity 1023). `arsenal:native-mpsc`
//! is arsenal-sync's `native` backend, the unbounded MPSC queue (single consumer, so
//! 1p1c only); `arsenal:native-futex` its futex mutex. Implementations are named after
//! the crate's backend (`ck-*`, `native-*`) so that `--strategy-table` can tell whose
//! row a cell is.
//!
//! Lock rows: `uncontended` does [`LOCK_OPS`] lock + increment + unlock on one thread
//! (items = N, so 1e9 / items/s is ns per pair); `2threads` has two threads doing N/2
//! each on one shared lock, released together by a barrier. Checksum = the final counter (N).
//! `raw:ck-*` rows call the shim functions of `arsenal-ck-sys` directly (MCS/CLH nodes
//! on the stack or preallocated) with no `lock_api` layer.
//!
//! Memory rows (after the timing runs, [`memory_rows`]), for the queues a `Backend`
//! selects (arsenal-sync's MPSC queue: `arsenal:ck-mpsc`, the ring of 1024 slots, and
//! `arsenal:native-mpsc`), the raw ck ring and the peers:
//!
//! | row | bytes per |
//! |---|---|
//! | `sync/memory/empty-1024/<impl>` | empty queue of the bench's capacity: `size_of` its handles + the heap bytes in use it added (glibc `mallinfo2`), [`EMPTY_QUEUES`] alive together |
//! | `sync/memory/queued-1000/<impl>` | `u64` message queued: the heap bytes in use added by pushing [`QUEUED`] values into one empty queue, / [`QUEUED`] |
//!
//! **Verification.** Every cell's checksum is expected to equal the value the workload's
//! definition gives ([`expected_queue_sum`], [`LOCK_OPS`]: a lock that let two threads in
//! at once loses increments of the plain counter). Queue cells are also checked once
//! before timing by a transfer that records what each consumer popped: every value
//! `1..=N` arrives exactly once, and each consumer sees each producer's values in the
//! order they were pushed (FIFO).

use std::cell::UnsafeCell;
use std::ffi::c_void;
use std::hint::black_box;
use std::ptr;
use std::sync::Barrier;

use arsenal_ck_sys as sys;
use arsenal_sync::lock_api::{self, RawMutex};
use arsenal_sync::{Pop, Push};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::{held_by, held_per_value};
use crate::harness::{Case, Registry};
use crate::machine::Machine;
use crate::report::{MemoryRow, Unit};
use crate::strategy::pick;

/// The first part of every cell id of this domain.
const NAME: &str = "sync";

/// The queue and lock domain: queues in messages/s, locks in ns per lock + unlock, with
/// a note on the threads the machine had.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Queues and locks",
    register: |reg, _data| register(reg),
    unit: |op| (op == "lock").then_some(Unit::NanosPerItem),
    note: thread_note,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-sync",
        pick: pick::<arsenal_sync::Backend>,
    }),
    ..Domain::EMPTY
};

/// How many logical cores the multi-thread rows had, since contended numbers depend on
/// it (spinning waiters need a core each).
fn thread_note(machine: &Machine) -> Option<String> {
    Some(format!(
        "Measured on {} logical cores. Multi-thread rows (2p2c, 2threads) use at most 2 \
         producer + 2 consumer threads; with fewer cores than threads, waiters spin while \
         the thread they wait for is descheduled. Larger thread counts need a bigger \
         machine.",
        machine.logical_cores
    ))
}

/// The sum of the values one queue iteration moves: `1 + 2 + … + N`.
///
/// ```
/// assert_eq!(arsenal_bench::sync::expected_queue_sum(), 100_000 * 100_001 / 2);
/// ```
pub fn expected_queue_sum() -> u64 {
    (1..=MESSAGES).sum()
}

/// Messages moved per queue iteration.
pub const MESSAGES: u64 = 100_000;
/// Lock/unlock pairs per lock iteration.
pub const LOCK_OPS: u64 = 100_000;
/// Slots of the ck rings; the peers' capacity is `SLOTS - 1`.
const SLOTS: usize = 1024;

/// Waiting on a full/empty queue, the same for every implementation.
struct Backoff(u32);

impl Backoff {
    fn new() -> Self {
        Backoff(0)
    }

    #[inline]
    fn snooze(&mut self) {
        if self.0 < 64 {
            std::hint::spin_loop();
            self.0 += 1;
        } else {
            std::thread::yield_now();
        }
    }
}

/// A queue as the bench drives it: non-blocking push and pop of non-zero `u64`s.
trait BenchQueue: Sync {
    fn try_push(&self, value: u64) -> bool;
    fn try_pop(&self) -> Option<u64>;
}

fn push_waiting(queue: &impl BenchQueue, value: u64) {
    let mut backoff = Backoff::new();
    while !queue.try_push(value) {
        backoff.snooze();
    }
}

fn pop_waiting(queue: &impl BenchQueue) -> u64 {
    let mut backoff = Backoff::new();
    loop {
        if let Some(value) = queue.try_pop() {
            return value;
        }
        backoff.snooze();
    }
}

/// Moves `MESSAGES` values from `producers` to `consumers` threads; returns their sum.
fn transfer<Q: BenchQueue>(queue: &Q, producers: u64, consumers: u64) -> u64 {
    transfer_into(queue, producers, consumers, |sum: &mut u64, value| {
        *sum += value
    })
    .into_iter()
    .sum()
}

/// [`transfer`] recording every value each consumer popped, in order; then checks that
/// every value arrived exactly once and that each consumer saw each producer's values
/// in push order.
fn transfer_checked<Q: BenchQueue>(
    queue: &Q,
    producers: u64,
    consumers: u64,
) -> Result<(), String> {
    let popped = transfer_into(queue, producers, consumers, Vec::push);
    let per = MESSAGES / producers;
    let mut seen = vec![false; MESSAGES as usize + 1];
    for (consumer, values) in popped.iter().enumerate() {
        let mut last = vec![0u64; producers as usize];
        for &value in values {
            if value == 0 || value > MESSAGES {
                return Err(format!("consumer {consumer} popped {value}, never pushed"));
            }
            if std::mem::replace(&mut seen[value as usize], true) {
                return Err(format!("{value} was popped twice"));
            }
            let producer = ((value - 1) / per) as usize;
            if value < last[producer] {
                return Err(format!(
                    "consumer {consumer} popped {value} after {} (same producer): not FIFO",
                    last[producer]
                ));
            }
            last[producer] = value;
        }
    }
    match seen.iter().skip(1).position(|&seen| !seen) {
        Some(missing) => Err(format!("{} was never popped", missing + 1)),
        None => Ok(()),
    }
}

/// Moves `MESSAGES` values from `producers` to `consumers` threads, each consumer
/// folding what it pops into its own `S` with `record`; returns the consumers' `S`.
fn transfer_into<Q: BenchQueue, S: Default + Send>(
    queue: &Q,
    producers: u64,
    consumers: u64,
    record: impl Fn(&mut S, u64) + Copy + Send,
) -> Vec<S> {
    let per = MESSAGES / producers;
    std::thread::scope(|s| {
        let senders: Vec<_> = (0..producers)
            .map(|p| {
                s.spawn(move || (p * per + 1..=(p + 1) * per).for_each(|v| push_waiting(queue, v)))
            })
            .collect();
        let receivers: Vec<_> = (0..consumers)
            .map(|_| {
                s.spawn(move || {
                    let mut state = S::default();
                    if consumers == 1 {
                        for _ in 0..MESSAGES {
                            record(&mut state, pop_waiting(queue));
                        }
                    } else {
                        loop {
                            match pop_waiting(queue) {
                                0 => break,
                                value => record(&mut state, value),
                            }
                        }
                    }
                    state
                })
            })
            .collect();
        for sender in senders {
            sender.join().expect("producer");
        }
        if consumers > 1 {
            (0..consumers).for_each(|_| push_waiting(queue, 0));
        }
        receivers
            .into_iter()
            .map(|r| r.join().expect("consumer"))
            .collect()
    })
}

/// The split-handle flavours (1p1c rows): the producer handle is used by the one producer
/// thread and the consumer handle by the one consumer thread.
struct Split<P, C> {
    producer: P,
    consumer: C,
}

// SAFETY: `Split` is only used for 1p1c rows: exactly one thread calls `try_push` (which
// only touches `producer`) and exactly one other thread calls `try_pop` (only
// `consumer`); both handles are `Send`, so using each from one foreign thread is sound.
unsafe impl<P: Send, C: Send> Sync for Split<P, C> {}

impl<P: Push<u64> + Send, C: Pop<u64> + Send> BenchQueue for Split<P, C> {
    #[inline]
    fn try_push(&self, value: u64) -> bool {
        self.producer.try_push(value).is_ok()
    }
    #[inline]
    fn try_pop(&self) -> Option<u64> {
        self.consumer.try_pop()
    }
}

impl BenchQueue for arsenal_sync::mpmc::Queue<u64> {
    #[inline]
    fn try_push(&self, value: u64) -> bool {
        Push::try_push(self, value).is_ok()
    }
    #[inline]
    fn try_pop(&self) -> Option<u64> {
        Pop::try_pop(self)
    }
}

/// Keeps the ring's counters off other data's cache lines (as `arsenal-sync` does).
#[repr(C, align(64))]
struct CacheAligned<T>(T);

/// A ck ring driven through the shim directly (the `raw:` rows).
struct RawRing {
    ring: CacheAligned<UnsafeCell<sys::ck_ring_t>>,
    slots: Box<[UnsafeCell<sys::ck_ring_buffer_t>]>,
    enqueue: sys::RingEnqueueFn,
    dequeue: sys::RingDequeueFn,
}

// SAFETY: the ring is only operated on by ck's functions, with the flavour's producer and
// consumer rules kept by the rows (spsc: 1p1c only; mpmc: any).
unsafe impl Sync for RawRing {}

impl RawRing {
    fn new(enqueue: sys::RingEnqueueFn, dequeue: sys::RingDequeueFn) -> RawRing {
        let ring = CacheAligned(UnsafeCell::new(sys::ck_ring_t::ZEROED));
        // SAFETY: writable ring, power-of-two size.
        unsafe { sys::arsenal_ck_ring_init(ring.0.get(), SLOTS as u32) };
        let slots = (0..SLOTS)
            .map(|_| {
                UnsafeCell::new(sys::ck_ring_buffer_t {
                    value: ptr::null_mut(),
                })
            })
            .collect();
        RawRing {
            ring,
            slots,
            enqueue,
            dequeue,
        }
    }
}

impl BenchQueue for RawRing {
    #[inline]
    fn try_push(&self, value: u64) -> bool {
        let entry = value as usize as *const c_void;
        // SAFETY: ring and slots belong together and outlive the call; see the Sync impl.
        unsafe {
            (self.enqueue)(
                self.ring.0.get(),
                self.slots.as_ptr().cast_mut().cast(),
                &entry,
            )
        }
    }
    #[inline]
    fn try_pop(&self) -> Option<u64> {
        let mut out: *mut c_void = ptr::null_mut();
        // SAFETY: as in `try_push`; ck writes one pointer-sized slot into `out`.
        let ok = unsafe {
            (self.dequeue)(
                self.ring.0.get(),
                self.slots.as_ptr().cast(),
                ptr::from_mut(&mut out).cast(),
            )
        };
        ok.then_some(out as usize as u64)
    }
}

impl BenchQueue for crossbeam::queue::ArrayQueue<u64> {
    #[inline]
    fn try_push(&self, value: u64) -> bool {
        self.push(value).is_ok()
    }
    #[inline]
    fn try_pop(&self) -> Option<u64> {
        self.pop()
    }
}

impl BenchQueue for crossbeam::queue::SegQueue<u64> {
    #[inline]
    fn try_push(&self, value: u64) -> bool {
        self.push(value);
        true
    }
    #[inline]
    fn try_pop(&self) -> Option<u64> {
        self.pop()
    }
}

struct Channel(
    crossbeam::channel::Sender<u64>,
    crossbeam::channel::Receiver<u64>,
);

impl BenchQueue for Channel {
    #[inline]
    fn try_push(&self, value: u64) -> bool {
        self.0.try_send(value).is_ok()
    }
    #[inline]
    fn try_pop(&self) -> Option<u64> {
        self.1.try_recv().ok()
    }
}

/// rtrb's ends are `&mut`: each sits in a cell used by its one thread only, on a cache
/// line of its own (each end caches the other's index and writes that cache: side by
/// side they would share a line and every operation would bounce it between cores).
struct Rtrb(
    crossbeam::utils::CachePadded<UnsafeCell<rtrb::Producer<u64>>>,
    crossbeam::utils::CachePadded<UnsafeCell<rtrb::Consumer<u64>>>,
);

// SAFETY: 1p1c rows only: the producer cell is touched by the one producer thread and
// the consumer cell by the one consumer thread (never both by one thread at once).
unsafe impl Sync for Rtrb {}

impl BenchQueue for Rtrb {
    #[inline]
    fn try_push(&self, value: u64) -> bool {
        // SAFETY: only the producer thread calls `try_push` (see the Sync impl).
        unsafe { &mut *self.0.get() }.push(value).is_ok()
    }
    #[inline]
    fn try_pop(&self) -> Option<u64> {
        // SAFETY: only the consumer thread calls `try_pop` (see the Sync impl).
        unsafe { &mut *self.1.get() }.pop().ok()
    }
}

fn queue_case<Q: BenchQueue + 'static>(
    reg: &mut Registry,
    dataset: &str,
    imp: &str,
    (producers, consumers): (u64, u64),
    make: impl Fn() -> Q + 'static,
) {
    let make = std::rc::Rc::new(make);
    let check = {
        let make = std::rc::Rc::clone(&make);
        move || transfer_checked(&make(), producers, consumers)
    };
    reg.add(
        Case::new(NAME, "queue", dataset, imp, 0, MESSAGES, move || {
            let queue = make();
            transfer(&queue, producers, consumers)
        })
        .expect(expected_queue_sum())
        .verify(check),
    );
}

fn register_queues(reg: &mut Registry) {
    for (dataset, shape) in [("1p1c", (1, 1)), ("2p2c", (2, 2))] {
        let single = shape == (1, 1);
        if single {
            queue_case(reg, dataset, "arsenal:ck-spsc", shape, || {
                let (producer, consumer) = arsenal_sync::spsc::channel(SLOTS).expect("valid slots");
                Split { producer, consumer }
            });
            queue_case(reg, dataset, "arsenal:ck-spmc", shape, || {
                let (producer, consumer) = arsenal_sync::spmc::channel(SLOTS).expect("valid slots");
                Split { producer, consumer }
            });
            queue_case(reg, dataset, "raw:ck-spsc", shape, || {
                RawRing::new(
                    sys::arsenal_ck_ring_enqueue_spsc,
                    sys::arsenal_ck_ring_dequeue_spsc,
                )
            });
            queue_case(reg, dataset, "arsenal:native-mpsc", shape, || {
                let (producer, consumer) = arsenal_sync::unbounded_mpsc::channel();
                Split { producer, consumer }
            });
            queue_case(reg, dataset, "peer:rtrb", shape, || {
                let (p, c) = rtrb::RingBuffer::new(SLOTS - 1);
                Rtrb(
                    crossbeam::utils::CachePadded::new(UnsafeCell::new(p)),
                    crossbeam::utils::CachePadded::new(UnsafeCell::new(c)),
                )
            });
        }
        queue_case(reg, dataset, "arsenal:ck-mpmc", shape, || {
            arsenal_sync::mpmc::Queue::new(SLOTS).expect("valid slots")
        });
        queue_case(reg, dataset, "raw:ck-mpmc", shape, || {
            RawRing::new(
                sys::arsenal_ck_ring_enqueue_mpmc,
                sys::arsenal_ck_ring_dequeue_mpmc,
            )
        });
        queue_case(reg, dataset, "peer:crossbeam-arrayqueue", shape, || {
            crossbeam::queue::ArrayQueue::new(SLOTS - 1)
        });
        queue_case(
            reg,
            dataset,
            "peer:crossbeam-segqueue",
            shape,
            crossbeam::queue::SegQueue::new,
        );
        queue_case(reg, dataset, "peer:crossbeam-channel", shape, || {
            let (tx, rx) = crossbeam::channel::bounded(SLOTS - 1);
            Channel(tx, rx)
        });
    }
}

/// Empty queues alive together for the `sync/memory/empty-1024` rows.
pub const EMPTY_QUEUES: usize = 64;
/// Values pushed for the `sync/memory/queued-1000` rows (fewer than a bounded queue's
/// 1023).
pub const QUEUED: u64 = 1000;
/// The dataset of the empty-queue rows.
const EMPTY_DATASET: &str = "empty-1024";
/// The dataset of the per-message rows.
const QUEUED_DATASET: &str = "queued-1000";

/// `(bytes per empty queue, bytes per queued message)`, `None` where not measurable.
type QueueMemory = (Option<f64>, Option<f64>);

/// The [`QueueMemory`] of the queues `make` creates; `push` pushes one value (false: the
/// queue refused it).
fn queue_memory<Q>(
    make: impl Fn() -> Option<Q>,
    push: impl Fn(&mut Q, u64) -> bool,
) -> QueueMemory {
    let empty = held_per_value(EMPTY_QUEUES, |_| make());
    let queued = make().and_then(|mut queue| {
        let (_, bytes) = held_by(|| (1..=QUEUED).all(|v| push(&mut queue, v)).then_some(()))?;
        Some(bytes as f64 / QUEUED as f64)
    });
    (empty, queued)
}

/// The `sync/memory/*` rows: every queue's footprint empty and per queued message
/// (measured after the timing runs, with no other thread running).
pub fn memory_rows() -> Vec<MemoryRow> {
    let mut measured: Vec<(&str, QueueMemory)> = Vec::new();
    measured.push((
        "arsenal:ck-mpsc",
        queue_memory(
            || arsenal_sync::mpsc::channel::<u64>(SLOTS).ok(),
            |(tx, _rx), v| tx.try_push(v).is_ok(),
        ),
    ));
    measured.push((
        "arsenal:native-mpsc",
        queue_memory(
            || Some(arsenal_sync::unbounded_mpsc::channel::<u64>()),
            |(tx, _rx), v| tx.try_push(v).is_ok(),
        ),
    ));
    measured.push((
        "raw:ck-ring",
        queue_memory(
            || {
                Some(RawRing::new(
                    sys::arsenal_ck_ring_enqueue_mpsc,
                    sys::arsenal_ck_ring_dequeue_mpsc,
                ))
            },
            |ring, v| ring.try_push(v),
        ),
    ));
    measured.push((
        "peer:rtrb",
        queue_memory(
            || Some(rtrb::RingBuffer::<u64>::new(SLOTS - 1)),
            |(tx, _rx), v| tx.push(v).is_ok(),
        ),
    ));
    measured.push((
        "peer:crossbeam-arrayqueue",
        queue_memory(
            || Some(crossbeam::queue::ArrayQueue::<u64>::new(SLOTS - 1)),
            |q, v| q.push(v).is_ok(),
        ),
    ));
    measured.push((
        "peer:crossbeam-segqueue",
        queue_memory(
            || Some(crossbeam::queue::SegQueue::<u64>::new()),
            |q, v| {
                q.push(v);
                true
            },
        ),
    ));
    measured.push((
        "peer:crossbeam-channel",
        queue_memory(
            || Some(crossbeam::channel::bounded::<u64>(SLOTS - 1)),
            |(tx, _rx), v| tx.try_send(v).is_ok(),
        ),
    ));
    measured.push((
        "peer:std-mpsc",
        queue_memory(
            || Some(std::sync::mpsc::channel::<u64>()),
            |(tx, _rx), v| tx.send(v).is_ok(),
        ),
    ));
    let row = |dataset: &str, what: String, imp: &str, items: u64, bytes: Option<f64>| MemoryRow {
        domain: NAME.to_owned(),
        dataset: dataset.to_owned(),
        what,
        imp: imp.to_owned(),
        items,
        bytes_per_item: bytes.filter(|b| b.is_finite()),
    };
    let empty_what = format!(
        "empty queue of the bench's capacity ({SLOTS} slots: bounded queues hold {} u64s, \
         unbounded ones as created): size_of its handles + heap bytes in use added (glibc \
         mallinfo2), {EMPTY_QUEUES} queues alive, / {EMPTY_QUEUES}",
        SLOTS - 1
    );
    let queued_what = format!(
        "queued u64 message: heap bytes in use (glibc mallinfo2) added by pushing {QUEUED} \
         values into one empty queue, / {QUEUED}"
    );
    let mut rows: Vec<MemoryRow> = measured
        .iter()
        .map(|(imp, (empty, _))| {
            row(
                EMPTY_DATASET,
                empty_what.clone(),
                imp,
                EMPTY_QUEUES as u64,
                *empty,
            )
        })
        .collect();
    rows.extend(
        measured.iter().map(|(imp, (_, queued))| {
            row(QUEUED_DATASET, queued_what.clone(), imp, QUEUED, *queued)
        }),
    );
    rows
}

/// A lock as the bench drives it: one critical section incrementing a plain counter.
trait BenchLock: Sync {
    fn increment(&self);
    fn value(&self) -> u64;
}

/// Any `lock_api` mutex (arsenal's raw locks, parking_lot's).
struct ApiMutex<R: RawMutex>(lock_api::Mutex<R, u64>);

impl<R: RawMutex + Sync + Send> BenchLock for ApiMutex<R> {
    #[inline]
    fn increment(&self) {
        *self.0.lock() += 1;
    }
    fn value(&self) -> u64 {
        *self.0.lock()
    }
}

struct ParkingLot(parking_lot::Mutex<u64>);

impl BenchLock for ParkingLot {
    #[inline]
    fn increment(&self) {
        *self.0.lock() += 1;
    }
    fn value(&self) -> u64 {
        *self.0.lock()
    }
}

struct CkRwWrite(arsenal_sync::CkRwLock<u64>);

impl BenchLock for CkRwWrite {
    #[inline]
    fn increment(&self) {
        *self.0.write() += 1;
    }
    fn value(&self) -> u64 {
        *self.0.read()
    }
}

struct StdMutex(std::sync::Mutex<u64>);

impl BenchLock for StdMutex {
    #[inline]
    fn increment(&self) {
        *self.0.lock().expect("never poisoned") += 1;
    }
    fn value(&self) -> u64 {
        *self.0.lock().expect("never poisoned")
    }
}

/// A ck lock called through the shim directly, with its counter.
struct RawCk<L> {
    lock: UnsafeCell<L>,
    counter: UnsafeCell<u64>,
}

// SAFETY: the lock is only operated on by ck's functions; `counter` is only touched while
// holding it (or after all threads joined).
unsafe impl<L> Sync for RawCk<L> {}

impl<L> RawCk<L> {
    fn new(lock: L) -> Self {
        RawCk {
            lock: UnsafeCell::new(lock),
            counter: UnsafeCell::new(0),
        }
    }

    /// # Safety
    ///
    /// Only while holding the lock.
    #[inline]
    unsafe fn bump(&self) {
        // SAFETY: exclusive under the lock (caller's contract).
        unsafe { *self.counter.get() += 1 };
    }

    fn value(&self) -> u64 {
        // SAFETY: called after the scoped threads joined: no concurrent writer.
        unsafe { *self.counter.get() }
    }
}

macro_rules! raw_simple {
    ($name:ident, $cty:ty, $lock:ident, $unlock:ident) => {
        struct $name(RawCk<$cty>);
        impl BenchLock for $name {
            #[inline]
            fn increment(&self) {
                // SAFETY: the lock is initialised (zero); we hold it between the calls.
                unsafe {
                    sys::$lock(self.0.lock.get());
                    self.0.bump();
                    sys::$unlock(self.0.lock.get());
                }
            }
            fn value(&self) -> u64 {
                self.0.value()
            }
        }
    };
}

raw_simple!(
    RawFas,
    sys::ck_spinlock_fas_t,
    arsenal_ck_spinlock_fas_lock,
    arsenal_ck_spinlock_fas_unlock
);
raw_simple!(
    RawTicket,
    sys::ck_spinlock_ticket_t,
    arsenal_ck_spinlock_ticket_lock,
    arsenal_ck_spinlock_ticket_unlock
);
raw_simple!(
    RawRwWrite,
    sys::ck_rwlock_t,
    arsenal_ck_rwlock_write_lock,
    arsenal_ck_rwlock_write_unlock
);

struct RawMcs(RawCk<sys::ck_spinlock_mcs_t>);

impl BenchLock for RawMcs {
    #[inline]
    fn increment(&self) {
        let mut node = sys::ck_spinlock_mcs {
            locked: 0,
            next: ptr::null_mut(),
        };
        // SAFETY: the queue is initialised (null); `node` lives on this stack frame until
        // unlock returns, after which nobody refers to it.
        unsafe {
            sys::arsenal_ck_spinlock_mcs_lock(self.0.lock.get(), &mut node);
            self.0.bump();
            sys::arsenal_ck_spinlock_mcs_unlock(self.0.lock.get(), &mut node);
        }
    }
    fn value(&self) -> u64 {
        self.0.value()
    }
}

/// Raw CLH: the lock's unowned node plus one node per thread, allocated up front; nodes
/// change hands on every unlock, so each thread keeps "its" node in a local variable.
struct RawClh {
    inner: RawCk<*mut sys::ck_spinlock_clh_t>,
    nodes: Vec<*mut sys::ck_spinlock_clh_t>,
}

// SAFETY: the node pointers are only read (each thread reads its own starting node);
// the nodes themselves are operated on by ck's CLH functions, made for concurrent use.
unsafe impl Sync for RawClh {}

impl RawClh {
    fn new(threads: usize) -> RawClh {
        let nodes: Vec<_> = (0..=threads)
            .map(|_| {
                Box::into_raw(Box::new(sys::ck_spinlock_clh_t {
                    wait: 0,
                    previous: ptr::null_mut(),
                }))
            })
            .collect();
        let inner = RawCk::new(ptr::null_mut());
        // SAFETY: `nodes[0]` is a live heap node, given to the lock as its unowned node.
        unsafe { sys::arsenal_ck_spinlock_clh_init(inner.lock.get(), nodes[0]) };
        RawClh { inner, nodes }
    }

    /// `count` critical sections on this thread, starting with node `nodes[thread + 1]`.
    fn run(&self, thread: usize, count: u64) {
        let mut mine = self.nodes[thread + 1];
        for _ in 0..count {
            // SAFETY: `mine` is a node this thread owns (initially its own; after each
            // unlock, the predecessor's node that ck handed over); all nodes live until
            // `self` drops, after every thread finished.
            unsafe {
                sys::arsenal_ck_spinlock_clh_lock(self.inner.lock.get(), mine);
                self.inner.bump();
                sys::arsenal_ck_spinlock_clh_unlock(&mut mine);
            }
        }
    }
}

impl Drop for RawClh {
    fn drop(&mut self) {
        for &node in &self.nodes {
            // SAFETY: every node came from `Box::into_raw`; the set of nodes is unchanged
            // (only their owners rotated) and no thread uses them any more.
            drop(unsafe { Box::from_raw(node) });
        }
    }
}

fn lock_case<L: BenchLock + 'static>(
    reg: &mut Registry,
    imp: &str,
    make: impl Fn() -> L + Clone + 'static,
) {
    let make2 = make.clone();
    reg.add(
        Case::new(NAME, "lock", "uncontended", imp, 0, LOCK_OPS, move || {
            let lock = make();
            for _ in 0..LOCK_OPS {
                black_box(&lock).increment();
            }
            lock.value()
        })
        .expect(LOCK_OPS),
    );
    reg.add(
        Case::new(NAME, "lock", "2threads", imp, 0, LOCK_OPS, move || {
            let lock = make2();
            let start = Barrier::new(2);
            std::thread::scope(|s| {
                for _ in 0..2 {
                    s.spawn(|| {
                        start.wait();
                        (0..LOCK_OPS / 2).for_each(|_| lock.increment());
                    });
                }
            });
            lock.value()
        })
        .expect(2 * (LOCK_OPS / 2)),
    );
}

fn register_locks(reg: &mut Registry) {
    lock_case(reg, "arsenal:ck-fas", || {
        ApiMutex(arsenal_sync::FasMutex::new(0))
    });
    lock_case(reg, "arsenal:ck-ticket", || {
        ApiMutex(arsenal_sync::TicketMutex::new(0))
    });
    lock_case(reg, "arsenal:ck-mcs", || {
        ApiMutex(arsenal_sync::McsMutex::new(0))
    });
    lock_case(reg, "arsenal:ck-clh", || {
        ApiMutex(arsenal_sync::ClhMutex::new(0))
    });
    lock_case(reg, "arsenal:ck-rwlock", || {
        CkRwWrite(arsenal_sync::CkRwLock::new(0))
    });
    lock_case(reg, "arsenal:native-futex", || {
        ApiMutex(arsenal_sync::FutexMutex::new(0))
    });
    lock_case(reg, "raw:ck-fas", || {
        RawFas(RawCk::new(sys::ck_spinlock_fas_t::default()))
    });
    lock_case(reg, "raw:ck-ticket", || {
        RawTicket(RawCk::new(sys::ck_spinlock_ticket_t::default()))
    });
    lock_case(reg, "raw:ck-mcs", || RawMcs(RawCk::new(ptr::null_mut())));
    lock_case(reg, "raw:ck-rwlock", || {
        RawRwWrite(RawCk::new(sys::ck_rwlock_t::default()))
    });
    lock_case(reg, "peer:std-mutex", || StdMutex(std::sync::Mutex::new(0)));
    lock_case(reg, "peer:parking_lot", || {
        ParkingLot(parking_lot::Mutex::new(0))
    });
    // CLH's raw row needs per-thread nodes, so it has its own loops.
    reg.add(
        Case::new(
            NAME,
            "lock",
            "uncontended",
            "raw:ck-clh",
            0,
            LOCK_OPS,
            || {
                let lock = RawClh::new(1);
                lock.run(0, LOCK_OPS);
                lock.inner.value()
            },
        )
        .expect(LOCK_OPS),
    );
    reg.add(
        Case::new(NAME, "lock", "2threads", "raw:ck-clh", 0, LOCK_OPS, || {
            let lock = RawClh::new(2);
            let start = Barrier::new(2);
            std::thread::scope(|s| {
                for thread in 0..2 {
                    let (lock, start) = (&lock, &start);
                    s.spawn(move || {
                        start.wait();
                        lock.run(thread, LOCK_OPS / 2);
                    });
                }
            });
            lock.inner.value()
        })
        .expect(2 * (LOCK_OPS / 2)),
    );
}

/// Registers the sync rows.
pub fn register(reg: &mut Registry) {
    register_queues(reg);
    register_locks(reg);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{verify_cases, Progress, Status};

    #[test]
    fn every_cell_verifies() {
        let mut reg = Registry::new();
        register(&mut reg);
        let rows = verify_cases(reg.into_cases(), &mut Progress::hidden());
        assert!(rows.len() >= 15 + 2 * 13, "{}", rows.len());
        for row in &rows {
            assert_eq!(row.status, Status::Verified, "{}: {:?}", row.id, row.error);
        }
    }

    #[test]
    fn memory_rows_cover_every_queue_in_both_datasets() {
        let rows = memory_rows();
        assert_eq!(rows.len(), 2 * 8);
        for row in &rows {
            assert!(row.bytes_per_item.is_some(), "{}", row.id());
        }
        for id in [
            "sync/memory/empty-1024/arsenal:ck-mpsc",
            "sync/memory/empty-1024/arsenal:native-mpsc",
            "sync/memory/queued-1000/arsenal:native-mpsc",
        ] {
            assert!(rows.iter().any(|row| row.id() == id), "{id}");
        }
        // The values themselves depend on what other test threads allocate and free
        // meanwhile (the heap counter is process-wide): `--verify` checks them alone.
    }

    /// A "queue" that loses or duplicates values fails the transfer check.
    #[test]
    fn the_transfer_check_catches_lost_values() {
        /// Drops every value that is a multiple of 1000 and pushes every value after one
        /// (and 1) twice: as many values as a correct queue, some lost, some repeated.
        struct Lossy(crossbeam::queue::SegQueue<u64>);
        impl BenchQueue for Lossy {
            fn try_push(&self, value: u64) -> bool {
                if !value.is_multiple_of(1000) {
                    self.0.push(value);
                }
                if value % 1000 == 1 {
                    self.0.push(value);
                }
                true
            }
            fn try_pop(&self) -> Option<u64> {
                self.0.pop()
            }
        }
        let lossy = Lossy(crossbeam::queue::SegQueue::new());
        let err = transfer_checked(&lossy, 1, 1).unwrap_err();
        assert!(
            err.contains("popped twice") || err.contains("never popped"),
            "{err}"
        );
        let fine = crossbeam::queue::SegQueue::new();
        assert_eq!(transfer_checked(&fine, 2, 2), Ok(()));
    }

    #[test]
    fn the_note_counts_cores() {
        let machine = Machine::detect(&crate::harness::Profile::smoke(), None);
        let note = (DOMAIN.note)(&machine).unwrap();
        assert!(note.contains(&format!("{} logical cores", machine.logical_cores)));
    }
}
