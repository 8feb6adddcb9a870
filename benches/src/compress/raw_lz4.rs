//! `raw:lz4` and `raw:lz4-block`: lz4 called directly over FFI, as a competent C user
//! would. `lz4-sys` lacks some lz4 1.10 prototypes (and declares the preferences struct
//! with Rust enums), so the ones used are declared here from `lz4frame.h`/`lz4.h`/
//! `lz4hc.h` 1.10; the symbols come from the library `lz4-sys` links.

use lz4_sys as _;
use std::os::raw::{c_char, c_int, c_uint, c_ulonglong, c_void};
use std::ptr;

#[allow(non_camel_case_types, non_snake_case)]
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct LZ4F_frameInfo_t {
    blockSizeID: c_uint,
    blockMode: c_uint,
    contentChecksumFlag: c_uint,
    frameType: c_uint,
    contentSize: c_ulonglong,
    dictID: c_uint,
    blockChecksumFlag: c_uint,
}

#[allow(non_camel_case_types, non_snake_case)]
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct LZ4F_preferences_t {
    frameInfo: LZ4F_frameInfo_t,
    compressionLevel: c_int,
    autoFlush: c_uint,
    favorDecSpeed: c_uint,
    reserved: [c_uint; 3],
}

extern "C" {
    fn LZ4F_isError(code: usize) -> c_uint;
    fn LZ4F_createCompressionContext(cctx: *mut *mut c_void, version: c_uint) -> usize;
    fn LZ4F_freeCompressionContext(cctx: *mut c_void) -> usize;
    fn LZ4F_createDecompressionContext(dctx: *mut *mut c_void, version: c_uint) -> usize;
    fn LZ4F_freeDecompressionContext(dctx: *mut c_void) -> usize;
    fn LZ4F_compressFrameBound(src_size: usize, prefs: *const LZ4F_preferences_t) -> usize;
    fn LZ4F_compressFrame_usingCDict(
        cctx: *mut c_void,
        dst: *mut c_void,
        dst_capacity: usize,
        src: *const c_void,
        src_size: usize,
        cdict: *const c_void,
        prefs: *const LZ4F_preferences_t,
    ) -> usize;
    fn LZ4F_decompress(
        dctx: *mut c_void,
        dst: *mut c_void,
        dst_size: *mut usize,
        src: *const c_void,
        src_size: *mut usize,
        opts: *const c_void,
    ) -> usize;
    fn LZ4_compressBound(input_size: c_int) -> c_int;
    fn LZ4_createStream() -> *mut c_void;
    fn LZ4_freeStream(stream: *mut c_void) -> c_int;
    fn LZ4_compress_fast_extState(
        state: *mut c_void,
        src: *const c_char,
        dst: *mut c_char,
        src_size: c_int,
        dst_capacity: c_int,
        acceleration: c_int,
    ) -> c_int;
    fn LZ4_createStreamHC() -> *mut c_void;
    fn LZ4_freeStreamHC(stream: *mut c_void) -> c_int;
    fn LZ4_compress_HC_extStateHC(
        state: *mut c_void,
        src: *const c_char,
        dst: *mut c_char,
        src_size: c_int,
        dst_capacity: c_int,
        level: c_int,
    ) -> c_int;
    fn LZ4_decompress_safe(
        src: *const c_char,
        dst: *mut c_char,
        src_size: c_int,
        dst_capacity: c_int,
    ) -> c_int;
}

fn is_error(code: usize) -> bool {
    // SAFETY: pure function of its argument.
    unsafe { LZ4F_isError(code) != 0 }
}

/// `LZ4F_VERSION`.
const LZ4F_VERSION: c_uint = 100;

/// Direct FFI use of lz4frame, as a competent C user would write it: one `LZ4F_cctx`
/// and one `LZ4F_dctx` reused, no wrapper. Same frames as `arsenal:lz4`: the level,
/// 64 KiB linked blocks, content checksum on, content size recorded.
pub struct Raw {
    level: c_int,
    cctx: *mut c_void,
    dctx: *mut c_void,
}

