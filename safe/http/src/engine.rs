//! The driver shared by every backend: the backend parses the head (incrementally,
//! resuming where it can), this crate checks it strictly and frames the body.

use crate::backend::HeadParser;
use crate::error::{Error, ErrorKind, Result};
use crate::framing::{
    framing, is_framing_field, ChunkedDecoder, ChunkedStatus, Framing, Role, MAX_BUFFER,
};
use crate::message::{Body, Header, Limits, RawHead, Recycled, Request, Response, Status, Version};
use crate::scan::Scanner;
use crate::validate::{check_head_with, diagnose, HeadKind};
use std::ops::Range;

/// What a complete message has besides its start line, filled in place by
/// [`HttpParser::advance`].
struct Parts<'b> {
    headers: Vec<Header<'b>>,
    body: Body<'b>,
    trailers: Vec<Header<'b>>,
    /// Storage for a chunked body's slices.
    chunks: Vec<&'b [u8]>,
}

/// Where the parser is within the current message.
#[derive(Debug)]
enum Phase {
    Head,
    Body {
        head_len: usize,
        framing: Framing,
        chunked: Option<ChunkedDecoder>,
    },
}

/// An HTTP/1.x parser over backend `H` (see the crate docs for the backends).
///
/// Call [`parse_request`](Self::parse_request) (or
/// [`parse_response`](Self::parse_response)) with everything received so far; on
/// [`Status::Partial`] call again with the same bytes plus the new ones. After
/// [`Status::Complete`], the next message starts at `consumed`: pass the rest of the
/// buffer (pipelining). Backends that can resume (llhttp, http_parser) only look at the
/// new bytes; picohttpparser re-scans the head with its `last_len` hint.
#[derive(Debug)]
pub struct HttpParser<H: HeadParser> {
    head: H,
    limits: Limits,
    raw: RawHead,
    phase: Phase,
    /// Length of the buffer at the previous call (a shorter buffer restarts).
    seen: usize,
    /// This crate's own checker, run over a head still incomplete for the backend, so
    /// that every backend rejects a bad prefix as early (and with the same kind) as the
    /// streaming ones do.
    scanner: Option<Scanner>,
    /// Allocations handed back with [`recycle`](Self::recycle), reused by the next
    /// message.
    spare: Recycled,
}

impl<H: HeadParser> HttpParser<H> {
    /// Which [`Backend`](crate::Backend) this is.
    ///
    /// ```
    /// use arsenal_http::{Backend, DefaultParser};
    /// assert_eq!(DefaultParser::BACKEND, Backend::default());
    /// ```
    pub const BACKEND: crate::Backend = H::BACKEND;

    /// A parser with [`Limits::default`].
    pub fn new() -> Result<Self> {
        Self::with_limits(Limits::default())
    }

