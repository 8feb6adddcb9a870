//! Cryptography behind RustCrypto's traits, from the C libraries that are best at it.
//!
//! Every primitive is a generic front type over a *provider* (the C library, a
//! zero-sized marker such as [`BoringSsl`]) and an *algorithm* marker from [`alg`]:
//!
//! | front type | RustCrypto traits | algorithms | providers |
//! |---|---|---|---|
//! | [`Aead<P, A>`] | `aead::{KeyInit, AeadCore, AeadInOut, Aead}` | AES-128/256-GCM, ChaCha20-Poly1305, XChaCha20-Poly1305 | [`BoringSsl`], [`AwsLc`] (all four), [`Libsodium`] (no AES-128-GCM; AES-256-GCM with AES-NI + PCLMUL) |
//! | [`Hash<P, H>`](struct@crate::Hash) | `digest::{Digest, Reset, FixedOutputReset}`, `io::Write` | SHA-256/384/512, BLAKE2b-512, BLAKE3 | [`BoringSsl`], [`AwsLc`] (SHA-2), [`Libsodium`] (SHA-256/512, BLAKE2b), [`Blake3C`] |
//! | [`Hmac<P, H>`] | `digest::{Mac, KeyInit}` | HMAC-SHA-256/384/512 | [`BoringSsl`], [`AwsLc`], [`Libsodium`] (256/512) |
//! | [`hkdf`] | — | HKDF-SHA-256/384/512 | as HMAC |
//! | [`X25519Secret<P>`] | — | X25519 | [`BoringSsl`], [`AwsLc`], [`Libsodium`] |
//! | [`Ed25519SigningKey<P>`], [`Ed25519VerifyingKey<P>`] | `signature::{Signer, Verifier, Keypair}` | Ed25519 | [`BoringSsl`], [`AwsLc`], [`Libsodium`] |
//! | [`MlKemDecapsulationKey<P, K>`], [`MlKemEncapsulationKey<P, K>`] | [`pq::Encapsulate`], [`pq::Decapsulate`] | ML-KEM-512/768/1024 | [`AwsLc`], [`Liboqs`] (all), [`BoringSsl`] (768, 1024) |
//! | [`MlDsaSigningKey<P, S>`], [`MlDsaVerifyingKey<P, S>`] | `signature::{Signer, Verifier, Keypair}` | ML-DSA-44/65/87 | [`BoringSsl`], [`AwsLc`], [`Liboqs`] |
//! | [`argon2id`] | — | Argon2id | [`Libsodium`] |
//!
//! Swapping a backend is a type change (`Aead<BoringSsl, Aes256Gcm>` →
//! `Aead<AwsLc, Aes256Gcm>`), and code written against RustCrypto's traits (for
//! `aes_gcm::Aes256Gcm`, `sha2::Sha256`, `hmac::Hmac<Sha256>`, `ed25519_dalek`) takes
//! these types unchanged. At run time, [`Backend::aead`] and [`Backend::digest`] pick by
//! value, and [`Backend::for_strategy`](arsenal_core::Select::for_strategy) /
//! [`Backend::best_for_aead`] choose from the benchmark's evidence.
//!
//! Secrets (expanded keys, seeds, HMAC states, shared secrets) are wiped when dropped;
//! `Debug` never prints key material; tags and MACs are compared in constant time (by
//! the C library, or RustCrypto's `Mac::verify_slice` for [`Hmac::verify`]). Bad input is an [`Error`] with a
//! [`ErrorKind`]: a bad tag ([`ErrorKind::Authentication`]), a wrong key or nonce length,
//! a low-order X25519 point ([`ErrorKind::InvalidKey`]), a non-canonical Ed25519
//! signature ([`ErrorKind::Signature`]); nothing panics. No algorithm is implemented
//! here: every primitive is the C library's (including its assembly).
//!
//! ```
//! # #[cfg(all(feature = "aws-lc", feature = "libsodium"))] {
//! use arsenal_crypto::aead_traits::{Aead as _, KeyInit, Nonce};
//! use arsenal_crypto::{Aead, AwsLc, Libsodium, alg::ChaCha20Poly1305};
//!
//! // RustCrypto's API, AWS-LC's code...
//! let sealer = Aead::<AwsLc, ChaCha20Poly1305>::new(&[7u8; 32].into());
//! let nonce = Nonce::<Aead<AwsLc, ChaCha20Poly1305>>::from([1u8; 12]);
//! let sealed = sealer.encrypt(&nonce, &b"attack at dawn"[..]).unwrap();
//! // ...and libsodium opens it.
//! let opener = Aead::<Libsodium, ChaCha20Poly1305>::new_from_slice(&[7u8; 32])?;
//! assert_eq!(opener.open(&[1u8; 12], b"", &sealed)?, b"attack at dawn");
//! # }
//! # Ok::<(), arsenal_crypto::Error>(())
//! ```
//!
//! See `docs/crypto.md` for the backend table, what the tests check (Wycheproof on
//! every backend), and the benchmark rows.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

