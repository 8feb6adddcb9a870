//! Post-quantum primitives: ML-KEM (FIPS 203) behind a small KEM trait pair, ML-DSA
//! (FIPS 204) behind RustCrypto's `signature` traits.

use crate::alg::{KemAlgorithm, SignatureAlgorithm};
use crate::error::check_error;
use crate::provider::{KemProvider, RandomProvider, SignatureProvider};
use crate::{ErrorKind, Result};
use core::marker::PhantomData;
use zeroize::Zeroizing;

/// A 32-byte shared secret, wiped when dropped.
pub type SharedSecret = Zeroizing<[u8; 32]>;

/// The sending side of a KEM: makes a ciphertext and the secret it carries.
pub trait Encapsulate {
    /// A fresh `(ciphertext, shared secret)`.
    fn encapsulate(&self) -> Result<(Vec<u8>, SharedSecret)>;
}

/// The receiving side of a KEM: recovers the secret from a ciphertext.
pub trait Decapsulate {
    /// The shared secret of `ciphertext`. ML-KEM never reports a forged ciphertext: it
    /// returns the implicit-rejection secret (a wrong length is still an error).
    fn decapsulate(&self, ciphertext: &[u8]) -> Result<SharedSecret>;
}

/// An ML-KEM decapsulation key of backend `P`, parameter set `K`. It keeps the 64-byte
/// seed `d || z` (the portable form every backend derives the same key pair from) and the
/// backend's expanded key; both are wiped when dropped.
///
/// ```
/// # #[cfg(feature = "liboqs")] {
/// use arsenal_crypto::{Liboqs, MlKemDecapsulationKey, alg::MlKem768, pq::{Decapsulate, Encapsulate}};
/// let dk = MlKemDecapsulationKey::<Liboqs, MlKem768>::from_seed(&[1; 64])?;
/// let (ct, sent) = dk.encapsulation_key().encapsulate()?;
/// assert_eq!(*dk.decapsulate(&ct)?, *sent);
/// # }
/// # Ok::<(), arsenal_crypto::Error>(())
/// ```
pub struct MlKemDecapsulationKey<P: KemProvider<K>, K: KemAlgorithm> {
    dk: P::DecapsulationKey,
    ek: MlKemEncapsulationKey<P, K>,
    seed: Zeroizing<[u8; 64]>,
}

impl<P: KemProvider<K>, K: KemAlgorithm> MlKemDecapsulationKey<P, K> {
    /// The key pair of a 64-byte seed `d || z` ([`ErrorKind::KeyLength`] otherwise).
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        let seed: Zeroizing<[u8; 64]> = Zeroizing::new(seed.try_into().map_err(|_| {
            check_error(
                ErrorKind::KeyLength,
                format!("an ML-KEM seed is 64 bytes, not {}", seed.len()),
            )
        })?);
        let (dk, ek, parsed) = P::from_seed_parsed(&seed)?;
        if ek.len() != K::EK_LEN {
            return Err(check_error(
                ErrorKind::Library,
                "the backend returned a key of the wrong size",
            ));
        }
        let ek = MlKemEncapsulationKey {
            ek,
            parsed,
            _k: PhantomData,
        };
        Ok(MlKemDecapsulationKey { dk, ek, seed })
    }

    /// A fresh key pair (seed from the backend's random generator).
    pub fn generate() -> Result<Self>
    where
        P: RandomProvider,
    {
        let mut seed = Zeroizing::new([0u8; 64]);
        P::fill_random(&mut seed[..])?;
        Self::from_seed(&seed[..])
    }

    /// The seed, to store the key or move it to another backend.
    pub fn to_seed(&self) -> Zeroizing<[u8; 64]> {
        self.seed.clone()
    }

    /// The public half (parsed once, when the key pair was made).
    pub fn encapsulation_key(&self) -> &MlKemEncapsulationKey<P, K> {
        &self.ek
    }
}

impl<P: KemProvider<K>, K: KemAlgorithm> Decapsulate for MlKemDecapsulationKey<P, K> {
    fn decapsulate(&self, ciphertext: &[u8]) -> Result<SharedSecret> {
        if ciphertext.len() != K::CT_LEN {
            return Err(check_error(
                ErrorKind::Length,
                format!(
                    "an {} ciphertext is {} bytes, not {}",
                    K::ID,
                    K::CT_LEN,
                    ciphertext.len()
                ),
            ));
        }
        P::decapsulate(&self.dk, ciphertext)
    }
}

impl<P: KemProvider<K>, K: KemAlgorithm> core::fmt::Debug for MlKemDecapsulationKey<P, K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MlKemDecapsulationKey")
            .field("backend", &P::BACKEND.name())
            .field("algorithm", &K::ID.name())
            .finish_non_exhaustive()
    }
}

/// An ML-KEM encapsulation (public) key, encapsulated to by backend `P`.
///
/// It holds the encoding and the backend's parsed form, made once by
/// [`from_bytes`](Self::from_bytes) and reused by every encapsulation.
pub struct MlKemEncapsulationKey<P: KemProvider<K>, K: KemAlgorithm> {
    ek: Vec<u8>,
    parsed: P::EncapsulationKey,
    _k: PhantomData<K>,
}

