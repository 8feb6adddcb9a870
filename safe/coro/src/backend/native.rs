//! Native backend: our own x86-64 context switch in inline assembly (feature `native`,
//! x86-64 only), on the crate's guard-paged stacks.
//!
//! A switch saves only what the System V ABI says a callee must preserve and the
//! compiler cannot be told about: `rbx`, `rbp` and the resume address, pushed on the
//! stack being left, whose stack pointer goes into the [`Control`] block; `r12`–`r15`
//! are declared clobbered, so the compiler saves them only where they are live, and
//! every caller-saved register (`clobber_abi("sysv64")`) likewise. The jump to the other
//! side is a `pop` + indirect `jmp`, never `ret`, so the return-stack predictor stays
//! in step (what corosensei does, and the reason Boost's `jump_fcontext` pays for a
//! mispredicted `ret` after every switch in our wrapper). MXCSR and the x87 control word
//! are not switched: like a function call, the coroutine runs in its resumer's
//! floating-point environment (Rust code never changes it), so there is no MXCSR load to
//! pay for and nothing for `crate::fpenv` to equalise.
//!
//! A new coroutine's stack holds the address of [`start`] (an assembly trampoline that
//! marks the end of the call stack for unwinders with `.cfi_undefined rip`) and the
//! control block's address; the trampoline aligns the stack and calls
//! [`start_rust`], which runs the entry and switches back for good. Panics never cross
//! it: the safe layer's entry catches them on the coroutine's stack.
//!
//! aarch64 and riscv64 switches are not written: this machine has no cross standard
//! library to compile or test them, so the backend is x86-64 only (elsewhere it is
//! simply not available).

use std::ffi::c_void;
use std::ptr;

use crate::stack::GuardedStack;
use crate::{Backend, ContextBackend, Entry, Error};

/// Kept at the top of the coroutine's stack mapping.
struct Control {
    /// The coroutine's saved stack pointer while it is suspended (or not started).
    sp: *mut u8,
    /// The resumer's saved stack pointer while the coroutine runs.
    caller_sp: *mut u8,
    entry: Entry,
    arg: *mut c_void,
}

/// A coroutine on our own x86-64 switch (see the module docs).
#[derive(Debug)]
pub struct Native {
    stack: GuardedStack,
}

impl Native {
    fn control(&self) -> *mut Control {
        self.stack.header().cast()
    }
}

/// Saves the current context (`rbx`, `rbp`, resume address) on the current stack,
/// stores the stack pointer at `save`, and continues the context whose saved stack
/// pointer is `to`; returns when some context switches back to the one saved here.
///
/// # Safety
/// `to` is a stack pointer saved by this function (or prepared by [`Native::create`])
/// whose context has not been continued since; `save` is writable.
#[inline(always)]
unsafe fn switch(save: *mut *mut u8, to: *mut u8) {
    // SAFETY: the caller's contract. The block pushes three words below the current
    // stack pointer (no `nostack`: the compiler keeps the red zone free), restores
    // `rbx` and `rbp` itself, declares r12-r15 and every caller-saved register
    // clobbered, and comes back at label 2 with the stack as it left it. Its scratch
    // register is r12, an early-clobbered output, so no input operand shares it.
    unsafe {
        core::arch::asm!(
            "push rbp",
            "push rbx",
            "lea r12, [rip + 2f]",
            "push r12",
            "mov [{save}], rsp",
            "mov rsp, {to}",
            "pop r12",
            "jmp r12",
            "2:",
            "pop rbx",
            "pop rbp",
            save = in(reg) save,
            to = in(reg) to,
            out("r12") _,
            out("r13") _,
            out("r14") _,
            out("r15") _,
            clobber_abi("sysv64"),
        );
    }
}

// The first code a new coroutine runs: `rsp` points at the control block's address
// (the resume address above it was just popped). Clears `rbp`, aligns the stack for
// the call and calls `start_rust`, which never returns. `.cfi_undefined rip` tells
// unwinders and backtraces that the call stack ends here.
core::arch::global_asm!(
    ".text",
    ".p2align 4",
    ".globl arsenal_coro_native_start",
    ".hidden arsenal_coro_native_start",
    ".type arsenal_coro_native_start, @function",
    "arsenal_coro_native_start:",
    ".cfi_startproc",
    ".cfi_undefined rip",
    "mov rdi, [rsp]",
    "xor ebp, ebp",
    "and rsp, -16",
    "call {start}",
    "ud2",
    ".cfi_endproc",
    ".size arsenal_coro_native_start, . - arsenal_coro_native_start",
    start = sym start_rust,
);

