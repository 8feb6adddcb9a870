//! Hashing rows of the matrix: `hash/<algorithm>/<size>/<impl>`.
//!
//! Algorithms: `xxh3-64`, `xxh64`, `xxh32`, `xxh3-128`, `highwayhash-64`, `siphash24`,
//! `blake3`, `wyhash`, `rapidhash`, and the peer-only `foldhash` and `ahash`. Sizes: `4B`,
//! `16B`, `64B`, `1KiB`, `64KiB`, `1MiB`. One iteration hashes `max(1, 64 KiB / size)`
//! distinct, consecutive slices of a buffer (so each iteration covers at least 64 KiB and
//! timer overhead vanishes); `items` is the number of hashes (the domain's extra tables
//! show ns per hash) and `bytes` the bytes hashed (GB/s). The checksum is the wrapping
//! sum of the 64-bit results (XXH3-128: low ^ high).
//!
//! Every hash is called directly in its cell's own closure: the loop over the slices is
//! generic over it (monomorphised), so arsenal, raw and peer calls alike can be inlined
//! where their code allows it; no function pointer sits between the loop and the hash.
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
//!
//! **Verification.** Each cell's checksum must equal the sum computed once, outside the
//! timing, with the algorithm's reference implementation on the same slices; a check
//! run before timing also tests that reference against published test vectors:
//!
//! | algorithm | reference | published vectors |
//! |---|---|---|
//! | XXH32, XXH64, XXH3-64, XXH3-128 | `xxhash-rust` | xxHash's empty-input values (and XXH3-128 of `abc`) |
//! | HighwayHash-64 | libhighwayhash's portable C (`HighwayHash64`) | the 65 `kExpected64` values of `highwayhash_test.cc` (our key is its test key) |
//! | SipHash-2-4 | std's `SipHasher` | the SipHash paper's `vectors_sip64` (our key is its `00..0f`) |
//! | BLAKE3 | the `blake3` crate | BLAKE3's `test_vectors.json` (lengths 0, 1, 1023, 1024) |
//! | wyhash | `arsenal_hash::backend::wyhash::wyhash` (the only implementation in the build) | wyhash final 4.2's `test_vector.cpp` |
//! | rapidhash | the `rapidhash` crate (its port of the C++ v3, tested against it by its authors) | none published |
//! | foldhash, ahash | the crate itself | none: the function is whatever the crate version computes (ahash: also per target features) |
//!
//! So a cell whose implementation is its algorithm's reference (`peer:xxhash-rust`,
//! `raw:highwayhash`, `peer:std-siphash`, `raw:blake3`, `peer:rapidhash`,
//! `arsenal:wyhash`, `peer:foldhash`, `peer:ahash`) is checked against the vectors only:
//! consistent with the published function where vectors exist, self-consistent (same
//! value timed and untimed; distinct inputs give distinct hashes) for foldhash, ahash
//! and rapidhash.
//!
//! **Memory rows** (after the timing runs, [`memory_rows`]): `hash/memory/stream-16KiB/<impl>`,
//! the state of a streaming hasher after [`STREAM`] bytes of updates ([`UPDATE`] bytes
//! each) and before its finish: `size_of` the hasher plus the heap bytes in use it holds
//! (glibc `mallinfo2`: C states from `XXH*_createState` or `new`, and Rust buffers),
//! [`HASHERS`] alive together, / [`HASHERS`]. `arsenal:<backend>` are named after
//! arsenal-hash's backends (`arsenal:xxh32`, `arsenal:highwayhash-64`, ...; the crate's
//! streaming type of each); `raw:xxhash/<algorithm>` are libxxhash's states created
//! directly, `raw:blake3` the `blake3` crate's `Hasher`; the peers their streaming
//! hashers (`std::hash::Hasher` for foldhash, ahash and std's SipHasher). A hasher that
//! buffers its input instead of folding it into a fixed state shows it here.
//!
//! **Compile-time SIMD.** Some peers choose their code paths from the target features
//! the crate was compiled with, not at run time: `peer:ahash` uses AES-NI only with the
//! `aes` target feature (else its fallback), `peer:xxhash-rust`'s XXH3 uses AVX2 only with
//! `avx2` (else SSE2). They therefore change with `-C target-cpu=native` (the harness's
//! `native` profile). libxxhash's XXH3 (`arsenal:xxhash`, `raw:xxhash`) is fixed where
//! the library is compiled: by CFLAGS (`-march=native`) when built from source, by the
//! distribution for a system library. `peer:twox-hash` and `blake3` detect AVX2 at run time;
//! foldhash, rapidhash, wyhash and SipHash use no SIMD. The domain's note says which
//! paths a report's build had.

use std::hash::{BuildHasher, Hasher};
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_per_value;
use crate::harness::{BenchResult, Case, Registry};
use crate::machine::Machine;
use crate::report::{dataset_table, MemoryRow, Table, Unit};
use crate::strategy::pick;
use arsenal_hash::{Blake3, Hasher128, Hasher64, HighwayHash, RapidHash, SipHash24, WyHash};
use arsenal_hash::{Xxh32, Xxh3_128, Xxh3_64, Xxh64};

const NAME: &str = "hash";

