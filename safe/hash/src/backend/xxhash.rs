//! xxHash 0.8 from libxxhash: [`Xxh32`], [`Xxh64`], [`Xxh3_64`], [`Xxh3_128`].
//!
//! Each type owns a C streaming state (`XXH*_createState`, freed on drop); one-shot
//! [`Hasher64::hash64`] / [`Hasher128::hash128`] call one-shot functions, which allocate
//! nothing.
//!
//! XXH3 (one-shot and `update`/`digest`) and one-shot XXH64 run the sys crate's copies
//! of xxHash compiled from the installed `xxhash.h` per vector level, chosen once at run
//! time from the CPU's features ([`xxh3_vector_level`]): Debian's library is built for
//! baseline x86-64 (SSE2) and ships no dispatcher, which left XXH3 at a third of the
//! pure-Rust crates' speed. State creation, reset and XXH32 stay the library's.

use core::ffi::c_void;
use core::ptr::NonNull;

use arsenal_xxhash_sys as ffi;

use crate::{state_alloc_failed, Error, ErrorKind, Hasher128, Hasher64};

/// One vector level's copy of the shim's functions (see the module docs).
struct Level {
    name: &'static str,
    h64: unsafe extern "C" fn(*const c_void, usize, u64) -> u64,
    h128: unsafe extern "C" fn(*const c_void, usize, u64) -> ffi::XXH128_hash_t,
    update64:
        unsafe extern "C" fn(*mut ffi::XXH3_state_t, *const c_void, usize) -> ffi::XXH_errorcode,
    digest64: unsafe extern "C" fn(*const ffi::XXH3_state_t) -> u64,
    update128:
        unsafe extern "C" fn(*mut ffi::XXH3_state_t, *const c_void, usize) -> ffi::XXH_errorcode,
    digest128: unsafe extern "C" fn(*const ffi::XXH3_state_t) -> ffi::XXH128_hash_t,
    /// XXH64 is scalar at every level: callers use the baseline copy; the level test
    /// checks that every copy agrees.
    #[cfg_attr(not(test), allow(dead_code))]
    xxh64: unsafe extern "C" fn(*const c_void, usize, u64) -> u64,
}

macro_rules! level {
    ($name:literal, $h64:ident, $h128:ident, $u64:ident, $d64:ident, $u128:ident, $d128:ident, $x64:ident) => {
        Level {
            name: $name,
            h64: ffi::$h64,
            h128: ffi::$h128,
            update64: ffi::$u64,
            digest64: ffi::$d64,
            update128: ffi::$u128,
            digest128: ffi::$d128,
            xxh64: ffi::$x64,
        }
    };
}

#[cfg(target_arch = "x86_64")]
static SSE2: Level = level!(
    "sse2",
    arsenal_xxh3_64_sse2,
    arsenal_xxh3_128_sse2,
    arsenal_xxh3_64_update_sse2,
    arsenal_xxh3_64_digest_sse2,
    arsenal_xxh3_128_update_sse2,
    arsenal_xxh3_128_digest_sse2,
    arsenal_xxh64_sse2
);
#[cfg(target_arch = "x86_64")]
static AVX2: Level = level!(
    "avx2",
    arsenal_xxh3_64_avx2,
    arsenal_xxh3_128_avx2,
    arsenal_xxh3_64_update_avx2,
    arsenal_xxh3_64_digest_avx2,
    arsenal_xxh3_128_update_avx2,
    arsenal_xxh3_128_digest_avx2,
    arsenal_xxh64_avx2
);
#[cfg(target_arch = "x86_64")]
static AVX512: Level = level!(
    "avx512",
    arsenal_xxh3_64_avx512,
    arsenal_xxh3_128_avx512,
    arsenal_xxh3_64_update_avx512,
    arsenal_xxh3_64_digest_avx512,
    arsenal_xxh3_128_update_avx512,
    arsenal_xxh3_128_digest_avx512,
    arsenal_xxh64_avx512
);
#[cfg(not(target_arch = "x86_64"))]
static GENERIC: Level = level!(
    "generic",
    arsenal_xxh3_64_generic,
    arsenal_xxh3_128_generic,
    arsenal_xxh3_64_update_generic,
    arsenal_xxh3_64_digest_generic,
    arsenal_xxh3_128_update_generic,
    arsenal_xxh3_128_digest_generic,
    arsenal_xxh64_generic
);

