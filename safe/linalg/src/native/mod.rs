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
    let y = &mut y[..m];
    let x = &x[..n];
    let update = |yi: &mut T, s: T| {
        *yi = alpha * s + if beta == T::ZERO { T::ZERO } else { beta * *yi };
    };
    if cs == 1 && n > 0 {
        // Row-major: four rows at a time, each a dot product with x in vector-wide
        // lanes (x is read once per four rows).
        let row = |i: usize| &data[i * rs..][..n];
        let mut i = 0;
        while i + 4 <= m {
            let dots = T::dots([row(i), row(i + 1), row(i + 2), row(i + 3)], x);
            for (r, d) in dots.into_iter().enumerate() {
                update(&mut y[i + r], d);
            }
            i += 4;
        }
        for (r, yi) in y.iter_mut().enumerate().skip(i) {
            let [d] = T::dots([row(r)], x);
            update(yi, d);
        }
        return;
    }
    // Any other layout: scale y, then add a column at a time (an axpy over a contiguous
    // column when A is column-major).
    for yi in y.iter_mut() {
        *yi = if beta == T::ZERO { T::ZERO } else { beta * *yi };
    }
    for (j, &xj) in x.iter().enumerate() {
        let s = alpha * xj;
        if rs == 1 && m > 0 {
            let col = &data[j * cs..][..m];
            for (yi, &aij) in y.iter_mut().zip(col) {
                *yi = *yi + s * aij;
            }
        } else {
            for (i, yi) in y.iter_mut().enumerate() {
                *yi = *yi + s * a.at(i, j);
            }
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
