//! Vectorscan (Hyperscan's portable fork) through `arsenal-vectorscan-sys`: literal
//! needles and sets (`hs_compile_lit`, `hs_compile_lit_multi`), regular-expression sets
//! (`hs_compile_multi`), block mode (`hs_scan`) and streaming mode (`hs_scan_stream`).
//!
//! Threading: a compiled database is immutable and shared freely; a scratch space
//! serves one scan at a time. Every block-mode type owns one scratch in a `RefCell`,
//! which makes it `Send` but not `Sync`: two threads can never scan with one scratch
//! (clone the searcher, or build one per thread). No user code runs inside a scan: the
//! callback only appends to a `Vec` or counts, under `catch_unwind`.

use std::any::Any;
use std::cell::RefCell;
use std::ffi::{c_int, c_uint, c_ulonglong, c_void, CStr, CString};
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::sync::OnceLock;

use arsenal_vectorscan_sys as sys;

use super::empty_needle_at;
use crate::{Backend, Error, ErrorKind, Match, MultiSearcher, Result, Searcher};

const NAME: &str = "vectorscan";
/// The largest block `hs_scan` takes (its length is an `unsigned int`).
const MAX_BLOCK: usize = u32::MAX as usize;

/// Whether this CPU runs the linked library (`hs_valid_platform`), asked once.
pub(crate) fn platform_ok() -> bool {
    static OK: OnceLock<bool> = OnceLock::new();
    // SAFETY: no arguments, no preconditions.
    *OK.get_or_init(|| unsafe { sys::hs_valid_platform() } == sys::HS_SUCCESS)
}

/// [`ErrorKind::Unsupported`] unless this CPU runs the linked library.
fn require_platform() -> Result<()> {
    if platform_ok() {
        Ok(())
    } else {
        Err(status_error(sys::HS_ARCH_ERROR, "hs_valid_platform"))
    }
}

/// The linked library's version string, e.g. `"5.4.9 2023-..."`.
pub fn version() -> String {
    // SAFETY: `hs_version` returns a pointer to a static NUL-terminated string.
    unsafe { CStr::from_ptr(sys::hs_version()) }
        .to_string_lossy()
        .into_owned()
}

#[cold]
fn status_error(rc: sys::hs_error_t, what: &str) -> Error {
    let kind = match rc {
        sys::HS_NOMEM => ErrorKind::OutOfMemory,
        sys::HS_ARCH_ERROR => ErrorKind::Unsupported,
        _ => ErrorKind::Library,
    };
    Error::new(kind, NAME, format!("{what} failed with status {rc}")).with_code(rc.into())
}

fn check(rc: sys::hs_error_t, what: &str) -> Result<()> {
    if rc == sys::HS_SUCCESS {
        Ok(())
    } else {
        Err(status_error(rc, what))
    }
}

/// A compiled database; freed on drop.
#[derive(Debug)]
struct Database(NonNull<sys::hs_database_t>);

// SAFETY: a database is immutable after compilation; Vectorscan's documentation allows
// any number of threads to scan with one database at once (each with its own scratch).
unsafe impl Send for Database {}
// SAFETY: as above: shared reads only.
unsafe impl Sync for Database {}

impl Drop for Database {
    fn drop(&mut self) {
        // SAFETY: the pointer came from a successful compile and is freed once.
        unsafe { sys::hs_free_database(self.0.as_ptr()) };
    }
}

impl Database {
    fn size(&self) -> usize {
        let mut size = 0;
        // SAFETY: a live database and a valid out-pointer.
        unsafe { sys::hs_database_size(self.0.as_ptr(), &mut size) };
        size
    }

    fn scratch(&self) -> Result<Scratch> {
        let mut scratch = ptr::null_mut();
        // SAFETY: a live database; `scratch` is a valid out-pointer holding NULL (a
        // new allocation).
        let rc = unsafe { sys::hs_alloc_scratch(self.0.as_ptr(), &mut scratch) };
        check(rc, "hs_alloc_scratch")?;
        NonNull::new(scratch)
            .map(Scratch)
            .ok_or_else(|| status_error(sys::HS_NOMEM, "hs_alloc_scratch"))
    }
}

