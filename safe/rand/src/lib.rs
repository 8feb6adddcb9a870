//! Random number generators, all native Rust, behind [`rand_core`] 0.10's traits
//! ([`Rng`](rand_core::Rng)/[`TryRng`], [`SeedableRng`],
//! [`CryptoRng`](rand_core::CryptoRng)), so each drops into the `rand` 0.10 ecosystem
//! (`rand::RngExt`, distributions, shuffling). No C library fits this domain: every
//! generator is a few lines of arithmetic that a call across FFI would only slow down.
//!
//! | backend | type | output | state | crypto | seed |
//! |---|---|---|---|---|---|
//! | `chacha12` (default) | [`ChaCha12Rng`] | 32-bit words of the ChaCha12 keystream | 1 KiB buffer + key | **yes** | 32-byte key |
//! | `chacha8` | [`ChaCha8Rng`] | ChaCha8 keystream | same | **yes** (reduced rounds, no known attack) | 32-byte key |
//! | `chacha20` | [`ChaCha20Rng`] | ChaCha20 keystream (RFC 8439's block function) | same | **yes** | 32-byte key |
//! | `xoshiro256pp` | [`Xoshiro256PlusPlus`] | 64-bit, `rotl(s0+s3,23)+s0` | 32 B | no | 32 bytes (never all zero) |
//! | `xoshiro256ss` | [`Xoshiro256StarStar`] | 64-bit, `rotl(s1·5,7)·9` | 32 B | no | 32 bytes (never all zero) |
//! | `pcg64` | [`Pcg64`] | 64-bit, XSL RR 128/64 (`pcg64`) | 32 B | no | 32 bytes (state, stream) |
//! | `pcg32` | [`Pcg32`] | 32-bit, XSH RR 64/32 (`pcg32`) | 16 B | no | 16 bytes (state, stream) |
//! | `rdrand` | [`RdRand`] | the CPU's DRBG (x86-64, checked at run time) | none | **yes** (fallible: [`TryRng`] only) | none |
//! | `rdseed` | [`RdSeed`] | the CPU's entropy source | none | **yes** (fallible, slow: for seeding) | none |
//!
//! Which one: ChaCha (`chacha12`, as `rand`'s `StdRng`) whenever an adversary could
//! profit from predicting the stream, or when in doubt; xoshiro256++ (as `rand`'s
//! `SmallRng`) or PCG64 for simulations, sampling and hashing seeds, where speed counts
//! and the output is never secret; PCG32 where state size counts (16 bytes); RDRAND or
//! RDSEED to seed one of the others (`SeedableRng::try_from_rng`), not for bulk output.
//! `docs/rand.md` has the measured speeds.
//!
//! Reproducibility: the seedable generators give the same stream on every platform and
//! version for the same seed: the reference algorithms' streams (checked against the
//! authors' published outputs) and, seed for seed, the same streams as `rand_xoshiro`,
//! `rand_pcg` and `rand_chacha` (`from_seed` and `seed_from_u64` alike). `fill_bytes`
//! writes the little-endian bytes of the words `next_u64` (`next_u32` for the 32-bit
//! generators: PCG32, ChaCha) would return, in order; a partly used last word is
//! discarded.
//!
//! ```
//! use arsenal_rand::rand_core::{Rng, SeedableRng, TryRng};
//! use arsenal_rand::{Backend, DefaultRng, Xoshiro256PlusPlus};
//!
//! // A concrete generator: rand_core's traits.
//! let mut rng = Xoshiro256PlusPlus::seed_from_u64(42);
//! let mut bytes = [0u8; 13];
//! rng.fill_bytes(&mut bytes);
//!
//! // The default (a CSPRNG) and a backend chosen by name at run time.
//! let mut secure = DefaultRng::from_seed([1; 32]);
//! let _ = secure.next_u64();
//! let backend: Backend = "pcg64".parse()?;
//! let mut any = backend.seeded(42)?;
//! assert_eq!(any.backend(), Backend::Pcg64);
//! let _ = any.try_next_u64()?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

pub mod backend;
mod error;

