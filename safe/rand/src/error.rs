//! The crate's one error type.

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The generator cannot run here: the CPU lacks RDRAND/RDSEED (or this is not
    /// x86-64), the instruction is broken (one constant value), or a ChaCha kernel needs
    /// an instruction set this CPU lacks.
    Unsupported,
    /// RDRAND or RDSEED returned no value after every retry (RDSEED: the entropy source
    /// is drained; RDRAND: Intel calls this a hardware problem).
    Exhausted,
    /// A seed where none is taken (a hardware source) or none where one is needed.
    Seed,
    /// The all-zero state asked of xoshiro, which it never leaves.
    ZeroState,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Exhausted => "no random value after every retry",
            ErrorKind::Seed => "wrong seeding",
            ErrorKind::ZeroState => "all-zero state",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            ErrorKind::Exhausted => std::io::ErrorKind::WouldBlock,
            ErrorKind::Seed | ErrorKind::ZeroState => std::io::ErrorKind::InvalidInput,
        }
    }
}

/// An error from `arsenal-rand`: a kind, the backend it came from and a message (the
/// shared [`arsenal_core::Error`] shape). It implements `core::error::Error`, so it is
/// the `Error` of the fallible generators' [`rand_core::TryRng`].
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
