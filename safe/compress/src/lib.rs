//! Compression behind small capability traits: zstd, lz4, snappy, brotli, libdeflate and
//! ISA-L, each a concrete type selected by a cargo feature, one [`Error`] type for all of
//! them, and native Rust integer codecs ([`int`]: LEB128 and Stream VByte).
//!
//! | backend | feature | types | format | levels (default) | streaming | dictionary | C library, how it builds |
//! |---|---|---|---|---|---|---|---|
//! | zstd | `zstd` | [`backend::zstd::Zstd`] | zstd frames with content size and checksum (what `zstd` reads/writes) | `ZSTD_minCLevel()`..=22 (3) | yes | yes, + `Zstd::train_dictionary` | zstd 1.5.7, crates.io `zstd-sys` (bundled source, `cc`) |
//! | lz4 | `lz4` | [`backend::lz4::Lz4`] | LZ4 frames with content size and checksum (what `lz4` reads/writes) | -65536..=12 (0; ≥ 3 = HC) | yes | no | lz4 1.10.0, crates.io `lz4-sys` |
//! | lz4 | `lz4` | [`backend::lz4::Lz4Block`] | an LZ4 block after a 4-byte little-endian size (lz4_flex's `compress_prepend_size`) | -65536..=12 (1; ≥ 2 = HC) | no | yes | same |
//! | snappy | `snappy` | [`backend::snappy::Snappy`] | raw Snappy (length varint + data) | 0 only | no | no | snappy 1.1.9, Debian `libsnappy-dev` through its C API (`arsenal-snappy-sys`) |
//! | snappy | `snappy` | [`backend::snappy::SnappyFramed`] | the Snappy framing format (CRC-32C per chunk; `snap::read/write`), framing in Rust | 0 only | yes | no | same |
//! | brotli | `brotli` | [`backend::brotli::Brotli`] | brotli streams (what `brotli` reads/writes) | 0..=11 (6) | yes | no (1.0.9's API has none) | brotli 1.0.9, crates.io `brotlic-sys` |
//! | libdeflate | `libdeflate` | [`backend::libdeflate::Libdeflate`] | gzip (default), zlib or raw DEFLATE ([`DeflateFormat`]) | 0..=12 (6) | **no** (libdeflate is one-shot only) | no | libdeflate 1.26, crates.io `libdeflate-sys` |
//! | ISA-L | `isal` | [`backend::isal::Isal`] | gzip (default), zlib or raw DEFLATE | 0..=3 (1) | yes | no | ISA-L 2.31, crates.io `isal-sys` (autotools + nasm) |
//!
//! Native Rust, always built: [`int::leb128`] (LEB128 / ZigZag varints) and
//! [`int::stream_vbyte`] (Stream VByte, SSSE3 decode with a scalar fallback): no packaged
//! C library fits these.
//!
//! # Choosing a codec
//! [`Backend`] has the selection shape every Arsenal domain crate shares
//! ([`arsenal_core::select`]): [`Backend::ALL`] (all twelve codecs, one per library and
//! container format), [`Backend::available`] (those whose feature is on, in the crate's
//! priority), `name()`/`Display`/case-insensitive `FromStr` (`"zstd"`, `"lz4-block"`,
//! `"isal-zlib"`, ...), [`Backend::for_strategy`] (the measured mapping is documented on
//! its [`Select`](arsenal_core::Select) impl) and [`Backend::codec`] /
//! [`Backend::codec_with_level`], which give a working `Box<dyn Codec + Send>`.
//!
//! Compile-time default: [`DefaultCodec`], the first enabled of zstd, lz4, brotli,
//! libdeflate (gzip), ISA-L (gzip), snappy: the same priority as
//! [`Backend::available`], whose first entry it is. Every backend feature enables the
//! grouping feature `any-backend`; none enabled is a `compile_error!`.
//!
//! ```
//! use arsenal_compress::Backend;
//! use arsenal_core::Strategy;
//!
//! assert_eq!("ZSTD".parse::<Backend>()?, Backend::Zstd); // every name parses, built or not
//! let mut default = Backend::available()[0].codec()?; // what DefaultCodec names
//! # let _ = &mut default;
//! let mut fast = Backend::for_strategy(Strategy::Throughput).codec()?;
//! let packed = fast.compress(b"abcabcabcabcabcabc")?;
//! assert_eq!(fast.decompress(&packed, 18)?, b"abcabcabcabcabcabc");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! use arsenal_compress::{Codec, Compress, Decompress, DefaultCodec};
//!
//! let mut codec = DefaultCodec::default();
//! let text = b"to be or not to be, that is the question; to be or not to be".repeat(100);
//! let packed = codec.compress(&text)?;
//! assert!(packed.len() < text.len() / 10);
//! // The limit is the most the caller accepts: a bomb gets an error, not memory.
//! assert_eq!(codec.decompress(&packed, text.len())?, text);
//! assert!(codec.decompress(&packed, 100).is_err());
//! # Ok::<(), arsenal_compress::Error>(())
//! ```
//!
//! # The traits
//! * [`Compress`] / [`Decompress`]: one-shot, into a slice (`*_into`), into a new or
//!   existing `Vec` (`compress`, `decompress`). **Every decompression has a hard output
//!   limit**: `decompress(src, limit)` never allocates or produces more than `limit`
//!   bytes and returns [`ErrorKind::OutputLimit`] instead, even when the frame header
//!   lies about its size.
//! * [`Codec`]: both directions plus construction by level ([`Codec::with_level`]) and
//!   the level range ([`Codec::levels`]). `Box<dyn Codec>` works for run-time choice.
//! * [`WithDictionary`]: codecs that take a shared dictionary.
//! * [`Streaming`]: codecs with a step-wise encoder/decoder, and through them
//!   [`stream::Writer`] (`io::Write`) and [`stream::Reader`] (`io::Read`, with a limit).
//!
//! The traits are sealed: the backends of this crate are their only implementations
//! (their `unsafe` code relies on what the backends promise about initialised output).
//!
//! Library authors should depend with `default-features = false` and let the
//! application choose backends.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

