//! HTTP server rows of the matrix: `http/serve/hello-keepalive/<impl>`.
//!
//! The `hello_server` example's server (`safe/http/examples/hello_server/server.rs`, a
//! std-only worker pool answering every request with `Hello, World!`, included here
//! with `#[path]` so the bench and the example run the same code) is started on
//! `127.0.0.1:0` the first time a cell runs, and stopped when the cell is dropped. One
//! iteration opens [`CONNECTIONS`] keep-alive connections and sends
//! [`REQUESTS_PER_CONNECTION`] requests on each, pipelined in windows of [`WINDOW`]
//! (the connections interleaved window by window from one client thread), the last
//! with `Connection: close`; every response is checked byte for byte, and the server's
//! close is awaited. `items` is the number of requests, so the report's items/s is
//! requests/s, end to end over loopback: client, kernel and server included, so the
//! parser is only a share of it (compare with `peer:httparse`, the same server parsing
//! with httparse, and with the `http/parse/...` rows).
//!
//! The cell's checksum is the number of response bytes so checked, expected to be all
//! of them ([`Case::expect`]).
//!
//! Traffic stays on loopback and is bounded: a fixed batch per iteration, and a
//! [`IO_TIMEOUT`] on every client socket (a stuck iteration panics, which the harness
//! reports as the cell's error).
//!
//! | impl | parser in the server |
//! |---|---|
//! | `arsenal:llhttp` | [`arsenal_http::Llhttp`] |
//! | `arsenal:picohttpparser` | [`arsenal_http::Picohttpparser`] |
//! | `arsenal:http_parser` | [`arsenal_http::HttpParserC`] |
//! | `peer:httparse` | `httparse::Request::parse`, Content-Length bodies skipped, `Transfer-Encoding` rejected |

#[path = "../../safe/http/examples/hello_server/server.rs"]
mod server;

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use crate::harness::{Case, Registry};
use server::{Options, Outcome, Parsed, RequestParser, Server};

const DOMAIN: &str = "http";
const OP: &str = "serve";
const DATASET: &str = "hello-keepalive";

/// Client connections per iteration (the server gets as many worker threads).
pub const CONNECTIONS: usize = 2;
/// Requests sent on each connection per iteration.
pub const REQUESTS_PER_CONNECTION: usize = 200;
/// Requests in flight per connection: sent together, then all their responses read.
pub const WINDOW: usize = 16;
/// Read, write and connect timeout of every client socket. Generous: it only ends a hung
/// exchange, and a loaded machine (tests running beside the server threads on two
/// cores) can stall a healthy one for a while.
pub const IO_TIMEOUT: Duration = Duration::from_secs(10);

/// What every request but the last of a connection looks like (curl-like).
const REQUEST: &[u8] =
    b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: arsenal-bench\r\nAccept: */*\r\n\r\n";
/// The last request of a connection.
const REQUEST_CLOSE: &[u8] = b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: arsenal-bench\r\nAccept: */*\r\nConnection: close\r\n\r\n";

/// Registers the server cells (part of [`crate::http::DOMAIN`], whose `register` calls
/// this).
pub fn register(reg: &mut Registry) {
    add::<arsenal_http::Llhttp>(reg, "arsenal:llhttp");
    add::<arsenal_http::Picohttpparser>(reg, "arsenal:picohttpparser");
    add::<arsenal_http::HttpParserC>(reg, "arsenal:http_parser");
    add::<Httparse>(reg, "peer:httparse");
}

fn add<P: RequestParser + 'static>(reg: &mut Registry, imp: &str) {
    let batch = Batch::new();
    // Every response is compared byte for byte inside the iteration (a difference
    // panics); the checksum, the bytes so checked, must also be all of them.
    let expected = batch.response_bytes() * CONNECTIONS as u64;
    let mut server: Option<Server> = None; // started by the first iteration
    let mut scratch = Vec::new();
    let case = Case::new(
        DOMAIN,
        OP,
        DATASET,
        imp,
        // Reported as requests/s: bytes per iteration are left out on purpose (the
        // report switches to items/s when a table has no bytes).
        0,
        (CONNECTIONS * REQUESTS_PER_CONNECTION) as u64,
        move || {
            let server = server.get_or_insert_with(|| {
                start::<P>().unwrap_or_else(|e| panic!("cannot start the server: {e}"))
            });
            batch
                .run(server.local_addr(), &mut scratch)
                .unwrap_or_else(|e| panic!("load batch failed: {e}"))
        },
    );
    reg.add(case.expect(expected));
}

/// Starts the server on an ephemeral loopback port with one worker per connection.
fn start<P: RequestParser + 'static>() -> io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let options = Options {
        threads: CONNECTIONS,
        ..Options::default()
    };
    Server::start::<P>(listener, options)
}

