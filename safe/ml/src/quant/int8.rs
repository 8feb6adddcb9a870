//! int8 × int8 → i32 matmul: symmetric per-output-channel weights, dynamic symmetric
//! per-token activations (LLM.int8() / SmoothQuant's W8A8 without outlier handling).

use super::{by_isa, isa, Isa};
use crate::error::{expect_len, mul, Error, Result};

/// The longest row whose exact sum always fits i32: `127²·cols ≤ i32::MAX`.
const MAX_COLS: usize = (i32::MAX / (127 * 127)) as usize;

/// Symmetric per-row int8 quantisation of `values` (rows of `cols`): scale per row
/// `max|v| / 127`, `q = round(v / scale)` (half away from zero) clamped to −127..=127; a
/// zero row has scale 0 and zeros.
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
        if *s > 0.0 {
            for (o, v) in qr.iter_mut().zip(row) {
                *o = (v / *s).round().clamp(-127.0, 127.0) as i8;
            }
        }
    }
    Ok((q, scales))
}

/// A weight matrix W (`rows` output features × `cols` input features, row-major) in
/// symmetric per-output-channel int8: `W[r, k] ≈ scale[r] · q[r, k]`, `q` in
/// −127..=127.
#[derive(Debug, Clone, PartialEq)]
pub struct Int8Weights {
    rows: usize,
    cols: usize,
    q: Vec<i8>,
    scales: Vec<f32>,
    /// `Σ_k q[r, k]` per row (for the VNNI kernel's unsigned-offset trick).
    row_sums: Vec<i32>,
}

impl Int8Weights {
    /// Quantises `w` (`rows × cols`, finite values): `scale[r] = max_k |w[r, k]| / 127`,
    /// `q = round(w / scale)` clamped to −127..=127 (a zero row: scale 0, zeros).
    pub fn quantize(w: &[f32], rows: usize, cols: usize) -> Result<Self> {
        let (q, scales) = quantize_rows(w, rows, cols)?;
        Ok(Self::assemble(rows, cols, q, scales))
    }

    /// From int8 values (`rows × cols`, row-major, in −127..=127) and one scale per row.
    pub fn from_parts(rows: usize, cols: usize, q: Vec<i8>, scales: Vec<f32>) -> Result<Self> {
        expect_len("q", q.len(), mul(rows, cols, "rows * cols")?)?;
        expect_len("scales", scales.len(), rows)?;
        if q.contains(&i8::MIN) {
            return Err(Error::invalid("int8 weights must be in -127..=127"));
        }
        Ok(Self::assemble(rows, cols, q, scales))
    }

    fn assemble(rows: usize, cols: usize, q: Vec<i8>, scales: Vec<f32>) -> Self {
        let row_sums = if cols == 0 {
            vec![0; rows]
        } else {
            // Wrapping: the kernel only needs the sum modulo 2³² (see `simd::vnni`).
            q.chunks_exact(cols)
                .map(|r| r.iter().fold(0i32, |s, v| s.wrapping_add(*v as i32)))
                .collect()
        };
        Int8Weights {
            rows,
            cols,
            q,
            scales,
            row_sums,
        }
    }