/// The hashing domain; its extra tables give ns per hash for every algorithm.
///
/// ```
/// let mut registry = arsenal_bench::harness::Registry::new();
/// (arsenal_bench::hash::DOMAIN.register)(&mut registry, None);
/// assert!(registry.ids().contains(&"hash/xxh3-64/4B/raw:xxhash".to_owned()));
/// ```
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Hashing",
    register,
    tables: |results, _machine| per_hash_tables(results),
    note,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-hash",
        pick: pick::<arsenal_hash::Backend>,
    }),
    ..Domain::EMPTY
};

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
/// HighwayHash's key: the test key of `highwayhash_test.cc` (bytes 0..32).
const HH_KEY: [u64; 4] = [
    0x0706_0504_0302_0100,
    0x0F0E_0D0C_0B0A_0908,
    0x1716_1514_1312_1110,
    0x1F1E_1D1C_1B1A_1918,
];
/// SipHash's key, the SipHash paper's `00 01 .. 0f`, as bytes and as the two
/// little-endian words read from them.
const SIP_KEY: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const SIP_K: [u64; 2] = [0x0706_0504_0302_0100, 0x0F0E_0D0C_0B0A_0908];

/// Hashes per iteration for `size`.
fn count(size: usize) -> usize {
    ((64 << 10) / size).max(1)
}

fn buffer(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(0x9E37) ^ (i >> 7)) as u8)
        .collect()
}

fn fold128(h: u128) -> u64 {
    (h as u64) ^ ((h >> 64) as u64)
}

/// The checksum of `hash` over `data`'s consecutive `size`-byte slices.
#[inline(always)]
fn sum_of<F: Fn(&[u8]) -> u64>(data: &[u8], size: usize, hash: &F) -> u64 {
    data.chunks_exact(size)
        .fold(0u64, |sum, chunk| sum.wrapping_add(hash(chunk)))
}

// ---- References and published vectors (never timed) -------------------------------

#[allow(deprecated)] // SipHasher is SipHash-2-4, the algorithm of these rows
fn std_siphash(d: &[u8]) -> u64 {
    let mut h = std::hash::SipHasher::new_with_keys(SIP_K[0], SIP_K[1]);
    h.write(d);
    h.finish()
}

fn rapidhash_crate(d: &[u8]) -> u64 {
    // seed_cpp is a const fn of SEED: computed at compile time.
    const SECRETS: rapidhash::v3::RapidSecrets = rapidhash::v3::RapidSecrets::seed_cpp(SEED);
    rapidhash::v3::rapidhash_v3_seeded(d, &SECRETS)
}

fn foldhash_fixed(d: &[u8]) -> u64 {
    let mut h = foldhash::fast::FixedState::with_seed(SEED).build_hasher();
    h.write(d);
    h.finish()
}

fn ahash_fixed(d: &[u8]) -> u64 {
    let mut h = ahash::RandomState::with_seeds(SEED, 1, 2, 3).build_hasher();
    h.write(d);
    h.finish()
}

fn highwayhash_c(d: &[u8]) -> u64 {
    // SAFETY: the key has four words; `d` is a live slice of `d.len()` bytes.
    unsafe {
        arsenal_highwayhash_sys::HighwayHash64(HH_KEY.as_ptr(), d.as_ptr().cast(), d.len() as u64)
    }
}

fn blake3_first8(d: &[u8]) -> u64 {
    let digest = blake3::hash(d);
    let mut b = [0u8; 8];
    b.copy_from_slice(&digest.as_bytes()[..8]);
    u64::from_le_bytes(b)
}

/// `Err` naming the first vector the reference misses.
fn expect_vectors(
    algorithm: &str,
    vectors: impl IntoIterator<Item = (Vec<u8>, u64)>,
    reference: impl Fn(&[u8]) -> u64,
) -> Result<(), String> {
    for (input, want) in vectors {
        let got = reference(&input);
        if got != want {
            return Err(format!(
                "{algorithm} reference gives {got:#018x} for the published vector of length {}, \
                 not {want:#018x}",
                input.len()
            ));
        }
    }
    Ok(())
}

fn xxhash_vectors() -> Result<(), String> {
    expect_vectors("XXH32", [(vec![], 0x02CC_5D05)], |d| {
        u64::from(xxhash_rust::xxh32::xxh32(d, 0))
    })?;
    expect_vectors("XXH64", [(vec![], 0xEF46_DB37_51D8_E999)], |d| {
        xxhash_rust::xxh64::xxh64(d, 0)
    })?;
    expect_vectors("XXH3-64", [(vec![], 0x2D06_8005_38D3_94C2)], |d| {
        xxhash_rust::xxh3::xxh3_64_with_seed(d, 0)
    })?;
    let xxh128 = [
        (vec![], 0x99AA_06D3_0147_98D8_6001_C324_468D_497F_u128),
        (b"abc".to_vec(), 0x06B0_5AB6_733A_6185_78AF_5F94_892F_3950),
    ];
    for (input, want) in xxh128 {
        let got = xxhash_rust::xxh3::xxh3_128_with_seed(&input, 0);
        if got != want {
            return Err(format!("XXH3-128 reference gives {got:#x} for {input:?}"));
        }
    }
    Ok(())
}

