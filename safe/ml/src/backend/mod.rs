//! The C backends of [`crate::BlockKernels`].

#[cfg(feature = "ggml")]
pub(crate) mod ggml;
