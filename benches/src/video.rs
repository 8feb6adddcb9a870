//! Video decoding (`arsenal-video`): AV1 through dav1d and libaom, VP9 through libvpx
//! and libavcodec, H.264 through libavcodec, each through our wrapper (`arsenal:<lib>`)
//! and called directly through its sys crate (`raw:<lib>`).
//!
//! **Data.** Generated at registration, never read from disk: 30 frames of 640×360
//! synthetic video (`arsenal_conformance::video::synth`: a gradient, moving shapes, mild
//! noise; plus a detailed texture scrolling 2 px right and 1 px down per frame), 8-bit
//! and (AV1) 10-bit, encoded once outside the timing with `aomenc`
//! (`--cpu-used=8`, cq-level 20), `vpxenc` (profile 0, cq-level 20) and libx264 (QP 20,
//! up to 2 B-frames) through libavcodec.
//!
//! **Units.** Frames per second: `items` = frames, `bytes` = decoded pixel bytes (4:2:0:
//! 1.5 samples per pixel, 1 or 2 bytes a sample). Every cell makes a decoder with one
//! thread, decodes the clip unit by unit and drains it: decoder set-up is in the time.
//! The 8-bit AV1 clip also has `arsenal:dav1d/all-cores` and `raw:dav1d/all-cores`:
//! dav1d with one thread per logical core and its default frame delay.
//!
//! **Verification**, once per cell outside the timing: the frame count and a digest of
//! the decoded planes (every 16th sample of every row of every plane) must equal the
//! reference library's (`raw:aom` for AV1 — so both AV1 decoders agree exactly, as AV1
//! decoding is normative —, `raw:vpx` for VP9, which `avcodec` must match too, and
//! `raw:avcodec` for H.264).
//!
//! **Memory rows** (`video/memory/<codec>-decoder-state/arsenal:<lib>`): heap held by
//! one single-thread decoder after the first two units of the codec's 8-bit clip, with
//! the pictures returned so far dropped (glibc `mallinfo2` growth, 8 decoders alive):
//! the evidence of `Strategy::MinimalMemory`.
//!
//! **No pure-Rust peers.** `rav1d` 1.1.0 (the Rust port of dav1d) exports the same
//! `dav1d_*` C symbols as the libdav1d that `libdav1d-sys` links statically: in one
//! binary the two either collide at link time or, worse, one silently resolves to the
//! other, so a `peer:rav1d` row could time dav1d under rav1d's name. It is left out
//! rather than risk that. No pure-Rust VP9 or H.264 decoder is complete enough to
//! benchmark.

use std::ffi::{c_char, c_int};
use std::hint::black_box;
use std::mem::MaybeUninit;
use std::path::Path;
use std::ptr;
use std::sync::{Arc, OnceLock};

use arsenal_conformance::video::{make_clip, synth, Clip, Source};
use arsenal_video::{Backend, Codec, Picture, Settings};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_per_value;
use crate::harness::{Case, Registry};
use crate::machine::Machine;
use crate::report::{MemoryRow, Unit};
use crate::strategy::pick;

const NAME: &str = "video";
const WIDTH: u32 = 640;
const HEIGHT: u32 = 360;
const FRAMES: usize = 30;

/// The video domain.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Video decoding",
    register,
    unit,
    note,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-video",
        pick: pick::<arsenal_video::Backend>,
    }),
    ..Domain::EMPTY
};

fn unit(_op: &str) -> Option<Unit> {
    Some(Unit::ItemsPerSecond)
}

fn note(_machine: &Machine) -> Option<String> {
    let v = |b: Backend| b.library_version().unwrap_or_default();
    Some(format!(
        "Items are frames ({FRAMES} of {WIDTH}×{HEIGHT} 4:2:0 per clip): items/s = frames/s. One \
         decoder thread per cell (dav1d all-cores: one per logical core), set-up included. Libraries: dav1d {} (bundled by libdav1d-sys, \
         meson), libaom {} and libvpx {} and {} (Debian). No pure-Rust peer: rav1d 1.1.0 exports \
         the same dav1d_* C symbols as the statically linked libdav1d, so it cannot share this \
         binary safely; no pure-Rust VP9 or H.264 decoder is complete enough to compare.",
        v(Backend::Dav1d),
        v(Backend::Aom),
        v(Backend::Vpx),
        v(Backend::Avcodec),
    ))
}

/// A digest of decoded pictures, identical however the planes are reached.
#[derive(Clone, Copy)]
struct Digest(u64);

