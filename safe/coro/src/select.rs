//! [`Backend`]: the coroutine backends by value, and the crate's answer to each
//! [`Strategy`].

use arsenal_core::{prefer, Select, Strategy};

arsenal_core::backends! {
    /// The coroutine backends, by value: every one this crate knows, compiled in or not
    /// (`Backend::ALL`); `Backend::available()` lists the compiled-in ones in the
    /// priority of [`DefaultContextBackend`](crate::DefaultContextBackend) (libaco on
    /// x86-64, fcontext, minicoro, ucontext). Names are the cargo features (`"fcontext"`,
    /// ...); parsing ignores case. [`AnyCoroutine::new`](crate::AnyCoroutine::new) creates
    /// a coroutine on one.
    ///
    /// # Strategies
    ///
    /// `Backend::for_strategy` answers from the `coro` rows of the matrix benchmark
    /// (`benches/src/coro.rs`; README "Measured": ns per round trip, per create + run +
    /// destroy; and the memory rows `coro/memory/idle-64k`, resident bytes per idle
    /// coroutine). Each choice falls back along the listed order to a compiled-in
    /// backend:
    ///
    /// | strategy | order | evidence |
    /// |---|---|---|
    /// | `Throughput` | native, fcontext, libaco, minicoro, ucontext | `coro/switch/round-trip`: many switches on a long-lived coroutine, 9.95 / 22.5 / 39.3 / 327 ns per round trip for fcontext / libaco / minicoro / ucontext on the Xeon; on an AMD EPYC (Zen 3, `--native`, issue 12) native 12.2 ns against fcontext 24.7 |
    /// | `Latency` | fcontext, native, ucontext, libaco, minicoro | `coro/create/64k-stack`: one short-lived coroutine end to end (create, run, destroy), 52.5 ns / 505 ns / 4.82 µs / 8.00 µs for fcontext / ucontext / libaco / minicoro; native uses the same cached stacks (61.5 against fcontext's 63.4 ns on the EPYC: a tie, which stays with fcontext) |
    /// | `Balanced` | [`DefaultContextBackend`](crate::DefaultContextBackend) | its documented priority |
    /// | `MinimalMemory` | fcontext, libaco, ucontext, minicoro | `coro/memory/idle-64k`, resident-set growth per idle coroutine (64 KiB stack, suspended after one resume, 1000 alive); measured on an AMD EPYC (Zen 3, family 25 model 1; `/proc/cpuinfo` model name "AMD EPYC"), without libaco: fcontext 4096–4112 bytes, ucontext 4116, minicoro 8212 (across runs). fcontext, native (4096) and ucontext keep one touched stack page each (control block included), equal within a page per thousand coroutines, so the tie goes to fcontext, the longer-measured; libaco (4.0 KiB in the README's run) sits with them; minicoro touches two pages (8.0 KiB: our guard page sits inside its stack block) |
    /// | `MaximalSpeed` | as `Throughput` | the backends do not differ by SIMD, so the CPU does not change the answer |
    ///
    /// ```
    /// use arsenal_coro::Backend;
    /// use arsenal_core::{Select, Strategy};
    ///
    /// assert_eq!(Backend::NAMES, ["libaco", "fcontext", "minicoro", "ucontext", "native"]);
    /// for strategy in Strategy::ALL {
    ///     assert!(Backend::for_strategy(strategy).is_available());
    /// }
    /// # #[cfg(feature = "fcontext")]
    /// assert_eq!(Backend::for_strategy(Strategy::Latency), Backend::Fcontext);
    /// assert_eq!(Backend::evidence(Strategy::Throughput), Some("coro/switch/round-trip"));
    /// assert_eq!("MiniCoro".parse::<Backend>()?, Backend::Minicoro);
    /// # Ok::<(), arsenal_core::UnknownBackend>(())
    /// ```
    domain = "coro";
    pub enum Backend {
        /// libaco (feature `libaco`; x86 and x86-64 only).
        Libaco = "libaco",
        /// Boost.Context's fcontext (feature `fcontext`).
        Fcontext = "fcontext",
        /// minicoro (feature `minicoro`).
        Minicoro = "minicoro",
        /// glibc's ucontext (feature `ucontext`).
        Ucontext = "ucontext",
        /// Our own x86-64 switch in inline assembly (feature `native`, x86-64 only).
        Native = "native",
    }
}

/// The `coro/switch` row: resume + yield round trips on one long-lived coroutine.
const SWITCH_ROW: &str = "coro/switch/round-trip";
/// The `coro/create` row: create, run once and destroy a coroutine with a 64 KiB stack.
const CREATE_ROW: &str = "coro/create/64k-stack";
/// The idle-memory row group: resident bytes per idle coroutine with a 64 KiB stack.
const MEMORY_ROW: &str = "coro/memory/idle-64k";

