//! The HTTP/1.x conformance suite, generic over [`arsenal_http::backend::HeadParser`].
//!
//! The cases live in `tests/data/http_cases.json` (valid messages with their expected
//! parse results, and the malformed / request-smuggling family with the error kind every
//! backend must report). Instantiate with [`http_conformance!`](crate::http_conformance).

use crate::data::Rng;
use arsenal_http::backend::HeadParser;
use arsenal_http::{Body, ErrorKind, HttpParser, Limits, Status, Version};
use serde_json::Value;

/// One case of `http_cases.json`.
#[derive(Debug, Clone)]
pub struct Case {
    /// Short description.
    pub name: String,
    /// `true` for a response.
    pub response: bool,
    /// The method of the request a response answers.
    pub request_method: String,
    /// Whether the connection closes after the input (responses delimited by EOF).
    pub eof: bool,
    /// The bytes.
    pub input: Vec<u8>,
    /// The expected result, or `None` when an error is expected.
    pub expect: Option<Value>,
    /// The expected error kind.
    pub error: Option<ErrorKind>,
}

fn kind_from_name(name: &str) -> ErrorKind {
    match name {
        "StartLine" => ErrorKind::StartLine,
        "Method" => ErrorKind::Method,
        "Version" => ErrorKind::Version,
        "Header" => ErrorKind::Header,
        "ObsFold" => ErrorKind::ObsFold,
        "BareLf" => ErrorKind::BareLf,
        "Framing" => ErrorKind::Framing,
        "Chunked" => ErrorKind::Chunked,
        "TooManyHeaders" => ErrorKind::TooManyHeaders,
        "HeadTooLarge" => ErrorKind::HeadTooLarge,
        "BodyTooLarge" => ErrorKind::BodyTooLarge,
        "ChunkLineTooLong" => ErrorKind::ChunkLineTooLong,
        "TooManyChunks" => ErrorKind::TooManyChunks,
        other => panic!("unknown error kind {other} in http_cases.json"),
    }
}

