//! The audio codec suite once per codec, plus the codec-specific checks: FLAC bit-exact
//! over bit depths, channels, levels and block sizes (cross-checked by `claxon`); Opus
//! frame sizes, settings, FEC and concealment; Vorbis cross-checked by `lewton`; huge
//! declared sizes.
#![cfg(any(feature = "flac", feature = "opus", feature = "vorbis"))]

#[cfg(feature = "flac")]
arsenal_conformance::audio_conformance!(flac, arsenal_audio::Backend::Flac);
#[cfg(feature = "opus")]
arsenal_conformance::audio_conformance!(opus, arsenal_audio::Backend::Opus);
#[cfg(feature = "vorbis")]
arsenal_conformance::audio_conformance!(vorbis, arsenal_audio::Backend::Vorbis);

#[cfg(feature = "flac")]
mod flac_specific {
    use arsenal_audio::{Decoder, ErrorKind, FlacDecoder, FlacEncoder, Format};
    use arsenal_conformance::audio::{music, Rng};

    /// Music at `bits` bits: the 16-bit signal shifted up, with random low bits.
    fn pcm(format: Format, frames: usize, bits: u32) -> Vec<i32> {
        let mut rng = Rng::new(u64::from(bits));
        music(format, frames, 3)
            .into_iter()
            .map(|s| {
                let shift = bits.saturating_sub(16);
                let low = if shift > 0 {
                    (rng.next_u64() % (1 << shift)) as i32
                } else {
                    0
                };
                (i32::from(s) << shift) + low
            })
            .collect()
    }

    fn claxon_decode(stream: &[u8]) -> (u32, u32, Vec<i32>) {
        let mut reader = claxon::FlacReader::new(std::io::Cursor::new(stream)).unwrap();
        let info = reader.streaminfo();
        let samples: Vec<i32> = reader.samples().map(|s| s.unwrap()).collect();
        (info.bits_per_sample, info.channels, samples)
    }

    #[test]
    fn bit_exact_over_depths_channels_levels_and_block_sizes() {
        let settings: [(u32, usize); 5] = [(0, 0), (5, 1152), (8, 4096), (8, 192), (3, 16)];
        for bits in [16u32, 24] {
            for channels in [1u16, 2] {
                let format = Format::new(48_000, channels);
                let input = pcm(format, 12_000, bits);
                for (level, block) in settings {
                    let mut encoder = FlacEncoder::new(format)
                        .unwrap()
                        .with_bits_per_sample(bits)
                        .unwrap()
                        .with_compression_level(level)
                        .unwrap()
                        .with_block_size(block)
                        .unwrap();
                    let stream = encoder.encode_i32(&input).unwrap();
                    let what = format!("{bits}-bit {channels} ch level {level} block {block}");
                    if block == 0 || block >= 192 {
                        // (16-sample blocks cost more in frame headers than they save.)
                        assert!(
                            stream.len() < input.len() * bits as usize / 8,
                            "{what}: no compression"
                        );
                    }
                    let ours = FlacDecoder::new().decode_i32(&stream).unwrap();
                    assert_eq!(ours.bits_per_sample, bits, "{what}");
                    assert_eq!(ours.pcm.format, format, "{what}");
                    assert!(ours.pcm.samples == input, "{what}: not bit-exact");
                    let (c_bits, c_channels, c_samples) = claxon_decode(&stream);
                    assert_eq!(
                        (c_bits, c_channels),
                        (bits, u32::from(channels)),
                        "{what}: claxon"
                    );
                    assert!(c_samples == input, "{what}: claxon disagrees");
                }
            }
        }
    }

    #[test]
    fn levels_trade_size() {
        let format = Format::new(44_100, 2);
        let input = pcm(format, 44_100, 16);
        let size = |level| {
            FlacEncoder::new(format)
                .unwrap()
                .with_compression_level(level)
                .unwrap()
                .encode_i32(&input)
                .unwrap()
                .len()
        };
        assert!(size(8) <= size(0), "level 8 larger than level 0");
    }

