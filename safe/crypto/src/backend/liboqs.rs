//! liboqs (`oqs-sys` 0.11 = liboqs 0.13, bundled, only ML-KEM and ML-DSA) behind the
//! provider traits.
//!
//! | trait | algorithms |
//! |---|---|
//! | [`RandomProvider`] | `OQS_randombytes` (the system generator) |
//! | [`KemProvider`] | ML-KEM-512/768/1024 (mlkem-native, FIPS 203) |
//! | [`SignatureProvider`] | ML-DSA-44/65/87 (FIPS 204, hedged signing, with context) |
//!
//! Not available in liboqs 0.13: deterministic ML-KEM encapsulation (no
//! `encaps_derand` entry point) and ML-DSA key generation from a seed; those keep the
//! trait's `ErrorKind::Unsupported` defaults.
//!
//! FIPS 203's encapsulation-key modulus check (§7.2): liboqs 0.13's ML-KEM is
//! mlkem-native, whose `crypto_kem_enc_derand` runs `mlk_check_pk` (decode, reduce,
//! re-encode, constant-time compare) before encapsulating and returns -1 when it fails.
//! That is the only way `OQS_KEM_ml_kem_*_encaps` fails, so its `OQS_ERROR` is reported
//! as `ErrorKind::InvalidKey` (the test `bad_modulus_ek` keeps this honest). Likewise
//! decapsulation runs FIPS 203's hash check on the secret key (§7.3).

use std::sync::Once;

use oqs_sys::common::OQS_STATUS;
use oqs_sys::{kem, sig};
use zeroize::Zeroizing;

use crate::alg::{
    KemAlgorithm, MlDsa44, MlDsa65, MlDsa87, MlKem1024, MlKem512, MlKem768, SignatureAlgorithm,
};
use crate::provider::{KemProvider, Provider, RandomProvider, SignatureProvider};
use crate::{Error, ErrorKind, Liboqs, Result};

/// The backend name every error of this module carries.
const NAME: &str = <Liboqs as Provider>::BACKEND.name();

fn error(kind: ErrorKind, message: &'static str) -> Error {
    Error::new(kind, NAME, message)
}

/// Runs `OQS_init()` once (it detects the CPU's extensions for the dispatching code).
fn init() {
    static INIT: Once = Once::new();
    // SAFETY: `OQS_init` takes no arguments and only sets up liboqs's global state; `Once`
    // runs it a single time before any other liboqs call of this module.
    INIT.call_once(|| unsafe { oqs_sys::common::OQS_init() });
}

fn ok(status: OQS_STATUS) -> bool {
    status == OQS_STATUS::OQS_SUCCESS
}

impl RandomProvider for Liboqs {
    fn fill_random(out: &mut [u8]) -> Result<()> {
        init();
        // SAFETY: `out` is valid for writes of `out.len()` bytes, which `OQS_randombytes`
        // fills (it aborts the process rather than return short).
        unsafe { oqs_sys::rand::OQS_randombytes(out.as_mut_ptr(), out.len()) };
        Ok(())
    }
}

/// An expanded ML-KEM decapsulation key or ML-DSA signing key in liboqs's encoding,
/// wiped when dropped.
pub struct OqsSecretKey(Zeroizing<Vec<u8>>);

impl core::fmt::Debug for OqsSecretKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "OqsSecretKey({} bytes, <redacted>)", self.0.len())
    }
}

