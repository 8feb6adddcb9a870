//! -sys smoke test: our hand-written `mco_coro` / `mco_desc` match the layout minicoro
//! fills in, entry points are called with the C ABI, and a resume/yield round trip with
//! push/pop passes values both ways.
use std::cell::Cell;
use std::ffi::{c_void, CStr};
use std::ptr;

use arsenal_minicoro_sys::*;

thread_local! {
    static ALLOCATED: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    static FREED: Cell<usize> = const { Cell::new(0) };
}

unsafe extern "C" fn recording_malloc(size: usize, data: *mut c_void) -> *mut c_void {
    assert_eq!(data as usize, 0xA110C);
    // SAFETY: plain malloc; the block is returned to `recording_free`.
    let p = unsafe { libc_malloc(size) };
    ALLOCATED.with(|a| a.set((p as usize, size)));
    p
}

unsafe extern "C" fn recording_free(p: *mut c_void, data: *mut c_void) {
    assert_eq!(data as usize, 0xA110C);
    FREED.with(|f| f.set(p as usize));
    // SAFETY: `p` came from `recording_malloc`.
    unsafe { libc_free(p) };
}

extern "C" {
    #[link_name = "malloc"]
    fn libc_malloc(size: usize) -> *mut c_void;
    #[link_name = "free"]
    fn libc_free(p: *mut c_void);
}

unsafe extern "C" fn doubler(co: *mut mco_coro) {
    // SAFETY: `co` is the running coroutine; storage holds u64 values pushed by the caller.
    unsafe {
        assert_eq!(mco_running(), co);
        assert_eq!(mco_status(co), MCO_RUNNING);
        loop {
            let mut n = 0u64;
            assert_eq!(mco_pop(co, ptr::addr_of_mut!(n).cast(), 8), MCO_SUCCESS);
            if n == 0 {
                return;
            }
            let doubled = n * 2;
            assert_eq!(mco_push(co, ptr::addr_of!(doubled).cast(), 8), MCO_SUCCESS);
            assert_eq!(mco_yield(co), MCO_SUCCESS);
        }
    }
}

#[test]
fn layout_matches_what_minicoro_fills_in() {
    // SAFETY: the description is filled by minicoro, then our callbacks are set.
    unsafe {
        let mut desc = mco_desc_init(Some(doubler), 40_000);
        assert_eq!(desc.stack_size, 40_000);
        assert_eq!(desc.storage_size, MCO_DEFAULT_STORAGE_SIZE);
        assert_eq!(
            desc.func.map(|f| f as usize),
            Some(doubler as mco_func as usize)
        );
        // coro_size = control block + context + storage + stack + 16, each 16-aligned.
        assert!(desc.coro_size >= std::mem::size_of::<mco_coro>() + 1024 + 40_000 + 16);
        assert_eq!(desc.coro_size % 16, 0);
        desc.user_data = 0xDA7A as *mut c_void;
        desc.malloc_cb = Some(recording_malloc);
        desc.free_cb = Some(recording_free);
        desc.allocator_data = 0xA110C as *mut c_void;
        let mut co = ptr::null_mut();
        assert_eq!(mco_create(&mut co, &mut desc), MCO_SUCCESS);
        let (block, size) = ALLOCATED.with(Cell::get);
        assert_eq!((co as usize, size), (block, desc.coro_size));
        let c = &*co;
        assert_eq!(c.state, MCO_SUSPENDED);
        assert_eq!(
            c.func.map(|f| f as usize),
            Some(doubler as mco_func as usize)
        );
        assert_eq!(c.user_data as usize, 0xDA7A);
        assert_eq!(mco_get_user_data(co) as usize, 0xDA7A);
        assert_eq!(c.allocator_data as usize, 0xA110C);
        assert_eq!(
            c.free_cb.map(|f| f as usize),
            Some(recording_free as mco_free_cb as usize)
        );
        assert!(c.prev_co.is_null());
        assert_eq!(c.storage_size, MCO_DEFAULT_STORAGE_SIZE);
        assert_eq!(mco_get_storage_size(co), MCO_DEFAULT_STORAGE_SIZE);
        assert_eq!(c.bytes_stored, 0);
        // Control block, then context, then storage, then the stack, all in the block.
        let (storage, stack) = (c.storage as usize, c.stack_base as usize);
        assert!(storage >= block + std::mem::size_of::<mco_coro>());
        assert_eq!(stack, storage + MCO_DEFAULT_STORAGE_SIZE);
        assert_eq!(c.stack_size, 40_000);
        assert_eq!(stack + c.stack_size + 16, block + desc.coro_size);
        assert!((c.context as usize) > block && (c.context as usize) < storage);
        assert_eq!(mco_destroy(co), MCO_SUCCESS);
        assert_eq!(FREED.with(Cell::get), block);
    }
}

#[test]
fn round_trip_with_push_and_pop() {
    // SAFETY: a coroutine with minicoro's default allocator, resumed only while suspended.
    unsafe {
        let mut desc = mco_desc_init(Some(doubler), 0);
        assert_eq!(desc.stack_size, MCO_DEFAULT_STACK_SIZE);
        let mut co = ptr::null_mut();
        assert_eq!(mco_create(&mut co, &mut desc), MCO_SUCCESS);
        assert!(mco_running().is_null());
        for n in 1..=1000u64 {
            assert_eq!(mco_push(co, ptr::addr_of!(n).cast(), 8), MCO_SUCCESS);
            assert_eq!(mco_resume(co), MCO_SUCCESS);
            assert_eq!(mco_status(co), MCO_SUSPENDED);
            assert_eq!(mco_get_bytes_stored(co), 8);
            let mut out = 0u64;
            assert_eq!(mco_pop(co, ptr::addr_of_mut!(out).cast(), 8), MCO_SUCCESS);
            assert_eq!(out, 2 * n);
        }
        let zero = 0u64;
        assert_eq!(mco_push(co, ptr::addr_of!(zero).cast(), 8), MCO_SUCCESS);
        assert_eq!(mco_resume(co), MCO_SUCCESS);
        assert_eq!(mco_status(co), MCO_DEAD);
        // Resuming a dead coroutine is an error code, not a crash.
        assert_eq!(mco_resume(co), MCO_NOT_SUSPENDED);
        let text = CStr::from_ptr(mco_result_description(MCO_NOT_SUSPENDED));
        assert!(!text.to_bytes().is_empty());
        assert_eq!(mco_destroy(co), MCO_SUCCESS);
    }
}