/// Reads `tests/data/http_cases.json`.
pub fn cases() -> Vec<Case> {
    let text = include_str!("../data/http_cases.json");
    let doc: Value = serde_json::from_str(text).expect("http_cases.json is JSON");
    doc["cases"]
        .as_array()
        .expect("cases array")
        .iter()
        .map(|c| Case {
            name: c["name"].as_str().unwrap_or_default().to_owned(),
            response: c["kind"] == "response",
            request_method: c["request_method"].as_str().unwrap_or("GET").to_owned(),
            eof: c["eof"].as_bool().unwrap_or(false),
            // Latin-1: each char is one byte.
            input: c["input"]
                .as_str()
                .expect("input")
                .chars()
                .map(|ch| ch as u32 as u8)
                .collect(),
            expect: c.get("expect").cloned(),
            error: c["error"].as_str().map(kind_from_name),
        })
        .collect()
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

fn headers_json(headers: &[arsenal_http::Header<'_>]) -> Value {
    Value::Array(
        headers
            .iter()
            .map(|h| Value::Array(vec![latin1(h.name).into(), latin1(h.value).into()]))
            .collect(),
    )
}

fn body_json(body: &Body<'_>) -> (Value, Value) {
    let chunks = match body {
        Body::Chunked(chunks) => Value::Array(chunks.iter().map(|c| latin1(c).into()).collect()),
        _ => Value::Null,
    };
    (latin1(&body.to_vec()).into(), chunks)
}

fn version_json(v: Version) -> Value {
    v.to_string().into()
}

/// Parses `input` in one piece: the result as JSON in the data file's shape, or the
/// error kind.
pub fn parse_once<H: HeadParser>(
    parser: &mut HttpParser<H>,
    case: &Case,
    input: &[u8],
) -> Result<Option<Value>, ErrorKind> {
    let result = if case.response {
        let status = if case.eof {
            parser.parse_response_at_eof(input, &case.request_method)
        } else {
            parser.parse_response(input, &case.request_method)
        };
        status.map(|s| match s {
            Status::Partial => None,
            Status::Complete { message: r, consumed } => {
                let (body, chunks) = body_json(&r.body);
                Some(serde_json::json!({
                    "status": r.status, "reason": latin1(r.reason), "version": version_json(r.version),
                    "headers": headers_json(&r.headers), "body": body, "chunks": chunks,
                    "trailers": headers_json(&r.trailers), "consumed": consumed,
                }))
            }
        })
    } else {
        parser.parse_request(input).map(|s| match s {
            Status::Partial => None,
            Status::Complete { message: r, consumed } => {
                let (body, chunks) = body_json(&r.body);
                Some(serde_json::json!({
                    "method": r.method, "target": latin1(r.target), "version": version_json(r.version),
                    "headers": headers_json(&r.headers), "body": body, "chunks": chunks,
                    "trailers": headers_json(&r.trailers), "consumed": consumed,
                }))
            }
        })
    };
    result.map_err(|e| e.kind())
}

/// Every case of the data file, in one piece: the expected result or error kind.
pub fn check_cases<H: HeadParser>() {
    let mut failures = Vec::new();
    for case in cases() {
        let mut parser = HttpParser::<H>::new().expect("parser");
        let got = parse_once(&mut parser, &case, &case.input);
        let want = match (&case.expect, case.error) {
            (Some(v), _) => Ok(Some(v.clone())),
            (None, Some(kind)) => Err(kind),
            (None, None) => panic!("case {} expects nothing", case.name),
        };
        if got != want {
            failures.push(format!("{}: got {got:?}, want {want:?}", case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{}: {} failures:\n{}",
        H::NAME,
        failures.len(),
        failures.join("\n")
    );
}

/// Every input fed in growing pieces (every split point, byte by byte): `Partial` until
/// the message is complete, then exactly the one-piece result; errors show up with the
/// same kind no later than the whole input.
pub fn check_every_split<H: HeadParser>() {
    for case in cases() {
        let mut one = HttpParser::<H>::new().expect("parser");
        let whole = parse_once(&mut one, &case, &case.input);
        let mut parser = HttpParser::<H>::new().expect("parser");
        let mut outcome = None;
        for end in 1..=case.input.len() {
            // The connection closes only after the whole input.
            let mut piece = case.clone();
            piece.eof = case.eof && end == case.input.len();
            match parse_once(&mut parser, &piece, &case.input[..end]) {
                Ok(None) => continue,
                other => {
                    outcome = Some(other);
                    break;
                }
            }
        }
        let outcome = outcome.unwrap_or(Ok(None));
        match (&whole, &outcome) {
            (Ok(Some(_)), Ok(Some(_))) | (Err(_), Err(_)) => {
                assert_eq!(
                    outcome,
                    whole,
                    "{}: {}: byte-by-byte differs from one piece",
                    H::NAME,
                    case.name
                )
            }
            _ => panic!(
                "{}: {}: byte-by-byte {outcome:?} vs one piece {whole:?}",
                H::NAME,
                case.name
            ),
        }
    }
}

/// 100 pipelined requests (mixed bodies) in one buffer parse in order.
pub fn check_pipelining<H: HeadParser>() {
    let mut wire = Vec::new();
    for i in 0..100 {
        match i % 3 {
            0 => {
                wire.extend_from_slice(format!("GET /r/{i} HTTP/1.1\r\nHost: a\r\n\r\n").as_bytes())
            }
            1 => wire.extend_from_slice(
                format!("POST /r/{i} HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok")
                    .as_bytes(),
            ),
            _ => wire.extend_from_slice(
                format!(
                    "PUT /r/{i} HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
                )
                .as_bytes(),
            ),
        }
    }
    // Once dropping each message, once handing it back with `recycle`: the same
    // messages, and with `recycle` the header vector is allocated only while it grows.
    let mut runs = Vec::new();
    for recycle in [false, true] {
        let mut parser = HttpParser::<H>::new().expect("parser");
        let mut rest = &wire[..];
        let mut seen = Vec::new();
        let mut last_headers: Option<(*const u8, usize)> = None;
        for i in 0..100 {
            let Status::Complete { message, consumed } = parser.parse_request(rest).expect("valid")
            else {
                panic!("{}: request {i} incomplete", H::NAME)
            };
            assert_eq!(message.target, format!("/r/{i}").as_bytes(), "{}", H::NAME);
            assert_eq!(
                message.body.to_vec(),
                if i % 3 == 0 { &b""[..] } else { b"ok" }
            );
            seen.push((
                owned_headers(&message.headers),
                owned_body(&message.body),
                owned_headers(&message.trailers),
                consumed,
            ));
            let here = (
                message.headers.as_ptr().cast::<u8>(),
                message.headers.capacity(),
            );
            if recycle {
                if let Some((ptr, capacity)) = last_headers {
                    if capacity >= message.headers.len() {
                        assert_eq!(here.0, ptr, "{}: request {i} reallocated", H::NAME);
                    }
                }
                last_headers = Some(here);
                parser.recycle(message);
            }
            rest = &rest[consumed..];
        }
        assert!(rest.is_empty());
        runs.push(seen);
    }
    assert_eq!(
        runs[0],
        runs[1],
        "{}: recycle changed the messages",
        H::NAME
    );
}

/// Limits: header count, head size and body size are enforced with their own kinds.
pub fn check_limits<H: HeadParser>() {
    let many: String = (0..20).map(|i| format!("X-{i}: v\r\n")).collect();
    let input = format!("GET / HTTP/1.1\r\n{many}\r\n");
    let mut p = HttpParser::<H>::with_limits(Limits::default().max_headers(10)).expect("parser");
    assert_eq!(
        p.parse_request(input.as_bytes())
            .map(|_| ())
            .map_err(|e| e.kind()),
        Err(ErrorKind::TooManyHeaders)
    );
    let mut p = HttpParser::<H>::with_limits(Limits::default().max_headers(20)).expect("parser");
    assert!(p.parse_request(input.as_bytes()).is_ok());
    let long = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(2000));
    let mut p = HttpParser::<H>::with_limits(Limits::default().max_head_len(1024)).expect("parser");
    assert_eq!(
        p.parse_request(long.as_bytes())
            .map(|_| ())
            .map_err(|e| e.kind()),
        Err(ErrorKind::HeadTooLarge)
    );
    // An endless head is cut off at the limit, not buffered forever.
    let endless = format!("GET / HTTP/1.1\r\nX: {}", "a".repeat(2000));
    let mut p = HttpParser::<H>::with_limits(Limits::default().max_head_len(1024)).expect("parser");
    assert_eq!(
        p.parse_request(endless.as_bytes())
            .map(|_| ())
            .map_err(|e| e.kind()),
        Err(ErrorKind::HeadTooLarge)
    );
    let big = b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n";
    let mut p = HttpParser::<H>::with_limits(Limits::default().max_body_len(10)).expect("parser");
    assert_eq!(
        p.parse_request(big).map(|_| ()).map_err(|e| e.kind()),
        Err(ErrorKind::BodyTooLarge)
    );
}

/// The request verdict of `input` fed as a peer might send it: one more byte per call
/// (the parser sees the whole prefix each time), until it is no longer `Partial`.
/// `Ok(None)`: still partial after the last byte; `Ok(Some((body_len, consumed)))`.
fn verdict_byte_by_byte<H: HeadParser>(
    limits: Limits,
    input: &[u8],
) -> Result<Option<(usize, usize)>, ErrorKind> {
    let mut p = HttpParser::<H>::with_limits(limits).expect("parser");
    for n in 1..=input.len() {
        match p.parse_request(&input[..n]) {
            Ok(Status::Partial) => continue,
            Ok(Status::Complete { message, consumed }) => {
                let len = match &message.body {
                    Body::Empty => 0,
                    Body::Bytes(b) => b.len(),
                    Body::Chunked(chunks) => chunks.iter().map(|c| c.len()).sum(),
                };
                return Ok(Some((len, consumed)));
            }
            Err(e) => return Err(e.kind()),
        }
    }
    Ok(None)
}

/// The request verdict of `input` in one call.
fn verdict_whole<H: HeadParser>(
    limits: Limits,
    input: &[u8],
) -> Result<Option<(usize, usize)>, ErrorKind> {
    let mut p = HttpParser::<H>::with_limits(limits).expect("parser");
    match p.parse_request(input) {
        Ok(Status::Partial) => Ok(None),
        Ok(Status::Complete { message, consumed }) => {
            let len = match &message.body {
                Body::Empty => 0,
                Body::Bytes(b) => b.len(),
                Body::Chunked(chunks) => chunks.iter().map(|c| c.len()).sum(),
            };
            Ok(Some((len, consumed)))
        }
        Err(e) => Err(e.kind()),
    }
}

const CHUNKED_HEAD: &str = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

/// Hostile framing (issue 12): sizes at the edge of `u64` with `max_body_len(u64::MAX)`,
/// endless chunk-size, extension and trailer lines fed one byte per call, and millions of
/// tiny chunks. Every verdict is a clear `Err` (or `Partial` while more could come),
/// never a panic, and the same whether the input comes whole or byte by byte.
pub fn check_hostile<H: HeadParser>() {
    let unlimited = Limits::default().max_body_len(u64::MAX);
    // A chunk as large as u64 allows: no buffer can hold it.
    for size in ["FFFFFFFFFFFFFFFE", "FFFFFFFFFFFFFFFF", "7FFFFFFFFFFFFFFF"] {
        let input = format!("{CHUNKED_HEAD}{size}\r\nabc\r\n0\r\n\r\n");
        assert_eq!(
            verdict_whole::<H>(unlimited.clone(), input.as_bytes()),
            Err(ErrorKind::BodyTooLarge),
            "chunk size {size}"
        );
    }
    // A large but addressable chunk that has not arrived yet stays partial.
    let input = format!("{CHUNKED_HEAD}FFFFFFFF\r\nabc");
    assert_eq!(
        verdict_whole::<H>(unlimited.clone(), input.as_bytes()),
        Ok(None)
    );
    // Content-Length at and near u64::MAX: above 2^63 - 1 the value is invalid framing
    // (the same on every backend); below, a body no buffer can hold is too large.
    for (n, kind) in [
        (u64::MAX, ErrorKind::Framing),
        (u64::MAX - 1, ErrorKind::Framing),
        (i64::MAX as u64 + 1, ErrorKind::Framing),
        (i64::MAX as u64, ErrorKind::BodyTooLarge),
        (i64::MAX as u64 - 10, ErrorKind::BodyTooLarge),
    ] {
        let input = format!("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: {n}\r\n\r\nabc");
        assert_eq!(
            verdict_whole::<H>(unlimited.clone(), input.as_bytes()),
            Err(kind),
            "Content-Length {n}"
        );
        assert_eq!(
            verdict_byte_by_byte::<H>(unlimited.clone(), input.as_bytes()),
            Err(kind),
            "Content-Length {n}, byte by byte"
        );
    }
    let input = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4294967296\r\n\r\nabc";
    assert_eq!(
        verdict_whole::<H>(unlimited.clone(), input.as_bytes()),
        Ok(None)
    );

    // An endless chunk extension, one byte per call: rejected once the line passes the
    // limit, the same verdict as in one call.
    let endless = format!("{CHUNKED_HEAD}1;{}", "a".repeat(256 << 10));
    for input in [
        endless.clone(),
        format!("{CHUNKED_HEAD}{}", "0".repeat(256 << 10)),
    ] {
        assert_eq!(
            verdict_byte_by_byte::<H>(Limits::default(), input.as_bytes()),
            Err(ErrorKind::ChunkLineTooLong)
        );
        assert_eq!(
            verdict_whole::<H>(Limits::default(), input.as_bytes()),
            Err(ErrorKind::ChunkLineTooLong)
        );
    }
    // Exactly at the limit is fine; one more byte is not (split-independent).
    let limits = Limits::default().max_chunk_line_len(8);
    let at_limit = format!("{CHUNKED_HEAD}1;abcdef\r\nx\r\n0\r\n\r\n");
    let over = format!("{CHUNKED_HEAD}1;abcdefg\r\nx\r\n0\r\n\r\n");
    let total = at_limit.len();
    assert_eq!(
        verdict_whole::<H>(limits.clone(), at_limit.as_bytes()),
        Ok(Some((1, total)))
    );
    assert_eq!(
        verdict_byte_by_byte::<H>(limits.clone(), at_limit.as_bytes()),
        Ok(Some((1, total)))
    );
    assert_eq!(
        verdict_whole::<H>(limits.clone(), over.as_bytes()),
        Err(ErrorKind::ChunkLineTooLong)
    );
    assert_eq!(
        verdict_byte_by_byte::<H>(limits, over.as_bytes()),
        Err(ErrorKind::ChunkLineTooLong)
    );
    // With the line limit lifted, a long extension line fed one byte per call is scanned
    // once (resumed where the last call stopped) and accepted.
    let long = format!(
        "{}\r\nx\r\n0\r\n\r\n",
        &endless[..CHUNKED_HEAD.len() + (64 << 10)]
    );
    let limits = Limits::default().max_chunk_line_len(usize::MAX);
    assert_eq!(
        verdict_byte_by_byte::<H>(limits, long.as_bytes()),
        Ok(Some((1, long.len())))
    );
    // An endless trailer section: bounded by max_head_len.
    let trailers = format!("{CHUNKED_HEAD}0\r\nX-T: {}", "t".repeat(128 << 10));
    assert_eq!(
        verdict_byte_by_byte::<H>(Limits::default(), trailers.as_bytes()),
        Err(ErrorKind::HeadTooLarge)
    );
    assert_eq!(
        verdict_whole::<H>(Limits::default(), trailers.as_bytes()),
        Err(ErrorKind::HeadTooLarge)
    );
    let many: String = (0..10_000).map(|i| format!("X-{i}: t\r\n")).collect();
    let trailers = format!("{CHUNKED_HEAD}0\r\n{many}\r\n");
    assert_eq!(
        verdict_whole::<H>(
            Limits::default().max_headers(usize::MAX),
            trailers.as_bytes()
        ),
        Err(ErrorKind::HeadTooLarge)
    );
    // Many one-byte chunks: the bookkeeping is bounded by max_chunks.
    let tiny = |n: usize| format!("{CHUNKED_HEAD}{}0\r\n\r\n", "1\r\na\r\n".repeat(n));
    let input = tiny(100_000);
    assert_eq!(
        verdict_whole::<H>(Limits::default(), input.as_bytes()),
        Err(ErrorKind::TooManyChunks)
    );
    let limits = Limits::default().max_chunks(1000);
    let input = tiny(1000);
    assert_eq!(
        verdict_whole::<H>(limits.clone(), input.as_bytes()),
        Ok(Some((1000, input.len())))
    );
    assert_eq!(
        verdict_whole::<H>(limits.clone(), tiny(1001).as_bytes()),
        Err(ErrorKind::TooManyChunks)
    );
    // Every limit at its maximum still parses ordinary messages.
    let max = Limits::default()
        .max_headers(usize::MAX)
        .max_head_len(usize::MAX)
        .max_body_len(u64::MAX)
        .max_chunk_line_len(usize::MAX)
        .max_chunks(usize::MAX);
    let input = format!("{CHUNKED_HEAD}3\r\nabc\r\n0\r\n\r\n");
    assert_eq!(
        verdict_whole::<H>(max.clone(), input.as_bytes()),
        Ok(Some((3, input.len())))
    );
    assert_eq!(
        verdict_byte_by_byte::<H>(max, input.as_bytes()),
        Ok(Some((3, input.len())))
    );
}

// ---------------------------------------------------------------------------------------
// The fuzz property, shared with the cargo-fuzz targets (fuzz/src/lib.rs) and replayed in
// the normal test run by `check_mutations` / `check_cross_backend`.

/// How the fuzz property parses an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// [`HttpParser::parse_request`].
    Request,
    /// [`HttpParser::parse_response`] to a [`FUZZ_REQUEST_METHOD`] request, the connection
    /// still open (a body delimited by the end of the connection stays `Partial`).
    Response,
    /// [`HttpParser::parse_response_at_eof`] to a [`FUZZ_REQUEST_METHOD`] request once the
    /// whole input is there (earlier pieces use `parse_response`).
    ResponseAtEof,
}

impl Mode {
    /// Every mode, in the order the property runs them.
    pub const ALL: [Mode; 3] = [Mode::Request, Mode::Response, Mode::ResponseAtEof];
}

/// The method of the request the fuzzed responses answer.
pub const FUZZ_REQUEST_METHOD: &str = "GET";

/// The small limits of the property's second parser configuration, so that the limit
/// checks (header count, head length, body length) are reached by short inputs too.
pub fn small_limits() -> Limits {
    Limits::default()
        .max_headers(4)
        .max_head_len(160)
        .max_body_len(32)
}

/// "default limits", "small limits" or the limits themselves, for messages.
fn limits_name(limits: &Limits) -> String {
    if *limits == Limits::default() {
        "default limits".to_owned()
    } else if *limits == small_limits() {
        "small limits".to_owned()
    } else {
        format!("{limits:?}")
    }
}

/// Bytes with a readable `Debug` (escaped like a byte-string literal).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Bytes(pub Vec<u8>);

impl std::fmt::Debug for Bytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

impl From<&[u8]> for Bytes {
    fn from(b: &[u8]) -> Self {
        Bytes(b.to_vec())
    }
}

/// An owned copy of a [`Body`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OwnedBody {
    /// [`Body::Empty`].
    Empty,
    /// [`Body::Bytes`].
    Bytes(Bytes),
    /// [`Body::Chunked`]: every chunk's data.
    Chunked(Vec<Bytes>),
}

/// An owned, comparable copy of a parsed request or response: everything the API returns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Message {
    /// The method (requests only).
    pub method: Option<String>,
    /// The request target (empty for responses).
    pub target: Bytes,
    /// The version.
    pub version: Version,
    /// The status code (0 for requests).
    pub status: u16,
    /// The reason phrase (empty for requests).
    pub reason: Bytes,
    /// Header fields (name, value) in order.
    pub headers: Vec<(Bytes, Bytes)>,
    /// The body.
    pub body: OwnedBody,
    /// Trailer fields.
    pub trailers: Vec<(Bytes, Bytes)>,
    /// Bytes of the input the message occupies.
    pub consumed: usize,
}

/// What one parse call gave: a message, `Ok(None)` for [`Status::Partial`], or the
/// error's kind.
pub type Step = Result<Option<Message>, ErrorKind>;

/// Whether a non-empty `part` lies inside `within` (an empty slice has no bytes to place).
fn inside(within: &[u8], part: &[u8]) -> bool {
    let (lo, hi) = (
        within.as_ptr() as usize,
        within.as_ptr() as usize + within.len(),
    );
    let (a, b) = (part.as_ptr() as usize, part.as_ptr() as usize + part.len());
    part.is_empty() || (lo <= a && b <= hi)
}

fn owned_headers(headers: &[arsenal_http::Header<'_>]) -> Vec<(Bytes, Bytes)> {
    headers
        .iter()
        .map(|h| (h.name.into(), h.value.into()))
        .collect()
}

fn owned_body(body: &Body<'_>) -> OwnedBody {
    match body {
        Body::Empty => OwnedBody::Empty,
        Body::Bytes(b) => OwnedBody::Bytes((*b).into()),
        Body::Chunked(chunks) => OwnedBody::Chunked(chunks.iter().map(|&c| c.into()).collect()),
    }
}

/// Checks that every slice of a complete message lies inside the bytes it consumed, and
/// that it consumed at least one byte and no more than the buffer.
#[allow(clippy::too_many_arguments)]
fn check_ranges(
    backend: &str,
    mode: Mode,
    buf: &[u8],
    consumed: usize,
    slices: &[&[u8]],
    headers: &[arsenal_http::Header<'_>],
    body: &Body<'_>,
    trailers: &[arsenal_http::Header<'_>],
) {
    let at = || {
        format!(
            "{backend} {mode:?} on {} bytes {:?}",
            buf.len(),
            Bytes(buf.to_vec())
        )
    };
    assert!(
        consumed > 0 && consumed <= buf.len(),
        "{}: consumed {consumed} of {} bytes",
        at(),
        buf.len()
    );
    let message = &buf[..consumed];
    let mut parts: Vec<&[u8]> = slices.to_vec();
    for h in headers.iter().chain(trailers) {
        parts.push(h.name);
        parts.push(h.value);
    }
    match body {
        Body::Empty => {}
        Body::Bytes(b) => parts.push(b),
        Body::Chunked(chunks) => parts.extend(chunks.iter().copied()),
    }
    for part in parts {
        assert!(
            inside(message, part),
            "{}: {:?} is not inside the {consumed} consumed bytes",
            at(),
            Bytes(part.to_vec())
        );
    }
}

/// Parses `buf` once in `mode` (`eof`: the connection closed after `buf`, used by
/// [`Mode::ResponseAtEof`] only). Panics when a complete message's slices are not inside
/// the bytes it consumed, or `consumed` is 0 or beyond `buf`.
pub fn parse_step<H: HeadParser>(
    parser: &mut HttpParser<H>,
    mode: Mode,
    buf: &[u8],
    eof: bool,
) -> Step {
    match mode {
        Mode::Request => match parser.parse_request(buf).map_err(|e| e.kind())? {
            Status::Partial => Ok(None),
            Status::Complete {
                message: r,
                consumed,
            } => {
                check_ranges(
                    H::NAME,
                    mode,
                    buf,
                    consumed,
                    &[r.method.as_bytes(), r.target],
                    &r.headers,
                    &r.body,
                    &r.trailers,
                );
                Ok(Some(Message {
                    method: Some(r.method.to_owned()),
                    target: r.target.into(),
                    version: r.version,
                    status: 0,
                    reason: Bytes(Vec::new()),
                    headers: owned_headers(&r.headers),
                    body: owned_body(&r.body),
                    trailers: owned_headers(&r.trailers),
                    consumed,
                }))
            }
        },
        Mode::Response | Mode::ResponseAtEof => {
            let status = if mode == Mode::ResponseAtEof && eof {
                parser.parse_response_at_eof(buf, FUZZ_REQUEST_METHOD)
            } else {
                parser.parse_response(buf, FUZZ_REQUEST_METHOD)
            };
            match status.map_err(|e| e.kind())? {
                Status::Partial => Ok(None),
                Status::Complete {
                    message: r,
                    consumed,
                } => {
                    check_ranges(
                        H::NAME,
                        mode,
                        buf,
                        consumed,
                        &[r.reason],
                        &r.headers,
                        &r.body,
                        &r.trailers,
                    );
                    Ok(Some(Message {
                        method: None,
                        target: Bytes(Vec::new()),
                        version: r.version,
                        status: r.status,
                        reason: r.reason.into(),
                        headers: owned_headers(&r.headers),
                        body: owned_body(&r.body),
                        trailers: owned_headers(&r.trailers),
                        consumed,
                    }))
                }
            }
        }
    }
}

/// The whole input in one piece after a [`reset`](HttpParser::reset), then every
/// pipelined message after it with the same parser (no reset: as an application reads a
/// connection): the steps up to the first one that is not a complete message, or up to
/// the end of the input. Never empty.
pub fn parse_pipeline<H: HeadParser>(
    parser: &mut HttpParser<H>,
    mode: Mode,
    input: &[u8],
) -> Vec<Step> {
    parser.reset();
    let mut steps = Vec::new();
    let mut rest = input;
    loop {
        let step = parse_step(parser, mode, rest, true);
        let consumed = match &step {
            Ok(Some(m)) => m.consumed,
            _ => 0,
        };
        steps.push(step);
        // check_ranges made sure consumed > 0: the loop ends.
        rest = &rest[consumed..];
        if consumed == 0 || rest.is_empty() {
            return steps;
        }
    }
}

/// Feeds `input[..cut]` for every cut (ascending, each below `input.len()`), then the
/// whole input, to a [`reset`](HttpParser::reset) parser, as bytes arriving in pieces:
/// the first step that is not `Partial` (the rest of the input is not fed), or the last.
pub fn parse_in_pieces<H: HeadParser>(
    parser: &mut HttpParser<H>,
    mode: Mode,
    input: &[u8],
    cuts: &[usize],
) -> Step {
    parser.reset();
    for &cut in cuts {
        let step = parse_step(parser, mode, &input[..cut], false);
        if !matches!(step, Ok(None)) {
            return step;
        }
    }
    parse_step(parser, mode, input, true)
}

/// The cut points the fuzz property feeds `input` at: one split at `input[0] % len`, and
/// three pieces at two points derived from a hash of the input. None for an empty input.
pub fn fuzz_cuts(input: &[u8]) -> Vec<Vec<usize>> {
    let Some(&first) = input.first() else {
        return Vec::new();
    };
    let len = input.len() as u64;
    // FNV-1a: cut points that vary with every byte of the input.
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let mut two = [(hash % len) as usize, ((hash >> 32) % len) as usize];
    two.sort_unstable();
    vec![vec![usize::from(first) % input.len()], two.to_vec()]
}

/// The fuzz property of one backend, for one input and one reused parser: in every
/// [`Mode`], parsing never crashes, a complete message's slices lie inside the bytes it
/// consumed (`0 < consumed <= len`), pipelined messages parse on (see
/// [`parse_pipeline`]), and feeding the input in pieces at every `cuts` gives exactly
/// the one-piece result for the first message: the same message, `Partial`, or an error
/// of the same kind.
pub fn check_input<H: HeadParser>(parser: &mut HttpParser<H>, input: &[u8], cuts: &[Vec<usize>]) {
    for mode in Mode::ALL {
        let whole = parse_pipeline(parser, mode, input);
        for cuts in cuts {
            let pieces = parse_in_pieces(parser, mode, input, cuts);
            assert!(
                pieces == whole[0],
                "{} {mode:?} with {}: fed in pieces at {cuts:?} gives a different result than in \
                 one piece\n pieces:    {pieces:?}\n one piece: {:?}\n input ({} bytes): {:?}",
                H::NAME,
                limits_name(parser.limits()),
                whole[0],
                input.len(),
                Bytes(input.to_vec()),
            );
        }
    }
}

/// [`check_input`] with the cuts of [`fuzz_cuts`]: what the per-backend fuzz targets
/// check.
pub fn fuzz_one<H: HeadParser>(parser: &mut HttpParser<H>, input: &[u8]) {
    check_input(parser, input, &fuzz_cuts(input));
}

/// One backend's outcome on `input` in every [`Mode`] ([`parse_pipeline`]), for
/// comparing backends.
pub fn outcomes<H: HeadParser>(parser: &mut HttpParser<H>, input: &[u8]) -> Vec<Vec<Step>> {
    Mode::ALL
        .iter()
        .map(|&mode| parse_pipeline(parser, mode, input))
        .collect()
}

/// Asserts that every backend's [`outcomes`] are the same; `results` holds (backend
/// name, outcomes) in the same mode order.
pub fn assert_same_outcomes(input: &[u8], limits: &Limits, results: &[(&str, Vec<Vec<Step>>)]) {
    let Some((first_name, first)) = results.first() else {
        return;
    };
    for (name, got) in &results[1..] {
        for (i, mode) in Mode::ALL.iter().enumerate() {
            if got[i] != first[i] {
                let all: String = results
                    .iter()
                    .map(|(n, r)| format!("\n {n:>15}: {:?}", r[i]))
                    .collect();
                panic!(
                    "backends disagree ({first_name} vs {name}) in {mode:?} with {}:{all}\n \
                     input ({} bytes): {:?}",
                    limits_name(limits),
                    input.len(),
                    Bytes(input.to_vec())
                );
            }
        }
    }
}

/// Bytes the mutations insert: line syntax, separators and the control/edge bytes the
/// strict checks care about.
const INTERESTING: &[u8] = b"\r\n: \t0;\",\x00\x7f\xff=1aF-";

/// A mutation of one of `seeds`: 1 to 4 byte flips, inserts of interesting bytes,
/// deletions, and (sometimes) a truncation.
pub fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut input = seeds[rng.below(seeds.len() as u64) as usize].clone();
    for _ in 0..=rng.below(4) {
        let pos = rng.below(input.len() as u64 + 1) as usize;
        match rng.below(8) {
            0 | 1 if pos < input.len() => input[pos] ^= 1 << rng.below(8),
            2 if pos < input.len() => input[pos] = rng.below(256) as u8,
            3..=5 => input.insert(
                pos,
                INTERESTING[rng.below(INTERESTING.len() as u64) as usize],
            ),
            6 if pos < input.len() => {
                input.remove(pos);
            }
            7 if rng.below(4) == 0 => input.truncate(pos),
            _ => {}
        }
    }
    input
}

/// The inputs of `http_cases.json`, plus two pipelines: the mutation seeds.
pub fn mutation_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = cases().into_iter().map(|c| c.input).collect();
    seeds.push(
        b"POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\n\r\nPUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;x=\"y\"\r\nz\r\n0\r\nT: v\r\n\r\n"
            .to_vec(),
    );
    seeds.push(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\nHTTP/1.0 200 OK\r\n\r\ntail"
            .to_vec(),
    );
    seeds
}

/// Runs the fuzz property ([`check_input`]) over `iterations` deterministic mutations of
/// the data file's inputs, with random cut points, alternating default and
/// [`small_limits`]: what the per-backend fuzz targets check, replayed in the normal test
/// run.
pub fn check_mutations<H: HeadParser>(iterations: usize) {
    let seeds = mutation_seeds();
    let mut rng = Rng::new(0x4854_5450);
    let mut parsers = [
        HttpParser::<H>::new().expect("parser"),
        HttpParser::<H>::with_limits(small_limits()).expect("parser"),
    ];
    for i in 0..iterations {
        let input = mutate(&mut rng, &seeds);
        let mut cuts = Vec::new();
        if !input.is_empty() {
            let len = input.len() as u64;
            let mut two = [rng.below(len) as usize, rng.below(len) as usize];
            two.sort_unstable();
            cuts = vec![vec![two[0]], two.to_vec()];
        }
        check_input(&mut parsers[i % 2], &input, &cuts);
    }
}

/// Minimal inputs the HTTP fuzz targets found breaking their properties, one or two per
/// root cause; [`check_findings`] and [`check_cross_findings`] replay them (every mode,
/// default and [`small_limits`]) so each stays fixed.
pub const FUZZ_FINDINGS: &[&[u8]] = &[
    // http_parser accepts a control byte as the first byte of a field value.
    b"GET / HTTP/1.1\r\nX: \x01\r\n\r\n",
    // http_parser takes a CR followed by any byte as a line end; the bytes after the
    // head's last LF are not checked.
    b"GET / HTTP/1.1\r\n\ra",
    b"POST / HTTP/1.1\r\nContent-Length: 3\r\nX:\ra\rabc",
    // A request target that is not origin-, absolute-, authority- (CONNECT) or
    // asterisk-form: only picohttpparser accepts it.
    b"GET a HTTP/1.1\r\n\r\n",
    // Content-Length followed by HTAB: only picohttpparser accepts it.
    b"PUT / HTTP/1.1\r\nContent-Length: 3\t\r\n\r\nabc",
    // http_parser reads `Transfer-Encodingx` as Transfer-Encoding next to Content-Length.
    b"POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encodingx: y\r\n\r\naaaa",
    // A status line without reason phrase nor the SP before it: picohttpparser rejects it.
    b"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n",
    // diagnose() takes the body's first byte for an obs-fold line.
    b"POST / HTTP/1.1\r\nContent-Length:\r\n\r\n\t",
    // An empty line after a response: llhttp and http_parser skip it, picohttpparser not.
    b"HTTP/1.1 204 \r\n\r\n\r\n",
    // Limits against syntax: which error wins depends on the backend.
    b"GET / HTTP/1.1\na:\na:\na:\na:\na:\n\n",
    b"GET / HTTP/1.1\r\na:\r\na:\r\na:\r\na:\r\na:b",
    // An error in the last, incomplete line: each backend's own verdict.
    b"a",
    b"\t",
    b"GET / HTTP/1.1\r\n\xff",
    b"GET / HTTP/2.0\r\n",
    // Fed in pieces, picohttpparser's last_len shortcut reports no error.
    b"a\r\n",
];

/// [`check_input`] on every [`FUZZ_FINDINGS`] input, cut at every single point, with the
/// default and with [`small_limits`].
pub fn check_findings<H: HeadParser>() {
    let mut parsers = [
        HttpParser::<H>::new().expect("parser"),
        HttpParser::<H>::with_limits(small_limits()).expect("parser"),
    ];
    for input in FUZZ_FINDINGS {
        let cuts: Vec<Vec<usize>> = (0..input.len()).map(|c| vec![c]).collect();
        for parser in &mut parsers {
            check_input(parser, input, &cuts);
        }
    }
}

/// Every backend gives the same outcome on every [`FUZZ_FINDINGS`] input, with the
/// default and with [`small_limits`].
#[cfg(all(
    feature = "llhttp",
    feature = "picohttpparser",
    feature = "http_parser"
))]
pub fn check_cross_findings() {
    let mut cross = [
        CrossParsers::new(Limits::default()),
        CrossParsers::new(small_limits()),
    ];
    for input in FUZZ_FINDINGS {
        for c in &mut cross {
            c.check(input);
        }
    }
}

