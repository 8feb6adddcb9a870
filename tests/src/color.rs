//! The colour conversion and scaling conformance suite (`arsenal-color`), run once per
//! backend by [`color_conformance!`](crate::color_conformance), and the `f64` references
//! the benchmark verifies its cells against.
//!
//! References (all in `f64`, rounded half up at the end):
//! - [`ref_rgb_to_i420`]: the BT.601/BT.709 equations of the crate docs; chroma from the
//!   RGB average of each 2×2 block (of the pixels it has on odd sizes);
//! - [`ref_i420_to_rgb`]: the inverse equations, clamped to `0..=255`;
//! - [`ref_resize`]: pixel-centre bilinear, `p = (i + ½)·S/D − ½` clamped to `[0, S−1]`,
//!   exact weights.
//!
//! Each backend states its bounds in a [`Profile`] ([`NATIVE`], [`LIBYUV`]) and its
//! documented gaps, which must be [`ErrorKind::Unsupported`] — anything else must work.

use arsenal_color::{
    chroma_size, ColorConverter, ErrorKind, I420Buf, I420Mut, Image, ImageBuf, ImageMut, Matrix,
    PixelFormat, Plane, PlaneMut, Range, I420,
};

/// Every matrix.
pub const MATRICES: [Matrix; 2] = [Matrix::Bt601, Matrix::Bt709];
/// Every range.
pub const RANGES: [Range; 2] = [Range::Limited, Range::Full];
/// Every packed format.
pub const FORMATS: [PixelFormat; 3] = [PixelFormat::Rgb24, PixelFormat::Rgba, PixelFormat::Bgra];

/// A backend's error bounds (max absolute difference in 8-bit codes) and gaps.
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    /// RGB → I420 against [`ref_rgb_to_i420`] (Y, U and V).
    pub rgb_to_yuv: u8,
    /// I420 → RGB against [`ref_i420_to_rgb`], per matrix and range (every code,
    /// out-of-gamut ones included).
    pub yuv_to_rgb: fn(Matrix, Range) -> u8,
    /// RGB → I420 → RGB on images whose 2×2 blocks are one colour, full range.
    pub round_trip_full: u8,
    /// The same, limited range (219/224 levels lose more).
    pub round_trip_limited: u8,
    /// Resize against [`ref_resize`] when upscaling by exactly 2 (a smooth gradient).
    pub resize_up2: u8,
    /// Resize against [`ref_resize`] on the smooth test image, any ratio: max.
    pub resize_max: u8,
    /// The same: mean absolute difference.
    pub resize_mean: f64,
    /// The grid the resize is compared on (the 2× test always uses [`Grid::Centres`] in
    /// the interior, where both grids differ by a quarter pixel at most).
    pub grid: Grid,
    /// RGB → YUV with BT.709 is a documented gap (`Unsupported`).
    pub no_bt709_rgb_to_yuv: bool,
    /// Resizing RGB24 images is a documented gap.
    pub no_rgb24_resize: bool,
}

/// The native backend: within 1 LSB of the `f64` equations, resize exact on 2× up.
pub const NATIVE: Profile = Profile {
    rgb_to_yuv: 1,
    yuv_to_rgb: |_, _| 1,
    round_trip_full: 2,
    round_trip_limited: 2,
    resize_up2: 0,
    resize_max: 1,
    resize_mean: 0.5,
    grid: Grid::Centres,
    no_bt709_rgb_to_yuv: false,
    no_rgb24_resize: false,
};

/// libyuv: 7/8-bit coefficients and averages of averages for chroma (RGB → YUV), 6-bit
/// chroma coefficients (YUV → RGB), and its own bilinear grid (corners aligned when
/// upscaling; compared on [`Grid::Libyuv`]) with 8-bit fractions — measured bounds.
pub const LIBYUV: Profile = Profile {
    rgb_to_yuv: 2,
    // libyuv's SIMD rows hold the U→B coefficient in a signed byte (×64): BT.709 limited
    // range's 2.112 is clamped to 2.0 (B off by up to 0.112·112 ≈ 13 for saturated
    // blue and yellow) and BT.601 limited's 2.018 likewise (≈ 2).
    yuv_to_rgb: |matrix, range| match (matrix, range) {
        (Matrix::Bt709, Range::Limited) => 14,
        _ => 3,
    },
    round_trip_full: 3,
    round_trip_limited: 4,
    resize_up2: 1,
    resize_max: 5,
    resize_mean: 2.0,
    grid: Grid::Libyuv,
    no_bt709_rgb_to_yuv: true,
    no_rgb24_resize: true,
};

/// A deterministic xorshift stream.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A byte.
    pub fn byte(&mut self) -> u8 {
        self.next_u64().to_le_bytes()[7]
    }

    /// `n` bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.byte()).collect()
    }
}

