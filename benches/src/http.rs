//! HTTP rows of the matrix: `http/parse/<dataset>/<impl>`.
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
//! for http_parser), body framing, and the owned `Vec` of headers in each `Request`.

use crate::harness::{Case, Registry};
use arsenal_http::{backend::HeadParser, HttpParser, Status};

const DOMAIN: &str = "http";
const OP: &str = "parse";

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

fn datasets() -> Vec<Dataset> {
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
}

/// Registers every HTTP cell.
pub fn register(reg: &mut Registry) {
    use arsenal_http::backend::{
        http_parser::HttpParserHead, llhttp::LlhttpHead, picohttpparser::PicoHead,
    };
    for ds in datasets() {
        // A cell whose closure gets the dataset's bytes and whether they are requests.
        let mut cell = |imp: &str, run: fn(&[u8], bool) -> u64| {
            let (bytes, requests) = (ds.bytes.clone(), ds.requests);
            let case = Case::new(
                DOMAIN,
                OP,
                ds.name,
                imp,
                ds.bytes.len() as u64,
                ds.messages,
                move || run(&bytes, requests),
            );
            reg.add(case);
        };
        cell("raw:llhttp", |bytes, requests| {
            // SAFETY: `bytes` is valid for its length; the C harness only reads it.
            unsafe {
                native::arsenal_bench_llhttp_parse(
                    bytes.as_ptr().cast(),
                    bytes.len(),
                    i32::from(requests),
                )
            }
        });
        cell("raw:picohttpparser", pico_all);
        cell("raw:http_parser", |bytes, requests| {
            // SAFETY: `bytes` is valid for its length; the C harness only reads it.
            unsafe {
                native::arsenal_bench_http_parser_parse(
                    bytes.as_ptr().cast(),
                    bytes.len(),
                    i32::from(requests),
                )
            }
        });
        cell("peer:httparse", httparse_all);
        register_arsenal::<LlhttpHead>(reg, &ds, "arsenal:llhttp");
        register_arsenal::<PicoHead>(reg, &ds, "arsenal:picohttpparser");
        register_arsenal::<HttpParserHead>(reg, &ds, "arsenal:http_parser");
    }
}

fn register_arsenal<H: HeadParser + 'static>(reg: &mut Registry, ds: &Dataset, imp: &str) {
    let mut parser = match HttpParser::<H>::new() {
        Ok(p) => p,
        Err(e) => return reg.add(Case::failed(DOMAIN, OP, ds.name, imp, e.to_string())),
    };
    let (bytes, requests) = (ds.bytes.clone(), ds.requests);
    reg.add(Case::new(
        DOMAIN,
        OP,
        ds.name,
        imp,
        ds.bytes.len() as u64,
        ds.messages,
        move || {
            let mut rest = &bytes[..];
            let mut checksum = 0u64;
            let mut messages = 0u64;
            while !rest.is_empty() {
                let (headers, target_len, consumed) = if requests {
                    match parser.parse_request(rest) {
                        Ok(Status::Complete { message, consumed }) => {
                            (message.headers.len(), message.target.len(), consumed)
                        }
                        _ => return 0,
                    }
                } else {
                    match parser.parse_response(rest, "GET") {
                        Ok(Status::Complete { message, consumed }) => {
                            (message.headers.len(), message.reason.len(), consumed)
                        }
                        _ => return 0,
                    }
                };
                messages += 1;
                checksum += (headers + target_len) as u64;
                rest = &rest[consumed..];
            }
            messages * 1000 + checksum
        },
    ));
}

/// httparse on every message (it parses heads only: Content-Length bodies are skipped
/// by hand, as a server using it would).
fn httparse_all(bytes: &[u8], requests: bool) -> u64 {
    let mut rest = bytes;
    let (mut messages, mut checksum) = (0u64, 0u64);
    while !rest.is_empty() {
        let mut headers = [httparse::EMPTY_HEADER; 100];
        let (head_len, n, path_len) = if requests {
            let mut req = httparse::Request::new(&mut headers);
            match req.parse(rest) {
                Ok(httparse::Status::Complete(len)) => {
                    (len, req.headers.len(), req.path.map_or(0, str::len))
                }
                _ => return 0,
            }
        } else {
            let mut resp = httparse::Response::new(&mut headers);
            match resp.parse(rest) {
                Ok(httparse::Status::Complete(len)) => {
                    (len, resp.headers.len(), resp.reason.map_or(0, str::len))
                }
                _ => return 0,
            }
        };
        let body = headers[..n]
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-length"))
            .and_then(|h| {
                std::str::from_utf8(h.value)
                    .ok()?
                    .trim()
                    .parse::<usize>()
                    .ok()
            })
            .unwrap_or(0);
        messages += 1;
        checksum += (n + path_len) as u64;
        rest = &rest[(head_len + body).min(rest.len())..];
    }
    messages * 1000 + checksum
}

/// picohttpparser called directly through its -sys crate on every message, as a C user
/// would (Content-Length bodies skipped by hand).
fn pico_all(bytes: &[u8], requests: bool) -> u64 {
    use picohttpparser_sys as pico;
    let mut rest = bytes;
    let (mut messages, mut checksum) = (0u64, 0u64);
    let mut headers = [pico::phr_header::default(); 100];
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
        if head_len <= 0 {
            return 0;
        }
        let span = |p: *const core::ffi::c_char, len: usize| -> &[u8] {
            if p.is_null() {
                return &[];
            }
            // SAFETY: picohttpparser set `p`/`len` to a span of `rest`.
            unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len) }
        };
        let body = headers[..n]
            .iter()
            .find(|h| span(h.name, h.name_len).eq_ignore_ascii_case(b"content-length"))
            .and_then(|h| {
                std::str::from_utf8(span(h.value, h.value_len))
                    .ok()?
                    .trim()
                    .parse::<usize>()
                    .ok()
            })
            .unwrap_or(0);
        messages += 1;
        checksum += (n + a_len) as u64;
        rest = &rest[(head_len as usize + body).min(rest.len())..];
    }
    messages * 1000 + checksum
}
