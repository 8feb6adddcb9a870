//! Algorithms chosen at run time: a [`Backend`] value and an algorithm identifier give a
//! working object, or [`ErrorKind::Unsupported`] when that backend lacks the algorithm.

use crate::aead::{Aead, DynAead};
use crate::provider::{AeadProvider, HashProvider};
#[allow(unused_imports)]
use crate::{alg, AeadId, Backend, Error, ErrorKind, HashId, Result};

fn unsupported(backend: Backend, what: impl core::fmt::Display) -> Error {
    let why = if backend.compiled_in() {
        format!("{backend} does not implement {what}")
    } else {
        format!("backend {backend} is not compiled in (enable the cargo feature `{backend}`)")
    };
    Error::new(ErrorKind::Unsupported, backend.name(), why)
}

#[allow(dead_code)]
fn boxed_aead<P: AeadProvider<A>, A: alg::AeadAlgorithm>(key: &[u8]) -> Result<Box<dyn DynAead>> {
    Ok(Box::new(Aead::<P, A>::new_from_slice(key)?))
}

#[allow(dead_code)]
fn one_shot<P: HashProvider<H>, H: alg::HashAlgorithm>(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; H::OUTPUT_LEN];
    P::digest(data, &mut out);
    out
}

impl Backend {
    /// An AEAD key of `algorithm` on this backend ([`ErrorKind::Unsupported`] when the
    /// backend lacks it or is not compiled in; [`ErrorKind::KeyLength`] for a wrong key).
    ///
    /// ```
    /// use arsenal_crypto::{AeadId, Backend, Select};
    /// for backend in Backend::available() {
    ///     let Ok(cipher) = backend.aead(AeadId::ChaCha20Poly1305, &[1; 32]) else { continue };
    ///     let mut sealed = Vec::new();
    ///     cipher.seal_to_vec(&[0; 12], b"", b"hello", &mut sealed)?;
    ///     assert_eq!(sealed.len(), 5 + 16);
    /// }
    /// # Ok::<(), arsenal_crypto::Error>(())
    /// ```
    pub fn aead(self, algorithm: AeadId, key: &[u8]) -> Result<Box<dyn DynAead>> {
        match (self, algorithm) {
            #[cfg(feature = "boringssl")]
            (Backend::BoringSsl, AeadId::Aes128Gcm) => {
                boxed_aead::<crate::BoringSsl, alg::Aes128Gcm>(key)
            }
            #[cfg(feature = "boringssl")]
            (Backend::BoringSsl, AeadId::Aes256Gcm) => {
                boxed_aead::<crate::BoringSsl, alg::Aes256Gcm>(key)
            }
            #[cfg(feature = "boringssl")]
            (Backend::BoringSsl, AeadId::ChaCha20Poly1305) => {
                boxed_aead::<crate::BoringSsl, alg::ChaCha20Poly1305>(key)
            }
            #[cfg(feature = "boringssl")]
            (Backend::BoringSsl, AeadId::XChaCha20Poly1305) => {
                boxed_aead::<crate::BoringSsl, alg::XChaCha20Poly1305>(key)
            }
            #[cfg(feature = "aws-lc")]
            (Backend::AwsLc, AeadId::Aes128Gcm) => boxed_aead::<crate::AwsLc, alg::Aes128Gcm>(key),
            #[cfg(feature = "aws-lc")]
            (Backend::AwsLc, AeadId::Aes256Gcm) => boxed_aead::<crate::AwsLc, alg::Aes256Gcm>(key),
            #[cfg(feature = "aws-lc")]
            (Backend::AwsLc, AeadId::ChaCha20Poly1305) => {
                boxed_aead::<crate::AwsLc, alg::ChaCha20Poly1305>(key)
            }
            #[cfg(feature = "aws-lc")]
            (Backend::AwsLc, AeadId::XChaCha20Poly1305) => {
                boxed_aead::<crate::AwsLc, alg::XChaCha20Poly1305>(key)
            }
            #[cfg(feature = "libsodium")]
            (Backend::Libsodium, AeadId::Aes256Gcm) => {
                boxed_aead::<crate::Libsodium, alg::Aes256Gcm>(key)
            }
            #[cfg(feature = "libsodium")]
            (Backend::Libsodium, AeadId::ChaCha20Poly1305) => {
                boxed_aead::<crate::Libsodium, alg::ChaCha20Poly1305>(key)
            }
            #[cfg(feature = "libsodium")]
            (Backend::Libsodium, AeadId::XChaCha20Poly1305) => {
                boxed_aead::<crate::Libsodium, alg::XChaCha20Poly1305>(key)
            }
            (backend, algorithm) => Err(unsupported(backend, algorithm)),
        }
    }

