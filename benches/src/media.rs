//! Media: audio codecs (`arsenal-audio`): FLAC (libFLAC), Opus (libopus) and Vorbis
//! (libvorbis), each through our wrapper (`arsenal:<codec>`), the same C library called
//! directly (`raw:<codec>`), and the pure-Rust decoders `peer:claxon` (FLAC) and
//! `peer:lewton` (Vorbis). Video will join this file later.
//!
//! **Data.** Generated here, never read from disk: `music-10s` is 10 s of 48 kHz stereo
//! music-like audio (two voices of six-harmonic notes with attack/decay envelopes,
//! panned, plus noise 40 dB down: `arsenal_conformance::audio::music`); `music-20ms` is
//! its first 20 ms (one Opus frame), for the per-stream latency of the cross-codec
//! `decode` rows. Streams are encoded once outside the timing: FLAC level 5, Opus
//! `Audio` at 128 kb/s, complexity 10, 20 ms frames, Vorbis quality 0.5.
//!
//! **Units.** Every cell counts `items` = samples per channel (frames) and `bytes` = the
//! PCM bytes (16-bit, both channels). The FLAC rows are shown in MB/s of PCM (as
//! lossless-codec benchmarks report them); the Opus and Vorbis rows in items/s, which
//! divided by the sample rate (48 000) is the speed in **× real time**: 4.8 M items/s is
//! 100× real time.
//!
//! **Verification**, once per cell outside the timing: FLAC decoders must return the
//! input PCM sample for sample; FLAC and Opus encoders' output is decoded and checked
//! (exact for FLAC, delay-compensated SNR ≥ 15 dB for Opus; `raw:` and `arsenal:`
//! encoders must produce the same bytes); lossy decoders return the same samples as the
//! `arsenal:` decode (`raw:` exactly, `peer:lewton` within 1 LSB).
//!
//! **Memory rows** (`media/memory/decoder-state/<impl>`): heap held by one decoder in
//! the middle of a stream (after the headers and one frame of `music-10s`), 32 alive at
//! once, measured through the C APIs (`raw:`), which is the state our wrappers hold
//! while decoding.

use std::cell::RefCell;
use std::ffi::{c_int, c_long, c_void};
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use arsenal_audio::{
    Application, Decoder, Encoder, FlacDecoder, FlacEncoder, Format, OggOpusEncoder, OpusDecoder,
    OpusEncoder, VorbisDecoder, VorbisEncoder,
};
use arsenal_conformance::audio::{aligned_snr_db, music};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_per_value;
use crate::harness::{Case, Registry};
use crate::machine::Machine;
use crate::report::{MemoryRow, Unit};
use crate::strategy::pick;

const NAME: &str = "media";
const RATE: u32 = 48_000;
const FORMAT: Format = Format::new(RATE, 2);
const OPUS_BITRATE: u32 = 128_000;
const OPUS_FRAME: usize = 960;

/// The media domain (audio codecs for now).
///
/// ```
/// let mut registry = arsenal_bench::harness::Registry::new();
/// (arsenal_bench::media::DOMAIN.register)(&mut registry, None);
/// assert!(registry.ids().contains(&"media/flac-decode/music-10s/peer:claxon".to_owned()));
/// ```
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Media: audio codecs",
    register,
    unit,
    note,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-audio",
        pick: pick::<arsenal_audio::Backend>,
    }),
    ..Domain::EMPTY
};

fn unit(op: &str) -> Option<Unit> {
    if op.starts_with("flac-") {
        Some(Unit::MegabytesPerSecond)
    } else {
        Some(Unit::ItemsPerSecond)
    }
}

fn note(_machine: &Machine) -> Option<String> {
    Some(format!(
        "Items are samples per channel at {RATE} Hz: items/s ÷ {RATE} = × real time (4.8 M/s = 100×). \
         FLAC rows in MB/s of 16-bit stereo PCM. Opus: 128 kb/s, complexity 10, 20 ms frames; \
         Vorbis quality 0.5; FLAC level 5. C libraries: {}, {}, {} (Debian).",
        arsenal_audio::Backend::Flac.library_version().unwrap_or_default(),
        arsenal_audio::Backend::Opus.library_version().unwrap_or_default(),
        arsenal_audio::Backend::Vorbis.library_version().unwrap_or_default(),
    ))
}

/// A cheap checksum of decoded samples: their count and every 97th sample.
fn digest<T: Copy + Into<i64>>(samples: &[T]) -> u64 {
    samples
        .iter()
        .step_by(97)
        .fold(samples.len() as u64, |h, &s| {
            h.wrapping_mul(0x100_0000_01B3)
                .wrapping_add(s.into() as u64)
        })
}

fn mismatch(what: &str, a: usize, b: usize) -> String {
    format!("{what}: {a} vs {b}")
}

fn first_difference<T: PartialEq>(a: &[T], b: &[T]) -> Result<(), String> {
    if a.len() != b.len() {
        return Err(mismatch("lengths differ", a.len(), b.len()));
    }
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => Err(format!("sample {i} differs")),
        None => Ok(()),
    }
}

