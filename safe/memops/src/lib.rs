//! SIMD memory operations — `copy` (memcpy), `move_within` (memmove), `set` (memset),
//! `compare` (memcmp), `find_byte` (memchr) and `strlen` — in native Rust, in four
//! backends (one per instruction set) chosen once at run time from the CPU's features.
//!
//! | backend | targets | block | search | non-temporal copy |
//! |---|---|---|---|---|
//! | [`Backend::Scalar`] | every target (and Miri) | 8-byte words | SWAR word tricks | no (plain copy) |
//! | [`Backend::Sse2`] | x86_64 | 16 B `__m128i` | `pcmpeqb` + `pmovmskb` | `movntdq` + `sfence` |
//! | [`Backend::Avx2`] | x86_64 with AVX2 | 32 B `__m256i` | `vpcmpeqb` + `vpmovmskb` | `vmovntdq` + `sfence` |
//! | [`Backend::Avx512`] | x86_64 with AVX-512 F + BW | 64 B `__m512i` | `vpcmpeqb` into a mask register | `vmovntdq` (zmm) + `sfence` |
//!
//! # Choosing a backend
//! [`Backend`] has the selection shape every Arsenal domain crate shares
//! ([`arsenal_core::select`]): [`Backend::ALL`], [`Backend::available`] (the backends
//! this CPU can run, widest first), `name()`/`Display`/`FromStr`, and
//! [`Backend::for_strategy`] with the measured mapping documented on its
//! [`Select`] impl. A working instance of a backend is a
//! [`MemOps`] (its dispatch table): [`Backend::ops`] or [`MemOps::new`], which fail with
//! [`Error::Unsupported`] when the CPU lacks it. Under Miri only the scalar backend is
//! available.
//!
//! There is no compile-time `Default…` alias: which instruction sets exist is known only
//! at run time, so the default is a run-time choice, [`MemOps::auto`] (also
//! `MemOps::default()`): the first of [`Backend::available`] (AVX-512, AVX2, SSE2,
//! scalar), detected on first use and cached. The free functions ([`copy`], [`set`], ...)
//! use it.
//!
//! Every backend stays inside the buffers it is given: sizes up to 64 bytes take a
//! branchy path with overlapping head/tail loads and no loop ([`CopyPolicy::InlineSmall`]'s
//! path), longer ones an aligned-store block loop plus overlapping head and tail blocks.
//! Nothing reads past the end of a slice, not even within the same page.
//!
//! [`CopyPolicy`] picks how one copy is done (cached or non-temporal stores, inlined small
//! path); [`CopyPolicy::NonTemporalLarge`] streams copies of at least [`NT_THRESHOLD`]
//! bytes past the caches, which helps when the destination will not be read soon.
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
//! The crate depends on `arsenal-core` (CPU detection and the selection shape) and on
//! its own kernels crate, `arsenal-memops-kernels`; it needs `std` for run-time CPU detection.
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]
// The kernels live in arsenal-memops-kernels, a `no_std` crate of their own: they need
// `#![no_builtins]` (so their loops are not turned back into memcpy/memset calls), and
// a `no_builtins` crate that allocates does not link under fat LTO (see that crate).
use arsenal_memops_kernels::{algo, backend};

use arsenal_core::cpu::{CpuFeatures, Vendor};
use arsenal_core::{Select, Strategy};
use core::cmp::Ordering;
use core::fmt;
use core::ops::Range;
use std::sync::OnceLock;

pub use arsenal_memops_kernels::NT_THRESHOLD;

arsenal_core::backends! {
    /// An implementation of the operations, by instruction set; declared slowest first
    /// (so `Ord` compares widths). [`Backend::available`] lists the ones this CPU runs,
    /// widest first; [`Backend::ops`] gives a backend's [`MemOps`].
    ///
    /// ```
    /// use arsenal_memops::Backend;
    /// assert_eq!(Backend::ALL.len(), 4);
    /// assert!(Backend::Scalar.is_available());
    /// assert_eq!("AVX2".parse::<Backend>()?, Backend::Avx2);
    /// let widest = Backend::available()[0];
    /// assert_eq!(arsenal_memops::MemOps::auto().backend(), widest);
    /// # Ok::<(), arsenal_core::UnknownBackend>(())
    /// ```
    domain = "memops";
    pub enum Backend {
        /// Portable Rust, 8-byte words.
        Scalar = "scalar",
        /// x86_64 SSE2, 16-byte blocks.
        Sse2 = "sse2",
        /// x86_64 AVX2, 32-byte blocks.
        Avx2 = "avx2",
        /// x86_64 AVX-512 F + BW, 64-byte blocks.
        Avx512 = "avx512",
    }
}

/// Widest first: the order of [`Backend::available`].
const PRIORITY: [Backend; 4] = [
    Backend::Avx512,
    Backend::Avx2,
    Backend::Sse2,
    Backend::Scalar,
];

impl Backend {
    /// Whether a CPU with `cpu`'s features (and this build: x86_64, not Miri) runs the
    /// backend.
    fn runs_on(self, cpu: &CpuFeatures) -> bool {
        match self {
            Backend::Scalar => true,
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Backend::Sse2 => cpu.sse2,
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Backend::Avx2 => cpu.avx2,
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            Backend::Avx512 => cpu.avx512f && cpu.avx512bw,
            #[cfg(not(all(target_arch = "x86_64", not(miri))))]
            _ => {
                let _ = cpu;
                false
            }
        }
    }

    /// The widest backend a CPU with `cpu`'s features runs ([`Strategy::MaximalSpeed`]).
    fn widest_for(cpu: &CpuFeatures) -> Backend {
        PRIORITY
            .into_iter()
            .find(|b| b.runs_on(cpu))
            .unwrap_or(Backend::Scalar)
    }

    /// This backend's operations: its [`MemOps`] dispatch table, or
    /// [`Error::Unsupported`] when this CPU cannot run it. The same as [`MemOps::new`].
    ///
    /// ```
    /// use arsenal_memops::Backend;
    /// for backend in Backend::available() {
    ///     let ops = backend.ops()?;
    ///     let mut dst = [0u8; 100];
    ///     ops.copy(&mut dst, &[7u8; 100])?;
    ///     assert_eq!(dst, [7u8; 100]);
    ///     assert_eq!(ops.backend(), backend);
    /// }
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn ops(self) -> Result<MemOps, Error> {
        MemOps::new(self)
    }

