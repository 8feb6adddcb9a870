//! Message framing shared by every backend: which body a message has (RFC 9112 §6.3),
//! and a strict, resumable chunked decoder. Doing this once here is what makes every
//! backend give the same verdicts on the request-smuggling family.

use crate::error::{Error, ErrorKind, Result};
use crate::message::Header;

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

/// Decides the framing from the headers; `head_len` is used for error offsets.
pub(crate) fn framing<'h>(
    headers: impl IntoIterator<Item = Header<'h>>,
    role: Role<'_>,
    head_len: usize,
) -> Result<Framing> {
    let framing_error = |reason: &'static str| Error::ours(ErrorKind::Framing, head_len, reason);
    let mut length: Option<u64> = None;
    let mut transfer_encoding: Option<&[u8]> = None;
    for h in headers {
        // Cheap first test: both names are long and start with c/t.
        if h.name.len() < 14 {
            continue;
        }
        if h.name.eq_ignore_ascii_case(b"content-length") {
            // RFC 9110 §8.6 tolerates repeated identical values; we (like llhttp) accept
            // exactly one field holding one decimal number.
            let value = parse_content_length(h.value)
                .ok_or_else(|| framing_error("invalid Content-Length value"))?;
            if length.replace(value).is_some() {
                return Err(framing_error("several Content-Length fields"));
            }
        } else if h.name.eq_ignore_ascii_case(b"transfer-encoding") {
            if transfer_encoding.is_some() {
                return Err(framing_error("several Transfer-Encoding fields"));
            }
            transfer_encoding = Some(h.value);
        }
    }
    // The conflicts are errors whatever the status (the same rules as the head checker).
    if transfer_encoding.is_some() && length.is_some() {
        return Err(framing_error("both Content-Length and Transfer-Encoding"));
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
    value.iter().try_fold(0u64, |acc, &d| {
        acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

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
    /// In the trailer section (after the last chunk).
    Trailers,
}

/// A strict, resumable decoder of the chunked transfer coding (RFC 9112 §7.1).
///
/// It parses whole lines only, so when a line is incomplete it returns `Partial` and
/// resumes at the same line next time: work is linear in the body size.
#[derive(Debug, Clone)]
pub(crate) struct ChunkedDecoder {
    state: State,
    /// Where decoding resumes, as an offset into the caller's buffer.
    pos: usize,
    /// Chunk data ranges found so far.
    pub chunks: Vec<std::ops::Range<usize>>,
    /// Trailer fields found so far.
    pub trailers: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    total: u64,
}

impl ChunkedDecoder {
    /// A decoder for a body starting at `start` in the buffer.
    pub fn new(start: usize) -> Self {
        ChunkedDecoder {
            state: State::Size,
            pos: start,
            chunks: Vec::new(),
            trailers: Vec::new(),
            total: 0,
        }
    }

    /// Decodes as much of `buf` as possible.
    pub fn feed(
        &mut self,
        buf: &[u8],
        max_body: u64,
        max_trailers: usize,
    ) -> Result<ChunkedStatus> {
        let err = |kind, at: usize, reason: &'static str| Err(Error::ours(kind, at, reason));
        loop {
            match self.state {
                State::Size => {
                    let Some(line_end) = find_crlf(buf, self.pos)? else {
                        return Ok(ChunkedStatus::Partial);
                    };
                    let line = &buf[self.pos..line_end];
                    let hex_len = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
                    if hex_len == 0 {
                        return err(ErrorKind::Chunked, self.pos, "missing chunk size");
                    }
                    let mut size: u64 = 0;
                    for &d in &line[..hex_len] {
                        let digit = (d as char).to_digit(16).unwrap_or(0) as u64;
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
                    self.pos = line_end + 2;
                    if size == 0 {
                        self.state = State::Trailers;
                    } else {
                        self.total = self.total.saturating_add(size);
                        if self.total > max_body {
                            return err(
                                ErrorKind::BodyTooLarge,
                                self.pos,
                                "chunked body exceeds max_body_len",
                            );
                        }
                        self.state = State::Data { left: size };
                    }
                }
                State::Data { left } => {
                    let available = (buf.len() - self.pos) as u64;
                    if available < left + 2 {
                        return Ok(ChunkedStatus::Partial);
                    }
                    let end = self.pos + left as usize;
                    if &buf[end..end + 2] != b"\r\n" {
                        return err(ErrorKind::Chunked, end, "chunk data not followed by CRLF");
                    }
                    self.chunks.push(self.pos..end);
                    self.pos = end + 2;
                    self.state = State::Size;
                }
                State::Trailers => {
                    let Some(line_end) = find_crlf(buf, self.pos)? else {
                        return Ok(ChunkedStatus::Partial);
                    };
                    if line_end == self.pos {
                        return Ok(ChunkedStatus::Done { end: line_end + 2 });
                    }
                    let (name, value) = crate::validate::header_line(buf, self.pos, line_end)?;
                    if self.trailers.len() >= max_trailers {
                        return err(
                            ErrorKind::TooManyHeaders,
                            self.pos,
                            "too many trailer fields",
                        );
                    }
                    self.trailers.push((name, value));
                    self.pos = line_end + 2;
                }
            }
        }
    }
}

/// The offset of the next CRLF at or after `from`; `None` if the line is incomplete.
/// A bare LF (or a CR not followed by LF) is an error.
fn find_crlf(buf: &[u8], from: usize) -> Result<Option<usize>> {
    for (i, &b) in buf[from..].iter().enumerate() {
        let at = from + i;
        match b {
            b'\n' => return Err(Error::ours(ErrorKind::BareLf, at, "LF without CR")),
            b'\r' => {
                return match buf.get(at + 1) {
                    Some(b'\n') => Ok(Some(at)),
                    Some(_) => Err(Error::ours(ErrorKind::Chunked, at, "CR not followed by LF")),
                    None => Ok(None),
                }
            }
            _ => {}
        }
    }
    Ok(None)
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
        framing(headers.iter().copied(), role, head_len)
    }

    fn h<'a>(name: &'a str, value: &'a str) -> Header<'a> {
        Header {
            name: name.as_bytes(),
            value: value.as_bytes(),
        }
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
        match d.feed(body, u64::MAX, 100)? {
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
    fn chunked_decoding_resumes_at_every_split() {
        let body = b"3\r\nabc\r\n1;x\r\nd\r\n0\r\nT: 1\r\n\r\n";
        for split in 0..body.len() {
            let mut d = ChunkedDecoder::new(0);
            let first = d.feed(&body[..split], u64::MAX, 10).unwrap();
            assert_eq!(first, ChunkedStatus::Partial, "split {split}");
            assert_eq!(
                d.feed(body, u64::MAX, 10).unwrap(),
                ChunkedStatus::Done { end: body.len() }
            );
            assert_eq!(d.chunks.len(), 2);
            assert_eq!(d.trailers.len(), 1);
        }
    }
}
