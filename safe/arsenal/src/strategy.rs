//! Workload-level backend choice.

use std::fmt;
use std::str::FromStr;

/// What to optimise for; each domain maps it to one of its compiled-in backends.
///
/// ```
/// use arsenal::Strategy;
/// let s: Strategy = "latency".parse()?;
/// assert_eq!(s, Strategy::Latency);
/// assert_eq!(s.to_string(), "latency");
/// # Ok::<(), arsenal::ParseStrategyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Strategy {
    /// Bytes per second on large inputs (JSON: simdjson).
    Throughput,
    /// Time to first result on small inputs (JSON: yyjson).
    Latency,
    /// A sensible default: the domain's compile-time default backend.
    #[default]
    Balanced,
    /// Smallest memory footprint (JSON: yyjson, whose document is ~16 bytes per value;
    /// simdjson's tape and string buffer are sized from the input, several times larger).
    MinimalMemory,
    /// Fastest on this CPU: like `Throughput` when the CPU has the SIMD the fast
    /// backend needs (SSE4.2/AVX2/AVX-512 or NEON), else like `Latency`.
    MaximalSpeed,
}

impl Strategy {
    /// All strategies.
    pub const ALL: [Strategy; 5] = [
        Strategy::Throughput,
        Strategy::Latency,
        Strategy::Balanced,
        Strategy::MinimalMemory,
        Strategy::MaximalSpeed,
    ];

    /// Lower-case name, as accepted by [`FromStr`].
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Throughput => "throughput",
            Strategy::Latency => "latency",
            Strategy::Balanced => "balanced",
            Strategy::MinimalMemory => "minimal-memory",
            Strategy::MaximalSpeed => "maximal-speed",
        }
    }

    /// The strategy named by the `ARSENAL_STRATEGY` environment variable, if set and
    /// valid, else [`Strategy::Balanced`].
    pub fn from_env() -> Strategy {
        std::env::var("ARSENAL_STRATEGY")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_default()
    }

    /// The JSON backend for this strategy among those compiled in.
    ///
    /// ```
    /// # #[cfg(all(feature = "simdjson", feature = "yyjson"))] {
    /// use arsenal::{json::Backend, Strategy};
    /// assert_eq!(Strategy::Throughput.json_backend(), Backend::Simdjson);
    /// assert_eq!(Strategy::Latency.json_backend(), Backend::Yyjson);
    /// # }
    /// ```
    #[cfg(any(feature = "simdjson", feature = "yyjson"))]
    pub fn json_backend(self) -> arsenal_json::Backend {
        use crate::cpu::SimdLevel;
        use arsenal_json::Backend;
        let prefer = |name: &str| Backend::from_name(name).unwrap_or_default();
        match self {
            Strategy::Throughput => prefer("simdjson"),
            Strategy::Latency | Strategy::MinimalMemory => prefer("yyjson"),
            Strategy::Balanced => Backend::default(),
            Strategy::MaximalSpeed => {
                if crate::cpu::features().simd_level() >= SimdLevel::Sse42 {
                    prefer("simdjson")
                } else {
                    prefer("yyjson")
                }
            }
        }
    }
}

impl Strategy {
    /// The HTTP/1.x backend for this strategy among those compiled in: picohttpparser
    /// (stateless, fastest on whole heads) for `Throughput`, `Latency`, `MinimalMemory`
    /// and `MaximalSpeed`; llhttp (Node.js's maintained parser, resumable on partial
    /// input) for `Balanced`. All backends give the same verdicts.
    ///
    /// ```
    /// # #[cfg(all(feature = "llhttp", feature = "picohttpparser"))] {
    /// use arsenal::{http::Backend, Strategy};
    /// assert_eq!(Strategy::Balanced.http_backend(), Backend::Llhttp);
    /// assert_eq!(Strategy::Throughput.http_backend(), Backend::Picohttpparser);
    /// # }
    /// ```
    #[cfg(any(
        feature = "llhttp",
        feature = "picohttpparser",
        feature = "http_parser"
    ))]
    pub fn http_backend(self) -> arsenal_http::Backend {
        use arsenal_http::Backend;
        let prefer = |order: &[&str]| {
            order
                .iter()
                .find_map(|name| Backend::ALL.iter().copied().find(|b| b.name() == *name))
                .unwrap_or(Backend::ALL[0])
        };
        match self {
            Strategy::Balanced => prefer(&["llhttp", "picohttpparser", "http_parser"]),
            _ => prefer(&["picohttpparser", "llhttp", "http_parser"]),
        }
    }
}