macro_rules! ml_kem {
    ($alg:ty, $pk:ident, $sk:ident, $ct:ident, $ss:ident, $seed:ident, $keypair_derand:ident, $encaps:ident, $decaps:ident) => {
        // The encoded sizes agree with FIPS 203 (and the marker types).
        const _: () = {
            assert!(kem::$pk as usize == <$alg as KemAlgorithm>::EK_LEN);
            assert!(kem::$ct as usize == <$alg as KemAlgorithm>::CT_LEN);
            assert!(kem::$ss as usize == 32);
            assert!(kem::$seed as usize == 64);
        };

        impl KemProvider<$alg> for Liboqs {
            type DecapsulationKey = OqsSecretKey;

            /// `keypair_derand` takes FIPS 203's `d || z` (64 bytes): `d` seeds
            /// K-PKE.KeyGen, `z` is stored as the implicit-rejection secret.
            fn from_seed(seed: &[u8; 64]) -> Result<(Self::DecapsulationKey, Vec<u8>)> {
                init();
                let mut ek = vec![0u8; kem::$pk as usize];
                let mut dk = Zeroizing::new(vec![0u8; kem::$sk as usize]);
                // SAFETY: `ek` and `dk` have the public- and secret-key lengths liboqs
                // writes; `seed` is the 64 bytes (length_keypair_seed) it reads.
                let status = unsafe {
                    kem::$keypair_derand(ek.as_mut_ptr(), dk.as_mut_ptr(), seed.as_ptr())
                };
                if ok(status) {
                    Ok((OqsSecretKey(dk), ek))
                } else {
                    Err(error(ErrorKind::Library, "ML-KEM key generation failed"))
                }
            }

            // The raw bytes: liboqs takes them as they are (it checks the modulus when
            // encapsulating).
            type EncapsulationKey = Vec<u8>;

            fn parse_encapsulation_key(ek: &[u8]) -> Result<Self::EncapsulationKey> {
                Ok(ek.to_vec())
            }

            fn encapsulate(ek: &Self::EncapsulationKey) -> Result<(Vec<u8>, Zeroizing<[u8; 32]>)> {
                init();
                if ek.len() != kem::$pk as usize {
                    return Err(error(
                        ErrorKind::Length,
                        "wrong ML-KEM encapsulation key length",
                    ));
                }
                let mut ct = vec![0u8; kem::$ct as usize];
                let mut ss = Zeroizing::new([0u8; 32]);
                // SAFETY: `ct` has the ciphertext length, `ss` the 32-byte shared secret
                // length liboqs writes; `ek` has the public-key length (checked).
                let status = unsafe { kem::$encaps(ct.as_mut_ptr(), ss.as_mut_ptr(), ek.as_ptr()) };
                if ok(status) {
                    Ok((ct, ss))
                } else {
                    // mlkem-native's encapsulation fails only on the modulus check.
                    Err(error(
                        ErrorKind::InvalidKey,
                        "the ML-KEM encapsulation key fails FIPS 203's modulus check",
                    ))
                }
            }

            fn decapsulate(dk: &Self::DecapsulationKey, ct: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
                init();
                if ct.len() != kem::$ct as usize {
                    return Err(error(ErrorKind::Length, "wrong ML-KEM ciphertext length"));
                }
                if dk.0.len() != kem::$sk as usize {
                    return Err(error(
                        ErrorKind::Library,
                        "wrong ML-KEM decapsulation key length",
                    ));
                }
                let mut ss = Zeroizing::new([0u8; 32]);
                // SAFETY: `ss` has 32 bytes; `ct` and `dk` have the ciphertext and
                // secret-key lengths liboqs reads (checked).
                let status = unsafe { kem::$decaps(ss.as_mut_ptr(), ct.as_ptr(), dk.0.as_ptr()) };
                if ok(status) {
                    Ok(ss)
                } else {
                    Err(error(
                        ErrorKind::Library,
                        "ML-KEM decapsulation failed (corrupt decapsulation key)",
                    ))
                }
            }
        }
    };
}

