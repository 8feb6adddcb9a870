//! -sys smoke test: the header the build found is llhttp 9.x with the struct layout of the
//! bindings, and the linked library parses a request, a chunked body fed in pieces and a
//! pipelined pair with a pause, honours a lenient flag, and reports errors with a reason
//! and a position.
use std::ffi::{c_char, c_int, CStr};

use arsenal_llhttp_sys as sys;

/// What the callbacks saw; `llhttp_t::data` points at it during `llhttp_execute`.
#[derive(Debug, Default)]
struct Seen {
    url: Vec<u8>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    body: Vec<u8>,
    chunk_sizes: Vec<u64>,
    /// `llhttp_t::flags` when the headers were complete (llhttp clears them per message).
    flags_at_headers: Vec<u16>,
    completed: usize,
    pause_on_complete: bool,
}

/// A parser with its settings and the record the callbacks write into.
struct Parser {
    raw: sys::llhttp_t,
    // llhttp keeps a pointer to the settings: boxed so they stay put when `Parser` moves.
    _settings: Box<sys::llhttp_settings_t>,
    seen: Seen,
}

impl Parser {
    fn new(kind: sys::llhttp_type_t) -> Self {
        let mut settings = Box::<sys::llhttp_settings_t>::default();
        // SAFETY: `settings` is a valid, writable `llhttp_settings_t`.
        unsafe { sys::llhttp_settings_init(&mut *settings) };
        settings.on_url = Some(on_url);
        settings.on_header_field = Some(on_header_field);
        settings.on_header_value = Some(on_header_value);
        settings.on_headers_complete = Some(on_headers_complete);
        settings.on_body = Some(on_body);
        settings.on_chunk_header = Some(on_chunk_header);
        settings.on_message_complete = Some(on_message_complete);
        let mut raw = sys::llhttp_t::default();
        // SAFETY: `raw` is writable; the boxed settings live as long as the parser.
        unsafe { sys::llhttp_init(&mut raw, kind, &*settings) };
        Parser {
            raw,
            _settings: settings,
            seen: Seen::default(),
        }
    }

    fn execute(&mut self, input: &[u8]) -> sys::llhttp_errno_t {
        self.raw.data = std::ptr::from_mut(&mut self.seen).cast();
        // SAFETY: the parser is initialised, `data` points at `self.seen` (not otherwise
        // touched during the call) and `input` is valid for `input.len()` bytes.
        unsafe { sys::llhttp_execute(&mut self.raw, input.as_ptr().cast(), input.len()) }
    }

    /// Offset into `input` (the last `execute` argument) where llhttp stopped.
    fn error_offset(&self, input: &[u8]) -> usize {
        // SAFETY: the parser is initialised; the pointer is only compared, not read.
        let pos = unsafe { sys::llhttp_get_error_pos(&self.raw) };
        let offset = (pos as usize)
            .checked_sub(input.as_ptr() as usize)
            .expect("error pos before the input");
        assert!(offset <= input.len(), "error pos past the input");
        offset
    }

    fn reason(&self) -> String {
        // SAFETY: after an error llhttp sets a static, NUL-terminated reason string.
        let reason = unsafe { sys::llhttp_get_error_reason(&self.raw) };
        assert!(!reason.is_null());
        // SAFETY: non-null and NUL-terminated (above).
        unsafe { CStr::from_ptr(reason) }
            .to_string_lossy()
            .into_owned()
    }
}

/// The `Seen` the parser's `data` points at.
///
/// # Safety
/// `parser` must be the parser of a [`Parser::execute`] in progress.
unsafe fn seen<'a>(parser: *mut sys::llhttp_t) -> &'a mut Seen {
    // SAFETY: `execute` pointed `data` at its `Seen`, which nothing else borrows meanwhile.
    unsafe { &mut *(*parser).data.cast::<Seen>() }
}