impl Select for Backend {
    /// The compiled-in backends in [`DefaultContextBackend`](crate::DefaultContextBackend)'s
    /// priority: libaco (on x86-64), fcontext, minicoro, ucontext (libaco last elsewhere).
    fn available() -> Vec<Backend> {
        // Not mutated in a build without backends, which stops at `compile_error!`.
        #[cfg_attr(not(feature = "any-backend"), allow(unused_mut))]
        let mut available = Vec::with_capacity(Backend::ALL.len());
        #[cfg(all(feature = "libaco", target_arch = "x86_64"))]
        available.push(Backend::Libaco);
        #[cfg(feature = "fcontext")]
        available.push(Backend::Fcontext);
        #[cfg(feature = "minicoro")]
        available.push(Backend::Minicoro);
        #[cfg(feature = "ucontext")]
        available.push(Backend::Ucontext);
        #[cfg(all(feature = "native", target_arch = "x86_64"))]
        available.push(Backend::Native);
        #[cfg(all(feature = "libaco", not(target_arch = "x86_64")))]
        available.push(Backend::Libaco);
        available
    }

    /// See the table on [`Backend`].
    fn for_strategy(strategy: Strategy) -> Backend {
        use Backend::{Fcontext, Libaco, Minicoro, Native, Ucontext};
        match strategy {
            Strategy::Throughput | Strategy::MaximalSpeed => {
                prefer(&[Native, Fcontext, Libaco, Minicoro, Ucontext])
            }
            Strategy::Latency => prefer(&[Fcontext, Native, Ucontext, Libaco, Minicoro]),
            Strategy::MinimalMemory => prefer(&[Fcontext, Native, Libaco, Ucontext, Minicoro]),
            Strategy::Balanced => prefer::<Backend>(&[]),
        }
    }

    /// `coro/switch/round-trip` for `Throughput` and `MaximalSpeed`,
    /// `coro/create/64k-stack` for `Latency`, the memory row group
    /// `coro/memory/idle-64k` (idle coroutines) for `MinimalMemory`, `None` for
    /// `Balanced`.
    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Throughput | Strategy::MaximalSpeed => Some(SWITCH_ROW),
            Strategy::Latency => Some(CREATE_ROW),
            Strategy::MinimalMemory => Some(MEMORY_ROW),
            Strategy::Balanced => None,
        }
    }
}

#[cfg(all(test, feature = "any-backend"))]
mod tests {
    use super::*;
    use crate::{AnyCoroutine, ContextBackend, CoroutineResult, DefaultContextBackend};

    #[test]
    fn all_lists_every_variant() {
        for backend in Backend::ALL {
            // Exhaustive within the crate: a new variant fails to compile until listed.
            match backend {
                Backend::Libaco
                | Backend::Fcontext
                | Backend::Minicoro
                | Backend::Ucontext
                | Backend::Native => {}
            }
        }
        assert_eq!(Backend::ALL.len(), 5);
        assert_eq!(Backend::NAMES.len(), Backend::ALL.len());
    }

    #[test]
    fn available_is_a_non_empty_subset_led_by_the_default() {
        let available = Backend::available();
        assert_eq!(available[0], DefaultContextBackend::BACKEND);
    }

    /// The selection shape every domain crate shares: names, parsing, `available()`,
    /// strategies and evidence (`arsenal_core::select::check_shape`).
    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn maximal_speed_is_throughput_without_simd_differences() {
        assert_eq!(
            Backend::for_strategy(Strategy::MaximalSpeed),
            Backend::for_strategy(Strategy::Throughput)
        );
    }

    #[cfg(all(feature = "fcontext", feature = "ucontext", feature = "minicoro"))]
    #[test]
    fn mapping_follows_the_bench() {
        let fastest_switch = if cfg!(all(feature = "native", target_arch = "x86_64")) {
            Backend::Native
        } else {
            Backend::Fcontext
        };
        assert_eq!(Backend::for_strategy(Strategy::Throughput), fastest_switch);
        assert_eq!(Backend::for_strategy(Strategy::Latency), Backend::Fcontext);
        assert_eq!(
            Backend::for_strategy(Strategy::MinimalMemory),
            Backend::Fcontext
        );
    }

    #[test]
    fn every_available_backend_runs_a_coroutine() {
        for backend in Backend::available() {
            let mut co =
                AnyCoroutine::<u32, u32, u32>::new(backend, 0, |y, x| y.suspend(x + 1) * 2)
                    .expect("create");
            assert_eq!(co.backend(), backend);
            assert_eq!(co.resume(1).expect("resume"), CoroutineResult::Yield(2));
            assert_eq!(co.resume(5).expect("resume"), CoroutineResult::Return(10));
        }
    }
}
