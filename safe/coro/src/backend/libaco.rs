//! libaco (`aco_create` / `aco_resume` / `aco_yield` / `aco_exit`), one guard-paged
//! libaco stack per coroutine by default, or a [`SharedStack`] several coroutines copy
//! themselves on and off.

use std::cell::Cell;
use std::ffi::c_void;
use std::ptr::{self, NonNull};
use std::rc::Rc;

use arsenal_aco_sys as sys;

use crate::{Backend, ContextBackend, Entry, Error, ErrorKind};

/// What the trampoline needs (libaco passes one `arg`).
#[derive(Debug)]
struct Control {
    entry: Entry,
    arg: *mut c_void,
}

thread_local! {
    /// This thread's main coroutine, made on first use after `aco_thread_init`. Never
    /// destroyed: coroutines kept in other thread-locals may outlive any destructor order
    /// we could pick, and it is one small allocation per thread.
    static MAIN_CO: Cell<*mut sys::aco_t> = const { Cell::new(ptr::null_mut()) };
}

fn main_co() -> *mut sys::aco_t {
    MAIN_CO.with(|main| {
        if main.get().is_null() {
            // SAFETY: the documented per-thread set-up, done once per thread.
            let co = unsafe {
                sys::aco_thread_init(None);
                sys::aco_create(ptr::null_mut(), ptr::null_mut(), 0, None, ptr::null_mut())
            };
            main.set(co);
        }
        main.get()
    })
}

/// A libaco stack (`aco_share_stack_new2`, guard page re-protected `PROT_NONE`), freed when the
/// last coroutine on it and this handle are gone.
#[derive(Debug)]
struct StackOwner(NonNull<sys::aco_share_stack_t>);

impl Drop for StackOwner {
    fn drop(&mut self) {
        // SAFETY: no coroutine references the stack any more (each holds an `Rc`).
        unsafe { sys::aco_share_stack_destroy(self.0.as_ptr()) };
    }
}

/// A libaco stack of `size` bytes whose guard page is `PROT_NONE`, like every other
/// backend's: libaco maps its guard page `PROT_READ` (so an overflowing *read* would go
/// unnoticed); it is re-protected here, before any coroutine runs on the stack.
fn new_stack(size: usize) -> Result<Rc<StackOwner>, Error> {
    // SAFETY: allocates (or aborts: libaco's allocation failures are fatal).
    let raw = unsafe { sys::aco_share_stack_new2(size, 1) };
    let owner = StackOwner(NonNull::new(raw).ok_or_else(|| {
        Error::new(
            ErrorKind::Backend,
            "libaco",
            "aco_share_stack_new2 returned NULL",
        )
    })?);
    // SAFETY: the stack is live; with `guard_page_enabled`, libaco mapped `real_ptr` and
    // put the guard page(s) in [real_ptr, ptr), below the usable stack.
    let (guard, guard_len) = unsafe {
        let s = &*raw;
        (
            s.real_ptr,
            (s.ptr as usize).wrapping_sub(s.real_ptr as usize),
        )
    };
    // SAFETY: [guard, guard + guard_len) is part of libaco's own mapping of this stack,
    // page-aligned (libaco maps it with mmap and offsets `ptr` by whole pages); nothing
    // runs on it yet. On failure `owner` unmaps it.
    if guard_len == 0 || unsafe { libc::mprotect(guard, guard_len, libc::PROT_NONE) } != 0 {
        return Err(Error::new(
            ErrorKind::Backend,
            "libaco",
            format!(
                "cannot make the guard page PROT_NONE: {}",
                std::io::Error::last_os_error()
            ),
        ));
    }
    Ok(Rc::new(owner))
}

