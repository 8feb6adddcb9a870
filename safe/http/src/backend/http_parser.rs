//! http_parser backend (feature `http_parser`): Node.js's parser before llhttp, from
//! Debian's `libhttp-parser-dev` (2.9.x).
//!
//! Streaming like llhttp: a head arriving in pieces is scanned once; parsing pauses at
//! the end of the head and the body is framed by this crate. Debian builds the library
//! with `HTTP_PARSER_STRICT=0` (it accepts a space before a header's colon, for
//! instance), so every head is re-checked byte by byte by this crate.
//!
//! Debian's build keeps the library's `assert`s: pausing a parser that is in an error
//! state aborts. This backend only pauses from `on_headers_complete`, where the parser
//! has no error.

use super::record::Recorder;
use super::{sealed, HeadParser};
use crate::error::{Error, ErrorKind, Result};
use crate::message::{Header, Limits, RawHead};
use crate::validate::HeadKind;
use arsenal_http_parser_sys as sys;
use std::ffi::{c_int, CStr};

const NAME: &str = "http_parser";

/// The http_parser state, boxed so the recorder pointer it carries stays valid.
pub struct HttpParserHead {
    parser: Box<sys::http_parser>,
    settings: sys::http_parser_settings,
    recorder: Box<Recorder>,
    kind: Option<HeadKind>,
    fed: usize,
}

// SAFETY: http_parser is plain data with no thread affinity (the only global, the
// maximum header size, is never written by this crate); its `data` pointer points into
// this value's own box, which moves with it.
unsafe impl Send for HttpParserHead {}

impl std::fmt::Debug for HttpParserHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpParserHead")
            .field("kind", &self.kind)
            .field("fed", &self.fed)
            .finish_non_exhaustive()
    }
}

super::record::recording_callbacks!(sys::http_parser);

// Panic-free by construction, like the span callbacks (`recording_callbacks!`): no
// panic can unwind into the C library.
unsafe extern "C" fn on_headers_complete(p: *mut sys::http_parser) -> c_int {
    // SAFETY: called by http_parser_execute on our live parser, which has no error here
    // (so pausing does not trip the library's assert).
    unsafe {
        record_head_end(&*p, recorder(p));
        sys::http_parser_pause(p, 1);
    }
    0
}

/// Records the version and status http_parser found once the head is complete.
fn record_head_end(parser: &sys::http_parser, recorder: &mut Recorder) {
    recorder.headers_complete(
        u8::try_from(parser.http_major).unwrap_or(u8::MAX),
        u8::try_from(parser.http_minor).unwrap_or(u8::MAX),
        u16::try_from(parser.status_code()).unwrap_or(u16::MAX),
    );
}

impl HttpParserHead {
    /// Hands the recorded head (ending at `head_len`) to the engine.
    fn complete<'b>(
        &mut self,
        buf: &'b [u8],
        head_len: usize,
        kind: HeadKind,
        raw: &mut RawHead,
        headers: &mut Vec<Header<'b>>,
    ) -> Result<Option<usize>> {
        std::mem::swap(raw, &mut self.recorder.raw);
        if kind == HeadKind::Request {
            // http_parser reports the method as an enum, not a span: it is the request
            // line up to the first space (the start line is re-checked).
            let line = buf.get(..head_len).unwrap_or(buf);
            raw.method = 0..line.iter().position(|&b| b == b' ').unwrap_or(0);
        }
        raw.headers_into(buf, headers)?;
        Ok(Some(head_len))
    }

    fn init(&mut self, kind: HeadKind) {
        let ty = match kind {
            HeadKind::Request => sys::HTTP_REQUEST,
            HeadKind::Response => sys::HTTP_RESPONSE,
        };
        // SAFETY: the parser is a live box (`data` is set right before each execute).
        unsafe { sys::http_parser_init(&mut *self.parser, ty) };
        // Framing is decided by this crate; http_parser's own Content-Length /
        // Transfer-Encoding check matches header names by prefix
        // (`Transfer-Encodingx` counts as Transfer-Encoding), so leave it out.
        self.parser.set_allow_chunked_length(1);
        self.kind = Some(kind);
    }
}

impl sealed::Sealed for HttpParserHead {}

