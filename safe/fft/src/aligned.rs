//! An owned buffer aligned to 64 bytes, so FFTW's SIMD codelets run without the plan for
//! misaligned buffers (any slice works; this one is the fastest).

use std::alloc::{self, Layout};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

/// The alignment of [`AlignedBuf`]: a cache line, and at least every SIMD alignment FFTW
/// asks for (16 bytes for SSE2, 32 for AVX, 64 for AVX-512).
pub const ALIGNMENT: usize = 64;

mod sealed {
    /// Types whose all-zero bit pattern is a valid value: the [`Float`](crate::Float)s and
    /// their complex numbers.
    pub trait Zeroable: Copy {}
    impl<T: crate::Float> Zeroable for T {}
    impl<T: crate::Float> Zeroable for crate::Complex<T> {}
}

/// A zero-initialised, 64-byte-aligned buffer of `f32`, `f64`, `Complex<f32>` or
/// `Complex<f64>` that derefs to a slice.
///
/// ```
/// use arsenal_fft::{AlignedBuf, Complex};
/// let mut buf = AlignedBuf::<Complex<f32>>::zeroed(1000);
/// assert_eq!(buf.len(), 1000);
/// assert_eq!(buf.as_ptr() as usize % 64, 0);
/// buf[3] = Complex::new(1.0, 2.0);
/// assert_eq!(AlignedBuf::from_slice(&buf)[3], Complex::new(1.0, 2.0));
/// ```
#[allow(private_bounds)]
pub struct AlignedBuf<T: sealed::Zeroable> {
    ptr: NonNull<T>,
    len: usize,
}

// SAFETY: the buffer owns its elements (plain numbers), like a `Vec<T>`.
unsafe impl<T: sealed::Zeroable + Send> Send for AlignedBuf<T> {}
// SAFETY: shared access only reads, like `&[T]`.
unsafe impl<T: sealed::Zeroable + Sync> Sync for AlignedBuf<T> {}

#[allow(private_bounds)]
impl<T: sealed::Zeroable> AlignedBuf<T> {
    fn layout(len: usize) -> Layout {
        Layout::array::<T>(len)
            .and_then(|l| l.align_to(ALIGNMENT))
            .expect("AlignedBuf: the size overflows isize")
    }

    /// `len` zeros. Panics like `vec![0; len]` when the size overflows `isize`, and
    /// aborts like it when the allocation fails.
    pub fn zeroed(len: usize) -> Self {
        let layout = Self::layout(len);
        if layout.size() == 0 {
            // A dangling pointer with the full alignment: valid for zero-length slices.
            let ptr = NonNull::new(ALIGNMENT as *mut T).expect("non-zero");
            return AlignedBuf { ptr, len };
        }
        // SAFETY: the layout has a non-zero size.
        let raw = unsafe { alloc::alloc_zeroed(layout) };
        let Some(ptr) = NonNull::new(raw.cast::<T>()) else {
            alloc::handle_alloc_error(layout)
        };
        AlignedBuf { ptr, len }
    }

    /// A copy of `data`.
    pub fn from_slice(data: &[T]) -> Self {
        let mut buf = Self::zeroed(data.len());
        buf.copy_from_slice(data);
        buf
    }
}

#[allow(private_bounds)]
impl<T: sealed::Zeroable> Drop for AlignedBuf<T> {
    fn drop(&mut self) {
        let layout = Self::layout(self.len);
        if layout.size() != 0 {
            // SAFETY: allocated in `zeroed` with this same layout.
            unsafe { alloc::dealloc(self.ptr.as_ptr().cast(), layout) };
        }
    }
}

#[allow(private_bounds)]
impl<T: sealed::Zeroable> Deref for AlignedBuf<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        // SAFETY: `len` initialised (zeroed, all-zero bits are valid floats) elements.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

#[allow(private_bounds)]
impl<T: sealed::Zeroable> DerefMut for AlignedBuf<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`, and `&mut self` is unique.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
    }
}

#[allow(private_bounds)]
impl<T: sealed::Zeroable> Clone for AlignedBuf<T> {
    fn clone(&self) -> Self {
        Self::from_slice(self)
    }
}

#[allow(private_bounds)]
impl<T: sealed::Zeroable + fmt::Debug> fmt::Debug for AlignedBuf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Complex;

    #[test]
    fn empty_and_aligned() {
        let empty = AlignedBuf::<f64>::zeroed(0);
        assert!(empty.is_empty());
        for len in [1, 3, 1000] {
            let buf = AlignedBuf::<Complex<f64>>::zeroed(len);
            assert_eq!(buf.as_ptr() as usize % ALIGNMENT, 0);
            assert!(buf.iter().all(|c| *c == Complex::new(0.0, 0.0)));
        }
    }
}
