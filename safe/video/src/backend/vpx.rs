//! libvpx 1.12 (the WebM project's VP9 codec library, Debian's `libvpx-dev`) through
//! `arsenal-vpx-sys`'s shim, by the decoder shared with the other library of the
//! libvpx family (`backend/vpx_family.rs`). libvpx reuses its output buffers on the next
//! call, so each [`Frame`] is a copy.

super::vpx_family::vpx_family_decoder! {
    /// A VP9 decoder over libvpx (version string e.g. `v1.12.0`).
    ///
    /// ```
    /// use arsenal_video::{VpxDecoder, Decoder, Settings};
    /// let mut decoder = VpxDecoder::new(&Settings::new())?;
    /// assert!(decoder.send(b"not vp9 at all", None).is_err());
    /// # Ok::<(), arsenal_video::Error>(())
    /// ```
    decoder: VpxDecoder,
    ffi: arsenal_vpx_sys,
    name: "vpx",
    codec: Codec::Vp9,
    backend: Backend::Vpx,
    fns: {
        version: arsenal_vpx_version,
        open: arsenal_vpx_dec_open,
        error: arsenal_vpx_dec_error,
        decode: arsenal_vpx_dec_decode,
        next: arsenal_vpx_dec_next,
        close: arsenal_vpx_dec_close,
    },
    types: { decoder: arsenal_vpx_decoder, image: arsenal_vpx_image },
    codes: {
        error: VPX_CODEC_ERROR,
        mem: VPX_CODEC_MEM_ERROR,
        incapable: VPX_CODEC_INCAPABLE,
        unsup_bitstream: VPX_CODEC_UNSUP_BITSTREAM,
        unsup_feature: VPX_CODEC_UNSUP_FEATURE,
        corrupt: VPX_CODEC_CORRUPT_FRAME,
        invalid: VPX_CODEC_INVALID_PARAM,
    },
    messages: { init: "vpx_codec_dec_init", decode: "vpx_codec_decode" },
}
