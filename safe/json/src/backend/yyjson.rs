//! yyjson backend (feature `yyjson`): the low-latency choice.
//!
//! yyjson parses into one contiguous array of 16-byte values owned by the document;
//! strings are copied into the document's own pool, so a [`YyjsonDoc`] does not borrow
//! the input or the parser. Values are read in Rust straight from yyjson's documented
//! `yyjson_val` layout (the same thing its `static inline` accessors do), with no FFI
//! call per value. yyjson's error position is reported as [`Error::offset`].
//!
//! yyjson's reader is iterative and has no depth limit of its own; to give
//! [`ParseOptions::max_depth`] the same meaning as with simdjson (every value counts as a
//! level, the root is level 1: `[[1]]` is 3 levels deep), large documents get a pruned
//! depth-first scan of their containers after parsing. A leading UTF-8 byte order mark
//! is skipped, as simdjson does.

use crate::error::{Error, ErrorKind, Result};
use crate::value::{JsonValue, Kind, Number};
use crate::{Backend, ParseOptions, Parser};
use arsenal_yyjson_sys as sys;
use std::ffi::CStr;
use std::fmt;
use std::marker::PhantomData;
use std::ptr::NonNull;

const NAME: &str = "yyjson";

const TYPE_MASK: u64 = 0x07;
const SUBTYPE_MASK: u64 = 0x18;
const TYPE_NULL: u64 = 2;
const TYPE_BOOL: u64 = 3;
const TYPE_NUM: u64 = 4;
const TYPE_STR: u64 = 5;
const TYPE_ARR: u64 = 6;
const TYPE_OBJ: u64 = 7;
const SUBTYPE_TRUE: u64 = 1 << 3;
const SUBTYPE_UINT: u64 = 0;
const SUBTYPE_SINT: u64 = 1 << 3;
const TAG_BIT: u32 = 8;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// yyjson's reader. Stateless apart from its options: every parse allocates a new
/// document with the C allocator.
///
/// ```
/// use arsenal_json::{Document, JsonValue, Parser, Yyjson};
/// let mut parser = Yyjson::new()?;
/// let doc = parser.parse(br#"[1, -2, 3.5]"#)?;
/// let sum: f64 = doc.root().array_iter().unwrap().filter_map(|v| v.as_f64()).sum();
/// assert_eq!(sum, 2.5);
/// # Ok::<(), arsenal_json::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Yyjson {
    options: ParseOptions,
}

impl Yyjson {
    /// A parser with [`ParseOptions::default`].
    pub fn new() -> Result<Self> {
        Self::with_options(ParseOptions::default())
    }

    /// The version of the linked yyjson library (e.g. `"0.10.0"`).
    pub fn version() -> String {
        // SAFETY: yyjson_version is a plain function returning a packed integer.
        let v = unsafe { sys::yyjson_version() };
        format!("{}.{}.{}", (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff)
    }
}

impl Parser for Yyjson {
    const BACKEND: Backend = Backend::Yyjson;
    type Document<'p> = YyjsonDoc<'p>;

    fn with_options(options: ParseOptions) -> Result<Self> {
        Ok(Yyjson { options })
    }

    fn parse<'p>(&'p mut self, json: &'p [u8]) -> Result<YyjsonDoc<'p>> {
        self.options.check_len(NAME, json.len())?;
        // A leading UTF-8 byte order mark is skipped, as simdjson does (RFC 8259 lets
        // parsers ignore it); yyjson alone would reject it.
        let skipped = if json.starts_with(UTF8_BOM) {
            UTF8_BOM.len()
        } else {
            0
        };
        let json = &json[skipped..];
        if json.is_empty() {
            // yyjson calls a zero-length input an invalid parameter; it is empty input.
            return Err(Error::new(ErrorKind::Empty, NAME, "input is empty").with_offset(skipped));
        }
        let mut err = sys::yyjson_read_err {
            code: 0,
            msg: std::ptr::null(),
            pos: 0,
        };
        // SAFETY: without YYJSON_READ_INSITU yyjson only reads `len` bytes of the input
        // (the `char *` is not written through, per its documentation); a null
        // allocator selects libc malloc; `err` is a valid out pointer.
        let doc = unsafe {
            sys::yyjson_read_opts(
                json.as_ptr().cast_mut().cast(),
                json.len(),
                sys::YYJSON_READ_NOFLAG,
                std::ptr::null(),
                &mut err,
            )
        };
        let Some(raw) = NonNull::new(doc) else {
            err.pos += skipped;
            return Err(error_from(&err));
        };
        let doc = YyjsonDoc {
            raw,
            _input: PhantomData,
        };
        check_depth(&doc, json.len(), self.options.max_depth)?;
        Ok(doc)
    }

