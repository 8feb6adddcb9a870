//! ChaCha as a random number generator: the block function of RFC 8439 §2.3 with 8, 12
//! or 20 rounds, keyed by the 32-byte seed, with a 64-bit block counter (state words
//! 12–13) and a 64-bit stream number (words 14–15) — the layout of `rand_chacha` and
//! of Bernstein's original ChaCha, so the same seed gives the same stream as
//! `rand_chacha`'s generators. RFC 8439's 32-bit counter and 96-bit nonce map onto it:
//! counter = `nonce[0..4]` · 2³² + the RFC counter, stream = `nonce[4..12]` (both little
//! endian), which is how the known-answer tests run the RFC's vectors.
//!
//! Output is buffered [`BUFFER_BLOCKS`] blocks at a time; the blocks are computed side by
//! side, one per SIMD lane: 16 lanes with AVX-512F, 8 with AVX2, else 4 (SSE2 on
//! x86-64, plain scalar code the compiler may vectorise elsewhere), chosen at run time
//! ([`ChaChaKernel::detect`]); every kernel computes the same words.

// The lane loops index several arrays by the lane number (the form the vectoriser reads).
#![allow(clippy::needless_range_loop)]

use core::convert::Infallible;
use core::fmt;

use rand_core::{SeedableRng, TryCryptoRng, TryRng};

/// Blocks per buffer refill (1 KiB of output).
pub const BUFFER_BLOCKS: usize = 16;
const BUFFER_WORDS: usize = BUFFER_BLOCKS * 16;
/// `"expand 32-byte k"`.
const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

/// The ChaCha implementation a refill runs, chosen once per refill from the CPU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChaChaKernel {
    /// 16 blocks side by side in 512-bit registers (AVX-512F: `vprold` rotations).
    Avx512,
    /// 8 blocks side by side in 256-bit registers (AVX2).
    Avx2,
    /// 4 blocks side by side in portable code (SSE2 on x86-64).
    Portable,
}

impl ChaChaKernel {
    /// The widest kernel this CPU runs.
    pub fn detect() -> ChaChaKernel {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                return ChaChaKernel::Avx512;
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                return ChaChaKernel::Avx2;
            }
        }
        ChaChaKernel::Portable
    }

    /// Whether this CPU can run the kernel.
    pub fn is_supported(self) -> bool {
        match self {
            ChaChaKernel::Portable => true,
            #[cfg(target_arch = "x86_64")]
            ChaChaKernel::Avx2 => std::arch::is_x86_feature_detected!("avx2"),
            #[cfg(target_arch = "x86_64")]
            ChaChaKernel::Avx512 => std::arch::is_x86_feature_detected!("avx512f"),
            #[cfg(not(target_arch = "x86_64"))]
            _ => false,
        }
    }

    /// The name, e.g. `avx512`.
    pub fn name(self) -> &'static str {
        match self {
            ChaChaKernel::Avx512 => "avx512",
            ChaChaKernel::Avx2 => "avx2",
            ChaChaKernel::Portable => "portable",
        }
    }
}

#[inline(always)]
fn quarter<const L: usize>(x: &mut [[u32; L]; 16], a: usize, b: usize, c: usize, d: usize) {
    let (mut xa, mut xb, mut xc, mut xd) = (x[a], x[b], x[c], x[d]);
    for l in 0..L {
        xa[l] = xa[l].wrapping_add(xb[l]);
        xd[l] = (xd[l] ^ xa[l]).rotate_left(16);
        xc[l] = xc[l].wrapping_add(xd[l]);
        xb[l] = (xb[l] ^ xc[l]).rotate_left(12);
        xa[l] = xa[l].wrapping_add(xb[l]);
        xd[l] = (xd[l] ^ xa[l]).rotate_left(8);
        xc[l] = xc[l].wrapping_add(xd[l]);
        xb[l] = (xb[l] ^ xc[l]).rotate_left(7);
    }
    x[a] = xa;
    x[b] = xb;
    x[c] = xc;
    x[d] = xd;
}

/// The low and high 32-bit words (state words 12 and 13) of the `L` block counters
/// `counter + 0..L`.
#[inline(always)]
fn counter_words<const L: usize>(counter: u64) -> ([u32; L], [u32; L]) {
    let mut lo = [0u32; L];
    let mut hi = [0u32; L];
    for l in 0..L {
        let c = counter.wrapping_add(l as u64);
        lo[l] = c as u32;
        hi[l] = (c >> 32) as u32;
    }
    (lo, hi)
}

