//! FLAC through libFLAC's stream encoder and decoder (`libflac-sys`, linked to Debian's
//! `libflac-dev`), with in-memory callbacks.
//!
//! The callbacks are panic-free (bounds-checked copies into a `Vec`) and also run inside
//! `catch_unwind`, so nothing unwinds into libFLAC. Decoding checks every frame's CRC
//! (libFLAC), the STREAMINFO MD5 of the decoded audio, and the declared sample count:
//! a stream that ends early is [`ErrorKind::Truncated`].

use std::ffi::{c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;

use libflac_sys as ffi;

use crate::{
    Backend, Decoder, Encoder, Error, ErrorKind, Format, Pcm, Result, DEFAULT_MAX_SAMPLES,
};

const NAME: &str = "flac";

/// libFLAC's version string (e.g. `1.4.2`).
pub(crate) fn version() -> String {
    // SAFETY: FLAC__VERSION_STRING is a static pointer to a NUL-terminated string set by
    // the library at load time and never written afterwards; we read it once.
    unsafe {
        let ptr = *std::ptr::addr_of!(ffi::FLAC__VERSION_STRING);
        if ptr.is_null() {
            return String::from("unknown");
        }
        format!("libFLAC {}", CStr::from_ptr(ptr).to_string_lossy())
    }
}

#[cold]
fn err(kind: ErrorKind, message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(kind, NAME, message)
}

/// Reads entry `index` of one of libFLAC's `const char * const X[]` string tables.
///
/// # Safety
/// `table` must point at a libFLAC string table with more than `index` entries.
unsafe fn table_string(table: *const *const std::ffi::c_char, index: usize) -> String {
    // SAFETY: the caller guarantees `index` is within the table; entries are static
    // NUL-terminated strings.
    unsafe {
        let entry = *table.add(index);
        if entry.is_null() {
            String::from("unknown")
        } else {
            CStr::from_ptr(entry).to_string_lossy().into_owned()
        }
    }
}

/// A FLAC encoder: channels, bits per sample (4–24), compression level (0–8) and block
/// size (0 = the level's default, else 16–65535). One call to [`FlacEncoder::encode_i32`]
/// or [`Encoder::encode`] makes one complete stream (STREAMINFO with the total sample
/// count and the MD5 of the audio).
///
/// ```
/// use arsenal_audio::{FlacDecoder, FlacEncoder, Format};
/// let mut encoder = FlacEncoder::new(Format::new(44_100, 1))?
///     .with_bits_per_sample(24)?
///     .with_compression_level(8)?
///     .with_block_size(1152)?;
/// let pcm: Vec<i32> = (0..10_000).map(|i| (i * 37 % 4001 - 2000) * 1000).collect();
/// let flac = encoder.encode_i32(&pcm)?;
/// let back = FlacDecoder::new().decode_i32(&flac)?;
/// assert_eq!((back.bits_per_sample, back.pcm.samples), (24, pcm));
/// # Ok::<(), arsenal_audio::Error>(())
/// ```
#[derive(Debug)]
pub struct FlacEncoder {
    raw: NonNull<ffi::FLAC__StreamEncoder>,
    format: Format,
    bits_per_sample: u32,
    level: u32,
    block_size: u32,
    verify: bool,
}

// SAFETY: a FLAC__StreamEncoder is plain heap state owned by this value; libFLAC keeps
// no thread-local or global state per instance, so using it from another thread (one at
// a time, which `&mut self` guarantees) is allowed.
unsafe impl Send for FlacEncoder {}

impl FlacEncoder {
    /// A 16-bit encoder at compression level 5 for `format` (1–8 channels, 1 Hz to
    /// 1 048 575 Hz).
    pub fn new(format: Format) -> Result<FlacEncoder> {
        if !(1..=8).contains(&format.channels) {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("FLAC has 1 to 8 channels, not {}", format.channels),
            ));
        }
        if !(1..=1_048_575).contains(&format.sample_rate) {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("FLAC sample rate {} Hz out of range", format.sample_rate),
            ));
        }
        // SAFETY: no preconditions; a null return means allocation failed.
        let raw = NonNull::new(unsafe { ffi::FLAC__stream_encoder_new() })
            .ok_or_else(|| err(ErrorKind::OutOfMemory, "FLAC__stream_encoder_new failed"))?;
        Ok(FlacEncoder {
            raw,
            format,
            bits_per_sample: 16,
            level: 5,
            block_size: 0,
            verify: false,
        })
    }

    /// Sets the compression level, 0 (fastest) to 8 (smallest).
    pub fn with_compression_level(mut self, level: u32) -> Result<FlacEncoder> {
        if level > 8 {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("FLAC compression level {level} out of 0..=8"),
            ));
        }
        self.level = level;
        Ok(self)
    }

    /// Sets the block size in samples per channel: 0 for the level's default (4096 at
    /// levels 3–8), else 16–65535.
    pub fn with_block_size(mut self, block_size: usize) -> Result<FlacEncoder> {
        if block_size != 0 && !(16..=65_535).contains(&block_size) {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("FLAC block size {block_size} out of 16..=65535"),
            ));
        }
        self.block_size = block_size as u32;
        Ok(self)
    }

    /// Sets the bits per sample of the input, 4–24 ([`Encoder::encode`] needs 16).
    pub fn with_bits_per_sample(mut self, bits: u32) -> Result<FlacEncoder> {
        if !(4..=24).contains(&bits) {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("FLAC bits per sample {bits} out of 4..=24"),
            ));
        }
        self.bits_per_sample = bits;
        Ok(self)
    }

    /// Turns libFLAC's verify mode on: it decodes every frame as it encodes and fails on
    /// a mismatch (slower).
    pub fn with_verify(mut self, verify: bool) -> FlacEncoder {
        self.verify = verify;
        self
    }

    /// The bits per sample of the input.
    pub fn bits_per_sample(&self) -> u32 {
        self.bits_per_sample
    }

    /// Encodes interleaved samples (each within the configured bits per sample) into one
    /// FLAC stream.
    pub fn encode_i32(&mut self, pcm: &[i32]) -> Result<Vec<u8>> {
        let channels = usize::from(self.format.channels);
        if pcm.len() % channels != 0 {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!(
                    "{} samples is not whole frames of {channels} channels",
                    pcm.len()
                ),
            ));
        }
        let max = (1i32 << (self.bits_per_sample - 1)) - 1;
        let min = -(1i32 << (self.bits_per_sample - 1));
        // One vectorisable pass for the range; the offending sample only on failure.
        let (lo, hi) = pcm
            .iter()
            .fold((0i32, 0i32), |(lo, hi), &s| (lo.min(s), hi.max(s)));
        if lo < min || hi > max {
            let bad = if lo < min { lo } else { hi };
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("sample {bad} does not fit {} bits", self.bits_per_sample),
            ));
        }
        let frames = pcm.len() / channels;
        let enc = self.raw.as_ptr();
        let mut sink = Sink {
            out: Vec::with_capacity(pcm.len() + 8192), // ≥ the 16-bit PCM size
            pos: 0,
        };
        // SAFETY: `enc` is our live encoder, uninitialised (new, or reset by `finish`),
        // which is when the setters are allowed; their failures are caught by init.
        unsafe {
            ffi::FLAC__stream_encoder_set_channels(enc, u32::from(self.format.channels));
            ffi::FLAC__stream_encoder_set_bits_per_sample(enc, self.bits_per_sample);
            ffi::FLAC__stream_encoder_set_sample_rate(enc, self.format.sample_rate);
            ffi::FLAC__stream_encoder_set_compression_level(enc, self.level);
            if self.block_size != 0 {
                ffi::FLAC__stream_encoder_set_blocksize(enc, self.block_size);
            }
            ffi::FLAC__stream_encoder_set_verify(enc, i32::from(self.verify));
            ffi::FLAC__stream_encoder_set_total_samples_estimate(enc, frames as u64);
        }
        // SAFETY: the callbacks match libFLAC's signatures and only touch `sink`, which
        // outlives the encoder's use of it (we call `finish` before returning).
        let status = unsafe {
            ffi::FLAC__stream_encoder_init_stream(
                enc,
                Some(encoder_write),
                Some(encoder_seek),
                Some(encoder_tell),
                None,
                (&mut sink as *mut Sink).cast(),
            )
        };
        if status != ffi::FLAC__STREAM_ENCODER_INIT_STATUS_OK {
            // SAFETY: the table has an entry for every init status; finish resets the
            // encoder (harmless when init failed).
            let message = unsafe {
                let text = table_string(
                    std::ptr::addr_of!(ffi::FLAC__StreamEncoderInitStatusString).cast(),
                    status as usize,
                );
                ffi::FLAC__stream_encoder_finish(enc);
                text
            };
            return Err(err(ErrorKind::InvalidArgument, message).with_code(i64::from(status)));
        }
        let mut ok = true;
        for chunk in pcm.chunks(65_536 * channels) {
            // SAFETY: `chunk` holds `chunk.len() / channels` whole interleaved frames.
            ok = unsafe {
                ffi::FLAC__stream_encoder_process_interleaved(
                    enc,
                    chunk.as_ptr(),
                    (chunk.len() / channels) as u32,
                )
            } != 0;
            if !ok {
                break;
            }
        }
        // SAFETY: `enc` is initialised; reading the state before `finish` resets it.
        let state = unsafe { ffi::FLAC__stream_encoder_get_state(enc) };
        // SAFETY: as above; `finish` flushes, rewrites STREAMINFO through our seek
        // callback and returns the encoder to the uninitialised state.
        let finished = unsafe { ffi::FLAC__stream_encoder_finish(enc) } != 0;
        if !ok || !finished {
            // SAFETY: the state table has an entry for every state.
            let message = unsafe {
                table_string(
                    std::ptr::addr_of!(ffi::FLAC__StreamEncoderStateString).cast(),
                    state as usize,
                )
            };
            return Err(err(ErrorKind::Other, message).with_code(i64::from(state)));
        }
        Ok(sink.out)
    }
}