/// Inputs up to this length never reach XXH3's vector loop (xxHash's
/// `XXH3_MIDSIZE_MAX`): every level runs the same scalar code on them, so they go to the
/// baseline copy by a direct call, without the dispatch.
const XXH3_SHORT_MAX: usize = 240;

// The baseline copy: XXH3 inputs up to XXH3_SHORT_MAX, and XXH64 (scalar at every level).
#[cfg(not(target_arch = "x86_64"))]
use ffi::{
    arsenal_xxh3_128_generic as xxh3_128_short, arsenal_xxh3_64_generic as xxh3_64_short,
    arsenal_xxh64_generic as xxh64_scalar,
};
#[cfg(target_arch = "x86_64")]
use ffi::{
    arsenal_xxh3_128_sse2 as xxh3_128_short, arsenal_xxh3_64_sse2 as xxh3_64_short,
    arsenal_xxh64_sse2 as xxh64_scalar,
};

/// The widest level this CPU runs, chosen once.
#[inline]
fn level() -> &'static Level {
    static LEVEL: std::sync::OnceLock<&'static Level> = std::sync::OnceLock::new();
    LEVEL.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            let cpu = arsenal_core::cpu::features();
            if cpu.avx512f {
                &AVX512
            } else if cpu.avx2 {
                &AVX2
            } else {
                &SSE2
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            &GENERIC
        }
    })
}

/// The vector level XXH3 runs at on this CPU: `"avx512"`, `"avx2"` or `"sse2"` on
/// x86-64 (the widest the CPU has), `"generic"` elsewhere. Every level computes the same
/// hashes.
///
/// ```
/// let level = arsenal_hash::xxh3_vector_level();
/// assert!(["avx512", "avx2", "sse2", "generic"].contains(&level));
/// ```
pub fn xxh3_vector_level() -> &'static str {
    level().name
}

/// A data pointer xxHash accepts for `data.len()` bytes (an empty slice's dangling pointer
/// is never read).
fn ptr(data: &[u8]) -> *const c_void {
    data.as_ptr().cast()
}

/// XXH32 keyed by a 32-bit seed.
///
/// [`Hasher64::with_seed`] folds the `u64` seed as `(seed as u32) ^ (seed >> 32) as u32`
/// (so seeds below 2³² are XXH32's own); [`Xxh32::with_seed32`] takes XXH32's seed
/// directly. The 32-bit hash is returned zero-extended.
///
/// ```
/// use arsenal_hash::{Hasher64, Xxh32};
/// assert_eq!(Xxh32::hash64(0, b""), 0x02CC5D05);
/// ```
#[derive(Debug)]
pub struct Xxh32 {
    state: NonNull<ffi::XXH32_state_t>,
    seed: u32,
}

/// XXH64 keyed by a 64-bit seed.
///
/// ```
/// use arsenal_hash::{Hasher64, Xxh64};
/// assert_eq!(Xxh64::hash64(0, b""), 0xEF46DB3751D8E999);
/// ```
#[derive(Debug)]
pub struct Xxh64 {
    state: NonNull<ffi::XXH64_state_t>,
    seed: u64,
}

/// XXH3 with a 64-bit result, keyed by a 64-bit seed (`XXH3_64bits_withSeed`; seed 0 is
/// plain `XXH3_64bits`).
///
/// ```
/// use arsenal_hash::{Hasher64, Xxh3_64};
/// assert_eq!(Xxh3_64::hash64(0, b""), 0x2D06800538D394C2);
/// ```
#[derive(Debug)]
pub struct Xxh3_64 {
    state: NonNull<ffi::XXH3_state_t>,
    seed: u64,
}