/// `ROUNDS / 2` double rounds (column round, then diagonal round) of `$qr(&mut x, a, b,
/// c, d)` on the 16 state rows `$x`: one text for the portable and the SIMD kernels.
macro_rules! double_rounds {
    ($rounds:expr, $qr:ident, $x:expr) => {
        for _ in 0..$rounds / 2 {
            $qr($x, 0, 4, 8, 12);
            $qr($x, 1, 5, 9, 13);
            $qr($x, 2, 6, 10, 14);
            $qr($x, 3, 7, 11, 15);
            $qr($x, 0, 5, 10, 15);
            $qr($x, 1, 6, 11, 12);
            $qr($x, 2, 7, 8, 13);
            $qr($x, 3, 4, 9, 14);
        }
    };
}

/// The SIMD kernels' block function: the 16 state rows of `$lanes` blocks from
/// `$counter` (one block per 32-bit lane of the vector type `$v`), after `$rounds`
/// rounds of `$qr` and the feed-forward. The AVX2 and AVX-512 kernels differ only in the
/// intrinsics named here (`$set1` broadcasts a word, `$load` an unaligned load, `$add`
/// adds lanes) and in their `$qr` (rotations) and transposes. Expands inside a function
/// with those intrinsics' target features enabled.
#[cfg(target_arch = "x86_64")]
macro_rules! simd_state {
    ($v:ty, $lanes:literal, $set1:ident, $load:ident, $add:ident, $qr:ident,
     $key:expr, $counter:expr, $stream:expr, $rounds:expr) => {{
        let mut init: [$v; 16] = [$set1(0); 16];
        for (row, &c) in init.iter_mut().zip(SIGMA.iter()) {
            *row = $set1(c as i32);
        }
        for (i, &k) in $key.iter().enumerate() {
            init[4 + i] = $set1(k as i32);
        }
        const { assert!(core::mem::size_of::<[u32; $lanes]>() == core::mem::size_of::<$v>()) };
        let (lo, hi) = counter_words::<$lanes>($counter);
        // SAFETY: `lo` and `hi` are `$lanes` words each, one full vector (asserted
        // above), readable; the load has no alignment requirement.
        unsafe {
            init[12] = $load(lo.as_ptr().cast());
            init[13] = $load(hi.as_ptr().cast());
        }
        init[14] = $set1($stream as u32 as i32);
        init[15] = $set1(($stream >> 32) as u32 as i32);
        let mut x = init;
        double_rounds!($rounds, $qr, &mut x);
        for (xi, ii) in x.iter_mut().zip(init.iter()) {
            *xi = $add(*xi, *ii);
        }
        x
    }};
}

/// `L` consecutive blocks from `counter` into `out` (16·L words, block after block).
#[inline(always)]
fn blocks<const L: usize, const ROUNDS: usize>(
    key: &[u32; 8],
    counter: u64,
    stream: u64,
    out: &mut [u32],
) {
    let mut init = [[0u32; L]; 16];
    for (row, &c) in init.iter_mut().zip(SIGMA.iter()) {
        *row = [c; L];
    }
    for (i, &k) in key.iter().enumerate() {
        init[4 + i] = [k; L];
    }
    (init[12], init[13]) = counter_words::<L>(counter);
    init[14] = [stream as u32; L];
    init[15] = [(stream >> 32) as u32; L];
    let mut x = init;
    double_rounds!(ROUNDS, quarter, &mut x);
    for (b, block) in out.chunks_exact_mut(16).enumerate().take(L) {
        for (i, word) in block.iter_mut().enumerate() {
            *word = x[i][b].wrapping_add(init[i][b]);
        }
    }
}

fn fill_portable<const ROUNDS: usize>(
    key: &[u32; 8],
    counter: u64,
    stream: u64,
    out: &mut [u32; BUFFER_WORDS],
) {
    for (i, chunk) in out.chunks_exact_mut(64).enumerate() {
        blocks::<4, ROUNDS>(key, counter.wrapping_add(4 * i as u64), stream, chunk);
    }
}

