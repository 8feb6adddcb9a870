//! Streaming sketches in native Rust: small, mergeable summaries of large streams that
//! answer approximate queries with documented error bounds.
//!
//! | sketch | answers | space | error bound | paper |
//! |---|---|---|---|---|
//! | [`HyperLogLog`] | distinct count | 2^p bytes (p in 4..=18) | standard error 1.04/√m, m = 2^p | Flajolet et al. 2007 |
//! | [`HyperLogLogPlus`] | distinct count | sparse: 4 bytes per set register at precision 25 (≤ m bytes, plus an m/4-byte insertion buffer), then 2^p bytes | 1.04/√m dense; 1.04/√2^25 while sparse | Heule et al. 2013, estimator of Ertl 2017 |
//! | [`CountMin`] | item frequency (over-estimate) | w·d u64 counters | est ≥ true; est ≤ true + εN with probability 1 − δ, w = ⌈e/ε⌉, d = ⌈ln 1/δ⌉ | Cormode & Muthukrishnan 2005 |
//! | [`CountSketch`] | item frequency (unbiased) | w·d i64 counters | \|est − true\| ≤ ε‖f‖₂ with probability ≥ 1 − e^(−d/18) when w ≥ 3/ε² | Charikar et al. 2002 |
//! | [`SpaceSaving`] | top-k heavy hitters | m entries | count − error ≤ true ≤ count; every item with true > N/m is kept | Metwally et al. 2005 |
//! | [`MinHash`] | Jaccard similarity | k u64 | unbiased, standard error √(J(1−J)/k) ≤ 1/√k | Broder 1997 |
//! | [`SimHash`] | cosine similarity (Hamming distance of fingerprints) | 64 f64 | P(bit differs) = θ/π | Charikar 2002 |
//! | [`TDigest`] | quantiles and CDF | ≤ δ + 2 centroids + a 5δ buffer | rank error ∝ √(q(1−q))/δ, smallest in the tails | Dunning & Ertl 2019 |
//!
//! Every sketch is `Clone + Debug`, reports its memory with [`Sketch::size_in_bytes`],
//! and merges with [`Sketch::merge`] (an [`ErrorKind::Incompatible`] error when the two
//! sketches' parameters differ). With the `serde` feature every sketch is
//! `Serialize + Deserialize`, and deserialisation validates every invariant, so hostile
//! input is a serde error, never a later panic or a huge allocation.
//!
//! Items are hashed with [`hash_item`], a fixed 64-bit hash (stable across runs and
//! platforms of the same endianness); sketches over hashes take pre-hashed keys through
//! [`HashSketch::update_hash`] and items through [`HashSketch::update`].
//!
//! ```
//! use arsenal_sketch::{CountMin, HyperLogLogPlus, TDigest};
//!
//! // Distinct count.
//! let mut hll = HyperLogLogPlus::new(14)?;
//! for i in 0..10_000u64 {
//!     hll.update(&(i % 5_000));
//! }
//! let est = hll.estimate();
//! assert!((est - 5_000.0).abs() < 5_000.0 * 0.05);
//!
//! // Frequencies: never under the true count.
//! let mut cm = CountMin::with_error(0.001, 0.01)?;
//! cm.add(&"apple", 3);
//! cm.add(&"pear", 1);
//! assert!(cm.estimate(&"apple") >= 3);
//!
//! // Quantiles.
//! let mut td = TDigest::new(100.0)?;
//! for i in 0..1_000 {
//!     td.add(f64::from(i))?;
//! }
//! let median = td.quantile(0.5).unwrap();
//! assert!((median - 500.0).abs() < 10.0);
//! # Ok::<(), arsenal_sketch::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::fmt;
use std::hash::{Hash, Hasher};

mod count_min;
mod hll;
mod minhash;
mod space_saving;
mod tdigest;

pub use count_min::{CountMin, CountSketch};
pub use hll::{HyperLogLog, HyperLogLogPlus};
pub use minhash::{MinHash, SimHash};
pub use space_saving::SpaceSaving;
pub use tdigest::TDigest;

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A parameter is out of range: an HLL precision, a Count-Min width or depth, a
    /// MinHash `k`, a t-digest compression, a NaN value or weight.
    Parameter,
    /// Merging or comparing sketches whose parameters or seeds differ.
    Incompatible,
    /// Deserialised state violates an invariant of the sketch.
    Corrupt,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Parameter => "parameter out of range",
            ErrorKind::Incompatible => "incompatible sketches",
            ErrorKind::Corrupt => "corrupt sketch state",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Parameter | ErrorKind::Incompatible => std::io::ErrorKind::InvalidInput,
            ErrorKind::Corrupt => std::io::ErrorKind::InvalidData,
        }
    }
}

