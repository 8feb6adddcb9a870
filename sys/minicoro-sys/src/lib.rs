//! Raw FFI to [minicoro](https://github.com/edubart/minicoro) 0.1.3, the single-file C
//! library of asymmetric stackful coroutines. No logic.
//!
//! The C code is compiled by the crates.io crate
//! [`minicoro-sys`](https://crates.io/crates/minicoro-sys) 0.8.1 (its `minicoro.c`:
//! `MCO_NO_DEBUG`, `MINICORO_IMPL`, default allocators and the assembly context switch on
//! x86-64/AArch64); this crate links that object code (`use minicoro_sys as _`) but
//! **declares the FFI itself**, because minicoro-sys's declarations are wrong:
//!
//! * its `mco_desc::func` is a Rust `fn(*mut mco_coro)`, not an `extern "C" fn`, so a
//!   function stored there is called by C with the wrong ABI;
//! * its `mco_coro` is opaque, so `stack_base`, `stack_size` and `user_data` cannot be
//!   read, and its `malloc_cb`/`free_cb` types cannot be filled with C-ABI functions.
//!
//! Here [`mco_desc`] and [`mco_coro`] are the full `repr(C)` structs of `minicoro.h`
//! 0.1.3, the result and state enums are C `int`s with their enumerators as constants
//! (a C enum can hold any value; a Rust enum must not), and every entry point takes
//! `unsafe extern "C" fn`s. The layout test checks the structs against what
//! `mco_desc_init` and `mco_create` fill in.
//!
//! Memory layout worth knowing: `mco_create` makes **one** allocation of
//! `desc.coro_size` bytes through `desc.malloc_cb` and places the `mco_coro` control
//! block, the switch context and the storage **below** the stack (which ends 16 bytes
//! short of the end of the block). minicoro sets up no guard page.
//!
//! ```
//! use arsenal_minicoro_sys::*;
//!
//! unsafe extern "C" fn entry(co: *mut mco_coro) {
//!     // SAFETY: `co` is the running coroutine; user data points at the caller's `u32`.
//!     unsafe {
//!         let n = mco_get_user_data(co) as *mut u32;
//!         *n += 1;
//!         mco_yield(co);
//!         *n += 10;
//!     }
//! }
//!
//! let mut n = 0u32;
//! // SAFETY: `desc` comes from `mco_desc_init`; `n` outlives the coroutine.
//! unsafe {
//!     let mut desc = mco_desc_init(Some(entry), 0);
//!     desc.user_data = &mut n as *mut u32 as *mut _;
//!     let mut co = std::ptr::null_mut();
//!     assert_eq!(mco_create(&mut co, &mut desc), MCO_SUCCESS);
//!     assert_eq!(mco_resume(co), MCO_SUCCESS);
//!     assert_eq!((n, mco_status(co)), (1, MCO_SUSPENDED));
//!     assert_eq!(mco_resume(co), MCO_SUCCESS);
//!     assert_eq!((n, mco_status(co)), (11, MCO_DEAD));
//!     assert_eq!(mco_destroy(co), MCO_SUCCESS);
//! }
//! ```
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_void};

// Links the static library minicoro-sys's build script compiles.
use minicoro_sys as _;

/// `mco_result`: what every fallible call returns.
pub type mco_result = c_int;
/// The call succeeded.
pub const MCO_SUCCESS: mco_result = 0;
/// Unspecified failure.
pub const MCO_GENERIC_ERROR: mco_result = 1;
/// A NULL pointer was passed.
pub const MCO_INVALID_POINTER: mco_result = 2;
/// The coroutine pointer is NULL or not a coroutine.
pub const MCO_INVALID_COROUTINE: mco_result = 3;
/// Resume or destroy of a coroutine that is not suspended.
pub const MCO_NOT_SUSPENDED: mco_result = 4;
/// Yield from a coroutine that is not running.
pub const MCO_NOT_RUNNING: mco_result = 5;
/// The context could not be created.
pub const MCO_MAKE_CONTEXT_ERROR: mco_result = 6;
/// The context switch failed.
pub const MCO_SWITCH_CONTEXT_ERROR: mco_result = 7;
/// Storage push beyond the storage size.
pub const MCO_NOT_ENOUGH_SPACE: mco_result = 8;
/// `malloc_cb` returned NULL.
pub const MCO_OUT_OF_MEMORY: mco_result = 9;
/// Invalid description (e.g. no allocator callbacks).
pub const MCO_INVALID_ARGUMENTS: mco_result = 10;
/// Operation not allowed in the current state.
pub const MCO_INVALID_OPERATION: mco_result = 11;
/// The stack overflowed (detected only without `MCO_NO_DEBUG`).
pub const MCO_STACK_OVERFLOW: mco_result = 12;

/// `mco_state`: the life cycle of a coroutine.
pub type mco_state = c_int;
/// Finished (its function returned) or uninitialised.
pub const MCO_DEAD: mco_state = 0;
/// Active but not running: it resumed another coroutine.
pub const MCO_NORMAL: mco_state = 1;
/// Running.
pub const MCO_RUNNING: mco_state = 2;
/// Suspended in `mco_yield`, or not started yet.
pub const MCO_SUSPENDED: mco_state = 3;

/// Size of the push/pop storage `mco_desc_init` configures.
pub const MCO_DEFAULT_STORAGE_SIZE: usize = 1024;
/// Smallest stack `mco_desc_init` accepts (smaller requests are raised to it).
pub const MCO_MIN_STACK_SIZE: usize = 32768;
/// The stack size `mco_desc_init` uses when asked for 0.
pub const MCO_DEFAULT_STACK_SIZE: usize = 57344;

