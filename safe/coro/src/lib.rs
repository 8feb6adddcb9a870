//! Stackful coroutines over Boost.Context (`fcontext`), minicoro, glibc's `ucontext` and
//! libaco behind one [`ContextBackend`] trait, with guard-page stacks, panic propagation and
//! destructor-running drop.
//!
//! ```
//! use arsenal_coro::{Coroutine, CoroutineResult, Generator};
//!
//! // A coroutine: resumed with an input, yields values, finally returns.
//! let mut echo = Coroutine::<i32, i32, &str>::new(|y, first| {
//!     let mut x = first;
//!     for _ in 0..3 {
//!         x = y.suspend(x * 2);
//!     }
//!     "bye"
//! })?;
//! assert_eq!(echo.resume(1)?, CoroutineResult::Yield(2));
//! assert_eq!(echo.resume(5)?, CoroutineResult::Yield(10));
//! assert_eq!(echo.resume(7)?, CoroutineResult::Yield(14));
//! assert_eq!(echo.resume(0)?, CoroutineResult::Return("bye"));
//! assert!(echo.resume(0).is_err()); // finished
//!
//! // A generator is an Iterator.
//! let squares = Generator::<u32>::new(|y| (1..=4).for_each(|i| y.suspend(i * i)))?;
//! assert_eq!(squares.collect::<Vec<_>>(), [1, 4, 9, 16]);
//!
//! // A panic inside is re-raised by `resume` in the caller.
//! let mut bad = Coroutine::<(), (), ()>::new(|_, ()| panic!("boom"))?;
//! let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| bad.resume(())))
//!     .unwrap_err();
//! assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
//! assert!(bad.is_finished());
//! # Ok::<(), arsenal_coro::Error>(())
//! ```
//!
//! # Backends
//!
//! | feature | type | context switch | stack | guard page | drop of a suspended coroutine | migration |
//! |---------|------|----------------|-------|------------|-------------------------------|-----------|
//! | `libaco` (opt-in, x86/x86-64) | `backend::Libaco` | libaco's `acosw` (assembly) | libaco's `aco_share_stack_new2`, one per coroutine by default; a `backend::SharedStack` on request | libaco's own (`guard_page_enabled = 1`) | forced unwind (only from the thread's main context; else the stack is leaked) | no (`aco_gtls_co`, one main coroutine per thread) |
//! | `fcontext` (default) | `backend::Fcontext` | Boost.Context `jump_fcontext` (assembly) | ours: `mmap` | ours (`PROT_NONE` page below the stack) | forced unwind | no (thread-locals) |
//! | `minicoro` (default) | `backend::Minicoro` | minicoro's assembly switch | minicoro's block, allocated by our `malloc_cb` with `mmap` | ours: the lowest whole page inside minicoro's stack, `mprotect`ed after `mco_create` | forced unwind | no (`mco_running` is a C thread-local) |
//! | `ucontext` (default) | `backend::Ucontext` | glibc `swapcontext` (saves the signal mask: a syscall per switch) | ours: `mmap` | ours | forced unwind | no (thread-locals) |
//! | `native` (default, x86-64 only) | `backend::Native` | ours: inline assembly saving `rbx`/`rbp` and the resume address, `r12`–`r15` left to the compiler, no MXCSR/x87 switch, `pop` + `jmp` (never `ret`) | ours: `mmap` | ours | forced unwind | no (thread-locals) |
//!
//! [`DefaultContextBackend`] follows that order of priority: libaco where its feature is
//! on and the target is x86-64, else fcontext, else minicoro, else ucontext, else native. With no
//! backend feature the crate does not compile. Library authors should depend on this crate
//! with `default-features = false` and let the application pick backends.
//!
//! # Choosing a backend at run time
//!
//! [`Backend`] names every backend (compiled in or not; `Backend::available()` lists the
//! usable ones in the priority above, parsing ignores case), [`Backend::for_strategy`]
//! picks one for an [`arsenal_core::Strategy`] with the benchmark row behind each choice
//! (see [`Backend`]), and [`AnyCoroutine::new`] creates a coroutine on a `Backend` value:
//!
//! ```
//! use arsenal_coro::{AnyCoroutine, Backend, CoroutineResult};
//! use arsenal_core::Strategy;
//!
//! let backend = Backend::for_strategy(Strategy::Latency);
//! let mut co = AnyCoroutine::<u32, u32, ()>::new(backend, 64 * 1024, |y, x| {
//!     y.suspend(x + 1);
//! })?;
//! assert_eq!(co.resume(1)?, CoroutineResult::Yield(2));
//! let by_name: Backend = "UContext".parse()?;
//! assert_eq!(by_name, Backend::Ucontext);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Stacks
//!
//! Every coroutine has its own stack of at least [`MIN_STACK_SIZE`] bytes, rounded up to
//! whole pages ([`round_stack_size`]); [`DEFAULT_STACK_SIZE`] is 256 KiB. Stacks are
//! mapped with `MAP_NORESERVE`: only touched pages cost memory. On the fcontext and
//! ucontext backends a finished coroutine's stack goes to a per-thread cache (at most
//! [`STACK_CACHE_PER_THREAD`] stacks, guard page kept) and the next coroutine of the same
//! stack size on that thread reuses it without a system call; the pages it touched stay
//! resident while cached. Overflowing a stack faults
//! on a `PROT_NONE` guard page and the process dies with `SIGSEGV` (Rust's stack-overflow
//! handler only reports overflows of thread stacks) instead of corrupting memory. Rust's
//! panic machinery runs on the coroutine's stack: a panic backtrace
//! (`RUST_BACKTRACE=1`) needs more than the minimum.
//!
//! # Safety model
//!
//! See [`Coroutine`]: panics are caught at the coroutine's entry and re-raised by
//! `resume`; dropping a suspended coroutine unwinds its stack (under `panic = "abort"`
//! it is leaked instead: its stack is never freed and the values on it are not dropped);
//! coroutines are `!Send` and `!Sync`; closures and the input/yield/return types are
//! `'static`.
//!
//! Those last two are checked at compile time, for every public type that touches a
//! coroutine (each block below must fail to compile with E0277, "cannot be sent/shared
//! between threads safely"):
//!
//! ```compile_fail,E0277
//! fn assert_send<T: Send>() {}
//! assert_send::<arsenal_coro::Coroutine<u32, u32, ()>>();
//! ```
//! ```compile_fail,E0277
//! fn assert_sync<T: Sync>() {}
//! assert_sync::<arsenal_coro::Coroutine<u32, u32, ()>>();
//! ```
//! ```compile_fail,E0277
//! fn assert_send<T: Send>() {}
//! assert_send::<arsenal_coro::Generator<u32>>();
//! ```
//! ```compile_fail,E0277
//! fn assert_sync<T: Sync>() {}
//! assert_sync::<arsenal_coro::Generator<u32>>();
//! ```
//! ```compile_fail,E0277
//! fn assert_send<T: Send>() {}
//! assert_send::<arsenal_coro::AnyCoroutine<u32, u32, ()>>();
//! ```
//! ```compile_fail,E0277
//! fn assert_sync<T: Sync>() {}
//! assert_sync::<arsenal_coro::AnyCoroutine<u32, u32, ()>>();
//! ```
//! ```compile_fail,E0277
//! fn assert_send<T: Send>() {}
//! assert_send::<arsenal_coro::Yielder<u32, u32>>();
//! ```
//! ```compile_fail,E0277
//! fn assert_sync<T: Sync>() {}
//! assert_sync::<arsenal_coro::Yielder<u32, u32>>();
//! ```
//!
//! The same helpers accept the error and backend-choice types, so the blocks above fail
//! for the bound alone:
//!
//! ```
//! fn assert_send_sync<T: Send + Sync>() {}
//! assert_send_sync::<arsenal_coro::Error>();
//! assert_send_sync::<arsenal_coro::Backend>();
//! ```