    fn table(self) -> &'static Table {
        match self {
            Backend::Scalar => &SCALAR,
            #[cfg(target_arch = "x86_64")]
            Backend::Sse2 => &SSE2,
            #[cfg(target_arch = "x86_64")]
            Backend::Avx2 => &AVX2,
            #[cfg(target_arch = "x86_64")]
            Backend::Avx512 => &AVX512,
            #[cfg(not(target_arch = "x86_64"))]
            _ => &SCALAR,
        }
    }
}

/// The measured choice of backend per [`Strategy`]. Row ids are the matrix benchmark's
/// (`benches/src/mem.rs`, `mem/<op>/<size>`); the numbers are the README's last `--full`
/// run on an AVX-512 machine.
///
/// | strategy | backend (first available of) | evidence |
/// |---|---|---|
/// | `Throughput` | AVX-512, AVX2, SSE2, scalar | `mem/copy/1MiB`: from 4 KiB to 1 MiB the widest backend matches or beats glibc on every operation |
/// | `Latency` | AVX2, AVX-512, SSE2, scalar | `mem/copy/256B`: at 256 B the AVX2 backend copies at 53.0 GB/s, AVX-512 at 36.7 (its wider head/tail blocks cost more on short inputs) |
/// | `Balanced` | [`MemOps::auto`]'s choice: the first of [`Backend::available`] (widest) | the documented priority |
/// | `MinimalMemory` | as `Throughput` | no backend keeps state (each is a static function table: no heap, no per-call allocation), so memory cannot tell them apart; the tie goes to the `Throughput` answer, `mem/copy/1MiB` |
/// | `MaximalSpeed` | the widest instruction set [`arsenal_core::cpu::features`] reports (AVX-512 F+BW, AVX2, SSE2, scalar) | `mem/copy/1MiB` |
///
/// ```
/// use arsenal_core::Strategy;
/// use arsenal_memops::Backend;
/// for strategy in Strategy::ALL {
///     let backend = Backend::for_strategy(strategy);
///     assert!(backend.is_available());
///     let ops = backend.ops()?;
///     assert_eq!(ops.strlen(b"abc\0")?, 3);
/// }
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
impl Select for Backend {
    fn available() -> Vec<Backend> {
        let cpu = arsenal_core::cpu::features();
        PRIORITY.into_iter().filter(|b| b.runs_on(cpu)).collect()
    }

    fn for_strategy(strategy: Strategy) -> Backend {
        use Backend::*;
        match strategy {
            Strategy::Throughput | Strategy::MinimalMemory => {
                arsenal_core::prefer(&[Avx512, Avx2, Sse2, Scalar])
            }
            Strategy::Latency => arsenal_core::prefer(&[Avx2, Avx512, Sse2, Scalar]),
            Strategy::Balanced => MemOps::auto().backend(),
            Strategy::MaximalSpeed => {
                arsenal_core::prefer(&[Backend::widest_for(arsenal_core::cpu::features())])
            }
        }
    }

    fn evidence(strategy: Strategy) -> Option<&'static str> {
        match strategy {
            Strategy::Balanced => None,
            Strategy::Latency => Some("mem/copy/256B"),
            Strategy::Throughput | Strategy::MinimalMemory | Strategy::MaximalSpeed => {
                Some("mem/copy/1MiB")
            }
        }
    }
}

/// How one copy is done (whichever backend does it).
///
/// ```
/// use arsenal_memops::{CopyPolicy, MemOps};
/// let src = vec![7u8; 100];
/// let mut dst = vec![0u8; 100];
/// for policy in CopyPolicy::ALL {
///     MemOps::auto().copy_with(policy, &mut dst, &src)?;
///     assert_eq!(dst, src);
/// }
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CopyPolicy {
    /// The backend's ordinary copy through the caches (what [`copy`] does).
    #[default]
    Cached,
    /// Copies of up to 64 bytes go straight to the inlined small path (overlapping
    /// head/tail loads, no loop, no call through the dispatch table); longer ones as
    /// `Cached`.
    InlineSmall,
    /// Copies of at least [`NT_THRESHOLD`] bytes use non-temporal (cache-bypassing)
    /// stores followed by `sfence`; shorter ones as `Cached`. The scalar backend has no
    /// such stores and copies normally.
    NonTemporalLarge,
    /// Non-temporal stores for every copy longer than 64 bytes, whatever its size (what
    /// `NonTemporalLarge` does above the threshold; for measuring, or for callers who
    /// know the destination will not be read soon). Scalar copies normally.
    NonTemporal,
}

impl CopyPolicy {
    /// Every policy.
    ///
    /// ```
    /// assert_eq!(arsenal_memops::CopyPolicy::ALL.len(), 4);
    /// ```
    pub const ALL: [CopyPolicy; 4] = [
        CopyPolicy::Cached,
        CopyPolicy::InlineSmall,
        CopyPolicy::NonTemporalLarge,
        CopyPolicy::NonTemporal,
    ];

    /// The copy policy for `strategy` (a helper beside [`Backend::for_strategy`]: a
    /// policy is not a backend). `Throughput` and `MaximalSpeed` →
    /// [`NonTemporalLarge`](CopyPolicy::NonTemporalLarge) (`mem/copy/64MiB`: streaming
    /// stores 9.56 GB/s against 7.10 for cached ones on DRAM-sized copies, which the
    /// threshold keeps them to); `Latency` → [`InlineSmall`](CopyPolicy::InlineSmall)
    /// (`mem/copy/16B`: the indirect call through the dispatch table is most of the
    /// cost of a 16-byte copy, and this path skips it); `Balanced` and `MinimalMemory` →
    /// [`Cached`](CopyPolicy::Cached) (every policy uses the same memory).
    ///
    /// ```
    /// use arsenal_core::Strategy;
    /// use arsenal_memops::CopyPolicy;
    /// assert_eq!(CopyPolicy::for_strategy(Strategy::Throughput), CopyPolicy::NonTemporalLarge);
    /// let mut dst = [0u8; 5];
    /// arsenal_memops::copy_with(CopyPolicy::for_strategy(Strategy::Latency), &mut dst, b"hello")?;
    /// assert_eq!(&dst, b"hello");
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn for_strategy(strategy: Strategy) -> CopyPolicy {
        match strategy {
            Strategy::Throughput | Strategy::MaximalSpeed => CopyPolicy::NonTemporalLarge,
            Strategy::Latency => CopyPolicy::InlineSmall,
            Strategy::Balanced | Strategy::MinimalMemory => CopyPolicy::Cached,
        }
    }
}

