//! DEFLATE, zlib and gzip through Intel ISA-L's igzip (`isal-sys`): very fast
//! compression at low levels, fast decompression, and streaming.
//!
//! * Formats: [`DeflateFormat::Gzip`] (what [`Codec::with_level`] and [`Default`] give),
//!   [`DeflateFormat::Zlib`] and [`DeflateFormat::Raw`], chosen with [`Isal::new`].
//! * Levels 0..=3 (`ISAL_DEF_MIN_LEVEL..=ISAL_DEF_MAX_LEVEL`), default **1**. ISA-L's
//!   levels are all "fast" levels: level 3 compresses roughly like zlib's 4..6.
//!   Levels 1..=3 use a work buffer of `ISAL_DEF_LVL<n>_DEFAULT` bytes, allocated once.
//! * One-shot calls use `isal_deflate_stateless` / `isal_inflate_stateless` and are
//!   limited to inputs and outputs below 4 GiB (ISA-L counts in `u32`); use the streaming
//!   API for more. One-shot decompression must see exactly one stream: trailing bytes give
//!   [`ErrorKind::Corrupt`]. zlib streams that need a preset dictionary give
//!   [`ErrorKind::Unsupported`].
//! * Streaming: [`IsalEncoder`] (`isal_deflate`; `flush` is a zlib-style sync flush) and
//!   [`IsalDecoder`] (`isal_inflate`), hence `io::Write`/`io::Read`, which decodes
//!   concatenated gzip members as `gzip -d` does.
//! * No dictionaries: [`crate::WithDictionary`] is not implemented by this backend yet.
//! * [`Decompress::decompressed_size`] is `None` (the gzip ISIZE field is only a hint).

use std::alloc::{alloc_zeroed, handle_alloc_error, Layout};
use std::mem::MaybeUninit;

use isal_sys::igzip_lib as ffi;

use crate::stream::{DecodeStep, StreamDecoder, StreamEncoder};
use crate::{
    sealed, Codec, Compress, Decompress, DeflateFormat, Error, ErrorKind, Levels, Result, Streaming,
};

const NAME: &str = "isal";
const LEVELS: Levels = Levels {
    min: ffi::ISAL_DEF_MIN_LEVEL as i32,
    max: ffi::ISAL_DEF_MAX_LEVEL as i32,
    default: 1,
};

/// A zero-filled heap allocation of `T` (ISA-L's state structs are tens of KiB).
///
/// # Safety
/// The all-zero bit pattern must be a valid `T` (true of ISA-L's C structs: integers,
/// arrays and raw pointers).
unsafe fn boxed_zeroed<T>() -> Box<T> {
    let layout = Layout::new::<T>();
    // SAFETY: `T` is not zero-sized (the ISA-L structs are large).
    let ptr = unsafe { alloc_zeroed(layout) }.cast::<T>();
    if ptr.is_null() {
        handle_alloc_error(layout);
    }
    // SAFETY: allocated with the global allocator and `T`'s layout; zero is a valid `T`
    // by the caller's guarantee.
    unsafe { Box::from_raw(ptr) }
}

fn level_buf_size(level: i32) -> usize {
    match level {
        1 => ffi::ISAL_DEF_LVL1_DEFAULT as usize,
        2 => ffi::ISAL_DEF_LVL2_DEFAULT as usize,
        3 => ffi::ISAL_DEF_LVL3_DEFAULT as usize,
        _ => 0,
    }
}

fn gzip_flag(format: DeflateFormat) -> u16 {
    (match format {
        DeflateFormat::Raw => ffi::IGZIP_DEFLATE,
        DeflateFormat::Zlib => ffi::IGZIP_ZLIB,
        DeflateFormat::Gzip => ffi::IGZIP_GZIP,
    }) as u16
}

fn crc_flag(format: DeflateFormat) -> u32 {
    match format {
        DeflateFormat::Raw => ffi::ISAL_DEFLATE,
        DeflateFormat::Zlib => ffi::ISAL_ZLIB,
        DeflateFormat::Gzip => ffi::ISAL_GZIP,
    }
}

