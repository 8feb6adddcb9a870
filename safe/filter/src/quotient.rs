//! A quotient filter (Bender, Farach-Colton, Johnson, Kuszmaul, Medjedovic, Montes,
//! Shetty, Spillane & Zadok, "Don't thrash: how to cache your hash on flash", VLDB 2012):
//! a compact open-addressing hash table of `r`-bit remainders.
//!
//! A key's mixed hash `h` gives a *quotient* `q = ⌊h·m / 2⁶⁴⌋` (the high bits, mapped onto
//! the `m` slots, so `m` need not be a power of two) and an `r`-bit *remainder* (the low
//! bits). The remainder is stored in slot `q` or, when that slot is taken, in the first
//! free slot after it (linear probing, wrapping around): the remainders of one quotient
//! form a sorted *run*, runs are kept in quotient order, and a maximal sequence of
//! runs with no free slot is a *cluster*. Three metadata bits per slot recover every
//! quotient: `is_occupied` (some key has this slot as its quotient), `is_continuation`
//! (this remainder continues the run of the slot before) and `is_shifted` (this
//! remainder is not in its own quotient's slot).
//!
//! Space: `r + 3` bits per slot, so `(r + 3) / load` bits per key. False-positive rate:
//! a key never inserted is reported when some stored key has the same quotient and
//! remainder, which for `n` keys in `m` slots happens with probability
//! `1 − (1 − 1/(m·2ʳ))ⁿ ≈ 1 − e^(−α/2ʳ) ≤ α·2⁻ʳ` at load `α = n/m`
//! ([`Quotient::expected_fpr`]): 0.35 % for 8-bit remainders at 90 % load, 0.0014 % for
//! 16-bit ones. Inserts fail with [`ErrorKind::Full`] past 95 % load (clusters grow as
//! `1/(1 − α)²`). Removal is exact for keys that were inserted.

use crate::format::{header, Reader};
use crate::{
    err, mix, mulhi, zeroed, Backend, DynamicFilter, ErrorKind, Filter, Fingerprint, Result,
};

const SEED: u64 = 0x3c6e_f372_fe94_f82b;
/// The load [`Quotient::with_capacity`] sizes for.
const LOAD: f64 = 0.90;
/// The highest load [`Quotient::with_load`] accepts; inserts past it fail.
pub(crate) const MAX_LOAD: f64 = 0.95;
/// The smallest table.
const MIN_SLOTS: usize = 16;

/// Metadata bit planes, interleaved three words per 64 slots.
const OCC: usize = 0;
const CONT: usize = 1;
const SHF: usize = 2;

/// A quotient filter with `F`-wide remainders: insert, remove, query. Use the aliases
/// [`Quotient8`] and [`Quotient16`].
#[derive(Clone, PartialEq, Eq)]
pub struct Quotient<F: Fingerprint> {
    /// `is_occupied`, `is_continuation`, `is_shifted` for slots `64·b .. 64·b + 64` at
    /// `meta[3b..3b + 3]`.
    meta: Vec<u64>,
    remainders: Vec<F>,
    keys: usize,
}

/// Quotient filter with 8-bit remainders (11 bits per slot; 12.2 bits/key at 90 % load,
/// false-positive rate ≈ 0.35 %).
pub type Quotient8 = Quotient<u8>;
/// Quotient filter with 16-bit remainders (19 bits per slot; 21.1 bits/key at 90 % load,
/// false-positive rate ≈ 0.0014 %).
pub type Quotient16 = Quotient<u16>;

impl<F: Fingerprint> std::fmt::Debug for Quotient<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Quotient")
            .field("remainder_bits", &F::BITS)
            .field("slots", &self.remainders.len())
            .field("keys", &self.keys)
            .finish()
    }
}

/// The backend of a remainder width.
fn backend_of<F: Fingerprint>() -> Backend {
    if F::BITS == 8 {
        Backend::Quotient8
    } else {
        Backend::Quotient16
    }
}

/// The most keys `m` slots take: 95 % of them, and always one free slot.
fn max_keys(m: usize) -> usize {
    m - m.div_ceil(20)
}

