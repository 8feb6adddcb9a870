//! Hashing behind two small traits, [`Hasher64`] and [`Hasher128`]: xxHash (XXH32, XXH64,
//! XXH3), HighwayHash, SipHash-2-4 and BLAKE3 from their C implementations, and native
//! Rust wyhash and rapidhash; one-shot and streaming; drop-in [`core::hash::Hasher`] and
//! [`BuildHasher`] adapters for `HashMap`.
//!
//! | algorithm | feature | type | implementation | output | key / seed | streaming |
//! |---|---|---|---|---|---|---|
//! | XXH32 | `xxhash` | [`Xxh32`] | libxxhash 0.8 | 32 bits (in a `u64`) | `u32` ([`Xxh32::with_seed`] folds a `u64`) | C state |
//! | XXH64 | `xxhash` | [`Xxh64`] | libxxhash 0.8 | 64 | `u64` | C state |
//! | XXH3-64 | `xxhash` | [`Xxh3_64`] | libxxhash 0.8 | 64 | `u64` | C state |
//! | XXH3-128 | `xxhash` | [`Xxh3_128`] | libxxhash 0.8 | 128 | `u64` | C state |
//! | HighwayHash | `highwayhash` | [`HighwayHash`] | libhighwayhash (C++, our shim) | 64 / 128 / 256 | `[u64; 4]` | C++ state |
//! | SipHash-2-4 | `siphash` | [`SipHash24`] | libsodium `crypto_shorthash_siphash24` | 64 | `[u8; 16]` | buffered |
//! | BLAKE3 | `blake3` | [`Blake3`] | `blake3` crate (official C/asm SIMD) | 256 (64/128 truncated) | none or `[u8; 32]` | native |
//! | wyhash final 4.2 | always | [`WyHash`] | native Rust | 64 | `u64` | buffered |
//! | rapidhash v3 | always | [`RapidHash`] | native Rust | 64 | `u64` | buffered |
//!
//! Every type's [`Hasher64::with_seed`] maps a `u64` seed onto the algorithm's own key
//! (documented on the type), so any backend can be chosen by seed alone; the types also
//! have constructors taking their native keys. One-shot [`Hasher64::hash64`] calls the C
//! library's one-shot function where it has one. "Buffered" streaming collects the input
//! and hashes it at [`finish64`](Hasher64::finish64): the algorithm (or libsodium's API)
//! has no incremental form, so streaming costs a copy of the input.
//!
//! # Choosing
//! | goal | choice | why |
//! |---|---|---|
//! | `HashMap` keys (default) | [`DefaultHasher`] = [`WyHash`] in release builds | fastest on short keys, seeded per map by [`Build`] |
//! | debug builds | [`DefaultHasher`] = [`Xxh64`] under `cfg(debug_assertions)` with `xxhash` | the C library is optimised even in debug builds |
//! | latency on short inputs | [`for_latency`]: XXH32 below 32 bytes, XXH3-64 above | the issue's strategy table |
//! | bulk throughput | [`RapidHash`] / [`WyHash`]; [`Xxh3_64`] / [`Xxh3_128`] where a standard format is required | measured about 30 GB/s for the native pair at 1 MiB; Debian's libxxhash is built for SSE2 (about 10–19 GB/s here) |
//! | HashDoS resistance with secret keys | [`SipHash24`], [`HighwayHash`] | keyed PRFs |
//! | cryptographic | [`Blake3`] | collision-resistant, 256-bit |
//!
//! wyhash and rapidhash are native because no Debian package ships them as a library;
//! they match the reference C implementations bit for bit (tested against published
//! vectors and the `rapidhash` crate). They are always built, so the crate needs no
//! feature; library authors should still depend with `default-features = false` and let
//! the application pick the C backends.
//!
//! ```
//! use arsenal_hash::{Build, Hasher64, WyHash};
//! use std::collections::HashMap;
//!
//! let one_shot = WyHash::hash64(42, b"hello world");
//! let mut streaming = WyHash::with_seed(42);
//! streaming.update(b"hello ");
//! streaming.update(b"world");
//! assert_eq!(streaming.finish64(), one_shot);
//!
//! let mut map: HashMap<&str, u32, Build<WyHash>> = HashMap::default();
//! map.insert("answer", 42);
//! assert_eq!(map["answer"], 42);
//! ```
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

use std::fmt;
use std::hash::BuildHasher;
use std::marker::PhantomData;