/// Every backend gives the same outcome ([`outcomes`]: every mode, pipelined messages
/// included) on `iterations` deterministic mutations of the data file's inputs, with
/// default and with [`small_limits`]: what the `http_cross` fuzz target checks.
#[cfg(all(
    feature = "llhttp",
    feature = "picohttpparser",
    feature = "http_parser"
))]
pub fn check_cross_backend(iterations: usize) {
    let seeds = mutation_seeds();
    let mut rng = Rng::new(0x4352_4f53);
    let mut cross = [
        CrossParsers::new(Limits::default()),
        CrossParsers::new(small_limits()),
    ];
    for i in 0..iterations {
        let input = mutate(&mut rng, &seeds);
        cross[i % 2].check(&input);
    }
}

/// One parser of every backend, with the same limits: the cross-backend property.
#[cfg(all(
    feature = "llhttp",
    feature = "picohttpparser",
    feature = "http_parser"
))]
#[derive(Debug)]
pub struct CrossParsers {
    limits: Limits,
    llhttp: arsenal_http::Llhttp,
    picohttpparser: arsenal_http::Picohttpparser,
    http_parser: arsenal_http::HttpParserC,
}

#[cfg(all(
    feature = "llhttp",
    feature = "picohttpparser",
    feature = "http_parser"
))]
impl CrossParsers {
    /// One parser per backend with `limits`.
    pub fn new(limits: Limits) -> Self {
        CrossParsers {
            llhttp: HttpParser::with_limits(limits.clone()).expect("llhttp parser"),
            picohttpparser: HttpParser::with_limits(limits.clone()).expect("picohttpparser"),
            http_parser: HttpParser::with_limits(limits.clone()).expect("http_parser parser"),
            limits,
        }
    }

