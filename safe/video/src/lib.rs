//! Video decoding behind one small trait: **AV1** (dav1d, libaom), **VP9** (libvpx,
//! libavcodec) and **H.264** (libavcodec), each a C library, with zero-copy picture
//! views where the library reference-counts its pictures, and native Rust parsing of
//! the containers decoders are fed from (IVF, AV1 low-overhead OBU streams, H.264
//! Annex-B).
//!
//! | backend | feature | C library (route) | codecs | frames |
//! |---|---|---|---|---|
//! | [`Backend::Dav1d`] | `dav1d` | dav1d 1.4.3 (bundled by crates.io `libdav1d-sys`, built with meson + ninja + nasm) | AV1 | zero-copy (refcounted `Dav1dPicture`) |
//! | [`Backend::Aom`] | `aom` | libaom 3.6 (Debian `libaom-dev`, through `arsenal-aom-sys`) | AV1 | copied |
//! | [`Backend::Vpx`] | `vpx` | libvpx 1.12 (Debian `libvpx-dev`, through `arsenal-vpx-sys`) | VP9 | copied |
//! | [`Backend::Avcodec`] | `avcodec` | libavcodec 5.1 (FFmpeg; Debian `libavcodec-dev`, through `arsenal-avcodec-sys`) | H.264, VP9 | zero-copy (refcounted `AVFrame`) |
//!
//! The trait: [`Decoder`] (object-safe): [`send`](Decoder::send) one compressed unit (an
//! AV1 temporal unit, a VP9 frame, an H.264 access unit) with an optional timestamp,
//! [`receive`](Decoder::receive) decoded [`Frame`]s, [`flush`](Decoder::flush) at the end
//! of the stream to drain what the decoder holds back, or
//! [`decode_stream`](Decoder::decode_stream) a whole IVF / OBU / Annex-B stream.
//! A [`Frame`] gives a borrowed [`Picture`] (planes with strides, size, chroma
//! subsampling, bit depth 8 or 10 with `u16` samples above 8, colour description,
//! timestamp) and an owned copy, [`OwnedPicture`]. [`Settings`] sets threads, frame delay,
//! film grain and a picture-size limit explicitly; out-of-range values give an `Err`.
//!
//! [`Backend::decoder`] builds a decoder by value at run time, [`Backend::codecs`] says
//! what each decodes and [`Backend::for_codec`] picks one per [`Strategy`]. Malformed,
//! truncated or hostile input gives an [`Error`], never a panic. Library authors depend
//! with `default-features = false` and enable the backends they need.
//!
//! ```
//! use arsenal_video::{Backend, Codec, Decoder, Settings};
//! # #[cfg(feature = "dav1d")] {
//! let mut decoder = Backend::Dav1d.decoder_with(Codec::Av1, &Settings::new().with_threads(2))?;
//! // A stream of one temporal delimiter decodes to no picture; garbage is an error.
//! assert!(decoder.decode_stream(&[0x12, 0x00])?.is_empty());
//! assert!(decoder.decode_stream(&[0xFF; 16]).is_err());
//! # }
//! // Pick by codec: the first compiled-in backend that decodes it.
//! # #[cfg(feature = "avcodec")] {
//! use arsenal_video::Strategy;
//! assert_eq!(Backend::for_codec(Codec::H264, Strategy::Balanced)?, Backend::Avcodec);
//! # }
//! # Ok::<(), arsenal_video::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

#[cfg(not(feature = "any-backend"))]
compile_error!("arsenal-video needs at least one backend feature: dav1d, aom, vpx, avcodec");

pub mod container;
mod error;
mod picture;

/// The backends, one module per C library.
pub mod backend {
    #[cfg(feature = "aom")]
    pub mod aom;
    #[cfg(feature = "avcodec")]
    pub mod avcodec;
    #[cfg(feature = "dav1d")]
    pub mod dav1d;
    #[cfg(feature = "vpx")]
    pub mod vpx;
    #[cfg(any(feature = "aom", feature = "vpx"))]
    mod vpx_family;
}

use std::fmt;

