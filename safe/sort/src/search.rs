//! Searching sorted slices: every function returns the **lower bound**, the index of
//! the first element not less than the key (`sorted.len()` when there is none), which is
//! std's `sorted.partition_point(|x| x < key)`.
//!
//! | function | cost | best for |
//! |---|---|---|
//! | [`lower_bound_branchless`] | ⌈log₂ n⌉ steps with a conditional move, no branch to mispredict | any sorted slice |
//! | [`Eytzinger`] | the same steps over a breadth-first copy, with prefetch of the descendants four levels down | large slices, many queries |
//! | [`interpolation_lower_bound`] | O(log log n) probes on uniformly spread keys, never more than about 2 log₂ n | uniform integer keys |
//! | [`simd_lower_bound_u32`], [`simd_lower_bound_u64`] | a vectorised count of the smaller elements (AVX2 when present), n/8 or n/4 steps | small slices (up to a few hundred keys) |

use crate::{Error, ErrorKind, Result};

/// Branchless binary search: the lower bound of `key` in `sorted`, prefetching both
/// places the next step may probe.
///
/// ```
/// use arsenal_sort::search::lower_bound_branchless;
/// let v = [1, 3, 3, 5, 8];
/// assert_eq!(lower_bound_branchless(&v, &3), 1);
/// assert_eq!(lower_bound_branchless(&v, &9), 5);
/// ```
pub fn lower_bound_branchless<T: Ord>(sorted: &[T], key: &T) -> usize {
    if sorted.is_empty() {
        return 0;
    }
    let p = sorted.as_ptr();
    let mut base = 0usize;
    let mut size = sorted.len();
    // Invariant: every element before `base` is below `key`, `base + size <= len`.
    while size > 1 {
        let half = size / 2;
        let mid = base + half;
        // Both places the next step may probe, fetched while this one compares.
        prefetch(p.wrapping_add(base + half / 2));
        prefetch(p.wrapping_add(mid + half / 2));
        // SAFETY: mid = base + half < base + size <= sorted.len().
        let below = unsafe { sorted.get_unchecked(mid) } < key;
        base = select(below, mid, base);
        size -= half;
    }
    // SAFETY: base < sorted.len() (size ended at 1 with base + 1 <= len).
    base + usize::from(unsafe { sorted.get_unchecked(base) } < key)
}

/// A sorted set laid out in Eytzinger (breadth-first) order for cache-friendly binary
/// search (Khuong & Morin 2017): the first levels share cache lines, and each step
/// prefetches the cache line that holds its descendants several levels down (4 for
/// 4-byte keys, 3 for 8-byte keys). The position in the sorted input is computed from
/// the final node's index (its in-order rank in the implicit tree), not looked up.
#[derive(Debug, Clone)]
pub struct Eytzinger<T> {
    /// 1-based: `tree[0]` is unused.
    tree: Vec<T>,
    /// Levels of the implicit tree (the last one possibly partial).
    levels: u32,
    /// Nodes present on the last level.
    last: usize,
}