/// The streams every row works on, made once.
struct Data {
    pcm: Vec<i16>,
    pcm32: Vec<i32>,
    flac: Vec<u8>,
    /// Opus packets of 20 ms, from a reset encoder.
    opus: Vec<Vec<u8>>,
    /// The same audio as an Ogg Opus file (what `Backend::Opus`'s `Decoder` reads).
    ogg_opus: Vec<u8>,
    /// libopus's decode of `opus` (reference for the decode rows).
    opus_decoded: Vec<i16>,
    vorbis: Vec<u8>,
    vorbis_decoded: Vec<i16>,
}

fn opus_encoder() -> OpusEncoder {
    let mut encoder = OpusEncoder::new(FORMAT, Application::Audio).expect("opus encoder");
    encoder.set_bitrate(OPUS_BITRATE).expect("bitrate");
    encoder.set_complexity(10).expect("complexity");
    encoder
}

fn opus_packets(pcm: &[i16]) -> Vec<Vec<u8>> {
    let mut encoder = opus_encoder();
    pcm.chunks_exact(OPUS_FRAME * 2)
        .map(|frame| {
            let mut packet = Vec::new();
            encoder
                .encode_packet(frame, &mut packet)
                .expect("opus encode");
            packet
        })
        .collect()
}

impl Data {
    fn new(frames: usize) -> Data {
        let pcm = music(FORMAT, frames, 2026);
        let pcm32: Vec<i32> = pcm.iter().map(|&s| i32::from(s)).collect();
        let flac = FlacEncoder::new(FORMAT)
            .expect("flac")
            .encode_i32(&pcm32)
            .expect("flac encode");
        let opus = opus_packets(&pcm);
        let ogg_opus = {
            let mut encoder = OggOpusEncoder::new(FORMAT, Application::Audio).expect("ogg opus");
            encoder
                .opus_mut()
                .set_bitrate(OPUS_BITRATE)
                .expect("bitrate");
            encoder.opus_mut().set_complexity(10).expect("complexity");
            encoder.encode(&pcm).expect("ogg opus encode")
        };
        let mut decoder = OpusDecoder::new(FORMAT).expect("opus decoder");
        let mut opus_decoded = Vec::with_capacity(pcm.len());
        let mut buf = vec![0i16; OPUS_FRAME * 2];
        for packet in &opus {
            let n = decoder.decode(packet, &mut buf).expect("opus decode");
            opus_decoded.extend_from_slice(&buf[..n * 2]);
        }
        let vorbis = VorbisEncoder::new(FORMAT)
            .expect("vorbis")
            .encode(&pcm)
            .expect("vorbis encode");
        let vorbis_decoded = VorbisDecoder::new()
            .decode(&vorbis)
            .expect("vorbis decode")
            .samples;
        Data {
            pcm,
            pcm32,
            flac,
            opus,
            ogg_opus,
            opus_decoded,
            vorbis,
            vorbis_decoded,
        }
    }
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    let data = Rc::new(Data::new(RATE as usize * 10));
    let short = Rc::new(Data::new(OPUS_FRAME));
    register_flac(reg, &data);
    register_opus(reg, &data);
    register_vorbis(reg, &data);
    for (dataset, d) in [("music-10s", &data), ("music-20ms", &short)] {
        register_cross_codec(reg, dataset, d);
    }
}

fn case(
    op: &str,
    dataset: &str,
    imp: &str,
    frames: usize,
    run: impl FnMut() -> u64 + 'static,
) -> Case {
    Case::new(
        NAME,
        op,
        dataset,
        imp,
        (frames * 4) as u64,
        frames as u64,
        run,
    )
}

const DATASET: &str = "music-10s";