/// A coroutine's entry point: called on the coroutine's stack with the coroutine itself.
pub type mco_func = unsafe extern "C" fn(co: *mut mco_coro);
/// Allocation callback: `size` bytes for the whole coroutine block.
pub type mco_malloc_cb =
    unsafe extern "C" fn(size: usize, allocator_data: *mut c_void) -> *mut c_void;
/// Deallocation callback for a block from [`mco_malloc_cb`].
pub type mco_free_cb = unsafe extern "C" fn(ptr: *mut c_void, allocator_data: *mut c_void);

/// `struct mco_coro`: the coroutine control block (minicoro 0.1.3 layout).
#[repr(C)]
#[derive(Debug)]
pub struct mco_coro {
    /// The backend's switch context.
    pub context: *mut c_void,
    /// Current [`mco_state`].
    pub state: mco_state,
    /// The entry point.
    pub func: Option<mco_func>,
    /// The coroutine that resumed this one while it runs.
    pub prev_co: *mut mco_coro,
    /// `mco_desc::user_data`.
    pub user_data: *mut c_void,
    /// `mco_desc::allocator_data`.
    pub allocator_data: *mut c_void,
    /// `mco_desc::free_cb`.
    pub free_cb: Option<mco_free_cb>,
    /// Lowest address of the stack.
    pub stack_base: *mut c_void,
    /// Usable stack bytes from `stack_base`.
    pub stack_size: usize,
    /// The push/pop storage.
    pub storage: *mut u8,
    /// Bytes currently pushed.
    pub bytes_stored: usize,
    /// Capacity of `storage`.
    pub storage_size: usize,
    /// Used by the address sanitizer.
    pub asan_prev_stack: *mut c_void,
    /// Used by the thread sanitizer.
    pub tsan_prev_fiber: *mut c_void,
    /// Used by the thread sanitizer.
    pub tsan_fiber: *mut c_void,
    /// Stack-overflow canary (checked only without `MCO_NO_DEBUG`).
    pub magic_number: usize,
}

/// `struct mco_desc`: how to create a coroutine. Fill it with [`mco_desc_init`], then
/// adjust `user_data`, the allocator callbacks and `allocator_data`; `coro_size` and
/// `stack_size` must only be set by `mco_desc_init`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct mco_desc {
    /// Entry point.
    pub func: Option<mco_func>,
    /// Returned by [`mco_get_user_data`].
    pub user_data: *mut c_void,
    /// Allocates the coroutine block (`coro_size` bytes).
    pub malloc_cb: Option<mco_malloc_cb>,
    /// Frees it.
    pub free_cb: Option<mco_free_cb>,
    /// Passed to both callbacks.
    pub allocator_data: *mut c_void,
    /// Push/pop storage bytes.
    pub storage_size: usize,
    /// Bytes of the whole block (control block, context, storage, stack).
    pub coro_size: usize,
    /// Stack bytes.
    pub stack_size: usize,
}

extern "C" {
    /// A description for `func` with `stack_size` bytes of stack (0: the default; raised to
    /// [`MCO_MIN_STACK_SIZE`], rounded up to 16) and minicoro's malloc/free allocators.
    pub fn mco_desc_init(func: Option<mco_func>, stack_size: usize) -> mco_desc;
    /// Initialises a coroutine in a caller-provided block of `desc.coro_size` bytes.
    pub fn mco_init(co: *mut mco_coro, desc: *mut mco_desc) -> mco_result;
    /// Uninitialises a suspended or dead coroutine (without freeing it).
    pub fn mco_uninit(co: *mut mco_coro) -> mco_result;
    /// Allocates (through `desc.malloc_cb`) and initialises a coroutine.
    pub fn mco_create(out_co: *mut *mut mco_coro, desc: *mut mco_desc) -> mco_result;
    /// Uninitialises and frees a suspended or dead coroutine.
    pub fn mco_destroy(co: *mut mco_coro) -> mco_result;
    /// Starts or continues a suspended coroutine; returns when it yields or finishes.
    pub fn mco_resume(co: *mut mco_coro) -> mco_result;
    /// Suspends the running coroutine `co`, back to its resumer.
    pub fn mco_yield(co: *mut mco_coro) -> mco_result;
    /// The [`mco_state`] of `co`.
    pub fn mco_status(co: *mut mco_coro) -> mco_state;
    /// `desc.user_data` of `co`.
    pub fn mco_get_user_data(co: *mut mco_coro) -> *mut c_void;
    /// Pushes `len` bytes into the coroutine's storage.
    pub fn mco_push(co: *mut mco_coro, src: *const c_void, len: usize) -> mco_result;
    /// Pops `len` bytes from the coroutine's storage.
    pub fn mco_pop(co: *mut mco_coro, dest: *mut c_void, len: usize) -> mco_result;
    /// Like [`mco_pop`] without consuming.
    pub fn mco_peek(co: *mut mco_coro, dest: *mut c_void, len: usize) -> mco_result;
    /// Bytes available to [`mco_pop`].
    pub fn mco_get_bytes_stored(co: *mut mco_coro) -> usize;
    /// Capacity of the storage.
    pub fn mco_get_storage_size(co: *mut mco_coro) -> usize;
    /// The coroutine running on this thread, or NULL.
    pub fn mco_running() -> *mut mco_coro;
    /// A static, NUL-terminated description of `res`.
    pub fn mco_result_description(res: mco_result) -> *const c_char;
}