/// XXH3 with a 128-bit result (`high64 << 64 | low64`), keyed by a 64-bit seed. As a
/// [`Hasher64`] it gives the low 64 bits.
///
/// ```
/// use arsenal_hash::{Hasher128, Xxh3_128};
/// assert_eq!(Xxh3_128::hash128(0, b""), 0x99AA06D3014798D86001C324468D497F);
/// ```
#[derive(Debug)]
pub struct Xxh3_128 {
    state: NonNull<ffi::XXH3_state_t>,
    seed: u64,
}

// SAFETY: xxHash states are plain memory owned by one value, with no thread affinity or
// globals (xxhash.h: "a state can be used by one thread at a time"); `&self` methods only
// read it (`*_digest` takes a const state).
unsafe impl Send for Xxh32 {}
// SAFETY: as above: shared references only call `XXH32_digest`, which reads.
unsafe impl Sync for Xxh32 {}
// SAFETY: as for Xxh32.
unsafe impl Send for Xxh64 {}
// SAFETY: as for Xxh32.
unsafe impl Sync for Xxh64 {}
// SAFETY: as for Xxh32.
unsafe impl Send for Xxh3_64 {}
// SAFETY: as for Xxh32.
unsafe impl Sync for Xxh3_64 {}
// SAFETY: as for Xxh32.
unsafe impl Send for Xxh3_128 {}
// SAFETY: as for Xxh32.
unsafe impl Sync for Xxh3_128 {}

fn fold_seed(seed: u64) -> u32 {
    (seed as u32) ^ ((seed >> 32) as u32)
}

#[cold]
fn oom(what: &str) -> Error {
    Error::new(
        ErrorKind::OutOfMemory,
        "xxhash",
        format!("{what}_createState returned null"),
    )
}

impl Xxh32 {
    /// An XXH32 hasher with XXH32's own 32-bit seed.
    pub fn with_seed32(seed: u32) -> Self {
        Self::try_with_seed32(seed).unwrap_or_else(|_| state_alloc_failed(48))
    }

    /// As [`with_seed32`](Xxh32::with_seed32), reporting a failed state allocation.
    pub fn try_with_seed32(seed: u32) -> Result<Self, Error> {
        // SAFETY: no preconditions; null is checked below.
        let state =
            NonNull::new(unsafe { ffi::XXH32_createState() }).ok_or_else(|| oom("XXH32"))?;
        let mut h = Xxh32 { state, seed };
        h.reset();
        Ok(h)
    }

    /// As [`Hasher64::with_seed`], reporting a failed state allocation.
    pub fn try_with_seed(seed: u64) -> Result<Self, Error> {
        Self::try_with_seed32(fold_seed(seed))
    }

    /// One-shot XXH32 with its own 32-bit seed.
    #[inline]
    pub fn hash32(seed: u32, data: &[u8]) -> u32 {
        // SAFETY: `data` is a live slice of `data.len()` bytes.
        unsafe { ffi::XXH32(ptr(data), data.len(), seed) }
    }
}

impl Hasher64 for Xxh32 {
    fn with_seed(seed: u64) -> Self {
        Self::with_seed32(fold_seed(seed))
    }

    #[inline]
    fn update(&mut self, data: &[u8]) {
        // SAFETY: the state is live and reset; `data` is a live slice, so the call cannot
        // fail (it fails only for a null input with a non-zero length).
        unsafe { ffi::XXH32_update(self.state.as_ptr(), ptr(data), data.len()) };
    }

    #[inline]
    fn finish64(&self) -> u64 {
        // SAFETY: the state is live; digest only reads it.
        u64::from(unsafe { ffi::XXH32_digest(self.state.as_ptr()) })
    }

    fn reset(&mut self) {
        // SAFETY: the state is live; reset cannot fail on a non-null state.
        unsafe { ffi::XXH32_reset(self.state.as_ptr(), self.seed) };
    }

