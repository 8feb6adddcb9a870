//! A fixed-length array of bits over `Vec<u64>`, and a rank/select index over it.

use std::alloc::{alloc_zeroed, Layout};

use crate::error::CHECKS;
use crate::{BitOps, Error, ErrorKind, Result};

/// A fixed-length array of bits stored in `u64` words (bit `i` is bit `i % 64` of word
/// `i / 64`); bits past the length are kept zero.
///
/// `get` returns `None` out of range; `set`, `clear`, `toggle` and `assign` panic out of
/// range, as slice indexing does (no undefined behaviour either way). Counting, `rank`
/// and `select` scan the words with [`BitOps::auto`]'s kernels (O(n / 64)); for many
/// queries on an array that no longer changes, build a [`RankSelect`] index.
///
/// ```
/// use arsenal_bits::BitArray;
/// let mut bits: BitArray = [true, false, true, true].into_iter().collect();
/// bits.toggle(1);
/// bits.clear(2);
/// assert_eq!(bits.count_ones(), 3);
/// assert_eq!(bits.iter_ones().collect::<Vec<_>>(), [0, 1, 3]);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct BitArray {
    words: Vec<u64>,
    len: usize,
}

impl BitArray {
    /// `len` zero bits; [`ErrorKind::TooLarge`] when the words cannot be allocated
    /// (`usize::MAX` bits, for one).
    ///
    /// ```
    /// use arsenal_bits::{BitArray, ErrorKind};
    /// assert_eq!(BitArray::new(130)?.words().len(), 3);
    /// assert_eq!(BitArray::new(usize::MAX).unwrap_err().kind(), ErrorKind::TooLarge);
    /// # Ok::<(), arsenal_bits::Error>(())
    /// ```
    pub fn new(len: usize) -> Result<BitArray> {
        let n = len.div_ceil(64);
        let too_large = |why: &str| {
            Error::new(
                ErrorKind::TooLarge,
                CHECKS,
                format!("{len} bits ({n} words): {why}"),
            )
        };
        if n == 0 {
            return Ok(BitArray::default());
        }
        // Zeroed memory straight from the allocator (calloc: the OS's zero pages, not a
        // write of every word), and an error rather than an abort when it fails.
        let layout = Layout::array::<u64>(n).map_err(|_| too_large("size overflows"))?;
        // SAFETY: `layout` has a non-zero size (n > 0).
        let ptr = unsafe { alloc_zeroed(layout) }.cast::<u64>();
        if ptr.is_null() {
            return Err(too_large("allocation failed"));
        }
        // SAFETY: `ptr` was allocated by the global allocator with the layout of `n`
        // `u64`s (what `Vec<u64>` with capacity `n` uses), and its `n` words are
        // initialised (zero).
        let words = unsafe { Vec::from_raw_parts(ptr, n, n) };
        Ok(BitArray { words, len })
    }

    /// The first `len` bits of `words`; [`ErrorKind::Length`] when `words` holds fewer
    /// than `len` bits. Whole words past the length are dropped and the bits past it
    /// cleared.
    ///
    /// ```
    /// let bits = arsenal_bits::BitArray::from_words(vec![u64::MAX, u64::MAX], 70)?;
    /// assert_eq!(bits.count_ones(), 70);
    /// assert!(arsenal_bits::BitArray::from_words(vec![0], 65).is_err());
    /// # Ok::<(), arsenal_bits::Error>(())
    /// ```
    pub fn from_words(mut words: Vec<u64>, len: usize) -> Result<BitArray> {
        let n = len.div_ceil(64);
        if words.len() < n {
            return Err(Error::new(
                ErrorKind::Length,
                CHECKS,
                format!("{len} bits need {n} words, got {}", words.len()),
            ));
        }
        words.truncate(n);
        if !len.is_multiple_of(64) {
            words[n - 1] &= (1u64 << (len % 64)) - 1;
        }
        Ok(BitArray { words, len })
    }

    /// The number of bits.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the array has no bits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The words (bits past the length are zero).
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Bit `i`, or `None` when `i >= len`.
    #[inline]
    pub fn get(&self, i: usize) -> Option<bool> {
        (i < self.len).then(|| self.words[i / 64] >> (i % 64) & 1 == 1)
    }

