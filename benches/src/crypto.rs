//! Cryptography rows of the matrix: `crypto/<op>/<dataset>/<impl>`.
//!
//! | op | datasets | bytes / items per iteration |
//! |---|---|---|
//! | `aes-128-gcm-seal`, `-open`; `aes-256-gcm-*`; `chacha20-poly1305-*`; `xchacha20-poly1305-*` | `16B`, `1KiB`, `16KiB`, `1MiB` | one message: its bytes (GB/s) |
//! | `sha256`, `sha384`, `sha512`, `blake2b512`, `blake3`, `sha3-256` | `64B`, `1KiB`, `16KiB`, `1MiB` | one message, one-shot digest |
//! | `hmac-sha256`, `hmac-sha512` | `64B`, `1KiB`, `16KiB` | one message, one-shot MAC (keying included) |
//! | `hkdf-sha256` | `42B` (RFC 5869 test case 1: 22-byte IKM, 13-byte salt, 10-byte info, 42-byte OKM) | one derivation |
//! | `x25519` | `dh`, `public-key`, `ephemeral-dh` | one operation |
//! | `ed25519-sign`, `ed25519-verify` | `64B` message | one signature |
//! | `ml-kem-{512,768,1024}-keygen` / `-encaps` / `-decaps` | `seed` / `random` / `ct` | one operation |
//! | `ml-dsa-{44,65,87}-sign` / `-verify` | `64B` message, empty context | one signature |
//! | `argon2id` | `m19MiB-t2` (OWASP: 19 MiB, 2 passes, 1 lane, 16-byte salt, 32-byte output) | one hash |
//!
//! **Implementations.** `arsenal:<lib>` is arsenal-crypto's front type over the provider
//! (`BoringSsl`, `AwsLc`, `Libsodium`, `Liboqs`, `Blake3C`); `raw:<lib>` calls the same C
//! library directly through its sys crate (`boring-sys`, `aws-lc-sys`,
//! `libsodium-sys-stable`, `oqs-sys`; `raw:blake3` is the `blake3` crate, which *is*
//! BLAKE3's official C/assembly); the peers are:
//!
//! | peer | what it is |
//! |---|---|
//! | `peer:rustcrypto` (AEADs), `peer:sha2`, `peer:sha3`, `peer:blake2`, `peer:hmac`, `peer:hkdf`, `peer:ml-kem`, `peer:ml-dsa`, `peer:argon2` | RustCrypto, pure Rust (with their default features: AES-NI/CLMUL and SHA-NI detected at run time) |
//! | `peer:x25519-dalek`, `peer:ed25519-dalek` | dalek, pure Rust (curve25519-dalek's AVX2 backend picked at run time) |
//! | `peer:libcrux-ml-kem` | Cryspen's formally verified ML-KEM (portable or AVX2, chosen at run time; `simd256` feature on) |
//! | `peer:ring` | ring 0.17: Rust over BoringSSL-derived C and assembly |
//! | `peer:aws-lc-rs` | AWS's safe Rust API over **the same AWS-LC** as `raw:aws-lc` (`aws-lc-sys`): a peer API, not a peer implementation |
//!
//! **One iteration.** *Seal*: seals the cell's buffer in place (repeatedly: the buffer
//! holds the previous iteration's ciphertext, which costs the same to seal as any
//! plaintext); the checksum is the tag's first 8 bytes. *Open*: copies the reference
//! ciphertext and tag into the buffer (the copy is part of every implementation's
//! iteration alike: opening in place destroys the input) and opens it in place. AEAD
//! contexts (expanded keys, libsodium's AES-GCM `beforenm` state, BoringSSL's
//! `EVP_AEAD_CTX`) are made once, outside the timing. Fixed key, nonce and a 13-byte AAD
//! (a TLS record header). HMAC cells key a fresh MAC per message (the one-shot `HMAC()`
//! of the C libraries), ring and aws-lc-rs included (`hmac::Key::new` then `sign`).
//! X25519 `dh` is a static secret with a fixed peer key; `public-key` derives the public
//! key of a fixed secret (for arsenal: `X25519Secret::from_bytes`, which computes it);
//! ring has no static X25519 secret, so its row is `ephemeral-dh`: a fresh
//! `EphemeralPrivateKey::generate` and `agree_ephemeral` per iteration (aws-lc-rs is
//! timed both ways). ML-KEM keygen derives the key pair from a fixed 64-byte seed `d‖z`
//! and outputs the encoded encapsulation key; encapsulation draws fresh randomness from
//! the library's RNG (`peer:ml-kem`: the OS through `getrandom`; `peer:libcrux-ml-kem`
//! takes 32 bytes from the caller: a counter, so it does no RNG work); decapsulation
//! opens a fixed ciphertext. ML-DSA signing is hedged (randomised) in the C libraries;
//! `peer:ml-dsa` signs in FIPS 204's deterministic variant (the same work minus 32 random
//! bytes). aws-lc-rs's `kem` API cannot derive a key from a seed (no keygen row); its
//! decapsulation key is the FIPS 203 encoding of the same key (from liboqs). `raw:aws-lc`
//! reaches ML-KEM and ML-DSA through `EVP_PKEY` (the only API AWS-LC exports for them):
//! KEM contexts are made once; each ML-DSA signature or verification makes its
//! `EVP_MD_CTX` (`DigestSignInit` + `DigestSign`, the one-shot EVP sequence).
//!
//! **Verification** (outside the timing, before any cell is timed): every AEAD seal's
//! ciphertext and tag equal RustCrypto's (`aes-gcm`, `chacha20poly1305`) for the same
//! key, nonce, AAD and plaintext; every open returns the plaintext and rejects a flipped
//! tag. Digests, MACs, HKDF output, X25519 results and Ed25519 signatures (Ed25519 is
//! deterministic) equal the reference crates' (`sha2`, `sha3`, `blake2`, `blake3`,
//! `hmac`, `x25519-dalek`, `ed25519-dalek`), HKDF also RFC 5869's published OKM; verifiers
//! accept the good signature and reject a flipped one. ML-KEM keygen's encapsulation key
//! equals `ml-kem`'s from the same seed; an encapsulation's ciphertext decapsulates (with
//! `ml-kem`) to the secret the cell returned; decapsulation gives `ml-kem`'s secret. An
//! ML-DSA signature is verified by a different implementation (`ml-dsa`; `ml-dsa`'s own by
//! BoringSSL). Argon2id outputs equal `argon2`'s.
//!
//! **Memory rows** (after the timing runs, [`memory_rows`]): `crypto/memory/aes-256-gcm-key/<impl>`,
//! the bytes one AES-256-GCM key object holds (its `size_of` plus the heap bytes in use it
//! holds, glibc `mallinfo2`, [`KEYS`] alive together).
//!
//! **Run-time dispatch.** BoringSSL, AWS-LC (so ring and aws-lc-rs too), libsodium,
//! liboqs and BLAKE3 choose their assembly from CPUID at run time; so do RustCrypto's AES,
//! GHASH/POLYVAL, SHA-2 and dalek. `-C target-cpu=native` (the `native` profile)
//! therefore changes only the Rust peers' compile-time paths (e.g. RustCrypto's
//! ChaCha20, Keccak, ML-KEM/ML-DSA arithmetic).

use std::hint::black_box;
use std::path::Path;
use std::ptr;
use std::rc::Rc;
use std::sync::OnceLock;

use arsenal_crypto::alg;
use arsenal_crypto::{AwsLc, Blake3C, BoringSsl, Liboqs, Libsodium};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_per_value;
use crate::harness::{Case, Registry};
use crate::machine::Machine;
use crate::report::MemoryRow;
use crate::strategy::pick;

const NAME: &str = "crypto";

/// The cryptography domain.
///
/// ```
/// let mut registry = arsenal_bench::harness::Registry::new();
/// (arsenal_bench::crypto::DOMAIN.register)(&mut registry, None);
/// assert!(registry.ids().contains(&"crypto/aes-256-gcm-seal/16KiB/raw:boringssl".to_owned()));
/// ```
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Cryptography",
    register,
    note,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-crypto",
        pick: pick::<arsenal_crypto::Backend>,
    }),
    ..Domain::EMPTY
};

/// The 32-byte key of every keyed row (AES-128 takes its first 16 bytes).
const KEY: [u8; 32] = pattern::<32>(0x11);
/// The nonce (XChaCha20 takes 24 bytes, the others the first 12).
const NONCE: [u8; 24] = pattern::<24>(0x42);
/// The AAD: 13 bytes, a TLS 1.2 record's sequence number, type, version and length.
const AAD: [u8; 13] = pattern::<13>(0x77);
/// The X25519 secrets (ours and the fixed peer's) and the Ed25519 / ML-DSA seeds.
const X25519_SECRET: [u8; 32] = pattern::<32>(0x21);
const X25519_PEER_SECRET: [u8; 32] = pattern::<32>(0x35);
const ED25519_SEED: [u8; 32] = pattern::<32>(0x49);
const MLDSA_SEED: [u8; 32] = pattern::<32>(0x5d);
/// The ML-KEM key-generation seed `d‖z`, and the message of the reference encapsulation.
const MLKEM_SEED: [u8; 64] = pattern::<64>(0x63);
const MLKEM_M: [u8; 32] = pattern::<32>(0x71);

const fn pattern<const N: usize>(salt: u8) -> [u8; N] {
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (i as u8).wrapping_mul(29).wrapping_add(salt) ^ (i as u8 >> 3);
        i += 1;
    }
    out
}

/// `len` bytes of deterministic, non-repeating data.
fn buffer(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(0x9E37) ^ (i >> 7) ^ (i >> 15)) as u8)
        .collect()
}

/// The first 8 bytes as a little-endian word (the checksum of byte outputs).
fn first8(bytes: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = bytes.len().min(8);
    b[..n].copy_from_slice(&bytes[..n]);
    u64::from_le_bytes(b)
}

fn compare(what: &str, got: &[u8], want: &[u8]) -> Result<(), String> {
    if got.len() != want.len() {
        return Err(format!(
            "{what}: {} bytes, the reference has {}",
            got.len(),
            want.len()
        ));
    }
    match got.iter().zip(want).position(|(a, b)| a != b) {
        Some(i) => Err(format!("{what}: byte {i} differs from the reference")),
        None => Ok(()),
    }
}

/// libsodium's initialisation (idempotent, thread-safe); `false` when it failed.
fn sodium() -> bool {
    static INIT: OnceLock<bool> = OnceLock::new();
    // SAFETY: sodium_init may be called any number of times, from any thread.
    *INIT.get_or_init(|| unsafe { libsodium_sys::sodium_init() } >= 0)
}

/// liboqs's initialisation.
fn oqs() {
    static INIT: OnceLock<()> = OnceLock::new();
    // SAFETY: OQS_init only sets up CPU-feature detection; called once here.
    INIT.get_or_init(|| unsafe { oqs_sys::common::OQS_init() });
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    aead_rows(reg);
    hash_rows(reg);
    hmac_rows(reg);
    hkdf_rows(reg);
    x25519_rows(reg);
    ed25519_rows(reg);
    mlkem_rows(reg);
    mldsa_rows(reg);
    argon2_rows(reg);
}

// ---- AEAD -------------------------------------------------------------------------

/// The AEAD datasets: (message bytes, name).
const AEAD_SIZES: [(usize, &str); 4] = [
    (16, "16B"),
    (1 << 10, "1KiB"),
    (16 << 10, "16KiB"),
    (1 << 20, "1MiB"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cipher {
    Aes128Gcm,
    Aes256Gcm,
    ChaCha20Poly1305,
    XChaCha20Poly1305,
}

impl Cipher {
    const ALL: [Cipher; 4] = [
        Cipher::Aes128Gcm,
        Cipher::Aes256Gcm,
        Cipher::ChaCha20Poly1305,
        Cipher::XChaCha20Poly1305,
    ];

    fn name(self) -> &'static str {
        match self {
            Cipher::Aes128Gcm => "aes-128-gcm",
            Cipher::Aes256Gcm => "aes-256-gcm",
            Cipher::ChaCha20Poly1305 => "chacha20-poly1305",
            Cipher::XChaCha20Poly1305 => "xchacha20-poly1305",
        }
    }

    fn key(self) -> &'static [u8] {
        match self {
            Cipher::Aes128Gcm => &KEY[..16],
            _ => &KEY,
        }
    }

    fn nonce(self) -> &'static [u8] {
        match self {
            Cipher::XChaCha20Poly1305 => &NONCE,
            _ => &NONCE[..12],
        }
    }
}

/// A reference message of one AEAD row: plaintext, RustCrypto's ciphertext and tag.
struct Sealed {
    cipher: Cipher,
    dataset: &'static str,
    pt: Vec<u8>,
    ct: Vec<u8>,
    tag: [u8; 16],
}

/// RustCrypto's seal of `data` in place (the reference, and the `peer:rustcrypto` cells).
fn rc_seal<A: aes_gcm::aead::AeadInOut>(a: &A, nonce: &[u8], data: &mut [u8]) -> Option<[u8; 16]> {
    let nonce = aes_gcm::aead::Nonce::<A>::try_from(nonce).ok()?;
    let tag = a.encrypt_inout_detached(&nonce, &AAD, data.into()).ok()?;
    tag.as_slice().try_into().ok()
}

/// RustCrypto's open of `data` (ciphertext ‖ tag) in place.
fn rc_open<A: aes_gcm::aead::AeadInOut>(a: &A, nonce: &[u8], data: &mut [u8]) -> bool {
    let Ok(nonce) = aes_gcm::aead::Nonce::<A>::try_from(nonce) else {
        return false;
    };
    let (data, tag) = data.split_at_mut(data.len() - 16);
    let Ok(tag) = aes_gcm::aead::Tag::<A>::try_from(&*tag) else {
        return false;
    };
    a.decrypt_inout_detached(&nonce, &AAD, data.into(), &tag)
        .is_ok()
}

fn reference_seal(cipher: Cipher, data: &mut [u8]) -> Option<[u8; 16]> {
    use aes_gcm::aead::KeyInit;
    let (key, nonce) = (cipher.key(), cipher.nonce());
    match cipher {
        Cipher::Aes128Gcm => rc_seal(&aes_gcm::Aes128Gcm::new_from_slice(key).ok()?, nonce, data),
        Cipher::Aes256Gcm => rc_seal(&aes_gcm::Aes256Gcm::new_from_slice(key).ok()?, nonce, data),
        Cipher::ChaCha20Poly1305 => rc_seal(
            &chacha20poly1305::ChaCha20Poly1305::new_from_slice(key).ok()?,
            nonce,
            data,
        ),
        Cipher::XChaCha20Poly1305 => rc_seal(
            &chacha20poly1305::XChaCha20Poly1305::new_from_slice(key).ok()?,
            nonce,
            data,
        ),
    }
}

fn sealed(cipher: Cipher, size: usize, dataset: &'static str) -> Rc<Sealed> {
    let pt = buffer(size);
    let mut ct = pt.clone();
    let tag = reference_seal(cipher, &mut ct).expect("RustCrypto seals the reference message");
    Rc::new(Sealed {
        cipher,
        dataset,
        pt,
        ct,
        tag,
    })
}

/// A seal cell: `seal` seals its argument in place and returns the tag.
fn seal_cell<F>(reg: &mut Registry, r: &Rc<Sealed>, imp: &str, seal: F)
where
    F: Fn(&mut [u8]) -> Option<[u8; 16]> + 'static,
{
    let seal = Rc::new(seal);
    let check = Rc::clone(&seal);
    let mut buf = r.pt.clone();
    let want = Rc::clone(r);
    let op = format!("{}-seal", r.cipher.name());
    reg.add(
        Case::new(NAME, op, r.dataset, imp, r.pt.len() as u64, 1, move || {
            seal(&mut buf).map_or(0, |tag| first8(&tag))
        })
        .verify(move || {
            let mut data = want.pt.clone();
            let tag = check(&mut data).ok_or("seal failed")?;
            compare("ciphertext", &data, &want.ct)?;
            compare("tag", &tag, &want.tag)
        }),
    );
}

/// An open cell: `open` opens its argument (ciphertext ‖ tag) in place, leaving the
/// plaintext in front, and says whether the tag verified.
fn open_cell<F>(reg: &mut Registry, r: &Rc<Sealed>, imp: &str, open: F)
where
    F: Fn(&mut [u8]) -> bool + 'static,
{
    let open = Rc::new(open);
    let check = Rc::clone(&open);
    let mut input = r.ct.clone();
    input.extend_from_slice(&r.tag);
    let input: Rc<[u8]> = Rc::from(input);
    let mut buf = input.to_vec();
    let want = Rc::clone(r);
    let len = r.pt.len();
    let timed = Rc::clone(&input);
    let op = format!("{}-open", r.cipher.name());
    reg.add(
        Case::new(NAME, op, r.dataset, imp, len as u64, 1, move || {
            buf.copy_from_slice(&timed);
            if open(&mut buf) {
                first8(&buf[..len])
            } else {
                0
            }
        })
        .expect(first8(&r.pt))
        .verify(move || {
            let mut data = input.to_vec();
            if !check(&mut data) {
                return Err("the reference ciphertext did not open".to_owned());
            }
            compare("plaintext", &data[..len], &want.pt)?;
            let mut forged = input.to_vec();
            let last = forged.len() - 1;
            forged[last] ^= 1;
            if check(&mut forged) {
                return Err("a flipped tag was accepted".to_owned());
            }
            Ok(())
        }),
    );
}

