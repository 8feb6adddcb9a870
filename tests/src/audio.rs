//! The audio codec suite (`arsenal-audio`): synthetic signals (also the benchmark's and
//! the fuzz seeds' data), the lossy-quality measures, and checks generic over a
//! [`Backend`], instantiated per codec by [`audio_conformance!`](crate::audio_conformance).
//!
//! Test streams are made here at test time by our encoders; nothing is read from disk.
//!
//! Quality measures (stated bounds are in [`snr_bound_db`]):
//! - lossless codecs: the decoded samples equal the input exactly;
//! - lossy codecs on tonal signals (sine, chirp, music): the **delay-compensated SNR**,
//!   [`aligned_snr_db`]: the SNR in dB of the decoded signal against the input at the
//!   best lag within ±[`MAX_LAG`] frames (our Opus stream form already removes the
//!   encoder's lookahead; the search only guards against a residual shift), computed
//!   over the whole signal less 20 ms at each end;
//! - lossy codecs on white noise, which perceptual coders reproduce as noise of the
//!   same spectrum rather than the same waveform: the energy of the decoded signal is
//!   within ±[`NOISE_ENERGY_DB`] dB of the input's ([`energy_ratio_db`]).

use arsenal_audio::{Backend, ErrorKind, Format};

/// The lag search range of [`aligned_snr_db`], in frames.
pub const MAX_LAG: usize = 64;
/// The bound on the decoded energy of white noise through a lossy codec, in dB.
pub const NOISE_ENERGY_DB: f64 = 4.0;

/// The synthetic signals of the suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// A 997 Hz sine at half scale (channel `c` phase-shifted by `0.5 c` rad).
    Sine,
    /// A linear chirp from 100 Hz to 8 kHz at half scale.
    Chirp,
    /// Uniform white noise at a quarter of full scale.
    Noise,
    /// Music-like: notes of six harmonics with attack/decay envelopes, panned, plus
    /// noise 40 dB down ([`music`]).
    Music,
}

impl Signal {
    /// Every signal.
    pub const ALL: [Signal; 4] = [Signal::Sine, Signal::Chirp, Signal::Noise, Signal::Music];

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Sine => "sine",
            Signal::Chirp => "chirp",
            Signal::Noise => "noise",
            Signal::Music => "music",
        }
    }

    /// `frames` frames of the signal in `format`, interleaved.
    pub fn generate(self, format: Format, frames: usize) -> Vec<i16> {
        match self {
            Signal::Sine => sine(format, frames, 997.0, 0.5),
            Signal::Chirp => chirp(format, frames, 100.0, 8_000.0, 0.5),
            Signal::Noise => noise(format, frames, 0.25, 0x5EED),
            Signal::Music => music(format, frames, 7),
        }
    }
}

fn to_i16(x: f64) -> i16 {
    (x * 32767.0).round().clamp(-32768.0, 32767.0) as i16
}

/// A sine of `freq` Hz and peak `amplitude` (of full scale).
pub fn sine(format: Format, frames: usize, freq: f64, amplitude: f64) -> Vec<i16> {
    let rate = f64::from(format.sample_rate);
    let channels = usize::from(format.channels);
    let mut out = Vec::with_capacity(frames * channels);
    for i in 0..frames {
        let t = i as f64 / rate;
        for c in 0..channels {
            let phase = 2.0 * std::f64::consts::PI * freq * t + 0.5 * c as f64;
            out.push(to_i16(amplitude * phase.sin()));
        }
    }
    out
}

/// A linear chirp from `f0` to `f1` Hz over the signal.
pub fn chirp(format: Format, frames: usize, f0: f64, f1: f64, amplitude: f64) -> Vec<i16> {
    let rate = f64::from(format.sample_rate);
    let channels = usize::from(format.channels);
    let duration = frames as f64 / rate;
    let mut out = Vec::with_capacity(frames * channels);
    for i in 0..frames {
        let t = i as f64 / rate;
        let phase = 2.0 * std::f64::consts::PI * (f0 * t + (f1 - f0) * t * t / (2.0 * duration));
        for _ in 0..channels {
            out.push(to_i16(amplitude * phase.sin()));
        }
    }
    out
}

/// A small deterministic generator (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed` (any value).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [-1, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
}

/// Uniform white noise of peak `amplitude`.
pub fn noise(format: Format, frames: usize, amplitude: f64, seed: u64) -> Vec<i16> {
    let mut rng = Rng::new(seed);
    (0..frames * usize::from(format.channels))
        .map(|_| to_i16(amplitude * rng.next_f64()))
        .collect()
}

