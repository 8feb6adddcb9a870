//! BoringSSL (`boring-sys`, bundled source) behind the provider traits.
//!
//! | trait | algorithms |
//! |---|---|
//! | `RandomProvider`, `AeadProvider`, `HashProvider`, `HmacProvider`, `HkdfProvider`, `X25519Provider`, `Ed25519Provider` | shared with AWS-LC: see [`super::boringssl_family`] |
//! | `KemProvider` | ML-KEM-768, ML-KEM-1024 (`MLKEM*_private_key_from_seed`, `_encap`, `_decap`) |
//! | `SignatureProvider` | ML-DSA-44, ML-DSA-65, ML-DSA-87 (`MLDSA*_generate_key`, `_private_key_from_seed`, `_sign`, `_verify`) |
//!
//! BoringSSL has no ML-KEM-512, so `KemProvider<MlKem512>` is not implemented, and no
//! deterministic (caller-chosen `m`) encapsulation in its public API, so
//! `encapsulate_deterministic` returns `ErrorKind::Unsupported`.

use super::boringssl_family::{boringssl_family, zeroed_box};
use crate::BoringSsl;

boringssl_family!(crate::BoringSsl, boring_sys);

use crate::alg::{KemAlgorithm, SignatureAlgorithm};
use crate::provider::{KemProvider, SignatureProvider};
use crate::{ErrorKind, Result};
use zeroize::Zeroizing;

/// Serialises a public key with a `marshal` function into exactly `len` bytes through a
/// fixed-size `CBB`.
fn marshal<T>(
    key: &T,
    len: usize,
    marshal: unsafe extern "C" fn(*mut ffi::CBB, *const T) -> core::ffi::c_int,
) -> Result<Vec<u8>> {
    let mut out = vec![0u8; len];
    // SAFETY: `CBB` is a plain C struct; all-zero is the "zeroed" state `CBB_init_fixed`
    // starts from.
    let mut cbb: ffi::CBB = unsafe { core::mem::zeroed() };
    // SAFETY: `out` is valid for writes of `len` bytes and outlives `cbb`'s use; a fixed
    // CBB never reallocates or frees the buffer.
    let ok = unsafe { ffi::CBB_init_fixed(&mut cbb, out.as_mut_ptr(), len) } == 1;
    let mut written = 0usize;
    // SAFETY: `cbb` was initialised over `out`; `key` is a valid public key; with a fixed
    // buffer `CBB_finish` accepts a null `out_data` and only reports the length.
    let ok = ok
        && unsafe { marshal(&mut cbb, key) } == 1
        && unsafe { ffi::CBB_finish(&mut cbb, core::ptr::null_mut(), &mut written) } == 1;
    if !ok {
        // SAFETY: `cbb` is zeroed or initialised; cleanup of a fixed CBB frees nothing
        // but resets it.
        unsafe { ffi::CBB_cleanup(&mut cbb) };
        return Err(lib_error(
            ErrorKind::Library,
            "marshalling the public key failed",
        ));
    }
    if written != len {
        return Err(error(ErrorKind::Library, "unexpected public key length"));
    }
    Ok(out)
}

/// Parses a public key with a `parse` function; a parse failure or trailing bytes are
/// `ErrorKind::InvalidKey`.
fn parse<T>(
    bytes: &[u8],
    parse: unsafe extern "C" fn(*mut T, *mut ffi::CBS) -> core::ffi::c_int,
) -> Result<Box<T>> {
    // SAFETY: the public key structs are plain data (a union of byte arrays and
    // alignment integers): all-zero is valid.
    let mut key = unsafe { zeroed_box::<T>() };
    let mut cbs = ffi::CBS {
        data: bytes.as_ptr(),
        len: bytes.len(),
    };
    // SAFETY: `key` is a valid, exclusively owned `T`; `cbs` covers `bytes`, which
    // outlives the call.
    let rc = unsafe { parse(&mut *key, &mut cbs) };
    if rc != 1 || cbs.len != 0 {
        return Err(lib_error(
            ErrorKind::InvalidKey,
            "the public key does not parse",
        ));
    }
    Ok(key)
}

/// A boxed BoringSSL ML-KEM or ML-DSA private key, wiped (`OPENSSL_cleanse`) when
/// dropped.
pub struct PrivateKey<T>(Box<T>);

// SAFETY: `T` is one of BoringSSL's ML-KEM/ML-DSA private key structs: plain bytes,
// no pointers, exclusively owned by this value; the C functions only read it through
// `&PrivateKey` (decap, sign), which BoringSSL allows concurrently on a const key.
unsafe impl<T> Send for PrivateKey<T> {}
// SAFETY: as for `Send`: shared access only reaches const-taking C functions.
unsafe impl<T> Sync for PrivateKey<T> {}

impl<T> Drop for PrivateKey<T> {
    fn drop(&mut self) {
        // SAFETY: `self.0` is a valid, exclusively owned `T` of `size_of::<T>()` bytes;
        // all-zero bytes are a valid `T` (plain data).
        unsafe { cleanse::<T>(&mut *self.0, core::mem::size_of::<T>()) };
    }
}