/// `ossl_family!(module, sys crate)`: the raw calls shared by BoringSSL and AWS-LC (the
/// same C API: `EVP_AEAD_CTX`, `SHA*()`, `HMAC()`, `HKDF()`, `X25519`, `ED25519_*`).
macro_rules! ossl_family {
    ($module:ident, $sys:ident) => {
        mod $module {
            use super::{Cipher, AAD};
            use std::ptr;

            /// An `EVP_AEAD_CTX` set up once with the cipher's key; cleaned up on drop.
            pub struct AeadCtx(Box<$sys::EVP_AEAD_CTX>);

            impl AeadCtx {
                pub fn new(cipher: Cipher) -> Option<Self> {
                    // SAFETY: the EVP_aead_* functions return pointers to static descriptors.
                    let aead = unsafe {
                        match cipher {
                            Cipher::Aes128Gcm => $sys::EVP_aead_aes_128_gcm(),
                            Cipher::Aes256Gcm => $sys::EVP_aead_aes_256_gcm(),
                            Cipher::ChaCha20Poly1305 => $sys::EVP_aead_chacha20_poly1305(),
                            Cipher::XChaCha20Poly1305 => $sys::EVP_aead_xchacha20_poly1305(),
                        }
                    };
                    // SAFETY: EVP_AEAD_CTX is a plain C struct; all-zero is the state
                    // EVP_AEAD_CTX_zero leaves it in.
                    let mut ctx: Box<$sys::EVP_AEAD_CTX> = Box::new(unsafe { std::mem::zeroed() });
                    let key = cipher.key();
                    // SAFETY: `ctx` is a live, zeroed context; `key` is `key.len()` live
                    // bytes; a 16-byte tag; no engine.
                    let ok = unsafe {
                        $sys::EVP_AEAD_CTX_init(
                            &mut *ctx,
                            aead,
                            key.as_ptr(),
                            key.len(),
                            16,
                            ptr::null_mut(),
                        )
                    };
                    (ok == 1).then_some(AeadCtx(ctx))
                }

                #[inline]
                pub fn seal(&self, nonce: &[u8], data: &mut [u8]) -> Option<[u8; 16]> {
                    let mut tag = [0u8; 16];
                    let mut tag_len = 0usize;
                    let p = data.as_mut_ptr();
                    // SAFETY: the context is initialised; sealing in place (out == in) is
                    // allowed; every pointer is live for the length passed with it.
                    let ok = unsafe {
                        $sys::EVP_AEAD_CTX_seal_scatter(
                            &*self.0,
                            p,
                            tag.as_mut_ptr(),
                            &mut tag_len,
                            tag.len(),
                            nonce.as_ptr(),
                            nonce.len(),
                            p,
                            data.len(),
                            ptr::null(),
                            0,
                            AAD.as_ptr(),
                            AAD.len(),
                        )
                    };
                    (ok == 1 && tag_len == 16).then_some(tag)
                }

                /// Opens `data` (ciphertext ‖ 16-byte tag) in place.
                #[inline]
                pub fn open(&self, nonce: &[u8], data: &mut [u8]) -> bool {
                    let (data, tag) = data.split_at_mut(data.len() - 16);
                    let p = data.as_mut_ptr();
                    // SAFETY: the context is initialised; opening in place is allowed;
                    // every pointer is live for the length passed with it.
                    unsafe {
                        $sys::EVP_AEAD_CTX_open_gather(
                            &*self.0,
                            p,
                            nonce.as_ptr(),
                            nonce.len(),
                            p,
                            data.len(),
                            tag.as_ptr(),
                            tag.len(),
                            AAD.as_ptr(),
                            AAD.len(),
                        ) == 1
                    }
                }
            }

            impl Drop for AeadCtx {
                fn drop(&mut self) {
                    // SAFETY: the context was initialised by EVP_AEAD_CTX_init; cleaned once.
                    unsafe { $sys::EVP_AEAD_CTX_cleanup(&mut *self.0) };
                }
            }

            /// One-shot SHA-2 (`bits` 256, 384 or 512) into `out` (the digest's length).
            #[inline]
            pub fn sha(bits: u32, data: &[u8], out: &mut [u8]) -> bool {
                // SAFETY: `data` is live for its length; `out` holds the digest (the
                // caller sizes it: 32, 48 or 64 bytes, checked here).
                unsafe {
                    match (bits, out.len()) {
                        (256, 32) => {
                            !$sys::SHA256(data.as_ptr(), data.len(), out.as_mut_ptr()).is_null()
                        }
                        (384, 48) => {
                            !$sys::SHA384(data.as_ptr(), data.len(), out.as_mut_ptr()).is_null()
                        }
                        (512, 64) => {
                            !$sys::SHA512(data.as_ptr(), data.len(), out.as_mut_ptr()).is_null()
                        }
                        _ => false,
                    }
                }
            }

            fn md(bits: u32) -> *const $sys::EVP_MD {
                // SAFETY: the EVP_sha* functions return pointers to static descriptors.
                unsafe {
                    match bits {
                        256 => $sys::EVP_sha256(),
                        384 => $sys::EVP_sha384(),
                        _ => $sys::EVP_sha512(),
                    }
                }
            }

            /// One-shot `HMAC()` over SHA-`bits` into `out` (the digest's length).
            #[inline]
            pub fn hmac(bits: u32, key: &[u8], data: &[u8], out: &mut [u8]) -> bool {
                if out.len() < 64 && out.len() != (bits / 8) as usize {
                    return false;
                }
                let mut len = 0;
                // SAFETY: key and data are live for their lengths; `out` holds the MAC
                // (checked above: the digest length).
                let p = unsafe {
                    $sys::HMAC(
                        md(bits),
                        key.as_ptr().cast(),
                        key.len(),
                        data.as_ptr(),
                        data.len(),
                        out.as_mut_ptr(),
                        &mut len,
                    )
                };
                !p.is_null() && len as usize == out.len()
            }

            /// `HKDF()` with SHA-256.
            #[inline]
            pub fn hkdf_sha256(salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> bool {
                // SAFETY: every pointer is live for the length passed with it.
                unsafe {
                    $sys::HKDF(
                        out.as_mut_ptr(),
                        out.len(),
                        md(256),
                        ikm.as_ptr(),
                        ikm.len(),
                        salt.as_ptr(),
                        salt.len(),
                        info.as_ptr(),
                        info.len(),
                    ) == 1
                }
            }

            #[inline]
            pub fn x25519(secret: &[u8; 32], peer: &[u8; 32]) -> Option<[u8; 32]> {
                let mut out = [0u8; 32];
                // SAFETY: three 32-byte buffers, as X25519 takes.
                let ok = unsafe { $sys::X25519(out.as_mut_ptr(), secret.as_ptr(), peer.as_ptr()) };
                (ok == 1).then_some(out)
            }

            #[inline]
            pub fn x25519_public(secret: &[u8; 32]) -> [u8; 32] {
                let mut out = [0u8; 32];
                // SAFETY: two 32-byte buffers.
                unsafe { $sys::X25519_public_from_private(out.as_mut_ptr(), secret.as_ptr()) };
                out
            }

            /// The (public key, 64-byte private key) of an Ed25519 seed.
            pub fn ed25519_keypair(seed: &[u8; 32]) -> ([u8; 32], [u8; 64]) {
                let (mut public, mut private) = ([0u8; 32], [0u8; 64]);
                // SAFETY: 32-, 64- and 32-byte buffers, as the function takes.
                unsafe {
                    $sys::ED25519_keypair_from_seed(
                        public.as_mut_ptr(),
                        private.as_mut_ptr(),
                        seed.as_ptr(),
                    )
                };
                (public, private)
            }

            #[inline]
            pub fn ed25519_sign(private: &[u8; 64], msg: &[u8]) -> Option<[u8; 64]> {
                let mut sig = [0u8; 64];
                // SAFETY: a 64-byte output and key; `msg` live for its length.
                let ok = unsafe {
                    $sys::ED25519_sign(sig.as_mut_ptr(), msg.as_ptr(), msg.len(), private.as_ptr())
                };
                (ok == 1).then_some(sig)
            }

            #[inline]
            pub fn ed25519_verify(public: &[u8; 32], msg: &[u8], sig: &[u8; 64]) -> bool {
                // SAFETY: `msg` live for its length; 64-byte signature, 32-byte key.
                unsafe {
                    $sys::ED25519_verify(msg.as_ptr(), msg.len(), sig.as_ptr(), public.as_ptr())
                        == 1
                }
            }
        }
    };
}

ossl_family!(boring, boring_sys);
ossl_family!(awslc, aws_lc_sys);

/// libsodium's AEADs called directly.
mod sodium_aead {
    use super::{Cipher, AAD};
    use libsodium_sys as s;
    use std::ptr;

    /// libsodium's AES-256-GCM precomputed state (`crypto_aead_aes256gcm_beforenm`).
    pub struct AesState(Box<s::crypto_aead_aes256gcm_state>);

    impl AesState {
        pub fn new() -> Option<Self> {
            if !super::sodium() {
                return None;
            }
            // SAFETY: plain C state, written by beforenm below.
            let mut st: Box<s::crypto_aead_aes256gcm_state> =
                Box::new(unsafe { std::mem::zeroed() });
            // SAFETY: a live state and a 32-byte key.
            let ok = unsafe { s::crypto_aead_aes256gcm_beforenm(&mut *st, super::KEY.as_ptr()) };
            (ok == 0).then_some(AesState(st))
        }
    }

    /// Whether libsodium's AES-256-GCM runs on this CPU (AES-NI and PCLMUL).
    pub fn aes_available() -> bool {
        // SAFETY: a pure query, after sodium_init.
        super::sodium() && unsafe { s::crypto_aead_aes256gcm_is_available() } == 1
    }

    #[inline]
    pub fn seal(cipher: Cipher, aes: Option<&AesState>, data: &mut [u8]) -> Option<[u8; 16]> {
        let mut tag = [0u8; 16];
        let mut tag_len = 0;
        let p = data.as_mut_ptr();
        let (m, n) = (p as *const u8, data.len() as u64);
        let nonce = cipher.nonce().as_ptr();
        let key = super::KEY.as_ptr();
        // SAFETY: in-place operation is allowed (c == m); every pointer is live for the
        // length passed with it; the key is 32 bytes, the nonce the cipher's length.
        let rc = unsafe {
            match (cipher, aes) {
                (Cipher::ChaCha20Poly1305, _) => {
                    s::crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                        p,
                        tag.as_mut_ptr(),
                        &mut tag_len,
                        m,
                        n,
                        AAD.as_ptr(),
                        AAD.len() as u64,
                        ptr::null(),
                        nonce,
                        key,
                    )
                }
                (Cipher::XChaCha20Poly1305, _) => {
                    s::crypto_aead_xchacha20poly1305_ietf_encrypt_detached(
                        p,
                        tag.as_mut_ptr(),
                        &mut tag_len,
                        m,
                        n,
                        AAD.as_ptr(),
                        AAD.len() as u64,
                        ptr::null(),
                        nonce,
                        key,
                    )
                }
                (Cipher::Aes256Gcm, Some(st)) => s::crypto_aead_aes256gcm_encrypt_detached_afternm(
                    p,
                    tag.as_mut_ptr(),
                    &mut tag_len,
                    m,
                    n,
                    AAD.as_ptr(),
                    AAD.len() as u64,
                    ptr::null(),
                    nonce,
                    &*st.0,
                ),
                _ => -1,
            }
        };
        (rc == 0 && tag_len == 16).then_some(tag)
    }

    /// Opens `data` (ciphertext ‖ tag) in place.
    #[inline]
    pub fn open(cipher: Cipher, aes: Option<&AesState>, data: &mut [u8]) -> bool {
        let (data, tag) = data.split_at_mut(data.len() - 16);
        let p = data.as_mut_ptr();
        let (c, n) = (p as *const u8, data.len() as u64);
        let nonce = cipher.nonce().as_ptr();
        let key = super::KEY.as_ptr();
        // SAFETY: in-place operation is allowed (m == c); every pointer is live for the
        // length passed with it.
        let rc = unsafe {
            match (cipher, aes) {
                (Cipher::ChaCha20Poly1305, _) => {
                    s::crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                        p,
                        ptr::null_mut(),
                        c,
                        n,
                        tag.as_ptr(),
                        AAD.as_ptr(),
                        AAD.len() as u64,
                        nonce,
                        key,
                    )
                }
                (Cipher::XChaCha20Poly1305, _) => {
                    s::crypto_aead_xchacha20poly1305_ietf_decrypt_detached(
                        p,
                        ptr::null_mut(),
                        c,
                        n,
                        tag.as_ptr(),
                        AAD.as_ptr(),
                        AAD.len() as u64,
                        nonce,
                        key,
                    )
                }
                (Cipher::Aes256Gcm, Some(st)) => s::crypto_aead_aes256gcm_decrypt_detached_afternm(
                    p,
                    ptr::null_mut(),
                    c,
                    n,
                    tag.as_ptr(),
                    AAD.as_ptr(),
                    AAD.len() as u64,
                    nonce,
                    &*st.0,
                ),
                _ => -1,
            }
        };
        rc == 0
    }
}

fn ring_alg(cipher: Cipher) -> Option<&'static ring::aead::Algorithm> {
    match cipher {
        Cipher::Aes128Gcm => Some(&ring::aead::AES_128_GCM),
        Cipher::Aes256Gcm => Some(&ring::aead::AES_256_GCM),
        Cipher::ChaCha20Poly1305 => Some(&ring::aead::CHACHA20_POLY1305),
        Cipher::XChaCha20Poly1305 => None,
    }
}

fn awslc_rs_alg(cipher: Cipher) -> Option<&'static aws_lc_rs::aead::Algorithm> {
    match cipher {
        Cipher::Aes128Gcm => Some(&aws_lc_rs::aead::AES_128_GCM),
        Cipher::Aes256Gcm => Some(&aws_lc_rs::aead::AES_256_GCM),
        Cipher::ChaCha20Poly1305 => Some(&aws_lc_rs::aead::CHACHA20_POLY1305),
        Cipher::XChaCha20Poly1305 => None,
    }
}

fn ring_key(cipher: Cipher) -> Option<ring::aead::LessSafeKey> {
    let key = ring::aead::UnboundKey::new(ring_alg(cipher)?, cipher.key()).ok()?;
    Some(ring::aead::LessSafeKey::new(key))
}

fn awslc_rs_key(cipher: Cipher) -> Option<aws_lc_rs::aead::LessSafeKey> {
    let key = aws_lc_rs::aead::UnboundKey::new(awslc_rs_alg(cipher)?, cipher.key()).ok()?;
    Some(aws_lc_rs::aead::LessSafeKey::new(key))
}

fn nonce12(cipher: Cipher) -> [u8; 12] {
    cipher.nonce()[..12].try_into().unwrap_or_default()
}

/// The arsenal cells of one cipher for provider `P`.
fn arsenal_aead<P, A>(reg: &mut Registry, r: &Rc<Sealed>, imp: &str)
where
    P: arsenal_crypto::provider::AeadProvider<A>,
    A: alg::AeadAlgorithm,
{
    let cipher = r.cipher;
    let (Ok(seal), Ok(open)) = (
        arsenal_crypto::Aead::<P, A>::new_from_slice(cipher.key()),
        arsenal_crypto::Aead::<P, A>::new_from_slice(cipher.key()),
    ) else {
        let why = "arsenal-crypto rejected the key";
        reg.add(Case::failed(
            NAME,
            format!("{}-seal", cipher.name()),
            r.dataset,
            imp,
            why,
        ));
        reg.add(Case::failed(
            NAME,
            format!("{}-open", cipher.name()),
            r.dataset,
            imp,
            why,
        ));
        return;
    };
    let nonce = cipher.nonce();
    seal_cell(reg, r, imp, move |d| {
        seal.seal_in_place_detached(nonce, &AAD, d).ok()
    });
    open_cell(reg, r, imp, move |d| {
        let (data, tag) = d.split_at_mut(d.len() - 16);
        let tag: &[u8; 16] = (&*tag).try_into().expect("16-byte tag");
        open.open_in_place_detached(nonce, &AAD, data, tag).is_ok()
    });
}

fn aead_rows(reg: &mut Registry) {
    for cipher in Cipher::ALL {
        for (size, dataset) in AEAD_SIZES {
            let r = sealed(cipher, size, dataset);
            aead_cells(reg, &r);
        }
    }
}

