//! Opus through libopus (`arsenal-opus-sys`, Debian's `libopus-dev`): packet encoder
//! and decoder with every setting the issue names, and a whole-stream form for the
//! [`Encoder`]/[`Decoder`] traits.
//!
//! # The Opus packet stream
//! Opus defines packets, not a file format (Ogg Opus, RFC 7845, is a container on top).
//! The whole-stream form here is a minimal self-describing framing of our own, **not Ogg
//! Opus**: a 20-byte header — `b"AOPS"`, version `1`, channels (u8), pre-skip (u16 LE:
//! the encoder's lookahead, dropped by the decoder), sample rate (u32 LE), frames per
//! channel of the input (u64 LE) — then each packet as a u16 LE length and its bytes.
//! The decoder drops the pre-skip and trims the zero padding of the last packet, so its
//! output lines up with the encoder's input sample for sample (delay-compensated).

use std::ffi::{c_int, CStr};
use std::ptr::NonNull;

use arsenal_opus_sys as ffi;

use crate::{
    Backend, Decoder, Encoder, Error, ErrorKind, Format, Pcm, Result, DEFAULT_MAX_SAMPLES,
};

const NAME: &str = "opus";
/// The largest packet one `opus_encode` call may produce (libopus recommends 4000).
const MAX_PACKET: usize = 4000;
/// The longest packet: 120 ms at 48 kHz.
const MAX_FRAME_48K: usize = 5760;
const MAGIC: &[u8; 4] = b"AOPS";
const HEADER_LEN: usize = 20;

/// libopus's version string (e.g. `libopus 1.3.1`).
pub(crate) fn version() -> String {
    // SAFETY: returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(ffi::opus_get_version_string()) }
        .to_string_lossy()
        .into_owned()
}

#[cold]
pub(crate) fn err(kind: ErrorKind, message: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    Error::new(kind, NAME, message)
}

/// An `Error` from a libopus return code, with `opus_strerror`'s text.
#[cold]
pub(crate) fn opus_error(code: c_int, context: &str) -> Error {
    let kind = match code {
        ffi::OPUS_BAD_ARG | ffi::OPUS_BUFFER_TOO_SMALL => ErrorKind::InvalidArgument,
        ffi::OPUS_INVALID_PACKET => ErrorKind::Corrupt,
        ffi::OPUS_ALLOC_FAIL => ErrorKind::OutOfMemory,
        ffi::OPUS_UNIMPLEMENTED => ErrorKind::Unsupported,
        _ => ErrorKind::Other,
    };
    // SAFETY: opus_strerror returns a static NUL-terminated string for any code.
    let text = unsafe { CStr::from_ptr(ffi::opus_strerror(code)) }.to_string_lossy();
    err(kind, format!("{context}: {text}")).with_code(i64::from(code))
}

pub(crate) fn check_format(format: Format) -> Result<()> {
    if !matches!(
        format.sample_rate,
        8_000 | 12_000 | 16_000 | 24_000 | 48_000
    ) {
        return Err(err(
            ErrorKind::InvalidArgument,
            format!(
                "Opus runs at 8, 12, 16, 24 or 48 kHz, not {} Hz",
                format.sample_rate
            ),
        ));
    }
    if !(1..=2).contains(&format.channels) {
        return Err(err(
            ErrorKind::InvalidArgument,
            format!("Opus has 1 or 2 channels, not {}", format.channels),
        ));
    }
    Ok(())
}

/// The longest packet at `rate`, in samples per channel.
pub(crate) fn max_frame(rate: u32) -> usize {
    MAX_FRAME_48K * rate as usize / 48_000
}

/// The encoder's tuning target (`OPUS_APPLICATION_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Application {
    /// Speech: voice-optimised, favours intelligibility.
    Voip,
    /// Music and mixed content: favours fidelity.
    Audio,
    /// The lowest delay: disables the speech modes (CELT only).
    RestrictedLowDelay,
}

