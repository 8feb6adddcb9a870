//! HTTP rows of the matrix: `http/parse/<dataset>/<impl>`, and the server rows of
//! [`crate::http_server`] (`http/serve/hello-keepalive/<impl>`), one [`DOMAIN`].
//!
//! Datasets (built in, no files needed): `get-minimal`, `get-browser` (~700 bytes, 15
//! headers), `response` (status line, 8 headers, 13-byte body), `pipelined-100` (100
//! browser-like requests back to back). One iteration parses every message of the
//! dataset; `items` is the number of messages, so the report's items/s is requests/s
//! and ns/request = 1e9 / items_per_s.
//!
//! | impl | what one iteration does |
//! |---|---|
//! | `arsenal:llhttp` | [`arsenal_http::Llhttp`]: head by llhttp, strict checks and framing by arsenal-http |
//! | `raw:llhttp` | `llhttp_execute` over the buffer with span-recording callbacks, in C (benches/native) |
//! | `arsenal:picohttpparser` | [`arsenal_http::Picohttpparser`] |
//! | `raw:picohttpparser` | `phr_parse_request` / `phr_parse_response` per message through `picohttpparser-sys`, Content-Length bodies skipped |
//! | `arsenal:http_parser` | [`arsenal_http::HttpParserC`] |
//! | `raw:http_parser` | `http_parser_execute` over the buffer with span-recording callbacks, in C (benches/native) |
//! | `peer:httparse` | `httparse::Request::parse` / `Response::parse` per message, Content-Length bodies skipped |
//!
//! The `arsenal:*` rows include what arsenal-http adds on top of the C parser: its strict
//! checks (the start line for llhttp, also line endings for picohttpparser, the whole head
//! for http_parser), body framing, and the `Vec` of headers in each `Request`.
//! Parser state is set up once per cell, outside the timing, as each library's own
//! benchmarks do: httparse's and picohttpparser's header arrays live in the cell and
//! are reused by every message (httparse's benches build theirs in the untimed setup),
//! the arsenal rows hand each message back with `HttpParser::recycle` (so its header
//! vector is reused, as a server loop does), the C callers' callback tables are static.
//!
//! **Memory rows** (after the timing runs, [`memory_rows`]):
//! `http/memory/get-browser/<impl>`, the bytes of parser state after parsing the
//! `get-browser` request (the message it returned dropped): for `arsenal:<backend>`
//! `size_of` the parser plus the heap bytes in use it holds (glibc `mallinfo2`),
//! [`PARSERS`] parsers alive together, / [`PARSERS`]; for `raw:llhttp` and
//! `raw:http_parser` `size_of` the C library's parser struct (from its bindings: the
//! libraries allocate nothing, their callback tables are static and shared); for
//! `raw:picohttpparser` (stateless) and `peer:httparse` `size_of` the 100-entry header
//! array their rows keep.
//!
//! **Verification.** Every implementation returns the same checksum, [`checksum`] of
//! (messages, headers, target or reason bytes + body bytes) summed over the dataset.
//! The expected value comes from [`reference()`], a plain reading of the bytes (split at
//! `\r\n\r\n`, lines, `Content-Length`) that shares no code with the parsers measured.
//! An error yields [`PARSE_ERROR`] (`u64::MAX`), which no expected checksum equals, so
//! a parser that fails, stops early or skips the body is `FAILED`, not timed.

use std::path::Path;
use std::sync::OnceLock;

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_per_value;
use crate::harness::{Case, Registry};
use crate::report::{MemoryRow, Unit};
use crate::strategy::pick;
use arsenal_http::{backend::HeadParser, HttpParser, Status};

const NAME: &str = "http";
const OP: &str = "parse";