/// A stack that several libaco coroutines share: the one running owns it, and a
/// coroutine's used part is copied out to its save buffer when another one is resumed on
/// the same stack (and copied back when it resumes). Memory: one stack for many idle
/// coroutines; cost: a copy of the used stack on every switch between sharers.
///
/// Constraint (why [`Libaco::create_on_shared`] is `unsafe`): while a coroutine is
/// suspended, its stack memory holds another coroutine's frames. Any pointer *into* a
/// suspended coroutine's stack — held by another thread (`std::thread::scope`), another
/// coroutine, or the caller — reads or writes the wrong data.
///
/// ```
/// use arsenal_coro::backend::{Libaco, SharedStack};
/// use arsenal_coro::{Coroutine, CoroutineResult};
///
/// let stack = SharedStack::new(256 * 1024);
/// let mut cos: Vec<Coroutine<u32, u32, u32, Libaco>> = (0..3)
///     .map(|k| {
///         // SAFETY: the closures keep no pointers into their stacks across suspensions.
///         unsafe {
///             Coroutine::create_with(
///                 |entry, arg| Libaco::create_on_shared(&stack, entry, arg),
///                 move |y, a| a + y.suspend(a * k),
///             )
///         }
///     })
///     .collect::<Result<_, _>>()?;
/// for (k, co) in cos.iter_mut().enumerate() {
///     assert_eq!(co.resume(10)?, CoroutineResult::Yield(10 * k as u32));
/// }
/// for co in &mut cos {
///     assert_eq!(co.resume(1)?, CoroutineResult::Return(11));
/// }
/// # Ok::<(), arsenal_coro::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SharedStack(Rc<StackOwner>);

impl SharedStack {
    /// A shared stack of `size` bytes (rounded up to pages by libaco, plus its
    /// `PROT_NONE` guard page). libaco aborts the process if the allocation fails.
    ///
    /// # Panics
    /// If the guard page cannot be protected (`mprotect` failing, e.g. when the process
    /// reached its limit of memory mappings); [`SharedStack::try_new`] returns that error.
    pub fn new(size: usize) -> SharedStack {
        match SharedStack::try_new(size) {
            Ok(stack) => stack,
            Err(e) => panic!("arsenal-coro: {e}"),
        }
    }

    /// Like [`SharedStack::new`], with the guard-page failure as an error.
    pub fn try_new(size: usize) -> Result<SharedStack, Error> {
        new_stack(size.max(crate::MIN_STACK_SIZE)).map(SharedStack)
    }
}

/// libaco backend (feature `libaco`, x86/x86-64): libaco's `acosw` assembly switch, which
/// saves only callee-saved registers plus the FPU control word and MXCSR. By default every
/// coroutine gets its own libaco stack (`aco_share_stack_new2(size, 1)`: `mmap` with a
/// guard page below, which we make `PROT_NONE`), so no stack copying happens; [`SharedStack`] opts into
/// sharing.
///
/// libaco can only resume from a thread's main context: resuming a libaco coroutine from
/// inside another coroutine is refused with [`ErrorKind::NotResumable`]. libaco aborts the
/// process (rather than returning an error) when `malloc`/`mmap` fail.
#[derive(Debug)]
pub struct Libaco {
    co: NonNull<sys::aco_t>,
    control: Box<Control>,
    stack: Rc<StackOwner>,
    usable: usize,
}

// No panic unwinds out of this `extern "C"` function: `entry` (coroutine.rs) catches
// every panic of the coroutine body, and the rest is plain pointer work.
unsafe extern "C" fn trampoline() {
    // SAFETY: `create` passed a live `Control` as this coroutine's arg.
    unsafe {
        let control = sys::arsenal_aco_get_arg().cast::<Control>();
        ((*control).entry)((*control).arg);
        // A libaco coroutine must never return: mark it ended and switch to main.
        sys::arsenal_aco_exit();
    }
}

impl Libaco {
    fn on_stack(stack: Rc<StackOwner>, entry: Entry, arg: *mut c_void) -> Result<Self, Error> {
        let main = main_co();
        if main.is_null() {
            return Err(Error::new(
                ErrorKind::Backend,
                "libaco",
                "aco_create(main) failed",
            ));
        }
        let mut control = Box::new(Control { entry, arg });
        // SAFETY: `main` is this thread's main coroutine, the stack is live; libaco
        // aborts rather than return NULL.
        let co = unsafe {
            sys::aco_create(
                main,
                stack.0.as_ptr(),
                0,
                Some(trampoline),
                ptr::addr_of_mut!(*control).cast(),
            )
        };
        let co = NonNull::new(co)
            .ok_or_else(|| Error::new(ErrorKind::Backend, "libaco", "aco_create failed"))?;
        // SAFETY: the stack is live.
        let usable = unsafe { (*stack.0.as_ptr()).align_limit };
        Ok(Libaco {
            co,
            control,
            stack,
            usable,
        })
    }