/// An error from `arsenal-sketch`: a kind, the sketch it came from (`"hll"`,
/// `"count-min"`, …) and a message (the shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A mergeable summary of a stream.
pub trait Sketch: Clone + fmt::Debug {
    /// Folds `other` into `self`, so that `self` summarises both streams.
    ///
    /// # Errors
    /// [`ErrorKind::Incompatible`] when the two sketches' parameters (precision,
    /// dimensions, capacity, seeds, compression) differ; `self` is then unchanged.
    fn merge(&mut self, other: &Self) -> Result<()>;

    /// The memory the sketch holds, in bytes (its own size plus its heap buffers).
    fn size_in_bytes(&self) -> usize;
}

/// A sketch fed with 64-bit hashes of the stream's items.
pub trait HashSketch: Sketch {
    /// Adds one occurrence of the item whose 64-bit hash is `hash` (for example one
    /// computed by [`hash_item`], or by the caller's own well-mixed hash).
    fn update_hash(&mut self, hash: u64);

    /// Adds one occurrence of `item`, hashed with [`hash_item`].
    fn update<T: Hash + ?Sized>(&mut self, item: &T)
    where
        Self: Sized,
    {
        self.update_hash(hash_item(item));
    }
}

/// A distinct-count sketch behind one object-safe interface, as [`Backend::new_counter`]
/// returns it: [`HyperLogLog`] (dense registers from the start) or [`HyperLogLogPlus`]
/// (sparse while small).
pub trait DistinctCount: fmt::Debug + Send + Sync {
    /// Adds the item whose 64-bit hash is `hash`.
    fn add_hash(&mut self, hash: u64);
    /// The estimated number of distinct items added.
    fn count(&self) -> f64;
    /// The documented relative standard error of [`DistinctCount::count`] (dense mode).
    fn relative_error(&self) -> f64;
    /// The memory the sketch holds, in bytes.
    fn bytes(&self) -> usize;
    /// Which sketch this is.
    fn backend(&self) -> Backend;
}

/// `DistinctCount` for the HyperLogLog types, whose inherent methods it forwards to.
macro_rules! distinct_count {
    ($($sketch:ty => $backend:ident),*) => {$(
        impl DistinctCount for $sketch {
            fn add_hash(&mut self, hash: u64) {
                self.update_hash(hash);
            }
            fn count(&self) -> f64 {
                self.estimate()
            }
            fn relative_error(&self) -> f64 {
                self.standard_error()
            }
            fn bytes(&self) -> usize {
                self.size_in_bytes()
            }
            fn backend(&self) -> Backend {
                Backend::$backend
            }
        }
    )*};
}

distinct_count!(HyperLogLog => Hll, HyperLogLogPlus => HllPlus);

arsenal_core::backends! {
    /// The distinct-count sketches (all native Rust, always built). The other sketches
    /// answer other questions (frequencies, top-k, similarity, quantiles) and have one
    /// implementation each.
    domain = "sketch";
    pub enum Backend {
        /// HLL++: sparse registers at precision 25 while small, then dense; Ertl's
        /// estimator.
        HllPlus = "hll-plus",
        /// HyperLogLog: 2^p dense one-byte registers from the start.
        Hll = "hll",
    }
}

impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        Backend::ALL.to_vec()
    }

    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced | MinimalMemory => Backend::HllPlus,
            Latency | Throughput | MaximalSpeed => Backend::Hll,
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            MinimalMemory => Some("sketch/memory/distinct-1e2"),
            Latency | Throughput | MaximalSpeed => Some("sketch/distinct/1e6"),
        }
    }
}

impl Backend {
    /// A new, empty distinct-count sketch of this kind with `2^precision` registers.
    ///
    /// # Errors
    /// [`ErrorKind::Parameter`] unless `precision` is in `4..=18`.
    pub fn new_counter(self, precision: u8) -> Result<Box<dyn DistinctCount>> {
        Ok(match self {
            Backend::HllPlus => Box::new(HyperLogLogPlus::new(precision)?),
            Backend::Hll => Box::new(HyperLogLog::new(precision)?),
        })
    }
}

