//! Native Rust parsing of the simple containers and stream forms decoders are fed from
//! (no FFI, no allocation of declared sizes): [`Ivf`] (the IVF file format of
//! libvpx/libaom tools), [`Obu`] (AV1's low-overhead bitstream format, "Section 5",
//! split into temporal units) and [`AnnexB`] (H.264 byte streams split into access
//! units). Malformed or truncated input gives an [`Error`] from backend `"container"`.

use crate::{Codec, Error, ErrorKind, Result};

const NAME: &str = "container";

#[cold]
fn corrupt(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Corrupt, NAME, message.into())
}

#[cold]
fn truncated(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Truncated, NAME, message.into())
}

/// The 32-byte header of an IVF file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IvfHeader {
    /// The codec FourCC (`AV01`, `VP90`, `VP80`, `H264`, ...).
    pub fourcc: [u8; 4],
    /// Width in pixels as the header states it.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// Time base denominator (frame rate numerator).
    pub timebase_den: u32,
    /// Time base numerator.
    pub timebase_num: u32,
    /// Frame count as the writer stated it (often 0 or wrong; the records decide).
    pub frame_count: u32,
}

impl IvfHeader {
    /// The codec of the FourCC, when this crate decodes it.
    pub fn codec(&self) -> Option<Codec> {
        match &self.fourcc {
            b"AV01" => Some(Codec::Av1),
            b"VP90" => Some(Codec::Vp9),
            b"H264" | b"h264" | b"AVC1" | b"avc1" => Some(Codec::H264),
            _ => None,
        }
    }
}

/// One IVF frame record: its timestamp and payload (borrowed from the input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IvfFrame<'a> {
    /// Presentation timestamp in the header's time base.
    pub timestamp: u64,
    /// The compressed frame (a temporal unit for AV1).
    pub data: &'a [u8],
}

/// An IVF file in memory: the header, then an iterator of frame records.
///
/// ```
/// use arsenal_video::container::Ivf;
/// let mut file = b"DKIF\0\0\x20\0AV01\x40\0\x30\0\x1e\0\0\0\x01\0\0\0\x01\0\0\0\0\0\0\0".to_vec();
/// file.extend_from_slice(&3u32.to_le_bytes());
/// file.extend_from_slice(&0u64.to_le_bytes());
/// file.extend_from_slice(&[0x12, 0x00, 0x0a]);
/// let ivf = Ivf::parse(&file)?;
/// assert_eq!((ivf.header().width, ivf.header().height), (64, 48));
/// let frames: Vec<_> = ivf.frames().collect::<Result<_, _>>()?;
/// assert_eq!(frames[0].data, &[0x12, 0x00, 0x0a]);
/// # Ok::<(), arsenal_video::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Ivf<'a> {
    header: IvfHeader,
    records: &'a [u8],
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl<'a> Ivf<'a> {
    /// The signature every IVF file starts with.
    pub const SIGNATURE: &'static [u8; 4] = b"DKIF";

    /// Parses the header; frames are parsed lazily by [`Ivf::frames`].
    pub fn parse(file: &'a [u8]) -> Result<Ivf<'a>> {
        if file.len() < 32 {
            if file.len() >= 4 && &file[..4] != Self::SIGNATURE {
                return Err(corrupt("not an IVF file (no DKIF signature)"));
            }
            return Err(truncated(format!(
                "IVF header needs 32 bytes, got {}",
                file.len()
            )));
        }
        if &file[..4] != Self::SIGNATURE {
            return Err(corrupt("not an IVF file (no DKIF signature)"));
        }
        let version = u16_at(file, 4);
        if version != 0 {
            return Err(corrupt(format!("IVF version {version} (expected 0)")));
        }
        let header_len = usize::from(u16_at(file, 6));
        if header_len < 32 {
            return Err(corrupt(format!("IVF header length {header_len} < 32")));
        }
        if header_len > file.len() {
            return Err(truncated(format!(
                "IVF header length {header_len} exceeds the file ({} bytes)",
                file.len()
            )));
        }
        let header = IvfHeader {
            fourcc: [file[8], file[9], file[10], file[11]],
            width: u16_at(file, 12),
            height: u16_at(file, 14),
            timebase_den: u32_at(file, 16),
            timebase_num: u32_at(file, 20),
            frame_count: u32_at(file, 24),
        };
        Ok(Ivf {
            header,
            records: &file[header_len..],
        })
    }

    /// The header.
    pub fn header(&self) -> &IvfHeader {
        &self.header
    }

    /// The frame records in order; a record whose declared size runs past the end of
    /// the file gives `ErrorKind::Truncated` (and ends the iteration).
    pub fn frames(&self) -> IvfFrames<'a> {
        IvfFrames {
            rest: self.records,
            failed: false,
        }
    }
}

