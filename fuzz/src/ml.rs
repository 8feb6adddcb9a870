//! Properties of the CPU-inference fuzz targets (`ml_*`), shared with the stable replay.

use arsenal_ml::safetensors::{Dtype, SafeTensors, Writer};
use arsenal_ml::{BlockFormat, BlockKernels, Ggml};

const FORMATS: [BlockFormat; 4] = [
    BlockFormat::Q8_0,
    BlockFormat::Q4_0,
    BlockFormat::Q4_K,
    BlockFormat::Q8_K,
];

/// Any bytes as a safetensors file: `Ok` or a clean `Err`; when `Ok`, every tensor is
/// reachable by name, its bytes are exactly its shape's size, and the float ones convert
/// to exactly that many `f32`s.
pub fn ml_safetensors(input: &[u8]) {
    let Ok(st) = SafeTensors::from_bytes(input.to_vec()) else {
        return;
    };
    let names: Vec<String> = st.names().map(str::to_owned).collect();
    for name in names {
        let t = st.tensor(&name).expect("a listed tensor is found");
        let elems: usize = t.shape().iter().product();
        assert_eq!(t.bytes().len(), elems * t.dtype().size(), "{name}");
        if matches!(
            t.dtype(),
            Dtype::F32 | Dtype::F16 | Dtype::BF16 | Dtype::F64
        ) {
            assert_eq!(t.as_f32().expect("float tensor").len(), elems, "{name}");
        } else {
            assert!(t.as_f32().is_err());
        }
    }
}

/// Any bytes as rows of ggml blocks (the first byte picks the format): the native and
/// ggml backends dequantise them to the same values bit for bit (NaN to NaN), and the dot
/// products run without a fault on both.
pub fn ml_blocks(input: &[u8]) {
    let Some((&selector, body)) = input.split_first() else {
        return;
    };
    let format = FORMATS[selector as usize % FORMATS.len()];
    let blocks = body.len() / format.block_bytes();
    let bytes = &body[..blocks * format.block_bytes()];
    let values = blocks * format.block_len();
    let native = arsenal_ml::quant::NativeBlocks::new();
    let ggml = Ggml::new();
    let mut a = vec![0f32; values];
    let mut b = vec![0f32; values];
    native
        .dequantize_row(format, bytes, &mut a)
        .expect("whole blocks");
    ggml.dequantize_row(format, bytes, &mut b)
        .expect("whole blocks");
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert!(
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
            "{format} value {i}: native {x} ggml {y}"
        );
    }
    if format == BlockFormat::Q8_K || values == 0 {
        return;
    }
    // The same bytes reused as the activation row, quantised from the decoded values.
    let dot = format.dot_format();
    let mut xq = vec![0u8; dot.row_bytes(values).expect("whole blocks")];
    let finite: Vec<f32> = a
        .iter()
        .map(|v| if v.is_finite() { *v } else { 0.0 })
        .collect();
    native.quantize_row(dot, &finite, &mut xq).expect("sizes");
    let _ = native.vec_dot(format, bytes, &xq).expect("sizes");
    let _ = ggml.vec_dot(format, bytes, &xq).expect("sizes");
}

/// Seed inputs for `fuzz/corpus/ml`: valid safetensors images (several dtypes,
/// metadata, an empty one) and block rows of every format.
pub fn ml_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    let mut w = Writer::new();
    w.metadata("format", "pt");
    w.add_f32("a", &[2, 3], &[1.0, -2.0, 3.0, 4.0, 5.0, 6.0])
        .expect("shape");
    w.add("b", Dtype::F16, &[2], &[0x00, 0x3c, 0x00, 0xc0])
        .expect("shape");
    w.add("c", Dtype::U8, &[3], &[1, 2, 3]).expect("shape");
    w.add("d", Dtype::BF16, &[1], &[0x80, 0x3f]).expect("shape");
    seeds.push(("safetensors_mixed".to_owned(), w.to_bytes()));
    seeds.push(("safetensors_empty".to_owned(), Writer::new().to_bytes()));
    let values: Vec<f32> = (0..512)
        .map(|i| ((i * 37 % 101) as f32 - 50.0) / 7.0)
        .collect();
    let native = arsenal_ml::quant::NativeBlocks::new();
    for (i, format) in FORMATS.iter().enumerate() {
        let mut q = vec![0u8; format.row_bytes(512).expect("whole blocks")];
        native
            .quantize_row(*format, &values, &mut q)
            .expect("sizes");
        let mut input = vec![i as u8];
        input.extend_from_slice(&q);
        seeds.push((format!("blocks_{format}"), input));
    }
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_hold_on_the_seeds() {
        for (name, seed) in ml_seeds() {
            ml_safetensors(&seed);
            ml_blocks(&seed);
            if name.starts_with("safetensors") {
                assert!(SafeTensors::from_bytes(seed).is_ok(), "{name}");
            }
        }
    }
}