/// Music-like audio: a new note every 250 ms (a pentatonic scale over three octaves,
/// chosen by `seed`), each of six harmonics at amplitude 1/k with a 10 ms attack and an
/// exponential decay, two voices overlapping, panned per voice, plus white noise 40 dB
/// below; peak about half scale.
pub fn music(format: Format, frames: usize, seed: u64) -> Vec<i16> {
    const SCALE: [f64; 5] = [0.0, 2.0, 4.0, 7.0, 9.0];
    let rate = f64::from(format.sample_rate);
    let channels = usize::from(format.channels);
    let note_len = (rate * 0.25) as usize;
    let mut rng = Rng::new(seed);
    let notes = frames / note_len.max(1) + 2;
    // (start frame, frequency, pan 0..1)
    let mut events = Vec::with_capacity(notes * 2);
    for n in 0..notes {
        for voice in 0..2 {
            let step = SCALE[(rng.next_u64() % 5) as usize] + 12.0 * (rng.next_u64() % 3) as f64;
            let freq = 110.0 * 2f64.powf((step + 12.0 * voice as f64) / 12.0);
            let start = n * note_len + voice * note_len / 2;
            events.push((start, freq, if voice == 0 { 0.3 } else { 0.7 }));
        }
    }
    let mut mix = vec![0f64; frames * channels];
    for &(start, freq, pan) in &events {
        let length = (note_len * 2).min(frames.saturating_sub(start));
        for i in 0..length {
            let t = i as f64 / rate;
            let envelope = (t / 0.01).min(1.0) * (-t * 6.0).exp();
            let mut value = 0.0;
            for k in 1..=6 {
                let f = freq * k as f64;
                if f < rate / 2.0 {
                    value += (2.0 * std::f64::consts::PI * f * t).sin() / k as f64;
                }
            }
            value *= 0.18 * envelope;
            let frame = start + i;
            for c in 0..channels {
                let gain = match channels {
                    1 => 1.0,
                    _ if c % 2 == 0 => 1.0 - pan,
                    _ => pan,
                };
                mix[frame * channels + c] += value * gain * 2.0;
            }
        }
    }
    mix.iter()
        .map(|&v| to_i16(v + 0.005 * rng.next_f64()))
        .collect()
}

/// The SNR in dB of `decoded` against `reference` (interleaved, `channels` channels) at
/// the best lag within ±[`MAX_LAG`] frames, over the signal less 20 ms at each end.
/// Infinite for identical signals.
pub fn aligned_snr_db(reference: &[i16], decoded: &[i16], format: Format) -> f64 {
    let channels = usize::from(format.channels);
    let frames = reference.len().min(decoded.len()) / channels;
    let edge = (format.sample_rate as usize / 50).max(MAX_LAG);
    if frames <= 2 * edge {
        return f64::NEG_INFINITY;
    }
    let mut best = f64::NEG_INFINITY;
    for lag in -(MAX_LAG as isize)..=MAX_LAG as isize {
        let (mut signal, mut error) = (0f64, 0f64);
        for i in edge..frames - edge {
            let j = (i as isize + lag) as usize;
            for c in 0..channels {
                let r = f64::from(reference[i * channels + c]);
                let d = f64::from(decoded[j * channels + c]);
                signal += r * r;
                error += (r - d) * (r - d);
            }
        }
        let snr = if error == 0.0 {
            f64::INFINITY
        } else {
            10.0 * (signal / error).log10()
        };
        best = best.max(snr);
    }
    best
}

/// `10 log10(energy(decoded) / energy(reference))`.
pub fn energy_ratio_db(reference: &[i16], decoded: &[i16]) -> f64 {
    let energy = |x: &[i16]| x.iter().map(|&s| f64::from(s).powi(2)).sum::<f64>();
    10.0 * (energy(decoded) / energy(reference)).log10()
}

/// The stated lower bound on [`aligned_snr_db`] for a lossy `backend` at its default
/// settings (Opus: libopus's default bitrate for the format, complexity 10, 20 ms
/// frames; Vorbis: quality 0.5) on a tonal signal; `None` for a lossless one (exact).
pub fn snr_bound_db(backend: Backend, signal: Signal) -> Option<f64> {
    match (backend, signal) {
        (Backend::Flac, _) => None,
        (_, Signal::Noise) => Some(f64::NEG_INFINITY),
        // Measured 14.0 (music, 16 kHz mono) to 41.2 dB (sine, 48 kHz stereo).
        (Backend::Opus, _) => Some(10.0),
        // Measured 26.0 (chirp, 16 kHz stereo) to 40.5 dB (sine, 44.1 kHz mono).
        (_, _) => Some(20.0),
    }
}

