//! The native GEMM: Goto / van de Geijn blocking (as BLIS lays it out). C is walked in
//! `NC`-wide column blocks, the k dimension in `KC`-deep slabs (a `KC`×`NC` panel of B
//! packed into `NR`-wide slivers that stay in L2/L3), and each slab's rows in `MC`-tall
//! blocks (an `MC`×`KC` block of A packed into `MR`-tall slivers that stay in L2); the
//! micro-kernel multiplies one A sliver by one B sliver into an `MR`×`NR` register tile
//! and writes it into C (`alpha * AB + beta * C`) itself.
//! Block sizes come from the detected cache sizes ([`crate::native::caches`]).
//!
//! The kernels write column-major tiles, so a row-major C is computed as its transpose
//! (`Cᵀ = Bᵀ Aᵀ`, the same memory). With more than one thread
//! ([`crate::NativeBlas::set_threads`]) each thread computes its own range of C's columns
//! (its own packed buffers; A is packed by every thread, B's panels are disjoint).

use super::kernels::{Element, Micro};
use crate::view::{MatMut, MatRef};
use std::cell::RefCell;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads the native GEMM may use (`NativeBlas::set_threads`); 1 by default.
static THREADS: AtomicUsize = AtomicUsize::new(1);

/// Sets the process-wide thread count of the native GEMM (`0` is taken as 1).
pub(crate) fn set_threads(n: usize) {
    THREADS.store(n.max(1), Ordering::Relaxed);
}

/// The process-wide thread count of the native GEMM.
pub(crate) fn threads() -> usize {
    THREADS.load(Ordering::Relaxed)
}

/// Below this many multiply-adds a call stays on the calling thread (spawning costs tens
/// of microseconds).
const PARALLEL_MIN_MACS: usize = 1 << 22;

/// `c = alpha * a * b + beta * c` (shapes already checked: a m×k, b k×n, c m×n). With
/// `beta == 0`, `c` is overwritten (its NaNs do not propagate), as in BLAS.
pub(crate) fn gemm<T: Element>(
    alpha: T,
    a: MatRef<'_, T>,
    b: MatRef<'_, T>,
    beta: T,
    c: MatMut<'_, T>,
) {
    let (m, n, k) = (c.rows(), c.cols(), a.cols());
    if m == 0 || n == 0 {
        return;
    }
    let mut c = c;
    if k == 0 || alpha == T::ZERO {
        scale(beta, &mut c);
        return;
    }
    // Column-major tiles: a C with unit column stride (row-major) is computed as Cᵀ.
    let (rs, cs) = c.strides();
    let (a, b, mut c) = if cs == 1 && rs != 1 {
        (b.t(), a.t(), c.t())
    } else {
        (a, b, c)
    };
    let (m, n) = (c.rows(), c.cols());
    let micro = T::micro();
    let (rs, cs) = c.strides();
    let data = c.data_mut();
    let out = Out {
        ptr: data.as_mut_ptr(),
        len: data.len(),
        rs,
        cs,
    };
    let threads = threads()
        .min(n.div_ceil(micro.nr))
        .min((m * n).saturating_mul(k) / PARALLEL_MIN_MACS)
        .max(1);
    if threads == 1 {
        serial(alpha, &a, &b, beta, &out, 0..n);
        return;
    }
    // Column ranges in whole `nr` slivers, as even as they come.
    let slivers = n.div_ceil(micro.nr);
    std::thread::scope(|scope| {
        let (a, b, out) = (&a, &b, &out);
        let mut start = 0;
        for t in 0..threads {
            let count = slivers / threads + usize::from(t < slivers % threads);
            let end = (start + count * micro.nr).min(n);
            let cols = start..end;
            start = end;
            if t + 1 == threads {
                // The calling thread takes the last range.
                serial(alpha, a, b, beta, out, cols);
            } else {
                scope.spawn(move || serial(alpha, a, b, beta, out, cols));
            }
        }
    });
}

/// C's memory as the threads share it: each thread writes only the columns of its range,
/// so no element is reached by two threads.
struct Out<T> {
    ptr: *mut T,
    len: usize,
    rs: usize,
    cs: usize,
}

