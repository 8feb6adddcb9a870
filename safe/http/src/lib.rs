//! One zero-copy, incremental HTTP/1.x parsing API over **llhttp**, **picohttpparser** and
//! **http_parser**.
//!
//! | backend | feature | type |
//! |---|---|---|
//! | llhttp (Node.js's parser, C generated from TypeScript) | `llhttp` | [`Llhttp`] |
//! | picohttpparser (H2O's SSE4.2 parser) | `picohttpparser` | [`Picohttpparser`] |
//! | http_parser (Node.js's previous parser) | `http_parser` | [`HttpParserC`] |
//!
//! The backend parses the message head; this crate checks the head strictly (CRLF only,
//! no obs-fold, known methods, HTTP/1.0 or 1.1, token header names, no control
//! characters) and frames the body itself (Content-Length, chunked with extensions and
//! trailers, the RFC 9112 rules against request smuggling), so **every backend gives the
//! same verdict** on the same bytes. Results borrow the input: no copies.
//!
//! ```
//! use arsenal_http::Status;
//! let mut parser = arsenal_http::DefaultParser::new()?;
//! let wire = b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n";
//! let mut rest = &wire[..];
//! let mut targets = Vec::new();
//! while let Status::Complete { message, consumed } = parser.parse_request(rest)? {
//!     targets.push(message.target);
//!     rest = &rest[consumed..];
//!     if rest.is_empty() { break; }
//! }
//! assert_eq!(targets, [&b"/a"[..], b"/b"]);
//! # Ok::<(), arsenal_http::Error>(())
//! ```
//!
//! [`DefaultParser`] is the compile-time default (llhttp, else picohttpparser, else
//! http_parser). [`Backend`] selects one at run time by value or by name
//! (`"picohttpparser".parse()`), [`Backend::for_strategy`] picks one per workload
//! ([`arsenal_core::Strategy`], with the benchmark row behind each answer), and
//! [`Backend::parser`] turns the choice into a working [`AnyParser`]. With no backend
//! feature the crate does not compile and says which features exist.
//!
//! Library authors should depend with `default-features = false` and let applications
//! pick the backend features.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

#[cfg(not(feature = "any-backend"))]
compile_error!(
    "arsenal-http needs at least one backend feature: `llhttp`, `picohttpparser` and/or `http_parser`"
);

pub mod backend;
#[cfg(feature = "http")]
mod convert;
mod dynamic;
mod engine;
mod error;
mod framing;
mod message;
mod scan;
mod validate;

/// The selection vocabulary, re-exported from `arsenal-core` so that this crate works
/// alone: [`Strategy`] for [`Backend::for_strategy`], [`Select`] for
/// [`Backend::evidence`](Select::evidence), [`UnknownBackend`] from `Backend`'s `FromStr`.
pub use arsenal_core::{Select, Strategy, UnknownBackend};
#[cfg(feature = "http")]
pub use convert::header_map;
pub use dynamic::AnyParser;
pub use engine::HttpParser;
pub use error::{Error, ErrorKind, Result};
pub use message::{Body, Header, Limits, Recycled, Request, Response, Status, Version};
pub use validate::METHODS;

/// llhttp backend (feature `llhttp`).
#[cfg(feature = "llhttp")]
pub type Llhttp = HttpParser<backend::llhttp::LlhttpHead>;
/// picohttpparser backend (feature `picohttpparser`).
#[cfg(feature = "picohttpparser")]
pub type Picohttpparser = HttpParser<backend::picohttpparser::PicoHead>;
/// http_parser backend (feature `http_parser`); named `HttpParserC` to keep it apart
/// from the generic [`HttpParser`].
#[cfg(feature = "http_parser")]
pub type HttpParserC = HttpParser<backend::http_parser::HttpParserHead>;

/// The compile-time default, in one priority: llhttp (Node.js's maintained parser,
/// resumable on partial input), else picohttpparser, else http_parser. The same order as
/// [`Backend::available`] (whose first entry is this backend, [`Backend::default`]) and
/// what [`Strategy::Balanced`] picks.
///
/// ```
/// use arsenal_http::{Backend, DefaultParser};
/// assert_eq!(DefaultParser::BACKEND, Backend::available()[0]);
/// ```
#[cfg(feature = "llhttp")]
pub type DefaultParser = Llhttp;
/// The compile-time default, in one priority: llhttp (Node.js's maintained parser,
/// resumable on partial input), else picohttpparser, else http_parser. The same order as
/// [`Backend::available`] (whose first entry is this backend, [`Backend::default`]) and
/// what [`Strategy::Balanced`] picks.
///
/// ```
/// use arsenal_http::{Backend, DefaultParser};
/// assert_eq!(DefaultParser::BACKEND, Backend::available()[0]);
/// ```
#[cfg(all(not(feature = "llhttp"), feature = "picohttpparser"))]
pub type DefaultParser = Picohttpparser;
/// The compile-time default, in one priority: llhttp (Node.js's maintained parser,
/// resumable on partial input), else picohttpparser, else http_parser. The same order as
/// [`Backend::available`] (whose first entry is this backend, [`Backend::default`]) and
/// what [`Strategy::Balanced`] picks.
///
/// ```
/// use arsenal_http::{Backend, DefaultParser};
/// assert_eq!(DefaultParser::BACKEND, Backend::available()[0]);
/// ```
#[cfg(all(
    not(feature = "llhttp"),
    not(feature = "picohttpparser"),
    feature = "http_parser"
))]
pub type DefaultParser = HttpParserC;

