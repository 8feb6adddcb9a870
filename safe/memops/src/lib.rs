//! SIMD memory operations — `copy` (memcpy), `move_within` (memmove), `set` (memset),
//! `compare` (memcmp), `find_byte` (memchr) and `strlen` — in native Rust, in four
//! variants chosen once at run time from the CPU's features.
//!
//! | variant | targets | block | search | non-temporal copy |
//! |---|---|---|---|---|
//! | [`Variant::Scalar`] | every target (and Miri) | 8-byte words | SWAR word tricks | no (plain copy) |
//! | [`Variant::Sse2`] | x86_64 | 16 B `__m128i` | `pcmpeqb` + `pmovmskb` | `movntdq` + `sfence` |
//! | [`Variant::Avx2`] | x86_64 with AVX2 | 32 B `__m256i` | `vpcmpeqb` + `vpmovmskb` | `vmovntdq` + `sfence` |
//! | [`Variant::Avx512`] | x86_64 with AVX-512 F + BW | 64 B `__m512i` | `vpcmpeqb` into a mask register | `vmovntdq` (zmm) + `sfence` |
//!
//! The free functions ([`copy`], [`set`], ...) use [`MemOps::auto`]: the best
//! [`Variant::available`] one, detected on first use and cached. [`MemOps::new`] pins a
//! variant (for tests and benchmarks) and fails with [`Error::Unsupported`] when the CPU
//! lacks it. Under Miri only the scalar variant is available.
//!
//! Every variant stays inside the buffers it is given: sizes up to 64 bytes take a
//! branchy path with overlapping head/tail loads and no loop ([`Strategy::Latency`]'s
//! path), longer ones an aligned-store block loop plus overlapping head and tail blocks.
//! Nothing reads past the end of a slice, not even within the same page.
//!
//! [`Strategy`] picks how a copy is done: [`Strategy::Throughput`] streams copies of at
//! least [`NT_THRESHOLD`] bytes past the caches (non-temporal stores), which helps when
//! the destination will not be read soon.
//!
//! ```
//! use std::cmp::Ordering;
//!
//! let src = b"hello, world\0".to_vec();
//! let mut dst = vec![0u8; src.len()];
//! arsenal_memops::copy(&mut dst, &src)?;
//! assert_eq!(dst, src);
//! assert_eq!(arsenal_memops::strlen(&dst)?, 12);
//! assert_eq!(arsenal_memops::find_byte(&dst, b','), Some(5));
//! assert_eq!(arsenal_memops::compare(b"abc", b"abd"), Ordering::Less);
//! arsenal_memops::move_within(&mut dst, 0..5, 7)?; // "hello, hello\0"
//! assert_eq!(&dst[..12], b"hello, hello");
//! arsenal_memops::set(&mut dst[..5], b'-');
//! assert_eq!(&dst[..12], b"-----, hello");
//! # Ok::<(), arsenal_memops::Error>(())
//! ```
//!
//! The crate has no dependencies and needs `std` only for run-time CPU detection.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]
// The word and block loops below must not be turned back into calls to the C library's
// memcpy/memset (LLVM's loop-idiom recognition would otherwise do exactly that).
#![no_builtins]

#[macro_use]
mod algo;
mod variant;

use core::cmp::Ordering;
use core::fmt;
use core::ops::Range;
use std::sync::OnceLock;

/// Copies of at least this many bytes (4 MiB) use non-temporal stores under
/// [`Strategy::Throughput`] (about half the last-level cache of a desktop CPU; below it
/// the destination is likely still cached when it is next read).
pub const NT_THRESHOLD: usize = 4 << 20;

/// An implementation of the operations, by instruction set.
///
/// ```
/// use arsenal_memops::Variant;
/// assert!(Variant::Scalar.available());
/// assert!(Variant::best().available());
/// assert_eq!(Variant::ALL.len(), 4);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Variant {
    /// Portable Rust, 8-byte words.
    Scalar,
    /// x86_64 SSE2, 16-byte blocks.
    Sse2,
    /// x86_64 AVX2, 32-byte blocks.
    Avx2,
    /// x86_64 AVX-512 F + BW, 64-byte blocks.
    Avx512,
}

impl Variant {
    /// Every variant, slowest first.
    pub const ALL: [Variant; 4] = [
        Variant::Scalar,
        Variant::Sse2,
        Variant::Avx2,
        Variant::Avx512,
    ];