/// Iterator of [`IvfFrame`]s (from [`Ivf::frames`]).
#[derive(Debug, Clone)]
pub struct IvfFrames<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Iterator for IvfFrames<'a> {
    type Item = Result<IvfFrame<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        if self.rest.len() < 12 {
            self.failed = true;
            return Some(Err(truncated(format!(
                "IVF frame header needs 12 bytes, {} left",
                self.rest.len()
            ))));
        }
        let size = u32_at(self.rest, 0) as usize;
        let timestamp = u64::from_le_bytes(self.rest[4..12].try_into().expect("8 bytes"));
        let body = &self.rest[12..];
        if size > body.len() {
            self.failed = true;
            return Some(Err(truncated(format!(
                "IVF frame of {size} bytes, {} left",
                body.len()
            ))));
        }
        self.rest = &body[size..];
        Some(Ok(IvfFrame {
            timestamp,
            data: &body[..size],
        }))
    }
}

/// Writes an IVF file: the header for `fourcc`, size and frame rate `fps`/1, then one
/// record per frame (timestamps 0, 1, 2, ...). The inverse of [`Ivf::parse`].
pub fn write_ivf(
    fourcc: [u8; 4],
    width: u16,
    height: u16,
    fps: u32,
    frames: &[Vec<u8>],
) -> Result<Vec<u8>> {
    let count = u32::try_from(frames.len()).map_err(|_| {
        Error::new(
            ErrorKind::InvalidArgument,
            NAME,
            "more than u32::MAX frames",
        )
    })?;
    let mut out = Vec::with_capacity(32 + frames.iter().map(|f| f.len() + 12).sum::<usize>());
    out.extend_from_slice(Ivf::SIGNATURE);
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&32u16.to_le_bytes());
    out.extend_from_slice(&fourcc);
    out.extend_from_slice(&width.to_le_bytes());
    out.extend_from_slice(&height.to_le_bytes());
    out.extend_from_slice(&fps.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    for (i, frame) in frames.iter().enumerate() {
        let size = u32::try_from(frame.len())
            .map_err(|_| Error::new(ErrorKind::InvalidArgument, NAME, "a frame over 4 GiB"))?;
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(i as u64).to_le_bytes());
        out.extend_from_slice(frame);
    }
    Ok(out)
}

/// AV1 OBU types this module names.
pub mod obu_type {
    /// `OBU_SEQUENCE_HEADER`.
    pub const SEQUENCE_HEADER: u8 = 1;
    /// `OBU_TEMPORAL_DELIMITER`: starts every temporal unit.
    pub const TEMPORAL_DELIMITER: u8 = 2;
    /// `OBU_FRAME_HEADER`.
    pub const FRAME_HEADER: u8 = 3;
    /// `OBU_TILE_GROUP`.
    pub const TILE_GROUP: u8 = 4;
    /// `OBU_METADATA`.
    pub const METADATA: u8 = 5;
    /// `OBU_FRAME`.
    pub const FRAME: u8 = 6;
    /// `OBU_PADDING`.
    pub const PADDING: u8 = 15;
}

/// One OBU of a low-overhead AV1 stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObuUnit<'a> {
    /// `obu_type` (see [`obu_type`]).
    pub kind: u8,
    /// Temporal and spatial layer ids from the extension header, when present.
    pub layers: Option<(u8, u8)>,
    /// The whole OBU: header, size field and payload.
    pub bytes: &'a [u8],
    /// The payload alone.
    pub payload: &'a [u8],
}

/// AV1's low-overhead bitstream format ("Section 5" `.obu` files): a sequence of OBUs
/// each with `obu_has_size_field = 1`, split into temporal units at temporal delimiters.
///
/// ```
/// use arsenal_video::container::Obu;
/// // Two temporal units: a temporal delimiter each, the second with a padding OBU.
/// let stream = [0x12, 0x00, 0x12, 0x00, 0x7a, 0x02, 0xAA, 0xBB];
/// let units: Vec<&[u8]> = Obu::temporal_units(&stream).collect::<Result<_, _>>()?;
/// assert_eq!(units, [&stream[..2], &stream[2..]]);
/// assert!(Obu::temporal_units(&[0x12, 0x05, 0x00]).any(|u| u.is_err())); // size past the end
/// # Ok::<(), arsenal_video::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Obu;

