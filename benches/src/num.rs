//! Numerics rows of the matrix: elementary functions over slices, their accuracy, division
//! by invariant integers, compensated sums and reciprocal square roots.
//!
//! | op | datasets | one iteration | items | verified |
//! |---|---|---|---|---|
//! | `<fn>-<f32\|f64>` (fn: exp, log, sin, cos, tanh, pow) | `4096`, `1M` (2²⁰) elements: x uniform in [-10, 10] (log: in (0, 10]; pow: x in (0, 10], y in [-10, 10]) | the function over the slice into a reused buffer | elements | max ULP against std's `f64` (for `f32`: on the `f32` input) ≤ the backend's stated bound (+ std's own 1 ULP, tanh 2.5, for `f64`; `peer:libm`: 3 ULP, a check rather than a claim) |

//! | `div-u32`, `div-u64` | `d7`, `d1000`, `d2^31+1`, `dbig` (u64: 0xdeadbeef12345679) | 65 536 random dividends divided by the dataset's divisor into a reused buffer | dividends | equal to `n / d` |
//! | `sum`, `dot` | `4096`, `1M` random f64 multiples of 2⁻³⁰ with cancellation | one sum / dot product | elements | within the function's stated bound of the exact value (i128 fixed point) |
//! | `rsqrt` | `4096` positive normal f32 | 1/√x over the slice | elements | relative error ≤ the stated bound |
//!
//! The extra table "accuracy bounds" lists, beside the ns/element rows, the maximum ULP
//! error each function cell was verified against on its inputs; the measured maxima over
//! every `f32` and 10⁷ random `f64` against MPFR come from `scripts/num-accuracy` (its
//! table is in docs/num.md).
//!
//! Impls: `arsenal:sleef-u10`, `arsenal:sleef-u35` ([`arsenal_num::Sleef`], AVX-512 on
//! the reference machine), `raw:sleef` (the sys crate's u10 slice loops called directly
//! at the same level), `arsenal:native` ([`arsenal_num::NativeMath`]; exp and log only,
//! other functions are `unsupported` cells), `peer:std` (`f64::exp`, … in a loop),
//! `peer:libm` (the `libm` crate). Division: `arsenal:libdivide`,
//! `arsenal:libdivide-branchfree`, `raw:libdivide` (the shim's slice loop), `arsenal:native`
//! ([`arsenal_num::div::Divider`]), `peer:strength_reduce`, `peer:hardware` (`n / d` with
//! `d` hidden from the compiler by `black_box`). Sums: `arsenal:naive`, `arsenal:pairwise`,
//! `arsenal:kahan`, `arsenal:neumaier` (`dot`: `arsenal:dot`, `arsenal:dot2`), peer
//! `peer:std` (`iter().sum()`, `zip().map().sum()`). rsqrt: `arsenal:fast-inv-sqrt`
//! (0x5f3759df), `arsenal:hardware-rsqrt` (`rsqrtps`, four lanes), both through the
//! crate's slice functions, and `peer:std` (`1.0 / x.sqrt()` in a plain loop).
//!
//! **Memory rows** `num/memory/exp-f64-1M/<impl>`: peak resident growth while computing
//! exp over 2²⁰ f64 into an existing buffer, per element (no backend keeps state).

use std::cell::RefCell;
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use arsenal_libdivide_sys as ld;
use arsenal_num::div::{Divide, Divider, Libdivide, LibdivideBranchfree};
use arsenal_num::ulp::{reference, reference_bound, ulp_error_f32, ulp_error_f64, unit};
use arsenal_num::{Float, Function, NativeMath, Sleef, SleefLevel, VectorMath};
use arsenal_sleef_sys as sleef;

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::peak_resident;
use crate::harness::{rng, BenchResult, Case, Registry};
use crate::machine::Machine;
use crate::report::{MemoryRow, Table, Unit};
use crate::strategy::pick;

const NAME: &str = "num";

/// The numerics domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Numerics",
    register,
    unit: |_op| Some(Unit::NanosPerItem),
    memory: Memory::After(memory_rows),
    tables: ulp_tables,
    select: Some(Selection {
        krate: "arsenal-num",
        pick: pick::<arsenal_num::Backend>,
    }),
    ..Domain::EMPTY
};

