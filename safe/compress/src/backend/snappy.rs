//! [Snappy](https://github.com/google/snappy) through `arsenal-snappy-sys` (Debian's
//! `libsnappy-dev` 1.1.x, its C API).
//!
//! Two types:
//! * [`Snappy`]: the raw format (a varint of the uncompressed length, then the
//!   compressed data), what `snappy_compress` writes; one level (0).
//! * [`SnappyFramed`]: the [framing format](https://github.com/google/snappy/blob/main/framing_format.txt)
//!   (stream identifier, then chunks of at most 64 KiB of input, each with the masked
//!   CRC-32C of its uncompressed bytes), implemented here in Rust over the raw calls. It
//!   streams ([`SnappyFramedEncoder`], [`SnappyFramedDecoder`]) and interoperates with
//!   the `snap` crate's `FrameEncoder`/`FrameDecoder` and other framing-format tools.
//!
//! The CRC-32C uses SSE4.2's `crc32` instruction when the CPU has it (checked at run
//! time), a table otherwise.

use std::ffi::c_char;
use std::mem::MaybeUninit;

use arsenal_snappy_sys as ffi;

use crate::stream::{DecodeStep, StreamDecoder, StreamEncoder};
use crate::{sealed, Codec, Compress, Decompress, Error, ErrorKind, Levels, Result, Streaming};

const NAME: &str = "snappy";

const LEVELS: Levels = Levels {
    min: 0,
    max: 0,
    default: 0,
};

#[cold]
fn status_error(status: ffi::snappy_status, kind: ErrorKind, what: &str) -> Error {
    let text = match status {
        ffi::SNAPPY_INVALID_INPUT => "SNAPPY_INVALID_INPUT",
        ffi::SNAPPY_BUFFER_TOO_SMALL => "SNAPPY_BUFFER_TOO_SMALL",
        _ => "unknown snappy_status",
    };
    Error::new(kind, NAME, format!("{what}: {text}")).with_code(i64::from(status))
}

fn max_compressed_length(len: usize) -> Result<usize> {
    // The raw format's length varint holds 32 bits.
    if u32::try_from(len).is_err() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            NAME,
            format!("{len} bytes exceed snappy's 4 GiB input limit"),
        ));
    }
    // SAFETY: pure function of its argument.
    Ok(unsafe { ffi::snappy_max_compressed_length(len) })
}

/// Raw snappy compression of `src` into `dst` (any length; too small gives
/// `OutputTooSmall`).
fn raw_compress(src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
    max_compressed_length(src.len())?;
    let mut len = dst.len();
    // SAFETY: `src` is readable and `dst` writable for their lengths (`len`); snappy
    // refuses (BUFFER_TOO_SMALL) a destination below its bound and writes only bytes.
    let status = unsafe {
        ffi::snappy_compress(
            src.as_ptr().cast::<c_char>(),
            src.len(),
            dst.as_mut_ptr().cast::<c_char>(),
            &mut len,
        )
    };
    match status {
        ffi::SNAPPY_OK => Ok(len),
        ffi::SNAPPY_BUFFER_TOO_SMALL => Err(status_error(
            status,
            ErrorKind::OutputTooSmall,
            "snappy_compress",
        )),
        _ => Err(status_error(status, ErrorKind::Other, "snappy_compress")),
    }
}

/// The length the raw stream `src` records.
fn raw_uncompressed_length(src: &[u8]) -> Result<usize> {
    if src.is_empty() {
        return Err(Error::new(ErrorKind::Truncated, NAME, "empty input"));
    }
    let mut len = 0usize;
    // SAFETY: `src` is readable for its length; `len` is a valid out-pointer.
    let status =
        unsafe { ffi::snappy_uncompressed_length(src.as_ptr().cast(), src.len(), &mut len) };
    if status != ffi::SNAPPY_OK {
        return Err(status_error(
            status,
            ErrorKind::Corrupt,
            "snappy_uncompressed_length",
        ));
    }
    Ok(len)
}

/// Raw snappy decompression: `OutputLimit` when the recorded length exceeds `dst`.
fn raw_decompress(src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
    let n = raw_uncompressed_length(src)?;
    if n > dst.len() {
        return Err(Error::new(
            ErrorKind::OutputLimit,
            NAME,
            format!("stream records {n} bytes, room for {}", dst.len()),
        ));
    }
    let mut len = dst.len();
    // SAFETY: `src` is readable and `dst` writable for their lengths; snappy_uncompress
    // checks every literal and copy against the output size and writes at most the
    // recorded length (≤ `dst.len()`), so no input can make it go out of bounds.
    let status = unsafe {
        ffi::snappy_uncompress(
            src.as_ptr().cast(),
            src.len(),
            dst.as_mut_ptr().cast(),
            &mut len,
        )
    };
    match status {
        ffi::SNAPPY_OK if len == n => Ok(len),
        ffi::SNAPPY_OK => Err(Error::new(ErrorKind::Corrupt, NAME, "length mismatch")),
        _ => Err(status_error(
            status,
            ErrorKind::Corrupt,
            "snappy_uncompress",
        )),
    }
}

