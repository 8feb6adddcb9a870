//! One JSON parsing API over the fastest C/C++ parsers: **simdjson** and **yyjson**.
//!
//! | backend | feature | type | strengths |
//! |---|---|---|---|
//! | simdjson (C++, SIMD) | `simdjson` | [`Simdjson`] | highest throughput on large documents; reusable parser |
//! | yyjson (C) | `yyjson` | [`Yyjson`] | low latency on small documents, error offsets, low memory |
//!
//! Both features are on by default. [`DefaultParser`] is the compile-time default
//! (simdjson when enabled, else yyjson). [`Backend`] selects one at run time by value or
//! by name (`"yyjson".parse()`), [`Backend::for_strategy`] picks one per workload
//! ([`arsenal_core::Strategy`], with the benchmark row behind each answer), and
//! [`Backend::parser`] turns the choice into a working [`AnyParser`]. With no backend
//! feature the crate does not compile and says which features exist. Library authors
//! should depend with `default-features = false` and let the application pick.
//!
//! ```
//! use arsenal_json::JsonValue;
//! // Owned document, default backend:
//! let doc = arsenal_json::parse(br#"{"name": "arsenal", "stars": [5, 4.5]}"#)?;
//! assert_eq!(doc.root().get("name").and_then(|v| v.as_str()), Some("arsenal"));
//! // serde, as a drop-in for serde_json::from_slice:
//! #[derive(serde::Deserialize)]
//! struct Repo { name: String, stars: Vec<f64> }
//! let repo: Repo = arsenal_json::from_slice(br#"{"name": "arsenal", "stars": [5, 4.5]}"#)?;
//! assert_eq!(repo.stars, [5.0, 4.5]);
//! # Ok::<(), arsenal_json::Error>(())
//! ```
//!
//! For the best throughput keep a parser per thread and parse with it directly:
//!
//! ```
//! use arsenal_json::{Document, JsonValue, Parser};
//! let mut parser = arsenal_json::DefaultParser::new()?;
//! for input in [&b"[1,2,3]"[..], b"[4,5]"] {
//!     let doc = parser.parse(input)?;
//!     let total: i64 = doc.root().array_iter().unwrap().filter_map(|v| v.as_i64()).sum();
//!     assert!(total == 6 || total == 9);
//! }
//! # Ok::<(), arsenal_json::Error>(())
//! ```
//!
//! Errors are one type, [`Error`], with an [`ErrorKind`], the backend's own message and,
//! with yyjson, the byte offset. Limits ([`ParseOptions`]): nesting depth (default
//! 1024) and input size (default 1 GiB) apply to both backends.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

#[cfg(not(feature = "any-backend"))]
compile_error!(
    "arsenal-json needs at least one backend feature: `simdjson` and/or `yyjson` \
     (e.g. `arsenal-json = { version = \"0.1\", features = [\"yyjson\"] }`)"
);

/// One module per backend, each behind its feature.
pub mod backend {
    #[cfg(feature = "simdjson")]
    pub mod simdjson;
    #[cfg(feature = "yyjson")]
    pub mod yyjson;
}
mod de;
mod dynamic;
mod error;
mod padded;
mod value;
mod write;

/// The selection vocabulary, re-exported from `arsenal-core` so that this crate works
/// alone: [`Strategy`] for [`Backend::for_strategy`], [`Select`] for
/// [`Backend::evidence`](Select::evidence), [`UnknownBackend`] from `Backend`'s `FromStr`.
pub use arsenal_core::{Select, Strategy, UnknownBackend};
#[cfg(feature = "simdjson")]
pub use backend::simdjson::{Simdjson, SimdjsonDoc, SimdjsonValue};
#[cfg(feature = "yyjson")]
pub use backend::yyjson::{Yyjson, YyjsonDoc, YyjsonValue};
pub use de::{from_value, Deserializer, RECURSION_LIMIT};
pub use dynamic::{AnyArrayIter, AnyDocument, AnyObjectIter, AnyParser, AnyValue, OwnedDocument};
pub use error::{Error, ErrorKind, Result};
pub use padded::PaddedBytes;
pub use value::{walk, JsonValue, Kind, Number, WalkStats};
pub use write::{to_string, to_writer};

/// The traits needed to parse and read values: `use arsenal_json::prelude::*;`.
pub mod prelude {
    pub use crate::{Document, JsonValue, Parser};
}