/// The HTTP domain: parsing (`http/parse/*`) and the loopback server
/// (`http/serve/*`, see [`crate::http_server`]).
///
/// ```
/// let mut registry = arsenal_bench::harness::Registry::new();
/// (arsenal_bench::http::DOMAIN.register)(&mut registry, None);
/// assert!(registry.ids().contains(&"http/parse/get-minimal/peer:httparse".to_owned()));
/// assert!(registry.ids().contains(&"http/serve/hello-keepalive/peer:httparse".to_owned()));
/// ```
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "HTTP/1.1 parsing and serving",
    register,
    unit: |op| (op == "serve").then_some(Unit::ItemsPerSecond),
    note,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-http",
        pick: pick::<arsenal_http::Backend>,
    }),
    ..Domain::EMPTY
};

/// What a checksum is when the parser reported an error: no expected checksum equals it
/// (messages are counted in 16 bits, so a real checksum is below 2⁶⁴ − 1).
pub const PARSE_ERROR: u64 = u64::MAX;

/// The checksum every implementation returns for a dataset: `messages << 48 |
/// headers << 32 | spans`, where `headers` is the number of header fields and `spans`
/// the request-target (or response reason) bytes plus the body bytes, all summed over
/// the messages. The C callers (benches/native) compute the same.
///
/// ```
/// assert_eq!(arsenal_bench::http::checksum(1, 2, 3), (1 << 48) | (2 << 32) | 3);
/// ```
pub fn checksum(messages: u64, headers: u64, spans: u64) -> u64 {
    debug_assert!(messages < 1 << 16 && headers < 1 << 16 && spans < 1 << 32);
    (messages << 48) | (headers << 32) | spans
}

mod native {
    use core::ffi::c_char;
    extern "C" {
        pub fn arsenal_bench_llhttp_parse(buf: *const c_char, len: usize, is_request: i32) -> u64;
        pub fn arsenal_bench_http_parser_parse(
            buf: *const c_char,
            len: usize,
            is_request: i32,
        ) -> u64;
    }
}

/// A dataset: the bytes, whether they are requests, and how many messages they hold.
#[derive(Debug)]
struct Dataset {
    name: &'static str,
    bytes: Vec<u8>,
    requests: bool,
    messages: u64,
}

fn browser_get(path: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\n\
         Host: www.example.com\r\n\
         Connection: keep-alive\r\n\
         Cache-Control: max-age=0\r\n\
         sec-ch-ua: \"Chromium\";v=\"124\", \"Not-A.Brand\";v=\"99\"\r\n\
         sec-ch-ua-mobile: ?0\r\n\
         sec-ch-ua-platform: \"Linux\"\r\n\
         Upgrade-Insecure-Requests: 1\r\n\
         User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\n\
         Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n\
         Sec-Fetch-Site: none\r\n\
         Sec-Fetch-Mode: navigate\r\n\
         Sec-Fetch-Dest: document\r\n\
         Accept-Encoding: gzip, deflate, br, zstd\r\n\
         Accept-Language: en-US,en;q=0.9\r\n\
         Cookie: session=abc123; theme=dark\r\n\r\n"
    )
}

/// The datasets, built once per process: `'static`, so a cell can keep httparse's
/// header array (which borrows the bytes) from one iteration to the next.
fn datasets() -> &'static [Dataset] {
    static DATASETS: OnceLock<Vec<Dataset>> = OnceLock::new();
    DATASETS.get_or_init(|| {
        let pipelined: String = (0..100)
            .map(|i| browser_get(&format!("/item/{i}?view=full")))
            .collect();
        vec![
            Dataset {
                name: "get-minimal",
                bytes: b"GET / HTTP/1.1\r\nHost: a\r\n\r\n".to_vec(),
                requests: true,
                messages: 1,
            },
            Dataset {
                name: "get-browser",
                bytes: browser_get("/index.html?q=arsenal").into_bytes(),
                requests: true,
                messages: 1,
            },
            Dataset {
                name: "response",
                bytes: b"HTTP/1.1 200 OK\r\nServer: arsenal\r\nDate: Fri, 27 Nov 2026 10:00:00 GMT\r\n\
                         Content-Type: text/plain; charset=utf-8\r\nContent-Length: 13\r\n\
                         Cache-Control: no-cache\r\nConnection: keep-alive\r\nX-Request-Id: 4f1c9a\r\n\
                         Vary: Accept-Encoding\r\n\r\nHello, World!"
                    .to_vec(),
                requests: false,
                messages: 1,
            },
            Dataset {
                name: "pipelined-100",
                bytes: pipelined.into_bytes(),
                requests: true,
                messages: 100,
            },
        ]
    })
}