/// # Safety
/// `at` must be valid for `len` bytes (llhttp passes a span of the input).
unsafe fn span<'a>(at: *const c_char, len: usize) -> &'a [u8] {
    // SAFETY: per the contract above.
    unsafe { std::slice::from_raw_parts(at.cast(), len) }
}

/// # Safety
/// Called by llhttp during [`Parser::execute`].
unsafe extern "C" fn on_url(parser: *mut sys::llhttp_t, at: *const c_char, len: usize) -> c_int {
    // SAFETY: called by llhttp inside `execute`, with a span of the input.
    unsafe { seen(parser).url.extend_from_slice(span(at, len)) };
    0
}

/// # Safety
/// Called by llhttp during [`Parser::execute`].
unsafe extern "C" fn on_header_field(
    parser: *mut sys::llhttp_t,
    at: *const c_char,
    len: usize,
) -> c_int {
    // SAFETY: called by llhttp inside `execute`, with a span of the input.
    let (seen, bytes) = unsafe { (seen(parser), span(at, len)) };
    // A field may arrive in several spans; a new one starts after a value.
    match seen.headers.last_mut() {
        Some((name, value)) if value.is_empty() => name.extend_from_slice(bytes),
        _ => seen.headers.push((bytes.to_vec(), Vec::new())),
    }
    0
}

/// # Safety
/// Called by llhttp during [`Parser::execute`].
unsafe extern "C" fn on_header_value(
    parser: *mut sys::llhttp_t,
    at: *const c_char,
    len: usize,
) -> c_int {
    // SAFETY: called by llhttp inside `execute`, with a span of the input.
    let (seen, bytes) = unsafe { (seen(parser), span(at, len)) };
    if let Some((_, value)) = seen.headers.last_mut() {
        value.extend_from_slice(bytes);
    }
    0
}

/// # Safety
/// Called by llhttp during [`Parser::execute`].
unsafe extern "C" fn on_headers_complete(parser: *mut sys::llhttp_t) -> c_int {
    // SAFETY: called by llhttp inside `execute`.
    unsafe {
        let flags = (*parser).flags;
        seen(parser).flags_at_headers.push(flags);
    }
    0
}

/// # Safety
/// Called by llhttp during [`Parser::execute`].
unsafe extern "C" fn on_body(parser: *mut sys::llhttp_t, at: *const c_char, len: usize) -> c_int {
    // SAFETY: called by llhttp inside `execute`, with a span of the input.
    unsafe { seen(parser).body.extend_from_slice(span(at, len)) };
    0
}

/// # Safety
/// Called by llhttp during [`Parser::execute`].
unsafe extern "C" fn on_chunk_header(parser: *mut sys::llhttp_t) -> c_int {
    // SAFETY: called by llhttp inside `execute`; it stores the chunk size in
    // `content_length` before this callback.
    unsafe {
        let size = (*parser).content_length;
        seen(parser).chunk_sizes.push(size);
    }
    0
}

/// # Safety
/// Called by llhttp during [`Parser::execute`].
unsafe extern "C" fn on_message_complete(parser: *mut sys::llhttp_t) -> c_int {
    // SAFETY: called by llhttp inside `execute`.
    let seen = unsafe { seen(parser) };
    seen.completed += 1;
    if seen.pause_on_complete {
        sys::HPE_PAUSED as c_int
    } else {
        0
    }
}

fn errno_name(err: sys::llhttp_errno_t) -> String {
    // SAFETY: llhttp_errno_name returns a static string for every errno value.
    let name = unsafe { CStr::from_ptr(sys::llhttp_errno_name(err)) };
    name.to_string_lossy().into_owned()
}

#[test]
fn version_is_9_and_layout_matches_the_header() {
    assert_eq!(sys::LLHTTP_VERSION_MAJOR, 9);
    // SAFETY: plain functions returning constants of the header the build compiled against.
    let (version, parser_size, settings_size) = unsafe {
        (
            sys::arsenal_llhttp_version(),
            sys::arsenal_llhttp_sizeof_parser(),
            sys::arsenal_llhttp_sizeof_settings(),
        )
    };
    assert_eq!(
        version >> 16,
        sys::LLHTTP_VERSION_MAJOR,
        "found header {version:#x} vs bindings"
    );
    assert_eq!(parser_size, size_of::<sys::llhttp_t>());
    assert_eq!(settings_size, size_of::<sys::llhttp_settings_t>());
}

