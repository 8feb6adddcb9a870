//! Linear-algebra rows of the matrix: `linalg/<op>/<dataset>/<impl>`, one thread unless
//! the dataset says `allcores`.
//!
//! | op / dataset | what one iteration does |
//! |---|---|
//! | `gemm/f64-<n>`, `gemm/f32-<n>` | `C = A·B` for square n×n row-major operands (n = 64, 256, 1024, 2048) |
//! | `gemm/f64-rank64`, `gemm/f32-rank64` | a rank-64 update, `C(2048×2048) = A(2048×64)·B(64×2048)` |
//! | `gemm/f64-2048-allcores`, `gemm/f32-2048-allcores` | n = 2048 on every core (at least 2 threads): every arsenal backend set to that many threads for the call (OpenBLAS, BLIS, the native GEMM: process-wide settings, back to one after), `gemm` with `Parallelism::Rayon`, faer with `Par::rayon`; matrixmultiply (built without its `threading` feature) is `unsupported` |
//! | `gemv/f64-<n>`, `gemv/f32-<n>` | `y = A·x` for a square row-major n×n A (n = 512: A in L2; n = 4096: A streamed from memory) |
//!
//! `items` is the number of floating-point operations (2·m·n·k for gemm, 2·m·n for
//! gemv), so the gemm tables' items/s divided by 10⁹ is GFLOPS; `bytes` is the size of A
//! (the gemv tables are in GB/s of A: GEMV is bound by reading A once).
//!
//! | impl | what runs |
//! |---|---|
//! | `arsenal:openblas`, `arsenal:blis`, `arsenal:native` | [`arsenal_linalg`]'s backends through `arsenal_linalg::gemm` / `gemv` (views checked per call) |
//! | `raw:openblas` | `cblas_?gemm` / `cblas_?gemv` from Debian's libopenblas (looked up with `dlsym`) |
//! | `raw:blis` | `bli_?gemm_ex` / `bli_?gemv_ex` of the BLIS that `blis-src` builds, with the configuration context `arsenal:blis` chose (`Blis::context_ptr`) |
//! | `peer:matrixmultiply` | `matrixmultiply::?gemm` (its default features, AVX-512 included; one thread; GEMV as an n×1 product) |
//! | `peer:gemm` | `gemm::gemm` with `Parallelism::None` (`Rayon` in the all-cores rows), features `x86-v4` (its AVX-512 kernels) and `rayon`; GEMV as an n×1 product (gemm special-cases it) |
//! | `peer:faer` | `faer::linalg::matmul::matmul` (faer 0.24, feature `nightly` = its `x86-v4` AVX-512 paths, which build on stable Rust now; `Par::Seq`, `Par::rayon` in the all-cores rows), GEMV as a matrix × column product |
//!
//! Threads: every arsenal backend is set to one thread before the rows run and back to
//! one after each all-cores call; the peers are asked for one thread except in the
//! all-cores rows.
//!
//! **Verification** (outside the timing, [`Case::verify`]): gemm by Freivalds' check —
//! the cell's `C` times a random vector equals `A·(B·x)` computed in `f64`, within a
//! tolerance scaling with k·ε·|A||B||x| — which no backend shares, and costs O(n²); gemv
//! against `A·x` in `f64`, elementwise within 4·(n+2)·ε·Σ|a||x|.
//!
//! The domain measures one machine number first ([`DOMAIN`]'s `extras`): the single-core
//! FMA peak (independent FMA chains in the widest vectors the CPU has); the report reads
//! every gemm cell as a share of it (an extra table: f32 twice the f64 peak, all-cores
//! rows times the thread count).

use crate::domain::Domain;
use crate::harness::{BenchResult, Case, Registry};
use crate::machine::{Extra, Machine};
use crate::report::{dataset_table, Table, Unit};
use arsenal_linalg::{Blas, MatMut, MatRef, Scalar};
use std::ffi::{c_int, c_void};
use std::rc::Rc;

/// The first part of every cell id of this domain.
const NAME: &str = "linalg";

/// The linear-algebra domain (FLOP/s as items/s).
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Linear algebra",
    register: |reg, _data| register(reg),
    unit: |op| {
        Some(if op == "gemv" {
            Unit::GigabytesPerSecond
        } else {
            Unit::ItemsPerSecond
        })
    },
    tables: share_of_peak,
    note: |_machine| Some(note()),
    extras,
    select: Some(crate::domain::Selection {
        krate: "arsenal-linalg",
        pick: crate::strategy::pick::<arsenal_linalg::Backend>,
    }),
    ..Domain::EMPTY
};