impl Application {
    fn raw(self) -> c_int {
        match self {
            Application::Voip => ffi::OPUS_APPLICATION_VOIP,
            Application::Audio => ffi::OPUS_APPLICATION_AUDIO,
            Application::RestrictedLowDelay => ffi::OPUS_APPLICATION_RESTRICTED_LOWDELAY,
        }
    }
}

/// Duration of one Opus frame (one packet of the stream form).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameDuration {
    /// 2.5 ms.
    Ms2_5,
    /// 5 ms.
    Ms5,
    /// 10 ms.
    Ms10,
    /// 20 ms (the default).
    Ms20,
    /// 40 ms.
    Ms40,
    /// 60 ms.
    Ms60,
}

impl FrameDuration {
    /// Every duration, shortest first.
    pub const ALL: [FrameDuration; 6] = [
        FrameDuration::Ms2_5,
        FrameDuration::Ms5,
        FrameDuration::Ms10,
        FrameDuration::Ms20,
        FrameDuration::Ms40,
        FrameDuration::Ms60,
    ];

    /// Samples per channel of one frame at `sample_rate`.
    pub const fn samples(self, sample_rate: u32) -> usize {
        let tenths_of_ms = match self {
            FrameDuration::Ms2_5 => 25,
            FrameDuration::Ms5 => 50,
            FrameDuration::Ms10 => 100,
            FrameDuration::Ms20 => 200,
            FrameDuration::Ms40 => 400,
            FrameDuration::Ms60 => 600,
        };
        sample_rate as usize * tenths_of_ms / 10_000
    }

    /// The duration whose frame has `samples` samples per channel at `sample_rate`.
    pub fn from_samples(samples: usize, sample_rate: u32) -> Option<FrameDuration> {
        FrameDuration::ALL
            .into_iter()
            .find(|d| d.samples(sample_rate) == samples)
    }
}

/// An Opus encoder (`OpusEncoder`): packets one frame at a time
/// ([`OpusEncoder::encode_packet`]), or a whole stream ([`Encoder::encode`], the packet
/// stream described in [the module docs](self)).
///
/// ```
/// use arsenal_audio::{Application, Format, FrameDuration, OpusDecoder, OpusEncoder};
/// let format = Format::new(48_000, 2);
/// let mut encoder = OpusEncoder::new(format, Application::Audio)?;
/// encoder.set_bitrate(96_000)?;
/// encoder.set_complexity(10)?;
/// encoder.set_inband_fec(true)?;
/// encoder.set_packet_loss_perc(10)?;
/// let frame = FrameDuration::Ms10.samples(48_000); // 480
/// let mut packet = Vec::new();
/// encoder.encode_packet(&vec![0i16; frame * 2], &mut packet)?;
/// let mut decoder = OpusDecoder::new(format)?;
/// let mut out = vec![0i16; frame * 2];
/// assert_eq!(decoder.decode(&packet, &mut out)?, frame);
/// assert_eq!(decoder.conceal(&mut out)?, frame); // a lost packet
/// # Ok::<(), arsenal_audio::Error>(())
/// ```
#[derive(Debug)]
pub struct OpusEncoder {
    raw: NonNull<ffi::OpusEncoder>,
    format: Format,
    frame: FrameDuration,
}

// SAFETY: an OpusEncoder is one heap block of plain state owned by this value; libopus
// has no global mutable state and no thread affinity, and `&mut self` serialises use.
unsafe impl Send for OpusEncoder {}

impl OpusEncoder {
    /// An encoder for `format` (8/12/16/24/48 kHz, 1 or 2 channels) tuned for
    /// `application`, with 20 ms frames and libopus's default bitrate and complexity.
    pub fn new(format: Format, application: Application) -> Result<OpusEncoder> {
        check_format(format)?;
        let mut code = 0;
        // SAFETY: arguments validated above; `code` is writable.
        let raw = unsafe {
            ffi::opus_encoder_create(
                format.sample_rate as i32,
                c_int::from(format.channels),
                application.raw(),
                &mut code,
            )
        };
        match NonNull::new(raw) {
            Some(raw) if code == ffi::OPUS_OK => Ok(OpusEncoder {
                raw,
                format,
                frame: FrameDuration::Ms20,
            }),
            _ => Err(opus_error(code, "opus_encoder_create")),
        }
    }

