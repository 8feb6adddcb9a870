//! Run-time backend choice: a parser, a document and a value enum over all backends,
//! and an owned document.

use crate::error::{Error, ErrorKind, Result};
use crate::value::{JsonValue, Kind, Number};
use crate::{Backend, Document, PaddedBytes, ParseOptions, Parser};
use std::fmt;

#[cfg(feature = "simdjson")]
use crate::backend::simdjson::{
    Simdjson, SimdjsonArrayIter, SimdjsonDoc, SimdjsonObjectIter, SimdjsonValue,
};
#[cfg(feature = "yyjson")]
use crate::backend::yyjson::{Yyjson, YyjsonArrayIter, YyjsonDoc, YyjsonObjectIter, YyjsonValue};

/// A parser of any backend, chosen at run time: what a [`Backend`] value turns into
/// ([`Backend::parser`], [`AnyParser::new`]).
///
/// It has the methods of the [`Parser`] trait, dispatched on the backend (one `match`
/// per parse, none per value beyond [`AnyValue`]'s). It does not implement the trait,
/// whose `BACKEND` constant and `with_options(options)` constructor name one backend at
/// compile time. Reuse one per thread, as with the backend types: simdjson keeps its
/// buffers between parses.
///
/// ```
/// use arsenal_json::{AnyParser, Backend, Document, JsonValue, ParseOptions};
/// let backend: Backend = std::env::var("JSON_BACKEND").ok()
///     .and_then(|name| name.parse().ok())
///     .unwrap_or_default();
/// let mut parser = AnyParser::with_options(backend, ParseOptions::default().max_depth(64))?;
/// assert_eq!(parser.backend(), backend);
/// for input in [&b"[1, 2, 3]"[..], b"[4, 5]"] {
///     let doc = parser.parse(input)?;
///     assert!(doc.root().len().is_some());
/// }
/// # Ok::<(), arsenal_json::Error>(())
/// ```
#[derive(Debug)]
pub enum AnyParser {
    /// A simdjson parser.
    #[cfg(feature = "simdjson")]
    Simdjson(Simdjson),
    /// A yyjson parser.
    #[cfg(feature = "yyjson")]
    Yyjson(Yyjson),
}

impl AnyParser {
    /// A parser of `backend` with [`ParseOptions::default`]; fails with
    /// [`ErrorKind::Unavailable`] when `backend` is not compiled in.
    ///
    /// ```
    /// let parser = arsenal_json::AnyParser::new(arsenal_json::Backend::default())?;
    /// assert_eq!(parser.backend(), arsenal_json::Backend::default());
    /// # Ok::<(), arsenal_json::Error>(())
    /// ```
    pub fn new(backend: Backend) -> Result<Self> {
        Self::with_options(backend, ParseOptions::default())
    }

    /// A parser of `backend` with the given limits; fails with
    /// [`ErrorKind::Unavailable`] when `backend` is not compiled in.
    ///
    /// ```
    /// use arsenal_json::{AnyParser, Backend, ErrorKind, ParseOptions};
    /// let mut parser = AnyParser::with_options(Backend::default(), ParseOptions::default().max_depth(2))?;
    /// assert_eq!(parser.parse(b"[[[1]]]").unwrap_err().kind(), ErrorKind::Depth);
    /// # Ok::<(), arsenal_json::Error>(())
    /// ```
    pub fn with_options(backend: Backend, options: ParseOptions) -> Result<Self> {
        match backend {
            #[cfg(feature = "simdjson")]
            Backend::Simdjson => Simdjson::with_options(options).map(AnyParser::Simdjson),
            #[cfg(feature = "yyjson")]
            Backend::Yyjson => Yyjson::with_options(options).map(AnyParser::Yyjson),
            #[allow(unreachable_patterns)] // a backend whose feature is off
            _ => Err(unavailable(backend)),
        }
    }

