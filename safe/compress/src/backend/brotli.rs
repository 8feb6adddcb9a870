//! Brotli (RFC 7932) through the reference C library (`brotlic-sys`).
//!
//! * Levels (brotli "quality") 0..=11, default **6**: a balanced speed/ratio point. The
//!   `brotli` CLI and the C library default to 11, which compresses noticeably better
//!   but is roughly 50x slower; ask for it explicitly with [`Codec::with_level`].
//! * Window: `lgwin` 22 (4 MiB, `BROTLI_DEFAULT_WINDOW`), generic mode.
//! * Brotli streams do not record their decompressed size:
//!   [`Decompress::decompressed_size`] is always `None`, and the provided
//!   [`Decompress::decompress_append`] grows its buffer up to the caller's limit.
//! * Streaming: [`BrotliEncoder`] / [`BrotliDecoder`], hence `io::Write`/`io::Read`
//!   through [`Streaming::writer`] / [`Streaming::reader`].
//! * No dictionaries: this backend does not implement [`crate::WithDictionary`]
//!   (custom dictionaries are outside the stable encoder/decoder API used here).
//!
//! The C library offers no way to reset a decoder, so each one-shot decompression and
//! each [`StreamDecoder::reset`] creates a fresh decoder state (a small allocation; the
//! ring buffer is allocated lazily by the library in either case).

use std::mem::MaybeUninit;
use std::ptr::{self, NonNull};

use brotlic_sys as ffi;

use crate::stream::{DecodeStep, StreamDecoder, StreamEncoder};
use crate::{sealed, Codec, Compress, Decompress, Error, ErrorKind, Levels, Result, Streaming};

const NAME: &str = "brotli";
const LGWIN: i32 = ffi::BROTLI_DEFAULT_WINDOW as i32;
const LEVELS: Levels = Levels {
    min: ffi::BROTLI_MIN_QUALITY as i32,
    max: ffi::BROTLI_MAX_QUALITY as i32,
    default: 6,
};

/// Brotli codec at a fixed quality level (0..=11, default 6).
///
/// ```
/// use arsenal_compress::backend::brotli::Brotli;
/// use arsenal_compress::{Codec, Compress, Decompress};
///
/// let mut codec = Brotli::with_level(9)?;
/// let text = b"to be or not to be, that is the question; ".repeat(100);
/// let packed = codec.compress(&text)?;
/// assert!(packed.len() < text.len() / 10);
/// assert_eq!(codec.decompress(&packed, 1 << 20)?, text);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Brotli {
    level: i32,
}

impl Default for Brotli {
    fn default() -> Self {
        Brotli {
            level: LEVELS.default,
        }
    }
}

impl sealed::Sealed for Brotli {}

/// An owned `BrotliDecoderState`, destroyed on drop.
struct DecoderState(NonNull<ffi::BrotliDecoderState>);

impl DecoderState {
    fn try_new() -> Result<Self> {
        // SAFETY: null allocator functions select the library's malloc/free; no other
        // preconditions.
        let raw = unsafe { ffi::BrotliDecoderCreateInstance(None, None, ptr::null_mut()) };
        NonNull::new(raw).map(DecoderState).ok_or_else(|| {
            Error::new(
                ErrorKind::OutOfMemory,
                NAME,
                "BrotliDecoderCreateInstance failed",
            )
        })
    }

    /// One `BrotliDecoderDecompressStream` call over `input` into `out` (raw parts).
    /// Returns `(result, consumed, written)`.
    ///
    /// # Safety
    /// `out` must be valid for writes of `out_len` bytes.
    unsafe fn step(
        &mut self,
        input: &[u8],
        out: *mut u8,
        out_len: usize,
    ) -> (ffi::BrotliDecoderResult, usize, usize) {
        let mut avail_in = input.len();
        let mut next_in = input.as_ptr();
        let mut avail_out = out_len;
        let mut next_out = out;
        // SAFETY: the state is live; `next_in`/`avail_in` describe `input`, and the caller
        // guarantees `out` is writable for `out_len` bytes; the library writes only there.
        let result = unsafe {
            ffi::BrotliDecoderDecompressStream(
                self.0.as_ptr(),
                &mut avail_in,
                &mut next_in,
                &mut avail_out,
                &mut next_out,
                ptr::null_mut(),
            )
        };
        (result, input.len() - avail_in, out_len - avail_out)
    }

