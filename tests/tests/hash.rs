//! The hashing conformance suite, once per backend, plus the vectors that need an
//! algorithm's native key (SipHash paper, highwayhash_test.cc, BLAKE3 keyed mode).
#![cfg(feature = "hash")]

arsenal_conformance::hash_conformance!(xxh32, arsenal_hash::Xxh32);
arsenal_conformance::hash_conformance!(xxh64, arsenal_hash::Xxh64);
arsenal_conformance::hash_conformance!(xxh3_64, arsenal_hash::Xxh3_64);
arsenal_conformance::hash_conformance!(xxh3_128, arsenal_hash::Xxh3_128);
arsenal_conformance::hash_conformance!(highwayhash, arsenal_hash::HighwayHash);
arsenal_conformance::hash_conformance!(siphash24, arsenal_hash::SipHash24);
arsenal_conformance::hash_conformance!(blake3, arsenal_hash::Blake3);
arsenal_conformance::hash_conformance!(wyhash, arsenal_hash::WyHash);
arsenal_conformance::hash_conformance!(rapidhash, arsenal_hash::RapidHash);

arsenal_conformance::hash128_conformance!(
    xxh3_128_wide,
    arsenal_hash::Xxh3_128,
    Some(0x99AA_06D3_0147_98D8_6001_C324_468D_497F)
);
arsenal_conformance::hash128_conformance!(highwayhash_wide, arsenal_hash::HighwayHash, None);
arsenal_conformance::hash128_conformance!(blake3_wide, arsenal_hash::Blake3, None);

use arsenal_conformance::hash::counting;
use arsenal_hash::{Backend, Blake3, Hasher128, Hasher64, HighwayHash, SipHash24, Xxh3_128};

/// The SipHash paper's test vectors (key 00..0f, message 00..n-1): the first four and the
/// last typed in, all 64 against std's SipHash-2-4.
#[test]
#[allow(deprecated)]
fn siphash_paper_vectors() {
    use std::hash::Hasher;
    let key: [u8; 16] = core::array::from_fn(|i| i as u8);
    let typed = [
        (0, 0x726f_db47_dd0e_0e31),
        (1, 0x74f8_39c5_93dc_67fd),
        (2, 0x0d6c_8009_d9a9_4f5a),
        (3, 0x8567_6696_d7fb_7e2d),
        (63, 0x958a_324c_eb06_4572),
    ];
    for (n, want) in typed {
        assert_eq!(
            SipHash24::hash_with_key(&key, &counting(n)),
            want,
            "n = {n}"
        );
    }
    let k0 = u64::from_le_bytes(key[..8].try_into().unwrap());
    let k1 = u64::from_le_bytes(key[8..].try_into().unwrap());
    for n in 0..64 {
        let mut oracle = std::hash::SipHasher::new_with_keys(k0, k1);
        oracle.write(&counting(n));
        let mut h = SipHash24::new(key);
        h.update(&counting(n));
        assert_eq!(h.finish64(), oracle.finish(), "n = {n}");
    }
}

/// highwayhash_test.cc: kExpected64[0..6] for its key and bytes 0..n; the 128/256-bit
/// forms agree between one-shot and streaming.
#[test]
fn highwayhash_published_vectors() {
    let key = [
        0x0706_0504_0302_0100,
        0x0F0E_0D0C_0B0A_0908,
        0x1716_1514_1312_1110,
        0x1F1E_1D1C_1B1A_1918,
    ];
    let expected64 = [
        0x907A_56DE_22C2_6E53,
        0x7EAB_43AA_C7CD_DD78,
        0xB8D0_569A_B0B5_3D62,
        0x5C6B_EFAB_8A46_3D80,
        0xF205_A468_9300_7EDA,
        0x2B8A_1668_E4A9_4541,
    ];
    for (n, want) in expected64.into_iter().enumerate() {
        assert_eq!(
            HighwayHash::hash64_with_key(&key, &counting(n)),
            want,
            "n = {n}"
        );
        let mut h = HighwayHash::with_key(key);
        h.update_bytes(&counting(n));
        assert_eq!(h.finish64(), want, "streaming n = {n}");
    }
    let data = counting(200);
    let mut h = HighwayHash::with_key(key);
    h.update_bytes(&data[..77]);
    h.update_bytes(&data[77..]);
    assert_eq!(h.finish256(), HighwayHash::hash256_with_key(&key, &data));
    assert_eq!(h.finish128(), HighwayHash::hash128_with_key(&key, &data));
}

