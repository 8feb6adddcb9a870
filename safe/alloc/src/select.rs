//! [`Backend`]: the general-purpose allocators by value, and the crate's answer to each
//! [`Strategy`].

use arsenal_core::{prefer, Select, Strategy};

arsenal_core::backends! {
    /// The general-purpose allocators [`AnyAlloc`](crate::AnyAlloc) can be, by value:
    /// every C allocator this crate knows (compiled in or not), [`System`](crate::System)
    /// and [`Tlsf`](crate::Tlsf) over an owned region (`Backend::ALL`).
    /// `Backend::available()` lists the compiled-in ones in
    /// [`DefaultAlloc`](crate::DefaultAlloc)'s priority (mimalloc, jemalloc, snmalloc,
    /// rpmalloc, system), then TLSF. The other native allocators ([`Bump`](crate::Bump),
    /// [`Slab`](crate::Slab), [`Pool`](crate::Pool)) serve special shapes and are not
    /// selectable. Names are the cargo features (`"mimalloc"`, ..., `"system"`, `"tlsf"`);
    /// parsing ignores case.
    ///
    /// # Strategies
    ///
    /// `Backend::for_strategy` answers from the `alloc` rows of the matrix benchmark
    /// (`benches/src/alloc.rs`; README "Measured": millions of allocation calls per
    /// second; and the memory rows `alloc/memory/<workload>`). Each choice falls back
    /// along the listed order to a compiled-in backend:
    ///
    /// | strategy | order | evidence |
    /// |---|---|---|
    /// | `Throughput` | mimalloc, snmalloc, rpmalloc, system, jemalloc, tlsf | `alloc/realloc-growth/64buf`, the large-block row (buffers grown to 64 KiB): 29.8 / 26.0 / 24.6 / 15.3 / 14.3 / 7.50 M calls/s |
    /// | `Latency` | rpmalloc, mimalloc, jemalloc, system, snmalloc, tlsf | `alloc/small-short-lived/16-128B`, the small-block row: 72.3 / 67.2 / 64.1 / 63.1 / 58.1 / 39.9 M calls/s |
    /// | `Balanced` | [`DefaultAlloc`](crate::DefaultAlloc) | its documented priority |
    /// | `MinimalMemory` | system (always built) | `alloc/memory/fragmentation`, the fragmentation run's resident-set growth to its point of most live data (the same live data for every allocator, so the differences are each allocator's own overhead); measured on an AMD EPYC (Zen 3, family 25 model 1; `/proc/cpuinfo` model name "AMD EPYC"): glibc lowest at 11.9–12.8 MiB across runs, then mimalloc 20.0, TLSF 21.3, rpmalloc 21.8, snmalloc 22.0, jemalloc 22.8–23.1 (the bump allocator, not selectable, 16.4). glibc also grows least on `realloc-growth` (92 KiB against 2.0 MiB and more). TLSF (16 bytes per block, a ~6 KiB index) is bounded by its region: pick it by name for a heap of fixed size |
    /// | `MaximalSpeed` | as `Throughput` | the allocators do not differ by SIMD, so the CPU does not change the answer |
    ///
    /// ```
    /// use arsenal_alloc::{AnyAlloc, Backend, RawAlloc};
    /// use arsenal_core::{Select, Strategy};
    ///
    /// assert_eq!(Backend::NAMES, ["mimalloc", "jemalloc", "rpmalloc", "snmalloc", "system", "tlsf"]);
    /// assert_eq!(Backend::for_strategy(Strategy::MinimalMemory), Backend::System);
    /// # #[cfg(feature = "rpmalloc")]
    /// assert_eq!(Backend::for_strategy(Strategy::Latency), Backend::Rpmalloc);
    /// assert_eq!(Backend::evidence(Strategy::Latency), Some("alloc/small-short-lived/16-128B"));
    /// let a = AnyAlloc::new(Backend::for_strategy(Strategy::from_env()))?;
    /// assert!(a.backend().is_available());
    /// # Ok::<(), arsenal_alloc::Error>(())
    /// ```
    domain = "alloc";
    pub enum Backend {
        /// [`Mimalloc`](crate::Mimalloc) (feature `mimalloc`).
        Mimalloc = "mimalloc",
        /// [`Jemalloc`](crate::Jemalloc) (feature `jemalloc`).
        Jemalloc = "jemalloc",
        /// [`Rpmalloc`](crate::Rpmalloc) (feature `rpmalloc`).
        Rpmalloc = "rpmalloc",
        /// [`Snmalloc`](crate::Snmalloc) (feature `snmalloc`).
        Snmalloc = "snmalloc",
        /// [`System`](crate::System) (always built).
        System = "system",
        /// [`Tlsf`](crate::Tlsf) over an owned region (always built).
        Tlsf = "tlsf",
    }
}