    /// The backend this parser runs.
    pub fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "simdjson")]
            AnyParser::Simdjson(_) => Backend::Simdjson,
            #[cfg(feature = "yyjson")]
            AnyParser::Yyjson(_) => Backend::Yyjson,
        }
    }

    /// Parses `json`, as [`Parser::parse`].
    ///
    /// ```
    /// use arsenal_json::{Document, JsonValue};
    /// let mut parser = arsenal_json::Backend::default().parser()?;
    /// let doc = parser.parse(br#"{"k": "v"}"#)?;
    /// assert_eq!(doc.root().get("k").and_then(|v| v.as_str()), Some("v"));
    /// # Ok::<(), arsenal_json::Error>(())
    /// ```
    pub fn parse<'p>(&'p mut self, json: &'p [u8]) -> Result<AnyDocument<'p>> {
        match self {
            #[cfg(feature = "simdjson")]
            AnyParser::Simdjson(p) => p.parse(json).map(AnyDocument::Simdjson),
            #[cfg(feature = "yyjson")]
            AnyParser::Yyjson(p) => p.parse(json).map(AnyDocument::Yyjson),
        }
    }

    /// Parses a [`PaddedBytes`] buffer, as [`Parser::parse_padded`] (simdjson skips its
    /// input copy).
    ///
    /// ```
    /// use arsenal_json::{Document, JsonValue, PaddedBytes};
    /// let input = PaddedBytes::from_vec(b"[1, 2]".to_vec());
    /// let mut parser = arsenal_json::Backend::default().parser()?;
    /// assert_eq!(parser.parse_padded(&input)?.root().len(), Some(2));
    /// # Ok::<(), arsenal_json::Error>(())
    /// ```
    pub fn parse_padded<'p>(&'p mut self, json: &'p PaddedBytes) -> Result<AnyDocument<'p>> {
        match self {
            #[cfg(feature = "simdjson")]
            AnyParser::Simdjson(p) => p.parse_padded(json).map(AnyDocument::Simdjson),
            #[cfg(feature = "yyjson")]
            AnyParser::Yyjson(p) => p.parse_padded(json).map(AnyDocument::Yyjson),
        }
    }

    /// The limits this parser applies.
    pub fn options(&self) -> &ParseOptions {
        match self {
            #[cfg(feature = "simdjson")]
            AnyParser::Simdjson(p) => p.options(),
            #[cfg(feature = "yyjson")]
            AnyParser::Yyjson(p) => p.options(),
        }
    }
}

/// The error for a backend this build does not have.
#[cold]
fn unavailable(backend: Backend) -> Error {
    let available: Vec<&str> = Backend::available().iter().map(|b| b.name()).collect();
    Error::new(
        ErrorKind::Unavailable,
        backend.name(),
        format!(
            "arsenal-json was built without the `{backend}` feature (available: {})",
            available.join(", ")
        ),
    )
}

/// A document parsed by an [`AnyParser`]; borrows the parser (and, for yyjson, nothing
/// else). Its values are [`AnyValue`]s.
#[derive(Debug)]
pub enum AnyDocument<'p> {
    /// A simdjson document.
    #[cfg(feature = "simdjson")]
    Simdjson(SimdjsonDoc<'p>),
    /// A yyjson document.
    #[cfg(feature = "yyjson")]
    Yyjson(YyjsonDoc<'p>),
}

impl<'p> Document for AnyDocument<'p> {
    type Value<'d>
        = AnyValue<'d>
    where
        Self: 'd;

    fn root(&self) -> AnyValue<'_> {
        match self {
            #[cfg(feature = "simdjson")]
            AnyDocument::Simdjson(doc) => AnyValue::Simdjson(doc.root()),
            #[cfg(feature = "yyjson")]
            AnyDocument::Yyjson(doc) => AnyValue::Yyjson(doc.root()),
        }
    }
}