/// A synthetic natural-ish RGB image (3 bytes per pixel, rows packed): smooth colour
/// gradients, a few filled discs and rectangles with hard edges, and ±4 noise.
pub fn natural_rgb(width: usize, height: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    #[allow(clippy::cast_precision_loss)]
    let (fw, fh) = (width.max(1) as f64, height.max(1) as f64);
    let shapes: Vec<(f64, f64, f64, [f64; 3], bool)> = (0..6)
        .map(|_| {
            let f = |r: &mut Rng| f64::from(r.byte()) / 255.0;
            let (cx, cy, rad) = (
                f(&mut rng) * fw,
                f(&mut rng) * fh,
                (0.05 + 0.2 * f(&mut rng)) * fw,
            );
            let colour = [
                f64::from(rng.byte()),
                f64::from(rng.byte()),
                f64::from(rng.byte()),
            ];
            (cx, cy, rad, colour, rng.byte() & 1 == 0)
        })
        .collect();
    let mut out = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        for x in 0..width {
            #[allow(clippy::cast_precision_loss)]
            let (xf, yf) = (x as f64, y as f64);
            let mut c = [
                255.0 * xf / fw,
                255.0 * yf / fh,
                127.5 + 127.5 * ((xf + yf) / (fw + fh) * 6.0).sin(),
            ];
            for &(cx, cy, rad, colour, disc) in &shapes {
                let inside = if disc {
                    (xf - cx).powi(2) + (yf - cy).powi(2) < rad * rad
                } else {
                    (xf - cx).abs() < rad && (yf - cy).abs() < rad / 2.0
                };
                if inside {
                    c = colour;
                }
            }
            for v in c {
                let noise = f64::from(rng.byte() % 9) - 4.0;
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                out.push((v + noise).round().clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}

/// A packed RGB24 image converted to `format` (alpha = a pseudo-random byte, which every
/// conversion must ignore).
pub fn to_format(rgb: &[u8], format: PixelFormat, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    match format {
        PixelFormat::Rgb24 => rgb.to_vec(),
        PixelFormat::Rgba => rgb
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], rng.byte()])
            .collect(),
        PixelFormat::Bgra => rgb
            .chunks(3)
            .flat_map(|p| [p[2], p[1], p[0], rng.byte()])
            .collect(),
    }
}

/// The `(R, G, B)` of pixel `x` of a packed row in `format`.
pub fn pixel(row: &[u8], x: usize, format: PixelFormat) -> [u8; 3] {
    let p = &row[x * format.bytes_per_pixel()..];
    match format {
        PixelFormat::Bgra => [p[2], p[1], p[0]],
        _ => [p[0], p[1], p[2]],
    }
}

fn kr_kb(matrix: Matrix) -> (f64, f64) {
    match matrix {
        Matrix::Bt601 => (0.299, 0.114),
        Matrix::Bt709 => (0.2126, 0.0722),
    }
}

fn scales(range: Range) -> (f64, f64, f64) {
    match range {
        Range::Full => (1.0, 1.0, 0.0),
        Range::Limited => (219.0 / 255.0, 224.0 / 255.0, 16.0),
    }
}

/// `(Y, Cb, Cr)` of one RGB colour (unrounded, unclamped).
pub fn ref_yuv(rgb: [f64; 3], matrix: Matrix, range: Range) -> [f64; 3] {
    let (kr, kb) = kr_kb(matrix);
    let (ys, cs, yo) = scales(range);
    let [r, g, b] = rgb;
    let ey = kr * r + (1.0 - kr - kb) * g + kb * b;
    [
        yo + ys * ey,
        128.0 + cs * (b - ey) / (2.0 * (1.0 - kb)),
        128.0 + cs * (r - ey) / (2.0 * (1.0 - kr)),
    ]
}

/// `(R, G, B)` of one YUV code (unrounded, unclamped).
pub fn ref_rgb(yuv: [f64; 3], matrix: Matrix, range: Range) -> [f64; 3] {
    let (kr, kb) = kr_kb(matrix);
    let kg = 1.0 - kr - kb;
    let (ys, cs, yo) = scales(range);
    let ey = (yuv[0] - yo) / ys;
    let (pb, pr) = ((yuv[1] - 128.0) / cs, (yuv[2] - 128.0) / cs);
    let r = ey + 2.0 * (1.0 - kr) * pr;
    let b = ey + 2.0 * (1.0 - kb) * pb;
    let g = (ey - kr * r - kb * b) / kg;
    [r, g, b]
}

/// Rounded half up and clamped to a byte.
pub fn to_u8(v: f64) -> u8 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    {
        (v + 0.5).floor().clamp(0.0, 255.0) as u8
    }
}

/// The reference I420 of a packed image: `(y, u, v)` planes, rows packed.
pub fn ref_rgb_to_i420(
    src: &Image<'_>,
    matrix: Matrix,
    range: Range,
) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let (w, h, f) = (src.width(), src.height(), src.format());
    let mut y = Vec::with_capacity(w * h);
    for row in 0..h {
        for x in 0..w {
            let p = pixel(src.row(row), x, f).map(f64::from);
            y.push(to_u8(ref_yuv(p, matrix, range)[0]));
        }
    }
    let (cw, ch) = (chroma_size(w), chroma_size(h));
    let (mut u, mut v) = (Vec::with_capacity(cw * ch), Vec::with_capacity(cw * ch));
    for cy in 0..ch {
        for cx in 0..cw {
            let (mut sum, mut n) = ([0.0; 3], 0.0);
            for yy in 2 * cy..(2 * cy + 2).min(h) {
                for xx in 2 * cx..(2 * cx + 2).min(w) {
                    let p = pixel(src.row(yy), xx, f);
                    for c in 0..3 {
                        sum[c] += f64::from(p[c]);
                    }
                    n += 1.0;
                }
            }
            let yuv = ref_yuv(sum.map(|s| s / n), matrix, range);
            u.push(to_u8(yuv[1]));
            v.push(to_u8(yuv[2]));
        }
    }
    (y, u, v)
}

