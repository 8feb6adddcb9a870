//! ggml's block formats, byte for byte: layouts, f16 conversion, the reference
//! quantisers (llama.cpp b2757's `quantize_row_*_reference` algorithms), dequantisers
//! and scalar dot products.

/// Values per `Q8_0` / `Q4_0` block.
pub(crate) const QK: usize = 32;
/// Values per `Q4_K` / `Q8_K` super-block.
pub(crate) const QK_K: usize = 256;
/// Bytes per `Q8_0` block.
pub(crate) const Q8_0_BYTES: usize = 2 + QK;
/// Bytes per `Q4_0` block.
pub(crate) const Q4_0_BYTES: usize = 2 + QK / 2;
/// Bytes per `Q4_K` block: d, dmin, 12 bytes of 6-bit scales and mins, 128 of nibbles.
pub(crate) const Q4_K_BYTES: usize = 2 + 2 + 12 + QK_K / 2;
/// Bytes per `Q8_K` block: f32 d, 256 i8, 16 i16 block sums.
pub(crate) const Q8_K_BYTES: usize = 4 + QK_K + 2 * (QK_K / 16);

/// IEEE half (bits) → f32, exact.
#[inline]
pub(crate) fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h as u32) & 0x8000) << 16;
    let exp = ((h >> 10) & 0x1f) as u32;
    let frac = (h & 0x3ff) as u32;
    let mag = match exp {
        0 => {
            // Zero or subnormal: frac · 2^-24, exact in f32.
            return f32::from_bits(sign | (frac as f32 * (1.0 / 16_777_216.0)).to_bits());
        }
        0x1f => 0x7f80_0000 | (frac << 13),
        e => ((e + 112) << 23) | (frac << 13),
    };
    f32::from_bits(sign | mag)
}

/// f32 → IEEE half (bits), round to nearest even (as F16C's `_cvtss_sh(x, 0)`, which
/// ggml uses on x86); overflow to infinity, NaN stays NaN (quiet).
#[inline]
pub(crate) fn f32_to_f16(x: f32) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 16) & 0x8000) as u16;
    let exp = ((b >> 23) & 0xff) as i32;
    let frac = b & 0x7f_ffff;
    if exp == 0xff {
        return sign
            | 0x7c00
            | if frac != 0 {
                0x200 | (frac >> 13) as u16
            } else {
                0
            };
    }
    let e = exp - 127 + 15;
    if e >= 0x1f {
        return sign | 0x7c00;
    }
    if e <= 0 {
        // Subnormal half (or zero): shift the full significand into place and round.
        if e < -10 {
            return sign;
        }
        let m = frac | 0x80_0000;
        let shift = (14 - e) as u32; // 24-bit significand down to the half's 10 bits
        let half = 1u32 << (shift - 1);
        let mut v = m >> shift;
        let rest = m & ((1u32 << shift) - 1);
        if rest > half || (rest == half && v & 1 == 1) {
            v += 1;
        }
        return sign | v as u16;
    }
    let mut v = ((e as u32) << 10) | (frac >> 13);
    let rest = frac & 0x1fff;
    if rest > 0x1000 || (rest == 0x1000 && v & 1 == 1) {
        v += 1; // may carry into the exponent, up to infinity: correct
    }
    sign | v as u16
}

/// ggml's `nearest_int`: round to nearest even for |x| < 2^22.
#[inline]
fn nearest_int(x: f32) -> i32 {
    let v = x + 12_582_912.0;
    (v.to_bits() & 0x7f_ffff) as i32 - 0x40_0000
}

#[inline]
fn read_f16(b: &[u8], at: usize) -> f32 {
    f16_to_f32(u16::from_le_bytes([b[at], b[at + 1]]))
}

// ----------------------------------------------------------------------------- Q8_0