/// The checksum of `bytes` ([`checksum`]) from a plain reading of well-formed
/// HTTP/1.1 messages: the head ends at the first `\r\n\r\n`, its lines after the start
/// line are header fields, the span is the start line's second token (requests) or
/// what follows its second space (responses), and `Content-Length` bytes of body follow.
/// It shares no code with the parsers measured; the datasets are built so that this
/// reading is exact.
///
/// ```
/// use arsenal_bench::http::{checksum, reference};
///
/// let wire = b"GET /ab HTTP/1.1\r\nHost: x\r\n\r\nPOST /c HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi";
/// assert_eq!(reference(wire, true), Ok(checksum(2, 2, 3 + 2 + 2)));
/// assert!(reference(b"GET / HTTP/1.1\r\n", true).is_err());
/// ```
pub fn reference(bytes: &[u8], requests: bool) -> Result<u64, String> {
    let (mut messages, mut headers, mut spans) = (0u64, 0u64, 0u64);
    let mut rest = bytes;
    while !rest.is_empty() {
        let head_len = rest
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .ok_or_else(|| format!("message {messages}: no end of head"))?;
        let head = std::str::from_utf8(&rest[..head_len])
            .map_err(|e| format!("message {messages}: {e}"))?;
        let mut lines = head.split("\r\n");
        let start: Vec<&str> = lines.next().unwrap_or_default().splitn(3, ' ').collect();
        let span = match (requests, start.as_slice()) {
            (true, [_method, target, _version]) => target.len(),
            (false, [_version, _status, reason]) => reason.len(),
            _ => return Err(format!("message {messages}: bad start line {start:?}")),
        };
        let mut body = 0usize;
        for line in lines {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("message {messages}: bad header line {line:?}"))?;
            if name.eq_ignore_ascii_case("content-length") {
                body = value
                    .trim()
                    .parse()
                    .map_err(|e| format!("message {messages}: Content-Length: {e}"))?;
            }
            headers += 1;
        }
        let end = head_len + 4 + body;
        if end > rest.len() {
            return Err(format!("message {messages}: body past the end"));
        }
        messages += 1;
        spans += (span + body) as u64;
        rest = &rest[end..];
    }
    Ok(checksum(messages, headers, spans))
}

/// Registers the parse cells and the server cells ([`DOMAIN`]'s `register`; the
/// datasets are built in, `data` is not read).
pub fn register(reg: &mut Registry, _data: Option<&Path>) {
    register_parse(reg);
    crate::http_server::register(reg);
}

/// Registers the `http/parse/*` cells.
fn register_parse(reg: &mut Registry) {
    use arsenal_http::backend::{
        http_parser::HttpParserHead, llhttp::LlhttpHead, picohttpparser::PicoHead,
    };
    for ds in datasets() {
        let expected = match reference(&ds.bytes, ds.requests) {
            Ok(expected) => expected,
            Err(why) => {
                for imp in IMPLS {
                    let why = format!("reference reading of the dataset failed: {why}");
                    reg.add(Case::failed(NAME, OP, ds.name, imp, why));
                }
                continue;
            }
        };
        let (bytes, requests) = (&ds.bytes[..], i32::from(ds.requests));
        add(reg, ds, "raw:llhttp", expected, move || {
            // SAFETY: `bytes` is valid for its length; the C caller only reads it.
            unsafe {
                native::arsenal_bench_llhttp_parse(bytes.as_ptr().cast(), bytes.len(), requests)
            }
        });
        add(reg, ds, "raw:picohttpparser", expected, pico_all(ds));
        add(reg, ds, "raw:http_parser", expected, move || {
            // SAFETY: `bytes` is valid for its length; the C caller only reads it.
            unsafe {
                native::arsenal_bench_http_parser_parse(
                    bytes.as_ptr().cast(),
                    bytes.len(),
                    requests,
                )
            }
        });
        add(reg, ds, "peer:httparse", expected, httparse_all(ds));
        register_arsenal::<LlhttpHead>(reg, ds, "arsenal:llhttp", expected);
        register_arsenal::<PicoHead>(reg, ds, "arsenal:picohttpparser", expected);
        register_arsenal::<HttpParserHead>(reg, ds, "arsenal:http_parser", expected);
    }
}