use std::mem::MaybeUninit;

mod any;
pub mod backend;
mod error;
pub mod int;
pub mod stream;
#[cfg(test)]
mod testutil;

pub use any::Backend;
pub use error::{Error, ErrorKind, Result};

/// The default codec: the first enabled of zstd (level 3), lz4, brotli, libdeflate
/// (gzip), ISA-L (gzip), snappy, i.e. the first of [`Backend::available`]. Library
/// authors should name a backend instead.
#[cfg(feature = "zstd")]
pub type DefaultCodec = backend::zstd::Zstd;
/// The default codec: the first enabled of zstd (level 3), lz4, brotli, libdeflate
/// (gzip), ISA-L (gzip), snappy, i.e. the first of [`Backend::available`]. Library
/// authors should name a backend instead.
#[cfg(all(not(feature = "zstd"), feature = "lz4"))]
pub type DefaultCodec = backend::lz4::Lz4;
/// The default codec: the first enabled of zstd (level 3), lz4, brotli, libdeflate
/// (gzip), ISA-L (gzip), snappy, i.e. the first of [`Backend::available`]. Library
/// authors should name a backend instead.
#[cfg(all(not(any(feature = "zstd", feature = "lz4")), feature = "brotli"))]
pub type DefaultCodec = backend::brotli::Brotli;
/// The default codec: the first enabled of zstd (level 3), lz4, brotli, libdeflate
/// (gzip), ISA-L (gzip), snappy, i.e. the first of [`Backend::available`]. Library
/// authors should name a backend instead.
#[cfg(all(
    not(any(feature = "zstd", feature = "lz4", feature = "brotli")),
    feature = "libdeflate"
))]
pub type DefaultCodec = backend::libdeflate::Libdeflate;
/// The default codec: the first enabled of zstd (level 3), lz4, brotli, libdeflate
/// (gzip), ISA-L (gzip), snappy, i.e. the first of [`Backend::available`]. Library
/// authors should name a backend instead.
#[cfg(all(
    not(any(
        feature = "zstd",
        feature = "lz4",
        feature = "brotli",
        feature = "libdeflate"
    )),
    feature = "isal"
))]
pub type DefaultCodec = backend::isal::Isal;
/// The default codec: the first enabled of zstd (level 3), lz4, brotli, libdeflate
/// (gzip), ISA-L (gzip), snappy, i.e. the first of [`Backend::available`]. Library
/// authors should name a backend instead.
#[cfg(all(
    not(any(
        feature = "zstd",
        feature = "lz4",
        feature = "brotli",
        feature = "libdeflate",
        feature = "isal"
    )),
    feature = "snappy"
))]
pub type DefaultCodec = backend::snappy::Snappy;

