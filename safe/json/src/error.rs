//! The one error type of `arsenal-json`, whatever the backend.

use std::borrow::Cow;
use std::fmt;

/// What went wrong, independent of the backend that reported it.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The input is not JSON: unexpected character, missing comma, trailing content...
    Syntax,
    /// The input ended in the middle of a value.
    Truncated,
    /// The input is empty or only whitespace.
    Empty,
    /// Invalid UTF-8 in the input, or an invalid escape / surrogate in a string.
    Encoding,
    /// A number the backend cannot represent (e.g. `1e400`, or an integer beyond
    /// `u64` for simdjson).
    Number,
    /// Nesting deeper than [`ParseOptions::max_depth`](crate::ParseOptions::max_depth)
    /// (or the recursion limit of a recursive consumer such as the serde bridge).
    Depth,
    /// Input larger than [`ParseOptions::max_input_len`](crate::ParseOptions::max_input_len)
    /// or than the backend supports.
    TooLarge,
    /// The C library could not allocate memory.
    OutOfMemory,
    /// A value had another type than the one asked for (serde bridge).
    Type,
    /// A message from a serde `Deserialize` implementation.
    Custom,
    /// The [`Backend`](crate::Backend) asked for at run time is not available in this
    /// build: its cargo feature is off (see [`Backend::available`](crate::Backend::available)).
    Unavailable,
    /// Any other failure reported by the C library.
    Other,
}

impl ErrorKind {
    fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Truncated => "truncated input",
            ErrorKind::Empty => "empty input",
            ErrorKind::Encoding => "encoding error",
            ErrorKind::Number => "number out of range",
            ErrorKind::Depth => "nesting too deep",
            ErrorKind::TooLarge => "input too large",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::Type => "type mismatch",
            ErrorKind::Custom => "deserialization error",
            ErrorKind::Unavailable => "backend not available in this build",
            ErrorKind::Other => "error",
        }
    }
}

/// A JSON parsing or conversion error.
///
/// Carries the [`ErrorKind`], the backend that reported it, the C library's own message
/// (copied at failure time) and, where the backend reports it, the byte offset in the
/// input. Switching backend never changes this type.
///
/// ```
/// # #[cfg(feature = "yyjson")] {
/// let err = arsenal_json::parse_with::<arsenal_json::Yyjson>(b"[1, 2").unwrap_err();
/// assert_eq!(err.kind(), arsenal_json::ErrorKind::Truncated);
/// assert_eq!(err.backend(), "yyjson");
/// assert!(err.offset().is_some());
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    backend: &'static str,
    message: Cow<'static, str>,
    offset: Option<usize>,
    code: Option<i64>,
}

impl Error {
    /// Builds an error; used by backends and by the serde bridge.
    pub(crate) fn new(
        kind: ErrorKind,
        backend: &'static str,
        message: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error {
            kind,
            backend,
            message: message.into(),
            offset: None,
            code: None,
        }
    }

    #[cfg_attr(not(feature = "yyjson"), allow(dead_code))] // only yyjson reports offsets
    pub(crate) fn with_offset(mut self, offset: usize) -> Self {
        self.offset = Some(offset);
        self
    }

    pub(crate) fn with_code(mut self, code: i64) -> Self {
        self.code = Some(code);
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The backend that reported it (`"simdjson"`, `"yyjson"`, or `"serde"` for the
    /// serde bridge); for [`ErrorKind::Unavailable`], the backend that was asked for.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// The C library's (or serde's) own message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Byte offset in the input where the error was detected, when the backend reports
    /// one (yyjson does; simdjson's DOM parser does not).
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// The C library's numeric error code, when it has one.
    pub fn code(&self) -> Option<i64> {
        self.code
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.backend, self.kind.as_str())?;
        if let Some(offset) = self.offset {
            write!(f, " at byte {offset}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(err: Error) -> Self {
        let kind = match err.kind {
            ErrorKind::OutOfMemory => std::io::ErrorKind::OutOfMemory,
            ErrorKind::Truncated => std::io::ErrorKind::UnexpectedEof,
            ErrorKind::Unavailable => std::io::ErrorKind::Unsupported,
            _ => std::io::ErrorKind::InvalidData,
        };
        std::io::Error::new(kind, err)
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(ErrorKind::Custom, "serde", msg.to_string())
    }

    fn invalid_type(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        Error::new(
            ErrorKind::Type,
            "serde",
            format!("invalid type: {unexp}, expected {exp}"),
        )
    }
}

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_backend_kind_offset_and_message() {
        let e = Error::new(ErrorKind::Syntax, "yyjson", "unexpected character").with_offset(7);
        assert_eq!(
            e.to_string(),
            "yyjson: syntax error at byte 7: unexpected character"
        );
        let io: std::io::Error = e.clone().into();
        assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
    }

    #[test]
    fn error_is_send_sync_static() {
        fn check<T: Send + Sync + 'static + std::error::Error>() {}
        check::<Error>();
    }
}