    fn set(&mut self, request: c_int, value: i32, what: &str) -> Result<()> {
        // SAFETY: `request` is a SET request taking one opus_int32.
        let code = unsafe { ffi::opus_encoder_ctl(self.raw.as_ptr(), request, value) };
        if code == ffi::OPUS_OK {
            Ok(())
        } else {
            Err(opus_error(code, what))
        }
    }

    fn get(&mut self, request: c_int, what: &str) -> Result<i32> {
        let mut value: i32 = 0;
        // SAFETY: `request` is a GET request writing one opus_int32 through the pointer.
        let code =
            unsafe { ffi::opus_encoder_ctl(self.raw.as_ptr(), request, &mut value as *mut i32) };
        if code == ffi::OPUS_OK {
            Ok(value)
        } else {
            Err(opus_error(code, what))
        }
    }

    /// Sets the target bitrate in bits per second, 500 to 512 000.
    pub fn set_bitrate(&mut self, bits_per_second: u32) -> Result<()> {
        if !(500..=512_000).contains(&bits_per_second) {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("Opus bitrate {bits_per_second} b/s out of 500..=512000"),
            ));
        }
        self.set(
            ffi::OPUS_SET_BITRATE_REQUEST,
            bits_per_second as i32,
            "OPUS_SET_BITRATE",
        )
    }

    /// The bitrate the encoder targets, in bits per second.
    pub fn bitrate(&mut self) -> Result<u32> {
        let value = self.get(ffi::OPUS_GET_BITRATE_REQUEST, "OPUS_GET_BITRATE")?;
        Ok(value.max(0) as u32)
    }

    /// Sets the computational complexity, 0 (fastest) to 10 (best).
    pub fn set_complexity(&mut self, complexity: u32) -> Result<()> {
        if complexity > 10 {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("Opus complexity {complexity} out of 0..=10"),
            ));
        }
        self.set(
            ffi::OPUS_SET_COMPLEXITY_REQUEST,
            complexity as i32,
            "OPUS_SET_COMPLEXITY",
        )
    }

    /// Turns variable bitrate on (the default) or off (constant bitrate).
    pub fn set_vbr(&mut self, vbr: bool) -> Result<()> {
        self.set(ffi::OPUS_SET_VBR_REQUEST, i32::from(vbr), "OPUS_SET_VBR")
    }

    /// Turns in-band forward error correction on or off: each packet then carries a
    /// low-bitrate copy of the previous one (speech modes; used when the expected loss,
    /// [`set_packet_loss_perc`](Self::set_packet_loss_perc), is above zero), which
    /// [`OpusDecoder::decode_fec`] recovers.
    pub fn set_inband_fec(&mut self, fec: bool) -> Result<()> {
        self.set(
            ffi::OPUS_SET_INBAND_FEC_REQUEST,
            i32::from(fec),
            "OPUS_SET_INBAND_FEC",
        )
    }

    /// Sets the expected packet loss in percent, 0 to 100.
    pub fn set_packet_loss_perc(&mut self, percent: u32) -> Result<()> {
        if percent > 100 {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("packet loss {percent}% out of 0..=100"),
            ));
        }
        self.set(
            ffi::OPUS_SET_PACKET_LOSS_PERC_REQUEST,
            percent as i32,
            "OPUS_SET_PACKET_LOSS_PERC",
        )
    }

    /// Sets the frame duration of the whole-stream form ([`Encoder::encode`]).
    pub fn set_frame_duration(&mut self, frame: FrameDuration) {
        self.frame = frame;
    }

    /// The frame duration of the whole-stream form.
    pub fn frame_duration(&self) -> FrameDuration {
        self.frame
    }

    /// The encoder's lookahead (algorithmic delay) in samples per channel: the decoder's
    /// output lags the input by this much.
    pub fn lookahead(&mut self) -> Result<usize> {
        let value = self.get(ffi::OPUS_GET_LOOKAHEAD_REQUEST, "OPUS_GET_LOOKAHEAD")?;
        Ok(value.max(0) as usize)
    }

    /// Resets the encoder's state (not its settings), as for a new stream.
    pub fn reset(&mut self) -> Result<()> {
        // SAFETY: OPUS_RESET_STATE takes no argument.
        let code = unsafe { ffi::opus_encoder_ctl(self.raw.as_ptr(), ffi::OPUS_RESET_STATE) };
        if code == ffi::OPUS_OK {
            Ok(())
        } else {
            Err(opus_error(code, "OPUS_RESET_STATE"))
        }
    }

    fn frame_of(&self, len: usize) -> Result<c_int> {
        let channels = usize::from(self.format.channels);
        let frame = len / channels;
        if len % channels != 0
            || FrameDuration::from_samples(frame, self.format.sample_rate).is_none()
        {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!(
                    "{len} samples is not one 2.5/5/10/20/40/60 ms frame of {channels} channels at {} Hz",
                    self.format.sample_rate
                ),
            ));
        }
        Ok(frame as c_int)
    }

    /// Encodes one frame of interleaved `i16` PCM (2.5, 5, 10, 20, 40 or 60 ms) into
    /// `packet` (cleared first); returns the packet's length.
    pub fn encode_packet(&mut self, pcm: &[i16], packet: &mut Vec<u8>) -> Result<usize> {
        self.encode_with(pcm, packet, ffi::opus_encode, "opus_encode")
    }

    /// As [`encode_packet`](Self::encode_packet), from `f32` PCM in the nominal range ±1.
    pub fn encode_packet_f32(&mut self, pcm: &[f32], packet: &mut Vec<u8>) -> Result<usize> {
        self.encode_with(pcm, packet, ffi::opus_encode_float, "opus_encode_float")
    }

    /// One frame through `encode` (libopus's `opus_encode` for `i16`, `opus_encode_float`
    /// for `f32`, named `name` in errors).
    fn encode_with<T>(
        &mut self,
        pcm: &[T],
        packet: &mut Vec<u8>,
        encode: EncodeFn<T>,
        name: &str,
    ) -> Result<usize> {
        let frame = self.frame_of(pcm.len())?;
        packet.clear();
        packet.reserve(MAX_PACKET);
        // SAFETY: `encode` is libopus's encoder entry point for samples of type `T`;
        // `pcm` holds `frame * channels` samples (checked by `frame_of`); `packet` has
        // MAX_PACKET bytes of spare capacity, the limit we pass.
        let n = unsafe {
            encode(
                self.raw.as_ptr(),
                pcm.as_ptr(),
                frame,
                packet.as_mut_ptr(),
                MAX_PACKET as i32,
            )
        };
        if n < 0 {
            return Err(opus_error(n, name));
        }
        // SAFETY: libopus wrote `n` (≤ MAX_PACKET) bytes.
        unsafe { packet.set_len(n as usize) };
        Ok(n as usize)
    }
}