/// Reads a leb128 value (at most 8 bytes, value below 2^32 as AV1 requires) from the
/// start of `data`: (value, bytes read).
pub fn read_leb128(data: &[u8]) -> Result<(u64, usize)> {
    let mut value = 0u64;
    for i in 0..8 {
        let Some(&byte) = data.get(i) else {
            return Err(truncated("leb128 runs past the end"));
        };
        value |= u64::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            if value > u64::from(u32::MAX) {
                return Err(corrupt(format!("leb128 value {value} ≥ 2^32")));
            }
            return Ok((value, i + 1));
        }
    }
    Err(corrupt("leb128 longer than 8 bytes"))
}

impl Obu {
    /// Parses the OBU at the start of `data`.
    pub fn parse_one(data: &[u8]) -> Result<ObuUnit<'_>> {
        let Some(&header) = data.first() else {
            return Err(truncated("empty OBU"));
        };
        if header & 0x80 != 0 {
            return Err(corrupt("OBU forbidden bit set"));
        }
        let kind = (header >> 3) & 0x0F;
        let has_extension = header & 0x04 != 0;
        let has_size = header & 0x02 != 0;
        if !has_size {
            return Err(corrupt(
                "OBU without a size field (not the low-overhead format; Annex B streams are not supported)",
            ));
        }
        let mut at = 1;
        let layers = if has_extension {
            let Some(&ext) = data.get(1) else {
                return Err(truncated("OBU extension header missing"));
            };
            at = 2;
            Some((ext >> 5, (ext >> 3) & 0x03))
        } else {
            None
        };
        let (size, n) = read_leb128(&data[at..])?;
        at += n;
        let rest = data.len() - at;
        if size > rest as u64 {
            return Err(truncated(format!("OBU of {size} bytes, {rest} left")));
        }
        let end = at + size as usize;
        Ok(ObuUnit {
            kind,
            layers,
            bytes: &data[..end],
            payload: &data[at..end],
        })
    }

    /// Every OBU in order.
    pub fn units(stream: &[u8]) -> impl Iterator<Item = Result<ObuUnit<'_>>> + '_ {
        let mut rest = stream;
        let mut failed = false;
        std::iter::from_fn(move || {
            if failed || rest.is_empty() {
                return None;
            }
            match Obu::parse_one(rest) {
                Ok(unit) => {
                    rest = &rest[unit.bytes.len()..];
                    Some(Ok(unit))
                }
                Err(e) => {
                    failed = true;
                    Some(Err(e))
                }
            }
        })
    }

    /// The stream's temporal units (each starting with its temporal delimiter), as
    /// slices of `stream`. A stream that does not start with a temporal delimiter, or
    /// a malformed OBU, gives an error (and ends the iteration).
    pub fn temporal_units(stream: &[u8]) -> impl Iterator<Item = Result<&[u8]>> + '_ {
        let mut pos = 0usize;
        let mut failed = false;
        std::iter::from_fn(move || {
            if failed || pos >= stream.len() {
                return None;
            }
            let start = pos;
            let mut first = true;
            loop {
                if pos >= stream.len() {
                    break;
                }
                match Obu::parse_one(&stream[pos..]) {
                    Ok(unit) => {
                        let td = unit.kind == obu_type::TEMPORAL_DELIMITER;
                        if first && !td {
                            failed = true;
                            return Some(Err(corrupt(
                                "a temporal unit must start with a temporal delimiter OBU",
                            )));
                        }
                        if td && !first {
                            break;
                        }
                        first = false;
                        pos += unit.bytes.len();
                    }
                    Err(e) => {
                        failed = true;
                        return Some(Err(e));
                    }
                }
            }
            Some(Ok(&stream[start..pos]))
        })
    }
}

/// H.264 Annex-B byte streams: NAL units after `00 00 01` start codes, grouped into
/// access units (the unit a decoder takes at a time).
///
/// The access-unit split follows H.264 7.4.1.2.3 for streams without arbitrary slice
/// order: a new access unit starts at an access unit delimiter, SPS, PPS, SEI or
/// prefix NAL unit (types 9, 7, 8, 6, 14–18) after a slice, or at a slice (types 1, 5)
/// whose `first_mb_in_slice` is 0 after a slice.
///
/// ```
/// use arsenal_video::container::AnnexB;
/// let stream = [0, 0, 0, 1, 0x67, 1, 0, 0, 1, 0x65, 0x88, 0, 0, 1, 0x41, 0x9a];
/// let nals: Vec<&[u8]> = AnnexB::nal_units(&stream).collect();
/// assert_eq!(nals, [&[0x67, 1][..], &[0x65, 0x88], &[0x41, 0x9a]]);
/// let units: Vec<&[u8]> = AnnexB::access_units(&stream)?.collect();
/// assert_eq!(units, [&stream[..11], &stream[11..]]);
/// # Ok::<(), arsenal_video::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct AnnexB;

