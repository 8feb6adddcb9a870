//! [LZ4](https://lz4.org/) through crates.io's `lz4-sys` (lz4 1.10.0).
//!
//! Two types:
//! * [`Lz4`]: the LZ4 *frame* format, what the `lz4` CLI reads and writes. One-shot
//!   frames record the content size (so [`Decompress::decompressed_size`] works) and
//!   carry a content checksum; streaming ([`Lz4Encoder`], [`Lz4Decoder`]) records no
//!   size. Levels are lz4frame's: `0..=2` the fast compressor, `3..=12` LZ4HC at that
//!   level, negative levels `-a` the fast compressor with acceleration `a + 1`; default 0.
//! * [`Lz4Block`]: one raw LZ4 *block* behind a 4-byte little-endian uncompressed-size
//!   prefix (the layout of `lz4_flex::compress_prepend_size` and python-lz4's
//!   `store_size`), no checksum. Levels: `0` and `1` `LZ4_compress_default`, `2..=12`
//!   `LZ4_compress_HC` at that level, negative `-a` `LZ4_compress_fast` with acceleration
//!   `a + 1` (as lz4frame maps them); default 1.
//!
//! `lz4-sys` declares only part of lz4's API (and its preference struct uses Rust enums
//! and an unsigned level), so the prototypes this module calls are declared below,
//! matching `lz4.h`/`lz4frame.h`/`lz4hc.h` 1.10 exactly; the symbols come from the
//! library `lz4-sys` compiles and links.

use std::ffi::{c_char, c_int, c_uint, c_ulonglong, c_void, CStr};
use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};

use crate::stream::{DecodeStep, StreamDecoder, StreamEncoder};
use crate::{
    sealed, Codec, Compress, Decompress, Error, ErrorKind, Levels, Result, Streaming,
    WithDictionary,
};

// Linking: the symbols below live in the library `lz4-sys` builds.
use lz4_sys as _;

const NAME: &str = "lz4";

/// Raw declarations from lz4 1.10's headers (the subset this module uses).
#[allow(non_camel_case_types, non_snake_case, dead_code)]
mod ffi {
    use super::*;

    /// `LZ4F_VERSION`.
    pub const LZ4F_VERSION: c_uint = 100;
    /// `LZ4_MAX_INPUT_SIZE`.
    pub const LZ4_MAX_INPUT_SIZE: usize = 0x7E00_0000;
    /// `LZ4F_HEADER_SIZE_MAX`.
    pub const LZ4F_HEADER_SIZE_MAX: usize = 19;

    /// `LZ4F_frameInfo_t`; the enums are C `int`-sized and kept as integers.
    #[repr(C)]
    #[derive(Debug, Clone, Copy, Default)]
    pub struct LZ4F_frameInfo_t {
        pub blockSizeID: c_uint,
        pub blockMode: c_uint,
        pub contentChecksumFlag: c_uint,
        pub frameType: c_uint,
        pub contentSize: c_ulonglong,
        pub dictID: c_uint,
        pub blockChecksumFlag: c_uint,
    }

    /// `LZ4F_preferences_t`.
    #[repr(C)]
    #[derive(Debug, Clone, Copy, Default)]
    pub struct LZ4F_preferences_t {
        pub frameInfo: LZ4F_frameInfo_t,
        pub compressionLevel: c_int,
        pub autoFlush: c_uint,
        pub favorDecSpeed: c_uint,
        pub reserved: [c_uint; 3],
    }

    /// `LZ4F_compressOptions_t`.
    #[repr(C)]
    #[derive(Debug, Clone, Copy, Default)]
    pub struct LZ4F_compressOptions_t {
        pub stableSrc: c_uint,
        pub reserved: [c_uint; 3],
    }

    /// `LZ4F_decompressOptions_t`.
    #[repr(C)]
    #[derive(Debug, Clone, Copy, Default)]
    pub struct LZ4F_decompressOptions_t {
        pub stableDst: c_uint,
        pub skipChecksums: c_uint,
        pub reserved1: c_uint,
        pub reserved0: c_uint,
    }

    /// Opaque `LZ4F_cctx`.
    #[repr(C)]
    pub struct LZ4F_cctx {
        _private: [u8; 0],
    }
    /// Opaque `LZ4F_dctx`.
    #[repr(C)]
    pub struct LZ4F_dctx {
        _private: [u8; 0],
    }
    /// Opaque `LZ4F_CDict`.
    #[repr(C)]
    pub struct LZ4F_CDict {
        _private: [u8; 0],
    }
    /// Opaque `LZ4_stream_t`.
    #[repr(C)]
    pub struct LZ4_stream_t {
        _private: [u8; 0],
    }
    /// Opaque `LZ4_streamHC_t`.
    #[repr(C)]
    pub struct LZ4_streamHC_t {
        _private: [u8; 0],
    }