type RawF64 = unsafe extern "C" fn(i32, *const f64, *mut f64, usize) -> i32;
type RawF32 = unsafe extern "C" fn(i32, *const f32, *mut f32, usize) -> i32;

/// Slack documented in docs/num.md: SLEEF's tanhf u10 reaches 1.00000002 ULP.
fn slack(imp: &str, f: Function) -> f64 {
    if imp.contains("sleef") && f == Function::Tanh {
        1e-6
    } else {
        0.0
    }
}

/// A float type of the rows.
trait Elem: Copy + Default + 'static {
    const TY: Float;
    const NAME: &'static str;
    fn from_f64(v: f64) -> Self;
    fn wide(self) -> f64;
    fn err(y: Self, r: f64) -> f64;
    fn bits(self) -> u64;
    /// std's one-input function (NaN for pow, which goes through `std_pow`).
    fn std(f: Function, x: Self) -> Self;
    fn std_pow(x: Self, y: Self) -> Self;
    /// The `libm` crate's one-input function (NaN for pow: `libm_pow`).
    fn libm(f: Function, x: Self) -> Self;
    fn libm_pow(x: Self, y: Self) -> Self;
    fn unary(
        m: &dyn VectorMath,
        f: Function,
        x: &[Self],
        out: &mut [Self],
    ) -> arsenal_num::Result<()>;
    fn pow(m: &dyn VectorMath, x: &[Self], y: &[Self], out: &mut [Self])
        -> arsenal_num::Result<()>;
    /// The sys crate's u10 slice function for a one-input `f` (`None` for pow).
    fn raw_fn(
        f: Function,
    ) -> Option<unsafe extern "C" fn(i32, *const Self, *mut Self, usize) -> i32>;
    fn raw_pow(x: &[Self], y: &[Self], out: &mut [Self]);

    /// The reference of a result: std's `f64` function on the (widened) inputs.
    fn reference(f: Function, x: Self, y: Self) -> f64 {
        reference(f, x.wide(), y.wide())
    }

    /// The tolerance of a check against the std f64 reference: for `f64` results the
    /// reference's own error is added.
    fn tolerance(bound: f64, f: Function) -> f64 {
        if Self::TY == Float::F64 {
            bound + reference_bound(f)
        } else {
            bound
        }
    }

    fn raw(f: Function, x: &[Self], out: &mut [Self]) {
        let n = x.len().min(out.len());
        if let Some(g) = Self::raw_fn(f) {
            // SAFETY: n elements readable from x and writable to out (distinct slices);
            // SleefLevel::detect() gives a level this CPU runs.
            unsafe { g(SleefLevel::detect().code(), x.as_ptr(), out.as_mut_ptr(), n) };
        }
    }
}

