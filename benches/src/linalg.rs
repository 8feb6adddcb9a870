//! Linear-algebra rows of the matrix: `linalg/<op>/<dataset>/<impl>`, one thread.
//!
//! | op / dataset | what one iteration does |
//! |---|---|
//! | `gemm/f64-<n>`, `gemm/f32-<n>` | `C = A·B` for square n×n row-major operands (n = 64, 256, 1024, 2048) |
//! | `gemm/f64-rank64`, `gemm/f32-rank64` | a rank-64 update, `C(2048×2048) = A(2048×64)·B(64×2048)` |
//! | `gemm/f64-2048-allcores`, `gemm/f32-2048-allcores` | n = 2048 on every core (at least 2 threads): OpenBLAS and BLIS set to that many threads for the call, `gemm` with `Parallelism::Rayon`; the native GEMM and matrixmultiply (built without its `threading` feature) are `unsupported` |
//!
//! `items` is the number of floating-point operations (2·m·n·k), so the report's items/s divided by 10⁹ is GFLOPS; `bytes` is the size of A.
//!
//! | impl | what runs |
//! |---|---|
//! | `arsenal:openblas`, `arsenal:blis`, `arsenal:native` | [`arsenal_linalg`]'s backends through `arsenal_linalg::gemm` (views checked per call) |
//! | `raw:openblas` | `cblas_?gemm` from Debian's libopenblas (looked up with `dlsym`) |
//! | `raw:blis` | `bli_?gemm` of the BLIS that `blis-src` builds |
//! | `peer:matrixmultiply` | `matrixmultiply::?gemm` (its default features, AVX-512 included; one thread) |
//! | `peer:gemm` | `gemm::gemm` with `Parallelism::None` (`Rayon` in the all-cores rows), features `x86-v4` (its AVX-512 kernels) and `rayon` |
//!
//! Threads: OpenBLAS and BLIS are set to one thread before the rows run (the libraries'
//! own calls, process-wide) and back to one after each all-cores call; the peers are
//! asked for one thread except in the all-cores rows.
//!
//! **Verification** (outside the timing, [`Case::verify`]): Freivalds' check — the
//! cell's `C` times a random vector equals `A·(B·x)` computed in `f64`, within a
//! tolerance scaling with k·ε·|A||B||x| — which no backend shares, and costs O(n²).
//!
//! The domain measures one machine number first ([`DOMAIN`]'s `extras`): the single-core
//! FMA peak (independent FMA chains in the widest vectors the CPU has), to read each
//! cell as a share of peak.

use crate::domain::Domain;
use crate::harness::{Case, Registry};
use crate::machine::Extra;
use crate::report::Unit;
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
    unit: |_op| Some(Unit::ItemsPerSecond),
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
}

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
        // SAFETY: OpenBLAS's cblas_sgemm / cblas_dgemm, LP64 (`int` dimensions).
        unsafe {
            Ok(RawOpenBlas {
                sgemm: std::mem::transmute::<*mut c_void, CblasGemm<f32>>(s),
                dgemm: std::mem::transmute::<*mut c_void, CblasGemm<f64>>(d),
            })
        }
    })
    .as_ref()
    .map_err(Clone::clone)
}

extern "C" {
    fn bli_sgemm(
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
    );
    fn bli_dgemm(
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
    );
}

/// The element-typed raw and peer calls.
trait Elem: Scalar + matrixmultiply_like::Mm {
    fn raw_openblas(g: &Gemm<Self>, c: &mut [Self]) -> Result<(), String>;
    fn raw_blis(g: &Gemm<Self>, c: &mut [Self]);
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

const ROW_MAJOR: c_int = 101;
const NO_TRANS: c_int = 111;

macro_rules! elem {
    ($t:ty, $ob:ident, $bli:ident) => {
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
                // SAFETY: row-major operands of the declared sizes, unit column stride.
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
                    )
                };
            }
        }
    };
}
elem!(f32, sgemm, bli_sgemm);
elem!(f64, dgemm, bli_dgemm);

/// Runs `f` with OpenBLAS and BLIS set to `threads` threads, then back to one (the
/// libraries' process-wide settings; the one-thread rows rely on one).
fn with_threads<T: Scalar>(threads: usize, f: GemmFn<T>) -> GemmFn<T> {
    if threads == 1 {
        return f;
    }
    Rc::new(move |g: &Gemm<T>, c: &mut [T]| {
        set_c_threads(threads);
        let r = f(g, c);
        set_c_threads(1);
        r
    })
}

fn set_c_threads(threads: usize) {
    if let Ok(ob) = arsenal_linalg::OpenBlas::new() {
        let _ = ob.set_threads(threads);
    }
    let _ = arsenal_linalg::Blis::new().and_then(|b| b.set_threads(threads));
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
        let f = if threads > 1 && imp == "arsenal:native" {
            single("the native GEMM runs on the calling thread (no threading yet)")
        } else {
            b.clone()
                .map(|b| with_threads(threads, arsenal_gemm::<T>(b)))
        };
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
}

/// Registers the gemm rows.
pub fn register(reg: &mut Registry) {
    let blas: Backends = arsenal_linalg::Backend::ALL
        .iter()
        .map(|&b| {
            let made = b.blas().map(Rc::from).map_err(|e| e.to_string());
            (format!("arsenal:{b}"), made)
        })
        .collect();
    // One thread in every library (process-wide settings).
    if let Ok(ob) = arsenal_linalg::OpenBlas::new() {
        let _ = ob.set_threads(1);
    }
    let _ = arsenal_linalg::Blis::new().and_then(|b| b.set_threads(1));
    for n in [64, 256, 1024, 2048] {
        register_gemm::<f64>(reg, &format!("f64-{n}"), n, n, n, &blas, 1);
        register_gemm::<f32>(reg, &format!("f32-{n}"), n, n, n, &blas, 1);
    }
    register_gemm::<f64>(reg, "f64-rank64", 2048, 2048, 64, &blas, 1);
    register_gemm::<f32>(reg, "f32-rank64", 2048, 2048, 64, &blas, 1);
    // All cores: the libraries' own threading (the native GEMM has none yet).
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    register_gemm::<f64>(
        reg,
        "f64-2048-allcores",
        2048,
        2048,
        2048,
        &blas,
        cores.max(2),
    );
    register_gemm::<f32>(
        reg,
        "f32-2048-allcores",
        2048,
        2048,
        2048,
        &blas,
        cores.max(2),
    );
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

fn extras() -> Vec<Extra> {
    vec![Extra {
        domain: NAME.to_owned(),
        name: "FMA peak (f64, one core)".to_owned(),
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
