//! The SIMD backend: the structural index of "Parsing Gigabytes of JSON per Second" as
//! Ge, Li, Langdale et al. applied it to CSV (2018–2019).
//!
//! The input is read in 64-byte blocks. For each block, four bitmaps (one bit per byte):
//! quotes `Q`, delimiters `D`, `\n` and `\r`. The bytes inside quoted fields are the
//! prefix-xor of `Q` (bit *i* = parity of the quotes at or before *i*), xored with the
//! state carried from the previous block: one carry-less multiply of `Q` by all-ones
//! (`pclmulqdq`), or six shift-xors. Delimiters and line ends outside that mask end
//! fields and records; their positions go into an index the reader turns into records.
//!
//! Parity alone is RFC 4180's reading of quotes. The `csv` crate's reading (the scalar
//! backend's) differs for *stray* quotes: a quote inside an unquoted field (`ab"c`) is a
//! literal byte, and so is everything after a closing quote up to the next delimiter
//! (`"ab"c`). So each block also checks that every opening quote follows a field start
//! (a structural byte, the start of the record, or the closing quote of a `""` pair) and
//! every closing quote precedes a field end, a quote or the end of the input. Where
//! either check fails, the index stops, and the record holding that quote goes to the
//! scalar state machine; indexing resumes after it. So both backends give the same
//! records on every input, and the fast path covers every RFC 4180 file.
//!
//! Bitmaps come from AVX2 (`vpcmpeqb` + `vpmovmskb`) when the CPU has it, otherwise from
//! a portable SWAR routine (eight bytes per `u64`, exact per-byte equality, the high
//! bits gathered by one multiply).

/// How far one call of [`Index::index_more`] indexes ahead (bytes), so the positions
/// are consumed while the block is still in cache.
const BATCH: usize = 16 * 1024;

/// The bitmaps of one block.
#[derive(Clone, Copy, Default)]
struct Bits {
    quote: u64,
    delimiter: u64,
    newline: u64,
    carriage: u64,
}

/// The instruction sets that build the bitmaps and quote masks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kernel {
    /// SWAR bitmaps and a shift-xor prefix-xor.
    Portable,
    /// AVX2 bitmaps and a `pclmulqdq` prefix-xor (with POPCNT and BMI1 for the bit
    /// loops).
    #[cfg(target_arch = "x86_64")]
    Avx2,
}

impl Kernel {
    /// The best kernel for this CPU.
    pub(crate) fn detect() -> Kernel {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("pclmulqdq")
                && std::arch::is_x86_feature_detected!("popcnt")
                && std::arch::is_x86_feature_detected!("bmi1")
            {
                return Kernel::Avx2;
            }
        }
        Kernel::Portable
    }

    /// Every kernel this CPU can run (for tests).
    #[cfg(test)]
    pub(crate) fn all_usable() -> Vec<Kernel> {
        let mut all = vec![Kernel::Portable];
        if Kernel::detect() != Kernel::Portable {
            all.push(Kernel::detect());
        }
        all
    }

    /// The kernel's name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kernel::Portable => "portable",
            #[cfg(target_arch = "x86_64")]
            Kernel::Avx2 => "avx2+pclmulqdq",
        }
    }
}

/// One kernel's two primitives.
trait Classify {
    /// The bitmaps of 64 bytes.
    fn bits(block: &[u8; 64], delimiter: u8) -> Bits;
    /// Bit *i* of the result = xor of bits 0..=i of `x`.
    fn prefix_xor(x: u64) -> u64;
}

struct Portable;

