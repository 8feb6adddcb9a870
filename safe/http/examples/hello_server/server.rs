//! A small HTTP/1.1 keep-alive "Hello, World!" server on `std` only (blocking sockets,
//! a fixed pool of worker threads, no async runtime), generic over the request parser.
//!
//! Every request gets `HTTP/1.1 200 OK` with `Content-Length: 13` and `Hello, World!`
//! (no body for `HEAD`). Keep-alive follows the request (`HTTP/1.1` unless
//! `Connection: close`, `HTTP/1.0` only with `Connection: keep-alive`); pipelining is
//! served by parsing every complete request in the read buffer, writing all their
//! responses in one write and keeping the incomplete rest for the next read. A request
//! the parser rejects gets `400 Bad Request` and the connection is closed.
//!
//! This one file is compiled into two crates, so it uses only `std` and `arsenal_http`:
//! - `safe/http/examples/hello_server/main.rs`, the runnable example, as `mod server`;
//! - `benches/src/http_server.rs`, the `http/serve/...` bench cells, through
//!   `#[path = "../../safe/http/examples/hello_server/server.rs"]` (a bench cannot depend
//!   on an example, and arsenal-http cannot depend on the bench crate).
//!
//! Each crate uses a subset of it, hence the `dead_code` allowance.
#![allow(dead_code)]

use std::io::{self, ErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use arsenal_http::backend::HeadParser;
use arsenal_http::{HttpParser, Limits, Status, Version};

/// The response body.
pub const BODY: &[u8] = b"Hello, World!";
/// The answer to a keep-alive HTTP/1.1 request.
pub const RESPONSE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!";
/// The answer to a keep-alive HTTP/1.0 request (which must be told the connection stays).
pub const RESPONSE_KEEP_ALIVE: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: keep-alive\r\n\r\nHello, World!";
/// The answer to the last request of a connection.
pub const RESPONSE_CLOSE: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Length: 13\r\nConnection: close\r\n\r\nHello, World!";
/// The answer to a request the parser rejects; the connection is closed after it.
pub const BAD_REQUEST: &[u8] =
    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Longest request head accepted (the parsers answer 400 beyond it).
pub const MAX_HEAD: usize = 64 * 1024;
/// Longest request body accepted (read and discarded; 400 beyond it).
pub const MAX_BODY: usize = 1 << 20;
/// A worker blocked in `read` wakes this often to check the stop flag and idle time.
const POLL: Duration = Duration::from_millis(100);
/// A client that stops reading our responses is dropped after this long.
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a closing connection drains what the client still sends (so the client
/// sees our last response rather than a reset).
const LINGER: Duration = Duration::from_secs(1);
/// First size of a connection's read buffer; it doubles up to the head and body limits.
const INITIAL_BUFFER: usize = 16 * 1024;

/// One complete request, as far as the server cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    /// Bytes of the buffer the request (head and body) occupies.
    pub consumed: usize,
    /// Whether the connection stays open after it.
    pub keep_alive: bool,
    /// HTTP/1.0 (a kept-alive connection must be confirmed with `Connection: keep-alive`).
    pub http10: bool,
    /// A `HEAD` request (the response has no body).
    pub head: bool,
}

/// What a [`RequestParser`] found at the start of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A whole request.
    Complete(Parsed),
    /// More bytes are needed; the next call gets the same bytes plus new ones.
    Partial,
    /// Not a valid request: answer 400 and close.
    Invalid,
}

/// A request parser the server can drive: one per worker thread, reused across that
/// worker's connections.
pub trait RequestParser: Sized {
    /// The parser's name, for messages.
    const NAME: &'static str;
    /// A new parser.
    fn create() -> Result<Self, String>;
    /// Forgets any partial request (a new connection starts).
    fn reset(&mut self);
    /// Parses the request at the start of `buf`.
    fn parse(&mut self, buf: &[u8]) -> Outcome;
}

