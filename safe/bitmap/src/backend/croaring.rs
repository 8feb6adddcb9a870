//! CRoaring (C) through crates.io `croaring-sys` (CRoaring 5.2's amalgamation).

use std::alloc::{handle_alloc_error, Layout};
use std::ffi::CStr;
use std::fmt;
use std::marker::PhantomData;
use std::ptr::NonNull;

use croaring_sys as ffi;

use crate::{Backend, Bitmap, Error, ErrorKind, Result};

/// A Roaring bitmap of `u32` owned by CRoaring (`roaring_bitmap_t`).
///
/// Copy-on-write is never enabled, so no container is shared between two bitmaps.
pub struct CRoaring {
    raw: NonNull<ffi::roaring_bitmap_t>,
}

// SAFETY: a `roaring_bitmap_t` without copy-on-write owns all its containers (plain
// heap memory, no thread-local state), so it may move to another thread.
unsafe impl Send for CRoaring {}
// SAFETY: CRoaring's functions taking `const roaring_bitmap_t *` only read the bitmap
// (no caches or lazily computed fields are written), so shared references may be used
// from several threads at once; every mutating call takes `&mut self`.
unsafe impl Sync for CRoaring {}

/// A null result from a CRoaring constructor: its allocation failed. Aborts like a
/// failed Rust allocation.
#[cold]
fn out_of_memory() -> ! {
    handle_alloc_error(Layout::new::<ffi::roaring_bitmap_t>())
}

impl CRoaring {
    fn from_raw(raw: *mut ffi::roaring_bitmap_t) -> Self {
        match NonNull::new(raw) {
            Some(raw) => CRoaring { raw },
            None => out_of_memory(),
        }
    }

    fn ptr(&self) -> *const ffi::roaring_bitmap_t {
        self.raw.as_ptr()
    }

    fn ptr_mut(&mut self) -> *mut ffi::roaring_bitmap_t {
        self.raw.as_ptr()
    }

    /// The bitmap's CRoaring handle, for calls this wrapper does not offer. It stays
    /// owned by `self`.
    pub fn as_raw(&self) -> *const ffi::roaring_bitmap_t {
        self.ptr()
    }

    /// The values in increasing order.
    pub fn iter(&self) -> Iter<'_> {
        let mut it = std::mem::MaybeUninit::<ffi::roaring_uint32_iterator_t>::uninit();
        // SAFETY: `roaring_iterator_init` fills the whole iterator struct for a valid
        // bitmap; the iterator keeps pointers into the bitmap, which `Iter` borrows.
        unsafe { ffi::roaring_iterator_init(self.ptr(), it.as_mut_ptr()) };
        Iter {
            // SAFETY: initialised by the call above.
            it: unsafe { it.assume_init() },
            buf: [0; 256],
            pos: 0,
            filled: 0,
            _bitmap: PhantomData,
        }
    }

    /// The number of bytes [`Bitmap::serialize_portable`] writes.
    pub fn portable_size(&self) -> usize {
        // SAFETY: a valid bitmap; the call only reads it.
        unsafe { ffi::roaring_bitmap_portable_size_in_bytes(self.ptr()) }
    }

    fn binary(
        &self,
        other: &Self,
        op: unsafe extern "C" fn(
            *const ffi::roaring_bitmap_t,
            *const ffi::roaring_bitmap_t,
        ) -> *mut ffi::roaring_bitmap_t,
    ) -> Self {
        // SAFETY: both are valid bitmaps; `op` is one of CRoaring's binary operations,
        // which return a new bitmap (or NULL when allocation failed).
        Self::from_raw(unsafe { op(self.ptr(), other.ptr()) })
    }

    fn binary_inplace(
        &mut self,
        other: &Self,
        op: unsafe extern "C" fn(*mut ffi::roaring_bitmap_t, *const ffi::roaring_bitmap_t),
    ) {
        // SAFETY: `self` is exclusively borrowed and `other` shared, so they are distinct
        // bitmaps (CRoaring's in-place operations also accept the same one).
        unsafe { op(self.ptr_mut(), other.ptr()) }
    }
}

impl Drop for CRoaring {
    fn drop(&mut self) {
        // SAFETY: the bitmap was created by CRoaring and is freed once, here.
        unsafe { ffi::roaring_bitmap_free(self.raw.as_ptr()) }
    }
}

impl Clone for CRoaring {
    fn clone(&self) -> Self {
        // SAFETY: a valid bitmap; the copy is a new, independent bitmap (no COW).
        Self::from_raw(unsafe { ffi::roaring_bitmap_copy(self.ptr()) })
    }
}