    fn options(&self) -> &ParseOptions {
        &self.options
    }
}

#[cold]
fn error_from(err: &sys::yyjson_read_err) -> Error {
    let msg = if err.msg.is_null() {
        String::new()
    } else {
        // SAFETY: yyjson sets `msg` to a static NUL-terminated string on failure.
        unsafe { CStr::from_ptr(err.msg) }
            .to_string_lossy()
            .into_owned()
    };
    let kind = match err.code {
        sys::YYJSON_READ_ERROR_MEMORY_ALLOCATION => ErrorKind::OutOfMemory,
        sys::YYJSON_READ_ERROR_EMPTY_CONTENT => ErrorKind::Empty,
        sys::YYJSON_READ_ERROR_UNEXPECTED_END => ErrorKind::Truncated,
        sys::YYJSON_READ_ERROR_INVALID_STRING => ErrorKind::Encoding,
        sys::YYJSON_READ_ERROR_INVALID_NUMBER
            if msg.contains("infinity") || msg.contains("overflow") =>
        {
            ErrorKind::Number
        }
        _ => ErrorKind::Syntax,
    };
    Error::new(kind, NAME, msg)
        .with_offset(err.pos)
        .with_code(i64::from(err.code))
}

/// Rejects documents nested deeper than `max_depth` (see the module docs).
fn check_depth(doc: &YyjsonDoc<'_>, input_len: usize, max_depth: usize) -> Result<()> {
    // SAFETY: `raw` is a live document; val_read counts the values yyjson wrote
    // contiguously starting at the root.
    let (root, count) = unsafe {
        let d = doc.raw.as_ref();
        (d.root.cast_const(), d.val_read)
    };
    // Depth counts every value, scalars included, as simdjson does: the root is level
    // 1 and `[[1]]` reaches level 3. Nesting n levels takes at least n values and
    // 2n - 1 bytes of input, so small documents cannot exceed the limit: skip the scan.
    if count <= max_depth || input_len <= 2 * max_depth {
        return Ok(());
    }
    // SAFETY: the document's values form one contiguous array of `count` entries
    // starting at the root (yyjson's pool layout); it lives as long as `doc`.
    let vals = unsafe { std::slice::from_raw_parts(root, count) };
    let subtree_end = |i: usize| -> usize {
        // SAFETY: only called on containers, for which yyjson stores the byte size of
        // the whole subtree in `uni.ofs` (what its own iterators read).
        i + unsafe { vals[i].uni.ofs } / std::mem::size_of::<sys::yyjson_val>()
    };
    // Can the container at `i`, at `level`, hold anything deeper than the limit? Its
    // deepest child's subtree holds at most the values the siblings leave (one per other
    // array element; key + value per other object member): n children in s values
    // reach level + s - n at most (level + s - 2n for objects).
    let may_exceed = |i: usize, end: usize, level: usize| -> bool {
        let tag = vals[i].tag;
        let n = (tag >> TAG_BIT) as usize;
        let siblings = if tag & TYPE_MASK == TYPE_OBJ {
            2 * n
        } else {
            n
        };
        level + (end - i) - siblings.min(end - i) > max_depth
    };
    if vals[0].tag & 6 != 6 {
        return Ok(()); // a scalar root; ARR (6) and OBJ (7) are the only types with bits 1-2
    }
    let root_end = subtree_end(0);
    if !may_exceed(0, root_end, 1) {
        return Ok(());
    }
    let too_deep = || {
        Error::new(
            ErrorKind::Depth,
            NAME,
            format!("nesting deeper than max_depth = {max_depth}"),
        )
    };
    // Depth-first over the containers that may exceed the limit, skipping every other
    // subtree whole: on real documents this visits a small fraction of the values.
    // `(j, end)` walks the children of the current container, whose level is `level`;
    // the stack holds where to resume in the enclosing ones.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let (mut j, mut end, mut level) = (1, root_end, 2);
    if j < end && level > max_depth {
        return Err(too_deep());
    }
    loop {
        if j >= end {
            let Some((resume, outer_end)) = stack.pop() else {
                return Ok(());
            };
            (j, end, level) = (resume, outer_end, level - 1);
            continue;
        }
        if vals[j].tag & 6 != 6 {
            j += 1; // a scalar: its level was checked on entering this container
            continue;
        }
        let child_end = subtree_end(j);
        // A subtree of k values nests at most k levels below its root's level - 1: most
        // children (canada's coordinate pairs) are ruled out here without decoding
        // their tag again.
        if child_end - j > max_depth - level + 1 && may_exceed(j, child_end, level) {
            if level + 1 > max_depth {
                return Err(too_deep()); // a non-empty container at the last level
            }
            stack.push((child_end, end));
            (j, end, level) = (j + 1, child_end, level + 1);
        } else {
            j = child_end;
        }
    }
}

/// A document parsed by [`Yyjson`]. Owns its memory (freed on drop).
pub struct YyjsonDoc<'p> {
    raw: NonNull<sys::yyjson_doc>,
    _input: PhantomData<&'p [u8]>,
}

