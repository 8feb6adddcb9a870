//! Ogg Vorbis through libvorbisfile (decoding) and libvorbisenc (encoding, in our C shim),
//! `arsenal-vorbis-sys`, Debian's `libvorbis-dev`.
//!
//! Before decoding, the Ogg page structure is walked (page headers and lengths only):
//! a stream whose last page is cut short, or that has no end-of-stream page, is
//! [`ErrorKind::Truncated`]; bytes between pages that are not a page are
//! [`ErrorKind::Corrupt`]. libvorbisfile then checks every page's CRC (a damaged page
//! is a hole: [`ErrorKind::Corrupt`]) and the decoded length is compared with the
//! stream's final granule position.

use std::ffi::{c_char, c_int, c_long, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use arsenal_vorbis_sys as ffi;

use crate::{
    Backend, Decoder, Encoder, Error, ErrorKind, Format, Pcm, Result, DEFAULT_MAX_SAMPLES,
};

const NAME: &str = "vorbis";
/// The Ogg serial number of the streams we write ("ARSN").
const SERIAL: c_int = 0x4152_534E;

/// libvorbis's version string (e.g. `Xiph.Org libVorbis 1.3.7`).
pub(crate) fn version() -> String {
    // SAFETY: returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(ffi::vorbis_version_string()) }
        .to_string_lossy()
        .into_owned()
}

#[cold]
fn err(kind: ErrorKind, message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(kind, NAME, message)
}

#[cold]
fn ov_error(code: c_int, context: &str) -> Error {
    let (kind, text) = match code {
        ffi::OV_HOLE => (
            ErrorKind::Corrupt,
            "a hole in the data (corrupt or missing pages)",
        ),
        ffi::OV_EREAD => (ErrorKind::Truncated, "read failed"),
        ffi::OV_EFAULT => (ErrorKind::Other, "internal logic fault"),
        ffi::OV_EIMPL => (ErrorKind::Unsupported, "feature not implemented"),
        ffi::OV_EINVAL => (ErrorKind::InvalidArgument, "invalid argument"),
        ffi::OV_ENOTVORBIS => (ErrorKind::Corrupt, "not Vorbis data"),
        ffi::OV_EBADHEADER => (ErrorKind::Corrupt, "invalid Vorbis header"),
        ffi::OV_EVERSION => (ErrorKind::Unsupported, "Vorbis version mismatch"),
        ffi::OV_ENOTAUDIO => (ErrorKind::Corrupt, "not an audio packet"),
        ffi::OV_EBADPACKET => (ErrorKind::Corrupt, "invalid packet"),
        ffi::OV_EBADLINK => (ErrorKind::Corrupt, "invalid stream section or corrupt link"),
        ffi::OV_ENOSEEK => (ErrorKind::Other, "stream is not seekable"),
        ffi::ARSENAL_VORBIS_ENOMEM => (ErrorKind::OutOfMemory, "out of memory"),
        _ => (ErrorKind::Other, "unknown error"),
    };
    err(kind, format!("{context}: {text}")).with_code(i64::from(code))
}

/// An Ogg Vorbis encoder (libvorbisenc, VBR): one call to [`encode_f32`](Self::encode_f32)
/// or [`Encoder::encode`] makes one complete Ogg stream.
///
/// ```
/// use arsenal_audio::{Decoder, Format, VorbisDecoder, VorbisEncoder};
/// let pcm: Vec<f32> = (0..44_100).map(|i| (i as f32 * 0.06).sin() * 0.5).collect();
/// let ogg = VorbisEncoder::new(Format::new(44_100, 1))?.with_quality(0.3)?.encode_f32(&pcm)?;
/// let back = VorbisDecoder::new().decode_f32(&ogg)?;
/// assert_eq!(back.samples.len(), pcm.len());
/// # Ok::<(), arsenal_audio::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct VorbisEncoder {
    format: Format,
    quality: f32,
}

