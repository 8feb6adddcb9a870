//! Checked image views: one 8-bit [`Plane`], packed [`Image`]s, [`I420`] frames, and
//! their owned buffers. Every size and stride computation is checked when a view is
//! made, so operations never index out of bounds.

use crate::error::{shape, ErrorKind, Result};

/// The largest width or height any view accepts (2¹⁶ pixels); larger is
/// [`ErrorKind::Dimensions`].
pub const MAX_DIMENSION: usize = 1 << 16;

/// The byte order of a packed 8-bit RGB image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PixelFormat {
    /// Bytes R, G, B (libyuv's `RAW`).
    Rgb24,
    /// Bytes R, G, B, A (libyuv's `ABGR`). Written with A = 255, A ignored when read.
    Rgba,
    /// Bytes B, G, R, A (libyuv's `ARGB`). Written with A = 255, A ignored when read.
    Bgra,
}

impl PixelFormat {
    /// Bytes per pixel: 3 or 4.
    ///
    /// ```
    /// assert_eq!(arsenal_color::PixelFormat::Rgb24.bytes_per_pixel(), 3);
    /// ```
    pub const fn bytes_per_pixel(self) -> usize {
        match self {
            PixelFormat::Rgb24 => 3,
            PixelFormat::Rgba | PixelFormat::Bgra => 4,
        }
    }

    /// The byte offsets of R, G and B within a pixel.
    pub(crate) const fn rgb_offsets(self) -> [usize; 3] {
        match self {
            PixelFormat::Rgb24 | PixelFormat::Rgba => [0, 1, 2],
            PixelFormat::Bgra => [2, 1, 0],
        }
    }
}

/// Checks a `width × height` layout of `bpp`-byte pixels with `stride` bytes between
/// rows in a buffer of `len` bytes.
pub(crate) fn check_layout(
    what: &str,
    len: usize,
    width: usize,
    height: usize,
    stride: usize,
    bpp: usize,
) -> Result<()> {
    if width == 0 || height == 0 {
        return Err(shape(
            ErrorKind::Dimensions,
            format!("{what}: empty image ({width}×{height})"),
        ));
    }
    if width > MAX_DIMENSION || height > MAX_DIMENSION {
        return Err(shape(
            ErrorKind::Dimensions,
            format!("{what}: {width}×{height} exceeds {MAX_DIMENSION} pixels a side"),
        ));
    }
    let row = width
        .checked_mul(bpp)
        .ok_or_else(|| shape(ErrorKind::Stride, format!("{what}: row size overflows")))?;
    if stride < row {
        return Err(shape(
            ErrorKind::Stride,
            format!("{what}: stride {stride} is smaller than a row ({row} bytes)"),
        ));
    }
    let need = stride
        .checked_mul(height - 1)
        .and_then(|v| v.checked_add(row))
        .ok_or_else(|| {
            shape(
                ErrorKind::Stride,
                format!("{what}: stride {stride} × {height} rows overflows"),
            )
        })?;
    if len < need {
        return Err(shape(
            ErrorKind::BufferTooShort,
            format!("{what}: buffer of {len} bytes, {need} needed"),
        ));
    }
    Ok(())
}

/// `(width + 1) / 2`: the chroma size of a 4:2:0 dimension (odd sizes round up).
pub const fn chroma_size(luma: usize) -> usize {
    luma / 2 + luma % 2
}

/// A read-only 8-bit plane: `height` rows of `width` bytes, `stride` bytes apart.
///
/// ```
/// use arsenal_color::Plane;
/// let data = [0u8; 10];
/// let plane = Plane::new(&data, 3, 2, 5)?; // rows at 0 and 5
/// assert_eq!(plane.width(), 3);
/// assert!(Plane::new(&data, 3, 3, 5).is_err()); // needs 13 bytes
/// # Ok::<(), arsenal_color::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Plane<'a> {
    data: &'a [u8],
    width: usize,
    height: usize,
    stride: usize,
}