    fn name(&self) -> &'static str {
        "xxh32"
    }

    #[inline]
    fn hash64(seed: u64, data: &[u8]) -> u64 {
        u64::from(Self::hash32(fold_seed(seed), data))
    }
}

impl Drop for Xxh32 {
    fn drop(&mut self) {
        // SAFETY: the state came from XXH32_createState and is freed once.
        unsafe { ffi::XXH32_freeState(self.state.as_ptr()) };
    }
}

impl Xxh64 {
    /// As [`Hasher64::with_seed`], reporting a failed state allocation.
    pub fn try_with_seed(seed: u64) -> Result<Self, Error> {
        // SAFETY: no preconditions; null is checked below.
        let state =
            NonNull::new(unsafe { ffi::XXH64_createState() }).ok_or_else(|| oom("XXH64"))?;
        let mut h = Xxh64 { state, seed };
        Hasher64::reset(&mut h);
        Ok(h)
    }
}

impl Hasher64 for Xxh64 {
    fn with_seed(seed: u64) -> Self {
        Self::try_with_seed(seed).unwrap_or_else(|_| state_alloc_failed(88))
    }

    #[inline]
    fn update(&mut self, data: &[u8]) {
        // SAFETY: the state is live and reset; `data` is a live slice.
        unsafe { ffi::XXH64_update(self.state.as_ptr(), ptr(data), data.len()) };
    }

    #[inline]
    fn finish64(&self) -> u64 {
        // SAFETY: the state is live; digest only reads it.
        unsafe { ffi::XXH64_digest(self.state.as_ptr()) }
    }

    fn reset(&mut self) {
        // SAFETY: the state is live.
        unsafe { ffi::XXH64_reset(self.state.as_ptr(), self.seed) };
    }

    fn name(&self) -> &'static str {
        "xxh64"
    }

    #[inline]
    fn hash64(seed: u64, data: &[u8]) -> u64 {
        // SAFETY: `data` is a live slice of `data.len()` bytes; the baseline copy runs on
        // every CPU of this architecture.
        unsafe { xxh64_scalar(ptr(data), data.len(), seed) }
    }
}

impl Drop for Xxh64 {
    fn drop(&mut self) {
        // SAFETY: the state came from XXH64_createState and is freed once.
        unsafe { ffi::XXH64_freeState(self.state.as_ptr()) };
    }
}

fn new_xxh3_state() -> Result<NonNull<ffi::XXH3_state_t>, Error> {
    // SAFETY: no preconditions; null is checked.
    NonNull::new(unsafe { ffi::XXH3_createState() }).ok_or_else(|| oom("XXH3"))
}

impl Xxh3_64 {
    /// As [`Hasher64::with_seed`], reporting a failed state allocation.
    pub fn try_with_seed(seed: u64) -> Result<Self, Error> {
        let mut h = Xxh3_64 {
            state: new_xxh3_state()?,
            seed,
        };
        Hasher64::reset(&mut h);
        Ok(h)
    }
}

impl Hasher64 for Xxh3_64 {
    fn with_seed(seed: u64) -> Self {
        Self::try_with_seed(seed).unwrap_or_else(|_| state_alloc_failed(576))
    }

    #[inline]
    fn update(&mut self, data: &[u8]) {
        // SAFETY: the state is live and reset for 64-bit hashing; `data` is a live slice. `level()` runs on this CPU.
        unsafe { (level().update64)(self.state.as_ptr(), ptr(data), data.len()) };
    }

    #[inline]
    fn finish64(&self) -> u64 {
        // SAFETY: the state is live; digest only reads it. `level()` runs on this CPU.
        unsafe { (level().digest64)(self.state.as_ptr()) }
    }

    fn reset(&mut self) {
        // SAFETY: the state is live.
        unsafe { ffi::XXH3_64bits_reset_withSeed(self.state.as_ptr(), self.seed) };
    }

