//! The queue and lock conformance suites of `arsenal-sync`.
//!
//! Queues: [`Flavor`] builds a queue's handles for any `T`, and [`queue_conformance!`](crate::queue_conformance)
//! (plus [`bounded_queue_conformance!`](crate::bounded_queue_conformance) for rings) instantiates every suite as `#[test]`s
//! for one flavour. Locks: [`mutex_conformance!`](crate::mutex_conformance) does the same for a `lock_api`
//! `RawMutex`. Counts are sized for a 2-core CI machine.
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use arsenal_sync::lock_api::{self, RawMutex, RawRwLock};
use arsenal_sync::{Bounded, Pop, Push};

/// How a queue flavour hands out its ends.
pub trait Flavor {
    /// The producing handle for values of type `T`.
    type Producer<T: Send + 'static>: Push<T> + Send;
    /// The consuming handle for values of type `T`.
    type Consumer<T: Send + 'static>: Pop<T> + Send;
    /// Most producers the flavour allows.
    const MAX_PRODUCERS: usize;
    /// Most consumers the flavour allows.
    const MAX_CONSUMERS: usize;
    /// A queue of `slots` slots (ignored by unbounded queues) with `producers` producer
    /// handles and `consumers` consumer handles.
    fn make<T: Send + 'static>(slots: usize, producers: usize, consumers: usize) -> Ends<Self, T>;
}

/// The producer and consumer handles of one queue of flavour `F`.
pub type Ends<F, T> = (
    Vec<<F as Flavor>::Producer<T>>,
    Vec<<F as Flavor>::Consumer<T>>,
);

fn clones<H: Clone>(first: H, n: usize) -> Vec<H> {
    let mut all = vec![first; n.max(1)];
    all.truncate(n);
    all
}

/// `arsenal_sync::spsc`.
#[cfg(feature = "ck")]
#[derive(Debug)]
pub struct Spsc;
#[cfg(feature = "ck")]
impl Flavor for Spsc {
    type Producer<T: Send + 'static> = arsenal_sync::spsc::Producer<T>;
    type Consumer<T: Send + 'static> = arsenal_sync::spsc::Consumer<T>;
    const MAX_PRODUCERS: usize = 1;
    const MAX_CONSUMERS: usize = 1;
    fn make<T: Send + 'static>(slots: usize, producers: usize, consumers: usize) -> Ends<Self, T> {
        assert_eq!((producers, consumers), (1, 1));
        let (p, c) = arsenal_sync::spsc::channel(slots).expect("valid slot count");
        (vec![p], vec![c])
    }
}

/// `arsenal_sync::spmc`.
#[cfg(feature = "ck")]
#[derive(Debug)]
pub struct Spmc;
#[cfg(feature = "ck")]
impl Flavor for Spmc {
    type Producer<T: Send + 'static> = arsenal_sync::spmc::Producer<T>;
    type Consumer<T: Send + 'static> = arsenal_sync::spmc::Consumer<T>;
    const MAX_PRODUCERS: usize = 1;
    const MAX_CONSUMERS: usize = usize::MAX;
    fn make<T: Send + 'static>(slots: usize, producers: usize, consumers: usize) -> Ends<Self, T> {
        assert_eq!(producers, 1);
        let (p, c) = arsenal_sync::spmc::channel(slots).expect("valid slot count");
        (vec![p], clones(c, consumers))
    }
}

/// `arsenal_sync::mpsc` (ck's bounded ring).
#[cfg(feature = "ck")]
#[derive(Debug)]
pub struct Mpsc;
#[cfg(feature = "ck")]
impl Flavor for Mpsc {
    type Producer<T: Send + 'static> = arsenal_sync::mpsc::Producer<T>;
    type Consumer<T: Send + 'static> = arsenal_sync::mpsc::Consumer<T>;
    const MAX_PRODUCERS: usize = usize::MAX;
    const MAX_CONSUMERS: usize = 1;
    fn make<T: Send + 'static>(slots: usize, producers: usize, consumers: usize) -> Ends<Self, T> {
        assert_eq!(consumers, 1);
        let (p, c) = arsenal_sync::mpsc::channel(slots).expect("valid slot count");
        (clones(p, producers), vec![c])
    }
}

