//! The approximate-membership filter suite, once per filter, plus the dynamic filters'
//! insert and remove behaviour.
#![cfg(feature = "filter")]

use arsenal_filter::{BlockedBloom, Cuckoo, DynamicFilter, Filter, FilterExt};

arsenal_conformance::filter_conformance!(binary_fuse8, arsenal_filter::Backend::BinaryFuse8);
arsenal_conformance::filter_conformance!(binary_fuse16, arsenal_filter::Backend::BinaryFuse16);
arsenal_conformance::filter_conformance!(xor8, arsenal_filter::Backend::Xor8);
arsenal_conformance::filter_conformance!(xor16, arsenal_filter::Backend::Xor16);
arsenal_conformance::filter_conformance!(bloom, arsenal_filter::Backend::Bloom);
arsenal_conformance::filter_conformance!(cuckoo, arsenal_filter::Backend::Cuckoo);

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
