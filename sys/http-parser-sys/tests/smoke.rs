//! -sys smoke test: the linked http_parser reports 2.9.x, parses a request through its
//! callbacks, names its errors, streams a chunked body across two `execute` calls, pauses
//! and resumes, and was compiled with the strictness the crate docs state.
use std::ffi::{c_char, c_int, CStr};

use arsenal_http_parser_sys as sys;

/// What the callbacks saw; `parser.data` points at it.
#[derive(Default)]
struct Seen {
    url: Vec<u8>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    body: Vec<u8>,
    chunk_sizes: Vec<u64>,
    messages: usize,
    pause_on_complete: bool,
}

/// # Safety
/// `p.data` points at a live `Seen` that nothing else borrows during `execute`.
unsafe fn seen<'a>(p: *mut sys::http_parser) -> &'a mut Seen {
    // SAFETY: guaranteed by the caller (every test sets `data` before `execute`).
    unsafe { &mut *(*p).data.cast::<Seen>() }
}

/// # Safety
/// `at..at+len` is readable (http_parser passes a range of the buffer being parsed).
unsafe fn bytes<'a>(at: *const c_char, len: usize) -> &'a [u8] {
    // SAFETY: guaranteed by the caller.
    unsafe { std::slice::from_raw_parts(at.cast::<u8>(), len) }
}

unsafe extern "C" fn on_url(p: *mut sys::http_parser, at: *const c_char, len: usize) -> c_int {
    // SAFETY: callbacks run inside `execute` with `data` set and `at` in the buffer.
    unsafe { seen(p).url.extend_from_slice(bytes(at, len)) };
    0
}

unsafe extern "C" fn on_header_field(
    p: *mut sys::http_parser,
    at: *const c_char,
    len: usize,
) -> c_int {
    // SAFETY: as in `on_url`.
    let (seen, piece) = unsafe { (seen(p), bytes(at, len)) };
    // A field may arrive in pieces: a new one starts once its previous value has begun.
    match seen.headers.last_mut() {
        Some((field, value)) if value.is_empty() => field.extend_from_slice(piece),
        _ => seen.headers.push((piece.to_vec(), Vec::new())),
    }
    0
}

unsafe extern "C" fn on_header_value(
    p: *mut sys::http_parser,
    at: *const c_char,
    len: usize,
) -> c_int {
    // SAFETY: as in `on_url`; a value always follows its field.
    unsafe {
        let seen = seen(p);
        let last = seen.headers.last_mut().expect("value after field");
        last.1.extend_from_slice(bytes(at, len));
    }
    0
}

unsafe extern "C" fn on_body(p: *mut sys::http_parser, at: *const c_char, len: usize) -> c_int {
    // SAFETY: as in `on_url`.
    unsafe { seen(p).body.extend_from_slice(bytes(at, len)) };
    0
}

unsafe extern "C" fn on_chunk_header(p: *mut sys::http_parser) -> c_int {
    // SAFETY: as in `on_url`; during on_chunk_header content_length is the chunk size.
    unsafe {
        let size = (*p).content_length;
        seen(p).chunk_sizes.push(size);
    }
    0
}

unsafe extern "C" fn on_message_complete(p: *mut sys::http_parser) -> c_int {
    // SAFETY: as in `on_url`; pausing from a callback of an error-free parser is allowed.
    unsafe {
        let seen = seen(p);
        seen.messages += 1;
        if seen.pause_on_complete {
            sys::http_parser_pause(p, 1);
        }
    }
    0
}

fn settings() -> sys::http_parser_settings {
    sys::http_parser_settings {
        on_url: Some(on_url),
        on_header_field: Some(on_header_field),
        on_header_value: Some(on_header_value),
        on_body: Some(on_body),
        on_chunk_header: Some(on_chunk_header),
        on_message_complete: Some(on_message_complete),
        ..Default::default()
    }
}

/// A parser of `kind` whose callbacks record into `seen` (boxed by the caller so it does
/// not move while the parser points at it).
fn parser(kind: sys::http_parser_type, seen: &mut Seen) -> sys::http_parser {
    let mut p = sys::http_parser::default();
    // SAFETY: `p` is a valid, writable http_parser.
    unsafe { sys::http_parser_init(&mut p, kind) };
    p.data = (seen as *mut Seen).cast();
    p
}

