//! int8 × int8 → i32 matmul: symmetric per-output-channel weights, dynamic symmetric
//! per-token activations (LLM.int8()/SmoothQuant's W8A8 without outlier handling).

use super::by_isa;
use crate::error::{expect_len, mul, Error, Result};

/// Symmetric per-row int8 quantisation of `values` (rows of `cols`): scale per row
/// `max|v| / 127`, `q = round(v / scale)` in −127..=127 (a zero row has scale 0).
fn quantize_rows(values: &[f32], rows: usize, cols: usize) -> Result<(Vec<i8>, Vec<f32>)> {
    expect_len("values", values.len(), mul(rows, cols, "rows * cols")?)?;
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::invalid("int8 quantisation needs finite values"));
    }
    let mut q = vec![0i8; values.len()];
    let mut scales = vec![0f32; rows];
    if cols == 0 {
        return Ok((q, scales));
    }
    for ((row, qr), s) in values
        .chunks_exact(cols)
        .zip(q.chunks_exact_mut(cols))
        .zip(&mut scales)
    {
        let amax = row.iter().fold(0f32, |m, v| m.max(v.abs()));
        *s = amax / 127.0;
        let inv = if amax > 0.0 { 127.0 / amax } else { 0.0 };
        for (o, v) in qr.iter_mut().zip(row) {
            *o = (v * inv).round().clamp(-127.0, 127.0) as i8;
        }
    }
    Ok((q, scales))
}

/// A weight matrix W (`rows` output features × `cols` input features, row-major) in
/// symmetric per-output-channel int8: `W[r, k] ≈ scale[r] · q[r, k]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Int8Weights {
    rows: usize,
    cols: usize,
    q: Vec<i8>,
    scales: Vec<f32>,
}

impl Int8Weights {
    /// Quantises `w` (`rows × cols`, finite values).
    pub fn quantize(w: &[f32], rows: usize, cols: usize) -> Result<Self> {
        let (q, scales) = quantize_rows(w, rows, cols)?;
        Ok(Int8Weights {
            rows,
            cols,
            q,
            scales,
        })
    }

    /// The f32 matrix the quantised one stands for.
    pub fn dequantize(&self) -> Vec<f32> {
        dequantize(&self.q, &self.scales, self.cols)
    }

    /// Output features.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Input features.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The int8 values, row-major.
    pub fn values(&self) -> &[i8] {
        &self.q
    }

    /// One scale per row.
    pub fn scales(&self) -> &[f32] {
        &self.scales
    }
}

fn dequantize(q: &[i8], scales: &[f32], cols: usize) -> Vec<f32> {
    if cols == 0 {
        return Vec::new();
    }
    q.chunks_exact(cols)
        .zip(scales)
        .flat_map(|(r, s)| r.iter().map(move |v| *v as f32 * s))
        .collect()
}

/// `n` tokens of activations (`n × cols`, row-major) in dynamic symmetric per-token
/// int8: one scale per token, computed from that token's values when quantised.
#[derive(Debug, Clone, PartialEq)]
pub struct Int8Activations {
    n: usize,
    cols: usize,
    q: Vec<i8>,
    scales: Vec<f32>,
}

impl Int8Activations {
    /// Quantises `x` (`n × cols`, finite values).
    pub fn quantize(x: &[f32], n: usize, cols: usize) -> Result<Self> {
        let (q, scales) = quantize_rows(x, n, cols)?;
        Ok(Int8Activations { n, cols, q, scales })
    }

    /// The f32 activations the quantised ones stand for.
    pub fn dequantize(&self) -> Vec<f32> {
        dequantize(&self.q, &self.scales, self.cols)
    }

    /// Tokens.
    pub fn tokens(&self) -> usize {
        self.n
    }

    /// Values per token.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The int8 values, row-major.
    pub fn values(&self) -> &[i8] {
        &self.q
    }

    /// One scale per token.
    pub fn scales(&self) -> &[f32] {
        &self.scales
    }
}

fn dot_i8_scalar(w: &[i8], x: &[i8]) -> i32 {
    w.iter().zip(x).map(|(a, b)| *a as i32 * *b as i32).sum()
}

/// The exact integer dot product of two int8 rows on the selected SIMD path.
pub(crate) fn dot_i8(w: &[i8], x: &[i8]) -> i32 {
    by_isa!(dot_i8, dot_i8_scalar, (w, x))
}