fn u32_len(len: usize, what: &str) -> Result<u32> {
    u32::try_from(len).map_err(|_| {
        Error::new(
            ErrorKind::InvalidArgument,
            NAME,
            format!("{what} of {len} bytes exceeds ISA-L's 4 GiB one-shot limit"),
        )
    })
}

/// The error for a negative `isal_inflate*` return code.
#[cold]
fn inflate_error(rc: i32) -> Error {
    let (kind, msg) = match rc {
        ffi::ISAL_INVALID_BLOCK => (
            ErrorKind::Corrupt,
            "ISAL_INVALID_BLOCK: invalid deflate block",
        ),
        ffi::ISAL_INVALID_SYMBOL => (
            ErrorKind::Corrupt,
            "ISAL_INVALID_SYMBOL: invalid deflate symbol",
        ),
        ffi::ISAL_INVALID_LOOKBACK => (
            ErrorKind::Corrupt,
            "ISAL_INVALID_LOOKBACK: distance beyond history",
        ),
        ffi::ISAL_INVALID_WRAPPER => (
            ErrorKind::Corrupt,
            "ISAL_INVALID_WRAPPER: invalid gzip/zlib header",
        ),
        ffi::ISAL_UNSUPPORTED_METHOD => {
            (ErrorKind::Corrupt, "ISAL_UNSUPPORTED_METHOD: not deflate")
        }
        ffi::ISAL_INCORRECT_CHECKSUM => (
            ErrorKind::Corrupt,
            "ISAL_INCORRECT_CHECKSUM: checksum mismatch",
        ),
        _ => (ErrorKind::Other, "unexpected isal_inflate result"),
    };
    Error::new(kind, NAME, msg).with_code(i64::from(rc))
}

#[cold]
fn need_dict() -> Error {
    Error::new(
        ErrorKind::Unsupported,
        NAME,
        "ISAL_NEED_DICT: the zlib stream needs a preset dictionary",
    )
    .with_code(i64::from(ffi::ISAL_NEED_DICT))
}

/// ISA-L codec: one format, one level, reused compression and decompression state.
///
/// ```
/// use arsenal_compress::backend::isal::Isal;
/// use arsenal_compress::{Compress, Decompress, DeflateFormat};
///
/// let mut gz = Isal::new(DeflateFormat::Gzip, 3)?;
/// let log = b"GET /index.html 200\nGET /favicon.ico 404\n".repeat(100);
/// let packed = gz.compress(&log)?;
/// assert_eq!(&packed[..2], &[0x1f, 0x8b]);
/// assert_eq!(gz.decompress(&packed, log.len())?, log);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub struct Isal {
    format: DeflateFormat,
    level: i32,
    deflate: Box<ffi::isal_zstream>,
    level_buf: Vec<u8>,
    inflate: Box<ffi::inflate_state>,
}

// SAFETY: the ISA-L states are plain memory owned by this value (their pointers refer to
// its own `level_buf` or to ISA-L's static tables, and to caller buffers only during a
// call); ISA-L has no thread affinity, and `&mut self` gives one user at a time.
unsafe impl Send for Isal {}

impl std::fmt::Debug for Isal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Isal")
            .field("format", &self.format)
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

impl Default for Isal {
    /// Gzip at level 1.
    fn default() -> Self {
        Isal::new(DeflateFormat::Gzip, LEVELS.default).expect("default level is valid")
    }
}

impl sealed::Sealed for Isal {}