/// The position of the `k`-th (from 0) set bit of `w` (`k < w.count_ones()`):
/// byte-wise prefix popcounts find the byte, then at most seven bits are cleared.
#[inline]
fn select_in_word(w: u64, k: u32) -> u32 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut c = w - ((w >> 1) & 0x5555_5555_5555_5555);
    c = (c & 0x3333_3333_3333_3333) + ((c >> 2) & 0x3333_3333_3333_3333);
    c = (c + (c >> 4)) & 0x0f0f_0f0f_0f0f_0f0f;
    // Byte i holds the count of set bits in bytes 0..=i (at most 64: no carries).
    let prefix = c.wrapping_mul(ONES);
    // High bit of byte i set where that count exceeds k.
    let above = ((prefix | HIGH) - u64::from(k + 1) * ONES) & HIGH;
    let byte = above.trailing_zeros() / 8;
    let before = if byte == 0 {
        0
    } else {
        ((prefix >> (8 * (byte - 1))) & 0xff) as u32
    };
    let mut bits = (w >> (8 * byte)) & 0xff;
    for _ in 0..k - before {
        bits &= bits - 1;
    }
    8 * byte + bits.trailing_zeros()
}

impl<F: Fingerprint> Quotient<F> {
    /// A filter for `capacity` keys at 90 % load (`(r + 3) / 0.9` bits per key: 12.2 for
    /// [`Quotient8`], 21.1 for [`Quotient16`]); it takes up to 95 % load before inserts
    /// fail.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] if the table cannot be allocated (e.g.
    /// `capacity == usize::MAX`).
    pub fn with_capacity(capacity: usize) -> Result<Self> {
        Self::with_load(capacity, LOAD)
    }

    /// A filter for `capacity` keys at load `load` (0 < `load` ≤ 0.95): `capacity / load`
    /// slots (at least 16), `(r + 3) / load` bits per key, false-positive rate
    /// [`expected_fpr(load)`](Self::expected_fpr) when full to `capacity`.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] for a load outside (0, 0.95] or a table that cannot be
    /// allocated.
    pub fn with_load(capacity: usize, load: f64) -> Result<Self> {
        let backend = backend_of::<F>();
        if !(load > 0.0 && load <= MAX_LOAD) {
            return Err(err(
                ErrorKind::Parameter,
                backend,
                format!("load {load} outside (0, {MAX_LOAD}]"),
            ));
        }
        let want = (capacity as f64 / load).ceil().max(MIN_SLOTS as f64);
        // Two bytes per slot at most, plus metadata: far below isize::MAX / 4.
        if want > (isize::MAX as usize / 4) as f64 {
            return Err(err(
                ErrorKind::Parameter,
                backend,
                format!("capacity {capacity} does not fit in memory"),
            ));
        }
        Self::with_slots(want as usize)
    }

    fn with_slots(m: usize) -> Result<Self> {
        let backend = backend_of::<F>();
        Ok(Quotient {
            meta: zeroed(m.div_ceil(64) * 3, backend)?,
            remainders: zeroed(m, backend)?,
            keys: 0,
        })
    }

    /// The false-positive rate at load `load` (keys / slots): `1 − e^(−load/2ʳ)`, just
    /// under `load · 2⁻ʳ`.
    pub fn expected_fpr(load: f64) -> f64 {
        -(-load / f64::from(1u32 << F::BITS)).exp_m1()
    }

    /// The number of slots (the quotient's range).
    pub fn slots(&self) -> usize {
        self.remainders.len()
    }

    /// How many keys fit before inserts fail with [`ErrorKind::Full`] (95 % of the slots).
    pub fn capacity(&self) -> usize {
        max_keys(self.slots())
    }

    /// Whether the filter is at its maximum load (inserts fail until a key is removed).
    pub fn is_full(&self) -> bool {
        self.keys >= self.capacity()
    }

    /// Keys over slots.
    pub fn load(&self) -> f64 {
        self.keys as f64 / self.slots() as f64
    }

    #[inline]
    fn bit(&self, plane: usize, i: usize) -> bool {
        (self.meta[(i >> 6) * 3 + plane] >> (i & 63)) & 1 != 0
    }

