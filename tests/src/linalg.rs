//! The linear-algebra conformance suite: every backend against a naive `f64` reference
//! with a tolerance that scales with k, on odd sizes, every operand layout (row-major,
//! column-major, transposed views, padded and every-other-column strides), the alpha and
//! beta cases BLAS special-cases, and the shape and bounds errors.

use arsenal_linalg::{Blas, ErrorKind, MatMut, MatRef, Scalar};

/// A small deterministic generator (xorshift64*), values in [-1, 1).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        bits as f64 / (1u64 << 52) as f64 - 1.0
    }
}

/// How an operand is stored.
#[derive(Clone, Copy, Debug)]
enum Store {
    RowMajor,
    ColMajor,
    /// Row-major with 3 spare elements per row.
    Padded,
    /// Column-major data viewed through `.t()` of a row-major view of the transpose.
    Transposed,
    /// Every other column of a row-major matrix twice as wide (no unit stride).
    EveryOther,
}

const STORES: [Store; 5] = [
    Store::RowMajor,
    Store::ColMajor,
    Store::Padded,
    Store::Transposed,
    Store::EveryOther,
];

/// Backing storage for a `rows`×`cols` matrix in `store`, with `f(i, j)` at (i, j).
fn build<T: Scalar>(
    rows: usize,
    cols: usize,
    store: Store,
    f: impl Fn(usize, usize) -> T,
) -> (Vec<T>, usize, usize) {
    let (len, rs, cs) = match store {
        Store::RowMajor => (rows * cols, cols, 1),
        Store::ColMajor | Store::Transposed => (rows * cols, 1, rows),
        Store::Padded => (rows * (cols + 3), cols + 3, 1),
        Store::EveryOther => (rows * cols * 2, cols * 2, 2),
    };
    let mut data = vec![T::from_f64(7.0); len.max(1)];
    for i in 0..rows {
        for j in 0..cols {
            data[i * rs + j * cs] = f(i, j);
        }
    }
    (data, rs, cs)
}

fn view<T: Scalar>(
    data: &[T],
    rows: usize,
    cols: usize,
    rs: usize,
    cs: usize,
    store: Store,
) -> MatRef<'_, T> {
    match store {
        // The transpose of a row-major cols×rows view: the same elements.
        Store::Transposed => MatRef::new(data, cols, rows, cs, rs).expect("view").t(),
        _ => MatRef::new(data, rows, cols, rs, cs).expect("view"),
    }
}