/// Every implementation of the parse rows, in registration order.
const IMPLS: [&str; 7] = [
    "raw:llhttp",
    "raw:picohttpparser",
    "raw:http_parser",
    "peer:httparse",
    "arsenal:llhttp",
    "arsenal:picohttpparser",
    "arsenal:http_parser",
];

/// Adds a parse cell that must return `expected` (the closure is generic: no function
/// pointer between the harness's loop and the parser).
fn add(
    reg: &mut Registry,
    ds: &Dataset,
    imp: &str,
    expected: u64,
    run: impl FnMut() -> u64 + 'static,
) {
    let bytes = ds.bytes.len() as u64;
    reg.add(Case::new(NAME, OP, ds.name, imp, bytes, ds.messages, run).expect(expected));
}

fn register_arsenal<H: HeadParser + 'static>(
    reg: &mut Registry,
    ds: &'static Dataset,
    imp: &str,
    expected: u64,
) {
    let mut parser = match HttpParser::<H>::new() {
        Ok(p) => p,
        Err(e) => return reg.add(Case::failed(NAME, OP, ds.name, imp, e.to_string())),
    };
    let (bytes, requests) = (&ds.bytes[..], ds.requests);
    add(reg, ds, imp, expected, move || {
        let mut rest = bytes;
        let (mut messages, mut headers, mut spans) = (0u64, 0u64, 0u64);
        while !rest.is_empty() {
            let (fields, span, consumed) = if requests {
                match parser.parse_request(rest) {
                    Ok(Status::Complete { message, consumed }) => {
                        let seen = (
                            message.headers.len(),
                            message.target.len() + message.body.len(),
                            consumed,
                        );
                        parser.recycle(message);
                        seen
                    }
                    _ => return PARSE_ERROR,
                }
            } else {
                match parser.parse_response(rest, "GET") {
                    Ok(Status::Complete { message, consumed }) => {
                        let seen = (
                            message.headers.len(),
                            message.reason.len() + message.body.len(),
                            consumed,
                        );
                        parser.recycle(message);
                        seen
                    }
                    _ => return PARSE_ERROR,
                }
            };
            messages += 1;
            headers += fields as u64;
            spans += span as u64;
            rest = &rest[consumed..];
        }
        checksum(messages, headers, spans)
    });
}

/// The `Content-Length` of a head's fields (0 without one), as a server using a
/// head-only parser reads it; `None` for a malformed value.
fn content_length<'h>(mut fields: impl Iterator<Item = (&'h [u8], &'h [u8])>) -> Option<usize> {
    match fields.find(|(name, _)| name.eq_ignore_ascii_case(b"content-length")) {
        None => Some(0),
        Some((_, value)) => std::str::from_utf8(value).ok()?.trim().parse().ok(),
    }
}

