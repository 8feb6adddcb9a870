//! The CPU-inference conformance suite for [`arsenal_ml::BlockKernels`] backends (ggml's
//! block formats): round trips within each format's error bound, the formats read the
//! same by every backend (bit-exact dequantisation of each other's blocks), dot products
//! against an `f64` reference, quantised matmul against the `f32` product, and hostile
//! input (wrong lengths, NaN and infinite scales, random bytes) → `Err` or a value, never
//! a panic.

use arsenal_ml::quant::{self, NativeBlocks, QMatrix, QMatrixBuf};
use arsenal_ml::{BlockFormat, BlockKernels, ErrorKind};

/// The weight formats (each with its dot-product format).
pub const WEIGHT_FORMATS: [BlockFormat; 3] =
    [BlockFormat::Q8_0, BlockFormat::Q4_0, BlockFormat::Q4_K];

/// Deterministic values: a mix of scales per block, like real weights (splitmix64).
pub fn values(len: usize, seed: u64) -> Vec<f32> {
    let mut s = seed;
    let mut next = move || {
        s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0
    };
    (0..len)
        .map(|i| {
            let scale = [1.0f32, 0.01, 30.0, 0.5][(i / 256) % 4];
            next() * scale
        })
        .collect()
}

fn quantize(k: &dyn BlockKernels, format: BlockFormat, x: &[f32]) -> Vec<u8> {
    let mut q = vec![0u8; format.row_bytes(x.len()).unwrap()];
    k.quantize_row(format, x, &mut q).unwrap();
    q
}

fn dequantize(k: &dyn BlockKernels, format: BlockFormat, q: &[u8], len: usize) -> Vec<f32> {
    let mut d = vec![0f32; len];
    k.dequantize_row(format, q, &mut d).unwrap();
    d
}