/// Checks one gemm against the reference; `what` names the case in a failure.
#[allow(clippy::too_many_arguments)]
fn check_gemm_case<T: Scalar>(
    blas: &dyn Blas,
    m: usize,
    n: usize,
    k: usize,
    alpha: f64,
    beta: f64,
    stores: [Store; 3],
    seed: u64,
) {
    let mut rng = Rng(seed | 1);
    let av: Vec<f64> = (0..m * k).map(|_| rng.next()).collect();
    let bv: Vec<f64> = (0..k * n).map(|_| rng.next()).collect();
    let cv: Vec<f64> = (0..m * n).map(|_| rng.next()).collect();
    let (ad, ars, acs) = build::<T>(m, k, stores[0], |i, p| T::from_f64(av[i * k + p]));
    let (bd, brs, bcs) = build::<T>(k, n, stores[1], |p, j| T::from_f64(bv[p * n + j]));
    // beta == 0: C starts as NaN, which must not reach the result.
    let c0 = |i: usize, j: usize| if beta == 0.0 { f64::NAN } else { cv[i * n + j] };
    let c_store = match stores[2] {
        Store::Transposed => Store::ColMajor,
        s => s,
    };
    let (mut cd, crs, ccs) = build::<T>(m, n, c_store, |i, j| T::from_f64(c0(i, j)));
    let a = view(&ad, m, k, ars, acs, stores[0]);
    let b = view(&bd, k, n, brs, bcs, stores[1]);
    let c = MatMut::new(&mut cd, m, n, crs, ccs).expect("view");
    let what = format!(
        "{:?} {} m={m} n={n} k={k} alpha={alpha} beta={beta} {stores:?}",
        blas.backend(),
        T::NAME
    );
    arsenal_linalg::gemm(blas, T::from_f64(alpha), a, b, T::from_f64(beta), c)
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let eps = T::EPSILON.to_f64();
    for i in 0..m {
        for j in 0..n {
            // The reference from the rounded inputs, in f64.
            let (mut s, mut mag) = (0.0f64, 0.0f64);
            for p in 0..k {
                let x = a.get(i, p).expect("in shape").to_f64()
                    * b.get(p, j).expect("in shape").to_f64();
                s += x;
                mag += x.abs();
            }
            let c_in = if beta == 0.0 {
                0.0
            } else {
                T::from_f64(c0(i, j)).to_f64()
            };
            let want = alpha * s + beta * c_in;
            let got = cd[i * crs + j * ccs].to_f64();
            let tol = 4.0 * (k as f64 + 2.0) * eps * (alpha.abs() * mag + (beta * c_in).abs())
                + f64::MIN_POSITIVE;
            assert!(
                (got - want).abs() <= tol,
                "{what}: C[{i},{j}] = {got}, reference {want} (tolerance {tol})"
            );
        }
    }
    // Elements outside the view (padding, skipped columns) are untouched.
    if matches!(c_store, Store::Padded | Store::EveryOther) {
        let inside = |idx: usize| (0..m).any(|i| (0..n).any(|j| i * crs + j * ccs == idx));
        for (idx, v) in cd.iter().enumerate() {
            if !inside(idx) {
                assert_eq!(v.to_f64(), 7.0, "{what}: wrote outside C at {idx}");
            }
        }
    }
}

/// GEMM on odd sizes, every layout, f32 and f64.
pub fn check_gemm(blas: &dyn Blas) {
    let shapes = [
        (1, 1, 1),
        (7, 63, 65),
        (65, 7, 63),
        (63, 65, 7),
        (257, 9, 33),
        (9, 257, 17),
        (1000, 3, 5),
        (3, 5, 1000),
        (64, 64, 64),
        (130, 97, 140),
        (5, 4, 0),
        (0, 3, 4),
    ];
    let mut seed = 11;
    for &(m, n, k) in &shapes {
        for (si, &sa) in STORES.iter().enumerate() {
            let sb = STORES[(si + 2) % STORES.len()];
            let sc = STORES[(si + 1) % STORES.len()];
            seed += 1;
            check_gemm_case::<f64>(blas, m, n, k, 1.0, 0.0, [sa, sb, sc], seed);
            check_gemm_case::<f32>(blas, m, n, k, 1.0, 0.0, [sa, sb, sc], seed);
        }
    }
    for &(alpha, beta) in &[(0.0, 0.5), (-0.5, 1.0), (2.0, -1.5), (1.0, 1.0), (0.0, 0.0)] {
        seed += 1;
        check_gemm_case::<f64>(
            blas,
            33,
            17,
            45,
            alpha,
            beta,
            [Store::ColMajor, Store::RowMajor, Store::Padded],
            seed,
        );
        check_gemm_case::<f32>(
            blas,
            17,
            33,
            300,
            alpha,
            beta,
            [Store::Transposed, Store::EveryOther, Store::RowMajor],
            seed,
        );
    }
}

/// GEMM with the backend set to two threads (a product above the native GEMM's
/// threading threshold of 2²² multiply-adds), then back to one: the same reference.
pub fn check_gemm_threaded(blas: &dyn Blas) {
    blas.set_threads(2).expect("set_threads");
    assert_eq!(blas.threads(), 2, "{:?}", blas.backend());
    // Each case checks every element in f64 (unoptimised test code): three cases.
    let row = [Store::RowMajor; 3];
    check_gemm_case::<f64>(blas, 200, 150, 150, 1.0, 0.0, row, 101);
    let col = [Store::ColMajor, Store::Transposed, Store::ColMajor];
    check_gemm_case::<f32>(blas, 150, 200, 150, 0.5, -1.0, col, 102);
    let strided = [Store::Padded, Store::EveryOther, Store::EveryOther];
    check_gemm_case::<f64>(blas, 150, 200, 150, -1.0, 1.0, strided, 103);
    blas.set_threads(1).expect("set_threads");
    assert_eq!(blas.threads(), 1, "{:?}", blas.backend());
}

