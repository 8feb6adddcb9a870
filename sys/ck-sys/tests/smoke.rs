//! -sys smoke test: the header the shim compiled against is ck 0.7, the Rust mirrors have
//! ck's layouts, and the linked shim moves entries through a ring and takes each lock.
use std::ffi::{c_void, CStr};
use std::mem::{align_of, size_of};
use std::ptr;

use arsenal_ck_sys as sys;

#[test]
fn version_is_0_7() {
    // SAFETY: the shim returns a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(sys::arsenal_ck_version()) };
    let version = version.to_str().expect("CK_VERSION is ASCII");
    assert!(version.starts_with("0.7."), "CK_VERSION = {version}");
}

#[test]
fn layouts_match_the_header() {
    // SAFETY: the layout functions take no arguments and only return constants.
    let pairs = unsafe {
        [
            (
                "ck_ring_t",
                sys::arsenal_ck_sizeof_ring(),
                sys::arsenal_ck_alignof_ring(),
                size_of::<sys::ck_ring_t>(),
                align_of::<sys::ck_ring_t>(),
            ),
            (
                "ck_ring_buffer_t",
                sys::arsenal_ck_sizeof_ring_buffer(),
                sys::arsenal_ck_alignof_ring_buffer(),
                size_of::<sys::ck_ring_buffer_t>(),
                align_of::<sys::ck_ring_buffer_t>(),
            ),
            (
                "ck_spinlock_fas_t",
                sys::arsenal_ck_sizeof_spinlock_fas(),
                sys::arsenal_ck_alignof_spinlock_fas(),
                size_of::<sys::ck_spinlock_fas_t>(),
                align_of::<sys::ck_spinlock_fas_t>(),
            ),
            (
                "ck_spinlock_ticket_t",
                sys::arsenal_ck_sizeof_spinlock_ticket(),
                sys::arsenal_ck_alignof_spinlock_ticket(),
                size_of::<sys::ck_spinlock_ticket_t>(),
                align_of::<sys::ck_spinlock_ticket_t>(),
            ),
            (
                "ck_spinlock_mcs_t",
                sys::arsenal_ck_sizeof_spinlock_mcs(),
                sys::arsenal_ck_alignof_spinlock_mcs(),
                size_of::<sys::ck_spinlock_mcs_t>(),
                align_of::<sys::ck_spinlock_mcs_t>(),
            ),
            (
                "ck_spinlock_mcs_context_t",
                sys::arsenal_ck_sizeof_spinlock_mcs_context(),
                sys::arsenal_ck_alignof_spinlock_mcs_context(),
                size_of::<sys::ck_spinlock_mcs_context_t>(),
                align_of::<sys::ck_spinlock_mcs_context_t>(),
            ),
            (
                "ck_spinlock_clh_t",
                sys::arsenal_ck_sizeof_spinlock_clh(),
                sys::arsenal_ck_alignof_spinlock_clh(),
                size_of::<sys::ck_spinlock_clh_t>(),
                align_of::<sys::ck_spinlock_clh_t>(),
            ),
            (
                "ck_rwlock_t",
                sys::arsenal_ck_sizeof_rwlock(),
                sys::arsenal_ck_alignof_rwlock(),
                size_of::<sys::ck_rwlock_t>(),
                align_of::<sys::ck_rwlock_t>(),
            ),
        ]
    };
    for (name, c_size, c_align, rust_size, rust_align) in pairs {
        assert_eq!(
            (c_size, c_align),
            (rust_size, rust_align),
            "{name}: C vs Rust (size, align)"
        );
    }
}

#[test]
fn ring_round_trip_keeps_order_and_reports_full() {
    const SLOTS: u32 = 8;
    let mut ring = sys::ck_ring_t::ZEROED;
    let mut buffer = [sys::ck_ring_buffer_t {
        value: ptr::null_mut(),
    }; SLOTS as usize];
    // SAFETY: `ring` is writable and SLOTS is a power of two; `buffer` has SLOTS slots and
    // outlives every call below; this thread is the only producer and consumer.
    unsafe {
        sys::arsenal_ck_ring_init(&mut ring, SLOTS);
        assert_eq!(sys::arsenal_ck_ring_capacity(&ring), SLOTS);
        for i in 1..SLOTS as usize {
            let entry = i as *const c_void;
            assert!(sys::arsenal_ck_ring_enqueue_spsc(
                &mut ring,
                buffer.as_mut_ptr(),
                &entry
            ));
        }
        // One slot always stays empty.
        let extra = 99usize as *const c_void;
        assert!(!sys::arsenal_ck_ring_enqueue_spsc(
            &mut ring,
            buffer.as_mut_ptr(),
            &extra
        ));
        assert_eq!(sys::arsenal_ck_ring_size(&ring), SLOTS - 1);
        for i in 1..SLOTS as usize {
            let mut out: *mut c_void = ptr::null_mut();
            assert!(sys::arsenal_ck_ring_dequeue_mpmc(
                &mut ring,
                buffer.as_ptr(),
                ptr::from_mut(&mut out).cast()
            ));
            assert_eq!(out as usize, i);
        }
        let mut out: *mut c_void = ptr::null_mut();
        assert!(!sys::arsenal_ck_ring_dequeue_spsc(
            &mut ring,
            buffer.as_ptr(),
            ptr::from_mut(&mut out).cast()
        ));
    }
}

