//! The video decoding suite once per backend, plus the cross-backend checks: the AV1
//! decoders (dav1d, libaom) agree bit for bit (AV1 decoding is normative), as do the
//! VP9 decoders (libvpx, libavcodec); an AV1 clip as IVF and as a low-overhead OBU
//! stream decodes to the same pictures; film grain is off by default.
#![cfg(any(
    feature = "dav1d",
    feature = "aom",
    feature = "vpx",
    feature = "avcodec"
))]

#[cfg(feature = "dav1d")]
arsenal_conformance::video_conformance!(dav1d, arsenal_video::Backend::Dav1d);
#[cfg(feature = "aom")]
arsenal_conformance::video_conformance!(aom, arsenal_video::Backend::Aom);
#[cfg(feature = "vpx")]
arsenal_conformance::video_conformance!(vpx, arsenal_video::Backend::Vpx);
#[cfg(feature = "avcodec")]
arsenal_conformance::video_conformance!(avcodec, arsenal_video::Backend::Avcodec);

use arsenal_conformance::video::{clip, decode, SHAPES};
use arsenal_video::{Backend, Codec, Settings};

/// Every available backend for `codec` decodes every clip to the same pictures.
#[cfg(any(
    all(feature = "dav1d", feature = "aom"),
    all(feature = "vpx", feature = "avcodec")
))]
fn decoders_agree(codec: Codec) -> usize {
    let backends: Vec<Backend> = Backend::available()
        .into_iter()
        .filter(|b| b.decodes(codec))
        .collect();
    for index in 0..SHAPES.len() {
        let clip = clip(codec, index);
        let reference = decode(backends[0], codec, &Settings::new(), &clip.stream).unwrap();
        assert_eq!(reference.len(), clip.source.frames.len());
        for &other in &backends[1..] {
            let pictures = decode(other, codec, &Settings::new(), &clip.stream).unwrap();
            assert_eq!(
                pictures.len(),
                reference.len(),
                "{other} vs {}",
                backends[0]
            );
            for (i, (a, b)) in reference.iter().zip(&pictures).enumerate() {
                let (a, b) = (a.picture(), b.picture());
                for plane in 0..3 {
                    assert_eq!(
                        a.plane(plane).unwrap().to_vec_u16(),
                        b.plane(plane).unwrap().to_vec_u16(),
                        "{codec} clip {index} frame {i} plane {plane}: {} and {other} differ",
                        backends[0]
                    );
                }
                assert_eq!(
                    (a.bit_depth(), a.color()),
                    (b.bit_depth(), b.color()),
                    "{codec} clip {index}"
                );
            }
        }
    }
    backends.len()
}

#[cfg(all(feature = "dav1d", feature = "aom"))]
#[test]
fn av1_decoders_are_bit_exact() {
    assert!(decoders_agree(Codec::Av1) >= 2);
}

#[cfg(all(feature = "vpx", feature = "avcodec"))]
#[test]
fn vp9_decoders_are_bit_exact() {
    assert!(decoders_agree(Codec::Vp9) >= 2);
}

/// The OBU stream and the IVF file of one encode hold the same temporal units.
#[test]
fn obu_and_ivf_agree() {
    use arsenal_video::container::{Ivf, Obu};
    for index in 0..SHAPES.len() {
        let clip = clip(Codec::Av1, index);
        let obu = clip.obu.as_ref().unwrap();
        let units: Vec<&[u8]> = Obu::temporal_units(obu).collect::<Result<_, _>>().unwrap();
        let records: Vec<&[u8]> = Ivf::parse(&clip.stream)
            .unwrap()
            .frames()
            .map(|f| f.unwrap().data)
            .collect();
        assert_eq!(units, records, "clip {index}");
        if let Some(backend) = Backend::available()
            .into_iter()
            .find(|b| b.decodes(Codec::Av1))
        {
            let a = decode(backend, Codec::Av1, &Settings::new(), obu).unwrap();
            let b = decode(backend, Codec::Av1, &Settings::new(), &clip.stream).unwrap();
            assert_eq!(a.len(), b.len());
            for (a, b) in a.iter().zip(&b) {
                assert_eq!(
                    a.picture().plane(0).unwrap().to_vec_u16(),
                    b.picture().plane(0).unwrap().to_vec_u16()
                );
            }
        }
    }
}

/// H.264 streams from the encoder split back into the encoder's access units.
#[cfg(feature = "avcodec")]
#[test]
fn annexb_split_matches_the_encoder() {
    use arsenal_video::container::AnnexB;
    for index in 0..SHAPES.len() {
        let clip = clip(Codec::H264, index);
        let units: Vec<&[u8]> = AnnexB::access_units(&clip.stream).unwrap().collect();
        let want: Vec<&[u8]> = clip.units.iter().map(|u| u.as_slice()).collect();
        assert_eq!(units, want, "clip {index}");
    }
}