    /// Lower-case name: `scalar`, `sse2`, `avx2`, `avx512`.
    ///
    /// ```
    /// assert_eq!(arsenal_memops::Variant::Avx2.name(), "avx2");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Variant::Scalar => "scalar",
            Variant::Sse2 => "sse2",
            Variant::Avx2 => "avx2",
            Variant::Avx512 => "avx512",
        }
    }

    /// Whether this CPU (and build) can run the variant. Under Miri only
    /// [`Variant::Scalar`] is.
    ///
    /// ```
    /// assert!(arsenal_memops::Variant::Scalar.available());
    /// ```
    pub fn available(self) -> bool {
        match self {
            Variant::Scalar => true,
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Variant::Sse2 => is_x86_feature_detected!("sse2"),
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Variant::Avx2 => is_x86_feature_detected!("avx2"),
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Variant::Avx512 => {
                is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512bw")
            }
            #[cfg(not(all(target_arch = "x86_64", not(miri))))]
            _ => false,
        }
    }

    /// The fastest available variant (what [`MemOps::auto`] uses).
    ///
    /// ```
    /// let v = arsenal_memops::Variant::best();
    /// assert!(v.available());
    /// ```
    pub fn best() -> Variant {
        Variant::ALL
            .into_iter()
            .rev()
            .find(|v| v.available())
            .unwrap_or(Variant::Scalar)
    }

    /// The variants this CPU can run, slowest first.
    ///
    /// ```
    /// assert_eq!(arsenal_memops::Variant::available_all()[0], arsenal_memops::Variant::Scalar);
    /// ```
    pub fn available_all() -> Vec<Variant> {
        Variant::ALL.into_iter().filter(|v| v.available()).collect()
    }

    fn table(self) -> &'static Table {
        match self {
            Variant::Scalar => &SCALAR,
            #[cfg(target_arch = "x86_64")]
            Variant::Sse2 => &SSE2,
            #[cfg(target_arch = "x86_64")]
            Variant::Avx2 => &AVX2,
            #[cfg(target_arch = "x86_64")]
            Variant::Avx512 => &AVX512,
            #[cfg(not(target_arch = "x86_64"))]
            _ => &SCALAR,
        }
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a copy should be done.
///
/// ```
/// use arsenal_memops::{MemOps, Strategy};
/// let src = vec![7u8; 100];
/// let mut dst = vec![0u8; 100];
/// for strategy in [Strategy::Balanced, Strategy::Latency, Strategy::Throughput, Strategy::Streaming] {
///     MemOps::auto().copy_with(strategy, &mut dst, &src)?;
///     assert_eq!(dst, src);
/// }
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Strategy {
    /// The variant's ordinary copy (what [`copy`] does).
    #[default]
    Balanced,
    /// Copies of up to 64 bytes go straight to the inlined small path (overlapping
    /// head/tail loads, no loop, no call through the dispatch table); longer ones as
    /// `Balanced`.
    Latency,
    /// Copies of at least [`NT_THRESHOLD`] bytes use non-temporal (cache-bypassing)
    /// stores followed by `sfence`; shorter ones as `Balanced`. The scalar variant has no
    /// such stores and copies normally.
    Throughput,
    /// Non-temporal stores for every copy longer than 64 bytes, whatever its size (what
    /// `Throughput` does above the threshold; for measuring or for callers who know
    /// the destination will not be read soon). Scalar copies normally.
    Streaming,
}

/// What can go wrong: only misuse (mismatched lengths, out-of-range ranges, a missing
/// NUL) or asking for a variant the CPU lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// `copy`: the destination and source lengths differ.
    LengthMismatch {
        /// Destination length.
        dst: usize,
        /// Source length.
        src: usize,
    },
    /// `move_within`: the source range or the destination lies outside the buffer.
    OutOfBounds {
        /// The source range asked for.
        src: Range<usize>,
        /// The destination offset asked for.
        dest: usize,
        /// The buffer length.
        len: usize,
    },
    /// `strlen`: the input holds no NUL byte.
    NoNul,
    /// [`MemOps::new`]: this CPU (or Miri) cannot run the variant.
    Unsupported(Variant),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::LengthMismatch { dst, src } => write!(
                f,
                "copy: destination is {dst} bytes but source is {src} bytes"
            ),
            Error::OutOfBounds { src, dest, len } => write!(
                f,
                "move_within: source {}..{} to offset {dest} does not fit a buffer of {len} bytes",
                src.start, src.end
            ),
            Error::NoNul => f.write_str("strlen: no NUL byte in the input"),
            Error::Unsupported(v) => write!(f, "variant {v} is not supported by this CPU"),
        }
    }
}

