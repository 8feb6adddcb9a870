//! Audio codecs behind small traits: **FLAC** (libFLAC), **Opus** (libopus) and
//! **Vorbis** (libvorbis), each a C library from Debian found by the build, with
//! whole-stream encoding and decoding of interleaved PCM.
//!
//! | backend | feature | C library (route) | encode | decode | lossless |
//! |---|---|---|---|---|---|
//! | [`Backend::Flac`] | `flac` | libFLAC 1.4 (Debian `libflac-dev`, through `libflac-sys` with its bundled build off) | [`FlacEncoder`] (i16, i32 up to 24-bit) | [`FlacDecoder`] (i16, i32, f32) | yes: bit-exact |
//! | [`Backend::Opus`] | `opus` | libopus 1.3 (Debian `libopus-dev`, through `arsenal-opus-sys`); Ogg pages by the `ogg` crate | [`OggOpusEncoder`] (`.opus` files, RFC 7845), [`OpusEncoder`] (packets, or a compact framed stream) | [`OggOpusDecoder`] (`.opus` files), [`OpusDecoder`] (packets, FEC, concealment), [`OpusStreamDecoder`] | no |
//! | [`Backend::Vorbis`] | `vorbis` | libvorbis 1.3 + libogg (Debian `libvorbis-dev`, through `arsenal-vorbis-sys`) | [`VorbisEncoder`] (Ogg Vorbis, VBR quality) | [`VorbisDecoder`] (i16, f32) | no |
//!
//! The traits: [`Encoder`] (interleaved `i16` in, one encoded stream out) and
//! [`Decoder`] (one encoded stream in, [`Pcm`] out as `i16` or `f32`), both object-safe;
//! [`Backend::encoder`] and [`Backend::decoder`] build them by value at run time, and
//! [`DefaultEncoder`] / [`DefaultDecoder`] name the compile-time default. Codec-specific
//! settings (Opus bitrate, complexity, FEC, frame duration; FLAC level and block size;
//! Vorbis quality) are methods of the concrete types.
//!
//! Malformed, truncated or hostile input gives an [`Error`] ([`ErrorKind::Corrupt`],
//! [`ErrorKind::Truncated`], [`ErrorKind::OutputLimit`]), never a panic; C callbacks
//! never unwind. Library authors depend with `default-features = false` and enable the
//! codecs they need.
//!
//! ```
//! # #[cfg(feature = "flac")] {
//! use arsenal_audio::{Backend, Format};
//! let format = Format::new(48_000, 2);
//! let pcm: Vec<i16> = (0..4800 * 2).map(|i| ((i as f32 * 0.05).sin() * 8000.0) as i16).collect();
//! let flac = Backend::Flac.encoder(format)?.encode(&pcm)?;
//! let back = Backend::Flac.decoder()?.decode(&flac)?;
//! assert_eq!(back.format, format);
//! assert_eq!(back.samples, pcm); // FLAC is lossless
//! # }
//! # Ok::<(), arsenal_audio::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

#[cfg(not(feature = "any-backend"))]
compile_error!("arsenal-audio needs at least one backend feature: flac, opus, vorbis");

mod error;

/// The backends, one module per codec.
pub mod backend {
    #[cfg(feature = "flac")]
    pub mod flac;
    #[cfg(feature = "opus")]
    pub mod ogg_opus;
    #[cfg(feature = "opus")]
    pub mod opus;
    #[cfg(feature = "vorbis")]
    pub mod vorbis;
}

pub use arsenal_core::{Select, Strategy, UnknownBackend};
pub use error::{Error, ErrorKind, Result};

#[cfg(feature = "flac")]
pub use backend::flac::{FlacDecoder, FlacEncoder, FlacPcm};
#[cfg(feature = "opus")]
pub use backend::ogg_opus::{OggOpusDecoder, OggOpusEncoder};
#[cfg(feature = "opus")]
pub use backend::opus::{Application, FrameDuration, OpusDecoder, OpusEncoder, OpusStreamDecoder};
#[cfg(feature = "vorbis")]
pub use backend::vorbis::{VorbisDecoder, VorbisEncoder};

/// The default limit on decoded samples (all channels) of one stream: 2^31, e.g. about
/// 6 h of 48 kHz stereo, 4 GiB of `i16`. Each decoder's `with_max_samples` changes it.
pub const DEFAULT_MAX_SAMPLES: usize = 1 << 31;

/// Sample rate and channel count of interleaved PCM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Format {
    /// Samples per second per channel, in Hz.
    pub sample_rate: u32,
    /// Channels, interleaved (stereo: left, right, left, ...).
    pub channels: u16,
}

