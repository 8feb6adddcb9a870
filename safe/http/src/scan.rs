//! A left-to-right, resumable checker of message heads: it finds the FIRST byte at which
//! the input stops being a valid head (or a valid prefix of one) and classifies it from
//! the bytes up to there only. Using it for every verdict this crate gives makes errors
//! independent of how the input was split into pieces and of which backend saw it first.

use crate::error::{Error, ErrorKind, Result};
use crate::framing::{framing_field, is_framing_field, FramingField, MAX_CONTENT_LENGTH};
use crate::message::Limits;
use crate::validate::{first_non_field_byte, is_tchar, HeadKind, METHODS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Request line: the method (`len` bytes so far).
    Method { len: u8 },
    /// Request line: the target (`len` bytes so far).
    Target { len: u32 },
    /// `HTTP/x.y`, `i` bytes matched; `then_status` for a status line.
    Version { i: u8, status: bool },
    /// Status line: the code, `i` digits so far.
    Code { i: u8 },
    /// Status line: the reason phrase.
    Reason,
    /// CR seen at the end of the start line.
    StartCr,
    /// At the start of a header line (or of the blank line).
    LineStart,
    /// In a header name.
    Name,
    /// In a header value.
    Value,
    /// CR seen at the end of a header line.
    ValueCr,
    /// CR seen on the blank line.
    BlankCr,
    /// The head ended; `head_len` bytes.
    Done { head_len: usize },
}

/// What the value being scanned is subject to, beyond the field-value characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Value {
    Other,
    /// `Content-Length`: OWS, digits, then only spaces; the number so far.
    ContentLength {
        digits: u8,
        number: u64,
        trailing: bool,
    },
}

/// The resumable checker (see the module docs).
#[derive(Debug, Clone)]
pub(crate) struct Scanner {
    kind: HeadKind,
    state: State,
    pos: usize,
    max_headers: usize,
    max_head_len: usize,
    headers: usize,
    name_start: usize,
    value: Value,
    content_length: bool,
    transfer_encoding: bool,
    connect: bool,
    target: Target,
    /// Methods still matching the method bytes seen (bit i = `METHODS[i]`).
    methods: u64,
}

/// Where the request target is within the forms llhttp and http_parser accept:
/// origin-form (`/...`), `*`, absolute-form (`scheme://host...`), and authority-form
/// (`host:port`, CONNECT only). Checked byte by byte, so a bad target is rejected at
/// the byte that makes it bad, whatever the backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Start,
    Origin,
    Asterisk,
    Scheme,
    Colon,
    Slash,
    HostStart,
    Host,
    Authority,
}

#[cold]
fn fail(kind: ErrorKind, at: usize, reason: &'static str) -> Result<Option<usize>> {
    Err(Error::ours(kind, at, reason))
}

/// Longest method in [`METHODS`], plus one.
const METHOD_POSITIONS: usize = 12;

/// `METHOD_BYTES[p][b]`: the set (bit i = `METHODS[i]`) of methods with byte `b` at `p`.
static METHOD_BYTES: [[u64; 256]; METHOD_POSITIONS] = {
    let mut table = [[0u64; 256]; METHOD_POSITIONS];
    let mut i = 0;
    while i < METHODS.len() {
        let m = METHODS[i].as_bytes();
        let mut p = 0;
        while p < m.len() {
            table[p][m[p] as usize] |= 1 << i;
            p += 1;
        }
        i += 1;
    }
    table
};

/// `METHOD_LENGTHS[n]`: the set of methods exactly `n` bytes long.
static METHOD_LENGTHS: [u64; METHOD_POSITIONS] = {
    let mut table = [0u64; METHOD_POSITIONS];
    let mut i = 0;
    while i < METHODS.len() {
        table[METHODS[i].len()] |= 1 << i;
        i += 1;
    }
    table
};

const fn byte_set(extra: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        t[extra[i] as usize] = true;
        i += 1;
    }
    t
}

/// Bytes allowed in a request target: RFC 3986 unreserved, percent, sub-delims, `:`,
/// `@`, `/`, `?` and the brackets of IPv6 literals (stricter than every backend, so all
/// of them agree).
static URI_BYTES: [bool; 256] = byte_set(b"-._~%!$&'()*+,;=:@/?[]");