/// Quantises whole 32-value blocks (`src.len() / 32 * 34 == dst.len()`, checked by the
/// caller).
pub(crate) fn quantize_q8_0(src: &[f32], dst: &mut [u8]) {
    for (x, y) in src.chunks_exact(QK).zip(dst.chunks_exact_mut(Q8_0_BYTES)) {
        let amax = x.iter().fold(0f32, |m, v| m.max(v.abs()));
        let d = amax / 127.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        y[..2].copy_from_slice(&f32_to_f16(d).to_le_bytes());
        for (q, v) in y[2..].iter_mut().zip(x) {
            *q = (v * id).round() as i8 as u8;
        }
    }
}

pub(crate) fn dequantize_q8_0(src: &[u8], dst: &mut [f32]) {
    for (b, y) in src.chunks_exact(Q8_0_BYTES).zip(dst.chunks_exact_mut(QK)) {
        let d = read_f16(b, 0);
        for (o, q) in y.iter_mut().zip(&b[2..]) {
            *o = *q as i8 as f32 * d;
        }
    }
}

pub(crate) fn dot_q8_0_q8_0_scalar(w: &[u8], x: &[u8]) -> f32 {
    let mut sum = 0f32;
    for (a, b) in w.chunks_exact(Q8_0_BYTES).zip(x.chunks_exact(Q8_0_BYTES)) {
        let isum: i32 = a[2..]
            .iter()
            .zip(&b[2..])
            .map(|(p, q)| *p as i8 as i32 * *q as i8 as i32)
            .sum();
        sum += read_f16(a, 0) * read_f16(b, 0) * isum as f32;
    }
    sum
}

// ----------------------------------------------------------------------------- Q4_0

pub(crate) fn quantize_q4_0(src: &[f32], dst: &mut [u8]) {
    for (x, y) in src.chunks_exact(QK).zip(dst.chunks_exact_mut(Q4_0_BYTES)) {
        // The value of largest magnitude, with its sign, maps to -8.
        let (mut amax, mut max) = (0f32, 0f32);
        for &v in x {
            if amax < v.abs() {
                amax = v.abs();
                max = v;
            }
        }
        let d = max / -8.0;
        let id = if d != 0.0 { 1.0 / d } else { 0.0 };
        y[..2].copy_from_slice(&f32_to_f16(d).to_le_bytes());
        for j in 0..QK / 2 {
            let x0 = x[j] * id;
            let x1 = x[j + QK / 2] * id;
            let q0 = ((x0 + 8.5) as i8).min(15) as u8;
            let q1 = ((x1 + 8.5) as i8).min(15) as u8;
            y[2 + j] = q0 | (q1 << 4);
        }
    }
}

pub(crate) fn dequantize_q4_0(src: &[u8], dst: &mut [f32]) {
    for (b, y) in src.chunks_exact(Q4_0_BYTES).zip(dst.chunks_exact_mut(QK)) {
        let d = read_f16(b, 0);
        for j in 0..QK / 2 {
            y[j] = ((b[2 + j] & 0xf) as i32 - 8) as f32 * d;
            y[j + QK / 2] = ((b[2 + j] >> 4) as i32 - 8) as f32 * d;
        }
    }
}

pub(crate) fn dot_q4_0_q8_0_scalar(w: &[u8], x: &[u8]) -> f32 {
    let mut sum = 0f32;
    for (a, b) in w.chunks_exact(Q4_0_BYTES).zip(x.chunks_exact(Q8_0_BYTES)) {
        let mut isum = 0i32;
        for j in 0..QK / 2 {
            isum += ((a[2 + j] & 0xf) as i32 - 8) * b[2 + j] as i8 as i32;
            isum += ((a[2 + j] >> 4) as i32 - 8) * b[2 + j + QK / 2] as i8 as i32;
        }
        sum += read_f16(a, 0) * read_f16(b, 0) * isum as f32;
    }
    sum
}

// ----------------------------------------------------------------------------- Q8_K

