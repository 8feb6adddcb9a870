//! libavcodec 5.1 (FFmpeg, Debian's `libavcodec-dev`): its native H.264 and VP9
//! decoders through `arsenal-avcodec-sys`'s shim. Frames are FFmpeg's reference-counted
//! `AVFrame`s: a [`Frame`] holds one and frees it on drop (zero-copy).
//!
//! Feed H.264 as Annex-B access units ([`crate::container::AnnexB`] splits a stream)
//! and VP9 as whole frames (e.g. IVF records).

use std::collections::VecDeque;
use std::ffi::{c_char, c_int, CStr};
use std::ptr::{self, NonNull};

use arsenal_avcodec_sys as ffi;

use crate::picture::{ChromaSampling, ColorInfo, KeepAlive, RawPicture};
use crate::{Backend, Codec, Decoder, Error, ErrorKind, Frame, Result, Settings};

const NAME: &str = "avcodec";

/// libavcodec's version, e.g. `libavcodec 59.37.100`.
pub fn version() -> String {
    // SAFETY: a plain function returning an integer.
    let v = unsafe { ffi::arsenal_avc_version() };
    format!("libavcodec {}.{}.{}", v >> 16, (v >> 8) & 0xFF, v & 0xFF)
}

/// FFmpeg's `AVERROR_INVALIDDATA` (`-MKTAG('I','N','D','A')`).
const AVERROR_INVALIDDATA: c_int = -0x4144_4E49;
/// `AVERROR(ENOMEM)`.
const AVERROR_ENOMEM: c_int = -12;
/// `AVERROR(EINVAL)`.
const AVERROR_EINVAL: c_int = -22;

#[cold]
fn error(rc: c_int, what: &str) -> Error {
    let mut buf = [0 as c_char; 256];
    // SAFETY: buffer and its length; the shim NUL-terminates.
    let text = unsafe {
        ffi::arsenal_avc_strerror(rc, buf.as_mut_ptr(), buf.len());
        CStr::from_ptr(buf.as_ptr())
    }
    .to_string_lossy()
    .into_owned();
    let kind = match rc {
        AVERROR_INVALIDDATA => ErrorKind::Corrupt,
        AVERROR_ENOMEM => ErrorKind::OutOfMemory,
        AVERROR_EINVAL => ErrorKind::InvalidArgument,
        _ => ErrorKind::Other,
    };
    Error::new(kind, NAME, format!("{what}: {text}")).with_code(i64::from(rc))
}

/// An H.264 or VP9 decoder over libavcodec.
///
/// ```
/// use arsenal_video::{AvcodecDecoder, Codec, Decoder, Settings};
/// let mut decoder = AvcodecDecoder::new(Codec::H264, &Settings::new())?;
/// assert_eq!(decoder.codec(), Codec::H264);
/// assert!(decoder.flush()?.is_empty());
/// assert!(AvcodecDecoder::new(Codec::Av1, &Settings::new()).is_err());
/// # Ok::<(), arsenal_video::Error>(())
/// ```
pub struct AvcodecDecoder {
    dec: NonNull<ffi::arsenal_avc_decoder>,
    codec: Codec,
    queue: VecDeque<Frame>,
    max_pixels: u64,
}

// SAFETY: an AVCodecContext has no thread affinity; calls are serialised by `&mut self`
// (FFmpeg's frame threads are internal).
unsafe impl Send for AvcodecDecoder {}

impl std::fmt::Debug for AvcodecDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AvcodecDecoder")
            .field("codec", &self.codec)
            .field("queued", &self.queue.len())
            .finish()
    }
}

/// An `AVFrame` reference of ours, freed on drop.
struct AvFrame(*mut ffi::AVFrame);

// SAFETY: AVFrame buffers are AVBufferRefs with atomic reference counts; freeing our
// reference from any thread is allowed, and the decoder never writes a buffer that is
// referenced outside it.
unsafe impl Send for AvFrame {}
// SAFETY: shared access only reads.
unsafe impl Sync for AvFrame {}
impl KeepAlive for AvFrame {}

impl Drop for AvFrame {
    fn drop(&mut self) {
        // SAFETY: a frame from arsenal_avc_dec_receive, freed once.
        unsafe { ffi::arsenal_avc_frame_free(self.0) }
    }
}

/// The limit given to libavcodec's own check, which counts its padded coded size (a
/// 66×38 H.264 picture is checked as 128×38): twice ours plus 1 M pixels, so it only
/// guards allocation; the exact limit on the visible size is checked on every picture.
fn ffmpeg_max_pixels(max_pixels: u64) -> i64 {
    i64::try_from(max_pixels.saturating_mul(2).saturating_add(1 << 20)).unwrap_or(i64::MAX)
}

