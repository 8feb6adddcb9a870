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

/// Every available variant against glibc itself, byte for byte, on random sizes,
/// alignments and contents: `copy`/`set` against `memcpy`/`memset` (destination and
/// canaries), `compare` against the sign of `memcmp`, `find_byte` against `memchr`,
/// `strlen` against `strlen`.
#[test]
fn agrees_with_glibc() {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for variant in Variant::available_all() {
        let ops = MemOps::new(variant).expect("available");
        for round in 0..3000 {
            let len = (next() % if round % 10 == 0 { 70_000 } else { 600 }) as usize;
            let (src_off, dst_off) = ((next() % 64) as usize, (next() % 64) as usize);
            // Small alphabet, so that equal prefixes and needle hits are common.
            let src: Vec<u8> = (0..len + 64).map(|_| (next() % 4) as u8 + 1).collect();
            let src = &src[src_off..src_off + len];

            let mut ours = vec![0xA5u8; len + 128];
            let mut theirs = ours.clone();
            ops.copy(&mut ours[dst_off..dst_off + len], src)
                .expect("same length");
            // SAFETY: both ranges are in bounds (dst_off + len <= len + 128) and disjoint.
            unsafe {
                libc::memcpy(
                    theirs[dst_off..].as_mut_ptr().cast(),
                    src.as_ptr().cast(),
                    len,
                )
            };
            assert_eq!(ours, theirs, "{variant}: copy of {len} bytes");

            let value = (next() % 256) as u8;
            ops.set(&mut ours[dst_off..dst_off + len], value);
            // SAFETY: in bounds as above.
            unsafe { libc::memset(theirs[dst_off..].as_mut_ptr().cast(), value.into(), len) };
            assert_eq!(ours, theirs, "{variant}: set of {len} bytes");

            let mut other = src.to_vec();
            if len > 0 && next() % 2 == 0 {
                let at = (next() as usize) % len;
                other[at] = (next() % 256) as u8;
            }
            // SAFETY: both slices hold `len` bytes.
            let c = unsafe { libc::memcmp(src.as_ptr().cast(), other.as_ptr().cast(), len) };
            assert_eq!(
                ops.compare(src, &other),
                c.cmp(&0),
                "{variant}: compare of {len} bytes"
            );

            let needle = (next() % 5) as u8 + 1;
            // SAFETY: `src` holds `len` readable bytes.
            let hit = unsafe { libc::memchr(src.as_ptr().cast(), needle.into(), len) };
            let want = (!hit.is_null()).then(|| hit as usize - src.as_ptr() as usize);
            assert_eq!(
                ops.find_byte(src, needle),
                want,
                "{variant}: find_byte in {len} bytes"
            );

            let mut text = src.to_vec();
            if len > 0 && next() % 4 != 0 {
                let at = (next() as usize) % len;
                text[at] = 0;
            }
            text.push(0);
            // SAFETY: `text` ends with a NUL.
            let want = unsafe { libc::strlen(text.as_ptr().cast()) };
            assert_eq!(ops.strlen(&text), Ok(want), "{variant}: strlen");
        }
    }
}