/// The reference RGB of an I420 frame, packed in `format` (alpha 255).
pub fn ref_i420_to_rgb(
    src: &I420<'_>,
    format: PixelFormat,
    matrix: Matrix,
    range: Range,
) -> Vec<u8> {
    let (w, h) = (src.width(), src.height());
    let mut out = Vec::with_capacity(w * h * format.bytes_per_pixel());
    for row in 0..h {
        for x in 0..w {
            let yuv = [
                src.y().row(row)[x],
                src.u().row(row / 2)[x / 2],
                src.v().row(row / 2)[x / 2],
            ]
            .map(f64::from);
            let [r, g, b] = ref_rgb(yuv, matrix, range).map(to_u8);
            match format {
                PixelFormat::Rgb24 => out.extend([r, g, b]),
                PixelFormat::Rgba => out.extend([r, g, b, 255]),
                PixelFormat::Bgra => out.extend([b, g, r, 255]),
            }
        }
    }
    out
}

/// The sampling grid of a bilinear resize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grid {
    /// Pixel centres aligned on every axis: `p = (i + ½)·S/D − ½` (the crate's spec,
    /// OpenCV `INTER_LINEAR`).
    Centres,
    /// libyuv's `kFilterBilinear` grid: centres aligned when an axis shrinks (or keeps
    /// its size), corners aligned when it grows: `p = i·(S − 1)/(D − 1)`.
    Libyuv,
}

/// Source positions of one axis: `(x0, x1, fraction)`.
fn ref_axis(s: usize, d: usize, grid: Grid) -> Vec<(usize, usize, f64)> {
    (0..d)
        .map(|i| {
            #[allow(clippy::cast_precision_loss)]
            let (i, sf, df) = (i as f64, s as f64, d as f64);
            let p = if grid == Grid::Libyuv && d > s && d > 1 {
                i * (sf - 1.0) / (df - 1.0)
            } else {
                (i + 0.5) * sf / df - 0.5
            };
            let p = p.clamp(0.0, sf - 1.0);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let x0 = p.floor() as usize;
            (x0, (x0 + 1).min(s - 1), p - p.floor())
        })
        .collect()
}

/// The reference bilinear resize of `channels`-interleaved pixels (rows packed at
/// `stride`), packed at `dw × channels` per row.
pub fn ref_resize(
    src: &[u8],
    sw: usize,
    sh: usize,
    stride: usize,
    channels: usize,
    dw: usize,
    dh: usize,
) -> Vec<u8> {
    ref_resize_on(Grid::Centres, src, sw, sh, stride, channels, dw, dh)
}

/// [`ref_resize`] on another sampling grid.
#[allow(clippy::too_many_arguments)]
pub fn ref_resize_on(
    grid: Grid,
    src: &[u8],
    sw: usize,
    sh: usize,
    stride: usize,
    channels: usize,
    dw: usize,
    dh: usize,
) -> Vec<u8> {
    let (xs, ys) = (ref_axis(sw, dw, grid), ref_axis(sh, dh, grid));
    let at = |x: usize, y: usize, c: usize| f64::from(src[y * stride + x * channels + c]);
    let mut out = Vec::with_capacity(dw * dh * channels);
    for &(y0, y1, fy) in &ys {
        for &(x0, x1, fx) in &xs {
            for c in 0..channels {
                let top = (1.0 - fx) * at(x0, y0, c) + fx * at(x1, y0, c);
                let bottom = (1.0 - fx) * at(x0, y1, c) + fx * at(x1, y1, c);
                out.push(to_u8((1.0 - fy) * top + fy * bottom));
            }
        }
    }
    out
}

/// Max and mean absolute difference.
pub fn diff(a: &[u8], b: &[u8]) -> (u8, f64) {
    assert_eq!(a.len(), b.len(), "lengths differ");
    let max = a
        .iter()
        .zip(b)
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0);
    let sum: u64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    #[allow(clippy::cast_precision_loss)]
    (max, sum as f64 / a.len().max(1) as f64)
}

/// A packed image padded to `stride` bytes per row (pad bytes pseudo-random).
pub fn with_stride(packed: &[u8], row: usize, height: usize, stride: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = rng.bytes(stride * (height - 1) + row);
    for y in 0..height {
        out[y * stride..][..row].copy_from_slice(&packed[y * row..][..row]);
    }
    out
}

/// Rows of a strided buffer, packed.
pub fn unstride(data: &[u8], row: usize, height: usize, stride: usize) -> Vec<u8> {
    (0..height)
        .flat_map(|y| data[y * stride..][..row].iter().copied())
        .collect()
}

/// Whether `result` is the documented gap (then `true`), else it must be `Ok`.
fn gap(result: arsenal_color::Result<()>, documented: bool, what: &str) -> bool {
    match result {
        Ok(()) => {
            assert!(!documented, "{what}: documented as unsupported but worked");
            false
        }
        Err(e) if documented && e.kind() == ErrorKind::Unsupported => true,
        Err(e) => panic!("{what}: {e}"),
    }
}

/// The sizes of the conversion checks: even, odd, thin, and a width that leaves SIMD tails.
pub const SIZES: &[(usize, usize)] = &[
    (1, 1),
    (2, 2),
    (3, 5),
    (17, 9),
    (64, 32),
    (77, 41),
    (130, 3),
];

