//! Colour conversion and scaling rows of the matrix: `color/<op>/<dataset>/<impl>`, one
//! thread, 8-bit.
//!
//! | op / dataset | what one iteration does |
//! |---|---|
//! | `rgb-to-yuv420/<w>x<h>-<matrix>-<range>` | a BGRA image → I420 (BGRA: the input every implementation takes; libyuv's `ARGB`) |
//! | `yuv420-to-rgb/<w>x<h>-<matrix>-<range>` | an I420 frame → RGBA (alpha 255; libyuv's `ABGR`) |
//! | `resize-bilinear/<src>-to-<dst>-plane` | one 8-bit plane, bilinear |
//! | `resize-bilinear/<src>-to-<dst>-rgba` | an RGBA image, bilinear, every channel alike (no alpha premultiplication) |
//!
//! Sizes 1920x1080 and 640x360; matrices bt601, bt709; ranges limited, full. **Units:**
//! items are pixels (the destination's for resize), so items/s ÷ 10⁶ = Mpixels/s.
//!
//! | impl | what runs |
//! |---|---|
//! | `arsenal:native` | [`arsenal_color::Native::new`]: the widest instruction set (AVX2), `ARSENAL_COLOR_ISA` narrows it |
//! | `arsenal:native-scalar` | the native scalar reference kernels |
//! | `arsenal:libyuv` | [`arsenal_color::Libyuv`] |
//! | `raw:libyuv` | `ARGBToI420`/`ARGBToJ420`, `I420ToARGBMatrix` (with `kYvu*` constants, as libyuv's own `I420ToABGR`), `ScalePlane`, `ARGBScale` called directly |
//! | `peer:yuvutils-rs` | yuvutils-rs 0.8 (default features: its AVX2/SSE paths), `bgra_to_yuv420` in `YuvConversionMode::Balanced` (its default), `yuv420_to_rgba` |
//! | `peer:dcv-color-primitives` | dcv-color-primitives 1.0 `convert_image` (BGRA → I420, I420 → RGBA) |
//! | `peer:fast_image_resize` | fast_image_resize 6.1 `Resizer` with `Convolution(Bilinear)`, `use_alpha(false)` |
//!
//! **Verification** (outside the timing), against the `f64` references of
//! `arsenal_conformance::color`, max (and mean) absolute difference in 8-bit codes:
//! native ≤ 1 (the spec), libyuv ≤ 2 (RGB → YUV) and ≤ 3 (YUV → RGB; ≤ 14 for BT.709
//! limited, whose U→B coefficient libyuv clamps to 2.0), libyuv resize on its own grid
//! (corners aligned when upscaling) ≤ 5, mean ≤ 2; the peers within the bounds in
//! [`TOLERANCES`] (their own fixed-point precisions; fast_image_resize's convolution
//! widens the kernel when downscaling, so it is held to a mean bound there). A mismatch
//! is `FAILED`.

use crate::domain::{Domain, Selection};
use crate::harness::{Case, Registry};
use crate::report::Unit;
use arsenal_color::{
    chroma_size, I420Mut, Image, ImageMut, Isa, Libyuv, Matrix, Native, PixelFormat, Plane,
    PlaneMut, Range, Resize, RgbToYuv, YuvToRgb, I420,
};
use arsenal_conformance::color::{self as reference, diff, Grid};
use std::cell::{OnceCell, RefCell};
use std::ffi::c_int;
use std::rc::Rc;

/// The first part of every cell id of this domain.
const NAME: &str = "color";

/// The colour domain.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Colour conversion and scaling",
    register: |reg, _data| register(reg),
    unit: |_op| Some(Unit::ItemsPerSecond),
    note: |_machine| Some(note()),
    select: Some(Selection {
        krate: "arsenal-color",
        pick: crate::strategy::pick::<arsenal_color::Backend>,
    }),
    ..Domain::EMPTY
};

