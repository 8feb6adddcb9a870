//! A split-block Bloom filter (the blocked Bloom filter of Putze, Sanders & Singler
//! 2007 in the "split block" layout used by Impala, Kudu and Parquet): each key picks
//! one 256-bit block (eight 32-bit words) and sets one bit in every word, the bit chosen
//! by multiplying 32 bits of the key's hash by a per-word odd constant. A query touches
//! one cache line and its eight word tests are the same arithmetic on eight lanes, which
//! compilers turn into a handful of AVX2 instructions: the AVX2 build of the same code
//! is chosen at run time where the CPU has it (bit-identical results by construction).

use crate::format::{header, Reader};
use crate::{err, mix, mulhi, zeroed, Backend, DynamicFilter, ErrorKind, Filter, Result};

const SEED: u64 = 0x6a09_e667_f3bc_c908;

/// Eight odd multipliers, one per word of a block (MurmurHash3's finaliser of 1..=8,
/// forced odd).
const SALTS: [u32; 8] = {
    let mut s = [0u32; 8];
    let mut i = 0;
    while i < 8 {
        let mut h = (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        s[i] = (h as u32) | 1;
        i += 1;
    }
    s
};

type Block = [u32; 8];

#[inline(always)]
fn masks(x: u32) -> Block {
    let mut m = [0u32; 8];
    for i in 0..8 {
        m[i] = 1u32 << (x.wrapping_mul(SALTS[i]) >> 27);
    }
    m
}

#[inline(always)]
fn block_contains(block: &Block, x: u32) -> bool {
    let m = masks(x);
    let mut all = true;
    for i in 0..8 {
        all &= block[i] & m[i] != 0;
    }
    all
}

#[inline(always)]
fn block_insert(block: &mut Block, x: u32) {
    let m = masks(x);
    for i in 0..8 {
        block[i] |= m[i];
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn block_contains_avx2(block: &Block, x: u32) -> bool {
    block_contains(block, x)
}

/// The instruction set a [`BlockedBloom`] queries with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Isa {
    /// Portable code (SSE2 on x86-64).
    Scalar,
    /// The same code compiled for AVX2 (x86-64 CPUs that have it).
    Avx2,
}

impl Isa {
    fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            return Isa::Avx2;
        }
        Isa::Scalar
    }
}

/// A split-block Bloom filter: insertable, no removal, one cache line per query.
///
/// Its false-positive rate depends on bits per key: ≈ 3.3 % at 8, 1.3 % at 10, 0.54 %
/// at 12 and 0.13 % at 16 bits/key ([`BlockedBloom::expected_fpr`] computes it exactly
/// for a load; the conformance tests check measured rates against it).
#[derive(Clone)]
pub struct BlockedBloom {
    blocks: Vec<Block>,
    keys: usize,
    isa: Isa,
}

impl std::fmt::Debug for BlockedBloom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockedBloom")
            .field("blocks", &self.blocks.len())
            .field("keys", &self.keys)
            .field("isa", &self.isa)
            .finish()
    }
}

impl PartialEq for BlockedBloom {
    fn eq(&self, other: &Self) -> bool {
        self.blocks == other.blocks && self.keys == other.keys
    }
}

impl BlockedBloom {
    /// A filter for `capacity` keys at `bits_per_key` bits each (rounded up to whole
    /// 256-bit blocks; at least one block).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] if `bits_per_key` is not finite and in `1.0..=1024.0`,
    /// or the table cannot be allocated (e.g. `capacity == usize::MAX`).
    pub fn with_bits_per_key(capacity: usize, bits_per_key: f64) -> Result<Self> {
        if !(1.0..=1024.0).contains(&bits_per_key) {
            return Err(err(
                ErrorKind::Parameter,
                Backend::Bloom,
                format!("bits per key {bits_per_key} not in 1..=1024"),
            ));
        }
        let bits = capacity as f64 * bits_per_key;
        if bits > (isize::MAX as f64) {
            return Err(err(
                ErrorKind::Parameter,
                Backend::Bloom,
                format!("{capacity} keys at {bits_per_key} bits do not fit in memory"),
            ));
        }
        let blocks = ((bits / 256.0).ceil() as usize).max(1);
        Ok(BlockedBloom {
            blocks: zeroed(blocks, Backend::Bloom)?,
            keys: 0,
            isa: Isa::detect(),
        })
    }

    /// A filter for `capacity` keys whose false-positive rate at that load is at most
    /// `fpr` (by [`expected_fpr`](Self::expected_fpr)).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] if `fpr` is not in `1e-9..1.0`, or as
    /// [`with_bits_per_key`](Self::with_bits_per_key).
    pub fn with_fpr(capacity: usize, fpr: f64) -> Result<Self> {
        if !(1e-9..1.0).contains(&fpr) {
            return Err(err(
                ErrorKind::Parameter,
                Backend::Bloom,
                format!("false-positive rate {fpr} not in 1e-9..1"),
            ));
        }
        let mut bits = 1.0;
        while bits < 1024.0 && Self::expected_fpr(bits) > fpr {
            bits += 0.25;
        }
        Self::with_bits_per_key(capacity, bits)
    }

