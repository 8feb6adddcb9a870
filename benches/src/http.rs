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
//! | `peer:httparse` | `httparse::Request::parse` / `Response::parse` per message, Content-Length bodies skipped |

use crate::harness::{Case, Registry};
use arsenal_http::{backend::HeadParser, HttpParser, Status};

const DOMAIN: &str = "http";
const OP: &str = "parse";

mod native {
    extern "C" {
        pub fn arsenal_bench_llhttp_parse(
            buf: *const core::ffi::c_char,
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
    for ds in datasets() {
        register_arsenal::<arsenal_http::backend::llhttp::LlhttpHead>(reg, &ds, "arsenal:llhttp");
        let (bytes, requests) = (ds.bytes.clone(), ds.requests);
        reg.add(Case::new(
            DOMAIN,
            OP,
            ds.name,
            "raw:llhttp",
            ds.bytes.len() as u64,
            ds.messages,
            move || {
                // SAFETY: `bytes` is valid for its length; the C harness only reads it.
                unsafe {
                    native::arsenal_bench_llhttp_parse(
                        bytes.as_ptr().cast(),
                        bytes.len(),
                        i32::from(requests),
                    )
                }
            },
        ));
        let (bytes, requests) = (ds.bytes.clone(), ds.requests);
        reg.add(Case::new(
            DOMAIN,
            OP,
            ds.name,
            "peer:httparse",
            ds.bytes.len() as u64,
            ds.messages,
            move || httparse_all(&bytes, requests),
        ));
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