    extern "C" {
        pub fn LZ4F_isError(code: usize) -> c_uint;
        pub fn LZ4F_getErrorName(code: usize) -> *const c_char;
        pub fn LZ4F_createCompressionContext(cctx: *mut *mut LZ4F_cctx, version: c_uint) -> usize;
        pub fn LZ4F_freeCompressionContext(cctx: *mut LZ4F_cctx) -> usize;
        pub fn LZ4F_createDecompressionContext(dctx: *mut *mut LZ4F_dctx, version: c_uint)
            -> usize;
        pub fn LZ4F_freeDecompressionContext(dctx: *mut LZ4F_dctx) -> usize;
        pub fn LZ4F_compressFrameBound(srcSize: usize, prefs: *const LZ4F_preferences_t) -> usize;
        pub fn LZ4F_compressFrame_usingCDict(
            cctx: *mut LZ4F_cctx,
            dst: *mut c_void,
            dstCapacity: usize,
            src: *const c_void,
            srcSize: usize,
            cdict: *const LZ4F_CDict,
            prefs: *const LZ4F_preferences_t,
        ) -> usize;
        pub fn LZ4F_compressBegin(
            cctx: *mut LZ4F_cctx,
            dstBuffer: *mut c_void,
            dstCapacity: usize,
            prefs: *const LZ4F_preferences_t,
        ) -> usize;
        pub fn LZ4F_compressBound(srcSize: usize, prefs: *const LZ4F_preferences_t) -> usize;
        pub fn LZ4F_compressUpdate(
            cctx: *mut LZ4F_cctx,
            dstBuffer: *mut c_void,
            dstCapacity: usize,
            srcBuffer: *const c_void,
            srcSize: usize,
            opts: *const LZ4F_compressOptions_t,
        ) -> usize;
        pub fn LZ4F_flush(
            cctx: *mut LZ4F_cctx,
            dstBuffer: *mut c_void,
            dstCapacity: usize,
            opts: *const LZ4F_compressOptions_t,
        ) -> usize;
        pub fn LZ4F_compressEnd(
            cctx: *mut LZ4F_cctx,
            dstBuffer: *mut c_void,
            dstCapacity: usize,
            opts: *const LZ4F_compressOptions_t,
        ) -> usize;
        pub fn LZ4F_decompress(
            dctx: *mut LZ4F_dctx,
            dstBuffer: *mut c_void,
            dstSizePtr: *mut usize,
            srcBuffer: *const c_void,
            srcSizePtr: *mut usize,
            opts: *const LZ4F_decompressOptions_t,
        ) -> usize;
        pub fn LZ4F_resetDecompressionContext(dctx: *mut LZ4F_dctx);

        pub fn LZ4_compressBound(inputSize: c_int) -> c_int;
        pub fn LZ4_createStream() -> *mut LZ4_stream_t;
        pub fn LZ4_freeStream(stream: *mut LZ4_stream_t) -> c_int;
        pub fn LZ4_compress_fast_extState(
            state: *mut c_void,
            src: *const c_char,
            dst: *mut c_char,
            srcSize: c_int,
            dstCapacity: c_int,
            acceleration: c_int,
        ) -> c_int;
        pub fn LZ4_createStreamHC() -> *mut LZ4_streamHC_t;
        pub fn LZ4_freeStreamHC(stream: *mut LZ4_streamHC_t) -> c_int;
        pub fn LZ4_compress_HC_extStateHC(
            state: *mut c_void,
            src: *const c_char,
            dst: *mut c_char,
            srcSize: c_int,
            dstCapacity: c_int,
            compressionLevel: c_int,
        ) -> c_int;
        pub fn LZ4_decompress_safe(
            src: *const c_char,
            dst: *mut c_char,
            compressedSize: c_int,
            dstCapacity: c_int,
        ) -> c_int;
        pub fn LZ4_loadDict(
            stream: *mut LZ4_stream_t,
            dictionary: *const c_char,
            dictSize: c_int,
        ) -> c_int;
        pub fn LZ4_compress_fast_continue(
            stream: *mut LZ4_stream_t,
            src: *const c_char,
            dst: *mut c_char,
            srcSize: c_int,
            dstCapacity: c_int,
            acceleration: c_int,
        ) -> c_int;
        pub fn LZ4_setCompressionLevel(stream: *mut LZ4_streamHC_t, compressionLevel: c_int);
        pub fn LZ4_loadDictHC(
            stream: *mut LZ4_streamHC_t,
            dictionary: *const c_char,
            dictSize: c_int,
        ) -> c_int;
        pub fn LZ4_compress_HC_continue(
            stream: *mut LZ4_streamHC_t,
            src: *const c_char,
            dst: *mut c_char,
            srcSize: c_int,
            dstCapacity: c_int,
        ) -> c_int;
        pub fn LZ4_decompress_safe_usingDict(
            src: *const c_char,
            dst: *mut c_char,
            compressedSize: c_int,
            dstCapacity: c_int,
            dictStart: *const c_char,
            dictSize: c_int,
        ) -> c_int;
    }
}

// `LZ4F_errorCodes` (lz4frame.h, LZ4F_STATIC_LINKING_ONLY), compared as integers.
const E_MAX_BLOCK_SIZE_INVALID: usize = 2;
const E_PARAMETER_INVALID: usize = 4;
const E_COMPRESSION_LEVEL_INVALID: usize = 5;
const E_ALLOCATION_FAILED: usize = 9;
const E_SRC_SIZE_TOO_LARGE: usize = 10;
const E_DST_MAX_SIZE_TOO_SMALL: usize = 11;
const E_FRAME_HEADER_INCOMPLETE: usize = 12;

/// lz4frame's fastest level: acceleration 65537 (`LZ4_ACCELERATION_MAX`).
const MIN_LEVEL: i32 = -65_536;
/// LZ4HC's strongest level (`LZ4HC_CLEVEL_MAX`).
const MAX_LEVEL: i32 = 12;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Compress,
    Decompress,
}

fn is_error(ret: usize) -> bool {
    // SAFETY: pure function of its argument.
    unsafe { ffi::LZ4F_isError(ret) != 0 }
}

#[cold]
fn lz4f_error(ret: usize, dir: Dir) -> Error {
    // SAFETY: LZ4F_getErrorName returns a static NUL-terminated string for any code.
    let message = unsafe { CStr::from_ptr(ffi::LZ4F_getErrorName(ret)) }
        .to_string_lossy()
        .into_owned();
    // lz4frame encodes error `e` as `(size_t)-e`.
    let code = 0usize.wrapping_sub(ret);
    let kind = match (code, dir) {
        (E_ALLOCATION_FAILED, _) => ErrorKind::OutOfMemory,
        (E_DST_MAX_SIZE_TOO_SMALL, Dir::Compress) => ErrorKind::OutputTooSmall,
        (E_DST_MAX_SIZE_TOO_SMALL, Dir::Decompress) => ErrorKind::OutputLimit,
        (E_FRAME_HEADER_INCOMPLETE, Dir::Decompress) => ErrorKind::Truncated,
        (E_MAX_BLOCK_SIZE_INVALID, Dir::Decompress) => ErrorKind::Corrupt,
        (
            E_MAX_BLOCK_SIZE_INVALID
            | E_PARAMETER_INVALID
            | E_COMPRESSION_LEVEL_INVALID
            | E_SRC_SIZE_TOO_LARGE,
            _,
        ) => ErrorKind::InvalidArgument,
        (_, Dir::Decompress) => ErrorKind::Corrupt,
        (_, Dir::Compress) => ErrorKind::Other,
    };
    Error::new(kind, NAME, message).with_code(code as i64)
}

fn check(ret: usize, dir: Dir) -> Result<usize> {
    if is_error(ret) {
        Err(lz4f_error(ret, dir))
    } else {
        Ok(ret)
    }
}