impl VorbisEncoder {
    /// An encoder for `format` (1–255 channels; libvorbisenc's modes cover 8–192 kHz)
    /// at quality 0.5 (about 160 kb/s for 44.1 kHz stereo).
    pub fn new(format: Format) -> Result<VorbisEncoder> {
        if !(1..=255).contains(&format.channels) {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("Vorbis has 1 to 255 channels, not {}", format.channels),
            ));
        }
        if !(1..=i32::MAX as u32).contains(&format.sample_rate) {
            return Err(err(ErrorKind::InvalidArgument, "sample rate out of range"));
        }
        Ok(VorbisEncoder {
            format,
            quality: 0.5,
        })
    }

    /// Sets the VBR quality, -0.1 (smallest) to 1.0 (best).
    pub fn with_quality(mut self, quality: f32) -> Result<VorbisEncoder> {
        if !(-0.1..=1.0).contains(&quality) {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("Vorbis quality {quality} out of -0.1..=1.0"),
            ));
        }
        self.quality = quality;
        Ok(self)
    }

    /// Encodes interleaved `f32` PCM (finite, nominal range ±1) into one Ogg Vorbis
    /// stream.
    pub fn encode_f32(&mut self, pcm: &[f32]) -> Result<Vec<u8>> {
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
        if pcm.iter().any(|s| !s.is_finite()) {
            return Err(err(
                ErrorKind::InvalidArgument,
                "a sample is NaN or infinite",
            ));
        }
        let frames = c_long::try_from(pcm.len() / channels)
            .map_err(|_| err(ErrorKind::InvalidArgument, "too many frames"))?;
        let mut data: *mut u8 = std::ptr::null_mut();
        let mut len: usize = 0;
        // SAFETY: `pcm` holds `frames * channels` floats; `data`/`len` are writable; the
        // shim allocates the output with malloc and hands it over on success.
        let code = unsafe {
            ffi::arsenal_vorbis_encode(
                pcm.as_ptr(),
                frames,
                c_int::from(self.format.channels),
                self.format.sample_rate as c_long,
                self.quality,
                SERIAL,
                &mut data,
                &mut len,
            )
        };
        if code != 0 {
            let mut e = ov_error(code, "vorbis_encode_init_vbr");
            if code == ffi::OV_EIMPL || code == ffi::OV_EINVAL {
                e = err(
                    ErrorKind::InvalidArgument,
                    format!(
                        "libvorbisenc has no mode for {} Hz, {} channels, quality {}",
                        self.format.sample_rate, self.format.channels, self.quality
                    ),
                )
                .with_code(i64::from(code));
            }
            return Err(e);
        }
        // SAFETY: on success the shim returned `len` initialised bytes at `data` (or null
        // for zero bytes), which we copy and then free with the shim's `free`.
        let out = unsafe {
            let out = if data.is_null() {
                Vec::new()
            } else {
                std::slice::from_raw_parts(data, len).to_vec()
            };
            ffi::arsenal_vorbis_free(data);
            out
        };
        Ok(out)
    }
}

impl Encoder for VorbisEncoder {
    fn backend(&self) -> Backend {
        Backend::Vorbis
    }

    fn format(&self) -> Format {
        self.format
    }

    fn encode(&mut self, pcm: &[i16]) -> Result<Vec<u8>> {
        let pcm: Vec<f32> = pcm.iter().map(|&s| crate::i16_to_f32(s)).collect();
        self.encode_f32(&pcm)
    }
}

/// Walks the Ogg pages of `data`: every page complete with a correct CRC, the last one
/// with the end-of-stream flag. Returns the last page's granule position (the length the
/// stream declares, in frames).
fn check_pages(data: &[u8]) -> Result<i64> {
    let mut pos = 0usize;
    let mut last_flags = None;
    let mut last_granule = 0i64;
    while pos < data.len() {
        let page = &data[pos..];
        if page.len() < 27 {
            return Err(err(
                ErrorKind::Truncated,
                "stream ends inside an Ogg page header",
            ));
        }
        if &page[..4] != b"OggS" {
            return Err(err(
                ErrorKind::Corrupt,
                format!("no Ogg page at byte {pos}"),
            ));
        }
        let segments = usize::from(page[26]);
        if page.len() < 27 + segments {
            return Err(err(
                ErrorKind::Truncated,
                "stream ends inside an Ogg segment table",
            ));
        }
        let body: usize = page[27..27 + segments]
            .iter()
            .map(|&b| usize::from(b))
            .sum();
        let total = 27 + segments + body;
        if page.len() < total {
            return Err(err(ErrorKind::Truncated, "stream ends inside an Ogg page"));
        }
        let mut crc_input = [0u8; 27];
        crc_input.copy_from_slice(&page[..27]);
        let stored = u32::from_le_bytes([page[22], page[23], page[24], page[25]]);
        crc_input[22..26].fill(0);
        let crc = ogg_crc(ogg_crc(0, &crc_input), &page[27..total]);
        if crc != stored {
            return Err(err(
                ErrorKind::Corrupt,
                format!("Ogg page CRC mismatch at byte {pos}"),
            ));
        }
        last_flags = Some(page[5]);
        let mut granule = [0u8; 8];
        granule.copy_from_slice(&page[6..14]);
        last_granule = i64::from_le_bytes(granule);
        pos += total;
    }
    match last_flags {
        None => Err(err(ErrorKind::Truncated, "empty stream")),
        Some(flags) if flags & 0x04 == 0 => Err(err(
            ErrorKind::Truncated,
            "the last Ogg page is not an end-of-stream page",
        )),
        Some(_) => Ok(last_granule),
    }
}