// SAFETY: a yyjson document is immutable after parsing and owns all its memory (value
// pool and string pool, allocated with malloc); yyjson documents that an immutable
// document may be read from several threads at once and freed from any thread.
unsafe impl Send for YyjsonDoc<'_> {}
// SAFETY: see above: all access through this type is read-only.
unsafe impl Sync for YyjsonDoc<'_> {}

impl Drop for YyjsonDoc<'_> {
    fn drop(&mut self) {
        // SAFETY: `raw` came from yyjson_read_opts and is freed exactly once here.
        unsafe { sys::arsenal_yyjson_doc_free(self.raw.as_ptr()) }
    }
}

impl fmt::Debug for YyjsonDoc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: `raw` is live for the borrow of self.
        let values = unsafe { self.raw.as_ref().val_read };
        f.debug_struct("YyjsonDoc")
            .field("values", &values)
            .finish()
    }
}

impl YyjsonDoc<'_> {
    /// Detaches the document from the input lifetime: yyjson copies every string into
    /// the document's own pool (we never parse in place), so nothing borrows the input.
    pub(crate) fn into_owned(self) -> YyjsonDoc<'static> {
        let this = std::mem::ManuallyDrop::new(self);
        YyjsonDoc {
            raw: this.raw,
            _input: PhantomData,
        }
    }

    /// Bytes of input yyjson consumed.
    pub fn read_size(&self) -> usize {
        // SAFETY: `raw` is live for the borrow of self.
        unsafe { self.raw.as_ref().dat_read }
    }
}

impl crate::Document for YyjsonDoc<'_> {
    type Value<'d>
        = YyjsonValue<'d>
    where
        Self: 'd;

    fn root(&self) -> YyjsonValue<'_> {
        // SAFETY: a successfully parsed document has a non-null root that lives as long
        // as the document.
        let val = unsafe { &*self.raw.as_ref().root };
        YyjsonValue { val }
    }
}

/// A value inside a [`YyjsonDoc`]: a reference to one `yyjson_val`.
#[derive(Clone, Copy)]
pub struct YyjsonValue<'d> {
    val: &'d sys::yyjson_val,
}

impl fmt::Debug for YyjsonValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "YyjsonValue({})", self.kind())
    }
}

impl<'d> YyjsonValue<'d> {
    #[inline(always)]
    fn ty(&self) -> u64 {
        self.val.tag & TYPE_MASK
    }

    #[inline(always)]
    fn tag_len(&self) -> usize {
        (self.val.tag >> TAG_BIT) as usize
    }

    /// The first child of a container (only valid when `tag_len() > 0`).
    #[inline(always)]
    fn first_child(&self) -> *const sys::yyjson_val {
        (self.val as *const sys::yyjson_val).wrapping_add(1)
    }
}

/// Pointer to the value after `v` in the pool, skipping `v`'s subtree.
#[inline(always)]
fn next_sibling(v: &sys::yyjson_val) -> *const sys::yyjson_val {
    let ty = v.tag & TYPE_MASK;
    if ty == TYPE_ARR || ty == TYPE_OBJ {
        // SAFETY: containers store the byte size of their subtree in `uni.ofs`.
        let ofs = unsafe { v.uni.ofs };
        (v as *const sys::yyjson_val)
            .cast::<u8>()
            .wrapping_add(ofs)
            .cast()
    } else {
        (v as *const sys::yyjson_val).wrapping_add(1)
    }
}

