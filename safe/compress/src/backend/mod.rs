//! One module per backend, each behind the cargo feature of the same name.

#[cfg(feature = "brotli")]
pub mod brotli;
#[cfg(feature = "isal")]
pub mod isal;
#[cfg(feature = "libdeflate")]
pub mod libdeflate;
#[cfg(feature = "lz4")]
pub mod lz4;
#[cfg(feature = "snappy")]
pub mod snappy;
#[cfg(feature = "zstd")]
pub mod zstd;