fn note() -> String {
    let mut kernels = Vec::new();
    for backend in arsenal_linalg::Backend::available() {
        if let Ok(blas) = backend.blas() {
            kernels.push(blas.kernel());
        }
    }
    format!(
        "items are floating-point operations (items/s ÷ 10⁹ = GFLOPS), one thread; kernels: {}",
        kernels.join("; ")
    )
}

/// A deterministic matrix in [-1, 1).
fn data<T: Scalar>(len: usize, seed: u64) -> Vec<T> {
    let mut s = seed | 1;
    (0..len)
        .map(|_| {
            s ^= s >> 12;
            s ^= s << 25;
            s ^= s >> 27;
            T::from_f64(
                (s.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 52) as f64 - 1.0,
            )
        })
        .collect()
}

/// The operands of one gemm dataset (row-major).
struct Gemm<T> {
    m: usize,
    n: usize,
    k: usize,
    a: Vec<T>,
    b: Vec<T>,
}

/// Freivalds' check of `c` (row-major m×n) against `a·b`.
fn freivalds<T: Scalar>(g: &Gemm<T>, c: &[T]) -> Result<(), String> {
    let (m, n, k) = (g.m, g.n, g.k);
    let x: Vec<f64> = data::<f64>(n, 99);
    let bx: Vec<f64> = (0..k)
        .map(|p| (0..n).map(|j| g.b[p * n + j].to_f64() * x[j]).sum())
        .collect();
    let bx_abs: Vec<f64> = (0..k)
        .map(|p| (0..n).map(|j| (g.b[p * n + j].to_f64() * x[j]).abs()).sum())
        .collect();
    let eps = T::EPSILON.to_f64();
    for i in 0..m {
        let want: f64 = (0..k).map(|p| g.a[i * k + p].to_f64() * bx[p]).sum();
        let mag: f64 = (0..k)
            .map(|p| g.a[i * k + p].to_f64().abs() * bx_abs[p])
            .sum();
        let got: f64 = (0..n).map(|j| c[i * n + j].to_f64() * x[j]).sum();
        let tol = 8.0 * (k as f64 + n as f64) * eps * mag + 1e-12;
        if (got - want).abs() > tol {
            return Err(format!(
                "row {i}: C·x = {got}, A·(B·x) = {want} (tolerance {tol})"
            ));
        }
    }
    Ok(())
}

/// One way of running gemm on row-major operands into row-major C.
type GemmFn<T> = Rc<dyn Fn(&Gemm<T>, &mut [T]) -> Result<(), String>>;

fn add_gemm<T: Scalar>(
    reg: &mut Registry,
    dataset: &str,
    g: &Rc<Gemm<T>>,
    imp: &str,
    f: Result<GemmFn<T>, String>,
) {
    let f = match f {
        Ok(f) => f,
        Err(reason) => return reg.add(Case::unsupported(NAME, "gemm", dataset, imp, reason)),
    };
    let flops = 2 * g.m * g.n * g.k;
    let check = {
        let (g, f) = (Rc::clone(g), Rc::clone(&f));
        move || {
            let mut c = vec![T::from_f64(f64::NAN); g.m * g.n];
            f(&g, &mut c)?;
            freivalds(&g, &c)
        }
    };
    let g = Rc::clone(g);
    let mut c = vec![T::from_f64(0.0); g.m * g.n];
    let bytes = (g.a.len() * std::mem::size_of::<T>()) as u64;
    reg.add(
        Case::new(NAME, "gemm", dataset, imp, bytes, flops as u64, move || {
            f(&g, &mut c).map_or(0, |()| c.len() as u64)
        })
        .verify(check),
    );
}

fn arsenal_gemm<T: Scalar>(blas: Rc<dyn Blas>) -> GemmFn<T> {
    Rc::new(move |g: &Gemm<T>, c: &mut [T]| {
        let a = MatRef::row_major(&g.a, g.m, g.k).map_err(|e| e.to_string())?;
        let b = MatRef::row_major(&g.b, g.k, g.n).map_err(|e| e.to_string())?;
        let c = MatMut::row_major(c, g.m, g.n).map_err(|e| e.to_string())?;
        arsenal_linalg::gemm(&*blas, T::from_f64(1.0), a, b, T::from_f64(0.0), c)
            .map_err(|e| e.to_string())
    })
}