fn aead_cells(reg: &mut Registry, r: &Rc<Sealed>) {
    use aes_gcm::aead::KeyInit;
    let cipher = r.cipher;
    let nonce = cipher.nonce();
    let seal_op = format!("{}-seal", cipher.name());
    let open_op = format!("{}-open", cipher.name());
    let unsupported = |reg: &mut Registry, imp: &str, why: &str| {
        reg.add(Case::unsupported(NAME, &seal_op, r.dataset, imp, why));
        reg.add(Case::unsupported(NAME, &open_op, r.dataset, imp, why));
    };

    // arsenal and raw: BoringSSL, AWS-LC
    match cipher {
        Cipher::Aes128Gcm => arsenal_aead::<BoringSsl, alg::Aes128Gcm>(reg, r, "arsenal:boringssl"),
        Cipher::Aes256Gcm => arsenal_aead::<BoringSsl, alg::Aes256Gcm>(reg, r, "arsenal:boringssl"),
        Cipher::ChaCha20Poly1305 => {
            arsenal_aead::<BoringSsl, alg::ChaCha20Poly1305>(reg, r, "arsenal:boringssl")
        }
        Cipher::XChaCha20Poly1305 => {
            arsenal_aead::<BoringSsl, alg::XChaCha20Poly1305>(reg, r, "arsenal:boringssl")
        }
    }
    match (boring::AeadCtx::new(cipher), boring::AeadCtx::new(cipher)) {
        (Some(s), Some(o)) => {
            seal_cell(reg, r, "raw:boringssl", move |d| s.seal(nonce, d));
            open_cell(reg, r, "raw:boringssl", move |d| o.open(nonce, d));
        }
        _ => unsupported(reg, "raw:boringssl", "EVP_AEAD_CTX_init failed"),
    }
    match cipher {
        Cipher::Aes128Gcm => arsenal_aead::<AwsLc, alg::Aes128Gcm>(reg, r, "arsenal:aws-lc"),
        Cipher::Aes256Gcm => arsenal_aead::<AwsLc, alg::Aes256Gcm>(reg, r, "arsenal:aws-lc"),
        Cipher::ChaCha20Poly1305 => {
            arsenal_aead::<AwsLc, alg::ChaCha20Poly1305>(reg, r, "arsenal:aws-lc")
        }
        Cipher::XChaCha20Poly1305 => {
            arsenal_aead::<AwsLc, alg::XChaCha20Poly1305>(reg, r, "arsenal:aws-lc")
        }
    }
    match (awslc::AeadCtx::new(cipher), awslc::AeadCtx::new(cipher)) {
        (Some(s), Some(o)) => {
            seal_cell(reg, r, "raw:aws-lc", move |d| s.seal(nonce, d));
            open_cell(reg, r, "raw:aws-lc", move |d| o.open(nonce, d));
        }
        _ => unsupported(reg, "raw:aws-lc", "EVP_AEAD_CTX_init failed"),
    }

    // libsodium: (X)ChaCha20-Poly1305, and AES-256-GCM where the CPU has AES-NI + PCLMUL.
    match cipher {
        Cipher::Aes128Gcm => unsupported(reg, "arsenal:libsodium", "libsodium has no AES-128-GCM"),
        Cipher::Aes256Gcm => {
            // (libsodium's own CPU check, which its provider makes too; arsenal-crypto's
            // `Backend::supports_aead` was not wired into the crate yet.)
            if sodium_aead::aes_available() {
                arsenal_aead::<Libsodium, alg::Aes256Gcm>(reg, r, "arsenal:libsodium");
            } else {
                unsupported(
                    reg,
                    "arsenal:libsodium",
                    "libsodium's AES-256-GCM needs AES-NI and PCLMUL",
                );
            }
        }
        Cipher::ChaCha20Poly1305 => {
            arsenal_aead::<Libsodium, alg::ChaCha20Poly1305>(reg, r, "arsenal:libsodium")
        }
        Cipher::XChaCha20Poly1305 => {
            arsenal_aead::<Libsodium, alg::XChaCha20Poly1305>(reg, r, "arsenal:libsodium")
        }
    }
    match cipher {
        Cipher::Aes128Gcm => unsupported(reg, "raw:libsodium", "libsodium has no AES-128-GCM"),
        Cipher::Aes256Gcm if !sodium_aead::aes_available() => unsupported(
            reg,
            "raw:libsodium",
            "libsodium's AES-256-GCM needs AES-NI and PCLMUL",
        ),
        Cipher::Aes256Gcm => match (sodium_aead::AesState::new(), sodium_aead::AesState::new()) {
            (Some(s), Some(o)) => {
                seal_cell(reg, r, "raw:libsodium", move |d| {
                    sodium_aead::seal(cipher, Some(&s), d)
                });
                open_cell(reg, r, "raw:libsodium", move |d| {
                    sodium_aead::open(cipher, Some(&o), d)
                });
            }
            _ => unsupported(
                reg,
                "raw:libsodium",
                "crypto_aead_aes256gcm_beforenm failed",
            ),
        },
        _ if !sodium() => unsupported(reg, "raw:libsodium", "sodium_init failed"),
        _ => {
            seal_cell(reg, r, "raw:libsodium", move |d| {
                sodium_aead::seal(cipher, None, d)
            });
            open_cell(reg, r, "raw:libsodium", move |d| {
                sodium_aead::open(cipher, None, d)
            });
        }
    }

    // ring and aws-lc-rs: no XChaCha20-Poly1305.
    match (ring_key(cipher), ring_key(cipher)) {
        (Some(s), Some(o)) => {
            let n = nonce12(cipher);
            seal_cell(reg, r, "peer:ring", move |d| {
                let nonce = ring::aead::Nonce::assume_unique_for_key(n);
                let tag = s
                    .seal_in_place_separate_tag(nonce, ring::aead::Aad::from(AAD), d)
                    .ok()?;
                tag.as_ref().try_into().ok()
            });
            open_cell(reg, r, "peer:ring", move |d| {
                let nonce = ring::aead::Nonce::assume_unique_for_key(n);
                o.open_in_place(nonce, ring::aead::Aad::from(AAD), d)
                    .is_ok()
            });
        }
        _ => unsupported(reg, "peer:ring", "ring has no XChaCha20-Poly1305"),
    }
    match (awslc_rs_key(cipher), awslc_rs_key(cipher)) {
        (Some(s), Some(o)) => {
            let n = nonce12(cipher);
            seal_cell(reg, r, "peer:aws-lc-rs", move |d| {
                let nonce = aws_lc_rs::aead::Nonce::assume_unique_for_key(n);
                let tag = s
                    .seal_in_place_separate_tag(nonce, aws_lc_rs::aead::Aad::from(AAD), d)
                    .ok()?;
                tag.as_ref().try_into().ok()
            });
            open_cell(reg, r, "peer:aws-lc-rs", move |d| {
                let nonce = aws_lc_rs::aead::Nonce::assume_unique_for_key(n);
                o.open_in_place(nonce, aws_lc_rs::aead::Aad::from(AAD), d)
                    .is_ok()
            });
        }
        _ => unsupported(
            reg,
            "peer:aws-lc-rs",
            "aws-lc-rs's aead module has no XChaCha20-Poly1305",
        ),
    }

    // RustCrypto
    let key = cipher.key();
    macro_rules! rustcrypto {
        ($ty:ty) => {
            match (<$ty>::new_from_slice(key), <$ty>::new_from_slice(key)) {
                (Ok(s), Ok(o)) => {
                    seal_cell(reg, r, "peer:rustcrypto", move |d| rc_seal(&s, nonce, d));
                    open_cell(reg, r, "peer:rustcrypto", move |d| rc_open(&o, nonce, d));
                }
                _ => unsupported(reg, "peer:rustcrypto", "the key was rejected"),
            }
        };
    }
    match cipher {
        Cipher::Aes128Gcm => rustcrypto!(aes_gcm::Aes128Gcm),
        Cipher::Aes256Gcm => rustcrypto!(aes_gcm::Aes256Gcm),
        Cipher::ChaCha20Poly1305 => rustcrypto!(chacha20poly1305::ChaCha20Poly1305),
        Cipher::XChaCha20Poly1305 => rustcrypto!(chacha20poly1305::XChaCha20Poly1305),
    }
}

// ---- Hashes -----------------------------------------------------------------------

const HASH_SIZES: [(usize, &str); 4] = [
    (64, "64B"),
    (1 << 10, "1KiB"),
    (16 << 10, "16KiB"),
    (1 << 20, "1MiB"),
];

/// The reference digest of `op` (RustCrypto's `sha2`, `sha3`, `blake2`; the `blake3` crate).
fn reference_digest(op: &str, data: &[u8]) -> Vec<u8> {
    use sha2::Digest;
    match op {
        "sha256" => sha2::Sha256::digest(data).to_vec(),
        "sha384" => sha2::Sha384::digest(data).to_vec(),
        "sha512" => sha2::Sha512::digest(data).to_vec(),
        "blake2b512" => blake2::Blake2b512::digest(data).to_vec(),
        "blake3" => blake3::hash(data).as_bytes().to_vec(),
        "sha3-256" => sha3::Sha3_256::digest(data).to_vec(),
        _ => unreachable!("no reference for {op}"),
    }
}

/// A cell computing a digest or MAC of `input` into an output of the reference's length.
fn digest_cell<F>(
    reg: &mut Registry,
    op: &str,
    dataset: &str,
    input: &Rc<[u8]>,
    want: &Rc<Vec<u8>>,
    imp: &str,
    f: F,
) where
    F: Fn(&[u8], &mut [u8]) -> bool + 'static,
{
    let f = Rc::new(f);
    let check = Rc::clone(&f);
    let n = want.len();
    let (timed, checked) = (Rc::clone(input), Rc::clone(input));
    let want2 = Rc::clone(want);
    let mut out = [0u8; 64];
    reg.add(
        Case::new(NAME, op, dataset, imp, input.len() as u64, 1, move || {
            if f(&timed, &mut out[..n]) {
                first8(&out[..n])
            } else {
                0
            }
        })
        .expect(first8(want))
        .verify(move || {
            let mut out = vec![0u8; n];
            if !check(&checked, &mut out) {
                return Err("the call failed".to_owned());
            }
            compare("output", &out, &want2)
        }),
    );
}

fn arsenal_digest<P, H>(data: &[u8], out: &mut [u8]) -> bool
where
    P: arsenal_crypto::provider::HashProvider<H>,
    H: alg::HashAlgorithm,
{
    arsenal_crypto::Hash::<P, H>::digest_into(data, out).is_ok()
}

fn ring_digest(alg: &'static ring::digest::Algorithm, data: &[u8], out: &mut [u8]) -> bool {
    let d = ring::digest::digest(alg, data);
    out.copy_from_slice(d.as_ref());
    true
}

fn awslc_rs_digest(
    alg: &'static aws_lc_rs::digest::Algorithm,
    data: &[u8],
    out: &mut [u8],
) -> bool {
    let d = aws_lc_rs::digest::digest(alg, data);
    out.copy_from_slice(d.as_ref());
    true
}

fn rustcrypto_digest<D: sha2::Digest>(data: &[u8], out: &mut [u8]) -> bool {
    out.copy_from_slice(&D::digest(data));
    true
}

fn hash_rows(reg: &mut Registry) {
    use libsodium_sys as s;
    for op in [
        "sha256",
        "sha384",
        "sha512",
        "blake2b512",
        "blake3",
        "sha3-256",
    ] {
        for (size, dataset) in HASH_SIZES {
            let input: Rc<[u8]> = Rc::from(buffer(size));
            let want = Rc::new(reference_digest(op, &input));
            // A macro, not a closure taking `fn` pointers: each cell's call is static.
            macro_rules! cell {
                ($imp:expr, $f:expr) => {
                    digest_cell(reg, op, dataset, &input, &want, $imp, $f)
                };
            }
            match op {
                "sha256" => {
                    cell!(
                        "arsenal:boringssl",
                        arsenal_digest::<BoringSsl, alg::Sha256>
                    );
                    cell!("raw:boringssl", |d, o| boring::sha(256, d, o));
                    cell!("arsenal:aws-lc", arsenal_digest::<AwsLc, alg::Sha256>);
                    cell!("raw:aws-lc", |d, o| awslc::sha(256, d, o));
                    cell!(
                        "arsenal:libsodium",
                        arsenal_digest::<Libsodium, alg::Sha256>
                    );
                    cell!("raw:libsodium", |d, o| {
                        // SAFETY: `o` is 32 bytes (the digest), `d` live for its length.
                        sodium()
                            && unsafe {
                                s::crypto_hash_sha256(o.as_mut_ptr(), d.as_ptr(), d.len() as u64)
                            } == 0
                    });
                    cell!("peer:sha2", rustcrypto_digest::<sha2::Sha256>);
                    cell!("peer:ring", |d, o| ring_digest(&ring::digest::SHA256, d, o));
                    cell!("peer:aws-lc-rs", |d, o| {
                        awslc_rs_digest(&aws_lc_rs::digest::SHA256, d, o)
                    });
                }
                "sha384" => {
                    cell!(
                        "arsenal:boringssl",
                        arsenal_digest::<BoringSsl, alg::Sha384>
                    );
                    cell!("raw:boringssl", |d, o| boring::sha(384, d, o));
                    cell!("arsenal:aws-lc", arsenal_digest::<AwsLc, alg::Sha384>);
                    cell!("raw:aws-lc", |d, o| awslc::sha(384, d, o));
                    cell!("peer:sha2", rustcrypto_digest::<sha2::Sha384>);
                    cell!("peer:ring", |d, o| ring_digest(&ring::digest::SHA384, d, o));
                    cell!("peer:aws-lc-rs", |d, o| {
                        awslc_rs_digest(&aws_lc_rs::digest::SHA384, d, o)
                    });
                }
                "sha512" => {
                    cell!(
                        "arsenal:boringssl",
                        arsenal_digest::<BoringSsl, alg::Sha512>
                    );
                    cell!("raw:boringssl", |d, o| boring::sha(512, d, o));
                    cell!("arsenal:aws-lc", arsenal_digest::<AwsLc, alg::Sha512>);
                    cell!("raw:aws-lc", |d, o| awslc::sha(512, d, o));
                    cell!(
                        "arsenal:libsodium",
                        arsenal_digest::<Libsodium, alg::Sha512>
                    );
                    cell!("raw:libsodium", |d, o| {
                        // SAFETY: `o` is 64 bytes (the digest), `d` live for its length.
                        sodium()
                            && unsafe {
                                s::crypto_hash_sha512(o.as_mut_ptr(), d.as_ptr(), d.len() as u64)
                            } == 0
                    });
                    cell!("peer:sha2", rustcrypto_digest::<sha2::Sha512>);
                    cell!("peer:ring", |d, o| ring_digest(&ring::digest::SHA512, d, o));
                    cell!("peer:aws-lc-rs", |d, o| {
                        awslc_rs_digest(&aws_lc_rs::digest::SHA512, d, o)
                    });
                }
                "blake2b512" => {
                    cell!(
                        "arsenal:libsodium",
                        arsenal_digest::<Libsodium, alg::Blake2b512>
                    );
                    cell!("raw:libsodium", |d, o| {
                        // SAFETY: `o` is live for its length (64, within generichash's
                        // limits), `d` for its length; no key.
                        sodium()
                            && unsafe {
                                s::crypto_generichash(
                                    o.as_mut_ptr(),
                                    o.len(),
                                    d.as_ptr(),
                                    d.len() as u64,
                                    ptr::null(),
                                    0,
                                )
                            } == 0
                    });
                    cell!("peer:blake2", rustcrypto_digest::<blake2::Blake2b512>);
                }
                "blake3" => {
                    cell!("arsenal:blake3", arsenal_digest::<Blake3C, alg::Blake3>);
                    cell!("raw:blake3", |d, o| {
                        o.copy_from_slice(blake3::hash(d).as_bytes());
                        true
                    });
                }
                _ => {
                    cell!("peer:sha3", rustcrypto_digest::<sha3::Sha3_256>);
                    cell!("peer:aws-lc-rs", |d, o| {
                        awslc_rs_digest(&aws_lc_rs::digest::SHA3_256, d, o)
                    });
                }
            }
        }
    }
}

// ---- HMAC -------------------------------------------------------------------------

const HMAC_SIZES: [(usize, &str); 3] = [(64, "64B"), (1 << 10, "1KiB"), (16 << 10, "16KiB")];

fn arsenal_hmac<P, H>(data: &[u8], out: &mut [u8]) -> bool
where
    P: arsenal_crypto::provider::HmacProvider<H>,
    H: alg::HashAlgorithm,
{
    arsenal_crypto::Hmac::<P, H>::mac_into(&KEY, data, out).is_ok()
}

