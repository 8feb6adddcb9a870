//! Strided matrix views over slices, checked once when made.

use crate::error::{Error, ErrorKind, Result, CHECKS};
use std::fmt;

/// The index one past the last element a `rows`×`cols` view with these strides touches
/// (0 for an empty view); `None` on overflow.
fn extent(rows: usize, cols: usize, row_stride: usize, col_stride: usize) -> Option<usize> {
    if rows == 0 || cols == 0 {
        return Some(0);
    }
    (rows - 1)
        .checked_mul(row_stride)?
        .checked_add((cols - 1).checked_mul(col_stride)?)?
        .checked_add(1)
}

fn check_bounds(len: usize, rows: usize, cols: usize, rs: usize, cs: usize) -> Result<()> {
    match extent(rows, cols, rs, cs) {
        Some(end) if end <= len => Ok(()),
        Some(end) => Err(Error::new(
            ErrorKind::OutOfBounds,
            CHECKS,
            format!(
                "a {rows}x{cols} view with strides ({rs}, {cs}) needs {end} elements, the slice has {len}"
            ),
        )),
        None => Err(Error::new(
            ErrorKind::OutOfBounds,
            CHECKS,
            format!("a {rows}x{cols} view with strides ({rs}, {cs}) overflows usize"),
        )),
    }
}

/// Whether distinct positions of a `rows`×`cols` view with these strides are distinct
/// elements (sufficient test: one stride steps over the whole extent of the other).
fn injective(rows: usize, cols: usize, rs: usize, cs: usize) -> bool {
    if rows == 0 || cols == 0 || (rows == 1 && cols == 1) {
        return true;
    }
    if rows <= 1 {
        return cs >= 1;
    }
    if cols <= 1 {
        return rs >= 1;
    }
    // The inner stride separates the elements along its dimension, the outer one steps
    // past that dimension's whole span.
    let spans = |inner: usize, count: usize, outer: usize| {
        inner >= 1 && inner.checked_mul(count).is_some_and(|span| outer >= span)
    };
    spans(cs, cols, rs) || spans(rs, rows, cs)
}

/// A read-only `rows`×`cols` matrix over a slice: element (i, j) is
/// `data[i * row_stride + j * col_stride]`. Row-major data has strides `(cols, 1)`
/// ([`MatRef::row_major`]), column-major `(1, rows)` ([`MatRef::col_major`]); any
/// other strides work too (a submatrix, every other row, a broadcast row with stride 0).
///
/// ```
/// use arsenal_linalg::MatRef;
/// let data = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let a = MatRef::row_major(&data, 2, 3)?;
/// assert_eq!((a.rows(), a.cols(), a.get(1, 2)), (2, 3, Some(6.0)));
/// assert_eq!(a.t().get(2, 1), Some(6.0)); // the transpose is a view too
/// assert!(MatRef::row_major(&data, 3, 3).is_err()); // too short
/// # Ok::<(), arsenal_linalg::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct MatRef<'a, T> {
    data: &'a [T],
    rows: usize,
    cols: usize,
    rs: usize,
    cs: usize,
}

impl<'a, T: Copy> MatRef<'a, T> {
    /// A view with explicit strides; [`ErrorKind::OutOfBounds`] when `data` is too short.
    pub fn new(
        data: &'a [T],
        rows: usize,
        cols: usize,
        row_stride: usize,
        col_stride: usize,
    ) -> Result<Self> {
        check_bounds(data.len(), rows, cols, row_stride, col_stride)?;
        Ok(MatRef {
            data,
            rows,
            cols,
            rs: row_stride,
            cs: col_stride,
        })
    }

    /// A row-major view (`data.len()` at least `rows * cols`).
    pub fn row_major(data: &'a [T], rows: usize, cols: usize) -> Result<Self> {
        Self::new(data, rows, cols, cols, 1)
    }

    /// A column-major view (`data.len()` at least `rows * cols`).
    pub fn col_major(data: &'a [T], rows: usize, cols: usize) -> Result<Self> {
        Self::new(data, rows, cols, 1, rows)
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// `(row_stride, col_stride)`.
    pub fn strides(&self) -> (usize, usize) {
        (self.rs, self.cs)
    }

    /// The underlying slice.
    pub fn data(&self) -> &'a [T] {
        self.data
    }

    /// Element (i, j), `None` outside the shape.
    pub fn get(&self, i: usize, j: usize) -> Option<T> {
        (i < self.rows && j < self.cols).then(|| self.data[i * self.rs + j * self.cs])
    }

    /// The transpose, as a view of the same data.
    pub fn t(self) -> Self {
        MatRef {
            data: self.data,
            rows: self.cols,
            cols: self.rows,
            rs: self.cs,
            cs: self.rs,
        }
    }

    /// Element (i, j) without the shape check; the view's invariant keeps the index in
    /// the slice (still bounds-checked by the slice).
    #[inline(always)]
    pub(crate) fn at(&self, i: usize, j: usize) -> T {
        self.data[i * self.rs + j * self.cs]
    }
}

impl<T: Copy + fmt::Debug> fmt::Debug for MatRef<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatRef")
            .field("rows", &self.rows)
            .field("cols", &self.cols)
            .field("strides", &(self.rs, self.cs))
            .finish_non_exhaustive()
    }
}