/// OpenBLAS's CBLAS entry points, looked up in its own shared object (BLIS exports the
/// same names).
struct RawOpenBlas {
    sgemm: CblasGemm<f32>,
    dgemm: CblasGemm<f64>,
    sgemv: CblasGemv<f32>,
    dgemv: CblasGemv<f64>,
}

/// `cblas_?gemv`'s C signature (LP64).
type CblasGemv<T> = unsafe extern "C" fn(
    c_int,
    c_int,
    c_int,
    c_int,
    T,
    *const T,
    c_int,
    *const T,
    c_int,
    T,
    *mut T,
    c_int,
);

/// `cblas_?gemm`'s C signature (LP64: `int` dimensions).
type CblasGemm<T> = unsafe extern "C" fn(
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    c_int,
    T,
    *const T,
    c_int,
    *const T,
    c_int,
    T,
    *mut T,
    c_int,
);

/// An implementation label and the backend it runs, or why it cannot.
type Backends = Vec<(String, Result<Rc<dyn Blas>, String>)>;

fn raw_openblas() -> Result<&'static RawOpenBlas, String> {
    static RAW: std::sync::OnceLock<Result<RawOpenBlas, String>> = std::sync::OnceLock::new();
    RAW.get_or_init(|| {
        // SAFETY: a NUL-terminated name; the handle is never closed.
        let h = unsafe {
            libc::dlopen(
                arsenal_openblas_sys::SONAME.as_ptr(),
                libc::RTLD_NOW | libc::RTLD_LOCAL,
            )
        };
        if h.is_null() {
            return Err("libopenblas.so.0 not found".to_owned());
        }
        let sym = |name: &std::ffi::CStr| {
            // SAFETY: a live handle and a NUL-terminated name.
            let p = unsafe { libc::dlsym(h, name.as_ptr()) };
            if p.is_null() {
                Err(format!("no {}", name.to_string_lossy()))
            } else {
                Ok(p)
            }
        };
        let (s, d): (*mut c_void, *mut c_void) = (sym(c"cblas_sgemm")?, sym(c"cblas_dgemm")?);
        let (sv, dv): (*mut c_void, *mut c_void) = (sym(c"cblas_sgemv")?, sym(c"cblas_dgemv")?);
        // SAFETY: OpenBLAS's cblas_sgemm / cblas_dgemm / cblas_sgemv / cblas_dgemv, LP64
        // (`int` dimensions).
        unsafe {
            Ok(RawOpenBlas {
                sgemm: std::mem::transmute::<*mut c_void, CblasGemm<f32>>(s),
                dgemm: std::mem::transmute::<*mut c_void, CblasGemm<f64>>(d),
                sgemv: std::mem::transmute::<*mut c_void, CblasGemv<f32>>(sv),
                dgemv: std::mem::transmute::<*mut c_void, CblasGemv<f64>>(dv),
            })
        }
    })
    .as_ref()
    .map_err(Clone::clone)
}

extern "C" {
    fn bli_sgemv_ex(
        transa: c_int,
        conjx: c_int,
        m: i64,
        n: i64,
        alpha: *const f32,
        a: *const f32,
        rsa: i64,
        csa: i64,
        x: *const f32,
        incx: i64,
        beta: *const f32,
        y: *mut f32,
        incy: i64,
        cntx: *const c_void,
        rntm: *const c_void,
    );
    fn bli_dgemv_ex(
        transa: c_int,
        conjx: c_int,
        m: i64,
        n: i64,
        alpha: *const f64,
        a: *const f64,
        rsa: i64,
        csa: i64,
        x: *const f64,
        incx: i64,
        beta: *const f64,
        y: *mut f64,
        incy: i64,
        cntx: *const c_void,
        rntm: *const c_void,
    );
    fn bli_sgemm_ex(
        ta: c_int,
        tb: c_int,
        m: i64,
        n: i64,
        k: i64,
        alpha: *const f32,
        a: *const f32,
        rsa: i64,
        csa: i64,
        b: *const f32,
        rsb: i64,
        csb: i64,
        beta: *const f32,
        c: *mut f32,
        rsc: i64,
        csc: i64,
        cntx: *const c_void,
        rntm: *const c_void,
    );
    fn bli_dgemm_ex(
        ta: c_int,
        tb: c_int,
        m: i64,
        n: i64,
        k: i64,
        alpha: *const f64,
        a: *const f64,
        rsa: i64,
        csa: i64,
        b: *const f64,
        rsb: i64,
        csb: i64,
        beta: *const f64,
        c: *mut f64,
        rsc: i64,
        csc: i64,
        cntx: *const c_void,
        rntm: *const c_void,
    );
}

