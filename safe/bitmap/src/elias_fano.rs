//! Elias–Fano coding of a non-decreasing sequence of integers.

use crate::{BitVector, Error, ErrorKind, Result};

/// A non-decreasing sequence of `u64` in Elias–Fano form (Elias 1974, Fano 1971; Vigna,
/// "Quasi-succinct indices", WSDM 2013): each value's low `l = ⌊log₂(u/n)⌋` bits packed
/// in an array, its high bits as a unary-coded gap in a [`BitVector`] with select.
/// Space: at most `2 + ⌈log₂(u/n)⌉` bits per value (u = largest value + 1), plus the
/// bit vector's indexes.
///
/// [`get`](Self::get) is one `select1`; [`next_geq`](Self::next_geq) (the successor) one
/// `select0` and a short scan of one bucket.
///
/// ```
/// use arsenal_bitmap::EliasFano;
/// let ef = EliasFano::new(&[3, 3, 10, 1000, 1_000_000])?;
/// assert_eq!(ef.get(3), Some(1000));
/// assert_eq!(ef.next_geq(11), Some((3, 1000)));
/// assert_eq!(ef.next_geq(1_000_001), None);
/// assert_eq!(ef.rank(10), 2); // values below 10
/// # Ok::<(), arsenal_bitmap::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EliasFano {
    len: usize,
    low_bits: u32,
    low: Vec<u64>,
    high: BitVector,
}

impl EliasFano {
    /// Encodes `values`.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] when `values` is not non-decreasing, or its high-bits
    /// vector would exceed the bit vector's 2³⁹ bits.
    pub fn new(values: &[u64]) -> Result<Self> {
        if let Some(i) = values.windows(2).position(|w| w[0] > w[1]) {
            return Err(Error::new(
                ErrorKind::Parameter,
                "elias-fano",
                format!("values not sorted at index {}", i + 1),
            ));
        }
        let n = values.len();
        let universe = values.last().map_or(0, |&m| m as u128 + 1);
        let low_bits = if n == 0 || universe <= n as u128 {
            0
        } else {
            (universe / n as u128).ilog2()
        };
        let high_len = n as u128 + (universe >> low_bits) + 1;
        if high_len > 1 << 39 {
            return Err(Error::new(
                ErrorKind::Parameter,
                "elias-fano",
                format!("{n} values up to {universe}: {high_len} high bits"),
            ));
        }
        let high_len = high_len as usize;
        let mut high = vec![0u64; high_len.div_ceil(64)];
        let mut low = vec![0u64; (n * low_bits as usize).div_ceil(64)];
        let mask = if low_bits == 0 {
            0
        } else {
            u64::MAX >> (64 - low_bits)
        };
        for (i, &v) in values.iter().enumerate() {
            let pos = (v >> low_bits) as usize + i;
            high[pos / 64] |= 1 << (pos % 64);
            if low_bits > 0 {
                write_bits(&mut low, i * low_bits as usize, low_bits, v & mask);
            }
        }
        Ok(EliasFano {
            len: n,
            low_bits,
            low,
            high: BitVector::from_words(high, high_len)?,
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

    #[inline]
    fn low(&self, i: usize) -> u64 {
        if self.low_bits == 0 {
            0
        } else {
            read_bits(&self.low, i * self.low_bits as usize, self.low_bits)
        }
    }

    /// Value `i`, `None` past the end.
    #[inline]
    pub fn get(&self, i: usize) -> Option<u64> {
        let pos = self.high.select1(i)?;
        Some((((pos - i) as u64) << self.low_bits) | self.low(i))
    }

    /// The first value `≥ x` and its index, `None` if every value is smaller.
    pub fn next_geq(&self, x: u64) -> Option<(usize, u64)> {
        let hx = x >> self.low_bits;
        // Values with high part ≥ hx start after the hx-th zero of the high bits.
        let (mut i, mut pos) = if hx == 0 {
            (0, 0)
        } else {
            let z = self.high.select0(usize::try_from(hx - 1).ok()?)?;
            (z + 1 - hx as usize, z + 1)
        };
        while i < self.len {
            // Skip zeros to the next one (the next value's high part).
            while !self.high.get(pos)? {
                pos += 1;
            }
            let v = (((pos - i) as u64) << self.low_bits) | self.low(i);
            if v >= x {
                return Some((i, v));
            }
            i += 1;
            pos += 1;
        }
        None
    }

    /// The number of values below `x`.
    pub fn rank(&self, x: u64) -> usize {
        self.next_geq(x).map_or(self.len, |(i, _)| i)
    }

    /// The values in order.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        (0..self.len).filter_map(move |i| self.get(i))
    }

    /// Heap bytes of the low bits and the high-bits vector with its indexes.
    pub fn size_in_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + 8 * self.low.capacity() + self.high.size_in_bytes()
            - std::mem::size_of::<BitVector>()
    }
}

#[inline]
fn write_bits(words: &mut [u64], at: usize, width: u32, value: u64) {
    let (w, off) = (at / 64, (at % 64) as u32);
    words[w] |= value << off;
    if off + width > 64 {
        words[w + 1] |= value >> (64 - off);
    }
}

#[inline]
fn read_bits(words: &[u64], at: usize, width: u32) -> u64 {
    let (w, off) = (at / 64, (at % 64) as u32);
    let mut v = words[w] >> off;
    if off + width > 64 {
        v |= words[w + 1] << (64 - off);
    }
    v & (u64::MAX >> (64 - width))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(n: usize, step: u64, seed: u64) -> Vec<u64> {
        let mut x = seed | 1;
        let mut v = 0u64;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                v += x % (step + 1);
                v
            })
            .collect()
    }

    #[test]
    fn access_successor_rank() {
        for (n, step) in [
            (0, 1),
            (1, 0),
            (5, 0),
            (100, 3),
            (3000, 1000),
            (2000, 1 << 40),
        ] {
            let vals = sorted(n, step, n as u64 + step);
            let ef = EliasFano::new(&vals).unwrap();
            assert_eq!(ef.len(), n);
            assert!(ef.iter().eq(vals.iter().copied()));
            assert_eq!(ef.get(n), None);
            let probes = vals
                .iter()
                .flat_map(|&v| [v.saturating_sub(1), v, v + 1])
                .chain([0, u64::MAX]);
            for x in probes {
                let want = vals.iter().position(|&v| v >= x).map(|i| (i, vals[i]));
                assert_eq!(ef.next_geq(x), want, "n {n} step {step} x {x}");
                assert_eq!(ef.rank(x), want.map_or(n, |(i, _)| i));
            }
        }
    }

    #[test]
    fn rejects_unsorted_and_space_is_near_the_bound() {
        assert!(EliasFano::new(&[2, 1]).is_err());
        let vals: Vec<u64> = (0..100_000u64).map(|i| i * 1000 + i % 7).collect();
        let ef = EliasFano::new(&vals).unwrap();
        let bits_per_value = ef.size_in_bytes() as f64 * 8.0 / vals.len() as f64;
        // 2 + log2(u/n) ≈ 12 bits, plus the rank/select indexes of the high bits.
        assert!(bits_per_value < 2.0 + 10.0 + 2.0, "{bits_per_value}");
        let max = EliasFano::new(&[0, u64::MAX]).unwrap();
        assert_eq!(max.get(1), Some(u64::MAX));
        assert_eq!(max.next_geq(u64::MAX), Some((1, u64::MAX)));
    }
}