/// What can go wrong: only misuse (mismatched lengths, out-of-range ranges, a missing
/// NUL) or asking for a backend the CPU lacks.
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
    /// [`MemOps::new`] / [`Backend::ops`]: this CPU (or Miri) cannot run the backend.
    Unsupported(Backend),
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
            Error::Unsupported(b) => write!(f, "memops backend {b} is not supported by this CPU"),
        }
    }
}

impl std::error::Error for Error {}

type CopyFn = unsafe fn(*mut u8, *const u8, usize);

/// The dispatch table of one backend.
struct Table {
    backend: Backend,
    copy: CopyFn,
    move_: CopyFn,
    copy_nt: CopyFn,
    copy_stream: CopyFn,
    set: unsafe fn(*mut u8, u8, usize),
    set_stream: unsafe fn(*mut u8, u8, usize),
    compare: unsafe fn(*const u8, *const u8, usize) -> Ordering,
    find: unsafe fn(*const u8, u8, usize) -> Option<usize>,
}

macro_rules! table {
    ($name:ident, $backend:expr, $m:path) => {
        static $name: Table = {
            use $m as m;
            Table {
                backend: $backend,
                copy: m::copy,
                move_: m::move_,
                copy_nt: m::copy_nt,
                copy_stream: m::copy_stream,
                set: m::set,
                set_stream: m::set_stream,
                compare: m::compare,
                find: m::find,
            }
        };
    };
}

table!(SCALAR, Backend::Scalar, backend::scalar);
#[cfg(target_arch = "x86_64")]
table!(SSE2, Backend::Sse2, backend::sse2);
#[cfg(target_arch = "x86_64")]
table!(AVX2, Backend::Avx2, backend::avx2);
#[cfg(target_arch = "x86_64")]
table!(AVX512, Backend::Avx512, backend::avx512);

/// The operations of one [`Backend`] (its dispatch table), checked to run on this CPU:
/// the working instance of a backend. Cheap to copy.
///
/// ```
/// use arsenal_memops::{Backend, MemOps};
/// for backend in Backend::available() {
///     let ops = MemOps::new(backend)?;
///     let mut buf = [0u8; 300];
///     ops.set(&mut buf, 9);
///     assert_eq!(ops.find_byte(&buf, 9), Some(0));
///     assert_eq!(ops.backend(), backend);
/// }
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct MemOps {
    // Invariant: `table.backend` is available (this CPU runs it).
    table: &'static Table,
    // `MemOps::auto()`'s routes by operation and size (see `MemOps::route`); `None` for
    // a pinned backend (`MemOps::new`), which always runs its own kernels.
    routes: Option<&'static Routes>,
}

impl fmt::Debug for MemOps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemOps")
            .field("backend", &self.table.backend)
            .field("auto", &self.routes.is_some())
            .finish()
    }
}

/// An operation, for [`MemOps::route`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Op {
    /// [`MemOps::copy`] (with [`CopyPolicy::Cached`]).
    Copy,
    /// [`MemOps::move_within`].
    Move,
    /// [`MemOps::set`].
    Set,
    /// [`MemOps::compare`].
    Compare,
    /// [`MemOps::find_byte`] and [`MemOps::strlen`].
    FindByte,
}

/// What runs an operation: see [`MemOps::route`]. `Display` gives the benchmark's row
/// suffix (`avx2`, `avx2 nt`, `glibc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Route {
    /// The backend's kernel with ordinary stores.
    Kernel(Backend),
    /// The backend's kernel with non-temporal (cache-bypassing) stores.
    Streaming(Backend),
    /// The C library's function (glibc `memchr`).
    Glibc,
    /// The CPU's string instructions, `rep movsb` / `rep stosb` ("enhanced REP MOVSB/STOSB",
    /// ERMS): microcode that moves whole cache lines, faster than any vector loop for
    /// large copies and fills on some CPUs (see [`MemOps::route`]).
    Erms,
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Kernel(b) => write!(f, "{b}"),
            Route::Streaming(b) => write!(f, "{b} nt"),
            Route::Glibc => f.write_str("glibc"),
            Route::Erms => f.write_str("erms"),
        }
    }
}

/// Whether [`MemOps::auto`] can call glibc at all: x86_64 glibc, not under Miri.
const GLIBC: bool = cfg!(all(target_arch = "x86_64", target_env = "gnu", not(miri)));

/// The byte counts `[from, to)` for which [`MemOps::auto`] calls glibc for `op`, by the
/// widest backend (the matrix's `mem/*` rows, `--native`; see docs/memops.md):
///
/// - AVX-512 (Intel Xeon): glibc below 4 KiB for every operation — its EVEX routines
///   beat our kernels on 16 B and 256 B copies, fills, compares and searches, our
///   64-byte-block kernels win from 4 KiB up. On AMD (Zen 4) the same, except fills of
///   at most 64 B, which stay on our inlined small path (glibc took 3.5x as long at
///   16 B).
/// - AVX2 and narrower (AMD EPYC, Zen 3): copies stay ours (they match or beat glibc
///   at every size); fills from 65 B to 2 KiB go to glibc (its vector stores; ours took
///   twice as long at 256 B), shorter ones stay on our inlined small path (faster than
///   the call into glibc at 16 B), longer ones on our kernel (glibc switches to
///   `rep stosb` there and loses);
///   compares from 32 B to 1 MiB go to glibc (ours: 0.75–0.94 of it), 16 B stays on
///   our SSE2 block; searches always go to glibc's AVX2 `memchr` (ours: 0.45 at 4 KiB).
fn glibc_range(backend: Backend, op: Op) -> (usize, usize) {
    // Searches below GLIBC_SEARCH_BELOW go to glibc with every backend (the free
    // `strlen` relies on it).
    if !GLIBC {
        return (0, 0);
    }
    match (backend, op) {
        // AMD Zen 4: glibc's short fills are the exception (16 B: 3.5x our inlined
        // small path), as on Zen 3.
        (Backend::Avx512, Op::Set) if arsenal_core::cpu::vendor() == Vendor::Amd => {
            (algo::SMALL + 1, 4 << 10)
        }
        (Backend::Avx512, Op::FindByte) => (0, GLIBC_SEARCH_BELOW),
        (Backend::Avx512, _) => (0, 4 << 10),
        (_, Op::Copy | Op::Move) => (0, 0),
        (_, Op::Set) => (algo::SMALL + 1, (2 << 10) + 1),
        (_, Op::Compare) => (32, 1 << 20),
        (_, Op::FindByte) => (0, usize::MAX),
    }
}

