//! Links OpenBLAS (Debian's `libopenblas-dev`, found by `build.rs` through
//! `arsenal-build`). It declares no functions on purpose: BLIS and OpenBLAS export the
//! same CBLAS names (`cblas_dgemm`, …), so a binary with both would bind each name to
//! whichever library the linker saw first. `arsenal-linalg` looks OpenBLAS's functions
//! up in OpenBLAS's own shared object ([`SONAME`]) with `dlsym` instead.
#![no_std]

/// The shared object to `dlopen` (Debian's alternatives link to the pthreads build).
pub const SONAME: &core::ffi::CStr = c"libopenblas.so.0";
