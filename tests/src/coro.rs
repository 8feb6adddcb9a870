//! The coroutine conformance suite: every function is generic over an
//! [`arsenal_coro::ContextBackend`]; [`coro_conformance!`](crate::coro_conformance) instantiates
//! them all as `#[test]`s for one backend (`tests/coro.rs` does so per enabled feature).

use std::cell::Cell;
use std::hint::black_box;
use std::panic::{self, AssertUnwindSafe};
use std::rc::Rc;

use arsenal_coro::{Backend, ContextBackend, Coroutine, CoroutineResult, ErrorKind, Generator};

/// Stack for tests that need little: 64 KiB.
pub const SMALL_STACK: usize = 64 * 1024;

/// The environment variable that turns the stack-overflow test into the child that
/// overflows.
pub const OVERFLOW_CHILD_ENV: &str = "ARSENAL_CORO_OVERFLOW_CHILD";

/// `switches` resume/yield round trips on one coroutine: each resume passes `i`, the
/// coroutine yields `i * 2 + 1`; finally it returns how many values it saw.
pub fn check_ping_pong<B: ContextBackend>(switches: u64) {
    let mut co = Coroutine::<u64, u64, u64, B>::create(SMALL_STACK, |y, mut i| {
        let mut seen = 0u64;
        while i != u64::MAX {
            seen += 1;
            i = y.suspend(i.wrapping_mul(2) + 1);
        }
        seen
    })
    .expect("create");
    assert!(!co.is_started());
    for i in 0..switches {
        match co.resume(i).expect("resume") {
            CoroutineResult::Yield(v) => assert_eq!(v, i * 2 + 1, "switch {i}"),
            CoroutineResult::Return(_) => panic!("returned early at {i}"),
        }
    }
    assert!(co.is_started() && !co.is_finished());
    assert_eq!(
        co.resume(u64::MAX).expect("last"),
        CoroutineResult::Return(switches)
    );
    assert!(co.is_finished());
    assert_eq!(co.backend(), B::BACKEND);
}

/// `count` coroutines alive at once (each suspended with heap data on its stack), then
/// all resumed to completion; every result checked.
pub fn check_many_live<B: ContextBackend>(count: u64) {
    let mut all: Vec<Coroutine<u64, u64, (u64, String), B>> = (0..count)
        .map(|_| {
            Coroutine::create(0, |y, id: u64| {
                // Heap data owned by the suspended coroutine's stack, on purpose.
                #[allow(clippy::useless_vec)]
                let local = vec![id; 4];
                let name = format!("co-{id}");
                let next = y.suspend(id * 3);
                (local.iter().sum::<u64>() + next, name)
            })
            .expect("create")
        })
        .collect();
    for (id, co) in (0..count).zip(all.iter_mut()) {
        assert_eq!(
            co.resume(id).expect("start"),
            CoroutineResult::Yield(id * 3)
        );
    }
    for (id, co) in all.iter_mut().enumerate().rev() {
        let id = id as u64;
        let expected = (4 * id + id + 1, format!("co-{id}"));
        assert_eq!(
            co.resume(id + 1).expect("finish"),
            CoroutineResult::Return(expected)
        );
        assert!(co.is_finished());
    }
}

#[inline(never)]
fn recurse(depth: u64) -> u64 {
    let frame = black_box([depth as u8; 256]);
    if depth == 0 {
        return u64::from(frame[0]);
    }
    recurse(depth - 1) + u64::from(black_box(frame)[255]) + 1
}

/// Expected value of `recurse(depth)`.
fn recurse_expected(depth: u64) -> u64 {
    (1..=depth).map(|d| u64::from(d as u8) + 1).sum()
}

/// Recursion `depth` frames deep (each with a 256-byte array) inside a coroutine with a
/// 4 MiB stack, suspending at the bottom; the result is checked.
pub fn check_deep_recursion<B: ContextBackend>(depth: u64) {
    let mut co = Coroutine::<u64, u64, u64, B>::create(4 << 20, |y, d| {
        let before = recurse(d);
        let again = y.suspend(before);
        recurse(again)
    })
    .expect("create");
    assert!(co.stack_size() >= 4 << 20);
    assert_eq!(
        co.resume(depth).expect("first"),
        CoroutineResult::Yield(recurse_expected(depth))
    );
    assert_eq!(
        co.resume(depth / 2).expect("second"),
        CoroutineResult::Return(recurse_expected(depth / 2))
    );
}

