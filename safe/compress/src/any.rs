//! Run-time choice of a codec: the [`Backend`] enum (the selection shape every Arsenal
//! domain crate shares), its measured [`Strategy`] mapping, and the factory that turns a
//! `Backend` into a working `Box<dyn Codec>`.

use arsenal_core::{Select, Strategy};

use crate::{Codec, DeflateFormat, Error, ErrorKind, Result};

arsenal_core::backends! {
    /// Every codec of this crate, one per library and container format, declared in the
    /// crate's priority order (the order of [`Backend::available`] and of
    /// [`DefaultCodec`](crate::DefaultCodec)). A backend is available when its cargo
    /// feature is enabled ([`Backend::feature`]); [`Backend::codec`] builds it.
    ///
    /// ```
    /// use arsenal_compress::Backend;
    ///
    /// assert_eq!(Backend::ALL.len(), 12);
    /// assert_eq!("LZ4-Block".parse::<Backend>()?, Backend::Lz4Block);
    /// assert_eq!(Backend::IsalZlib.to_string(), "isal-zlib");
    /// let err = "lzma".parse::<Backend>().unwrap_err();
    /// assert!(err.to_string().contains("snappy-framed"));
    /// # Ok::<(), arsenal_core::UnknownBackend>(())
    /// ```
    domain = "compress";
    pub enum Backend {
        /// zstd frames ([`backend::zstd::Zstd`](crate::backend::zstd)), feature `zstd`.
        Zstd = "zstd",
        /// LZ4 frames, what the `lz4` tool reads and writes
        /// ([`backend::lz4::Lz4`](crate::backend::lz4)), feature `lz4`.
        Lz4 = "lz4",
        /// Size-prefixed LZ4 blocks ([`backend::lz4::Lz4Block`](crate::backend::lz4)),
        /// feature `lz4`.
        Lz4Block = "lz4-block",
        /// Brotli streams ([`backend::brotli::Brotli`](crate::backend::brotli)), feature
        /// `brotli`.
        Brotli = "brotli",
        /// libdeflate, gzip format ([`backend::libdeflate::Libdeflate`](crate::backend::libdeflate)),
        /// feature `libdeflate`.
        LibdeflateGzip = "libdeflate-gzip",
        /// libdeflate, zlib format, feature `libdeflate`.
        LibdeflateZlib = "libdeflate-zlib",
        /// libdeflate, raw DEFLATE, feature `libdeflate`.
        LibdeflateRaw = "libdeflate-raw",
        /// ISA-L, gzip format ([`backend::isal::Isal`](crate::backend::isal)), feature `isal`.
        IsalGzip = "isal-gzip",
        /// ISA-L, zlib format, feature `isal`.
        IsalZlib = "isal-zlib",
        /// ISA-L, raw DEFLATE, feature `isal`.
        IsalRaw = "isal-raw",
        /// Raw Snappy ([`backend::snappy::Snappy`](crate::backend::snappy)), feature `snappy`.
        Snappy = "snappy",
        /// The Snappy framing format ([`backend::snappy::SnappyFramed`](crate::backend::snappy)),
        /// feature `snappy`.
        SnappyFramed = "snappy-framed",
    }
}

