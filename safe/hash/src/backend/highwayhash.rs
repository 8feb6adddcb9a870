//! HighwayHash from libhighwayhash through our C++ shim (`arsenal-highwayhash-sys`):
//! 64/128/256-bit results, one-shot through the library's run-time CPU dispatch and
//! streaming through its `HighwayHashCatT` state (AVX2 or portable).

use core::ffi::c_void;
use core::ptr::NonNull;

use arsenal_highwayhash_sys as ffi;

use crate::{splitmix64, state_alloc_failed, Error, ErrorKind, Hasher128, Hasher64};

/// HighwayHash keyed by a 256-bit key (`[u64; 4]`).
///
/// [`Hasher64::with_seed`] / [`Hasher128::with_seed`] expand the seed into the key with
/// four [`splitmix64`] steps from `state = seed`; [`HighwayHash::with_key`] takes the key.
/// The 128-bit result is `words[1] << 64 | words[0]` of the library's `HHResult128`.
///
/// ```
/// use arsenal_hash::HighwayHash;
/// // highwayhash_test.cc's key and its expected 64-bit hash of the empty input.
/// let key = [0x0706050403020100, 0x0F0E0D0C0B0A0908, 0x1716151413121110, 0x1F1E1D1C1B1A1918];
/// assert_eq!(HighwayHash::hash64_with_key(&key, b""), 0x907A56DE22C26E53);
/// let mut h = HighwayHash::with_key(key);
/// h.update_bytes(b"abc");
/// assert_eq!(h.finish256(), HighwayHash::hash256_with_key(&key, b"abc"));
/// ```
pub struct HighwayHash {
    state: NonNull<c_void>,
    key: [u64; 4],
}

// SAFETY: the shim's state is a heap object owned by this value with no thread affinity
// or thread-local data (sys crate docs); `&self` methods only read it (finish* finalise
// a copy).
unsafe impl Send for HighwayHash {}
// SAFETY: as above: shared references only call the reading finish* functions.
unsafe impl Sync for HighwayHash {}

impl std::fmt::Debug for HighwayHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a secret: never printed.
        f.debug_struct("HighwayHash")
            .field("avx2", &self.is_avx2())
            .finish_non_exhaustive()
    }
}

/// The key [`Hasher64::with_seed`] derives from `seed`.
fn key_from_seed(seed: u64) -> [u64; 4] {
    let mut s = seed;
    [
        splitmix64(&mut s),
        splitmix64(&mut s),
        splitmix64(&mut s),
        splitmix64(&mut s),
    ]
}

impl HighwayHash {
    /// A streaming hasher keyed by `key`.
    pub fn with_key(key: [u64; 4]) -> Self {
        Self::try_with_key(key).unwrap_or_else(|_| state_alloc_failed(256))
    }

    /// As [`with_key`](HighwayHash::with_key), reporting a failed state allocation.
    pub fn try_with_key(key: [u64; 4]) -> Result<Self, Error> {
        // SAFETY: `key` points at four words; null is checked.
        let state =
            NonNull::new(unsafe { ffi::arsenal_hh_cat_new(key.as_ptr()) }).ok_or_else(|| {
                Error::new(
                    ErrorKind::OutOfMemory,
                    "highwayhash",
                    "arsenal_hh_cat_new returned null",
                )
            })?;
        Ok(HighwayHash { state, key })
    }

    /// As [`Hasher64::with_seed`], reporting a failed state allocation.
    pub fn try_with_seed(seed: u64) -> Result<Self, Error> {
        Self::try_with_key(key_from_seed(seed))
    }

    /// Feeds `data` (the same as [`Hasher64::update`], without naming the trait).
    pub fn update_bytes(&mut self, data: &[u8]) {
        // SAFETY: the state is live; `data` is a live slice of `data.len()` bytes.
        unsafe {
            ffi::arsenal_hh_cat_append(self.state.as_ptr(), data.as_ptr().cast(), data.len())
        };
    }