impl Raw {
    /// Contexts for frames at `level` (lz4frame's levels).
    pub fn new(level: i32) -> Raw {
        let (mut cctx, mut dctx) = (ptr::null_mut(), ptr::null_mut());
        // SAFETY: valid out-pointers; the results are checked below.
        let (a, b) = unsafe {
            (
                LZ4F_createCompressionContext(&mut cctx, LZ4F_VERSION),
                LZ4F_createDecompressionContext(&mut dctx, LZ4F_VERSION),
            )
        };
        // SAFETY: pure functions of their arguments.
        let failed = unsafe { LZ4F_isError(a) != 0 || LZ4F_isError(b) != 0 };
        assert!(
            !failed && !cctx.is_null() && !dctx.is_null(),
            "LZ4F_create*Context"
        );
        Raw { level, cctx, dctx }
    }

    fn prefs(&self, content_size: usize) -> LZ4F_preferences_t {
        LZ4F_preferences_t {
            frameInfo: LZ4F_frameInfo_t {
                contentChecksumFlag: 1,
                contentSize: content_size as c_ulonglong,
                ..Default::default()
            },
            compressionLevel: self.level,
            ..Default::default()
        }
    }

    /// Clears `dst`, compresses `src` into it as one frame with
    /// `LZ4F_compressFrame_usingCDict` (reused context, no dictionary; reserving
    /// `LZ4F_compressFrameBound`), returns the compressed length.
    pub fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let prefs = self.prefs(src.len());
        // SAFETY: `prefs` is valid.
        let bound = unsafe { LZ4F_compressFrameBound(src.len(), &prefs) };
        dst.reserve(bound);
        // SAFETY: the context is live; `src` is readable, `dst` has `bound` bytes of
        // spare capacity; NULL CDict = no dictionary.
        let n = unsafe {
            LZ4F_compressFrame_usingCDict(
                self.cctx,
                dst.as_mut_ptr().cast(),
                bound,
                src.as_ptr().cast(),
                src.len(),
                ptr::null(),
                &prefs,
            )
        };
        assert!(!is_error(n), "LZ4F_compressFrame_usingCDict");
        // SAFETY: lz4frame initialised the first `n` (≤ bound) bytes.
        unsafe { dst.set_len(n) };
        n
    }

    /// Clears `dst`, decompresses the frame `src` into its (preallocated) capacity with
    /// `LZ4F_decompress` (called until it reports the frame complete; one call when the
    /// capacity holds the whole output), returns the decompressed length.
    pub fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let cap = dst.capacity();
        let (mut pos_in, mut pos_out) = (0, 0);
        loop {
            let mut src_size = src.len() - pos_in;
            let mut dst_size = cap - pos_out;
            // SAFETY: the context is live; the pointers stay inside `src` and the spare
            // capacity of `dst`, with the sizes given; NULL options = defaults.
            let hint = unsafe {
                LZ4F_decompress(
                    self.dctx,
                    dst.as_mut_ptr().add(pos_out).cast(),
                    &mut dst_size,
                    src.as_ptr().add(pos_in).cast(),
                    &mut src_size,
                    ptr::null(),
                )
            };
            assert!(!is_error(hint), "LZ4F_decompress");
            pos_in += src_size;
            pos_out += dst_size;
            if hint == 0 {
                break;
            }
            assert!(src_size + dst_size > 0, "LZ4F_decompress made no progress");
        }
        // SAFETY: lz4frame initialised the first `pos_out` (≤ cap) bytes.
        unsafe { dst.set_len(pos_out) };
        pos_out
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        // SAFETY: both contexts are ours and freed once.
        unsafe {
            LZ4F_freeCompressionContext(self.cctx);
            LZ4F_freeDecompressionContext(self.dctx);
        }
    }
}