    #[cold]
    fn error(&self) -> Error {
        // SAFETY: the state is live.
        let code = unsafe { ffi::BrotliDecoderGetErrorCode(self.0.as_ptr()) };
        // SAFETY: BrotliDecoderErrorString returns a static NUL-terminated string for any code.
        let msg = unsafe { std::ffi::CStr::from_ptr(ffi::BrotliDecoderErrorString(code)) };
        let alloc_errors = ffi::BrotliDecoderErrorCode_BROTLI_DECODER_ERROR_ALLOC_BLOCK_TYPE_TREES
            ..=ffi::BrotliDecoderErrorCode_BROTLI_DECODER_ERROR_ALLOC_CONTEXT_MODES;
        let kind = if alloc_errors.contains(&code) {
            ErrorKind::OutOfMemory
        } else {
            ErrorKind::Corrupt
        };
        Error::new(kind, NAME, msg.to_string_lossy().into_owned()).with_code(i64::from(code))
    }
}

impl Drop for DecoderState {
    fn drop(&mut self) {
        // SAFETY: created by BrotliDecoderCreateInstance and destroyed only here.
        unsafe { ffi::BrotliDecoderDestroyInstance(self.0.as_ptr()) }
    }
}

// SAFETY: a brotli decoder state has no thread affinity; the library only requires that one
// thread use it at a time, which `&mut self` methods guarantee.
unsafe impl Send for DecoderState {}

/// An owned `BrotliEncoderState` configured with quality and window, destroyed on drop.
struct EncoderState(NonNull<ffi::BrotliEncoderState>);

impl EncoderState {
    fn try_new(level: i32) -> Result<Self> {
        // SAFETY: null allocator functions select malloc/free.
        let raw = unsafe { ffi::BrotliEncoderCreateInstance(None, None, ptr::null_mut()) };
        let state = NonNull::new(raw).map(EncoderState).ok_or_else(|| {
            Error::new(
                ErrorKind::OutOfMemory,
                NAME,
                "BrotliEncoderCreateInstance failed",
            )
        })?;
        for (param, value) in [
            (
                ffi::BrotliEncoderParameter_BROTLI_PARAM_QUALITY,
                level as u32,
            ),
            (ffi::BrotliEncoderParameter_BROTLI_PARAM_LGWIN, LGWIN as u32),
        ] {
            // SAFETY: the state is live and no compression has started yet.
            if unsafe { ffi::BrotliEncoderSetParameter(state.0.as_ptr(), param, value) }
                == ffi::BROTLI_FALSE
            {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    NAME,
                    "BrotliEncoderSetParameter rejected a value",
                ));
            }
        }
        Ok(state)
    }
}

impl Drop for EncoderState {
    fn drop(&mut self) {
        // SAFETY: created by BrotliEncoderCreateInstance and destroyed only here.
        unsafe { ffi::BrotliEncoderDestroyInstance(self.0.as_ptr()) }
    }
}

// SAFETY: as for `DecoderState`: no thread affinity, one user at a time via `&mut self`.
unsafe impl Send for EncoderState {}

impl Compress for Brotli {
    fn name(&self) -> &'static str {
        NAME
    }

    fn level(&self) -> i32 {
        self.level
    }

    fn compress_bound(&self, src_len: usize) -> Result<usize> {
        // SAFETY: pure function of its argument.
        let bound = unsafe { ffi::BrotliEncoderMaxCompressedSize(src_len) };
        if bound == 0 {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                NAME,
                format!("{src_len} input bytes exceed the format's bound"),
            ));
        }
        Ok(bound)
    }

    fn compress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        let mut written = dst.len();
        // SAFETY: `src` is readable for `src.len()` bytes; `dst` is writable for
        // `written` bytes (MaybeUninit<u8> has u8's layout) and the library writes only
        // initialised bytes, at most `written` of them, reporting the count in `written`.
        let ok = unsafe {
            ffi::BrotliEncoderCompress(
                self.level,
                LGWIN,
                ffi::BrotliEncoderMode_BROTLI_MODE_GENERIC,
                src.len(),
                src.as_ptr(),
                &mut written,
                dst.as_mut_ptr().cast::<u8>(),
            )
        };
        if ok == ffi::BROTLI_FALSE {
            let bound = self.compress_bound(src.len())?;
            let kind = if dst.len() < bound {
                ErrorKind::OutputTooSmall
            } else {
                ErrorKind::Other
            };
            return Err(Error::new(kind, NAME, "BrotliEncoderCompress failed"));
        }
        Ok(written)
    }
}

