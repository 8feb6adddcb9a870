//! The code BoringSSL and AWS-LC share: AWS-LC is a BoringSSL fork and keeps its classic
//! API (`EVP_AEAD_CTX`, `SHA256_*`, `HMAC_*`, `HKDF`, `X25519`, `ED25519_*`, `RAND_bytes`,
//! `ERR_*`), with the same signatures in both `-sys` crates. [`boringssl_family!`]
//! generates, for one provider type and one `-sys` crate:
//!
//! | trait | algorithms |
//! |---|---|
//! | `RandomProvider` | `RAND_bytes` |
//! | `AeadProvider` | AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305, XChaCha20-Poly1305 (`EVP_AEAD_CTX`, 16-byte tag, detached: `seal_scatter`/`open_gather`) |
//! | `HashProvider` | SHA-256, SHA-384, SHA-512 (`SHA*_Init/Update/Final`, one-shot `SHA*()`) |
//! | `HmacProvider` | HMAC-SHA-256/384/512 (`HMAC_CTX`) |
//! | `HkdfProvider` | HKDF-SHA-256/384/512 (`HKDF`) |
//! | `X25519Provider` | `X25519`, `X25519_public_from_private` |
//! | `Ed25519Provider` | `ED25519_keypair_from_seed`, `ED25519_sign`, `ED25519_verify` |
//!
//! It also defines, in the invoking module, `use $sys as ffi;`, the backend name `NAME`,
//! and the error helpers `error` (a fixed message) and `lib_error` (drains the thread's
//! error queue into the message), which the library-specific code (ML-KEM, ML-DSA)
//! reuses.

/// A `Box<T>` of all-zero bytes, allocated on the heap directly (the ML-DSA-87 private key
/// is tens of kilobytes: it never passes through the stack).
///
/// # Safety
///
/// All-zero bytes must be a valid `T` (true of the bindgen plain-data structs used here:
/// integers, byte arrays, unions of those, and nullable raw pointers).
pub(super) unsafe fn zeroed_box<T>() -> Box<T> {
    let mut b = Box::<T>::new_uninit();
    // SAFETY: `b` owns a properly aligned allocation of one `T`; writing zero bytes over
    // it is in bounds, and the caller guarantees all-zero bytes are a valid `T`.
    unsafe {
        b.as_mut_ptr().write_bytes(0, 1);
        b.assume_init()
    }
}