impl Portable {
    /// Bit *k* set when byte *k* of `word` is `byte` (exact: no false positives from
    /// borrows, unlike the "has zero byte" test).
    #[inline(always)]
    fn eq8(word: u64, byte: u8) -> u64 {
        const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
        let x = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
        // High bit of each byte set exactly when that byte of `x` is zero.
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        // Gather the eight high bits into the low byte.
        ((zero >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
    }
}

impl Classify for Portable {
    #[inline(always)]
    fn bits(block: &[u8; 64], delimiter: u8) -> Bits {
        let mut bits = Bits::default();
        for (k, chunk) in block.chunks_exact(8).enumerate() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            let word = u64::from_le_bytes(word);
            let shift = 8 * k;
            bits.quote |= Portable::eq8(word, b'"') << shift;
            bits.delimiter |= Portable::eq8(word, delimiter) << shift;
            bits.newline |= Portable::eq8(word, b'\n') << shift;
            bits.carriage |= Portable::eq8(word, b'\r') << shift;
        }
        bits
    }

    #[inline(always)]
    fn prefix_xor(mut x: u64) -> u64 {
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        x
    }
}

#[cfg(target_arch = "x86_64")]
struct Avx2;

/// Bit *k* set when byte *k* of the 64 bytes at `p` equals `byte`.
///
/// # Safety
/// 64 bytes readable at `p`; the CPU has AVX2.
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn eq64(lo: std::arch::x86_64::__m256i, hi: std::arch::x86_64::__m256i, byte: u8) -> u64 {
    use std::arch::x86_64::*;
    let splat = _mm256_set1_epi8(byte as i8);
    let l = _mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, splat)) as u32 as u64;
    let h = _mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, splat)) as u32 as u64;
    l | (h << 32)
}

/// The four bitmaps of 64 bytes.
///
/// # Safety
/// The CPU has AVX2.
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn bits_avx2(block: &[u8; 64], delimiter: u8) -> Bits {
    use std::arch::x86_64::*;
    // SAFETY: `block` has 64 readable bytes: two unaligned 32-byte loads.
    let (lo, hi) = unsafe {
        (
            _mm256_loadu_si256(block.as_ptr().cast()),
            _mm256_loadu_si256(block.as_ptr().add(32).cast()),
        )
    };
    // SAFETY: the caller guarantees AVX2.
    unsafe {
        Bits {
            quote: eq64(lo, hi, b'"'),
            delimiter: eq64(lo, hi, delimiter),
            newline: eq64(lo, hi, b'\n'),
            carriage: eq64(lo, hi, b'\r'),
        }
    }
}

/// Prefix-xor by one carry-less multiply by all-ones.
///
/// # Safety
/// The CPU has PCLMULQDQ.
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "pclmulqdq")]
unsafe fn prefix_xor_clmul(x: u64) -> u64 {
    use std::arch::x86_64::*;
    let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, x as i64), _mm_set1_epi8(-1), 0);
    _mm_cvtsi128_si64(product) as u64
}

#[cfg(target_arch = "x86_64")]
impl Classify for Avx2 {
    // Only called inside `index_avx2` (and the tests' `avx2_pair`), compiled with AVX2
    // and PCLMULQDQ, which `Kernel::detect` checked: the helpers inline there.
    #[inline(always)]
    fn bits(block: &[u8; 64], delimiter: u8) -> Bits {
        // SAFETY: only reached where the CPU has AVX2 (see above).
        unsafe { bits_avx2(block, delimiter) }
    }

    #[inline(always)]
    fn prefix_xor(x: u64) -> u64 {
        // SAFETY: only reached where the CPU has PCLMULQDQ (see above).
        unsafe { prefix_xor_clmul(x) }
    }
}

/// The structural index of the buffered input, built ahead of the records.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Positions of the field and record ends: `position << 3 | escaped << 2 | quoted << 1
    /// | is_record_end`, where `quoted`: the field ending there is quoted (its first byte
    /// is a quote, its last byte the closing one); `escaped`: it also holds `""`.
    pub(crate) seps: Vec<u64>,
    /// The next entry of `seps` to consume.
    pub(crate) cursor: usize,
    /// Where the next block starts.
    next: usize,
    /// All ones when the next block starts inside a quoted field.
    inside: u64,
    /// 1 when the byte before the next block ends a field or closes a quote (or the next
    /// block starts a record).
    prev: u64,
    /// The quotes between the last entry and the next block.
    quotes_pending: u64,
    /// Set when a quote broke the RFC 4180 reading: the record holding this position
    /// goes to the scalar backend.
    pub(crate) stray: Option<usize>,
    /// The index reached the end of the input.
    pub(crate) complete: bool,
}

