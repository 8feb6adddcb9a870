//! -sys smoke test: the linked yyjson reports 0.10.x and reads a document whose values
//! have the layout the safe crate relies on.
use arsenal_yyjson_sys as sys;

#[test]
fn version_is_0_10() {
    // SAFETY: plain function returning the packed version.
    let v = unsafe { sys::yyjson_version() };
    assert_eq!(v >> 8, 0x000A, "unexpected yyjson version {v:#x}");
    assert_eq!(sys::YYJSON_VERSION_MAJOR, 0);
}

#[test]
fn read_round_trip() {
    let json = br#"{"k":[1,-2,"v"]}"#;
    let mut err = sys::yyjson_read_err {
        code: 0,
        msg: std::ptr::null(),
        pos: 0,
    };
    // SAFETY: no INSITU flag, so yyjson only reads the input; null allocator = malloc.
    let doc = unsafe {
        sys::yyjson_read_opts(
            json.as_ptr().cast_mut().cast(),
            json.len(),
            0,
            std::ptr::null(),
            &mut err,
        )
    };
    assert!(!doc.is_null(), "read failed: code {}", err.code);
    // SAFETY: doc is a live document; its root and the values after it are contiguous.
    unsafe {
        assert_eq!(sys::arsenal_yyjson_doc_val_count(doc), 6);
        let root = &*(*doc).root;
        assert_eq!(root.tag & 7, 7, "YYJSON_TYPE_OBJ");
        assert_eq!(root.tag >> 8, 1, "one member");
        let key = &*(*doc).root.add(1);
        assert_eq!(key.tag & 7, 5, "YYJSON_TYPE_STR");
        assert_eq!(*key.uni.str_.cast::<u8>(), b'k');
        let first = &*(*doc).root.add(3);
        assert_eq!(first.uni.u64_, 1);
        sys::arsenal_yyjson_doc_free(doc);
    }
    let bad = b"[1,";
    // SAFETY: as above.
    let doc = unsafe {
        sys::yyjson_read_opts(
            bad.as_ptr().cast_mut().cast(),
            bad.len(),
            0,
            std::ptr::null(),
            &mut err,
        )
    };
    assert!(doc.is_null());
    assert_eq!(err.code, sys::YYJSON_READ_ERROR_UNEXPECTED_END);
    assert_eq!(err.pos, 3);
}
