//! Cache replacement policies behind one [`Cache`] trait — LRU, ARC, CLOCK-Pro,
//! W-TinyLFU and S3-FIFO — with a trace simulator, Belady's offline optimum as the
//! ceiling, trace readers and a sharded variant for concurrent use.
//!
//! No C library fits this domain (the policies' value is the algorithm, and the
//! reference simulators are programs, not libraries), so every policy is our own
//! implementation from its paper, measured against the pure-Rust caches `lru`, `moka`
//! and `quick_cache` in the matrix benchmark (`benches/src/cache.rs`).
//!
//! | policy | type | paper | hit cost | extra memory |
//! |---|---|---|---|---|
//! | LRU | [`Lru`] | — | move to front | none |
//! | ARC | [`ArcCache`] | Megiddo & Modha, FAST 2003 | move to front of `T2` | ≤ capacity ghost keys |
//! | CLOCK-Pro | [`ClockPro`] | Jiang, Chen & Zhang, USENIX ATC 2005 | set a bit | ≤ capacity non-resident keys |
//! | W-TinyLFU | [`WTinyLfu`] | Einziger, Friedman & Manes, ACM TOS 2017 | sketch update + move | 4-bit count-min sketch (≈ 8 B per entry, ≤ 16 MiB) |
//! | S3-FIFO | [`S3Fifo`] | Yang et al., SOSP 2023 | increment a counter | ≤ 0.9 × capacity ghost keys |
//!
//! Every operation is O(1) (amortised for the clock sweeps); nothing is allocated
//! from the capacity up front (except W-TinyLFU's sketch, bounded), so `usize::MAX` is
//! a valid capacity. A capacity of 0 stores nothing.
//!
//! ```
//! use arsenal_cache::{belady, simulate, trace, Backend, Cache, S3Fifo};
//!
//! let mut cache = S3Fifo::new(2);
//! cache.insert("a", 1);
//! assert_eq!(cache.get(&"a"), Some(&1));
//!
//! // Replay a trace through every policy and compare with the optimum.
//! let requests = trace::zipf(100_000, 10_000, 0.9, 7)?;
//! let ceiling = belady(&requests, 500);
//! for backend in Backend::ALL {
//!     let stats = simulate(backend.new_cache::<u64, ()>(500).as_mut(), &requests);
//!     assert!(stats.hits <= ceiling.hits);
//! }
//! # Ok::<(), arsenal_cache::Error>(())
//! ```
//!
//! Choosing at run time: [`Backend`] (the template's selection shape) names every
//! policy and [`Backend::new_cache`] makes a boxed cache; [`Sharded`] spreads any of them
//! over mutex-guarded shards.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod arc;
mod belady;
mod clockpro;
mod lru;
mod s3fifo;
mod sharded;
mod store;
mod tinylfu;
pub mod trace;

use std::hash::Hash;

pub use arc::ArcCache;
pub use belady::belady;
pub use clockpro::ClockPro;
pub use lru::Lru;
pub use s3fifo::S3Fifo;
pub use sharded::Sharded;
pub use tinylfu::WTinyLfu;

/// The hasher the policies' maps use unless told otherwise (`with_hasher`): foldhash's
/// fast hasher with a per-instance random seed.
pub type DefaultHasher = foldhash::fast::RandomState;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A parameter is out of range (a trace generator's key count or exponent).
    Parameter,
    /// A trace's bytes are malformed (a line that is not a key, a partial binary key,
    /// a broken or oversized compressed stream).
    Corrupt,
    /// A trace file could not be read.
    Io,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Parameter => "parameter out of range",
            ErrorKind::Corrupt => "corrupt trace",
            ErrorKind::Io => "i/o error",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Parameter => std::io::ErrorKind::InvalidInput,
            ErrorKind::Corrupt => std::io::ErrorKind::InvalidData,
            ErrorKind::Io => std::io::ErrorKind::Other,
        }
    }
}

/// An error from `arsenal-cache` (the shared [`arsenal_core::Error`] shape; the
/// "backend" is the trace format or generator that failed).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A bounded key/value cache with a replacement policy. Object safe
/// (`Box<dyn Cache<K, V>>`, as [`Backend::new_cache`] returns).
pub trait Cache<K, V> {
    /// Looks up `key`, updating the policy's recency/frequency state; `None` on a miss
    /// (the caller usually inserts next: policies that learn from misses, as ARC and
    /// W-TinyLFU do, see the insert).
    fn get(&mut self, key: &K) -> Option<&V>;
    /// Looks up `key` without touching the policy's state.
    fn peek(&self, key: &K) -> Option<&V>;
    /// Inserts or replaces `key`'s value (a replacement counts as an access); may evict
    /// another entry, or — W-TinyLFU — not admit this one. A capacity-0 cache stores
    /// nothing.
    fn insert(&mut self, key: K, value: V);
    /// Removes `key`, returning its value.
    fn remove(&mut self, key: &K) -> Option<V>;
    /// Number of stored entries (always `<= capacity()`).
    fn len(&self) -> usize;
    /// True when no entry is stored.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Maximum number of entries.
    fn capacity(&self) -> usize;
    /// Which policy this is.
    fn backend(&self) -> Backend;
    /// Bytes of the cache's own allocations (map, entry slab, ghost keys, sketch), not
    /// counting heap memory owned by keys and values.
    fn heap_bytes(&self) -> usize;
}