impl Digest {
    fn new() -> Digest {
        Digest(0xcbf2_9ce4_8422_2325)
    }

    fn mix(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(0x100_0000_01B3);
    }

    /// Mixes a plane of `width`×`height` samples read by `get(x, y)`.
    fn plane(&mut self, width: usize, height: usize, get: impl Fn(usize, usize) -> u16) {
        self.mix((width as u64) << 32 | height as u64);
        for y in 0..height {
            for x in (0..width).step_by(16) {
                self.mix(u64::from(get(x, y)));
            }
        }
    }

    fn picture(&mut self, p: &Picture<'_>) {
        for plane in p.planes() {
            self.plane(plane.width(), plane.height(), |x, y| {
                plane.get(x, y).expect("in range")
            });
        }
    }

    /// Mixes a 4:2:0 picture given as raw planes: `bps` bytes a sample.
    ///
    /// # Safety
    /// Each plane holds `height` rows of `width * bps` bytes, `strides[i]` bytes apart.
    unsafe fn raw(
        &mut self,
        planes: [*const u8; 3],
        strides: [isize; 3],
        width: usize,
        height: usize,
        bps: usize,
    ) {
        for i in 0..3 {
            let (w, h) = if i == 0 {
                (width, height)
            } else {
                (width.div_ceil(2), height.div_ceil(2))
            };
            let (p, s) = (planes[i], strides[i]);
            self.plane(w, h, |x, y| {
                // SAFETY: in range per the caller's contract.
                unsafe {
                    let at = p.offset(y as isize * s + (x * bps) as isize);
                    if bps == 2 {
                        at.cast::<u16>().read_unaligned()
                    } else {
                        u16::from(at.read())
                    }
                }
            });
        }
    }
}

fn settings() -> Settings {
    Settings::new().with_threads(1).with_max_frame_delay(1)
}

/// The machine's logical cores (the `/all-cores` dav1d cells).
fn cores() -> u32 {
    std::thread::available_parallelism().map_or(1, |n| n.get() as u32)
}

/// Decodes `units` with a fresh `backend` decoder: (frames, digest).
fn arsenal_decode(backend: Backend, codec: Codec, units: &[Vec<u8>]) -> (usize, u64) {
    arsenal_decode_with(backend, codec, &settings(), units)
}

/// [`arsenal_decode`] with `settings`.
fn arsenal_decode_with(
    backend: Backend,
    codec: Codec,
    settings: &Settings,
    units: &[Vec<u8>],
) -> (usize, u64) {
    let mut decoder = backend.decoder_with(codec, settings).expect("decoder");
    let mut digest = Digest::new();
    let mut frames = 0;
    for unit in units {
        decoder.send(black_box(unit), None).expect("decode");
        while let Some(frame) = decoder.receive().expect("receive") {
            digest.picture(&frame.picture());
            frames += 1;
        }
    }
    for frame in decoder.flush().expect("flush") {
        digest.picture(&frame.picture());
        frames += 1;
    }
    digest.mix(frames as u64);
    (frames, digest.0)
}

/// dav1d called directly (libdav1d-sys) with `threads` threads (frame delay 1 with one
/// thread, dav1d's default otherwise).
fn raw_dav1d(units: &[Vec<u8>], threads: u32) -> (usize, u64) {
    use libdav1d_sys as ffi;
    const AGAIN: c_int = -11;
    let mut digest = Digest::new();
    let mut frames = 0usize;
    // SAFETY: the dav1d API used as its documentation describes: settings initialised by
    // dav1d_default_settings, data created by dav1d_data_create and filled in bounds,
    // every picture unref'd after reading `p.h` rows of its planes.
    unsafe {
        let mut s = MaybeUninit::<ffi::Dav1dSettings>::uninit();
        ffi::dav1d_default_settings(s.as_mut_ptr());
        let mut s = s.assume_init();
        s.n_threads = threads as c_int;
        s.max_frame_delay = if threads == 1 { 1 } else { 0 };
        s.apply_grain = 0;
        s.logger.callback = None;
        let mut ctx = ptr::null_mut();
        assert_eq!(ffi::dav1d_open(&mut ctx, &s), 0, "dav1d_open");
        let mut take = |ctx: *mut ffi::Dav1dContext, digest: &mut Digest| loop {
            let mut pic: ffi::Dav1dPicture = MaybeUninit::zeroed().assume_init();
            let rc = ffi::dav1d_get_picture(ctx, &mut pic);
            if rc == AGAIN {
                break;
            }
            assert!(rc >= 0, "dav1d_get_picture {rc}");
            let bps = if pic.p.bpc > 8 { 2 } else { 1 };
            digest.raw(
                pic.data.map(|d| d.cast_const().cast()),
                [pic.stride[0], pic.stride[1], pic.stride[1]],
                pic.p.w as usize,
                pic.p.h as usize,
                bps,
            );
            frames += 1;
            ffi::dav1d_picture_unref(&mut pic);
        };
        for unit in units {
            let mut data: ffi::Dav1dData = MaybeUninit::zeroed().assume_init();
            let dst = ffi::dav1d_data_create(&mut data, unit.len());
            assert!(!dst.is_null());
            ptr::copy_nonoverlapping(black_box(unit).as_ptr(), dst, unit.len());
            while data.sz > 0 {
                let rc = ffi::dav1d_send_data(ctx, &mut data);
                if rc == AGAIN {
                    take(ctx, &mut digest);
                } else {
                    assert!(rc >= 0, "dav1d_send_data {rc}");
                }
            }
            take(ctx, &mut digest);
        }
        take(ctx, &mut digest);
        ffi::dav1d_close(&mut ctx);
    }
    digest.mix(frames as u64);
    (frames, digest.0)
}