macro_rules! elem {
    (
        $t:ident, $ty:ident, $err:ident, $unary:ident, $pow:ident, $std:ident, $raw:ty,
        libm: $lexp:ident, $llog:ident, $lsin:ident, $lcos:ident, $ltanh:ident, $lpow:ident;
        sleef: $rexp:ident, $rlog:ident, $rsin:ident, $rcos:ident, $rtanh:ident, $rpow:ident;
    ) => {
        impl Elem for $t {
            const TY: Float = Float::$ty;
            const NAME: &'static str = stringify!($t);
            #[allow(clippy::unnecessary_cast)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            #[allow(clippy::useless_conversion)]
            fn wide(self) -> f64 {
                f64::from(self)
            }
            fn err(y: Self, r: f64) -> f64 {
                $err(y, r)
            }
            #[allow(clippy::useless_conversion)]
            fn bits(self) -> u64 {
                u64::from(self.to_bits())
            }
            fn std(f: Function, x: Self) -> Self {
                f.$std().map_or(<$t>::NAN, |g| g(x))
            }
            fn std_pow(x: Self, y: Self) -> Self {
                x.powf(y)
            }
            fn libm(f: Function, x: Self) -> Self {
                match f {
                    Function::Exp => libm::$lexp(x),
                    Function::Log => libm::$llog(x),
                    Function::Sin => libm::$lsin(x),
                    Function::Cos => libm::$lcos(x),
                    Function::Tanh => libm::$ltanh(x),
                    _ => <$t>::NAN,
                }
            }
            fn libm_pow(x: Self, y: Self) -> Self {
                libm::$lpow(x, y)
            }
            fn unary(
                m: &dyn VectorMath,
                f: Function,
                x: &[Self],
                out: &mut [Self],
            ) -> arsenal_num::Result<()> {
                m.$unary(f, x, out)
            }
            fn pow(
                m: &dyn VectorMath,
                x: &[Self],
                y: &[Self],
                out: &mut [Self],
            ) -> arsenal_num::Result<()> {
                m.$pow(x, y, out)
            }
            fn raw_fn(f: Function) -> Option<$raw> {
                Some(match f {
                    Function::Exp => sleef::$rexp,
                    Function::Log => sleef::$rlog,
                    Function::Sin => sleef::$rsin,
                    Function::Cos => sleef::$rcos,
                    Function::Tanh => sleef::$rtanh,
                    _ => return None,
                })
            }
            fn raw_pow(x: &[Self], y: &[Self], out: &mut [Self]) {
                let n = x.len().min(y.len()).min(out.len());
                // SAFETY: three distinct slices of at least n elements; the level runs here.
                unsafe {
                    sleef::$rpow(
                        SleefLevel::detect().code(),
                        x.as_ptr(),
                        y.as_ptr(),
                        out.as_mut_ptr(),
                        n,
                    )
                };
            }
        }
    };
}

elem! {
    f64, F64, ulp_error_f64, unary_f64, pow_f64, std_f64, RawF64,
    libm: exp, log, sin, cos, tanh, pow;
    sleef: arsenal_sleef_expd_u10, arsenal_sleef_logd_u10, arsenal_sleef_sind_u10,
        arsenal_sleef_cosd_u10, arsenal_sleef_tanhd_u10, arsenal_sleef_powd_u10;
}
elem! {
    f32, F32, ulp_error_f32, unary_f32, pow_f32, std_f32, RawF32,
    libm: expf, logf, sinf, cosf, tanhf, powf;
    sleef: arsenal_sleef_expf_u10, arsenal_sleef_logf_u10, arsenal_sleef_sinf_u10,
        arsenal_sleef_cosf_u10, arsenal_sleef_tanhf_u10, arsenal_sleef_powf_u10;
}

/// The implementations of the function rows: (name, backend for `arsenal:` cells).
fn math_impls() -> Vec<(&'static str, Option<Box<dyn VectorMath>>)> {
    vec![
        (
            "arsenal:sleef-u10",
            Some(Box::new(Sleef::u10()) as Box<dyn VectorMath>),
        ),
        ("arsenal:sleef-u35", Some(Box::new(Sleef::u35()))),
        ("raw:sleef", None),
        ("arsenal:native", Some(Box::new(NativeMath))),
        ("peer:std", None),
        ("peer:libm", None),
    ]
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    for f in Function::ALL {
        for (dataset, n) in [("4096", 4096usize), ("1M", 1 << 20)] {
            math_rows::<f64>(reg, f, dataset, n);
            math_rows::<f32>(reg, f, dataset, n);
        }
    }
    div_rows(reg);
    sum_rows(reg);
    rsqrt_rows(reg);
}

/// Inputs of the function rows: x in [-10, 10] (log, pow's base: (0, 10]), y in [-10, 10].
fn inputs<T: Elem>(f: Function, n: usize) -> (Vec<T>, Vec<T>) {
    let mut next = rng(f as u64 * 7 + n as u64);
    (0..n)
        .map(|_| {
            let (a, b) = (unit(next()), unit(next()));
            let x = match f {
                Function::Log | Function::Pow => 10.0 * (1.0 - a),
                _ => -10.0 + 20.0 * a,
            };
            (T::from_f64(x), T::from_f64(-10.0 + 20.0 * b))
        })
        .unzip()
}

