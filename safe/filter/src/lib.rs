//! Approximate membership filters in native Rust: a split-block Bloom filter (one
//! 256-bit block per key, eight bits set at once with SIMD-friendly arithmetic, an AVX2
//! path chosen at run time), xor filters (8- and 16-bit fingerprints), binary fuse
//! filters (8 and 16 bits), Ribbon filters (8 and 16 bits: the fewest bits per key),
//! and a cuckoo filter and quotient filters (8- and 16-bit remainders) that support
//! removal.
//!
//! No C library fits this domain (the fastest filters are header-only C++ templates
//! whose value is the algorithm, not a binary), so every filter here is our own
//! implementation from the papers, measured against the best pure-Rust crates (`xorf`,
//! `fastbloom`) in the matrix benchmark (`benches/src/filter.rs`).
//!
//! | filter | kind | bits/key | false-positive rate | paper |
//! |---|---|---|---|---|
//! | [`BlockedBloom`] | dynamic (insert) | chosen (e.g. 10–16) | 1.3 % at 10 bits/key, 0.13 % at 16 ([`BlockedBloom::expected_fpr`]) | Putze et al. 2007; split-block layout |
//! | [`Xor8`] / [`Xor16`] | static (built once) | ≈ 9.84 / 19.7 | 2⁻⁸ ≈ 0.39 % / 2⁻¹⁶ | Graf & Lemire 2020 |
//! | [`BinaryFuse8`] / [`BinaryFuse16`] | static | ≈ 9.0 / 18.1 (large n) | 2⁻⁸ / 2⁻¹⁶ | Graf & Lemire 2022 |
//! | [`Ribbon8`] / [`Ribbon16`] | static | ≈ 8.4 / 16.8 at 10⁶ keys ((1 + ε) slots/key + 128, ε = 0.005·(log₂ n − 10) measured; more for small sets) | 2⁻⁸ / 2⁻¹⁶ | Dillinger & Walzer 2021 (Standard Ribbon, 128-bit rows) |
//! | [`Cuckoo`] | dynamic (insert + remove) | 16 / load (≈ 17 at 95 %) | ≤ 8/2¹⁶ ≈ 0.012 % | Fan et al. 2014 |
//! | [`Quotient8`] / [`Quotient16`] | dynamic (insert + remove) | (r + 3) / load: 12.2 / 21.1 at 90 % | 1 − e^(−load/2ʳ) ≤ load·2⁻ʳ: 0.35 % / 0.0014 % at 90 % ([`Quotient::expected_fpr`]) | Bender et al. 2012 |
//!
//! Every filter has **no false negatives**: a key that was inserted (or built in) is
//! always reported as present. Keys are `u64` hashes of the caller's items
//! ([`hash_item`] gives a fixed, documented hash for any `Hash` type; [`FilterExt`]
//! does it for you); filters remix them with their own seed.
//!
//! ```
//! use arsenal_filter::{BinaryFuse8, Filter, FilterExt, StaticFilter};
//!
//! let keys: Vec<u64> = (0..100_000u64).map(|i| arsenal_filter::hash_item(&i)).collect();
//! let filter = BinaryFuse8::build(&keys)?;
//! assert!(keys.iter().all(|&k| filter.contains_key(k)));
//! assert!(filter.contains(&42u64));
//! assert!(filter.bits_per_key() < 10.0);
//!
//! // Serialise, and read back untrusted bytes with validation.
//! let bytes = filter.to_bytes();
//! let again = BinaryFuse8::from_bytes(&bytes)?;
//! assert!(again.contains(&42u64));
//! assert!(BinaryFuse8::from_bytes(&bytes[..bytes.len() - 1]).is_err());
//! # Ok::<(), arsenal_filter::Error>(())
//! ```
//!
//! Choosing at run time: [`Backend`] (the template's selection shape) names every
//! filter; [`Backend::build`] makes a boxed filter from keys and [`from_bytes`] reads any
//! serialised filter.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

