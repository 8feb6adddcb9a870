//! The backends: each parses a message head into byte ranges; everything else (strict
//! checks, body framing, chunked decoding) is shared, so verdicts do not depend on the
//! backend.

use crate::error::Result;
use crate::message::{Limits, RawHead};
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
    #[doc(hidden)]
    fn parse_head(
        &mut self,
        buf: &[u8],
        kind: HeadKind,
        limits: &Limits,
        raw: &mut RawHead,
    ) -> Result<Option<usize>>;

    #[doc(hidden)]
    fn reset(&mut self);
}