pub(crate) fn quantize_q8_k(src: &[f32], dst: &mut [u8]) {
    for (x, y) in src.chunks_exact(QK_K).zip(dst.chunks_exact_mut(Q8_K_BYTES)) {
        let (mut amax, mut max) = (0f32, 0f32);
        for &v in x {
            if v.abs() > amax {
                amax = v.abs();
                max = v;
            }
        }
        if amax == 0.0 {
            y.fill(0);
            continue;
        }
        let iscale = -128.0 / max;
        for (q, v) in y[4..4 + QK_K].iter_mut().zip(x) {
            *q = nearest_int(iscale * v).min(127) as i8 as u8;
        }
        for j in 0..QK_K / 16 {
            let s: i32 = y[4 + 16 * j..4 + 16 * j + 16]
                .iter()
                .map(|q| *q as i8 as i32)
                .sum();
            let at = 4 + QK_K + 2 * j;
            y[at..at + 2].copy_from_slice(&(s as i16).to_le_bytes());
        }
        y[..4].copy_from_slice(&(1.0 / iscale).to_le_bytes());
    }
}

pub(crate) fn dequantize_q8_k(src: &[u8], dst: &mut [f32]) {
    for (b, y) in src.chunks_exact(Q8_K_BYTES).zip(dst.chunks_exact_mut(QK_K)) {
        let d = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        for (o, q) in y.iter_mut().zip(&b[4..4 + QK_K]) {
            *o = d * *q as i8 as f32;
        }
    }
}

// ----------------------------------------------------------------------------- Q4_K

/// Sub-block `j`'s 6-bit scale and min from the 12 packed bytes (ggml's
/// `get_scale_min_k4`).
#[inline]
pub(crate) fn scale_min_k4(j: usize, q: &[u8]) -> (u8, u8) {
    if j < 4 {
        (q[j] & 63, q[j + 4] & 63)
    } else {
        (
            (q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4),
            (q[j + 4] >> 4) | ((q[j] >> 6) << 4),
        )
    }
}

/// ggml's `make_qkx2_quants` (weighted least squares over a small grid of scales, with
/// a non-positive min): returns (scale, -min) and fills `l` with levels in `0..=nmax`.
#[allow(clippy::too_many_arguments)]
fn make_qkx2_quants(
    nmax: i32,
    x: &[f32],
    weights: &[f32],
    l: &mut [u8],
    laux: &mut [u8],
    rmin: f32,
    rdelta: f32,
    nstep: i32,
) -> (f32, f32) {
    let n = x.len();
    let (mut min, mut max) = (x[0], x[0]);
    let mut sum_w = weights[0];
    let mut sum_x = sum_w * x[0];
    for i in 1..n {
        min = min.min(x[i]);
        max = max.max(x[i]);
        let w = weights[i];
        sum_w += w;
        sum_x += w * x[i];
    }
    if min > 0.0 {
        min = 0.0;
    }
    if max == min {
        l[..n].fill(0);
        return (0.0, -min);
    }
    let mut iscale = nmax as f32 / (max - min);
    let mut scale = 1.0 / iscale;
    let mut best_mad = 0f32;
    for i in 0..n {
        let q = nearest_int(iscale * (x[i] - min)).clamp(0, nmax);
        l[i] = q as u8;
        let diff = scale * q as f32 + min - x[i];
        best_mad += weights[i] * diff * diff;
    }
    for is in 0..=nstep {
        iscale = (rmin + rdelta * is as f32 + nmax as f32) / (max - min);
        let (mut sum_l, mut sum_l2, mut sum_xl) = (0f32, 0f32, 0f32);
        for i in 0..n {
            let q = nearest_int(iscale * (x[i] - min)).clamp(0, nmax);
            laux[i] = q as u8;
            let w = weights[i];
            let qf = q as f32;
            sum_l += w * qf;
            sum_l2 += w * qf * qf;
            sum_xl += w * qf * x[i];
        }
        let d = sum_w * sum_l2 - sum_l * sum_l;
        if d > 0.0 {
            let mut this_scale = (sum_w * sum_xl - sum_x * sum_l) / d;
            let mut this_min = (sum_l2 * sum_x - sum_l * sum_xl) / d;
            if this_min > 0.0 {
                this_min = 0.0;
                this_scale = sum_xl / sum_l2;
            }
            let mut mad = 0f32;
            for i in 0..n {
                let diff = this_scale * laux[i] as f32 + this_min - x[i];
                mad += weights[i] * diff * diff;
            }
            if mad < best_mad {
                l[..n].copy_from_slice(&laux[..n]);
                best_mad = mad;
                scale = this_scale;
                min = this_min;
            }
        }
    }
    (scale, -min)
}

