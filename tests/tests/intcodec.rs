//! The native integer codecs of arsenal-compress (`arsenal_compress::int`) through their
//! public API: known answers from the protobuf and DWARF specifications and the Stream
//! VByte paper, agreement between the codecs and between Stream VByte's decoder
//! variants, and arbitrary input never panicking or reading past its end.
#![cfg(feature = "compress")]

use arsenal_compress::int::{leb128, stream_vbyte};
use arsenal_compress::ErrorKind;
use stream_vbyte::Variant;

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Values of mixed byte widths (1 to 4 bytes, and up to 64 bits for `wide`).
fn values(len: usize, seed: u64, wide: bool) -> Vec<u64> {
    let mut s = seed | 1;
    (0..len)
        .map(|_| {
            let r = xorshift(&mut s);
            if wide {
                xorshift(&mut s) >> (r % 64)
            } else {
                u64::from((r >> 32) as u32 >> (8 * (r % 4)))
            }
        })
        .collect()
}

fn available_variants() -> Vec<Variant> {
    Variant::ALL
        .into_iter()
        .filter(|v| {
            if !v.available() {
                println!("note: {v:?} not available on this CPU, skipped");
            }
            v.available()
        })
        .collect()
}

/// protobuf's encoding guide (`uint32 150` → `96 01`, ZigZag table) and the DWARF 5
/// specification's unsigned LEB128 examples (Figure C.1).
#[test]
fn leb128_known_answers() {
    let unsigned: &[(u64, &[u8])] = &[
        (150, &[0x96, 0x01]),
        (2, &[0x02]),
        (127, &[0x7f]),
        (128, &[0x80, 0x01]),
        (129, &[0x81, 0x01]),
        (130, &[0x82, 0x01]),
        (12_857, &[0xb9, 0x64]),
        (624_485, &[0xe5, 0x8e, 0x26]),
    ];
    for &(v, bytes) in unsigned {
        let mut out = Vec::new();
        assert_eq!(leb128::encode_u64(v, &mut out), bytes.len());
        assert_eq!(out, bytes, "{v}");
        assert_eq!(leb128::decode_u64(bytes).unwrap(), (v, bytes.len()));
        assert_eq!(leb128::decode_u32(bytes).unwrap(), (v as u32, bytes.len()));
    }
    // ZigZag: 0 → 0, -1 → 1, 1 → 2, -2 → 3, 2147483647 → 4294967294, -2147483648 → 4294967295.
    let zigzag: &[(i64, u64)] = &[
        (0, 0),
        (-1, 1),
        (1, 2),
        (-2, 3),
        (2_147_483_647, 4_294_967_294),
        (-2_147_483_648, 4_294_967_295),
    ];
    for &(signed, mapped) in zigzag {
        assert_eq!(leb128::zigzag_encode_64(signed), mapped);
        assert_eq!(leb128::zigzag_encode_32(signed as i32), mapped as u32);
        let mut a = Vec::new();
        let mut b = Vec::new();
        leb128::encode_i64(signed, &mut a);
        leb128::encode_u64(mapped, &mut b);
        assert_eq!(a, b);
        assert_eq!(leb128::decode_i64(&a).unwrap(), (signed, a.len()));
        assert_eq!(leb128::decode_i32(&a).unwrap(), (signed as i32, a.len()));
    }
}

#[test]
fn leb128_errors_name_the_codec() {
    let e = leb128::decode_u64(&[0xff, 0xff]).unwrap_err();
    assert_eq!((e.kind(), e.backend()), (ErrorKind::Truncated, "leb128"));
    let e = leb128::decode_u64(&[0xff; 10]).unwrap_err();
    assert_eq!((e.kind(), e.backend()), (ErrorKind::Corrupt, "leb128"));
    let e = leb128::decode_u32(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Corrupt);
    assert!(!e.to_string().is_empty());
}

/// The paper's example: 1024, 12, 10, 1073741824, 1, 2, 1024.
#[test]
fn stream_vbyte_known_answer() {
    let values = [1024, 12, 10, 1_073_741_824, 1, 2, 1024];
    let expected = [
        0xc1, 0x10, 0x00, 0x04, 12, 10, 0x00, 0x00, 0x00, 0x40, 1, 2, 0x00, 0x04,
    ];
    let mut out = Vec::new();
    assert_eq!(stream_vbyte::encode(&values, &mut out), expected.len());
    assert_eq!(out, expected);
    assert!(out.len() <= stream_vbyte::max_compressed_len(values.len()));
    for variant in available_variants() {
        let mut back = Vec::new();
        let used = stream_vbyte::decode_with(variant, &out, values.len(), &mut back).unwrap();
        assert_eq!((back.as_slice(), used), (&values[..], expected.len()));
    }
}