/// The formats each codec is tested in.
pub fn formats(backend: Backend) -> Vec<Format> {
    match backend {
        Backend::Opus => vec![
            Format::new(48_000, 2),
            Format::new(48_000, 1),
            Format::new(16_000, 1),
        ],
        _ => vec![
            Format::new(48_000, 2),
            Format::new(44_100, 1),
            Format::new(16_000, 2),
        ],
    }
}

/// A stream of `signal` (1 s of `format`) encoded by `backend`, and the input.
pub fn encoded(backend: Backend, signal: Signal, format: Format) -> (Vec<i16>, Vec<u8>) {
    let pcm = signal.generate(format, format.sample_rate as usize);
    let stream = backend
        .encoder(format)
        .unwrap_or_else(|e| panic!("{backend}: encoder for {format:?}: {e}"))
        .encode(&pcm)
        .unwrap_or_else(|e| panic!("{backend}: encode {}: {e}", signal.name()));
    (pcm, stream)
}

/// Round trips every signal in every format of [`formats`]: the decoded format and
/// length equal the input's; lossless codecs give the input back exactly, lossy ones
/// meet [`snr_bound_db`] (tonal signals) or [`NOISE_ENERGY_DB`] (noise); the `f32`
/// decode agrees with the `i16` one within 2 LSB.
pub fn check_round_trip(backend: Backend) {
    for format in formats(backend) {
        for signal in Signal::ALL {
            let (pcm, stream) = encoded(backend, signal, format);
            let mut decoder = backend.decoder().unwrap();
            let out = decoder.decode(&stream).unwrap();
            let what = format!("{backend} {} {format:?}", signal.name());
            assert_eq!(out.format, format, "{what}");
            assert_eq!(out.samples.len(), pcm.len(), "{what}: length");
            match snr_bound_db(backend, signal) {
                None => assert!(out.samples == pcm, "{what}: not bit-exact"),
                Some(_) if signal == Signal::Noise => {
                    let ratio = energy_ratio_db(&pcm, &out.samples);
                    assert!(
                        ratio.abs() <= NOISE_ENERGY_DB,
                        "{what}: energy {ratio:.2} dB"
                    );
                }
                Some(bound) => {
                    let snr = aligned_snr_db(&pcm, &out.samples, format);
                    assert!(snr >= bound, "{what}: SNR {snr:.2} dB < {bound} dB");
                }
            }
            let float = decoder.decode_f32(&stream).unwrap();
            assert_eq!(float.samples.len(), out.samples.len(), "{what}: f32 length");
            let worst = float
                .samples
                .iter()
                .zip(&out.samples)
                .map(|(&f, &i)| (f64::from(f) * 32768.0 - f64::from(i)).abs())
                .fold(0.0, f64::max);
            assert!(
                worst <= 2.0,
                "{what}: f32 and i16 decodes differ by {worst} LSB"
            );
        }
    }
}

/// Flips one byte (xor 0x55) at every 1/16 of a stream and at its first bytes: every
/// flip gives `Err` from the flipped codec's backend, since every whole-stream format is
/// checksummed (FLAC: frame CRCs and MD5; Ogg Vorbis and Ogg Opus: page CRCs). Returns
/// how many flips were rejected (all of them).
pub fn check_corrupt(backend: Backend) -> usize {
    let format = Format::new(48_000, 2);
    let (_, stream) = encoded(backend, Signal::Music, format);
    let mut rejected = 0;
    let mut positions: Vec<usize> = (1..16).map(|k| stream.len() * k / 16).collect();
    positions.extend([0, 1, 2, 3]);
    for pos in positions {
        let mut bad = stream.clone();
        bad[pos] ^= 0x55;
        let e = backend
            .decoder()
            .unwrap()
            .decode(&bad)
            .err()
            .unwrap_or_else(|| {
                panic!(
                    "{backend}: flip at byte {pos} of {} decoded without error",
                    stream.len()
                )
            });
        assert_eq!(e.backend(), backend.name());
        rejected += 1;
    }
    rejected
}

/// Truncates a stream at every 1/16 of its length (0 included): always `Err`.
pub fn check_truncated(backend: Backend) {
    let format = Format::new(48_000, 2);
    let (_, stream) = encoded(backend, Signal::Music, format);
    for k in 0..16 {
        let cut = stream.len() * k / 16;
        let result = backend.decoder().unwrap().decode(&stream[..cut]);
        let err = result.err().unwrap_or_else(|| {
            panic!("{backend}: stream cut at {cut} of {} decoded", stream.len())
        });
        assert!(
            matches!(err.kind(), ErrorKind::Truncated | ErrorKind::Corrupt),
            "{backend}: cut at {cut}: {err}"
        );
    }
    // One byte short.
    assert!(backend
        .decoder()
        .unwrap()
        .decode(&stream[..stream.len() - 1])
        .is_err());
}