/// One window of pipelined requests and the exact bytes expected back.
#[derive(Debug, Default)]
struct Window {
    requests: Vec<u8>,
    responses: Vec<u8>,
}

/// The requests of one connection, in windows.
#[derive(Debug)]
struct Batch {
    windows: Vec<Window>,
}

impl Batch {
    fn new() -> Batch {
        let mut windows = Vec::new();
        for first in (0..REQUESTS_PER_CONNECTION).step_by(WINDOW) {
            let mut window = Window::default();
            for index in first..(first + WINDOW).min(REQUESTS_PER_CONNECTION) {
                let last = index + 1 == REQUESTS_PER_CONNECTION;
                let (request, response) = if last {
                    (REQUEST_CLOSE, server::RESPONSE_CLOSE)
                } else {
                    (REQUEST, server::RESPONSE)
                };
                window.requests.extend_from_slice(request);
                window.responses.extend_from_slice(response);
            }
            windows.push(window);
        }
        Batch { windows }
    }

    /// The response bytes one connection reads.
    fn response_bytes(&self) -> u64 {
        self.windows.iter().map(|w| w.responses.len() as u64).sum()
    }

    /// Runs the batch against `addr`: every connection's windows in turn, each response
    /// checked, then the server's close. Returns the response bytes checked.
    fn run(&self, addr: SocketAddr, scratch: &mut Vec<u8>) -> io::Result<u64> {
        let mut connections = Vec::with_capacity(CONNECTIONS);
        for _ in 0..CONNECTIONS {
            let stream = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
            stream.set_nodelay(true)?;
            stream.set_read_timeout(Some(IO_TIMEOUT))?;
            stream.set_write_timeout(Some(IO_TIMEOUT))?;
            connections.push(stream);
        }
        let mut checked = 0u64;
        for window in &self.windows {
            for stream in &mut connections {
                stream.write_all(&window.requests)?;
            }
            for stream in &mut connections {
                scratch.resize(window.responses.len(), 0);
                stream.read_exact(scratch)?;
                if *scratch != window.responses {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "unexpected response bytes: {:?}",
                            String::from_utf8_lossy(scratch)
                        ),
                    ));
                }
                checked += scratch.len() as u64;
            }
        }
        for stream in &mut connections {
            let mut byte = [0u8; 1];
            if stream.read(&mut byte)? != 0 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "bytes after the response to `Connection: close`",
                ));
            }
        }
        Ok(checked)
    }
}

/// httparse as the server's parser: heads by httparse, a `Content-Length` body skipped
/// (as a server using it would), `Transfer-Encoding` rejected (not implemented here),
/// keep-alive from the version and `Connection`.
#[derive(Debug)]
struct Httparse;

impl RequestParser for Httparse {
    const NAME: &'static str = "httparse";

    fn create() -> Result<Self, String> {
        Ok(Httparse)
    }

    fn reset(&mut self) {}