/// The index of the first byte of `v` not in [`URI_BYTES`], sixteen bytes at a time: the
/// set is the printable ASCII range `!`..=`~` without `"`, `#`, `<`, `>`, `\`, `^`,
/// `` ` ``, `{`, `|` and `}`.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn first_non_uri_byte(v: &[u8]) -> Option<usize> {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_max_epu8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    let bad = |x: __m128i| -> u32 {
        // SAFETY: SSE2 only (the x86-64 baseline); no memory is accessed.
        unsafe {
            let eq = |y: __m128i, c: u8| _mm_cmpeq_epi8(y, _mm_set1_epi8(c as i8));
            let in_range = _mm_cmpeq_epi8(
                _mm_min_epu8(_mm_max_epu8(x, _mm_set1_epi8(0x21)), _mm_set1_epi8(0x7e)),
                x,
            );
            // Setting bit 0 or bit 1 folds two excluded bytes onto one: `"#` -> `#`,
            // `<>` -> `>`, `\^` -> `^`, `|}` -> `}` (no allowed byte folds onto them).
            let or1 = _mm_or_si128(x, _mm_set1_epi8(1));
            let or2 = _mm_or_si128(x, _mm_set1_epi8(2));
            let excluded = _mm_or_si128(
                _mm_or_si128(
                    _mm_or_si128(eq(or1, b'#'), eq(or2, b'>')),
                    _mm_or_si128(eq(or2, b'^'), eq(or1, b'}')),
                ),
                _mm_or_si128(eq(x, b'`'), eq(x, b'{')),
            );
            let ok = _mm_movemask_epi8(in_range) as u32 & !(_mm_movemask_epi8(excluded) as u32);
            !ok & 0xffff
        }
    };
    crate::validate::first_flagged_byte(v, bad, &URI_BYTES)
}

/// The index of the first byte of `v` not in [`URI_BYTES`].
#[cfg(not(target_arch = "x86_64"))]
#[inline]
pub(crate) fn first_non_uri_byte(v: &[u8]) -> Option<usize> {
    v.iter().position(|&b| !URI_BYTES[usize::from(b)])
}

/// Bytes allowed in the host of an absolute-form or authority-form target.
static HOST_BYTES: [bool; 256] = byte_set(b"-._~:[]");

impl Scanner {
    /// A checker for a head of `kind` within `limits`, starting at offset 0.
    pub fn new(kind: HeadKind, limits: &Limits) -> Self {
        let state = match kind {
            HeadKind::Request => State::Method { len: 0 },
            HeadKind::Response => State::Version { i: 0, status: true },
        };
        Scanner {
            kind,
            state,
            pos: 0,
            max_headers: limits.max_headers,
            max_head_len: limits.max_head_len,
            headers: 0,
            name_start: 0,
            value: Value::Other,
            content_length: false,
            transfer_encoding: false,
            connect: false,
            target: Target::Start,
            methods: u64::MAX,
        }
    }

    /// The kind of head being checked.
    pub fn kind(&self) -> HeadKind {
        self.kind
    }

