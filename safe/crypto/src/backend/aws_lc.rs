//! AWS-LC (`aws-lc-sys`, bundled source, prefixed symbols) behind the provider traits.
//!
//! | trait | algorithms |
//! |---|---|
//! | `RandomProvider`, `AeadProvider`, `HashProvider`, `HmacProvider`, `HkdfProvider`, `X25519Provider`, `Ed25519Provider` | shared with BoringSSL: see [`super::boringssl_family`] |
//! | `KemProvider` | ML-KEM-512, ML-KEM-768, ML-KEM-1024 (`EVP_PKEY_KEM`: `EVP_PKEY_keygen_deterministic`, `EVP_PKEY_encapsulate(_deterministic)`, `EVP_PKEY_decapsulate`) |
//! | `SignatureProvider` | ML-DSA-44, ML-DSA-65, ML-DSA-87 (`EVP_PKEY_PQDSA`: `EVP_PKEY_keygen`, `EVP_PKEY_pqdsa_new_raw_private_key` from a 32-byte seed, `EVP_DigestSign`/`EVP_DigestVerify` with `EVP_PKEY_CTX_set1_signature_context_string`) |
//!
//! Private keys live in `EVP_PKEY`s; AWS-LC's `EVP_PKEY_free` releases them through
//! `OPENSSL_free`, which wipes every allocation before freeing it.

use core::ptr::{self, NonNull};

use super::boringssl_family::boringssl_family;
use crate::AwsLc;

boringssl_family!(crate::AwsLc, aws_lc_sys);

use crate::alg::{KemAlgorithm, SignatureAlgorithm};
use crate::provider::{KemProvider, SignatureProvider};
use crate::{ErrorKind, Result};
use zeroize::Zeroizing;

/// An owned `EVP_PKEY` (an ML-KEM or ML-DSA key pair), freed when dropped.
pub struct PKey(NonNull<ffi::EVP_PKEY>);

// SAFETY: the `EVP_PKEY` is exclusively owned by this value (its reference count is only
// raised temporarily by contexts made from it, which are freed before returning); AWS-LC
// allows an `EVP_PKEY` to be used from several threads once it is set up (the count is
// atomic, the key material is only read by decapsulation and signing).
unsafe impl Send for PKey {}
// SAFETY: as for `Send`: shared access only creates contexts over the key and reads it.
unsafe impl Sync for PKey {}

impl Drop for PKey {
    fn drop(&mut self) {
        // SAFETY: `self.0` is a valid `EVP_PKEY` this value owns one reference to.
        unsafe { ffi::EVP_PKEY_free(self.0.as_ptr()) };
    }
}

impl core::fmt::Debug for PKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PKey(<redacted>)")
    }
}

impl PKey {
    /// Takes ownership of `pkey`; `Err(error)` when it is null.
    fn new(pkey: *mut ffi::EVP_PKEY, kind: ErrorKind, what: &'static str) -> Result<Self> {
        NonNull::new(pkey)
            .map(PKey)
            .ok_or_else(|| lib_error(kind, what))
    }

    /// The raw public key, exactly `len` bytes.
    fn raw_public_key(&self, len: usize) -> Result<Vec<u8>> {
        let mut out = vec![0u8; len];
        let mut out_len = len;
        // SAFETY: `self.0` is a valid key; `out` is valid for writes of `out_len` bytes.
        let rc = unsafe {
            ffi::EVP_PKEY_get_raw_public_key(self.0.as_ptr(), out.as_mut_ptr(), &mut out_len)
        };
        if rc != 1 {
            return Err(lib_error(
                ErrorKind::Library,
                "EVP_PKEY_get_raw_public_key failed",
            ));
        }
        if out_len != len {
            return Err(error(ErrorKind::Library, "unexpected public key length"));
        }
        Ok(out)
    }
}

/// An owned `EVP_PKEY_CTX`, freed when dropped.
struct PKeyCtx(NonNull<ffi::EVP_PKEY_CTX>);

impl Drop for PKeyCtx {
    fn drop(&mut self) {
        // SAFETY: `self.0` is a valid context this value owns.
        unsafe { ffi::EVP_PKEY_CTX_free(self.0.as_ptr()) };
    }
}

