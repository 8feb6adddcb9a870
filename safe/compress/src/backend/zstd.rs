//! [Zstandard](https://facebook.github.io/zstd/) through crates.io's `zstd-sys` (zstd
//! 1.5.7): the zstd frame format that the `zstd` CLI reads and writes, with a content
//! checksum (so corruption is detected) and the content size recorded by one-shot
//! compression.
//!
//! Levels are zstd's: [`Zstd::MIN_LEVEL`] (`ZSTD_minCLevel()`, negative "fast" levels)
//! to `ZSTD_maxCLevel()` (22), default 3; level 0 means zstd's default. One context per
//! direction is created in [`Codec::with_level`] and reused by every call.
//! Decompression accepts concatenated frames and skippable frames, and uses zstd's
//! default window limit (128 MiB), which bounds the memory an input can request.

use std::ffi::{c_void, CStr};
use std::mem::MaybeUninit;
use std::ptr::NonNull;
use std::sync::Arc;

use zstd_sys as ffi;

use crate::stream::{DecodeStep, StreamDecoder, StreamEncoder};
use crate::{
    sealed, Codec, Compress, Decompress, Error, ErrorKind, Levels, Result, Streaming,
    WithDictionary,
};

const NAME: &str = "zstd";

// `ZSTD_ErrorCode` values (zstd_errors.h); compared as integers so that a code this
// version does not know can never become an invalid Rust enum value.
const ERR_PARAMETER_UNSUPPORTED: usize = 40;
const ERR_PARAMETER_COMBINATION: usize = 41;
const ERR_PARAMETER_OUT_OF_BOUND: usize = 42;
const ERR_MEMORY_ALLOCATION: usize = 64;
const ERR_DST_SIZE_TOO_SMALL: usize = 70;
const ERR_SRC_SIZE_WRONG: usize = 72;

/// `ZSTD_MAGICNUMBER`.
const ZSTD_MAGIC: u32 = 0xFD2F_B528;
/// `ZSTD_FRAMEHEADERSIZE_MAX`.
const ZSTD_FRAME_HEADER_MAX: usize = 18;

/// Which direction failed: the same zstd code maps to different kinds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dir {
    Compress,
    Decompress,
}

fn is_error(ret: usize) -> bool {
    // SAFETY: pure function of its argument.
    unsafe { ffi::ZSTD_isError(ret) != 0 }
}

fn error_code(ret: usize) -> usize {
    // zstd encodes error `e` as `(size_t)-e` (ERR_getErrorCode).
    0usize.wrapping_sub(ret)
}

#[cold]
fn zstd_error(ret: usize, dir: Dir) -> Error {
    // SAFETY: ZSTD_getErrorName returns a pointer to a static NUL-terminated string for
    // any argument.
    let message = unsafe { CStr::from_ptr(ffi::ZSTD_getErrorName(ret)) }
        .to_string_lossy()
        .into_owned();
    let code = error_code(ret);
    let kind = match (code, dir) {
        (ERR_MEMORY_ALLOCATION, _) => ErrorKind::OutOfMemory,
        (ERR_DST_SIZE_TOO_SMALL, Dir::Decompress) => ErrorKind::OutputLimit,
        (ERR_DST_SIZE_TOO_SMALL, Dir::Compress) => ErrorKind::OutputTooSmall,
        (ERR_SRC_SIZE_WRONG, Dir::Decompress) => ErrorKind::Truncated,
        (ERR_PARAMETER_UNSUPPORTED | ERR_PARAMETER_COMBINATION | ERR_PARAMETER_OUT_OF_BOUND, _) => {
            ErrorKind::InvalidArgument
        }
        (_, Dir::Decompress) => ErrorKind::Corrupt,
        (ERR_SRC_SIZE_WRONG, Dir::Compress) => ErrorKind::InvalidArgument,
        (_, Dir::Compress) => ErrorKind::Other,
    };
    Error::new(kind, NAME, message).with_code(code as i64)
}

fn check(ret: usize, dir: Dir) -> Result<usize> {
    if is_error(ret) {
        Err(zstd_error(ret, dir))
    } else {
        Ok(ret)
    }
}

/// Whether some frame of `src` runs past its end (as opposed to garbage between or
/// after frames); zstd reports both as `srcSize_wrong`.
fn runs_past_end(mut src: &[u8]) -> bool {
    while !src.is_empty() {
        // SAFETY: `src` is readable for its length.
        let n = unsafe { ffi::ZSTD_findFrameCompressedSize(src.as_ptr().cast(), src.len()) };
        if is_error(n) {
            return error_code(n) == ERR_SRC_SIZE_WRONG;
        }
        src = &src[n.min(src.len())..];
    }
    false
}

