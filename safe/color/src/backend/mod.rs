//! One module per backend.

#[cfg(feature = "libyuv")]
pub(crate) mod libyuv;
pub(crate) mod native;
