//! DEFLATE, zlib and gzip through libdeflate (`libdeflate-sys`): the fastest one-shot
//! deflate implementation, whole buffers only.
//!
//! * Formats: [`DeflateFormat::Raw`], [`DeflateFormat::Zlib`], [`DeflateFormat::Gzip`]
//!   ([`Codec::with_level`] gives gzip; [`Libdeflate::new`] picks the format).
//! * Levels 0..=12, default 6. Level 0 stores the data uncompressed; 10..=12 are
//!   libdeflate's slow near-optimal parsing (smaller than `gzip -9`).
//! * One-shot decompression must see exactly one stream: bytes after the end of the
//!   raw/zlib stream or the gzip member give [`ErrorKind::Corrupt`] (decode concatenated
//!   gzip members with the ISA-L stream reader). Truncated input is reported as
//!   [`ErrorKind::Corrupt`] too: libdeflate does not tell it apart from bad data.
//! * [`Decompress::decompressed_size`] is `None`: gzip's ISIZE trailer is only the size
//!   modulo 2^32 and may lie. It is still used as the first capacity guess (bounded by
//!   the caller's limit) by this type's `decompress_append`, which avoids regrowth for
//!   honest gzip input.
//! * **No streaming**: libdeflate has no streaming API, so this type does not implement
//!   [`crate::Streaming`]. Use [`crate::backend::isal`] (or another streaming backend)
//!   for `io::Read`/`io::Write`.
//! * No dictionaries (libdeflate has none).
//!
//! The compressor and decompressor are allocated once per value and reused.

use std::mem::MaybeUninit;
use std::os::raw::{c_int, c_void};
use std::ptr::NonNull;

use libdeflate_sys as ffi;

use crate::{sealed, Codec, Compress, Decompress, DeflateFormat, Error, ErrorKind, Levels, Result};

const NAME: &str = "libdeflate";
const LEVELS: Levels = Levels {
    min: 0,
    max: 12,
    default: 6,
};

/// libdeflate codec: one format, one level, a reused compressor and decompressor.
///
/// ```
/// use arsenal_compress::backend::libdeflate::Libdeflate;
/// use arsenal_compress::{Compress, Decompress, DeflateFormat};
///
/// let mut zlib = Libdeflate::new(DeflateFormat::Zlib, 9)?;
/// let data = b"abcabcabcabcabcabcabcabcabcabcabcabc".repeat(50);
/// let packed = zlib.compress(&data)?;
/// assert_eq!(packed[0], 0x78); // zlib header
/// assert_eq!(zlib.decompress(&packed, data.len())?, data);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub struct Libdeflate {
    format: DeflateFormat,
    level: i32,
    compressor: NonNull<ffi::libdeflate_compressor>,
    decompressor: NonNull<ffi::libdeflate_decompressor>,
}

// SAFETY: libdeflate compressors and decompressors hold no thread-local state; the library
// documents that each may be used by one thread at a time, which `&mut self` guarantees.
unsafe impl Send for Libdeflate {}

impl std::fmt::Debug for Libdeflate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Libdeflate")
            .field("format", &self.format)
            .field("level", &self.level)
            .finish_non_exhaustive()
    }
}

impl Drop for Libdeflate {
    fn drop(&mut self) {
        // SAFETY: both were allocated by libdeflate in `new` and are freed only here.
        unsafe {
            ffi::libdeflate_free_compressor(self.compressor.as_ptr());
            ffi::libdeflate_free_decompressor(self.decompressor.as_ptr());
        }
    }
}

impl Default for Libdeflate {
    /// Gzip at level 6.
    fn default() -> Self {
        Libdeflate::new(DeflateFormat::Gzip, LEVELS.default).expect("libdeflate: out of memory")
    }
}

impl sealed::Sealed for Libdeflate {}