arsenal_core::backends! {
    /// An HTTP/1.x backend, chosen at run time: the one selection shape every Arsenal
    /// domain crate shares (see [`arsenal_core::select`]).
    ///
    /// - [`Backend::ALL`]: every backend this crate knows, compiled in or not;
    /// - [`Backend::available`]: those compiled into this build, in the priority of
    ///   [`DefaultParser`] (llhttp, picohttpparser, http_parser; all run on every CPU:
    ///   picohttpparser's SSE4.2 path is chosen at compile time, not at run time);
    /// - `name()`, `Display` and a case-insensitive `FromStr` (which also takes `-` for
    ///   `_`) whose error lists the names;
    /// - [`Backend::for_strategy`]: this crate's measured answer to an
    ///   [`Strategy`] (the table is on the [`Select`] impl below);
    /// - a working parser from a value: [`Backend::parser`] (an [`AnyParser`]).
    ///
    /// All backends give the same verdicts; they differ in speed and memory.
    ///
    /// ```
    /// use arsenal_http::{Backend, Status};
    /// let backend: Backend = "HTTP-Parser".parse()?;
    /// assert_eq!(backend, Backend::HttpParser);
    /// assert_eq!(Backend::ALL, [Backend::Llhttp, Backend::Picohttpparser, Backend::HttpParser]);
    /// for backend in Backend::available() {
    ///     let mut parser = backend.parser()?;
    ///     let status = parser.parse_request(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")?;
    ///     assert!(matches!(status, Status::Complete { consumed: 27, .. }));
    /// }
    /// let err = "hyper".parse::<Backend>().unwrap_err();
    /// assert!(err.to_string().contains("llhttp, picohttpparser, http_parser"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    domain = "http";
    pub enum Backend {
        /// llhttp (feature `llhttp`, type `Llhttp`): resumable, Node.js's parser.
        Llhttp = "llhttp",
        /// picohttpparser (feature `picohttpparser`, type `Picohttpparser`): stateless,
        /// SSE4.2 when the build targets it.
        Picohttpparser = "picohttpparser",
        /// http_parser (feature `http_parser`, type `HttpParserC`): resumable, Node.js's
        /// previous parser.
        HttpParser = "http_parser",
    }
}