fn math_rows<T: Elem>(reg: &mut Registry, f: Function, dataset: &str, n: usize) {
    let op = format!("{f}-{}", T::NAME);
    let (x, y) = inputs::<T>(f, n);
    // y is ignored for the one-input functions.
    let reference: Rc<Vec<f64>> = Rc::new(
        x.iter()
            .zip(&y)
            .map(|(&a, &b)| T::reference(f, a, b))
            .collect(),
    );
    let (x, y) = (Rc::new(x), Rc::new(y));
    for (imp, backend) in math_impls() {
        let Some(tol) = verified_tolerance(imp, backend.as_deref(), f, T::TY) else {
            reg.add(Case::unsupported(
                NAME,
                &op,
                dataset,
                imp,
                format!("the native backend implements exp and log only, not {f}"),
            ));
            continue;
        };
        let out = Rc::new(RefCell::new(vec![T::default(); n]));
        let (xr, yr, o) = (Rc::clone(&x), Rc::clone(&y), Rc::clone(&out));
        let run: Box<dyn FnMut() -> u64> = match (backend, imp) {
            (Some(m), _) => Box::new(move || {
                let mut o = o.borrow_mut();
                let r = if f == Function::Pow {
                    T::pow(&*m, &xr, &yr, &mut o)
                } else {
                    T::unary(&*m, f, &xr, &mut o)
                };
                r.expect("supported");
                o[0].bits() ^ o[o.len() - 1].bits()
            }),
            (None, "raw:sleef") => Box::new(move || {
                let mut o = o.borrow_mut();
                if f == Function::Pow {
                    T::raw_pow(&xr, &yr, &mut o);
                } else {
                    T::raw(f, &xr, &mut o);
                }
                o[0].bits() ^ o[o.len() - 1].bits()
            }),
            (None, "peer:std") => scalar_loop(f, T::std, T::std_pow, xr, yr, o),
            _ => scalar_loop(f, T::libm, T::libm_pow, xr, yr, o),
        };
        let r = Rc::clone(&reference);
        let case = Case::new(NAME, &op, dataset, imp, 0, n as u64, run).verify(move || {
            let o = out.borrow();
            let (mut worst, mut at) = (0.0f64, 0usize);
            for (i, (&v, &rv)) in o.iter().zip(r.iter()).enumerate() {
                let e = T::err(v, rv);
                if e > worst {
                    (worst, at) = (e, i);
                }
            }
            if worst <= tol {
                Ok(())
            } else {
                Err(format!("{worst:.3} ULP at element {at} (tolerance {tol})"))
            }
        });
        reg.add(case);
    }
}

/// A peer's run: `one(f, x)` element by element over the slice (pow: `two(x, y)`) into the
/// shared buffer. `one` and `two` are fn items, so the calls are static.
fn scalar_loop<T: Elem>(
    f: Function,
    one: impl Fn(Function, T) -> T + 'static,
    two: impl Fn(T, T) -> T + 'static,
    xr: Rc<Vec<T>>,
    yr: Rc<Vec<T>>,
    o: Rc<RefCell<Vec<T>>>,
) -> Box<dyn FnMut() -> u64> {
    Box::new(move || {
        let mut o = o.borrow_mut();
        if f == Function::Pow {
            for ((o, &a), &b) in o.iter_mut().zip(xr.iter()).zip(yr.iter()) {
                *o = two(a, b);
            }
        } else {
            for (o, &a) in o.iter_mut().zip(xr.iter()) {
                *o = one(f, a);
            }
        }
        o[0].bits() ^ o[o.len() - 1].bits()
    })
}

/// The maximum ULP error an implementation claims for `f` on `ty` (`None`: the backend
/// does not implement it): a backend's documented bound, SLEEF's 1.0 for the raw calls,
/// std's 1 (tanh 2.5, glibc's measured 2.19), and 3 for the `libm` crate (a correctness
/// check, not a claim).
fn stated_bound(
    imp: &str,
    backend: Option<&dyn VectorMath>,
    f: Function,
    ty: Float,
) -> Option<f64> {
    match (backend, imp) {
        (Some(m), _) => m.ulp_bound(f, ty),
        (None, "raw:sleef") => Some(1.0),
        (None, "peer:std") => Some(reference_bound(f)),
        _ => Some(3.0),
    }
}