/// The shape of `opus_encode` / `opus_encode_float`: the state, `frame` samples per channel
/// of interleaved PCM, the packet buffer and its capacity; the packet length or an error.
type EncodeFn<T> =
    unsafe extern "C" fn(*mut ffi::OpusEncoder, *const T, c_int, *mut u8, i32) -> i32;

impl Drop for OpusEncoder {
    fn drop(&mut self) {
        // SAFETY: we own the encoder.
        unsafe { ffi::opus_encoder_destroy(self.raw.as_ptr()) }
    }
}

impl Encoder for OpusEncoder {
    fn backend(&self) -> Backend {
        Backend::Opus
    }

    fn format(&self) -> Format {
        self.format
    }

    /// Encodes `pcm` into the packet stream of [the module docs](self): resets the
    /// state, then encodes frames of [`frame_duration`](OpusEncoder::frame_duration),
    /// zero-padding the end so the decoder can drop the lookahead.
    fn encode(&mut self, pcm: &[i16]) -> Result<Vec<u8>> {
        // The header (written last, when the lookahead is known), then the packets.
        let mut out = vec![0u8; HEADER_LEN];
        let layout = self.packets(pcm, |packet, _| {
            out.extend_from_slice(&(packet.len() as u16).to_le_bytes());
            out.extend_from_slice(packet);
            Ok(())
        })?;
        out[..4].copy_from_slice(MAGIC);
        out[4] = 1;
        out[5] = self.format.channels as u8;
        out[6..8].copy_from_slice(&(layout.lookahead as u16).to_le_bytes());
        out[8..12].copy_from_slice(&self.format.sample_rate.to_le_bytes());
        out[12..20].copy_from_slice(&(layout.frames as u64).to_le_bytes());
        Ok(out)
    }
}