/// The backends, one module per algorithm family.
pub mod backend {
    #[macro_use]
    mod mum;
    #[cfg(feature = "blake3")]
    pub mod blake3;
    #[cfg(feature = "highwayhash")]
    pub mod highwayhash;
    pub mod rapidhash;
    #[cfg(feature = "siphash")]
    pub mod siphash;
    pub mod wyhash;
    #[cfg(feature = "xxhash")]
    pub mod xxhash;
}

#[cfg(feature = "blake3")]
pub use backend::blake3::Blake3;
#[cfg(feature = "highwayhash")]
pub use backend::highwayhash::HighwayHash;
pub use backend::rapidhash::RapidHash;
#[cfg(feature = "siphash")]
pub use backend::siphash::SipHash24;
pub use backend::wyhash::WyHash;
#[cfg(feature = "xxhash")]
pub use backend::xxhash::{Xxh32, Xxh3_128, Xxh3_64, Xxh64};

/// A hash function with a 64-bit result, streaming and one-shot.
///
/// Object safe: `Box<dyn Hasher64>` hashes with [`update`](Hasher64::update) /
/// [`finish64`](Hasher64::finish64) (the constructors and [`hash64`](Hasher64::hash64)
/// need `Self: Sized`).
///
/// ```
/// use arsenal_hash::{Hasher64, RapidHash, WyHash};
/// let mut hashers: Vec<Box<dyn Hasher64>> =
///     vec![Box::new(WyHash::with_seed(1)), Box::new(RapidHash::with_seed(1))];
/// for h in &mut hashers {
///     h.update(b"abc");
/// }
/// assert_eq!(hashers[0].finish64(), WyHash::hash64(1, b"abc"));
/// assert_eq!(hashers[1].finish64(), RapidHash::hash64(1, b"abc"));
/// ```
pub trait Hasher64 {
    /// A hasher keyed by `seed` (each type documents how the seed becomes its key).
    fn with_seed(seed: u64) -> Self
    where
        Self: Sized;

    /// Feeds `data`; the result depends only on the concatenation of everything fed.
    fn update(&mut self, data: &[u8]);

    /// The hash of everything fed since construction or the last [`reset`](Hasher64::reset).
    /// Does not change the state: hashing may continue.
    fn finish64(&self) -> u64;

    /// Forgets everything fed, keeping the seed.
    fn reset(&mut self);

    /// The algorithm's name (`"xxh3-64"`, `"wyhash"`, ...).
    fn name(&self) -> &'static str;

    /// The hash of `data` with `seed`, equal to `with_seed(seed)` + `update(data)` +
    /// `finish64()`; backends override it with their one-shot function.
    fn hash64(seed: u64, data: &[u8]) -> u64
    where
        Self: Sized,
    {
        let mut h = Self::with_seed(seed);
        h.update(data);
        h.finish64()
    }
}

/// A hash function with a 128-bit result, streaming and one-shot. Object safe like
/// [`Hasher64`].
///
/// ```
/// # #[cfg(feature = "xxhash")] {
/// use arsenal_hash::{Hasher128, Xxh3_128};
/// let mut h = Xxh3_128::with_seed(0);
/// h.update(b"");
/// assert_eq!(h.finish128(), 0x99aa06d3014798d86001c324468d497f);
/// # }
/// ```
pub trait Hasher128 {
    /// A hasher keyed by `seed`.
    fn with_seed(seed: u64) -> Self
    where
        Self: Sized;

    /// Feeds `data`.
    fn update(&mut self, data: &[u8]);

    /// The 128-bit hash of everything fed so far (the state is unchanged).
    fn finish128(&self) -> u128;

    /// Forgets everything fed, keeping the seed.
    fn reset(&mut self);

    /// The hash of `data` with `seed`; backends override it with their one-shot function.
    fn hash128(seed: u64, data: &[u8]) -> u128
    where
        Self: Sized,
    {
        let mut h = Self::with_seed(seed);
        h.update(data);
        h.finish128()
    }
}

/// What went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The C library could not allocate its state.
    OutOfMemory,
    /// The C library failed to initialise (libsodium's `sodium_init`).
    Init,
    /// The algorithm was asked for by name but is unknown or its feature is off.
    Unsupported,
}

/// The error of every backend.
#[derive(Debug, Clone)]
pub struct Error {
    kind: ErrorKind,
    backend: &'static str,
    message: String,
}