    #[inline]
    fn set_bit(&mut self, plane: usize, i: usize, value: bool) {
        let word = &mut self.meta[(i >> 6) * 3 + plane];
        let b = 1u64 << (i & 63);
        if value {
            *word |= b;
        } else {
            *word &= !b;
        }
    }

    #[inline]
    fn is_empty_slot(&self, i: usize) -> bool {
        let base = (i >> 6) * 3;
        let w = self.meta[base] | self.meta[base + 1] | self.meta[base + 2];
        (w >> (i & 63)) & 1 == 0
    }

    #[inline]
    fn incr(&self, i: usize) -> usize {
        if i + 1 == self.remainders.len() {
            0
        } else {
            i + 1
        }
    }

    #[cfg(test)]
    fn decr(&self, i: usize) -> usize {
        if i == 0 {
            self.remainders.len() - 1
        } else {
            i - 1
        }
    }

    /// (quotient, remainder) of a key.
    #[inline]
    fn locate(&self, key: u64) -> (usize, F) {
        let h = mix(key, SEED);
        (
            mulhi(h, self.remainders.len() as u64) as usize,
            F::from_hash(h),
        )
    }

    /// The slot where the run of quotient `fq` starts (or would start): from the start
    /// of the cluster `b` (the nearest slot at or before `fq` that is not shifted), skip
    /// one run for every occupied quotient in `b..fq`. Word-at-a-time: a scan of
    /// `is_shifted` back to `b`, a popcount of `is_occupied`, and a select over the run
    /// heads (the zeros of `is_continuation`, every slot of a cluster being full). `fq`
    /// must be marked occupied.
    #[inline]
    fn run_start(&self, fq: usize) -> usize {
        let b = self.cluster_start(fq);
        let k = if b <= fq {
            self.count_occupied(b, fq)
        } else {
            self.count_occupied(b, self.slots()) + self.count_occupied(0, fq)
        };
        self.select_head(b, k)
    }

    /// The nearest slot at or before `fq` (wrapping) whose `is_shifted` bit is clear.
    #[inline]
    fn cluster_start(&self, fq: usize) -> usize {
        let mut i = fq;
        loop {
            let (block, bit) = (i >> 6, i & 63);
            let upto = if bit == 63 { !0 } else { (2u64 << bit) - 1 };
            let clear = !self.meta[block * 3 + SHF] & upto;
            if clear != 0 {
                return block * 64 + (63 - clear.leading_zeros() as usize);
            }
            // A free slot exists (≤ 95 % load), so this ends within one lap.
            i = if block == 0 {
                self.slots() - 1
            } else {
                block * 64 - 1
            };
        }
    }

    /// Occupied bits in slots `lo..hi` (no wrap).
    #[inline]
    fn count_occupied(&self, lo: usize, hi: usize) -> usize {
        if lo >= hi {
            return 0;
        }
        let (first, last) = (lo >> 6, (hi - 1) >> 6);
        let mut count = 0;
        for block in first..=last {
            let mut w = self.meta[block * 3 + OCC];
            if block == first {
                w &= !0u64 << (lo & 63);
            }
            if block == last && (hi - 1) & 63 != 63 {
                w &= (2u64 << ((hi - 1) & 63)) - 1;
            }
            count += w.count_ones() as usize;
        }
        count
    }

    /// The `k`-th (from 0) slot at or after `b` (wrapping) whose `is_continuation` bit
    /// is clear.
    #[inline]
    fn select_head(&self, b: usize, mut k: usize) -> usize {
        let m = self.slots();
        let last = (m - 1) >> 6;
        let mut i = b;
        loop {
            let block = i >> 6;
            let mut heads = !self.meta[block * 3 + CONT] & (!0u64 << (i & 63));
            if block == last && m & 63 != 0 {
                heads &= (1u64 << (m & 63)) - 1;
            }
            let count = heads.count_ones() as usize;
            if k < count {
                return block * 64 + select_in_word(heads, k as u32) as usize;
            }
            k -= count;
            i = if block == last { 0 } else { (block + 1) * 64 };
        }
    }