use std::hash::{Hash, Hasher};

mod bloom;
mod cuckoo;
mod format;
mod fuse;
mod quotient;
mod ribbon;
mod xor;

pub use bloom::{BlockedBloom, Isa};
pub use cuckoo::Cuckoo;
pub use fuse::{BinaryFuse, BinaryFuse16, BinaryFuse8};
pub use quotient::{Quotient, Quotient16, Quotient8};
pub use ribbon::{Ribbon, Ribbon16, Ribbon8};
pub use xor::{Xor, Xor16, Xor8};

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A parameter is out of range (a capacity too large to allocate, a zero or
    /// non-finite bits-per-key or false-positive rate).
    Parameter,
    /// A static filter could not be built (the peeling failed for every seed tried).
    Build,
    /// A dynamic filter is full (the cuckoo filter's relocation chain failed, or a
    /// quotient filter is at 95 % load).
    Full,
    /// Serialised bytes are malformed: bad magic, version or kind, inconsistent lengths
    /// or parameters, truncated or trailing data.
    Corrupt,
}

impl arsenal_core::ErrorKind for ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            ErrorKind::Parameter => "parameter out of range",
            ErrorKind::Build => "filter construction failed",
            ErrorKind::Full => "filter full",
            ErrorKind::Corrupt => "corrupt filter bytes",
        }
    }

    fn io_kind(self) -> std::io::ErrorKind {
        match self {
            ErrorKind::Corrupt => std::io::ErrorKind::InvalidData,
            ErrorKind::Parameter => std::io::ErrorKind::InvalidInput,
            _ => std::io::ErrorKind::Other,
        }
    }
}

/// An error from `arsenal-filter`: a kind, the filter it came from and a message (the
/// shared [`arsenal_core::Error`] shape).
pub type Error = arsenal_core::Error<ErrorKind>;

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

pub(crate) fn err(kind: ErrorKind, backend: Backend, message: impl Into<String>) -> Error {
    Error::new(kind, backend.name(), message.into())
}

/// A membership filter: "definitely not present" or "probably present".
///
/// Object safe (`Box<dyn Filter>`); [`FilterExt`] adds the generic item methods.
pub trait Filter {
    /// Whether `key` (a 64-bit hash of an item) may be in the set. Never `false` for a
    /// key that was inserted or built in.
    fn contains_key(&self, key: u64) -> bool;

    /// How many keys were built in or inserted (distinct keys for static filters).
    fn len(&self) -> usize;

    /// Whether no key was built in or inserted.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of the filter's tables (what the bits-per-key figures count).
    fn size_in_bytes(&self) -> usize;

    /// `size_in_bytes() * 8 / len()`; 0 for an empty filter.
    fn bits_per_key(&self) -> f64 {
        if self.is_empty() {
            0.0
        } else {
            self.size_in_bytes() as f64 * 8.0 / self.len() as f64
        }
    }

    /// Which filter this is.
    fn backend(&self) -> Backend;

    /// The filter in Arsenal's versioned binary format (read back by the type's
    /// `from_bytes` or by [`from_bytes`]).
    fn to_bytes(&self) -> Vec<u8>;
}

/// Item-level convenience over [`Filter`] for any `Hash` type, hashed with
/// [`hash_item`]. Implemented for every filter (blanket impl).
pub trait FilterExt: Filter {
    /// Whether `item` may be in the set.
    fn contains<T: Hash + ?Sized>(&self, item: &T) -> bool {
        self.contains_key(hash_item(item))
    }
}

impl<F: Filter + ?Sized> FilterExt for F {}

/// A filter built once from a set of keys (xor, binary fuse, Ribbon).
pub trait StaticFilter: Filter + Sized {
    /// Builds the filter from `keys` (duplicates are allowed and counted once).
    ///
    /// # Errors
    /// [`ErrorKind::Build`] if construction fails for every seed tried (practically
    /// never for distinct keys), [`ErrorKind::Parameter`] if the table would not fit
    /// in memory.
    fn build(keys: &[u64]) -> Result<Self>;