/// A parsed document that owns everything it needs (including, for simdjson, the
/// parser whose buffers hold the document), whatever the backend.
///
/// Returned by [`parse`](crate::parse), [`parse_with`](crate::parse_with) and
/// [`parse_with_options`](crate::parse_with_options). Values dispatch on the backend
/// at run time ([`AnyValue`]); for the last few percent of speed use a backend type
/// directly.
pub struct OwnedDocument {
    inner: Inner,
}

enum Inner {
    #[cfg(feature = "simdjson")]
    Simdjson {
        parser: Simdjson,
        parts: crate::backend::simdjson::RawParts,
    },
    #[cfg(feature = "yyjson")]
    Yyjson(YyjsonDoc<'static>),
}

// SAFETY: both variants are Send: `Simdjson` is Send (see its impl) and the raw parts
// point into buffers owned by that parser, which move with it; `YyjsonDoc` is Send.
unsafe impl Send for OwnedDocument {}
// SAFETY: everything reachable through `&OwnedDocument` is read-only: `root()` only reads
// the finished tape / value pool, and the simdjson parser is never called again after
// the parse that built the document; yyjson documents are safe to read concurrently.
unsafe impl Sync for OwnedDocument {}

impl fmt::Debug for OwnedDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedDocument")
            .field("backend", &self.backend())
            .finish_non_exhaustive()
    }
}

impl OwnedDocument {
    /// Parses `json` with `backend` and `options`; fails with [`ErrorKind::Unavailable`]
    /// when `backend` is not compiled in.
    ///
    /// ```
    /// use arsenal_json::{Backend, OwnedDocument, ParseOptions};
    /// let doc = OwnedDocument::parse(Backend::default(), b"{}", &ParseOptions::default())?;
    /// assert_eq!(doc.backend(), Backend::default());
    /// # Ok::<(), arsenal_json::Error>(())
    /// ```
    pub fn parse(backend: Backend, json: &[u8], options: &ParseOptions) -> Result<Self> {
        let inner = match AnyParser::with_options(backend, options.clone())? {
            #[cfg(feature = "simdjson")]
            AnyParser::Simdjson(mut parser) => {
                let parts = parser.parse(json)?.into_raw_parts();
                Inner::Simdjson { parser, parts }
            }
            #[cfg(feature = "yyjson")]
            AnyParser::Yyjson(mut parser) => Inner::Yyjson(parser.parse(json)?.into_owned()),
        };
        Ok(OwnedDocument { inner })
    }

    /// The backend that parsed this document.
    pub fn backend(&self) -> Backend {
        match &self.inner {
            #[cfg(feature = "simdjson")]
            Inner::Simdjson { .. } => Backend::Simdjson,
            #[cfg(feature = "yyjson")]
            Inner::Yyjson(_) => Backend::Yyjson,
        }
    }

    /// The top-level value.
    pub fn root(&self) -> AnyValue<'_> {
        match &self.inner {
            #[cfg(feature = "simdjson")]
            Inner::Simdjson { parser, parts } => {
                // SAFETY: `parts` came from the last successful parse of `parser`, which
                // has not parsed since (we own it and never call it again), and the
                // borrow of `self` keeps both alive.
                let doc: SimdjsonDoc<'_> = unsafe { SimdjsonDoc::from_raw_parts(parts, parser) };
                AnyValue::Simdjson(doc.root_detached())
            }
            #[cfg(feature = "yyjson")]
            Inner::Yyjson(doc) => AnyValue::Yyjson(doc.root()),
        }
    }
}

impl Document for OwnedDocument {
    type Value<'d> = AnyValue<'d>;
    fn root(&self) -> AnyValue<'_> {
        OwnedDocument::root(self)
    }
}