/// RGB → I420 against the reference for every matrix, range, format and size (with
/// padded strides).
pub fn rgb_to_yuv_matches_reference<C: ColorConverter + ?Sized>(color: &C, profile: &Profile) {
    let mut worst = 0;
    for (i, &(w, h)) in SIZES.iter().enumerate() {
        let rgb = natural_rgb(w, h, i as u64);
        for format in FORMATS {
            let bpp = format.bytes_per_pixel();
            let packed = to_format(&rgb, format, 7);
            let stride = w * bpp + 5;
            let data = with_stride(&packed, w * bpp, h, stride, 3);
            let src = Image::new(&data, w, h, stride, format).expect("view");
            for matrix in MATRICES {
                for range in RANGES {
                    let mut frame = I420Buf::new(w, h).expect("size");
                    let documented = profile.no_bt709_rgb_to_yuv && matrix == Matrix::Bt709;
                    let what = format!("{w}x{h} {format:?} {matrix:?} {range:?}");
                    if gap(
                        color.rgb_to_i420(&src, &mut frame.view_mut(), matrix, range),
                        documented,
                        &what,
                    ) {
                        continue;
                    }
                    let (y, u, v) = ref_rgb_to_i420(&src, matrix, range);
                    let got = frame.as_bytes();
                    for (plane, want, off) in [
                        ("Y", &y, 0),
                        ("U", &u, y.len()),
                        ("V", &v, y.len() + u.len()),
                    ] {
                        let (max, _) = diff(&got[off..off + want.len()], want);
                        worst = worst.max(max);
                        assert!(
                            max <= profile.rgb_to_yuv,
                            "{what}: {plane} differs by {max}"
                        );
                    }
                }
            }
        }
    }
    eprintln!("rgb→yuv: max |Δ| = {worst}");
}

/// I420 → RGB against the reference on random planes (every code, out-of-gamut ones
/// too), padded strides, every format.
pub fn yuv_to_rgb_matches_reference<C: ColorConverter + ?Sized>(color: &C, profile: &Profile) {
    let mut worst = 0;
    let mut rng = Rng::new(11);
    for &(w, h) in SIZES {
        let (cw, ch) = (chroma_size(w), chroma_size(h));
        let (ys, cs) = (w + 3, cw + 1);
        let (y, u, v) = (rng.bytes(ys * h), rng.bytes(cs * ch), rng.bytes(cs * ch));
        let frame = I420::new(
            Plane::new(&y, w, h, ys).expect("y"),
            Plane::new(&u, cw, ch, cs).expect("u"),
            Plane::new(&v, cw, ch, cs).expect("v"),
        )
        .expect("frame");
        for format in FORMATS {
            let bpp = format.bytes_per_pixel();
            let stride = w * bpp + 7;
            for matrix in MATRICES {
                for range in RANGES {
                    let mut out = vec![0u8; stride * h];
                    let mut dst = ImageMut::new(&mut out, w, h, stride, format).expect("view");
                    color
                        .i420_to_rgb(&frame, &mut dst, matrix, range)
                        .expect("converts");
                    let want = ref_i420_to_rgb(&frame, format, matrix, range);
                    let (max, _) = diff(&unstride(&out, w * bpp, h, stride), &want);
                    worst = worst.max(max);
                    eprintln!("yuv→rgb {w}x{h} {format:?} {matrix:?} {range:?}: max |Δ| = {max}");
                    assert!(
                        max <= (profile.yuv_to_rgb)(matrix, range),
                        "{w}x{h} {format:?} {matrix:?} {range:?}: differs by {max}"
                    );
                }
            }
        }
    }
    eprintln!("yuv→rgb: max |Δ| = {worst}");
}

/// RGB → I420 → RGB on an image of one-colour 2×2 blocks (subsampling loses nothing).
pub fn round_trip<C: ColorConverter + ?Sized>(color: &C, profile: &Profile) {
    let (w, h) = (64, 48);
    let mut rng = Rng::new(5);
    let blocks: Vec<[u8; 3]> = (0..(w / 2) * (h / 2))
        .map(|_| [rng.byte(), rng.byte(), rng.byte()])
        .collect();
    let rgb: Vec<u8> = (0..w * h)
        .flat_map(|i| blocks[(i / w / 2) * (w / 2) + (i % w) / 2])
        .collect();
    for matrix in MATRICES {
        for range in RANGES {
            let src = Image::packed(&rgb, w, h, PixelFormat::Rgb24).expect("view");
            let mut frame = I420Buf::new(w, h).expect("size");
            let documented = profile.no_bt709_rgb_to_yuv && matrix == Matrix::Bt709;
            if gap(
                color.rgb_to_i420(&src, &mut frame.view_mut(), matrix, range),
                documented,
                "round trip",
            ) {
                continue;
            }
            let mut back = ImageBuf::new(w, h, PixelFormat::Rgb24).expect("size");
            color
                .i420_to_rgb(&frame.view(), &mut back.view_mut(), matrix, range)
                .expect("converts");
            // Only in-gamut colours come back: every RGB colour is in gamut of YUV.
            let (max, _) = diff(back.as_bytes(), &rgb);
            let bound = match range {
                Range::Full => profile.round_trip_full,
                Range::Limited => profile.round_trip_limited,
            };
            eprintln!("round trip {matrix:?} {range:?}: max |Δ| = {max}");
            assert!(
                max <= bound,
                "{matrix:?} {range:?}: round trip differs by {max}"
            );
        }
    }
}