    /// A parser with the given limits.
    pub fn with_limits(limits: Limits) -> Result<Self> {
        Ok(HttpParser {
            head: H::new(&limits)?,
            limits,
            raw: RawHead::default(),
            phase: Phase::Head,
            seen: 0,
            scanner: None,
            spare: Recycled::default(),
        })
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Forgets any partial message: the next call starts a new one.
    pub fn reset(&mut self) {
        self.head.reset();
        self.raw.clear();
        self.phase = Phase::Head;
        self.seen = 0;
        self.scanner = None;
    }

    /// Hands a parsed message's allocations back: the next messages reuse them instead
    /// of allocating their header (and chunk, trailer) vectors. Optional; a server loop
    /// that is done with each request before parsing the next calls it to parse without
    /// allocating.
    ///
    /// ```
    /// use arsenal_http::{DefaultParser, Status};
    /// let mut parser = DefaultParser::new()?;
    /// let input = b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n";
    /// let mut rest = &input[..];
    /// while let Status::Complete { message, consumed } = parser.parse_request(rest)? {
    ///     assert_eq!(message.header("host"), Some(&b"a"[..]));
    ///     parser.recycle(message); // the next request reuses its header vector
    ///     rest = &rest[consumed..];
    /// }
    /// assert!(rest.is_empty());
    /// # Ok::<(), arsenal_http::Error>(())
    /// ```
    pub fn recycle(&mut self, message: impl Into<Recycled>) {
        self.spare = message.into();
    }

    /// The spare allocations, for a message whose fields live for `'b`.
    fn parts<'b>(&mut self) -> Parts<'b> {
        let spare = std::mem::take(&mut self.spare);
        // `Header<'static>` is a `Header<'b>` (covariance): the vectors are empty.
        Parts {
            headers: spare.headers,
            body: Body::Empty,
            trailers: spare.trailers,
            chunks: spare.chunks,
        }
    }

    /// Parses a request from the start of `buf`.
    pub fn parse_request<'b>(&mut self, buf: &'b [u8]) -> Result<Status<Request<'b>>> {
        let mut parts = self.parts();
        let Some(end) = self.advance(buf, HeadKind::Request, "", false, &mut parts)? else {
            return Ok(Status::Partial);
        };
        let method = std::str::from_utf8(&buf[self.raw.method.clone()])
            .map_err(|_| Error::ours(ErrorKind::Method, 0, "method is not ASCII"))?;
        self.finish();
        // Built in the return expression: a message assembled first and then moved costs
        // a wide copy that stalls on the narrow stores just made.
        let raw = &self.raw;
        Ok(Status::Complete {
            message: Request {
                method,
                target: &buf[raw.target.clone()],
                version: version(raw.minor_version),
                headers: parts.headers,
                body: parts.body,
                trailers: parts.trailers,
            },
            consumed: end,
        })
    }

    /// Parses a response from the start of `buf`; `request_method` is the method of the
    /// request it answers (a response to `HEAD` has no body). A response delimited by
    /// the end of the connection stays [`Status::Partial`] until
    /// [`parse_response_at_eof`](Self::parse_response_at_eof).
    pub fn parse_response<'b>(
        &mut self,
        buf: &'b [u8],
        request_method: &str,
    ) -> Result<Status<Response<'b>>> {
        self.response(buf, request_method, false)
    }

    /// Like [`parse_response`](Self::parse_response) when the peer has closed the
    /// connection: a body delimited by the end of input ends at the end of `buf`.
    pub fn parse_response_at_eof<'b>(
        &mut self,
        buf: &'b [u8],
        request_method: &str,
    ) -> Result<Status<Response<'b>>> {
        self.response(buf, request_method, true)
    }

    fn response<'b>(
        &mut self,
        buf: &'b [u8],
        request_method: &str,
        eof: bool,
    ) -> Result<Status<Response<'b>>> {
        let mut parts = self.parts();
        let Some(end) = self.advance(buf, HeadKind::Response, request_method, eof, &mut parts)?
        else {
            return Ok(Status::Partial);
        };
        self.finish();
        let raw = &self.raw; // the message is built in place, as in `parse_request`
        Ok(Status::Complete {
            message: Response {
                version: version(raw.minor_version),
                status: raw.status,
                reason: &buf[raw.reason.clone()],
                headers: parts.headers,
                body: parts.body,
                trailers: parts.trailers,
            },
            consumed: end,
        })
    }

    fn finish(&mut self) {
        self.head.reset();
        self.phase = Phase::Head;
        self.seen = 0;
        self.scanner = None;
    }

    /// Runs the state machine; `Some(end)` when the message is complete, its parts then
    /// in `parts` (filled in place: no large value is moved on this hot path).
    fn advance<'b>(
        &mut self,
        buf: &'b [u8],
        kind: HeadKind,
        request_method: &str,
        eof: bool,
        parts: &mut Parts<'b>,
    ) -> Result<Option<usize>> {
        if buf.len() < self.seen {
            self.reset(); // not the same stream: start over
        }
        self.seen = buf.len();
        let in_head = matches!(self.phase, Phase::Head);
        let done = self.step(buf, kind, request_method, eof, parts)?;
        let headers = &mut parts.headers;
        match (in_head, done) {
            // The head completed but the body has not: keep its fields as ranges (the
            // slices die with this call) for the call that completes the message.
            (true, None) if !matches!(self.phase, Phase::Head) => {
                let at = |part: &[u8]| {
                    let start = (part.as_ptr() as usize).wrapping_sub(buf.as_ptr() as usize);
                    start..start + part.len()
                };
                self.raw.headers.clear();
                self.raw
                    .headers
                    .extend(headers.iter().map(|h| (at(h.name), at(h.value))));
            }
            // The head completed in an earlier call.
            (false, Some(_)) => self.raw.headers_into(buf, headers)?,
            _ => {}
        }
        Ok(done)
    }

    /// [`advance`](Self::advance) once the stream is known to continue; fills
    /// `parts.headers` only when the head completes in this call.
    #[inline(always)]
    fn step<'b>(
        &mut self,
        buf: &'b [u8],
        kind: HeadKind,
        request_method: &str,
        eof: bool,
        parts: &mut Parts<'b>,
    ) -> Result<Option<usize>> {
        let headers = &mut parts.headers;
        if let Phase::Head = self.phase {
            let limits = &self.limits;
            let parsed = self
                .head
                .parse_head(buf, kind, limits, &mut self.raw, headers)
                .map_err(|e| {
                    // Report the first problem in byte order, found by this crate's checker
                    // (syntax or limits) in the bytes up to where the backend stopped,
                    // rather than the backend's own words: the same whatever the backend
                    // or the split of the input.
                    let seen = buf.len().min(e.offset().saturating_add(1));
                    diagnose(&buf[..seen], kind, limits).unwrap_or(e)
                })?;
            let Some(head_len) = parsed else {
                // Still incomplete for the backend: check what there is, so every
                // backend rejects a bad prefix as early, and in the same words.
                let scanner = match &mut self.scanner {
                    Some(s) if s.kind() == kind => s,
                    slot => slot.insert(Scanner::new(kind, limits)),
                };
                scanner.scan(buf)?;
                return Ok(None);
            };
            if head_len > limits.max_head_len || headers.len() > limits.max_headers {
                return Err(diagnose(&buf[..head_len], kind, limits).unwrap_or_else(|| {
                    Error::ours(ErrorKind::HeadTooLarge, head_len, "head exceeds the limits")
                }));
            }
            // On any problem, the checker's first one in byte order wins (it knows the
            // framing conflicts too), so the verdict does not depend on check order.
            let first_problem = |e: Error| diagnose(&buf[..head_len], kind, limits).unwrap_or(e);
            check_head_with(buf, head_len, kind, H::HEAD_CHECKS, limits).map_err(first_problem)?;
            // Only the framing fields matter here; their values are read from the line.
            let hs = headers
                .iter()
                .filter(|h| is_framing_field(h.name))
                .map(|h| Header {
                    name: h.name,
                    value: line_value(buf, h.name),
                });
            let role = match kind {
                HeadKind::Request => Role::Request,
                HeadKind::Response => Role::Response {
                    status: self.raw.status,
                    request_method,
                },
            };
            let framing =
                framing(hs, role, self.raw.minor_version, head_len).map_err(first_problem)?;
            let chunked = (framing == Framing::Chunked).then(|| ChunkedDecoder::new(head_len));
            self.phase = Phase::Body {
                head_len,
                framing,
                chunked,
            };
        }
        let Phase::Body {
            head_len,
            framing,
            chunked,
        } = &mut self.phase
        else {
            unreachable!()
        };
        let head_len = *head_len;
        match *framing {
            Framing::None => Ok(Some(head_len)),
            Framing::Length(n) => {
                if n > self.limits.max_body_len {
                    return Err(Error::ours(
                        ErrorKind::BodyTooLarge,
                        head_len,
                        "Content-Length exceeds max_body_len",
                    ));
                }
                // The body must fit in a buffer at all (no overflow, whatever the limit).
                let end = match (head_len as u64).checked_add(n) {
                    Some(end) if end <= MAX_BUFFER => end,
                    _ => {
                        return Err(Error::ours(
                            ErrorKind::BodyTooLarge,
                            head_len,
                            "Content-Length larger than any buffer can hold",
                        ))
                    }
                };
                if (buf.len() as u64) < end {
                    return Ok(None);
                }
                let end = end as usize;
                parts.body = Body::Bytes(&buf[head_len..end]);
                Ok(Some(end))
            }
            Framing::Chunked => {
                let decoder = chunked.as_mut().expect("chunked framing has a decoder");
                match decoder.feed(buf, &self.limits)? {
                    ChunkedStatus::Partial => Ok(None),
                    ChunkedStatus::Done { end } => {
                        let mut chunks = std::mem::take(&mut parts.chunks);
                        chunks.extend(decoder.chunks.iter().map(|r| &buf[r.clone()]));
                        parts.body = Body::Chunked(chunks);
                        push_fields(buf, &decoder.trailers, &mut parts.trailers);
                        Ok(Some(end))
                    }
                }
            }
            Framing::UntilClose => {
                if buf.len() as u64 - head_len as u64 > self.limits.max_body_len {
                    return Err(Error::ours(
                        ErrorKind::BodyTooLarge,
                        head_len,
                        "body exceeds max_body_len",
                    ));
                }
                if !eof {
                    return Ok(None);
                }
                parts.body = Body::Bytes(&buf[head_len..]);
                Ok(Some(buf.len()))
            }
        }
    }
}

