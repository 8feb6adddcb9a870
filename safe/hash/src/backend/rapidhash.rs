//! rapidhash v3 (Nicolas De Carli's `rapidhash.h` V3, `rapidhash_withSeed`), in native
//! Rust: no distribution packages it as a library. Bit-identical to the `rapidhash`
//! crate's `rapidhash_v3_seeded(data, &RapidSecrets::seed_cpp(seed))` (tested).

/// The default secrets of rapidhash V3 (`rapid_secret`).
pub const RAPID_SECRET: [u64; 7] = [
    0x2d35_8dcc_aa6c_78a5,
    0x8bb8_4b93_962e_acc9,
    0x4b33_a62e_d433_d4a3,
    0x4d5a_2da5_1de1_aa47,
    0xa076_1d64_78bd_642f,
    0xe703_7ed1_a0b4_28db,
    0x90ed_1765_281c_388c,
];

/// rapidhash v3 keyed by a 64-bit seed, with the default secrets (the C++
/// `rapidhash_withSeed(key, len, seed)`; seed 0 is `rapidhash(key, len)`).
///
/// rapidhash is one-shot only: streaming buffers the input and hashes it at
/// [`finish64`](crate::Hasher64::finish64) (a copy of the input; `finish64` rehashes all of it).
///
/// ```
/// use arsenal_hash::{Hasher64, RapidHash};
/// let mut h = RapidHash::with_seed(9);
/// h.update(b"hello ");
/// h.update(b"world");
/// assert_eq!(h.finish64(), RapidHash::hash64(9, b"hello world"));
/// ```
#[derive(Debug, Clone)]
pub struct RapidHash {
    seed: u64,
    buffer: Vec<u8>,
}

use super::mum::{mix, mum, r4, r8};

/// rapidhash v3 of `data` with the C++ seed `seed` and `secret` (`rapidhash_internal`;
/// the seed is premixed as `rapidhash_withSeed` does).
///
/// ```
/// use arsenal_hash::backend::rapidhash::{rapidhash, RAPID_SECRET};
/// assert_ne!(rapidhash(b"a", 0, &RAPID_SECRET), rapidhash(b"b", 0, &RAPID_SECRET));
/// ```
#[inline]
pub fn rapidhash(data: &[u8], seed: u64, secret: &[u64; 7]) -> u64 {
    let len = data.len();
    let mut seed = seed ^ mix(seed ^ secret[2], secret[1]);
    let (mut a, mut b) = (0u64, 0u64);
    let remainder;
    if len <= 16 {
        if len >= 4 {
            seed ^= len as u64;
            if len >= 8 {
                a ^= r8(data, 0);
                b ^= r8(data, len - 8);
            } else {
                a ^= r4(data, 0);
                b ^= r4(data, len - 4);
            }
        } else if len > 0 {
            a ^= (u64::from(data[0]) << 45) | u64::from(data[len - 1]);
            b ^= u64::from(data[len >> 1]);
        }
        remainder = len as u64;
    } else {
        let mut p = 0usize;
        let mut i = len;
        if i > 112 {
            let (mut see1, mut see2, mut see3) = (seed, seed, seed);
            let (mut see4, mut see5, mut see6) = (seed, seed, seed);
            // Fixed-size blocks let the compiler drop the bounds checks of the reads.
            let blocks = data[..len - 1].chunks_exact(112);
            let consumed = blocks.len() * 112;
            for block in blocks {
                let block: &[u8; 112] = block.try_into().expect("112-byte block");
                seed = mix(r8(block, 0) ^ secret[0], r8(block, 8) ^ seed);
                see1 = mix(r8(block, 16) ^ secret[1], r8(block, 24) ^ see1);
                see2 = mix(r8(block, 32) ^ secret[2], r8(block, 40) ^ see2);
                see3 = mix(r8(block, 48) ^ secret[3], r8(block, 56) ^ see3);
                see4 = mix(r8(block, 64) ^ secret[4], r8(block, 72) ^ see4);
                see5 = mix(r8(block, 80) ^ secret[5], r8(block, 88) ^ see5);
                see6 = mix(r8(block, 96) ^ secret[6], r8(block, 104) ^ see6);
            }
            p = consumed;
            i = len - consumed;
            seed ^= see1;
            see2 ^= see3;
            see4 ^= see5;
            seed ^= see6;
            see2 ^= see4;
            seed ^= see2;
        }
        // Up to six 16-byte steps, with the secrets V3 assigns to each.
        const STEP_SECRET: [usize; 6] = [2, 2, 1, 1, 2, 1];
        let mut step = 0;
        while i > 16 * (step + 1) && step < 6 {
            let at = p + 16 * step;
            seed = mix(
                r8(data, at) ^ secret[STEP_SECRET[step]],
                r8(data, at + 8) ^ seed,
            );
            step += 1;
        }
        a ^= r8(data, len - 16) ^ i as u64;
        b ^= r8(data, len - 8);
        remainder = i as u64;
    }
    a ^= secret[1];
    b ^= seed;
    let (a, b) = mum(a, b);
    mix(a ^ 0xaaaa_aaaa_aaaa_aaaa, b ^ secret[1] ^ remainder)
}

buffered_hasher64!(RapidHash, "rapidhash", |data, seed| rapidhash(
    data,
    seed,
    &RAPID_SECRET
));
