//! Raw FFI to libopus 1.x (`opus.h`, `opus_defines.h`): the encoder and decoder API
//! that `arsenal-audio` uses, declared by hand. The library is found by `build.rs`
//! (Debian's `libopus-dev`). No logic lives here.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int};

/// An Opus encoder state (opaque; `opus_encoder_create` / `opus_encoder_destroy`).
#[repr(C)]
#[derive(Debug)]
pub struct OpusEncoder {
    _opaque: [u8; 0],
}

/// An Opus decoder state (opaque; `opus_decoder_create` / `opus_decoder_destroy`).
#[repr(C)]
#[derive(Debug)]
pub struct OpusDecoder {
    _opaque: [u8; 0],
}

/// `opus_int32`.
pub type opus_int32 = i32;
/// `opus_int16`.
pub type opus_int16 = i16;

/// No error.
pub const OPUS_OK: c_int = 0;
/// One or more invalid/out of range arguments.
pub const OPUS_BAD_ARG: c_int = -1;
/// Not enough bytes allocated in the buffer.
pub const OPUS_BUFFER_TOO_SMALL: c_int = -2;
/// An internal error was detected.
pub const OPUS_INTERNAL_ERROR: c_int = -3;
/// The compressed data passed is corrupted.
pub const OPUS_INVALID_PACKET: c_int = -4;
/// Invalid/unsupported request number.
pub const OPUS_UNIMPLEMENTED: c_int = -5;
/// An encoder or decoder structure is invalid or already freed.
pub const OPUS_INVALID_STATE: c_int = -6;
/// Memory allocation has failed.
pub const OPUS_ALLOC_FAIL: c_int = -7;

/// Best for most VoIP/videoconference applications.
pub const OPUS_APPLICATION_VOIP: c_int = 2048;
/// Best for broadcast/high-fidelity applications.
pub const OPUS_APPLICATION_AUDIO: c_int = 2049;
/// Only when lowest-achievable latency is what matters most.
pub const OPUS_APPLICATION_RESTRICTED_LOWDELAY: c_int = 2051;
/// Auto/default setting.
pub const OPUS_AUTO: c_int = -1000;
/// Maximum bitrate.
pub const OPUS_BITRATE_MAX: c_int = -1;

/// `OPUS_SET_BITRATE(opus_int32)`.
pub const OPUS_SET_BITRATE_REQUEST: c_int = 4002;
/// `OPUS_GET_BITRATE(opus_int32 *)`.
pub const OPUS_GET_BITRATE_REQUEST: c_int = 4003;
/// `OPUS_SET_VBR(opus_int32)`.
pub const OPUS_SET_VBR_REQUEST: c_int = 4006;
/// `OPUS_SET_COMPLEXITY(opus_int32)`.
pub const OPUS_SET_COMPLEXITY_REQUEST: c_int = 4010;
/// `OPUS_GET_COMPLEXITY(opus_int32 *)`.
pub const OPUS_GET_COMPLEXITY_REQUEST: c_int = 4011;
/// `OPUS_SET_INBAND_FEC(opus_int32)`.
pub const OPUS_SET_INBAND_FEC_REQUEST: c_int = 4012;
/// `OPUS_SET_PACKET_LOSS_PERC(opus_int32)`.
pub const OPUS_SET_PACKET_LOSS_PERC_REQUEST: c_int = 4014;
/// `OPUS_GET_LOOKAHEAD(opus_int32 *)`.
pub const OPUS_GET_LOOKAHEAD_REQUEST: c_int = 4027;
/// `OPUS_RESET_STATE`.
pub const OPUS_RESET_STATE: c_int = 4028;
/// `OPUS_SET_GAIN(x)`: decoder output gain in Q8 dB (−32768..=32767), applied by libopus.
pub const OPUS_SET_GAIN_REQUEST: c_int = 4034;
/// `OPUS_GET_FINAL_RANGE(opus_uint32 *)`.
pub const OPUS_GET_FINAL_RANGE_REQUEST: c_int = 4031;

extern "C" {
    /// The library's version string, e.g. `libopus 1.3.1`.
    pub fn opus_get_version_string() -> *const c_char;
    /// A static message for an error code.
    pub fn opus_strerror(error: c_int) -> *const c_char;

    /// Allocates and initialises an encoder state.
    pub fn opus_encoder_create(
        fs: opus_int32,
        channels: c_int,
        application: c_int,
        error: *mut c_int,
    ) -> *mut OpusEncoder;
    /// Frees an encoder state.
    pub fn opus_encoder_destroy(st: *mut OpusEncoder);
    /// Encodes one frame of interleaved 16-bit PCM; returns the packet length or an error.
    pub fn opus_encode(
        st: *mut OpusEncoder,
        pcm: *const opus_int16,
        frame_size: c_int,
        data: *mut u8,
        max_data_bytes: opus_int32,
    ) -> opus_int32;
    /// Encodes one frame of interleaved float PCM (nominal range ±1).
    pub fn opus_encode_float(
        st: *mut OpusEncoder,
        pcm: *const f32,
        frame_size: c_int,
        data: *mut u8,
        max_data_bytes: opus_int32,
    ) -> opus_int32;
    /// Performs a CTL function on an encoder (variadic).
    pub fn opus_encoder_ctl(st: *mut OpusEncoder, request: c_int, ...) -> c_int;

    /// Allocates and initialises a decoder state.
    pub fn opus_decoder_create(
        fs: opus_int32,
        channels: c_int,
        error: *mut c_int,
    ) -> *mut OpusDecoder;
    /// Frees a decoder state.
    pub fn opus_decoder_destroy(st: *mut OpusDecoder);
    /// Decodes a packet (or conceals a lost one when `data` is null) into 16-bit PCM;
    /// returns samples per channel or an error.
    pub fn opus_decode(
        st: *mut OpusDecoder,
        data: *const u8,
        len: opus_int32,
        pcm: *mut opus_int16,
        frame_size: c_int,
        decode_fec: c_int,
    ) -> c_int;
    /// As `opus_decode`, into float PCM.
    pub fn opus_decode_float(
        st: *mut OpusDecoder,
        data: *const u8,
        len: opus_int32,
        pcm: *mut f32,
        frame_size: c_int,
        decode_fec: c_int,
    ) -> c_int;
    /// Performs a CTL function on a decoder (variadic).
    pub fn opus_decoder_ctl(st: *mut OpusDecoder, request: c_int, ...) -> c_int;

    /// The number of samples per channel of a packet at sample rate `fs`.
    pub fn opus_packet_get_nb_samples(packet: *const u8, len: opus_int32, fs: opus_int32) -> c_int;
    /// The number of channels of a packet.
    pub fn opus_packet_get_nb_channels(data: *const u8) -> c_int;
}
