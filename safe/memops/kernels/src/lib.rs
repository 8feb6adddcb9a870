//! The raw-pointer kernels behind [`arsenal-memops`](https://docs.rs/arsenal-memops):
//! one module per instruction set in [`backend`], each with `copy`, `move_`, `copy_nt`,
//! `copy_stream`, `set`, `compare` and `find` of the same contracts, and the shared
//! algorithms in [`algo`]. Use `arsenal-memops`, which checks the CPU and the bounds;
//! every function here is `unsafe` and trusts its caller.
//!
//! Why a crate of its own: the word and block loops must not be turned back into calls
//! to the C library's `memcpy`/`memset` (LLVM's loop-idiom recognition would do exactly
//! that), which takes `#![no_builtins]`, a crate-wide attribute. A `no_builtins` crate
//! that allocates fails to link under fat LTO (rustc leaves its references to the
//! allocator shim unresolved: rust-lang/rust#72140), so the attribute stays on this
//! `no_std`, allocation-free crate and off the API crate, which allocates (its
//! `Backend::available()` returns a `Vec`).
#![no_std]
#![no_builtins]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]
#![allow(missing_docs)] // internal kernels; documented at arsenal-memops

#[macro_use]
pub mod algo;
pub mod backend;

/// Copies of at least this many bytes (4 MiB) use non-temporal stores under
/// arsenal-memops' `CopyPolicy::NonTemporalLarge` (about half the last-level cache of a
/// desktop CPU; below it the destination is likely still cached when it is next read).
pub const NT_THRESHOLD: usize = 4 << 20;
