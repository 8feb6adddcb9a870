//! Decoded pictures: [`Frame`] (what a decoder returns; it holds the library's
//! reference-counted buffer where the library has one, so no pixel is copied), the
//! borrowed view [`Picture`] with its [`Plane`]s, and the owned copy [`OwnedPicture`].

use std::fmt;

use crate::error::{Error, ErrorKind, Result};

/// How the chroma planes are subsampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChromaSampling {
    /// Luma only (no U and V planes).
    Monochrome,
    /// 4:2:0: chroma at half width and half height.
    Cs420,
    /// 4:2:2: chroma at half width, full height.
    Cs422,
    /// 4:4:4: chroma at full resolution.
    Cs444,
}

impl ChromaSampling {
    /// log2 of the (horizontal, vertical) chroma subsampling; `(0, 0)` for monochrome.
    pub const fn shifts(self) -> (u32, u32) {
        match self {
            ChromaSampling::Monochrome | ChromaSampling::Cs444 => (0, 0),
            ChromaSampling::Cs420 => (1, 1),
            ChromaSampling::Cs422 => (1, 0),
        }
    }

    #[cfg_attr(
        not(any(feature = "aom", feature = "vpx", feature = "avcodec")),
        allow(dead_code)
    )]
    pub(crate) fn from_shifts(backend: &'static str, mono: bool, x: u32, y: u32) -> Result<Self> {
        Ok(match (mono, x, y) {
            (true, _, _) => ChromaSampling::Monochrome,
            (false, 1, 1) => ChromaSampling::Cs420,
            (false, 1, 0) => ChromaSampling::Cs422,
            (false, 0, 0) => ChromaSampling::Cs444,
            _ => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    backend,
                    format!("chroma subsampling shifts ({x}, {y}) are not 4:2:0, 4:2:2 or 4:4:4"),
                ))
            }
        })
    }

    /// The number of planes: 1 for monochrome, else 3.
    pub const fn planes(self) -> usize {
        match self {
            ChromaSampling::Monochrome => 1,
            _ => 3,
        }
    }
}

/// Colour description as the stream signals it, in ITU-T H.273 (CICP) code points:
/// 2 means "unspecified" (VP9 signals only the matrix; its primaries and transfer are
/// always 2 here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ColorInfo {
    /// Colour primaries (1 = BT.709, 9 = BT.2020, ...).
    pub primaries: u8,
    /// Transfer characteristics (1 = BT.709, 16 = PQ, 18 = HLG, ...).
    pub transfer: u8,
    /// Matrix coefficients (0 = identity/RGB, 1 = BT.709, 6 = BT.601, 9 = BT.2020 NCL, ...).
    pub matrix: u8,
    /// Full-range samples (0–255 for 8 bits) rather than limited/studio range (16–235).
    pub full_range: bool,
}

impl ColorInfo {
    /// Everything unspecified, limited range.
    pub const UNSPECIFIED: ColorInfo = ColorInfo {
        primaries: 2,
        transfer: 2,
        matrix: 2,
        full_range: false,
    };

    pub(crate) fn from_c(primaries: i32, transfer: i32, matrix: i32, full_range: bool) -> Self {
        let code = |v: i32| u8::try_from(v).unwrap_or(2);
        ColorInfo {
            primaries: code(primaries),
            transfer: code(transfer),
            matrix: code(matrix),
            full_range,
        }
    }
}

/// The samples of one plane: bytes for 8-bit pictures, `u16` (value in the low bits)
/// for deeper ones.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Samples<'a> {
    /// 8-bit samples.
    U8(&'a [u8]),
    /// 9- to 16-bit samples, one `u16` each.
    U16(&'a [u16]),
}

impl fmt::Debug for Samples<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Samples::U8(s) => write!(f, "U8([{} samples])", s.len()),
            Samples::U16(s) => write!(f, "U16([{} samples])", s.len()),
        }
    }
}

/// One plane of a [`Picture`]: `height` rows of `width` samples, `stride` samples apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plane<'a> {
    samples: Samples<'a>,
    width: usize,
    height: usize,
    stride: usize,
}

