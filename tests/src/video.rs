//! The video decoding suite (`arsenal-video`): synthetic clips (also the benchmark's
//! and the fuzz seeds' data), encoders run at test time, quality measures, and checks
//! generic over a [`Backend`], instantiated per backend by
//! [`video_conformance!`](crate::video_conformance).
//!
//! Streams are **made at test time, never committed**: frames are synthesised
//! ([`synth`]: a gradient, a moving square and a moving disc, and mild noise; 8 and 10
//! bits), written as Y4M into a temporary directory and encoded with `aomenc` (AV1, IVF
//! and low-overhead OBU output) and `vpxenc` (VP9, IVF) from Debian's `aom-tools` and
//! `vpx-tools`, and with libx264 through `arsenal-avcodec-sys`'s shim (H.264 Annex-B,
//! B-frames on). A missing encoder CLI fails the test with a message naming
//! `scripts/bootstrap`.
//!
//! Quality: the luma PSNR of every decoded frame against its source is at least
//! [`MIN_PSNR_DB`] (the encoders run at a fixed high quality: AV1/VP9 `--end-usage=q
//! --cq-level=20`, H.264 QP 20).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use arsenal_video::{Backend, Codec, Decoder, ErrorKind, OwnedPicture, Settings};

/// The PSNR bound of every decoded frame's luma against its source, in dB.
pub const MIN_PSNR_DB: f64 = 30.0;

/// A synthetic 4:2:0 clip: frames of packed planes, samples as `u16` (8-bit values for
/// 8-bit clips).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Luma width.
    pub width: u32,
    /// Luma height.
    pub height: u32,
    /// 8 or 10.
    pub bit_depth: u8,
    /// Per frame: Y, U, V packed (chroma `ceil(w/2) × ceil(h/2)`).
    pub frames: Vec<[Vec<u16>; 3]>,
}