impl Libdeflate {
    /// A codec for `format` compressing at `level` (0..=12).
    pub fn new(format: DeflateFormat, level: i32) -> Result<Self> {
        let level = LEVELS.check(NAME, level)?;
        // SAFETY: `level` is in libdeflate's accepted range; returns null on failure.
        let compressor = NonNull::new(unsafe { ffi::libdeflate_alloc_compressor(level as c_int) })
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::OutOfMemory,
                    NAME,
                    "libdeflate_alloc_compressor failed",
                )
            })?;
        // SAFETY: no preconditions; returns null on failure.
        let Some(decompressor) = NonNull::new(unsafe { ffi::libdeflate_alloc_decompressor() })
        else {
            // SAFETY: allocated just above, not stored anywhere else.
            unsafe { ffi::libdeflate_free_compressor(compressor.as_ptr()) };
            return Err(Error::new(
                ErrorKind::OutOfMemory,
                NAME,
                "libdeflate_alloc_decompressor failed",
            ));
        };
        Ok(Libdeflate {
            format,
            level,
            compressor,
            decompressor,
        })
    }

    /// The container format.
    pub fn format(&self) -> DeflateFormat {
        self.format
    }
}

impl Compress for Libdeflate {
    fn name(&self) -> &'static str {
        NAME
    }

    fn level(&self) -> i32 {
        self.level
    }

    fn compress_bound(&self, src_len: usize) -> Result<usize> {
        let c = self.compressor.as_ptr();
        // SAFETY: the compressor is live; the bound functions only read its parameters.
        let bound = unsafe {
            match self.format {
                DeflateFormat::Raw => ffi::libdeflate_deflate_compress_bound(c, src_len),
                DeflateFormat::Zlib => ffi::libdeflate_zlib_compress_bound(c, src_len),
                DeflateFormat::Gzip => ffi::libdeflate_gzip_compress_bound(c, src_len),
            }
        };
        if bound < src_len {
            // The bound computation wrapped around.
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                NAME,
                format!("{src_len} input bytes are too many"),
            ));
        }
        Ok(bound)
    }

    fn compress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        let c = self.compressor.as_ptr();
        let (inp, out) = (
            src.as_ptr().cast::<c_void>(),
            dst.as_mut_ptr().cast::<c_void>(),
        );
        // SAFETY: the compressor is live and used by this thread only (`&mut self`); `src`
        // is readable and `dst` writable for their lengths; libdeflate writes only
        // initialised bytes into `dst` and returns how many (0 when it did not fit).
        let n = unsafe {
            match self.format {
                DeflateFormat::Raw => {
                    ffi::libdeflate_deflate_compress(c, inp, src.len(), out, dst.len())
                }
                DeflateFormat::Zlib => {
                    ffi::libdeflate_zlib_compress(c, inp, src.len(), out, dst.len())
                }
                DeflateFormat::Gzip => {
                    ffi::libdeflate_gzip_compress(c, inp, src.len(), out, dst.len())
                }
            }
        };
        if n == 0 {
            return Err(Error::new(
                ErrorKind::OutputTooSmall,
                NAME,
                format!("compressed data does not fit in {} bytes", dst.len()),
            ));
        }
        Ok(n)
    }
}