/// Whether [`MemOps::auto`] can use `rep movsb` / `rep stosb` at all: x86_64, not Miri.
const REP_STRINGS: bool = cfg!(all(target_arch = "x86_64", not(miri)));

/// The smallest copy and fill that [`MemOps::auto`] hands to `rep movsb` / `rep stosb`
/// ([`Route::Erms`]; `usize::MAX`: never), by backend and CPU (the matrix's `mem/*` rows
/// and a size sweep, `--native`; see docs/memops.md):
///
/// - AMD with AVX-512 and ERMS (measured on Zen 5, family 0x1A): copies from 32 KiB (our 64-byte loop falls to
///   0.6x of `rep movsb` once source and destination outgrow the 32 KiB L1, and
///   `rep movsb` stays ahead, 1.3x at 16–64 MiB, where glibc's copy does not use it),
///   fills from 1 MiB (`rep stosb` is 1.15x our loop at 1 MiB and 1.7x at 16 MiB, and
///   beats the non-temporal fill beyond the last-level cache).
/// - Everywhere else: never (not measured better; Intel's glibc already picks
///   `rep movsb` where it wins, in the glibc range).
fn erms_from(backend: Backend, op: Op) -> usize {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    let erms = std::arch::is_x86_feature_detected!("ermsb");
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    let erms = false;
    if !(REP_STRINGS && erms && arsenal_core::cpu::vendor() == Vendor::Amd) {
        return usize::MAX;
    }
    match (backend, op) {
        (Backend::Avx512, Op::Copy) => 32 << 10,
        (Backend::Avx512, Op::Set) => 1 << 20,
        _ => usize::MAX,
    }
}

/// `rep movsb` / `rep stosb`, where [`MemOps::auto`] routes to them. Elsewhere (not
/// x86_64, or Miri) the thresholds are `usize::MAX` and these are never called; they
/// forward to the scalar kernels so the crate still builds.
mod rep {
    /// # Safety
    /// As `MemOps::copy_raw`.
    #[inline(always)]
    pub unsafe fn copy(d: *mut u8, s: *const u8, n: usize) {
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        // SAFETY: `rep movsb` copies `rcx` bytes from `[rsi]` to `[rdi]` upwards (the
        // direction flag is clear at every call boundary by the ABI), which the caller
        // guarantees are readable and writable and disjoint; it touches nothing else and
        // no stack.
        unsafe {
            core::arch::asm!(
                "rep movsb",
                inout("rcx") n => _,
                inout("rdi") d => _,
                inout("rsi") s => _,
                options(nostack, preserves_flags),
            );
        }
        #[cfg(not(all(target_arch = "x86_64", not(miri))))]
        // SAFETY: forwarded caller contract.
        unsafe {
            (crate::Backend::Scalar.table().copy)(d, s, n)
        }
    }

    /// # Safety
    /// As `MemOps::set_raw`.
    #[inline(always)]
    pub unsafe fn set(d: *mut u8, v: u8, n: usize) {
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        // SAFETY: `rep stosb` stores `al` into `rcx` bytes from `[rdi]` upwards
        // (direction flag clear by the ABI), which the caller guarantees are writable.
        unsafe {
            core::arch::asm!(
                "rep stosb",
                inout("rcx") n => _,
                inout("rdi") d => _,
                in("al") v,
                options(nostack, preserves_flags),
            );
        }
        #[cfg(not(all(target_arch = "x86_64", not(miri))))]
        // SAFETY: forwarded caller contract.
        unsafe {
            (crate::Backend::Scalar.table().set)(d, v, n)
        }
    }
}

/// Searches (`find_byte`, `strlen`) shorter than this go to glibc with every backend.
const GLIBC_SEARCH_BELOW: usize = 4 << 10;

/// [`MemOps::auto`]'s routes, fixed at its first use.
struct Routes {
    /// `[from, to)` per [`Op`] (indexed by `op as usize`) where glibc runs.
    glibc: [(usize, usize); 5],
    /// Copies of at least this many bytes run `rep movsb` ([`erms_from`]).
    erms_copy_from: usize,
    /// Fills of at least this many bytes run `rep stosb` ([`erms_from`]).
    erms_set_from: usize,
    /// Fills of at least this many bytes stream ([`set_stream_threshold`]).
    stream_set_from: usize,
}

/// glibc's functions, where [`MemOps::auto`] routes to them. Elsewhere (no glibc, or
/// Miri) the ranges are empty and these are never called; they forward to the scalar
/// kernels so the crate still builds.
mod glibc {
    #[cfg(all(target_arch = "x86_64", target_env = "gnu", not(miri)))]
    mod imp {
        use core::cmp::Ordering;

        /// # Safety
        /// As `MemOps::copy_raw`.
        #[inline(always)]
        pub unsafe fn copy(d: *mut u8, s: *const u8, n: usize) {
            // SAFETY: forwarded caller contract (disjoint, `n` bytes each).
            unsafe { libc::memcpy(d.cast(), s.cast(), n) };
        }

        /// # Safety
        /// As `MemOps::move_raw`.
        #[inline(always)]
        pub unsafe fn move_(d: *mut u8, s: *const u8, n: usize) {
            // SAFETY: forwarded caller contract (overlap allowed).
            unsafe { libc::memmove(d.cast(), s.cast(), n) };
        }

        /// # Safety
        /// As `MemOps::set_raw`.
        #[inline(always)]
        pub unsafe fn set(d: *mut u8, v: u8, n: usize) {
            // SAFETY: forwarded caller contract.
            unsafe { libc::memset(d.cast(), i32::from(v), n) };
        }

        /// # Safety
        /// As `MemOps::compare_raw`.
        #[inline(always)]
        pub unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> Ordering {
            // SAFETY: forwarded caller contract; memcmp compares as unsigned bytes.
            unsafe { libc::memcmp(a.cast(), b.cast(), n) }.cmp(&0)
        }

        /// # Safety
        /// As `MemOps::find_byte_raw`.
        #[inline(always)]
        pub unsafe fn find(p: *const u8, byte: u8, n: usize) -> Option<usize> {
            // SAFETY: memchr looks at no byte past `p + n` that matters (glibc's vector
            // loads stay inside the pages holding the range, as the guard-page test
            // checks) and returns a pointer into the range or null.
            let hit = unsafe { libc::memchr(p.cast(), i32::from(byte), n) };
            (!hit.is_null()).then(|| hit as usize - p as usize)
        }

