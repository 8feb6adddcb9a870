//! Streaming sketches (`arsenal-sketch`): serialised sketches (serde JSON) read from
//! untrusted bytes.

use arsenal_sketch::{CountMin, HyperLogLog, HyperLogLogPlus, MinHash, SpaceSaving, TDigest};
use serde::{de::DeserializeOwned, Serialize};

/// Decodes `data` as `T`; a sketch that decodes must serialise to text that decodes
/// and serialises to the same text again (the invariants checked on the way in hold on
/// the way out).
fn round_trip<T: Serialize + DeserializeOwned>(data: &[u8]) -> Option<T> {
    let sketch: T = serde_json::from_slice(data).ok()?;
    let text = serde_json::to_vec(&sketch).expect("a decoded sketch serialises");
    let again: T = serde_json::from_slice(&text).expect("own serialisation decodes");
    let text_again = serde_json::to_vec(&again).expect("serialises");
    assert_eq!(text_again, text, "round trip changed the sketch");
    Some(sketch)
}

/// `sketch_decode`: any bytes, as each sketch type, either fail to decode or give a
/// sketch that round-trips and answers queries, merges and updates without a panic.
pub fn sketch_decode(data: &[u8]) {
    if let Some(mut s) = round_trip::<HyperLogLogPlus>(data) {
        let other = s.clone();
        s.merge(&other).expect("same precision");
        s.update(&data.len());
        assert!(s.estimate() >= 0.0);
    }
    if let Some(mut s) = round_trip::<HyperLogLog>(data) {
        let fresh = HyperLogLog::new(s.precision()).expect("valid precision");
        s.merge(&fresh).expect("same precision");
        assert!(s.estimate_improved() >= 0.0);
    }
    if let Some(mut s) = round_trip::<CountMin>(data) {
        let before = s.estimate(&1u64);
        s.update(&1u64);
        assert!(s.estimate(&1u64) >= before.min(u64::MAX - 1));
    }
    if let Some(mut s) = round_trip::<SpaceSaving<u64>>(data) {
        s.insert(1);
        for (_, count, error) in s.top(4) {
            assert!(error <= count);
        }
    }
    if let Some(mut s) = round_trip::<TDigest>(data) {
        for q in [0.0, 0.5, 1.0] {
            let _ = s.quantile(q);
        }
        let _ = s.cdf(0.0);
        let other = s.clone();
        let _ = s.merge(&other);
        s.add(0.5).expect("finite value");
        s.compress();
    }
    if let Some(s) = round_trip::<MinHash>(data) {
        let j = s.jaccard(&s).expect("same parameters");
        assert!((0.0..=1.0).contains(&j));
    }
}

/// Seeds for `fuzz/corpus/sketch`: every sketch serialised small, whole and cut.
pub fn sketch_seeds() -> Vec<(String, Vec<u8>)> {
    let mut hll = HyperLogLogPlus::new(6).expect("valid");
    (0..20u64).for_each(|i| hll.update(&i));
    let mut dense = HyperLogLog::new(4).expect("valid");
    (0..50u64).for_each(|i| dense.update(&i));
    let mut cm = CountMin::new(4, 2).expect("valid");
    (0..9u64).for_each(|i| cm.update(&i));
    let mut ss = SpaceSaving::new(3).expect("valid");
    (0..9u64).for_each(|i| ss.insert(i % 4));
    let mut td = TDigest::new(10.0).expect("valid");
    (0..80).for_each(|i| td.add(f64::from(i)).expect("finite"));
    let mut mh = MinHash::new(4).expect("valid");
    (0..9u64).for_each(|i| mh.update(&i));
    let texts = [
        ("hll_plus", serde_json::to_vec(&hll)),
        ("hll", serde_json::to_vec(&dense)),
        ("count_min", serde_json::to_vec(&cm)),
        ("space_saving", serde_json::to_vec(&ss)),
        ("tdigest", serde_json::to_vec(&td)),
        ("minhash", serde_json::to_vec(&mh)),
    ];
    let mut seeds = Vec::new();
    for (name, text) in texts {
        let text = text.expect("serialises");
        seeds.push((format!("{name}_cut"), text[..text.len() / 2].to_vec()));
        seeds.push((name.to_owned(), text));
    }
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_hold() {
        for (_, seed) in sketch_seeds() {
            sketch_decode(&seed);
        }
    }
}