fn hmac_rows(reg: &mut Registry) {
    use hmac::digest::{KeyInit, Mac};
    use libsodium_sys as s;
    for (bits, op) in [(256u32, "hmac-sha256"), (512, "hmac-sha512")] {
        for (size, dataset) in HMAC_SIZES {
            let input: Rc<[u8]> = Rc::from(buffer(size));
            let want = Rc::new(if bits == 256 {
                let mut m = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&KEY)
                    .expect("any key length");
                m.update(&input);
                m.finalize().into_bytes().to_vec()
            } else {
                let mut m = <hmac::Hmac<sha2::Sha512> as KeyInit>::new_from_slice(&KEY)
                    .expect("any key length");
                m.update(&input);
                m.finalize().into_bytes().to_vec()
            });
            // A macro, not a closure taking `fn` pointers: each cell's call is static.
            macro_rules! cell {
                ($imp:expr, $f:expr) => {
                    digest_cell(reg, op, dataset, &input, &want, $imp, $f)
                };
            }
            // One body for both widths: the algorithm marker, libsodium's state and
            // functions, and the peers' algorithm constants differ.
            macro_rules! hmac_cells {
                ($bits:literal, $alg:ident, $state:ident, $init:ident, $update:ident,
                 $final:ident, $ring:ident) => {{
                    cell!("arsenal:boringssl", arsenal_hmac::<BoringSsl, alg::$alg>);
                    cell!("raw:boringssl", |d, o| boring::hmac($bits, &KEY, d, o));
                    cell!("arsenal:aws-lc", arsenal_hmac::<AwsLc, alg::$alg>);
                    cell!("raw:aws-lc", |d, o| awslc::hmac($bits, &KEY, d, o));
                    cell!("arsenal:libsodium", arsenal_hmac::<Libsodium, alg::$alg>);
                    cell!("raw:libsodium", |d, o| {
                        if !sodium() {
                            return false;
                        }
                        // SAFETY: plain C state, initialised by _init before use.
                        let mut st: s::$state = unsafe { std::mem::zeroed() };
                        // SAFETY: a live state; key, data and the output (the digest's
                        // length) live for their lengths.
                        unsafe {
                            s::$init(&mut st, KEY.as_ptr(), KEY.len()) == 0
                                && s::$update(&mut st, d.as_ptr(), d.len() as u64) == 0
                                && s::$final(&mut st, o.as_mut_ptr()) == 0
                        }
                    });
                    cell!("peer:hmac", |d, o| {
                        let Ok(mut m) = <hmac::Hmac<sha2::$alg> as KeyInit>::new_from_slice(&KEY)
                        else {
                            return false;
                        };
                        m.update(d);
                        o.copy_from_slice(&m.finalize().into_bytes());
                        true
                    });
                    cell!("peer:ring", |d, o| {
                        let key = ring::hmac::Key::new(ring::hmac::$ring, &KEY);
                        o.copy_from_slice(ring::hmac::sign(&key, d).as_ref());
                        true
                    });
                    cell!("peer:aws-lc-rs", |d, o| {
                        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::$ring, &KEY);
                        o.copy_from_slice(aws_lc_rs::hmac::sign(&key, d).as_ref());
                        true
                    });
                }};
            }
            if bits == 256 {
                hmac_cells!(
                    256,
                    Sha256,
                    crypto_auth_hmacsha256_state,
                    crypto_auth_hmacsha256_init,
                    crypto_auth_hmacsha256_update,
                    crypto_auth_hmacsha256_final,
                    HMAC_SHA256
                );
            } else {
                hmac_cells!(
                    512,
                    Sha512,
                    crypto_auth_hmacsha512_state,
                    crypto_auth_hmacsha512_init,
                    crypto_auth_hmacsha512_update,
                    crypto_auth_hmacsha512_final,
                    HMAC_SHA512
                );
            }
        }
    }
}

// ---- HKDF -------------------------------------------------------------------------

/// RFC 5869 test case 1: IKM, salt, info and the published 42-byte OKM.
const HKDF_IKM: [u8; 22] = [0x0b; 22];
const HKDF_SALT: [u8; 13] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const HKDF_INFO: [u8; 10] = [0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9];
const HKDF_OKM: [u8; 42] = [
    0x3c, 0xb2, 0x5f, 0x25, 0xfa, 0xac, 0xd5, 0x7a, 0x90, 0x43, 0x4f, 0x64, 0xd0, 0x36, 0x2f, 0x2a,
    0x2d, 0x2d, 0x0a, 0x90, 0xcf, 0x1a, 0x5a, 0x4c, 0x5d, 0xb0, 0x2d, 0x56, 0xec, 0xc4, 0xc5, 0xbf,
    0x34, 0x00, 0x72, 0x08, 0xd5, 0xb8, 0x87, 0x18, 0x58, 0x65,
];

/// An output length for ring's and aws-lc-rs's HKDF.
struct OkmLen(usize);

impl ring::hkdf::KeyType for OkmLen {
    fn len(&self) -> usize {
        self.0
    }
}

impl aws_lc_rs::hkdf::KeyType for OkmLen {
    fn len(&self) -> usize {
        self.0
    }
}

fn arsenal_hkdf<P>(out: &mut [u8]) -> bool
where
    P: arsenal_crypto::provider::HkdfProvider<alg::Sha256>,
{
    arsenal_crypto::hkdf::<P, alg::Sha256>(&HKDF_SALT, &HKDF_IKM, &HKDF_INFO, out).is_ok()
}

fn hkdf_rows(reg: &mut Registry) {
    let mut cell = |imp: &str, f: fn(&mut [u8]) -> bool| {
        let mut out = [0u8; 42];
        reg.add(
            Case::new(NAME, "hkdf-sha256", "42B", imp, 0, 1, move || {
                if f(&mut out) {
                    first8(&out)
                } else {
                    0
                }
            })
            .expect(first8(&HKDF_OKM))
            .verify(move || {
                let mut out = [0u8; 42];
                if !f(&mut out) {
                    return Err("the derivation failed".to_owned());
                }
                compare("OKM", &out, &HKDF_OKM)
            }),
        );
    };
    cell("arsenal:boringssl", arsenal_hkdf::<BoringSsl>);
    cell("raw:boringssl", |o| {
        boring::hkdf_sha256(&HKDF_SALT, &HKDF_IKM, &HKDF_INFO, o)
    });
    cell("arsenal:aws-lc", arsenal_hkdf::<AwsLc>);
    cell("raw:aws-lc", |o| {
        awslc::hkdf_sha256(&HKDF_SALT, &HKDF_IKM, &HKDF_INFO, o)
    });
    cell("arsenal:libsodium", arsenal_hkdf::<Libsodium>);
    cell("raw:libsodium", |o| {
        use libsodium_sys as s;
        if !sodium() {
            return false;
        }
        let mut prk = [0u8; 32];
        // SAFETY: a 32-byte PRK; salt, IKM, info and the output live for their lengths.
        unsafe {
            s::crypto_kdf_hkdf_sha256_extract(
                prk.as_mut_ptr(),
                HKDF_SALT.as_ptr(),
                HKDF_SALT.len(),
                HKDF_IKM.as_ptr(),
                HKDF_IKM.len(),
            ) == 0
                && s::crypto_kdf_hkdf_sha256_expand(
                    o.as_mut_ptr(),
                    o.len(),
                    HKDF_INFO.as_ptr().cast(),
                    HKDF_INFO.len(),
                    prk.as_ptr(),
                ) == 0
        }
    });
    cell("peer:hkdf", |o| {
        hkdf::Hkdf::<sha2::Sha256>::new(Some(&HKDF_SALT), &HKDF_IKM)
            .expand(&HKDF_INFO, o)
            .is_ok()
    });
    cell("peer:ring", |o| {
        let prk = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, &HKDF_SALT).extract(&HKDF_IKM);
        let info = [&HKDF_INFO[..]];
        prk.expand(&info, OkmLen(o.len()))
            .and_then(|okm| okm.fill(o))
            .is_ok()
    });
    cell("peer:aws-lc-rs", |o| {
        let prk =
            aws_lc_rs::hkdf::Salt::new(aws_lc_rs::hkdf::HKDF_SHA256, &HKDF_SALT).extract(&HKDF_IKM);
        let info = [&HKDF_INFO[..]];
        prk.expand(&info, OkmLen(o.len()))
            .and_then(|okm| okm.fill(o))
            .is_ok()
    });
}

// ---- X25519 -----------------------------------------------------------------------

fn dalek_public(secret: &[u8; 32]) -> [u8; 32] {
    x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(*secret)).to_bytes()
}

fn dalek_dh(secret: &[u8; 32], peer: &[u8; 32]) -> [u8; 32] {
    x25519_dalek::StaticSecret::from(*secret)
        .diffie_hellman(&x25519_dalek::PublicKey::from(*peer))
        .to_bytes()
}

/// A cell returning a 32-byte result checked against `want`.
fn fixed32_cell<F>(reg: &mut Registry, op: &str, dataset: &str, imp: &str, want: [u8; 32], f: F)
where
    F: Fn() -> Option<[u8; 32]> + 'static,
{
    let f = Rc::new(f);
    let check = Rc::clone(&f);
    reg.add(
        Case::new(NAME, op, dataset, imp, 0, 1, move || {
            f().map_or(0, |r| first8(&r))
        })
        .expect(first8(&want))
        .verify(move || compare("result", &check().ok_or("the call failed")?, &want)),
    );
}

fn arsenal_x25519<P: arsenal_crypto::provider::X25519Provider>(
    reg: &mut Registry,
    imp: &str,
    peer: [u8; 32],
) {
    let want_dh = dalek_dh(&X25519_SECRET, &peer);
    let want_pk = dalek_public(&X25519_SECRET);
    match arsenal_crypto::X25519Secret::<P>::from_bytes(&X25519_SECRET) {
        Ok(secret) => fixed32_cell(reg, "x25519", "dh", imp, want_dh, move || {
            secret.diffie_hellman(&peer).ok().map(|s| *s)
        }),
        Err(e) => reg.add(Case::failed(NAME, "x25519", "dh", imp, e.to_string())),
    }
    fixed32_cell(reg, "x25519", "public-key", imp, want_pk, || {
        arsenal_crypto::X25519Secret::<P>::from_bytes(black_box(&X25519_SECRET))
            .ok()
            .map(|s| s.public_key())
    });
}

fn x25519_rows(reg: &mut Registry) {
    use libsodium_sys as s;
    let peer = dalek_public(&X25519_PEER_SECRET);
    let want_dh = dalek_dh(&X25519_SECRET, &peer);
    let want_pk = dalek_public(&X25519_SECRET);

    arsenal_x25519::<BoringSsl>(reg, "arsenal:boringssl", peer);
    fixed32_cell(reg, "x25519", "dh", "raw:boringssl", want_dh, move || {
        boring::x25519(&X25519_SECRET, &peer)
    });
    fixed32_cell(
        reg,
        "x25519",
        "public-key",
        "raw:boringssl",
        want_pk,
        || Some(boring::x25519_public(black_box(&X25519_SECRET))),
    );
    arsenal_x25519::<AwsLc>(reg, "arsenal:aws-lc", peer);
    fixed32_cell(reg, "x25519", "dh", "raw:aws-lc", want_dh, move || {
        awslc::x25519(&X25519_SECRET, &peer)
    });
    fixed32_cell(reg, "x25519", "public-key", "raw:aws-lc", want_pk, || {
        Some(awslc::x25519_public(black_box(&X25519_SECRET)))
    });
    arsenal_x25519::<Libsodium>(reg, "arsenal:libsodium", peer);
    fixed32_cell(reg, "x25519", "dh", "raw:libsodium", want_dh, move || {
        let mut out = [0u8; 32];
        // SAFETY: three 32-byte buffers.
        let rc = sodium()
            && unsafe {
                s::crypto_scalarmult_curve25519(
                    out.as_mut_ptr(),
                    X25519_SECRET.as_ptr(),
                    peer.as_ptr(),
                )
            } == 0;
        rc.then_some(out)
    });
    fixed32_cell(
        reg,
        "x25519",
        "public-key",
        "raw:libsodium",
        want_pk,
        || {
            let mut out = [0u8; 32];
            // SAFETY: two 32-byte buffers.
            let rc = sodium()
                && unsafe {
                    s::crypto_scalarmult_curve25519_base(
                        out.as_mut_ptr(),
                        black_box(&X25519_SECRET).as_ptr(),
                    )
                } == 0;
            rc.then_some(out)
        },
    );

    let secret = x25519_dalek::StaticSecret::from(X25519_SECRET);
    let peer_key = x25519_dalek::PublicKey::from(peer);
    fixed32_cell(
        reg,
        "x25519",
        "dh",
        "peer:x25519-dalek",
        want_dh,
        move || Some(secret.diffie_hellman(&peer_key).to_bytes()),
    );
    fixed32_cell(
        reg,
        "x25519",
        "public-key",
        "peer:x25519-dalek",
        want_pk,
        || Some(dalek_public(black_box(&X25519_SECRET))),
    );

    match aws_lc_rs::agreement::PrivateKey::from_private_key(
        &aws_lc_rs::agreement::X25519,
        &X25519_SECRET,
    ) {
        Ok(key) => {
            fixed32_cell(reg, "x25519", "dh", "peer:aws-lc-rs", want_dh, move || {
                let peer = aws_lc_rs::agreement::UnparsedPublicKey::new(
                    &aws_lc_rs::agreement::X25519,
                    peer,
                );
                aws_lc_rs::agreement::agree(&key, peer, (), |k| k.try_into().map_err(|_| ())).ok()
            });
        }
        Err(e) => {
            reg.add(Case::failed(
                NAME,
                "x25519",
                "dh",
                "peer:aws-lc-rs",
                e.to_string(),
            ));
        }
    }
    // The key object keeps the public key it computed when made: the row makes the key
    // from the secret each time, as arsenal's does.
    fixed32_cell(
        reg,
        "x25519",
        "public-key",
        "peer:aws-lc-rs",
        want_pk,
        || {
            let key = aws_lc_rs::agreement::PrivateKey::from_private_key(
                &aws_lc_rs::agreement::X25519,
                black_box(&X25519_SECRET),
            )
            .ok()?;
            key.compute_public_key().ok()?.as_ref().try_into().ok()
        },
    );

    // Ephemeral agreement (ring has no static X25519 key): a fresh key per iteration; the
    // result is checked by computing it again with dalek from the peer's secret.
    let ring_rng = ring::rand::SystemRandom::new();
    ephemeral_cell(reg, "peer:ring", move || {
        let key =
            ring::agreement::EphemeralPrivateKey::generate(&ring::agreement::X25519, &ring_rng)
                .ok()?;
        let public: [u8; 32] = key.compute_public_key().ok()?.as_ref().try_into().ok()?;
        let peer = ring::agreement::UnparsedPublicKey::new(&ring::agreement::X25519, peer);
        let shared = ring::agreement::agree_ephemeral(key, &peer, |k| <[u8; 32]>::try_from(k).ok())
            .ok()??;
        Some((public, shared))
    });
    let aws_rng = aws_lc_rs::rand::SystemRandom::new();
    ephemeral_cell(reg, "peer:aws-lc-rs", move || {
        let key = aws_lc_rs::agreement::EphemeralPrivateKey::generate(
            &aws_lc_rs::agreement::X25519,
            &aws_rng,
        )
        .ok()?;
        let public: [u8; 32] = key.compute_public_key().ok()?.as_ref().try_into().ok()?;
        let peer =
            aws_lc_rs::agreement::UnparsedPublicKey::new(&aws_lc_rs::agreement::X25519, peer);
        let shared =
            aws_lc_rs::agreement::agree_ephemeral(key, peer, (), |k| k.try_into().map_err(|_| ()))
                .ok()?;
        Some((public, shared))
    });
}

/// An `ephemeral-dh` cell: `f` makes a fresh key and agrees with the fixed peer,
/// returning (its public key, the shared secret).
fn ephemeral_cell<F>(reg: &mut Registry, imp: &str, f: F)
where
    F: Fn() -> Option<([u8; 32], [u8; 32])> + 'static,
{
    let f = Rc::new(f);
    let check = Rc::clone(&f);
    reg.add(
        Case::new(NAME, "x25519", "ephemeral-dh", imp, 0, 1, move || {
            f().map_or(0, |(_, s)| first8(&s))
        })
        .verify(move || {
            let (public, shared) = check().ok_or("the agreement failed")?;
            compare(
                "shared secret",
                &shared,
                &dalek_dh(&X25519_PEER_SECRET, &public),
            )
        }),
    );
}

// ---- Ed25519 ----------------------------------------------------------------------

/// The Ed25519 message: 64 bytes.
fn ed25519_msg() -> Vec<u8> {
    buffer(64)
}

/// A signer cell: `sign` signs `msg`; the signature must equal dalek's (`want`).
fn ed25519_sign_cell<F>(reg: &mut Registry, imp: &str, want: [u8; 64], sign: F)
where
    F: Fn(&[u8]) -> Option<[u8; 64]> + 'static,
{
    let sign = Rc::new(sign);
    let check = Rc::clone(&sign);
    let msg: Rc<[u8]> = Rc::from(ed25519_msg());
    let m2 = Rc::clone(&msg);
    reg.add(
        Case::new(NAME, "ed25519-sign", "64B", imp, 0, 1, move || {
            sign(&msg).map_or(0, |s| first8(&s))
        })
        .expect(first8(&want))
        .verify(move || compare("signature", &check(&m2).ok_or("signing failed")?, &want)),
    );
}

