//! The native backend's kernels: the scalar reference ([`scalar`]) and the AVX2 paths,
//! chosen at run time (`ARSENAL_COLOR_ISA` narrows the choice).

#[cfg(target_arch = "x86_64")]
mod avx2;
pub(crate) mod coeffs;
pub(crate) mod resize;
pub(crate) mod scalar;

use crate::error::{Error, ErrorKind, Result, CHECKS};
use crate::{I420Mut, Image, ImageMut, PixelFormat, I420};
use coeffs::{RgbToYuv, YuvToRgb};
use resize::AxisMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// The instruction sets of the native backend's kernels.
///
/// ```
/// use arsenal_color::Isa;
/// assert!(Isa::Scalar.is_supported());
/// assert_eq!("AVX2".parse::<Isa>()?, Isa::Avx2);
/// assert!("sse9".parse::<Isa>().is_err());
/// # Ok::<(), arsenal_color::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Isa {
    /// Portable Rust: the reference every other path matches bit for bit.
    Scalar,
    /// x86-64 AVX2 (256-bit integer lanes).
    Avx2,
}

impl Isa {
    /// Every instruction set, narrowest first.
    pub const ALL: [Isa; 2] = [Isa::Scalar, Isa::Avx2];

    /// `"scalar"` or `"avx2"` (the values of `ARSENAL_COLOR_ISA`).
    pub const fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Avx2 => "avx2",
        }
    }

    /// Whether this CPU runs it.
    pub fn is_supported(self) -> bool {
        match self {
            Isa::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => arsenal_core::cpu::features().avx2,
            #[cfg(not(target_arch = "x86_64"))]
            Isa::Avx2 => false,
        }
    }

    /// The ones this CPU runs, narrowest first.
    pub fn available() -> Vec<Isa> {
        Isa::ALL.into_iter().filter(|i| i.is_supported()).collect()
    }

    /// The widest this CPU runs.
    pub fn best() -> Isa {
        Isa::available().pop().unwrap_or(Isa::Scalar)
    }

    /// The widest this CPU runs, or the one `ARSENAL_COLOR_ISA` names (read once per
    /// process): [`ErrorKind::Isa`] when it names an unknown instruction set or one this
    /// CPU lacks (never a silent fallback). Unset or empty: [`Isa::best`].
    pub fn from_env() -> Result<Isa> {
        static CHOICE: OnceLock<Result<Isa>> = OnceLock::new();
        CHOICE
            .get_or_init(|| match std::env::var("ARSENAL_COLOR_ISA") {
                Ok(name) if !name.is_empty() => {
                    let isa = name.parse::<Isa>()?;
                    if isa.is_supported() {
                        Ok(isa)
                    } else {
                        Err(Error::new(
                            ErrorKind::Isa,
                            "native",
                            format!("ARSENAL_COLOR_ISA={name}: this CPU has no {}", isa.name()),
                        ))
                    }
                }
                _ => Ok(Isa::best()),
            })
            .clone()
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Isa {
    type Err = Error;

    /// Case-insensitive; an unknown name is [`ErrorKind::Isa`] listing the valid ones.
    fn from_str(s: &str) -> Result<Isa> {
        Isa::ALL
            .into_iter()
            .find(|i| i.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Isa,
                    CHECKS,
                    format!("unknown instruction set {s:?} (expected one of: scalar, avx2)"),
                )
            })
    }
}

/// RGB → I420 (shapes checked by the caller).
pub(crate) fn rgb_to_i420(isa: Isa, src: &Image<'_>, dst: &mut I420Mut<'_>, k: &RgbToYuv) {
    let (width, height, format) = (src.width(), src.height(), src.format());
    for y in 0..height {
        luma_row(isa, src.row(y), format, k, dst.y.row_mut(y));
    }
    for cy in 0..dst.u.height() {
        let row0 = src.row(2 * cy);
        let row1 = (2 * cy + 1 < height).then(|| src.row(2 * cy + 1));
        let u = dst.u.row_mut(cy);
        let v = dst.v.row_mut(cy);
        chroma_row(isa, row0, row1, width, format, k, u, v);
    }
}