/// The limits every arsenal-http backend runs with here.
pub fn limits() -> Limits {
    Limits::default()
        .max_head_len(MAX_HEAD)
        .max_body_len(MAX_BODY as u64)
}

impl<H: HeadParser> RequestParser for HttpParser<H> {
    const NAME: &'static str = H::NAME;

    fn create() -> Result<Self, String> {
        HttpParser::with_limits(limits()).map_err(|e| e.to_string())
    }

    fn reset(&mut self) {
        HttpParser::reset(self);
    }

    fn parse(&mut self, buf: &[u8]) -> Outcome {
        match self.parse_request(buf) {
            Ok(Status::Complete { message, consumed }) => Outcome::Complete(Parsed {
                consumed,
                keep_alive: message.keep_alive(),
                http10: message.version == Version::Http10,
                head: message.method == "HEAD",
            }),
            Ok(Status::Partial) => Outcome::Partial,
            Err(_) => Outcome::Invalid,
        }
    }
}

/// The response to `request`.
pub fn response(request: &Parsed) -> &'static [u8] {
    let full = if !request.keep_alive {
        RESPONSE_CLOSE
    } else if request.http10 {
        RESPONSE_KEEP_ALIVE
    } else {
        RESPONSE
    };
    if request.head {
        &full[..full.len() - BODY.len()]
    } else {
        full
    }
}

/// Server settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Worker threads. Each serves one connection at a time, so this is also the number
    /// of connections served at once; more wait in the listen queue.
    pub threads: usize,
    /// A keep-alive connection with no bytes from the client for this long is closed.
    pub idle_timeout: Duration,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            threads: 16,
            idle_timeout: Duration::from_secs(5),
        }
    }
}

/// A running server: worker threads accepting on one listener. Dropping it (or
/// [`Server::stop`]) sets the stop flag, wakes the workers and joins them; that takes
/// at most about [`POLL`] plus a blocked write's timeout.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    workers: Vec<JoinHandle<()>>,
}

