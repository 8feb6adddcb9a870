//! `arsenal-color`: 8-bit colour conversion and scaling behind small traits.
//!
//! | operation | trait | formats |
//! |---|---|---|
//! | RGB → YUV 4:2:0 planar (I420) | [`RgbToYuv`] | [`PixelFormat::Rgb24`], [`PixelFormat::Rgba`], [`PixelFormat::Bgra`] in; [`I420Mut`] out |
//! | I420 → RGB | [`YuvToRgb`] | [`I420`] in; RGB24, RGBA, BGRA out (alpha 255) |
//! | bilinear resize | [`Resize`] | one 8-bit [`Plane`]; packed [`Image`]s |
//!
//! Every conversion takes an explicit [`Matrix`] (BT.601, BT.709) and [`Range`] (full,
//! limited). [`ColorConverter`] is all three traits, object-safe: `Box<dyn ColorConverter>`
//! from [`Backend::converter`].
//!
//! # Backends
//!
//! | backend | type | feature | what runs | gaps |
//! |---|---|---|---|---|
//! | native | [`Native`] | always built | fixed-point integer kernels in Rust: the scalar reference and AVX2, chosen at run time (`ARSENAL_COLOR_ISA=scalar\|avx2` narrows it; anything else is an error), bit-identical | none |
//! | libyuv | [`Libyuv`] | `libyuv` (default) | libyuv (C++, Debian's `libyuv-dev` 0.0~git20230123, `LIBYUV_VERSION` 1857) through `arsenal-yuv-sys`; its own run-time SIMD | RGB → YUV BT.709 and RGB24 resize: [`ErrorKind::Unsupported`] |
//!
//! Library authors depend with `default-features = false` (the native backend alone)
//! and enable `libyuv` where they want it.
//!
//! # Semantics
//!
//! **Matrices.** `Kr, Kb` = 0.299, 0.114 (BT.601) or 0.2126, 0.0722 (BT.709), `Kg = 1 − Kr − Kb`.
//! With `E_Y = Kr·R + Kg·G + Kb·B` (R, G, B in 0..=255):
//! full range `Y = E_Y`, `Cb = 128 + (B − E_Y) / (2(1 − Kb))`, `Cr = 128 + (R − E_Y) / (2(1 − Kr))`;
//! limited range `Y = 16 + (219/255)·E_Y` and the chroma differences scaled by `224/255`.
//! YUV → RGB is the exact inverse, clamped to `0..=255`.
//!
//! **Precision and rounding (the native backend; the scalar reference is the spec).**
//! RGB → YUV uses 15-bit fixed-point coefficients (`round(c·2¹⁵)`, with the G
//! coefficient of each row adjusted so that the Y row sums to exactly the luma scale and
//! the chroma rows to exactly zero: greys are neutral, black and white exact), sums in
//! `i32` and rounds half up once (`(Σ + 2^(s−1)) >> s`). YUV → RGB uses 13-bit
//! coefficients, the same rounding and a clamp. Both are within 1 LSB of the `f64`
//! equations above (tested).
//!
//! **Chroma siting.** Each Cb/Cr sample is the average over its 2×2 luma block (centre
//! siting, as JPEG/MPEG-1), computed from the block's RGB sums with one rounding. Odd
//! widths and heights are supported: chroma planes are `(w+1)/2 × (h+1)/2` and a block
//! on the last column or row averages the 2 (or 1) pixels it has. YUV → RGB repeats
//! each chroma sample over its block (nearest, no interpolation).
//!
//! **Resize.** Bilinear with pixel centres aligned: output pixel `i` of `D` samples the
//! source at `p = (i + ½)·S/D − ½` (clamped to `[0, S − 1]`), per axis — OpenCV's
//! `INTER_LINEAR` and `fast_image_resize`'s bilinear convolution when upscaling. The
//! fraction of `p` is rounded half up to 11 bits; the result is
//! `((2¹¹−fy)·((2¹¹−fx)·a + fx·b) + fy·((2¹¹−fx)·c + fx·d) + 2²¹) >> 22`, exact integer
//! arithmetic (within 1 LSB of the real-valued bilinear; identity sizes copy exactly,
//! constants stay constant). Downscaling, also by more than 2×, still samples 2×2
//! pixels around `p` (no box prefilter, so it aliases like `INTER_LINEAR`); libyuv's
//! `kFilterBilinear` differs there (it uses 2×2 box averages for exact halvings) and
//! upscales with corners aligned, so the conformance suite compares libyuv's resize
//! with the reference within a stated tolerance only (see `docs/color.md`).
//!
//! # Example
//!
//! ```
//! use arsenal_color::{
//!     Backend, I420Buf, ImageBuf, Matrix, PixelFormat, Range, Resize, RgbToYuv, YuvToRgb,
//! };
//! let (w, h) = (64, 48);
//! let mut rgb = ImageBuf::new(w, h, PixelFormat::Rgb24)?;
//! let mut frame = I420Buf::new(w, h)?;
//! let mut back = ImageBuf::new(w, h, PixelFormat::Rgba)?;
//! let mut small = ImageBuf::new(32, 24, PixelFormat::Rgba)?;
//!
//! let color = Backend::Native.converter()?; // or arsenal_color::Native::new()?
//! color.rgb_to_i420(&rgb.view(), &mut frame.view_mut(), Matrix::Bt709, Range::Limited)?;
//! assert_eq!(frame.as_bytes()[0], 16); // black
//! color.i420_to_rgb(&frame.view(), &mut back.view_mut(), Matrix::Bt709, Range::Limited)?;
//! color.resize_image(&back.view(), &mut small.view_mut())?;
//! assert_eq!(&small.as_bytes()[..4], &[0, 0, 0, 255]);
//! # Ok::<(), arsenal_color::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod backend;
mod error;
mod native;
mod view;