/// `highwayhash_test.cc`'s `kExpected64`: HighwayHash-64 of bytes `0, 1, .., i-1` under
/// the test key, for i = 0..=64.
const HH_EXPECTED64: [u64; 65] = [
    0x907A56DE22C26E53,
    0x7EAB43AAC7CDDD78,
    0xB8D0569AB0B53D62,
    0x5C6BEFAB8A463D80,
    0xF205A46893007EDA,
    0x2B8A1668E4A94541,
    0xBD4CCC325BEFCA6F,
    0x4D02AE1738F59482,
    0xE1205108E55F3171,
    0x32D2644EC77A1584,
    0xF6E10ACDB103A90B,
    0xC3BBF4615B415C15,
    0x243CC2040063FA9C,
    0xA89A58CE65E641FF,
    0x24B031A348455A23,
    0x40793F86A449F33B,
    0xCFAB3489F97EB832,
    0x19FE67D2C8C5C0E2,
    0x04DD90A69C565CC2,
    0x75D9518E2371C504,
    0x38AD9B1141D3DD16,
    0x0264432CCD8A70E0,
    0xA9DB5A6288683390,
    0xD7B05492003F028C,
    0x205F615AEA59E51E,
    0xEEE0C89621052884,
    0x1BFC1A93A7284F4F,
    0x512175B5B70DA91D,
    0xF71F8976A0A2C639,
    0xAE093FEF1F84E3E7,
    0x22CA92B01161860F,
    0x9FC7007CCF035A68,
    0xA0C964D9ECD580FC,
    0x2C90F73CA03181FC,
    0x185CF84E5691EB9E,
    0x4FC1F5EF2752AA9B,
    0xF5B7391A5E0A33EB,
    0xB9B84B83B4E96C9C,
    0x5E42FE712A5CD9B4,
    0xA150F2F90C3F97DC,
    0x7FA522D75E2D637D,
    0x181AD0CC0DFFD32B,
    0x3889ED981E854028,
    0xFB4297E8C586EE2D,
    0x6D064A45BB28059C,
    0x90563609B3EC860C,
    0x7AA4FCE94097C666,
    0x1326BAC06B911E08,
    0xB926168D2B154F34,
    0x9919848945B1948D,
    0xA2A98FC534825EBE,
    0xE9809095213EF0B6,
    0x582E5483707BC0E9,
    0x086E9414A88A6AF5,
    0xEE86B98D20F6743D,
    0xF89B7FF609B1C0A7,
    0x4C7D9CC19E22C3E8,
    0x9A97005024562A6F,
    0x5DD41CF423E6EBEF,
    0xDF13609C0468E227,
    0x6E0DA4F64188155A,
    0xB755BA4B50D7D4A1,
    0x887A3484647479BD,
    0xAB8EEBE9BF2139A0,
    0x75542C5D4CD2A6FF,
];

fn highwayhash_vectors() -> Result<(), String> {
    let vectors = HH_EXPECTED64
        .iter()
        .enumerate()
        .map(|(len, &want)| ((0..len as u8).collect(), want));
    expect_vectors("HighwayHash-64", vectors, highwayhash_c)
}

/// The SipHash paper's `vectors_sip64` (key `00..0f`, message `00 01 .. len-1`) for
/// lengths 0..16, and length 32.
fn siphash_vectors() -> Result<(), String> {
    const SIP64: [u64; 16] = [
        0x726fdb47dd0e0e31,
        0x74f839c593dc67fd,
        0x0d6c8009d9a94f5a,
        0x85676696d7fb7e2d,
        0xcf2794e0277187b7,
        0x18765564cd99a68d,
        0xcbc9466e58fee3ce,
        0xab0200f58b01d137,
        0x93f5f5799a932462,
        0x9e0082df0ba9e4b0,
        0x7a5dbbc594ddb9f3,
        0xf4b32f46226bada7,
        0x751e8fbc860ee5fb,
        0x14ea5627c0843d90,
        0xf723ca908e7af2ee,
        0xa129ca6149be45e5,
    ];
    let vectors = SIP64
        .iter()
        .enumerate()
        .map(|(len, &want)| ((0..len as u8).collect::<Vec<u8>>(), want))
        .chain([((0..32u8).collect(), 0x7127512f72f27cce)]);
    expect_vectors("SipHash-2-4", vectors, std_siphash)
}

/// BLAKE3's `test_vectors.json` (input byte i = i mod 251): the default 32-byte hash.
fn blake3_vectors() -> Result<(), String> {
    let vectors = [
        (
            0,
            "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
        ),
        (
            1,
            "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213",
        ),
        (
            1023,
            "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11",
        ),
        (
            1024,
            "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7",
        ),
    ];
    for (len, want) in vectors {
        let input: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        let got = blake3::hash(&input).to_hex();
        if got.as_str() != want {
            return Err(format!("BLAKE3 reference gives {got} for length {len}"));
        }
    }
    Ok(())
}

/// wyhash final 4.2's `test_vector.cpp`: message i hashed with seed i.
fn wyhash_vectors() -> Result<(), String> {
    let messages: [(&[u8], u64); 7] = [
        (b"", 0x9322_8a4d_e0ee_c5a2),
        (b"a", 0xc5ba_c3db_1787_13c4),
        (b"abc", 0xa97f_2f7b_1d9b_3314),
        (b"message digest", 0x786d_1f1d_f380_1df4),
        (b"abcdefghijklmnopqrstuvwxyz", 0xdca5_a813_8ad3_7c87),
        (
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            0xb9e7_34f1_17cf_af70,
        ),
        (
            b"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
            0x6cc5_eab4_9a92_d617,
        ),
    ];
    for (seed, (msg, want)) in messages.into_iter().enumerate() {
        let got = arsenal_hash::backend::wyhash::wyhash(
            msg,
            seed as u64,
            &arsenal_hash::backend::wyhash::WYHASH_SECRET,
        );
        if got != want {
            return Err(format!(
                "wyhash gives {got:#018x} for vector {seed}, not {want:#018x}"
            ));
        }
    }
    Ok(())
}