impl std::error::Error for Error {}

type CopyFn = unsafe fn(*mut u8, *const u8, usize);

/// The dispatch table of one variant.
struct Table {
    variant: Variant,
    copy: CopyFn,
    move_: CopyFn,
    copy_nt: CopyFn,
    copy_stream: CopyFn,
    set: unsafe fn(*mut u8, u8, usize),
    compare: unsafe fn(*const u8, *const u8, usize) -> Ordering,
    find: unsafe fn(*const u8, u8, usize) -> Option<usize>,
}

macro_rules! table {
    ($name:ident, $variant:expr, $m:path) => {
        static $name: Table = {
            use $m as m;
            Table {
                variant: $variant,
                copy: m::copy,
                move_: m::move_,
                copy_nt: m::copy_nt,
                copy_stream: m::copy_stream,
                set: m::set,
                compare: m::compare,
                find: m::find,
            }
        };
    };
}

table!(SCALAR, Variant::Scalar, variant::scalar);
#[cfg(target_arch = "x86_64")]
table!(SSE2, Variant::Sse2, variant::sse2);
#[cfg(target_arch = "x86_64")]
table!(AVX2, Variant::Avx2, variant::avx2);
#[cfg(target_arch = "x86_64")]
table!(AVX512, Variant::Avx512, variant::avx512);

/// The operations of one [`Variant`], checked to run on this CPU. Cheap to copy.
///
/// ```
/// use arsenal_memops::{MemOps, Variant};
/// for v in Variant::available_all() {
///     let ops = MemOps::new(v)?;
///     let mut buf = [0u8; 300];
///     ops.set(&mut buf, 9);
///     assert_eq!(ops.find_byte(&buf, 9), Some(0));
///     assert_eq!(ops.variant(), v);
/// }
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct MemOps {
    // Invariant: `table.variant.available()`.
    table: &'static Table,
}

impl fmt::Debug for MemOps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemOps")
            .field("variant", &self.table.variant)
            .finish()
    }
}

impl MemOps {
    /// The given variant, or [`Error::Unsupported`] when this CPU cannot run it.
    ///
    /// ```
    /// let ops = arsenal_memops::MemOps::new(arsenal_memops::Variant::Scalar)?;
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn new(variant: Variant) -> Result<MemOps, Error> {
        if variant.available() {
            Ok(MemOps {
                table: variant.table(),
            })
        } else {
            Err(Error::Unsupported(variant))
        }
    }

    /// The best variant ([`Variant::best`]), detected once and cached.
    ///
    /// ```
    /// assert!(arsenal_memops::MemOps::auto().variant().available());
    /// ```
    pub fn auto() -> MemOps {
        static AUTO: OnceLock<MemOps> = OnceLock::new();
        *AUTO.get_or_init(|| MemOps {
            table: Variant::best().table(),
        })
    }

    /// Which variant this is.
    pub fn variant(self) -> Variant {
        self.table.variant
    }

    /// Copies `src` into `dst`; [`Error::LengthMismatch`] unless they are equally long.
    ///
    /// ```
    /// let ops = arsenal_memops::MemOps::auto();
    /// let mut dst = [0u8; 3];
    /// ops.copy(&mut dst, b"abc")?;
    /// assert_eq!(&dst, b"abc");
    /// assert!(ops.copy(&mut dst, b"ab").is_err());
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn copy(self, dst: &mut [u8], src: &[u8]) -> Result<(), Error> {
        self.copy_with(Strategy::Balanced, dst, src)
    }

