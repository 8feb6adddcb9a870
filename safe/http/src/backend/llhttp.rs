//! llhttp backend (feature `llhttp`).
//!
//! llhttp is a streaming parser: it keeps its state between calls, so a head that
//! arrives in pieces is scanned once (each call executes only the new bytes). Spans
//! reported by its callbacks are recorded as offsets into the caller's buffer; parsing
//! pauses at the end of the head (`on_headers_complete` returns `HPE_PAUSED`), and the
//! body is framed by this crate. llhttp runs in its strict default mode, which enforces
//! the header syntax this crate requires, except for the Transfer-Encoding and
//! Content-Length combination rules, which this crate applies to every backend.

use super::record::Recorder;
use super::{sealed, HeadParser};
use crate::error::{Error, ErrorKind, Result};
use crate::message::{Header, Limits, RawHead};
use crate::validate::HeadKind;
use arsenal_llhttp_sys as sys;
use std::ffi::{c_char, c_int, CStr};

const NAME: &str = "llhttp";

/// The llhttp parser state, boxed so the pointers llhttp keeps (to its settings) and we
/// give it (to the recorder) stay valid when the owner moves.
pub struct LlhttpHead {
    parser: Box<sys::llhttp_t>,
    settings: Box<sys::llhttp_settings_t>,
    recorder: Box<Recorder>,
    kind: Option<HeadKind>,
    /// Bytes of the caller's buffer already executed.
    fed: usize,
}

// SAFETY: llhttp's parser is plain data with no thread affinity; the raw pointers inside
// point only into this value's own boxes, which move with it.
unsafe impl Send for LlhttpHead {}

impl std::fmt::Debug for LlhttpHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlhttpHead")
            .field("kind", &self.kind)
            .field("fed", &self.fed)
            .finish_non_exhaustive()
    }
}

super::record::recording_callbacks!(sys::llhttp_t);

// Panic-free by construction (`recording_callbacks!`).
unsafe extern "C" fn on_method(p: *mut sys::llhttp_t, at: *const c_char, len: usize) -> c_int {
    // SAFETY: called by llhttp_execute on our parser.
    unsafe { recorder(p) }.method(at, len);
    0
}

// Panic-free by construction, like the span callbacks (`recording_callbacks!`): no
// panic can unwind into the C library.
unsafe extern "C" fn on_headers_complete(p: *mut sys::llhttp_t) -> c_int {
    // SAFETY: called by llhttp_execute on our parser, which is live during the call.
    unsafe {
        let (major, minor, status) = ((*p).http_major, (*p).http_minor, (*p).status_code);
        recorder(p).headers_complete(major, minor, status);
    }
    sys::HPE_PAUSED as c_int
}

impl LlhttpHead {
    fn init(&mut self, kind: HeadKind) {
        let ty = match kind {
            HeadKind::Request => sys::HTTP_REQUEST,
            HeadKind::Response => sys::HTTP_RESPONSE,
        };
        // SAFETY: parser and settings are live boxes; llhttp keeps the settings pointer,
        // which stays valid as long as `self.settings` (never replaced).
        unsafe {
            sys::llhttp_init(&mut *self.parser, ty, &*self.settings);
            // Transfer-Encoding / Content-Length combinations are judged by this crate
            // for every backend (llhttp reports them at different points).
            let p: *mut sys::llhttp_t = &mut *self.parser;
            sys::llhttp_set_lenient_transfer_encoding(p, 1);
            sys::llhttp_set_lenient_chunked_length(p, 1);
        }
        self.kind = Some(kind);
    }