#[test]
fn locks_lock_and_unlock() {
    let mut fas = sys::ck_spinlock_fas_t::default();
    let mut ticket = sys::ck_spinlock_ticket_t::default();
    let mut rw = sys::ck_rwlock_t::default();
    let mut mcs: sys::ck_spinlock_mcs_t = ptr::null_mut();
    let mut node = sys::ck_spinlock_mcs {
        locked: 0,
        next: ptr::null_mut(),
    };
    let mut clh_unowned = sys::ck_spinlock_clh_t {
        wait: 0,
        previous: ptr::null_mut(),
    };
    let mut clh_mine = sys::ck_spinlock_clh_t {
        wait: 0,
        previous: ptr::null_mut(),
    };
    let mut clh: *mut sys::ck_spinlock_clh_t = ptr::null_mut();
    // SAFETY: every lock and node is a live local used by this thread only; each unlock
    // matches a successful lock.
    unsafe {
        sys::arsenal_ck_spinlock_fas_init(&mut fas);
        assert!(sys::arsenal_ck_spinlock_fas_trylock(&mut fas));
        assert!(!sys::arsenal_ck_spinlock_fas_trylock(&mut fas));
        sys::arsenal_ck_spinlock_fas_unlock(&mut fas);
        sys::arsenal_ck_spinlock_fas_lock(&mut fas);
        assert!(sys::arsenal_ck_spinlock_fas_locked(&mut fas));
        sys::arsenal_ck_spinlock_fas_unlock(&mut fas);

        sys::arsenal_ck_spinlock_ticket_init(&mut ticket);
        sys::arsenal_ck_spinlock_ticket_lock(&mut ticket);
        assert!(!sys::arsenal_ck_spinlock_ticket_trylock(&mut ticket));
        sys::arsenal_ck_spinlock_ticket_unlock(&mut ticket);
        assert!(!sys::arsenal_ck_spinlock_ticket_locked(&mut ticket));

        sys::arsenal_ck_spinlock_mcs_init(&mut mcs);
        sys::arsenal_ck_spinlock_mcs_lock(&mut mcs, &mut node);
        assert!(sys::arsenal_ck_spinlock_mcs_locked(&mut mcs));
        sys::arsenal_ck_spinlock_mcs_unlock(&mut mcs, &mut node);
        assert!(mcs.is_null());

        sys::arsenal_ck_spinlock_clh_init(&mut clh, &mut clh_unowned);
        sys::arsenal_ck_spinlock_clh_lock(&mut clh, &mut clh_mine);
        assert!(sys::arsenal_ck_spinlock_clh_locked(&mut clh));
        let mut held: *mut sys::ck_spinlock_clh_t = &mut clh_mine;
        sys::arsenal_ck_spinlock_clh_unlock(&mut held);
        // The unlocker now owns its predecessor's node: the initial unowned one.
        assert_eq!(held, ptr::from_mut(&mut clh_unowned));
        assert!(!sys::arsenal_ck_spinlock_clh_locked(&mut clh));

        sys::arsenal_ck_rwlock_init(&mut rw);
        sys::arsenal_ck_rwlock_read_lock(&mut rw);
        assert!(sys::arsenal_ck_rwlock_read_trylock(&mut rw));
        assert!(!sys::arsenal_ck_rwlock_write_trylock(&mut rw));
        sys::arsenal_ck_rwlock_read_unlock(&mut rw);
        sys::arsenal_ck_rwlock_read_unlock(&mut rw);
        assert!(sys::arsenal_ck_rwlock_write_trylock(&mut rw));
        assert!(sys::arsenal_ck_rwlock_locked_writer(&mut rw));
        sys::arsenal_ck_rwlock_write_downgrade(&mut rw);
        assert!(!sys::arsenal_ck_rwlock_locked_writer(&mut rw));
        sys::arsenal_ck_rwlock_read_unlock(&mut rw);
        assert!(!sys::arsenal_ck_rwlock_locked(&mut rw));
    }
}
