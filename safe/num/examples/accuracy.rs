//! Accuracy of every elementary-function backend, measured in ULP: every `f32` input (or
//! every `--f32-stride`-th bit pattern) against std's `f64` function on the same input, and
//! `--f64-count` random `f64` inputs (default 10⁷) against MPFR at 128 bits. Prints a
//! Markdown table (max ULP per function, type and backend) on stdout and the worst input of
//! each cell on stderr. Run by `scripts/num-accuracy` (release mode; needs libmpfr-dev).
//!
//! `cargo run --release -p arsenal-num --example accuracy -- [--f32-stride N]
//! [--f64-count N] [--functions exp,log,...]`
//!
//! f32 reference: std's `f64` function (glibc, ≤ 1 `f64` ULP; tanh ≤ 2) evaluated on the
//! `f32` input and taken as exact; its own error is ~2⁻²⁸ `f32` ULP, far below the
//! three decimals printed. `pow` has two inputs, so for `f32` it is measured on
//! `--f64-count` random pairs rather than all inputs.
use std::ffi::{c_int, c_long};
use std::mem::MaybeUninit;

use arsenal_num::ulp::{
    reference, sample_domain, sample_input, splitmix64 as rng, ulp_error_f32, ulp_error_f64,
};
use arsenal_num::{Float, Function, NativeMath, StdMath, VectorMath};

#[repr(C)]
struct Mpfr {
    prec: c_long,
    sign: c_int,
    exp: c_long,
    d: *mut u64,
}

const RNDN: c_int = 0;

#[link(name = "mpfr")]
extern "C" {
    fn mpfr_init2(x: *mut Mpfr, prec: c_long);
    fn mpfr_clear(x: *mut Mpfr);
    fn mpfr_set_d(x: *mut Mpfr, d: f64, rnd: c_int) -> c_int;
    fn mpfr_get_d(x: *const Mpfr, rnd: c_int) -> f64;
    fn mpfr_sub_d(r: *mut Mpfr, x: *const Mpfr, d: f64, rnd: c_int) -> c_int;
    fn mpfr_mul_2si(r: *mut Mpfr, x: *const Mpfr, e: c_long, rnd: c_int) -> c_int;
    fn mpfr_exp(r: *mut Mpfr, x: *const Mpfr, rnd: c_int) -> c_int;
    fn mpfr_log(r: *mut Mpfr, x: *const Mpfr, rnd: c_int) -> c_int;
    fn mpfr_sin(r: *mut Mpfr, x: *const Mpfr, rnd: c_int) -> c_int;
    fn mpfr_cos(r: *mut Mpfr, x: *const Mpfr, rnd: c_int) -> c_int;
    fn mpfr_tanh(r: *mut Mpfr, x: *const Mpfr, rnd: c_int) -> c_int;
    fn mpfr_pow(r: *mut Mpfr, x: *const Mpfr, y: *const Mpfr, rnd: c_int) -> c_int;
}

/// Four MPFR numbers at 128 bits: x, y, result, difference.
struct Mp {
    v: Box<[Mpfr; 4]>,
}

impl Mp {
    fn new() -> Mp {
        let mut v: Box<[MaybeUninit<Mpfr>; 4]> = Box::new([const { MaybeUninit::uninit() }; 4]);
        for m in v.iter_mut() {
            // SAFETY: mpfr_init2 initialises the struct it is given.
            unsafe { mpfr_init2(m.as_mut_ptr(), 128) };
        }
        // SAFETY: all four were initialised above; MaybeUninit<Mpfr> has Mpfr's layout.
        let v = unsafe { Box::from_raw(Box::into_raw(v).cast::<[Mpfr; 4]>()) };
        Mp { v }
    }

    /// f(x[, y]) at 128 bits as (hi, lo, k): hi the value rounded to f64, k the exponent
    /// of one f64 ULP at the exact value (u = 2^k) and lo = (exact − hi) / u, in ULP (so
    /// references in the subnormal range keep their fraction of an ULP).
    fn eval(&mut self, f: Function, x: f64, y: f64) -> (f64, f64, i32) {
        let [a, b, r, d] = &mut *self.v;
        // SAFETY: every pointer is one of the four initialised numbers.
        unsafe {
            mpfr_set_d(a, x, RNDN);
            mpfr_set_d(b, y, RNDN);
            match f {
                Function::Exp => mpfr_exp(r, a, RNDN),
                Function::Log => mpfr_log(r, a, RNDN),
                Function::Sin => mpfr_sin(r, a, RNDN),
                Function::Cos => mpfr_cos(r, a, RNDN),
                Function::Tanh => mpfr_tanh(r, a, RNDN),
                _ => mpfr_pow(r, a, b, RNDN),
            };
            let hi = mpfr_get_d(r, RNDN);
            if !hi.is_finite() || hi == 0.0 {
                return (hi, 0.0, -1074);
            }
            // MPFR: |r| = m·2^exp with m in [1/2, 1), so floor(log2 |r|) = exp − 1.
            let e = (r.exp - 1).clamp(-1022, 1023) as i32;
            let k = e - 52;
            mpfr_sub_d(d, r, hi, RNDN);
            mpfr_mul_2si(d, d, c_long::from(-k), RNDN);
            (hi, mpfr_get_d(d, RNDN), k)
        }
    }
}