    /// The digest of `data` with `algorithm` on this backend ([`ErrorKind::Unsupported`]
    /// when the backend lacks it).
    ///
    /// ```
    /// use arsenal_crypto::{Backend, HashId, Select};
    /// let outputs: Vec<Vec<u8>> = Backend::available()
    ///     .into_iter()
    ///     .filter_map(|b| b.digest(HashId::Sha256, b"abc").ok())
    ///     .collect();
    /// assert!(outputs.windows(2).all(|w| w[0] == w[1]));
    /// ```
    pub fn digest(self, algorithm: HashId, data: &[u8]) -> Result<Vec<u8>> {
        Ok(match (self, algorithm) {
            #[cfg(feature = "boringssl")]
            (Backend::BoringSsl, HashId::Sha256) => one_shot::<crate::BoringSsl, alg::Sha256>(data),
            #[cfg(feature = "boringssl")]
            (Backend::BoringSsl, HashId::Sha384) => one_shot::<crate::BoringSsl, alg::Sha384>(data),
            #[cfg(feature = "boringssl")]
            (Backend::BoringSsl, HashId::Sha512) => one_shot::<crate::BoringSsl, alg::Sha512>(data),
            #[cfg(feature = "aws-lc")]
            (Backend::AwsLc, HashId::Sha256) => one_shot::<crate::AwsLc, alg::Sha256>(data),
            #[cfg(feature = "aws-lc")]
            (Backend::AwsLc, HashId::Sha384) => one_shot::<crate::AwsLc, alg::Sha384>(data),
            #[cfg(feature = "aws-lc")]
            (Backend::AwsLc, HashId::Sha512) => one_shot::<crate::AwsLc, alg::Sha512>(data),
            #[cfg(feature = "libsodium")]
            (Backend::Libsodium, HashId::Sha256) => one_shot::<crate::Libsodium, alg::Sha256>(data),
            #[cfg(feature = "libsodium")]
            (Backend::Libsodium, HashId::Sha512) => one_shot::<crate::Libsodium, alg::Sha512>(data),
            #[cfg(feature = "libsodium")]
            (Backend::Libsodium, HashId::Blake2b512) => {
                one_shot::<crate::Libsodium, alg::Blake2b512>(data)
            }
            #[cfg(feature = "blake3")]
            (Backend::Blake3, HashId::Blake3) => one_shot::<crate::Blake3C, alg::Blake3>(data),
            (backend, algorithm) => return Err(unsupported(backend, algorithm)),
        })
    }

    /// Whether this backend, in this build and on this CPU, seals and opens `algorithm`.
    pub fn supports_aead(self, algorithm: AeadId) -> bool {
        self.aead(algorithm, &[0; 32][..algorithm.key_len()])
            .is_ok()
    }

    /// Whether this backend, in this build, computes `algorithm`.
    pub fn supports_hash(self, algorithm: HashId) -> bool {
        self.digest(algorithm, b"").is_ok()
    }

    /// The fastest available backend for `algorithm` in the matrix's 16 KiB seal rows
    /// (`crypto/<aead>-seal/16KiB`); `None` when no compiled-in backend has it. AES-GCM:
    /// BoringSSL (VAES + VPCLMULQDQ), then AWS-LC, then libsodium (AES-NI without VAES,
    /// 2.5× slower); (X)ChaCha20-Poly1305: libsodium (≈ 5 % ahead), then AWS-LC,
    /// BoringSSL.
    pub fn best_for_aead(algorithm: AeadId) -> Option<Backend> {
        let order = match algorithm {
            AeadId::ChaCha20Poly1305 | AeadId::XChaCha20Poly1305 => {
                [Backend::Libsodium, Backend::AwsLc, Backend::BoringSsl]
            }
            _ => [Backend::BoringSsl, Backend::AwsLc, Backend::Libsodium],
        };
        order.into_iter().find(|b| b.supports_aead(algorithm))
    }
}