/// A scratch space; freed on drop.
#[derive(Debug)]
struct Scratch(NonNull<sys::hs_scratch_t>);

// SAFETY: a scratch space is plain memory not tied to the thread that allocated it;
// Vectorscan only requires that one scan at a time uses it, which `&mut` access (or
// the owner's `RefCell`, which is not `Sync`) guarantees.
unsafe impl Send for Scratch {}

impl Drop for Scratch {
    fn drop(&mut self) {
        // SAFETY: allocated by `hs_alloc_scratch`, freed once.
        unsafe { sys::hs_free_scratch(self.0.as_ptr()) };
    }
}

impl Scratch {
    fn size(&self) -> usize {
        let mut size = 0;
        // SAFETY: a live scratch and a valid out-pointer.
        unsafe { sys::hs_scratch_size(self.0.as_ptr(), &mut size) };
        size
    }
}

/// Takes ownership of a compile result: the database, or the error's message and
/// expression index.
fn finish_compile(
    rc: sys::hs_error_t,
    db: *mut sys::hs_database_t,
    error: *mut sys::hs_compile_error_t,
) -> Result<Database> {
    if rc == sys::HS_SUCCESS {
        if let Some(db) = NonNull::new(db) {
            return Ok(Database(db));
        }
    }
    if error.is_null() {
        return Err(status_error(rc, "compiling the patterns"));
    }
    // SAFETY: a non-NULL compile error from the call; its message is NUL-terminated
    // (or NULL) and owned by it until `hs_free_compile_error`.
    let (message, index) = unsafe {
        let e = &*error;
        let message = if e.message.is_null() {
            String::from("(no message)")
        } else {
            CStr::from_ptr(e.message).to_string_lossy().into_owned()
        };
        (message, e.expression)
    };
    // SAFETY: freed once, after its contents were copied.
    unsafe { sys::hs_free_compile_error(error) };
    let kind = if message.contains("empty buffer") {
        ErrorKind::EmptyPattern
    } else if message.contains("too large") || message.contains("resource limit") {
        ErrorKind::TooLarge
    } else {
        ErrorKind::BadPattern
    };
    let text = if index >= 0 {
        format!("pattern {index}: {message}")
    } else {
        message
    };
    Err(Error::new(kind, NAME, text).with_code(index.into()))
}

fn check_set(count: usize) -> Result<c_uint> {
    if count == 0 {
        return Err(Error::new(ErrorKind::EmptySet, NAME, "no pattern"));
    }
    c_uint::try_from(count).map_err(|_| {
        Error::new(
            ErrorKind::TooLarge,
            NAME,
            format!("{count} patterns (at most u32::MAX)"),
        )
    })
}

fn compile_literals(patterns: &[&[u8]], mode: c_uint) -> Result<Database> {
    let count = check_set(patterns.len())?;
    if let Some(i) = patterns.iter().position(|p| p.is_empty()) {
        return Err(Error::new(
            ErrorKind::EmptyPattern,
            NAME,
            format!("pattern {i} is empty"),
        ));
    }
    if patterns.iter().any(|p| p.first() == Some(&0)) {
        // Vectorscan 5.4's literal API refuses a literal whose first byte is NUL ("Pure
        // literal API doesn't support empty string": it tests the first byte). The same
        // literals written as regular expressions of escaped bytes compile to the same
        // kind of literal matcher.
        let escaped: Vec<String> = patterns
            .iter()
            .map(|p| p.iter().map(|b| format!("\\x{b:02x}")).collect())
            .collect();
        return compile_regexes(&escaped, mode);
    }
    let ptrs: Vec<*const std::ffi::c_char> = patterns.iter().map(|p| p.as_ptr().cast()).collect();
    let lens: Vec<usize> = patterns.iter().map(|p| p.len()).collect();
    let ids: Vec<c_uint> = (0..count).collect();
    let (mut db, mut error) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: the three arrays hold `count` elements; `lens[i]` bytes are readable at
    // `ptrs[i]` (the borrowed patterns outlive the call); NULL flags mean 0, NULL
    // platform the host; `db` and `error` are valid out-pointers.
    let rc = unsafe {
        sys::hs_compile_lit_multi(
            ptrs.as_ptr(),
            ptr::null(),
            ids.as_ptr(),
            lens.as_ptr(),
            count,
            mode,
            ptr::null(),
            &mut db,
            &mut error,
        )
    };
    finish_compile(rc, db, error)
}