    /// Checks `buf` from where the previous call stopped (`buf` extends the previous
    /// buffer). `Ok(Some(head_len))` once the blank line ending the head was seen,
    /// `Ok(None)` when everything so far can still be a valid head, `Err` at the first
    /// byte that cannot.
    pub fn scan(&mut self, buf: &[u8]) -> Result<Option<usize>> {
        if let State::Done { head_len } = self.state {
            return Ok(Some(head_len));
        }
        while self.pos < buf.len() {
            let at = self.pos;
            if at >= self.max_head_len {
                return fail(ErrorKind::HeadTooLarge, at, "head exceeds max_head_len");
            }
            // Fast paths over the common bytes; the byte-by-byte machine below decides
            // everything else (and reaches the same state on the same bytes).
            if let State::Target { len } = self.state {
                if self.target == Target::Origin && len > 0 {
                    let limit = buf.len().min(self.max_head_len);
                    let run = first_non_uri_byte(&buf[at..limit]).unwrap_or(limit - at);
                    if run > 0 {
                        self.pos = at + run;
                        self.state = State::Target {
                            len: len.saturating_add(run as u32),
                        };
                        continue;
                    }
                }
            }
            if let State::Version { i: 0, status } = self.state {
                let limit = buf.len().min(self.max_head_len);
                if let Some(v) = buf.get(at..at + 8).filter(|_| at + 8 <= limit) {
                    if v == b"HTTP/1.1" || v == b"HTTP/1.0" {
                        self.pos = at + 8;
                        self.state = State::Version { i: 8, status };
                        continue;
                    }
                }
            }
            if self.state == State::LineStart {
                if let Some(next) = self.plain_header_line(buf, at) {
                    self.pos = next;
                    continue;
                }
            }
            if self.state == State::Name {
                let limit = buf.len().min(self.max_head_len);
                let run = buf[at..limit].iter().take_while(|&&b| is_tchar(b)).count();
                if run > 0 {
                    self.pos = at + run;
                    continue;
                }
            }
            if self.state == State::Value && self.value == Value::Other {
                // Plain value bytes in bulk, eight at a time; stop at CR, LF or a bad byte.
                let limit = buf.len().min(self.max_head_len);
                let skip = first_non_field_byte(&buf[at..limit]).unwrap_or(limit - at);
                if skip > 0 {
                    self.pos = at + skip;
                    continue;
                }
            }
            let b = buf[at];
            self.pos += 1;
            self.state = match self.state {
                State::Method { len } => match b {
                    b' ' if len == 0 => return fail(ErrorKind::StartLine, at, "empty method"),
                    b' ' => {
                        if self.methods & METHOD_LENGTHS[usize::from(len)] == 0 {
                            return fail(ErrorKind::Method, at, "unknown method");
                        }
                        self.connect = &buf[at - usize::from(len)..at] == b"CONNECT";
                        State::Target { len: 0 }
                    }
                    b'\n' => return fail(ErrorKind::BareLf, at, "LF without CR"),
                    _ if is_tchar(b) => {
                        // Narrow the candidate methods to those with `b` here.
                        let position = usize::from(len).min(METHOD_POSITIONS - 1);
                        self.methods &= METHOD_BYTES[position][usize::from(b)];
                        if self.methods == 0 {
                            return fail(ErrorKind::Method, at, "unknown method");
                        }
                        State::Method {
                            len: len.saturating_add(1),
                        }
                    }
                    _ => return fail(ErrorKind::StartLine, at, "invalid byte in method"),
                },
                State::Target { len } => match b {
                    b' ' if len == 0 => {
                        return fail(ErrorKind::StartLine, at, "empty request target")
                    }
                    b' ' => {
                        let start = at - len as usize;
                        self.target_end(&buf[start..at], start)?;
                        State::Version {
                            i: 0,
                            status: false,
                        }
                    }
                    b'\n' => return fail(ErrorKind::BareLf, at, "LF without CR"),
                    _ => {
                        if len == 0 {
                            self.target = Target::Start;
                        }
                        self.target_byte(b, at)?;
                        State::Target {
                            len: len.saturating_add(1),
                        }
                    }
                },
                State::Version { i, status } => match i {
                    0..=4 if b == b"HTTP/"[usize::from(i)] => State::Version { i: i + 1, status },
                    5 | 7 if b.is_ascii_digit() => {
                        let ok = if i == 5 {
                            b == b'1'
                        } else {
                            b == b'0' || b == b'1'
                        };
                        if !ok {
                            return fail(ErrorKind::Version, at, "only HTTP/1.0 and HTTP/1.1");
                        }
                        State::Version { i: i + 1, status }
                    }
                    6 if b == b'.' => State::Version { i: 7, status },
                    8 if status && b == b' ' => State::Code { i: 0 },
                    8 if !status && b == b'\r' => State::StartCr,
                    _ if b == b'\n' => return fail(ErrorKind::BareLf, at, "LF without CR"),
                    _ => return fail(ErrorKind::StartLine, at, "malformed HTTP version"),
                },
                State::Code { i } => match (i, b) {
                    (0, b'1'..=b'9') | (1 | 2, b'0'..=b'9') => State::Code { i: i + 1 },
                    (3, b' ') => State::Reason,
                    (_, b'\n') => return fail(ErrorKind::BareLf, at, "LF without CR"),
                    _ => return fail(ErrorKind::StartLine, at, "invalid status code"),
                },
                State::Reason => match b {
                    b'\r' => State::StartCr,
                    b'\n' => return fail(ErrorKind::BareLf, at, "LF without CR"),
                    b'\t' | 0x20..=0x7e | 0x80..=0xff => State::Reason,
                    _ => return fail(ErrorKind::StartLine, at, "invalid byte in reason phrase"),
                },
                State::StartCr => match b {
                    b'\n' => State::LineStart,
                    _ => return fail(ErrorKind::StartLine, at, "CR not followed by LF"),
                },
                State::LineStart => match b {
                    b'\r' => State::BlankCr,
                    b' ' | b'\t' => {
                        return fail(ErrorKind::ObsFold, at, "header line starts with whitespace")
                    }
                    b'\n' => return fail(ErrorKind::BareLf, at, "LF without CR"),
                    _ if is_tchar(b) => {
                        self.headers += 1;
                        if self.headers > self.max_headers {
                            return fail(
                                ErrorKind::TooManyHeaders,
                                at,
                                "more headers than max_headers",
                            );
                        }
                        self.name_start = at;
                        State::Name
                    }
                    _ => return fail(ErrorKind::Header, at, "invalid header name"),
                },
                State::Name => match b {
                    b':' => {
                        self.start_value(&buf[self.name_start..at], at)?;
                        State::Value
                    }
                    b'\n' => return fail(ErrorKind::BareLf, at, "LF without CR"),
                    _ if is_tchar(b) => State::Name,
                    _ => {
                        return fail(
                            ErrorKind::Header,
                            at,
                            "invalid header name or missing colon",
                        )
                    }
                },
                State::Value => match b {
                    b'\r' => {
                        if let Value::ContentLength { digits: 0, .. } = self.value {
                            return fail(ErrorKind::Framing, at, "empty Content-Length");
                        }
                        State::ValueCr
                    }
                    b'\n' => return fail(ErrorKind::BareLf, at, "LF without CR"),
                    b'\t' | 0x20..=0x7e | 0x80..=0xff => {
                        self.content_length_byte(b, at)?;
                        State::Value
                    }
                    _ => return fail(ErrorKind::Header, at, "invalid byte in header value"),
                },
                State::ValueCr => match b {
                    b'\n' => State::LineStart,
                    _ => return fail(ErrorKind::Header, at, "CR not followed by LF"),
                },
                State::BlankCr => match b {
                    b'\n' => {
                        self.state = State::Done { head_len: at + 1 };
                        return Ok(Some(at + 1));
                    }
                    _ => return fail(ErrorKind::Header, at, "CR not followed by LF"),
                },
                State::Done { .. } => unreachable!("returned above"),
            };
        }
        Ok(None)
    }
}

