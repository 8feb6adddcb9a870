//! simdjson backend (feature `simdjson`): SIMD DOM parser, the throughput choice.
//!
//! The parser owns the parsed document (simdjson's *tape* and string buffer); a
//! [`SimdjsonDoc`] borrows the parser, so parsing again needs the previous document to
//! be dropped first, and reusing one parser reuses its buffers (the fast path).
//! Values are read straight from the tape in Rust, with no FFI call per value.
//!
//! simdjson reads up to [`PaddedBytes::PADDING`] bytes past the end of its input. With
//! [`Parser::parse`] on a plain slice the input is first copied into a zero-padded
//! buffer the parser owns and reuses; [`Parser::parse_padded`] on a [`PaddedBytes`] skips that copy.

use crate::error::{Error, ErrorKind, Result};
use crate::value::{JsonValue, Kind, Number};
use crate::{Backend, PaddedBytes, ParseOptions, Parser};
use arsenal_simdjson_sys as sys;
use std::ffi::CStr;
use std::fmt;
use std::marker::PhantomData;
use std::ptr::NonNull;

const NAME: &str = "simdjson";
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// simdjson's DOM parser. Reuse one per thread for best throughput.
///
/// ```
/// use arsenal_json::prelude::*;
/// use arsenal_json::Simdjson;
/// let mut parser = Simdjson::new()?;
/// let doc = parser.parse(br#"{"id": 18446744073709551615}"#)?;
/// assert_eq!(doc.root().get("id").and_then(|v| v.as_u64()), Some(u64::MAX));
/// # Ok::<(), arsenal_json::Error>(())
/// ```
pub struct Simdjson {
    raw: NonNull<sys::arsenal_sj_parser>,
    options: ParseOptions,
}

// SAFETY: a simdjson `dom::parser` has no thread affinity (no thread-locals, no global
// mutable state besides the implementation choice, which simdjson makes thread-safe);
// upstream documents that a parser may be moved between threads but must not be used
// by two threads at once. `&mut self` on every mutating method enforces the latter, and
// the type is deliberately not `Sync`.
unsafe impl Send for Simdjson {}

impl fmt::Debug for Simdjson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Simdjson")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Drop for Simdjson {
    fn drop(&mut self) {
        // SAFETY: `raw` came from arsenal_sj_parser_new and is freed exactly once here.
        unsafe { sys::arsenal_sj_parser_free(self.raw.as_ptr()) }
    }
}

impl Simdjson {
    /// A parser with [`ParseOptions::default`].
    pub fn new() -> Result<Self> {
        Self::with_options(ParseOptions::default())
    }

    /// The SIMD kernel simdjson selected for this CPU (e.g. `"haswell"`, `"icelake"`).
    pub fn active_implementation() -> &'static str {
        // SAFETY: the shim returns a pointer to a NUL-terminated string kept alive in a
        // function-local static for the life of the program.
        let s = unsafe { CStr::from_ptr(sys::arsenal_sj_active_implementation()) };
        s.to_str().unwrap_or("unknown")
    }

    /// The simdjson version the shim was compiled against (e.g. `"3.12.3"`).
    pub fn version() -> &'static str {
        // SAFETY: points at the SIMDJSON_VERSION string literal.
        let s = unsafe { CStr::from_ptr(sys::arsenal_sj_version()) };
        s.to_str().unwrap_or("unknown")
    }

    fn parse_raw(&mut self, json: &[u8], padded: bool) -> Result<SimdjsonDoc<'_>> {
        self.options.check_len(NAME, json.len())?;
        // A leading UTF-8 byte order mark is skipped here rather than left to simdjson,
        // which only skips it from 3.x releases later than 3.0: the same behaviour with
        // every version and every backend. (The padding after the input is unchanged.)
        let json = json.strip_prefix(UTF8_BOM).unwrap_or(json);
        if json.starts_with(UTF8_BOM) {
            // Only one is skipped (as by yyjson); simdjson releases that skip one
            // themselves would otherwise take a second.
            return Err(Error::new(
                ErrorKind::Syntax,
                NAME,
                "a second byte order mark after the first",
            )
            .with_offset(UTF8_BOM.len()));
        }
        let mut tape: *const u64 = std::ptr::null();
        let mut strings: *const u8 = std::ptr::null();
        // SAFETY: `raw` is a live parser we exclusively borrow; `json` is valid for
        // `len` bytes, and when `padded` is set the caller (parse_padded) guarantees
        // PADDING more readable bytes. The out pointers are valid locals.
        let rc = unsafe {
            sys::arsenal_sj_parse(
                self.raw.as_ptr(),
                json.as_ptr(),
                json.len(),
                i32::from(padded),
                &mut tape,
                &mut strings,
            )
        };
        if rc != 0 {
            return Err(error_from_code(rc));
        }
        // SAFETY: on success the tape's first word is the root marker whose payload is
        // the index of the closing root marker, so the tape has payload + 1 words, all
        // initialised by the parse that just succeeded. They stay valid while the
        // parser is borrowed (the returned document holds that borrow).
        let tape = unsafe {
            let last = (*tape & sys::TAPE_PAYLOAD_MASK) as usize;
            std::slice::from_raw_parts(tape, last + 1)
        };
        Ok(SimdjsonDoc {
            tape,
            strings,
            _parser: PhantomData,
        })
    }
}

