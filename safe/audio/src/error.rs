//! The one error type of `arsenal-audio`.

/// What went wrong, independent of the codec: the kinds every codec crate shares
/// ([`arsenal_core::CodecErrorKind`]). Here: `Corrupt` covers lost sync and holes in
/// Ogg streams; `OutputLimit` is a decoder's `with_max_samples`; `Unsupported` e.g. a
/// chained Ogg stream whose links differ in format, or multichannel Ogg Opus.
pub use arsenal_core::CodecErrorKind as ErrorKind;

/// An encoding or decoding failure: the [`ErrorKind`], the backend that reported it
/// (`"flac"`, `"opus"`, `"vorbis"`), the C library's own message (copied at failure
/// time) and its numeric code when it has one (the shared [`arsenal_core::Error`] shape).
/// Switching backend never changes this type.
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
        let err = Error::new(ErrorKind::Corrupt, "flac", "lost sync").with_code(0);
        assert_eq!(err.to_string(), "flac: corrupt input: lost sync (code 0)");
        assert_eq!(err.kind(), ErrorKind::Corrupt);
        assert_eq!(err.backend(), "flac");
        assert_eq!(err.code(), Some(0));
        let io: std::io::Error = err.into();
        assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
    }
}
