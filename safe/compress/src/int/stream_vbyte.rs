//! Stream VByte (Lemire, Kurz and Rupp, "Stream VByte: Faster Byte-Oriented Integer
//! Compression", 2017): `u32` arrays in the byte layout of the reference C library
//! (`streamvbyte_encode` / `streamvbyte_decode`).
//!
//! For `n` values the encoding is a *control stream* of `ceil(n / 4)` bytes, 2 bits per
//! value holding its byte length minus one (the first value of each group of four in the
//! low bits), followed by the *data stream*: each value in 1 to 4 little-endian bytes.
//! The count `n` is not stored: the caller keeps it, as with the C library. Unused bits
//! of the last control byte are written as zero and ignored when decoding.
//!
//! The delta ("d1") variants [`encode_delta`] / [`decode_delta`] store the wrapping
//! differences between consecutive values (starting from a caller-given `prev`), the
//! layout of `streamvbyte_delta_encode`; decoding takes prefix sums. Sorted inputs
//! (posting lists, timestamps) become small deltas of one byte each.
//!
//! Decoding picks the fastest [`Variant`] the CPU has, once per call: SSSE3 (`pshufb`
//! with a 256-entry shuffle table built at compile time, one 16-byte load per group of
//! four, only while at least 16 input bytes remain) on x86-64, the portable scalar loop
//! elsewhere and for the tail. Both give identical results; [`decode_with`] forces one.
//! Encoding is scalar.
//!
//! Decoding first sums the lengths the control bytes declare, so input that is too
//! short gives [`ErrorKind::Truncated`] before anything is decoded, and no load ever
//! reaches past `src`. Errors use the backend name `"stream-vbyte"`.
//!
//! ```
//! use arsenal_compress::int::stream_vbyte;
//!
//! let values = [1, 300, 70_000, u32::MAX, 5];
//! let mut bytes = Vec::new();
//! let len = stream_vbyte::encode(&values, &mut bytes);
//! assert_eq!(len, 2 + (1 + 2 + 3 + 4 + 1));
//! assert_eq!(bytes[..2], [0b11_10_01_00, 0b00]);
//!
//! let mut back = Vec::new();
//! let used = stream_vbyte::decode(&bytes, values.len(), &mut back)?;
//! assert_eq!((back.as_slice(), used), (&values[..], len));
//! # Ok::<(), arsenal_compress::Error>(())
//! ```

use std::mem::MaybeUninit;

use crate::{Error, ErrorKind, Result};

#[cfg(target_arch = "x86_64")]
mod x86;

/// The backend name in errors.
pub const NAME: &str = "stream-vbyte";

/// The byte length (2 bits minus one per value) of the data of four values, by control
/// byte.
const GROUP_LEN: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = ((c & 3) + ((c >> 2) & 3) + ((c >> 4) & 3) + ((c >> 6) & 3) + 4) as u8;
        c += 1;
    }
    t
};

/// The `pshufb` mask that spreads the data of four values (control byte `c`) into four
/// `u32` lanes: lane byte `j < len` takes data byte `offset + j`, the rest are zeroed
/// (`0x80`).
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
const fn shuffle_table() -> [[u8; 16]; 256] {
    let mut t = [[0x80u8; 16]; 256];
    let mut c = 0;
    while c < 256 {
        let mut offset = 0u8;
        let mut lane = 0;
        while lane < 4 {
            let len = ((c >> (2 * lane)) & 3) as u8 + 1;
            let mut j = 0;
            while j < len {
                t[c][4 * lane + j as usize] = offset + j;
                j += 1;
            }
            offset += len;
            lane += 1;
        }
        c += 1;
    }
    t
}

/// The masks keeping the low `code + 1` bytes of a `u32`.
const LEN_MASK: [u32; 4] = [0xff, 0xffff, 0xff_ffff, 0xffff_ffff];

/// The largest encoding of `n` values: `ceil(n / 4) + 4 n` bytes (saturating).
///
/// ```
/// assert_eq!(arsenal_compress::int::stream_vbyte::max_compressed_len(5), 2 + 20);
/// ```
pub const fn max_compressed_len(n: usize) -> usize {
    n.div_ceil(4).saturating_add(n.saturating_mul(4))
}