/// The element-typed raw and peer calls.
trait Elem: Scalar + matrixmultiply_like::Mm {
    fn raw_openblas(g: &Gemm<Self>, c: &mut [Self]) -> Result<(), String>;
    fn raw_blis(g: &Gemm<Self>, c: &mut [Self]);
    fn faer(g: &Gemm<Self>, c: &mut [Self], par: faer::Par);
    fn raw_openblas_gemv(v: &Gemv<Self>, y: &mut [Self]) -> Result<(), String>;
    fn raw_blis_gemv(v: &Gemv<Self>, y: &mut [Self]);
    fn faer_gemv(v: &Gemv<Self>, y: &mut [Self]);
}

mod matrixmultiply_like {
    /// `matrixmultiply`'s and `gemm`'s entry points per element type.
    pub trait Mm: Sized {
        /// # Safety
        /// Row-major m×k, k×n, m×n buffers of those sizes.
        unsafe fn mm(m: usize, k: usize, n: usize, a: *const Self, b: *const Self, c: *mut Self);
    }
    impl Mm for f32 {
        unsafe fn mm(m: usize, k: usize, n: usize, a: *const f32, b: *const f32, c: *mut f32) {
            // SAFETY: forwarded (row-major strides, beta = 0).
            unsafe {
                matrixmultiply::sgemm(
                    m, k, n, 1.0, a, k as isize, 1, b, n as isize, 1, 0.0, c, n as isize, 1,
                )
            }
        }
    }
    impl Mm for f64 {
        unsafe fn mm(m: usize, k: usize, n: usize, a: *const f64, b: *const f64, c: *mut f64) {
            // SAFETY: forwarded (row-major strides, beta = 0).
            unsafe {
                matrixmultiply::dgemm(
                    m, k, n, 1.0, a, k as isize, 1, b, n as isize, 1, 0.0, c, n as isize, 1,
                )
            }
        }
    }
}

/// The configuration context `arsenal:blis` runs (chosen explicitly from the CPU's
/// features), so that `raw:blis` calls BLIS with the same one.
fn blis_context() -> *const c_void {
    arsenal_linalg::Blis::new().map_or(std::ptr::null(), |b| b.context_ptr())
}

const ROW_MAJOR: c_int = 101;
const NO_TRANS: c_int = 111;

