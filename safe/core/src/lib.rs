//! What every Arsenal domain crate shares: run-time CPU detection ([`cpu`]), the
//! [`Strategy`] enum with one meaning in every domain, and the one backend-selection
//! shape ([`backends!`], [`Select`], [`UnknownBackend`]; see [`select`]), and the error
//! shape every domain's `Error` aliases ([`Error<K>`](Error) with the domain's [`ErrorKind`]).
//!
//! Users normally reach these through the front crate `arsenal`, which re-exports them;
//! domain crates depend on this small crate directly so each can answer
//! `Backend::for_strategy` itself.
//!
//! ```
//! use arsenal_core::{cpu, Strategy};
//! let strategy = Strategy::from_env();
//! println!("{strategy} on a CPU with {}", cpu::features().simd_level());
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod cpu;
pub mod error;
pub mod select;
mod strategy;

pub use error::{CodecErrorKind, Error, ErrorKind};
pub use select::{prefer, Select, UnknownBackend};
pub use strategy::{ParseStrategyError, Strategy};