impl<'a> Plane<'a> {
    /// Width in samples.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// Samples (not bytes) from the start of one row to the next (≥ `width`).
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// All samples: `stride * (height - 1) + width` of them, padding between rows
    /// included.
    pub fn samples(&self) -> Samples<'a> {
        self.samples
    }

    /// Row `y` of an 8-bit plane (`width` samples), or `None` when `y` is out of range
    /// or the plane holds `u16` samples.
    pub fn row_u8(&self, y: usize) -> Option<&'a [u8]> {
        match self.samples {
            Samples::U8(s) if y < self.height => Some(&s[y * self.stride..][..self.width]),
            _ => None,
        }
    }

    /// Row `y` of a deep plane (`width` samples), or `None` when `y` is out of range or
    /// the plane holds bytes.
    pub fn row_u16(&self, y: usize) -> Option<&'a [u16]> {
        match self.samples {
            Samples::U16(s) if y < self.height => Some(&s[y * self.stride..][..self.width]),
            _ => None,
        }
    }

    /// Sample `(x, y)` widened to `u16`, or `None` out of range.
    pub fn get(&self, x: usize, y: usize) -> Option<u16> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let i = y * self.stride + x;
        Some(match self.samples {
            Samples::U8(s) => u16::from(s[i]),
            Samples::U16(s) => s[i],
        })
    }

    /// The plane's rows packed without padding (`width * height` samples, widened to
    /// `u16`); handy for comparisons.
    pub fn to_vec_u16(&self) -> Vec<u16> {
        let mut out = Vec::with_capacity(self.width * self.height);
        for y in 0..self.height {
            match self.samples {
                Samples::U8(s) => out.extend(
                    s[y * self.stride..][..self.width]
                        .iter()
                        .map(|&v| u16::from(v)),
                ),
                Samples::U16(s) => out.extend_from_slice(&s[y * self.stride..][..self.width]),
            }
        }
        out
    }
}

/// A borrowed view of a decoded picture: planes Y, U, V (U and V absent for
/// monochrome), size, subsampling, bit depth, colour description and timestamp.
///
/// ```
/// use arsenal_video::{ChromaSampling, ColorInfo, OwnedPicture};
/// let owned = OwnedPicture::new_u8(4, 2, ChromaSampling::Cs420, ColorInfo::UNSPECIFIED, Some(7),
///     [vec![1; 8], vec![2; 2], vec![3; 2]])?;
/// let picture = owned.picture();
/// assert_eq!((picture.width(), picture.height(), picture.bit_depth()), (4, 2, 8));
/// assert_eq!(picture.plane(1).unwrap().width(), 2);
/// assert_eq!(picture.plane(0).unwrap().row_u8(1), Some(&[1u8; 4][..]));
/// assert_eq!(picture.timestamp(), Some(7));
/// # Ok::<(), arsenal_video::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Picture<'a> {
    planes: [Option<Plane<'a>>; 3],
    width: u32,
    height: u32,
    bit_depth: u8,
    chroma: ChromaSampling,
    color: ColorInfo,
    timestamp: Option<i64>,
}

impl<'a> Picture<'a> {
    /// Width of the luma plane in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height of the luma plane in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bits per sample: 8 (samples are `u8`) or more (samples are `u16`).
    pub fn bit_depth(&self) -> u8 {
        self.bit_depth
    }

    /// Chroma subsampling.
    pub fn chroma(&self) -> ChromaSampling {
        self.chroma
    }

    /// The colour description the stream signals.
    pub fn color(&self) -> ColorInfo {
        self.color
    }

    /// The timestamp given with the compressed data this picture came from.
    pub fn timestamp(&self) -> Option<i64> {
        self.timestamp
    }

