//! The crate's one error type: the shared [`arsenal_core::Error`] shape plus the
//! position of the problem in the input.

use std::fmt;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A quoted field was still open at the end of the input. The position is the
    /// opening quote's. (The `csv` crate accepts this and ends the field at the end of
    /// the input; this crate reports it.)
    UnclosedQuote,
    /// A record has a different number of fields than the first record (the header
    /// row when there is one), and the reader is strict ([`ReaderBuilder::strict`]).
    /// The position is the start of the record.
    ///
    /// [`ReaderBuilder::strict`]: crate::ReaderBuilder::strict
    RaggedRow {
        /// The number of fields of the first record.
        expected: usize,
        /// The number of fields of this record.
        got: usize,
    },
    /// A field is not valid UTF-8 (a [`StringRecord`](crate::StringRecord) was asked
    /// for, or a string field was deserialised). The position is the start of the record.
    Utf8,
    /// Reading the input failed.
    Io(std::io::ErrorKind),
    /// A record could not be deserialised into the requested type (a number that does
    /// not parse, a missing field, …). The position is the start of the record.
    #[cfg(feature = "serde")]
    Deserialize,
    /// A record is longer (in bytes, between its first byte and its line end) than
    /// [`ReaderBuilder::max_record_bytes`](crate::ReaderBuilder::max_record_bytes).
    /// Fatal: the reader returns no further records. The position is the start of the
    /// record.
    RecordTooLarge,
    /// A record has more fields than
    /// [`ReaderBuilder::max_fields`](crate::ReaderBuilder::max_fields). The record is
    /// skipped. The position is the start of the record.
    TooManyFields,
    /// The buffer for a record could not be allocated.
    OutOfMemory,
    /// A setting is invalid: a delimiter that is a quote or a line end.
    InvalidArgument,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::UnclosedQuote => "unclosed quote",
            ErrorKind::RaggedRow { .. } => "record with a different number of fields",
            ErrorKind::Utf8 => "invalid UTF-8",
            ErrorKind::Io(_) => "I/O error",
            #[cfg(feature = "serde")]
            ErrorKind::Deserialize => "cannot deserialise record",
            ErrorKind::RecordTooLarge => "record larger than the limit",
            ErrorKind::TooManyFields => "more fields than the limit",
            ErrorKind::OutOfMemory => "out of memory",
            ErrorKind::InvalidArgument => "invalid argument",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Io(kind) => kind,
            ErrorKind::OutOfMemory => std::io::ErrorKind::OutOfMemory,
            ErrorKind::InvalidArgument => std::io::ErrorKind::InvalidInput,
            _ => std::io::ErrorKind::InvalidData,
        }
    }
}

/// Where in the input a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Position {
    /// 1-based line (lines end at `\n`; a lone `\r` ends a record but not a line).
    pub line: u64,
    /// 1-based byte column in that line (a UTF-8 byte-order mark at the start of the
    /// input is not counted).
    pub column: u64,
    /// 0-based byte offset in the input (the byte-order mark counted).
    pub byte: u64,
    /// 0-based index of the record (the header row is record 0 when there is one).
    pub record: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {} (byte {}, record {})",
            self.line, self.column, self.byte, self.record
        )
    }
}

/// An error from `arsenal-csv`: the shared [`arsenal_core::Error`] (kind, backend,
/// message) and, for problems in the input, their [`Position`].
///
/// `Send + Sync + 'static`; converts into [`std::io::Error`].
///
/// ```
/// use arsenal_csv::{ErrorKind, Reader};
///
/// let mut reader = Reader::from_slice(b"a,b\n1,\"2\n".as_slice());
/// let err = reader.byte_records().next().unwrap().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::UnclosedQuote);
/// assert_eq!((err.line(), err.column()), (Some(2), Some(3)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    inner: arsenal_core::Error<ErrorKind>,
    position: Option<Position>,
}

impl Error {
    /// A new error of `kind` reported by `backend`, without a position.
    #[cold]
    pub fn new(
        kind: ErrorKind,
        backend: &'static str,
        message: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Error {
        Error {
            inner: arsenal_core::Error::new(kind, backend, message),
            position: None,
        }
    }

    /// The same error at `position`.
    #[cold]
    #[must_use]
    pub fn at(mut self, position: Position) -> Error {
        self.position = Some(position);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind()
    }

    /// The backend that reported it (`"simd"`, `"scalar"`, or `"arsenal-csv"` for
    /// settings).
    pub fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    /// A description of the problem.
    pub fn message(&self) -> &str {
        self.inner.message()
    }

    /// Where the problem is, for problems in the input.
    pub fn position(&self) -> Option<Position> {
        self.position
    }

    /// The 1-based line of the problem.
    pub fn line(&self) -> Option<u64> {
        self.position.map(|p| p.line)
    }

    /// The 1-based byte column of the problem.
    pub fn column(&self) -> Option<u64> {
        self.position.map(|p| p.column)
    }

    /// The shared error shape (kind, backend, message), without the position.
    pub fn as_core(&self) -> &arsenal_core::Error<ErrorKind> {
        &self.inner
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.inner)?;
        if let Some(position) = self.position {
            write!(f, " at {position}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

impl From<Error> for std::io::Error {
    fn from(err: Error) -> std::io::Error {
        use arsenal_core::ErrorKind as _;
        std::io::Error::new(err.kind().io_kind(), err)
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The backend name of errors in the settings, before any backend runs.
pub(crate) const CHECKS: &str = "arsenal-csv";
