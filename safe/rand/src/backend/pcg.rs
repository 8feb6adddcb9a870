//! PCG (O'Neill, "PCG: a family of simple fast space-efficient statistically good
//! algorithms for random number generation", 2014): a linear congruential generator
//! with an explicitly chosen stream (odd increment) and a permutation of its state as
//! output. [`Pcg64`] is the reference's `pcg64` (`pcg_setseq_128_xsl_rr_64`),
//! [`Pcg32`] its `pcg32` (`pcg_setseq_64_xsh_rr_32`).

use core::convert::Infallible;
use core::fmt;

use rand_core::{utils, SeedableRng, TryRng};

/// The 128-bit LCG multiplier of the PCG reference (`PCG_DEFAULT_MULTIPLIER_128`).
const MUL_128: u128 = 0x2360_ed05_1fc6_5da4_4385_df64_9fcc_f645;
/// The 64-bit LCG multiplier (`PCG_DEFAULT_MULTIPLIER_64`).
const MUL_64: u64 = 0x5851_f42d_4c95_7f2d;

/// Jump-ahead of an LCG by `delta` steps (Brown, "Random number generation with
/// arbitrary strides", 1994), generic over the word.
macro_rules! lcg_advance {
    ($state:expr, $inc:expr, $mul:expr, $delta:expr, $one:expr) => {{
        let (mut acc_mult, mut acc_plus) = ($one, $one - $one);
        let (mut cur_mult, mut cur_plus) = ($mul, $inc);
        let mut delta = $delta;
        while delta > 0 {
            if delta & 1 != 0 {
                acc_mult = acc_mult.wrapping_mul(cur_mult);
                acc_plus = acc_plus.wrapping_mul(cur_mult).wrapping_add(cur_plus);
            }
            cur_plus = cur_mult.wrapping_add(1).wrapping_mul(cur_plus);
            cur_mult = cur_mult.wrapping_mul(cur_mult);
            delta >>= 1;
        }
        acc_mult.wrapping_mul($state).wrapping_add(acc_plus)
    }};
}

/// PCG64 (XSL RR 128/64): a 128-bit LCG with a chosen stream; each `next_u64` advances
/// the state and outputs `rotr(hi ^ lo, state >> 122)` of the new state, as the
/// reference's `pcg64_random_r`. Period 2¹²⁸ per stream, 2¹²⁷ streams. Not
/// cryptographic. `next_u32` is the low half of `next_u64` (as `rand_pcg`).
///
/// ```
/// use arsenal_rand::{rand_core::Rng, Pcg64};
///
/// // pcg-c's pcg64 demo: seed 42, stream 54.
/// let mut rng = Pcg64::new(42, 54);
/// assert_eq!(rng.next_u64(), 0x86b1da1d72062b68);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Pcg64 {
    state: u128,
    inc: u128,
}

impl Pcg64 {
    /// The reference's `pcg64_srandom_r(initstate, initseq)`: the stream's increment is
    /// `initseq · 2 + 1` (its top bit is dropped), then the state is advanced past the
    /// seed.
    pub fn new(initstate: u128, initseq: u128) -> Self {
        Self::from_state_inc(initstate, (initseq << 1) | 1)
    }

    fn from_state_inc(initstate: u128, inc: u128) -> Self {
        let mut rng = Pcg64 {
            state: inc.wrapping_add(initstate),
            inc,
        };
        rng.step();
        rng
    }

    #[inline(always)]
    fn step(&mut self) {
        self.state = self.state.wrapping_mul(MUL_128).wrapping_add(self.inc);
    }

    /// Advances by `delta` outputs in O(log delta) (the reference's `pcg64_advance_r`).
    /// Going back `k` steps is `advance(k.wrapping_neg())`.
    pub fn advance(&mut self, delta: u128) {
        self.state = lcg_advance!(self.state, self.inc, MUL_128, delta, 1u128);
    }

    #[inline(always)]
    fn next(&mut self) -> u64 {
        self.step();
        let s = self.state;
        let rot = (s >> 122) as u32;
        (((s >> 64) as u64) ^ (s as u64)).rotate_right(rot)
    }
}

impl fmt::Debug for Pcg64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pcg64").finish_non_exhaustive()
    }
}

impl SeedableRng for Pcg64 {
    type Seed = [u8; 32];

