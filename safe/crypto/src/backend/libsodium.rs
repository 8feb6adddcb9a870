//! libsodium (`libsodium-sys-stable`, bundled tarball) behind the provider traits.
//!
//! | trait | algorithms |
//! |---|---|
//! | [`RandomProvider`] | `randombytes_buf` |
//! | [`AeadProvider`] | ChaCha20-Poly1305 (IETF), XChaCha20-Poly1305, AES-256-GCM (CPUs with AES-NI + PCLMUL, or ARMv8 crypto; `ErrorKind::Unsupported` elsewhere) |
//! | [`HashProvider`] | SHA-256, SHA-512, BLAKE2b-512 |
//! | [`HmacProvider`] | HMAC-SHA-256, HMAC-SHA-512 |
//! | [`HkdfProvider`] | HKDF-SHA-256, HKDF-SHA-512 (`crypto_kdf_hkdf_*`, libsodium 1.0.19+) |
//! | [`X25519Provider`], [`Ed25519Provider`] | X25519, Ed25519 |
//! | [`PasswordHashProvider`] | Argon2id v1.3 (`crypto_pwhash`, one lane) |
//!
//! libsodium has no AES-128-GCM and no SHA-384: those are not implemented.
//!
//! `sodium_init()` runs once (a [`OnceLock`]) before every entry point. It picks the
//! fastest implementations for the CPU and seeds the random generator; the hash
//! functions work without it (they only lose the faster code paths), so the infallible
//! hash entry points call it and carry on whatever it returns.

use core::ffi::{c_char, c_void};
use std::sync::OnceLock;

use libsodium_sys as ffi;
use zeroize::Zeroizing;

use crate::alg::{
    Aes256Gcm, Blake2b512, ChaCha20Poly1305, Sha256, Sha512, XChaCha20Poly1305, TAG_LEN,
};
use crate::provider::{
    AeadProvider, Ed25519Provider, HashProvider, HkdfProvider, HmacProvider, PasswordHashProvider,
    Provider, RandomProvider, X25519Provider,
};
use crate::{Error, ErrorKind, Libsodium, Result};

/// The backend name every error of this module carries.
const NAME: &str = <Libsodium as Provider>::BACKEND.name();

fn error(kind: ErrorKind, message: &'static str) -> Error {
    Error::new(kind, NAME, message)
}

/// Runs `sodium_init()` once; `Err` when it failed (it returns 0 on the first success,
/// 1 when already initialised, -1 on failure).
fn init() -> Result<()> {
    static INIT: OnceLock<bool> = OnceLock::new();
    // SAFETY: `sodium_init` takes no arguments and is thread-safe (it takes its own lock);
    // calling it more than once is allowed.
    let ok = *INIT.get_or_init(|| unsafe { ffi::sodium_init() } >= 0);
    if ok {
        Ok(())
    } else {
        Err(error(ErrorKind::Library, "sodium_init failed"))
    }
}

/// A length as libsodium's `unsigned long long` (lossless where `usize` ≤ 64 bits).
fn ull(len: usize) -> Result<u64> {
    u64::try_from(len).map_err(|_| {
        error(
            ErrorKind::Length,
            "length does not fit a C unsigned long long",
        )
    })
}

/// Copies the first `out.len()` bytes of `digest` (the front guarantees equal lengths;
/// this never panics if it did not).
fn copy_out(digest: &[u8], out: &mut [u8]) {
    let n = digest.len().min(out.len());
    out[..n].copy_from_slice(&digest[..n]);
}

/// Wipes a plain-data value in place with `sodium_memzero` (which the compiler may not
/// elide).
fn wipe<T: Copy>(value: &mut T) {
    // SAFETY: `value` is a valid, exclusively borrowed `T` of `size_of::<T>()` bytes; `T`
    // is plain data (`Copy`, the bindgen structs are integer arrays), so all-zero bytes
    // are a valid `T` afterwards.
    unsafe {
        ffi::sodium_memzero(
            (value as *mut T).cast::<c_void>(),
            core::mem::size_of::<T>(),
        )
    };
}

// ---------------------------------------------------------------------------------------
// Random

impl RandomProvider for Libsodium {
    fn fill_random(out: &mut [u8]) -> Result<()> {
        init().map_err(|_| error(ErrorKind::Random, "sodium_init failed: no random generator"))?;
        // SAFETY: `out` is valid for writes of `out.len()` bytes; `randombytes_buf` writes
        // exactly that many (it cannot fail once `sodium_init` succeeded).
        unsafe { ffi::randombytes_buf(out.as_mut_ptr().cast::<c_void>(), out.len()) };
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// AEADs

/// A 32-byte (X)ChaCha20-Poly1305 key, wiped when dropped.
pub struct ChaChaKey(Zeroizing<[u8; 32]>);

impl core::fmt::Debug for ChaChaKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ChaChaKey(<redacted>)")
    }
}

fn chacha_key(key: &[u8]) -> Result<ChaChaKey> {
    init()?;
    let bytes: [u8; 32] = key
        .try_into()
        .map_err(|_| error(ErrorKind::KeyLength, "the key must be 32 bytes"))?;
    Ok(ChaChaKey(Zeroizing::new(bytes)))
}

