//! The C backends.
#[cfg(feature = "igraph")]
pub mod igraph;