/// httparse on every message (it parses heads only: Content-Length bodies are skipped
/// by hand, as a server using it would). The header array is the cell's, initialised
/// once at registration and reused by every message, as in httparse's own benches.
fn httparse_all(ds: &'static Dataset) -> impl FnMut() -> u64 + 'static {
    let (bytes, requests) = (&ds.bytes[..], ds.requests);
    let mut headers = [httparse::EMPTY_HEADER; 100];
    move || {
        let mut rest = bytes;
        let (mut messages, mut fields, mut spans) = (0u64, 0u64, 0u64);
        while !rest.is_empty() {
            let (head_len, n, span) = if requests {
                let mut req = httparse::Request::new(&mut headers);
                match req.parse(rest) {
                    Ok(httparse::Status::Complete(len)) => {
                        (len, req.headers.len(), req.path.map_or(0, str::len))
                    }
                    _ => return PARSE_ERROR,
                }
            } else {
                let mut resp = httparse::Response::new(&mut headers);
                match resp.parse(rest) {
                    Ok(httparse::Status::Complete(len)) => {
                        (len, resp.headers.len(), resp.reason.map_or(0, str::len))
                    }
                    _ => return PARSE_ERROR,
                }
            };
            let fields_of = headers[..n].iter().map(|h| (h.name.as_bytes(), h.value));
            let Some(body) = content_length(fields_of) else {
                return PARSE_ERROR;
            };
            if head_len + body > rest.len() {
                return PARSE_ERROR;
            }
            messages += 1;
            fields += n as u64;
            spans += (span + body) as u64;
            rest = &rest[head_len + body..];
        }
        checksum(messages, fields, spans)
    }
}

/// picohttpparser called directly through its -sys crate on every message, as a C user
/// would (Content-Length bodies skipped by hand); the header array is the cell's, reused.
fn pico_all(ds: &'static Dataset) -> impl FnMut() -> u64 + 'static {
    use picohttpparser_sys as pico;
    let (bytes, requests) = (&ds.bytes[..], ds.requests);
    let mut headers = [pico::phr_header::default(); 100];
    move || {
        let mut rest = bytes;
        let (mut messages, mut fields, mut spans) = (0u64, 0u64, 0u64);
        while !rest.is_empty() {
            let mut n = headers.len();
            let mut minor = 0;
            let (mut a, mut a_len) = (std::ptr::null(), 0);
            // SAFETY: every pointer is a valid out-parameter or the input slice; `headers`
            // has room for `n` entries.
            let head_len = unsafe {
                if requests {
                    let (mut m, mut m_len) = (std::ptr::null(), 0);
                    pico::phr_parse_request(
                        rest.as_ptr().cast(),
                        rest.len(),
                        &mut m,
                        &mut m_len,
                        &mut a,
                        &mut a_len,
                        &mut minor,
                        headers.as_mut_ptr(),
                        &mut n,
                        0,
                    )
                } else {
                    let mut status = 0;
                    pico::phr_parse_response(
                        rest.as_ptr().cast(),
                        rest.len(),
                        &mut minor,
                        &mut status,
                        &mut a,
                        &mut a_len,
                        headers.as_mut_ptr(),
                        &mut n,
                        0,
                    )
                }
            };
            let Ok(head_len) = usize::try_from(head_len) else {
                return PARSE_ERROR; // -1: malformed, -2: incomplete
            };
            let span = |p: *const core::ffi::c_char, len: usize| -> &[u8] {
                if p.is_null() {
                    return &[];
                }
                // SAFETY: picohttpparser set `p`/`len` to a span of `rest`.
                unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) }
            };
            let fields_of = headers[..n]
                .iter()
                .map(|h| (span(h.name, h.name_len), span(h.value, h.value_len)));
            let Some(body) = content_length(fields_of) else {
                return PARSE_ERROR;
            };
            if head_len == 0 || head_len + body > rest.len() {
                return PARSE_ERROR;
            }
            messages += 1;
            fields += n as u64;
            spans += (a_len + body) as u64;
            rest = &rest[head_len + body..];
        }
        checksum(messages, fields, spans)
    }
}

/// Parsers alive together for the `arsenal:` memory rows.
pub const PARSERS: usize = 64;
/// Header entries the raw picohttpparser and httparse rows keep (as in their cells).
const HEADER_SLOTS: usize = 100;