impl Parser for Simdjson {
    const BACKEND: Backend = Backend::Simdjson;
    type Document<'p> = SimdjsonDoc<'p>;

    fn with_options(options: ParseOptions) -> Result<Self> {
        let mut err = 0;
        let capacity = options.max_input_len.min(u32::MAX as usize);
        // SAFETY: plain constructor; `err` is a valid out pointer.
        let raw = unsafe { sys::arsenal_sj_parser_new(capacity, options.max_depth, &mut err) };
        match NonNull::new(raw) {
            Some(raw) => Ok(Simdjson { raw, options }),
            None => Err(error_from_code(err)),
        }
    }

    fn parse<'p>(&'p mut self, json: &'p [u8]) -> Result<SimdjsonDoc<'p>> {
        self.parse_raw(json, false)
    }

    fn parse_padded<'p>(&'p mut self, json: &'p PaddedBytes) -> Result<SimdjsonDoc<'p>> {
        // SAFETY (of the shim call): PaddedBytes keeps PADDING zeroed bytes after its
        // contents, which is at least simdjson's SIMDJSON_PADDING (checked in tests).
        self.parse_raw(json.as_bytes(), true)
    }

    fn options(&self) -> &ParseOptions {
        &self.options
    }
}

#[cold]
fn error_from_code(code: i32) -> Error {
    use sys::error as e;
    let kind = match code {
        e::CAPACITY => ErrorKind::TooLarge,
        e::MEMALLOC => ErrorKind::OutOfMemory,
        e::DEPTH => ErrorKind::Depth,
        e::STRING | e::UTF8 | e::UNESCAPED_CHARS => ErrorKind::Encoding,
        e::NUMBER | e::BIGINT => ErrorKind::Number,
        e::EMPTY => ErrorKind::Empty,
        e::UNCLOSED_STRING | e::INCOMPLETE => ErrorKind::Truncated,
        e::TAPE | e::ATOM | e::TRAILING_CONTENT => ErrorKind::Syntax,
        _ => ErrorKind::Other,
    };
    // SAFETY: returns a pointer to simdjson's static message for the last error this
    // thread saw, which is the one being reported (the shim call just returned it).
    let msg = unsafe { CStr::from_ptr(sys::arsenal_sj_last_error_message()) };
    Error::new(kind, NAME, msg.to_string_lossy().into_owned()).with_code(i64::from(code))
}

/// A document parsed by [`Simdjson`]; borrows the parser.
pub struct SimdjsonDoc<'p> {
    tape: &'p [u64],
    strings: *const u8,
    _parser: PhantomData<&'p mut Simdjson>,
}

impl fmt::Debug for SimdjsonDoc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimdjsonDoc")
            .field("tape_words", &self.tape.len())
            .finish()
    }
}

/// The raw pointers of a parsed document, kept by [`crate::OwnedDocument`] next to the
/// parser that owns the buffers.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawParts {
    tape: *const u64,
    tape_len: usize,
    strings: *const u8,
}

impl<'p> SimdjsonDoc<'p> {
    pub(crate) fn into_raw_parts(self) -> RawParts {
        RawParts {
            tape: self.tape.as_ptr(),
            tape_len: self.tape.len(),
            strings: self.strings,
        }
    }