/// The raw snappy format (no framing, no checksum).
///
/// ```
/// use arsenal_compress::backend::snappy::Snappy;
/// use arsenal_compress::{Compress, Decompress};
///
/// let mut snappy = Snappy::default();
/// let data = b"snappy snappy snappy snappy snappy".repeat(10);
/// let packed = snappy.compress(&data)?;
/// assert_eq!(snappy.decompressed_size(&packed)?, Some(data.len() as u64));
/// assert_eq!(snappy.decompress(&packed, 1 << 16)?, data);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
#[derive(Debug, Default, Clone)]
pub struct Snappy {
    _private: (),
}

impl sealed::Sealed for Snappy {}

impl Compress for Snappy {
    fn name(&self) -> &'static str {
        NAME
    }

    fn level(&self) -> i32 {
        0
    }

    fn compress_bound(&self, src_len: usize) -> Result<usize> {
        max_compressed_length(src_len)
    }

    fn compress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        raw_compress(src, dst)
    }
}

impl Decompress for Snappy {
    fn name(&self) -> &'static str {
        NAME
    }

    /// The varint length prefix (`snappy_uncompressed_length`).
    fn decompressed_size(&self, src: &[u8]) -> Result<Option<u64>> {
        raw_uncompressed_length(src).map(|n| Some(n as u64))
    }

    /// The densest Snappy element is a 3-byte copy of 64 bytes (64/3 < 22), so a block
    /// expands at most 22 times.
    fn max_decompressed_len(&self, src_len: usize) -> Option<u64> {
        Some((src_len as u64).saturating_mul(22))
    }

    fn decompress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        raw_decompress(src, dst)
    }
}

impl Codec for Snappy {
    /// Snappy has one level, 0.
    fn with_level(level: i32) -> Result<Self> {
        LEVELS.check(NAME, level)?;
        Ok(Snappy::default())
    }

    fn levels(&self) -> Levels {
        LEVELS
    }
}

// ---------------------------------------------------------------------------------------
// Framing format.

/// The stream identifier chunk every framed stream starts with.
const STREAM_IDENTIFIER: [u8; 10] = *b"\xff\x06\x00\x00sNaPpY";
/// Most uncompressed bytes in one chunk.
const MAX_BLOCK: usize = 65_536;
const CHUNK_COMPRESSED: u8 = 0x00;
const CHUNK_UNCOMPRESSED: u8 = 0x01;
const CHUNK_PADDING: u8 = 0xfe;
const CHUNK_STREAM_ID: u8 = 0xff;

/// Largest compressed chunk body (CRC + raw snappy of 64 KiB).
fn max_chunk_body() -> usize {
    // SAFETY: pure function of its argument.
    4 + unsafe { ffi::snappy_max_compressed_length(MAX_BLOCK) }
}

/// The CRC-32C (Castagnoli) of `data`, masked as the framing format requires.
fn masked_crc32c(data: &[u8]) -> u32 {
    let crc = crc32c(data);
    (crc.rotate_right(15)).wrapping_add(0xa282_ead8)
}

/// CRC-32C of `data` (initial value and final xor `!0`).
pub(crate) fn crc32c(data: &[u8]) -> u32 {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("sse4.2") {
            // SAFETY: the CPU supports SSE4.2 (checked just above).
            return unsafe { crc32c_sse42(data) };
        }
    }
    crc32c_table(data)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.2")]
unsafe fn crc32c_sse42(data: &[u8]) -> u32 {
    use std::arch::x86_64::{_mm_crc32_u64, _mm_crc32_u8};
    let mut crc = u64::from(!0u32);
    let mut words = data.chunks_exact(8);
    for word in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        crc = _mm_crc32_u64(crc, u64::from_le_bytes(bytes));
    }
    let mut crc = crc as u32;
    for &byte in words.remainder() {
        crc = _mm_crc32_u8(crc, byte);
    }
    !crc
}

const CRC32C_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x82f6_3b78
            } else {
                crc >> 1
            };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

fn crc32c_table(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc = CRC32C_TABLE[((crc ^ u32::from(byte)) & 0xff) as usize] ^ (crc >> 8);
    }
    !crc
}

fn read_u24(b: &[u8]) -> usize {
    usize::from(b[0]) | usize::from(b[1]) << 8 | usize::from(b[2]) << 16
}

fn copy_into(dst: &mut [MaybeUninit<u8>], src: &[u8]) {
    assert!(src.len() <= dst.len());
    // SAFETY: `dst` has room for `src.len()` elements (asserted); `MaybeUninit<u8>` has
    // the layout of `u8`; a `&mut` and a `&` never overlap.
    unsafe {
        std::ptr::copy_nonoverlapping(src.as_ptr(), dst.as_mut_ptr().cast::<u8>(), src.len());
    }
}