fn note() -> String {
    "items are pixels (destination pixels for resize): items/s ÷ 10⁶ = Mpixels/s. One thread. \
     libyuv 0.0~git20230123 (Debian libyuv-dev, LIBYUV_VERSION 1857), yuvutils-rs 0.8.3 \
     (Balanced mode), dcv-color-primitives 1.0.0, fast_image_resize 6.1.0. Verified against f64 \
     references: native ≤ 1 LSB; libyuv ≤ 2 (RGB→YUV), ≤ 3 (YUV→RGB; ≤ 14 for BT.709 limited: \
     its U→B coefficient is clamped to 2.0), resize ≤ 5 on libyuv's own grid (corners aligned \
     when upscaling); peers per TOLERANCES in benches/src/color.rs (fast_image_resize's \
     convolution widens its kernel when downscaling: mean bound only)"
        .to_owned()
}

/// Allowed (max, mean) absolute difference from the reference, per operation and impl.
pub const TOLERANCES: &[(&str, &str, u8, f64)] = &[
    ("rgb-to-yuv420", "arsenal:native", 1, 0.5),
    ("rgb-to-yuv420", "arsenal:native-scalar", 1, 0.5),
    ("rgb-to-yuv420", "arsenal:libyuv", 2, 1.0),
    ("rgb-to-yuv420", "raw:libyuv", 2, 1.0),
    ("rgb-to-yuv420", "peer:yuvutils-rs", 2, 1.0),
    ("rgb-to-yuv420", "peer:dcv-color-primitives", 2, 1.0),
    ("yuv420-to-rgb", "arsenal:native", 1, 0.5),
    ("yuv420-to-rgb", "arsenal:native-scalar", 1, 0.5),
    ("yuv420-to-rgb", "arsenal:libyuv", 3, 1.0),
    ("yuv420-to-rgb", "raw:libyuv", 3, 1.0),
    ("yuv420-to-rgb", "peer:yuvutils-rs", 2, 1.0),
    ("yuv420-to-rgb", "peer:dcv-color-primitives", 2, 1.5),
    ("resize-bilinear", "arsenal:native", 1, 0.5),
    ("resize-bilinear", "arsenal:native-scalar", 1, 0.5),
    ("resize-bilinear", "arsenal:libyuv", 5, 2.0),
    ("resize-bilinear", "raw:libyuv", 5, 2.0),
    ("resize-bilinear", "peer:fast_image_resize", 255, 2.0),
];

fn tolerance(op: &str, imp: &str, matrix: Option<(Matrix, Range)>) -> (u8, f64) {
    let (_, _, max, mean) = TOLERANCES
        .iter()
        .find(|(o, i, _, _)| *o == op && *i == imp)
        .copied()
        .unwrap_or((op, imp, 0, 0.0));
    let libyuv_709_limited = imp.ends_with("libyuv")
        && op == "yuv420-to-rgb"
        && matrix == Some((Matrix::Bt709, Range::Limited));
    if libyuv_709_limited {
        (14, 2.0)
    } else {
        (max, mean)
    }
}

/// A value computed on first use (outside the timing) and shared.
type Lazy = Rc<dyn Fn() -> Rc<Vec<u8>>>;

fn lazy(f: impl Fn() -> Vec<u8> + 'static) -> Lazy {
    let cell: OnceCell<Rc<Vec<u8>>> = OnceCell::new();
    Rc::new(move || cell.get_or_init(|| Rc::new(f())).clone())
}

const SIZES: &[(usize, usize)] = &[(1920, 1080), (640, 360)];
const MATRICES: &[(Matrix, &str)] = &[(Matrix::Bt601, "bt601"), (Matrix::Bt709, "bt709")];
const RANGES: &[(Range, &str)] = &[(Range::Limited, "limited"), (Range::Full, "full")];

