//! BLIS (feature `blis`): BLIS 1.0 built from source by the `blis-src` crate (static,
//! pthreads), called through its typed expert API (`bli_?gemm_ex`, `bli_?gemv_ex`), whose
//! names no other library exports (BLIS's CBLAS layer and OpenBLAS's share theirs).
//!
//! **The configuration is chosen explicitly.** `blis-src` builds BLIS's `x86_64`
//! configuration family (skx, haswell, zen, zen2, zen3, sandybridge, … and generic) with
//! run-time selection, but BLIS's own selection reads the CPU's brand string and model
//! number: a virtual machine's "Intel(R) Xeon(R) Processor" with AVX-512 gets `haswell`,
//! an AMD Zen 5 gets `generic`. So the backend picks the configuration from the CPU's
//! features instead (AVX-512 F/DQ/BW/VL: `skx`; AVX2 + FMA: `zen3` on AMD, `haswell`
//! elsewhere; AVX: `sandybridge`), or from `ARSENAL_BLIS_ARCH` (checked against the CPU),
//! and passes that configuration's context to every call. [`Blis::arch`] names it.

use super::{c_int, run_gemm, run_gemv, Layout};
use crate::error::{Error, ErrorKind, Result};
use crate::view::{MatMut, MatRef};
use crate::{Backend, Blas};
use std::ffi::{c_char, c_int as int, c_void, CStr};
use std::sync::OnceLock;

// Make sure the library is linked (blis-src only emits the link flags).
use blis_src as _;

const NAME: &str = "blis";

/// BLIS's `dim_t` / `inc_t` (`gint_t`: 64 bits in this build).
type Dim = i64;
/// BLIS's `trans_t` / `conj_t` (C enums).
const NO_TRANSPOSE: int = 0;
const NO_CONJUGATE: int = 0;

/// BLIS's opaque `cntx_t` (a configuration's block sizes and kernels).
#[repr(C)]
struct Cntx {
    _opaque: [u8; 0],
}

extern "C" {
    fn bli_init();
    fn bli_gks_lookup_id(id: int) -> *const *const Cntx;
    fn bli_gks_lookup_nat_cntx(id: int) -> *const Cntx;
    fn bli_sgemm_ex(
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
        cntx: *const Cntx,
        rntm: *const c_void,
    );
    fn bli_dgemm_ex(
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
        cntx: *const Cntx,
        rntm: *const c_void,
    );
    fn bli_sgemv_ex(
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
        cntx: *const Cntx,
        rntm: *const c_void,
    );
    fn bli_dgemv_ex(
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
        cntx: *const Cntx,
        rntm: *const c_void,
    );
    fn bli_thread_set_num_threads(n: Dim);
    fn bli_thread_get_num_threads() -> Dim;
    fn bli_arch_query_id() -> int;
    fn bli_arch_string(id: int) -> *const c_char;
    fn bli_info_get_version_str() -> *const c_char;
}

/// The configuration every call runs with.
struct Config {
    /// The configuration's native context (`bli_gks_lookup_nat_cntx`), or null for
    /// BLIS's own choice (`bli_gks_query_cntx`, what `cntx = NULL` means).
    cntx: *const Cntx,
    /// Its name, and how it was chosen.
    label: String,
}

// SAFETY: the context is BLIS's, initialised once by `bli_init` and only read
// afterwards (BLIS shares it between its own threads the same way).
unsafe impl Send for Config {}
// SAFETY: as above: never written after initialisation.
unsafe impl Sync for Config {}

/// The x86 configurations of `blis-src`'s `x86_64` family the backend may choose, each
/// with the CPU features its kernels use.
#[cfg(target_arch = "x86_64")]
fn supported(name: &str) -> Option<bool> {
    let cpu = arsenal_core::cpu::features();
    Some(match name {
        "skx" => cpu.avx512f && cpu.avx512dq && cpu.avx512bw && cpu.avx512vl,
        "haswell" | "zen" | "zen2" | "zen3" => cpu.avx2 && cpu.fma,
        "sandybridge" => cpu.avx,
        "penryn" => cpu.ssse3,
        "generic" => true,
        _ => return None,
    })
}