    /// Plane `index` (0 = Y, 1 = U, 2 = V), or `None` (index ≥ 3, or chroma of a
    /// monochrome picture).
    pub fn plane(&self, index: usize) -> Option<Plane<'a>> {
        self.planes.get(index).copied().flatten()
    }

    /// The present planes in order.
    pub fn planes(&self) -> impl Iterator<Item = Plane<'a>> + '_ {
        self.planes.iter().flatten().copied()
    }

    /// Bytes of sample data (no padding): what the picture weighs once packed.
    pub fn data_bytes(&self) -> usize {
        let bytes = if self.bit_depth > 8 { 2 } else { 1 };
        self.planes().map(|p| p.width * p.height * bytes).sum()
    }

    /// An owned, packed copy.
    pub fn to_owned(&self) -> OwnedPicture {
        let mut planes: [PlaneData; 3] = Default::default();
        for (i, plane) in self.planes().enumerate() {
            planes[i] = match plane.samples {
                Samples::U8(s) => {
                    let mut v = Vec::with_capacity(plane.width * plane.height);
                    for y in 0..plane.height {
                        v.extend_from_slice(&s[y * plane.stride..][..plane.width]);
                    }
                    PlaneData::U8(v)
                }
                Samples::U16(s) => {
                    let mut v = Vec::with_capacity(plane.width * plane.height);
                    for y in 0..plane.height {
                        v.extend_from_slice(&s[y * plane.stride..][..plane.width]);
                    }
                    PlaneData::U16(v)
                }
            };
        }
        OwnedPicture {
            planes,
            width: self.width,
            height: self.height,
            bit_depth: self.bit_depth,
            chroma: self.chroma,
            color: self.color,
            timestamp: self.timestamp,
        }
    }
}

/// The packed samples of one plane of an [`OwnedPicture`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum PlaneData {
    #[default]
    Absent,
    U8(Vec<u8>),
    U16(Vec<u16>),
}

/// An owned decoded picture with packed planes (stride = width).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedPicture {
    planes: [PlaneData; 3],
    width: u32,
    height: u32,
    bit_depth: u8,
    chroma: ChromaSampling,
    color: ColorInfo,
    timestamp: Option<i64>,
}

fn plane_dims(width: u32, height: u32, chroma: ChromaSampling, index: usize) -> (usize, usize) {
    let (sx, sy) = if index == 0 { (0, 0) } else { chroma.shifts() };
    let w = (u64::from(width) + (1 << sx) - 1) >> sx;
    let h = (u64::from(height) + (1 << sy) - 1) >> sy;
    (w as usize, h as usize)
}

fn check_size(backend: &'static str, width: u32, height: u32) -> Result<()> {
    if width == 0 || height == 0 || width > 65_536 || height > 65_536 {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            backend,
            format!("picture size {width}×{height} is not within 1..=65536"),
        ));
    }
    Ok(())
}

impl OwnedPicture {
    /// An 8-bit picture from packed planes (Y, U, V; U and V empty for monochrome).
    /// `ErrorKind::InvalidArgument` when a plane's length is not its packed size.
    pub fn new_u8(
        width: u32,
        height: u32,
        chroma: ChromaSampling,
        color: ColorInfo,
        timestamp: Option<i64>,
        planes: [Vec<u8>; 3],
    ) -> Result<OwnedPicture> {
        Self::build(
            width,
            height,
            8,
            chroma,
            color,
            timestamp,
            planes.map(PlaneData::U8),
        )
    }

