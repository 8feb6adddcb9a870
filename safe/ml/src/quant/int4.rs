//! Group-wise asymmetric int4 weights (GPTQ / AWQ style) × per-token int8 activations,
//! and AWQ's activation-aware scaling.

use super::{by_isa, isa, Int8Activations, Isa};
use crate::error::{expect_len, mul, Error, Result};
#[cfg(test)]
use crate::ErrorKind;

/// AWQ's interleave of eight 4-bit values in one `u32` (its `pack_order` /
/// `AWQ_ORDER`): nibble `i` (bits `4i..4i + 4`) holds value `AWQ_ORDER[i]` of the eight.
pub const AWQ_ORDER: [usize; 8] = [0, 2, 4, 6, 1, 3, 5, 7];

/// A weight matrix W (`rows` output features × `cols` input features) in 4 bits per
/// value, quantised per group of `group` consecutive input features of a row (32, 64 or
/// 128): `W[r, k] ≈ scale[r, g]·(q[r, k] − zero[r, g])`, `q` and `zero` in `0..=15`,
/// `g = k / group` — GPTQ's asymmetric scheme.
///
/// Storage (row-major, `[rows, cols / 8]` words): word `r·cols/8 + k/8` holds input
/// features `8·(k/8) .. 8·(k/8) + 8` of row `r`, feature `k` in bits `4·(k % 8)..4·(k % 8) + 4`
/// — GPTQ's packing of eight values per `u32` along the input dimension, in sequential
/// order. GPTQ checkpoints store these words transposed, `[cols / 8, rows]`
/// ([`Int4Weights::from_gptq`], [`Int4Weights::gptq_qweight`]); AWQ interleaves the
/// nibbles of each word in [`AWQ_ORDER`] ([`Int4Weights::to_awq_order`]) and packs along
/// the output dimension in its checkpoints ([`Int4Weights::awq_qweight`]). `scales` and
/// `zeros` are `[rows, cols / group]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Int4Weights {
    rows: usize,
    cols: usize,
    group: usize,
    packed: Vec<u32>,
    scales: Vec<f32>,
    zeros: Vec<u8>,
}

/// Checks the group size and shape; returns the groups per row.
fn check_dims(rows: usize, cols: usize, group: usize) -> Result<usize> {
    if !matches!(group, 32 | 64 | 128) {
        return Err(Error::invalid(format!(
            "int4 group size must be 32, 64 or 128, got {group}"
        )));
    }
    if !cols.is_multiple_of(group) {
        return Err(Error::shape(format!(
            "{cols} input features are not whole groups of {group}"
        )));
    }
    mul(rows, cols, "rows * cols")?;
    Ok(cols / group)
}

