//! Algorithm marker types: zero-sized types naming an algorithm and its sizes, used as the
//! `A`/`H`/`K`/`S` parameters of the generic front types (`Aead<P, A>`, `Hash<P, H>`, …).

use aead::array::ArraySize;
use digest::consts::{U12, U128, U16, U24, U32, U48, U64};

/// The tag length of every AEAD here (16 bytes).
pub const TAG_LEN: usize = 16;

mod sealed {
    pub trait Sealed {}
}

/// An AEAD algorithm: key and nonce sizes (the tag is always [`TAG_LEN`] bytes, appended).
pub trait AeadAlgorithm:
    sealed::Sealed + Copy + Default + core::fmt::Debug + Send + Sync + 'static
{
    /// Key size as a type-level number (RustCrypto's `KeySizeUser`).
    type KeySize: ArraySize;
    /// Nonce size as a type-level number (RustCrypto's `AeadCore`).
    type NonceSize: ArraySize;
    /// Key length in bytes.
    const KEY_LEN: usize;
    /// Nonce length in bytes.
    const NONCE_LEN: usize;
    /// The runtime identifier.
    const ID: AeadId;
}

/// A hash function: output and block sizes.
pub trait HashAlgorithm:
    sealed::Sealed + Copy + Default + core::fmt::Debug + Send + Sync + 'static
{
    /// Output size as a type-level number (`digest::OutputSizeUser`).
    type OutputSize: ArraySize;
    /// Block size as a type-level number (HMAC keys up to this length are used as-is).
    type BlockSize: ArraySize;
    /// Output length in bytes.
    const OUTPUT_LEN: usize;
    /// The runtime identifier.
    const ID: HashId;
}

/// An ML-KEM parameter set (FIPS 203): encoded sizes.
pub trait KemAlgorithm:
    sealed::Sealed + Copy + Default + core::fmt::Debug + Send + Sync + 'static
{
    /// Encapsulation (public) key length in bytes.
    const EK_LEN: usize;
    /// Ciphertext length in bytes.
    const CT_LEN: usize;
    /// The runtime identifier.
    const ID: KemId;
}

/// An ML-DSA parameter set (FIPS 204): encoded sizes.
pub trait SignatureAlgorithm:
    sealed::Sealed + Copy + Default + core::fmt::Debug + Send + Sync + 'static
{
    /// Verifying (public) key length in bytes.
    const PK_LEN: usize;
    /// Signature length in bytes.
    const SIG_LEN: usize;
    /// The runtime identifier.
    const ID: SignatureId;
}

macro_rules! ids {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name { $($(#[$vm])* $v,)* }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];
            /// The algorithm's name as written in bench rows and docs.
            pub const fn name(self) -> &'static str { match self { $($name::$v => $s),* } }
        }
        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result { f.write_str(self.name()) }
        }
        impl core::str::FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> crate::Result<Self> {
                $name::ALL.iter().copied().find(|a| a.name().eq_ignore_ascii_case(s)).ok_or_else(|| {
                    crate::error::check_error(crate::ErrorKind::Unsupported, format!("unknown algorithm {s:?}"))
                })
            }
        }
    };
}

ids! {
    /// The AEADs, as runtime values.
    AeadId {
        /// AES-128-GCM (NIST SP 800-38D), 12-byte nonce.
        Aes128Gcm = "aes-128-gcm",
        /// AES-256-GCM, 12-byte nonce.
        Aes256Gcm = "aes-256-gcm",
        /// ChaCha20-Poly1305 (RFC 8439), 12-byte nonce.
        ChaCha20Poly1305 = "chacha20-poly1305",
        /// XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha), 24-byte nonce.
        XChaCha20Poly1305 = "xchacha20-poly1305",
    }
}

ids! {
    /// The hash functions, as runtime values.
    HashId {
        /// SHA-256 (FIPS 180-4).
        Sha256 = "sha256",
        /// SHA-384.
        Sha384 = "sha384",
        /// SHA-512.
        Sha512 = "sha512",
        /// BLAKE2b with a 64-byte output (RFC 7693).
        Blake2b512 = "blake2b512",
        /// BLAKE3 with a 32-byte output.
        Blake3 = "blake3",
    }
}

ids! {
    /// The ML-KEM parameter sets, as runtime values.
    KemId {
        /// ML-KEM-512.
        MlKem512 = "ml-kem-512",
        /// ML-KEM-768.
        MlKem768 = "ml-kem-768",
        /// ML-KEM-1024.
        MlKem1024 = "ml-kem-1024",
    }
}

ids! {
    /// The ML-DSA parameter sets, as runtime values.
    SignatureId {
        /// ML-DSA-44.
        MlDsa44 = "ml-dsa-44",
        /// ML-DSA-65.
        MlDsa65 = "ml-dsa-65",
        /// ML-DSA-87.
        MlDsa87 = "ml-dsa-87",
    }
}

