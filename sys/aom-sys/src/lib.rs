//! Raw FFI to libaom 3.x's AV1 decoder through our C shim (`shim/arsenal_aom.c`), which
//! wraps libaom's ABI-versioned init macro and copies `aom_image_t` into
//! [`arsenal_aom_image`], a flat struct of ours: Rust never mirrors libaom's layouts.
//! The library is found by `build.rs` (Debian's `libaom-dev`). No logic lives here.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_uint};

/// A decoder (opaque; [`arsenal_aom_dec_open`] / [`arsenal_aom_dec_close`]).
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_aom_decoder {
    _opaque: [u8; 0],
}

/// One decoded picture, flattened from `aom_image_t` by the shim. Plane pointers are
/// valid until the next decode call on the same decoder.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct arsenal_aom_image {
    /// Y, U, V planes.
    pub planes: [*const u8; 3],
    /// Bytes between rows of each plane.
    pub strides: [c_int; 3],
    /// Displayed width in pixels.
    pub width: c_uint,
    /// Displayed height in pixels.
    pub height: c_uint,
    /// Bits per sample (8, 10, 12).
    pub bit_depth: c_uint,
    /// 1, or 2 for 16-bit buffers (`AOM_IMG_FMT_HIGHBITDEPTH`).
    pub bytes_per_sample: c_uint,
    /// log2 of the horizontal chroma subsampling.
    pub chroma_shift_x: c_uint,
    /// log2 of the vertical chroma subsampling.
    pub chroma_shift_y: c_uint,
    /// Non-zero for a monochrome stream (chroma planes are neutral).
    pub monochrome: c_int,
    /// CICP colour primaries (ITU-T H.273).
    pub primaries: c_int,
    /// CICP transfer characteristics.
    pub transfer: c_int,
    /// CICP matrix coefficients.
    pub matrix: c_int,
    /// Non-zero for full-range samples.
    pub full_range: c_int,
}

/// `AOM_CODEC_OK`.
pub const AOM_CODEC_OK: c_int = 0;
/// `AOM_CODEC_ERROR`.
pub const AOM_CODEC_ERROR: c_int = 1;
/// `AOM_CODEC_MEM_ERROR`.
pub const AOM_CODEC_MEM_ERROR: c_int = 2;
/// `AOM_CODEC_ABI_MISMATCH`.
pub const AOM_CODEC_ABI_MISMATCH: c_int = 3;
/// `AOM_CODEC_INCAPABLE`.
pub const AOM_CODEC_INCAPABLE: c_int = 4;
/// `AOM_CODEC_UNSUP_BITSTREAM`.
pub const AOM_CODEC_UNSUP_BITSTREAM: c_int = 5;
/// `AOM_CODEC_UNSUP_FEATURE`.
pub const AOM_CODEC_UNSUP_FEATURE: c_int = 6;
/// `AOM_CODEC_CORRUPT_FRAME`.
pub const AOM_CODEC_CORRUPT_FRAME: c_int = 7;
/// `AOM_CODEC_INVALID_PARAM`.
pub const AOM_CODEC_INVALID_PARAM: c_int = 8;

extern "C" {
    /// `aom_codec_version_str()`, e.g. `3.6.0`.
    pub fn arsenal_aom_version() -> *const c_char;
    /// Opens an AV1 decoder with `threads` threads; 0 or an `aom_codec_err_t` (message
    /// copied into `err`, NUL-terminated, when `err_len > 0`).
    pub fn arsenal_aom_dec_open(
        out: *mut *mut arsenal_aom_decoder,
        threads: c_uint,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;
    /// Decodes one temporal unit (`data` null and `len` 0 flushes); 0 or an error code.
    pub fn arsenal_aom_dec_decode(
        dec: *mut arsenal_aom_decoder,
        data: *const u8,
        len: usize,
    ) -> c_int;
    /// The next decoded picture: 1 and `img` filled, or 0 when none is left.
    pub fn arsenal_aom_dec_next(
        dec: *mut arsenal_aom_decoder,
        img: *mut arsenal_aom_image,
    ) -> c_int;
    /// The last error's message and detail, NUL-terminated into `buf`.
    pub fn arsenal_aom_dec_error(dec: *mut arsenal_aom_decoder, buf: *mut c_char, len: usize);
    /// Destroys the decoder (null is ignored).
    pub fn arsenal_aom_dec_close(dec: *mut arsenal_aom_decoder);
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    /// Smoke test: the version string, a decoder opened and closed, garbage refused
    /// with a message.
    #[test]
    fn version_open_and_refuse_garbage() {
        // SAFETY: static NUL-terminated string; the decoder is opened, used and closed
        // per the shim's contract, with buffers of the lengths passed.
        unsafe {
            let version = core::ffi::CStr::from_ptr(arsenal_aom_version())
                .to_str()
                .unwrap();
            assert!(
                version.contains("1.") || version.contains("3."),
                "{version}"
            );
            let mut dec = core::ptr::null_mut();
            let mut msg = [0 as c_char; 128];
            assert_eq!(
                arsenal_aom_dec_open(&mut dec, 2, msg.as_mut_ptr(), msg.len()),
                0
            );
            assert!(!dec.is_null());
            let garbage = [0xFFu8; 64];
            assert_ne!(
                arsenal_aom_dec_decode(dec, garbage.as_ptr(), garbage.len()),
                0
            );
            arsenal_aom_dec_error(dec, msg.as_mut_ptr(), msg.len());
            assert!(msg[0] != 0);
            let mut img = core::mem::MaybeUninit::<arsenal_aom_image>::zeroed();
            assert_eq!(arsenal_aom_dec_next(dec, img.as_mut_ptr()), 0);
            arsenal_aom_dec_close(dec);
        }
    }
}
