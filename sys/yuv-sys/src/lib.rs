//! Raw FFI to [libyuv](https://chromium.googlesource.com/libyuv/libyuv) (Debian's
//! `libyuv-dev`, snapshot 0.0~git20230123.b2528b0, `LIBYUV_VERSION` 1857): the handful of
//! functions `arsenal-color` uses. Declarations only, no logic.
//!
//! libyuv names packed formats by their little-endian 32-bit word, so in memory:
//! `ARGB` is bytes B, G, R, A; `ABGR` is bytes R, G, B, A; `RAW` is bytes R, G, B and
//! `RGB24` is bytes B, G, R.
//!
//! Every function but `ScalePlane` (which returns nothing in this version) returns 0 on
//! success and -1 on bad arguments (null pointers, non-positive sizes); none checks
//! buffer lengths — the caller guarantees them.
//!
//! Gaps of this version that callers must know: RGB → YUV exists only for BT.601
//! (`*ToI420`: limited range; `*ToJ420`: full range); there is no BT.709 RGB → YUV
//! function. YUV → RGB takes any [`YuvConstants`] (`kYuv*` for I420's U, V order;
//! `kYvu*` for the V, U order that makes `ARGB` functions write `ABGR`/`RAW`).
#![no_std]
#![allow(non_upper_case_globals, non_camel_case_types)]

use core::ffi::c_int;

/// libyuv's opaque colour-matrix tables (`struct YuvConstants`); use by pointer only.
#[repr(C)]
#[derive(Debug)]
pub struct YuvConstants {
    _private: [u8; 0],
}

/// `enum FilterMode`.
pub type FilterMode = c_int;
/// Point sampling.
pub const kFilterNone: FilterMode = 0;
/// Horizontal-only interpolation.
pub const kFilterLinear: FilterMode = 1;
/// Bilinear interpolation.
pub const kFilterBilinear: FilterMode = 2;
/// Box filtering.
pub const kFilterBox: FilterMode = 3;

