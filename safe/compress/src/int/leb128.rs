//! LEB128 varints: unsigned (`u32`, `u64`) and ZigZag-signed (`i32`, `i64`), as protobuf
//! writes `uint32`/`uint64` and `sint32`/`sint64` fields (and as DWARF and WebAssembly
//! write *unsigned* LEB128).
//!
//! Each byte carries 7 bits of the value, least significant group first; the high bit
//! says another byte follows. Signed values are mapped to unsigned ones by ZigZag
//! (`0, -1, 1, -2, ...` → `0, 1, 2, 3, ...`, [`zigzag_encode_64`]) so that small negative
//! numbers stay short. DWARF/wasm *signed* LEB128 (sign-extended two's complement) is a
//! different encoding and is not provided.
//!
//! Decoding is strict and never reads past its input:
//! * input ending while the continuation bit is set → [`ErrorKind::Truncated`];
//! * more than 10 bytes for a `u64` (5 for a `u32`), or bits beyond 64 (32) set in the
//!   last byte → [`ErrorKind::Corrupt`].
//!
//! Redundant zero groups inside that length (`0x80 0x00` for 0) are accepted, as
//! protobuf parsers accept them; the encoders always write the shortest form.
//! Errors are [`Error`]s with backend name `"leb128"`.
//!
//! ```
//! use arsenal_compress::int::leb128;
//!
//! let mut buf = Vec::new();
//! leb128::encode_u64(624_485, &mut buf);
//! assert_eq!(buf, [0xe5, 0x8e, 0x26]);
//! assert_eq!(leb128::decode_u64(&buf)?, (624_485, 3));
//!
//! leb128::encode_i64(-1, &mut buf); // ZigZag: -1 -> 1
//! assert_eq!(buf[3..], [0x01]);
//!
//! let mut values = Vec::new();
//! let used = leb128::decode_u32s(&[0x01, 0xac, 0x02, 0x7f], &mut values, usize::MAX)?;
//! assert_eq!((values, used), (vec![1, 300, 127], 4));
//! # Ok::<(), arsenal_compress::Error>(())
//! ```

use crate::{Error, ErrorKind, Result};

/// The backend name in errors.
pub const NAME: &str = "leb128";

/// The longest LEB128 encoding of a `u64`.
pub const MAX_LEN_U64: usize = 10;

/// The longest LEB128 encoding of a `u32`.
pub const MAX_LEN_U32: usize = 5;

