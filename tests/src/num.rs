//! The numerics suite: elementary functions ([`num_conformance!`](crate::num_conformance),
//! once per [`VectorMath`] backend), invariant division
//! ([`num_div_conformance!`](crate::num_div_conformance), once per divider type), and the
//! backend-free checks of sums, dot products and reciprocal square roots.
//!
//! Accuracy: each backend's stated bound ([`VectorMath::ulp_bound`]) is checked on every
//! 4099th `f32` bit pattern plus the special and edge values (NaN, ±∞, ±0, subnormals, the
//! overflow and underflow thresholds) against std's `f64` function on the same input (an
//! excellent `f32` reference: its own error is ~2⁻²⁸ `f32` ULP), and on random `f64`
//! against std's `f64` with the tolerance bound + std's own bound (glibc: 1 ULP, tanh 2),
//! because std is not exact either. `scripts/num-accuracy` measures all `f32` inputs and
//! 10⁷ `f64` against MPFR.
use arsenal_num::div::{Divide, Word};
use arsenal_num::ulp::{
    reference, reference_bound, sample_input, splitmix64 as rng, ulp_error_f32, ulp_error_f64,
};
use arsenal_num::{ErrorKind, Float, Function, VectorMath};

/// Slack over a backend's stated `f32` bound, each documented in docs/num.md: SLEEF's
/// 1.0-ULP `tanhf` reaches 1.00000002 ULP at tiny arguments (|x| ≈ 7·10⁻⁸).
fn documented_slack(backend: arsenal_num::Backend, f: Function) -> f64 {
    if backend == arsenal_num::Backend::SleefU10 && f == Function::Tanh {
        1e-6
    } else {
        0.0
    }
}

/// Inputs excluded from a backend's bound check, each documented in docs/num.md: SLEEF's
/// f64 exp returns +∞ for x in (709.78271114955749, ln(f64::MAX) = 709.78271289338397],
/// where the exact value is still finite (up to 1.74·10⁻⁶ relative below `f64::MAX`). Only
/// an infinite result is excused there, and only in that window (not a wider one).
fn documented_exception(backend: arsenal_num::Backend, f: Function, x: f64) -> bool {
    use arsenal_num::Backend::*;
    #[allow(clippy::excessive_precision)]
    const WINDOW: (f64, f64) = (709.782_711_149_557_49, 709.782_712_893_383_97);
    matches!(backend, SleefU10 | SleefU35) && f == Function::Exp && x > WINDOW.0 && x <= WINDOW.1
}

/// Special and edge `f32` inputs.
pub fn special_f32() -> Vec<f32> {
    let mut v = vec![
        f32::NAN,
        -f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        0.0,
        -0.0,
        f32::from_bits(1),
        f32::from_bits(0x007f_ffff),
        f32::MIN_POSITIVE,
        f32::MAX,
        f32::MIN,
        1.0,
        -1.0,
        f32::EPSILON,
        // exp's overflow (88.72) and underflow (-87.34 to subnormal, -103.97 to zero) edges.
        88.72283,
        88.72284,
        89.0,
        -87.33654,
        -103.27893,
        -103.97208,
        -104.0,
        // Near multiples of pi/2 and large arguments.
        std::f32::consts::FRAC_PI_2,
        std::f32::consts::PI,
        1e10,
        -1e30,
    ];
    let more: Vec<f32> = v.iter().map(|x| -x).collect();
    v.extend(more);
    v
}

/// Special and edge `f64` inputs.
pub fn special_f64() -> Vec<f64> {
    let mut v = vec![
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -0.0,
        f64::from_bits(1),
        f64::from_bits(0x000f_ffff_ffff_ffff),
        f64::MIN_POSITIVE,
        f64::MAX,
        1.0,
        f64::EPSILON,
        709.782_712_893_384,
        709.8,
        -708.4,
        -745.133_219_101_941_1,
        -746.0,
        std::f64::consts::FRAC_PI_2,
        1e15,
        1e300,
    ];
    let more: Vec<f64> = v.iter().map(|x| -x).collect();
    v.extend(more);
    v
}