fn register_flac(reg: &mut Registry, data: &Rc<Data>) {
    let frames = data.pcm.len() / 2;
    // Encode: both produce the same bytes (same libFLAC, same settings); the output
    // decodes back to the input exactly.
    let expected = data.flac.len() as u64;
    let d = Rc::clone(data);
    let mut encoder = FlacEncoder::new(FORMAT).expect("flac");
    let out = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&out);
    let check = Rc::clone(data);
    reg.add(
        case("flac-encode", DATASET, "arsenal:flac", frames, move || {
            let bytes = encoder
                .encode_i32(black_box(&d.pcm32))
                .expect("flac encode");
            let len = bytes.len() as u64;
            *sink.borrow_mut() = bytes;
            len
        })
        .expect(expected)
        .verify(move || {
            let back = FlacDecoder::new()
                .decode_i32(&out.borrow())
                .map_err(|e| e.to_string())?;
            first_difference(&back.pcm.samples, &check.pcm32)
        }),
    );
    let d = Rc::clone(data);
    let mut raw = raw_flac::Encoder::new();
    let check = Rc::clone(data);
    reg.add(
        case("flac-encode", DATASET, "raw:flac", frames, move || {
            raw.encode(black_box(&d.pcm32)) as u64
        })
        .expect(expected)
        .verify(move || {
            let mut again = raw_flac::Encoder::new();
            again.encode(&check.pcm32);
            first_difference(&again.out, &check.flac)
        }),
    );

    // Decode.
    let expected = digest(&data.pcm32);
    let d = Rc::clone(data);
    let mut decoder = FlacDecoder::new();
    let check = Rc::clone(data);
    reg.add(
        case("flac-decode", DATASET, "arsenal:flac", frames, move || {
            digest(
                &decoder
                    .decode_i32(black_box(&d.flac))
                    .expect("flac decode")
                    .pcm
                    .samples,
            )
        })
        .expect(expected)
        .verify(move || {
            let back = FlacDecoder::new()
                .decode_i32(&check.flac)
                .map_err(|e| e.to_string())?;
            first_difference(&back.pcm.samples, &check.pcm32)
        }),
    );
    let d = Rc::clone(data);
    let mut raw = raw_flac::Decoder::new();
    let check = Rc::clone(data);
    reg.add(
        case("flac-decode", DATASET, "raw:flac", frames, move || {
            digest(raw.decode(black_box(&d.flac)))
        })
        .expect(expected)
        .verify(move || {
            let mut again = raw_flac::Decoder::new();
            first_difference(again.decode(&check.flac), &check.pcm32)
        }),
    );
    let d = Rc::clone(data);
    let mut samples: Vec<i32> = Vec::with_capacity(data.pcm32.len());
    let check = Rc::clone(data);
    reg.add(
        case("flac-decode", DATASET, "peer:claxon", frames, move || {
            samples.clear();
            let mut reader = claxon::FlacReader::new(black_box(&d.flac[..])).expect("claxon");
            // claxon's fast path: whole blocks into a reused buffer.
            let mut blocks = reader.blocks();
            let mut buffer = Vec::with_capacity(8192);
            while let Some(block) = blocks.read_next_or_eof(buffer).expect("claxon block") {
                for i in 0..block.duration() {
                    samples.push(block.sample(0, i));
                    samples.push(block.sample(1, i));
                }
                buffer = block.into_buffer();
            }
            digest(&samples)
        })
        .expect(expected)
        .verify(move || {
            let mut reader = claxon::FlacReader::new(&check.flac[..]).map_err(|e| e.to_string())?;
            let all: Result<Vec<i32>, _> = reader.samples().collect();
            first_difference(&all.map_err(|e| e.to_string())?, &check.pcm32)
        }),
    );
}

fn register_opus(reg: &mut Registry, data: &Rc<Data>) {
    let frames = data.opus.len() * OPUS_FRAME;
    let expected: u64 = data.opus.iter().map(|p| p.len() as u64).sum();
    // Encode: a fresh state per iteration (reset), the same packets every time.
    let d = Rc::clone(data);
    let mut encoder = opus_encoder();
    let mut packet = Vec::with_capacity(4000);
    reg.add(
        case("opus-encode", DATASET, "arsenal:opus", frames, move || {
            encoder.reset().expect("reset");
            let mut total = 0u64;
            for frame in black_box(&d.pcm).chunks_exact(OPUS_FRAME * 2) {
                total += encoder
                    .encode_packet(frame, &mut packet)
                    .expect("opus encode") as u64;
            }
            total
        })
        .expect(expected)
        .verify({
            let check = Rc::clone(data);
            move || {
                // The same packets as the reference (made by the wrapper from a fresh
                // encoder), and their decode, shifted by the encoder's lookahead, within
                // the bound.
                if opus_packets(&check.pcm) != check.opus {
                    return Err("packets differ between two fresh encoders".to_owned());
                }
                let delay = opus_encoder().lookahead().map_err(|e| e.to_string())?;
                let snr = aligned_snr_db(&check.pcm, &check.opus_decoded[delay * 2..], FORMAT);
                if snr >= 15.0 {
                    Ok(())
                } else {
                    Err(format!("SNR {snr:.1} dB < 15 dB"))
                }
            }
        }),
    );
    let d = Rc::clone(data);
    let mut raw = raw_opus::Encoder::new();
    let check = Rc::clone(data);
    reg.add(
        case("opus-encode", DATASET, "raw:opus", frames, move || {
            raw.encode_all(black_box(&d.pcm))
        })
        .expect(expected)
        .verify(move || {
            let mut again = raw_opus::Encoder::new();
            let packets = again.packets(&check.pcm);
            if packets == check.opus {
                Ok(())
            } else {
                Err("raw libopus packets differ from the wrapper's".to_owned())
            }
        }),
    );

    // Decode packets (the same samples from both).
    let expected = digest(&data.opus_decoded);
    let d = Rc::clone(data);
    let mut decoder = OpusDecoder::new(FORMAT).expect("opus decoder");
    let mut out = vec![0i16; data.opus_decoded.len()];
    reg.add(
        case("opus-decode", DATASET, "arsenal:opus", frames, move || {
            decoder.reset().expect("reset");
            let mut at = 0;
            for packet in black_box(&d.opus) {
                at += 2 * decoder
                    .decode(packet, &mut out[at..at + OPUS_FRAME * 2])
                    .expect("opus decode");
            }
            digest(&out[..at])
        })
        .expect(expected),
    );
    let d = Rc::clone(data);
    let mut raw = raw_opus::Decoder::new();
    let mut out = vec![0i16; data.opus_decoded.len()];
    reg.add(
        case("opus-decode", DATASET, "raw:opus", frames, move || {
            let n = raw.decode_all(black_box(&d.opus), &mut out);
            digest(&out[..n])
        })
        .expect(expected),
    );
}