impl AvcodecDecoder {
    /// A decoder of `codec` (H.264 or VP9) with `settings`: threads → `thread_count`;
    /// `max_frame_delay` 1 keeps to slice threading (no added delay), anything else
    /// allows frame threading too; `max_pixels` is checked on every picture (and, with
    /// room for padding, given to libavcodec's `max_pixels`); `apply_grain` does not
    /// apply. `ErrorKind::Unsupported` for AV1 (FFmpeg 5.1's native AV1 decoder needs
    /// hardware; use dav1d).
    pub fn new(codec: Codec, settings: &Settings) -> Result<Self> {
        settings.validate(NAME)?;
        let id = match codec {
            Codec::H264 => ffi::ARSENAL_AVC_H264,
            Codec::Vp9 => ffi::ARSENAL_AVC_VP9,
            Codec::Av1 => return Err(crate::wrong_codec(Backend::Avcodec, codec)),
        };
        let frame_threads = c_int::from(settings.max_frame_delay != 1 && settings.threads > 1);
        let mut dec = ptr::null_mut();
        let mut msg = [0 as c_char; 256];
        // SAFETY: valid out-pointer and message buffer; validated ranges fit the C types.
        let rc = unsafe {
            ffi::arsenal_avc_dec_open(
                &mut dec,
                id,
                settings.threads as c_int,
                frame_threads,
                ffmpeg_max_pixels(settings.max_pixels),
                msg.as_mut_ptr(),
                msg.len(),
            )
        };
        if rc != 0 {
            // SAFETY: the shim NUL-terminated the message.
            let text = unsafe { CStr::from_ptr(msg.as_ptr()) }.to_string_lossy();
            return Err(
                Error::new(ErrorKind::Other, NAME, format!("avcodec_open2: {text}"))
                    .with_code(i64::from(rc)),
            );
        }
        let dec = NonNull::new(dec).ok_or_else(|| error(AVERROR_ENOMEM, "open"))?;
        Ok(AvcodecDecoder {
            dec,
            codec,
            queue: VecDeque::new(),
            max_pixels: settings.max_pixels,
        })
    }

    /// Receives every ready frame into the queue; Ok(true) at end of stream.
    fn pull(&mut self) -> Result<bool> {
        loop {
            let mut frame = ptr::null_mut();
            let mut img = std::mem::MaybeUninit::<ffi::arsenal_avc_image>::zeroed();
            // SAFETY: live decoder; out-pointers valid.
            let rc = unsafe {
                ffi::arsenal_avc_dec_receive(self.dec.as_ptr(), &mut frame, img.as_mut_ptr())
            };
            match rc {
                ffi::ARSENAL_AVC_AGAIN => return Ok(false),
                ffi::ARSENAL_AVC_EOF => return Ok(true),
                ffi::ARSENAL_AVC_FRAME => {}
                _ => return Err(error(rc, "avcodec_receive_frame")),
            }
            let keep = AvFrame(frame);
            // SAFETY: filled by the shim with a frame.
            let img = unsafe { img.assume_init() };
            if img.bit_depth == 0 {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    NAME,
                    "decoded pixel format is not planar YUV",
                ));
            }
            let raw = RawPicture {
                planes: img.planes,
                strides: img.strides.map(|s| s as isize),
                width: u32::try_from(img.width).unwrap_or(0),
                height: u32::try_from(img.height).unwrap_or(0),
                bit_depth: img.bit_depth as u32,
                bytes_per_sample: img.bytes_per_sample as u32,
                chroma: ChromaSampling::from_shifts(
                    NAME,
                    img.monochrome != 0,
                    img.chroma_shift_x as u32,
                    img.chroma_shift_y as u32,
                )?,
                color: ColorInfo::from_c(
                    img.primaries,
                    img.transfer,
                    img.matrix,
                    img.full_range != 0,
                ),
                timestamp: (img.has_pts != 0).then_some(img.pts),
            };
            raw.validate(NAME, self.max_pixels)?;
            // SAFETY: validated; `keep` holds the AVFrame reference whose buffers the
            // planes point into.
            self.queue
                .push_back(unsafe { Frame::shared(raw, Box::new(keep)) });
        }
    }
}

impl Decoder for AvcodecDecoder {
    fn backend(&self) -> Backend {
        Backend::Avcodec
    }

    fn codec(&self) -> Codec {
        self.codec
    }