/// Byte length minus one of `v`'s encoding (the 2-bit code).
#[inline]
fn code_of(v: u32) -> u8 {
    ((31 - (v | 1).leading_zeros()) / 8) as u8
}

/// Appends the Stream VByte encoding of `values` to `out`; returns its length.
///
/// ```
/// let mut out = Vec::new();
/// assert_eq!(arsenal_compress::int::stream_vbyte::encode(&[0, 256], &mut out), 4);
/// assert_eq!(out, [0b0100, 0x00, 0x00, 0x01]);
/// ```
pub fn encode(values: &[u32], out: &mut Vec<u8>) -> usize {
    encode_impl(values, None, out)
}

/// Appends the delta encoding of `values` (each value minus the one before, wrapping;
/// the first minus `prev`) to `out`; returns its length. Byte-identical to the
/// reference `streamvbyte_delta_encode(values, n, out, prev)`.
///
/// ```
/// let mut out = Vec::new();
/// arsenal_compress::int::stream_vbyte::encode_delta(&[1000, 1001, 1003], 1000, &mut out);
/// assert_eq!(out, [0, 0, 1, 2]);
/// ```
pub fn encode_delta(values: &[u32], prev: u32, out: &mut Vec<u8>) -> usize {
    encode_impl(values, Some(prev), out)
}

fn encode_impl(values: &[u32], mut delta: Option<u32>, out: &mut Vec<u8>) -> usize {
    let start = out.len();
    let ctrl_len = values.len().div_ceil(4);
    out.resize(start + max_compressed_len(values.len()), 0);
    let (ctrl, data) = out[start..].split_at_mut(ctrl_len);
    let mut pos = 0;
    for (group, chunk) in values.chunks(4).enumerate() {
        let mut c = 0u8;
        for (lane, &value) in chunk.iter().enumerate() {
            let v = match delta.as_mut() {
                Some(prev) => {
                    let d = value.wrapping_sub(*prev);
                    *prev = value;
                    d
                }
                None => value,
            };
            let code = code_of(v);
            c |= code << (2 * lane);
            // In bounds: before value i, pos <= 4 i, and `data` holds 4 n bytes.
            data[pos..pos + 4].copy_from_slice(&v.to_le_bytes());
            pos += usize::from(code) + 1;
        }
        ctrl[group] = c;
    }
    out.truncate(start + ctrl_len + pos);
    ctrl_len + pos
}

/// A decoder implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Variant {
    /// The portable byte loop.
    Scalar,
    /// SSSE3 `pshufb`, x86-64 only (with the scalar loop for the tail).
    Ssse3,
}

impl Variant {
    /// Every variant, slowest first (some may be unavailable on this CPU).
    pub const ALL: [Variant; 2] = [Variant::Scalar, Variant::Ssse3];

    /// The fastest variant this CPU supports (`is_x86_feature_detected!`, which caches
    /// its answer in std).
    ///
    /// ```
    /// use arsenal_compress::int::stream_vbyte::Variant;
    /// assert!(Variant::best().available());
    /// ```
    #[inline]
    pub fn best() -> Variant {
        if Variant::Ssse3.available() {
            Variant::Ssse3
        } else {
            Variant::Scalar
        }
    }

    /// Whether this CPU can run the variant.
    ///
    /// ```
    /// assert!(arsenal_compress::int::stream_vbyte::Variant::Scalar.available());
    /// ```
    #[inline]
    pub fn available(self) -> bool {
        match self {
            Variant::Scalar => true,
            #[cfg(target_arch = "x86_64")]
            Variant::Ssse3 => std::arch::is_x86_feature_detected!("ssse3"),
            #[cfg(not(target_arch = "x86_64"))]
            Variant::Ssse3 => false,
        }
    }
}

