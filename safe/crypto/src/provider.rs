//! The backend contract: what a C library implements to appear behind the front types.
//!
//! A provider is a zero-sized type (`BoringSsl`, `AwsLc`, `Libsodium`, `Liboqs`, `Blake3C`)
//! implementing one trait per capability and algorithm it has. The front types
//! ([`crate::Aead`], [`crate::Hash`], [`crate::Hmac`], …) are generic over the provider and
//! do every check the C libraries do not make (lengths, limits, constant-time tag
//! comparison where the library returns a tag), so a provider only makes FFI calls.
//!
//! Lengths are checked by the front before a provider runs: a provider may rely on
//! `key.len() == A::KEY_LEN`, `nonce.len() == A::NONCE_LEN`, `out.len() ==
//! H::OUTPUT_LEN`, `ct.len() == K::CT_LEN`, `ek.len() == K::EK_LEN` and
//! `pk.len() == S::PK_LEN`. It must still check anything the C function limits further
//! (e.g. lengths that must fit a C `int`) and return an [`Error`](crate::Error), never
//! panic.

use crate::alg::{AeadAlgorithm, HashAlgorithm, KemAlgorithm, SignatureAlgorithm, TAG_LEN};
use crate::{Backend, Result};
use zeroize::Zeroizing;

/// A backend: a zero-sized marker type.
pub trait Provider: Copy + Default + core::fmt::Debug + Send + Sync + 'static {
    /// The backend this provider is.
    const BACKEND: Backend;
}

/// The backend's cryptographically secure random generator.
pub trait RandomProvider: Provider {
    /// Fills `out` with random bytes.
    fn fill_random(out: &mut [u8]) -> Result<()>;
}

/// An AEAD. `Key` holds the C library's expanded key (wiped when dropped); seal and open
/// work in place and take `&Key` (the C contexts here are immutable after set-up, so one
/// key may be used from several threads at once).
pub trait AeadProvider<A: AeadAlgorithm>: Provider {
    /// The expanded key; its `Drop` wipes it.
    type Key: Send + Sync;
    /// Expands `key` (`key.len() == A::KEY_LEN`).
    fn new_key(key: &[u8]) -> Result<Self::Key>;
    /// Encrypts `data` in place and writes the tag.
    fn seal_in_place(
        key: &Self::Key,
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
        tag: &mut [u8; TAG_LEN],
    ) -> Result<()>;
    /// Checks `tag` and decrypts `data` in place; `ErrorKind::Authentication` when the tag
    /// does not verify (the front then wipes `data`).
    fn open_in_place(
        key: &Self::Key,
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
        tag: &[u8; TAG_LEN],
    ) -> Result<()>;
}

/// A hash function, incremental.
pub trait HashProvider<H: HashAlgorithm>: Provider {
    /// The hashing state (plain data: cloning forks the computation).
    type State: Clone + Send + Sync;
    /// A fresh state.
    fn new_state() -> Self::State;
    /// Absorbs `data`.
    fn update(state: &mut Self::State, data: &[u8]);
    /// Writes the digest (`out.len() == H::OUTPUT_LEN`); the state is not used afterwards.
    fn finalize(state: &mut Self::State, out: &mut [u8]);
    /// One-shot digest; the default runs the incremental functions.
    fn digest(data: &[u8], out: &mut [u8]) {
        let mut state = Self::new_state();
        Self::update(&mut state, data);
        Self::finalize(&mut state, out);
    }
}

/// HMAC over `H`, incremental.
pub trait HmacProvider<H: HashAlgorithm>: Provider {
    /// The keyed state; its `Drop` wipes it.
    type State: Clone + Send + Sync;
    /// Keys a fresh state (any key length, as RFC 2104).
    fn new_state(key: &[u8]) -> Result<Self::State>;
    /// Absorbs `data`.
    fn update(state: &mut Self::State, data: &[u8]);
    /// Writes the MAC (`out.len() == H::OUTPUT_LEN`); the state is not used afterwards.
    fn finalize(state: &mut Self::State, out: &mut [u8]);
}

/// HKDF over `H` (RFC 5869), extract-then-expand.
pub trait HkdfProvider<H: HashAlgorithm>: Provider {
    /// Fills `out` (`1 ..= 255 * H::OUTPUT_LEN` bytes, checked by the front).
    fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<()>;
}