/// Writes one chunk for `block` (≤ 64 KiB) at the start of `dst`: compressed unless that
/// saves less than 1/8 (the rule of the reference implementation and `snap`).
/// `scratch` is used when `dst` is smaller than the worst case.
fn write_chunk(block: &[u8], dst: &mut [MaybeUninit<u8>], scratch: &mut Vec<u8>) -> Result<usize> {
    debug_assert!(block.len() <= MAX_BLOCK);
    let too_small = || Error::new(ErrorKind::OutputTooSmall, NAME, "destination too small");
    if dst.len() < 8 {
        return Err(too_small());
    }
    let crc = masked_crc32c(block);
    let bound = max_compressed_length(block.len())?;
    let compressed_len = if dst.len() - 8 >= bound {
        raw_compress(block, &mut dst[8..])?
    } else {
        scratch.clear();
        scratch.reserve(bound);
        let n = raw_compress(block, &mut scratch.spare_capacity_mut()[..bound])?;
        // SAFETY: snappy initialised the first `n` spare bytes.
        unsafe { scratch.set_len(n) };
        n
    };
    let (kind, body) = if compressed_len >= block.len() - block.len() / 8 {
        if dst.len() - 8 < block.len() {
            return Err(too_small());
        }
        copy_into(&mut dst[8..], block);
        (CHUNK_UNCOMPRESSED, block.len())
    } else {
        if dst.len() - 8 < compressed_len {
            return Err(too_small());
        }
        if !scratch.is_empty() && dst.len() - 8 < bound {
            copy_into(&mut dst[8..], scratch);
        }
        (CHUNK_COMPRESSED, compressed_len)
    };
    let len = (body + 4) as u32;
    let mut header = [
        kind,
        len as u8,
        (len >> 8) as u8,
        (len >> 16) as u8,
        0,
        0,
        0,
        0,
    ];
    header[4..].copy_from_slice(&crc.to_le_bytes());
    copy_into(dst, &header);
    Ok(8 + body)
}

/// Decodes the body of a data chunk into `dst`; returns the bytes written.
fn decode_chunk(kind: u8, body: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
    if body.len() < 4 {
        return Err(Error::new(
            ErrorKind::Corrupt,
            NAME,
            "chunk shorter than its checksum",
        ));
    }
    let expected = u32::from_le_bytes([body[0], body[1], body[2], body[3]]);
    let data = &body[4..];
    let n = if kind == CHUNK_COMPRESSED {
        let n = raw_uncompressed_length(data)?;
        if n > MAX_BLOCK {
            return Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                "chunk holds more than 64 KiB",
            ));
        }
        raw_decompress(data, dst)?
    } else {
        if data.len() > MAX_BLOCK {
            return Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                "chunk holds more than 64 KiB",
            ));
        }
        if data.len() > dst.len() {
            return Err(Error::new(
                ErrorKind::OutputLimit,
                NAME,
                "output limit reached",
            ));
        }
        copy_into(dst, data);
        data.len()
    };
    // SAFETY: the first `n` bytes of `dst` were just initialised.
    let written = unsafe { std::slice::from_raw_parts(dst.as_ptr().cast::<u8>(), n) };
    if masked_crc32c(written) != expected {
        return Err(Error::new(
            ErrorKind::Corrupt,
            NAME,
            "chunk checksum mismatch",
        ));
    }
    Ok(n)
}

/// Checks a chunk type and its length; `Ok(true)` for data chunks, `Ok(false)` for
/// chunks to skip.
fn classify(kind: u8, len: usize, first: bool) -> Result<bool> {
    let corrupt = |msg: &'static str| Err(Error::new(ErrorKind::Corrupt, NAME, msg));
    if first && kind != CHUNK_STREAM_ID {
        return corrupt("stream does not start with the snappy stream identifier");
    }
    match kind {
        CHUNK_COMPRESSED if len > max_chunk_body() => corrupt("compressed chunk too long"),
        CHUNK_UNCOMPRESSED if len > 4 + MAX_BLOCK => corrupt("uncompressed chunk too long"),
        CHUNK_COMPRESSED | CHUNK_UNCOMPRESSED => Ok(true),
        CHUNK_STREAM_ID if len != STREAM_IDENTIFIER.len() - 4 => {
            corrupt("bad stream identifier length")
        }
        CHUNK_STREAM_ID => Ok(false),
        0x02..=0x7f => corrupt("reserved unskippable chunk type"),
        0x80..=0xfd | CHUNK_PADDING => Ok(false), // reserved skippable, padding
    }
}