    /// [`MemOps::copy`] done the way `strategy` says.
    ///
    /// ```
    /// use arsenal_memops::{MemOps, Strategy};
    /// let src = vec![1u8; 1 << 16];
    /// let mut dst = vec![0u8; 1 << 16];
    /// MemOps::auto().copy_with(Strategy::Throughput, &mut dst, &src)?;
    /// assert_eq!(dst, src);
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn copy_with(self, strategy: Strategy, dst: &mut [u8], src: &[u8]) -> Result<(), Error> {
        if dst.len() != src.len() {
            return Err(Error::LengthMismatch {
                dst: dst.len(),
                src: src.len(),
            });
        }
        // SAFETY: both slices hold `src.len()` bytes and cannot overlap (`dst` is a
        // unique borrow); the table's variant is available (type invariant).
        unsafe { self.copy_raw_with(strategy, dst.as_mut_ptr(), src.as_ptr(), src.len()) };
        Ok(())
    }

    /// Copies `buf[src]` to `buf[dest..]` like [`slice::copy_within`] (the ranges may
    /// overlap); [`Error::OutOfBounds`] when either lies outside `buf`.
    ///
    /// ```
    /// let mut buf = *b"abcdef";
    /// arsenal_memops::MemOps::auto().move_within(&mut buf, 0..4, 2)?;
    /// assert_eq!(&buf, b"ababcd");
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn move_within(self, buf: &mut [u8], src: Range<usize>, dest: usize) -> Result<(), Error> {
        let len = buf.len();
        let fits = src.start <= src.end
            && src.end <= len
            && dest <= len
            && src.end - src.start <= len - dest;
        if !fits {
            return Err(Error::OutOfBounds { src, dest, len });
        }
        let p = buf.as_mut_ptr();
        // SAFETY: both ranges were checked to lie inside `buf`; memmove allows overlap.
        unsafe { self.move_raw(p.add(dest), p.add(src.start), src.end - src.start) };
        Ok(())
    }

    /// Fills `dst` with `value`.
    ///
    /// ```
    /// let mut buf = [0u8; 100];
    /// arsenal_memops::MemOps::auto().set(&mut buf, 0xAB);
    /// assert!(buf.iter().all(|&b| b == 0xAB));
    /// ```
    pub fn set(self, dst: &mut [u8], value: u8) {
        // SAFETY: `dst` is writable for its length.
        unsafe { self.set_raw(dst.as_mut_ptr(), value, dst.len()) }
    }

    /// Compares lexicographically, like `a.cmp(b)`: the first differing byte decides
    /// (as unsigned), else the shorter input is less.
    ///
    /// ```
    /// use std::cmp::Ordering;
    /// let ops = arsenal_memops::MemOps::auto();
    /// assert_eq!(ops.compare(b"abc", b"abd"), Ordering::Less);
    /// assert_eq!(ops.compare(b"ab", b"a"), Ordering::Greater);
    /// ```
    pub fn compare(self, a: &[u8], b: &[u8]) -> Ordering {
        let n = a.len().min(b.len());
        // SAFETY: both slices hold at least `n` bytes.
        let common = unsafe { self.compare_raw(a.as_ptr(), b.as_ptr(), n) };
        common.then(a.len().cmp(&b.len()))
    }

    /// Index of the first `byte` in `haystack`.
    ///
    /// ```
    /// assert_eq!(arsenal_memops::MemOps::auto().find_byte(b"abc", b'c'), Some(2));
    /// ```
    pub fn find_byte(self, haystack: &[u8], byte: u8) -> Option<usize> {
        // SAFETY: `haystack` is readable for its length.
        unsafe { self.find_byte_raw(haystack.as_ptr(), byte, haystack.len()) }
    }

    /// Length of the NUL-terminated string at the start of `bytes` (index of the first
    /// NUL); [`Error::NoNul`] when there is none.
    ///
    /// ```
    /// let ops = arsenal_memops::MemOps::auto();
    /// assert_eq!(ops.strlen(b"abc\0def")?, 3);
    /// assert!(ops.strlen(b"abc").is_err());
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn strlen(self, bytes: &[u8]) -> Result<usize, Error> {
        self.find_byte(bytes, 0).ok_or(Error::NoNul)
    }

    /// memcpy over raw pointers.
    ///
    /// # Safety
    /// `src..src + n` readable, `dst..dst + n` writable, the two ranges disjoint.
    ///
    /// ```
    /// let src = [1u8, 2, 3];
    /// let mut dst = [0u8; 3];
    /// // SAFETY: both arrays hold 3 bytes and are distinct.
    /// unsafe { arsenal_memops::MemOps::auto().copy_raw(dst.as_mut_ptr(), src.as_ptr(), 3) };
    /// assert_eq!(dst, src);
    /// ```
    pub unsafe fn copy_raw(self, dst: *mut u8, src: *const u8, n: usize) {
        // SAFETY: forwarded caller contract; the variant is available.
        unsafe { (self.table.copy)(dst, src, n) }
    }

