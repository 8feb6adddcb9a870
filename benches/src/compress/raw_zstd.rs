//! `raw:zstd`: zstd called directly over FFI, as a competent C user would.

use std::os::raw::c_void;
use zstd_sys as ffi;

/// Direct FFI use of zstd, as a competent C user would write it: one `ZSTD_CCtx` and one
/// `ZSTD_DCtx` reused, no wrapper. Same frame parameters as `arsenal:zstd`: the level and
/// `ZSTD_c_checksumFlag = 1` (content size recorded by `ZSTD_compress2`).
pub struct Raw {
    cctx: *mut ffi::ZSTD_CCtx,
    dctx: *mut ffi::ZSTD_DCtx,
}

fn check(ret: usize, what: &str) -> usize {
    // SAFETY: pure function of its argument.
    assert!(unsafe { ffi::ZSTD_isError(ret) } == 0, "{what} failed");
    ret
}

impl Raw {
    /// Contexts with `level` and the content checksum set as sticky parameters.
    pub fn new(level: i32) -> Raw {
        // SAFETY: plain allocation calls; null results are checked below.
        let (cctx, dctx) = unsafe { (ffi::ZSTD_createCCtx(), ffi::ZSTD_createDCtx()) };
        assert!(!cctx.is_null() && !dctx.is_null(), "ZSTD_create*Ctx");
        // SAFETY: `cctx` is live; zstd validates the values.
        unsafe {
            check(
                ffi::ZSTD_CCtx_setParameter(
                    cctx,
                    ffi::ZSTD_cParameter::ZSTD_c_compressionLevel,
                    level,
                ),
                "ZSTD_c_compressionLevel",
            );
            check(
                ffi::ZSTD_CCtx_setParameter(cctx, ffi::ZSTD_cParameter::ZSTD_c_checksumFlag, 1),
                "ZSTD_c_checksumFlag",
            );
        }
        Raw { cctx, dctx }
    }

    /// Clears `dst`, compresses `src` into it with `ZSTD_compress2` (reserving
    /// `ZSTD_compressBound`), returns the compressed length.
    pub fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        // SAFETY: pure function of its argument.
        let bound = unsafe { ffi::ZSTD_compressBound(src.len()) };
        dst.reserve(bound);
        // SAFETY: the context is live; `src` is readable, `dst` has `bound` bytes of
        // spare capacity.
        let n = unsafe {
            ffi::ZSTD_compress2(
                self.cctx,
                dst.as_mut_ptr().cast::<c_void>(),
                bound,
                src.as_ptr().cast::<c_void>(),
                src.len(),
            )
        };
        let n = check(n, "ZSTD_compress2");
        // SAFETY: zstd initialised the first `n` (≤ bound) bytes.
        unsafe { dst.set_len(n) };
        n
    }

    /// Clears `dst`, decompresses `src` into its (preallocated) capacity with
    /// `ZSTD_decompressDCtx`, returns the decompressed length.
    pub fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let cap = dst.capacity();
        // SAFETY: the context is live; `src` is readable, `dst` has `cap` bytes of spare
        // capacity.
        let n = unsafe {
            ffi::ZSTD_decompressDCtx(
                self.dctx,
                dst.as_mut_ptr().cast::<c_void>(),
                cap,
                src.as_ptr().cast::<c_void>(),
                src.len(),
            )
        };
        let n = check(n, "ZSTD_decompressDCtx");
        // SAFETY: zstd initialised the first `n` (≤ cap) bytes.
        unsafe { dst.set_len(n) };
        n
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        // SAFETY: both contexts are ours and freed once.
        unsafe {
            ffi::ZSTD_freeCCtx(self.cctx);
            ffi::ZSTD_freeDCtx(self.dctx);
        }
    }
}
