//! Abseil's `absl::flat_hash_map` (C++ Swiss table) through `arsenal-absl-sys`.

use std::fmt;
use std::marker::PhantomData;
use std::os::raw::c_int;
use std::ptr::NonNull;

use arsenal_absl_sys as sys;

use crate::{Backend, Error, ErrorKind, Map, Result};

mod sealed {
    /// The key kinds the shim has a map for, and their handle's constructor/destructor.
    pub trait Key {
        /// The C handle type.
        type Raw;
        /// A new handle (null when `malloc` fails).
        fn new_raw() -> *mut Self::Raw;
        /// Frees a handle from [`Key::new_raw`].
        ///
        /// # Safety
        /// `raw` is null or a live handle from `new_raw`, freed once.
        unsafe fn free_raw(raw: *mut Self::Raw);
    }
}
use sealed::Key;

impl Key for u64 {
    type Raw = sys::arsenal_absl_u64;
    fn new_raw() -> *mut Self::Raw {
        // SAFETY: no preconditions.
        unsafe { sys::arsenal_absl_u64_new() }
    }
    unsafe fn free_raw(raw: *mut Self::Raw) {
        // SAFETY: the caller's contract.
        unsafe { sys::arsenal_absl_u64_free(raw) }
    }
}

impl Key for [u8] {
    type Raw = sys::arsenal_absl_bytes;
    fn new_raw() -> *mut Self::Raw {
        // SAFETY: no preconditions.
        unsafe { sys::arsenal_absl_bytes_new() }
    }
    unsafe fn free_raw(raw: *mut Self::Raw) {
        // SAFETY: the caller's contract.
        unsafe { sys::arsenal_absl_bytes_free(raw) }
    }
}

/// Abseil's `absl::flat_hash_map<uint64_t, uint64_t>` (`Abseil<u64>`) or
/// `absl::flat_hash_map<std::string, uint64_t>` (`Abseil<[u8]>`, looked up by
/// `absl::string_view` without copying the key), hashed with `absl::Hash`.
///
/// Every call crosses the FFI boundary once (the shim's functions are not inlined into
/// Rust); [`get_many`](Map::get_many) and [`Abseil::insert_many`] do a whole batch per
/// call. No C++ exception reaches Rust: the shim bounds `reserve` and tries the
/// allocation a growing insert will make before Abseil does (see [`ErrorKind`]).
///
/// ```
/// use arsenal_map::{Abseil, Map};
///
/// let mut m = Abseil::<[u8]>::new();
/// m.insert(b"key", 1)?;
/// assert_eq!(m.get(b"key"), Some(1));
/// assert_eq!(m.iter().collect::<Vec<_>>(), [(&b"key"[..], 1)]);
/// # Ok::<(), arsenal_map::Error>(())
/// ```
pub struct Abseil<K: ?Sized + Key> {
    raw: NonNull<K::Raw>,
    _key: PhantomData<fn(&K)>,
}

// SAFETY: the shim's handle owns its table and keeps no thread-local state, so it may be
// used from another thread (`Send`); its `const` functions (the only ones `&self` calls)
// only read the table, as any const C++ container access, so shared use from several
// threads is sound (`Sync`); mutation needs `&mut self`.
unsafe impl<K: ?Sized + Key> Send for Abseil<K> {}
// SAFETY: see `Send` above.
unsafe impl<K: ?Sized + Key> Sync for Abseil<K> {}

impl<K: ?Sized + Key> Abseil<K> {
    /// An empty map (no allocation until the first insert).
    ///
    /// # Panics
    /// If `malloc` cannot allocate the handle (a few dozen bytes), as `Box::new` would.
    pub fn new() -> Self {
        let raw =
            NonNull::new(K::new_raw()).expect("arsenal-map: malloc of an Abseil handle failed");
        Abseil {
            raw,
            _key: PhantomData,
        }
    }
}

impl<K: ?Sized + Key> Default for Abseil<K> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: ?Sized + Key> Drop for Abseil<K> {
    fn drop(&mut self) {
        // SAFETY: `raw` is the live handle `new` made; dropped once.
        unsafe { K::free_raw(self.raw.as_ptr()) }
    }
}