impl<'a> Plane<'a> {
    /// A view of `data`; [`ErrorKind::Dimensions`] for a zero or oversized dimension,
    /// [`ErrorKind::Stride`] for `stride < width` or an overflowing size,
    /// [`ErrorKind::BufferTooShort`] when `data` is shorter than `stride × (height − 1) + width`.
    pub fn new(data: &'a [u8], width: usize, height: usize, stride: usize) -> Result<Self> {
        check_layout("plane", data.len(), width, height, stride, 1)?;
        Ok(Plane {
            data,
            width,
            height,
            stride,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Bytes from one row to the next.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// The whole buffer.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Row `y` (`width` bytes). Panics when `y >= height`.
    pub fn row(&self, y: usize) -> &'a [u8] {
        &self.data[y * self.stride..][..self.width]
    }
}

/// A writable 8-bit plane (see [`Plane`]).
#[derive(Debug)]
pub struct PlaneMut<'a> {
    data: &'a mut [u8],
    width: usize,
    height: usize,
    stride: usize,
}

impl<'a> PlaneMut<'a> {
    /// A writable view of `data`, checked as [`Plane::new`].
    ///
    /// ```
    /// let mut data = vec![0u8; 4];
    /// let plane = arsenal_color::PlaneMut::new(&mut data, 2, 2, 2)?;
    /// assert_eq!(plane.as_plane().height(), 2);
    /// # Ok::<(), arsenal_color::Error>(())
    /// ```
    pub fn new(data: &'a mut [u8], width: usize, height: usize, stride: usize) -> Result<Self> {
        check_layout("plane", data.len(), width, height, stride, 1)?;
        Ok(PlaneMut {
            data,
            width,
            height,
            stride,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Bytes from one row to the next.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// A read-only view of the same plane.
    pub fn as_plane(&self) -> Plane<'_> {
        Plane {
            data: self.data,
            width: self.width,
            height: self.height,
            stride: self.stride,
        }
    }

    /// The whole buffer.
    pub fn data_mut(&mut self) -> &mut [u8] {
        self.data
    }

    /// Row `y` (`width` bytes). Panics when `y >= height`.
    pub fn row_mut(&mut self, y: usize) -> &mut [u8] {
        &mut self.data[y * self.stride..][..self.width]
    }
}

/// A read-only packed RGB image: `height` rows of `width` pixels in `format`,
/// `stride` bytes apart.
///
/// ```
/// use arsenal_color::{Image, PixelFormat};
/// let data = vec![0u8; 4 * 3 * 2];
/// let image = Image::packed(&data, 4, 2, PixelFormat::Rgb24)?;
/// assert_eq!(image.stride(), 12);
/// # Ok::<(), arsenal_color::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Image<'a> {
    data: &'a [u8],
    width: usize,
    height: usize,
    stride: usize,
    format: PixelFormat,
}

impl<'a> Image<'a> {
    /// A view of `data`; errors as [`Plane::new`] with rows of `width × bytes_per_pixel` bytes.
    pub fn new(
        data: &'a [u8],
        width: usize,
        height: usize,
        stride: usize,
        format: PixelFormat,
    ) -> Result<Self> {
        check_layout(
            "image",
            data.len(),
            width,
            height,
            stride,
            format.bytes_per_pixel(),
        )?;
        Ok(Image {
            data,
            width,
            height,
            stride,
            format,
        })
    }

    /// A view of rows packed back to back (`stride = width × bytes_per_pixel`).
    pub fn packed(
        data: &'a [u8],
        width: usize,
        height: usize,
        format: PixelFormat,
    ) -> Result<Self> {
        let stride = width.saturating_mul(format.bytes_per_pixel());
        Image::new(data, width, height, stride, format)
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Bytes from one row to the next.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// The pixel format.
    pub fn format(&self) -> PixelFormat {
        self.format
    }

    /// The whole buffer.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Row `y` (`width × bytes_per_pixel` bytes). Panics when `y >= height`.
    pub fn row(&self, y: usize) -> &'a [u8] {
        &self.data[y * self.stride..][..self.width * self.format.bytes_per_pixel()]
    }
}

/// A writable packed RGB image (see [`Image`]).
#[derive(Debug)]
pub struct ImageMut<'a> {
    data: &'a mut [u8],
    width: usize,
    height: usize,
    stride: usize,
    format: PixelFormat,
}

impl<'a> ImageMut<'a> {
    /// A writable view of `data`, checked as [`Image::new`].
    pub fn new(
        data: &'a mut [u8],
        width: usize,
        height: usize,
        stride: usize,
        format: PixelFormat,
    ) -> Result<Self> {
        check_layout(
            "image",
            data.len(),
            width,
            height,
            stride,
            format.bytes_per_pixel(),
        )?;
        Ok(ImageMut {
            data,
            width,
            height,
            stride,
            format,
        })
    }

