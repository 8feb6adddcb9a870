//! Abseil's `absl::btree_map` (C++ B-tree) through `arsenal-absl-sys`.

use std::ops::Bound;
use std::os::raw::c_int;
use std::ptr::NonNull;

use arsenal_absl_sys as sys;

use crate::{Backend, Error, ErrorKind, OrderedMap, Result};

/// Entries copied per FFI call by range scans.
const SCAN_BATCH: usize = 128;

/// Abseil's `absl::btree_map<uint64_t, uint64_t>`: a B-tree whose nodes target 256 bytes
/// (15 `u64 → u64` entries per leaf), searched by binary search.
///
/// Every call crosses the FFI boundary once (the shim is not inlined into Rust); range
/// scans copy 128 entries per call. No C++ exception reaches Rust: a failed node
/// allocation is [`ErrorKind::ContentsLost`] (the map emptied; see the crate docs).
///
/// ```
/// use arsenal_tree::{Abseil, OrderedMap};
///
/// let mut m = Abseil::new();
/// m.insert(5, 50)?;
/// m.insert(1, 10)?;
/// assert_eq!(m.first(), Some((1, 10)));
/// assert_eq!(m.lower_bound(2), Some((5, 50)));
/// # Ok::<(), arsenal_tree::Error>(())
/// ```
pub struct Abseil {
    raw: NonNull<sys::arsenal_absl_btree>,
}

// SAFETY: the shim's handle owns its tree and keeps no thread-local state, so it may be
// used from another thread (`Send`); the functions `&self` calls only read the tree, as
// any const C++ container access, so shared use from several threads is sound (`Sync`);
// mutation needs `&mut self`.
unsafe impl Send for Abseil {}
// SAFETY: see `Send` above.
unsafe impl Sync for Abseil {}

impl Abseil {
    /// An empty map (no allocation until the first insert).
    ///
    /// # Panics
    /// If `malloc` cannot allocate the handle (a few dozen bytes), as `Box::new` would.
    pub fn new() -> Self {
        // SAFETY: no preconditions.
        let raw = unsafe { sys::arsenal_absl_btree_new() };
        let raw = NonNull::new(raw).expect("arsenal-tree: malloc of an Abseil handle failed");
        Abseil { raw }
    }

    fn ptr(&self) -> *const sys::arsenal_absl_btree {
        self.raw.as_ptr()
    }

    /// Looks up every key of `keys`, writing `out[i]`, in one FFI call; the number found.
    ///
    /// # Panics
    /// If `out` is shorter than `keys`.
    pub fn get_many(&self, keys: &[u64], out: &mut [Option<u64>]) -> usize {
        assert!(
            out.len() >= keys.len(),
            "get_many: out is shorter than keys"
        );
        let mut hits = 0;
        let mut values = [0u64; SCAN_BATCH];
        let mut found = [0u8; SCAN_BATCH];
        for (chunk, dst) in keys.chunks(SCAN_BATCH).zip(out.chunks_mut(SCAN_BATCH)) {
            // SAFETY: the handle is live; `chunk` has `chunk.len()` readable keys and
            // `values`/`found` at least as many writable slots.
            hits += unsafe {
                sys::arsenal_absl_btree_get_many(
                    self.ptr(),
                    chunk.as_ptr(),
                    chunk.len(),
                    values.as_mut_ptr(),
                    found.as_mut_ptr(),
                )
            };
            for (i, slot) in dst.iter_mut().take(chunk.len()).enumerate() {
                *slot = (found[i] != 0).then_some(values[i]);
            }
        }
        hits
    }

    fn pair(f: impl FnOnce(*mut u64, *mut u64) -> c_int) -> Option<(u64, u64)> {
        let (mut k, mut v) = (0u64, 0u64);
        (f(&mut k, &mut v) != 0).then_some((k, v))
    }
}

impl Default for Abseil {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Abseil {
    fn drop(&mut self) {
        // SAFETY: `raw` is the live handle `new` made; dropped once.
        unsafe { sys::arsenal_absl_btree_free(self.raw.as_ptr()) }
    }
}

impl std::fmt::Debug for Abseil {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Abseil").field("len", &self.len()).finish()
    }
}