/// GEMV against the reference.
pub fn check_gemv(blas: &dyn Blas) {
    for &(m, n) in &[(1, 1), (7, 65), (257, 3), (64, 1000), (0, 5), (5, 0)] {
        for store in STORES {
            let mut rng = Rng((m * 31 + n) as u64 | 1);
            let av: Vec<f64> = (0..m * n).map(|_| rng.next()).collect();
            let x: Vec<f64> = (0..n).map(|_| rng.next()).collect();
            let y0: Vec<f64> = (0..m).map(|_| rng.next()).collect();
            let (ad, rs, cs) = build::<f64>(m, n, store, |i, j| av[i * n + j]);
            let a = view(&ad, m, n, rs, cs, store);
            let mut y = y0.clone();
            arsenal_linalg::gemv(blas, 1.5, a, &x, -0.5, &mut y).expect("gemv");
            for i in 0..m {
                let s: f64 = (0..n).map(|j| av[i * n + j] * x[j]).sum();
                let mag: f64 = (0..n).map(|j| (av[i * n + j] * x[j]).abs()).sum();
                let want = 1.5 * s - 0.5 * y0[i];
                let tol = 4.0 * (n as f64 + 2.0) * f64::EPSILON * (1.5 * mag + 0.5 * y0[i].abs())
                    + f64::MIN_POSITIVE;
                assert!(
                    (y[i] - want).abs() <= tol,
                    "{:?} gemv {m}x{n} {store:?} row {i}: {} vs {want}",
                    blas.backend(),
                    y[i]
                );
            }
        }
    }
}

/// Shape mismatches are `Err(Shape)` on every backend, never a panic or a C call.
pub fn check_errors(blas: &dyn Blas) {
    let a = [1.0f64; 12];
    let mut c = [0.0f64; 12];
    let a34 = MatRef::row_major(&a, 3, 4).expect("view");
    let a43 = MatRef::row_major(&a, 4, 3).expect("view");
    let err = blas
        .gemm_f64(
            1.0,
            a34,
            a34,
            0.0,
            MatMut::row_major(&mut c, 3, 4).expect("view"),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Shape);
    let err = blas
        .gemm_f64(
            1.0,
            a34,
            a43,
            0.0,
            MatMut::row_major(&mut c, 3, 4).expect("view"),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Shape);
    let mut y = [0.0f64; 2];
    let err = blas.gemv_f64(1.0, a34, &[1.0; 4], 0.0, &mut y).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Shape);
    // Views that no slice can back are refused when made, before any backend.
    assert_eq!(
        MatRef::new(&a, usize::MAX, usize::MAX, usize::MAX, 1)
            .unwrap_err()
            .kind(),
        ErrorKind::OutOfBounds
    );
}

/// Instantiates the suite as `#[test]`s for one backend value (`arsenal_linalg::Backend`).
#[macro_export]
macro_rules! linalg_conformance {
    ($name:ident, $backend:expr) => {
        mod $name {
            fn blas() -> Box<dyn arsenal_linalg::Blas> {
                $backend.blas().expect("backend")
            }

            #[test]
            fn gemm() {
                $crate::linalg::check_gemm(&*blas());
            }

            #[test]
            fn gemm_threaded() {
                $crate::linalg::check_gemm_threaded(&*blas());
            }

            #[test]
            fn gemv() {
                $crate::linalg::check_gemv(&*blas());
            }

            #[test]
            fn errors() {
                $crate::linalg::check_errors(&*blas());
            }
        }
    };
}
