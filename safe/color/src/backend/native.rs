//! The native backend: fixed-point integer kernels in Rust (the scalar reference and
//! AVX2), bit-identical across instruction sets.

use crate::error::Result;
use crate::native::coeffs;
use crate::native::{self as kernels, Isa, Raster};
use crate::{
    checks, I420Mut, Image, ImageMut, Matrix, Plane, PlaneMut, Range, Resize, RgbToYuv, YuvToRgb,
    I420,
};

/// The native backend (always built): every matrix, range and pixel format.
///
/// ```
/// use arsenal_color::{Isa, Native};
/// let native = Native::with_isa(Isa::Scalar)?;
/// assert_eq!(native.isa(), Isa::Scalar);
/// # Ok::<(), arsenal_color::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Native {
    isa: Isa,
}

impl Native {
    /// The widest instruction set this CPU runs, or the one `ARSENAL_COLOR_ISA` names
    /// ([`Isa::from_env`]; an unknown or unsupported name is an error).
    pub fn new() -> Result<Native> {
        Ok(Native {
            isa: Isa::from_env()?,
        })
    }

    /// A given instruction set; [`ErrorKind::Isa`](crate::ErrorKind::Isa) when this CPU lacks it.
    pub fn with_isa(isa: Isa) -> Result<Native> {
        if isa.is_supported() {
            Ok(Native { isa })
        } else {
            Err(crate::Error::new(
                crate::ErrorKind::Isa,
                "native",
                format!("this CPU has no {isa}"),
            ))
        }
    }

    /// The instruction set its kernels use.
    pub fn isa(&self) -> Isa {
        self.isa
    }
}

impl RgbToYuv for Native {
    fn rgb_to_i420(
        &self,
        src: &Image<'_>,
        dst: &mut I420Mut<'_>,
        matrix: Matrix,
        range: Range,
    ) -> Result<()> {
        checks::same_size(src.width(), src.height(), dst.width(), dst.height())?;
        let k = coeffs::RgbToYuv::new(matrix, range);
        kernels::rgb_to_i420(self.isa, src, dst, &k);
        Ok(())
    }
}

impl YuvToRgb for Native {
    fn i420_to_rgb(
        &self,
        src: &I420<'_>,
        dst: &mut ImageMut<'_>,
        matrix: Matrix,
        range: Range,
    ) -> Result<()> {
        checks::same_size(src.width(), src.height(), dst.width(), dst.height())?;
        let k = coeffs::YuvToRgb::new(matrix, range);
        kernels::i420_to_rgb(self.isa, src, dst, &k);
        Ok(())
    }
}

impl Resize for Native {
    fn resize_plane(&self, src: &Plane<'_>, dst: &mut PlaneMut<'_>) -> Result<()> {
        let raster = Raster {
            data: src.data(),
            width: src.width(),
            height: src.height(),
            stride: src.stride(),
        };
        let (w, h, s) = (dst.width(), dst.height(), dst.stride());
        kernels::resize(self.isa, &raster, dst.data_mut(), w, h, s, 1);
        Ok(())
    }

    fn resize_image(&self, src: &Image<'_>, dst: &mut ImageMut<'_>) -> Result<()> {
        checks::same_format(src.format(), dst.format())?;
        let raster = Raster {
            data: src.data(),
            width: src.width(),
            height: src.height(),
            stride: src.stride(),
        };
        let (w, h, s) = (dst.width(), dst.height(), dst.stride());
        let channels = src.format().bytes_per_pixel();
        kernels::resize(self.isa, &raster, dst.data_mut(), w, h, s, channels);
        Ok(())
    }
}
