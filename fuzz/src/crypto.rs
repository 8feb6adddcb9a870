//! Properties of the cryptography fuzz targets (`crypto_*`), shared with the stable
//! replay, and their seeds (sealed messages, signatures and ciphertexts made here).
//!
//! - `crypto_open_<backend>`: any bytes as a sealed message of every AEAD the backend
//!   has (the first byte picks the AEAD and the length of the associated data). Opening
//!   is a clean `Err` (`Authentication`, or `Length` under 16 bytes) or, for a genuine
//!   message, the plaintext that seals back to the same bytes.
//! - `crypto_verify_<backend>`: any bytes as `(public key, signature, message)` for
//!   Ed25519 and the ML-DSA parameter sets the backend has: `Ok` or a clean `Err`; a
//!   signature that verifies must verify again (verification is deterministic).
//! - `crypto_kem`: any bytes as an ML-KEM ciphertext (decapsulation: the same secret on
//!   every backend, implicit rejection included) and as an encapsulation key
//!   (encapsulation: `Ok` or `InvalidKey`/`KeyLength`).

use arsenal_crypto::alg::{
    AeadAlgorithm, Aes128Gcm, Aes256Gcm, ChaCha20Poly1305, KemAlgorithm, MlDsa44, MlDsa65, MlDsa87,
    MlKem1024, MlKem512, MlKem768, SignatureAlgorithm, XChaCha20Poly1305,
};
use arsenal_crypto::pq::{Decapsulate, Encapsulate};
use arsenal_crypto::provider::{AeadProvider, Ed25519Provider, KemProvider, SignatureProvider};
use arsenal_crypto::{
    Aead, AwsLc, BoringSsl, Ed25519SigningKey, Ed25519VerifyingKey, ErrorKind, Liboqs, Libsodium,
    MlDsaSigningKey, MlDsaVerifyingKey, MlKemDecapsulationKey, MlKemEncapsulationKey,
};

/// The fixed key material of every target: `0, 1, 2, …`.
fn key(len: usize) -> Vec<u8> {
    (0..len as u8).collect()
}

/// The fixed nonce of every target.
fn nonce(len: usize) -> Vec<u8> {
    vec![0x5A; len]
}

/// Splits `input` into (aad, sealed) with the aad length from `selector`.
fn split_aad(selector: u8, rest: &[u8]) -> (&[u8], &[u8]) {
    let aad_len = usize::from(selector >> 3).min(rest.len());
    rest.split_at(aad_len)
}

fn open_one<P: AeadProvider<A>, A: AeadAlgorithm>(aad: &[u8], sealed: &[u8]) {
    let cipher = match Aead::<P, A>::new_from_slice(&key(A::KEY_LEN)) {
        Ok(c) => c,
        // libsodium's AES-GCM without AES-NI.
        Err(e) => return assert_eq!(e.kind(), ErrorKind::Unsupported),
    };
    let n = nonce(A::NONCE_LEN);
    match cipher.open(&n, aad, sealed) {
        Ok(plain) => {
            let again = cipher.seal(&n, aad, &plain).expect("seal what opened");
            assert_eq!(again, sealed, "opened bytes that are not a genuine seal");
        }
        Err(e) => {
            let want = if sealed.len() < 16 {
                ErrorKind::Length
            } else {
                ErrorKind::Authentication
            };
            assert_eq!(e.kind(), want, "{e}");
        }
    }
}

