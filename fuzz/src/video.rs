//! Properties of the video fuzz targets (`video_*`), shared with the stable replay, and
//! their seeds (streams encoded at seeding time by `aomenc`, `vpxenc` and libx264
//! through `arsenal_conformance::video`, never copied).

use arsenal_video::container::{self, obu_type, Ivf, Obu};
use arsenal_video::{Backend, Codec, Frame, Settings};

/// The picture-size limit of every fuzzed decoder (pixels): keeps hostile headers cheap.
const MAX_PIXELS: u64 = 1 << 20;

/// Checks one decoded picture: size within the limit, a bit depth the crate documents,
/// planes of the size the subsampling gives, every sample within the bit depth.
fn check_frame(frame: &Frame) {
    let p = frame.picture();
    assert!(u64::from(p.width()) * u64::from(p.height()) <= MAX_PIXELS);
    assert!(
        matches!(p.bit_depth(), 8 | 10 | 12),
        "{} bits",
        p.bit_depth()
    );
    let (sx, sy) = p.chroma().shifts();
    for (i, plane) in p.planes().enumerate() {
        let (sx, sy) = if i == 0 { (0, 0) } else { (sx, sy) };
        assert_eq!(plane.width(), (p.width() as usize).div_ceil(1 << sx));
        assert_eq!(plane.height(), (p.height() as usize).div_ceil(1 << sy));
        assert!(plane.stride() >= plane.width());
        let max = (1u32 << p.bit_depth()) - 1;
        for y in (0..plane.height()).step_by(7) {
            for x in (0..plane.width()).step_by(5) {
                assert!(u32::from(plane.get(x, y).expect("in range")) <= max);
            }
        }
    }
    assert_eq!(p.planes().count(), p.chroma().planes());
}

/// Any bytes through `backend`'s `codec` decoder: split by [`container::split`] when
/// that succeeds (IVF, OBU, Annex-B), else sent as one unit; then flushed. Every call
/// is `Ok` or a clean `Err`; every picture passes [`check_frame`]; the decoder stays
/// usable afterwards (a flush after errors succeeds or errs cleanly).
fn decode_any(backend: Backend, codec: Codec, input: &[u8]) {
    let settings = Settings::new().with_max_pixels(MAX_PIXELS);
    let mut decoder = backend.decoder_with(codec, &settings).expect("decoder");
    let units: Vec<&[u8]> = match container::split(codec, input) {
        Ok(units) => units.into_iter().map(|(u, _)| u).collect(),
        Err(_) => vec![input],
    };
    for (i, unit) in units.into_iter().enumerate() {
        if unit.is_empty() {
            continue;
        }
        if decoder.send(unit, Some(i as i64)).is_ok() {
            while let Ok(Some(frame)) = decoder.receive() {
                check_frame(&frame);
            }
        }
    }
    if let Ok(frames) = decoder.flush() {
        frames.iter().for_each(check_frame);
    }
}

/// dav1d on any bytes (AV1: IVF, OBU stream or one temporal unit).
pub fn video_dav1d(input: &[u8]) {
    decode_any(Backend::Dav1d, Codec::Av1, input);
}

/// libaom on any bytes (AV1).
pub fn video_aom(input: &[u8]) {
    decode_any(Backend::Aom, Codec::Av1, input);
}

/// libvpx on any bytes (VP9: IVF or one frame).
pub fn video_vpx(input: &[u8]) {
    decode_any(Backend::Vpx, Codec::Vp9, input);
}

/// libavcodec's H.264 decoder on any bytes (Annex-B access units).
pub fn video_h264(input: &[u8]) {
    decode_any(Backend::Avcodec, Codec::H264, input);
}

/// Any bytes as IVF: a clean `Err` or a header and records that tile the input exactly
/// (header length + per record 12 bytes + payload), stopping at the first error.
pub fn video_ivf(input: &[u8]) {
    let Ok(ivf) = Ivf::parse(input) else {
        return;
    };
    let header_len = usize::from(u16::from_le_bytes([input[6], input[7]]));
    let mut used = header_len;
    let mut failed = false;
    for frame in ivf.frames() {
        match frame {
            Ok(f) => {
                assert_eq!(f.data.as_ptr(), input[used + 12..].as_ptr());
                used += 12 + f.data.len();
            }
            Err(_) => {
                failed = true;
                break;
            }
        }
    }
    assert!(
        failed || used == input.len(),
        "records cover {used} of {}",
        input.len()
    );
}

/// Any bytes as a low-overhead OBU stream: temporal units are consecutive slices of the
/// input from its start, each starting with a temporal delimiter and made of whole
/// OBUs; without an error they cover the input.
pub fn video_obu(input: &[u8]) {
    let mut at = 0;
    let mut failed = false;
    for unit in Obu::temporal_units(input) {
        match unit {
            Ok(unit) => {
                assert_eq!(unit.as_ptr(), input[at..].as_ptr());
                let obus: Vec<_> = Obu::units(unit)
                    .collect::<Result<_, _>>()
                    .expect("whole OBUs");
                assert_eq!(obus[0].kind, obu_type::TEMPORAL_DELIMITER);
                assert_eq!(
                    obus.iter().map(|o| o.bytes.len()).sum::<usize>(),
                    unit.len()
                );
                at += unit.len();
            }
            Err(_) => {
                failed = true;
                break;
            }
        }
    }
    assert!(failed || at == input.len());
}

/// Short AV1 (IVF and OBU, 8 and 10 bits), VP9 (IVF) and H.264 (Annex-B) streams made
/// at seeding time, each also cut in half and with one byte flipped.
pub fn video_seeds() -> Vec<(String, Vec<u8>)> {
    use arsenal_conformance::video::{make_clip, synth};
    let mut seeds = Vec::new();
    for (depth, seed) in [(8u8, 1u64), (10, 2)] {
        let clip = make_clip(Codec::Av1, synth(64, 48, depth, 3, seed));
        seeds.push((format!("av1_{depth}bit_ivf"), clip.stream.clone()));
        seeds.push((
            format!("av1_{depth}bit_obu"),
            clip.obu.clone().expect("obu"),
        ));
    }
    let clip = make_clip(Codec::Vp9, synth(64, 48, 8, 3, 3));
    seeds.push(("vp9_ivf".to_owned(), clip.stream.clone()));
    let clip = make_clip(Codec::H264, synth(64, 48, 8, 3, 4));
    seeds.push(("h264_annexb".to_owned(), clip.stream.clone()));
    let mut variants = Vec::new();
    for (name, bytes) in &seeds {
        variants.push((format!("{name}_half"), bytes[..bytes.len() / 2].to_vec()));
        let mut flipped = bytes.clone();
        let at = flipped.len() * 2 / 3;
        flipped[at] ^= 0x20;
        variants.push((format!("{name}_flip"), flipped));
    }
    seeds.extend(variants);
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_hold_on_the_seeds() {
        let seeds = video_seeds();
        assert_eq!(seeds.len(), 18);
        for (_, seed) in &seeds {
            video_dav1d(seed);
            video_aom(seed);
            video_vpx(seed);
            video_h264(seed);
            video_ivf(seed);
            video_obu(seed);
        }
    }
}