#[cfg(not(target_arch = "x86_64"))]
fn supported(name: &str) -> Option<bool> {
    (name == "generic").then_some(true)
}

/// The configuration the CPU's features call for (`None`: leave it to BLIS).
fn wanted() -> Option<&'static str> {
    #[cfg(target_arch = "x86_64")]
    {
        let cpu = arsenal_core::cpu::features();
        // SAFETY: CPUID leaf 0 (the vendor string) exists on every x86-64 CPU. (Safe to
        // call in newer Rust; `unsafe` for the oldest supported toolchain.)
        #[allow(unused_unsafe)]
        let leaf0 = unsafe { std::arch::x86_64::__cpuid(0) };
        let amd = leaf0.ebx == u32::from_le_bytes(*b"Auth");
        if supported("skx") == Some(true) {
            return Some("skx");
        }
        if cpu.avx2 && cpu.fma {
            return Some(if amd { "zen3" } else { "haswell" });
        }
        if cpu.avx {
            return Some("sandybridge");
        }
    }
    None
}

/// The id of configuration `name` in this build, by name (`bli_arch_string` of every id
/// up to `generic`, which BLIS numbers last).
fn arch_id(name: &str) -> Option<int> {
    for id in 0..64 {
        // SAFETY: ids up to and including `generic`'s are valid; the loop stops there.
        let p = unsafe { bli_arch_string(id) };
        if p.is_null() {
            return None;
        }
        // SAFETY: BLIS's static NUL-terminated names.
        let s = unsafe { CStr::from_ptr(p) }.to_str().unwrap_or("");
        if s == name {
            return Some(id);
        }
        if s == "generic" {
            return None;
        }
    }
    None
}