/// Round trips: the RMS error per 256-value super-block is at most the format's step
/// over √12 (uniform rounding error) times a margin, the step being
/// `amax / 127` (Q8_0, Q8_K), `amax / 7.5` (Q4_0: 16 levels over [-amax, amax]) and
/// `(max − min) / 15` of the worst 32-value sub-block (Q4_K, whose 6-bit scales add a
/// little: margin 1.5).
pub fn check_round_trip(k: &dyn BlockKernels) {
    let n = 4096;
    let x = values(n, 1);
    for format in [
        BlockFormat::Q8_0,
        BlockFormat::Q4_0,
        BlockFormat::Q4_K,
        BlockFormat::Q8_K,
    ] {
        let q = quantize(k, format, &x);
        let d = dequantize(k, format, &q, n);
        for (blk, (xs, ds)) in x.chunks(256).zip(d.chunks(256)).enumerate() {
            let amax = xs.iter().fold(0f32, |m, v| m.max(v.abs())) as f64;
            let worst_range = xs
                .chunks(32)
                .map(|c| {
                    let (lo, hi) = c
                        .iter()
                        .fold((f32::MAX, f32::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
                    (hi.max(0.0) - lo.min(0.0)) as f64
                })
                .fold(0.0, f64::max);
            let (step, margin) = match format {
                BlockFormat::Q8_0 | BlockFormat::Q8_K => (amax / 127.0, 1.1),
                BlockFormat::Q4_0 => (amax / 7.5, 1.1),
                _ => (worst_range / 15.0, 1.5),
            };
            let rmse = (xs
                .iter()
                .zip(ds)
                .map(|(a, b)| ((a - b) as f64).powi(2))
                .sum::<f64>()
                / 256.0)
                .sqrt();
            let bound = step / 12f64.sqrt() * margin;
            assert!(
                rmse <= bound,
                "{} {format} block {blk}: RMSE {rmse:e} > {bound:e}",
                k.backend()
            );
        }
    }
}

/// Every backend reads every other backend's blocks to exactly the same values, and
/// quantises Q8_0 / Q4_0 to the same bytes as the native (reference-rounding) quantiser.
pub fn check_cross_backend(k: &dyn BlockKernels) {
    let native = NativeBlocks::new();
    let n = 2048;
    let x = values(n, 2);
    for format in [
        BlockFormat::Q8_0,
        BlockFormat::Q4_0,
        BlockFormat::Q4_K,
        BlockFormat::Q8_K,
    ] {
        let theirs = quantize(k, format, &x);
        let ours = quantize(&native, format, &x);
        assert_eq!(
            dequantize(k, format, &theirs, n),
            dequantize(&native, format, &theirs, n),
            "{} {format}: dequantising {}'s blocks",
            k.backend(),
            k.backend()
        );
        assert_eq!(
            dequantize(k, format, &ours, n),
            dequantize(&native, format, &ours, n),
            "{} {format}: dequantising the native blocks",
            k.backend()
        );
        if matches!(format, BlockFormat::Q4_0) {
            assert_eq!(theirs, ours, "{} {format}: quantised bytes", k.backend());
        }
    }
}

/// `vec_dot` against the f64 dot product of the dequantised operands, within 1e-5 of
/// Σ|terms| (f32 accumulation over 4096 values); lengths 32·k for Q8_0/Q4_0 and 256·k
/// for Q4_K, including one block.
pub fn check_vec_dot(k: &dyn BlockKernels) {
    let native = NativeBlocks::new();
    for format in WEIGHT_FORMATS {
        let dot_format = format.dot_format();
        for n in [format.block_len(), 2 * format.block_len(), 4096, 4096 + 256] {
            let w = values(n, 3 + n as u64);
            let x = values(n, 4 + n as u64);
            let wq = quantize(k, format, &w);
            let xq = quantize(k, dot_format, &x);
            let wd = dequantize(&native, format, &wq, n);
            let xd = dequantize(&native, dot_format, &xq, n);
            let want: f64 = wd.iter().zip(&xd).map(|(a, b)| *a as f64 * *b as f64).sum();
            let scale: f64 = wd
                .iter()
                .zip(&xd)
                .map(|(a, b)| (*a as f64 * *b as f64).abs())
                .sum();
            let got = k.vec_dot(format, &wq, &xq).unwrap() as f64;
            assert!(
                (got - want).abs() <= 1e-5 * scale + 1e-6,
                "{} {format} n={n}: {got} vs {want}",
                k.backend()
            );
            // And the native kernel on the same bytes agrees.
            let nat = native.vec_dot(format, &wq, &xq).unwrap() as f64;
            assert!(
                (got - nat).abs() <= 1e-5 * scale + 1e-6,
                "{} vs native {format}",
                k.backend()
            );
        }
    }
}

/// Quantised matmul against the f32 product of the original (unquantised) operands:
/// mean relative error ≤ 0.02 for Q8_0, ≤ 0.1 for the 4-bit formats (candle's
/// quantised-matmul test uses 0.02 on Q4 with larger, smoother data; ours is uniform
/// noise, which 4 bits resolve less well — the bound is stated, not tuned per run).
pub fn check_matmul(k: &dyn BlockKernels) {
    let (rows, cols, n) = (64, 512, 3);
    let w = values(rows * cols, 5);
    let x = values(n * cols, 6);
    let mut want = vec![0f64; n * rows];
    for t in 0..n {
        for r in 0..rows {
            want[t * rows + r] = (0..cols)
                .map(|c| w[r * cols + c] as f64 * x[t * cols + c] as f64)
                .sum();
        }
    }
    for format in WEIGHT_FORMATS {
        let qw = QMatrixBuf::quantize(k, format, rows, cols, &w).unwrap();
        let mut out = vec![f32::NAN; n * rows];
        quant::matmul_blocks(k, &qw.view(), &x, n, &mut out).unwrap();
        let num: f64 = out
            .iter()
            .zip(&want)
            .map(|(a, b)| (*a as f64 - b).abs())
            .sum();
        let den: f64 = want.iter().map(|b| b.abs()).sum();
        let bound = if format == BlockFormat::Q8_0 {
            0.02
        } else {
            0.1
        };
        assert!(
            num / den <= bound,
            "{} {format}: mean relative error {}",
            k.backend(),
            num / den
        );
    }
}

/// Wrong lengths are `Err(Shape)` (or `TooLarge`), hostile bytes decode without a panic.
pub fn check_hostile(k: &dyn BlockKernels) {
    for format in [
        BlockFormat::Q8_0,
        BlockFormat::Q4_0,
        BlockFormat::Q4_K,
        BlockFormat::Q8_K,
    ] {
        let bl = format.block_len();
        let bb = format.block_bytes();
        let mut q = vec![0u8; bb];
        // Not a whole number of blocks.
        assert!(k.quantize_row(format, &vec![0.0; bl + 1], &mut q).is_err());
        assert!(k
            .quantize_row(format, &vec![0.0; bl], &mut vec![0u8; bb + 1])
            .is_err());
        assert!(k
            .dequantize_row(format, &q[..bb - 1], &mut vec![0.0; bl])
            .is_err());
        assert!(k
            .dequantize_row(format, &q, &mut vec![0.0; bl - 1])
            .is_err());
        assert!(format.row_bytes(usize::MAX).is_err());
        // Random bytes, NaN and infinite scales: any value, no panic.
        let mut s = 0x1234_5678u64;
        let mut bytes = vec![0u8; 8 * bb];
        for b in bytes.iter_mut() {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            *b = (s >> 56) as u8;
        }
        // f16 NaN (0x7e00) and infinity (0x7c00) in the first block's scale (Q8_K: f32).
        if format == BlockFormat::Q8_K {
            bytes[..4].copy_from_slice(&f32::NAN.to_le_bytes());
        } else {
            bytes[..2].copy_from_slice(&0x7e00u16.to_le_bytes());
            bytes[bb..bb + 2].copy_from_slice(&0x7c00u16.to_le_bytes());
        }
        let mut out = vec![0f32; 8 * bl];
        k.dequantize_row(format, &bytes, &mut out).unwrap();
        if format != BlockFormat::Q8_K {
            let dot = format.dot_format();
            let xq = vec![0u8; dot.row_bytes(8 * bl).unwrap()];
            let _ = k.vec_dot(format, &bytes, &xq).unwrap();
            assert!(k.vec_dot(format, &bytes, &xq[1..]).is_err());
            assert!(k.vec_dot(format, &bytes[1..], &xq).is_err());
        }
        assert!(QMatrix::new(format, 2, bl, &bytes[..bb]).is_err());
        assert_eq!(
            QMatrix::new(format, usize::MAX, bl, &bytes)
                .unwrap_err()
                .kind(),
            ErrorKind::TooLarge
        );
    }
}

/// Instantiates every check for one backend.
#[macro_export]
macro_rules! ml_conformance {
    ($name:ident, $backend:expr) => {
        mod $name {
            fn k() -> Box<dyn arsenal_ml::BlockKernels> {
                $backend.blocks().expect("backend")
            }

            #[test]
            fn round_trip() {
                $crate::ml::check_round_trip(&*k());
            }

            #[test]
            fn cross_backend() {
                $crate::ml::check_cross_backend(&*k());
            }

            #[test]
            fn vec_dot() {
                $crate::ml::check_vec_dot(&*k());
            }

            #[test]
            fn matmul() {
                $crate::ml::check_matmul(&*k());
            }

            #[test]
            fn hostile() {
                $crate::ml::check_hostile(&*k());
            }
        }
    };
}