fn compile_regexes<S: AsRef<str>>(patterns: &[S], mode: c_uint) -> Result<Database> {
    let count = check_set(patterns.len())?;
    let mut owned = Vec::with_capacity(patterns.len());
    for (i, p) in patterns.iter().enumerate() {
        owned.push(CString::new(p.as_ref()).map_err(|_| {
            Error::new(
                ErrorKind::BadPattern,
                NAME,
                format!("pattern {i}: contains a NUL byte (write it as \\x00)"),
            )
            .with_code(i as i64)
        })?);
    }
    let ptrs: Vec<*const std::ffi::c_char> = owned.iter().map(|c| c.as_ptr()).collect();
    let ids: Vec<c_uint> = (0..count).collect();
    let (mut db, mut error) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: `count` NUL-terminated expressions (kept alive by `owned`) and ids; NULL
    // flags mean 0, NULL platform the host; valid out-pointers.
    let rc = unsafe {
        sys::hs_compile_multi(
            ptrs.as_ptr(),
            ptr::null(),
            ids.as_ptr(),
            count,
            mode,
            ptr::null(),
            &mut db,
            &mut error,
        )
    };
    finish_compile(rc, db, error)
}

/// The callback's context: the Rust closure and a panic caught in it.
struct Ctx<F> {
    on_match: F,
    panic: Option<Box<dyn Any + Send>>,
}

/// The `match_event_handler` for a `Ctx<F>`: never unwinds into C.
unsafe extern "C" fn trampoline<F: FnMut(u32, u64) -> bool>(
    id: c_uint,
    _from: c_ulonglong,
    to: c_ulonglong,
    _flags: c_uint,
    context: *mut c_void,
) -> c_int {
    // SAFETY: every scan passes a `*mut Ctx<F>` for this very `F`, alive and not
    // otherwise borrowed during the scan.
    let ctx = unsafe { &mut *context.cast::<Ctx<F>>() };
    match catch_unwind(AssertUnwindSafe(|| (ctx.on_match)(id, to))) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(payload) => {
            ctx.panic = Some(payload);
            1
        }
    }
}

/// Scans one block; `on_match(id, end)` returns `false` to stop.
fn scan_block<F: FnMut(u32, u64) -> bool>(
    db: &Database,
    scratch: &mut Scratch,
    data: &[u8],
    on_match: F,
) -> Result<()> {
    let len = c_uint::try_from(data.len()).map_err(|_| {
        Error::new(
            ErrorKind::TooLarge,
            NAME,
            "a block of 4 GiB or more (hs_scan takes a 32-bit length; use streaming mode)",
        )
    })?;
    let mut ctx = Ctx {
        on_match,
        panic: None,
    };
    // SAFETY: `data` is readable for `len` bytes; the scratch was allocated for this
    // database and `&mut` makes this its only use; `ctx` is the `Ctx<F>` the trampoline
    // expects and outlives the call.
    let rc = unsafe {
        sys::hs_scan(
            db.0.as_ptr(),
            data.as_ptr().cast(),
            len,
            0,
            scratch.0.as_ptr(),
            Some(trampoline::<F>),
            (&mut ctx as *mut Ctx<F>).cast(),
        )
    };
    if let Some(payload) = ctx.panic {
        resume_unwind(payload);
    }
    if rc == sys::HS_SCAN_TERMINATED {
        return Ok(());
    }
    check(rc, "hs_scan")
}

/// Scans a block with a database and scratch that come from a successful build; an
/// error here is a broken library invariant, not bad input.
fn scan_infallible<F: FnMut(u32, u64) -> bool>(
    db: &Database,
    scratch: &RefCell<Scratch>,
    data: &[u8],
    on_match: F,
) {
    // The RefCell is never borrowed twice: no user code runs inside a scan.
    let mut scratch = scratch.borrow_mut();
    if let Err(e) = scan_block(db, &mut scratch, data, on_match) {
        panic!("vectorscan: scanning with a valid database failed: {e}");
    }
}

