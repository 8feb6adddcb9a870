//! The backends: each parses a message head into byte ranges; everything else (strict
//! checks, body framing, chunked decoding) is shared, so verdicts do not depend on the
//! backend.

use crate::error::Result;
use crate::message::{Header, Limits, RawHead};
use crate::validate::HeadKind;

#[cfg(feature = "http_parser")]
pub mod http_parser;
#[cfg(feature = "llhttp")]
pub mod llhttp;
#[cfg(feature = "picohttpparser")]
pub mod picohttpparser;
#[cfg(any(feature = "llhttp", feature = "http_parser"))]
mod record;

mod sealed {
    pub trait Sealed {}
}

/// A C library that parses HTTP/1.x message heads. Implemented by this crate's backend
/// types only (sealed); use it through [`HttpParser`](crate::HttpParser).
pub trait HeadParser: sealed::Sealed + Sized + std::fmt::Debug {
    /// The backend's name.
    const NAME: &'static str;
    /// The run-time handle of this backend.
    const BACKEND: crate::Backend;
    /// What this crate re-checks after the backend accepted a head: the rules the
    /// backend does not enforce itself, so that every backend gives the same verdicts.
    #[doc(hidden)]
    const HEAD_CHECKS: crate::validate::HeadChecks;

    #[doc(hidden)]
    fn new(limits: &Limits) -> Result<Self>;

    /// Parses the head at the start of `buf`; `Some(head_len)` when the blank line ending
    /// it has been seen. `buf` extends the previous call's buffer unless `reset` ran since.
    /// On `Some`, the start line is in `raw` and the header fields are appended to
    /// `headers` (values without surrounding whitespace), in one pass over the backend's
    /// own output: the engine hands that vector to the caller as it is.
    #[doc(hidden)]
    fn parse_head<'b>(
        &mut self,
        buf: &'b [u8],
        kind: HeadKind,
        limits: &Limits,
        raw: &mut RawHead,
        headers: &mut Vec<Header<'b>>,
    ) -> Result<Option<usize>>;

    #[doc(hidden)]
    fn reset(&mut self);
}