macro_rules! elem {
    ($t:ty, $ob:ident, $bli:ident, $obv:ident, $bliv:ident) => {
        impl Elem for $t {
            fn raw_openblas(g: &Gemm<$t>, c: &mut [$t]) -> Result<(), String> {
                let api = raw_openblas()?;
                let (m, n, k) = (g.m as c_int, g.n as c_int, g.k as c_int);
                // SAFETY: row-major operands of the declared sizes (m, n, k < 2^31).
                unsafe {
                    (api.$ob)(
                        ROW_MAJOR,
                        NO_TRANS,
                        NO_TRANS,
                        m,
                        n,
                        k,
                        1.0,
                        g.a.as_ptr(),
                        k,
                        g.b.as_ptr(),
                        n,
                        0.0,
                        c.as_mut_ptr(),
                        n,
                    )
                };
                Ok(())
            }
            fn raw_blis(g: &Gemm<$t>, c: &mut [$t]) {
                let (m, n, k) = (g.m as i64, g.n as i64, g.k as i64);
                let (one, zero): ($t, $t) = (1.0, 0.0);
                // SAFETY: row-major operands of the declared sizes, unit column stride;
                // the context is the one arsenal:blis runs (a registered configuration
                // this CPU runs, or null: BLIS's own).
                unsafe {
                    $bli(
                        0,
                        0,
                        m,
                        n,
                        k,
                        &one,
                        g.a.as_ptr(),
                        k,
                        1,
                        g.b.as_ptr(),
                        n,
                        1,
                        &zero,
                        c.as_mut_ptr(),
                        n,
                        1,
                        blis_context(),
                        std::ptr::null(),
                    )
                };
            }
            fn faer(g: &Gemm<$t>, c: &mut [$t], par: faer::Par) {
                let a = faer::MatRef::from_row_major_slice(&g.a, g.m, g.k);
                let b = faer::MatRef::from_row_major_slice(&g.b, g.k, g.n);
                let c = faer::MatMut::from_row_major_slice_mut(c, g.m, g.n);
                faer::linalg::matmul::matmul(c, faer::Accum::Replace, a, b, 1.0, par);
            }
            fn raw_openblas_gemv(v: &Gemv<$t>, y: &mut [$t]) -> Result<(), String> {
                let api = raw_openblas()?;
                let (m, n) = (v.m as c_int, v.n as c_int);
                // SAFETY: a row-major m×n A, x of n and y of m elements (m, n < 2^31).
                unsafe {
                    (api.$obv)(
                        ROW_MAJOR,
                        NO_TRANS,
                        m,
                        n,
                        1.0,
                        v.a.as_ptr(),
                        n,
                        v.x.as_ptr(),
                        1,
                        0.0,
                        y.as_mut_ptr(),
                        1,
                    )
                };
                Ok(())
            }
            fn raw_blis_gemv(v: &Gemv<$t>, y: &mut [$t]) {
                let (one, zero): ($t, $t) = (1.0, 0.0);
                // SAFETY: a row-major m×n A (row stride n, column stride 1), x of n and y
                // of m elements.
                unsafe {
                    $bliv(
                        0,
                        0,
                        v.m as i64,
                        v.n as i64,
                        &one,
                        v.a.as_ptr(),
                        v.n as i64,
                        1,
                        v.x.as_ptr(),
                        1,
                        &zero,
                        y.as_mut_ptr(),
                        1,
                        blis_context(),
                        std::ptr::null(),
                    )
                };
            }
            fn faer_gemv(v: &Gemv<$t>, y: &mut [$t]) {
                let a = faer::MatRef::from_row_major_slice(&v.a, v.m, v.n);
                let x = faer::MatRef::from_column_major_slice(&v.x, v.n, 1);
                let y = faer::MatMut::from_column_major_slice_mut(y, v.m, 1);
                faer::linalg::matmul::matmul(y, faer::Accum::Replace, a, x, 1.0, faer::Par::Seq);
            }
        }
    };
}
elem!(f32, sgemm, bli_sgemm_ex, sgemv, bli_sgemv_ex);
elem!(f64, dgemm, bli_dgemm_ex, dgemv, bli_dgemv_ex);

/// Runs `f` with every arsenal backend (OpenBLAS, BLIS, native) set to `threads`
/// threads, then back to one (process-wide settings; the one-thread rows rely on one).
fn with_threads<T: Scalar>(threads: usize, f: GemmFn<T>) -> GemmFn<T> {
    if threads == 1 {
        return f;
    }
    Rc::new(move |g: &Gemm<T>, c: &mut [T]| {
        set_threads(threads);
        let r = f(g, c);
        set_threads(1);
        r
    })
}