/// The tolerance a function cell of `imp` is verified against: the stated bound, plus
/// std's own error for `f64` (whose reference is std's `f64`), plus SLEEF's tanh slack.
fn verified_tolerance(
    imp: &str,
    backend: Option<&dyn VectorMath>,
    f: Function,
    ty: Float,
) -> Option<f64> {
    let bound = stated_bound(imp, backend, f, ty)?;
    let tolerance = match ty {
        Float::F64 => <f64 as Elem>::tolerance(bound, f),
        Float::F32 => <f32 as Elem>::tolerance(bound, f),
    };
    Some(tolerance + slack(imp, f))
}

/// The extra table: the ULP tolerance each function cell of the results was verified
/// against, per function and implementation (from the crate's stated bounds, so
/// `--render` redraws it from the JSON alone).
fn ulp_tables(results: &[BenchResult], _machine: &Machine) -> Vec<(String, Table)> {
    let rows: Vec<&BenchResult> = results
        .iter()
        .filter(|r| r.domain == NAME && r.dataset == "1M" && function_of(&r.op).is_some())
        .collect();
    if rows.is_empty() {
        return Vec::new();
    }
    let mut impls: Vec<&str> = Vec::new();
    let mut ops: Vec<&str> = Vec::new();
    for r in &rows {
        if !impls.contains(&r.imp.as_str()) {
            impls.push(&r.imp);
        }
        if !ops.contains(&r.op.as_str()) {
            ops.push(&r.op);
        }
    }
    let mut table: Table = vec![std::iter::once("function")
        .chain(impls.iter().copied())
        .map(str::to_owned)
        .collect()];
    let backends = math_impls();
    for op in ops {
        let (f, ty) = function_of(op).expect("filtered");
        let mut line = vec![op.to_owned()];
        for imp in &impls {
            let ran = rows.iter().any(|r| r.op == op && r.imp == *imp);
            let tolerance = backends
                .iter()
                .find(|(name, _)| name == imp)
                .and_then(|(_, backend)| verified_tolerance(imp, backend.as_deref(), f, ty));
            line.push(match tolerance {
                Some(tol) if ran => format!("{tol:.2}"),
                Some(_) => String::new(),
                None => "unsupported".to_owned(),
            });
        }
        table.push(line);
    }
    vec![(
        format!(
            "{NAME} / accuracy bounds: the max ULP error every function cell was verified \
             against on its inputs (f32 against std's f64; f64 against std's f64, whose own \
             1 ULP is included); measured maxima over all f32 and 10⁷ f64 against MPFR: \
             docs/num.md (scripts/num-accuracy)"
        ),
        table,
    )]
}

/// `exp-f64` → (exp, f64).
fn function_of(op: &str) -> Option<(Function, Float)> {
    let (f, ty) = op.rsplit_once('-')?;
    let f = Function::ALL.into_iter().find(|g| g.to_string() == f)?;
    let ty = match ty {
        "f32" => Float::F32,
        "f64" => Float::F64,
        _ => return None,
    };
    Some((f, ty))
}

fn div_rows(reg: &mut Registry) {
    let n = 1 << 16;
    let mut next = rng(77);
    let n32: Rc<Vec<u32>> = Rc::new((0..n).map(|_| next() as u32).collect());
    let n64: Rc<Vec<u64>> = Rc::new((0..n).map(|_| next()).collect());
    let divisors: [(&str, u64); 4] = [
        ("d7", 7),
        ("d1000", 1000),
        ("d2^31+1", (1 << 31) + 1),
        ("dbig", 0xdead_beef_1234_5679),
    ];
    for (dataset, d) in divisors {
        if let Ok(d32) = u32::try_from(d) {
            div_cells(reg, "div-u32", dataset, d32, &n32);
        }
        div_cells(reg, "div-u64", dataset, d, &n64);
    }
}

