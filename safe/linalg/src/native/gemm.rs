//! The native GEMM: Goto / van de Geijn blocking (as BLIS lays it out). C is walked in
//! `NC`-wide column blocks, the k dimension in `KC`-deep slabs (a `KC`×`NC` panel of B
//! packed into `NR`-wide slivers that stay in L2/L3), and each slab's rows in `MC`-tall
//! blocks (an `MC`×`KC` block of A packed into `MR`-tall slivers that stay in L2); the
//! micro-kernel multiplies one A sliver by one B sliver into an `MR`×`NR` register tile.
//! Block sizes come from the detected cache sizes ([`crate::native::caches`]).

use super::kernels::{Element, Micro};
use crate::view::{MatMut, MatRef};

/// `c = alpha * a * b + beta * c` (shapes already checked: a m×k, b k×n, c m×n). With
/// `beta == 0`, `c` is overwritten (its NaNs do not propagate), as in BLAS.
pub(crate) fn gemm<T: Element>(
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    mut c: MatMut<'_, T>,
) {
    let (m, n, k) = (c.rows(), c.cols(), a.cols());
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 || alpha == T::ZERO {
        scale(beta, &mut c);
        return;
    }
    let micro = T::micro();
    let (mr, nr) = (micro.mr, micro.nr);
    let blocks = super::caches::blocks(micro, std::mem::size_of::<T>());
    // Blocks no larger than the problem (the packed buffers are sized by them).
    let (kc_max, mc_max, nc_max) = (blocks.kc.min(k), blocks.mc.min(m), blocks.nc.min(n));
    // Packed buffers, zero-padded to whole slivers.
    let mut pa = vec![T::ZERO; mc_max.div_ceil(mr) * mr * kc_max];
    let mut pb = vec![T::ZERO; nc_max.div_ceil(nr) * nr * kc_max];
    let mut ab = vec![T::ZERO; mr * nr];
    for jc in (0..n).step_by(nc_max) {
        let nc = nc_max.min(n - jc);
        for pc in (0..k).step_by(kc_max) {
            let kc = kc_max.min(k - pc);
            pack_b(&b, pc, kc, jc, nc, nr, &mut pb);
            // The first slab applies beta; the later ones accumulate.
            let beta_here = if pc == 0 { beta } else { T::ONE };
            for ic in (0..m).step_by(mc_max) {
                let mc = mc_max.min(m - ic);
                pack_a(&a, ic, mc, pc, kc, mr, &mut pa);
                for jr in (0..nc).step_by(nr) {
                    let nr_here = nr.min(nc - jr);
                    let b_sliver = &pb[(jr / nr) * nr * kc..][..nr * kc];
                    for ir in (0..mc).step_by(mr) {
                        let mr_here = mr.min(mc - ir);
                        let a_sliver = &pa[(ir / mr) * mr * kc..][..mr * kc];
                        // SAFETY: the slivers hold `mr * kc` and `nr * kc` elements and
                        // `ab` `mr * nr`, what the kernel reads and writes; the kernel was
                        // chosen for this CPU's features.
                        unsafe {
                            (micro.kernel)(
                                kc,
                                a_sliver.as_ptr(),
                                b_sliver.as_ptr(),
                                ab.as_mut_ptr(),
                            )
                        };
                        // The tile back into C: alpha * ab + beta * c, edges clipped.
                        write_tile(
                            &mut c,
                            ic + ir,
                            jc + jr,
                            mr_here,
                            nr_here,
                            mr,
                            &ab,
                            alpha,
                            beta_here,
                        );
                    }
                }
            }
        }
    }
}