/// A verifier cell: `verify(msg, sig)` must accept dalek's signature and reject a
/// flipped one.
fn ed25519_verify_cell<F>(reg: &mut Registry, imp: &str, good: [u8; 64], verify: F)
where
    F: Fn(&[u8], &[u8; 64]) -> bool + 'static,
{
    let verify = Rc::new(verify);
    let check = Rc::clone(&verify);
    let msg: Rc<[u8]> = Rc::from(ed25519_msg());
    let m2 = Rc::clone(&msg);
    reg.add(
        Case::new(NAME, "ed25519-verify", "64B", imp, 0, 1, move || {
            u64::from(verify(&msg, &good))
        })
        .expect(1)
        .verify(move || {
            let mut bad = good;
            bad[10] ^= 4;
            if check(&m2, &bad) {
                Err("a flipped signature was accepted".to_owned())
            } else {
                Ok(())
            }
        }),
    );
}

fn arsenal_ed25519<P: arsenal_crypto::provider::Ed25519Provider>(
    reg: &mut Registry,
    imp: &str,
    public: [u8; 32],
    good: [u8; 64],
) {
    match arsenal_crypto::Ed25519SigningKey::<P>::from_seed(&ED25519_SEED) {
        Ok(key) => ed25519_sign_cell(reg, imp, good, move |m| {
            key.sign_message(m).ok().map(|s| s.0)
        }),
        Err(e) => reg.add(Case::failed(
            NAME,
            "ed25519-sign",
            "64B",
            imp,
            e.to_string(),
        )),
    }
    match arsenal_crypto::Ed25519VerifyingKey::<P>::from_bytes(&public) {
        Ok(key) => {
            ed25519_verify_cell(reg, imp, good, move |m, s| key.verify_message(m, s).is_ok())
        }
        Err(e) => reg.add(Case::failed(
            NAME,
            "ed25519-verify",
            "64B",
            imp,
            e.to_string(),
        )),
    }
}

fn ed25519_rows(reg: &mut Registry) {
    use ed25519_dalek::{Signer, Verifier};
    use libsodium_sys as s;
    let dalek = ed25519_dalek::SigningKey::from_bytes(&ED25519_SEED);
    let public = dalek.verifying_key().to_bytes();
    let good = dalek.sign(&ed25519_msg()).to_bytes();

    arsenal_ed25519::<BoringSsl>(reg, "arsenal:boringssl", public, good);
    let (_, private) = boring::ed25519_keypair(&ED25519_SEED);
    ed25519_sign_cell(reg, "raw:boringssl", good, move |m| {
        boring::ed25519_sign(&private, m)
    });
    ed25519_verify_cell(reg, "raw:boringssl", good, move |m, s| {
        boring::ed25519_verify(&public, m, s)
    });
    arsenal_ed25519::<AwsLc>(reg, "arsenal:aws-lc", public, good);
    let (_, private) = awslc::ed25519_keypair(&ED25519_SEED);
    ed25519_sign_cell(reg, "raw:aws-lc", good, move |m| {
        awslc::ed25519_sign(&private, m)
    });
    ed25519_verify_cell(reg, "raw:aws-lc", good, move |m, s| {
        awslc::ed25519_verify(&public, m, s)
    });
    arsenal_ed25519::<Libsodium>(reg, "arsenal:libsodium", public, good);
    let (mut pk, mut sk) = ([0u8; 32], [0u8; 64]);
    // SAFETY: 32-, 64- and 32-byte buffers, as the function takes.
    let keyed = sodium()
        && unsafe {
            s::crypto_sign_ed25519_seed_keypair(
                pk.as_mut_ptr(),
                sk.as_mut_ptr(),
                ED25519_SEED.as_ptr(),
            )
        } == 0;
    if keyed {
        ed25519_sign_cell(reg, "raw:libsodium", good, move |m| {
            let mut sig = [0u8; 64];
            // SAFETY: a 64-byte signature and key; `m` live for its length; no length out.
            let rc = unsafe {
                s::crypto_sign_ed25519_detached(
                    sig.as_mut_ptr(),
                    ptr::null_mut(),
                    m.as_ptr(),
                    m.len() as u64,
                    sk.as_ptr(),
                )
            };
            (rc == 0).then_some(sig)
        });
        ed25519_verify_cell(reg, "raw:libsodium", good, move |m, sig| {
            // SAFETY: a 64-byte signature, a 32-byte key; `m` live for its length.
            unsafe {
                s::crypto_sign_ed25519_verify_detached(
                    sig.as_ptr(),
                    m.as_ptr(),
                    m.len() as u64,
                    pk.as_ptr(),
                ) == 0
            }
        });
    } else {
        reg.add(Case::failed(
            NAME,
            "ed25519-sign",
            "64B",
            "raw:libsodium",
            "sodium_init failed",
        ));
        reg.add(Case::failed(
            NAME,
            "ed25519-verify",
            "64B",
            "raw:libsodium",
            "sodium_init failed",
        ));
    }

    let signer = dalek.clone();
    ed25519_sign_cell(reg, "peer:ed25519-dalek", good, move |m| {
        Some(signer.sign(m).to_bytes())
    });
    let verifier = dalek.verifying_key();
    ed25519_verify_cell(reg, "peer:ed25519-dalek", good, move |m, s| {
        verifier
            .verify(m, &ed25519_dalek::Signature::from_bytes(s))
            .is_ok()
    });
    match ring::signature::Ed25519KeyPair::from_seed_unchecked(&ED25519_SEED) {
        Ok(kp) => ed25519_sign_cell(reg, "peer:ring", good, move |m| {
            kp.sign(m).as_ref().try_into().ok()
        }),
        Err(e) => reg.add(Case::failed(
            NAME,
            "ed25519-sign",
            "64B",
            "peer:ring",
            e.to_string(),
        )),
    }
    ed25519_verify_cell(reg, "peer:ring", good, move |m, s| {
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &public)
            .verify(m, s)
            .is_ok()
    });
    match aws_lc_rs::signature::Ed25519KeyPair::from_seed_unchecked(&ED25519_SEED) {
        Ok(kp) => ed25519_sign_cell(reg, "peer:aws-lc-rs", good, move |m| {
            kp.sign(m).as_ref().try_into().ok()
        }),
        Err(e) => reg.add(Case::failed(
            NAME,
            "ed25519-sign",
            "64B",
            "peer:aws-lc-rs",
            e.to_string(),
        )),
    }
    ed25519_verify_cell(reg, "peer:aws-lc-rs", good, move |m, s| {
        aws_lc_rs::signature::UnparsedPublicKey::new(&aws_lc_rs::signature::ED25519, &public)
            .verify(m, s)
            .is_ok()
    });
}

// ---- ML-KEM -----------------------------------------------------------------------

/// The reference (RustCrypto `ml-kem`) for one parameter set.
struct KemRef {
    bits: u16,
    /// The encapsulation key of [`MLKEM_SEED`].
    ek: Vec<u8>,
    /// The ciphertext and secret of the deterministic encapsulation with [`MLKEM_M`].
    ct: Vec<u8>,
    ss: [u8; 32],
    /// Decapsulation with the key of [`MLKEM_SEED`].
    decaps: DecapsFn,
}

macro_rules! kem_ref {
    ($bits:expr, $p:ty) => {{
        use ml_kem::{Decapsulate, KeyExport};
        let dk = ml_kem::DecapsulationKey::<$p>::from_seed(ml_kem::Seed::from(MLKEM_SEED));
        let ek = dk.encapsulation_key().to_bytes().to_vec();
        let (ct, ss) = dk
            .encapsulation_key()
            .encapsulate_deterministic(&ml_kem::B32::from(MLKEM_M));
        Rc::new(KemRef {
            bits: $bits,
            ek,
            ct: ct.to_vec(),
            ss: ss.into(),
            decaps: Box::new(move |ct: &[u8]| dk.decapsulate_slice(ct).ok().map(Into::into)),
        })
    }};
}

type KeygenFn = Box<dyn Fn() -> Option<Vec<u8>>>;
type EncapsFn = Box<dyn Fn() -> Option<(Vec<u8>, [u8; 32])>>;
type DecapsFn = Box<dyn Fn(&[u8]) -> Option<[u8; 32]>>;

fn keygen_cell(reg: &mut Registry, r: &Rc<KemRef>, imp: &str, keygen: KeygenFn) {
    let keygen = Rc::new(keygen);
    let check = Rc::clone(&keygen);
    let want = Rc::clone(r);
    reg.add(
        Case::new(
            NAME,
            format!("ml-kem-{}-keygen", r.bits),
            "seed",
            imp,
            0,
            1,
            move || keygen().map_or(0, |ek| first8(&ek)),
        )
        .expect(first8(&r.ek))
        .verify(move || {
            compare(
                "encapsulation key",
                &check().ok_or("keygen failed")?,
                &want.ek,
            )
        }),
    );
}

fn encaps_cell(reg: &mut Registry, r: &Rc<KemRef>, imp: &str, encaps: EncapsFn) {
    let encaps = Rc::new(encaps);
    let check = Rc::clone(&encaps);
    let want = Rc::clone(r);
    reg.add(
        Case::new(
            NAME,
            format!("ml-kem-{}-encaps", r.bits),
            "random",
            imp,
            0,
            1,
            move || encaps().map_or(0, |(_, ss)| first8(&ss)),
        )
        .verify(move || {
            let (ct, ss) = check().ok_or("encapsulation failed")?;
            let (ct2, _) = check().ok_or("encapsulation failed")?;
            if ct == ct2 {
                return Err("two encapsulations gave the same ciphertext".to_owned());
            }
            let theirs = (want.decaps)(&ct).ok_or("the reference rejected the ciphertext")?;
            compare("shared secret (decapsulated by ml-kem)", &ss, &theirs)
        }),
    );
}

fn decaps_cell(reg: &mut Registry, r: &Rc<KemRef>, imp: &str, decaps: DecapsFn) {
    let decaps = Rc::new(decaps);
    let check = Rc::clone(&decaps);
    let want = Rc::clone(r);
    let ct: Rc<[u8]> = Rc::from(r.ct.as_slice());
    reg.add(
        Case::new(
            NAME,
            format!("ml-kem-{}-decaps", r.bits),
            "ct",
            imp,
            0,
            1,
            move || decaps(&ct).map_or(0, |ss| first8(&ss)),
        )
        .expect(first8(&r.ss))
        .verify(move || {
            let ss = check(&want.ct).ok_or("decapsulation failed")?;
            compare("shared secret", &ss, &want.ss)
        }),
    );
}

fn kem_unsupported(reg: &mut Registry, bits: u16, imp: &str, why: &str) {
    reg.add(Case::unsupported(
        NAME,
        format!("ml-kem-{bits}-keygen"),
        "seed",
        imp,
        why,
    ));
    reg.add(Case::unsupported(
        NAME,
        format!("ml-kem-{bits}-encaps"),
        "random",
        imp,
        why,
    ));
    reg.add(Case::unsupported(
        NAME,
        format!("ml-kem-{bits}-decaps"),
        "ct",
        imp,
        why,
    ));
}

fn arsenal_kem<P, K>(reg: &mut Registry, r: &Rc<KemRef>, imp: &str)
where
    P: arsenal_crypto::provider::KemProvider<K>,
    K: alg::KemAlgorithm,
{
    use arsenal_crypto::pq::{Decapsulate, Encapsulate};
    use arsenal_crypto::{MlKemDecapsulationKey, MlKemEncapsulationKey};
    keygen_cell(
        reg,
        r,
        imp,
        Box::new(|| {
            let dk = MlKemDecapsulationKey::<P, K>::from_seed(black_box(&MLKEM_SEED)).ok()?;
            Some(dk.encapsulation_key().as_bytes().to_vec())
        }),
    );
    match MlKemEncapsulationKey::<P, K>::from_bytes(&r.ek) {
        Ok(ek) => encaps_cell(
            reg,
            r,
            imp,
            Box::new(move || ek.encapsulate().ok().map(|(ct, ss)| (ct, *ss))),
        ),
        Err(e) => reg.add(Case::failed(
            NAME,
            format!("ml-kem-{}-encaps", r.bits),
            "random",
            imp,
            e.to_string(),
        )),
    }
    match MlKemDecapsulationKey::<P, K>::from_seed(&MLKEM_SEED) {
        Ok(dk) => decaps_cell(
            reg,
            r,
            imp,
            Box::new(move |ct| dk.decapsulate(ct).ok().map(|ss| *ss)),
        ),
        Err(e) => reg.add(Case::failed(
            NAME,
            format!("ml-kem-{}-decaps", r.bits),
            "ct",
            imp,
            e.to_string(),
        )),
    }
}

/// BoringSSL's ML-KEM-768/1024 called directly (`MLKEM*_private_key_from_seed`,
/// `_public_from_private`, `_marshal_public_key`, `_parse_public_key`, `_encap`, `_decap`).
macro_rules! boring_kem {
    ($reg:expr, $r:expr, $ek_len:expr, $ct_len:expr, $priv:ident, $pub:ident, $from_seed:ident,
     $public_from_private:ident, $marshal:ident, $parse:ident, $encap:ident, $decap:ident) => {{
        use boring_sys as b;
        fn private(seed: &[u8; 64]) -> Option<Box<b::$priv>> {
            // SAFETY: plain C struct, written by the call below.
            let mut key: Box<b::$priv> = Box::new(unsafe { std::mem::zeroed() });
            // SAFETY: a live key struct and a 64-byte seed.
            let ok = unsafe { b::$from_seed(&mut *key, seed.as_ptr(), seed.len()) };
            (ok == 1).then_some(key)
        }
        fn public_bytes(key: &b::$priv) -> Option<Vec<u8>> {
            // SAFETY: plain C struct, written by the call below.
            let mut public: Box<b::$pub> = Box::new(unsafe { std::mem::zeroed() });
            let mut out = vec![0u8; $ek_len];
            // SAFETY: CBB is a plain C struct that CBB_init_fixed initialises.
            let mut cbb: b::CBB = unsafe { std::mem::zeroed() };
            // SAFETY: live key structs; the CBB writes into `out` (its length), never
            // allocates, and needs no cleanup.
            let ok = unsafe {
                b::$public_from_private(&mut *public, key);
                b::CBB_init_fixed(&mut cbb, out.as_mut_ptr(), out.len()) == 1
                    && b::$marshal(&mut cbb, &*public) == 1
                    && b::CBB_len(&cbb) == out.len()
            };
            ok.then_some(out)
        }
        fn parse(ek: &[u8]) -> Option<Box<b::$pub>> {
            // SAFETY: plain C struct, written by the call below.
            let mut public: Box<b::$pub> = Box::new(unsafe { std::mem::zeroed() });
            // (CBS_init is inline in BoringSSL's headers: the two fields are set here.)
            let mut cbs = b::CBS {
                data: ek.as_ptr(),
                len: ek.len(),
            };
            // SAFETY: the CBS reads `ek` (live for its length); a live key struct.
            let ok = unsafe { b::$parse(&mut *public, &mut cbs) == 1 } && cbs.len == 0;
            ok.then_some(public)
        }
        let r: &Rc<KemRef> = $r;
        keygen_cell(
            $reg,
            r,
            "raw:boringssl",
            Box::new(|| public_bytes(&*private(black_box(&MLKEM_SEED))?)),
        );
        match parse(&r.ek) {
            Some(public) => encaps_cell(
                $reg,
                r,
                "raw:boringssl",
                Box::new(move || {
                    let mut ct = vec![0u8; $ct_len];
                    let mut ss = [0u8; 32];
                    // SAFETY: a parsed public key; outputs of the set's sizes.
                    unsafe { b::$encap(ct.as_mut_ptr(), ss.as_mut_ptr(), &*public) };
                    Some((ct, ss))
                }),
            ),
            None => $reg.add(Case::failed(
                NAME,
                format!("ml-kem-{}-encaps", r.bits),
                "random",
                "raw:boringssl",
                "parse_public_key failed",
            )),
        }
        match private(&MLKEM_SEED) {
            Some(key) => decaps_cell(
                $reg,
                r,
                "raw:boringssl",
                Box::new(move |ct| {
                    let mut ss = [0u8; 32];
                    // SAFETY: a key from the seed; `ct` live for its length (checked by
                    // the function); a 32-byte output.
                    let ok = unsafe { b::$decap(ss.as_mut_ptr(), ct.as_ptr(), ct.len(), &*key) };
                    (ok == 1).then_some(ss)
                }),
            ),
            None => $reg.add(Case::failed(
                NAME,
                format!("ml-kem-{}-decaps", r.bits),
                "ct",
                "raw:boringssl",
                "private_key_from_seed failed",
            )),
        }
    }};
}