fn hash(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// `count` frames of `width`×`height` at `bit_depth` (8 or 10): a diagonal gradient, a
/// bright square moving right, a dark disc moving down, chroma gradients, and noise of
/// ±2 (8-bit units) from `seed`.
pub fn synth(width: u32, height: u32, bit_depth: u8, count: usize, seed: u64) -> Source {
    let (w, h) = (width as usize, height as usize);
    let (cw, ch) = (w.div_ceil(2), h.div_ceil(2));
    let scale = if bit_depth > 8 { 4.0 } else { 1.0 };
    let max = f64::from((1u32 << bit_depth) - 1);
    let q = |v: f64| (v * scale).round().clamp(0.0, max) as u16;
    let frames = (0..count)
        .map(|t| {
            let sq = (t * 3) % w.max(1);
            let disc_y = (t * 2) % h.max(1);
            let mut y = Vec::with_capacity(w * h);
            for j in 0..h {
                for i in 0..w {
                    let mut v = 40.0 + 150.0 * (i + j) as f64 / (w + h) as f64;
                    if i >= sq && i < sq + w / 5 && j >= h / 4 && j < h / 4 + h / 4 {
                        v = 220.0;
                    }
                    let (dx, dy) = (i as f64 - w as f64 * 0.6, j as f64 - disc_y as f64);
                    if dx * dx + dy * dy < (h as f64 / 6.0).powi(2) {
                        v = 25.0;
                    }
                    let n = (hash(seed ^ ((t * w * h + j * w + i) as u64)) % 5) as f64 - 2.0;
                    y.push(q(v + n));
                }
            }
            let chroma = |phase: f64| {
                let mut p = Vec::with_capacity(cw * ch);
                for j in 0..ch {
                    for i in 0..cw {
                        p.push(q(128.0
                            + 40.0 * ((i as f64 / cw as f64) - 0.5) * phase
                            + 30.0 * ((j as f64 / ch as f64) - 0.5)
                            + t as f64 * 0.5));
                    }
                }
                p
            };
            [y, chroma(1.0), chroma(-1.0)]
        })
        .collect();
    Source {
        width,
        height,
        bit_depth,
        frames,
    }
}

impl Source {
    /// The clip as a Y4M file (`C420jpeg` or `C420p10`, little-endian 16-bit samples).
    pub fn y4m(&self) -> Vec<u8> {
        let colour = if self.bit_depth > 8 {
            "C420p10 XYSCSS=420P10"
        } else {
            "C420jpeg"
        };
        let mut out = format!(
            "YUV4MPEG2 W{} H{} F30:1 Ip A1:1 {colour}\n",
            self.width, self.height
        )
        .into_bytes();
        for frame in &self.frames {
            out.extend_from_slice(b"FRAME\n");
            out.extend(self.planes_bytes(frame).concat());
        }
        out
    }

    /// One frame's planes as bytes (8-bit: one byte a sample; else `u16` LE).
    pub fn planes_bytes(&self, frame: &[Vec<u16>; 3]) -> [Vec<u8>; 3] {
        frame.clone().map(|p| {
            if self.bit_depth > 8 {
                p.iter().flat_map(|s| s.to_le_bytes()).collect()
            } else {
                p.iter().map(|&s| s as u8).collect()
            }
        })
    }
}

/// An encoded test clip: its source and the stream in each form made.
#[derive(Debug)]
pub struct Clip {
    /// The frames that were encoded.
    pub source: Source,
    /// The codec.
    pub codec: Codec,
    /// The stream as the decoder's whole-stream input: IVF for AV1 and VP9, Annex-B
    /// for H.264.
    pub stream: Vec<u8>,
    /// AV1 only: the same encode as a low-overhead OBU stream (`aomenc --obu`).
    pub obu: Option<Vec<u8>>,
    /// The units of `stream` (IVF records, or H.264 access units from the encoder).
    pub units: Vec<Vec<u8>>,
}

/// The clips of the suite: (width, height, bit depth, frames).
pub const SHAPES: [(u32, u32, u8, usize); 3] = [(128, 72, 8, 10), (66, 38, 8, 6), (96, 64, 10, 6)];

fn tool(name: &str, package: &str, args: &[&str], dir: &Path) {
    let output = Command::new(name).args(args).current_dir(dir).output();
    match output {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
            "`{name}` is not installed: run scripts/bootstrap (Debian package {package}); \
             the video tests encode their streams with it at test time"
        ),
        Err(e) => panic!("{name}: {e}"),
        Ok(out) if !out.status.success() => panic!(
            "{name} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Ok(_) => {}
    }
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("arsenal-video-")
        .tempdir()
        .expect("temporary directory")
}

fn ivf_units(ivf: &[u8]) -> Vec<Vec<u8>> {
    arsenal_video::container::Ivf::parse(ivf)
        .expect("encoder wrote IVF")
        .frames()
        .map(|f| f.expect("IVF record").data.to_vec())
        .collect()
}

/// Encodes `source` as AV1 with `aomenc` (`--cpu-used=8`, one pass, cq-level 20):
/// (IVF, OBU stream) of the same encode settings.
pub fn encode_av1(source: &Source) -> (Vec<u8>, Vec<u8>) {
    encode_av1_with(source, &[])
}

/// [`encode_av1`] with extra `aomenc` arguments (e.g. the colour description).
pub fn encode_av1_with(source: &Source, extra: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let dir = temp_dir();
    std::fs::write(dir.path().join("in.y4m"), source.y4m()).expect("write y4m");
    let limit = format!("--limit={}", source.frames.len());
    let depth = format!("--bit-depth={}", source.bit_depth);
    let input_depth = format!("--input-bit-depth={}", source.bit_depth);
    let mut common = vec![
        "--cpu-used=8",
        "--passes=1",
        "--end-usage=q",
        "--cq-level=20",
        "--threads=1",
        "--quiet",
        limit.as_str(),
    ];
    if source.bit_depth > 8 {
        common.extend([depth.as_str(), input_depth.as_str()]);
    }
    common.extend_from_slice(extra);
    let mut ivf_args = common.clone();
    ivf_args.extend(["--ivf", "-o", "out.ivf", "in.y4m"]);
    tool("aomenc", "aom-tools", &ivf_args, dir.path());
    let mut obu_args = common;
    obu_args.extend(["--obu", "-o", "out.obu", "in.y4m"]);
    tool("aomenc", "aom-tools", &obu_args, dir.path());
    (
        std::fs::read(dir.path().join("out.ivf")).expect("aomenc output"),
        std::fs::read(dir.path().join("out.obu")).expect("aomenc output"),
    )
}

/// Encodes `source` as VP9 IVF with `vpxenc` (profile 0, or 2 for 10 bits).
pub fn encode_vp9(source: &Source) -> Vec<u8> {
    let dir = temp_dir();
    std::fs::write(dir.path().join("in.y4m"), source.y4m()).expect("write y4m");
    let limit = format!("--limit={}", source.frames.len());
    let mut args = vec![
        "--codec=vp9",
        "--good",
        "--cpu-used=8",
        "--passes=1",
        "--end-usage=q",
        "--cq-level=20",
        "--threads=1",
        "--quiet",
        limit.as_str(),
    ];
    if source.bit_depth > 8 {
        args.extend(["--profile=2", "--bit-depth=10", "--input-bit-depth=10"]);
    }
    args.extend(["--ivf", "-o", "out.ivf", "in.y4m"]);
    tool("vpxenc", "vpx-tools", &args, dir.path());
    std::fs::read(dir.path().join("out.ivf")).expect("vpxenc output")
}

/// Encodes `source` as H.264 with libx264 (QP 20, GOP 30, up to 2 B-frames): the access
/// units as the encoder emitted them.
#[cfg(feature = "avcodec")]
pub fn encode_h264(source: &Source) -> Vec<Vec<u8>> {
    use arsenal_video::backend::avcodec::H264Encoder;
    let mut encoder = H264Encoder::new(source.width, source.height, source.bit_depth, 20, 30, 2)
        .expect("libx264 through libavcodec (Debian's libavcodec59 links it)");
    let mut units = Vec::new();
    for (t, frame) in source.frames.iter().enumerate() {
        let planes = source.planes_bytes(frame);
        units.extend(
            encoder
                .encode(&[&planes[0], &planes[1], &planes[2]], t as i64)
                .expect("encode"),
        );
    }
    units.extend(encoder.finish().expect("finish"));
    units
}

/// One clip, made on first use.
type ClipCell = Arc<OnceLock<Arc<Clip>>>;

/// The clip of `codec` for shape `index` of [`SHAPES`], made once per process.
pub fn clip(codec: Codec, index: usize) -> Arc<Clip> {
    static CLIPS: OnceLock<Mutex<HashMap<(Codec, usize), ClipCell>>> = OnceLock::new();
    let cell = CLIPS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .entry((codec, index))
        .or_default()
        .clone();
    cell.get_or_init(|| {
        let (w, h, depth, count) = SHAPES[index];
        Arc::new(make_clip(
            codec,
            synth(w, h, depth, count, 0x5EED + index as u64),
        ))
    })
    .clone()
}

/// Encodes `source` as `codec` (see [`encode_av1`], [`encode_vp9`], `encode_h264`).
pub fn make_clip(codec: Codec, source: Source) -> Clip {
    match codec {
        Codec::Av1 => {
            let (ivf, obu) = encode_av1(&source);
            Clip {
                units: ivf_units(&ivf),
                stream: ivf,
                obu: Some(obu),
                source,
                codec,
            }
        }
        Codec::Vp9 => {
            let ivf = encode_vp9(&source);
            Clip {
                units: ivf_units(&ivf),
                stream: ivf,
                obu: None,
                source,
                codec,
            }
        }
        #[cfg(feature = "avcodec")]
        Codec::H264 => {
            let units = encode_h264(&source);
            Clip {
                stream: units.concat(),
                units,
                obu: None,
                source,
                codec,
            }
        }
        #[cfg(not(feature = "avcodec"))]
        Codec::H264 => panic!("H.264 test streams are made by libx264 through the avcodec feature"),
    }
}

/// Decodes `stream` whole with `backend` and `settings`: owned pictures.
pub fn decode(
    backend: Backend,
    codec: Codec,
    settings: &Settings,
    stream: &[u8],
) -> arsenal_video::Result<Vec<OwnedPicture>> {
    let mut decoder = backend.decoder_with(codec, settings)?;
    Ok(decoder
        .decode_stream(stream)?
        .into_iter()
        .map(|f| f.into_owned())
        .collect())
}

/// Luma PSNR in dB of `picture` against source frame `frame`.
pub fn psnr_y(source: &Source, frame: usize, picture: &OwnedPicture) -> f64 {
    let got = picture.picture().plane(0).expect("luma").to_vec_u16();
    let want = &source.frames[frame][0];
    assert_eq!(got.len(), want.len(), "luma size");
    let mse: f64 = got
        .iter()
        .zip(want)
        .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
        .sum::<f64>()
        / got.len() as f64;
    let peak = f64::from((1u32 << source.bit_depth) - 1);
    if mse == 0.0 {
        f64::INFINITY
    } else {
        10.0 * (peak * peak / mse).log10()
    }
}

/// Every clip of every codec the backend decodes: frame count, size, bit depth,
/// subsampling, PSNR ≥ [`MIN_PSNR_DB`] against the source, timestamps of IVF records.
pub fn check_decodes_clips(backend: Backend) {
    for &codec in backend.codecs() {
        for index in 0..SHAPES.len() {
            let clip = clip(codec, index);
            let src = &clip.source;
            let pictures = decode(backend, codec, &Settings::new(), &clip.stream)
                .unwrap_or_else(|e| panic!("{backend} {codec} clip {index}: {e}"));
            assert_eq!(
                pictures.len(),
                src.frames.len(),
                "{backend} {codec} clip {index}: frame count"
            );
            for (i, p) in pictures.iter().enumerate() {
                let view = p.picture();
                assert_eq!(
                    (view.width(), view.height()),
                    (src.width, src.height),
                    "{backend} {codec}"
                );
                assert_eq!(
                    view.bit_depth(),
                    src.bit_depth,
                    "{backend} {codec} clip {index}"
                );
                assert_eq!(view.chroma(), arsenal_video::ChromaSampling::Cs420);
                let (cw, ch) = (
                    src.width.div_ceil(2) as usize,
                    src.height.div_ceil(2) as usize,
                );
                assert_eq!(
                    (
                        view.plane(1).unwrap().width(),
                        view.plane(2).unwrap().height()
                    ),
                    (cw, ch)
                );
                let psnr = psnr_y(src, i, p);
                assert!(
                    psnr >= MIN_PSNR_DB,
                    "{backend} {codec} clip {index} frame {i}: PSNR {psnr:.2} dB"
                );
                if codec != Codec::H264 {
                    // IVF record timestamps are 0, 1, 2, ... in display order.
                    assert_eq!(
                        view.timestamp(),
                        Some(i as i64),
                        "{backend} {codec} frame {i}"
                    );
                }
            }
        }
    }
}

/// Threads 1 and 4 (and the lowest frame delay) give identical pictures.
pub fn check_threads_agree(backend: Backend) {
    for &codec in backend.codecs() {
        let clip = clip(codec, 0);
        let one = decode(
            backend,
            codec,
            &Settings::new().with_threads(1),
            &clip.stream,
        )
        .unwrap();
        let four = decode(
            backend,
            codec,
            &Settings::new().with_threads(4),
            &clip.stream,
        )
        .unwrap();
        let low = decode(
            backend,
            codec,
            &Settings::new().with_threads(3).with_max_frame_delay(1),
            &clip.stream,
        )
        .unwrap();
        assert_eq!(one.len(), clip.source.frames.len());
        assert!(one == four, "{backend} {codec}: 1 vs 4 threads differ");
        assert!(one == low, "{backend} {codec}: frame delay 1 differs");
    }
}

/// Units sent one at a time with timestamps: what `receive` gives plus what `flush`
/// drains is every frame, with the timestamps sent (in display order); the decoder is
/// reusable after the flush and decodes the stream again identically; frames outlive
/// their decoder.
pub fn check_flush_and_timestamps(backend: Backend) {
    for &codec in backend.codecs() {
        let clip = clip(codec, 0);
        let mut decoder = backend
            .decoder_with(codec, &Settings::new().with_threads(2))
            .unwrap();
        let run = |decoder: &mut Box<dyn Decoder + Send>| {
            let mut frames = Vec::new();
            for (i, unit) in clip.units.iter().enumerate() {
                decoder.send(unit, Some(1000 + 10 * i as i64)).unwrap();
                while let Some(frame) = decoder.receive().unwrap() {
                    frames.push(frame);
                }
            }
            let received = frames.len();
            frames.extend(decoder.flush().unwrap());
            (received, frames)
        };
        let (_, first) = run(&mut decoder);
        let (_, second) = run(&mut decoder);
        drop(decoder);
        assert_eq!(
            first.len(),
            clip.source.frames.len(),
            "{backend} {codec}: frames after flush"
        );
        let stamps: Vec<i64> = first
            .iter()
            .map(|f| f.timestamp().expect("timestamp"))
            .collect();
        let want: Vec<i64> = (0..clip.source.frames.len())
            .map(|i| 1000 + 10 * i as i64)
            .collect();
        if codec == Codec::H264 {
            // Access units are in decode order; pictures come out in display order, each
            // with the timestamp of the unit it was coded in (the encoder's pts order).
            let mut sorted = stamps.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, want, "{backend} {codec}: timestamps");
        } else {
            assert_eq!(stamps, want, "{backend} {codec}: timestamps");
        }
        let a: Vec<OwnedPicture> = first.iter().map(|f| f.to_owned()).collect();
        let b: Vec<OwnedPicture> = second.into_iter().map(|f| f.into_owned()).collect();
        assert!(a == b, "{backend} {codec}: second pass after flush differs");
        // Zero-copy frames: views still readable after the decoder is gone.
        let zero_copy = matches!(backend, Backend::Dav1d | Backend::Avcodec);
        assert!(
            first.iter().all(|f| f.is_zero_copy() == zero_copy),
            "{backend}"
        );
    }
}