fn register_vorbis(reg: &mut Registry, data: &Rc<Data>) {
    let frames = data.vorbis_decoded.len() / 2;
    let expected = digest(&data.vorbis_decoded);
    let d = Rc::clone(data);
    let mut decoder = VorbisDecoder::new();
    reg.add(
        case(
            "vorbis-decode",
            DATASET,
            "arsenal:vorbis",
            frames,
            move || {
                digest(
                    &decoder
                        .decode(black_box(&d.vorbis))
                        .expect("vorbis decode")
                        .samples,
                )
            },
        )
        .expect(expected)
        .verify({
            let check = Rc::clone(data);
            move || {
                let snr = aligned_snr_db(&check.pcm, &check.vorbis_decoded, FORMAT);
                if check.vorbis_decoded.len() == check.pcm.len() && snr >= 20.0 {
                    Ok(())
                } else {
                    Err(format!(
                        "length {} or SNR {snr:.1} dB < 20 dB",
                        check.vorbis_decoded.len()
                    ))
                }
            }
        }),
    );
    let d = Rc::clone(data);
    let mut out = Vec::with_capacity(data.vorbis_decoded.len());
    reg.add(
        case("vorbis-decode", DATASET, "raw:vorbis", frames, move || {
            raw_vorbis::decode(black_box(&d.vorbis), &mut out);
            digest(&out)
        })
        .expect(expected),
    );
    let d = Rc::clone(data);
    let out = Rc::new(RefCell::new(Vec::with_capacity(data.vorbis_decoded.len())));
    let sink = Rc::clone(&out);
    let check = Rc::clone(data);
    reg.add(
        case("vorbis-decode", DATASET, "peer:lewton", frames, move || {
            let mut out = sink.borrow_mut();
            out.clear();
            let mut reader = lewton::inside_ogg::OggStreamReader::new(std::io::Cursor::new(
                black_box(&d.vorbis[..]),
            ))
            .expect("lewton");
            while let Some(packet) = reader.read_dec_packet_itl().expect("lewton packet") {
                out.extend_from_slice(&packet);
            }
            out.len() as u64
        })
        .expect(data.vorbis_decoded.len() as u64)
        .verify(move || {
            let out = out.borrow();
            if out.len() != check.vorbis_decoded.len() {
                return Err(mismatch(
                    "lengths differ",
                    out.len(),
                    check.vorbis_decoded.len(),
                ));
            }
            let worst = out
                .iter()
                .zip(&check.vorbis_decoded)
                .map(|(&a, &b)| (i32::from(a) - i32::from(b)).abs())
                .max()
                .unwrap_or(0);
            if worst <= 1 {
                Ok(())
            } else {
                Err(format!("lewton differs from libvorbis by {worst} LSB"))
            }
        }),
    );
    // Encode through our shim (the raw C path would be the same shim: no raw row).
    let d = Rc::clone(data);
    let mut encoder = VorbisEncoder::new(FORMAT).expect("vorbis");
    let check = Rc::clone(data);
    let frames = data.pcm.len() / 2;
    reg.add(
        case(
            "vorbis-encode",
            DATASET,
            "arsenal:vorbis",
            frames,
            move || {
                encoder
                    .encode(black_box(&d.pcm))
                    .expect("vorbis encode")
                    .len() as u64
            },
        )
        .expect(data.vorbis.len() as u64)
        .verify(move || {
            let again = VorbisEncoder::new(FORMAT)
                .map_err(|e| e.to_string())?
                .encode(&check.pcm)
                .map_err(|e| e.to_string())?;
            first_difference(&again, &check.vorbis)
        }),
    );
}

