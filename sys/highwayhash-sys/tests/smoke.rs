//! -sys smoke test: the shim's one-shot and streaming paths agree with the library's own C
//! binding and with the published test vector of highwayhash_test.cc.
use arsenal_highwayhash_sys as sys;

const KEY: sys::HHKey = [
    0x0706_0504_0302_0100,
    0x0F0E_0D0C_0B0A_0908,
    0x1716_1514_1312_1110,
    0x1F1E_1D1C_1B1A_1918,
];

#[test]
fn one_shot_matches_c_binding_and_vector() {
    let data: Vec<u8> = (0..=255u8).collect();
    // SAFETY: KEY has four words; every (pointer, length) pair is a live slice.
    unsafe {
        // highwayhash_test.cc: kExpected64[0], the hash of the empty input.
        assert_eq!(
            sys::arsenal_hh_hash64(KEY.as_ptr(), data.as_ptr().cast(), 0),
            0x907A_56DE_22C2_6E53
        );
        for len in 0..data.len() {
            let ours = sys::arsenal_hh_hash64(KEY.as_ptr(), data.as_ptr().cast(), len);
            let theirs = sys::HighwayHash64(KEY.as_ptr(), data.as_ptr().cast(), len as u64);
            assert_eq!(ours, theirs, "len {len}");
        }
    }
}

#[test]
fn streaming_matches_one_shot() {
    let data: Vec<u8> = (0..1000u32).map(|i| (i * 7) as u8).collect();
    // SAFETY: the state is created, checked non-null and freed once; slices are live;
    // the output arrays have the sizes the functions write.
    unsafe {
        let state = sys::arsenal_hh_cat_new(KEY.as_ptr());
        assert!(!state.is_null());
        for chunk in data.chunks(29) {
            sys::arsenal_hh_cat_append(state, chunk.as_ptr().cast(), chunk.len());
        }
        let one = sys::arsenal_hh_hash64(KEY.as_ptr(), data.as_ptr().cast(), data.len());
        assert_eq!(sys::arsenal_hh_cat_finish64(state), one);
        assert_eq!(
            sys::arsenal_hh_cat_finish64(state),
            one,
            "finish keeps the state"
        );
        let (mut a, mut b) = ([0u64; 2], [0u64; 2]);
        sys::arsenal_hh_cat_finish128(state, a.as_mut_ptr());
        sys::arsenal_hh_hash128(
            KEY.as_ptr(),
            data.as_ptr().cast(),
            data.len(),
            b.as_mut_ptr(),
        );
        assert_eq!(a, b);
        let (mut a, mut b) = ([0u64; 4], [0u64; 4]);
        sys::arsenal_hh_cat_finish256(state, a.as_mut_ptr());
        sys::arsenal_hh_hash256(
            KEY.as_ptr(),
            data.as_ptr().cast(),
            data.len(),
            b.as_mut_ptr(),
        );
        assert_eq!(a, b);
        sys::arsenal_hh_cat_reset(state, KEY.as_ptr());
        assert_eq!(
            sys::arsenal_hh_cat_finish64(state),
            sys::arsenal_hh_hash64(KEY.as_ptr(), data.as_ptr().cast(), 0)
        );
        sys::arsenal_hh_cat_free(state);
    }
}
