//! The cryptography suite once per backend and algorithm (Wycheproof and published
//! vectors), and the cross-backend interoperability checks: seal with one backend and open
//! with every other, sign and verify across, encapsulate and decapsulate across.
#![cfg(any(
    feature = "crypto-boringssl",
    feature = "crypto-aws-lc",
    feature = "crypto-libsodium",
    feature = "crypto-liboqs",
    feature = "crypto-blake3"
))]

#[allow(unused_imports)]
use arsenal_crypto::alg::*;
#[cfg(feature = "crypto-aws-lc")]
use arsenal_crypto::AwsLc;
#[cfg(feature = "crypto-blake3")]
use arsenal_crypto::Blake3C;
#[cfg(feature = "crypto-boringssl")]
use arsenal_crypto::BoringSsl;
#[cfg(feature = "crypto-liboqs")]
use arsenal_crypto::Liboqs;
#[cfg(feature = "crypto-libsodium")]
use arsenal_crypto::Libsodium;

macro_rules! aead_all {
    ($module:ident, $feature:literal, $p:ty: $($name:ident = $alg:ty),*) => {
        #[cfg(feature = $feature)]
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            $(arsenal_conformance::crypto_aead_conformance!($name, $p, $alg);)*
        }
    };
}

aead_all!(boringssl_aead, "crypto-boringssl", BoringSsl:
    aes_128_gcm = Aes128Gcm, aes_256_gcm = Aes256Gcm,
    chacha20_poly1305 = ChaCha20Poly1305, xchacha20_poly1305 = XChaCha20Poly1305);
aead_all!(aws_lc_aead, "crypto-aws-lc", AwsLc:
    aes_128_gcm = Aes128Gcm, aes_256_gcm = Aes256Gcm,
    chacha20_poly1305 = ChaCha20Poly1305, xchacha20_poly1305 = XChaCha20Poly1305);
aead_all!(libsodium_aead, "crypto-libsodium", Libsodium:
    chacha20_poly1305 = ChaCha20Poly1305, xchacha20_poly1305 = XChaCha20Poly1305);

/// libsodium's AES-256-GCM needs AES-NI and PCLMUL: run where the CPU has them, else
/// check that the refusal is `Unsupported`.
#[cfg(feature = "crypto-libsodium")]
#[test]
fn libsodium_aes_256_gcm() {
    if arsenal_crypto::Backend::Libsodium.supports_aead(arsenal_crypto::AeadId::Aes256Gcm) {
        arsenal_conformance::crypto::aead_wycheproof::<Libsodium, Aes256Gcm>();
        arsenal_conformance::crypto::aead_edges::<Libsodium, Aes256Gcm>();
    } else {
        let e = arsenal_crypto::Aead::<Libsodium, Aes256Gcm>::new_from_slice(&[0; 32]).unwrap_err();
        assert_eq!(e.kind(), arsenal_crypto::ErrorKind::Unsupported);
        eprintln!("libsodium AES-256-GCM not available on this CPU: {e}");
    }
}

macro_rules! hash_all {
    ($module:ident, $feature:literal, $p:ty: $($name:ident = $alg:ty $([$($extra:ident),*])?),*) => {
        #[cfg(feature = $feature)]
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            $(arsenal_conformance::crypto_hash_conformance!($name, $p, $alg $($(, $extra)*)?);)*
        }
    };
}

hash_all!(boringssl_hash, "crypto-boringssl", BoringSsl:
    sha256 = Sha256 [hmac, hkdf], sha384 = Sha384 [hmac, hkdf], sha512 = Sha512 [hmac, hkdf]);
hash_all!(aws_lc_hash, "crypto-aws-lc", AwsLc:
    sha256 = Sha256 [hmac, hkdf], sha384 = Sha384 [hmac, hkdf], sha512 = Sha512 [hmac, hkdf]);
hash_all!(libsodium_hash, "crypto-libsodium", Libsodium:
    sha256 = Sha256 [hmac, hkdf], sha512 = Sha512 [hmac, hkdf], blake2b512 = Blake2b512);
hash_all!(blake3_hash, "crypto-blake3", Blake3C: blake3 = Blake3);