    /// Little-endian words: the first 16 bytes are `initstate`, the last 16 the
    /// increment (its lowest bit forced to 1). The same layout as `rand_pcg::Pcg64`, so
    /// the same seed gives the same stream. Every seed is valid (all zero included).
    fn from_seed(seed: [u8; 32]) -> Self {
        let w: [u64; 4] = utils::read_words(&seed);
        let state = u128::from(w[0]) | (u128::from(w[1]) << 64);
        let inc = u128::from(w[2]) | (u128::from(w[3]) << 64);
        Self::from_state_inc(state, inc | 1)
    }
}

impl TryRng for Pcg64 {
    type Error = Infallible;

    /// The low 32 bits of the next 64-bit output.
    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.next() as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next())
    }

    /// The little-endian bytes of consecutive `next_u64` outputs; the bytes of a last,
    /// partly used output are discarded.
    #[inline]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        utils::fill_bytes_via_next_word(dst, || Ok(self.next()))
    }
}

/// PCG32 (XSH RR 64/32): a 64-bit LCG with a chosen stream and 32-bit outputs, the
/// reference's `pcg32_random_r` (outputs a permutation of the state *before* the step).
/// Period 2⁶⁴ per stream, 2⁶³ streams, 16 bytes of state. Not cryptographic.
/// `next_u64` is two `next_u32` outputs, the first in the low half.
///
/// ```
/// use arsenal_rand::{rand_core::Rng, Pcg32};
///
/// // pcg-c's pcg32-demo: seed 42, stream 54.
/// let mut rng = Pcg32::new(42, 54);
/// assert_eq!(rng.next_u32(), 0xa15c02b7);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Pcg32 {
    state: u64,
    inc: u64,
}

impl Pcg32 {
    /// The reference's `pcg32_srandom_r(initstate, initseq)`.
    pub fn new(initstate: u64, initseq: u64) -> Self {
        Self::from_state_inc(initstate, (initseq << 1) | 1)
    }

    fn from_state_inc(initstate: u64, inc: u64) -> Self {
        let mut rng = Pcg32 {
            state: inc.wrapping_add(initstate),
            inc,
        };
        rng.state = rng.state.wrapping_mul(MUL_64).wrapping_add(rng.inc);
        rng
    }

    /// Advances by `delta` outputs in O(log delta) (`pcg32_advance_r`).
    pub fn advance(&mut self, delta: u64) {
        self.state = lcg_advance!(self.state, self.inc, MUL_64, delta, 1u64);
    }

    #[inline(always)]
    fn next(&mut self) -> u32 {
        let old = self.state;
        self.state = old.wrapping_mul(MUL_64).wrapping_add(self.inc);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        xorshifted.rotate_right((old >> 59) as u32)
    }
}

impl fmt::Debug for Pcg32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pcg32").finish_non_exhaustive()
    }
}

impl SeedableRng for Pcg32 {
    type Seed = [u8; 16];

    /// Little-endian words: `initstate`, then the increment (lowest bit forced to 1);
    /// `rand_pcg::Pcg32`'s layout. Every seed is valid.
    fn from_seed(seed: [u8; 16]) -> Self {
        let w: [u64; 2] = utils::read_words(&seed);
        Self::from_state_inc(w[0], w[1] | 1)
    }
}

impl TryRng for Pcg32 {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.next())
    }

    /// Two outputs, the first in the low 32 bits.
    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let lo = u64::from(self.next());
        Ok(lo | (u64::from(self.next()) << 32))
    }

    /// The little-endian bytes of consecutive `next_u32` outputs (so also of
    /// consecutive `next_u64` outputs); the bytes of a last, partly used output are
    /// discarded.
    #[inline]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        utils::fill_bytes_via_next_word(dst, || Ok(self.next()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_core::Rng;

    #[test]
    fn advance_matches_stepping_and_goes_back() {
        let mut a = Pcg64::new(1, 2);
        let mut b = a.clone();
        for _ in 0..1000 {
            a.next_u64();
        }
        b.advance(1000);
        assert!(a == b);
        b.advance(1000u128.wrapping_neg());
        assert!(b == Pcg64::new(1, 2));
        let mut c = Pcg32::new(3, 4);
        let mut d = c.clone();
        for _ in 0..999 {
            c.next_u32();
        }
        d.advance(999);
        assert!(c == d);
    }
}
