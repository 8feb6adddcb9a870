//! Parsed messages: zero-copy views into the caller's buffer.

use std::fmt;
use std::ops::Range;

/// Limits applied while parsing; defaults are safe for untrusted peers.
///
/// Every limit may be set to its maximum (`usize::MAX`, `u64::MAX`) to lift it: the
/// parser stays panic-free and linear-time, and a message no buffer could hold (a body
/// or chunk ending beyond `isize::MAX`) is still an [`ErrorKind::BodyTooLarge`] error.
///
/// ```
/// let limits = arsenal_http::Limits::default().max_headers(32);
/// assert_eq!(limits.max_headers, 32);
/// assert_eq!(limits.max_head_len, 64 * 1024);
/// assert_eq!(limits.max_chunk_line_len, 4096);
/// ```
///
/// [`ErrorKind::BodyTooLarge`]: crate::ErrorKind::BodyTooLarge
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Maximum number of header fields (default 100); the trailer fields of a chunked
    /// body are counted separately against the same limit.
    pub max_headers: usize,
    /// Maximum length of the head (start line + headers + blank line), default 64 KiB.
    /// The trailer section of a chunked body (from after the last chunk's size line to
    /// the end of its blank line) is held to the same length.
    pub max_head_len: usize,
    /// Maximum body length in bytes (default 64 MiB); for a chunked body, the sum of the
    /// chunk sizes.
    pub max_body_len: u64,
    /// Maximum length of one chunk-size line of a chunked body, its chunk extensions
    /// included and its CRLF excluded (default 4 KiB). Longer lines are
    /// [`ErrorKind::ChunkLineTooLong`](crate::ErrorKind::ChunkLineTooLong), at whatever
    /// split the bytes arrive.
    pub max_chunk_line_len: usize,
    /// Maximum number of chunks in one chunked body (default 65 536): each costs the
    /// parser a range of bookkeeping and the caller a slice in
    /// [`Body::Chunked`](crate::Body::Chunked). More is
    /// [`ErrorKind::TooManyChunks`](crate::ErrorKind::TooManyChunks).
    pub max_chunks: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_headers: 100,
            max_head_len: 64 * 1024,
            max_body_len: 64 << 20,
            max_chunk_line_len: 4096,
            max_chunks: 1 << 16,
        }
    }
}

impl Limits {
    /// Sets [`Limits::max_headers`].
    pub fn max_headers(mut self, n: usize) -> Self {
        self.max_headers = n;
        self
    }
    /// Sets [`Limits::max_head_len`].
    pub fn max_head_len(mut self, n: usize) -> Self {
        self.max_head_len = n;
        self
    }
    /// Sets [`Limits::max_body_len`].
    pub fn max_body_len(mut self, n: u64) -> Self {
        self.max_body_len = n;
        self
    }
    /// Sets [`Limits::max_chunk_line_len`].
    pub fn max_chunk_line_len(mut self, n: usize) -> Self {
        self.max_chunk_line_len = n;
        self
    }
    /// Sets [`Limits::max_chunks`].
    pub fn max_chunks(mut self, n: usize) -> Self {
        self.max_chunks = n;
        self
    }
}

/// The result of parsing a buffer that may hold only part of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status<T> {
    /// A whole message; `consumed` bytes of the buffer belong to it (the next pipelined
    /// message, if any, starts there).
    Complete {
        /// The message.
        message: T,
        /// Bytes of the input the message occupies.
        consumed: usize,
    },
    /// More input is needed: call again with the same bytes plus what arrived since.
    Partial,
}

impl<T> Status<T> {
    /// The message, if complete.
    pub fn complete(self) -> Option<(T, usize)> {
        match self {
            Status::Complete { message, consumed } => Some((message, consumed)),
            Status::Partial => None,
        }
    }

    /// `true` when more input is needed.
    pub fn is_partial(&self) -> bool {
        matches!(self, Status::Partial)
    }
}