pub use backend::chacha::{ChaCha12Rng, ChaCha20Rng, ChaCha8Rng, ChaChaKernel, ChaChaRng};
pub use backend::pcg::{Pcg32, Pcg64};
pub use backend::rdrand::{has_rdrand, has_rdseed, RdRand, RdSeed};
pub use backend::xoshiro::{Xoshiro256PlusPlus, Xoshiro256StarStar};
pub use error::{Error, ErrorKind, Result};
/// The `rand_core` these generators implement (0.10), re-exported so callers name the
/// same traits.
pub use rand_core;

use rand_core::{SeedableRng, TryRng};

/// One step of SplitMix64 (Steele, Lea and Flood 2014): xoshiro's `seed_from_u64`.
#[inline]
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

arsenal_core::backends! {
    /// The random number generators this crate knows.
    domain = "rand";
    pub enum Backend {
        /// ChaCha with 12 rounds ([`ChaCha12Rng`]): the default, a CSPRNG.
        ChaCha12 = "chacha12",
        /// ChaCha with 8 rounds ([`ChaCha8Rng`]).
        ChaCha8 = "chacha8",
        /// ChaCha with 20 rounds ([`ChaCha20Rng`]).
        ChaCha20 = "chacha20",
        /// xoshiro256++ ([`Xoshiro256PlusPlus`]).
        Xoshiro256PlusPlus = "xoshiro256pp",
        /// xoshiro256** ([`Xoshiro256StarStar`]).
        Xoshiro256StarStar = "xoshiro256ss",
        /// PCG64, XSL RR 128/64 ([`Pcg64`]).
        Pcg64 = "pcg64",
        /// PCG32, XSH RR 64/32 ([`Pcg32`]).
        Pcg32 = "pcg32",
        /// The RDRAND instruction ([`RdRand`]; x86-64 CPUs that have it).
        RdRand = "rdrand",
        /// The RDSEED instruction ([`RdSeed`]; x86-64 CPUs that have it).
        RdSeed = "rdseed",
    }
}

impl arsenal_core::Select for Backend {
    /// The seven algorithms always (native code), then RDRAND and RDSEED when this CPU
    /// has them. ChaCha12 first: the default is a CSPRNG, as `rand`'s `StdRng`.
    fn available() -> Vec<Backend> {
        let mut v = vec![
            Backend::ChaCha12,
            Backend::ChaCha8,
            Backend::ChaCha20,
            Backend::Xoshiro256PlusPlus,
            Backend::Xoshiro256StarStar,
            Backend::Pcg64,
            Backend::Pcg32,
        ];
        if has_rdrand() {
            v.push(Backend::RdRand);
        }
        if has_rdseed() {
            v.push(Backend::RdSeed);
        }
        v
    }

    /// Speed strategies pick the fastest generator measured, which is **not
    /// cryptographic** (check [`Backend::is_crypto`]); `Balanced` is the CSPRNG
    /// [`DefaultRng`].
    /// - `Throughput` and `MaximalSpeed`: xoshiro256** (`rand/fill_bytes/1MiB`: about
    ///   11 GB/s on the reference machine, an AMD EPYC Zen 4). It and xoshiro256++ are the
    ///   fastest of our generators and within a few per cent of each other (their order
    ///   can flip between runs on a busy machine); ** had the best times there, also in
    ///   a separate minimum-of-300 timing. ChaCha8's AVX-512 kernel reaches about
    ///   8.5 GB/s, so no SIMD tier changes the answer.
    /// - `Latency`: xoshiro256** (`rand/next_u64/64Ki`: the most 64-bit outputs per
    ///   second, one call at a time; ++ again within a few per cent).
    /// - `MinimalMemory`: PCG32, 16 bytes of state (`rand/memory/state`).
    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => Backend::ChaCha12,
            Throughput | MaximalSpeed | Latency => Backend::Xoshiro256StarStar,
            MinimalMemory => Backend::Pcg32,
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            Throughput | MaximalSpeed => Some("rand/fill_bytes/1MiB"),
            Latency => Some("rand/next_u64/64Ki"),
            MinimalMemory => Some("rand/memory/state"),
        }
    }
}