impl Isal {
    /// A codec for `format` compressing at `level` (0..=3).
    pub fn new(format: DeflateFormat, level: i32) -> Result<Self> {
        let level = LEVELS.check(NAME, level)?;
        // SAFETY: isal_zstream and inflate_state are C structs of integers, arrays and raw
        // pointers, for which all-zero is valid.
        let (deflate, inflate) = unsafe {
            (
                boxed_zeroed::<ffi::isal_zstream>(),
                boxed_zeroed::<ffi::inflate_state>(),
            )
        };
        Ok(Isal {
            format,
            level,
            deflate,
            level_buf: vec![0; level_buf_size(level)],
            inflate,
        })
    }

    /// The container format.
    pub fn format(&self) -> DeflateFormat {
        self.format
    }
}

/// Points `s` at this codec's level and work buffer and format (after an `*_init`).
fn configure(s: &mut ffi::isal_zstream, level: i32, level_buf: &mut [u8], format: DeflateFormat) {
    s.level = level as u32;
    if level_buf.is_empty() {
        s.level_buf = std::ptr::null_mut();
        s.level_buf_size = 0;
    } else {
        s.level_buf = level_buf.as_mut_ptr();
        s.level_buf_size = level_buf.len() as u32;
    }
    s.gzip_flag = gzip_flag(format);
}

impl Compress for Isal {
    fn name(&self) -> &'static str {
        NAME
    }

    fn level(&self) -> i32 {
        self.level
    }

    /// The size of the stored-block fallback `isal_deflate_stateless` uses when
    /// compression does not pay: input + 5 bytes per 64 KiB block + header and trailer.
    fn compress_bound(&self, src_len: usize) -> Result<usize> {
        let blocks = src_len.div_ceil(65_535).max(1);
        let bound = src_len
            .checked_add(blocks * 5 + 18)
            .filter(|&b| b <= u32::MAX as usize);
        bound.ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                NAME,
                format!("{src_len} input bytes exceed ISA-L's 4 GiB one-shot limit"),
            )
        })
    }

    fn compress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        let avail_in = u32_len(src.len(), "input")?;
        let avail_out = dst.len().min(u32::MAX as usize) as u32;
        let s: &mut ffi::isal_zstream = &mut self.deflate;
        // SAFETY: `s` is a valid, exclusively borrowed stream struct.
        unsafe { ffi::isal_deflate_stateless_init(s) };
        configure(s, self.level, &mut self.level_buf, self.format);
        s.flush = ffi::NO_FLUSH as u16;
        s.end_of_stream = 1;
        // ISA-L takes `*mut` but only reads the input.
        s.next_in = src.as_ptr().cast_mut();
        s.avail_in = avail_in;
        s.next_out = dst.as_mut_ptr().cast::<u8>();
        s.avail_out = avail_out;
        // SAFETY: the stream's input points at `avail_in` readable bytes and its output at
        // `avail_out` writable bytes of `dst`; its level buffer is `self.level_buf`, alive
        // and of the size recorded. ISA-L writes only initialised bytes into `dst`.
        let rc = unsafe { ffi::isal_deflate_stateless(s) };
        let written = avail_out.saturating_sub(s.avail_out) as usize;
        s.next_in = std::ptr::null_mut();
        s.next_out = std::ptr::null_mut();
        match rc {
            0 => Ok(written),
            ffi::STATELESS_OVERFLOW => Err(Error::new(
                ErrorKind::OutputTooSmall,
                NAME,
                format!("compressed data does not fit in {} bytes", dst.len()),
            )
            .with_code(i64::from(rc))),
            _ => Err(
                Error::new(ErrorKind::Other, NAME, "isal_deflate_stateless failed")
                    .with_code(i64::from(rc)),
            ),
        }
    }
}

