//! -sys smoke test: a real make_fcontext / jump_fcontext round trip (several switches with
//! data in both directions) on an mmap'd stack, plus ontop_fcontext, and the version the
//! build found.
use std::ffi::c_void;
use std::ptr;

use arsenal_fcontext_sys::{jump_fcontext, make_fcontext, ontop_fcontext, transfer_t};

const STACK: usize = 64 * 1024;

/// An anonymous read/write mapping, unmapped on drop.
struct Mapping(*mut c_void);

impl Mapping {
    fn new() -> Mapping {
        // SAFETY: a fresh private anonymous mapping; the result is checked.
        let p = unsafe {
            libc::mmap(
                ptr::null_mut(),
                STACK,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(p, libc::MAP_FAILED);
        Mapping(p)
    }
    fn top(&self) -> *mut c_void {
        // SAFETY: one past the end of the mapping.
        unsafe { self.0.cast::<u8>().add(STACK).cast() }
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly what `new` mapped; no context uses it any more.
        unsafe { libc::munmap(self.0, STACK) };
    }
}

/// Receives a number, sends back its square, forever (never returns).
unsafe extern "C" fn squarer(mut t: transfer_t) {
    loop {
        let n = t.data as usize;
        // SAFETY: `t.fctx` is the context that just jumped here.
        t = unsafe { jump_fcontext(t.fctx, (n * n) as *mut c_void) };
    }
}

#[test]
fn round_trip_on_an_mmap_stack() {
    let stack = Mapping::new();
    // SAFETY: the stack lives until the end of the test; the context never returns.
    let mut ctx = unsafe { make_fcontext(stack.top(), STACK, squarer) };
    assert!(!ctx.is_null());
    for n in 1..=1000usize {
        // SAFETY: `ctx` is the coroutine's latest suspended context, resumed once.
        let t = unsafe { jump_fcontext(ctx, n as *mut c_void) };
        assert_eq!(t.data as usize, n * n);
        let sp = t.fctx as usize;
        assert!(
            sp > stack.0 as usize && sp < stack.top() as usize,
            "saved on the stack"
        );
        ctx = t.fctx;
    }
}

unsafe extern "C" fn add_one_on_top(t: transfer_t) -> transfer_t {
    transfer_t {
        fctx: t.fctx,
        data: (t.data as usize + 1) as *mut c_void,
    }
}

#[test]
fn ontop_runs_a_function_before_resuming() {
    let stack = Mapping::new();
    // SAFETY: as above.
    let ctx = unsafe { make_fcontext(stack.top(), STACK, squarer) };
    // SAFETY: first jump starts `squarer` with 3.
    let t = unsafe { jump_fcontext(ctx, 3usize as *mut c_void) };
    assert_eq!(t.data as usize, 9);
    // SAFETY: `add_one_on_top` turns 4 into 5 on the coroutine's stack before it resumes.
    let t = unsafe { ontop_fcontext(t.fctx, 4usize as *mut c_void, add_one_on_top) };
    assert_eq!(t.data as usize, 25);
}

#[test]
fn version_is_reported() {
    let version = arsenal_fcontext_sys::BOOST_CONTEXT_VERSION;
    assert!(
        version == "unknown" || version.split('.').all(|p| p.parse::<u32>().is_ok()),
        "{version}"
    );
}