    /// Rebuilds a document view from [`RawParts`].
    ///
    /// # Safety
    /// `parts` must come from the latest successful parse of `parser`.
    pub(crate) unsafe fn from_raw_parts(parts: &RawParts, _parser: &'p Simdjson) -> Self {
        // SAFETY: per the contract the tape is live, initialised and `tape_len` long for
        // as long as `parser` is borrowed.
        let tape = unsafe { std::slice::from_raw_parts(parts.tape, parts.tape_len) };
        SimdjsonDoc {
            tape,
            strings: parts.strings,
            _parser: PhantomData,
        }
    }

    /// The root value, valid for the whole parser borrow rather than this handle's.
    pub(crate) fn root_detached(&self) -> SimdjsonValue<'p> {
        SimdjsonValue {
            tape: self.tape,
            strings: self.strings,
            idx: 1,
            _doc: PhantomData,
        }
    }
}

impl<'p> crate::Document for SimdjsonDoc<'p> {
    type Value<'d>
        = SimdjsonValue<'d>
    where
        Self: 'd;

    fn root(&self) -> SimdjsonValue<'_> {
        SimdjsonValue {
            tape: self.tape,
            strings: self.strings,
            idx: 1,
            _doc: PhantomData,
        }
    }
}

/// A value inside a [`SimdjsonDoc`]: a position on simdjson's tape.
#[derive(Clone, Copy)]
pub struct SimdjsonValue<'d> {
    tape: &'d [u64],
    strings: *const u8,
    idx: usize,
    _doc: PhantomData<&'d [u8]>,
}

impl fmt::Debug for SimdjsonValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SimdjsonValue({} at tape[{}])", self.kind(), self.idx)
    }
}

impl<'d> SimdjsonValue<'d> {
    #[inline(always)]
    fn word(&self) -> u64 {
        self.payload_at(self.idx)
    }

    #[inline(always)]
    fn tag(&self) -> u8 {
        (self.word() >> 56) as u8
    }

    #[inline(always)]
    fn at_idx(&self, idx: usize) -> SimdjsonValue<'d> {
        SimdjsonValue {
            tape: self.tape,
            strings: self.strings,
            idx,
            _doc: PhantomData,
        }
    }

    /// Index just past this value on the tape.
    #[inline(always)]
    fn next_idx(&self) -> usize {
        let w = self.word();
        match (w >> 56) as u8 {
            sys::TAPE_START_ARRAY | sys::TAPE_START_OBJECT => (w & 0xFFFF_FFFF) as usize,
            sys::TAPE_INT64 | sys::TAPE_UINT64 | sys::TAPE_DOUBLE => self.idx + 2,
            _ => self.idx + 1,
        }
    }

    #[inline(always)]
    fn string_at(&self, idx: usize) -> &'d str {
        let offset = (self.payload_at(idx) & sys::TAPE_PAYLOAD_MASK) as usize;
        // SAFETY: a string tape word's payload is an offset into the document's string
        // buffer, where simdjson wrote a little-endian u32 length followed by that many
        // bytes (and a NUL). The buffer lives as long as the parser borrow 'd.
        let bytes = unsafe {
            let p = self.strings.add(offset);
            let len = u32::from_le_bytes(p.cast::<[u8; 4]>().read_unaligned()) as usize;
            std::slice::from_raw_parts(p.add(4), len)
        };
        debug_assert!(
            std::str::from_utf8(bytes).is_ok(),
            "simdjson produced invalid UTF-8"
        );
        // SAFETY: simdjson validates UTF-8 of the whole input and rejects invalid escapes
        // and lone surrogates (STRING_ERROR), so unescaped strings are valid UTF-8. The
        // conformance suite checks this on every JSONTestSuite string in debug builds.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    #[inline(always)]
    fn payload_at(&self, idx: usize) -> u64 {
        debug_assert!(idx < self.tape.len(), "tape index {idx} out of range");
        // SAFETY: every index used here comes from the tape simdjson wrote: a value's
        // own position, the word after a number, or a container's end index, all inside
        // the tape by simdjson's construction (the root's closing word is its last
        // element, and iteration stops at a container's end). Bounds-checked in debug
        // builds, which run the whole conformance suite.
        unsafe { *self.tape.get_unchecked(idx) }
    }
}

