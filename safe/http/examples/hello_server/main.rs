//! A small HTTP/1.1 keep-alive "Hello, World!" server on `std` only, parsing requests
//! with arsenal-http.
//!
//! ```text
//! cargo run --release -p arsenal-http --example hello_server
//! cargo run --release -p arsenal-http --example hello_server -- --parser picohttpparser --threads 4
//! curl http://127.0.0.1:8080/
//! ```
//!
//! The parser is [`arsenal_http::DefaultParser`] (chosen at compile time by the backend
//! features: llhttp, else picohttpparser, else http_parser) unless `--parser` picks one
//! of the compiled-in backends ([`arsenal_http::Backend::available`]) at run time, by
//! name (`FromStr`). Each backend runs monomorphised (`HttpParser<H>`), not through the
//! run-time dispatching [`arsenal_http::AnyParser`]: a server picks once and keeps it. The server itself (worker pool, keep-alive,
//! pipelining, 400 on bad requests) is in `server.rs`, which the `http/serve/...` bench
//! cells (`benches/src/http_server.rs`) compile too.

mod server;

use std::net::TcpListener;
use std::process::ExitCode;

use arsenal_http::Backend;
use server::{Options, Server};

const USAGE: &str = "\
hello_server: answers every HTTP/1.x request with `200 OK` and `Hello, World!`.

USAGE:
    hello_server [--addr ADDR] [--threads N] [--parser NAME]

OPTIONS:
    --addr ADDR       listen address (default 127.0.0.1:8080; port 0 picks a free one)
    --threads N       worker threads, i.e. connections served at once (default 16)
    --parser NAME     llhttp | picohttpparser | http_parser (default: the compile-time
                      default, arsenal_http::DefaultParser)
    -h, --help        print this help

Runs until killed.
";

#[derive(Debug)]
struct Args {
    addr: String,
    threads: usize,
    parser: Option<Backend>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        addr: "127.0.0.1:8080".to_owned(),
        threads: Options::default().threads,
        parser: None,
    };
    let mut argv = std::env::args().skip(1);
    while let Some(arg) = argv.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let value = match inline {
            Some(value) => value,
            None => argv.next().ok_or_else(|| format!("{flag} needs a value"))?,
        };
        match flag.as_str() {
            "--addr" => args.addr = value,
            "--threads" => {
                args.threads =
                    value.parse().ok().filter(|&n| n > 0).ok_or_else(|| {
                        format!("--threads wants a positive number, not {value:?}")
                    })?;
            }
            "--parser" => {
                // Any case, `-` or `_`; the error lists every backend name.
                let backend = value.parse::<Backend>().map_err(|e| e.to_string())?;
                if !backend.is_available() {
                    let names: Vec<_> = Backend::available().iter().map(|b| b.name()).collect();
                    return Err(format!(
                        "parser {backend} is not compiled in (this build has: {})",
                        names.join(", ")
                    ));
                }
                args.parser = Some(backend);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(args))
}

/// Starts the server with parser type `P`.
fn start<P: server::RequestParser + 'static>(
    listener: TcpListener,
    options: Options,
) -> std::io::Result<(Server, &'static str)> {
    Ok((Server::start::<P>(listener, options)?, P::NAME))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("hello_server: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(&args.addr) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("hello_server: cannot listen on {}: {e}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let options = Options {
        threads: args.threads,
        ..Options::default()
    };
    let started = match args.parser {
        None => start::<arsenal_http::DefaultParser>(listener, options),
        #[cfg(feature = "llhttp")]
        Some(Backend::Llhttp) => start::<arsenal_http::Llhttp>(listener, options),
        #[cfg(feature = "picohttpparser")]
        Some(Backend::Picohttpparser) => start::<arsenal_http::Picohttpparser>(listener, options),
        #[cfg(feature = "http_parser")]
        Some(Backend::HttpParser) => start::<arsenal_http::HttpParserC>(listener, options),
        // Not compiled in (`parse_args` rejects those), or a backend added later.
        #[allow(unreachable_patterns)]
        Some(other) => {
            eprintln!("hello_server: backend {other} is not supported by this example");
            return ExitCode::FAILURE;
        }
    };
    match started {
        Ok((server, parser)) => {
            println!(
                "hello_server: listening on http://{} (parser: {parser}, threads: {})",
                server.local_addr(),
                options.threads
            );
            server.wait(); // until killed
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("hello_server: cannot start: {e}");
            ExitCode::FAILURE
        }
    }
}