impl Strategy {
    /// The coroutine backend for this strategy among those compiled in (the seed's
    /// `createCoroutineBackend()`): the fastest switch for `Throughput`, `Latency` and
    /// `MaximalSpeed` (fcontext, then libaco, minicoro, ucontext: 10, 22, 40 and 329 ns
    /// per round trip in the bench's `coro/switch` rows); the least resident memory per
    /// idle coroutine for
    /// `MinimalMemory` (fcontext, libaco, ucontext: one touched stack page; minicoro
    /// touches two); `Balanced` is the crate's compile-time
    /// [`DefaultBackend`](arsenal_coro::DefaultBackend).
    ///
    /// ```
    /// # #[cfg(feature = "fcontext")] {
    /// use arsenal::{coro::BackendKind, Strategy};
    /// assert_eq!(Strategy::Latency.coro_backend(), BackendKind::Fcontext);
    /// let mut co = arsenal::coro::AnyCoroutine::<u32, u32, ()>::new(
    ///     Strategy::from_env().coro_backend(),
    ///     64 * 1024,
    ///     |y, x| { y.suspend(x + 1); },
    /// )?;
    /// assert_eq!(co.resume(1)?, arsenal::coro::CoroutineResult::Yield(2));
    /// # }
    /// # Ok::<(), arsenal::coro::Error>(())
    /// ```
    #[cfg(any(
        feature = "fcontext",
        feature = "minicoro",
        feature = "ucontext",
        feature = "libaco"
    ))]
    pub fn coro_backend(self) -> arsenal_coro::BackendKind {
        use arsenal_coro::{Backend, BackendKind, DefaultBackend};
        let prefer = |order: &[BackendKind]| {
            order
                .iter()
                .copied()
                .find(|kind| kind.is_available())
                .unwrap_or(DefaultBackend::KIND)
        };
        use BackendKind::{Fcontext, Libaco, Minicoro, Ucontext};
        match self {
            Strategy::Balanced => DefaultBackend::KIND,
            Strategy::MinimalMemory => prefer(&[Fcontext, Libaco, Ucontext, Minicoro]),
            Strategy::Throughput | Strategy::Latency | Strategy::MaximalSpeed => {
                prefer(&[Fcontext, Libaco, Minicoro, Ucontext])
            }
        }
    }
}

impl Strategy {
    /// The allocator for this strategy (the seed's mapping) among those compiled in:
    /// `Throughput` → mimalloc, `Latency` → rpmalloc, `MinimalMemory` → TLSF (in a
    /// region), `MaximalSpeed` → mimalloc, `Balanced` → the crate's
    /// [`DefaultAlloc`](arsenal_alloc::DefaultAlloc) order (mimalloc, jemalloc, snmalloc,
    /// rpmalloc, system). A backend whose feature is off falls back along that order; the
    /// returned kind says which one was chosen. Create it with
    /// [`AnyAlloc::by_kind`](arsenal_alloc::AnyAlloc::by_kind).
    ///
    /// ```
    /// # #[cfg(all(feature = "mimalloc", feature = "rpmalloc"))] {
    /// use arsenal::{alloc::BackendKind, Strategy};
    /// assert_eq!(Strategy::Throughput.alloc_backend(), BackendKind::Mimalloc);
    /// assert_eq!(Strategy::Latency.alloc_backend(), BackendKind::Rpmalloc);
    /// assert_eq!(Strategy::MinimalMemory.alloc_backend(), BackendKind::Tlsf);
    /// # }
    /// ```
    #[cfg(any(
        feature = "mimalloc",
        feature = "jemalloc",
        feature = "rpmalloc",
        feature = "snmalloc"
    ))]
    pub fn alloc_backend(self) -> arsenal_alloc::BackendKind {
        use arsenal_alloc::BackendKind;
        let default_order = [
            BackendKind::Mimalloc,
            BackendKind::Jemalloc,
            BackendKind::Snmalloc,
            BackendKind::Rpmalloc,
            BackendKind::System,
        ];
        let wanted = match self {
            Strategy::Throughput | Strategy::MaximalSpeed => BackendKind::THROUGHPUT,
            Strategy::Latency => BackendKind::LATENCY,
            Strategy::MinimalMemory => BackendKind::MINIMAL_MEMORY,
            Strategy::Balanced => default_order[0],
        };
        std::iter::once(wanted)
            .chain(default_order)
            .find(|kind| kind.is_available())
            .unwrap_or(BackendKind::System)
    }
}

