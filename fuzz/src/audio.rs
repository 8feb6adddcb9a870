//! Properties of the audio-decoder fuzz targets (`audio_*`), shared with the stable
//! replay, and their seeds (streams made here by our encoders, never copied).

use arsenal_audio::{
    Application, Decoder, Encoder, FlacDecoder, FlacEncoder, Format, OggOpusDecoder,
    OggOpusEncoder, OpusDecoder, OpusEncoder, OpusStreamDecoder, VorbisDecoder, VorbisEncoder,
};

/// The output limit of every fuzzed decoder (samples): keeps hostile headers cheap.
const MAX_SAMPLES: usize = 1 << 22;

/// Any bytes as a FLAC stream: `Ok` or a clean `Err`; when `Ok`, whole frames of a
/// sane format, every sample within the stream's bit depth, and the `i16`/`f32` views
/// of the same length.
pub fn audio_flac(input: &[u8]) {
    let mut decoder = FlacDecoder::new().with_max_samples(MAX_SAMPLES);
    let Ok(out) = decoder.decode_i32(input) else {
        return;
    };
    let channels = usize::from(out.pcm.format.channels);
    assert!((1..=8).contains(&channels), "{channels} channels");
    assert!(
        (1..=32).contains(&out.bits_per_sample),
        "{} bits",
        out.bits_per_sample
    );
    assert_eq!(out.pcm.samples.len() % channels, 0);
    assert!(out.pcm.samples.len() <= MAX_SAMPLES);
    if out.bits_per_sample < 32 {
        let limit = 1i64 << (out.bits_per_sample - 1);
        assert!(out
            .pcm
            .samples
            .iter()
            .all(|&s| (-limit..limit).contains(&i64::from(s))));
    }
    let narrow = decoder
        .decode(input)
        .expect("the i16 view decodes what the i32 one did");
    assert_eq!(narrow.samples.len(), out.pcm.samples.len());
}

/// Any bytes as Opus: the first byte picks the format (8–48 kHz, 1 or 2 channels); the
/// rest goes through the packet decoder (normal, then as FEC data for a lost 20 ms
/// packet, then concealment) and the whole-stream decoder. Every call is `Ok` with a
/// duration the packet allows, or a clean `Err`.
pub fn audio_opus(input: &[u8]) {
    let Some((&selector, packet)) = input.split_first() else {
        return;
    };
    const RATES: [u32; 5] = [8_000, 12_000, 16_000, 24_000, 48_000];
    let rate = RATES[usize::from(selector) % 5];
    let channels = 1 + u16::from(selector / 5 % 2);
    let format = Format::new(rate, channels);
    let mut decoder = OpusDecoder::new(format).expect("valid format");
    let max = rate as usize * 120 / 1000;
    let mut out = vec![0i16; max * usize::from(channels)];
    if let Ok(n) = decoder.decode(packet, &mut out) {
        assert!(n <= max && n % (rate as usize / 400) == 0, "{n} samples");
    }
    let twenty = rate as usize / 50 * usize::from(channels);
    if let Ok(n) = decoder.decode_fec(packet, &mut out[..twenty]) {
        assert_eq!(n * usize::from(channels), twenty);
    }
    let n = decoder
        .conceal(&mut out[..twenty])
        .expect("concealment always works");
    assert_eq!(n * usize::from(channels), twenty);
    let mut stream = OpusStreamDecoder::new().with_max_samples(MAX_SAMPLES);
    if let Ok(pcm) = stream.decode(input) {
        assert!(pcm.samples.len() <= MAX_SAMPLES);
        assert_eq!(pcm.samples.len() % usize::from(pcm.format.channels), 0);
    }
}

/// Any bytes as an Ogg Opus file: `Ok` or a clean `Err`; when `Ok`, whole frames within
/// the limit, and the `f32` decode of the same length.
pub fn audio_ogg_opus(input: &[u8]) {
    let mut decoder = OggOpusDecoder::new().with_max_samples(MAX_SAMPLES);
    let Ok(out) = decoder.decode(input) else {
        return;
    };
    let channels = usize::from(out.format.channels);
    assert!((1..=2).contains(&channels));
    assert_eq!(out.samples.len() % channels, 0);
    assert!(out.samples.len() <= MAX_SAMPLES);
    let float = decoder
        .decode_f32(input)
        .expect("the f32 view decodes what the i16 one did");
    assert_eq!(float.samples.len(), out.samples.len());
}