ml_kem!(
    MlKem512,
    OQS_KEM_ml_kem_512_length_public_key,
    OQS_KEM_ml_kem_512_length_secret_key,
    OQS_KEM_ml_kem_512_length_ciphertext,
    OQS_KEM_ml_kem_512_length_shared_secret,
    OQS_KEM_ml_kem_512_length_keypair_seed,
    OQS_KEM_ml_kem_512_keypair_derand,
    OQS_KEM_ml_kem_512_encaps,
    OQS_KEM_ml_kem_512_decaps
);
ml_kem!(
    MlKem768,
    OQS_KEM_ml_kem_768_length_public_key,
    OQS_KEM_ml_kem_768_length_secret_key,
    OQS_KEM_ml_kem_768_length_ciphertext,
    OQS_KEM_ml_kem_768_length_shared_secret,
    OQS_KEM_ml_kem_768_length_keypair_seed,
    OQS_KEM_ml_kem_768_keypair_derand,
    OQS_KEM_ml_kem_768_encaps,
    OQS_KEM_ml_kem_768_decaps
);
ml_kem!(
    MlKem1024,
    OQS_KEM_ml_kem_1024_length_public_key,
    OQS_KEM_ml_kem_1024_length_secret_key,
    OQS_KEM_ml_kem_1024_length_ciphertext,
    OQS_KEM_ml_kem_1024_length_shared_secret,
    OQS_KEM_ml_kem_1024_length_keypair_seed,
    OQS_KEM_ml_kem_1024_keypair_derand,
    OQS_KEM_ml_kem_1024_encaps,
    OQS_KEM_ml_kem_1024_decaps
);

/// FIPS 204's bound on the response `z` (Algorithm 8, step 13: `‖z‖∞ < γ1 − β`), checked
/// on the encoded signature before liboqs verifies it: liboqs 0.13 accepts some of
/// Wycheproof's signatures whose `z` violates the bound ("InfinityNormViolation"). `z`
/// follows the `c̃` bytes as `l · 256` coefficients, each stored as `γ1 − z` in
/// `gamma1_bits + 1` bits (FIPS 204 Algorithm 26, `BitPack(z, γ1 − 1, γ1)`).
fn z_within_bound(signature: &[u8], ctilde: usize, l: usize, gamma1_bits: u32, beta: i64) -> bool {
    let bits = gamma1_bits as usize + 1;
    let gamma1 = 1i64 << gamma1_bits;
    let Some(z) = signature.get(ctilde..ctilde + l * 256 * bits / 8) else {
        return false;
    };
    (0..l * 256).all(|i| {
        let bit = i * bits;
        // Up to 21 bits starting anywhere in a byte fit in four bytes.
        let mut word = 0u32;
        for (k, byte) in z[bit / 8..].iter().take(4).enumerate() {
            word |= u32::from(*byte) << (8 * k);
        }
        let packed = i64::from((word >> (bit % 8)) & ((1u32 << bits) - 1));
        (gamma1 - packed).abs() < gamma1 - beta
    })
}

