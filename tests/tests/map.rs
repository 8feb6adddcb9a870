//! The hash-map suite, once per backend (and std's map with two of Arsenal's hashers).
#![cfg(feature = "map")]

#[cfg(feature = "abseil")]
arsenal_conformance::map_conformance!(abseil, arsenal_map::Abseil<u64>, arsenal_map::Abseil<[u8]>);
arsenal_conformance::map_conformance!(
    std_default,
    arsenal_map::StdMap<u64>,
    arsenal_map::StdMap<[u8]>
);
arsenal_conformance::map_conformance!(
    std_rapidhash,
    arsenal_map::StdMap<u64, arsenal_hash::Build<arsenal_hash::RapidHash>>,
    arsenal_map::StdMap<[u8], arsenal_hash::Build<arsenal_hash::RapidHash>>
);

#[test]
fn backends_agree() {
    use arsenal_map::Backend;
    let mut maps: Vec<_> = Backend::available()
        .into_iter()
        .map(Backend::u64_map)
        .collect();
    assert!(!maps.is_empty());
    for k in 0..10_000u64 {
        let key = k.wrapping_mul(0x2545_f491_4f6c_dd1d) % 7_000;
        let got: Vec<_> = maps
            .iter_mut()
            .map(|m| m.insert(&key, k).unwrap())
            .collect();
        assert!(
            got.windows(2).all(|w| w[0] == w[1]),
            "insert {key}: {got:?}"
        );
        if k % 3 == 0 {
            let removed: Vec<_> = maps.iter_mut().map(|m| m.remove(&(key / 2))).collect();
            assert!(
                removed.windows(2).all(|w| w[0] == w[1]),
                "remove {}: {removed:?}",
                key / 2
            );
        }
    }
    let lens: Vec<_> = maps.iter().map(|m| m.len()).collect();
    assert!(lens.windows(2).all(|w| w[0] == w[1]), "{lens:?}");
    assert!(lens[0] > 1_000, "{lens:?}");
    for key in 0..8_000u64 {
        let got: Vec<_> = maps.iter().map(|m| m.get(&key)).collect();
        assert!(got.windows(2).all(|w| w[0] == w[1]), "get {key}: {got:?}");
    }
}
