//! The 64×64→128-bit multiply-and-fold and little-endian reads that wyhash and rapidhash
//! share (both descend from wyhash's `_wymum`/`_wymix`/`_wyr8`/`_wyr4`).

/// The full 128-bit product of `a` and `b`, as (low, high) halves.
#[inline(always)]
pub(crate) fn mum(a: u64, b: u64) -> (u64, u64) {
    let r = u128::from(a) * u128::from(b);
    (r as u64, (r >> 64) as u64)
}

/// The two halves of `a × b` folded by xor.
#[inline(always)]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let (lo, hi) = mum(a, b);
    lo ^ hi
}

/// 8 little-endian bytes of `p` at `at`.
#[inline(always)]
pub(crate) fn r8(p: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&p[at..at + 8]);
    u64::from_le_bytes(b)
}

/// 4 little-endian bytes of `p` at `at`, zero-extended.
#[inline(always)]
pub(crate) fn r4(p: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&p[at..at + 4]);
    u64::from(u32::from_le_bytes(b))
}