/// Vectorscan search for one literal needle (a [`Searcher`]).
///
/// Blocks of 4 GiB or more are scanned in overlapping windows. Scanning with a valid
/// database cannot fail; if the library ever reports an error there, the call panics
/// (outside the C call) rather than return a wrong answer.
///
/// ```
/// use arsenal_text::{Searcher, Vectorscan};
///
/// let vs = Vectorscan::new(b"needle")?;
/// assert_eq!(vs.find(b"haystack with a needle"), Some(16));
/// # Ok::<(), arsenal_text::Error>(())
/// ```
#[derive(Debug)]
pub struct Vectorscan {
    needle: Vec<u8>,
    /// `None` for the empty needle (Vectorscan compiles no empty literal).
    compiled: Option<(Database, RefCell<Scratch>)>,
}

impl Vectorscan {
    /// Compiles the needle (`hs_compile_lit`, block mode).
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] when this CPU cannot run Vectorscan; the library's
    /// compile errors; [`ErrorKind::OutOfMemory`].
    pub fn new(needle: &[u8]) -> Result<Vectorscan> {
        require_platform()?;
        let compiled = if needle.is_empty() {
            None
        } else {
            let db = compile_literals(&[needle], sys::HS_MODE_BLOCK)?;
            let scratch = db.scratch()?;
            Some((db, RefCell::new(scratch)))
        };
        Ok(Vectorscan {
            needle: needle.to_vec(),
            compiled,
        })
    }

    /// The bytes of the database and the scratch space.
    pub fn heap_bytes(&self) -> usize {
        self.compiled
            .as_ref()
            .map_or(0, |(db, s)| db.size() + s.borrow().size())
    }
}

impl Searcher for Vectorscan {
    fn needle(&self) -> &[u8] {
        &self.needle
    }

    fn find_at(&self, haystack: &[u8], start: usize) -> Option<usize> {
        let Some((db, scratch)) = &self.compiled else {
            return empty_needle_at(haystack, start);
        };
        let m = self.needle.len();
        let mut base = start;
        while base < haystack.len() && haystack.len() - base >= m {
            let end = haystack.len().min(base + MAX_BLOCK);
            let mut found = None;
            scan_infallible(db, scratch, &haystack[base..end], |_, to| {
                found = Some(base + to as usize - m);
                false
            });
            if found.is_some() || end == haystack.len() {
                return found;
            }
            base = end + 1 - m; // the next window overlaps by m - 1 bytes
        }
        None
    }

    fn find_all(&self, haystack: &[u8], out: &mut Vec<usize>) {
        let Some((db, scratch)) = &self.compiled else {
            out.extend(0..=haystack.len());
            return;
        };
        if haystack.len() > MAX_BLOCK {
            let m = self.needle.len();
            let mut at = 0;
            while let Some(pos) = self.find_at(haystack, at) {
                out.push(pos);
                at = pos + m;
            }
            return;
        }
        let m = self.needle.len() as u64;
        let mut next = 0u64;
        // Vectorscan reports every end in increasing order: keep those whose start is
        // at or after the previous kept end (leftmost non-overlapping).
        scan_infallible(db, scratch, haystack, |_, to| {
            if to - m >= next {
                out.push((to - m) as usize);
                next = to;
            }
            true
        });
    }

    fn count(&self, haystack: &[u8]) -> usize {
        let Some((db, scratch)) = &self.compiled else {
            return haystack.len() + 1;
        };
        if haystack.len() > MAX_BLOCK {
            let mut all = Vec::new();
            self.find_all(haystack, &mut all);
            return all.len();
        }
        let m = self.needle.len() as u64;
        let (mut next, mut n) = (0u64, 0usize);
        scan_infallible(db, scratch, haystack, |_, to| {
            if to - m >= next {
                n += 1;
                next = to;
            }
            true
        });
        n
    }

    fn find_overlapping(&self, haystack: &[u8], out: &mut Vec<usize>) {
        let Some((db, scratch)) = &self.compiled else {
            out.extend(0..=haystack.len());
            return;
        };
        if haystack.len() > MAX_BLOCK {
            let mut at = 0;
            while let Some(pos) = self.find_at(haystack, at) {
                out.push(pos);
                at = pos + 1;
            }
            return;
        }
        let m = self.needle.len();
        scan_infallible(db, scratch, haystack, |_, to| {
            out.push(to as usize - m);
            true
        });
    }