    #[test]
    fn settings_at_their_limits_are_errors() {
        let format = Format::new(48_000, 2);
        let kind = |r: Result<FlacEncoder, arsenal_audio::Error>| r.unwrap_err().kind();
        assert_eq!(
            kind(
                FlacEncoder::new(format)
                    .unwrap()
                    .with_block_size(usize::MAX)
            ),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            kind(FlacEncoder::new(format).unwrap().with_block_size(15)),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            kind(
                FlacEncoder::new(format)
                    .unwrap()
                    .with_compression_level(u32::MAX)
            ),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            kind(
                FlacEncoder::new(format)
                    .unwrap()
                    .with_bits_per_sample(u32::MAX)
            ),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            kind(FlacEncoder::new(Format::new(48_000, 9))),
            ErrorKind::InvalidArgument
        );
        // A sample that does not fit the declared depth.
        let mut encoder = FlacEncoder::new(format).unwrap();
        assert_eq!(
            encoder.encode_i32(&[40_000, 0]).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            encoder
                .encode_i32(&[i32::MAX, i32::MIN])
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument
        );
        // A 24-bit encoder refuses i16 input through the trait rather than guessing.
        let mut wide = FlacEncoder::new(format)
            .unwrap()
            .with_bits_per_sample(24)
            .unwrap();
        assert!(arsenal_audio::Encoder::encode(&mut wide, &[0, 0]).is_err());
    }

    /// STREAMINFO's 36-bit total-samples field set to its maximum: the default limit
    /// refuses it before decoding; with no limit the stream ends early: Truncated.
    #[test]
    fn huge_declared_length() {
        let format = Format::new(48_000, 2);
        let input = pcm(format, 4_800, 16);
        let mut stream = FlacEncoder::new(format)
            .unwrap()
            .encode_i32(&input)
            .unwrap();
        assert_eq!(&stream[..4], b"fLaC");
        // fLaC, block header (4 bytes), then STREAMINFO: total samples = low 36 bits of
        // the big-endian u64 at offset 18.
        let mut word = [0u8; 8];
        word.copy_from_slice(&stream[18..26]);
        let patched = u64::from_be_bytes(word) | ((1u64 << 36) - 1);
        stream[18..26].copy_from_slice(&patched.to_be_bytes());
        let err = FlacDecoder::new().decode_i32(&stream).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::OutputLimit, "{err}");
        let err = FlacDecoder::new()
            .with_max_samples(usize::MAX)
            .decode_i32(&stream)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Truncated, "{err}");
    }

    #[test]
    fn f32_and_i16_views_of_24_bit() {
        let format = Format::new(48_000, 1);
        let input = pcm(format, 4_800, 24);
        let stream = FlacEncoder::new(format)
            .unwrap()
            .with_bits_per_sample(24)
            .unwrap()
            .encode_i32(&input)
            .unwrap();
        let mut decoder = FlacDecoder::new();
        let narrow = decoder.decode(&stream).unwrap();
        let float = decoder.decode_f32(&stream).unwrap();
        for ((&wide, &n), &f) in input.iter().zip(&narrow.samples).zip(&float.samples) {
            assert_eq!(i32::from(n), wide >> 8);
            assert!((f64::from(f) - f64::from(wide) / 8_388_608.0).abs() < 1e-6);
        }
    }
}

#[cfg(feature = "opus")]
mod opus_specific {
    use arsenal_audio::{
        Application, Decoder, Encoder, ErrorKind, Format, FrameDuration, OpusDecoder, OpusEncoder,
        OpusStreamDecoder,
    };
    use arsenal_conformance::audio::{aligned_snr_db, music, Signal};

    #[test]
    fn every_frame_duration_round_trips() {
        let format = Format::new(48_000, 2);
        let input = music(format, 24_000, 5);
        for frame in FrameDuration::ALL {
            let mut encoder = OpusEncoder::new(format, Application::Audio).unwrap();
            encoder.set_bitrate(128_000).unwrap();
            encoder.set_frame_duration(frame);
            let stream = encoder.encode(&input).unwrap();
            let out = OpusStreamDecoder::new().decode(&stream).unwrap();
            assert_eq!(out.samples.len(), input.len(), "{frame:?}");
            let snr = aligned_snr_db(&input, &out.samples, format);
            eprintln!("opus {frame:?}: {snr:.2} dB");
            assert!(snr >= 15.0, "{frame:?}: SNR {snr:.2} dB");
            // The packets are of the chosen duration.
            let first = &stream[22..22 + usize::from(u16::from_le_bytes([stream[20], stream[21]]))];
            let mut decoder = OpusDecoder::new(format).unwrap();
            let mut pcm = vec![0i16; 5760 * 2];
            assert_eq!(
                decoder.decode(first, &mut pcm).unwrap(),
                frame.samples(48_000)
            );
        }
    }