/// The snappy framing format: stream identifier, then CRC-checked chunks of at most
/// 64 KiB of input each. No level (0) and no recorded size; concatenated streams and
/// padding/skippable chunks are accepted.
///
/// ```
/// use std::io::{Read, Write};
/// use arsenal_compress::backend::snappy::SnappyFramed;
/// use arsenal_compress::{Compress, Decompress, Streaming};
///
/// let mut framed = SnappyFramed::default();
/// let packed = framed.compress(b"framed data")?;
/// assert_eq!(&packed[..10], b"\xff\x06\x00\x00sNaPpY");
/// assert_eq!(framed.decompress(&packed, 100)?, b"framed data");
///
/// let mut w = framed.writer(Vec::new())?;
/// w.write_all(b"streamed")?;
/// let streamed = w.finish()?;
/// let mut out = Vec::new();
/// framed.reader(&streamed[..], 100)?.read_to_end(&mut out)?;
/// assert_eq!(out, b"streamed");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default, Clone)]
pub struct SnappyFramed {
    scratch: Vec<u8>,
}

impl sealed::Sealed for SnappyFramed {}

impl Compress for SnappyFramed {
    fn name(&self) -> &'static str {
        NAME
    }

    fn level(&self) -> i32 {
        0
    }

    fn compress_bound(&self, src_len: usize) -> Result<usize> {
        let full = src_len / MAX_BLOCK;
        let rest = src_len % MAX_BLOCK;
        let per_full = 8 + max_compressed_length(MAX_BLOCK)?;
        let last = if rest > 0 {
            8 + max_compressed_length(rest)?
        } else {
            0
        };
        full.checked_mul(per_full)
            .and_then(|n| n.checked_add(last + STREAM_IDENTIFIER.len()))
            .ok_or_else(|| Error::new(ErrorKind::InvalidArgument, NAME, "input too large"))
    }

    fn compress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        if dst.len() < STREAM_IDENTIFIER.len() {
            return Err(Error::new(
                ErrorKind::OutputTooSmall,
                NAME,
                "destination too small",
            ));
        }
        copy_into(dst, &STREAM_IDENTIFIER);
        let mut pos = STREAM_IDENTIFIER.len();
        for block in src.chunks(MAX_BLOCK) {
            pos += write_chunk(block, &mut dst[pos..], &mut self.scratch)?;
        }
        Ok(pos)
    }
}

impl Decompress for SnappyFramed {
    fn name(&self) -> &'static str {
        NAME
    }

    /// Always `Ok(None)`: the framing format records no total size.
    fn decompressed_size(&self, _src: &[u8]) -> Result<Option<u64>> {
        Ok(None)
    }

    fn decompress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        if src.is_empty() {
            // The format has no end marker and `snap`'s encoder writes nothing at all for
            // empty data: zero bytes are the empty stream.
            return Ok(0);
        }
        let truncated = || Error::new(ErrorKind::Truncated, NAME, "input ends inside a chunk");
        let (mut pos, mut out) = (0usize, 0usize);
        while pos < src.len() {
            let header = src.get(pos..pos + 4).ok_or_else(truncated)?;
            let (kind, len) = (header[0], read_u24(&header[1..]));
            let is_data = classify(kind, len, pos == 0)?;
            let body = src.get(pos + 4..pos + 4 + len).ok_or_else(truncated)?;
            if kind == CHUNK_STREAM_ID && body != &STREAM_IDENTIFIER[4..] {
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    NAME,
                    "bad stream identifier",
                ));
            }
            if is_data {
                out += decode_chunk(kind, body, &mut dst[out..])?;
            }
            pos += 4 + len;
        }
        Ok(out)
    }
}

impl Codec for SnappyFramed {
    /// Snappy has one level, 0.
    fn with_level(level: i32) -> Result<Self> {
        LEVELS.check(NAME, level)?;
        Ok(SnappyFramed::default())
    }

    fn levels(&self) -> Levels {
        LEVELS
    }
}

impl Streaming for SnappyFramed {
    type Encoder = SnappyFramedEncoder;
    type Decoder = SnappyFramedDecoder;

    fn encoder(&self) -> Result<SnappyFramedEncoder> {
        Ok(SnappyFramedEncoder::new())
    }

    fn decoder(&self) -> Result<SnappyFramedDecoder> {
        Ok(SnappyFramedDecoder::new())
    }
}

/// Step-wise framing-format compression: collects input into 64 KiB blocks, each
/// written as one chunk (`flush` writes a partial block). Output is staged internally,
/// so any output buffer size works. Made by [`Streaming::encoder`].
///
/// ```
/// use arsenal_compress::backend::snappy::SnappyFramed;
/// use arsenal_compress::{Decompress, StreamEncoder, Streaming};
///
/// let mut enc = SnappyFramed::default().encoder()?;
/// let mut out = vec![0u8; 256];
/// let (consumed, mut n) = enc.encode(b"abc", &mut out)?;
/// assert_eq!(consumed, 3);
/// loop {
///     let (written, done) = enc.finish(&mut out[n..])?;
///     n += written;
///     if done { break; }
/// }
/// assert_eq!(SnappyFramed::default().decompress(&out[..n], 10)?, b"abc");
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
#[derive(Debug)]
pub struct SnappyFramedEncoder {
    pending: Vec<u8>,
    staged: Vec<u8>,
    staged_pos: usize,
    scratch: Vec<u8>,
}