/// X25519 (RFC 7748).
pub trait X25519Provider: Provider {
    /// The public key of `secret` (the scalar is clamped as the RFC says).
    fn public_key(secret: &[u8; 32]) -> Result<[u8; 32]>;
    /// The shared secret; `ErrorKind::InvalidKey` when it is all zero (a low-order peer
    /// point).
    fn diffie_hellman(secret: &[u8; 32], public: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>>;
}

/// Ed25519 (RFC 8032, pure, no context).
pub trait Ed25519Provider: Provider {
    /// The public key of a 32-byte seed.
    fn public_key(seed: &[u8; 32]) -> Result<[u8; 32]>;
    /// Signs `msg` with the key `seed` whose public key is `public`.
    fn sign(seed: &[u8; 32], public: &[u8; 32], msg: &[u8]) -> Result<[u8; 64]>;
    /// Verifies; `ErrorKind::Signature` for every failure (wrong signature,
    /// non-canonical `S`, unparsable point).
    fn verify(public: &[u8; 32], msg: &[u8], signature: &[u8; 64]) -> Result<()>;
}

/// ML-KEM (FIPS 203). Decapsulation keys are made from the 64-byte seed `d || z`, the
/// portable private-key form every backend accepts.
pub trait KemProvider<K: KemAlgorithm>: Provider {
    /// The backend's decapsulation key; its `Drop` wipes it.
    type DecapsulationKey: Send + Sync;
    /// Derives the key pair of `seed`; returns the decapsulation key and the encoded
    /// encapsulation key (`K::EK_LEN` bytes).
    fn from_seed(seed: &[u8; 64]) -> Result<(Self::DecapsulationKey, Vec<u8>)>;
    /// The backend's form of an encapsulation key, parsed once
    /// ([`parse_encapsulation_key`](Self::parse_encapsulation_key)) and reused by every
    /// encapsulation (BoringSSL expands the public matrix when parsing: doing it per call
    /// cost 2.4× on ML-KEM-768 encapsulation).
    type EncapsulationKey: Send + Sync;
    /// Parses an encoded encapsulation key (`K::EK_LEN` bytes);
    /// `ErrorKind::InvalidKey` where the library checks the modulus here.
    fn parse_encapsulation_key(ek: &[u8]) -> Result<Self::EncapsulationKey>;
    /// [`from_seed`](Self::from_seed) with the encapsulation key also parsed. The default
    /// parses the encoding; a backend that has the parsed form at hand (BoringSSL's
    /// `public_from_private`) returns it instead of expanding it twice.
    #[allow(clippy::type_complexity)]
    fn from_seed_parsed(
        seed: &[u8; 64],
    ) -> Result<(Self::DecapsulationKey, Vec<u8>, Self::EncapsulationKey)> {
        let (dk, ek) = Self::from_seed(seed)?;
        let parsed = Self::parse_encapsulation_key(&ek)?;
        Ok((dk, ek, parsed))
    }
    /// Encapsulates to `ek` with fresh randomness: `(ciphertext, shared secret)`;
    /// `ErrorKind::InvalidKey` when `ek` fails FIPS 203's modulus check.
    fn encapsulate(ek: &Self::EncapsulationKey) -> Result<(Vec<u8>, Zeroizing<[u8; 32]>)>;
    /// Encapsulates with the given 32-byte message `m` (known-answer tests);
    /// `ErrorKind::Unsupported` where the C library has no such entry point.
    fn encapsulate_deterministic(
        ek: &Self::EncapsulationKey,
        m: &[u8; 32],
    ) -> Result<(Vec<u8>, Zeroizing<[u8; 32]>)> {
        let _ = (ek, m);
        Err(crate::Error::new(
            crate::ErrorKind::Unsupported,
            Self::BACKEND.name(),
            "no deterministic encapsulation entry point",
        ))
    }
    /// Decapsulates `ct` (`K::CT_LEN` bytes). A malformed ciphertext yields FIPS 203's
    /// implicit-rejection secret, not an error.
    fn decapsulate(dk: &Self::DecapsulationKey, ct: &[u8]) -> Result<Zeroizing<[u8; 32]>>;
}

/// ML-DSA (FIPS 204), pure (not pre-hashed), with an optional context string.
pub trait SignatureProvider<S: SignatureAlgorithm>: Provider {
    /// The backend's signing key; its `Drop` wipes it.
    type SigningKey: Send + Sync;
    /// A fresh key pair: the signing key and the encoded verifying key (`S::PK_LEN`).
    fn generate() -> Result<(Self::SigningKey, Vec<u8>)>;
    /// The key pair of a 32-byte seed `ξ`; `ErrorKind::Unsupported` where the C library
    /// cannot derive keys from a seed.
    fn from_seed(seed: &[u8; 32]) -> Result<(Self::SigningKey, Vec<u8>)> {
        let _ = seed;
        Err(crate::Error::new(
            crate::ErrorKind::Unsupported,
            Self::BACKEND.name(),
            "no key generation from a seed",
        ))
    }
    /// Signs `msg` with `context` (≤ 255 bytes, checked by the front), hedged
    /// (randomised) as FIPS 204 recommends. Returns `S::SIG_LEN` bytes.
    fn sign(key: &Self::SigningKey, msg: &[u8], context: &[u8]) -> Result<Vec<u8>>;
    /// Verifies; `ErrorKind::Signature` when the signature does not verify,
    /// `ErrorKind::InvalidKey` when `pk` does not parse.
    fn verify(pk: &[u8], msg: &[u8], context: &[u8], signature: &[u8]) -> Result<()>;
}

/// Argon2id password hashing (RFC 9106).
pub trait PasswordHashProvider: Provider {
    /// Derives `out` from `password` and a 16-byte `salt` with `ops` passes over
    /// `mem_bytes` of memory (single lane). Limits the C library rejects →
    /// `ErrorKind::Parameter`.
    fn argon2id(
        password: &[u8],
        salt: &[u8; 16],
        ops: u64,
        mem_bytes: usize,
        out: &mut [u8],
    ) -> Result<()>;
}