    fn parse(&mut self, buf: &[u8]) -> Outcome {
        // Uninitialised: no 100-entry fill per request (httparse writes the entries it
        // parses and exposes only those).
        let mut headers = [std::mem::MaybeUninit::<httparse::Header<'_>>::uninit(); 100];
        let mut request = httparse::Request::new(&mut []);
        let head_len = match request.parse_with_uninit_headers(buf, &mut headers) {
            Ok(httparse::Status::Complete(len)) if len <= server::MAX_HEAD => len,
            Ok(httparse::Status::Partial) if buf.len() <= server::MAX_HEAD => {
                return Outcome::Partial
            }
            _ => return Outcome::Invalid,
        };
        let mut body: Option<usize> = None;
        let (mut close, mut keep_alive) = (false, false);
        for header in request.headers.iter() {
            if header.name.eq_ignore_ascii_case("content-length") {
                let length = std::str::from_utf8(header.value)
                    .ok()
                    .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|v| v.parse::<usize>().ok());
                match (length, body) {
                    (Some(n), None) if n <= server::MAX_BODY => body = Some(n),
                    (Some(n), Some(m)) if n == m => {}
                    _ => return Outcome::Invalid,
                }
            } else if header.name.eq_ignore_ascii_case("transfer-encoding") {
                return Outcome::Invalid;
            } else if header.name.eq_ignore_ascii_case("connection") {
                for token in header.value.split(|&b| b == b',') {
                    let token = token.trim_ascii();
                    close |= token.eq_ignore_ascii_case(b"close");
                    keep_alive |= token.eq_ignore_ascii_case(b"keep-alive");
                }
            }
        }
        let consumed = head_len + body.unwrap_or(0);
        if buf.len() < consumed {
            return Outcome::Partial;
        }
        let http10 = request.version == Some(0);
        Outcome::Complete(Parsed {
            consumed,
            keep_alive: if http10 { keep_alive } else { !close },
            http10,
            head: request.method == Some("HEAD"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;
    use std::time::Instant;

    /// Connects to `server` with the client timeouts.
    fn client(server: &Server) -> TcpStream {
        let stream = TcpStream::connect_timeout(&server.local_addr(), IO_TIMEOUT).unwrap();
        stream.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
        stream.set_nodelay(true).unwrap();
        stream
    }

    /// Sends `wire` and reads until the server closes.
    fn exchange(server: &Server, wire: &[u8]) -> Vec<u8> {
        let mut stream = client(server);
        stream.write_all(wire).unwrap();
        let mut got = Vec::new();
        stream.read_to_end(&mut got).unwrap();
        got
    }

    fn head_of(response: &[u8]) -> &[u8] {
        &response[..response.len() - server::BODY.len()]
    }

    fn check_server<P: RequestParser + 'static>() {
        let name = P::NAME;
        let server = start::<P>().unwrap();
        let batch = Batch::new();
        let expected: usize = batch.windows.iter().map(|w| w.responses.len()).sum();
        let mut scratch = Vec::new();
        for _ in 0..3 {
            let checked = batch.run(server.local_addr(), &mut scratch).unwrap();
            assert_eq!(checked, (expected * CONNECTIONS) as u64, "{name}");
        }

        // Pipelined, with a Content-Length body, then an invalid request: 200, 200, 400, close.
        let wire = b"POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\nHost: a\r\n\r\nGET /c HTTP/1.1\r\nBad header\r\n\r\nGET /d HTTP/1.1\r\n\r\n";
        let want = [server::RESPONSE, server::RESPONSE, server::BAD_REQUEST].concat();
        assert_eq!(exchange(&server, wire), want, "{name}");
        assert_eq!(
            exchange(&server, b"\x01\x02garbage\r\n\r\n"),
            server::BAD_REQUEST,
            "{name}"
        );

        // A request split across reads, HEAD, HTTP/1.0 keep-alive, then HTTP/1.0 close.
        let mut stream = client(&server);
        stream.write_all(b"GET / HTTP/1.1\r\nHo").unwrap();
        thread::sleep(Duration::from_millis(20));
        stream
            .write_all(b"st: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            .unwrap();
        thread::sleep(Duration::from_millis(20));
        stream.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
        let mut got = Vec::new();
        stream.read_to_end(&mut got).unwrap();
        let want = [
            server::RESPONSE,
            head_of(server::RESPONSE),
            server::RESPONSE_KEEP_ALIVE,
            server::RESPONSE_CLOSE,
        ]
        .concat();
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
            "{name}"
        );

        // Stopping with an idle keep-alive connection open is prompt.
        let idle = client(&server);
        thread::sleep(Duration::from_millis(20));
        let started = Instant::now();
        server.stop();
        assert!(started.elapsed() < Duration::from_secs(1), "{name}");
        drop(idle);
    }

    #[test]
    fn llhttp() {
        check_server::<arsenal_http::Llhttp>();
    }

    #[test]
    fn picohttpparser() {
        check_server::<arsenal_http::Picohttpparser>();
    }

    #[test]
    fn http_parser() {
        check_server::<arsenal_http::HttpParserC>();
    }

    #[test]
    fn httparse() {
        check_server::<Httparse>();
    }

    #[test]
    fn chunked_bodies_with_arsenal() {
        let server = start::<arsenal_http::Llhttp>().unwrap();
        let wire = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        let want = [server::RESPONSE, server::RESPONSE_CLOSE].concat();
        assert_eq!(exchange(&server, wire), want);
    }

    #[test]
    fn cells_run_in_the_harness() {
        use crate::harness::{Profile, Progress};
        let mut registry = Registry::new();
        register(&mut registry);
        assert_eq!(
            registry.ids(),
            [
                "http/serve/hello-keepalive/arsenal:llhttp",
                "http/serve/hello-keepalive/arsenal:picohttpparser",
                "http/serve/hello-keepalive/arsenal:http_parser",
                "http/serve/hello-keepalive/peer:httparse",
            ]
        );
        let expected = Batch::new().response_bytes() * CONNECTIONS as u64;
        for row in registry.run(&Profile::smoke(), &mut Progress::hidden()) {
            assert!(row.error.is_none(), "{}: {:?}", row.id, row.error);
            assert_eq!(row.checksum, Some(expected), "{}", row.id);
        }
    }
}