// SAFETY: `Out` is the exclusive borrow of C's slice (taken from the `MatMut` for the
// duration of the scoped threads) split by column ranges: the threads write disjoint
// elements (the view is injective, checked when it was made), and `T` is `Send`.
unsafe impl<T: Send> Sync for Out<T> {}

impl<T: Element> Out<T> {
    /// Index of element (i, j), checked against the slice (a failure is a bug here, so
    /// it panics rather than writing out of bounds).
    #[inline(always)]
    fn index(&self, i: usize, j: usize) -> usize {
        let at = i * self.rs + j * self.cs;
        assert!(at < self.len, "native GEMM: tile outside C");
        at
    }
}

thread_local! {
    /// Packing buffers reused across calls on one thread (as `u64` words: 8-byte
    /// aligned, reinterpreted as `f32` / `f64`).
    static SCRATCH: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with two packing buffers of `a_len` and `b_len` elements, each starting on
/// a 64-byte boundary (full-vector loads of a sliver never straddle two cache lines).
fn with_scratch<T: Element, R>(
    a_len: usize,
    b_len: usize,
    f: impl FnOnce(&mut [T], &mut [T]) -> R,
) -> R {
    let size = std::mem::size_of::<T>();
    const { assert!(std::mem::align_of::<T>() <= 8) };
    // Elements per 64 bytes; each buffer is padded so the next one starts aligned too.
    let line = 64 / size;
    let a_pad = a_len.div_ceil(line) * line;
    let words = ((a_pad + b_len) * size).div_ceil(8) + 8;
    let run = |buf: &mut Vec<u64>| {
        if buf.len() < words {
            buf.resize(words, 0);
        }
        let skip = buf.as_ptr().align_offset(64);
        // SAFETY: `T` is `f32` or `f64` (the crate's only `Element` types): plain data
        // for which every bit pattern is a value, alignment at most 8 (asserted above),
        // which `u64` storage satisfies. The slice starts `skip < 8` words in and spans
        // `(a_pad + b_len) * size` bytes, within the `words * 8` bytes of `buf`, and is
        // the only live reference to that memory for the closure's duration.
        let all = unsafe {
            std::slice::from_raw_parts_mut(buf.as_mut_ptr().add(skip).cast::<T>(), a_pad + b_len)
        };
        let (pa, pb) = all.split_at_mut(a_pad);
        f(&mut pa[..a_len], pb)
    };
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => run(&mut buf),
        // Re-entered on this thread (cannot happen today): a fresh buffer.
        Err(_) => run(&mut Vec::new()),
    })
}

/// Columns `cols` of `C = alpha * A * B + beta * C` on the calling thread.
fn serial<T: Element>(
    alpha: T,
    a: &MatRef<'_, T>,
    b: &MatRef<'_, T>,
    beta: T,
    c: &Out<T>,
    cols: Range<usize>,
) {
    let (m, k) = (a.rows(), a.cols());
    let n = cols.len();
    let micro: &Micro<T> = T::micro();
    let (mr, nr) = (micro.mr, micro.nr);
    let blocks = super::caches::blocks(micro, std::mem::size_of::<T>());
    // Blocks no larger than the problem (the packed buffers are sized by them).
    let (kc_max, mc_max, nc_max) = (blocks.kc.min(k), blocks.mc.min(m), blocks.nc.min(n));
    let a_len = mc_max.div_ceil(mr) * mr * kc_max;
    let b_len = nc_max.div_ceil(nr) * nr * kc_max;
    with_scratch::<T, _>(a_len, b_len, |pa, pb| {
        for jc in (0..n).step_by(nc_max) {
            let nc = nc_max.min(n - jc);
            for pc in (0..k).step_by(kc_max) {
                let kc = kc_max.min(k - pc);
                pack_b(b, pc, kc, cols.start + jc, nc, nr, pb);
                // The first slab applies beta; the later ones accumulate.
                let beta_here = if pc == 0 { beta } else { T::ONE };
                for ic in (0..m).step_by(mc_max) {
                    let mc = mc_max.min(m - ic);
                    pack_a(a, ic, mc, pc, kc, mr, pa);
                    for jr in (0..nc).step_by(nr) {
                        let b_sliver = &pb[(jr / nr) * nr * kc..][..nr * kc];
                        for ir in (0..mc).step_by(mr) {
                            let a_sliver = &pa[(ir / mr) * mr * kc..][..mr * kc];
                            let tile = Tile {
                                i0: ic + ir,
                                j0: cols.start + jc + jr,
                                rows: mr.min(mc - ir),
                                cols: nr.min(nc - jr),
                            };
                            run_tile(micro, kc, a_sliver, b_sliver, c, &tile, alpha, beta_here);
                        }
                    }
                }
            }
        }
    });
}