/// `arsenal_sync::mpmc::Queue`, shared through `Arc`s.
#[cfg(feature = "ck")]
#[derive(Debug)]
pub struct Mpmc;
#[cfg(feature = "ck")]
impl Flavor for Mpmc {
    type Producer<T: Send + 'static> = Arc<arsenal_sync::mpmc::Queue<T>>;
    type Consumer<T: Send + 'static> = Arc<arsenal_sync::mpmc::Queue<T>>;
    const MAX_PRODUCERS: usize = usize::MAX;
    const MAX_CONSUMERS: usize = usize::MAX;
    fn make<T: Send + 'static>(slots: usize, producers: usize, consumers: usize) -> Ends<Self, T> {
        let queue = Arc::new(arsenal_sync::mpmc::Queue::new(slots).expect("valid slot count"));
        (clones(queue.clone(), producers), clones(queue, consumers))
    }
}

/// `arsenal_sync::unbounded_mpsc` (native).
#[derive(Debug)]
pub struct UnboundedMpsc;
impl Flavor for UnboundedMpsc {
    type Producer<T: Send + 'static> = arsenal_sync::unbounded_mpsc::Producer<T>;
    type Consumer<T: Send + 'static> = arsenal_sync::unbounded_mpsc::Consumer<T>;
    const MAX_PRODUCERS: usize = usize::MAX;
    const MAX_CONSUMERS: usize = 1;
    fn make<T: Send + 'static>(_slots: usize, producers: usize, consumers: usize) -> Ends<Self, T> {
        assert_eq!(consumers, 1);
        let (p, c) = arsenal_sync::unbounded_mpsc::channel();
        (clones(p, producers), vec![c])
    }
}

/// Serialises the multi-threaded stress tests of one test binary: threads from two tests
/// at once oversubscribe a 2-core machine, and spinning waiters (FIFO spinlocks, ck's
/// multi-producer publish step) then wait for descheduled threads over and over.
static STRESS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn stress_section() -> std::sync::MutexGuard<'static, ()> {
    STRESS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What consumers received: count, wrapping sum and xor of the values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Values received.
    pub count: u64,
    /// Their wrapping sum.
    pub sum: u64,
    /// Their xor.
    pub xor: u64,
}

impl Tally {
    fn add(&mut self, value: u64) {
        self.count += 1;
        self.sum = self.sum.wrapping_add(value);
        self.xor ^= value;
    }

    fn merge(&mut self, other: Tally) {
        self.count += other.count;
        self.sum = self.sum.wrapping_add(other.sum);
        self.xor ^= other.xor;
    }
}

/// The value producer `p` sends as its `seq`-th message: distinct across producers.
pub fn message(p: u64, seq: u64) -> u64 {
    (p << 40) | (seq * 0x9E37 % (1 << 39)) << 1 | 1
}

/// The tally of every message sent when producer `p` sent `sent_by[p]` messages.
pub fn expected_tally(sent_by: &[u64]) -> Tally {
    let mut tally = Tally::default();
    for (p, &count) in sent_by.iter().enumerate() {
        for seq in 0..count {
            tally.add(message(p as u64, seq));
        }
    }
    tally
}

/// Moves up to `per_producer` messages from each of `producers` threads to `consumers`
/// threads (producers stop early at [`STRESS_DEADLINE`]: ck's multi-producer publish
/// step spins on descheduled producers when the machine is busy) and checks: the exact
/// count/sum/xor of what the producers sent (no loss, no duplication), and that every
/// consumer saw each producer's messages in the order they were sent.
pub fn check_transfer<F: Flavor>(
    producers: usize,
    consumers: usize,
    per_producer: u64,
    slots: usize,
) {
    let _serial = stress_section();
    let (tx, rx) = F::make::<(u32, u64)>(slots, producers, consumers);
    let deadline = Instant::now() + STRESS_DEADLINE;
    let received = AtomicU64::new(0);
    let sent = AtomicU64::new(0);
    let finished = AtomicUsize::new(0);
    let (tally, sent_by) = std::thread::scope(|s| {
        let senders: Vec<_> = tx
            .into_iter()
            .enumerate()
            .map(|(p, tx)| {
                let (sent, finished) = (&sent, &finished);
                s.spawn(move || {
                    let mut seq = 0;
                    let count = run_until(deadline, per_producer, || {
                        tx.push((p as u32, seq));
                        seq += 1;
                    });
                    sent.fetch_add(count, Ordering::AcqRel);
                    finished.fetch_add(1, Ordering::AcqRel);
                    count
                })
            })
            .collect();
        let receivers: Vec<_> = rx
            .into_iter()
            .map(|rx| {
                let (received, sent, finished) = (&received, &sent, &finished);
                s.spawn(move || {
                    let mut tally = Tally::default();
                    let mut next_seq: HashMap<u32, u64> = HashMap::new();
                    loop {
                        match rx.try_pop() {
                            Some((p, seq)) => {
                                received.fetch_add(1, Ordering::AcqRel);
                                let expected_at_least = next_seq.entry(p).or_insert(0);
                                assert!(
                                    seq >= *expected_at_least,
                                    "producer {p}: got seq {seq} after {}",
                                    *expected_at_least
                                );
                                *expected_at_least = seq + 1;
                                tally.add(message(u64::from(p), seq));
                            }
                            None => {
                                // Once every producer is done, `sent` is final and
                                // `received` reaching it means the queue is drained.
                                if finished.load(Ordering::Acquire) == producers
                                    && received.load(Ordering::Acquire)
                                        == sent.load(Ordering::Acquire)
                                {
                                    break;
                                }
                                std::thread::yield_now();
                            }
                        }
                    }
                    tally
                })
            })
            .collect();
        let sent_by: Vec<u64> = senders
            .into_iter()
            .map(|h| h.join().expect("producer thread"))
            .collect();
        let mut tally = Tally::default();
        for handle in receivers {
            tally.merge(handle.join().expect("consumer thread"));
        }
        (tally, sent_by)
    });
    let total: u64 = sent_by.iter().sum();
    if total < producers as u64 * per_producer {
        eprintln!(
            "transfer: producers stopped at the deadline after {total} of {} messages",
            producers as u64 * per_producer
        );
    }
    assert!(
        sent_by.iter().all(|&n| n >= per_producer.min(256)),
        "a producer sent too little: {sent_by:?}"
    );
    assert_eq!(tally, expected_tally(&sent_by));
}