impl Error {
    #[cold]
    pub(crate) fn new(kind: ErrorKind, backend: &'static str, message: impl Into<String>) -> Self {
        Error {
            kind,
            backend,
            message: message.into(),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The backend that failed (`"xxhash"`, `"libsodium"`, ...).
    pub fn backend(&self) -> &'static str {
        self.backend
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}: {}", self.backend, self.kind, self.message)
    }
}

impl std::error::Error for Error {}

/// Turns a C state allocation failure into the global allocation-error handler, as `Box`
/// does: the infallible constructors (`with_seed`) use it; `try_*` constructors return
/// [`ErrorKind::OutOfMemory`] instead.
#[cfg(any(feature = "xxhash", feature = "highwayhash"))]
#[cold]
pub(crate) fn state_alloc_failed(size_hint: usize) -> ! {
    std::alloc::handle_alloc_error(
        std::alloc::Layout::from_size_align(size_hint, 64)
            .unwrap_or(std::alloc::Layout::new::<u64>()),
    )
}

/// SplitMix64: expands one `u64` seed into the wider keys of HighwayHash, SipHash and
/// BLAKE3 (documented per type, so keys derived from a seed are reproducible).
///
/// ```
/// let mut state = 0;
/// assert_eq!(arsenal_hash::splitmix64(&mut state), 0xe220a8397b1dcdaf);
/// ```
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The hasher of [`Build`] without a type argument: [`WyHash`] in release builds; in
/// builds with `debug_assertions` (and the `xxhash` feature) [`Xxh64`], whose C code is
/// optimised even when the Rust code is not. The two give different hashes: never persist
/// `DefaultHasher` values across builds.
#[cfg(all(debug_assertions, feature = "xxhash"))]
pub type DefaultHasher = Xxh64;
/// The hasher of [`Build`] without a type argument: [`WyHash`] in release builds; in
/// builds with `debug_assertions` (and the `xxhash` feature) [`Xxh64`], whose C code is
/// optimised even when the Rust code is not. The two give different hashes: never persist
/// `DefaultHasher` values across builds.
#[cfg(not(all(debug_assertions, feature = "xxhash")))]
pub type DefaultHasher = WyHash;

/// A [`core::hash::Hasher`] over any [`Hasher64`], for `HashMap` and `#[derive(Hash)]`.
///
/// `finish` equals [`Hasher64::finish64`] of everything written. A hasher made by
/// [`StdHasher::with_seed`] (what [`Build`] does) collects up to 64 bytes inline and
/// finishes with the backend's one-shot [`Hasher64::hash64`], so short keys never
/// allocate a C state; longer input switches to a streaming `H` on the fly.
/// [`StdHasher::new`] wraps an existing streaming hasher.
///
/// ```
/// use arsenal_hash::{Hasher64, StdHasher, WyHash};
/// use std::hash::Hasher;
/// let mut h = StdHasher::<WyHash>::with_seed(7);
/// h.write(b"key");
/// assert_eq!(h.finish(), WyHash::hash64(7, b"key"));
/// let mut streaming = StdHasher::new(WyHash::with_seed(7));
/// streaming.write(b"key");
/// assert_eq!(streaming.finish(), h.finish());
/// ```
#[derive(Debug)]
pub struct StdHasher<H> {
    seed: u64,
    inline: [u8; STD_INLINE],
    len: usize,
    state: Option<H>,
}

const STD_INLINE: usize = 64;

impl<H: Hasher64> StdHasher<H> {
    /// Wraps a streaming `hasher`: every write goes to it.
    pub fn new(hasher: H) -> Self {
        StdHasher {
            seed: 0,
            inline: [0; STD_INLINE],
            len: 0,
            state: Some(hasher),
        }
    }

    /// A hasher equal to `H::with_seed(seed)` that buffers short input (see the type docs).
    pub fn with_seed(seed: u64) -> Self {
        StdHasher {
            seed,
            inline: [0; STD_INLINE],
            len: 0,
            state: None,
        }
    }
}

impl<H: Hasher64> std::hash::Hasher for StdHasher<H> {
    fn write(&mut self, bytes: &[u8]) {
        if let Some(state) = &mut self.state {
            state.update(bytes);
        } else if let Some(room) = self.inline.get_mut(self.len..self.len + bytes.len()) {
            room.copy_from_slice(bytes);
            self.len += bytes.len();
        } else {
            let mut state = H::with_seed(self.seed);
            state.update(&self.inline[..self.len]);
            state.update(bytes);
            self.state = Some(state);
        }
    }

    fn finish(&self) -> u64 {
        match &self.state {
            Some(state) => state.finish64(),
            None => H::hash64(self.seed, &self.inline[..self.len]),
        }
    }
}

