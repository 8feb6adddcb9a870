//! libaom 3.6 (AOMedia's AV1 reference codec library, Debian's `libaom-dev`) through
//! `arsenal-aom-sys`'s shim, by the decoder shared with the other library of the
//! libvpx family (`backend/vpx_family.rs`). libaom reuses its output buffers on the next
//! call, so each [`Frame`] is a copy.

super::vpx_family::vpx_family_decoder! {
    /// An AV1 decoder over libaom (version string e.g. `3.6.0`).
    ///
    /// ```
    /// use arsenal_video::{AomDecoder, Decoder, Settings};
    /// let mut decoder = AomDecoder::new(&Settings::new())?;
    /// assert!(decoder.send(b"not av1 at all", None).is_err());
    /// # Ok::<(), arsenal_video::Error>(())
    /// ```
    decoder: AomDecoder,
    ffi: arsenal_aom_sys,
    name: "aom",
    codec: Codec::Av1,
    backend: Backend::Aom,
    fns: {
        version: arsenal_aom_version,
        open: arsenal_aom_dec_open,
        error: arsenal_aom_dec_error,
        decode: arsenal_aom_dec_decode,
        next: arsenal_aom_dec_next,
        close: arsenal_aom_dec_close,
    },
    types: { decoder: arsenal_aom_decoder, image: arsenal_aom_image },
    codes: {
        error: AOM_CODEC_ERROR,
        mem: AOM_CODEC_MEM_ERROR,
        incapable: AOM_CODEC_INCAPABLE,
        unsup_bitstream: AOM_CODEC_UNSUP_BITSTREAM,
        unsup_feature: AOM_CODEC_UNSUP_FEATURE,
        corrupt: AOM_CODEC_CORRUPT_FRAME,
        invalid: AOM_CODEC_INVALID_PARAM,
    },
    messages: { init: "aom_codec_dec_init", decode: "aom_codec_decode" },
}