impl PartialEq for CRoaring {
    fn eq(&self, other: &Self) -> bool {
        // SAFETY: two valid bitmaps, only read.
        unsafe { ffi::roaring_bitmap_equals(self.ptr(), other.ptr()) }
    }
}

impl Eq for CRoaring {}

impl fmt::Debug for CRoaring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CRoaring({} values)", self.len())
    }
}

impl Default for CRoaring {
    fn default() -> Self {
        Bitmap::new()
    }
}

impl Bitmap for CRoaring {
    fn new() -> Self {
        // SAFETY: no arguments; returns a new empty bitmap or NULL.
        Self::from_raw(unsafe { ffi::roaring_bitmap_create_with_capacity(0) })
    }

    fn from_slice(values: &[u32]) -> Self {
        let mut b = Self::new();
        // SAFETY: `values` is valid for `values.len()` reads.
        unsafe { ffi::roaring_bitmap_add_many(b.ptr_mut(), values.len(), values.as_ptr()) };
        b
    }

    fn insert(&mut self, value: u32) -> bool {
        // SAFETY: a valid, exclusively borrowed bitmap.
        unsafe { ffi::roaring_bitmap_add_checked(self.ptr_mut(), value) }
    }

    fn remove(&mut self, value: u32) -> bool {
        // SAFETY: a valid, exclusively borrowed bitmap.
        unsafe { ffi::roaring_bitmap_remove_checked(self.ptr_mut(), value) }
    }

    fn contains(&self, value: u32) -> bool {
        // SAFETY: a valid bitmap, only read.
        unsafe { ffi::roaring_bitmap_contains(self.ptr(), value) }
    }

    fn len(&self) -> u64 {
        // SAFETY: a valid bitmap, only read.
        unsafe { ffi::roaring_bitmap_get_cardinality(self.ptr()) }
    }

    fn and(&self, other: &Self) -> Self {
        self.binary(other, ffi::roaring_bitmap_and)
    }

    fn or(&self, other: &Self) -> Self {
        self.binary(other, ffi::roaring_bitmap_or)
    }

    fn xor(&self, other: &Self) -> Self {
        self.binary(other, ffi::roaring_bitmap_xor)
    }

    fn and_not(&self, other: &Self) -> Self {
        self.binary(other, ffi::roaring_bitmap_andnot)
    }

    fn and_inplace(&mut self, other: &Self) {
        self.binary_inplace(other, ffi::roaring_bitmap_and_inplace)
    }

    fn or_inplace(&mut self, other: &Self) {
        self.binary_inplace(other, ffi::roaring_bitmap_or_inplace)
    }

    fn xor_inplace(&mut self, other: &Self) {
        self.binary_inplace(other, ffi::roaring_bitmap_xor_inplace)
    }

    fn and_not_inplace(&mut self, other: &Self) {
        self.binary_inplace(other, ffi::roaring_bitmap_andnot_inplace)
    }

    fn and_len(&self, other: &Self) -> u64 {
        // SAFETY: two valid bitmaps, only read.
        unsafe { ffi::roaring_bitmap_and_cardinality(self.ptr(), other.ptr()) }
    }

    fn rank(&self, value: u32) -> u64 {
        // SAFETY: a valid bitmap, only read.
        unsafe { ffi::roaring_bitmap_rank(self.ptr(), value) }
    }

    fn select(&self, index: u64) -> Option<u32> {
        let index = u32::try_from(index).ok()?;
        let mut out = 0u32;
        // SAFETY: a valid bitmap, only read; `out` is a valid place for the result.
        unsafe { ffi::roaring_bitmap_select(self.ptr(), index, &mut out) }.then_some(out)
    }

    fn to_vec(&self) -> Vec<u32> {
        self.iter().collect()
    }

    fn run_optimize(&mut self) -> bool {
        // SAFETY: a valid, exclusively borrowed bitmap.
        unsafe { ffi::roaring_bitmap_run_optimize(self.ptr_mut()) }
    }

    fn serialize_portable(&self) -> Vec<u8> {
        let size = self.portable_size();
        let mut out = Vec::<u8>::with_capacity(size);
        // SAFETY: `out` has room for `size` bytes, what the portable form of this
        // bitmap takes; CRoaring returns how many it wrote, which is at most that.
        let written =
            unsafe { ffi::roaring_bitmap_portable_serialize(self.ptr(), out.as_mut_ptr().cast()) };
        assert!(written <= size, "CRoaring wrote past its own size");
        // SAFETY: the first `written` bytes were initialised by the call.
        unsafe { out.set_len(written) };
        out
    }

