//! The one error type of `arsenal-video`.

/// What went wrong, independent of the codec: the kinds every codec crate shares
/// ([`arsenal_core::CodecErrorKind`]). Here: `OutputLimit` is a picture over
/// [`Settings::max_pixels`](crate::Settings::max_pixels); `Unsupported` includes a pixel
/// format other than planar YUV.
pub use arsenal_core::CodecErrorKind as ErrorKind;

/// A decoding failure: the [`ErrorKind`], the backend that reported it (`"dav1d"`,
/// `"aom"`, `"vpx"`, `"avcodec"`, or `"container"` for our own container parsing and
/// checks), the C library's own message and its numeric code when it has one (the
/// shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync_static_and_displays_everything() {
        fn assert_bounds<T: Send + Sync + 'static + std::error::Error>() {}
        assert_bounds::<Error>();
        let err = Error::new(ErrorKind::Corrupt, "dav1d", "invalid OBU").with_code(0);
        assert_eq!(
            err.to_string(),
            "dav1d: corrupt input: invalid OBU (code 0)"
        );
        assert_eq!(err.kind(), ErrorKind::Corrupt);
        assert_eq!(err.backend(), "dav1d");
        assert_eq!(err.code(), Some(0));
        let io: std::io::Error = err.into();
        assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
    }
}
