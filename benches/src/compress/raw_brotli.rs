//! `raw:brotli`: brotli called directly over FFI, as a competent C user would.

use brotlic_sys as ffi;

/// Direct FFI use of brotli, as a competent C user would write it: the one-shot
/// `BrotliEncoderCompress` / `BrotliDecoderDecompress` calls (they manage their own state),
/// same parameters as `arsenal_compress::backend::brotli::Brotli` (quality = level,
/// `lgwin` 22, generic mode), no wrapper.
pub struct Raw {
    level: i32,
}

impl Raw {
    /// Quality `level` (0..=11).
    pub fn new(level: i32) -> Raw {
        assert!((0..=11).contains(&level), "brotli quality {level}");
        Raw { level }
    }

    /// Clears `dst`, compresses `src` into it (reserving `BrotliEncoderMaxCompressedSize`),
    /// returns the compressed length.
    pub fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        // SAFETY: pure function of its argument.
        let bound = unsafe { ffi::BrotliEncoderMaxCompressedSize(src.len()) };
        dst.reserve(bound);
        let mut n = bound;
        // SAFETY: `src` is readable for its length; `dst` has `bound` bytes of spare
        // capacity, which is what `n` tells the encoder it may write.
        let ok = unsafe {
            ffi::BrotliEncoderCompress(
                self.level,
                ffi::BROTLI_DEFAULT_WINDOW as i32,
                ffi::BrotliEncoderMode_BROTLI_MODE_GENERIC,
                src.len(),
                src.as_ptr(),
                &mut n,
                dst.as_mut_ptr(),
            )
        };
        assert_eq!(ok, ffi::BROTLI_TRUE, "BrotliEncoderCompress failed");
        // SAFETY: the encoder initialised the first `n` ≤ `bound` bytes.
        unsafe { dst.set_len(n) };
        n
    }

    /// Clears `dst`, decompresses `src` into its preallocated capacity, returns the length.
    pub fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let mut n = dst.capacity();
        // SAFETY: `src` is readable for its length; `dst` has `n` bytes of spare capacity.
        let rc = unsafe {
            ffi::BrotliDecoderDecompress(src.len(), src.as_ptr(), &mut n, dst.as_mut_ptr())
        };
        assert_eq!(
            rc,
            ffi::BrotliDecoderResult_BROTLI_DECODER_RESULT_SUCCESS,
            "BrotliDecoderDecompress failed"
        );
        // SAFETY: the decoder initialised the first `n` ≤ capacity bytes.
        unsafe { dst.set_len(n) };
        n
    }
}
