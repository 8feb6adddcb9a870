//! **Arsenal**: the best C/C++ performance libraries behind small, idiomatic Rust traits,
//! with the backend switched by cargo feature or chosen at run time.
//!
//! This front crate re-exports the domain crates enabled by features and the shared
//! pieces of `arsenal-core`: run-time CPU detection ([`cpu`]), the [`Strategy`] enum and
//! the one selection shape every domain crate has (see [`select`]): a `Backend` enum with
//! `ALL`, `available()`, `name()`, case-insensitive `FromStr`, and
//! `Backend::for_strategy(strategy)`, each crate's own measured answer whose benchmark
//! row [`Select::evidence`] names.
//!
//! ```
//! # #[cfg(all(feature = "json", feature = "compress"))] {
//! use arsenal::{compress::Compress, Strategy};
//! let strategy = Strategy::from_env(); // ARSENAL_STRATEGY, else Balanced
//! let json = arsenal::json::Backend::for_strategy(strategy);
//! let mut codec = arsenal::compress::Backend::for_strategy(Strategy::Throughput).codec()?;
//! let packed = codec.compress(b"hello hello hello hello")?;
//! assert!(json.is_available() && !packed.is_empty());
//! # }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
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
//! | linear algebra | [`linalg`] | `linalg` | OpenBLAS, BLIS; native blocked GEMM (AVX-512 / AVX2+FMA kernels) |
//! | audio codecs | [`audio`] | `audio` (= `flac` + `opus` + `vorbis`) | libFLAC, libopus (packets, FEC, concealment), libvorbis |
//! | video decoding | [`video`] | `video` (= `dav1d` + `aom` + `vpx` + `avcodec`) | dav1d, libaom (AV1), libvpx (VP9), libavcodec (H.264, VP9); native IVF, AV1 OBU and H.264 Annex-B parsing |
//! | CPU inference | [`ml`] | `ml` | ggml (block formats); native softmax/norms/RoPE, flash and paged attention, int8/int4 matmul, safetensors |
//! | FFT and DSP | [`fft`] | `fft` (= `fftw` + `kissfft`) | FFTW 3.3, KissFFT 131 (complex and real, f32/f64, cached plans); native windows, RBJ biquads, Butterworth, FIR direct and overlap-add, parametric EQ |
//! | colour conversion and scaling | [`color`] | `color` (= native + `libyuv`) | libyuv (RGB ↔ I420, bilinear scaling); native fixed-point RGB24/RGBA/BGRA ↔ I420 (BT.601/709, full/limited) and bilinear resize (scalar reference + AVX2) |
//! | cryptography | [`crypto`] | `crypto` (= `boringssl` + `aws-lc` + `libsodium` + `liboqs` + `blake3`) | BoringSSL, AWS-LC, libsodium, liboqs, BLAKE3 behind RustCrypto's `aead`/`digest`/`signature` traits: AES-GCM, (X)ChaCha20-Poly1305, SHA-2, BLAKE2b, BLAKE3, HMAC, HKDF, X25519, Ed25519, ML-KEM, ML-DSA, Argon2id |
//! | approximate membership filters | [`filter`] | `filter` | native Rust: split-block Bloom (AVX2 at run time), xor and binary fuse filters (8/16-bit), cuckoo filter; validated binary format |
//! | bitmaps and succinct structures | [`bitmap`] | `bitmap` | CRoaring 5.2 (C) behind the `Bitmap` trait with the portable Roaring format; native rank/select bit vectors, Elias–Fano, wavelet matrix |
//! | hash maps | [`map`] | `map` | Abseil's `flat_hash_map` (C++ Swiss table) and std's `HashMap` with Arsenal's hashers behind one `Map` trait; allocation failure as an `Err` |
//! | priority queues | [`heap`] | `heap` | native Rust: d-ary heap (std `BinaryHeap`'s API, any arity), monotone radix heap, behind one `MinQueue` trait |
//! | sorting, selection, searching | [`sort`] | `sort` | Highway's vqsort (C++, AVX-512/AVX2 at run time); native Rust: LSD radix sort (stable), in-place super-scalar samplesort after IPS⁴o (one thread or all cores), a branch-free small sort, run detection in front of each; Floyd–Rivest and introselect; branchless, Eytzinger, interpolation and SIMD lower bounds |
//! | string matching | [`text`] | `text` | Vectorscan (literal and regex sets, block and streaming); native Rust: KMP, Boyer–Moore, Boyer–Moore–Horspool, Z-algorithm, SIMD rare-byte filter, Aho–Corasick, behind `Searcher` and `MultiSearcher` |
//! | CSV reading | [`csv`] | `csv` | native Rust: SIMD parser (64-byte bitmaps, prefix-xor quote masks by `pclmulqdq` or shift-xor; AVX2 or SWAR) and a scalar state machine, streaming over `io::Read`, serde records, errors with line and column |
//! | ordered maps | [`tree`] | `tree` | native B+ tree with cache-line-sized nodes and adaptive radix tree; Abseil's `btree_map` (C++); one `OrderedMap` trait with range scans |
//! | streaming sketches | [`sketch`] | `sketch` | native Rust: HyperLogLog and HLL++ (Ertl's estimator), Count-Min, Count sketch, Space-Saving, MinHash, SimHash, t-digest; mergeable, serde with validation |
//! | cache replacement policies | [`cache`] | `cache` | native Rust: S3-FIFO, W-TinyLFU, ARC, CLOCK-Pro, LRU behind one `Cache` trait; Belady's optimum, trace simulator, sharded variant |
//! | random numbers | [`rand`] | `rand` | native Rust on rand_core's traits: xoshiro256\*\*/++, PCG64/PCG32, ChaCha8/12/20 (AVX-512/AVX2 at run time), RDRAND/RDSEED |
//! | bit operations | [`bits`] | `bits` | native Rust: pext/pdep (BMI2 or portable, portable on CPUs with microcoded pdep), popcounts over slices (AVX2, AVX-512 VPOPCNTDQ), a bit array with rank/select |
//! | numerics | [`num`] | `num` | SLEEF (vectorised exp/log/sin/cos/tanh/pow), libdivide (division by invariant integers); native exp/log, compensated sums, invariant division |
//! | graphs | [`graph`] | `graph` | igraph (BFS, Dijkstra); native Rust: CSR graphs, BFS (top-down, direction-optimising, parallel), DFS, Dijkstra (binary and radix heap), Δ-stepping, Bellman–Ford |
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

