//! Authenticated encryption: [`Aead<P, A>`], RustCrypto's `aead` traits over a C backend.

use crate::alg::{AeadAlgorithm, TAG_LEN};
use crate::error::check_error;
use crate::provider::AeadProvider;
use crate::{ErrorKind, Result};
use aead::array::Array;
use aead::inout::InOutBuf;
use aead::{AeadCore, AeadInOut, Key, KeyInit, KeySizeUser, Nonce, Tag, TagPosition};
use core::marker::PhantomData;

/// An AEAD key of algorithm `A` expanded by backend `P`: seal and open with it.
///
/// It implements RustCrypto's [`KeyInit`], [`AeadCore`] and [`AeadInOut`] (hence
/// `aead::Aead`'s `encrypt`/`decrypt` to `Vec`), so it replaces `aes_gcm::Aes256Gcm` or
/// `chacha20poly1305::ChaCha20Poly1305` without code changes; the inherent methods return
/// this crate's [`Error`](crate::Error) with a kind ([`ErrorKind::Authentication`] for a bad tag) where
/// the trait's `aead::Error` is opaque. Tags are checked by the C library in constant
/// time; a failed open wipes the buffer it decrypted into.
///
/// ```
/// # #[cfg(feature = "boringssl")] {
/// use arsenal_crypto::{Aead, BoringSsl, alg::Aes256Gcm};
/// let cipher = Aead::<BoringSsl, Aes256Gcm>::new_from_slice(&[7; 32])?;
/// let sealed = cipher.seal(&[0; 12], b"header", b"secret")?;
/// assert_eq!(cipher.open(&[0; 12], b"header", &sealed)?, b"secret");
/// assert_eq!(
///     cipher.open(&[1; 12], b"header", &sealed).unwrap_err().kind(),
///     arsenal_crypto::ErrorKind::Authentication
/// );
/// # }
/// # Ok::<(), arsenal_crypto::Error>(())
/// ```
pub struct Aead<P: AeadProvider<A>, A: AeadAlgorithm> {
    /// The expanded key, or why expanding it failed (RustCrypto's `KeyInit::new` cannot
    /// fail: the error is returned by every later call instead).
    key: Result<P::Key>,
    _alg: PhantomData<A>,
}

impl<P: AeadProvider<A>, A: AeadAlgorithm> core::fmt::Debug for Aead<P, A> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // No key material.
        f.debug_struct("Aead")
            .field("backend", &P::BACKEND.name())
            .field("algorithm", &A::ID.name())
            .field("ready", &self.key.is_ok())
            .finish()
    }
}

impl<P: AeadProvider<A>, A: AeadAlgorithm> Aead<P, A> {
    /// Expands `key`; [`ErrorKind::KeyLength`] unless it is `A::KEY_LEN` bytes,
    /// [`ErrorKind::Unsupported`] when the backend cannot run `A` here (libsodium's AES-GCM
    /// without AES-NI).
    pub fn new_from_slice(key: &[u8]) -> Result<Self> {
        if key.len() != A::KEY_LEN {
            return Err(check_error(
                ErrorKind::KeyLength,
                format!(
                    "{} takes a {}-byte key, not {}",
                    A::ID,
                    A::KEY_LEN,
                    key.len()
                ),
            ));
        }
        Ok(Aead {
            key: Ok(P::new_key(key)?),
            _alg: PhantomData,
        })
    }

    fn key(&self) -> Result<&P::Key> {
        self.key.as_ref().map_err(Clone::clone)
    }

    fn check_nonce(nonce: &[u8]) -> Result<()> {
        if nonce.len() == A::NONCE_LEN {
            Ok(())
        } else {
            Err(check_error(
                ErrorKind::NonceLength,
                format!(
                    "{} takes a {}-byte nonce, not {}",
                    A::ID,
                    A::NONCE_LEN,
                    nonce.len()
                ),
            ))
        }
    }

    /// Encrypts `data` in place; returns the tag.
    pub fn seal_in_place_detached(
        &self,
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
    ) -> Result<[u8; TAG_LEN]> {
        Self::check_nonce(nonce)?;
        let mut tag = [0u8; TAG_LEN];
        P::seal_in_place(self.key()?, nonce, aad, data, &mut tag)?;
        Ok(tag)
    }

    /// Checks `tag` and decrypts `data` in place. On [`ErrorKind::Authentication`] `data`
    /// is wiped (no unauthenticated plaintext is released).
    pub fn open_in_place_detached(
        &self,
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
        tag: &[u8],
    ) -> Result<()> {
        Self::check_nonce(nonce)?;
        let tag: &[u8; TAG_LEN] = tag.try_into().map_err(|_| {
            check_error(
                ErrorKind::Length,
                format!("the tag is {TAG_LEN} bytes, not {}", tag.len()),
            )
        })?;
        let result = P::open_in_place(self.key()?, nonce, aad, data, tag);
        if result.is_err() {
            zeroize::Zeroize::zeroize(data);
        }
        result
    }

    /// `plaintext` sealed: ciphertext followed by the 16-byte tag.
    pub fn seal(&self, nonce: &[u8], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.seal_to_vec(nonce, aad, plaintext, &mut out)?;
        Ok(out)
    }

