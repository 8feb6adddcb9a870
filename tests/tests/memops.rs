//! The memory-operations conformance suite, once per variant (those this CPU lacks
//! print a note and pass) and once for the run-time choice.
#![cfg(feature = "memops")]

use arsenal_memops::{MemOps, Variant};

arsenal_conformance::memops_conformance!(scalar, arsenal_memops::Variant::Scalar);
arsenal_conformance::memops_conformance!(sse2, arsenal_memops::Variant::Sse2);
arsenal_conformance::memops_conformance!(avx2, arsenal_memops::Variant::Avx2);
arsenal_conformance::memops_conformance!(avx512, arsenal_memops::Variant::Avx512);
arsenal_conformance::memops_conformance!(auto, arsenal_memops::Variant::best());

/// The cached choice is the best available variant, and it is stable.
#[test]
fn auto_is_best_available() {
    let best = Variant::best();
    assert!(best.available());
    assert_eq!(MemOps::auto().variant(), best);
    assert_eq!(MemOps::auto().variant(), best);
    for v in Variant::ALL {
        if v > best {
            assert!(!v.available(), "{v} is available but {best} was chosen");
        }
    }
    // Unavailable variants are refused, not silently replaced.
    for v in Variant::ALL {
        assert_eq!(MemOps::new(v).is_ok(), v.available());
    }
}

/// Every available variant gives identical results on the same mixed workload.
#[test]
fn variants_agree() {
    let data = arsenal_conformance::memops::pattern(5000, 77);
    let results: Vec<_> = Variant::available_all()
        .into_iter()
        .map(|v| {
            let ops = MemOps::new(v).expect("available");
            let mut buf = data.clone();
            ops.move_within(&mut buf, 10..4000, 333).expect("in bounds");
            ops.set(&mut buf[100..1100], 0);
            let mut out = vec![0u8; 4321];
            ops.copy(&mut out, &buf[7..4328]).expect("equal lengths");
            (
                out,
                ops.find_byte(&data, 0x42),
                ops.compare(&data[..2000], &buf[..2000]),
                ops.strlen(&buf[50..]),
            )
        })
        .collect();
    assert!(results.windows(2).all(|w| w[0] == w[1]));
}