impl<T: Ord + Copy> Eytzinger<T> {
    /// Lays out `sorted` (which must be sorted ascending; otherwise the results are
    /// unspecified but memory-safe).
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`] when the copy cannot be allocated.
    pub fn new(sorted: &[T]) -> Result<Self> {
        let n = sorted.len();
        let mut tree = Vec::new();
        tree.try_reserve_exact(n.saturating_add(1))
            .map_err(|_| Error::new(ErrorKind::OutOfMemory, "eytzinger", "layout copy"))?;
        let levels = usize::BITS - n.leading_zeros();
        let last = if n == 0 {
            0
        } else {
            n - ((1usize << (levels - 1)) - 1)
        };
        if let Some(&first) = sorted.first() {
            tree.resize(n + 1, first);
            // In-order walk of the implicit tree, iteratively.
            let mut next = 0;
            let mut stack = Vec::new();
            let mut k = 1;
            while k <= n || !stack.is_empty() {
                while k <= n {
                    stack.push(k);
                    k *= 2;
                }
                let top = stack.pop().expect("non-empty");
                tree[top] = sorted[next];
                next += 1;
                k = 2 * top + 1;
            }
        }
        Ok(Eytzinger { tree, levels, last })
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.tree.len().saturating_sub(1)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The position in the sorted input of node `k` (1-based): its in-order rank in the
    /// perfect tree of `levels` levels, less the missing last-level nodes before it (the
    /// last level fills from the left, and in a perfect tree leaf `j` has rank `2j`).
    fn rank(&self, k: usize) -> usize {
        let depth = usize::BITS - 1 - k.leading_zeros();
        let below = self.levels - depth - 1;
        let r = ((2 * (k - (1 << depth)) + 1) << below) - 1;
        r - r.div_ceil(2).saturating_sub(self.last)
    }

    /// The lower bound of `key` in the original sorted slice.
    pub fn lower_bound(&self, key: &T) -> usize {
        let n = self.len();
        // Elements per cache line: the descendants log2(stride) levels down are
        // tree[stride·k .. stride·k + stride].
        let stride = (64 / std::mem::size_of::<T>().max(1)).clamp(1, 16);
        let mut k = 1usize;
        while k <= n {
            prefetch(self.tree.as_ptr().wrapping_add(k.wrapping_mul(stride)));
            k = 2 * k + usize::from(self.tree[k] < *key);
        }
        // Undo the final right turns: the answer is the last node where we went left.
        k >>= k.trailing_ones() + 1;
        if k == 0 {
            n
        } else {
            self.rank(k)
        }
    }
}

/// `if cond { a } else { b }` as a conditional move. LLVM turns both that `if` and its
/// arithmetic forms into a branch inside the search loop, which mispredicts on half the
/// steps (std's search uses `core::hint::select_unpredictable`, newer than our MSRV).
#[inline(always)]
fn select(cond: bool, a: usize, b: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        let mut r = b;
        // SAFETY: register-only instructions (test, cmov): no memory, no stack, no flags
        // observed after the block.
        unsafe {
            core::arch::asm!(
                "test {c}, {c}",
                "cmovnz {r}, {a}",
                c = in(reg_byte) u8::from(cond),
                a = in(reg) a,
                r = inout(reg) r,
                options(pure, nomem, nostack),
            );
        }
        r
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        if cond {
            a
        } else {
            b
        }
    }
}

#[inline(always)]
fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint: it never faults, whatever the address (the pointer
    // is formed with wrapping arithmetic and never dereferenced).
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Interpolation search: the lower bound of `key` in `sorted`, probing where the key
/// would sit if the values were evenly spread; a bisection step follows any probe that
/// did not halve the range, so skewed data costs at most about twice a binary search.
///
/// ```
/// use arsenal_sort::search::interpolation_lower_bound;
/// let v: Vec<u64> = (0..1000).map(|i| i * 10).collect();
/// assert_eq!(interpolation_lower_bound(&v, 4005), 401);
/// assert_eq!(interpolation_lower_bound(&v, u64::MAX), 1000);
/// ```
pub fn interpolation_lower_bound(sorted: &[u64], key: u64) -> usize {
    let (mut lo, mut hi) = (0usize, sorted.len());
    while hi - lo > 8 {
        let (a, b) = (sorted[lo], sorted[hi - 1]);
        if key <= a {
            return lo;
        }
        if key > b {
            return hi;
        }
        // a < key ≤ b, so b > a.
        let span = (hi - 1 - lo) as u128;
        let pos = lo + ((u128::from(key - a) * span) / u128::from(b - a)) as usize;
        let before = hi - lo;
        if sorted[pos] < key {
            lo = pos + 1;
        } else {
            hi = pos;
        }
        if (hi - lo) * 2 > before && hi - lo > 8 {
            let mid = lo + (hi - lo) / 2;
            if sorted[mid] < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
    }
    lo + sorted[lo..hi].iter().filter(|&&x| x < key).count()
}

macro_rules! simd_lower_bound {
    ($name:ident, $avx2:ident, $t:ty) => {
        /// The lower bound of `key` in `sorted` as a count of the elements below it,
        /// vectorised (AVX2 when the CPU has it, chosen at run time): linear work, so for
        /// small slices.
        pub fn $name(sorted: &[$t], key: $t) -> usize {
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU supports AVX2 (checked just above).
                return unsafe { $avx2(sorted, key) };
            }
            count_below(sorted, key)
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2")]
        unsafe fn $avx2(sorted: &[$t], key: $t) -> usize {
            count_below(sorted, key)
        }
    };
}

#[inline(always)]
fn count_below<T: Ord + Copy>(sorted: &[T], key: T) -> usize {
    sorted.iter().map(|&x| usize::from(x < key)).sum()
}

simd_lower_bound!(simd_lower_bound_u32, count_below_u32_avx2, u32);
simd_lower_bound!(simd_lower_bound_u64, count_below_u64_avx2, u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_search_is_partition_point() {
        let mut x = 1u64;
        for n in [0usize, 1, 2, 3, 7, 8, 9, 16, 17, 100, 1000, 4097] {
            for spread in [3u64, 1 << 20, u64::MAX] {
                let mut v: Vec<u64> = (0..n).map(|_| crate::xorshift64(&mut x) % spread).collect();
                v.sort_unstable();
                let e = Eytzinger::new(&v).unwrap();
                assert_eq!(e.len(), n);
                let v32: Vec<u32> = v.iter().map(|&y| y as u32).collect();
                let mut s32 = v32.clone();
                s32.sort_unstable();
                let mut probes: Vec<u64> = v.clone();
                probes.extend([0, 1, u64::MAX, u64::MAX - 1, spread / 2]);
                probes.extend(v.iter().map(|y| y.wrapping_add(1)));
                for &k in &probes {
                    let want = v.partition_point(|&y| y < k);
                    assert_eq!(lower_bound_branchless(&v, &k), want);
                    assert_eq!(e.lower_bound(&k), want, "n={n} k={k}");
                    assert_eq!(interpolation_lower_bound(&v, k), want);
                    assert_eq!(simd_lower_bound_u64(&v, k), want);
                    let k32 = k as u32;
                    assert_eq!(
                        simd_lower_bound_u32(&s32, k32),
                        s32.partition_point(|&y| y < k32)
                    );
                }
            }
        }
    }
}