macro_rules! chacha_aead {
    ($alg:ty, $nonce_len:expr, $max:ident, $encrypt:ident, $decrypt:ident) => {
        impl AeadProvider<$alg> for Libsodium {
            type Key = ChaChaKey;

            fn new_key(key: &[u8]) -> Result<Self::Key> {
                chacha_key(key)
            }

            fn seal_in_place(
                key: &Self::Key,
                nonce: &[u8],
                aad: &[u8],
                data: &mut [u8],
                tag: &mut [u8; TAG_LEN],
            ) -> Result<()> {
                init()?;
                if nonce.len() != $nonce_len {
                    return Err(error(ErrorKind::NonceLength, "wrong nonce length"));
                }
                // SAFETY: a pure function without arguments.
                if data.len() > unsafe { ffi::$max() } {
                    return Err(error(
                        ErrorKind::Length,
                        "message longer than libsodium allows",
                    ));
                }
                let (mlen, adlen) = (ull(data.len())?, ull(aad.len())?);
                let p = data.as_mut_ptr();
                // SAFETY: `p` is valid for reads and writes of `mlen` bytes (libsodium
                // allows `c == m`, in-place encryption); `tag` has room for the 16-byte
                // tag (`maclen_p` may be null); `aad` is valid for `adlen` bytes; `nonce`
                // has the algorithm's nonce length (checked) and the key 32 bytes; `nsec`
                // is unused and null.
                let rc = unsafe {
                    ffi::$encrypt(
                        p,
                        tag.as_mut_ptr(),
                        core::ptr::null_mut(),
                        p.cast_const(),
                        mlen,
                        aad.as_ptr(),
                        adlen,
                        core::ptr::null(),
                        nonce.as_ptr(),
                        key.0.as_ptr(),
                    )
                };
                if rc == 0 {
                    Ok(())
                } else {
                    Err(error(ErrorKind::Library, "encryption failed"))
                }
            }

            fn open_in_place(
                key: &Self::Key,
                nonce: &[u8],
                aad: &[u8],
                data: &mut [u8],
                tag: &[u8; TAG_LEN],
            ) -> Result<()> {
                init()?;
                if nonce.len() != $nonce_len {
                    return Err(error(ErrorKind::NonceLength, "wrong nonce length"));
                }
                // SAFETY: a pure function without arguments.
                if data.len() > unsafe { ffi::$max() } {
                    return Err(error(
                        ErrorKind::Length,
                        "message longer than libsodium allows",
                    ));
                }
                let (clen, adlen) = (ull(data.len())?, ull(aad.len())?);
                let p = data.as_mut_ptr();
                // SAFETY: as in `seal_in_place`: `p` valid for `clen` bytes (in place,
                // `m == c` allowed), `tag` 16 bytes, `aad` `adlen` bytes, nonce and key of
                // the right lengths, `nsec` null. libsodium verifies the tag (constant
                // time) before writing any plaintext.
                let rc = unsafe {
                    ffi::$decrypt(
                        p,
                        core::ptr::null_mut(),
                        p.cast_const(),
                        clen,
                        tag.as_ptr(),
                        aad.as_ptr(),
                        adlen,
                        nonce.as_ptr(),
                        key.0.as_ptr(),
                    )
                };
                if rc == 0 {
                    Ok(())
                } else {
                    Err(error(ErrorKind::Authentication, "the tag does not verify"))
                }
            }
        }
    };
}

chacha_aead!(
    ChaCha20Poly1305,
    12,
    crypto_aead_chacha20poly1305_ietf_messagebytes_max,
    crypto_aead_chacha20poly1305_ietf_encrypt_detached,
    crypto_aead_chacha20poly1305_ietf_decrypt_detached
);
chacha_aead!(
    XChaCha20Poly1305,
    24,
    crypto_aead_xchacha20poly1305_ietf_messagebytes_max,
    crypto_aead_xchacha20poly1305_ietf_encrypt_detached,
    crypto_aead_xchacha20poly1305_ietf_decrypt_detached
);

/// An AES-256-GCM key expanded by `crypto_aead_aes256gcm_beforenm` (round keys and the
/// GHASH key powers), boxed (512 bytes, 16-byte aligned) and wiped when dropped.
pub struct AesGcmKey(Box<ffi::crypto_aead_aes256gcm_state>);

impl Drop for AesGcmKey {
    fn drop(&mut self) {
        wipe(&mut *self.0);
    }
}

impl core::fmt::Debug for AesGcmKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AesGcmKey(<redacted>)")
    }
}

fn aes_gcm_available() -> bool {
    // SAFETY: a pure function without arguments (called after `sodium_init`, which
    // detects the CPU features it reports).
    unsafe { ffi::crypto_aead_aes256gcm_is_available() == 1 }
}

impl AeadProvider<Aes256Gcm> for Libsodium {
    type Key = AesGcmKey;

