//! Each backend against an independent implementation of the same algorithm: the
//! `rapidhash` crate (rapidhash v3), `xxhash-rust` (XXH32/XXH64/XXH3), std's deprecated
//! `SipHasher` (SipHash-2-4), highwayhash's own C binding of SipHash, and wyhash's
//! published test vectors.
use arsenal_hash::backend::rapidhash::{rapidhash, RAPID_SECRET};
use arsenal_hash::{Hasher64, RapidHash, WyHash};

fn data(len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i.wrapping_mul(131) ^ (i >> 3)) as u8)
        .collect()
}

const SEEDS: [u64; 5] = [0, 1, 0x1234_5678, 0xDEAD_BEEF_CAFE_F00D, u64::MAX];

#[test]
fn rapidhash_matches_the_rapidhash_crate() {
    for seed in SEEDS {
        let secrets = rapidhash::v3::RapidSecrets::seed_cpp(seed);
        for len in (0..=600).chain([1000, 4096, 65_537]) {
            let d = data(len);
            let want = rapidhash::v3::rapidhash_v3_seeded(&d, &secrets);
            assert_eq!(
                RapidHash::hash64(seed, &d),
                want,
                "len {len} seed {seed:#x}"
            );
            assert_eq!(rapidhash(&d, seed, &RAPID_SECRET), want);
        }
    }
    assert_eq!(
        RapidHash::hash64(0, b"hello world"),
        rapidhash::v3::rapidhash_v3(b"hello world")
    );
}

#[test]
fn wyhash_matches_the_reference_vectors() {
    // wyhash's test_vector.cpp (final 4.2, the values SMHasher3 lists): message i hashed
    // with seed i.
    let vectors: [(&[u8], u64); 7] = [
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
    for (seed, (msg, want)) in vectors.into_iter().enumerate() {
        assert_eq!(
            WyHash::hash64(seed as u64, msg),
            want,
            "vector {seed} ({:?})",
            String::from_utf8_lossy(msg)
        );
    }
}

#[cfg(feature = "xxhash")]
#[test]
fn xxhash_matches_xxhash_rust() {
    use arsenal_hash::{Hasher128, Xxh32, Xxh3_128, Xxh3_64, Xxh64};
    for seed in SEEDS {
        for len in (0..=300).chain([1024, 4096, 100_000]) {
            let d = data(len);
            assert_eq!(
                Xxh32::hash32(seed as u32, &d),
                xxhash_rust::xxh32::xxh32(&d, seed as u32),
                "xxh32 len {len}"
            );
            assert_eq!(
                Xxh64::hash64(seed, &d),
                xxhash_rust::xxh64::xxh64(&d, seed),
                "xxh64 len {len}"
            );
            assert_eq!(
                Xxh3_64::hash64(seed, &d),
                xxhash_rust::xxh3::xxh3_64_with_seed(&d, seed),
                "xxh3-64 len {len}"
            );
            assert_eq!(
                Xxh3_128::hash128(seed, &d),
                xxhash_rust::xxh3::xxh3_128_with_seed(&d, seed),
                "xxh3-128 len {len}"
            );
        }
    }
}

#[cfg(feature = "siphash")]
#[test]
#[allow(deprecated)]
fn siphash_matches_std_siphasher_and_highwayhash_sip() {
    use arsenal_hash::SipHash24;
    use std::hash::Hasher;
    for seed in SEEDS {
        let k0 = seed;
        let k1 = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x55;
        let mut key = [0u8; 16];
        key[..8].copy_from_slice(&k0.to_le_bytes());
        key[8..].copy_from_slice(&k1.to_le_bytes());
        for len in 0..=200 {
            let d = data(len);
            let mut oracle = std::hash::SipHasher::new_with_keys(k0, k1);
            oracle.write(&d);
            let ours = SipHash24::hash_with_key(&key, &d);
            assert_eq!(ours, oracle.finish(), "len {len}");
            #[cfg(feature = "highwayhash")]
            {
                // SAFETY: the key has two words; `d` is a live slice.
                let hh = unsafe {
                    arsenal_highwayhash_sys::SipHashC(
                        [k0, k1].as_ptr(),
                        d.as_ptr().cast(),
                        len as u64,
                    )
                };
                assert_eq!(ours, hh, "highwayhash SipHashC len {len}");
            }
        }
    }
}