impl Index {
    /// Starts over at `at`, the first byte of a record.
    pub(crate) fn reset(&mut self, at: usize) {
        self.seps.clear();
        self.cursor = 0;
        self.next = at;
        self.inside = 0;
        self.prev = 1;
        self.stray = None;
        self.complete = false;
        self.quotes_pending = 0;
    }

    /// The buffer's bytes moved `by` towards its start (the entries are all consumed).
    pub(crate) fn shift(&mut self, by: usize) {
        self.seps.clear();
        self.cursor = 0;
        self.next = self.next.saturating_sub(by);
    }

    /// Indexes the next batch of `buf` (the entries consumed so far are dropped).
    /// `eof`: `buf` ends where the input does. Returns whether entries were added or
    /// the index became complete; `false` means more input is needed (or a stray quote
    /// stopped it).
    pub(crate) fn index_more(&mut self, kernel: Kernel, buf: &[u8], eof: bool, delim: u8) -> bool {
        if self.stray.is_some() || self.complete {
            return false;
        }
        self.seps.clear();
        self.cursor = 0;
        let before = self.next;
        match kernel {
            Kernel::Portable => self.index_blocks::<Portable>(buf, eof, delim),
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Kernel::Avx2` is only chosen when the CPU has AVX2, PCLMULQDQ,
            // POPCNT and BMI1.
            Kernel::Avx2 => unsafe { self.index_avx2(buf, eof, delim) },
        }
        !self.seps.is_empty() || self.complete || self.next != before
    }

    /// # Safety
    /// The CPU has AVX2, PCLMULQDQ, POPCNT and BMI1.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,pclmulqdq,popcnt,bmi1")]
    unsafe fn index_avx2(&mut self, buf: &[u8], eof: bool, delim: u8) {
        self.index_blocks::<Avx2>(buf, eof, delim);
    }

    #[inline(always)]
    fn index_blocks<K: Classify>(&mut self, buf: &[u8], eof: bool, delim: u8) {
        let stop = self.next.saturating_add(BATCH);
        // Full blocks with the byte after them available (the closing-quote check looks
        // one byte ahead).
        while self.next < stop && buf.len() - self.next > 64 {
            let start = self.next;
            let block: &[u8; 64] = buf[start..start + 64].try_into().expect("a 64-byte slice");
            let after = buf[start + 64];
            let next_ok = after == delim || matches!(after, b'"' | b'\n' | b'\r');
            let bits = K::bits(block, delim);
            let stray = self.block(bits, K::prefix_xor(bits.quote), !0, next_ok, start);
            self.next = start + 64;
            if stray {
                return;
            }
        }
        if eof && self.next < stop && buf.len() - self.next <= 64 {
            // The last block, zero-padded; past the input counts as its end.
            let start = self.next;
            let tail = &buf[start..];
            let mut block = [0u8; 64];
            block[..tail.len()].copy_from_slice(tail);
            let valid = if tail.len() == 64 {
                !0
            } else {
                (1u64 << tail.len()) - 1
            };
            let mut bits = K::bits(&block, delim);
            bits.quote &= valid;
            bits.delimiter &= valid;
            bits.newline &= valid;
            bits.carriage &= valid;
            self.block(bits, K::prefix_xor(bits.quote), valid, true, start);
            self.next = buf.len();
            if self.stray.is_none() {
                self.complete = true;
            }
        }
    }

    /// Indexes one block at `base`; returns whether a stray quote stopped the index.
    #[inline(always)]
    fn block(&mut self, bits: Bits, parity: u64, valid: u64, next_ok: bool, base: usize) -> bool {
        let quoted = parity ^ self.inside;
        let ends = bits.newline | bits.carriage;
        let mut structural = (bits.delimiter | ends) & !quoted;
        let closing = bits.quote & !quoted;
        let opening = bits.quote & quoted;
        // Byte i-1 ends a field or closes a quote (or i starts the index).
        let after_boundary = ((structural | closing) << 1) | self.prev;
        // Byte i+1 ends a field, is a quote, or is past the end of the input.
        let before_boundary =
            ((structural | bits.quote | !valid) >> 1) | (u64::from(next_ok) << 63);
        let stray = (opening & !after_boundary) | (closing & !before_boundary);
        self.inside = ((quoted as i64) >> 63) as u64;
        self.prev = (structural | closing) >> 63;
        if stray != 0 {
            let cut = stray.trailing_zeros();
            structural &= (1u64 << cut) - 1;
            self.stray = Some(base + cut as usize);
        }
        let count = structural.count_ones() as usize;
        self.seps.reserve(count);
        let len = self.seps.len();
        let spare = &mut self.seps.spare_capacity_mut()[..count];
        // Where no quote is stray, a field holding quotes is quoted, and holds `""`
        // when it has more than two.
        let mut quotes = bits.quote;
        let mut pending = self.quotes_pending;
        for slot in spare {
            let i = structural.trailing_zeros();
            let below = (1u64 << i) - 1;
            let n = pending + u64::from((quotes & below).count_ones());
            quotes &= !below;
            pending = 0;
            let flags = u64::from(n > 0) << 1 | u64::from(n > 2) << 2 | ((ends >> i) & 1);
            slot.write((base as u64 + u64::from(i)) << 3 | flags);
            structural &= structural - 1;
        }
        self.quotes_pending = pending.saturating_add(u64::from(quotes.count_ones()));
        // SAFETY: the loop above initialised the `count` slots after `len` (reserved).
        unsafe { self.seps.set_len(len + count) };
        stray != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_agree_on_bitmaps() {
        let mut block = [0u8; 64];
        let mut x = 7u64;
        for round in 0..2_000 {
            for b in block.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = b"\"\n\r,;a\x00\xff"[(x % 8) as usize];
            }
            let delim = if round % 2 == 0 { b',' } else { b';' };
            let portable = Portable::bits(&block, delim);
            for (k, &b) in block.iter().enumerate() {
                assert_eq!((portable.quote >> k) & 1 == 1, b == b'"');
                assert_eq!((portable.delimiter >> k) & 1 == 1, b == delim);
                assert_eq!((portable.newline >> k) & 1 == 1, b == b'\n');
                assert_eq!((portable.carriage >> k) & 1 == 1, b == b'\r');
            }
            let mut parity = 0;
            let px = Portable::prefix_xor(portable.quote);
            for k in 0..64 {
                parity ^= (portable.quote >> k) & 1;
                assert_eq!((px >> k) & 1, parity);
            }
            #[cfg(target_arch = "x86_64")]
            if Kernel::detect() == Kernel::Avx2 {
                // SAFETY: the CPU has AVX2 and PCLMULQDQ (checked just above).
                let (avx, apx) = unsafe { avx2_pair(&block, delim) };
                assert_eq!(avx.quote, portable.quote);
                assert_eq!(avx.delimiter, portable.delimiter);
                assert_eq!(avx.newline, portable.newline);
                assert_eq!(avx.carriage, portable.carriage);
                assert_eq!(apx, px);
            }
        }
    }

    /// # Safety
    /// The CPU has AVX2 and PCLMULQDQ.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,pclmulqdq")]
    unsafe fn avx2_pair(block: &[u8; 64], delim: u8) -> (Bits, u64) {
        let bits = Avx2::bits(block, delim);
        (bits, Avx2::prefix_xor(bits.quote))
    }

    #[test]
    fn every_kernel_has_a_name() {
        for kernel in Kernel::all_usable() {
            assert!(!kernel.name().is_empty());
        }
    }
}