impl OrderedMap for Abseil {
    #[inline]
    fn get(&self, key: u64) -> Option<u64> {
        let mut value = 0;
        // SAFETY: the handle is live; `value` is a valid out-pointer.
        let found = unsafe { sys::arsenal_absl_btree_get(self.ptr(), key, &mut value) };
        (found != 0).then_some(value)
    }

    fn insert(&mut self, key: u64, value: u64) -> Result<Option<u64>> {
        let (mut old, mut replaced) = (0u64, 0 as c_int);
        // SAFETY: the handle is live and `&mut self` is exclusive; out-pointers are valid.
        let code = unsafe {
            sys::arsenal_absl_btree_insert(self.raw.as_ptr(), key, value, &mut old, &mut replaced)
        };
        if code != sys::ARSENAL_ABSL_OK {
            return Err(Error::new(
                ErrorKind::ContentsLost,
                Backend::Abseil.name(),
                "a node allocation failed inside btree_map; its tree was leaked and the map emptied",
            )
            .with_code(code.into()));
        }
        Ok((replaced != 0).then_some(old))
    }

    fn remove(&mut self, key: u64) -> Option<u64> {
        let mut old = 0;
        // SAFETY: the handle is live and `&mut self` is exclusive; `old` is valid.
        let found = unsafe { sys::arsenal_absl_btree_remove(self.raw.as_ptr(), key, &mut old) };
        (found != 0).then_some(old)
    }

    fn len(&self) -> usize {
        // SAFETY: the handle is live.
        unsafe { sys::arsenal_absl_btree_len(self.ptr()) }
    }

    fn first(&self) -> Option<(u64, u64)> {
        // SAFETY: the handle is live; `k`/`v` are valid out-pointers.
        Self::pair(|k, v| unsafe { sys::arsenal_absl_btree_first(self.ptr(), k, v) })
    }

    fn last(&self) -> Option<(u64, u64)> {
        // SAFETY: the handle is live; `k`/`v` are valid out-pointers.
        Self::pair(|k, v| unsafe { sys::arsenal_absl_btree_last(self.ptr(), k, v) })
    }

    fn lower_bound(&self, key: u64) -> Option<(u64, u64)> {
        // SAFETY: the handle is live; `k`/`v` each have room for one entry.
        Self::pair(
            |k, v| unsafe { sys::arsenal_absl_btree_scan(self.ptr(), key, k, v, 1) } as c_int,
        )
    }

    fn for_each_in(&self, range: (Bound<u64>, Bound<u64>), f: &mut dyn FnMut(u64, u64)) {
        let mut from = match range.0 {
            Bound::Unbounded => 0,
            Bound::Included(k) => k,
            Bound::Excluded(k) => match k.checked_add(1) {
                Some(k) => k,
                None => return,
            },
        };
        let mut keys = [0u64; SCAN_BATCH];
        let mut values = [0u64; SCAN_BATCH];
        loop {
            // SAFETY: the handle is live; both buffers hold `SCAN_BATCH` entries.
            let n = unsafe {
                sys::arsenal_absl_btree_scan(
                    self.ptr(),
                    from,
                    keys.as_mut_ptr(),
                    values.as_mut_ptr(),
                    SCAN_BATCH,
                )
            };
            for (&k, &v) in keys[..n].iter().zip(&values[..n]) {
                let inside = match range.1 {
                    Bound::Unbounded => true,
                    Bound::Included(e) => k <= e,
                    Bound::Excluded(e) => k < e,
                };
                if !inside {
                    return;
                }
                f(k, v);
            }
            if n < SCAN_BATCH {
                return;
            }
            match keys[n - 1].checked_add(1) {
                Some(next) => from = next,
                None => return,
            }
        }
    }

    fn clear(&mut self) {
        // SAFETY: the handle is live and `&mut self` is exclusive.
        unsafe { sys::arsenal_absl_btree_clear(self.raw.as_ptr()) }
    }

    fn heap_bytes(&self) -> usize {
        // SAFETY: the handle is live.
        unsafe { sys::arsenal_absl_btree_heap_bytes(self.ptr()) }
    }

    fn backend(&self) -> Backend {
        Backend::Abseil
    }
}
