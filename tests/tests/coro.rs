//! The coroutine conformance suite, once per enabled backend, plus run-time selection.
#![cfg(any(
    feature = "fcontext",
    feature = "minicoro",
    feature = "ucontext",
    feature = "libaco",
    feature = "native"
))]

#[cfg(feature = "fcontext")]
arsenal_conformance::coro_conformance!(fcontext, arsenal_coro::backend::Fcontext);
#[cfg(feature = "minicoro")]
arsenal_conformance::coro_conformance!(minicoro, arsenal_coro::backend::Minicoro);
#[cfg(feature = "ucontext")]
arsenal_conformance::coro_conformance!(ucontext, arsenal_coro::backend::Ucontext);
#[cfg(feature = "libaco")]
arsenal_conformance::coro_conformance!(libaco, arsenal_coro::backend::Libaco);
#[cfg(all(feature = "native", target_arch = "x86_64"))]
arsenal_conformance::coro_conformance!(native, arsenal_coro::backend::Native);

use arsenal_coro::{AnyCoroutine, Backend, CoroutineResult, ErrorKind};

/// Every compiled-in backend is listed, creatable by name, and computes the same thing;
/// the others are refused with `Unavailable`.
#[test]
fn any_coroutine_by_name_agrees_across_backends() {
    let mut results = Vec::new();
    for &backend in Backend::ALL {
        let parsed: Backend = backend.name().parse().expect("every name parses");
        let made = AnyCoroutine::<u64, u64, u64>::new(parsed, 0, |y, mut n| {
            let mut acc = 0;
            while n > 0 {
                acc += n;
                n = y.suspend(acc);
            }
            acc
        });
        if !backend.is_available() {
            assert_eq!(made.unwrap_err().kind(), ErrorKind::Unavailable);
            continue;
        }
        let mut co = made.expect("create");
        assert_eq!(co.backend(), backend);
        let mut seen = Vec::new();
        for n in [5, 4, 3, 0] {
            seen.push(co.resume(n).expect("resume"));
        }
        assert!(co.is_finished());
        results.push((backend, seen));
    }
    assert_eq!(results.len(), Backend::available().len());
    let expected = [
        CoroutineResult::Yield(5),
        CoroutineResult::Yield(9),
        CoroutineResult::Yield(12),
        CoroutineResult::Return(12),
    ];
    for (backend, seen) in results {
        assert_eq!(seen, expected, "{backend}");
    }
}

#[test]
fn default_backend_follows_the_documented_priority() {
    use arsenal_coro::{ContextBackend, DefaultContextBackend};
    let first = *Backend::available().first().expect("a backend");
    assert_eq!(DefaultContextBackend::BACKEND, first);
    assert!("FContext".parse::<Backend>().is_ok());
    let unknown = "nope".parse::<Backend>().unwrap_err();
    assert_eq!(
        arsenal_coro::Error::from(unknown).kind(),
        ErrorKind::Unavailable
    );
}
