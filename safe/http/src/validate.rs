//! The strict checks this crate applies to every message head, so that every backend
//! gives the same verdict (backends differ in what they tolerate: bare LF, obs-fold,
//! unknown methods, control characters).

use crate::error::{Error, ErrorKind, Result};
use crate::message::Limits;
use crate::scan::{plain_start_line, Scanner};
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

const fn byte_table(tchar: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if tchar {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        } else {
            // field-vchar / obs-text / SP / HTAB
            c == b'\t' || (c >= 0x20 && c != 0x7f)
        };
        b += 1;
    }
    t
}

static TCHAR: [bool; 256] = byte_table(true);
static FIELD: [bool; 256] = byte_table(false);

/// RFC 9110 `tchar`.
#[inline]
pub fn is_tchar(b: u8) -> bool {
    TCHAR[b as usize]
}

/// The index of the first byte of `v` that `bad` flags, sixteen bytes at a time (SSE2,
/// part of the x86-64 baseline): `bad` maps sixteen bytes to a mask of the flagged ones
/// (bit i = byte i) and must agree with `table` (`false` = flagged), used for inputs
/// shorter than sixteen bytes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn first_flagged_byte(
    v: &[u8],
    bad: impl Fn(std::arch::x86_64::__m128i) -> u32,
    table: &[bool; 256],
) -> Option<usize> {
    use std::arch::x86_64::_mm_loadu_si128;
    let n = v.len();
    let mut i = 0;
    while i + 16 <= n {
        // SAFETY: bytes i..i + 16 lie inside `v`; the load is unaligned.
        let mask = bad(unsafe { _mm_loadu_si128(v.as_ptr().add(i).cast()) });
        if mask != 0 {
            return Some(i + mask.trailing_zeros() as usize);
        }
        i += 16;
    }
    if i == n {
        return None;
    }
    if n >= 16 {
        // The last 16 bytes, overlapping what was checked: drop the bits before `i`.
        // SAFETY: bytes n - 16..n lie inside `v`.
        let mask = bad(unsafe { _mm_loadu_si128(v.as_ptr().add(n - 16).cast()) }) >> (i - (n - 16));
        return (mask != 0).then(|| i + mask.trailing_zeros() as usize);
    }
    v[i..]
        .iter()
        .position(|&b| !table[b as usize])
        .map(|p| i + p)
}

/// The index of the first byte of `v` that may not appear in a field value (control
/// characters other than HTAB, and DEL), sixteen bytes at a time.
#[cfg(target_arch = "x86_64")]
#[inline]
pub(crate) fn first_non_field_byte(v: &[u8]) -> Option<usize> {
    use std::arch::x86_64::{
        __m128i, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // The bytes of `x` that are not field bytes, as a bit mask (bit i = byte i).
    let bad = |x: __m128i| -> u32 {
        // SAFETY: SSE2 only (see above); no memory is accessed.
        unsafe {
            // x >= 0x20 (unsigned) exactly when max(x, 0x20) == x.
            let printable = _mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8(0x20)), x);
            let tab = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x09));
            let del = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
            let ok = _mm_andnot_si128(del, _mm_or_si128(printable, tab));
            !(_mm_movemask_epi8(ok) as u32) & 0xffff
        }
    };
    first_flagged_byte(v, bad, &FIELD)
}

/// The index of the first byte of `v` that may not appear in a field value (control
/// characters other than HTAB, and DEL), eight bytes at a time while all are plain.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
pub(crate) fn first_non_field_byte(v: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while i + 8 <= v.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&v[i..i + 8]);
        let x = u64::from_le_bytes(word);
        // Some byte < 0x20, or some byte == 0x7f: look at this block byte by byte.
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        let y = x ^ (ONES * 0x7f);
        let del = y.wrapping_sub(ONES) & !y & HIGHS;
        if below_space | del != 0 {
            break;
        }
        i += 8;
    }
    v[i..]
        .iter()
        .position(|&b| !FIELD[b as usize])
        .map(|p| i + p)
}