/// How [`OpusEncoder::packets`] laid a stream out, in samples per channel at the
/// encoder's rate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PacketLayout {
    /// The encoder's lookahead: decoded samples to drop at the start (pre-skip).
    pub(crate) lookahead: usize,
    /// Samples per channel of the input.
    pub(crate) frames: usize,
}

impl OpusEncoder {
    /// Encodes `pcm` as a whole stream of packets of [`frame_duration`](Self::frame_duration)
    /// from a reset state, zero-padding the end so that `lookahead + frames` samples are
    /// covered; `emit(packet, end)` receives each packet and the sample position (per
    /// channel, lookahead included) where its audio ends.
    pub(crate) fn packets(
        &mut self,
        pcm: &[i16],
        mut emit: impl FnMut(&[u8], usize) -> Result<()>,
    ) -> Result<PacketLayout> {
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
        self.reset()?;
        let frames = pcm.len() / channels;
        let lookahead = self.lookahead()?;
        let frame = self.frame.samples(self.format.sample_rate);
        let packets = (frames + lookahead).div_ceil(frame);
        let mut chunk = vec![0i16; frame * channels];
        let mut packet = Vec::with_capacity(MAX_PACKET);
        for p in 0..packets {
            let start = (p * frame * channels).min(pcm.len());
            let end = ((p + 1) * frame * channels).min(pcm.len());
            let input = if end - start == chunk.len() {
                &pcm[start..end]
            } else {
                chunk.fill(0);
                chunk[..end - start].copy_from_slice(&pcm[start..end]);
                &chunk[..]
            };
            self.encode_packet(input, &mut packet)?;
            emit(&packet, (p + 1) * frame)?;
        }
        Ok(PacketLayout { lookahead, frames })
    }
}

/// An Opus decoder (`OpusDecoder`) for packets: normal decoding, loss concealment
/// ([`conceal`](Self::conceal)) and in-band FEC recovery ([`decode_fec`](Self::decode_fec)).
#[derive(Debug)]
pub struct OpusDecoder {
    raw: NonNull<ffi::OpusDecoder>,
    format: Format,
}

// SAFETY: as for `OpusEncoder`: plain owned state, no thread affinity in libopus.
unsafe impl Send for OpusDecoder {}

impl OpusDecoder {
    /// A decoder producing `format` (8/12/16/24/48 kHz, 1 or 2 channels; any packet
    /// decodes at any of them).
    pub fn new(format: Format) -> Result<OpusDecoder> {
        check_format(format)?;
        let mut code = 0;
        // SAFETY: arguments validated; `code` is writable.
        let raw = unsafe {
            ffi::opus_decoder_create(
                format.sample_rate as i32,
                c_int::from(format.channels),
                &mut code,
            )
        };
        match NonNull::new(raw) {
            Some(raw) if code == ffi::OPUS_OK => Ok(OpusDecoder { raw, format }),
            _ => Err(opus_error(code, "opus_decoder_create")),
        }
    }