fn levels(default: i32) -> Levels {
    Levels {
        min: MIN_LEVEL,
        max: MAX_LEVEL,
        default,
    }
}

/// Preferences of our frames: content checksum on, 64 KiB linked blocks, and the
/// content size when known (one-shot).
fn preferences(level: i32, content_size: Option<usize>) -> ffi::LZ4F_preferences_t {
    ffi::LZ4F_preferences_t {
        frameInfo: ffi::LZ4F_frameInfo_t {
            contentChecksumFlag: 1,
            contentSize: content_size.map_or(0, |n| n as c_ulonglong),
            ..Default::default()
        },
        compressionLevel: level,
        ..Default::default()
    }
}

/// An owned `LZ4F_cctx`.
struct CCtx(NonNull<ffi::LZ4F_cctx>);

impl CCtx {
    fn new() -> Result<CCtx> {
        let mut ctx = ptr::null_mut();
        // SAFETY: `ctx` is a valid out-pointer.
        let ret = unsafe { ffi::LZ4F_createCompressionContext(&mut ctx, ffi::LZ4F_VERSION) };
        check(ret, Dir::Compress)?;
        NonNull::new(ctx).map(CCtx).ok_or_else(|| {
            Error::new(
                ErrorKind::OutOfMemory,
                NAME,
                "LZ4F_createCompressionContext",
            )
        })
    }
}

impl Drop for CCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context; freed exactly once.
        unsafe { ffi::LZ4F_freeCompressionContext(self.0.as_ptr()) };
    }
}

/// An owned `LZ4F_dctx`.
struct DCtx(NonNull<ffi::LZ4F_dctx>);

impl DCtx {
    fn new() -> Result<DCtx> {
        let mut ctx = ptr::null_mut();
        // SAFETY: `ctx` is a valid out-pointer.
        let ret = unsafe { ffi::LZ4F_createDecompressionContext(&mut ctx, ffi::LZ4F_VERSION) };
        check(ret, Dir::Decompress)?;
        NonNull::new(ctx).map(DCtx).ok_or_else(|| {
            Error::new(
                ErrorKind::OutOfMemory,
                NAME,
                "LZ4F_createDecompressionContext",
            )
        })
    }

    fn reset(&mut self) {
        // SAFETY: the context is live; always succeeds.
        unsafe { ffi::LZ4F_resetDecompressionContext(self.0.as_ptr()) };
    }

    /// One `LZ4F_decompress` call: `(consumed, written, hint)`; resets the context on
    /// error, as lz4frame requires before reuse.
    fn step(
        &mut self,
        src: &[u8],
        dst: *mut c_void,
        dst_len: usize,
    ) -> Result<(usize, usize, usize)> {
        let mut src_size = src.len();
        let mut dst_size = dst_len;
        let opts = ffi::LZ4F_decompressOptions_t::default();
        // SAFETY: the context is live and ours; `src` is readable for `src_size` bytes and
        // the caller guarantees `dst` writable for `dst_len`; lz4frame stays within both.
        let ret = unsafe {
            ffi::LZ4F_decompress(
                self.0.as_ptr(),
                dst,
                &mut dst_size,
                src.as_ptr().cast(),
                &mut src_size,
                &opts,
            )
        };
        if is_error(ret) {
            self.reset();
            return Err(lz4f_error(ret, Dir::Decompress));
        }
        Ok((src_size, dst_size, ret))
    }
}

impl Drop for DCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context; freed exactly once.
        unsafe { ffi::LZ4F_freeDecompressionContext(self.0.as_ptr()) };
    }
}

// SAFETY: lz4frame contexts hold no thread-local state and may move between threads;
// lz4frame.h requires only that one context is not used by two threads at once, which
// `&mut self` on every use guarantees. Not `Sync`.
unsafe impl Send for CCtx {}
// SAFETY: as for `CCtx`.
unsafe impl Send for DCtx {}

/// `LZ4F_MAGICNUMBER`.
const FRAME_MAGIC: u32 = 0x184D_2204;

/// The LZ4 frame format (what the `lz4` CLI reads and writes), content checksum on.
///
/// ```
/// use arsenal_compress::backend::lz4::Lz4;
/// use arsenal_compress::{Codec, Compress, Decompress};
///
/// let mut lz4 = Lz4::with_level(9)?; // LZ4HC
/// let data = b"lz4 lz4 lz4 lz4 lz4 lz4 lz4 lz4".repeat(100);
/// let packed = lz4.compress(&data)?;
/// assert_eq!(lz4.decompressed_size(&packed)?, Some(data.len() as u64));
/// assert_eq!(lz4.decompress(&packed, 1 << 20)?, data);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub struct Lz4 {
    level: i32,
    cctx: CCtx,
    dctx: DCtx,
}

impl Lz4 {
    /// The default level (0: the fast compressor).
    pub const DEFAULT_LEVEL: i32 = 0;
}

impl Default for Lz4 {
    /// Level 0.
    ///
    /// # Panics
    ///
    /// If lz4 cannot allocate its contexts.
    fn default() -> Self {
        Lz4::with_level(Self::DEFAULT_LEVEL).expect("lz4: allocating contexts failed")
    }
}

impl std::fmt::Debug for Lz4 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lz4").field("level", &self.level).finish()
    }
}

impl sealed::Sealed for Lz4 {}

impl Compress for Lz4 {
    fn name(&self) -> &'static str {
        NAME
    }

    fn level(&self) -> i32 {
        self.level
    }

    fn compress_bound(&self, src_len: usize) -> Result<usize> {
        let prefs = preferences(self.level, Some(src_len));
        // SAFETY: `prefs` is a valid preferences struct.
        let bound = unsafe { ffi::LZ4F_compressFrameBound(src_len, &prefs) };
        check(bound, Dir::Compress)
    }

    fn compress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        let prefs = preferences(self.level, Some(src.len()));
        // SAFETY: the context is live and ours; `src` is readable and `dst` writable for
        // their lengths; a NULL CDict means no dictionary; lz4frame refuses a `dst`
        // below its bound instead of overrunning it.
        let ret = unsafe {
            ffi::LZ4F_compressFrame_usingCDict(
                self.cctx.0.as_ptr(),
                dst.as_mut_ptr().cast(),
                dst.len(),
                src.as_ptr().cast(),
                src.len(),
                ptr::null(),
                &prefs,
            )
        };
        check(ret, Dir::Compress)
    }
}