/// One verified cell: `run` fills the output buffer; the check compares it with `want`.
#[allow(clippy::too_many_arguments)]
fn cell(
    reg: &mut Registry,
    op: &str,
    dataset: &str,
    imp: &str,
    items: usize,
    out_len: usize,
    tol: (u8, f64),
    want: Lazy,
    mut run: impl FnMut(&mut [u8]) + 'static,
) {
    let out = Rc::new(RefCell::new(vec![0u8; out_len]));
    let check_out = out.clone();
    reg.add(
        Case::new(NAME, op, dataset, imp, 0, items as u64, move || {
            let mut o = out.borrow_mut();
            run(&mut o);
            u64::from(o[o.len() / 2])
        })
        .verify(move || {
            let (max, mean) = diff(&check_out.borrow(), &want());
            if max <= tol.0 && mean <= tol.1 {
                Ok(())
            } else {
                Err(format!(
                    "differs from the reference: max {max} (allowed {}), mean {mean:.3} (allowed {})",
                    tol.0, tol.1
                ))
            }
        }),
    );
}

fn int(v: usize) -> c_int {
    c_int::try_from(v).expect("bench sizes fit int")
}

fn register(reg: &mut Registry) {
    for &(w, h) in SIZES {
        let rgb = lazy(move || reference::natural_rgb(w, h, 1));
        let bgra = {
            let rgb = rgb.clone();
            lazy(move || reference::to_format(&rgb(), PixelFormat::Bgra, 2))
        };
        for &(matrix, mname) in MATRICES {
            for &(range, rname) in RANGES {
                let dataset = format!("{w}x{h}-{mname}-{rname}");
                rgb_to_yuv(reg, &dataset, w, h, matrix, range, &bgra);
                // The I420 input: the reference conversion of the same image.
                let frame = {
                    let rgb = rgb.clone();
                    lazy(move || {
                        let rgb = rgb();
                        let image = Image::packed(&rgb, w, h, PixelFormat::Rgb24).expect("view");
                        let (y, u, v) = reference::ref_rgb_to_i420(&image, matrix, range);
                        [y, u, v].concat()
                    })
                };
                yuv_to_rgb(reg, &dataset, w, h, matrix, range, &frame);
            }
        }
    }
    for &((sw, sh), (dw, dh)) in &[((1920, 1080), (1280, 720)), ((640, 360), (1920, 1080))] {
        let rgb = lazy(move || reference::natural_rgb(sw, sh, 3));
        let rgba = {
            let rgb = rgb.clone();
            // Opaque, as decoded frames are (alpha 255).
            lazy(move || {
                rgb()
                    .chunks(3)
                    .flat_map(|p| [p[0], p[1], p[2], 255])
                    .collect()
            })
        };
        let plane = {
            let rgb = rgb.clone();
            lazy(move || rgb().chunks(3).map(|p| p[1]).collect())
        };
        for (channels, src) in [(1usize, plane), (4, rgba)] {
            let kind = if channels == 1 { "plane" } else { "rgba" };
            let dataset = format!("{sw}x{sh}-to-{dw}x{dh}-{kind}");
            resize(reg, &dataset, (sw, sh), (dw, dh), channels, &src);
        }
    }
}

fn i420_split(buf: &mut [u8], w: usize, h: usize) -> I420Mut<'_> {
    I420Mut::packed(buf, w, h).expect("sized")
}