macro_rules! ml_dsa {
    ($alg:ty, $pk:ident, $sk:ident, $siglen:ident, $keypair:ident, $sign:ident, $verify:ident,
     ctilde = $ctilde:expr, l = $l:expr, gamma1_bits = $g:expr, beta = $beta:expr) => {
        // The encoded sizes agree with FIPS 204 (and the marker types).
        const _: () = {
            assert!(sig::$pk as usize == <$alg as SignatureAlgorithm>::PK_LEN);
            assert!(sig::$siglen as usize == <$alg as SignatureAlgorithm>::SIG_LEN);
        };

        impl SignatureProvider<$alg> for Liboqs {
            type SigningKey = OqsSecretKey;

            fn generate() -> Result<(Self::SigningKey, Vec<u8>)> {
                init();
                let mut pk = vec![0u8; sig::$pk as usize];
                let mut sk = Zeroizing::new(vec![0u8; sig::$sk as usize]);
                // SAFETY: `pk` and `sk` have the public- and secret-key lengths liboqs
                // writes.
                let status = unsafe { sig::$keypair(pk.as_mut_ptr(), sk.as_mut_ptr()) };
                if ok(status) {
                    Ok((OqsSecretKey(sk), pk))
                } else {
                    Err(error(ErrorKind::Library, "ML-DSA key generation failed"))
                }
            }

            fn sign(key: &Self::SigningKey, msg: &[u8], context: &[u8]) -> Result<Vec<u8>> {
                init();
                if context.len() > 255 {
                    return Err(error(
                        ErrorKind::Parameter,
                        "ML-DSA context longer than 255 bytes",
                    ));
                }
                if key.0.len() != sig::$sk as usize {
                    return Err(error(ErrorKind::Library, "wrong ML-DSA signing key length"));
                }
                let mut signature = vec![0u8; sig::$siglen as usize];
                let mut len = signature.len();
                // SAFETY: `signature` has room for the maximum signature length and `len`
                // says so; `msg` and `context` are valid for their lengths (context ≤ 255,
                // checked); `key` has the secret-key length (checked).
                let status = unsafe {
                    sig::$sign(
                        signature.as_mut_ptr(),
                        &mut len,
                        msg.as_ptr(),
                        msg.len(),
                        context.as_ptr(),
                        context.len(),
                        key.0.as_ptr(),
                    )
                };
                if !ok(status) {
                    return Err(error(ErrorKind::Library, "ML-DSA signing failed"));
                }
                if len != signature.len() {
                    return Err(error(
                        ErrorKind::Library,
                        "ML-DSA signature of unexpected length",
                    ));
                }
                Ok(signature)
            }

            fn verify(pk: &[u8], msg: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
                init();
                if pk.len() != sig::$pk as usize {
                    return Err(error(
                        ErrorKind::InvalidKey,
                        "wrong ML-DSA verifying key length",
                    ));
                }
                if signature.len() != sig::$siglen as usize || context.len() > 255 {
                    return Err(error(
                        ErrorKind::Signature,
                        "the ML-DSA signature does not verify",
                    ));
                }
                if !z_within_bound(signature, $ctilde, $l, $g, $beta) {
                    return Err(error(
                        ErrorKind::Signature,
                        "the ML-DSA signature's z exceeds the norm bound",
                    ));
                }
                // SAFETY: `msg`, `signature` and `context` are valid for their lengths; `pk`
                // has the public-key length (checked).
                let status = unsafe {
                    sig::$verify(
                        msg.as_ptr(),
                        msg.len(),
                        signature.as_ptr(),
                        signature.len(),
                        context.as_ptr(),
                        context.len(),
                        pk.as_ptr(),
                    )
                };
                if ok(status) {
                    Ok(())
                } else {
                    Err(error(
                        ErrorKind::Signature,
                        "the ML-DSA signature does not verify",
                    ))
                }
            }
        }
    };
}