impl Drop for FlacEncoder {
    fn drop(&mut self) {
        // SAFETY: we own the encoder; delete finishes it first if needed.
        unsafe { ffi::FLAC__stream_encoder_delete(self.raw.as_ptr()) }
    }
}

impl Encoder for FlacEncoder {
    fn backend(&self) -> Backend {
        Backend::Flac
    }

    fn format(&self) -> Format {
        self.format
    }

    fn encode(&mut self, pcm: &[i16]) -> Result<Vec<u8>> {
        if self.bits_per_sample != 16 {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!(
                    "encoder configured for {} bits: use encode_i32",
                    self.bits_per_sample
                ),
            ));
        }
        let wide: Vec<i32> = pcm.iter().map(|&s| i32::from(s)).collect();
        self.encode_i32(&wide)
    }
}

/// The encoder's output: bytes written so far and the write position (libFLAC seeks
/// back to rewrite STREAMINFO at the end).
struct Sink {
    out: Vec<u8>,
    pos: usize,
}

unsafe extern "C" fn encoder_write(
    _encoder: *const ffi::FLAC__StreamEncoder,
    buffer: *const ffi::FLAC__byte,
    bytes: usize,
    _samples: u32,
    _current_frame: u32,
    client: *mut c_void,
) -> ffi::FLAC__StreamEncoderWriteStatus {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `client` is the `Sink` passed to init_stream, alive for the call, and
        // libFLAC hands `bytes` readable bytes at `buffer`.
        let (sink, data) = unsafe {
            (
                &mut *client.cast::<Sink>(),
                std::slice::from_raw_parts(buffer, bytes),
            )
        };
        let Some(end) = sink.pos.checked_add(bytes) else {
            return ffi::FLAC__STREAM_ENCODER_WRITE_STATUS_FATAL_ERROR;
        };
        if sink.pos == sink.out.len() {
            sink.out.extend_from_slice(data);
        } else {
            if end > sink.out.len() {
                sink.out.resize(end, 0);
            }
            sink.out[sink.pos..end].copy_from_slice(data);
        }
        sink.pos = end;
        ffi::FLAC__STREAM_ENCODER_WRITE_STATUS_OK
    }))
    .unwrap_or(ffi::FLAC__STREAM_ENCODER_WRITE_STATUS_FATAL_ERROR)
}

