//! [`Backend`]: the queue backends by value, and the crate's answer to each
//! [`Strategy`].

use arsenal_core::{prefer, Select, Strategy};

arsenal_core::backends! {
    /// The backends of this crate's selectable unit, the multi-producer single-consumer
    /// queue: every one the crate knows, compiled in or not (`Backend::ALL`).
    /// `Backend::available()` lists the compiled-in ones in
    /// [`DefaultMpsc`](crate::DefaultMpsc)'s priority (ck, then native); parsing ignores
    /// case. [`any_mpsc::channel`](crate::any_mpsc::channel) makes a queue on one.
    ///
    /// Why MPSC is the unit: it is the one queue shape both backends provide, so a
    /// `Backend` value always means a working queue with the same handle rules (cloneable
    /// producers, one consumer). The other ck rings (SPSC, SPMC, MPMC) have no native
    /// counterpart, and each lock is its own `lock_api` type whose choice is a matter of
    /// contention and fairness (see the crate's table), not of backend.
    ///
    /// # Strategies
    ///
    /// `Backend::for_strategy` answers from the `sync/queue` rows of the matrix benchmark
    /// (`benches/src/sync.rs`; README "Measured": messages per second from producer to
    /// consumer threads) and its `sync/memory` rows (bytes per empty queue and per queued
    /// message; the bench names the backends' rows `arsenal:ck-*` and
    /// `arsenal:native-*`). Each choice falls back to the other backend when its own is
    /// not compiled in:
    ///
    /// | strategy | backend | evidence |
    /// |---|---|---|
    /// | `Throughput` | ck | `sync/queue/1p1c`: every ck ring moves more messages per second (SPSC 26.6 M, SPMC 9.03 M, MPMC 6.56 M) than the native queue (3.86 M/s, one heap node per message); ck's MPSC ring has no cell of its own, but it pairs MPMC's producer side with SPSC's consumer side, so it sits between them |
    /// | `Latency` | ck | the same row, per message (ns = 1e9 / messages per second: 152 ns or less for ck, 259 ns native); the bench has no separate small-input queue row, so the answer equals `Throughput` |
    /// | `Balanced` | [`DefaultMpsc`](crate::DefaultMpsc) | its documented priority |
    /// | `MinimalMemory` | native | `sync/memory/empty-1024`: an empty queue of the bench's capacity, `size_of` its handles plus the heap it holds (glibc `mallinfo2`, 64 queues alive), measured on an AMD EPYC (Zen 3, family 25 model 1; `/proc/cpuinfo` model name "AMD EPYC"): native 96–100 bytes across runs (two handles and one stub node), ck's MPSC ring 8.4 KiB (1024 slots of 8 bytes, allocated at creation and kept to drop). The native queue grows by one node per queued value instead (`sync/memory/queued-1000`: 32 bytes per `u64` message against the ring's 0), so it stays the smaller one up to ~260 queued messages and can grow without bound, where a ring's footprint is fixed |
    /// | `MaximalSpeed` | as `Throughput` | the backends do not differ by SIMD, so the CPU does not change the answer |
    ///
    /// ```
    /// use arsenal_sync::{any_mpsc, Backend, Pop, Push};
    /// use arsenal_core::{Select, Strategy};
    ///
    /// assert_eq!(Backend::NAMES, ["ck", "native"]);
    /// assert_eq!(Backend::for_strategy(Strategy::MinimalMemory), Backend::Native);
    /// # #[cfg(feature = "ck")]
    /// assert_eq!(Backend::for_strategy(Strategy::Throughput), Backend::Ck);
    /// assert_eq!(Backend::evidence(Strategy::Latency), Some("sync/queue/1p1c"));
    /// assert_eq!(Backend::evidence(Strategy::MinimalMemory), Some("sync/memory/empty-1024"));
    /// let (tx, rx) = any_mpsc::channel::<u32>(Backend::for_strategy(Strategy::from_env()), 64)?;
    /// tx.push(7);
    /// assert_eq!(rx.pop(), 7);
    /// # Ok::<(), arsenal_sync::Error>(())
    /// ```
    domain = "sync";
    pub enum Backend {
        /// Concurrency Kit (feature `ck`): the bounded `ck_ring` MPSC ring
        /// ([`mpsc`](crate::mpsc)).
        Ck = "ck",
        /// The native pieces (always built): the unbounded Vyukov MPSC queue
        /// ([`unbounded_mpsc`](crate::unbounded_mpsc)).
        Native = "native",
    }
}

/// The queue row of the bench with every arsenal queue in it.
const QUEUE_ROW: &str = "sync/queue/1p1c";
/// The bench's memory row group of empty queues of its capacity (1024 slots).
const MEMORY_ROW: &str = "sync/memory/empty-1024";

impl Select for Backend {
    /// The compiled-in backends in [`DefaultMpsc`](crate::DefaultMpsc)'s priority: ck
    /// (feature `ck`), then native (always).
    fn available() -> Vec<Backend> {
        let mut available = Vec::with_capacity(Backend::ALL.len());
        #[cfg(feature = "ck")]
        available.push(Backend::Ck);
        available.push(Backend::Native);
        available
    }

    /// See the table on [`Backend`].
    fn for_strategy(strategy: Strategy) -> Backend {
        match strategy {
            Strategy::Throughput | Strategy::Latency | Strategy::MaximalSpeed => {
                prefer(&[Backend::Ck, Backend::Native])
            }
            Strategy::MinimalMemory => Backend::Native,
            // No preference: the first available, i.e. `DefaultMpsc`.
            Strategy::Balanced => prefer::<Backend>(&[]),
        }
    }

    /// `sync/memory/empty-1024` for `MinimalMemory`, `None` for `Balanced`, and for the
    /// others `sync/queue/1p1c`, the one queue row that measures both backends.
    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None,
            Strategy::MinimalMemory => Some(MEMORY_ROW),
            _ => Some(QUEUE_ROW),
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::{any_mpsc, DefaultMpsc, MpscQueue, Pop, Push};

    #[test]
    fn all_lists_every_variant() {
        for backend in Backend::ALL {
            // Exhaustive within the crate: a new variant fails to compile until listed.
            match backend {
                Backend::Ck | Backend::Native => {}
            }
        }
        assert_eq!(Backend::ALL.len(), 2);
        assert_eq!(Backend::NAMES.len(), Backend::ALL.len());
    }

    #[test]
    fn available_is_a_non_empty_subset_led_by_the_default() {
        let available = Backend::available();
        assert_eq!(available[0], DefaultMpsc::BACKEND);
        assert!(Backend::Native.is_available());
        assert_eq!(Backend::Ck.is_available(), cfg!(feature = "ck"));
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

    #[test]
    fn every_available_backend_passes_values() {
        for backend in Backend::available() {
            let (tx, rx) = any_mpsc::channel::<String>(backend, 8).expect("channel");
            assert_eq!(tx.backend(), backend);
            assert_eq!(rx.backend(), backend);
            let tx2 = tx.clone();
            std::thread::spawn(move || tx2.push("from a thread".to_owned()))
                .join()
                .expect("producer");
            tx.push("here".to_owned());
            assert_eq!(rx.pop(), "from a thread");
            assert_eq!(rx.try_pop().as_deref(), Some("here"));
            assert_eq!(rx.try_pop(), None);
        }
        for &backend in Backend::ALL {
            if !backend.is_available() {
                let err = any_mpsc::channel::<u8>(backend, 8).unwrap_err();
                assert_eq!(err.kind(), crate::ErrorKind::Unavailable);
            }
        }
    }
}
