//! A cuckoo filter (Fan, Andersen, Kaminsky & Mitzenmacher, "Cuckoo Filter:
//! Practically Better Than Bloom", CoNEXT 2014): 16-bit fingerprints in buckets of four,
//! each key in one of two buckets (partial-key cuckoo hashing: the second bucket is the
//! first xor a hash of the fingerprint, so a fingerprint can move without its key).
//! Supports removal of inserted keys. False-positive rate ≤ 2·4/2¹⁶ ≈ 0.012 %.

use crate::format::{header, Reader};
use crate::{err, fmix64, mix, zeroed, Backend, DynamicFilter, ErrorKind, Filter, Result};

const SEED: u64 = 0xbb67_ae85_84ca_a73b;
const SLOTS: usize = 4;
const MAX_KICKS: u32 = 500;
/// The load the constructor sizes for (4-slot buckets fill to about 95 % before a
/// relocation chain fails; 92 % leaves a margin).
const LOAD: f64 = 0.92;

type Bucket = [u16; SLOTS];

/// A cuckoo filter with 16-bit fingerprints: insert, remove, query.
#[derive(Clone, PartialEq, Eq)]
pub struct Cuckoo {
    buckets: Vec<Bucket>,
    keys: usize,
    /// A fingerprint that lost its place at the end of a failed relocation chain; while
    /// it is set, inserts fail with [`ErrorKind::Full`] (no key is ever dropped).
    victim: Option<(usize, u16)>,
    rng: u64,
}

impl std::fmt::Debug for Cuckoo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cuckoo")
            .field("buckets", &self.buckets.len())
            .field("keys", &self.keys)
            .field("full", &self.victim.is_some())
            .finish()
    }
}

impl Cuckoo {
    /// A filter for `capacity` keys at 92 % load (≈ 17.4 bits per key).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] if the table cannot be allocated (e.g.
    /// `capacity == usize::MAX`).
    pub fn with_capacity(capacity: usize) -> Result<Self> {
        let want = (capacity as f64 / (SLOTS as f64 * LOAD)).ceil().max(1.0);
        if want > (isize::MAX as usize / 16) as f64 {
            return Err(err(
                ErrorKind::Parameter,
                Backend::Cuckoo,
                format!("capacity {capacity} does not fit in memory"),
            ));
        }
        let buckets = want as usize;
        Ok(Cuckoo {
            buckets: zeroed(buckets, Backend::Cuckoo)?,
            keys: 0,
            victim: None,
            rng: SEED,
        })
    }

    #[inline]
    fn locate(&self, key: u64) -> (usize, usize, u16) {
        let h = mix(key, SEED);
        // Low bits for the fingerprint, high bits (mulhi) for the bucket: independent.
        let fp = (h as u16).max(1);
        let i1 = crate::mulhi(h, self.buckets.len() as u64) as usize;
        (i1, self.alt(i1, fp), fp)
    }

    /// The other bucket of fingerprint `fp` in bucket `i`: (h(fp) − i) mod m, its own
    /// inverse.
    #[inline]
    fn alt(&self, i: usize, fp: u16) -> usize {
        let m = self.buckets.len();
        let h = (fmix64(u64::from(fp)) % m as u64) as usize;
        if h >= i {
            h - i
        } else {
            h + m - i
        }
    }

    fn put(bucket: &mut Bucket, fp: u16) -> bool {
        for slot in bucket.iter_mut() {
            if *slot == 0 {
                *slot = fp;
                return true;
            }
        }
        false
    }

    /// Removes one occurrence of `key`. Returns whether it was found.
    ///
    /// Remove only keys that were inserted: removing a key that merely collides with an
    /// inserted one (a false positive) removes that other key's fingerprint.
    pub fn remove_key(&mut self, key: u64) -> bool {
        let (i1, i2, fp) = self.locate(key);
        let mut found = false;
        for i in [i1, i2] {
            if let Some(slot) = self.buckets[i].iter_mut().find(|s| **s == fp) {
                *slot = 0;
                found = true;
                break;
            }
        }
        if !found {
            if let Some((vi, vfp)) = self.victim {
                if vfp == fp && (vi == i1 || vi == i2) {
                    self.victim = None;
                    found = true;
                }
            }
        }
        if found {
            self.keys -= 1;
            // Room was made: give the stashed fingerprint its place back.
            if let Some((vi, vfp)) = self.victim {
                let other = self.alt(vi, vfp);
                if Self::put(&mut self.buckets[vi], vfp) || Self::put(&mut self.buckets[other], vfp)
                {
                    self.victim = None;
                }
            }
        }
        found
    }

    /// Whether a relocation chain failed and inserts now fail until a key is removed.
    pub fn is_full(&self) -> bool {
        self.victim.is_some()
    }