    /// Reads a filter written by [`Filter::to_bytes`], validating every field.
    ///
    /// # Errors
    /// [`ErrorKind::Corrupt`] for anything but a well-formed filter of this type.
    fn from_bytes(bytes: &[u8]) -> Result<Self>;
}

/// A filter that grows by insertion (Bloom, cuckoo, quotient).
pub trait DynamicFilter: Filter {
    /// Inserts `key`.
    ///
    /// # Errors
    /// [`ErrorKind::Full`] when the cuckoo filter cannot place the key (no key already
    /// in it is lost) or a quotient filter is at its maximum load (the filter is
    /// unchanged). A Bloom filter never fails; its false positive rate grows past its
    /// design capacity.
    fn insert_key(&mut self, key: u64) -> Result<()>;

    /// Inserts `item`, hashed with [`hash_item`].
    ///
    /// # Errors
    /// As [`insert_key`](Self::insert_key).
    fn insert<T: Hash + ?Sized>(&mut self, item: &T) -> Result<()>
    where
        Self: Sized,
    {
        self.insert_key(hash_item(item))
    }
}

/// The fixed 64-bit hash [`FilterExt`] and [`DynamicFilter::insert`] use for items: the
/// item's `Hash` bytes folded 8 at a time with a multiply-rotate step, finished with
/// the MurmurHash3 64-bit finaliser. Stable across runs, platforms of the same
/// endianness and versions of this crate (part of the serialised format's meaning).
pub fn hash_item<T: Hash + ?Sized>(item: &T) -> u64 {
    let mut hasher = ItemHasher::default();
    item.hash(&mut hasher);
    hasher.finish()
}

/// The [`Hasher`] behind [`hash_item`] (not a general-purpose or DoS-resistant hash).
#[derive(Debug, Clone)]
pub struct ItemHasher {
    state: u64,
    tail: u64,
    tail_len: u32,
}

impl Default for ItemHasher {
    fn default() -> Self {
        ItemHasher {
            state: 0x243f_6a88_85a3_08d3,
            tail: 0,
            tail_len: 0,
        }
    }
}

impl ItemHasher {
    #[inline]
    fn mix_word(&mut self, word: u64) {
        self.state = (self.state ^ word)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
}

impl Hasher for ItemHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
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
            self.mix_word(value);
        } else {
            self.write(&value.to_le_bytes());
        }
    }

    fn finish(&self) -> u64 {
        let mut h = self.state;
        if self.tail_len > 0 {
            h = (h ^ self.tail ^ u64::from(self.tail_len) << 56)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .rotate_left(29);
        }
        fmix64(h)
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

/// A key remixed with a filter's seed.
#[inline]
pub(crate) fn mix(key: u64, seed: u64) -> u64 {
    fmix64(key.wrapping_add(seed))
}

/// The high 64 bits of `a * b`: maps a hash uniformly onto `0..b`.
#[inline]
pub(crate) fn mulhi(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) >> 64) as u64
}

/// A small deterministic generator for seeds (splitmix64).
pub(crate) fn next_seed(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    fmix64(*state)
}

/// Keys sorted and deduplicated (static filters count each distinct key once).
pub(crate) fn distinct(keys: &[u64]) -> Vec<u64> {
    let mut keys = keys.to_vec();
    sort_distinct(&mut keys, &mut Vec::new());
    keys
}

