//! The wavelet matrix: access, rank and select over a sequence of integers.

use crate::{BitVector, Error, ErrorKind, Result};

/// A static sequence of integers below `2^bits` with `access`, `rank` (occurrences of a
/// value in a prefix) and `select` (position of the k-th occurrence) in `O(bits)`
/// bit-vector operations each: the wavelet matrix of Claude, Navarro & Ordóñez ("The
/// wavelet matrix", Information Systems 2015), one [`BitVector`] per bit level, each
/// level's sequence stably partitioned by that bit (zeros first).
///
/// Space: `bits` bits per value plus the bit vectors' indexes.
///
/// ```
/// use arsenal_bitmap::WaveletMatrix;
/// let wm = WaveletMatrix::new(&[3, 1, 4, 1, 5, 9, 2, 6])?;
/// assert_eq!(wm.get(4), Some(5));
/// assert_eq!(wm.rank(1, 4), 2); // two 1s in positions 0..4
/// assert_eq!(wm.select(1, 1), Some(3)); // the second 1
/// assert_eq!(wm.select(7, 0), None);
/// # Ok::<(), arsenal_bitmap::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaveletMatrix {
    levels: Vec<BitVector>,
    /// Zeros of each level (where its ones start in the next level's order).
    zeros: Vec<usize>,
    len: usize,
    bits: u32,
}

impl WaveletMatrix {
    /// Builds the matrix over `values` with as many levels as the largest value needs
    /// (at least one).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for more than 2³⁹ values.
    pub fn new(values: &[u64]) -> Result<Self> {
        if values.len() > 1 << 39 {
            return Err(Error::new(
                ErrorKind::Parameter,
                "wavelet-matrix",
                format!("{} values (at most 2^39)", values.len()),
            ));
        }
        let max = values.iter().copied().max().unwrap_or(0);
        let bits = (64 - max.leading_zeros()).max(1);
        let mut cur = values.to_vec();
        let mut next = Vec::with_capacity(cur.len());
        let mut levels = Vec::with_capacity(bits as usize);
        let mut zeros = Vec::with_capacity(bits as usize);
        for level in 0..bits {
            let shift = bits - 1 - level;
            levels.push(BitVector::from_bits(
                cur.iter().map(|&v| v >> shift & 1 == 1),
            ));
            next.clear();
            next.extend(cur.iter().filter(|&&v| v >> shift & 1 == 0));
            zeros.push(next.len());
            next.extend(cur.iter().filter(|&&v| v >> shift & 1 == 1));
            std::mem::swap(&mut cur, &mut next);
        }
        Ok(WaveletMatrix {
            levels,
            zeros,
            len: values.len(),
            bits,
        })
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the sequence is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of bit levels (the largest value's width, at least 1).
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Value `i`, `None` past the end.
    pub fn get(&self, mut i: usize) -> Option<u64> {
        if i >= self.len {
            return None;
        }
        let mut v = 0u64;
        for (level, bv) in self.levels.iter().enumerate() {
            let bit = bv.get(i)?;
            v = v << 1 | u64::from(bit);
            i = if bit {
                self.zeros[level] + bv.rank1(i)
            } else {
                bv.rank0(i)
            };
        }
        Some(v)
    }

    /// Where positions `start` and `end` of the top level land in the bottom level when
    /// following `value`'s bits; `None` when `value` needs more bits than the matrix has.
    fn descend(&self, value: u64, mut start: usize, mut end: usize) -> Option<(usize, usize)> {
        if self.bits < 64 && value >> self.bits != 0 {
            return None;
        }
        for (level, bv) in self.levels.iter().enumerate() {
            if value >> (self.bits - 1 - level as u32) & 1 == 1 {
                start = self.zeros[level] + bv.rank1(start);
                end = self.zeros[level] + bv.rank1(end);
            } else {
                start = bv.rank0(start);
                end = bv.rank0(end);
            }
        }
        Some((start, end))
    }

    /// The number of occurrences of `value` in positions `0..i` (`i` clamped to the
    /// length).
    pub fn rank(&self, value: u64, i: usize) -> usize {
        self.descend(value, 0, i.min(self.len))
            .map_or(0, |(start, end)| end - start)
    }

    /// The position of the `k`-th occurrence (0-based) of `value`, `None` if it occurs at
    /// most `k` times.
    pub fn select(&self, value: u64, k: usize) -> Option<usize> {
        let (start, end) = self.descend(value, 0, self.len)?;
        if k >= end - start {
            return None;
        }
        let mut pos = start + k;
        for (level, bv) in self.levels.iter().enumerate().rev() {
            pos = if value >> (self.bits - 1 - level as u32) & 1 == 1 {
                bv.select1(pos - self.zeros[level])?
            } else {
                bv.select0(pos)?
            };
        }
        Some(pos)
    }

    /// Heap bytes of the levels and their indexes.
    pub fn size_in_bytes(&self) -> usize {
        std::mem::size_of::<Self>()
            + self
                .levels
                .iter()
                .map(BitVector::size_in_bytes)
                .sum::<usize>()
            + 8 * self.zeros.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_rank_select_match_a_scan() {
        for (n, alphabet) in [(0usize, 1u64), (1, 1), (50, 2), (3000, 17), (5000, 1 << 20)] {
            let mut x = 0x2545_f491_4f6c_dd1du64 ^ n as u64;
            let vals: Vec<u64> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x % alphabet
                })
                .collect();
            let wm = WaveletMatrix::new(&vals).unwrap();
            assert_eq!(wm.len(), n);
            for (i, &v) in vals.iter().enumerate() {
                assert_eq!(wm.get(i), Some(v));
            }
            assert_eq!(wm.get(n), None);
            let probes: Vec<u64> = vals
                .iter()
                .take(20)
                .copied()
                .chain([alphabet, u64::MAX])
                .collect();
            for &c in &probes {
                let mut seen = 0;
                for (i, &v) in vals.iter().enumerate() {
                    if i % 97 == 0 {
                        assert_eq!(wm.rank(c, i), seen, "c {c} i {i}");
                    }
                    if v == c {
                        assert_eq!(wm.select(c, seen), Some(i));
                        seen += 1;
                    }
                }
                assert_eq!(wm.rank(c, n), seen);
                assert_eq!(wm.select(c, seen), None);
                assert_eq!(wm.rank(c, usize::MAX), seen);
            }
        }
        let top = WaveletMatrix::new(&[u64::MAX, 0, u64::MAX]).unwrap();
        assert_eq!(top.bits(), 64);
        assert_eq!(top.select(u64::MAX, 1), Some(2));
        assert_eq!(top.rank(0, 3), 1);
    }
}
