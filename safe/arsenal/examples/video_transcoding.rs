//! AV1 → YUV → RGB → resize → PNG frames: decode an AV1 stream (IVF or a low-overhead
//! OBU stream) with the AV1 decoder `Backend::for_codec` picks (dav1d when compiled in),
//! convert each 4:2:0 picture to RGBA with the matrix and range the stream signals,
//! resize it bilinearly, and write one PNG per frame.
//!
//! ```text
//! cargo run --release -p arsenal --example video_transcoding -- [INPUT] [options]
//!   INPUT               an AV1 .ivf or .obu file; without it, a 2 s synthetic 320×180
//!                       clip is encoded first with aomenc (Debian's aom-tools, which
//!                       scripts/bootstrap installs)
//!   --out DIR           where the PNGs go (default: video_transcoding_frames)
//!   --size WxH          the output size (default: half the input's)
//!   --frames N          stop after N frames (default: all)
//!   --threads N         decoder threads (default: all cores)
//! ```
//!
//! 10-bit pictures are reduced to 8 bits (the colour conversion is 8-bit) by dropping
//! the two low bits; 4:2:2 and 4:4:4 streams are refused with a message.
use std::error::Error;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use arsenal::color::{
    Backend as ColorBackend, Image, ImageBuf, Matrix, PixelFormat, Plane as ColorPlane, Range, I420,
};
use arsenal::video::{Backend, ChromaSampling, Codec, ColorInfo, Picture, Samples, Settings};
use arsenal::Strategy;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

struct Options {
    input: Option<PathBuf>,
    out: PathBuf,
    size: Option<(usize, usize)>,
    frames: usize,
    threads: Option<u32>,
}

fn parse_args() -> Result<Options> {
    let mut options = Options {
        input: None,
        out: PathBuf::from("video_transcoding_frames"),
        size: None,
        frames: usize::MAX,
        threads: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--out" => options.out = PathBuf::from(value()?),
            "--size" => {
                let v = value()?;
                let (w, h) = v.split_once('x').ok_or("--size takes WxH")?;
                options.size = Some((w.parse()?, h.parse()?));
            }
            "--frames" => options.frames = value()?.parse()?,
            "--threads" => options.threads = Some(value()?.parse()?),
            "-h" | "--help" => {
                println!("usage: video_transcoding [INPUT.ivf|INPUT.obu] [--out DIR] [--size WxH] [--frames N] [--threads N]");
                std::process::exit(0);
            }
            other if other.starts_with('-') => return Err(format!("unknown option {other}").into()),
            other => options.input = Some(PathBuf::from(other)),
        }
    }
    Ok(options)
}

/// A 2 s, 24 fps, 320×180 clip (a moving gradient and a bright square) encoded by
/// aomenc into `dir/synthetic.ivf`.
fn synthetic_clip(dir: &Path) -> Result<PathBuf> {
    const W: usize = 320;
    const H: usize = 180;
    const FRAMES: usize = 48;
    std::fs::create_dir_all(dir)?;
    let y4m = dir.join("synthetic.y4m");
    let ivf = dir.join("synthetic.ivf");
    let mut out = BufWriter::new(File::create(&y4m)?);
    writeln!(out, "YUV4MPEG2 W{W} H{H} F24:1 Ip A1:1 C420jpeg")?;
    for t in 0..FRAMES {
        writeln!(out, "FRAME")?;
        let (bx, by) = (20 + t * 5, 40 + (t * 3) % 100);
        let luma: Vec<u8> = (0..W * H)
            .map(|i| {
                let (x, y) = (i % W, i / W);
                if (bx..bx + 40).contains(&x) && (by..by + 40).contains(&y) {
                    235
                } else {
                    (16 + (x + y + t * 4) % 200) as u8
                }
            })
            .collect();
        out.write_all(&luma)?;
        // Cb rising down the picture, Cr rising across it: a smooth colour wash.
        let (cw, ch) = (W / 2, H / 2);
        let cb: Vec<u8> = (0..cw * ch)
            .map(|i| (80 + (i / cw) * 96 / ch) as u8)
            .collect();
        let cr: Vec<u8> = (0..cw * ch)
            .map(|i| (80 + (i % cw) * 96 / cw) as u8)
            .collect();
        out.write_all(&cb)?;
        out.write_all(&cr)?;
    }
    out.flush()?;
    drop(out);
    let status = Command::new("aomenc")
        .args(["--quiet", "--ivf", "--cpu-used=8", "--end-usage=q", "--cq-level=30"])
        .arg(format!("--limit={FRAMES}"))
        .arg("-o")
        .arg(&ivf)
        .arg(&y4m)
        .status()
        .map_err(|e| format!("aomenc not runnable ({e}): scripts/bootstrap installs aom-tools, or pass an AV1 file"))?;
    if !status.success() {
        return Err(format!("aomenc failed: {status}").into());
    }
    Ok(ivf)
}