impl PKeyCtx {
    /// A context for key generation of type `id` (`EVP_PKEY_KEM`, `EVP_PKEY_PQDSA`).
    fn new_id(id: i32) -> Result<Self> {
        // SAFETY: no pointers besides the unused (null) engine.
        let ctx = unsafe { ffi::EVP_PKEY_CTX_new_id(id, ptr::null_mut()) };
        NonNull::new(ctx)
            .map(PKeyCtx)
            .ok_or_else(|| lib_error(ErrorKind::Library, "EVP_PKEY_CTX_new_id failed"))
    }

    /// A context over `pkey` (which it holds a reference to until freed).
    fn new(pkey: &PKey) -> Result<Self> {
        // SAFETY: `pkey.0` is a valid key; the context takes its own reference.
        let ctx = unsafe { ffi::EVP_PKEY_CTX_new(pkey.0.as_ptr(), ptr::null_mut()) };
        NonNull::new(ctx)
            .map(PKeyCtx)
            .ok_or_else(|| lib_error(ErrorKind::Library, "EVP_PKEY_CTX_new failed"))
    }

    fn as_ptr(&self) -> *mut ffi::EVP_PKEY_CTX {
        self.0.as_ptr()
    }
}

/// An owned `EVP_MD_CTX`, freed when dropped.
struct MdCtx(NonNull<ffi::EVP_MD_CTX>);

impl Drop for MdCtx {
    fn drop(&mut self) {
        // SAFETY: `self.0` is a valid context this value owns (`EVP_MD_CTX_free` also
        // frees the `EVP_PKEY_CTX` that `EVP_DigestSignInit` attached).
        unsafe { ffi::EVP_MD_CTX_free(self.0.as_ptr()) };
    }
}

impl MdCtx {
    fn new() -> Result<Self> {
        // SAFETY: no arguments.
        let ctx = unsafe { ffi::EVP_MD_CTX_new() };
        NonNull::new(ctx)
            .map(MdCtx)
            .ok_or_else(|| lib_error(ErrorKind::Library, "EVP_MD_CTX_new failed"))
    }
}

/// `Err(lib_error(kind, what))` unless `rc == 1`.
fn check(rc: core::ffi::c_int, kind: ErrorKind, what: &'static str) -> Result<()> {
    if rc == 1 {
        Ok(())
    } else {
        Err(lib_error(kind, what))
    }
}

// ---------------------------------------------------------------------------------------
// ML-KEM

/// The AWS-LC NID of each ML-KEM parameter set.
trait KemNid: KemAlgorithm {
    const NID: i32;
}
impl KemNid for crate::alg::MlKem512 {
    const NID: i32 = ffi::NID_MLKEM512;
}
impl KemNid for crate::alg::MlKem768 {
    const NID: i32 = ffi::NID_MLKEM768;
}
impl KemNid for crate::alg::MlKem1024 {
    const NID: i32 = ffi::NID_MLKEM1024;
}

fn kem_from_seed<K: KemNid>(seed: &[u8; 64]) -> Result<(PKey, Vec<u8>)> {
    let ctx = PKeyCtx::new_id(ffi::EVP_PKEY_KEM)?;
    // SAFETY: `ctx` is a valid KEM context.
    let rc = unsafe { ffi::EVP_PKEY_CTX_kem_set_params(ctx.as_ptr(), K::NID) };
    check(rc, ErrorKind::Library, "EVP_PKEY_CTX_kem_set_params failed")?;
    // SAFETY: `ctx` is a valid context with its parameters set.
    let rc = unsafe { ffi::EVP_PKEY_keygen_init(ctx.as_ptr()) };
    check(rc, ErrorKind::Library, "EVP_PKEY_keygen_init failed")?;
    let mut pkey: *mut ffi::EVP_PKEY = ptr::null_mut();
    let mut seed_len = seed.len();
    // SAFETY: `ctx` is set up for key generation; `pkey` receives a new key (owned by
    // us); `seed` is valid for `seed_len` (64) bytes, which is only read.
    let rc = unsafe {
        ffi::EVP_PKEY_keygen_deterministic(ctx.as_ptr(), &mut pkey, seed.as_ptr(), &mut seed_len)
    };
    if rc != 1 {
        if !pkey.is_null() {
            // SAFETY: a key the failed call left behind, owned by us.
            unsafe { ffi::EVP_PKEY_free(pkey) };
        }
        return Err(lib_error(
            ErrorKind::Library,
            "EVP_PKEY_keygen_deterministic failed",
        ));
    }
    let pkey = PKey::new(
        pkey,
        ErrorKind::Library,
        "EVP_PKEY_keygen_deterministic returned no key",
    )?;
    let ek = pkey.raw_public_key(K::EK_LEN)?;
    Ok((pkey, ek))
}