impl Strategy {
    /// The copy strategy of [`arsenal_memops`] for this strategy (the seed's mapping):
    /// `Throughput` → non-temporal stores for copies of at least
    /// [`NT_THRESHOLD`](arsenal_memops::NT_THRESHOLD) bytes, `Latency` → the inlined
    /// small-copy path for up to 64 bytes, `MaximalSpeed` → the same as `Throughput`
    /// (streaming stores beat cached ones for DRAM-sized copies on the bench machine),
    /// `Balanced` and `MinimalMemory` → the variant's ordinary copy.
    ///
    /// ```
    /// # #[cfg(feature = "memops")] {
    /// use arsenal::Strategy;
    /// let mut dst = [0u8; 5];
    /// arsenal::memops::copy_with(Strategy::Latency.memops_strategy(), &mut dst, b"hello")?;
    /// assert_eq!(&dst, b"hello");
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "memops")]
    pub fn memops_strategy(self) -> arsenal_memops::Strategy {
        use arsenal_memops::Strategy as Copy;
        match self {
            Strategy::Throughput | Strategy::MaximalSpeed => Copy::Throughput,
            Strategy::Latency => Copy::Latency,
            Strategy::Balanced | Strategy::MinimalMemory => Copy::Balanced,
        }
    }
}

impl Strategy {
    /// The codec and level for this strategy (the seed's mapping): `Throughput` and
    /// `MaximalSpeed` → LZ4 frames at the fast level, `Latency` → LZ4 frames too (no
    /// entropy stage), `Balanced` → zstd level 3, `MinimalMemory` (smallest output) →
    /// zstd level 19. Falls back along zstd, lz4, brotli, libdeflate, ISA-L, snappy to a
    /// compiled-in backend; build it with [`BackendKind::codec`](arsenal_compress::BackendKind::codec).
    ///
    /// ```
    /// # #[cfg(all(feature = "zstd", feature = "lz4"))] {
    /// use arsenal::{compress::BackendKind, Strategy};
    /// assert_eq!(Strategy::Throughput.compress_codec(), (BackendKind::Lz4, None));
    /// assert_eq!(Strategy::Balanced.compress_codec(), (BackendKind::Zstd, Some(3)));
    /// assert_eq!(Strategy::MinimalMemory.compress_codec(), (BackendKind::Zstd, Some(19)));
    /// let (kind, level) = Strategy::from_env().compress_codec();
    /// let mut codec = kind.codec(level)?;
    /// let packed = codec.compress(b"strategy strategy strategy")?;
    /// assert_eq!(codec.decompress(&packed, 100)?, b"strategy strategy strategy");
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(any(
        feature = "zstd",
        feature = "lz4",
        feature = "snappy",
        feature = "brotli",
        feature = "libdeflate",
        feature = "isal"
    ))]
    pub fn compress_codec(self) -> (arsenal_compress::BackendKind, Option<i32>) {
        use arsenal_compress::{BackendKind, DeflateFormat};
        let wanted = match self {
            Strategy::Throughput | Strategy::MaximalSpeed | Strategy::Latency => {
                (BackendKind::Lz4, None)
            }
            Strategy::Balanced => (BackendKind::Zstd, Some(3)),
            Strategy::MinimalMemory => (BackendKind::Zstd, Some(19)),
        };
        let fallback = [
            BackendKind::Zstd,
            BackendKind::Lz4,
            BackendKind::Brotli,
            BackendKind::Libdeflate(DeflateFormat::Gzip),
            BackendKind::Isal(DeflateFormat::Gzip),
            BackendKind::Snappy,
        ];
        if wanted.0.available() {
            return wanted;
        }
        let kind = fallback
            .into_iter()
            .find(|k| k.available())
            .unwrap_or(BackendKind::Snappy);
        (kind, None)
    }
}

