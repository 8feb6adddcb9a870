//! Micro-kernels: an `MR`×`NR` tile of `A * B` from one packed A sliver (`MR` rows, k
//! major) and one packed B sliver (`NR` columns, k major), accumulated in registers and
//! stored column-major into `ab`. One per element type and instruction set, chosen once
//! from the CPU's features: AVX-512 (two 512-bit vectors of A × 12 columns: 24
//! accumulators), AVX2 + FMA (two 256-bit vectors × 6 columns: 12 accumulators, the
//! 16-register budget), or portable scalar code (4×4).

use std::ops::{Add, Mul};
use std::sync::OnceLock;

/// A micro-kernel and its tile.
pub(crate) struct Micro<T> {
    /// Tile rows (the A sliver's height).
    pub mr: usize,
    /// Tile columns (the B sliver's width).
    pub nr: usize,
    /// The instruction set, for reports.
    pub name: &'static str,
    /// `ab[i + j * mr] = sum over p < kc of a[p * mr + i] * b[p * nr + j]`.
    ///
    /// # Safety
    /// `a` readable for `mr * kc` elements, `b` for `nr * kc`, `ab` writable for
    /// `mr * nr`; the CPU has the kernel's instruction set.
    pub kernel: unsafe fn(kc: usize, a: *const T, b: *const T, ab: *mut T),
}

/// The element types the native kernels handle (`f32`, `f64`).
pub(crate) trait Element:
    Copy + PartialEq + Default + Add<Output = Self> + Mul<Output = Self> + Send + Sync + 'static
{
    const ZERO: Self;
    const ONE: Self;
    /// The micro-kernel for this CPU.
    fn micro() -> &'static Micro<Self>;
}