#[cfg(not(feature = "any-backend"))]
compile_error!(
    "arsenal-crypto needs at least one backend feature: boringssl, aws-lc, libsodium, liboqs, blake3"
);

pub mod aead;
pub mod alg;
mod backend;
pub mod curve25519;
mod dynamic;
pub mod error;
pub mod hash;
pub mod pq;
pub mod provider;

pub use crate::aead::{Aead, DynAead};
pub use crate::curve25519::{
    Ed25519Signature, Ed25519SigningKey, Ed25519VerifyingKey, X25519Secret,
};
pub use crate::hash::{hkdf, Hash, Hmac};
pub use crate::pq::{
    argon2id, MlDsaSignature, MlDsaSigningKey, MlDsaVerifyingKey, MlKemDecapsulationKey,
    MlKemEncapsulationKey,
};
pub use alg::{AeadId, HashId, KemId, SignatureId, TAG_LEN};
pub use arsenal_core::{Select, Strategy};
pub use error::{Error, ErrorKind, Result};
/// RustCrypto's trait crates, re-exported so users name the same versions.
pub use {::aead as aead_traits, digest, signature, zeroize};

arsenal_core::backends! {
    /// The cryptography backends this crate knows. Not every backend has every algorithm:
    /// [`Backend::supports_aead`] and friends say which.
    ///
    /// ```
    /// use arsenal_crypto::Backend;
    /// assert_eq!("BoringSSL".parse::<Backend>()?, Backend::BoringSsl);
    /// assert_eq!(Backend::AwsLc.name(), "aws-lc");
    /// # Ok::<(), arsenal_core::UnknownBackend>(())
    /// ```
    domain = "crypto";
    pub enum Backend {
        /// BoringSSL (C + assembly), feature `boringssl`: crates.io `boring-sys` (bundled
        /// source, cmake). AES-GCM, (X)ChaCha20-Poly1305, SHA-2, HMAC, HKDF, X25519,
        /// Ed25519, ML-KEM-768/1024, ML-DSA-44/65/87.
        BoringSsl = "boringssl",
        /// AWS-LC (C + assembly), feature `aws-lc`: crates.io `aws-lc-sys` (bundled source,
        /// `cc`, prefixed symbols). The BoringSSL set plus ML-KEM-512.
        AwsLc = "aws-lc",
        /// libsodium (C + assembly), feature `libsodium`: crates.io
        /// `libsodium-sys-stable` (bundled tarball). (X)ChaCha20-Poly1305, AES-256-GCM
        /// (CPUs with AES-NI + PCLMUL), SHA-256/512, BLAKE2b, HMAC, HKDF, X25519, Ed25519,
        /// Argon2id.
        Libsodium = "libsodium",
        /// liboqs (C), feature `liboqs`: crates.io `oqs-sys` (bundled source, cmake, only
        /// ML-KEM and ML-DSA). ML-KEM-512/768/1024, ML-DSA-44/65/87.
        Liboqs = "liboqs",
        /// BLAKE3's official C and assembly (through the `blake3` crate), feature `blake3`:
        /// the BLAKE3 hash.
        Blake3 = "blake3",
    }
}