impl Strategy {
    /// The hash algorithm for keys of about `len` bytes (the seed's mapping, as
    /// documented in [`arsenal_hash`]): `Latency` → [`for_latency`](arsenal_hash::for_latency)
    /// (XXH32 below 32 bytes, XXH3-64 above), `Throughput` and `MaximalSpeed` → XXH3-64,
    /// `Balanced` and `MinimalMemory` → wyhash (native, no state beyond 48 bytes). Without
    /// the `xxhash` backend, wyhash throughout. Build it with
    /// [`Algorithm::hasher`](arsenal_hash::Algorithm::hasher).
    ///
    /// ```
    /// # #[cfg(feature = "hash")] {
    /// use arsenal::{hash::Algorithm, Strategy};
    /// assert_eq!(Strategy::Latency.hash_algorithm(8), Algorithm::Xxh32);
    /// assert_eq!(Strategy::Throughput.hash_algorithm(8), Algorithm::Xxh3_64);
    /// assert_eq!(Strategy::Balanced.hash_algorithm(8), Algorithm::WyHash);
    /// let mut h = Strategy::from_env().hash_algorithm(64).hasher(42)?;
    /// h.update(b"key");
    /// let _ = h.finish64();
    /// # }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "hash")]
    pub fn hash_algorithm(self, len: usize) -> arsenal_hash::Algorithm {
        use arsenal_hash::Algorithm;
        match self {
            Strategy::Latency => arsenal_hash::for_latency(len),
            Strategy::Throughput | Strategy::MaximalSpeed if Algorithm::Xxh3_64.is_enabled() => {
                Algorithm::Xxh3_64
            }
            _ => Algorithm::WyHash,
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error of `Strategy::from_str` for an unknown name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseStrategyError(String);

impl fmt::Display for ParseStrategyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown strategy {:?} (expected throughput, latency, balanced, minimal-memory or maximal-speed)",
            self.0
        )
    }
}

impl std::error::Error for ParseStrategyError {}

impl FromStr for Strategy {
    type Err = ParseStrategyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace('_', "-");
        Strategy::ALL
            .into_iter()
            .find(|st| st.name() == norm || st.name().replace('-', "") == norm)
            .ok_or_else(|| ParseStrategyError(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Strategy::ALL {
            assert_eq!(s.name().parse::<Strategy>(), Ok(s));
        }
        assert_eq!(
            "MinimalMemory".parse::<Strategy>(),
            Ok(Strategy::MinimalMemory)
        );
        assert!("fast".parse::<Strategy>().is_err());
    }

    #[cfg(all(feature = "simdjson", feature = "yyjson"))]
    #[test]
    fn json_mapping() {
        use arsenal_json::Backend;
        assert_eq!(Strategy::Throughput.json_backend(), Backend::Simdjson);
        assert_eq!(Strategy::Latency.json_backend(), Backend::Yyjson);
        assert_eq!(Strategy::MinimalMemory.json_backend(), Backend::Yyjson);
        assert_eq!(Strategy::Balanced.json_backend(), Backend::default());
    }
}