#[allow(clippy::too_many_arguments)]
fn rgb_to_yuv(
    reg: &mut Registry,
    dataset: &str,
    w: usize,
    h: usize,
    matrix: Matrix,
    range: Range,
    bgra: &Lazy,
) {
    const OP: &str = "rgb-to-yuv420";
    let len = arsenal_color::i420_len(w, h).expect("size");
    let want = {
        let bgra = bgra.clone();
        lazy(move || {
            let data = bgra();
            let image = Image::packed(&data, w, h, PixelFormat::Bgra).expect("view");
            let (y, u, v) = reference::ref_rgb_to_i420(&image, matrix, range);
            [y, u, v].concat()
        })
    };
    let tol = |imp: &str| tolerance(OP, imp, Some((matrix, range)));
    let ours: [(&str, Box<dyn RgbToYuv>); 3] = [
        (
            "arsenal:native",
            Box::new(Native::new().expect("ARSENAL_COLOR_ISA")),
        ),
        (
            "arsenal:native-scalar",
            Box::new(Native::with_isa(Isa::Scalar).expect("scalar")),
        ),
        ("arsenal:libyuv", Box::new(Libyuv)),
    ];
    for (imp, backend) in ours {
        if imp == "arsenal:libyuv" && matrix == Matrix::Bt709 {
            reg.add(Case::unsupported(
                NAME,
                OP,
                dataset,
                imp,
                "libyuv has no BT.709 RGB → YUV",
            ));
            continue;
        }
        let src = bgra.clone();
        cell(
            reg,
            OP,
            dataset,
            imp,
            w * h,
            len,
            tol(imp),
            want.clone(),
            move |out| {
                let data = src();
                let image = Image::packed(&data, w, h, PixelFormat::Bgra).expect("view");
                backend
                    .rgb_to_i420(&image, &mut i420_split(out, w, h), matrix, range)
                    .expect("converts");
            },
        );
    }
    // raw:libyuv
    if matrix == Matrix::Bt709 {
        reg.add(Case::unsupported(
            NAME,
            OP,
            dataset,
            "raw:libyuv",
            "libyuv has no BT.709 RGB → YUV",
        ));
    } else {
        let src = bgra.clone();
        cell(
            reg,
            OP,
            dataset,
            "raw:libyuv",
            w * h,
            len,
            tol("raw:libyuv"),
            want.clone(),
            move |out| {
                let data = src();
                let (cw, ch) = (chroma_size(w), chroma_size(h));
                let (y, rest) = out.split_at_mut(w * h);
                let (u, v) = rest.split_at_mut(cw * ch);
                let f = match range {
                    Range::Limited => arsenal_yuv_sys::ARGBToI420,
                    Range::Full => arsenal_yuv_sys::ARGBToJ420,
                };
                // SAFETY: data holds w×h BGRA pixels; y, u, v hold w×h and cw×ch bytes at the
                // strides passed.
                let rc = unsafe {
                    f(
                        data.as_ptr(),
                        int(4 * w),
                        y.as_mut_ptr(),
                        int(w),
                        u.as_mut_ptr(),
                        int(cw),
                        v.as_mut_ptr(),
                        int(cw),
                        int(w),
                        int(h),
                    )
                };
                assert_eq!(rc, 0);
            },
        );
    }
    // peer:yuvutils-rs
    {
        let src = bgra.clone();
        let (yr, ym) = yuvutils(matrix, range);
        cell(
            reg,
            OP,
            dataset,
            "peer:yuvutils-rs",
            w * h,
            len,
            tol("peer:yuvutils-rs"),
            want.clone(),
            move |out| {
                let data = src();
                let (cw, ch) = (chroma_size(w), chroma_size(h));
                let (y, rest) = out.split_at_mut(w * h);
                let (u, v) = rest.split_at_mut(cw * ch);
                let mut planar = yuvutils_rs::YuvPlanarImageMut {
                    y_plane: yuvutils_rs::BufferStoreMut::Borrowed(y),
                    y_stride: u32::try_from(w).expect("fits"),
                    u_plane: yuvutils_rs::BufferStoreMut::Borrowed(u),
                    u_stride: u32::try_from(cw).expect("fits"),
                    v_plane: yuvutils_rs::BufferStoreMut::Borrowed(v),
                    v_stride: u32::try_from(cw).expect("fits"),
                    width: u32::try_from(w).expect("fits"),
                    height: u32::try_from(h).expect("fits"),
                };
                yuvutils_rs::bgra_to_yuv420(
                    &mut planar,
                    &data,
                    u32::try_from(4 * w).expect("fits"),
                    yr,
                    ym,
                    yuvutils_rs::YuvConversionMode::Balanced,
                )
                .expect("converts");
            },
        );
    }
    // peer:dcv-color-primitives
    {
        let src = bgra.clone();
        let space = dcv_space(matrix, range);
        cell(
            reg,
            OP,
            dataset,
            "peer:dcv-color-primitives",
            w * h,
            len,
            tol("peer:dcv-color-primitives"),
            want,
            move |out| {
                use dcv_color_primitives as dcp;
                let data = src();
                let (cw, ch) = (chroma_size(w), chroma_size(h));
                let (y, rest) = out.split_at_mut(w * h);
                let (u, v) = rest.split_at_mut(cw * ch);
                let src_format = dcp::ImageFormat {
                    pixel_format: dcp::PixelFormat::Bgra,
                    color_space: dcp::ColorSpace::Rgb,
                    num_planes: 1,
                };
                let dst_format = dcp::ImageFormat {
                    pixel_format: dcp::PixelFormat::I420,
                    color_space: space,
                    num_planes: 3,
                };
                dcp::convert_image(
                    u32::try_from(w).expect("fits"),
                    u32::try_from(h).expect("fits"),
                    &src_format,
                    None,
                    &[&data],
                    &dst_format,
                    None,
                    &mut [y, u, v],
                )
                .expect("converts");
            },
        );
    }
}