/// A [`BuildHasher`] for `HashMap<K, V, Build<H>>`: every hasher it builds is
/// `H::with_seed(seed)`.
///
/// [`Build::new`] (and `Default`) draws a fresh random seed per instance (from std's
/// per-process random keys plus a counter), so each map hashes differently: an attacker
/// cannot precompute colliding keys for all maps. [`Build::with_seed`] fixes the seed for
/// reproducible hashes (tests, persisted hash tables).
///
/// ```
/// use arsenal_hash::{Build, RapidHash};
/// use std::collections::HashMap;
/// use std::hash::BuildHasher;
///
/// let mut map: HashMap<String, u32, Build<RapidHash>> = HashMap::with_hasher(Build::new());
/// map.insert("one".to_string(), 1);
/// assert_eq!(map.get("one"), Some(&1));
///
/// let fixed = Build::<RapidHash>::with_seed(5);
/// assert_eq!(fixed.hash_one("x"), Build::<RapidHash>::with_seed(5).hash_one("x"));
/// ```
pub struct Build<H = DefaultHasher> {
    seed: u64,
    _hasher: PhantomData<fn() -> H>,
}

impl<H> Build<H> {
    /// A builder with a fresh random seed.
    pub fn new() -> Self {
        Self::with_seed(random_seed())
    }

    /// A builder with a fixed seed: the same hashes every run.
    pub fn with_seed(seed: u64) -> Self {
        Build {
            seed,
            _hasher: PhantomData,
        }
    }

    /// The seed every hasher is built with.
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

impl<H> Default for Build<H> {
    fn default() -> Self {
        Self::new()
    }
}

impl<H> Clone for Build<H> {
    fn clone(&self) -> Self {
        Self::with_seed(self.seed)
    }
}

impl<H> fmt::Debug for Build<H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Build")
            .field("hasher", &std::any::type_name::<H>())
            .finish_non_exhaustive()
    }
}

impl<H: Hasher64> BuildHasher for Build<H> {
    type Hasher = StdHasher<H>;

    fn build_hasher(&self) -> StdHasher<H> {
        StdHasher::with_seed(self.seed)
    }
}

fn random_seed() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // RandomState's keys are random per process (and per thread); hashing a counter
    // gives distinct seeds per builder.
    std::collections::hash_map::RandomState::new().hash_one(COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// `Build<Xxh3_64>`.
#[cfg(feature = "xxhash")]
pub type BuildXxh3 = Build<Xxh3_64>;
/// `Build<Xxh64>`.
#[cfg(feature = "xxhash")]
pub type BuildXxh64 = Build<Xxh64>;
/// `Build<HighwayHash>`.
#[cfg(feature = "highwayhash")]
pub type BuildHighwayHash = Build<HighwayHash>;
/// `Build<SipHash24>`.
#[cfg(feature = "siphash")]
pub type BuildSipHash24 = Build<SipHash24>;
/// `Build<Blake3>`.
#[cfg(feature = "blake3")]
pub type BuildBlake3 = Build<Blake3>;
/// `Build<WyHash>`.
pub type BuildWyHash = Build<WyHash>;
/// `Build<RapidHash>`.
pub type BuildRapidHash = Build<RapidHash>;

/// Every algorithm, for choosing at run time ([`Algorithm::from_name`],
/// [`Algorithm::hasher`]).
///
/// ```
/// use arsenal_hash::{Algorithm, Hasher64, WyHash};
/// let algo = Algorithm::from_name("wyhash").unwrap();
/// let mut h = algo.hasher(3)?;
/// h.update(b"data");
/// assert_eq!(h.finish64(), WyHash::hash64(3, b"data"));
/// # Ok::<(), arsenal_hash::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// XXH32 ([`Xxh32`]).
    Xxh32,
    /// XXH64 ([`Xxh64`]).
    Xxh64,
    /// XXH3-64 ([`Xxh3_64`]).
    Xxh3_64,
    /// XXH3-128 ([`Xxh3_128`]); as a [`Hasher64`], its low 64 bits.
    Xxh3_128,
    /// HighwayHash-64 ([`HighwayHash`]).
    HighwayHash,
    /// SipHash-2-4 ([`SipHash24`]).
    SipHash24,
    /// BLAKE3 truncated to 64 bits ([`Blake3`]).
    Blake3,
    /// wyhash final 4.2 ([`WyHash`]).
    WyHash,
    /// rapidhash v3 ([`RapidHash`]).
    RapidHash,
}