impl Format {
    /// A format of `sample_rate` Hz and `channels` channels.
    pub const fn new(sample_rate: u32, channels: u16) -> Format {
        Format {
            sample_rate,
            channels,
        }
    }
}

/// Decoded interleaved PCM and its format.
#[derive(Debug, Clone, PartialEq)]
pub struct Pcm<T> {
    /// The stream's sample rate and channel count.
    pub format: Format,
    /// Interleaved samples: `frames() * channels` of them.
    pub samples: Vec<T>,
}

impl<T> Pcm<T> {
    /// Samples per channel.
    pub fn frames(&self) -> usize {
        match self.format.channels {
            0 => 0,
            channels => self.samples.len() / usize::from(channels),
        }
    }
}

/// Encodes interleaved 16-bit PCM into one complete stream of the backend's format
/// (FLAC, Ogg Vorbis, or the Opus packet stream of [`backend::opus`]). Object-safe.
pub trait Encoder {
    /// The backend doing the work.
    fn backend(&self) -> Backend;
    /// The format the encoder was made for.
    fn format(&self) -> Format;
    /// Encodes `pcm` (interleaved, a whole number of frames) into one stream.
    fn encode(&mut self, pcm: &[i16]) -> Result<Vec<u8>>;
}

/// Decodes one complete encoded stream into interleaved PCM. Object-safe.
pub trait Decoder {
    /// The backend doing the work.
    fn backend(&self) -> Backend;
    /// Decodes `stream` into 16-bit samples (FLAC streams of other bit depths are
    /// shifted to 16 bits).
    fn decode(&mut self, stream: &[u8]) -> Result<Pcm<i16>>;
    /// Decodes `stream` into `f32` samples in the nominal range ±1.
    fn decode_f32(&mut self, stream: &[u8]) -> Result<Pcm<f32>>;
}

/// `i16` → `f32` in ±1 (divides by 32768).
pub fn i16_to_f32(sample: i16) -> f32 {
    f32::from(sample) / 32768.0
}

/// `f32` in ±1 → `i16`, rounded and saturated.
pub fn f32_to_i16(sample: f32) -> i16 {
    // `as` saturates (and maps NaN to 0).
    (sample * 32768.0).round() as i16
}

arsenal_core::backends! {
    /// The audio codecs this crate knows (each a C library). [`Backend::encoder`] and
    /// [`Backend::decoder`] build a working instance; see [`Select`] for the choice by
    /// [`Strategy`].
    domain = "audio";
    pub enum Backend {
        /// libFLAC (C): lossless, bit-exact.
        Flac = "flac",
        /// libopus (C): lossy, low delay.
        Opus = "opus",
        /// libvorbis (C): lossy, Ogg Vorbis.
        Vorbis = "vorbis",
    }
}

/// The order of [`Backend::available`] and of the `Default…` aliases: FLAC (lossless,
/// the safe default), then Opus, then Vorbis.
const PRIORITY: [Backend; 3] = [Backend::Flac, Backend::Opus, Backend::Vorbis];

impl Backend {
    /// Whether the backend's cargo feature is on.
    pub const fn compiled_in(self) -> bool {
        match self {
            Backend::Flac => cfg!(feature = "flac"),
            Backend::Opus => cfg!(feature = "opus"),
            Backend::Vorbis => cfg!(feature = "vorbis"),
        }
    }