/// Error for a failed one-shot decompression of `src`: zstd reports a frame cut short
/// as `srcSize_wrong` or (cut inside the checksum) `checksum_wrong`, and garbage after
/// the last frame as `srcSize_wrong` too; the frame walk tells them apart.
#[cold]
fn decompress_error(ret: usize, src: &[u8]) -> Error {
    let err = zstd_error(ret, Dir::Decompress);
    if matches!(err.kind(), ErrorKind::OutputLimit | ErrorKind::OutOfMemory) {
        return err;
    }
    let kind = if runs_past_end(src) {
        ErrorKind::Truncated
    } else {
        ErrorKind::Corrupt
    };
    Error::new(kind, NAME, err.message().to_owned()).with_code(error_code(ret) as i64)
}

fn alloc_error(what: &'static str) -> Error {
    Error::new(ErrorKind::OutOfMemory, NAME, what)
}

/// An owned compression context with our frame parameters set.
struct CCtx(NonNull<ffi::ZSTD_CCtx>);

impl CCtx {
    fn new(level: i32, dict: Option<&ZstdDict>) -> Result<CCtx> {
        // SAFETY: no preconditions; NULL means allocation failure.
        let ctx = NonNull::new(unsafe { ffi::ZSTD_createCCtx() })
            .map(CCtx)
            .ok_or_else(|| alloc_error("ZSTD_createCCtx failed"))?;
        ctx.set(ffi::ZSTD_cParameter::ZSTD_c_compressionLevel, level)?;
        ctx.set(ffi::ZSTD_cParameter::ZSTD_c_checksumFlag, 1)?;
        if let Some(dict) = dict {
            // SAFETY: both pointers are live; the CDict outlives the context because
            // every owner of the context also holds an `Arc` of the dictionary.
            let ret = unsafe { ffi::ZSTD_CCtx_refCDict(ctx.0.as_ptr(), dict.cdict.as_ptr()) };
            check(ret, Dir::Compress)?;
        }
        Ok(ctx)
    }

    fn set(&self, param: ffi::ZSTD_cParameter, value: i32) -> Result<()> {
        // SAFETY: the context is live; zstd validates the parameter value.
        check(
            unsafe { ffi::ZSTD_CCtx_setParameter(self.0.as_ptr(), param, value) },
            Dir::Compress,
        )
        .map(drop)
    }

    fn reset_session(&mut self) -> Result<()> {
        // SAFETY: the context is live.
        let ret = unsafe {
            ffi::ZSTD_CCtx_reset(
                self.0.as_ptr(),
                ffi::ZSTD_ResetDirective::ZSTD_reset_session_only,
            )
        };
        check(ret, Dir::Compress).map(drop)
    }
}

impl Drop for CCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context; it is freed exactly once.
        unsafe { ffi::ZSTD_freeCCtx(self.0.as_ptr()) };
    }
}

/// An owned decompression context.
struct DCtx(NonNull<ffi::ZSTD_DCtx>);

impl DCtx {
    fn new(dict: Option<&ZstdDict>) -> Result<DCtx> {
        // SAFETY: no preconditions; NULL means allocation failure.
        let ctx = NonNull::new(unsafe { ffi::ZSTD_createDCtx() })
            .map(DCtx)
            .ok_or_else(|| alloc_error("ZSTD_createDCtx failed"))?;
        if let Some(dict) = dict {
            // SAFETY: both pointers are live; the DDict outlives the context (see CCtx::new).
            let ret = unsafe { ffi::ZSTD_DCtx_refDDict(ctx.0.as_ptr(), dict.ddict.as_ptr()) };
            check(ret, Dir::Decompress)?;
        }
        Ok(ctx)
    }

    fn reset_session(&mut self) -> Result<()> {
        // SAFETY: the context is live.
        let ret = unsafe {
            ffi::ZSTD_DCtx_reset(
                self.0.as_ptr(),
                ffi::ZSTD_ResetDirective::ZSTD_reset_session_only,
            )
        };
        check(ret, Dir::Decompress).map(drop)
    }
}

impl Drop for DCtx {
    fn drop(&mut self) {
        // SAFETY: we own the context; it is freed exactly once.
        unsafe { ffi::ZSTD_freeDCtx(self.0.as_ptr()) };
    }
}

// SAFETY: a zstd context may be used from any thread as long as only one thread uses it
// at a time (zstd.h: "ZSTD_CCtx/ZSTD_DCtx ... not thread-safe, use one per thread");
// `&mut self` on every call that touches it guarantees that. Not `Sync`.
unsafe impl Send for CCtx {}
// SAFETY: as for `CCtx`.
unsafe impl Send for DCtx {}