extern "C" {
    /// The trampoline above (hidden: not exported from the final binary); declared only
    /// to take its address.
    #[link_name = "arsenal_coro_native_start"]
    fn start();
}

/// Runs the coroutine's entry and switches back to its resumer for the last time.
///
/// # Safety
/// Called once, by the trampoline, on the coroutine's fresh stack, with its control
/// block.
unsafe extern "C" fn start_rust(control: *mut Control) -> ! {
    // SAFETY: the control block lives at the top of this stack's mapping until the
    // coroutine is dropped, which cannot happen while it runs. `entry` does not unwind
    // (the safe layer catches panics inside it). After the final switch nothing resumes
    // this context again (`resume` is never called on a finished coroutine), so the
    // abort below is unreachable.
    unsafe {
        ((*control).entry)((*control).arg);
        let mut dead: *mut u8 = ptr::null_mut();
        switch(&mut dead, (*control).caller_sp);
    }
    std::process::abort();
}

// SAFETY: `create` prepares a guard-paged stack whose first switch runs
// `entry(arg)` on it (through `start`); `resume` switches in and returns at the next
// `suspend` or when the entry has returned (`start_rust` switches back then); the context lives in the stack mapping, not in `self` (which may move
// before the first resume); dropping the stack frees everything.
unsafe impl ContextBackend for Native {
    const BACKEND: Backend = Backend::Native;
    const SWITCHES_MXCSR: bool = false;

    fn create(stack_size: usize, entry: Entry, arg: *mut c_void) -> Result<Self, Error> {
        let stack = GuardedStack::new(stack_size, size_of::<Control>(), "native")?;
        let control = stack.header().cast::<Control>();
        let top = (stack.top() as usize & !15) as *mut u8;
        // SAFETY: the header area holds a `Control` (sized and 64-byte aligned by
        // GuardedStack); the two words below `top` are inside the usable stack.
        unsafe {
            let sp = top.sub(32);
            sp.cast::<usize>().write(start as *const () as usize);
            sp.add(8).cast::<*mut Control>().write(control);
            control.write(Control {
                sp,
                caller_sp: ptr::null_mut(),
                entry,
                arg,
            });
        }
        Ok(Native { stack })
    }

    #[inline(always)]
    unsafe fn resume(this: *mut Self) -> Result<(), Error> {
        // SAFETY: the caller's contract; the handle is the control block.
        unsafe { Self::resume_by_handle(this, Self::suspend_handle(this)) }
    }

    #[inline(always)]
    unsafe fn resume_by_handle(_this: *mut Self, handle: *mut ()) -> Result<(), Error> {
        let control = handle.cast::<Control>();
        // SAFETY: the caller's contract: `handle` is the control block of a live
        // coroutine, suspended or not started, so `sp` is a context saved by `switch` or
        // prepared by `create`.
        unsafe { switch(ptr::addr_of_mut!((*control).caller_sp), (*control).sp) };
        Ok(())
    }

    #[inline(always)]
    unsafe fn suspend(this: *mut Self) {
        // SAFETY: the caller's contract; the handle is the control block.
        unsafe { Self::suspend_by_handle(Self::suspend_handle(this)) }
    }

    /// The control block, in the stack mapping (fixed for the coroutine's life).
    unsafe fn suspend_handle(this: *mut Self) -> *mut () {
        // SAFETY: the caller's contract: `this` is live.
        unsafe { (*this).control().cast() }
    }

    #[inline(always)]
    unsafe fn suspend_by_handle(handle: *mut ()) {
        let control = handle.cast::<Control>();
        // SAFETY: the caller's contract: `handle` is the running coroutine's control
        // block and we run on its stack, so its resumer is parked in `switch` with its
        // context at `caller_sp`.
        unsafe { switch(ptr::addr_of_mut!((*control).sp), (*control).caller_sp) }
    }

    fn stack_size(&self) -> usize {
        self.stack.usable()
    }
}

impl crate::sealed::Sealed for Native {}