impl Decompress for Brotli {
    fn name(&self) -> &'static str {
        NAME
    }

    fn decompressed_size(&self, _src: &[u8]) -> Result<Option<u64>> {
        Ok(None)
    }

    fn decompress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        let mut state = DecoderState::try_new()?;
        // SAFETY: `dst` is writable for `dst.len()` bytes; brotli writes initialised bytes.
        let (result, consumed, written) =
            unsafe { state.step(src, dst.as_mut_ptr().cast(), dst.len()) };
        match result {
            ffi::BrotliDecoderResult_BROTLI_DECODER_RESULT_SUCCESS if consumed == src.len() => {
                Ok(written)
            }
            ffi::BrotliDecoderResult_BROTLI_DECODER_RESULT_SUCCESS => Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                format!(
                    "{} trailing bytes after the brotli stream",
                    src.len() - consumed
                ),
            )),
            ffi::BrotliDecoderResult_BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT => Err(Error::new(
                ErrorKind::OutputLimit,
                NAME,
                format!("decompressed data exceeds {} bytes", dst.len()),
            )),
            ffi::BrotliDecoderResult_BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT => Err(Error::new(
                ErrorKind::Truncated,
                NAME,
                "input ended inside the brotli stream",
            )),
            _ => Err(state.error()),
        }
    }
}

impl Codec for Brotli {
    fn with_level(level: i32) -> Result<Self> {
        Ok(Brotli {
            level: LEVELS.check(NAME, level)?,
        })
    }

    fn levels(&self) -> Levels {
        LEVELS
    }
}

impl Streaming for Brotli {
    type Encoder = BrotliEncoder;
    type Decoder = BrotliDecoder;

    fn encoder(&self) -> Result<BrotliEncoder> {
        Ok(BrotliEncoder {
            state: EncoderState::try_new(self.level)?,
            level: self.level,
        })
    }

    fn decoder(&self) -> Result<BrotliDecoder> {
        Ok(BrotliDecoder {
            state: DecoderState::try_new()?,
        })
    }
}

/// Step-wise brotli compressor over `BrotliEncoderCompressStream` (see [`StreamEncoder`]).
///
/// ```
/// use arsenal_compress::backend::brotli::Brotli;
/// use arsenal_compress::{Decompress, Streaming};
/// use std::io::Write;
///
/// let mut codec = Brotli::default();
/// let mut w = codec.writer(Vec::new())?;
/// w.write_all(b"hello, ")?;
/// w.write_all(b"brotli")?;
/// let packed = w.finish()?;
/// assert_eq!(codec.decompress(&packed, 100)?, b"hello, brotli");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct BrotliEncoder {
    state: EncoderState,
    level: i32,
}

impl std::fmt::Debug for BrotliEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrotliEncoder")
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

impl sealed::Sealed for BrotliEncoder {}

impl BrotliEncoder {
    fn run(
        &mut self,
        op: ffi::BrotliEncoderOperation,
        input: &[u8],
        output: &mut [u8],
    ) -> Result<(usize, usize)> {
        let mut avail_in = input.len();
        let mut next_in = input.as_ptr();
        let mut avail_out = output.len();
        let mut next_out = output.as_mut_ptr();
        // SAFETY: the state is live; the in/out cursors describe `input` and `output`,
        // which the library reads and writes within the given lengths.
        let ok = unsafe {
            ffi::BrotliEncoderCompressStream(
                self.state.0.as_ptr(),
                op,
                &mut avail_in,
                &mut next_in,
                &mut avail_out,
                &mut next_out,
                ptr::null_mut(),
            )
        };
        if ok == ffi::BROTLI_FALSE {
            return Err(Error::new(
                ErrorKind::Other,
                NAME,
                "BrotliEncoderCompressStream failed (used after finish?)",
            ));
        }
        Ok((input.len() - avail_in, output.len() - avail_out))
    }

