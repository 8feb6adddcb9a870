//! One module per backend. The C ones are feature-gated; [`system`] and the native
//! allocators ([`bump`], [`slab`], [`pool`], [`tlsf`]) are always built.

pub mod bump;
#[cfg(feature = "jemalloc")]
pub mod jemalloc;
#[cfg(feature = "mimalloc")]
pub mod mimalloc;
pub mod pool;
#[cfg(feature = "rpmalloc")]
pub mod rpmalloc;
pub mod slab;
#[cfg(feature = "snmalloc")]
pub mod snmalloc;
pub mod system;
pub mod tlsf;
