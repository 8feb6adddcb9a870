//! -sys smoke test: version, struct layout, and a resume/yield/exit round trip on a
//! guard-paged stack.
use std::ffi::c_void;
use std::mem::{offset_of, size_of};
use std::ptr;

use arsenal_aco_sys::*;

#[test]
fn version_and_layout() {
    // SAFETY: plain shim calls.
    let version = unsafe { arsenal_aco_version() };
    assert!(version >= 10200, "{version}");
    let mut layout = [0usize; 8];
    // SAFETY: the shim writes 8 values.
    unsafe { arsenal_aco_layout(layout.as_mut_ptr()) };
    assert_eq!(
        layout,
        [
            size_of::<aco_t>(),
            offset_of!(aco_t, main_co),
            offset_of!(aco_t, is_end),
            offset_of!(aco_t, save_stack),
            offset_of!(aco_t, share_stack),
            size_of::<aco_share_stack_t>(),
            offset_of!(aco_share_stack_t, owner),
            size_of::<aco_save_stack_t>(),
        ]
    );
}

unsafe extern "C" fn counter() {
    // SAFETY: runs as a libaco coroutine whose arg is a `u64`.
    unsafe {
        let n = arsenal_aco_get_arg().cast::<u64>();
        for _ in 0..3 {
            *n += 1;
            arsenal_aco_yield();
        }
        *n += 100;
        arsenal_aco_exit();
    }
}

#[test]
fn resume_yield_exit() {
    let mut n = 0u64;
    // SAFETY: the documented sequence: init, main co, stack, co; resumed from main only.
    unsafe {
        aco_thread_init(None);
        let main = aco_create(ptr::null_mut(), ptr::null_mut(), 0, None, ptr::null_mut());
        let stack = aco_share_stack_new2(64 * 1024, 1);
        assert!(!stack.is_null() && (*stack).guard_page_enabled == 1);
        let co = aco_create(
            main,
            stack,
            0,
            Some(counter),
            ptr::addr_of_mut!(n).cast::<c_void>(),
        );
        assert_eq!((*co).main_co, main);
        for i in 1..=3 {
            aco_resume(co);
            assert_eq!(n, i);
            assert_eq!((*co).is_end, 0);
            assert_eq!(arsenal_aco_get_co(), main);
        }
        aco_resume(co);
        assert_eq!(n, 103);
        assert_ne!((*co).is_end, 0);
        aco_destroy(co);
        aco_share_stack_destroy(stack);
        aco_destroy(main);
    }
}
