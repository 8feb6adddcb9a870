//! Approximate membership filters (`arsenal-filter`): the binary format read from
//! untrusted bytes, and filters built from fuzzed key sets.

use arsenal_filter::Backend;

/// `filter_decode`: any bytes either fail to decode with an `Err` or decode to a filter
/// that answers queries and writes exactly the bytes it was read from (the format has
/// one encoding per filter), for the crate-level reader and the typed one alike.
pub fn filter_decode(data: &[u8]) {
    let Ok(filter) = arsenal_filter::from_bytes(data) else {
        return;
    };
    for key in 0..64u64 {
        let _ = filter.contains_key(key.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    }
    assert_eq!(
        filter.to_bytes(),
        data,
        "re-encoding differs from the input"
    );
    let _ = filter.bits_per_key();
}

/// `filter_build`: keys from the fuzz input (8 bytes each) build every filter, and none
/// has a false negative; each round-trips through its binary format.
pub fn filter_build(data: &[u8]) {
    let keys: Vec<u64> = data
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .take(4096)
        .collect();
    for &backend in Backend::ALL {
        let filter = backend
            .build(&keys)
            .unwrap_or_else(|e| panic!("{backend}: {e}"));
        for &k in &keys {
            assert!(
                filter.contains_key(k),
                "{backend}: false negative for {k:#x}"
            );
        }
        let again = arsenal_filter::from_bytes(&filter.to_bytes()).expect("own bytes decode");
        for &k in &keys {
            assert!(
                again.contains_key(k),
                "{backend}: false negative after a round trip"
            );
        }
    }
}

/// Seeds for `fuzz/corpus/filter`: every filter over a few key sets, serialised whole,
/// truncated and with a byte flipped; raw key sets for `filter_build`.
pub fn filter_seeds() -> Vec<(String, Vec<u8>)> {
    let mut seeds = Vec::new();
    for n in [0usize, 1, 5, 40] {
        let keys: Vec<u64> = (0..n as u64)
            .map(|i| arsenal_filter::hash_item(&i))
            .collect();
        let raw: Vec<u8> = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
        seeds.push((format!("keys_{n}"), raw));
        for &backend in Backend::ALL {
            let bytes = backend.build(&keys).expect("build").to_bytes();
            let name = format!("{backend}_{n}");
            let mut flipped = bytes.clone();
            let at = flipped.len() / 2;
            flipped[at] ^= 0x10;
            seeds.push((format!("{name}_cut"), bytes[..bytes.len() / 2].to_vec()));
            seeds.push((format!("{name}_flip"), flipped));
            seeds.push((name, bytes));
        }
    }
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_hold_the_properties() {
        for (name, data) in filter_seeds() {
            filter_decode(&data);
            if name.starts_with("keys_") {
                filter_build(&data);
            }
        }
    }
}