    fn new_key(key: &[u8]) -> Result<Self::Key> {
        init()?;
        if !aes_gcm_available() {
            return Err(error(
                ErrorKind::Unsupported,
                "libsodium's AES-256-GCM needs a CPU with AES-NI and PCLMULQDQ (x86-64) or the ARMv8 crypto extensions; this CPU has neither",
            ));
        }
        if key.len() != 32 {
            return Err(error(ErrorKind::KeyLength, "the key must be 32 bytes"));
        }
        let mut state = AesGcmKey(Box::new(ffi::crypto_aead_aes256gcm_state_ {
            opaque: [0; 512],
        }));
        // SAFETY: `state.0` is a valid, exclusively owned, correctly aligned (the bindgen
        // type carries the alignment, `Box` honours it) `crypto_aead_aes256gcm_state`;
        // `key` is 32 bytes (checked).
        let rc = unsafe { ffi::crypto_aead_aes256gcm_beforenm(&mut *state.0, key.as_ptr()) };
        if rc == 0 {
            Ok(state)
        } else {
            Err(error(
                ErrorKind::Library,
                "crypto_aead_aes256gcm_beforenm failed",
            ))
        }
    }

    fn seal_in_place(
        key: &Self::Key,
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
        tag: &mut [u8; TAG_LEN],
    ) -> Result<()> {
        if nonce.len() != 12 {
            return Err(error(ErrorKind::NonceLength, "the nonce must be 12 bytes"));
        }
        // SAFETY: a pure function without arguments.
        if data.len() > unsafe { ffi::crypto_aead_aes256gcm_messagebytes_max() } {
            return Err(error(
                ErrorKind::Length,
                "message longer than AES-GCM allows",
            ));
        }
        let (mlen, adlen) = (ull(data.len())?, ull(aad.len())?);
        let p = data.as_mut_ptr();
        // SAFETY: `p` is valid for reads and writes of `mlen` bytes (in place allowed);
        // `tag` has 16 bytes; `aad` `adlen` bytes; the nonce 12 bytes (checked); the
        // expanded state was made by `beforenm` and is only read; `nsec` and `maclen_p`
        // are null.
        let rc = unsafe {
            ffi::crypto_aead_aes256gcm_encrypt_detached_afternm(
                p,
                tag.as_mut_ptr(),
                core::ptr::null_mut(),
                p.cast_const(),
                mlen,
                aad.as_ptr(),
                adlen,
                core::ptr::null(),
                nonce.as_ptr(),
                &*key.0,
            )
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(error(ErrorKind::Library, "encryption failed"))
        }
    }

