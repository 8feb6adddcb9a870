//! Span recording shared by the callback-based backends (llhttp, http_parser): their
//! callbacks hand out pointers into the data of the running `execute` call; these are
//! turned into offsets into the caller's buffer.

use crate::message::RawHead;
use std::ffi::c_char;
use std::ops::Range;

/// What the callbacks record while a backend runs.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    /// Address of the data passed to the running `execute`, and its offset in the
    /// caller's buffer.
    pub base: usize,
    pub base_offset: usize,
    pub raw: RawHead,
    /// The last callback was a header value (the next field starts a new header).
    in_value: bool,
    pub max_headers: usize,
    pub too_many_headers: bool,
    pub head_complete: bool,
}

impl Recorder {
    /// A recorder allowing `max_headers` header fields.
    pub fn new(max_headers: usize) -> Self {
        Recorder {
            max_headers,
            ..Default::default()
        }
    }

    /// A recorder for a new message, keeping the allocations of `self`.
    pub fn restart(&mut self) {
        let max_headers = self.max_headers;
        let mut raw = std::mem::take(&mut self.raw);
        raw.clear();
        *self = Recorder {
            max_headers,
            raw,
            ..Default::default()
        };
    }

    /// Points spans at `data`, which starts at `offset` in the caller's buffer.
    pub fn set_base(&mut self, data: &[u8], offset: usize) {
        self.base = data.as_ptr() as usize;
        self.base_offset = offset;
    }

    // Everything below runs inside the C library's callbacks, where a panic must not
    // unwind: it is panic-free by construction (wrapping arithmetic on spans the library
    // guarantees to lie inside the data; no indexing; fallible reservation instead of a
    // growing push), so there is nothing to catch. See `recording_callbacks!`.

    #[inline]
    fn span(&self, at: *const c_char, len: usize) -> Range<usize> {
        let start = self
            .base_offset
            .wrapping_add((at as usize).wrapping_sub(self.base));
        start..start.wrapping_add(len)
    }

    #[cfg_attr(not(feature = "llhttp"), allow(dead_code))] // http_parser has no method span
    #[inline]
    pub fn method(&mut self, at: *const c_char, len: usize) {
        let span = self.span(at, len);
        extend(&mut self.raw.method, span);
    }

    #[inline]
    pub fn url(&mut self, at: *const c_char, len: usize) {
        let span = self.span(at, len);
        extend(&mut self.raw.target, span);
    }

    #[inline]
    pub fn status(&mut self, at: *const c_char, len: usize) {
        let span = self.span(at, len);
        extend(&mut self.raw.reason, span);
    }

    /// A piece of a header name; `false` when the header limit is exceeded.
    #[inline]
    pub fn header_field(&mut self, at: *const c_char, len: usize) -> bool {
        let span = self.span(at, len);
        if self.in_value || self.raw.headers.is_empty() {
            if self.raw.headers.len() == self.max_headers
                || self.raw.headers.try_reserve(1).is_err()
            {
                self.too_many_headers = true;
                return false;
            }
            self.raw.headers.push((span.clone(), span.end..span.end));
            self.in_value = false;
        } else if let Some((name, value)) = self.raw.headers.last_mut() {
            name.end = span.end;
            *value = span.end..span.end;
        }
        true
    }

    /// A piece of a header value.
    #[inline]
    pub fn header_value(&mut self, at: *const c_char, len: usize) {
        let span = self.span(at, len);
        if let Some((_, value)) = self.raw.headers.last_mut() {
            if self.in_value {
                value.end = span.end;
            } else {
                *value = span;
            }
        }
        self.in_value = true;
    }

    /// The head is complete.
    pub fn headers_complete(&mut self, major: u8, minor: u8, status: u16) {
        self.head_complete = true;
        self.raw.major_version = major;
        self.raw.minor_version = minor;
        self.raw.status = status;
    }
}

/// Extends a span by a contiguous piece (the first piece sets it).
fn extend(range: &mut Range<usize>, span: Range<usize>) {
    if range.start == range.end && range.start == 0 {
        *range = span;
    } else {
        range.end = span.end;
    }
}

/// Defines, for a C parser type `$parser` whose `data` field points at a [`Recorder`],
/// the accessor `recorder(p)` and the span callbacks `on_url`, `on_status`,
/// `on_header_field` and `on_header_value` (shared by llhttp and http_parser, whose
/// callback signatures differ only in the parser type).
///
/// No panic may unwind out of these `extern "C"` functions (from Rust 1.81 that aborts
/// the process): they only call the [`Recorder`] methods, which are panic-free by
/// construction, so no `catch_unwind` is needed on this hot path.
macro_rules! recording_callbacks {
    ($parser:ty) => {
        /// Recovers the recorder from the parser's user pointer.
        ///
        /// # Safety
        /// `p` must be our parser, whose `data` points at its live `Recorder`, called from
        /// inside the library's `execute`.
        unsafe fn recorder<'a>(p: *mut $parser) -> &'a mut $crate::backend::record::Recorder {
            // SAFETY: per the contract `data` is the recorder, and no other reference to
            // it is alive while the library runs a callback.
            unsafe { &mut *(*p).data.cast::<$crate::backend::record::Recorder>() }
        }

        unsafe extern "C" fn on_url(
            p: *mut $parser,
            at: *const std::ffi::c_char,
            len: usize,
        ) -> std::ffi::c_int {
            // SAFETY: called by the library's execute on our parser.
            unsafe { recorder(p) }.url(at, len);
            0
        }

        unsafe extern "C" fn on_status(
            p: *mut $parser,
            at: *const std::ffi::c_char,
            len: usize,
        ) -> std::ffi::c_int {
            // SAFETY: called by the library's execute on our parser.
            unsafe { recorder(p) }.status(at, len);
            0
        }

        unsafe extern "C" fn on_header_field(
            p: *mut $parser,
            at: *const std::ffi::c_char,
            len: usize,
        ) -> std::ffi::c_int {
            // SAFETY: called by the library's execute on our parser. Non-zero stops it.
            if unsafe { recorder(p) }.header_field(at, len) {
                0
            } else {
                -1
            }
        }

        unsafe extern "C" fn on_header_value(
            p: *mut $parser,
            at: *const std::ffi::c_char,
            len: usize,
        ) -> std::ffi::c_int {
            // SAFETY: called by the library's execute on our parser.
            unsafe { recorder(p) }.header_value(at, len);
            0
        }
    };
}
pub(crate) use recording_callbacks;
