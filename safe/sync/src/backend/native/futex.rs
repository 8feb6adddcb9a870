//! A sleeping mutex on Linux `futex(2)`: Ulrich Drepper's three-state mutex ("Futexes Are
//! Tricky", mutex #3), with a short spin before sleeping.
//!
//! Native Rust because ck's locks only spin and never put a waiting thread to sleep; with
//! more runnable threads than cores (or long critical sections) a sleeping lock wastes no
//! CPU. States: 0 unlocked, 1 locked, 2 locked with (possible) sleepers.
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

use lock_api::{GuardSend, RawMutex};

const UNLOCKED: u32 = 0;
const LOCKED: u32 = 1;
const CONTENDED: u32 = 2;

/// Spins this many times (reading the state) before going to sleep.
const SPINS: u32 = 100;

/// Raw futex mutex; use it as [`FutexMutex<T>`].
///
/// ```
/// let m = std::sync::Arc::new(arsenal_sync::FutexMutex::new(0u32));
/// let handles: Vec<_> = (0..4)
///     .map(|_| {
///         let m = m.clone();
///         std::thread::spawn(move || for _ in 0..1000 { *m.lock() += 1 })
///     })
///     .collect();
/// handles.into_iter().for_each(|h| h.join().unwrap());
/// assert_eq!(*m.lock(), 4000);
/// ```
pub struct RawFutex {
    state: AtomicU32,
}

impl fmt::Debug for RawFutex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawFutex")
            .field("state", &self.state.load(Ordering::Relaxed))
            .finish()
    }
}

impl RawFutex {
    #[cold]
    fn lock_contended(&self) {
        let mut spins = 0;
        while spins < SPINS {
            let state = self.state.load(Ordering::Relaxed);
            if state == UNLOCKED
                && self
                    .state
                    .compare_exchange_weak(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
                    .is_ok()
            {
                return;
            }
            if state == CONTENDED {
                break;
            }
            std::hint::spin_loop();
            spins += 1;
        }
        // Mark the lock contended; whoever sees 0 here owns it (in state 2, which may
        // cause one spurious wake-up on unlock: Drepper's accepted cost).
        while self.state.swap(CONTENDED, Ordering::Acquire) != UNLOCKED {
            futex_wait(&self.state, CONTENDED);
        }
    }
}

/// Sleeps while `*word == expected` (returns at once otherwise, or on a signal/spurious
/// wake-up; the caller re-checks).
fn futex_wait(word: &AtomicU32, expected: u32) {
    // SAFETY: FUTEX_WAIT reads the aligned u32 behind `word`, which lives for the call; a
    // null timeout means no timeout. Errors (EAGAIN, EINTR) just return to the caller's
    // loop.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            std::ptr::null::<libc::timespec>(),
        );
    }
}

/// Wakes one thread sleeping on `word`.
fn futex_wake_one(word: &AtomicU32) {
    // SAFETY: FUTEX_WAKE only uses the address as a key; `word` is live.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            1i32,
        );
    }
}

// SAFETY: the state word gives mutual exclusion (only the thread whose CAS/swap moved it
// from 0 owns the lock), with Acquire on lock and Release on unlock. Guards are stateless;
// forgetting one leaves the lock held; moving the lock moves a plain word (no thread can
// sleep on it while it is exclusively owned).
unsafe impl RawMutex for RawFutex {
    #[allow(clippy::declare_interior_mutable_const)]
    const INIT: Self = RawFutex {
        state: AtomicU32::new(UNLOCKED),
    };
    type Guard = GuardSend;

    #[inline]
    fn lock(&self) -> GuardSend {
        if self
            .state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        GuardSend::new()
    }

    #[inline]
    fn try_lock(&self) -> Option<GuardSend> {
        self.state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
            .then(GuardSend::new)
    }

    #[inline]
    unsafe fn unlock(&self, _guard: GuardSend) {
        if self.state.swap(UNLOCKED, Ordering::Release) == CONTENDED {
            futex_wake_one(&self.state);
        }
    }

    #[inline]
    fn is_locked(&self) -> bool {
        self.state.load(Ordering::Relaxed) != UNLOCKED
    }
}

/// A `lock_api::Mutex` that sleeps in the kernel when contended (Linux futex).
pub type FutexMutex<T> = lock_api::Mutex<RawFutex, T>;