impl Drop for Mp {
    fn drop(&mut self) {
        for m in self.v.iter_mut() {
            // SAFETY: initialised in new, cleared once.
            unsafe { mpfr_clear(m) };
        }
    }
}

/// [`VectorMath`]'s length contract for the peer below: every slice of one call has one
/// length.
fn same_len(lens: &[usize]) -> arsenal_num::Result<()> {
    if lens.windows(2).all(|w| w[0] == w[1]) {
        Ok(())
    } else {
        Err(arsenal_num::Error::new(
            arsenal_num::ErrorKind::Length,
            "libm",
            format!("slice lengths {lens:?} differ"),
        ))
    }
}

/// The `libm` crate (a peer), as a VectorMath for this program only.
struct LibmCrate;

impl VectorMath for LibmCrate {
    fn backend(&self) -> arsenal_num::Backend {
        // `Backend` has no variant for a peer; nothing here reads this (the table names
        // the column "libm").
        arsenal_num::Backend::Std
    }
    fn ulp_bound(&self, _: Function, _: Float) -> Option<f64> {
        None
    }
    fn unary_f64(&self, f: Function, x: &[f64], out: &mut [f64]) -> arsenal_num::Result<()> {
        same_len(&[x.len(), out.len()])?;
        let g: fn(f64) -> f64 = match f {
            Function::Exp => libm::exp,
            Function::Log => libm::log,
            Function::Sin => libm::sin,
            Function::Cos => libm::cos,
            _ => libm::tanh,
        };
        out.iter_mut().zip(x).for_each(|(o, &x)| *o = g(x));
        Ok(())
    }
    fn unary_f32(&self, f: Function, x: &[f32], out: &mut [f32]) -> arsenal_num::Result<()> {
        same_len(&[x.len(), out.len()])?;
        let g: fn(f32) -> f32 = match f {
            Function::Exp => libm::expf,
            Function::Log => libm::logf,
            Function::Sin => libm::sinf,
            Function::Cos => libm::cosf,
            _ => libm::tanhf,
        };
        out.iter_mut().zip(x).for_each(|(o, &x)| *o = g(x));
        Ok(())
    }
    fn pow_f64(&self, x: &[f64], y: &[f64], out: &mut [f64]) -> arsenal_num::Result<()> {
        same_len(&[x.len(), y.len(), out.len()])?;
        for ((o, &x), &y) in out.iter_mut().zip(x).zip(y) {
            *o = libm::pow(x, y);
        }
        Ok(())
    }
    fn pow_f32(&self, x: &[f32], y: &[f32], out: &mut [f32]) -> arsenal_num::Result<()> {
        same_len(&[x.len(), y.len(), out.len()])?;
        for ((o, &x), &y) in out.iter_mut().zip(x).zip(y) {
            *o = libm::powf(x, y);
        }
        Ok(())
    }
}

