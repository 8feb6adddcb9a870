//! Raw FFI to libvorbisfile (decoding) and libvorbis's version string, declared by hand,
//! plus our C shim (`shim/arsenal_vorbis.c`): `sizeof(OggVorbis_File)` and an in-memory
//! Ogg Vorbis encoder over libvorbisenc. The libraries are found by `build.rs` (Debian's
//! `libvorbis-dev`, `libogg-dev`). No logic lives here.
#![no_std]
#![allow(non_camel_case_types)]

use core::ffi::{c_char, c_int, c_long, c_void};

/// `ogg_int64_t`.
pub type ogg_int64_t = i64;

/// A decoder handle (opaque here: allocate [`arsenal_ov_sizeof`] bytes, 8-aligned).
#[repr(C)]
#[derive(Debug)]
pub struct OggVorbis_File {
    _opaque: [u8; 0],
}

/// Stream parameters (`vorbis_info`, codec.h).
#[repr(C)]
#[derive(Debug)]
pub struct vorbis_info {
    /// Vorbis version.
    pub version: c_int,
    /// Channel count.
    pub channels: c_int,
    /// Sample rate in Hz.
    pub rate: c_long,
    /// Upper bitrate bound (hint).
    pub bitrate_upper: c_long,
    /// Nominal bitrate (hint).
    pub bitrate_nominal: c_long,
    /// Lower bitrate bound (hint).
    pub bitrate_lower: c_long,
    /// Bitrate window (unused).
    pub bitrate_window: c_long,
    /// Private codec setup.
    pub codec_setup: *mut c_void,
}

/// The I/O callbacks of `ov_open_callbacks` (`ov_callbacks`, vorbisfile.h).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ov_callbacks {
    /// `fread`-like: copies up to `size * nmemb` bytes, returns items read.
    pub read_func: Option<
        unsafe extern "C" fn(
            ptr: *mut c_void,
            size: usize,
            nmemb: usize,
            source: *mut c_void,
        ) -> usize,
    >,
    /// `fseek`-like; `None` makes the stream unseekable.
    pub seek_func: Option<
        unsafe extern "C" fn(source: *mut c_void, offset: ogg_int64_t, whence: c_int) -> c_int,
    >,
    /// `fclose`-like; may be `None`.
    pub close_func: Option<unsafe extern "C" fn(source: *mut c_void) -> c_int>,
    /// `ftell`-like; may be `None` when `seek_func` is.
    pub tell_func: Option<unsafe extern "C" fn(source: *mut c_void) -> c_long>,
}

/// Not true, or no data available.
pub const OV_FALSE: c_int = -1;
/// End of file.
pub const OV_EOF: c_int = -2;
/// A hole in the data (lost or corrupt pages).
pub const OV_HOLE: c_int = -3;
/// A read from the media failed.
pub const OV_EREAD: c_int = -128;
/// Internal logic fault (a bug or heap corruption).
pub const OV_EFAULT: c_int = -129;
/// Feature not implemented.
pub const OV_EIMPL: c_int = -130;
/// Invalid argument.
pub const OV_EINVAL: c_int = -131;
/// Not Vorbis data.
pub const OV_ENOTVORBIS: c_int = -132;
/// Invalid Vorbis header.
pub const OV_EBADHEADER: c_int = -133;
/// Unsupported Vorbis version.
pub const OV_EVERSION: c_int = -134;
/// Not an audio packet.
pub const OV_ENOTAUDIO: c_int = -135;
/// Invalid packet.
pub const OV_EBADPACKET: c_int = -136;
/// Invalid stream section or corrupt link.
pub const OV_EBADLINK: c_int = -137;
/// The stream is not seekable.
pub const OV_ENOSEEK: c_int = -138;
/// Our shim's out-of-memory code.
pub const ARSENAL_VORBIS_ENOMEM: c_int = -1000;

extern "C" {
    /// libvorbis's version string, e.g. `Xiph.Org libVorbis 1.3.7`.
    pub fn vorbis_version_string() -> *const c_char;

    /// Opens a stream through callbacks; 0 on success, else an `OV_E*` code (then `vf`
    /// needs no `ov_clear`).
    pub fn ov_open_callbacks(
        datasource: *mut c_void,
        vf: *mut OggVorbis_File,
        initial: *const c_char,
        ibytes: c_long,
        callbacks: ov_callbacks,
    ) -> c_int;
    /// Frees what an opened `vf` holds (not `vf` itself).
    pub fn ov_clear(vf: *mut OggVorbis_File) -> c_int;
    /// The parameters of logical stream `link` (-1: the current one).
    pub fn ov_info(vf: *mut OggVorbis_File, link: c_int) -> *mut vorbis_info;
    /// Number of logical streams.
    pub fn ov_streams(vf: *mut OggVorbis_File) -> c_long;
    /// Total PCM samples (per channel) of `link` (-1: all), or `OV_EINVAL`.
    pub fn ov_pcm_total(vf: *mut OggVorbis_File, link: c_int) -> ogg_int64_t;
    /// Decodes into interleaved integer PCM; bytes written, 0 at end, or `OV_HOLE`,
    /// `OV_EBADLINK`, `OV_EINVAL`.
    pub fn ov_read(
        vf: *mut OggVorbis_File,
        buffer: *mut c_char,
        length: c_int,
        bigendianp: c_int,
        word: c_int,
        sgned: c_int,
        bitstream: *mut c_int,
    ) -> c_long;
    /// Decodes into planar float PCM owned by the decoder; samples per channel, 0 at end,
    /// or a negative code.
    pub fn ov_read_float(
        vf: *mut OggVorbis_File,
        pcm_channels: *mut *mut *mut f32,
        samples: c_int,
        bitstream: *mut c_int,
    ) -> c_long;

    /// Our shim: `sizeof(OggVorbis_File)`.
    pub fn arsenal_ov_sizeof() -> usize;
    /// Our shim: encodes interleaved float PCM into one Ogg Vorbis stream (see
    /// `shim/arsenal_vorbis.c`); free `*out` with [`arsenal_vorbis_free`].
    pub fn arsenal_vorbis_encode(
        pcm: *const f32,
        frames: c_long,
        channels: c_int,
        rate: c_long,
        quality: f32,
        serial: c_int,
        out: *mut *mut u8,
        out_len: *mut usize,
    ) -> c_int;
    /// Our shim: frees a buffer from [`arsenal_vorbis_encode`].
    pub fn arsenal_vorbis_free(data: *mut u8);
}