impl Decompress for Lz4 {
    fn name(&self) -> &'static str {
        NAME
    }

    /// The content size of the first frame's header (parsed here: `LZ4F_getFrameInfo`
    /// would need the mutable context); `None` when the frame does not record it or for
    /// a skippable frame.
    fn decompressed_size(&self, src: &[u8]) -> Result<Option<u64>> {
        let truncated = || {
            Error::new(
                ErrorKind::Truncated,
                NAME,
                "input ends inside the frame header",
            )
        };
        let magic = u32::from_le_bytes(
            src.get(..4)
                .ok_or_else(truncated)?
                .try_into()
                .expect("4 bytes"),
        );
        if magic & 0xFFFF_FFF0 == 0x184D_2A50 {
            return Ok(None); // skippable frame
        }
        if magic != FRAME_MAGIC {
            return Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                "not an LZ4 frame (bad magic number)",
            ));
        }
        let flg = *src.get(4).ok_or_else(truncated)?;
        if flg >> 6 != 1 {
            return Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                "unsupported frame version",
            ));
        }
        if flg & 0x08 == 0 {
            return Ok(None);
        }
        let size = src.get(6..14).ok_or_else(truncated)?;
        Ok(Some(u64::from_le_bytes(size.try_into().expect("8 bytes"))))
    }

    fn decompress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        if src.is_empty() {
            return Err(Error::new(ErrorKind::Truncated, NAME, "empty input"));
        }
        self.dctx.reset();
        let (mut pos_in, mut pos_out) = (0usize, 0usize);
        loop {
            let room = dst.len() - pos_out;
            // SAFETY: `pos_out <= dst.len()`, so the pointer stays in (or one past the
            // end of) `dst`, with `room` writable bytes after it.
            let out = unsafe { dst.as_mut_ptr().add(pos_out) }.cast::<c_void>();
            let (consumed, written, hint) = self.dctx.step(&src[pos_in..], out, room)?;
            pos_in += consumed;
            pos_out += written;
            if hint == 0 {
                if pos_in == src.len() {
                    return Ok(pos_out);
                }
                continue; // another frame follows
            }
            if pos_out == dst.len() {
                self.dctx.reset();
                return Err(Error::new(
                    ErrorKind::OutputLimit,
                    NAME,
                    "output does not fit",
                ));
            }
            if pos_in == src.len() {
                self.dctx.reset();
                return Err(Error::new(
                    ErrorKind::Truncated,
                    NAME,
                    "input ends inside a frame",
                ));
            }
            if consumed == 0 && written == 0 {
                self.dctx.reset();
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    NAME,
                    "decoder made no progress",
                ));
            }
        }
    }
}

impl Codec for Lz4 {
    fn with_level(level: i32) -> Result<Self> {
        let level = levels(Self::DEFAULT_LEVEL).check(NAME, level)?;
        Ok(Lz4 {
            level,
            cctx: CCtx::new()?,
            dctx: DCtx::new()?,
        })
    }

    fn levels(&self) -> Levels {
        levels(Self::DEFAULT_LEVEL)
    }
}

impl Streaming for Lz4 {
    type Encoder = Lz4Encoder;
    type Decoder = Lz4Decoder;

    fn encoder(&self) -> Result<Lz4Encoder> {
        Ok(Lz4Encoder {
            cctx: CCtx::new()?,
            prefs: preferences(self.level, None),
            staged: Vec::new(),
            staged_pos: 0,
            started: false,
            ended: false,
        })
    }

    fn decoder(&self) -> Result<Lz4Decoder> {
        Ok(Lz4Decoder { dctx: DCtx::new()? })
    }
}

/// Input taken per `LZ4F_compressUpdate` call.
const ENCODE_CHUNK: usize = 64 * 1024;

/// Step-wise LZ4 frame compression (`LZ4F_compressBegin`/`Update`/`Flush`/`End`; no
/// content size, checksum on). lz4frame needs worst-case room for every call, so output
/// is staged internally and drained into the caller's buffers of any size. Made by
/// [`Streaming::encoder`].
///
/// ```
/// use std::io::Write;
/// use arsenal_compress::backend::lz4::Lz4;
/// use arsenal_compress::{Decompress, Streaming};
///
/// let lz4 = Lz4::default();
/// let mut w = lz4.writer(Vec::new())?;
/// w.write_all(b"streamed lz4")?;
/// let packed = w.finish()?;
/// assert_eq!(Lz4::default().decompress(&packed, 100)?, b"streamed lz4");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Lz4Encoder {
    cctx: CCtx,
    prefs: ffi::LZ4F_preferences_t,
    staged: Vec<u8>,
    staged_pos: usize,
    started: bool,
    ended: bool,
}

impl std::fmt::Debug for Lz4Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lz4Encoder")
            .field("level", &self.prefs.compressionLevel)
            .finish_non_exhaustive()
    }
}

impl Lz4Encoder {
    fn drain(&mut self, output: &mut [u8]) -> usize {
        let n = (self.staged.len() - self.staged_pos).min(output.len());
        output[..n].copy_from_slice(&self.staged[self.staged_pos..self.staged_pos + n]);
        self.staged_pos += n;
        if self.staged_pos == self.staged.len() {
            self.staged.clear();
            self.staged_pos = 0;
        }
        n
    }

    /// Appends what `call(dst, capacity)` writes (at most `room`) to the staged output.
    fn stage(&mut self, room: usize, call: impl FnOnce(*mut c_void, usize) -> usize) -> Result<()> {
        let start = self.staged.len();
        self.staged.reserve(room);
        let spare = &mut self.staged.spare_capacity_mut()[..room];
        let n = check(call(spare.as_mut_ptr().cast(), room), Dir::Compress)?;
        assert!(n <= room, "lz4frame reported more output than its buffer");
        // SAFETY: lz4frame initialised the first `n` (≤ room) spare bytes.
        unsafe { self.staged.set_len(start + n) };
        Ok(())
    }

    fn begin(&mut self) -> Result<()> {
        if !self.started {
            let (ctx, prefs) = (self.cctx.0.as_ptr(), self.prefs);
            // SAFETY: the context is live and ours; `dst` is writable for `cap` bytes.
            self.stage(ffi::LZ4F_HEADER_SIZE_MAX, |dst, cap| unsafe {
                ffi::LZ4F_compressBegin(ctx, dst, cap, &prefs)
            })?;
            self.started = true;
        }
        Ok(())
    }