/// The same values through both codecs decode to the same thing; Stream VByte's byte
/// count lets a second stream follow the first.
#[test]
fn codecs_agree_and_streams_concatenate() {
    for (i, len) in [0usize, 1, 3, 4, 15, 16, 17, 255, 4096, 10_007]
        .into_iter()
        .enumerate()
    {
        let v64 = values(len, i as u64 + 11, false);
        let v32: Vec<u32> = v64.iter().map(|&v| v as u32).collect();

        let mut leb = Vec::new();
        leb128::encode_u32s(&v32, &mut leb);
        let mut from_leb = Vec::new();
        assert_eq!(
            leb128::decode_u32s(&leb, &mut from_leb, len).unwrap(),
            leb.len()
        );

        let mut svb = Vec::new();
        let first = stream_vbyte::encode(&v32, &mut svb);
        let second = stream_vbyte::encode_delta(&v32, 7, &mut svb);
        assert_eq!(svb.len(), first + second);
        for variant in available_variants() {
            let mut from_svb = Vec::new();
            let used = stream_vbyte::decode_with(variant, &svb, len, &mut from_svb).unwrap();
            assert_eq!(used, first);
            let used2 =
                stream_vbyte::decode_delta_with(variant, &svb[used..], len, 7, &mut from_svb)
                    .unwrap();
            assert_eq!(used2, second);
            assert_eq!(from_svb[..len], from_leb[..], "{variant:?} len {len}");
            assert_eq!(from_svb[len..], v32[..], "{variant:?} delta len {len}");
        }
    }
    // 64-bit values through LEB128.
    let wide = values(3000, 99, true);
    let mut enc = Vec::new();
    leb128::encode_u64s(&wide, &mut enc);
    let mut dec = Vec::new();
    leb128::decode_u64s(&enc, &mut dec, usize::MAX).unwrap();
    assert_eq!(dec, wide);
}

/// Arbitrary bytes: every decoder returns `Ok` or a `Truncated`/`Corrupt` error, never
/// panics, never claims more bytes than it was given, and Stream VByte's variants agree.
#[test]
fn arbitrary_input_is_safe() {
    let mut s = 0xdead_beef_u64;
    let variants = available_variants();
    for _ in 0..3000 {
        let len = (xorshift(&mut s) % 80) as usize;
        let src: Vec<u8> = (0..len).map(|_| xorshift(&mut s) as u8).collect();
        match leb128::decode_u64(&src) {
            Ok((_, used)) => assert!(used >= 1 && used <= len.min(leb128::MAX_LEN_U64)),
            Err(e) => assert!(matches!(
                e.kind(),
                ErrorKind::Truncated | ErrorKind::Corrupt
            )),
        }
        let mut out = Vec::new();
        match leb128::decode_u32s(&src, &mut out, usize::MAX) {
            Ok(used) => {
                assert_eq!(used, len);
                let mut again = Vec::new();
                leb128::encode_u32s(&out, &mut again);
                assert!(again.len() <= len);
            }
            Err(e) => {
                assert!(matches!(
                    e.kind(),
                    ErrorKind::Truncated | ErrorKind::Corrupt
                ));
                assert!(out.is_empty());
            }
        }
        let n = (xorshift(&mut s) % (4 * len as u64 + 8)) as usize;
        let outcomes: Vec<_> = variants
            .iter()
            .map(|&v| {
                let mut out = Vec::new();
                let r = stream_vbyte::decode_with(v, &src, n, &mut out).map_err(|e| e.kind());
                (r, out)
            })
            .collect();
        for o in &outcomes {
            assert_eq!(o, &outcomes[0]);
        }
        match &outcomes[0] {
            (Ok(used), out) => {
                assert!(*used <= len);
                assert_eq!(out.len(), n);
            }
            (Err(kind), out) => {
                assert_eq!(*kind, ErrorKind::Truncated);
                assert!(out.is_empty());
            }
        }
    }
}