/// For functions without published vectors: 256 distinct inputs (lengths 0..=64 and
/// 1-byte changes) give 256 distinct hashes, and the seed matters. It catches a
/// degenerate function (constant, ignoring input or seed), not a wrong one.
fn distinct_outputs(
    algorithm: &str,
    hash: impl Fn(&[u8]) -> u64,
    other_seed: impl Fn(&[u8]) -> u64,
) -> Result<(), String> {
    let data = buffer(256);
    let mut inputs: Vec<Vec<u8>> = (0..=64).map(|len| data[..len].to_vec()).collect();
    inputs.extend((0..191).map(|i| {
        let mut v = data[..64].to_vec();
        v[i % 64] ^= 1 + (i / 64) as u8;
        v
    }));
    let mut hashes: Vec<u64> = inputs.iter().map(|input| hash(input)).collect();
    hashes.sort_unstable();
    hashes.dedup();
    if hashes.len() != inputs.len() {
        return Err(format!("{algorithm}: distinct inputs gave equal hashes"));
    }
    if other_seed(&data[..16]) == hash(&data[..16]) {
        return Err(format!("{algorithm}: the seed does not change the hash"));
    }
    Ok(())
}

fn rapidhash_check() -> Result<(), String> {
    distinct_outputs("rapidhash", rapidhash_crate, |d| {
        rapidhash::v3::rapidhash_v3_seeded(d, &rapidhash::v3::RapidSecrets::seed_cpp(SEED + 1))
    })
}

fn foldhash_check() -> Result<(), String> {
    distinct_outputs("foldhash", foldhash_fixed, |d| {
        let mut h = foldhash::fast::FixedState::with_seed(SEED + 1).build_hasher();
        h.write(d);
        h.finish()
    })
}

fn ahash_check() -> Result<(), String> {
    distinct_outputs("ahash", ahash_fixed, |d| {
        let mut h = ahash::RandomState::with_seeds(SEED + 1, 1, 2, 3).build_hasher();
        h.write(d);
        h.finish()
    })
}

