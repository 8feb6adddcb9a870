//! X25519 key agreement and Ed25519 signatures (RustCrypto's `signature` traits).

use crate::error::check_error;
use crate::provider::{Ed25519Provider, RandomProvider, X25519Provider};
use crate::{ErrorKind, Result};
use core::marker::PhantomData;
use zeroize::Zeroizing;

fn array32(bytes: &[u8], what: &str) -> Result<[u8; 32]> {
    bytes.try_into().map_err(|_| {
        check_error(
            ErrorKind::KeyLength,
            format!("{what} is 32 bytes, not {}", bytes.len()),
        )
    })
}

/// An X25519 secret key (RFC 7748) of backend `P`, wiped when dropped.
///
/// ```
/// # #[cfg(feature = "libsodium")] {
/// use arsenal_crypto::{Libsodium, X25519Secret};
/// let alice = X25519Secret::<Libsodium>::generate()?;
/// let bob = X25519Secret::<Libsodium>::generate()?;
/// let k1 = alice.diffie_hellman(&bob.public_key())?;
/// let k2 = bob.diffie_hellman(&alice.public_key())?;
/// assert_eq!(*k1, *k2);
/// // A low-order point gives an all-zero secret: refused.
/// assert!(alice.diffie_hellman(&[0; 32]).is_err());
/// # }
/// # Ok::<(), arsenal_crypto::Error>(())
/// ```
pub struct X25519Secret<P: X25519Provider> {
    secret: Zeroizing<[u8; 32]>,
    public: [u8; 32],
    _p: PhantomData<P>,
}

impl<P: X25519Provider> X25519Secret<P> {
    /// A secret from 32 bytes (clamped when used, as the RFC says).
    pub fn from_bytes(secret: &[u8]) -> Result<Self> {
        let secret = Zeroizing::new(array32(secret, "an X25519 secret key")?);
        let public = P::public_key(&secret)?;
        Ok(X25519Secret {
            secret,
            public,
            _p: PhantomData,
        })
    }

    /// A fresh secret from the backend's random generator.
    pub fn generate() -> Result<Self>
    where
        P: RandomProvider,
    {
        let mut secret = Zeroizing::new([0u8; 32]);
        P::fill_random(&mut secret[..])?;
        Self::from_bytes(&secret[..])
    }

    /// The public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.public
    }

    /// The shared secret with `peer` (32 bytes, else [`ErrorKind::KeyLength`]);
    /// [`ErrorKind::InvalidKey`] when the result is all zero (a low-order point).
    pub fn diffie_hellman(&self, peer: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
        let peer = array32(peer, "an X25519 public key")?;
        P::diffie_hellman(&self.secret, &peer)
    }
}

impl<P: X25519Provider> core::fmt::Debug for X25519Secret<P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("X25519Secret")
            .field("backend", &P::BACKEND.name())
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

/// An Ed25519 signature (RFC 8032): `R || S`, 64 bytes. Implements
/// [`signature::SignatureEncoding`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Ed25519Signature(pub [u8; 64]);

impl TryFrom<&[u8]> for Ed25519Signature {
    type Error = signature::Error;
    fn try_from(bytes: &[u8]) -> Result<Self, signature::Error> {
        bytes
            .try_into()
            .map(Ed25519Signature)
            .map_err(|_| signature::Error::new())
    }
}

impl From<Ed25519Signature> for [u8; 64] {
    fn from(sig: Ed25519Signature) -> [u8; 64] {
        sig.0
    }
}

impl signature::SignatureEncoding for Ed25519Signature {
    type Repr = [u8; 64];
}

/// An Ed25519 signing key of backend `P`: the 32-byte seed (wiped when dropped) and its
/// public key. Implements [`signature::Signer`] and [`signature::Keypair`].
///
/// ```
/// # #[cfg(feature = "boringssl")] {
/// use arsenal_crypto::{BoringSsl, Ed25519SigningKey};
/// use signature::{Keypair, Signer, Verifier};
/// let key = Ed25519SigningKey::<BoringSsl>::from_seed(&[9; 32])?;
/// let sig = key.try_sign(b"message").unwrap();
/// assert!(key.verifying_key().verify(b"message", &sig).is_ok());
/// assert!(key.verifying_key().verify(b"other", &sig).is_err());
/// # }
/// # Ok::<(), arsenal_crypto::Error>(())
/// ```
pub struct Ed25519SigningKey<P: Ed25519Provider> {
    seed: Zeroizing<[u8; 32]>,
    public: [u8; 32],
    _p: PhantomData<P>,
}