/// Sorts `hashes` and removes duplicates: one scatter pass into 2^(log₂ n − 3) buckets
/// by the top bits (about eight hashes each, for the uniformly mixed hashes the static
/// filters sort), then each bucket sorted on its own: linear time where a comparison
/// sort of 10⁶ hashes took a third of a binary fuse build. `scratch` is reused.
pub(crate) fn sort_distinct(hashes: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    let n = hashes.len();
    if n < 1 << 12 {
        hashes.sort_unstable();
        hashes.dedup();
        return;
    }
    let bits = (usize::BITS - 1 - n.leading_zeros())
        .saturating_sub(3)
        .min(22);
    let shift = 64 - bits;
    let mut ends = vec![0usize; 1 << bits];
    for &h in hashes.iter() {
        ends[(h >> shift) as usize] += 1;
    }
    let mut total = 0;
    for e in ends.iter_mut() {
        let count = *e;
        *e = total;
        total += count;
    }
    // `ends[b]` is now bucket b's start; the scatter advances it to the bucket's end.
    scratch.clear();
    scratch.resize(n, 0);
    for &h in hashes.iter() {
        let slot = &mut ends[(h >> shift) as usize];
        scratch[*slot] = h;
        *slot += 1;
    }
    let mut start = 0;
    for &end in &ends {
        scratch[start..end].sort_unstable();
        start = end;
    }
    std::mem::swap(hashes, scratch);
    hashes.dedup();
}

/// Allocates `len` zeroed elements, or a [`ErrorKind::Parameter`] error instead of an
/// abort when that cannot be allocated.
pub(crate) fn zeroed<T: Clone + Default>(len: usize, backend: Backend) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len).map_err(|_| {
        err(
            ErrorKind::Parameter,
            backend,
            format!("cannot allocate a table of {len} entries"),
        )
    })?;
    v.resize(len, T::default());
    Ok(v)
}

arsenal_core::backends! {
    /// The filters this crate has (all native Rust, always built).
    domain = "filter";
    pub enum Backend {
        /// Binary fuse filter, 8-bit fingerprints: the least memory (≈ 9 bits/key at 0.39 %).
        BinaryFuse8 = "binary-fuse8",
        /// Binary fuse filter, 16-bit fingerprints (≈ 18 bits/key at 0.0015 %).
        BinaryFuse16 = "binary-fuse16",
        /// Xor filter, 8-bit fingerprints (≈ 9.84 bits/key at 0.39 %).
        Xor8 = "xor8",
        /// Xor filter, 16-bit fingerprints.
        Xor16 = "xor16",
        /// Split-block Bloom filter: one cache-line block per key, insertable.
        Bloom = "bloom",
        /// Cuckoo filter, 16-bit fingerprints, 4-slot buckets: insert and remove.
        Cuckoo = "cuckoo",
        /// Quotient filter, 8-bit remainders: insert and remove (≈ 12.2 bits/key at 0.35 %).
        Quotient8 = "quotient8",
        /// Quotient filter, 16-bit remainders: insert and remove (≈ 21.1 bits/key at 0.0014 %).
        Quotient16 = "quotient16",
        /// Ribbon filter, 8-bit fingerprints: the fewest bits per key at 0.39 %.
        Ribbon8 = "ribbon8",
        /// Ribbon filter, 16-bit fingerprints (0.0015 %).
        Ribbon16 = "ribbon16",
    }
}

impl arsenal_core::Select for Backend {
    fn available() -> Vec<Backend> {
        Backend::ALL.to_vec()
    }

    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => Backend::BinaryFuse8,
            MinimalMemory => Backend::Ribbon8,
            Latency | Throughput | MaximalSpeed => Backend::Bloom,
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            MinimalMemory => Some("filter/memory/1e6"),
            Latency | Throughput | MaximalSpeed => Some("filter/query-miss/1e6"),
        }
    }
}

impl Backend {
    /// Whether this filter takes insertions after it is made ([`DynamicFilter`]).
    pub const fn is_dynamic(self) -> bool {
        matches!(
            self,
            Backend::Bloom | Backend::Cuckoo | Backend::Quotient8 | Backend::Quotient16
        )
    }