#[cfg(not(feature = "any-backend"))]
compile_error!(
    "arsenal-compress needs at least one codec backend: enable one or more of the features \
     `zstd`, `lz4`, `snappy`, `brotli`, `libdeflate`, `isal`"
);
pub use stream::{DecodeStep, Reader, StreamDecoder, StreamEncoder, Writer};

pub(crate) mod sealed {
    /// Seals the capability traits: only this crate's backends implement them.
    pub trait Sealed {}
}

/// The range of levels a codec accepts and its default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Levels {
    /// Fastest level.
    pub min: i32,
    /// Strongest level.
    pub max: i32,
    /// The level [`Default`] and [`Codec::with_level`]'s callers get by default.
    pub default: i32,
}

impl Levels {
    /// Whether `level` is in range.
    pub fn contains(&self, level: i32) -> bool {
        (self.min..=self.max).contains(&level)
    }

    /// `Ok(level)` if in range, else an [`ErrorKind::InvalidLevel`] error naming `backend`.
    pub fn check(&self, backend: &'static str, level: i32) -> Result<i32> {
        if self.contains(level) {
            Ok(level)
        } else {
            Err(Error::new(
                ErrorKind::InvalidLevel,
                backend,
                format!("level {level} outside {}..={}", self.min, self.max),
            ))
        }
    }
}

/// The container format of the deflate backends (`backend::libdeflate`,
/// `backend::isal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DeflateFormat {
    /// Raw DEFLATE (RFC 1951), no header or checksum.
    Raw,
    /// zlib (RFC 1950): 2-byte header, Adler-32 trailer.
    Zlib,
    /// gzip (RFC 1952): header, CRC-32 and size trailer; what `gzip`/`pigz` read and write.
    #[default]
    Gzip,
}

/// One-shot compression.
pub trait Compress: sealed::Sealed {
    /// The backend name (`"zstd"`, `"lz4"`, ...).
    fn name(&self) -> &'static str;

    /// The level this compressor uses.
    fn level(&self) -> i32;

    /// The largest compressed size of `src_len` input bytes: a destination of this size
    /// never gives [`ErrorKind::OutputTooSmall`]. `Err` ([`ErrorKind::InvalidArgument`])
    /// when the format cannot hold that much input in one frame.
    fn compress_bound(&self, src_len: usize) -> Result<usize>;

    /// Compresses `src` into `dst` and returns the compressed length `n`; the first `n`
    /// bytes of `dst` are then initialised. [`ErrorKind::OutputTooSmall`] if it does not
    /// fit.
    fn compress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize>;

    /// Compresses `src` into `dst`, returning the compressed length.
    fn compress_into(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        // SAFETY: `MaybeUninit<u8>` has the layout of `u8`; the sealed implementations
        // only ever write initialised bytes, so `dst` stays fully initialised.
        let dst = unsafe { &mut *(dst as *mut [u8] as *mut [MaybeUninit<u8>]) };
        self.compress_uninit(src, dst)
    }

    /// Appends the compressed form of `src` to `out` (reserving
    /// [`compress_bound`](Self::compress_bound) bytes) and returns its length.
    fn compress_append(&mut self, src: &[u8], out: &mut Vec<u8>) -> Result<usize> {
        let bound = self.compress_bound(src.len())?;
        out.try_reserve(bound).map_err(|e| {
            Error::new(
                ErrorKind::OutOfMemory,
                self.name(),
                format!("cannot reserve {bound} bytes of output: {e}"),
            )
        })?;
        let start = out.len();
        let n = self.compress_uninit(src, &mut out.spare_capacity_mut()[..bound])?;
        assert!(n <= bound, "backend reported more output than its buffer");
        // SAFETY: the backend initialised the first `n` (≤ capacity - len) spare bytes.
        unsafe { out.set_len(start + n) };
        Ok(n)
    }