/// A digested dictionary for both directions, shared by a codec and its streams.
struct ZstdDict {
    cdict: NonNull<ffi::ZSTD_CDict>,
    ddict: NonNull<ffi::ZSTD_DDict>,
}

impl ZstdDict {
    fn new(dictionary: &[u8], level: i32) -> Result<ZstdDict> {
        // SAFETY: `dictionary` is readable for its length; zstd copies it.
        let cdict =
            unsafe { ffi::ZSTD_createCDict(dictionary.as_ptr().cast(), dictionary.len(), level) };
        let Some(cdict) = NonNull::new(cdict) else {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                NAME,
                "ZSTD_createCDict rejected the dictionary",
            ));
        };
        // SAFETY: as above.
        let ddict = unsafe { ffi::ZSTD_createDDict(dictionary.as_ptr().cast(), dictionary.len()) };
        let Some(ddict) = NonNull::new(ddict) else {
            // SAFETY: `cdict` was created above and is not referenced anywhere else.
            unsafe { ffi::ZSTD_freeCDict(cdict.as_ptr()) };
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                NAME,
                "ZSTD_createDDict rejected the dictionary",
            ));
        };
        Ok(ZstdDict { cdict, ddict })
    }
}

impl Drop for ZstdDict {
    fn drop(&mut self) {
        // SAFETY: we own both; every context referencing them holds an `Arc` of `self`,
        // so none is alive any more.
        unsafe {
            ffi::ZSTD_freeCDict(self.cdict.as_ptr());
            ffi::ZSTD_freeDDict(self.ddict.as_ptr());
        }
    }
}

// SAFETY: zstd.h: "ZSTD_CDict can be created once and shared by multiple threads
// concurrently, since its usage is read-only"; the same holds for ZSTD_DDict (only read
// by decompression). We never mutate them after creation.
unsafe impl Send for ZstdDict {}
// SAFETY: as above: read-only use from any number of threads.
unsafe impl Sync for ZstdDict {}

/// The zstd codec: one-shot, streaming ([`ZstdEncoder`], [`ZstdDecoder`]) and
/// dictionaries ([`WithDictionary`], [`Zstd::train_dictionary`]).
///
/// ```
/// use arsenal_compress::backend::zstd::Zstd;
/// use arsenal_compress::{Codec, Compress, Decompress};
///
/// let mut zstd = Zstd::with_level(19)?;
/// let data = b"hello hello hello hello hello hello".repeat(100);
/// let packed = zstd.compress(&data)?;
/// assert!(packed.len() < data.len() / 10);
/// assert_eq!(zstd.decompressed_size(&packed)?, Some(data.len() as u64));
/// assert_eq!(zstd.decompress(&packed, 1 << 20)?, data);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub struct Zstd {
    level: i32,
    cctx: CCtx,
    dctx: DCtx,
    dict: Option<Arc<ZstdDict>>,
}

impl Zstd {
    /// The fastest level, `ZSTD_minCLevel()` of zstd 1.5 (`-(1 << 17)`).
    pub const MIN_LEVEL: i32 = -(1 << 17);
    /// The strongest level, `ZSTD_maxCLevel()`.
    pub const MAX_LEVEL: i32 = 22;
    /// The default level.
    pub const DEFAULT_LEVEL: i32 = 3;

    fn levels_const() -> Levels {
        // SAFETY: pure functions without preconditions.
        let (min, max) = unsafe { (ffi::ZSTD_minCLevel(), ffi::ZSTD_maxCLevel()) };
        Levels {
            min,
            max,
            default: Self::DEFAULT_LEVEL,
        }
    }

    fn build(level: i32, dict: Option<Arc<ZstdDict>>) -> Result<Zstd> {
        let level = Self::levels_const().check(NAME, level)?;
        let cctx = CCtx::new(level, dict.as_deref())?;
        let dctx = DCtx::new(dict.as_deref())?;
        Ok(Zstd {
            level,
            cctx,
            dctx,
            dict,
        })
    }