impl Scanner {
    /// A whole header line at `at` that is plainly valid: a name that is not a framing
    /// field, a colon, field-value bytes and CRLF, all within the limits. Returns where
    /// the next line starts, having counted the header. `None` leaves the line to the
    /// byte-by-byte machine, which reaches the same state on such lines and finds the
    /// first bad byte on the others, so this changes no verdict, only the speed.
    #[inline]
    fn plain_header_line(&mut self, buf: &[u8], at: usize) -> Option<usize> {
        if self.headers >= self.max_headers {
            return None;
        }
        let line = buf.get(at..buf.len().min(self.max_head_len))?;
        let name_len = line.iter().take_while(|&&b| is_tchar(b)).count();
        if name_len == 0 || line.get(name_len) != Some(&b':') || is_framing_field(&line[..name_len])
        {
            return None;
        }
        let value = &line[name_len + 1..];
        let end = first_non_field_byte(value)?;
        if value.get(end..end + 2) != Some(b"\r\n") {
            return None;
        }
        self.headers += 1;
        self.name_start = at;
        self.value = Value::Other;
        Some(at + name_len + 1 + end + 2)
    }

    /// One byte of the request target (see [`Target`]).
    fn target_byte(&mut self, b: u8, at: usize) -> Result<()> {
        let host = |c: u8| HOST_BYTES[c as usize];
        self.target = match (self.target, b) {
            (Target::Start, b'/') if !self.connect => Target::Origin,
            (Target::Start, b'*') if !self.connect => Target::Asterisk,
            (Target::Start, c) if !self.connect && c.is_ascii_alphabetic() => Target::Scheme,
            (Target::Start | Target::Authority, c) if self.connect && host(c) => Target::Authority,
            (Target::Origin, c) if URI_BYTES[c as usize] => Target::Origin,
            (Target::Scheme, c) if c.is_ascii_alphabetic() => Target::Scheme,
            (Target::Scheme, b':') => Target::Colon,
            (Target::Colon, b'/') => Target::Slash,
            (Target::Slash, b'/') => Target::HostStart,
            (Target::HostStart | Target::Host, c) if host(c) => Target::Host,
            (Target::Host, b'/' | b'?') => Target::Origin,
            _ => {
                return Err(Error::ours(
                    ErrorKind::StartLine,
                    at,
                    "invalid request target",
                ))
            }
        };
        Ok(())
    }