macro_rules! strength_reduced {
    (u32) => {
        strength_reduce::StrengthReducedU32
    };
    (u64) => {
        strength_reduce::StrengthReducedU64
    };
}

macro_rules! div_word {
    ($fn:ident, $t:ident, $raw:ident, $gen:ident, $slice:ident) => {
        fn $fn(reg: &mut Registry, op: &str, dataset: &str, d: $t, input: &Rc<Vec<$t>>) {
            let expected: Rc<Vec<$t>> = Rc::new(input.iter().map(|&v| v / d).collect());
            let n = input.len();
            let mut add = |imp: &str, mut work: Box<dyn FnMut(&[$t], &mut [$t])>| {
                let out = Rc::new(RefCell::new(vec![0 as $t; n]));
                let (i, o, e) = (Rc::clone(input), Rc::clone(&out), Rc::clone(&expected));
                let run = move || {
                    let mut o = o.borrow_mut();
                    work(&i, &mut o);
                    u64::from(o[0]) ^ u64::from(o[n - 1])
                };
                reg.add(
                    Case::new(NAME, op, dataset, imp, 0, n as u64, run).verify(move || {
                        if *out.borrow() == *e {
                            Ok(())
                        } else {
                            Err("a quotient differs from n / d".to_owned())
                        }
                    }),
                );
            };
            let v = Libdivide::<$t>::new(d).expect("nonzero");
            add(
                "arsenal:libdivide",
                Box::new(move |i, o| v.div_slice(i, o).expect("lengths")),
            );
            let v = LibdivideBranchfree::<$t>::new(d).expect(">= 2");
            add(
                "arsenal:libdivide-branchfree",
                Box::new(move |i, o| v.div_slice(i, o).expect("lengths")),
            );
            let mut raw = ld::$raw::default();
            // SAFETY: a live out struct; d != 0.
            assert_eq!(unsafe { ld::$gen(d, &mut raw) }, 0);
            let level = if std::is_x86_feature_detected!("avx512f") {
                ld::LEVEL_AVX512
            } else if std::is_x86_feature_detected!("avx2") {
                ld::LEVEL_AVX2
            } else {
                ld::LEVEL_SCALAR
            };
            add(
                "raw:libdivide",
                Box::new(move |i, o| {
                    // SAFETY: i and o are live slices of n elements; the level runs here.
                    unsafe {
                        ld::$slice(
                            level,
                            &raw,
                            i.as_ptr(),
                            o.as_mut_ptr(),
                            i.len().min(o.len()),
                        )
                    };
                }),
            );
            let v = Divider::<$t>::new(d).expect("nonzero");
            add(
                "arsenal:native",
                Box::new(move |i, o| v.div_slice(i, o).expect("lengths")),
            );
            let s = <strength_reduced!($t)>::new(d);
            add(
                "peer:strength_reduce",
                Box::new(move |i, o| o.iter_mut().zip(i).for_each(|(o, &v)| *o = v / s)),
            );
            add(
                "peer:hardware",
                Box::new(move |i, o| {
                    let d = black_box(d);
                    o.iter_mut().zip(i).for_each(|(o, &v)| *o = v / d)
                }),
            );
        }
    };
}

div_word!(
    div_cells_u32,
    u32,
    libdivide_u32_t,
    arsenal_libdivide_u32_gen,
    arsenal_libdivide_u32_do_slice
);
div_word!(
    div_cells_u64,
    u64,
    libdivide_u64_t,
    arsenal_libdivide_u64_gen,
    arsenal_libdivide_u64_do_slice
);

trait DivCells: Sized {
    fn cells(reg: &mut Registry, op: &str, dataset: &str, d: Self, input: &Rc<Vec<Self>>);
}
impl DivCells for u32 {
    fn cells(reg: &mut Registry, op: &str, dataset: &str, d: Self, input: &Rc<Vec<Self>>) {
        div_cells_u32(reg, op, dataset, d, input)
    }
}
impl DivCells for u64 {
    fn cells(reg: &mut Registry, op: &str, dataset: &str, d: Self, input: &Rc<Vec<Self>>) {
        div_cells_u64(reg, op, dataset, d, input)
    }
}