    /// The 256-bit hash of everything fed (the state is unchanged).
    pub fn finish256(&self) -> [u64; 4] {
        let mut out = [0u64; 4];
        // SAFETY: the state is live; `out` has the four words the call writes.
        unsafe { ffi::arsenal_hh_cat_finish256(self.state.as_ptr(), out.as_mut_ptr()) };
        out
    }

    /// Whether the streaming state runs the AVX2 implementation (else the portable one).
    pub fn is_avx2(&self) -> bool {
        // SAFETY: the state is live.
        unsafe { ffi::arsenal_hh_cat_is_avx2(self.state.as_ptr()) != 0 }
    }

    /// One-shot 64-bit HighwayHash of `data` with `key`.
    pub fn hash64_with_key(key: &[u64; 4], data: &[u8]) -> u64 {
        // SAFETY: `key` has four words; `data` is a live slice.
        unsafe { ffi::arsenal_hh_hash64(key.as_ptr(), data.as_ptr().cast(), data.len()) }
    }

    /// One-shot 128-bit HighwayHash of `data` with `key`.
    pub fn hash128_with_key(key: &[u64; 4], data: &[u8]) -> u128 {
        let mut out = [0u64; 2];
        // SAFETY: `key` has four words; `data` is a live slice; `out` has two words.
        unsafe {
            ffi::arsenal_hh_hash128(
                key.as_ptr(),
                data.as_ptr().cast(),
                data.len(),
                out.as_mut_ptr(),
            )
        };
        (u128::from(out[1]) << 64) | u128::from(out[0])
    }

    /// One-shot 256-bit HighwayHash of `data` with `key`.
    pub fn hash256_with_key(key: &[u64; 4], data: &[u8]) -> [u64; 4] {
        let mut out = [0u64; 4];
        // SAFETY: `key` has four words; `data` is a live slice; `out` has four words.
        unsafe {
            ffi::arsenal_hh_hash256(
                key.as_ptr(),
                data.as_ptr().cast(),
                data.len(),
                out.as_mut_ptr(),
            )
        };
        out
    }
}

impl Hasher64 for HighwayHash {
    fn with_seed(seed: u64) -> Self {
        Self::with_key(key_from_seed(seed))
    }

    #[inline]
    fn update(&mut self, data: &[u8]) {
        self.update_bytes(data);
    }

    #[inline]
    fn finish64(&self) -> u64 {
        // SAFETY: the state is live; finish64 finalises a copy.
        unsafe { ffi::arsenal_hh_cat_finish64(self.state.as_ptr()) }
    }

    fn reset(&mut self) {
        // SAFETY: the state is live; the key has four words.
        unsafe { ffi::arsenal_hh_cat_reset(self.state.as_ptr(), self.key.as_ptr()) };
    }

    fn name(&self) -> &'static str {
        "highwayhash-64"
    }

    #[inline]
    fn hash64(seed: u64, data: &[u8]) -> u64 {
        Self::hash64_with_key(&key_from_seed(seed), data)
    }
}

impl Hasher128 for HighwayHash {
    fn with_seed(seed: u64) -> Self {
        Self::with_key(key_from_seed(seed))
    }

    #[inline]
    fn update(&mut self, data: &[u8]) {
        self.update_bytes(data);
    }

    #[inline]
    fn finish128(&self) -> u128 {
        let mut out = [0u64; 2];
        // SAFETY: the state is live; `out` has the two words the call writes.
        unsafe { ffi::arsenal_hh_cat_finish128(self.state.as_ptr(), out.as_mut_ptr()) };
        (u128::from(out[1]) << 64) | u128::from(out[0])
    }

    fn reset(&mut self) {
        Hasher64::reset(self);
    }

    #[inline]
    fn hash128(seed: u64, data: &[u8]) -> u128 {
        Self::hash128_with_key(&key_from_seed(seed), data)
    }
}

impl Drop for HighwayHash {
    fn drop(&mut self) {
        // SAFETY: the state came from arsenal_hh_cat_new and is freed once.
        unsafe { ffi::arsenal_hh_cat_free(self.state.as_ptr()) };
    }
}