/// The cross-codec rows that back `arsenal_audio::Backend::for_strategy`: each codec
/// decodes its own whole-stream encoding of the same audio through the `Decoder` trait
/// (a FLAC stream, an Ogg Opus file, an Ogg Vorbis stream).
fn register_cross_codec(reg: &mut Registry, dataset: &str, data: &Rc<Data>) {
    let frames = data.pcm.len() / 2;
    let streams: [(&str, arsenal_audio::Backend, Vec<u8>); 3] = [
        (
            "arsenal:flac",
            arsenal_audio::Backend::Flac,
            data.flac.clone(),
        ),
        (
            "arsenal:opus",
            arsenal_audio::Backend::Opus,
            data.ogg_opus.clone(),
        ),
        (
            "arsenal:vorbis",
            arsenal_audio::Backend::Vorbis,
            data.vorbis.clone(),
        ),
    ];
    for (imp, backend, stream) in streams {
        let mut decoder = backend.decoder().expect("decoder");
        let check_stream = stream.clone();
        let check = Rc::clone(data);
        reg.add(
            case("decode", dataset, imp, frames, move || {
                decoder
                    .decode(black_box(&stream))
                    .expect("decode")
                    .samples
                    .len() as u64
            })
            .expect(data.pcm.len() as u64)
            .verify(move || {
                let out = backend
                    .decoder()
                    .map_err(|e| e.to_string())?
                    .decode(&check_stream)
                    .map_err(|e| e.to_string())?;
                if backend.is_lossless() {
                    return first_difference(&out.samples, &check.pcm);
                }
                if out.samples.len() != check.pcm.len() {
                    return Err(mismatch(
                        "lengths differ",
                        out.samples.len(),
                        check.pcm.len(),
                    ));
                }
                Ok(())
            }),
        );
    }
}

/// Heap held by decoders mid-stream, 32 alive at once.
pub fn memory_rows() -> Vec<MemoryRow> {
    const COUNT: usize = 32;
    let data = Data::new(RATE as usize);
    let what = "decoder in the middle of music-10s (headers and one frame decoded): heap growth (glibc mallinfo2) / decoders, 32 alive".to_owned();
    let rows: Vec<(&str, Option<f64>)> = vec![
        (
            "raw:flac",
            held_per_value(COUNT, |_| raw_flac::Decoder::mid_stream(&data.flac)),
        ),
        (
            "raw:opus",
            held_per_value(COUNT, |_| {
                let mut d = raw_opus::Decoder::new();
                let mut out = vec![0i16; OPUS_FRAME * 2];
                d.decode_all(&data.opus[..1], &mut out);
                Some(d)
            }),
        ),
        (
            "raw:vorbis",
            held_per_value(COUNT, |_| raw_vorbis::Open::mid_stream(&data.vorbis)),
        ),
    ];
    rows.into_iter()
        .map(|(imp, bytes)| MemoryRow {
            domain: NAME.to_owned(),
            dataset: "decoder-state".to_owned(),
            what: what.clone(),
            imp: imp.to_owned(),
            items: COUNT as u64,
            bytes_per_item: bytes,
        })
        .collect()
}

/// libFLAC called directly (libflac-sys), with in-memory callbacks as a C caller writes
/// them.
mod raw_flac {
    use super::*;
    use libflac_sys as ffi;

    pub struct Encoder {
        raw: *mut ffi::FLAC__StreamEncoder,
        pub out: Vec<u8>,
    }

    impl Encoder {
        pub fn new() -> Encoder {
            // SAFETY: plain constructor.
            let raw = unsafe { ffi::FLAC__stream_encoder_new() };
            assert!(!raw.is_null());
            Encoder {
                raw,
                out: Vec::new(),
            }
        }

        /// Encodes at level 5, 16-bit stereo, with write/seek/tell callbacks over a
        /// `Vec` (libFLAC seeks back to rewrite STREAMINFO with the MD5 at the end).
        pub fn encode(&mut self, pcm: &[i32]) -> usize {
            self.out.clear();
            let frames = pcm.len() / 2;
            let mut sink = Sink {
                out: std::mem::take(&mut self.out),
                pos: 0,
            };
            // SAFETY: the encoder is uninitialised; callbacks touch only `sink`, alive
            // until `finish` returns.
            unsafe {
                ffi::FLAC__stream_encoder_set_channels(self.raw, 2);
                ffi::FLAC__stream_encoder_set_bits_per_sample(self.raw, 16);
                ffi::FLAC__stream_encoder_set_sample_rate(self.raw, RATE);
                ffi::FLAC__stream_encoder_set_compression_level(self.raw, 5);
                ffi::FLAC__stream_encoder_set_total_samples_estimate(self.raw, frames as u64);
                let status = ffi::FLAC__stream_encoder_init_stream(
                    self.raw,
                    Some(sink_write),
                    Some(sink_seek),
                    Some(sink_tell),
                    None,
                    (&mut sink as *mut Sink).cast(),
                );
                assert_eq!(status, ffi::FLAC__STREAM_ENCODER_INIT_STATUS_OK);
                assert!(
                    ffi::FLAC__stream_encoder_process_interleaved(
                        self.raw,
                        pcm.as_ptr(),
                        frames as u32
                    ) != 0
                );
                assert!(ffi::FLAC__stream_encoder_finish(self.raw) != 0);
            }
            self.out = sink.out;
            self.out.len()
        }
    }

    impl Drop for Encoder {
        fn drop(&mut self) {
            // SAFETY: owned.
            unsafe { ffi::FLAC__stream_encoder_delete(self.raw) }
        }
    }

    struct Sink {
        out: Vec<u8>,
        pos: usize,
    }