/// The total encoded length (control and data bytes) of `n` values at the start of
/// `src`, as its control bytes declare it; [`ErrorKind::Truncated`] when `src` is
/// shorter.
///
/// ```
/// use arsenal_compress::int::stream_vbyte;
/// let mut out = Vec::new();
/// stream_vbyte::encode(&[1, 2, 70_000], &mut out);
/// assert_eq!(stream_vbyte::encoded_len(&out, 3)?, 6);
/// assert!(stream_vbyte::encoded_len(&out[..5], 3).is_err());
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub fn encoded_len(src: &[u8], n: usize) -> Result<usize> {
    let ctrl_len = n.div_ceil(4);
    if src.len() < ctrl_len {
        return Err(truncated(ctrl_len, src.len(), "control"));
    }
    let ctrl = &src[..ctrl_len];
    let full = n / 4;
    let mut data: usize = ctrl[..full]
        .iter()
        .map(|&c| usize::from(GROUP_LEN[usize::from(c)]))
        .sum();
    if let Some(&last) = ctrl.get(full) {
        for lane in 0..n % 4 {
            data += usize::from((last >> (2 * lane)) & 3) + 1;
        }
    }
    // No overflow: data <= 4 n and n <= 4 src.len() + 3.
    let total = ctrl_len + data;
    if src.len() < total {
        return Err(truncated(total, src.len(), "data"));
    }
    Ok(total)
}

#[cold]
fn truncated(need: usize, have: usize, what: &str) -> Error {
    Error::new(
        ErrorKind::Truncated,
        NAME,
        format!("the {what} stream needs {need} bytes of input, only {have} given"),
    )
}

/// Decodes `n` values from the start of `src`, appending them to `out`; returns the
/// bytes consumed. Uses [`Variant::best`].
///
/// ```
/// use arsenal_compress::{int::stream_vbyte, ErrorKind};
///
/// let mut out = Vec::new();
/// // Control byte 0b01: the first value takes 2 bytes, three more take 1 each.
/// assert_eq!(stream_vbyte::decode(&[0b01, 0x2c, 0x01, 7, 8, 9], 4, &mut out)?, 6);
/// assert_eq!(out, [300, 7, 8, 9]);
/// let e = stream_vbyte::decode(&[0b01, 0x2c, 0x01, 7, 8], 4, &mut out).unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::Truncated);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub fn decode(src: &[u8], n: usize, out: &mut Vec<u32>) -> Result<usize> {
    decode_impl(Variant::best(), src, n, None, out)
}

/// Decodes what [`encode_delta`] wrote (with the same `prev`), appending `n` values to
/// `out`; returns the bytes consumed. Uses [`Variant::best`].
///
/// ```
/// let mut out = Vec::new();
/// arsenal_compress::int::stream_vbyte::decode_delta(&[0, 0, 1, 2], 3, 1000, &mut out)?;
/// assert_eq!(out, [1000, 1001, 1003]);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub fn decode_delta(src: &[u8], n: usize, prev: u32, out: &mut Vec<u32>) -> Result<usize> {
    decode_impl(Variant::best(), src, n, Some(prev), out)
}

/// [`decode`] with a chosen variant; [`ErrorKind::Unsupported`] if the CPU lacks it.
///
/// ```
/// use arsenal_compress::int::stream_vbyte::{decode_with, Variant};
/// let mut out = Vec::new();
/// decode_with(Variant::Scalar, &[0, 1, 2, 3, 4], 4, &mut out)?;
/// assert_eq!(out, [1, 2, 3, 4]);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub fn decode_with(variant: Variant, src: &[u8], n: usize, out: &mut Vec<u32>) -> Result<usize> {
    decode_impl(variant, src, n, None, out)
}

/// [`decode_delta`] with a chosen variant; [`ErrorKind::Unsupported`] if the CPU lacks it.
///
/// ```
/// use arsenal_compress::int::stream_vbyte::{decode_delta_with, Variant};
/// let mut out = Vec::new();
/// decode_delta_with(Variant::Scalar, &[0, 1, 1], 2, 0, &mut out)?;
/// assert_eq!(out, [1, 2]);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub fn decode_delta_with(
    variant: Variant,
    src: &[u8],
    n: usize,
    prev: u32,
    out: &mut Vec<u32>,
) -> Result<usize> {
    decode_impl(variant, src, n, Some(prev), out)
}

/// [`decode`] with the portable scalar loop.
///
/// ```
/// let mut out = Vec::new();
/// arsenal_compress::int::stream_vbyte::decode_scalar(&[0b11, 1, 0, 0, 0], 1, &mut out)?;
/// assert_eq!(out, [1]);
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub fn decode_scalar(src: &[u8], n: usize, out: &mut Vec<u32>) -> Result<usize> {
    decode_impl(Variant::Scalar, src, n, None, out)
}

