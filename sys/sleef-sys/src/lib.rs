//! Raw FFI to [SLEEF](https://sleef.org) 3.5 (Debian's `libsleef-dev`): vectorised exp,
//! log, sin, cos, tanh and pow over slices, through our own C shim
//! (`shim/arsenal_sleef.c`); no logic.
//!
//! SLEEF's vector functions take and return SIMD vectors (`__m512d`, `__m256`, …) by value;
//! passing those through `extern "C"` from Rust is an ABI hazard, so the shim wraps them in
//! slice loops and only pointers and lengths cross the boundary. The shim is compiled once
//! per level (on x86-64: AVX-512F calling `Sleef_*d8_*avx512f`/`Sleef_*f16_*avx512f`,
//! AVX2+FMA calling `Sleef_*d4_*avx2`/`Sleef_*f8_*avx2`, and scalar calling SLEEF's scalar
//! `Sleef_exp_u10`-style functions; elsewhere scalar only). Each function here takes the
//! level first ([`LEVEL_SCALAR`], [`LEVEL_AVX2`], [`LEVEL_AVX512`]) and returns 0, or -1
//! for an unknown level.
//!
//! Names: `arsenal_sleef_<fn><d|f>_<u10|u35>`, `d` for `f64`, `f` for `f32`, `u10` the
//! 1.0-ULP and `u35` the 3.5-ULP variant. SLEEF 3.5 has `exp` and `pow` only as `u10`.
//!
//! # Safety contract (every function)
//!
//! - `x` (and `y`) are readable for `n` elements and `out` writable for `n` elements; `out`
//!   may alias `x` or `y` exactly (in place) but not partially overlap them.
//! - `level` must be one this CPU runs: [`LEVEL_AVX2`] needs AVX2 and FMA,
//!   [`LEVEL_AVX512`] AVX-512F; a level the CPU lacks executes illegal instructions.
//! - The tail (fewer than one vector) is computed in a padded vector, so every element
//!   goes through the same SLEEF function. Floating-point exceptions are not raised as
//!   signals (the default environment); no function reads or writes `errno`.
#![no_std]

/// SLEEF's scalar functions (every CPU).
pub const LEVEL_SCALAR: i32 = 0;
/// SLEEF's AVX2 functions (needs AVX2 and FMA; x86-64 only).
pub const LEVEL_AVX2: i32 = 2;
/// SLEEF's AVX-512F functions (needs AVX-512F; x86-64 only).
pub const LEVEL_AVX512: i32 = 3;

macro_rules! unary {
    ($($name:ident: $t:ty),+ $(,)?) => {
        extern "C" {
            $(
                #[doc = concat!("`out[i] = ", stringify!($name), "(x[i])` for `i < n` at `level`; 0, or -1 for an unknown level.")]
                pub fn $name(level: i32, x: *const $t, out: *mut $t, n: usize) -> i32;
            )+
        }
    };
}

unary! {
    arsenal_sleef_expd_u10: f64,
    arsenal_sleef_expf_u10: f32,
    arsenal_sleef_logd_u10: f64,
    arsenal_sleef_logf_u10: f32,
    arsenal_sleef_logd_u35: f64,
    arsenal_sleef_logf_u35: f32,
    arsenal_sleef_sind_u10: f64,
    arsenal_sleef_sinf_u10: f32,
    arsenal_sleef_sind_u35: f64,
    arsenal_sleef_sinf_u35: f32,
    arsenal_sleef_cosd_u10: f64,
    arsenal_sleef_cosf_u10: f32,
    arsenal_sleef_cosd_u35: f64,
    arsenal_sleef_cosf_u35: f32,
    arsenal_sleef_tanhd_u10: f64,
    arsenal_sleef_tanhf_u10: f32,
    arsenal_sleef_tanhd_u35: f64,
    arsenal_sleef_tanhf_u35: f32,
}

extern "C" {
    /// `out[i] = pow(x[i], y[i])` for `i < n` at `level` (1.0 ULP); 0, or -1 for an
    /// unknown level.
    pub fn arsenal_sleef_powd_u10(
        level: i32,
        x: *const f64,
        y: *const f64,
        out: *mut f64,
        n: usize,
    ) -> i32;
    /// `out[i] = pow(x[i], y[i])` for `i < n` at `level` (1.0 ULP, `f32`); 0, or -1 for an
    /// unknown level.
    pub fn arsenal_sleef_powf_u10(
        level: i32,
        x: *const f32,
        y: *const f32,
        out: *mut f32,
        n: usize,
    ) -> i32;
    /// The SLEEF version the shim was compiled against, `major * 10000 + minor * 100 +
    /// patch` (30501 for 3.5.1).
    pub fn arsenal_sleef_version() -> i32;
}