impl Algorithm {
    /// Every algorithm, in the table's order.
    pub const ALL: [Algorithm; 9] = [
        Algorithm::Xxh32,
        Algorithm::Xxh64,
        Algorithm::Xxh3_64,
        Algorithm::Xxh3_128,
        Algorithm::HighwayHash,
        Algorithm::SipHash24,
        Algorithm::Blake3,
        Algorithm::WyHash,
        Algorithm::RapidHash,
    ];

    /// The algorithm's name, as [`Hasher64::name`] reports it.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Xxh32 => "xxh32",
            Algorithm::Xxh64 => "xxh64",
            Algorithm::Xxh3_64 => "xxh3-64",
            Algorithm::Xxh3_128 => "xxh3-128",
            Algorithm::HighwayHash => "highwayhash-64",
            Algorithm::SipHash24 => "siphash24",
            Algorithm::Blake3 => "blake3",
            Algorithm::WyHash => "wyhash",
            Algorithm::RapidHash => "rapidhash",
        }
    }

    /// The algorithm called `name` (as [`Algorithm::name`] spells it).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether this build has the algorithm's backend.
    pub fn is_enabled(self) -> bool {
        match self {
            Algorithm::Xxh32 | Algorithm::Xxh64 | Algorithm::Xxh3_64 | Algorithm::Xxh3_128 => {
                cfg!(feature = "xxhash")
            }
            Algorithm::HighwayHash => cfg!(feature = "highwayhash"),
            Algorithm::SipHash24 => cfg!(feature = "siphash"),
            Algorithm::Blake3 => cfg!(feature = "blake3"),
            Algorithm::WyHash | Algorithm::RapidHash => true,
        }
    }

    /// A boxed streaming hasher keyed by `seed`; [`ErrorKind::Unsupported`] when the
    /// algorithm's feature is off, [`ErrorKind::OutOfMemory`] / [`ErrorKind::Init`] when
    /// the C library fails.
    pub fn hasher(self, seed: u64) -> Result<Box<dyn Hasher64 + Send>, Error> {
        match self {
            #[cfg(feature = "xxhash")]
            Algorithm::Xxh32 => Ok(Box::new(Xxh32::try_with_seed(seed)?)),
            #[cfg(feature = "xxhash")]
            Algorithm::Xxh64 => Ok(Box::new(Xxh64::try_with_seed(seed)?)),
            #[cfg(feature = "xxhash")]
            Algorithm::Xxh3_64 => Ok(Box::new(Xxh3_64::try_with_seed(seed)?)),
            #[cfg(feature = "xxhash")]
            Algorithm::Xxh3_128 => Ok(Box::new(Xxh3_128::try_with_seed(seed)?)),
            #[cfg(feature = "highwayhash")]
            Algorithm::HighwayHash => Ok(Box::new(HighwayHash::try_with_seed(seed)?)),
            #[cfg(feature = "siphash")]
            Algorithm::SipHash24 => Ok(Box::new(SipHash24::try_with_seed(seed)?)),
            #[cfg(feature = "blake3")]
            Algorithm::Blake3 => Ok(Box::new(<Blake3 as Hasher64>::with_seed(seed))),
            Algorithm::WyHash => Ok(Box::new(WyHash::with_seed(seed))),
            Algorithm::RapidHash => Ok(Box::new(RapidHash::with_seed(seed))),
            #[allow(unreachable_patterns)]
            other => Err(Error::new(
                ErrorKind::Unsupported,
                other.name(),
                format!("the feature of {} is not enabled", other.name()),
            )),
        }
    }
}

/// The issue's latency strategy: the algorithm with the lowest time per hash for inputs
/// of `len` bytes. XXH32 below 32 bytes, XXH3-64 from 32 bytes (both need `xxhash`);
/// [`Algorithm::WyHash`] without the `xxhash` feature.
///
/// ```
/// use arsenal_hash::{for_latency, Algorithm};
/// # #[cfg(feature = "xxhash")] {
/// assert_eq!(for_latency(8), Algorithm::Xxh32);
/// assert_eq!(for_latency(4096), Algorithm::Xxh3_64);
/// # }
/// ```
pub fn for_latency(len: usize) -> Algorithm {
    if !cfg!(feature = "xxhash") {
        Algorithm::WyHash
    } else if len < 32 {
        Algorithm::Xxh32
    } else {
        Algorithm::Xxh3_64
    }
}