pub(crate) fn quantize_q4_k(src: &[f32], dst: &mut [u8]) {
    let mut l = [0u8; QK_K];
    let mut laux = [0u8; 32];
    let mut weights = [0f32; 32];
    for (x, y) in src.chunks_exact(QK_K).zip(dst.chunks_exact_mut(Q4_K_BYTES)) {
        let mut scales = [0f32; 8];
        let mut mins = [0f32; 8];
        let (mut max_scale, mut max_min) = (0f32, 0f32);
        for j in 0..8 {
            let xs = &x[32 * j..32 * j + 32];
            let sum_x2: f32 = xs.iter().map(|v| v * v).sum();
            let av_x = (sum_x2 / 32.0).sqrt();
            for (w, v) in weights.iter_mut().zip(xs) {
                *w = av_x + v.abs();
            }
            let (s, m) = make_qkx2_quants(
                15,
                xs,
                &weights,
                &mut l[32 * j..32 * j + 32],
                &mut laux,
                -1.0,
                0.1,
                20,
            );
            scales[j] = s;
            mins[j] = m;
            max_scale = max_scale.max(s);
            max_min = max_min.max(m);
        }
        let inv_scale = if max_scale > 0.0 {
            63.0 / max_scale
        } else {
            0.0
        };
        let inv_min = if max_min > 0.0 { 63.0 / max_min } else { 0.0 };
        let sc = &mut y[4..16];
        sc.fill(0);
        for j in 0..8 {
            let ls = nearest_int(inv_scale * scales[j]).min(63) as u8;
            let lm = nearest_int(inv_min * mins[j]).min(63) as u8;
            if j < 4 {
                sc[j] = ls;
                sc[j + 4] = lm;
            } else {
                sc[j + 4] = (ls & 0xf) | ((lm & 0xf) << 4);
                sc[j - 4] |= (ls >> 4) << 6;
                sc[j] |= (lm >> 4) << 6;
            }
        }
        let d16 = f32_to_f16(max_scale / 63.0);
        let dmin16 = f32_to_f16(max_min / 63.0);
        y[..2].copy_from_slice(&d16.to_le_bytes());
        y[2..4].copy_from_slice(&dmin16.to_le_bytes());
        let (dd, dmin) = (f16_to_f32(d16), f16_to_f32(dmin16));
        for j in 0..8 {
            let (s, m) = scale_min_k4(j, &y[4..16]);
            let d = dd * s as f32;
            if d == 0.0 {
                continue;
            }
            let dm = dmin * m as f32;
            for ii in 0..32 {
                l[32 * j + ii] = nearest_int((x[32 * j + ii] + dm) / d).clamp(0, 15) as u8;
            }
        }
        let q = &mut y[16..];
        for c in 0..4 {
            for i in 0..32 {
                q[32 * c + i] = l[64 * c + i] | (l[64 * c + 32 + i] << 4);
            }
        }
    }
}

pub(crate) fn dequantize_q4_k(src: &[u8], dst: &mut [f32]) {
    for (b, y) in src.chunks_exact(Q4_K_BYTES).zip(dst.chunks_exact_mut(QK_K)) {
        let (d, dmin) = (read_f16(b, 0), read_f16(b, 2));
        let sc = &b[4..16];
        let q = &b[16..];
        for c in 0..4 {
            let (s1, m1) = scale_min_k4(2 * c, sc);
            let (s2, m2) = scale_min_k4(2 * c + 1, sc);
            let (d1, mm1) = (d * s1 as f32, dmin * m1 as f32);
            let (d2, mm2) = (d * s2 as f32, dmin * m2 as f32);
            for i in 0..32 {
                y[64 * c + i] = d1 * (q[32 * c + i] & 0xf) as f32 - mm1;
                y[64 * c + 32 + i] = d2 * (q[32 * c + i] >> 4) as f32 - mm2;
            }
        }
    }
}

