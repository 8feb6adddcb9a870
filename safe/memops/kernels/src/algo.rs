//! Algorithms shared by every backend, instantiated per backend by macros so that each
//! copy is compiled with that backend's `#[target_feature]` set (a generic function
//! could not inline the intrinsics).
//!
//! Every access stays inside `[p, p + n)`: tails are handled with loads and stores that
//! overlap bytes already handled (never past the end), and sizes up to 64 bytes take the
//! branchy small path in [`small_move`] / [`small_set`].

/// Sizes up to this many bytes take the small path (overlapping head/tail accesses, no
/// loop).
pub const SMALL: usize = 64;

/// Reads an unaligned `T` at `p`.
///
/// # Safety
/// `p..p + size_of::<T>()` must be readable.
#[inline(always)]
unsafe fn rd<T: Copy>(p: *const u8) -> T {
    // SAFETY: the caller guarantees `size_of::<T>()` readable bytes; `read_unaligned`
    // has no alignment requirement.
    unsafe { p.cast::<T>().read_unaligned() }
}

/// Writes an unaligned `T` at `p`.
///
/// # Safety
/// `p..p + size_of::<T>()` must be writable.
#[inline(always)]
unsafe fn wr<T: Copy>(p: *mut u8, v: T) {
    // SAFETY: the caller guarantees `size_of::<T>()` writable bytes.
    unsafe { p.cast::<T>().write_unaligned(v) }
}

/// Copies `n <= 64` bytes from `s` to `d` with at most four loads, all done before the
/// first store, so `s` and `d` may overlap (memmove semantics).
///
/// # Safety
/// `s..s + n` readable, `d..d + n` writable, `n <= 64`.
#[inline(always)]
pub unsafe fn small_move(d: *mut u8, s: *const u8, n: usize) {
    debug_assert!(n <= SMALL);
    // SAFETY: every access below lies in `[0, n)` of its buffer: the branches pick access
    // widths no larger than `n` (head at 0, tail ending at `n`).
    unsafe {
        if n >= 16 {
            if n <= 32 {
                let a: u128 = rd(s);
                let b: u128 = rd(s.add(n - 16));
                wr(d, a);
                wr(d.add(n - 16), b);
            } else {
                let a: u128 = rd(s);
                let b: u128 = rd(s.add(16));
                let c: u128 = rd(s.add(n - 32));
                let e: u128 = rd(s.add(n - 16));
                wr(d, a);
                wr(d.add(16), b);
                wr(d.add(n - 32), c);
                wr(d.add(n - 16), e);
            }
        } else if n >= 8 {
            let a: u64 = rd(s);
            let b: u64 = rd(s.add(n - 8));
            wr(d, a);
            wr(d.add(n - 8), b);
        } else if n >= 4 {
            let a: u32 = rd(s);
            let b: u32 = rd(s.add(n - 4));
            wr(d, a);
            wr(d.add(n - 4), b);
        } else if n > 0 {
            let a = *s;
            let b = *s.add(n / 2);
            let c = *s.add(n - 1);
            *d = a;
            *d.add(n / 2) = b;
            *d.add(n - 1) = c;
        }
    }
}

/// Fills `n <= 64` bytes at `d` with `v` using overlapping head/tail stores.
///
/// # Safety
/// `d..d + n` writable, `n <= 64`.
#[inline(always)]
pub unsafe fn small_set(d: *mut u8, v: u8, n: usize) {
    debug_assert!(n <= SMALL);
    let v16 = u128::from_ne_bytes([v; 16]);
    // SAFETY: as in `small_move`, every store lies in `[0, n)`.
    unsafe {
        if n >= 16 {
            wr(d, v16);
            wr(d.add(n - 16), v16);
            if n > 32 {
                wr(d.add(16), v16);
                wr(d.add(n - 32), v16);
            }
        } else if n >= 8 {
            wr(d, v16 as u64);
            wr(d.add(n - 8), v16 as u64);
        } else if n >= 4 {
            wr(d, v16 as u32);
            wr(d.add(n - 4), v16 as u32);
        } else if n > 0 {
            *d = v;
            *d.add(n / 2) = v;
            *d.add(n - 1) = v;
        }
    }
}