pub use arsenal_core::{Select, Strategy, UnknownBackend};
pub use error::{Error, ErrorKind, Result};
pub use picture::{ChromaSampling, ColorInfo, Frame, OwnedPicture, Picture, Plane, Samples};

#[cfg(feature = "aom")]
pub use backend::aom::AomDecoder;
#[cfg(feature = "avcodec")]
pub use backend::avcodec::AvcodecDecoder;
#[cfg(feature = "dav1d")]
pub use backend::dav1d::Dav1dDecoder;
#[cfg(feature = "vpx")]
pub use backend::vpx::VpxDecoder;

/// A compressed video format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Codec {
    /// AV1 (AOMedia Video 1).
    Av1,
    /// VP9.
    Vp9,
    /// H.264 / AVC.
    H264,
}

impl Codec {
    /// Every codec.
    pub const ALL: [Codec; 3] = [Codec::Av1, Codec::Vp9, Codec::H264];

    /// Its name: `av1`, `vp9`, `h264`.
    pub const fn name(self) -> &'static str {
        match self {
            Codec::Av1 => "av1",
            Codec::Vp9 => "vp9",
            Codec::H264 => "h264",
        }
    }
}

impl fmt::Display for Codec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The most threads a decoder takes ([`Settings::with_threads`]): dav1d's limit.
pub const MAX_THREADS: u32 = 256;
/// The largest frame delay ([`Settings::with_max_frame_delay`]): dav1d's limit.
pub const MAX_FRAME_DELAY: u32 = 256;
/// The default picture-size limit, in pixels: 8192 × 8192 (beyond AV1 level 6.3's
/// 35.6 M pixels and H.264 level 6.2's 8.9 M).
pub const DEFAULT_MAX_PIXELS: u64 = 8192 * 8192;

/// Decoder settings, each set explicitly (no library default is left implicit).
/// Checked when a decoder is made: out-of-range values give
/// [`ErrorKind::InvalidArgument`].
///
/// ```
/// use arsenal_video::{Settings, MAX_THREADS};
/// let s = Settings::new().with_threads(4).with_max_frame_delay(1).with_film_grain(true);
/// assert_eq!((s.threads, s.max_frame_delay, s.apply_grain), (4, 1, true));
/// assert!(s.validate("demo").is_ok());
/// assert!(Settings::new().with_threads(0).validate("demo").is_err());
/// assert!(Settings::new().with_threads(u32::MAX).validate("demo").is_err());
/// assert!(Settings::new().with_max_pixels(u64::MAX).validate("demo").is_err());
/// # let _ = MAX_THREADS;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Worker threads, 1..=[`MAX_THREADS`] (default 1). dav1d `n_threads`, libaom and
    /// libvpx `cfg.threads`, libavcodec `thread_count`.
    pub threads: u32,
    /// Frames in flight at most, 0..=[`MAX_FRAME_DELAY`]; 0 lets the library choose
    /// (dav1d: from the thread count), 1 is lowest latency (default 0). dav1d
    /// `max_frame_delay`; libavcodec: 1 keeps to slice threads, else frame threads are
    /// allowed too; libaom and libvpx have no frame delay.
    pub max_frame_delay: u32,
    /// Apply AV1 film grain synthesis to output pictures (default off: the decoded
    /// pictures are the reconstruction, identical across AV1 decoders). dav1d only;
    /// libaom always applies it.
    pub apply_grain: bool,
    /// The largest picture accepted, in pixels, 1..=`u32::MAX` (default
    /// [`DEFAULT_MAX_PIXELS`]): dav1d `frame_size_limit`, libavcodec `max_pixels`, and a
    /// check of every picture; a larger one gives [`ErrorKind::OutputLimit`].
    pub max_pixels: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings::new()
    }
}

impl Settings {
    /// One thread, library-chosen frame delay, no film grain, [`DEFAULT_MAX_PIXELS`].
    pub const fn new() -> Settings {
        Settings {
            threads: 1,
            max_frame_delay: 0,
            apply_grain: false,
            max_pixels: DEFAULT_MAX_PIXELS,
        }
    }

    /// Sets [`Settings::threads`].
    #[must_use]
    pub const fn with_threads(mut self, threads: u32) -> Settings {
        self.threads = threads;
        self
    }

