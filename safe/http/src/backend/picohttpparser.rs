//! picohttpparser backend (feature `picohttpparser`), from the crates.io crate
//! `picohttpparser-sys` (which bundles the C source; used with its `sse4` feature off,
//! see the workspace `Cargo.toml`).
//!
//! picohttpparser is stateless: a head that arrives in pieces is re-scanned, with its
//! `last_len` hint to find the end quickly. It tolerates bare LF and obs-fold and
//! accepts any token as a method, so every head is re-checked byte by byte by this crate.

use super::{sealed, HeadParser};
use crate::error::{Error, ErrorKind, Result};
use crate::message::{Header, Limits, RawHead};
use crate::validate::HeadKind;
use picohttpparser_sys as sys;
use std::ffi::{c_char, c_int};

const NAME: &str = "picohttpparser";

/// Header slots allocated up front (the array grows with the head, up to the limit).
const INITIAL_HEADERS: usize = 64;

/// picohttpparser's header array and resume hint.
#[derive(Debug)]
pub struct PicoHead {
    headers: Vec<sys::phr_header>,
    last_len: usize,
}

// SAFETY: the header array holds raw pointers into the caller's buffer only between a
// parse call and the copy into ranges that follows it; nothing is shared across threads.
unsafe impl Send for PicoHead {}

impl sealed::Sealed for PicoHead {}

impl HeadParser for PicoHead {
    const NAME: &'static str = NAME;
    const BACKEND: crate::Backend = crate::Backend::Picohttpparser;
    // Line endings and obs-fold are checked in `parse_head`, from the spans.
    const HEAD_CHECKS: crate::validate::HeadChecks = crate::validate::HeadChecks::StartLine;