    /// Compresses `src` into a new `Vec`.
    fn compress(&mut self, src: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.compress_append(src, &mut out)?;
        Ok(out)
    }
}

/// The first output buffer of [`Decompress::decompress_append`] is at most this many
/// times the input length (plus [`FIRST_OUTPUT_FLOOR`]), whatever size the input
/// declares: a 20-byte input claiming 2^62 bytes costs a small buffer and an error, not
/// an allocation of what it claims.
pub const FIRST_OUTPUT_MULTIPLE: usize = 8;

/// See [`FIRST_OUTPUT_MULTIPLE`]: 256 KiB.
pub const FIRST_OUTPUT_FLOOR: usize = 256 << 10;

/// One-shot decompression with a hard output limit.
pub trait Decompress: sealed::Sealed {
    /// The backend name (`"zstd"`, `"lz4"`, ...).
    fn name(&self) -> &'static str;

    /// The decompressed size the frame header records: `Ok(None)` when the format (or
    /// this frame) does not record one; `Err` when the header is malformed. The value
    /// comes from the input and may be a lie: [`decompress`](Self::decompress) checks
    /// it against the limit before trusting it.
    fn decompressed_size(&self, src: &[u8]) -> Result<Option<u64>>;

    /// The most a `src_len`-byte input can decode to, when the format bounds its
    /// expansion (an LZ4 block at most 255×, a Snappy block at most 22×): a recorded
    /// size above it is a lie, rejected as [`ErrorKind::Corrupt`] before any output
    /// buffer is reserved. `None` (the default): no useful bound.
    fn max_decompressed_len(&self, src_len: usize) -> Option<u64> {
        let _ = src_len;
        None
    }

    /// A first output-buffer size for [`decompress_append`](Self::decompress_append) when
    /// the format records no size: an untrusted guess (capped by the limit; the buffer
    /// still grows on [`ErrorKind::OutputLimit`]). `None` (the default): four times the
    /// input, at least 4 KiB.
    fn capacity_hint(&self, src: &[u8]) -> Option<usize> {
        let _ = src;
        None
    }

    /// Decompresses `src` into `dst` and returns the decompressed length `n`; the first
    /// `n` bytes of `dst` are then initialised. Output that does not fit in `dst` gives
    /// [`ErrorKind::OutputLimit`] (distinct from [`ErrorKind::Corrupt`]).
    fn decompress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize>;

    /// Decompresses `src` into `dst`; `dst.len()` is the limit.
    fn decompress_into(&mut self, src: &[u8], dst: &mut [u8]) -> Result<usize> {
        // SAFETY: as in `Compress::compress_into`: implementations write only initialised bytes.
        let dst = unsafe { &mut *(dst as *mut [u8] as *mut [MaybeUninit<u8>]) };
        self.decompress_uninit(src, dst)
    }