    fn has_more_output(&self) -> bool {
        // SAFETY: the state is live.
        unsafe { ffi::BrotliEncoderHasMoreOutput(self.state.0.as_ptr()) != ffi::BROTLI_FALSE }
    }
}

impl StreamEncoder for BrotliEncoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn encode(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize)> {
        self.run(
            ffi::BrotliEncoderOperation_BROTLI_OPERATION_PROCESS,
            input,
            output,
        )
    }

    fn flush(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        let (_, written) = self.run(
            ffi::BrotliEncoderOperation_BROTLI_OPERATION_FLUSH,
            &[],
            output,
        )?;
        Ok((written, !self.has_more_output()))
    }

    fn finish(&mut self, output: &mut [u8]) -> Result<(usize, bool)> {
        // SAFETY: the state is live.
        if unsafe { ffi::BrotliEncoderIsFinished(self.state.0.as_ptr()) } != ffi::BROTLI_FALSE {
            return Ok((0, true));
        }
        let (_, written) = self.run(
            ffi::BrotliEncoderOperation_BROTLI_OPERATION_FINISH,
            &[],
            output,
        )?;
        // SAFETY: the state is live.
        let done =
            unsafe { ffi::BrotliEncoderIsFinished(self.state.0.as_ptr()) } != ffi::BROTLI_FALSE;
        Ok((written, done))
    }

    fn reset(&mut self) -> Result<()> {
        self.state = EncoderState::try_new(self.level)?;
        Ok(())
    }
}

/// Step-wise brotli decompressor over `BrotliDecoderDecompressStream` (see
/// [`StreamDecoder`]); `frame_done` when the stream's last meta-block has been decoded.
///
/// ```
/// use arsenal_compress::backend::brotli::Brotli;
/// use arsenal_compress::{Compress, Streaming};
/// use std::io::Read;
///
/// let mut codec = Brotli::default();
/// let packed = codec.compress(b"streamed back")?;
/// let mut text = String::new();
/// codec.reader(&packed[..], 1 << 20)?.read_to_string(&mut text)?;
/// assert_eq!(text, "streamed back");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct BrotliDecoder {
    state: DecoderState,
}

impl std::fmt::Debug for BrotliDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrotliDecoder").finish_non_exhaustive()
    }
}

impl sealed::Sealed for BrotliDecoder {}