/// Parses and checks one header line `buf[start..end]` (without its CRLF); returns the
/// name and the trimmed value ranges.
pub(crate) fn header_line(
    buf: &[u8],
    start: usize,
    end: usize,
) -> Result<(Range<usize>, Range<usize>)> {
    let line = &buf[start..end];
    let name_len = header_name(buf, start, end)?;
    let value = &line[name_len + 1..];
    if let Some(bad) = first_non_field_byte(value) {
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

/// What this crate re-checks in a head after a backend accepted it: the rules the
/// backend does not enforce itself (see each backend's `HEAD_CHECKS`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadChecks {
    /// The start line only (the backend checks its header lines strictly, or, like the
    /// picohttpparser backend, completes its checks itself).
    StartLine,
    /// Every rule, byte by byte.
    All,
}

/// Checks a whole head `buf[..head_len]` with every rule (tests).
#[cfg(test)]
pub(crate) fn check_head(buf: &[u8], head_len: usize, kind: HeadKind) -> Result<()> {
    check_head_with(buf, head_len, kind, HeadChecks::All, &Limits::default())
}

/// Checks a head `buf[..head_len]` that a backend accepted, as far as `checks` says:
/// the start line, or every rule.
pub(crate) fn check_head_with(
    buf: &[u8],
    head_len: usize,
    kind: HeadKind,
    checks: HeadChecks,
    limits: &Limits,
) -> Result<()> {
    let head = &buf[..head_len];
    if checks == HeadChecks::All {
        return match Scanner::new(kind, limits).scan(head)? {
            Some(n) if n == head_len => Ok(()),
            // The backend ended the head elsewhere (e.g. took CR + any byte as a line
            // end): the checker's first problem in the whole input says why.
            _ => Err(diagnose(buf, kind, limits).unwrap_or_else(|| {
                Error::ours(
                    ErrorKind::Other,
                    head_len,
                    "the head does not end where the backend said",
                )
            })),
        };
    }
    // The start line: a fast accept, else the full checker.
    let Some(first_lf) = memchr::memchr(b'\n', head) else {
        return Err(Error::ours(ErrorKind::StartLine, 0, "no start line"));
    };
    let start_line = &head[..=first_lf];
    if !plain_start_line(start_line, kind) {
        Scanner::new(kind, limits).scan(start_line)?;
    }
    Ok(())
}

#[cold]
fn obs_fold(at: usize) -> Error {
    Error::ours(ErrorKind::ObsFold, at, "header line starts with whitespace")
}

/// The name part of a header line: a token directly followed by a colon.
fn header_name(buf: &[u8], start: usize, end: usize) -> Result<usize> {
    let line = &buf[start..end];
    if matches!(line.first(), Some(b' ' | b'\t')) {
        return Err(obs_fold(start));
    }
    let name_len = line.iter().take_while(|&&b| is_tchar(b)).count();
    if name_len == 0 || line.get(name_len) != Some(&b':') {
        return Err(Error::ours(
            ErrorKind::Header,
            start + name_len,
            "invalid header name or missing colon",
        ));
    }
    Ok(name_len)
}

/// After a backend rejected `buf`, the first problem this crate's own checker sees in
/// it (classified from the bytes up to that point only), so that the error kind does not
/// depend on the backend or on how the input was split.
pub(crate) fn diagnose(buf: &[u8], kind: HeadKind, limits: &Limits) -> Option<Error> {
    Scanner::new(kind, limits).scan(buf).err()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(head: &str) -> Result<()> {
        check_head(head.as_bytes(), head.len(), HeadKind::Request)
    }

    #[test]
    fn first_non_field_byte_is_the_table() {
        let table = |v: &[u8]| v.iter().position(|&b| !FIELD[b as usize]);
        for len in 0..48 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut v = vec![b'a'; len];
                    v[at] = b;
                    assert_eq!(first_non_field_byte(&v), table(&v), "{len} {at} {b}");
                    // A later bad byte never hides an earlier one.
                    if at + 1 < len {
                        v[len - 1] = 0;
                        assert_eq!(first_non_field_byte(&v), table(&v), "{len} {at} {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn accepts_well_formed_heads() {
        req("GET / HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
        req("OPTIONS * HTTP/1.1\r\n\r\n").unwrap();
        req("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n").unwrap();
        req("GET http://a/b?c HTTP/1.0\r\nX-Empty:\r\nX: \t v \t\r\n\r\n").unwrap();
        let resp = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        check_head(resp.as_bytes(), resp.len(), HeadKind::Response).unwrap();
        let resp = "HTTP/1.1 204 \r\n\r\n";
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
            ("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", ErrorKind::Header),
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