fn luma_row(isa: Isa, row: &[u8], format: PixelFormat, k: &RgbToYuv, dst: &mut [u8]) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `Isa::Avx2` is only ever selected when the CPU has AVX2
        // (`Isa::is_supported`, checked by `Native::with_isa` / `Isa::from_env`).
        Isa::Avx2 => unsafe { avx2::luma_row(row, format, k, dst) },
        _ => scalar::luma_row(row, format, k, dst, 0),
    }
}

#[allow(clippy::too_many_arguments)]
fn chroma_row(
    isa: Isa,
    row0: &[u8],
    row1: Option<&[u8]>,
    width: usize,
    format: PixelFormat,
    k: &RgbToYuv,
    u: &mut [u8],
    v: &mut [u8],
) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: AVX2 is present (see `luma_row`).
        Isa::Avx2 => unsafe { avx2::chroma_row(row0, row1, width, format, k, u, v) },
        _ => scalar::chroma_row(row0, row1, width, format, k, u, v, 0),
    }
}

/// I420 → RGB (shapes checked by the caller).
pub(crate) fn i420_to_rgb(isa: Isa, src: &I420<'_>, dst: &mut ImageMut<'_>, k: &YuvToRgb) {
    let format = dst.format();
    for y in 0..src.height() {
        let (yr, ur, vr) = (src.y.row(y), src.u.row(y / 2), src.v.row(y / 2));
        let out = dst.row_mut(y);
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: AVX2 is present (see `luma_row`).
            Isa::Avx2 => unsafe { avx2::rgb_row(yr, ur, vr, k, format, out) },
            _ => scalar::rgb_row(yr, ur, vr, k, format, out, 0),
        }
    }
}

/// One interleaved 8-bit image for the resize: `channels` bytes per pixel.
pub(crate) struct Raster<'a> {
    pub data: &'a [u8],
    pub width: usize,
    pub height: usize,
    pub stride: usize,
}

/// Bilinear resize of `channels`-interleaved 8-bit pixels (layouts checked by the
/// caller): a vertical pass into an exact 32-bit row, then a horizontal pass.
pub(crate) fn resize(
    isa: Isa,
    src: &Raster<'_>,
    dst: &mut [u8],
    dst_width: usize,
    dst_height: usize,
    dst_stride: usize,
    channels: usize,
) {
    let map = AxisMap::new(src.width, dst_width, channels);
    let rows = resize::axis(src.height, dst_height);
    let row_bytes = src.width * channels;
    let mut tmp = vec![0i32; row_bytes];
    debug_assert!(map.i1.iter().all(|&i| (i as usize) < row_bytes));
    for (y, &(y0, y1, f)) in rows.iter().enumerate() {
        let r0 = &src.data[y0 * src.stride..][..row_bytes];
        let r1 = &src.data[y1 * src.stride..][..row_bytes];
        let w0 = (1 << resize::WEIGHT_BITS) - f;
        let out = &mut dst[y * dst_stride..][..dst_width * channels];
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: AVX2 is present (see `luma_row`); every index of `map` is below
            // `row_bytes = tmp.len()` (`resize::axis` never returns a position past the
            // last source pixel).
            Isa::Avx2 => unsafe {
                avx2::resize_vertical(r0, r1, w0, f, &mut tmp);
                if channels == 4 {
                    avx2::resize_horizontal4(&tmp, &map, out);
                } else {
                    avx2::resize_horizontal(&tmp, &map, out);
                }
            },
            _ => {
                scalar::resize_vertical(r0, r1, w0, f, &mut tmp, 0);
                scalar::resize_horizontal(&tmp, &map, out, 0);
            }
        }
    }
}
