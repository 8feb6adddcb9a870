//! minicoro (`mco_create` / `mco_resume` / `mco_yield`) with its coroutine block mapped by
//! our allocator callbacks and a guard page `mprotect`ed inside its stack.

use std::ffi::{c_void, CStr};
use std::ptr::{self, NonNull};

use arsenal_minicoro_sys as sys;

use crate::stack::{page_size, Mapping};
use crate::{Backend, ContextBackend, Entry, Error, ErrorKind};

/// What the trampoline needs, written into the coroutine's (otherwise unused) push/pop
/// storage, which minicoro keeps inside its block.
struct Control {
    entry: Entry,
    arg: *mut c_void,
}

/// minicoro backend (feature `minicoro`): minicoro 0.1.3's assembly switch. `mco_create`
/// makes one block (control block, context, storage, then the stack); our `malloc_cb`
/// maps it with `mmap` and, after creation, the lowest whole page inside the stack is made
/// `PROT_NONE` as its guard page (minicoro itself has none).
#[derive(Debug)]
pub struct Minicoro {
    co: NonNull<sys::mco_coro>,
    usable: usize,
}

/// `malloc_cb`: the block as its own mapping; `allocator_data` carries its page-rounded
/// length.
// Panic-free (called by minicoro): a mapping failure is reported as NULL, not a panic.
unsafe extern "C" fn map_block(_size: usize, len: *mut c_void) -> *mut c_void {
    match Mapping::new(len as usize, "minicoro") {
        Ok(map) => map.into_raw().cast(),
        Err(_) => ptr::null_mut(),
    }
}

/// `free_cb` for blocks of [`map_block`].
// Panic-free (called by minicoro): `unmap_raw` ignores munmap failures.
unsafe extern "C" fn unmap_block(block: *mut c_void, len: *mut c_void) {
    // SAFETY: minicoro frees the block `map_block` mapped with this very length.
    unsafe { Mapping::unmap_raw(block.cast(), len as usize) };
}

// No panic unwinds out of this `extern "C"` function: `entry` (coroutine.rs) catches
// every panic of the coroutine body, and the rest is plain pointer work.
unsafe extern "C" fn trampoline(co: *mut sys::mco_coro) {
    // SAFETY: `create` wrote the control block into this coroutine's storage.
    unsafe {
        let control = (*co).storage.cast::<Control>();
        ((*control).entry)((*control).arg);
    }
    // Returning marks the coroutine dead and switches back to its resumer.
}

/// minicoro's x86-64 `_mco_makectx` puts a dummy return address `0xdeaddeaddeaddead`
/// below the 128-byte red zone at the top of the stack. A backtrace (a panic with
/// `RUST_BACKTRACE` set) walks up to it, and libgcc's unwinder then reads the instruction
/// bytes at that address to look for a signal frame: `SIGSEGV`. A return address of 0 is
/// the conventional end of stack, so it is replaced (only if it holds the dummy).
///
/// # Safety
/// `stack_end` is `stack_base + stack_size` of a coroutine that has not started.
unsafe fn end_backtraces_at_the_entry(stack_end: usize) {
    #[cfg(all(target_arch = "x86_64", not(windows)))]
    {
        let slot = (stack_end - 128 - size_of::<usize>()) as *mut usize;
        // SAFETY: inside the coroutine's (unstarted) stack, aligned to 8.
        unsafe {
            if slot.read() == 0xdead_dead_dead_dead {
                slot.write(0);
            }
        }
    }
    #[cfg(not(all(target_arch = "x86_64", not(windows))))]
    let _ = stack_end;
}

#[cold]
fn mco_error(what: &str, res: sys::mco_result) -> Error {
    // SAFETY: minicoro returns a static string for every code (or "unknown error").
    let text = unsafe { sys::mco_result_description(res) };
    let text = if text.is_null() {
        "unknown".into()
    } else {
        // SAFETY: a NUL-terminated static string.
        unsafe { CStr::from_ptr(text) }.to_string_lossy()
    };
    Error::new(ErrorKind::Backend, "minicoro", format!("{what}: {text}")).with_code(res)
}

// SAFETY: the coroutine is minicoro's heap block, so moving `Minicoro` is harmless;
// `mco_resume` returns after `mco_yield` or when the trampoline returns (state DEAD);
// Drop destroys the block (the generic layer never drops a running coroutine).
unsafe impl ContextBackend for Minicoro {
    const BACKEND: Backend = Backend::Minicoro;

    fn create(stack_size: usize, entry: Entry, arg: *mut c_void) -> Result<Self, Error> {
        let page = page_size();
        // Two pages more: up to one lost to alignment, one to the guard.
        let request = stack_size + 2 * page;
        // SAFETY: plain initialisation of a description.
        let mut desc = unsafe { sys::mco_desc_init(Some(trampoline), request) };
        let len = desc.coro_size.div_ceil(page) * page;
        desc.malloc_cb = Some(map_block);
        desc.free_cb = Some(unmap_block);
        desc.allocator_data = len as *mut c_void;
        let mut co = ptr::null_mut();
        // SAFETY: `desc` comes from mco_desc_init with valid callbacks.
        let res = unsafe { sys::mco_create(&mut co, &mut desc) };
        let co = match NonNull::new(co) {
            Some(co) if res == sys::MCO_SUCCESS => co,
            _ if res == sys::MCO_OUT_OF_MEMORY => {
                return Err(Error::new(
                    ErrorKind::StackAllocation,
                    "minicoro",
                    format!("mmap of a {len}-byte coroutine block failed"),
                )
                .with_code(res))
            }
            _ => return Err(mco_error("mco_create", res)),
        };
        // Owns the block from here on (its Drop destroys it on the error paths below).
        let mut this = Minicoro { co, usable: 0 };
        // SAFETY: `co` is a fresh, suspended coroutine; its storage (1 KiB) holds a
        // `Control`, and its stack lies in our mapping of `len` bytes at `co`.
        unsafe {
            let c = co.as_ptr();
            (*c).storage.cast::<Control>().write(Control { entry, arg });
            let base = (*c).stack_base as usize;
            let end = base + (*c).stack_size;
            let guard = base.div_ceil(page) * page;
            if guard + page > end {
                return Err(Error::new(
                    ErrorKind::InvalidStackSize,
                    "minicoro",
                    "stack too small for a guard page",
                ));
            }
            end_backtraces_at_the_entry(end);
            let map = std::mem::ManuallyDrop::new(Mapping::from_raw(c.cast(), len));
            map.protect_page(guard as *mut u8, "minicoro")?;
            this.usable = end - (guard + page);
        }
        Ok(this)
    }

    #[inline(always)]
    unsafe fn resume(this: *mut Self) -> Result<(), Error> {
        // SAFETY: the caller guarantees a live coroutine that is suspended.
        let res = unsafe { sys::mco_resume((*this).co.as_ptr()) };
        if res != sys::MCO_SUCCESS {
            return Err(mco_error("mco_resume", res));
        }
        Ok(())
    }

    #[inline(always)]
    unsafe fn suspend(this: *mut Self) {
        // SAFETY: we run on the coroutine `this` (so it is RUNNING and yield succeeds).
        unsafe { sys::mco_yield((*this).co.as_ptr()) };
    }

    fn stack_size(&self) -> usize {
        self.usable
    }
}

impl Drop for Minicoro {
    fn drop(&mut self) {
        // SAFETY: the coroutine is suspended or dead (never dropped while running); this
        // frees its block through `unmap_block`. On failure the block is leaked.
        unsafe { sys::mco_destroy(self.co.as_ptr()) };
    }
}

impl crate::sealed::Sealed for Minicoro {}