#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

#[cfg(not(feature = "any-backend"))]
compile_error!(
    "arsenal-coro needs at least one backend feature: `fcontext`, `minicoro`, `ucontext`, `libaco` or `native`"
);
#[cfg(all(
    feature = "native",
    not(target_arch = "x86_64"),
    not(any(
        feature = "fcontext",
        feature = "minicoro",
        feature = "ucontext",
        feature = "libaco"
    ))
))]
compile_error!(
    "arsenal-coro's `native` backend is x86-64 only: enable `fcontext`, `minicoro`, `ucontext` or `libaco` on this target"
);

// Without a backend only the `compile_error!` above is reported.
#[cfg(feature = "any-backend")]
mod any;
pub mod backend;
#[cfg(feature = "any-backend")]
mod coroutine;
mod error;
/// Seals [`ContextBackend`]: implemented by this crate's backend types only.
mod sealed {
    pub trait Sealed {}
}
#[cfg(feature = "any-backend")]
mod fpenv;
mod select;
mod stack;

use std::ffi::c_void;

#[cfg(feature = "any-backend")]
pub use crate::any::AnyCoroutine;
#[cfg(feature = "any-backend")]
pub use crate::coroutine::{Coroutine, CoroutineResult, Generator, Yielder};
pub use crate::error::{Error, ErrorKind};
pub use crate::select::Backend;
pub use crate::stack::{
    round_stack_size, DEFAULT_STACK_SIZE, MIN_STACK_SIZE, STACK_CACHE_PER_THREAD,
};