/// The crate's default generator: [`ChaCha12Rng`] (the first of
/// [`Backend::available`]), a CSPRNG, as `rand`'s `StdRng`.
pub type DefaultRng = ChaCha12Rng;

impl Backend {
    /// Whether the generator is meant to be unpredictable (ChaCha, RDRAND, RDSEED).
    pub const fn is_crypto(self) -> bool {
        matches!(
            self,
            Backend::ChaCha8
                | Backend::ChaCha12
                | Backend::ChaCha20
                | Backend::RdRand
                | Backend::RdSeed
        )
    }

    /// Whether the generator is an algorithm with a seed (everything but RDRAND and
    /// RDSEED, which are hardware sources).
    pub const fn is_seedable(self) -> bool {
        !matches!(self, Backend::RdRand | Backend::RdSeed)
    }

    /// The generator seeded with `seed` through `SeedableRng::seed_from_u64` (the same
    /// stream as the concrete type's `seed_from_u64(seed)`).
    ///
    /// ```
    /// use arsenal_rand::{rand_core::{Rng, SeedableRng, TryRng}, Backend, Pcg32};
    ///
    /// let mut any = Backend::Pcg32.seeded(9)?;
    /// assert_eq!(any.try_next_u32()?, Pcg32::seed_from_u64(9).next_u32());
    /// assert_eq!(Backend::RdRand.seeded(9).unwrap_err().kind(), arsenal_rand::ErrorKind::Seed);
    /// # Ok::<(), arsenal_rand::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::Seed`] for RDRAND and RDSEED, which take no seed
    /// ([`Backend::source`]).
    pub fn seeded(self, seed: u64) -> Result<AnyRng> {
        Ok(match self {
            Backend::ChaCha12 => AnyRng::ChaCha12(Box::new(ChaCha12Rng::seed_from_u64(seed))),
            Backend::ChaCha8 => AnyRng::ChaCha8(Box::new(ChaCha8Rng::seed_from_u64(seed))),
            Backend::ChaCha20 => AnyRng::ChaCha20(Box::new(ChaCha20Rng::seed_from_u64(seed))),
            Backend::Xoshiro256PlusPlus => {
                AnyRng::Xoshiro256PlusPlus(Xoshiro256PlusPlus::seed_from_u64(seed))
            }
            Backend::Xoshiro256StarStar => {
                AnyRng::Xoshiro256StarStar(Xoshiro256StarStar::seed_from_u64(seed))
            }
            Backend::Pcg64 => AnyRng::Pcg64(Pcg64::seed_from_u64(seed)),
            Backend::Pcg32 => AnyRng::Pcg32(Pcg32::seed_from_u64(seed)),
            Backend::RdRand | Backend::RdSeed => {
                return Err(Error::new(
                    ErrorKind::Seed,
                    self.name(),
                    "a hardware source takes no seed: use Backend::source()",
                ))
            }
        })
    }