impl SnappyFramedEncoder {
    fn new() -> Self {
        SnappyFramedEncoder {
            pending: Vec::with_capacity(MAX_BLOCK),
            staged: STREAM_IDENTIFIER.to_vec(),
            staged_pos: 0,
            scratch: Vec::new(),
        }
    }

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

    /// Moves the pending block into the staged output as one chunk.
    fn emit_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let bound = 8 + max_compressed_length(self.pending.len())?.max(self.pending.len());
        let start = self.staged.len();
        self.staged.reserve(bound);
        let n = write_chunk(
            &self.pending,
            &mut self.staged.spare_capacity_mut()[..bound],
            &mut self.scratch,
        )?;
        // SAFETY: `write_chunk` initialised the first `n` spare bytes.
        unsafe { self.staged.set_len(start + n) };
        self.pending.clear();
        Ok(())
    }

    fn flush_all(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        let mut written = self.drain(output);
        if !self.pending.is_empty() {
            self.emit_pending()?;
            written += self.drain(&mut output[written..]);
        }
        Ok((written, self.staged.is_empty()))
    }
}

impl sealed::Sealed for SnappyFramedEncoder {}

impl StreamEncoder for SnappyFramedEncoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn encode(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize)> {
        let mut written = self.drain(output);
        let mut consumed = 0;
        while self.staged.is_empty() && consumed < input.len() {
            let take = (MAX_BLOCK - self.pending.len()).min(input.len() - consumed);
            self.pending
                .extend_from_slice(&input[consumed..consumed + take]);
            consumed += take;
            if self.pending.len() == MAX_BLOCK {
                self.emit_pending()?;
                written += self.drain(&mut output[written..]);
            }
        }
        Ok((consumed, written))
    }

    fn flush(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        self.flush_all(output)
    }

    fn finish(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        self.flush_all(output)
    }

    fn reset(&mut self) -> Result<()> {
        *self = SnappyFramedEncoder::new();
        Ok(())
    }
}

/// Step-wise framing-format decompression. The format has no end marker, so the decoder
/// reports `frame_done` (a) before the stream identifier of a concatenated stream
/// (without consuming it) and (b) whenever it has consumed all its input at a chunk
/// boundary with nothing left to write, since the stream may end there.
/// [`reset`](StreamDecoder::reset) drops a partial chunk; the first identifier stays
/// seen. A [`crate::Reader`] thus reads whole streams; with `multi_frame(false)` it stops
/// at the next stream identifier, or earlier if its buffered input happens to end on a
/// chunk boundary (b). Made by [`Streaming::decoder`].
///
/// ```
/// use arsenal_compress::backend::snappy::SnappyFramed;
/// use arsenal_compress::{Compress, StreamDecoder, Streaming};
///
/// let mut framed = SnappyFramed::default();
/// let packed = framed.compress(b"chunked")?;
/// let mut dec = framed.decoder()?;
/// let mut out = [0u8; 16];
/// let step = dec.decode(&packed, &mut out)?;
/// assert_eq!(&out[..step.written], b"chunked");
/// assert!(step.frame_done);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
#[derive(Debug)]
pub struct SnappyFramedDecoder {
    /// The current chunk: header, then body as it arrives.
    chunk: Vec<u8>,
    /// Body bytes of a skipped chunk still to consume.
    skip: usize,
    seen_identifier: bool,
    /// A data chunk was decoded since the last stream identifier.
    data_since_identifier: bool,
    /// The next chunk is a stream identifier after data: a new stream (a "frame") starts.
    stream_ahead: bool,
    staged: Vec<u8>,
    staged_pos: usize,
}

impl SnappyFramedDecoder {
    fn new() -> Self {
        SnappyFramedDecoder {
            chunk: Vec::new(),
            skip: 0,
            seen_identifier: false,
            data_since_identifier: false,
            stream_ahead: false,
            staged: Vec::with_capacity(MAX_BLOCK),
            staged_pos: 0,
        }
    }

    fn drain(&mut self, output: &mut [u8]) -> usize {
        let n = (self.staged.len() - self.staged_pos).min(output.len());
        output[..n].copy_from_slice(&self.staged[self.staged_pos..self.staged_pos + n]);
        self.staged_pos += n;
        n
    }