/// The portable kernel: a 4×4 tile in plain arithmetic.
///
/// # Safety
/// As [`Micro::kernel`] with `mr = nr = 4`.
unsafe fn scalar_kernel<T: Element>(kc: usize, a: *const T, b: *const T, ab: *mut T) {
    const MR: usize = 4;
    const NR: usize = 4;
    // SAFETY: the caller provides `MR * kc` and `NR * kc` readable elements.
    let (a, b) = unsafe {
        (
            std::slice::from_raw_parts(a, MR * kc),
            std::slice::from_raw_parts(b, NR * kc),
        )
    };
    let mut acc = [[T::ZERO; MR]; NR];
    for p in 0..kc {
        let ap = &a[p * MR..][..MR];
        let bp = &b[p * NR..][..NR];
        for j in 0..NR {
            for i in 0..MR {
                acc[j][i] = acc[j][i] + ap[i] * bp[j];
            }
        }
    }
    for (j, col) in acc.iter().enumerate() {
        for (i, &v) in col.iter().enumerate() {
            // SAFETY: `i + j * MR < MR * NR`, within `ab`.
            unsafe { *ab.add(i + j * MR) = v };
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    /// A kernel of two vectors of A (`2 * LANES` rows) by `NR` columns.
    macro_rules! kernel {
        ($name:ident, $t:ty, $feature:literal, $lanes:expr, $nr:expr,
         $zero:ident, $load:ident, $splat:ident, $fma:ident, $store:ident) => {
            /// # Safety
            /// As `Micro::kernel` with `mr = 2 * lanes` and this `nr`; the CPU has the
            /// target feature.
            #[target_feature(enable = $feature)]
            pub(super) unsafe fn $name(kc: usize, a: *const $t, b: *const $t, ab: *mut $t) {
                const MR: usize = 2 * $lanes;
                const NR: usize = $nr;
                let mut lo = [$zero(); NR];
                let mut hi = [$zero(); NR];
                for p in 0..kc {
                    // SAFETY: `p < kc`: the A sliver holds `MR * kc` elements, the B
                    // sliver `NR * kc` (the caller's contract); unaligned loads.
                    unsafe {
                        let a0 = $load(a.add(p * MR));
                        let a1 = $load(a.add(p * MR + $lanes));
                        let bp = b.add(p * NR);
                        for j in 0..NR {
                            let bj = $splat(*bp.add(j));
                            lo[j] = $fma(a0, bj, lo[j]);
                            hi[j] = $fma(a1, bj, hi[j]);
                        }
                    }
                }
                for j in 0..NR {
                    // SAFETY: `ab` holds `MR * NR` elements; column j is `MR` of them.
                    unsafe {
                        $store(ab.add(j * MR), lo[j]);
                        $store(ab.add(j * MR + $lanes), hi[j]);
                    }
                }
            }
        };
    }

    kernel!(
        f64_avx512,
        f64,
        "avx512f",
        8,
        12,
        _mm512_setzero_pd,
        _mm512_loadu_pd,
        _mm512_set1_pd,
        _mm512_fmadd_pd,
        _mm512_storeu_pd
    );
    kernel!(
        f32_avx512,
        f32,
        "avx512f",
        16,
        12,
        _mm512_setzero_ps,
        _mm512_loadu_ps,
        _mm512_set1_ps,
        _mm512_fmadd_ps,
        _mm512_storeu_ps
    );
    kernel!(
        f64_avx2,
        f64,
        "avx2,fma",
        4,
        6,
        _mm256_setzero_pd,
        _mm256_loadu_pd,
        _mm256_set1_pd,
        _mm256_fmadd_pd,
        _mm256_storeu_pd
    );
    kernel!(
        f32_avx2,
        f32,
        "avx2,fma",
        8,
        6,
        _mm256_setzero_ps,
        _mm256_loadu_ps,
        _mm256_set1_ps,
        _mm256_fmadd_ps,
        _mm256_storeu_ps
    );
}

/// Which instruction set the kernels use on this CPU.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Isa {
    Avx512,
    Avx2,
    Scalar,
}

/// The widest kernel set this CPU runs (`ARSENAL_LINALG_ISA=avx2|scalar` narrows it, for
/// tests and the benchmark's per-kernel rows).
pub(crate) fn isa() -> Isa {
    static ISA: OnceLock<Isa> = OnceLock::new();
    *ISA.get_or_init(|| {
        let widest = best_isa();
        match std::env::var("ARSENAL_LINALG_ISA").as_deref() {
            Ok("scalar") => Isa::Scalar,
            Ok("avx2") if widest != Isa::Scalar => Isa::Avx2,
            _ => widest,
        }
    })
}

fn best_isa() -> Isa {
    #[cfg(target_arch = "x86_64")]
    {
        let cpu = arsenal_core::cpu::features();
        if cpu.avx512f {
            return Isa::Avx512;
        }
        if cpu.avx2 && cpu.fma {
            return Isa::Avx2;
        }
    }
    Isa::Scalar
}

/// The kernel for `isa` and `T` (one of each per element type, built once).
macro_rules! micro_table {
    ($t:ty, $avx512:ident, $avx2:ident, $lanes512:expr, $lanes256:expr) => {
        impl Element for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            fn micro() -> &'static Micro<$t> {
                static SCALAR: Micro<$t> = Micro {
                    mr: 4,
                    nr: 4,
                    name: "scalar",
                    kernel: scalar_kernel::<$t>,
                };
                #[cfg(target_arch = "x86_64")]
                static AVX512: Micro<$t> = Micro {
                    mr: 2 * $lanes512,
                    nr: 12,
                    name: "avx512",
                    kernel: x86::$avx512,
                };
                #[cfg(target_arch = "x86_64")]
                static AVX2: Micro<$t> = Micro {
                    mr: 2 * $lanes256,
                    nr: 6,
                    name: "avx2",
                    kernel: x86::$avx2,
                };
                match isa() {
                    #[cfg(target_arch = "x86_64")]
                    Isa::Avx512 => &AVX512,
                    #[cfg(target_arch = "x86_64")]
                    Isa::Avx2 => &AVX2,
                    _ => &SCALAR,
                }
            }
        }
    };
}

micro_table!(f64, f64_avx512, f64_avx2, 8, 4);
micro_table!(f32, f32_avx512, f32_avx2, 16, 8);