/// The backend [`Coroutine::new`] and [`Generator::new`] use: libaco (feature `libaco`,
/// x86-64), else fcontext, else minicoro, else ucontext. `Backend::available()` lists the
/// compiled-in backends in the same order, so its first entry is this one's
/// [`BACKEND`](ContextBackend::BACKEND).
#[cfg(all(feature = "libaco", target_arch = "x86_64"))]
pub type DefaultContextBackend = backend::Libaco;
/// The backend [`Coroutine::new`] and [`Generator::new`] use: libaco (feature `libaco`,
/// x86-64), else fcontext, else minicoro, else ucontext. `Backend::available()` lists the
/// compiled-in backends in the same order, so its first entry is this one's
/// [`BACKEND`](ContextBackend::BACKEND).
#[cfg(all(
    feature = "fcontext",
    not(all(feature = "libaco", target_arch = "x86_64"))
))]
pub type DefaultContextBackend = backend::Fcontext;
/// The backend [`Coroutine::new`] and [`Generator::new`] use: libaco (feature `libaco`,
/// x86-64), else fcontext, else minicoro, else ucontext. `Backend::available()` lists the
/// compiled-in backends in the same order, so its first entry is this one's
/// [`BACKEND`](ContextBackend::BACKEND).
#[cfg(all(
    feature = "minicoro",
    not(feature = "fcontext"),
    not(all(feature = "libaco", target_arch = "x86_64"))
))]
pub type DefaultContextBackend = backend::Minicoro;
/// The backend [`Coroutine::new`] and [`Generator::new`] use: libaco (feature `libaco`,
/// x86-64), else fcontext, else minicoro, else ucontext. `Backend::available()` lists the
/// compiled-in backends in the same order, so its first entry is this one's
/// [`BACKEND`](ContextBackend::BACKEND).
#[cfg(all(
    feature = "ucontext",
    not(feature = "fcontext"),
    not(feature = "minicoro"),
    not(all(feature = "libaco", target_arch = "x86_64"))
))]
pub type DefaultContextBackend = backend::Ucontext;
/// The backend [`Coroutine::new`] and [`Generator::new`] use: libaco (feature `libaco`,
/// x86-64), else fcontext, else minicoro, else ucontext. `Backend::available()` lists the
/// compiled-in backends in the same order, so its first entry is this one's
/// [`BACKEND`](ContextBackend::BACKEND).
#[cfg(all(
    feature = "libaco",
    not(target_arch = "x86_64"),
    not(any(feature = "fcontext", feature = "minicoro", feature = "ucontext"))
))]
pub type DefaultContextBackend = backend::Libaco;

/// The backend [`Coroutine::new`] and [`Generator::new`] use: libaco (feature `libaco`,
/// x86-64), else fcontext, else minicoro, else ucontext, else native. `Backend::available()`
/// lists the compiled-in backends in the same order, so its first entry is this one's
/// [`BACKEND`](ContextBackend::BACKEND).
#[cfg(all(
    feature = "native",
    target_arch = "x86_64",
    not(any(
        feature = "fcontext",
        feature = "minicoro",
        feature = "ucontext",
        feature = "libaco"
    ))
))]
pub type DefaultContextBackend = backend::Native;