impl<K, V, C: Cache<K, V> + ?Sized> Cache<K, V> for Box<C> {
    fn get(&mut self, key: &K) -> Option<&V> {
        (**self).get(key)
    }
    fn peek(&self, key: &K) -> Option<&V> {
        (**self).peek(key)
    }
    fn insert(&mut self, key: K, value: V) {
        (**self).insert(key, value)
    }
    fn remove(&mut self, key: &K) -> Option<V> {
        (**self).remove(key)
    }
    fn len(&self) -> usize {
        (**self).len()
    }
    fn capacity(&self) -> usize {
        (**self).capacity()
    }
    fn backend(&self) -> Backend {
        (**self).backend()
    }
    fn heap_bytes(&self) -> usize {
        (**self).heap_bytes()
    }
}

arsenal_core::backends! {
    /// The cache policies this crate has (all native Rust, always built).
    domain = "cache";
    pub enum Backend {
        /// S3-FIFO: small, main and ghost FIFO queues; hits only bump a counter.
        S3Fifo = "s3-fifo",
        /// W-TinyLFU: frequency-sketch admission in front of a segmented LRU.
        WTinyLfu = "w-tinylfu",
        /// ARC: adaptive between recency and frequency with ghost lists.
        Arc = "arc",
        /// CLOCK-Pro: hot/cold clock with test periods and an adaptive cold area.
        ClockPro = "clock-pro",
        /// Least recently used.
        Lru = "lru",
    }
}

impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        Backend::ALL.to_vec()
    }

    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => Backend::S3Fifo,
            MinimalMemory | Latency | Throughput | MaximalSpeed => Backend::Lru,
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            MinimalMemory => Some("cache/memory/1e5"),
            Latency | Throughput | MaximalSpeed => Some("cache/replay/zipf-0.99-10pct"),
        }
    }
}

impl Backend {
    /// A new, empty cache of this policy holding at most `capacity` entries.
    pub fn new_cache<K, V>(self, capacity: usize) -> Box<dyn Cache<K, V> + Send>
    where
        K: Hash + Eq + Clone + Send + 'static,
        V: Send + 'static,
    {
        match self {
            Backend::Lru => Box::new(Lru::new(capacity)),
            Backend::Arc => Box::new(ArcCache::new(capacity)),
            Backend::ClockPro => Box::new(ClockPro::new(capacity)),
            Backend::WTinyLfu => Box::new(WTinyLfu::new(capacity)),
            Backend::S3Fifo => Box::new(S3Fifo::new(capacity)),
        }
    }
}

/// The policy most users want: [`S3Fifo`] (the `Balanced` choice: the best mean hit
/// ratio over the bench's traces, see docs/cache.md).
pub type DefaultCache<K, V> = S3Fifo<K, V>;

/// Hit/miss counts of one simulation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HitStats {
    /// Requests served from the cache.
    pub hits: u64,
    /// Requests not in the cache (then inserted).
    pub misses: u64,
}

impl HitStats {
    /// Hits divided by requests (0 for an empty trace).
    pub fn hit_ratio(&self) -> f64 {
        let n = self.hits + self.misses;
        if n == 0 {
            0.0
        } else {
            self.hits as f64 / n as f64
        }
    }
}

/// Replays `trace` through `cache`: a [`Cache::get`] per request, and on a miss a
/// [`Cache::insert`] of the key.
pub fn simulate(cache: &mut dyn Cache<u64, ()>, trace: &[u64]) -> HitStats {
    let mut s = HitStats::default();
    for &k in trace {
        if cache.get(&k).is_some() {
            s.hits += 1;
        } else {
            s.misses += 1;
            cache.insert(k, ());
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg_trace(n: usize, keys: u64) -> Vec<u64> {
        let mut x = 12345u64;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) % keys) * ((x >> 20) % 3 + 1) % keys
            })
            .collect()
    }

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_backend_caches() {
        for &b in Backend::ALL {
            let mut c = b.new_cache::<u64, u64>(100);
            assert_eq!(c.backend(), b);
            let t = lcg_trace(20_000, 300);
            let mut boxed: Box<dyn Cache<u64, ()> + Send> = b.new_cache(100);
            assert!(simulate(boxed.as_mut(), &t).hits > 0, "{b}");
            c.insert(7, 8);
            assert_eq!(c.get(&7), Some(&8));
        }
    }

    #[test]
    fn lru_evicts_least_recent() {
        let mut c = Lru::new(2);
        c.insert(1u64, 10);
        c.insert(2, 20);
        assert_eq!(c.get(&1), Some(&10));
        c.insert(3, 30);
        assert_eq!(c.get(&2), None);
        assert_eq!(c.remove(&1), Some(10));
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn zero_and_max_capacity() {
        let mut z = Lru::new(0);
        z.insert(1u64, ());
        assert!(z.is_empty());
        let mut m = Lru::new(usize::MAX);
        m.insert(1u64, ());
        assert_eq!(m.len(), 1);
    }

    #[test]
    fn belady_dominates_lru() {
        let t = lcg_trace(20_000, 500);
        for cap in [1, 5, 50, 250] {
            let opt = belady(&t, cap);
            let lru = simulate(&mut Lru::new(cap), &t);
            assert!(opt.hits >= lru.hits, "cap {cap}: {opt:?} < {lru:?}");
            assert_eq!(opt.hits + opt.misses, t.len() as u64);
        }
    }

    #[test]
    fn lru_zero_hits_on_loop() {
        let t: Vec<u64> = (0..10).flat_map(|_| 0..100u64).collect();
        assert_eq!(simulate(&mut Lru::new(99), &t).hits, 0);
        assert!(belady(&t, 99).hits > 0);
    }
}