/// A value of any backend (run-time dispatch).
#[derive(Clone, Copy, Debug)]
pub enum AnyValue<'d> {
    /// A simdjson value.
    #[cfg(feature = "simdjson")]
    Simdjson(SimdjsonValue<'d>),
    /// A yyjson value.
    #[cfg(feature = "yyjson")]
    Yyjson(YyjsonValue<'d>),
}

/// Iterator over an [`AnyValue`] array.
#[derive(Debug, Clone)]
pub enum AnyArrayIter<'d> {
    /// simdjson's.
    #[cfg(feature = "simdjson")]
    Simdjson(SimdjsonArrayIter<'d>),
    /// yyjson's.
    #[cfg(feature = "yyjson")]
    Yyjson(YyjsonArrayIter<'d>),
}

/// Iterator over an [`AnyValue`] object.
#[derive(Debug, Clone)]
pub enum AnyObjectIter<'d> {
    /// simdjson's.
    #[cfg(feature = "simdjson")]
    Simdjson(SimdjsonObjectIter<'d>),
    /// yyjson's.
    #[cfg(feature = "yyjson")]
    Yyjson(YyjsonObjectIter<'d>),
}

macro_rules! dispatch {
    ($self:expr, $v:ident => $e:expr) => {
        match $self {
            #[cfg(feature = "simdjson")]
            AnyValue::Simdjson($v) => $e,
            #[cfg(feature = "yyjson")]
            AnyValue::Yyjson($v) => $e,
        }
    };
}

impl<'d> Iterator for AnyArrayIter<'d> {
    type Item = AnyValue<'d>;
    #[inline]
    fn next(&mut self) -> Option<AnyValue<'d>> {
        match self {
            #[cfg(feature = "simdjson")]
            AnyArrayIter::Simdjson(it) => it.next().map(AnyValue::Simdjson),
            #[cfg(feature = "yyjson")]
            AnyArrayIter::Yyjson(it) => it.next().map(AnyValue::Yyjson),
        }
    }
}

impl<'d> Iterator for AnyObjectIter<'d> {
    type Item = (&'d str, AnyValue<'d>);
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            #[cfg(feature = "simdjson")]
            AnyObjectIter::Simdjson(it) => it.next().map(|(k, v)| (k, AnyValue::Simdjson(v))),
            #[cfg(feature = "yyjson")]
            AnyObjectIter::Yyjson(it) => it.next().map(|(k, v)| (k, AnyValue::Yyjson(v))),
        }
    }
}

impl<'d> JsonValue<'d> for AnyValue<'d> {
    type ArrayIter = AnyArrayIter<'d>;
    type ObjectIter = AnyObjectIter<'d>;

    #[inline]
    fn kind(&self) -> Kind {
        dispatch!(self, v => v.kind())
    }
    #[inline]
    fn as_bool(&self) -> Option<bool> {
        dispatch!(self, v => v.as_bool())
    }
    #[inline]
    fn as_number(&self) -> Option<Number> {
        dispatch!(self, v => v.as_number())
    }
    #[inline]
    fn as_str(&self) -> Option<&'d str> {
        dispatch!(self, v => v.as_str())
    }
    #[inline]
    fn array_iter(&self) -> Option<AnyArrayIter<'d>> {
        match self {
            #[cfg(feature = "simdjson")]
            AnyValue::Simdjson(v) => v.array_iter().map(AnyArrayIter::Simdjson),
            #[cfg(feature = "yyjson")]
            AnyValue::Yyjson(v) => v.array_iter().map(AnyArrayIter::Yyjson),
        }
    }
    #[inline]
    fn object_iter(&self) -> Option<AnyObjectIter<'d>> {
        match self {
            #[cfg(feature = "simdjson")]
            AnyValue::Simdjson(v) => v.object_iter().map(AnyObjectIter::Simdjson),
            #[cfg(feature = "yyjson")]
            AnyValue::Yyjson(v) => v.object_iter().map(AnyObjectIter::Yyjson),
        }
    }
    #[inline]
    fn len(&self) -> Option<usize> {
        dispatch!(self, v => v.len())
    }
}