    fn open_in_place(
        key: &Self::Key,
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
        tag: &[u8; TAG_LEN],
    ) -> Result<()> {
        if nonce.len() != 12 {
            return Err(error(ErrorKind::NonceLength, "the nonce must be 12 bytes"));
        }
        // SAFETY: a pure function without arguments.
        if data.len() > unsafe { ffi::crypto_aead_aes256gcm_messagebytes_max() } {
            return Err(error(
                ErrorKind::Length,
                "message longer than AES-GCM allows",
            ));
        }
        let (clen, adlen) = (ull(data.len())?, ull(aad.len())?);
        let p = data.as_mut_ptr();
        // SAFETY: as in `seal_in_place`; libsodium checks the tag in constant time and
        // wipes the output when it does not verify.
        let rc = unsafe {
            ffi::crypto_aead_aes256gcm_decrypt_detached_afternm(
                p,
                core::ptr::null_mut(),
                p.cast_const(),
                clen,
                tag.as_ptr(),
                aad.as_ptr(),
                adlen,
                nonce.as_ptr(),
                &*key.0,
            )
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(error(ErrorKind::Authentication, "the tag does not verify"))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Hashes

/// SHA-256 and SHA-512: the same three calls on each width's state.
macro_rules! sha2 {
    ($alg:ty, $state:ident, $init:ident, $update:ident, $final:ident, $len:literal) => {
        impl HashProvider<$alg> for Libsodium {
            type State = ffi::$state;

            fn new_state() -> Self::State {
                let _ = init();
                // SAFETY: the state is plain integers and bytes: all-zero is a valid value
                // to overwrite.
                let mut state: ffi::$state = unsafe { core::mem::zeroed() };
                // SAFETY: `state` is a valid state to overwrite; `init` cannot fail.
                unsafe { ffi::$init(&mut state) };
                state
            }

            fn update(state: &mut Self::State, data: &[u8]) {
                // SAFETY: `state` was set up by `init`; `data` is valid for `data.len()`
                // bytes (usize → u64 is lossless); `update` cannot fail.
                unsafe { ffi::$update(state, data.as_ptr(), data.len() as u64) };
            }

            fn finalize(state: &mut Self::State, out: &mut [u8]) {
                let mut digest = [0u8; $len];
                // SAFETY: `state` was set up by `init`; `digest` has the bytes `final`
                // writes.
                unsafe { ffi::$final(state, digest.as_mut_ptr()) };
                copy_out(&digest, out);
            }
        }
    };
}

sha2!(
    Sha256,
    crypto_hash_sha256_state,
    crypto_hash_sha256_init,
    crypto_hash_sha256_update,
    crypto_hash_sha256_final,
    32
);
sha2!(
    Sha512,
    crypto_hash_sha512_state,
    crypto_hash_sha512_init,
    crypto_hash_sha512_update,
    crypto_hash_sha512_final,
    64
);

impl HashProvider<Blake2b512> for Libsodium {
    type State = ffi::crypto_generichash_state;

    fn new_state() -> Self::State {
        let _ = init();
        let mut state = ffi::crypto_generichash_blake2b_state { opaque: [0; 384] };
        // SAFETY: `state` is a valid, 64-byte aligned state to overwrite; no key (null,
        // length 0); 64 is within crypto_generichash_BYTES_MIN..=BYTES_MAX, so `init`
        // succeeds.
        unsafe { ffi::crypto_generichash_init(&mut state, core::ptr::null(), 0, 64) };
        state
    }

    fn update(state: &mut Self::State, data: &[u8]) {
        // SAFETY: `state` was set up by `crypto_generichash_init`; `data` is valid for
        // `data.len()` bytes.
        unsafe { ffi::crypto_generichash_update(state, data.as_ptr(), data.len() as u64) };
    }

    fn finalize(state: &mut Self::State, out: &mut [u8]) {
        let mut digest = [0u8; 64];
        // SAFETY: `state` was set up for a 64-byte output; `digest` has 64 bytes.
        unsafe { ffi::crypto_generichash_final(state, digest.as_mut_ptr(), 64) };
        copy_out(&digest, out);
    }
}

// ---------------------------------------------------------------------------------------
// HMAC

macro_rules! hmac {
    ($alg:ty, $wrapper:ident, $state:ident, $len:expr, $init:ident, $update:ident, $final:ident) => {
        /// A keyed HMAC state (the inner and outer hash states, which are key material):
        /// plain data, cloned by copy, wiped with `sodium_memzero` when dropped.
        #[derive(Clone)]
        pub struct $wrapper(ffi::$state);

        impl Drop for $wrapper {
            fn drop(&mut self) {
                wipe(&mut self.0);
            }
        }

        impl core::fmt::Debug for $wrapper {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($wrapper), "(<redacted>)"))
            }
        }

        impl HmacProvider<$alg> for Libsodium {
            type State = $wrapper;

            fn new_state(key: &[u8]) -> Result<Self::State> {
                init()?;
                // SAFETY: an all-zero state is valid plain data (integer arrays).
                let mut state = $wrapper(unsafe { core::mem::zeroed::<ffi::$state>() });
                // SAFETY: `state.0` is a valid state to overwrite; `key` is valid for
                // `key.len()` bytes (any length: longer keys are hashed first).
                let rc = unsafe { ffi::$init(&mut state.0, key.as_ptr(), key.len()) };
                if rc == 0 {
                    Ok(state)
                } else {
                    Err(error(ErrorKind::Library, "HMAC init failed"))
                }
            }

            fn update(state: &mut Self::State, data: &[u8]) {
                // SAFETY: the state was keyed by `new_state`; `data` is valid for
                // `data.len()` bytes.
                unsafe { ffi::$update(&mut state.0, data.as_ptr(), data.len() as u64) };
            }

            fn finalize(state: &mut Self::State, out: &mut [u8]) {
                let mut mac = Zeroizing::new([0u8; $len]);
                // SAFETY: the state was keyed by `new_state`; `mac` has the output
                // length `final` writes.
                unsafe { ffi::$final(&mut state.0, mac.as_mut_ptr()) };
                copy_out(&mac[..], out);
            }
        }
    };
}

hmac!(
    Sha256,
    HmacSha256State,
    crypto_auth_hmacsha256_state,
    32,
    crypto_auth_hmacsha256_init,
    crypto_auth_hmacsha256_update,
    crypto_auth_hmacsha256_final
);
hmac!(
    Sha512,
    HmacSha512State,
    crypto_auth_hmacsha512_state,
    64,
    crypto_auth_hmacsha512_init,
    crypto_auth_hmacsha512_update,
    crypto_auth_hmacsha512_final
);

// ---------------------------------------------------------------------------------------
// HKDF

macro_rules! hkdf {
    ($alg:ty, $prk_len:expr, $max:ident, $extract:ident, $expand:ident) => {
        impl HkdfProvider<$alg> for Libsodium {
            fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<()> {
                init()?;
                if out.len() > ffi::$max as usize {
                    return Err(error(
                        ErrorKind::Length,
                        "HKDF output longer than 255 hash blocks",
                    ));
                }
                let mut prk = Zeroizing::new([0u8; $prk_len]);
                // SAFETY: `prk` has the hash's output length that `extract` writes;
                // `salt` and `ikm` are valid for their lengths (an empty salt means
                // HashLen zero bytes, as RFC 5869).
                let rc = unsafe {
                    ffi::$extract(
                        prk.as_mut_ptr(),
                        salt.as_ptr(),
                        salt.len(),
                        ikm.as_ptr(),
                        ikm.len(),
                    )
                };
                if rc != 0 {
                    return Err(error(ErrorKind::Library, "HKDF extract failed"));
                }
                // SAFETY: `out` is valid for writes of `out.len()` bytes (≤ BYTES_MAX,
                // checked); `info` is valid for `info.len()` bytes; `prk` holds the PRK.
                let rc = unsafe {
                    ffi::$expand(
                        out.as_mut_ptr(),
                        out.len(),
                        info.as_ptr().cast::<c_char>(),
                        info.len(),
                        prk.as_ptr(),
                    )
                };
                if rc == 0 {
                    Ok(())
                } else {
                    Err(error(ErrorKind::Library, "HKDF expand failed"))
                }
            }
        }
    };
}

