//! Ogg Opus files (RFC 7845): the standard `.opus` format that `opusenc`, `opusdec`,
//! browsers and players read and write. libopus does the coding; the Ogg pages (capture
//! pattern, CRC-32, lacing, granule positions) are read and written by the pure-Rust
//! `ogg` crate; the Opus headers, pre-skip, end trimming and output gain are ours.
//!
//! What is supported:
//! - **Encoding** ([`OggOpusEncoder`]): one logical stream, channel mapping family 0 (mono
//!   or stereo), `OpusHead` with the encoder's lookahead as pre-skip, `OpusTags` with our
//!   vendor string, each header on its own page, audio packets of the encoder's
//!   [`FrameDuration`](super::opus::FrameDuration) with granule positions at 48 kHz and
//!   the end-of-stream page's granule position trimming the padding of the last packet.
//! - **Decoding** ([`OggOpusDecoder`]): the first logical Opus stream of a file (pages
//!   of other, multiplexed streams are skipped), mapping family 0, `OpusHead` versions
//!   0.x, output gain applied by libopus, pre-skip dropped and the end trimmed by the
//!   final granule position. The output rate is the header's input sample rate when Opus
//!   can decode at it (8/12/16/24/48 kHz), 48 kHz otherwise (as RFC 7845 recommends).
//! - Not supported (an [`ErrorKind::Unsupported`] error, never a wrong result): channel
//!   mapping families 1 and 255 (more than two channels, multistream), chained files (a
//!   second stream starting after the first ends is ignored: decoding stops at the first
//!   stream's end), streams that start at a non-zero granule position are decoded from
//!   their first packet.
//!
//! A file without its end-of-stream page (cut short) is [`ErrorKind::Truncated`]; a
//! page whose CRC does not match, or headers that break RFC 7845, is
//! [`ErrorKind::Corrupt`].

use std::io::Cursor;

use ogg::{OggReadError, PacketReader, PacketWriteEndInfo, PacketWriter};

use super::opus::{check_format, err, max_frame, version, OpusDecoder, OpusEncoder};
use crate::{
    Application, Backend, Decoder, Encoder, Error, ErrorKind, Format, Pcm, Result,
    DEFAULT_MAX_SAMPLES,
};

const OPUS_HEAD: &[u8; 8] = b"OpusHead";
const OPUS_TAGS: &[u8; 8] = b"OpusTags";
/// The Ogg serial number of the streams we write ("ARSO").
const SERIAL: u32 = 0x4152_534F;
/// Granule positions count 48 kHz samples whatever the coded rate.
const GRANULE_RATE: u32 = 48_000;

/// Encodes interleaved PCM into an Ogg Opus file (RFC 7845; mono or stereo).
///
/// ```
/// use arsenal_audio::{Application, Decoder, Encoder, Format, OggOpusDecoder, OggOpusEncoder};
/// let format = Format::new(48_000, 2);
/// let mut encoder = OggOpusEncoder::new(format, Application::Audio)?;
/// encoder.opus_mut().set_bitrate(96_000)?;
/// let pcm = vec![0i16; 48_000 * 2]; // one second of silence
/// let file = encoder.encode(&pcm)?;
/// assert_eq!(&file[..4], b"OggS");
/// let back = OggOpusDecoder::new().decode(&file)?;
/// assert_eq!((back.format, back.samples.len()), (format, pcm.len()));
/// # Ok::<(), arsenal_audio::Error>(())
/// ```
#[derive(Debug)]
pub struct OggOpusEncoder {
    encoder: OpusEncoder,
    serial: u32,
}

impl OggOpusEncoder {
    /// An encoder for `format` (8/12/16/24/48 kHz, 1 or 2 channels) tuned for
    /// `application`, with libopus's defaults (change them through [`opus_mut`](Self::opus_mut)).
    pub fn new(format: Format, application: Application) -> Result<OggOpusEncoder> {
        Ok(OggOpusEncoder {
            encoder: OpusEncoder::new(format, application)?,
            serial: SERIAL,
        })
    }

    /// The packet encoder, for its settings (bitrate, complexity, VBR, FEC, frame
    /// duration).
    pub fn opus_mut(&mut self) -> &mut OpusEncoder {
        &mut self.encoder
    }

    /// Sets the Ogg serial number of the logical stream (default `0x4152534F`).
    #[must_use]
    pub fn with_serial(mut self, serial: u32) -> OggOpusEncoder {
        self.serial = serial;
        self
    }
}

/// The `OpusHead` packet (RFC 7845 §5.1) for mapping family 0.
fn opus_head(format: Format, pre_skip_48k: u16) -> Vec<u8> {
    let mut head = Vec::with_capacity(19);
    head.extend_from_slice(OPUS_HEAD);
    head.push(1); // version
    head.push(format.channels as u8);
    head.extend_from_slice(&pre_skip_48k.to_le_bytes());
    head.extend_from_slice(&format.sample_rate.to_le_bytes());
    head.extend_from_slice(&0i16.to_le_bytes()); // output gain
    head.push(0); // channel mapping family 0
    head
}