/// Bit flips, truncations, garbage, empty input and the wrong codec: an `Err` or fewer
/// or damaged frames, never a panic or crash. Returns how many inputs gave an `Err`.
pub fn check_corrupt(backend: Backend) -> usize {
    let mut errors = 0;
    for &codec in backend.codecs() {
        let clip = clip(codec, 1);
        let n = clip.source.frames.len();
        let stream = &clip.stream;
        let mut outcome = |data: &[u8]| match decode(backend, codec, &Settings::new(), data) {
            Ok(frames) => assert!(
                frames.len() <= n + 2,
                "{backend} {codec}: {} frames",
                frames.len()
            ),
            Err(_) => errors += 1,
        };
        // Bit flips at 64 spread positions past the container header.
        for k in 0..64u64 {
            let mut bad = stream.clone();
            let at = 32 + (hash(k) as usize % (bad.len() - 32));
            bad[at] ^= 1 << (k % 8);
            outcome(&bad);
        }
        // Truncations.
        for cut in [
            0,
            1,
            16,
            31,
            32,
            40,
            stream.len() / 3,
            stream.len() / 2,
            stream.len() - 1,
        ] {
            outcome(&stream[..cut.min(stream.len())]);
        }
        // Garbage, and units of garbage sent directly.
        let garbage: Vec<u8> = (0..4096u64).map(|i| hash(i) as u8).collect();
        outcome(&garbage);
        let mut decoder = backend.decoder(codec).unwrap();
        for chunk in garbage.chunks(97) {
            if decoder.send(chunk, None).is_err() {
                errors += 1;
            }
            while let Ok(Some(_)) = decoder.receive() {}
        }
        let _ = decoder.flush();
        // Empty input.
        assert_eq!(
            decoder.send(&[], None).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        // The wrong codec: an IVF of another codec is refused by its FourCC; the raw
        // units of another codec decode to an error or nothing.
        let other = if codec == Codec::Av1 {
            Codec::Vp9
        } else {
            Codec::Av1
        };
        let other_clip = self::clip(other, 1);
        assert_eq!(
            decode(backend, codec, &Settings::new(), &other_clip.stream)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument
        );
        let mut decoder = backend.decoder(codec).unwrap();
        let mut frames = 0;
        for unit in &other_clip.units {
            match decoder.send(unit, None) {
                Ok(()) => {
                    while let Ok(Some(_)) = decoder.receive() {
                        frames += 1;
                    }
                }
                Err(_) => errors += 1,
            }
        }
        frames += decoder.flush().map_or(0, |f| f.len());
        assert_eq!(
            frames, 0,
            "{backend} {codec}: decoded pictures from a {other} stream"
        );
    }
    errors
}

/// Limits at their maximum: settings out of range (`u32::MAX` threads and frame delay,
/// `u64::MAX` and 0 pixels) give `InvalidArgument`; a pixel limit below the clip's
/// size gives `OutputLimit` (or the library's own refusal), never a picture.
pub fn check_limits(backend: Backend) {
    for &codec in backend.codecs() {
        for settings in [
            Settings::new().with_threads(u32::MAX),
            Settings::new().with_threads(arsenal_video::MAX_THREADS + 1),
            Settings::new().with_threads(0),
            Settings::new().with_max_frame_delay(u32::MAX),
            Settings::new().with_max_pixels(u64::MAX),
            Settings::new().with_max_pixels(0),
        ] {
            let err = backend
                .decoder_with(codec, &settings)
                .err()
                .expect("refused");
            assert_eq!(
                err.kind(),
                ErrorKind::InvalidArgument,
                "{backend}: {settings:?}"
            );
            assert_eq!(err.backend(), backend.name());
        }
        // The largest accepted values work.
        let max = Settings::new()
            .with_threads(arsenal_video::MAX_THREADS)
            .with_max_frame_delay(arsenal_video::MAX_FRAME_DELAY)
            .with_max_pixels(u64::from(u32::MAX));
        let clip = clip(codec, 1);
        assert_eq!(
            decode(backend, codec, &max, &clip.stream).unwrap().len(),
            clip.source.frames.len()
        );
        // A picture over the limit.
        let pixels = u64::from(clip.source.width * clip.source.height);
        let small = Settings::new().with_max_pixels(pixels - 1);
        match decode(backend, codec, &small, &clip.stream) {
            Ok(frames) => panic!(
                "{backend} {codec}: {} frames over the pixel limit",
                frames.len()
            ),
            Err(e) => assert!(
                matches!(
                    e.kind(),
                    ErrorKind::OutputLimit
                        | ErrorKind::Corrupt
                        | ErrorKind::InvalidArgument
                        | ErrorKind::Other
                ),
                "{backend}: {e}"
            ),
        }
        assert_eq!(
            decode(
                backend,
                codec,
                &Settings::new().with_max_pixels(pixels),
                &clip.stream
            )
            .unwrap()
            .len(),
            clip.source.frames.len()
        );
    }
}

/// The `dyn` form from the `Backend` value: backend and codec names, and a decode.
pub fn check_dyn(backend: Backend) {
    for &codec in backend.codecs() {
        let mut decoder: Box<dyn Decoder + Send> = backend.decoder(codec).unwrap();
        assert_eq!((decoder.backend(), decoder.codec()), (backend, codec));
        let clip = clip(codec, 0);
        let frames = decoder.decode_stream(&clip.stream).unwrap();
        assert_eq!(frames.len(), clip.source.frames.len());
        // Frames cross threads.
        let sums = std::thread::spawn(move || {
            frames
                .iter()
                .map(|f| {
                    f.picture()
                        .plane(0)
                        .unwrap()
                        .to_vec_u16()
                        .iter()
                        .map(|&v| u64::from(v))
                        .sum::<u64>()
                })
                .collect::<Vec<_>>()
        })
        .join()
        .unwrap();
        assert!(sums.iter().all(|&s| s > 0));
    }
    assert!(backend.library_version().is_some_and(|v| !v.is_empty()));
}

/// Writes a file into `dir` (seed corpora).
pub fn write_file(dir: &Path, name: &str, data: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::File::create(dir.join(name))?.write_all(data)
}

/// Instantiates the video suite for one backend:
/// `video_conformance!(dav1d, arsenal_video::Backend::Dav1d);`.
#[macro_export]
macro_rules! video_conformance {
    ($name:ident, $backend:expr) => {
        mod $name {
            #[test]
            fn decodes_clips() {
                $crate::video::check_decodes_clips($backend);
            }

            #[test]
            fn threads_agree() {
                $crate::video::check_threads_agree($backend);
            }

            #[test]
            fn flush_and_timestamps() {
                $crate::video::check_flush_and_timestamps($backend);
            }

            #[test]
            fn corrupt() {
                let rejected = $crate::video::check_corrupt($backend);
                assert!(rejected > 0, "no corrupt input was rejected");
            }

            #[test]
            fn limits() {
                $crate::video::check_limits($backend);
            }

            #[test]
            fn dyn_form() {
                $crate::video::check_dyn($backend);
            }
        }
    };
}