/// Ogg's CRC-32 lookup tables (polynomial 0x04C11DB7, MSB first), for slicing by 8:
/// `CRC_TABLES[0]` is the byte table, `CRC_TABLES[k][i]` the CRC of byte `i` followed by
/// `k` zero bytes.
const CRC_TABLES: [[u32; 256]; 8] = {
    let mut tables = [[0u32; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u32) << 24;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04C1_1DB7
            } else {
                crc << 1
            };
            bit += 1;
        }
        tables[0][i] = crc;
        i += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut i = 0;
        while i < 256 {
            let prev = tables[k - 1][i];
            tables[k][i] = (prev << 8) ^ tables[0][(prev >> 24) as usize];
            i += 1;
        }
        k += 1;
    }
    tables
};

/// Continues Ogg's CRC-32 (initial value 0, no final xor) over `bytes`, 8 bytes a step.
fn ogg_crc(mut crc: u32, bytes: &[u8]) -> u32 {
    let t = &CRC_TABLES;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let x = crc ^ u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        let y = u32::from_be_bytes([c[4], c[5], c[6], c[7]]);
        crc = t[7][(x >> 24) as usize]
            ^ t[6][(x >> 16 & 0xFF) as usize]
            ^ t[5][(x >> 8 & 0xFF) as usize]
            ^ t[4][(x & 0xFF) as usize]
            ^ t[3][(y >> 24) as usize]
            ^ t[2][(y >> 16 & 0xFF) as usize]
            ^ t[1][(y >> 8 & 0xFF) as usize]
            ^ t[0][(y & 0xFF) as usize];
    }
    for &byte in chunks.remainder() {
        crc = (crc << 8) ^ t[0][((crc >> 24) as u8 ^ byte) as usize];
    }
    crc
}

/// The in-memory stream behind libvorbisfile's callbacks.
struct Mem<'a> {
    data: &'a [u8],
    pos: usize,
}

unsafe extern "C" fn mem_read(
    ptr: *mut c_void,
    size: usize,
    nmemb: usize,
    source: *mut c_void,
) -> usize {
    catch_unwind(AssertUnwindSafe(|| {
        if size == 0 {
            return 0;
        }
        // SAFETY: `source` is our Mem; `ptr` has room for `size * nmemb` bytes.
        unsafe {
            let mem = &mut *source.cast::<Mem<'_>>();
            let remaining = mem.data.len() - mem.pos;
            let n = (size.saturating_mul(nmemb)).min(remaining) / size * size;
            std::ptr::copy_nonoverlapping(mem.data.as_ptr().add(mem.pos), ptr.cast::<u8>(), n);
            mem.pos += n;
            n / size
        }
    }))
    .unwrap_or(0)
}