impl<'d> JsonValue<'d> for SimdjsonValue<'d> {
    type ArrayIter = SimdjsonArrayIter<'d>;
    type ObjectIter = SimdjsonObjectIter<'d>;

    #[inline]
    fn kind(&self) -> Kind {
        match self.tag() {
            sys::TAPE_START_ARRAY => Kind::Array,
            sys::TAPE_START_OBJECT => Kind::Object,
            sys::TAPE_STRING => Kind::String,
            sys::TAPE_INT64 | sys::TAPE_UINT64 | sys::TAPE_DOUBLE => Kind::Number,
            sys::TAPE_TRUE | sys::TAPE_FALSE => Kind::Bool,
            _ => Kind::Null,
        }
    }

    #[inline]
    fn as_bool(&self) -> Option<bool> {
        match self.tag() {
            sys::TAPE_TRUE => Some(true),
            sys::TAPE_FALSE => Some(false),
            _ => None,
        }
    }

    #[inline]
    fn as_number(&self) -> Option<Number> {
        match self.tag() {
            sys::TAPE_INT64 => Some(Number::from_i64(self.payload_at(self.idx + 1) as i64)),
            sys::TAPE_UINT64 => Some(Number::PosInt(self.payload_at(self.idx + 1))),
            sys::TAPE_DOUBLE => Some(Number::Float(f64::from_bits(self.payload_at(self.idx + 1)))),
            _ => None,
        }
    }

    #[inline]
    fn as_str(&self) -> Option<&'d str> {
        (self.tag() == sys::TAPE_STRING).then(|| self.string_at(self.idx))
    }

    #[inline]
    fn as_f64(&self) -> Option<f64> {
        let bits = || self.payload_at(self.idx + 1);
        match self.tag() {
            sys::TAPE_INT64 => Some(bits() as i64 as f64),
            sys::TAPE_UINT64 => Some(bits() as f64),
            sys::TAPE_DOUBLE => Some(f64::from_bits(bits())),
            _ => None,
        }
    }

    #[inline]
    fn array_iter(&self) -> Option<SimdjsonArrayIter<'d>> {
        (self.tag() == sys::TAPE_START_ARRAY).then(|| SimdjsonArrayIter {
            cur: self.at_idx(self.idx + 1),
            end: self.next_idx() - 1,
        })
    }

    #[inline]
    fn object_iter(&self) -> Option<SimdjsonObjectIter<'d>> {
        (self.tag() == sys::TAPE_START_OBJECT).then(|| SimdjsonObjectIter {
            cur: self.at_idx(self.idx + 1),
            end: self.next_idx() - 1,
        })
    }

    fn len(&self) -> Option<usize> {
        match self.tag() {
            sys::TAPE_START_ARRAY | sys::TAPE_START_OBJECT => {
                let count = (self.word() >> 32) & sys::TAPE_COUNT_SATURATED;
                if count < sys::TAPE_COUNT_SATURATED {
                    Some(count as usize)
                } else if self.tag() == sys::TAPE_START_ARRAY {
                    self.array_iter().map(Iterator::count)
                } else {
                    self.object_iter().map(Iterator::count)
                }
            }
            _ => None,
        }
    }
}

/// Iterator over a simdjson array.
#[derive(Debug, Clone)]
pub struct SimdjsonArrayIter<'d> {
    cur: SimdjsonValue<'d>,
    end: usize,
}

impl<'d> Iterator for SimdjsonArrayIter<'d> {
    type Item = SimdjsonValue<'d>;

    #[inline]
    fn next(&mut self) -> Option<SimdjsonValue<'d>> {
        if self.cur.idx >= self.end {
            return None;
        }
        let v = self.cur;
        self.cur.idx = v.next_idx();
        Some(v)
    }
}

/// Iterator over a simdjson object's members.
#[derive(Debug, Clone)]
pub struct SimdjsonObjectIter<'d> {
    cur: SimdjsonValue<'d>,
    end: usize,
}

impl<'d> Iterator for SimdjsonObjectIter<'d> {
    type Item = (&'d str, SimdjsonValue<'d>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.cur.idx >= self.end {
            return None;
        }
        let key = self.cur.string_at(self.cur.idx);
        let v = self.cur.at_idx(self.cur.idx + 1);
        self.cur.idx = v.next_idx();
        Some((key, v))
    }
}