impl Backend {
    /// The cargo feature that compiles this backend in (`"zstd"`, `"lz4"`, ...).
    ///
    /// ```
    /// assert_eq!(arsenal_compress::Backend::IsalRaw.feature(), "isal");
    /// ```
    pub const fn feature(self) -> &'static str {
        match self {
            Backend::Zstd => "zstd",
            Backend::Lz4 | Backend::Lz4Block => "lz4",
            Backend::Brotli => "brotli",
            Backend::LibdeflateGzip | Backend::LibdeflateZlib | Backend::LibdeflateRaw => {
                "libdeflate"
            }
            Backend::IsalGzip | Backend::IsalZlib | Backend::IsalRaw => "isal",
            Backend::Snappy | Backend::SnappyFramed => "snappy",
        }
    }

    /// The DEFLATE container format of the libdeflate and ISA-L backends; `None` for the
    /// others.
    ///
    /// ```
    /// use arsenal_compress::{Backend, DeflateFormat};
    /// assert_eq!(Backend::LibdeflateZlib.deflate_format(), Some(DeflateFormat::Zlib));
    /// assert_eq!(Backend::Zstd.deflate_format(), None);
    /// ```
    pub const fn deflate_format(self) -> Option<DeflateFormat> {
        match self {
            Backend::LibdeflateGzip | Backend::IsalGzip => Some(DeflateFormat::Gzip),
            Backend::LibdeflateZlib | Backend::IsalZlib => Some(DeflateFormat::Zlib),
            Backend::LibdeflateRaw | Backend::IsalRaw => Some(DeflateFormat::Raw),
            _ => None,
        }
    }

    /// The libdeflate backend for `format`.
    ///
    /// ```
    /// use arsenal_compress::{Backend, DeflateFormat};
    /// assert_eq!(Backend::libdeflate(DeflateFormat::Raw), Backend::LibdeflateRaw);
    /// ```
    pub const fn libdeflate(format: DeflateFormat) -> Backend {
        match format {
            DeflateFormat::Gzip => Backend::LibdeflateGzip,
            DeflateFormat::Zlib => Backend::LibdeflateZlib,
            DeflateFormat::Raw => Backend::LibdeflateRaw,
        }
    }

    /// The ISA-L backend for `format`.
    ///
    /// ```
    /// use arsenal_compress::{Backend, DeflateFormat};
    /// assert_eq!(Backend::isal(DeflateFormat::Gzip), Backend::IsalGzip);
    /// ```
    pub const fn isal(format: DeflateFormat) -> Backend {
        match format {
            DeflateFormat::Gzip => Backend::IsalGzip,
            DeflateFormat::Zlib => Backend::IsalZlib,
            DeflateFormat::Raw => Backend::IsalRaw,
        }
    }

    /// Whether this build compiles the backend in (its feature is enabled).
    const fn compiled_in(self) -> bool {
        match self {
            Backend::Zstd => cfg!(feature = "zstd"),
            Backend::Lz4 | Backend::Lz4Block => cfg!(feature = "lz4"),
            Backend::Brotli => cfg!(feature = "brotli"),
            Backend::LibdeflateGzip | Backend::LibdeflateZlib | Backend::LibdeflateRaw => {
                cfg!(feature = "libdeflate")
            }
            Backend::IsalGzip | Backend::IsalZlib | Backend::IsalRaw => cfg!(feature = "isal"),
            Backend::Snappy | Backend::SnappyFramed => cfg!(feature = "snappy"),
        }
    }

    /// A codec of this backend at its default level ([`Levels::default`](crate::Levels)):
    /// the run-time counterpart of naming the backend's type. [`ErrorKind::Unsupported`]
    /// when the backend's feature is off.
    ///
    /// ```
    /// use arsenal_compress::Backend;
    /// use arsenal_core::Strategy;
    ///
    /// for backend in Backend::available() {
    ///     let mut codec = backend.codec()?;
    ///     let packed = codec.compress(b"hello hello hello hello")?;
    ///     assert_eq!(codec.decompress(&packed, 1 << 10)?, b"hello hello hello hello");
    /// }
    /// let mut fast = Backend::for_strategy(Strategy::Throughput).codec()?;
    /// let mut by_name = "zstd".parse::<Backend>()?.codec_with_level(19);
    /// # let _ = (&mut fast, &mut by_name);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn codec(self) -> Result<Box<dyn Codec + Send>> {
        self.make(None)
    }

    /// A codec of this backend compressing at `level` ([`ErrorKind::InvalidLevel`] outside
    /// its [`Codec::levels`]; [`ErrorKind::Unsupported`] when the feature is off).
    ///
    /// ```
    /// use arsenal_compress::Backend;
    /// if Backend::Zstd.is_available() {
    ///     let mut codec = Backend::Zstd.codec_with_level(19)?;
    ///     assert_eq!(codec.level(), 19);
    ///     let packed = codec.compress(&[7u8; 10_000])?;
    ///     assert!(packed.len() < 100);
    ///     assert!(Backend::Zstd.codec_with_level(99).is_err());
    /// }
    /// # Ok::<(), arsenal_compress::Error>(())
    /// ```
    pub fn codec_with_level(self, level: i32) -> Result<Box<dyn Codec + Send>> {
        self.make(Some(level))
    }

    fn make(self, level: Option<i32>) -> Result<Box<dyn Codec + Send>> {
        #[allow(unused_macros)]
        macro_rules! make {
            ($ty:ty) => {{
                let codec: $ty = match level {
                    Some(l) => <$ty as Codec>::with_level(l)?,
                    None => <$ty>::default(),
                };
                Ok(Box::new(codec) as Box<dyn Codec + Send>)
            }};
        }
        #[allow(unused_macros)]
        macro_rules! make_deflate {
            ($ty:ty) => {{
                let format = self.deflate_format().unwrap_or_default();
                let level = level.unwrap_or_else(|| <$ty>::default().levels().default);
                Ok(Box::new(<$ty>::new(format, level)?) as Box<dyn Codec + Send>)
            }};
        }
        match self {
            #[cfg(feature = "zstd")]
            Backend::Zstd => make!(crate::backend::zstd::Zstd),
            #[cfg(feature = "lz4")]
            Backend::Lz4 => make!(crate::backend::lz4::Lz4),
            #[cfg(feature = "lz4")]
            Backend::Lz4Block => make!(crate::backend::lz4::Lz4Block),
            #[cfg(feature = "brotli")]
            Backend::Brotli => make!(crate::backend::brotli::Brotli),
            #[cfg(feature = "libdeflate")]
            Backend::LibdeflateGzip | Backend::LibdeflateZlib | Backend::LibdeflateRaw => {
                make_deflate!(crate::backend::libdeflate::Libdeflate)
            }
            #[cfg(feature = "isal")]
            Backend::IsalGzip | Backend::IsalZlib | Backend::IsalRaw => {
                make_deflate!(crate::backend::isal::Isal)
            }
            #[cfg(feature = "snappy")]
            Backend::Snappy => make!(crate::backend::snappy::Snappy),
            #[cfg(feature = "snappy")]
            Backend::SnappyFramed => make!(crate::backend::snappy::SnappyFramed),
            #[allow(unreachable_patterns)]
            _ => {
                let _ = level;
                Err(Error::new(
                    ErrorKind::Unsupported,
                    self.name(),
                    format!(
                        "backend not compiled in (enable the cargo feature `{}`)",
                        self.feature()
                    ),
                ))
            }
        }
    }
}

