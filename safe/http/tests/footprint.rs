//! The memory each backend's parser holds: a check of the order behind
//! `Strategy::MinimalMemory` → http_parser, whose evidence is the matrix benchmark's
//! `http/memory/get-browser` rows (see the `Select` impl of `arsenal_http::Backend`).
//!
//! None of the C parsers allocates: their state lives in Rust boxes and vectors, so a
//! counting global allocator sees all of it. One test in its own binary, so no other test
//! allocates meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use arsenal_http::{AnyParser, Backend, Status};

/// `System`, counting the bytes in use.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to `System` with the same arguments; the counter has no effect on
// the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        IN_USE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract for `alloc` is `System.alloc`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `System.alloc` with this layout (see `alloc`).
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The bench's `get-browser` request: 15 headers, about 700 bytes.
const BROWSER_GET: &[u8] = b"GET /index.html?q=arsenal HTTP/1.1\r\n\
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
Cookie: session=abc123; theme=dark\r\n\r\n";

/// Bytes a parser of `backend` holds (inline and on the heap) after one request.
fn footprint(backend: Backend) -> usize {
    let before = IN_USE.load(Ordering::Relaxed);
    let mut parser = AnyParser::new(backend).expect("parser");
    let status = parser.parse_request(BROWSER_GET).expect("parse");
    assert!(matches!(status, Status::Complete { message, .. } if message.headers.len() == 15));
    let heap = IN_USE.load(Ordering::Relaxed) - before;
    let inline = match &parser {
        #[cfg(feature = "llhttp")]
        AnyParser::Llhttp(p) => std::mem::size_of_val(p),
        #[cfg(feature = "picohttpparser")]
        AnyParser::Picohttpparser(p) => std::mem::size_of_val(p),
        #[cfg(feature = "http_parser")]
        AnyParser::HttpParser(p) => std::mem::size_of_val(p),
    };
    inline + heap
}

#[test]
fn http_parser_holds_the_least() {
    let mut sizes: Vec<(Backend, usize)> = Backend::available()
        .into_iter()
        .map(|backend| (backend, footprint(backend)))
        .collect();
    for (backend, bytes) in &sizes {
        println!("{backend}: {bytes} bytes after a 15-header request");
    }
    sizes.sort_by_key(|&(_, bytes)| bytes);
    let order: Vec<Backend> = sizes.iter().map(|&(backend, _)| backend).collect();
    let expected: Vec<Backend> = [
        Backend::HttpParser,
        Backend::Llhttp,
        Backend::Picohttpparser,
    ]
    .into_iter()
    .filter(|b| b.is_available())
    .collect();
    assert_eq!(order, expected, "{sizes:?}");
}