    /// The f32 matrix the quantised one stands for (`scale[r]·q[r, k]`).
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
/// int8: one scale per token (`max|x_t| / 127`), computed from that token's values.
#[derive(Debug, Clone, PartialEq)]
pub struct Int8Activations {
    n: usize,
    cols: usize,
    q: Vec<i8>,
    scales: Vec<f32>,
}

impl Int8Activations {
    /// Quantises `x` (`n × cols`, finite values), one scale per token.
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

/// The scalar reference of the int8 GEMM: `out[t·rows + r] = Σ_k w[r, k]·x[t, k]`.
fn i8_gemm_scalar(w: &[i8], x: &[i8], _xu: &[u8], _row_sums: &[i32], cols: usize, out: &mut [i32]) {
    if cols == 0 {
        return;
    }
    let rows = w.len() / cols;
    for (xr, or) in x.chunks_exact(cols).zip(out.chunks_exact_mut(rows.max(1))) {
        for (wr, o) in w.chunks_exact(cols).zip(or.iter_mut()) {
            *o = wr.iter().zip(xr).map(|(a, b)| *a as i32 * *b as i32).sum();
        }
    }
}

/// The exact integer products `Σ_k q_w[r, k]·q_x[t, k]` (`n × rows`) at level `isa`.
pub(crate) fn gemm_i32_at(isa: Isa, w: &Int8Weights, x: &Int8Activations, out: &mut [i32]) {
    // The VNNI kernel multiplies unsigned bytes: the activations offset by 128.
    let xu: Vec<u8> = if isa == Isa::Vnni {
        x.q.iter().map(|v| (*v as u8) ^ 0x80).collect()
    } else {
        Vec::new()
    };
    let (wq, xq, ws) = (&w.q[..], &x.q[..], &w.row_sums[..]);
    by_isa!(isa, i8_gemm, i8_gemm_scalar, (wq, xq, &xu, ws, w.cols, out));
}

/// `out (n × rows) = x · Wᵀ` in int8: `out[t, r] = sx[t]·sw[r]·Σ_k qx[t, k]·qw[r, k]`, the
/// sum exact in i32 on every SIMD path (|Σ| ≤ 127²·cols: rows longer than 133 143 input
/// features are refused).
pub fn matmul_i8(w: &Int8Weights, x: &Int8Activations, out: &mut [f32]) -> Result<()> {
    if w.cols != x.cols {
        return Err(Error::shape(format!(
            "weights have {} input features, activations {}",
            w.cols, x.cols
        )));
    }
    if w.cols > MAX_COLS {
        return Err(Error::shape(format!(
            "{} input features could overflow the i32 sums (at most {MAX_COLS})",
            w.cols
        )));
    }
    expect_len("out", out.len(), mul(x.n, w.rows, "tokens * rows")?)?;
    if w.cols == 0 || w.rows == 0 {
        out.fill(0.0);
        return Ok(());
    }
    let mut sums = vec![0i32; out.len()];
    gemm_i32_at(isa(), w, x, &mut sums);
    for ((or, sr), sx) in out
        .chunks_exact_mut(w.rows)
        .zip(sums.chunks_exact(w.rows))
        .zip(&x.scales)
    {
        for ((o, s), sw) in or.iter_mut().zip(sr).zip(&w.scales) {
            *o = *s as f32 * sw * sx;
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
    fn every_path_gives_the_exact_integer_sums() {
        // Random values with the ±127 extremes, odd column counts (masked / scalar tails)
        // and row counts that leave 1..3 rows after the 4-row blocks.
        for cols in [1usize, 31, 32, 33, 63, 64, 65, 1000] {
            for (rows, n) in [(1usize, 1usize), (3, 2), (5, 3), (8, 1), (11, 2)] {
                let mut w =
                    Int8Weights::quantize(&values(rows * cols, cols as u64), rows, cols).unwrap();
                let mut x =
                    Int8Activations::quantize(&values(n * cols, 7 + rows as u64), n, cols).unwrap();
                w.q[0] = -127;
                x.q[0] = -127;
                let last = x.q.len() - 1;
                x.q[last] = 127;
                w = Int8Weights::from_parts(rows, cols, w.q.clone(), w.scales.clone()).unwrap();
                let mut want = vec![0i32; n * rows];
                for t in 0..n {
                    for r in 0..rows {
                        want[t * rows + r] = (0..cols)
                            .map(|k| w.q[r * cols + k] as i32 * x.q[t * cols + k] as i32)
                            .sum();
                    }
                }
                for isa in crate::quant::available_isas() {
                    let mut got = vec![0i32; n * rows];
                    gemm_i32_at(isa, &w, &x, &mut got);
                    assert_eq!(got, want, "{isa:?} rows {rows} cols {cols} n {n}");
                }
            }
        }
        // All extremes: |Σ| = 127²·cols, the largest the types allow.
        let cols = 4099;
        let w = Int8Weights::from_parts(2, cols, vec![127; 2 * cols], vec![1.0; 2]).unwrap();
        let x = Int8Activations {
            n: 1,
            cols,
            q: vec![-127; cols],
            scales: vec![1.0],
        };
        for isa in crate::quant::available_isas() {
            let mut got = [0i32; 2];
            gemm_i32_at(isa, &w, &x, &mut got);
            assert_eq!(got, [-127 * 127 * cols as i32; 2], "{isa:?}");
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