impl HeadParser for HttpParserHead {
    const NAME: &'static str = NAME;
    const BACKEND: crate::Backend = crate::Backend::HttpParser;
    // Built non-strict by Debian (it takes CR + any byte as a line end, control bytes at
    // the start of a value, spaces in names): the whole head is re-checked.
    const HEAD_CHECKS: crate::validate::HeadChecks = crate::validate::HeadChecks::All;

    fn new(limits: &Limits) -> Result<Self> {
        let settings = sys::http_parser_settings {
            on_url: Some(on_url),
            on_status: Some(on_status),
            on_header_field: Some(on_header_field),
            on_header_value: Some(on_header_value),
            on_headers_complete: Some(on_headers_complete),
            ..Default::default()
        };
        Ok(HttpParserHead {
            parser: Box::default(),
            settings,
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
        // SAFETY: the parser was initialised and carries our recorder; `data` is valid
        // for its length during the call; the settings outlive the call.
        let consumed = unsafe {
            sys::http_parser_execute(
                &mut *self.parser,
                &self.settings,
                data.as_ptr().cast(),
                data.len(),
            )
        };
        let errno = self.parser.http_errno();
        if errno == sys::HPE_PAUSED && self.recorder.head_complete {
            // Pausing in on_headers_complete returns before the head's final LF is
            // counted (http_parser's `RETURN(p - data)` there): include it.
            let mut head_len = self.fed + consumed;
            if buf.get(head_len) == Some(&b'\n') {
                head_len += 1;
            }
            return self.complete(buf, head_len, kind, raw, headers);
        }
        if matches!(
            errno,
            sys::HPE_UNEXPECTED_CONTENT_LENGTH | sys::HPE_INVALID_TRANSFER_ENCODING
        ) {
            // http_parser's own framing check, made at the end of the head (and matching
            // header names by prefix): framing is this crate's job, so take the head as
            // complete and let the shared rules decide.
            let from = (self.fed + consumed).saturating_sub(3);
            if let Some(end) = memchr::memmem::find(&buf[from..], b"\r\n\r\n") {
                record_head_end(&self.parser, &mut self.recorder);
                return self.complete(buf, from + end + 4, kind, raw, headers);
            }
        }
        if errno == sys::HPE_OK && consumed == data.len() {
            self.fed = buf.len();
            return Ok(None);
        }
        let offset = self.fed + consumed;
        if self.recorder.too_many_headers {
            return Err(Error::new(
                ErrorKind::TooManyHeaders,
                offset,
                NAME,
                "more headers than max_headers",
            ));
        }
        // SAFETY: `errno` is a valid http_errno value read from the parser, so the
        // library's lookup (which asserts on out-of-range values) is in bounds.
        let reason = unsafe { CStr::from_ptr(sys::http_errno_description(errno)) }
            .to_string_lossy()
            .into_owned();
        let kind = match errno {
            sys::HPE_INVALID_METHOD => ErrorKind::Method,
            sys::HPE_INVALID_VERSION => ErrorKind::Version,
            sys::HPE_INVALID_URL
            | sys::HPE_INVALID_HOST
            | sys::HPE_INVALID_PORT
            | sys::HPE_INVALID_PATH
            | sys::HPE_INVALID_QUERY_STRING
            | sys::HPE_INVALID_FRAGMENT
            | sys::HPE_INVALID_STATUS
            | sys::HPE_INVALID_CONSTANT => ErrorKind::StartLine,
            sys::HPE_INVALID_HEADER_TOKEN => ErrorKind::Header,
            sys::HPE_LF_EXPECTED | sys::HPE_STRICT => ErrorKind::BareLf,
            sys::HPE_HEADER_OVERFLOW => ErrorKind::HeadTooLarge,
            sys::HPE_INVALID_CONTENT_LENGTH
            | sys::HPE_UNEXPECTED_CONTENT_LENGTH
            | sys::HPE_INVALID_TRANSFER_ENCODING => ErrorKind::Framing,
            _ => ErrorKind::Other,
        };
        Err(Error::new(kind, offset, NAME, reason))
    }

    fn reset(&mut self) {
        self.kind = None;
        self.fed = 0;
        self.recorder.restart();
    }
}