hkdf!(
    Sha256,
    32,
    crypto_kdf_hkdf_sha256_BYTES_MAX,
    crypto_kdf_hkdf_sha256_extract,
    crypto_kdf_hkdf_sha256_expand
);
hkdf!(
    Sha512,
    64,
    crypto_kdf_hkdf_sha512_BYTES_MAX,
    crypto_kdf_hkdf_sha512_extract,
    crypto_kdf_hkdf_sha512_expand
);

// ---------------------------------------------------------------------------------------
// X25519, Ed25519

impl X25519Provider for Libsodium {
    fn public_key(secret: &[u8; 32]) -> Result<[u8; 32]> {
        init()?;
        let mut public = [0u8; 32];
        // SAFETY: both buffers are 32 bytes (crypto_scalarmult_curve25519_BYTES and
        // SCALARBYTES); libsodium clamps a copy of the scalar.
        let rc =
            unsafe { ffi::crypto_scalarmult_curve25519_base(public.as_mut_ptr(), secret.as_ptr()) };
        if rc == 0 {
            Ok(public)
        } else {
            Err(error(
                ErrorKind::Library,
                "crypto_scalarmult_curve25519_base failed",
            ))
        }
    }

    fn diffie_hellman(secret: &[u8; 32], public: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>> {
        init()?;
        let mut shared = Zeroizing::new([0u8; 32]);
        // SAFETY: the output, scalar and point are 32 bytes each.
        let rc = unsafe {
            ffi::crypto_scalarmult_curve25519(shared.as_mut_ptr(), secret.as_ptr(), public.as_ptr())
        };
        if rc == 0 {
            Ok(shared)
        } else {
            // libsodium returns -1 exactly when the result is all zero (low-order point).
            Err(error(
                ErrorKind::InvalidKey,
                "X25519 shared secret is all zero (low-order public key)",
            ))
        }
    }
}

impl Ed25519Provider for Libsodium {
    fn public_key(seed: &[u8; 32]) -> Result<[u8; 32]> {
        init()?;
        let mut public = [0u8; 32];
        let mut secret = Zeroizing::new([0u8; 64]);
        // SAFETY: `public` is 32 bytes (PUBLICKEYBYTES), `secret` 64 (SECRETKEYBYTES), the
        // seed 32 (SEEDBYTES).
        let rc = unsafe {
            ffi::crypto_sign_ed25519_seed_keypair(
                public.as_mut_ptr(),
                secret.as_mut_ptr(),
                seed.as_ptr(),
            )
        };
        if rc == 0 {
            Ok(public)
        } else {
            Err(error(
                ErrorKind::Library,
                "crypto_sign_ed25519_seed_keypair failed",
            ))
        }
    }

    /// libsodium's secret key is `seed || public`; it takes the public half as given
    /// (the front passes the key's own public key, derived from the seed).
    fn sign(seed: &[u8; 32], public: &[u8; 32], msg: &[u8]) -> Result<[u8; 64]> {
        init()?;
        let mut secret = Zeroizing::new([0u8; 64]);
        secret[..32].copy_from_slice(seed);
        secret[32..].copy_from_slice(public);
        let mut signature = [0u8; 64];
        let mlen = ull(msg.len())?;
        // SAFETY: `signature` has 64 bytes (BYTES); `siglen_p` may be null; `msg` is valid
        // for `mlen` bytes; `secret` is the 64-byte seed || public key.
        let rc = unsafe {
            ffi::crypto_sign_ed25519_detached(
                signature.as_mut_ptr(),
                core::ptr::null_mut(),
                msg.as_ptr(),
                mlen,
                secret.as_ptr(),
            )
        };
        if rc == 0 {
            Ok(signature)
        } else {
            Err(error(
                ErrorKind::Library,
                "crypto_sign_ed25519_detached failed",
            ))
        }
    }