/// Parses `ek` and runs `encapsulate` on a context over it.
fn kem_encapsulate<K: KemNid>(
    ek: &[u8],
    encapsulate: impl FnOnce(
        *mut ffi::EVP_PKEY_CTX,
        *mut u8,
        &mut usize,
        *mut u8,
        &mut usize,
    ) -> core::ffi::c_int,
) -> Result<(Vec<u8>, Zeroizing<[u8; 32]>)> {
    // SAFETY: `ek` is valid for `ek.len()` bytes, only read.
    let pkey = unsafe { ffi::EVP_PKEY_kem_new_raw_public_key(K::NID, ek.as_ptr(), ek.len()) };
    let pkey = PKey::new(
        pkey,
        ErrorKind::InvalidKey,
        "the encapsulation key does not parse",
    )?;
    let ctx = PKeyCtx::new(&pkey)?;
    let mut ct = vec![0u8; K::CT_LEN];
    let mut ct_len = ct.len();
    let mut ss = Zeroizing::new([0u8; 32]);
    let mut ss_len = ss.len();
    let rc = encapsulate(
        ctx.as_ptr(),
        ct.as_mut_ptr(),
        &mut ct_len,
        ss.as_mut_ptr(),
        &mut ss_len,
    );
    // AWS-LC checks the encapsulation key (FIPS 203's modulus check) when it encapsulates.
    check(
        rc,
        ErrorKind::InvalidKey,
        "encapsulation failed (invalid encapsulation key)",
    )?;
    if ct_len != K::CT_LEN || ss_len != 32 {
        return Err(error(
            ErrorKind::Library,
            "unexpected ciphertext or secret length",
        ));
    }
    Ok((ct, ss))
}

fn kem_decapsulate(dk: &PKey, ct: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let ctx = PKeyCtx::new(dk)?;
    let mut ss = Zeroizing::new([0u8; 32]);
    let mut ss_len = ss.len();
    // SAFETY: `ctx` is a context over a KEM key pair; `ss` is valid for `ss_len` bytes;
    // `ct` for `ct.len()` bytes, only read.
    let rc = unsafe {
        ffi::EVP_PKEY_decapsulate(
            ctx.as_ptr(),
            ss.as_mut_ptr(),
            &mut ss_len,
            ct.as_ptr(),
            ct.len(),
        )
    };
    check(rc, ErrorKind::Length, "EVP_PKEY_decapsulate failed")?;
    if ss_len != 32 {
        return Err(error(ErrorKind::Library, "unexpected shared secret length"));
    }
    Ok(ss)
}

macro_rules! mlkem {
    ($alg:ident) => {
        impl KemProvider<crate::alg::$alg> for AwsLc {
            type DecapsulationKey = PKey;

            fn from_seed(seed: &[u8; 64]) -> Result<(Self::DecapsulationKey, Vec<u8>)> {
                kem_from_seed::<crate::alg::$alg>(seed)
            }

            // The raw bytes: AWS-LC makes its EVP_PKEY from them per call (cheap: no
            // matrix expansion at parse time; arsenal/raw 0.98 in the matrix).
            type EncapsulationKey = Vec<u8>;

            fn parse_encapsulation_key(ek: &[u8]) -> Result<Self::EncapsulationKey> {
                Ok(ek.to_vec())
            }

            fn encapsulate(ek: &Self::EncapsulationKey) -> Result<(Vec<u8>, Zeroizing<[u8; 32]>)> {
                kem_encapsulate::<crate::alg::$alg>(ek, |ctx, ct, ct_len, ss, ss_len| {
                    // SAFETY: `ctx` is a context over a parsed public key; `ct` and `ss`
                    // are valid for `*ct_len` and `*ss_len` bytes.
                    unsafe { ffi::EVP_PKEY_encapsulate(ctx, ct, ct_len, ss, ss_len) }
                })
            }

            fn encapsulate_deterministic(
                ek: &Self::EncapsulationKey,
                m: &[u8; 32],
            ) -> Result<(Vec<u8>, Zeroizing<[u8; 32]>)> {
                kem_encapsulate::<crate::alg::$alg>(ek, |ctx, ct, ct_len, ss, ss_len| {
                    let mut m_len = m.len();
                    // SAFETY: as in `encapsulate`; `m` is valid for `m_len` (32) bytes,
                    // only read.
                    unsafe {
                        ffi::EVP_PKEY_encapsulate_deterministic(
                            ctx,
                            ct,
                            ct_len,
                            ss,
                            ss_len,
                            m.as_ptr(),
                            &mut m_len,
                        )
                    }
                })
            }

            fn decapsulate(dk: &Self::DecapsulationKey, ct: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
                kem_decapsulate(dk, ct)
            }
        }
    };
}