#[cfg(feature = "crypto-boringssl")]
arsenal_conformance::crypto_curve25519_conformance!(
    boringssl_curve25519,
    arsenal_crypto::BoringSsl
);
#[cfg(feature = "crypto-aws-lc")]
arsenal_conformance::crypto_curve25519_conformance!(aws_lc_curve25519, arsenal_crypto::AwsLc);
#[cfg(feature = "crypto-libsodium")]
arsenal_conformance::crypto_curve25519_conformance!(
    libsodium_curve25519,
    arsenal_crypto::Libsodium
);

macro_rules! pq_all {
    ($module:ident, $feature:literal, $p:ty: kem [$($kname:ident = $kalg:ty),*] dsa [$($dname:ident = $dalg:ty),*]) => {
        #[cfg(feature = $feature)]
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            $(arsenal_conformance::crypto_kem_conformance!($kname, $p, $kalg);)*
            $(arsenal_conformance::crypto_dsa_conformance!($dname, $p, $dalg);)*
        }
    };
}

pq_all!(boringssl_pq, "crypto-boringssl", BoringSsl:
    kem [ml_kem_768 = MlKem768, ml_kem_1024 = MlKem1024]
    dsa [ml_dsa_44 = MlDsa44, ml_dsa_65 = MlDsa65, ml_dsa_87 = MlDsa87]);
pq_all!(aws_lc_pq, "crypto-aws-lc", AwsLc:
    kem [ml_kem_512 = MlKem512, ml_kem_768 = MlKem768, ml_kem_1024 = MlKem1024]
    dsa [ml_dsa_44 = MlDsa44, ml_dsa_65 = MlDsa65, ml_dsa_87 = MlDsa87]);
pq_all!(liboqs_pq, "crypto-liboqs", Liboqs:
    kem [ml_kem_512 = MlKem512, ml_kem_768 = MlKem768, ml_kem_1024 = MlKem1024]
    dsa [ml_dsa_44 = MlDsa44, ml_dsa_65 = MlDsa65, ml_dsa_87 = MlDsa87]);

/// Every available backend pair, every AEAD both support: identical ciphertexts, each
/// opens the other's (through the run-time `Backend::aead` API).
#[test]
fn aead_across_backends() {
    use arsenal_crypto::{AeadId, Backend};
    let mut pairs = 0;
    for &id in AeadId::ALL {
        let key: Vec<u8> = (0..id.key_len() as u8).collect();
        let nonce = vec![9u8; id.nonce_len()];
        let ciphers: Vec<_> = Backend::available()
            .into_iter()
            .filter_map(|b| b.aead(id, &key).ok())
            .collect();
        for a in &ciphers {
            for b in &ciphers {
                for len in [0usize, 1, 100, 70_000] {
                    let msg = vec![len as u8; len];
                    let mut sealed = Vec::new();
                    a.seal_to_vec(&nonce, b"aad", &msg, &mut sealed).unwrap();
                    let mut other = Vec::new();
                    b.seal_to_vec(&nonce, b"aad", &msg, &mut other).unwrap();
                    assert_eq!(
                        sealed,
                        other,
                        "{id}: {:?} vs {:?}",
                        a.backend(),
                        b.backend()
                    );
                    let mut opened = Vec::new();
                    b.open_to_vec(&nonce, b"aad", &sealed, &mut opened).unwrap();
                    assert_eq!(opened, msg);
                }
                pairs += 1;
            }
        }
    }
    eprintln!("AEAD backend pairs checked: {pairs}");
    // Builds with only liboqs and/or BLAKE3 have no AEAD: nothing to pair, said so.
    let any_aead = Backend::available()
        .into_iter()
        .any(|b| AeadId::ALL.iter().any(|&id| b.supports_aead(id)));
    assert_eq!(pairs > 0, any_aead);
}

/// Every available backend computes the same digests.
#[test]
fn digests_across_backends() {
    use arsenal_crypto::{Backend, HashId};
    let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    for &id in HashId::ALL {
        let outs: Vec<_> = Backend::available()
            .into_iter()
            .filter_map(|b| b.digest(id, &data).ok())
            .collect();
        assert!(outs.windows(2).all(|w| w[0] == w[1]), "{id}");
    }
}