    /// The request target ended (at the space); `target` starts at `start`.
    fn target_end(&self, target: &[u8], start: usize) -> Result<()> {
        let complete = match self.target {
            Target::Origin | Target::Asterisk | Target::Host => true,
            Target::Authority => valid_authority(target),
            _ => false,
        };
        if complete {
            Ok(())
        } else {
            Err(Error::ours(
                ErrorKind::StartLine,
                start,
                "incomplete request target",
            ))
        }
    }

    /// A header name ended (at the colon at `at`): framing fields are tracked here, so a
    /// conflict is reported at the field that creates it.
    fn start_value(&mut self, name: &[u8], at: usize) -> Result<()> {
        self.value = Value::Other;
        let framing = |reason| Err(Error::ours(ErrorKind::Framing, at, reason));
        match framing_field(name) {
            Some(FramingField::ContentLength) => {
                if self.content_length {
                    return framing("several Content-Length fields");
                }
                if self.transfer_encoding {
                    return framing("both Content-Length and Transfer-Encoding");
                }
                self.content_length = true;
                self.value = Value::ContentLength {
                    digits: 0,
                    number: 0,
                    trailing: false,
                };
            }
            Some(FramingField::TransferEncoding) => {
                if self.transfer_encoding {
                    return framing("several Transfer-Encoding fields");
                }
                if self.content_length {
                    return framing("both Content-Length and Transfer-Encoding");
                }
                self.transfer_encoding = true;
            }
            None => {}
        }
        Ok(())
    }

    /// One byte of a Content-Length value: optional leading whitespace, decimal digits
    /// (at most [`MAX_CONTENT_LENGTH`]), then spaces only.
    fn content_length_byte(&mut self, b: u8, at: usize) -> Result<()> {
        let Value::ContentLength {
            digits,
            number,
            trailing,
        } = &mut self.value
        else {
            return Ok(());
        };
        let bad = |reason| Err(Error::ours(ErrorKind::Framing, at, reason));
        match b {
            b' ' | b'\t' if *digits == 0 => Ok(()),
            b' ' => {
                *trailing = true;
                Ok(())
            }
            b'0'..=b'9' if !*trailing => {
                *number = match number
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(u64::from(b - b'0')))
                    .filter(|&n| n <= MAX_CONTENT_LENGTH)
                {
                    Some(n) => n,
                    None => return bad("Content-Length exceeds 2^63 - 1"),
                };
                *digits = digits.saturating_add(1);
                Ok(())
            }
            _ => bad("invalid Content-Length value"),
        }
    }
}

/// Whether `line` (a start line through its LF) is one of the common, plainly valid
/// forms: a known method other than CONNECT, an origin-form target and `HTTP/1.x`, or
/// `HTTP/1.x`, a status code and a reason phrase. `true` only when [`Scanner`] accepts
/// the line too; `false` says nothing (the scanner then decides), so this is a fast
/// accept in front of it, not a second set of rules.
pub(crate) fn plain_start_line(line: &[u8], kind: HeadKind) -> bool {
    let Some(rest) = line.strip_suffix(b"\r\n") else {
        return false;
    };
    match kind {
        HeadKind::Request => {
            let Some((rest, version)) = rest.split_last_chunk::<9>() else {
                return false;
            };
            if version != b" HTTP/1.1" && version != b" HTTP/1.0" {
                return false;
            }
            let Some(space) = rest.iter().take(METHOD_POSITIONS).position(|&b| b == b' ') else {
                return false;
            };
            let (method, target) = (&rest[..space], &rest[space + 1..]);
            // The candidate methods narrowed byte by byte, as the scanner does.
            let mut methods = METHOD_LENGTHS[space];
            for (p, &b) in method.iter().enumerate() {
                methods &= METHOD_BYTES[p][usize::from(b)];
            }
            methods != 0
                && method != b"CONNECT"
                && target.first() == Some(&b'/')
                && first_non_uri_byte(target).is_none()
        }
        HeadKind::Response => match rest {
            [b'H', b'T', b'T', b'P', b'/', b'1', b'.', b'0' | b'1', b' ', b'1'..=b'9', b'0'..=b'9', b'0'..=b'9', b' ', reason @ ..] =>
            {
                // The reason phrase takes the field-value bytes (HTAB, SP, VCHAR, obs-text).
                first_non_field_byte(reason).is_none()
            }
            _ => false,
        },
    }
}