fn yuvutils(
    matrix: Matrix,
    range: Range,
) -> (yuvutils_rs::YuvRange, yuvutils_rs::YuvStandardMatrix) {
    (
        match range {
            Range::Limited => yuvutils_rs::YuvRange::Limited,
            Range::Full => yuvutils_rs::YuvRange::Full,
        },
        match matrix {
            Matrix::Bt601 => yuvutils_rs::YuvStandardMatrix::Bt601,
            Matrix::Bt709 => yuvutils_rs::YuvStandardMatrix::Bt709,
        },
    )
}

fn dcv_space(matrix: Matrix, range: Range) -> dcv_color_primitives::ColorSpace {
    use dcv_color_primitives::ColorSpace;
    match (matrix, range) {
        (Matrix::Bt601, Range::Limited) => ColorSpace::Bt601,
        (Matrix::Bt601, Range::Full) => ColorSpace::Bt601FR,
        (Matrix::Bt709, Range::Limited) => ColorSpace::Bt709,
        (Matrix::Bt709, Range::Full) => ColorSpace::Bt709FR,
    }
}

fn i420_view(data: &[u8], w: usize, h: usize) -> I420<'_> {
    I420::packed(data, w, h).expect("sized")
}

#[allow(clippy::too_many_arguments)]
fn yuv_to_rgb(
    reg: &mut Registry,
    dataset: &str,
    w: usize,
    h: usize,
    matrix: Matrix,
    range: Range,
    frame: &Lazy,
) {
    const OP: &str = "yuv420-to-rgb";
    let len = 4 * w * h;
    let want = {
        let frame = frame.clone();
        lazy(move || {
            let data = frame();
            reference::ref_i420_to_rgb(&i420_view(&data, w, h), PixelFormat::Rgba, matrix, range)
        })
    };
    let tol = |imp: &str| tolerance(OP, imp, Some((matrix, range)));
    let ours: [(&str, Box<dyn YuvToRgb>); 3] = [
        (
            "arsenal:native",
            Box::new(Native::new().expect("ARSENAL_COLOR_ISA")),
        ),
        (
            "arsenal:native-scalar",
            Box::new(Native::with_isa(Isa::Scalar).expect("scalar")),
        ),
        ("arsenal:libyuv", Box::new(Libyuv)),
    ];
    for (imp, backend) in ours {
        let src = frame.clone();
        cell(
            reg,
            OP,
            dataset,
            imp,
            w * h,
            len,
            tol(imp),
            want.clone(),
            move |out| {
                let data = src();
                let mut dst = ImageMut::packed(out, w, h, PixelFormat::Rgba).expect("view");
                backend
                    .i420_to_rgb(&i420_view(&data, w, h), &mut dst, matrix, range)
                    .expect("converts");
            },
        );
    }
    // raw:libyuv: I420ToARGBMatrix with U and V swapped and the kYvu* table (libyuv's
    // own I420ToABGR).
    {
        let src = frame.clone();
        cell(
            reg,
            OP,
            dataset,
            "raw:libyuv",
            w * h,
            len,
            tol("raw:libyuv"),
            want.clone(),
            move |out| {
                use arsenal_yuv_sys as ffi;
                let data = src();
                let (cw, ch) = (chroma_size(w), chroma_size(h));
                let (y, rest) = data.split_at(w * h);
                let (u, v) = rest.split_at(cw * ch);
                // SAFETY: taking the address of libyuv's immutable tables.
                let constants: *const ffi::YuvConstants = unsafe {
                    match (matrix, range) {
                        (Matrix::Bt601, Range::Limited) => &ffi::kYvuI601Constants,
                        (Matrix::Bt601, Range::Full) => &ffi::kYvuJPEGConstants,
                        (Matrix::Bt709, Range::Limited) => &ffi::kYvuH709Constants,
                        (Matrix::Bt709, Range::Full) => &ffi::kYvuF709Constants,
                    }
                };
                // SAFETY: y holds w×h bytes, u and v cw×ch, out 4·w×h, at the strides passed.
                let rc = unsafe {
                    ffi::I420ToARGBMatrix(
                        y.as_ptr(),
                        int(w),
                        v.as_ptr(),
                        int(cw),
                        u.as_ptr(),
                        int(cw),
                        out.as_mut_ptr(),
                        int(4 * w),
                        constants,
                        int(w),
                        int(h),
                    )
                };
                assert_eq!(rc, 0);
            },
        );
    }
    // peer:yuvutils-rs
    {
        let src = frame.clone();
        let (yr, ym) = yuvutils(matrix, range);
        cell(
            reg,
            OP,
            dataset,
            "peer:yuvutils-rs",
            w * h,
            len,
            tol("peer:yuvutils-rs"),
            want.clone(),
            move |out| {
                let data = src();
                let (cw, ch) = (chroma_size(w), chroma_size(h));
                let (y, rest) = data.split_at(w * h);
                let (u, v) = rest.split_at(cw * ch);
                let planar = yuvutils_rs::YuvPlanarImage {
                    y_plane: y,
                    y_stride: u32::try_from(w).expect("fits"),
                    u_plane: u,
                    u_stride: u32::try_from(cw).expect("fits"),
                    v_plane: v,
                    v_stride: u32::try_from(cw).expect("fits"),
                    width: u32::try_from(w).expect("fits"),
                    height: u32::try_from(h).expect("fits"),
                };
                yuvutils_rs::yuv420_to_rgba(
                    &planar,
                    out,
                    u32::try_from(4 * w).expect("fits"),
                    yr,
                    ym,
                )
                .expect("converts");
            },
        );
    }
    // peer:dcv-color-primitives
    {
        let src = frame.clone();
        let space = dcv_space(matrix, range);
        cell(
            reg,
            OP,
            dataset,
            "peer:dcv-color-primitives",
            w * h,
            len,
            tol("peer:dcv-color-primitives"),
            want,
            move |out| {
                use dcv_color_primitives as dcp;
                let data = src();
                let (cw, ch) = (chroma_size(w), chroma_size(h));
                let (y, rest) = data.split_at(w * h);
                let (u, v) = rest.split_at(cw * ch);
                let src_format = dcp::ImageFormat {
                    pixel_format: dcp::PixelFormat::I420,
                    color_space: space,
                    num_planes: 3,
                };
                let dst_format = dcp::ImageFormat {
                    pixel_format: dcp::PixelFormat::Rgba,
                    color_space: dcp::ColorSpace::Rgb,
                    num_planes: 1,
                };
                dcp::convert_image(
                    u32::try_from(w).expect("fits"),
                    u32::try_from(h).expect("fits"),
                    &src_format,
                    None,
                    &[y, u, v],
                    &dst_format,
                    None,
                    &mut [out],
                )
                .expect("converts");
            },
        );
    }
}