/// AWS-LC's ML-KEM called directly through `EVP_PKEY` (`EVP_PKEY_keygen_deterministic`,
/// `EVP_PKEY_kem_new_raw_public_key`, `EVP_PKEY_encapsulate`, `EVP_PKEY_decapsulate`).
mod awslc_kem {
    use aws_lc_sys as a;
    use std::ptr;

    pub struct Pkey(*mut a::EVP_PKEY);

    impl Drop for Pkey {
        fn drop(&mut self) {
            // SAFETY: an EVP_PKEY this wrapper owns, freed once.
            unsafe { a::EVP_PKEY_free(self.0) };
        }
    }

    pub struct Ctx(*mut a::EVP_PKEY_CTX, #[allow(dead_code)] Pkey);

    impl Drop for Ctx {
        fn drop(&mut self) {
            // SAFETY: an EVP_PKEY_CTX this wrapper owns, freed once (before its key).
            unsafe { a::EVP_PKEY_CTX_free(self.0) };
        }
    }

    pub fn nid(bits: u16) -> i32 {
        match bits {
            512 => a::NID_MLKEM512,
            768 => a::NID_MLKEM768,
            _ => a::NID_MLKEM1024,
        }
    }

    /// The key pair of a 64-byte seed.
    pub fn keygen(bits: u16, seed: &[u8; 64]) -> Option<Pkey> {
        // SAFETY: EVP_PKEY_KEM is a valid key type; no engine.
        let ctx = unsafe { a::EVP_PKEY_CTX_new_id(a::EVP_PKEY_KEM, ptr::null_mut()) };
        if ctx.is_null() {
            return None;
        }
        let mut pkey = ptr::null_mut();
        let mut len = seed.len();
        // SAFETY: a live context, freed below; the seed is `len` bytes.
        let ok = unsafe {
            a::EVP_PKEY_CTX_kem_set_params(ctx, nid(bits)) == 1
                && a::EVP_PKEY_keygen_init(ctx) == 1
                && a::EVP_PKEY_keygen_deterministic(ctx, &mut pkey, seed.as_ptr(), &mut len) == 1
        };
        // SAFETY: the context made above, freed once.
        unsafe { a::EVP_PKEY_CTX_free(ctx) };
        (ok && !pkey.is_null()).then_some(Pkey(pkey))
    }

    pub fn public_bytes(key: &Pkey, len: usize) -> Option<Vec<u8>> {
        let mut out = vec![0u8; len];
        let mut n = len;
        // SAFETY: a live key; `out` holds `n` bytes.
        let ok = unsafe { a::EVP_PKEY_get_raw_public_key(key.0, out.as_mut_ptr(), &mut n) } == 1;
        (ok && n == len).then_some(out)
    }

    pub fn from_public(bits: u16, ek: &[u8]) -> Option<Pkey> {
        // SAFETY: `ek` is live for its length.
        let p = unsafe { a::EVP_PKEY_kem_new_raw_public_key(nid(bits), ek.as_ptr(), ek.len()) };
        (!p.is_null()).then_some(Pkey(p))
    }

    pub fn ctx(key: Pkey) -> Option<Ctx> {
        // SAFETY: a live key (kept alive by the Ctx); no engine.
        let c = unsafe { a::EVP_PKEY_CTX_new(key.0, ptr::null_mut()) };
        (!c.is_null()).then_some(Ctx(c, key))
    }

    pub fn encapsulate(ctx: &Ctx, ct_len: usize) -> Option<(Vec<u8>, [u8; 32])> {
        let mut ct = vec![0u8; ct_len];
        let mut ss = [0u8; 32];
        let (mut n, mut m) = (ct.len(), ss.len());
        // SAFETY: a live context of a public key; outputs of the lengths passed.
        let ok = unsafe {
            a::EVP_PKEY_encapsulate(ctx.0, ct.as_mut_ptr(), &mut n, ss.as_mut_ptr(), &mut m)
        } == 1;
        (ok && n == ct_len && m == 32).then_some((ct, ss))
    }

    pub fn decapsulate(ctx: &Ctx, ct: &[u8]) -> Option<[u8; 32]> {
        let mut ss = [0u8; 32];
        let mut m = ss.len();
        // SAFETY: a live context of a private key; `ct` live for its length.
        let ok = unsafe {
            a::EVP_PKEY_decapsulate(ctx.0, ss.as_mut_ptr(), &mut m, ct.as_ptr(), ct.len())
        } == 1;
        (ok && m == 32).then_some(ss)
    }
}

fn awslc_raw_kem(reg: &mut Registry, r: &Rc<KemRef>) {
    let (bits, ek_len, ct_len) = (r.bits, r.ek.len(), r.ct.len());
    keygen_cell(
        reg,
        r,
        "raw:aws-lc",
        Box::new(move || {
            awslc_kem::public_bytes(&awslc_kem::keygen(bits, black_box(&MLKEM_SEED))?, ek_len)
        }),
    );
    match awslc_kem::from_public(bits, &r.ek).and_then(awslc_kem::ctx) {
        Some(ctx) => encaps_cell(
            reg,
            r,
            "raw:aws-lc",
            Box::new(move || awslc_kem::encapsulate(&ctx, ct_len)),
        ),
        None => reg.add(Case::failed(
            NAME,
            format!("ml-kem-{bits}-encaps"),
            "random",
            "raw:aws-lc",
            "EVP_PKEY_kem_new_raw_public_key failed",
        )),
    }
    match awslc_kem::keygen(bits, &MLKEM_SEED).and_then(awslc_kem::ctx) {
        Some(ctx) => decaps_cell(
            reg,
            r,
            "raw:aws-lc",
            Box::new(move |ct| awslc_kem::decapsulate(&ctx, ct)),
        ),
        None => reg.add(Case::failed(
            NAME,
            format!("ml-kem-{bits}-decaps"),
            "ct",
            "raw:aws-lc",
            "EVP_PKEY_keygen_deterministic failed",
        )),
    }
}

/// liboqs's ML-KEM called directly (`OQS_KEM_ml_kem_*_keypair_derand`, `_encaps`,
/// `_decaps`); returns the FIPS 203 decapsulation key of [`MLKEM_SEED`] for aws-lc-rs.
macro_rules! oqs_kem {
    ($reg:expr, $r:expr, $pk_len:ident, $sk_len:ident, $ct_len:ident, $keypair:ident, $encaps:ident, $decaps:ident) => {{
        use oqs_sys::kem as k;
        const PK: usize = k::$pk_len as usize;
        const SK: usize = k::$sk_len as usize;
        const CT: usize = k::$ct_len as usize;
        fn keypair(seed: &[u8; 64]) -> Option<(Vec<u8>, Vec<u8>)> {
            let (mut pk, mut sk) = (vec![0u8; PK], vec![0u8; SK]);
            // SAFETY: outputs of the set's sizes, a 64-byte seed.
            let rc = unsafe { k::$keypair(pk.as_mut_ptr(), sk.as_mut_ptr(), seed.as_ptr()) };
            (rc == oqs_sys::common::OQS_STATUS::OQS_SUCCESS).then_some((pk, sk))
        }
        oqs();
        let r: &Rc<KemRef> = $r;
        keygen_cell(
            $reg,
            r,
            "raw:liboqs",
            Box::new(|| keypair(black_box(&MLKEM_SEED)).map(|(pk, _)| pk)),
        );
        let ek = r.ek.clone();
        encaps_cell(
            $reg,
            r,
            "raw:liboqs",
            Box::new(move || {
                let mut ct = vec![0u8; CT];
                let mut ss = [0u8; 32];
                // SAFETY: outputs of the set's sizes; `ek` is the set's key length.
                let rc = unsafe { k::$encaps(ct.as_mut_ptr(), ss.as_mut_ptr(), ek.as_ptr()) };
                (rc == oqs_sys::common::OQS_STATUS::OQS_SUCCESS && ek.len() == PK)
                    .then_some((ct, ss))
            }),
        );
        let sk = keypair(&MLKEM_SEED).map(|(_, sk)| sk);
        match sk.clone() {
            Some(sk) => decaps_cell(
                $reg,
                r,
                "raw:liboqs",
                Box::new(move |ct| {
                    if ct.len() != CT {
                        return None;
                    }
                    let mut ss = [0u8; 32];
                    // SAFETY: a 32-byte output, a ciphertext and key of the set's sizes.
                    let rc = unsafe { k::$decaps(ss.as_mut_ptr(), ct.as_ptr(), sk.as_ptr()) };
                    (rc == oqs_sys::common::OQS_STATUS::OQS_SUCCESS).then_some(ss)
                }),
            ),
            None => $reg.add(Case::failed(
                NAME,
                format!("ml-kem-{}-decaps", r.bits),
                "ct",
                "raw:liboqs",
                "keypair_derand failed",
            )),
        }
        sk
    }};
}

/// The peers `ml-kem` and `libcrux-ml-kem` for one set.
macro_rules! peer_kem {
    ($reg:expr, $r:expr, $p:ty, $crux:ident, $crux_pk:ident, $crux_ct:ident, $pk_len:expr, $ct_len:expr) => {{
        use ml_kem::{Decapsulate, Encapsulate, KeyExport, TryKeyInit};
        let r: &Rc<KemRef> = $r;
        keygen_cell(
            $reg,
            r,
            "peer:ml-kem",
            Box::new(|| {
                let dk = ml_kem::DecapsulationKey::<$p>::from_seed(ml_kem::Seed::from(*black_box(
                    &MLKEM_SEED,
                )));
                Some(dk.encapsulation_key().to_bytes().to_vec())
            }),
        );
        match ml_kem::EncapsulationKey::<$p>::new_from_slice(&r.ek) {
            Ok(ek) => encaps_cell(
                $reg,
                r,
                "peer:ml-kem",
                Box::new(move || {
                    let (ct, ss) = ek.encapsulate();
                    Some((ct.to_vec(), ss.into()))
                }),
            ),
            Err(e) => $reg.add(Case::failed(
                NAME,
                format!("ml-kem-{}-encaps", r.bits),
                "random",
                "peer:ml-kem",
                e.to_string(),
            )),
        }
        let dk = ml_kem::DecapsulationKey::<$p>::from_seed(ml_kem::Seed::from(MLKEM_SEED));
        decaps_cell(
            $reg,
            r,
            "peer:ml-kem",
            Box::new(move |ct| dk.decapsulate_slice(ct).ok().map(Into::into)),
        );

        use libcrux_ml_kem::$crux as crux;
        keygen_cell(
            $reg,
            r,
            "peer:libcrux-ml-kem",
            Box::new(|| {
                Some(
                    crux::generate_key_pair(*black_box(&MLKEM_SEED))
                        .public_key()
                        .as_slice()
                        .to_vec(),
                )
            }),
        );
        match <[u8; $pk_len]>::try_from(r.ek.as_slice()) {
            Ok(bytes) => {
                let pk = crux::$crux_pk::from(bytes);
                let counter = std::cell::Cell::new(0u64);
                encaps_cell(
                    $reg,
                    r,
                    "peer:libcrux-ml-kem",
                    Box::new(move || {
                        let n = counter.get().wrapping_add(1);
                        counter.set(n);
                        let mut m = [0u8; 32];
                        for (i, chunk) in m.chunks_exact_mut(8).enumerate() {
                            chunk.copy_from_slice(
                                &(n ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)).to_le_bytes(),
                            );
                        }
                        let (ct, ss) = crux::encapsulate(&pk, m);
                        Some((ct.as_slice().to_vec(), ss))
                    }),
                );
            }
            Err(_) => $reg.add(Case::failed(
                NAME,
                format!("ml-kem-{}-encaps", r.bits),
                "random",
                "peer:libcrux-ml-kem",
                "key length",
            )),
        }
        let pair = crux::generate_key_pair(MLKEM_SEED);
        decaps_cell(
            $reg,
            r,
            "peer:libcrux-ml-kem",
            Box::new(move |ct| {
                let ct = <[u8; $ct_len]>::try_from(ct).ok()?;
                Some(crux::decapsulate(
                    pair.private_key(),
                    &crux::$crux_ct::from(ct),
                ))
            }),
        );
    }};
}

/// aws-lc-rs's `kem` module (encapsulation and decapsulation; it cannot derive a key
/// pair from a seed). `dk` is the FIPS 203 decapsulation key of [`MLKEM_SEED`].
fn awslc_rs_kem(
    reg: &mut Registry,
    r: &Rc<KemRef>,
    alg: &'static aws_lc_rs::kem::Algorithm<aws_lc_rs::kem::AlgorithmId>,
    dk: Option<Vec<u8>>,
) {
    let imp = "peer:aws-lc-rs";
    reg.add(Case::unsupported(
        NAME,
        format!("ml-kem-{}-keygen", r.bits),
        "seed",
        imp,
        "aws-lc-rs's kem API generates keys only from its own RNG, not from a seed",
    ));
    match aws_lc_rs::kem::EncapsulationKey::new(alg, &r.ek) {
        Ok(ek) => encaps_cell(
            reg,
            r,
            imp,
            Box::new(move || {
                let (ct, ss) = ek.encapsulate().ok()?;
                Some((ct.as_ref().to_vec(), ss.as_ref().try_into().ok()?))
            }),
        ),
        Err(e) => reg.add(Case::failed(
            NAME,
            format!("ml-kem-{}-encaps", r.bits),
            "random",
            imp,
            e.to_string(),
        )),
    }
    match dk.map(|dk| aws_lc_rs::kem::DecapsulationKey::new(alg, &dk)) {
        Some(Ok(dk)) => decaps_cell(
            reg,
            r,
            imp,
            Box::new(move |ct| {
                let ss = dk.decapsulate(aws_lc_rs::kem::Ciphertext::from(ct)).ok()?;
                ss.as_ref().try_into().ok()
            }),
        ),
        Some(Err(e)) => reg.add(Case::failed(
            NAME,
            format!("ml-kem-{}-decaps", r.bits),
            "ct",
            imp,
            e.to_string(),
        )),
        None => reg.add(Case::failed(
            NAME,
            format!("ml-kem-{}-decaps", r.bits),
            "ct",
            imp,
            "no decapsulation key from liboqs",
        )),
    }
}

fn mlkem_rows(reg: &mut Registry) {
    // ML-KEM-512
    let r = kem_ref!(512, ml_kem::MlKem512);
    kem_unsupported(reg, 512, "arsenal:boringssl", "BoringSSL has no ML-KEM-512");
    kem_unsupported(reg, 512, "raw:boringssl", "BoringSSL has no ML-KEM-512");
    arsenal_kem::<AwsLc, alg::MlKem512>(reg, &r, "arsenal:aws-lc");
    awslc_raw_kem(reg, &r);
    arsenal_kem::<Liboqs, alg::MlKem512>(reg, &r, "arsenal:liboqs");
    let dk = oqs_kem!(
        reg,
        &r,
        OQS_KEM_ml_kem_512_length_public_key,
        OQS_KEM_ml_kem_512_length_secret_key,
        OQS_KEM_ml_kem_512_length_ciphertext,
        OQS_KEM_ml_kem_512_keypair_derand,
        OQS_KEM_ml_kem_512_encaps,
        OQS_KEM_ml_kem_512_decaps
    );
    peer_kem!(
        reg,
        &r,
        ml_kem::MlKem512,
        mlkem512,
        MlKem512PublicKey,
        MlKem512Ciphertext,
        800,
        768
    );
    awslc_rs_kem(reg, &r, &aws_lc_rs::kem::ML_KEM_512, dk);

    // ML-KEM-768
    let r = kem_ref!(768, ml_kem::MlKem768);
    arsenal_kem::<BoringSsl, alg::MlKem768>(reg, &r, "arsenal:boringssl");
    boring_kem!(
        reg,
        &r,
        1184,
        1088,
        MLKEM768_private_key,
        MLKEM768_public_key,
        MLKEM768_private_key_from_seed,
        MLKEM768_public_from_private,
        MLKEM768_marshal_public_key,
        MLKEM768_parse_public_key,
        MLKEM768_encap,
        MLKEM768_decap
    );
    arsenal_kem::<AwsLc, alg::MlKem768>(reg, &r, "arsenal:aws-lc");
    awslc_raw_kem(reg, &r);
    arsenal_kem::<Liboqs, alg::MlKem768>(reg, &r, "arsenal:liboqs");
    let dk = oqs_kem!(
        reg,
        &r,
        OQS_KEM_ml_kem_768_length_public_key,
        OQS_KEM_ml_kem_768_length_secret_key,
        OQS_KEM_ml_kem_768_length_ciphertext,
        OQS_KEM_ml_kem_768_keypair_derand,
        OQS_KEM_ml_kem_768_encaps,
        OQS_KEM_ml_kem_768_decaps
    );
    peer_kem!(
        reg,
        &r,
        ml_kem::MlKem768,
        mlkem768,
        MlKem768PublicKey,
        MlKem768Ciphertext,
        1184,
        1088
    );
    awslc_rs_kem(reg, &r, &aws_lc_rs::kem::ML_KEM_768, dk);

    // ML-KEM-1024
    let r = kem_ref!(1024, ml_kem::MlKem1024);
    arsenal_kem::<BoringSsl, alg::MlKem1024>(reg, &r, "arsenal:boringssl");
    boring_kem!(
        reg,
        &r,
        1568,
        1568,
        MLKEM1024_private_key,
        MLKEM1024_public_key,
        MLKEM1024_private_key_from_seed,
        MLKEM1024_public_from_private,
        MLKEM1024_marshal_public_key,
        MLKEM1024_parse_public_key,
        MLKEM1024_encap,
        MLKEM1024_decap
    );
    arsenal_kem::<AwsLc, alg::MlKem1024>(reg, &r, "arsenal:aws-lc");
    awslc_raw_kem(reg, &r);
    arsenal_kem::<Liboqs, alg::MlKem1024>(reg, &r, "arsenal:liboqs");
    let dk = oqs_kem!(
        reg,
        &r,
        OQS_KEM_ml_kem_1024_length_public_key,
        OQS_KEM_ml_kem_1024_length_secret_key,
        OQS_KEM_ml_kem_1024_length_ciphertext,
        OQS_KEM_ml_kem_1024_keypair_derand,
        OQS_KEM_ml_kem_1024_encaps,
        OQS_KEM_ml_kem_1024_decaps
    );
    peer_kem!(
        reg,
        &r,
        ml_kem::MlKem1024,
        mlkem1024,
        MlKem1024PublicKey,
        MlKem1024Ciphertext,
        1568,
        1568
    );
    awslc_rs_kem(reg, &r, &aws_lc_rs::kem::ML_KEM_1024, dk);
}