/// Every `stride`-th `f32` bit pattern plus [`special_f32`].
pub fn strided_f32(stride: u32) -> Vec<f32> {
    let mut v: Vec<f32> = (0..=u32::MAX)
        .step_by(stride as usize)
        .map(f32::from_bits)
        .collect();
    v.extend(special_f32());
    v
}

/// Random `f64` inputs for `f` in the domains of docs/num.md, plus [`special_f64`].
pub fn random_f64(f: Function, n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let mut next = rng(seed);
    let (mut x, mut y): (Vec<f64>, Vec<f64>) = (0..n).map(|_| sample_input(f, &mut next)).unzip();
    let sp = special_f64();
    if f == Function::Pow {
        for &a in &[
            0.0,
            -0.0,
            1.0,
            -1.0,
            2.0,
            -2.0,
            0.5,
            f64::INFINITY,
            f64::NAN,
        ] {
            for &b in &[
                0.0,
                1.0,
                -1.0,
                3.0,
                0.5,
                -0.5,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NAN,
                1e300,
            ] {
                x.push(a);
                y.push(b);
            }
        }
    } else {
        y.extend(std::iter::repeat(0.0).take(sp.len()));
        x.extend(sp);
    }
    (x, y)
}

/// The largest `f32` error of `m` for `f` on `x` against std's `f64`, with the worst input.
pub fn max_error_f32(m: &dyn VectorMath, f: Function, x: &[f32]) -> (f64, f32) {
    let mut out = vec![0f32; x.len()];
    m.unary_f32(f, x, &mut out).expect("supported");
    let mut worst = (0.0, 0.0f32);
    for (&xi, &yi) in x.iter().zip(&out) {
        let e = ulp_error_f32(yi, reference(f, f64::from(xi), 0.0));
        if e > worst.0 {
            worst = (e, xi);
        }
    }
    worst
}

/// Checks one [`VectorMath`] backend: bounds, special values, unsupported functions,
/// lengths. `stride` is the `f32` bit-pattern stride (4099 for the main backends).
pub fn math_suite(m: &dyn VectorMath, stride: u32) {
    let xs32 = strided_f32(stride);
    for f in Function::UNARY {
        // ---- f32 ----
        match m.ulp_bound(f, Float::F32) {
            None => {
                let mut out = [0f32; 2];
                let err = m.unary_f32(f, &[1.0, 2.0], &mut out).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Unsupported, "{f} f32");
            }
            Some(bound) => {
                let (e, at) = max_error_f32(m, f, &xs32);
                assert!(
                    e <= bound + documented_slack(m.backend(), f),
                    "{} {f} f32: {e} ULP at {at:e} (bound {bound})",
                    m.backend()
                );
            }
        }
        // ---- f64 ----
        let (x, _) = random_f64(f, 20_000, f as u64 + 1);
        let mut out = vec![0f64; x.len()];
        match m.ulp_bound(f, Float::F64) {
            None => {
                let err = m.unary_f64(f, &x, &mut out).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::Unsupported, "{f} f64");
            }
            Some(bound) => {
                m.unary_f64(f, &x, &mut out).unwrap();
                for (&xi, &yi) in x.iter().zip(&out) {
                    let e = ulp_error_f64(yi, reference(f, xi, 0.0));
                    if documented_exception(m.backend(), f, xi) && yi.is_infinite() {
                        continue;
                    }
                    assert!(
                        e <= bound + reference_bound(f),
                        "{} {f} f64: {e} ULP at {xi:e} (bound {bound} + std's {})",
                        m.backend(),
                        reference_bound(f)
                    );
                }
            }
        }
        // Lengths and arity.
        let mut short = [0f64; 1];
        assert_eq!(
            m.unary_f64(f, &[1.0, 2.0], &mut short).unwrap_err().kind(),
            ErrorKind::Length
        );
        let mut short32 = [0f32; 3];
        assert_eq!(
            m.unary_f32(f, &[1.0, 2.0], &mut short32)
                .unwrap_err()
                .kind(),
            ErrorKind::Length
        );
        // Empty slices are fine (or Unsupported, never a panic).
        let r = m.unary_f64(f, &[], &mut []);
        assert!(r.is_ok() || r.unwrap_err().kind() == ErrorKind::Unsupported);
    }
    let mut out = [0f64; 1];
    assert_eq!(
        m.unary_f64(Function::Pow, &[1.0], &mut out)
            .unwrap_err()
            .kind(),
        ErrorKind::Parameter
    );
    pow_suite(m);
}