    fn verify(public: &[u8; 32], msg: &[u8], signature: &[u8; 64]) -> Result<()> {
        init()?;
        let mlen = ull(msg.len())?;
        // SAFETY: `signature` is 64 bytes, `public` 32, `msg` valid for `mlen` bytes.
        let rc = unsafe {
            ffi::crypto_sign_ed25519_verify_detached(
                signature.as_ptr(),
                msg.as_ptr(),
                mlen,
                public.as_ptr(),
            )
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(error(
                ErrorKind::Signature,
                "the Ed25519 signature does not verify",
            ))
        }
    }
}

// ---------------------------------------------------------------------------------------
// Argon2id

impl PasswordHashProvider for Libsodium {
    /// `crypto_pwhash` with `crypto_pwhash_ALG_ARGON2ID13`: Argon2id v1.3, one lane,
    /// `mem_bytes / 1024` KiB, no secret, no associated data. Every limit is checked here
    /// before anything is converted to a C type.
    fn argon2id(
        password: &[u8],
        salt: &[u8; 16],
        ops: u64,
        mem_bytes: usize,
        out: &mut [u8],
    ) -> Result<()> {
        init()?;
        // SAFETY: the five calls are pure functions without arguments.
        let (ops_max, mem_min, mem_max, bytes_max, passwd_max) = unsafe {
            (
                ffi::crypto_pwhash_argon2id_opslimit_max(),
                ffi::crypto_pwhash_argon2id_memlimit_min(),
                ffi::crypto_pwhash_argon2id_memlimit_max(),
                ffi::crypto_pwhash_argon2id_bytes_max(),
                ffi::crypto_pwhash_argon2id_passwd_max(),
            )
        };
        let ops_min = u64::from(ffi::crypto_pwhash_argon2id_OPSLIMIT_MIN);
        if ops < ops_min || ops > ops_max as u64 {
            return Err(error(
                ErrorKind::Parameter,
                "Argon2id passes out of libsodium's range",
            ));
        }
        if mem_bytes < mem_min || mem_bytes > mem_max {
            return Err(error(
                ErrorKind::Parameter,
                "Argon2id memory out of libsodium's range",
            ));
        }
        if out.len() < ffi::crypto_pwhash_argon2id_BYTES_MIN as usize || out.len() > bytes_max {
            return Err(error(
                ErrorKind::Parameter,
                "Argon2id output length out of range",
            ));
        }
        if password.len() > passwd_max {
            return Err(error(
                ErrorKind::Parameter,
                "password longer than libsodium allows",
            ));
        }
        let (outlen, passwdlen) = (ull(out.len())?, ull(password.len())?);
        // SAFETY: `out` is valid for `outlen` bytes, `password` for `passwdlen`, `salt` is
        // the 16 bytes crypto_pwhash_SALTBYTES requires; every limit was checked above, so
        // nothing is truncated; the algorithm constant fits a C int.
        let rc = unsafe {
            ffi::crypto_pwhash(
                out.as_mut_ptr(),
                outlen,
                password.as_ptr().cast::<c_char>(),
                passwdlen,
                salt.as_ptr(),
                ops,
                mem_bytes,
                ffi::crypto_pwhash_ALG_ARGON2ID13 as i32,
            )
        };
        if rc == 0 {
            Ok(())
        } else {
            Err(error(
                ErrorKind::Library,
                "crypto_pwhash failed (out of memory?)",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    const SUNSCREEN: &[u8] = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";

    fn seal<A: crate::alg::AeadAlgorithm>(
        key: &[u8],
        nonce: &[u8],
        aad: &[u8],
        pt: &[u8],
    ) -> (Vec<u8>, [u8; 16])
    where
        Libsodium: AeadProvider<A>,
    {
        let k = <Libsodium as AeadProvider<A>>::new_key(key).unwrap();
        let mut data = pt.to_vec();
        let mut tag = [0u8; 16];
        <Libsodium as AeadProvider<A>>::seal_in_place(&k, nonce, aad, &mut data, &mut tag).unwrap();
        let mut back = data.clone();
        <Libsodium as AeadProvider<A>>::open_in_place(&k, nonce, aad, &mut back, &tag).unwrap();
        assert_eq!(back, pt);
        // Tamper: a flipped ciphertext bit, a flipped tag bit, other AAD.
        if !data.is_empty() {
            let mut bad = data.clone();
            bad[0] ^= 1;
            let e = <Libsodium as AeadProvider<A>>::open_in_place(&k, nonce, aad, &mut bad, &tag)
                .unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Authentication);
            assert_eq!(e.backend(), "libsodium");
        }
        let mut bad_tag = tag;
        bad_tag[15] ^= 0x80;
        let mut c = data.clone();
        let e = <Libsodium as AeadProvider<A>>::open_in_place(&k, nonce, aad, &mut c, &bad_tag)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Authentication);
        let mut c = data.clone();
        let e = <Libsodium as AeadProvider<A>>::open_in_place(&k, nonce, b"other", &mut c, &tag)
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Authentication);
        (data, tag)
    }

    #[test]
    fn chacha20_poly1305_rfc8439() {
        let key: Vec<u8> = (0x80..=0x9f).collect();
        let (ct, tag) = seal::<ChaCha20Poly1305>(
            &key,
            &hex("070000004041424344454647"),
            &hex("50515253c0c1c2c3c4c5c6c7"),
            SUNSCREEN,
        );
        assert_eq!(
            ct,
            hex(
                "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
                 3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
                 92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
                 3ff4def08e4b7a9de576d26586cec64b6116"
            )
        );
        assert_eq!(tag.to_vec(), hex("1ae10b594f09e26a7e902ecbd0600691"));
    }

    #[test]
    fn xchacha20_poly1305_draft03() {
        let key: Vec<u8> = (0x80..=0x9f).collect();
        let (ct, tag) = seal::<XChaCha20Poly1305>(
            &key,
            &hex("404142434445464748494a4b4c4d4e4f5051525354555657"),
            &hex("50515253c0c1c2c3c4c5c6c7"),
            SUNSCREEN,
        );
        assert_eq!(
            ct,
            hex(
                "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb
                 731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452
                 2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9
                 21f9664c97637da9768812f615c68b13b52e"
            )
        );
        assert_eq!(tag.to_vec(), hex("c0875924c1c7987947deafd8780acf49"));
    }

    #[test]
    fn aes_256_gcm() {
        init().unwrap();
        if !aes_gcm_available() {
            let e = <Libsodium as AeadProvider<Aes256Gcm>>::new_key(&[0; 32]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Unsupported);
            eprintln!("AES-256-GCM unavailable on this CPU: {e}");
            return;
        }
        // McGrew & Viega, "The GCM mode of operation", test cases 13 and 14.
        let (ct, tag) = seal::<Aes256Gcm>(&[0; 32], &[0; 12], b"", b"");
        assert!(ct.is_empty());
        assert_eq!(tag.to_vec(), hex("530f8afbc74536b9a963b4f1c4cb738b"));
        let (ct, tag) = seal::<Aes256Gcm>(&[0; 32], &[0; 12], b"", &[0; 16]);
        assert_eq!(ct, hex("cea7403d4d606b6e074ec5d3baf39d18"));
        assert_eq!(tag.to_vec(), hex("d0d1c8a799996bf0265b98b5d48ab919"));
    }

    fn digest<H: crate::alg::HashAlgorithm>(data: &[u8]) -> Vec<u8>
    where
        Libsodium: HashProvider<H>,
    {
        let mut one_shot = vec![0u8; H::OUTPUT_LEN];
        <Libsodium as HashProvider<H>>::digest(data, &mut one_shot);
        // Incremental, split, and a cloned state forking the computation.
        let mut st = <Libsodium as HashProvider<H>>::new_state();
        <Libsodium as HashProvider<H>>::update(&mut st, &data[..1]);
        let mut fork = st.clone();
        <Libsodium as HashProvider<H>>::update(&mut st, &data[1..]);
        <Libsodium as HashProvider<H>>::update(&mut fork, &data[1..]);
        for mut s in [st, fork] {
            let mut out = vec![0u8; H::OUTPUT_LEN];
            <Libsodium as HashProvider<H>>::finalize(&mut s, &mut out);
            assert_eq!(out, one_shot);
        }
        one_shot
    }

    #[test]
    fn hashes_abc() {
        assert_eq!(
            digest::<Sha256>(b"abc"),
            hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            digest::<Sha512>(b"abc"),
            hex(
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a
                 2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
            )
        );
        assert_eq!(
            digest::<Blake2b512>(b"abc"),
            hex(
                "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1
                 7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
            )
        );
    }

    fn mac<H: crate::alg::HashAlgorithm>(key: &[u8], data: &[u8]) -> Vec<u8>
    where
        Libsodium: HmacProvider<H>,
    {
        let mut st = <Libsodium as HmacProvider<H>>::new_state(key).unwrap();
        <Libsodium as HmacProvider<H>>::update(&mut st, &data[..3]);
        let mut fork = st.clone();
        <Libsodium as HmacProvider<H>>::update(&mut st, &data[3..]);
        <Libsodium as HmacProvider<H>>::update(&mut fork, &data[3..]);
        let mut a = vec![0u8; H::OUTPUT_LEN];
        let mut b = vec![0u8; H::OUTPUT_LEN];
        <Libsodium as HmacProvider<H>>::finalize(&mut st, &mut a);
        <Libsodium as HmacProvider<H>>::finalize(&mut fork, &mut b);
        assert_eq!(a, b);
        a
    }

    #[test]
    fn hmac_rfc4231_case2() {
        let data = b"what do ya want for nothing?";
        assert_eq!(
            mac::<Sha256>(b"Jefe", data),
            hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        );
        assert_eq!(
            mac::<Sha512>(b"Jefe", data),
            hex(
                "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554
                 9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
            )
        );
    }

    #[test]
    fn hkdf_rfc5869_case1() {
        let ikm = [0x0b; 22];
        let salt = hex("000102030405060708090a0b0c");
        let info = hex("f0f1f2f3f4f5f6f7f8f9");
        let mut okm = [0u8; 42];
        <Libsodium as HkdfProvider<Sha256>>::hkdf(&salt, &ikm, &info, &mut okm).unwrap();
        assert_eq!(
            okm.to_vec(),
            hex(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
            )
        );
        // Limits: 255 blocks is fine, one byte more is a Length error.
        let mut max = vec![0u8; 255 * 32];
        <Libsodium as HkdfProvider<Sha256>>::hkdf(&salt, &ikm, &info, &mut max).unwrap();
        assert_eq!(&max[..42], &okm[..]);
        let mut over = vec![0u8; 255 * 32 + 1];
        let e =
            <Libsodium as HkdfProvider<Sha256>>::hkdf(&salt, &ikm, &info, &mut over).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Length);
        let mut over = vec![0u8; 255 * 64 + 1];
        let e =
            <Libsodium as HkdfProvider<Sha512>>::hkdf(&salt, &ikm, &info, &mut over).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Length);
        // SHA-512 agrees with an HMAC-based computation of T(1) (RFC 5869 §2).
        let mut okm512 = [0u8; 64];
        <Libsodium as HkdfProvider<Sha512>>::hkdf(&salt, &ikm, &info, &mut okm512).unwrap();
        let prk = mac::<Sha512>(&salt, &ikm);
        let mut t1_input = info.clone();
        t1_input.push(1);
        assert_eq!(okm512.to_vec(), mac::<Sha512>(&prk, &t1_input));
    }