/// libaom or libvpx called directly through their sys crates' shims (the same shape).
macro_rules! raw_body {
    ($ffi:ident, $units:ident, $open:ident, $decode:ident, $next:ident, $close:ident, $image:ident) => {{
        let mut digest = Digest::new();
        let mut frames = 0usize;
        // SAFETY: the shim's contract: open/decode/next/close on one live decoder; each
        // image's planes are read (height rows of width samples, strides apart) before
        // the next decode call.
        unsafe {
            let mut dec = ptr::null_mut();
            let mut msg = [0 as c_char; 64];
            assert_eq!($ffi::$open(&mut dec, 1, msg.as_mut_ptr(), msg.len()), 0);
            let mut drain = |dec, digest: &mut Digest| loop {
                let mut img = MaybeUninit::<$ffi::$image>::zeroed();
                if $ffi::$next(dec, img.as_mut_ptr()) == 0 {
                    break;
                }
                let img = img.assume_init();
                digest.raw(
                    img.planes,
                    img.strides.map(|s| s as isize),
                    img.width as usize,
                    img.height as usize,
                    img.bytes_per_sample as usize,
                );
                frames += 1;
            };
            for unit in $units {
                let unit = black_box(unit);
                assert_eq!($ffi::$decode(dec, unit.as_ptr(), unit.len()), 0, "decode");
                drain(dec, &mut digest);
            }
            assert_eq!($ffi::$decode(dec, ptr::null(), 0), 0, "flush");
            drain(dec, &mut digest);
            $ffi::$close(dec);
        }
        digest.mix(frames as u64);
        (frames, digest.0)
    }};
}

/// libaom called directly (arsenal-aom-sys).
fn raw_aom(units: &[Vec<u8>]) -> (usize, u64) {
    raw_body!(
        arsenal_aom_sys,
        units,
        arsenal_aom_dec_open,
        arsenal_aom_dec_decode,
        arsenal_aom_dec_next,
        arsenal_aom_dec_close,
        arsenal_aom_image
    )
}

/// libvpx called directly (arsenal-vpx-sys).
fn raw_vpx(units: &[Vec<u8>]) -> (usize, u64) {
    raw_body!(
        arsenal_vpx_sys,
        units,
        arsenal_vpx_dec_open,
        arsenal_vpx_dec_decode,
        arsenal_vpx_dec_next,
        arsenal_vpx_dec_close,
        arsenal_vpx_image
    )
}

