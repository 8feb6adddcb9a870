//! MinHash (Broder 1997) for Jaccard similarity and SimHash (Charikar 2002) for cosine
//! similarity of weighted feature sets.

use std::hash::Hash;

use crate::{hash_item, incompatible, param, remix, splitmix, HashSketch, Result, Sketch};

const NAME_MH: &str = "minhash";
const NAME_SH: &str = "simhash";

/// The largest accepted number of hash functions.
const MAX_K: usize = 1 << 16;

/// The seed SimHash remixes feature hashes with.
const SIMHASH_SEED: u64 = 0x51b4_a5b1_e5ee_d000;

/// The number of bits of a SimHash fingerprint.
const BITS: usize = 64;

/// A MinHash signature with `k` independent hash functions ("k permutations").
///
/// Slot `i` keeps the minimum over the set's items of `fmix64(hash ^ seed_i)`, with
/// `seed_i` the `i`-th splitmix64 output from the sketch's seed. Two sets' signatures
/// agree in slot `i` with probability exactly their Jaccard similarity `J = |A∩B|/|A∪B|`
/// (for ideal random permutations), so [`jaccard`](Self::jaccard), the fraction of
/// agreeing slots, is unbiased with standard error `√(J(1−J)/k) ≤ 1/(2√k)`;
/// [`standard_error`](Self::standard_error) reports the conservative `1/√k`.
///
/// This is the classic k-hash-function scheme (O(k) per item), chosen over one-
/// permutation hashing with densification for its simpler, exactly-known variance; merge
/// is the slot-wise minimum (the signature of the union). Memory: `8k` bytes of
/// signature plus `8k` of cached seeds.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawMinHash"))]
pub struct MinHash {
    seed: u64,
    mins: Vec<u64>,
    #[cfg_attr(feature = "serde", serde(skip_serializing))]
    seeds: Vec<u64>,
}

impl MinHash {
    /// An empty signature with `k` hash functions and seed 0.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) unless `k` is in `1..=65536`.
    pub fn new(k: usize) -> Result<Self> {
        Self::with_seed(k, 0)
    }

    /// An empty signature with `k` hash functions derived from `seed` (only signatures
    /// with the same `k` and seed are comparable).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) unless `k` is in `1..=65536`.
    pub fn with_seed(k: usize, seed: u64) -> Result<Self> {
        if !(1..=MAX_K).contains(&k) {
            return Err(param(NAME_MH, format!("k = {k} outside 1..={MAX_K}")));
        }
        Ok(MinHash {
            seed,
            mins: vec![u64::MAX; k],
            seeds: (0..k as u64).map(|i| splitmix(seed, i)).collect(),
        })
    }

    /// The number of hash functions `k`.
    pub fn k(&self) -> usize {
        self.mins.len()
    }

    /// The seed the hash functions derive from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The signature: slot `i` holds the minimum of hash function `i` over the set
    /// (`u64::MAX` while empty).
    pub fn signature(&self) -> &[u64] {
        &self.mins
    }

    /// Whether no item was added.
    pub fn is_empty(&self) -> bool {
        self.mins.iter().all(|&m| m == u64::MAX)
    }

    /// The conservative standard error of [`jaccard`](Self::jaccard), `1/√k`.
    pub fn standard_error(&self) -> f64 {
        1.0 / (self.mins.len() as f64).sqrt()
    }

    /// Adds the item whose 64-bit hash is `hash`.
    pub fn update_hash(&mut self, hash: u64) {
        for (m, &s) in self.mins.iter_mut().zip(&self.seeds) {
            let v = remix(hash, s);
            if v < *m {
                *m = v;
            }
        }
    }

    /// Adds `item`, hashed with [`hash_item`].
    pub fn update<T: Hash + ?Sized>(&mut self, item: &T) {
        self.update_hash(hash_item(item));
    }

