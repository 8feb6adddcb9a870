//! Smoke test: one real round trip through libyuv (ARGB → J420 → ARGB on a grey image)
//! and one scale.
use arsenal_yuv_sys as ffi;

#[test]
fn grey_round_trip_and_scale() {
    let (w, h) = (4usize, 2usize);
    let argb = [128u8, 128, 128, 255].repeat(w * h);
    let (mut y, mut u, mut v) = (vec![0u8; w * h], vec![0u8; 2], vec![0u8; 2]);
    // SAFETY: every buffer holds width×height (or half of each for U, V) bytes at the
    // strides passed.
    let rc = unsafe {
        ffi::ARGBToJ420(
            argb.as_ptr(),
            16,
            y.as_mut_ptr(),
            4,
            u.as_mut_ptr(),
            2,
            v.as_mut_ptr(),
            2,
            4,
            2,
        )
    };
    assert_eq!(rc, 0);
    assert!(y.iter().all(|&p| p.abs_diff(128) <= 1), "{y:?}");
    assert!(u.iter().chain(&v).all(|&p| p.abs_diff(128) <= 1));
    let mut back = vec![0u8; w * h * 4];
    // SAFETY: as above; the constants are libyuv's own static tables.
    let rc = unsafe {
        ffi::I420ToARGBMatrix(
            y.as_ptr(),
            4,
            u.as_ptr(),
            2,
            v.as_ptr(),
            2,
            back.as_mut_ptr(),
            16,
            &ffi::kYuvJPEGConstants,
            4,
            2,
        )
    };
    assert_eq!(rc, 0);
    assert!(
        back.chunks(4)
            .all(|p| p[0].abs_diff(128) <= 2 && p[3] == 255),
        "{back:?}"
    );
    let mut small = vec![0u8; 2];
    // SAFETY: src is 4×2 at stride 4, dst 2×1 at stride 2.
    unsafe {
        ffi::ScalePlane(
            y.as_ptr(),
            4,
            4,
            2,
            small.as_mut_ptr(),
            2,
            2,
            1,
            ffi::kFilterBilinear,
        )
    };
    assert_eq!(small, [y[0]; 2]);
}