impl Decompress for Isal {
    fn name(&self) -> &'static str {
        NAME
    }

    fn decompressed_size(&self, _src: &[u8]) -> Result<Option<u64>> {
        Ok(None)
    }

    fn decompress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        let avail_in = u32_len(src.len(), "input")?;
        let avail_out = dst.len().min(u32::MAX as usize) as u32;
        let st: &mut ffi::inflate_state = &mut self.inflate;
        // SAFETY: `st` is a valid, exclusively borrowed state struct.
        unsafe { ffi::isal_inflate_init(st) };
        st.crc_flag = crc_flag(self.format);
        st.next_in = src.as_ptr().cast_mut();
        st.avail_in = avail_in;
        st.next_out = dst.as_mut_ptr().cast::<u8>();
        st.avail_out = avail_out;
        // SAFETY: input and output point at `avail_in` readable / `avail_out` writable
        // bytes; ISA-L only reads the input and writes initialised bytes within `dst`.
        let rc = unsafe { ffi::isal_inflate_stateless(st) };
        // Counters are only trusted on success (see `IsalDecoder::decode`).
        let written = avail_out.saturating_sub(st.avail_out) as usize;
        let left = st.avail_in.min(avail_in) as usize;
        st.next_in = std::ptr::null_mut();
        st.next_out = std::ptr::null_mut();
        match rc {
            0 if left == 0 => Ok(written),
            0 => Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                format!("{left} trailing bytes after the {:?} stream", self.format),
            )),
            rc if rc == ffi::ISAL_END_INPUT as i32 => Err(Error::new(
                ErrorKind::Truncated,
                NAME,
                "ISAL_END_INPUT: input ended inside the stream",
            )
            .with_code(1)),
            rc if rc == ffi::ISAL_OUT_OVERFLOW as i32 => Err(Error::new(
                ErrorKind::OutputLimit,
                NAME,
                format!(
                    "decompressed data exceeds {} bytes (ISAL_OUT_OVERFLOW)",
                    dst.len()
                ),
            )
            .with_code(i64::from(rc))),
            rc if rc == ffi::ISAL_NEED_DICT as i32 => Err(need_dict()),
            rc => Err(inflate_error(rc)),
        }
    }
}

impl Codec for Isal {
    /// Gzip at `level`.
    fn with_level(level: i32) -> Result<Self> {
        Isal::new(DeflateFormat::Gzip, level)
    }

    fn levels(&self) -> Levels {
        LEVELS
    }
}

impl Streaming for Isal {
    type Encoder = IsalEncoder;
    type Decoder = IsalDecoder;

    fn encoder(&self) -> Result<IsalEncoder> {
        // SAFETY: all-zero is a valid isal_zstream (see `Isal::new`).
        let stream = unsafe { boxed_zeroed::<ffi::isal_zstream>() };
        let mut enc = IsalEncoder {
            stream,
            level_buf: vec![0; level_buf_size(self.level)],
            level: self.level,
            format: self.format,
        };
        enc.reset()?;
        Ok(enc)
    }

    fn decoder(&self) -> Result<IsalDecoder> {
        // SAFETY: all-zero is a valid inflate_state (see `Isal::new`).
        let state = unsafe { boxed_zeroed::<ffi::inflate_state>() };
        let mut dec = IsalDecoder {
            state,
            format: self.format,
            carry: Vec::new(),
        };
        dec.reset()?;
        Ok(dec)
    }
}

/// Step-wise ISA-L compressor over `isal_deflate` (see [`StreamEncoder`]).
///
/// ```
/// use arsenal_compress::backend::isal::Isal;
/// use arsenal_compress::{Decompress, Streaming};
/// use std::io::Write;
///
/// let mut codec = Isal::default();
/// let mut w = codec.writer(Vec::new())?;
/// for i in 0..1000 {
///     writeln!(w, "line {i}")?;
/// }
/// let gz = w.finish()?;
/// let text = codec.decompress(&gz, 1 << 20)?;
/// assert!(text.starts_with(b"line 0\nline 1\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct IsalEncoder {
    // Boxed: 80 KiB, and ISA-L keeps pointers into its own work buffer between calls.
    stream: Box<ffi::isal_zstream>,
    level_buf: Vec<u8>,
    level: i32,
    format: DeflateFormat,
}

// SAFETY: as for `Isal`: owned plain memory, no thread affinity, one user via `&mut self`.
unsafe impl Send for IsalEncoder {}