/// The conversion matrix and range a picture's colour description asks for. Unspecified
/// matrices follow the usual convention: BT.601 below 720 lines, BT.709 from 720 up.
fn matrix_and_range(color: ColorInfo, height: u32) -> (Matrix, Range) {
    let matrix = match color.matrix {
        1 => Matrix::Bt709,
        5 | 6 => Matrix::Bt601,
        _ if height >= 720 => Matrix::Bt709,
        _ => Matrix::Bt601,
    };
    let range = if color.full_range {
        Range::Full
    } else {
        Range::Limited
    };
    (matrix, range)
}

/// One 8-bit plane: samples, width, height, stride.
struct Plane8(Vec<u8>, usize, usize, usize);

/// The picture's three planes as 8-bit buffers with their strides (10-bit samples lose
/// their two low bits; 8-bit planes are copied as they are).
fn planes_u8(picture: &Picture<'_>) -> Result<Vec<Plane8>> {
    let shift = picture.bit_depth().saturating_sub(8);
    (0..3)
        .map(|i| {
            let plane = picture.plane(i).ok_or("missing plane")?;
            let (w, h) = (plane.width(), plane.height());
            let data = match plane.samples() {
                Samples::U8(s) => return Ok(Plane8(s.to_vec(), w, h, plane.stride())),
                Samples::U16(s) => (0..h)
                    .flat_map(|y| {
                        s[y * plane.stride()..][..w]
                            .iter()
                            .map(|&v| (v >> shift) as u8)
                    })
                    .collect(),
            };
            Ok(Plane8(data, w, h, w))
        })
        .collect()
}

fn write_png(path: &Path, image: &ImageBuf) -> Result<()> {
    let file = BufWriter::new(File::create(path)?);
    let mut encoder = png::Encoder::new(file, image.width() as u32, image.height() as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header()?.write_image_data(image.as_bytes())?;
    Ok(())
}

fn main() -> Result<()> {
    let options = parse_args()?;
    let input = match &options.input {
        Some(path) => path.clone(),
        None => synthetic_clip(&options.out)?,
    };
    let stream = std::fs::read(&input).map_err(|e| format!("{}: {e}", input.display()))?;

    let backend = Backend::for_codec(Codec::Av1, Strategy::Balanced)?;
    let settings = match options.threads {
        Some(n) => Settings::new().with_threads(n),
        None => Settings::new().with_all_cores(),
    };
    let mut decoder = backend.decoder_with(Codec::Av1, &settings)?;
    let color = ColorBackend::for_strategy(Strategy::Balanced).converter()?;
    println!(
        "{}: AV1 through {backend} ({}), colour through {}",
        input.display(),
        backend.library_version().unwrap_or_default(),
        ColorBackend::for_strategy(Strategy::Balanced),
    );

    let started = Instant::now();
    let frames = decoder.decode_stream(&stream)?;
    let decoded = started.elapsed();
    std::fs::create_dir_all(&options.out)?;
    let started = Instant::now();
    let mut written = 0;
    for (index, frame) in frames.iter().take(options.frames).enumerate() {
        let picture = frame.picture();
        if picture.chroma() != ChromaSampling::Cs420 {
            return Err(format!(
                "frame {index}: {:?} (only 4:2:0 converts)",
                picture.chroma()
            )
            .into());
        }
        let (w, h) = (picture.width() as usize, picture.height() as usize);
        let planes = planes_u8(&picture)?;
        let view = |i: usize| {
            let Plane8(data, pw, ph, stride) = &planes[i];
            ColorPlane::new(data, *pw, *ph, *stride)
        };
        let yuv = I420::new(view(0)?, view(1)?, view(2)?)?;
        let (matrix, range) = matrix_and_range(picture.color(), picture.height());
        let mut rgba = ImageBuf::new(w, h, PixelFormat::Rgba)?;
        color.i420_to_rgb(&yuv, &mut rgba.view_mut(), matrix, range)?;
        let (ow, oh) = options.size.unwrap_or(((w / 2).max(1), (h / 2).max(1)));
        let mut out = ImageBuf::new(ow, oh, PixelFormat::Rgba)?;
        let src: Image<'_> = rgba.view();
        color.resize_image(&src, &mut out.view_mut())?;
        write_png(&options.out.join(format!("frame{index:05}.png")), &out)?;
        written += 1;
    }
    println!(
        "decoded {} frames in {:.1} ms; converted, resized and wrote {written} PNGs to {} in {:.1} ms",
        frames.len(),
        decoded.as_secs_f64() * 1e3,
        options.out.display(),
        started.elapsed().as_secs_f64() * 1e3,
    );
    if written == 0 {
        return Err("the stream decoded to no frame".into());
    }
    Ok(())
}