/// One Q4_K block's integer parts against one Q8_K block: (Σ_j sc_j·Σ q4·q8,
/// Σ_j m_j·Σ q8) — exact.
#[inline]
pub(crate) fn q4_k_block_sums_scalar(a: &[u8], b: &[u8]) -> (i32, i32) {
    let sc = &a[4..16];
    let q = &a[16..];
    let y = &b[4..4 + QK_K];
    let (mut sumi, mut summ) = (0i32, 0i32);
    for c in 0..4 {
        let (s1, m1) = scale_min_k4(2 * c, sc);
        let (s2, m2) = scale_min_k4(2 * c + 1, sc);
        let (mut p1, mut p2, mut y1, mut y2) = (0i32, 0i32, 0i32, 0i32);
        for i in 0..32 {
            let v1 = y[64 * c + i] as i8 as i32;
            let v2 = y[64 * c + 32 + i] as i8 as i32;
            p1 += (q[32 * c + i] & 0xf) as i32 * v1;
            p2 += (q[32 * c + i] >> 4) as i32 * v2;
            y1 += v1;
            y2 += v2;
        }
        sumi += s1 as i32 * p1 + s2 as i32 * p2;
        summ += m1 as i32 * y1 + m2 as i32 * y2;
    }
    (sumi, summ)
}

/// `d_x·d_y` and `dmin_x·d_y` of a Q4_K / Q8_K block pair.
#[inline]
pub(crate) fn q4_k_scales(a: &[u8], b: &[u8]) -> (f32, f32) {
    let dy = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    (dy * read_f16(a, 0), dy * read_f16(a, 2))
}

pub(crate) fn dot_q4_k_q8_k_scalar(w: &[u8], x: &[u8]) -> f32 {
    let mut sum = 0f32;
    for (a, b) in w.chunks_exact(Q4_K_BYTES).zip(x.chunks_exact(Q8_K_BYTES)) {
        let (sumi, summ) = q4_k_block_sums_scalar(a, b);
        let (d, dmin) = q4_k_scales(a, b);
        sum += d * sumi as f32 - dmin * summ as f32;
    }
    sum
}

