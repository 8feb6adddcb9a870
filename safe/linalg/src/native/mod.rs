//! The native backend: the blocked GEMM ([`gemm`]), GEMV and the level-1 operations, in
//! Rust with run-time chosen AVX-512 / AVX2 + FMA micro-kernels.

pub(crate) mod caches;
pub(crate) mod gemm;
pub(crate) mod kernels;

pub use caches::{cache_sizes, CacheSizes};

use crate::view::{MatMut, MatRef};
use kernels::Element;

/// `y = alpha * a * x + beta * y` (shapes checked by the caller).
pub(crate) fn gemv<T: Element>(alpha: T, a: MatRef<'_, T>, x: &[T], beta: T, y: &mut [T]) {
    let (m, n) = (a.rows(), a.cols());
    let (rs, cs) = a.strides();
    let data = a.data();
    if cs == 1 && n > 0 {
        // Row-major: one dot product per row, four accumulators to break the chain.
        for (i, yi) in y.iter_mut().enumerate().take(m) {
            let row = &data[i * rs..][..n];
            let mut acc = [T::ZERO; 4];
            let chunks = row.chunks_exact(4).zip(x.chunks_exact(4));
            for (r, v) in chunks {
                for l in 0..4 {
                    acc[l] = acc[l] + r[l] * v[l];
                }
            }
            let tail = n - n % 4;
            let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
            for j in tail..n {
                s = s + row[j] * x[j];
            }
            *yi = alpha * s + if beta == T::ZERO { T::ZERO } else { beta * *yi };
        }
        return;
    }
    // Any other layout: scale y, then add a column at a time (axpy, unit stride in y
    // when A is column-major).
    for yi in y.iter_mut() {
        *yi = if beta == T::ZERO { T::ZERO } else { beta * *yi };
    }
    for (j, &xj) in x.iter().enumerate().take(n) {
        let s = alpha * xj;
        for (i, yi) in y.iter_mut().enumerate().take(m) {
            *yi = *yi + s * a.at(i, j);
        }
    }
}

/// `b = a` transposed into `b` (`b` is `a.cols()`×`a.rows()`), cache-obliviously: the
/// larger dimension is halved until a block fits in a few cache lines.
pub(crate) fn transpose<T: Copy>(a: MatRef<'_, T>, b: &mut MatMut<'_, T>) {
    fn rec<T: Copy>(
        a: &MatRef<'_, T>,
        b: &mut MatMut<'_, T>,
        i0: usize,
        i1: usize,
        j0: usize,
        j1: usize,
    ) {
        const LEAF: usize = 16;
        let (di, dj) = (i1 - i0, j1 - j0);
        if di <= LEAF && dj <= LEAF {
            for i in i0..i1 {
                for j in j0..j1 {
                    *b.at_mut(j, i) = a.at(i, j);
                }
            }
        } else if di >= dj {
            let mid = i0 + di / 2;
            rec(a, b, i0, mid, j0, j1);
            rec(a, b, mid, i1, j0, j1);
        } else {
            let mid = j0 + dj / 2;
            rec(a, b, i0, i1, j0, mid);
            rec(a, b, i0, i1, mid, j1);
        }
    }
    rec(&a, b, 0, a.rows(), 0, a.cols());
}