    /// Asserts that the three backends give the same [`outcomes`] on `input`.
    pub fn check(&mut self, input: &[u8]) {
        let results = [
            ("llhttp", outcomes(&mut self.llhttp, input)),
            ("picohttpparser", outcomes(&mut self.picohttpparser, input)),
            ("http_parser", outcomes(&mut self.http_parser, input)),
        ];
        assert_same_outcomes(input, &self.limits, &results);
    }
}

/// Instantiates the HTTP conformance suite as `#[test]`s for one backend (a
/// [`HeadParser`] type such as `arsenal_http::backend::llhttp::LlhttpHead`).
#[macro_export]
macro_rules! http_conformance {
    ($name:ident, $head:ty) => {
        mod $name {
            use $crate::http as suite;

            #[test]
            fn cases() {
                suite::check_cases::<$head>();
            }

            #[test]
            fn every_split() {
                suite::check_every_split::<$head>();
            }

            #[test]
            fn pipelining() {
                suite::check_pipelining::<$head>();
            }

            #[test]
            fn limits() {
                suite::check_limits::<$head>();
            }

            #[test]
            fn hostile_framing() {
                suite::check_hostile::<$head>();
            }

            #[test]
            fn mutations() {
                suite::check_mutations::<$head>(20_000);
            }

            #[test]
            fn fuzz_findings() {
                suite::check_findings::<$head>();
            }
        }
    };
}
