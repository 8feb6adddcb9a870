//! Raw FFI to [libaco](https://github.com/hnes/libaco), the x86/x86-64 coroutine library
//! with shared ("copy") stacks. No logic.
//!
//! libaco is packaged by neither Debian nor crates.io: the build compiles `aco.c` and
//! `acosw.S` from the `vendor/libaco` submodule (`git submodule update --init
//! vendor/libaco`) or from `ACO_SRC_DIR`, and fails with that instruction otherwise.
//!
//! libaco's per-thread API is partly macros over the thread-local `aco_gtls_co`
//! (`aco_yield`, `aco_get_arg`, `aco_get_co`, `aco_exit`); our shim
//! (`shim/arsenal_aco.c`) exports them as the `arsenal_aco_*` functions below.
//! The structs are declared for x86-64 without `ACO_CONFIG_SHARE_FPU_MXCSR_ENV` (the
//! default build); the smoke test checks them against the C layout.
//!
//! Rules libaco enforces with `abort()` (not error codes): call [`aco_thread_init`] once
//! per thread before anything else; resume only from the thread's main coroutine (made by
//! `aco_create(NULL, NULL, 0, NULL, NULL)`); a coroutine function must end with
//! [`arsenal_aco_exit`], never return; allocation failures abort.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_void};

/// A coroutine's entry point (takes no arguments: use [`arsenal_aco_get_arg`]).
pub type aco_cofuncp_t = Option<unsafe extern "C" fn()>;

/// `aco_save_stack_t`: where a coroutine's part of a shared stack is copied to.
#[repr(C)]
#[derive(Debug)]
pub struct aco_save_stack_t {
    /// The buffer.
    pub ptr: *mut c_void,
    /// Its capacity.
    pub sz: usize,
    /// Bytes in use.
    pub valid_sz: usize,
    /// Largest copy so far.
    pub max_cpsz: usize,
    /// Copies out of the shared stack.
    pub ct_save: usize,
    /// Copies back into the shared stack.
    pub ct_restore: usize,
}

/// `aco_share_stack_t`: a stack that one or more coroutines run on.
#[repr(C)]
#[derive(Debug)]
pub struct aco_share_stack_t {
    /// Lowest usable address.
    pub ptr: *mut c_void,
    /// Usable bytes.
    pub sz: usize,
    /// Aligned top.
    pub align_highptr: *mut c_void,
    /// Where the protector's return address sits.
    pub align_retptr: *mut c_void,
    /// Bytes of the owner's stack in use.
    pub align_validsz: usize,
    /// Largest usable depth.
    pub align_limit: usize,
    /// The coroutine whose stack is currently on it.
    pub owner: *mut aco_t,
    /// Whether a guard page precedes it.
    pub guard_page_enabled: c_char,
    /// The whole mapping (with the guard page).
    pub real_ptr: *mut c_void,
    /// Its length.
    pub real_sz: usize,
}

/// `aco_t`: a coroutine (x86-64 layout, FPU/MXCSR saved per coroutine).
#[repr(C)]
#[derive(Debug)]
pub struct aco_t {
    /// Saved registers.
    pub reg: [*mut c_void; 9],
    /// The thread's main coroutine (NULL for a main coroutine).
    pub main_co: *mut aco_t,
    /// The `arg` of `aco_create`.
    pub arg: *mut c_void,
    /// Non-zero once the coroutine called `aco_exit`.
    pub is_end: c_char,
    /// The entry point.
    pub fp: aco_cofuncp_t,
    /// Its save stack.
    pub save_stack: aco_save_stack_t,
    /// The stack it runs on.
    pub share_stack: *mut aco_share_stack_t,
}

extern "C" {
    /// Per-thread initialisation (saves the FPU control word and MXCSR); `last_word` is
    /// called if a coroutine function returns instead of calling `aco_exit` (NULL: print
    /// and abort).
    pub fn aco_thread_init(last_word: aco_cofuncp_t);
    /// A stack of `sz` bytes (0: 2 MiB); `guard_page_enabled` != 0 maps it with a
    /// read-only guard page below. Aborts when allocation fails.
    pub fn aco_share_stack_new2(sz: usize, guard_page_enabled: c_char) -> *mut aco_share_stack_t;
    /// Frees a stack no coroutine uses any more.
    pub fn aco_share_stack_destroy(sstk: *mut aco_share_stack_t);
    /// A main coroutine (`main_co` NULL, everything else NULL/0) or a coroutine running
    /// `fp` on `share_stack` with a `save_stack_sz`-byte save buffer (0: 64).
    pub fn aco_create(
        main_co: *mut aco_t,
        share_stack: *mut aco_share_stack_t,
        save_stack_sz: usize,
        fp: aco_cofuncp_t,
        arg: *mut c_void,
    ) -> *mut aco_t;
    /// Switches from the main coroutine into `co` (restoring its stack if another
    /// coroutine used the shared stack meanwhile); returns when it yields or exits.
    pub fn aco_resume(co: *mut aco_t);
    /// Frees a coroutine (not its stack).
    pub fn aco_destroy(co: *mut aco_t);
    /// The assembly context switch.
    pub fn acosw(from_co: *mut aco_t, to_co: *mut aco_t) -> *mut c_void;

    /// Shim: `aco_yield()`, back to the main coroutine.
    pub fn arsenal_aco_yield();
    /// Shim: `aco_get_arg()` of the running coroutine.
    pub fn arsenal_aco_get_arg() -> *mut c_void;
    /// Shim: `aco_get_co()`, the running coroutine (the main one, or NULL before the
    /// first resume on this thread).
    pub fn arsenal_aco_get_co() -> *mut aco_t;
    /// Shim: `aco_exit()`; never returns.
    pub fn arsenal_aco_exit() -> !;
    /// Shim: the header's version as `major * 10000 + minor * 100 + patch`.
    pub fn arsenal_aco_version() -> c_int;
    /// Shim: sizes and offsets of the structs above (see the smoke test).
    pub fn arsenal_aco_layout(out: *mut usize);
}