impl<P: KemProvider<K>, K: KemAlgorithm> MlKemEncapsulationKey<P, K> {
    /// A key from its encoding (`K::EK_LEN` bytes, else [`ErrorKind::KeyLength`]); FIPS
    /// 203's modulus check → [`ErrorKind::InvalidKey`], here (BoringSSL) or when
    /// encapsulating (AWS-LC, liboqs).
    pub fn from_bytes(ek: &[u8]) -> Result<Self> {
        if ek.len() != K::EK_LEN {
            return Err(check_error(
                ErrorKind::KeyLength,
                format!(
                    "an {} encapsulation key is {} bytes, not {}",
                    K::ID,
                    K::EK_LEN,
                    ek.len()
                ),
            ));
        }
        let parsed = P::parse_encapsulation_key(ek)?;
        Ok(MlKemEncapsulationKey {
            ek: ek.to_vec(),
            parsed,
            _k: PhantomData,
        })
    }

    /// The encoding.
    pub fn as_bytes(&self) -> &[u8] {
        &self.ek
    }

    /// Encapsulates with the given 32-byte message (known-answer tests only);
    /// [`ErrorKind::Unsupported`] where the backend has no such entry point.
    pub fn encapsulate_deterministic(&self, m: &[u8; 32]) -> Result<(Vec<u8>, SharedSecret)> {
        P::encapsulate_deterministic(&self.parsed, m)
    }
}

impl<P: KemProvider<K>, K: KemAlgorithm> Encapsulate for MlKemEncapsulationKey<P, K> {
    fn encapsulate(&self) -> Result<(Vec<u8>, SharedSecret)> {
        P::encapsulate(&self.parsed)
    }
}

impl<P: KemProvider<K>, K: KemAlgorithm> core::fmt::Debug for MlKemEncapsulationKey<P, K> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MlKemEncapsulationKey")
            .field("backend", &P::BACKEND.name())
            .field("algorithm", &K::ID.name())
            .finish_non_exhaustive()
    }
}

/// An ML-DSA signature (its FIPS 204 encoding). Implements
/// [`signature::SignatureEncoding`].
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct MlDsaSignature(pub Vec<u8>);

impl TryFrom<&[u8]> for MlDsaSignature {
    type Error = signature::Error;
    fn try_from(bytes: &[u8]) -> Result<Self, signature::Error> {
        Ok(MlDsaSignature(bytes.to_vec()))
    }
}

impl From<MlDsaSignature> for Vec<u8> {
    fn from(sig: MlDsaSignature) -> Vec<u8> {
        sig.0
    }
}

impl signature::SignatureEncoding for MlDsaSignature {
    type Repr = Vec<u8>;
}

fn check_context(context: &[u8]) -> Result<()> {
    if context.len() > 255 {
        Err(check_error(
            ErrorKind::Parameter,
            "an ML-DSA context is at most 255 bytes",
        ))
    } else {
        Ok(())
    }
}

/// An ML-DSA signing key of backend `P`, parameter set `S` (wiped when dropped).
/// Implements [`signature::Signer`] (empty context) and [`signature::Keypair`].
///
/// ```
/// # #[cfg(feature = "liboqs")] {
/// use arsenal_crypto::{Liboqs, MlDsaSigningKey, alg::MlDsa65};
/// use signature::{Keypair, Signer, Verifier};
/// let key = MlDsaSigningKey::<Liboqs, MlDsa65>::generate()?;
/// let sig = key.try_sign(b"message").unwrap();
/// assert!(key.verifying_key().verify(b"message", &sig).is_ok());
/// # }
/// # Ok::<(), arsenal_crypto::Error>(())
/// ```
pub struct MlDsaSigningKey<P: SignatureProvider<S>, S: SignatureAlgorithm> {
    sk: P::SigningKey,
    pk: Vec<u8>,
    _s: PhantomData<S>,
}

impl<P: SignatureProvider<S>, S: SignatureAlgorithm> MlDsaSigningKey<P, S> {
    fn checked(sk: P::SigningKey, pk: Vec<u8>) -> Result<Self> {
        if pk.len() != S::PK_LEN {
            return Err(check_error(
                ErrorKind::Library,
                "the backend returned a key of the wrong size",
            ));
        }
        Ok(MlDsaSigningKey {
            sk,
            pk,
            _s: PhantomData,
        })
    }

    /// A fresh key pair from the backend's generator.
    pub fn generate() -> Result<Self> {
        let (sk, pk) = P::generate()?;
        Self::checked(sk, pk)
    }

    /// The key pair of a 32-byte seed `ξ` ([`ErrorKind::Unsupported`] on backends without
    /// seeded key generation: liboqs).
    pub fn from_seed(seed: &[u8]) -> Result<Self> {
        let seed: &[u8; 32] = seed.try_into().map_err(|_| {
            check_error(
                ErrorKind::KeyLength,
                format!("an ML-DSA seed is 32 bytes, not {}", seed.len()),
            )
        })?;
        let (sk, pk) = P::from_seed(seed)?;
        Self::checked(sk, pk)
    }