    fn error(&self, errno: sys::llhttp_errno, data: &[u8]) -> Error {
        let p: *const sys::llhttp_t = &*self.parser;
        // SAFETY: the parser is live; the reason is a static C string (or null); the
        // error position points into `data`, the buffer of the last execute call.
        let (reason, pos) = unsafe {
            let reason = sys::llhttp_get_error_reason(p);
            let reason = if reason.is_null() {
                String::new()
            } else {
                CStr::from_ptr(reason).to_string_lossy().into_owned()
            };
            (reason, sys::llhttp_get_error_pos(p))
        };
        let offset = if pos.is_null() {
            self.fed
        } else {
            self.fed + (pos as usize).saturating_sub(data.as_ptr() as usize)
        };
        if self.recorder.too_many_headers {
            return Error::new(
                ErrorKind::TooManyHeaders,
                offset,
                NAME,
                "more headers than max_headers",
            );
        }
        let kind = match errno {
            sys::HPE_INVALID_METHOD => ErrorKind::Method,
            sys::HPE_INVALID_VERSION => ErrorKind::Version,
            sys::HPE_INVALID_URL | sys::HPE_INVALID_STATUS | sys::HPE_INVALID_CONSTANT => {
                ErrorKind::StartLine
            }
            sys::HPE_INVALID_HEADER_TOKEN | sys::HPE_UNEXPECTED_SPACE => ErrorKind::Header,
            sys::HPE_CR_EXPECTED | sys::HPE_LF_EXPECTED => ErrorKind::BareLf,
            sys::HPE_INVALID_CONTENT_LENGTH
            | sys::HPE_UNEXPECTED_CONTENT_LENGTH
            | sys::HPE_INVALID_TRANSFER_ENCODING => ErrorKind::Framing,
            _ => ErrorKind::Other,
        };
        Error::new(kind, offset, NAME, reason)
    }
}

impl sealed::Sealed for LlhttpHead {}

impl HeadParser for LlhttpHead {
    const NAME: &'static str = NAME;
    const BACKEND: crate::Backend = crate::Backend::Llhttp;
    // llhttp runs in its strict (default) mode: it rejects bare LF, obs-fold and invalid
    // token and field characters in header lines by itself (its start-line parsing is
    // more tolerant, e.g. of repeated spaces, so that line is re-checked).
    const HEAD_CHECKS: crate::validate::HeadChecks = crate::validate::HeadChecks::StartLine;

    fn new(limits: &Limits) -> Result<Self> {
        let settings = sys::llhttp_settings_t {
            on_method: Some(on_method),
            on_url: Some(on_url),
            on_status: Some(on_status),
            on_header_field: Some(on_header_field),
            on_header_value: Some(on_header_value),
            on_headers_complete: Some(on_headers_complete),
            ..Default::default()
        };
        Ok(LlhttpHead {
            parser: Box::default(),
            settings: Box::new(settings),
            recorder: Box::new(Recorder::new(limits.max_headers)),
            kind: None,
            fed: 0,
        })
    }

    fn parse_head<'b>(
        &mut self,
        buf: &'b [u8],
        kind: HeadKind,
        limits: &Limits,
        raw: &mut RawHead,
        headers: &mut Vec<Header<'b>>,
    ) -> Result<Option<usize>> {
        if self.kind != Some(kind) || self.fed > buf.len() {
            self.reset();
            self.init(kind);
        }
        self.recorder.max_headers = limits.max_headers;
        let data = &buf[self.fed..];
        if data.is_empty() {
            return Ok(None);
        }
        self.recorder.set_base(data, self.fed);
        // The callbacks reach the recorder through `parser.data`. Derive that pointer
        // here, after the last access through the box (`set_base` above), and use only it
        // until the call returns: a pointer derived once at init would be invalidated by
        // those writes through the box under Stacked/Tree Borrows.
        self.parser.data = std::ptr::from_mut::<Recorder>(&mut self.recorder).cast();
        // SAFETY: the parser was initialised with our settings and recorder; `data` is
        // valid for its length during the call; callbacks only touch the recorder.
        let errno =
            unsafe { sys::llhttp_execute(&mut *self.parser, data.as_ptr().cast(), data.len()) };
        match errno {
            sys::HPE_OK => {
                self.fed = buf.len();
                Ok(None)
            }
            sys::HPE_PAUSED if self.recorder.head_complete => {
                // SAFETY: after a pause the error position is where parsing stopped,
                // inside `data` (right after the blank line ending the head).
                let pos = unsafe { sys::llhttp_get_error_pos(&*self.parser) };
                let head_len = self.fed + (pos as usize).saturating_sub(data.as_ptr() as usize);
                std::mem::swap(raw, &mut self.recorder.raw);
                raw.headers_into(buf, headers)?;
                Ok(Some(head_len))
            }
            errno => Err(self.error(errno, data)),
        }
    }

    fn reset(&mut self) {
        self.kind = None;
        self.fed = 0;
        self.recorder.restart();
    }
}