/// Where a micro-tile lands in C (clipped at C's edges).
struct Tile {
    i0: usize,
    j0: usize,
    rows: usize,
    cols: usize,
}

/// One micro-kernel call: straight into C when the tile is whole and C's columns are
/// contiguous, else into a local tile copied out element by element.
#[allow(clippy::too_many_arguments)]
#[inline]
fn run_tile<T: Element>(
    micro: &Micro<T>,
    kc: usize,
    a_sliver: &[T],
    b_sliver: &[T],
    c: &Out<T>,
    tile: &Tile,
    alpha: T,
    beta: T,
) {
    let (mr, nr) = (micro.mr, micro.nr);
    debug_assert!(a_sliver.len() >= mr * kc && b_sliver.len() >= nr * kc);
    if c.rs == 1 && tile.rows == mr && tile.cols == nr {
        let first = c.index(tile.i0, tile.j0);
        let last = c.index(tile.i0 + mr - 1, tile.j0 + nr - 1);
        debug_assert_eq!(last, first + mr - 1 + (nr - 1) * c.cs);
        // SAFETY: the slivers hold `mr * kc` and `nr * kc` elements (sliced above); the
        // tile's elements `first + i + j * cs` (i < mr, j < nr) lie between `first` and
        // `last`, both checked inside C's slice, and belong to this thread's columns
        // (`Out`'s contract); the kernel was chosen for this CPU's features.
        unsafe {
            (micro.kernel)(
                kc,
                a_sliver.as_ptr(),
                b_sliver.as_ptr(),
                c.ptr.add(first),
                c.cs,
                alpha,
                beta,
            )
        };
        return;
    }
    // Edge tiles and C without a unit row stride: a local column-major tile.
    let mut ab = [T::ZERO; MAX_TILE];
    debug_assert!(mr * nr <= MAX_TILE);
    // SAFETY: as above for the slivers; `ab` holds `MAX_TILE >= mr * nr` elements, the
    // tile with leading dimension `mr`; beta = 0 does not read it.
    unsafe {
        (micro.kernel)(
            kc,
            a_sliver.as_ptr(),
            b_sliver.as_ptr(),
            ab.as_mut_ptr(),
            mr,
            T::ONE,
            T::ZERO,
        )
    };
    for j in 0..tile.cols {
        for i in 0..tile.rows {
            let at = c.index(tile.i0 + i, tile.j0 + j);
            let v = alpha * ab[i + j * mr];
            // SAFETY: `at` is inside C's slice (checked by `index`) and in this thread's
            // columns (`Out`'s contract).
            unsafe {
                let d = c.ptr.add(at);
                *d = if beta == T::ZERO { v } else { v + beta * *d };
            }
        }
    }
}

/// The largest `mr * nr` of any kernel (32×12, f32 with AVX-512).
const MAX_TILE: usize = 32 * 12;

/// `c = beta * c` (`beta == 0` writes zeros).
fn scale<T: Element>(beta: T, c: &mut MatMut<'_, T>) {
    if beta == T::ONE {
        return;
    }
    for j in 0..c.cols() {
        for i in 0..c.rows() {
            let cij = c.at_mut(i, j);
            *cij = if beta == T::ZERO {
                T::ZERO
            } else {
                beta * *cij
            };
        }
    }
}