/// Any bytes as an Ogg Vorbis stream: `Ok` or a clean `Err`; when `Ok`, whole frames
/// within the limit, and the `f32` decode agrees in length.
pub fn audio_vorbis(input: &[u8]) {
    let mut decoder = VorbisDecoder::new().with_max_samples(MAX_SAMPLES);
    let Ok(out) = decoder.decode(input) else {
        return;
    };
    let channels = usize::from(out.format.channels);
    assert!(channels >= 1);
    assert_eq!(out.samples.len() % channels, 0);
    assert!(out.samples.len() <= MAX_SAMPLES);
    let float = decoder
        .decode_f32(input)
        .expect("the f32 view decodes what the i16 one did");
    assert_eq!(float.samples.len(), out.samples.len());
}

/// A 0.1 s two-tone signal.
fn tone(format: Format) -> Vec<i16> {
    let frames = format.sample_rate as usize / 10;
    let rate = f64::from(format.sample_rate);
    (0..frames * usize::from(format.channels))
        .map(|i| {
            let t = (i / usize::from(format.channels)) as f64 / rate;
            let v = (t * 440.0 * std::f64::consts::TAU).sin() * 0.4
                + (t * 1320.0 * std::f64::consts::TAU).sin() * 0.2;
            (v * 32767.0) as i16
        })
        .collect()
}

/// Seeds of the `audio_*` targets (`fuzz/corpus/audio`, written by `replay --seed-audio`):
/// short FLAC (16/24-bit, mono/stereo), Opus (single packets behind a format byte, and
/// whole packet streams), Ogg Opus files and Vorbis streams made by our encoders, each also cut in half
/// and with one byte flipped.
pub fn audio_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    let mono = Format::new(16_000, 1);
    let stereo = Format::new(48_000, 2);
    for (name, format, bits) in [("flac_mono16", mono, 16u32), ("flac_stereo24", stereo, 24)] {
        let pcm: Vec<i32> = tone(format)
            .iter()
            .map(|&s| i32::from(s) << (bits - 16))
            .collect();
        let mut encoder = FlacEncoder::new(format)
            .and_then(|e| e.with_bits_per_sample(bits))
            .and_then(|e| e.with_block_size(576))
            .expect("settings");
        seeds.push((name.to_owned(), encoder.encode_i32(&pcm).expect("flac")));
    }
    for (name, format, selector) in [("opus_mono16k", mono, 2u8), ("opus_stereo48k", stereo, 9)] {
        let mut encoder = OpusEncoder::new(format, Application::Audio).expect("format");
        let pcm = tone(format);
        let frame = format.sample_rate as usize / 50 * usize::from(format.channels);
        let mut packet = Vec::new();
        encoder
            .encode_packet(&pcm[..frame], &mut packet)
            .expect("opus");
        let mut seed = vec![selector];
        seed.extend_from_slice(&packet);
        seeds.push((format!("{name}_packet"), seed));
        seeds.push((
            format!("{name}_stream"),
            encoder.encode(&pcm).expect("opus stream"),
        ));
    }
    for (name, format) in [("ogg_opus_mono16k", mono), ("ogg_opus_stereo48k", stereo)] {
        let file = OggOpusEncoder::new(format, Application::Audio)
            .and_then(|mut e| e.encode(&tone(format)))
            .expect("ogg opus");
        seeds.push((name.to_owned(), file));
    }
    let vorbis = VorbisEncoder::new(mono)
        .and_then(|mut e| e.encode(&tone(mono)))
        .expect("vorbis");
    seeds.push(("vorbis_mono16k".to_owned(), vorbis));
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
        let seeds = audio_seeds();
        assert!(seeds.len() >= 21);
        for (_, seed) in &seeds {
            audio_flac(seed);
            audio_opus(seed);
            audio_vorbis(seed);
        }
        // The whole seeds decode.
        let flac = &seeds.iter().find(|(n, _)| n == "flac_mono16").unwrap().1;
        assert!(FlacDecoder::new().decode(flac).is_ok());
        let vorbis = &seeds.iter().find(|(n, _)| n == "vorbis_mono16k").unwrap().1;
        assert!(VorbisDecoder::new().decode(vorbis).is_ok());
    }
}
