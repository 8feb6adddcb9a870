//! Xor filters (Graf & Lemire, "Xor Filters: Faster and Smaller Than Bloom and Cuckoo
//! Filters", JEA 2020): three fingerprint slots per key, one in each third of the
//! table, whose xor is the key's fingerprint; built by peeling a random 3-hypergraph.
//! 1.23 slots per key + 32: ≈ 9.84 bits/key with 8-bit fingerprints, false-positive
//! rate 2⁻⁸ (16-bit: 2⁻¹⁶).

use crate::format::{header, Reader};
use crate::{
    err, mix, next_seed, sort_distinct, zeroed, Backend, ErrorKind, Filter, Fingerprint, Result,
    StaticFilter,
};

/// Seeds tried before [`ErrorKind::Build`] (each succeeds with probability > 0.8 for
/// distinct keys).
pub(crate) const MAX_ATTEMPTS: u32 = 100;

/// Peels the 3-hypergraph whose edges are `hashes` (vertex triples from `positions`)
/// over `slots` vertices, then assigns fingerprints so that each key's three slots xor
/// to its fingerprint. `None` when the graph has a 2-core (try another seed).
///
/// Per slot: one byte holding the number of keys there (times 4) plus the xor of their
/// position indices (0, 1, 2) in the low two bits, and the xor of their hashes: a slot
/// with one key left names that key and which of its positions it is (the layout of
/// Graf & Lemire's reference code; 9 bytes per slot). A slot with more than 63 keys
/// counts as a failed seed.
pub(crate) fn peel_and_assign<F: Fingerprint>(
    hashes: &[u64],
    slots: usize,
    positions: impl Fn(u64) -> [usize; 3],
    backend: Backend,
) -> Result<Option<Vec<F>>> {
    let mut counts: Vec<u8> = zeroed(slots, backend)?;
    let mut xors: Vec<u64> = zeroed(slots, backend)?;
    let mut overflow = false;
    for &h in hashes {
        for (i, p) in positions(h).into_iter().enumerate() {
            let c = counts[p].wrapping_add(4);
            overflow |= c < 4;
            counts[p] = c ^ i as u8;
            xors[p] ^= h;
        }
    }
    if overflow {
        return Ok(None);
    }
    let mut queue: Vec<usize> = (0..slots).filter(|&p| counts[p] >> 2 == 1).collect();
    // The peeled keys' hashes and which of their positions each was peeled from.
    let mut peeled: Vec<u64> = Vec::with_capacity(hashes.len());
    let mut peeled_at: Vec<u8> = Vec::with_capacity(hashes.len());
    while let Some(p) = queue.pop() {
        if counts[p] >> 2 != 1 {
            continue;
        }
        let h = xors[p];
        peeled.push(h);
        peeled_at.push(counts[p] & 3);
        for (i, q) in positions(h).into_iter().enumerate() {
            counts[q] = counts[q].wrapping_sub(4) ^ i as u8;
            xors[q] ^= h;
            if counts[q] >> 2 == 1 {
                queue.push(q);
            }
        }
    }
    if peeled.len() != hashes.len() {
        return Ok(None);
    }
    drop(counts);
    drop(xors);
    drop(queue);
    let mut fingerprints: Vec<F> = zeroed(slots, backend)?;
    for (&h, &at) in peeled.iter().zip(&peeled_at).rev() {
        let p = positions(h);
        // fingerprints[p[at]] is still zero: each slot is peeled at most once.
        fingerprints[p[usize::from(at)]] =
            F::from_hash(h) ^ fingerprints[p[0]] ^ fingerprints[p[1]] ^ fingerprints[p[2]];
    }
    Ok(Some(fingerprints))
}

/// The fingerprint table of the xor and binary fuse filters: the seed keys are remixed
/// with, the number of keys, and the slots (whose count the filter's layout fixes).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Table<F: Fingerprint> {
    pub(crate) seed: u64,
    pub(crate) keys: usize,
    pub(crate) fingerprints: Vec<F>,
}

impl<F: Fingerprint> Table<F> {
    /// Builds the table over `keys` (duplicates allowed): tries seeds (a splitmix64
    /// sequence from `state`), each remixing the keys, sorting the hashes and dropping
    /// duplicates (equal hashes are equal keys: the remix is a bijection; sorted hashes
    /// also visit a binary fuse table in slot order, far fewer cache misses for large
    /// sets), until the keys' hypergraph peels, at most [`MAX_ATTEMPTS`]. `layout_for`
    /// gives the filter's layout for the distinct key count (its error: too many keys),
    /// `slots` the layout's slot count, `positions` a hash's three slots in it.
    pub(crate) fn build<L: Copy>(
        keys: &[u64],
        kind: Backend,
        mut state: u64,
        layout_for: impl Fn(usize) -> Result<L>,
        slots: impl Fn(L) -> usize,
        positions: impl Fn(L, u64) -> [usize; 3],
    ) -> Result<(Self, L)> {
        let mut hashes: Vec<u64> = zeroed(keys.len(), kind)?;
        let mut scratch = Vec::new();
        let mut layout = None;
        for _ in 0..MAX_ATTEMPTS {
            let seed = next_seed(&mut state);
            hashes.clear();
            hashes.extend(keys.iter().map(|&k| mix(k, seed)));
            sort_distinct(&mut hashes, &mut scratch);
            // The distinct count is the same for every seed: one layout.
            let l = match layout {
                Some(l) => l,
                None => *layout.insert(layout_for(hashes.len())?),
            };
            if let Some(fingerprints) =
                peel_and_assign::<F>(&hashes, slots(l), |h| positions(l, h), kind)?
            {
                let table = Table {
                    seed,
                    keys: hashes.len(),
                    fingerprints,
                };
                return Ok((table, l));
            }
        }
        Err(err(
            ErrorKind::Build,
            kind,
            format!("peeling failed for {MAX_ATTEMPTS} seeds"),
        ))
    }