fn status(code: c_int) -> Result<()> {
    let name = Backend::Abseil.name();
    match code {
        sys::ARSENAL_ABSL_OK => Ok(()),
        sys::ARSENAL_ABSL_CAPACITY => Err(Error::new(
            ErrorKind::Capacity,
            name,
            "more elements than a flat_hash_map can address",
        )
        .with_code(code.into())),
        sys::ARSENAL_ABSL_NOMEM => Err(Error::new(
            ErrorKind::OutOfMemory,
            name,
            "the table's allocation failed; the map is unchanged",
        )
        .with_code(code.into())),
        _ => Err(Error::new(
            ErrorKind::ContentsLost,
            name,
            "allocation failed inside flat_hash_map's growth; its table was leaked and the map emptied",
        )
        .with_code(code.into())),
    }
}

impl Abseil<u64> {
    fn ptr(&self) -> *const sys::arsenal_absl_u64 {
        self.raw.as_ptr()
    }

    fn ptr_mut(&mut self) -> *mut sys::arsenal_absl_u64 {
        self.raw.as_ptr()
    }

    /// Inserts (or overwrites) `keys[i] → values[i]` for every pair, in one call.
    ///
    /// # Errors
    /// As [`Map::insert`]; the pairs before the failing one are in the map (with
    /// [`ErrorKind::ContentsLost`], none are).
    ///
    /// # Panics
    /// If `values` is shorter than `keys`.
    pub fn insert_many(&mut self, keys: &[u64], values: &[u64]) -> Result<()> {
        assert!(
            values.len() >= keys.len(),
            "insert_many: values is shorter than keys"
        );
        let mut done = 0;
        // SAFETY: a live handle, exclusively borrowed; both arrays hold `keys.len()` items.
        let code = unsafe {
            sys::arsenal_absl_u64_insert_many(
                self.ptr_mut(),
                keys.as_ptr(),
                values.as_ptr(),
                keys.len(),
                &mut done,
            )
        };
        status(code)
    }

    /// An iterator over the keys and values (copied out in batches of 64).
    pub fn iter(&self) -> U64Iter<'_> {
        // SAFETY: a live handle; the iterator borrows `self`, so the map is neither
        // modified nor freed while it exists.
        let raw = unsafe { sys::arsenal_absl_u64_iter_new(self.ptr()) };
        U64Iter {
            raw: NonNull::new(raw).expect("arsenal-map: malloc of an Abseil iterator failed"),
            keys: [0; 64],
            values: [0; 64],
            at: 0,
            len: 0,
            _map: PhantomData,
        }
    }
}

/// An iterator over an [`Abseil<u64>`] map: `(key, value)` pairs.
pub struct U64Iter<'a> {
    raw: NonNull<sys::arsenal_absl_u64_iter>,
    keys: [u64; 64],
    values: [u64; 64],
    at: usize,
    len: usize,
    _map: PhantomData<&'a Abseil<u64>>,
}

impl Iterator for U64Iter<'_> {
    type Item = (u64, u64);

    fn next(&mut self) -> Option<(u64, u64)> {
        if self.at == self.len {
            // SAFETY: a live iterator over a map borrowed for 'a; both buffers hold 64.
            self.len = unsafe {
                sys::arsenal_absl_u64_iter_next(
                    self.raw.as_ptr(),
                    self.keys.as_mut_ptr(),
                    self.values.as_mut_ptr(),
                    64,
                )
            };
            self.at = 0;
            if self.len == 0 {
                return None;
            }
        }
        let pair = (self.keys[self.at], self.values[self.at]);
        self.at += 1;
        Some(pair)
    }
}

impl Drop for U64Iter<'_> {
    fn drop(&mut self) {
        // SAFETY: the live iterator `iter` made; freed once.
        unsafe { sys::arsenal_absl_u64_iter_free(self.raw.as_ptr()) }
    }
}

impl fmt::Debug for U64Iter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("U64Iter").finish_non_exhaustive()
    }
}

impl Map<u64> for Abseil<u64> {
    #[inline]
    fn get(&self, key: &u64) -> Option<u64> {
        let mut value = 0;
        // SAFETY: a live handle; `value` is a live local.
        let found = unsafe { sys::arsenal_absl_u64_get(self.ptr(), *key, &mut value) };
        (found == 1).then_some(value)
    }