/// Direct FFI use of the lz4 block API, as a competent C user would write it: a reused
/// state (`LZ4_createStream` for levels ≤ 1 with `LZ4_compress_fast_extState`,
/// acceleration 1 = `LZ4_compress_default`, negative level `-a` → acceleration `a + 1`;
/// `LZ4_createStreamHC` for levels 2..=12 with `LZ4_compress_HC_extStateHC`), the
/// 4-byte little-endian size prefix of `arsenal:lz4-block`, `LZ4_decompress_safe`.
pub struct RawBlock {
    hc: bool,
    param: c_int,
    state: *mut c_void,
}

impl RawBlock {
    /// A state for `level` (mapped as `Lz4Block` maps it).
    pub fn new(level: i32) -> RawBlock {
        let hc = level >= 2;
        // SAFETY: plain allocation calls; null is checked below.
        let state = unsafe {
            if hc {
                LZ4_createStreamHC()
            } else {
                LZ4_createStream()
            }
        };
        assert!(!state.is_null(), "LZ4_createStream(HC)");
        let param = if hc {
            level
        } else if level < 0 {
            1 - level
        } else {
            1
        };
        RawBlock { hc, param, state }
    }

    /// Clears `dst`, writes the size prefix and compresses `src` after it (reserving
    /// `4 + LZ4_compressBound`), returns the total length.
    pub fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let len = c_int::try_from(src.len()).expect("input fits lz4");
        // SAFETY: pure function of its argument.
        let bound = unsafe { LZ4_compressBound(len) };
        assert!(bound > 0, "input too large for lz4");
        dst.reserve(4 + bound as usize);
        dst.extend_from_slice(&(src.len() as u32).to_le_bytes());
        // SAFETY: the state is live; `src` is readable for `len` bytes; `dst` has `bound`
        // bytes of spare capacity after the prefix.
        let n = unsafe {
            let out = dst.as_mut_ptr().add(4).cast::<c_char>();
            if self.hc {
                LZ4_compress_HC_extStateHC(
                    self.state,
                    src.as_ptr().cast(),
                    out,
                    len,
                    bound,
                    self.param,
                )
            } else {
                LZ4_compress_fast_extState(
                    self.state,
                    src.as_ptr().cast(),
                    out,
                    len,
                    bound,
                    self.param,
                )
            }
        };
        assert!(n > 0, "LZ4 block compression failed");
        // SAFETY: lz4 initialised `n` (≤ bound) bytes after the 4-byte prefix.
        unsafe { dst.set_len(4 + n as usize) };
        4 + n as usize
    }

    /// Clears `dst`, reads the size prefix and decompresses the block into `dst`'s
    /// (preallocated) capacity with `LZ4_decompress_safe`, returns the decompressed
    /// length.
    pub fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let size = u32::from_le_bytes(src[..4].try_into().expect("size prefix")) as usize;
        assert!(size <= dst.capacity(), "output does not fit");
        let body = &src[4..];
        // SAFETY: `body` is readable; `dst` has ≥ `size` bytes of spare capacity; lz4
        // writes at most `size` bytes.
        let n = unsafe {
            LZ4_decompress_safe(
                body.as_ptr().cast(),
                dst.as_mut_ptr().cast(),
                body.len() as c_int,
                size as c_int,
            )
        };
        assert!(n >= 0 && n as usize == size, "LZ4_decompress_safe failed");
        // SAFETY: lz4 initialised the first `n` bytes.
        unsafe { dst.set_len(n as usize) };
        n as usize
    }
}

impl Drop for RawBlock {
    fn drop(&mut self) {
        // SAFETY: the state is ours and freed once, with the matching free function.
        unsafe {
            if self.hc {
                LZ4_freeStreamHC(self.state);
            } else {
                LZ4_freeStream(self.state);
            }
        }
    }
}