/// Generates the shared provider impls for `$provider` over the `-sys` crate `$sys`.
macro_rules! boringssl_family {
    ($provider:ty, $sys:ident) => {
        use $sys as ffi;

        /// The backend name every error of this module carries.
        const NAME: &str = <$provider as $crate::provider::Provider>::BACKEND.name();

        /// An error with a fixed message (no C error queue involved).
        #[allow(dead_code)]
        fn error(kind: $crate::ErrorKind, message: &'static str) -> $crate::Error {
            $crate::Error::new(kind, NAME, message)
        }

        /// An error for a failed C call: `what` followed by every entry of the thread's
        /// error queue (drained, so the queue is empty afterwards), with the first packed
        /// error code as the error's code.
        fn lib_error(kind: $crate::ErrorKind, what: &'static str) -> $crate::Error {
            let mut first: u32 = 0;
            let mut details = String::new();
            // The queue holds at most 16 entries; the bound only guards against a queue
            // that never empties.
            for _ in 0..32 {
                // SAFETY: `ERR_get_error` takes no arguments and pops from this thread's
                // queue.
                let code = unsafe { ffi::ERR_get_error() };
                if code == 0 {
                    break;
                }
                if first == 0 {
                    first = code;
                }
                let mut buf = [0 as ::core::ffi::c_char; 256];
                // SAFETY: `buf` is valid for writes of `buf.len()` bytes;
                // `ERR_error_string_n` writes at most that many, NUL-terminated.
                unsafe { ffi::ERR_error_string_n(code, buf.as_mut_ptr(), buf.len()) };
                // SAFETY: `buf` is NUL-terminated (written above, and the last byte is
                // still 0 since `ERR_error_string_n` terminates within `len`).
                let text = unsafe { ::core::ffi::CStr::from_ptr(buf.as_ptr()) };
                if !details.is_empty() {
                    details.push_str("; ");
                }
                details.push_str(&text.to_string_lossy());
            }
            // SAFETY: no arguments; clears whatever is left of this thread's queue.
            unsafe { ffi::ERR_clear_error() };
            if first == 0 {
                $crate::Error::new(kind, NAME, what)
            } else {
                $crate::Error::new(kind, NAME, format!("{what}: {details}"))
                    .with_code(i64::from(first))
            }
        }

        /// Wipes `len` bytes at `ptr` with `OPENSSL_cleanse` (which the compiler may not
        /// elide).
        ///
        /// # Safety
        ///
        /// `ptr` must be valid for writes of `len` bytes, and zero bytes must be valid
        /// there afterwards.
        #[allow(dead_code)]
        unsafe fn cleanse<T>(ptr: *mut T, len: usize) {
            // SAFETY: guaranteed by the caller.
            unsafe { ffi::OPENSSL_cleanse(ptr.cast::<::core::ffi::c_void>(), len) };
        }

        // -----------------------------------------------------------------------------
        // Random

        impl $crate::provider::RandomProvider for $provider {
            fn fill_random(out: &mut [u8]) -> $crate::Result<()> {
                // SAFETY: `out` is valid for writes of `out.len()` bytes.
                let rc = unsafe { ffi::RAND_bytes(out.as_mut_ptr(), out.len()) };
                if rc == 1 {
                    Ok(())
                } else {
                    Err(lib_error($crate::ErrorKind::Random, "RAND_bytes failed"))
                }
            }
        }

        // -----------------------------------------------------------------------------
        // AEADs

        /// An `EVP_AEAD_CTX` holding the expanded key, boxed (it never moves after
        /// `EVP_AEAD_CTX_init`), cleaned up and wiped when dropped.
        pub struct AeadKey(Box<ffi::EVP_AEAD_CTX>);

        // SAFETY: the context is immutable after `EVP_AEAD_CTX_init` (seal and open take
        // `const EVP_AEAD_CTX *`), and BoringSSL/AWS-LC document seal and open on a const
        // context as safe to call from several threads at once; the raw pointers inside
        // (the `EVP_AEAD` method table, static) are owned by the context, not shared
        // mutable state. Dropping from another thread is a plain cleanup.
        unsafe impl Send for AeadKey {}
        // SAFETY: as for `Send`: only `&AeadKey` reaches the C functions, which read the
        // context and never write it.
        unsafe impl Sync for AeadKey {}

        impl Drop for AeadKey {
            fn drop(&mut self) {
                let ctx: *mut ffi::EVP_AEAD_CTX = &mut *self.0;
                // SAFETY: `ctx` was initialised by `EVP_AEAD_CTX_init` (an `AeadKey` only
                // exists after it succeeded) and is exclusively owned; after the cleanup it
                // is plain bytes, which the cleanse wipes (the AES round keys live inline
                // in the context).
                unsafe {
                    ffi::EVP_AEAD_CTX_cleanup(ctx);
                    cleanse(ctx, ::core::mem::size_of::<ffi::EVP_AEAD_CTX>());
                }
            }
        }

        impl ::core::fmt::Debug for AeadKey {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str("AeadKey(<redacted>)")
            }
        }

        /// Expands `key` for `aead` with a 16-byte tag.
        fn aead_key(aead: *const ffi::EVP_AEAD, key: &[u8]) -> $crate::Result<AeadKey> {
            // SAFETY: `EVP_AEAD_CTX` is a plain C struct (pointers, a byte union,
            // integers): all-zero is a valid, "zeroed" context.
            let mut ctx = AeadKey(unsafe {
                $crate::backend::boringssl_family::zeroed_box::<ffi::EVP_AEAD_CTX>()
            });
            // SAFETY: `ctx.0` is a valid, exclusively owned context; `aead` is a static
            // method table; `key` is valid for `key.len()` bytes; the engine is unused.
            let rc = unsafe {
                ffi::EVP_AEAD_CTX_init(
                    &mut *ctx.0,
                    aead,
                    key.as_ptr(),
                    key.len(),
                    $crate::alg::TAG_LEN,
                    ::core::ptr::null_mut(),
                )
            };
            if rc == 1 {
                Ok(ctx)
            } else {
                // `EVP_AEAD_CTX_init` leaves a failed context zeroed, which cleanup (in
                // `Drop`) accepts.
                Err(lib_error($crate::ErrorKind::KeyLength, "EVP_AEAD_CTX_init failed"))
            }
        }

        fn aead_seal(
            key: &AeadKey,
            nonce: &[u8],
            aad: &[u8],
            data: &mut [u8],
            tag: &mut [u8; $crate::alg::TAG_LEN],
        ) -> $crate::Result<()> {
            let p = data.as_mut_ptr();
            let mut tag_len = 0usize;
            // SAFETY: the context was initialised and is only read; `p` is valid for reads
            // and writes of `data.len()` bytes (`out == in` exactly is allowed); `tag` has
            // room for `TAG_LEN` bytes (the maximum given); `nonce` and `aad` are valid
            // for their lengths; no extra input (null, 0).
            let rc = unsafe {
                ffi::EVP_AEAD_CTX_seal_scatter(
                    &*key.0,
                    p,
                    tag.as_mut_ptr(),
                    &mut tag_len,
                    $crate::alg::TAG_LEN,
                    nonce.as_ptr(),
                    nonce.len(),
                    p.cast_const(),
                    data.len(),
                    ::core::ptr::null(),
                    0,
                    aad.as_ptr(),
                    aad.len(),
                )
            };
            if rc != 1 {
                return Err(lib_error($crate::ErrorKind::Length, "EVP_AEAD_CTX_seal_scatter failed"));
            }
            if tag_len != $crate::alg::TAG_LEN {
                return Err(error($crate::ErrorKind::Library, "unexpected tag length"));
            }
            Ok(())
        }

        fn aead_open(
            key: &AeadKey,
            nonce: &[u8],
            aad: &[u8],
            data: &mut [u8],
            tag: &[u8; $crate::alg::TAG_LEN],
        ) -> $crate::Result<()> {
            let p = data.as_mut_ptr();
            // SAFETY: the context was initialised and is only read; `p` is valid for reads
            // and writes of `data.len()` bytes (`out == in` is allowed); `tag` is
            // `TAG_LEN` bytes; `nonce` and `aad` are valid for their lengths.
            let rc = unsafe {
                ffi::EVP_AEAD_CTX_open_gather(
                    &*key.0,
                    p,
                    nonce.as_ptr(),
                    nonce.len(),
                    p.cast_const(),
                    data.len(),
                    tag.as_ptr(),
                    tag.len(),
                    aad.as_ptr(),
                    aad.len(),
                )
            };
            if rc == 1 {
                Ok(())
            } else {
                Err(lib_error($crate::ErrorKind::Authentication, "the tag does not verify"))
            }
        }

        boringssl_family!(@aead $provider, Aes128Gcm, EVP_aead_aes_128_gcm);
        boringssl_family!(@aead $provider, Aes256Gcm, EVP_aead_aes_256_gcm);
        boringssl_family!(@aead $provider, ChaCha20Poly1305, EVP_aead_chacha20_poly1305);
        boringssl_family!(@aead $provider, XChaCha20Poly1305, EVP_aead_xchacha20_poly1305);

        // -----------------------------------------------------------------------------
        // Hashes, HMAC, HKDF

        boringssl_family!(@hash $provider, Sha256, SHA256_CTX, SHA256_Init, SHA256_Update,
            SHA256_Final, SHA256, EVP_sha256);
        boringssl_family!(@hash $provider, Sha384, SHA512_CTX, SHA384_Init, SHA384_Update,
            SHA384_Final, SHA384, EVP_sha384);
        boringssl_family!(@hash $provider, Sha512, SHA512_CTX, SHA512_Init, SHA512_Update,
            SHA512_Final, SHA512, EVP_sha512);

        /// A keyed `HMAC_CTX`, boxed (it owns heap state and is never moved by value),
        /// cleaned up (which wipes it) when dropped.
        pub struct HmacState(Box<ffi::HMAC_CTX>);

        // SAFETY: the context is exclusively owned by this value (its internal pointers,
        // the static `EVP_MD` and the digest states it allocated, are reachable only
        // through it); the C functions that mutate it take `&mut self`.
        unsafe impl Send for HmacState {}
        // SAFETY: `&HmacState` only reaches `HMAC_CTX_copy_ex`, which reads the source
        // context.
        unsafe impl Sync for HmacState {}

        impl HmacState {
            /// A fresh, initialised (empty) context.
            fn empty() -> Self {
                // SAFETY: `HMAC_CTX` is a plain C struct: all-zero is valid, and
                // `HMAC_CTX_init` initialises it in place without reading it.
                let mut ctx = unsafe { $crate::backend::boringssl_family::zeroed_box::<ffi::HMAC_CTX>() };
                // SAFETY: `ctx` is a valid, exclusively owned `HMAC_CTX`.
                unsafe { ffi::HMAC_CTX_init(&mut *ctx) };
                HmacState(ctx)
            }
        }

        impl Drop for HmacState {
            fn drop(&mut self) {
                // SAFETY: the context was initialised by `HMAC_CTX_init`; cleanup frees
                // what it owns and wipes the struct.
                unsafe { ffi::HMAC_CTX_cleanup(&mut *self.0) };
            }
        }

        impl Clone for HmacState {
            fn clone(&self) -> Self {
                let mut copy = HmacState::empty();
                // SAFETY: `copy.0` is an initialised context; `self.0` is an initialised
                // context (keyed by `HMAC_Init_ex`), only read.
                let rc = unsafe { ffi::HMAC_CTX_copy_ex(&mut *copy.0, &*self.0) };
                if rc != 1 {
                    // Copying a keyed context only fails when an allocation fails; like
                    // Rust's own allocation failures, that aborts (it must not panic, and
                    // `Clone` cannot return an error).
                    std::process::abort();
                }
                copy
            }
        }

        impl ::core::fmt::Debug for HmacState {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str("HmacState(<redacted>)")
            }
        }

        fn hmac_new(md: *const ffi::EVP_MD, key: &[u8]) -> $crate::Result<HmacState> {
            let mut state = HmacState::empty();
            // SAFETY: `state.0` is an initialised context; `key` is valid for `key.len()`
            // bytes; `md` is a static digest; the engine is unused.
            let rc = unsafe {
                ffi::HMAC_Init_ex(
                    &mut *state.0,
                    key.as_ptr().cast::<::core::ffi::c_void>(),
                    key.len(),
                    md,
                    ::core::ptr::null_mut(),
                )
            };
            if rc == 1 {
                Ok(state)
            } else {
                Err(lib_error($crate::ErrorKind::Library, "HMAC_Init_ex failed"))
            }
        }

        fn hmac_update(state: &mut HmacState, data: &[u8]) {
            // SAFETY: the context was keyed by `HMAC_Init_ex`; `data` is valid for its
            // length. `HMAC_Update` cannot fail on a keyed context (it returns 1).
            unsafe { ffi::HMAC_Update(&mut *state.0, data.as_ptr(), data.len()) };
        }

        fn hmac_finalize(state: &mut HmacState, out: &mut [u8]) {
            let mut mac = [0u8; 64];
            let mut len: ::core::ffi::c_uint = 0;
            // SAFETY: the context was keyed; `mac` has room for the largest digest here
            // (SHA-512, 64 bytes, `EVP_MAX_MD_SIZE` covers it). `HMAC_Final` cannot fail
            // on a keyed context.
            unsafe { ffi::HMAC_Final(&mut *state.0, mac.as_mut_ptr(), &mut len) };
            let n = (len as usize).min(out.len()).min(mac.len());
            out[..n].copy_from_slice(&mac[..n]);
            // SAFETY: `mac` is a local byte array, valid for writes of its length.
            unsafe { cleanse(mac.as_mut_ptr(), mac.len()) };
        }

        fn hkdf(
            md: *const ffi::EVP_MD,
            salt: &[u8],
            ikm: &[u8],
            info: &[u8],
            out: &mut [u8],
        ) -> $crate::Result<()> {
            // SAFETY: every pointer is valid for its length; `md` is a static digest.
            let rc = unsafe {
                ffi::HKDF(
                    out.as_mut_ptr(),
                    out.len(),
                    md,
                    ikm.as_ptr(),
                    ikm.len(),
                    salt.as_ptr(),
                    salt.len(),
                    info.as_ptr(),
                    info.len(),
                )
            };
            if rc == 1 {
                Ok(())
            } else {
                Err(lib_error($crate::ErrorKind::Length, "HKDF failed"))
            }
        }

        // -----------------------------------------------------------------------------
        // X25519, Ed25519

        impl $crate::provider::X25519Provider for $provider {
            fn public_key(secret: &[u8; 32]) -> $crate::Result<[u8; 32]> {
                let mut public = [0u8; 32];
                // SAFETY: both pointers are valid for 32 bytes.
                unsafe { ffi::X25519_public_from_private(public.as_mut_ptr(), secret.as_ptr()) };
                Ok(public)
            }

            fn diffie_hellman(
                secret: &[u8; 32],
                public: &[u8; 32],
            ) -> $crate::Result<::zeroize::Zeroizing<[u8; 32]>> {
                let mut shared = ::zeroize::Zeroizing::new([0u8; 32]);
                // SAFETY: all three pointers are valid for 32 bytes.
                let rc = unsafe { ffi::X25519(shared.as_mut_ptr(), secret.as_ptr(), public.as_ptr()) };
                if rc == 1 {
                    Ok(shared)
                } else {
                    // SAFETY: no arguments (X25519 does not push errors; cleared anyway).
                    unsafe { ffi::ERR_clear_error() };
                    Err(error(
                        $crate::ErrorKind::InvalidKey,
                        "the shared secret is all zero (low-order public point)",
                    ))
                }
            }
        }

        impl $crate::provider::Ed25519Provider for $provider {
            fn public_key(seed: &[u8; 32]) -> $crate::Result<[u8; 32]> {
                let mut public = [0u8; 32];
                let mut private = ::zeroize::Zeroizing::new([0u8; 64]);
                // SAFETY: `public` has 32 bytes, `private` 64, `seed` 32.
                unsafe {
                    ffi::ED25519_keypair_from_seed(
                        public.as_mut_ptr(),
                        private.as_mut_ptr(),
                        seed.as_ptr(),
                    )
                };
                Ok(public)
            }

            fn sign(seed: &[u8; 32], public: &[u8; 32], msg: &[u8]) -> $crate::Result<[u8; 64]> {
                let mut private = ::zeroize::Zeroizing::new([0u8; 64]);
                private[..32].copy_from_slice(seed);
                private[32..].copy_from_slice(public);
                let mut sig = [0u8; 64];
                // SAFETY: `sig` has 64 bytes, `private` 64 (seed || public, the format
                // `ED25519_sign` takes), `msg` is valid for its length.
                let rc = unsafe {
                    ffi::ED25519_sign(sig.as_mut_ptr(), msg.as_ptr(), msg.len(), private.as_ptr())
                };
                if rc == 1 {
                    Ok(sig)
                } else {
                    Err(lib_error($crate::ErrorKind::Library, "ED25519_sign failed"))
                }
            }

            fn verify(public: &[u8; 32], msg: &[u8], signature: &[u8; 64]) -> $crate::Result<()> {
                // SAFETY: `msg` is valid for its length, `signature` 64 bytes, `public` 32.
                let rc = unsafe {
                    ffi::ED25519_verify(msg.as_ptr(), msg.len(), signature.as_ptr(), public.as_ptr())
                };
                if rc == 1 {
                    Ok(())
                } else {
                    Err(lib_error($crate::ErrorKind::Signature, "the signature does not verify"))
                }
            }
        }
    };

    (@aead $provider:ty, $alg:ident, $evp:ident) => {
        impl $crate::provider::AeadProvider<$crate::alg::$alg> for $provider {
            type Key = AeadKey;

            fn new_key(key: &[u8]) -> $crate::Result<Self::Key> {
                // SAFETY: returns a pointer to a static method table.
                aead_key(unsafe { ffi::$evp() }, key)
            }

            fn seal_in_place(
                key: &Self::Key,
                nonce: &[u8],
                aad: &[u8],
                data: &mut [u8],
                tag: &mut [u8; $crate::alg::TAG_LEN],
            ) -> $crate::Result<()> {
                aead_seal(key, nonce, aad, data, tag)
            }

            fn open_in_place(
                key: &Self::Key,
                nonce: &[u8],
                aad: &[u8],
                data: &mut [u8],
                tag: &[u8; $crate::alg::TAG_LEN],
            ) -> $crate::Result<()> {
                aead_open(key, nonce, aad, data, tag)
            }
        }
    };

    (@hash $provider:ty, $alg:ident, $ctx:ident, $init:ident, $update:ident, $final:ident,
        $oneshot:ident, $md:ident) => {
        impl $crate::provider::HashProvider<$crate::alg::$alg> for $provider {
            type State = ffi::$ctx;

            fn new_state() -> Self::State {
                // SAFETY: the context is plain data (integer arrays): all-zero is valid,
                // and `Init` sets every field it reads.
                let mut state: ffi::$ctx = unsafe { ::core::mem::zeroed() };
                // SAFETY: `state` is a valid, exclusively borrowed context. `Init` cannot
                // fail (it returns 1).
                unsafe { ffi::$init(&mut state) };
                state
            }

            fn update(state: &mut Self::State, data: &[u8]) {
                // SAFETY: `state` was initialised by `new_state`; `data` is valid for its
                // length. `Update` cannot fail (it returns 1).
                unsafe { ffi::$update(state, data.as_ptr().cast::<::core::ffi::c_void>(), data.len()) };
            }

            fn finalize(state: &mut Self::State, out: &mut [u8]) {
                let mut digest = [0u8; 64];
                // SAFETY: `digest` has room for the largest output (64 bytes); `state` was
                // initialised. `Final` cannot fail (it returns 1).
                unsafe { ffi::$final(digest.as_mut_ptr(), state) };
                let n = out.len().min(<$crate::alg::$alg as $crate::alg::HashAlgorithm>::OUTPUT_LEN);
                out[..n].copy_from_slice(&digest[..n]);
            }

            fn digest(data: &[u8], out: &mut [u8]) {
                let mut digest = [0u8; 64];
                // SAFETY: `data` is valid for its length; `digest` has room for the
                // largest output (64 bytes).
                unsafe { ffi::$oneshot(data.as_ptr(), data.len(), digest.as_mut_ptr()) };
                let n = out.len().min(<$crate::alg::$alg as $crate::alg::HashAlgorithm>::OUTPUT_LEN);
                out[..n].copy_from_slice(&digest[..n]);
            }
        }

        impl $crate::provider::HmacProvider<$crate::alg::$alg> for $provider {
            type State = HmacState;

            fn new_state(key: &[u8]) -> $crate::Result<Self::State> {
                // SAFETY: returns a pointer to a static digest.
                hmac_new(unsafe { ffi::$md() }, key)
            }

            fn update(state: &mut Self::State, data: &[u8]) {
                hmac_update(state, data);
            }

            fn finalize(state: &mut Self::State, out: &mut [u8]) {
                hmac_finalize(state, out);
            }
        }

        impl $crate::provider::HkdfProvider<$crate::alg::$alg> for $provider {
            fn hkdf(salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> $crate::Result<()> {
                // SAFETY: returns a pointer to a static digest.
                hkdf(unsafe { ffi::$md() }, salt, ikm, info, out)
            }
        }
    };
}