fn backends() -> Vec<(&'static str, Box<dyn VectorMath>)> {
    let mut v: Vec<(&'static str, Box<dyn VectorMath>)> = vec![("native", Box::new(NativeMath))];
    #[cfg(feature = "sleef")]
    {
        v.insert(0, ("sleef-u35", Box::new(arsenal_num::Sleef::u35())));
        v.insert(0, ("sleef-u10", Box::new(arsenal_num::Sleef::u10())));
    }
    v.push(("std", Box::new(StdMath)));
    v.push(("libm", Box::new(LibmCrate)));
    v
}

/// One backend's cell of a row: the largest error seen and its input.
struct Cell {
    max: f64,
    worst: (f64, f64),
    supported: bool,
}

impl Cell {
    /// A fresh cell per backend.
    fn row(n: usize) -> Vec<Cell> {
        (0..n)
            .map(|_| Cell {
                max: 0.0,
                worst: (0.0, 0.0),
                supported: true,
            })
            .collect()
    }

    /// Takes the errors `e(j)` of inputs `(x(j), y(j))` for `j < n`.
    fn record(&mut self, n: usize, e: impl Fn(usize) -> f64, at: impl Fn(usize) -> (f64, f64)) {
        for j in 0..n {
            let e = e(j);
            if e > self.max {
                self.max = e;
                self.worst = at(j);
            }
        }
    }
}

fn main() {
    let mut stride: u64 = 1;
    let mut count: usize = 10_000_000;
    let mut functions: Vec<Function> = Function::ALL.to_vec();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--f32-stride" => stride = value.parse().expect("--f32-stride N"),
            "--f64-count" => count = value.parse().expect("--f64-count N"),
            "--functions" => {
                functions = value
                    .split(',')
                    .map(|n| {
                        *Function::ALL
                            .iter()
                            .find(|f| f.name() == n)
                            .unwrap_or_else(|| panic!("unknown function {n}"))
                    })
                    .collect()
            }
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    let bk = backends();
    let names: Vec<&str> = bk.iter().map(|(n, _)| *n).collect();
    println!(
        "| function | type | inputs | reference | {} |",
        names.join(" | ")
    );
    println!("|---|---|---|---|{}", "---|".repeat(names.len()));
    let mut mp = Mp::new();
    for &f in &functions {
        // ---- f32 ----
        let mut cells = Cell::row(bk.len());
        let desc32;
        let chunk = 1 << 16;
        let mut out = vec![0f32; chunk];
        if f == Function::Pow {
            let mut next = rng(32);
            let mut done = 0usize;
            while done < count {
                let n = chunk.min(count - done);
                let (x, y): (Vec<f32>, Vec<f32>) = (0..n)
                    .map(|_| {
                        let (a, b) = sample_input(f, &mut next);
                        (a as f32, (b * 0.3) as f32)
                    })
                    .unzip();
                let refs: Vec<f64> = x
                    .iter()
                    .zip(&y)
                    .map(|(&a, &b)| reference(f, f64::from(a), f64::from(b)))
                    .collect();
                for (cell, (_, m)) in cells.iter_mut().zip(&bk) {
                    if m.pow_f32(&x, &y, &mut out[..n]).is_err() {
                        cell.supported = false;
                        continue;
                    }
                    cell.record(
                        n,
                        |j| ulp_error_f32(out[j], refs[j]),
                        |j| (f64::from(x[j]), f64::from(y[j])),
                    );
                }
                done += n;
            }
            desc32 = format!("{count} random (x log-uniform in [1e-3, 1e3], y in [-30, 30])");
        } else {
            let total: u64 = 1 << 32;
            let mut bits: u64 = 0;
            let mut n_in = 0u64;
            let mut x = Vec::with_capacity(chunk);
            while bits < total {
                x.clear();
                while x.len() < chunk && bits < total {
                    x.push(f32::from_bits(bits as u32));
                    bits += stride;
                }
                n_in += x.len() as u64;
                let n = x.len();
                let refs: Vec<f64> = x.iter().map(|&v| reference(f, f64::from(v), 0.0)).collect();
                for (cell, (_, m)) in cells.iter_mut().zip(&bk) {
                    if !cell.supported || m.unary_f32(f, &x, &mut out[..n]).is_err() {
                        cell.supported = false;
                        continue;
                    }
                    cell.record(
                        n,
                        |j| ulp_error_f32(out[j], refs[j]),
                        |j| (f64::from(x[j]), 0.0),
                    );
                }
            }
            desc32 = if stride == 1 {
                format!("all {n_in} f32")
            } else {
                format!("{n_in} f32 (every {stride}th bit pattern)")
            };
        }
        print_row(f, "f32", &desc32, "std f64", &cells, &names);
        // ---- f64 ----
        let mut cells = Cell::row(bk.len());
        let mut next = rng(64 + f as u64);
        let mut out = vec![0f64; chunk];
        let mut done = 0;
        while done < count {
            let n = chunk.min(count - done);
            let (x, y): (Vec<f64>, Vec<f64>) = (0..n).map(|_| sample_input(f, &mut next)).unzip();
            let refs: Vec<(f64, f64, i32)> =
                x.iter().zip(&y).map(|(&a, &b)| mp.eval(f, a, b)).collect();
            for (cell, (_, m)) in cells.iter_mut().zip(&bk) {
                let r = if f == Function::Pow {
                    m.pow_f64(&x, &y, &mut out[..n])
                } else {
                    m.unary_f64(f, &x, &mut out[..n])
                };
                if !cell.supported || r.is_err() {
                    cell.supported = false;
                    continue;
                }
                cell.record(n, |j| err64(out[j], refs[j]), |j| (x[j], y[j]));
            }
            done += n;
        }
        print_row(
            f,
            "f64",
            &format!("{count} random, {}", sample_domain(f)),
            "MPFR 128-bit",
            &cells,
            &names,
        );
    }
}

/// |y − exact| in f64 ULP, from eval's (hi, lo, k).
fn err64(y: f64, (hi, lo, k): (f64, f64, i32)) -> f64 {
    if !(y.is_finite() && hi.is_finite()) || hi == 0.0 {
        return ulp_error_f64(y, hi);
    }
    // (y − hi) is exact when y is near hi; scale by 2^−k in two steps (2^1074 overflows).
    let half = -k / 2;
    let scale = |v: f64, e: i32| v * f64::from_bits(((e + 1023) as u64) << 52);
    let d = scale(scale(y - hi, half), -k - half);
    (d - lo).abs()
}

fn print_row(f: Function, ty: &str, inputs: &str, reference: &str, cells: &[Cell], names: &[&str]) {
    let text: Vec<String> = cells
        .iter()
        .map(|c| {
            if c.supported {
                format!("{:.3}", c.max)
            } else {
                "unsupported".to_string()
            }
        })
        .collect();
    println!(
        "| {f} | {ty} | {inputs} | {reference} | {} |",
        text.join(" | ")
    );
    for (c, n) in cells.iter().zip(names) {
        if c.supported {
            eprintln!(
                "{f} {ty} {n}: max {:.4} ULP at x = {:e}, y = {:e}",
                c.max, c.worst.0, c.worst.1
            );
        }
    }
}