/// The compile-time default backend, in one priority: simdjson when its feature is on,
/// else yyjson. The same order as [`Backend::available`] (whose first entry is this
/// backend, [`Backend::default`]) and what [`Strategy::Balanced`] picks.
///
/// ```
/// use arsenal_json::{Backend, DefaultParser, Parser};
/// assert_eq!(DefaultParser::BACKEND, Backend::available()[0]);
/// ```
#[cfg(feature = "simdjson")]
pub type DefaultParser = Simdjson;
/// The compile-time default backend, in one priority: simdjson when its feature is on,
/// else yyjson. The same order as [`Backend::available`] (whose first entry is this
/// backend, [`Backend::default`]) and what [`Strategy::Balanced`] picks.
///
/// ```
/// use arsenal_json::{Backend, DefaultParser, Parser};
/// assert_eq!(DefaultParser::BACKEND, Backend::available()[0]);
/// ```
#[cfg(all(not(feature = "simdjson"), feature = "yyjson"))]
pub type DefaultParser = Yyjson;

/// Limits applied while parsing. Defaults are safe for untrusted input.
///
/// ```
/// use arsenal_json::{ErrorKind, ParseOptions};
/// let opts = ParseOptions::default().max_depth(2);
/// let err = arsenal_json::parse_with_options(arsenal_json::Backend::default(), b"[[[1]]]", &opts)
///     .unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Depth);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOptions {
    /// Maximum nesting depth of arrays/objects (default 1024, simdjson's own default).
    pub max_depth: usize,
    /// Maximum input length in bytes (default 1 GiB; simdjson cannot exceed 4 GiB).
    pub max_input_len: usize,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_depth: 1024,
            max_input_len: 1 << 30,
        }
    }
}

impl ParseOptions {
    /// Sets [`ParseOptions::max_depth`].
    pub fn max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
    }

    /// Sets [`ParseOptions::max_input_len`].
    pub fn max_input_len(mut self, len: usize) -> Self {
        self.max_input_len = len;
        self
    }

    pub(crate) fn check_len(&self, backend: &'static str, len: usize) -> Result<()> {
        if len > self.max_input_len {
            return Err(Error::new(
                ErrorKind::TooLarge,
                backend,
                format!(
                    "input of {len} bytes exceeds max_input_len = {}",
                    self.max_input_len
                ),
            ));
        }
        Ok(())
    }
}

/// A JSON parser backend.
///
/// Parsing borrows the parser mutably: backends that keep buffers between parses
/// (simdjson) hand out documents that point into them.
pub trait Parser: Sized {
    /// Which [`Backend`] this is.
    const BACKEND: Backend;
    /// The parsed document; may borrow the parser and the input for `'p`.
    type Document<'p>: Document
    where
        Self: 'p;

    /// A parser with the given limits.
    fn with_options(options: ParseOptions) -> Result<Self>;

    /// Parses `json` (any slice; the simdjson backend first copies it into a zero-padded
    /// buffer it reuses).
    fn parse<'p>(&'p mut self, json: &'p [u8]) -> Result<Self::Document<'p>>;

    /// Parses a [`PaddedBytes`] buffer; simdjson skips its input copy.
    fn parse_padded<'p>(&'p mut self, json: &'p PaddedBytes) -> Result<Self::Document<'p>> {
        self.parse(json.as_bytes())
    }

    /// The limits this parser applies.
    fn options(&self) -> &ParseOptions;
}

/// A parsed JSON document.
pub trait Document: std::fmt::Debug {
    /// The backend's value handle.
    type Value<'d>: JsonValue<'d>
    where
        Self: 'd;
    /// The top-level value.
    fn root(&self) -> Self::Value<'_>;
}