    /// A 9- to 16-bit picture from packed `u16` planes (values below `1 << bit_depth`).
    pub fn new_u16(
        width: u32,
        height: u32,
        bit_depth: u8,
        chroma: ChromaSampling,
        color: ColorInfo,
        timestamp: Option<i64>,
        planes: [Vec<u16>; 3],
    ) -> Result<OwnedPicture> {
        if !(9..=16).contains(&bit_depth) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "picture",
                format!("bit depth {bit_depth} of u16 samples is not within 9..=16"),
            ));
        }
        let max = u32::from(u16::MAX) >> (16 - u32::from(bit_depth));
        if let Some(bad) = planes.iter().flatten().find(|&&v| u32::from(v) > max) {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                "picture",
                format!("sample {bad} exceeds {bit_depth} bits"),
            ));
        }
        Self::build(
            width,
            height,
            bit_depth,
            chroma,
            color,
            timestamp,
            planes.map(PlaneData::U16),
        )
    }

    fn build(
        width: u32,
        height: u32,
        bit_depth: u8,
        chroma: ChromaSampling,
        color: ColorInfo,
        timestamp: Option<i64>,
        mut planes: [PlaneData; 3],
    ) -> Result<OwnedPicture> {
        check_size("picture", width, height)?;
        for (i, plane) in planes.iter_mut().enumerate() {
            let len = match plane {
                PlaneData::U8(v) => v.len(),
                PlaneData::U16(v) => v.len(),
                PlaneData::Absent => 0,
            };
            if i >= chroma.planes() {
                if len != 0 {
                    return Err(Error::new(
                        ErrorKind::InvalidArgument,
                        "picture",
                        "a monochrome picture has no chroma planes",
                    ));
                }
                *plane = PlaneData::Absent;
                continue;
            }
            let (w, h) = plane_dims(width, height, chroma, i);
            if len != w * h {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "picture",
                    format!("plane {i} has {len} samples, expected {w}×{h}"),
                ));
            }
        }
        Ok(OwnedPicture {
            planes,
            width,
            height,
            bit_depth,
            chroma,
            color,
            timestamp,
        })
    }

    /// The borrowed view.
    pub fn picture(&self) -> Picture<'_> {
        let mut planes = [None; 3];
        for (i, data) in self.planes.iter().enumerate() {
            let (width, height) = plane_dims(self.width, self.height, self.chroma, i);
            let samples = match data {
                PlaneData::U8(v) => Samples::U8(v),
                PlaneData::U16(v) => Samples::U16(v),
                PlaneData::Absent => continue,
            };
            planes[i] = Some(Plane {
                samples,
                width,
                height,
                stride: width,
            });
        }
        Picture {
            planes,
            width: self.width,
            height: self.height,
            bit_depth: self.bit_depth,
            chroma: self.chroma,
            color: self.color,
            timestamp: self.timestamp,
        }
    }
}

/// A picture as a C library describes it: plane pointers and byte strides into memory
/// the library owns. Validated by [`RawPicture::validate`] before any view is made.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawPicture {
    pub planes: [*const u8; 3],
    /// Bytes between rows (validated non-negative).
    pub strides: [isize; 3],
    pub width: u32,
    pub height: u32,
    pub bit_depth: u32,
    pub bytes_per_sample: u32,
    pub chroma: ChromaSampling,
    pub color: ColorInfo,
    pub timestamp: Option<i64>,
}

impl RawPicture {
    /// Checks what the view relies on: size, depth, strides at least a row, non-null
    /// and aligned planes, and the pixel limit.
    pub fn validate(&self, backend: &'static str, max_pixels: u64) -> Result<()> {
        check_size(backend, self.width, self.height)?;
        let pixels = u64::from(self.width) * u64::from(self.height);
        if pixels > max_pixels {
            return Err(Error::new(
                ErrorKind::OutputLimit,
                backend,
                format!(
                    "a {}×{} picture exceeds the limit of {max_pixels} pixels",
                    self.width, self.height
                ),
            ));
        }
        let bad = |what: String| Err(Error::new(ErrorKind::Unsupported, backend, what));
        match (self.bit_depth, self.bytes_per_sample) {
            (8, 1) | (9..=16, 2) | (8, 2) => {}
            (depth, bytes) => return bad(format!("{depth}-bit samples in {bytes} bytes")),
        }
        for i in 0..self.chroma.planes() {
            let (w, _) = plane_dims(self.width, self.height, self.chroma, i);
            let row = w * self.bytes_per_sample as usize;
            let p = self.planes[i];
            if p.is_null() || self.strides[i] < 0 || (self.strides[i] as usize) < row {
                return bad(format!(
                    "plane {i}: null or stride {} < row {row}",
                    self.strides[i]
                ));
            }
            if self.bytes_per_sample == 2
                && (p as usize % std::mem::align_of::<u16>() != 0 || self.strides[i] % 2 != 0)
            {
                return bad(format!("plane {i}: 16-bit samples not aligned"));
            }
        }
        Ok(())
    }