unsafe extern "C" fn mem_seek(source: *mut c_void, offset: i64, whence: c_int) -> c_int {
    // SAFETY: `source` is our Mem.
    let mem = unsafe { &mut *source.cast::<Mem<'_>>() };
    let base = match whence {
        0 => 0i128,
        1 => mem.pos as i128,
        2 => mem.data.len() as i128,
        _ => return -1,
    };
    let target = base + i128::from(offset);
    if target < 0 || target > mem.data.len() as i128 {
        return -1;
    }
    mem.pos = target as usize;
    0
}

unsafe extern "C" fn mem_tell(source: *mut c_void) -> c_long {
    // SAFETY: `source` is our Mem.
    unsafe { (*source.cast::<Mem<'_>>()).pos as c_long }
}

/// An opened `OggVorbis_File` in our own 8-aligned allocation; `ov_clear` on drop.
struct Opened<'m, 'a> {
    vf: Box<[u64]>,
    _mem: &'m mut Mem<'a>,
}

impl<'m, 'a> Opened<'m, 'a> {
    fn open(mem: &'m mut Mem<'a>) -> Result<Self> {
        // SAFETY: no preconditions.
        let size = unsafe { ffi::arsenal_ov_sizeof() };
        let mut vf = vec![0u64; size.div_ceil(8)].into_boxed_slice();
        let callbacks = ffi::ov_callbacks {
            read_func: Some(mem_read),
            seek_func: Some(mem_seek),
            close_func: None,
            tell_func: Some(mem_tell),
        };
        // SAFETY: `vf` has sizeof(OggVorbis_File) bytes, 8-aligned (the struct's
        // strictest member); `mem` outlives the handle (borrowed by `Opened`).
        let code = unsafe {
            ffi::ov_open_callbacks(
                (mem as *mut Mem<'a>).cast(),
                vf.as_mut_ptr().cast(),
                std::ptr::null(),
                0,
                callbacks,
            )
        };
        if code < 0 {
            // libvorbisfile clears the handle itself on failure.
            return Err(ov_error(code, "ov_open_callbacks"));
        }
        Ok(Opened { vf, _mem: mem })
    }

    fn raw(&mut self) -> *mut ffi::OggVorbis_File {
        self.vf.as_mut_ptr().cast()
    }

    fn format(&mut self) -> Result<Format> {
        // SAFETY: the handle is open; ov_info returns null or a pointer into it.
        let info = unsafe { ffi::ov_info(self.raw(), -1) };
        if info.is_null() {
            return Err(err(ErrorKind::Corrupt, "no stream information"));
        }
        // SAFETY: non-null, valid while the handle is open.
        let info = unsafe { &*info };
        let channels = u16::try_from(info.channels).ok().filter(|&c| c > 0);
        let rate = u32::try_from(info.rate).ok().filter(|&r| r > 0);
        match (channels, rate) {
            (Some(c), Some(r)) => Ok(Format::new(r, c)),
            _ => Err(err(ErrorKind::Corrupt, "invalid channels or sample rate")),
        }
    }

    fn total(&mut self) -> Option<u64> {
        // SAFETY: the handle is open.
        let total = unsafe { ffi::ov_pcm_total(self.raw(), -1) };
        u64::try_from(total).ok()
    }
}

impl Drop for Opened<'_, '_> {
    fn drop(&mut self) {
        // SAFETY: the handle was opened successfully and is cleared once.
        unsafe {
            ffi::ov_clear(self.raw());
        }
    }
}

/// An Ogg Vorbis decoder over a complete in-memory stream (libvorbisfile), with an
/// output limit ([`VorbisDecoder::with_max_samples`]). Chained streams decode when every
/// link has the same format.
#[derive(Debug, Clone)]
pub struct VorbisDecoder {
    max_samples: usize,
}

impl Default for VorbisDecoder {
    fn default() -> Self {
        VorbisDecoder::new()
    }
}

impl VorbisDecoder {
    /// A decoder with the default output limit ([`DEFAULT_MAX_SAMPLES`]).
    pub fn new() -> VorbisDecoder {
        VorbisDecoder {
            max_samples: DEFAULT_MAX_SAMPLES,
        }
    }

    /// Sets the limit on decoded samples (all channels).
    pub fn with_max_samples(mut self, max_samples: usize) -> VorbisDecoder {
        self.max_samples = max_samples;
        self
    }

    fn run<T>(
        &self,
        stream: &[u8],
        mut read: impl FnMut(&mut Opened<'_, '_>, usize, &mut Vec<T>) -> Result<(usize, c_int)>,
    ) -> Result<Pcm<T>> {
        let declared = check_pages(stream)?;
        let mut mem = Mem {
            data: stream,
            pos: 0,
        };
        let mut file = Opened::open(&mut mem)?;
        let format = file.format()?;
        let channels = usize::from(format.channels);
        let total = file.total();
        if (declared.max(0) as u64).saturating_mul(channels as u64) > self.max_samples as u64 {
            return Err(err(
                ErrorKind::OutputLimit,
                format!(
                    "the stream declares {declared} frames, over the limit of {} samples",
                    self.max_samples
                ),
            ));
        }
        if let Some(total) = total {
            if total.saturating_mul(channels as u64) > self.max_samples as u64 {
                return Err(err(
                    ErrorKind::OutputLimit,
                    format!(
                        "the stream holds {total} frames, over the limit of {} samples",
                        self.max_samples
                    ),
                ));
            }
        }
        let mut samples: Vec<T> = Vec::with_capacity(
            (total.unwrap_or(0) as usize)
                .saturating_mul(channels)
                .min(self.max_samples)
                .min(stream.len().saturating_mul(64)),
        );
        let mut link = None;
        loop {
            let (frames, bitstream) = read(&mut file, channels, &mut samples)?;
            if frames == 0 {
                break;
            }
            if link != Some(bitstream) {
                if link.is_some() && file.format()? != format {
                    return Err(err(
                        ErrorKind::Unsupported,
                        "a chained stream whose links differ in format",
                    ));
                }
                link = Some(bitstream);
            }
            if samples.len() > self.max_samples {
                return Err(err(
                    ErrorKind::OutputLimit,
                    format!("more than {} samples", self.max_samples),
                ));
            }
        }
        let decoded = (samples.len() / channels) as u64;
        if let Some(total) = total {
            if decoded != total {
                return Err(err(
                    ErrorKind::Corrupt,
                    format!("{decoded} frames decoded, the granule positions say {total}"),
                ));
            }
        }
        Ok(Pcm { format, samples })
    }
}

impl Decoder for VorbisDecoder {
    fn backend(&self) -> Backend {
        Backend::Vorbis
    }

    fn decode(&mut self, stream: &[u8]) -> Result<Pcm<i16>> {
        let mut buf = vec![0i16; 8192];
        self.run(stream, |file, channels, out| {
            let mut bitstream: c_int = 0;
            // SAFETY: the handle is open; `buf` has 16 384 writable bytes, the length we
            // pass; little-endian, 16-bit, signed output.
            let n = unsafe {
                ffi::ov_read(
                    file.raw(),
                    buf.as_mut_ptr().cast::<c_char>(),
                    (buf.len() * 2) as c_int,
                    0,
                    2,
                    1,
                    &mut bitstream,
                )
            };
            if n < 0 {
                return Err(ov_error(n as c_int, "ov_read"));
            }
            let count = n as usize / 2;
            out.extend_from_slice(&buf[..count]);
            Ok((count / channels, bitstream))
        })
    }

    fn decode_f32(&mut self, stream: &[u8]) -> Result<Pcm<f32>> {
        self.run(stream, |file, channels, out| {
            let mut bitstream: c_int = 0;
            let mut planes: *mut *mut f32 = std::ptr::null_mut();
            // SAFETY: the handle is open; `planes` receives pointers into the decoder's
            // own buffers, valid until the next call.
            let n = unsafe { ffi::ov_read_float(file.raw(), &mut planes, 4096, &mut bitstream) };
            if n < 0 {
                return Err(ov_error(n as c_int, "ov_read_float"));
            }
            let frames = n as usize;
            if frames == 0 {
                return Ok((0, bitstream));
            }
            // A chained stream's next link may have fewer channels: never read more
            // planes than the current link has.
            if usize::from(file.format()?.channels) != channels {
                return Err(err(
                    ErrorKind::Unsupported,
                    "a chained stream whose links differ in format",
                ));
            }
            // SAFETY: libvorbisfile returned `frames` samples in each of the current
            // link's channels, whose count equals `channels` (checked just above).
            let planes: Vec<&[f32]> = (0..channels)
                .map(|c| unsafe { std::slice::from_raw_parts(*planes.add(c), frames) })
                .collect();
            out.reserve(frames * channels);
            for i in 0..frames {
                for plane in &planes {
                    out.push(plane[i]);
                }
            }
            Ok((frames, bitstream))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliced_crc_equals_the_bitwise_definition() {
        fn bitwise(bytes: &[u8]) -> u32 {
            let mut crc = 0u32;
            for &b in bytes {
                crc ^= u32::from(b) << 24;
                for _ in 0..8 {
                    crc = if crc & 0x8000_0000 != 0 {
                        (crc << 1) ^ 0x04C1_1DB7
                    } else {
                        crc << 1
                    };
                }
            }
            crc
        }
        let data: Vec<u8> = (0..1000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for len in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            assert_eq!(ogg_crc(0, &data[..len]), bitwise(&data[..len]), "{len}");
            let (a, b) = data[..len].split_at(len / 3);
            assert_eq!(
                ogg_crc(ogg_crc(0, a), b),
                bitwise(&data[..len]),
                "{len} split"
            );
        }
    }

    #[test]
    fn page_walk_finds_truncation_and_garbage() {
        assert_eq!(check_pages(b"").unwrap_err().kind(), ErrorKind::Truncated);
        assert_eq!(
            check_pages(b"OggS").unwrap_err().kind(),
            ErrorKind::Truncated
        );
        assert_eq!(
            check_pages(&[b'x'; 40]).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
    }
}