fn div_cells<T: DivCells>(reg: &mut Registry, op: &str, dataset: &str, d: T, input: &Rc<Vec<T>>) {
    T::cells(reg, op, dataset, d, input);
}

/// Random multiples of 2⁻³⁰ with cancellation, and their exact sum (i128 fixed point).
fn sum_data(n: usize, seed: u64) -> (Vec<f64>, f64) {
    let mut next = rng(seed);
    let mut exact: i128 = 0;
    let v: Vec<f64> = (0..n)
        .map(|i| {
            let m = (next() >> 12) as i64 - (1 << 51);
            let scale = if i % 2 == 0 { 1i64 << 10 } else { 1 };
            let fixed = i128::from(m) * i128::from(scale);
            exact += fixed;
            fixed as f64 * 2f64.powi(-30)
        })
        .collect();
    (v, exact as f64 * 2f64.powi(-30))
}

type SumFn = fn(&[f64]) -> arsenal_num::sum::Sum;
type DotFn = fn(&[f64], &[f64]) -> arsenal_num::sum::Sum;
type RsqrtFn = fn(&[f32], &mut [f32]) -> arsenal_num::Result<()>;

fn sum_rows(reg: &mut Registry) {
    use arsenal_num::sum::{dot, dot2, kahan, naive, neumaier, pairwise};
    for (dataset, n) in [("4096", 4096usize), ("1M", 1 << 20)] {
        let (x, exact) = sum_data(n, n as u64);
        let x = Rc::new(x);
        let half = f64::EPSILON * exact.abs();
        let sums: [(&str, SumFn); 4] = [
            ("arsenal:naive", naive),
            ("arsenal:pairwise", pairwise),
            ("arsenal:kahan", kahan),
            ("arsenal:neumaier", neumaier),
        ];
        for (imp, g) in sums {
            let s = g(&x);
            if (s.value - exact).abs() > s.bound + half {
                reg.add(Case::failed(NAME, "sum", dataset, imp, "outside its bound"));
                continue;
            }
            let xr = Rc::clone(&x);
            reg.add(
                Case::new(NAME, "sum", dataset, imp, 0, n as u64, move || {
                    g(&xr).value.to_bits()
                })
                .expect(s.value.to_bits()),
            );
        }
        // The peer's value is checked against the exact sum with the naive bound (the same
        // left-to-right order), not only against itself.
        let naive_std: f64 = x.iter().sum();
        if (naive_std - exact).abs() > naive(&x).bound + half {
            reg.add(Case::failed(
                NAME,
                "sum",
                dataset,
                "peer:std",
                "outside the naive bound",
            ));
        } else {
            let xr = Rc::clone(&x);
            reg.add(
                Case::new(NAME, "sum", dataset, "peer:std", 0, n as u64, move || {
                    xr.iter().sum::<f64>().to_bits()
                })
                .expect(naive_std.to_bits()),
            );
        }
        // Dot products: x · ones(n) has the exact value `exact`.
        let ones = Rc::new(vec![1.0; n]);
        let dots: [(&str, DotFn); 2] = [("arsenal:dot", dot), ("arsenal:dot2", dot2)];
        for (imp, g) in dots {
            let s = g(&x, &ones);
            if (s.value - exact).abs() > s.bound + half {
                reg.add(Case::failed(NAME, "dot", dataset, imp, "outside its bound"));
                continue;
            }
            let (xr, yr) = (Rc::clone(&x), Rc::clone(&ones));
            reg.add(
                Case::new(NAME, "dot", dataset, imp, 0, n as u64, move || {
                    g(&xr, &yr).value.to_bits()
                })
                .expect(s.value.to_bits()),
            );
        }
        let std_dot: f64 = x.iter().zip(ones.iter()).map(|(a, b)| a * b).sum();
        if (std_dot - exact).abs() > dot(&x, &ones).bound + half {
            reg.add(Case::failed(
                NAME,
                "dot",
                dataset,
                "peer:std",
                "outside the dot bound",
            ));
            continue;
        }
        let (xr, yr) = (Rc::clone(&x), Rc::clone(&ones));
        reg.add(
            Case::new(NAME, "dot", dataset, "peer:std", 0, n as u64, move || {
                xr.iter()
                    .zip(yr.iter())
                    .map(|(a, b)| a * b)
                    .sum::<f64>()
                    .to_bits()
            })
            .expect(std_dot.to_bits()),
        );
    }
}