pub(super) use boringssl_family;

/// Known-answer tests of the shared impls, for `$provider` (used in each library's
/// `#[cfg(test)] mod tests`).
#[cfg(test)]
macro_rules! boringssl_family_tests {
    ($provider:ty) => {
        use $crate::alg::{
            Aes128Gcm, ChaCha20Poly1305, Sha256, Sha512, TAG_LEN, XChaCha20Poly1305,
        };
        use $crate::provider::{
            AeadProvider, Ed25519Provider, HashProvider, HkdfProvider, HmacProvider,
            RandomProvider, X25519Provider,
        };
        use $crate::ErrorKind;

        type P = $provider;

        fn hex(s: &str) -> Vec<u8> {
            let s: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
            s.chunks(2)
                .map(|c| u8::from_str_radix(core::str::from_utf8(c).unwrap(), 16).unwrap())
                .collect()
        }

        fn aead_kat<A: $crate::alg::AeadAlgorithm>(
            key: &str,
            nonce: &str,
            aad: &str,
            pt: &[u8],
            ct: &str,
            tag: &str,
        ) where
            P: AeadProvider<A>,
        {
            let (key, nonce, aad) = (hex(key), hex(nonce), hex(aad));
            let k = <P as AeadProvider<A>>::new_key(&key).unwrap();
            let mut data = pt.to_vec();
            let mut t = [0u8; TAG_LEN];
            <P as AeadProvider<A>>::seal_in_place(&k, &nonce, &aad, &mut data, &mut t).unwrap();
            assert_eq!(data, hex(ct));
            assert_eq!(t.to_vec(), hex(tag));
            <P as AeadProvider<A>>::open_in_place(&k, &nonce, &aad, &mut data, &t).unwrap();
            assert_eq!(data, pt);
            // A flipped tag bit fails to open.
            let mut bad = data.clone();
            <P as AeadProvider<A>>::seal_in_place(&k, &nonce, &aad, &mut bad, &mut t).unwrap();
            t[0] ^= 1;
            let err = <P as AeadProvider<A>>::open_in_place(&k, &nonce, &aad, &mut bad, &t)
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Authentication);
        }

        #[test]
        fn random() {
            let mut a = [0u8; 32];
            let mut b = [0u8; 32];
            <P as RandomProvider>::fill_random(&mut a).unwrap();
            <P as RandomProvider>::fill_random(&mut b).unwrap();
            assert_ne!(a, b);
        }

        #[test]
        fn chacha20_poly1305_rfc8439() {
            aead_kat::<ChaCha20Poly1305>(
                "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
                "070000004041424344454647",
                "50515253c0c1c2c3c4c5c6c7",
                b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
                "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
                 3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
                 92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
                 3ff4def08e4b7a9de576d26586cec64b6116",
                "1ae10b594f09e26a7e902ecbd0600691",
            );
        }

        #[test]
        fn aes_128_gcm_test_case_3() {
            aead_kat::<Aes128Gcm>(
                "feffe9928665731c6d6a8f9467308308",
                "cafebabefacedbaddecaf888",
                "",
                &hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
                      1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"),
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e
                 21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
                "4d5c2af327cd64a62cf35abd2ba6fab4",
            );
        }

        #[test]
        fn xchacha20_poly1305_round_trip() {
            let k = <P as AeadProvider<XChaCha20Poly1305>>::new_key(&[9u8; 32]).unwrap();
            let mut data = b"hello".to_vec();
            let mut t = [0u8; TAG_LEN];
            <P as AeadProvider<XChaCha20Poly1305>>::seal_in_place(&k, &[3u8; 24], b"ad", &mut data, &mut t)
                .unwrap();
            assert_ne!(data, b"hello");
            <P as AeadProvider<XChaCha20Poly1305>>::open_in_place(&k, &[3u8; 24], b"ad", &mut data, &t)
                .unwrap();
            assert_eq!(data, b"hello");
            let err = <P as AeadProvider<XChaCha20Poly1305>>::open_in_place(&k, &[3u8; 24], b"AD", &mut data, &t)
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Authentication);
        }

        #[test]
        fn sha2_abc() {
            let mut out = [0u8; 32];
            <P as HashProvider<Sha256>>::digest(b"abc", &mut out);
            assert_eq!(
                out.to_vec(),
                hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            );
            let mut st = <P as HashProvider<Sha256>>::new_state();
            <P as HashProvider<Sha256>>::update(&mut st, b"a");
            let mut fork = st.clone();
            <P as HashProvider<Sha256>>::update(&mut st, b"bc");
            let mut out2 = [0u8; 32];
            <P as HashProvider<Sha256>>::finalize(&mut st, &mut out2);
            assert_eq!(out, out2);
            <P as HashProvider<Sha256>>::update(&mut fork, b"bc");
            <P as HashProvider<Sha256>>::finalize(&mut fork, &mut out2);
            assert_eq!(out, out2);

            let expected = hex(
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a
                 2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            );
            let mut out = [0u8; 64];
            <P as HashProvider<Sha512>>::digest(b"abc", &mut out);
            assert_eq!(out.to_vec(), expected);
            let mut st = <P as HashProvider<Sha512>>::new_state();
            <P as HashProvider<Sha512>>::update(&mut st, b"abc");
            let mut out = [0u8; 64];
            <P as HashProvider<Sha512>>::finalize(&mut st, &mut out);
            assert_eq!(out.to_vec(), expected);
        }

        #[test]
        fn hmac_sha256_rfc4231_case_2() {
            let expected = hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
            let mut st = <P as HmacProvider<Sha256>>::new_state(b"Jefe").unwrap();
            <P as HmacProvider<Sha256>>::update(&mut st, b"what do ya want ");
            let mut fork = st.clone();
            <P as HmacProvider<Sha256>>::update(&mut st, b"for nothing?");
            let mut out = [0u8; 32];
            <P as HmacProvider<Sha256>>::finalize(&mut st, &mut out);
            assert_eq!(out.to_vec(), expected);
            drop(st);
            <P as HmacProvider<Sha256>>::update(&mut fork, b"for nothing?");
            let mut out = [0u8; 32];
            <P as HmacProvider<Sha256>>::finalize(&mut fork, &mut out);
            assert_eq!(out.to_vec(), expected);
        }

        #[test]
        fn hkdf_sha256_rfc5869_case_1() {
            let mut okm = [0u8; 42];
            <P as HkdfProvider<Sha256>>::hkdf(
                &hex("000102030405060708090a0b0c"),
                &[0x0b; 22],
                &hex("f0f1f2f3f4f5f6f7f8f9"),
                &mut okm,
            )
            .unwrap();
            assert_eq!(
                okm.to_vec(),
                hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
            );
        }

        #[test]
        fn x25519_rfc7748() {
            let scalar: [u8; 32] = hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4")
                .try_into()
                .unwrap();
            let u: [u8; 32] = hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c")
                .try_into()
                .unwrap();
            let shared = <P as X25519Provider>::diffie_hellman(&scalar, &u).unwrap();
            assert_eq!(
                shared.to_vec(),
                hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552")
            );
            let err = <P as X25519Provider>::diffie_hellman(&scalar, &[0u8; 32]).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidKey);
            // Both sides agree.
            let (a, b) = ([1u8; 32], [2u8; 32]);
            let (pa, pb) = (
                <P as X25519Provider>::public_key(&a).unwrap(),
                <P as X25519Provider>::public_key(&b).unwrap(),
            );
            assert_eq!(
                *<P as X25519Provider>::diffie_hellman(&a, &pb).unwrap(),
                *<P as X25519Provider>::diffie_hellman(&b, &pa).unwrap()
            );
        }

        #[test]
        fn ed25519_rfc8032_test_1() {
            let seed: [u8; 32] = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .try_into()
                .unwrap();
            let public = <P as Ed25519Provider>::public_key(&seed).unwrap();
            assert_eq!(
                public.to_vec(),
                hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
            );
            let sig = <P as Ed25519Provider>::sign(&seed, &public, b"").unwrap();
            assert_eq!(
                sig.to_vec(),
                hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
            );
            <P as Ed25519Provider>::verify(&public, b"", &sig).unwrap();
            let mut bad = sig;
            bad[10] ^= 0x04;
            let err = <P as Ed25519Provider>::verify(&public, b"", &bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Signature);
        }
    };
}

