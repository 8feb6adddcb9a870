//! Memory-operation rows of the matrix: `mem/<copy|set|compare|strlen>/<size>/<impl>`.
//!
//! Sizes: `16B`, `256B`, `4KiB` (L1), `64KiB` (L2), `1MiB` (LLC), `64MiB` (DRAM). Small
//! sizes repeat the operation on the same buffers until an iteration moves about
//! 256 KiB (at most 4096 operations), so an iteration takes microseconds; `items` is the
//! number of operations per iteration (ns per operation = 1e9 / items_per_s) and
//! `bytes` the bytes they cover (size × operations), so GB/s is per byte of the
//! operation's length (for `copy`, bytes copied, not read + written).
//!
//! | impl | what one operation does |
//! |---|---|
//! | `arsenal:scalar`, `arsenal:sse2`, `arsenal:avx2`, `arsenal:avx512` | [`arsenal_memops::MemOps`] pinned to that backend, through its safe slice API (rows for backends this CPU lacks are `unsupported`) |
//! | `arsenal:auto` | the free functions ([`arsenal_memops::copy`] ...): the backend chosen at run time, with its routes ([`MemOps::route`]): the row is `arsenal:auto(glibc)` where it calls glibc (`memchr` for strlen), `arsenal:auto(erms)` where it runs `rep movsb` / `rep stosb`, and `arsenal:auto(nt)` where it fills with non-temporal stores |
//! | `arsenal:nt` (copy, 1 MiB and up) | [`arsenal_memops::CopyPolicy::NonTemporal`]: non-temporal stores + `sfence` |
//! | `raw:libc` | glibc `memcpy` / `memset` / `memcmp` / `strlen` through the `libc` crate |
//!
//! `compare` compares two equal-length buffers that differ only in the last byte (a full
//! scan); `strlen` scans a buffer whose only NUL is its last byte. Every implementation
//! of a row reads the same input buffers.
//!
//! **Verification.** Each cell's checksum (from the results: bytes of the destination,
//! the ordering, the length) is expected to equal what a scalar reference computes from
//! the inputs, once, outside the timing ([`Case::expect`]); and once before timing the
//! operation runs on fresh buffers and is compared with the reference in full
//! ([`Case::verify`]): the copy equals its source byte for byte, every byte of a set
//! holds the value, `compare` gives the reference ordering both ways round and `Equal`
//! against itself, `strlen` finds the reference length (and a NUL placed elsewhere).
//!
//! The domain measures one machine-level number, the DRAM copy ceiling
//! ([`dram_copy_bandwidth`]), before the timing runs ([`DOMAIN`]'s `extras`).

use crate::domain::{Domain, Selection};
use crate::harness::{Case, Registry};
use crate::machine::{Extra, Machine};
use crate::strategy::pick;
use arsenal_memops::{Backend, CopyPolicy, MemOps, Op, Route};
use std::cmp::Ordering;
use std::hint::black_box;
use std::rc::Rc;
use std::time::Instant;

/// The first part of every cell id of this domain.
const NAME: &str = "mem";

/// The memory-operation domain (GB/s), with the DRAM copy ceiling as a machine extra.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Memory operations",
    register: |reg, _data| register(reg),
    note,
    extras,
    select: Some(Selection {
        krate: "arsenal-memops",
        pick: pick::<Backend>,
    }),
    ..Domain::EMPTY
};

/// What the ceiling extra is called in `machine.extras` and the report header.
const CEILING: &str = "DRAM copy ceiling";

/// (size in bytes, dataset name).
const SIZES: [(usize, &str); 6] = [
    (16, "16B"),
    (256, "256B"),
    (4 << 10, "4KiB"),
    (64 << 10, "64KiB"),
    (1 << 20, "1MiB"),
    (64 << 20, "64MiB"),
];

/// Operations per iteration for `size`.
fn reps(size: usize) -> usize {
    ((256 << 10) / size).clamp(1, 4096)
}

/// Which implementation a row runs.
#[derive(Clone, Copy)]
enum Imp {
    Pinned(MemOps),
    Auto,
    Nt,
    Libc,
}

/// A byte buffer starting on a cache line (64 bytes): every implementation of a row
/// reads and writes buffers of the same alignment (a `Vec<u8>` from malloc is only
/// 16-byte aligned, and where a short copy's stores cross cache lines changes its time
/// by half).
struct Aligned {
    storage: Vec<u8>,
    start: usize,
    len: usize,
}

