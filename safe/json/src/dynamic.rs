//! Run-time backend choice: an owned document and a value enum over all backends.

use crate::error::Result;
use crate::value::{JsonValue, Kind, Number};
use crate::{Backend, Document, ParseOptions, Parser};
use std::fmt;

#[cfg(feature = "simdjson")]
use crate::backend::simdjson::{
    Simdjson, SimdjsonArrayIter, SimdjsonDoc, SimdjsonObjectIter, SimdjsonValue,
};
#[cfg(feature = "yyjson")]
use crate::backend::yyjson::{Yyjson, YyjsonArrayIter, YyjsonDoc, YyjsonObjectIter, YyjsonValue};

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
    /// Parses `json` with `backend` and `options`.
    pub fn parse(backend: Backend, json: &[u8], options: &ParseOptions) -> Result<Self> {
        let inner = match backend {
            #[cfg(feature = "simdjson")]
            Backend::Simdjson => {
                let mut parser = Simdjson::with_options(options.clone())?;
                let parts = parser.parse(json)?.into_raw_parts();
                Inner::Simdjson { parser, parts }
            }
            #[cfg(feature = "yyjson")]
            Backend::Yyjson => {
                let mut parser = Yyjson::with_options(options.clone())?;
                let doc = parser.parse(json)?.into_owned();
                Inner::Yyjson(doc)
            }
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