arsenal_core::backends! {
    /// A JSON backend, chosen at run time: the one selection shape every Arsenal domain
    /// crate shares (see [`arsenal_core::select`]).
    ///
    /// - [`Backend::ALL`]: every backend this crate knows, compiled in or not;
    /// - [`Backend::available`]: those compiled into this build, in the priority of
    ///   [`DefaultParser`] (simdjson, then yyjson; both run on every CPU: simdjson picks
    ///   its SIMD kernel at run time and has a portable fallback);
    /// - `name()`, `Display` and a case-insensitive `FromStr` whose error lists the names;
    /// - [`Backend::for_strategy`]: this crate's measured answer to an
    ///   [`Strategy`] (the table is on the [`Select`] impl below);
    /// - a working parser from a value: [`Backend::parser`] (an [`AnyParser`]), or
    ///   [`parse_with_options`] for an [`OwnedDocument`].
    ///
    /// ```
    /// use arsenal_json::{Backend, Document, JsonValue};
    /// let backend: Backend = "YYJSON".parse()?;
    /// assert_eq!(backend, Backend::Yyjson);
    /// assert_eq!(Backend::ALL, [Backend::Simdjson, Backend::Yyjson]);
    /// for backend in Backend::available() {
    ///     let mut parser = backend.parser()?;
    ///     let doc = parser.parse(br#"{"id": 7}"#)?;
    ///     assert_eq!(doc.root().get("id").and_then(|v| v.as_u64()), Some(7));
    /// }
    /// let err = "rapidjson".parse::<Backend>().unwrap_err();
    /// assert!(err.to_string().contains("simdjson, yyjson"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    domain = "json";
    pub enum Backend {
        /// simdjson (feature `simdjson`, type `Simdjson`): SIMD kernels chosen at run time.
        Simdjson = "simdjson",
        /// yyjson (feature `yyjson`, type `Yyjson`): portable C.
        Yyjson = "yyjson",
    }
}

/// Whether simdjson has a SIMD kernel for this CPU (x86-64: `westmere` needs SSE4.2 and
/// PCLMULQDQ, `haswell` AVX2, `icelake` AVX-512; AArch64: NEON). Without one it runs its
/// portable `fallback` kernel, slower than yyjson.
fn simdjson_has_simd_kernel(cpu: &arsenal_core::cpu::CpuFeatures) -> bool {
    cpu.avx2 || (cpu.sse42 && cpu.pclmulqdq) || cpu.neon
}

