//! Hashing rows of the matrix: `hash/<algorithm>/<size>/<impl>`.
//!
//! Algorithms: `xxh3-64`, `xxh64`, `xxh32`, `xxh3-128`, `highwayhash-64`, `siphash24`,
//! `blake3`, `wyhash`, `rapidhash`, and the peer-only `foldhash` and `ahash`. Sizes: `4B`,
//! `16B`, `64B`, `1KiB`, `64KiB`, `1MiB`. One iteration hashes `max(1, 64 KiB / size)`
//! distinct, consecutive slices of a buffer (so each iteration covers at least 64 KiB and
//! timer overhead vanishes); `items` is the number of hashes (ns per hash =
//! 1e9 / items_per_s) and `bytes` the bytes hashed (GB/s). The checksum is the wrapping
//! sum of the 64-bit results (XXH3-128: low ^ high), identical for every implementation
//! of one algorithm with the same key.
//!
//! | impl | what one hash calls |
//! |---|---|
//! | `arsenal:xxhash` | [`arsenal_hash::Xxh32`] / [`arsenal_hash::Xxh64`] / [`arsenal_hash::Xxh3_64`] / [`arsenal_hash::Xxh3_128`] one-shot |
//! | `raw:xxhash` | libxxhash's `XXH32` / `XXH64` / `XXH3_64bits_withSeed` / `XXH3_128bits_withSeed` |
//! | `arsenal:highwayhash` | [`arsenal_hash::HighwayHash::hash64_with_key`] (our shim: the library's run-time dispatch) |
//! | `raw:highwayhash` | libhighwayhash's C binding `HighwayHash64` (`siphash24`: its `SipHashC`) |
//! | `arsenal:libsodium` | [`arsenal_hash::SipHash24::hash_with_key`] |
//! | `raw:libsodium` | `crypto_shorthash_siphash24` |
//! | `arsenal:blake3` | [`arsenal_hash::Blake3`] as a `Hasher64` (first 8 bytes of the digest) |
//! | `raw:blake3` | the `blake3` crate's `blake3::hash` (the crate *is* the official C/asm implementation; our wrapper sits on it) |
//! | `arsenal:wyhash`, `arsenal:rapidhash` | our native implementations |
//! | `peer:xxhash-rust`, `peer:twox-hash` | pure-Rust XXH32/XXH64/XXH3 |
//! | `peer:rapidhash` | the `rapidhash` crate, `rapidhash_v3_seeded` with the C++ seeding |
//! | `peer:std-siphash` | std's deprecated `SipHasher` (SipHash-2-4; std's `DefaultHasher` is SipHash-1-3) |
//! | `peer:foldhash`, `peer:ahash` | their `Hasher` over the bytes (different algorithms: own rows) |

use std::hash::{BuildHasher, Hasher};
use std::hint::black_box;

use crate::harness::{Case, Registry};
use arsenal_hash::{Blake3, Hasher128, Hasher64, HighwayHash, RapidHash, SipHash24, WyHash};
use arsenal_hash::{Xxh32, Xxh3_128, Xxh3_64, Xxh64};

const DOMAIN: &str = "hash";

/// (size in bytes, dataset name).
const SIZES: [(usize, &str); 6] = [
    (4, "4B"),
    (16, "16B"),
    (64, "64B"),
    (1 << 10, "1KiB"),
    (64 << 10, "64KiB"),
    (1 << 20, "1MiB"),
];

/// The seed of every seeded row (below 2³², so XXH32's fold leaves it unchanged).
const SEED: u64 = 0x5EED_1234;
/// HighwayHash's key (highwayhash_test.cc's).
const HH_KEY: [u64; 4] = [
    0x0706_0504_0302_0100,
    0x0F0E_0D0C_0B0A_0908,
    0x1716_1514_1312_1110,
    0x1F1E_1D1C_1B1A_1918,
];
/// SipHash's key as two words and as the 16 bytes they are read from.
const SIP_K: [u64; 2] = [0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908];

fn sip_key_bytes() -> [u8; 16] {
    let mut key = [0u8; 16];
    key[..8].copy_from_slice(&SIP_K[0].to_le_bytes());
    key[8..].copy_from_slice(&SIP_K[1].to_le_bytes());
    key
}