    /// Reads a filter written by [`Filter::to_bytes`].
    ///
    /// # Errors
    /// [`ErrorKind::Corrupt`] for anything but a well-formed cuckoo filter.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let mut r = Reader::new(bytes, Backend::Cuckoo)?;
        let keys = r.u64()?;
        let has_victim = r.take(1)?[0];
        let victim_index = r.u64()?;
        let victim_fp = u16::from_le_bytes(r.take(2)?.try_into().expect("2 bytes"));
        let n = r.count(SLOTS * 2)?;
        if n == 0 {
            return Err(r.corrupt("no buckets"));
        }
        let data = r.take(n * SLOTS * 2)?;
        r.finish()?;
        let buckets: Vec<Bucket> = data
            .chunks_exact(SLOTS * 2)
            .map(|b| {
                let mut bucket = [0u16; SLOTS];
                for (s, c) in bucket.iter_mut().zip(b.chunks_exact(2)) {
                    *s = u16::from_le_bytes([c[0], c[1]]);
                }
                bucket
            })
            .collect();
        let victim = match has_victim {
            // Canonical form: no victim, zero fields (so bytes round-trip exactly).
            0 if victim_index == 0 && victim_fp == 0 => None,
            1 if victim_fp != 0 && victim_index < n as u64 => {
                Some((victim_index as usize, victim_fp))
            }
            _ => {
                return Err(err(
                    ErrorKind::Corrupt,
                    Backend::Cuckoo,
                    "bad victim record",
                ))
            }
        };
        let stored =
            buckets.iter().flatten().filter(|&&s| s != 0).count() + usize::from(victim.is_some());
        if keys != stored as u64 {
            return Err(err(
                ErrorKind::Corrupt,
                Backend::Cuckoo,
                format!("key count {keys} but {stored} fingerprints stored"),
            ));
        }
        Ok(Cuckoo {
            buckets,
            keys: stored,
            victim,
            rng: SEED,
        })
    }
}

impl Filter for Cuckoo {
    #[inline]
    fn contains_key(&self, key: u64) -> bool {
        let (i1, i2, fp) = self.locate(key);
        self.buckets[i1].contains(&fp)
            || self.buckets[i2].contains(&fp)
            || matches!(self.victim, Some((vi, vfp)) if vfp == fp && (vi == i1 || vi == i2))
    }

    fn len(&self) -> usize {
        self.keys
    }

    fn size_in_bytes(&self) -> usize {
        self.buckets.len() * SLOTS * 2
    }

    fn backend(&self) -> Backend {
        Backend::Cuckoo
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut out = header(Backend::Cuckoo, 27 + self.size_in_bytes());
        out.extend_from_slice(&(self.keys as u64).to_le_bytes());
        let (vi, vfp) = self.victim.unwrap_or((0, 0));
        out.push(u8::from(self.victim.is_some()));
        out.extend_from_slice(&(vi as u64).to_le_bytes());
        out.extend_from_slice(&vfp.to_le_bytes());
        out.extend_from_slice(&(self.buckets.len() as u64).to_le_bytes());
        for bucket in &self.buckets {
            for s in bucket {
                out.extend_from_slice(&s.to_le_bytes());
            }
        }
        out
    }
}

impl DynamicFilter for Cuckoo {
    fn insert_key(&mut self, key: u64) -> Result<()> {
        if self.victim.is_some() {
            return Err(err(
                ErrorKind::Full,
                Backend::Cuckoo,
                format!("full at {} keys", self.keys),
            ));
        }
        let (i1, i2, fp) = self.locate(key);
        if Self::put(&mut self.buckets[i1], fp) || Self::put(&mut self.buckets[i2], fp) {
            self.keys += 1;
            return Ok(());
        }
        // Relocate: evict a random slot's fingerprint to its other bucket, repeatedly.
        let mut i = if self.rng & 1 == 0 { i1 } else { i2 };
        let mut fp = fp;
        for _ in 0..MAX_KICKS {
            self.rng = fmix64(self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15));
            let slot = (self.rng >> 32) as usize % SLOTS;
            std::mem::swap(&mut fp, &mut self.buckets[i][slot]);
            i = self.alt(i, fp);
            if Self::put(&mut self.buckets[i], fp) {
                self.keys += 1;
                return Ok(());
            }
        }
        // The chain failed: the fingerprint in hand (some key's) waits in the stash, so
        // every inserted key stays findable; this insert counts, later ones fail.
        self.victim = Some((i, fp));
        self.keys += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_then_refuses_without_losing_keys() {
        let mut f = Cuckoo::with_capacity(1000).unwrap();
        let mut inserted = Vec::new();
        for k in 0..10_000u64 {
            let key = fmix64(k);
            match f.insert_key(key) {
                Ok(()) => inserted.push(key),
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::Full);
                    break;
                }
            }
        }
        assert!(f.is_full());
        assert!(inserted.len() as f64 >= 0.9 * (f.buckets.len() * SLOTS) as f64);
        assert!(inserted.iter().all(|&k| f.contains_key(k)));
        assert_eq!(f.len(), inserted.len());
        // Removing keeps every other key findable (the stash included).
        for &k in &inserted[..100] {
            assert!(f.remove_key(k));
        }
        assert_eq!(f.len(), inserted.len() - 100);
        assert!(inserted[100..].iter().all(|&k| f.contains_key(k)));
    }
}