fn version(minor: u8) -> Version {
    if minor == 0 {
        Version::Http10
    } else {
        Version::Http11
    }
}

/// A header's value read from the line itself (after the colon that directly follows
/// the name, up to the CR; leading whitespace skipped), not from the backend's value
/// span: backends place empty values and trim trailing whitespace differently, and the
/// framing rules and the result must not depend on that.
fn line_value<'b>(buf: &'b [u8], name: &[u8]) -> &'b [u8] {
    // The name is a slice of `buf`: the colon follows it.
    let name_end = (name.as_ptr() as usize).wrapping_sub(buf.as_ptr() as usize) + name.len();
    let rest = buf.get(name_end.saturating_add(1)..).unwrap_or_default();
    // A plain loop: framing values are a few bytes, shorter than a memchr call costs.
    let end = rest.iter().position(|&b| b == b'\r').unwrap_or(rest.len());
    rest[..end].trim_ascii_start()
}

/// Appends the trailer fields from the chunked decoder's spans to `out` (values trimmed
/// of surrounding whitespace, as in the head).
fn push_fields<'b>(
    buf: &'b [u8],
    ranges: &[(Range<usize>, Range<usize>)],
    out: &mut Vec<Header<'b>>,
) {
    out.extend(ranges.iter().map(|(name, value)| Header {
        name: &buf[name.clone()],
        value: buf[value.clone()].trim_ascii(),
    }));
}