/// The 16 blocks from `counter`, 8 at a time, one block per 32-bit lane of 16 AVX2
/// registers, then transposed into `out` (two 8 × 8 transposes per 8 blocks).
///
/// # Safety
/// The CPU must support AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn fill_avx2<const ROUNDS: usize>(
    key: &[u32; 8],
    counter: u64,
    stream: u64,
    out: &mut [u32; BUFFER_WORDS],
) {
    use core::arch::x86_64::*;

    #[inline]
    #[target_feature(enable = "avx2")]
    fn qr(x: &mut [__m256i; 16], a: usize, b: usize, c: usize, d: usize) {
        let rot16 = _mm256_set_epi8(
            13, 12, 15, 14, 9, 8, 11, 10, 5, 4, 7, 6, 1, 0, 3, 2, 13, 12, 15, 14, 9, 8, 11, 10, 5,
            4, 7, 6, 1, 0, 3, 2,
        );
        let rot8 = _mm256_set_epi8(
            14, 13, 12, 15, 10, 9, 8, 11, 6, 5, 4, 7, 2, 1, 0, 3, 14, 13, 12, 15, 10, 9, 8, 11, 6,
            5, 4, 7, 2, 1, 0, 3,
        );
        x[a] = _mm256_add_epi32(x[a], x[b]);
        x[d] = _mm256_shuffle_epi8(_mm256_xor_si256(x[d], x[a]), rot16);
        x[c] = _mm256_add_epi32(x[c], x[d]);
        let t = _mm256_xor_si256(x[b], x[c]);
        x[b] = _mm256_or_si256(_mm256_slli_epi32::<12>(t), _mm256_srli_epi32::<20>(t));
        x[a] = _mm256_add_epi32(x[a], x[b]);
        x[d] = _mm256_shuffle_epi8(_mm256_xor_si256(x[d], x[a]), rot8);
        x[c] = _mm256_add_epi32(x[c], x[d]);
        let t = _mm256_xor_si256(x[b], x[c]);
        x[b] = _mm256_or_si256(_mm256_slli_epi32::<7>(t), _mm256_srli_epi32::<25>(t));
    }

    /// Stores rows `r[0..8]` (word w of blocks 0..8 in `r[w]`) transposed: block `b`'s
    /// 8 words at `dst[16 b..16 b + 8]`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn transpose8_store(r: &[__m256i], dst: &mut [u32]) {
        let mut t = [_mm256_setzero_si256(); 8];
        for m in 0..4 {
            t[2 * m] = _mm256_unpacklo_epi32(r[2 * m], r[2 * m + 1]);
            t[2 * m + 1] = _mm256_unpackhi_epi32(r[2 * m], r[2 * m + 1]);
        }
        // u[g + k], g in {0, 4}: 128-bit lane q holds words g..g+4 of block 4q + k.
        let mut u = [_mm256_setzero_si256(); 8];
        for g in [0, 4] {
            u[g] = _mm256_unpacklo_epi64(t[g], t[g + 2]);
            u[g + 1] = _mm256_unpackhi_epi64(t[g], t[g + 2]);
            u[g + 2] = _mm256_unpacklo_epi64(t[g + 1], t[g + 3]);
            u[g + 3] = _mm256_unpackhi_epi64(t[g + 1], t[g + 3]);
        }
        assert!(dst.len() >= 16 * 7 + 8);
        for k in 0..4 {
            let first = _mm256_permute2x128_si256::<0x20>(u[k], u[4 + k]);
            let second = _mm256_permute2x128_si256::<0x31>(u[k], u[4 + k]);
            // SAFETY: 16 k + 8 and 16 (4 + k) + 8 words are within `dst` (asserted).
            unsafe {
                _mm256_storeu_si256(dst.as_mut_ptr().add(16 * k).cast(), first);
                _mm256_storeu_si256(dst.as_mut_ptr().add(16 * (4 + k)).cast(), second);
            }
        }
    }

    for (half, chunk) in out.chunks_exact_mut(128).enumerate() {
        let base = counter.wrapping_add(8 * half as u64);
        let x = simd_state!(
            __m256i,
            8,
            _mm256_set1_epi32,
            _mm256_loadu_si256,
            _mm256_add_epi32,
            qr,
            key,
            base,
            stream,
            ROUNDS
        );
        transpose8_store(&x[..8], chunk);
        transpose8_store(&x[8..], &mut chunk[8..]);
    }
}

