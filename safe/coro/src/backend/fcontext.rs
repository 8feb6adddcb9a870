//! Boost.Context's `fcontext` (`make_fcontext` / `jump_fcontext`) on our guard-paged
//! stacks.

use std::ffi::c_void;
use std::ptr;

use arsenal_fcontext_sys::{fcontext_t, jump_fcontext, make_fcontext, transfer_t};

use crate::stack::GuardedStack;
use crate::{Backend, ContextBackend, Entry, Error};

/// The coroutine's switch state, at the top of its own stack mapping.
struct Control {
    /// The coroutine's suspended context (valid while it is suspended).
    ctx: fcontext_t,
    /// The resumer's context (valid while the coroutine runs).
    caller: fcontext_t,
    entry: Entry,
    arg: *mut c_void,
    finished: bool,
}

/// Boost.Context `fcontext` backend (feature `fcontext`): Boost's assembly switch (a few
/// nanoseconds, no syscall) on an `mmap`ed stack with a `PROT_NONE` guard page; the switch
/// state lives at the top of the same mapping.
#[derive(Debug)]
pub struct Fcontext {
    stack: GuardedStack,
}

impl Fcontext {
    fn control(&self) -> *mut Control {
        self.stack.header().cast()
    }
}

/// The first frame on the coroutine's stack. Never returns (Boost would `_exit`).
// No panic unwinds out of this `extern "C"` function: `entry` (coroutine.rs) catches
// every panic of the coroutine body, and the rest is plain pointer work.
unsafe extern "C" fn trampoline(t: transfer_t) {
    let control = t.data.cast::<Control>();
    // SAFETY: `resume` passed the live control block; we run on its coroutine's stack.
    unsafe {
        (*control).caller = t.fctx;
        ((*control).entry)((*control).arg);
        (*control).finished = true;
        jump_fcontext((*control).caller, ptr::null_mut());
    }
    // A finished coroutine is never resumed.
    std::process::abort();
}

// SAFETY: `create` makes a context on our own guard-paged stack whose state is at a fixed
// address (the top of the mapping), so moving `Fcontext` is harmless; `resume` returns
// after `suspend` or after the trampoline's final jump; Drop unmaps the stack.
unsafe impl ContextBackend for Fcontext {
    const BACKEND: Backend = Backend::Fcontext;

    fn create(stack_size: usize, entry: Entry, arg: *mut c_void) -> Result<Self, Error> {
        let stack = GuardedStack::new(stack_size, size_of::<Control>(), "fcontext")?;
        let control = stack.header().cast::<Control>();
        // SAFETY: the stack is live and ours; the control block is inside the mapping,
        // 64-byte aligned, and not yet used by anything.
        unsafe {
            let ctx = make_fcontext(stack.top().cast(), stack.usable(), trampoline);
            control.write(Control {
                ctx,
                caller: ptr::null_mut(),
                entry,
                arg,
                finished: false,
            });
        }
        Ok(Fcontext { stack })
    }

    #[inline(always)]
    unsafe fn resume(this: *mut Self) -> Result<(), Error> {
        // SAFETY: the caller guarantees `this` is live, suspended and not finished.
        unsafe {
            let control = (*this).control();
            let t = jump_fcontext((*control).ctx, control.cast());
            if !(*control).finished {
                (*control).ctx = t.fctx;
            }
        }
        Ok(())
    }

    #[inline(always)]
    unsafe fn suspend(this: *mut Self) {
        // SAFETY: we run on the coroutine `this`, so `caller` is its resumer's context.
        unsafe {
            let control = (*this).control();
            let t = jump_fcontext((*control).caller, ptr::null_mut());
            (*control).caller = t.fctx;
        }
    }

    fn stack_size(&self) -> usize {
        self.stack.usable()
    }
}

impl crate::sealed::Sealed for Fcontext {}