impl AeadId {
    /// Key length in bytes (the marker type's [`AeadAlgorithm::KEY_LEN`]).
    pub const fn key_len(self) -> usize {
        match self {
            AeadId::Aes128Gcm => Aes128Gcm::KEY_LEN,
            AeadId::Aes256Gcm => Aes256Gcm::KEY_LEN,
            AeadId::ChaCha20Poly1305 => ChaCha20Poly1305::KEY_LEN,
            AeadId::XChaCha20Poly1305 => XChaCha20Poly1305::KEY_LEN,
        }
    }

    /// Nonce length in bytes (the marker type's [`AeadAlgorithm::NONCE_LEN`]).
    pub const fn nonce_len(self) -> usize {
        match self {
            AeadId::Aes128Gcm => Aes128Gcm::NONCE_LEN,
            AeadId::Aes256Gcm => Aes256Gcm::NONCE_LEN,
            AeadId::ChaCha20Poly1305 => ChaCha20Poly1305::NONCE_LEN,
            AeadId::XChaCha20Poly1305 => XChaCha20Poly1305::NONCE_LEN,
        }
    }
}

macro_rules! marker {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name;
        impl sealed::Sealed for $name {}
    };
}

macro_rules! aead_alg {
    ($(#[$m:meta])* $name:ident, $k:ty, $klen:expr, $n:ty, $nlen:expr) => {
        marker!($(#[$m])* $name);
        impl AeadAlgorithm for $name {
            type KeySize = $k;
            type NonceSize = $n;
            const KEY_LEN: usize = $klen;
            const NONCE_LEN: usize = $nlen;
            const ID: AeadId = AeadId::$name;
        }
    };
}
aead_alg!(/// AES-128-GCM: 16-byte key, 12-byte nonce, 16-byte tag.
    Aes128Gcm, U16, 16, U12, 12);
aead_alg!(/// AES-256-GCM: 32-byte key, 12-byte nonce, 16-byte tag.
    Aes256Gcm, U32, 32, U12, 12);
aead_alg!(/// ChaCha20-Poly1305 (RFC 8439): 32-byte key, 12-byte nonce, 16-byte tag.
    ChaCha20Poly1305, U32, 32, U12, 12);
aead_alg!(/// XChaCha20-Poly1305: 32-byte key, 24-byte nonce, 16-byte tag.
    XChaCha20Poly1305, U32, 32, U24, 24);

macro_rules! hash_alg {
    ($(#[$m:meta])* $name:ident, $o:ty, $olen:expr, $b:ty) => {
        marker!($(#[$m])* $name);
        impl HashAlgorithm for $name {
            type OutputSize = $o;
            type BlockSize = $b;
            const OUTPUT_LEN: usize = $olen;
            const ID: HashId = HashId::$name;
        }
    };
}
hash_alg!(/// SHA-256: 32-byte output, 64-byte block.
    Sha256, U32, 32, U64);
hash_alg!(/// SHA-384: 48-byte output, 128-byte block.
    Sha384, U48, 48, U128);
hash_alg!(/// SHA-512: 64-byte output, 128-byte block.
    Sha512, U64, 64, U128);
hash_alg!(/// BLAKE2b-512: 64-byte output, 128-byte block.
    Blake2b512, U64, 64, U128);
hash_alg!(/// BLAKE3: 32-byte output, 64-byte block.
    Blake3, U32, 32, U64);

macro_rules! kem_alg {
    ($(#[$m:meta])* $name:ident, $ek:expr, $ct:expr) => {
        marker!($(#[$m])* $name);
        impl KemAlgorithm for $name {
            const EK_LEN: usize = $ek;
            const CT_LEN: usize = $ct;
            const ID: KemId = KemId::$name;
        }
    };
}
kem_alg!(/// ML-KEM-512: 800-byte encapsulation key, 768-byte ciphertext.
    MlKem512, 800, 768);
kem_alg!(/// ML-KEM-768: 1184-byte encapsulation key, 1088-byte ciphertext.
    MlKem768, 1184, 1088);
kem_alg!(/// ML-KEM-1024: 1568-byte encapsulation key, 1568-byte ciphertext.
    MlKem1024, 1568, 1568);

macro_rules! sig_alg {
    ($(#[$m:meta])* $name:ident, $pk:expr, $sig:expr) => {
        marker!($(#[$m])* $name);
        impl SignatureAlgorithm for $name {
            const PK_LEN: usize = $pk;
            const SIG_LEN: usize = $sig;
            const ID: SignatureId = SignatureId::$name;
        }
    };
}
sig_alg!(/// ML-DSA-44: 1312-byte verifying key, 2420-byte signature.
    MlDsa44, 1312, 2420);
sig_alg!(/// ML-DSA-65: 1952-byte verifying key, 3309-byte signature.
    MlDsa65, 1952, 3309);
sig_alg!(/// ML-DSA-87: 2592-byte verifying key, 4627-byte signature.
    MlDsa87, 2592, 4627);