/// Transposes 16 registers of 16 words (`r[i]` = word `i` of blocks 0..16: unpacks, then
/// 128-bit lane shuffles) and stores block `b` to `out[16 b..]`; the compiler's own
/// transposition of the portable code uses scatters, slow on AMD.
///
/// # Safety
/// The CPU must support AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn transpose16_store(r: &[core::arch::x86_64::__m512i; 16], out: &mut [u32; BUFFER_WORDS]) {
    use core::arch::x86_64::*;
    let zero = _mm512_setzero_si512();
    // Within each 128-bit lane q (blocks 4q..4q+4): t[2m] = (r[2m][4q], r[2m+1][4q],
    // r[2m][4q+1], r[2m+1][4q+1]), t[2m+1] the same for blocks 4q+2, 4q+3.
    let mut t = [zero; 16];
    for m in 0..8 {
        t[2 * m] = _mm512_unpacklo_epi32(r[2 * m], r[2 * m + 1]);
        t[2 * m + 1] = _mm512_unpackhi_epi32(r[2 * m], r[2 * m + 1]);
    }
    // u[g + k], g in {0, 4, 8, 12}: lane q holds words g..g+4 of block 4q + k.
    let mut u = [zero; 16];
    for g in (0..16).step_by(4) {
        u[g] = _mm512_unpacklo_epi64(t[g], t[g + 2]);
        u[g + 1] = _mm512_unpackhi_epi64(t[g], t[g + 2]);
        u[g + 2] = _mm512_unpacklo_epi64(t[g + 1], t[g + 3]);
        u[g + 3] = _mm512_unpackhi_epi64(t[g + 1], t[g + 3]);
    }
    // Block 4q + k = lane q of u[k], u[4 + k], u[8 + k], u[12 + k].
    for q in 0..4 {
        for k in 0..4 {
            let (lo, hi) = match q {
                0 => (
                    _mm512_shuffle_i32x4::<0x00>(u[k], u[4 + k]),
                    _mm512_shuffle_i32x4::<0x00>(u[8 + k], u[12 + k]),
                ),
                1 => (
                    _mm512_shuffle_i32x4::<0x55>(u[k], u[4 + k]),
                    _mm512_shuffle_i32x4::<0x55>(u[8 + k], u[12 + k]),
                ),
                2 => (
                    _mm512_shuffle_i32x4::<0xAA>(u[k], u[4 + k]),
                    _mm512_shuffle_i32x4::<0xAA>(u[8 + k], u[12 + k]),
                ),
                _ => (
                    _mm512_shuffle_i32x4::<0xFF>(u[k], u[4 + k]),
                    _mm512_shuffle_i32x4::<0xFF>(u[8 + k], u[12 + k]),
                ),
            };
            // lo = (u[k].q, u[k].q, u[4+k].q, u[4+k].q): keep lanes 0 and 2 of each.
            let block = _mm512_shuffle_i32x4::<0x88>(lo, hi);
            // SAFETY: out[16 (4q + k)..][..16] is in bounds (4q + k < 16, 256 words).
            unsafe { _mm512_storeu_si512(out.as_mut_ptr().add(16 * (4 * q + k)).cast(), block) };
        }
    }
}

/// The 16 blocks from `counter`, one block per 32-bit lane of 16 AVX-512 registers
/// (`x[i]` holds word `i` of every block), then transposed into `out`.
///
/// # Safety
/// The CPU must support AVX-512F.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn fill_avx512<const ROUNDS: usize>(
    key: &[u32; 8],
    counter: u64,
    stream: u64,
    out: &mut [u32; BUFFER_WORDS],
) {
    use core::arch::x86_64::*;

    #[inline]
    #[target_feature(enable = "avx512f")]
    fn qr(x: &mut [__m512i; 16], a: usize, b: usize, c: usize, d: usize) {
        x[a] = _mm512_add_epi32(x[a], x[b]);
        x[d] = _mm512_rol_epi32::<16>(_mm512_xor_si512(x[d], x[a]));
        x[c] = _mm512_add_epi32(x[c], x[d]);
        x[b] = _mm512_rol_epi32::<12>(_mm512_xor_si512(x[b], x[c]));
        x[a] = _mm512_add_epi32(x[a], x[b]);
        x[d] = _mm512_rol_epi32::<8>(_mm512_xor_si512(x[d], x[a]));
        x[c] = _mm512_add_epi32(x[c], x[d]);
        x[b] = _mm512_rol_epi32::<7>(_mm512_xor_si512(x[b], x[c]));
    }

    let x = simd_state!(
        __m512i,
        16,
        _mm512_set1_epi32,
        _mm512_loadu_si512,
        _mm512_add_epi32,
        qr,
        key,
        counter,
        stream,
        ROUNDS
    );
    // SAFETY: the caller guarantees AVX-512F.
    unsafe { transpose16_store(&x, out) };
}

