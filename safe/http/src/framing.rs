//! Message framing shared by every backend: which body a message has (RFC 9112 §6.3),
//! and a strict, resumable chunked decoder. Doing this once here is what makes every
//! backend give the same verdicts on the request-smuggling family.

use crate::error::{Error, ErrorKind, Result};
use crate::message::{Header, Limits};

/// How the body of a message is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// No body.
    None,
    /// Exactly this many bytes.
    Length(u64),
    /// Chunked transfer coding.
    Chunked,
    /// A response body that ends when the connection closes.
    UntilClose,
}

/// The role of the message being framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role<'a> {
    Request,
    /// A response to a request with this method.
    Response {
        status: u16,
        request_method: &'a str,
    },
}

/// A header field that takes part in framing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FramingField {
    ContentLength,
    TransferEncoding,
}

/// Which framing field a field name is (any case), if any: the one place that knows the
/// names, for [`framing`] and the head checker.
#[inline]
pub(crate) fn framing_field(name: &[u8]) -> Option<FramingField> {
    match name.len() {
        14 if eq_ignore_case_8(name, b"content-length") => Some(FramingField::ContentLength),
        17 if eq_ignore_case_8(name, b"transfer-encoding") => Some(FramingField::TransferEncoding),
        _ => None,
    }
}

/// `name.eq_ignore_ascii_case(lower)` for a lowercase pattern of letters and
/// punctuation, at least 8 bytes and as long as `name`, eight bytes at a time: a byte
/// matches a letter when it equals it with bit 5 set (only that letter's two cases do),
/// and other pattern bytes exactly. The last word overlaps the one before it.
#[inline]
fn eq_ignore_case_8(name: &[u8], lower: &[u8]) -> bool {
    debug_assert!(name.len() == lower.len() && lower.len() >= 8);
    let word = |b: &[u8], at: usize| {
        let mut w = [0; 8];
        w.copy_from_slice(&b[at..at + 8]);
        u64::from_le_bytes(w)
    };
    let case_bits = |at: usize| {
        let mut w = [0u8; 8];
        for (m, &c) in w.iter_mut().zip(&lower[at..at + 8]) {
            *m = if c.is_ascii_lowercase() { 0x20 } else { 0 };
        }
        u64::from_le_bytes(w)
    };
    let n = lower.len();
    let mut at = 0;
    loop {
        let at8 = at.min(n - 8);
        if word(name, at8) | case_bits(at8) != word(lower, at8) {
            return false;
        }
        if at8 + 8 == n {
            return true;
        }
        at += 8;
    }
}

/// Whether a field with this name takes part in framing: the only ones [`framing`]
/// looks at.
#[inline(always)]
pub(crate) fn is_framing_field(name: &[u8]) -> bool {
    // The length test first, inline: most fields are not framing fields.
    matches!(name.len(), 14 | 17) && framing_field(name).is_some()
}