#[cfg(test)]
pub(super) use boringssl_family_tests;

/// ML-KEM and ML-DSA tests for `$provider` over the listed parameter sets. `det` says
/// whether the provider has deterministic encapsulation, `seed` whether it has ML-DSA
/// key generation from a seed.
#[cfg(test)]
macro_rules! pq_tests {
    ($provider:ty, kem: [$($kem:ident),*], sig: [$($sig:ident),*], det: $det:literal,
        seed: $seed:literal) => {
        mod pq {
            use $crate::alg::{KemAlgorithm, SignatureAlgorithm};
            use $crate::provider::{KemProvider, SignatureProvider};
            use $crate::ErrorKind;

            type P = $provider;

            fn kem_checks<K: KemAlgorithm>()
            where
                P: KemProvider<K>,
            {
                let seed = [0x42u8; 64];
                let (dk, ek) = <P as KemProvider<K>>::from_seed(&seed).unwrap();
                let (_dk2, ek2) = <P as KemProvider<K>>::from_seed(&seed).unwrap();
                assert_eq!(ek.len(), K::EK_LEN);
                assert_eq!(ek, ek2, "from_seed is deterministic");
                let (_, ek3) = <P as KemProvider<K>>::from_seed(&[0x43u8; 64]).unwrap();
                assert_ne!(ek, ek3);

                let pk = <P as KemProvider<K>>::parse_encapsulation_key(&ek).unwrap();
                let (ct, ss) = <P as KemProvider<K>>::encapsulate(&pk).unwrap();
                assert_eq!(ct.len(), K::CT_LEN);
                let ss2 = <P as KemProvider<K>>::decapsulate(&dk, &ct).unwrap();
                assert_eq!(*ss, *ss2);

                // Implicit rejection: a modified ciphertext decapsulates to another secret.
                let mut bad = ct.clone();
                bad[5] ^= 0x01;
                let ss3 = <P as KemProvider<K>>::decapsulate(&dk, &bad).unwrap();
                assert_ne!(*ss, *ss3);

                // The first coefficient 0xFFF (≥ q) fails the modulus check.
                let mut bad_ek = ek.clone();
                bad_ek[0] = 0xFF;
                bad_ek[1] |= 0x0F;
                let bad_pk = <P as KemProvider<K>>::parse_encapsulation_key(&bad_ek);
                let err = bad_pk
                    .as_ref()
                    .map_err(Clone::clone)
                    .and_then(<P as KemProvider<K>>::encapsulate)
                    .unwrap_err();
                assert_eq!(err.kind(), ErrorKind::InvalidKey);

                let m = [0x17u8; 32];
                let det = <P as KemProvider<K>>::encapsulate_deterministic(&pk, &m);
                if $det {
                    let (ct1, ss1) = det.unwrap();
                    let (ct2, ss2) = <P as KemProvider<K>>::encapsulate_deterministic(&pk, &m).unwrap();
                    assert_eq!(ct1, ct2);
                    assert_eq!(*ss1, *ss2);
                    assert_eq!(*<P as KemProvider<K>>::decapsulate(&dk, &ct1).unwrap(), *ss1);
                    let err = bad_pk
                        .and_then(|k| <P as KemProvider<K>>::encapsulate_deterministic(&k, &m))
                        .unwrap_err();
                    assert_eq!(err.kind(), ErrorKind::InvalidKey);
                } else {
                    assert_eq!(det.unwrap_err().kind(), ErrorKind::Unsupported);
                }
            }

            fn sig_checks<S: SignatureAlgorithm>()
            where
                P: SignatureProvider<S>,
            {
                let (sk, pk) = <P as SignatureProvider<S>>::generate().unwrap();
                assert_eq!(pk.len(), S::PK_LEN);
                for ctx in [&b""[..], &b"context"[..]] {
                    let sig = <P as SignatureProvider<S>>::sign(&sk, b"message", ctx).unwrap();
                    assert_eq!(sig.len(), S::SIG_LEN);
                    <P as SignatureProvider<S>>::verify(&pk, b"message", ctx, &sig).unwrap();
                    let mut bad = sig.clone();
                    bad[7] ^= 0x01;
                    let err = <P as SignatureProvider<S>>::verify(&pk, b"message", ctx, &bad).unwrap_err();
                    assert_eq!(err.kind(), ErrorKind::Signature);
                    let err = <P as SignatureProvider<S>>::verify(&pk, b"massage", ctx, &sig).unwrap_err();
                    assert_eq!(err.kind(), ErrorKind::Signature);
                    let err = <P as SignatureProvider<S>>::verify(&pk, b"message", b"other", &sig).unwrap_err();
                    assert_eq!(err.kind(), ErrorKind::Signature);
                }

                // Hedged (randomised) signing: two signatures of one message differ.
                let s1 = <P as SignatureProvider<S>>::sign(&sk, b"m", b"").unwrap();
                let s2 = <P as SignatureProvider<S>>::sign(&sk, b"m", b"").unwrap();
                assert_ne!(s1, s2);

                let from_seed = <P as SignatureProvider<S>>::from_seed(&[7u8; 32]);
                if $seed {
                    let (sk1, pk1) = from_seed.unwrap();
                    let (_sk2, pk2) = <P as SignatureProvider<S>>::from_seed(&[7u8; 32]).unwrap();
                    assert_eq!(pk1.len(), S::PK_LEN);
                    assert_eq!(pk1, pk2, "from_seed is deterministic");
                    let sig = <P as SignatureProvider<S>>::sign(&sk1, b"m", b"").unwrap();
                    <P as SignatureProvider<S>>::verify(&pk1, b"m", b"", &sig).unwrap();
                    let err = <P as SignatureProvider<S>>::verify(&pk, b"m", b"", &sig).unwrap_err();
                    assert_eq!(err.kind(), ErrorKind::Signature);
                } else {
                    assert_eq!(from_seed.err().map(|e| e.kind()), Some(ErrorKind::Unsupported));
                }
            }

            #[test]
            fn ml_kem() {
                $(kem_checks::<$crate::alg::$kem>();)*
            }

            #[test]
            fn ml_dsa() {
                $(sig_checks::<$crate::alg::$sig>();)*
            }
        }
    };
}

#[cfg(test)]
pub(super) use pq_tests;