impl Int4Weights {
    /// Quantises `w` (`rows × cols`, row-major, finite) per group, as GPTQ's quantiser
    /// does: `lo = min(0, min)`, `hi = max(0, max)` over the group (the range always
    /// holds 0, so zero weights stay exact), `scale = (hi − lo) / 15` (1 for an all-zero
    /// group), `zero = round(−lo / scale)` clamped to `0..=15`,
    /// `q = clamp(round(v / scale) + zero, 0, 15)`.
    pub fn quantize(w: &[f32], rows: usize, cols: usize, group: usize) -> Result<Self> {
        let groups = check_dims(rows, cols, group)?;
        expect_len("w", w.len(), rows * cols)?;
        if w.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid("int4 quantisation needs finite values"));
        }
        let mut packed = vec![0u32; rows * cols / 8];
        let mut scales = vec![0f32; rows * groups];
        let mut zeros = vec![0u8; rows * groups];
        // Groups are whole words (group is a multiple of 8) and never straddle rows.
        for (((vals, words), s), z) in w
            .chunks_exact(group)
            .zip(packed.chunks_exact_mut(group / 8))
            .zip(&mut scales)
            .zip(&mut zeros)
        {
            let lo = vals.iter().fold(0f32, |m, v| m.min(*v));
            let hi = vals.iter().fold(0f32, |m, v| m.max(*v));
            let scale = if hi > lo { (hi - lo) / 15.0 } else { 1.0 };
            let zero = (-lo / scale).round().clamp(0.0, 15.0);
            *s = scale;
            *z = zero as u8;
            for (word, v8) in words.iter_mut().zip(vals.chunks_exact(8)) {
                *word = v8.iter().enumerate().fold(0u32, |acc, (i, v)| {
                    let q = ((v / scale).round() + zero).clamp(0.0, 15.0) as u32;
                    acc | (q << (4 * i))
                });
            }
        }
        Ok(Int4Weights {
            rows,
            cols,
            group,
            packed,
            scales,
            zeros,
        })
    }

    /// Builds the matrix from its parts in this type's layout: `packed` `[rows, cols / 8]`
    /// words (see the type's docs), `scales` and unpacked `zeros` `[rows, cols / group]`.
    /// Checks the group size, every length and that zero points are ≤ 15.
    pub fn from_parts(
        rows: usize,
        cols: usize,
        group: usize,
        packed: Vec<u32>,
        scales: Vec<f32>,
        zeros: Vec<u8>,
    ) -> Result<Self> {
        let groups = check_dims(rows, cols, group)?;
        expect_len("packed", packed.len(), rows * cols / 8)?;
        expect_len("scales", scales.len(), rows * groups)?;
        expect_len("zeros", zeros.len(), rows * groups)?;
        if zeros.iter().any(|z| *z > 15) {
            return Err(Error::invalid("int4 zero points must be 0..=15"));
        }
        Ok(Int4Weights {
            rows,
            cols,
            group,
            packed,
            scales,
            zeros,
        })
    }

    /// From GPTQ's tensors: `qweight` `[cols / 8, rows]` (eight input features per word,
    /// feature `k` at bits `4·(k % 8)`), `scales` `[groups, rows]` and zero points
    /// `[groups, rows]` already unpacked (GPTQ v1 checkpoints store `zero − 1` in their
    /// packed `qzeros`; add the 1 back before calling).
    pub fn from_gptq(
        rows: usize,
        cols: usize,
        group: usize,
        qweight: &[u32],
        scales: &[f32],
        zeros: &[u8],
    ) -> Result<Self> {
        let groups = check_dims(rows, cols, group)?;
        expect_len("qweight", qweight.len(), rows * cols / 8)?;
        expect_len("scales", scales.len(), rows * groups)?;
        expect_len("zeros", zeros.len(), rows * groups)?;
        let words = cols / 8;
        let mut ours = vec![0u32; rows * words];
        for i in 0..words {
            for r in 0..rows {
                ours[r * words + i] = qweight[i * rows + r];
            }
        }
        let scales_t = (0..rows * groups)
            .map(|j| scales[(j % groups) * rows + j / groups])
            .collect();
        let zeros_t = (0..rows * groups)
            .map(|j| zeros[(j % groups) * rows + j / groups])
            .collect();
        Self::from_parts(rows, cols, group, ours, scales_t, zeros_t)
    }

    /// The values in GPTQ's `qweight` layout, `[cols / 8, rows]` words.
    pub fn gptq_qweight(&self) -> Vec<u32> {
        let words = self.cols / 8;
        let mut out = vec![0u32; self.rows * words];
        for r in 0..self.rows {
            for i in 0..words {
                out[i * self.rows + r] = self.packed[r * words + i];
            }
        }
        out
    }

    /// The packed words (`[rows, cols / 8]`) with each word's nibbles interleaved in
    /// AWQ's order: nibble `i` holds value `AWQ_ORDER[i]` of the eight (sequential order
    /// has value `i` in nibble `i`).
    pub fn to_awq_order(&self) -> Vec<u32> {
        self.packed.iter().map(|w| awq_interleave(*w)).collect()
    }

    /// The values in AWQ's `qweight` layout: `[cols, rows / 8]` words, output
    /// `8j + AWQ_ORDER[i]` in nibble `i` of word `j`; [`ErrorKind::Shape`](crate::ErrorKind)
    /// unless `rows` is a multiple of 8.
    pub fn awq_qweight(&self) -> Result<Vec<u32>> {
        if !self.rows.is_multiple_of(8) {
            return Err(Error::shape(format!(
                "AWQ packs 8 outputs per word; {} rows",
                self.rows
            )));
        }
        let per = self.rows / 8;
        let mut out = vec![0u32; self.cols * per];
        for k in 0..self.cols {
            for j in 0..per {
                let mut word = 0u32;
                for (i, &o) in AWQ_ORDER.iter().enumerate() {
                    word |= (self.q(8 * j + o, k) as u32) << (4 * i);
                }
                out[k * per + j] = word;
            }
        }
        Ok(out)
    }

    /// The 4-bit value at row `r`, input `k` (both in range).
    fn q(&self, r: usize, k: usize) -> u8 {
        let word = self.packed[(r * self.cols + k) / 8];
        ((word >> (4 * (k % 8))) & 0xf) as u8
    }

    /// The f32 matrix the quantised one stands for: `scale·(q − zero)`.
    pub fn dequantize(&self) -> Vec<f32> {
        let mut out = Vec::with_capacity(self.rows * self.cols);
        for (words, (s, z)) in self
            .packed
            .chunks_exact(self.group / 8)
            .zip(self.scales.iter().zip(&self.zeros))
        {
            for word in words {
                out.extend((0..8).map(|i| s * (((word >> (4 * i)) & 0xf) as f32 - *z as f32)));
            }
        }
        out
    }

    /// Output features.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Input features.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Input features per group.
    pub fn group(&self) -> usize {
        self.group
    }

    /// The packed values, `[rows, cols / 8]` words in sequential (GPTQ) nibble order.
    pub fn packed(&self) -> &[u32] {
        &self.packed
    }

    /// Scales, `[rows, groups]`.
    pub fn scales(&self) -> &[f32] {
        &self.scales
    }

    /// Zero points, `[rows, groups]`, each in `0..=15`.
    pub fn zeros(&self) -> &[u8] {
        &self.zeros
    }
}

