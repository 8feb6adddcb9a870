//! One module per C library, each implementing the [`crate::provider`] traits for its
//! marker type.

#[cfg(feature = "aws-lc")]
mod aws_lc;
#[cfg(feature = "blake3")]
mod blake3;
#[cfg(feature = "boringssl")]
mod boringssl;
#[cfg(any(feature = "boringssl", feature = "aws-lc"))]
mod boringssl_family;
#[cfg(feature = "liboqs")]
mod liboqs;
#[cfg(feature = "libsodium")]
mod libsodium;