/// Positions of start codes: (index of the first `00`, index after the `01`).
fn start_codes(stream: &[u8]) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut i = 0usize;
    std::iter::from_fn(move || {
        while i + 3 <= stream.len() {
            if stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1 {
                let mut begin = i;
                // A four-byte start code (or trailing zeros) belongs to the start code.
                while begin > 0 && stream[begin - 1] == 0 {
                    begin -= 1;
                }
                let after = i + 3;
                i = after;
                return Some((begin, after));
            }
            i += 1;
        }
        None
    })
}

impl AnnexB {
    /// The NAL units (payloads without start codes or trailing zero bytes).
    pub fn nal_units(stream: &[u8]) -> impl Iterator<Item = &[u8]> + '_ {
        Self::spans(stream).map(move |(_, start, end)| &stream[start..end])
    }

    /// (start code begin, payload start, payload end) of every non-empty NAL unit.
    fn spans(stream: &[u8]) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        let codes: Vec<(usize, usize)> = start_codes(stream).collect();
        (0..codes.len()).filter_map(move |k| {
            let (begin, start) = codes[k];
            let end = codes.get(k + 1).map_or(stream.len(), |&(b, _)| b);
            let mut e = end;
            while e > start && stream[e - 1] == 0 {
                e -= 1;
            }
            (e > start).then_some((begin, start, e))
        })
    }

    /// The access units, each a slice of `stream` from its first start code. Bytes
    /// before the first start code other than zeros give `ErrorKind::Corrupt`; a
    /// stream with no NAL unit gives no access unit.
    pub fn access_units(stream: &[u8]) -> Result<impl Iterator<Item = &[u8]> + '_> {
        let spans: Vec<(usize, usize, usize)> = Self::spans(stream).collect();
        let first = spans.first().map_or(stream.len(), |s| s.0);
        if stream[..first].iter().any(|&b| b != 0) {
            return Err(corrupt(
                "H.264 Annex-B stream does not start with a start code",
            ));
        }
        let mut boundaries = Vec::new();
        let mut seen_slice = false;
        for &(begin, start, end) in &spans {
            let nal = &stream[start..end];
            let kind = nal[0] & 0x1F;
            let starts_au = match kind {
                1 | 5 => {
                    // first_mb_in_slice is ue(v): 0 is the single bit '1'.
                    let first_mb_zero = nal.get(1).is_some_and(|b| b & 0x80 != 0);
                    let new = seen_slice && first_mb_zero;
                    seen_slice = true;
                    new
                }
                6 | 7 | 8 | 9 | 14..=18 => std::mem::replace(&mut seen_slice, false),
                _ => false,
            };
            if boundaries.is_empty() || starts_au {
                if kind == 1 || kind == 5 {
                    seen_slice = true;
                }
                boundaries.push(begin);
            }
        }
        let ends: Vec<usize> = boundaries
            .iter()
            .skip(1)
            .copied()
            .chain(std::iter::once(stream.len()))
            .collect();
        Ok(boundaries
            .into_iter()
            .zip(ends)
            .map(move |(b, e)| &stream[b..e]))
    }
}