    fn bound(&self, src_len: usize) -> usize {
        // SAFETY: `prefs` is a valid preferences struct.
        unsafe { ffi::LZ4F_compressBound(src_len, &self.prefs) }
    }
}

impl sealed::Sealed for Lz4Encoder {}

impl StreamEncoder for Lz4Encoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn encode(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize)> {
        if self.ended {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                NAME,
                "encode after finish (call reset)",
            ));
        }
        let mut written = self.drain(output);
        if !self.staged.is_empty() {
            // Still draining earlier output (and `written > 0`: progress).
            return Ok((0, written));
        }
        self.begin()?;
        let take = input.len().min(ENCODE_CHUNK);
        let room = self.bound(take);
        let ctx = self.cctx.0.as_ptr();
        let opts = ffi::LZ4F_compressOptions_t::default();
        // SAFETY: the context is live and ours; `dst` is writable for `cap` ≥
        // LZ4F_compressBound(take) bytes; `input[..take]` is readable.
        self.stage(room, |dst, cap| unsafe {
            ffi::LZ4F_compressUpdate(ctx, dst, cap, input.as_ptr().cast(), take, &opts)
        })?;
        written += self.drain(&mut output[written..]);
        Ok((take, written))
    }

    fn flush(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        let mut written = self.drain(output);
        if !self.staged.is_empty() || self.ended {
            return Ok((written, self.staged.is_empty()));
        }
        self.begin()?;
        let room = self.bound(0);
        let ctx = self.cctx.0.as_ptr();
        let opts = ffi::LZ4F_compressOptions_t::default();
        // SAFETY: the context is live and ours; `dst` is writable for `cap` bytes, the
        // bound for flushing everything buffered.
        self.stage(room, |dst, cap| unsafe {
            ffi::LZ4F_flush(ctx, dst, cap, &opts)
        })?;
        written += self.drain(&mut output[written..]);
        Ok((written, self.staged.is_empty()))
    }

    fn finish(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        let mut written = self.drain(output);
        if !self.staged.is_empty() || self.ended {
            return Ok((written, self.staged.is_empty()));
        }
        self.begin()?;
        let room = self.bound(0);
        let ctx = self.cctx.0.as_ptr();
        let opts = ffi::LZ4F_compressOptions_t::default();
        // SAFETY: as in `flush`; the bound covers the end mark and checksum.
        self.stage(room, |dst, cap| unsafe {
            ffi::LZ4F_compressEnd(ctx, dst, cap, &opts)
        })?;
        self.ended = true;
        written += self.drain(&mut output[written..]);
        Ok((written, self.staged.is_empty()))
    }

    fn reset(&mut self) -> Result<()> {
        // LZ4F_compressBegin restarts the context for the next frame.
        self.staged.clear();
        self.staged_pos = 0;
        self.started = false;
        self.ended = false;
        Ok(())
    }
}

/// Step-wise LZ4 frame decompression over `LZ4F_decompress`; `frame_done` when the frame
/// (and its checksum) is complete. Made by [`Streaming::decoder`].
///
/// ```
/// use std::io::Read;
/// use arsenal_compress::backend::lz4::Lz4;
/// use arsenal_compress::{Compress, Streaming};
///
/// let mut lz4 = Lz4::default();
/// let packed = lz4.compress(b"read me")?;
/// let mut out = Vec::new();
/// lz4.reader(&packed[..], 100)?.read_to_end(&mut out)?;
/// assert_eq!(out, b"read me");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Lz4Decoder {
    dctx: DCtx,
}

impl std::fmt::Debug for Lz4Decoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lz4Decoder").finish_non_exhaustive()
    }
}

impl sealed::Sealed for Lz4Decoder {}

impl StreamDecoder for Lz4Decoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<DecodeStep> {
        let mut step = DecodeStep::default();
        // lz4frame may spend a call on internal staging; a few calls always progress.
        for _ in 0..4 {
            let out = output[step.written..].as_mut_ptr().cast::<c_void>();
            let room = output.len() - step.written;
            let (consumed, written, hint) = self.dctx.step(&input[step.consumed..], out, room)?;
            step.consumed += consumed;
            step.written += written;
            if hint == 0 {
                step.frame_done = true;
                break;
            }
            if step.consumed + step.written > 0 || step.consumed == input.len() {
                break;
            }
        }
        Ok(step)
    }

    fn reset(&mut self) -> Result<()> {
        self.dctx.reset();
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Block format.

/// `LZ4_minLength` (`MFLIMIT + 1`): shorter inputs are all literals.
const LZ4_MIN_LENGTH: usize = 13;

/// A reusable fast or HC compression state for [`Lz4Block`].
enum BlockState {
    Fast(NonNull<ffi::LZ4_stream_t>, c_int),
    Hc(NonNull<ffi::LZ4_streamHC_t>, c_int),
}

impl Drop for BlockState {
    fn drop(&mut self) {
        // SAFETY: we own the state; freed exactly once.
        unsafe {
            match self {
                BlockState::Fast(s, _) => ffi::LZ4_freeStream(s.as_ptr()),
                BlockState::Hc(s, _) => ffi::LZ4_freeStreamHC(s.as_ptr()),
            };
        }
    }
}

// SAFETY: the states are plain memory without thread affinity; `&mut self` on use
// ensures one thread at a time (lz4.h: a state must not be shared between concurrent
// compressions). Not `Sync`.
unsafe impl Send for BlockState {}

/// One raw LZ4 block behind a 4-byte little-endian uncompressed-size prefix (as
/// `lz4_flex::compress_prepend_size` and python-lz4's `store_size`); no checksum.
///
/// ```
/// use arsenal_compress::backend::lz4::Lz4Block;
/// use arsenal_compress::{Codec, Compress, Decompress};
///
/// let mut block = Lz4Block::with_level(1)?;
/// let data = b"block block block block block".repeat(10);
/// let packed = block.compress(&data)?;
/// assert_eq!(&packed[..4], &(data.len() as u32).to_le_bytes());
/// assert_eq!(block.decompress(&packed, data.len())?, data);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub struct Lz4Block {
    level: i32,
    state: BlockState,
    /// The last 64 KiB of the dictionary (all that LZ4 offsets can reach).
    dict: Option<Box<[u8]>>,
}

