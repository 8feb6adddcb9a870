//! Raw FFI to libavcodec 5.x (FFmpeg 5.1) through our C shim
//! (`shim/arsenal_avcodec.c`): H.264 and VP9 decoders with the send/receive loop's
//! EAGAIN/EOF folded into return codes, `AVFrame` flattened into [`arsenal_avc_image`]
//! (Rust never mirrors FFmpeg's layouts), and an H.264 encoder through libx264 that the
//! tests and benchmarks use to make streams. The libraries are found by `build.rs`
//! (Debian's `libavcodec-dev`). No logic lives here.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_uint};

/// A decoder (opaque; [`arsenal_avc_dec_open`] / [`arsenal_avc_dec_close`]).
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_avc_decoder {
    _opaque: [u8; 0],
}

/// An H.264 encoder (opaque; [`arsenal_avc_h264_enc_open`] / [`arsenal_avc_h264_enc_close`]).
#[repr(C)]
#[derive(Debug)]
pub struct arsenal_avc_encoder {
    _opaque: [u8; 0],
}

/// FFmpeg's `AVFrame` (opaque here: only passed back to [`arsenal_avc_frame_free`]).
#[repr(C)]
#[derive(Debug)]
pub struct AVFrame {
    _opaque: [u8; 0],
}

/// One decoded picture, flattened from an `AVFrame` by the shim.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct arsenal_avc_image {
    /// Y, U, V planes (U and V null for a monochrome picture).
    pub planes: [*const u8; 3],
    /// Bytes between rows of each plane (`linesize`).
    pub strides: [c_int; 3],
    /// Width in pixels.
    pub width: c_int,
    /// Height in pixels.
    pub height: c_int,
    /// Bits per sample; 0 when the pixel format is not planar YUV in native byte order.
    pub bit_depth: c_int,
    /// Bytes per sample (1 or 2).
    pub bytes_per_sample: c_int,
    /// log2 of the horizontal chroma subsampling.
    pub chroma_shift_x: c_int,
    /// log2 of the vertical chroma subsampling.
    pub chroma_shift_y: c_int,
    /// Non-zero for a monochrome (gray) picture.
    pub monochrome: c_int,
    /// CICP colour primaries (`AVColorPrimaries` uses ITU-T H.273's values).
    pub primaries: c_int,
    /// CICP transfer characteristics (`AVColorTransferCharacteristic`).
    pub transfer: c_int,
    /// CICP matrix coefficients (`AVColorSpace`).
    pub matrix: c_int,
    /// Non-zero for full-range (JPEG) samples.
    pub full_range: c_int,
    /// The frame's timestamp (best effort) when `has_pts` is non-zero.
    pub pts: i64,
    /// Non-zero when `pts` is set.
    pub has_pts: c_int,
}

/// Codec argument of [`arsenal_avc_dec_open`]: H.264.
pub const ARSENAL_AVC_H264: c_int = 1;
/// Codec argument of [`arsenal_avc_dec_open`]: VP9.
pub const ARSENAL_AVC_VP9: c_int = 2;
/// A frame (or packet) was returned.
pub const ARSENAL_AVC_FRAME: c_int = 0;
/// EAGAIN: the other side of the send/receive loop must run first.
pub const ARSENAL_AVC_AGAIN: c_int = 1;
/// End of stream reached (after a flush).
pub const ARSENAL_AVC_EOF: c_int = 2;