    fn check(&self, other: &Self) -> Result<()> {
        if self.mins.len() != other.mins.len() || self.seed != other.seed {
            return Err(incompatible(
                NAME_MH,
                format!(
                    "k {} seed {} vs k {} seed {}",
                    self.mins.len(),
                    self.seed,
                    other.mins.len(),
                    other.seed
                ),
            ));
        }
        Ok(())
    }

    /// The estimated Jaccard similarity of the two sets: the fraction of slots where
    /// the signatures agree (1.0 for two empty sets, 0.0 for an empty and a non-empty
    /// one).
    ///
    /// # Errors
    /// [`ErrorKind::Incompatible`](crate::ErrorKind::Incompatible) if `k` or the seed
    /// differ.
    pub fn jaccard(&self, other: &Self) -> Result<f64> {
        self.check(other)?;
        let equal = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        Ok(equal as f64 / self.mins.len() as f64)
    }

    /// Folds `other` into `self`: the signature of the union of the two sets.
    ///
    /// # Errors
    /// [`ErrorKind::Incompatible`](crate::ErrorKind::Incompatible) if `k` or the seed
    /// differ.
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        self.check(other)?;
        for (a, &b) in self.mins.iter_mut().zip(&other.mins) {
            *a = (*a).min(b);
        }
        Ok(())
    }

    /// The memory the sketch holds, in bytes.
    pub fn size_in_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + 8 * (self.mins.capacity() + self.seeds.capacity())
    }
}

impl Sketch for MinHash {
    fn merge(&mut self, other: &Self) -> Result<()> {
        MinHash::merge(self, other)
    }
    fn size_in_bytes(&self) -> usize {
        MinHash::size_in_bytes(self)
    }
}

