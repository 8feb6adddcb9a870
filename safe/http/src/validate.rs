//! The strict checks this crate applies to every message head, so that every backend
//! gives the same verdict (backends differ in what they tolerate: bare LF, obs-fold,
//! unknown methods, control characters).

use crate::error::{Error, ErrorKind, Result};
use std::ops::Range;

/// The methods llhttp and http_parser know (RFC 9110, WebDAV, and the other registered
/// ones they parse); other backends are held to the same set.
pub const METHODS: &[&str] = &[
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "DELETE",
    "CONNECT",
    "OPTIONS",
    "TRACE",
    "PATCH",
    "COPY",
    "LOCK",
    "MKCOL",
    "MOVE",
    "PROPFIND",
    "PROPPATCH",
    "SEARCH",
    "UNLOCK",
    "BIND",
    "REBIND",
    "UNBIND",
    "ACL",
    "REPORT",
    "MKACTIVITY",
    "CHECKOUT",
    "MERGE",
    "M-SEARCH",
    "NOTIFY",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "PURGE",
    "MKCALENDAR",
    "LINK",
    "UNLINK",
    "SOURCE",
];

/// RFC 9110 `tchar`.
#[inline]
pub fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A field-value byte: HTAB, SP, VCHAR or obs-text.
#[inline]
fn is_field_byte(b: u8) -> bool {
    b == b'\t' || (0x20..0x7f).contains(&b) || b >= 0x80
}

/// Parses and checks one header line `buf[start..end]` (without its CRLF); returns the
/// name and the trimmed value ranges.
pub(crate) fn header_line(
    buf: &[u8],
    start: usize,
    end: usize,
) -> Result<(Range<usize>, Range<usize>)> {
    let line = &buf[start..end];
    if matches!(line.first(), Some(b' ' | b'\t')) {
        return Err(Error::ours(
            ErrorKind::ObsFold,
            start,
            "header line starts with whitespace",
        ));
    }
    let name_len = line.iter().take_while(|&&b| is_tchar(b)).count();
    if name_len == 0 || line.get(name_len) != Some(&b':') {
        return Err(Error::ours(
            ErrorKind::Header,
            start + name_len,
            "invalid header name or missing colon",
        ));
    }
    let value = &line[name_len + 1..];
    if let Some(bad) = value.iter().position(|&b| !is_field_byte(b)) {
        return Err(Error::ours(
            ErrorKind::Header,
            start + name_len + 1 + bad,
            "invalid byte in header value",
        ));
    }
    let lead = value
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let trail = value[lead..]
        .iter()
        .rev()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let value_start = start + name_len + 1 + lead;
    Ok((start..start + name_len, value_start..end - trail))
}

/// Which message the head belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum HeadKind {
    /// A request head.
    Request,
    /// A response head.
    Response,
}

/// Checks a whole head `buf[..head_len]` (ending with the blank line) byte by byte:
/// CRLF line endings only, no obs-fold, a valid start line, valid header lines.
/// Returns the header ranges (the same the backend found, re-derived here so the checks
/// and the result cannot disagree).
pub(crate) fn check_head(buf: &[u8], head_len: usize, kind: HeadKind) -> Result<()> {
    let head = &buf[..head_len];
    // Line endings: every LF preceded by CR, every CR followed by LF.
    for (i, &b) in head.iter().enumerate() {
        match b {
            b'\n' if i == 0 || head[i - 1] != b'\r' => {
                return Err(Error::ours(ErrorKind::BareLf, i, "LF without CR"))
            }
            b'\r' if head.get(i + 1) != Some(&b'\n') => {
                return Err(Error::ours(
                    ErrorKind::StartLine,
                    i,
                    "CR not followed by LF",
                ))
            }
            _ => {}
        }
    }
    let mut lines = LineIter { head, pos: 0 };
    let Some(first) = lines.next() else {
        return Err(Error::ours(ErrorKind::StartLine, 0, "empty head"));
    };
    match kind {
        HeadKind::Request => check_request_line(head, first)?,
        HeadKind::Response => check_status_line(head, first)?,
    }
    for line in lines {
        if line.is_empty() {
            break; // the blank line ending the head
        }
        header_line(head, line.start, line.end)?;
    }
    Ok(())
}

/// The start line only (for backends that check header lines themselves): method,
/// target and version syntax, a known method, HTTP/1.0 or HTTP/1.1.
pub(crate) fn check_start_line(buf: &[u8], head_len: usize, kind: HeadKind) -> Result<()> {
    let head = &buf[..head_len];
    let Some(end) = head.iter().position(|&b| b == b'\n') else {
        return Err(Error::ours(ErrorKind::StartLine, 0, "no start line"));
    };
    if end == 0 || head[end - 1] != b'\r' {
        return Err(Error::ours(ErrorKind::BareLf, end, "LF without CR"));
    }
    match kind {
        HeadKind::Request => check_request_line(head, 0..end - 1),
        HeadKind::Response => check_status_line(head, 0..end - 1),
    }
}