    /// Consumes input towards the next complete chunk and decodes it into `staged`.
    fn advance(&mut self, input: &[u8]) -> Result<usize> {
        let mut consumed = 0;
        loop {
            if self.skip > 0 {
                let n = self.skip.min(input.len() - consumed);
                self.skip -= n;
                consumed += n;
                if self.skip > 0 {
                    return Ok(consumed);
                }
                continue;
            }
            if self.chunk.is_empty()
                && self.data_since_identifier
                && input.get(consumed) == Some(&CHUNK_STREAM_ID)
            {
                // Stop before the identifier of a concatenated stream: the current one
                // ends here (`frame_done`), and the rest stays with the caller.
                self.stream_ahead = true;
                return Ok(consumed);
            }
            if self.chunk.len() < 4 {
                let n = (4 - self.chunk.len()).min(input.len() - consumed);
                self.chunk.extend_from_slice(&input[consumed..consumed + n]);
                consumed += n;
                if self.chunk.len() < 4 {
                    return Ok(consumed);
                }
                let (kind, len) = (self.chunk[0], read_u24(&self.chunk[1..4]));
                let is_data = classify(kind, len, !self.seen_identifier)?;
                if !is_data && kind != CHUNK_STREAM_ID {
                    self.skip = len;
                    self.chunk.clear();
                    continue;
                }
            }
            let len = read_u24(&self.chunk[1..4]);
            let n = (4 + len - self.chunk.len()).min(input.len() - consumed);
            self.chunk.extend_from_slice(&input[consumed..consumed + n]);
            consumed += n;
            if self.chunk.len() < 4 + len {
                return Ok(consumed);
            }
            let kind = self.chunk[0];
            if kind == CHUNK_STREAM_ID {
                if self.chunk[4..] != STREAM_IDENTIFIER[4..] {
                    return Err(Error::new(
                        ErrorKind::Corrupt,
                        NAME,
                        "bad stream identifier",
                    ));
                }
                self.seen_identifier = true;
                self.chunk.clear();
                continue;
            }
            self.staged.clear();
            self.staged_pos = 0;
            self.staged.reserve(MAX_BLOCK);
            let n = decode_chunk(
                kind,
                &self.chunk[4..],
                &mut self.staged.spare_capacity_mut()[..MAX_BLOCK],
            )
            .map_err(|e| {
                if e.kind() == ErrorKind::OutputLimit {
                    Error::new(ErrorKind::Corrupt, NAME, "chunk holds more than 64 KiB")
                } else {
                    e
                }
            })?;
            // SAFETY: `decode_chunk` initialised the first `n` spare bytes.
            unsafe { self.staged.set_len(n) };
            self.chunk.clear();
            self.data_since_identifier = true;
            return Ok(consumed);
        }
    }
}

impl sealed::Sealed for SnappyFramedDecoder {}