/// HTTP version of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// HTTP/1.0
    Http10,
    /// HTTP/1.1
    Http11,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::Http10 => "HTTP/1.0",
            Version::Http11 => "HTTP/1.1",
        })
    }
}

/// One header field: name and value as they appear in the input (value without the
/// surrounding whitespace).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header<'b> {
    /// The field name (case as sent).
    pub name: &'b [u8],
    /// The field value, leading and trailing whitespace removed.
    pub value: &'b [u8],
}

impl fmt::Debug for Header<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}",
            String::from_utf8_lossy(self.name),
            String::from_utf8_lossy(self.value)
        )
    }
}

/// A message body, borrowing the input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Body<'b> {
    /// No body.
    #[default]
    Empty,
    /// A `Content-Length` body (or a response body delimited by the end of input).
    Bytes(&'b [u8]),
    /// A chunked body: the data of each chunk, in order (extensions dropped).
    Chunked(Vec<&'b [u8]>),
}

impl<'b> Body<'b> {
    /// Total body length in bytes.
    pub fn len(&self) -> usize {
        match self {
            Body::Empty => 0,
            Body::Bytes(b) => b.len(),
            Body::Chunked(chunks) => chunks.iter().map(|c| c.len()).sum(),
        }
    }

    /// `true` when the body has no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The body as one contiguous byte vector (copies chunked bodies).
    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            Body::Empty => Vec::new(),
            Body::Bytes(b) => b.to_vec(),
            Body::Chunked(chunks) => chunks.concat(),
        }
    }
}

/// A parsed request.
///
/// ```
/// use arsenal_http::{Status, Version};
/// let mut parser = arsenal_http::DefaultParser::new()?;
/// let input = b"POST /submit?x=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\nhello";
/// let Status::Complete { message: req, consumed } = parser.parse_request(input)? else { panic!() };
/// assert_eq!((req.method, req.target, req.version), ("POST", &b"/submit?x=1"[..], Version::Http11));
/// assert_eq!(req.header("host"), Some(&b"example.com"[..]));
/// assert_eq!(req.body.to_vec(), b"hello");
/// assert_eq!(consumed, input.len());
/// # Ok::<(), arsenal_http::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request<'b> {
    /// The method (always a known token, see [`ErrorKind::Method`](crate::ErrorKind::Method)).
    pub method: &'b str,
    /// The request target as sent (origin-form, absolute-form, authority-form or `*`).
    pub target: &'b [u8],
    /// The version.
    pub version: Version,
    /// Header fields in order.
    pub headers: Vec<Header<'b>>,
    /// The body.
    pub body: Body<'b>,
    /// Trailer fields of a chunked body.
    pub trailers: Vec<Header<'b>>,
}

/// A parsed response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response<'b> {
    /// The version.
    pub version: Version,
    /// The status code (100–999).
    pub status: u16,
    /// The reason phrase (may be empty).
    pub reason: &'b [u8],
    /// Header fields in order.
    pub headers: Vec<Header<'b>>,
    /// The body.
    pub body: Body<'b>,
    /// Trailer fields of a chunked body.
    pub trailers: Vec<Header<'b>>,
}

fn find<'b>(headers: &[Header<'b>], name: &str) -> Option<&'b [u8]> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name.as_bytes()))
        .map(|h| h.value)
}

impl<'b> Request<'b> {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'b [u8]> {
        find(&self.headers, name)
    }

    /// Whether the connection stays open after this request (HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`).
    pub fn keep_alive(&self) -> bool {
        keep_alive(self.version, &self.headers)
    }
}

impl<'b> Response<'b> {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'b [u8]> {
        find(&self.headers, name)
    }

    /// Whether the connection stays open after this response.
    pub fn keep_alive(&self) -> bool {
        keep_alive(self.version, &self.headers)
    }
}