        /// # Safety
        /// A NUL byte at or after `p`, within one readable range.
        #[inline(always)]
        pub unsafe fn strlen(p: *const u8) -> usize {
            // SAFETY: forwarded caller contract.
            unsafe { libc::strlen(p.cast()) }
        }
    }

    #[cfg(not(all(target_arch = "x86_64", target_env = "gnu", not(miri))))]
    mod imp {
        use arsenal_memops_kernels::backend::scalar;
        use core::cmp::Ordering;

        pub unsafe fn copy(d: *mut u8, s: *const u8, n: usize) {
            // SAFETY: forwarded caller contract.
            unsafe { scalar::copy(d, s, n) }
        }
        pub unsafe fn move_(d: *mut u8, s: *const u8, n: usize) {
            // SAFETY: forwarded caller contract.
            unsafe { scalar::move_(d, s, n) }
        }
        pub unsafe fn set(d: *mut u8, v: u8, n: usize) {
            // SAFETY: forwarded caller contract.
            unsafe { scalar::set(d, v, n) }
        }
        pub unsafe fn compare(a: *const u8, b: *const u8, n: usize) -> Ordering {
            // SAFETY: forwarded caller contract.
            unsafe { scalar::compare(a, b, n) }
        }
        pub unsafe fn find(p: *const u8, byte: u8, n: usize) -> Option<usize> {
            // SAFETY: forwarded caller contract.
            unsafe { scalar::find(p, byte, n) }
        }
        pub unsafe fn strlen(p: *const u8) -> usize {
            let mut i = 0;
            // SAFETY: the caller guarantees a NUL within the readable range.
            while unsafe { *p.add(i) } != 0 {
                i += 1;
            }
            i
        }
    }

    pub(crate) use imp::*;
}

/// Fills of at least this many bytes use non-temporal stores in [`MemOps::auto`]'s
/// `set`: the size of the last-level cache the first CPU sees (Linux: the highest
/// `/sys/devices/system/cpu/cpu0/cache/index*` level, e.g. one Zen 3 CCX's 32 MiB,
/// where glibc's `sysconf` reports the whole socket's 256 MiB), and never less than
/// [`NT_THRESHOLD`] (also the value where the size is unknown). A fill that large cannot
/// stay in the cache anyway, and streaming stores skip reading every line before
/// writing it (`mem/set/64MiB`).
///
/// ```
/// assert!(arsenal_memops::set_stream_threshold() >= arsenal_memops::NT_THRESHOLD);
/// ```
pub fn set_stream_threshold() -> usize {
    static THRESHOLD: OnceLock<usize> = OnceLock::new();
    *THRESHOLD.get_or_init(|| last_level_cache().unwrap_or(0).max(NT_THRESHOLD))
}

/// The last-level cache of CPU 0 in bytes, from sysfs (Linux, not Miri).
fn last_level_cache() -> Option<usize> {
    if !cfg!(all(target_os = "linux", not(miri))) {
        return None;
    }
    let dir = std::path::Path::new("/sys/devices/system/cpu/cpu0/cache");
    let read = |index: &std::path::Path, what: &str| {
        std::fs::read_to_string(index.join(what))
            .ok()
            .map(|s| s.trim().to_owned())
    };
    let mut best: Option<(u32, usize)> = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let index = entry.path();
        if read(&index, "type").as_deref() == Some("Instruction") {
            continue;
        }
        let (Some(level), Some(size)) = (read(&index, "level"), read(&index, "size")) else {
            continue;
        };
        let Ok(level) = level.parse::<u32>() else {
            continue;
        };
        let bytes = match size.strip_suffix('K') {
            Some(k) => k.parse::<usize>().ok().and_then(|k| k.checked_mul(1 << 10)),
            None => match size.strip_suffix('M') {
                Some(m) => m.parse::<usize>().ok().and_then(|m| m.checked_mul(1 << 20)),
                None => size.parse::<usize>().ok(),
            },
        };
        if let Some(bytes) = bytes {
            if best.is_none_or(|(l, _)| level > l) {
                best = Some((level, bytes));
            }
        }
    }
    best.map(|(_, bytes)| bytes)
}

/// [`MemOps::auto`]: the run-time default.
impl Default for MemOps {
    fn default() -> MemOps {
        MemOps::auto()
    }
}

impl MemOps {
    /// The given backend, or [`Error::Unsupported`] when this CPU cannot run it.
    ///
    /// ```
    /// let ops = arsenal_memops::MemOps::new(arsenal_memops::Backend::Scalar)?;
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn new(backend: Backend) -> Result<MemOps, Error> {
        if backend.is_available() {
            Ok(MemOps {
                table: backend.table(),
                routes: None,
            })
        } else {
            Err(Error::Unsupported(backend))
        }
    }

    /// The default: the first of [`Backend::available`] (the widest instruction set this
    /// CPU has), detected once and cached, with two measured routes of its own (see
    /// [`MemOps::route`]): `find_byte` / `strlen` call glibc's `memchr` on x86_64 glibc,
    /// and `set` of at least [`set_stream_threshold`] bytes uses non-temporal stores.
    /// What the free functions use.
    ///
    /// ```
    /// use arsenal_memops::{Backend, MemOps};
    /// assert_eq!(MemOps::auto().backend(), Backend::available()[0]);
    /// ```
    pub fn auto() -> MemOps {
        static AUTO: OnceLock<MemOps> = OnceLock::new();
        *AUTO.get_or_init(|| {
            let backend = Backend::available()
                .first()
                .copied()
                .unwrap_or(Backend::Scalar);
            static ROUTES: OnceLock<Routes> = OnceLock::new();
            let routes = ROUTES.get_or_init(|| Routes {
                glibc: [Op::Copy, Op::Move, Op::Set, Op::Compare, Op::FindByte]
                    .map(|op| glibc_range(backend, op)),
                stream_set_from: set_stream_threshold(),
                erms_copy_from: erms_from(backend, Op::Copy),
                erms_set_from: erms_from(backend, Op::Set),
            });
            MemOps {
                table: backend.table(),
                routes: Some(routes),
            }
        })
    }

    /// Whether `op` on `n` bytes goes to glibc ([`MemOps::route`]).
    #[inline(always)]
    fn in_glibc(self, op: Op, n: usize) -> bool {
        match self.routes {
            Some(r) => {
                let (from, to) = r.glibc[op as usize];
                from <= n && n < to
            }
            None => false,
        }
    }