/// Textbook codes: black, white and the primaries (round half up of the equations).
pub const KNOWN: &[(Matrix, Range, [[u8; 3]; 5])] = &[
    (
        Matrix::Bt601,
        Range::Limited,
        [
            [16, 128, 128],
            [235, 128, 128],
            [81, 90, 240],
            [145, 54, 34],
            [41, 240, 110],
        ],
    ),
    (
        Matrix::Bt601,
        Range::Full,
        [
            [0, 128, 128],
            [255, 128, 128],
            [76, 85, 255],
            [150, 44, 21],
            [29, 255, 107],
        ],
    ),
    (
        Matrix::Bt709,
        Range::Limited,
        [
            [16, 128, 128],
            [235, 128, 128],
            [63, 102, 240],
            [173, 42, 26],
            [32, 240, 118],
        ],
    ),
    (
        Matrix::Bt709,
        Range::Full,
        [
            [0, 128, 128],
            [255, 128, 128],
            [54, 99, 255],
            [182, 30, 12],
            [18, 255, 116],
        ],
    ),
];

/// Black, white and the primaries give the textbook codes (within the backend's
/// RGB → YUV bound; exact for native), and convert back to themselves within the
/// round-trip bound.
pub fn known_values<C: ColorConverter + ?Sized>(color: &C, profile: &Profile) {
    let colours = [
        [0u8, 0, 0],
        [255, 255, 255],
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
    ];
    for &(matrix, range, codes) in KNOWN {
        for (rgb, want) in colours.iter().zip(codes) {
            let image: Vec<u8> = rgb.repeat(4);
            let src = Image::packed(&image, 2, 2, PixelFormat::Rgb24).expect("view");
            let mut frame = I420Buf::new(2, 2).expect("size");
            let documented = profile.no_bt709_rgb_to_yuv && matrix == Matrix::Bt709;
            if gap(
                color.rgb_to_i420(&src, &mut frame.view_mut(), matrix, range),
                documented,
                "known",
            ) {
                continue;
            }
            let b = frame.as_bytes();
            let got = [b[0], b[4], b[5]];
            assert!(b[..4].iter().all(|&y| y == b[0]), "{b:?}");
            for c in 0..3 {
                assert!(
                    got[c].abs_diff(want[c]) <= profile.rgb_to_yuv.saturating_sub(1),
                    "{matrix:?} {range:?} {rgb:?}: got {got:?}, textbook {want:?}"
                );
            }
        }
        // And back: the textbook codes give the colours.
        for (rgb, yuv) in colours.iter().zip(codes) {
            let (y, u, v) = ([yuv[0]; 4], [yuv[1]], [yuv[2]]);
            let frame = I420::new(
                Plane::new(&y, 2, 2, 2).expect("y"),
                Plane::new(&u, 1, 1, 1).expect("u"),
                Plane::new(&v, 1, 1, 1).expect("v"),
            )
            .expect("frame");
            let mut back = ImageBuf::new(2, 2, PixelFormat::Rgba).expect("size");
            color
                .i420_to_rgb(&frame, &mut back.view_mut(), matrix, range)
                .expect("converts");
            let px = &back.as_bytes()[..4];
            for c in 0..3 {
                assert!(
                    px[c].abs_diff(rgb[c]) <= (profile.yuv_to_rgb)(matrix, range).max(1),
                    "{matrix:?} {range:?} {yuv:?} → {px:?}, want {rgb:?}"
                );
            }
            assert_eq!(px[3], 255);
        }
    }
}