/// The measured choice of codec per [`Strategy`]. Row ids are the matrix benchmark's
/// (`benches/src/compress/mod.rs`, `compress/<compress|decompress>/<file>`, Snappy corpus;
/// `compress/memory/html-1MiB`, the codecs' working set); the speed numbers, MB/s of
/// uncompressed data, are the README's last `--full` run. A backend whose feature is off
/// falls back along the listed order, then to [`Backend::available`]'s first.
///
/// | strategy | backend (first available of) | evidence |
/// |---|---|---|
/// | `Throughput` | lz4-block, lz4, snappy, isal-gzip, zstd, libdeflate-gzip, brotli | `compress/compress/all` (2.9 MB): lz4-block/1 compresses at 630 MB/s and decompresses at 4291, the fastest arsenal row both ways (lz4 frames 517 · 1844, their content checksum costs; snappy 532 · 1304; isal/1 552 · 756; zstd/1 501 · 1525) |
/// | `Latency` | lz4-block, snappy, lz4, isal-gzip, zstd, libdeflate-gzip, brotli | `compress/compress/html` (100 KiB, the corpus's smallest file; the README lists only `all`, so these are the same codecs timed on that file on a 2-core AVX2 VM): lz4-block 86 µs to compress and 22 µs to decompress, snappy 99 · 70, lz4 frames 159 · 65 (frame header and checksum per call), isal 145 · 101, zstd 317 · 88. lz4-block is also first on the other ~100 KiB files in both directions except snappy's faster compression of incompressible ones (paper-100k.pdf, fireworks.jpeg), hence snappy second |
/// | `Balanced` | [`DefaultCodec`](crate::DefaultCodec): zstd, lz4, brotli, libdeflate-gzip, isal-gzip, snappy | the documented priority |
/// | `MinimalMemory` | lz4-block, lz4, snappy, isal-gzip, libdeflate-gzip, zstd, brotli | `compress/memory/html-1MiB`: the smallest codec working set (not the smallest output), the peak growth of the resident set while a codec at its default level is made and compresses and decompresses 1 MiB of generated HTML, so that state kept between calls (zstd's, libdeflate's, LZ4 frame contexts) and working memory allocated inside each call (snappy, brotli's one-shot calls) count alike; measured on an AMD EPYC (Zen 3, family 25 model 1; `/proc/cpuinfo` model name "AMD EPYC"): lz4-block 12 KiB (the pages of its 16 KiB `LZ4_stream_t` a compression touches; decompression needs none), lz4 frames 20–24 KiB, snappy 36 KiB, isal-gzip 440–444 KiB, libdeflate-gzip 452–456 KiB, zstd 972–980 KiB, brotli 7.8–8.2 MiB (page-granular; across 4 runs). lz4-block is also the fastest on `compress/compress/all` |
/// | `MaximalSpeed` | lz4-block, lz4, then (ISA-L's SIMD kernels, when [`cpu::features`](arsenal_core::cpu::features) reports AVX2) isal-gzip before snappy, else snappy before isal-gzip; then zstd, libdeflate-gzip, brotli | `compress/compress/all` (measured with AVX-512: isal/1 552 MB/s; LZ4 is scalar and ahead of it on any CPU) |
///
/// A compression *level* is not a backend: every answer compresses at the backend's
/// default level ([`Backend::codec`]); pick another with [`Backend::codec_with_level`].
///
/// ```
/// use arsenal_compress::Backend;
/// use arsenal_core::Strategy;
///
/// for strategy in Strategy::ALL {
///     let backend = Backend::for_strategy(strategy);
///     assert!(backend.is_available());
///     let mut codec = backend.codec()?;
///     let packed = codec.compress(b"strategy strategy strategy")?;
///     assert_eq!(codec.decompress(&packed, 100)?, b"strategy strategy strategy");
/// }
/// # #[cfg(feature = "lz4")]
/// assert_eq!(Backend::for_strategy(Strategy::Throughput), Backend::Lz4Block);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
impl Select for Backend {
    fn available() -> Vec<Backend> {
        Backend::ALL
            .iter()
            .copied()
            .filter(|b| b.compiled_in())
            .collect()
    }

