//! Raw FFI to libvpx 1.x's VP9 decoder through our C shim (`shim/arsenal_vpx.c`), which
//! wraps libvpx's ABI-versioned init macro and copies `vpx_image_t` into
//! [`arsenal_vpx_image`], a flat struct of ours: Rust never mirrors libvpx's layouts.
//! The library is found by `build.rs` (Debian's `libvpx-dev`). No logic lives here.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_uint};

/// A decoder (opaque; [`arsenal_vpx_dec_open`] / [`arsenal_vpx_dec_close`]).
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_vpx_decoder {
    _opaque: [u8; 0],
}

/// One decoded picture, flattened from `vpx_image_t` by the shim. Plane pointers are
/// valid until the next decode call on the same decoder.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct arsenal_vpx_image {
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
    /// 1, or 2 for 16-bit buffers (`VPX_IMG_FMT_HIGHBITDEPTH`).
    pub bytes_per_sample: c_uint,
    /// log2 of the horizontal chroma subsampling.
    pub chroma_shift_x: c_uint,
    /// log2 of the vertical chroma subsampling.
    pub chroma_shift_y: c_uint,
    /// Always 0 (VP9 has no monochrome mode).
    pub monochrome: c_int,
    /// CICP colour primaries (ITU-T H.273): always 2, unspecified (VP9 does not signal them).
    pub primaries: c_int,
    /// CICP transfer characteristics: always 2, unspecified.
    pub transfer: c_int,
    /// CICP matrix coefficients, mapped by the shim from VP9's colour space.
    pub matrix: c_int,
    /// Non-zero for full-range samples.
    pub full_range: c_int,
}

/// `VPX_CODEC_OK`.
pub const VPX_CODEC_OK: c_int = 0;
/// `VPX_CODEC_ERROR`.
pub const VPX_CODEC_ERROR: c_int = 1;
/// `VPX_CODEC_MEM_ERROR`.
pub const VPX_CODEC_MEM_ERROR: c_int = 2;
/// `VPX_CODEC_ABI_MISMATCH`.
pub const VPX_CODEC_ABI_MISMATCH: c_int = 3;
/// `VPX_CODEC_INCAPABLE`.
pub const VPX_CODEC_INCAPABLE: c_int = 4;
/// `VPX_CODEC_UNSUP_BITSTREAM`.
pub const VPX_CODEC_UNSUP_BITSTREAM: c_int = 5;
/// `VPX_CODEC_UNSUP_FEATURE`.
pub const VPX_CODEC_UNSUP_FEATURE: c_int = 6;
/// `VPX_CODEC_CORRUPT_FRAME`.
pub const VPX_CODEC_CORRUPT_FRAME: c_int = 7;
/// `VPX_CODEC_INVALID_PARAM`.
pub const VPX_CODEC_INVALID_PARAM: c_int = 8;

extern "C" {
    /// `vpx_codec_version_str()`, e.g. `v1.12.0`.
    pub fn arsenal_vpx_version() -> *const c_char;
    /// Opens an VP9 decoder with `threads` threads; 0 or an `vpx_codec_err_t` (message
    /// copied into `err`, NUL-terminated, when `err_len > 0`).
    pub fn arsenal_vpx_dec_open(
        out: *mut *mut arsenal_vpx_decoder,
        threads: c_uint,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;
    /// Decodes one frame (`data` null and `len` 0 flushes); 0 or an error code.
    pub fn arsenal_vpx_dec_decode(
        dec: *mut arsenal_vpx_decoder,
        data: *const u8,
        len: usize,
    ) -> c_int;
    /// The next decoded picture: 1 and `img` filled, or 0 when none is left.
    pub fn arsenal_vpx_dec_next(
        dec: *mut arsenal_vpx_decoder,
        img: *mut arsenal_vpx_image,
    ) -> c_int;
    /// The last error's message and detail, NUL-terminated into `buf`.
    pub fn arsenal_vpx_dec_error(dec: *mut arsenal_vpx_decoder, buf: *mut c_char, len: usize);
    /// Destroys the decoder (null is ignored).
    pub fn arsenal_vpx_dec_close(dec: *mut arsenal_vpx_decoder);
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
            let version = core::ffi::CStr::from_ptr(arsenal_vpx_version())
                .to_str()
                .unwrap();
            assert!(
                version.contains("1.") || version.contains("3."),
                "{version}"
            );
            let mut dec = core::ptr::null_mut();
            let mut msg = [0 as c_char; 128];
            assert_eq!(
                arsenal_vpx_dec_open(&mut dec, 2, msg.as_mut_ptr(), msg.len()),
                0
            );
            assert!(!dec.is_null());
            let garbage = [0xFFu8; 64];
            assert_ne!(
                arsenal_vpx_dec_decode(dec, garbage.as_ptr(), garbage.len()),
                0
            );
            arsenal_vpx_dec_error(dec, msg.as_mut_ptr(), msg.len());
            assert!(msg[0] != 0);
            let mut img = core::mem::MaybeUninit::<arsenal_vpx_image>::zeroed();
            assert_eq!(arsenal_vpx_dec_next(dec, img.as_mut_ptr()), 0);
            arsenal_vpx_dec_close(dec);
        }
    }
}