/// Hashes per iteration for `size`.
fn count(size: usize) -> usize {
    ((64 << 10) / size).max(1)
}

fn buffer(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(0x9E37) ^ (i >> 7)) as u8)
        .collect()
}

/// A case hashing `count(size)` slices of `size` bytes with `f`.
fn case(op: &str, size: usize, name: &str, imp: &str, f: fn(&[u8]) -> u64) -> Case {
    let n = count(size);
    let buf = buffer(n * size);
    Case::new(
        DOMAIN,
        op,
        name,
        imp,
        (n * size) as u64,
        n as u64,
        move || {
            let data = black_box(&buf[..]);
            let mut sum = 0u64;
            for chunk in data.chunks_exact(size) {
                sum = sum.wrapping_add(f(chunk));
            }
            sum
        },
    )
}

fn fold128(h: u128) -> u64 {
    (h as u64) ^ ((h >> 64) as u64)
}

type Row = (&'static str, &'static str, fn(&[u8]) -> u64);

#[allow(deprecated)]
fn std_siphash(d: &[u8]) -> u64 {
    let mut h = std::hash::SipHasher::new_with_keys(SIP_K[0], SIP_K[1]);
    h.write(d);
    h.finish()
}

fn sodium_siphash(d: &[u8]) -> u64 {
    let mut out = [0u8; 8];
    let key = sip_key_bytes();
    // SAFETY: `out` has crypto_shorthash_BYTES (8), `key` KEYBYTES (16); `d` is live.
    unsafe {
        libsodium_sys::crypto_shorthash_siphash24(
            out.as_mut_ptr(),
            d.as_ptr(),
            d.len() as u64,
            key.as_ptr(),
        )
    };
    u64::from_le_bytes(out)
}