    /// The output format.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Resets the decoder's state, as for a new stream.
    pub fn reset(&mut self) -> Result<()> {
        // SAFETY: OPUS_RESET_STATE takes no argument.
        let code = unsafe { ffi::opus_decoder_ctl(self.raw.as_ptr(), ffi::OPUS_RESET_STATE) };
        if code == ffi::OPUS_OK {
            Ok(())
        } else {
            Err(opus_error(code, "OPUS_RESET_STATE"))
        }
    }

    /// Sets the output gain libopus applies to every decoded sample, in Q7.8 dB
    /// (`256` = +1 dB; the `OpusHead` field of Ogg Opus). It survives
    /// [`reset`](Self::reset).
    pub fn set_gain(&mut self, gain_q8: i16) -> Result<()> {
        // SAFETY: OPUS_SET_GAIN takes one opus_int32 argument; any i16 is in range.
        let code = unsafe {
            ffi::opus_decoder_ctl(
                self.raw.as_ptr(),
                ffi::OPUS_SET_GAIN_REQUEST,
                c_int::from(gain_q8),
            )
        };
        if code == ffi::OPUS_OK {
            Ok(())
        } else {
            Err(opus_error(code, "OPUS_SET_GAIN"))
        }
    }

    /// Samples per channel that fit `len` interleaved samples, capped at the longest
    /// packet (120 ms).
    fn capacity(&self, len: usize) -> Result<c_int> {
        let channels = usize::from(self.format.channels);
        if len % channels != 0 || len == 0 {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!("output of {len} samples is not whole frames of {channels} channels"),
            ));
        }
        Ok((len / channels).min(max_frame(self.format.sample_rate)) as c_int)
    }

    /// An exact concealment/FEC duration: a multiple of 2.5 ms up to 120 ms.
    fn exact(&self, len: usize) -> Result<c_int> {
        let channels = usize::from(self.format.channels);
        let quantum = FrameDuration::Ms2_5.samples(self.format.sample_rate);
        let frames = len / channels;
        if len % channels != 0
            || frames == 0
            || frames % quantum != 0
            || frames > max_frame(self.format.sample_rate)
        {
            return Err(err(
                ErrorKind::InvalidArgument,
                format!(
                    "{len} samples is not a multiple of 2.5 ms up to 120 ms of {channels} channels"
                ),
            ));
        }
        Ok(frames as c_int)
    }

    fn packet_len(packet: &[u8]) -> Result<i32> {
        if packet.is_empty() {
            return Err(err(
                ErrorKind::InvalidArgument,
                "an empty packet: use conceal() for a lost one",
            ));
        }
        i32::try_from(packet.len())
            .map_err(|_| err(ErrorKind::InvalidArgument, "packet longer than 2^31 bytes"))
    }

    /// One `opus_decode` call into `out`'s first `frame` frames: `packet` `None` asks for
    /// concealment, `fec` for the in-band FEC data of `packet`.
    fn decode_i16(
        &mut self,
        packet: Option<&[u8]>,
        out: &mut [i16],
        frame: c_int,
        fec: bool,
        what: &str,
    ) -> Result<usize> {
        let (data, len) = match packet {
            Some(p) => (p.as_ptr(), Self::packet_len(p)?),
            None => (std::ptr::null(), 0),
        };
        debug_assert!(frame as usize * usize::from(self.format.channels) <= out.len());
        // SAFETY: `data` has `len` bytes (or is null with `len` 0: concealment); `out`
        // has room for `frame` frames (`capacity` / `exact` checked it against its length).
        let n = unsafe {
            ffi::opus_decode(
                self.raw.as_ptr(),
                data,
                len,
                out.as_mut_ptr(),
                frame,
                c_int::from(fec),
            )
        };
        if n < 0 {
            return Err(opus_error(n, what));
        }
        Ok(n as usize)
    }

    /// Decodes one packet into `out` (interleaved, room for the packet's duration, e.g.
    /// 120 ms to take any); returns samples per channel written.
    pub fn decode(&mut self, packet: &[u8], out: &mut [i16]) -> Result<usize> {
        let frame = self.capacity(out.len())?;
        self.decode_i16(Some(packet), out, frame, false, "opus_decode")
    }

    /// As [`decode`](Self::decode), into `f32` PCM.
    pub fn decode_f32(&mut self, packet: &[u8], out: &mut [f32]) -> Result<usize> {
        let len = Self::packet_len(packet)?;
        let frame = self.capacity(out.len())?;
        // SAFETY: `packet` has `len` bytes; `out` has room for `frame` frames.
        let n = unsafe {
            ffi::opus_decode_float(
                self.raw.as_ptr(),
                packet.as_ptr(),
                len,
                out.as_mut_ptr(),
                frame,
                0,
            )
        };
        if n < 0 {
            return Err(opus_error(n, "opus_decode_float"));
        }
        Ok(n as usize)
    }

    /// Packet loss concealment: fills all of `out` (a multiple of 2.5 ms up to 120 ms:
    /// the lost packet's duration) with audio extrapolated from the previous packets.
    pub fn conceal(&mut self, out: &mut [i16]) -> Result<usize> {
        let frame = self.exact(out.len())?;
        self.decode_i16(None, out, frame, false, "opus_decode (concealment)")
    }

    /// Recovers a lost packet from the in-band FEC data of the packet that follows it
    /// (`next`): fills all of `out` (the lost packet's duration). Without FEC data in
    /// `next` this conceals instead (libopus's behaviour). Then decode `next` itself
    /// normally.
    pub fn decode_fec(&mut self, next: &[u8], out: &mut [i16]) -> Result<usize> {
        let frame = self.exact(out.len())?;
        self.decode_i16(Some(next), out, frame, true, "opus_decode (FEC)")
    }
}

