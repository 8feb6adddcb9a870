//! BLAKE3 from the `blake3` crate, which compiles the official C/assembly SIMD kernels
//! (SSE2/SSE4.1/AVX2/AVX-512/NEON, chosen at run time).

use crate::{splitmix64, Hasher128, Hasher64};

/// BLAKE3: 256-bit digests, plain or keyed (32-byte key).
///
/// As [`Hasher64`] / [`Hasher128`] it returns the first 8 / 16 bytes of the 32-byte
/// digest read little-endian (BLAKE3's output is an XOF: any prefix is a valid shorter
/// hash). [`Hasher64::with_seed`]`(0)` is plain (unkeyed) BLAKE3, so the official test
/// vectors hold; any other seed selects keyed mode with the key made of four
/// [`splitmix64`] words from `state = seed`, little-endian. [`Blake3::with_key`] takes a
/// key directly.
///
/// ```
/// use arsenal_hash::Blake3;
/// let digest = Blake3::hash256(b"");
/// assert_eq!(digest[..4], [0xaf, 0x13, 0x49, 0xb9]);
/// ```
#[derive(Debug, Clone)]
pub struct Blake3 {
    inner: blake3::Hasher,
}

fn key_from_seed(seed: u64) -> Option<[u8; 32]> {
    if seed == 0 {
        return None;
    }
    let mut state = seed;
    let mut key = [0u8; 32];
    for chunk in key.chunks_exact_mut(8) {
        chunk.copy_from_slice(&splitmix64(&mut state).to_le_bytes());
    }
    Some(key)
}

fn hasher_for(seed: u64) -> blake3::Hasher {
    match key_from_seed(seed) {
        None => blake3::Hasher::new(),
        Some(key) => blake3::Hasher::new_keyed(&key),
    }
}

fn digest_for(seed: u64, data: &[u8]) -> [u8; 32] {
    match key_from_seed(seed) {
        None => *blake3::hash(data).as_bytes(),
        Some(key) => *blake3::keyed_hash(&key, data).as_bytes(),
    }
}

impl Blake3 {
    /// Plain (unkeyed) BLAKE3.
    pub fn new() -> Self {
        Blake3 {
            inner: blake3::Hasher::new(),
        }
    }

    /// Keyed BLAKE3 (a MAC / PRF) with a 32-byte key.
    pub fn with_key(key: &[u8; 32]) -> Self {
        Blake3 {
            inner: blake3::Hasher::new_keyed(key),
        }
    }

    /// Feeds `data` (the same as [`Hasher64::update`], without naming the trait).
    pub fn update_bytes(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// The 32-byte digest of everything fed (the state is unchanged).
    pub fn digest(&self) -> [u8; 32] {
        *self.inner.finalize().as_bytes()
    }

    /// One-shot plain BLAKE3 of `data`.
    pub fn hash256(data: &[u8]) -> [u8; 32] {
        *blake3::hash(data).as_bytes()
    }
}

impl Default for Blake3 {
    fn default() -> Self {
        Self::new()
    }
}

fn prefix64(d: &[u8; 32]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_le_bytes(b)
}

fn prefix128(d: &[u8; 32]) -> u128 {
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    u128::from_le_bytes(b)
}

impl Hasher64 for Blake3 {
    fn with_seed(seed: u64) -> Self {
        Blake3 {
            inner: hasher_for(seed),
        }
    }

    #[inline]
    fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    #[inline]
    fn finish64(&self) -> u64 {
        prefix64(&self.digest())
    }

    fn reset(&mut self) {
        // blake3's reset keeps the key.
        self.inner.reset();
    }

    fn name(&self) -> &'static str {
        "blake3"
    }

    #[inline]
    fn hash64(seed: u64, data: &[u8]) -> u64 {
        prefix64(&digest_for(seed, data))
    }
}

impl Hasher128 for Blake3 {
    fn with_seed(seed: u64) -> Self {
        <Self as Hasher64>::with_seed(seed)
    }

    #[inline]
    fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    #[inline]
    fn finish128(&self) -> u128 {
        prefix128(&self.digest())
    }

    fn reset(&mut self) {
        self.inner.reset();
    }

    #[inline]
    fn hash128(seed: u64, data: &[u8]) -> u128 {
        prefix128(&digest_for(seed, data))
    }
}