mlkem!(MlKem512);
mlkem!(MlKem768);
mlkem!(MlKem1024);

// ---------------------------------------------------------------------------------------
// ML-DSA

/// The AWS-LC NID of each ML-DSA parameter set.
trait SigNid: SignatureAlgorithm {
    const NID: i32;
}
impl SigNid for crate::alg::MlDsa44 {
    const NID: i32 = ffi::NID_MLDSA44;
}
impl SigNid for crate::alg::MlDsa65 {
    const NID: i32 = ffi::NID_MLDSA65;
}
impl SigNid for crate::alg::MlDsa87 {
    const NID: i32 = ffi::NID_MLDSA87;
}

fn dsa_generate<S: SigNid>() -> Result<(PKey, Vec<u8>)> {
    let ctx = PKeyCtx::new_id(ffi::EVP_PKEY_PQDSA)?;
    // SAFETY: `ctx` is a valid PQDSA context.
    let rc = unsafe { ffi::EVP_PKEY_CTX_pqdsa_set_params(ctx.as_ptr(), S::NID) };
    check(
        rc,
        ErrorKind::Library,
        "EVP_PKEY_CTX_pqdsa_set_params failed",
    )?;
    // SAFETY: `ctx` is a valid context with its parameters set.
    let rc = unsafe { ffi::EVP_PKEY_keygen_init(ctx.as_ptr()) };
    check(rc, ErrorKind::Library, "EVP_PKEY_keygen_init failed")?;
    let mut pkey: *mut ffi::EVP_PKEY = ptr::null_mut();
    // SAFETY: `ctx` is set up for key generation; `pkey` receives a new key, owned by us.
    let rc = unsafe { ffi::EVP_PKEY_keygen(ctx.as_ptr(), &mut pkey) };
    if rc != 1 {
        if !pkey.is_null() {
            // SAFETY: a key the failed call left behind, owned by us.
            unsafe { ffi::EVP_PKEY_free(pkey) };
        }
        return Err(lib_error(ErrorKind::Library, "EVP_PKEY_keygen failed"));
    }
    let pkey = PKey::new(pkey, ErrorKind::Library, "EVP_PKEY_keygen returned no key")?;
    let pk = pkey.raw_public_key(S::PK_LEN)?;
    Ok((pkey, pk))
}

fn dsa_from_seed<S: SigNid>(seed: &[u8; 32]) -> Result<(PKey, Vec<u8>)> {
    // SAFETY: `seed` is valid for 32 bytes, only read; a 32-byte input is taken as the
    // seed ξ and expanded into the key pair.
    let pkey =
        unsafe { ffi::EVP_PKEY_pqdsa_new_raw_private_key(S::NID, seed.as_ptr(), seed.len()) };
    let pkey = PKey::new(
        pkey,
        ErrorKind::Library,
        "EVP_PKEY_pqdsa_new_raw_private_key failed",
    )?;
    let pk = pkey.raw_public_key(S::PK_LEN)?;
    Ok((pkey, pk))
}

/// Sets the ML-DSA context string on the `EVP_PKEY_CTX` that `EVP_Digest*Init` attached.
fn set_context(pctx: *mut ffi::EVP_PKEY_CTX, context: &[u8]) -> Result<()> {
    if context.is_empty() {
        return Ok(());
    }
    // SAFETY: `pctx` is the live context owned by the digest context; `context` is valid
    // for its length (AWS-LC rejects more than 255 bytes).
    let rc = unsafe {
        ffi::EVP_PKEY_CTX_set1_signature_context_string(pctx, context.as_ptr(), context.len())
    };
    check(
        rc,
        ErrorKind::Parameter,
        "EVP_PKEY_CTX_set1_signature_context_string failed",
    )
}