#[test]
fn parses_a_request_with_callbacks() {
    let input = b"GET /x HTTP/1.1\r\nHost: a\r\n\r\n";
    let mut parser = Parser::new(sys::HTTP_REQUEST);
    assert_eq!(parser.execute(input), sys::HPE_OK);
    assert_eq!(parser.seen.url, b"/x");
    assert_eq!(parser.seen.headers, [(b"Host".to_vec(), b"a".to_vec())]);
    assert_eq!(parser.seen.completed, 1);
    // The getters read the same fields as the bindings' struct layout.
    // SAFETY: the parser is initialised.
    unsafe {
        let raw: *mut sys::llhttp_t = &mut parser.raw;
        assert_eq!(u32::from(sys::llhttp_get_method(raw)), sys::HTTP_GET);
        assert_eq!(parser.raw.method, sys::llhttp_get_method(raw));
        assert_eq!(u32::from(parser.raw.type_), sys::HTTP_REQUEST);
        assert_eq!(parser.raw.type_, sys::llhttp_get_type(raw));
        assert_eq!((parser.raw.http_major, parser.raw.http_minor), (1, 1));
        assert_eq!(parser.raw.upgrade, sys::llhttp_get_upgrade(raw));
        assert_eq!(sys::llhttp_should_keep_alive(raw), 1);
        let name = CStr::from_ptr(sys::llhttp_method_name(sys::HTTP_GET));
        assert_eq!(name.to_bytes(), b"GET");
    }
}

#[test]
fn response_status_code_matches_getter() {
    let input = b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno";
    let mut parser = Parser::new(sys::HTTP_RESPONSE);
    assert_eq!(parser.execute(input), sys::HPE_OK);
    assert_eq!(parser.seen.body, b"no");
    assert_eq!(parser.raw.status_code, 404);
    // SAFETY: the parser is initialised.
    assert_eq!(unsafe { sys::llhttp_get_status_code(&mut parser.raw) }, 404);
    let flags = u32::from(parser.seen.flags_at_headers[0]);
    assert_ne!(flags & sys::F_CONTENT_LENGTH, 0, "flags: {flags:#x}");
}

#[test]
fn malformed_request_reports_errno_reason_and_position() {
    let input = b"GET /x HTTP/1.1\r\nHo st: a\r\n\r\n";
    let mut parser = Parser::new(sys::HTTP_REQUEST);
    let err = parser.execute(input);
    assert_eq!(err, sys::HPE_INVALID_HEADER_TOKEN, "{}", errno_name(err));
    assert_eq!(errno_name(err), "HPE_INVALID_HEADER_TOKEN");
    // SAFETY: the parser is initialised.
    assert_eq!(unsafe { sys::llhttp_get_errno(&parser.raw) }, err);
    assert_eq!(parser.reason(), "Invalid header token");
    assert_eq!(parser.error_offset(input), 19, "at the space in `Ho st`");
    assert_eq!(parser.seen.completed, 0);
    // A non-pause error sticks until llhttp_init/llhttp_reset.
    assert_eq!(parser.execute(b"\r\n"), err);
}

#[test]
fn chunked_body_in_two_pieces() {
    let first: &[u8] = b"POST /u HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel";
    let second: &[u8] = b"lo\r\n0\r\n\r\n";
    let mut parser = Parser::new(sys::HTTP_REQUEST);
    assert_eq!(parser.execute(first), sys::HPE_OK);
    assert_eq!(parser.seen.body, b"hel");
    assert_eq!(parser.seen.completed, 0);
    assert_eq!(parser.execute(second), sys::HPE_OK);
    assert_eq!(parser.seen.body, b"hello");
    assert_eq!(parser.seen.chunk_sizes, [5, 0]);
    assert_eq!(parser.seen.completed, 1);
    let flags = u32::from(parser.seen.flags_at_headers[0]);
    assert_ne!(flags & sys::F_CHUNKED, 0, "flags: {flags:#x}");
}