/// Resize: identity returns the input, constants stay constant, a 2× upscale of a
/// gradient matches the reference, odd sizes and downscales match within the profile.
pub fn resize<C: ColorConverter + ?Sized>(color: &C, profile: &Profile) {
    // Identity, plane and RGBA, with padded strides.
    let mut rng = Rng::new(9);
    for &(w, h) in &[(1usize, 1usize), (7, 5), (64, 33)] {
        let data = rng.bytes((w + 3) * h);
        let src = Plane::new(&data, w, h, w + 3).expect("view");
        let mut out = vec![0u8; w * h];
        color
            .resize_plane(&src, &mut PlaneMut::new(&mut out, w, h, w).expect("view"))
            .expect("resize");
        assert_eq!(out, unstride(&data, w, h, w + 3), "identity plane {w}x{h}");
        let data = rng.bytes(w * h * 4);
        let mut out = vec![0u8; w * h * 4];
        let src = Image::packed(&data, w, h, PixelFormat::Rgba).expect("view");
        let mut dst = ImageMut::packed(&mut out, w, h, PixelFormat::Rgba).expect("view");
        color.resize_image(&src, &mut dst).expect("resize");
        assert_eq!(out, data, "identity RGBA {w}x{h}");
    }
    // Constants, any ratio.
    for &(sw, sh, dw, dh) in &[(5, 3, 17, 11), (40, 30, 7, 3), (9, 9, 2, 20), (1, 1, 4, 4)] {
        let data = vec![173u8; sw * sh];
        let mut out = vec![0u8; dw * dh];
        let src = Plane::new(&data, sw, sh, sw).expect("view");
        color
            .resize_plane(
                &src,
                &mut PlaneMut::new(&mut out, dw, dh, dw).expect("view"),
            )
            .expect("resize");
        assert!(
            out.iter().all(|&v| v == 173),
            "constant {sw}x{sh} → {dw}x{dh}"
        );
    }
    // 2× up of a horizontal + vertical gradient.
    let (sw, sh) = (32, 16);
    let grad: Vec<u8> = (0..sh)
        .flat_map(|y| (0..sw).map(move |x| (x * 7 + y * 3) as u8))
        .collect();
    let mut out = vec![0u8; 4 * sw * sh];
    let src = Plane::new(&grad, sw, sh, sw).expect("view");
    color
        .resize_plane(
            &src,
            &mut PlaneMut::new(&mut out, 2 * sw, 2 * sh, 2 * sw).expect("view"),
        )
        .expect("resize");
    let want = ref_resize(&grad, sw, sh, sw, 1, 2 * sw, 2 * sh);
    // The outermost output rows and columns sit before the first source centre: the
    // reference clamps there; compare the interior, where every grid agrees on "2× up".
    let interior = |v: &[u8]| -> Vec<u8> {
        (1..2 * sh - 1)
            .flat_map(|y| v[y * 2 * sw + 1..y * 2 * sw + 2 * sw - 1].to_vec())
            .collect()
    };
    let (max, _) = diff(&interior(&out), &interior(&want));
    eprintln!("resize 2× up gradient: max |Δ| = {max}");
    assert!(max <= profile.resize_up2, "2× up differs by {max}");
    if profile.resize_up2 == 0 {
        assert_eq!(out, want, "2× up, borders included");
    }
    // The smooth test image, odd sizes, up and down, RGBA and plane.
    for &(sw, sh, dw, dh) in &[
        (37, 23, 80, 51),
        (80, 51, 37, 23),
        (101, 67, 24, 15),
        (64, 48, 63, 47),
        (33, 17, 33, 40),
    ] {
        let rgb = natural_rgb(sw, sh, 2);
        let rgba = to_format(&rgb, PixelFormat::Rgba, 4);
        let mut out = vec![0u8; dw * dh * 4];
        let src = Image::packed(&rgba, sw, sh, PixelFormat::Rgba).expect("view");
        let mut dst = ImageMut::packed(&mut out, dw, dh, PixelFormat::Rgba).expect("view");
        color.resize_image(&src, &mut dst).expect("resize");
        let want = ref_resize_on(profile.grid, &rgba, sw, sh, sw * 4, 4, dw, dh);
        let (max, mean) = diff(&out, &want);
        let (cmax, cmean) = diff(&out, &ref_resize(&rgba, sw, sh, sw * 4, 4, dw, dh));
        eprintln!("  (against the centre grid: max {cmax}, mean {cmean:.3})");
        eprintln!("resize {sw}x{sh} → {dw}x{dh}: max |Δ| = {max}, mean {mean:.3}");
        assert!(
            max <= profile.resize_max && mean <= profile.resize_mean,
            "{sw}x{sh} → {dw}x{dh}: max {max}, mean {mean}"
        );
        // RGB24: the same pixels, or the documented gap.
        let mut out3 = vec![0u8; dw * dh * 3];
        let src = Image::packed(&rgb, sw, sh, PixelFormat::Rgb24).expect("view");
        let mut dst = ImageMut::packed(&mut out3, dw, dh, PixelFormat::Rgb24).expect("view");
        if !gap(
            color.resize_image(&src, &mut dst),
            profile.no_rgb24_resize,
            "RGB24 resize",
        ) {
            let via4: Vec<u8> = out.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
            assert_eq!(out3, via4, "RGB24 and RGBA resize differ");
        }
    }
}

/// Mismatched shapes and formats in the operations are errors, never panics.
pub fn mismatches_are_errors<C: ColorConverter + ?Sized>(color: &C) {
    let rgb = [0u8; 4 * 4 * 4];
    let src = Image::packed(&rgb, 4, 4, PixelFormat::Rgba).expect("view");
    let mut frame = I420Buf::new(4, 2).expect("size");
    let e = color
        .rgb_to_i420(&src, &mut frame.view_mut(), Matrix::Bt601, Range::Full)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Dimensions);
    let small = I420Buf::new(2, 2).expect("size");
    let mut out = [0u8; 4 * 4 * 4];
    let mut dst = ImageMut::packed(&mut out, 4, 4, PixelFormat::Rgba).expect("view");
    let e = color
        .i420_to_rgb(&small.view(), &mut dst, Matrix::Bt601, Range::Full)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Dimensions);
    let mut out3 = [0u8; 4 * 4 * 3];
    let mut dst3 = ImageMut::packed(&mut out3, 4, 4, PixelFormat::Rgb24).expect("view");
    let e = color.resize_image(&src, &mut dst3).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Format);
    // A one-row view may carry any stride ≥ its row (nothing follows the row), up to
    // usize::MAX: it works, or is Unsupported where the C library takes an `int`.
    let row = [7u8; 8];
    let src = Plane::new(&row, 8, 1, usize::MAX).expect("one row");
    let mut out = [0u8; 4];
    let mut dst = PlaneMut::new(&mut out, 4, 1, usize::MAX).expect("one row");
    match color.resize_plane(&src, &mut dst) {
        Ok(()) => assert_eq!(out, [7; 4]),
        Err(e) => assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}"),
    }
    let rgb = [200u8; 4 * 3];
    let src = Image::new(&rgb, 4, 1, usize::MAX, PixelFormat::Rgb24).expect("one row");
    let (mut y, mut u, mut v) = ([0u8; 4], [0u8; 2], [0u8; 2]);
    let mut frame = I420Mut::new(
        PlaneMut::new(&mut y, 4, 1, usize::MAX).expect("y"),
        PlaneMut::new(&mut u, 2, 1, usize::MAX).expect("u"),
        PlaneMut::new(&mut v, 2, 1, usize::MAX).expect("v"),
    )
    .expect("frame");
    match color.rgb_to_i420(&src, &mut frame, Matrix::Bt601, Range::Full) {
        Ok(()) => assert_eq!((y, u, v), ([200; 4], [128; 2], [128; 2])),
        Err(e) => assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}"),
    }
}