impl std::fmt::Debug for IsalEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IsalEncoder")
            .field("format", &self.format)
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

impl sealed::Sealed for IsalEncoder {}

impl IsalEncoder {
    fn run(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        flush: u32,
        end: bool,
    ) -> Result<(usize, usize)> {
        let avail_in = input.len().min(u32::MAX as usize) as u32;
        let avail_out = output.len().min(u32::MAX as usize) as u32;
        let s: &mut ffi::isal_zstream = &mut self.stream;
        s.flush = flush as u16;
        s.end_of_stream = u16::from(end);
        s.next_in = input.as_ptr().cast_mut();
        s.avail_in = avail_in;
        s.next_out = output.as_mut_ptr();
        s.avail_out = avail_out;
        // SAFETY: the stream was initialised by `reset`; its input/output point at
        // `avail_in` readable and `avail_out` writable bytes, its level buffer at
        // `self.level_buf` (alive, size recorded). ISA-L copies any input it keeps.
        let rc = unsafe { ffi::isal_deflate(s) };
        let consumed = avail_in.saturating_sub(s.avail_in) as usize;
        let written = avail_out.saturating_sub(s.avail_out) as usize;
        s.next_in = std::ptr::null_mut();
        s.avail_in = 0;
        s.next_out = std::ptr::null_mut();
        s.avail_out = 0;
        if rc != 0 {
            return Err(
                Error::new(ErrorKind::Other, NAME, "isal_deflate failed").with_code(i64::from(rc))
            );
        }
        Ok((consumed, written))
    }

    fn is_finished(&self) -> bool {
        self.stream.internal_state.state == ffi::isal_zstate_state_ZSTATE_END
    }
}

impl StreamEncoder for IsalEncoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn encode(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize)> {
        if self.is_finished() {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                NAME,
                "encode after finish; call reset first",
            ));
        }
        self.run(input, output, ffi::NO_FLUSH, false)
    }

    fn flush(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        if self.is_finished() {
            return Ok((0, true));
        }
        let (_, written) = self.run(&[], output, ffi::SYNC_FLUSH, false)?;
        // ISA-L: the flush is complete once a call leaves output room unused.
        Ok((written, written < output.len()))
    }

    fn finish(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        if self.is_finished() {
            return Ok((0, true));
        }
        let (_, written) = self.run(&[], output, ffi::NO_FLUSH, true)?;
        Ok((written, self.is_finished()))
    }

    fn reset(&mut self) -> Result<()> {
        let s: &mut ffi::isal_zstream = &mut self.stream;
        // SAFETY: `s` is a valid, exclusively borrowed stream struct.
        unsafe { ffi::isal_deflate_init(s) };
        configure(s, self.level, &mut self.level_buf, self.format);
        Ok(())
    }
}

/// Step-wise ISA-L decompressor over `isal_inflate` (see [`StreamDecoder`]);
/// `frame_done` once the stream's final block and trailer (checksum verified) are read.
///
/// ```
/// use arsenal_compress::backend::isal::Isal;
/// use arsenal_compress::{Compress, Streaming};
/// use std::io::Read;
///
/// let mut codec = Isal::default();
/// // Two gzip members back to back read as one stream, like `gzip -d`.
/// let mut both = codec.compress(b"one ")?;
/// both.extend(codec.compress(b"two")?);
/// let mut text = String::new();
/// codec.reader(&both[..], 100)?.read_to_string(&mut text)?;
/// assert_eq!(text, "one two");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct IsalDecoder {
    // Boxed: ~70 KiB of history and staging buffers.
    state: Box<ffi::inflate_state>,
    format: DeflateFormat,
    /// Bytes past the end of the last frame that ISA-L had already read ahead (into its
    /// bit buffer) during earlier calls: the start of whatever follows, fed first to the
    /// next frame.
    carry: Vec<u8>,
}

