//! libyuv (C++, Debian's `libyuv-dev`) through `arsenal-yuv-sys`.
//!
//! What this libyuv version lacks is [`ErrorKind::Unsupported`], never a fallback:
//! RGB → YUV with BT.709 (it has BT.601 only: `*ToI420` limited, `*ToJ420` full range),
//! and the resize of RGB24 images (`ARGBScale` takes 4-byte pixels only).

use crate::error::{Error, ErrorKind, Result};
use crate::{
    checks, I420Mut, Image, ImageMut, Matrix, PixelFormat, Plane, PlaneMut, Range, Resize,
    RgbToYuv, YuvToRgb, I420,
};
use arsenal_yuv_sys as ffi;
use std::ffi::c_int;

const NAME: &str = "libyuv";

/// The libyuv backend (feature `libyuv`). libyuv picks its SIMD rows (SSSE3, AVX2, …)
/// at run time itself.
///
/// ```
/// # #[cfg(feature = "libyuv")] {
/// use arsenal_color::{Libyuv, Matrix, Range, RgbToYuv, ErrorKind, I420Buf, Image, PixelFormat};
/// let rgb = [0u8; 2 * 2 * 3];
/// let mut frame = I420Buf::new(2, 2)?;
/// let src = Image::packed(&rgb, 2, 2, PixelFormat::Rgb24)?;
/// Libyuv.rgb_to_i420(&src, &mut frame.view_mut(), Matrix::Bt601, Range::Limited)?;
/// assert_eq!(frame.as_bytes()[0], 16);
/// let err = Libyuv.rgb_to_i420(&src, &mut frame.view_mut(), Matrix::Bt709, Range::Limited).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Unsupported);
/// # }
/// # Ok::<(), arsenal_color::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Libyuv;

/// A size as libyuv's `int`, or [`ErrorKind::Unsupported`].
fn int(value: usize, what: &str) -> Result<c_int> {
    c_int::try_from(value).map_err(|_| {
        Error::new(
            ErrorKind::Unsupported,
            NAME,
            format!("{what} {value} exceeds libyuv's int"),
        )
    })
}

/// A stride as `int`, also checking that `stride × height` fits (libyuv computes row
/// offsets in `int`).
fn stride(stride: usize, height: usize) -> Result<c_int> {
    let span = stride.saturating_mul(height);
    int(span, "stride × height")?;
    int(stride, "stride")
}

fn check(rc: c_int, what: &str) -> Result<()> {
    if rc == 0 {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Library,
            NAME,
            format!("{what} returned {rc}"),
        ))
    }
}

type ToI420 = unsafe extern "C" fn(
    *const u8,
    c_int,
    *mut u8,
    c_int,
    *mut u8,
    c_int,
    *mut u8,
    c_int,
    c_int,
    c_int,
) -> c_int;

impl RgbToYuv for Libyuv {
    fn rgb_to_i420(
        &self,
        src: &Image<'_>,
        dst: &mut I420Mut<'_>,
        matrix: Matrix,
        range: Range,
    ) -> Result<()> {
        checks::same_size(src.width(), src.height(), dst.width(), dst.height())?;
        if matrix != Matrix::Bt601 {
            return Err(Error::new(
                ErrorKind::Unsupported,
                NAME,
                "this libyuv converts RGB to YUV with BT.601 only (no BT.709 *ToI420)",
            ));
        }
        let (name, f): (&str, ToI420) = match (src.format(), range) {
            (PixelFormat::Bgra, Range::Limited) => ("ARGBToI420", ffi::ARGBToI420),
            (PixelFormat::Rgba, Range::Limited) => ("ABGRToI420", ffi::ABGRToI420),
            (PixelFormat::Rgb24, Range::Limited) => ("RAWToI420", ffi::RAWToI420),
            (PixelFormat::Bgra, Range::Full) => ("ARGBToJ420", ffi::ARGBToJ420),
            (PixelFormat::Rgba, Range::Full) => ("ABGRToJ420", ffi::ABGRToJ420),
            (PixelFormat::Rgb24, Range::Full) => ("RAWToJ420", ffi::RAWToJ420),
        };
        let (w, h) = (int(src.width(), "width")?, int(src.height(), "height")?);
        let s = stride(src.stride(), src.height())?;
        let (y, u, v) = dst.planes_mut();
        let ys = stride(y.stride(), y.height())?;
        let us = stride(u.stride(), u.height())?;
        let vs = stride(v.stride(), v.height())?;
        // SAFETY: the views guarantee every buffer spans stride × (rows − 1) + row bytes
        // for the sizes passed (chroma (w+1)/2 × (h+1)/2, what libyuv writes); sizes and
        // strides fit `int`, and the three output planes are distinct buffers.
        let rc = unsafe {
            f(
                src.data().as_ptr(),
                s,
                y.data_mut().as_mut_ptr(),
                ys,
                u.data_mut().as_mut_ptr(),
                us,
                v.data_mut().as_mut_ptr(),
                vs,
                w,
                h,
            )
        };
        check(rc, name)
    }
}

