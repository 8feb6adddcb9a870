//! A static bit vector with constant-time rank and fast select (Vigna's rank9, with
//! sampled select).

use crate::{Error, ErrorKind, Result};

/// Ones (or zeros) between select samples.
const SAMPLE: usize = 512;

/// A static bit vector with `rank` and `select` over its ones and zeros.
///
/// **Rank** is Vigna's rank9 ("Broadword implementation of rank/select queries", WEA
/// 2008): per 512-bit block, one 64-bit word with the ones before the block and one
/// with seven 9-bit counts of the ones before each of its words; a rank is two table
/// reads and one popcount. **Select** samples the block of every 512th one (and zero),
/// searches the few blocks between two samples by their counts, then the word by the
/// 9-bit counts, then the bit inside the word byte by byte. Overhead: 25 % of the bits
/// for rank, plus one `u32` per 512 ones and per 512 zeros.
///
/// Queries never panic: positions past the end clamp (`rank1(len + 7) == count_ones()`),
/// and `select` past the last one is `None`.
///
/// ```
/// use arsenal_bitmap::BitVector;
/// let bv = BitVector::from_bits([true, false, true, true, false]);
/// assert_eq!(bv.rank1(3), 2); // ones in positions 0..3
/// assert_eq!(bv.select1(2), Some(3)); // the third one
/// assert_eq!(bv.select0(1), Some(4));
/// assert_eq!(bv.select1(3), None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BitVector {
    words: Vec<u64>,
    len: usize,
    ones: usize,
    /// rank9: `[ones before block, packed 9-bit counts]` per 512-bit block, plus a final
    /// entry with the total.
    counts: Vec<u64>,
    /// Block of every 512th one.
    select1_samples: Vec<u32>,
    /// Block of every 512th zero.
    select0_samples: Vec<u32>,
}

impl BitVector {
    /// A bit vector of the first `len` bits of `words` (bit `i` is bit `i % 64` of word
    /// `i / 64`); bits past `len` are ignored.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] when `len` exceeds `words.len() × 64` or 2³⁹ bits (the
    /// select samples' block numbers are 32-bit).
    pub fn from_words(mut words: Vec<u64>, len: usize) -> Result<Self> {
        if words.len().checked_mul(64).map_or(true, |bits| len > bits) || len > 1 << 39 {
            return Err(Error::new(
                ErrorKind::Parameter,
                "bitvector",
                format!("{len} bits from {} words (at most 2^39 bits)", words.len()),
            ));
        }
        words.truncate(len.div_ceil(64));
        if len % 64 != 0 {
            if let Some(last) = words.last_mut() {
                *last &= (1u64 << (len % 64)) - 1;
            }
        }
        Ok(Self::index(words, len))
    }

    /// A bit vector of the given bits.
    pub fn from_bits(bits: impl IntoIterator<Item = bool>) -> Self {
        let mut words = Vec::new();
        let mut len = 0usize;
        for b in bits {
            if len % 64 == 0 {
                words.push(0);
            }
            if b {
                *words.last_mut().expect("pushed above") |= 1 << (len % 64);
            }
            len += 1;
        }
        Self::index(words, len)
    }

    fn index(words: Vec<u64>, len: usize) -> Self {
        let blocks = len.div_ceil(SAMPLE);
        let mut counts = Vec::with_capacity(2 * blocks + 2);
        let mut total = 0u64;
        for block in words.chunks(8) {
            let mut packed = 0u64;
            let mut inside = 0u64;
            for (j, w) in block.iter().enumerate() {
                if j > 0 {
                    packed |= inside << (9 * (j - 1));
                }
                inside += u64::from(w.count_ones());
            }
            // Words past the end of a short last block count as empty.
            for j in block.len()..8 {
                if j > 0 {
                    packed |= inside << (9 * (j - 1));
                }
            }
            counts.push(total);
            counts.push(packed);
            total += inside;
        }
        counts.push(total);
        counts.push(0);
        let ones = total as usize;
        let mut bv = BitVector {
            words,
            len,
            ones,
            counts,
            select1_samples: Vec::new(),
            select0_samples: Vec::new(),
        };
        let (mut next1, mut next0) = (0usize, 0usize);
        for b in 0..blocks {
            let (ones_before, zeros_before) = (bv.ones_before(b), b * SAMPLE - bv.ones_before(b));
            let (ones_after, zeros_after) = (
                bv.ones_before(b + 1),
                ((b + 1) * SAMPLE).min(len) - bv.ones_before(b + 1),
            );
            while next1 < ones_after {
                debug_assert!(next1 >= ones_before);
                bv.select1_samples.push(b as u32);
                next1 += SAMPLE;
            }
            while next0 < zeros_after {
                debug_assert!(next0 >= zeros_before);
                bv.select0_samples.push(b as u32);
                next0 += SAMPLE;
            }
        }
        bv
    }