#[test]
fn pause_and_resume_between_pipelined_requests() {
    let input: &[u8] = b"GET /a HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: b\r\n\r\n";
    let mut parser = Parser::new(sys::HTTP_REQUEST);
    parser.seen.pause_on_complete = true;
    assert_eq!(parser.execute(input), sys::HPE_PAUSED);
    let offset = parser.error_offset(input);
    assert_eq!(
        offset,
        input.len() / 2,
        "paused right after the first message"
    );
    assert_eq!(parser.seen.url, b"/a");
    // SAFETY: the parser is initialised and paused (llhttp_resume's precondition).
    unsafe { sys::llhttp_resume(&mut parser.raw) };
    parser.seen.pause_on_complete = false;
    assert_eq!(parser.execute(&input[offset..]), sys::HPE_OK);
    assert_eq!(parser.seen.url, b"/a/b");
    assert_eq!(parser.seen.completed, 2);
}

#[test]
fn lenient_flags() {
    let input = b"GET / HTTP/1.9\r\nHost: a\r\n\r\n";
    let mut strict = Parser::new(sys::HTTP_REQUEST);
    assert_eq!(strict.execute(input), sys::HPE_INVALID_VERSION);
    assert_eq!(strict.reason(), "Invalid HTTP version");
    let mut lenient = Parser::new(sys::HTTP_REQUEST);
    // SAFETY: the parser is initialised.
    unsafe { sys::llhttp_set_lenient_version(&mut lenient.raw, 1) };
    assert_eq!(u32::from(lenient.raw.lenient_flags), sys::LENIENT_VERSION);
    let rc = lenient.execute(input);
    assert_eq!(rc, sys::HPE_OK, "{}: {}", errno_name(rc), lenient.reason());
    assert_eq!((lenient.raw.http_major, lenient.raw.http_minor), (1, 9));
    assert_eq!(lenient.seen.completed, 1);
    // 0x100 does not fit the 8-bit `lenient_flags` of llhttp 8.x.
    // SAFETY: the parser is initialised.
    unsafe { sys::llhttp_set_lenient_optional_cr_before_lf(&mut lenient.raw, 1) };
    assert_eq!(
        u32::from(lenient.raw.lenient_flags),
        sys::LENIENT_VERSION | sys::LENIENT_OPTIONAL_CR_BEFORE_LF
    );
    // Every 9.x setter links and sets its bit.
    let setters: [unsafe extern "C" fn(*mut sys::llhttp_t, c_int); 10] = [
        sys::llhttp_set_lenient_headers,
        sys::llhttp_set_lenient_chunked_length,
        sys::llhttp_set_lenient_keep_alive,
        sys::llhttp_set_lenient_transfer_encoding,
        sys::llhttp_set_lenient_version,
        sys::llhttp_set_lenient_data_after_close,
        sys::llhttp_set_lenient_optional_lf_after_cr,
        sys::llhttp_set_lenient_optional_cr_before_lf,
        sys::llhttp_set_lenient_optional_crlf_after_chunk,
        sys::llhttp_set_lenient_spaces_after_chunk_size,
    ];
    for set in setters {
        // SAFETY: the parser is initialised.
        unsafe { set(&mut lenient.raw, 1) };
    }
    assert_eq!(lenient.raw.lenient_flags, 0x3ff);
    // SAFETY: as above; `0` clears the bit again.
    unsafe { sys::llhttp_set_lenient_headers(&mut lenient.raw, 0) };
    assert_eq!(
        u32::from(lenient.raw.lenient_flags),
        0x3ff & !sys::LENIENT_HEADERS
    );
}
