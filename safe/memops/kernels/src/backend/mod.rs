//! One module per backend (instruction set); each provides `copy`, `move_`, `copy_nt`,
//! `copy_stream`, `set`, `set_stream`, `compare` and `find` over raw pointers with the same contracts.

pub mod scalar;

#[cfg(target_arch = "x86_64")]
pub mod avx2;
#[cfg(target_arch = "x86_64")]
pub mod avx512;
#[cfg(target_arch = "x86_64")]
pub mod sse2;