// ---- ML-DSA -----------------------------------------------------------------------

/// The ML-DSA message: 64 bytes; the context is empty.
fn mldsa_msg() -> Vec<u8> {
    buffer(64)
}

/// The reference of one ML-DSA set: RustCrypto `ml-dsa` from [`MLDSA_SEED`].
struct DsaRef {
    level: u8,
    pk: Vec<u8>,
    /// `ml-dsa`'s deterministic signature of the message.
    sig: Vec<u8>,
    /// `verify(pk, msg, sig)` with `ml-dsa`.
    verify: fn(&[u8], &[u8], &[u8]) -> bool,
}

type SignFn = Box<dyn Fn(&[u8]) -> Option<Vec<u8>>>;
type DsaVerifyFn = Box<dyn Fn(&[u8], &[u8]) -> bool>;

/// A signer cell: `sign` signs with the key whose public key is `pk`; `check(pk, msg,
/// sig)` is a different implementation's verifier.
fn dsa_sign_cell(
    reg: &mut Registry,
    r: &DsaRef,
    imp: &str,
    pk: Vec<u8>,
    sign: SignFn,
    check: fn(&[u8], &[u8], &[u8]) -> bool,
) {
    let sign = Rc::new(sign);
    let checked = Rc::clone(&sign);
    let msg: Rc<[u8]> = Rc::from(mldsa_msg());
    let m2 = Rc::clone(&msg);
    reg.add(
        Case::new(
            NAME,
            format!("ml-dsa-{}-sign", r.level),
            "64B",
            imp,
            0,
            1,
            move || sign(&msg).map_or(0, |s| first8(&s)),
        )
        .verify(move || {
            let sig = checked(&m2).ok_or("signing failed")?;
            if check(&pk, &m2, &sig) {
                Ok(())
            } else {
                Err("another implementation rejects the signature".to_owned())
            }
        }),
    );
}

/// A verifier cell: accepts the reference signature, rejects a flipped one.
fn dsa_verify_cell(reg: &mut Registry, r: &DsaRef, imp: &str, verify: DsaVerifyFn) {
    let verify = Rc::new(verify);
    let check = Rc::clone(&verify);
    let msg: Rc<[u8]> = Rc::from(mldsa_msg());
    let m2 = Rc::clone(&msg);
    let sig: Rc<[u8]> = Rc::from(r.sig.as_slice());
    let mut bad = r.sig.clone();
    bad[7] ^= 0x10;
    reg.add(
        Case::new(
            NAME,
            format!("ml-dsa-{}-verify", r.level),
            "64B",
            imp,
            0,
            1,
            move || u64::from(verify(&msg, &sig)),
        )
        .expect(1)
        .verify(move || {
            if check(&m2, &bad) {
                Err("a flipped signature was accepted".to_owned())
            } else {
                Ok(())
            }
        }),
    );
}

macro_rules! rustcrypto_dsa {
    ($level:expr, $p:ty) => {{
        fn verify(pk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
            let Ok(pk) = ml_dsa::EncodedVerifyingKey::<$p>::try_from(pk) else {
                return false;
            };
            let Ok(sig) = ml_dsa::Signature::<$p>::try_from(sig) else {
                return false;
            };
            ml_dsa::VerifyingKey::<$p>::decode(&pk).verify_with_context(msg, &[], &sig)
        }
        let sk = ml_dsa::SigningKey::<$p>::from_seed(&ml_dsa::B32::from(MLDSA_SEED));
        let pk = sk.expanded_key().verifying_key().encode().to_vec();
        let sig = sk
            .expanded_key()
            .sign_deterministic(&mldsa_msg(), &[])
            .expect("ml-dsa signs")
            .encode()
            .to_vec();
        (
            DsaRef {
                level: $level,
                pk,
                sig,
                verify,
            },
            sk,
        )
    }};
}

fn arsenal_dsa<P, S>(reg: &mut Registry, r: &DsaRef, imp: &str)
where
    P: arsenal_crypto::provider::SignatureProvider<S>,
    S: alg::SignatureAlgorithm,
{
    use arsenal_crypto::{MlDsaSigningKey, MlDsaVerifyingKey};
    match MlDsaSigningKey::<P, S>::generate() {
        Ok(key) => {
            use arsenal_crypto::signature::Keypair;
            let pk = key.verifying_key().as_bytes().to_vec();
            dsa_sign_cell(
                reg,
                r,
                imp,
                pk,
                Box::new(move |m| key.sign_with_context(m, b"").ok().map(|s| s.0)),
                r.verify,
            );
        }
        Err(e) => reg.add(Case::failed(
            NAME,
            format!("ml-dsa-{}-sign", r.level),
            "64B",
            imp,
            e.to_string(),
        )),
    }
    match MlDsaVerifyingKey::<P, S>::from_bytes(&r.pk) {
        Ok(key) => dsa_verify_cell(
            reg,
            r,
            imp,
            Box::new(move |m, s| key.verify_with_context(m, b"", s).is_ok()),
        ),
        Err(e) => reg.add(Case::failed(
            NAME,
            format!("ml-dsa-{}-verify", r.level),
            "64B",
            imp,
            e.to_string(),
        )),
    }
}

/// BoringSSL's ML-DSA called directly.
macro_rules! boring_dsa {
    ($reg:expr, $r:expr, $pk_len:expr, $sig_len:expr, $priv:ident, $pub:ident, $from_seed:ident,
     $public_from_private:ident, $marshal:ident, $parse:ident, $sign:ident, $verify:ident) => {{
        use boring_sys as b;
        let r: &DsaRef = $r;
        // SAFETY: plain C structs, written by the calls below.
        let mut key: Box<b::$priv> = Box::new(unsafe { std::mem::zeroed() });
        // SAFETY: as above.
        let mut public: Box<b::$pub> = Box::new(unsafe { std::mem::zeroed() });
        let mut pk = vec![0u8; $pk_len];
        // SAFETY: as above.
        let mut cbb: b::CBB = unsafe { std::mem::zeroed() };
        // SAFETY: live key structs; a 32-byte seed; the CBB writes into `pk` (its
        // length) and never allocates.
        let keyed = unsafe {
            b::$from_seed(&mut *key, MLDSA_SEED.as_ptr(), MLDSA_SEED.len()) == 1
                && b::$public_from_private(&mut *public, &*key) == 1
                && b::CBB_init_fixed(&mut cbb, pk.as_mut_ptr(), pk.len()) == 1
                && b::$marshal(&mut cbb, &*public) == 1
        };
        fn verify(pk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
            // SAFETY: plain C struct, written by the call below.
            let mut public: Box<b::$pub> = Box::new(unsafe { std::mem::zeroed() });
            // (CBS_init is inline in BoringSSL's headers: the two fields are set here.)
            let mut cbs = b::CBS {
                data: pk.as_ptr(),
                len: pk.len(),
            };
            // SAFETY: the CBS reads `pk`; `sig` and `msg` live for their lengths.
            unsafe {
                b::$parse(&mut *public, &mut cbs) == 1
                    && b::$verify(
                        &*public,
                        sig.as_ptr(),
                        sig.len(),
                        msg.as_ptr(),
                        msg.len(),
                        ptr::null(),
                        0,
                    ) == 1
            }
        }
        if keyed && pk == r.pk {
            dsa_sign_cell(
                $reg,
                r,
                "raw:boringssl",
                pk.clone(),
                Box::new(move |m| {
                    let mut sig = vec![0u8; $sig_len];
                    // SAFETY: a key from the seed; a signature buffer of the set's size;
                    // `m` live for its length; empty context.
                    let ok = unsafe {
                        b::$sign(sig.as_mut_ptr(), &*key, m.as_ptr(), m.len(), ptr::null(), 0)
                    };
                    (ok == 1).then_some(sig)
                }),
                r.verify,
            );
            dsa_verify_cell(
                $reg,
                r,
                "raw:boringssl",
                Box::new(move |m, s| {
                    // SAFETY: the parsed key; `s` and `m` live for their lengths.
                    unsafe {
                        b::$verify(
                            &*public,
                            s.as_ptr(),
                            s.len(),
                            m.as_ptr(),
                            m.len(),
                            ptr::null(),
                            0,
                        ) == 1
                    }
                }),
            );
        } else {
            let why = "BoringSSL's key from the seed differs from ml-dsa's";
            $reg.add(Case::failed(
                NAME,
                format!("ml-dsa-{}-sign", r.level),
                "64B",
                "raw:boringssl",
                why,
            ));
            $reg.add(Case::failed(
                NAME,
                format!("ml-dsa-{}-verify", r.level),
                "64B",
                "raw:boringssl",
                why,
            ));
        }
        verify as fn(&[u8], &[u8], &[u8]) -> bool
    }};
}

/// liboqs's ML-DSA called directly (a random key pair; `_sign_with_ctx_str`,
/// `_verify_with_ctx_str`).
macro_rules! oqs_dsa {
    ($reg:expr, $r:expr, $pk_len:ident, $sk_len:ident, $sig_len:ident, $keypair:ident, $sign:ident, $verify:ident) => {{
        use oqs_sys::common::OQS_STATUS::OQS_SUCCESS;
        use oqs_sys::sig as q;
        oqs();
        let r: &DsaRef = $r;
        let (mut pk, mut sk) = (
            vec![0u8; q::$pk_len as usize],
            vec![0u8; q::$sk_len as usize],
        );
        // SAFETY: outputs of the set's sizes.
        let keyed = unsafe { q::$keypair(pk.as_mut_ptr(), sk.as_mut_ptr()) } == OQS_SUCCESS;
        if keyed {
            dsa_sign_cell(
                $reg,
                r,
                "raw:liboqs",
                pk,
                Box::new(move |m| {
                    let mut sig = vec![0u8; q::$sig_len as usize];
                    let mut len = 0usize;
                    // SAFETY: a signature buffer of the set's size, its length out; `m`
                    // live for its length; empty context; the set's secret key.
                    let rc = unsafe {
                        q::$sign(
                            sig.as_mut_ptr(),
                            &mut len,
                            m.as_ptr(),
                            m.len(),
                            ptr::null(),
                            0,
                            sk.as_ptr(),
                        )
                    };
                    (rc == OQS_SUCCESS && len == sig.len()).then_some(sig)
                }),
                r.verify,
            );
        } else {
            $reg.add(Case::failed(
                NAME,
                format!("ml-dsa-{}-sign", r.level),
                "64B",
                "raw:liboqs",
                "keypair failed",
            ));
        }
        let public = r.pk.clone();
        dsa_verify_cell(
            $reg,
            r,
            "raw:liboqs",
            Box::new(move |m, s| {
                // SAFETY: `m` and `s` live for their lengths; empty context; a public key
                // of the set's size (the reference's).
                unsafe {
                    q::$verify(
                        m.as_ptr(),
                        m.len(),
                        s.as_ptr(),
                        s.len(),
                        ptr::null(),
                        0,
                        public.as_ptr(),
                    ) == OQS_SUCCESS
                }
            }),
        );
    }};
}

/// AWS-LC's ML-DSA called directly through `EVP_PKEY` (the key from the seed,
/// `EVP_DigestSign` / `EVP_DigestVerify`: pure ML-DSA, empty context).
mod awslc_dsa {
    use aws_lc_sys as a;
    use std::ptr;

    pub struct Key(*mut a::EVP_PKEY);

    impl Drop for Key {
        fn drop(&mut self) {
            // SAFETY: an EVP_PKEY this wrapper owns, freed once.
            unsafe { a::EVP_PKEY_free(self.0) };
        }
    }

    fn nid(level: u8) -> i32 {
        match level {
            44 => a::NID_MLDSA44,
            65 => a::NID_MLDSA65,
            _ => a::NID_MLDSA87,
        }
    }

    /// The key pair of a 32-byte seed `ξ` (`EVP_PKEY_pqdsa_new_raw_private_key` takes the
    /// seed as well as the expanded key; `EVP_PKEY_keygen_deterministic` refuses ML-DSA).
    pub fn from_seed(level: u8, seed: &[u8; 32]) -> Option<Key> {
        // SAFETY: the seed is live for its length.
        let p =
            unsafe { a::EVP_PKEY_pqdsa_new_raw_private_key(nid(level), seed.as_ptr(), seed.len()) };
        (!p.is_null()).then_some(Key(p))
    }

    pub fn from_public(level: u8, pk: &[u8]) -> Option<Key> {
        // SAFETY: `pk` is live for its length.
        let p = unsafe { a::EVP_PKEY_pqdsa_new_raw_public_key(nid(level), pk.as_ptr(), pk.len()) };
        (!p.is_null()).then_some(Key(p))
    }

    pub fn public_bytes(key: &Key) -> Option<Vec<u8>> {
        let mut out = vec![0u8; 4096];
        let mut n = out.len();
        // SAFETY: a live key; `out` holds `n` bytes.
        let ok = unsafe { a::EVP_PKEY_get_raw_public_key(key.0, out.as_mut_ptr(), &mut n) } == 1;
        out.truncate(n);
        ok.then_some(out)
    }

    /// An `EVP_MD_CTX`, freed on drop.
    struct MdCtx(*mut a::EVP_MD_CTX);

    impl Drop for MdCtx {
        fn drop(&mut self) {
            // SAFETY: a context from EVP_MD_CTX_new, freed once.
            unsafe { a::EVP_MD_CTX_free(self.0) };
        }
    }

    fn md_ctx() -> Option<MdCtx> {
        // SAFETY: allocates a fresh context (null on failure).
        let c = unsafe { a::EVP_MD_CTX_new() };
        (!c.is_null()).then_some(MdCtx(c))
    }

    /// Signs `msg` (the EVP one-shot sequence: a context, `DigestSignInit` without a
    /// digest, `DigestSign`).
    pub fn sign(key: &Key, msg: &[u8], sig_len: usize) -> Option<Vec<u8>> {
        let ctx = md_ctx()?;
        let mut sig = vec![0u8; sig_len];
        let mut n = sig.len();
        // SAFETY: a fresh context and a live private key; `sig` holds `n` bytes, `msg`
        // is live for its length.
        let ok = unsafe {
            a::EVP_DigestSignInit(ctx.0, ptr::null_mut(), ptr::null(), ptr::null_mut(), key.0) == 1
                && a::EVP_DigestSign(ctx.0, sig.as_mut_ptr(), &mut n, msg.as_ptr(), msg.len()) == 1
        };
        (ok && n == sig_len).then_some(sig)
    }

    pub fn verify(key: &Key, msg: &[u8], sig: &[u8]) -> bool {
        let Some(ctx) = md_ctx() else {
            return false;
        };
        // SAFETY: a fresh context and a live public key; `sig` and `msg` are live for
        // their lengths.
        unsafe {
            a::EVP_DigestVerifyInit(ctx.0, ptr::null_mut(), ptr::null(), ptr::null_mut(), key.0)
                == 1
                && a::EVP_DigestVerify(ctx.0, sig.as_ptr(), sig.len(), msg.as_ptr(), msg.len()) == 1
        }
    }
}