unsafe extern "C" fn encoder_seek(
    _encoder: *const ffi::FLAC__StreamEncoder,
    offset: ffi::FLAC__uint64,
    client: *mut c_void,
) -> ffi::FLAC__StreamEncoderSeekStatus {
    // SAFETY: `client` is the `Sink` passed to init_stream.
    let sink = unsafe { &mut *client.cast::<Sink>() };
    match usize::try_from(offset) {
        Ok(pos) if pos <= sink.out.len() => {
            sink.pos = pos;
            ffi::FLAC__STREAM_ENCODER_SEEK_STATUS_OK
        }
        _ => ffi::FLAC__STREAM_ENCODER_SEEK_STATUS_ERROR,
    }
}

unsafe extern "C" fn encoder_tell(
    _encoder: *const ffi::FLAC__StreamEncoder,
    offset: *mut ffi::FLAC__uint64,
    client: *mut c_void,
) -> ffi::FLAC__StreamEncoderTellStatus {
    // SAFETY: `client` is the `Sink` passed to init_stream; `offset` is writable.
    unsafe {
        *offset = (*client.cast::<Sink>()).pos as u64;
    }
    ffi::FLAC__STREAM_ENCODER_TELL_STATUS_OK
}

/// Decoded FLAC audio at its own bit depth.
#[derive(Debug, Clone, PartialEq)]
pub struct FlacPcm {
    /// The samples, interleaved, as stored (not scaled).
    pub pcm: Pcm<i32>,
    /// The stream's bits per sample (4–32).
    pub bits_per_sample: u32,
}