    /// Builds this filter over the distinct `keys` (duplicates count once): static
    /// filters from the set, the Bloom filter sized at 12 bits per key, the cuckoo
    /// filter sized for the keys at 92 % load (grown by an eighth and rebuilt when an
    /// insert finds it full, which small tables can be), the quotient filters sized for
    /// the keys at 90 % load ([`Quotient::with_capacity`]).
    ///
    /// # Errors
    /// As the filter's own constructor ([`StaticFilter::build`],
    /// [`Cuckoo::with_capacity`], [`Quotient::with_capacity`] and [`ErrorKind::Full`]
    /// from the cuckoo filter's inserts).
    pub fn build(self, keys: &[u64]) -> Result<Box<dyn Filter + Send + Sync>> {
        // Static filters deduplicate inside `build`; the dynamic ones get the set here.
        Ok(match self {
            Backend::BinaryFuse8 => Box::new(BinaryFuse8::build(keys)?),
            Backend::BinaryFuse16 => Box::new(BinaryFuse16::build(keys)?),
            Backend::Xor8 => Box::new(Xor8::build(keys)?),
            Backend::Xor16 => Box::new(Xor16::build(keys)?),
            Backend::Ribbon8 => Box::new(Ribbon8::build(keys)?),
            Backend::Ribbon16 => Box::new(Ribbon16::build(keys)?),
            Backend::Bloom => {
                let keys = distinct(keys);
                Box::new(fill(
                    BlockedBloom::with_bits_per_key(keys.len(), 12.0)?,
                    &keys,
                )?)
            }
            Backend::Cuckoo => {
                // Sized at 92 % load; small tables (and unlucky key sets) can fill up
                // before that: then the table grows by an eighth and is rebuilt, at most
                // 32 times.
                let keys = distinct(keys);
                let mut capacity = keys.len();
                let mut attempts = 1;
                loop {
                    match fill(Cuckoo::with_capacity(capacity)?, &keys) {
                        Ok(f) => break Box::new(f),
                        Err(e) if e.kind() == ErrorKind::Full && attempts < 32 => {
                            attempts += 1;
                            capacity = capacity + capacity / 8 + 8;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            Backend::Quotient8 => {
                let keys = distinct(keys);
                Box::new(fill(Quotient8::with_capacity(keys.len())?, &keys)?)
            }
            Backend::Quotient16 => {
                let keys = distinct(keys);
                Box::new(fill(Quotient16::with_capacity(keys.len())?, &keys)?)
            }
        })
    }
}

/// `filter` with every key inserted.
fn fill<F: DynamicFilter>(mut filter: F, keys: &[u64]) -> Result<F> {
    for &k in keys {
        filter.insert_key(k)?;
    }
    Ok(filter)
}

/// The filter type most users want: [`BinaryFuse8`] (the `Balanced` choice: queries
/// at memory speed for about 9 bits per key; [`Ribbon8`] takes fewer bits for slower
/// queries).
pub type DefaultFilter = BinaryFuse8;

/// Reads any filter written by [`Filter::to_bytes`] (the kind is in the header).
///
/// # Errors
/// [`ErrorKind::Corrupt`] for anything but a well-formed filter.
pub fn from_bytes(bytes: &[u8]) -> Result<Box<dyn Filter + Send + Sync>> {
    let kind = format::peek_kind(bytes)?;
    Ok(match kind {
        Backend::BinaryFuse8 => Box::new(BinaryFuse8::from_bytes(bytes)?),
        Backend::BinaryFuse16 => Box::new(BinaryFuse16::from_bytes(bytes)?),
        Backend::Xor8 => Box::new(Xor8::from_bytes(bytes)?),
        Backend::Xor16 => Box::new(Xor16::from_bytes(bytes)?),
        Backend::Bloom => Box::new(BlockedBloom::from_bytes(bytes)?),
        Backend::Cuckoo => Box::new(Cuckoo::from_bytes(bytes)?),
        Backend::Quotient8 => Box::new(Quotient8::from_bytes(bytes)?),
        Backend::Quotient16 => Box::new(Quotient16::from_bytes(bytes)?),
        Backend::Ribbon8 => Box::new(Ribbon8::from_bytes(bytes)?),
        Backend::Ribbon16 => Box::new(Ribbon16::from_bytes(bytes)?),
    })
}

/// A fingerprint width of the xor and binary fuse filters, and the remainder width of
/// the quotient filters (`u8` or `u16`).
pub trait Fingerprint:
    Copy + Default + Ord + std::fmt::Debug + Send + Sync + std::ops::BitXor<Output = Self> + 'static
{
    /// Bits per fingerprint.
    const BITS: u32;
    /// The fingerprint of a mixed hash.
    fn from_hash(h: u64) -> Self;
    /// Little-endian bytes appended to `out`.
    fn put(self, out: &mut Vec<u8>);
    /// Reads one from exactly `Self::BITS / 8` little-endian bytes.
    fn get(bytes: &[u8]) -> Self;
    /// The fingerprint's bits as an integer.
    fn bits(self) -> u64;
}

impl Fingerprint for u8 {
    const BITS: u32 = 8;
    #[inline]
    fn from_hash(h: u64) -> Self {
        (h ^ (h >> 32)) as u8
    }
    fn put(self, out: &mut Vec<u8>) {
        out.push(self);
    }
    fn get(bytes: &[u8]) -> Self {
        bytes[0]
    }
    #[inline]
    fn bits(self) -> u64 {
        u64::from(self)
    }
}

impl Fingerprint for u16 {
    const BITS: u32 = 16;
    #[inline]
    fn from_hash(h: u64) -> Self {
        (h ^ (h >> 32)) as u16
    }
    fn put(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn get(bytes: &[u8]) -> Self {
        u16::from_le_bytes([bytes[0], bytes[1]])
    }
    #[inline]
    fn bits(self) -> u64 {
        u64::from(self)
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
    fn every_backend_builds_and_finds_its_keys() {
        let keys: Vec<u64> = (0..5000u64).map(|i| hash_item(&i)).collect();
        for &b in Backend::ALL {
            let f = b.build(&keys).unwrap();
            assert_eq!(f.backend(), b);
            assert_eq!(f.len(), keys.len(), "{b}");
            assert!(keys.iter().all(|&k| f.contains_key(k)), "{b}");
            let again = from_bytes(&f.to_bytes()).unwrap();
            assert_eq!(again.backend(), b);
            assert!(keys.iter().all(|&k| again.contains_key(k)), "{b}");
        }
    }

    #[test]
    fn sort_distinct_sorts_and_dedups() {
        let mut scratch = Vec::new();
        for n in [0usize, 1, 5, 4095, 4096, 100_000] {
            let mut v: Vec<u64> = (0..n as u64).map(|i| fmix64(i % 3000)).collect();
            let mut expected = v.clone();
            expected.sort_unstable();
            expected.dedup();
            sort_distinct(&mut v, &mut scratch);
            assert_eq!(v, expected, "n={n}");
        }
        // All in one bucket (top bits equal) still sorts.
        let mut v: Vec<u64> = (0..10_000u64).rev().collect();
        sort_distinct(&mut v, &mut scratch);
        assert!(v.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn item_hash_is_stable() {
        // Pinned: the serialised formats mean these hashes.
        assert_eq!(hash_item(&0u64), hash_item(&0u64));
        assert_ne!(hash_item(&1u64), hash_item(&2u64));
        assert_ne!(hash_item("ab"), hash_item("ba"));
        let mut h = ItemHasher::default();
        h.write(&[1, 2, 3]);
        let mut g = ItemHasher::default();
        g.write(&[1]);
        g.write(&[2, 3]);
        assert_eq!(h.finish(), g.finish());
    }
}
