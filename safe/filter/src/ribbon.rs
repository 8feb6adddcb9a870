//! Ribbon filters (Dillinger & Walzer, "Ribbon filter: practically smaller than Bloom
//! and Xor", 2021): the Standard Ribbon with 128-bit coefficient rows. Each key is one
//! equation over GF(2): a random 128-bit row `c` (its first bit set) placed at a start
//! slot `s`, whose solution bits `z[s..s + 128]` must have parity `c · z` equal to the
//! key's fingerprint, one bit column per fingerprint bit. Construction sorts the keys'
//! hashes (starts follow hashes, so the rows arrive in slot order), eliminates each row
//! on the fly against the rows already placed ("banding", the paper's Rapid Incremental
//! Boolean Banding), then solves by back-substitution into an interleaved column-major
//! table: a query reads the fingerprint's bit columns of two adjacent 128-slot blocks.
//!
//! The rows' locality lets the table run at 1.05 slots per key at 10⁶ keys: fewer
//! bits per key than a binary fuse filter at the same false-positive rate (2⁻⁸ / 2⁻¹⁶),
//! paid for with a slower query (sixteen or thirty-two word reads and parities).

use std::marker::PhantomData;

use crate::format::{header, Reader};
use crate::{
    err, fmix64, mix, mulhi, next_seed, sort_distinct, zeroed, Backend, ErrorKind, Filter,
    Fingerprint, Result, StaticFilter,
};

/// Coefficient bits per row (the band width).
const W: usize = 128;
/// Seeds tried at one table size before the table grows.
const SEEDS_PER_SIZE: u32 = 4;
/// Table sizes tried (each 1/32 larger than the one before) before [`ErrorKind::Build`].
const SIZES: u32 = 16;

/// A Standard Ribbon filter with fingerprints of type `F` ([`Ribbon8`], [`Ribbon16`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Ribbon<F: Fingerprint> {
    seed: u64,
    keys: usize,
    slots: usize,
    /// Block `b` (slots `128 b .. 128 b + 128`), fingerprint bit `j`: word
    /// `b * F::BITS + j`, whose bit `t` is bit `j` of slot `128 b + t`'s solution.
    columns: Vec<u128>,
    fingerprint: PhantomData<F>,
}

/// Ribbon filter with 8-bit fingerprints: false-positive rate 2⁻⁸ ≈ 0.39 % at ≈ 8.4
/// bits/key for 10⁶ keys (more for small sets: at least 128 slots).
pub type Ribbon8 = Ribbon<u8>;
/// Ribbon filter with 16-bit fingerprints: false-positive rate 2⁻¹⁶ at ≈ 16.8 bits/key
/// for 10⁶ keys.
pub type Ribbon16 = Ribbon<u16>;

impl<F: Fingerprint> std::fmt::Debug for Ribbon<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ribbon")
            .field("bits", &F::BITS)
            .field("keys", &self.keys)
            .field("slots", &self.slots)
            .finish()
    }
}

/// A key's equation: its start slot (one of `starts`), its coefficient row (bit 0 set:
/// the row begins at the start) and its fingerprint.
#[inline]
fn row<F: Fingerprint>(h: u64, starts: u64) -> (usize, u128, F) {
    let start = mulhi(h, starts) as usize;
    let lo = fmix64(h ^ 0x6a09_e667_f3bc_c909);
    let hi = fmix64(h ^ 0xbb67_ae85_84ca_a73b);
    let coefficients = (u128::from(hi) << 64 | u128::from(lo)) | 1;
    let fingerprint = F::from_hash(fmix64(h ^ 0x3c6e_f372_fe94_f82b));
    (start, coefficients, fingerprint)
}

/// The slots a table for `n` distinct keys starts with: `n` plus the measured overhead
/// (see [`overhead`]) plus one band width, rounded up to whole 128-slot blocks. `None`
/// when that does not fit `usize` arithmetic comfortably.
fn slots_for(n: usize) -> Option<usize> {
    let slots = (n as f64 * (1.0 + overhead(n))).ceil() + W as f64;
    if slots > (usize::MAX / 64) as f64 {
        return None;
    }
    Some((slots as usize).div_ceil(W) * W)
}

/// The space overhead over one slot per key (besides the 128-slot band) at which
/// banding succeeds for nearly every seed: Standard Ribbon's ε grows with log n for a
/// fixed band width. Measured with 128-bit rows over 10 seeds per point (ignored test
/// `explore_overhead`): every seed succeeds from ε = 0 at 10⁴ keys, 0.025 at 10⁵, 0.04
/// at 3·10⁵ and 10⁶ (0.035: 7 of 10); 3·10⁶ needs more than 0.04 (6 of 10). This is
/// 0.005·(log₂ n − 10), a step above each of those points.
fn overhead(n: usize) -> f64 {
    if n < 2 {
        return 0.0;
    }
    (0.005 * ((n as f64).log2() - 10.0)).max(0.0)
}