    /// Whether the key hashed (with the seed) to `h` may be in the set, its slots `p`.
    #[inline]
    pub(crate) fn matches(&self, h: u64, p: [usize; 3]) -> bool {
        let fp = &self.fingerprints;
        F::from_hash(h) == fp[p[0]] ^ fp[p[1]] ^ fp[p[2]]
    }

    pub(crate) fn size_in_bytes(&self) -> usize {
        self.fingerprints.len() * (F::BITS as usize / 8)
    }

    /// The format's fields: seed, key count, slot count, fingerprints.
    pub(crate) fn write(&self, kind: Backend) -> Vec<u8> {
        let mut out = header(kind, 24 + self.size_in_bytes());
        out.extend_from_slice(&self.seed.to_le_bytes());
        out.extend_from_slice(&(self.keys as u64).to_le_bytes());
        out.extend_from_slice(&(self.fingerprints.len() as u64).to_le_bytes());
        for &f in &self.fingerprints {
            f.put(&mut out);
        }
        out
    }

    /// Reads a table written by [`write`](Self::write) for a `kind` filter;
    /// `slots_for(keys)` is the slot count the filter's layout gives that many keys
    /// (`None`: no layout can hold them).
    pub(crate) fn read(
        bytes: &[u8],
        kind: Backend,
        slots_for: impl FnOnce(usize) -> Option<usize>,
    ) -> Result<Self> {
        let mut r = Reader::new(bytes, kind)?;
        let seed = r.u64()?;
        let keys = r.u64()?;
        let width = F::BITS as usize / 8;
        let slots = r.count(width)?;
        let keys = usize::try_from(keys).map_err(|_| r.corrupt("key count too large"))?;
        let expected = slots_for(keys).ok_or_else(|| r.corrupt("key count"))?;
        if slots != expected {
            return Err(r.corrupt(format!(
                "{slots} slots do not match {keys} keys ({expected} expected)"
            )));
        }
        let data = r.take(slots * width)?;
        r.finish()?;
        Ok(Table {
            seed,
            keys,
            fingerprints: data.chunks_exact(width).map(F::get).collect(),
        })
    }
}

/// A xor filter with fingerprints of type `F` ([`Xor8`], [`Xor16`]).
#[derive(Clone, PartialEq, Eq)]
pub struct Xor<F: Fingerprint> {
    table: Table<F>,
    block_length: usize,
}

/// Xor filter with 8-bit fingerprints: ≈ 9.84 bits/key, false-positive rate ≈ 0.39 %.
pub type Xor8 = Xor<u8>;
/// Xor filter with 16-bit fingerprints: ≈ 19.7 bits/key, false-positive rate ≈ 0.0015 %.
pub type Xor16 = Xor<u16>;

impl<F: Fingerprint> std::fmt::Debug for Xor<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Xor")
            .field("bits", &F::BITS)
            .field("keys", &self.table.keys)
            .field("slots", &self.table.fingerprints.len())
            .finish()
    }
}

impl<F: Fingerprint> Xor<F> {
    fn kind() -> Backend {
        if F::BITS == 8 {
            Backend::Xor8
        } else {
            Backend::Xor16
        }
    }

    #[inline]
    fn positions(block_length: usize, h: u64) -> [usize; 3] {
        let reduce = |x: u32| ((u64::from(x) * block_length as u64) >> 32) as usize;
        [
            reduce(h as u32),
            reduce(h.rotate_left(21) as u32) + block_length,
            reduce(h.rotate_left(42) as u32) + 2 * block_length,
        ]
    }

    fn block_length_for(n: usize) -> Option<usize> {
        let capacity = (n as f64 * 1.23).ceil() + 32.0;
        let block = (capacity / 3.0) as usize;
        (block <= u32::MAX as usize).then_some(block)
    }
}

impl<F: Fingerprint> StaticFilter for Xor<F> {
    fn build(keys: &[u64]) -> Result<Self> {
        let kind = Self::kind();
        let (table, block_length) = Table::build(
            keys,
            kind,
            0x5851_f42d_4c95_7f2d,
            |n| {
                Self::block_length_for(n).ok_or_else(|| {
                    err(
                        ErrorKind::Parameter,
                        kind,
                        format!("{n} keys exceed the 32-bit slot index"),
                    )
                })
            },
            |block_length| 3 * block_length,
            Self::positions,
        )?;
        Ok(Xor {
            table,
            block_length,
        })
    }

    fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let table = Table::read(bytes, Self::kind(), |keys| {
            Self::block_length_for(keys).map(|block| 3 * block)
        })?;
        let block_length = table.fingerprints.len() / 3;
        Ok(Xor {
            table,
            block_length,
        })
    }
}

impl<F: Fingerprint> Filter for Xor<F> {
    #[inline]
    fn contains_key(&self, key: u64) -> bool {
        let h = mix(key, self.table.seed);
        self.table.matches(h, Self::positions(self.block_length, h))
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