/// Sequential nibble order → AWQ's: nibble `i` of the result is nibble `AWQ_ORDER[i]`
/// of `word`.
pub fn awq_interleave(word: u32) -> u32 {
    AWQ_ORDER.iter().enumerate().fold(0, |acc, (i, &v)| {
        acc | (((word >> (4 * v)) & 0xf) << (4 * i))
    })
}

/// AWQ's order → sequential: the inverse of [`awq_interleave`].
pub fn awq_deinterleave(word: u32) -> u32 {
    AWQ_ORDER.iter().enumerate().fold(0, |acc, (i, &v)| {
        acc | (((word >> (4 * i)) & 0xf) << (4 * v))
    })
}

/// AWQ's activation-aware scaling: per input feature `s_k = max(a_k, 1e-4)^alpha`
/// normalised by `√(max s · min s)` (as AWQ's search does for one `alpha`), where `a_k`
/// is the mean |activation| of feature `k` on calibration data. Multiplies column `k` of
/// `w` (`rows × cols`, row-major) by `s_k` in place and returns `s`: the caller divides
/// the activations by `s` (or folds `1/s` into the previous layer), so `W·x` is unchanged
/// while the salient columns get more of the quantiser's range.
pub fn awq_scale(
    w: &mut [f32],
    rows: usize,
    cols: usize,
    act_mean_abs: &[f32],
    alpha: f32,
) -> Result<Vec<f32>> {
    expect_len("w", w.len(), mul(rows, cols, "rows * cols")?)?;
    expect_len("act_mean_abs", act_mean_abs.len(), cols)?;
    if !(0.0..=1.0).contains(&alpha) || act_mean_abs.iter().any(|a| !a.is_finite() || *a < 0.0) {
        return Err(Error::invalid(
            "AWQ needs alpha in [0, 1] and finite, non-negative activation means",
        ));
    }
    let mut s: Vec<f32> = act_mean_abs
        .iter()
        .map(|a| a.max(1e-4).powf(alpha))
        .collect();
    let (lo, hi) = s
        .iter()
        .fold((f32::MAX, 0f32), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    if cols > 0 {
        let norm = (hi * lo).sqrt();
        for v in &mut s {
            *v /= norm;
        }
    }
    if cols > 0 {
        for row in w.chunks_exact_mut(cols) {
            for (v, sk) in row.iter_mut().zip(&s) {
                *v *= sk;
            }
        }
    }
    Ok(s)
}

/// The scalar reference: every int4 row (`words` `rows × cols / 8`, `scales` / `zeros`
/// `[rows, groups]`) against one token `x` (natural order; `xsum` its per-group sums).
#[allow(clippy::too_many_arguments)] // the SIMD kernels' signature
fn int4_gemv_scalar(
    words: &[u32],
    scales: &[f32],
    zeros: &[u8],
    x: &[i8],
    _x_perm: &[i8],
    xsum: &[i32],
    group: usize,
    out: &mut [f32],
) {
    let (row_words, groups) = (x.len() / 8, xsum.len());
    if row_words == 0 || groups == 0 {
        return;
    }
    for (((row, scales), zeros), o) in words
        .chunks_exact(row_words)
        .zip(scales.chunks_exact(groups))
        .zip(zeros.chunks_exact(groups))
        .zip(out.iter_mut())
    {
        let mut acc = 0f32;
        for (((wg, xg), (s, z)), xs) in row
            .chunks_exact(group / 8)
            .zip(x.chunks_exact(group))
            .zip(scales.iter().zip(zeros))
            .zip(xsum)
        {
            let mut sum = 0i32;
            for (word, x8) in wg.iter().zip(xg.chunks_exact(8)) {
                for (i, xv) in x8.iter().enumerate() {
                    sum += ((word >> (4 * i)) & 0xf) as i32 * *xv as i32;
                }
            }
            // The group's exact integer sum Σ (q − zero)·x, then one float multiply.
            acc += s * (sum - *z as i32 * xs) as f32;
        }
        *o = acc;
    }
}

/// `out[t·rows + r]` before the activation scale, at level `isa`.
pub(crate) fn matmul_i4_at(isa: Isa, w: &Int4Weights, x: &Int8Activations, out: &mut [f32]) {
    let groups = w.cols / w.group;
    let mut x_perm = vec![0i8; w.cols];
    let mut xsum = vec![0i32; groups];
    for (xr, or) in x
        .values()
        .chunks_exact(w.cols)
        .zip(out.chunks_exact_mut(w.rows))
    {
        // The SIMD kernels unpack 16 bytes into the 16 low nibbles (even features), then
        // the 16 high ones (odd features): the activations are reordered to match.
        for (src, dst) in xr.chunks_exact(32).zip(x_perm.chunks_exact_mut(32)) {
            for b in 0..16 {
                dst[b] = src[2 * b];
                dst[16 + b] = src[2 * b + 1];
            }
        }
        for (s, xg) in xsum.iter_mut().zip(xr.chunks_exact(w.group)) {
            *s = xg.iter().map(|v| *v as i32).sum();
        }
        let (words, scales, zeros) = (&w.packed[..], &w.scales[..], &w.zeros[..]);
        let (xp, xs, group) = (&x_perm[..], &xsum[..], w.group);
        by_isa!(
            isa,
            int4_gemv,
            int4_gemv_scalar,
            (words, scales, zeros, xr, xp, xs, group, or)
        );
    }
}

/// `out (n × rows) = x · Wᵀ` for int4 `w` and int8 `x`:
/// `out[t, r] = sx[t]·Σ_g scale[r, g]·(Σ_{k∈g} q[r, k]·qx[t, k] − zero[r, g]·Σ_{k∈g} qx[t, k])`,
/// every group's integer sum exact in i32 and identical on every SIMD path.
pub fn matmul_i4_i8(w: &Int4Weights, x: &Int8Activations, out: &mut [f32]) -> Result<()> {
    if w.cols != x.cols() {
        return Err(Error::shape(format!(
            "weights have {} input features, activations {}",
            w.cols,
            x.cols()
        )));
    }
    expect_len("out", out.len(), mul(x.tokens(), w.rows, "tokens * rows")?)?;
    if w.cols == 0 || w.rows == 0 {
        out.fill(0.0);
        return Ok(());
    }
    matmul_i4_at(isa(), w, x, out);
    for (or, sx) in out.chunks_exact_mut(w.rows).zip(x.scales()) {
        for o in or {
            *o *= sx;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(len: usize, seed: u64) -> Vec<f32> {
        let mut s = seed;
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                (s % 20001) as f32 / 10000.0 - 1.0
            })
            .collect()
    }

    fn rel_error(out: &[f32], w: &[f32], x: &[f32], rows: usize, cols: usize) -> f64 {
        let n = x.len() / cols;
        let (mut num, mut den) = (0f64, 0f64);
        for t in 0..n {
            for r in 0..rows {
                let want: f64 = (0..cols)
                    .map(|k| w[r * cols + k] as f64 * x[t * cols + k] as f64)
                    .sum();
                num += (out[t * rows + r] as f64 - want).abs();
                den += want.abs();
            }
        }
        num / den
    }

    fn nmse(out: &[f32], w: &[f32], x: &[f32], rows: usize, cols: usize) -> f64 {
        let n = x.len() / cols;
        let (mut num, mut den) = (0f64, 0f64);
        for t in 0..n {
            for r in 0..rows {
                let want: f64 = (0..cols)
                    .map(|k| w[r * cols + k] as f64 * x[t * cols + k] as f64)
                    .sum();
                num += (out[t * rows + r] as f64 - want).powi(2);
                den += want * want;
            }
        }
        num / den
    }

    #[test]
    fn round_trip_and_matmul_bounds() {
        // Round trip: every value within half a step (scale / 2) of its group's grid.
        // Matmul: the output's normalised mean squared error against the f32 product,
        // NMSE = Σ err² / Σ want², is bounded by twice its prediction from the step sizes:
        // uniform rounding noise has variance step²/12 per weight (and (sx)²/12 per
        // activation), so NMSE ≈ mean(step_w²)/12 / mean(w²) + mean(step_x²)/12 / mean(x²).
        // (A mean relative error of 0.02, candle's bound, is for 8 bits; 4-bit weights of
        // uniform noise give ~5 %.)
        let (rows, cols, n) = (16, 512, 3);
        let w = values(rows * cols, 1);
        let x = values(n * cols, 2);
        for group in [32, 64, 128] {
            let q = Int4Weights::quantize(&w, rows, cols, group).unwrap();
            let d = q.dequantize();
            for (i, (a, b)) in w.iter().zip(&d).enumerate() {
                let scale = q.scales()[(i / cols) * (cols / group) + (i % cols) / group];
                assert!(
                    (a - b).abs() <= scale / 2.0 + 1e-6,
                    "group {group} value {i}: {a} vs {b}"
                );
            }
            let qx = Int8Activations::quantize(&x, n, cols).unwrap();
            let mut out = vec![0f32; n * rows];
            matmul_i4_i8(&q, &qx, &mut out).unwrap();
            let mean_sq =
                |v: &[f32]| v.iter().map(|a| (*a as f64).powi(2)).sum::<f64>() / v.len() as f64;
            let predicted = mean_sq(q.scales()) / 12.0 / mean_sq(&w)
                + mean_sq(qx.scales()) / 12.0 / mean_sq(&x);
            let nmse = nmse(&out, &w, &x, rows, cols);
            assert!(
                nmse <= 2.0 * predicted,
                "group {group}: NMSE {nmse} vs {predicted}"
            );
            assert!(rel_error(&out, &w, &x, rows, cols) <= 0.1);
            // Exact against the dequantised operands (the kernel's own inputs).
            let xd = qx.dequantize();
            for t in 0..n {
                for r in 0..rows {
                    let want: f64 = (0..cols)
                        .map(|k| d[r * cols + k] as f64 * xd[t * cols + k] as f64)
                        .sum();
                    let scale: f64 = (0..cols)
                        .map(|k| (d[r * cols + k] as f64 * xd[t * cols + k] as f64).abs())
                        .sum();
                    assert!((out[t * rows + r] as f64 - want).abs() <= 1e-5 * scale + 1e-6);
                }
            }
            // Every SIMD path gives the scalar result bit for bit: the same exact group
            // sums, then the same float steps.
            let mut scalar = vec![0f32; n * rows];
            matmul_i4_at(Isa::Scalar, &q, &qx, &mut scalar);
            for isa in crate::quant::available_isas() {
                let mut got = vec![0f32; n * rows];
                matmul_i4_at(isa, &q, &qx, &mut got);
                assert_eq!(got, scalar, "{isa:?} group {group}");
            }
        }
    }

    #[test]
    fn extreme_values_are_exact_on_every_path() {
        // q = 15 and 0, zero points 0 and 15, activations ±127: the largest group sums.
        let (rows, cols, group) = (3, 256, 128);
        let mut words = vec![0u32; rows * cols / 8];
        for (i, w) in words.iter_mut().enumerate() {
            *w = if i % 3 == 0 { 0xffff_ffff } else { 0x0f0f_f0f0 };
        }
        let zeros: Vec<u8> = (0..rows * 2).map(|i| [0, 15, 7][i % 3]).collect();
        let q =
            Int4Weights::from_parts(rows, cols, group, words, vec![1.0; rows * 2], zeros).unwrap();
        let xq: Vec<i8> = (0..2 * cols)
            .map(|i| if i % 5 == 0 { -127 } else { 127 })
            .collect();
        let x =
            Int8Activations::quantize(&xq.iter().map(|v| *v as f32).collect::<Vec<_>>(), 2, cols)
                .unwrap();
        assert_eq!(x.values(), &xq[..]);
        let d = q.dequantize();
        let mut scalar = vec![0f32; 2 * rows];
        matmul_i4_at(Isa::Scalar, &q, &x, &mut scalar);
        for t in 0..2 {
            for r in 0..rows {
                let want: f64 = (0..cols)
                    .map(|k| d[r * cols + k] as f64 * xq[t * cols + k] as f64)
                    .sum();
                assert_eq!(scalar[t * rows + r] as f64, want);
            }
        }
        for isa in crate::quant::available_isas() {
            let mut got = vec![0f32; 2 * rows];
            matmul_i4_at(isa, &q, &x, &mut got);
            assert_eq!(got, scalar, "{isa:?}");
        }
    }

    #[test]
    fn gptq_and_awq_packings() {
        // Row r, input k holds (r + k) % 16 with scale 1 and zero 0 (hand-built words).
        let (rows, cols, group) = (8, 32, 32);
        let mut words = vec![0u32; rows * cols / 8];
        for r in 0..rows {
            for k in 0..cols {
                words[r * cols / 8 + k / 8] |= (((r + k) % 16) as u32) << (4 * (k % 8));
            }
        }
        assert_eq!(words[0], 0x7654_3210); // row 0, inputs 0..8
        assert_eq!(words[cols / 8], 0x8765_4321); // row 1
        let q = Int4Weights::from_parts(
            rows,
            cols,
            group,
            words.clone(),
            vec![1.0; rows],
            vec![0; rows],
        )
        .unwrap();
        assert_eq!(q.packed(), &words[..]);
        let d = q.dequantize();
        for r in 0..rows {
            for k in 0..cols {
                assert_eq!(d[r * cols + k], ((r + k) % 16) as f32);
            }
        }
        // Quantising those values (each group spans 0..=15: scale 1, zero 0) packs them
        // into the same words.
        let src: Vec<f32> = (0..rows * cols)
            .map(|i| ((i / cols + i % cols) % 16) as f32)
            .collect();
        let qq = Int4Weights::quantize(&src, rows, cols, group).unwrap();
        assert!(qq.scales().iter().all(|s| *s == 1.0) && qq.zeros().iter().all(|z| *z == 0));
        assert_eq!(qq.packed(), &words[..]);
        let g = q.gptq_qweight();
        assert_eq!(g[0], 0x7654_3210); // [cols/8, rows]: word (0, r=0)
        assert_eq!(g[1], 0x8765_4321); // word (0, r=1)
        let back = Int4Weights::from_gptq(rows, cols, group, &g, &[1.0; 8], &[0; 8]).unwrap();
        assert_eq!(back, q);
        // AWQ's interleave within a word: nibble i holds value AWQ_ORDER[i].
        assert_eq!(q.to_awq_order()[0], 0x7531_6420);
        assert_eq!(awq_deinterleave(awq_interleave(0x8765_4321)), 0x8765_4321);
        let a = q.awq_qweight().unwrap();
        // Input k = 0: outputs 0..8 hold 0..8, nibble i holds output AWQ_ORDER[i].
        assert_eq!(a[0], 0x7531_6420);
        assert!(Int4Weights::quantize(&[0.0; 5 * 8], 5, 8, 32).is_err());
        assert!(q.clone().awq_qweight().is_ok());
    }

    #[test]
    fn bad_inputs_are_errors() {
        let kind = |r: Result<Int4Weights>| r.unwrap_err().kind();
        // Group sizes other than 32/64/128, columns not whole groups, wrong lengths,
        // overflowing sizes, non-finite values, zero points above 15.
        for group in [0, 16, 48, 256, usize::MAX] {
            assert_eq!(
                kind(Int4Weights::quantize(&[0.0; 256], 1, 256, group)),
                ErrorKind::InvalidArgument
            );
        }
        assert_eq!(
            kind(Int4Weights::quantize(&[0.0; 48], 1, 48, 32)),
            ErrorKind::Shape
        );
        assert_eq!(
            kind(Int4Weights::quantize(&[0.0; 63], 1, 64, 32)),
            ErrorKind::Shape
        );
        assert_eq!(
            kind(Int4Weights::quantize(&[], usize::MAX, 64, 32)),
            ErrorKind::TooLarge
        );
        assert_eq!(
            kind(Int4Weights::quantize(&[f32::INFINITY; 32], 1, 32, 32)),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            kind(Int4Weights::from_parts(
                1,
                32,
                32,
                vec![0; 4],
                vec![1.0],
                vec![16]
            )),
            ErrorKind::InvalidArgument
        );
        assert_eq!(
            kind(Int4Weights::from_parts(
                1,
                32,
                32,
                vec![0; 3],
                vec![1.0],
                vec![0]
            )),
            ErrorKind::Shape
        );
        assert_eq!(
            kind(Int4Weights::from_parts(
                1,
                64,
                32,
                vec![0; 8],
                vec![1.0],
                vec![0; 2]
            )),
            ErrorKind::Shape
        );
        assert_eq!(
            kind(Int4Weights::from_gptq(
                2, 32, 32, &[0; 8], &[1.0; 2], &[0; 1]
            )),
            ErrorKind::Shape
        );
        let w = Int4Weights::quantize(&[0.5; 64], 2, 32, 32).unwrap();
        assert_eq!(w.awq_qweight().unwrap_err().kind(), ErrorKind::Shape);
        let x = Int8Activations::quantize(&[1.0; 64], 1, 64).unwrap();
        assert_eq!(
            matmul_i4_i8(&w, &x, &mut [0.0; 2]).unwrap_err().kind(),
            ErrorKind::Shape
        );
        let x = Int8Activations::quantize(&[1.0; 32], 1, 32).unwrap();
        assert_eq!(
            matmul_i4_i8(&w, &x, &mut [0.0; 3]).unwrap_err().kind(),
            ErrorKind::Shape
        );
        let mut out = [0.0; 2];
        matmul_i4_i8(&w, &x, &mut out).unwrap();
        assert_eq!(out, [16.0, 16.0]);
        let mut ws = vec![1.0; 64];
        assert_eq!(
            awq_scale(&mut ws, usize::MAX, 2, &[1.0; 2], 0.5)
                .unwrap_err()
                .kind(),
            ErrorKind::TooLarge
        );
        assert_eq!(
            awq_scale(&mut ws, 2, 32, &[f32::NAN; 32], 0.5)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidArgument
        );
    }

    #[test]
    fn awq_keeps_the_product_and_lowers_the_error_on_salient_channels() {
        let (rows, cols) = (32, 256);
        let w = values(rows * cols, 3);
        let mut x = values(4 * cols, 4);
        for t in 0..4 {
            for k in (0..cols).step_by(37) {
                x[t * cols + k] *= 50.0; // a few salient input features
            }
        }
        let mean: Vec<f32> = (0..cols)
            .map(|k| (0..4).map(|t| x[t * cols + k].abs()).sum::<f32>() / 4.0)
            .collect();
        let mut ws = w.clone();
        let s = awq_scale(&mut ws, rows, cols, &mean, 0.5).unwrap();
        let xs: Vec<f32> = x.iter().enumerate().map(|(i, v)| v / s[i % cols]).collect();
        // W·x == (W·diag(s))·(x/s) in f64, up to f32 rounding.
        for r in 0..rows {
            let a: f64 = (0..cols)
                .map(|k| w[r * cols + k] as f64 * x[k] as f64)
                .sum();
            let b: f64 = (0..cols)
                .map(|k| ws[r * cols + k] as f64 * xs[k] as f64)
                .sum();
            assert!((a - b).abs() <= 1e-4 * a.abs().max(1.0));
        }
        let plain = {
            let d = Int4Weights::quantize(&w, rows, cols, 128)
                .unwrap()
                .dequantize();
            let mut out = vec![0f32; 4 * rows];
            for t in 0..4 {
                for r in 0..rows {
                    out[t * rows + r] = (0..cols).map(|k| d[r * cols + k] * x[t * cols + k]).sum();
                }
            }
            rel_error(&out, &w, &x, rows, cols)
        };
        // With AWQ the weights are W·diag(s) and the activations x/s; compare the
        // products against the original W·x.
        let q = Int4Weights::quantize(&ws, rows, cols, 128).unwrap();
        let d = q.dequantize();
        let (mut num, mut den) = (0f64, 0f64);
        for t in 0..4 {
            for r in 0..rows {
                let got: f64 = (0..cols)
                    .map(|k| d[r * cols + k] as f64 * xs[t * cols + k] as f64)
                    .sum();
                let want: f64 = (0..cols)
                    .map(|k| w[r * cols + k] as f64 * x[t * cols + k] as f64)
                    .sum();
                num += (got - want).abs();
                den += want.abs();
            }
        }
        let awq = num / den;
        assert!(awq < plain, "AWQ {awq} vs plain {plain}");
        assert!(awq_scale(&mut ws, rows, cols, &mean, 2.0).is_err());
        assert!(awq_scale(&mut ws, rows, cols, &mean[1..], 0.5).is_err());
    }
}