    fn name(&self) -> &'static str {
        "xxh3-64"
    }

    #[inline]
    fn hash64(seed: u64, data: &[u8]) -> u64 {
        if data.len() <= XXH3_SHORT_MAX {
            // SAFETY: `data` is a live slice of `data.len()` bytes; the baseline copy runs
            // on every CPU of this architecture.
            return unsafe { xxh3_64_short(ptr(data), data.len(), seed) };
        }
        // SAFETY: `data` is a live slice of `data.len()` bytes. `level()` runs on this CPU.
        unsafe { (level().h64)(ptr(data), data.len(), seed) }
    }
}

impl Drop for Xxh3_64 {
    fn drop(&mut self) {
        // SAFETY: the state came from XXH3_createState and is freed once.
        unsafe { ffi::XXH3_freeState(self.state.as_ptr()) };
    }
}

fn join(h: ffi::XXH128_hash_t) -> u128 {
    (u128::from(h.high64) << 64) | u128::from(h.low64)
}

impl Xxh3_128 {
    /// As [`Hasher128::with_seed`], reporting a failed state allocation.
    pub fn try_with_seed(seed: u64) -> Result<Self, Error> {
        let mut h = Xxh3_128 {
            state: new_xxh3_state()?,
            seed,
        };
        Hasher128::reset(&mut h);
        Ok(h)
    }
}

impl Hasher128 for Xxh3_128 {
    fn with_seed(seed: u64) -> Self {
        Self::try_with_seed(seed).unwrap_or_else(|_| state_alloc_failed(576))
    }

    #[inline]
    fn update(&mut self, data: &[u8]) {
        // SAFETY: the state is live and reset for 128-bit hashing; `data` is a live slice. `level()` runs on this CPU.
        unsafe { (level().update128)(self.state.as_ptr(), ptr(data), data.len()) };
    }

    #[inline]
    fn finish128(&self) -> u128 {
        // SAFETY: the state is live; digest only reads it. `level()` runs on this CPU.
        join(unsafe { (level().digest128)(self.state.as_ptr()) })
    }

    fn reset(&mut self) {
        // SAFETY: the state is live.
        unsafe { ffi::XXH3_128bits_reset_withSeed(self.state.as_ptr(), self.seed) };
    }

    #[inline]
    fn hash128(seed: u64, data: &[u8]) -> u128 {
        if data.len() <= XXH3_SHORT_MAX {
            // SAFETY: `data` is a live slice of `data.len()` bytes; the baseline copy runs
            // on every CPU of this architecture.
            return join(unsafe { xxh3_128_short(ptr(data), data.len(), seed) });
        }
        // SAFETY: `data` is a live slice of `data.len()` bytes. `level()` runs on this CPU.
        join(unsafe { (level().h128)(ptr(data), data.len(), seed) })
    }
}

impl Hasher64 for Xxh3_128 {
    fn with_seed(seed: u64) -> Self {
        <Self as Hasher128>::with_seed(seed)
    }

    #[inline]
    fn update(&mut self, data: &[u8]) {
        Hasher128::update(self, data);
    }

    #[inline]
    fn finish64(&self) -> u64 {
        self.finish128() as u64
    }

    fn reset(&mut self) {
        Hasher128::reset(self);
    }

    fn name(&self) -> &'static str {
        "xxh3-128"
    }

    #[inline]
    fn hash64(seed: u64, data: &[u8]) -> u64 {
        Self::hash128(seed, data) as u64
    }
}

impl Drop for Xxh3_128 {
    fn drop(&mut self) {
        // SAFETY: the state came from XXH3_createState and is freed once.
        unsafe { ffi::XXH3_freeState(self.state.as_ptr()) };
    }
}

#[cfg(test)]
mod level_tests {
    use super::*;