/// The `OpusTags` packet (RFC 7845 §5.2): our vendor string, no comments.
fn opus_tags() -> Vec<u8> {
    let vendor = format!("arsenal-audio ({})", version());
    let mut tags = Vec::with_capacity(16 + vendor.len());
    tags.extend_from_slice(OPUS_TAGS);
    tags.extend_from_slice(&(vendor.len() as u32).to_le_bytes());
    tags.extend_from_slice(vendor.as_bytes());
    tags.extend_from_slice(&0u32.to_le_bytes());
    tags
}

fn write_error(e: std::io::Error) -> Error {
    err(ErrorKind::Other, format!("writing an Ogg page: {e}"))
}

impl Encoder for OggOpusEncoder {
    fn backend(&self) -> Backend {
        Backend::Opus
    }

    fn format(&self) -> Format {
        self.encoder.format()
    }

    /// Encodes `pcm` into one complete Ogg Opus file (headers, audio pages, end of
    /// stream), from a reset encoder state.
    fn encode(&mut self, pcm: &[i16]) -> Result<Vec<u8>> {
        let format = self.encoder.format();
        // Opus rates divide 48 kHz: granule positions are exact multiples.
        let factor = (GRANULE_RATE / format.sample_rate) as u64;
        self.encoder.reset()?;
        let lookahead = self.encoder.lookahead()?;
        let pre_skip = u16::try_from(lookahead as u64 * factor).map_err(|_| {
            err(
                ErrorKind::Other,
                format!("lookahead {lookahead} does not fit OpusHead"),
            )
        })?;
        // `packets` below rejects PCM that is not whole frames before any packet is
        // written (the same check and message as the compact stream's encoder).
        let channels = usize::from(format.channels);
        let serial = self.serial;
        let total = (lookahead + pcm.len() / channels) as u64 * factor;
        let mut writer = PacketWriter::new(Vec::with_capacity(pcm.len() / 4 + 4096));
        for header in [opus_head(format, pre_skip), opus_tags()] {
            writer
                .write_packet(
                    header.into_boxed_slice(),
                    serial,
                    PacketWriteEndInfo::EndPage,
                    0,
                )
                .map_err(write_error)?;
        }
        // Packets are handed over one behind, so the last one can end the stream.
        let mut pending: Option<(Vec<u8>, u64)> = None;
        self.encoder.packets(pcm, |packet, end| {
            if let Some((data, granule)) = pending.take() {
                writer
                    .write_packet(
                        data.into_boxed_slice(),
                        serial,
                        PacketWriteEndInfo::NormalPacket,
                        granule,
                    )
                    .map_err(write_error)?;
            }
            pending = Some((packet.to_vec(), (end as u64 * factor).min(total)));
            Ok(())
        })?;
        let (data, _) = pending.ok_or_else(|| err(ErrorKind::Other, "no audio packet"))?;
        writer
            .write_packet(
                data.into_boxed_slice(),
                serial,
                PacketWriteEndInfo::EndStream,
                total,
            )
            .map_err(write_error)?;
        Ok(writer.into_inner())
    }
}

/// The fields of `OpusHead` this decoder uses.
#[derive(Debug, Clone, Copy)]
struct Head {
    channels: u16,
    pre_skip_48k: u64,
    input_rate: u32,
    gain_q8: i16,
}

fn parse_head(packet: &[u8]) -> Result<Head> {
    if packet.len() < 8 || &packet[..8] != OPUS_HEAD {
        return Err(err(
            ErrorKind::Corrupt,
            "the first Ogg packet is not an OpusHead (not an Ogg Opus file)",
        ));
    }
    if packet.len() < 19 {
        return Err(err(ErrorKind::Corrupt, "OpusHead shorter than 19 bytes"));
    }
    let version = packet[8];
    if version >> 4 != 0 {
        return Err(err(
            ErrorKind::Unsupported,
            format!("OpusHead version {version} (only 0.x is defined)"),
        ));
    }
    let channels = u16::from(packet[9]);
    let family = packet[18];
    if family != 0 {
        return Err(err(
            ErrorKind::Unsupported,
            format!("channel mapping family {family} ({channels} channels; multistream Ogg Opus is not supported)"),
        ));
    }
    if !(1..=2).contains(&channels) {
        return Err(err(
            ErrorKind::Corrupt,
            format!("mapping family 0 with {channels} channels"),
        ));
    }
    Ok(Head {
        channels,
        pre_skip_48k: u64::from(u16::from_le_bytes([packet[10], packet[11]])),
        input_rate: u32::from_le_bytes([packet[12], packet[13], packet[14], packet[15]]),
        gain_q8: i16::from_le_bytes([packet[16], packet[17]]),
    })
}

fn read_error(e: OggReadError) -> Error {
    match e {
        OggReadError::ReadError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            err(ErrorKind::Truncated, "the file ends inside an Ogg page")
        }
        OggReadError::HashMismatch(..) => {
            err(ErrorKind::Corrupt, "an Ogg page's CRC does not match")
        }
        other => err(ErrorKind::Corrupt, format!("Ogg: {other}")),
    }
}