    /// A writable view of rows packed back to back.
    ///
    /// ```
    /// use arsenal_color::{ImageMut, PixelFormat};
    /// let mut data = vec![0u8; 16];
    /// assert!(ImageMut::packed(&mut data, 2, 2, PixelFormat::Rgba).is_ok());
    /// assert!(ImageMut::packed(&mut data, 3, 2, PixelFormat::Rgba).is_err());
    /// ```
    pub fn packed(
        data: &'a mut [u8],
        width: usize,
        height: usize,
        format: PixelFormat,
    ) -> Result<Self> {
        let stride = width.saturating_mul(format.bytes_per_pixel());
        ImageMut::new(data, width, height, stride, format)
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Bytes from one row to the next.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// The pixel format.
    pub fn format(&self) -> PixelFormat {
        self.format
    }

    /// A read-only view of the same image.
    pub fn as_image(&self) -> Image<'_> {
        Image {
            data: self.data,
            width: self.width,
            height: self.height,
            stride: self.stride,
            format: self.format,
        }
    }

    /// The whole buffer.
    pub fn data_mut(&mut self) -> &mut [u8] {
        self.data
    }

    /// Row `y` (`width × bytes_per_pixel` bytes). Panics when `y >= height`.
    pub fn row_mut(&mut self, y: usize) -> &mut [u8] {
        let bytes = self.width * self.format.bytes_per_pixel();
        &mut self.data[y * self.stride..][..bytes]
    }
}

fn check_chroma(y: (usize, usize), u: (usize, usize), v: (usize, usize)) -> Result<()> {
    let want = (chroma_size(y.0), chroma_size(y.1));
    if u != want || v != want {
        return Err(shape(
            ErrorKind::Dimensions,
            format!(
                "I420 chroma planes must be {}×{} for a {}×{} luma plane, got U {}×{} and V {}×{}",
                want.0, want.1, y.0, y.1, u.0, u.1, v.0, v.1
            ),
        ));
    }
    Ok(())
}

/// A read-only I420 frame (planar 4:2:0): a luma plane of `width × height` and two
/// chroma planes of `(width+1)/2 × (height+1)/2` (odd sizes round up).
///
/// ```
/// use arsenal_color::{I420, Plane};
/// let (y, u, v) = ([16u8; 6], [128u8; 2], [128u8; 2]);
/// let frame = I420::new(Plane::new(&y, 3, 2, 3)?, Plane::new(&u, 2, 1, 2)?, Plane::new(&v, 2, 1, 2)?)?;
/// assert_eq!((frame.width(), frame.height()), (3, 2));
/// # Ok::<(), arsenal_color::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct I420<'a> {
    /// Luma.
    pub(crate) y: Plane<'a>,
    /// Cb.
    pub(crate) u: Plane<'a>,
    /// Cr.
    pub(crate) v: Plane<'a>,
}

impl<'a> I420<'a> {
    /// A frame from its planes; [`ErrorKind::Dimensions`] unless U and V are
    /// `(w+1)/2 × (h+1)/2` for a `w × h` luma plane.
    pub fn new(y: Plane<'a>, u: Plane<'a>, v: Plane<'a>) -> Result<Self> {
        check_chroma(
            (y.width, y.height),
            (u.width, u.height),
            (v.width, v.height),
        )?;
        Ok(I420 { y, u, v })
    }