    /// Seals `plaintext` into `out` (cleared first; its capacity is reused).
    pub fn seal_to_vec(
        &self,
        nonce: &[u8],
        aad: &[u8],
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<()> {
        out.clear();
        let total = plaintext.len().checked_add(TAG_LEN).ok_or_else(|| {
            check_error(ErrorKind::Length, "plaintext length overflows with the tag")
        })?;
        out.try_reserve(total)
            .map_err(|_| check_error(ErrorKind::Length, "cannot allocate the ciphertext"))?;
        out.extend_from_slice(plaintext);
        let tag = self.seal_in_place_detached(nonce, aad, out)?;
        out.extend_from_slice(&tag);
        Ok(())
    }

    /// Opens `ciphertext || tag`; [`ErrorKind::Length`] when it is shorter than the tag,
    /// [`ErrorKind::Authentication`] when the tag does not verify.
    pub fn open(&self, nonce: &[u8], aad: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.open_to_vec(nonce, aad, ciphertext, &mut out)?;
        Ok(out)
    }

    /// Opens `ciphertext || tag` into `out` (cleared first; its capacity is reused).
    pub fn open_to_vec(
        &self,
        nonce: &[u8],
        aad: &[u8],
        ciphertext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<()> {
        out.clear();
        let body = ciphertext.len().checked_sub(TAG_LEN).ok_or_else(|| {
            check_error(
                ErrorKind::Length,
                format!(
                    "a sealed message is at least the {TAG_LEN}-byte tag, got {}",
                    ciphertext.len()
                ),
            )
        })?;
        let (data, tag) = ciphertext.split_at(body);
        out.try_reserve(body)
            .map_err(|_| check_error(ErrorKind::Length, "cannot allocate the plaintext"))?;
        out.extend_from_slice(data);
        let result = self.open_in_place_detached(nonce, aad, out, tag);
        if result.is_err() {
            out.clear();
        }
        result
    }
}

impl<P: AeadProvider<A>, A: AeadAlgorithm> KeySizeUser for Aead<P, A> {
    type KeySize = A::KeySize;
}

impl<P: AeadProvider<A>, A: AeadAlgorithm> KeyInit for Aead<P, A> {
    /// Expands `key`. Cannot fail here: a backend error (libsodium's AES-GCM without
    /// AES-NI) is kept and returned by every seal and open.
    fn new(key: &Key<Self>) -> Self {
        Aead {
            key: P::new_key(key.as_slice()),
            _alg: PhantomData,
        }
    }
}

impl<P: AeadProvider<A>, A: AeadAlgorithm> AeadCore for Aead<P, A> {
    type NonceSize = A::NonceSize;
    type TagSize = aead::consts::U16;
    const TAG_POSITION: TagPosition = TagPosition::Postfix;
}

impl<P: AeadProvider<A>, A: AeadAlgorithm> AeadInOut for Aead<P, A> {
    fn encrypt_inout_detached(
        &self,
        nonce: &Nonce<Self>,
        associated_data: &[u8],
        buffer: InOutBuf<'_, '_, u8>,
    ) -> aead::Result<Tag<Self>> {
        let data = buffer.into_out_with_copied_in();
        let tag = self
            .seal_in_place_detached(nonce.as_slice(), associated_data, data)
            .map_err(|_| aead::Error)?;
        Ok(Array::from(tag))
    }

    fn decrypt_inout_detached(
        &self,
        nonce: &Nonce<Self>,
        associated_data: &[u8],
        buffer: InOutBuf<'_, '_, u8>,
        tag: &Tag<Self>,
    ) -> aead::Result<()> {
        let data = buffer.into_out_with_copied_in();
        self.open_in_place_detached(nonce.as_slice(), associated_data, data, tag.as_slice())
            .map_err(|_| aead::Error)
    }
}

/// An AEAD chosen at run time: the object-safe form of [`Aead`] (see [`Backend::aead`](crate::Backend::aead)).
pub trait DynAead: Send + Sync + core::fmt::Debug {
    /// The algorithm.
    fn algorithm(&self) -> crate::AeadId;
    /// The backend.
    fn backend(&self) -> crate::Backend;
    /// [`Aead::seal_in_place_detached`].
    fn seal_in_place_detached(
        &self,
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
    ) -> Result<[u8; TAG_LEN]>;
    /// [`Aead::open_in_place_detached`].
    fn open_in_place_detached(
        &self,
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
        tag: &[u8],
    ) -> Result<()>;
    /// [`Aead::seal_to_vec`].
    fn seal_to_vec(
        &self,
        nonce: &[u8],
        aad: &[u8],
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<()>;
    /// [`Aead::open_to_vec`].
    fn open_to_vec(
        &self,
        nonce: &[u8],
        aad: &[u8],
        ciphertext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<()>;
}

impl<P: AeadProvider<A>, A: AeadAlgorithm> DynAead for Aead<P, A> {
    fn algorithm(&self) -> crate::AeadId {
        A::ID
    }
    fn backend(&self) -> crate::Backend {
        P::BACKEND
    }
    fn seal_in_place_detached(
        &self,
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
    ) -> Result<[u8; TAG_LEN]> {
        Aead::seal_in_place_detached(self, nonce, aad, data)
    }
    fn open_in_place_detached(
        &self,
        nonce: &[u8],
        aad: &[u8],
        data: &mut [u8],
        tag: &[u8],
    ) -> Result<()> {
        Aead::open_in_place_detached(self, nonce, aad, data, tag)
    }
    fn seal_to_vec(
        &self,
        nonce: &[u8],
        aad: &[u8],
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<()> {
        Aead::seal_to_vec(self, nonce, aad, plaintext, out)
    }
    fn open_to_vec(
        &self,
        nonce: &[u8],
        aad: &[u8],
        ciphertext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<()> {
        Aead::open_to_vec(self, nonce, aad, ciphertext, out)
    }
}