impl Drop for OpusDecoder {
    fn drop(&mut self) {
        // SAFETY: we own the decoder.
        unsafe { ffi::opus_decoder_destroy(self.raw.as_ptr()) }
    }
}

/// The header of the packet stream.
struct Header {
    format: Format,
    pre_skip: usize,
    frames: u64,
}

fn parse_header(stream: &[u8]) -> Result<Header> {
    if stream.len() < HEADER_LEN {
        return Err(err(
            ErrorKind::Truncated,
            "shorter than the 20-byte stream header",
        ));
    }
    if &stream[..4] != MAGIC {
        return Err(err(
            ErrorKind::Corrupt,
            "not an Arsenal Opus packet stream (magic)",
        ));
    }
    if stream[4] != 1 {
        return Err(err(
            ErrorKind::Unsupported,
            format!("packet stream version {}", stream[4]),
        ));
    }
    let format = Format::new(
        u32::from_le_bytes([stream[8], stream[9], stream[10], stream[11]]),
        u16::from(stream[5]),
    );
    check_format(format).map_err(|e| err(ErrorKind::Corrupt, e.message().to_owned()))?;
    let pre_skip = usize::from(u16::from_le_bytes([stream[6], stream[7]]));
    let mut frames = [0u8; 8];
    frames.copy_from_slice(&stream[12..20]);
    Ok(Header {
        format,
        pre_skip,
        frames: u64::from_le_bytes(frames),
    })
}

/// The whole-stream Opus decoder of the [`Decoder`] trait: reads the packet stream of
/// [the module docs](self), checks the header, every packet and the declared length
/// (a stream cut short is [`ErrorKind::Truncated`]), and drops the encoder's delay.
#[derive(Debug)]
pub struct OpusStreamDecoder {
    max_samples: usize,
    decoder: Option<OpusDecoder>,
}

impl Default for OpusStreamDecoder {
    fn default() -> Self {
        OpusStreamDecoder::new()
    }
}