/// A FLAC decoder over a complete in-memory stream, with an output limit
/// ([`FlacDecoder::with_max_samples`]). Frame CRCs, the audio's MD5 and the declared
/// sample count are checked.
#[derive(Debug)]
pub struct FlacDecoder {
    raw: NonNull<ffi::FLAC__StreamDecoder>,
    max_samples: usize,
}

// SAFETY: a FLAC__StreamDecoder is plain heap state owned by this value; libFLAC keeps
// no per-instance thread affinity, and `&mut self` serialises its use.
unsafe impl Send for FlacDecoder {}

impl Default for FlacDecoder {
    fn default() -> Self {
        FlacDecoder::new()
    }
}

impl FlacDecoder {
    /// A decoder with the default output limit ([`DEFAULT_MAX_SAMPLES`]).
    ///
    /// # Panics
    /// Only if libFLAC cannot allocate its decoder object (out of memory).
    pub fn new() -> FlacDecoder {
        // SAFETY: no preconditions; null means allocation failed.
        let raw = NonNull::new(unsafe { ffi::FLAC__stream_decoder_new() })
            .expect("FLAC__stream_decoder_new: out of memory");
        FlacDecoder {
            raw,
            max_samples: DEFAULT_MAX_SAMPLES,
        }
    }

    /// Sets the limit on decoded samples (all channels); more gives
    /// [`ErrorKind::OutputLimit`].
    pub fn with_max_samples(mut self, max_samples: usize) -> FlacDecoder {
        self.max_samples = max_samples;
        self
    }