impl Lz4Block {
    /// The default level (1: `LZ4_compress_default`).
    pub const DEFAULT_LEVEL: i32 = 1;
}

impl Default for Lz4Block {
    /// Level 1.
    ///
    /// # Panics
    ///
    /// If lz4 cannot allocate its state.
    fn default() -> Self {
        Lz4Block::with_level(Self::DEFAULT_LEVEL).expect("lz4: allocating state failed")
    }
}

impl std::fmt::Debug for Lz4Block {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lz4Block")
            .field("level", &self.level)
            .field("dictionary", &self.dict.as_ref().map(|d| d.len()))
            .finish()
    }
}

fn too_large(len: usize) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        NAME,
        format!(
            "{len} bytes exceed LZ4_MAX_INPUT_SIZE ({})",
            ffi::LZ4_MAX_INPUT_SIZE
        ),
    )
}

impl sealed::Sealed for Lz4Block {}

impl Compress for Lz4Block {
    fn name(&self) -> &'static str {
        NAME
    }

    fn level(&self) -> i32 {
        self.level
    }

    fn compress_bound(&self, src_len: usize) -> Result<usize> {
        if src_len > ffi::LZ4_MAX_INPUT_SIZE {
            return Err(too_large(src_len));
        }
        // SAFETY: pure function; the argument is ≤ LZ4_MAX_INPUT_SIZE so fits in c_int.
        Ok(4 + unsafe { ffi::LZ4_compressBound(src_len as c_int) } as usize)
    }

    fn compress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        if src.len() > ffi::LZ4_MAX_INPUT_SIZE {
            return Err(too_large(src.len()));
        }
        if dst.len() < 4 {
            return Err(Error::new(
                ErrorKind::OutputTooSmall,
                NAME,
                "destination too small",
            ));
        }
        for (d, s) in dst.iter_mut().zip((src.len() as u32).to_le_bytes()) {
            d.write(s);
        }
        let body = &mut dst[4..];
        if src.len() < LZ4_MIN_LENGTH {
            // lz4 stores inputs this short as one literal run (a token, then the bytes);
            // written here because LZ4HC's optimal parser computes `end - 12` on its input
            // pointer, which wraps for the dangling pointer of an empty slice.
            if body.len() < 1 + src.len() {
                return Err(Error::new(
                    ErrorKind::OutputTooSmall,
                    NAME,
                    "destination too small",
                ));
            }
            body[0].write((src.len() as u8) << 4);
            for (d, s) in body[1..].iter_mut().zip(src) {
                d.write(*s);
            }
            return Ok(4 + 1 + src.len());
        }
        let cap = c_int::try_from(body.len()).unwrap_or(c_int::MAX);
        let (sp, dp, n) = (
            src.as_ptr().cast::<c_char>(),
            body.as_mut_ptr().cast::<c_char>(),
            src.len() as c_int,
        );
        if let Some(dict) = &self.dict {
            let (dp_dict, dict_len) = (dict.as_ptr().cast::<c_char>(), dict.len() as c_int);
            // SAFETY: as below; in addition `dict` (≤ 64 KiB) stays alive and unmoved
            // for the whole call (loading it resets the stream, so every call starts
            // afresh from the dictionary).
            let ret = unsafe {
                match &self.state {
                    BlockState::Fast(s, accel) => {
                        ffi::LZ4_loadDict(s.as_ptr(), dp_dict, dict_len);
                        ffi::LZ4_compress_fast_continue(s.as_ptr(), sp, dp, n, cap, *accel)
                    }
                    BlockState::Hc(s, level) => {
                        ffi::LZ4_setCompressionLevel(s.as_ptr(), *level);
                        ffi::LZ4_loadDictHC(s.as_ptr(), dp_dict, dict_len);
                        ffi::LZ4_compress_HC_continue(s.as_ptr(), sp, dp, n, cap)
                    }
                }
            };
            if ret <= 0 {
                return Err(Error::new(
                    ErrorKind::OutputTooSmall,
                    NAME,
                    "destination too small",
                ));
            }
            return Ok(4 + ret as usize);
        }
        // SAFETY: the state is live and ours, sized by LZ4_createStream(HC); `src` is
        // readable for `n` bytes and `body` writable for `cap` (≤ its length); lz4
        // returns 0 instead of writing past `cap`.
        let ret = unsafe {
            match &self.state {
                BlockState::Fast(s, accel) => {
                    ffi::LZ4_compress_fast_extState(s.as_ptr().cast(), sp, dp, n, cap, *accel)
                }
                BlockState::Hc(s, level) => {
                    ffi::LZ4_compress_HC_extStateHC(s.as_ptr().cast(), sp, dp, n, cap, *level)
                }
            }
        };
        if ret <= 0 {
            return Err(Error::new(
                ErrorKind::OutputTooSmall,
                NAME,
                "destination too small",
            ));
        }
        Ok(4 + ret as usize)
    }
}

impl Decompress for Lz4Block {
    fn name(&self) -> &'static str {
        NAME
    }

    /// The 4-byte size prefix.
    /// A sequence adds at most 255 output bytes per input byte (match-length
    /// extension bytes), plus a few for the last literals.
    fn max_decompressed_len(&self, src_len: usize) -> Option<u64> {
        Some((src_len as u64).saturating_mul(255).saturating_add(64))
    }

    fn decompressed_size(&self, src: &[u8]) -> Result<Option<u64>> {
        let prefix = src.get(..4).ok_or_else(|| {
            Error::new(
                ErrorKind::Truncated,
                NAME,
                "input shorter than the size prefix",
            )
        })?;
        Ok(Some(u64::from(u32::from_le_bytes(
            prefix.try_into().expect("4 bytes"),
        ))))
    }

    fn decompress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        let n = self.decompressed_size(src)?.unwrap_or(0) as usize;
        if n > dst.len() {
            return Err(Error::new(
                ErrorKind::OutputLimit,
                NAME,
                format!("prefix records {n} bytes, room for {}", dst.len()),
            ));
        }
        let body = &src[4..];
        let (Ok(body_len), Ok(out_len)) = (c_int::try_from(body.len()), c_int::try_from(n)) else {
            return Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                "block larger than lz4 allows",
            ));
        };
        let ret = match &self.dict {
            // SAFETY: `body` is readable for `body_len` bytes, `dst` writable for `n` (≤
            // its length) and `dict` readable; the decoder never reads or writes outside
            // them (back-references before the output resolve into `dict` or fail).
            Some(dict) => unsafe {
                ffi::LZ4_decompress_safe_usingDict(
                    body.as_ptr().cast(),
                    dst.as_mut_ptr().cast(),
                    body_len,
                    out_len,
                    dict.as_ptr().cast(),
                    dict.len() as c_int,
                )
            },
            // SAFETY: `body` is readable for `body_len` bytes and `dst` writable for `n`
            // (≤ its length); LZ4_decompress_safe never reads or writes outside them.
            None => unsafe {
                ffi::LZ4_decompress_safe(
                    body.as_ptr().cast(),
                    dst.as_mut_ptr().cast(),
                    body_len,
                    out_len,
                )
            },
        };
        if ret < 0 {
            return Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                "LZ4_decompress_safe: malformed block",
            )
            .with_code(i64::from(ret)));
        }
        if ret != out_len {
            return Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                "block size differs from its prefix",
            ));
        }
        Ok(n)
    }
}

