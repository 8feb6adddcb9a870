//! Portable Rust: no instruction beyond what the build targets. `pext`/`pdep`: masks of
//! at most 12 set bits by a loop over the set bits, denser ones by the bit-group
//! algorithm of Hacker's Delight (§7-4 `compress`, §7-5 `expand`: six rounds of
//! parallel-suffix moves, ~100 branch-free operations whatever the mask); popcounts
//! through `count_ones` (a `popcnt` instruction when the build enables it, a SWAR sequence
//! otherwise); word `select` by bytes.
#![allow(clippy::missing_safety_doc)]

/// The six move masks of `mask` (Hacker's Delight 7-4): round `i` moves the bits in
/// `mv[i]` right by `2^i`.
#[inline(always)]
fn move_masks(mask: u64) -> [u64; 6] {
    let mut m = mask;
    // Bit j of mk: the count of zeros of m right of j (exclusive) is odd, for the
    // current round's digit.
    let mut mk = !m << 1;
    let mut mv = [0u64; 6];
    let mut i = 0;
    while i < 6 {
        // Parallel suffix (XOR prefix from the right) of mk.
        let mut mp = mk ^ (mk << 1);
        mp ^= mp << 2;
        mp ^= mp << 4;
        mp ^= mp << 8;
        mp ^= mp << 16;
        mp ^= mp << 32;
        let moving = mp & m;
        mv[i] = moving;
        m = (m ^ moving) | (moving >> (1u32 << i));
        mk &= !mp;
        i += 1;
    }
    mv
}

/// Masks with at most this many set bits take the loop over set bits, which costs a few
/// operations per set bit, instead of the bit-group rounds' fixed ~100.
const SPARSE: u32 = 12;

/// `pext` without BMI2: gather the bits of `value` selected by `mask` into the low bits.
#[inline]
pub fn compress(value: u64, mask: u64) -> u64 {
    if mask.count_ones() <= SPARSE {
        let (mut out, mut k, mut m) = (0u64, 0, mask);
        while m != 0 {
            out |= ((value >> m.trailing_zeros()) & 1) << k;
            k += 1;
            m &= m - 1;
        }
        return out;
    }
    compress_groups(value, mask)
}

/// `pext` by bit groups (Hacker's Delight 7-4), whatever the mask.
#[inline]
pub fn compress_groups(value: u64, mask: u64) -> u64 {
    let mv = move_masks(mask);
    let mut x = value & mask;
    let mut i = 0;
    while i < 6 {
        let t = x & mv[i];
        x = (x ^ t) | (t >> (1u32 << i));
        i += 1;
    }
    x
}

/// `pdep` without BMI2: scatter the low bits of `value` to the positions of `mask`.
#[inline]
pub fn expand(value: u64, mask: u64) -> u64 {
    if mask.count_ones() <= SPARSE {
        let (mut out, mut v, mut m) = (0u64, value, mask);
        while m != 0 {
            out |= (v & 1) << m.trailing_zeros();
            v >>= 1;
            m &= m - 1;
        }
        return out;
    }
    expand_groups(value, mask)
}

/// `pdep` by bit groups (Hacker's Delight 7-5), whatever the mask.
#[inline]
pub fn expand_groups(value: u64, mask: u64) -> u64 {
    let mv = move_masks(mask);
    let mut x = value;
    let mut i = 6;
    while i > 0 {
        i -= 1;
        let t = x << (1u32 << i);
        x = (x & !mv[i]) | (t & mv[i]);
    }
    x & mask
}

/// The `k`-th (from 0) set bit of `word` by bytes; 64 when there is none.
#[inline]
pub fn select_word(word: u64, k: u32) -> u32 {
    let mut k = k;
    let mut shift = 0;
    while shift < 64 {
        let byte = (word >> shift) & 0xFF;
        let ones = byte.count_ones();
        if k < ones {
            let mut b = byte;
            for _ in 0..k {
                b &= b - 1;
            }
            return shift + b.trailing_zeros();
        }
        k -= ones;
        shift += 8;
    }
    64
}

pub unsafe fn pext(value: u64, mask: u64) -> u64 {
    compress(value, mask)
}

pub unsafe fn pdep(value: u64, mask: u64) -> u64 {
    expand(value, mask)
}

pub unsafe fn pext_many(values: &[u64], masks: &[u64], out: &mut [u64]) {
    for ((o, &v), &m) in out.iter_mut().zip(values).zip(masks) {
        *o = compress(v, m);
    }
}

pub unsafe fn pdep_many(values: &[u64], masks: &[u64], out: &mut [u64]) {
    for ((o, &v), &m) in out.iter_mut().zip(values).zip(masks) {
        *o = expand(v, m);
    }
}

pub unsafe fn select_in_word(word: u64, k: u32) -> u32 {
    select_word(word, k)
}

pub unsafe fn popcount(words: &[u64]) -> u64 {
    words.iter().map(|w| u64::from(w.count_ones())).sum()
}

pub unsafe fn popcount_bytes(bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    let mut total: u64 = chunks
        .by_ref()
        .map(|c| {
            u64::from(
                u64::from_ne_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]).count_ones(),
            )
        })
        .sum();
    for &b in chunks.remainder() {
        total += u64::from(b.count_ones());
    }
    total
}

pub unsafe fn and_count(a: &[u64], b: &[u64]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| u64::from((x & y).count_ones()))
        .sum()
}

pub unsafe fn or_count(a: &[u64], b: &[u64]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| u64::from((x | y).count_ones()))
        .sum()
}

pub unsafe fn xor_count(a: &[u64], b: &[u64]) -> u64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| u64::from((x ^ y).count_ones()))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pext_loop(value: u64, mask: u64) -> u64 {
        (0..64)
            .filter(|i| mask >> i & 1 == 1)
            .enumerate()
            .fold(0, |out, (k, i)| out | ((value >> i) & 1) << k)
    }

    fn pdep_loop(value: u64, mask: u64) -> u64 {
        (0..64)
            .filter(|i| mask >> i & 1 == 1)
            .enumerate()
            .fold(0, |out, (k, i)| out | ((value >> k) & 1) << i)
    }

    /// The bit-group path on its own (the public functions send sparse masks to the
    /// loop): every pair of 8-bit operands, shifted to three places, and 16-bit values
    /// under dense and sparse masks.
    #[test]
    fn bit_groups_match_the_definition() {
        for v in 0..256u64 {
            for m in 0..256u64 {
                for shift in [0, 28, 56] {
                    let (v, m) = (v << shift, m << shift);
                    assert_eq!(compress_groups(v, m), pext_loop(v, m), "{v:#x} {m:#x}");
                    assert_eq!(expand_groups(v, m), pdep_loop(v, m), "{v:#x} {m:#x}");
                }
            }
        }
        let masks = [
            0xFFFF_0000_FFFF_0001,
            0x8000_0000_0000_0001,
            u64::MAX,
            0x5A5A_A5A5_0FF0_F00F,
        ];
        for v in (0..1u64 << 16).step_by(5) {
            for m in masks {
                let v = v.wrapping_mul(0x9E37_79B9_7F4A_7C15);
                assert_eq!(compress_groups(v, m), pext_loop(v, m));
                assert_eq!(expand_groups(v, m), pdep_loop(v, m));
                assert_eq!(compress(v, m), pext_loop(v, m));
                assert_eq!(expand(v, m), pdep_loop(v, m));
            }
        }
    }
}