/// `C[i0.., j0..] = alpha * ab + beta * C` for an `rows`×`cols` tile (`ab` column-major
/// with leading dimension `mr`); `beta == 0` does not read C. Contiguous slices along
/// C's unit-stride dimension when it has one, so the loop vectorises.
#[allow(clippy::too_many_arguments)]
#[inline]
fn write_tile<T: Element>(
    c: &mut MatMut<'_, T>,
    i0: usize,
    j0: usize,
    rows: usize,
    cols: usize,
    mr: usize,
    ab: &[T],
    alpha: T,
    beta: T,
) {
    let (rs, cs) = c.strides();
    let data = c.data_mut();
    let base = i0 * rs + j0 * cs;
    if rs == 1 {
        // Column-major C: each tile column is `rows` contiguous elements.
        for j in 0..cols {
            let col = &mut data[base + j * cs..][..rows];
            let src = &ab[j * mr..][..rows];
            if beta == T::ZERO {
                for (d, &v) in col.iter_mut().zip(src) {
                    *d = alpha * v;
                }
            } else {
                for (d, &v) in col.iter_mut().zip(src) {
                    *d = alpha * v + beta * *d;
                }
            }
        }
    } else if cs == 1 {
        // Row-major C: each tile row is `cols` contiguous elements.
        for i in 0..rows {
            let row = &mut data[base + i * rs..][..cols];
            for (j, d) in row.iter_mut().enumerate() {
                let v = alpha * ab[i + j * mr];
                *d = if beta == T::ZERO { v } else { v + beta * *d };
            }
        }
    } else {
        for j in 0..cols {
            for i in 0..rows {
                let v = alpha * ab[i + j * mr];
                let d = &mut data[base + i * rs + j * cs];
                *d = if beta == T::ZERO { v } else { v + beta * *d };
            }
        }
    }
}

/// `c = beta * c` (`beta == 0` writes zeros).
fn scale<T: Element>(beta: T, c: &mut MatMut<'_, T>) {
    if beta == T::ONE {
        return;
    }
    for j in 0..c.cols() {
        for i in 0..c.rows() {
            let cij = c.at_mut(i, j);
            *cij = if beta == T::ZERO {
                T::ZERO
            } else {
                beta * *cij
            };
        }
    }
}

/// Packs rows `i0..i0 + mc`, columns `p0..p0 + kc` of A into `mr`-tall slivers, each
/// stored k-major (`mr` consecutive elements per k), the last one zero-padded.
fn pack_a<T: Element>(
    a: &MatRef<'_, T>,
    i0: usize,
    mc: usize,
    p0: usize,
    kc: usize,
    mr: usize,
    pa: &mut [T],
) {
    for (s, ir) in (0..mc).step_by(mr).enumerate() {
        let rows = mr.min(mc - ir);
        let sliver = &mut pa[s * mr * kc..][..mr * kc];
        let (rs, cs) = a.strides();
        let data = a.data();
        if rs == 1 && rows == mr {
            // Column-major A: each k is `mr` contiguous elements.
            for p in 0..kc {
                let start = (i0 + ir) + (p0 + p) * cs;
                sliver[p * mr..][..mr].copy_from_slice(&data[start..start + mr]);
            }
            continue;
        }
        for p in 0..kc {
            let dst = &mut sliver[p * mr..][..mr];
            for (i, d) in dst.iter_mut().enumerate() {
                *d = if i < rows {
                    a.at(i0 + ir + i, p0 + p)
                } else {
                    T::ZERO
                };
            }
        }
    }
}

/// Packs rows `p0..p0 + kc`, columns `j0..j0 + nc` of B into `nr`-wide slivers, each
/// stored k-major (`nr` consecutive elements per k), the last one zero-padded.
fn pack_b<T: Element>(
    b: &MatRef<'_, T>,
    p0: usize,
    kc: usize,
    j0: usize,
    nc: usize,
    nr: usize,
    pb: &mut [T],
) {
    let (rs, cs) = b.strides();
    let data = b.data();
    for (s, jr) in (0..nc).step_by(nr).enumerate() {
        let cols = nr.min(nc - jr);
        let sliver = &mut pb[s * nr * kc..][..nr * kc];
        if cs == 1 && cols == nr {
            // Row-major B: each k is `nr` contiguous elements.
            for p in 0..kc {
                let start = (p0 + p) * rs + j0 + jr;
                sliver[p * nr..][..nr].copy_from_slice(&data[start..start + nr]);
            }
            continue;
        }
        for p in 0..kc {
            let dst = &mut sliver[p * nr..][..nr];
            for (j, d) in dst.iter_mut().enumerate() {
                *d = if j < cols {
                    b.at(p0 + p, j0 + jr + j)
                } else {
                    T::ZERO
                };
            }
        }
    }
}

/// Which micro-kernel [`gemm`] runs for `T` on this CPU (`"avx512"`, `"avx2"`, `"scalar"`).
pub(crate) fn kernel_name<T: Element>() -> &'static str {
    let micro: &Micro<T> = T::micro();
    micro.name
}
