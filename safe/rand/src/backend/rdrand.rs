//! The CPU's random number instructions: RDRAND (a CSPRNG in the CPU, reseeded from its
//! entropy source, AES-CTR-DRBG on Intel) and RDSEED (the conditioned entropy source
//! itself, slower and allowed to run dry).
//!
//! Both are sources, not algorithms: they take no seed (no `SeedableRng`) and can fail,
//! so they implement rand_core's fallible [`TryRng`] (with [`TryCryptoRng`]) and not the
//! infallible `Rng`. Each 64-bit draw follows Intel's DRNG guide: RDRAND is retried up
//! to [`RDRAND_RETRIES`] times (a failure after that "indicates a hardware problem");
//! RDSEED, which fails whenever the entropy source is drained, is retried up to
//! [`RDSEED_RETRIES`] times with a `pause` between tries. When every retry fails the
//! draw returns [`ErrorKind::Exhausted`]: nothing else is
//! ever substituted. For `rand`'s infallible APIs wrap the source in
//! [`rand_core::UnwrapErr`], which **panics** on such an error (its documented
//! behaviour), or seed a [`ChaCha20Rng`](crate::ChaCha20Rng) from it with
//! `SeedableRng::try_from_rng`.
//!
//! Construction checks the CPU (`is_x86_feature_detected!`) and draws a few values: a
//! CPU without the instruction, or one whose instruction returns the same value every
//! time (some AMD processors returned all ones after a suspend until a firmware fix),
//! gives [`ErrorKind::Unsupported`].

use rand_core::{TryCryptoRng, TryRng};

use crate::{Backend, Error, ErrorKind, Result};

/// RDRAND attempts per 64-bit value (Intel's recommendation: 10).
pub const RDRAND_RETRIES: u32 = 10;
/// RDSEED attempts per 64-bit value, with a `pause` after each failure.
pub const RDSEED_RETRIES: u32 = 1024;

/// Values drawn at construction; all equal means the instruction is broken.
const SELF_TEST_DRAWS: usize = 8;

#[cfg(target_arch = "x86_64")]
mod imp {
    use core::arch::x86_64::{_mm_pause, _rdrand64_step, _rdseed64_step};

    use super::{RDRAND_RETRIES, RDSEED_RETRIES};

    pub(super) fn has_rdrand() -> bool {
        std::arch::is_x86_feature_detected!("rdrand")
    }

    pub(super) fn has_rdseed() -> bool {
        std::arch::is_x86_feature_detected!("rdseed")
    }

    /// # Safety
    /// The CPU must support RDRAND.
    #[target_feature(enable = "rdrand")]
    pub(super) unsafe fn rdrand() -> Option<u64> {
        let mut v = 0u64;
        for _ in 0..RDRAND_RETRIES {
            // SAFETY: the caller guarantees RDRAND; `v` is a valid `u64` to write. (Safe
            // to call inside this `target_feature` function on newer Rust.)
            #[allow(unused_unsafe)]
            if unsafe { _rdrand64_step(&mut v) } == 1 {
                return Some(v);
            }
        }
        None
    }