/// One algorithm's rows: the reference its expected sums come from, the check of that
/// reference, and the function registering its implementations.
struct Algorithm {
    op: &'static str,
    reference: fn(&[u8]) -> u64,
    check: fn() -> Result<(), String>,
    impls: fn(&mut Cells<'_>),
}

const ALGORITHMS: [Algorithm; 11] = [
    Algorithm {
        op: "xxh3-64",
        reference: |d| xxhash_rust::xxh3::xxh3_64_with_seed(d, SEED),
        check: xxhash_vectors,
        impls: |cells| {
            use arsenal_xxhash_sys as xx;
            cells.add("arsenal:xxhash", |d| Xxh3_64::hash64(SEED, d));
            cells.add("raw:xxhash", |d| {
                // SAFETY: `d` is a live slice of `d.len()` bytes.
                unsafe { xx::XXH3_64bits_withSeed(d.as_ptr().cast(), d.len(), SEED) }
            });
            cells.add("peer:xxhash-rust", |d| {
                xxhash_rust::xxh3::xxh3_64_with_seed(d, SEED)
            });
            cells.add("peer:twox-hash", |d| {
                twox_hash::XxHash3_64::oneshot_with_seed(SEED, d)
            });
        },
    },
    Algorithm {
        op: "xxh64",
        reference: |d| xxhash_rust::xxh64::xxh64(d, SEED),
        check: xxhash_vectors,
        impls: |cells| {
            cells.add("arsenal:xxhash", |d| Xxh64::hash64(SEED, d));
            cells.add("raw:xxhash", |d| {
                // SAFETY: `d` is a live slice.
                unsafe { arsenal_xxhash_sys::XXH64(d.as_ptr().cast(), d.len(), SEED) }
            });
            cells.add("peer:xxhash-rust", |d| xxhash_rust::xxh64::xxh64(d, SEED));
            cells.add("peer:twox-hash", |d| twox_hash::XxHash64::oneshot(SEED, d));
        },
    },
    Algorithm {
        op: "xxh32",
        reference: |d| u64::from(xxhash_rust::xxh32::xxh32(d, SEED as u32)),
        check: xxhash_vectors,
        impls: |cells| {
            cells.add("arsenal:xxhash", |d| {
                u64::from(Xxh32::hash32(SEED as u32, d))
            });
            cells.add("raw:xxhash", |d| {
                // SAFETY: `d` is a live slice.
                u64::from(unsafe {
                    arsenal_xxhash_sys::XXH32(d.as_ptr().cast(), d.len(), SEED as u32)
                })
            });
            cells.add("peer:xxhash-rust", |d| {
                u64::from(xxhash_rust::xxh32::xxh32(d, SEED as u32))
            });
            cells.add("peer:twox-hash", |d| {
                u64::from(twox_hash::XxHash32::oneshot(SEED as u32, d))
            });
        },
    },
    Algorithm {
        op: "xxh3-128",
        reference: |d| fold128(xxhash_rust::xxh3::xxh3_128_with_seed(d, SEED)),
        check: xxhash_vectors,
        impls: |cells| {
            cells.add("arsenal:xxhash", |d| fold128(Xxh3_128::hash128(SEED, d)));
            cells.add("raw:xxhash", |d| {
                // SAFETY: `d` is a live slice.
                let h = unsafe {
                    arsenal_xxhash_sys::XXH3_128bits_withSeed(d.as_ptr().cast(), d.len(), SEED)
                };
                h.low64 ^ h.high64
            });
            cells.add("peer:xxhash-rust", |d| {
                fold128(xxhash_rust::xxh3::xxh3_128_with_seed(d, SEED))
            });
            cells.add("peer:twox-hash", |d| {
                fold128(twox_hash::XxHash3_128::oneshot_with_seed(SEED, d))
            });
        },
    },
    Algorithm {
        op: "highwayhash-64",
        reference: highwayhash_c,
        check: highwayhash_vectors,
        impls: |cells| {
            cells.add("arsenal:highwayhash", |d| {
                HighwayHash::hash64_with_key(&HH_KEY, d)
            });
            cells.add("raw:highwayhash", highwayhash_c);
        },
    },
    Algorithm {
        op: "siphash24",
        reference: std_siphash,
        check: siphash_vectors,
        impls: |cells| {
            cells.add_sodium("arsenal:libsodium", |d| {
                SipHash24::hash_with_key(&SIP_KEY, d)
            });
            cells.add_sodium("raw:libsodium", |d| {
                let mut out = [0u8; 8];
                // SAFETY: `out` has crypto_shorthash_BYTES (8), the key KEYBYTES (16);
                // `d` is live; libsodium was initialised at registration.
                unsafe {
                    libsodium_sys::crypto_shorthash_siphash24(
                        out.as_mut_ptr(),
                        d.as_ptr(),
                        d.len() as u64,
                        SIP_KEY.as_ptr(),
                    )
                };
                u64::from_le_bytes(out)
            });
            cells.add("raw:highwayhash", |d| {
                // SAFETY: the key has two words; `d` is a live slice.
                unsafe {
                    arsenal_highwayhash_sys::SipHashC(
                        SIP_K.as_ptr(),
                        d.as_ptr().cast(),
                        d.len() as u64,
                    )
                }
            });
            cells.add("peer:std-siphash", std_siphash);
        },
    },
    Algorithm {
        op: "blake3",
        reference: blake3_first8,
        check: blake3_vectors,
        impls: |cells| {
            cells.add("arsenal:blake3", |d| <Blake3 as Hasher64>::hash64(0, d));
            cells.add("raw:blake3", blake3_first8);
        },
    },
    Algorithm {
        op: "wyhash",
        reference: |d| {
            arsenal_hash::backend::wyhash::wyhash(
                d,
                SEED,
                &arsenal_hash::backend::wyhash::WYHASH_SECRET,
            )
        },
        check: wyhash_vectors,
        impls: |cells| cells.add("arsenal:wyhash", |d| WyHash::hash64(SEED, d)),
    },
    Algorithm {
        op: "rapidhash",
        reference: rapidhash_crate,
        check: rapidhash_check,
        impls: |cells| {
            cells.add("arsenal:rapidhash", |d| RapidHash::hash64(SEED, d));
            cells.add("peer:rapidhash", rapidhash_crate);
        },
    },
    Algorithm {
        op: "foldhash",
        reference: foldhash_fixed,
        check: foldhash_check,
        impls: |cells| cells.add("peer:foldhash", foldhash_fixed),
    },
    Algorithm {
        op: "ahash",
        reference: ahash_fixed,
        check: ahash_check,
        impls: |cells| cells.add("peer:ahash", ahash_fixed),
    },
];

/// The cells of one (algorithm, size) being registered: the shared input and the
/// expected checksum, computed once with the algorithm's reference.
struct Cells<'a> {
    reg: &'a mut Registry,
    op: &'static str,
    dataset: &'static str,
    size: usize,
    input: Rc<[u8]>,
    expected: u64,
    check: fn() -> Result<(), String>,
    /// `Err(reason)` when libsodium could not be initialised.
    sodium: Result<(), String>,
}

impl Cells<'_> {
    /// Adds the cell `imp`, hashing every slice with `hash`, called directly.
    fn add<F: Fn(&[u8]) -> u64 + 'static>(&mut self, imp: &str, hash: F) {
        let (input, size) = (Rc::clone(&self.input), self.size);
        let (bytes, items) = (input.len() as u64, (input.len() / size) as u64);
        let case = Case::new(NAME, self.op, self.dataset, imp, bytes, items, move || {
            sum_of(black_box(&input[..]), size, &hash)
        });
        self.reg.add(case.expect(self.expected).verify(self.check));
    }

    /// [`Cells::add`] for a libsodium row: failed when `sodium_init` did.
    fn add_sodium<F: Fn(&[u8]) -> u64 + 'static>(&mut self, imp: &str, hash: F) {
        match &self.sodium {
            Ok(()) => self.add(imp, hash),
            Err(why) => {
                let case = Case::failed(NAME, self.op, self.dataset, imp, why.clone());
                self.reg.add(case);
            }
        }
    }
}

/// Registers the hash rows.
pub fn register(reg: &mut Registry, _data: Option<&Path>) {
    // libsodium must be initialised before its first call (the arsenal rows do it
    // themselves; the raw row relies on this).
    // SAFETY: sodium_init is thread-safe and idempotent.
    let rc = unsafe { libsodium_sys::sodium_init() };
    let sodium = if rc >= 0 {
        Ok(())
    } else {
        Err(format!("sodium_init returned {rc}"))
    };
    let inputs: Vec<Rc<[u8]>> = SIZES
        .iter()
        .map(|&(size, _)| Rc::from(buffer(count(size) * size)))
        .collect();
    for algorithm in &ALGORITHMS {
        for (&(size, dataset), input) in SIZES.iter().zip(&inputs) {
            let expected = sum_of(input, size, &algorithm.reference);
            (algorithm.impls)(&mut Cells {
                reg: &mut *reg,
                op: algorithm.op,
                dataset,
                size,
                input: Rc::clone(input),
                expected,
                check: algorithm.check,
                sodium: sodium.clone(),
            });
        }
    }
}