/// How arsenal-json answers each [`Strategy`], from the matrix benchmark's rows
/// (`scripts/bench`; the throughput numbers are the README's "Measured" section: Intel
/// Xeon with AVX-512, so simdjson ran its `icelake` kernel; the small-document and
/// memory rows were measured on an AMD EPYC, Zen 3 (family 25 model 1, `/proc/cpuinfo`
/// model name "AMD EPYC"), 2-core VM, AVX2 and no AVX-512, so simdjson ran its `haswell`
/// kernel: `cargo run --release -p arsenal-bench -- --quick --filter
/// '^json/parse/api-response/|^json/memory/'`). A backend whose feature is off is
/// skipped: the next in the order, else the default.
///
/// | strategy | order | evidence row | why |
/// |---|---|---|---|
/// | `Throughput` | simdjson, yyjson | `json/parse/canada` | the largest document (2.2 MB): 1.21 GB/s against yyjson's 0.98 (simdjson leads on every `json/*` row) |
/// | `Latency` | simdjson, yyjson | `json/parse/api-response` | the matrix's small document (a 675-byte API response generated by the bench): simdjson parses it in 543–570 ns in quiet runs against yyjson's 573–601 ns, and led in each of 10 runs (on the EPYC; both through arsenal, reused parser; the raw C rows agree). The margin is ~5%, so `Latency` = `Throughput` |
/// | `Balanced` | [`DefaultParser`]'s: simdjson, yyjson | – | the compile-time default (`available()[0]`) |
/// | `MinimalMemory` | yyjson, simdjson | `json/memory/twitter-generated` | the heap a parser and the document it parsed hold, per input byte (glibc `mallinfo2` delta, on the bench's generated twitter-like document of 371 KB; on the EPYC): yyjson 3.67 bytes, simdjson 14.69 (structural indexes, tape, string buffer and this crate's padded input copy: 13.69 for a raw `dom::parser` on the caller's padded buffer), and simdjson keeps it in the parser for the next parse while yyjson's is freed with the document. The peers hold 10.9 (serde_json), 11.8 (sonic-rs) and 14.9 (simd-json). `safe/json/tests/footprint.rs` checks the order. The speed price is on `json/parse/*`: 2.90 GB/s against 4.60 on citm_catalog |
/// | `MaximalSpeed` | simdjson, yyjson when simdjson has a SIMD kernel for this CPU ([`arsenal_core::cpu::features`]: AVX2, or SSE4.2 + PCLMULQDQ, or NEON); else yyjson, simdjson | `json/parse_walk/canada` | parse and read every value of the largest document: 0.95 GB/s against 0.82 with a SIMD kernel (the matrix ran on AVX-512). Without one simdjson runs its portable fallback kernel, which upstream's own measurements put well below its SIMD kernels and below yyjson, which needs no SIMD (the matrix has no row for that tier) |
///
/// ```
/// use arsenal_json::{Backend, Select, Strategy};
/// # #[cfg(all(feature = "simdjson", feature = "yyjson"))] {
/// assert_eq!(Backend::for_strategy(Strategy::Throughput), Backend::Simdjson);
/// assert_eq!(Backend::for_strategy(Strategy::MinimalMemory), Backend::Yyjson);
/// # }
/// assert_eq!(Backend::for_strategy(Strategy::Balanced), Backend::default());
/// assert_eq!(Backend::evidence(Strategy::Latency), Some("json/parse/api-response"));
/// assert_eq!(Backend::evidence(Strategy::MinimalMemory), Some("json/memory/twitter-generated"));
/// let _doc = arsenal_json::parse_with_options(
///     Backend::for_strategy(Strategy::from_env()),
///     b"[1, 2]",
///     &arsenal_json::ParseOptions::default(),
/// )?;
/// # Ok::<(), arsenal_json::Error>(())
/// ```
impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        let mut available = Vec::with_capacity(Backend::ALL.len());
        #[cfg(feature = "simdjson")]
        available.push(Backend::Simdjson);
        #[cfg(feature = "yyjson")]
        available.push(Backend::Yyjson);
        available
    }

    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::{prefer, Strategy};
        const SIMD_FIRST: &[Backend] = &[Backend::Simdjson, Backend::Yyjson];
        const SMALL_FIRST: &[Backend] = &[Backend::Yyjson, Backend::Simdjson];
        match strategy {
            Strategy::Throughput | Strategy::Latency => prefer(SIMD_FIRST),
            Strategy::Balanced => prefer(&[]),
            Strategy::MinimalMemory => prefer(SMALL_FIRST),
            Strategy::MaximalSpeed => {
                if simdjson_has_simd_kernel(arsenal_core::cpu::features()) {
                    prefer(SIMD_FIRST)
                } else {
                    prefer(SMALL_FIRST)
                }
            }
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy;
        match strategy {
            Strategy::Throughput => Some("json/parse/canada"),
            Strategy::Latency => Some("json/parse/api-response"),
            Strategy::Balanced => None,
            Strategy::MinimalMemory => Some("json/memory/twitter-generated"),
            Strategy::MaximalSpeed => Some("json/parse_walk/canada"),
        }
    }
}

impl Backend {
    /// A parser of this backend with [`ParseOptions::default`], dispatching at run time;
    /// fails with [`ErrorKind::Unavailable`] when the backend is not compiled in. Same as
    /// [`AnyParser::new`].
    ///
    /// ```
    /// use arsenal_json::{Backend, Document, JsonValue};
    /// let mut parser = Backend::default().parser()?;
    /// assert_eq!(parser.parse(b"[true]")?.root().at(0).and_then(|v| v.as_bool()), Some(true));
    /// # Ok::<(), arsenal_json::Error>(())
    /// ```
    pub fn parser(self) -> Result<AnyParser> {
        AnyParser::new(self)
    }

    /// Version of the linked C library, or `None` when the backend is not compiled in.
    ///
    /// ```
    /// let version = arsenal_json::Backend::default().library_version();
    /// assert!(version.is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit())));
    /// ```
    pub fn library_version(self) -> Option<String> {
        match self {
            #[cfg(feature = "simdjson")]
            Backend::Simdjson => Some(Simdjson::version().to_owned()),
            #[cfg(feature = "yyjson")]
            Backend::Yyjson => Some(Yyjson::version()),
            #[allow(unreachable_patterns)] // a backend whose feature is off
            _ => None,
        }
    }
}

impl Default for Backend {
    /// The same backend as [`DefaultParser`]: `Backend::available()[0]`, and what
    /// [`Strategy::Balanced`] picks.
    fn default() -> Self {
        <DefaultParser as Parser>::BACKEND
    }
}

