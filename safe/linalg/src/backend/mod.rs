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