    /// Trains a dictionary of at most `max_size` bytes on `samples` with
    /// `ZDICT_trainFromBuffer`. Training needs many samples (hundreds or more, a total
    /// of about 100 times `max_size`); too few gives [`ErrorKind::InvalidArgument`]
    /// with zdict's message.
    ///
    /// ```
    /// use arsenal_compress::backend::zstd::Zstd;
    /// use arsenal_compress::{Compress, Decompress, WithDictionary};
    ///
    /// let samples: Vec<Vec<u8>> = (0..1000)
    ///     .map(|i| format!("{{\"id\":{i},\"name\":\"user{}\",\"active\":{}}}", i * 7 % 13, i % 2 == 0).into_bytes())
    ///     .collect();
    /// let refs: Vec<&[u8]> = samples.iter().map(|s| s.as_slice()).collect();
    /// let dict = Zstd::train_dictionary(&refs, 4096)?;
    /// let mut zstd = Zstd::with_dictionary(3, &dict)?;
    /// let packed = zstd.compress(&samples[5])?;
    /// assert_eq!(zstd.decompress(&packed, 1024)?, samples[5]);
    /// # Ok::<(), arsenal_compress::Error>(())
    /// ```
    pub fn train_dictionary(samples: &[&[u8]], max_size: usize) -> Result<Vec<u8>> {
        if max_size == 0 || samples.is_empty() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                NAME,
                "dictionary training needs samples and max_size > 0",
            ));
        }
        let sizes: Vec<usize> = samples.iter().map(|s| s.len()).collect();
        let flat: Vec<u8> = samples.concat();
        let count = u32::try_from(samples.len())
            .map_err(|_| Error::new(ErrorKind::InvalidArgument, NAME, "too many samples"))?;
        let mut dict = Vec::<u8>::with_capacity(max_size);
        // SAFETY: `dict` has `max_size` bytes of spare capacity; `flat` holds the samples
        // whose lengths `sizes` lists (`count` entries).
        let ret = unsafe {
            ffi::ZDICT_trainFromBuffer(
                dict.as_mut_ptr().cast::<c_void>(),
                max_size,
                flat.as_ptr().cast(),
                sizes.as_ptr(),
                count,
            )
        };
        // SAFETY: pure function of its argument.
        if unsafe { ffi::ZDICT_isError(ret) } != 0 {
            // SAFETY: returns a static NUL-terminated string for any code.
            let message = unsafe { CStr::from_ptr(ffi::ZDICT_getErrorName(ret)) }
                .to_string_lossy()
                .into_owned();
            return Err(Error::new(ErrorKind::InvalidArgument, NAME, message)
                .with_code(error_code(ret) as i64));
        }
        assert!(
            ret <= max_size,
            "ZDICT_trainFromBuffer reported more than its capacity"
        );
        // SAFETY: zdict wrote `ret` (≤ capacity) bytes.
        unsafe { dict.set_len(ret) };
        Ok(dict)
    }
}

impl Default for Zstd {
    /// The default level (3).
    ///
    /// # Panics
    ///
    /// If zstd cannot allocate its contexts.
    fn default() -> Self {
        Zstd::with_level(Self::DEFAULT_LEVEL).expect("zstd: allocating contexts failed")
    }
}

impl std::fmt::Debug for Zstd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Zstd")
            .field("level", &self.level)
            .field("dictionary", &self.dict.is_some())
            .finish()
    }
}

impl sealed::Sealed for Zstd {}

impl Compress for Zstd {
    fn name(&self) -> &'static str {
        NAME
    }

    fn level(&self) -> i32 {
        self.level
    }

    fn compress_bound(&self, src_len: usize) -> Result<usize> {
        // SAFETY: pure function of its argument.
        let bound = unsafe { ffi::ZSTD_compressBound(src_len) };
        if is_error(bound) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                NAME,
                format!("{src_len} bytes exceed zstd's input limit"),
            ));
        }
        Ok(bound)
    }

    fn compress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        // SAFETY: the context is live and ours (`&mut self`); `src` is readable and `dst`
        // writable for their lengths; zstd only writes into `dst`.
        let ret = unsafe {
            ffi::ZSTD_compress2(
                self.cctx.0.as_ptr(),
                dst.as_mut_ptr().cast(),
                dst.len(),
                src.as_ptr().cast(),
                src.len(),
            )
        };
        check(ret, Dir::Compress)
    }
}

impl Decompress for Zstd {
    fn name(&self) -> &'static str {
        NAME
    }

    fn decompressed_size(&self, src: &[u8]) -> Result<Option<u64>> {
        // SAFETY: `src` is readable for its length.
        let size = unsafe { ffi::ZSTD_getFrameContentSize(src.as_ptr().cast(), src.len()) };
        match size {
            s if s == ffi::ZSTD_CONTENTSIZE_UNKNOWN as u64 => Ok(None),
            s if s == ffi::ZSTD_CONTENTSIZE_ERROR as u64 => {
                // A prefix of a frame magic number, or the magic followed by less than
                // the largest header, is a cut frame rather than a bad one.
                let magic = ZSTD_MAGIC.to_le_bytes();
                let n = src.len().min(4);
                if src[..n] == magic[..n] && src.len() < ZSTD_FRAME_HEADER_MAX {
                    Err(Error::new(
                        ErrorKind::Truncated,
                        NAME,
                        "input ends inside the frame header",
                    ))
                } else {
                    Err(Error::new(ErrorKind::Corrupt, NAME, "invalid frame header"))
                }
            }
            s => Ok(Some(s)),
        }
    }

    fn decompress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        if src.is_empty() {
            return Err(Error::new(ErrorKind::Truncated, NAME, "empty input"));
        }
        // SAFETY: the context is live and ours; `src` is readable and `dst` writable for
        // their lengths; zstd bounds every write by `dst.len()`.
        let ret = unsafe {
            ffi::ZSTD_decompressDCtx(
                self.dctx.0.as_ptr(),
                dst.as_mut_ptr().cast(),
                dst.len(),
                src.as_ptr().cast(),
                src.len(),
            )
        };
        if is_error(ret) {
            return Err(decompress_error(ret, src));
        }
        Ok(ret)
    }
}

