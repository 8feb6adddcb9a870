//! x86-64 BMI2 (+ POPCNT): the `pext`/`pdep` instructions, `select` in a word as
//! `tzcnt(pdep(1 << k, word))`, and the popcounts compiled with `popcnt` (one
//! instruction per word, four independent sums).
#![allow(clippy::missing_safety_doc)]

use core::arch::x86_64::{_pdep_u64, _pext_u64};

#[target_feature(enable = "bmi1,bmi2,popcnt")]
pub unsafe fn pext(value: u64, mask: u64) -> u64 {
    _pext_u64(value, mask)
}

#[target_feature(enable = "bmi1,bmi2,popcnt")]
pub unsafe fn pdep(value: u64, mask: u64) -> u64 {
    _pdep_u64(value, mask)
}

#[target_feature(enable = "bmi1,bmi2,popcnt")]
pub unsafe fn pext_many(values: &[u64], masks: &[u64], out: &mut [u64]) {
    for ((o, &v), &m) in out.iter_mut().zip(values).zip(masks) {
        *o = _pext_u64(v, m);
    }
}

#[target_feature(enable = "bmi1,bmi2,popcnt")]
pub unsafe fn pdep_many(values: &[u64], masks: &[u64], out: &mut [u64]) {
    for ((o, &v), &m) in out.iter_mut().zip(values).zip(masks) {
        *o = _pdep_u64(v, m);
    }
}

/// `tzcnt(pdep(1 << k, word))`: `pdep` moves the lone bit to the `k`-th set bit of
/// `word`; when `word` has at most `k` set bits it gives 0, and `tzcnt(0)` is 64.
#[target_feature(enable = "bmi1,bmi2,popcnt")]
pub unsafe fn select_in_word(word: u64, k: u32) -> u32 {
    if k >= 64 {
        return 64;
    }
    _pdep_u64(1u64 << k, word).trailing_zeros()
}

/// The popcount of `op(a[i], b[i])` summed over `i`, in four independent accumulators:
/// one `popcnt` chain would be bound by the adds' latency, four keep several `popcnt`
/// per cycle busy.
#[inline(always)]
fn sum4(a: &[u64], b: &[u64], op: impl Fn(u64, u64) -> u64) -> u64 {
    let mut acc = [0u64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        acc[0] += u64::from(op(x[0], y[0]).count_ones());
        acc[1] += u64::from(op(x[1], y[1]).count_ones());
        acc[2] += u64::from(op(x[2], y[2]).count_ones());
        acc[3] += u64::from(op(x[3], y[3]).count_ones());
    }
    for (&x, &y) in ra.iter().zip(rb) {
        acc[0] += u64::from(op(x, y).count_ones());
    }
    acc[0] + acc[1] + acc[2] + acc[3]
}

#[target_feature(enable = "bmi1,bmi2,popcnt")]
pub unsafe fn popcount(words: &[u64]) -> u64 {
    sum4(words, words, |x, _| x)
}

#[target_feature(enable = "bmi1,bmi2,popcnt")]
pub unsafe fn popcount_bytes(bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(32);
    let mut acc = [0u64; 4];
    for c in chunks.by_ref() {
        for (j, a) in acc.iter_mut().enumerate() {
            let mut word = [0u8; 8];
            word.copy_from_slice(&c[8 * j..8 * j + 8]);
            *a += u64::from(u64::from_ne_bytes(word).count_ones());
        }
    }
    let mut total = acc.iter().sum::<u64>();
    for &b in chunks.remainder() {
        total += u64::from(b.count_ones());
    }
    total
}

#[target_feature(enable = "bmi1,bmi2,popcnt")]
pub unsafe fn and_count(a: &[u64], b: &[u64]) -> u64 {
    sum4(a, b, |x, y| x & y)
}

#[target_feature(enable = "bmi1,bmi2,popcnt")]
pub unsafe fn or_count(a: &[u64], b: &[u64]) -> u64 {
    sum4(a, b, |x, y| x | y)
}

#[target_feature(enable = "bmi1,bmi2,popcnt")]
pub unsafe fn xor_count(a: &[u64], b: &[u64]) -> u64 {
    sum4(a, b, |x, y| x ^ y)
}