    /// Signs `msg` under `context` (at most 255 bytes, else [`ErrorKind::Parameter`]).
    pub fn sign_with_context(&self, msg: &[u8], context: &[u8]) -> Result<MlDsaSignature> {
        check_context(context)?;
        P::sign(&self.sk, msg, context).map(MlDsaSignature)
    }
}

impl<P: SignatureProvider<S>, S: SignatureAlgorithm> core::fmt::Debug for MlDsaSigningKey<P, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MlDsaSigningKey")
            .field("backend", &P::BACKEND.name())
            .field("algorithm", &S::ID.name())
            .finish_non_exhaustive()
    }
}

impl<P: SignatureProvider<S>, S: SignatureAlgorithm> signature::Signer<MlDsaSignature>
    for MlDsaSigningKey<P, S>
{
    fn try_sign(&self, msg: &[u8]) -> Result<MlDsaSignature, signature::Error> {
        self.sign_with_context(msg, &[])
            .map_err(signature::Error::from_source)
    }
}

impl<P: SignatureProvider<S>, S: SignatureAlgorithm> signature::Keypair for MlDsaSigningKey<P, S> {
    type VerifyingKey = MlDsaVerifyingKey<P, S>;
    fn verifying_key(&self) -> MlDsaVerifyingKey<P, S> {
        MlDsaVerifyingKey {
            pk: self.pk.clone(),
            _p: PhantomData,
        }
    }
}

/// An ML-DSA verifying key checked by backend `P`. Implements [`signature::Verifier`]
/// (empty context).
pub struct MlDsaVerifyingKey<P: SignatureProvider<S>, S: SignatureAlgorithm> {
    pk: Vec<u8>,
    _p: PhantomData<(P, S)>,
}

impl<P: SignatureProvider<S>, S: SignatureAlgorithm> Clone for MlDsaVerifyingKey<P, S> {
    fn clone(&self) -> Self {
        MlDsaVerifyingKey {
            pk: self.pk.clone(),
            _p: PhantomData,
        }
    }
}

impl<P: SignatureProvider<S>, S: SignatureAlgorithm> MlDsaVerifyingKey<P, S> {
    /// A key from its encoding (`S::PK_LEN` bytes, else [`ErrorKind::KeyLength`]).
    pub fn from_bytes(pk: &[u8]) -> Result<Self> {
        if pk.len() != S::PK_LEN {
            return Err(check_error(
                ErrorKind::KeyLength,
                format!(
                    "an {} verifying key is {} bytes, not {}",
                    S::ID,
                    S::PK_LEN,
                    pk.len()
                ),
            ));
        }
        Ok(MlDsaVerifyingKey {
            pk: pk.to_vec(),
            _p: PhantomData,
        })
    }

    /// The encoding.
    pub fn as_bytes(&self) -> &[u8] {
        &self.pk
    }

    /// Verifies `signature` over `msg` under `context`; [`ErrorKind::Signature`] when it
    /// does not verify (a signature of the wrong length included).
    pub fn verify_with_context(&self, msg: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
        check_context(context)?;
        if signature.len() != S::SIG_LEN {
            return Err(check_error(
                ErrorKind::Signature,
                format!(
                    "an {} signature is {} bytes, not {}",
                    S::ID,
                    S::SIG_LEN,
                    signature.len()
                ),
            ));
        }
        P::verify(&self.pk, msg, context, signature)
    }
}

impl<P: SignatureProvider<S>, S: SignatureAlgorithm> core::fmt::Debug for MlDsaVerifyingKey<P, S> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MlDsaVerifyingKey")
            .field("backend", &P::BACKEND.name())
            .field("algorithm", &S::ID.name())
            .finish_non_exhaustive()
    }
}

impl<P: SignatureProvider<S>, S: SignatureAlgorithm> signature::Verifier<MlDsaSignature>
    for MlDsaVerifyingKey<P, S>
{
    fn verify(&self, msg: &[u8], signature: &MlDsaSignature) -> Result<(), signature::Error> {
        self.verify_with_context(msg, &[], &signature.0)
            .map_err(|_| signature::Error::new())
    }
}

/// Argon2id (RFC 9106) password hashing with backend `P` (libsodium): `ops` passes over
/// `mem_bytes` of memory, one lane, a 16-byte salt. Out-of-range limits (including
/// `u64::MAX`/`usize::MAX`) → [`ErrorKind::Parameter`].
pub fn argon2id<P: crate::provider::PasswordHashProvider>(
    password: &[u8],
    salt: &[u8],
    ops: u64,
    mem_bytes: usize,
    out: &mut [u8],
) -> Result<()> {
    let salt: &[u8; 16] = salt.try_into().map_err(|_| {
        check_error(
            ErrorKind::Parameter,
            format!("the Argon2id salt is 16 bytes, not {}", salt.len()),
        )
    })?;
    P::argon2id(password, salt, ops, mem_bytes, out)
}