    /// Decodes a FLAC stream at its own bit depth.
    pub fn decode_i32(&mut self, stream: &[u8]) -> Result<FlacPcm> {
        let dec = self.raw.as_ptr();
        let mut source = Source {
            data: stream,
            pos: 0,
            samples: Vec::new(),
            info: None,
            error: None,
            max_samples: self.max_samples,
        };
        // SAFETY: the decoder is uninitialised (new, or reset by `finish`).
        unsafe {
            ffi::FLAC__stream_decoder_set_md5_checking(dec, 1);
        }
        // SAFETY: the callbacks match libFLAC's signatures and touch only `source`, which
        // outlives the decoder's use of it (`finish` is called before returning).
        let status = unsafe {
            ffi::FLAC__stream_decoder_init_stream(
                dec,
                Some(decoder_read),
                Some(decoder_seek),
                Some(decoder_tell),
                Some(decoder_length),
                Some(decoder_eof),
                Some(decoder_write),
                Some(decoder_metadata),
                Some(decoder_error),
                (&mut source as *mut Source<'_>).cast(),
            )
        };
        if status != ffi::FLAC__STREAM_DECODER_INIT_STATUS_OK {
            // SAFETY: the table has an entry for every init status; finish is harmless.
            let message = unsafe {
                let text = table_string(
                    std::ptr::addr_of!(ffi::FLAC__StreamDecoderInitStatusString).cast(),
                    status as usize,
                );
                ffi::FLAC__stream_decoder_finish(dec);
                text
            };
            return Err(err(ErrorKind::Other, message).with_code(i64::from(status)));
        }
        // SAFETY: the decoder is initialised; the callbacks are panic-free.
        let processed = unsafe { ffi::FLAC__stream_decoder_process_until_end_of_stream(dec) } != 0;
        // SAFETY: as above; read before finish resets it.
        let state = unsafe { ffi::FLAC__stream_decoder_get_state(dec) };
        // SAFETY: as above; `finish` returns false on an MD5 mismatch.
        let md5_ok = unsafe { ffi::FLAC__stream_decoder_finish(dec) } != 0;
        if let Some(error) = source.error.take() {
            return Err(error);
        }
        if !processed {
            // SAFETY: the state table has an entry for every state.
            let message = unsafe {
                table_string(
                    std::ptr::addr_of!(ffi::FLAC__StreamDecoderStateString).cast(),
                    state as usize,
                )
            };
            let kind = if state == ffi::FLAC__STREAM_DECODER_MEMORY_ALLOCATION_ERROR {
                ErrorKind::OutOfMemory
            } else {
                ErrorKind::Corrupt
            };
            return Err(err(kind, message).with_code(i64::from(state)));
        }
        let Some(info) = source.info else {
            return Err(err(
                if stream.len() < 42 {
                    ErrorKind::Truncated
                } else {
                    ErrorKind::Corrupt
                },
                "no STREAMINFO metadata block",
            ));
        };
        let channels = info.channels as usize;
        let frames = (source.samples.len() / channels.max(1)) as u64;
        if info.total_samples != 0 && frames < info.total_samples {
            return Err(err(
                ErrorKind::Truncated,
                format!(
                    "stream ended after {frames} of {} declared samples",
                    info.total_samples
                ),
            ));
        }
        if info.total_samples != 0 && frames > info.total_samples {
            return Err(err(
                ErrorKind::Corrupt,
                format!("{frames} samples decoded, {} declared", info.total_samples),
            ));
        }
        if !md5_ok {
            return Err(err(
                ErrorKind::Corrupt,
                "MD5 of the decoded audio does not match STREAMINFO",
            ));
        }
        Ok(FlacPcm {
            pcm: Pcm {
                format: Format::new(info.sample_rate, info.channels as u16),
                samples: source.samples,
            },
            bits_per_sample: info.bits_per_sample,
        })
    }
}

impl Drop for FlacDecoder {
    fn drop(&mut self) {
        // SAFETY: we own the decoder.
        unsafe { ffi::FLAC__stream_decoder_delete(self.raw.as_ptr()) }
    }
}

impl Decoder for FlacDecoder {
    fn backend(&self) -> Backend {
        Backend::Flac
    }

    fn decode(&mut self, stream: &[u8]) -> Result<Pcm<i16>> {
        let FlacPcm {
            pcm,
            bits_per_sample: bits,
        } = self.decode_i32(stream)?;
        let samples = if bits <= 16 {
            pcm.samples
                .iter()
                .map(|&s| (s << (16 - bits)) as i16)
                .collect()
        } else {
            pcm.samples
                .iter()
                .map(|&s| (s >> (bits - 16)) as i16)
                .collect()
        };
        Ok(Pcm {
            format: pcm.format,
            samples,
        })
    }