/// The large-block row: 64 buffers doubled from 16 B to 64 KiB, then grown by 64 B.
const LARGE_ROW: &str = "alloc/realloc-growth/64buf";
/// The small-block row: 16-128 B blocks freed LIFO-ish.
const SMALL_ROW: &str = "alloc/small-short-lived/16-128B";
/// The memory row group of the fragmentation workload: resident-set growth to its point
/// of most live data.
const MEMORY_ROW: &str = "alloc/memory/fragmentation";

impl Select for Backend {
    /// The compiled-in backends in [`DefaultAlloc`](crate::DefaultAlloc)'s priority
    /// (mimalloc, jemalloc, snmalloc, rpmalloc, system), then TLSF.
    fn available() -> Vec<Backend> {
        let mut available = Vec::with_capacity(Backend::ALL.len());
        #[cfg(feature = "mimalloc")]
        available.push(Backend::Mimalloc);
        #[cfg(feature = "jemalloc")]
        available.push(Backend::Jemalloc);
        #[cfg(feature = "snmalloc")]
        available.push(Backend::Snmalloc);
        #[cfg(feature = "rpmalloc")]
        available.push(Backend::Rpmalloc);
        available.push(Backend::System);
        available.push(Backend::Tlsf);
        available
    }

    /// See the table on [`Backend`].
    fn for_strategy(strategy: Strategy) -> Backend {
        use Backend::{Jemalloc, Mimalloc, Rpmalloc, Snmalloc, System, Tlsf};
        match strategy {
            Strategy::Throughput | Strategy::MaximalSpeed => {
                prefer(&[Mimalloc, Snmalloc, Rpmalloc, System, Jemalloc, Tlsf])
            }
            Strategy::Latency => prefer(&[Rpmalloc, Mimalloc, Jemalloc, System, Snmalloc, Tlsf]),
            Strategy::MinimalMemory => System,
            // No preference: the first available, i.e. `DefaultAlloc`.
            Strategy::Balanced => prefer::<Backend>(&[]),
        }
    }

    /// `alloc/realloc-growth/64buf` for `Throughput` and `MaximalSpeed`,
    /// `alloc/small-short-lived/16-128B` for `Latency`, the fragmentation run's memory
    /// row group `alloc/memory/fragmentation` for `MinimalMemory`, `None` for `Balanced`.
    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Throughput | Strategy::MaximalSpeed => Some(LARGE_ROW),
            Strategy::Latency => Some(SMALL_ROW),
            Strategy::MinimalMemory => Some(MEMORY_ROW),
            Strategy::Balanced => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AnyAlloc, DefaultAlloc, RawAlloc};
    use core::alloc::Layout;

    #[test]
    fn all_lists_every_variant() {
        for backend in Backend::ALL {
            // Exhaustive within the crate: a new variant fails to compile until listed.
            match backend {
                Backend::Mimalloc
                | Backend::Jemalloc
                | Backend::Rpmalloc
                | Backend::Snmalloc
                | Backend::System
                | Backend::Tlsf => {}
            }
        }
        assert_eq!(Backend::ALL.len(), 6);
        assert_eq!(Backend::NAMES.len(), Backend::ALL.len());
    }

    #[test]
    fn available_is_a_non_empty_subset_led_by_the_default() {
        let available = Backend::available();
        assert_eq!(available[0].name(), DefaultAlloc::default().name());
        assert!(Backend::System.is_available() && Backend::Tlsf.is_available());
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

    #[cfg(all(feature = "mimalloc", feature = "rpmalloc"))]
    #[test]
    fn mapping_follows_the_bench() {
        assert_eq!(
            Backend::for_strategy(Strategy::Throughput),
            Backend::Mimalloc
        );
        assert_eq!(Backend::for_strategy(Strategy::Latency), Backend::Rpmalloc);
        assert_eq!(
            Backend::for_strategy(Strategy::MinimalMemory),
            Backend::System
        );
    }

    #[test]
    fn every_available_backend_round_trips_an_allocation() {
        for backend in Backend::available() {
            let a = AnyAlloc::new(backend).expect("available backend");
            assert_eq!(a.backend(), backend);
            assert_eq!(a.name(), backend.name());
            let layout = Layout::from_size_align(200, 32).unwrap();
            let p = a.alloc(layout).expect("alloc");
            // SAFETY: `p` is a live block of 200 bytes from `a`; freed once, with `layout`.
            unsafe {
                p.as_ptr().write_bytes(0xa5, 200);
                assert_eq!(*p.as_ptr().add(199), 0xa5);
                a.dealloc(p, layout);
            }
        }
        for &backend in Backend::ALL {
            if !backend.is_available() {
                let err = AnyAlloc::new(backend).unwrap_err();
                assert_eq!(err.kind(), crate::ErrorKind::Unavailable);
            }
        }
    }
}