/// The distinct-count sketch most users want: [`HyperLogLogPlus`] (the `Balanced` and
/// `MinimalMemory` choice: near exact and smaller than the dense registers while fewer
/// than about m/4 distinct items were added; about the dense size after that).
pub type DefaultDistinct = HyperLogLogPlus;

/// The fixed 64-bit hash every sketch uses for items: the item's [`Hash`] bytes are
/// folded 8 at a time (`s = rotl((s ^ word) · K1, 31) · K2`, `K1 = 0x9e3779b97f4a7c15`,
/// `K2 = 0xbf58476d1ce4e5b9`, start `s = 0x243f6a8885a308d3`), the byte count is mixed
/// in, and the result goes through the MurmurHash3 64-bit finaliser (full avalanche).
///
/// Deterministic: the same item gives the same hash across runs, processes and
/// platforms, and across versions of this crate (serialised sketches depend on it).
/// Integers are fed little-endian and `usize`/`isize` (slice and string lengths) as 64
/// bits, so pointer width and endianness do not change it (as long as the item's own
/// `Hash` impl feeds the same values everywhere). Not DoS-resistant: an adversary
/// choosing items can make them collide.
pub fn hash_item<T: Hash + ?Sized>(item: &T) -> u64 {
    let mut hasher = ItemHasher::default();
    item.hash(&mut hasher);
    hasher.finish()
}

/// The [`Hasher`] behind [`hash_item`] (see there for the exact function).
#[derive(Debug, Clone)]
pub struct ItemHasher {
    state: u64,
    tail: u64,
    tail_len: u32,
    len: u64,
}

impl Default for ItemHasher {
    fn default() -> Self {
        ItemHasher {
            state: 0x243f_6a88_85a3_08d3,
            tail: 0,
            tail_len: 0,
            len: 0,
        }
    }
}

impl ItemHasher {
    #[inline]
    fn mix_word(&mut self, word: u64) {
        self.state = (self.state ^ word)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(31)
            .wrapping_mul(0xbf58_476d_1ce4_e5b9);
    }
}

impl Hasher for ItemHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.len = self.len.wrapping_add(bytes.len() as u64);
        let mut rest = bytes;
        if self.tail_len == 0 {
            while rest.len() >= 8 {
                let (word, tail) = rest.split_at(8);
                let mut buf = [0u8; 8];
                buf.copy_from_slice(word);
                self.mix_word(u64::from_le_bytes(buf));
                rest = tail;
            }
        }
        for &b in rest {
            self.tail |= u64::from(b) << (8 * self.tail_len);
            self.tail_len += 1;
            if self.tail_len == 8 {
                let word = self.tail;
                self.mix_word(word);
                self.tail = 0;
                self.tail_len = 0;
            }
        }
    }

    fn write_u64(&mut self, value: u64) {
        if self.tail_len == 0 {
            self.len = self.len.wrapping_add(8);
            self.mix_word(value);
        } else {
            self.write(&value.to_le_bytes());
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.write(&[value]);
    }

    fn write_u16(&mut self, value: u16) {
        self.write(&value.to_le_bytes());
    }

    fn write_u32(&mut self, value: u32) {
        self.write(&value.to_le_bytes());
    }

    fn write_u128(&mut self, value: u128) {
        self.write_u64(value as u64);
        self.write_u64((value >> 64) as u64);
    }

    /// Written as a `u64`, so lengths hash the same on 32- and 64-bit targets.
    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }

    fn write_i8(&mut self, value: i8) {
        self.write_u8(value as u8);
    }

    fn write_i16(&mut self, value: i16) {
        self.write_u16(value as u16);
    }

    fn write_i32(&mut self, value: i32) {
        self.write_u32(value as u32);
    }

    fn write_i64(&mut self, value: i64) {
        self.write_u64(value as u64);
    }

    fn write_i128(&mut self, value: i128) {
        self.write_u128(value as u128);
    }

    fn write_isize(&mut self, value: isize) {
        self.write_u64(value as i64 as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.state;
        if self.tail_len > 0 {
            h = (h ^ self.tail)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .rotate_left(31);
        }
        fmix64(h ^ self.len.wrapping_mul(0xc2b2_ae3d_27d4_eb4f))
    }
}

