//! Group-wise asymmetric int4 weights (GPTQ / AWQ style) × per-token int8 activations,
//! and AWQ's activation-aware scaling.

use super::{by_isa, Int8Activations};
use crate::error::{expect_len, mul, Error, Result};
#[cfg(test)]
use crate::ErrorKind;

/// AWQ's order of the eight outputs in one packed word (its `pack_order`).
pub const AWQ_ORDER: [usize; 8] = [0, 2, 4, 6, 1, 3, 5, 7];

/// A weight matrix W (`rows` output features × `cols` input features) in 4 bits per value,
/// quantised per group of `group` consecutive input features of a row (32, 64 or 128):
/// `W[r, k] ≈ scale[r, g]·(q[r, k] − zero[r, g])` with `q`, `zero` in `0..=15`,
/// `g = k / group` — GPTQ's asymmetric scheme.
///
/// Storage: `packed` holds each row's values two per byte, value `2b` in the low nibble of
/// byte `b` and `2b + 1` in the high one — read as little-endian `u32` words, value `k`
/// of a row sits in word `k / 8` at bits `4·(k % 8)`, GPTQ's packing along the input
/// dimension (GPTQ stores those words transposed, `[cols / 8, rows]`:
/// [`Int4Weights::gptq_qweight`]; AWQ packs eight *outputs* per word in
/// [`AWQ_ORDER`]: [`Int4Weights::awq_qweight`]). `scales` and `zeros` are `[rows, groups]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Int4Weights {
    rows: usize,
    cols: usize,
    group: usize,
    packed: Vec<u8>,
    scales: Vec<f32>,
    zeros: Vec<u8>,
}

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
    /// Quantises `w` (`rows × cols`, row-major, finite) per group: per group
    /// `lo = min(0, min)`, `hi = max(0, max)`, `scale = (hi − lo) / 15` (1 when the group
    /// is all zeros), `zero = round(−lo / scale)`, `q = clamp(round(v / scale) + zero)`.
    pub fn quantize(w: &[f32], rows: usize, cols: usize, group: usize) -> Result<Self> {
        let groups = check_dims(rows, cols, group)?;
        expect_len("w", w.len(), rows * cols)?;
        if w.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid("int4 quantisation needs finite values"));
        }
        let mut packed = vec![0u8; rows * cols / 2];
        let mut scales = vec![0f32; rows * groups];
        let mut zeros = vec![0u8; rows * groups];
        for (i, vals) in w.chunks_exact(group.max(1)).enumerate() {
            let lo = vals.iter().fold(0f32, |m, v| m.min(*v));
            let hi = vals.iter().fold(0f32, |m, v| m.max(*v));
            let scale = if hi > lo { (hi - lo) / 15.0 } else { 1.0 };
            let zero = (-lo / scale).round().clamp(0.0, 15.0);
            scales[i] = scale;
            zeros[i] = zero as u8;
            for (j, v) in vals.iter().enumerate() {
                let q = ((v / scale).round() + zero).clamp(0.0, 15.0) as u8;
                let k = i * group + j; // index in the whole row-major matrix
                packed[k / 2] |= if k.is_multiple_of(2) { q } else { q << 4 };
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

    /// Builds the matrix from its parts in this type's layout (`packed` as GPTQ's words
    /// transposed to `[rows, cols / 8]`, `scales` and unpacked `zeros` as `[rows, groups]`),
    /// checking every length, the group size and that zeros are ≤ 15.
    pub fn from_parts(
        rows: usize,
        cols: usize,
        group: usize,
        packed: &[u32],
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
        let packed = packed.iter().flat_map(|w| w.to_le_bytes()).collect();
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
        let t = |v: &[f32]| -> Vec<f32> {
            (0..rows * groups)
                .map(|j| v[(j % groups) * rows + j / groups])
                .collect()
        };
        let z: Vec<u8> = (0..rows * groups)
            .map(|j| zeros[(j % groups) * rows + j / groups])
            .collect();
        Self::from_parts(rows, cols, group, &ours, t(scales), z)
    }

    /// The values in GPTQ's `qweight` layout, `[cols / 8, rows]` words.
    pub fn gptq_qweight(&self) -> Vec<u32> {
        let words = self.cols / 8;
        let mut out = vec![0u32; self.rows * words];
        for r in 0..self.rows {
            for i in 0..words {
                let at = (r * words + i) * 4;
                out[i * self.rows + r] = u32::from_le_bytes([
                    self.packed[at],
                    self.packed[at + 1],
                    self.packed[at + 2],
                    self.packed[at + 3],
                ]);
            }
        }
        out
    }

    /// The values in AWQ's `qweight` layout: `[cols, rows / 8]` words, output
    /// `8j + AWQ_ORDER[i]` in nibble `i` of word `j`; [`ErrorKind::Shape`] unless `rows`
    /// is a multiple of 8.
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
        let i = r * self.cols + k;
        (self.packed[i / 2] >> (4 * (i % 2))) & 0xf
    }

    /// The f32 matrix the quantised one stands for.
    pub fn dequantize(&self) -> Vec<f32> {
        let groups = self.cols / self.group;
        (0..self.rows * self.cols)
            .map(|i| {
                let (r, k) = (i / self.cols.max(1), i % self.cols.max(1));
                let g = r * groups + k / self.group;
                self.scales[g] * (self.q(r, k) as f32 - self.zeros[g] as f32)
            })
            .collect()
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

    /// Scales, `[rows, groups]`.
    pub fn scales(&self) -> &[f32] {
        &self.scales
    }

    /// Zero points, `[rows, groups]`.
    pub fn zeros(&self) -> &[u8] {
        &self.zeros
    }
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

fn int4_row_scalar(
    packed: &[u8],
    scales: &[f32],
    zeros: &[u8],
    x_perm: &[i8],
    xsum: &[i32],
    group: usize,
) -> f32 {
    let per = group / 32;
    let mut out = 0f32;
    for g in 0..scales.len() {
        let mut s = 0i32;
        for c in 0..per {
            let i = g * per + c;
            for b in 0..16 {
                let byte = packed[16 * i + b];
                s += (byte & 0xf) as i32 * x_perm[32 * i + b] as i32;
                s += (byte >> 4) as i32 * x_perm[32 * i + 16 + b] as i32;
            }
        }
        out += scales[g] * (s - zeros[g] as i32 * xsum[g]) as f32;
    }
    out
}

/// `out (n × rows) = x · Wᵀ` for int4 `w` and int8 `x`:
/// `out[t, r] = sx[t]·Σ_g scale[r, g]·(Σ_{k∈g} q[r, k]·qx[t, k] − zero[r, g]·Σ_{k∈g} qx[t, k])`,
/// every inner sum exact in i32.
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
    let groups = w.cols / w.group;
    let row_bytes = w.cols / 2;
    let mut x_perm = vec![0i8; w.cols];
    let mut xsum = vec![0i32; groups];
    for ((xr, sx), or) in x
        .values()
        .chunks_exact(w.cols)
        .zip(x.scales())
        .zip(out.chunks_exact_mut(w.rows))
    {
        for (src, dst) in xr.chunks_exact(32).zip(x_perm.chunks_exact_mut(32)) {
            for b in 0..16 {
                dst[b] = src[2 * b];
                dst[16 + b] = src[2 * b + 1];
            }
        }
        for (g, s) in xsum.iter_mut().enumerate() {
            *s = xr[g * w.group..(g + 1) * w.group]
                .iter()
                .map(|v| *v as i32)
                .sum();
        }
        for (r, o) in or.iter_mut().enumerate() {
            let packed = &w.packed[r * row_bytes..(r + 1) * row_bytes];
            let scales = &w.scales[r * groups..(r + 1) * groups];
            let zeros = &w.zeros[r * groups..(r + 1) * groups];
            let (xp, xs, group) = (&x_perm[..], &xsum[..], w.group);
            *o = by_isa!(
                int4_row,
                int4_row_scalar,
                (packed, scales, zeros, xp, xs, group)
            ) * sx;
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

    #[test]
    fn round_trip_and_matmul_bounds() {
        // Round trip: every value within half a step (scale / 2) of its group's grid.
        // Matmul: mean relative error ≤ 0.1 against the f32 product (4-bit weights of
        // uniform noise: ~7 % is typical; candle's 0.02 is for 8-bit).
        let (rows, cols, n) = (16, 512, 2);
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
            // Every SIMD path gives the scalar result.
            let x_perm: Vec<i8> = qx.values()[..cols]
                .chunks(32)
                .flat_map(|c| {
                    (0..16)
                        .map(|b| c[2 * b])
                        .chain((0..16).map(|b| c[2 * b + 1]))
                        .collect::<Vec<_>>()
                })
                .collect();
            let xsum: Vec<i32> = qx.values()[..cols]
                .chunks(group)
                .map(|g| g.iter().map(|v| *v as i32).sum())
                .collect();
            let groups = cols / group;
            let scalar = int4_row_scalar(
                &q.packed[..cols / 2],
                &q.scales[..groups],
                &q.zeros[..groups],
                &x_perm,
                &xsum,
                group,
            );
            #[cfg(target_arch = "x86_64")]
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                // SAFETY: AVX2 and FMA detected.
                let v = unsafe {
                    super::super::simd::avx2::int4_row(
                        &q.packed[..cols / 2],
                        &q.scales[..groups],
                        &q.zeros[..groups],
                        &x_perm,
                        &xsum,
                        group,
                    )
                };
                assert!((v - scalar).abs() <= 1e-4 * scalar.abs().max(1.0));
            }
            assert!((out[0] / qx.scales()[0] - scalar).abs() <= 1e-4 * scalar.abs().max(1.0));
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
        let q = Int4Weights::from_parts(rows, cols, group, &words, vec![1.0; rows], vec![0; rows])
            .unwrap();
        let d = q.dequantize();
        for r in 0..rows {
            for k in 0..cols {
                assert_eq!(d[r * cols + k], ((r + k) % 16) as f32);
            }
        }
        let g = q.gptq_qweight();
        assert_eq!(g[0], 0x7654_3210); // [cols/8, rows]: word (0, r=0)
        assert_eq!(g[1], 0x8765_4321); // word (0, r=1)
        let back = Int4Weights::from_gptq(rows, cols, group, &g, &[1.0; 8], &[0; 8]).unwrap();
        assert_eq!(back, q);
        let a = q.awq_qweight().unwrap();
        // Input k = 0: outputs 0..8 hold 0..8, nibble i holds output AWQ_ORDER[i].
        assert_eq!(a[0], 0x7531_6420);
        assert!(Int4Weights::quantize(&[0.0; 48], 3, 16, 32).is_err());
        assert_eq!(
            Int4Weights::from_parts(1, 32, 32, &[0; 4], vec![1.0], vec![16])
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