    /// Sets [`Settings::threads`] to the machine's logical cores (capped at
    /// [`MAX_THREADS`]).
    #[must_use]
    pub fn with_all_cores(self) -> Settings {
        let n = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.with_threads(u32::try_from(n).unwrap_or(MAX_THREADS).min(MAX_THREADS))
    }

    /// Sets [`Settings::max_frame_delay`].
    #[must_use]
    pub const fn with_max_frame_delay(mut self, frames: u32) -> Settings {
        self.max_frame_delay = frames;
        self
    }

    /// Sets [`Settings::apply_grain`].
    #[must_use]
    pub const fn with_film_grain(mut self, apply: bool) -> Settings {
        self.apply_grain = apply;
        self
    }

    /// Sets [`Settings::max_pixels`].
    #[must_use]
    pub const fn with_max_pixels(mut self, pixels: u64) -> Settings {
        self.max_pixels = pixels;
        self
    }

    /// Checks every range; `backend` names who asks in the error.
    pub fn validate(&self, backend: &'static str) -> Result<()> {
        let bad = |message: String| Err(Error::new(ErrorKind::InvalidArgument, backend, message));
        if !(1..=MAX_THREADS).contains(&self.threads) {
            return bad(format!(
                "threads {} is not within 1..={MAX_THREADS}",
                self.threads
            ));
        }
        if self.max_frame_delay > MAX_FRAME_DELAY {
            return bad(format!(
                "max_frame_delay {} is not within 0..={MAX_FRAME_DELAY}",
                self.max_frame_delay
            ));
        }
        if !(1..=u64::from(u32::MAX)).contains(&self.max_pixels) {
            return bad(format!(
                "max_pixels {} is not within 1..=u32::MAX",
                self.max_pixels
            ));
        }
        Ok(())
    }
}

/// Decodes compressed video, one unit at a time. Object-safe (`Box<dyn Decoder + Send>`
/// from [`Backend::decoder`]).
///
/// The loop: [`send`](Decoder::send) each unit, take what [`receive`](Decoder::receive)
/// gives until `None`, and at the end [`flush`](Decoder::flush), which returns every
/// picture still held back (reordering, frame threads) and leaves the decoder ready for
/// a new stream. After an `Err` from `send` the decoder stays usable: later units may
/// decode (or fail) on their own.
pub trait Decoder {
    /// The backend doing the work.
    fn backend(&self) -> Backend;

    /// The codec it decodes.
    fn codec(&self) -> Codec;

    /// Feeds one unit: an AV1 temporal unit, a VP9 frame (or superframe), an H.264
    /// access unit (Annex-B, with start codes), and its timestamp, which the pictures
    /// decoded from it carry. Empty input is [`ErrorKind::InvalidArgument`].
    fn send(&mut self, data: &[u8], timestamp: Option<i64>) -> Result<()>;

    /// The next decoded picture, or `None` until more input is sent.
    fn receive(&mut self) -> Result<Option<Frame>>;

    /// Ends the stream: drains every picture the decoder still holds, in output order,
    /// and resets it for a new stream.
    fn flush(&mut self) -> Result<Vec<Frame>>;

    /// Decodes a whole stream: an IVF file (detected by its signature; the FourCC must
    /// be this decoder's codec), else an AV1 low-overhead OBU stream or an H.264 Annex-B
    /// stream ([`container::split`]); returns every picture, flushed. Stops at the first
    /// error (the decoder is flushed and usable again).
    fn decode_stream(&mut self, stream: &[u8]) -> Result<Vec<Frame>> {
        let units = container::split(self.codec(), stream)?;
        let mut frames = Vec::new();
        for (unit, timestamp) in units {
            if unit.is_empty() {
                continue;
            }
            let sent = self.send(unit, timestamp).and_then(|()| {
                while let Some(frame) = self.receive()? {
                    frames.push(frame);
                }
                Ok(())
            });
            if let Err(e) = sent {
                let _ = self.flush();
                return Err(e);
            }
        }
        frames.extend(self.flush()?);
        Ok(frames)
    }
}