/// Garbage and empty input: `Err`, never a panic.
pub fn check_garbage(backend: Backend) {
    let mut rng = Rng::new(99);
    for len in [0usize, 1, 4, 20, 42, 1000, 65_536] {
        let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        assert!(
            backend.decoder().unwrap().decode(&bytes).is_err(),
            "{backend}: {len} random bytes"
        );
        assert!(backend.decoder().unwrap().decode_f32(&bytes).is_err());
    }
}

/// Limits: a decoder limited to one sample less than the stream gives
/// `ErrorKind::OutputLimit`; `usize::MAX` decodes; encoders reject formats at `u32::MAX`
/// Hz / `u16::MAX` channels and PCM that is not whole frames.
pub fn check_limits(backend: Backend) {
    let format = Format::new(48_000, 2);
    let (pcm, stream) = encoded(backend, Signal::Sine, format);
    let limited = backend
        .decoder_with_max_samples(pcm.len() - 1)
        .unwrap()
        .decode(&stream);
    assert_eq!(
        limited.unwrap_err().kind(),
        ErrorKind::OutputLimit,
        "{backend}"
    );
    let open = backend
        .decoder_with_max_samples(usize::MAX)
        .unwrap()
        .decode(&stream)
        .unwrap();
    assert_eq!(open.samples.len(), pcm.len());
    for bad in [
        Format::new(u32::MAX, 2),
        Format::new(48_000, u16::MAX),
        Format::new(0, 2),
        Format::new(48_000, 0),
    ] {
        let err = backend
            .encoder(bad)
            .err()
            .unwrap_or_else(|| panic!("{backend}: {bad:?} accepted"));
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidArgument,
            "{backend}: {bad:?}: {err}"
        );
    }
    let err = backend
        .encoder(format)
        .unwrap()
        .encode(&[1, 2, 3])
        .unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::InvalidArgument,
        "{backend}: odd sample count"
    );
}

/// 400 deterministic mutations of a short stream (1–4 random bytes overwritten, a
/// random cut, a random range duplicated): decoding returns `Ok` or `Err` and never
/// panics (the fuzz targets search further); an `Ok` has whole frames of the declared
/// format. Returns how many were rejected.
pub fn check_mutations(backend: Backend) -> usize {
    let format = Format::new(16_000, 2);
    let pcm = Signal::Music.generate(format, 4_000);
    let stream = backend.encoder(format).unwrap().encode(&pcm).unwrap();
    let mut rng = Rng::new(backend.name().len() as u64 + 17);
    let mut decoder = backend.decoder_with_max_samples(1 << 22).unwrap();
    let mut rejected = 0;
    for i in 0..400 {
        let mut bytes = stream.clone();
        match i % 3 {
            0 => {
                for _ in 0..1 + rng.next_u64() % 4 {
                    let at = (rng.next_u64() % bytes.len() as u64) as usize;
                    bytes[at] = rng.next_u64() as u8;
                }
            }
            1 => bytes.truncate((rng.next_u64() % bytes.len() as u64) as usize),
            _ => {
                let at = (rng.next_u64() % bytes.len() as u64) as usize;
                let len = ((rng.next_u64() % 64) as usize).min(bytes.len() - at);
                let copy = bytes[at..at + len].to_vec();
                bytes.splice(at..at, copy);
            }
        }
        match decoder.decode(&bytes) {
            Ok(out) => {
                let channels = usize::from(out.format.channels).max(1);
                assert_eq!(out.samples.len() % channels, 0, "{backend}: mutation {i}");
            }
            Err(e) => {
                assert_eq!(e.backend(), backend.name());
                rejected += 1;
            }
        }
    }
    rejected
}

/// The dyn forms report their backend and the format.
pub fn check_dyn(backend: Backend) {
    let format = Format::new(48_000, 1);
    let encoder = backend.encoder(format).unwrap();
    assert_eq!(encoder.backend(), backend);
    assert_eq!(encoder.format(), format);
    assert_eq!(backend.decoder().unwrap().backend(), backend);
    // An empty input still makes a valid, empty stream.
    let stream = backend.encoder(format).unwrap().encode(&[]).unwrap();
    let pcm = backend.decoder().unwrap().decode(&stream).unwrap();
    assert_eq!((pcm.format, pcm.samples.len()), (format, 0), "{backend}");
}

