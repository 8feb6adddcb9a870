//! `raw:snappy`: snappy's C API called directly over FFI, as a competent C user would.

use arsenal_snappy_sys as ffi;

/// Direct FFI use of snappy, as a competent C user would write it: `snappy_compress` /
/// `snappy_uncompress` (the raw format, as `arsenal:snappy`), no wrapper. Snappy keeps
/// no context, so there is nothing to reuse.
pub struct Raw {
    _private: (),
}

impl Raw {
    /// Snappy has no levels; `_level` is ignored.
    pub fn new(_level: i32) -> Raw {
        Raw { _private: () }
    }

    /// Clears `dst`, compresses `src` into it (reserving `snappy_max_compressed_length`),
    /// returns the compressed length.
    pub fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        // SAFETY: pure function of its argument.
        let bound = unsafe { ffi::snappy_max_compressed_length(src.len()) };
        dst.reserve(bound);
        let mut n = bound;
        // SAFETY: `src` is readable; `dst` has `bound` (= `n`) bytes of spare capacity.
        let status = unsafe {
            ffi::snappy_compress(
                src.as_ptr().cast(),
                src.len(),
                dst.as_mut_ptr().cast(),
                &mut n,
            )
        };
        assert_eq!(status, ffi::SNAPPY_OK, "snappy_compress");
        // SAFETY: snappy initialised the first `n` (≤ bound) bytes.
        unsafe { dst.set_len(n) };
        n
    }

    /// Clears `dst`, decompresses `src` into its (preallocated) capacity with
    /// `snappy_uncompress`, returns the decompressed length.
    pub fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let mut n = dst.capacity();
        // SAFETY: `src` is readable; `dst` has `n` bytes of spare capacity; snappy writes
        // at most the recorded length and fails if it exceeds `n`.
        let status = unsafe {
            ffi::snappy_uncompress(
                src.as_ptr().cast(),
                src.len(),
                dst.as_mut_ptr().cast(),
                &mut n,
            )
        };
        assert_eq!(status, ffi::SNAPPY_OK, "snappy_uncompress");
        // SAFETY: snappy initialised the first `n` (≤ capacity) bytes.
        unsafe { dst.set_len(n) };
        n
    }
}