#[allow(dead_code)]
pub(crate) fn check_input(backend: &'static str, data: &[u8]) -> Result<()> {
    if data.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            backend,
            "empty input (use flush() to end the stream)",
        ));
    }
    Ok(())
}

#[allow(dead_code)]
#[cold]
pub(crate) fn wrong_codec(backend: Backend, codec: Codec) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        backend.name(),
        format!(
            "the {backend} backend does not decode {codec} (it decodes: {})",
            backend
                .codecs()
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    )
}

arsenal_core::backends! {
    /// The video decoders this crate knows (each a C library). [`Backend::decoder`]
    /// builds a working instance; [`Backend::codecs`] says what each decodes; see
    /// [`Select`] for the choice by [`Strategy`] (answered for AV1) and
    /// [`Backend::for_codec`] for any codec.
    domain = "video";
    pub enum Backend {
        /// dav1d (C + assembly): AV1.
        Dav1d = "dav1d",
        /// libaom (C): AV1, the reference codec library.
        Aom = "aom",
        /// libvpx (C): VP9.
        Vpx = "vpx",
        /// libavcodec (FFmpeg, C): H.264 and VP9.
        Avcodec = "avcodec",
    }
}

/// The order of [`Backend::available`] and of [`DefaultDecoder`]: dav1d (the fastest
/// AV1 decoder), libaom, libavcodec, libvpx.
const PRIORITY: [Backend; 4] = [Backend::Dav1d, Backend::Aom, Backend::Avcodec, Backend::Vpx];

impl Backend {
    /// Whether the backend's cargo feature is on.
    pub const fn compiled_in(self) -> bool {
        match self {
            Backend::Dav1d => cfg!(feature = "dav1d"),
            Backend::Aom => cfg!(feature = "aom"),
            Backend::Vpx => cfg!(feature = "vpx"),
            Backend::Avcodec => cfg!(feature = "avcodec"),
        }
    }

    /// The cargo feature that compiles the backend in.
    pub const fn feature(self) -> &'static str {
        self.name()
    }

    /// The codecs the backend decodes.
    pub const fn codecs(self) -> &'static [Codec] {
        match self {
            Backend::Dav1d | Backend::Aom => &[Codec::Av1],
            Backend::Vpx => &[Codec::Vp9],
            Backend::Avcodec => &[Codec::H264, Codec::Vp9],
        }
    }

    /// Whether the backend decodes `codec`.
    pub fn decodes(self, codec: Codec) -> bool {
        self.codecs().contains(&codec)
    }

    /// The backend for `codec` and `strategy`: for AV1, [`Select::for_strategy`]'s
    /// answer when it decodes AV1; otherwise the first available backend in
    /// [`Backend::available`]'s order that decodes `codec`. `ErrorKind::Unsupported`
    /// when none is compiled in.
    pub fn for_codec(codec: Codec, strategy: Strategy) -> Result<Backend> {
        let preferred = Backend::for_strategy(strategy);
        if preferred.decodes(codec) {
            return Ok(preferred);
        }
        Backend::available()
            .into_iter()
            .find(|b| b.decodes(codec))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Unsupported,
                    "video",
                    format!("no compiled-in backend decodes {codec} (features: dav1d, aom for av1; vpx, avcodec for vp9; avcodec for h264)"),
                )
            })
    }

    /// A decoder of `codec` with default [`Settings`].
    pub fn decoder(self, codec: Codec) -> Result<Box<dyn Decoder + Send>> {
        self.decoder_with(codec, &Settings::new())
    }

    /// A decoder of `codec` with `settings`. `ErrorKind::Unsupported` when the backend
    /// is not compiled in or does not decode `codec`; `ErrorKind::InvalidArgument` for
    /// out-of-range settings.
    ///
    /// ```
    /// use arsenal_video::{Backend, Codec, Select, Settings};
    /// for backend in Backend::available() {
    ///     for &codec in backend.codecs() {
    ///         let decoder = backend.decoder_with(codec, &Settings::new().with_threads(2))?;
    ///         assert_eq!((decoder.backend(), decoder.codec()), (backend, codec));
    ///     }
    ///     assert!(backend.decoder_with(backend.codecs()[0], &Settings::new().with_threads(0)).is_err());
    /// }
    /// # Ok::<(), arsenal_video::Error>(())
    /// ```
    pub fn decoder_with(
        self,
        codec: Codec,
        settings: &Settings,
    ) -> Result<Box<dyn Decoder + Send>> {
        if !self.compiled_in() {
            return Err(not_compiled(self));
        }
        if !self.decodes(codec) {
            return Err(wrong_codec(self, codec));
        }
        match self {
            #[cfg(feature = "dav1d")]
            Backend::Dav1d => Ok(Box::new(Dav1dDecoder::new(settings)?)),
            #[cfg(feature = "aom")]
            Backend::Aom => Ok(Box::new(AomDecoder::new(settings)?)),
            #[cfg(feature = "vpx")]
            Backend::Vpx => Ok(Box::new(VpxDecoder::new(settings)?)),
            #[cfg(feature = "avcodec")]
            Backend::Avcodec => Ok(Box::new(AvcodecDecoder::new(codec, settings)?)),
            #[allow(unreachable_patterns)]
            other => Err(not_compiled(other)),
        }
    }

    /// The C library's version as it reports it at run time (`1.4.3`, `3.6.0`,
    /// `v1.12.0`, `libavcodec 59.37.100`), or `None` when not compiled in.
    pub fn library_version(self) -> Option<String> {
        match self {
            #[cfg(feature = "dav1d")]
            Backend::Dav1d => Some(backend::dav1d::version()),
            #[cfg(feature = "aom")]
            Backend::Aom => Some(backend::aom::version()),
            #[cfg(feature = "vpx")]
            Backend::Vpx => Some(backend::vpx::version()),
            #[cfg(feature = "avcodec")]
            Backend::Avcodec => Some(backend::avcodec::version()),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

#[cold]
fn not_compiled(backend: Backend) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        backend.name(),
        format!(
            "the {} backend is not compiled in (cargo feature `{}`)",
            backend.name(),
            backend.feature()
        ),
    )
}