    /// The view.
    ///
    /// # Safety
    /// `validate` passed, and every plane's `stride * (rows - 1) + row bytes` bytes stay
    /// valid and unmodified for `'a`.
    pub unsafe fn view<'a>(&self) -> Picture<'a> {
        let mut planes = [None; 3];
        for (i, slot) in planes.iter_mut().enumerate().take(self.chroma.planes()) {
            let (width, height) = plane_dims(self.width, self.height, self.chroma, i);
            let bps = self.bytes_per_sample as usize;
            let stride = self.strides[i] as usize / bps;
            let len = stride * (height - 1) + width;
            let samples = if bps == 1 {
                // SAFETY: the caller guarantees `len` bytes from the plane pointer are
                // valid and unmodified for 'a (validate checked it is non-null).
                Samples::U8(unsafe { std::slice::from_raw_parts(self.planes[i], len) })
            } else {
                // SAFETY: as above, `len` u16 samples; validate checked the alignment.
                Samples::U16(unsafe { std::slice::from_raw_parts(self.planes[i].cast(), len) })
            };
            *slot = Some(Plane {
                samples,
                width,
                height,
                stride,
            });
        }
        Picture {
            planes,
            width: self.width,
            height: self.height,
            bit_depth: self.bit_depth as u8,
            chroma: self.chroma,
            color: self.color,
            timestamp: self.timestamp,
        }
    }

    /// A packed copy; 8-bit content in 16-bit buffers (libaom can do that) becomes `u8`.
    ///
    /// # Safety
    /// As [`RawPicture::view`], for the duration of the call.
    #[cfg_attr(not(any(feature = "aom", feature = "vpx")), allow(dead_code))]
    pub unsafe fn copy(&self) -> OwnedPicture {
        // SAFETY: forwarded to the caller.
        let view = unsafe { self.view() };
        let mut owned = view.to_owned();
        if self.bit_depth == 8 && self.bytes_per_sample == 2 {
            for plane in &mut owned.planes {
                if let PlaneData::U16(v) = plane {
                    *plane = PlaneData::U8(v.iter().map(|&s| s.min(255) as u8).collect());
                }
            }
        }
        owned
    }
}

/// Keeps a library's picture buffer alive (a reference it releases on drop).
pub(crate) trait KeepAlive: Send + Sync {}

enum Storage {
    Owned(OwnedPicture),
    #[cfg_attr(not(any(feature = "dav1d", feature = "avcodec")), allow(dead_code))]
    Shared {
        raw: RawPicture,
        _keep: Box<dyn KeepAlive>,
    },
}

/// A decoded picture as a decoder returns it. With dav1d and libavcodec it holds the
/// library's reference-counted picture (no pixel copied; the reference is released on
/// drop); libaom and libvpx reuse their buffers on the next call, so their frames are
/// copies. [`Frame::picture`] gives the view, [`Frame::to_owned`] an owned copy.
pub struct Frame {
    storage: Storage,
}

// SAFETY: a shared frame's pointers point into a buffer its `KeepAlive` holds a
// reference to (dav1d's and FFmpeg's reference counts are atomic, so the reference may
// be dropped on any thread), and the library never writes into a picture buffer while a
// reference to it is out (both libraries' documented contract). Views only read.
unsafe impl Send for Frame {}
// SAFETY: as for Send: every access through `&Frame` is a read of immutable memory.
unsafe impl Sync for Frame {}

impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.picture();
        f.debug_struct("Frame")
            .field("width", &p.width)
            .field("height", &p.height)
            .field("bit_depth", &p.bit_depth)
            .field("chroma", &p.chroma)
            .field("timestamp", &p.timestamp)
            .field("zero_copy", &self.is_zero_copy())
            .finish()
    }
}

impl From<OwnedPicture> for Frame {
    /// An owned picture as a frame (e.g. to hand synthetic pictures to code that takes
    /// decoder output).
    fn from(picture: OwnedPicture) -> Frame {
        Frame::owned(picture)
    }
}

impl Frame {
    pub(crate) fn owned(picture: OwnedPicture) -> Frame {
        Frame {
            storage: Storage::Owned(picture),
        }
    }