    #[test]
    fn bitrate_and_complexity() {
        let format = Format::new(48_000, 2);
        let input = Signal::Music.generate(format, 48_000);
        let run = |bitrate: u32, complexity: u32| {
            let mut encoder = OpusEncoder::new(format, Application::Audio).unwrap();
            encoder.set_bitrate(bitrate).unwrap();
            encoder.set_complexity(complexity).unwrap();
            assert_eq!(encoder.bitrate().unwrap(), bitrate);
            let stream = encoder.encode(&input).unwrap();
            let out = OpusStreamDecoder::new().decode(&stream).unwrap();
            (stream.len(), aligned_snr_db(&input, &out.samples, format))
        };
        let (big, good) = run(128_000, 10);
        let (small, poor) = run(16_000, 0);
        eprintln!("opus 128k/c10: {big} B {good:.2} dB; 16k/c0: {small} B {poor:.2} dB");
        // Stated bound: music at 128 kb/s, complexity 10, 48 kHz stereo.
        assert!(good >= 18.0, "128 kb/s: SNR {good:.2} dB");
        assert!(
            small * 4 < big,
            "16 kb/s stream not smaller: {small} vs {big}"
        );
        assert!(poor < good);
        // Within 10% of the target bitrate over one second.
        assert!(
            (big as f64 * 8.0 - 128_000.0).abs() < 12_800.0,
            "{big} bytes for 128 kb/s"
        );
    }

    #[test]
    fn settings_at_their_limits_are_errors() {
        let format = Format::new(48_000, 2);
        let mut encoder = OpusEncoder::new(format, Application::Voip).unwrap();
        for result in [
            encoder.set_bitrate(u32::MAX),
            encoder.set_bitrate(0),
            encoder.set_complexity(u32::MAX),
            encoder.set_complexity(11),
            encoder.set_packet_loss_perc(u32::MAX),
        ] {
            assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidArgument);
        }
        let mut packet = Vec::new();
        // Not one frame: 7 ms, and a huge odd length.
        assert!(encoder
            .encode_packet(&vec![0; 336 * 2], &mut packet)
            .is_err());
        assert!(encoder.encode_packet(&[0; 3], &mut packet).is_err());
        assert!(OpusEncoder::new(Format::new(44_100, 2), Application::Audio).is_err());
        assert!(OpusDecoder::new(Format::new(48_000, 3)).is_err());
        let mut decoder = OpusDecoder::new(format).unwrap();
        let mut out = vec![0i16; 960 * 2];
        assert_eq!(
            decoder.decode(&[], &mut out).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        assert!(decoder.conceal(&mut out[..7 * 2]).is_err());
        assert!(decoder.decode(&[0xFF; 3], &mut out[..1]).is_err());
    }

    fn speech_like(format: Format, frames: usize) -> Vec<i16> {
        // A 150 Hz buzz with 20 harmonics under a 4 Hz syllable envelope.
        let rate = f64::from(format.sample_rate);
        (0..frames)
            .map(|i| {
                let t = i as f64 / rate;
                let envelope = 0.5 + 0.5 * (2.0 * std::f64::consts::PI * 4.0 * t).sin();
                let mut v = 0.0;
                for k in 1..=20 {
                    v += (2.0 * std::f64::consts::PI * 150.0 * k as f64 * t).sin() / k as f64;
                }
                (v * envelope * 5000.0) as i16
            })
            .collect()
    }