/// How arsenal-http answers each [`Strategy`], from the matrix benchmark's rows
/// (`scripts/bench`; the last numbers are in the README's "Measured"
/// section, nanoseconds per request, built for baseline x86-64, i.e. picohttpparser's
/// scalar path). A backend whose feature is off is skipped: the next in the order, else
/// the default.
///
/// | strategy | order | evidence row | why |
/// |---|---|---|---|
/// | `Throughput` | picohttpparser, llhttp, http_parser | `http/parse/pipelined-100` | 100 browser requests back to back: 501 ns per request against llhttp's 716 and http_parser's 1560 |
/// | `Latency` | picohttpparser, llhttp, http_parser | `http/parse/get-minimal` | the smallest request: 106 ns against 145 and 178 (picohttpparser leads on every `http/parse` row, so `Latency` = `Throughput`) |
/// | `Balanced` | [`DefaultParser`]'s: llhttp, picohttpparser, http_parser | – | the compile-time default (`available()[0]`) |
/// | `MinimalMemory` | http_parser, llhttp, picohttpparser | `http/memory/get-browser` | the bytes a parser holds (`size_of` plus heap in use, glibc `mallinfo2`, 64 parsers alive) after the 15-header `get-browser` request, its message dropped; measured on an AMD EPYC (Zen 3, family 25 model 1; `/proc/cpuinfo` model name "AMD EPYC"): http_parser 1123–1126 across runs, llhttp 1311–1460 (a larger C struct and boxed settings), picohttpparser 4080–4081 (no C state, but a header array of [`Limits::max_headers`] 32-byte entries up front: 3.2 KiB by default). The C structs alone are 32 bytes (`http_parser`) and 96 (`llhttp_t`). `safe/http/tests/footprint.rs` checks the order. The speed price is on `http/parse/get-browser`: 1562 ns per request against 478 |
/// | `MaximalSpeed` | picohttpparser, llhttp, http_parser | `http/parse/get-browser` | the header-heavy request, where picohttpparser's SSE4.2 header scan applies when the build targets SSE4.2 (`cfg!(target_feature = "sse4.2")`; it has no run-time dispatch). Its scalar path already leads (478 ns against 718 and 1562, measured without SSE4.2), so both tiers pick it; llhttp and http_parser use no SIMD |
///
/// ```
/// use arsenal_http::{Backend, Select, Strategy};
/// # #[cfg(all(feature = "llhttp", feature = "picohttpparser"))] {
/// assert_eq!(Backend::for_strategy(Strategy::Balanced), Backend::Llhttp);
/// assert_eq!(Backend::for_strategy(Strategy::Throughput), Backend::Picohttpparser);
/// # }
/// assert_eq!(Backend::evidence(Strategy::Latency), Some("http/parse/get-minimal"));
/// let mut parser = Backend::for_strategy(Strategy::from_env()).parser()?;
/// assert!(parser.parse_request(b"GET / HTTP/1.1\r\n").is_ok());
/// # Ok::<(), arsenal_http::Error>(())
/// ```
impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        let mut available = Vec::with_capacity(Backend::ALL.len());
        #[cfg(feature = "llhttp")]
        available.push(Backend::Llhttp);
        #[cfg(feature = "picohttpparser")]
        available.push(Backend::Picohttpparser);
        #[cfg(feature = "http_parser")]
        available.push(Backend::HttpParser);
        available
    }

    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::{prefer, Strategy};
        use Backend::{HttpParser, Llhttp, Picohttpparser};
        const FASTEST_FIRST: &[Backend] = &[Picohttpparser, Llhttp, HttpParser];
        match strategy {
            Strategy::Throughput | Strategy::Latency => prefer(FASTEST_FIRST),
            Strategy::Balanced => prefer(&[]),
            Strategy::MinimalMemory => prefer(&[HttpParser, Llhttp, Picohttpparser]),
            // The one SIMD difference among the backends is picohttpparser's SSE4.2 path,
            // fixed at compile time (`cfg!(target_feature = "sse4.2")`, no run-time
            // dispatch): with it picohttpparser only gets faster, and without it (how the
            // bench rows were built) it already leads. So both tiers get the same order.
            Strategy::MaximalSpeed => prefer(FASTEST_FIRST),
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy;
        match strategy {
            Strategy::Throughput => Some("http/parse/pipelined-100"),
            Strategy::Latency => Some("http/parse/get-minimal"),
            Strategy::Balanced => None,
            Strategy::MinimalMemory => Some("http/memory/get-browser"),
            Strategy::MaximalSpeed => Some("http/parse/get-browser"),
        }
    }
}

impl Backend {
    /// A parser of this backend with [`Limits::default`], dispatching at run time; fails
    /// with [`ErrorKind::Unavailable`] when the backend is not compiled in. Same as
    /// [`AnyParser::new`].
    ///
    /// ```
    /// use arsenal_http::{Backend, Status};
    /// let mut parser = Backend::default().parser()?;
    /// let status = parser.parse_response(b"HTTP/1.1 204 No Content\r\n\r\n", "GET")?;
    /// assert!(matches!(status, Status::Complete { message, .. } if message.status == 204));
    /// # Ok::<(), arsenal_http::Error>(())
    /// ```
    pub fn parser(self) -> Result<AnyParser> {
        AnyParser::new(self)
    }
}

impl Default for Backend {
    /// The same backend as [`DefaultParser`]: `Backend::available()[0]`, and what
    /// [`Strategy::Balanced`] picks.
    fn default() -> Self {
        DefaultParser::BACKEND
    }
}

#[cfg(test)]
mod selection_tests {
    use super::*;
    use arsenal_core::{Select, Strategy};

    #[test]
    fn all_lists_every_variant_and_available_is_a_non_empty_subset() {
        // A new variant breaks this match, a reminder to list it in ALL.
        for backend in Backend::ALL {
            match backend {
                Backend::Llhttp | Backend::Picohttpparser | Backend::HttpParser => {}
            }
        }
        assert_eq!(
            Backend::ALL,
            [
                Backend::Llhttp,
                Backend::Picohttpparser,
                Backend::HttpParser
            ]
        );
        assert_eq!(Backend::NAMES, ["llhttp", "picohttpparser", "http_parser"]);
        let available = Backend::available();
        assert_eq!(available[0], Backend::default());
        assert_eq!(available[0], DefaultParser::BACKEND);
        assert_eq!(
            available,
            Backend::ALL
                .iter()
                .copied()
                .filter(|b| b.is_available())
                .collect::<Vec<_>>()
        );
        assert_eq!(Backend::Llhttp.is_available(), cfg!(feature = "llhttp"));
        assert_eq!(
            Backend::Picohttpparser.is_available(),
            cfg!(feature = "picohttpparser")
        );
        assert_eq!(
            Backend::HttpParser.is_available(),
            cfg!(feature = "http_parser")
        );
    }

