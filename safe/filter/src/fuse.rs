//! Binary fuse filters (Graf & Lemire, "Binary Fuse Filters: Fast and Smaller Than Xor
//! Filters", JEA 2022): like xor filters, but a key's three slots lie in three
//! consecutive segments of a table cut into power-of-two segments, which lets the
//! hypergraph peel at ≈ 1.125 slots per key for large sets (≈ 9.0 bits/key with 8-bit
//! fingerprints, false-positive rate 2⁻⁸).

use crate::xor::Table;
use crate::{err, mix, mulhi, Backend, ErrorKind, Filter, Fingerprint, Result, StaticFilter};

/// The table layout for a number of keys (arity 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    segment_length: usize,
    segment_count: usize,
    /// `segment_count * segment_length` (the range of a key's first slot).
    first_range: u64,
    /// `segment_length - 1`.
    mask: u64,
}

impl Layout {
    /// The paper's sizing: segments of 2^⌊log₃.₃₃(n) + 2.25⌋ slots (at most 2¹⁸), and
    /// max(1.125, 0.875 + 0.25·ln(10⁶)/ln(n)) slots per key.
    fn for_keys(n: usize) -> Option<Layout> {
        let segment_length = if n == 0 {
            4
        } else {
            let exp = ((n as f64).ln() / 3.33f64.ln() + 2.25).floor() as u32;
            1usize << exp.min(18)
        };
        let size_factor = if n <= 1 {
            0.0
        } else {
            (0.875 + 0.25 * 1e6f64.ln() / (n as f64).ln()).max(1.125)
        };
        let capacity = (n as f64 * size_factor).round();
        if capacity > (u32::MAX as f64) * 4.0 {
            return None;
        }
        let capacity = capacity as usize;
        let segments = capacity.div_ceil(segment_length);
        let segment_count = segments.saturating_sub(2).max(1);
        Some(Layout {
            segment_length,
            segment_count,
            first_range: (segment_count * segment_length) as u64,
            mask: (segment_length - 1) as u64,
        })
    }

    fn slots(self) -> usize {
        (self.segment_count + 2) * self.segment_length
    }

    #[inline]
    fn positions(self, h: u64) -> [usize; 3] {
        let h0 = mulhi(h, self.first_range);
        let h1 = (h0 + self.segment_length as u64) ^ ((h >> 18) & self.mask);
        let h2 = (h0 + 2 * self.segment_length as u64) ^ (h & self.mask);
        [h0 as usize, h1 as usize, h2 as usize]
    }
}

/// A binary fuse filter with fingerprints of type `F` ([`BinaryFuse8`],
/// [`BinaryFuse16`]).
#[derive(Clone, PartialEq, Eq)]
pub struct BinaryFuse<F: Fingerprint> {
    table: Table<F>,
    layout: Layout,
}

/// Binary fuse filter with 8-bit fingerprints: ≈ 9.0 bits/key for large sets (more for
/// small ones), false-positive rate ≈ 0.39 %.
pub type BinaryFuse8 = BinaryFuse<u8>;
/// Binary fuse filter with 16-bit fingerprints: ≈ 18 bits/key, false-positive rate
/// ≈ 0.0015 %.
pub type BinaryFuse16 = BinaryFuse<u16>;

impl<F: Fingerprint> std::fmt::Debug for BinaryFuse<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BinaryFuse")
            .field("bits", &F::BITS)
            .field("keys", &self.table.keys)
            .field("segment_length", &self.layout.segment_length)
            .field("segment_count", &self.layout.segment_count)
            .finish()
    }
}

impl<F: Fingerprint> BinaryFuse<F> {
    fn kind() -> Backend {
        if F::BITS == 8 {
            Backend::BinaryFuse8
        } else {
            Backend::BinaryFuse16
        }
    }
}

impl<F: Fingerprint> StaticFilter for BinaryFuse<F> {
    fn build(keys: &[u64]) -> Result<Self> {
        let kind = Self::kind();
        let (table, layout) = Table::build(
            keys,
            kind,
            0x2545_f491_4f6c_dd1d,
            |n| {
                Layout::for_keys(n).ok_or_else(|| {
                    err(ErrorKind::Parameter, kind, format!("{n} keys are too many"))
                })
            },
            Layout::slots,
            Layout::positions,
        )?;
        Ok(BinaryFuse { table, layout })
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut layout = None;
        let table = Table::read(bytes, Self::kind(), |keys| {
            let l = Layout::for_keys(keys)?;
            layout = Some(l);
            Some(l.slots())
        })?;
        let layout = layout.expect("read checked the layout");
        Ok(BinaryFuse { table, layout })
    }
}

impl<F: Fingerprint> Filter for BinaryFuse<F> {
    #[inline]
    fn contains_key(&self, key: u64) -> bool {
        let h = mix(key, self.table.seed);
        self.table.matches(h, self.layout.positions(h))
    }

    fn len(&self) -> usize {
        self.table.keys
    }

    fn size_in_bytes(&self) -> usize {
        self.table.size_in_bytes()
    }

    fn backend(&self) -> Backend {
        Self::kind()
    }

    fn to_bytes(&self) -> Vec<u8> {
        self.table.write(Self::kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_positions_stay_in_the_table() {
        for n in [0usize, 1, 2, 3, 10, 100, 1000, 12345, 1 << 20] {
            let l = Layout::for_keys(n).unwrap();
            assert!(l.segment_length.is_power_of_two());
            for i in 0..10_000u64 {
                let h = crate::fmix64(i);
                let p = l.positions(h);
                assert!(p.iter().all(|&x| x < l.slots()), "n={n}");
                assert!(p[0] != p[1] && p[1] != p[2] && p[0] != p[2]);
            }
        }
    }
}