    #[inline]
    fn insert(&mut self, key: &u64, value: u64) -> Result<Option<u64>> {
        let (mut old, mut replaced) = (0, 0);
        // SAFETY: a live handle, exclusively borrowed; out-pointers are live locals.
        let code = unsafe {
            sys::arsenal_absl_u64_insert(self.ptr_mut(), *key, value, &mut old, &mut replaced)
        };
        status(code)?;
        Ok((replaced == 1).then_some(old))
    }

    #[inline]
    fn remove(&mut self, key: &u64) -> Option<u64> {
        let mut old = 0;
        // SAFETY: a live handle, exclusively borrowed; `old` is a live local.
        let found = unsafe { sys::arsenal_absl_u64_remove(self.ptr_mut(), *key, &mut old) };
        (found == 1).then_some(old)
    }

    fn len(&self) -> usize {
        // SAFETY: a live handle.
        unsafe { sys::arsenal_absl_u64_len(self.ptr()) }
    }

    fn reserve(&mut self, additional: usize) -> Result<()> {
        // SAFETY: a live handle, exclusively borrowed.
        status(unsafe { sys::arsenal_absl_u64_reserve(self.ptr_mut(), additional) })
    }

    fn clear(&mut self) {
        // SAFETY: a live handle, exclusively borrowed.
        unsafe { sys::arsenal_absl_u64_clear(self.ptr_mut()) }
    }

    fn heap_bytes(&self) -> usize {
        // SAFETY: a live handle.
        unsafe { sys::arsenal_absl_u64_heap_bytes(self.ptr()) }
    }

    fn for_each(&self, f: &mut dyn FnMut(&u64, u64)) {
        for (k, v) in self.iter() {
            f(&k, v);
        }
    }

    fn get_many(&self, keys: &[u64], out: &mut [Option<u64>]) -> usize {
        assert!(
            out.len() >= keys.len(),
            "get_many: out is shorter than keys"
        );
        let mut hits = 0;
        let (mut values, mut found) = ([0u64; 256], [0u8; 256]);
        for (keys, out) in keys.chunks(256).zip(out.chunks_mut(256)) {
            // SAFETY: a live handle; `keys` holds `keys.len()` ≤ 256 items and both
            // output buffers hold 256.
            hits += unsafe {
                sys::arsenal_absl_u64_get_many(
                    self.ptr(),
                    keys.as_ptr(),
                    keys.len(),
                    values.as_mut_ptr(),
                    found.as_mut_ptr(),
                )
            };
            for ((slot, &v), &f) in out.iter_mut().zip(&values).zip(&found) {
                *slot = (f == 1).then_some(v);
            }
        }
        hits
    }

    fn backend(&self) -> Backend {
        Backend::Abseil
    }
}

impl Abseil<[u8]> {
    fn ptr(&self) -> *const sys::arsenal_absl_bytes {
        self.raw.as_ptr()
    }

    fn ptr_mut(&mut self) -> *mut sys::arsenal_absl_bytes {
        self.raw.as_ptr()
    }

    /// An iterator over the keys (borrowed from the map) and values.
    pub fn iter(&self) -> BytesIter<'_> {
        // SAFETY: a live handle; the iterator borrows `self`.
        let raw = unsafe { sys::arsenal_absl_bytes_iter_new(self.ptr()) };
        BytesIter {
            raw: NonNull::new(raw).expect("arsenal-map: malloc of an Abseil iterator failed"),
            _map: PhantomData,
        }
    }
}

/// An iterator over an [`Abseil<[u8]>`](Abseil) map: `(key, value)` pairs, the keys
/// borrowed from the map.
pub struct BytesIter<'a> {
    raw: NonNull<sys::arsenal_absl_bytes_iter>,
    _map: PhantomData<&'a Abseil<[u8]>>,
}