/// The `raw:aws-lc` ML-DSA cells (the key of [`MLDSA_SEED`], checked against `ml-dsa`'s).
fn awslc_raw_dsa(reg: &mut Registry, r: &DsaRef) {
    let imp = "raw:aws-lc";
    let sig_len = r.sig.len();
    match awslc_dsa::from_seed(r.level, &MLDSA_SEED) {
        Some(key) if awslc_dsa::public_bytes(&key).as_deref() == Some(r.pk.as_slice()) => {
            dsa_sign_cell(
                reg,
                r,
                imp,
                r.pk.clone(),
                Box::new(move |m| awslc_dsa::sign(&key, m, sig_len)),
                r.verify,
            );
        }
        _ => reg.add(Case::failed(
            NAME,
            format!("ml-dsa-{}-sign", r.level),
            "64B",
            imp,
            "AWS-LC's key from the seed is missing or differs from ml-dsa's",
        )),
    }
    match awslc_dsa::from_public(r.level, &r.pk) {
        Some(key) => dsa_verify_cell(
            reg,
            r,
            imp,
            Box::new(move |m, s| awslc_dsa::verify(&key, m, s)),
        ),
        None => reg.add(Case::failed(
            NAME,
            format!("ml-dsa-{}-verify", r.level),
            "64B",
            imp,
            "EVP_PKEY_pqdsa_new_raw_public_key failed",
        )),
    }
}

fn rustcrypto_dsa_cells<P: ml_dsa::MlDsaParams + 'static>(
    reg: &mut Registry,
    r: &DsaRef,
    sk: ml_dsa::SigningKey<P>,
    check: fn(&[u8], &[u8], &[u8]) -> bool,
) {
    let vk = sk.expanded_key().verifying_key();
    dsa_sign_cell(
        reg,
        r,
        "peer:ml-dsa",
        r.pk.clone(),
        Box::new(move |m| {
            Some(
                sk.expanded_key()
                    .sign_deterministic(m, &[])
                    .ok()?
                    .encode()
                    .to_vec(),
            )
        }),
        check,
    );
    dsa_verify_cell(
        reg,
        r,
        "peer:ml-dsa",
        Box::new(move |m, s| {
            ml_dsa::Signature::<P>::try_from(s)
                .is_ok_and(|sig| vk.verify_with_context(m, &[], &sig))
        }),
    );
}

fn mldsa_rows(reg: &mut Registry) {
    let (r, sk) = rustcrypto_dsa!(44, ml_dsa::MlDsa44);
    arsenal_dsa::<BoringSsl, alg::MlDsa44>(reg, &r, "arsenal:boringssl");
    let boring_verify = boring_dsa!(
        reg,
        &r,
        1312,
        2420,
        MLDSA44_private_key,
        MLDSA44_public_key,
        MLDSA44_private_key_from_seed,
        MLDSA44_public_from_private,
        MLDSA44_marshal_public_key,
        MLDSA44_parse_public_key,
        MLDSA44_sign,
        MLDSA44_verify
    );
    arsenal_dsa::<Liboqs, alg::MlDsa44>(reg, &r, "arsenal:liboqs");
    oqs_dsa!(
        reg,
        &r,
        OQS_SIG_ml_dsa_44_length_public_key,
        OQS_SIG_ml_dsa_44_length_secret_key,
        OQS_SIG_ml_dsa_44_length_signature,
        OQS_SIG_ml_dsa_44_keypair,
        OQS_SIG_ml_dsa_44_sign_with_ctx_str,
        OQS_SIG_ml_dsa_44_verify_with_ctx_str
    );
    arsenal_dsa::<AwsLc, alg::MlDsa44>(reg, &r, "arsenal:aws-lc");
    awslc_raw_dsa(reg, &r);
    rustcrypto_dsa_cells(reg, &r, sk, boring_verify);

    let (r, sk) = rustcrypto_dsa!(65, ml_dsa::MlDsa65);
    arsenal_dsa::<BoringSsl, alg::MlDsa65>(reg, &r, "arsenal:boringssl");
    let boring_verify = boring_dsa!(
        reg,
        &r,
        1952,
        3309,
        MLDSA65_private_key,
        MLDSA65_public_key,
        MLDSA65_private_key_from_seed,
        MLDSA65_public_from_private,
        MLDSA65_marshal_public_key,
        MLDSA65_parse_public_key,
        MLDSA65_sign,
        MLDSA65_verify
    );
    arsenal_dsa::<Liboqs, alg::MlDsa65>(reg, &r, "arsenal:liboqs");
    oqs_dsa!(
        reg,
        &r,
        OQS_SIG_ml_dsa_65_length_public_key,
        OQS_SIG_ml_dsa_65_length_secret_key,
        OQS_SIG_ml_dsa_65_length_signature,
        OQS_SIG_ml_dsa_65_keypair,
        OQS_SIG_ml_dsa_65_sign_with_ctx_str,
        OQS_SIG_ml_dsa_65_verify_with_ctx_str
    );
    arsenal_dsa::<AwsLc, alg::MlDsa65>(reg, &r, "arsenal:aws-lc");
    awslc_raw_dsa(reg, &r);
    rustcrypto_dsa_cells(reg, &r, sk, boring_verify);

    let (r, sk) = rustcrypto_dsa!(87, ml_dsa::MlDsa87);
    arsenal_dsa::<BoringSsl, alg::MlDsa87>(reg, &r, "arsenal:boringssl");
    let boring_verify = boring_dsa!(
        reg,
        &r,
        2592,
        4627,
        MLDSA87_private_key,
        MLDSA87_public_key,
        MLDSA87_private_key_from_seed,
        MLDSA87_public_from_private,
        MLDSA87_marshal_public_key,
        MLDSA87_parse_public_key,
        MLDSA87_sign,
        MLDSA87_verify
    );
    arsenal_dsa::<Liboqs, alg::MlDsa87>(reg, &r, "arsenal:liboqs");
    oqs_dsa!(
        reg,
        &r,
        OQS_SIG_ml_dsa_87_length_public_key,
        OQS_SIG_ml_dsa_87_length_secret_key,
        OQS_SIG_ml_dsa_87_length_signature,
        OQS_SIG_ml_dsa_87_keypair,
        OQS_SIG_ml_dsa_87_sign_with_ctx_str,
        OQS_SIG_ml_dsa_87_verify_with_ctx_str
    );
    arsenal_dsa::<AwsLc, alg::MlDsa87>(reg, &r, "arsenal:aws-lc");
    awslc_raw_dsa(reg, &r);
    rustcrypto_dsa_cells(reg, &r, sk, boring_verify);
}

// ---- Argon2id ---------------------------------------------------------------------

const ARGON2_PASSWORD: &[u8] = b"correct horse battery staple";
const ARGON2_SALT: [u8; 16] = pattern::<16>(0x2a);
/// OWASP's Argon2id setting: 19 MiB, 2 passes, 1 lane.
const ARGON2_MEM_KIB: u32 = 19 * 1024;
const ARGON2_PASSES: u32 = 2;

fn argon2_peer(out: &mut [u8; 32]) -> bool {
    let Ok(params) = argon2::Params::new(ARGON2_MEM_KIB, ARGON2_PASSES, 1, Some(32)) else {
        return false;
    };
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(ARGON2_PASSWORD, &ARGON2_SALT, out)
        .is_ok()
}

fn argon2_rows(reg: &mut Registry) {
    let mut want = [0u8; 32];
    if !argon2_peer(&mut want) {
        reg.add(Case::failed(
            NAME,
            "argon2id",
            "m19MiB-t2",
            "peer:argon2",
            "argon2 failed",
        ));
        return;
    }
    let mut cell = |imp: &str, f: fn(&mut [u8; 32]) -> bool| {
        reg.add(
            Case::new(NAME, "argon2id", "m19MiB-t2", imp, 0, 1, move || {
                let mut out = [0u8; 32];
                if f(&mut out) {
                    first8(&out)
                } else {
                    0
                }
            })
            .expect(first8(&want))
            .verify(move || {
                let mut out = [0u8; 32];
                if !f(&mut out) {
                    return Err("hashing failed".to_owned());
                }
                compare("hash", &out, &want)
            }),
        );
    };
    cell("arsenal:libsodium", |out| {
        arsenal_crypto::argon2id::<Libsodium>(
            ARGON2_PASSWORD,
            &ARGON2_SALT,
            u64::from(ARGON2_PASSES),
            (ARGON2_MEM_KIB as usize) << 10,
            out,
        )
        .is_ok()
    });
    cell("raw:libsodium", |out| {
        use libsodium_sys as s;
        // SAFETY: a 32-byte output, the password and a 16-byte salt live for their
        // lengths; the limits are within libsodium's bounds.
        sodium()
            && unsafe {
                s::crypto_pwhash(
                    out.as_mut_ptr(),
                    out.len() as u64,
                    ARGON2_PASSWORD.as_ptr().cast(),
                    ARGON2_PASSWORD.len() as u64,
                    ARGON2_SALT.as_ptr(),
                    u64::from(ARGON2_PASSES),
                    (ARGON2_MEM_KIB as usize) << 10,
                    s::crypto_pwhash_ALG_ARGON2ID13 as i32,
                )
            } == 0
    });
    cell("peer:argon2", argon2_peer);
}

// ---- Memory rows ------------------------------------------------------------------

/// AES-256-GCM keys alive together in the memory rows.
pub const KEYS: usize = 64;
const MEMORY_DATASET: &str = "aes-256-gcm-key";

/// `make`'s key, checked by sealing the 16-byte reference message (`None`: the row
/// fails), then bytes per key ([`KEYS`] alive).
fn key_bytes<T>(
    make: impl Fn() -> Option<T>,
    seal: impl Fn(&T, &mut [u8]) -> Option<[u8; 16]>,
) -> Option<f64> {
    let r = sealed(Cipher::Aes256Gcm, 16, "16B");
    let key = make()?;
    let mut data = r.pt.clone();
    if seal(&key, &mut data)? != r.tag || data != r.ct {
        return None;
    }
    held_per_value(KEYS, |_| make())
}

/// The `crypto/memory/aes-256-gcm-key` rows (see the module docs; after the timing runs).
pub fn memory_rows() -> Vec<MemoryRow> {
    use aes_gcm::aead::KeyInit;
    let n = &NONCE[..12];
    let c = Cipher::Aes256Gcm;
    let mut measured: Vec<(&str, Option<f64>)> = vec![
        (
            "raw:boringssl",
            key_bytes(|| boring::AeadCtx::new(c), |k, d| k.seal(n, d)),
        ),
        (
            "raw:aws-lc",
            key_bytes(|| awslc::AeadCtx::new(c), |k, d| k.seal(n, d)),
        ),
    ];
    type Arsenal<P> = arsenal_crypto::Aead<P, alg::Aes256Gcm>;
    measured.push((
        "arsenal:boringssl",
        key_bytes(
            || Arsenal::<BoringSsl>::new_from_slice(&KEY).ok(),
            |k, d| k.seal_in_place_detached(n, &AAD, d).ok(),
        ),
    ));
    measured.push((
        "arsenal:aws-lc",
        key_bytes(
            || Arsenal::<AwsLc>::new_from_slice(&KEY).ok(),
            |k, d| k.seal_in_place_detached(n, &AAD, d).ok(),
        ),
    ));
    if sodium_aead::aes_available() {
        measured.push((
            "arsenal:libsodium",
            key_bytes(
                || Arsenal::<Libsodium>::new_from_slice(&KEY).ok(),
                |k, d| k.seal_in_place_detached(n, &AAD, d).ok(),
            ),
        ));
    }
    if sodium_aead::aes_available() {
        measured.push((
            "raw:libsodium",
            key_bytes(sodium_aead::AesState::new, |k, d| {
                sodium_aead::seal(c, Some(k), d)
            }),
        ));
    }
    measured.push((
        "peer:ring",
        key_bytes(
            || ring_key(c),
            |k, d| {
                let nonce = ring::aead::Nonce::assume_unique_for_key(nonce12(c));
                k.seal_in_place_separate_tag(nonce, ring::aead::Aad::from(AAD), d)
                    .ok()?
                    .as_ref()
                    .try_into()
                    .ok()
            },
        ),
    ));
    measured.push((
        "peer:aws-lc-rs",
        key_bytes(
            || awslc_rs_key(c),
            |k, d| {
                let nonce = aws_lc_rs::aead::Nonce::assume_unique_for_key(nonce12(c));
                k.seal_in_place_separate_tag(nonce, aws_lc_rs::aead::Aad::from(AAD), d)
                    .ok()?
                    .as_ref()
                    .try_into()
                    .ok()
            },
        ),
    ));
    measured.push((
        "peer:rustcrypto",
        key_bytes(
            || aes_gcm::Aes256Gcm::new_from_slice(&KEY).ok(),
            |k, d| rc_seal(k, n, d),
        ),
    ));
    let what = format!(
        "one AES-256-GCM key object (expanded key / AEAD context): size_of + heap bytes in use \
         it holds (glibc mallinfo2), {KEYS} alive, / {KEYS}"
    );
    measured
        .into_iter()
        .map(|(imp, bytes)| MemoryRow {
            domain: NAME.to_owned(),
            dataset: MEMORY_DATASET.to_owned(),
            what: what.clone(),
            imp: imp.to_owned(),
            items: KEYS as u64,
            bytes_per_item: bytes.filter(|b| b.is_finite()),
        })
        .collect()
}

/// What the rows compare, and what `--native` changes.
fn note(machine: &Machine) -> Option<String> {
    let native = if machine.target_features.iter().any(|f| f == "avx2") {
        "this build's Rust code was compiled with AVX2 enabled"
    } else {
        "this build's Rust code was compiled for the baseline CPU"
    };
    Some(format!(
        "Seal/open: one message per iteration, in place, with a context made once; open \
         copies the ciphertext in first (every implementation alike). peer:aws-lc-rs is \
         AWS-LC itself (the library of raw:aws-lc) behind its own safe Rust API; peer:ring \
         is Rust over BoringSSL-derived assembly; sha3-256 has no C backend in \
         arsenal-crypto (peer rows only). BoringSSL, AWS-LC, libsodium, liboqs and BLAKE3 \
         pick their assembly at run time (CPUID), so --native changes only the Rust peers \
         ({native}). ring has no static X25519 key: its row is ephemeral-dh (key generation \
         + agreement). peer:libcrux-ml-kem's encapsulation randomness is a counter (no RNG \
         call); peer:ml-dsa signs deterministically; the C libraries hedge."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{verify_cases, Progress, Status};

    /// The registered cells verify (the small datasets and Argon2id: a unit test stays
    /// fast).
    #[test]
    fn registered_cells_verify() {
        let mut registry = Registry::new();
        (DOMAIN.register)(&mut registry, None);
        registry.retain_matching(
            &regex::Regex::new(
                "/(16B|64B|seed|random|ct|dh|42B|public-key|ephemeral-dh|m19MiB-t2)/",
            )
            .unwrap(),
        );
        assert!(registry.len() > 100, "{}", registry.len());
        for row in verify_cases(registry.into_cases(), &mut Progress::hidden()) {
            assert!(
                matches!(row.status, Status::Verified | Status::Unsupported),
                "{}: {:?} {:?}",
                row.id,
                row.status,
                row.error
            );
        }
    }

    #[test]
    fn wrong_outputs_fail() {
        let mut registry = Registry::new();
        let r = sealed(Cipher::Aes256Gcm, 16, "16B");
        // A wrong key: different ciphertext and tag.
        seal_cell(&mut registry, &r, "peer:wrong-key", |d| {
            use aes_gcm::aead::KeyInit;
            rc_seal(
                &aes_gcm::Aes256Gcm::new_from_slice(&[0u8; 32]).ok()?,
                &NONCE[..12],
                d,
            )
        });
        // An opener that accepts anything and leaves the ciphertext.
        open_cell(&mut registry, &r, "peer:no-auth", |_| true);
        let input: Rc<[u8]> = Rc::from(buffer(64));
        let want = Rc::new(reference_digest("sha256", &input));
        digest_cell(
            &mut registry,
            "sha256",
            "64B",
            &input,
            &want,
            "peer:sha512-prefix",
            |d, o| {
                o.copy_from_slice(&reference_digest("sha512", d)[..32]);
                true
            },
        );
        ed25519_verify_cell(&mut registry, "peer:accept-all", [0u8; 64], |_, _| true);
        let rows = verify_cases(registry.into_cases(), &mut Progress::hidden());
        assert_eq!(rows.len(), 4);
        assert!(
            rows.iter().all(|row| row.status == Status::Failed),
            "{rows:?}"
        );
    }

    #[test]
    fn memory_rows_cover_aes_256_gcm() {
        let rows = memory_rows();
        for imp in [
            "arsenal:boringssl",
            "arsenal:aws-lc",
            "raw:boringssl",
            "raw:aws-lc",
            "peer:ring",
            "peer:aws-lc-rs",
            "peer:rustcrypto",
        ] {
            let id = format!("crypto/memory/aes-256-gcm-key/{imp}");
            let row = rows.iter().find(|row| row.id() == id);
            assert!(
                row.is_some_and(|row| row.bytes_per_item.is_some_and(|b| b > 0.0)),
                "{id}: {row:?}"
            );
        }
        assert!(
            rows.iter().all(|row| row.bytes_per_item.is_some()),
            "{rows:?}"
        );
    }
}