fn pow_suite(m: &dyn VectorMath) {
    let (x, y) = random_f64(Function::Pow, 20_000, 99);
    let mut out = vec![0f64; x.len()];
    match m.ulp_bound(Function::Pow, Float::F64) {
        None => {
            let err = m.pow_f64(&x, &y, &mut out).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Unsupported);
            let mut o32 = [0f32; 1];
            assert_eq!(
                m.pow_f32(&[2.0], &[2.0], &mut o32).unwrap_err().kind(),
                ErrorKind::Unsupported
            );
        }
        Some(bound) => {
            m.pow_f64(&x, &y, &mut out).unwrap();
            for ((&a, &b), &r) in x.iter().zip(&y).zip(&out) {
                let e = ulp_error_f64(r, reference(Function::Pow, a, b));
                assert!(
                    e <= bound + reference_bound(Function::Pow),
                    "{} pow({a:e}, {b:e}) = {r:e}: {e} ULP",
                    m.backend()
                );
            }
            let x32: Vec<f32> = x.iter().map(|&v| v as f32).collect();
            let y32: Vec<f32> = y.iter().map(|&v| (v * 0.3) as f32).collect();
            let mut o32 = vec![0f32; x32.len()];
            m.pow_f32(&x32, &y32, &mut o32).unwrap();
            let b32 = m.ulp_bound(Function::Pow, Float::F32).expect("f32 too");
            for ((&a, &b), &r) in x32.iter().zip(&y32).zip(&o32) {
                let e = ulp_error_f32(r, reference(Function::Pow, f64::from(a), f64::from(b)));
                assert!(
                    e <= b32,
                    "{} pow({a:e}, {b:e}) = {r:e}: {e} ULP (f32)",
                    m.backend()
                );
            }
        }
    }
    let mut o = [0f64; 2];
    assert_eq!(
        m.pow_f64(&[1.0, 2.0], &[1.0], &mut o).unwrap_err().kind(),
        ErrorKind::Length
    );
}

/// Instantiates the elementary-function suite for one backend: `$make` is an expression
/// giving a `VectorMath` (or a `Box<dyn VectorMath>`).
#[macro_export]
macro_rules! num_conformance {
    ($name:ident, $make:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn bounds_specials_and_errors() {
                let m = $make;
                $crate::num::math_suite(&m, 4099);
            }
        }
    };
}

/// The dividends checked exhaustively per divisor (every u16) and the divisors: 1..=100,
/// every power of two, 641, 1000, 65535, 65536, the type's MAX and MAX−1, 2^(bits−1)±1
/// and random ones.
pub fn divisors<T: Word + TryFrom<u64>>(bits: u32, seed: u64) -> Vec<T> {
    let max = if bits == 32 {
        u64::from(u32::MAX)
    } else {
        u64::MAX
    };
    let mut v: Vec<u64> = (1..=100).collect();
    v.extend((0..bits).map(|s| 1u64 << s));
    v.extend([
        641,
        1000,
        65_535,
        65_536,
        max,
        max - 1,
        (1 << (bits - 1)) + 1,
        (1 << (bits - 1)) - 1,
    ]);
    let mut next = rng(seed);
    v.extend((0..40).map(|_| (next() & max).max(1)));
    v.extend((0..20).map(|_| (next() & 0xffff).max(1)));
    v.into_iter().filter_map(|d| T::try_from(d).ok()).collect()
}