    #[inline]
    #[track_caller]
    fn word_mut(&mut self, i: usize) -> &mut u64 {
        assert!(
            i < self.len,
            "bit index {i} out of range for a BitArray of {} bits",
            self.len
        );
        &mut self.words[i / 64]
    }

    /// Sets bit `i` to 1.
    ///
    /// # Panics
    /// When `i >= len`, as slice indexing does.
    #[inline]
    #[track_caller]
    pub fn set(&mut self, i: usize) {
        *self.word_mut(i) |= 1 << (i % 64);
    }

    /// Sets bit `i` to 0.
    ///
    /// # Panics
    /// When `i >= len`.
    #[inline]
    #[track_caller]
    pub fn clear(&mut self, i: usize) {
        *self.word_mut(i) &= !(1 << (i % 64));
    }

    /// Flips bit `i`.
    ///
    /// # Panics
    /// When `i >= len`.
    #[inline]
    #[track_caller]
    pub fn toggle(&mut self, i: usize) {
        *self.word_mut(i) ^= 1 << (i % 64);
    }

    /// Sets bit `i` to `value`.
    ///
    /// # Panics
    /// When `i >= len`.
    #[inline]
    #[track_caller]
    pub fn assign(&mut self, i: usize, value: bool) {
        let word = self.word_mut(i);
        *word = (*word & !(1 << (i % 64))) | (u64::from(value) << (i % 64));
    }

    /// The number of set bits.
    pub fn count_ones(&self) -> u64 {
        BitOps::auto().popcount(&self.words)
    }

    /// The number of set bits before position `i` (in `0..i`); `None` when `i > len`.
    ///
    /// ```
    /// let bits: arsenal_bits::BitArray = [true, true, false, true].into_iter().collect();
    /// assert_eq!(bits.rank(0), Some(0));
    /// assert_eq!(bits.rank(4), Some(3));
    /// assert_eq!(bits.rank(5), None);
    /// ```
    pub fn rank(&self, i: usize) -> Option<u64> {
        if i > self.len {
            return None;
        }
        let ops = BitOps::auto();
        let full = ops.popcount(&self.words[..i / 64]);
        let partial = if i.is_multiple_of(64) {
            0
        } else {
            u64::from((self.words[i / 64] & ((1u64 << (i % 64)) - 1)).count_ones())
        };
        Some(full + partial)
    }

    /// The position of the `k`-th (from 0) set bit; `None` when there are at most `k`.
    ///
    /// ```
    /// let bits: arsenal_bits::BitArray = [false, true, false, true].into_iter().collect();
    /// assert_eq!(bits.select(1), Some(3));
    /// assert_eq!(bits.select(2), None);
    /// ```
    pub fn select(&self, k: u64) -> Option<usize> {
        select_in(&BitOps::auto(), &self.words, 0, k)
    }

    /// The positions of the set bits, in increasing order.
    pub fn iter_ones(&self) -> IterOnes<'_> {
        IterOnes {
            words: &self.words,
            index: 0,
            current: self.words.first().copied().unwrap_or(0),
        }
    }

    /// A rank/select index over this array with [`BitOps::auto`]'s kernels.
    pub fn rank_select(&self) -> RankSelect<'_> {
        RankSelect::new(self, BitOps::auto())
    }
}

/// The `k`-th set bit of `words`, whose first word is word `base` of the array.
fn select_in(ops: &BitOps, words: &[u64], base: usize, mut k: u64) -> Option<usize> {
    for (j, &w) in words.iter().enumerate() {
        let ones = u64::from(w.count_ones());
        if k < ones {
            // k < ones <= 64.
            let at = ops.select_in_word(w, k as u32)?;
            return Some((base + j) * 64 + at as usize);
        }
        k -= ones;
    }
    None
}

impl FromIterator<bool> for BitArray {
    fn from_iter<I: IntoIterator<Item = bool>>(iter: I) -> BitArray {
        let mut words = Vec::new();
        let mut len = 0usize;
        for bit in iter {
            if len.is_multiple_of(64) {
                words.push(0);
            }
            if bit {
                if let Some(last) = words.last_mut() {
                    *last |= 1 << (len % 64);
                }
            }
            len += 1;
        }
        BitArray { words, len }
    }
}

/// The positions of the set bits of a [`BitArray`] ([`BitArray::iter_ones`]).
#[derive(Clone, Debug)]
pub struct IterOnes<'a> {
    words: &'a [u64],
    index: usize,
    current: u64,
}

