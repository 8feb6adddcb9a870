//! Block sizes for the native GEMM from the CPU's cache sizes (Linux sysfs; fixed
//! defaults elsewhere).

use super::kernels::Micro;
use std::sync::OnceLock;

/// Data cache sizes in bytes: L1d, L2, last level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheSizes {
    /// Level-1 data cache of one core.
    pub l1d: usize,
    /// Level-2 cache of one core.
    pub l2: usize,
    /// The last-level cache (shared).
    pub l3: usize,
}

/// The sizes of CPU 0's caches (sysfs), with common defaults (32 KiB, 1 MiB, 8 MiB) for
/// what cannot be read.
pub fn cache_sizes() -> CacheSizes {
    static SIZES: OnceLock<CacheSizes> = OnceLock::new();
    *SIZES.get_or_init(|| {
        let mut sizes = CacheSizes {
            l1d: 32 << 10,
            l2: 1 << 20,
            l3: 8 << 20,
        };
        let Ok(entries) = std::fs::read_dir("/sys/devices/system/cpu/cpu0/cache") else {
            return sizes;
        };
        for entry in entries.flatten() {
            let read = |what: &str| std::fs::read_to_string(entry.path().join(what)).ok();
            let (Some(level), Some(kind), Some(size)) = (read("level"), read("type"), read("size"))
            else {
                continue;
            };
            let size = size.trim();
            let bytes = match size.strip_suffix('K') {
                Some(k) => k.parse::<usize>().ok().map(|k| k << 10),
                None => match size.strip_suffix('M') {
                    Some(m) => m.parse::<usize>().ok().map(|m| m << 20),
                    None => size.parse().ok(),
                },
            };
            let Some(bytes) = bytes.filter(|&b| b > 0) else {
                continue;
            };
            match (level.trim(), kind.trim()) {
                ("1", "Data") => sizes.l1d = bytes,
                ("2", "Unified" | "Data") => sizes.l2 = bytes,
                ("3", "Unified") => sizes.l3 = bytes,
                _ => {}
            }
        }
        sizes
    })
}

/// The GEMM blocking for one kernel and element size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Blocks {
    pub kc: usize,
    pub mc: usize,
    pub nc: usize,
}

/// `kc`: one A sliver and one B sliver (`(mr + nr)`×`kc`) fill 5/8 of L1 (the rest is
/// left to C's tile and the next slivers: larger slabs measured slower, 256 against 128
/// for f64 on a 48 KiB L1); `mc`: the packed A block (`mc`×`kc`) 3/8 of L2; `nc`: the
/// packed B panel (`kc`×`nc`) a quarter of the last-level cache (it is shared), at most
/// 4096 columns.
pub(crate) fn blocks<T>(micro: &Micro<T>, elem: usize) -> Blocks {
    let sizes = cache_sizes();
    let round = |x: usize, to: usize| (x / to).max(1) * to;
    let sliver_pair = (micro.mr + micro.nr) * elem;
    let kc = round((sizes.l1d * 5 / 8 / sliver_pair).clamp(64, 512), 8);
    let mc = round(
        (sizes.l2 * 3 / 8 / (kc * elem)).clamp(micro.mr, 1024),
        micro.mr,
    );
    let nc = round((sizes.l3 / 4 / (kc * elem)).clamp(micro.nr, 4096), micro.nr);
    Blocks { kc, mc, nc }
}