impl WithDictionary for Lz4Block {
    /// Compresses each block as if `dictionary` preceded it (`LZ4_loadDict` +
    /// `LZ4_compress_fast_continue`, or `LZ4_loadDictHC` + `LZ4_compress_HC_continue`,
    /// from a fresh state every call) and decompresses with
    /// `LZ4_decompress_safe_usingDict`. Only the last 64 KiB of `dictionary` can be
    /// referenced, so only they are kept.
    ///
    /// ```
    /// use arsenal_compress::backend::lz4::Lz4Block;
    /// use arsenal_compress::{Compress, Decompress, WithDictionary};
    ///
    /// let dict = br#"{"name":"","email":"@example.com","admin":false,"groups":[]}"#;
    /// let mut lz4 = Lz4Block::with_dictionary(1, dict)?;
    /// let msg = br#"{"name":"ann","email":"ann@example.com","admin":false,"groups":[]}"#;
    /// let packed = lz4.compress(msg)?;
    /// assert!(packed.len() < msg.len());
    /// assert_eq!(lz4.decompress(&packed, 100)?, msg);
    /// # Ok::<(), arsenal_compress::Error>(())
    /// ```
    fn with_dictionary(level: i32, dictionary: &[u8]) -> Result<Self> {
        let mut codec = Lz4Block::with_level(level)?;
        let keep = dictionary.len().min(64 * 1024);
        codec.dict = Some(dictionary[dictionary.len() - keep..].into());
        Ok(codec)
    }
}

impl Codec for Lz4Block {
    fn with_level(level: i32) -> Result<Self> {
        let level = levels(Self::DEFAULT_LEVEL).check(NAME, level)?;
        let state = if level >= 2 {
            // SAFETY: no preconditions; NULL means allocation failure.
            let s = NonNull::new(unsafe { ffi::LZ4_createStreamHC() });
            BlockState::Hc(
                s.ok_or_else(|| Error::new(ErrorKind::OutOfMemory, NAME, "LZ4_createStreamHC"))?,
                level,
            )
        } else {
            // SAFETY: as above.
            let s = NonNull::new(unsafe { ffi::LZ4_createStream() });
            let accel = if level < 0 { 1 - level } else { 1 };
            BlockState::Fast(
                s.ok_or_else(|| Error::new(ErrorKind::OutOfMemory, NAME, "LZ4_createStream"))?,
                accel,
            )
        };
        Ok(Lz4Block {
            level,
            state,
            dict: None,
        })
    }