fn rsqrt_rows(reg: &mut Registry) {
    use arsenal_num::rsqrt::*;
    let n = 4096;
    let mut next = rng(5);
    let x: Rc<Vec<f32>> = Rc::new(
        (0..n)
            .map(|_| f32::from_bits(0x0080_0000 + (next() % (0x7f80_0000 - 0x0080_0000)) as u32))
            .collect(),
    );
    let fns: [(&str, RsqrtFn, f32); 3] = [
        (
            "arsenal:fast-inv-sqrt",
            fast_inv_sqrt_slice,
            FAST_INV_SQRT_REL_ERR,
        ),
        (
            "arsenal:hardware-rsqrt",
            hardware_rsqrt_slice,
            HARDWARE_RSQRT_REL_ERR,
        ),
        ("peer:std", std_rsqrt, f32::EPSILON),
    ];
    for (imp, g, bound) in fns {
        let out = Rc::new(RefCell::new(vec![0f32; n]));
        let (xr, o) = (Rc::clone(&x), Rc::clone(&out));
        let xc = Rc::clone(&x);
        let run = move || {
            let mut o = o.borrow_mut();
            g(&xr, &mut o).expect("lengths");
            u64::from(o[0].to_bits())
        };
        reg.add(
            Case::new(NAME, "rsqrt", "4096", imp, 0, n as u64, run).verify(move || {
                let o = out.borrow();
                for (&v, &y) in xc.iter().zip(o.iter()) {
                    let exact = 1.0 / f64::from(v).sqrt();
                    let rel = ((f64::from(y) - exact) / exact).abs();
                    if rel > f64::from(bound) {
                        return Err(format!("relative error {rel:e} at {v:e} > {bound:e}"));
                    }
                }
                Ok(())
            }),
        );
    }
}

/// The peer row: `1.0 / x.sqrt()` in a plain loop.
fn std_rsqrt(input: &[f32], out: &mut [f32]) -> arsenal_num::Result<()> {
    out.iter_mut()
        .zip(input)
        .for_each(|(o, &v)| *o = 1.0 / v.sqrt());
    Ok(())
}

fn memory_rows() -> Vec<MemoryRow> {
    let n = 1 << 20;
    let (x, _) = inputs::<f64>(Function::Exp, n);
    let mut out = vec![0.0f64; n];
    let mut rows = Vec::new();
    let mut row = |imp: &str, f: &mut dyn FnMut(&[f64], &mut [f64])| {
        let peak = peak_resident(|| {
            f(&x, &mut out);
            Some(())
        });
        rows.push(MemoryRow {
            domain: NAME.to_owned(),
            dataset: "exp-f64-1M".to_owned(),
            what: "exp over 2²⁰ f64 into an existing buffer: peak resident growth / elements"
                .to_owned(),
            imp: imp.to_owned(),
            items: n as u64,
            bytes_per_item: peak.map(|(_, b)| b as f64 / n as f64),
        });
    };
    row("arsenal:sleef-u10", &mut |x, o| {
        Sleef::u10().unary_f64(Function::Exp, x, o).expect("exp")
    });
    row("arsenal:sleef-u35", &mut |x, o| {
        Sleef::u35().unary_f64(Function::Exp, x, o).expect("exp")
    });
    row("arsenal:std", &mut |x, o| {
        arsenal_num::StdMath
            .unary_f64(Function::Exp, x, o)
            .expect("exp")
    });
    row("arsenal:native", &mut |x, o| {
        NativeMath.unary_f64(Function::Exp, x, o).expect("exp")
    });
    row("peer:libm", &mut |x, o| {
        o.iter_mut().zip(x).for_each(|(o, &v)| *o = libm::exp(v))
    });
    rows
}