/// [`decode`] with SSSE3; [`ErrorKind::Unsupported`] on CPUs (or targets) without it.
///
/// ```
/// use arsenal_compress::int::stream_vbyte::{self, Variant};
/// let mut out = Vec::new();
/// if Variant::Ssse3.available() {
///     stream_vbyte::decode_ssse3(&[0; 5], 4, &mut out)?;
///     assert_eq!(out, [0; 4]);
/// }
/// # Ok::<(), arsenal_compress::Error>(())
/// ```
pub fn decode_ssse3(src: &[u8], n: usize, out: &mut Vec<u32>) -> Result<usize> {
    decode_impl(Variant::Ssse3, src, n, None, out)
}

fn decode_impl(
    variant: Variant,
    src: &[u8],
    n: usize,
    delta: Option<u32>,
    out: &mut Vec<u32>,
) -> Result<usize> {
    if !variant.available() {
        return Err(Error::new(
            ErrorKind::Unsupported,
            NAME,
            format!("{variant:?} is not supported by this CPU"),
        ));
    }
    let total = encoded_len(src, n)?;
    let ctrl_len = n.div_ceil(4);
    // `n` is bounded by the input now (n <= 4 src.len() + 3): a safe reservation.
    out.reserve(n);
    let (ctrl, data) = src.split_at(ctrl_len);
    let data_len = total - ctrl_len;
    let dst = &mut out.spare_capacity_mut()[..n];
    // Reassigned by the SIMD path only.
    #[allow(unused_mut)]
    let (mut groups, mut pos, mut prev) = (0, 0, delta.unwrap_or(0));
    #[cfg(target_arch = "x86_64")]
    if variant == Variant::Ssse3 {
        // SAFETY: SSSE3 is available (checked above); `x86::decode_groups` reads whole
        // groups only while 16 bytes of `data` remain and writes only within `dst`.
        (groups, pos, prev) =
            unsafe { x86::decode_groups(&ctrl[..n / 4], data, dst, delta.is_some(), prev) };
    }
    decode_tail(
        ctrl,
        &data[..data_len],
        groups,
        pos,
        n,
        dst,
        delta.is_some(),
        prev,
    );
    // SAFETY: every element of `dst`, the first `n` spare slots, is initialised: the
    // SIMD path wrote the first `4 * groups`, `decode_tail` the rest.
    unsafe { out.set_len(out.len() + n) };
    Ok(total)
}