    /// The false-positive rate of a split-block filter loaded at `bits_per_key`: the
    /// keys per block are Poisson with mean λ = 256 / bits_per_key, and with `i` keys in
    /// a block a query passes each of its eight words with probability
    /// 1 − (31/32)^i, so the rate is Σᵢ Pois(i; λ) · (1 − (31/32)^i)⁸.
    pub fn expected_fpr(bits_per_key: f64) -> f64 {
        if bits_per_key.is_nan() || bits_per_key <= 0.0 {
            return 1.0;
        }
        let lambda = 256.0 / bits_per_key;
        let mut p = (-lambda).exp();
        let mut sum = 0.0;
        let end = (lambda * 4.0 + 100.0) as u32;
        for i in 0..end {
            if i > 0 {
                p *= lambda / f64::from(i);
            }
            sum += p * (1.0 - (31.0f64 / 32.0).powi(i as i32)).powi(8);
        }
        sum.min(1.0)
    }

    /// The instruction set queries use (detected at construction).
    pub fn isa(&self) -> Isa {
        self.isa
    }

    /// Forces an instruction set (`Avx2` only where the CPU has it: else an
    /// [`ErrorKind::Parameter`] error), for tests and benchmarks.
    ///
    /// # Errors
    /// As above.
    pub fn set_isa(&mut self, isa: Isa) -> Result<()> {
        if isa == Isa::Avx2 && Isa::detect() != Isa::Avx2 {
            return Err(err(
                ErrorKind::Parameter,
                Backend::Bloom,
                "this CPU has no AVX2",
            ));
        }
        self.isa = isa;
        Ok(())
    }

    #[inline]
    fn locate(&self, key: u64) -> (usize, u32) {
        let h = mix(key, SEED);
        (mulhi(h, self.blocks.len() as u64) as usize, h as u32)
    }

    /// Reads a filter written by [`Filter::to_bytes`].
    ///
    /// # Errors
    /// [`ErrorKind::Corrupt`] for anything but a well-formed Bloom filter.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes, Backend::Bloom)?;
        let keys = r.u64()?;
        let blocks = r.count(32)?;
        if blocks == 0 {
            return Err(r.corrupt("no blocks"));
        }
        let keys = usize::try_from(keys).map_err(|_| r.corrupt("key count too large"))?;
        let data = r.take(blocks * 32)?;
        r.finish()?;
        let blocks = data
            .chunks_exact(32)
            .map(|b| {
                let mut block = [0u32; 8];
                for (w, c) in block.iter_mut().zip(b.chunks_exact(4)) {
                    *w = u32::from_le_bytes(c.try_into().expect("4 bytes"));
                }
                block
            })
            .collect();
        Ok(BlockedBloom {
            blocks,
            keys,
            isa: Isa::detect(),
        })
    }
}

impl Filter for BlockedBloom {
    #[inline]
    fn contains_key(&self, key: u64) -> bool {
        let (i, x) = self.locate(key);
        let block = &self.blocks[i];
        match self.isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::Avx2` is only set when the CPU was detected to have AVX2
            // (`Isa::detect`, `set_isa`).
            Isa::Avx2 => unsafe { block_contains_avx2(block, x) },
            _ => block_contains(block, x),
        }
    }

    fn len(&self) -> usize {
        self.keys
    }

    fn size_in_bytes(&self) -> usize {
        self.blocks.len() * 32
    }

    fn backend(&self) -> Backend {
        Backend::Bloom
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(Backend::Bloom, 16 + self.size_in_bytes());
        out.extend_from_slice(&(self.keys as u64).to_le_bytes());
        out.extend_from_slice(&(self.blocks.len() as u64).to_le_bytes());
        for block in &self.blocks {
            for w in block {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }
}

impl DynamicFilter for BlockedBloom {
    #[inline]
    fn insert_key(&mut self, key: u64) -> Result<()> {
        let (i, x) = self.locate(key);
        block_insert(&mut self.blocks[i], x);
        self.keys = self.keys.saturating_add(1);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_fpr_is_monotone_and_plausible() {
        let f10 = BlockedBloom::expected_fpr(10.0);
        let f16 = BlockedBloom::expected_fpr(16.0);
        assert!(f10 > f16);
        assert!((0.012..0.013).contains(&f10), "{f10}");
        assert!((0.0013..0.0014).contains(&f16), "{f16}");
    }

    #[test]
    fn scalar_and_avx2_agree() {
        let mut f = BlockedBloom::with_bits_per_key(1000, 10.0).unwrap();
        for k in 0..1000u64 {
            f.insert_key(crate::fmix64(k)).unwrap();
        }
        if f.set_isa(Isa::Avx2).is_err() {
            return; // no AVX2 here: nothing to compare
        }
        let avx2: Vec<bool> = (0..100_000u64).map(|k| f.contains_key(k)).collect();
        f.set_isa(Isa::Scalar).unwrap();
        let scalar: Vec<bool> = (0..100_000u64).map(|k| f.contains_key(k)).collect();
        assert_eq!(avx2, scalar);
    }
}