/// Parses `json` with the default backend into an [`OwnedDocument`].
///
/// ```
/// use arsenal_json::{JsonValue, Kind};
/// let doc = arsenal_json::parse(b"[1, 2, 3]")?;
/// assert_eq!(doc.root().kind(), Kind::Array);
/// assert_eq!(doc.root().len(), Some(3));
/// assert!(arsenal_json::parse(b"[1, 2,").is_err());
/// # Ok::<(), arsenal_json::Error>(())
/// ```
pub fn parse(json: &[u8]) -> Result<OwnedDocument> {
    OwnedDocument::parse(Backend::default(), json, &ParseOptions::default())
}

/// Parses `json` with backend `P` (a backend type such as [`Simdjson`] or [`Yyjson`]).
///
/// ```
/// # #[cfg(feature = "yyjson")] {
/// use arsenal_json::JsonValue;
/// let doc = arsenal_json::parse_with::<arsenal_json::Yyjson>(b"{\"k\": null}")?;
/// assert!(doc.root().get("k").unwrap().is_null());
/// assert_eq!(doc.backend(), arsenal_json::Backend::Yyjson);
/// # }
/// # Ok::<(), arsenal_json::Error>(())
/// ```
pub fn parse_with<P: Parser>(json: &[u8]) -> Result<OwnedDocument> {
    OwnedDocument::parse(P::BACKEND, json, &ParseOptions::default())
}

/// Parses `json` with a backend chosen at run time and explicit limits; fails with
/// [`ErrorKind::Unavailable`] for a backend that is not compiled in.
///
/// ```
/// use arsenal_json::{Backend, JsonValue, ParseOptions};
/// let doc = arsenal_json::parse_with_options(Backend::default(), b"[1]", &ParseOptions::default())?;
/// assert_eq!(doc.root().len(), Some(1));
/// # Ok::<(), arsenal_json::Error>(())
/// ```
pub fn parse_with_options(
    backend: Backend,
    json: &[u8],
    options: &ParseOptions,
) -> Result<OwnedDocument> {
    OwnedDocument::parse(backend, json, options)
}

/// Deserializes a `T` from JSON bytes with the default backend: a drop-in for
/// `serde_json::from_slice`.
///
/// ```
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// enum Shape { Circle { r: f64 }, Unit }
/// let shapes: Vec<Shape> = arsenal_json::from_slice(br#"[{"Circle": {"r": 1.5}}, "Unit"]"#)?;
/// assert_eq!(shapes, [Shape::Circle { r: 1.5 }, Shape::Unit]);
/// # Ok::<(), arsenal_json::Error>(())
/// ```
pub fn from_slice<T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<T> {
    from_slice_with::<DefaultParser, T>(json)
}

/// [`from_slice`] with an explicit backend.
pub fn from_slice_with<P: Parser, T: serde::de::DeserializeOwned>(json: &[u8]) -> Result<T> {
    let mut parser = P::with_options(ParseOptions::default())?;
    let doc = parser.parse(json)?;
    from_value(doc.root())
}

/// Converts a value (of any backend) into a `serde_json::Value`, for cross-checking
/// against serde_json or handing data to code that wants one.
///
/// Fails with [`ErrorKind::Depth`] beyond [`RECURSION_LIMIT`] levels (the conversion and
/// `serde_json::Value`'s own drop are recursive).
///
/// ```
/// let doc = arsenal_json::parse(br#"{"a": [1, -1, 0.5, "s", null, true]}"#)?;
/// let v = arsenal_json::to_serde_value(doc.root())?;
/// assert_eq!(v, serde_json::json!({"a": [1, -1, 0.5, "s", null, true]}));
/// # Ok::<(), arsenal_json::Error>(())
/// ```
pub fn to_serde_value<'d, V: JsonValue<'d>>(value: V) -> Result<serde_json::Value> {
    from_value(value)
}

#[cfg(test)]
mod selection_tests {
    use super::*;
    use arsenal_core::{Select, Strategy};

