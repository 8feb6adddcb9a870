//! OpenBLAS (feature `openblas`): Debian's `libopenblas`, linked by
//! `arsenal-openblas-sys`. The functions are looked up in OpenBLAS's own shared object with
//! `dlsym`, not by name at link time: BLIS (feature `blis`) exports the same CBLAS
//! names, and a link-time lookup would silently bind whichever library the linker saw
//! first.

use super::{c_int, run_gemm, run_gemv, Layout};
use crate::error::{Error, ErrorKind, Result};
use crate::view::{MatMut, MatRef};
use crate::{Backend, Blas};
use std::ffi::{c_char, c_int as int, c_void, CStr};
use std::sync::OnceLock;

// Make sure the library is linked (the sys crate only emits the link flags).
use arsenal_openblas_sys as _;

const NAME: &str = "openblas";

// CBLAS enum values (cblas.h).
const ROW_MAJOR: int = 101;
const COL_MAJOR: int = 102;
const NO_TRANS: int = 111;
const TRANS: int = 112;

type Gemm<T> = unsafe extern "C" fn(
    order: int,
    trans_a: int,
    trans_b: int,
    m: int,
    n: int,
    k: int,
    alpha: T,
    a: *const T,
    lda: int,
    b: *const T,
    ldb: int,
    beta: T,
    c: *mut T,
    ldc: int,
);
type Gemv<T> = unsafe extern "C" fn(
    order: int,
    trans: int,
    m: int,
    n: int,
    alpha: T,
    a: *const T,
    lda: int,
    x: *const T,
    incx: int,
    beta: T,
    y: *mut T,
    incy: int,
);

/// OpenBLAS's entry points, from its own shared object.
struct Api {
    sgemm: Gemm<f32>,
    dgemm: Gemm<f64>,
    sgemv: Gemv<f32>,
    dgemv: Gemv<f64>,
    set_num_threads: unsafe extern "C" fn(int),
    get_num_threads: unsafe extern "C" fn() -> int,
    corename: unsafe extern "C" fn() -> *const c_char,
}

/// The shared object's names, most specific first (Debian's alternatives link).
const SONAMES: [&CStr; 2] = [arsenal_openblas_sys::SONAME, c"libopenblas.so"];

fn api() -> Result<&'static Api> {
    static API: OnceLock<std::result::Result<Api, String>> = OnceLock::new();
    API.get_or_init(load)
        .as_ref()
        .map_err(|e| Error::new(ErrorKind::Init, NAME, e.clone()))
}