macro_rules! div_checks {
    ($fn:ident, $t:ty) => {
        /// Checks one divider type for this word: `make(d)` builds a divider.
        pub fn $fn(make: &dyn Fn($t) -> arsenal_num::Result<Box<dyn Divide<$t>>>, min_divisor: $t) {
            let zero = make(0).unwrap_err();
            assert_eq!(zero.kind(), ErrorKind::Divisor);
            if min_divisor == 2 {
                assert_eq!(make(1).unwrap_err().kind(), ErrorKind::Divisor);
            }
            let every_u16: Vec<$t> = (0..=u16::MAX).map(<$t>::from).collect();
            let mut next = rng(<$t>::BITS as u64);
            let random: Vec<$t> = (0..4096)
                .map(|_| next() as $t)
                .chain([
                    <$t>::MAX,
                    <$t>::MAX - 1,
                    0,
                    1,
                    <$t>::MAX / 2,
                    <$t>::MAX / 2 + 1,
                ])
                .collect();
            let mut out = vec![0; every_u16.len()];
            for d in divisors::<$t>(<$t>::BITS, 5)
                .into_iter()
                .filter(|&d| d >= min_divisor)
            {
                let div = make(d).expect("nonzero divisor");
                assert_eq!(div.divisor(), d);
                div.div_slice(&every_u16, &mut out).unwrap();
                for (&n, &q) in every_u16.iter().zip(&out) {
                    assert_eq!(q, n / d, "{n} / {d} (slice)");
                }
                let mut rout = vec![0; random.len()];
                div.div_slice(&random, &mut rout).unwrap();
                for (&n, &q) in random.iter().zip(&rout) {
                    assert_eq!(q, n / d, "{n} / {d} (slice)");
                    assert_eq!(div.div(n), n / d, "{n} / {d}");
                    assert_eq!(div.rem(n), n % d, "{n} % {d}");
                }
                // Odd lengths through the vector tails.
                for len in [0, 1, 3, 7, 15, 17, 33] {
                    div.div_slice(&random[..len], &mut rout[..len]).unwrap();
                    assert!(rout[..len].iter().zip(&random).all(|(&q, &n)| q == n / d));
                }
                assert_eq!(
                    div.div_slice(&random, &mut rout[..1]).unwrap_err().kind(),
                    ErrorKind::Length
                );
            }
            // Random (dividend, divisor) pairs.
            for _ in 0..20_000 {
                let d = (next() as $t >> (next() % <$t>::BITS as u64)).max(min_divisor);
                let n = next() as $t;
                let div = make(d).unwrap();
                assert_eq!(div.div(n), n / d, "{n} / {d}");
            }
            // Every u16 dividend by every u16 divisor: 2^32 divisions, behind an env var.
            if std::env::var_os("ARSENAL_NUM_EXHAUSTIVE").is_some() {
                for d in (min_divisor as u64..=0xffff).map(|d| d as $t) {
                    let div = make(d).unwrap();
                    div.div_slice(&every_u16, &mut out).unwrap();
                    assert!(
                        every_u16.iter().zip(&out).all(|(&n, &q)| q == n / d),
                        "/ {d}"
                    );
                }
            }
        }
    };
}

div_checks!(div_suite_u32, u32);
div_checks!(div_suite_u64, u64);

/// Instantiates the division suite for one divider type: `$ty` is generic over the word
/// (`Divider`, `Libdivide`, …), `$min` the smallest divisor it takes (1, or 2 for
/// libdivide's branch-free form, which must refuse 1).
#[macro_export]
macro_rules! num_div_conformance {
    ($name:ident, $ty:ident, $min:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn u32_exhaustive_u16_random_and_edges() {
                $crate::num::div_suite_u32(
                    &|d| {
                        $ty::<u32>::new(d)
                            .map(|v| Box::new(v) as Box<dyn arsenal_num::div::Divide<u32>>)
                    },
                    $min,
                );
            }
            #[test]
            fn u64_exhaustive_u16_random_and_edges() {
                $crate::num::div_suite_u64(
                    &|d| {
                        $ty::<u64>::new(d)
                            .map(|v| Box::new(v) as Box<dyn arsenal_num::div::Divide<u64>>)
                    },
                    $min,
                );
            }
        }
    };
}

