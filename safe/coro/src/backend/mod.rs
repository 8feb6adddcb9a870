//! One [`Backend`](crate::Backend) per context-switching library, each behind its cargo
//! feature. See the [crate docs](crate#backends) for how they differ.

#[cfg(feature = "fcontext")]
mod fcontext;
#[cfg(feature = "libaco")]
mod libaco;
#[cfg(feature = "minicoro")]
mod minicoro;
#[cfg(feature = "ucontext")]
mod ucontext;

#[cfg(feature = "fcontext")]
pub use self::fcontext::Fcontext;
#[cfg(feature = "libaco")]
pub use self::libaco::{Libaco, SharedStack};
#[cfg(feature = "minicoro")]
pub use self::minicoro::Minicoro;
#[cfg(feature = "ucontext")]
pub use self::ucontext::Ucontext;