/// After a backend rejected `buf`, finds the first problem this crate's own checks see in
/// the complete lines of `buf`, so that the error kind does not depend on the backend.
pub(crate) fn diagnose(buf: &[u8], kind: HeadKind) -> Option<Error> {
    // The complete lines: up to and including the last LF (or the head's blank line).
    let mut complete = match buf.iter().rposition(|&b| b == b'\n') {
        Some(i) => i + 1,
        None => return None,
    };
    if let Some(blank) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
        complete = complete.min(blank + 4);
    }
    check_head(buf, complete, kind).err().or_else(|| {
        // The line being read when the backend stopped: a leading space is obs-fold.
        let starts_folded = complete > 2 && matches!(buf.get(complete), Some(b' ' | b'\t'));
        starts_folded.then(|| {
            Error::ours(
                ErrorKind::ObsFold,
                complete,
                "header line starts with whitespace",
            )
        })
    })
}

struct LineIter<'a> {
    head: &'a [u8],
    pos: usize,
}

impl Iterator for LineIter<'_> {
    type Item = Range<usize>;
    fn next(&mut self) -> Option<Range<usize>> {
        let rest = self.head.get(self.pos..)?;
        let len = rest.windows(2).position(|w| w == b"\r\n")?;
        let line = self.pos..self.pos + len;
        self.pos += len + 2;
        Some(line)
    }
}

fn check_version(v: &[u8], at: usize) -> Result<()> {
    let well_formed = v.len() == 8
        && v.starts_with(b"HTTP/")
        && v[5].is_ascii_digit()
        && v[6] == b'.'
        && v[7].is_ascii_digit();
    match v {
        b"HTTP/1.1" | b"HTTP/1.0" => Ok(()),
        _ if well_formed => Err(Error::ours(
            ErrorKind::Version,
            at,
            "only HTTP/1.0 and HTTP/1.1",
        )),
        _ => Err(Error::ours(
            ErrorKind::StartLine,
            at,
            "malformed HTTP version",
        )),
    }
}

fn check_request_line(head: &[u8], line: Range<usize>) -> Result<()> {
    let text = &head[line.clone()];
    let mut parts = text.splitn(3, |&b| b == b' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(Error::ours(
            ErrorKind::StartLine,
            line.start,
            "request line needs method, target and version",
        ));
    };
    if !METHODS.iter().any(|m| m.as_bytes() == method) {
        let kind = if method.iter().all(|&b| is_tchar(b)) && !method.is_empty() {
            ErrorKind::Method
        } else {
            ErrorKind::StartLine
        };
        return Err(Error::ours(kind, line.start, "unknown or malformed method"));
    }
    let target_at = line.start + method.len() + 1;
    if target.is_empty() || target.iter().any(|&b| !(0x21..0x7f).contains(&b)) {
        return Err(Error::ours(
            ErrorKind::StartLine,
            target_at,
            "invalid request target",
        ));
    }
    check_version(version, target_at + target.len() + 1)
}

fn check_status_line(head: &[u8], line: Range<usize>) -> Result<()> {
    let text = &head[line.clone()];
    let at = line.start;
    if text.len() < 12 || text[8] != b' ' || (text.len() > 12 && text[12] != b' ') {
        return Err(Error::ours(
            ErrorKind::StartLine,
            at,
            "malformed status line",
        ));
    }
    check_version(&text[..8], at)?;
    if !text[9..12].iter().all(u8::is_ascii_digit) || text[9] == b'0' {
        return Err(Error::ours(
            ErrorKind::StartLine,
            at + 9,
            "invalid status code",
        ));
    }
    if let Some(bad) = text
        .get(13..)
        .unwrap_or(&[])
        .iter()
        .position(|&b| !is_field_byte(b))
    {
        return Err(Error::ours(
            ErrorKind::StartLine,
            at + 13 + bad,
            "invalid byte in reason phrase",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(head: &str) -> Result<()> {
        check_head(head.as_bytes(), head.len(), HeadKind::Request)
    }

    #[test]
    fn accepts_well_formed_heads() {
        req("GET / HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
        req("OPTIONS * HTTP/1.1\r\n\r\n").unwrap();
        req("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n").unwrap();
        req("GET http://a/b?c HTTP/1.0\r\nX-Empty:\r\nX: \t v \t\r\n\r\n").unwrap();
        let resp = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        check_head(resp.as_bytes(), resp.len(), HeadKind::Response).unwrap();
        let resp = "HTTP/1.1 204\r\n\r\n";
        check_head(resp.as_bytes(), resp.len(), HeadKind::Response).unwrap();
    }

    #[test]
    fn rejects_the_smuggling_family() {
        for (head, kind) in [
            ("GET / HTTP/1.1\nHost: a\r\n\r\n", ErrorKind::BareLf),
            ("GET / HTTP/1.1\r\nHost: a\n\r\n", ErrorKind::BareLf),
            ("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", ErrorKind::ObsFold),
            ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", ErrorKind::Header),
            ("GET / HTTP/1.1\r\nHo(st: a\r\n\r\n", ErrorKind::Header),
            ("GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n", ErrorKind::Header),
            ("GET / HTTP/1.1\r\nX: a\x7fb\r\n\r\n", ErrorKind::Header),
            ("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", ErrorKind::StartLine),
            ("FOO / HTTP/1.1\r\n\r\n", ErrorKind::Method),
            ("GET / HTTP/2.0\r\n\r\n", ErrorKind::Version),
            ("GET  / HTTP/1.1\r\n\r\n", ErrorKind::StartLine),
            ("GET /a b HTTP/1.1\r\n\r\n", ErrorKind::StartLine),
            ("GET / HTTP/1.1 \r\n\r\n", ErrorKind::StartLine),
        ] {
            let e = req(head).expect_err(head);
            assert_eq!(e.kind(), kind, "{head:?}: {e}");
        }
    }
}