/// `host:port` with a registered name or IPv4 (letters, digits, `-._~`) or a
/// bracketed IPv6 literal, and a decimal port.
fn valid_authority(target: &[u8]) -> bool {
    let Some(colon) = target.iter().rposition(|&b| b == b':') else {
        return false;
    };
    let (host, port) = (&target[..colon], &target[colon + 1..]);
    let host_ok = match host {
        [b'[', inner @ .., b']'] => {
            !inner.is_empty()
                && inner
                    .iter()
                    .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        }
        _ => {
            !host.is_empty()
                && host
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
        }
    };
    host_ok && !port.is_empty() && port.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_non_uri_byte_is_the_table() {
        let table = |v: &[u8]| v.iter().position(|&b| !URI_BYTES[usize::from(b)]);
        for len in 0..48 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut v = vec![b'a'; len];
                    v[at] = b;
                    assert_eq!(first_non_uri_byte(&v), table(&v), "{len} {at} {b}");
                    // A later bad byte never hides an earlier one.
                    if at + 1 < len {
                        v[len - 1] = b' ';
                        assert_eq!(first_non_uri_byte(&v), table(&v), "{len} {at} {b}");
                    }
                }
            }
        }
    }

    fn first_error(input: &[u8], kind: HeadKind) -> Option<(ErrorKind, usize)> {
        Scanner::new(kind, &Limits::default())
            .scan(input)
            .err()
            .map(|e| (e.kind(), e.offset()))
    }

    #[test]
    fn classifies_the_first_bad_byte() {
        let req = HeadKind::Request;
        assert_eq!(first_error(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", req), None);
        assert_eq!(
            Scanner::new(req, &Limits::default())
                .scan(b"GET / HTTP/1.1\r\n\r\nbody")
                .unwrap(),
            Some(18)
        );
        assert_eq!(first_error(b"GEX", req), Some((ErrorKind::Method, 2)));
        assert_eq!(first_error(b"HTTP/1.1", req), Some((ErrorKind::Method, 1)));
        assert_eq!(first_error(b"GE\x94", req), Some((ErrorKind::StartLine, 2)));
        assert_eq!(first_error(b"GET  /", req), Some((ErrorKind::StartLine, 4)));
        assert_eq!(
            first_error(b"GET / HTTP/2.0", req),
            Some((ErrorKind::Version, 11))
        );
        assert_eq!(
            first_error(b"GET / HTTP/1.1\n", req),
            Some((ErrorKind::BareLf, 14))
        );
        assert_eq!(
            first_error(b"GET / HTTP/1.1\r\nX: a\r\n b", req),
            Some((ErrorKind::ObsFold, 22))
        );
        assert_eq!(
            first_error(b"GET / HTTP/1.1\r\nX : a", req),
            Some((ErrorKind::Header, 17))
        );
        assert_eq!(
            first_error(b"GET / HTTP/1.1\r\nX: a\x00", req),
            Some((ErrorKind::Header, 20))
        );
        let resp = HeadKind::Response;
        assert_eq!(first_error(b"HTTP/1.1 200 OK\r\n\r\n", resp), None);
        assert_eq!(first_error(b"HTTP/1.1 204 \r\n\r\n", resp), None);
        assert_eq!(
            first_error(b"HTTP/1.1 204\r\n\r\n", resp),
            Some((ErrorKind::StartLine, 12))
        );
        assert_eq!(
            first_error(b"GET a HTTP/1.1", req),
            Some((ErrorKind::StartLine, 4))
        );
        assert_eq!(
            first_error(b"OPTIONS a:1 HTTP/1.1", req),
            Some((ErrorKind::StartLine, 10))
        );
        assert_eq!(first_error(b"CONNECT a:1 HTTP/1.1\r\n", req), None);
        assert_eq!(first_error(b"GET http://a/ HTTP/1.1\r\n", req), None);
        let cl = |v: &str| {
            first_error(
                format!("GET / HTTP/1.1\r\nContent-Length:{v}\r\n").as_bytes(),
                req,
            )
        };
        assert_eq!(cl(" 12 "), None);
        assert!(matches!(cl(" 1\t"), Some((ErrorKind::Framing, _))));
        assert!(matches!(cl(" 1 2"), Some((ErrorKind::Framing, _))));
        assert!(matches!(cl(""), Some((ErrorKind::Framing, _))));
        assert!(matches!(
            cl("99999999999999999999999"),
            Some((ErrorKind::Framing, _))
        ));
        assert_eq!(
            first_error(b"HTTP/1.1 2000", resp),
            Some((ErrorKind::StartLine, 12))
        );
        assert_eq!(
            first_error(b"HTTP/1.1 099", resp),
            Some((ErrorKind::StartLine, 9))
        );
    }

    #[test]
    fn plain_start_lines_are_the_scanners() {
        let req = HeadKind::Request;
        let resp = HeadKind::Response;
        let plain = |line: &[u8], kind| {
            let fast = plain_start_line(line, kind);
            let slow = Scanner::new(kind, &Limits::default()).scan(line);
            assert!(
                !fast || slow.is_ok(),
                "{:?}: fast accept, scanner {slow:?}",
                line
            );
            fast
        };
        for line in [
            &b"GET / HTTP/1.1\r\n"[..],
            b"M-SEARCH /a?b=c&d HTTP/1.0\r\n",
            b"PROPPATCH /x HTTP/1.1\r\n",
            b"MKCALENDAR /%20 HTTP/1.1\r\n",
        ] {
            assert!(plain(line, req), "{:?}", line);
        }
        for line in [
            &b"HTTP/1.1 200 OK\r\n"[..],
            b"HTTP/1.0 404 \r\n",
            b"HTTP/1.1 599 \x80\tx\r\n",
        ] {
            assert!(plain(line, resp), "{:?}", line);
        }
        // Everything else is left to the scanner, valid (the first three) or not.
        for line in [
            &b"CONNECT a:1 HTTP/1.1\r\n"[..],
            b"OPTIONS * HTTP/1.1\r\n",
            b"GET http://a/ HTTP/1.1\r\n",
            b"GET / HTTP/1.1\n",
            b"GET  / HTTP/1.1\r\n",
            b"GET /a b HTTP/1.1\r\n",
            b"GET /\x7f HTTP/1.1\r\n",
            b"GETS / HTTP/1.1\r\n",
            b"GE / HTTP/1.1\r\n",
            b"get / HTTP/1.1\r\n",
            b"MKCALENDARS / HTTP/1.1\r\n",
            b" / HTTP/1.1\r\n",
            b"GET / HTTP/1.2\r\n",
            b"GET / HTTP/1.1 \r\n",
            b"HTTP/1.1 200 OK\r\n",
            b"GET / HTTP/1.1\r\r\n",
        ] {
            assert!(!plain(line, req), "{:?}", line);
        }
        for line in [
            &b"HTTP/1.1 200\r\n"[..],
            b"HTTP/1.1 099 x\r\n",
            b"HTTP/1.1 20 x\r\n",
            b"HTTP/2.0 200 x\r\n",
            b"HTTP/1.1 200 a\x00\r\n",
            b"HTTP/1.1 200 a\x7f\r\n",
            b"HTTP/1.1 200 a\rb\r\n",
        ] {
            assert!(!plain(line, resp), "{:?}", line);
        }
        // Every byte in every position of a plain line: fast accept implies the scanner's.
        for base in [&b"GET /ab HTTP/1.1\r\n"[..], b"HTTP/1.1 200 OK\r\n"] {
            let kind = if base[0] == b'G' { req } else { resp };
            for i in 0..base.len() {
                for b in 0..=255u8 {
                    let mut line = base.to_vec();
                    line[i] = b;
                    plain(&line, kind);
                }
            }
        }
    }

    #[test]
    fn resuming_equals_one_pass() {
        let input = b"POST /x HTTP/1.1\r\nA: b\r\nC:\r\n\r\n";
        let whole = Scanner::new(HeadKind::Request, &Limits::default())
            .scan(input)
            .unwrap();
        for split in 0..input.len() {
            let mut s = Scanner::new(HeadKind::Request, &Limits::default());
            assert_eq!(s.scan(&input[..split]).unwrap(), None);
            assert_eq!(s.scan(input).unwrap(), whole);
        }
    }
}