impl Decompress for Libdeflate {
    fn name(&self) -> &'static str {
        NAME
    }

    fn decompressed_size(&self, _src: &[u8]) -> Result<Option<u64>> {
        Ok(None)
    }

    fn decompress_uninit(&mut self, src: &[u8], dst: &mut [MaybeUninit<u8>]) -> Result<usize> {
        let d = self.decompressor.as_ptr();
        let (inp, out) = (
            src.as_ptr().cast::<c_void>(),
            dst.as_mut_ptr().cast::<c_void>(),
        );
        let (mut read, mut written) = (0usize, 0usize);
        // SAFETY: the decompressor is live and used by this thread only; `src` is readable
        // and `dst` writable for their lengths; libdeflate writes at most `dst.len()`
        // initialised bytes and reports the counts through the two out-pointers.
        let rc = unsafe {
            match self.format {
                DeflateFormat::Raw => ffi::libdeflate_deflate_decompress_ex(
                    d,
                    inp,
                    src.len(),
                    out,
                    dst.len(),
                    &mut read,
                    &mut written,
                ),
                DeflateFormat::Zlib => ffi::libdeflate_zlib_decompress_ex(
                    d,
                    inp,
                    src.len(),
                    out,
                    dst.len(),
                    &mut read,
                    &mut written,
                ),
                DeflateFormat::Gzip => ffi::libdeflate_gzip_decompress_ex(
                    d,
                    inp,
                    src.len(),
                    out,
                    dst.len(),
                    &mut read,
                    &mut written,
                ),
            }
        };
        match rc {
            ffi::libdeflate_result_LIBDEFLATE_SUCCESS
                if read == src.len() && written <= dst.len() =>
            {
                Ok(written)
            }
            ffi::libdeflate_result_LIBDEFLATE_SUCCESS => Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                format!(
                    "{} trailing bytes after the {:?} stream",
                    src.len().saturating_sub(read),
                    self.format
                ),
            )
            .with_code(i64::from(rc))),
            ffi::libdeflate_result_LIBDEFLATE_INSUFFICIENT_SPACE => Err(Error::new(
                ErrorKind::OutputLimit,
                NAME,
                format!(
                    "decompressed data exceeds {} bytes (LIBDEFLATE_INSUFFICIENT_SPACE)",
                    dst.len()
                ),
            )
            .with_code(i64::from(rc))),
            ffi::libdeflate_result_LIBDEFLATE_BAD_DATA => Err(Error::new(
                ErrorKind::Corrupt,
                NAME,
                "LIBDEFLATE_BAD_DATA: invalid or truncated data",
            )
            .with_code(i64::from(rc))),
            _ => Err(
                Error::new(ErrorKind::Other, NAME, "unexpected libdeflate result")
                    .with_code(i64::from(rc)),
            ),
        }
    }

    /// Gzip: the ISIZE trailer (the size mod 2³², untrusted); libdeflate succeeds when the
    /// output fits exactly, so an honest size needs one pass. Zero (empty, or wrapped at
    /// 4 GiB) and the other formats fall back to the default guess.
    fn capacity_hint(&self, src: &[u8]) -> Option<usize> {
        match self.format {
            DeflateFormat::Gzip if src.len() >= 18 => {
                let t = &src[src.len() - 4..];
                match u32::from_le_bytes([t[0], t[1], t[2], t[3]]) as usize {
                    0 => None,
                    n => Some(n),
                }
            }
            _ => None,
        }
    }
}

impl Codec for Libdeflate {
    /// Gzip at `level`.
    fn with_level(level: i32) -> Result<Self> {
        Libdeflate::new(DeflateFormat::Gzip, level)
    }