#[cfg(feature = "libyuv")]
pub use backend::libyuv::Libyuv;
pub use backend::native::Native;
pub use error::{Error, ErrorKind, Result};
pub use native::Isa;
pub use view::{
    chroma_size, i420_len, I420Buf, I420Mut, Image, ImageBuf, ImageMut, PixelFormat, Plane,
    PlaneMut, I420, MAX_DIMENSION,
};

use arsenal_core::Strategy;

/// The YUV colour matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Matrix {
    /// ITU-R BT.601 (`Kr = 0.299`, `Kb = 0.114`): SD video, JPEG.
    Bt601,
    /// ITU-R BT.709 (`Kr = 0.2126`, `Kb = 0.0722`): HD video.
    Bt709,
}

/// The range of the 8-bit YUV codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Range {
    /// "TV" / studio range: Y in 16..=235, Cb and Cr in 16..=240.
    Limited,
    /// "PC" / JPEG range: Y, Cb and Cr in 0..=255.
    Full,
}

/// RGB → I420.
pub trait RgbToYuv {
    /// Converts `src` into `dst` (same luma size, else [`ErrorKind::Dimensions`]); the
    /// alpha of RGBA/BGRA input is ignored. See the crate docs for the equations, the
    /// rounding and the chroma siting.
    fn rgb_to_i420(
        &self,
        src: &Image<'_>,
        dst: &mut I420Mut<'_>,
        matrix: Matrix,
        range: Range,
    ) -> Result<()>;
}

/// I420 → RGB.
pub trait YuvToRgb {
    /// Converts `src` into `dst` (same size, else [`ErrorKind::Dimensions`]); RGBA and
    /// BGRA get alpha 255.
    fn i420_to_rgb(
        &self,
        src: &I420<'_>,
        dst: &mut ImageMut<'_>,
        matrix: Matrix,
        range: Range,
    ) -> Result<()>;
}

/// Bilinear resize (see the crate docs, "Resize").
pub trait Resize {
    /// Resizes one 8-bit plane to `dst`'s size.
    fn resize_plane(&self, src: &Plane<'_>, dst: &mut PlaneMut<'_>) -> Result<()>;

    /// Resizes a packed image to `dst`'s size, every channel alike (alpha too); both in
    /// one format, else [`ErrorKind::Format`].
    fn resize_image(&self, src: &Image<'_>, dst: &mut ImageMut<'_>) -> Result<()>;
}

/// All three capabilities; object-safe (`Box<dyn ColorConverter + Send + Sync>`).
pub trait ColorConverter: RgbToYuv + YuvToRgb + Resize {}

impl<T: RgbToYuv + YuvToRgb + Resize + ?Sized> ColorConverter for T {}

/// The checks every backend shares.
pub(crate) mod checks {
    use crate::error::{shape, ErrorKind, Result};
    use crate::PixelFormat;

    pub(crate) fn same_size(sw: usize, sh: usize, dw: usize, dh: usize) -> Result<()> {
        if (sw, sh) == (dw, dh) {
            Ok(())
        } else {
            Err(shape(
                ErrorKind::Dimensions,
                format!("source is {sw}×{sh}, destination {dw}×{dh}"),
            ))
        }
    }

    pub(crate) fn same_format(src: PixelFormat, dst: PixelFormat) -> Result<()> {
        if src == dst {
            Ok(())
        } else {
            Err(shape(
                ErrorKind::Format,
                format!("source is {src:?}, destination {dst:?}"),
            ))
        }
    }
}