    /// The hardware source (RDRAND, RDSEED) after the CPU check.
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`] when the CPU lacks the instruction (see
    /// [`RdRand::new`]); [`ErrorKind::Seed`] for the seedable algorithms, which need a
    /// seed ([`Backend::seeded`]).
    pub fn source(self) -> Result<AnyRng> {
        match self {
            Backend::RdRand => RdRand::new().map(AnyRng::RdRand),
            Backend::RdSeed => RdSeed::new().map(AnyRng::RdSeed),
            _ => Err(Error::new(
                ErrorKind::Seed,
                self.name(),
                "a pseudo-random generator needs a seed: use Backend::seeded(seed)",
            )),
        }
    }
}

/// Any of the crate's generators, chosen at run time ([`Backend::seeded`],
/// [`Backend::source`]). It implements the fallible [`TryRng`] with this crate's
/// [`Error`] (only RDRAND and RDSEED ever fail); wrap it in
/// [`rand_core::UnwrapErr`] for `rand`'s infallible API, or use the concrete types,
/// which implement [`Rng`](rand_core::Rng) directly and are faster (no dispatch).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AnyRng {
    /// [`ChaCha12Rng`].
    ChaCha12(Box<ChaCha12Rng>),
    /// [`ChaCha8Rng`].
    ChaCha8(Box<ChaCha8Rng>),
    /// [`ChaCha20Rng`].
    ChaCha20(Box<ChaCha20Rng>),
    /// [`Xoshiro256PlusPlus`].
    Xoshiro256PlusPlus(Xoshiro256PlusPlus),
    /// [`Xoshiro256StarStar`].
    Xoshiro256StarStar(Xoshiro256StarStar),
    /// [`Pcg64`].
    Pcg64(Pcg64),
    /// [`Pcg32`].
    Pcg32(Pcg32),
    /// [`RdRand`].
    RdRand(RdRand),
    /// [`RdSeed`].
    RdSeed(RdSeed),
}

macro_rules! dispatch {
    ($self:expr, |$r:ident| $infallible:expr, |$h:ident| $fallible:expr) => {
        match $self {
            AnyRng::ChaCha12($r) => Ok($infallible),
            AnyRng::ChaCha8($r) => Ok($infallible),
            AnyRng::ChaCha20($r) => Ok($infallible),
            AnyRng::Xoshiro256PlusPlus($r) => Ok($infallible),
            AnyRng::Xoshiro256StarStar($r) => Ok($infallible),
            AnyRng::Pcg64($r) => Ok($infallible),
            AnyRng::Pcg32($r) => Ok($infallible),
            AnyRng::RdRand($h) => $fallible,
            AnyRng::RdSeed($h) => $fallible,
        }
    };
}

impl AnyRng {
    /// Which generator this is.
    pub fn backend(&self) -> Backend {
        match self {
            AnyRng::ChaCha12(_) => Backend::ChaCha12,
            AnyRng::ChaCha8(_) => Backend::ChaCha8,
            AnyRng::ChaCha20(_) => Backend::ChaCha20,
            AnyRng::Xoshiro256PlusPlus(_) => Backend::Xoshiro256PlusPlus,
            AnyRng::Xoshiro256StarStar(_) => Backend::Xoshiro256StarStar,
            AnyRng::Pcg64(_) => Backend::Pcg64,
            AnyRng::Pcg32(_) => Backend::Pcg32,
            AnyRng::RdRand(_) => Backend::RdRand,
            AnyRng::RdSeed(_) => Backend::RdSeed,
        }
    }
}

impl TryRng for AnyRng {
    type Error = Error;

    fn try_next_u32(&mut self) -> Result<u32> {
        use rand_core::Rng;
        dispatch!(self, |r| r.next_u32(), |h| h.try_next_u32())
    }

    fn try_next_u64(&mut self) -> Result<u64> {
        use rand_core::Rng;
        dispatch!(self, |r| r.next_u64(), |h| h.try_next_u64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<()> {
        use rand_core::Rng;
        dispatch!(self, |r| r.fill_bytes(dst), |h| h.try_fill_bytes(dst))
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
    fn every_available_backend_does_real_work() {
        for b in Backend::available() {
            let mut rng = if b.is_seedable() {
                b.seeded(1).unwrap()
            } else {
                b.source().unwrap()
            };
            assert_eq!(rng.backend(), b);
            let mut buf = [0u8; 64];
            rng.try_fill_bytes(&mut buf).unwrap();
            let words: Vec<u64> = (0..4).map(|_| rng.try_next_u64().unwrap()).collect();
            assert!(buf.iter().any(|&x| x != 0), "{b}");
            assert!(words.windows(2).all(|w| w[0] != w[1]), "{b}");
        }
        for b in Backend::ALL {
            if !b.is_available() {
                assert_eq!(b.source().unwrap_err().kind(), ErrorKind::Unsupported);
            }
        }
    }

    #[test]
    fn splitmix_reference() {
        // SplitMix64 from state 0 (Vigna's splitmix64.c): the first output.
        let mut s = 0u64;
        assert_eq!(splitmix64(&mut s), 0xe220_a839_7b1d_cdaf);
    }
}