    #[test]
    fn x25519_rfc7748() {
        let scalar: [u8; 32] =
            hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4")
                .try_into()
                .unwrap();
        let u: [u8; 32] = hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")
            .try_into()
            .unwrap();
        let shared = <Libsodium as X25519Provider>::diffie_hellman(&scalar, &u).unwrap();
        assert_eq!(
            shared.to_vec(),
            hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")
        );
        // §6.1: Alice's public key.
        let alice: [u8; 32] =
            hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
                .try_into()
                .unwrap();
        assert_eq!(
            <Libsodium as X25519Provider>::public_key(&alice)
                .unwrap()
                .to_vec(),
            hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        );
        let e = <Libsodium as X25519Provider>::diffie_hellman(&scalar, &[0; 32]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidKey);
        assert_eq!(e.backend(), "libsodium");
    }

    #[test]
    fn ed25519_rfc8032_test1() {
        let seed: [u8; 32] =
            hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .try_into()
                .unwrap();
        let public = <Libsodium as Ed25519Provider>::public_key(&seed).unwrap();
        assert_eq!(
            public.to_vec(),
            hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        );
        let sig = <Libsodium as Ed25519Provider>::sign(&seed, &public, b"").unwrap();
        assert_eq!(
            sig.to_vec(),
            hex(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155
                 5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
            )
        );
        <Libsodium as Ed25519Provider>::verify(&public, b"", &sig).unwrap();
        let mut bad = sig;
        bad[0] ^= 1;
        let e = <Libsodium as Ed25519Provider>::verify(&public, b"", &bad).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature);
        let e = <Libsodium as Ed25519Provider>::verify(&public, b"x", &sig).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature);
    }

    #[test]
    fn argon2id() {
        let salt = [0x02; 16];
        let mut a = [0u8; 32];
        let mut b = [0u8; 32];
        <Libsodium as PasswordHashProvider>::argon2id(b"password", &salt, 2, 65536, &mut a)
            .unwrap();
        <Libsodium as PasswordHashProvider>::argon2id(b"password", &salt, 2, 65536, &mut b)
            .unwrap();
        assert_eq!(a, b);
        // Independent value: RustCrypto's `argon2` 0.6 (Argon2id v1.3, t=2, m=64 KiB, p=1,
        // no secret or associated data).
        assert_eq!(
            a.to_vec(),
            hex("06734cfd98c2244b7e42080adeae2f0556d9b839879f04ff099e41e492a44141")
        );
        <Libsodium as PasswordHashProvider>::argon2id(b"password", &[0x03; 16], 2, 65536, &mut b)
            .unwrap();
        assert_ne!(a, b);

        let param = |ops: u64, mem: usize, out: &mut [u8], pw: &[u8]| {
            <Libsodium as PasswordHashProvider>::argon2id(pw, &salt, ops, mem, out)
                .unwrap_err()
                .kind()
        };
        assert_eq!(param(u64::MAX, 65536, &mut a, b"pw"), ErrorKind::Parameter);
        assert_eq!(param(0, 65536, &mut a, b"pw"), ErrorKind::Parameter);
        assert_eq!(param(2, usize::MAX, &mut a, b"pw"), ErrorKind::Parameter);
        assert_eq!(param(2, 1024, &mut a, b"pw"), ErrorKind::Parameter);
        assert_eq!(param(2, 65536, &mut [], b"pw"), ErrorKind::Parameter);
        assert_eq!(param(2, 65536, &mut [0u8; 15], b"pw"), ErrorKind::Parameter);
    }

    #[test]
    fn random() {
        let mut a = [0u8; 64];
        let mut b = [0u8; 64];
        <Libsodium as RandomProvider>::fill_random(&mut a).unwrap();
        <Libsodium as RandomProvider>::fill_random(&mut b).unwrap();
        assert_ne!(a, b);
        <Libsodium as RandomProvider>::fill_random(&mut []).unwrap();
    }
}
