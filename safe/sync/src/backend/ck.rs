//! Concurrency Kit backend (feature `ck`): `ck_ring` queues and ck's spinlocks and
//! reader-writer lock, through `arsenal-ck-sys`.
pub mod lock;
pub mod ring;

use crate::{Backend, MpscQueue, Result};

/// ck's bounded MPSC ring ([`mpsc`](crate::mpsc)) as an [`MpscQueue`]: `slots` sizes the
/// ring (a power of two, holding `slots - 1` values).
///
/// ```
/// use arsenal_sync::{backend::ck::CkMpsc, MpscQueue, Pop, Push};
/// let (tx, rx) = CkMpsc::channel::<u32>(16)?;
/// tx.push(1);
/// assert_eq!(rx.pop(), 1);
/// # Ok::<(), arsenal_sync::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CkMpsc;

impl crate::sealed::Sealed for CkMpsc {}

impl MpscQueue for CkMpsc {
    const BACKEND: Backend = Backend::Ck;
    type Producer<T: Send> = ring::mpsc::Producer<T>;
    type Consumer<T: Send> = ring::mpsc::Consumer<T>;

    fn channel<T: Send>(slots: usize) -> Result<(Self::Producer<T>, Self::Consumer<T>)> {
        ring::mpsc::channel(slots)
    }
}