    fn backend(&self) -> Backend {
        Backend::Vectorscan
    }
}

/// Vectorscan search for a set of literals (a [`MultiSearcher`]; block mode,
/// `hs_compile_lit_multi`).
///
/// ```
/// use arsenal_text::{Match, MultiSearcher, VectorscanLiterals};
///
/// let set = VectorscanLiterals::new(&[b"he", b"she", b"hers"])?;
/// assert_eq!(set.count(b"ushers")?, 3);
/// # Ok::<(), arsenal_text::Error>(())
/// ```
#[derive(Debug)]
pub struct VectorscanLiterals(BlockSet);

impl VectorscanLiterals {
    /// Compiles the set (pattern `i` reports id `i`).
    ///
    /// # Errors
    /// [`ErrorKind::EmptySet`], [`ErrorKind::EmptyPattern`], [`ErrorKind::TooLarge`]
    /// (more than `u32::MAX` patterns), the library's compile errors,
    /// [`ErrorKind::Unsupported`] when this CPU cannot run Vectorscan.
    pub fn new(patterns: &[&[u8]]) -> Result<VectorscanLiterals> {
        require_platform()?;
        let db = compile_literals(patterns, sys::HS_MODE_BLOCK)?;
        BlockSet::new(patterns.len(), db).map(VectorscanLiterals)
    }
}

/// A compiled block-mode set and its scratch space: what [`VectorscanLiterals`] and
/// [`RegexSet`] hold (they differ only in how the set is compiled).
#[derive(Debug)]
struct BlockSet {
    count: usize,
    db: Database,
    scratch: RefCell<Scratch>,
}

impl BlockSet {
    fn new(count: usize, db: Database) -> Result<BlockSet> {
        let scratch = RefCell::new(db.scratch()?);
        Ok(BlockSet { count, db, scratch })
    }

    /// Scans a block, appending every `(pattern, end)` sorted.
    fn find_all(&self, haystack: &[u8], out: &mut Vec<Match>) -> Result<()> {
        let first = out.len();
        let mut scratch = self.scratch.borrow_mut();
        scan_block(&self.db, &mut scratch, haystack, |id, to| {
            out.push(Match {
                end: to as usize,
                pattern: id,
            });
            true
        })?;
        // Ends arrive in increasing order; patterns with one end in no particular order.
        out[first..].sort_unstable();
        Ok(())
    }

    /// Counts every `(pattern, end)` of a block.
    fn count(&self, haystack: &[u8]) -> Result<usize> {
        let mut n = 0usize;
        let mut scratch = self.scratch.borrow_mut();
        scan_block(&self.db, &mut scratch, haystack, |_, _| {
            n += 1;
            true
        })?;
        Ok(n)
    }
}

/// `heap_bytes` and the [`MultiSearcher`] impl of a newtype over [`BlockSet`].
macro_rules! block_set {
    ($t:ty) => {
        impl $t {
            /// The bytes of the database and the scratch space.
            pub fn heap_bytes(&self) -> usize {
                self.0.db.size() + self.0.scratch.borrow().size()
            }
        }

        impl MultiSearcher for $t {
            fn pattern_count(&self) -> usize {
                self.0.count
            }
            fn find_all(&self, haystack: &[u8], out: &mut Vec<Match>) -> Result<()> {
                self.0.find_all(haystack, out)
            }
            fn count(&self, haystack: &[u8]) -> Result<usize> {
                self.0.count(haystack)
            }
            fn backend(&self) -> Backend {
                Backend::Vectorscan
            }
        }
    };
}
block_set!(VectorscanLiterals);
block_set!(RegexSet);