/// libavcodec called directly through its sys crate's shim.
fn raw_avcodec(codec: Codec, units: &[Vec<u8>]) -> (usize, u64) {
    use arsenal_avcodec_sys as ffi;
    let id = if codec == Codec::H264 {
        ffi::ARSENAL_AVC_H264
    } else {
        ffi::ARSENAL_AVC_VP9
    };
    let mut digest = Digest::new();
    let mut frames = 0usize;
    // SAFETY: the shim's contract: one live decoder; every received frame's planes are
    // read (height rows of width samples) and the frame freed.
    unsafe {
        let mut dec = ptr::null_mut();
        let mut msg = [0 as c_char; 64];
        assert_eq!(
            ffi::arsenal_avc_dec_open(&mut dec, id, 1, 0, 0, msg.as_mut_ptr(), msg.len()),
            0
        );
        let mut drain = |dec, digest: &mut Digest| loop {
            let mut frame = ptr::null_mut();
            let mut img = MaybeUninit::<ffi::arsenal_avc_image>::zeroed();
            let rc = ffi::arsenal_avc_dec_receive(dec, &mut frame, img.as_mut_ptr());
            if rc != ffi::ARSENAL_AVC_FRAME {
                assert!(rc > 0, "receive {rc}");
                break;
            }
            let img = img.assume_init();
            digest.raw(
                img.planes,
                img.strides.map(|s| s as isize),
                img.width as usize,
                img.height as usize,
                img.bytes_per_sample as usize,
            );
            frames += 1;
            ffi::arsenal_avc_frame_free(frame);
        };
        for unit in units {
            let unit = black_box(unit);
            assert_eq!(
                ffi::arsenal_avc_dec_send(dec, unit.as_ptr(), unit.len(), 0, 0),
                0,
                "send"
            );
            drain(dec, &mut digest);
        }
        assert_eq!(
            ffi::arsenal_avc_dec_send(dec, ptr::null(), 0, 0, 0),
            0,
            "flush"
        );
        drain(dec, &mut digest);
        ffi::arsenal_avc_dec_close(dec);
    }
    digest.mix(frames as u64);
    (frames, digest.0)
}

/// Adds a detailed texture that scrolls 2 pixels right and 1 down per frame (±20 in
/// 8-bit units) to the luma of `source`: without it the synthetic clips are mostly flat
/// and decode at thousands of frames per second, far from camera content.
fn add_texture(source: &mut Source) {
    let width = source.width as usize;
    let scale = if source.bit_depth > 8 { 4 } else { 1 };
    let max = (1i32 << source.bit_depth) - 1;
    for (t, frame) in source.frames.iter_mut().enumerate() {
        for (i, sample) in frame[0].iter_mut().enumerate() {
            let (x, y) = ((i % width + 1000 - 2 * t) / 2, (i / width + 1000 - t) / 2);
            let mut h = (x as u64) << 32 | y as u64;
            h = (h ^ (h >> 31)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            h ^= h >> 29;
            let delta = ((h % 41) as i32 - 20) * scale;
            *sample = (i32::from(*sample) + delta).clamp(0, max) as u16;
        }
    }
}

/// One cell's decode of a clip's units: (frames, digest).
type DecodeFn = Box<dyn FnMut(&[Vec<u8>]) -> (usize, u64)>;

/// (operation, dataset, codec, bit depth, clip).
type BenchClip = (&'static str, &'static str, Codec, u8, Arc<Clip>);

/// The benchmark's clips, encoded once per process (registration and memory rows share
/// them): (operation, dataset, codec, bit depth, clip).
fn clips() -> &'static [BenchClip] {
    static CLIPS: OnceLock<Vec<BenchClip>> = OnceLock::new();
    CLIPS.get_or_init(|| {
        [
            ("av1-decode", "640x360-8bit", Codec::Av1, 8),
            ("av1-decode", "640x360-10bit", Codec::Av1, 10),
            ("vp9-decode", "640x360-8bit", Codec::Vp9, 8),
            ("h264-decode", "640x360-8bit", Codec::H264, 8),
        ]
        .into_iter()
        .enumerate()
        .map(|(seed, (op, dataset, codec, depth))| {
            let mut source = synth(WIDTH, HEIGHT, depth, FRAMES, seed as u64);
            add_texture(&mut source);
            (
                op,
                dataset,
                codec,
                depth,
                Arc::new(make_clip(codec, source)),
            )
        })
        .collect()
    })
}