/// Sets every arsenal backend's thread count (process-wide library settings).
fn set_threads(threads: usize) {
    for backend in arsenal_linalg::Backend::available() {
        if let Ok(blas) = backend.blas() {
            let _ = blas.set_threads(threads);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn register_gemm<T: Elem>(
    reg: &mut Registry,
    dataset: &str,
    m: usize,
    n: usize,
    k: usize,
    blas: &Backends,
    threads: usize,
) {
    let g = Rc::new(Gemm {
        m,
        n,
        k,
        a: data::<T>(m * k, 7),
        b: data::<T>(k * n, 8),
    });
    let single = |why: &str| -> Result<GemmFn<T>, String> { Err(why.to_owned()) };
    for (imp, b) in blas {
        let f = b
            .clone()
            .map(|b| with_threads(threads, arsenal_gemm::<T>(b)));
        add_gemm(reg, dataset, &g, imp, f);
    }
    add_gemm::<T>(
        reg,
        dataset,
        &g,
        "raw:openblas",
        Ok(with_threads(threads, Rc::new(T::raw_openblas))),
    );
    add_gemm::<T>(
        reg,
        dataset,
        &g,
        "raw:blis",
        Ok(with_threads(
            threads,
            Rc::new(|g: &Gemm<T>, c: &mut [T]| {
                T::raw_blis(g, c);
                Ok(())
            }),
        )),
    );
    let mm: Result<GemmFn<T>, String> = if threads > 1 {
        single(
            "built without its `threading` feature (which would also thread the one-thread rows)",
        )
    } else {
        Ok(Rc::new(|g: &Gemm<T>, c: &mut [T]| {
            // SAFETY: row-major buffers of the dataset's sizes.
            unsafe { T::mm(g.m, g.k, g.n, g.a.as_ptr(), g.b.as_ptr(), c.as_mut_ptr()) };
            Ok(())
        }))
    };
    add_gemm::<T>(reg, dataset, &g, "peer:matrixmultiply", mm);
    let parallelism = if threads > 1 {
        gemm::Parallelism::Rayon(threads)
    } else {
        gemm::Parallelism::None
    };
    add_gemm::<T>(
        reg,
        dataset,
        &g,
        "peer:gemm",
        Ok(Rc::new(move |g: &Gemm<T>, c: &mut [T]| {
            let (m, n, k) = (g.m, g.n, g.k);
            // SAFETY: row-major buffers of the dataset's sizes (column stride 1, row stride
            // the row length); `read_dst = false` overwrites C.
            unsafe {
                gemm::gemm(
                    m,
                    n,
                    k,
                    c.as_mut_ptr(),
                    1,
                    n as isize,
                    false,
                    g.a.as_ptr(),
                    1,
                    k as isize,
                    g.b.as_ptr(),
                    1,
                    n as isize,
                    T::from_f64(0.0),
                    T::from_f64(1.0),
                    false,
                    false,
                    false,
                    parallelism,
                )
            };
            Ok(())
        })),
    );
    let par = if threads > 1 {
        faer::Par::rayon(threads)
    } else {
        faer::Par::Seq
    };
    add_gemm::<T>(
        reg,
        dataset,
        &g,
        "peer:faer",
        Ok(Rc::new(move |g: &Gemm<T>, c: &mut [T]| {
            T::faer(g, c, par);
            Ok(())
        })),
    );
}

/// The operands of one gemv dataset: row-major m×n A and x.
struct Gemv<T> {
    m: usize,
    n: usize,
    a: Vec<T>,
    x: Vec<T>,
}

/// One way of running `y = A·x` (row-major A).
type GemvFn<T> = Rc<dyn Fn(&Gemv<T>, &mut [T]) -> Result<(), String>>;

/// Checks `y` against `A·x` computed in `f64`, elementwise within 4·(n+2)·ε·Σ|a||x|.
fn check_gemv<T: Scalar>(v: &Gemv<T>, y: &[T]) -> Result<(), String> {
    let eps = T::EPSILON.to_f64();
    for (i, yi) in y.iter().enumerate().take(v.m) {
        let row = &v.a[i * v.n..][..v.n];
        let (mut want, mut mag) = (0.0f64, 0.0f64);
        for (a, x) in row.iter().zip(&v.x) {
            let t = a.to_f64() * x.to_f64();
            want += t;
            mag += t.abs();
        }
        let got = yi.to_f64();
        let tol = 4.0 * (v.n as f64 + 2.0) * eps * mag + 1e-12;
        if (got - want).abs() > tol || got.is_nan() {
            return Err(format!("y[{i}] = {got}, A·x = {want} (tolerance {tol})"));
        }
    }
    Ok(())
}

fn add_gemv<T: Scalar>(
    reg: &mut Registry,
    dataset: &str,
    v: &Rc<Gemv<T>>,
    imp: &str,
    f: GemvFn<T>,
) {
    let check = {
        let (v, f) = (Rc::clone(v), Rc::clone(&f));
        move || {
            let mut y = vec![T::from_f64(f64::NAN); v.m];
            f(&v, &mut y)?;
            check_gemv(&v, &y)
        }
    };
    let v = Rc::clone(v);
    let mut y = vec![T::from_f64(0.0); v.m];
    let bytes = (v.a.len() * std::mem::size_of::<T>()) as u64;
    let flops = (2 * v.m * v.n) as u64;
    reg.add(
        Case::new(NAME, "gemv", dataset, imp, bytes, flops, move || {
            f(&v, &mut y).map_or(0, |()| y.len() as u64)
        })
        .verify(check),
    );
}

fn register_gemv<T: Elem>(reg: &mut Registry, dataset: &str, m: usize, n: usize, blas: &Backends) {
    let v = Rc::new(Gemv {
        m,
        n,
        a: data::<T>(m * n, 17),
        x: data::<T>(n, 18),
    });
    for (imp, b) in blas {
        match b {
            Ok(b) => {
                let b = Rc::clone(b);
                let f: GemvFn<T> = Rc::new(move |v: &Gemv<T>, y: &mut [T]| {
                    let a = MatRef::row_major(&v.a, v.m, v.n).map_err(|e| e.to_string())?;
                    arsenal_linalg::gemv(&*b, T::from_f64(1.0), a, &v.x, T::from_f64(0.0), y)
                        .map_err(|e| e.to_string())
                });
                add_gemv(reg, dataset, &v, imp, f);
            }
            Err(reason) => reg.add(Case::unsupported(
                NAME,
                "gemv",
                dataset,
                imp,
                reason.clone(),
            )),
        }
    }
    add_gemv::<T>(
        reg,
        dataset,
        &v,
        "raw:openblas",
        Rc::new(T::raw_openblas_gemv),
    );
    add_gemv::<T>(
        reg,
        dataset,
        &v,
        "raw:blis",
        Rc::new(|v: &Gemv<T>, y: &mut [T]| {
            T::raw_blis_gemv(v, y);
            Ok(())
        }),
    );
    add_gemv::<T>(
        reg,
        dataset,
        &v,
        "peer:faer",
        Rc::new(|v: &Gemv<T>, y: &mut [T]| {
            T::faer_gemv(v, y);
            Ok(())
        }),
    );
    add_gemv::<T>(
        reg,
        dataset,
        &v,
        "peer:matrixmultiply",
        Rc::new(|v: &Gemv<T>, y: &mut [T]| {
            // SAFETY: A is m×n row-major, x an n×1 and y an m×1 matrix (row-major).
            unsafe { T::mm(v.m, v.n, 1, v.a.as_ptr(), v.x.as_ptr(), y.as_mut_ptr()) };
            Ok(())
        }),
    );
    add_gemv::<T>(
        reg,
        dataset,
        &v,
        "peer:gemm",
        Rc::new(|v: &Gemv<T>, y: &mut [T]| {
            // SAFETY: A is m×n row-major (column stride 1), x n×1, y m×1 (unit row
            // stride); `read_dst = false` overwrites y.
            unsafe {
                gemm::gemm(
                    v.m,
                    1,
                    v.n,
                    y.as_mut_ptr(),
                    1,
                    1,
                    false,
                    v.a.as_ptr(),
                    1,
                    v.n as isize,
                    v.x.as_ptr(),
                    1,
                    1,
                    T::from_f64(0.0),
                    T::from_f64(1.0),
                    false,
                    false,
                    false,
                    gemm::Parallelism::None,
                )
            };
            Ok(())
        }),
    );
}

/// Registers the gemm and gemv rows.
pub fn register(reg: &mut Registry) {
    let blas: Backends = arsenal_linalg::Backend::ALL
        .iter()
        .map(|&b| {
            let made = b.blas().map(Rc::from).map_err(|e| e.to_string());
            (format!("arsenal:{b}"), made)
        })
        .collect();
    // One thread in every library (process-wide settings).
    set_threads(1);
    for n in [64, 256, 1024, 2048] {
        register_gemm::<f64>(reg, &format!("f64-{n}"), n, n, n, &blas, 1);
        register_gemm::<f32>(reg, &format!("f32-{n}"), n, n, n, &blas, 1);
    }
    register_gemm::<f64>(reg, "f64-rank64", 2048, 2048, 64, &blas, 1);
    register_gemm::<f32>(reg, "f32-rank64", 2048, 2048, 64, &blas, 1);
    // All cores: each library's own threading.
    let cores = all_cores(std::thread::available_parallelism().map_or(1, |n| n.get()));
    register_gemm::<f64>(reg, "f64-2048-allcores", 2048, 2048, 2048, &blas, cores);
    register_gemm::<f32>(reg, "f32-2048-allcores", 2048, 2048, 2048, &blas, cores);
    // GEMV: A in L2 (n = 512) and from DRAM (n = 4096).
    for n in [512, 4096] {
        register_gemv::<f64>(reg, &format!("f64-{n}"), n, n, &blas);
        register_gemv::<f32>(reg, &format!("f32-{n}"), n, n, &blas);
    }
}

/// The single-core FMA peak in GFLOPS: 12 independent FMA chains in the widest vectors.
fn fma_peak() -> Option<f64> {
    #[cfg(target_arch = "x86_64")]
    {
        let cpu = arsenal::cpu::features();
        if cpu.avx512f {
            // SAFETY: the CPU has AVX-512F.
            return Some(unsafe { peak_avx512() });
        }
        if cpu.avx2 && cpu.fma {
            // SAFETY: the CPU has AVX2 and FMA.
            return Some(unsafe { peak_avx2() });
        }
    }
    None
}

macro_rules! peak {
    ($name:ident, $feature:literal, $lanes:expr, $set:ident, $fma:ident, $reduce:expr) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $feature)]
        unsafe fn $name() -> f64 {
            use std::arch::x86_64::*;
            const CHAINS: usize = 12;
            const ITERS: usize = 20_000_000;
            let mut acc = [$set(1.0); CHAINS];
            let (x, y) = ($set(0.999_999_9), $set(1e-9));
            let mut best = f64::MAX;
            for _ in 0..3 {
                let t = std::time::Instant::now();
                for _ in 0..ITERS {
                    for a in acc.iter_mut() {
                        *a = $fma(*a, x, y);
                    }
                }
                best = best.min(t.elapsed().as_secs_f64());
            }
            let sink: f64 = acc.iter().map(|&a| $reduce(a)).sum();
            std::hint::black_box(sink);
            (CHAINS * ITERS * $lanes * 2) as f64 / best / 1e9
        }
    };
}
peak!(
    peak_avx512,
    "avx512f",
    8,
    _mm512_set1_pd,
    _mm512_fmadd_pd,
    |a| _mm512_reduce_add_pd(a)
);
peak!(
    peak_avx2,
    "avx2,fma",
    4,
    _mm256_set1_pd,
    _mm256_fmadd_pd,
    |a: std::arch::x86_64::__m256d| {
        let mut v = [0.0f64; 4];
        // SAFETY: a 4-lane store into a 4-element array.
        unsafe { std::arch::x86_64::_mm256_storeu_pd(v.as_mut_ptr(), a) };
        v.iter().sum::<f64>()
    }
);