arsenal_core::backends! {
    /// The colour backends this crate knows ([`Backend::converter`] makes one).
    ///
    /// ```
    /// use arsenal_color::Backend;
    /// assert_eq!("LIBYUV".parse::<Backend>()?, Backend::Libyuv);
    /// assert_eq!(Backend::Native.name(), "native");
    /// # Ok::<(), arsenal_core::UnknownBackend>(())
    /// ```
    domain = "color";
    pub enum Backend {
        /// Native Rust (always built): fixed-point scalar reference + AVX2, every matrix, range and format.
        Native = "native",
        /// libyuv (C++), feature `libyuv`: Debian's `libyuv-dev`; no BT.709 RGB → YUV, no RGB24 resize.
        Libyuv = "libyuv",
    }
}

impl Backend {
    /// Whether this build compiles the backend in.
    const fn compiled_in(self) -> bool {
        match self {
            Backend::Native => true,
            Backend::Libyuv => cfg!(feature = "libyuv"),
        }
    }

    /// A working converter of this backend: [`Native::new`] (which reads
    /// `ARSENAL_COLOR_ISA`) or [`Libyuv`]; [`ErrorKind::Unsupported`] when the backend is
    /// not compiled in.
    ///
    /// ```
    /// let color = arsenal_color::Backend::Native.converter()?;
    /// # let _ = color;
    /// # Ok::<(), arsenal_color::Error>(())
    /// ```
    pub fn converter(self) -> Result<Box<dyn ColorConverter + Send + Sync>> {
        match self {
            Backend::Native => Ok(Box::new(Native::new()?)),
            #[cfg(feature = "libyuv")]
            Backend::Libyuv => Ok(Box::new(Libyuv)),
            #[allow(unreachable_patterns)]
            other => Err(Error::new(
                ErrorKind::Unsupported,
                error::CHECKS,
                format!("backend {other} is not compiled in (enable the cargo feature `{other}`)"),
            )),
        }
    }
}

/// [`Backend::available`]'s order: native (always built, no gaps), then libyuv.
const PRIORITY: [Backend; 2] = [Backend::Native, Backend::Libyuv];

/// Strategies, with every backend compiled in (fallback: the other backend). Numbers:
/// Mpixels/s, one thread, release build, Intel Xeon VM with AVX-512 (`--quick`; the
/// native kernels use AVX2):
/// - `Throughput` and `MaximalSpeed` (`color/yuv420-to-rgb/1920x1080-bt601-limited`):
///   libyuv, 4787 against native's 3082 (RGB → YUV 1920x1080: 4730 against 2568; RGBA
///   resize 1920x1080 → 1280x720: 962 against 587; native wins plane downscaling, 2235
///   against 1061). libyuv has no BT.709 RGB → YUV: those calls return
///   [`ErrorKind::Unsupported`] — use [`Native`] for BT.709 encoding. No SIMD tier to
///   consult: libyuv picks its own rows at run time and is ahead of native AVX2 here.
/// - `Latency` (`color/yuv420-to-rgb/640x360-bt601-limited`): libyuv, 6600 against 3172.
/// - `Balanced`: [`DefaultConverter`], native (every matrix, range and format; within
///   1 LSB of the equations).
/// - `MinimalMemory` (`color/resize-bilinear/1920x1080-to-1280x720-rgba`): native;
///   neither backend holds state between calls (native allocates one row of `i32` and
///   the column tables per resize call, libyuv its row buffers).
impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        PRIORITY.into_iter().filter(|b| b.compiled_in()).collect()
    }

    fn for_strategy(strategy: Strategy) -> Backend {
        match strategy {
            Strategy::Throughput | Strategy::Latency | Strategy::MaximalSpeed => {
                arsenal_core::prefer(&[Backend::Libyuv, Backend::Native])
            }
            _ => arsenal_core::prefer(&PRIORITY),
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None,
            Strategy::Latency => Some("color/yuv420-to-rgb/640x360-bt601-limited"),
            Strategy::MinimalMemory => Some("color/resize-bilinear/1920x1080-to-1280x720-rgba"),
            _ => Some("color/yuv420-to-rgb/1920x1080-bt601-limited"),
        }
    }
}

/// The default backend as a type: [`Native`] (always built, every matrix and range).
///
/// ```
/// let color = arsenal_color::DefaultConverter::new()?;
/// # let _ = color;
/// # Ok::<(), arsenal_color::Error>(())
/// ```
pub type DefaultConverter = Native;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
        assert_eq!(Backend::for_strategy(Strategy::Balanced), Backend::Native);
    }

    #[test]
    fn every_available_backend_converts() {
        let rgb = [255u8; 4 * 2 * 2];
        for backend in Backend::available() {
            let color = backend.converter().expect("available");
            let mut frame = I420Buf::new(2, 2).expect("size");
            let src = Image::packed(&rgb, 2, 2, PixelFormat::Rgba).expect("view");
            color
                .rgb_to_i420(&src, &mut frame.view_mut(), Matrix::Bt601, Range::Full)
                .expect("converts");
            assert_eq!(
                frame.as_bytes(),
                &[255, 255, 255, 255, 128, 128],
                "{backend}"
            );
        }
    }
}