/// One thread: values come out in the order they went in, then the queue is empty.
pub fn check_fifo_single_thread<F: Flavor>() {
    let (tx, rx) = F::make::<u64>(64, 1, 1);
    for round in 0..3u64 {
        for i in 0..50 {
            tx[0].try_push(round * 100 + i).expect("room for 50 values");
        }
        for i in 0..50 {
            assert_eq!(rx[0].try_pop(), Some(round * 100 + i));
        }
        assert_eq!(rx[0].try_pop(), None);
    }
}

/// Counts drops of its values.
#[derive(Debug)]
pub struct Counted<P = ()> {
    drops: Arc<AtomicUsize>,
    /// Makes the value as large as needed (`[u64; 4]` forces the boxed path of ck rings).
    pub payload: P,
}

impl<P> Drop for Counted<P> {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

/// Dropping a non-empty queue drops each value still in it exactly once, and popped
/// values are dropped once by their owner. `P` selects the size of the values.
pub fn check_drops_remaining<F: Flavor, P: Send + Default + 'static>() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = F::make::<Counted<P>>(32, 1, 1);
    for _ in 0..20 {
        let value = Counted {
            drops: drops.clone(),
            payload: P::default(),
        };
        assert!(tx[0].try_push(value).is_ok());
    }
    for _ in 0..5 {
        drop(rx[0].try_pop().expect("a queued value"));
    }
    assert_eq!(drops.load(Ordering::Relaxed), 5);
    drop(tx);
    assert_eq!(
        drops.load(Ordering::Relaxed),
        5,
        "the consumer still holds the queue"
    );
    drop(rx);
    assert_eq!(drops.load(Ordering::Relaxed), 20);
}

/// Values larger than a pointer (boxed by ck rings) keep their contents across threads.
pub fn check_large_values<F: Flavor>() {
    let _serial = stress_section();
    let (tx, rx) = F::make::<[u64; 5]>(16, 1, 1);
    let tx = tx.into_iter().next().expect("one producer");
    let rx = rx.into_iter().next().expect("one consumer");
    std::thread::scope(|s| {
        s.spawn(move || (0..10_000u64).for_each(|i| tx.push([i, !i, i * 3, i ^ 0x55, 7])));
        for i in 0..10_000u64 {
            assert_eq!(rx.pop(), [i, !i, i * 3, i ^ 0x55, 7]);
        }
    });
}

/// Values of odd sizes below a pointer (inline in ck rings, with unset bytes).
pub fn check_small_values<F: Flavor>() {
    let _serial = stress_section();
    let (tx, rx) = F::make::<(u8, u16)>(16, 1, 1);
    let tx = tx.into_iter().next().expect("one producer");
    let rx = rx.into_iter().next().expect("one consumer");
    std::thread::scope(|s| {
        s.spawn(move || (0..5_000u32).for_each(|i| tx.push((i as u8, (i * 7) as u16))));
        for i in 0..5_000u32 {
            assert_eq!(rx.pop(), (i as u8, (i * 7) as u16));
        }
    });
}