// SAFETY: as for `Isal`: owned plain memory, no thread affinity, one user via `&mut self`.
unsafe impl Send for IsalDecoder {}

impl std::fmt::Debug for IsalDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IsalDecoder")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl sealed::Sealed for IsalDecoder {}

impl StreamDecoder for IsalDecoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<DecodeStep> {
        if self.carry.is_empty() {
            return self.decode_raw(input, output);
        }
        // Feed the carried bytes first, followed by a little of `input`.
        let mut joined = std::mem::take(&mut self.carry);
        let carried = joined.len();
        joined.extend_from_slice(&input[..input.len().min(64)]);
        let step = self.decode_raw(&joined, output)?;
        let mut rest = std::mem::take(&mut self.carry);
        if step.consumed >= carried {
            // Whatever decode_raw carried over now comes from `joined`'s tail, which is
            // `input`'s head: give it back instead.
            let from_input = step.consumed - carried;
            let returned = rest.len().min(from_input);
            rest.drain(rest.len() - returned..);
            self.carry = rest;
            Ok(DecodeStep {
                consumed: from_input - returned,
                ..step
            })
        } else {
            let mut left = joined[step.consumed..carried].to_vec();
            left.extend_from_slice(&rest);
            self.carry = left;
            Ok(DecodeStep {
                consumed: 0,
                ..step
            })
        }
    }

    fn pending_input(&self) -> usize {
        self.carry.len()
    }

    fn reset(&mut self) -> Result<()> {
        let st: &mut ffi::inflate_state = &mut self.state;
        // SAFETY: `st` is a valid, exclusively borrowed state struct.
        unsafe { ffi::isal_inflate_init(st) };
        st.crc_flag = crc_flag(self.format);
        Ok(())
    }
}

