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
//! | `arsenal:scalar`, `arsenal:sse2`, `arsenal:avx2`, `arsenal:avx512` | [`arsenal_memops::MemOps`] pinned to that variant, through its safe slice API (rows for variants this CPU lacks are failed cells) |
//! | `arsenal:auto` | the free functions ([`arsenal_memops::copy`] ...): the variant chosen at run time |
//! | `arsenal:nt` (copy, 1 MiB and up) | [`arsenal_memops::Strategy::Streaming`]: non-temporal stores + `sfence` |
//! | `raw:libc` | glibc `memcpy` / `memset` / `memcmp` / `strlen` through the `libc` crate |
//!
//! `compare` compares two equal-length buffers that differ only in the last byte (a full
//! scan); `strlen` scans a buffer whose only NUL is its last byte. Checksums come from
//! the results (the destination's bytes, the ordering, the length) and are equal across
//! implementations.

use crate::harness::{Case, Registry};
use arsenal_memops::{MemOps, Strategy, Variant};
use std::hint::black_box;
use std::time::Instant;

const DOMAIN: &str = "mem";

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

fn data(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| ((i as u8).wrapping_mul(13) ^ seed) | 1)
        .collect()
}

fn ord_code(o: std::cmp::Ordering) -> u64 {
    (o as i8 + 2) as u64
}

fn copy_case(size: usize, name: &str, label: &str, imp: Imp) -> Case {
    let n_ops = reps(size);
    let src = data(size, 0x5A);
    let mut dst = vec![0u8; size];
    Case::new(
        DOMAIN,
        "copy",
        name,
        label,
        (size * n_ops) as u64,
        n_ops as u64,
        move || {
            let mut sum = 0u64;
            for _ in 0..n_ops {
                let (d, s) = (black_box(&mut dst[..]), black_box(&src[..]));
                match imp {
                    Imp::Pinned(ops) => ops.copy(d, s).expect("equal lengths"),
                    Imp::Auto => arsenal_memops::copy(d, s).expect("equal lengths"),
                    Imp::Nt => {
                        arsenal_memops::copy_with(Strategy::Streaming, d, s).expect("equal lengths")
                    }
                    // SAFETY: both buffers hold `size` bytes and are distinct.
                    Imp::Libc => unsafe {
                        libc::memcpy(d.as_mut_ptr().cast(), s.as_ptr().cast(), size);
                    },
                }
                sum += u64::from(dst[size - 1]) + u64::from(dst[size / 2]);
            }
            sum
        },
    )
}

fn set_case(size: usize, name: &str, label: &str, imp: Imp) -> Case {
    let n_ops = reps(size);
    let mut dst = vec![0u8; size];
    Case::new(
        DOMAIN,
        "set",
        name,
        label,
        (size * n_ops) as u64,
        n_ops as u64,
        move || {
            let mut sum = 0u64;
            for i in 0..n_ops {
                let value = (i as u8) | 0x80;
                let d = black_box(&mut dst[..]);
                match imp {
                    Imp::Pinned(ops) => ops.set(d, value),
                    Imp::Auto | Imp::Nt => arsenal_memops::set(d, value),
                    // SAFETY: `d` holds `size` writable bytes.
                    Imp::Libc => unsafe {
                        libc::memset(d.as_mut_ptr().cast(), i32::from(value), size);
                    },
                }
                sum += u64::from(dst[size - 1]) + u64::from(dst[0]);
            }
            sum
        },
    )
}

fn compare_case(size: usize, name: &str, label: &str, imp: Imp) -> Case {
    let n_ops = reps(size);
    let a = data(size, 0x21);
    let mut b = a.clone();
    b[size - 1] ^= 0x80;
    Case::new(
        DOMAIN,
        "compare",
        name,
        label,
        (size * n_ops) as u64,
        n_ops as u64,
        move || {
            let mut sum = 0u64;
            for _ in 0..n_ops {
                let (x, y) = (black_box(&a[..]), black_box(&b[..]));
                let o = match imp {
                    Imp::Pinned(ops) => ops.compare(x, y),
                    Imp::Auto | Imp::Nt => arsenal_memops::compare(x, y),
                    Imp::Libc => {
                        // SAFETY: both buffers hold `size` readable bytes.
                        let r = unsafe { libc::memcmp(x.as_ptr().cast(), y.as_ptr().cast(), size) };
                        r.cmp(&0)
                    }
                };
                sum += ord_code(o);
            }
            sum
        },
    )
}

fn strlen_case(size: usize, name: &str, label: &str, imp: Imp) -> Case {
    let n_ops = reps(size);
    let mut s = data(size, 0x33);
    s[size - 1] = 0;
    Case::new(
        DOMAIN,
        "strlen",
        name,
        label,
        (size * n_ops) as u64,
        n_ops as u64,
        move || {
            let mut sum = 0u64;
            for _ in 0..n_ops {
                let x = black_box(&s[..]);
                let len = match imp {
                    Imp::Pinned(ops) => ops.strlen(x).expect("has a NUL"),
                    Imp::Auto | Imp::Nt => arsenal_memops::strlen(x).expect("has a NUL"),
                    // SAFETY: `x` is NUL-terminated within its bounds (last byte).
                    Imp::Libc => unsafe { libc::strlen(x.as_ptr().cast()) },
                };
                sum += len as u64;
            }
            sum
        },
    )
}

/// Registers the mem rows.
pub fn register(reg: &mut Registry) {
    type Make = fn(usize, &str, &str, Imp) -> Case;
    let ops: [(&str, Make); 4] = [
        ("copy", copy_case),
        ("set", set_case),
        ("compare", compare_case),
        ("strlen", strlen_case),
    ];
    for (op, make) in ops {
        for (size, name) in SIZES {
            for v in Variant::ALL {
                let label = format!("arsenal:{}", v.name());
                match MemOps::new(v) {
                    Ok(pinned) => reg.add(make(size, name, &label, Imp::Pinned(pinned))),
                    Err(e) => reg.add(Case::failed(DOMAIN, op, name, label, e.to_string())),
                }
            }
            reg.add(make(size, name, "arsenal:auto", Imp::Auto));
            if op == "copy" && size >= 1 << 20 {
                reg.add(make(size, name, "arsenal:nt", Imp::Nt));
            }
            reg.add(make(size, name, "raw:libc", Imp::Libc));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every implementation of a row returns the same checksum.
    #[test]
    fn checksums_agree_per_row() {
        let mut reg = Registry::new();
        register(&mut reg);
        let mut by_row: std::collections::BTreeMap<String, Vec<(String, u64)>> = Default::default();
        for mut case in reg.into_cases() {
            if case.error.is_some() || case.dataset == "64MiB" {
                continue;
            }
            let row = format!("{}/{}", case.op, case.dataset);
            let sum = (case.run)();
            assert_ne!(sum, 0, "{}", case.id());
            by_row.entry(row).or_default().push((case.imp.clone(), sum));
        }
        assert_eq!(by_row.len(), 4 * 5);
        for (row, sums) in by_row {
            assert!(sums.len() >= 3, "{row}: {sums:?}");
            assert!(sums.windows(2).all(|w| w[0].1 == w[1].1), "{row}: {sums:?}");
        }
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