extern "C" {
    /// `avcodec_version()`: `(major << 16) | (minor << 8) | micro`.
    pub fn arsenal_avc_version() -> c_uint;
    /// `av_strerror` into `buf` (NUL-terminated).
    pub fn arsenal_avc_strerror(err: c_int, buf: *mut c_char, len: usize);
    /// Opens a decoder; 0 or a negative `AVERROR` with a message in `err`.
    pub fn arsenal_avc_dec_open(
        out: *mut *mut arsenal_avc_decoder,
        codec: c_int,
        threads: c_int,
        frame_threads: c_int,
        max_pixels: i64,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;
    /// Sends one packet (copied); `data` null signals end of stream. 0,
    /// [`ARSENAL_AVC_AGAIN`], [`ARSENAL_AVC_EOF`] or a negative `AVERROR`.
    pub fn arsenal_avc_dec_send(
        dec: *mut arsenal_avc_decoder,
        data: *const u8,
        len: usize,
        pts: i64,
        has_pts: c_int,
    ) -> c_int;
    /// Receives a frame: [`ARSENAL_AVC_FRAME`] with `*out` a new reference and `img`
    /// filled, [`ARSENAL_AVC_AGAIN`], [`ARSENAL_AVC_EOF`] or a negative `AVERROR`.
    pub fn arsenal_avc_dec_receive(
        dec: *mut arsenal_avc_decoder,
        out: *mut *mut AVFrame,
        img: *mut arsenal_avc_image,
    ) -> c_int;
    /// Frees a frame reference from [`arsenal_avc_dec_receive`] (null is ignored).
    pub fn arsenal_avc_frame_free(frame: *mut AVFrame);
    /// `avcodec_flush_buffers`: ready for a new stream.
    pub fn arsenal_avc_dec_reset(dec: *mut arsenal_avc_decoder);
    /// Frees the decoder (null is ignored).
    pub fn arsenal_avc_dec_close(dec: *mut arsenal_avc_decoder);
    /// Opens a libx264 encoder (4:2:0, 8 or 10 bits, constant `qp`, `gop`, `bframes`).
    pub fn arsenal_avc_h264_enc_open(
        out: *mut *mut arsenal_avc_encoder,
        width: c_int,
        height: c_int,
        bit_depth: c_int,
        qp: c_int,
        gop: c_int,
        bframes: c_int,
        err: *mut c_char,
        err_len: usize,
    ) -> c_int;
    /// Sends one picture (`planes` null: end of stream); 0 or a negative `AVERROR`.
    pub fn arsenal_avc_h264_enc_send(
        enc: *mut arsenal_avc_encoder,
        planes: *const *const u8,
        strides: *const c_int,
        pts: i64,
    ) -> c_int;
    /// The next packet (an Annex-B access unit): [`ARSENAL_AVC_FRAME`] with `data`/`len`
    /// valid until the next call, [`ARSENAL_AVC_AGAIN`], [`ARSENAL_AVC_EOF`] or an error.
    pub fn arsenal_avc_h264_enc_receive(
        enc: *mut arsenal_avc_encoder,
        data: *mut *const u8,
        len: *mut usize,
    ) -> c_int;
    /// Frees the encoder (null is ignored).
    pub fn arsenal_avc_h264_enc_close(enc: *mut arsenal_avc_encoder);
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    /// Smoke test: the version, then one real round trip: a 64×48 picture encoded by
    /// libx264 and decoded back by libavcodec's H.264 decoder, close to the input.
    #[test]
    fn version_and_h264_round_trip() {
        // SAFETY: every call follows the shim's contract: valid out-pointers and buffer
        // lengths, planes of the sizes the encoder was opened with, packets copied
        // before the next call, frames freed once.
        unsafe {
            assert_eq!(arsenal_avc_version() >> 16, 59);
            let mut msg = [0 as c_char; 128];
            let mut enc = core::ptr::null_mut();
            assert_eq!(
                arsenal_avc_h264_enc_open(
                    &mut enc,
                    64,
                    48,
                    8,
                    10,
                    10,
                    0,
                    msg.as_mut_ptr(),
                    msg.len()
                ),
                0
            );
            let y: Vec<u8> = (0..64 * 48).map(|i| (i % 64 * 3) as u8).collect();
            let c = [128u8; 32 * 24];
            let planes = [y.as_ptr(), c.as_ptr(), c.as_ptr()];
            let strides = [64, 32, 32];
            assert_eq!(
                arsenal_avc_h264_enc_send(enc, planes.as_ptr(), strides.as_ptr(), 0),
                0
            );
            assert_eq!(
                arsenal_avc_h264_enc_send(enc, core::ptr::null(), core::ptr::null(), 0),
                0
            );
            let mut stream = Vec::new();
            loop {
                let (mut data, mut len) = (core::ptr::null(), 0);
                if arsenal_avc_h264_enc_receive(enc, &mut data, &mut len) != ARSENAL_AVC_FRAME {
                    break;
                }
                stream.extend_from_slice(core::slice::from_raw_parts(data, len));
            }
            arsenal_avc_h264_enc_close(enc);
            assert!(!stream.is_empty());
            let mut dec = core::ptr::null_mut();
            assert_eq!(
                arsenal_avc_dec_open(
                    &mut dec,
                    ARSENAL_AVC_H264,
                    1,
                    0,
                    0,
                    msg.as_mut_ptr(),
                    msg.len()
                ),
                0
            );
            assert_eq!(
                arsenal_avc_dec_send(dec, stream.as_ptr(), stream.len(), 7, 1),
                0
            );
            assert_eq!(arsenal_avc_dec_send(dec, core::ptr::null(), 0, 0, 0), 0);
            let mut frame = core::ptr::null_mut();
            let mut img = core::mem::MaybeUninit::<arsenal_avc_image>::zeroed();
            assert_eq!(
                arsenal_avc_dec_receive(dec, &mut frame, img.as_mut_ptr()),
                ARSENAL_AVC_FRAME
            );
            let img = img.assume_init();
            assert_eq!(
                (img.width, img.height, img.bit_depth, img.chroma_shift_x),
                (64, 48, 8, 1)
            );
            assert_eq!((img.has_pts, img.pts), (1, 7));
            let row = core::slice::from_raw_parts(img.planes[0], 64);
            let worst = row
                .iter()
                .zip(&y[..64])
                .map(|(&a, &b)| (i32::from(a) - i32::from(b)).abs())
                .max();
            assert!(worst.unwrap() <= 8, "{worst:?}");
            arsenal_avc_frame_free(frame);
            let mut again = core::mem::MaybeUninit::<arsenal_avc_image>::zeroed();
            assert_eq!(
                arsenal_avc_dec_receive(dec, &mut frame, again.as_mut_ptr()),
                ARSENAL_AVC_EOF
            );
            arsenal_avc_dec_close(dec);
        }
    }
}