impl Codec for Zstd {
    fn with_level(level: i32) -> Result<Self> {
        Zstd::build(level, None)
    }

    fn levels(&self) -> Levels {
        Self::levels_const()
    }
}

impl WithDictionary for Zstd {
    /// Digests `dictionary` once (`ZSTD_createCDict` at `level`, `ZSTD_createDDict`);
    /// the codec and every stream it creates share the digested forms. A dictionary
    /// from [`Zstd::train_dictionary`] or `zstd --train` carries an ID that the frames
    /// record; any other byte string is used as raw content.
    fn with_dictionary(level: i32, dictionary: &[u8]) -> Result<Self> {
        let level = Self::levels_const().check(NAME, level)?;
        let dict = Arc::new(ZstdDict::new(dictionary, level)?);
        Zstd::build(level, Some(dict))
    }
}

impl Streaming for Zstd {
    type Encoder = ZstdEncoder;
    type Decoder = ZstdDecoder;

    fn encoder(&self) -> Result<ZstdEncoder> {
        Ok(ZstdEncoder {
            cctx: CCtx::new(self.level, self.dict.as_deref())?,
            _dict: self.dict.clone(),
        })
    }

    fn decoder(&self) -> Result<ZstdDecoder> {
        Ok(ZstdDecoder {
            dctx: DCtx::new(self.dict.as_deref())?,
            _dict: self.dict.clone(),
            header: [0; FRAME_HEADER_MAX],
            header_len: 0,
            produced: 0,
        })
    }
}

/// Step-wise zstd compression over `ZSTD_compressStream2` (one frame, content size not
/// recorded, checksum on). Made by [`Streaming::encoder`].
///
/// ```
/// use std::io::Write;
/// use arsenal_compress::backend::zstd::Zstd;
/// use arsenal_compress::{Decompress, Streaming};
///
/// let zstd = Zstd::default();
/// let mut w = zstd.writer(Vec::new())?;
/// w.write_all(b"streamed ")?;
/// w.write_all(b"data")?;
/// let packed = w.finish()?;
/// assert_eq!(Zstd::default().decompress(&packed, 100)?, b"streamed data");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ZstdEncoder {
    cctx: CCtx,
    // Keeps the CDict the context references alive.
    _dict: Option<Arc<ZstdDict>>,
}

impl std::fmt::Debug for ZstdEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZstdEncoder").finish_non_exhaustive()
    }
}

impl ZstdEncoder {
    fn step(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        directive: ffi::ZSTD_EndDirective,
    ) -> Result<(usize, usize, usize)> {
        let mut inb = ffi::ZSTD_inBuffer {
            src: input.as_ptr().cast(),
            size: input.len(),
            pos: 0,
        };
        let mut outb = ffi::ZSTD_outBuffer {
            dst: output.as_mut_ptr().cast(),
            size: output.len(),
            pos: 0,
        };
        // SAFETY: the context is live and ours; the buffers describe `input` (readable)
        // and `output` (writable) with their lengths; zstd advances `pos` within `size`.
        let ret = unsafe {
            ffi::ZSTD_compressStream2(self.cctx.0.as_ptr(), &mut outb, &mut inb, directive)
        };
        let remaining = check(ret, Dir::Compress)?;
        Ok((inb.pos, outb.pos, remaining))
    }
}

impl sealed::Sealed for ZstdEncoder {}

impl StreamEncoder for ZstdEncoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn encode(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize)> {
        let (consumed, written, _) =
            self.step(input, output, ffi::ZSTD_EndDirective::ZSTD_e_continue)?;
        Ok((consumed, written))
    }

    fn flush(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        let (_, written, remaining) =
            self.step(&[], output, ffi::ZSTD_EndDirective::ZSTD_e_flush)?;
        Ok((written, remaining == 0))
    }

    fn finish(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        let (_, written, remaining) = self.step(&[], output, ffi::ZSTD_EndDirective::ZSTD_e_end)?;
        Ok((written, remaining == 0))
    }

    fn reset(&mut self) -> Result<()> {
        self.cctx.reset_session()
    }
}