    fn for_strategy(strategy: Strategy) -> Backend {
        use Backend::*;
        match strategy {
            Strategy::Throughput => arsenal_core::prefer(&[
                Lz4Block,
                Lz4,
                Snappy,
                IsalGzip,
                Zstd,
                LibdeflateGzip,
                Brotli,
            ]),
            Strategy::Latency => arsenal_core::prefer(&[
                Lz4Block,
                Snappy,
                Lz4,
                IsalGzip,
                Zstd,
                LibdeflateGzip,
                Brotli,
            ]),
            Strategy::Balanced => arsenal_core::prefer(&[]),
            Strategy::MinimalMemory => arsenal_core::prefer(&[
                Lz4Block,
                Lz4,
                Snappy,
                IsalGzip,
                LibdeflateGzip,
                Zstd,
                Brotli,
            ]),
            Strategy::MaximalSpeed => {
                let simd_deflate_first = arsenal_core::cpu::features().avx2;
                arsenal_core::prefer(&maximal_speed_order(simd_deflate_first))
            }
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None,
            Strategy::Latency => Some("compress/compress/html"),
            Strategy::MinimalMemory => Some("compress/memory/html-1MiB"),
            Strategy::Throughput | Strategy::MaximalSpeed => Some("compress/compress/all"),
        }
    }
}