/// Bytes per `HttpParser<H>` after parsing `request` ([`PARSERS`] of them alive).
fn arsenal_state<H: HeadParser>(request: &[u8], headers: usize) -> Option<f64> {
    held_per_value(PARSERS, |_| {
        let mut parser = HttpParser::<H>::new().ok()?;
        match parser.parse_request(request) {
            Ok(Status::Complete { message, .. }) if message.headers.len() == headers => {}
            _ => return None,
        }
        Some(parser)
    })
}

/// The `http/memory/get-browser` rows: parser state after one browser request (see the
/// module docs; measured after the timing runs).
pub fn memory_rows() -> Vec<MemoryRow> {
    use arsenal_http::backend::{
        http_parser::HttpParserHead, llhttp::LlhttpHead, picohttpparser::PicoHead,
    };
    let Some(ds) = datasets().iter().find(|ds| ds.name == "get-browser") else {
        return Vec::new();
    };
    let headers = reference(&ds.bytes, true).map_or(0, |c| ((c >> 32) & 0xFFFF) as usize);
    let measured: [(&str, Option<f64>); 7] = [
        (
            "arsenal:llhttp",
            arsenal_state::<LlhttpHead>(&ds.bytes, headers),
        ),
        (
            "arsenal:picohttpparser",
            arsenal_state::<PicoHead>(&ds.bytes, headers),
        ),
        (
            "arsenal:http_parser",
            arsenal_state::<HttpParserHead>(&ds.bytes, headers),
        ),
        (
            "raw:llhttp",
            Some(std::mem::size_of::<arsenal_llhttp_sys::llhttp_t>() as f64),
        ),
        (
            "raw:http_parser",
            Some(std::mem::size_of::<arsenal_http_parser_sys::http_parser>() as f64),
        ),
        (
            "raw:picohttpparser",
            Some(std::mem::size_of::<[picohttpparser_sys::phr_header; HEADER_SLOTS]>() as f64),
        ),
        (
            "peer:httparse",
            Some(std::mem::size_of::<[httparse::Header<'static>; HEADER_SLOTS]>() as f64),
        ),
    ];
    let what = format!(
        "parser after the {}-byte get-browser request (its message dropped): arsenal: \
         size_of the parser + heap bytes in use it holds (glibc mallinfo2), {PARSERS} alive, \
         / {PARSERS}; raw:llhttp, raw:http_parser: size_of the C parser struct (no heap); \
         raw:picohttpparser (stateless), peer:httparse: size_of the {HEADER_SLOTS}-entry \
         header array their rows keep",
        ds.bytes.len()
    );
    measured
        .into_iter()
        .map(|(imp, bytes)| MemoryRow {
            domain: NAME.to_owned(),
            dataset: ds.name.to_owned(),
            what: what.clone(),
            imp: imp.to_owned(),
            items: if imp.starts_with("arsenal:") {
                PARSERS as u64
            } else {
                1
            },
            bytes_per_item: bytes.filter(|b| b.is_finite()),
        })
        .collect()
}

/// Which SIMD paths the parsers could take in this build.
fn note(machine: &crate::machine::Machine) -> Option<String> {
    let cflags = machine.cflags.split_whitespace().collect::<Vec<_>>();
    let sse42 = cflags.iter().any(|flag| {
        matches!(
            *flag,
            "-msse4.2" | "-mavx" | "-mavx2" | "-march=native" | "-march=x86-64-v2"
        ) || flag.starts_with("-march=x86-64-v3")
            || flag.starts_with("-march=x86-64-v4")
    });
    let pico = if sse42 {
        "picohttpparser was compiled with SSE4.2 (its PCMPESTRI scanner)"
    } else {
        "picohttpparser was compiled without SSE4.2 (CFLAGS lack -msse4.2 or -march=native), so it ran its scalar loop"
    };
    Some(format!(
        "{pico}; httparse picks SSE4.2/AVX2 at run time; llhttp and http_parser have no \
         SIMD path. The serve rows are requests/s end to end over loopback (client, kernel \
         and server included), with {} connections.",
        crate::http_server::CONNECTIONS
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{verify_cases, Progress, Status as CellStatus};

    #[test]
    fn reference_counts_the_datasets() {
        let counts: Vec<(u64, u64, u64)> = datasets()
            .iter()
            .map(|ds| {
                let c = reference(&ds.bytes, ds.requests).unwrap();
                (c >> 48, (c >> 32) & 0xFFFF, c & 0xFFFF_FFFF)
            })
            .collect();
        assert_eq!(counts[0], (1, 1, 1));
        assert_eq!(counts[1].0, 1);
        assert_eq!(counts[1].1, 15);
        assert_eq!(counts[2], (1, 8, 2 + 13));
        assert_eq!((counts[3].0, counts[3].1), (100, 1500));
        for ds in datasets() {
            assert_eq!(
                reference(&ds.bytes, ds.requests).unwrap() >> 48,
                ds.messages,
                "{}",
                ds.name
            );
        }
    }

    /// Every parse cell verifies on every dataset, and one that stops early, drops the
    /// body or errors is caught.
    #[test]
    fn every_parse_cell_verifies() {
        let mut registry = Registry::new();
        register_parse(&mut registry);
        assert_eq!(registry.len(), IMPLS.len() * datasets().len());
        let rows = verify_cases(registry.into_cases(), &mut Progress::hidden());
        for row in &rows {
            assert_eq!(
                row.status,
                CellStatus::Verified,
                "{}: {:?}",
                row.id,
                row.error
            );
        }
        let ds = &datasets()[2];
        let expected = reference(&ds.bytes, ds.requests).unwrap();
        let without_body = expected - 13;
        assert_ne!(without_body, expected);
        let rows = verify_cases(
            vec![
                Case::new(NAME, OP, ds.name, "peer:x", 1, 1, || PARSE_ERROR).expect(expected),
                Case::new(NAME, OP, ds.name, "peer:y", 1, 1, || 0).expect(expected),
                Case::new(NAME, OP, ds.name, "peer:z", 1, 1, move || without_body).expect(expected),
            ],
            &mut Progress::hidden(),
        );
        assert!(rows.iter().all(|row| row.status == CellStatus::Failed));
    }

    #[test]
    fn parsers_reject_a_truncated_dataset() {
        // The reference and the raw C callers agree that a cut message is an error or
        // fewer messages, never the full checksum.
        let ds = &datasets()[3];
        let cut = &ds.bytes[..ds.bytes.len() - 10];
        let full = reference(&ds.bytes, true).unwrap();
        assert!(reference(cut, true).is_err());
        // SAFETY: `cut` is a live slice.
        let llhttp =
            unsafe { native::arsenal_bench_llhttp_parse(cut.as_ptr().cast(), cut.len(), 1) };
        // SAFETY: as above.
        let http_parser =
            unsafe { native::arsenal_bench_http_parser_parse(cut.as_ptr().cast(), cut.len(), 1) };
        assert_ne!(llhttp, full);
        assert_ne!(http_parser, full);
        // SAFETY: as above.
        let garbage = unsafe {
            native::arsenal_bench_llhttp_parse(b"\x01\x02 x\r\n\r\n".as_ptr().cast(), 8, 1)
        };
        assert_eq!(garbage, PARSE_ERROR);
    }

    #[test]
    fn memory_rows_cover_every_parser() {
        let rows = memory_rows();
        assert_eq!(rows.len(), 7);
        for row in &rows {
            assert!(
                row.id().starts_with("http/memory/get-browser/"),
                "{}",
                row.id()
            );
            assert!(
                row.bytes_per_item.is_some_and(|b| b >= 32.0),
                "{}: {:?}",
                row.id(),
                row.bytes_per_item
            );
        }
    }

    #[test]
    fn domain_describes_itself() {
        assert_eq!(DOMAIN.name, "http");
        assert_eq!((DOMAIN.unit)("serve"), Some(Unit::ItemsPerSecond));
        assert_eq!((DOMAIN.unit)("parse"), None);
    }
}
