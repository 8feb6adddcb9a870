//! A multi-producer single-consumer queue on a backend chosen at run time by a
//! [`Backend`] value: ck's bounded ring ([`mpsc`](crate::mpsc), feature `ck`) or the
//! native unbounded queue ([`unbounded_mpsc`](crate::unbounded_mpsc)). The handles follow
//! the MPSC rules of both: [`Producer`] is `Clone` and `Sync` (any number of threads may
//! push), [`Consumer`] is `Send` but neither `Clone` nor `Sync` (one thread pops at a
//! time). Each call dispatches over an enum of the compiled-in backends.
//!
//! ```
//! use arsenal_sync::{any_mpsc, Backend, Pop, Push};
//!
//! for backend in Backend::available() {
//!     let (tx, rx) = any_mpsc::channel::<u64>(backend, 1024)?;
//!     std::thread::scope(|s| {
//!         for t in 0..2 {
//!             let tx = tx.clone();
//!             s.spawn(move || (0..100).for_each(|i| tx.push(t * 1000 + i)));
//!         }
//!     });
//!     assert_eq!(std::iter::from_fn(|| rx.try_pop()).count(), 200);
//! }
//! let (tx, _rx) = any_mpsc::channel::<u64>("native".parse()?, 0)?;
//! assert_eq!(tx.capacity(), None); // unbounded: the slot count is not used
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

#[cfg(feature = "ck")]
use crate::backend::ck::ring::mpsc as ck;
use crate::backend::native::mpsc as native;
#[cfg(feature = "ck")]
use crate::Bounded;
use crate::{Backend, Error, ErrorKind, Pop, Push, Result};

/// Creates an MPSC queue on `backend`. `slots` sizes a bounded backend's ring (ck: a
/// power of two from [`MIN_SLOTS`](crate::MIN_SLOTS) to [`MAX_SLOTS`](crate::MAX_SLOTS),
/// holding `slots - 1` values); the native queue is unbounded and does not use it.
///
/// # Errors
/// [`ErrorKind::Unavailable`] when `backend` is not compiled in; the ring's
/// [`ErrorKind::InvalidCapacity`] / [`ErrorKind::Allocation`] errors.
///
/// ```
/// use arsenal_sync::{any_mpsc, Backend, ErrorKind};
/// # #[cfg(feature = "ck")]
/// assert_eq!(any_mpsc::channel::<u8>(Backend::Ck, 6).unwrap_err().kind(), ErrorKind::InvalidCapacity);
/// # #[cfg(not(feature = "ck"))]
/// assert_eq!(any_mpsc::channel::<u8>(Backend::Ck, 8).unwrap_err().kind(), ErrorKind::Unavailable);
/// ```
pub fn channel<T>(backend: Backend, slots: usize) -> Result<(Producer<T>, Consumer<T>)> {
    let _ = slots;
    match backend {
        #[cfg(feature = "ck")]
        Backend::Ck => {
            let (tx, rx) = ck::channel(slots)?;
            Ok((
                Producer(ProducerImpl::Ck(tx)),
                Consumer(ConsumerImpl::Ck(rx)),
            ))
        }
        Backend::Native => {
            let (tx, rx) = native::channel();
            Ok((
                Producer(ProducerImpl::Native(tx)),
                Consumer(ConsumerImpl::Native(rx)),
            ))
        }
        #[allow(unreachable_patterns)]
        other => Err(Error::new(
            ErrorKind::Unavailable,
            other.name(),
            format!(
                "backend {other} is not compiled in (enable the `{other}` feature of arsenal-sync)"
            ),
        )),
    }
}

/// A producing end: clone it, share it; any number of threads may push.
pub struct Producer<T>(ProducerImpl<T>);

/// The consuming end: one thread at a time (`Send`, neither `Clone` nor `Sync`).
pub struct Consumer<T>(ConsumerImpl<T>);

// `Send`/`Sync` come from the wrapped handles (auto traits): the producers are `Send +
// Sync`, the consumers `Send` only, for `T: Send`.
enum ProducerImpl<T> {
    #[cfg(feature = "ck")]
    Ck(ck::Producer<T>),
    Native(native::Producer<T>),
}

enum ConsumerImpl<T> {
    #[cfg(feature = "ck")]
    Ck(ck::Consumer<T>),
    Native(native::Consumer<T>),
}

impl<T> Producer<T> {
    /// The backend this queue runs on.
    pub fn backend(&self) -> Backend {
        match &self.0 {
            #[cfg(feature = "ck")]
            ProducerImpl::Ck(_) => Backend::Ck,
            ProducerImpl::Native(_) => Backend::Native,
        }
    }

    /// How many values the queue holds at most; `None` when unbounded (native).
    pub fn capacity(&self) -> Option<usize> {
        match &self.0 {
            #[cfg(feature = "ck")]
            ProducerImpl::Ck(tx) => Some(tx.capacity()),
            ProducerImpl::Native(_) => None,
        }
    }
}

impl<T> Consumer<T> {
    /// The backend this queue runs on.
    pub fn backend(&self) -> Backend {
        match &self.0 {
            #[cfg(feature = "ck")]
            ConsumerImpl::Ck(_) => Backend::Ck,
            ConsumerImpl::Native(_) => Backend::Native,
        }
    }

    /// How many values the queue holds at most; `None` when unbounded (native).
    pub fn capacity(&self) -> Option<usize> {
        match &self.0 {
            #[cfg(feature = "ck")]
            ConsumerImpl::Ck(rx) => Some(rx.capacity()),
            ConsumerImpl::Native(_) => None,
        }
    }
}

impl<T> Clone for Producer<T> {
    fn clone(&self) -> Self {
        Producer(match &self.0 {
            #[cfg(feature = "ck")]
            ProducerImpl::Ck(tx) => ProducerImpl::Ck(tx.clone()),
            ProducerImpl::Native(tx) => ProducerImpl::Native(tx.clone()),
        })
    }
}

impl<T> Push<T> for Producer<T> {
    #[inline]
    fn try_push(&self, value: T) -> Result<(), T> {
        match &self.0 {
            #[cfg(feature = "ck")]
            ProducerImpl::Ck(tx) => tx.try_push(value),
            ProducerImpl::Native(tx) => tx.try_push(value),
        }
    }

    #[inline]
    fn push(&self, value: T) {
        match &self.0 {
            #[cfg(feature = "ck")]
            ProducerImpl::Ck(tx) => tx.push(value),
            ProducerImpl::Native(tx) => tx.push(value),
        }
    }
}

impl<T> Pop<T> for Consumer<T> {
    #[inline]
    fn try_pop(&self) -> Option<T> {
        match &self.0 {
            #[cfg(feature = "ck")]
            ConsumerImpl::Ck(rx) => rx.try_pop(),
            ConsumerImpl::Native(rx) => rx.try_pop(),
        }
    }
}

impl<T> fmt::Debug for Producer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("any_mpsc::Producer")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Consumer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("any_mpsc::Consumer")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}