fn execute(p: &mut sys::http_parser, settings: &sys::http_parser_settings, data: &[u8]) -> usize {
    // SAFETY: `data` outlives the call; `p.data` points at a `Seen` the caller keeps alive.
    unsafe { sys::http_parser_execute(p, settings, data.as_ptr().cast(), data.len()) }
}

fn errno_name(p: &sys::http_parser) -> &'static str {
    // SAFETY: `http_errno()` is always a valid `enum http_errno`; names are static strings.
    unsafe { CStr::from_ptr(sys::http_errno_name(p.http_errno())) }
        .to_str()
        .expect("ASCII")
}

#[test]
fn version_is_2_9() {
    // SAFETY: plain function returning the packed version.
    let v = unsafe { sys::http_parser_version() };
    assert_eq!((v >> 16) & 255, 2, "major of {v:#x}");
    assert_eq!((v >> 8) & 255, 9, "minor of {v:#x}");
    assert_eq!(sys::HTTP_PARSER_VERSION_MAJOR, 2);
    assert_eq!(std::mem::size_of::<sys::http_parser>(), 32);
}

#[test]
fn request_through_callbacks() {
    let request = b"POST /submit?x=1 HTTP/1.1\r\nHost: example.com\r\n\
                    Content-Length: 5\r\nX-Two: a b\r\n\r\nhello";
    let mut seen = Box::<Seen>::default();
    let settings = settings();
    let mut p = parser(sys::HTTP_REQUEST, &mut seen);
    assert_eq!(execute(&mut p, &settings, request), request.len());
    assert_eq!(errno_name(&p), "HPE_OK");
    assert_eq!(seen.url, b"/submit?x=1");
    let headers: Vec<(&[u8], &[u8])> = seen
        .headers
        .iter()
        .map(|(f, v)| (f.as_slice(), v.as_slice()))
        .collect();
    assert_eq!(
        headers,
        vec![
            (&b"Host"[..], &b"example.com"[..]),
            (b"Content-Length", b"5"),
            (b"X-Two", b"a b"),
        ]
    );
    assert_eq!(seen.body, b"hello");
    assert_eq!(seen.messages, 1);
    assert_eq!(p.method(), sys::HTTP_POST);
    assert_eq!((p.http_major, p.http_minor), (1, 1));
    assert_eq!(p.flags() & sys::F_CONTENTLENGTH, sys::F_CONTENTLENGTH);
    // SAFETY: p is a parser that finished a message.
    assert_eq!(unsafe { sys::http_should_keep_alive(&p) }, 1);
    // SAFETY: a valid method; static string.
    let name = unsafe { CStr::from_ptr(sys::http_method_str(p.method())) };
    assert_eq!(name.to_bytes(), b"POST");
}

#[test]
fn malformed_input_names_its_error_and_stays_failed() {
    let mut seen = Box::<Seen>::default();
    let settings = settings();
    let mut p = parser(sys::HTTP_REQUEST, &mut seen);
    let bad = b"G@T / HTTP/1.1\r\n\r\n";
    let consumed = execute(&mut p, &settings, bad);
    assert!(consumed < bad.len());
    assert_eq!(p.http_errno(), sys::HPE_INVALID_METHOD);
    assert_eq!(errno_name(&p), "HPE_INVALID_METHOD");
    // SAFETY: a valid errno; static string.
    let text = unsafe { CStr::from_ptr(sys::http_errno_description(p.http_errno())) };
    assert_eq!(text.to_bytes(), b"invalid HTTP method");
    // The error is sticky until http_parser_init.
    assert_eq!(execute(&mut p, &settings, b"GET / HTTP/1.1\r\n\r\n"), 0);
    // SAFETY: re-initialising a parser keeps `data`.
    unsafe { sys::http_parser_init(&mut p, sys::HTTP_REQUEST) };
    assert_eq!(errno_name(&p), "HPE_OK");
    let good = b"GET / HTTP/1.1\r\n\r\n";
    assert_eq!(execute(&mut p, &settings, good), good.len());
    assert_eq!(seen.messages, 1);

    let mut p = parser(sys::HTTP_RESPONSE, &mut seen);
    let bad = b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n";
    assert!(execute(&mut p, &settings, bad) < bad.len());
    assert_eq!(errno_name(&p), "HPE_INVALID_CONTENT_LENGTH");
}