    /// Whether a copy of `n` bytes runs `rep movsb` ([`MemOps::route`]).
    #[inline(always)]
    fn erms_copy(self, n: usize) -> bool {
        self.routes.is_some_and(|r| n >= r.erms_copy_from)
    }

    /// Whether a fill of `n` bytes runs `rep stosb` ([`MemOps::route`]).
    #[inline(always)]
    fn erms_set(self, n: usize) -> bool {
        self.routes.is_some_and(|r| n >= r.erms_set_from)
    }

    /// Whether a fill of `n` bytes streams ([`MemOps::route`]).
    #[inline(always)]
    fn streams_set(self, n: usize) -> bool {
        self.routes.is_some_and(|r| n >= r.stream_set_from)
    }

    /// What runs `op` on `n` bytes with these operations: the backend's kernel, except
    /// for [`MemOps::auto`], which on x86_64 glibc calls glibc's `memcpy` / `memmove` /
    /// `memset` / `memcmp` / `memchr` (or `strlen`) in the size ranges where the matrix
    /// measured glibc faster (docs/memops.md), runs large copies and fills with
    /// `rep movsb` / `rep stosb` on the CPUs where those measured faster
    /// ([`Route::Erms`]: AMD with AVX-512, measured on Zen 5), and otherwise fills of at least
    /// [`set_stream_threshold`] bytes with the kernel's non-temporal stores. The
    /// benchmark names its `arsenal:auto` rows by this.
    ///
    /// ```
    /// use arsenal_memops::{Backend, MemOps, Op, Route};
    /// let scalar = MemOps::new(Backend::Scalar)?;
    /// assert_eq!(scalar.route(Op::FindByte, 100), Route::Kernel(Backend::Scalar));
    /// let auto = MemOps::auto();
    /// // Short copies go to glibc on CPUs where it measured faster, else to the kernel.
    /// let short = auto.route(Op::Copy, 100);
    /// assert!(short == Route::Glibc || short == Route::Kernel(auto.backend()));
    /// // Fills beyond the last-level cache stream past it with non-temporal stores, or
    /// // run `rep stosb` where that measured faster.
    /// let big = arsenal_memops::set_stream_threshold();
    /// let fill = auto.route(Op::Set, big);
    /// assert!(fill == Route::Streaming(auto.backend()) || fill == Route::Erms);
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn route(self, op: Op, n: usize) -> Route {
        let backend = self.table.backend;
        match op {
            _ if self.in_glibc(op, n) => Route::Glibc,
            Op::Copy if self.erms_copy(n) => Route::Erms,
            Op::Set if self.erms_set(n) => Route::Erms,
            Op::Set if self.streams_set(n) => Route::Streaming(backend),
            _ => Route::Kernel(backend),
        }
    }

    /// Which backend this is.
    ///
    /// ```
    /// use arsenal_memops::{Backend, MemOps};
    /// assert_eq!(MemOps::new(Backend::Scalar)?.backend(), Backend::Scalar);
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn backend(self) -> Backend {
        self.table.backend
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
        self.copy_with(CopyPolicy::Cached, dst, src)
    }

    /// [`MemOps::copy`] done the way `policy` says.
    ///
    /// ```
    /// use arsenal_memops::{CopyPolicy, MemOps};
    /// let src = vec![1u8; 1 << 16];
    /// let mut dst = vec![0u8; 1 << 16];
    /// MemOps::auto().copy_with(CopyPolicy::NonTemporalLarge, &mut dst, &src)?;
    /// assert_eq!(dst, src);
    /// # Ok::<(), arsenal_memops::Error>(())
    /// ```
    pub fn copy_with(self, policy: CopyPolicy, dst: &mut [u8], src: &[u8]) -> Result<(), Error> {
        if dst.len() != src.len() {
            return Err(Error::LengthMismatch {
                dst: dst.len(),
                src: src.len(),
            });
        }
        // SAFETY: both slices hold `src.len()` bytes and cannot overlap (`dst` is a
        // unique borrow); the table's backend is available (type invariant).
        unsafe { self.copy_raw_with(policy, dst.as_mut_ptr(), src.as_ptr(), src.len()) };
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
        if bytes.last() == Some(&0) && self.in_glibc(Op::FindByte, bytes.len()) {
            // SAFETY: the slice ends with a NUL, so strlen stops inside it.
            return Ok(unsafe { glibc::strlen(bytes.as_ptr()) });
        }
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
        // SAFETY: forwarded caller contract; the backend is available.
        unsafe {
            if self.in_glibc(Op::Copy, n) {
                glibc::copy(dst, src, n)
            } else if self.erms_copy(n) {
                rep::copy(dst, src, n)
            } else {
                (self.table.copy)(dst, src, n)
            }
        }
    }

    /// [`MemOps::copy_raw`] done the way `policy` says.
    ///
    /// # Safety
    /// As [`MemOps::copy_raw`].
    pub unsafe fn copy_raw_with(self, policy: CopyPolicy, dst: *mut u8, src: *const u8, n: usize) {
        // SAFETY: forwarded caller contract; the backend is available.
        unsafe {
            match policy {
                CopyPolicy::InlineSmall if n <= algo::SMALL => algo::small_move(dst, src, n),
                CopyPolicy::NonTemporalLarge => (self.table.copy_nt)(dst, src, n),
                CopyPolicy::NonTemporal => (self.table.copy_stream)(dst, src, n),
                _ => self.copy_raw(dst, src, n),
            }
        }
    }

    /// memmove over raw pointers.
    ///
    /// # Safety
    /// `src..src + n` readable, `dst..dst + n` writable; they may overlap.
    pub unsafe fn move_raw(self, dst: *mut u8, src: *const u8, n: usize) {
        // SAFETY: forwarded caller contract; the backend is available.
        unsafe {
            if self.in_glibc(Op::Move, n) {
                glibc::move_(dst, src, n)
            } else {
                (self.table.move_)(dst, src, n)
            }
        }
    }

    /// memset over raw pointers.
    ///
    /// # Safety
    /// `dst..dst + n` writable.
    pub unsafe fn set_raw(self, dst: *mut u8, value: u8, n: usize) {
        // SAFETY: forwarded caller contract; the backend is available.
        unsafe {
            if self.in_glibc(Op::Set, n) {
                glibc::set(dst, value, n)
            } else if self.erms_set(n) {
                rep::set(dst, value, n)
            } else if self.streams_set(n) {
                (self.table.set_stream)(dst, value, n)
            } else {
                (self.table.set)(dst, value, n)
            }
        }
    }