impl Aligned {
    fn zeroed(len: usize) -> Self {
        let storage = vec![0u8; len + 63];
        let start = storage.as_ptr().align_offset(64).min(63);
        Aligned {
            storage,
            start,
            len,
        }
    }
}

impl std::ops::Deref for Aligned {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.storage[self.start..self.start + self.len]
    }
}

impl std::ops::DerefMut for Aligned {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.storage[self.start..self.start + self.len]
    }
}

fn data(n: usize, seed: u8) -> Aligned {
    let mut buf = Aligned::zeroed(n);
    for (i, b) in buf.iter_mut().enumerate() {
        *b = ((i as u8).wrapping_mul(13) ^ seed) | 1;
    }
    buf
}

fn ord_code(o: Ordering) -> u64 {
    (o as i8 + 2) as u64
}

/// Copies `src` into `dst` (equal lengths) with `imp`.
#[inline]
fn copy_with(imp: Imp, dst: &mut [u8], src: &[u8]) {
    match imp {
        Imp::Pinned(ops) => ops.copy(dst, src).expect("equal lengths"),
        Imp::Auto => arsenal_memops::copy(dst, src).expect("equal lengths"),
        Imp::Nt => {
            arsenal_memops::copy_with(CopyPolicy::NonTemporal, dst, src).expect("equal lengths")
        }
        Imp::Libc => {
            // The lengths are equal in every call: `n` is a C caller's `size`.
            let n = dst.len().min(src.len());
            // SAFETY: both buffers hold at least `n` bytes and are distinct (one is `&mut`).
            unsafe { libc::memcpy(dst.as_mut_ptr().cast(), src.as_ptr().cast(), n) };
        }
    }
}

/// Sets every byte of `dst` to `value` with `imp`.
#[inline]
fn set_with(imp: Imp, dst: &mut [u8], value: u8) {
    match imp {
        Imp::Pinned(ops) => ops.set(dst, value),
        Imp::Auto | Imp::Nt => arsenal_memops::set(dst, value),
        // SAFETY: `dst` holds `dst.len()` writable bytes.
        Imp::Libc => unsafe {
            libc::memset(dst.as_mut_ptr().cast(), i32::from(value), dst.len());
        },
    }
}

/// Compares two equal-length buffers with `imp`.
#[inline]
fn compare_with(imp: Imp, x: &[u8], y: &[u8]) -> Ordering {
    match imp {
        Imp::Pinned(ops) => ops.compare(x, y),
        Imp::Auto | Imp::Nt => arsenal_memops::compare(x, y),
        Imp::Libc => {
            // The lengths are equal in every call: `n` is a C caller's `size`.
            let n = x.len().min(y.len());
            // SAFETY: both buffers hold at least `n` readable bytes.
            let r = unsafe { libc::memcmp(x.as_ptr().cast(), y.as_ptr().cast(), n) };
            r.cmp(&0).then(x.len().cmp(&y.len()))
        }
    }
}

/// The length of the NUL-terminated string at the start of `x` with `imp`.
#[inline]
fn strlen_with(imp: Imp, x: &[u8]) -> usize {
    match imp {
        Imp::Pinned(ops) => ops.strlen(x).expect("has a NUL"),
        Imp::Auto | Imp::Nt => arsenal_memops::strlen(x).expect("has a NUL"),
        Imp::Libc => {
            // An O(1) check that keeps the scan inside `x`, unlike a search for the NUL.
            assert_eq!(x.last(), Some(&0), "ends with a NUL");
            // SAFETY: `x` is NUL-terminated within its bounds (its last byte at the latest).
            unsafe { libc::strlen(x.as_ptr().cast()) }
        }
    }
}

/// The reference ordering: a byte-by-byte loop.
fn scalar_compare(x: &[u8], y: &[u8]) -> Ordering {
    for (a, b) in x.iter().zip(y) {
        if a != b {
            return a.cmp(b);
        }
    }
    x.len().cmp(&y.len())
}