impl Server {
    /// Starts `options.threads` workers (at least one) on `listener`, each with its own
    /// parser `P`. Fails if a parser cannot be created or a thread cannot be spawned.
    pub fn start<P: RequestParser + 'static>(
        listener: TcpListener,
        options: Options,
    ) -> io::Result<Server> {
        P::create().map_err(|e| io::Error::other(format!("{}: {e}", P::NAME)))?;
        let addr = listener.local_addr()?;
        let listener = Arc::new(listener);
        let mut server = Server {
            addr,
            stop: Arc::new(AtomicBool::new(false)),
            workers: Vec::new(),
        };
        for index in 0..options.threads.max(1) {
            let (listener, stop) = (Arc::clone(&listener), Arc::clone(&server.stop));
            let worker = thread::Builder::new()
                .name(format!("hello-{}-{index}", P::NAME))
                .spawn(move || worker::<P>(&listener, &stop, options))?;
            server.workers.push(worker); // on error, dropping `server` stops the others
        }
        Ok(server)
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The stop flag: setting it makes the workers finish their current read and exit
    /// (those blocked in `accept` need a connection to notice; [`Server::stop`] makes one).
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// Blocks until every worker has exited (that is, until the stop flag is set and
    /// each worker has noticed it).
    pub fn wait(mut self) {
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }

    /// Stops the workers and waits for them.
    pub fn stop(self) {
        drop(self);
    }

    fn shutdown(&mut self) {
        if self.workers.is_empty() {
            return;
        }
        self.stop.store(true, Ordering::SeqCst);
        // Wake the workers blocked in accept(): one connection each (a busy worker leaves
        // its wake-up connection in the queue, closed with the listener).
        let wake = SocketAddr::new(
            match self.addr.ip() {
                IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
                IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
                ip => ip,
            },
            self.addr.port(),
        );
        for _ in &self.workers {
            let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// One worker: accept a connection, serve it to its end, repeat until stopped.
fn worker<P: RequestParser>(listener: &TcpListener, stop: &AtomicBool, options: Options) {
    let mut parser = match P::create() {
        Ok(parser) => parser,
        Err(e) => {
            eprintln!("hello_server: {}: {e}", P::NAME);
            return;
        }
    };
    let mut buffers = Buffers::default();
    loop {
        let accepted = listener.accept();
        if stop.load(Ordering::SeqCst) {
            return;
        }
        match accepted {
            Ok((stream, _)) => {
                parser.reset();
                // An I/O error ends only that connection.
                let _ = serve_connection(stream, &mut parser, &mut buffers, stop, options);
            }
            // E.g. out of file descriptors: do not spin.
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// A worker's read and write buffers, kept across its connections.
#[derive(Debug, Default)]
struct Buffers {
    input: Vec<u8>,
    output: Vec<u8>,
}

/// Serves one connection until the client closes it, a request ends it (`Connection:
/// close`, HTTP/1.0, invalid), it idles past the timeout, or the server stops.
fn serve_connection<P: RequestParser>(
    mut stream: TcpStream,
    parser: &mut P,
    buffers: &mut Buffers,
    stop: &AtomicBool,
    options: Options,
) -> io::Result<()> {
    stream.set_nodelay(true)?;
    stream.set_read_timeout(Some(POLL))?;
    stream.set_write_timeout(Some(WRITE_TIMEOUT))?;
    let Buffers { input, output } = buffers;
    if input.len() < INITIAL_BUFFER {
        input.resize(INITIAL_BUFFER, 0);
    }
    output.clear();
    let mut filled = 0;
    let mut last_read = Instant::now();
    loop {
        if filled == input.len() {
            // The parsers reject heads and bodies past the limits, so a full buffer
            // at this size cannot hold a request that will still complete.
            if input.len() >= MAX_HEAD + MAX_BODY {
                stream.write_all(BAD_REQUEST)?;
                linger_close(stream, stop);
                return Ok(());
            }
            input.resize((input.len() * 2).min(MAX_HEAD + MAX_BODY), 0);
        }
        let n = match stream.read(&mut input[filled..]) {
            Ok(0) => return Ok(()), // the client closed
            Ok(n) => n,
            Err(e) if is_timeout(&e) => {
                if stop.load(Ordering::Relaxed) || last_read.elapsed() >= options.idle_timeout {
                    return Ok(());
                }
                continue;
            }
            Err(e) => return Err(e),
        };
        last_read = Instant::now();
        filled += n;
        // Every complete request in the buffer (pipelining), then one write.
        let mut start = 0;
        let mut close = false;
        while start < filled {
            match parser.parse(&input[start..filled]) {
                Outcome::Complete(request) => {
                    output.extend_from_slice(response(&request));
                    start += request.consumed;
                    if !request.keep_alive {
                        close = true;
                        break;
                    }
                }
                Outcome::Partial => break,
                Outcome::Invalid => {
                    output.extend_from_slice(BAD_REQUEST);
                    close = true;
                    break;
                }
            }
        }
        if !output.is_empty() {
            stream.write_all(output)?;
            output.clear();
        }
        if close {
            linger_close(stream, stop);
            return Ok(());
        }
        // Keep the incomplete rest at the front: the parser sees the same bytes again,
        // extended by the next read.
        input.copy_within(start..filled, 0);
        filled -= start;
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
    )
}

/// Closes after the last response: half-close, then drain what the client still sends
/// (for up to [`LINGER`]) so that closing with unread input does not reset the
/// connection before the client has read our response.
fn linger_close(mut stream: TcpStream, stop: &AtomicBool) {
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + LINGER;
    let mut scratch = [0u8; 4096];
    let mut drained = 0;
    while Instant::now() < deadline && drained < MAX_BODY && !stop.load(Ordering::Relaxed) {
        match stream.read(&mut scratch) {
            Ok(0) => return,
            Ok(n) => drained += n,
            Err(e) if is_timeout(&e) => {}
            Err(_) => return,
        }
    }
}