    fn send(&mut self, data: &[u8], timestamp: Option<i64>) -> Result<()> {
        crate::check_input(NAME, data)?;
        loop {
            // SAFETY: live decoder; `data` is readable for its length (the shim copies it).
            let rc = unsafe {
                ffi::arsenal_avc_dec_send(
                    self.dec.as_ptr(),
                    data.as_ptr(),
                    data.len(),
                    timestamp.unwrap_or(0),
                    c_int::from(timestamp.is_some()),
                )
            };
            match rc {
                0 => break,
                ffi::ARSENAL_AVC_AGAIN => {
                    // Output must be read first; if nothing comes out, stop rather than spin.
                    let before = self.queue.len();
                    self.pull()?;
                    if self.queue.len() == before {
                        return Err(Error::new(
                            ErrorKind::Other,
                            NAME,
                            "avcodec_send_packet: EAGAIN with no frame to receive (decoder stalled)",
                        ));
                    }
                }
                ffi::ARSENAL_AVC_EOF => {
                    return Err(Error::new(
                        ErrorKind::InvalidArgument,
                        NAME,
                        "data sent after end of stream",
                    ))
                }
                _ => return Err(error(rc, "avcodec_send_packet")),
            }
        }
        self.pull().map(|_| ())
    }

    fn receive(&mut self) -> Result<Option<Frame>> {
        if self.queue.is_empty() {
            self.pull()?;
        }
        Ok(self.queue.pop_front())
    }

    fn flush(&mut self) -> Result<Vec<Frame>> {
        // SAFETY: live decoder; null data signals end of stream.
        let rc = unsafe { ffi::arsenal_avc_dec_send(self.dec.as_ptr(), ptr::null(), 0, 0, 0) };
        let result = if rc == 0 || rc == ffi::ARSENAL_AVC_EOF {
            loop {
                let before = self.queue.len();
                match self.pull() {
                    Ok(true) => break Ok(()),
                    // EAGAIN after end of stream: go on only while frames come out.
                    Ok(false) if self.queue.len() > before => continue,
                    Ok(false) => break Ok(()),
                    Err(e) => break Err(e),
                }
            }
        } else {
            Err(error(rc, "avcodec_send_packet(NULL)"))
        };
        let frames = self.queue.drain(..).collect();
        // SAFETY: live decoder: ready for a new stream.
        unsafe { ffi::arsenal_avc_dec_reset(self.dec.as_ptr()) };
        result.map(|()| frames)
    }
}

impl Drop for AvcodecDecoder {
    fn drop(&mut self) {
        self.queue.clear();
        // SAFETY: the decoder from arsenal_avc_dec_open, closed once; frames already
        // returned hold their own buffer references.
        unsafe { ffi::arsenal_avc_dec_close(self.dec.as_ptr()) }
    }
}

/// An H.264 encoder through libavcodec's libx264 wrapper (4:2:0, 8 or 10 bits,
/// constant QP, preset `veryfast`), for making test and benchmark streams: each
/// [`encode`](H264Encoder::encode) call returns the Annex-B access units that came out.
///
/// ```
/// use arsenal_video::backend::avcodec::H264Encoder;
/// let mut encoder = H264Encoder::new(64, 48, 8, 24, 10, 0)?;
/// let y = vec![128u8; 64 * 48];
/// let c = vec![128u8; 32 * 24];
/// let mut units = encoder.encode(&[&y, &c, &c], 0)?;
/// units.extend(encoder.finish()?);
/// assert_eq!(units.len(), 1);
/// # Ok::<(), arsenal_video::Error>(())
/// ```
pub struct H264Encoder {
    enc: NonNull<ffi::arsenal_avc_encoder>,
    width: u32,
    height: u32,
    bit_depth: u8,
}

// SAFETY: an encoder context has no thread affinity; calls are serialised by `&mut self`.
unsafe impl Send for H264Encoder {}

impl std::fmt::Debug for H264Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("H264Encoder")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bit_depth", &self.bit_depth)
            .finish()
    }
}

