//! -sys smoke test: the linked library is xxHash 0.8 and its one-shot and streaming
//! functions give the specification's sanity values.
use core::ffi::c_void;
use core::ptr;

use arsenal_xxhash_sys as sys;

#[test]
fn version_is_0_8() {
    // SAFETY: takes no arguments, returns a constant.
    let v = unsafe { sys::XXH_versionNumber() };
    assert_eq!(v / 100, 8, "XXH_versionNumber = {v}");
}

#[test]
fn empty_input_sanity_values() {
    // SAFETY: a null input with length 0 is allowed by every one-shot function.
    unsafe {
        assert_eq!(sys::XXH32(ptr::null(), 0, 0), 0x02CC_5D05);
        assert_eq!(sys::XXH64(ptr::null(), 0, 0), 0xEF46_DB37_51D8_E999);
        assert_eq!(sys::XXH3_64bits(ptr::null(), 0), 0x2D06_8005_38D3_94C2);
        let h = sys::XXH3_128bits(ptr::null(), 0);
        assert_eq!(
            (h.high64, h.low64),
            (0x99AA_06D3_0147_98D8, 0x6001_C324_468D_497F)
        );
    }
}

#[test]
fn streaming_equals_one_shot() {
    let data: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
    // SAFETY: the state is created, checked non-null, reset before use and freed once;
    // every input pointer/length pair is a live slice.
    unsafe {
        let state = sys::XXH3_createState();
        assert!(!state.is_null());
        assert_eq!(sys::XXH3_64bits_reset_withSeed(state, 7), sys::XXH_OK);
        for chunk in data.chunks(37) {
            let rc = sys::XXH3_64bits_update(state, chunk.as_ptr().cast::<c_void>(), chunk.len());
            assert_eq!(rc, sys::XXH_OK);
        }
        let streamed = sys::XXH3_64bits_digest(state);
        let one_shot = sys::XXH3_64bits_withSeed(data.as_ptr().cast(), data.len(), 7);
        assert_eq!(streamed, one_shot);
        assert_eq!(sys::XXH3_freeState(state), sys::XXH_OK);

        let state = sys::XXH64_createState();
        assert!(!state.is_null());
        assert_eq!(sys::XXH64_reset(state, 9), sys::XXH_OK);
        for chunk in data.chunks(13) {
            let rc = sys::XXH64_update(state, chunk.as_ptr().cast::<c_void>(), chunk.len());
            assert_eq!(rc, sys::XXH_OK);
        }
        assert_eq!(
            sys::XXH64_digest(state),
            sys::XXH64(data.as_ptr().cast(), data.len(), 9)
        );
        sys::XXH64_freeState(state);
    }
}