ml_dsa!(
    MlDsa44,
    OQS_SIG_ml_dsa_44_length_public_key,
    OQS_SIG_ml_dsa_44_length_secret_key,
    OQS_SIG_ml_dsa_44_length_signature,
    OQS_SIG_ml_dsa_44_keypair,
    OQS_SIG_ml_dsa_44_sign_with_ctx_str,
    OQS_SIG_ml_dsa_44_verify_with_ctx_str,
    ctilde = 32,
    l = 4,
    gamma1_bits = 17,
    beta = 78
);
ml_dsa!(
    MlDsa65,
    OQS_SIG_ml_dsa_65_length_public_key,
    OQS_SIG_ml_dsa_65_length_secret_key,
    OQS_SIG_ml_dsa_65_length_signature,
    OQS_SIG_ml_dsa_65_keypair,
    OQS_SIG_ml_dsa_65_sign_with_ctx_str,
    OQS_SIG_ml_dsa_65_verify_with_ctx_str,
    ctilde = 48,
    l = 5,
    gamma1_bits = 19,
    beta = 196
);
ml_dsa!(
    MlDsa87,
    OQS_SIG_ml_dsa_87_length_public_key,
    OQS_SIG_ml_dsa_87_length_secret_key,
    OQS_SIG_ml_dsa_87_length_signature,
    OQS_SIG_ml_dsa_87_keypair,
    OQS_SIG_ml_dsa_87_sign_with_ctx_str,
    OQS_SIG_ml_dsa_87_verify_with_ctx_str,
    ctilde = 64,
    l = 7,
    gamma1_bits = 19,
    beta = 120
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_constants() {
        assert_eq!(
            kem::OQS_KEM_ml_kem_512_length_public_key as usize,
            MlKem512::EK_LEN
        );
        assert_eq!(
            kem::OQS_KEM_ml_kem_512_length_ciphertext as usize,
            MlKem512::CT_LEN
        );
        assert_eq!(
            kem::OQS_KEM_ml_kem_768_length_public_key as usize,
            MlKem768::EK_LEN
        );
        assert_eq!(
            kem::OQS_KEM_ml_kem_768_length_ciphertext as usize,
            MlKem768::CT_LEN
        );
        assert_eq!(
            kem::OQS_KEM_ml_kem_1024_length_public_key as usize,
            MlKem1024::EK_LEN
        );
        assert_eq!(
            kem::OQS_KEM_ml_kem_1024_length_ciphertext as usize,
            MlKem1024::CT_LEN
        );
        assert_eq!(
            sig::OQS_SIG_ml_dsa_44_length_public_key as usize,
            MlDsa44::PK_LEN
        );
        assert_eq!(
            sig::OQS_SIG_ml_dsa_44_length_signature as usize,
            MlDsa44::SIG_LEN
        );
        assert_eq!(
            sig::OQS_SIG_ml_dsa_65_length_public_key as usize,
            MlDsa65::PK_LEN
        );
        assert_eq!(
            sig::OQS_SIG_ml_dsa_65_length_signature as usize,
            MlDsa65::SIG_LEN
        );
        assert_eq!(
            sig::OQS_SIG_ml_dsa_87_length_public_key as usize,
            MlDsa87::PK_LEN
        );
        assert_eq!(
            sig::OQS_SIG_ml_dsa_87_length_signature as usize,
            MlDsa87::SIG_LEN
        );
    }

    /// Sets coefficient `i` of the encoded vector (ByteEncode₁₂) to `value`.
    fn set_coefficient(ek: &mut [u8], i: usize, value: u16) {
        let (b, v) = (3 * (i / 2), value & 0xfff);
        if i.is_multiple_of(2) {
            ek[b] = v as u8;
            ek[b + 1] = (ek[b + 1] & 0xf0) | (v >> 8) as u8;
        } else {
            ek[b + 1] = (ek[b + 1] & 0x0f) | ((v & 0x0f) << 4) as u8;
            ek[b + 2] = (v >> 4) as u8;
        }
    }

    fn kem_checks<K: KemAlgorithm>()
    where
        Liboqs: KemProvider<K, EncapsulationKey = Vec<u8>>,
    {
        let seed: [u8; 64] = core::array::from_fn(|i| i as u8);
        let (dk, ek) = <Liboqs as KemProvider<K>>::from_seed(&seed).unwrap();
        let (_, ek2) = <Liboqs as KemProvider<K>>::from_seed(&seed).unwrap();
        assert_eq!(ek.len(), K::EK_LEN);
        assert_eq!(ek, ek2, "from_seed is deterministic");
        let mut other_seed = seed;
        other_seed[0] ^= 1;
        assert_ne!(
            <Liboqs as KemProvider<K>>::from_seed(&other_seed)
                .unwrap()
                .1,
            ek
        );

        let (ct, ss) = <Liboqs as KemProvider<K>>::encapsulate(&ek).unwrap();
        assert_eq!(ct.len(), K::CT_LEN);
        let ss2 = <Liboqs as KemProvider<K>>::decapsulate(&dk, &ct).unwrap();
        assert_eq!(*ss, *ss2);

        // Implicit rejection: a modified ciphertext gives a different secret, no error,
        // and the same one each time (it is a function of z and the ciphertext).
        let mut bad = ct.clone();
        bad[0] ^= 1;
        let r1 = <Liboqs as KemProvider<K>>::decapsulate(&dk, &bad).unwrap();
        let r2 = <Liboqs as KemProvider<K>>::decapsulate(&dk, &bad).unwrap();
        assert_ne!(*r1, *ss);
        assert_eq!(*r1, *r2);

        // The modulus check: a coefficient of 3329 (= q) or 4095 is rejected.
        for value in [3329u16, 4095] {
            for i in [0usize, 1, 255] {
                let mut bad_ek = ek.clone();
                set_coefficient(&mut bad_ek, i, value);
                let e = <Liboqs as KemProvider<K>>::encapsulate(&bad_ek).unwrap_err();
                assert_eq!(e.kind(), ErrorKind::InvalidKey);
                assert_eq!(e.backend(), "liboqs");
            }
        }
        // 3328 (= q - 1) is fine.
        let mut edge = ek.clone();
        set_coefficient(&mut edge, 0, 3328);
        <Liboqs as KemProvider<K>>::encapsulate(&edge).unwrap();

        let e = <Liboqs as KemProvider<K>>::encapsulate_deterministic(&ek, &[0; 32]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Unsupported);
    }

    #[test]
    fn ml_kem_512() {
        kem_checks::<MlKem512>();
    }

    #[test]
    fn ml_kem_768() {
        kem_checks::<MlKem768>();
    }

    #[test]
    fn ml_kem_1024() {
        kem_checks::<MlKem1024>();
    }

    fn dsa_checks<S: SignatureAlgorithm>()
    where
        Liboqs: SignatureProvider<S>,
    {
        let (sk, pk) = <Liboqs as SignatureProvider<S>>::generate().unwrap();
        assert_eq!(pk.len(), S::PK_LEN);
        let msg = b"attack at dawn";
        for context in [&b""[..], b"context"] {
            let signature = <Liboqs as SignatureProvider<S>>::sign(&sk, msg, context).unwrap();
            assert_eq!(signature.len(), S::SIG_LEN);
            <Liboqs as SignatureProvider<S>>::verify(&pk, msg, context, &signature).unwrap();
            let mut bad = signature.clone();
            bad[7] ^= 1;
            let e = <Liboqs as SignatureProvider<S>>::verify(&pk, msg, context, &bad).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Signature);
            assert_eq!(e.backend(), "liboqs");
            let e = <Liboqs as SignatureProvider<S>>::verify(
                &pk,
                b"attack at dusk",
                context,
                &signature,
            )
            .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Signature);
            let e = <Liboqs as SignatureProvider<S>>::verify(&pk, msg, b"other", &signature)
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Signature);
            let e = <Liboqs as SignatureProvider<S>>::verify(&pk, msg, context, &signature[1..])
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Signature);
        }
        let e = <Liboqs as SignatureProvider<S>>::from_seed(&[0; 32])
            .err()
            .unwrap();
        assert_eq!(e.kind(), ErrorKind::Unsupported);
    }

    #[test]
    fn ml_dsa_44() {
        dsa_checks::<MlDsa44>();
    }

    #[test]
    fn ml_dsa_65() {
        dsa_checks::<MlDsa65>();
    }

    #[test]
    fn ml_dsa_87() {
        dsa_checks::<MlDsa87>();
    }

    #[test]
    fn random() {
        let mut a = [0u8; 64];
        let mut b = [0u8; 64];
        <Liboqs as RandomProvider>::fill_random(&mut a).unwrap();
        <Liboqs as RandomProvider>::fill_random(&mut b).unwrap();
        assert_ne!(a, b);
    }
}