/// Packs rows `i0..i0 + mc`, columns `p0..p0 + kc` of A into `mr`-tall slivers, each
/// stored k-major (`mr` consecutive elements per k), the last one zero-padded.
fn pack_a<T: Element>(
    a: &MatRef<'_, T>,
    i0: usize,
    mc: usize,
    p0: usize,
    kc: usize,
    mr: usize,
    pa: &mut [T],
) {
    let (rs, cs) = a.strides();
    let data = a.data();
    for (s, ir) in (0..mc).step_by(mr).enumerate() {
        let rows = mr.min(mc - ir);
        let sliver = &mut pa[s * mr * kc..][..mr * kc];
        pack_sliver(data, i0 + ir, rows, rs, p0, kc, cs, mr, sliver);
    }
}

/// Packs rows `p0..p0 + kc`, columns `j0..j0 + nc` of B into `nr`-wide slivers, each
/// stored k-major (`nr` consecutive elements per k), the last one zero-padded.
fn pack_b<T: Element>(
    b: &MatRef<'_, T>,
    p0: usize,
    kc: usize,
    j0: usize,
    nc: usize,
    nr: usize,
    pb: &mut [T],
) {
    // B's columns play the part of A's rows: the same packing on the transpose.
    let (rs, cs) = b.strides();
    let data = b.data();
    for (s, jr) in (0..nc).step_by(nr).enumerate() {
        let cols = nr.min(nc - jr);
        let sliver = &mut pb[s * nr * kc..][..nr * kc];
        pack_sliver(data, j0 + jr, cols, cs, p0, kc, rs, nr, sliver);
    }
}

/// One sliver: `sliver[p * width + r] = data[(r0 + r) * r_stride + (p0 + p) * p_stride]`
/// for `r < rows`, zero for `rows <= r < width`. Three forms: unit stride along the
/// sliver's width (a copy per k), unit stride along k (a transpose, one contiguous run
/// per row read), anything else element by element.
#[allow(clippy::too_many_arguments)]
#[inline]
fn pack_sliver<T: Element>(
    data: &[T],
    r0: usize,
    rows: usize,
    r_stride: usize,
    p0: usize,
    kc: usize,
    p_stride: usize,
    width: usize,
    sliver: &mut [T],
) {
    let sliver = &mut sliver[..width * kc];
    if rows < width {
        sliver.fill(T::ZERO);
    }
    if r_stride == 1 {
        for (p, dst) in sliver.chunks_exact_mut(width).enumerate() {
            let start = r0 + (p0 + p) * p_stride;
            dst[..rows].copy_from_slice(&data[start..start + rows]);
        }
    } else if p_stride == 1 {
        // Four source rows at a time: four contiguous reads, each store a short run.
        let mut r = 0;
        while r + 4 <= rows {
            let row = |d: usize| &data[(r0 + r + d) * r_stride + p0..][..kc];
            let (x0, x1, x2, x3) = (row(0), row(1), row(2), row(3));
            for (p, dst) in sliver.chunks_exact_mut(width).enumerate() {
                let dst = &mut dst[r..r + 4];
                dst[0] = x0[p];
                dst[1] = x1[p];
                dst[2] = x2[p];
                dst[3] = x3[p];
            }
            r += 4;
        }
        for r in r..rows {
            let src = &data[(r0 + r) * r_stride + p0..][..kc];
            for (dst, &v) in sliver.chunks_exact_mut(width).zip(src) {
                dst[r] = v;
            }
        }
    } else {
        for (p, dst) in sliver.chunks_exact_mut(width).enumerate() {
            for (r, d) in dst[..rows].iter_mut().enumerate() {
                *d = data[(r0 + r) * r_stride + (p0 + p) * p_stride];
            }
        }
    }
}

/// Which micro-kernel [`gemm`] runs for `T` on this CPU (`"avx512"`, `"avx2"`, `"scalar"`).
pub(crate) fn kernel_name<T: Element>() -> &'static str {
    let micro: &Micro<T> = T::micro();
    micro.name
}
