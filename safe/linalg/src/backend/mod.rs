//! The C backends, and what they share: turning a strided view into the leading-dimension
//! form the C interfaces take, or into a packed copy when it has none.

#[cfg(feature = "blis")]
pub(crate) mod blis;
#[cfg(feature = "openblas")]
pub(crate) mod openblas;

use crate::error::{Error, ErrorKind, Result};
use crate::view::{MatMut, MatRef};
use std::borrow::Cow;

/// How a matrix lies in memory for a C interface.
#[cfg_attr(not(any(feature = "openblas", feature = "blis")), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Rows contiguous; the leading dimension is the row stride.
    RowMajor,
    /// Columns contiguous; the leading dimension is the column stride.
    ColMajor,
}

/// The layout and leading dimension of a view, when it has the form BLAS accepts (unit
/// stride along one dimension, a leading dimension at least as long as that dimension
/// and at least 1).
#[cfg_attr(not(any(feature = "openblas", feature = "blis")), allow(dead_code))]
pub(crate) fn blas_form(rows: usize, cols: usize, rs: usize, cs: usize) -> Option<(Layout, usize)> {
    if cs == 1 && rs >= cols.max(1) {
        Some((Layout::RowMajor, rs))
    } else if rs == 1 && cs >= rows.max(1) {
        Some((Layout::ColMajor, cs))
    } else if rows <= 1 && cs == 1 {
        Some((Layout::RowMajor, cols.max(1)))
    } else if cols <= 1 && rs == 1 {
        Some((Layout::ColMajor, rows.max(1)))
    } else {
        None
    }
}

/// A read view in BLAS form: the view's own data, or a packed row-major copy. The slice
/// starts at element (0, 0).
#[cfg_attr(not(any(feature = "openblas", feature = "blis")), allow(dead_code))]
pub(crate) fn blas_operand<'a, T: Copy + Default>(
    a: &MatRef<'a, T>,
) -> (Cow<'a, [T]>, Layout, usize) {
    let (rs, cs) = a.strides();
    if let Some((layout, ld)) = blas_form(a.rows(), a.cols(), rs, cs) {
        return (Cow::Borrowed(a.data()), layout, ld);
    }
    let mut packed = Vec::with_capacity(a.rows() * a.cols());
    for i in 0..a.rows() {
        for j in 0..a.cols() {
            packed.push(a.at(i, j));
        }
    }
    (Cow::Owned(packed), Layout::RowMajor, a.cols().max(1))
}

/// Runs `f` on `c` in BLAS form: directly, or on a packed row-major copy written back
/// afterwards.
#[cfg_attr(not(any(feature = "openblas", feature = "blis")), allow(dead_code))]
pub(crate) fn with_blas_output<T: Copy + Default>(
    c: &mut MatMut<'_, T>,
    f: impl FnOnce(&mut [T], Layout, usize) -> Result<()>,
) -> Result<()> {
    let (rows, cols) = (c.rows(), c.cols());
    let (rs, cs) = c.strides();
    if let Some((layout, ld)) = blas_form(rows, cols, rs, cs) {
        return f(c.data_mut(), layout, ld);
    }
    let mut packed: Vec<T> = Vec::with_capacity(rows * cols);
    for i in 0..rows {
        for j in 0..cols {
            packed.push(c.get(i, j).unwrap_or_default());
        }
    }
    f(&mut packed, Layout::RowMajor, cols.max(1))?;
    for i in 0..rows {
        for j in 0..cols {
            c.set(i, j, packed[i * cols + j]);
        }
    }
    Ok(())
}

/// `n` as the C library's integer, or [`ErrorKind::TooLarge`].
#[cfg_attr(not(any(feature = "openblas", feature = "blis")), allow(dead_code))]
pub(crate) fn c_int<I: TryFrom<usize>>(n: usize, backend: &'static str, what: &str) -> Result<I> {
    I::try_from(n).map_err(|_| {
        Error::new(
            ErrorKind::TooLarge,
            backend,
            format!("{what} = {n} does not fit the library's integer type"),
        )
    })
}

/// `y = beta * y`, zeros when `beta == 0` (no NaN from the old values).
#[cfg_attr(not(any(feature = "openblas", feature = "blis")), allow(dead_code))]
pub(crate) fn scale_vec<T: crate::Scalar>(beta: T, y: &mut [T]) {
    for v in y {
        *v = if beta == T::ZERO { T::ZERO } else { beta * *v };
    }
}

/// A GEMM as the C interfaces take it: dimensions, `A` and `B` in BLAS form (data from
/// element (0, 0), layout, leading dimension) and `C`'s storage in BLAS form.
#[cfg_attr(not(any(feature = "openblas", feature = "blis")), allow(dead_code))]
pub(crate) struct GemmCall<'a, 'c, T: Clone> {
    pub m: usize,
    pub n: usize,
    pub k: usize,
    pub a: (Cow<'a, [T]>, Layout, usize),
    pub b: (Cow<'a, [T]>, Layout, usize),
    pub c: &'c mut [T],
    pub c_layout: Layout,
    pub ldc: usize,
}

/// What every C backend does around its GEMM call: the shape check, nothing for an empty
/// `C`, the operands in BLAS form (packed copies where a view has none), and `C` computed
/// in place or in a copy written back.
#[cfg_attr(not(any(feature = "openblas", feature = "blis")), allow(dead_code))]
pub(crate) fn run_gemm<T: crate::Scalar>(
    a: &MatRef<'_, T>,
    b: &MatRef<'_, T>,
    c: &mut MatMut<'_, T>,
    call: impl FnOnce(GemmCall<'_, '_, T>) -> Result<()>,
) -> Result<()> {
    crate::check_gemm(a, b, c)?;
    let (m, n, k) = (c.rows(), c.cols(), a.cols());
    if m == 0 || n == 0 {
        return Ok(());
    }
    let (a, b) = (blas_operand(a), blas_operand(b));
    with_blas_output(c, |c, c_layout, ldc| {
        call(GemmCall {
            m,
            n,
            k,
            a,
            b,
            c,
            c_layout,
            ldc,
        })
    })
}

/// What every C backend does around its GEMV call: the shape check, nothing for `m = 0`,
/// `y = βy` for `n = 0` (BLAS would leave `y` alone), `A` in BLAS form; `call` gets
/// `(m, n, A)`.
#[cfg_attr(not(any(feature = "openblas", feature = "blis")), allow(dead_code))]
pub(crate) fn run_gemv<T: crate::Scalar>(
    a: &MatRef<'_, T>,
    x: &[T],
    beta: T,
    y: &mut [T],
    call: impl FnOnce(usize, usize, (Cow<'_, [T]>, Layout, usize), &mut [T]) -> Result<()>,
) -> Result<()> {
    crate::check_gemv(a, x, y)?;
    let (m, n) = (a.rows(), a.cols());
    if m == 0 {
        return Ok(());
    }
    if n == 0 {
        scale_vec(beta, y);
        return Ok(());
    }
    call(m, n, blas_operand(a), y)
}