    #[inline]
    fn ones_before(&self, block: usize) -> usize {
        self.counts[2 * block] as usize
    }

    /// Ones in block `block` before its word `j` (0..8).
    #[inline]
    fn sub(&self, block: usize, j: usize) -> usize {
        if j == 0 {
            0
        } else {
            ((self.counts[2 * block + 1] >> (9 * (j - 1))) & 511) as usize
        }
    }

    /// The number of bits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no bits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of ones.
    pub fn count_ones(&self) -> usize {
        self.ones
    }

    /// The number of zeros.
    pub fn count_zeros(&self) -> usize {
        self.len - self.ones
    }

    /// Bit `i`, `None` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> Option<bool> {
        (i < self.len).then(|| self.words[i / 64] >> (i % 64) & 1 == 1)
    }

    /// The number of ones in positions `0..i` (`i` clamped to the length).
    #[inline]
    pub fn rank1(&self, i: usize) -> usize {
        let i = i.min(self.len);
        let (w, b) = (i / 64, i / SAMPLE);
        let mut r = self.ones_before(b) + self.sub(b, w % 8);
        if i % 64 != 0 {
            r += (self.words[w] & ((1u64 << (i % 64)) - 1)).count_ones() as usize;
        }
        r
    }

    /// The number of zeros in positions `0..i` (`i` clamped to the length).
    #[inline]
    pub fn rank0(&self, i: usize) -> usize {
        let i = i.min(self.len);
        i - self.rank1(i)
    }

    /// The position of the `k`-th one (0-based), `None` if there are at most `k` ones.
    pub fn select1(&self, k: usize) -> Option<usize> {
        self.select(
            k,
            self.ones,
            &self.select1_samples,
            |b| self.ones_before(b),
            |block, j| self.sub(block, j),
            |w| w,
        )
    }

    /// The position of the `k`-th zero (0-based), `None` if there are at most `k` zeros.
    pub fn select0(&self, k: usize) -> Option<usize> {
        self.select(
            k,
            self.count_zeros(),
            &self.select0_samples,
            |b| (b * SAMPLE).min(self.len) - self.ones_before(b),
            |block, j| 64 * j - self.sub(block, j),
            |w| !w,
        )
    }

    /// Select over the ones, or over the zeros when `before` (bits of that kind before a
    /// block), `sub` (before a word of a block) and `word` (a word's bits of that kind)
    /// count zeros: the block from the samples by binary search, the word by the
    /// block's counts, the bit by broadword select.
    #[inline]
    fn select(
        &self,
        k: usize,
        total: usize,
        samples: &[u32],
        before: impl Fn(usize) -> usize + Copy,
        sub: impl Fn(usize, usize) -> usize,
        word: impl Fn(u64) -> u64,
    ) -> Option<usize> {
        if k >= total {
            return None;
        }
        let s = k / SAMPLE;
        let lo = samples[s] as usize;
        let hi = samples
            .get(s + 1)
            .map_or(self.len.div_ceil(SAMPLE), |&b| b as usize + 1);
        let block = last_at_most(lo, hi, before, k);
        let mut rest = k - before(block);
        let mut j = 7;
        while j > 0 && (block * 8 + j >= self.words.len() || sub(block, j) > rest) {
            j -= 1;
        }
        rest -= sub(block, j);
        let w = block * 8 + j;
        Some(w * 64 + select_in_word(word(self.words[w]), rest))
    }

    /// The words holding the bits (bits past [`len`](Self::len) are zero).
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Heap bytes of the bits and the rank/select indexes.
    pub fn size_in_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + 8 * (self.words.capacity() + self.counts.capacity())
            + 4 * (self.select1_samples.capacity() + self.select0_samples.capacity())
    }
}