extern "C" {
    /// BT.601 limited range, U then V.
    pub static kYuvI601Constants: YuvConstants;
    /// BT.601 full range (JPEG), U then V.
    pub static kYuvJPEGConstants: YuvConstants;
    /// BT.709 limited range, U then V.
    pub static kYuvH709Constants: YuvConstants;
    /// BT.709 full range, U then V.
    pub static kYuvF709Constants: YuvConstants;
    /// BT.601 limited range with U and V swapped (pass V as U to write ABGR/RAW).
    pub static kYvuI601Constants: YuvConstants;
    /// BT.601 full range, U and V swapped.
    pub static kYvuJPEGConstants: YuvConstants;
    /// BT.709 limited range, U and V swapped.
    pub static kYvuH709Constants: YuvConstants;
    /// BT.709 full range, U and V swapped.
    pub static kYvuF709Constants: YuvConstants;

    /// I420 → ARGB (bytes B, G, R, A; alpha 255) with a colour matrix.
    pub fn I420ToARGBMatrix(
        src_y: *const u8,
        src_stride_y: c_int,
        src_u: *const u8,
        src_stride_u: c_int,
        src_v: *const u8,
        src_stride_v: c_int,
        dst_argb: *mut u8,
        dst_stride_argb: c_int,
        yuvconstants: *const YuvConstants,
        width: c_int,
        height: c_int,
    ) -> c_int;

    /// I420 → RGB24 (bytes B, G, R) with a colour matrix.
    pub fn I420ToRGB24Matrix(
        src_y: *const u8,
        src_stride_y: c_int,
        src_u: *const u8,
        src_stride_u: c_int,
        src_v: *const u8,
        src_stride_v: c_int,
        dst_rgb24: *mut u8,
        dst_stride_rgb24: c_int,
        yuvconstants: *const YuvConstants,
        width: c_int,
        height: c_int,
    ) -> c_int;

    /// ARGB (bytes B, G, R, A) → I420, BT.601 limited range.
    pub fn ARGBToI420(
        src_argb: *const u8,
        src_stride_argb: c_int,
        dst_y: *mut u8,
        dst_stride_y: c_int,
        dst_u: *mut u8,
        dst_stride_u: c_int,
        dst_v: *mut u8,
        dst_stride_v: c_int,
        width: c_int,
        height: c_int,
    ) -> c_int;

    /// ABGR (bytes R, G, B, A) → I420, BT.601 limited range.
    pub fn ABGRToI420(
        src_abgr: *const u8,
        src_stride_abgr: c_int,
        dst_y: *mut u8,
        dst_stride_y: c_int,
        dst_u: *mut u8,
        dst_stride_u: c_int,
        dst_v: *mut u8,
        dst_stride_v: c_int,
        width: c_int,
        height: c_int,
    ) -> c_int;

    /// RAW (bytes R, G, B) → I420, BT.601 limited range.
    pub fn RAWToI420(
        src_raw: *const u8,
        src_stride_raw: c_int,
        dst_y: *mut u8,
        dst_stride_y: c_int,
        dst_u: *mut u8,
        dst_stride_u: c_int,
        dst_v: *mut u8,
        dst_stride_v: c_int,
        width: c_int,
        height: c_int,
    ) -> c_int;

    /// ARGB (bytes B, G, R, A) → J420, BT.601 full range.
    pub fn ARGBToJ420(
        src_argb: *const u8,
        src_stride_argb: c_int,
        dst_yj: *mut u8,
        dst_stride_yj: c_int,
        dst_uj: *mut u8,
        dst_stride_uj: c_int,
        dst_vj: *mut u8,
        dst_stride_vj: c_int,
        width: c_int,
        height: c_int,
    ) -> c_int;

    /// ABGR (bytes R, G, B, A) → J420, BT.601 full range.
    pub fn ABGRToJ420(
        src_abgr: *const u8,
        src_stride_abgr: c_int,
        dst_yj: *mut u8,
        dst_stride_yj: c_int,
        dst_uj: *mut u8,
        dst_stride_uj: c_int,
        dst_vj: *mut u8,
        dst_stride_vj: c_int,
        width: c_int,
        height: c_int,
    ) -> c_int;

    /// RAW (bytes R, G, B) → J420, BT.601 full range.
    pub fn RAWToJ420(
        src_raw: *const u8,
        src_stride_raw: c_int,
        dst_yj: *mut u8,
        dst_stride_yj: c_int,
        dst_uj: *mut u8,
        dst_stride_uj: c_int,
        dst_vj: *mut u8,
        dst_stride_vj: c_int,
        width: c_int,
        height: c_int,
    ) -> c_int;

    /// Scales one 8-bit plane. Returns nothing in this version (later ones return an
    /// `int`): it cannot report a failure.
    pub fn ScalePlane(
        src: *const u8,
        src_stride: c_int,
        src_width: c_int,
        src_height: c_int,
        dst: *mut u8,
        dst_stride: c_int,
        dst_width: c_int,
        dst_height: c_int,
        filtering: FilterMode,
    );

    /// Scales an I420 frame (the three planes).
    pub fn I420Scale(
        src_y: *const u8,
        src_stride_y: c_int,
        src_u: *const u8,
        src_stride_u: c_int,
        src_v: *const u8,
        src_stride_v: c_int,
        src_width: c_int,
        src_height: c_int,
        dst_y: *mut u8,
        dst_stride_y: c_int,
        dst_u: *mut u8,
        dst_stride_u: c_int,
        dst_v: *mut u8,
        dst_stride_v: c_int,
        dst_width: c_int,
        dst_height: c_int,
        filtering: FilterMode,
    ) -> c_int;

    /// Scales a 4-byte-per-pixel image (any channel order).
    pub fn ARGBScale(
        src_argb: *const u8,
        src_stride_argb: c_int,
        src_width: c_int,
        src_height: c_int,
        dst_argb: *mut u8,
        dst_stride_argb: c_int,
        dst_width: c_int,
        dst_height: c_int,
        filtering: FilterMode,
    ) -> c_int;
}