    /// Appends the decompressed form of `src` to `out`, producing at most `limit` bytes
    /// ([`ErrorKind::OutputLimit`] beyond).
    ///
    /// The size a frame records (or a format's hint) comes from the input and may be a
    /// lie, so it is never reserved up front: the first buffer is at most
    /// [`FIRST_OUTPUT_MULTIPLE`] times the input plus [`FIRST_OUTPUT_FLOOR`] (and at most
    /// the recorded size and the limit), and it doubles, up to the recorded size and then
    /// up to `limit`, only while the decoder reports that its output did not fit. Every
    /// reservation is fallible: memory the allocator refuses is
    /// [`ErrorKind::OutOfMemory`], never an abort, even with `limit = usize::MAX`.
    fn decompress_append(&mut self, src: &[u8], out: &mut Vec<u8>, limit: usize) -> Result<usize> {
        let start = out.len();
        let declared = match self.decompressed_size(src)? {
            Some(n) if n > limit as u64 => {
                return Err(Error::new(
                    ErrorKind::OutputLimit,
                    self.name(),
                    format!("frame declares {n} bytes, limit is {limit}"),
                ))
            }
            Some(n)
                if self
                    .max_decompressed_len(src.len())
                    .is_some_and(|max| n > max) =>
            {
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    self.name(),
                    format!(
                        "frame declares {n} bytes, more than a {}-byte input can decode to",
                        src.len()
                    ),
                ))
            }
            // ≤ limit, so it fits a usize.
            Some(n) => Some(n as usize),
            None => None,
        };
        let guess = declared
            .or_else(|| self.capacity_hint(src))
            .unwrap_or_else(|| src.len().saturating_mul(4).max(4096));
        let first = src
            .len()
            .saturating_mul(FIRST_OUTPUT_MULTIPLE)
            .saturating_add(FIRST_OUTPUT_FLOOR);
        let mut cap = guess.min(first).min(limit);
        loop {
            out.try_reserve(cap).map_err(|e| {
                Error::new(
                    ErrorKind::OutOfMemory,
                    self.name(),
                    format!("cannot reserve {cap} bytes of output: {e}"),
                )
            })?;
            match self.decompress_uninit(src, &mut out.spare_capacity_mut()[..cap]) {
                Ok(n) => {
                    assert!(n <= cap, "backend reported more output than its buffer");
                    // SAFETY: the backend initialised the first `n` (≤ capacity - len) spare bytes.
                    unsafe { out.set_len(start + n) };
                    return Ok(n);
                }
                Err(e) if e.kind() == ErrorKind::OutputLimit && cap < limit => {
                    let mut next = cap.saturating_mul(2).max(4096);
                    // Try the recorded size exactly before going past it.
                    if let Some(n) = declared.filter(|&n| n > cap) {
                        next = next.min(n);
                    }
                    cap = next.min(limit);
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Decompresses `src` into a new `Vec` of at most `limit` bytes.
    fn decompress(&mut self, src: &[u8], limit: usize) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.decompress_append(src, &mut out, limit)?;
        Ok(out)
    }
}

/// A codec: both directions, constructed by level. Object-safe (`Box<dyn Codec>`).
pub trait Codec: Compress + Decompress + std::fmt::Debug {
    /// A codec compressing at `level` ([`ErrorKind::InvalidLevel`] outside
    /// [`levels`](Codec::levels)).
    fn with_level(level: i32) -> Result<Self>
    where
        Self: Sized;

    /// The levels this codec accepts.
    fn levels(&self) -> Levels;
}

/// Codecs that compress and decompress against a shared dictionary (both sides must use
/// the same one).
pub trait WithDictionary: Codec {
    /// A codec at `level` using `dictionary` in both directions.
    fn with_dictionary(level: i32, dictionary: &[u8]) -> Result<Self>
    where
        Self: Sized;
}

/// Codecs with step-wise streaming, and the `io` adapters built on it.
pub trait Streaming: Codec {
    /// The step-wise compressor.
    type Encoder: StreamEncoder;
    /// The step-wise decompressor.
    type Decoder: StreamDecoder;

    /// A new encoder with this codec's level (and dictionary).
    fn encoder(&self) -> Result<Self::Encoder>;

    /// A new decoder (with this codec's dictionary).
    fn decoder(&self) -> Result<Self::Decoder>;

    /// An `io::Write` compressing into `inner`.
    fn writer<W: std::io::Write>(&self, inner: W) -> Result<Writer<W, Self::Encoder>>
    where
        Self: Sized,
    {
        Ok(Writer::new(inner, self.encoder()?))
    }

    /// An `io::Read` decompressing from `inner`, returning at most `limit` bytes.
    fn reader<R: std::io::Read>(
        &self,
        inner: R,
        limit: u64,
    ) -> Result<Reader<std::io::BufReader<R>, Self::Decoder>>
    where
        Self: Sized,
    {
        Ok(Reader::from_read(inner, self.decoder()?, limit))
    }
}