    /// A frame stored contiguously: Y (`w×h`), then U, then V (`(w+1)/2 × (h+1)/2` each),
    /// every row packed — the layout of [`I420Buf`] and of most raw `.yuv` files.
    pub fn packed(data: &'a [u8], width: usize, height: usize) -> Result<Self> {
        let (ylen, clen) = i420_plane_lens(width, height)?;
        let (cw, ch) = (chroma_size(width), chroma_size(height));
        let total = ylen + 2 * clen;
        if data.len() < total {
            return Err(shape(
                ErrorKind::BufferTooShort,
                format!(
                    "I420 {width}×{height}: buffer of {} bytes, {total} needed",
                    data.len()
                ),
            ));
        }
        I420::new(
            Plane::new(&data[..ylen], width, height, width)?,
            Plane::new(&data[ylen..ylen + clen], cw, ch, cw)?,
            Plane::new(&data[ylen + clen..total], cw, ch, cw)?,
        )
    }

    /// Luma width.
    pub fn width(&self) -> usize {
        self.y.width
    }

    /// Luma height.
    pub fn height(&self) -> usize {
        self.y.height
    }

    /// The luma plane.
    pub fn y(&self) -> Plane<'a> {
        self.y
    }

    /// The Cb plane.
    pub fn u(&self) -> Plane<'a> {
        self.u
    }

    /// The Cr plane.
    pub fn v(&self) -> Plane<'a> {
        self.v
    }
}

/// A writable I420 frame (see [`I420`]).
#[derive(Debug)]
pub struct I420Mut<'a> {
    pub(crate) y: PlaneMut<'a>,
    pub(crate) u: PlaneMut<'a>,
    pub(crate) v: PlaneMut<'a>,
}

impl<'a> I420Mut<'a> {
    /// A frame from its planes, checked as [`I420::new`].
    pub fn new(y: PlaneMut<'a>, u: PlaneMut<'a>, v: PlaneMut<'a>) -> Result<Self> {
        check_chroma(
            (y.width, y.height),
            (u.width, u.height),
            (v.width, v.height),
        )?;
        Ok(I420Mut { y, u, v })
    }

    /// A contiguous frame (see [`I420::packed`]).
    pub fn packed(data: &'a mut [u8], width: usize, height: usize) -> Result<Self> {
        let (ylen, clen) = i420_plane_lens(width, height)?;
        let (cw, ch) = (chroma_size(width), chroma_size(height));
        let total = ylen + 2 * clen;
        if data.len() < total {
            return Err(shape(
                ErrorKind::BufferTooShort,
                format!(
                    "I420 {width}×{height}: buffer of {} bytes, {total} needed",
                    data.len()
                ),
            ));
        }
        let (y, rest) = data[..total].split_at_mut(ylen);
        let (u, v) = rest.split_at_mut(clen);
        I420Mut::new(
            PlaneMut::new(y, width, height, width)?,
            PlaneMut::new(u, cw, ch, cw)?,
            PlaneMut::new(v, cw, ch, cw)?,
        )
    }

    /// Luma width.
    pub fn width(&self) -> usize {
        self.y.width
    }

    /// Luma height.
    pub fn height(&self) -> usize {
        self.y.height
    }

    /// A read-only view of the same frame.
    pub fn as_i420(&self) -> I420<'_> {
        I420 {
            y: self.y.as_plane(),
            u: self.u.as_plane(),
            v: self.v.as_plane(),
        }
    }

    /// The three planes, writable.
    pub fn planes_mut(&mut self) -> (&mut PlaneMut<'a>, &mut PlaneMut<'a>, &mut PlaneMut<'a>) {
        (&mut self.y, &mut self.u, &mut self.v)
    }
}

/// The byte lengths of a packed I420 frame's luma plane and of one chroma plane.
fn i420_plane_lens(width: usize, height: usize) -> Result<(usize, usize)> {
    check_layout("I420 frame", usize::MAX, width, height, width, 1)?;
    let overflow = || {
        shape(
            ErrorKind::Stride,
            format!("I420 {width}×{height}: size overflows"),
        )
    };
    let luma = width.checked_mul(height).ok_or_else(overflow)?;
    let chroma = chroma_size(width) * chroma_size(height);
    // The whole frame (luma + 2 chroma) must fit too.
    luma.checked_add(chroma)
        .and_then(|v| v.checked_add(chroma))
        .ok_or_else(overflow)?;
    Ok((luma, chroma))
}

