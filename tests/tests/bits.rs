//! The bits suite, once per backend (each checks `Unsupported` where this CPU lacks it),
//! and the scalar trait, bit array and default-routing checks.
#![cfg(feature = "bits")]

use arsenal_bits::{Backend, BitArray, BitOps, ErrorKind};

arsenal_conformance::bits_conformance!(portable, arsenal_bits::Backend::Portable);
arsenal_conformance::bits_conformance!(bmi2, arsenal_bits::Backend::Bmi2);
arsenal_conformance::bits_conformance!(avx2, arsenal_bits::Backend::Avx2);
arsenal_conformance::bits_conformance!(avx512, arsenal_bits::Backend::Avx512);

#[test]
fn scalar_trait_on_every_u8_and_u16() {
    arsenal_conformance::bits::scalar_ops();
}

#[test]
fn auto_routes_pdep_by_cpu() {
    let ops = BitOps::auto();
    assert_eq!(ops.backend(), Backend::available()[0]);
    let want = if arsenal_bits::cpu::this_cpu_pdep_is_microcoded() {
        Backend::Portable
    } else {
        ops.backend()
    };
    assert_eq!(ops.pext_pdep_backend(), want);
    arsenal_conformance::bits::pext_pdep_u8(&ops);
    arsenal_conformance::bits::slices(&ops);
}

#[test]
fn bit_array_ops_and_limits() {
    let mut bits = BitArray::new(200).unwrap();
    let mut model = [false; 200];
    let mut next = arsenal_conformance::data::rng(9);
    for _ in 0..2_000 {
        let i = (next() % 200) as usize;
        match next() % 4 {
            0 => {
                bits.set(i);
                model[i] = true;
            }
            1 => {
                bits.clear(i);
                model[i] = false;
            }
            2 => {
                bits.toggle(i);
                model[i] = !model[i];
            }
            _ => {
                let v = next() % 2 == 0;
                bits.assign(i, v);
                model[i] = v;
            }
        }
    }
    let ones: Vec<usize> = (0..200).filter(|&i| model[i]).collect();
    for (i, &bit) in model.iter().enumerate() {
        assert_eq!(bits.get(i), Some(bit));
        assert_eq!(
            bits.rank(i),
            Some(ones.iter().filter(|&&p| p < i).count() as u64)
        );
    }
    assert_eq!(bits.count_ones(), ones.len() as u64);
    assert_eq!(bits.iter_ones().collect::<Vec<_>>(), ones);
    for (k, &p) in ones.iter().enumerate() {
        assert_eq!(bits.select(k as u64), Some(p));
    }
    assert_eq!(bits.select(ones.len() as u64), None);
    assert_eq!(bits.get(200), None);
    assert_eq!(bits.get(usize::MAX), None);
    assert_eq!(bits.rank(201), None);
    assert_eq!(bits.select(u64::MAX), None);
    let index = bits.rank_select();
    assert_eq!(index.count_ones(), ones.len() as u64);
    assert_eq!(
        BitArray::new(usize::MAX).unwrap_err().kind(),
        ErrorKind::TooLarge
    );
    assert_eq!(
        BitArray::from_words(vec![0; 2], 129).unwrap_err().kind(),
        ErrorKind::Length
    );
    let trimmed = BitArray::from_words(vec![u64::MAX; 3], 100).unwrap();
    assert_eq!((trimmed.count_ones(), trimmed.words().len()), (100, 2));
    let empty = BitArray::new(0).unwrap();
    assert!(empty.is_empty());
    assert_eq!(
        (empty.rank(0), empty.select(0), empty.iter_ones().next()),
        (Some(0), None, None)
    );
}

#[test]
fn bit_array_set_out_of_range_panics_like_a_slice() {
    for op in 0..4 {
        let result = std::panic::catch_unwind(|| {
            let mut bits = BitArray::new(64).unwrap();
            match op {
                0 => bits.set(64),
                1 => bits.clear(usize::MAX),
                2 => bits.toggle(1000),
                _ => bits.assign(64, true),
            }
        });
        assert!(result.is_err(), "op {op} did not panic");
    }
}