    /// Removes one occurrence of `key`. Returns whether it was found.
    ///
    /// Remove only keys that were inserted: removing a key that merely collides with an
    /// inserted one (a false positive) removes that other key's remainder.
    pub fn remove_key(&mut self, key: u64) -> bool {
        let (fq, fr) = self.locate(key);
        if !self.bit(OCC, fq) {
            return false;
        }
        let start = self.run_start(fq);
        let mut s = start;
        loop {
            let r = self.remainders[s];
            if r == fr {
                break;
            }
            if r > fr {
                return false;
            }
            s = self.incr(s);
            if !self.bit(CONT, s) {
                return false;
            }
        }
        let next = self.incr(s);
        let run_goes_on = self.bit(CONT, next);
        if s == start && !run_goes_on {
            // The run's only remainder: the quotient has no key left.
            self.set_bit(OCC, fq, false);
        }
        // Shift the shifted remainders after `s` one slot back, tracking their quotients
        // to recompute `is_shifted`; occupied bits stay with their slots.
        let mut hole = s;
        let mut q = fq;
        let mut j = next;
        while !self.is_empty_slot(j) && self.bit(SHF, j) {
            let cont = self.bit(CONT, j);
            if !cont {
                loop {
                    q = self.incr(q);
                    if self.bit(OCC, q) {
                        break;
                    }
                }
            }
            self.remainders[hole] = self.remainders[j];
            self.set_bit(CONT, hole, cont);
            self.set_bit(SHF, hole, hole != q);
            hole = j;
            j = self.incr(j);
        }
        self.remainders[hole] = F::default();
        self.set_bit(CONT, hole, false);
        self.set_bit(SHF, hole, false);
        if s == start && run_goes_on {
            // The run's second remainder, now at `s`, heads it.
            self.set_bit(CONT, s, false);
        }
        self.keys -= 1;
        true
    }

    /// Reads a filter written by [`Filter::to_bytes`], checking every metadata bit
    /// against the layout the stored runs imply.
    ///
    /// # Errors
    /// [`ErrorKind::Corrupt`] for anything but a well-formed quotient filter of this
    /// remainder width.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let backend = backend_of::<F>();
        let mut r = Reader::new(bytes, backend)?;
        let keys = r.u64()?;
        let m = r.u64()?;
        let m = usize::try_from(m).map_err(|_| r.corrupt("slot count does not fit usize"))?;
        if m < MIN_SLOTS {
            return Err(r.corrupt(format!("{m} slots (at least {MIN_SLOTS})")));
        }
        let width = (F::BITS / 8) as usize;
        let words = m.div_ceil(64) * 3;
        let need = words
            .checked_mul(8)
            .and_then(|w| m.checked_mul(width).and_then(|b| b.checked_add(w)));
        let data = match need {
            Some(n) => r.take(n)?,
            None => return Err(r.corrupt(format!("{m} slots exceed the input"))),
        };
        r.finish()?;
        let (meta_bytes, rem_bytes) = data.split_at(words * 8);
        let meta: Vec<u64> = meta_bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        let remainders: Vec<F> = rem_bytes.chunks_exact(width).map(F::get).collect();
        let f = Quotient {
            meta,
            remainders,
            keys: 0,
        };
        let stored = f
            .validate()
            .map_err(|why| err(ErrorKind::Corrupt, backend, why))?;
        if keys != stored as u64 {
            return Err(err(
                ErrorKind::Corrupt,
                backend,
                format!("key count {keys} but {stored} remainders stored"),
            ));
        }
        Ok(Quotient { keys: stored, ..f })
    }

    /// Checks the metadata describes a quotient filter (runs in quotient order, each
    /// occupied quotient with exactly one run at or after its slot, `is_shifted` and
    /// `is_continuation` consistent, runs sorted, free slots zero, at most 95 % load)
    /// and returns the number of stored remainders.
    fn validate(&self) -> std::result::Result<usize, String> {
        let m = self.remainders.len();
        // Bits past the last slot are zero.
        if m & 63 != 0 {
            let mask = !0u64 << (m & 63);
            let base = self.meta.len() - 3;
            if self.meta[base..].iter().any(|w| w & mask != 0) {
                return Err("metadata bits set past the last slot".into());
            }
        }
        let stored = (0..m).filter(|&i| !self.is_empty_slot(i)).count();
        if stored > max_keys(m) {
            return Err(format!("{stored} remainders in {m} slots: over 95 % load"));
        }
        // Start after a free slot (one exists), so no cluster wraps past the start.
        let free = (0..m)
            .find(|&i| self.is_empty_slot(i))
            .expect("a free slot below 95 % load");
        let mut pending = std::collections::VecDeque::new();
        let mut current: Option<(usize, F)> = None;
        let mut i = free;
        for _ in 0..m {
            i = self.incr(i);
            if self.bit(OCC, i) {
                pending.push_back(i);
            }
            if self.is_empty_slot(i) {
                if !pending.is_empty() {
                    return Err(format!("slot {i} free inside a cluster"));
                }
                if self.remainders[i] != F::default() {
                    return Err(format!("free slot {i} holds a remainder"));
                }
                current = None;
                continue;
            }
            let r = self.remainders[i];
            let q = if self.bit(CONT, i) {
                match current {
                    Some((q, prev)) if prev <= r => q,
                    Some(_) => return Err(format!("run unsorted at slot {i}")),
                    None => return Err(format!("continuation at slot {i} starts a cluster")),
                }
            } else {
                match pending.pop_front() {
                    Some(q) => q,
                    None => return Err(format!("run at slot {i} has no occupied quotient")),
                }
            };
            if self.bit(SHF, i) != (i != q) {
                return Err(format!("wrong is_shifted bit at slot {i}"));
            }
            current = Some((q, r));
        }
        Ok(stored)
    }
}

