//! The memory-operations conformance suite, once per backend (those this CPU lacks
//! print a note and pass) and once for the run-time choice.
#![cfg(feature = "memops")]

use arsenal_memops::{Backend, MemOps};

arsenal_conformance::memops_conformance!(scalar, arsenal_memops::Backend::Scalar);
arsenal_conformance::memops_conformance!(sse2, arsenal_memops::Backend::Sse2);
arsenal_conformance::memops_conformance!(avx2, arsenal_memops::Backend::Avx2);
arsenal_conformance::memops_conformance!(avx512, arsenal_memops::Backend::Avx512);
arsenal_conformance::memops_conformance!(auto, arsenal_memops::MemOps::auto().backend());

/// The cached choice is the widest available backend, and it is stable.
#[test]
fn auto_is_widest_available() {
    let best = Backend::available()[0];
    assert!(best.is_available());
    assert_eq!(MemOps::auto().backend(), best);
    assert_eq!(MemOps::auto().backend(), best);
    for v in Backend::ALL.iter().copied() {
        if v > best {
            assert!(!v.is_available(), "{v} is available but {best} was chosen");
        }
    }
    // Unavailable backends are refused, not silently replaced.
    for v in Backend::ALL.iter().copied() {
        assert_eq!(MemOps::new(v).is_ok(), v.is_available());
        assert_eq!(v.ops().is_ok(), v.is_available());
    }
}

/// Every available backend gives identical results on the same mixed workload.
#[test]
fn backends_agree() {
    let data = arsenal_conformance::memops::pattern(5000, 77);
    let results: Vec<_> = Backend::available()
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

/// Every available backend against glibc itself, byte for byte, on random sizes,
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
    for backend in Backend::available() {
        let ops = MemOps::new(backend).expect("available");
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
            assert_eq!(ours, theirs, "{backend}: copy of {len} bytes");

            let value = (next() % 256) as u8;
            ops.set(&mut ours[dst_off..dst_off + len], value);
            // SAFETY: in bounds as above.
            unsafe { libc::memset(theirs[dst_off..].as_mut_ptr().cast(), value.into(), len) };
            assert_eq!(ours, theirs, "{backend}: set of {len} bytes");

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
                "{backend}: compare of {len} bytes"
            );

            let needle = (next() % 5) as u8 + 1;
            // SAFETY: `src` holds `len` readable bytes.
            let hit = unsafe { libc::memchr(src.as_ptr().cast(), needle.into(), len) };
            let want = (!hit.is_null()).then(|| hit as usize - src.as_ptr() as usize);
            assert_eq!(
                ops.find_byte(src, needle),
                want,
                "{backend}: find_byte in {len} bytes"
            );

            let mut text = src.to_vec();
            if len > 0 && next() % 4 != 0 {
                let at = (next() as usize) % len;
                text[at] = 0;
            }
            text.push(0);
            // SAFETY: `text` ends with a NUL.
            let want = unsafe { libc::strlen(text.as_ptr().cast()) };
            assert_eq!(ops.strlen(&text), Ok(want), "{backend}: strlen");
        }
    }
}