    /// [`MemOps::copy_raw`] done the way `strategy` says.
    ///
    /// # Safety
    /// As [`MemOps::copy_raw`].
    pub unsafe fn copy_raw_with(self, strategy: Strategy, dst: *mut u8, src: *const u8, n: usize) {
        // SAFETY: forwarded caller contract; the variant is available.
        unsafe {
            match strategy {
                Strategy::Latency if n <= algo::SMALL => algo::small_move(dst, src, n),
                Strategy::Throughput => (self.table.copy_nt)(dst, src, n),
                Strategy::Streaming => (self.table.copy_stream)(dst, src, n),
                _ => (self.table.copy)(dst, src, n),
            }
        }
    }

    /// memmove over raw pointers.
    ///
    /// # Safety
    /// `src..src + n` readable, `dst..dst + n` writable; they may overlap.
    pub unsafe fn move_raw(self, dst: *mut u8, src: *const u8, n: usize) {
        // SAFETY: forwarded caller contract; the variant is available.
        unsafe { (self.table.move_)(dst, src, n) }
    }

    /// memset over raw pointers.
    ///
    /// # Safety
    /// `dst..dst + n` writable.
    pub unsafe fn set_raw(self, dst: *mut u8, value: u8, n: usize) {
        // SAFETY: forwarded caller contract; the variant is available.
        unsafe { (self.table.set)(dst, value, n) }
    }

    /// memcmp over raw pointers.
    ///
    /// # Safety
    /// `a..a + n` and `b..b + n` readable.
    pub unsafe fn compare_raw(self, a: *const u8, b: *const u8, n: usize) -> Ordering {
        // SAFETY: forwarded caller contract; the variant is available.
        unsafe { (self.table.compare)(a, b, n) }
    }

    /// memchr over raw pointers.
    ///
    /// # Safety
    /// `p..p + n` readable.
    pub unsafe fn find_byte_raw(self, p: *const u8, byte: u8, n: usize) -> Option<usize> {
        // SAFETY: forwarded caller contract; the variant is available.
        unsafe { (self.table.find)(p, byte, n) }
    }

    /// strnlen over raw pointers: the index of the first NUL in `p..p + max`, or `max`.
    /// (There is no unbounded `strlen`: it could not avoid reading past the string.)
    ///
    /// # Safety
    /// `p..p + max` readable.
    pub unsafe fn strnlen_raw(self, p: *const u8, max: usize) -> usize {
        // SAFETY: forwarded caller contract.
        unsafe { self.find_byte_raw(p, 0, max) }.unwrap_or(max)
    }
}

/// [`MemOps::copy`] with the best variant.
///
/// ```
/// let mut dst = [0u8; 2];
/// arsenal_memops::copy(&mut dst, b"hi")?;
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
pub fn copy(dst: &mut [u8], src: &[u8]) -> Result<(), Error> {
    MemOps::auto().copy(dst, src)
}

/// [`MemOps::copy_with`] with the best variant.
///
/// ```
/// let mut dst = [0u8; 2];
/// arsenal_memops::copy_with(arsenal_memops::Strategy::Latency, &mut dst, b"hi")?;
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
pub fn copy_with(strategy: Strategy, dst: &mut [u8], src: &[u8]) -> Result<(), Error> {
    MemOps::auto().copy_with(strategy, dst, src)
}

/// [`MemOps::copy_with`]`(Strategy::Throughput, ..)` with the best variant: streaming
/// stores for copies of at least [`NT_THRESHOLD`] bytes.
///
/// ```
/// let mut dst = [0u8; 2];
/// arsenal_memops::copy_nt(&mut dst, b"hi")?;
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
pub fn copy_nt(dst: &mut [u8], src: &[u8]) -> Result<(), Error> {
    MemOps::auto().copy_with(Strategy::Throughput, dst, src)
}