/// Zero-sized values are counted like any other.
pub fn check_zero_sized<F: Flavor>() {
    let (tx, rx) = F::make::<()>(8, 1, 1);
    for _ in 0..7 {
        assert_eq!(tx[0].try_push(()), Ok(()));
    }
    for _ in 0..7 {
        assert_eq!(rx[0].try_pop(), Some(()));
    }
    assert_eq!(rx[0].try_pop(), None);
}

/// A full ring hands the value back; capacity is `slots - 1`; popping one makes room.
pub fn check_full_hands_value_back<F: Flavor>()
where
    F::Producer<String>: Bounded,
{
    let (tx, rx) = F::make::<String>(8, 1, 1);
    assert_eq!(tx[0].capacity(), 7);
    for i in 0..7 {
        tx[0].try_push(i.to_string()).expect("room");
    }
    assert_eq!(tx[0].len(), 7);
    assert_eq!(tx[0].try_push("extra".into()), Err("extra".to_string()));
    assert_eq!(rx[0].try_pop().as_deref(), Some("0"));
    assert_eq!(tx[0].try_push("extra".into()), Ok(()));
    let rest: Vec<String> = std::iter::from_fn(|| rx[0].try_pop()).collect();
    assert_eq!(rest, ["1", "2", "3", "4", "5", "6", "extra"]);
    assert!(tx[0].is_empty());
}

/// Instantiates the queue suites for one [`Flavor`]; `transfers` lists the
/// `(producers, consumers, per_producer)` configurations to run.
#[macro_export]
macro_rules! queue_conformance {
    ($name:ident, $flavor:ty, transfers: [$(($p:expr, $c:expr, $n:expr)),* $(,)?]) => {
        mod $name {
            use $crate::sync::*;

            #[test]
            fn transfer_exact_counts_and_per_producer_order() {
                $( check_transfer::<$flavor>($p, $c, $n, 256); )*
            }

            #[test]
            fn transfer_through_a_tiny_ring() {
                check_transfer::<$flavor>(1, 1, 20_000, 4);
            }

            #[test]
            fn fifo_single_thread() {
                check_fifo_single_thread::<$flavor>();
            }

            #[test]
            fn drops_remaining_inline_values() {
                check_drops_remaining::<$flavor, ()>();
            }

            #[test]
            fn drops_remaining_boxed_values() {
                check_drops_remaining::<$flavor, [u64; 4]>();
            }

            #[test]
            fn large_values() {
                check_large_values::<$flavor>();
            }

            #[test]
            fn small_values() {
                check_small_values::<$flavor>();
            }

            #[test]
            fn zero_sized_values() {
                check_zero_sized::<$flavor>();
            }
        }
    };
}

/// Instantiates the bounded-queue suites (full ring, capacity) for one [`Flavor`].
#[macro_export]
macro_rules! bounded_queue_conformance {
    ($name:ident, $flavor:ty) => {
        mod $name {
            use $crate::sync::*;

            #[test]
            fn full_hands_value_back() {
                check_full_hands_value_back::<$flavor>();
            }
        }
    };
}

/// Threads for a FIFO spinlock stress test: 4, but no more than the machine's cores (a
/// FIFO lock handed to a descheduled waiter stalls everyone for a time slice).
pub fn fifo_stress_threads() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4))
}

/// How long a lock stress test may run before its threads stop early. Spinlocks never
/// yield, so when the machine is busy with other work (a 2-core CI runner also building)
/// a waiter can burn whole time slices while the thread it waits for is descheduled;
/// FIFO locks then pay that on every hand-over. The exactness check does not depend on
/// the iteration count, so the threads stop at this deadline and the test checks the
/// counter against the increments they actually made.
pub const STRESS_DEADLINE: Duration = Duration::from_secs(3);

/// Runs `body` up to `iterations` times, stopping early after `deadline`; returns the
/// number of runs.
fn run_until(deadline: Instant, iterations: u64, mut body: impl FnMut()) -> u64 {
    let mut done = 0;
    while done < iterations {
        body();
        done += 1;
        if done % 256 == 0 && Instant::now() >= deadline {
            break;
        }
    }
    done
}

/// `threads` threads each increment a plain (non-atomic) counter up to `iterations` times
/// under the lock (fewer if [`STRESS_DEADLINE`] passes); the final value must equal the
/// increments made.
pub fn check_mutual_exclusion<R: RawMutex + Send + Sync>(threads: usize, iterations: u64) {
    let _serial = stress_section();
    let counter = lock_api::Mutex::<R, u64>::new(0);
    let deadline = Instant::now() + STRESS_DEADLINE;
    let start = Barrier::new(threads);
    let made: u64 = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    start.wait();
                    run_until(deadline, iterations, || {
                        let mut guard = counter.lock();
                        // Read and write separately so a missing exclusion loses updates.
                        let value = black_box(*guard);
                        *guard = value + 1;
                    })
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("stress thread"))
            .sum()
    });
    if made < threads as u64 * iterations {
        eprintln!(
            "mutual exclusion: stopped at the deadline after {made} of {} increments",
            threads as u64 * iterations
        );
    }
    assert!(made >= threads as u64 * 256, "too few increments: {made}");
    assert_eq!(counter.into_inner(), made);
}