/// Fills `out` with the [`BUFFER_BLOCKS`] blocks from `counter` with `kernel`, which the
/// caller has checked this CPU runs ([`ChaChaKernel::is_supported`]).
fn fill<const ROUNDS: usize>(
    kernel: ChaChaKernel,
    key: &[u32; 8],
    counter: u64,
    stream: u64,
    out: &mut [u32; BUFFER_WORDS],
) {
    match kernel {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: `kernel` is `Avx512` only where `is_x86_feature_detected!("avx512f")`
        // said so (`detect`, or `is_supported` checked by the caller).
        ChaChaKernel::Avx512 => unsafe { fill_avx512::<ROUNDS>(key, counter, stream, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above, for AVX2.
        ChaChaKernel::Avx2 => unsafe { fill_avx2::<ROUNDS>(key, counter, stream, out) },
        _ => fill_portable::<ROUNDS>(key, counter, stream, out),
    }
}

/// A ChaCha random number generator with `ROUNDS` rounds (8, 12 or 20: the aliases
/// [`ChaCha8Rng`], [`ChaCha12Rng`], [`ChaCha20Rng`]). Cryptographically secure when
/// seeded from a secret 32-byte seed (`from_seed`, or `try_from_rng` of the operating
/// system's generator); `seed_from_u64` is for reproducible simulations only (64 bits
/// of key are guessable).
///
/// Words are used in order: `next_u32` is the next keystream word (little endian),
/// `next_u64` the next two (the first in the low half), `fill_bytes` the next keystream
/// bytes, rounded up to whole words (the rest of a partly used word is skipped). The
/// block counter wraps after 2⁶⁴ blocks (1 ZiB), as `rand_chacha`'s.
///
/// ```
/// use arsenal_rand::{rand_core::{Rng, SeedableRng}, ChaCha20Rng};
///
/// let mut rng = ChaCha20Rng::from_seed([7; 32]);
/// let mut key = [0u8; 32];
/// rng.fill_bytes(&mut key);
/// assert_eq!(rng.word_pos(), 8);
/// ```
#[derive(Clone)]
pub struct ChaChaRng<const ROUNDS: usize> {
    buf: [u32; BUFFER_WORDS],
    /// Next word of `buf` to hand out; `BUFFER_WORDS` when it is used up.
    index: usize,
    key: [u32; 8],
    /// The block counter of the next refill.
    counter: u64,
    stream: u64,
    kernel: ChaChaKernel,
}

/// ChaCha with 8 rounds: the fastest; still no known attack on its keystream.
pub type ChaCha8Rng = ChaChaRng<8>;
/// ChaCha with 12 rounds: what `rand`'s `StdRng` uses.
pub type ChaCha12Rng = ChaChaRng<12>;
/// ChaCha with 20 rounds: RFC 8439's cipher.
pub type ChaCha20Rng = ChaChaRng<20>;

impl<const ROUNDS: usize> ChaChaRng<ROUNDS> {
    /// A generator with this key on `stream`, at word 0.
    pub fn from_key_stream(key: [u8; 32], stream: u64) -> Self {
        const { assert!(ROUNDS == 8 || ROUNDS == 12 || ROUNDS == 20) };
        ChaChaRng {
            buf: [0; BUFFER_WORDS],
            index: BUFFER_WORDS,
            key: rand_core::utils::read_words(&key),
            counter: 0,
            stream,
            kernel: ChaChaKernel::detect(),
        }
    }

    /// The stream number (state words 14 and 15).
    pub fn stream(&self) -> u64 {
        self.stream
    }

    /// Switches to another stream at the same word position.
    pub fn set_stream(&mut self, stream: u64) {
        let pos = self.word_pos();
        self.stream = stream;
        if self.index < BUFFER_WORDS {
            self.set_word_pos(pos);
        }
    }

    /// The number of 32-bit words used so far (modulo 2⁶⁸): the block counter · 16 plus
    /// the word within the block.
    pub fn word_pos(&self) -> u128 {
        let next = u128::from(self.counter) * 16 + self.index as u128;
        next.wrapping_sub(BUFFER_WORDS as u128) & ((1u128 << 68) - 1)
    }

    /// Moves to word `pos` (modulo 2⁶⁸) of the stream.
    pub fn set_word_pos(&mut self, pos: u128) {
        self.counter = (pos >> 4) as u64;
        self.refill();
        self.index = (pos & 15) as usize;
    }

    /// The kernel the refills run.
    pub fn kernel(&self) -> ChaChaKernel {
        self.kernel
    }

    /// Uses `kernel` for the following refills (the output is the same with every
    /// kernel; this is for tests and benchmarks).
    ///
    /// # Errors
    /// [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) when this CPU cannot run it.
    pub fn set_kernel(&mut self, kernel: ChaChaKernel) -> crate::Result<()> {
        if !kernel.is_supported() {
            return Err(crate::Error::new(
                crate::ErrorKind::Unsupported,
                "chacha",
                format!("this CPU cannot run the {} kernel", kernel.name()),
            ));
        }
        self.kernel = kernel;
        Ok(())
    }

    #[inline(never)]
    fn refill(&mut self) {
        fill::<ROUNDS>(
            self.kernel,
            &self.key,
            self.counter,
            self.stream,
            &mut self.buf,
        );
        self.counter = self.counter.wrapping_add(BUFFER_BLOCKS as u64);
        self.index = 0;
    }

    #[inline]
    fn next_word(&mut self) -> u32 {
        if self.index >= BUFFER_WORDS {
            self.refill();
        }
        let w = self.buf[self.index];
        self.index += 1;
        w
    }

    #[inline]
    fn next_pair(&mut self) -> u64 {
        let i = self.index;
        if i < BUFFER_WORDS - 1 {
            self.index = i + 2;
            u64::from(self.buf[i]) | (u64::from(self.buf[i + 1]) << 32)
        } else {
            let lo = self.next_word();
            u64::from(lo) | (u64::from(self.next_word()) << 32)
        }
    }

    fn fill(&mut self, dst: &mut [u8]) {
        let mut dst = dst;
        while !dst.is_empty() {
            if self.index >= BUFFER_WORDS {
                self.refill();
            }
            let words = &self.buf[self.index..];
            let take = dst.len().min(words.len() * 4);
            let (head, rest) = dst.split_at_mut(take);
            let mut chunks = head.chunks_exact_mut(4);
            let mut used = 0;
            for (chunk, w) in (&mut chunks).zip(words) {
                chunk.copy_from_slice(&w.to_le_bytes());
                used += 1;
            }
            let tail = chunks.into_remainder();
            if !tail.is_empty() {
                tail.copy_from_slice(&words[used].to_le_bytes()[..tail.len()]);
                used += 1;
            }
            self.index += used;
            dst = rest;
        }
    }
}

impl<const ROUNDS: usize> fmt::Debug for ChaChaRng<ROUNDS> {
    /// Shows neither the key nor the buffered output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChaChaRng")
            .field("rounds", &ROUNDS)
            .field("kernel", &self.kernel)
            .finish_non_exhaustive()
    }
}

impl<const ROUNDS: usize> SeedableRng for ChaChaRng<ROUNDS> {
    type Seed = [u8; 32];

    /// The seed is the key; stream 0, word 0 (as `rand_chacha`).
    fn from_seed(seed: [u8; 32]) -> Self {
        Self::from_key_stream(seed, 0)
    }
}

impl<const ROUNDS: usize> TryRng for ChaChaRng<ROUNDS> {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.next_word())
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next_pair())
    }

    #[inline]
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.fill(dst);
        Ok(())
    }
}