/// The compile-time default decoder type: the first compiled-in of dav1d, libaom,
/// libavcodec, libvpx (the order of [`Backend::available`]).
#[cfg(feature = "dav1d")]
pub type DefaultDecoder = Dav1dDecoder;
/// The compile-time default decoder type: the first compiled-in of dav1d, libaom,
/// libavcodec, libvpx.
#[cfg(all(not(feature = "dav1d"), feature = "aom"))]
pub type DefaultDecoder = AomDecoder;
/// The compile-time default decoder type: the first compiled-in of dav1d, libaom,
/// libavcodec, libvpx.
#[cfg(all(not(feature = "dav1d"), not(feature = "aom"), feature = "avcodec"))]
pub type DefaultDecoder = AvcodecDecoder;
/// The compile-time default decoder type: the first compiled-in of dav1d, libaom,
/// libavcodec, libvpx.
#[cfg(all(
    not(feature = "dav1d"),
    not(feature = "aom"),
    not(feature = "avcodec"),
    feature = "vpx"
))]
pub type DefaultDecoder = VpxDecoder;

/// The choice of backend per [`Strategy`], answered for AV1, the codec two backends
/// share (use [`Backend::for_codec`] for VP9 and H.264). Row ids are the matrix
/// benchmark's (`benches/src/video.rs`); the numbers are in `docs/video.md`. A backend
/// whose feature is off falls back along the listed order.
///
/// | strategy | backend (first available of) | evidence |
/// |---|---|---|
/// | `Throughput` | dav1d, libaom, libavcodec, libvpx | `video/av1-decode/640x360-8bit`: 30 frames of 640×360 AV1, one thread, decoder set-up included: dav1d 1.24 k frames/s, libaom 572 (through [`Decoder`]) |
/// | `Latency` | dav1d, libaom, libavcodec, libvpx | `video/av1-decode/640x360-10bit`: the same at 10 bits: dav1d 0.81 ms a frame (1.24 k/s), libaom 1.6 ms (625/s) |
/// | `Balanced` | [`DefaultDecoder`]: dav1d | the documented priority |
/// | `MinimalMemory` | dav1d, libavcodec, libvpx, libaom | `video/memory/av1-decoder-state`: heap held by one single-thread decoder after two temporal units of the 640×360 clip (glibc `mallinfo2`, 8 alive): dav1d 2.83 MiB, libaom 7.62 MiB (VP9: libavcodec 0.93 MiB, libvpx 1.46 MiB) |
/// | `MaximalSpeed` | as `Throughput` | `video/av1-decode/640x360-8bit` (the libraries dispatch their SIMD themselves) |
///
/// Numbers: `arsenal-bench --quick`, release build without `--native`, on a 2-core Intel
/// Xeon (AVX-512) shared with other jobs; dav1d 1.4.3, libaom 3.6.0, libvpx 1.12.0,
/// libavcodec 59.37 (`docs/video.md`).
///
/// ```
/// use arsenal_video::{Backend, Select, Strategy};
/// # #[cfg(feature = "dav1d")]
/// assert_eq!(Backend::for_strategy(Strategy::Throughput), Backend::Dav1d);
/// let backend = Backend::for_strategy(Strategy::from_env());
/// assert!(backend.is_available());
/// ```
impl Select for Backend {
    fn available() -> Vec<Backend> {
        PRIORITY.into_iter().filter(|b| b.compiled_in()).collect()
    }

