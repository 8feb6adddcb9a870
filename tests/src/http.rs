//! The HTTP/1.x conformance suite, generic over [`arsenal_http::backend::HeadParser`].
//!
//! The cases live in `tests/data/http_cases.json` (valid messages with their expected
//! parse results, and the malformed / request-smuggling family with the error kind every
//! backend must report). Instantiate with [`http_conformance!`](crate::http_conformance).

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
    let mut parser = HttpParser::<H>::new().expect("parser");
    let mut rest = &wire[..];
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
        rest = &rest[consumed..];
    }
    assert!(rest.is_empty());
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
        }
    };
}