/// [`Strategy::MaximalSpeed`]'s order: ISA-L ahead of snappy only on CPUs with the AVX2
/// its fast kernels need.
fn maximal_speed_order(simd_deflate_first: bool) -> [Backend; 7] {
    use Backend::*;
    let (third, fourth) = if simd_deflate_first {
        (IsalGzip, Snappy)
    } else {
        (Snappy, IsalGzip)
    };
    [Lz4Block, Lz4, third, fourth, Zstd, LibdeflateGzip, Brotli]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_backend_once() {
        assert_eq!(Backend::ALL.len(), 12);
        assert_eq!(Backend::NAMES.len(), 12);
        for (i, backend) in Backend::ALL.iter().enumerate() {
            assert_eq!(Backend::ALL.iter().position(|b| b == backend), Some(i));
            assert_eq!(backend.name(), Backend::NAMES[i]);
            assert_eq!(backend.to_string(), Backend::NAMES[i]);
        }
        for format in [DeflateFormat::Gzip, DeflateFormat::Zlib, DeflateFormat::Raw] {
            assert!(Backend::ALL.contains(&Backend::libdeflate(format)));
            assert!(Backend::ALL.contains(&Backend::isal(format)));
            assert_eq!(Backend::libdeflate(format).deflate_format(), Some(format));
            assert_eq!(Backend::isal(format).deflate_format(), Some(format));
        }
    }

    #[test]
    fn available_is_a_nonempty_subset_of_all_in_priority_order() {
        let available = Backend::available();
        assert!(available.windows(2).all(|w| w[0] < w[1]));
        for backend in Backend::ALL {
            assert_eq!(backend.is_available(), backend.compiled_in());
        }
        // The first is what `DefaultCodec` names.
        let default = crate::DefaultCodec::default();
        let first = available[0].codec().unwrap();
        assert_eq!(
            crate::Compress::name(&*first),
            crate::Compress::name(&default)
        );
        assert_eq!(
            crate::Compress::level(&*first),
            crate::Compress::level(&default)
        );
    }

    /// The selection shape every domain crate shares: names, parsing, `available()`,
    /// strategies and evidence (`arsenal_core::select::check_shape`).
    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_strategy_picks_an_available_backend_with_evidence() {
        for strategy in Strategy::ALL {
            let backend = Backend::for_strategy(strategy);
            assert!(backend.is_available(), "{strategy}: {backend}");
            match <Backend as Select>::evidence(strategy) {
                None => assert_eq!(strategy, Strategy::Balanced),
                Some(row) => {
                    assert!(row.starts_with("compress/"), "{row}");
                    assert_eq!(row.split('/').count(), 3, "{row}");
                }
            }
        }
        assert_eq!(<Backend as Select>::evidence(Strategy::Balanced), None);
        #[cfg(feature = "lz4")]
        for strategy in [
            Strategy::Throughput,
            Strategy::Latency,
            Strategy::MinimalMemory,
            Strategy::MaximalSpeed,
        ] {
            assert_eq!(Backend::for_strategy(strategy), Backend::Lz4Block);
        }
    }

    #[test]
    fn maximal_speed_puts_isal_before_snappy_only_with_avx2() {
        let with = maximal_speed_order(true);
        let without = maximal_speed_order(false);
        let pos = |order: &[Backend], b| order.iter().position(|x| *x == b).unwrap();
        assert!(pos(&with, Backend::IsalGzip) < pos(&with, Backend::Snappy));
        assert!(pos(&without, Backend::Snappy) < pos(&without, Backend::IsalGzip));
        assert_eq!(with[0], Backend::Lz4Block);
        assert_eq!(without[0], Backend::Lz4Block);
    }

    #[test]
    fn every_available_backend_round_trips() {
        let input = crate::testutil::text(50_000);
        for backend in Backend::available() {
            let mut codec = backend.codec().unwrap();
            assert!(backend.name().starts_with(crate::Compress::name(&*codec)));
            let packed = codec.compress(&input).unwrap();
            assert!(packed.len() < input.len(), "{backend}");
            assert_eq!(codec.decompress(&packed, input.len()).unwrap(), input);
            let levels = codec.levels();
            let mut at_max = backend.codec_with_level(levels.max).unwrap();
            let packed = at_max.compress(&input).unwrap();
            assert_eq!(at_max.decompress(&packed, input.len()).unwrap(), input);
            let e = backend.codec_with_level(levels.max + 1).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidLevel, "{backend}");
        }
        for backend in Backend::ALL {
            if !backend.is_available() {
                let e = backend.codec().unwrap_err();
                assert_eq!(e.kind(), ErrorKind::Unsupported);
            }
        }
    }
}