    unsafe extern "C" fn sink_write(
        _e: *const ffi::FLAC__StreamEncoder,
        buffer: *const u8,
        bytes: usize,
        _samples: u32,
        _frame: u32,
        client: *mut c_void,
    ) -> ffi::FLAC__StreamEncoderWriteStatus {
        // SAFETY: `client` is our Sink; libFLAC hands `bytes` bytes.
        unsafe {
            let sink = &mut *client.cast::<Sink>();
            let data = std::slice::from_raw_parts(buffer, bytes);
            let end = sink.pos + bytes;
            if end > sink.out.len() {
                sink.out.resize(end, 0);
            }
            sink.out[sink.pos..end].copy_from_slice(data);
            sink.pos = end;
        }
        ffi::FLAC__STREAM_ENCODER_WRITE_STATUS_OK
    }

    unsafe extern "C" fn sink_seek(
        _e: *const ffi::FLAC__StreamEncoder,
        offset: u64,
        client: *mut c_void,
    ) -> ffi::FLAC__StreamEncoderSeekStatus {
        // SAFETY: `client` is our Sink.
        unsafe { (*client.cast::<Sink>()).pos = offset as usize };
        ffi::FLAC__STREAM_ENCODER_SEEK_STATUS_OK
    }

    unsafe extern "C" fn sink_tell(
        _e: *const ffi::FLAC__StreamEncoder,
        offset: *mut u64,
        client: *mut c_void,
    ) -> ffi::FLAC__StreamEncoderTellStatus {
        // SAFETY: `client` is our Sink; `offset` is writable.
        unsafe { *offset = (*client.cast::<Sink>()).pos as u64 };
        ffi::FLAC__STREAM_ENCODER_TELL_STATUS_OK
    }

    pub struct Decoder {
        raw: *mut ffi::FLAC__StreamDecoder,
        state: State,
    }

    struct State {
        data: *const u8,
        len: usize,
        pos: usize,
        out: Vec<i32>,
    }

    unsafe extern "C" fn read(
        _d: *const ffi::FLAC__StreamDecoder,
        buffer: *mut u8,
        bytes: *mut usize,
        client: *mut c_void,
    ) -> ffi::FLAC__StreamDecoderReadStatus {
        // SAFETY: `client` is our State over a live slice; `buffer` has `*bytes` room.
        unsafe {
            let s = &mut *client.cast::<State>();
            let n = (*bytes).min(s.len - s.pos);
            if n == 0 {
                *bytes = 0;
                return ffi::FLAC__STREAM_DECODER_READ_STATUS_END_OF_STREAM;
            }
            std::ptr::copy_nonoverlapping(s.data.add(s.pos), buffer, n);
            s.pos += n;
            *bytes = n;
        }
        ffi::FLAC__STREAM_DECODER_READ_STATUS_CONTINUE
    }

    unsafe extern "C" fn write_frame(
        _d: *const ffi::FLAC__StreamDecoder,
        frame: *const ffi::FLAC__Frame,
        buffer: *const *const i32,
        client: *mut c_void,
    ) -> ffi::FLAC__StreamDecoderWriteStatus {
        // SAFETY: `client` is our State; two channel pointers of `blocksize` samples.
        unsafe {
            let s = &mut *client.cast::<State>();
            let n = (*frame).header.blocksize as usize;
            let (l, r) = (
                std::slice::from_raw_parts(*buffer, n),
                std::slice::from_raw_parts(*buffer.add(1), n),
            );
            for i in 0..n {
                s.out.push(l[i]);
                s.out.push(r[i]);
            }
        }
        ffi::FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE
    }

    unsafe extern "C" fn error(
        _d: *const ffi::FLAC__StreamDecoder,
        _status: u32,
        _client: *mut c_void,
    ) {
    }

    impl Decoder {
        pub fn new() -> Decoder {
            // SAFETY: plain constructor.
            let raw = unsafe { ffi::FLAC__stream_decoder_new() };
            assert!(!raw.is_null());
            Decoder {
                raw,
                state: State {
                    data: std::ptr::null(),
                    len: 0,
                    pos: 0,
                    out: Vec::new(),
                },
            }
        }

        fn init(&mut self, flac: &[u8]) {
            self.state.data = flac.as_ptr();
            self.state.len = flac.len();
            self.state.pos = 0;
            self.state.out.clear();
            // The same work as the wrapper: libFLAC checks the MD5 of the audio.
            // SAFETY: uninitialised decoder.
            unsafe { ffi::FLAC__stream_decoder_set_md5_checking(self.raw, 1) };
            // SAFETY: uninitialised decoder; callbacks touch only `self.state`, which
            // does not move while the decoder is initialised (we finish before returning
            // or keep `self` in place).
            let status = unsafe {
                ffi::FLAC__stream_decoder_init_stream(
                    self.raw,
                    Some(read),
                    None,
                    None,
                    None,
                    None,
                    Some(write_frame),
                    None,
                    Some(error),
                    (&mut self.state as *mut State).cast(),
                )
            };
            assert_eq!(status, ffi::FLAC__STREAM_DECODER_INIT_STATUS_OK);
        }