/// Bytes streamed into each hasher of the memory rows.
pub const STREAM: usize = 16 << 10;
/// Bytes per update call of the memory rows.
pub const UPDATE: usize = 1 << 10;
/// Hashers alive together in the memory rows.
pub const HASHERS: usize = 64;
/// The dataset of the memory rows.
const MEMORY_DATASET: &str = "stream-16KiB";

/// Bytes per hasher of `make`, fed [`STREAM`] bytes through `update` ([`HASHERS`] alive
/// together); `check` sees the first hasher after its updates (`false`: the row fails).
fn stream_state<H>(
    make: impl Fn() -> Option<H>,
    update: impl Fn(&mut H, &[u8]),
    check: impl Fn(&H) -> bool,
) -> Option<f64> {
    let input = buffer(STREAM);
    let fed = || {
        let mut hasher = make()?;
        input
            .chunks(UPDATE)
            .for_each(|chunk| update(&mut hasher, chunk));
        Some(hasher)
    };
    if !check(&fed()?) {
        return None;
    }
    held_per_value(HASHERS, |_| fed())
}

/// [`stream_state`] of an arsenal-hash type, checked against its one-shot hash.
fn arsenal_state<H: Hasher64>(make: impl Fn() -> Option<H>) -> Option<f64> {
    let want = H::hash64(SEED, &buffer(STREAM));
    stream_state(make, H::update, |h| h.finish64() == want)
}

/// [`stream_state`] of a `std::hash::Hasher` (no check: these peers' `write` is not
/// their one-shot function over the concatenation).
fn std_state<H: Hasher>(make: impl Fn() -> H) -> Option<f64> {
    stream_state(|| Some(make()), |h, d| h.write(d), |_| true)
}

/// An owned libxxhash state (`raw:xxhash/*` memory rows), freed on drop.
struct RawXxh<S> {
    state: std::ptr::NonNull<S>,
    free: unsafe extern "C" fn(*mut S) -> arsenal_xxhash_sys::XXH_errorcode,
}

impl<S> RawXxh<S> {
    fn new(
        create: unsafe extern "C" fn() -> *mut S,
        free: unsafe extern "C" fn(*mut S) -> arsenal_xxhash_sys::XXH_errorcode,
    ) -> Option<Self> {
        // SAFETY: the create functions take nothing and return null on failure.
        let state = std::ptr::NonNull::new(unsafe { create() })?;
        Some(RawXxh { state, free })
    }
}

impl<S> Drop for RawXxh<S> {
    fn drop(&mut self) {
        // SAFETY: the state came from the matching create function, freed once.
        unsafe { (self.free)(self.state.as_ptr()) };
    }
}