    /// One lost packet, recovered three ways: decoded normally (the reference), by
    /// in-band FEC from the next packet, and by concealment. FEC and concealment fill
    /// the lost duration exactly; FEC's recovery is closer to the reference than
    /// concealment's (SNR against the normal decode of that packet).
    #[test]
    fn fec_and_concealment() {
        let format = Format::new(16_000, 1);
        let frame = FrameDuration::Ms20.samples(16_000);
        let input = speech_like(format, 16_000);
        let mut encoder = OpusEncoder::new(format, Application::Voip).unwrap();
        encoder.set_bitrate(24_000).unwrap();
        encoder.set_inband_fec(true).unwrap();
        encoder.set_packet_loss_perc(20).unwrap();
        let packets: Vec<Vec<u8>> = input
            .chunks_exact(frame)
            .map(|chunk| {
                let mut packet = Vec::new();
                encoder.encode_packet(chunk, &mut packet).unwrap();
                packet
            })
            .collect();
        let lost = 30;
        let decode_all = |mode: u8| -> Vec<i16> {
            let mut decoder = OpusDecoder::new(format).unwrap();
            let mut out = Vec::new();
            let mut buf = vec![0i16; frame];
            for (i, packet) in packets.iter().enumerate() {
                let n = match (i == lost, mode) {
                    (true, 1) => decoder.decode_fec(&packets[i + 1], &mut buf).unwrap(),
                    (true, 2) => decoder.conceal(&mut buf).unwrap(),
                    _ => decoder.decode(packet, &mut buf).unwrap(),
                };
                assert_eq!(n, frame);
                out.extend_from_slice(&buf[..n]);
            }
            out
        };
        let reference = decode_all(0);
        let fec = decode_all(1);
        let plc = decode_all(2);
        let segment = |x: &[i16]| x[lost * frame..(lost + 1) * frame].to_vec();
        let snr = |x: &[i16]| {
            let r = segment(&reference);
            let d = segment(x);
            let signal: f64 = r.iter().map(|&v| f64::from(v).powi(2)).sum();
            let error: f64 = r
                .iter()
                .zip(&d)
                .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
                .sum();
            10.0 * (signal / error.max(1.0)).log10()
        };
        let (fec_snr, plc_snr) = (snr(&fec), snr(&plc));
        eprintln!("lost packet: FEC {fec_snr:.2} dB, concealment {plc_snr:.2} dB");
        assert!(
            fec_snr > plc_snr,
            "FEC {fec_snr:.2} dB not better than concealment {plc_snr:.2} dB"
        );
        assert!(fec_snr >= 3.0, "FEC recovery SNR {fec_snr:.2} dB");
        // Concealment is not silence.
        assert!(segment(&plc).iter().any(|&s| s != 0));
    }

    /// The packet stream's header declaring u64::MAX frames: OutputLimit before any
    /// decoding; a large but allowed count the bytes cannot hold: Corrupt.
    #[test]
    fn huge_declared_length() {
        let format = Format::new(48_000, 2);
        let input = music(format, 4_800, 1);
        let mut stream = OpusEncoder::new(format, Application::Audio)
            .unwrap()
            .encode(&input)
            .unwrap();
        stream[12..20].copy_from_slice(&u64::MAX.to_le_bytes());
        let err = OpusStreamDecoder::new().decode(&stream).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::OutputLimit, "{err}");
        let err = OpusStreamDecoder::new()
            .with_max_samples(usize::MAX)
            .decode(&stream)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
        stream[12..20].copy_from_slice(&100_000_000u64.to_le_bytes());
        let err = OpusStreamDecoder::new().decode(&stream).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
        // Plausible for the byte count but more than the packets hold: Truncated.
        stream[12..20].copy_from_slice(&1_000_000u64.to_le_bytes());
        let err = OpusStreamDecoder::new().decode(&stream).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Truncated, "{err}");
    }

    #[test]
    fn f32_encoding_matches_i16() {
        let format = Format::new(48_000, 1);
        let input = music(format, 960, 2);
        let float: Vec<f32> = input
            .iter()
            .map(|&s| arsenal_audio::i16_to_f32(s))
            .collect();
        let mut a = OpusEncoder::new(format, Application::Audio).unwrap();
        let mut b = OpusEncoder::new(format, Application::Audio).unwrap();
        let (mut pa, mut pb) = (Vec::new(), Vec::new());
        a.encode_packet(&input, &mut pa).unwrap();
        b.encode_packet_f32(&float, &mut pb).unwrap();
        assert!(!pa.is_empty() && !pb.is_empty());
        let mut decoder = OpusDecoder::new(format).unwrap();
        let mut out = vec![0f32; 960];
        assert_eq!(decoder.decode_f32(&pb, &mut out).unwrap(), 960);
    }
}

#[cfg(feature = "vorbis")]
mod vorbis_specific {
    use arsenal_audio::{Decoder, Encoder, ErrorKind, Format, VorbisDecoder, VorbisEncoder};
    use arsenal_conformance::audio::{aligned_snr_db, edit_ogg_page, music, ogg_pages};

