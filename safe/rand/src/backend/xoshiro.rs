//! xoshiro256** and xoshiro256++ (Blackman and Vigna, "Scrambled linear pseudorandom
//! number generators", ACM TOMS 2021): 256 bits of state, period 2²⁵⁶ − 1, a jump of
//! 2¹²⁸ and a long jump of 2¹⁹² steps for parallel streams.

use core::convert::Infallible;

use rand_core::{utils, SeedableRng, TryRng};

use crate::splitmix64;

/// The 2¹²⁸-step jump polynomial of the xoshiro256 engine (both scramblers).
const JUMP: [u64; 4] = [
    0x180e_c6d3_3cfd_0aba,
    0xd5a6_1266_f0c9_392c,
    0xa958_2618_e03f_c9aa,
    0x39ab_dc45_29b1_661c,
];
/// The 2¹⁹²-step jump polynomial.
const LONG_JUMP: [u64; 4] = [
    0x76e1_5d3e_fefd_cbbf,
    0xc500_4e44_1c52_2fb3,
    0x7771_0069_854e_e241,
    0x3910_9bb0_2acb_e635,
];

/// The linear engine both scramblers share: one step of the state.
#[inline(always)]
fn step(s: &mut [u64; 4]) {
    let t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s[3].rotate_left(45);
}

/// Applies a jump polynomial (the reference `jump()`/`long_jump()`).
fn jump_by(s: &mut [u64; 4], poly: &[u64; 4]) {
    let mut acc = [0u64; 4];
    for &word in poly {
        for bit in 0..64 {
            if word & (1u64 << bit) != 0 {
                for (a, x) in acc.iter_mut().zip(s.iter()) {
                    *a ^= x;
                }
            }
            step(s);
        }
    }
    *s = acc;
}

/// The state `seed_from_u64(seed)` gives: four SplitMix64 outputs, as the authors
/// recommend for filling the state from a 64-bit seed (and as `rand_xoshiro` and
/// `rand`'s `SmallRng` do). Never all zero: SplitMix64's output function is a bijection
/// and its four states differ, so at most one output is zero.
fn splitmix_state(mut seed: u64) -> [u64; 4] {
    let mut s = [0u64; 4];
    for x in &mut s {
        *x = splitmix64(&mut seed);
    }
    s
}

/// Reads a seed; the all-zero seed (xoshiro's one forbidden state: it would output
/// zeros forever) becomes the state of `seed_from_u64(0)`.
fn state_from_seed(seed: &[u8; 32]) -> [u64; 4] {
    let s: [u64; 4] = utils::read_words(seed);
    if s == [0; 4] {
        splitmix_state(0)
    } else {
        s
    }
}

macro_rules! xoshiro256 {
    ($(#[$doc:meta])* $name:ident, $backend:ident, |$s:ident| $out:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            s: [u64; 4],
        }

        impl $name {
            /// A generator with exactly this state (the reference C code's `s`), for
            /// reproducing published sequences.
            ///
            /// # Errors
            /// [`ErrorKind::ZeroState`](crate::ErrorKind::ZeroState) for the all-zero
            /// state, the one state xoshiro must never be in (it outputs zeros forever).
            pub fn from_state(s: [u64; 4]) -> crate::Result<Self> {
                if s == [0; 4] {
                    return Err(crate::Error::new(
                        crate::ErrorKind::ZeroState,
                        crate::Backend::$backend.name(),
                        "the all-zero state is a fixed point of xoshiro",
                    ));
                }
                Ok($name { s })
            }

            /// The current state (never all zero).
            pub fn state(&self) -> [u64; 4] {
                self.s
            }

            /// Advances the state by 2¹²⁸ steps, as 2¹²⁸ calls of `next_u64` would: gives
            /// 2¹²⁸ non-overlapping subsequences for parallel computations.
            pub fn jump(&mut self) {
                jump_by(&mut self.s, &JUMP);
            }

            /// Advances the state by 2¹⁹² steps: 2⁶⁴ starting points, each with 2⁶⁴
            /// [`jump`](Self::jump)s of its own.
            pub fn long_jump(&mut self) {
                jump_by(&mut self.s, &LONG_JUMP);
            }

            #[inline(always)]
            fn next(&mut self) -> u64 {
                let $s = &self.s;
                let out = $out;
                step(&mut self.s);
                out
            }
        }

        impl SeedableRng for $name {
            type Seed = [u8; 32];

            /// The seed's four little-endian words are the state; the all-zero seed
            /// gives the state of `seed_from_u64(0)` instead (as `rand_xoshiro`).
            fn from_seed(seed: [u8; 32]) -> Self {
                $name {
                    s: state_from_seed(&seed),
                }
            }

            /// Four SplitMix64 outputs from `seed` (the authors' recommendation; the
            /// same state as `rand_xoshiro`'s): never the all-zero state, also for
            /// `0` and `u64::MAX`.
            fn seed_from_u64(seed: u64) -> Self {
                $name {
                    s: splitmix_state(seed),
                }
            }
        }

        impl TryRng for $name {
            type Error = Infallible;

            /// The upper 32 bits of the next 64-bit output (the lowest bits of the
            /// linear engine are the weakest).
            #[inline]
            fn try_next_u32(&mut self) -> Result<u32, Infallible> {
                Ok((self.next() >> 32) as u32)
            }

            #[inline]
            fn try_next_u64(&mut self) -> Result<u64, Infallible> {
                Ok(self.next())
            }

            /// The little-endian bytes of consecutive `next_u64` outputs; the bytes of
            /// a last, partly used output are discarded.
            #[inline]
            fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
                let mut chunks = dst.chunks_exact_mut(8);
                for chunk in &mut chunks {
                    chunk.copy_from_slice(&self.next().to_le_bytes());
                }
                let rest = chunks.into_remainder();
                if !rest.is_empty() {
                    let last = self.next().to_le_bytes();
                    rest.copy_from_slice(&last[..rest.len()]);
                }
                Ok(())
            }
        }
    };
}

