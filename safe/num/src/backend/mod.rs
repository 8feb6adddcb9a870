//! The backends, one file each.

#[cfg(feature = "libdivide")]
pub(crate) mod libdivide;
pub(crate) mod native;
#[cfg(feature = "sleef")]
pub(crate) mod sleef;
pub(crate) mod std;
