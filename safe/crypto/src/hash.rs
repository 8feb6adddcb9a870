//! Hash functions and HMAC: [`Hash<P, H>`](struct@crate::Hash) (RustCrypto's `Digest`) and [`Hmac<P, H>`]
//! (RustCrypto's `Mac`), plus HKDF ([`hkdf`]).

use crate::alg::HashAlgorithm;
use crate::error::check_error;
use crate::provider::{HashProvider, HkdfProvider, HmacProvider};
use crate::{ErrorKind, Result};
use core::marker::PhantomData;
use digest::common::KeySizeUser;
use digest::{
    FixedOutput, FixedOutputReset, HashMarker, Key, KeyInit, MacMarker, Output, OutputSizeUser,
    Reset, Update,
};

/// Hash function `H` computed by backend `P`; implements RustCrypto's [`digest::Digest`]
/// (through `Update + FixedOutput + Default + HashMarker`), [`Reset`], `Clone` (forks the
/// computation) and [`std::io::Write`].
///
/// ```
/// # #[cfg(feature = "boringssl")] {
/// use arsenal_crypto::{BoringSsl, Hash, alg::Sha256};
/// use digest::Digest;
/// let out = Hash::<BoringSsl, Sha256>::digest(b"abc");
/// assert_eq!(out[..4], [0xba, 0x78, 0x16, 0xbf]);
/// # }
/// ```
pub struct Hash<P: HashProvider<H>, H: HashAlgorithm> {
    state: P::State,
    _alg: PhantomData<H>,
}

impl<P: HashProvider<H>, H: HashAlgorithm> Hash<P, H> {
    /// A fresh computation.
    pub fn new() -> Self {
        Hash {
            state: P::new_state(),
            _alg: PhantomData,
        }
    }

    /// One-shot digest of `data` into `out` (`H::OUTPUT_LEN` bytes, else
    /// [`ErrorKind::Length`]), through the backend's one-shot entry point where it has one.
    pub fn digest_into(data: &[u8], out: &mut [u8]) -> Result<()> {
        check_output::<H>(out.len())?;
        P::digest(data, out);
        Ok(())
    }
}

fn check_output<H: HashAlgorithm>(len: usize) -> Result<()> {
    if len == H::OUTPUT_LEN {
        Ok(())
    } else {
        Err(check_error(
            ErrorKind::Length,
            format!(
                "{} writes {} bytes, the buffer has {len}",
                H::ID,
                H::OUTPUT_LEN
            ),
        ))
    }
}

impl<P: HashProvider<H>, H: HashAlgorithm> Default for Hash<P, H> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: HashProvider<H>, H: HashAlgorithm> Clone for Hash<P, H> {
    fn clone(&self) -> Self {
        Hash {
            state: self.state.clone(),
            _alg: PhantomData,
        }
    }
}

impl<P: HashProvider<H>, H: HashAlgorithm> core::fmt::Debug for Hash<P, H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Hash")
            .field("backend", &P::BACKEND.name())
            .field("algorithm", &H::ID.name())
            .finish_non_exhaustive()
    }
}

impl<P: HashProvider<H>, H: HashAlgorithm> HashMarker for Hash<P, H> {}

impl<P: HashProvider<H>, H: HashAlgorithm> OutputSizeUser for Hash<P, H> {
    type OutputSize = H::OutputSize;
}

impl<P: HashProvider<H>, H: HashAlgorithm> Update for Hash<P, H> {
    fn update(&mut self, data: &[u8]) {
        P::update(&mut self.state, data);
    }
}

impl<P: HashProvider<H>, H: HashAlgorithm> FixedOutput for Hash<P, H> {
    fn finalize_into(mut self, out: &mut Output<Self>) {
        P::finalize(&mut self.state, out.as_mut_slice());
    }
}

impl<P: HashProvider<H>, H: HashAlgorithm> Reset for Hash<P, H> {
    fn reset(&mut self) {
        self.state = P::new_state();
    }
}

impl<P: HashProvider<H>, H: HashAlgorithm> FixedOutputReset for Hash<P, H> {
    fn finalize_into_reset(&mut self, out: &mut Output<Self>) {
        P::finalize(&mut self.state, out.as_mut_slice());
        self.state = P::new_state();
    }
}