macro_rules! open_target {
    ($(#[$m:meta])* $name:ident, $p:ty, [$($alg:ty),*]) => {
        $(#[$m])*
        pub fn $name(input: &[u8]) {
            let Some((&selector, rest)) = input.split_first() else { return };
            let (aad, sealed) = split_aad(selector, rest);
            let algs: &[fn(&[u8], &[u8])] = &[$(open_one::<$p, $alg>),*];
            algs[usize::from(selector & 7) % algs.len()](aad, sealed);
        }
    };
}

open_target!(
    /// Any bytes opened by BoringSSL's AEADs.
    crypto_open_boringssl, BoringSsl, [Aes128Gcm, Aes256Gcm, ChaCha20Poly1305, XChaCha20Poly1305]
);
open_target!(
    /// Any bytes opened by AWS-LC's AEADs.
    crypto_open_aws_lc, AwsLc, [Aes128Gcm, Aes256Gcm, ChaCha20Poly1305, XChaCha20Poly1305]
);
open_target!(
    /// Any bytes opened by libsodium's AEADs.
    crypto_open_libsodium, Libsodium, [Aes256Gcm, ChaCha20Poly1305, XChaCha20Poly1305]
);

fn verify_ed25519<P: Ed25519Provider>(input: &[u8]) {
    if input.len() < 96 {
        return;
    }
    let (pk, rest) = input.split_at(32);
    let (sig, msg) = rest.split_at(64);
    let key = Ed25519VerifyingKey::<P>::from_bytes(pk).expect("32 bytes");
    match key.verify_message(msg, sig) {
        Ok(()) => key.verify_message(msg, sig).expect("verifies twice"),
        Err(e) => assert_eq!(e.kind(), ErrorKind::Signature, "{e}"),
    }
}

fn verify_mldsa<P: SignatureProvider<S>, S: SignatureAlgorithm>(input: &[u8]) {
    if input.len() < S::PK_LEN {
        return;
    }
    let (pk, rest) = input.split_at(S::PK_LEN);
    let (sig, msg) = rest.split_at(S::SIG_LEN.min(rest.len()));
    let key = MlDsaVerifyingKey::<P, S>::from_bytes(pk).expect("right length");
    match key.verify_with_context(msg, b"", sig) {
        Ok(()) => key
            .verify_with_context(msg, b"", sig)
            .expect("verifies twice"),
        Err(e) => assert!(
            matches!(e.kind(), ErrorKind::Signature | ErrorKind::InvalidKey),
            "{e}"
        ),
    }
}

macro_rules! verify_target {
    ($(#[$m:meta])* $name:ident, [$($f:expr),*]) => {
        $(#[$m])*
        pub fn $name(input: &[u8]) {
            let Some((&selector, rest)) = input.split_first() else { return };
            let schemes: &[fn(&[u8])] = &[$($f),*];
            schemes[usize::from(selector) % schemes.len()](rest);
        }
    };
}

verify_target!(
    /// BoringSSL's Ed25519 and ML-DSA-44/65/87 verification of any bytes.
    crypto_verify_boringssl,
    [verify_ed25519::<BoringSsl>, verify_mldsa::<BoringSsl, MlDsa44>, verify_mldsa::<BoringSsl, MlDsa65>, verify_mldsa::<BoringSsl, MlDsa87>]
);
verify_target!(
    /// AWS-LC's Ed25519 and ML-DSA-44/65/87 verification of any bytes.
    crypto_verify_aws_lc,
    [verify_ed25519::<AwsLc>, verify_mldsa::<AwsLc, MlDsa44>, verify_mldsa::<AwsLc, MlDsa65>, verify_mldsa::<AwsLc, MlDsa87>]
);
verify_target!(
    /// libsodium's Ed25519 verification of any bytes.
    crypto_verify_libsodium,
    [verify_ed25519::<Libsodium>]
);
verify_target!(
    /// liboqs' ML-DSA-44/65/87 verification of any bytes.
    crypto_verify_liboqs,
    [verify_mldsa::<Liboqs, MlDsa44>, verify_mldsa::<Liboqs, MlDsa65>, verify_mldsa::<Liboqs, MlDsa87>]
);

fn kem_decaps<P: KemProvider<K>, K: KemAlgorithm>(ct: &[u8]) -> Option<[u8; 32]> {
    let dk = MlKemDecapsulationKey::<P, K>::from_seed(&[0x42; 64]).expect("keygen");
    match dk.decapsulate(ct) {
        Ok(k) => {
            assert_eq!(ct.len(), K::CT_LEN);
            Some(*k)
        }
        Err(e) => {
            assert_eq!(e.kind(), ErrorKind::Length, "{e}");
            assert_ne!(ct.len(), K::CT_LEN);
            None
        }
    }
}

fn kem_encaps<P: KemProvider<K>, K: KemAlgorithm>(ek: &[u8]) {
    match MlKemEncapsulationKey::<P, K>::from_bytes(ek).and_then(|k| k.encapsulate()) {
        Ok((ct, _)) => assert_eq!(ct.len(), K::CT_LEN),
        Err(e) => assert!(
            matches!(e.kind(), ErrorKind::KeyLength | ErrorKind::InvalidKey),
            "{e}"
        ),
    }
}

fn kem_set<K: KemAlgorithm>(data: &[u8], boring: bool)
where
    AwsLc: KemProvider<K>,
    Liboqs: KemProvider<K>,
    BoringSsl: KemProvider<K>,
{
    // Short inputs are padded to a ciphertext (the interesting case) half of the time.
    let mut ct = data.to_vec();
    if data.first().is_some_and(|b| b & 1 == 0) {
        ct.resize(K::CT_LEN, 0);
    }
    let a = kem_decaps::<AwsLc, K>(&ct);
    let o = kem_decaps::<Liboqs, K>(&ct);
    assert_eq!(a, o, "AWS-LC and liboqs disagree");
    if boring {
        assert_eq!(
            kem_decaps::<BoringSsl, K>(&ct),
            a,
            "BoringSSL and AWS-LC disagree"
        );
    }
    let mut ek = data.to_vec();
    if data.first().is_some_and(|b| b & 2 == 0) {
        ek.resize(K::EK_LEN, 0);
    }
    kem_encaps::<AwsLc, K>(&ek);
    kem_encaps::<Liboqs, K>(&ek);
    if boring {
        kem_encaps::<BoringSsl, K>(&ek);
    }
}

/// ML-KEM-512 on AWS-LC and liboqs only (BoringSSL has no ML-KEM-512): a marker impl
/// would be wrong, so the 512 set runs its own two-backend path.
fn kem_512(data: &[u8]) {
    let mut ct = data.to_vec();
    if data.first().is_some_and(|b| b & 1 == 0) {
        ct.resize(MlKem512::CT_LEN, 0);
    }
    assert_eq!(
        kem_decaps::<AwsLc, MlKem512>(&ct),
        kem_decaps::<Liboqs, MlKem512>(&ct)
    );
    let mut ek = data.to_vec();
    if data.first().is_some_and(|b| b & 2 == 0) {
        ek.resize(MlKem512::EK_LEN, 0);
    }
    kem_encaps::<AwsLc, MlKem512>(&ek);
    kem_encaps::<Liboqs, MlKem512>(&ek);
}

/// Any bytes as ML-KEM ciphertexts and encapsulation keys on every backend; the first
/// byte picks the parameter set.
pub fn crypto_kem(input: &[u8]) {
    let Some((&selector, rest)) = input.split_first() else {
        return;
    };
    match selector % 3 {
        0 => kem_512(rest),
        1 => kem_set::<MlKem768>(rest, true),
        _ => kem_set::<MlKem1024>(rest, true),
    }
}

/// The seeds of `fuzz/corpus/crypto`: genuine sealed messages of every AEAD (and each
/// with a flipped byte), valid Ed25519 and ML-DSA signatures in the verify layout, ML-KEM
/// ciphertexts and encapsulation keys.
pub fn crypto_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    fn sealed<A: AeadAlgorithm>(selector: u8, seeds: &mut Vec<(String, Vec<u8>)>, name: &str)
    where
        AwsLc: AeadProvider<A>,
    {
        let cipher = Aead::<AwsLc, A>::new_from_slice(&key(A::KEY_LEN)).expect("key");
        let aad = vec![0xAA; usize::from(selector >> 3)];
        let sealed = cipher
            .seal(&nonce(A::NONCE_LEN), &aad, b"fuzz me, then open me")
            .expect("seal");
        let mut seed = vec![selector];
        seed.extend_from_slice(&aad);
        seed.extend_from_slice(&sealed);
        let mut flipped = seed.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        seeds.push((format!("open_{name}"), seed));
        seeds.push((format!("open_{name}_flip"), flipped));
    }
    // Selector: low 3 bits the AEAD index (BoringSSL/AWS-LC order), high bits the aad
    // length. libsodium's order differs (no AES-128-GCM); the seeds still reach it.
    sealed::<Aes128Gcm>(0 | (13 << 3), &mut seeds, "aes128gcm");
    sealed::<Aes256Gcm>(1 | (13 << 3), &mut seeds, "aes256gcm");
    sealed::<ChaCha20Poly1305>(2, &mut seeds, "chacha20poly1305");
    sealed::<XChaCha20Poly1305>(3 | (5 << 3), &mut seeds, "xchacha20poly1305");

    let ed = Ed25519SigningKey::<AwsLc>::from_seed(&[7; 32]).expect("key");
    let sig = ed.sign_message(b"verify me").expect("sign");
    let mut seed = vec![0u8];
    seed.extend_from_slice(&ed.public_key());
    seed.extend_from_slice(&sig.0);
    seed.extend_from_slice(b"verify me");
    seeds.push(("verify_ed25519".to_owned(), seed));
    fn dsa<S: SignatureAlgorithm>(selector: u8, seeds: &mut Vec<(String, Vec<u8>)>)
    where
        Liboqs: SignatureProvider<S>,
    {
        use signature::Keypair;
        let key = MlDsaSigningKey::<Liboqs, S>::generate().expect("keygen");
        let sig = key.sign_with_context(b"verify me", b"").expect("sign");
        let mut seed = vec![selector];
        seed.extend_from_slice(key.verifying_key().as_bytes());
        seed.extend_from_slice(&sig.0);
        seed.extend_from_slice(b"verify me");
        seeds.push((format!("verify_{}", S::ID.name()), seed));
    }
    dsa::<MlDsa44>(1, &mut seeds);
    dsa::<MlDsa65>(2, &mut seeds);
    dsa::<MlDsa87>(3, &mut seeds);

    fn kem<K: KemAlgorithm>(selector: u8, seeds: &mut Vec<(String, Vec<u8>)>)
    where
        Liboqs: KemProvider<K>,
    {
        let dk = MlKemDecapsulationKey::<Liboqs, K>::from_seed(&[0x42; 64]).expect("keygen");
        let (ct, _) = dk.encapsulation_key().encapsulate().expect("encaps");
        let mut seed = vec![selector];
        seed.extend_from_slice(&ct);
        seeds.push((format!("kem_{}_ct", K::ID.name()), seed));
        let mut seed = vec![selector];
        seed.extend_from_slice(dk.encapsulation_key().as_bytes());
        seeds.push((format!("kem_{}_ek", K::ID.name()), seed));
    }
    kem::<MlKem512>(0, &mut seeds);
    kem::<MlKem768>(1, &mut seeds);
    kem::<MlKem1024>(2, &mut seeds);
    seeds
}

#[cfg(test)]
mod tests {
    #[test]
    fn seeds_pass_every_property() {
        for (name, seed) in super::crypto_seeds() {
            for (target, property) in crate::TARGETS
                .iter()
                .filter(|(t, _)| t.starts_with("crypto_"))
            {
                let _ = (name.as_str(), target);
                property(&seed);
            }
        }
    }
}