/// [`MemOps::move_within`] with the best variant.
///
/// ```
/// let mut buf = *b"abcdef";
/// arsenal_memops::move_within(&mut buf, 2..6, 0)?;
/// assert_eq!(&buf, b"cdefef");
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
pub fn move_within(buf: &mut [u8], src: Range<usize>, dest: usize) -> Result<(), Error> {
    MemOps::auto().move_within(buf, src, dest)
}

/// [`MemOps::set`] with the best variant.
///
/// ```
/// let mut buf = [1u8; 5];
/// arsenal_memops::set(&mut buf, 0);
/// assert_eq!(buf, [0; 5]);
/// ```
pub fn set(dst: &mut [u8], value: u8) {
    MemOps::auto().set(dst, value)
}

/// [`MemOps::compare`] with the best variant.
///
/// ```
/// assert!(arsenal_memops::compare(b"b", b"a").is_gt());
/// ```
pub fn compare(a: &[u8], b: &[u8]) -> Ordering {
    MemOps::auto().compare(a, b)
}

/// [`MemOps::find_byte`] with the best variant.
///
/// ```
/// assert_eq!(arsenal_memops::find_byte(b"xyz", b'q'), None);
/// ```
pub fn find_byte(haystack: &[u8], byte: u8) -> Option<usize> {
    MemOps::auto().find_byte(haystack, byte)
}

/// [`MemOps::strlen`] with the best variant.
///
/// ```
/// assert_eq!(arsenal_memops::strlen(b"ab\0")?, 2);
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
pub fn strlen(bytes: &[u8]) -> Result<usize, Error> {
    MemOps::auto().strlen(bytes)
}

#[cfg(test)]
mod tests {
    //! Small in-crate checks that also run under Miri (scalar only there).
    use super::*;

    fn pattern(n: usize, seed: u8) -> Vec<u8> {
        (0..n)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect()
    }

    #[test]
    fn every_available_variant_agrees_with_std() {
        let sizes = [
            0, 1, 2, 3, 5, 8, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 200, 300,
        ];
        for v in Variant::available_all() {
            let ops = MemOps::new(v).unwrap();
            for &n in &sizes {
                for off in [0usize, 1, 7] {
                    let src = pattern(n + off, 3);
                    let mut dst = vec![0xEEu8; n + off + 2];
                    ops.copy(&mut dst[off..off + n], &src[off..]).unwrap();
                    assert_eq!(&dst[off..off + n], &src[off..], "{v} copy {n}+{off}");
                    assert!(dst[..off].iter().all(|&b| b == 0xEE));
                    assert!(dst[off + n..].iter().all(|&b| b == 0xEE));

                    let mut buf = pattern(n + 8, 5);
                    let mut want = buf.clone();
                    want.copy_within(0..n, 3);
                    ops.move_within(&mut buf, 0..n, 3).unwrap();
                    assert_eq!(buf, want, "{v} move up {n}");
                    let mut buf = pattern(n + 8, 5);
                    let mut want = buf.clone();
                    want.copy_within(3..n + 3, 0);
                    ops.move_within(&mut buf, 3..n + 3, 0).unwrap();
                    assert_eq!(buf, want, "{v} move down {n}");

                    let mut s = vec![1u8; n + 2];
                    ops.set(&mut s[1..n + 1], 0x5A);
                    assert_eq!(s[0], 1);
                    assert_eq!(s[n + 1], 1);
                    assert!(s[1..n + 1].iter().all(|&b| b == 0x5A));

                    let a = pattern(n, 9);
                    for k in 0..n {
                        let mut b = a.clone();
                        b[k] ^= 0x80;
                        assert_eq!(ops.compare(&a, &b), a.cmp(&b), "{v} cmp {n} at {k}");
                        assert_eq!(ops.find_byte(&b, b[k]), b.iter().position(|&x| x == b[k]));
                    }
                    assert_eq!(ops.compare(&a, &a), Ordering::Equal);
                }
            }
        }
    }

    #[test]
    fn misuse_is_an_error() {
        let mut buf = [0u8; 4];
        assert_eq!(
            copy(&mut buf, b"abc"),
            Err(Error::LengthMismatch { dst: 4, src: 3 })
        );
        assert!(move_within(&mut buf, 2..5, 0).is_err());
        assert!(move_within(&mut buf, 0..2, 3).is_err());
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = 3..1;
        assert!(move_within(&mut buf, backwards, 0).is_err());
        assert_eq!(strlen(b"abc"), Err(Error::NoNul));
    }
}
