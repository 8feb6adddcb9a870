//! The approximate-membership filter suite, once per filter, plus the dynamic filters'
//! insert and remove behaviour.
#![cfg(feature = "filter")]

use arsenal_filter::{
    BlockedBloom, Cuckoo, DynamicFilter, ErrorKind, Filter, FilterExt, Fingerprint, Quotient,
    Quotient16, Quotient8,
};

arsenal_conformance::filter_conformance!(binary_fuse8, arsenal_filter::Backend::BinaryFuse8);
arsenal_conformance::filter_conformance!(binary_fuse16, arsenal_filter::Backend::BinaryFuse16);
arsenal_conformance::filter_conformance!(xor8, arsenal_filter::Backend::Xor8);
arsenal_conformance::filter_conformance!(xor16, arsenal_filter::Backend::Xor16);
arsenal_conformance::filter_conformance!(ribbon8, arsenal_filter::Backend::Ribbon8);
arsenal_conformance::filter_conformance!(ribbon16, arsenal_filter::Backend::Ribbon16);
arsenal_conformance::filter_conformance!(bloom, arsenal_filter::Backend::Bloom);
arsenal_conformance::filter_conformance!(cuckoo, arsenal_filter::Backend::Cuckoo);
arsenal_conformance::filter_conformance!(quotient8, arsenal_filter::Backend::Quotient8);
arsenal_conformance::filter_conformance!(quotient16, arsenal_filter::Backend::Quotient16);

#[test]
fn limits_are_errors() {
    arsenal_conformance::filter::limits();
}

#[test]
fn bloom_with_fpr_meets_its_target() {
    for target in [0.05, 0.01, 0.001] {
        let n = 200_000;
        let mut f = BlockedBloom::with_fpr(n, target).unwrap();
        for i in 0..n as u64 {
            f.insert(&i).unwrap();
        }
        assert!((0..n as u64).all(|i| f.contains(&i)));
        let fp = (n as u64..n as u64 + 1_000_000)
            .filter(|i| f.contains(i))
            .count();
        let rate = fp as f64 / 1e6;
        assert!(rate <= target * 1.15, "target {target}: measured {rate}");
    }
}

#[test]
fn cuckoo_removes_what_it_inserted() {
    let mut f = Cuckoo::with_capacity(10_000).unwrap();
    for i in 0..10_000u64 {
        f.insert(&i).unwrap();
    }
    for i in (0..10_000u64).step_by(2) {
        assert!(f.remove_key(arsenal_filter::hash_item(&i)), "{i}");
    }
    assert_eq!(f.len(), 5000);
    // Every odd key is still there; most even ones are gone (false positives aside).
    assert!((1..10_000u64).step_by(2).all(|i| f.contains(&i)));
    let still = (0..10_000u64).step_by(2).filter(|i| f.contains(i)).count();
    assert!(still < 10, "{still} removed keys still reported");
    // A key inserted twice needs two removals.
    f.insert(&"twice").unwrap();
    f.insert(&"twice").unwrap();
    assert!(f.remove_key(arsenal_filter::hash_item("twice")));
    assert!(f.contains("twice"));
    assert!(f.remove_key(arsenal_filter::hash_item("twice")));
}

#[test]
fn bloom_isas_agree() {
    let mut f = BlockedBloom::with_bits_per_key(50_000, 10.0).unwrap();
    for i in 0..50_000u64 {
        f.insert(&i).unwrap();
    }
    let run = |f: &BlockedBloom| -> Vec<bool> { (0..200_000u64).map(|i| f.contains(&i)).collect() };
    let auto = run(&f);
    f.set_isa(arsenal_filter::Isa::Scalar).unwrap();
    assert_eq!(run(&f), auto);
}

/// Removal from a quotient filter: removed keys are gone (unless another key shares
/// their quotient and remainder), every other key stays, duplicates need one removal
/// each, and a key never inserted is not removed unless it collides.
fn quotient_removes_what_it_inserted<F: Fingerprint>() {
    let n = 20_000u64;
    let mut f = Quotient::<F>::with_capacity(n as usize).unwrap();
    for i in 0..n {
        f.insert(&i).unwrap();
    }
    for i in (0..n).step_by(2) {
        assert!(f.remove_key(arsenal_filter::hash_item(&i)), "{i}");
    }
    assert_eq!(f.len(), n as usize / 2);
    assert!((1..n).step_by(2).all(|i| f.contains(&i)));
    // A removed key is still reported only if a kept key shares its fingerprint:
    // probability ≈ load / 2^r each (0.35 % / 0.0014 % at most here).
    let still = (0..n).step_by(2).filter(|i| f.contains(i)).count();
    let bound = (n / 2) as f64 * Quotient::<F>::expected_fpr(0.45) * 3.0 + 5.0;
    assert!(
        (still as f64) < bound,
        "{still} removed keys still reported"
    );
    f.insert(&"twice").unwrap();
    f.insert(&"twice").unwrap();
    assert!(f.remove_key(arsenal_filter::hash_item("twice")));
    assert!(f.contains("twice"));
    assert!(f.remove_key(arsenal_filter::hash_item("twice")));
    // Remove the rest: the filter is empty and reports (almost) nothing.
    for i in (1..n).step_by(2) {
        assert!(f.remove_key(arsenal_filter::hash_item(&i)), "{i}");
    }
    assert!(f.is_empty());
    assert!((0..n).all(|i| !f.contains(&i)));
    assert!(!f.remove_key(arsenal_filter::hash_item(&0u64)));
}

