//! Approximate membership filters (`arsenal-filter`): the binary format read from
//! untrusted bytes, and filters built from fuzzed key sets.

use arsenal_filter::{
    Backend, DynamicFilter, Filter, Fingerprint, Quotient, Quotient16, Quotient8,
};

/// `filter_decode`: any bytes either fail to decode with an `Err` or decode to a filter
/// that answers queries and writes exactly the bytes it was read from (the format has
/// one encoding per filter), for the crate-level reader and the typed one alike. A
/// decoded quotient filter also takes inserts and removals without a panic and without
/// losing a key.
pub fn filter_decode(data: &[u8]) {
    let q8 = Quotient8::from_bytes(data);
    let q16 = Quotient16::from_bytes(data);
    if let Ok(f) = q8 {
        quotient_still_works(f, data);
    }
    if let Ok(f) = q16 {
        quotient_still_works(f, data);
    }
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

/// A quotient filter decoded from fuzzed bytes: it re-encodes to them, and inserting
/// then removing a few keys leaves every answer for other keys as it was.
fn quotient_still_works<F: Fingerprint>(mut f: Quotient<F>, data: &[u8]) {
    assert_eq!(
        f.to_bytes(),
        data,
        "quotient re-encoding differs from the input"
    );
    let probes: Vec<u64> = (0..64u64)
        .map(|k| k.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .collect();
    let before: Vec<bool> = probes.iter().map(|&k| f.contains_key(k)).collect();
    let mut added = Vec::new();
    for k in 0..8u64 {
        let key = k ^ 0x5555_0000_0000_0000;
        if f.insert_key(key).is_ok() {
            assert!(f.contains_key(key), "false negative after an insert");
            added.push(key);
        }
    }
    for key in added {
        assert!(f.remove_key(key), "inserted key not removed");
    }
    let after: Vec<bool> = probes.iter().map(|&k| f.contains_key(k)).collect();
    assert_eq!(before, after, "insert + remove changed other answers");
    assert_eq!(f.to_bytes(), data, "insert + remove changed the filter");
}

/// `filter_build`: keys from the fuzz input (8 bytes each) build every filter, and none
/// has a false negative; each round-trips through its binary format. The quotient
/// filters also take the keys one by one into a small table (inserts past 95 % load
/// must fail with `Full` and change nothing), then lose every other one by removal:
/// the kept keys are all still found, the filter re-encodes and decodes.
pub fn filter_build(data: &[u8]) {
    let keys: Vec<u64> = data
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .take(4096)
        .collect();
    quotient_insert_remove::<u8>(&keys);
    quotient_insert_remove::<u16>(&keys);
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

fn quotient_insert_remove<F: Fingerprint>(keys: &[u64]) {
    // A table for half the keys: larger inputs fill it.
    let mut f = Quotient::<F>::with_capacity(keys.len() / 2).expect("small table");
    let mut inserted = Vec::new();
    for &k in keys {
        if f.is_full() {
            let before = f.to_bytes();
            assert!(f.insert_key(k).is_err(), "insert past 95 % load accepted");
            assert_eq!(f.to_bytes(), before, "a refused insert changed the filter");
        } else {
            f.insert_key(k).expect("insert below 95 % load");
            inserted.push(k);
        }
    }
    assert_eq!(f.len(), inserted.len());
    assert!(
        inserted.iter().all(|&k| f.contains_key(k)),
        "false negative"
    );
    // Every other inserted key removed, the rest kept.
    for &k in inserted.iter().step_by(2) {
        assert!(f.remove_key(k), "inserted key {k:#x} not removed");
    }
    assert_eq!(f.len(), inserted.len() / 2);
    assert!(
        inserted
            .iter()
            .skip(1)
            .step_by(2)
            .all(|&k| f.contains_key(k)),
        "false negative after removals"
    );
    let again = Quotient::<F>::from_bytes(&f.to_bytes()).expect("own bytes decode");
    assert!(again == f, "round trip changed the filter");
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