    fn lewton_decode(stream: &[u8]) -> (u8, u32, Vec<i16>) {
        let mut reader =
            lewton::inside_ogg::OggStreamReader::new(std::io::Cursor::new(stream)).unwrap();
        let (channels, rate) = (
            reader.ident_hdr.audio_channels,
            reader.ident_hdr.audio_sample_rate,
        );
        let mut out = Vec::new();
        while let Some(packet) = reader.read_dec_packet_itl().unwrap() {
            out.extend_from_slice(&packet);
        }
        (channels, rate, out)
    }

    /// Our Vorbis streams decoded by lewton: same format, same length (lewton trims by
    /// granule position too), and the same samples within 1 LSB of the libvorbis decode
    /// (both decode in float and round).
    #[test]
    fn lewton_decodes_our_streams() {
        for format in [Format::new(48_000, 2), Format::new(44_100, 1)] {
            let input = music(format, format.sample_rate as usize, 11);
            let stream = VorbisEncoder::new(format).unwrap().encode(&input).unwrap();
            let ours = VorbisDecoder::new().decode(&stream).unwrap();
            let (channels, rate, theirs) = lewton_decode(&stream);
            assert_eq!(
                (u16::from(channels), rate),
                (format.channels, format.sample_rate)
            );
            eprintln!("lewton {} vs ours {}", theirs.len(), ours.samples.len());
            assert_eq!(theirs.len(), ours.samples.len(), "{format:?}: lengths");
            let worst = theirs
                .iter()
                .zip(&ours.samples)
                .map(|(&a, &b)| (i32::from(a) - i32::from(b)).abs())
                .max()
                .unwrap();
            assert!(
                worst <= 1,
                "{format:?}: lewton and libvorbis differ by {worst}"
            );
            assert!(aligned_snr_db(&input, &theirs, format) >= 20.0);
        }
    }

    #[test]
    fn quality_trades_size() {
        let format = Format::new(48_000, 2);
        let input = music(format, 48_000, 4);
        let size = |q: f32| {
            VorbisEncoder::new(format)
                .unwrap()
                .with_quality(q)
                .unwrap()
                .encode(&input)
                .unwrap()
                .len()
        };
        assert!(size(0.0) < size(0.9));
        for bad in [f32::MAX, f32::NAN, -1.0, 1.01] {
            assert_eq!(
                VorbisEncoder::new(format)
                    .unwrap()
                    .with_quality(bad)
                    .unwrap_err()
                    .kind(),
                ErrorKind::InvalidArgument
            );
        }
        let nan = [f32::NAN, 0.0];
        assert_eq!(
            VorbisEncoder::new(format)
                .unwrap()
                .encode_f32(&nan)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument
        );
    }

    /// The last page's granule position (the stream's length) set near i64::MAX, with a
    /// valid CRC: the default limit refuses it before decoding.
    #[test]
    fn huge_declared_length() {
        let format = Format::new(48_000, 1);
        let input = music(format, 4_800, 1);
        let mut stream = VorbisEncoder::new(format).unwrap().encode(&input).unwrap();
        let last = ogg_pages(&stream).pop().unwrap();
        edit_ogg_page(&mut stream, last, |page| {
            page[6..14].copy_from_slice(&(i64::MAX / 4).to_le_bytes());
        });
        let err = VorbisDecoder::new().decode(&stream).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::OutputLimit, "{err}");
        // Without a limit, libvorbisfile ignores the implausible granule position and
        // decodes what is there: nothing of the declared size is allocated.
        let pcm = VorbisDecoder::new()
            .with_max_samples(usize::MAX)
            .decode(&stream)
            .unwrap();
        assert!(
            (4_800..10_000).contains(&pcm.frames()),
            "{} frames",
            pcm.frames()
        );
    }
}

/// Ogg Opus files (RFC 7845): interoperability with opus-tools' `opusenc`/`opusdec`
/// both ways, the output gain, end trimming by the final granule position, frame
/// durations, and headers this decoder refuses.
#[cfg(feature = "opus")]
mod ogg_opus_specific {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use arsenal_audio::{
        Application, Decoder, Encoder, ErrorKind, Format, FrameDuration, OggOpusDecoder,
        OggOpusEncoder,
    };
    use arsenal_conformance::audio::{
        aligned_snr_db, edit_ogg_page, music, ogg_pages, read_wav, write_wav,
    };

