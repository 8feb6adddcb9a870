//! The numerics suite, once per backend, plus sums and reciprocal square roots.
#![cfg(feature = "num")]

use arsenal_num::div::{Divider, Hardware};

arsenal_conformance::num_conformance!(native, arsenal_num::NativeMath);
arsenal_conformance::num_conformance!(std_libm, arsenal_num::StdMath);
arsenal_conformance::num_conformance!(
    by_backend_native,
    arsenal_num::Backend::Native.vector_math().unwrap()
);

arsenal_conformance::num_div_conformance!(native_divider, Divider, 1);
arsenal_conformance::num_div_conformance!(hardware_divider, Hardware, 1);

#[cfg(feature = "sleef")]
mod sleef {
    use arsenal_num::{Sleef, SleefLevel, SleefPrecision};

    arsenal_conformance::num_conformance!(u10, Sleef::u10());
    arsenal_conformance::num_conformance!(u35, Sleef::u35());
    arsenal_conformance::num_conformance!(
        by_backend_u35,
        arsenal_num::Backend::SleefU35.vector_math().unwrap()
    );

    /// Every level this CPU runs, both precisions, on a sparser sample.
    #[test]
    fn every_level() {
        for level in SleefLevel::supported() {
            for p in [SleefPrecision::U10, SleefPrecision::U35] {
                let m = Sleef::with_level(p, level).unwrap();
                arsenal_conformance::num::math_suite(&m, 65_537);
            }
        }
    }
}

#[cfg(feature = "libdivide")]
mod libdivide {
    use arsenal_num::div::{Libdivide, LibdivideBranchfree};

    arsenal_conformance::num_div_conformance!(branchy, Libdivide, 1);
    arsenal_conformance::num_div_conformance!(branchfree, LibdivideBranchfree, 2);
}

#[test]
fn signed_native_and_hardware_dividers() {
    use arsenal_num::div::Divide;
    arsenal_conformance::num::div_suite_i32(&|d| {
        arsenal_num::div::SignedDivider::<i32>::new(d).map(|v| Box::new(v) as Box<dyn Divide<i32>>)
    });
    arsenal_conformance::num::div_suite_i64(&|d| {
        arsenal_num::div::SignedDivider::<i64>::new(d).map(|v| Box::new(v) as Box<dyn Divide<i64>>)
    });
    arsenal_conformance::num::div_suite_i32(&|d| {
        Hardware::<i32>::new(d).map(|v| Box::new(v) as Box<dyn Divide<i32>>)
    });
    arsenal_conformance::num::div_suite_i64(&|d| {
        Hardware::<i64>::new(d).map(|v| Box::new(v) as Box<dyn Divide<i64>>)
    });
}

#[test]
fn sums_and_dots_within_their_bounds() {
    arsenal_conformance::num::sums_suite();
}

#[test]
fn reciprocal_square_roots_within_their_bounds() {
    arsenal_conformance::num::rsqrt_suite();
}
