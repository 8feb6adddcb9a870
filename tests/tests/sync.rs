//! The queue and lock conformance suites of `arsenal-sync`, per flavour and per lock.
#![cfg(feature = "sync")]

#[cfg(feature = "ck")]
arsenal_conformance::queue_conformance!(
    ck_spsc,
    Spsc,
    transfers: [(1, 1, 200_000)]
);
#[cfg(feature = "ck")]
arsenal_conformance::queue_conformance!(
    ck_spmc,
    Spmc,
    transfers: [(1, 2, 200_000)]
);
#[cfg(feature = "ck")]
arsenal_conformance::queue_conformance!(
    ck_mpsc,
    Mpsc,
    transfers: [(4, 1, 50_000)]
);
#[cfg(feature = "ck")]
arsenal_conformance::queue_conformance!(
    ck_mpmc,
    Mpmc,
    transfers: [(2, 2, 100_000), (4, 4, 25_000)]
);
arsenal_conformance::queue_conformance!(
    native_unbounded_mpsc,
    UnboundedMpsc,
    transfers: [(1, 1, 100_000), (4, 1, 50_000)]
);

#[cfg(feature = "ck")]
arsenal_conformance::bounded_queue_conformance!(ck_spsc_bounded, Spsc);
#[cfg(feature = "ck")]
arsenal_conformance::bounded_queue_conformance!(ck_spmc_bounded, Spmc);
#[cfg(feature = "ck")]
arsenal_conformance::bounded_queue_conformance!(ck_mpsc_bounded, Mpsc);
#[cfg(feature = "ck")]
arsenal_conformance::bounded_queue_conformance!(ck_mpmc_bounded, Mpmc);

#[cfg(feature = "ck")]
arsenal_conformance::mutex_conformance!(ck_fas, arsenal_sync::RawFas, threads: 4);
#[cfg(feature = "ck")]
arsenal_conformance::mutex_conformance!(
    ck_ticket,
    arsenal_sync::RawTicket,
    threads: arsenal_conformance::sync::fifo_stress_threads()
);
#[cfg(feature = "ck")]
arsenal_conformance::mutex_conformance!(
    ck_mcs,
    arsenal_sync::RawMcs,
    threads: arsenal_conformance::sync::fifo_stress_threads()
);
#[cfg(feature = "ck")]
arsenal_conformance::mutex_conformance!(
    ck_clh,
    arsenal_sync::RawClh,
    threads: arsenal_conformance::sync::fifo_stress_threads()
);
#[cfg(target_os = "linux")]
arsenal_conformance::mutex_conformance!(native_futex, arsenal_sync::RawFutex, threads: 4);

#[cfg(feature = "ck")]
#[test]
fn ck_rwlock_readers_share_writers_exclude() {
    arsenal_conformance::sync::check_rwlock::<arsenal_sync::RawCkRwLock>();
}

#[cfg(feature = "ck")]
#[test]
fn ck_rwlock_downgrade_keeps_writers_out() {
    let lock = arsenal_sync::CkRwLock::new(1);
    let mut write = lock.write();
    *write = 2;
    let read = arsenal_sync::lock_api::RwLockWriteGuard::downgrade(write);
    assert_eq!(*read, 2);
    assert!(lock.try_write().is_none());
    assert!(lock.try_read().is_some());
    drop(read);
    assert!(lock.try_write().is_some());
}

#[cfg(feature = "ck")]
#[test]
fn ring_slot_counts_are_checked() {
    use arsenal_sync::{ErrorKind, MAX_SLOTS};
    for bad in [0, 1, 2, 3, 5, 6, 12, 1000, MAX_SLOTS * 2] {
        let err = arsenal_sync::spsc::channel::<u8>(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidCapacity, "{bad}");
        assert_eq!(err.backend(), "ck");
        assert!(err.to_string().contains(&bad.to_string()), "{err}");
        assert!(arsenal_sync::mpmc::Queue::<u8>::new(bad).is_err());
        assert!(arsenal_sync::spmc::channel::<u8>(bad).is_err());
        assert!(arsenal_sync::mpsc::channel::<u8>(bad).is_err());
    }
    for good in [4, 8, 1024] {
        let (tx, _rx) = arsenal_sync::spsc::channel::<u8>(good).expect("power of two");
        assert_eq!(arsenal_sync::Bounded::capacity(&tx), good - 1);
    }
}

#[cfg(feature = "ck")]
#[test]
fn try_pop_once_sees_values() {
    use arsenal_sync::Push;
    let queue = arsenal_sync::mpmc::Queue::<u32>::new(8).expect("valid");
    assert_eq!(queue.try_pop_once(), None);
    queue.push(3);
    assert_eq!(queue.try_pop_once(), Some(3));
    let (tx, rx) = arsenal_sync::spmc::channel::<u32>(8).expect("valid");
    tx.push(4);
    assert_eq!(rx.try_pop_once(), Some(4));
    assert_eq!(rx.try_pop_once(), None);
}