    fn decode_f32(&mut self, stream: &[u8]) -> Result<Pcm<f32>> {
        let FlacPcm {
            pcm,
            bits_per_sample: bits,
        } = self.decode_i32(stream)?;
        let scale = 1.0 / (1u64 << (bits - 1)) as f64;
        Ok(Pcm {
            format: pcm.format,
            samples: pcm
                .samples
                .iter()
                .map(|&s| (f64::from(s) * scale) as f32)
                .collect(),
        })
    }
}

#[derive(Clone, Copy)]
struct StreamInfo {
    sample_rate: u32,
    channels: u32,
    bits_per_sample: u32,
    total_samples: u64,
}

/// The decoder's input and output while libFLAC runs.
struct Source<'a> {
    data: &'a [u8],
    pos: usize,
    samples: Vec<i32>,
    info: Option<StreamInfo>,
    /// The first failure seen by a callback; makes the next write callback abort.
    error: Option<Error>,
    max_samples: usize,
}

/// # Safety
/// `client` must be the `Source` passed to `FLAC__stream_decoder_init_stream`.
unsafe fn source<'s>(client: *mut c_void) -> &'s mut Source<'s> {
    // SAFETY: per the function's contract.
    unsafe { &mut *client.cast::<Source<'s>>() }
}

unsafe extern "C" fn decoder_read(
    _decoder: *const ffi::FLAC__StreamDecoder,
    buffer: *mut ffi::FLAC__byte,
    bytes: *mut usize,
    client: *mut c_void,
) -> ffi::FLAC__StreamDecoderReadStatus {
    // SAFETY: `client` is our Source; `bytes` is readable/writable and `buffer` has
    // `*bytes` writable bytes.
    unsafe {
        let src = source(client);
        let remaining = &src.data[src.pos.min(src.data.len())..];
        let n = (*bytes).min(remaining.len());
        if n == 0 {
            *bytes = 0;
            return ffi::FLAC__STREAM_DECODER_READ_STATUS_END_OF_STREAM;
        }
        std::ptr::copy_nonoverlapping(remaining.as_ptr(), buffer, n);
        src.pos += n;
        *bytes = n;
    }
    ffi::FLAC__STREAM_DECODER_READ_STATUS_CONTINUE
}

unsafe extern "C" fn decoder_seek(
    _decoder: *const ffi::FLAC__StreamDecoder,
    offset: ffi::FLAC__uint64,
    client: *mut c_void,
) -> ffi::FLAC__StreamDecoderSeekStatus {
    // SAFETY: `client` is our Source.
    let src = unsafe { source(client) };
    match usize::try_from(offset) {
        Ok(pos) if pos <= src.data.len() => {
            src.pos = pos;
            ffi::FLAC__STREAM_DECODER_SEEK_STATUS_OK
        }
        _ => ffi::FLAC__STREAM_DECODER_SEEK_STATUS_ERROR,
    }
}

unsafe extern "C" fn decoder_tell(
    _decoder: *const ffi::FLAC__StreamDecoder,
    offset: *mut ffi::FLAC__uint64,
    client: *mut c_void,
) -> ffi::FLAC__StreamDecoderTellStatus {
    // SAFETY: `client` is our Source; `offset` is writable.
    unsafe { *offset = source(client).pos as u64 };
    ffi::FLAC__STREAM_DECODER_TELL_STATUS_OK
}

unsafe extern "C" fn decoder_length(
    _decoder: *const ffi::FLAC__StreamDecoder,
    length: *mut ffi::FLAC__uint64,
    client: *mut c_void,
) -> ffi::FLAC__StreamDecoderLengthStatus {
    // SAFETY: `client` is our Source; `length` is writable.
    unsafe { *length = source(client).data.len() as u64 };
    ffi::FLAC__STREAM_DECODER_LENGTH_STATUS_OK
}

unsafe extern "C" fn decoder_eof(
    _decoder: *const ffi::FLAC__StreamDecoder,
    client: *mut c_void,
) -> ffi::FLAC__bool {
    // SAFETY: `client` is our Source.
    let src = unsafe { source(client) };
    i32::from(src.pos >= src.data.len())
}