        pub fn decode(&mut self, flac: &[u8]) -> &[i32] {
            self.init(flac);
            // SAFETY: initialised above; `flac` outlives the calls.
            unsafe {
                ffi::FLAC__stream_decoder_process_until_end_of_stream(self.raw);
                ffi::FLAC__stream_decoder_finish(self.raw);
            }
            &self.state.out
        }

        /// A boxed decoder that has read the metadata and one frame of `flac` (which
        /// must outlive it: the bench keeps the data alive).
        pub fn mid_stream(flac: &[u8]) -> Option<Box<Decoder>> {
            let mut d = Box::new(Decoder::new());
            d.init(flac);
            // SAFETY: initialised; the boxed state does not move.
            unsafe {
                ffi::FLAC__stream_decoder_process_until_end_of_metadata(d.raw);
                ffi::FLAC__stream_decoder_process_single(d.raw);
            }
            Some(d)
        }
    }

    impl Drop for Decoder {
        fn drop(&mut self) {
            // SAFETY: owned; delete finishes first when needed.
            unsafe { ffi::FLAC__stream_decoder_delete(self.raw) }
        }
    }
}

/// libopus called directly.
mod raw_opus {
    use super::*;
    use arsenal_opus_sys as ffi;

    pub struct Encoder {
        raw: *mut ffi::OpusEncoder,
        packet: Vec<u8>,
    }

    impl Encoder {
        pub fn new() -> Encoder {
            let mut code = 0;
            // SAFETY: valid arguments; `code` is writable.
            let raw = unsafe {
                ffi::opus_encoder_create(RATE as i32, 2, ffi::OPUS_APPLICATION_AUDIO, &mut code)
            };
            assert!(!raw.is_null() && code == ffi::OPUS_OK);
            // SAFETY: SET requests with one opus_int32.
            unsafe {
                ffi::opus_encoder_ctl(raw, ffi::OPUS_SET_BITRATE_REQUEST, OPUS_BITRATE as i32);
                ffi::opus_encoder_ctl(raw, ffi::OPUS_SET_COMPLEXITY_REQUEST, 10i32);
            }
            Encoder {
                raw,
                packet: vec![0; 4000],
            }
        }

        pub fn encode_all(&mut self, pcm: &[i16]) -> u64 {
            // SAFETY: RESET takes no argument.
            unsafe { ffi::opus_encoder_ctl(self.raw, ffi::OPUS_RESET_STATE) };
            let mut total = 0u64;
            for frame in pcm.chunks_exact(OPUS_FRAME * 2) {
                // SAFETY: one 20 ms stereo frame in, 4000 bytes of room out.
                let n = unsafe {
                    ffi::opus_encode(
                        self.raw,
                        frame.as_ptr(),
                        OPUS_FRAME as c_int,
                        self.packet.as_mut_ptr(),
                        4000,
                    )
                };
                assert!(n > 0);
                total += n as u64;
            }
            total
        }

        pub fn packets(&mut self, pcm: &[i16]) -> Vec<Vec<u8>> {
            // SAFETY: RESET takes no argument.
            unsafe { ffi::opus_encoder_ctl(self.raw, ffi::OPUS_RESET_STATE) };
            pcm.chunks_exact(OPUS_FRAME * 2)
                .map(|frame| {
                    // SAFETY: as in encode_all.
                    let n = unsafe {
                        ffi::opus_encode(
                            self.raw,
                            frame.as_ptr(),
                            OPUS_FRAME as c_int,
                            self.packet.as_mut_ptr(),
                            4000,
                        )
                    };
                    self.packet[..n.max(0) as usize].to_vec()
                })
                .collect()
        }
    }

    impl Drop for Encoder {
        fn drop(&mut self) {
            // SAFETY: owned.
            unsafe { ffi::opus_encoder_destroy(self.raw) }
        }
    }

    pub struct Decoder {
        raw: *mut ffi::OpusDecoder,
    }

    impl Decoder {
        pub fn new() -> Decoder {
            let mut code = 0;
            // SAFETY: valid arguments.
            let raw = unsafe { ffi::opus_decoder_create(RATE as i32, 2, &mut code) };
            assert!(!raw.is_null() && code == ffi::OPUS_OK);
            Decoder { raw }
        }

        /// Decodes every packet into `out` from a reset state; returns samples written.
        pub fn decode_all(&mut self, packets: &[Vec<u8>], out: &mut [i16]) -> usize {
            // SAFETY: RESET takes no argument.
            unsafe { ffi::opus_decoder_ctl(self.raw, ffi::OPUS_RESET_STATE) };
            let mut at = 0;
            for packet in packets {
                let room = ((out.len() - at) / 2) as c_int;
                // SAFETY: `packet` bytes in; `room` stereo frames of room at `out[at..]`.
                let n = unsafe {
                    ffi::opus_decode(
                        self.raw,
                        packet.as_ptr(),
                        packet.len() as i32,
                        out[at..].as_mut_ptr(),
                        room,
                        0,
                    )
                };
                assert!(n > 0);
                at += n as usize * 2;
            }
            at
        }
    }