/// The `hash/memory/stream-16KiB` rows (see the module docs; measured after the timing
/// runs).
pub fn memory_rows() -> Vec<MemoryRow> {
    use arsenal_hash::Backend;
    use arsenal_xxhash_sys as xxh;
    let mut measured: Vec<(String, Option<f64>)> = Vec::new();
    let mut arsenal = |backend: Backend, bytes: Option<f64>| {
        measured.push((format!("arsenal:{}", backend.name()), bytes));
    };
    arsenal(
        Backend::Xxh32,
        arsenal_state(|| Xxh32::try_with_seed(SEED).ok()),
    );
    arsenal(
        Backend::Xxh64,
        arsenal_state(|| Xxh64::try_with_seed(SEED).ok()),
    );
    arsenal(
        Backend::Xxh3_64,
        arsenal_state(|| Xxh3_64::try_with_seed(SEED).ok()),
    );
    arsenal(
        Backend::Xxh3_128,
        arsenal_state(|| Xxh3_128::try_with_seed(SEED).ok()),
    );
    arsenal(
        Backend::HighwayHash,
        arsenal_state(|| HighwayHash::try_with_seed(SEED).ok()),
    );
    arsenal(
        Backend::SipHash24,
        arsenal_state(|| SipHash24::try_with_seed(SEED).ok()),
    );
    arsenal(
        Backend::Blake3,
        arsenal_state(|| Some(<Blake3 as Hasher64>::with_seed(SEED))),
    );
    arsenal(
        Backend::WyHash,
        arsenal_state(|| Some(WyHash::with_seed(SEED))),
    );
    arsenal(
        Backend::RapidHash,
        arsenal_state(|| Some(RapidHash::with_seed(SEED))),
    );

    let raw_xxh32 = stream_state(
        || {
            let s = RawXxh::new(xxh::XXH32_createState, xxh::XXH32_freeState)?;
            // SAFETY: `s` owns a live state from XXH32_createState.
            unsafe { xxh::XXH32_reset(s.state.as_ptr(), SEED as u32) };
            Some(s)
        },
        // SAFETY: the state is live and reset (RawXxh from `make`); `d` is a live slice
        // of `d.len()` bytes.
        |s, d| unsafe {
            xxh::XXH32_update(s.state.as_ptr(), d.as_ptr().cast(), d.len());
        },
        |_| true,
    );
    let raw_xxh64 = stream_state(
        || {
            let s = RawXxh::new(xxh::XXH64_createState, xxh::XXH64_freeState)?;
            // SAFETY: `s` owns a live state from XXH64_createState.
            unsafe { xxh::XXH64_reset(s.state.as_ptr(), SEED) };
            Some(s)
        },
        // SAFETY: the state is live and reset (RawXxh from `make`); `d` is a live slice
        // of `d.len()` bytes.
        |s, d| unsafe {
            xxh::XXH64_update(s.state.as_ptr(), d.as_ptr().cast(), d.len());
        },
        |_| true,
    );
    let raw_xxh3 = stream_state(
        || {
            let s = RawXxh::new(xxh::XXH3_createState, xxh::XXH3_freeState)?;
            // SAFETY: `s` owns a live state from XXH3_createState.
            unsafe { xxh::XXH3_64bits_reset_withSeed(s.state.as_ptr(), SEED) };
            Some(s)
        },
        // SAFETY: the state is live and reset (RawXxh from `make`); `d` is a live slice
        // of `d.len()` bytes.
        |s, d| unsafe {
            xxh::XXH3_64bits_update(s.state.as_ptr(), d.as_ptr().cast(), d.len());
        },
        |_| true,
    );
    measured.push(("raw:xxhash/xxh32".to_owned(), raw_xxh32));
    measured.push(("raw:xxhash/xxh64".to_owned(), raw_xxh64));
    measured.push(("raw:xxhash/xxh3".to_owned(), raw_xxh3));
    measured.push((
        "raw:blake3".to_owned(),
        stream_state(
            || Some(blake3::Hasher::new()),
            |h, d| {
                h.update(d);
            },
            |_| true,
        ),
    ));

    let mut peer = |imp: &str, bytes: Option<f64>| measured.push((format!("peer:{imp}"), bytes));
    peer(
        "xxhash-rust/xxh32",
        stream_state(
            || Some(xxhash_rust::xxh32::Xxh32::new(SEED as u32)),
            |h, d| h.update(d),
            |_| true,
        ),
    );
    peer(
        "xxhash-rust/xxh64",
        stream_state(
            || Some(xxhash_rust::xxh64::Xxh64::new(SEED)),
            |h, d| h.update(d),
            |_| true,
        ),
    );
    peer(
        "xxhash-rust/xxh3",
        stream_state(
            || Some(xxhash_rust::xxh3::Xxh3::with_seed(SEED)),
            |h, d| h.update(d),
            |_| true,
        ),
    );
    peer(
        "twox-hash/xxh32",
        std_state(|| twox_hash::XxHash32::with_seed(SEED as u32)),
    );
    peer(
        "twox-hash/xxh64",
        std_state(|| twox_hash::XxHash64::with_seed(SEED)),
    );
    peer(
        "twox-hash/xxh3-64",
        std_state(|| twox_hash::XxHash3_64::with_seed(SEED)),
    );
    #[allow(deprecated)] // SipHasher is SipHash-2-4, the algorithm of the siphash24 rows
    peer(
        "std-siphash",
        std_state(|| std::hash::SipHasher::new_with_keys(SIP_K[0], SIP_K[1])),
    );
    static RAPID_SECRETS: rapidhash::v3::RapidSecrets = rapidhash::v3::RapidSecrets::seed_cpp(SEED);
    peer(
        "rapidhash",
        stream_state(
            || Some(rapidhash::v3::RapidStreamHasherV3::new(&RAPID_SECRETS)),
            |h, d| h.write(d),
            |_| true,
        ),
    );
    peer(
        "foldhash",
        std_state(|| foldhash::fast::FixedState::with_seed(SEED).build_hasher()),
    );
    peer(
        "ahash",
        std_state(|| ahash::RandomState::with_seeds(SEED, 1, 2, 3).build_hasher()),
    );

    let what = format!(
        "streaming hasher after {} KiB of {UPDATE}-byte updates, before finish: size_of the \
         hasher + heap bytes in use it holds (glibc mallinfo2), {HASHERS} alive, / {HASHERS}",
        STREAM >> 10
    );
    measured
        .into_iter()
        .map(|(imp, bytes)| MemoryRow {
            domain: NAME.to_owned(),
            dataset: MEMORY_DATASET.to_owned(),
            what: what.clone(),
            imp,
            items: HASHERS as u64,
            bytes_per_item: bytes.filter(|b| b.is_finite()),
        })
        .collect()
}

/// The domain's extra tables: ns per hash, one table per algorithm (sizes down,
/// implementations across).
fn per_hash_tables(results: &[BenchResult]) -> Vec<(String, Table)> {
    let mut ops: Vec<&str> = Vec::new();
    for row in results.iter().filter(|row| row.domain == NAME) {
        if !ops.contains(&row.op.as_str()) {
            ops.push(&row.op);
        }
    }
    ops.into_iter()
        .map(|op| {
            let rows: Vec<&BenchResult> = results
                .iter()
                .filter(|row| row.domain == NAME && row.op == op)
                .collect();
            let table = dataset_table("size", &rows, |row| match Unit::NanosPerItem.value(row) {
                Some(ns) => Unit::NanosPerItem.format(ns),
                None => row.status.name().to_owned(),
            });
            (
                format!("{NAME} / {op} — ns per hash, lower is better"),
                table,
            )
        })
        .collect()
}