/// A set of regular expressions compiled by Vectorscan (block mode,
/// `hs_compile_multi`): a [`MultiSearcher`] reporting every `(pattern, end)` at which
/// some match of the pattern ends. Start offsets are not tracked (that needs
/// `HS_FLAG_SOM_LEFTMOST`, which costs speed and stream state).
///
/// Syntax: PCRE's, bytes-oriented (no UTF-8 mode); `.` does not match `\n`; `^`/`$`
/// anchor at the block's ends. Backreferences, lookaround and patterns that can match
/// the empty string are an [`Err`].
///
/// ```
/// use arsenal_text::{ErrorKind, Match, MultiSearcher, RegexSet};
///
/// let set = RegexSet::new(&["[0-9]+", "ab+c"])?;
/// let mut found = Vec::new();
/// set.find_all(b"x12 abbc", &mut found)?;
/// assert_eq!(
///     found,
///     [
///         Match { end: 2, pattern: 0 },
///         Match { end: 3, pattern: 0 },
///         Match { end: 8, pattern: 1 },
///     ]
/// );
/// let bad = RegexSet::new(&["ok", "(unclosed"]).unwrap_err();
/// assert_eq!(bad.kind(), ErrorKind::BadPattern);
/// assert_eq!(bad.code(), Some(1)); // the index of the bad pattern
/// # Ok::<(), arsenal_text::Error>(())
/// ```
#[derive(Debug)]
pub struct RegexSet(BlockSet);

impl RegexSet {
    /// Compiles the set (pattern `i` reports id `i`).
    ///
    /// # Errors
    /// [`ErrorKind::BadPattern`] with Vectorscan's message and the pattern's index (also
    /// as [`code`](Error::code)), [`ErrorKind::EmptyPattern`] for a pattern that
    /// matches the empty string, [`ErrorKind::EmptySet`], [`ErrorKind::TooLarge`],
    /// [`ErrorKind::Unsupported`] when this CPU cannot run Vectorscan.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<RegexSet> {
        require_platform()?;
        let db = compile_regexes(patterns, sys::HS_MODE_BLOCK)?;
        BlockSet::new(patterns.len(), db).map(RegexSet)
    }
}

/// A streaming-mode database (literals or regular expressions): open any number of
/// [`Stream`]s on it, each fed chunk by chunk, reporting matches that cross chunk
/// boundaries exactly as one block scan would.
///
/// ```
/// use arsenal_text::{Match, StreamDatabase};
///
/// let db = StreamDatabase::literals(&[b"needle"])?;
/// let mut stream = db.stream()?;
/// let mut found = Vec::new();
/// stream.scan(b"hay nee", &mut found)?;
/// stream.scan(b"dle hay", &mut found)?;
/// stream.finish(&mut found)?;
/// assert_eq!(found, [Match { end: 10, pattern: 0 }]);
/// # Ok::<(), arsenal_text::Error>(())
/// ```
#[derive(Debug)]
pub struct StreamDatabase {
    count: usize,
    db: Database,
}

impl StreamDatabase {
    /// Compiles literals for streaming (`hs_compile_lit_multi`, `HS_MODE_STREAM`).
    ///
    /// # Errors
    /// As [`VectorscanLiterals::new`].
    pub fn literals(patterns: &[&[u8]]) -> Result<StreamDatabase> {
        require_platform()?;
        Ok(StreamDatabase {
            count: patterns.len(),
            db: compile_literals(patterns, sys::HS_MODE_STREAM)?,
        })
    }

    /// Compiles regular expressions for streaming (`hs_compile_multi`,
    /// `HS_MODE_STREAM`).
    ///
    /// # Errors
    /// As [`RegexSet::new`].
    pub fn regexes<S: AsRef<str>>(patterns: &[S]) -> Result<StreamDatabase> {
        require_platform()?;
        Ok(StreamDatabase {
            count: patterns.len(),
            db: compile_regexes(patterns, sys::HS_MODE_STREAM)?,
        })
    }

    /// The number of patterns.
    pub fn pattern_count(&self) -> usize {
        self.count
    }