    /// Like [`ContextBackend::create`], but on `stack`, shared with other coroutines; use with
    /// [`Coroutine::create_with`](crate::Coroutine::create_with).
    ///
    /// # Safety
    /// No pointer into the coroutine's stack may be used while it is suspended (see
    /// [`SharedStack`]): for example, borrowing a local of the coroutine from another
    /// thread, or handing one out through a channel or `Rc`, is undefined behaviour.
    pub unsafe fn create_on_shared(
        stack: &SharedStack,
        entry: Entry,
        arg: *mut c_void,
    ) -> Result<Self, Error> {
        Self::on_stack(stack.0.clone(), entry, arg)
    }
}

// SAFETY: the coroutine is libaco's heap `aco_t` and its entry data is boxed, so moving
// `Libaco` is harmless; `aco_resume` returns after `aco_yield` or `aco_exit`; `resume`
// refuses (without switching) where libaco would abort; Drop frees the `aco_t` and, with
// the last reference, the stack.
unsafe impl ContextBackend for Libaco {
    const BACKEND: Backend = Backend::Libaco;

    fn create(stack_size: usize, entry: Entry, arg: *mut c_void) -> Result<Self, Error> {
        // One page more: libaco keeps the top 32 bytes for its protector frame.
        let size = stack_size + crate::stack::page_size();
        Self::on_stack(new_stack(size)?, entry, arg)
    }

    #[inline(always)]
    unsafe fn resume(this: *mut Self) -> Result<(), Error> {
        // SAFETY: shim call reading libaco's thread-local; a non-NULL result is a live
        // coroutine (the running one, or the main coroutine of the last resume).
        let running = unsafe { sys::arsenal_aco_get_co() };
        // Any main coroutine will do (other code on this thread may have made its own);
        // a non-main one means we are inside a libaco coroutine.
        // SAFETY: see above.
        if !running.is_null() && unsafe { !(*running).main_co.is_null() } {
            return Err(Error::new(
                ErrorKind::NotResumable,
                "libaco",
                "libaco resumes coroutines only from the thread's main context, not from \
                 inside another libaco coroutine",
            ));
        }
        // SAFETY: the caller guarantees a live, suspended, unfinished coroutine created
        // on this thread; we are not inside another libaco coroutine.
        unsafe {
            let co = (*this).co.as_ptr();
            if (*co).is_end != 0 {
                return Err(Error::finished("libaco"));
            }
            sys::aco_resume(co);
        }
        Ok(())
    }

    #[inline(always)]
    unsafe fn suspend(_this: *mut Self) {
        // SAFETY: we run on a libaco coroutine (aco_gtls_co is it).
        unsafe { sys::arsenal_aco_yield() };
    }

    fn stack_size(&self) -> usize {
        self.usable
    }
}

impl Drop for Libaco {
    fn drop(&mut self) {
        // SAFETY: the coroutine is not running (the safe layer never drops a running one);
        // aco_destroy releases its hold on the shared stack. The control box and the
        // stack `Rc` are dropped after it.
        unsafe { sys::aco_destroy(self.co.as_ptr()) };
        let _ = (&self.control, &self.stack);
    }
}

impl crate::sealed::Sealed for Libaco {}

#[cfg(test)]
mod tests {
    use super::*;

    /// The permissions `/proc/self/maps` lists for the mapping starting at `addr`.
    fn permissions_at(addr: usize) -> Option<String> {
        let maps = std::fs::read_to_string("/proc/self/maps").ok()?;
        maps.lines().find_map(|line| {
            let (range, rest) = line.split_once(' ')?;
            let start = usize::from_str_radix(range.split_once('-')?.0, 16).ok()?;
            (start == addr).then(|| rest.split(' ').next().unwrap_or("").to_owned())
        })
    }

    #[test]
    fn guard_page_is_prot_none() {
        let stack = SharedStack::try_new(64 * 1024).expect("stack");
        // SAFETY: the stack is live while `stack` is.
        let (guard, usable) = unsafe {
            let s = &*stack.0 .0.as_ptr();
            (s.real_ptr as usize, s.ptr as usize)
        };
        assert!(usable > guard, "a guard page below the usable stack");
        assert_eq!(permissions_at(guard).as_deref(), Some("---p"));
        assert_eq!(permissions_at(usable).as_deref(), Some("rw-p"));
    }
}
