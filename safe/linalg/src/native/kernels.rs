//! Micro-kernels: an `MR`×`NR` tile of `A * B` from one packed A sliver (`MR` rows, k
//! major) and one packed B sliver (`NR` columns, k major), accumulated in registers and
//! written straight into a column-major tile of C as `alpha * AB + beta * C`. One per element type and instruction set, chosen once
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
    /// `c[i + j * ldc] = alpha * ab(i, j) + beta * c[i + j * ldc]` for `i < mr`, `j < nr`,
    /// where `ab(i, j)` is the sum over `p < kc` of `a[p * mr + i] * b[p * nr + j]`;
    /// with `beta == 0` C is not read (its NaNs do not propagate).
    ///
    /// # Safety
    /// `a` readable for `mr * kc` elements, `b` for `nr * kc`; `c` readable and writable
    /// at every `i + j * ldc` above; the CPU has the kernel's instruction set.
    pub kernel: Kernel<T>,
}

/// The micro-kernel signature (see [`Micro::kernel`]).
pub(crate) type Kernel<T> =
    unsafe fn(kc: usize, a: *const T, b: *const T, c: *mut T, ldc: usize, alpha: T, beta: T);

/// One element of a C tile as the kernels write it: `alpha * acc + beta * old` (`beta == 0`: no
/// read). Shared by the scalar kernel.
#[inline(always)]
fn combine<T: Element>(acc: T, old: impl FnOnce() -> T, alpha: T, beta: T) -> T {
    if beta == T::ZERO {
        alpha * acc
    } else {
        alpha * acc + beta * old()
    }
}

/// The element types the native kernels handle (`f32`, `f64`).
pub(crate) trait Element:
    Copy + PartialEq + Default + Add<Output = Self> + Mul<Output = Self> + Send + Sync + 'static
{
    const ZERO: Self;
    const ONE: Self;
    /// The micro-kernel for this CPU.
    fn micro() -> &'static Micro<Self>;
    /// `R` dot products of equally long rows with `x` (GEMV's inner loop), in the widest
    /// vectors the CPU has ([`isa`]).
    fn dots<const R: usize>(rows: [&[Self]; R], x: &[Self]) -> [Self; R];
}

/// `R` dot products of equally long rows with `x` (GEMV's inner loop): the portable
/// body, four independent lanes per row summed pairwise at the end.
fn dots_scalar<T: Element, const R: usize>(rows: [&[T]; R], x: &[T]) -> [T; R] {
    const L: usize = 4;
    let n = x.len();
    let rows = rows.map(|r| &r[..n]);
    let mut out = [T::ZERO; R];
    for (row, o) in rows.iter().zip(out.iter_mut()) {
        let mut acc = [T::ZERO; L];
        for (rc, xs) in row.chunks_exact(L).zip(x.chunks_exact(L)) {
            for l in 0..L {
                acc[l] = acc[l] + rc[l] * xs[l];
            }
        }
        let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
        for j in n - n % L..n {
            s = s + row[j] * x[j];
        }
        *o = s;
    }
    out
}

