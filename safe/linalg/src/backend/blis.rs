//! BLIS (feature `blis`): BLIS 1.0 built from source by the `blis-src` crate (static,
//! pthreads), called through its typed API (`bli_?gemm`, `bli_?gemv`), whose names no
//! other library exports (BLIS's CBLAS layer and OpenBLAS's share theirs).

use super::{c_int, run_gemm, run_gemv, Layout};
use crate::error::Result;
use crate::view::{MatMut, MatRef};
use crate::{Backend, Blas};
use std::ffi::{c_char, c_int as int, CStr};

// Make sure the library is linked (blis-src only emits the link flags).
use blis_src as _;

const NAME: &str = "blis";

/// BLIS's `dim_t` / `inc_t` (`gint_t`: 64 bits in this build).
type Dim = i64;
/// BLIS's `trans_t` / `conj_t` (C enums).
const NO_TRANSPOSE: int = 0;
const NO_CONJUGATE: int = 0;

extern "C" {
    fn bli_sgemm(
        transa: int,
        transb: int,
        m: Dim,
        n: Dim,
        k: Dim,
        alpha: *const f32,
        a: *const f32,
        rsa: Dim,
        csa: Dim,
        b: *const f32,
        rsb: Dim,
        csb: Dim,
        beta: *const f32,
        c: *mut f32,
        rsc: Dim,
        csc: Dim,
    );
    fn bli_dgemm(
        transa: int,
        transb: int,
        m: Dim,
        n: Dim,
        k: Dim,
        alpha: *const f64,
        a: *const f64,
        rsa: Dim,
        csa: Dim,
        b: *const f64,
        rsb: Dim,
        csb: Dim,
        beta: *const f64,
        c: *mut f64,
        rsc: Dim,
        csc: Dim,
    );
    fn bli_sgemv(
        transa: int,
        conjx: int,
        m: Dim,
        n: Dim,
        alpha: *const f32,
        a: *const f32,
        rsa: Dim,
        csa: Dim,
        x: *const f32,
        incx: Dim,
        beta: *const f32,
        y: *mut f32,
        incy: Dim,
    );
    fn bli_dgemv(
        transa: int,
        conjx: int,
        m: Dim,
        n: Dim,
        alpha: *const f64,
        a: *const f64,
        rsa: Dim,
        csa: Dim,
        x: *const f64,
        incx: Dim,
        beta: *const f64,
        y: *mut f64,
        incy: Dim,
    );
    fn bli_thread_set_num_threads(n: Dim);
    fn bli_thread_get_num_threads() -> Dim;
    fn bli_arch_query_id() -> int;
    fn bli_arch_string(id: int) -> *const c_char;
    fn bli_info_get_version_str() -> *const c_char;
}

/// The BLIS backend. Its thread count is process-wide ([`Blis::set_threads`]).
#[derive(Debug, Clone, Copy)]
pub struct Blis {
    _private: (),
}

impl Blis {
    /// The BLIS backend (statically linked: nothing to load).
    pub fn new() -> Result<Self> {
        Ok(Blis { _private: () })
    }

    /// Sets BLIS's thread count for the whole process (`bli_thread_set_num_threads`).
    pub fn set_threads(&self, threads: usize) -> Result<()> {
        let n: Dim = c_int(threads.max(1), NAME, "threads")?;
        // SAFETY: a plain setter; BLIS initialises itself on first use.
        unsafe { bli_thread_set_num_threads(n) };
        Ok(())
    }

    /// BLIS's current thread count.
    pub fn threads(&self) -> usize {
        // SAFETY: a plain getter.
        usize::try_from(unsafe { bli_thread_get_num_threads() }).map_or(1, |n| n.max(1))
    }