macro_rules! providers {
    ($($(#[$m:meta])* $name:ident = $backend:ident, $feature:literal;)*) => {$(
        $(#[$m])*
        #[cfg(feature = $feature)]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name;
        #[cfg(feature = $feature)]
        impl provider::Provider for $name {
            const BACKEND: Backend = Backend::$backend;
        }
    )*};
}

providers! {
    /// BoringSSL as a provider: the `P` of [`Aead`], [`Hash`](struct@Hash), [`Hmac`], … (feature `boringssl`).
    BoringSsl = BoringSsl, "boringssl";
    /// AWS-LC as a provider (feature `aws-lc`).
    AwsLc = AwsLc, "aws-lc";
    /// libsodium as a provider (feature `libsodium`).
    Libsodium = Libsodium, "libsodium";
    /// liboqs as a provider (feature `liboqs`).
    Liboqs = Liboqs, "liboqs";
    /// BLAKE3's C/assembly as a provider (feature `blake3`).
    Blake3C = Blake3, "blake3";
}

impl Backend {
    /// Whether this build compiles the backend in.
    pub const fn compiled_in(self) -> bool {
        match self {
            Backend::BoringSsl => cfg!(feature = "boringssl"),
            Backend::AwsLc => cfg!(feature = "aws-lc"),
            Backend::Libsodium => cfg!(feature = "libsodium"),
            Backend::Liboqs => cfg!(feature = "liboqs"),
            Backend::Blake3 => cfg!(feature = "blake3"),
        }
    }
}

/// [`Backend::available`]'s order: the general-purpose libraries first (BoringSSL, AWS-LC,
/// libsodium), then the single-purpose ones.
const PRIORITY: [Backend; 5] = [
    Backend::BoringSsl,
    Backend::AwsLc,
    Backend::Libsodium,
    Backend::Liboqs,
    Backend::Blake3,
];

/// Strategies, answered for the AEADs (the domain's main rows); per-algorithm choices are
/// [`Backend::best_for_aead`]. Numbers: GB/s, one thread, native matrix build, Intel Xeon
/// VM with AVX-512 and VAES (`--quick`), arsenal rows:
/// - `Throughput`, `MaximalSpeed` (`crypto/aes-256-gcm-seal/16KiB`): BoringSSL 16.6,
///   AWS-LC 15.5, libsodium 6.5 (AES-NI without VAES). ChaCha20-Poly1305 16 KiB:
///   libsodium 2.77, AWS-LC 2.63, BoringSSL 2.61.
/// - `Latency` (`crypto/aes-256-gcm-seal/16B`): libsodium 0.43, AWS-LC 0.27, BoringSSL
///   0.21 (fewer steps per call); where libsodium's AES-GCM is unavailable the next one
///   still seals every AEAD.
/// - `MinimalMemory` (`crypto/memory/aes-256-gcm-key`): libsodium 594 B per key, BoringSSL
///   and AWS-LC 656 B.
/// - `Balanced`: the first available of BoringSSL, AWS-LC, libsodium, liboqs, BLAKE3 (the
///   widest algorithm sets first).
impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        PRIORITY.into_iter().filter(|b| b.compiled_in()).collect()
    }

    fn for_strategy(strategy: Strategy) -> Backend {
        match strategy {
            Strategy::Throughput | Strategy::MaximalSpeed => {
                arsenal_core::prefer(&[Backend::BoringSsl, Backend::AwsLc, Backend::Libsodium])
            }
            Strategy::Latency | Strategy::MinimalMemory => {
                arsenal_core::prefer(&[Backend::Libsodium, Backend::AwsLc, Backend::BoringSsl])
            }
            _ => arsenal_core::prefer(&PRIORITY),
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None,
            Strategy::Latency => Some("crypto/aes-256-gcm-seal/16B"),
            Strategy::MinimalMemory => Some("crypto/memory/aes-256-gcm-key"),
            _ => Some("crypto/aes-256-gcm-seal/16KiB"),
        }
    }
}

/// The default provider as a type: the first compiled-in of BoringSSL, AWS-LC, libsodium,
/// liboqs, BLAKE3 (what [`Strategy::Balanced`] picks).
#[cfg(feature = "boringssl")]
pub type DefaultProvider = BoringSsl;
/// The default provider as a type (BoringSSL is not compiled in).
#[cfg(all(not(feature = "boringssl"), feature = "aws-lc"))]
pub type DefaultProvider = AwsLc;
/// The default provider as a type (neither BoringSSL nor AWS-LC is compiled in).
#[cfg(all(
    not(feature = "boringssl"),
    not(feature = "aws-lc"),
    feature = "libsodium"
))]
pub type DefaultProvider = Libsodium;
/// The default provider as a type (only liboqs and perhaps BLAKE3 are compiled in).
#[cfg(all(
    not(feature = "boringssl"),
    not(feature = "aws-lc"),
    not(feature = "libsodium"),
    feature = "liboqs"
))]
pub type DefaultProvider = Liboqs;
/// The default provider as a type (only BLAKE3 is compiled in).
#[cfg(all(
    not(feature = "boringssl"),
    not(feature = "aws-lc"),
    not(feature = "libsodium"),
    not(feature = "liboqs"),
    feature = "blake3"
))]
pub type DefaultProvider = Blake3C;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
        assert_eq!(
            Backend::for_strategy(Strategy::Balanced),
            Backend::available()[0]
        );
    }

    #[test]
    fn every_available_backend_does_real_work() {
        for backend in Backend::available() {
            let aead = AeadId::ALL.iter().find(|&&id| backend.supports_aead(id));
            let hash = HashId::ALL.iter().find(|&&id| backend.supports_hash(id));
            if let Some(&id) = aead {
                let key = vec![3u8; id.key_len()];
                let nonce = vec![1u8; id.nonce_len()];
                let cipher = backend.aead(id, &key).expect("supported");
                let mut sealed = Vec::new();
                cipher
                    .seal_to_vec(&nonce, b"", b"work", &mut sealed)
                    .expect("seal");
                assert_ne!(&sealed[..4], b"work");
                let mut opened = Vec::new();
                cipher
                    .open_to_vec(&nonce, b"", &sealed, &mut opened)
                    .expect("open");
                assert_eq!(opened, b"work");
            } else if let Some(&id) = hash {
                assert_ne!(
                    backend.digest(id, b"a").unwrap(),
                    backend.digest(id, b"b").unwrap()
                );
            } else {
                // liboqs: post-quantum only.
                assert_eq!(backend, Backend::Liboqs);
            }
        }
    }
}