impl StreamDecoder for BrotliDecoder {
    fn name(&self) -> &'static str {
        NAME
    }

    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<DecodeStep> {
        // SAFETY: `output` is writable for its length.
        let (result, consumed, written) =
            unsafe { self.state.step(input, output.as_mut_ptr(), output.len()) };
        match result {
            ffi::BrotliDecoderResult_BROTLI_DECODER_RESULT_SUCCESS => Ok(DecodeStep {
                consumed,
                written,
                frame_done: true,
            }),
            ffi::BrotliDecoderResult_BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT
            | ffi::BrotliDecoderResult_BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT => Ok(DecodeStep {
                consumed,
                written,
                frame_done: false,
            }),
            _ => Err(self.state.error()),
        }
    }

    fn reset(&mut self) -> Result<()> {
        self.state = DecoderState::try_new()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{
        assert_corpus_round_trips, assert_reader_over_limit, assert_truncations_fail, read_error,
        read_in_chunks, run_tool, text, write_in_chunks, xorshift,
    };
    use std::io::Read;

    fn inputs() -> Vec<Vec<u8>> {
        vec![Vec::new(), vec![b'x'], xorshift(100_000, 42), text(1 << 20)]
    }

    #[test]
    fn round_trip_all_levels_of_interest() {
        for level in [0, 1, 6, 11] {
            let mut c = Brotli::with_level(level).unwrap();
            assert_eq!(c.level(), level);
            for input in inputs() {
                if level == 11 && input.len() > 200_000 {
                    continue; // quality 11 on 1 MiB is slow in debug builds; covered at 6.
                }
                let packed = c.compress(&input).unwrap();
                assert!(packed.len() <= c.compress_bound(input.len()).unwrap());
                assert_eq!(
                    c.decompress(&packed, input.len()).unwrap(),
                    input,
                    "level {level}"
                );
            }
        }
        assert_eq!(
            Brotli::with_level(12).unwrap_err().kind(),
            ErrorKind::InvalidLevel
        );
        assert_eq!(
            Brotli::with_level(-1).unwrap_err().kind(),
            ErrorKind::InvalidLevel
        );
        assert_eq!(Brotli::default().level(), 6);
    }

    #[test]
    fn compresses_repetitive_text() {
        let input = text(1 << 20);
        let packed = Brotli::default().compress(&input).unwrap();
        assert!(packed.len() < input.len() / 20, "{} bytes", packed.len());
    }

    #[test]
    fn output_too_small_and_limit() {
        let mut c = Brotli::default();
        let input = text(10_000);
        let packed = c.compress(&input).unwrap();
        let mut small = vec![0u8; 3];
        assert_eq!(
            c.compress_into(&input, &mut small).unwrap_err().kind(),
            ErrorKind::OutputTooSmall
        );
        assert_eq!(
            c.decompress(&packed, input.len() - 1).unwrap_err().kind(),
            ErrorKind::OutputLimit
        );
        assert_eq!(c.decompress(&packed, input.len()).unwrap(), input);
        let mut exact = vec![0u8; input.len()];
        assert_eq!(c.decompress_into(&packed, &mut exact).unwrap(), input.len());
        assert_eq!(exact, input);
    }

    #[test]
    fn corrupt_and_truncated_input() {
        let mut c = Brotli::default();
        let input = text(2000);
        let packed = c.compress(&input).unwrap();
        assert_truncations_fail(&mut c, &packed, "brotli");
        let mut trailing = packed.clone();
        trailing.push(0);
        assert_eq!(
            c.decompress(&trailing, 1 << 20).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
        let mut detected = 0;
        for bit in 0..packed.len() * 8 {
            let mut bad = packed.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            match c.decompress(&bad, 1 << 20) {
                Ok(_) => {} // brotli has no checksum: some flips decode to other data.
                Err(_) => detected += 1,
            }
        }
        assert!(detected > 0);
        let e = c.decompress(b"\xff\xff\xff\xff\xff\xff", 100).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Corrupt);
        assert!(!e.message().is_empty() && e.code().is_some(), "{e}");
    }

    #[test]
    fn streaming_matches_one_shot() {
        let mut c = Brotli::with_level(5).unwrap();
        let input = text(300_000);
        for chunk in [1usize, 7, 4096, 100_003] {
            let packed = write_in_chunks(&c, &input, chunk, Some(3));
            assert_eq!(c.decompress(&packed, input.len()).unwrap(), input);
            let one_shot = c.compress(&input).unwrap();
            let out = read_in_chunks(&c, &one_shot, input.len() as u64, chunk);
            assert_eq!(out, input, "chunk {chunk}");
        }
    }

    #[test]
    fn reader_limit_truncation_and_concatenation() {
        let mut c = Brotli::default();
        let a = c.compress(b"first frame ").unwrap();
        let b = c.compress(b"second frame").unwrap();
        let both = [a.clone(), b].concat();
        let mut s = String::new();
        c.reader(&both[..], 100)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "first frame second frame");
        let big = c.compress(&text(10_000)).unwrap();
        assert_reader_over_limit(&c, &big, 9_999);
        let e = read_error(&c, &big[..big.len() - 1], 1 << 20);
        assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
        let e = read_error(&c, b"\xff\xff\xff\xff", 1 << 20);
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
    }

    #[test]
    fn snappy_testdata_round_trip() {
        assert_corpus_round_trips::<Brotli>(&[0, 6, 11], |level, len| level == 11 && len > 300_000);
    }

    #[test]
    fn cross_check_with_cli() {
        let input = text(200_000);
        let packed = Brotli::default().compress(&input).unwrap();
        let run = |args: &[&str], stdin: &[u8]| run_tool("brotli", args, stdin);
        let Some(decoded) = run(&["-d", "-c"], &packed) else {
            println!("skipping: brotli CLI not installed");
            return;
        };
        assert_eq!(decoded, input);
        let theirs = run(&["-c", "-q", "9"], &input).unwrap();
        assert_eq!(
            Brotli::default().decompress(&theirs, input.len()).unwrap(),
            input
        );
    }

    #[test]
    fn is_send() {
        fn send<T: Send>() {}
        send::<Brotli>();
        send::<BrotliEncoder>();
        send::<BrotliDecoder>();
    }
}