/// BLAKE3's official vectors: plain empty input (full digest) and the 32-byte digest
/// through streaming; keyed mode differs from plain.
#[test]
fn blake3_official_vectors() {
    let empty = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262";
    let hex: String = Blake3::hash256(b"")
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(hex, empty);
    let mut h = Blake3::new();
    h.update_bytes(&[0]);
    let hex: String = h.digest().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213"
    );
    let keyed = Blake3::with_key(&[7; 32]);
    assert_ne!(keyed.digest(), Blake3::new().digest());
    assert_eq!(
        <Blake3 as Hasher128>::hash128(0, b"") as u64,
        <Blake3 as Hasher64>::hash64(0, b"")
    );
}

/// XXH3-128's low half is what it gives as a `Hasher64`.
#[test]
fn xxh3_128_low_half_is_its_64_bit_form() {
    let data = counting(1000);
    assert_eq!(
        <Xxh3_128 as Hasher128>::hash128(11, &data) as u64,
        <Xxh3_128 as Hasher64>::hash64(11, &data)
    );
}

/// Every backend is reachable by name (in any case) and hashes like its type.
#[test]
fn backends_by_name() {
    let data = counting(100);
    assert_eq!(Backend::available().len(), Backend::ALL.len());
    for backend in Backend::ALL.iter().copied() {
        assert!(backend.is_available(), "{backend}");
        assert_eq!(
            backend.name().to_uppercase().parse::<Backend>(),
            Ok(backend)
        );
        let mut h = backend.hasher(1).expect("enabled");
        assert_eq!(h.name(), backend.name());
        h.update(&data);
        let direct = match backend {
            Backend::Xxh32 => arsenal_hash::Xxh32::hash64(1, &data),
            Backend::Xxh64 => arsenal_hash::Xxh64::hash64(1, &data),
            Backend::Xxh3_64 => arsenal_hash::Xxh3_64::hash64(1, &data),
            Backend::Xxh3_128 => <Xxh3_128 as Hasher64>::hash64(1, &data),
            Backend::HighwayHash => <HighwayHash as Hasher64>::hash64(1, &data),
            Backend::SipHash24 => SipHash24::hash64(1, &data),
            Backend::Blake3 => <Blake3 as Hasher64>::hash64(1, &data),
            Backend::WyHash => arsenal_hash::WyHash::hash64(1, &data),
            Backend::RapidHash => arsenal_hash::RapidHash::hash64(1, &data),
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(h.finish64(), direct, "{}", backend.name());
    }
    let err = "md5".parse::<Backend>().unwrap_err();
    assert!(err.to_string().contains("rapidhash"), "{err}");
}

/// Every strategy's backend is available and hashes (by name: this crate does not depend
/// on arsenal-core, which defines `Strategy`).
#[test]
fn every_strategy_backend_hashes() {
    for strategy in [
        "throughput",
        "latency",
        "balanced",
        "minimal-memory",
        "maximal-speed",
    ] {
        let backend = Backend::for_strategy(strategy.parse().unwrap());
        assert!(backend.is_available(), "{strategy}: {backend}");
        let mut h = backend.hasher(5).unwrap();
        h.update(b"strategy");
        let mut again = backend.hasher(5).unwrap();
        again.update(b"strat");
        again.update(b"egy");
        assert_eq!(h.finish64(), again.finish64(), "{strategy}");
    }
}