impl<P: HashProvider<H>, H: HashAlgorithm> std::io::Write for Hash<P, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        P::update(&mut self.state, buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// HMAC over `H` computed by backend `P`; implements RustCrypto's [`digest::Mac`]
/// (through `KeyInit + Update + FixedOutput + MacMarker`): `verify_slice` compares in
/// constant time. Keys of any length are accepted (`KeyInit::new_from_slice`), as RFC 2104
/// says; the state is wiped when dropped.
///
/// ```
/// # #[cfg(feature = "boringssl")] {
/// use arsenal_crypto::{BoringSsl, Hmac, alg::Sha256};
/// use digest::{KeyInit, Mac};
/// let mut mac = <Hmac<BoringSsl, Sha256> as KeyInit>::new_from_slice(b"key").unwrap();
/// mac.update(b"message");
/// let tag = mac.finalize().into_bytes();
/// let mut check = <Hmac<BoringSsl, Sha256> as KeyInit>::new_from_slice(b"key").unwrap();
/// check.update(b"message");
/// assert!(check.verify_slice(&tag).is_ok());
/// # }
/// ```
pub struct Hmac<P: HmacProvider<H>, H: HashAlgorithm> {
    state: P::State,
    _alg: PhantomData<H>,
}

impl<P: HmacProvider<H>, H: HashAlgorithm> Hmac<P, H> {
    /// Keys a MAC (any key length); errors only when the C library cannot allocate.
    pub fn new_keyed(key: &[u8]) -> Result<Self> {
        Ok(Hmac {
            state: P::new_state(key)?,
            _alg: PhantomData,
        })
    }

    /// One-shot MAC of `data` into `out` (`H::OUTPUT_LEN` bytes, else
    /// [`ErrorKind::Length`]).
    pub fn mac_into(key: &[u8], data: &[u8], out: &mut [u8]) -> Result<()> {
        check_output::<H>(out.len())?;
        let mut state = P::new_state(key)?;
        P::update(&mut state, data);
        P::finalize(&mut state, out);
        Ok(())
    }

    /// Checks `tag` against the MAC of `key` and `data` in constant time;
    /// [`ErrorKind::Authentication`] when it differs (also for a tag of another length).
    pub fn verify(key: &[u8], data: &[u8], tag: &[u8]) -> Result<()> {
        let mut mac = Self::new_keyed(key)?;
        Update::update(&mut mac, data);
        // RustCrypto's `Mac::verify_slice`: constant-time, any other length refused.
        digest::Mac::verify_slice(mac, tag)
            .map_err(|_| check_error(ErrorKind::Authentication, "the MAC does not verify"))
    }
}

impl<P: HmacProvider<H>, H: HashAlgorithm> Clone for Hmac<P, H> {
    fn clone(&self) -> Self {
        Hmac {
            state: self.state.clone(),
            _alg: PhantomData,
        }
    }
}

impl<P: HmacProvider<H>, H: HashAlgorithm> core::fmt::Debug for Hmac<P, H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // No key material.
        f.debug_struct("Hmac")
            .field("backend", &P::BACKEND.name())
            .field("algorithm", &H::ID.name())
            .finish_non_exhaustive()
    }
}

impl<P: HmacProvider<H>, H: HashAlgorithm> MacMarker for Hmac<P, H> {}

impl<P: HmacProvider<H>, H: HashAlgorithm> OutputSizeUser for Hmac<P, H> {
    type OutputSize = H::OutputSize;
}

impl<P: HmacProvider<H>, H: HashAlgorithm> KeySizeUser for Hmac<P, H> {
    type KeySize = H::BlockSize;
}

impl<P: HmacProvider<H>, H: HashAlgorithm> KeyInit for Hmac<P, H> {
    /// Keys a MAC with a block-sized key.
    ///
    /// # Panics
    /// When the C library cannot allocate its state (as Rust's own allocations do);
    /// [`Hmac::new_keyed`] returns that as an error instead.
    fn new(key: &Key<Self>) -> Self {
        match Self::new_keyed(key.as_slice()) {
            Ok(mac) => mac,
            Err(e) => panic!("HMAC state allocation failed: {e}"),
        }
    }

    /// Keys a MAC with a key of any length; `Err` only when the C library cannot allocate.
    fn new_from_slice(key: &[u8]) -> Result<Self, digest::InvalidLength> {
        Self::new_keyed(key).map_err(|_| digest::InvalidLength)
    }
}

impl<P: HmacProvider<H>, H: HashAlgorithm> Update for Hmac<P, H> {
    fn update(&mut self, data: &[u8]) {
        P::update(&mut self.state, data);
    }
}

impl<P: HmacProvider<H>, H: HashAlgorithm> FixedOutput for Hmac<P, H> {
    fn finalize_into(mut self, out: &mut Output<Self>) {
        P::finalize(&mut self.state, out.as_mut_slice());
    }
}

/// HKDF (RFC 5869) over `H` with backend `P`: extract with `salt` (empty = a block of
/// zeros, as the RFC says), expand with `info` into `out`. [`ErrorKind::Length`] when
/// `out` is empty or longer than `255 * H::OUTPUT_LEN` (or the backend's own limit).
///
/// ```
/// # #[cfg(feature = "boringssl")] {
/// use arsenal_crypto::{BoringSsl, alg::Sha256, hkdf};
/// let mut okm = [0u8; 42];
/// hkdf::<BoringSsl, Sha256>(b"salt", b"input key material", b"info", &mut okm)?;
/// # }
/// # Ok::<(), arsenal_crypto::Error>(())
/// ```
pub fn hkdf<P: HkdfProvider<H>, H: HashAlgorithm>(
    salt: &[u8],
    ikm: &[u8],
    info: &[u8],
    out: &mut [u8],
) -> Result<()> {
    let max = 255 * H::OUTPUT_LEN;
    if out.is_empty() || out.len() > max {
        return Err(check_error(
            ErrorKind::Length,
            format!("HKDF-{} derives 1 to {max} bytes, not {}", H::ID, out.len()),
        ));
    }
    P::hkdf(salt, ikm, info, out)
}