impl H264Encoder {
    /// An encoder of `width`×`height` pictures (even sizes; 4:2:0), `bit_depth` 8 or 10,
    /// quantiser `qp` (0–51), keyframe interval `gop`, up to `bframes` B-frames (0–16).
    pub fn new(
        width: u32,
        height: u32,
        bit_depth: u8,
        qp: u32,
        gop: u32,
        bframes: u32,
    ) -> Result<Self> {
        let arg = |what: &str| Error::new(ErrorKind::InvalidArgument, NAME, what.to_owned());
        if width == 0
            || height == 0
            || width > 16_384
            || height > 16_384
            || width % 2 != 0
            || height % 2 != 0
        {
            return Err(arg("encoder size must be even and within 2..=16384"));
        }
        if bit_depth != 8 && bit_depth != 10 {
            return Err(arg("bit depth must be 8 or 10"));
        }
        if qp > 51 || gop == 0 || gop > 10_000 || bframes > 16 {
            return Err(arg("qp 0..=51, gop 1..=10000, bframes 0..=16"));
        }
        let mut enc = ptr::null_mut();
        let mut msg = [0 as c_char; 256];
        // SAFETY: valid out-pointer and message buffer; values checked above fit c_int.
        let rc = unsafe {
            ffi::arsenal_avc_h264_enc_open(
                &mut enc,
                width as c_int,
                height as c_int,
                c_int::from(bit_depth),
                qp as c_int,
                gop as c_int,
                bframes as c_int,
                msg.as_mut_ptr(),
                msg.len(),
            )
        };
        if rc != 0 {
            // SAFETY: NUL-terminated by the shim.
            let text = unsafe { CStr::from_ptr(msg.as_ptr()) }.to_string_lossy();
            return Err(
                Error::new(ErrorKind::Unsupported, NAME, format!("libx264: {text}"))
                    .with_code(i64::from(rc)),
            );
        }
        let enc = NonNull::new(enc).ok_or_else(|| error(AVERROR_ENOMEM, "encoder"))?;
        Ok(H264Encoder {
            enc,
            width,
            height,
            bit_depth,
        })
    }

    fn drain(&mut self, out: &mut Vec<Vec<u8>>) -> Result<()> {
        loop {
            let (mut data, mut len) = (ptr::null(), 0usize);
            // SAFETY: live encoder; out-pointers valid.
            let rc = unsafe {
                ffi::arsenal_avc_h264_enc_receive(self.enc.as_ptr(), &mut data, &mut len)
            };
            match rc {
                ffi::ARSENAL_AVC_FRAME => {
                    // SAFETY: the packet's `len` bytes stay valid until the next call.
                    out.push(unsafe { std::slice::from_raw_parts(data, len) }.to_vec());
                }
                ffi::ARSENAL_AVC_AGAIN | ffi::ARSENAL_AVC_EOF => return Ok(()),
                _ => return Err(error(rc, "avcodec_receive_packet")),
            }
        }
    }

    /// Encodes one picture given as packed planes Y, U, V (8-bit: one byte per sample;
    /// 10-bit: little-endian `u16` bytes), returning the access units now ready.
    pub fn encode(&mut self, planes: &[&[u8]; 3], pts: i64) -> Result<Vec<Vec<u8>>> {
        let bps = if self.bit_depth > 8 { 2 } else { 1 };
        let mut strides = [0 as c_int; 3];
        for (i, plane) in planes.iter().enumerate() {
            let (w, h) = if i == 0 {
                (self.width as usize, self.height as usize)
            } else {
                (self.width as usize / 2, self.height as usize / 2)
            };
            if plane.len() != w * h * bps {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    NAME,
                    format!("plane {i}: {} bytes, expected {}", plane.len(), w * h * bps),
                ));
            }
            strides[i] = (w * bps) as c_int;
        }
        let ptrs = planes.map(|p| p.as_ptr());
        // SAFETY: three planes of the checked sizes and strides; the shim copies them.
        let rc = unsafe {
            ffi::arsenal_avc_h264_enc_send(self.enc.as_ptr(), ptrs.as_ptr(), strides.as_ptr(), pts)
        };
        if rc < 0 {
            return Err(error(rc, "avcodec_send_frame"));
        }
        let mut out = Vec::new();
        self.drain(&mut out)?;
        Ok(out)
    }

    /// Ends the stream and returns the remaining access units.
    pub fn finish(&mut self) -> Result<Vec<Vec<u8>>> {
        // SAFETY: live encoder; null planes signal end of stream.
        let rc = unsafe {
            ffi::arsenal_avc_h264_enc_send(self.enc.as_ptr(), ptr::null(), ptr::null(), 0)
        };
        if rc < 0 && rc != -0x20_464F45 {
            return Err(error(rc, "avcodec_send_frame(NULL)"));
        }
        let mut out = Vec::new();
        self.drain(&mut out)?;
        Ok(out)
    }
}

impl Drop for H264Encoder {
    fn drop(&mut self) {
        // SAFETY: the encoder from arsenal_avc_h264_enc_open, closed once.
        unsafe { ffi::arsenal_avc_h264_enc_close(self.enc.as_ptr()) }
    }
}