pub use arsenal_core::{cpu, prefer, select, ParseStrategyError, Select, Strategy, UnknownBackend};

// One grouping feature per domain crate: the optional dependency's own name.
#[cfg(feature = "arsenal-alloc")]
pub use arsenal_alloc as alloc;
#[cfg(feature = "arsenal-audio")]
pub use arsenal_audio as audio;
#[cfg(feature = "arsenal-bitmap")]
pub use arsenal_bitmap as bitmap;
#[cfg(feature = "arsenal-bits")]
pub use arsenal_bits as bits;
#[cfg(feature = "arsenal-cache")]
pub use arsenal_cache as cache;
#[cfg(feature = "arsenal-color")]
pub use arsenal_color as color;
#[cfg(feature = "arsenal-compress")]
pub use arsenal_compress as compress;
#[cfg(feature = "arsenal-coro")]
pub use arsenal_coro as coro;
#[cfg(feature = "arsenal-crypto")]
pub use arsenal_crypto as crypto;
#[cfg(feature = "arsenal-csv")]
pub use arsenal_csv as csv;
#[cfg(feature = "arsenal-fft")]
pub use arsenal_fft as fft;
#[cfg(feature = "arsenal-filter")]
pub use arsenal_filter as filter;
#[cfg(feature = "arsenal-graph")]
pub use arsenal_graph as graph;
#[cfg(feature = "arsenal-hash")]
pub use arsenal_hash as hash;
#[cfg(feature = "arsenal-heap")]
pub use arsenal_heap as heap;
#[cfg(feature = "arsenal-http")]
pub use arsenal_http as http;
#[cfg(feature = "arsenal-json")]
pub use arsenal_json as json;
#[cfg(feature = "arsenal-linalg")]
pub use arsenal_linalg as linalg;
#[cfg(feature = "arsenal-map")]
pub use arsenal_map as map;
#[cfg(feature = "arsenal-memops")]
pub use arsenal_memops as memops;
#[cfg(feature = "arsenal-ml")]
pub use arsenal_ml as ml;
#[cfg(feature = "arsenal-num")]
pub use arsenal_num as num;
#[cfg(feature = "arsenal-rand")]
pub use arsenal_rand as rand;
#[cfg(feature = "arsenal-sketch")]
pub use arsenal_sketch as sketch;
#[cfg(feature = "arsenal-sort")]
pub use arsenal_sort as sort;
#[cfg(feature = "arsenal-sync")]
pub use arsenal_sync as sync;
#[cfg(feature = "arsenal-text")]
pub use arsenal_text as text;
#[cfg(feature = "arsenal-tree")]
pub use arsenal_tree as tree;
#[cfg(feature = "arsenal-video")]
pub use arsenal_video as video;

/// Parses JSON with the backend `strategy` picks (see `json::Backend::for_strategy`).
#[cfg(feature = "arsenal-json")]
pub fn parse_json(bytes: &[u8], strategy: Strategy) -> json::Result<json::OwnedDocument> {
    json::parse_with_options(
        json::Backend::for_strategy(strategy),
        bytes,
        &json::ParseOptions::default(),
    )
}