    /// # Safety
    /// `raw.validate` passed and `keep` keeps the described memory valid and unmodified
    /// until it is dropped.
    #[cfg_attr(not(any(feature = "dav1d", feature = "avcodec")), allow(dead_code))]
    pub(crate) unsafe fn shared(raw: RawPicture, keep: Box<dyn KeepAlive>) -> Frame {
        Frame {
            storage: Storage::Shared { raw, _keep: keep },
        }
    }

    /// The view of the picture.
    pub fn picture(&self) -> Picture<'_> {
        match &self.storage {
            Storage::Owned(p) => p.picture(),
            // SAFETY: validated at construction; `_keep` keeps the memory alive and
            // unmodified for as long as `self` is borrowed.
            Storage::Shared { raw, .. } => unsafe { raw.view() },
        }
    }

    /// An owned, packed copy of the picture.
    pub fn to_owned(&self) -> OwnedPicture {
        match &self.storage {
            Storage::Owned(p) => p.clone(),
            Storage::Shared { .. } => self.picture().to_owned(),
        }
    }

    /// The owned picture (copied only when the frame holds a library buffer).
    pub fn into_owned(self) -> OwnedPicture {
        match self.storage {
            Storage::Owned(p) => p,
            Storage::Shared { .. } => self.picture().to_owned(),
        }
    }

    /// Whether the frame holds the library's buffer (no copy was made).
    pub fn is_zero_copy(&self) -> bool {
        matches!(self.storage, Storage::Shared { .. })
    }

    /// Shorthand for `picture().timestamp()`.
    pub fn timestamp(&self) -> Option<i64> {
        self.picture().timestamp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_pictures_check_their_planes() {
        let c = ColorInfo::UNSPECIFIED;
        // 5×3 4:2:0: chroma 3×2.
        let ok = OwnedPicture::new_u16(
            5,
            3,
            10,
            ChromaSampling::Cs420,
            c,
            None,
            [vec![1023; 15], vec![0; 6], vec![0; 6]],
        )
        .unwrap();
        let p = ok.picture();
        assert_eq!(
            (p.plane(1).unwrap().width(), p.plane(1).unwrap().height()),
            (3, 2)
        );
        assert_eq!(p.data_bytes(), (15 + 12) * 2);
        assert_eq!(p.plane(0).unwrap().get(4, 2), Some(1023));
        assert_eq!(p.plane(0).unwrap().get(5, 0), None);
        assert_eq!(p.plane(0).unwrap().row_u8(0), None);
        assert!(OwnedPicture::new_u16(
            5,
            3,
            10,
            ChromaSampling::Cs420,
            c,
            None,
            [vec![1024; 15], vec![0; 6], vec![0; 6]]
        )
        .is_err());
        assert!(OwnedPicture::new_u16(
            5,
            3,
            8,
            ChromaSampling::Cs420,
            c,
            None,
            [vec![0; 15], vec![0; 6], vec![0; 6]]
        )
        .is_err());
        assert!(OwnedPicture::new_u8(
            5,
            3,
            ChromaSampling::Cs420,
            c,
            None,
            [vec![0; 15], vec![0; 4], vec![0; 6]]
        )
        .is_err());
        assert!(OwnedPicture::new_u8(
            0,
            3,
            ChromaSampling::Cs420,
            c,
            None,
            [vec![], vec![], vec![]]
        )
        .is_err());
        assert!(OwnedPicture::new_u8(
            u32::MAX,
            u32::MAX,
            ChromaSampling::Cs444,
            c,
            None,
            [vec![], vec![], vec![]]
        )
        .is_err());
        let mono = OwnedPicture::new_u8(
            2,
            2,
            ChromaSampling::Monochrome,
            c,
            Some(3),
            [vec![9; 4], vec![], vec![]],
        )
        .unwrap();
        assert_eq!(mono.picture().planes().count(), 1);
        assert!(OwnedPicture::new_u8(
            2,
            2,
            ChromaSampling::Monochrome,
            c,
            None,
            [vec![9; 4], vec![1], vec![]]
        )
        .is_err());
        let frame = Frame::from(mono.clone());
        assert!(!frame.is_zero_copy());
        assert_eq!(frame.timestamp(), Some(3));
        assert_eq!(frame.into_owned(), mono);
    }
}