/// Decides the framing from the headers of an HTTP/1.`minor_version` message;
/// `head_len` is used for error offsets.
pub(crate) fn framing<'h>(
    headers: impl IntoIterator<Item = Header<'h>>,
    role: Role<'_>,
    minor_version: u8,
    head_len: usize,
) -> Result<Framing> {
    let framing_error = |reason: &'static str| Error::ours(ErrorKind::Framing, head_len, reason);
    let mut length: Option<u64> = None;
    let mut transfer_encoding: Option<&[u8]> = None;
    for h in headers {
        match framing_field(h.name) {
            Some(FramingField::ContentLength) => {
                // RFC 9110 §8.6 tolerates repeated identical values; we (like llhttp)
                // accept exactly one field holding one decimal number.
                let value = parse_content_length(h.value)
                    .ok_or_else(|| framing_error("invalid Content-Length value"))?;
                if length.replace(value).is_some() {
                    return Err(framing_error("several Content-Length fields"));
                }
            }
            Some(FramingField::TransferEncoding) => {
                if transfer_encoding.is_some() {
                    return Err(framing_error("several Transfer-Encoding fields"));
                }
                transfer_encoding = Some(h.value);
            }
            None => {}
        }
    }
    // The conflicts are errors whatever the status (the same rules as the head checker).
    if transfer_encoding.is_some() && length.is_some() {
        return Err(framing_error("both Content-Length and Transfer-Encoding"));
    }
    // RFC 9112 §6.1: a recipient of an HTTP/1.0 message with Transfer-Encoding must treat
    // its framing as faulty (and close the connection after it). HTTP/1.0 has no chunked
    // coding, so the strict reading (reject) is the one every backend gives.
    if transfer_encoding.is_some() && minor_version == 0 {
        return Err(framing_error("Transfer-Encoding in an HTTP/1.0 message"));
    }
    if let Role::Response {
        status,
        request_method,
    } = role
    {
        if (100..200).contains(&status)
            || status == 204
            || status == 304
            || request_method == "HEAD"
        {
            return Ok(Framing::None);
        }
        if request_method == "CONNECT" && (200..300).contains(&status) {
            return Ok(Framing::None);
        }
    }
    match (transfer_encoding, length) {
        (Some(_), Some(_)) => Err(framing_error("both Content-Length and Transfer-Encoding")),
        (Some(te), None) => {
            let codings: Vec<&[u8]> = te.split(|&b| b == b',').map(<[u8]>::trim_ascii).collect();
            let chunked_count = codings
                .iter()
                .filter(|c| c.eq_ignore_ascii_case(b"chunked"))
                .count();
            let last_is_chunked = codings
                .last()
                .is_some_and(|c| c.eq_ignore_ascii_case(b"chunked"));
            if codings.iter().any(|c| c.is_empty()) {
                return Err(framing_error("empty transfer coding"));
            }
            match (last_is_chunked, chunked_count, role) {
                (true, 1, _) => Ok(Framing::Chunked),
                (_, n, _) if n > 1 => Err(framing_error("chunked applied more than once")),
                (false, _, Role::Request) => Err(framing_error(
                    "request Transfer-Encoding does not end with chunked",
                )),
                (false, _, Role::Response { .. }) => Ok(Framing::UntilClose),
                (true, _, _) => Err(framing_error("chunked applied more than once")),
            }
        }
        (None, Some(0)) => Ok(Framing::None),
        (None, Some(n)) => Ok(Framing::Length(n)),
        (None, None) => match role {
            Role::Request => Ok(Framing::None),
            Role::Response { .. } => Ok(Framing::UntilClose),
        },
    }
}