/// Hostile sizes and strides: every constructor rejects them with the right kind.
pub fn hostile_views_are_errors() {
    let buf = [0u8; 64];
    let mut mbuf = [0u8; 64];
    let kind = |r: arsenal_color::Result<Plane<'_>>| r.map(|_| ()).unwrap_err().kind();
    assert_eq!(kind(Plane::new(&buf, 0, 1, 1)), ErrorKind::Dimensions);
    assert_eq!(kind(Plane::new(&buf, 1, 0, 1)), ErrorKind::Dimensions);
    assert_eq!(
        kind(Plane::new(&buf, usize::MAX, 1, usize::MAX)),
        ErrorKind::Dimensions
    );
    assert_eq!(
        kind(Plane::new(&buf, 1, usize::MAX, 1)),
        ErrorKind::Dimensions
    );
    assert_eq!(
        kind(Plane::new(&buf, 65537, 1, 65537)),
        ErrorKind::Dimensions
    );
    assert_eq!(kind(Plane::new(&buf, 8, 2, 7)), ErrorKind::Stride);
    assert_eq!(kind(Plane::new(&buf, 8, 8, usize::MAX)), ErrorKind::Stride);
    assert_eq!(
        kind(Plane::new(&buf, 8, 3, usize::MAX / 2 + 1)),
        ErrorKind::Stride
    );
    assert_eq!(kind(Plane::new(&buf, 8, 9, 8)), ErrorKind::BufferTooShort);
    assert_eq!(kind(Plane::new(&buf, 8, 2, 57)), ErrorKind::BufferTooShort);
    assert!(Plane::new(&buf, 8, 2, 56).is_ok());
    assert!(PlaneMut::new(&mut mbuf, 65, 1, 65).is_err());
    let image = |w, h, s, f| Image::new(&buf, w, h, s, f).map(|_| ()).unwrap_err().kind();
    assert_eq!(image(6, 2, 17, PixelFormat::Rgb24), ErrorKind::Stride); // 18-byte rows
    assert_eq!(
        image(4, 5, 16, PixelFormat::Rgba),
        ErrorKind::BufferTooShort
    );
    assert_eq!(
        image(usize::MAX, 1, usize::MAX, PixelFormat::Rgba),
        ErrorKind::Dimensions
    );
    assert_eq!(
        Image::packed(&buf, usize::MAX / 3, 1, PixelFormat::Rgb24)
            .unwrap_err()
            .kind(),
        ErrorKind::Dimensions
    );
    assert!(ImageMut::packed(&mut mbuf, 5, 4, PixelFormat::Rgba).is_err());
    assert!(ImageMut::packed(&mut mbuf, 4, 4, PixelFormat::Rgba).is_ok());
    // I420: chroma planes must be (w+1)/2 × (h+1)/2.
    let p = |w, h| Plane::new(&buf, w, h, w).expect("plane");
    assert!(I420::new(p(5, 3), p(3, 2), p(3, 2)).is_ok());
    assert_eq!(
        I420::new(p(5, 3), p(2, 2), p(3, 2)).unwrap_err().kind(),
        ErrorKind::Dimensions
    );
    assert_eq!(
        I420::new(p(5, 3), p(3, 2), p(3, 1)).unwrap_err().kind(),
        ErrorKind::Dimensions
    );
    assert_eq!(
        I420::packed(&buf, 8, 8).unwrap_err().kind(),
        ErrorKind::BufferTooShort
    );
    assert!(I420::packed(&buf, 6, 6).is_ok());
    assert_eq!(
        I420::packed(&buf, usize::MAX, usize::MAX)
            .unwrap_err()
            .kind(),
        ErrorKind::Dimensions
    );
    assert!(I420Mut::packed(&mut mbuf, 7, 7).is_err()); // 49 + 2·16 > 64
    assert!(arsenal_color::i420_len(usize::MAX, 2).is_err());
    assert!(arsenal_color::i420_len(0, 2).is_err());
    assert_eq!(
        arsenal_color::i420_len(65536, 65536).expect("max"),
        65536 * 65536 * 3 / 2
    );
    assert!(I420Buf::new(0, 0).is_err());
    assert!(ImageBuf::new(usize::MAX, usize::MAX, PixelFormat::Rgba).is_err());
    assert!(ImageBuf::from_vec(vec![0; 11], 2, 2, PixelFormat::Rgb24).is_err());
    assert!(ImageBuf::from_vec(vec![0; 13], 2, 2, PixelFormat::Rgb24).is_err());
}

