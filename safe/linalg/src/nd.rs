//! [`ndarray`] interop (feature `ndarray`): borrow 2-D array views as [`MatRef`] /
//! [`MatMut`] and back, without copying.
//!
//! ```
//! use arsenal_linalg::{gemm, MatMut, MatRef, NativeBlas};
//! use ndarray::{array, Array2};
//! let a = array![[1.0, 2.0], [3.0, 4.0]];
//! let b = a.t(); // a transposed (column-major) view: accepted as it is
//! let mut c = Array2::<f64>::zeros((2, 2));
//! gemm(&NativeBlas, 1.0, MatRef::try_from(a.view())?, MatRef::try_from(b)?,
//!      0.0, MatMut::try_from(c.view_mut())?)?;
//! assert_eq!(c, array![[5.0, 11.0], [11.0, 25.0]]);
//! // And back: a view of the same memory with the same strides.
//! let view = MatRef::try_from(c.view())?.to_ndarray()?;
//! assert_eq!(view[[1, 0]], 11.0);
//! # Ok::<(), arsenal_linalg::Error>(())
//! ```
//!
//! An ndarray view converts when its elements fill one contiguous run of memory in any
//! axis order (standard or Fortran layout, or a transpose of either). Other views — every
//! other column, padded rows of a larger array, reversed (negative-stride) axes — are
//! [`ErrorKind::Unsupported`]: borrowing them as a slice would also cover elements the
//! view does not own (another view may be writing them). Make such a view contiguous
//! first (`as_standard_layout()`), or build the [`MatRef`] from the owning array's slice
//! with the strides you need.

use crate::error::{Error, ErrorKind, Result, CHECKS};
use crate::view::{MatMut, MatRef};
use ndarray::{ArrayView2, ArrayViewMut2, ShapeBuilder};

/// The view's strides as `usize`, or why they cannot be used.
fn strides(s: &[isize]) -> Result<(usize, usize)> {
    match (usize::try_from(s[0]), usize::try_from(s[1])) {
        (Ok(rs), Ok(cs)) => Ok((rs, cs)),
        _ => Err(Error::new(
            ErrorKind::Unsupported,
            CHECKS,
            format!("ndarray view with a negative stride {s:?} (a reversed axis)"),
        )),
    }
}

fn not_contiguous(s: &[isize]) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        CHECKS,
        format!(
            "ndarray view with strides {s:?} is not contiguous in memory; use as_standard_layout()"
        ),
    )
}

impl<'a, T: Copy> TryFrom<ArrayView2<'a, T>> for MatRef<'a, T> {
    type Error = Error;

    /// Borrows a contiguous 2-D view (any axis order); see the [module docs](self).
    fn try_from(view: ArrayView2<'a, T>) -> Result<Self> {
        let (rows, cols) = view.dim();
        let (rs, cs) = strides(view.strides())?;
        let s = view.strides().to_vec();
        let data = view
            .to_slice_memory_order()
            .ok_or_else(|| not_contiguous(&s))?;
        MatRef::new(data, rows, cols, rs, cs)
    }
}

impl<'a, T: Copy> TryFrom<ArrayViewMut2<'a, T>> for MatMut<'a, T> {
    type Error = Error;

    /// Borrows a contiguous mutable 2-D view (any axis order); see the
    /// [module docs](self).
    fn try_from(view: ArrayViewMut2<'a, T>) -> Result<Self> {
        let (rows, cols) = view.dim();
        let (rs, cs) = strides(view.strides())?;
        let s = view.strides().to_vec();
        let data = view
            .into_slice_memory_order()
            .ok_or_else(|| not_contiguous(&s))?;
        MatMut::new(data, rows, cols, rs, cs)
    }
}

fn from_shape_error(e: ndarray::ShapeError) -> Error {
    Error::new(
        ErrorKind::Unsupported,
        CHECKS,
        format!("ndarray refuses this view's shape and strides: {e}"),
    )
}

impl<'a, T: Copy> MatRef<'a, T> {
    /// The same elements as an [`ArrayView2`] (no copy, the view's strides).
    /// [`ErrorKind::Unsupported`] when ndarray refuses the strides (e.g. a zero stride
    /// that repeats a row).
    pub fn to_ndarray(&self) -> Result<ArrayView2<'a, T>> {
        let (rs, cs) = self.strides();
        let shape = (self.rows(), self.cols()).strides((rs, cs));
        ArrayView2::from_shape(shape, self.data()).map_err(from_shape_error)
    }
}

impl<'a, T: Copy> MatMut<'a, T> {
    /// The same elements as an [`ArrayViewMut2`] (no copy, the view's strides).
    pub fn into_ndarray(self) -> Result<ArrayViewMut2<'a, T>> {
        let (rows, cols) = (self.rows(), self.cols());
        let (rs, cs) = self.strides();
        ArrayViewMut2::from_shape((rows, cols).strides((rs, cs)), self.into_data())
            .map_err(from_shape_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{s, Array2};

    #[test]
    fn contiguous_views_convert_both_ways() {
        let a = Array2::from_shape_fn((3, 4), |(i, j)| (i * 10 + j) as f64);
        let m = MatRef::try_from(a.view()).unwrap();
        assert_eq!((m.rows(), m.cols(), m.strides()), (3, 4, (4, 1)));
        assert_eq!(m.get(2, 3), Some(23.0));
        let t = MatRef::try_from(a.t()).unwrap();
        assert_eq!((t.rows(), t.cols(), t.strides()), (4, 3, (1, 4)));
        assert_eq!(t.get(3, 2), Some(23.0));
        let f = Array2::from_shape_fn((3, 4).f(), |(i, j)| (i * 10 + j) as f32);
        let fm = MatRef::try_from(f.view()).unwrap();
        assert_eq!((fm.strides(), fm.get(1, 2)), ((1, 3), Some(12.0)));
        assert_eq!(m.to_ndarray().unwrap(), a);
        assert_eq!(t.to_ndarray().unwrap(), a.t());
    }

    #[test]
    fn strided_and_reversed_views_are_refused() {
        let a = Array2::<f64>::zeros((4, 6));
        let every_other = a.slice(s![.., ..;2]);
        let e = MatRef::try_from(every_other).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported, "{e}");
        let padded = a.slice(s![.., ..5]);
        assert!(MatRef::try_from(padded).is_err());
        let reversed = a.slice(s![..;-1, ..]);
        let e = MatRef::try_from(reversed).unwrap_err();
        assert!(e.message().contains("negative"), "{e}");
        let mut b = Array2::<f64>::zeros((4, 6));
        assert!(MatMut::try_from(b.slice_mut(s![.., 1..])).is_err());
    }

    #[test]
    fn mutable_views_write_through() {
        let mut c = Array2::<f64>::zeros((2, 3));
        {
            let mut m = MatMut::try_from(c.view_mut()).unwrap();
            assert!(m.set(1, 2, 5.0));
            let mut back = m.into_ndarray().unwrap();
            back[[0, 1]] = 7.0;
        }
        assert_eq!(c[[1, 2]], 5.0);
        assert_eq!(c[[0, 1]], 7.0);
        // A broadcast row (zero stride) is a valid MatRef; ndarray accepts it for a
        // read-only view too.
        let row = [1.0, 2.0, 3.0];
        let bcast = MatRef::new(&row, 4, 3, 0, 1).unwrap();
        let v = bcast.to_ndarray().unwrap();
        assert_eq!(v[[3, 2]], 3.0);
    }
}