    /// memcmp over raw pointers.
    ///
    /// # Safety
    /// `a..a + n` and `b..b + n` readable.
    pub unsafe fn compare_raw(self, a: *const u8, b: *const u8, n: usize) -> Ordering {
        // SAFETY: forwarded caller contract; the backend is available.
        unsafe {
            if self.in_glibc(Op::Compare, n) {
                glibc::compare(a, b, n)
            } else {
                (self.table.compare)(a, b, n)
            }
        }
    }

    /// memchr over raw pointers.
    ///
    /// # Safety
    /// `p..p + n` readable.
    pub unsafe fn find_byte_raw(self, p: *const u8, byte: u8, n: usize) -> Option<usize> {
        if self.in_glibc(Op::FindByte, n) {
            // SAFETY: forwarded caller contract.
            return unsafe { glibc::find(p, byte, n) };
        }
        // SAFETY: forwarded caller contract; the backend is available.
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

/// [`MemOps::copy`] with the default backend ([`MemOps::auto`]).
///
/// ```
/// let mut dst = [0u8; 2];
/// arsenal_memops::copy(&mut dst, b"hi")?;
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
pub fn copy(dst: &mut [u8], src: &[u8]) -> Result<(), Error> {
    MemOps::auto().copy(dst, src)
}

/// [`MemOps::copy_with`] with the default backend ([`MemOps::auto`]).
///
/// ```
/// let mut dst = [0u8; 2];
/// arsenal_memops::copy_with(arsenal_memops::CopyPolicy::InlineSmall, &mut dst, b"hi")?;
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
pub fn copy_with(policy: CopyPolicy, dst: &mut [u8], src: &[u8]) -> Result<(), Error> {
    MemOps::auto().copy_with(policy, dst, src)
}

/// [`MemOps::copy_with`]`(CopyPolicy::NonTemporalLarge, ..)` with the default backend: streaming
/// stores for copies of at least [`NT_THRESHOLD`] bytes.
///
/// ```
/// let mut dst = [0u8; 2];
/// arsenal_memops::copy_nt(&mut dst, b"hi")?;
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
pub fn copy_nt(dst: &mut [u8], src: &[u8]) -> Result<(), Error> {
    MemOps::auto().copy_with(CopyPolicy::NonTemporalLarge, dst, src)
}

/// [`MemOps::move_within`] with the default backend ([`MemOps::auto`]).
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

/// [`MemOps::set`] with the default backend ([`MemOps::auto`]).
///
/// ```
/// let mut buf = [1u8; 5];
/// arsenal_memops::set(&mut buf, 0);
/// assert_eq!(buf, [0; 5]);
/// ```
pub fn set(dst: &mut [u8], value: u8) {
    MemOps::auto().set(dst, value)
}

/// [`MemOps::compare`] with the default backend ([`MemOps::auto`]).
///
/// ```
/// assert!(arsenal_memops::compare(b"b", b"a").is_gt());
/// ```
pub fn compare(a: &[u8], b: &[u8]) -> Ordering {
    MemOps::auto().compare(a, b)
}

/// [`MemOps::find_byte`] with the default backend ([`MemOps::auto`]).
///
/// ```
/// assert_eq!(arsenal_memops::find_byte(b"xyz", b'q'), None);
/// ```
pub fn find_byte(haystack: &[u8], byte: u8) -> Option<usize> {
    MemOps::auto().find_byte(haystack, byte)
}

/// [`MemOps::strlen`] with the default backend ([`MemOps::auto`]).
///
/// ```
/// assert_eq!(arsenal_memops::strlen(b"ab\0")?, 2);
/// # Ok::<(), arsenal_memops::Error>(())
/// ```
pub fn strlen(bytes: &[u8]) -> Result<usize, Error> {
    // Every backend's route sends searches shorter than GLIBC_SEARCH_BELOW to glibc: a
    // NUL-terminated slice that short goes to glibc's strlen without reading the routes.
    if GLIBC && bytes.len() < GLIBC_SEARCH_BELOW && bytes.last() == Some(&0) {
        // SAFETY: the slice ends with a NUL, so strlen stops inside it.
        return Ok(unsafe { glibc::strlen(bytes.as_ptr()) });
    }
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
    fn auto_routes_agree_with_std() {
        let auto = MemOps::auto();
        for n in [
            0, 1, 15, 16, 17, 31, 32, 33, 255, 256, 4095, 4096, 4097, 70_000,
        ] {
            let mut hay = pattern(n, 3);
            hay.iter_mut().for_each(|b| *b |= 1);
            assert_eq!(auto.find_byte(&hay, 0), None, "{n}");
            for at in [0, n / 2, n.saturating_sub(1)] {
                if at < n {
                    hay[at] = 0;
                    assert_eq!(auto.find_byte(&hay, 0), Some(at), "{n} {at}");
                    assert_eq!(auto.strlen(&hay), Ok(at), "{n} {at}");
                    hay[at] = 1;
                }
            }
            let a = pattern(n, 5);
            let mut b = a.clone();
            assert_eq!(auto.compare(&a, &b), Ordering::Equal);
            if let Some(last) = b.last_mut() {
                *last ^= 0x80;
                assert_eq!(auto.compare(&a, &b), a.cmp(&b), "{n}");
            }
        }
    }

    #[test]
    fn short_searches_go_to_glibc_with_every_backend() {
        // The free `strlen` takes this for granted.
        for &backend in Backend::ALL {
            let (from, to) = glibc_range(backend, Op::FindByte);
            if GLIBC {
                assert!(from == 0 && to >= GLIBC_SEARCH_BELOW, "{backend}");
            }
        }
        if GLIBC {
            let auto = MemOps::auto();
            assert_eq!(
                auto.route(Op::FindByte, GLIBC_SEARCH_BELOW - 1),
                Route::Glibc
            );
        }
        assert_eq!(strlen(b"ab\0"), Ok(2));
        assert_eq!(strlen(b"ab\0c\0"), Ok(2));
        assert!(strlen(b"abc").is_err());
        assert!(strlen(b"").is_err());
    }

    #[test]
    #[cfg_attr(miri, ignore = "copies MiBs")]
    fn auto_large_copies_and_fills_touch_exactly_their_bytes() {
        // Around the `rep movsb` / `rep stosb` thresholds (where the CPU uses them) and
        // the glibc ones, at odd offsets, with a guard byte on each side.
        let auto = MemOps::auto();
        for n in [
            4095,
            4096,
            (32 << 10) - 1,
            32 << 10,
            (32 << 10) + 1,
            70_001,
            (1 << 20) - 1,
            1 << 20,
            (1 << 20) + 3,
        ] {
            for offset in [0, 1, 7, 63] {
                let src = pattern(n + offset + 1, 9);
                let mut dst = vec![0xEEu8; n + offset + 1];
                auto.copy(&mut dst[offset..offset + n], &src[offset..offset + n])
                    .unwrap();
                assert_eq!(
                    &dst[offset..offset + n],
                    &src[offset..offset + n],
                    "{n} {offset}"
                );
                assert!(dst[..offset].iter().all(|&b| b == 0xEE), "{n} {offset}");
                assert_eq!(dst[offset + n], 0xEE, "{n} {offset}");
                auto.set(&mut dst[offset..offset + n], 0x3C);
                assert!(
                    dst[offset..offset + n].iter().all(|&b| b == 0x3C),
                    "{n} {offset}"
                );
                assert!(dst[..offset].iter().all(|&b| b == 0xEE), "{n} {offset}");
                assert_eq!(dst[offset + n], 0xEE, "{n} {offset}");
            }
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "fills tens of MiB")]
    fn auto_streaming_set_fills_every_byte() {
        let n = set_stream_threshold() + 100;
        let auto = MemOps::auto();
        let route = auto.route(Op::Set, n);
        assert!(
            route == Route::Streaming(auto.backend()) || route == Route::Erms,
            "{route:?}"
        );
        let mut buf = vec![0u8; n + 2];
        auto.set(&mut buf[1..=n], 0xA5);
        assert_eq!((buf[0], buf[n + 1]), (0, 0), "wrote outside the slice");
        assert!(buf[1..=n].iter().all(|&b| b == 0xA5));
        for backend in Backend::available() {
            let mut small = vec![0u8; 1000];
            // SAFETY: `small` holds 1000 writable bytes.
            unsafe { (backend.table().set_stream)(small.as_mut_ptr().add(3), 7, 990) };
            assert!(small[3..993].iter().all(|&b| b == 7), "{backend}");
            assert!(
                small[..3].iter().chain(&small[993..]).all(|&b| b == 0),
                "{backend}"
            );
        }
    }

    #[test]
    fn every_available_backend_agrees_with_std() {
        let sizes = [
            0, 1, 2, 3, 5, 8, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 200, 300,
        ];
        for v in Backend::available() {
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

    #[test]
    fn all_lists_every_backend_in_declaration_order() {
        assert_eq!(
            Backend::ALL,
            [
                Backend::Scalar,
                Backend::Sse2,
                Backend::Avx2,
                Backend::Avx512
            ]
        );
        assert_eq!(Backend::NAMES, ["scalar", "sse2", "avx2", "avx512"]);
        for (backend, name) in Backend::ALL.iter().zip(Backend::NAMES) {
            assert_eq!(backend.name(), *name);
            assert_eq!(backend.to_string(), *name);
        }
    }

    #[test]
    fn available_is_a_nonempty_subset_of_all_widest_first() {
        let available = Backend::available();
        assert!(available.contains(&Backend::Scalar));
        assert!(available.windows(2).all(|w| w[0] > w[1]), "{available:?}");
        assert_eq!(MemOps::auto().backend(), available[0]);
        assert_eq!(MemOps::default().backend(), available[0]);
        for backend in Backend::ALL {
            assert_eq!(backend.is_available(), available.contains(backend));
            match MemOps::new(*backend) {
                Ok(ops) => assert_eq!(ops.backend(), *backend),
                Err(e) => {
                    assert_eq!(e, Error::Unsupported(*backend));
                    assert!(!backend.is_available());
                }
            }
        }
    }

    /// The selection shape every domain crate shares: names, parsing, `available()`,
    /// strategies and evidence (`arsenal_core::select::check_shape`).
    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    #[test]
    fn every_strategy_picks_an_available_backend_with_evidence() {
        let available = Backend::available();
        for strategy in Strategy::ALL {
            let backend = Backend::for_strategy(strategy);
            assert!(available.contains(&backend), "{strategy}: {backend}");
            let evidence = <Backend as Select>::evidence(strategy);
            if strategy == Strategy::Balanced {
                assert_eq!(evidence, None);
            } else {
                let row = evidence.unwrap_or_else(|| panic!("{strategy} has no evidence"));
                assert!(
                    row.starts_with("mem/") && row.split('/').count() == 3,
                    "{row}"
                );
            }
        }
        assert_eq!(
            Backend::for_strategy(Strategy::MaximalSpeed),
            Backend::widest_for(arsenal_core::cpu::features())
        );
    }

    #[test]
    fn maximal_speed_follows_the_cpu_features() {
        let none = CpuFeatures::default();
        assert_eq!(Backend::widest_for(&none), Backend::Scalar);
        if cfg!(all(target_arch = "x86_64", not(miri))) {
            let sse2 = CpuFeatures { sse2: true, ..none };
            let avx2 = CpuFeatures { avx2: true, ..sse2 };
            let avx512f_only = CpuFeatures {
                avx512f: true,
                ..avx2
            };
            let avx512 = CpuFeatures {
                avx512bw: true,
                ..avx512f_only
            };
            assert_eq!(Backend::widest_for(&sse2), Backend::Sse2);
            assert_eq!(Backend::widest_for(&avx2), Backend::Avx2);
            assert_eq!(Backend::widest_for(&avx512f_only), Backend::Avx2);
            assert_eq!(Backend::widest_for(&avx512), Backend::Avx512);
        }
    }

    #[test]
    fn every_available_backend_copies_with_every_policy() {
        let src = pattern(300, 1);
        for backend in Backend::available() {
            let ops = backend.ops().unwrap();
            for policy in CopyPolicy::ALL {
                for n in [0, 7, 64, 65, 300] {
                    let mut dst = vec![0u8; n];
                    ops.copy_with(policy, &mut dst, &src[..n]).unwrap();
                    assert_eq!(dst, src[..n], "{backend} {policy:?} {n}");
                }
            }
        }
        for strategy in Strategy::ALL {
            let mut dst = [0u8; 3];
            copy_with(CopyPolicy::for_strategy(strategy), &mut dst, b"abc").unwrap();
            assert_eq!(&dst, b"abc");
        }
    }
}