/// The function a backend calls on the coroutine's stack on its first resume.
pub type Entry = unsafe extern "C" fn(arg: *mut c_void);

/// A context-switching library: creates a coroutine that runs [`Entry`] on its own stack,
/// switches into it and back out. The typed, safe API is [`Coroutine`]; this trait is the
/// low-level layer each `src/backend/<name>.rs` implements, and the type parameter of
/// [`Coroutine`] and [`Generator`] (the run-time counterpart is the [`Backend`] enum).
///
/// ```
/// use arsenal_coro::{Backend, ContextBackend, DefaultContextBackend};
/// assert_eq!(Backend::available()[0], DefaultContextBackend::BACKEND);
/// ```
///
/// # Safety
///
/// Implementations must guarantee:
/// * `create` returns a coroutine that, on its first `resume`, calls `entry(arg)` on a
///   stack of at least `stack_size` usable bytes with a guard page (or equivalent) below
///   it, and that does not depend on its own address (it may be moved before it starts;
///   the safe layer boxes it before resuming);
/// * `resume` returns when the coroutine calls `suspend` or when `entry` returns (the
///   coroutine is then finished and never resumed again); it returns `Err` without
///   switching when it cannot switch;
/// * dropping the value frees everything `create` allocated, whatever the state.
///
/// The trait is sealed: [`Yielder::suspend`] switches with the backend named by
/// [`BACKEND`](ContextBackend::BACKEND) directly (an inlined `match`, no call through a
/// pointer: on x86-64 every extra `ret` executed right after a stack switch is
/// mispredicted), so only this crate's backends can implement it.
pub unsafe trait ContextBackend: Sized + 'static + sealed::Sealed {
    /// Which backend this is.
    const BACKEND: Backend;

    /// Whether the switch saves and loads MXCSR (every C library here does; the native
    /// backend does not), so that the safe layer equalises it (see `fpenv`).
    const SWITCHES_MXCSR: bool = true;

    /// A coroutine that will run `entry(arg)` with `stack_size` usable bytes of stack
    /// (a page multiple, at least [`MIN_STACK_SIZE`]).
    fn create(stack_size: usize, entry: Entry, arg: *mut c_void) -> Result<Self, Error>;

    /// Switches into the coroutine until it suspends or its entry returns.
    ///
    /// # Safety
    /// `this` points at a live coroutine that is not running, not finished, does not move
    /// while started, and was created on this thread.
    unsafe fn resume(this: *mut Self) -> Result<(), Error>;

    /// Switches out of the running coroutine back to its resumer.
    ///
    /// # Safety
    /// Called on the stack of the coroutine `this`, while it runs.
    unsafe fn suspend(this: *mut Self);

    /// What the safe layer keeps to suspend the coroutine `this` (boxed, so it no longer
    /// moves): `this` itself, unless the backend's context lives elsewhere (the native
    /// backend's lives in its stack mapping: handing that out saves a dependent load on
    /// every suspend).
    ///
    /// # Safety
    /// `this` points at a live coroutine of this type that no longer moves.
    #[doc(hidden)]
    unsafe fn suspend_handle(this: *mut Self) -> *mut () {
        this.cast()
    }

    /// [`resume`](Self::resume), given also the coroutine's
    /// [`suspend_handle`](Self::suspend_handle) (which the native backend switches by).
    ///
    /// # Safety
    /// As `resume`; `handle` is `suspend_handle(this)`.
    #[doc(hidden)]
    #[inline(always)]
    unsafe fn resume_by_handle(this: *mut Self, handle: *mut ()) -> Result<(), Error> {
        let _ = handle;
        // SAFETY: forwarded contract.
        unsafe { Self::resume(this) }
    }

    /// [`suspend`](Self::suspend) by the value [`suspend_handle`](Self::suspend_handle)
    /// returned.
    ///
    /// # Safety
    /// As `suspend`, for the coroutine whose `suspend_handle` is `handle`.
    #[doc(hidden)]
    #[inline(always)]
    unsafe fn suspend_by_handle(handle: *mut ()) {
        // SAFETY: the default handle is the coroutine itself (forwarded contract).
        unsafe { Self::suspend(handle.cast()) }
    }

    /// Usable bytes of the coroutine's stack.
    fn stack_size(&self) -> usize;
}