    /// A fresh scratch directory under the system temp dir.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("arsenal-ogg-opus-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Runs an opus-tools command; a missing tool fails the test naming bootstrap.
    fn run(tool: &str, args: &[&Path]) {
        let status = Command::new(tool).args(args).status().unwrap_or_else(|e| {
            panic!("{tool} not runnable ({e}): scripts/bootstrap installs opus-tools")
        });
        assert!(status.success(), "{tool} {args:?}: {status}");
    }

    fn encode(format: Format, pcm: &[i16]) -> Vec<u8> {
        let mut encoder = OggOpusEncoder::new(format, Application::Audio).unwrap();
        encoder.opus_mut().set_bitrate(128_000).unwrap();
        encoder.encode(pcm).unwrap()
    }

    #[test]
    fn opusdec_reads_our_files() {
        for format in [Format::new(48_000, 2), Format::new(16_000, 1)] {
            let input = music(format, format.sample_rate as usize, 4);
            let file = encode(format, &input);
            let ours = OggOpusDecoder::new().decode(&file).unwrap();
            let dir = scratch(&format!("dec{}", format.sample_rate));
            let (opus, wav) = (dir.join("in.opus"), dir.join("out.wav"));
            std::fs::write(&opus, &file).unwrap();
            let rate = format.sample_rate.to_string();
            run(
                "opusdec",
                &[
                    Path::new("--quiet"),
                    Path::new("--no-dither"),
                    Path::new("--rate"),
                    Path::new(&rate),
                    &opus,
                    &wav,
                ],
            );
            let (theirs_format, theirs) = read_wav(&std::fs::read(&wav).unwrap()).unwrap();
            std::fs::remove_dir_all(&dir).ok();
            assert_eq!(theirs_format, format);
            assert_eq!(theirs.len(), ours.samples.len(), "{format:?}: length");
            if format.sample_rate == 48_000 {
                // The same decode: opusdec's float output rounded, libopus's i16 path.
                let worst = theirs
                    .iter()
                    .zip(&ours.samples)
                    .map(|(&a, &b)| (i32::from(a) - i32::from(b)).abs())
                    .max()
                    .unwrap_or(0);
                assert!(
                    worst <= 2,
                    "{format:?}: opusdec and we differ by {worst} LSB"
                );
            } else {
                // opusdec decodes at 48 kHz and resamples with its own filter; libopus
                // decodes at 16 kHz directly: the same audio, not the same samples.
                let snr = aligned_snr_db(&theirs, &ours.samples, format);
                eprintln!("{format:?}: opusdec vs us {snr:.2} dB");
                assert!(snr >= 25.0, "{format:?}: opusdec vs us {snr:.2} dB");
            }
        }
    }

    #[test]
    fn we_read_opusenc_files() {
        for format in [Format::new(48_000, 2), Format::new(16_000, 1)] {
            let input = music(format, format.sample_rate as usize, 6);
            let dir = scratch(&format!("enc{}", format.sample_rate));
            let (wav, opus) = (dir.join("in.wav"), dir.join("out.opus"));
            std::fs::write(&wav, write_wav(format, &input)).unwrap();
            run(
                "opusenc",
                &[
                    Path::new("--quiet"),
                    Path::new("--bitrate"),
                    Path::new("128"),
                    &wav,
                    &opus,
                ],
            );
            let file = std::fs::read(&opus).unwrap();
            std::fs::remove_dir_all(&dir).ok();
            let out = OggOpusDecoder::new().decode(&file).unwrap();
            assert_eq!(out.format, format);
            assert_eq!(out.samples.len(), input.len(), "{format:?}: length");
            let snr = aligned_snr_db(&input, &out.samples, format);
            assert!(snr >= 10.0, "{format:?}: SNR {snr:.2} dB");
            let float = OggOpusDecoder::new().decode_f32(&file).unwrap();
            assert_eq!(float.samples.len(), input.len());
        }
    }

