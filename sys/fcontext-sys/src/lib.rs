//! Raw FFI to Boost.Context's `fcontext`: the three assembly routines
//! (`make_fcontext`, `jump_fcontext`, `ontop_fcontext`) that Boost.Context and
//! Boost.Coroutine2 are built on. No logic.
//!
//! The declarations are written by hand from `boost/context/detail/fcontext.hpp` (Boost
//! 1.83): Boost's headers are not needed, and a C-callable declaration of three functions
//! is all there is. The build links `libboost_context` (static preferred from the `.deps`
//! prefix; see `build.rs` for the search order) and exports the version it found as
//! `DEP_BOOST_CONTEXT_VERSION` (read from Boost's `cmake/boost_context-X.Y.Z` directory).
//!
//! # Contract
//!
//! * [`make_fcontext`] prepares a context on a stack whose **top** (highest address) is
//!   `sp`, `size` bytes long; the first [`jump_fcontext`] to it calls `fn_(transfer)`
//!   on that stack, where `transfer.fctx` is the context that jumped and `transfer.data`
//!   the pointer it passed.
//! * [`jump_fcontext`] suspends the current context and resumes `to`; it returns when
//!   some context jumps back, with that context and its data pointer. A context may be
//!   resumed only once per suspension (each jump hands out a fresh `fcontext_t`).
//! * The entry function must never return: Boost's trampoline calls `_exit(0)` if it does.
//!   Unwinding out of it is undefined behaviour.
//! * No guard page is set up: the caller owns the stack memory.
//!
//! ```
//! use arsenal_fcontext_sys::{jump_fcontext, make_fcontext, transfer_t};
//! use std::ffi::c_void;
//!
//! unsafe extern "C" fn entry(t: transfer_t) {
//!     // SAFETY: `t.data` is the `u64` the caller passed; `t.fctx` the caller's context.
//!     unsafe {
//!         *(t.data as *mut u64) += 1;
//!         jump_fcontext(t.fctx, t.data);
//!     }
//!     unreachable!("never resumed again");
//! }
//!
//! let mut stack = vec![0u8; 64 * 1024];
//! let mut value = 41u64;
//! // SAFETY: the stack outlives the context, which is never resumed after it jumps back.
//! unsafe {
//!     let top = stack.as_mut_ptr().add(stack.len()) as *mut c_void;
//!     let ctx = make_fcontext(top, stack.len(), entry);
//!     jump_fcontext(ctx, &mut value as *mut u64 as *mut c_void);
//! }
//! assert_eq!(value, 42);
//! ```
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::c_void;

/// The Boost.Context version the build linked (`"1.83.0"`), or `"unknown"` when the
/// library came without Boost's `cmake/boost_context-X.Y.Z` directory.
pub const BOOST_CONTEXT_VERSION: &str = env!("ARSENAL_BOOST_CONTEXT_VERSION");

/// A suspended execution context: an opaque pointer into the stack it was saved on.
pub type fcontext_t = *mut c_void;

/// What a jump hands to the context it resumes: the context that jumped (to jump back
/// to) and the data pointer it passed.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct transfer_t {
    /// The context that was suspended by the jump.
    pub fctx: fcontext_t,
    /// The `vp` argument of the jump.
    pub data: *mut c_void,
}

extern "C" {
    /// Suspends the running context and resumes `to`, passing `vp`; returns what the
    /// context that next jumps back here passes.
    pub fn jump_fcontext(to: fcontext_t, vp: *mut c_void) -> transfer_t;
    /// Prepares a context on the stack `[sp - size, sp)` that runs `fn_` when first jumped
    /// to. `fn_` must never return.
    pub fn make_fcontext(
        sp: *mut c_void,
        size: usize,
        fn_: unsafe extern "C" fn(transfer_t),
    ) -> fcontext_t;
    /// Like [`jump_fcontext`], but runs `fn_` on top of `to`'s stack first; its result is
    /// what `to` sees.
    pub fn ontop_fcontext(
        to: fcontext_t,
        vp: *mut c_void,
        fn_: unsafe extern "C" fn(transfer_t) -> transfer_t,
    ) -> transfer_t;
}