/// Ill-conditioned data with an exact sum: values m·2^e (|m| < 2⁵³, e ∈ [−30, 30]) in
/// cancelling pairs plus small terms, and the exact sum as i128 fixed point (scale 2⁻³⁰),
/// returned rounded to f64 (i128 → f64 rounds to nearest).
pub fn ill_conditioned(n: usize, seed: u64) -> (Vec<f64>, f64) {
    let mut next = rng(seed);
    let mut v = Vec::with_capacity(n);
    let mut exact: i128 = 0;
    while v.len() < n {
        let m = (next() >> 11) as i64 * if next() & 1 == 0 { 1 } else { -1 };
        let e = (next() % 61) as i32 - 30;
        let x = m as f64 * 2f64.powi(e);
        // x and -x·(1 + tiny): huge cancellation, small exact remainder.
        let small = ((next() >> 40) as i64) as f64 * 2f64.powi(-30);
        for t in [x, -x, small] {
            if v.len() < n {
                v.push(t);
                exact += (t * 2f64.powi(30)) as i128; // exact: every t is a multiple of 2^-30
            }
        }
    }
    let mut next2 = rng(seed + 1);
    for i in (1..v.len()).rev() {
        v.swap(i, (next2() % (i as u64 + 1)) as usize);
    }
    (v, exact as f64 * 2f64.powi(-30))
}

/// Sums and dot products: every result within its stated bound of the exact value (plus
/// half an ULP for rounding the exact reference), and the compensated ones near-exact.
pub fn sums_suite() {
    use arsenal_num::sum::{dot, dot2, kahan, naive, neumaier, pairwise};
    for (n, seed) in [(0, 1), (1, 2), (3, 3), (1000, 4), (30_001, 5)] {
        let (x, exact) = ill_conditioned(n, seed);
        let half = f64::EPSILON * exact.abs();
        for (name, s) in [
            ("naive", naive(&x)),
            ("pairwise", pairwise(&x)),
            ("kahan", kahan(&x)),
            ("neumaier", neumaier(&x)),
        ] {
            let err = (s.value - exact).abs();
            assert!(
                err <= s.bound + half,
                "{name} n={n}: error {err:e} > bound {:e}",
                s.bound
            );
        }
        // On this data the compensated sum is never worse than the naive one (its bound
        // is about u·|s| + (n·u)²·Σ|x| against n·u·Σ|x|).
        let e_naive = (naive(&x).value - exact).abs();
        let e_neumaier = (neumaier(&x).value - exact).abs();
        assert!(
            e_neumaier <= e_naive,
            "n={n}: neumaier {e_neumaier:e} > naive {e_naive:e}"
        );
        // Dot products: x·1 is the sum; x·x against an exact square sum (m² < 2^106, too
        // big for fixed point, so compare dot2 with neumaier of the TwoProduct pairs).
        let ones = vec![1.0; x.len()];
        let d = dot(&x, &ones);
        assert!((d.value - exact).abs() <= d.bound + half, "dot n={n}");
        let d2 = dot2(&x, &ones);
        assert!((d2.value - exact).abs() <= d2.bound + half, "dot2 n={n}");
    }
    // A dot product with products that cancel exactly: (a, b)·(a, -b) with a = b.
    let a: Vec<f64> = (1..1000)
        .map(|i| 1.0 + f64::from(i) * f64::EPSILON)
        .collect();
    let mut x = a.clone();
    x.extend(&a);
    let mut y = a.clone();
    y.extend(a.iter().map(|v| -v));
    let d2 = dot2(&x, &y);
    assert!(
        d2.value.abs() <= d2.bound,
        "dot2 {} > {}",
        d2.value,
        d2.bound
    );
    assert!(dot(&x, &y).value.abs() <= dot(&x, &y).bound);
}

