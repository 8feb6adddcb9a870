//! -sys smoke test: the linked Vectorscan reports its version, compiles a literal set
//! and a regular expression, scans a block and a split stream, and reports a bad
//! pattern through `hs_compile_error_t`.
use std::ffi::{c_int, c_uint, c_ulonglong, c_void, CStr};
use std::ptr;

use arsenal_vectorscan_sys as sys;

unsafe extern "C" fn collect(
    id: c_uint,
    _from: c_ulonglong,
    to: c_ulonglong,
    _flags: c_uint,
    context: *mut c_void,
) -> c_int {
    // SAFETY: every scan below passes a `&mut Vec<(u32, u64)>` as the context.
    let out = unsafe { &mut *context.cast::<Vec<(u32, u64)>>() };
    out.push((id, to));
    0
}

fn scratch_for(db: *const sys::hs_database_t) -> *mut sys::hs_scratch_t {
    let mut scratch = ptr::null_mut();
    // SAFETY: `db` is a live database; `scratch` is a valid out-pointer holding NULL.
    let rc = unsafe { sys::hs_alloc_scratch(db, &mut scratch) };
    assert_eq!(rc, sys::HS_SUCCESS);
    scratch
}

#[test]
fn version_and_platform() {
    // SAFETY: returns a pointer to a static NUL-terminated string.
    let version = unsafe { CStr::from_ptr(sys::hs_version()) };
    assert!(version.to_str().unwrap().starts_with("5.4"), "{version:?}");
    // SAFETY: no arguments.
    assert_eq!(unsafe { sys::hs_valid_platform() }, sys::HS_SUCCESS);
}

#[test]
fn literal_block_and_stream() {
    let patterns: [&[u8]; 2] = [b"ab\0c", b"bc"];
    let ptrs: Vec<*const std::ffi::c_char> = patterns.iter().map(|p| p.as_ptr().cast()).collect();
    let lens: Vec<usize> = patterns.iter().map(|p| p.len()).collect();
    let ids: [c_uint; 2] = [0, 1];
    for mode in [sys::HS_MODE_BLOCK, sys::HS_MODE_STREAM] {
        let mut db = ptr::null_mut();
        let mut err = ptr::null_mut();
        // SAFETY: the arrays hold 2 elements each; `lens[i]` bytes are readable at
        // `ptrs[i]`; `db` and `err` are valid out-pointers.
        let rc = unsafe {
            sys::hs_compile_lit_multi(
                ptrs.as_ptr(),
                ptr::null(),
                ids.as_ptr(),
                lens.as_ptr(),
                2,
                mode,
                ptr::null(),
                &mut db,
                &mut err,
            )
        };
        assert_eq!(rc, sys::HS_SUCCESS);
        let scratch = scratch_for(db);
        let data = b"xab\0cbc-bc";
        let mut found: Vec<(u32, u64)> = Vec::new();
        let ctx = (&mut found as *mut Vec<(u32, u64)>).cast::<c_void>();
        if mode == sys::HS_MODE_BLOCK {
            // SAFETY: `data` is readable for its length; `scratch` was allocated for
            // `db` and is used by this scan only; `ctx` is the Vec `collect` expects.
            let rc = unsafe {
                sys::hs_scan(
                    db,
                    data.as_ptr().cast(),
                    data.len() as c_uint,
                    0,
                    scratch,
                    Some(collect),
                    ctx,
                )
            };
            assert_eq!(rc, sys::HS_SUCCESS);
        } else {
            let mut stream = ptr::null_mut();
            // SAFETY: `db` is a streaming database; `stream` is a valid out-pointer.
            let rc = unsafe { sys::hs_open_stream(db, 0, &mut stream) };
            assert_eq!(rc, sys::HS_SUCCESS);
            for chunk in data.chunks(3) {
                // SAFETY: as for `hs_scan`, on the open stream.
                let rc = unsafe {
                    sys::hs_scan_stream(
                        stream,
                        chunk.as_ptr().cast(),
                        chunk.len() as c_uint,
                        0,
                        scratch,
                        Some(collect),
                        ctx,
                    )
                };
                assert_eq!(rc, sys::HS_SUCCESS);
            }
            // SAFETY: the stream is open and closed once here.
            let rc = unsafe { sys::hs_close_stream(stream, scratch, Some(collect), ctx) };
            assert_eq!(rc, sys::HS_SUCCESS);
        }
        found.sort_unstable();
        assert_eq!(found, [(0, 5), (1, 7), (1, 10)], "mode {mode}");
        // SAFETY: both were allocated above and are freed once.
        unsafe {
            sys::hs_free_scratch(scratch);
            sys::hs_free_database(db);
        }
    }
}

#[test]
fn bad_regex_reports_message_and_index() {
    let exprs = [c"a+b".as_ptr(), c"(unclosed".as_ptr()];
    let mut db = ptr::null_mut();
    let mut err = ptr::null_mut();
    // SAFETY: two NUL-terminated expressions; NULL flags and ids mean all zero.
    let rc = unsafe {
        sys::hs_compile_multi(
            exprs.as_ptr(),
            ptr::null(),
            ptr::null(),
            2,
            sys::HS_MODE_BLOCK,
            ptr::null(),
            &mut db,
            &mut err,
        )
    };
    assert_eq!(rc, sys::HS_COMPILER_ERROR);
    assert!(db.is_null() && !err.is_null());
    // SAFETY: `err` is the compile error the call returned; its message is a
    // NUL-terminated string owned by it.
    let (message, index) = unsafe {
        (
            CStr::from_ptr((*err).message)
                .to_string_lossy()
                .into_owned(),
            (*err).expression,
        )
    };
    assert_eq!(index, 1, "{message}");
    assert!(!message.is_empty());
    // SAFETY: freed once.
    unsafe { sys::hs_free_compile_error(err) };
}