/// Ogg's CRC-32 (polynomial 0x04C11DB7, no reflection, zero initial value) of a page
/// whose CRC field is zero.
pub fn ogg_crc(page: &[u8]) -> u32 {
    let mut crc = 0u32;
    for &byte in page {
        crc ^= u32::from(byte) << 24;
        for _ in 0..8 {
            crc = if crc & 0x8000_0000 != 0 {
                (crc << 1) ^ 0x04C1_1DB7
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The `(start, end)` byte ranges of the Ogg pages of a well-formed stream.
pub fn ogg_pages(stream: &[u8]) -> Vec<(usize, usize)> {
    let mut pages = Vec::new();
    let mut pos = 0;
    while pos + 27 <= stream.len() {
        let segments = usize::from(stream[pos + 26]);
        let body: usize = stream[pos + 27..pos + 27 + segments]
            .iter()
            .map(|&b| usize::from(b))
            .sum();
        let end = pos + 27 + segments + body;
        pages.push((pos, end));
        pos = end;
    }
    pages
}

/// Edits one page of an Ogg stream in place (`edit` gets the whole page, header
/// included) and recomputes its CRC, so the edit reaches the codec's own checks.
pub fn edit_ogg_page(
    stream: &mut [u8],
    (start, end): (usize, usize),
    edit: impl FnOnce(&mut [u8]),
) {
    let page = &mut stream[start..end];
    edit(page);
    page[22..26].copy_from_slice(&[0; 4]);
    let crc = ogg_crc(page);
    page[22..26].copy_from_slice(&crc.to_le_bytes());
}

/// A 16-bit PCM WAV file of `samples` (interleaved) in `format`.
pub fn write_wav(format: Format, samples: &[i16]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let block = u32::from(format.channels) * 2;
    let mut wav = Vec::with_capacity(44 + samples.len() * 2);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&format.channels.to_le_bytes());
    wav.extend_from_slice(&format.sample_rate.to_le_bytes());
    wav.extend_from_slice(&(format.sample_rate * block).to_le_bytes());
    wav.extend_from_slice(&(block as u16).to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        wav.extend_from_slice(&s.to_le_bytes());
    }
    wav
}

/// Reads a 16-bit PCM WAV file (the `fmt ` and `data` chunks; others skipped).
pub fn read_wav(wav: &[u8]) -> Result<(Format, Vec<i16>), String> {
    if wav.len() < 12 || &wav[..4] != b"RIFF" || &wav[8..12] != b"WAVE" {
        return Err("not a RIFF/WAVE file".into());
    }
    let mut pos = 12;
    let mut format = None;
    while pos + 8 <= wav.len() {
        let id = &wav[pos..pos + 4];
        let len = u32::from_le_bytes(wav[pos + 4..pos + 8].try_into().unwrap()) as usize;
        let body = &wav[pos + 8..(pos + 8 + len).min(wav.len())];
        match id {
            b"fmt " if body.len() >= 16 => {
                let channels = u16::from_le_bytes([body[2], body[3]]);
                let rate = u32::from_le_bytes(body[4..8].try_into().unwrap());
                let bits = u16::from_le_bytes([body[14], body[15]]);
                if bits != 16 {
                    return Err(format!("{bits}-bit WAV"));
                }
                format = Some(Format::new(rate, channels));
            }
            b"data" => {
                let format = format.ok_or("data before fmt")?;
                let samples = body
                    .chunks_exact(2)
                    .map(|b| i16::from_le_bytes([b[0], b[1]]))
                    .collect();
                return Ok((format, samples));
            }
            _ => {}
        }
        pos += 8 + len + (len & 1);
    }
    Err("no data chunk".into())
}

/// Instantiates every generic check of [`crate::audio`] as `#[test]`s for one
/// [`Backend`] value: `audio_conformance!(flac, arsenal_audio::Backend::Flac);`.
#[macro_export]
macro_rules! audio_conformance {
    ($name:ident, $backend:expr) => {
        mod $name {
            #[test]
            fn round_trip() {
                $crate::audio::check_round_trip($backend);
            }

            #[test]
            fn corrupt() {
                $crate::audio::check_corrupt($backend);
            }

            #[test]
            fn truncated() {
                $crate::audio::check_truncated($backend);
            }

            #[test]
            fn garbage() {
                $crate::audio::check_garbage($backend);
            }

            #[test]
            fn mutations_never_panic() {
                let rejected = $crate::audio::check_mutations($backend);
                assert!(rejected > 0, "no mutation was rejected");
            }

            #[test]
            fn limits() {
                $crate::audio::check_limits($backend);
            }

            #[test]
            fn dyn_form() {
                $crate::audio::check_dyn($backend);
            }
        }
    };
}