fn parse_content_length(value: &[u8]) -> Option<u64> {
    // Leading whitespace was skipped by the backend; trailing spaces (not tabs) are
    // allowed, as llhttp and http_parser allow them.
    let value = value.trim_ascii_start();
    let digits = value.iter().take_while(|b| b.is_ascii_digit()).count();
    if !value[digits..].iter().all(|&b| b == b' ') {
        return None;
    }
    let value = &value[..digits];
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    value
        .iter()
        .try_fold(0u64, |acc, &d| {
            acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
        .filter(|&n| n <= MAX_CONTENT_LENGTH)
}

/// The largest Content-Length this crate accepts, 2^63 − 1: no buffer can hold more (an
/// allocation is at most `isize::MAX` bytes), and a bound below `u64::MAX` keeps every
/// backend's verdict the same (http_parser rejects values near `u64::MAX` itself, which
/// it reserves as "no length"). Larger values are [`ErrorKind::Framing`].
pub(crate) const MAX_CONTENT_LENGTH: u64 = i64::MAX as u64;

/// Result of feeding a chunked body to the decoder.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ChunkedStatus {
    /// The body (and trailers) ended; the message ends at this offset of the buffer.
    Done { end: usize },
    /// More input is needed; state is kept, call again with the grown buffer.
    Partial,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a chunk-size line.
    Size,
    /// Inside chunk data: this many bytes left, then CRLF.
    Data { left: u64 },
    /// In the trailer section (after the last chunk), which starts at `start`.
    Trailers { start: usize },
}

/// The largest offset a buffer can have (no allocation exceeds `isize::MAX` bytes).
pub(crate) const MAX_BUFFER: u64 = isize::MAX as u64;

/// A strict, resumable decoder of the chunked transfer coding (RFC 9112 §7.1).
///
/// It parses whole lines only; when a line is incomplete it returns `Partial` and
/// remembers how far it has looked, so the next call scans only the new bytes: work is
/// linear in the body size however the bytes are split. Every line is bounded (chunk-size
/// lines by [`Limits::max_chunk_line_len`], the trailer section by
/// [`Limits::max_head_len`]), and so is the bookkeeping ([`Limits::max_chunks`]), and the
/// verdict does not depend on the split: a limit is judged on a window of bytes fixed by
/// where the line starts, not by how much has arrived.
#[derive(Debug, Clone)]
pub(crate) struct ChunkedDecoder {
    state: State,
    /// Where decoding resumes (the start of the current line), as an offset into the
    /// caller's buffer.
    pos: usize,
    /// How far the current line is known to hold no CR or LF (`>= pos`).
    scanned: usize,
    /// Chunk data ranges found so far.
    pub chunks: Vec<std::ops::Range<usize>>,
    /// Trailer fields found so far.
    pub trailers: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    total: u64,
}

/// Where a line ends, or how far it is known to go on.
enum LineEnd {
    /// The CR of the line's CRLF is at this offset.
    At(usize),
    /// No line end before this offset (the end of the data, or a CR that is the last
    /// byte so far); scanning resumes there.
    NotYet(usize),
    /// No line end within the window the limit allows.
    TooLong,
}

impl ChunkedDecoder {
    /// A decoder for a body starting at `start` in the buffer.
    pub fn new(start: usize) -> Self {
        ChunkedDecoder {
            state: State::Size,
            pos: start,
            scanned: start,
            chunks: Vec::new(),
            trailers: Vec::new(),
            total: 0,
        }
    }

    /// Moves to the line starting at `at`.
    fn next_line(&mut self, at: usize) {
        self.pos = at;
        self.scanned = at;
    }

    /// The CR of the line being read, scanning on from `self.scanned`: `Some(cr)`, or
    /// `None` when `buf` ends first (the next call resumes where this one stopped), or
    /// the error `kind` at `at` when no CR can come before `window_end`.
    fn line_end(
        &mut self,
        buf: &[u8],
        window_end: usize,
        kind: ErrorKind,
        at: usize,
        reason: &'static str,
    ) -> Result<Option<usize>> {
        match find_crlf(buf, self.scanned, window_end)? {
            LineEnd::At(cr) => Ok(Some(cr)),
            LineEnd::NotYet(scanned) => {
                self.scanned = scanned;
                Ok(None)
            }
            LineEnd::TooLong => Err(Error::ours(kind, at, reason)),
        }
    }

    /// Decodes as much of `buf` as possible.
    pub fn feed(&mut self, buf: &[u8], limits: &Limits) -> Result<ChunkedStatus> {
        let err = |kind, at: usize, reason: &'static str| Err(Error::ours(kind, at, reason));
        loop {
            match self.state {
                State::Size => {
                    // The line (without its CRLF) may be max_chunk_line_len bytes long, so
                    // its CR may sit at most that far from its start.
                    let window_end = self.pos.saturating_add(limits.max_chunk_line_len);
                    let Some(line_end) = self.line_end(
                        buf,
                        window_end,
                        ErrorKind::ChunkLineTooLong,
                        self.pos,
                        "chunk-size line longer than max_chunk_line_len",
                    )?
                    else {
                        return Ok(ChunkedStatus::Partial);
                    };
                    let line = &buf[self.pos..line_end];
                    let hex_len = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
                    if hex_len == 0 {
                        return err(ErrorKind::Chunked, self.pos, "missing chunk size");
                    }
                    let mut size: u64 = 0;
                    for &d in &line[..hex_len] {
                        let digit = u64::from((d as char).to_digit(16).unwrap_or(0));
                        size = match size.checked_mul(16).and_then(|s| s.checked_add(digit)) {
                            Some(s) => s,
                            None => {
                                return err(
                                    ErrorKind::Chunked,
                                    self.pos,
                                    "chunk size overflows 64 bits",
                                )
                            }
                        };
                    }
                    check_extensions(&line[hex_len..]).map_err(|()| {
                        Error::ours(
                            ErrorKind::Chunked,
                            self.pos + hex_len,
                            "malformed chunk extension",
                        )
                    })?;
                    let line_start = self.pos;
                    let data_start = line_end + 2;
                    self.next_line(data_start);
                    if size == 0 {
                        self.state = State::Trailers { start: data_start };
                        continue;
                    }
                    if self.chunks.len() >= limits.max_chunks {
                        return err(
                            ErrorKind::TooManyChunks,
                            line_start,
                            "more chunks than max_chunks",
                        );
                    }
                    self.total = self.total.saturating_add(size);
                    if self.total > limits.max_body_len {
                        return err(
                            ErrorKind::BodyTooLarge,
                            data_start,
                            "chunked body exceeds max_body_len",
                        );
                    }
                    // The chunk and its CRLF must fit in a buffer at all.
                    let fits = (data_start as u64)
                        .checked_add(size)
                        .and_then(|end| end.checked_add(2))
                        .is_some_and(|end| end <= MAX_BUFFER);
                    if !fits {
                        return err(
                            ErrorKind::BodyTooLarge,
                            data_start,
                            "chunk larger than any buffer can hold",
                        );
                    }
                    self.state = State::Data { left: size };
                }
                State::Data { left } => {
                    // `left` fits a buffer (checked above), so these cannot overflow.
                    let end = self.pos + left as usize;
                    if buf.len() < end + 2 {
                        return Ok(ChunkedStatus::Partial);
                    }
                    if &buf[end..end + 2] != b"\r\n" {
                        return err(ErrorKind::Chunked, end, "chunk data not followed by CRLF");
                    }
                    self.chunks.push(self.pos..end);
                    self.next_line(end + 2);
                    self.state = State::Size;
                }
                State::Trailers { start } => {
                    // The whole trailer section, its final CRLF included, is held to
                    // max_head_len: the CR of its last line sits before start + limit - 1.
                    let window_end = start.saturating_add(limits.max_head_len).saturating_sub(2);
                    let Some(line_end) = self.line_end(
                        buf,
                        window_end,
                        ErrorKind::HeadTooLarge,
                        start,
                        "trailer section longer than max_head_len",
                    )?
                    else {
                        return Ok(ChunkedStatus::Partial);
                    };
                    if line_end == self.pos {
                        return Ok(ChunkedStatus::Done { end: line_end + 2 });
                    }
                    let (name, value) = crate::validate::header_line(buf, self.pos, line_end)?;
                    if self.trailers.len() >= limits.max_headers {
                        return err(
                            ErrorKind::TooManyHeaders,
                            self.pos,
                            "too many trailer fields",
                        );
                    }
                    self.trailers.push((name, value));
                    self.next_line(line_end + 2);
                }
            }
        }
    }
}

/// Looks for the CRLF ending a line, from `from` (bytes before it are known to hold no CR
/// or LF) up to the CR position `window_end` (inclusive) that the line's limit allows.
/// A bare LF, or a CR not followed by LF, is an error.
fn find_crlf(buf: &[u8], from: usize, window_end: usize) -> Result<LineEnd> {
    let stop = buf.len().min(window_end.saturating_add(1));
    let Some(rest) = buf.get(from..stop) else {
        // `from` is past the window (or the data): nothing more to look at.
        return Ok(if stop > window_end {
            LineEnd::TooLong
        } else {
            LineEnd::NotYet(from.min(buf.len()))
        });
    };
    match memchr::memchr2(b'\r', b'\n', rest) {
        Some(i) => {
            let at = from + i;
            if buf[at] == b'\n' {
                return Err(Error::ours(ErrorKind::BareLf, at, "LF without CR"));
            }
            match buf.get(at + 1) {
                Some(b'\n') => Ok(LineEnd::At(at)),
                Some(_) => Err(Error::ours(ErrorKind::Chunked, at, "CR not followed by LF")),
                None => Ok(LineEnd::NotYet(at)),
            }
        }
        // The whole window was seen without a line end.
        None if stop > window_end => Ok(LineEnd::TooLong),
        None => Ok(LineEnd::NotYet(stop)),
    }
}

/// `*( BWS ";" BWS ext-name [ BWS "=" BWS ext-value ] )`, ext-value = token / quoted-string.
fn check_extensions(mut rest: &[u8]) -> std::result::Result<(), ()> {
    let skip_ws =
        |s: &[u8]| -> usize { s.iter().take_while(|&&b| b == b' ' || b == b'\t').count() };
    loop {
        rest = &rest[skip_ws(rest)..];
        if rest.is_empty() {
            return Ok(());
        }
        if rest[0] != b';' {
            return Err(());
        }
        rest = &rest[1..];
        rest = &rest[skip_ws(rest)..];
        let name_len = rest
            .iter()
            .take_while(|&&b| crate::validate::is_tchar(b))
            .count();
        if name_len == 0 {
            return Err(());
        }
        rest = &rest[name_len..];
        let ws = skip_ws(rest);
        if rest.get(ws) == Some(&b'=') {
            rest = &rest[ws + 1..];
            rest = &rest[skip_ws(rest)..];
            if rest.first() == Some(&b'"') {
                let mut i = 1;
                loop {
                    match rest.get(i) {
                        None => return Err(()),
                        Some(b'"') => break,
                        Some(b'\\') => i += 2,
                        Some(&c) if c == b'\t' || (0x20..0x7f).contains(&c) || c >= 0x80 => i += 1,
                        Some(_) => return Err(()),
                    }
                }
                rest = &rest[i + 1..];
            } else {
                let value_len = rest
                    .iter()
                    .take_while(|&&b| crate::validate::is_tchar(b))
                    .count();
                if value_len == 0 {
                    return Err(());
                }
                rest = &rest[value_len..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framing_of(headers: &[Header<'_>], role: Role<'_>, head_len: usize) -> Result<Framing> {
        framing(headers.iter().copied(), role, 1, head_len)
    }

    fn h<'a>(name: &'a str, value: &'a str) -> Header<'a> {
        Header {
            name: name.as_bytes(),
            value: value.as_bytes(),
        }
    }

    #[test]
    fn framing_names_match_exactly_any_case() {
        for pattern in [&b"content-length"[..], b"transfer-encoding"] {
            // Every byte value at every position, on the pattern in lower and upper case.
            for base in [pattern.to_vec(), pattern.to_ascii_uppercase()] {
                for at in 0..base.len() {
                    for b in 0..=255u8 {
                        let mut name = base.clone();
                        name[at] = b;
                        assert_eq!(
                            framing_field(&name).is_some(),
                            name.eq_ignore_ascii_case(pattern),
                            "{:?}",
                            String::from_utf8_lossy(&name)
                        );
                    }
                }
            }
            // Every mix of cases of the letters (one bit per position, 2^14 / 2^17).
            for mask in 0u32..1 << pattern.len() {
                let name: Vec<u8> = (0..pattern.len())
                    .map(|i| {
                        let c = pattern[i];
                        if mask >> i & 1 == 1 {
                            c.to_ascii_uppercase()
                        } else {
                            c
                        }
                    })
                    .collect();
                assert!(framing_field(&name).is_some());
            }
        }
        assert_eq!(framing_field(b"Content-Lengtx"), None);
        assert_eq!(framing_field(b"Content-Length "), None);
    }

    #[test]
    fn framing_rules() {
        use Framing::*;
        let req = Role::Request;
        assert_eq!(framing_of(&[], req, 0), Ok(None));
        assert_eq!(
            framing_of(&[h("Content-Length", "5")], req, 0),
            Ok(Length(5))
        );
        assert_eq!(
            framing_of(&[h("Transfer-Encoding", "gzip, chunked")], req, 0),
            Ok(Chunked)
        );
        for bad in [
            vec![h("Content-Length", "5"), h("Content-Length", "6")],
            vec![h("content-length", "5"), h("Content-Length", "5")],
            vec![h("Content-Length", "5"), h("Transfer-Encoding", "chunked")],
            vec![h("Content-Length", "-1")],
            vec![h("Content-Length", "5, 5")],
            vec![h("Content-Length", "99999999999999999999999")],
            vec![h("Transfer-Encoding", "chunked, gzip")],
            vec![h("Transfer-Encoding", "chunked, chunked")],
            vec![
                h("Transfer-Encoding", "chunked"),
                h("Transfer-Encoding", "chunked"),
            ],
        ] {
            let e = framing_of(&bad, req, 7).expect_err("must be rejected");
            assert_eq!((e.kind(), e.offset()), (ErrorKind::Framing, 7), "{bad:?}");
        }
        let resp = |status| Role::Response {
            status,
            request_method: "GET",
        };
        assert_eq!(framing_of(&[], resp(200), 0), Ok(UntilClose));
        assert_eq!(
            framing_of(&[h("Content-Length", "3")], resp(204), 0),
            Ok(None)
        );
        assert_eq!(
            framing_of(&[h("Content-Length", "3")], resp(304), 0),
            Ok(None)
        );
        assert_eq!(
            framing_of(&[h("Transfer-Encoding", "gzip")], resp(200), 0),
            Ok(UntilClose)
        );
        let head = Role::Response {
            status: 200,
            request_method: "HEAD",
        };
        assert_eq!(framing_of(&[h("Content-Length", "3")], head, 0), Ok(None));
    }

    fn decode(body: &[u8]) -> Result<(Vec<Vec<u8>>, usize)> {
        let mut d = ChunkedDecoder::new(0);
        match d.feed(body, &Limits::default().max_body_len(u64::MAX))? {
            ChunkedStatus::Done { end } => Ok((
                d.chunks.iter().map(|r| body[r.clone()].to_vec()).collect(),
                end,
            )),
            ChunkedStatus::Partial => Ok((vec![], usize::MAX)),
        }
    }

    #[test]
    fn chunked_decoding() {
        let body = b"5;ext=1;q=\"a b\"\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\nNEXT";
        let (chunks, end) = decode(body).unwrap();
        assert_eq!(chunks, [b"hello".to_vec(), b" world".to_vec()]);
        assert_eq!(&body[end..], b"NEXT");
        for bad in [
            &b"g\r\n"[..],
            b"5\r\nhelloXX0\r\n\r\n",
            b"5\nhello\r\n0\r\n\r\n",
            b"10000000000000000\r\n",
            b"5;=x\r\n",
            b"5 x\r\n",
            b"0\r\nbad trailer\r\n\r\n",
        ] {
            assert!(decode(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn chunk_sizes_no_buffer_can_hold_are_errors() {
        // `left + 2` used to wrap for FFFFFFFFFFFFFFFE with an unlimited body.
        for size in ["FFFFFFFFFFFFFFFE", "FFFFFFFFFFFFFFFF", "8000000000000000"] {
            let body = format!("{size}\r\nabc\r\n0\r\n\r\n");
            let e = decode(body.as_bytes()).expect_err(size);
            assert_eq!(
                (e.kind(), e.offset()),
                (ErrorKind::BodyTooLarge, size.len() + 2)
            );
        }
    }

    #[test]
    fn lines_are_scanned_once_and_bounded() {
        let limits = Limits::default().max_chunk_line_len(10);
        let mut d = ChunkedDecoder::new(0);
        let body = b"1;aaaaaaaa\r\nx\r\n0\r\n\r\n";
        for n in 0..body.len() {
            assert_eq!(d.feed(&body[..n], &limits).unwrap(), ChunkedStatus::Partial);
            // Never rescans: the known-clean prefix only grows with the data.
            assert!(d.scanned <= n.max(d.pos));
        }
        assert_eq!(
            d.feed(body, &limits).unwrap(),
            ChunkedStatus::Done { end: body.len() }
        );
        let mut d = ChunkedDecoder::new(0);
        let e = d.feed(b"1;aaaaaaaaa", &limits).unwrap_err();
        assert_eq!((e.kind(), e.offset()), (ErrorKind::ChunkLineTooLong, 0));
    }

    #[test]
    fn chunked_decoding_resumes_at_every_split() {
        let body = b"3\r\nabc\r\n1;x\r\nd\r\n0\r\nT: 1\r\n\r\n";
        for split in 0..body.len() {
            let mut d = ChunkedDecoder::new(0);
            let limits = Limits::default().max_body_len(u64::MAX);
            let first = d.feed(&body[..split], &limits).unwrap();
            assert_eq!(first, ChunkedStatus::Partial, "split {split}");
            assert_eq!(
                d.feed(body, &limits).unwrap(),
                ChunkedStatus::Done { end: body.len() }
            );
            assert_eq!(d.chunks.len(), 2);
            assert_eq!(d.trailers.len(), 1);
        }
    }
}