/// Decodes an Ogg Opus file (RFC 7845; mono or stereo) into PCM; see [the module
/// docs](self) for what is supported.
#[derive(Debug)]
pub struct OggOpusDecoder {
    max_samples: usize,
    decoder: Option<OpusDecoder>,
}

impl Default for OggOpusDecoder {
    fn default() -> Self {
        OggOpusDecoder::new()
    }
}

impl OggOpusDecoder {
    /// A decoder with the default output limit ([`DEFAULT_MAX_SAMPLES`]).
    pub fn new() -> OggOpusDecoder {
        OggOpusDecoder {
            max_samples: DEFAULT_MAX_SAMPLES,
            decoder: None,
        }
    }

    /// Sets the limit on decoded samples (all channels): a file that decodes to more
    /// gives [`ErrorKind::OutputLimit`], having held at most one packet (120 ms) more.
    #[must_use]
    pub fn with_max_samples(mut self, max_samples: usize) -> OggOpusDecoder {
        self.max_samples = max_samples;
        self
    }

    fn run<T: Copy + Default>(
        &mut self,
        stream: &[u8],
        mut decode: impl FnMut(&mut OpusDecoder, &[u8], &mut [T]) -> Result<usize>,
    ) -> Result<Pcm<T>> {
        let mut reader = PacketReader::new(Cursor::new(stream));
        let mut next = || -> Result<ogg::Packet> {
            reader.read_packet().map_err(read_error)?.ok_or_else(|| {
                err(
                    ErrorKind::Truncated,
                    "the file ends before the Opus stream's end-of-stream page",
                )
            })
        };
        let first = next()?;
        let serial = first.stream_serial();
        let head = parse_head(&first.data)?;
        let tags = loop {
            let packet = next()?;
            if packet.stream_serial() == serial {
                break packet;
            }
        };
        if tags.data.len() < 8 || &tags.data[..8] != OPUS_TAGS {
            return Err(err(ErrorKind::Corrupt, "the second packet is not OpusTags"));
        }
        let rate = if check_format(Format::new(head.input_rate, head.channels)).is_ok() {
            head.input_rate
        } else {
            GRANULE_RATE
        };
        let format = Format::new(rate, head.channels);
        let factor = u64::from(GRANULE_RATE / rate);
        let channels = usize::from(head.channels);
        let decoder = match &mut self.decoder {
            Some(d) if d.format() == format => {
                d.reset()?;
                d
            }
            slot => slot.insert(OpusDecoder::new(format)?),
        };
        decoder.set_gain(head.gain_q8)?;
        let max_frame = max_frame(rate);
        // Decoded samples may run one packet past the limit before trimming decides.
        let hold_limit = self.max_samples.saturating_add(max_frame * channels);
        let mut out: Vec<T> = Vec::new();
        let mut buf = vec![T::default(); max_frame * channels];
        let end_granule = loop {
            let packet = next()?;
            if packet.stream_serial() != serial {
                continue; // another logical stream multiplexed into the file
            }
            if packet.data.is_empty() {
                return Err(err(ErrorKind::Corrupt, "a zero-length Opus packet"));
            }
            let n = decode(decoder, &packet.data, &mut buf)?;
            if out.len() + n * channels > hold_limit {
                return Err(err(
                    ErrorKind::OutputLimit,
                    format!("the file decodes to more than {} samples", self.max_samples),
                ));
            }
            out.extend_from_slice(&buf[..n * channels]);
            if packet.last_in_stream() {
                break packet.absgp_page();
            }
        };
        // Pre-skip and the end in output samples (granule positions are 48 kHz).
        let decoded = (out.len() / channels) as u64;
        let skip = head.pre_skip_48k.div_ceil(factor);
        let end = end_granule / factor;
        if end < skip {
            return Err(err(
                ErrorKind::Corrupt,
                format!("the final granule position {end_granule} is before the pre-skip"),
            ));
        }
        if end > decoded {
            return Err(err(
                ErrorKind::Corrupt,
                format!("the final granule position {end_granule} is past the {decoded} decoded samples"),
            ));
        }
        let (skip, end) = (skip as usize * channels, end as usize * channels);
        if end - skip > self.max_samples {
            return Err(err(
                ErrorKind::OutputLimit,
                format!(
                    "the file decodes to {} samples, over the limit of {}",
                    end - skip,
                    self.max_samples
                ),
            ));
        }
        out.truncate(end);
        out.drain(..skip);
        Ok(Pcm {
            format,
            samples: out,
        })
    }
}

impl Decoder for OggOpusDecoder {
    fn backend(&self) -> Backend {
        Backend::Opus
    }

    fn decode(&mut self, stream: &[u8]) -> Result<Pcm<i16>> {
        self.run(stream, |d, p, out| d.decode(p, out))
    }

    fn decode_f32(&mut self, stream: &[u8]) -> Result<Pcm<f32>> {
        self.run(stream, |d, p, out| d.decode_f32(p, out))
    }
}