impl<T> core::fmt::Debug for PrivateKey<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("PrivateKey(<redacted>)")
    }
}

impl<T> PrivateKey<T> {
    /// An all-zero key to be filled by a C function.
    fn zeroed() -> Self {
        // SAFETY: the private key structs are plain data: all-zero is valid.
        PrivateKey(unsafe { zeroed_box::<T>() })
    }
}

macro_rules! mlkem {
    ($alg:ident, $priv:ident, $pub:ident, $from_seed:ident, $public_from_private:ident,
        $marshal:ident, $parse:ident, $encap:ident, $decap:ident) => {
        impl KemProvider<crate::alg::$alg> for BoringSsl {
            type DecapsulationKey = PrivateKey<ffi::$priv>;

            fn from_seed_parsed(
                seed: &[u8; 64],
            ) -> Result<(Self::DecapsulationKey, Vec<u8>, Self::EncapsulationKey)> {
                let mut dk = PrivateKey::<ffi::$priv>::zeroed();
                // SAFETY: `dk.0` is a valid, exclusively owned private key; `seed` is 64
                // bytes, the length passed.
                let rc = unsafe { ffi::$from_seed(&mut *dk.0, seed.as_ptr(), seed.len()) };
                if rc != 1 {
                    return Err(lib_error(
                        ErrorKind::Library,
                        concat!(stringify!($from_seed), " failed"),
                    ));
                }
                // SAFETY: the public key struct is plain data: all-zero is valid.
                let mut pk = unsafe { zeroed_box::<ffi::$pub>() };
                // SAFETY: `pk` is a valid output struct, `dk.0` an initialised private key.
                unsafe { ffi::$public_from_private(&mut *pk, &*dk.0) };
                let ek = marshal(
                    &*pk,
                    <crate::alg::$alg as KemAlgorithm>::EK_LEN,
                    ffi::$marshal,
                )?;
                Ok((dk, ek, pk))
            }

            fn from_seed(seed: &[u8; 64]) -> Result<(Self::DecapsulationKey, Vec<u8>)> {
                <Self as KemProvider<crate::alg::$alg>>::from_seed_parsed(seed)
                    .map(|(dk, ek, _)| (dk, ek))
            }

            type EncapsulationKey = Box<ffi::$pub>;

            fn parse_encapsulation_key(ek: &[u8]) -> Result<Self::EncapsulationKey> {
                parse::<ffi::$pub>(ek, ffi::$parse)
            }

            fn encapsulate(pk: &Self::EncapsulationKey) -> Result<(Vec<u8>, Zeroizing<[u8; 32]>)> {
                let mut ct = vec![0u8; <crate::alg::$alg as KemAlgorithm>::CT_LEN];
                let mut ss = Zeroizing::new([0u8; 32]);
                // SAFETY: `ct` has the parameter set's ciphertext length, `ss` 32 bytes,
                // `pk` is a parsed public key. Encapsulation cannot fail.
                unsafe { ffi::$encap(ct.as_mut_ptr(), ss.as_mut_ptr(), &**pk) };
                Ok((ct, ss))
            }

            fn decapsulate(dk: &Self::DecapsulationKey, ct: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
                let mut ss = Zeroizing::new([0u8; 32]);
                // SAFETY: `ss` has 32 bytes, `ct` is valid for `ct.len()` bytes (checked
                // by the C function), `dk.0` is an initialised private key, only read.
                let rc = unsafe { ffi::$decap(ss.as_mut_ptr(), ct.as_ptr(), ct.len(), &*dk.0) };
                if rc == 1 {
                    Ok(ss)
                } else {
                    Err(lib_error(ErrorKind::Length, "wrong ciphertext length"))
                }
            }
        }
    };
}

mlkem!(
    MlKem768,
    MLKEM768_private_key,
    MLKEM768_public_key,
    MLKEM768_private_key_from_seed,
    MLKEM768_public_from_private,
    MLKEM768_marshal_public_key,
    MLKEM768_parse_public_key,
    MLKEM768_encap,
    MLKEM768_decap
);
mlkem!(
    MlKem1024,
    MLKEM1024_private_key,
    MLKEM1024_public_key,
    MLKEM1024_private_key_from_seed,
    MLKEM1024_public_from_private,
    MLKEM1024_marshal_public_key,
    MLKEM1024_parse_public_key,
    MLKEM1024_encap,
    MLKEM1024_decap
);