impl StreamDecoder for SnappyFramedDecoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<DecodeStep> {
        let mut step = DecodeStep::default();
        loop {
            step.written += self.drain(&mut output[step.written..]);
            let drained = self.staged_pos == self.staged.len();
            if !drained || step.written == output.len() && !output.is_empty() {
                break;
            }
            if step.consumed == input.len() {
                break;
            }
            let n = self.advance(&input[step.consumed..])?;
            step.consumed += n;
            if self.stream_ahead || self.staged_pos == self.staged.len() && n == 0 {
                break;
            }
        }
        let drained = self.staged_pos == self.staged.len();
        let at_boundary = self.chunk.is_empty() && self.skip == 0 && self.seen_identifier;
        if drained && self.stream_ahead {
            // Reported once; the next call consumes the new identifier.
            self.stream_ahead = false;
            self.data_since_identifier = false;
            step.frame_done = true;
        } else {
            step.frame_done = drained && at_boundary && step.consumed == input.len();
        }
        Ok(step)
    }

    fn reset(&mut self) -> Result<()> {
        self.chunk.clear();
        self.skip = 0;
        self.stream_ahead = false;
        self.data_since_identifier = false;
        self.staged.clear();
        self.staged_pos = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;
    use crate::testutil::{
        assert_truncations_fail, corpus, encode_with_tiny_output, read_error, read_in_chunks, text,
        write_in_chunks, xorshift,
    };

    fn inputs() -> Vec<Vec<u8>> {
        vec![Vec::new(), vec![7], xorshift(200_000, 11), text(1 << 20)]
    }

    #[test]
    fn crc32c_known_answers() {
        assert_eq!(crc32c(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c_table(b"123456789"), 0xE306_9283);
        assert_eq!(crc32c(b""), 0);
        let data = xorshift(1001, 5);
        for len in [0, 1, 7, 8, 9, 63, 1001] {
            assert_eq!(crc32c(&data[..len]), crc32c_table(&data[..len]));
        }
        // The masked checksum snap writes into its chunk for the same bytes.
        let mut w = snap::write::FrameEncoder::new(Vec::new());
        w.write_all(b"abc").unwrap();
        let theirs = w.into_inner().unwrap();
        assert_eq!(theirs[14..18], masked_crc32c(b"abc").to_le_bytes());
    }

    #[test]
    fn raw_round_trip_and_levels() {
        let mut s = Snappy::with_level(0).unwrap();
        assert_eq!(
            Snappy::with_level(1).unwrap_err().kind(),
            ErrorKind::InvalidLevel
        );
        assert_eq!(s.levels(), LEVELS);
        for data in inputs() {
            let packed = s.compress(&data).unwrap();
            assert_eq!(
                s.decompressed_size(&packed).unwrap(),
                Some(data.len() as u64)
            );
            assert_eq!(s.decompress(&packed, data.len()).unwrap(), data);
            if !data.is_empty() {
                assert_eq!(
                    s.decompress(&packed, data.len() - 1).unwrap_err().kind(),
                    ErrorKind::OutputLimit
                );
            }
            // snap agrees both ways.
            assert_eq!(
                snap::raw::Decoder::new().decompress_vec(&packed).unwrap(),
                data
            );
            let theirs = snap::raw::Encoder::new().compress_vec(&data).unwrap();
            assert_eq!(s.decompress(&theirs, data.len()).unwrap(), data);
        }
        let big = text(1 << 20);
        assert!(s.compress(&big).unwrap().len() < big.len() / 4);
        let mut small = [0u8; 10];
        assert_eq!(
            s.compress_into(&big, &mut small).unwrap_err().kind(),
            ErrorKind::OutputTooSmall
        );
    }

    #[test]
    fn raw_corrupt_inputs_fail() {
        let mut s = Snappy::default();
        let packed = s.compress(&text(3000)).unwrap();
        assert_truncations_fail(&mut s, &packed, "raw snappy");
        for i in 0..packed.len() {
            for bit in [1u8, 0x40] {
                let mut bad = packed.clone();
                bad[i] ^= bit;
                // Raw snappy has no checksum: a flip may decode to other bytes, but must
                // never crash or exceed the limit.
                if let Ok(out) = s.decompress(&bad, 1 << 20) {
                    assert!(out.len() <= 1 << 20);
                }
            }
        }
        assert_eq!(
            s.decompress(&[0xff; 11], 100).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
        // A lying length prefix is refused before any allocation.
        assert_eq!(
            s.decompress(&[0xff, 0xff, 0xff, 0x7f], 1000)
                .unwrap_err()
                .kind(),
            ErrorKind::OutputLimit
        );
    }

    #[test]
    fn raw_testdata() {
        let Some(corpus) = corpus() else { return };
        let mut s = Snappy::default();
        let mut files = 0;
        for (path, data) in corpus {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with("baddata") {
                let err = s.decompress(&data, 1 << 24).unwrap_err();
                assert!(
                    matches!(err.kind(), ErrorKind::Corrupt | ErrorKind::OutputLimit),
                    "{name}: {err}"
                );
                continue;
            }
            let packed = s.compress(&data).unwrap();
            assert_eq!(s.decompress(&packed, data.len()).unwrap(), data, "{name}");
            assert_eq!(
                snap::raw::Decoder::new().decompress_vec(&packed).unwrap(),
                data
            );
            let mut framed = SnappyFramed::default();
            let packed = framed.compress(&data).unwrap();
            assert_eq!(
                framed.decompress(&packed, data.len()).unwrap(),
                data,
                "{name}"
            );
            files += 1;
        }
        assert!(files >= 10, "only {files} files");
    }

    #[test]
    fn framed_round_trip_and_snap_interop() {
        let mut f = SnappyFramed::default();
        for data in inputs() {
            let packed = f.compress(&data).unwrap();
            assert!(packed.len() <= f.compress_bound(data.len()).unwrap());
            assert_eq!(f.decompressed_size(&packed).unwrap(), None);
            assert_eq!(f.decompress(&packed, data.len()).unwrap(), data);
            if !data.is_empty() {
                assert_eq!(
                    f.decompress(&packed, data.len() - 1).unwrap_err().kind(),
                    ErrorKind::OutputLimit
                );
            }
            // Ours → snap.
            let mut out = Vec::new();
            snap::read::FrameDecoder::new(&packed[..])
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, data);
            // snap → ours, one-shot and streaming.
            let mut w = snap::write::FrameEncoder::new(Vec::new());
            w.write_all(&data).unwrap();
            let theirs = w.into_inner().unwrap();
            if !data.is_empty() {
                assert_eq!(f.decompress(&theirs, data.len()).unwrap(), data);
            }
            let mut out = Vec::new();
            let mut ours_via_writer = f.writer(Vec::new()).unwrap();
            ours_via_writer.write_all(&data).unwrap();
            let streamed = ours_via_writer.finish().unwrap();
            f.reader(&streamed[..], data.len() as u64)
                .unwrap()
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, data);
            if !data.is_empty() {
                let mut out = Vec::new();
                f.reader(&theirs[..], data.len() as u64)
                    .unwrap()
                    .read_to_end(&mut out)
                    .unwrap();
                assert_eq!(out, data);
            }
            // Chunking rule: compressed unless it saves less than 1/8.
            if data.len() == 200_000 {
                assert_eq!(
                    packed[10], CHUNK_UNCOMPRESSED,
                    "random data stays uncompressed"
                );
            }
        }
        let mut exact = vec![0u8; f.compress(&text(100_000)).unwrap().len()];
        f.compress_into(&text(100_000), &mut exact).unwrap();
        assert_eq!(f.decompress(&exact, 100_000).unwrap(), text(100_000));
    }

    #[test]
    fn framed_streaming_in_odd_chunks() {
        let data = text(300_000);
        let f = SnappyFramed::default();
        let one_shot = SnappyFramed::default().compress(&data).unwrap();
        for chunk in [1usize, 7, 4096, 65_537] {
            let streamed = write_in_chunks(&f, &data, chunk, None);
            assert_eq!(streamed, one_shot, "write chunk {chunk}");
            let out = read_in_chunks(&f, &one_shot, data.len() as u64, chunk);
            assert_eq!(out, data, "read chunk {chunk}");
        }
        // Byte-at-a-time straight through the decoder.
        let mut dec = f.decoder().unwrap();
        let mut out = Vec::new();
        let mut one = [0u8; 1];
        let mut src = &one_shot[..];
        while !src.is_empty() {
            let step = dec.decode(&src[..1], &mut one).unwrap();
            out.extend_from_slice(&one[..step.written]);
            src = &src[step.consumed..];
        }
        loop {
            let step = dec.decode(&[], &mut one).unwrap();
            if step.written == 0 {
                break;
            }
            out.extend_from_slice(&one[..step.written]);
        }
        assert_eq!(out, data);
        // Tiny output buffers on the encoder.
        assert_eq!(encode_with_tiny_output(&f, &data), one_shot);
    }

    #[test]
    fn framed_corrupt_and_truncated() {
        let mut f = SnappyFramed::default();
        let data = text(5000);
        let packed = f.compress(&data).unwrap();
        for cut in 0..packed.len() {
            if cut == 0 || cut == STREAM_IDENTIFIER.len() {
                // No bytes at all (what `snap` writes for empty data) or a chunk
                // boundary: the format has no end marker, so this is a valid (empty)
                // stream for the one-shot decoder.
                assert_eq!(f.decompress(&packed[..cut], 1 << 20).unwrap(), b"");
                continue;
            }
            let err = f.decompress(&packed[..cut], 1 << 20).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::Truncated | ErrorKind::Corrupt),
                "cut {cut}: {err}"
            );
            let err = read_error(&f, &packed[..cut], 1 << 20);
            assert!(
                matches!(
                    err.kind(),
                    std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData
                ),
                "cut {cut}: {err}"
            );
        }
        for i in 0..packed.len() {
            let mut bad = packed.clone();
            bad[i] ^= 0x04;
            assert!(
                f.decompress(&bad, 1 << 20).is_err(),
                "flip at {i} went unnoticed"
            );
            assert!(f
                .reader(&bad[..], 1 << 20)
                .unwrap()
                .read_to_end(&mut Vec::new())
                .is_err());
        }
        // Reserved unskippable chunk → Corrupt; skippable and padding chunks are skipped.
        let mut reserved = packed.clone();
        reserved.extend_from_slice(&[0x02, 1, 0, 0, 0]);
        assert_eq!(
            f.decompress(&reserved, 1 << 20).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
        let mut skippable = STREAM_IDENTIFIER.to_vec();
        skippable.extend_from_slice(&[0x80, 3, 0, 0, 1, 2, 3, CHUNK_PADDING, 2, 0, 0, 0, 0]);
        skippable.extend_from_slice(&packed[10..]);
        skippable.extend_from_slice(&packed); // a second stream identifier, then data again
        let mut twice = data.clone();
        twice.extend_from_slice(&data);
        assert_eq!(f.decompress(&skippable, 1 << 20).unwrap(), twice);
        let mut out = Vec::new();
        f.reader(&skippable[..], 1 << 20)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, twice);
        // `multi_frame(false)` stops before the second stream identifier.
        let mut first = Vec::new();
        let mut r = f
            .reader(&skippable[..], 1 << 20)
            .unwrap()
            .multi_frame(false);
        r.read_to_end(&mut first).unwrap();
        assert_eq!(first, data);
        let mut rest = r.into_inner();
        assert_eq!(std::io::BufRead::fill_buf(&mut rest).unwrap(), &packed[..]);
        // No stream identifier.
        assert_eq!(
            f.decompress(&packed[10..], 1 << 20).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
    }
}