/// Which compile-time SIMD paths the peers had in the build that produced the results.
fn note(machine: &Machine) -> Option<String> {
    if machine.arch != "x86_64" {
        return None;
    }
    let has = |feature: &str| machine.target_features.iter().any(|f| f == feature);
    let ahash = if has("aes") {
        "peer:ahash ran its AES-NI path"
    } else {
        "peer:ahash ran its non-AES fallback (no aes target feature at compile time)"
    };
    let xxh3 = if has("avx2") {
        "peer:xxhash-rust's XXH3 used AVX2"
    } else {
        "peer:xxhash-rust's XXH3 used SSE2 (no avx2 target feature at compile time)"
    };
    Some(format!(
        "{ahash}; {xxh3}. Both follow the Rust target CPU (-C target-cpu=native: the \
         native profile); libxxhash's XXH3 path is fixed where the library is compiled \
         (CFLAGS when built from source); twox-hash and blake3 pick AVX2 at run time. raw:highwayhash is the library's C binding (the build's \
         baseline code), arsenal:highwayhash its run-time dispatch: their ratio is not \
         wrapper overhead."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{verify_cases, Progress, Status};

    #[test]
    fn memory_rows_cover_every_backend() {
        let rows = memory_rows();
        for backend in arsenal_hash::Backend::ALL {
            let id = format!("hash/memory/stream-16KiB/arsenal:{}", backend.name());
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

    #[test]
    fn references_match_the_published_vectors() {
        for algorithm in &ALGORITHMS {
            assert_eq!((algorithm.check)(), Ok(()), "{}", algorithm.op);
        }
    }

    /// Implementations of one algorithm agree with its reference on every length class.
    #[test]
    fn implementations_agree_with_the_reference() {
        // SAFETY: idempotent initialisation.
        assert!(unsafe { libsodium_sys::sodium_init() } >= 0);
        let data: Rc<[u8]> = Rc::from(buffer(3000));
        for len in [1, 3, 4, 15, 16, 17, 64, 100, 240, 241, 1024, 3000] {
            for algorithm in &ALGORITHMS {
                let mut registry = Registry::new();
                let input: Rc<[u8]> = Rc::from(&data[..len]);
                let expected = sum_of(&input, len, &algorithm.reference);
                (algorithm.impls)(&mut Cells {
                    reg: &mut registry,
                    op: algorithm.op,
                    dataset: "probe",
                    size: len,
                    input,
                    expected,
                    check: || Ok(()),
                    sodium: Ok(()),
                });
                for row in verify_cases(registry.into_cases(), &mut Progress::hidden()) {
                    assert_eq!(
                        row.status,
                        Status::Verified,
                        "{} at {len}: {:?}",
                        row.id,
                        row.error
                    );
                }
            }
        }
    }

    /// The registered cells verify (the two smallest sizes: a unit test stays fast).
    #[test]
    fn registered_cells_verify() {
        let mut registry = Registry::new();
        (DOMAIN.register)(&mut registry, None);
        assert_eq!(registry.len(), 29 * SIZES.len());
        registry.retain_matching(&regex::Regex::new("/(4B|64KiB)/").unwrap());
        for row in verify_cases(registry.into_cases(), &mut Progress::hidden()) {
            assert_eq!(row.status, Status::Verified, "{}: {:?}", row.id, row.error);
        }
    }

    #[test]
    fn a_wrong_hash_fails() {
        let mut registry = Registry::new();
        let input: Rc<[u8]> = Rc::from(buffer(64));
        let mut cells = Cells {
            reg: &mut registry,
            op: "xxh64",
            dataset: "probe",
            size: 16,
            expected: sum_of(&input, 16, &|d: &[u8]| xxhash_rust::xxh64::xxh64(d, SEED)),
            input,
            check: xxhash_vectors,
            sodium: Ok(()),
        };
        cells.add("peer:wrong-seed", |d| {
            xxhash_rust::xxh64::xxh64(d, SEED + 1)
        });
        cells.add("peer:zero", |_| 0);
        let rows = verify_cases(registry.into_cases(), &mut Progress::hidden());
        assert!(
            rows.iter().all(|row| row.status == Status::Failed),
            "{rows:?}"
        );
        assert!(distinct_outputs("zero", |_| 0, |_| 1).is_err());
    }

    #[test]
    fn per_hash_tables_show_ns_per_hash() {
        use crate::harness::{Measurement, Stats};
        let m = |median: f64| Measurement {
            runs: 3,
            stats: Stats {
                median,
                min: median,
                max: median,
            },
            iterations: 3,
            checksum: 1,
        };
        let results = vec![
            BenchResult::measured(
                NAME,
                "xxh64",
                "4B",
                "peer:xxhash-rust",
                4096,
                1024,
                &m(2048.0),
            ),
            BenchResult::measured(NAME, "xxh64", "4B", "raw:xxhash", 4096, 1024, &m(1024.0)),
            BenchResult::failed(NAME, "xxh64", "16B", "raw:xxhash", 0, 0, "absent"),
        ];
        let tables = per_hash_tables(&results);
        assert_eq!(tables.len(), 1);
        let (title, table) = &tables[0];
        assert!(title.contains("xxh64") && title.contains("ns per hash"));
        assert_eq!(table[0], ["size", "raw:xxhash", "peer:xxhash-rust"]);
        assert_eq!(table[1][0], "4B");
        assert_eq!(table[1][1], Unit::NanosPerItem.format(1.0));
        assert_eq!(table[2], ["16B", "FAILED", "–"]);
    }
}