    fn deserialize_portable(bytes: &[u8]) -> Result<Self> {
        let corrupt = |msg: String| Error::new(ErrorKind::Corrupt, Backend::CRoaring.name(), msg);
        // SAFETY: CRoaring reads at most `bytes.len()` bytes from the pointer.
        let size = unsafe {
            ffi::roaring_bitmap_portable_deserialize_size(bytes.as_ptr().cast(), bytes.len())
        };
        if size == 0 {
            return Err(corrupt(
                "not a portable Roaring bitmap (or truncated)".to_owned(),
            ));
        }
        if size != bytes.len() {
            return Err(corrupt(format!(
                "{} trailing bytes after a {size}-byte bitmap",
                bytes.len() - size
            )));
        }
        // SAFETY: as above, the read is bounded by `bytes.len()`; NULL means invalid
        // input or a failed allocation.
        let raw = unsafe {
            ffi::roaring_bitmap_portable_deserialize_safe(bytes.as_ptr().cast(), bytes.len())
        };
        let Some(raw) = NonNull::new(raw) else {
            return Err(corrupt("CRoaring refused the bitmap".to_owned()));
        };
        let bitmap = CRoaring { raw };
        let mut reason: *const std::ffi::c_char = std::ptr::null();
        // SAFETY: a valid bitmap object (possibly with broken invariants, which is what
        // this checks); `reason` receives a static C string on failure.
        let valid = unsafe { ffi::roaring_bitmap_internal_validate(bitmap.ptr(), &mut reason) };
        if !valid {
            let why = if reason.is_null() {
                "invalid containers".to_owned()
            } else {
                // SAFETY: CRoaring sets `reason` to a NUL-terminated static string.
                unsafe { CStr::from_ptr(reason) }
                    .to_string_lossy()
                    .into_owned()
            };
            return Err(corrupt(format!("invalid bitmap: {why}")));
        }
        Ok(bitmap)
    }

    fn size_in_bytes(&self) -> usize {
        // The in-memory size CRoaring reports for its own (non-portable) serialisation
        // is the closest it offers to the heap it holds.
        // SAFETY: a valid bitmap, only read.
        std::mem::size_of::<Self>() + unsafe { ffi::roaring_bitmap_size_in_bytes(self.ptr()) }
    }

    fn backend(&self) -> Backend {
        Backend::CRoaring
    }
}

/// The values of a [`CRoaring`] bitmap in increasing order (read 256 at a time).
pub struct Iter<'a> {
    it: ffi::roaring_uint32_iterator_t,
    buf: [u32; 256],
    pos: usize,
    filled: usize,
    _bitmap: PhantomData<&'a CRoaring>,
}

impl fmt::Debug for Iter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter").finish_non_exhaustive()
    }
}

impl Iterator for Iter<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.pos == self.filled {
            // SAFETY: the iterator was initialised on a bitmap that `'a` keeps alive and
            // unmodified; `buf` has room for 256 values.
            let n = unsafe {
                ffi::roaring_uint32_iterator_read(&mut self.it, self.buf.as_mut_ptr(), 256)
            };
            self.filled = n as usize;
            self.pos = 0;
            if n == 0 {
                return None;
            }
        }
        let v = self.buf[self.pos];
        self.pos += 1;
        Some(v)
    }
}

impl<'a> IntoIterator for &'a CRoaring {
    type Item = u32;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl FromIterator<u32> for CRoaring {
    fn from_iter<I: IntoIterator<Item = u32>>(iter: I) -> Self {
        let mut b = <Self as Bitmap>::new();
        b.extend(iter);
        b
    }
}

impl Extend<u32> for CRoaring {
    fn extend<I: IntoIterator<Item = u32>>(&mut self, iter: I) {
        let mut chunk = Vec::with_capacity(1024);
        for v in iter {
            chunk.push(v);
            if chunk.len() == chunk.capacity() {
                // SAFETY: `chunk` is valid for `chunk.len()` reads.
                unsafe {
                    ffi::roaring_bitmap_add_many(self.ptr_mut(), chunk.len(), chunk.as_ptr())
                };
                chunk.clear();
            }
        }
        // SAFETY: as above.
        unsafe { ffi::roaring_bitmap_add_many(self.ptr_mut(), chunk.len(), chunk.as_ptr()) };
    }
}

macro_rules! binary_ops {
    ($($trait:ident $method:ident $op:ident),*) => {$(
        impl std::ops::$trait for &CRoaring {
            type Output = CRoaring;
            fn $method(self, other: &CRoaring) -> CRoaring {
                Bitmap::$op(self, other)
            }
        }
    )*};
}

binary_ops!(BitAnd bitand and, BitOr bitor or, BitXor bitxor xor, Sub sub and_not);