/// `try_lock` fails while another thread holds the lock and succeeds once it is free;
/// `is_locked` follows.
pub fn check_try_lock<R: RawMutex + Send + Sync>() {
    let mutex = lock_api::Mutex::<R, u32>::new(0);
    assert!(!mutex.is_locked());
    let held = Barrier::new(2);
    let tried = Barrier::new(2);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut guard = mutex.lock();
            *guard = 1;
            held.wait();
            tried.wait();
        });
        held.wait();
        assert!(mutex.is_locked());
        assert!(
            mutex.try_lock().is_none(),
            "try_lock succeeded on a held lock"
        );
        tried.wait();
    });
    let guard = mutex.try_lock().expect("free lock");
    assert_eq!(*guard, 1);
    assert!(mutex.is_locked());
    drop(guard);
    assert!(!mutex.is_locked());
}

/// A lock in a `static` (const `INIT`) and the guard API.
pub fn check_static_and_guards<R: RawMutex + Send + Sync>() {
    let mutex = lock_api::Mutex::<R, Vec<u32>>::new(Vec::new());
    mutex.lock().push(1);
    {
        let mut guard = mutex.lock();
        guard.push(2);
        assert!(mutex.try_lock().is_none());
    }
    let guard = mutex.try_lock().expect("free");
    assert_eq!(*guard, [1, 2]);
    drop(guard);
    assert_eq!(mutex.into_inner(), [1, 2]);
}

/// Instantiates the mutex suites for one raw lock type; `threads` for the mutual
/// exclusion stress (100 000 increments each).
#[macro_export]
macro_rules! mutex_conformance {
    ($name:ident, $raw:ty, threads: $threads:expr) => {
        mod $name {
            use $crate::sync::*;

            #[test]
            fn mutual_exclusion() {
                check_mutual_exclusion::<$raw>($threads, 100_000);
            }

            #[test]
            fn try_lock_semantics() {
                check_try_lock::<$raw>();
            }

            #[test]
            fn guard_api() {
                check_static_and_guards::<$raw>();
            }

            #[test]
            fn usable_in_a_static() {
                static COUNTER: arsenal_sync::lock_api::Mutex<$raw, u64> =
                    arsenal_sync::lock_api::Mutex::new(0);
                let before = *COUNTER.lock();
                *COUNTER.lock() += 5;
                assert_eq!(*COUNTER.lock(), before + 5);
            }
        }
    };
}

/// Readers hold a `RwLock` at the same time; a writer is excluded while they do, and
/// writers interleaved with readers keep a plain counter exact (up to 2 × 50 000 writes,
/// fewer if [`STRESS_DEADLINE`] passes).
pub fn check_rwlock<R: RawRwLock + Send + Sync>() {
    let _serial = stress_section();
    let lock = lock_api::RwLock::<R, u64>::new(0);
    let both_reading = Barrier::new(2);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let guard = lock.read();
                // Both readers reach this point while holding the lock.
                both_reading.wait();
                assert!(lock.try_write().is_none(), "writer got in beside readers");
                assert!(lock.is_locked());
                both_reading.wait();
                drop(guard);
            });
        }
    });
    assert!(!lock.is_locked());
    let deadline = Instant::now() + STRESS_DEADLINE;
    let made: u64 = std::thread::scope(|s| {
        let writers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    run_until(deadline, 50_000, || {
                        let mut guard = lock.write();
                        let value = black_box(*guard);
                        *guard = value + 1;
                    })
                })
            })
            .collect();
        s.spawn(|| {
            run_until(deadline, 20_000, || {
                let guard = lock.read();
                let value = *guard;
                assert_eq!(value, black_box(*guard), "value changed under a read lock");
            })
        });
        writers.into_iter().map(|h| h.join().expect("writer")).sum()
    });
    assert!(made >= 512, "too few writes: {made}");
    assert_eq!(*lock.read(), made);
    let write = lock.write();
    assert!(lock.is_locked_exclusive());
    assert!(lock.try_read().is_none());
    drop(write);
    assert!(lock.try_read().is_some());
}
