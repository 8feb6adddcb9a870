//! The crate's one error type.

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An AEAD tag or a MAC did not verify: the data was altered, or the key, nonce or
    /// associated data differ from the sealing side. Nothing of the plaintext is returned.
    Authentication,
    /// A signature did not verify (wrong key or message, malformed or non-canonical
    /// encoding).
    Signature,
    /// A key has the wrong length.
    KeyLength,
    /// A nonce has the wrong length.
    NonceLength,
    /// An input or output length is out of range (ciphertext shorter than the tag, message
    /// longer than the algorithm or the C library allows, HKDF output over 255 blocks,
    /// a ciphertext or signature of the wrong size).
    Length,
    /// A public key or shared point is invalid: a low-order X25519 point (all-zero shared
    /// secret), an ML-KEM encapsulation key that fails the modulus check, an unparsable
    /// public key.
    InvalidKey,
    /// A parameter is out of range (Argon2 limits, an ML-DSA context over 255 bytes).
    Parameter,
    /// The backend is not compiled in or does not implement this algorithm.
    Unsupported,
    /// The backend's random generator failed.
    Random,
    /// The C library reported a failure not covered above (out of memory, internal error).
    Library,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Authentication => "authentication failed",
            ErrorKind::Signature => "signature verification failed",
            ErrorKind::KeyLength => "wrong key length",
            ErrorKind::NonceLength => "wrong nonce length",
            ErrorKind::Length => "length out of range",
            ErrorKind::InvalidKey => "invalid public key",
            ErrorKind::Parameter => "parameter out of range",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Random => "random generator failed",
            ErrorKind::Library => "library failure",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Unsupported => std::io::ErrorKind::Unsupported,
            ErrorKind::Random | ErrorKind::Library => std::io::ErrorKind::Other,
            _ => std::io::ErrorKind::InvalidData,
        }
    }
}

/// An error from `arsenal-crypto`: a kind, the backend it came from and a message (the
/// shared [`arsenal_core::Error`] shape). Messages never contain key material.
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The backend name of the checks made before any backend runs.
pub(crate) const CHECKS: &str = "arsenal-crypto";

/// An error of kind `kind` raised by the crate's own checks.
pub(crate) fn check_error(
    kind: ErrorKind,
    message: impl Into<std::borrow::Cow<'static, str>>,
) -> Error {
    Error::new(kind, CHECKS, message)
}
