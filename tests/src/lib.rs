//! Cross-backend conformance suites for Arsenal.
//!
//! Each domain has a module of suite functions generic over the domain's backend trait,
//! and a macro (`json_conformance!`) that instantiates every suite as `#[test]`s for one
//! backend; `tests/json.rs` invokes it once per enabled backend. The same functions
//! back the fuzz targets (`fuzz/`) and the benchmark's generated data sets.
//!
//! Data: suites read `../shared/data` (or `$ARSENAL_DATA`) when present and otherwise
//! run on generated documents, saying so on stderr.
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
pub mod alloc;
#[cfg(any(feature = "flac", feature = "opus", feature = "vorbis"))]
pub mod audio;
#[cfg(feature = "bitmap")]
pub mod bitmap;
#[cfg(feature = "bits")]
pub mod bits;
#[cfg(feature = "cache")]
pub mod cache;
#[cfg(feature = "color")]
pub mod color;
#[cfg(any(
    feature = "zstd",
    feature = "lz4",
    feature = "snappy",
    feature = "brotli",
    feature = "libdeflate",
    feature = "isal"
))]
pub mod compress;
#[cfg(any(
    feature = "fcontext",
    feature = "minicoro",
    feature = "ucontext",
    feature = "libaco",
    feature = "native"
))]
pub mod coro;
#[cfg(any(
    feature = "crypto-boringssl",
    feature = "crypto-aws-lc",
    feature = "crypto-libsodium",
    feature = "crypto-liboqs",
    feature = "crypto-blake3"
))]
pub mod crypto;
#[cfg(feature = "csv")]
pub mod csv;
pub mod data;
#[cfg(feature = "fft")]
pub mod fft;
#[cfg(feature = "filter")]
pub mod filter;
#[cfg(feature = "graph")]
pub mod graph;
#[cfg(feature = "hash")]
pub mod hash;
#[cfg(feature = "heap")]
pub mod heap;
#[cfg(any(
    feature = "llhttp",
    feature = "picohttpparser",
    feature = "http_parser"
))]
pub mod http;
#[cfg(any(feature = "simdjson", feature = "yyjson"))]
pub mod json;
#[cfg(feature = "linalg")]
pub mod linalg;
#[cfg(feature = "map")]
pub mod map;
#[cfg(feature = "memops")]
pub mod memops;
#[cfg(feature = "ml")]
pub mod ml;
#[cfg(feature = "num")]
pub mod num;
#[cfg(feature = "rand")]
pub mod rand;
#[cfg(feature = "sketch")]
pub mod sketch;
#[cfg(feature = "sort")]
pub mod sort;
#[cfg(feature = "sync")]
pub mod sync;
#[cfg(feature = "text")]
pub mod text;
#[cfg(feature = "tree")]
pub mod tree;
#[cfg(any(
    feature = "dav1d",
    feature = "aom",
    feature = "vpx",
    feature = "avcodec"
))]
pub mod video;