#[cfg(all(feature = "crypto-boringssl", feature = "crypto-aws-lc"))]
#[test]
fn boringssl_aws_lc_interop() {
    use arsenal_conformance::crypto::*;
    aead_interop::<BoringSsl, AwsLc, Aes128Gcm>();
    curve25519_interop::<BoringSsl, AwsLc>();
    mlkem_interop::<BoringSsl, AwsLc, MlKem768>();
    mlkem_interop::<BoringSsl, AwsLc, MlKem1024>();
    mldsa_interop::<BoringSsl, AwsLc, MlDsa65>();
    mldsa_interop::<AwsLc, BoringSsl, MlDsa44>();
}

#[cfg(all(feature = "crypto-boringssl", feature = "crypto-libsodium"))]
#[test]
fn boringssl_libsodium_interop() {
    use arsenal_conformance::crypto::*;
    aead_interop::<BoringSsl, Libsodium, ChaCha20Poly1305>();
    aead_interop::<Libsodium, BoringSsl, XChaCha20Poly1305>();
    curve25519_interop::<BoringSsl, Libsodium>();
    curve25519_interop::<Libsodium, BoringSsl>();
}

#[cfg(all(feature = "crypto-aws-lc", feature = "crypto-libsodium"))]
#[test]
fn aws_lc_libsodium_interop() {
    use arsenal_conformance::crypto::*;
    aead_interop::<AwsLc, Libsodium, ChaCha20Poly1305>();
    curve25519_interop::<AwsLc, Libsodium>();
}

#[cfg(all(feature = "crypto-liboqs", feature = "crypto-boringssl"))]
#[test]
fn liboqs_boringssl_interop() {
    use arsenal_conformance::crypto::*;
    mlkem_interop::<Liboqs, BoringSsl, MlKem768>();
    mlkem_interop::<BoringSsl, Liboqs, MlKem1024>();
    mldsa_interop::<Liboqs, BoringSsl, MlDsa65>();
    mldsa_interop::<BoringSsl, Liboqs, MlDsa87>();
}

#[cfg(all(feature = "crypto-liboqs", feature = "crypto-aws-lc"))]
#[test]
fn liboqs_aws_lc_interop() {
    use arsenal_conformance::crypto::*;
    mlkem_interop::<Liboqs, AwsLc, MlKem512>();
    mlkem_interop::<AwsLc, Liboqs, MlKem768>();
    mldsa_interop::<AwsLc, Liboqs, MlDsa44>();
    mldsa_interop::<Liboqs, AwsLc, MlDsa87>();
}

/// Argon2id (libsodium): determinism, salt sensitivity, and limits at their maximum.
#[cfg(feature = "crypto-libsodium")]
#[test]
fn argon2id_limits() {
    use arsenal_crypto::{argon2id, ErrorKind};
    let mut a = [0u8; 32];
    let mut b = [0u8; 32];
    argon2id::<Libsodium>(b"password", &[1; 16], 2, 1 << 20, &mut a).unwrap();
    argon2id::<Libsodium>(b"password", &[1; 16], 2, 1 << 20, &mut b).unwrap();
    assert_eq!(a, b);
    argon2id::<Libsodium>(b"password", &[2; 16], 2, 1 << 20, &mut b).unwrap();
    assert_ne!(a, b);
    for (ops, mem, len) in [
        (u64::MAX, 1 << 20, 32),
        (2, usize::MAX, 32),
        (0, 1 << 20, 32),
        (2, 0, 32),
        (2, 1 << 20, 0),
    ] {
        let mut out = vec![0u8; len];
        let e = argon2id::<Libsodium>(b"pw", &[0; 16], ops, mem, &mut out).unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::Parameter,
            "ops {ops} mem {mem} len {len}"
        );
    }
    assert_eq!(
        argon2id::<Libsodium>(b"pw", &[0; 15], 2, 1 << 20, &mut a)
            .unwrap_err()
            .kind(),
        ErrorKind::Parameter
    );
}