fn rows() -> Vec<Row> {
    use arsenal_xxhash_sys as xx;
    vec![
        ("xxh3-64", "arsenal:xxhash", |d| Xxh3_64::hash64(SEED, d)),
        ("xxh3-64", "raw:xxhash", |d| {
            // SAFETY: `d` is a live slice of `d.len()` bytes.
            unsafe { xx::XXH3_64bits_withSeed(d.as_ptr().cast(), d.len(), SEED) }
        }),
        ("xxh3-64", "peer:xxhash-rust", |d| {
            xxhash_rust::xxh3::xxh3_64_with_seed(d, SEED)
        }),
        ("xxh3-64", "peer:twox-hash", |d| {
            twox_hash::XxHash3_64::oneshot_with_seed(SEED, d)
        }),
        ("xxh64", "arsenal:xxhash", |d| Xxh64::hash64(SEED, d)),
        ("xxh64", "raw:xxhash", |d| {
            // SAFETY: `d` is a live slice.
            unsafe { xx::XXH64(d.as_ptr().cast(), d.len(), SEED) }
        }),
        ("xxh64", "peer:xxhash-rust", |d| {
            xxhash_rust::xxh64::xxh64(d, SEED)
        }),
        ("xxh64", "peer:twox-hash", |d| {
            twox_hash::XxHash64::oneshot(SEED, d)
        }),
        ("xxh32", "arsenal:xxhash", |d| {
            u64::from(Xxh32::hash32(SEED as u32, d))
        }),
        ("xxh32", "raw:xxhash", |d| {
            // SAFETY: `d` is a live slice.
            u64::from(unsafe { xx::XXH32(d.as_ptr().cast(), d.len(), SEED as u32) })
        }),
        ("xxh32", "peer:xxhash-rust", |d| {
            u64::from(xxhash_rust::xxh32::xxh32(d, SEED as u32))
        }),
        ("xxh32", "peer:twox-hash", |d| {
            u64::from(twox_hash::XxHash32::oneshot(SEED as u32, d))
        }),
        ("xxh3-128", "arsenal:xxhash", |d| {
            fold128(Xxh3_128::hash128(SEED, d))
        }),
        ("xxh3-128", "raw:xxhash", |d| {
            // SAFETY: `d` is a live slice.
            let h = unsafe { xx::XXH3_128bits_withSeed(d.as_ptr().cast(), d.len(), SEED) };
            h.low64 ^ h.high64
        }),
        ("xxh3-128", "peer:xxhash-rust", |d| {
            fold128(xxhash_rust::xxh3::xxh3_128_with_seed(d, SEED))
        }),
        ("xxh3-128", "peer:twox-hash", |d| {
            fold128(twox_hash::XxHash3_128::oneshot_with_seed(SEED, d))
        }),
        ("highwayhash-64", "arsenal:highwayhash", |d| {
            HighwayHash::hash64_with_key(&HH_KEY, d)
        }),
        ("highwayhash-64", "raw:highwayhash", |d| {
            // SAFETY: the key has four words; `d` is a live slice.
            unsafe {
                arsenal_highwayhash_sys::HighwayHash64(
                    HH_KEY.as_ptr(),
                    d.as_ptr().cast(),
                    d.len() as u64,
                )
            }
        }),
        ("siphash24", "arsenal:libsodium", |d| {
            SipHash24::hash_with_key(&sip_key_bytes(), d)
        }),
        ("siphash24", "raw:libsodium", sodium_siphash),
        ("siphash24", "raw:highwayhash", |d| {
            // SAFETY: the key has two words; `d` is a live slice.
            unsafe {
                arsenal_highwayhash_sys::SipHashC(SIP_K.as_ptr(), d.as_ptr().cast(), d.len() as u64)
            }
        }),
        ("siphash24", "peer:std-siphash", std_siphash),
        ("blake3", "arsenal:blake3", |d| {
            <Blake3 as Hasher64>::hash64(0, d)
        }),
        ("blake3", "raw:blake3", |d| {
            let digest = blake3::hash(d);
            let mut b = [0u8; 8];
            b.copy_from_slice(&digest.as_bytes()[..8]);
            u64::from_le_bytes(b)
        }),
        ("wyhash", "arsenal:wyhash", |d| WyHash::hash64(SEED, d)),
        ("rapidhash", "arsenal:rapidhash", |d| {
            RapidHash::hash64(SEED, d)
        }),
        ("rapidhash", "peer:rapidhash", |d| {
            // seed_cpp is a const fn of SEED: computed at compile time.
            const SECRETS: rapidhash::v3::RapidSecrets =
                rapidhash::v3::RapidSecrets::seed_cpp(SEED);
            rapidhash::v3::rapidhash_v3_seeded(d, &SECRETS)
        }),
        ("foldhash", "peer:foldhash", |d| {
            let mut h = foldhash::fast::FixedState::with_seed(SEED).build_hasher();
            h.write(d);
            h.finish()
        }),
        ("ahash", "peer:ahash", |d| {
            let mut h = ahash::RandomState::with_seeds(SEED, 1, 2, 3).build_hasher();
            h.write(d);
            h.finish()
        }),
    ]
}

/// Registers the hash rows.
pub fn register(reg: &mut Registry) {
    // libsodium must be initialised before its first call (the arsenal rows do it
    // themselves; the raw row relies on this).
    // SAFETY: sodium_init is thread-safe and idempotent.
    let rc = unsafe { libsodium_sys::sodium_init() };
    let sodium_ok = rc >= 0;
    for (op, imp, f) in rows() {
        for (size, name) in SIZES {
            if imp.ends_with("libsodium") && !sodium_ok {
                reg.add(Case::failed(
                    DOMAIN,
                    op,
                    name,
                    imp,
                    format!("sodium_init returned {rc}"),
                ));
            } else {
                reg.add(case(op, size, name, imp, f));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Implementations of one algorithm agree, so their checksums match.
    #[test]
    fn implementations_of_one_algorithm_agree() {
        let data = buffer(3000);
        let rows = rows();
        for len in [0, 1, 3, 4, 15, 16, 17, 64, 100, 1024, 3000] {
            let d = &data[..len];
            for (op, imp, f) in &rows {
                let first = rows.iter().find(|(o, _, _)| o == op).expect("row");
                assert_eq!(f(d), (first.2)(d), "{op}: {imp} vs {} at {len}", first.1);
            }
        }
        // SAFETY: idempotent initialisation.
        assert!(unsafe { libsodium_sys::sodium_init() } >= 0);
    }
}