impl OpusStreamDecoder {
    /// A decoder with the default output limit ([`DEFAULT_MAX_SAMPLES`]).
    pub fn new() -> OpusStreamDecoder {
        OpusStreamDecoder {
            max_samples: DEFAULT_MAX_SAMPLES,
            decoder: None,
        }
    }

    /// Sets the limit on decoded samples (all channels); a header declaring more gives
    /// [`ErrorKind::OutputLimit`] before anything is decoded.
    pub fn with_max_samples(mut self, max_samples: usize) -> OpusStreamDecoder {
        self.max_samples = max_samples;
        self
    }

    fn run<T: Copy + Default>(
        &mut self,
        stream: &[u8],
        mut decode: impl FnMut(&mut OpusDecoder, &[u8], &mut [T]) -> Result<usize>,
    ) -> Result<Pcm<T>> {
        let header = parse_header(stream)?;
        let channels = usize::from(header.format.channels);
        let declared = header.frames.saturating_mul(channels as u64);
        if declared > self.max_samples as u64 {
            return Err(err(
                ErrorKind::OutputLimit,
                format!(
                    "the header declares {declared} samples, over the limit of {}",
                    self.max_samples
                ),
            ));
        }
        // Every packet takes at least 3 bytes (length + one TOC byte) and lasts at most
        // 120 ms: a declared length the bytes cannot hold is corrupt, not an allocation.
        let max_frame = max_frame(header.format.sample_rate);
        let packets_max = (stream.len() - HEADER_LEN) / 3;
        let wanted = header.frames.saturating_add(header.pre_skip as u64);
        if wanted > packets_max as u64 * max_frame as u64 {
            return Err(err(
                ErrorKind::Corrupt,
                format!(
                    "{} bytes cannot hold {} frames",
                    stream.len(),
                    header.frames
                ),
            ));
        }
        let wanted = wanted as usize;
        let decoder = match &mut self.decoder {
            Some(d) if d.format == header.format => {
                d.reset()?;
                d
            }
            slot => slot.insert(OpusDecoder::new(header.format)?),
        };
        let mut out: Vec<T> = Vec::with_capacity(wanted * channels);
        let mut buf = vec![T::default(); max_frame * channels];
        let mut pos = HEADER_LEN;
        let mut decoded = 0usize;
        while pos < stream.len() {
            if stream.len() - pos < 2 {
                return Err(err(
                    ErrorKind::Truncated,
                    "stream ends inside a packet length",
                ));
            }
            let len = usize::from(u16::from_le_bytes([stream[pos], stream[pos + 1]]));
            pos += 2;
            if len == 0 {
                return Err(err(ErrorKind::Corrupt, "a zero-length packet"));
            }
            if stream.len() - pos < len {
                return Err(err(ErrorKind::Truncated, "stream ends inside a packet"));
            }
            let n = decode(decoder, &stream[pos..pos + len], &mut buf)?;
            pos += len;
            if decoded >= wanted {
                return Err(err(ErrorKind::Corrupt, "packets after the declared length"));
            }
            let take = n.min(wanted - decoded);
            out.extend_from_slice(&buf[..take * channels]);
            decoded += n;
        }
        if decoded < wanted {
            return Err(err(
                ErrorKind::Truncated,
                format!("stream ended after {decoded} of {wanted} frames"),
            ));
        }
        out.drain(..header.pre_skip * channels);
        Ok(Pcm {
            format: header.format,
            samples: out,
        })
    }
}

impl Decoder for OpusStreamDecoder {
    fn backend(&self) -> Backend {
        Backend::Opus
    }

    fn decode(&mut self, stream: &[u8]) -> Result<Pcm<i16>> {
        self.run(stream, |d, p, out| d.decode(p, out))
    }

    fn decode_f32(&mut self, stream: &[u8]) -> Result<Pcm<f32>> {
        self.run(stream, |d, p, out| d.decode_f32(p, out))
    }
}