/// Memory rows (`video/memory/<codec>-decoder-state/<impl>`): heap held by one decoder
/// (one thread) after the first two units of the 8-bit clip of its codec, with the
/// pictures returned so far dropped: glibc `mallinfo2` growth / decoders, 8 alive.
pub fn memory_rows() -> Vec<MemoryRow> {
    const COUNT: usize = 8;
    let mut rows = Vec::new();
    for (_, dataset, codec, depth, clip) in clips() {
        if *depth != 8 {
            continue;
        }
        let what = format!(
            "{codec} decoder after two units of the {dataset} clip, pictures dropped: heap growth (glibc mallinfo2) / decoders, {COUNT} alive"
        );
        for backend in Backend::ALL.iter().copied().filter(|b| b.decodes(*codec)) {
            let bytes = held_per_value(COUNT, |_| {
                let mut decoder = backend.decoder_with(*codec, &settings()).ok()?;
                for unit in &clip.units[..2] {
                    decoder.send(unit, None).ok()?;
                    while let Ok(Some(frame)) = decoder.receive() {
                        drop(frame);
                    }
                }
                Some(decoder)
            });
            rows.push(MemoryRow {
                domain: NAME.to_owned(),
                dataset: format!("{codec}-decoder-state"),
                what: what.clone(),
                imp: format!("arsenal:{backend}"),
                items: COUNT as u64,
                bytes_per_item: bytes,
            });
        }
    }
    rows
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    for (op, dataset, codec, depth, clip) in clips() {
        let (op, dataset, codec, depth, clip) = (*op, *dataset, *codec, *depth, Arc::clone(clip));
        let bytes = (WIDTH * HEIGHT) as u64 * 3 / 2 * u64::from(depth.div_ceil(8)) * FRAMES as u64;
        // The reference: the reference library called directly.
        let reference = match codec {
            Codec::Av1 => raw_aom(&clip.units),
            Codec::Vp9 => raw_vpx(&clip.units),
            Codec::H264 => raw_avcodec(codec, &clip.units),
        };
        assert_eq!(reference.0, FRAMES, "{op}/{dataset}: reference frame count");
        let mut add = |imp: &str, mut run: DecodeFn| {
            let c = Arc::clone(&clip);
            reg.add(
                Case::new(NAME, op, dataset, imp, bytes, FRAMES as u64, move || {
                    run(&c.units).1
                })
                .expect(reference.1),
            );
        };
        let arsenal = |backend: Backend| -> DecodeFn {
            Box::new(move |units| arsenal_decode(backend, codec, units))
        };
        match codec {
            Codec::Av1 => {
                add("arsenal:dav1d", arsenal(Backend::Dav1d));
                add("raw:dav1d", Box::new(|u: &[Vec<u8>]| raw_dav1d(u, 1)));
                if depth == 8 {
                    // dav1d with every core (frame and tile threads, dav1d's frame delay).
                    let all = Settings::new().with_threads(cores());
                    add(
                        "arsenal:dav1d/all-cores",
                        Box::new(move |u: &[Vec<u8>]| {
                            arsenal_decode_with(Backend::Dav1d, codec, &all, u)
                        }),
                    );
                    add(
                        "raw:dav1d/all-cores",
                        Box::new(|u: &[Vec<u8>]| raw_dav1d(u, cores())),
                    );
                }
                add("arsenal:aom", arsenal(Backend::Aom));
                add("raw:aom", Box::new(raw_aom));
            }
            Codec::Vp9 => {
                add("arsenal:vpx", arsenal(Backend::Vpx));
                add("raw:vpx", Box::new(raw_vpx));
                add("arsenal:avcodec", arsenal(Backend::Avcodec));
                add(
                    "raw:avcodec",
                    Box::new(move |u: &[Vec<u8>]| raw_avcodec(Codec::Vp9, u)),
                );
            }
            Codec::H264 => {
                add("arsenal:avcodec", arsenal(Backend::Avcodec));
                add(
                    "raw:avcodec",
                    Box::new(move |u: &[Vec<u8>]| raw_avcodec(Codec::H264, u)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digest reads the same samples through a view and through raw pointers.
    #[test]
    fn digest_agrees_between_views_and_pointers() {
        let owned = arsenal_video::OwnedPicture::new_u16(
            5,
            3,
            10,
            arsenal_video::ChromaSampling::Cs420,
            arsenal_video::ColorInfo::UNSPECIFIED,
            None,
            [(0..15).collect(), (0..6).collect(), (7..13).collect()],
        )
        .unwrap();
        let p = owned.picture();
        let mut a = Digest::new();
        a.picture(&p);
        let planes = [0, 1, 2].map(|i| match p.plane(i).unwrap().samples() {
            arsenal_video::Samples::U16(s) => s.as_ptr().cast::<u8>(),
            arsenal_video::Samples::U8(s) => s.as_ptr(),
        });
        let strides = [0, 1, 2].map(|i| p.plane(i).unwrap().stride() as isize * 2);
        let mut b = Digest::new();
        // SAFETY: the planes of `owned`, packed, 2 bytes a sample.
        unsafe { b.raw(planes, strides, 5, 3, 2) };
        assert_eq!(a.0, b.0);
    }
}