macro_rules! mldsa {
    ($alg:ident, $priv:ident, $pub:ident, $generate:ident, $from_seed:ident,
        $public_from_private:ident, $marshal:ident, $parse:ident, $sign:ident, $verify:ident) => {
        impl SignatureProvider<crate::alg::$alg> for BoringSsl {
            type SigningKey = PrivateKey<ffi::$priv>;

            fn generate() -> Result<(Self::SigningKey, Vec<u8>)> {
                let mut sk = PrivateKey::<ffi::$priv>::zeroed();
                let mut pk = vec![0u8; <crate::alg::$alg as SignatureAlgorithm>::PK_LEN];
                let mut seed = Zeroizing::new([0u8; 32]);
                // SAFETY: `pk` has the parameter set's public key length, `seed` 32
                // bytes, `sk.0` is a valid, exclusively owned private key.
                let rc = unsafe { ffi::$generate(pk.as_mut_ptr(), seed.as_mut_ptr(), &mut *sk.0) };
                if rc == 1 {
                    Ok((sk, pk))
                } else {
                    Err(lib_error(
                        ErrorKind::Library,
                        concat!(stringify!($generate), " failed"),
                    ))
                }
            }

            fn from_seed(seed: &[u8; 32]) -> Result<(Self::SigningKey, Vec<u8>)> {
                let mut sk = PrivateKey::<ffi::$priv>::zeroed();
                // SAFETY: `sk.0` is a valid, exclusively owned private key; `seed` is 32
                // bytes, the length passed.
                let rc = unsafe { ffi::$from_seed(&mut *sk.0, seed.as_ptr(), seed.len()) };
                if rc != 1 {
                    return Err(lib_error(
                        ErrorKind::Library,
                        concat!(stringify!($from_seed), " failed"),
                    ));
                }
                // SAFETY: the public key struct is plain data: all-zero is valid.
                let mut pk = unsafe { zeroed_box::<ffi::$pub>() };
                // SAFETY: `pk` is a valid output struct, `sk.0` an initialised private key.
                let rc = unsafe { ffi::$public_from_private(&mut *pk, &*sk.0) };
                if rc != 1 {
                    return Err(lib_error(
                        ErrorKind::Library,
                        concat!(stringify!($public_from_private), " failed"),
                    ));
                }
                let pk = marshal(
                    &*pk,
                    <crate::alg::$alg as SignatureAlgorithm>::PK_LEN,
                    ffi::$marshal,
                )?;
                Ok((sk, pk))
            }

            fn sign(key: &Self::SigningKey, msg: &[u8], context: &[u8]) -> Result<Vec<u8>> {
                let mut sig = vec![0u8; <crate::alg::$alg as SignatureAlgorithm>::SIG_LEN];
                // SAFETY: `sig` has the parameter set's signature length; `key.0` is an
                // initialised private key, only read; `msg` and `context` are valid for
                // their lengths (the C function rejects a context over 255 bytes).
                let rc = unsafe {
                    ffi::$sign(
                        sig.as_mut_ptr(),
                        &*key.0,
                        msg.as_ptr(),
                        msg.len(),
                        context.as_ptr(),
                        context.len(),
                    )
                };
                if rc == 1 {
                    Ok(sig)
                } else {
                    Err(lib_error(
                        ErrorKind::Parameter,
                        concat!(stringify!($sign), " failed"),
                    ))
                }
            }

            fn verify(pk: &[u8], msg: &[u8], context: &[u8], signature: &[u8]) -> Result<()> {
                let key = parse::<ffi::$pub>(pk, ffi::$parse)?;
                // SAFETY: `key` is a parsed public key; `signature`, `msg` and `context`
                // are valid for their lengths (a wrong signature length fails the check).
                let rc = unsafe {
                    ffi::$verify(
                        &*key,
                        signature.as_ptr(),
                        signature.len(),
                        msg.as_ptr(),
                        msg.len(),
                        context.as_ptr(),
                        context.len(),
                    )
                };
                if rc == 1 {
                    Ok(())
                } else {
                    Err(lib_error(
                        ErrorKind::Signature,
                        "the signature does not verify",
                    ))
                }
            }
        }
    };
}

mldsa!(
    MlDsa44,
    MLDSA44_private_key,
    MLDSA44_public_key,
    MLDSA44_generate_key,
    MLDSA44_private_key_from_seed,
    MLDSA44_public_from_private,
    MLDSA44_marshal_public_key,
    MLDSA44_parse_public_key,
    MLDSA44_sign,
    MLDSA44_verify
);
mldsa!(
    MlDsa65,
    MLDSA65_private_key,
    MLDSA65_public_key,
    MLDSA65_generate_key,
    MLDSA65_private_key_from_seed,
    MLDSA65_public_from_private,
    MLDSA65_marshal_public_key,
    MLDSA65_parse_public_key,
    MLDSA65_sign,
    MLDSA65_verify
);
mldsa!(
    MlDsa87,
    MLDSA87_private_key,
    MLDSA87_public_key,
    MLDSA87_generate_key,
    MLDSA87_private_key_from_seed,
    MLDSA87_public_from_private,
    MLDSA87_marshal_public_key,
    MLDSA87_parse_public_key,
    MLDSA87_sign,
    MLDSA87_verify
);

#[cfg(test)]
mod tests {
    super::super::boringssl_family::boringssl_family_tests!(crate::BoringSsl);
    super::super::boringssl_family::pq_tests!(crate::BoringSsl, kem: [MlKem768, MlKem1024], sig: [MlDsa44, MlDsa65, MlDsa87], det: false, seed: true);
}