/// The last block `b` in `lo..hi` with `before(b) <= k` (`before` non-decreasing,
/// `before(lo) <= k`): a binary search between two select samples.
#[inline]
fn last_at_most(mut lo: usize, mut hi: usize, before: impl Fn(usize) -> usize, k: usize) -> usize {
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if before(mid) <= k {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    lo
}

/// `SELECT_IN_BYTE[byte | rank << 8]`: the position of the `rank`-th one (0-based) of
/// `byte` (8 where the byte has at most `rank` ones).
static SELECT_IN_BYTE: [u8; 2048] = {
    let mut t = [8u8; 2048];
    let mut byte = 0;
    while byte < 256 {
        let (mut bit, mut rank) = (0, 0);
        while bit < 8 {
            if byte >> bit & 1 == 1 {
                t[byte | rank << 8] = bit as u8;
                rank += 1;
            }
            bit += 1;
        }
        byte += 1;
    }
    t
};

/// The position of the `k`-th one in `w` (`k` below `w.count_ones()`).
///
/// Vigna's broadword select ("Broadword implementation of rank/select queries", 2008):
/// the byte-wise cumulative popcounts in one multiplication, the byte holding the one
/// found by a parallel comparison, the bit inside it from a 2 KiB table. With BMI2 in
/// the build's target features, one `pdep` instead.
#[inline]
fn select_in_word(w: u64, k: usize) -> usize {
    #[cfg(all(target_arch = "x86_64", target_feature = "bmi2"))]
    {
        // SAFETY: the `bmi2` target feature is enabled for this build (checked by the
        // cfg above), so the instruction exists on every CPU it runs on.
        return unsafe { std::arch::x86_64::_pdep_u64(1u64 << k, w) }.trailing_zeros() as usize;
    }
    #[allow(unreachable_code)]
    {
        const L8: u64 = 0x0101_0101_0101_0101;
        const H8: u64 = 0x8080_8080_8080_8080;
        let mut s = w - ((w >> 1) & 0x5555_5555_5555_5555);
        s = (s & 0x3333_3333_3333_3333) + ((s >> 2) & 0x3333_3333_3333_3333);
        s = (s + (s >> 4)) & 0x0f0f_0f0f_0f0f_0f0f;
        // Byte i holds the ones in bytes 0..=i.
        let byte_sums = s.wrapping_mul(L8);
        let k_step8 = (k as u64).wrapping_mul(L8);
        // Bytes whose cumulative count is at most k, counted: 8 × that is the byte.
        let geq = ((k_step8 | H8) - byte_sums) & H8;
        let place = geq.count_ones() as usize * 8;
        let byte_rank = k - (((byte_sums << 8) >> place) & 0xff) as usize;
        place + SELECT_IN_BYTE[((w >> place) & 0xff) as usize | byte_rank << 8] as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(n: usize, seed: u64, density: u64) -> Vec<bool> {
        let mut x = seed | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % 100 < density
            })
            .collect()
    }

    #[test]
    fn rank_and_select_match_a_scan() {
        for n in [0usize, 1, 63, 64, 65, 511, 512, 513, 4000, 20_000] {
            for density in [0u64, 1, 50, 99, 100] {
                let b = bits(n, n as u64 + density, density);
                let bv = BitVector::from_bits(b.iter().copied());
                assert_eq!(bv.len(), n);
                let mut ones = 0;
                let (mut k1, mut k0) = (0, 0);
                for (i, &bit) in b.iter().enumerate() {
                    assert_eq!(bv.rank1(i), ones, "n {n} d {density} i {i}");
                    assert_eq!(bv.get(i), Some(bit));
                    if bit {
                        assert_eq!(bv.select1(k1), Some(i), "n {n} d {density} k1 {k1}");
                        k1 += 1;
                        ones += 1;
                    } else {
                        assert_eq!(bv.select0(k0), Some(i), "n {n} d {density} k0 {k0}");
                        k0 += 1;
                    }
                }
                assert_eq!(bv.rank1(n), ones);
                assert_eq!(bv.rank1(usize::MAX), ones);
                assert_eq!(bv.rank0(usize::MAX), n - ones);
                assert_eq!(bv.select1(k1), None);
                assert_eq!(bv.select0(k0), None);
                assert_eq!(bv.select1(usize::MAX), None);
                assert_eq!(bv.get(n), None);
            }
        }
    }

    #[test]
    fn select_in_word_matches_a_loop() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            for w in [x, x & (x >> 3), x | 1 << 63, 1, u64::MAX] {
                let mut v = w;
                for k in 0..w.count_ones() as usize {
                    assert_eq!(
                        select_in_word(w, k),
                        v.trailing_zeros() as usize,
                        "{w:#x} {k}"
                    );
                    v &= v - 1;
                }
            }
        }
    }

    #[test]
    fn from_words_checks_and_masks() {
        assert!(BitVector::from_words(vec![0; 2], 129).is_err());
        assert!(BitVector::from_words(vec![], usize::MAX).is_err());
        let bv = BitVector::from_words(vec![u64::MAX, u64::MAX], 70).unwrap();
        assert_eq!(bv.count_ones(), 70);
        assert_eq!(bv.words().len(), 2);
        assert_eq!(bv.words()[1], 0b11_1111);
    }
}
