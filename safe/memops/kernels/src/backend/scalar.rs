//! Portable backend: 8-byte words (`u64` unaligned loads/stores), SWAR search, no
//! intrinsics. Runs everywhere, including under Miri. On x86_64 the compiler may still
//! use the baseline SSE2 registers for the word loops it unrolls.

use core::cmp::Ordering;

/// Block width in bytes.
const W: usize = 8;
const LO: u64 = u64::from_ne_bytes([0x01; 8]);
const HI: u64 = u64::from_ne_bytes([0x80; 8]);

/// # Safety
/// `p..p + 8` readable.
#[inline(always)]
unsafe fn load(p: *const u8) -> u64 {
    // SAFETY: the caller guarantees 8 readable bytes; unaligned read.
    unsafe { p.cast::<u64>().read_unaligned() }
}

/// # Safety
/// `p..p + 8` writable.
#[inline(always)]
unsafe fn store(p: *mut u8, v: u64) {
    // SAFETY: the caller guarantees 8 writable bytes; unaligned write.
    unsafe { p.cast::<u64>().write_unaligned(v) }
}

#[inline(always)]
fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

/// Loads 8 bytes as a little-endian word, so that the lowest-addressed byte is the
/// least significant whatever the target's byte order.
///
/// # Safety
/// `p..p + 8` readable.
#[inline(always)]
unsafe fn load_le(p: *const u8) -> u64 {
    // SAFETY: forwarded caller contract.
    u64::from_le(unsafe { load(p) })
}

block_ops!();

/// memcmp, a word at a time.
///
/// # Safety
/// `a..a + n` and `b..b + n` readable.
pub unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> Ordering {
    let mut i = 0;
    // SAFETY: words `[i, i + 8)` with `i + 8 <= n`, then single bytes below `n`.
    unsafe {
        while i + W <= n {
            let x = load_le(a.add(i)) ^ load_le(b.add(i));
            if x != 0 {
                let k = i + (x.trailing_zeros() / 8) as usize;
                return (*a.add(k)).cmp(&*b.add(k));
            }
            i += W;
        }
        while i < n {
            let (x, y) = (*a.add(i), *b.add(i));
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
        }
    }
    Ordering::Equal
}

/// memchr, a word at a time: `(x - 0x01..) & !x & 0x80..` flags zero bytes of
/// `x = word ^ splat(byte)`; it can also flag a byte just above a true zero (borrow),
/// never below one, so its lowest flag is the first match.
///
/// # Safety
/// `p..p + n` readable.
pub unsafe fn find(p: *const u8, byte: u8, n: usize) -> Option<usize> {
    let needle = u64::from_le(splat(byte));
    let mut i = 0;
    // SAFETY: words `[i, i + 8)` with `i + 8 <= n`, then single bytes below `n`.
    unsafe {
        while i + W <= n {
            let x = load_le(p.add(i)) ^ needle;
            let t = x.wrapping_sub(LO) & !x & HI;
            if t != 0 {
                return Some(i + (t.trailing_zeros() / 8) as usize);
            }
            i += W;
        }
        while i < n {
            if *p.add(i) == byte {
                return Some(i);
            }
            i += 1;
        }
    }
    None
}

/// The scalar backend has no streaming stores: an ordinary [`copy`].
///
/// # Safety
/// As [`copy`].
pub unsafe fn copy_nt(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: forwarded caller contract.
    unsafe { copy(d, s, n) }
}

/// The scalar backend has no streaming stores: an ordinary [`copy`].
///
/// # Safety
/// As [`copy`].
pub unsafe fn copy_stream(d: *mut u8, s: *const u8, n: usize) {
    // SAFETY: forwarded caller contract.
    unsafe { copy(d, s, n) }
}

/// The scalar backend has no streaming stores: an ordinary [`set`].
///
/// # Safety
/// As [`set`].
pub unsafe fn set_stream(d: *mut u8, value: u8, n: usize) {
    // SAFETY: forwarded caller contract.
    unsafe { set(d, value, n) }
}
