//! -sys smoke test: the linked simdjson reports a 3.x version and parses a document
//! into the tape layout the safe crate relies on.
use arsenal_simdjson_sys as sys;
use std::ffi::CStr;

#[test]
fn version_is_3x() {
    // SAFETY: returns a pointer to a static NUL-terminated string literal.
    let v = unsafe { CStr::from_ptr(sys::arsenal_sj_version()) };
    let v = v.to_str().expect("version is ASCII");
    assert!(v.starts_with("3."), "unexpected simdjson version {v}");
}

#[test]
fn parse_round_trip_through_tape() {
    let mut err = -1;
    // SAFETY: plain constructor; `err` is a valid out pointer.
    let p = unsafe { sys::arsenal_sj_parser_new(1 << 20, 64, &mut err) };
    assert!(!p.is_null(), "parser_new failed with {err}");
    let json = br#"{"a":[1,-2,3.5,"xy",true,null]}"#;
    let (mut tape, mut strings) = (std::ptr::null(), std::ptr::null());
    // SAFETY: p is a live parser; padded = 0 lets simdjson copy the unpadded input.
    let rc =
        unsafe { sys::arsenal_sj_parse(p, json.as_ptr(), json.len(), 0, &mut tape, &mut strings) };
    assert_eq!(rc, 0);
    // SAFETY: on success the tape holds at least root, '{', key, '[', ... ; we read
    // only the first words, which exist for this document.
    let words = unsafe { std::slice::from_raw_parts(tape, 6) };
    let tag = |w: u64| (w >> 56) as u8;
    assert_eq!(tag(words[0]), sys::TAPE_ROOT);
    assert_eq!(tag(words[1]), sys::TAPE_START_OBJECT);
    assert_eq!(tag(words[2]), sys::TAPE_STRING);
    assert_eq!(tag(words[3]), sys::TAPE_START_ARRAY);
    assert_eq!(
        (words[3] >> 32) & sys::TAPE_COUNT_SATURATED,
        6,
        "array count"
    );
    assert_eq!(tag(words[4]), sys::TAPE_INT64);
    assert_eq!(words[5] as i64, 1);
    // The key "a": u32 length then bytes.
    let off = (words[2] & sys::TAPE_PAYLOAD_MASK) as usize;
    // SAFETY: the string buffer holds a 4-byte length then the bytes at `off`.
    let key = unsafe { std::slice::from_raw_parts(strings.add(off), 5) };
    assert_eq!(&key[..4], &1u32.to_le_bytes());
    assert_eq!(key[4], b'a');
    let bad = b"[1,2";
    // SAFETY: as above.
    let rc =
        unsafe { sys::arsenal_sj_parse(p, bad.as_ptr(), bad.len(), 0, &mut tape, &mut strings) };
    assert_eq!(rc, sys::error::TAPE, "truncated input must fail");
    // SAFETY: returns a static message for this thread's last error.
    let msg = unsafe { CStr::from_ptr(sys::arsenal_sj_last_error_message()) };
    assert!(msg.to_bytes().len() > 10, "{msg:?}"); // wording differs between releases
    let big = b"[18446744073709551616]";
    // SAFETY: as above.
    let rc =
        unsafe { sys::arsenal_sj_parse(p, big.as_ptr(), big.len(), 0, &mut tape, &mut strings) };
    assert!(
        rc == sys::error::BIGINT || rc == sys::error::NUMBER,
        "got {rc}"
    );
    // SAFETY: p came from arsenal_sj_parser_new and is freed once.
    unsafe { sys::arsenal_sj_parser_free(p) };
}