/// The name of the peak in the results' `machine.extras`.
const PEAK: &str = "FMA peak (f64, one core)";

/// Threads of the all-cores rows on a machine with `cores` logical cores.
fn all_cores(cores: usize) -> usize {
    cores.max(2)
}

/// The report's "% of peak" table: every gemm cell's FLOP/s as a share of the measured
/// FMA peak (doubled for f32, times the thread count in the all-cores rows).
fn share_of_peak(results: &[BenchResult], machine: &Machine) -> Vec<(String, Table)> {
    let Some(peak) = machine
        .extras
        .iter()
        .find(|e| e.domain == NAME && e.name == PEAK)
        .and_then(|e| e.value)
        .filter(|p| *p > 0.0)
    else {
        return Vec::new();
    };
    let rows: Vec<&BenchResult> = results
        .iter()
        .filter(|r| r.domain == NAME && r.op == "gemm")
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    let table = dataset_table("dataset", &rows, |row| {
        let mut ceiling = peak * 1e9;
        if row.dataset.starts_with("f32") {
            ceiling *= 2.0;
        }
        if row.dataset.ends_with("-allcores") {
            ceiling *= all_cores(machine.logical_cores) as f64;
        }
        match row.items_per_s {
            Some(v) => format!("{:.0}%", 100.0 * v / ceiling),
            None => row.status.name().to_owned(),
        }
    });
    vec![(
        format!(
            "{NAME} / gemm — share of the FMA peak ({peak:.0} GFLOPS f64 per core, twice that in f32; times the threads in the all-cores rows)"
        ),
        table,
    )]
}