    impl Drop for Decoder {
        fn drop(&mut self) {
            // SAFETY: owned.
            unsafe { ffi::opus_decoder_destroy(self.raw) }
        }
    }
}

/// libvorbisfile called directly.
mod raw_vorbis {
    use super::*;
    use arsenal_vorbis_sys as ffi;

    struct Mem {
        data: *const u8,
        len: usize,
        pos: usize,
    }

    unsafe extern "C" fn read(
        ptr: *mut c_void,
        size: usize,
        nmemb: usize,
        src: *mut c_void,
    ) -> usize {
        // SAFETY: `src` is our Mem over a live slice; `ptr` has size*nmemb bytes.
        unsafe {
            let m = &mut *src.cast::<Mem>();
            let n = (size * nmemb).min(m.len - m.pos);
            std::ptr::copy_nonoverlapping(m.data.add(m.pos), ptr.cast::<u8>(), n);
            m.pos += n;
            n / size.max(1)
        }
    }

    unsafe extern "C" fn seek(src: *mut c_void, offset: i64, whence: c_int) -> c_int {
        // SAFETY: `src` is our Mem.
        let m = unsafe { &mut *src.cast::<Mem>() };
        let base = match whence {
            0 => 0,
            1 => m.pos as i64,
            _ => m.len as i64,
        };
        let target = base + offset;
        if target < 0 || target > m.len as i64 {
            return -1;
        }
        m.pos = target as usize;
        0
    }

    unsafe extern "C" fn tell(src: *mut c_void) -> c_long {
        // SAFETY: `src` is our Mem.
        unsafe { (*src.cast::<Mem>()).pos as c_long }
    }

    /// An open OggVorbis_File over a memory stream.
    pub struct Open {
        vf: Box<[u64]>,
        _mem: Box<Mem>,
    }

    impl Open {
        fn new(ogg: &[u8]) -> Option<Open> {
            let mut mem = Box::new(Mem {
                data: ogg.as_ptr(),
                len: ogg.len(),
                pos: 0,
            });
            // SAFETY: no preconditions.
            let size = unsafe { ffi::arsenal_ov_sizeof() };
            let mut vf = vec![0u64; size.div_ceil(8)].into_boxed_slice();
            let callbacks = ffi::ov_callbacks {
                read_func: Some(read),
                seek_func: Some(seek),
                close_func: None,
                tell_func: Some(tell),
            };
            // SAFETY: `vf` is sizeof(OggVorbis_File) 8-aligned bytes; `mem` is boxed
            // and outlives the handle.
            let code = unsafe {
                ffi::ov_open_callbacks(
                    (&mut *mem as *mut Mem).cast(),
                    vf.as_mut_ptr().cast(),
                    std::ptr::null(),
                    0,
                    callbacks,
                )
            };
            (code == 0).then_some(Open { vf, _mem: mem })
        }

        fn read(&mut self, buf: &mut [i16]) -> c_long {
            let mut bitstream = 0;
            // SAFETY: open handle; `buf` has 2 * len bytes.
            unsafe {
                ffi::ov_read(
                    self.vf.as_mut_ptr().cast(),
                    buf.as_mut_ptr().cast(),
                    (buf.len() * 2) as c_int,
                    0,
                    2,
                    1,
                    &mut bitstream,
                )
            }
        }

        /// Opened, with one block decoded.
        pub fn mid_stream(ogg: &[u8]) -> Option<Open> {
            let mut open = Open::new(ogg)?;
            let mut buf = [0i16; 4096];
            (open.read(&mut buf) > 0).then_some(open)
        }
    }

    impl Drop for Open {
        fn drop(&mut self) {
            // SAFETY: opened successfully; cleared once.
            unsafe { ffi::ov_clear(self.vf.as_mut_ptr().cast()) };
        }
    }

    /// Decodes a whole stream into `out` (cleared first).
    pub fn decode(ogg: &[u8], out: &mut Vec<i16>) {
        out.clear();
        let mut open = Open::new(ogg).expect("ov_open_callbacks");
        let mut buf = [0i16; 4096];
        loop {
            let n = open.read(&mut buf);
            assert!(n >= 0, "ov_read: {n}");
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n as usize / 2]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_its_rows_and_memory_is_measured() {
        let mut registry = Registry::new();
        register(&mut registry, None);
        let ids = registry.ids();
        for id in [
            "media/flac-encode/music-10s/raw:flac",
            "media/flac-decode/music-10s/peer:claxon",
            "media/opus-encode/music-10s/raw:opus",
            "media/opus-decode/music-10s/arsenal:opus",
            "media/vorbis-decode/music-10s/peer:lewton",
            "media/decode/music-20ms/arsenal:vorbis",
        ] {
            assert!(ids.iter().any(|i| i == id), "{id} missing");
        }
        let rows = memory_rows();
        assert_eq!(rows.len(), 3);
        assert!(
            rows.iter()
                .all(|r| r.bytes_per_item.is_some_and(|b| b > 1000.0)),
            "{rows:?}"
        );
    }
}