/// The portable kernel: a 4×4 tile in plain arithmetic.
///
/// # Safety
/// As [`Micro::kernel`] with `mr = nr = 4`.
unsafe fn scalar_kernel<T: Element>(
    kc: usize,
    a: *const T,
    b: *const T,
    c: *mut T,
    ldc: usize,
    alpha: T,
    beta: T,
) {
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
            // SAFETY: `i < MR`, `j < NR`: an element of the tile the caller provides.
            unsafe {
                let cij = c.add(i + j * ldc);
                *cij = combine(v, || *cij, alpha, beta);
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::*;

    /// A kernel of `V` vectors of A (`V * LANES` rows) by `NR` columns: `V * NR`
    /// accumulators.
    macro_rules! kernel {
        ($name:ident, $t:ty, $feature:literal, $lanes:expr, $v:expr, $nr:expr,
         $zero:ident, $load:ident, $splat:ident, $fma:ident, $mul:ident, $store:ident) => {
            /// # Safety
            /// As `Micro::kernel` with `mr = v * lanes` and this `nr`; the CPU has the
            /// target feature.
            #[target_feature(enable = $feature)]
            pub(super) unsafe fn $name(
                kc: usize,
                a: *const $t,
                b: *const $t,
                c: *mut $t,
                ldc: usize,
                alpha: $t,
                beta: $t,
            ) {
                const V: usize = $v;
                const MR: usize = V * $lanes;
                const NR: usize = $nr;
                for j in 0..NR {
                    // SAFETY: a prefetch is a hint and never faults; the addresses are
                    // the first and last element of tile column j (inside the tile).
                    unsafe {
                        _mm_prefetch::<_MM_HINT_T0>(c.add(j * ldc).cast());
                        _mm_prefetch::<_MM_HINT_T0>(c.add(j * ldc + MR - 1).cast());
                    }
                }
                let mut acc = [[$zero(); V]; NR];
                // One k step: `V` loads of A, `NR` broadcasts of B, `V * NR` FMAs.
                let step = |acc: &mut [[_; V]; NR], p: usize| {
                    // SAFETY: `p < kc`: the A sliver holds `MR * kc` elements, the B
                    // sliver `NR * kc` (the caller's contract); unaligned loads.
                    unsafe {
                        let ap = a.add(p * MR);
                        let av: [_; V] = std::array::from_fn(|v| $load(ap.add(v * $lanes)));
                        let bp = b.add(p * NR);
                        for (j, col) in acc.iter_mut().enumerate() {
                            let bj = $splat(*bp.add(j));
                            for (x, &ai) in col.iter_mut().zip(&av) {
                                *x = $fma(ai, bj, *x);
                            }
                        }
                    }
                };
                // Four steps per iteration (less loop overhead in the front end).
                let mut p = 0;
                while p + 4 <= kc {
                    step(&mut acc, p);
                    step(&mut acc, p + 1);
                    step(&mut acc, p + 2);
                    step(&mut acc, p + 3);
                    p += 4;
                }
                while p < kc {
                    step(&mut acc, p);
                    p += 1;
                }
                let va = $splat(alpha);
                for (j, col) in acc.iter().enumerate() {
                    for (v, &x) in col.iter().enumerate() {
                        // SAFETY: column j of the tile is `MR` elements from
                        // `c + j * ldc` (the caller's contract); unaligned loads and
                        // stores; beta = 0 does not read C.
                        unsafe {
                            let cv = c.add(j * ldc + v * $lanes);
                            let ab = $mul(va, x);
                            if beta == 0.0 {
                                $store(cv, ab);
                            } else {
                                $store(cv, $fma($splat(beta), $load(cv), ab));
                            }
                        }
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
        2,
        12,
        _mm512_setzero_pd,
        _mm512_loadu_pd,
        _mm512_set1_pd,
        _mm512_fmadd_pd,
        _mm512_mul_pd,
        _mm512_storeu_pd
    );
    kernel!(
        f32_avx512,
        f32,
        "avx512f",
        16,
        2,
        12,
        _mm512_setzero_ps,
        _mm512_loadu_ps,
        _mm512_set1_ps,
        _mm512_fmadd_ps,
        _mm512_mul_ps,
        _mm512_storeu_ps
    );
    kernel!(
        f64_avx2,
        f64,
        "avx2,fma",
        4,
        2,
        6,
        _mm256_setzero_pd,
        _mm256_loadu_pd,
        _mm256_set1_pd,
        _mm256_fmadd_pd,
        _mm256_mul_pd,
        _mm256_storeu_pd
    );
    kernel!(
        f32_avx2,
        f32,
        "avx2,fma",
        8,
        2,
        6,
        _mm256_setzero_ps,
        _mm256_loadu_ps,
        _mm256_set1_ps,
        _mm256_fmadd_ps,
        _mm256_mul_ps,
        _mm256_storeu_ps
    );

    /// `R` dot products with `x` over `n` elements: two vectors per row and step.
    macro_rules! dots {
        ($name:ident, $t:ty, $feature:literal, $lanes:expr,
         $zero:ident, $load:ident, $fma:ident, $add:ident, $store:ident) => {
            /// # Safety
            /// Every row and `x` readable for `n` elements; the CPU has the target
            /// feature.
            #[target_feature(enable = $feature)]
            pub(super) unsafe fn $name<const R: usize>(
                rows: [*const $t; R],
                x: *const $t,
                n: usize,
            ) -> [$t; R] {
                const LANES: usize = $lanes;
                let mut acc0 = [$zero(); R];
                let mut acc1 = [$zero(); R];
                let mut j = 0;
                while j + 2 * LANES <= n {
                    // SAFETY: `j + 2 * LANES <= n`: in bounds of x and every row.
                    unsafe {
                        let x0 = $load(x.add(j));
                        let x1 = $load(x.add(j + LANES));
                        for r in 0..R {
                            acc0[r] = $fma($load(rows[r].add(j)), x0, acc0[r]);
                            acc1[r] = $fma($load(rows[r].add(j + LANES)), x1, acc1[r]);
                        }
                    }
                    j += 2 * LANES;
                }
                let mut out = [0.0; R];
                for r in 0..R {
                    let mut lanes = [0.0; LANES];
                    // SAFETY: a full-vector store into a `LANES`-element array.
                    unsafe { $store(lanes.as_mut_ptr(), $add(acc0[r], acc1[r])) };
                    let mut s: $t = lanes.iter().sum();
                    for jj in j..n {
                        // SAFETY: `jj < n`.
                        s = unsafe { (*rows[r].add(jj)).mul_add(*x.add(jj), s) };
                    }
                    out[r] = s;
                }
                out
            }
        };
    }

    dots!(
        dots_f64_avx512,
        f64,
        "avx512f",
        8,
        _mm512_setzero_pd,
        _mm512_loadu_pd,
        _mm512_fmadd_pd,
        _mm512_add_pd,
        _mm512_storeu_pd
    );
    dots!(
        dots_f32_avx512,
        f32,
        "avx512f",
        16,
        _mm512_setzero_ps,
        _mm512_loadu_ps,
        _mm512_fmadd_ps,
        _mm512_add_ps,
        _mm512_storeu_ps
    );
    dots!(
        dots_f64_avx2,
        f64,
        "avx2,fma",
        4,
        _mm256_setzero_pd,
        _mm256_loadu_pd,
        _mm256_fmadd_pd,
        _mm256_add_pd,
        _mm256_storeu_pd
    );
    dots!(
        dots_f32_avx2,
        f32,
        "avx2,fma",
        8,
        _mm256_setzero_ps,
        _mm256_loadu_ps,
        _mm256_fmadd_ps,
        _mm256_add_ps,
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
    ($t:ty, $avx512:ident, ($mr512:expr, $nr512:expr), $avx2:ident, ($mr256:expr, $nr256:expr),
     $dots512:ident, $dots256:ident) => {
        impl Element for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            fn dots<const R: usize>(rows: [&[$t]; R], x: &[$t]) -> [$t; R] {
                let n = x.len();
                let rows = rows.map(|r| &r[..n]);
                match isa() {
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: every row was sliced to `n` elements, as `x` has; AVX-512
                    // is chosen only when the CPU has it.
                    Isa::Avx512 => unsafe {
                        x86::$dots512(rows.map(<[$t]>::as_ptr), x.as_ptr(), n)
                    },
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: as above; AVX2 only with AVX2 and FMA.
                    Isa::Avx2 => unsafe { x86::$dots256(rows.map(<[$t]>::as_ptr), x.as_ptr(), n) },
                    _ => dots_scalar(rows, x),
                }
            }
            fn micro() -> &'static Micro<$t> {
                static SCALAR: Micro<$t> = Micro {
                    mr: 4,
                    nr: 4,
                    name: "scalar",
                    kernel: scalar_kernel::<$t>,
                };
                #[cfg(target_arch = "x86_64")]
                static AVX512: Micro<$t> = Micro {
                    mr: $mr512,
                    nr: $nr512,
                    name: "avx512",
                    kernel: x86::$avx512,
                };
                #[cfg(target_arch = "x86_64")]
                static AVX2: Micro<$t> = Micro {
                    mr: $mr256,
                    nr: $nr256,
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

micro_table!(
    f64,
    f64_avx512,
    (16, 12),
    f64_avx2,
    (8, 6),
    dots_f64_avx512,
    dots_f64_avx2
);
micro_table!(
    f32,
    f32_avx512,
    (32, 12),
    f32_avx2,
    (16, 6),
    dots_f32_avx512,
    dots_f32_avx2
);