#[test]
fn quotient8_removes_what_it_inserted() {
    quotient_removes_what_it_inserted::<u8>();
}

#[test]
fn quotient16_removes_what_it_inserted() {
    quotient_removes_what_it_inserted::<u16>();
}

/// At 95 % load inserts fail with `Full` and leave the filter exactly as it was (same
/// bytes, every key still found); a removal makes room again.
#[test]
fn quotient_full_at_max_load_leaves_the_filter_unchanged() {
    let mut f = Quotient8::with_capacity(10_000).unwrap();
    let mut inserted = 0u64;
    while !f.is_full() {
        f.insert(&inserted).unwrap();
        inserted += 1;
    }
    assert_eq!(inserted as usize, f.capacity());
    assert!(f.load() <= 0.95 && f.load() > 0.94, "{}", f.load());
    let before = f.to_bytes();
    let e = f.insert(&"one more").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Full);
    assert_eq!(f.to_bytes(), before);
    assert!((0..inserted).all(|i| f.contains(&i)));
    assert!(f.remove_key(arsenal_filter::hash_item(&0u64)));
    f.insert(&"one more").unwrap();
    assert!(f.contains("one more"));
    assert_eq!(f.len(), inserted as usize);
}

/// Quotient filter bytes: slot counts and key counts that disagree with the tables,
/// metadata bits past the last slot and metadata that no insert sequence could make are
/// all `Corrupt`.
#[test]
fn quotient_format_refuses_inconsistent_metadata() {
    let mut f = Quotient16::with_capacity(100).unwrap();
    for i in 0..80u64 {
        f.insert(&i).unwrap();
    }
    let bytes = f.to_bytes();
    assert_eq!(Quotient16::from_bytes(&bytes).unwrap(), f);
    let corrupt = |b: &[u8]| Quotient16::from_bytes(b).unwrap_err().kind();
    // Key count (bytes 6..14) off by one.
    let mut b = bytes.clone();
    b[6] ^= 1;
    assert_eq!(corrupt(&b), ErrorKind::Corrupt);
    // Slot count (bytes 14..22): huge, zero, or one more than the tables hold.
    for m in [u64::MAX, usize::MAX as u64 / 2, 0, 15, f.slots() as u64 + 1] {
        let mut b = bytes.clone();
        b[14..22].copy_from_slice(&m.to_le_bytes());
        assert_eq!(corrupt(&b), ErrorKind::Corrupt, "slots {m}");
    }
    // Every single metadata bit flipped: refused, or (never, in practice) a filter that
    // still validates and answers.
    let meta_bytes = f.slots().div_ceil(64) * 24;
    let mut refused = 0;
    for byte in 22..22 + meta_bytes {
        for bit in 0..8 {
            let mut b = bytes.clone();
            b[byte] ^= 1 << bit;
            match Quotient16::from_bytes(&b) {
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::Corrupt);
                    refused += 1;
                }
                Ok(g) => {
                    let _ = (0..1000u64).filter(|&k| g.contains_key(k)).count();
                }
            }
        }
    }
    assert_eq!(refused, meta_bytes * 8, "a metadata bit flip was accepted");
    // A remainder in a free slot.
    let free = (0..f.slots())
        .position(|i| {
            let w = i / 64 * 3;
            let m =
                |p: usize| u64::from_le_bytes(bytes[22 + (w + p) * 8..][..8].try_into().unwrap());
            (m(0) | m(1) | m(2)) >> (i % 64) & 1 == 0
        })
        .unwrap();
    let mut b = bytes.clone();
    b[22 + meta_bytes + 2 * free] = 1;
    assert_eq!(corrupt(&b), ErrorKind::Corrupt);
    // A trailing byte.
    let mut b = bytes.clone();
    b.push(0);
    assert_eq!(corrupt(&b), ErrorKind::Corrupt);
}