fn resize(
    reg: &mut Registry,
    dataset: &str,
    (sw, sh): (usize, usize),
    (dw, dh): (usize, usize),
    channels: usize,
    src: &Lazy,
) {
    const OP: &str = "resize-bilinear";
    let len = dw * dh * channels;
    let want_on = |grid: Grid| {
        let src = src.clone();
        lazy(move || {
            reference::ref_resize_on(grid, &src(), sw, sh, sw * channels, channels, dw, dh)
        })
    };
    let (centres, libyuv_grid) = (want_on(Grid::Centres), want_on(Grid::Libyuv));
    let tol = |imp: &str| tolerance(OP, imp, None);
    let ours: [(&str, Box<dyn Resize>); 3] = [
        (
            "arsenal:native",
            Box::new(Native::new().expect("ARSENAL_COLOR_ISA")),
        ),
        (
            "arsenal:native-scalar",
            Box::new(Native::with_isa(Isa::Scalar).expect("scalar")),
        ),
        ("arsenal:libyuv", Box::new(Libyuv)),
    ];
    for (imp, backend) in ours {
        let data = src.clone();
        let want = if imp == "arsenal:libyuv" {
            libyuv_grid.clone()
        } else {
            centres.clone()
        };
        cell(
            reg,
            OP,
            dataset,
            imp,
            dw * dh,
            len,
            tol(imp),
            want,
            move |out| {
                let data = data();
                if channels == 1 {
                    let src = Plane::new(&data, sw, sh, sw).expect("view");
                    let mut dst = PlaneMut::new(out, dw, dh, dw).expect("view");
                    backend.resize_plane(&src, &mut dst).expect("resizes");
                } else {
                    let src = Image::packed(&data, sw, sh, PixelFormat::Rgba).expect("view");
                    let mut dst = ImageMut::packed(out, dw, dh, PixelFormat::Rgba).expect("view");
                    backend.resize_image(&src, &mut dst).expect("resizes");
                }
            },
        );
    }
    {
        let data = src.clone();
        cell(
            reg,
            OP,
            dataset,
            "raw:libyuv",
            dw * dh,
            len,
            tol("raw:libyuv"),
            libyuv_grid,
            move |out| {
                let data = data();
                let cs = int(sw * channels);
                let ds = int(dw * channels);
                // SAFETY: data holds sw×sh pixels and out dw×dh pixels of `channels` bytes,
                // rows packed at the strides passed.
                unsafe {
                    if channels == 1 {
                        arsenal_yuv_sys::ScalePlane(
                            data.as_ptr(),
                            cs,
                            int(sw),
                            int(sh),
                            out.as_mut_ptr(),
                            ds,
                            int(dw),
                            int(dh),
                            arsenal_yuv_sys::kFilterBilinear,
                        );
                    } else {
                        let rc = arsenal_yuv_sys::ARGBScale(
                            data.as_ptr(),
                            cs,
                            int(sw),
                            int(sh),
                            out.as_mut_ptr(),
                            ds,
                            int(dw),
                            int(dh),
                            arsenal_yuv_sys::kFilterBilinear,
                        );
                        assert_eq!(rc, 0);
                    }
                }
            },
        );
    }
    {
        use fast_image_resize as fir;
        let data = src.clone();
        let pixel = if channels == 1 {
            fir::PixelType::U8
        } else {
            fir::PixelType::U8x4
        };
        let mut resizer = fir::Resizer::new();
        let options = fir::ResizeOptions::new()
            .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Bilinear))
            .use_alpha(false);
        let mut dst = fir::images::Image::new(
            u32::try_from(dw).expect("fits"),
            u32::try_from(dh).expect("fits"),
            pixel,
        );
        cell(
            reg,
            OP,
            dataset,
            "peer:fast_image_resize",
            dw * dh,
            len,
            tol("peer:fast_image_resize"),
            centres,
            move |out| {
                let data = data();
                let src = fir::images::ImageRef::new(
                    u32::try_from(sw).expect("fits"),
                    u32::try_from(sh).expect("fits"),
                    &data,
                    pixel,
                )
                .expect("sized");
                resizer.resize(&src, &mut dst, &options).expect("resizes");
                // The result stays in fast_image_resize's own image; copied out for the check
                // (a memcpy of the output, counted in the timing).
                out.copy_from_slice(dst.buffer());
            },
        );
    }
}