/// A panic inside the coroutine reaches the caller of `resume` with its payload; the
/// coroutine is finished and a further `resume` is an error.
pub fn check_panic_propagation<B: ContextBackend>() {
    let mut co = Coroutine::<u32, u32, (), B>::create(SMALL_STACK, |y, n| {
        let n = y.suspend(n + 1);
        panic!("coroutine failed with {n}");
    })
    .expect("create");
    assert_eq!(co.resume(1).expect("first"), CoroutineResult::Yield(2));
    let payload = panic::catch_unwind(AssertUnwindSafe(|| co.resume(41))).expect_err("panics");
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("coroutine failed with 41")
    );
    assert!(co.is_finished());
    let err = co.resume(0).expect_err("finished");
    assert_eq!(err.kind(), ErrorKind::Finished);
    assert_eq!(err.backend(), B::BACKEND.name());

    // A panic on the very first resume, with a non-string payload.
    let mut co = Coroutine::<(), (), (), B>::create(SMALL_STACK, |_, ()| {
        panic::panic_any(1234u32);
    })
    .expect("create");
    let payload = panic::catch_unwind(AssertUnwindSafe(|| co.resume(()))).expect_err("panics");
    assert_eq!(payload.downcast_ref::<u32>(), Some(&1234));
    assert!(co.is_finished());
}

/// Counts its drops.
struct DropCounter(Rc<Cell<usize>>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[inline(never)]
fn suspend_in_nested_frame(y: &arsenal_coro::Yielder<(), u32>, drops: &Rc<Cell<usize>>) {
    let _in_frame = DropCounter(drops.clone());
    y.suspend(2);
}

/// Dropping suspended coroutines unwinds their stacks: values captured by the closure,
/// values in its frame and in a nested frame are all dropped, and code after the
/// suspension point does not run. Also when the coroutine catches the unwind.
pub fn check_drop_unwinds_suspended<B: ContextBackend>() {
    let drops = Rc::new(Cell::new(0));
    let ran_after = Rc::new(Cell::new(false));
    let captured = DropCounter(drops.clone());
    let (d, after) = (drops.clone(), ran_after.clone());
    let mut co = Coroutine::<(), u32, (), B>::create(SMALL_STACK, move |y, ()| {
        let _captured = captured;
        let _local = DropCounter(d.clone());
        y.suspend(1);
        suspend_in_nested_frame(y, &d);
        after.set(true);
    })
    .expect("create");
    assert_eq!(co.resume(()).expect("1"), CoroutineResult::Yield(1));
    assert_eq!(co.resume(()).expect("2"), CoroutineResult::Yield(2));
    assert_eq!(drops.get(), 0);
    drop(co);
    assert_eq!(
        drops.get(),
        3,
        "captured, local and nested-frame values dropped"
    );
    assert!(!ran_after.get());

    // A coroutine that catches the forced unwind and returns normally.
    let drops = Rc::new(Cell::new(0));
    let d = drops.clone();
    let mut co = Coroutine::<(), (), (), B>::create(SMALL_STACK, move |y, ()| {
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            let _inner = DropCounter(d.clone());
            y.suspend(());
        }));
        assert!(caught.is_err());
        // Suspending again after cancellation unwinds again.
        let again = panic::catch_unwind(AssertUnwindSafe(|| y.suspend(())));
        assert!(again.is_err());
        let _after = DropCounter(d.clone());
    })
    .expect("create");
    assert_eq!(co.resume(()).expect("start"), CoroutineResult::Yield(()));
    drop(co);
    assert_eq!(drops.get(), 2);
}

