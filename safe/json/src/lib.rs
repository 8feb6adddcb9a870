//! One JSON parsing API over the fastest C/C++ parsers: **simdjson** and **yyjson**.
//!
//! | backend | feature | type | strengths |
//! |---|---|---|---|
//! | simdjson (C++, SIMD) | `simdjson` | [`Simdjson`] | highest throughput on large documents; reusable parser |
//! | yyjson (C) | `yyjson` | [`Yyjson`] | low latency on small documents, error offsets, low memory |
//!
//! Both features are on by default. [`DefaultParser`] is the compile-time default
//! (simdjson when enabled, else yyjson); [`Backend`] selects one at run time by value or
//! by name, and `arsenal::Strategy` picks one per workload. With no backend feature the
//! crate does not compile and says which features exist. Library authors should depend
//! with `default-features = false` and let the application pick.
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

#[cfg(not(any(feature = "simdjson", feature = "yyjson")))]
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

#[cfg(feature = "simdjson")]
pub use backend::simdjson::{Simdjson, SimdjsonDoc, SimdjsonValue};
#[cfg(feature = "yyjson")]
pub use backend::yyjson::{Yyjson, YyjsonDoc, YyjsonValue};
pub use de::{from_value, Deserializer, RECURSION_LIMIT};
pub use dynamic::{AnyArrayIter, AnyObjectIter, AnyValue, OwnedDocument};
pub use error::{Error, ErrorKind, Result};
pub use padded::PaddedBytes;
pub use value::{walk, JsonValue, Kind, Number, WalkStats};
pub use write::{to_string, to_writer};

/// The traits needed to parse and read values: `use arsenal_json::prelude::*;`.
pub mod prelude {
    pub use crate::{Document, JsonValue, Parser};
}

/// The compile-time default backend: simdjson when its feature is on, else yyjson.
#[cfg(feature = "simdjson")]
pub type DefaultParser = Simdjson;
/// The compile-time default backend: simdjson when its feature is on, else yyjson.
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

/// The backends compiled into this build, selectable at run time.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// simdjson (feature `simdjson`).
    #[cfg(feature = "simdjson")]
    Simdjson,
    /// yyjson (feature `yyjson`).
    #[cfg(feature = "yyjson")]
    Yyjson,
}

impl Backend {
    /// Every backend compiled in, in priority order (the first is the default).
    pub const ALL: &'static [Backend] = &[
        #[cfg(feature = "simdjson")]
        Backend::Simdjson,
        #[cfg(feature = "yyjson")]
        Backend::Yyjson,
    ];

    /// The backend's name, as used by features and [`Backend::from_name`].
    pub fn name(self) -> &'static str {
        match self {
            #[cfg(feature = "simdjson")]
            Backend::Simdjson => "simdjson",
            #[cfg(feature = "yyjson")]
            Backend::Yyjson => "yyjson",
        }
    }

    /// Looks a compiled-in backend up by name (case-insensitive).
    ///
    /// ```
    /// # #[cfg(feature = "yyjson")]
    /// assert_eq!(arsenal_json::Backend::from_name("YYJSON"), Some(arsenal_json::Backend::Yyjson));
    /// assert_eq!(arsenal_json::Backend::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Backend> {
        Backend::ALL
            .iter()
            .copied()
            .find(|b| b.name().eq_ignore_ascii_case(name))
    }

    /// Version of the linked C library.
    pub fn library_version(self) -> String {
        match self {
            #[cfg(feature = "simdjson")]
            Backend::Simdjson => Simdjson::version().to_owned(),
            #[cfg(feature = "yyjson")]
            Backend::Yyjson => Yyjson::version(),
        }
    }
}

impl Default for Backend {
    /// The same backend as [`DefaultParser`].
    fn default() -> Self {
        <DefaultParser as Parser>::BACKEND
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
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

/// Parses `json` with a backend chosen at run time and explicit limits.
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