impl<const ROUNDS: usize> TryCryptoRng for ChaChaRng<ROUNDS> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(kernel: ChaChaKernel) -> [u32; BUFFER_WORDS] {
        let key: [u32; 8] = core::array::from_fn(|i| (i as u32).wrapping_mul(0x9E37_79B9));
        let mut out = [0; BUFFER_WORDS];
        // A counter that carries into the high word inside the buffer.
        fill::<20>(
            kernel,
            &key,
            u64::from(u32::MAX) - 5,
            0x0123_4567_89ab_cdef,
            &mut out,
        );
        out
    }

    #[test]
    fn every_kernel_computes_the_same_blocks() {
        let reference = run(ChaChaKernel::Portable);
        // One block at a time, the scalar definition.
        let key: [u32; 8] = core::array::from_fn(|i| (i as u32).wrapping_mul(0x9E37_79B9));
        for b in 0..BUFFER_BLOCKS {
            let mut one = [0u32; 16];
            let c = (u64::from(u32::MAX) - 5).wrapping_add(b as u64);
            blocks::<1, 20>(&key, c, 0x0123_4567_89ab_cdef, &mut one);
            assert_eq!(one, reference[b * 16..][..16]);
        }
        for kernel in [ChaChaKernel::Avx2, ChaChaKernel::Avx512] {
            if kernel.is_supported() {
                assert_eq!(run(kernel), reference, "{kernel:?}");
            }
        }
    }
}