impl<P: Ed25519Provider> Ed25519SigningKey<P> {
    /// The key of a 32-byte seed (RFC 8032's private key).
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        let seed = Zeroizing::new(array32(seed, "an Ed25519 seed")?);
        let public = P::public_key(&seed)?;
        Ok(Ed25519SigningKey {
            seed,
            public,
            _p: PhantomData,
        })
    }

    /// A fresh key from the backend's random generator.
    pub fn generate() -> Result<Self>
    where
        P: RandomProvider,
    {
        let mut seed = Zeroizing::new([0u8; 32]);
        P::fill_random(&mut seed[..])?;
        Self::from_seed(&seed[..])
    }

    /// The public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.public
    }

    /// Signs `msg`.
    pub fn sign_message(&self, msg: &[u8]) -> Result<Ed25519Signature> {
        P::sign(&self.seed, &self.public, msg).map(Ed25519Signature)
    }
}

impl<P: Ed25519Provider> core::fmt::Debug for Ed25519SigningKey<P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ed25519SigningKey")
            .field("backend", &P::BACKEND.name())
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl<P: Ed25519Provider> signature::Signer<Ed25519Signature> for Ed25519SigningKey<P> {
    fn try_sign(&self, msg: &[u8]) -> Result<Ed25519Signature, signature::Error> {
        self.sign_message(msg)
            .map_err(signature::Error::from_source)
    }
}

impl<P: Ed25519Provider> signature::Keypair for Ed25519SigningKey<P> {
    type VerifyingKey = Ed25519VerifyingKey<P>;
    fn verifying_key(&self) -> Ed25519VerifyingKey<P> {
        Ed25519VerifyingKey {
            public: self.public,
            _p: PhantomData,
        }
    }
}

/// An Ed25519 public key checked by backend `P`. Implements [`signature::Verifier`].
/// Verification rejects non-canonical `S` (≥ L) on every backend; other edge cases
/// (small-order points, non-canonical point encodings) follow the C library, see
/// `docs/crypto.md`.
pub struct Ed25519VerifyingKey<P: Ed25519Provider> {
    public: [u8; 32],
    _p: PhantomData<P>,
}

impl<P: Ed25519Provider> Clone for Ed25519VerifyingKey<P> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<P: Ed25519Provider> Copy for Ed25519VerifyingKey<P> {}

impl<P: Ed25519Provider> Ed25519VerifyingKey<P> {
    /// A public key from its 32-byte encoding (parsed when verifying).
    pub fn from_bytes(public: &[u8]) -> Result<Self> {
        Ok(Ed25519VerifyingKey {
            public: array32(public, "an Ed25519 public key")?,
            _p: PhantomData,
        })
    }

    /// The encoding.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.public
    }

    /// Verifies a signature given as bytes; [`ErrorKind::Signature`] for every failure,
    /// including a signature that is not 64 bytes.
    pub fn verify_message(&self, msg: &[u8], signature: &[u8]) -> Result<()> {
        let sig: &[u8; 64] = signature.try_into().map_err(|_| {
            check_error(
                ErrorKind::Signature,
                format!("an Ed25519 signature is 64 bytes, not {}", signature.len()),
            )
        })?;
        P::verify(&self.public, msg, sig)
    }
}

impl<P: Ed25519Provider> core::fmt::Debug for Ed25519VerifyingKey<P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Ed25519VerifyingKey")
            .field("backend", &P::BACKEND.name())
            .field("public", &self.public)
            .finish()
    }
}

impl<P: Ed25519Provider> signature::Verifier<Ed25519Signature> for Ed25519VerifyingKey<P> {
    fn verify(&self, msg: &[u8], signature: &Ed25519Signature) -> Result<(), signature::Error> {
        P::verify(&self.public, msg, &signature.0).map_err(|_| signature::Error::new())
    }
}