#[test]
fn chunked_body_in_two_execute_calls() {
    let message = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                    5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n";
    // Split inside the second chunk's data.
    let (first, second) = message.split_at(message.len() - 12);
    let mut seen = Box::<Seen>::default();
    let settings = settings();
    let mut p = parser(sys::HTTP_RESPONSE, &mut seen);
    assert_eq!(execute(&mut p, &settings, first), first.len());
    assert_eq!(seen.messages, 0);
    assert_eq!(p.flags() & sys::F_CHUNKED, sys::F_CHUNKED);
    assert_eq!(execute(&mut p, &settings, second), second.len());
    assert_eq!(errno_name(&p), "HPE_OK");
    assert_eq!(p.status_code(), 200);
    assert_eq!(seen.body, b"hello, world");
    assert_eq!(seen.chunk_sizes, vec![5, 7, 0]);
    assert_eq!(seen.messages, 1);
}

#[test]
fn pause_stops_after_the_callback_and_resume_continues() {
    let two = b"GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
    let mut seen = Box::new(Seen {
        pause_on_complete: true,
        ..Seen::default()
    });
    let settings = settings();
    let mut p = parser(sys::HTTP_REQUEST, &mut seen);
    let first = execute(&mut p, &settings, two);
    assert_eq!(first, 19, "stops right after the first message");
    assert_eq!(errno_name(&p), "HPE_PAUSED");
    assert_eq!(seen.messages, 1);
    // Paused: nothing is consumed until resumed.
    assert_eq!(execute(&mut p, &settings, &two[first..]), 0);
    // SAFETY: the parser is paused, not failed, so resuming is allowed.
    unsafe { sys::http_parser_pause(&mut p, 0) };
    seen.pause_on_complete = false;
    assert_eq!(execute(&mut p, &settings, &two[first..]), two.len() - first);
    assert_eq!(seen.messages, 2);
    assert_eq!(seen.url, b"/a/b");
}

#[test]
fn run_time_leniency_bits() {
    let both = b"POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n\
                 1\r\nx\r\n0\r\n\r\n";
    let mut seen = Box::<Seen>::default();
    let settings = settings();
    let mut p = parser(sys::HTTP_REQUEST, &mut seen);
    assert!(execute(&mut p, &settings, both) < both.len());
    assert_eq!(errno_name(&p), "HPE_UNEXPECTED_CONTENT_LENGTH");
    let mut p = parser(sys::HTTP_REQUEST, &mut seen);
    p.set_allow_chunked_length(1);
    assert_eq!(execute(&mut p, &settings, both), both.len());
    assert_eq!(seen.body, b"x");

    let control = b"GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n";
    let mut p = parser(sys::HTTP_REQUEST, &mut seen);
    assert!(execute(&mut p, &settings, control) < control.len());
    assert_eq!(errno_name(&p), "HPE_INVALID_HEADER_TOKEN");
    let mut p = parser(sys::HTTP_REQUEST, &mut seen);
    p.set_lenient_http_headers(1);
    assert_eq!(execute(&mut p, &settings, control), control.len());
}

#[test]
fn strictness_is_what_debian_compiled() {
    // Both are rejected by an HTTP_PARSER_STRICT=1 build (HPE_INVALID_HEADER_TOKEN,
    // HPE_INVALID_URL) and accepted by Debian's HTTP_PARSER_STRICT=0 build.
    let space_before_colon = &b"GET / HTTP/1.1\r\nHost : a\r\n\r\n"[..];
    let high_bit_url = &b"GET /\x80 HTTP/1.1\r\nHost: a\r\n\r\n"[..];
    let settings = settings();
    let accepted: Vec<bool> = [space_before_colon, high_bit_url]
        .iter()
        .map(|input| {
            let mut seen = Box::<Seen>::default();
            let mut p = parser(sys::HTTP_REQUEST, &mut seen);
            execute(&mut p, &settings, input) == input.len() && errno_name(&p) == "HPE_OK"
        })
        .collect();
    assert_eq!(
        accepted,
        vec![true, true],
        "this http_parser was not compiled with HTTP_PARSER_STRICT=0 as Debian's is"
    );
}