/// The reference `strlen`: a byte-by-byte loop.
fn scalar_strlen(x: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < x.len() {
        if x[i] == 0 {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// `Ok` when `got` equals `want`, else where they first differ.
fn same(what: &str, got: &[u8], want: impl Fn(usize) -> u8) -> Result<(), String> {
    match got.iter().enumerate().find(|&(i, &b)| b != want(i)) {
        None => Ok(()),
        Some((i, &b)) => Err(format!(
            "{what}: byte {i} of {} is {b:#04x}, expected {:#04x}",
            got.len(),
            want(i)
        )),
    }
}

/// The inputs of one row, shared by all its implementations (read-only).
struct Inputs {
    /// `copy`'s source, `compare`'s first buffer.
    a: Aligned,
    /// `compare`'s second buffer: `a` with the last byte flipped.
    b: Aligned,
    /// `strlen`'s buffer: its only NUL is the last byte.
    s: Aligned,
}

fn copy_case(size: usize, name: &str, label: &str, imp: Imp, inputs: &Rc<Inputs>) -> Case {
    let n_ops = reps(size);
    let src = &inputs.a;
    let expected = n_ops as u64 * (u64::from(src[size - 1]) + u64::from(src[size / 2]));
    let check = {
        let inputs = Rc::clone(inputs);
        move || {
            let mut dst = vec![0u8; size];
            copy_with(imp, &mut dst, &inputs.a);
            same("copy", &dst, |i| inputs.a[i])
        }
    };
    let inputs = Rc::clone(inputs);
    let mut dst = Aligned::zeroed(size);
    Case::new(
        NAME,
        "copy",
        name,
        label,
        (size * n_ops) as u64,
        n_ops as u64,
        move || {
            let mut sum = 0u64;
            for _ in 0..n_ops {
                copy_with(imp, black_box(&mut dst[..]), black_box(&inputs.a[..]));
                sum += u64::from(dst[size - 1]) + u64::from(dst[size / 2]);
            }
            sum
        },
    )
    .expect(expected)
    .verify(check)
}

/// The value `set` writes in operation `i`.
fn set_value(i: usize) -> u8 {
    (i as u8) | 0x80
}

fn set_case(size: usize, name: &str, label: &str, imp: Imp) -> Case {
    let n_ops = reps(size);
    let expected = (0..n_ops).map(|i| 2 * u64::from(set_value(i))).sum();
    let check = move || {
        let mut dst = vec![0u8; size];
        set_with(imp, &mut dst, 0xA5);
        same("set", &dst, |_| 0xA5)
    };
    let mut dst = Aligned::zeroed(size);
    Case::new(
        NAME,
        "set",
        name,
        label,
        (size * n_ops) as u64,
        n_ops as u64,
        move || {
            let mut sum = 0u64;
            for i in 0..n_ops {
                set_with(imp, black_box(&mut dst[..]), set_value(i));
                sum += u64::from(dst[size - 1]) + u64::from(dst[0]);
            }
            sum
        },
    )
    .expect(expected)
    .verify(check)
}

fn compare_case(size: usize, name: &str, label: &str, imp: Imp, inputs: &Rc<Inputs>) -> Case {
    let n_ops = reps(size);
    let expected = n_ops as u64 * ord_code(scalar_compare(&inputs.a, &inputs.b));
    let check = {
        let inputs = Rc::clone(inputs);
        move || {
            let (a, b) = (&inputs.a[..], &inputs.b[..]);
            for (x, y) in [(a, b), (b, a), (a, a)] {
                let (got, want) = (compare_with(imp, x, y), scalar_compare(x, y));
                if got != want {
                    return Err(format!("compare gave {got:?}, the reference {want:?}"));
                }
            }
            Ok(())
        }
    };
    let inputs = Rc::clone(inputs);
    Case::new(
        NAME,
        "compare",
        name,
        label,
        (size * n_ops) as u64,
        n_ops as u64,
        move || {
            let mut sum = 0u64;
            for _ in 0..n_ops {
                let (x, y) = (black_box(&inputs.a[..]), black_box(&inputs.b[..]));
                sum += ord_code(compare_with(imp, x, y));
            }
            sum
        },
    )
    .expect(expected)
    .verify(check)
}

fn strlen_case(size: usize, name: &str, label: &str, imp: Imp, inputs: &Rc<Inputs>) -> Case {
    let n_ops = reps(size);
    let reference = scalar_strlen(&inputs.s).expect("the row's string has a NUL");
    let expected = n_ops as u64 * reference as u64;
    let check = {
        let inputs = Rc::clone(inputs);
        move || {
            let mut s = inputs.s.to_vec();
            // The row's string, then NULs placed at the middle and at the start.
            for nul in [None, Some(s.len() / 2), Some(0)] {
                if let Some(at) = nul {
                    s[at] = 0;
                }
                let (got, want) = (strlen_with(imp, &s), scalar_strlen(&s));
                if Some(got) != want {
                    return Err(format!("strlen gave {got}, the reference {want:?}"));
                }
            }
            Ok(())
        }
    };
    let inputs = Rc::clone(inputs);
    Case::new(
        NAME,
        "strlen",
        name,
        label,
        (size * n_ops) as u64,
        n_ops as u64,
        move || {
            let mut sum = 0u64;
            for _ in 0..n_ops {
                sum += strlen_with(imp, black_box(&inputs.s[..])) as u64;
            }
            sum
        },
    )
    .expect(expected)
    .verify(check)
}

/// Registers the mem rows.
pub fn register(reg: &mut Registry) {
    register_sizes(reg, &SIZES);
}

/// Registers the mem rows of the given sizes.
fn register_sizes(reg: &mut Registry, sizes: &[(usize, &str)]) {
    let mut imps: Vec<(String, Result<Imp, String>)> = Backend::ALL
        .iter()
        .map(|&backend| {
            let imp = MemOps::new(backend)
                .map(Imp::Pinned)
                .map_err(|e| e.to_string());
            (format!("arsenal:{}", backend.name()), imp)
        })
        .collect();
    imps.push(("arsenal:auto".to_owned(), Ok(Imp::Auto)));
    imps.push(("arsenal:nt".to_owned(), Ok(Imp::Nt)));
    imps.push(("raw:libc".to_owned(), Ok(Imp::Libc)));
    for op in ["copy", "set", "compare", "strlen"] {
        for &(size, name) in sizes {
            let inputs = Rc::new(Inputs {
                a: if matches!(op, "copy" | "compare") {
                    data(size, 0x5A)
                } else {
                    Aligned::zeroed(0)
                },
                b: if op == "compare" {
                    let mut b = data(size, 0x5A);
                    b[size - 1] ^= 0x80;
                    b
                } else {
                    Aligned::zeroed(0)
                },
                s: if op == "strlen" {
                    let mut s = data(size, 0x33);
                    s[size - 1] = 0;
                    s
                } else {
                    Aligned::zeroed(0)
                },
            });
            for (label, imp) in &imps {
                if label == "arsenal:nt" && !(op == "copy" && size >= 1 << 20) {
                    continue;
                }
                let label = &match imp {
                    Ok(Imp::Auto) => auto_label(op, size),
                    _ => label.clone(),
                };
                let imp = match imp {
                    Ok(imp) => *imp,
                    Err(reason) => {
                        reg.add(Case::unsupported(NAME, op, name, label, reason));
                        continue;
                    }
                };
                reg.add(match op {
                    "copy" => copy_case(size, name, label, imp, &inputs),
                    "set" => set_case(size, name, label, imp),
                    "compare" => compare_case(size, name, label, imp, &inputs),
                    _ => strlen_case(size, name, label, imp, &inputs),
                });
            }
        }
    }
}

/// The row name of `arsenal:auto` for `op` on `size` bytes: `arsenal:auto` where auto
/// runs its backend's kernel, `arsenal:auto(glibc)` where it calls glibc, and
/// `arsenal:auto(nt)` where it streams past the caches ([`MemOps::route`]), so a row
/// never credits our kernels with glibc's speed.
fn auto_label(op: &str, size: usize) -> String {
    let op = match op {
        "copy" => Op::Copy,
        "set" => Op::Set,
        "compare" => Op::Compare,
        _ => Op::FindByte,
    };
    match MemOps::auto().route(op, size) {
        Route::Glibc => "arsenal:auto(glibc)".to_owned(),
        Route::Streaming(_) => "arsenal:auto(nt)".to_owned(),
        Route::Erms => "arsenal:auto(erms)".to_owned(),
        _ => "arsenal:auto".to_owned(),
    }
}

/// DRAM copy ceiling: GB/s (10^9 bytes per second) of one 256 MiB glibc `memcpy`,
/// median of 3 runs, with both buffers touched beforehand so page faults are excluded.
pub fn dram_copy_bandwidth() -> f64 {
    const N: usize = 256 << 20;
    let src = vec![0x5Au8; N];
    let mut dst = vec![0u8; N];
    dst.fill(1);
    let mut rates: Vec<f64> = (0..3)
        .map(|_| {
            let t = Instant::now();
            // SAFETY: both buffers hold `N` bytes and are distinct.
            unsafe { libc::memcpy(dst.as_mut_ptr().cast(), src.as_ptr().cast(), N) };
            black_box(&mut dst);
            N as f64 / t.elapsed().as_secs_f64() / 1e9
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    rates[1]
}

/// The domain's machine-level number: the DRAM copy ceiling, measured before the timing
/// runs (it allocates 512 MiB for a moment).
fn extras() -> Vec<Extra> {
    vec![Extra {
        domain: NAME.to_owned(),
        name: CEILING.to_owned(),
        value: Some(dram_copy_bandwidth()).filter(|gbps| gbps.is_finite()),
        unit: "GB/s".to_owned(),
        how: "one 256 MiB glibc memcpy, median of 3".to_owned(),
    }]
}

/// How to read the rows: GB/s counts the bytes of the operation once, and the DRAM-sized
/// rows are bounded by the ceiling measured for the run (when it was).
fn note(machine: &Machine) -> Option<String> {
    let ceiling = machine
        .extras
        .iter()
        .find(|extra| extra.domain == NAME && extra.name == CEILING)
        .map_or_else(String::new, |extra| {
            format!(
                " The 64MiB rows are bounded by this machine's {CEILING}: {}.",
                extra.display()
            )
        });
    Some(format!(
        "GB/s counts each operation's length once (for copy, the bytes copied, not read + \
         written); items are operations.{ceiling}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{verify_cases, Progress, Status};

    /// Every cell of the cache-sized rows verifies (backends this CPU lacks are
    /// unsupported, never FAILED); the 64MiB rows run the same code on more bytes.
    #[test]
    fn every_cell_verifies() {
        let mut reg = Registry::new();
        register_sizes(&mut reg, &SIZES[..5]);
        let rows = verify_cases(reg.into_cases(), &mut Progress::hidden());
        assert!(rows.len() >= 4 * 5 * 4, "{}", rows.len());
        for row in &rows {
            assert!(
                matches!(row.status, Status::Verified | Status::Unsupported),
                "{}: {:?}",
                row.id,
                row.error
            );
        }
        assert!(rows
            .iter()
            .any(|r| r.id == "mem/copy/16B/raw:libc" && r.status == Status::Verified));
    }

    /// A wrong copy is caught by the full comparison even where the checksum's two
    /// sampled bytes agree.
    #[test]
    fn the_reference_checks_catch_wrong_results() {
        let mut dst = vec![0u8; 64];
        let src = data(64, 1);
        copy_with(Imp::Libc, &mut dst, &src);
        dst[3] ^= 1;
        let err = same("copy", &dst, |i| src[i]).unwrap_err();
        assert!(err.contains("byte 3 of 64"), "{err}");
        assert_eq!(scalar_compare(b"ab", b"ac"), Ordering::Less);
        assert_eq!(scalar_compare(b"ab", b"ab"), Ordering::Equal);
        assert_eq!(scalar_strlen(b"ab\0c"), Some(2));
        assert_eq!(scalar_strlen(b"abc"), None);
    }

    #[test]
    fn the_note_names_the_ceiling_when_measured() {
        let mut machine = Machine::detect(&crate::harness::Profile::smoke(), None);
        assert!(!note(&machine).unwrap().contains(CEILING));
        machine.extras.push(Extra {
            domain: NAME.to_owned(),
            name: CEILING.to_owned(),
            value: Some(11.5),
            unit: "GB/s".to_owned(),
            how: "test".to_owned(),
        });
        assert!(note(&machine).unwrap().contains("11.5 GB/s (test)"));
    }

    /// The DRAM ceiling is a positive, finite rate (needs 512 MiB: opt in).
    #[test]
    #[ignore = "allocates 512 MiB; run with --ignored --nocapture to print the ceiling"]
    fn dram_ceiling_is_measured() {
        let gbps = dram_copy_bandwidth();
        eprintln!("dram_copy_bandwidth: {gbps:.2} GB/s");
        assert!(gbps.is_finite() && gbps > 0.0);
    }
}