/// The forward block loop of `forward` (with `store`) and `copy_stream` (with the
/// backend's non-temporal `stream`): loads the head and tail blocks first, then copies
/// the middle in blocks whose stores (`$put`) are aligned to `W`, four at a time, and
/// evaluates to `(head, tail, end)` for the caller to store last at `d` and `d + end`.
/// Expanded inside an `unsafe` block of a backend function with `n >= W` (the callers'
/// safety comments give the bounds); `W`, `load` and `$put` resolve there.
macro_rules! forward_blocks {
    ($d:ident, $s:ident, $n:ident, $put:ident) => {{
        let head = load($s);
        let tail = load($s.add($n - W));
        let end = $n - W;
        let mut i = W - ($d as usize & (W - 1));
        while i + 4 * W <= end {
            let a = load($s.add(i));
            let b = load($s.add(i + W));
            let c = load($s.add(i + 2 * W));
            let e = load($s.add(i + 3 * W));
            $put($d.add(i), a);
            $put($d.add(i + W), b);
            $put($d.add(i + 2 * W), c);
            $put($d.add(i + 3 * W), e);
            i += 4 * W;
        }
        while i < end {
            $put($d.add(i), load($s.add(i)));
            i += W;
        }
        (head, tail, end)
    }};
}

/// The block loop of `set` (with `store`) and `set_stream` (with the backend's
/// non-temporal `stream`): stores the head block, then fills the middle in blocks whose
/// stores (`$put`) are aligned to `W`, four at a time, and evaluates to `(v, end)` for
/// the caller to store the tail block `v` at `d + end` last. Expanded inside an `unsafe`
/// block of a backend function with `n > SMALL >= W`; `W`, `splat` and `store` resolve
/// there.
macro_rules! fill_blocks {
    ($d:ident, $value:ident, $n:ident, $put:ident) => {{
        let v = splat($value);
        store($d, v);
        let end = $n - W;
        let mut i = W - ($d as usize & (W - 1));
        while i + 4 * W <= end {
            $put($d.add(i), v);
            $put($d.add(i + W), v);
            $put($d.add(i + 2 * W), v);
            $put($d.add(i + 3 * W), v);
            i += 4 * W;
        }
        while i < end {
            $put($d.add(i), v);
            i += W;
        }
        (v, end)
    }};
}