/// Grows a table by 1/32 (whole blocks).
fn grow(slots: usize) -> usize {
    (slots + slots / 32).div_ceil(W) * W + W
}

/// Bands the sorted, distinct `hashes` into `slots` slots: `None` when two rows
/// contradict (another seed or a larger table is needed).
fn band<F: Fingerprint>(
    hashes: &[u64],
    slots: usize,
    backend: Backend,
) -> Result<Option<(Vec<u128>, Vec<F>)>> {
    let starts = (slots - W + 1) as u64;
    let mut coefficients: Vec<u128> = zeroed(slots, backend)?;
    let mut results: Vec<F> = zeroed(slots, backend)?;
    for &h in hashes {
        let (mut s, mut c, mut r) = row::<F>(h, starts);
        loop {
            let placed = coefficients[s];
            if placed == 0 {
                coefficients[s] = c;
                results[s] = r;
                break;
            }
            c ^= placed;
            r = r ^ results[s];
            if c == 0 {
                if r == F::default() {
                    // A linear combination of rows already placed, and consistent
                    // with them: the key is represented without a slot of its own.
                    break;
                }
                return Ok(None);
            }
            // c's highest bit stays at or below the original row's last slot
            // (s + 127 <= slots - 1), so the new start is in the table.
            let shift = c.trailing_zeros();
            c >>= shift;
            s += shift as usize;
        }
    }
    Ok(Some((coefficients, results)))
}

/// Back-substitution: the solution bits, bottom slot first, each slot's fingerprint bit
/// `j` being the parity of its row's other coefficients against the 127 solution bits
/// above it in column `j` (free slots, without a row, get 0); written out block by block
/// into the interleaved column-major table.
fn solve<F: Fingerprint>(
    coefficients: &[u128],
    results: &[F],
    backend: Backend,
) -> Result<Vec<u128>> {
    let bits = F::BITS as usize;
    let slots = coefficients.len();
    let mut columns: Vec<u128> = zeroed(slots / W * bits, backend)?;
    let mut state = [0u128; 16];
    for i in (0..slots).rev() {
        let rest = coefficients[i] >> 1;
        let r = results[i].bits();
        for (j, column) in state[..bits].iter_mut().enumerate() {
            let bit = ((r >> j) as u32 & 1) ^ ((rest & *column).count_ones() & 1);
            *column = (*column << 1) | u128::from(bit);
        }
        if i % W == 0 {
            let b = i / W;
            columns[b * bits..(b + 1) * bits].copy_from_slice(&state[..bits]);
        }
    }
    Ok(columns)
}

impl<F: Fingerprint> Ribbon<F> {
    fn kind() -> Backend {
        if F::BITS == 8 {
            Backend::Ribbon8
        } else {
            Backend::Ribbon16
        }
    }

    /// The table's slots (a multiple of 128): `size_in_bytes() * 8 / F::BITS`.
    pub fn slots(&self) -> usize {
        self.slots
    }
}

impl<F: Fingerprint> StaticFilter for Ribbon<F> {
    /// Builds the filter: up to 4 seeds at the initial size (n · (1 + ε) + 128 slots),
    /// then the table grows by 1/32, at most 16 sizes.
    fn build(keys: &[u64]) -> Result<Self> {
        let kind = Self::kind();
        let mut hashes: Vec<u64> = zeroed(keys.len(), kind)?;
        let mut scratch = Vec::new();
        let mut state = 0x1405_7b7e_f767_814f;
        let mut slots = 0;
        for attempt in 0..SEEDS_PER_SIZE * SIZES {
            let seed = next_seed(&mut state);
            hashes.clear();
            hashes.extend(keys.iter().map(|&k| mix(k, seed)));
            // Starts are monotone in the hash: sorted rows band in slot order. Equal
            // hashes are equal keys (the remix is a bijection).
            sort_distinct(&mut hashes, &mut scratch);
            if attempt == 0 {
                slots = slots_for(hashes.len()).ok_or_else(|| {
                    err(
                        ErrorKind::Parameter,
                        kind,
                        format!("{} keys are too many", hashes.len()),
                    )
                })?;
            } else if attempt % SEEDS_PER_SIZE == 0 {
                slots = grow(slots);
            }
            if let Some((coefficients, results)) = band::<F>(&hashes, slots, kind)? {
                let columns = solve(&coefficients, &results, kind)?;
                return Ok(Ribbon {
                    seed,
                    keys: hashes.len(),
                    slots,
                    columns,
                    fingerprint: PhantomData,
                });
            }
        }
        Err(err(
            ErrorKind::Build,
            kind,
            format!(
                "banding failed for {} seeds over {SIZES} table sizes",
                SEEDS_PER_SIZE * SIZES
            ),
        ))
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let kind = Self::kind();
        let mut r = Reader::new(bytes, kind)?;
        let seed = r.u64()?;
        let keys = r.u64()?;
        let slots = r.u64()?;
        let slots = usize::try_from(slots).map_err(|_| r.corrupt("slot count too large"))?;
        let keys = usize::try_from(keys).map_err(|_| r.corrupt("key count too large"))?;
        if slots < W || slots % W != 0 {
            return Err(r.corrupt(format!("{slots} slots: not a positive multiple of {W}")));
        }
        if keys > slots {
            return Err(r.corrupt(format!("{keys} keys in {slots} slots")));
        }
        let bits = F::BITS as usize;
        let words = (slots / W)
            .checked_mul(bits)
            .filter(|&w| w.checked_mul(16).is_some())
            .ok_or_else(|| r.corrupt("slot count too large"))?;
        let data = r.take(words * 16)?;
        r.finish()?;
        Ok(Ribbon {
            seed,
            keys,
            slots,
            columns: data
                .chunks_exact(16)
                .map(|w| u128::from_le_bytes(w.try_into().expect("16 bytes")))
                .collect(),
            fingerprint: PhantomData,
        })
    }
}