    /// The selection shape every domain crate shares: names, parsing, `available()`,
    /// strategies and evidence (`arsenal_core::select::check_shape`).
    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_strategy_picks_an_available_backend_with_evidence() {
        let datasets = ["get-minimal", "get-browser", "response", "pipelined-100"];
        for strategy in Strategy::ALL {
            assert!(Backend::for_strategy(strategy).is_available(), "{strategy}");
            match (strategy, Backend::evidence(strategy)) {
                (Strategy::Balanced, evidence) => assert_eq!(evidence, None),
                (_, None) => panic!("{strategy}: no evidence"),
                (_, Some(row)) => {
                    // A row of benches/src/http.rs: http/parse/<dataset>, or the memory
                    // row group http/memory/get-browser for MinimalMemory.
                    let parts: Vec<&str> = row.split('/').collect();
                    let op = if strategy == Strategy::MinimalMemory {
                        "memory"
                    } else {
                        "parse"
                    };
                    assert!(
                        parts.len() == 3
                            && parts[0] == Backend::DOMAIN
                            && parts[1] == op
                            && datasets.contains(&parts[2]),
                        "{strategy}: {row}"
                    );
                }
            }
        }
        assert_eq!(
            Backend::for_strategy(Strategy::Balanced),
            Backend::default()
        );
    }

    #[cfg(all(
        feature = "llhttp",
        feature = "picohttpparser",
        feature = "http_parser"
    ))]
    #[test]
    fn strategy_mapping() {
        use Backend::{HttpParser, Llhttp, Picohttpparser};
        assert_eq!(Backend::for_strategy(Strategy::Throughput), Picohttpparser);
        assert_eq!(Backend::for_strategy(Strategy::Latency), Picohttpparser);
        assert_eq!(Backend::for_strategy(Strategy::Balanced), Llhttp);
        assert_eq!(Backend::for_strategy(Strategy::MinimalMemory), HttpParser);
        assert_eq!(
            Backend::for_strategy(Strategy::MaximalSpeed),
            Picohttpparser
        );
    }

    #[test]
    fn every_available_backend_parses_through_its_dynamic_parser() {
        let wire = b"POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
                     3\r\nabc\r\n0\r\n\r\nGET /b HTTP/1.0\r\n\r\n";
        for backend in Backend::available() {
            let mut parser = backend.parser().expect("parser");
            assert_eq!(parser.backend(), backend);
            assert_eq!(parser.limits(), &Limits::default());
            // In two pieces, then the pipelined second request.
            assert!(matches!(
                parser.parse_request(&wire[..30]),
                Ok(Status::Partial)
            ));
            let consumed = match parser.parse_request(wire) {
                Ok(Status::Complete { message, consumed }) => {
                    assert_eq!((message.method, message.target), ("POST", &b"/a"[..]));
                    assert_eq!(message.body, Body::Chunked(vec![&b"abc"[..]]));
                    consumed
                }
                other => panic!("{backend}: {other:?}"),
            };
            match parser.parse_request(&wire[consumed..]) {
                Ok(Status::Complete { message, .. }) => {
                    assert_eq!(message.version, Version::Http10, "{backend}");
                }
                other => panic!("{backend}: {other:?}"),
            }
            let response = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            parser.reset();
            match parser.parse_response(response, "GET") {
                Ok(Status::Complete { message, .. }) => {
                    assert_eq!(message.body, Body::Bytes(b"ok"), "{backend}");
                }
                other => panic!("{backend}: {other:?}"),
            }
            let until_close = b"HTTP/1.1 200 OK\r\n\r\nall of it";
            assert!(matches!(
                parser.parse_response(until_close, "GET"),
                Ok(Status::Partial)
            ));
            assert!(matches!(
                parser.parse_response_at_eof(until_close, "GET"),
                Ok(Status::Complete { consumed, .. }) if consumed == until_close.len()
            ));
            let err = parser.parse_request(b"GET / HTTP/1.1\nHost: x\r\n\r\n");
            assert_eq!(err.map_err(|e| e.kind()).err(), Some(ErrorKind::BareLf));
        }
        for &backend in Backend::ALL {
            if !backend.is_available() {
                let err = AnyParser::new(backend).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Unavailable);
                assert_eq!(err.backend(), backend.name());
            }
        }
    }
}
