//! glibc's `getcontext` / `makecontext` / `swapcontext` on our guard-paged stacks: the
//! baseline every other backend is measured against.

use std::ffi::c_void;

use crate::stack::GuardedStack;
use crate::{Backend, ContextBackend, Entry, Error, ErrorKind};

/// Both contexts and the entry, at the top of the coroutine's own stack mapping: a
/// `ucontext_t` points into itself (`uc_mcontext.fpregs`), so it must never move.
struct Control {
    co: libc::ucontext_t,
    caller: libc::ucontext_t,
    entry: Entry,
    arg: *mut c_void,
    finished: bool,
}

/// glibc `ucontext` backend (feature `ucontext`): `swapcontext` saves and restores the
/// signal mask, so every switch costs a `rt_sigprocmask` system call. Our `mmap`ed stack
/// with a `PROT_NONE` guard page; both contexts live at the top of the same mapping.
#[derive(Debug)]
pub struct Ucontext {
    stack: GuardedStack,
}

impl Ucontext {
    fn control(&self) -> *mut Control {
        self.stack.header().cast()
    }
}

/// The first frame on the coroutine's stack; `makecontext` passes the control block's
/// address as two 32-bit halves (its arguments are `int`s). Returning switches to
/// `uc_link`, the resumer's context.
// No panic unwinds out of this `extern "C"` function: `entry` (coroutine.rs) catches
// every panic of the coroutine body, and the rest is plain pointer work.
extern "C" fn trampoline(hi: u32, lo: u32) {
    let control = ((u64::from(hi) << 32) | u64::from(lo)) as usize as *mut Control;
    // SAFETY: `create` passed the live control block; we run on its coroutine's stack.
    unsafe {
        ((*control).entry)((*control).arg);
        (*control).finished = true;
    }
}

// SAFETY: the contexts sit at a fixed address (top of our mapping) so moving `Ucontext`
// is harmless; the trampoline returns through `uc_link` to the resumer's context after
// marking the coroutine finished; Drop unmaps the stack.
unsafe impl ContextBackend for Ucontext {
    const BACKEND: Backend = Backend::Ucontext;

    fn create(stack_size: usize, entry: Entry, arg: *mut c_void) -> Result<Self, Error> {
        let stack = GuardedStack::new(stack_size, size_of::<Control>(), "ucontext")?;
        let control = stack.header().cast::<Control>();
        // SAFETY: the control block is inside our fresh mapping (zeroed by mmap, which is
        // a valid bit pattern for `ucontext_t`); makecontext gets our own stack.
        unsafe {
            (*control).entry = entry;
            (*control).arg = arg;
            (*control).finished = false;
            let co = std::ptr::addr_of_mut!((*control).co);
            if libc::getcontext(co) != 0 {
                return Err(Error::os(ErrorKind::Backend, "ucontext", "getcontext"));
            }
            (*co).uc_stack.ss_sp = stack.bottom().cast();
            (*co).uc_stack.ss_size = stack.usable();
            (*co).uc_stack.ss_flags = 0;
            (*co).uc_link = std::ptr::addr_of_mut!((*control).caller);
            let address = control as usize as u64;
            let func: extern "C" fn(u32, u32) = trampoline;
            libc::makecontext(
                co,
                // SAFETY: makecontext calls `func` with the 2 int arguments given here.
                std::mem::transmute::<extern "C" fn(u32, u32), extern "C" fn()>(func),
                2,
                (address >> 32) as u32,
                address as u32,
            );
        }
        Ok(Ucontext { stack })
    }

    #[inline(always)]
    unsafe fn resume(this: *mut Self) -> Result<(), Error> {
        // SAFETY: the caller guarantees `this` is live, suspended and not finished.
        unsafe {
            let control = (*this).control();
            let rc = libc::swapcontext(
                std::ptr::addr_of_mut!((*control).caller),
                std::ptr::addr_of!((*control).co),
            );
            if rc != 0 {
                return Err(Error::os(ErrorKind::Backend, "ucontext", "swapcontext"));
            }
        }
        Ok(())
    }

    #[inline(always)]
    unsafe fn suspend(this: *mut Self) {
        // SAFETY: we run on the coroutine `this`; `caller` holds its resumer's context.
        unsafe {
            let control = (*this).control();
            // Cannot fail with valid contexts (glibc reports only sigprocmask errors).
            libc::swapcontext(
                std::ptr::addr_of_mut!((*control).co),
                std::ptr::addr_of!((*control).caller),
            );
        }
    }

    fn stack_size(&self) -> usize {
        self.stack.usable()
    }
}

impl crate::sealed::Sealed for Ucontext {}