    fn new(limits: &Limits) -> Result<Self> {
        Ok(PicoHead {
            headers: vec![sys::phr_header::default(); limits.max_headers.min(INITIAL_HEADERS)],
            last_len: 0,
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
        // picohttpparser returns the head length as an `int`: never give it more than
        // the head limit (plus the byte that shows the limit is exceeded).
        let len = buf
            .len()
            .min(limits.max_head_len.saturating_add(1))
            .min(i32::MAX as usize);
        let input = &buf[..len];
        // The header array holds max_headers entries, but never more than `len` bytes
        // could fill (a header line takes at least two bytes), so a huge limit
        // (`usize::MAX`) costs nothing until a head that large arrives; when the array
        // is full, the limit itself was reached.
        let want = limits.max_headers.min(len / 2 + 1);
        if self.headers.len() < want || self.headers.len() > limits.max_headers {
            self.headers.resize(want, sys::phr_header::default());
        }
        if self.last_len > len {
            self.last_len = 0;
        }
        let base = input.as_ptr() as usize;
        let offset = |p: *const c_char, n: usize| {
            let start = (p as usize).wrapping_sub(base);
            start..start + n
        };
        let mut num_headers = self.headers.len();
        let mut minor: c_int = -1;
        let ret;
        raw.clear();
        match kind {
            HeadKind::Request => {
                let (mut method, mut method_len) = (std::ptr::null(), 0);
                let (mut path, mut path_len) = (std::ptr::null(), 0);
                // SAFETY: all pointers are valid out-parameters or the input slice;
                // `headers` has room for `num_headers` entries.
                ret = unsafe {
                    sys::phr_parse_request(
                        input.as_ptr().cast(),
                        input.len(),
                        &mut method,
                        &mut method_len,
                        &mut path,
                        &mut path_len,
                        &mut minor,
                        self.headers.as_mut_ptr(),
                        &mut num_headers,
                        self.last_len,
                    )
                };
                if ret > 0 {
                    raw.method = offset(method, method_len);
                    raw.target = offset(path, path_len);
                }
            }
            HeadKind::Response => {
                let (mut status, mut msg, mut msg_len): (c_int, *const c_char, usize) =
                    (0, std::ptr::null(), 0);
                // SAFETY: as above.
                ret = unsafe {
                    sys::phr_parse_response(
                        input.as_ptr().cast(),
                        input.len(),
                        &mut minor,
                        &mut status,
                        &mut msg,
                        &mut msg_len,
                        self.headers.as_mut_ptr(),
                        &mut num_headers,
                        self.last_len,
                    )
                };
                if ret > 0 {
                    raw.status = u16::try_from(status).unwrap_or(0);
                    raw.reason = if msg.is_null() {
                        0..0
                    } else {
                        offset(msg, msg_len)
                    };
                }
            }
        }
        match ret {
            -2 => {
                self.last_len = len;
                Ok(None)
            }
            n if n > 0 => {
                let head_len = n as usize;
                self.last_len = 0;
                raw.major_version = 1;
                raw.minor_version = u8::try_from(minor).unwrap_or(u8::MAX);
                // picohttpparser checked every name (tchar, then a colon) and every value
                // byte; it also takes a bare LF as a line end and a line starting with
                // whitespace as a continuation (obs-fold, reported with a null name).
                // Hold it to CRLF here, from its spans: after each value only optional
                // whitespace and CRLF may follow, a few bytes per line, instead of
                // re-reading the whole head. The start line is checked by the caller.
                // Each field goes straight to the caller's slices (picohttpparser skips
                // the whitespace before a value; this version keeps the trailing one).
                let mut line_start = None;
                let fields = self.headers.get(..num_headers).unwrap_or_default();
                if headers.capacity() == 0 {
                    *headers = Vec::with_capacity(fields.len()); // one allocation, no growth
                } else {
                    headers.reserve_exact(fields.len());
                }
                let head = input.get(..head_len).unwrap_or(input);
                let head_range = head.as_ptr_range();
                for h in fields {
                    if h.name.is_null() {
                        return Err(line_error(head_len));
                    }
                    let name_start = (h.name as usize).wrapping_sub(base);
                    if line_start.is_some_and(|s| s != name_start) {
                        return Err(line_error(head_len));
                    }
                    let value_end = (h.value as usize).wrapping_sub(base) + h.value_len;
                    let Some(next) = crlf_after(head, value_end) else {
                        return Err(line_error(head_len));
                    };
                    line_start = Some(next);
                    // The value is followed by its line end inside the head (just checked),
                    // and picohttpparser's spans never run backwards.
                    debug_assert!(head_range.contains(&h.name.cast()));
                    debug_assert!(head_range.contains(&h.value.cast()) || h.value_len == 0);
                    // SAFETY: picohttpparser returned a complete head of `head_len` bytes;
                    // its name and value spans are pointers into that head (the input we
                    // passed) with their lengths, and `input` borrows the caller's buffer
                    // for `'b`, so the slices live as long as the buffer does.
                    let (name, value) = unsafe {
                        (
                            std::slice::from_raw_parts(h.name.cast::<u8>(), h.name_len),
                            std::slice::from_raw_parts(h.value.cast::<u8>(), h.value_len),
                        )
                    };
                    headers.push(Header {
                        name,
                        value: value.trim_ascii_end(), // the start is already trimmed
                    });
                }
                // The blank line: CRLF ending the head, right after the last header line
                // (or the start line, which the caller checks up to its LF).
                let blank = line_start
                    .unwrap_or_else(|| memchr::memchr(b'\n', input).map_or(head_len, |lf| lf + 1));
                if blank + 2 != head_len || input.get(blank..head_len) != Some(b"\r\n") {
                    return Err(line_error(head_len));
                }
                Ok(Some(head_len))
            }
            _ => {
                self.last_len = 0;
                // picohttpparser also fails when the header array is full: tell that
                // apart by parsing once more with room for every header.
                let kind = if self.more_headers_than(input, kind, limits.max_headers) {
                    ErrorKind::TooManyHeaders
                } else {
                    ErrorKind::Other
                };
                // picohttpparser does not say where: the offset covers all it looked at.
                Err(Error::new(
                    kind,
                    input.len(),
                    NAME,
                    "picohttpparser rejected the head",
                ))
            }
        }
    }

    fn reset(&mut self) {
        self.last_len = 0;
    }
}

/// Where the line whose value ends at `at` ends: after optional spaces and tabs, a
/// CRLF; `None` for anything else (a bare LF).
#[inline]
fn crlf_after(input: &[u8], at: usize) -> Option<usize> {
    let rest = input.get(at..)?;
    if rest.starts_with(b"\r\n") {
        return Some(at + 2); // the common case: picohttpparser trimmed trailing whitespace
    }
    let ws = rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    (rest.get(ws..ws + 2)? == b"\r\n").then_some(at + ws + 2)
}

/// A line-ending problem picohttpparser tolerates (bare LF, obs-fold) in the head of
/// `head_len` bytes; the caller replaces it with its checker's first problem in the
/// head (it reads up to the error's offset).
#[cold]
fn line_error(head_len: usize) -> Error {
    Error::new(
        ErrorKind::BareLf,
        head_len.saturating_sub(1),
        NAME,
        "picohttpparser accepted a line this crate rejects (bare LF or obs-fold)",
    )
}

impl PicoHead {
    /// Whether `input` parses with a bigger header array (so the failure was the limit).
    #[cold]
    fn more_headers_than(&self, input: &[u8], kind: HeadKind, max: usize) -> bool {
        let mut headers = vec![sys::phr_header::default(); input.len() / 2 + 1];
        let mut num = headers.len();
        let mut minor: c_int = 0;
        // SAFETY: as in parse_head, with a header array as large as any head can need.
        let ret = unsafe {
            match kind {
                HeadKind::Request => {
                    let (mut m, mut ml, mut p, mut pl) = (std::ptr::null(), 0, std::ptr::null(), 0);
                    sys::phr_parse_request(
                        input.as_ptr().cast(),
                        input.len(),
                        &mut m,
                        &mut ml,
                        &mut p,
                        &mut pl,
                        &mut minor,
                        headers.as_mut_ptr(),
                        &mut num,
                        0,
                    )
                }
                HeadKind::Response => {
                    let (mut st, mut msg, mut ml) = (0, std::ptr::null(), 0);
                    sys::phr_parse_response(
                        input.as_ptr().cast(),
                        input.len(),
                        &mut minor,
                        &mut st,
                        &mut msg,
                        &mut ml,
                        headers.as_mut_ptr(),
                        &mut num,
                        0,
                    )
                }
            }
        };
        ret > 0 && num > max
    }
}
