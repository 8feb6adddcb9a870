//! SipHash-2-4 from libsodium (`crypto_shorthash_siphash24`): 128-bit key, 64-bit result.
//!
//! libsodium has only a one-shot function, so streaming buffers the input and hashes it at
//! [`finish64`](Hasher64::finish64): `update` costs a copy (amortised O(n) memory), and
//! `finish64` rehashes everything fed so far. Prefer [`SipHash24::hash_with_key`] /
//! [`Hasher64::hash64`] for whole buffers.

use std::sync::OnceLock;

use libsodium_sys as ffi;

use crate::{splitmix64, Error, ErrorKind, Hasher64};

/// SipHash-2-4 keyed by 16 bytes.
///
/// The result is the little-endian reading of libsodium's 8 output bytes, as the SipHash
/// paper's reference (and std's `SipHasher`) define the 64-bit value. [`Hasher64::with_seed`]
/// uses the key `seed.to_le_bytes() ‖ splitmix64(seed).to_le_bytes()` (`k0 = seed`,
/// `k1 =` one [`splitmix64`] step from `state = seed`).
///
/// # Panics
/// The infallible constructors and [`Hasher64::hash64`] panic if libsodium's
/// `sodium_init` fails (it does not on supported platforms); [`SipHash24::try_new`] and
/// [`SipHash24::try_with_seed`] report it as [`ErrorKind::Init`].
///
/// ```
/// use arsenal_hash::SipHash24;
/// let key: [u8; 16] = core::array::from_fn(|i| i as u8);
/// // The SipHash paper's test vector for the empty message.
/// assert_eq!(SipHash24::hash_with_key(&key, b""), 0x726fdb47dd0e0e31);
/// ```
#[derive(Clone)]
pub struct SipHash24 {
    key: [u8; 16],
    buffer: Vec<u8>,
}

impl std::fmt::Debug for SipHash24 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a secret: never printed.
        f.debug_struct("SipHash24")
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

fn init() -> Result<(), Error> {
    static INIT: OnceLock<Result<(), Error>> = OnceLock::new();
    INIT.get_or_init(|| {
        // SAFETY: sodium_init is thread-safe and idempotent (libsodium docs).
        let rc = unsafe { ffi::sodium_init() };
        if rc < 0 {
            Err(Error::new(
                ErrorKind::Init,
                "libsodium",
                format!("sodium_init returned {rc}"),
            ))
        } else {
            Ok(())
        }
    })
    .clone()
}

fn expect_init() {
    if let Err(err) = init() {
        panic!("{err}");
    }
}

fn key_from_seed(seed: u64) -> [u8; 16] {
    let mut state = seed;
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..].copy_from_slice(&splitmix64(&mut state).to_le_bytes());
    key
}

fn siphash(key: &[u8; 16], data: &[u8]) -> u64 {
    let mut out = [0u8; 8];
    // SAFETY: `out` has crypto_shorthash_siphash24_BYTES (8) bytes, `key` its KEYBYTES (16),
    // `data` is a live slice; the function always returns 0.
    unsafe {
        ffi::crypto_shorthash_siphash24(
            out.as_mut_ptr(),
            data.as_ptr(),
            data.len() as u64,
            key.as_ptr(),
        )
    };
    u64::from_le_bytes(out)
}

impl SipHash24 {
    /// A streaming hasher keyed by `key`.
    pub fn new(key: [u8; 16]) -> Self {
        expect_init();
        SipHash24 {
            key,
            buffer: Vec::new(),
        }
    }

    /// As [`new`](SipHash24::new), reporting a failed `sodium_init`.
    pub fn try_new(key: [u8; 16]) -> Result<Self, Error> {
        init()?;
        Ok(SipHash24 {
            key,
            buffer: Vec::new(),
        })
    }

    /// As [`Hasher64::with_seed`], reporting a failed `sodium_init`.
    pub fn try_with_seed(seed: u64) -> Result<Self, Error> {
        Self::try_new(key_from_seed(seed))
    }

    /// One-shot SipHash-2-4 of `data` with `key`.
    pub fn hash_with_key(key: &[u8; 16], data: &[u8]) -> u64 {
        expect_init();
        siphash(key, data)
    }
}

impl Hasher64 for SipHash24 {
    fn with_seed(seed: u64) -> Self {
        Self::new(key_from_seed(seed))
    }

    #[inline]
    fn update(&mut self, data: &[u8]) {
        self.buffer.extend_from_slice(data);
    }

    #[inline]
    fn finish64(&self) -> u64 {
        siphash(&self.key, &self.buffer)
    }

    fn reset(&mut self) {
        self.buffer.clear();
    }

    fn name(&self) -> &'static str {
        "siphash24"
    }

    #[inline]
    fn hash64(seed: u64, data: &[u8]) -> u64 {
        Self::hash_with_key(&key_from_seed(seed), data)
    }
}