    /// Every level this CPU runs, not only the chosen one.
    fn levels() -> Vec<&'static Level> {
        #[cfg(target_arch = "x86_64")]
        {
            let cpu = arsenal_core::cpu::features();
            let mut v = vec![&SSE2];
            if cpu.avx2 {
                v.push(&AVX2);
            }
            if cpu.avx512f {
                v.push(&AVX512);
            }
            v
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            vec![&GENERIC]
        }
    }

    #[test]
    fn every_level_matches_the_library() {
        let data: Vec<u8> = (0..(1usize << 20) + 37)
            .map(|i| (i as u8).wrapping_mul(167) ^ (i >> 9) as u8)
            .collect();
        let mut sizes: Vec<usize> = (0..=300).collect();
        sizes.extend([
            511,
            512,
            1024,
            1025,
            4095,
            4096,
            65_536,
            100_003,
            data.len(),
        ]);
        for level in levels() {
            for &n in &sizes {
                let d = &data[..n];
                for seed in [0, 0x9E37_79B9_7F4A_7C15] {
                    // SAFETY: `d` is a live slice; the level runs on this CPU (levels()).
                    unsafe {
                        assert_eq!(
                            (level.h64)(ptr(d), n, seed),
                            ffi::XXH3_64bits_withSeed(ptr(d), n, seed),
                            "{} xxh3-64 n={n}",
                            level.name
                        );
                        assert_eq!(
                            (level.h128)(ptr(d), n, seed),
                            ffi::XXH3_128bits_withSeed(ptr(d), n, seed),
                            "{} xxh3-128 n={n}",
                            level.name
                        );
                        assert_eq!(
                            (level.xxh64)(ptr(d), n, seed),
                            ffi::XXH64(ptr(d), n, seed),
                            "{} xxh64 n={n}",
                            level.name
                        );
                        // The public entry points (short inputs by the baseline copy,
                        // longer ones dispatched) agree with the library on both sides
                        // of XXH3_SHORT_MAX.
                        assert_eq!(
                            Xxh3_64::hash64(seed, d),
                            ffi::XXH3_64bits_withSeed(ptr(d), n, seed),
                            "xxh3-64 n={n}"
                        );
                        assert_eq!(
                            Xxh3_128::hash128(seed, d),
                            join(ffi::XXH3_128bits_withSeed(ptr(d), n, seed)),
                            "xxh3-128 n={n}"
                        );
                        assert_eq!(
                            Xxh64::hash64(seed, d),
                            ffi::XXH64(ptr(d), n, seed),
                            "xxh64 n={n}"
                        );
                    }
                }
            }
            // Streaming through the level's update/digest on a library-made state, in
            // uneven pieces, equals the library's one-shot hash.
            let state = new_xxh3_state().expect("state");
            for n in [0, 1, 240, 241, 1024, 100_003] {
                let d = &data[..n];
                // SAFETY: the state is live; every piece is a live slice; the level runs
                // on this CPU.
                unsafe {
                    ffi::XXH3_64bits_reset_withSeed(state.as_ptr(), 7);
                    for piece in d.chunks(77) {
                        (level.update64)(state.as_ptr(), ptr(piece), piece.len());
                    }
                    assert_eq!(
                        (level.digest64)(state.as_ptr()),
                        ffi::XXH3_64bits_withSeed(ptr(d), n, 7),
                        "{} streaming xxh3-64 n={n}",
                        level.name
                    );
                    ffi::XXH3_128bits_reset_withSeed(state.as_ptr(), 7);
                    for piece in d.chunks(77) {
                        (level.update128)(state.as_ptr(), ptr(piece), piece.len());
                    }
                    assert_eq!(
                        (level.digest128)(state.as_ptr()),
                        ffi::XXH3_128bits_withSeed(ptr(d), n, 7),
                        "{} streaming xxh3-128 n={n}",
                        level.name
                    );
                }
            }
            // SAFETY: made by XXH3_createState above, freed once.
            unsafe { ffi::XXH3_freeState(state.as_ptr()) };
        }
        assert!(levels().iter().any(|l| l.name == xxh3_vector_level()));
    }
}