impl YuvToRgb for Libyuv {
    fn i420_to_rgb(
        &self,
        src: &I420<'_>,
        dst: &mut ImageMut<'_>,
        matrix: Matrix,
        range: Range,
    ) -> Result<()> {
        checks::same_size(src.width(), src.height(), dst.width(), dst.height())?;
        // `kYvu*` tables with U and V swapped make the ARGB/RGB24 writers emit R first.
        let swap = dst.format() != PixelFormat::Bgra;
        // SAFETY: taking the address of libyuv's immutable static tables.
        let constants: *const ffi::YuvConstants = unsafe {
            match (matrix, range, swap) {
                (Matrix::Bt601, Range::Limited, false) => &ffi::kYuvI601Constants,
                (Matrix::Bt601, Range::Full, false) => &ffi::kYuvJPEGConstants,
                (Matrix::Bt709, Range::Limited, false) => &ffi::kYuvH709Constants,
                (Matrix::Bt709, Range::Full, false) => &ffi::kYuvF709Constants,
                (Matrix::Bt601, Range::Limited, true) => &ffi::kYvuI601Constants,
                (Matrix::Bt601, Range::Full, true) => &ffi::kYvuJPEGConstants,
                (Matrix::Bt709, Range::Limited, true) => &ffi::kYvuH709Constants,
                (Matrix::Bt709, Range::Full, true) => &ffi::kYvuF709Constants,
            }
        };
        let (y, mut u, mut v) = (src.y(), src.u(), src.v());
        if swap {
            std::mem::swap(&mut u, &mut v);
        }
        let (w, h) = (int(src.width(), "width")?, int(src.height(), "height")?);
        let (ys, us, vs) = (
            stride(y.stride(), y.height())?,
            stride(u.stride(), u.height())?,
            stride(v.stride(), v.height())?,
        );
        let ds = stride(dst.stride(), dst.height())?;
        let (name, f): (
            &str,
            unsafe extern "C" fn(_, _, _, _, _, _, _, _, _, _, _) -> _,
        ) = match dst.format() {
            PixelFormat::Rgb24 => ("I420ToRGB24Matrix", ffi::I420ToRGB24Matrix),
            _ => ("I420ToARGBMatrix", ffi::I420ToARGBMatrix),
        };
        // SAFETY: the views guarantee the spans for these sizes (chroma (w+1)/2 ×
        // (h+1)/2); sizes and strides fit `int`; `constants` points at a libyuv table.
        let rc = unsafe {
            f(
                y.data().as_ptr(),
                ys,
                u.data().as_ptr(),
                us,
                v.data().as_ptr(),
                vs,
                dst.data_mut().as_mut_ptr(),
                ds,
                constants,
                w,
                h,
            )
        };
        check(rc, name)
    }
}

impl Resize for Libyuv {
    fn resize_plane(&self, src: &Plane<'_>, dst: &mut PlaneMut<'_>) -> Result<()> {
        let (sw, sh) = (int(src.width(), "width")?, int(src.height(), "height")?);
        let (dw, dh) = (int(dst.width(), "width")?, int(dst.height(), "height")?);
        let ss = stride(src.stride(), src.height())?;
        let ds = stride(dst.stride(), dst.height())?;
        // SAFETY: the views guarantee the spans for these sizes; sizes and strides fit `int`.
        // (`ScalePlane` returns nothing in this libyuv: it has no failure to report.)
        unsafe {
            ffi::ScalePlane(
                src.data().as_ptr(),
                ss,
                sw,
                sh,
                dst.data_mut().as_mut_ptr(),
                ds,
                dw,
                dh,
                ffi::kFilterBilinear,
            );
        }
        Ok(())
    }

    fn resize_image(&self, src: &Image<'_>, dst: &mut ImageMut<'_>) -> Result<()> {
        checks::same_format(src.format(), dst.format())?;
        if src.format() == PixelFormat::Rgb24 {
            return Err(Error::new(
                ErrorKind::Unsupported,
                NAME,
                "ARGBScale takes 4-byte pixels: resize RGBA or BGRA",
            ));
        }
        let (sw, sh) = (int(src.width(), "width")?, int(src.height(), "height")?);
        let (dw, dh) = (int(dst.width(), "width")?, int(dst.height(), "height")?);
        let ss = stride(src.stride(), src.height())?;
        let ds = stride(dst.stride(), dst.height())?;
        // SAFETY: the views guarantee the spans for these sizes (4 bytes per pixel);
        // sizes and strides fit `int`.
        let rc = unsafe {
            ffi::ARGBScale(
                src.data().as_ptr(),
                ss,
                sw,
                sh,
                dst.data_mut().as_mut_ptr(),
                ds,
                dw,
                dh,
                ffi::kFilterBilinear,
            )
        };
        check(rc, "ARGBScale")
    }
}