fn keep_alive(version: Version, headers: &[Header<'_>]) -> bool {
    let has = |token: &str| {
        headers
            .iter()
            .filter(|h| h.name.eq_ignore_ascii_case(b"connection"))
            .any(|h| {
                h.value
                    .split(|&b| b == b',')
                    .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
            })
    };
    match version {
        Version::Http11 => !has("close"),
        Version::Http10 => has("keep-alive"),
    }
}

/// The allocations of a parsed message (its header, chunk and trailer vectors), emptied,
/// to hand back to a parser with [`HttpParser::recycle`](crate::HttpParser::recycle) so
/// that the next messages it parses allocate nothing.
///
/// Made from a [`Request`] or a [`Response`] with `From`/`Into`; it keeps no bytes of the
/// message (the vectors are cleared, only their capacity is kept).
#[derive(Debug, Default)]
pub struct Recycled {
    pub(crate) headers: Vec<Header<'static>>,
    pub(crate) chunks: Vec<&'static [u8]>,
    pub(crate) trailers: Vec<Header<'static>>,
}

/// Vectors larger than this are not kept (a huge message should not pin its memory).
const RECYCLE_MAX: usize = 1024;

/// `v`'s allocation, emptied, for elements of any lifetime (same size and alignment, so
/// the standard library's in-place collection keeps the allocation; safe code either way).
fn emptied<T, U>(mut v: Vec<T>) -> Vec<U> {
    if v.capacity() > RECYCLE_MAX {
        return Vec::new();
    }
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

impl Recycled {
    fn new<'b>(headers: Vec<Header<'b>>, body: Body<'b>, trailers: Vec<Header<'b>>) -> Self {
        Recycled {
            headers: emptied(headers),
            chunks: match body {
                Body::Chunked(chunks) => emptied(chunks),
                _ => Vec::new(),
            },
            trailers: emptied(trailers),
        }
    }
}

impl From<Request<'_>> for Recycled {
    fn from(r: Request<'_>) -> Self {
        Recycled::new(r.headers, r.body, r.trailers)
    }
}

impl From<Response<'_>> for Recycled {
    fn from(r: Response<'_>) -> Self {
        Recycled::new(r.headers, r.body, r.trailers)
    }
}

/// What a backend found in a message head, as byte ranges into the buffer.
#[derive(Debug, Clone, Default)]
#[doc(hidden)]
pub struct RawHead {
    /// Method (requests).
    pub method: Range<usize>,
    /// Request target (requests).
    pub target: Range<usize>,
    /// The major version (1).
    pub major_version: u8,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor_version: u8,
    /// Status code (responses).
    pub status: u16,
    /// Reason phrase (responses).
    pub reason: Range<usize>,
    /// Header name and value ranges, as the callback backends record them while the
    /// head arrives (picohttpparser, which sees the whole head at once, does not use it).
    pub headers: Vec<(Range<usize>, Range<usize>)>,
}

impl RawHead {
    pub(crate) fn clear(&mut self) {
        self.method = 0..0;
        self.target = 0..0;
        self.major_version = 0;
        self.minor_version = 0;
        self.status = 0;
        self.reason = 0..0;
        self.headers.clear();
    }

    /// Appends the recorded header fields to `out` as slices of `buf` (values without
    /// surrounding whitespace); a range outside `buf` (a backend bug) is an error.
    #[cfg_attr(
        not(any(feature = "llhttp", feature = "http_parser")),
        allow(dead_code)
    )]
    pub(crate) fn headers_into<'b>(
        &self,
        buf: &'b [u8],
        out: &mut Vec<Header<'b>>,
    ) -> crate::Result<()> {
        out.reserve_exact(self.headers.len());
        for (name, value) in &self.headers {
            let (Some(name), Some(value)) = (buf.get(name.clone()), buf.get(value.clone())) else {
                return Err(crate::Error::ours(
                    crate::ErrorKind::Other,
                    0,
                    "a backend reported a header outside the input",
                ));
            };
            out.push(Header {
                name,
                value: value.trim_ascii(),
            });
        }
        Ok(())
    }
}