    /// Opens a stream with its own scratch space.
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`] or another library status when the stream state or
    /// scratch cannot be allocated.
    pub fn stream(&self) -> Result<Stream<'_>> {
        let scratch = self.db.scratch()?;
        let mut raw = ptr::null_mut();
        // SAFETY: a live streaming database; `raw` is a valid out-pointer.
        let rc = unsafe { sys::hs_open_stream(self.db.0.as_ptr(), 0, &mut raw) };
        check(rc, "hs_open_stream")?;
        let raw = NonNull::new(raw).ok_or_else(|| status_error(sys::HS_NOMEM, "hs_open_stream"))?;
        Ok(Stream {
            raw: Some(raw),
            scratch,
            _db: self,
        })
    }
}

/// One open stream of a [`StreamDatabase`]: feed chunks with [`scan`](Stream::scan),
/// end with [`finish`](Stream::finish) (which reports matches anchored at the end,
/// `$`). Ends are offsets from the start of the stream. Dropping it without `finish`
/// frees it without reporting.
#[derive(Debug)]
pub struct Stream<'db> {
    raw: Option<NonNull<sys::hs_stream_t>>,
    scratch: Scratch,
    _db: &'db StreamDatabase,
}

// SAFETY: a stream's state and its scratch are plain memory owned by this value alone
// (`&mut self` for every use); Vectorscan does not tie them to a thread.
unsafe impl Send for Stream<'_> {}

impl Stream<'_> {
    fn closed() -> Error {
        Error::new(ErrorKind::Library, NAME, "the stream was already finished")
    }

    /// Scans the next chunk, appending the matches that end in it (sorted by end, then
    /// pattern). Chunks of 4 GiB or more are fed in pieces.
    ///
    /// # Errors
    /// A library status (e.g. after an earlier error).
    pub fn scan(&mut self, chunk: &[u8], out: &mut Vec<Match>) -> Result<()> {
        let raw = self.raw.ok_or_else(Self::closed)?;
        let first = out.len();
        for piece in chunk.chunks(MAX_BLOCK) {
            let mut ctx = Ctx {
                on_match: |id: u32, to: u64| {
                    out.push(Match {
                        end: to as usize,
                        pattern: id,
                    });
                    true
                },
                panic: None,
            };
            // SAFETY: an open stream of a live database (borrowed by `self`); `piece`
            // is readable for its length (< 2^32); the scratch belongs to this stream
            // alone; `ctx` is the context the trampoline expects.
            let rc = unsafe {
                sys::hs_scan_stream(
                    raw.as_ptr(),
                    piece.as_ptr().cast(),
                    piece.len() as c_uint,
                    0,
                    self.scratch.0.as_ptr(),
                    Some(trampoline_for(&ctx)),
                    (&mut ctx as *mut Ctx<_>).cast(),
                )
            };
            if let Some(payload) = ctx.panic {
                resume_unwind(payload);
            }
            check(rc, "hs_scan_stream")?;
        }
        out[first..].sort_unstable();
        Ok(())
    }

    /// Closes the stream, appending the matches that end at its end.
    ///
    /// # Errors
    /// A library status.
    pub fn finish(mut self, out: &mut Vec<Match>) -> Result<()> {
        let raw = self.raw.take().ok_or_else(Self::closed)?;
        let first = out.len();
        let mut ctx = Ctx {
            on_match: |id: u32, to: u64| {
                out.push(Match {
                    end: to as usize,
                    pattern: id,
                });
                true
            },
            panic: None,
        };
        // SAFETY: an open stream, closed (and freed) exactly once here; the scratch
        // belongs to it; `ctx` as in `scan`.
        let rc = unsafe {
            sys::hs_close_stream(
                raw.as_ptr(),
                self.scratch.0.as_ptr(),
                Some(trampoline_for(&ctx)),
                (&mut ctx as *mut Ctx<_>).cast(),
            )
        };
        if let Some(payload) = ctx.panic {
            resume_unwind(payload);
        }
        check(rc, "hs_close_stream")?;
        out[first..].sort_unstable();
        Ok(())
    }
}

/// The trampoline instantiated for a context's closure type (closures cannot be named).
fn trampoline_for<F: FnMut(u32, u64) -> bool>(
    _ctx: &Ctx<F>,
) -> unsafe extern "C" fn(c_uint, c_ulonglong, c_ulonglong, c_uint, *mut c_void) -> c_int {
    trampoline::<F>
}

impl Drop for Stream<'_> {
    fn drop(&mut self) {
        if let Some(raw) = self.raw.take() {
            // SAFETY: an open stream, freed once; a NULL scratch reports nothing.
            unsafe { sys::hs_close_stream(raw.as_ptr(), ptr::null_mut(), None, ptr::null_mut()) };
        }
    }
}