impl IsalDecoder {
    fn decode_raw(&mut self, input: &[u8], output: &mut [u8]) -> Result<DecodeStep> {
        let avail_in = input.len().min(u32::MAX as usize) as u32;
        let avail_out = output.len().min(u32::MAX as usize) as u32;
        let st: &mut ffi::inflate_state = &mut self.state;
        if st.block_state == ffi::isal_block_state_ISAL_BLOCK_FINISH {
            return Ok(DecodeStep {
                consumed: 0,
                written: 0,
                frame_done: true,
            });
        }
        st.next_in = input.as_ptr().cast_mut();
        st.avail_in = avail_in;
        st.next_out = output.as_mut_ptr();
        st.avail_out = avail_out;
        // SAFETY: the state was initialised by `reset`; input/output point at `avail_in`
        // readable and `avail_out` writable bytes. ISA-L copies what it keeps between calls
        // (partial input, history) into the state itself.
        let rc = unsafe { ffi::isal_inflate(st) };
        // On errors ISA-L may leave the counters inconsistent (seen: `avail_in` wrapped
        // below zero after ISAL_INVALID_LOOKBACK), so they are only trusted on success.
        let consumed = avail_in.checked_sub(st.avail_in).map(|n| n as usize);
        let written = avail_out.checked_sub(st.avail_out).map(|n| n as usize);
        st.next_in = std::ptr::null_mut();
        st.avail_in = 0;
        st.next_out = std::ptr::null_mut();
        st.avail_out = 0;
        let (consumed, written) = match (rc, consumed, written) {
            (rc, _, _) if rc < 0 => return Err(inflate_error(rc)),
            (_, Some(c), Some(w)) => (c, w),
            _ => {
                return Err(Error::new(
                    ErrorKind::Other,
                    NAME,
                    "isal_inflate reported inconsistent counts",
                ))
            }
        };
        match rc {
            0 if st.block_state == ffi::isal_block_state_ISAL_BLOCK_FINISH => {
                // ISA-L reads ahead up to 8 bytes into its bit buffer; whole bytes still
                // there at the end of the stream belong to whatever follows it (the next
                // member or frame). Those read during this call go back to the caller
                // (`consumed` shrinks); older ones are kept in `carry`. The bit buffer is
                // least-significant bit first, the partial byte's padding bits first.
                let bits = u32::try_from(st.read_in_length.max(0)).unwrap_or(0);
                let unread = (bits / 8) as usize;
                let pad = bits % 8;
                let bytes: Vec<u8> = (0..unread)
                    .map(|i| (st.read_in >> (pad + 8 * i as u32)) as u8)
                    .collect();
                st.read_in = 0;
                st.read_in_length = 0;
                let returned = unread.min(consumed);
                self.carry = bytes[..unread - returned].to_vec();
                Ok(DecodeStep {
                    consumed: consumed - returned,
                    written,
                    frame_done: true,
                })
            }
            0 => Ok(DecodeStep {
                consumed,
                written,
                frame_done: false,
            }),
            rc if rc == ffi::ISAL_NEED_DICT as i32 => Err(need_dict()),
            rc if rc > 0 => Ok(DecodeStep {
                consumed,
                written,
                frame_done: false,
            }),
            rc => Err(inflate_error(rc)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{
        assert_corpus_round_trips, assert_reader_over_limit, assert_truncations_fail,
        read_in_chunks, run_tool, text, write_in_chunks, xorshift,
    };
    use std::io::{Read, Write};

    const FORMATS: [DeflateFormat; 3] =
        [DeflateFormat::Raw, DeflateFormat::Zlib, DeflateFormat::Gzip];

    #[test]
    fn round_trip_formats_and_levels() {
        let inputs = [Vec::new(), vec![7u8], xorshift(200_000, 5), text(1 << 20)];
        for format in FORMATS {
            for level in 0..=3 {
                let mut c = Isal::new(format, level).unwrap();
                assert_eq!((c.level(), c.format()), (level, format));
                for input in &inputs {
                    let packed = c.compress(input).unwrap();
                    assert!(packed.len() <= c.compress_bound(input.len()).unwrap());
                    assert_eq!(
                        &c.decompress(&packed, input.len()).unwrap(),
                        input,
                        "{format:?} {level}"
                    );
                }
            }
        }
        assert_eq!(Isal::default().level(), 1);
        assert_eq!(Isal::with_level(2).unwrap().format(), DeflateFormat::Gzip);
        assert_eq!(
            Isal::with_level(4).unwrap_err().kind(),
            ErrorKind::InvalidLevel
        );
        let big = text(1 << 20);
        let packed = Isal::with_level(3).unwrap().compress(&big).unwrap();
        assert!(packed.len() < big.len() / 5, "{}", packed.len());
    }

    #[test]
    fn limits_and_small_outputs() {
        let input = text(50_000);
        for format in FORMATS {
            let mut c = Isal::new(format, 1).unwrap();
            let packed = c.compress(&input).unwrap();
            assert_eq!(
                c.decompress(&packed, input.len() - 1).unwrap_err().kind(),
                ErrorKind::OutputLimit
            );
            let mut exact = vec![0u8; input.len()];
            assert_eq!(c.decompress_into(&packed, &mut exact).unwrap(), input.len());
            assert_eq!(exact, input);
            let mut small = vec![0u8; 10];
            assert_eq!(
                c.compress_into(&input, &mut small).unwrap_err().kind(),
                ErrorKind::OutputTooSmall
            );
        }
    }

    #[test]
    fn corrupt_truncated_and_trailing() {
        let input = text(3000);
        for format in FORMATS {
            let mut c = Isal::new(format, 2).unwrap();
            let packed = c.compress(&input).unwrap();
            assert_truncations_fail(&mut c, &packed, &format!("{format:?}"));
            for len in 0..packed.len() {
                let r = c
                    .reader(&packed[..len], 1 << 20)
                    .unwrap()
                    .read_to_end(&mut Vec::new());
                assert!(r.is_err(), "{format:?} stream truncated at {len}");
            }
            let mut trailing = packed.clone();
            trailing.extend_from_slice(b"junk");
            assert_eq!(
                c.decompress(&trailing, 1 << 20).unwrap_err().kind(),
                ErrorKind::Corrupt
            );
            for bit in 0..packed.len() * 8 {
                let mut bad = packed.clone();
                bad[bit / 8] ^= 1 << (bit % 8);
                if let Ok(out) = c.decompress(&bad, 1 << 20) {
                    assert!(
                        format == DeflateFormat::Raw || out == input,
                        "undetected flip {bit}"
                    );
                }
                let _ = c
                    .reader(&bad[..], 1 << 20)
                    .unwrap()
                    .read_to_end(&mut Vec::new());
            }
        }
    }

    #[test]
    fn streaming_matches_one_shot() {
        let input = text(400_000);
        for format in FORMATS {
            for level in [0, 3] {
                let mut c = Isal::new(format, level).unwrap();
                for chunk in [1usize, 13, 4096, 100_003] {
                    let expect = if chunk == 1 {
                        &input[..5000]
                    } else {
                        &input[..]
                    };
                    let packed = write_in_chunks(&c, expect, chunk, Some(2));
                    assert_eq!(
                        c.decompress(&packed, expect.len()).unwrap(),
                        expect,
                        "{format:?} {level} {chunk}"
                    );
                    let one_shot = c.compress(expect).unwrap();
                    let out = read_in_chunks(&c, &one_shot, expect.len() as u64, chunk);
                    assert_eq!(out, expect, "{format:?} {level} {chunk}");
                }
            }
        }
    }

    #[test]
    fn reader_limit_and_members() {
        let mut c = Isal::default();
        let big = c.compress(&text(10_000)).unwrap();
        assert_reader_over_limit(&c, &big, 9_999);
        let mut both = c.compress(b"first,").unwrap();
        both.extend(c.compress(b"second").unwrap());
        let mut s = String::new();
        c.reader(&both[..], 100)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "first,second");
    }

    #[test]
    fn cross_check_with_libdeflate_formats() {
        #[cfg(feature = "libdeflate")]
        {
            use crate::backend::libdeflate::Libdeflate;
            let input = text(200_000);
            for format in FORMATS {
                let mut isal = Isal::new(format, 3).unwrap();
                let mut ld = Libdeflate::new(format, 9).unwrap();
                assert_eq!(
                    ld.decompress(&isal.compress(&input).unwrap(), input.len())
                        .unwrap(),
                    input
                );
                assert_eq!(
                    isal.decompress(&ld.compress(&input).unwrap(), input.len())
                        .unwrap(),
                    input
                );
            }
        }
        #[cfg(not(feature = "libdeflate"))]
        println!("skipping: libdeflate feature off");
    }

    #[test]
    fn snappy_testdata_round_trip() {
        assert_corpus_round_trips::<Isal>(&[0, 1, 3], |_, _| false);
    }

    #[test]
    fn cross_check_with_gzip_cli() {
        let input = text(300_000);
        let run = |args: &[&str], stdin: &[u8]| run_tool("gzip", args, stdin);
        let mut c = Isal::with_level(3).unwrap();
        let Some(decoded) = run(&["-d", "-c"], &c.compress(&input).unwrap()) else {
            println!("skipping: gzip CLI not installed");
            return;
        };
        assert_eq!(decoded, input);
        let mut w = c.writer(Vec::new()).unwrap();
        w.write_all(&input).unwrap();
        assert_eq!(run(&["-d", "-c"], &w.finish().unwrap()).unwrap(), input);
        let theirs = run(&["-c", "-6"], &input).unwrap();
        assert_eq!(c.decompress(&theirs, input.len()).unwrap(), input);
        let mut out = Vec::new();
        c.reader(&theirs[..], 1 << 20)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, input);
    }

    #[test]
    fn is_send() {
        fn send<T: Send>() {}
        send::<Isal>();
        send::<IsalEncoder>();
        send::<IsalDecoder>();
    }
}
