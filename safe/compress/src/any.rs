//! Run-time choice of a codec by kind or name, and the compile-time default.

use crate::{Codec, DeflateFormat, Error, ErrorKind, Result};

/// Every codec of this crate, by format. Each variant is available when its backend's
/// feature is enabled ([`BackendKind::available`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BackendKind {
    /// zstd frames ([`backend::zstd::Zstd`](crate::backend::zstd)), feature `zstd`.
    Zstd,
    /// LZ4 frames, what the `lz4` tool reads and writes (feature `lz4`).
    Lz4,
    /// Size-prefixed LZ4 blocks (feature `lz4`).
    Lz4Block,
    /// Raw Snappy (feature `snappy`).
    Snappy,
    /// The Snappy framing format (feature `snappy`).
    SnappyFramed,
    /// Brotli streams (feature `brotli`).
    Brotli,
    /// libdeflate in a DEFLATE container format (feature `libdeflate`).
    Libdeflate(DeflateFormat),
    /// ISA-L in a DEFLATE container format (feature `isal`).
    Isal(DeflateFormat),
}

const ALL: [BackendKind; 12] = [
    BackendKind::Zstd,
    BackendKind::Lz4,
    BackendKind::Lz4Block,
    BackendKind::Snappy,
    BackendKind::SnappyFramed,
    BackendKind::Brotli,
    BackendKind::Libdeflate(DeflateFormat::Gzip),
    BackendKind::Libdeflate(DeflateFormat::Zlib),
    BackendKind::Libdeflate(DeflateFormat::Raw),
    BackendKind::Isal(DeflateFormat::Gzip),
    BackendKind::Isal(DeflateFormat::Zlib),
    BackendKind::Isal(DeflateFormat::Raw),
];

impl BackendKind {
    /// Every kind, available or not.
    pub fn all() -> &'static [BackendKind] {
        &ALL
    }

    /// The kinds whose backend feature is enabled in this build.
    pub fn available_kinds() -> Vec<BackendKind> {
        ALL.iter().copied().filter(|k| k.available()).collect()
    }

    /// The name [`BackendKind::from_name`] accepts: `zstd`, `lz4`, `lz4-block`, `snappy`,
    /// `snappy-framed`, `brotli`, `libdeflate-gzip`, `libdeflate-zlib`, `libdeflate-raw`,
    /// `isal-gzip`, `isal-zlib`, `isal-raw`.
    pub fn name(self) -> &'static str {
        use DeflateFormat::*;
        match self {
            BackendKind::Zstd => "zstd",
            BackendKind::Lz4 => "lz4",
            BackendKind::Lz4Block => "lz4-block",
            BackendKind::Snappy => "snappy",
            BackendKind::SnappyFramed => "snappy-framed",
            BackendKind::Brotli => "brotli",
            BackendKind::Libdeflate(Gzip) => "libdeflate-gzip",
            BackendKind::Libdeflate(Zlib) => "libdeflate-zlib",
            BackendKind::Libdeflate(Raw) => "libdeflate-raw",
            BackendKind::Isal(Gzip) => "isal-gzip",
            BackendKind::Isal(Zlib) => "isal-zlib",
            BackendKind::Isal(Raw) => "isal-raw",
        }
    }

    /// The kind named `name` (see [`BackendKind::name`]; `libdeflate` and `isal` alone
    /// mean their gzip format).
    pub fn from_name(name: &str) -> Option<BackendKind> {
        match name {
            "libdeflate" => Some(BackendKind::Libdeflate(DeflateFormat::Gzip)),
            "isal" => Some(BackendKind::Isal(DeflateFormat::Gzip)),
            _ => ALL.iter().copied().find(|k| k.name() == name),
        }
    }

    /// Whether this build has the backend.
    pub fn available(self) -> bool {
        match self {
            BackendKind::Zstd => cfg!(feature = "zstd"),
            BackendKind::Lz4 | BackendKind::Lz4Block => cfg!(feature = "lz4"),
            BackendKind::Snappy | BackendKind::SnappyFramed => cfg!(feature = "snappy"),
            BackendKind::Brotli => cfg!(feature = "brotli"),
            BackendKind::Libdeflate(_) => cfg!(feature = "libdeflate"),
            BackendKind::Isal(_) => cfg!(feature = "isal"),
        }
    }

    /// A codec of this kind at `level` (`None`: the codec's default level).
    /// [`ErrorKind::Unsupported`] when the backend's feature is off.
    ///
    /// ```
    /// use arsenal_compress::BackendKind;
    ///
    /// for kind in BackendKind::available_kinds() {
    ///     let mut codec = kind.codec(None)?;
    ///     let packed = codec.compress(b"hello hello hello hello")?;
    ///     assert_eq!(codec.decompress(&packed, 1 << 10)?, b"hello hello hello hello");
    /// }
    /// # Ok::<(), arsenal_compress::Error>(())
    /// ```
    pub fn codec(self, level: Option<i32>) -> Result<Box<dyn Codec + Send>> {
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
        match self {
            #[cfg(feature = "zstd")]
            BackendKind::Zstd => make!(crate::backend::zstd::Zstd),
            #[cfg(feature = "lz4")]
            BackendKind::Lz4 => make!(crate::backend::lz4::Lz4),
            #[cfg(feature = "lz4")]
            BackendKind::Lz4Block => make!(crate::backend::lz4::Lz4Block),
            #[cfg(feature = "snappy")]
            BackendKind::Snappy => make!(crate::backend::snappy::Snappy),
            #[cfg(feature = "snappy")]
            BackendKind::SnappyFramed => make!(crate::backend::snappy::SnappyFramed),
            #[cfg(feature = "brotli")]
            BackendKind::Brotli => make!(crate::backend::brotli::Brotli),
            #[cfg(feature = "libdeflate")]
            BackendKind::Libdeflate(format) => {
                let backend = crate::backend::libdeflate::Libdeflate::default();
                let level = level.unwrap_or(backend.levels().default);
                Ok(Box::new(crate::backend::libdeflate::Libdeflate::new(
                    format, level,
                )?))
            }
            #[cfg(feature = "isal")]
            BackendKind::Isal(format) => {
                let backend = crate::backend::isal::Isal::default();
                let level = level.unwrap_or(backend.levels().default);
                Ok(Box::new(crate::backend::isal::Isal::new(format, level)?))
            }
            #[allow(unreachable_patterns)]
            _ => {
                let _ = level;
                Err(Error::new(
                    ErrorKind::Unsupported,
                    self.name(),
                    "backend not compiled in (enable its cargo feature)",
                ))
            }
        }
    }
}

impl std::fmt::Display for BackendKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for BackendKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        BackendKind::from_name(s).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "arsenal-compress",
                format!("unknown codec `{s}`"),
            )
        })
    }
}

/// A codec of `kind` at `level` (`None`: its default); see [`BackendKind::codec`].
pub fn by_kind(kind: BackendKind, level: Option<i32>) -> Result<Box<dyn Codec + Send>> {
    kind.codec(level)
}

/// A codec by name (`"zstd"`, `"lz4"`, `"isal-zlib"`, ...; see [`BackendKind::name`]).
///
/// ```
/// if arsenal_compress::BackendKind::Zstd.available() {
///     let mut codec = arsenal_compress::by_name("zstd", Some(19))?;
///     let packed = codec.compress(&[7u8; 10_000])?;
///     assert!(packed.len() < 100);
/// }
/// assert!(arsenal_compress::by_name("nope", None).is_err());
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub fn by_name(name: &str, level: Option<i32>) -> Result<Box<dyn Codec + Send>> {
    name.parse::<BackendKind>()?.codec(level)
}