/// Instantiates the suite for one backend: `color_conformance!(name, constructor, profile)`.
#[macro_export]
macro_rules! color_conformance {
    ($name:ident, $make:expr, $profile:expr) => {
        mod $name {
            use $crate::color as suite;

            #[test]
            fn rgb_to_yuv_matches_reference() {
                suite::rgb_to_yuv_matches_reference(&$make, &$profile);
            }

            #[test]
            fn yuv_to_rgb_matches_reference() {
                suite::yuv_to_rgb_matches_reference(&$make, &$profile);
            }

            #[test]
            fn round_trip() {
                suite::round_trip(&$make, &$profile);
            }

            #[test]
            fn known_values() {
                suite::known_values(&$make, &$profile);
            }

            #[test]
            fn resize() {
                suite::resize(&$make, &$profile);
            }

            #[test]
            fn mismatches_are_errors() {
                suite::mismatches_are_errors(&$make);
            }

            #[test]
            fn hostile_views_are_errors() {
                suite::hostile_views_are_errors();
            }
        }
    };
}

/// The native backend: every instruction set this CPU runs gives exactly the scalar
/// reference's bytes, on random data, odd sizes and padded strides, for every
/// operation, matrix, range and format. Returns the instruction sets compared.
pub fn simd_matches_scalar() -> Vec<arsenal_color::Isa> {
    use arsenal_color::{Isa, Native, Resize, RgbToYuv, YuvToRgb};
    let scalar = Native::with_isa(Isa::Scalar).expect("scalar");
    let mut rng = Rng::new(21);
    let isas: Vec<Isa> = Isa::available()
        .into_iter()
        .filter(|&i| i != Isa::Scalar)
        .collect();
    let sizes = [
        (1usize, 1usize),
        (15, 3),
        (16, 2),
        (17, 17),
        (33, 8),
        (47, 31),
        (64, 64),
        (255, 5),
        (1001, 3),
    ];
    for &isa in &isas {
        let simd = Native::with_isa(isa).expect("available");
        for &(w, h) in &sizes {
            let (cw, ch) = (chroma_size(w), chroma_size(h));
            for format in FORMATS {
                let bpp = format.bytes_per_pixel();
                let stride = w * bpp + usize::from(rng.byte() % 5);
                let data = rng.bytes(stride * h);
                let src = Image::new(&data, w, h, stride, format).expect("view");
                let (ys, cs) = (w + 1, cw + 2);
                let (y, u, v) = (rng.bytes(ys * h), rng.bytes(cs * ch), rng.bytes(cs * ch));
                let frame = I420::new(
                    Plane::new(&y, w, h, ys).expect("y"),
                    Plane::new(&u, cw, ch, cs).expect("u"),
                    Plane::new(&v, cw, ch, cs).expect("v"),
                )
                .expect("frame");
                for matrix in MATRICES {
                    for range in RANGES {
                        let mut a = I420Buf::new(w, h).expect("size");
                        let mut b = I420Buf::new(w, h).expect("size");
                        scalar
                            .rgb_to_i420(&src, &mut a.view_mut(), matrix, range)
                            .expect("scalar");
                        simd.rgb_to_i420(&src, &mut b.view_mut(), matrix, range)
                            .expect("simd");
                        assert_eq!(
                            a, b,
                            "{isa} rgb→yuv {w}x{h} {format:?} {matrix:?} {range:?}"
                        );
                        let mut a = ImageBuf::new(w, h, format).expect("size");
                        let mut b = ImageBuf::new(w, h, format).expect("size");
                        scalar
                            .i420_to_rgb(&frame, &mut a.view_mut(), matrix, range)
                            .expect("scalar");
                        simd.i420_to_rgb(&frame, &mut b.view_mut(), matrix, range)
                            .expect("simd");
                        assert_eq!(
                            a, b,
                            "{isa} yuv→rgb {w}x{h} {format:?} {matrix:?} {range:?}"
                        );
                    }
                }
                for &(dw, dh) in &[
                    (w, h),
                    (2 * w + 1, h + 3),
                    ((w / 3).max(1), (h / 2).max(1)),
                    (37, 19),
                ] {
                    let mut a = ImageBuf::new(dw, dh, format).expect("size");
                    let mut b = ImageBuf::new(dw, dh, format).expect("size");
                    scalar
                        .resize_image(&src, &mut a.view_mut())
                        .expect("scalar");
                    simd.resize_image(&src, &mut b.view_mut()).expect("simd");
                    assert_eq!(a, b, "{isa} resize {w}x{h} → {dw}x{dh} {format:?}");
                }
            }
            let plane = Plane::new(&y_plane(&mut rng, w, h), w, h, w)
                .map(|p| p.data().to_vec())
                .expect("plane");
            let src = Plane::new(&plane, w, h, w).expect("view");
            for &(dw, dh) in &[(w + 17, 2 * h), ((w / 5).max(1), (h / 3).max(1))] {
                let (mut a, mut b) = (vec![0u8; dw * dh], vec![0u8; dw * dh]);
                scalar
                    .resize_plane(&src, &mut PlaneMut::new(&mut a, dw, dh, dw).expect("view"))
                    .expect("scalar");
                simd.resize_plane(&src, &mut PlaneMut::new(&mut b, dw, dh, dw).expect("view"))
                    .expect("simd");
                assert_eq!(a, b, "{isa} resize plane {w}x{h} → {dw}x{dh}");
            }
        }
    }
    isas
}

fn y_plane(rng: &mut Rng, w: usize, h: usize) -> Vec<u8> {
    rng.bytes(w * h)
}