/// A mutable `rows`×`cols` matrix over a slice (see [`MatRef`] for the layout). Its
/// strides must map distinct positions to distinct elements: a zero or overlapping
/// stride is [`ErrorKind::Overlap`].
///
/// ```
/// use arsenal_linalg::{ErrorKind, MatMut};
/// let mut data = [0.0f64; 6];
/// let mut c = MatMut::col_major(&mut data, 3, 2)?;
/// c.set(2, 1, 5.0);
/// assert_eq!(data[5], 5.0);
/// let err = MatMut::new(&mut data, 2, 2, 0, 1).unwrap_err(); // rows would alias
/// assert_eq!(err.kind(), ErrorKind::Overlap);
/// # Ok::<(), arsenal_linalg::Error>(())
/// ```
pub struct MatMut<'a, T> {
    data: &'a mut [T],
    rows: usize,
    cols: usize,
    rs: usize,
    cs: usize,
}

impl<'a, T: Copy> MatMut<'a, T> {
    /// A view with explicit strides; [`ErrorKind::OutOfBounds`] when `data` is too short,
    /// [`ErrorKind::Overlap`] when two positions share an element.
    pub fn new(
        data: &'a mut [T],
        rows: usize,
        cols: usize,
        row_stride: usize,
        col_stride: usize,
    ) -> Result<Self> {
        check_bounds(data.len(), rows, cols, row_stride, col_stride)?;
        if !injective(rows, cols, row_stride, col_stride) {
            return Err(Error::new(
                ErrorKind::Overlap,
                CHECKS,
                format!(
                    "strides ({row_stride}, {col_stride}) map two positions of a {rows}x{cols} view to one element"
                ),
            ));
        }
        Ok(MatMut {
            data,
            rows,
            cols,
            rs: row_stride,
            cs: col_stride,
        })
    }

    /// A row-major view.
    pub fn row_major(data: &'a mut [T], rows: usize, cols: usize) -> Result<Self> {
        Self::new(data, rows, cols, cols, 1)
    }

    /// A column-major view.
    pub fn col_major(data: &'a mut [T], rows: usize, cols: usize) -> Result<Self> {
        Self::new(data, rows, cols, 1, rows)
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// `(row_stride, col_stride)`.
    pub fn strides(&self) -> (usize, usize) {
        (self.rs, self.cs)
    }

    /// A read-only view of the same elements.
    pub fn as_ref(&self) -> MatRef<'_, T> {
        MatRef {
            data: self.data,
            rows: self.rows,
            cols: self.cols,
            rs: self.rs,
            cs: self.cs,
        }
    }

    /// A shorter-lived mutable view of the same elements.
    pub fn rb_mut(&mut self) -> MatMut<'_, T> {
        MatMut {
            data: self.data,
            rows: self.rows,
            cols: self.cols,
            rs: self.rs,
            cs: self.cs,
        }
    }

    /// The transpose, as a view of the same data.
    pub fn t(self) -> Self {
        MatMut {
            data: self.data,
            rows: self.cols,
            cols: self.rows,
            rs: self.cs,
            cs: self.rs,
        }
    }

    /// Element (i, j), `None` outside the shape.
    pub fn get(&self, i: usize, j: usize) -> Option<T> {
        self.as_ref().get(i, j)
    }

    /// Sets element (i, j); `false` (and nothing written) outside the shape.
    pub fn set(&mut self, i: usize, j: usize, value: T) -> bool {
        if i < self.rows && j < self.cols {
            self.data[i * self.rs + j * self.cs] = value;
            true
        } else {
            false
        }
    }

    /// The underlying slice.
    #[cfg(feature = "ndarray")]
    pub(crate) fn into_data(self) -> &'a mut [T] {
        self.data
    }

    pub(crate) fn data_mut(&mut self) -> &mut [T] {
        self.data
    }

    /// Element (i, j) by index (the view's invariant keeps it in the slice).
    #[inline(always)]
    pub(crate) fn at_mut(&mut self, i: usize, j: usize) -> &mut T {
        &mut self.data[i * self.rs + j * self.cs]
    }
}

impl<T: Copy + fmt::Debug> fmt::Debug for MatMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MatMut")
            .field("rows", &self.rows)
            .field("cols", &self.cols)
            .field("strides", &(self.rs, self.cs))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_overlap_are_errors_never_panics() {
        let data = [0.0f32; 16];
        assert!(MatRef::new(&data, 4, 4, 4, 1).is_ok());
        assert!(MatRef::new(&data, 4, 5, 4, 1).is_err());
        assert_eq!(
            MatRef::new(&data, usize::MAX, 2, usize::MAX, 1)
                .unwrap_err()
                .kind(),
            ErrorKind::OutOfBounds
        );
        assert!(MatRef::new(&data, 0, usize::MAX, usize::MAX, usize::MAX).is_ok());
        let mut m = [0.0f32; 16];
        assert_eq!(
            MatMut::new(&mut m, 4, 4, 1, 1).unwrap_err().kind(),
            ErrorKind::Overlap
        );
        assert_eq!(
            MatMut::new(&mut m, 2, 2, 0, 1).unwrap_err().kind(),
            ErrorKind::Overlap
        );
        assert!(MatMut::new(&mut m, 1, 4, 0, 1).is_ok());
        assert!(MatMut::new(&mut m, 2, 3, 5, 1).is_ok()); // padded rows
        assert!(MatMut::new(&mut m, 3, 2, 1, 3).is_ok()); // column-major
        assert!(MatMut::new(&mut m, 4, 2, 2, 1).is_ok());
        assert!(MatRef::new(&data, 4, 4, 0, 0).is_ok()); // broadcast reads are fine
    }
}