fn load() -> std::result::Result<Api, String> {
    let mut handle = std::ptr::null_mut();
    for soname in SONAMES {
        // SAFETY: a NUL-terminated name; RTLD_NOW resolves everything up front. The
        // handle is never closed (the functions stay valid for the process).
        handle = unsafe { libc::dlopen(soname.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        if !handle.is_null() {
            break;
        }
    }
    if handle.is_null() {
        return Err(
            "cannot load libopenblas.so.0 (install libopenblas-dev: scripts/bootstrap)".into(),
        );
    }
    let sym = |name: &CStr| -> std::result::Result<*mut c_void, String> {
        // SAFETY: a live handle and a NUL-terminated name.
        let p = unsafe { libc::dlsym(handle, name.as_ptr()) };
        if p.is_null() {
            Err(format!("libopenblas has no {}", name.to_string_lossy()))
        } else {
            Ok(p)
        }
    };
    // SAFETY: each symbol is the OpenBLAS function of that name, whose C signature the
    // type spells out (cblas.h, LP64 build: `blasint` is `int`).
    unsafe {
        Ok(Api {
            sgemm: std::mem::transmute::<*mut c_void, Gemm<f32>>(sym(c"cblas_sgemm")?),
            dgemm: std::mem::transmute::<*mut c_void, Gemm<f64>>(sym(c"cblas_dgemm")?),
            sgemv: std::mem::transmute::<*mut c_void, Gemv<f32>>(sym(c"cblas_sgemv")?),
            dgemv: std::mem::transmute::<*mut c_void, Gemv<f64>>(sym(c"cblas_dgemv")?),
            set_num_threads: std::mem::transmute::<*mut c_void, unsafe extern "C" fn(int)>(sym(
                c"openblas_set_num_threads",
            )?),
            get_num_threads: std::mem::transmute::<*mut c_void, unsafe extern "C" fn() -> int>(
                sym(c"openblas_get_num_threads")?,
            ),
            corename: std::mem::transmute::<*mut c_void, unsafe extern "C" fn() -> *const c_char>(
                sym(c"openblas_get_corename")?,
            ),
        })
    }
}

/// The OpenBLAS backend. Its thread count is process-wide ([`OpenBlas::set_threads`]).
#[derive(Debug, Clone, Copy)]
pub struct OpenBlas {
    _private: (),
}

impl OpenBlas {
    /// Loads OpenBLAS (once per process); [`ErrorKind::Init`] when it is not installed.
    pub fn new() -> Result<Self> {
        api()?;
        Ok(OpenBlas { _private: () })
    }

    /// Sets OpenBLAS's thread count for the whole process (`openblas_set_num_threads`).
    pub fn set_threads(&self, threads: usize) -> Result<()> {
        let n: int = c_int(threads.max(1), NAME, "threads")?;
        // SAFETY: a loaded OpenBLAS function taking an int.
        unsafe { (api()?.set_num_threads)(n) };
        Ok(())
    }

    /// OpenBLAS's current thread count.
    pub fn threads(&self) -> usize {
        // SAFETY: a loaded OpenBLAS function without arguments.
        api().map_or(1, |api| unsafe { (api.get_num_threads)() }.max(1) as usize)
    }

    /// The core OpenBLAS picked for this CPU (`openblas_get_corename`), e.g. `"Haswell"`
    /// (the `OPENBLAS_CORETYPE` environment variable overrides it).
    pub fn core_name(&self) -> String {
        let Ok(api) = api() else {
            return String::new();
        };
        // SAFETY: OpenBLAS returns a static NUL-terminated string (or null).
        let p = unsafe { (api.corename)() };
        if p.is_null() {
            return String::new();
        }
        // SAFETY: non-null, NUL-terminated, static.
        unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
    }
}

/// CBLAS's transpose flag for an operand of `layout` in a call of `order`.
fn trans(order: Layout, layout: Layout) -> int {
    if order == layout {
        NO_TRANS
    } else {
        TRANS
    }
}

fn order_code(order: Layout) -> int {
    match order {
        Layout::RowMajor => ROW_MAJOR,
        Layout::ColMajor => COL_MAJOR,
    }
}

macro_rules! openblas_methods {
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
                let api = api()?;
                let dim = |v: usize, what: &str| c_int::<int>(v, NAME, what);
                let ((ad, al, lda), (bd, bl, ldb)) = (&g.a, &g.b);
                let (order, ldc) = (g.c_layout, dim(g.ldc, "ldc")?);
                let (m, n, k) = (dim(g.m, "m")?, dim(g.n, "n")?, dim(g.k, "k")?);
                let (lda, ldb) = (dim(*lda, "lda")?, dim(*ldb, "ldb")?);
                // SAFETY: every operand is in BLAS form with its leading dimension (checked
                // by `blas_form`, or a packed copy), its slice covers the elements the
                // shape and leading dimension reach (the view's bounds check), and the
                // dimensions fit `int`.
                unsafe {
                    (api.$fg)(
                        order_code(order),
                        trans(order, *al),
                        trans(order, *bl),
                        m,
                        n,
                        k,
                        alpha,
                        ad.as_ptr(),
                        lda,
                        bd.as_ptr(),
                        ldb,
                        beta,
                        g.c.as_mut_ptr(),
                        ldc,
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
                let api = api()?;
                let dim = |v: usize, what: &str| c_int::<int>(v, NAME, what);
                let (m, n, lda) = (dim(m, "m")?, dim(n, "n")?, dim(lda, "lda")?);
                // SAFETY: `a` in BLAS form (as in gemm); `x` holds n and `y` m elements,
                // unit stride.
                unsafe {
                    (api.$fv)(
                        order_code(al),
                        NO_TRANS,
                        m,
                        n,
                        alpha,
                        ad.as_ptr(),
                        lda,
                        x.as_ptr(),
                        1,
                        beta,
                        y.as_mut_ptr(),
                        1,
                    )
                };
                Ok(())
            })
        }
    };
}

impl Blas for OpenBlas {
    fn backend(&self) -> Backend {
        Backend::OpenBlas
    }
    openblas_methods!(gemm_f32, gemv_f32, f32, sgemm, sgemv);
    openblas_methods!(gemm_f64, gemv_f64, f64, dgemm, dgemv);
    fn set_threads(&self, threads: usize) -> Result<()> {
        OpenBlas::set_threads(self, threads)
    }
    fn threads(&self) -> usize {
        OpenBlas::threads(self)
    }
    fn kernel(&self) -> String {
        format!("OpenBLAS {}", self.core_name())
    }
}