/// Splits a whole stream into the units a decoder of `codec` takes, with their
/// timestamps: IVF records (any codec, detected by the `DKIF` signature; the FourCC
/// must match `codec`), else AV1 temporal units of a low-overhead OBU stream, H.264
/// Annex-B access units. A bare VP9 stream has no framing: it must be in IVF.
pub fn split(codec: Codec, stream: &[u8]) -> Result<Vec<(&[u8], Option<i64>)>> {
    if stream.starts_with(Ivf::SIGNATURE) {
        let ivf = Ivf::parse(stream)?;
        if let Some(found) = ivf.header().codec() {
            if found != codec {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    NAME,
                    format!("IVF file holds {found}, the decoder takes {codec}"),
                ));
            }
        } else {
            return Err(Error::new(
                ErrorKind::Unsupported,
                NAME,
                format!(
                    "IVF FourCC {:?}",
                    String::from_utf8_lossy(&ivf.header().fourcc)
                ),
            ));
        }
        return ivf
            .frames()
            .map(|f| f.map(|f| (f.data, i64::try_from(f.timestamp).ok())))
            .collect();
    }
    match codec {
        Codec::Av1 => Obu::temporal_units(stream)
            .map(|u| u.map(|u| (u, None)))
            .collect(),
        Codec::H264 => Ok(AnnexB::access_units(stream)?.map(|u| (u, None)).collect()),
        Codec::Vp9 => Err(Error::new(
            ErrorKind::Unsupported,
            NAME,
            "a bare VP9 stream has no framing: give an IVF file (DKIF)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ivf_round_trip_and_errors() {
        let frames = vec![vec![1, 2, 3], vec![], vec![9; 100]];
        let file = write_ivf(*b"VP90", 66, 38, 30, &frames).unwrap();
        let ivf = Ivf::parse(&file).unwrap();
        assert_eq!(ivf.header().codec(), Some(Codec::Vp9));
        assert_eq!(
            (
                ivf.header().width,
                ivf.header().height,
                ivf.header().frame_count
            ),
            (66, 38, 3)
        );
        let back: Vec<IvfFrame<'_>> = ivf.frames().collect::<Result<_>>().unwrap();
        assert_eq!(back.len(), 3);
        for (i, f) in back.iter().enumerate() {
            assert_eq!(f.data, &frames[i][..]);
            assert_eq!(f.timestamp, i as u64);
        }
        // Every truncation is an error, never a panic.
        for cut in 0..file.len() {
            let short = &file[..cut];
            let result: Result<Vec<_>> = Ivf::parse(short).and_then(|i| i.frames().collect());
            if cut < 32 {
                assert!(result.is_err(), "cut {cut}");
            } else if ![32, 47, 59, 171].contains(&cut) {
                assert_eq!(
                    result.unwrap_err().kind(),
                    ErrorKind::Truncated,
                    "cut {cut}"
                );
            }
        }
        // A record declaring u32::MAX bytes.
        let mut bad = file.clone();
        bad[32..36].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(
            Ivf::parse(&bad)
                .unwrap()
                .frames()
                .next()
                .unwrap()
                .unwrap_err()
                .kind(),
            ErrorKind::Truncated
        );
        let mut bad = file.clone();
        bad[6..8].copy_from_slice(&u16::MAX.to_le_bytes());
        assert_eq!(Ivf::parse(&bad).unwrap_err().kind(), ErrorKind::Truncated);
        bad[6..8].copy_from_slice(&8u16.to_le_bytes());
        assert_eq!(Ivf::parse(&bad).unwrap_err().kind(), ErrorKind::Corrupt);
        assert_eq!(
            Ivf::parse(b"RIFF0000").unwrap_err().kind(),
            ErrorKind::Corrupt
        );
    }

    #[test]
    fn leb128_limits() {
        assert_eq!(read_leb128(&[0x00]).unwrap(), (0, 1));
        assert_eq!(read_leb128(&[0xE5, 0x8E, 0x26]).unwrap(), (624_485, 3));
        assert_eq!(
            read_leb128(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).unwrap(),
            (u64::from(u32::MAX), 5)
        );
        assert_eq!(
            read_leb128(&[0xFF, 0xFF, 0xFF, 0xFF, 0x1F])
                .unwrap_err()
                .kind(),
            ErrorKind::Corrupt
        );
        assert_eq!(
            read_leb128(&[0x80; 9]).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
        assert_eq!(
            read_leb128(&[0x80, 0x80]).unwrap_err().kind(),
            ErrorKind::Truncated
        );
    }

    #[test]
    fn obu_errors() {
        // Forbidden bit, no size field, not starting with a TD, extension truncated.
        for bad in [&[0x92u8, 0x00][..], &[0x10], &[0x0A, 0x00], &[0x16]] {
            assert!(Obu::temporal_units(bad).any(|u| u.is_err()), "{bad:?}");
        }
        // An extension header's layer ids.
        let unit = Obu::parse_one(&[0x36, 0x48, 0x01, 0xFF]).unwrap();
        assert_eq!(
            (unit.kind, unit.layers, unit.payload),
            (6, Some((2, 1)), &[0xFF][..])
        );
    }

    #[test]
    fn annexb_errors_and_edges() {
        assert_eq!(
            AnnexB::access_units(&[1, 2, 0, 0, 1, 0x65, 0x80])
                .err()
                .unwrap()
                .kind(),
            ErrorKind::Corrupt
        );
        assert_eq!(AnnexB::access_units(&[]).unwrap().count(), 0);
        assert_eq!(AnnexB::access_units(&[0, 0, 0]).unwrap().count(), 0);
        // Two slices of one picture (second has first_mb_in_slice ≠ 0): one unit.
        let s = [
            0, 0, 1, 0x65, 0x80, 0, 0, 1, 0x65, 0x40, 0, 0, 1, 0x41, 0x80,
        ];
        let units: Vec<&[u8]> = AnnexB::access_units(&s).unwrap().collect();
        assert_eq!(units, [&s[..10], &s[10..]]);
    }
}