    /// The configuration BLIS picked for this CPU (`bli_arch_string(bli_arch_query_id())`),
    /// e.g. `"zen3"`, `"haswell"` or `"generic"` (a CPU the build has no kernels for).
    pub fn arch(&self) -> String {
        // SAFETY: the query returns a valid id of this build; the string is static.
        unsafe {
            let p = bli_arch_string(bli_arch_query_id());
            if p.is_null() {
                return String::new();
            }
            CStr::from_ptr(p).to_string_lossy().into_owned()
        }
    }

    /// BLIS's version string.
    pub fn version(&self) -> String {
        // SAFETY: a static NUL-terminated string.
        unsafe { CStr::from_ptr(bli_info_get_version_str()) }
            .to_string_lossy()
            .into_owned()
    }
}

/// A BLAS-form operand's strides for BLIS's typed API.
fn strides(layout: Layout, ld: usize) -> Result<(Dim, Dim)> {
    let ld: Dim = c_int(ld, NAME, "leading dimension")?;
    Ok(match layout {
        Layout::RowMajor => (ld, 1),
        Layout::ColMajor => (1, ld),
    })
}

macro_rules! blis_methods {
    ($gemm:ident, $gemv:ident, $t:ty, $fg:ident, $fv:ident) => {
        fn $gemm(
            &self,
            alpha: $t,
            a: MatRef<'_, $t>,
            b: MatRef<'_, $t>,
            beta: $t,
            mut c: MatMut<'_, $t>,
        ) -> Result<()> {
            run_gemm(&a, &b, &mut c, |g| {
                let dim = |v: usize, what: &str| c_int::<Dim>(v, NAME, what);
                let ((ad, al, lda), (bd, bl, ldb)) = (&g.a, &g.b);
                let (m, n, k) = (dim(g.m, "m")?, dim(g.n, "n")?, dim(g.k, "k")?);
                let ((rsa, csa), (rsb, csb)) = (strides(*al, *lda)?, strides(*bl, *ldb)?);
                let (rsc, csc) = strides(g.c_layout, g.ldc)?;
                // SAFETY: every operand has unit stride along one dimension and a leading
                // dimension covering the other (`blas_form`, or a packed copy), which BLIS
                // accepts without its aborting checks firing; the slices cover what the
                // shapes and strides reach (the views' bounds checks).
                unsafe {
                    $fg(
                        NO_TRANSPOSE,
                        NO_TRANSPOSE,
                        m,
                        n,
                        k,
                        &alpha,
                        ad.as_ptr(),
                        rsa,
                        csa,
                        bd.as_ptr(),
                        rsb,
                        csb,
                        &beta,
                        g.c.as_mut_ptr(),
                        rsc,
                        csc,
                    )
                };
                Ok(())
            })
        }

        fn $gemv(
            &self,
            alpha: $t,
            a: MatRef<'_, $t>,
            x: &[$t],
            beta: $t,
            y: &mut [$t],
        ) -> Result<()> {
            run_gemv(&a, x, beta, y, |m, n, (ad, al, lda), y| {
                let (rsa, csa) = strides(al, lda)?;
                let dim = |v: usize, what: &str| c_int::<Dim>(v, NAME, what);
                let (m, n) = (dim(m, "m")?, dim(n, "n")?);
                // SAFETY: as in gemm; `x` holds n and `y` m elements with unit stride.
                unsafe {
                    $fv(
                        NO_TRANSPOSE,
                        NO_CONJUGATE,
                        m,
                        n,
                        &alpha,
                        ad.as_ptr(),
                        rsa,
                        csa,
                        x.as_ptr(),
                        1,
                        &beta,
                        y.as_mut_ptr(),
                        1,
                    )
                };
                Ok(())
            })
        }
    };
}

impl Blas for Blis {
    fn backend(&self) -> Backend {
        Backend::Blis
    }
    blis_methods!(gemm_f32, gemv_f32, f32, bli_sgemm, bli_sgemv);
    blis_methods!(gemm_f64, gemv_f64, f64, bli_dgemm, bli_dgemv);
    fn kernel(&self) -> String {
        format!("BLIS {} {}", self.version(), self.arch())
    }
}