/// Step-wise zstd decompression over `ZSTD_decompressStream`; `frame_done` when a frame
/// (including its checksum) has been fully decoded and flushed. Made by
/// [`Streaming::decoder`].
///
/// ```
/// use std::io::Read;
/// use arsenal_compress::backend::zstd::Zstd;
/// use arsenal_compress::{Compress, Streaming};
///
/// let mut zstd = Zstd::default();
/// let packed = zstd.compress(b"read me back")?;
/// let mut out = String::new();
/// zstd.reader(&packed[..], 1024)?.read_to_string(&mut out)?;
/// assert_eq!(out, "read me back");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ZstdDecoder {
    dctx: DCtx,
    // Keeps the DDict the context references alive.
    _dict: Option<Arc<ZstdDict>>,
    /// The first bytes of the current frame (its header is at most 18 bytes).
    header: [u8; FRAME_HEADER_MAX],
    header_len: usize,
    /// Bytes the current frame has produced.
    produced: u64,
}

/// `ZSTD_FRAMEHEADERSIZE_MAX`.
const FRAME_HEADER_MAX: usize = 18;

impl std::fmt::Debug for ZstdDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZstdDecoder").finish_non_exhaustive()
    }
}

impl sealed::Sealed for ZstdDecoder {}

impl StreamDecoder for ZstdDecoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<DecodeStep> {
        let mut inb = ffi::ZSTD_inBuffer {
            src: input.as_ptr().cast(),
            size: input.len(),
            pos: 0,
        };
        let mut outb = ffi::ZSTD_outBuffer {
            dst: output.as_mut_ptr().cast(),
            size: output.len(),
            pos: 0,
        };
        // SAFETY: as in `ZstdEncoder::step`.
        let ret = unsafe { ffi::ZSTD_decompressStream(self.dctx.0.as_ptr(), &mut outb, &mut inb) };
        if is_error(ret) {
            let mut err = zstd_error(ret, Dir::Decompress);
            if err.kind() != ErrorKind::OutOfMemory {
                // Streaming never runs out of room; anything else is bad input.
                err = Error::new(ErrorKind::Corrupt, NAME, err.message().to_owned())
                    .with_code(error_code(ret) as i64);
            }
            // A failed session must be reset before the context is reused.
            let _ = self.dctx.reset_session();
            self.header_len = 0;
            self.produced = 0;
            return Err(err);
        }
        let take = inb.pos.min(FRAME_HEADER_MAX - self.header_len);
        self.header[self.header_len..self.header_len + take].copy_from_slice(&input[..take]);
        self.header_len += take;
        self.produced += outb.pos as u64;
        if ret == 0 {
            // zstd's streaming decoder does not compare the frame's declared content size
            // with what it produced when the frame arrives in pieces (one-shot decoding
            // does, and so does `zstd -d` with its large buffers): check it here, so that
            // the answer never depends on how the input was split.
            // SAFETY: `header` holds `header_len` initialised bytes.
            let declared = unsafe {
                ffi::ZSTD_getFrameContentSize(self.header.as_ptr().cast(), self.header_len)
            };
            let produced = self.produced;
            self.header_len = 0;
            self.produced = 0;
            if declared != ffi::ZSTD_CONTENTSIZE_UNKNOWN as u64
                && declared != ffi::ZSTD_CONTENTSIZE_ERROR as u64
                && declared != produced
            {
                let _ = self.dctx.reset_session();
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    NAME,
                    format!("frame declares {declared} bytes, decoded {produced}"),
                ));
            }
        }
        Ok(DecodeStep {
            consumed: inb.pos,
            written: outb.pos,
            frame_done: ret == 0,
        })
    }

    fn reset(&mut self) -> Result<()> {
        self.header_len = 0;
        self.produced = 0;
        self.dctx.reset_session()
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;
    use crate::testutil::{
        assert_reader_over_limit, assert_truncations_fail, encode_with_tiny_output, read_error,
        read_in_chunks, run_tool, text, write_in_chunks, xorshift,
    };

    fn inputs() -> Vec<Vec<u8>> {
        vec![Vec::new(), vec![42], xorshift(100_000, 7), text(1 << 20)]
    }

    #[test]
    fn levels_are_zstds() {
        let z = Zstd::default();
        assert_eq!(
            z.levels(),
            Levels {
                min: Zstd::MIN_LEVEL,
                max: Zstd::MAX_LEVEL,
                default: 3
            }
        );
        assert_eq!(z.level(), 3);
        assert_eq!(
            Zstd::with_level(23).unwrap_err().kind(),
            ErrorKind::InvalidLevel
        );
        assert_eq!(
            Zstd::with_level(Zstd::MIN_LEVEL - 1).unwrap_err().kind(),
            ErrorKind::InvalidLevel
        );
    }

    #[test]
    fn round_trip_at_min_default_max() {
        for level in [Zstd::MIN_LEVEL, -5, 1, 3, 19, Zstd::MAX_LEVEL] {
            let mut z = Zstd::with_level(level).unwrap();
            for data in inputs() {
                if level == Zstd::MAX_LEVEL && data.len() > 200_000 {
                    continue; // level 22 on 1 MiB is slow in debug builds; 19 covers it
                }
                let packed = z.compress(&data).unwrap();
                assert_eq!(
                    z.decompressed_size(&packed).unwrap(),
                    Some(data.len() as u64)
                );
                assert_eq!(
                    z.decompress(&packed, data.len()).unwrap(),
                    data,
                    "level {level}"
                );
                if data.len() == 1 << 20 && level > 0 {
                    assert!(
                        packed.len() < data.len() / 8,
                        "level {level}: {}",
                        packed.len()
                    );
                }
            }
        }
        let mut z = Zstd::with_level(Zstd::MAX_LEVEL).unwrap();
        let data = text(100_000);
        let packed = z.compress(&data).unwrap();
        assert_eq!(z.decompress(&packed, data.len()).unwrap(), data);
    }

    #[test]
    fn compress_into_too_small() {
        let mut z = Zstd::default();
        let data = xorshift(1000, 3);
        let mut dst = vec![0u8; 100];
        assert_eq!(
            z.compress_into(&data, &mut dst).unwrap_err().kind(),
            ErrorKind::OutputTooSmall
        );
    }

    #[test]
    fn corrupt_and_truncated_inputs_fail() {
        let mut z = Zstd::default();
        let data = text(5000);
        let packed = z.compress(&data).unwrap();
        assert_truncations_fail(&mut z, &packed, "zstd");
        assert_eq!(
            z.decompress(&packed[..packed.len() - 1], 1 << 20)
                .unwrap_err()
                .kind(),
            ErrorKind::Truncated
        );
        let mut ignored = 0;
        for i in 0..packed.len() {
            for bit in [0x01u8, 0x80] {
                let mut bad = packed.clone();
                bad[i] ^= bit;
                match z.decompress(&bad, 1 << 20) {
                    Err(e) => assert!(
                        matches!(
                            e.kind(),
                            ErrorKind::Corrupt | ErrorKind::Truncated | ErrorKind::OutputLimit
                        ),
                        "{e}"
                    ),
                    // A flip in a bit the decoder ignores; the checksum guarantees
                    // that nothing else decodes.
                    Ok(out) => {
                        assert_eq!(out, data, "flip at {i} decoded wrong data");
                        ignored += 1;
                    }
                }
            }
        }
        assert!(ignored < packed.len() / 4, "{ignored} flips went unnoticed");
        let mut garbage = packed.clone();
        garbage.extend_from_slice(b"garbage!");
        let err = z.decompress(&garbage, 1 << 20).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
        assert!(!err.message().is_empty());
        assert_eq!(
            z.decompress(b"not zstd at all", 100).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
    }

    #[test]
    fn output_limit_is_enforced() {
        let mut z = Zstd::default();
        let data = text(10_000);
        let packed = z.compress(&data).unwrap();
        assert_eq!(
            z.decompress(&packed, data.len() - 1).unwrap_err().kind(),
            ErrorKind::OutputLimit
        );
        let mut small = vec![0u8; 100];
        assert_eq!(
            z.decompress_into(&packed, &mut small).unwrap_err().kind(),
            ErrorKind::OutputLimit
        );
        // A streamed frame records no size: the growing path must stop at the limit too.
        let mut w = z.writer(Vec::new()).unwrap();
        w.write_all(&data).unwrap();
        let streamed = w.finish().unwrap();
        assert_eq!(z.decompressed_size(&streamed).unwrap(), None);
        assert_eq!(z.decompress(&streamed, data.len()).unwrap(), data);
        assert_eq!(
            z.decompress(&streamed, data.len() - 1).unwrap_err().kind(),
            ErrorKind::OutputLimit
        );
        assert_reader_over_limit(&z, &streamed, data.len() as u64 - 1);
    }

    #[test]
    fn concatenated_frames() {
        let mut z = Zstd::default();
        let mut packed = z.compress(b"first ").unwrap();
        packed.extend(z.compress(b"second").unwrap());
        assert_eq!(z.decompress(&packed, 100).unwrap(), b"first second");
        let mut out = Vec::new();
        z.reader(&packed[..], 100)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, b"first second");
    }

    #[test]
    fn streaming_in_odd_chunks_matches_one_shot() {
        let data = text(300_000);
        let mut z = Zstd::with_level(5).unwrap();
        let one_shot = z.compress(&data).unwrap();
        for chunk in [1usize, 7, 4096, 65_537] {
            // Flushed after the last piece, then finished.
            let packed = write_in_chunks(&z, &data, chunk, Some(usize::MAX));
            assert_eq!(z.decompress(&packed, data.len()).unwrap(), data);

            let out = read_in_chunks(&z, &one_shot, data.len() as u64, chunk);
            assert_eq!(out, data, "read chunk {chunk}");
        }
        // Tiny output buffers straight on the encoder/decoder.
        let packed = encode_with_tiny_output(&z, &data[..20_000]);
        let mut out = [0u8; 3];
        let mut dec = z.decoder().unwrap();
        let mut src = &packed[..];
        let mut got = Vec::new();
        loop {
            let step = dec.decode(src, &mut out).unwrap();
            got.extend_from_slice(&out[..step.written]);
            src = &src[step.consumed..];
            if step.frame_done {
                break;
            }
        }
        assert_eq!(got, &data[..20_000]);
    }

    #[test]
    fn streaming_corrupt_and_truncated() {
        let mut z = Zstd::default();
        let data = text(50_000);
        let packed = z.compress(&data).unwrap();
        let err = read_error(&z, &packed[..packed.len() - 3], 1 << 20);
        assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
        let mut bad = packed.clone();
        let n = bad.len();
        bad[n - 2] ^= 0x10; // inside the checksum
        let err = read_error(&z, &bad, 1 << 20);
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    }

    #[test]
    fn dictionaries() {
        let samples: Vec<Vec<u8>> = (0..2000)
            .map(|i| {
                format!(
                    "{{\"user\":\"name{}\",\"id\":{i},\"tags\":[\"a{}\",\"b\"],\"ok\":true}}",
                    i % 37,
                    i % 5
                )
                .into_bytes()
            })
            .collect();
        let refs: Vec<&[u8]> = samples.iter().map(|s| s.as_slice()).collect();
        let dict = Zstd::train_dictionary(&refs, 8192).unwrap();
        assert!(!dict.is_empty() && dict.len() <= 8192);
        let mut with = Zstd::with_dictionary(3, &dict).unwrap();
        let mut without = Zstd::default();
        let msg = &samples[1234];
        let packed = with.compress(msg).unwrap();
        assert!(packed.len() < without.compress(msg).unwrap().len());
        assert_eq!(with.decompress(&packed, 1000).unwrap(), *msg);
        assert!(
            without.decompress(&packed, 1000).is_err(),
            "needs the dictionary"
        );
        // Streams share the dictionary.
        let mut w = with.writer(Vec::new()).unwrap();
        w.write_all(msg).unwrap();
        let streamed = w.finish().unwrap();
        let mut out = Vec::new();
        with.reader(&streamed[..], 1000)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, *msg);
        // The checksum is still on with a dictionary.
        let mut bad = packed.clone();
        let n = bad.len();
        bad[n - 1] ^= 1;
        assert!(with.decompress(&bad, 1000).is_err());
        assert_eq!(
            Zstd::train_dictionary(&[b"x"], 1000).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        // Raw-content dictionary.
        let mut raw = Zstd::with_dictionary(1, b"some raw dictionary content").unwrap();
        let packed = raw.compress(b"some raw dictionary content, again").unwrap();
        assert_eq!(
            raw.decompress(&packed, 100).unwrap(),
            b"some raw dictionary content, again"
        );
    }

    #[test]
    fn cross_check_with_cli() {
        let data = text(200_000);
        let mut z = Zstd::default();
        let packed = z.compress(&data).unwrap();
        let run = |args: &[&str], input: &[u8]| run_tool("zstd", args, input);
        let Some(decoded) = run(&["-d", "-c"], &packed) else {
            eprintln!("zstd CLI not installed; skipping the cross-check");
            return;
        };
        assert_eq!(decoded, data);
        let cli_packed = run(&["-c", "-5"], &data).unwrap();
        assert_eq!(z.decompress(&cli_packed, data.len()).unwrap(), data);
    }

    #[test]
    fn is_send() {
        fn assert_send<T: Send>() {}
        assert_send::<Zstd>();
        assert_send::<ZstdEncoder>();
        assert_send::<ZstdDecoder>();
    }
}