unsafe extern "C" fn decoder_write(
    _decoder: *const ffi::FLAC__StreamDecoder,
    frame: *const ffi::FLAC__Frame,
    buffer: *const *const ffi::FLAC__int32,
    client: *mut c_void,
) -> ffi::FLAC__StreamDecoderWriteStatus {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: `client` is our Source; `frame` is valid for the call.
        let (src, header) = unsafe { (source(client), &(*frame).header) };
        if src.error.is_some() {
            return ffi::FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
        }
        let Some(info) = src.info else {
            src.error = Some(err(ErrorKind::Corrupt, "audio frame before STREAMINFO"));
            return ffi::FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
        };
        if header.channels != info.channels || header.bits_per_sample != info.bits_per_sample {
            src.error = Some(err(
                ErrorKind::Corrupt,
                "a frame's channels or bit depth differ from STREAMINFO",
            ));
            return ffi::FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
        }
        let block = header.blocksize as usize;
        let channels = header.channels as usize;
        let new = block * channels;
        if src.samples.len() + new > src.max_samples {
            src.error = Some(err(
                ErrorKind::OutputLimit,
                format!("more than {} samples", src.max_samples),
            ));
            return ffi::FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
        }
        // SAFETY: libFLAC passes one pointer per channel, each to `blocksize` samples.
        let plane = |c: usize| unsafe { std::slice::from_raw_parts(*buffer.add(c), block) };
        src.samples.reserve(new);
        match channels {
            1 => src.samples.extend_from_slice(plane(0)),
            2 => {
                let (left, right) = (plane(0), plane(1));
                src.samples
                    .extend(left.iter().zip(right).flat_map(|(&l, &r)| [l, r]));
            }
            _ => {
                let start = src.samples.len();
                src.samples.resize(start + new, 0);
                for c in 0..channels {
                    for (i, &s) in plane(c).iter().enumerate() {
                        src.samples[start + i * channels + c] = s;
                    }
                }
            }
        }
        ffi::FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE
    }))
    .unwrap_or(ffi::FLAC__STREAM_DECODER_WRITE_STATUS_ABORT)
}

unsafe extern "C" fn decoder_metadata(
    _decoder: *const ffi::FLAC__StreamDecoder,
    metadata: *const ffi::FLAC__StreamMetadata,
    client: *mut c_void,
) {
    // SAFETY: `client` is our Source; `metadata` is valid for the call and its union
    // holds `stream_info` when the type says STREAMINFO.
    unsafe {
        let src = source(client);
        if (*metadata).type_ != ffi::FLAC__METADATA_TYPE_STREAMINFO {
            return;
        }
        let si = (*metadata).data.stream_info;
        let info = StreamInfo {
            sample_rate: si.sample_rate,
            channels: si.channels,
            bits_per_sample: si.bits_per_sample,
            total_samples: si.total_samples,
        };
        let declared = info.total_samples.saturating_mul(u64::from(info.channels));
        if declared > src.max_samples as u64 {
            src.error.get_or_insert(err(
                ErrorKind::OutputLimit,
                format!(
                    "STREAMINFO declares {declared} samples, over the limit of {}",
                    src.max_samples
                ),
            ));
        } else {
            // Reserve what is declared, but never more than the input could plausibly
            // hold (a lying header must not allocate gigabytes).
            let plausible = src.data.len().saturating_mul(16);
            src.samples.reserve((declared as usize).min(plausible));
        }
        src.info = Some(info);
    }
}

unsafe extern "C" fn decoder_error(
    _decoder: *const ffi::FLAC__StreamDecoder,
    status: ffi::FLAC__StreamDecoderErrorStatus,
    client: *mut c_void,
) {
    // SAFETY: `client` is our Source; the status table has an entry for every status
    // that libFLAC 1.4 reports (0..=4, more in later versions: bounded below).
    unsafe {
        let src = source(client);
        if src.error.is_none() {
            let message = if status <= 4 {
                table_string(
                    std::ptr::addr_of!(ffi::FLAC__StreamDecoderErrorStatusString).cast(),
                    status as usize,
                )
            } else {
                format!("decoder error status {status}")
            };
            src.error = Some(err(ErrorKind::Corrupt, message).with_code(i64::from(status)));
        }
    }
}