/// Dropping a suspended coroutine while the dropping thread is itself unwinding from a
/// panic (the coroutine is a local of the panicking frame) neither aborts nor loses the
/// original panic: the coroutine's stack unwinds (its values drop) and the caller's
/// `catch_unwind` gets the original payload.
pub fn check_drop_while_panicking<B: ContextBackend>() {
    let drops = Rc::new(Cell::new(0));
    let d = drops.clone();
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut co = Coroutine::<(), u32, (), B>::create(SMALL_STACK, move |y, ()| {
            let _local = DropCounter(d.clone());
            y.suspend(1);
            suspend_in_nested_frame(y, &d);
        })
        .expect("create");
        assert_eq!(co.resume(()).expect("1"), CoroutineResult::Yield(1));
        assert_eq!(co.resume(()).expect("2"), CoroutineResult::Yield(2));
        std::panic::panic_any("outer panic with a suspended coroutine in scope");
    }));
    let payload = caught.expect_err("the outer panic propagates");
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"outer panic with a suspended coroutine in scope")
    );
    assert_eq!(
        drops.get(),
        2,
        "the coroutine's stack was unwound during the panic"
    );

    // The same from a destructor that runs during unwinding.
    struct DropsCoroutine<B: ContextBackend>(Option<Coroutine<(), (), (), B>>);
    impl<B: ContextBackend> Drop for DropsCoroutine<B> {
        fn drop(&mut self) {
            assert!(std::thread::panicking());
            drop(self.0.take());
        }
    }
    let drops = Rc::new(Cell::new(0));
    let d = drops.clone();
    let caught = panic::catch_unwind(AssertUnwindSafe(|| {
        let mut co = Coroutine::<(), (), (), B>::create(SMALL_STACK, move |y, ()| {
            let _local = DropCounter(d.clone());
            y.suspend(());
        })
        .expect("create");
        assert_eq!(co.resume(()).expect("start"), CoroutineResult::Yield(()));
        let _holder = DropsCoroutine(Some(co));
        panic!("outer");
    }));
    assert!(caught.is_err());
    assert_eq!(drops.get(), 1);
}

/// A never-started coroutine is freed without running: its closure's captures drop.
pub fn check_drop_never_started<B: ContextBackend>() {
    let drops = Rc::new(Cell::new(0));
    let ran = Rc::new(Cell::new(false));
    let (captured, r) = (DropCounter(drops.clone()), ran.clone());
    let co = Coroutine::<(), (), (), B>::create(SMALL_STACK, move |_, ()| {
        let _c = captured;
        r.set(true);
    })
    .expect("create");
    assert!(!co.is_started());
    drop(co);
    assert_eq!(drops.get(), 1);
    assert!(!ran.get());

    // Finished coroutines drop nothing twice.
    let drops = Rc::new(Cell::new(0));
    let captured = DropCounter(drops.clone());
    let mut co = Coroutine::<(), (), (), B>::create(SMALL_STACK, move |_, ()| drop(captured))
        .expect("create");
    assert_eq!(co.resume(()).expect("run"), CoroutineResult::Return(()));
    assert_eq!(drops.get(), 1);
    drop(co);
    assert_eq!(drops.get(), 1);
}

/// A generator is an `Iterator` of its yields and keeps its return value.
pub fn check_generator<B: ContextBackend>() {
    let mut gen = Generator::<u64, &'static str, B>::create(SMALL_STACK, |y| {
        let (mut a, mut b) = (0u64, 1u64);
        for _ in 0..20 {
            y.suspend(a);
            (a, b) = (b, a + b);
        }
        "fib done"
    })
    .expect("create");
    let values: Vec<u64> = gen.by_ref().collect();
    assert_eq!(values.len(), 20);
    assert_eq!(&values[..8], &[0, 1, 1, 2, 3, 5, 8, 13]);
    assert_eq!(values[19], 4181);
    assert!(gen.is_finished());
    assert_eq!(gen.next(), None, "fused");
    assert_eq!(gen.return_value(), Some(&"fib done"));
    assert_eq!(gen.take_return_value(), Some("fib done"));

    let words = Generator::<String, (), B>::create(SMALL_STACK, |y| {
        for w in "a bb ccc".split(' ') {
            y.suspend(w.repeat(2));
        }
    })
    .expect("create");
    assert_eq!(words.collect::<Vec<_>>(), ["aa", "bbbb", "cccccc"]);
}