/// dav1d with film grain on gives the same pictures as with it off for a stream that
/// has no grain parameters (the option is wired and harmless), and off is the default.
#[cfg(feature = "dav1d")]
#[test]
fn dav1d_film_grain_option() {
    assert!(!Settings::new().apply_grain);
    let clip = clip(Codec::Av1, 0);
    let off = decode(Backend::Dav1d, Codec::Av1, &Settings::new(), &clip.stream).unwrap();
    let on = decode(
        Backend::Dav1d,
        Codec::Av1,
        &Settings::new().with_film_grain(true),
        &clip.stream,
    )
    .unwrap();
    assert!(off == on);
}

/// Every available backend, built from its `Backend` value (by name, too), decodes a
/// clip of every codec it claims.
#[test]
fn every_available_backend_decodes() {
    use arsenal_video::Select;
    let available = <Backend as Select>::available();
    assert!(!available.is_empty());
    for backend in available {
        let parsed: Backend = backend.name().parse().unwrap();
        assert_eq!(parsed, backend);
        for &codec in parsed.codecs() {
            let clip = clip(codec, 1);
            let pictures = decode(parsed, codec, &Settings::new(), &clip.stream).unwrap();
            assert_eq!(
                pictures.len(),
                clip.source.frames.len(),
                "{backend} {codec}"
            );
            assert!(pictures
                .iter()
                .all(|p| p.picture().width() == clip.source.width));
        }
    }
}

/// The test-stream encoder refuses out-of-range settings and wrongly sized planes.
#[cfg(feature = "avcodec")]
#[test]
fn h264_encoder_limits() {
    use arsenal_video::backend::avcodec::H264Encoder;
    use arsenal_video::ErrorKind;
    for (w, h, depth, qp, gop, bframes) in [
        (u32::MAX, 48, 8, 20, 10, 0),
        (64, u32::MAX, 8, 20, 10, 0),
        (65, 48, 8, 20, 10, 0),
        (0, 48, 8, 20, 10, 0),
        (64, 48, 12, 20, 10, 0),
        (64, 48, 8, u32::MAX, 10, 0),
        (64, 48, 8, 52, 10, 0),
        (64, 48, 8, 20, 0, 0),
        (64, 48, 8, 20, u32::MAX, 0),
        (64, 48, 8, 20, 10, u32::MAX),
    ] {
        let err = H264Encoder::new(w, h, depth, qp, gop, bframes).unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidArgument,
            "{w}×{h} {depth} {qp} {gop} {bframes}"
        );
    }
    let mut encoder = H264Encoder::new(64, 48, 8, 20, 10, 0).unwrap();
    let y = vec![0u8; 64 * 48];
    let c = vec![0u8; 32 * 24];
    let err = encoder.encode(&[&y[1..], &c, &c], 0).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(
        encoder.encode(&[&y, &c, &c], 0).unwrap().len() + encoder.finish().unwrap().len(),
        1
    );
}

/// The colour description the stream signals reaches `Picture::color`: unspecified by
/// default, BT.709 (CICP 1/1/1) when aomenc is told so; VP9's colour space becomes the
/// matrix.
#[test]
fn colour_description_is_reported() {
    use arsenal_conformance::video::{encode_av1_with, encode_vp9, synth};
    use arsenal_video::ColorInfo;
    let source = synth(64, 48, 8, 2, 9);
    let (bt709, _) = encode_av1_with(
        &source,
        &[
            "--color-primaries=bt709",
            "--transfer-characteristics=bt709",
            "--matrix-coefficients=bt709",
        ],
    );
    let want = ColorInfo {
        primaries: 1,
        transfer: 1,
        matrix: 1,
        full_range: false,
    };
    for backend in Backend::ALL
        .iter()
        .copied()
        .filter(|b| b.is_available() && b.decodes(Codec::Av1))
    {
        for p in decode(backend, Codec::Av1, &Settings::new(), &bt709).unwrap() {
            assert_eq!(p.picture().color(), want, "{backend}");
        }
        for p in decode(
            backend,
            Codec::Av1,
            &Settings::new(),
            &clip(Codec::Av1, 1).stream,
        )
        .unwrap()
        {
            assert_eq!(p.picture().color(), ColorInfo::UNSPECIFIED, "{backend}");
        }
    }
    // vpxenc's default colour space is "unknown" (matrix 2); 4:2:0 8-bit profile 0.
    let vp9 = encode_vp9(&source);
    for backend in Backend::ALL
        .iter()
        .copied()
        .filter(|b| b.is_available() && b.decodes(Codec::Vp9))
    {
        for p in decode(backend, Codec::Vp9, &Settings::new(), &vp9).unwrap() {
            let color = p.picture().color();
            assert_eq!((color.primaries, color.transfer), (2, 2), "{backend}");
        }
    }
}