    fn levels(&self) -> Levels {
        levels(Self::DEFAULT_LEVEL)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::testutil::{
        assert_reader_over_limit, assert_truncations_fail, encode_with_tiny_output, read_error,
        read_in_chunks, run_tool, text, write_in_chunks, xorshift,
    };

    fn inputs() -> Vec<Vec<u8>> {
        vec![Vec::new(), vec![9], xorshift(100_000, 13), text(1 << 20)]
    }

    #[test]
    fn frame_round_trip_at_levels() {
        for level in [MIN_LEVEL, -3, 0, 3, 9, MAX_LEVEL] {
            let mut lz4 = Lz4::with_level(level).unwrap();
            for data in inputs() {
                let packed = lz4.compress(&data).unwrap();
                assert!(packed.len() <= lz4.compress_bound(data.len()).unwrap());
                // lz4frame writes no size for empty content (0 means "unknown").
                let expected = (!data.is_empty()).then_some(data.len() as u64);
                assert_eq!(lz4.decompressed_size(&packed).unwrap(), expected);
                assert_eq!(
                    lz4.decompress(&packed, data.len()).unwrap(),
                    data,
                    "level {level}"
                );
                if data.len() == 1 << 20 && level >= 0 {
                    assert!(
                        packed.len() < data.len() / 4,
                        "level {level}: {}",
                        packed.len()
                    );
                }
            }
        }
        assert_eq!(
            Lz4::with_level(13).unwrap_err().kind(),
            ErrorKind::InvalidLevel
        );
        assert_eq!(
            Lz4::with_level(MIN_LEVEL - 1).unwrap_err().kind(),
            ErrorKind::InvalidLevel
        );
        let mut lz4 = Lz4::default();
        let mut small = [0u8; 20];
        assert_eq!(
            lz4.compress_into(&text(1000), &mut small)
                .unwrap_err()
                .kind(),
            ErrorKind::OutputTooSmall
        );
    }

    #[test]
    fn frame_corrupt_truncated_and_limit() {
        let mut lz4 = Lz4::default();
        let data = text(5000);
        let packed = lz4.compress(&data).unwrap();
        assert_truncations_fail(&mut lz4, &packed, "lz4 frame");
        assert_eq!(
            lz4.decompress(&packed[..packed.len() - 1], 1 << 20)
                .unwrap_err()
                .kind(),
            ErrorKind::Truncated
        );
        for i in 0..packed.len() {
            let mut bad = packed.clone();
            bad[i] ^= 0x20;
            match lz4.decompress(&bad, 1 << 20) {
                Err(e) => assert!(
                    matches!(
                        e.kind(),
                        ErrorKind::Corrupt | ErrorKind::Truncated | ErrorKind::OutputLimit
                    ),
                    "{e}"
                ),
                Ok(out) => assert_eq!(out, data, "flip at {i} decoded wrong data"),
            }
        }
        let err = lz4.decompress(b"definitely not lz4", 100).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt);
        assert!(!err.message().is_empty());
        // lz4frame's own message and code, straight from LZ4F_decompress.
        let err = lz4
            .decompress_into(b"definitely not lz4", &mut [0u8; 100])
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt);
        assert!(
            err.message().contains("ERROR") && err.code().is_some(),
            "{err}"
        );
        assert_eq!(
            lz4.decompress(&packed, data.len() - 1).unwrap_err().kind(),
            ErrorKind::OutputLimit
        );
        // The context recovers after errors.
        assert_eq!(lz4.decompress(&packed, data.len()).unwrap(), data);
        // Concatenated frames.
        let mut two = packed.clone();
        two.extend_from_slice(&packed);
        assert_eq!(
            lz4.decompress(&two, 2 * data.len()).unwrap(),
            [data.clone(), data.clone()].concat()
        );
    }

    #[test]
    fn frame_streaming_in_odd_chunks() {
        let data = text(300_000);
        let lz4 = Lz4::with_level(3).unwrap();
        let mut one = Lz4::with_level(3).unwrap();
        let one_shot = one.compress(&data).unwrap();
        for chunk in [1usize, 7, 4096, 65_537] {
            // Flushed after the last piece, then finished.
            let streamed = write_in_chunks(&lz4, &data, chunk, Some(usize::MAX));
            assert_eq!(one.decompressed_size(&streamed).unwrap(), None);
            assert_eq!(
                one.decompress(&streamed, data.len()).unwrap(),
                data,
                "write chunk {chunk}"
            );
            let out = read_in_chunks(&lz4, &one_shot, data.len() as u64, chunk);
            assert_eq!(out, data, "read chunk {chunk}");
        }
        let packed = encode_with_tiny_output(&lz4, &data[..50_000]);
        assert_eq!(one.decompress(&packed, 50_000).unwrap(), &data[..50_000]);
        assert_reader_over_limit(&lz4, &one_shot, data.len() as u64 - 1);
        let err = read_error(&lz4, &one_shot[..one_shot.len() - 2], 1 << 20);
        assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
    }

    #[test]
    fn block_round_trip_levels_and_errors() {
        for level in [MIN_LEVEL, -1, 0, 1, 2, 9, MAX_LEVEL] {
            let mut b = Lz4Block::with_level(level).unwrap();
            for data in inputs() {
                let packed = b.compress(&data).unwrap();
                assert_eq!(
                    b.decompressed_size(&packed).unwrap(),
                    Some(data.len() as u64)
                );
                assert_eq!(
                    b.decompress(&packed, data.len()).unwrap(),
                    data,
                    "level {level}"
                );
                if !data.is_empty() {
                    assert_eq!(
                        b.decompress(&packed, data.len() - 1).unwrap_err().kind(),
                        ErrorKind::OutputLimit
                    );
                }
            }
        }
        let mut b = Lz4Block::default();
        let packed = b.compress(&text(3000)).unwrap();
        assert_truncations_fail(&mut b, &packed, "lz4 block");
        for i in 4..packed.len() {
            let mut bad = packed.clone();
            bad[i] ^= 0x10;
            if let Ok(out) = b.decompress(&bad, 1 << 20) {
                assert_eq!(out.len(), 3000); // no checksum: other bytes, same length
            }
        }
        assert_eq!(
            b.decompress(&[0xff, 0xff, 0xff, 0x7f, 0], 1000)
                .unwrap_err()
                .kind(),
            ErrorKind::OutputLimit
        );
    }

    #[test]
    fn block_dictionary() {
        // Random bytes: without the dictionary the message is incompressible.
        let dict = xorshift(20_000, 99);
        let msg = &dict[5_000..6_000];
        for level in [-2, 1, 2, 9, 12] {
            let mut with = Lz4Block::with_dictionary(level, &dict).unwrap();
            let mut without = Lz4Block::with_level(level).unwrap();
            let packed = with.compress(msg).unwrap();
            assert!(
                packed.len() < without.compress(msg).unwrap().len() / 2,
                "level {level}"
            );
            assert_eq!(with.decompress(&packed, msg.len()).unwrap(), msg);
            // Twice: every call starts from the dictionary again.
            assert_eq!(with.compress(msg).unwrap(), packed);
            assert!(without
                .decompress(&packed, msg.len())
                .map_or(true, |out| out != msg));
            for short in [&b""[..], b"abc", b"row 1: lz4"] {
                let p = with.compress(short).unwrap();
                assert_eq!(with.decompress(&p, 100).unwrap(), short);
            }
        }
    }

    #[test]
    fn block_matches_lz4_flex_layout() {
        let data = text(10_000);
        let mut b = Lz4Block::default();
        let packed = b.compress(&data).unwrap();
        // Same layout as lz4_flex::compress_prepend_size: u32 LE size, then the block.
        assert_eq!(
            u32::from_le_bytes(packed[..4].try_into().unwrap()) as usize,
            data.len()
        );
        let mut dst = vec![0u8; data.len()];
        // SAFETY: test-only direct call with valid buffers.
        let n = unsafe {
            ffi::LZ4_decompress_safe(
                packed[4..].as_ptr().cast(),
                dst.as_mut_ptr().cast(),
                (packed.len() - 4) as c_int,
                dst.len() as c_int,
            )
        };
        assert_eq!(n as usize, data.len());
        assert_eq!(dst, data);
    }

    #[test]
    fn cross_check_with_cli() {
        let data = text(200_000);
        let mut lz4 = Lz4::default();
        let packed = lz4.compress(&data).unwrap();
        let run = |args: &[&str], input: &[u8]| run_tool("lz4", args, input);
        let Some(decoded) = run(&["-d", "-c"], &packed) else {
            eprintln!("lz4 CLI not installed; skipping the cross-check");
            return;
        };
        assert_eq!(decoded, data);
        let cli_packed = run(&["-c", "-9"], &data).unwrap();
        assert_eq!(lz4.decompress(&cli_packed, data.len()).unwrap(), data);
        let mut out = Vec::new();
        lz4.reader(&cli_packed[..], data.len() as u64)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, data);
    }

    #[test]
    fn is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<Lz4>();
        assert_send::<Lz4Block>();
        assert_send::<Lz4Encoder>();
        assert_send::<Lz4Decoder>();
    }
}
