//! wyhash, final version 4.2 (Wang Yi's `wyhash.h` with its default `WYHASH_CONDOM 1` and
//! the default secret `_wyp`), in native Rust: no distribution packages it as a library.

/// The default secret `_wyp` of wyhash final 4.2.
pub const WYHASH_SECRET: [u64; 4] = [
    0x2d35_8dcc_aa6c_78a5,
    0x8bb8_4b93_962e_acc9,
    0x4b33_a62e_d433_d4a3,
    0x4d5a_2da5_1de1_aa47,
];

/// wyhash final 4.2 keyed by a 64-bit seed (the reference `wyhash(key, len, seed, _wyp)`).
///
/// wyhash is one-shot only: streaming buffers the input and hashes it at
/// [`finish64`](crate::Hasher64::finish64) (a copy of the input; `finish64` rehashes all of it).
///
/// ```
/// use arsenal_hash::{Hasher64, WyHash};
/// // The reference test vectors (test_vector.cpp): seed = the vector's index.
/// assert_eq!(WyHash::hash64(0, b""), 0x93228a4de0eec5a2);
/// assert_eq!(WyHash::hash64(1, b"a"), 0xc5bac3db178713c4);
/// ```
#[derive(Debug, Clone)]
pub struct WyHash {
    seed: u64,
    buffer: Vec<u8>,
}

use super::mum::{mix, mum, r4, r8};

/// wyhash final 4.2 of `data` with `seed` and `secret` (the reference function).
///
/// ```
/// use arsenal_hash::backend::wyhash::{wyhash, WYHASH_SECRET};
/// assert_eq!(wyhash(b"", 0, &WYHASH_SECRET), 0x93228a4de0eec5a2);
/// ```
#[inline]
pub fn wyhash(data: &[u8], seed: u64, secret: &[u64; 4]) -> u64 {
    let len = data.len();
    let mut seed = seed ^ mix(seed ^ secret[0], secret[1]);
    let (a, b);
    if len <= 16 {
        if len >= 4 {
            let quarter = (len >> 3) << 2;
            a = (r4(data, 0) << 32) | r4(data, quarter);
            b = (r4(data, len - 4) << 32) | r4(data, len - 4 - quarter);
        } else if len > 0 {
            a = (u64::from(data[0]) << 16)
                | (u64::from(data[len >> 1]) << 8)
                | u64::from(data[len - 1]);
            b = 0;
        } else {
            a = 0;
            b = 0;
        }
    } else {
        let mut p = 0usize;
        let mut i = len;
        if i >= 48 {
            let (mut see1, mut see2) = (seed, seed);
            // Fixed-size blocks let the compiler drop the bounds checks of the reads.
            let blocks = data.chunks_exact(48);
            let consumed = blocks.len() * 48;
            for block in blocks {
                let block: &[u8; 48] = block.try_into().expect("48-byte block");
                seed = mix(r8(block, 0) ^ secret[1], r8(block, 8) ^ seed);
                see1 = mix(r8(block, 16) ^ secret[2], r8(block, 24) ^ see1);
                see2 = mix(r8(block, 32) ^ secret[3], r8(block, 40) ^ see2);
            }
            p = consumed;
            i = len - consumed;
            seed ^= see1 ^ see2;
        }
        while i > 16 {
            seed = mix(r8(data, p) ^ secret[1], r8(data, p + 8) ^ seed);
            i -= 16;
            p += 16;
        }
        a = r8(data, p + i - 16);
        b = r8(data, p + i - 8);
    }
    let (a, b) = mum(a ^ secret[1], b ^ seed);
    mix(a ^ secret[0] ^ len as u64, b ^ secret[1])
}

buffered_hasher64!(WyHash, "wyhash", |data, seed| wyhash(
    data,
    seed,
    &WYHASH_SECRET
));