/// `out (n × rows) = x · Wᵀ` in int8: `out[t, r] = sx[t]·sw[r]·Σ_k qx[t, k]·qw[r, k]`, the
/// sum exact in i32 (|Σ| ≤ 127²·cols; `cols` up to 133 143 cannot overflow, longer rows
/// are refused).
pub fn matmul_i8(w: &Int8Weights, x: &Int8Activations, out: &mut [f32]) -> Result<()> {
    if w.cols != x.cols {
        return Err(Error::shape(format!(
            "weights have {} input features, activations {}",
            w.cols, x.cols
        )));
    }
    if w.cols > (i32::MAX / (127 * 127)) as usize {
        return Err(Error::shape(format!(
            "{} input features could overflow the i32 sums",
            w.cols
        )));
    }
    expect_len("out", out.len(), mul(x.n, w.rows, "tokens * rows")?)?;
    if w.cols == 0 {
        out.fill(0.0);
        return Ok(());
    }
    for ((xr, sx), or) in
        x.q.chunks_exact(x.cols)
            .zip(&x.scales)
            .zip(out.chunks_exact_mut(w.rows.max(1)))
    {
        for ((wr, sw), o) in w.q.chunks_exact(w.cols).zip(&w.scales).zip(or.iter_mut()) {
            *o = dot_i8(wr, xr) as f32 * sw * sx;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

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

    #[test]
    fn simd_sums_are_exact() {
        for cols in [1usize, 31, 32, 33, 64, 1000, 4096] {
            let mut w: Vec<i8> = values(cols, cols as u64 + 1)
                .iter()
                .map(|v| (v * 127.0) as i8)
                .collect();
            let x: Vec<i8> = values(cols, cols as u64 + 2)
                .iter()
                .map(|v| (v * 127.0) as i8)
                .collect();
            w[0] = -127;
            assert_eq!(dot_i8(&w, &x), dot_i8_scalar(&w, &x), "cols {cols}");
            let ext_w = vec![127i8; cols];
            let ext_x = vec![-127i8; cols];
            assert_eq!(dot_i8(&ext_w, &ext_x), -127 * 127 * cols as i32);
            #[cfg(target_arch = "x86_64")]
            if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
                // SAFETY: AVX2 and FMA were detected just above.
                let simd = unsafe { super::super::simd::avx2::dot_i8(&w, &x) };
                assert_eq!(simd, dot_i8_scalar(&w, &x));
            }
        }
    }

    #[test]
    fn matmul_matches_f32_within_int8_error() {
        // Relative error of the product: ≤ 0.02 mean (candle's bound for its quantised
        // matmul tests) against the unquantised f32 product.
        let (rows, cols, n) = (48, 256, 3);
        let w = values(rows * cols, 7);
        let x = values(n * cols, 8);
        let qw = Int8Weights::quantize(&w, rows, cols).unwrap();
        let qx = Int8Activations::quantize(&x, n, cols).unwrap();
        let mut out = vec![0f32; n * rows];
        matmul_i8(&qw, &qx, &mut out).unwrap();
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
        assert!(num / den <= 0.02, "{}", num / den);
        // Round trip: each value within half a step.
        for (a, b) in w.iter().zip(qw.dequantize()) {
            assert!((a - b).abs() <= 1.0 / 127.0 / 2.0 + 1e-6);
        }
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert_eq!(
            Int8Weights::quantize(&[0.0; 5], 2, 3).unwrap_err().kind(),
            ErrorKind::Shape
        );
        assert_eq!(
            Int8Weights::quantize(&[], usize::MAX, 2)
                .unwrap_err()
                .kind(),
            ErrorKind::TooLarge
        );
        assert_eq!(
            Int8Weights::quantize(&[f32::NAN], 1, 1).unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );
        let w = Int8Weights::quantize(&[1.0; 6], 2, 3).unwrap();
        let x = Int8Activations::quantize(&[1.0; 4], 1, 4).unwrap();
        assert_eq!(
            matmul_i8(&w, &x, &mut [0.0; 2]).unwrap_err().kind(),
            ErrorKind::Shape
        );
        let x = Int8Activations::quantize(&[1.0; 3], 1, 3).unwrap();
        assert_eq!(
            matmul_i8(&w, &x, &mut [0.0; 3]).unwrap_err().kind(),
            ErrorKind::Shape
        );
        let mut out = [0.0; 2];
        matmul_i8(&w, &x, &mut out).unwrap();
        assert_eq!(out, [3.0, 3.0]);
        let zero = Int8Weights::quantize(&[0.0; 3], 1, 3).unwrap();
        assert_eq!(zero.scales(), &[0.0]);
    }
}