/// Generates `forward`, `backward`, `copy`, `move_` and `set` from the backend's `W`
/// (block width, a power of two, `W <= 64`), `V` (block type), `load`, `store` and
/// `splat`, all in scope at the invocation. The attributes given are put on every
/// generated function (the backend's `#[target_feature]`).
macro_rules! block_ops {
    ($(#[$attr:meta])*) => {
        /// Forward copy of `n > 64` bytes; correct for non-overlapping buffers and for
        /// `d < s`. Head and tail blocks are loaded first and stored last, the middle
        /// goes in blocks whose stores are aligned to `W`.
        ///
        /// # Safety
        /// `s..s + n` readable, `d..d + n` writable, `n >= W`, and no overlap with
        /// `d > s`.
        $(#[$attr])*
        #[inline]
        unsafe fn forward(d: *mut u8, s: *const u8, n: usize) {
            // SAFETY: `n >= W`, so the head (`[0, W)`) and tail (`[n - W, n)`) blocks are
            // in bounds; the loops store blocks `[i, i + W)` only while `i < n - W`, so
            // `i + W < n`. With `d < s` every load happens before any store to the
            // same address: stores trail loads.
            unsafe {
                let (head, tail, end) = forward_blocks!(d, s, n, store);
                store(d.add(end), tail);
                store(d, head);
            }
        }

        /// Backward copy of `n > 64` bytes for overlapping buffers with `d > s`.
        ///
        /// # Safety
        /// `s..s + n` readable, `d..d + n` writable, `n >= W`.
        $(#[$attr])*
        #[inline]
        unsafe fn backward(d: *mut u8, s: *const u8, n: usize) {
            // SAFETY: blocks `[i, i + W)` with `0 < i <= n - W` are in bounds; blocks go
            // from high to low addresses and, with `d > s`, each block's stores land
            // above every byte still to be loaded.
            unsafe {
                let head = load(s);
                let tail = load(s.add(n - W));
                let last = n - W;
                let mut i = last.saturating_sub((d as usize + last) & (W - 1));
                while i >= 4 * W {
                    let a = load(s.add(i));
                    let b = load(s.add(i - W));
                    let c = load(s.add(i - 2 * W));
                    let e = load(s.add(i - 3 * W));
                    store(d.add(i), a);
                    store(d.add(i - W), b);
                    store(d.add(i - 2 * W), c);
                    store(d.add(i - 3 * W), e);
                    i -= 4 * W;
                }
                while i > 0 {
                    store(d.add(i), load(s.add(i)));
                    i = i.saturating_sub(W);
                }
                store(d.add(last), tail);
                store(d, head);
            }
        }

        /// memcpy.
        ///
        /// # Safety
        /// `s..s + n` readable, `d..d + n` writable, no overlap.
        $(#[$attr])*
        pub unsafe fn copy(d: *mut u8, s: *const u8, n: usize) {
            // SAFETY: forwarded caller contract; `n > SMALL >= W` on the block path.
            unsafe {
                if n <= $crate::algo::SMALL {
                    $crate::algo::small_move(d, s, n);
                } else {
                    forward(d, s, n);
                }
            }
        }

        /// memmove.
        ///
        /// # Safety
        /// `s..s + n` readable, `d..d + n` writable; overlap allowed.
        $(#[$attr])*
        pub unsafe fn move_(d: *mut u8, s: *const u8, n: usize) {
            // SAFETY: forwarded caller contract. `d - s >= n` (wrapping) means `d` is
            // below `s` or past its end, where a forward copy is correct.
            unsafe {
                if n <= $crate::algo::SMALL {
                    $crate::algo::small_move(d, s, n);
                } else if (d as usize).wrapping_sub(s as usize) >= n {
                    forward(d, s, n);
                } else if d as usize != s as usize {
                    backward(d, s, n);
                }
            }
        }

        /// memset.
        ///
        /// # Safety
        /// `d..d + n` writable.
        $(#[$attr])*
        pub unsafe fn set(d: *mut u8, value: u8, n: usize) {
            // SAFETY: blocks `[i, i + W)` with `i < n - W`, plus the tail block at
            // `n - W`, are in bounds since `n > SMALL >= W`.
            unsafe {
                if n <= $crate::algo::SMALL {
                    $crate::algo::small_set(d, value, n);
                    return;
                }
                let (v, end) = fill_blocks!(d, value, n, store);
                store(d.add(end), v);
            }
        }
    };
}

/// Generates `compare`, `find`, `copy_nt` and `copy_stream` for a SIMD backend from
/// `W`, `load`, `store`, `stream`, `splat`, `eq_mask` (bit `k` set when lane `k` is
/// equal), `FULL` (all `W` lane bits set) and `short_compare` / `short_find` (inputs
/// shorter than `W`), in scope at the invocation.
macro_rules! simd_ops {
    ($(#[$attr:meta])*) => {
        /// memcmp (first differing byte decides).
        ///
        /// # Safety
        /// `a..a + n` and `b..b + n` readable.
        $(#[$attr])*
        pub unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> core::cmp::Ordering {
            // SAFETY: blocks `[i, i + W)` with `i + W <= n`; the tail block starts at
            // `n - W >= 0`; shorter inputs go to the backend's short routine.
            unsafe {
                if n < W {
                    return short_compare(a, b, n);
                }
                // One unaligned block, then blocks aligned on `a` (re-reading a few
                // bytes already known equal) so its loads never split a cache line.
                let m = eq_mask(load(a), load(b));
                if m != FULL {
                    let k = (!m).trailing_zeros() as usize;
                    return (*a.add(k)).cmp(&*b.add(k));
                }
                let mut i = W - (a as usize & (W - 1));
                while i + 4 * W <= n {
                    let m0 = eq_mask(load(a.add(i)), load(b.add(i)));
                    let m1 = eq_mask(load(a.add(i + W)), load(b.add(i + W)));
                    let m2 = eq_mask(load(a.add(i + 2 * W)), load(b.add(i + 2 * W)));
                    let m3 = eq_mask(load(a.add(i + 3 * W)), load(b.add(i + 3 * W)));
                    if (m0 & m1 & m2 & m3) != FULL {
                        for (j, m) in [m0, m1, m2, m3].into_iter().enumerate() {
                            if m != FULL {
                                let k = i + j * W + (!m).trailing_zeros() as usize;
                                return (*a.add(k)).cmp(&*b.add(k));
                            }
                        }
                    }
                    i += 4 * W;
                }
                loop {
                    if i >= n {
                        return core::cmp::Ordering::Equal;
                    }
                    if i + W > n {
                        i = n - W;
                    }
                    let m = eq_mask(load(a.add(i)), load(b.add(i)));
                    if m != FULL {
                        let k = i + (!m).trailing_zeros() as usize;
                        return (*a.add(k)).cmp(&*b.add(k));
                    }
                    i += W;
                }
            }
        }

        /// memchr.
        ///
        /// # Safety
        /// `p..p + n` readable.
        $(#[$attr])*
        pub unsafe fn find(p: *const u8, byte: u8, n: usize) -> Option<usize> {
            // SAFETY: as in `compare`. The overlapping tail block only re-reads bytes
            // already known not to match, so its first match is the first overall.
            unsafe {
                if n < W {
                    return short_find(p, byte, n);
                }
                // One unaligned block, then aligned blocks (re-reading a few bytes
                // already known not to match).
                let needle = splat(byte);
                let m = eq_mask(load(p), needle);
                if m != 0 {
                    return Some(m.trailing_zeros() as usize);
                }
                let mut i = W - (p as usize & (W - 1));
                while i + 4 * W <= n {
                    let m0 = eq_mask(load(p.add(i)), needle);
                    let m1 = eq_mask(load(p.add(i + W)), needle);
                    let m2 = eq_mask(load(p.add(i + 2 * W)), needle);
                    let m3 = eq_mask(load(p.add(i + 3 * W)), needle);
                    if (m0 | m1 | m2 | m3) != 0 {
                        for (j, m) in [m0, m1, m2, m3].into_iter().enumerate() {
                            if m != 0 {
                                return Some(i + j * W + m.trailing_zeros() as usize);
                            }
                        }
                    }
                    i += 4 * W;
                }
                loop {
                    if i >= n {
                        return None;
                    }
                    if i + W > n {
                        i = n - W;
                    }
                    let m = eq_mask(load(p.add(i)), needle);
                    if m != 0 {
                        return Some(i + m.trailing_zeros() as usize);
                    }
                    i += W;
                }
            }
        }

        /// memset with non-temporal (streaming) stores for the aligned middle of any
        /// fill longer than 64 bytes, then `sfence`: for fills larger than the last-level
        /// cache, where ordinary stores first read every line they write.
        ///
        /// # Safety
        /// `d..d + n` writable.
        $(#[$attr])*
        pub unsafe fn set_stream(d: *mut u8, value: u8, n: usize) {
            // SAFETY: as in `set`; `d + i` is `W`-aligned in the loops, as the streaming
            // stores require. The `sfence` orders the weakly ordered streaming stores
            // before the ordinary tail store and anything after return.
            unsafe {
                if n <= $crate::algo::SMALL {
                    $crate::algo::small_set(d, value, n);
                    return;
                }
                let (v, end) = fill_blocks!(d, value, n, stream);
                core::arch::x86_64::_mm_sfence();
                store(d.add(end), v);
            }
        }

        /// memcpy with non-temporal (streaming) stores for the aligned middle, then
        /// `sfence`; sizes below [`crate::NT_THRESHOLD`] use [`copy`].
        ///
        /// # Safety
        /// `s..s + n` readable, `d..d + n` writable, no overlap.
        $(#[$attr])*
        pub unsafe fn copy_nt(d: *mut u8, s: *const u8, n: usize) {
            // SAFETY: forwarded caller contract.
            unsafe {
                if n < $crate::NT_THRESHOLD {
                    copy(d, s, n);
                } else {
                    copy_stream(d, s, n);
                }
            }
        }

        /// memcpy with non-temporal (streaming) stores for the aligned middle of any
        /// copy longer than 64 bytes, then `sfence`.
        ///
        /// # Safety
        /// `s..s + n` readable, `d..d + n` writable, no overlap.
        $(#[$attr])*
        pub unsafe fn copy_stream(d: *mut u8, s: *const u8, n: usize) {
            // SAFETY: as in `forward`; `d + i` is `W`-aligned in the loop, as the
            // streaming stores require. The `sfence` orders the weakly ordered streaming
            // stores before the ordinary head/tail stores and anything after return.
            unsafe {
                if n <= $crate::algo::SMALL {
                    $crate::algo::small_move(d, s, n);
                    return;
                }
                let (head, tail, end) = forward_blocks!(d, s, n, stream);
                core::arch::x86_64::_mm_sfence();
                store(d.add(end), tail);
                store(d, head);
            }
        }
    };
}