impl<F: Fingerprint> Filter for Quotient<F> {
    #[inline]
    fn contains_key(&self, key: u64) -> bool {
        let (fq, fr) = self.locate(key);
        if !self.bit(OCC, fq) {
            return false;
        }
        let mut s = self.run_start(fq);
        loop {
            let r = self.remainders[s];
            if r == fr {
                return true;
            }
            if r > fr {
                return false;
            }
            s = self.incr(s);
            if !self.bit(CONT, s) {
                return false;
            }
        }
    }

    fn len(&self) -> usize {
        self.keys
    }

    fn size_in_bytes(&self) -> usize {
        self.meta.len() * 8 + self.remainders.len() * (F::BITS / 8) as usize
    }

    fn backend(&self) -> Backend {
        backend_of::<F>()
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(backend_of::<F>(), 16 + self.size_in_bytes());
        out.extend_from_slice(&(self.keys as u64).to_le_bytes());
        out.extend_from_slice(&(self.remainders.len() as u64).to_le_bytes());
        for w in &self.meta {
            out.extend_from_slice(&w.to_le_bytes());
        }
        for &r in &self.remainders {
            r.put(&mut out);
        }
        out
    }
}

impl<F: Fingerprint> DynamicFilter for Quotient<F> {
    fn insert_key(&mut self, key: u64) -> Result<()> {
        if self.is_full() {
            return Err(err(
                ErrorKind::Full,
                backend_of::<F>(),
                format!(
                    "full at {} keys in {} slots (95 % load)",
                    self.keys,
                    self.slots()
                ),
            ));
        }
        let (fq, fr) = self.locate(key);
        if self.is_empty_slot(fq) {
            self.remainders[fq] = fr;
            self.set_bit(OCC, fq, true);
            self.keys += 1;
            return Ok(());
        }
        let had_run = self.bit(OCC, fq);
        self.set_bit(OCC, fq, true);
        let start = self.run_start(fq);
        let mut s = start;
        let mut cont = false;
        if had_run {
            // After every remainder ≤ fr (duplicates are kept: removal is by count).
            loop {
                if self.remainders[s] > fr {
                    break;
                }
                s = self.incr(s);
                if !self.bit(CONT, s) {
                    break;
                }
            }
            if s == start {
                // The new remainder heads the run; the old head continues it.
                self.set_bit(CONT, start, true);
            } else {
                cont = true;
            }
        }
        // Shift everything from `s` to the next free slot one place on; occupied bits
        // stay with their slots, every moved remainder is now shifted.
        let (mut r, mut c, mut sh) = (fr, cont, s != fq);
        loop {
            let was_empty = self.is_empty_slot(s);
            let (pr, pc) = (self.remainders[s], self.bit(CONT, s));
            self.remainders[s] = r;
            self.set_bit(CONT, s, c);
            self.set_bit(SHF, s, sh);
            if was_empty {
                break;
            }
            (r, c, sh) = (pr, pc, true);
            s = self.incr(s);
        }
        self.keys += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fmix64;

    /// The paper's slot-by-slot run search, against the word-at-a-time one.
    fn run_start_reference<F: Fingerprint>(f: &Quotient<F>, fq: usize) -> usize {
        let mut b = fq;
        while f.bit(SHF, b) {
            b = f.decr(b);
        }
        let mut s = b;
        while b != fq {
            loop {
                s = f.incr(s);
                if !f.bit(CONT, s) {
                    break;
                }
            }
            loop {
                b = f.incr(b);
                if f.bit(OCC, b) {
                    break;
                }
            }
        }
        s
    }

    fn check<F: Fingerprint>(f: &Quotient<F>) {
        assert_eq!(f.validate(), Ok(f.len()));
        for q in 0..f.slots() {
            if f.bit(OCC, q) {
                assert_eq!(f.run_start(q), run_start_reference(f, q), "quotient {q}");
            }
        }
    }

    /// Inserts and removes in a random order keep the layout valid and answer as a
    /// multiset of fingerprints would; small tables make long wrapping clusters.
    #[test]
    fn random_operations_keep_the_invariants() {
        for m in [16usize, 17, 64, 100, 130, 256, 300] {
            let mut f = Quotient8::with_slots(m).unwrap();
            let mut model: Vec<u64> = Vec::new();
            let mut rng = m as u64;
            for step in 0..4000u64 {
                rng = fmix64(rng.wrapping_add(step));
                // Few distinct keys, so duplicates and removals of present keys happen.
                let key = rng % (m as u64 * 2);
                if rng >> 62 == 0 && !model.is_empty() {
                    let k = model[(rng >> 8) as usize % model.len()];
                    assert!(f.remove_key(k));
                    let at = model.iter().position(|&x| x == k).unwrap();
                    model.swap_remove(at);
                } else if f.is_full() {
                    let before = f.clone();
                    assert_eq!(f.insert_key(key).unwrap_err().kind(), ErrorKind::Full);
                    assert_eq!(f, before);
                } else {
                    f.insert_key(key).unwrap();
                    model.push(key);
                }
                check(&f);
                assert_eq!(f.len(), model.len());
                assert!(
                    model.iter().all(|&k| f.contains_key(k)),
                    "m={m} step={step}"
                );
                let g = Quotient8::from_bytes(&f.to_bytes()).unwrap();
                assert_eq!(g, f);
            }
            // Empty again: no key reported, the table all zero.
            for k in model.drain(..) {
                assert!(f.remove_key(k));
            }
            assert!(f.meta.iter().all(|&w| w == 0));
            assert!(f.remainders.iter().all(|&r| r == 0));
        }
    }

    #[test]
    fn select_in_word_matches_clearing_bits() {
        let mut x = 0x1234_5678_9abc_def1u64;
        for _ in 0..2000 {
            x = fmix64(x);
            for w in [
                x,
                x & fmix64(x),
                x | fmix64(x),
                !0,
                1 << (x % 64),
                0x8000_0000_0000_0001,
            ] {
                for k in 0..w.count_ones() {
                    let mut v = w;
                    for _ in 0..k {
                        v &= v - 1;
                    }
                    assert_eq!(select_in_word(w, k), v.trailing_zeros(), "{w:#x} {k}");
                }
            }
        }
    }

    #[test]
    fn fills_to_95_percent_then_refuses() {
        let mut f = Quotient16::with_capacity(1000).unwrap();
        let cap = f.capacity();
        for k in 0..cap as u64 {
            f.insert_key(fmix64(k)).unwrap();
        }
        assert!(f.is_full());
        assert!(f.load() > 0.94 && f.load() <= 0.95);
        let before = f.clone();
        assert_eq!(f.insert_key(7).unwrap_err().kind(), ErrorKind::Full);
        assert_eq!(f, before);
        check(&f);
        assert!((0..cap as u64).all(|k| f.contains_key(fmix64(k))));
    }
}