impl Iterator for IterOnes<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.current == 0 {
            self.index += 1;
            self.current = *self.words.get(self.index)?;
        }
        let bit = self.current.trailing_zeros() as usize;
        self.current &= self.current - 1;
        Some(self.index * 64 + bit)
    }
}

/// Words per block of the [`RankSelect`] index: one cumulative count per 512 bits.
const BLOCK: usize = 8;

/// Ones per select hint: the index records the block of every 1024th set bit.
const HINT: u64 = 1024;

/// A rank/select index over a [`BitArray`]: the count of set bits before every block of
/// 512 bits (12.5 % extra space) and the block of every 1024th set bit (at most 0.8 %
/// more). `rank` is one table read plus at most 8 word popcounts; `select` a binary
/// search over the blocks between two hints, at most 8 word popcounts and one word
/// `select` ([`BitOps::select_in_word`]: `pdep` + `tzcnt` with BMI2).
///
/// ```
/// use arsenal_bits::{Backend, BitArray};
/// let bits: BitArray = (0..10_000).map(|i| i % 3 == 0).collect();
/// let index = bits.rank_select();
/// assert_eq!(index.count_ones(), 3334);
/// assert_eq!(index.rank(9_000), Some(3000));
/// assert_eq!(index.select(3000), Some(9_000));
/// assert_eq!(index.select(3334), None);
/// let portable = arsenal_bits::RankSelect::new(&bits, Backend::Portable.ops()?);
/// assert_eq!(portable.select(5), Some(15));
/// # Ok::<(), arsenal_bits::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct RankSelect<'a> {
    words: &'a [u64],
    len: usize,
    /// `blocks[b]` = set bits in words `0..b * BLOCK`; one more entry than blocks.
    blocks: Vec<u64>,
    /// `hints[j]` = the block holding set bit `j * HINT`.
    hints: Vec<usize>,
    ops: BitOps,
}

impl<'a> RankSelect<'a> {
    /// Builds the index of `bits`, answering with `ops`'s kernels.
    pub fn new(bits: &'a BitArray, ops: BitOps) -> RankSelect<'a> {
        let words = bits.words();
        let mut blocks = Vec::with_capacity(words.len() / BLOCK + 2);
        let mut total = 0u64;
        blocks.push(0);
        let mut hints = Vec::new();
        for (block, chunk) in words.chunks(BLOCK).enumerate() {
            let next = total + ops.popcount(chunk);
            // Every multiple of HINT in total..next lies in this block.
            while (hints.len() as u64) * HINT < next {
                hints.push(block);
            }
            total = next;
            blocks.push(total);
        }
        RankSelect {
            words,
            len: bits.len(),
            blocks,
            hints,
            ops,
        }
    }

    /// The number of set bits.
    pub fn count_ones(&self) -> u64 {
        *self.blocks.last().unwrap_or(&0)
    }

    /// The number of set bits before position `i`; `None` when `i > len`.
    pub fn rank(&self, i: usize) -> Option<u64> {
        if i > self.len {
            return None;
        }
        let word = i / 64;
        let block = word / BLOCK;
        let mut count = self.blocks[block];
        for &w in &self.words[block * BLOCK..word] {
            count += u64::from(w.count_ones());
        }
        if !i.is_multiple_of(64) {
            count += u64::from((self.words[word] & ((1u64 << (i % 64)) - 1)).count_ones());
        }
        Some(count)
    }

    /// The position of the `k`-th (from 0) set bit; `None` when there are at most `k`.
    pub fn select(&self, k: u64) -> Option<usize> {
        if k >= self.count_ones() {
            return None;
        }
        // The last block whose cumulative count is <= k holds the bit; it lies between
        // the hints of the multiples of HINT around k.
        let j = (k / HINT) as usize;
        let lo = self.hints[j];
        let hi = self.hints.get(j + 1).map_or(self.blocks.len(), |&h| h + 1);
        let block = lo + self.blocks[lo..hi].partition_point(|&c| c <= k) - 1;
        let start = block * BLOCK;
        let end = (start + BLOCK).min(self.words.len());
        select_in(
            &self.ops,
            &self.words[start..end],
            start,
            k - self.blocks[block],
        )
    }
}
