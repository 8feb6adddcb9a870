//! **Arsenal**: the best C/C++ performance libraries behind small, idiomatic Rust traits,
//! with the backend switched by cargo feature or chosen at run time.
//!
//! This front crate re-exports the domain crates enabled by features, detects CPU
//! features at run time ([`cpu`]) and maps a [`Strategy`] to a backend per domain among
//! those compiled in.
//!
//! | domain | module | features | backends |
//! |---|---|---|---|
//! | JSON parsing | [`json`] | `json` (= `simdjson` + `yyjson`) | simdjson, yyjson |
//! | HTTP/1.x parsing | [`http`] | `http` (= `llhttp` + `picohttpparser` + `http_parser`) | llhttp, picohttpparser, http_parser |
//! | stackful coroutines | [`coro`] | `coro` (= `fcontext` + `minicoro` + `ucontext`); `libaco` (needs the `vendor/libaco` submodule) | Boost.Context fcontext, minicoro, glibc ucontext, libaco |
//! | queues and locks | [`sync`] | `sync` | Concurrency Kit rings and spinlocks/rwlock; native MPSC queue and futex mutex |
//! | memory operations | [`memops`] | `memops` | native Rust copy/move/set/compare/find_byte/strlen: scalar, SSE2, AVX2, AVX-512, chosen at run time |
//! | compression | [`compress`] | `compress` (= `zstd` + `lz4` + `snappy` + `brotli` + `libdeflate` + `isal`) | zstd, lz4 (frames, blocks), snappy (raw, framed), brotli, libdeflate, ISA-L; native LEB128 and Stream VByte |
//! | hashing | [`hash`] | `hash` | xxHash (XXH32/64/3), HighwayHash, SipHash-2-4 (libsodium), BLAKE3; native wyhash, rapidhash |
//! | memory allocators | [`alloc`] | `alloc` (= `mimalloc` + `jemalloc` + `rpmalloc` + `snmalloc`) | mimalloc, jemalloc, rpmalloc, snmalloc, system; native bump, slab, pool, TLSF |
//!
//! ```
//! # #[cfg(feature = "json")] {
//! use arsenal::{json::JsonValue, Strategy};
//! let doc = arsenal::parse_json(br#"{"ok": true}"#, Strategy::Latency)?;
//! assert_eq!(doc.root().get("ok").and_then(|v| v.as_bool()), Some(true));
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod cpu;
mod strategy;

#[cfg(any(
    feature = "mimalloc",
    feature = "jemalloc",
    feature = "rpmalloc",
    feature = "snmalloc"
))]
pub use arsenal_alloc as alloc;
#[cfg(any(
    feature = "zstd",
    feature = "lz4",
    feature = "snappy",
    feature = "brotli",
    feature = "libdeflate",
    feature = "isal"
))]
pub use arsenal_compress as compress;
#[cfg(any(
    feature = "fcontext",
    feature = "minicoro",
    feature = "ucontext",
    feature = "libaco"
))]
pub use arsenal_coro as coro;
#[cfg(feature = "hash")]
pub use arsenal_hash as hash;
#[cfg(any(
    feature = "llhttp",
    feature = "picohttpparser",
    feature = "http_parser"
))]
pub use arsenal_http as http;
#[cfg(any(feature = "simdjson", feature = "yyjson"))]
pub use arsenal_json as json;
#[cfg(feature = "memops")]
pub use arsenal_memops as memops;
#[cfg(feature = "sync")]
pub use arsenal_sync as sync;
pub use strategy::{ParseStrategyError, Strategy};

/// Parses JSON with the backend `strategy` picks (see [`Strategy::json_backend`]).
#[cfg(any(feature = "simdjson", feature = "yyjson"))]
pub fn parse_json(bytes: &[u8], strategy: Strategy) -> json::Result<json::OwnedDocument> {
    json::parse_with_options(
        strategy.json_backend(),
        bytes,
        &json::ParseOptions::default(),
    )
}