#[inline(always)]
fn str_of(v: &sys::yyjson_val) -> &str {
    // SAFETY: for strings yyjson stores a pointer to `len` bytes (plus a NUL) in its
    // string pool, owned by the document that `v` borrows from.
    let bytes =
        unsafe { std::slice::from_raw_parts(v.uni.str_.cast::<u8>(), (v.tag >> TAG_BIT) as usize) };
    debug_assert!(
        std::str::from_utf8(bytes).is_ok(),
        "yyjson produced invalid UTF-8"
    );
    // SAFETY: we never pass YYJSON_READ_ALLOW_INVALID_UNICODE, so yyjson validates the
    // input's UTF-8 and rejects lone surrogates in escapes: strings are valid UTF-8.
    // The conformance suite checks this on every JSONTestSuite string in debug builds.
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

impl<'d> JsonValue<'d> for YyjsonValue<'d> {
    type ArrayIter = YyjsonArrayIter<'d>;
    type ObjectIter = YyjsonObjectIter<'d>;

    #[inline]
    fn kind(&self) -> Kind {
        match self.ty() {
            TYPE_ARR => Kind::Array,
            TYPE_OBJ => Kind::Object,
            TYPE_STR => Kind::String,
            TYPE_NUM => Kind::Number,
            TYPE_BOOL => Kind::Bool,
            TYPE_NULL => Kind::Null,
            // NONE and RAW never occur without flags we do not pass.
            _ => Kind::Null,
        }
    }

    #[inline]
    fn as_bool(&self) -> Option<bool> {
        (self.ty() == TYPE_BOOL).then_some(self.val.tag & SUBTYPE_MASK == SUBTYPE_TRUE)
    }

    #[inline]
    fn as_number(&self) -> Option<Number> {
        if self.ty() != TYPE_NUM {
            return None;
        }
        // SAFETY: the subtype says which union member yyjson wrote.
        unsafe {
            Some(match self.val.tag & SUBTYPE_MASK {
                SUBTYPE_UINT => Number::PosInt(self.val.uni.u64_),
                SUBTYPE_SINT => Number::from_i64(self.val.uni.i64_),
                _ => Number::Float(self.val.uni.f64_),
            })
        }
    }

    #[inline]
    fn as_str(&self) -> Option<&'d str> {
        (self.ty() == TYPE_STR).then(|| str_of(self.val))
    }

    #[inline]
    fn as_f64(&self) -> Option<f64> {
        if self.ty() != TYPE_NUM {
            return None;
        }
        // SAFETY: the subtype says which union member yyjson wrote.
        unsafe {
            Some(match self.val.tag & SUBTYPE_MASK {
                SUBTYPE_UINT => self.val.uni.u64_ as f64,
                SUBTYPE_SINT => self.val.uni.i64_ as f64,
                _ => self.val.uni.f64_,
            })
        }
    }

    #[inline]
    fn array_iter(&self) -> Option<YyjsonArrayIter<'d>> {
        (self.ty() == TYPE_ARR).then(|| YyjsonArrayIter {
            cur: self.first_child(),
            left: self.tag_len(),
            _doc: PhantomData,
        })
    }

    #[inline]
    fn object_iter(&self) -> Option<YyjsonObjectIter<'d>> {
        (self.ty() == TYPE_OBJ).then(|| YyjsonObjectIter {
            cur: self.first_child(),
            left: self.tag_len(),
            _doc: PhantomData,
        })
    }

    #[inline]
    fn len(&self) -> Option<usize> {
        matches!(self.ty(), TYPE_ARR | TYPE_OBJ).then(|| self.tag_len())
    }
}

/// Iterator over a yyjson array.
#[derive(Debug, Clone)]
pub struct YyjsonArrayIter<'d> {
    cur: *const sys::yyjson_val,
    left: usize,
    _doc: PhantomData<&'d sys::yyjson_val>,
}

impl<'d> Iterator for YyjsonArrayIter<'d> {
    type Item = YyjsonValue<'d>;

    #[inline]
    fn next(&mut self) -> Option<YyjsonValue<'d>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        // SAFETY: while `left > 0`, `cur` points at the next element of the array
        // inside the document's value pool, which outlives 'd.
        let v: &'d sys::yyjson_val = unsafe { &*self.cur };
        self.cur = next_sibling(v);
        Some(YyjsonValue { val: v })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for YyjsonArrayIter<'_> {}

/// Iterator over a yyjson object's members.
#[derive(Debug, Clone)]
pub struct YyjsonObjectIter<'d> {
    cur: *const sys::yyjson_val,
    left: usize,
    _doc: PhantomData<&'d sys::yyjson_val>,
}

impl<'d> Iterator for YyjsonObjectIter<'d> {
    type Item = (&'d str, YyjsonValue<'d>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        // SAFETY: while `left > 0`, `cur` points at the next key (a string value) and
        // the value right after it, inside the document's pool, which outlives 'd.
        let (key, val): (&'d sys::yyjson_val, &'d sys::yyjson_val) =
            unsafe { (&*self.cur, &*self.cur.add(1)) };
        self.cur = next_sibling(val);
        Some((str_of(key), YyjsonValue { val }))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for YyjsonObjectIter<'_> {}