/// The scalar loop, from group `group` and data offset `pos` to value `n`. `data` is
/// exactly the data stream, whose length `encoded_len` checked against the control bytes.
#[allow(clippy::too_many_arguments)]
#[inline]
fn decode_tail(
    ctrl: &[u8],
    data: &[u8],
    group: usize,
    mut pos: usize,
    n: usize,
    dst: &mut [MaybeUninit<u32>],
    delta: bool,
    mut prev: u32,
) {
    for i in group * 4..n {
        let code = usize::from((ctrl[i / 4] >> (2 * (i % 4))) & 3);
        let v = match data.get(pos..pos + 4) {
            Some(word) => u32::from_le_bytes([word[0], word[1], word[2], word[3]]) & LEN_MASK[code],
            None => data[pos..=pos + code]
                .iter()
                .rev()
                .fold(0u32, |acc, &b| (acc << 8) | u32::from(b)),
        };
        pos += code + 1;
        let v = if delta {
            prev = prev.wrapping_add(v);
            prev
        } else {
            v
        };
        dst[i].write(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDGES: [u32; 10] = [
        0,
        1,
        255,
        256,
        65_535,
        65_536,
        (1 << 24) - 1,
        1 << 24,
        u32::MAX - 1,
        u32::MAX,
    ];

    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    /// Mixed byte widths: each value's width drawn at random.
    fn mixed(len: usize, seed: u64) -> Vec<u32> {
        let mut s = seed | 1;
        (0..len)
            .map(|_| {
                let r = xorshift(&mut s);
                (r >> 32) as u32 >> (8 * (r % 4))
            })
            .collect()
    }

    fn variants() -> Vec<Variant> {
        [Variant::Scalar, Variant::Ssse3]
            .into_iter()
            .filter(|v| v.available())
            .collect()
    }

    /// The reference layout, written byte by byte from the paper's definition.
    fn reference_encode(values: &[u32]) -> Vec<u8> {
        let mut ctrl = vec![0u8; values.len().div_ceil(4)];
        let mut data = Vec::new();
        for (i, &v) in values.iter().enumerate() {
            let len = if v < 1 << 8 {
                1
            } else if v < 1 << 16 {
                2
            } else if v < 1 << 24 {
                3
            } else {
                4
            };
            ctrl[i / 4] |= ((len - 1) as u8) << (2 * (i % 4));
            data.extend_from_slice(&v.to_le_bytes()[..len]);
        }
        ctrl.extend(data);
        ctrl
    }

    #[test]
    fn known_bytes() {
        // The paper's Fig. 1 example: 1024, 12, 10, 1073741824, 1, 2, 1024 (the control
        // byte of the first four is 0b11_00_00_01 = 0xc1).
        let values = [1024, 12, 10, 1_073_741_824, 1, 2, 1024];
        let mut out = Vec::new();
        let len = encode(&values, &mut out);
        assert_eq!(
            out,
            [0xc1, 0x10, 0x00, 0x04, 12, 10, 0x00, 0x00, 0x00, 0x40, 1, 2, 0x00, 0x04]
        );
        assert_eq!(len, out.len());
        assert_eq!(max_compressed_len(0), 0);
        assert_eq!(max_compressed_len(4), 17);
        let mut empty = Vec::new();
        assert_eq!(encode(&[], &mut empty), 0);
        assert!(empty.is_empty());
        for variant in variants() {
            let mut back = Vec::new();
            assert_eq!(decode_with(variant, &[], 0, &mut back).unwrap(), 0);
            assert!(back.is_empty());
        }
    }

    #[test]
    fn shuffle_table_matches_lengths() {
        let table = shuffle_table();
        assert_eq!(
            table[0],
            [0, 0x80, 0x80, 0x80, 1, 0x80, 0x80, 0x80, 2, 0x80, 0x80, 0x80, 3, 0x80, 0x80, 0x80]
        );
        assert_eq!(table[0xff], core::array::from_fn(|i| i as u8));
        for c in 0..256 {
            let used = table[c].iter().filter(|&&b| b != 0x80).count();
            assert_eq!(used, usize::from(GROUP_LEN[c]));
        }
    }

    #[test]
    fn round_trip_every_length_to_1000() {
        let mut enc = Vec::new();
        let mut dec = Vec::new();
        for len in 0..=1000 {
            let values = mixed(len, len as u64 * 7919 + 1);
            enc.clear();
            enc.push(0xee); // something before: appending must keep it
            let n = encode(&values, &mut enc);
            assert_eq!(&enc[1..], reference_encode(&values), "len {len}");
            assert_eq!(n, enc.len() - 1);
            // Trailing bytes after the encoding are left alone.
            enc.extend_from_slice(&[0xff; 3]);
            for variant in variants() {
                dec.clear();
                dec.push(42);
                assert_eq!(
                    decode_with(variant, &enc[1..], len, &mut dec).unwrap(),
                    n,
                    "{variant:?} len {len}"
                );
                assert_eq!(dec[0], 42);
                assert_eq!(dec[1..], values[..], "{variant:?} len {len}");
            }
        }
    }

    #[test]
    fn edge_values_all_positions() {
        let values: Vec<u32> = (0..EDGES.len() * 5)
            .map(|i| EDGES[(i * 3) % EDGES.len()])
            .collect();
        for len in 0..values.len() {
            let mut enc = Vec::new();
            encode(&values[..len], &mut enc);
            assert_eq!(enc, reference_encode(&values[..len]));
            for variant in variants() {
                let mut dec = Vec::new();
                assert_eq!(
                    decode_with(variant, &enc, len, &mut dec).unwrap(),
                    enc.len()
                );
                assert_eq!(dec, values[..len]);
            }
        }
    }

    #[test]
    fn scalar_equals_simd_on_random_bytes() {
        // Arbitrary input (not produced by the encoder): all variants agree, value by value.
        let mut s = 0x1234_5678_9abc_def1;
        for round in 0..300 {
            let len = (xorshift(&mut s) % 600) as usize;
            let src: Vec<u8> = (0..len).map(|_| xorshift(&mut s) as u8).collect();
            let n = (xorshift(&mut s) % (len as u64 + 8)) as usize;
            let results: Vec<_> = variants()
                .into_iter()
                .map(|v| {
                    let mut out = Vec::new();
                    let r = decode_with(v, &src, n, &mut out).map_err(|e| e.kind());
                    let mut delta = Vec::new();
                    let d = decode_delta_with(v, &src, n, round, &mut delta).map_err(|e| e.kind());
                    (r, out, d, delta)
                })
                .collect();
            for r in &results[1..] {
                assert_eq!(r, &results[0], "round {round}");
            }
            if let Ok(used) = results[0].0 {
                assert_eq!(used, encoded_len(&src, n).unwrap());
                // Re-encoding reproduces what was decoded (possibly shorter: the input may
                // use more bytes than a value needs).
                let mut again = Vec::new();
                encode(&results[0].1, &mut again);
                assert!(again.len() <= used);
                let mut back = Vec::new();
                decode(&again, n, &mut back).unwrap();
                assert_eq!(back, results[0].1);
            }
        }
    }

    #[test]
    fn truncation_at_every_length_is_an_error() {
        for len in [1usize, 3, 4, 5, 16, 17, 33, 100] {
            let values = mixed(len, len as u64);
            let mut enc = Vec::new();
            encode(&values, &mut enc);
            for cut in 0..enc.len() {
                for variant in variants() {
                    let mut dec = vec![9];
                    let e = decode_with(variant, &enc[..cut], len, &mut dec).unwrap_err();
                    assert_eq!(e.kind(), ErrorKind::Truncated, "len {len} cut {cut}");
                    assert_eq!(e.backend(), NAME);
                    assert_eq!(dec, [9], "nothing appended on error");
                }
            }
        }
    }

    #[test]
    fn huge_count_is_truncated_not_an_allocation() {
        let mut out = Vec::new();
        let e = decode(&[0; 16], usize::MAX, &mut out).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Truncated);
        assert_eq!(out.capacity(), 0);
    }

    #[test]
    fn delta_round_trip() {
        let mut s = 77;
        let mut acc = 5_000u32;
        let sorted: Vec<u32> = (0..2000)
            .map(|_| {
                acc = acc.wrapping_add((xorshift(&mut s) % 300) as u32);
                acc
            })
            .collect();
        let mut enc = Vec::new();
        encode_delta(&sorted, 5_000, &mut enc);
        let mut plain = Vec::new();
        encode(&sorted, &mut plain);
        assert!(enc.len() < plain.len());
        for variant in variants() {
            for (values, prev) in [
                (&sorted[..], 5_000),
                (&mixed(1001, 3)[..], 0),
                (&EDGES[..], u32::MAX),
            ] {
                let mut enc = Vec::new();
                let n = encode_delta(values, prev, &mut enc);
                let mut dec = Vec::new();
                assert_eq!(
                    decode_delta_with(variant, &enc, values.len(), prev, &mut dec).unwrap(),
                    n
                );
                assert_eq!(dec, values, "{variant:?}");
            }
        }
    }

    #[test]
    fn byte_identical_to_the_stream_vbyte_crate() {
        use stream_vbyte::{
            decode::decode as oracle_decode, encode::encode as oracle_encode, scalar::Scalar,
        };
        for len in (0..300).chain([1000, 4099]) {
            let values = mixed(len, 0xabc + len as u64);
            let mut theirs = vec![0u8; 5 * len + 4];
            let n = oracle_encode::<Scalar>(&values, &mut theirs);
            theirs.truncate(n);
            let mut ours = Vec::new();
            assert_eq!(encode(&values, &mut ours), n);
            assert_eq!(ours, theirs, "len {len}");
            if len > 0 {
                // Their decoder reads ours (it wants room for at least 4 values).
                let mut back = vec![0u32; len.max(4)];
                assert_eq!(oracle_decode::<Scalar>(&ours, len, &mut back), n);
                assert_eq!(back[..len], values[..]);
            }
        }
    }

    #[test]
    fn unsupported_variant_is_an_error() {
        if !Variant::Ssse3.available() {
            let e = decode_ssse3(&[0; 5], 4, &mut Vec::new()).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Unsupported);
        } else {
            let mut out = Vec::new();
            decode_ssse3(&[0; 5], 4, &mut out).unwrap();
            assert_eq!(out, [0; 4]);
        }
    }
}