impl<F: Fingerprint> Filter for Ribbon<F> {
    #[inline]
    fn contains_key(&self, key: u64) -> bool {
        let h = mix(key, self.seed);
        let (s, c, fingerprint) = row::<F>(h, (self.slots - W + 1) as u64);
        let bits = F::BITS as usize;
        let block = s / W;
        let offset = (s % W) as u32;
        // The row split at the block boundary: its part over block `block` and its part
        // over the next block (`(c >> 1) >> (127 - offset)` is `c >> (128 - offset)`,
        // and 0 for an aligned row), so each column costs two ANDs and one parity. The
        // last block is only reached aligned (s <= slots - 128): clamping `next` reads
        // a word the zero mask then ignores.
        let c_low = c << offset;
        let c_high = (c >> 1) >> (127 - offset);
        let next = (block + 1).min(self.slots / W - 1);
        let low = &self.columns[block * bits..(block + 1) * bits];
        let high = &self.columns[next * bits..(next + 1) * bits];
        let mut found = 0u64;
        for j in 0..bits {
            let x = (low[j] & c_low) ^ (high[j] & c_high);
            let folded = (x as u64) ^ ((x >> 64) as u64);
            found |= u64::from(folded.count_ones() & 1) << j;
        }
        found == fingerprint.bits()
    }

    fn len(&self) -> usize {
        self.keys
    }

    fn size_in_bytes(&self) -> usize {
        self.columns.len() * 16
    }

    fn backend(&self) -> Backend {
        Self::kind()
    }

    /// Seed, key count, slot count, then the column words (16 bytes each).
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(Self::kind(), 24 + self.size_in_bytes());
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&(self.keys as u64).to_le_bytes());
        out.extend_from_slice(&(self.slots as u64).to_le_bytes());
        for &w in &self.columns {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How many of `seeds` key sets `0..n` (remixed with distinct seeds) band into
    /// `slots` slots.
    fn seeds_that_band(n: usize, slots: usize, seeds: u64) -> u64 {
        (0..seeds)
            .filter(|&i| {
                let seed = fmix64(i + 1);
                let mut hashes: Vec<u64> = (0..n as u64).map(|k| mix(k, seed)).collect();
                hashes.sort_unstable();
                band::<u8>(&hashes, slots, Backend::Ribbon8)
                    .unwrap()
                    .is_some()
            })
            .count() as u64
    }

    /// Success rate of banding at the initial size over 20 seeds, for n up to 10⁶: at
    /// least half the seeds must succeed (the build tries 4 before it grows the table).
    #[test]
    fn overhead_gives_success() {
        for n in [10usize, 1000, 100_000] {
            let slots = slots_for(n).unwrap();
            let ok = seeds_that_band(n, slots, 20);
            assert!(ok >= 10, "n={n}: {ok}/20 seeds band at {slots} slots");
        }
    }

    /// Explores the overhead: `cargo test -p arsenal-filter --release -- --ignored
    /// --nocapture explore_overhead`.
    #[test]
    #[ignore]
    fn explore_overhead() {
        for n in [
            1000usize, 10_000, 30_000, 100_000, 300_000, 1_000_000, 3_000_000,
        ] {
            for eps in [0.0, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04] {
                let slots = ((n as f64 * (1.0 + eps)).ceil() as usize + W).div_ceil(W) * W;
                let tries = 10u64;
                let ok = seeds_that_band(n, slots, tries);
                println!("n={n} eps={eps}: {ok}/{tries}");
            }
        }
    }

    #[test]
    fn finds_every_key_and_grows_when_needed() {
        for n in [0usize, 1, 2, 127, 128, 129, 1000, 50_000] {
            let keys: Vec<u64> = (0..n as u64).map(|k| fmix64(k + 1)).collect();
            let f = Ribbon8::build(&keys).unwrap();
            assert_eq!(f.len(), n);
            assert!(keys.iter().all(|&k| f.contains_key(k)), "n={n}");
            assert!(f.slots() >= slots_for(n).unwrap());
            let g = Ribbon16::build(&keys).unwrap();
            assert!(keys.iter().all(|&k| g.contains_key(k)), "n={n}");
        }
    }
}