    /// # Safety
    /// The CPU must support RDSEED.
    #[target_feature(enable = "rdseed")]
    pub(super) unsafe fn rdseed() -> Option<u64> {
        let mut v = 0u64;
        for _ in 0..RDSEED_RETRIES {
            // SAFETY: the caller guarantees RDSEED; `v` is a valid `u64` to write.
            #[allow(unused_unsafe)]
            if unsafe { _rdseed64_step(&mut v) } == 1 {
                return Some(v);
            }
            _mm_pause();
        }
        None
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod imp {
    pub(super) fn has_rdrand() -> bool {
        false
    }
    pub(super) fn has_rdseed() -> bool {
        false
    }
    pub(super) unsafe fn rdrand() -> Option<u64> {
        None
    }
    pub(super) unsafe fn rdseed() -> Option<u64> {
        None
    }
}

/// Whether this CPU has RDRAND (x86-64 only).
pub fn has_rdrand() -> bool {
    imp::has_rdrand()
}

/// Whether this CPU has RDSEED (x86-64 only).
pub fn has_rdseed() -> bool {
    imp::has_rdseed()
}

macro_rules! hardware_source {
    ($(#[$doc:meta])* $name:ident, $backend:ident, $has:ident, $draw:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            // Constructed only after the CPU check: the draws below rely on it.
            _checked: (),
        }

        impl $name {
            /// The source, after checking the CPU and drawing a few values.
            ///
            /// # Errors
            /// [`ErrorKind::Unsupported`] when the CPU lacks the instruction (or this is
            /// not x86-64) or it returns one constant value;
            /// [`ErrorKind::Exhausted`] when it fails every retry already.
            pub fn new() -> Result<Self> {
                if !imp::$has() {
                    return Err(Error::new(
                        ErrorKind::Unsupported,
                        Backend::$backend.name(),
                        concat!("this CPU has no ", $what, " instruction"),
                    ));
                }
                let mut source = $name { _checked: () };
                let mut first = [0u64; SELF_TEST_DRAWS];
                for v in &mut first {
                    *v = source.draw()?;
                }
                if first.iter().all(|&v| v == first[0]) {
                    return Err(Error::new(
                        ErrorKind::Unsupported,
                        Backend::$backend.name(),
                        format!(
                            concat!($what, " returned {:#x} {} times in a row: broken (a known firmware bug of some AMD CPUs)"),
                            first[0], SELF_TEST_DRAWS
                        ),
                    ));
                }
                Ok(source)
            }

            /// One 64-bit value, with the retry loop described in the module docs.
            ///
            /// # Errors
            /// [`ErrorKind::Exhausted`] when every retry failed.
            #[inline]
            pub fn draw(&mut self) -> Result<u64> {
                // SAFETY: a value of this type exists only after `new` checked that the
                // CPU has the instruction.
                match unsafe { imp::$draw() } {
                    Some(v) => Ok(v),
                    None => Err(Error::new(
                        ErrorKind::Exhausted,
                        Backend::$backend.name(),
                        concat!($what, " returned no value after every retry"),
                    )),
                }
            }
        }

        impl TryRng for $name {
            type Error = Error;

            /// The low half of a 64-bit draw.
            #[inline]
            fn try_next_u32(&mut self) -> Result<u32> {
                self.draw().map(|v| v as u32)
            }

            #[inline]
            fn try_next_u64(&mut self) -> Result<u64> {
                self.draw()
            }

            /// Consecutive 64-bit draws, little endian; on an error `dst` may be partly
            /// written and must not be used.
            fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<()> {
                let mut chunks = dst.chunks_exact_mut(8);
                for chunk in &mut chunks {
                    chunk.copy_from_slice(&self.draw()?.to_le_bytes());
                }
                let rest = chunks.into_remainder();
                if !rest.is_empty() {
                    let last = self.draw()?.to_le_bytes();
                    rest.copy_from_slice(&last[..rest.len()]);
                }
                Ok(())
            }
        }

        impl TryCryptoRng for $name {}
    };
}

hardware_source!(
    /// RDRAND: the CPU's DRBG. Fallible ([`TryRng`]); see the module docs for the retry
    /// loop and what an error means.
    ///
    /// ```
    /// use arsenal_rand::{rand_core::{TryRng, UnwrapErr, Rng}, RdRand};
    ///
    /// match RdRand::new() {
    ///     Ok(mut rng) => {
    ///         let _ = rng.try_next_u64()?;
    ///         // rand's infallible API: panics if RDRAND ever fails every retry.
    ///         let _ = UnwrapErr(&mut rng).next_u32();
    ///     }
    ///     Err(e) => assert_eq!(e.kind(), arsenal_rand::ErrorKind::Unsupported),
    /// }
    /// # Ok::<(), arsenal_rand::Error>(())
    /// ```
    RdRand,
    RdRand,
    has_rdrand,
    rdrand,
    "RDRAND"
);

hardware_source!(
    /// RDSEED: the CPU's conditioned entropy source, for seeding other generators.
    /// Fallible ([`TryRng`]); it can run dry under load, see the module docs.
    ///
    /// ```
    /// use arsenal_rand::{rand_core::SeedableRng, ChaCha20Rng, RdSeed};
    ///
    /// if let Ok(mut seed_source) = RdSeed::new() {
    ///     let _rng = ChaCha20Rng::try_from_rng(&mut seed_source)?;
    /// }
    /// # Ok::<(), arsenal_rand::Error>(())
    /// ```
    RdSeed,
    RdSeed,
    has_rdseed,
    rdseed,
    "RDSEED"
);
