//! `raw:libdeflate`: libdeflate called directly over FFI, as a competent C user would.

use libdeflate_sys as ffi;
use std::os::raw::c_void;

/// Direct FFI use of libdeflate, as a competent C user would write it: one compressor and
/// one decompressor reused, zlib format (as the `arsenal:libdeflate` rows use), no wrapper.
pub struct Raw {
    compressor: *mut ffi::libdeflate_compressor,
    decompressor: *mut ffi::libdeflate_decompressor,
}

impl Raw {
    /// A compressor at `level` (0..=12) and a decompressor.
    pub fn new(level: i32) -> Raw {
        // SAFETY: plain allocation calls; null results are checked below.
        let (compressor, decompressor) = unsafe {
            (
                ffi::libdeflate_alloc_compressor(level),
                ffi::libdeflate_alloc_decompressor(),
            )
        };
        assert!(
            !compressor.is_null() && !decompressor.is_null(),
            "libdeflate alloc (level {level})"
        );
        Raw {
            compressor,
            decompressor,
        }
    }

    /// Clears `dst`, zlib-compresses `src` into it (reserving
    /// `libdeflate_zlib_compress_bound`), returns the compressed length.
    pub fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        // SAFETY: the compressor is live.
        let bound = unsafe { ffi::libdeflate_zlib_compress_bound(self.compressor, src.len()) };
        dst.reserve(bound);
        // SAFETY: `src` readable, `dst` has `bound` bytes of spare capacity.
        let n = unsafe {
            ffi::libdeflate_zlib_compress(
                self.compressor,
                src.as_ptr().cast::<c_void>(),
                src.len(),
                dst.as_mut_ptr().cast::<c_void>(),
                bound,
            )
        };
        assert!(n > 0, "libdeflate_zlib_compress failed");
        // SAFETY: libdeflate initialised the first `n` ≤ `bound` bytes.
        unsafe { dst.set_len(n) };
        n
    }

    /// Clears `dst`, zlib-decompresses `src` into its preallocated capacity, returns the
    /// length.
    pub fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let mut n = 0usize;
        // SAFETY: `src` readable, `dst` has `capacity` bytes of spare capacity; libdeflate
        // writes at most that and reports the count in `n`.
        let rc = unsafe {
            ffi::libdeflate_zlib_decompress(
                self.decompressor,
                src.as_ptr().cast::<c_void>(),
                src.len(),
                dst.as_mut_ptr().cast::<c_void>(),
                dst.capacity(),
                &mut n,
            )
        };
        assert_eq!(
            rc,
            ffi::libdeflate_result_LIBDEFLATE_SUCCESS,
            "libdeflate_zlib_decompress failed"
        );
        // SAFETY: the first `n` ≤ capacity bytes were written.
        unsafe { dst.set_len(n) };
        n
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        // SAFETY: both were allocated in `new` and are freed only here.
        unsafe {
            ffi::libdeflate_free_compressor(self.compressor);
            ffi::libdeflate_free_decompressor(self.decompressor);
        }
    }
}