/// A coroutine that resumes another one inside itself (both backends' contexts nest).
/// libaco resumes only from a thread's main context: there the inner resume must be an
/// `Err(NotResumable)`, not a crash.
pub fn check_nested<B: ContextBackend>() {
    let mut outer = Coroutine::<u32, u32, u32, B>::create(SMALL_STACK, |y, n| {
        let inner =
            Coroutine::<u32, u32, u32, B>::create(SMALL_STACK, |y2, m| y2.suspend(m * 10) + 1);
        let mut inner = inner.expect("inner create");
        match inner.resume(n) {
            Ok(CoroutineResult::Yield(v)) => {
                let back = y.suspend(v);
                inner
                    .resume(back)
                    .expect("inner finish")
                    .returned()
                    .expect("returned")
            }
            Err(err) => {
                assert_eq!(B::BACKEND, Backend::Libaco, "{err}");
                assert_eq!(err.kind(), ErrorKind::NotResumable);
                0
            }
            Ok(other) => panic!("unexpected {other:?}"),
        }
    })
    .expect("create");
    match outer.resume(4).expect("outer") {
        CoroutineResult::Yield(v) => {
            assert_eq!(v, 40);
            assert_eq!(
                outer.resume(7).expect("outer end"),
                CoroutineResult::Return(8)
            );
        }
        CoroutineResult::Return(r) => {
            assert_eq!((B::BACKEND, r), (Backend::Libaco, 0));
        }
    }
}

#[inline(never)]
fn overflow(depth: u64) -> u64 {
    let frame = black_box([depth as u8; 4096]);
    // `black_box` hides that the recursion never ends (and keeps it from becoming a loop).
    if black_box(depth) == u64::MAX {
        return 0;
    }
    overflow(depth + 1) + u64::from(black_box(frame)[100])
}

/// Stack overflow inside a coroutine faults on its guard page. The test re-runs its own
/// executable (`--exact <test_path>`) with [`OVERFLOW_CHILD_ENV`] set; that child
/// overflows a 64 KiB coroutine stack, and the parent asserts it died of `SIGSEGV` (or
/// `SIGBUS`) rather than exiting or being reported by the test harness.
pub fn check_stack_overflow<B: ContextBackend>(test_path: &str) {
    if std::env::var_os(OVERFLOW_CHILD_ENV).is_some() {
        let mut co =
            Coroutine::<u64, (), u64, B>::create(SMALL_STACK, |_, d| overflow(d)).expect("create");
        eprintln!("child: overflowing the coroutine stack");
        let _ = co.resume(0);
        // Unreachable if the guard page works.
        std::process::exit(3);
    }
    use std::os::unix::process::ExitStatusExt;
    let exe = std::env::current_exe().expect("current exe");
    let out = std::process::Command::new(exe)
        .args(["--exact", test_path, "--nocapture", "--test-threads=1"])
        .env(OVERFLOW_CHILD_ENV, "1")
        .output()
        .expect("spawn child");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("child: overflowing"),
        "the child did not run the overflow ({test_path}): {stderr}"
    );
    let signal = out.status.signal();
    assert!(
        matches!(signal, Some(11) | Some(7)),
        "child should die of SIGSEGV/SIGBUS, got {:?}; stderr: {stderr}",
        out.status
    );
}

/// Instantiates the coroutine suite as `#[test]`s in `mod $name` for backend `$backend`.
#[macro_export]
macro_rules! coro_conformance {
    ($name:ident, $backend:ty) => {
        mod $name {
            use $crate::coro as suite;

            #[test]
            fn ping_pong_million_switches() {
                suite::check_ping_pong::<$backend>(1_000_000);
            }

            #[test]
            fn ten_thousand_live_coroutines() {
                suite::check_many_live::<$backend>(10_000);
            }

            #[test]
            fn deep_recursion() {
                suite::check_deep_recursion::<$backend>(3_000);
            }

            #[test]
            fn panic_propagates_to_resume() {
                suite::check_panic_propagation::<$backend>();
            }

            #[test]
            fn drop_unwinds_suspended() {
                suite::check_drop_unwinds_suspended::<$backend>();
            }

            #[test]
            fn drop_while_panicking() {
                suite::check_drop_while_panicking::<$backend>();
            }

            #[test]
            fn drop_never_started() {
                suite::check_drop_never_started::<$backend>();
            }

            #[test]
            fn generator_iterates() {
                suite::check_generator::<$backend>();
            }

            #[test]
            fn nested_resume() {
                suite::check_nested::<$backend>();
            }

            #[test]
            fn stack_overflow_hits_guard_page() {
                suite::check_stack_overflow::<$backend>(concat!(
                    stringify!($name),
                    "::stack_overflow_hits_guard_page"
                ));
            }
        }
    };
}