impl<'a> Iterator for BytesIter<'a> {
    type Item = (&'a [u8], u64);

    fn next(&mut self) -> Option<(&'a [u8], u64)> {
        let (mut key, mut len, mut value) = (std::ptr::null(), 0usize, 0u64);
        // SAFETY: a live iterator over a map borrowed for 'a; out-pointers are locals.
        let more = unsafe {
            sys::arsenal_absl_bytes_iter_next(self.raw.as_ptr(), &mut key, &mut len, &mut value)
        };
        if more == 0 {
            return None;
        }
        let key = if len == 0 {
            &[][..]
        } else {
            // SAFETY: the shim returns the key's `std::string` buffer, `len` bytes, valid
            // while the map is unmodified and alive — it is borrowed for 'a.
            unsafe { std::slice::from_raw_parts(key, len) }
        };
        Some((key, value))
    }
}

impl Drop for BytesIter<'_> {
    fn drop(&mut self) {
        // SAFETY: the live iterator `iter` made; freed once.
        unsafe { sys::arsenal_absl_bytes_iter_free(self.raw.as_ptr()) }
    }
}

impl fmt::Debug for BytesIter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BytesIter").finish_non_exhaustive()
    }
}

impl Map<[u8]> for Abseil<[u8]> {
    #[inline]
    fn get(&self, key: &[u8]) -> Option<u64> {
        let mut value = 0;
        // SAFETY: a live handle; `key` is a live slice (dangling only when empty, which
        // the shim accepts); `value` is a live local.
        let found =
            unsafe { sys::arsenal_absl_bytes_get(self.ptr(), key.as_ptr(), key.len(), &mut value) };
        (found == 1).then_some(value)
    }

    #[inline]
    fn insert(&mut self, key: &[u8], value: u64) -> Result<Option<u64>> {
        let (mut old, mut replaced) = (0, 0);
        // SAFETY: a live handle, exclusively borrowed; `key` as in `get`; out-pointers
        // are live locals.
        let code = unsafe {
            sys::arsenal_absl_bytes_insert(
                self.ptr_mut(),
                key.as_ptr(),
                key.len(),
                value,
                &mut old,
                &mut replaced,
            )
        };
        status(code)?;
        Ok((replaced == 1).then_some(old))
    }

    #[inline]
    fn remove(&mut self, key: &[u8]) -> Option<u64> {
        let mut old = 0;
        // SAFETY: a live handle, exclusively borrowed; `key` as in `get`.
        let found = unsafe {
            sys::arsenal_absl_bytes_remove(self.ptr_mut(), key.as_ptr(), key.len(), &mut old)
        };
        (found == 1).then_some(old)
    }

    fn len(&self) -> usize {
        // SAFETY: a live handle.
        unsafe { sys::arsenal_absl_bytes_len(self.ptr()) }
    }

    fn reserve(&mut self, additional: usize) -> Result<()> {
        // SAFETY: a live handle, exclusively borrowed.
        status(unsafe { sys::arsenal_absl_bytes_reserve(self.ptr_mut(), additional) })
    }

    fn clear(&mut self) {
        // SAFETY: a live handle, exclusively borrowed.
        unsafe { sys::arsenal_absl_bytes_clear(self.ptr_mut()) }
    }

    fn heap_bytes(&self) -> usize {
        // SAFETY: a live handle.
        unsafe { sys::arsenal_absl_bytes_heap_bytes(self.ptr()) }
    }

    fn for_each(&self, f: &mut dyn FnMut(&[u8], u64)) {
        for (k, v) in self.iter() {
            f(k, v);
        }
    }

    fn backend(&self) -> Backend {
        Backend::Abseil
    }
}

impl fmt::Debug for Abseil<u64> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl fmt::Debug for Abseil<[u8]> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Extend<(u64, u64)> for Abseil<u64> {
    /// Inserts every pair.
    ///
    /// # Panics
    /// If an allocation fails (use [`Map::insert`] to handle that as an error).
    fn extend<I: IntoIterator<Item = (u64, u64)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(&k, v)
                .expect("arsenal-map: Abseil insert failed");
        }
    }
}

impl FromIterator<(u64, u64)> for Abseil<u64> {
    fn from_iter<I: IntoIterator<Item = (u64, u64)>>(iter: I) -> Self {
        let mut m = Self::new();
        m.extend(iter);
        m
    }
}