fn dsa_sign<S: SigNid>(key: &PKey, msg: &[u8], context: &[u8]) -> Result<Vec<u8>> {
    let md = MdCtx::new()?;
    let mut pctx: *mut ffi::EVP_PKEY_CTX = ptr::null_mut();
    // SAFETY: `md` is a fresh digest context; `key.0` a valid ML-DSA key pair (the
    // context takes its own reference); pure ML-DSA takes no digest (null); `pctx`
    // receives a context owned by `md`.
    let rc = unsafe {
        ffi::EVP_DigestSignInit(
            md.0.as_ptr(),
            &mut pctx,
            ptr::null(),
            ptr::null_mut(),
            key.0.as_ptr(),
        )
    };
    check(rc, ErrorKind::Library, "EVP_DigestSignInit failed")?;
    set_context(pctx, context)?;
    let mut sig = vec![0u8; S::SIG_LEN];
    let mut sig_len = sig.len();
    // SAFETY: `md` is set up for signing; `sig` is valid for `sig_len` bytes; `msg` for
    // its length.
    let rc = unsafe {
        ffi::EVP_DigestSign(
            md.0.as_ptr(),
            sig.as_mut_ptr(),
            &mut sig_len,
            msg.as_ptr(),
            msg.len(),
        )
    };
    check(rc, ErrorKind::Library, "EVP_DigestSign failed")?;
    if sig_len != S::SIG_LEN {
        return Err(error(ErrorKind::Library, "unexpected signature length"));
    }
    Ok(sig)
}

fn dsa_verify<S: SigNid>(pk: &[u8], msg: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
    // SAFETY: `pk` is valid for its length, only read.
    let pkey = unsafe { ffi::EVP_PKEY_pqdsa_new_raw_public_key(S::NID, pk.as_ptr(), pk.len()) };
    let pkey = PKey::new(
        pkey,
        ErrorKind::InvalidKey,
        "the verifying key does not parse",
    )?;
    let md = MdCtx::new()?;
    let mut pctx: *mut ffi::EVP_PKEY_CTX = ptr::null_mut();
    // SAFETY: as in `dsa_sign`, for verification.
    let rc = unsafe {
        ffi::EVP_DigestVerifyInit(
            md.0.as_ptr(),
            &mut pctx,
            ptr::null(),
            ptr::null_mut(),
            pkey.0.as_ptr(),
        )
    };
    check(rc, ErrorKind::Library, "EVP_DigestVerifyInit failed")?;
    set_context(pctx, context)?;
    // SAFETY: `md` is set up for verification; `signature` and `msg` are valid for their
    // lengths.
    let rc = unsafe {
        ffi::EVP_DigestVerify(
            md.0.as_ptr(),
            signature.as_ptr(),
            signature.len(),
            msg.as_ptr(),
            msg.len(),
        )
    };
    check(rc, ErrorKind::Signature, "the signature does not verify")
}

macro_rules! mldsa {
    ($alg:ident) => {
        impl SignatureProvider<crate::alg::$alg> for AwsLc {
            type SigningKey = PKey;

            fn generate() -> Result<(Self::SigningKey, Vec<u8>)> {
                dsa_generate::<crate::alg::$alg>()
            }

            fn from_seed(seed: &[u8; 32]) -> Result<(Self::SigningKey, Vec<u8>)> {
                dsa_from_seed::<crate::alg::$alg>(seed)
            }

            fn sign(key: &Self::SigningKey, msg: &[u8], context: &[u8]) -> Result<Vec<u8>> {
                dsa_sign::<crate::alg::$alg>(key, msg, context)
            }

            fn verify(pk: &[u8], msg: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
                dsa_verify::<crate::alg::$alg>(pk, msg, context, signature)
            }
        }
    };
}

mldsa!(MlDsa44);
mldsa!(MlDsa65);
mldsa!(MlDsa87);

#[cfg(test)]
mod tests {
    super::super::boringssl_family::boringssl_family_tests!(crate::AwsLc);
    super::super::boringssl_family::pq_tests!(crate::AwsLc, kem: [MlKem512, MlKem768, MlKem1024], sig: [MlDsa44, MlDsa65, MlDsa87], det: true, seed: true);
}