/// The bytes of a packed I420 frame of `width × height`: `w·h + 2·((w+1)/2)·((h+1)/2)`.
///
/// ```
/// assert_eq!(arsenal_color::i420_len(3, 3)?, 9 + 2 * 4);
/// assert!(arsenal_color::i420_len(0, 3).is_err());
/// # Ok::<(), arsenal_color::Error>(())
/// ```
pub fn i420_len(width: usize, height: usize) -> Result<usize> {
    let (ylen, clen) = i420_plane_lens(width, height)?;
    Ok(ylen + 2 * clen)
}

/// An owned, contiguous I420 frame (layout of [`I420::packed`]).
///
/// ```
/// let mut frame = arsenal_color::I420Buf::new(640, 360)?;
/// assert_eq!(frame.as_bytes().len(), 640 * 360 * 3 / 2);
/// let _ = frame.view_mut();
/// # Ok::<(), arsenal_color::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct I420Buf {
    data: Vec<u8>,
    width: usize,
    height: usize,
}

impl I420Buf {
    /// A zeroed frame; errors as [`i420_len`].
    pub fn new(width: usize, height: usize) -> Result<Self> {
        Ok(I420Buf {
            data: vec![0; i420_len(width, height)?],
            width,
            height,
        })
    }

    /// Luma width.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Luma height.
    pub fn height(&self) -> usize {
        self.height
    }

    /// A read-only view.
    pub fn view(&self) -> I420<'_> {
        I420::packed(&self.data, self.width, self.height).expect("checked at construction")
    }

    /// A writable view.
    pub fn view_mut(&mut self) -> I420Mut<'_> {
        I420Mut::packed(&mut self.data, self.width, self.height).expect("checked at construction")
    }

    /// Y, then U, then V.
    pub fn as_bytes(&self) -> &[u8] {
        &self.data
    }
}

/// An owned packed RGB image (rows back to back).
///
/// ```
/// use arsenal_color::{ImageBuf, PixelFormat};
/// let image = ImageBuf::new(2, 2, PixelFormat::Rgba)?;
/// assert_eq!(image.as_bytes().len(), 16);
/// # Ok::<(), arsenal_color::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageBuf {
    data: Vec<u8>,
    width: usize,
    height: usize,
    format: PixelFormat,
}

impl ImageBuf {
    /// A zeroed image; [`ErrorKind::Dimensions`] for a zero or oversized dimension.
    pub fn new(width: usize, height: usize, format: PixelFormat) -> Result<Self> {
        let bpp = format.bytes_per_pixel();
        check_layout(
            "image",
            usize::MAX,
            width,
            height,
            width.saturating_mul(bpp),
            bpp,
        )?;
        let len = (width * bpp).checked_mul(height).ok_or_else(|| {
            shape(
                ErrorKind::Stride,
                format!("image {width}×{height}: size overflows"),
            )
        })?;
        Ok(ImageBuf {
            data: vec![0; len],
            width,
            height,
            format,
        })
    }

    /// Wraps packed pixels; errors as [`Image::packed`], and [`ErrorKind::BufferTooShort`]
    /// unless `data` is exactly `width × height × bytes_per_pixel` long.
    pub fn from_vec(
        data: Vec<u8>,
        width: usize,
        height: usize,
        format: PixelFormat,
    ) -> Result<Self> {
        let image = Image::packed(&data, width, height, format)?;
        // The view proved stride × (height − 1) + stride ≤ len + stride: no overflow.
        if data.len() != image.stride() * height {
            return Err(shape(
                ErrorKind::BufferTooShort,
                format!(
                    "image {width}×{height}: {} bytes, not exactly one image",
                    data.len()
                ),
            ));
        }
        Ok(ImageBuf {
            data,
            width,
            height,
            format,
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The pixel format.
    pub fn format(&self) -> PixelFormat {
        self.format
    }

    /// A read-only view.
    pub fn view(&self) -> Image<'_> {
        Image::packed(&self.data, self.width, self.height, self.format)
            .expect("checked at construction")
    }

    /// A writable view.
    pub fn view_mut(&mut self) -> ImageMut<'_> {
        ImageMut::packed(&mut self.data, self.width, self.height, self.format)
            .expect("checked at construction")
    }

    /// The pixels.
    pub fn as_bytes(&self) -> &[u8] {
        &self.data
    }

    /// The pixels, by value.
    pub fn into_vec(self) -> Vec<u8> {
        self.data
    }
}