/// ZigZag-maps a signed value: `0, -1, 1, -2, 2` → `0, 1, 2, 3, 4`.
///
/// ```
/// assert_eq!(arsenal_compress::int::leb128::zigzag_encode_64(-2), 3);
/// ```
#[inline]
pub const fn zigzag_encode_64(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// The inverse of [`zigzag_encode_64`].
///
/// ```
/// assert_eq!(arsenal_compress::int::leb128::zigzag_decode_64(3), -2);
/// ```
#[inline]
pub const fn zigzag_decode_64(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// ZigZag for `i32` (protobuf `sint32`).
///
/// ```
/// assert_eq!(arsenal_compress::int::leb128::zigzag_encode_32(i32::MIN), u32::MAX);
/// ```
#[inline]
pub const fn zigzag_encode_32(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

/// The inverse of [`zigzag_encode_32`].
///
/// ```
/// assert_eq!(arsenal_compress::int::leb128::zigzag_decode_32(u32::MAX), i32::MIN);
/// ```
#[inline]
pub const fn zigzag_decode_32(v: u32) -> i32 {
    ((v >> 1) as i32) ^ -((v & 1) as i32)
}

/// The length of the LEB128 encoding of `v` (1..=10).
///
/// ```
/// assert_eq!(arsenal_compress::int::leb128::encoded_len_u64(u64::MAX), 10);
/// ```
#[inline]
pub const fn encoded_len_u64(v: u64) -> usize {
    // Bits needed (at least 1), 7 per byte.
    let bits = 64 - (v | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// Writes `v` into `buf` and returns the number of bytes used.
///
/// ```
/// let mut buf = [0u8; 10];
/// let n = arsenal_compress::int::leb128::encode_u64_into(300, &mut buf);
/// assert_eq!(&buf[..n], [0xac, 0x02]);
/// ```
#[inline]
pub fn encode_u64_into(mut v: u64, buf: &mut [u8; MAX_LEN_U64]) -> usize {
    let mut i = 0;
    while v >= 0x80 {
        buf[i] = (v as u8) | 0x80;
        v >>= 7;
        i += 1;
    }
    buf[i] = v as u8;
    i + 1
}

/// Writes `v` into `buf` and returns the number of bytes used.
///
/// ```
/// let mut buf = [0u8; 5];
/// assert_eq!(arsenal_compress::int::leb128::encode_u32_into(u32::MAX, &mut buf), 5);
/// assert_eq!(buf, [0xff, 0xff, 0xff, 0xff, 0x0f]);
/// ```
#[inline]
pub fn encode_u32_into(mut v: u32, buf: &mut [u8; MAX_LEN_U32]) -> usize {
    let mut i = 0;
    while v >= 0x80 {
        buf[i] = (v as u8) | 0x80;
        v >>= 7;
        i += 1;
    }
    buf[i] = v as u8;
    i + 1
}

/// Appends the encoding of `v` to `out`; returns its length.
///
/// ```
/// let mut out = Vec::new();
/// assert_eq!(arsenal_compress::int::leb128::encode_u64(127, &mut out), 1);
/// assert_eq!(out, [0x7f]);
/// ```
#[inline]
pub fn encode_u64(v: u64, out: &mut Vec<u8>) -> usize {
    let mut buf = [0u8; MAX_LEN_U64];
    let n = encode_u64_into(v, &mut buf);
    out.extend_from_slice(&buf[..n]);
    n
}

/// Appends the encoding of `v` to `out`; returns its length.
///
/// ```
/// let mut out = Vec::new();
/// arsenal_compress::int::leb128::encode_u32(128, &mut out);
/// assert_eq!(out, [0x80, 0x01]);
/// ```
#[inline]
pub fn encode_u32(v: u32, out: &mut Vec<u8>) -> usize {
    let mut buf = [0u8; MAX_LEN_U32];
    let n = encode_u32_into(v, &mut buf);
    out.extend_from_slice(&buf[..n]);
    n
}

/// Appends the ZigZag LEB128 encoding of `v` (protobuf `sint64`); returns its length.
///
/// ```
/// let mut out = Vec::new();
/// arsenal_compress::int::leb128::encode_i64(1, &mut out);
/// assert_eq!(out, [0x02]);
/// ```
#[inline]
pub fn encode_i64(v: i64, out: &mut Vec<u8>) -> usize {
    encode_u64(zigzag_encode_64(v), out)
}

/// Appends the ZigZag LEB128 encoding of `v` (protobuf `sint32`); returns its length.
///
/// ```
/// let mut out = Vec::new();
/// arsenal_compress::int::leb128::encode_i32(-64, &mut out);
/// assert_eq!(out, [0x7f]);
/// ```
#[inline]
pub fn encode_i32(v: i32, out: &mut Vec<u8>) -> usize {
    encode_u32(zigzag_encode_32(v), out)
}

#[cold]
fn truncated(what: &'static str) -> Error {
    Error::new(
        ErrorKind::Truncated,
        NAME,
        format!("input ends inside a {what} varint"),
    )
}

#[cold]
fn overlong(what: &'static str) -> Error {
    Error::new(
        ErrorKind::Corrupt,
        NAME,
        format!("varint too long or too large for a {what}"),
    )
}

/// Byte-at-a-time decoding of up to `max_len` bytes, `last_mask` the bits the last byte
/// may carry.
#[inline]
fn decode_slow(
    src: &[u8],
    max_len: usize,
    last_max: u8,
    what: &'static str,
) -> Result<(u64, usize)> {
    let mut value = 0u64;
    for (i, &b) in src.iter().enumerate().take(max_len) {
        if i == max_len - 1 && b > last_max {
            return Err(overlong(what));
        }
        value |= u64::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Ok((value, i + 1));
        }
    }
    if src.len() < max_len {
        Err(truncated(what))
    } else {
        Err(overlong(what))
    }
}

/// Decodes up to 8 bytes at once: `Some((value, len))` when a varint of at most 8 bytes
/// starts `word` (read little-endian), `None` when all 8 bytes have the continuation bit.
#[inline]
fn decode_word(word: u64) -> Option<(u64, usize)> {
    let ends = !word & 0x8080_8080_8080_8080;
    if ends == 0 {
        return None;
    }
    let len = ends.trailing_zeros() as usize / 8 + 1;
    // Keep the varint's bytes, drop the continuation bits, then squeeze the 7-bit groups
    // together: pairs into 14 bits, quads into 28, and the two halves into 56.
    let keep = if len == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    };
    let mut x = word & keep & 0x7f7f_7f7f_7f7f_7f7f;
    x = (x & 0x007f_007f_007f_007f) | ((x & 0x7f00_7f00_7f00_7f00) >> 1);
    x = (x & 0x0000_3fff_0000_3fff) | ((x & 0x3fff_0000_3fff_0000) >> 2);
    x = (x & 0x0000_0000_0fff_ffff) | ((x & 0x0fff_ffff_0000_0000) >> 4);
    Some((x, len))
}

/// Decodes one `u64` from the start of `src`: `(value, bytes used)`.
///
/// ```
/// use arsenal_compress::{int::leb128, ErrorKind};
///
/// assert_eq!(leb128::decode_u64(&[0xe5, 0x8e, 0x26, 0xff])?, (624_485, 3));
/// assert_eq!(leb128::decode_u64(&[0x80]).unwrap_err().kind(), ErrorKind::Truncated);
/// assert_eq!(leb128::decode_u64(&[0xff; 11]).unwrap_err().kind(), ErrorKind::Corrupt);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
#[inline]
pub fn decode_u64(src: &[u8]) -> Result<(u64, usize)> {
    if let Some(bytes) = src.first_chunk::<8>() {
        if let Some(hit) = decode_word(u64::from_le_bytes(*bytes)) {
            return Ok(hit);
        }
    }
    decode_slow(src, MAX_LEN_U64, 0x01, "u64")
}

/// Decodes one `u32` from the start of `src`: `(value, bytes used)`. More than 5 bytes,
/// or a value beyond `u32::MAX`, is [`ErrorKind::Corrupt`].
///
/// ```
/// use arsenal_compress::{int::leb128, ErrorKind};
///
/// assert_eq!(leb128::decode_u32(&[0xff, 0xff, 0xff, 0xff, 0x0f])?, (u32::MAX, 5));
/// assert_eq!(leb128::decode_u32(&[0xff, 0xff, 0xff, 0xff, 0x1f]).unwrap_err().kind(), ErrorKind::Corrupt);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
#[inline]
pub fn decode_u32(src: &[u8]) -> Result<(u32, usize)> {
    if let Some(bytes) = src.first_chunk::<8>() {
        match decode_word(u64::from_le_bytes(*bytes)) {
            Some((v, len)) if len <= MAX_LEN_U32 => {
                if let Ok(v) = u32::try_from(v) {
                    return Ok((v, len));
                }
                return Err(overlong("u32"));
            }
            _ => return Err(overlong("u32")),
        }
    }
    let (v, len) = decode_slow(src, MAX_LEN_U32, 0x0f, "u32")?;
    Ok((v as u32, len))
}

/// Decodes one ZigZag-signed `i64` (protobuf `sint64`).
///
/// ```
/// assert_eq!(arsenal_compress::int::leb128::decode_i64(&[0x03])?, (-2, 1));
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
#[inline]
pub fn decode_i64(src: &[u8]) -> Result<(i64, usize)> {
    decode_u64(src).map(|(v, n)| (zigzag_decode_64(v), n))
}

/// Decodes one ZigZag-signed `i32` (protobuf `sint32`).
///
/// ```
/// assert_eq!(arsenal_compress::int::leb128::decode_i32(&[0x01])?, (-1, 1));
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
#[inline]
pub fn decode_i32(src: &[u8]) -> Result<(i32, usize)> {
    decode_u32(src).map(|(v, n)| (zigzag_decode_32(v), n))
}

/// Appends the encodings of all `values` to `out`, back to back; returns the bytes
/// written.
///
/// ```
/// let mut out = Vec::new();
/// assert_eq!(arsenal_compress::int::leb128::encode_u32s(&[1, 300], &mut out), 3);
/// assert_eq!(out, [0x01, 0xac, 0x02]);
/// ```
pub fn encode_u32s(values: &[u32], out: &mut Vec<u8>) -> usize {
    let start = out.len();
    // Room for the longest encodings, trimmed after: no per-value length checks.
    out.resize(start + values.len() * MAX_LEN_U32, 0);
    let mut pos = start;
    for &v in values {
        let slot: &mut [u8; MAX_LEN_U32] = (&mut out[pos..pos + MAX_LEN_U32])
            .try_into()
            .expect("5 bytes");
        pos += encode_u32_into(v, slot);
    }
    out.truncate(pos);
    pos - start
}

/// Appends the encodings of all `values` to `out`, back to back; returns the bytes
/// written.
///
/// ```
/// let mut out = Vec::new();
/// arsenal_compress::int::leb128::encode_u64s(&[u64::MAX, 0], &mut out);
/// assert_eq!(out.len(), 11);
/// ```
pub fn encode_u64s(values: &[u64], out: &mut Vec<u8>) -> usize {
    let start = out.len();
    out.resize(start + values.len() * MAX_LEN_U64, 0);
    let mut pos = start;
    for &v in values {
        let slot: &mut [u8; MAX_LEN_U64] = (&mut out[pos..pos + MAX_LEN_U64])
            .try_into()
            .expect("10 bytes");
        pos += encode_u64_into(v, slot);
    }
    out.truncate(pos);
    pos - start
}

/// Decodes back-to-back `u32` varints from `src`, appending them to `out`, until `src`
/// ends or `max_count` values were decoded; returns the bytes consumed. An error in any
/// value fails the whole call and leaves `out` as it was.
///
/// ```
/// let mut out = Vec::new();
/// let used = arsenal_compress::int::leb128::decode_u32s(&[5, 6, 7], &mut out, 2)?;
/// assert_eq!((out, used), (vec![5, 6], 2));
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub fn decode_u32s(src: &[u8], out: &mut Vec<u32>, max_count: usize) -> Result<usize> {
    decode_many(src, out, max_count, decode_u32)
}

/// [`decode_u32s`] for `u64` values.
///
/// ```
/// let mut out = Vec::new();
/// arsenal_compress::int::leb128::decode_u64s(&[0xac, 0x02], &mut out, usize::MAX)?;
/// assert_eq!(out, [300]);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub fn decode_u64s(src: &[u8], out: &mut Vec<u64>, max_count: usize) -> Result<usize> {
    decode_many(src, out, max_count, decode_u64)
}

#[inline]
fn decode_many<T>(
    src: &[u8],
    out: &mut Vec<T>,
    max_count: usize,
    one: impl Fn(&[u8]) -> Result<(T, usize)>,
) -> Result<usize> {
    let start = out.len();
    // Every value takes at least one byte.
    out.reserve(max_count.min(src.len()));
    let mut pos = 0;
    let mut count = 0;
    while pos < src.len() && count < max_count {
        match one(&src[pos..]) {
            Ok((v, n)) => {
                out.push(v);
                pos += n;
                count += 1;
            }
            Err(e) => {
                out.truncate(start);
                return Err(e);
            }
        }
    }
    Ok(pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDGES: [u64; 14] = [
        0,
        1,
        127,
        128,
        255,
        256,
        16_383,
        16_384,
        65_535,
        65_536,
        (1 << 24) - 1,
        1 << 24,
        u32::MAX as u64,
        u64::MAX,
    ];

    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn known_encodings() {
        let enc = |v: u64| {
            let mut out = Vec::new();
            encode_u64(v, &mut out);
            out
        };
        assert_eq!(enc(624_485), [0xe5, 0x8e, 0x26]);
        assert_eq!(enc(0), [0x00]);
        assert_eq!(enc(127), [0x7f]);
        assert_eq!(enc(128), [0x80, 0x01]);
        assert_eq!(enc(300), [0xac, 0x02]);
        assert_eq!(
            enc(u64::MAX),
            [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        );
        let mut out = Vec::new();
        encode_i64(-1, &mut out);
        encode_i64(1, &mut out);
        encode_i64(-64, &mut out);
        encode_i64(64, &mut out);
        encode_i32(i32::MIN, &mut out);
        assert_eq!(
            out,
            [0x01, 0x02, 0x7f, 0x80, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f]
        );
        assert_eq!(zigzag_encode_64(i64::MIN), u64::MAX);
        assert_eq!(zigzag_encode_64(i64::MAX), u64::MAX - 1);
        assert_eq!(zigzag_decode_32(zigzag_encode_32(i32::MAX)), i32::MAX);
    }

    #[test]
    fn edges_round_trip_with_and_without_padding() {
        for &v in &EDGES {
            let mut buf = [0u8; MAX_LEN_U64];
            let n = encode_u64_into(v, &mut buf);
            assert_eq!(n, encoded_len_u64(v), "{v}");
            // Exactly the encoding, and followed by more bytes (the 8-byte fast path).
            assert_eq!(decode_u64(&buf[..n]).unwrap(), (v, n), "{v}");
            let mut padded = buf[..n].to_vec();
            padded.extend_from_slice(&[0xff; 12]);
            assert_eq!(decode_u64(&padded).unwrap(), (v, n), "{v}");
            if let Ok(v32) = u32::try_from(v) {
                assert_eq!(decode_u32(&buf[..n]).unwrap(), (v32, n));
                assert_eq!(decode_u32(&padded).unwrap(), (v32, n));
                let mut b32 = [0u8; MAX_LEN_U32];
                assert_eq!(encode_u32_into(v32, &mut b32), n);
                assert_eq!(b32[..n], buf[..n]);
            } else {
                assert_eq!(
                    decode_u32(&buf[..n]).unwrap_err().kind(),
                    ErrorKind::Corrupt
                );
                assert_eq!(decode_u32(&padded).unwrap_err().kind(), ErrorKind::Corrupt);
            }
            for signed in [v as i64, (v as i64).wrapping_neg()] {
                let mut out = Vec::new();
                encode_i64(signed, &mut out);
                assert_eq!(decode_i64(&out).unwrap(), (signed, out.len()));
            }
        }
    }

    #[test]
    fn every_bit_length_round_trips() {
        for bits in 0..=64u32 {
            for v in [
                1u64.checked_shl(bits)
                    .map_or(u64::MAX, |x| x.wrapping_sub(1)),
                1u64.checked_shl(bits).unwrap_or(0),
            ] {
                let mut out = vec![0xaa];
                encode_u64(v, &mut out);
                assert_eq!(decode_u64(&out[1..]).unwrap(), (v, out.len() - 1), "{v:#x}");
            }
        }
    }

    #[test]
    fn truncation_at_every_length() {
        for &v in &EDGES {
            let mut out = Vec::new();
            encode_u64(v, &mut out);
            for cut in 0..out.len() {
                let e = decode_u64(&out[..cut]).unwrap_err();
                assert_eq!(e.kind(), ErrorKind::Truncated, "{v} cut at {cut}");
                assert_eq!(e.backend(), NAME);
                if v <= u32::MAX as u64 {
                    assert_eq!(
                        decode_u32(&out[..cut]).unwrap_err().kind(),
                        ErrorKind::Truncated
                    );
                }
            }
        }
    }

    #[test]
    fn overlong_is_corrupt() {
        // 11 bytes, bits beyond 64, 6 bytes for u32, bits beyond 32.
        assert_eq!(
            decode_u64(&[0x80; 11]).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
        assert_eq!(
            decode_u64(&[0x80; 10]).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
        let mut beyond = [0xff; 10];
        beyond[9] = 0x02;
        assert_eq!(decode_u64(&beyond).unwrap_err().kind(), ErrorKind::Corrupt);
        beyond[9] = 0x01;
        assert_eq!(decode_u64(&beyond).unwrap(), (u64::MAX, 10));
        assert_eq!(
            decode_u32(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00])
                .unwrap_err()
                .kind(),
            ErrorKind::Corrupt
        );
        assert_eq!(
            decode_u32(&[0x80, 0x80, 0x80, 0x80, 0x10])
                .unwrap_err()
                .kind(),
            ErrorKind::Corrupt
        );
        // Padding inside the maximum length is accepted.
        assert_eq!(decode_u32(&[0x80, 0x80, 0x80, 0x80, 0x00]).unwrap(), (0, 5));
        assert_eq!(
            decode_u64(&[0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]).unwrap(),
            (1, 10)
        );
    }

    #[test]
    fn slices_round_trip_random() {
        let mut s = 0x9e37_79b9_7f4a_7c15;
        for len in [0usize, 1, 2, 7, 8, 9, 100, 1000] {
            let v32: Vec<u32> = (0..len)
                .map(|_| (xorshift(&mut s) >> (xorshift(&mut s) % 64)) as u32)
                .collect();
            let v64: Vec<u64> = (0..len)
                .map(|_| xorshift(&mut s) >> (xorshift(&mut s) % 64))
                .collect();
            let mut enc = Vec::new();
            let n = encode_u32s(&v32, &mut enc);
            assert_eq!(n, enc.len());
            let mut dec = vec![7];
            assert_eq!(decode_u32s(&enc, &mut dec, usize::MAX).unwrap(), n);
            assert_eq!(dec[1..], v32[..]);
            let mut enc = Vec::new();
            encode_u64s(&v64, &mut enc);
            let mut dec = Vec::new();
            assert_eq!(decode_u64s(&enc, &mut dec, usize::MAX).unwrap(), enc.len());
            assert_eq!(dec, v64);
            // max_count stops early; a truncated tail fails and leaves `out` untouched.
            if len > 1 {
                let mut dec = Vec::new();
                let used = decode_u64s(&enc, &mut dec, len / 2).unwrap();
                assert_eq!(dec, v64[..len / 2]);
                assert_eq!(
                    used,
                    v64[..len / 2]
                        .iter()
                        .map(|&v| encoded_len_u64(v))
                        .sum::<usize>()
                );
                let last = encoded_len_u64(v64[len - 1]);
                if last > 1 {
                    let mut dec = vec![1];
                    let e = decode_u64s(&enc[..enc.len() - 1], &mut dec, usize::MAX).unwrap_err();
                    assert_eq!(e.kind(), ErrorKind::Truncated);
                    assert_eq!(dec, [1]);
                }
            }
        }
    }
}