/// All eight 6-bit scales and mins of a `Q4_K` block's 12 packed bytes at once, word by
/// word: bytes 0..4 hold scales 0..4 (low 6 bits) and the top 2 bits of scales 4..8,
/// bytes 4..8 the same for the mins, bytes 8..12 the low 4 bits of scales 4..8 (low
/// nibbles) and mins 4..8 (high nibbles). Equal to [`scale_min_k4`] for every `j`.
#[inline(always)]
pub(crate) fn unpack_q4_k_scales(sc: &[u8]) -> ([u8; 8], [u8; 8]) {
    const LOW6: u32 = 0x3f3f_3f3f;
    const LOW4: u32 = 0x0f0f_0f0f;
    const LOW2: u32 = 0x0303_0303;
    let word = |i: usize| u32::from_le_bytes([sc[i], sc[i + 1], sc[i + 2], sc[i + 3]]);
    let (w0, w1, w2) = (word(0), word(4), word(8));
    let scales_hi = (w2 & LOW4) | (((w0 >> 6) & LOW2) << 4);
    let mins_hi = ((w2 >> 4) & LOW4) | (((w1 >> 6) & LOW2) << 4);
    let mut scales = [0u8; 8];
    let mut mins = [0u8; 8];
    scales[..4].copy_from_slice(&(w0 & LOW6).to_le_bytes());
    scales[4..].copy_from_slice(&scales_hi.to_le_bytes());
    mins[..4].copy_from_slice(&(w1 & LOW6).to_le_bytes());
    mins[4..].copy_from_slice(&mins_hi.to_le_bytes());
    (scales, mins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f16_round_trips_and_rounds_to_nearest_even() {
        for h in 0..=u16::MAX {
            let f = f16_to_f32(h);
            if f.is_nan() {
                assert!(f16_to_f32(f32_to_f16(f)).is_nan());
                continue;
            }
            assert_eq!(f32_to_f16(f), h, "{h:#06x} -> {f}");
        }
        // Halfway between 1.0 and the next half (1 + 2^-10): ties to even (1.0).
        assert_eq!(f32_to_f16(1.0 + 2f32.powi(-11)), 0x3c00);
        assert_eq!(f32_to_f16(1.0 + 3.0 * 2f32.powi(-11)), 0x3c02);
        assert_eq!(f32_to_f16(65520.0), 0x7c00); // rounds up to infinity
        assert_eq!(f32_to_f16(65519.0), 0x7bff);
        assert_eq!(f32_to_f16(2f32.powi(-25)), 0); // tie to even: zero
        assert_eq!(f32_to_f16(2f32.powi(-25) * 1.5), 1);
        assert_eq!(f32_to_f16(-0.0), 0x8000);
        assert_eq!(f32_to_f16(1e-10), 0);
    }

    #[test]
    fn nearest_int_is_ties_to_even() {
        for (x, want) in [
            (0.5f32, 0),
            (1.5, 2),
            (2.5, 2),
            (-0.5, 0),
            (-1.5, -2),
            (3.49, 3),
            (-7.6, -8),
        ] {
            assert_eq!(nearest_int(x), want, "{x}");
        }
    }

    #[test]
    fn hand_built_q4_0_block_decodes() {
        // d = 0.5 (f16 0x3800); byte j holds value j (low) and value j+16 (high).
        let mut b = vec![0x00, 0x38];
        for j in 0..16u8 {
            b.push(j | ((15 - j) << 4));
        }
        let mut out = [0f32; 32];
        dequantize_q4_0(&b, &mut out);
        for j in 0..16 {
            assert_eq!(out[j], (j as f32 - 8.0) * 0.5);
            assert_eq!(out[j + 16], (7.0 - j as f32) * 0.5);
        }
    }

    #[test]
    fn hand_built_q4_k_block_decodes() {
        // d = 1, dmin = 0.5; sub-block j: scale j + 1, min 2j (6-bit packing by hand).
        let mut sc = [0u8; 12];
        for j in 0..8u8 {
            let (s, m) = (j + 1, 2 * j);
            if j < 4 {
                sc[j as usize] = s;
                sc[j as usize + 4] = m;
            } else {
                sc[j as usize + 4] = (s & 0xf) | ((m & 0xf) << 4);
                sc[j as usize - 4] |= (s >> 4) << 6;
                sc[j as usize] |= (m >> 4) << 6;
            }
        }
        for j in 0..8 {
            assert_eq!(scale_min_k4(j, &sc), (j as u8 + 1, 2 * j as u8));
        }
        let mut b = vec![0x00, 0x3c, 0x00, 0x38];
        b.extend_from_slice(&sc);
        // Nibble value = (index % 16); value i of chunk c: low nibble of byte 32c + i
        // for i < 32, high nibble of byte 32c + i - 32 otherwise.
        for _chunk in 0..4 {
            for i in 0..32 {
                b.push(((i % 16) as u8) | ((((i + 32) % 16) as u8) << 4));
            }
        }
        let mut out = [0f32; 256];
        dequantize_q4_k(&b, &mut out);
        for (i, v) in out.iter().enumerate() {
            let j = i / 32;
            let want = (j as f32 + 1.0) * ((i % 64) % 16) as f32 - 0.5 * (2 * j) as f32;
            assert_eq!(*v, want, "value {i}");
        }
    }
}