    #[test]
    fn every_frame_duration_keeps_the_length() {
        let format = Format::new(48_000, 2);
        let input = music(format, 10_007, 5);
        for frame in FrameDuration::ALL {
            let mut encoder = OggOpusEncoder::new(format, Application::Audio).unwrap();
            encoder.opus_mut().set_frame_duration(frame);
            let file = encoder.encode(&input).unwrap();
            let out = OggOpusDecoder::new().decode(&file).unwrap();
            assert_eq!(out.samples.len(), input.len(), "{frame:?}");
            let snr = aligned_snr_db(&input, &out.samples, format);
            assert!(snr >= 10.0, "{frame:?}: SNR {snr:.2} dB");
        }
    }

    /// OpusHead's output gain (+6.02 dB = ×2) is applied.
    #[test]
    fn output_gain_is_applied() {
        let format = Format::new(48_000, 1);
        let quiet: Vec<i16> = music(format, 9_600, 2).iter().map(|&s| s / 8).collect();
        let mut file = encode(format, &quiet);
        let plain = OggOpusDecoder::new().decode(&file).unwrap();
        let head = ogg_pages(&file)[0];
        edit_ogg_page(&mut file, head, |page| {
            let body = 27 + usize::from(page[26]);
            page[body + 16..body + 18].copy_from_slice(&1541i16.to_le_bytes());
        });
        let loud = OggOpusDecoder::new().decode(&file).unwrap();
        assert_eq!(loud.samples.len(), plain.samples.len());
        let worst = loud
            .samples
            .iter()
            .zip(&plain.samples)
            .map(|(&l, &p)| (i32::from(l) - 2 * i32::from(p)).abs())
            .max()
            .unwrap();
        assert!(worst <= 3, "gain ×2 off by {worst} LSB");
    }

    /// Headers and granule positions this decoder refuses, each with a valid page CRC.
    #[test]
    fn refused_headers_and_granules() {
        let format = Format::new(48_000, 2);
        let file = encode(format, &music(format, 4_800, 3));
        let pages = ogg_pages(&file);
        let head_field = |at: usize, value: u8| {
            let mut bad = file.clone();
            edit_ogg_page(&mut bad, pages[0], |page| {
                let body = 27 + usize::from(page[26]);
                page[body + at] = value;
            });
            OggOpusDecoder::new().decode(&bad).unwrap_err()
        };
        // Mapping family 1 (multistream): unsupported; version 16: unsupported;
        // 3 channels with family 0: corrupt; the magic: corrupt.
        assert_eq!(head_field(18, 1).kind(), ErrorKind::Unsupported);
        assert_eq!(head_field(8, 16).kind(), ErrorKind::Unsupported);
        assert_eq!(head_field(9, 3).kind(), ErrorKind::Corrupt);
        assert_eq!(head_field(0, b'X').kind(), ErrorKind::Corrupt);
        let last = *pages.last().unwrap();
        let granule = |value: u64| {
            let mut bad = file.clone();
            edit_ogg_page(&mut bad, last, |page| {
                page[6..14].copy_from_slice(&value.to_le_bytes());
            });
            OggOpusDecoder::new().decode(&bad)
        };
        // Past the decoded audio, before the pre-skip, at u64::MAX: corrupt.
        for value in [10_000_000, 1, u64::MAX] {
            let err = granule(value).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Corrupt, "granule {value}: {err}");
        }
        // A page's CRC off by one bit: corrupt.
        let mut bad = file.clone();
        bad[pages[1].0 + 22] ^= 1;
        assert_eq!(
            OggOpusDecoder::new().decode(&bad).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
        // Output limits: exactly the length decodes, one sample less is refused.
        let n = OggOpusDecoder::new().decode(&file).unwrap().samples.len();
        assert!(OggOpusDecoder::new()
            .with_max_samples(n)
            .decode(&file)
            .is_ok());
        assert_eq!(
            OggOpusDecoder::new()
                .with_max_samples(n - 1)
                .decode(&file)
                .unwrap_err()
                .kind(),
            ErrorKind::OutputLimit
        );
    }

    /// An Ogg Vorbis file is not an Ogg Opus file.
    #[cfg(feature = "vorbis")]
    #[test]
    fn vorbis_is_not_opus() {
        let format = Format::new(48_000, 2);
        let vorbis = arsenal_audio::VorbisEncoder::new(format)
            .unwrap()
            .encode(&music(format, 4_800, 1))
            .unwrap();
        let err = OggOpusDecoder::new().decode(&vorbis).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Corrupt, "{err}");
    }
}