/// Reciprocal square roots: each within its stated relative error on a sample of positive
/// normal `f32`.
pub fn rsqrt_suite() {
    use arsenal_num::rsqrt::*;
    let mut worst = [0f32; 3];
    for bits in (0x0080_0000u32..0x7f80_0000).step_by(997) {
        let x = f32::from_bits(bits);
        let exact = 1.0 / f64::from(x).sqrt();
        for (i, y) in [fast_inv_sqrt(x), hardware_rsqrt(x), exact_rsqrt(x)]
            .into_iter()
            .enumerate()
        {
            let rel = ((f64::from(y) - exact) / exact).abs() as f32;
            worst[i] = worst[i].max(rel);
        }
    }
    assert!(
        worst[0] <= FAST_INV_SQRT_REL_ERR,
        "fast_inv_sqrt {}",
        worst[0]
    );
    assert!(
        worst[0] > 1e-3,
        "the bit trick is not that good: {}",
        worst[0]
    );
    assert!(worst[1] <= HARDWARE_RSQRT_REL_ERR, "rsqrtss {}", worst[1]);
    assert!(worst[2] <= f32::EPSILON, "1/sqrt {}", worst[2]);
    // The slice forms compute the same values, any length (vector tails).
    let x: Vec<f32> = (1..=11).map(|i| i as f32 * 0.37).collect();
    for len in [0, 1, 3, 4, 5, 11] {
        let mut out = vec![0f32; len];
        hardware_rsqrt_slice(&x[..len], &mut out).unwrap();
        for (&v, &y) in x.iter().zip(&out) {
            let exact = 1.0 / f64::from(v).sqrt();
            assert!(((f64::from(y) - exact) / exact).abs() <= f64::from(HARDWARE_RSQRT_REL_ERR));
        }
        fast_inv_sqrt_slice(&x[..len], &mut out).unwrap();
        assert!(x.iter().zip(&out).all(|(&v, &y)| y == fast_inv_sqrt(v)));
        exact_rsqrt_slice(&x[..len], &mut out).unwrap();
        assert!(x.iter().zip(&out).all(|(&v, &y)| y == exact_rsqrt(v)));
    }
    let mut short = [0f32; 1];
    assert_eq!(
        hardware_rsqrt_slice(&x, &mut short).unwrap_err().kind(),
        ErrorKind::Length
    );
}

macro_rules! signed_checks {
    ($fn:ident, $s:ty) => {
        /// Checks one signed divider type against `wrapping_div`/`wrapping_rem`: every i16
        /// dividend (plus MIN, MAX, −1, 0, random) for divisors ±1..=±100, ±powers of two,
        /// MIN, MAX, random; 0 → `Err`; `MIN / -1` wraps to `MIN`.
        pub fn $fn(make: &dyn Fn($s) -> arsenal_num::Result<Box<dyn Divide<$s>>>) {
            assert_eq!(make(0).unwrap_err().kind(), ErrorKind::Divisor);
            let mut next = rng(<$s>::BITS as u64 + 100);
            let mut ns: Vec<$s> = (i16::MIN..=i16::MAX).map(<$s>::from).collect();
            ns.extend([<$s>::MIN, <$s>::MIN + 1, <$s>::MAX, <$s>::MAX - 1, -1, 0, 1]);
            ns.extend((0..2048).map(|_| next() as $s));
            let mut ds: Vec<$s> = (1..=100).flat_map(|d| [d, -d]).collect();
            ds.extend((0..<$s>::BITS - 1).flat_map(|k| [(1 as $s) << k, -((1 as $s) << k)]));
            ds.extend([<$s>::MIN, <$s>::MAX, <$s>::MIN + 1]);
            ds.extend((0..30).map(|_| next() as $s).filter(|&d| d != 0));
            let mut out = vec![0 as $s; ns.len()];
            for &d in &ds {
                let div = make(d).unwrap();
                assert_eq!(div.divisor(), d);
                div.div_slice(&ns, &mut out).unwrap();
                for (&n, &q) in ns.iter().zip(&out) {
                    assert_eq!(q, n.wrapping_div(d), "{n} / {d}");
                }
                for &n in ns.iter().step_by(61) {
                    assert_eq!(div.rem(n), n.wrapping_rem(d), "{n} % {d}");
                }
            }
            let m1 = make(-1).unwrap();
            assert_eq!(m1.div(<$s>::MIN), <$s>::MIN);
            assert_eq!(m1.rem(<$s>::MIN), 0);
        }
    };
}

signed_checks!(div_suite_i32, i32);
signed_checks!(div_suite_i64, i64);