/// BLIS's own choice, by name.
fn detected() -> String {
    // SAFETY: the query returns a valid id of this build; the string is static.
    unsafe {
        let p = bli_arch_string(bli_arch_query_id());
        if p.is_null() {
            return String::new();
        }
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

fn config() -> &'static Result<Config> {
    static CONFIG: OnceLock<Result<Config>> = OnceLock::new();
    CONFIG.get_or_init(|| {
        // SAFETY: BLIS's initialisation (idempotent, thread-safe): registers and
        // initialises every configuration of the build.
        unsafe { bli_init() };
        let (name, how) = match std::env::var("ARSENAL_BLIS_ARCH") {
            Ok(name) => match supported(&name) {
                Some(true) => (name, "ARSENAL_BLIS_ARCH"),
                Some(false) => {
                    return Err(Error::new(
                        ErrorKind::Unsupported,
                        NAME,
                        format!("ARSENAL_BLIS_ARCH={name}: this CPU lacks the instructions of BLIS's {name} kernels"),
                    ))
                }
                None => {
                    return Err(Error::new(
                        ErrorKind::Unsupported,
                        NAME,
                        format!("ARSENAL_BLIS_ARCH={name}: not a configuration this backend can choose (skx, haswell, zen, zen2, zen3, sandybridge, penryn, generic)"),
                    ))
                }
            },
            Err(_) => match wanted() {
                Some(name) => (name.to_owned(), "chosen from the CPU's features"),
                None => {
                    return Ok(Config {
                        cntx: std::ptr::null(),
                        label: format!("{} (BLIS's own detection)", detected()),
                    })
                }
            },
        };
        // SAFETY: `id` is a valid id of this build (found by name); a configuration
        // the build did not register has a null entry, checked before its context is
        // looked up (which would dereference it).
        let cntx = arch_id(&name).and_then(|id| unsafe {
            if bli_gks_lookup_id(id).is_null() {
                None
            } else {
                Some(bli_gks_lookup_nat_cntx(id)).filter(|c| !c.is_null())
            }
        });
        Ok(match cntx {
            Some(cntx) => Config {
                cntx,
                label: format!("{name} ({how})"),
            },
            None => Config {
                cntx: std::ptr::null(),
                label: format!("{} (BLIS's own detection: {name} is not in this build)", detected()),
            },
        })
    })
}

/// The BLIS backend. Its thread count is process-wide ([`Blis::set_threads`]).
#[derive(Debug, Clone, Copy)]
pub struct Blis {
    _private: (),
}

impl Blis {
    /// The BLIS backend (statically linked: nothing to load). Chooses BLIS's
    /// configuration on first use, explicitly: from the CPU's features (AVX-512
    /// F/DQ/BW/VL: `skx`; AVX2 + FMA: `zen3` on AMD, `haswell` elsewhere; AVX:
    /// `sandybridge`) or from the `ARSENAL_BLIS_ARCH` environment variable, instead of
    /// BLIS's brand-string detection (which picks `haswell` for an AVX-512 Xeon in a VM
    /// and `generic` on AMD Zen 5). [`ErrorKind::Unsupported`] when `ARSENAL_BLIS_ARCH`
    /// names a configuration this backend cannot choose or this CPU cannot run.
    pub fn new() -> Result<Self> {
        config().as_ref().map_err(Clone::clone)?;
        Ok(Blis { _private: () })
    }

    /// The configuration's context (null: BLIS's own choice).
    fn cntx(&self) -> *const Cntx {
        config().as_ref().map_or(std::ptr::null(), |c| c.cntx)
    }

    /// The BLIS `const cntx_t*` of the configuration this backend runs ([`Blis::arch`];
    /// null when BLIS's own detection chose), for calling BLIS's expert API
    /// (`bli_?gemm_ex(…, cntx, NULL)`) directly with the same configuration. BLIS owns it
    /// for the life of the process.
    pub fn context_ptr(&self) -> *const c_void {
        self.cntx().cast()
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

    /// The configuration the backend runs and how it was chosen, e.g. `"skx (chosen
    /// from the CPU's features)"`, `"haswell (ARSENAL_BLIS_ARCH)"` or `"generic (BLIS's
    /// own detection)"`.
    pub fn arch(&self) -> String {
        config()
            .as_ref()
            .map_or_else(|e| e.to_string(), |c| c.label.clone())
    }

    /// The configuration BLIS's own detection picks for this CPU
    /// (`bli_arch_string(bli_arch_query_id())`), which the backend does not use when it
    /// chose one explicitly.
    pub fn detected_arch(&self) -> String {
        detected()
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
                // shapes and strides reach (the views' bounds checks); the context is a
                // registered configuration this CPU runs (or null: BLIS's own), no
                // runtime object (null: BLIS's global thread settings).
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
                        self.cntx(),
                        std::ptr::null(),
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
                        self.cntx(),
                        std::ptr::null(),
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
    blis_methods!(gemm_f32, gemv_f32, f32, bli_sgemm_ex, bli_sgemv_ex);
    blis_methods!(gemm_f64, gemv_f64, f64, bli_dgemm_ex, bli_dgemv_ex);
    fn set_threads(&self, threads: usize) -> Result<()> {
        Blis::set_threads(self, threads)
    }
    fn threads(&self) -> usize {
        Blis::threads(self)
    }
    fn kernel(&self) -> String {
        format!("BLIS {} {}", self.version(), self.arch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_is_chosen_and_named() {
        let blis = Blis::new().expect("blis");
        let arch = blis.arch();
        assert!(!arch.is_empty(), "{arch}");
        assert!(!blis.detected_arch().is_empty());
        // Names this backend never chooses are refused, the portable one always runs.
        assert_eq!(supported("cortexa57"), None);
        assert_eq!(supported("generic"), Some(true));
        assert_eq!(arch_id("generic").map(|id| id >= 0), Some(true));
        assert_eq!(arch_id("no-such-configuration"), None);
        if std::env::var_os("ARSENAL_BLIS_ARCH").is_none() {
            if let Some(want) = wanted() {
                // Either the configuration asked for runs, or the label says why not.
                assert!(
                    arch.starts_with(want) || arch.contains("not in this build"),
                    "{arch}"
                );
            }
        }
    }
}