xoshiro256!(
    /// xoshiro256++: the authors' all-purpose 64-bit generator (`rotl(s0 + s3, 23) + s0`
    /// over the xoshiro256 engine). Not cryptographic: a few consecutive outputs
    /// determine the state; use ChaCha where an adversary must not predict the stream.
    ///
    /// ```
    /// use arsenal_rand::{rand_core::{Rng, SeedableRng}, Xoshiro256PlusPlus};
    ///
    /// let mut a = Xoshiro256PlusPlus::seed_from_u64(7);
    /// let mut b = a.clone();
    /// b.jump(); // a stream 2^128 steps ahead, for another thread
    /// assert_ne!(a.next_u64(), b.next_u64());
    /// ```
    Xoshiro256PlusPlus,
    Xoshiro256PlusPlus,
    |s| s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0])
);

xoshiro256!(
    /// xoshiro256**: the xoshiro256 engine with the `rotl(s1 · 5, 7) · 9` scrambler
    /// (every output bit passes the tests, also the lowest). Not cryptographic.
    ///
    /// ```
    /// use arsenal_rand::{rand_core::{Rng, SeedableRng}, Xoshiro256StarStar};
    ///
    /// // The reference C code's state {1, 2, 3, 4}: its first output is 11520.
    /// let mut rng = Xoshiro256StarStar::from_state([1, 2, 3, 4])?;
    /// assert_eq!(rng.next_u64(), 11520);
    /// # Ok::<(), arsenal_rand::Error>(())
    /// ```
    Xoshiro256StarStar,
    Xoshiro256StarStar,
    |s| s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9)
);

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::Rng;

    #[test]
    fn jump_equals_stepping_for_small_powers() {
        // The jump code is generic over the polynomial: the polynomial x^k mod the
        // characteristic polynomial is not at hand, but jump() must commute with steps.
        let mut a = Xoshiro256PlusPlus::seed_from_u64(1);
        let mut b = a.clone();
        a.jump();
        a.next_u64();
        b.next_u64();
        b.jump();
        assert_eq!(a, b);
        let mut c = Xoshiro256StarStar::seed_from_u64(2);
        let mut d = c.clone();
        c.long_jump();
        c.next_u64();
        d.next_u64();
        d.long_jump();
        assert_eq!(c, d);
    }

    #[test]
    fn zero_state_is_refused_and_zero_seed_mapped() {
        assert!(Xoshiro256PlusPlus::from_state([0; 4]).is_err());
        let z = Xoshiro256PlusPlus::from_seed([0; 32]);
        assert_eq!(z, Xoshiro256PlusPlus::seed_from_u64(0));
        assert_ne!(z.state(), [0; 4]);
    }
}