impl HashSketch for MinHash {
    fn update_hash(&mut self, hash: u64) {
        MinHash::update_hash(self, hash);
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawMinHash {
    seed: u64,
    mins: Vec<u64>,
}

#[cfg(feature = "serde")]
impl TryFrom<RawMinHash> for MinHash {
    type Error = crate::Error;

    fn try_from(raw: RawMinHash) -> Result<Self> {
        let mut m = MinHash::with_seed(raw.mins.len(), raw.seed)
            .map_err(|e| crate::corrupt(NAME_MH, e.message().to_owned()))?;
        m.mins = raw.mins;
        Ok(m)
    }
}

/// A SimHash fingerprint builder: 64 running sums, one per bit.
///
/// Each feature (an item or a pre-hashed key, remixed with a fixed seed) adds its weight
/// to sum `b` where bit `b` of its hash is 1 and subtracts it where the bit is 0; the
/// [`fingerprint`](Self::fingerprint) has bit `b` set when sum `b` is positive. For two
/// weighted feature vectors at angle θ, each fingerprint bit differs with probability
/// θ/π, so the expected [`hamming_distance`](Self::hamming_distance) is `64·θ/π`.
///
/// Merge adds the sums (the fingerprint of the combined feature multiset); there are no
/// parameters, so it never fails. Sums are `f64`, clamped to `±f64::MAX`. Memory: 64
/// `f64` sums (512 bytes).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "RawSimHash"))]
pub struct SimHash {
    sums: Vec<f64>,
}

impl Default for SimHash {
    fn default() -> Self {
        Self::new()
    }
}

impl SimHash {
    /// An empty builder (fingerprint 0).
    pub fn new() -> Self {
        SimHash {
            sums: vec![0.0; BITS],
        }
    }

    /// Adds a feature whose 64-bit hash is `hash` with weight `weight` (negative
    /// weights subtract a feature).
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`](crate::ErrorKind::Parameter) for a NaN or infinite
    /// weight (nothing is added).
    pub fn add_hash(&mut self, hash: u64, weight: f64) -> Result<()> {
        if !weight.is_finite() {
            return Err(param(NAME_SH, format!("weight {weight} is not finite")));
        }
        let h = remix(hash, SIMHASH_SEED);
        for (b, s) in self.sums.iter_mut().enumerate() {
            let v = if (h >> b) & 1 == 1 {
                *s + weight
            } else {
                *s - weight
            };
            *s = v.clamp(-f64::MAX, f64::MAX);
        }
        Ok(())
    }

    /// Adds `item` (hashed with [`hash_item`]) with weight `weight`.
    ///
    /// # Errors
    /// As [`add_hash`](Self::add_hash).
    pub fn add<T: Hash + ?Sized>(&mut self, item: &T, weight: f64) -> Result<()> {
        self.add_hash(hash_item(item), weight)
    }

    /// Adds the feature whose hash is `hash` with weight 1.
    pub fn update_hash(&mut self, hash: u64) {
        // Weight 1 is finite: cannot fail.
        let _ = self.add_hash(hash, 1.0);
    }

    /// Adds `item` with weight 1.
    pub fn update<T: Hash + ?Sized>(&mut self, item: &T) {
        self.update_hash(hash_item(item));
    }

    /// The 64-bit fingerprint: bit `b` set when sum `b` is positive.
    pub fn fingerprint(&self) -> u64 {
        self.sums
            .iter()
            .enumerate()
            .filter(|(_, &s)| s > 0.0)
            .fold(0u64, |f, (b, _)| f | (1 << b))
    }

    /// The number of differing bits between the two fingerprints (0..=64).
    pub fn hamming_distance(&self, other: &Self) -> u32 {
        Self::distance(self.fingerprint(), other.fingerprint())
    }

    /// The number of differing bits between two fingerprints.
    pub fn distance(a: u64, b: u64) -> u32 {
        (a ^ b).count_ones()
    }

    /// Folds `other` into `self` (adds the sums). Never fails: SimHash has no
    /// parameters.
    ///
    /// # Errors
    /// None; the `Result` matches [`Sketch::merge`].
    pub fn merge(&mut self, other: &Self) -> Result<()> {
        for (a, &b) in self.sums.iter_mut().zip(&other.sums) {
            *a = (*a + b).clamp(-f64::MAX, f64::MAX);
        }
        Ok(())
    }

    /// The memory the builder holds, in bytes.
    pub fn size_in_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + 8 * self.sums.capacity()
    }
}

impl Sketch for SimHash {
    fn merge(&mut self, other: &Self) -> Result<()> {
        SimHash::merge(self, other)
    }
    fn size_in_bytes(&self) -> usize {
        SimHash::size_in_bytes(self)
    }
}

impl HashSketch for SimHash {
    fn update_hash(&mut self, hash: u64) {
        SimHash::update_hash(self, hash);
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
struct RawSimHash {
    sums: Vec<f64>,
}

#[cfg(feature = "serde")]
impl TryFrom<RawSimHash> for SimHash {
    type Error = crate::Error;

    fn try_from(raw: RawSimHash) -> Result<Self> {
        if raw.sums.len() != BITS || !raw.sums.iter().all(|s| s.is_finite()) {
            return Err(crate::corrupt(NAME_SH, "expected 64 finite sums"));
        }
        Ok(SimHash { sums: raw.sums })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn parameters() {
        for k in [0, MAX_K + 1, usize::MAX] {
            assert_eq!(MinHash::new(k).unwrap_err().kind(), ErrorKind::Parameter);
        }
        let mut s = SimHash::new();
        for w in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(s.add(&1u8, w).unwrap_err().kind(), ErrorKind::Parameter);
        }
        assert_eq!(s, SimHash::new());
        let a = MinHash::new(16).unwrap();
        let b = MinHash::with_seed(16, 1).unwrap();
        let c = MinHash::new(17).unwrap();
        assert_eq!(a.jaccard(&b).unwrap_err().kind(), ErrorKind::Incompatible);
        assert_eq!(a.jaccard(&c).unwrap_err().kind(), ErrorKind::Incompatible);
        assert_eq!(
            a.clone().merge(&b).unwrap_err().kind(),
            ErrorKind::Incompatible
        );
        assert!(a.is_empty());
        assert_eq!(a.jaccard(&a).unwrap(), 1.0);
        assert_eq!(a.standard_error(), 0.25);
    }

    /// Jaccard estimates within 4 standard errors √(J(1−J)/k) for several overlaps.
    #[test]
    fn jaccard_accuracy() {
        let k = 512;
        for (shared, only) in [
            (1000u64, 0u64),
            (900, 100),
            (500, 500),
            (100, 900),
            (0, 1000),
        ] {
            let mut a = MinHash::new(k).unwrap();
            let mut b = MinHash::new(k).unwrap();
            for i in 0..shared {
                a.update(&i);
                b.update(&i);
            }
            for i in 0..only {
                a.update(&(1_000_000 + i));
                b.update(&(2_000_000 + i));
            }
            let j = shared as f64 / (shared + 2 * only) as f64;
            let est = a.jaccard(&b).unwrap();
            let se = (j * (1.0 - j) / k as f64).sqrt();
            assert!((est - j).abs() <= 4.0 * se + 1e-12, "J {j} est {est}");
            assert!((est - j).abs() <= 4.0 * a.standard_error());
        }
    }

    #[test]
    fn merge_is_union() {
        let mut a = MinHash::with_seed(128, 9).unwrap();
        let mut b = a.clone();
        let mut all = a.clone();
        for i in 0..3_000u64 {
            all.update(&i);
            if i % 2 == 0 {
                a.update(&i);
            } else {
                b.update(&i);
            }
        }
        a.merge(&b).unwrap();
        assert_eq!(a, all);
        assert_eq!(a.jaccard(&all).unwrap(), 1.0);
        let mut s1 = SimHash::new();
        let mut s2 = SimHash::new();
        let mut s = SimHash::new();
        for i in 0..100u64 {
            s.add(&i, i as f64).unwrap();
            if i < 50 {
                s1.add(&i, i as f64).unwrap();
            } else {
                s2.add(&i, i as f64).unwrap();
            }
        }
        s1.merge(&s2).unwrap();
        assert_eq!(s1.fingerprint(), s.fingerprint());
    }

    #[test]
    fn simhash_similarity() {
        let doc = |range: std::ops::Range<u64>, extra: std::ops::Range<u64>| {
            let mut s = SimHash::new();
            for i in range.chain(extra) {
                s.update(&i);
            }
            s
        };
        let a = doc(0..1000, 0..0);
        let b = doc(0..900, 5000..5100); // cosine 0.9: expected distance 64·0.144 ≈ 9
        let c = doc(10_000..11_000, 0..0); // orthogonal: expected distance 32
        let ab = a.hamming_distance(&b);
        let ac = a.hamming_distance(&c);
        assert!(ab < 20, "near-duplicate distance {ab}");
        assert!(ac > 20, "unrelated distance {ac}");
        assert_eq!(a.hamming_distance(&a), 0);
        assert_eq!(SimHash::distance(0, u64::MAX), 64);
        // Removing what was added returns to an all-zero fingerprint.
        let mut z = SimHash::new();
        z.add(&"x", 2.5).unwrap();
        z.add(&"x", -2.5).unwrap();
        assert_eq!(z.fingerprint(), 0);
    }

    #[cfg(feature = "serde")]
    #[test]
    fn serde_round_trip_and_hostile() {
        let mut m = MinHash::with_seed(8, 3).unwrap();
        let mut s = SimHash::new();
        for i in 0..50u64 {
            m.update(&i);
            s.add(&i, 0.5).unwrap();
        }
        let json = serde_json::to_string(&m).unwrap();
        assert!(!json.contains("seeds"));
        assert_eq!(serde_json::from_str::<MinHash>(&json).unwrap(), m);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<SimHash>(&json).unwrap(), s);
        assert!(serde_json::from_str::<MinHash>(r#"{"seed":0,"mins":[]}"#).is_err());
        assert!(serde_json::from_str::<SimHash>(r#"{"sums":[1.0,2.0]}"#).is_err());
        let nulls = format!(r#"{{"sums":[{}]}}"#, vec!["null"; 64].join(","));
        assert!(serde_json::from_str::<SimHash>(&nulls).is_err());
    }
}