    /// The cargo feature that compiles the backend in.
    pub const fn feature(self) -> &'static str {
        self.name()
    }

    /// An encoder of this codec for `format`, with the codec's default settings (FLAC
    /// level 5, 16-bit; Opus `Audio` application, 20 ms frames, the library's default
    /// bitrate; Vorbis quality 0.5). `ErrorKind::Unsupported` when the backend is not
    /// compiled in; `ErrorKind::InvalidArgument` when the codec rejects the format.
    ///
    /// ```
    /// use arsenal_audio::{Backend, Format, Select};
    /// for backend in Backend::available() {
    ///     let mut encoder = backend.encoder(Format::new(48_000, 1))?;
    ///     let stream = encoder.encode(&[0i16; 960])?;
    ///     let pcm = backend.decoder()?.decode(&stream)?;
    ///     assert_eq!(pcm.frames(), 960);
    /// }
    /// # Ok::<(), arsenal_audio::Error>(())
    /// ```
    pub fn encoder(self, format: Format) -> Result<Box<dyn Encoder + Send>> {
        match self {
            #[cfg(feature = "flac")]
            Backend::Flac => Ok(Box::new(FlacEncoder::new(format)?)),
            #[cfg(feature = "opus")]
            Backend::Opus => Ok(Box::new(OggOpusEncoder::new(format, Application::Audio)?)),
            #[cfg(feature = "vorbis")]
            Backend::Vorbis => Ok(Box::new(VorbisEncoder::new(format)?)),
            #[allow(unreachable_patterns)]
            other => Err(not_compiled(other)),
        }
    }

    /// A whole-stream decoder of this codec with the default limit
    /// ([`DEFAULT_MAX_SAMPLES`]). `ErrorKind::Unsupported` when the backend is not
    /// compiled in.
    pub fn decoder(self) -> Result<Box<dyn Decoder + Send>> {
        match self {
            #[cfg(feature = "flac")]
            Backend::Flac => Ok(Box::new(FlacDecoder::new())),
            #[cfg(feature = "opus")]
            Backend::Opus => Ok(Box::new(OggOpusDecoder::new())),
            #[cfg(feature = "vorbis")]
            Backend::Vorbis => Ok(Box::new(VorbisDecoder::new())),
            #[allow(unreachable_patterns)]
            other => Err(not_compiled(other)),
        }
    }

    /// As [`decoder`](Self::decoder), with a limit on decoded samples (all channels):
    /// a stream that declares or decodes to more gives [`ErrorKind::OutputLimit`].
    pub fn decoder_with_max_samples(self, max_samples: usize) -> Result<Box<dyn Decoder + Send>> {
        match self {
            #[cfg(feature = "flac")]
            Backend::Flac => Ok(Box::new(FlacDecoder::new().with_max_samples(max_samples))),
            #[cfg(feature = "opus")]
            Backend::Opus => Ok(Box::new(
                OggOpusDecoder::new().with_max_samples(max_samples),
            )),
            #[cfg(feature = "vorbis")]
            Backend::Vorbis => Ok(Box::new(VorbisDecoder::new().with_max_samples(max_samples))),
            #[allow(unreachable_patterns)]
            other => Err(not_compiled(other)),
        }
    }

    /// Whether the codec is lossless (decoding gives back the encoder's input exactly).
    pub const fn is_lossless(self) -> bool {
        matches!(self, Backend::Flac)
    }

    /// The C library's version string as it reports it at run time (e.g.
    /// `libopus 1.3.1`), or `None` when the backend is not compiled in.
    pub fn library_version(self) -> Option<String> {
        match self {
            #[cfg(feature = "flac")]
            Backend::Flac => Some(backend::flac::version()),
            #[cfg(feature = "opus")]
            Backend::Opus => Some(backend::opus::version()),
            #[cfg(feature = "vorbis")]
            Backend::Vorbis => Some(backend::vorbis::version()),
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

#[allow(dead_code)]
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

/// The compile-time default decoder: the first compiled-in of FLAC, Opus (the packet
/// stream of [`backend::opus`]), Vorbis: the order of [`Backend::available`].
#[cfg(feature = "flac")]
pub type DefaultDecoder = FlacDecoder;
/// The compile-time default decoder: the first compiled-in of FLAC, Opus, Vorbis.
#[cfg(all(not(feature = "flac"), feature = "opus"))]
pub type DefaultDecoder = OpusStreamDecoder;
/// The compile-time default decoder: the first compiled-in of FLAC, Opus, Vorbis.
#[cfg(all(not(feature = "flac"), not(feature = "opus"), feature = "vorbis"))]
pub type DefaultDecoder = VorbisDecoder;

/// The compile-time default encoder, in the order of [`DefaultDecoder`].
#[cfg(feature = "flac")]
pub type DefaultEncoder = FlacEncoder;
/// The compile-time default encoder, in the order of [`DefaultDecoder`].
#[cfg(all(not(feature = "flac"), feature = "opus"))]
pub type DefaultEncoder = OpusEncoder;
/// The compile-time default encoder, in the order of [`DefaultDecoder`].
#[cfg(all(not(feature = "flac"), not(feature = "opus"), feature = "vorbis"))]
pub type DefaultEncoder = VorbisEncoder;

/// The choice of codec per [`Strategy`]. Row ids are the matrix benchmark's
/// (`benches/src/media.rs`); the numbers are in `docs/audio.md`. A codec whose feature
/// is off falls back along the listed order. A strategy picks a codec, so a lossy one may
/// be chosen: check [`Backend::is_lossless`] where exactness matters.
///
/// | strategy | backend (first available of) | evidence |
/// |---|---|---|
/// | `Throughput` | FLAC, Vorbis, Opus | `media/decode/music-10s`: 10 s of 48 kHz stereo music, each codec decoding its own stream through [`Decoder`]: FLAC 51.8 M samples/s per channel (1079× real time), Vorbis 31.3 M, Opus 24.7 M |
/// | `Latency` | FLAC, Opus, Vorbis | `media/decode/music-20ms`: one 20 ms stream: FLAC 58.4 M samples/s (16 µs), Opus 9.9 M (97 µs), Vorbis 2.5 M (390 µs: its three header packets, codebooks included, are set up for every stream). Opus's *algorithmic* delay (2.5–60 ms frames) is lower than FLAC's 4096-sample blocks; this row measures compute time |
/// | `Balanced` | [`DefaultDecoder`]: FLAC | the documented priority (lossless first) |
/// | `MinimalMemory` | Opus, FLAC, Vorbis | `media/memory/decoder-state`: heap held by one decoder in the middle of a 48 kHz stereo stream (glibc `mallinfo2`, 32 alive): Opus 26.4 KiB, FLAC 131.1 KiB, Vorbis 160.5 KiB |
/// | `MaximalSpeed` | as `Throughput` | `media/decode/music-10s` (this crate makes no SIMD choice at run time; the libraries dispatch themselves) |
///
/// Numbers: `arsenal-bench --quick` native build on an Intel Xeon (AVX-512, 2 cores),
/// Debian's libFLAC 1.4.2, libopus 1.3.1, libvorbis 1.3.7 (`docs/audio.md`).
///
/// ```
/// use arsenal_audio::{Backend, Select, Strategy};
/// # #[cfg(all(feature = "flac", feature = "opus"))] {
/// assert_eq!(Backend::for_strategy(Strategy::Throughput), Backend::Flac);
/// assert_eq!(Backend::for_strategy(Strategy::Latency), Backend::Flac);
/// assert_eq!(Backend::for_strategy(Strategy::MinimalMemory), Backend::Opus);
/// # }
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
            Strategy::Throughput | Strategy::MaximalSpeed => {
                arsenal_core::prefer(&[Flac, Vorbis, Opus])
            }
            Strategy::Latency => arsenal_core::prefer(&[Flac, Opus, Vorbis]),
            Strategy::Balanced => arsenal_core::prefer(&[]),
            Strategy::MinimalMemory => arsenal_core::prefer(&[Opus, Flac, Vorbis]),
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None,
            Strategy::Throughput | Strategy::MaximalSpeed => Some("media/decode/music-10s"),
            Strategy::Latency => Some("media/decode/music-20ms"),
            Strategy::MinimalMemory => Some("media/memory/decoder-state"),
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
        }
        let default = DefaultDecoder::default();
        assert_eq!(available[0], Decoder::backend(&default));
        assert_eq!(Backend::for_strategy(Strategy::Balanced), available[0]);
    }

    /// Every available backend, built from its `Backend` value, round-trips a tone.
    #[test]
    fn every_available_backend_does_real_work() {
        let format = Format::new(48_000, 2);
        let frames = 48_000 / 2;
        let pcm: Vec<i16> = (0..frames * 2)
            .map(|i| {
                let t = (i / 2) as f32 / 48_000.0;
                ((2.0 * std::f32::consts::PI * 440.0 * t).sin() * 10_000.0) as i16
            })
            .collect();
        for backend in Backend::available() {
            let mut encoder = backend.encoder(format).unwrap();
            assert_eq!(encoder.backend(), backend);
            let stream = encoder.encode(&pcm).unwrap();
            assert!(
                !stream.is_empty() && stream.len() < pcm.len() * 2,
                "{backend}"
            );
            let mut decoder = backend.decoder().unwrap();
            let out = decoder.decode(&stream).unwrap();
            assert_eq!(out.format, format, "{backend}");
            assert_eq!(out.frames(), frames, "{backend}");
            if backend.is_lossless() {
                assert_eq!(out.samples, pcm);
            } else {
                // Energy of the error well below the signal's (a loose bound here; the
                // conformance suite states the per-codec SNR bounds).
                let err: f64 = pcm
                    .iter()
                    .zip(&out.samples)
                    .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
                    .sum();
                let sig: f64 = pcm.iter().map(|&a| f64::from(a).powi(2)).sum();
                assert!(err < sig / 10.0, "{backend}: error energy {err} vs {sig}");
            }
            let f = decoder.decode_f32(&stream).unwrap();
            assert_eq!(f.samples.len(), out.samples.len());
            assert!(backend.library_version().is_some());
        }
    }

    #[test]
    fn conversions_saturate() {
        assert_eq!(f32_to_i16(2.0), i16::MAX);
        assert_eq!(f32_to_i16(-2.0), i16::MIN);
        assert_eq!(f32_to_i16(f32::NAN), 0);
        assert_eq!(i16_to_f32(i16::MIN), -1.0);
    }
}