/// MurmurHash3's 64-bit finaliser: every input bit affects every output bit.
#[inline]
pub(crate) fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// A hash remixed with a seed: independent-looking hashes for rows or permutations.
#[inline]
pub(crate) fn remix(hash: u64, seed: u64) -> u64 {
    fmix64(hash ^ seed)
}

/// The `i`-th output of splitmix64 started at `seed`: seeds for rows and permutations.
#[inline]
pub(crate) fn splitmix(seed: u64, i: u64) -> u64 {
    let z = seed.wrapping_add((i.wrapping_add(1)).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `hash` mapped uniformly onto `0..n` (the high half of the 128-bit product).
#[inline]
pub(crate) fn reduce(hash: u64, n: usize) -> usize {
    ((u128::from(hash) * n as u128) >> 64) as usize
}

/// A vector of `len` copies of `value`, or a [`ErrorKind::Parameter`] error instead of
/// an abort when it cannot be allocated.
pub(crate) fn filled<T: Clone>(len: usize, value: T, sketch: &'static str) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| {
        Error::new(
            ErrorKind::Parameter,
            sketch,
            format!("cannot allocate {len} elements"),
        )
    })?;
    v.resize(len, value);
    Ok(v)
}

pub(crate) fn param(sketch: &'static str, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Parameter, sketch, message.into())
}

pub(crate) fn incompatible(sketch: &'static str, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Incompatible, sketch, message.into())
}

#[cfg(feature = "serde")]
pub(crate) fn corrupt(sketch: &'static str, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Corrupt, sketch, message.into())
}

/// Deterministic test data shared by the modules' tests.
#[cfg(test)]
pub(crate) mod testutil {
    /// splitmix64: a small deterministic generator.
    #[derive(Debug, Clone)]
    pub struct SplitMix(pub u64);

    impl SplitMix {
        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }

        /// Uniform in [0, 1).
        pub fn next_f64(&mut self) -> f64 {
            (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_counter_counts() {
        for &b in Backend::ALL {
            let mut c = b.new_counter(12).unwrap();
            assert_eq!(c.backend(), b);
            for i in 0..20_000u64 {
                c.add_hash(hash_item(&i));
            }
            let est = c.count();
            assert!(
                (est - 20_000.0).abs() < 20_000.0 * 4.0 * c.relative_error(),
                "{b}: {est}"
            );
            assert!(c.bytes() > 0);
            assert!(b.new_counter(3).is_err() && b.new_counter(19).is_err());
        }
    }

    #[test]
    fn hash_is_fixed_and_mixes() {
        // Pinned values: the hash is part of the meaning of serialised sketches, and must
        // not change across versions or platforms.
        let a = hash_item(&0u64);
        let b = hash_item(&1u64);
        assert_eq!(a, 0xa508_6f5d_2cdc_df45);
        assert_eq!(hash_item("abc"), 0xb448_33cb_fc0d_58bf);
        assert_eq!(
            hash_item(&[1u8, 2, 3, 4, 5, 6, 7, 8, 9][..]),
            0x817f_e02e_3780_6eae
        );
        assert_eq!(hash_item(&(-1i32, 7u16, u128::MAX)), 0x6ab2_9f13_080c_dc3b);
        assert_ne!(a, b);
        assert_eq!(hash_item(&0u64), a);
        assert_ne!(hash_item("ab"), hash_item("ba"));
        assert_ne!(hash_item(&[0u8; 3][..]), hash_item(&[0u8; 4][..]));
        // Avalanche: flipping one input bit flips about half the output bits.
        let mut total = 0u32;
        for i in 0..64u64 {
            total += (hash_item(&(1u64 << i)) ^ hash_item(&0u64)).count_ones();
        }
        let mean = f64::from(total) / 64.0;
        assert!((28.0..36.0).contains(&mean), "mean flipped bits {mean}");
        // Byte-wise and word-wise writes of the same bytes agree.
        let mut h1 = ItemHasher::default();
        h1.write(&7u64.to_le_bytes());
        let mut h2 = ItemHasher::default();
        h2.write_u64(7);
        assert_eq!(h1.finish(), h2.finish());
    }

    #[test]
    fn error_shape() {
        let err = param("hll", "precision 3");
        assert_eq!(err.kind(), ErrorKind::Parameter);
        assert_eq!(err.to_string(), "hll: parameter out of range: precision 3");
        let io = std::io::Error::from(incompatible("hll", "x"));
        assert_eq!(io.kind(), std::io::ErrorKind::InvalidInput);
    }
}
