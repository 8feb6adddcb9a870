//! -sys smoke test: libdivide 3.x; the generators reject 0 (and 1 branch-free) without
//! aborting; scalar and slice division agree with `/` at every level this CPU runs.
use arsenal_libdivide_sys as sys;

fn levels() -> Vec<i32> {
    let mut levels = vec![sys::LEVEL_SCALAR];
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            levels.push(sys::LEVEL_AVX2);
        }
        if std::arch::is_x86_feature_detected!("avx512f") {
            levels.push(sys::LEVEL_AVX512);
        }
    }
    levels
}

#[test]
fn version_is_3() {
    // SAFETY: no arguments; returns a constant.
    let v = unsafe { sys::arsenal_libdivide_version() };
    assert_eq!(v / 100, 3, "version {v}");
}

#[test]
fn rejects_zero_and_one() {
    let mut d = sys::libdivide_u32_t::default();
    let mut b = sys::libdivide_u64_branchfree_t::default();
    // SAFETY: out pointers to live structs; rejected divisors write nothing.
    unsafe {
        assert_eq!(sys::arsenal_libdivide_u32_gen(0, &mut d), -1);
        assert_eq!(sys::arsenal_libdivide_u64_branchfree_gen(0, &mut b), -1);
        assert_eq!(sys::arsenal_libdivide_u64_branchfree_gen(1, &mut b), -1);
        assert_eq!(sys::arsenal_libdivide_u32_gen(1, &mut d), 0);
    }
}

#[test]
fn divides_like_the_hardware() {
    let input: Vec<u64> = (0..1001u64)
        .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
        .chain([u64::MAX, 0])
        .collect();
    for divisor in [3u64, 7, 1 << 40, u64::MAX, 0x8000_0000_0000_0001] {
        let mut d = sys::libdivide_u64_t::default();
        // SAFETY: a live out pointer; divisor != 0.
        let rc = unsafe { sys::arsenal_libdivide_u64_gen(divisor, &mut d) };
        assert_eq!(rc, 0);
        for level in levels() {
            let mut out = vec![0u64; input.len()];
            // SAFETY: live slices of input.len() elements; the level runs on this CPU.
            let rc = unsafe {
                sys::arsenal_libdivide_u64_do_slice(
                    level,
                    &d,
                    input.as_ptr(),
                    out.as_mut_ptr(),
                    input.len(),
                )
            };
            assert_eq!(rc, 0);
            for (n, q) in input.iter().zip(&out) {
                assert_eq!(*q, n / divisor, "level {level}: {n} / {divisor}");
            }
        }
        // SAFETY: d was filled by the generator above.
        let q = unsafe { sys::arsenal_libdivide_u64_do(u64::MAX, &d) };
        assert_eq!(q, u64::MAX / divisor);
    }
}
