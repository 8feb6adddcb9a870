//! The one error type of `arsenal-audio`.

/// What went wrong, independent of the codec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The encoded input is malformed (bad header, checksum mismatch, invalid packet,
    /// lost sync, a hole in an Ogg stream, ...).
    Corrupt,
    /// The encoded input ended before the stream did.
    Truncated,
    /// Decoding would produce more samples than the decoder's limit
    /// (`with_max_samples`); declared sizes never make us allocate past it.
    OutputLimit,
    /// An argument or setting is outside what the codec accepts (sample rate, channel
    /// count, bitrate, frame size, a PCM length that is not whole frames, ...).
    InvalidArgument,
    /// The stream uses something this crate does not handle (e.g. a chained Ogg stream
    /// whose links differ in format).
    Unsupported,
    /// The C library could not allocate memory.
    OutOfMemory,
    /// Any other failure reported by the C library.
    Other,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Corrupt => "corrupt input",
            ErrorKind::Truncated => "truncated input",
            ErrorKind::OutputLimit => "output limit exceeded",
            ErrorKind::InvalidArgument => "invalid argument",
            ErrorKind::Unsupported => "unsupported stream",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::Other => "library error",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Corrupt => std::io::ErrorKind::InvalidData,
            ErrorKind::Truncated => std::io::ErrorKind::UnexpectedEof,
            ErrorKind::InvalidArgument => std::io::ErrorKind::InvalidInput,
            ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            ErrorKind::OutOfMemory => std::io::ErrorKind::OutOfMemory,
            ErrorKind::OutputLimit | ErrorKind::Other => std::io::ErrorKind::Other,
        }
    }
}

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