    fn for_strategy(strategy: Strategy) -> Backend {
        use Backend::*;
        match strategy {
            Strategy::Balanced => arsenal_core::prefer(&[]),
            Strategy::Throughput | Strategy::Latency | Strategy::MaximalSpeed => {
                arsenal_core::prefer(&[Dav1d, Aom, Avcodec, Vpx])
            }
            Strategy::MinimalMemory => arsenal_core::prefer(&[Dav1d, Avcodec, Vpx, Aom]),
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None,
            Strategy::Latency => Some("video/av1-decode/640x360-10bit"),
            Strategy::MinimalMemory => Some("video/memory/av1-decoder-state"),
            Strategy::Throughput | Strategy::MaximalSpeed => Some("video/av1-decode/640x360-8bit"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The selection shape every domain crate shares (`arsenal_core::select::check_shape`).
    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn available_follows_the_priority_and_features() {
        let available = Backend::available();
        assert!(!available.is_empty());
        for backend in Backend::ALL {
            assert_eq!(backend.is_available(), backend.compiled_in());
            if !backend.compiled_in() {
                assert_eq!(
                    backend.decoder(backend.codecs()[0]).err().map(|e| e.kind()),
                    Some(ErrorKind::Unsupported)
                );
            }
        }
        assert_eq!(Backend::for_strategy(Strategy::Balanced), available[0]);
        for codec in Codec::ALL {
            match Backend::for_codec(codec, Strategy::Throughput) {
                Ok(b) => assert!(b.decodes(codec) && b.is_available()),
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::Unsupported);
                    assert!(available.iter().all(|b| !b.decodes(codec)));
                }
            }
        }
    }

    /// Every available backend, built from its `Backend` value, takes input and
    /// reports errors for garbage and for codecs it does not decode.
    #[test]
    fn every_available_backend_is_built_and_checks_input() {
        for backend in Backend::available() {
            for codec in Codec::ALL {
                let made = backend.decoder(codec);
                if !backend.decodes(codec) {
                    assert_eq!(
                        made.err().unwrap().kind(),
                        ErrorKind::Unsupported,
                        "{backend} {codec}"
                    );
                    continue;
                }
                let mut decoder = made.unwrap();
                assert_eq!(
                    decoder.send(&[], None).unwrap_err().kind(),
                    ErrorKind::InvalidArgument
                );
                assert!(decoder.flush().unwrap().is_empty(), "{backend} {codec}");
            }
            for settings in [
                Settings::new().with_threads(0),
                Settings::new().with_threads(u32::MAX),
                Settings::new().with_max_frame_delay(u32::MAX),
                Settings::new().with_max_pixels(0),
                Settings::new().with_max_pixels(u64::MAX),
            ] {
                let err = backend
                    .decoder_with(backend.codecs()[0], &settings)
                    .err()
                    .unwrap();
                assert_eq!(
                    err.kind(),
                    ErrorKind::InvalidArgument,
                    "{backend} {settings:?}"
                );
            }
        }
    }
}