    #[test]
    fn all_lists_every_variant_and_available_is_a_non_empty_subset() {
        // A new variant breaks this match, a reminder to list it in ALL.
        for backend in Backend::ALL {
            match backend {
                Backend::Simdjson | Backend::Yyjson => {}
            }
        }
        assert_eq!(Backend::ALL, [Backend::Simdjson, Backend::Yyjson]);
        assert_eq!(Backend::NAMES, ["simdjson", "yyjson"]);
        let available = Backend::available();
        assert_eq!(available[0], Backend::default());
        assert_eq!(available[0], <DefaultParser as Parser>::BACKEND);
        assert_eq!(
            available,
            Backend::ALL
                .iter()
                .copied()
                .filter(|b| b.is_available())
                .collect::<Vec<_>>()
        );
        assert_eq!(Backend::Simdjson.is_available(), cfg!(feature = "simdjson"));
        assert_eq!(Backend::Yyjson.is_available(), cfg!(feature = "yyjson"));
    }

    /// The selection shape every domain crate shares: names, parsing, `available()`,
    /// strategies and evidence (`arsenal_core::select::check_shape`).
    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_strategy_picks_an_available_backend_with_evidence() {
        let rows = ["parse", "parse_walk", "memory"];
        let datasets = [
            "api-response",
            "twitter",
            "citm_catalog",
            "canada",
            "twitter-generated",
        ];
        for strategy in Strategy::ALL {
            assert!(Backend::for_strategy(strategy).is_available(), "{strategy}");
            match (strategy, Backend::evidence(strategy)) {
                (Strategy::Balanced, evidence) => assert_eq!(evidence, None),
                (_, None) => panic!("{strategy}: no evidence"),
                (_, Some(row)) => {
                    // A row of benches/src/json.rs: json/<op>/<dataset>, or a memory
                    // row group json/memory/<dataset>.
                    let parts: Vec<&str> = row.split('/').collect();
                    assert!(
                        parts.len() == 3
                            && parts[0] == Backend::DOMAIN
                            && rows.contains(&parts[1])
                            && datasets.contains(&parts[2]),
                        "{strategy}: {row}"
                    );
                }
            }
        }
        assert_eq!(
            Backend::for_strategy(Strategy::Balanced),
            Backend::default()
        );
    }

    #[cfg(all(feature = "simdjson", feature = "yyjson"))]
    #[test]
    fn strategy_mapping() {
        assert_eq!(
            Backend::for_strategy(Strategy::Throughput),
            Backend::Simdjson
        );
        assert_eq!(Backend::for_strategy(Strategy::Latency), Backend::Simdjson);
        assert_eq!(
            Backend::for_strategy(Strategy::MinimalMemory),
            Backend::Yyjson
        );
        let simd = simdjson_has_simd_kernel(arsenal_core::cpu::features());
        assert_eq!(
            Backend::for_strategy(Strategy::MaximalSpeed),
            if simd {
                Backend::Simdjson
            } else {
                Backend::Yyjson
            }
        );
        // The CPU tiers: no SIMD kernel means yyjson.
        let scalar = arsenal_core::cpu::CpuFeatures::default();
        assert!(!simdjson_has_simd_kernel(&scalar));
        let westmere = arsenal_core::cpu::CpuFeatures {
            sse42: true,
            pclmulqdq: true,
            ..scalar
        };
        assert!(simdjson_has_simd_kernel(&westmere));
    }

    #[test]
    fn every_available_backend_parses_through_its_dynamic_parser() {
        for backend in Backend::available() {
            let mut parser = backend.parser().expect("parser");
            assert_eq!(parser.backend(), backend);
            {
                let doc = parser
                    .parse(br#"{"a": [1, -2, 3.5], "s": "x"}"#)
                    .expect("parse");
                let root = doc.root();
                let sum: f64 = root
                    .get("a")
                    .and_then(|a| a.array_iter())
                    .expect("array")
                    .filter_map(|v| v.as_f64())
                    .sum();
                assert_eq!(sum, 2.5, "{backend}");
                assert_eq!(root.get("s").and_then(|s| s.as_str()), Some("x"));
            }
            let err = parser.parse(b"[1,").unwrap_err();
            assert_eq!(err.backend(), backend.name());
            let owned =
                parse_with_options(backend, b"[null]", &ParseOptions::default()).expect("owned");
            assert_eq!(owned.backend(), backend);
            assert!(backend.library_version().is_some());
        }
        for &backend in Backend::ALL {
            if !backend.is_available() {
                let err = AnyParser::new(backend).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Unavailable);
                assert_eq!(err.backend(), backend.name());
                assert_eq!(backend.library_version(), None);
            }
        }
    }
}