fn extras() -> Vec<Extra> {
    vec![Extra {
        domain: NAME.to_owned(),
        name: PEAK.to_owned(),
        value: fma_peak(),
        unit: "GFLOPS".to_owned(),
        how: "12 independent fused multiply-add chains in the widest vectors (AVX-512 or AVX2), best of 3 runs; f32 doubles it".to_owned(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{verify_cases, Progress, Status};

    #[test]
    fn small_cells_verify_and_a_wrong_product_fails() {
        let mut registry = Registry::new();
        register(&mut registry);
        registry.retain_matching(&regex::Regex::new("/(f64|f32)-64/").unwrap());
        for row in verify_cases(registry.into_cases(), &mut Progress::hidden()) {
            assert_eq!(row.status, Status::Verified, "{}: {:?}", row.id, row.error);
        }
        let g = Gemm {
            m: 3,
            n: 3,
            k: 3,
            a: data::<f64>(9, 1),
            b: data::<f64>(9, 2),
        };
        let mut c = vec![0.0; 9];
        arsenal_gemm::<f64>(Rc::new(arsenal_linalg::NativeBlas))(&g, &mut c).unwrap();
        assert!(freivalds(&g, &c).is_ok());
        c[4] += 1e-3;
        assert!(freivalds(&g, &c).is_err());
    }
}
