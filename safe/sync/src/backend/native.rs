//! Native Rust pieces, each only where ck has no equivalent (the reason is in each
//! module's docs): an unbounded MPSC queue and (Linux) a futex-based sleeping mutex.
#[cfg(target_os = "linux")]
pub mod futex;
pub mod mpsc;

use crate::{Backend, MpscQueue, Result};

/// The native unbounded MPSC queue ([`unbounded_mpsc`](crate::unbounded_mpsc)) as an
/// [`MpscQueue`]: `slots` is not used and `channel` never fails.
///
/// ```
/// use arsenal_sync::{backend::native::NativeMpsc, MpscQueue, Pop, Push};
/// let (tx, rx) = NativeMpsc::channel::<u32>(0)?;
/// tx.push(1);
/// assert_eq!(rx.pop(), 1);
/// # Ok::<(), arsenal_sync::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct NativeMpsc;

impl crate::sealed::Sealed for NativeMpsc {}

impl MpscQueue for NativeMpsc {
    const BACKEND: Backend = Backend::Native;
    type Producer<T: Send> = mpsc::Producer<T>;
    type Consumer<T: Send> = mpsc::Consumer<T>;

    fn channel<T: Send>(_slots: usize) -> Result<(Self::Producer<T>, Self::Consumer<T>)> {
        Ok(mpsc::channel())
    }
}