    fn levels(&self) -> Levels {
        LEVELS
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{
        assert_corpus_round_trips, assert_truncations_fail, run_tool, text, xorshift,
    };

    const FORMATS: [DeflateFormat; 3] =
        [DeflateFormat::Raw, DeflateFormat::Zlib, DeflateFormat::Gzip];

    #[test]
    fn round_trip_formats_and_levels() {
        let inputs = [Vec::new(), vec![7u8], xorshift(100_000, 9), text(1 << 20)];
        for format in FORMATS {
            for level in [0, 1, 6, 12] {
                let mut c = Libdeflate::new(format, level).unwrap();
                assert_eq!((c.level(), c.format()), (level, format));
                for input in &inputs {
                    let packed = c.compress(input).unwrap();
                    assert!(packed.len() <= c.compress_bound(input.len()).unwrap());
                    assert_eq!(
                        &c.decompress(&packed, input.len()).unwrap(),
                        input,
                        "{format:?} {level}"
                    );
                }
            }
        }
        let c = Libdeflate::with_level(3).unwrap();
        assert_eq!(c.format(), DeflateFormat::Gzip);
        assert_eq!(Libdeflate::default().level(), 6);
        assert_eq!(
            Libdeflate::with_level(13).unwrap_err().kind(),
            ErrorKind::InvalidLevel
        );
        assert_eq!(
            Libdeflate::new(DeflateFormat::Raw, -1).unwrap_err().kind(),
            ErrorKind::InvalidLevel
        );
    }

    #[test]
    fn container_headers() {
        let data = text(1000);
        let zlib = Libdeflate::new(DeflateFormat::Zlib, 6)
            .unwrap()
            .compress(&data)
            .unwrap();
        assert_eq!(zlib[0] & 0x0f, 8);
        assert_eq!((u16::from(zlib[0]) << 8 | u16::from(zlib[1])) % 31, 0);
        let gz = Libdeflate::default().compress(&data).unwrap();
        assert_eq!(&gz[..3], &[0x1f, 0x8b, 8]);
        let n = gz.len();
        assert_eq!(
            u32::from_le_bytes([gz[n - 4], gz[n - 3], gz[n - 2], gz[n - 1]]),
            1000
        );
    }

    #[test]
    fn limits_and_small_outputs() {
        let input = text(50_000);
        for format in FORMATS {
            let mut c = Libdeflate::new(format, 6).unwrap();
            let packed = c.compress(&input).unwrap();
            assert_eq!(
                c.decompress(&packed, input.len() - 1).unwrap_err().kind(),
                ErrorKind::OutputLimit
            );
            let mut exact = vec![0u8; input.len()];
            assert_eq!(c.decompress_into(&packed, &mut exact).unwrap(), input.len());
            assert_eq!(exact, input);
            let mut small = vec![0u8; 10];
            assert_eq!(
                c.compress_into(&input, &mut small).unwrap_err().kind(),
                ErrorKind::OutputTooSmall
            );
        }
        // A gzip trailer that lies (tiny ISIZE) still decodes by regrowth, and a huge one is
        // capped by the limit rather than allocated.
        let mut c = Libdeflate::default();
        let mut gz = c.compress(&input).unwrap();
        let n = gz.len();
        gz[n - 4..].copy_from_slice(&1u32.to_le_bytes());
        assert_eq!(
            c.decompress(&gz, 1 << 20).unwrap_err().kind(),
            ErrorKind::Corrupt
        ); // ISIZE is checked
        let gz = c.compress(&input).unwrap();
        assert_eq!(c.decompress(&gz, 1 << 30).unwrap(), input);
    }

    #[test]
    fn corrupt_truncated_and_trailing() {
        let input = text(3000);
        for format in FORMATS {
            let mut c = Libdeflate::new(format, 6).unwrap();
            let packed = c.compress(&input).unwrap();
            assert_truncations_fail(&mut c, &packed, &format!("{format:?}"));
            let mut trailing = packed.clone();
            trailing.extend_from_slice(b"junk");
            let e = c.decompress(&trailing, 1 << 20).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Corrupt, "{e}");
            let mut detected = 0;
            for bit in 0..packed.len() * 8 {
                let mut bad = packed.clone();
                bad[bit / 8] ^= 1 << (bit % 8);
                match c.decompress(&bad, 1 << 20) {
                    Ok(out) => assert!(
                        format == DeflateFormat::Raw || out == input,
                        "undetected flip {bit}"
                    ),
                    Err(_) => detected += 1,
                }
            }
            assert!(detected > packed.len(), "{format:?}: {detected}");
        }
    }

    #[test]
    fn snappy_testdata_round_trip() {
        assert_corpus_round_trips::<Libdeflate>(&[0, 6, 12], |_, _| false);
    }

    #[test]
    fn cross_check_with_gzip_cli() {
        let input = text(300_000);
        let run = |args: &[&str], stdin: &[u8]| run_tool("gzip", args, stdin);
        let mut c = Libdeflate::new(DeflateFormat::Gzip, 9).unwrap();
        let ours = c.compress(&input).unwrap();
        let Some(decoded) = run(&["-d", "-c"], &ours) else {
            println!("skipping: gzip CLI not installed");
            return;
        };
        assert_eq!(decoded, input);
        let theirs = run(&["-c", "-6"], &input).unwrap();
        assert_eq!(c.decompress(&theirs, input.len()).unwrap(), input);
    }
}
