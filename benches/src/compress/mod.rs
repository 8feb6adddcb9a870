//! Compression rows of the matrix, lzbench-style:
//! `compress/<compress|decompress>/<file>/<impl>[/level]` on every file of the Snappy
//! benchmark corpus (`compression/snappy-testdata`) plus `all`, their concatenation
//! (generated stand-ins when the corpus is absent: `gen-text`, `gen-html`, ...).
//!
//! | impl | what one iteration does |
//! |---|---|
//! | `arsenal:<lib>/<level>` | the `arsenal-compress` codec (`Compress::compress_append` / `Decompress::decompress_uninit` into spare capacity, context reused) |
//! | `raw:<lib>/<level>` | the same C library called directly with the same parameters (`raw_<lib>.rs`) |
//! | `peer:lz4_flex`, `peer:snap` | pure-Rust LZ4 block (size-prefixed, as `arsenal:lz4-block`) and raw Snappy |
//! | `peer:ruzstd/<level>` (decompress) | pure-Rust zstd decoder (`FrameDecoder` reused), on the frames of `arsenal:zstd/<level>` |
//! | `peer:miniz_oxide/<l>` | pure-Rust zlib-format deflate, compressor and decompressor state reused (`reset` / `init`) |
//! | `peer:zlib-rs/<l>` | zlib-rs through its zlib C API (`libz-rs-sys`): one `z_stream` per direction, initialised once and reset per call (`deflateReset` / `inflateReset`), as a long-running zlib user keeps it (not `compress2`/`uncompress`, which set a stream up per call); zlib format like the `arsenal:libdeflate`/`arsenal:isal` rows |
//! | `ref:memcpy` | copies the input (lzbench's reference row: a ceiling, not ranked in the summary) |
//!
//! The peers keep their output buffer from one iteration to the next, as ours keep
//! their spare capacity: a buffer is zero-filled once, when it first grows, never per
//! iteration. `peer:lz4_flex` is meant to run as its authors benchmark it for speed
//! (their README: `cargo bench --no-default-features`, i.e. without the `safe-encode` /
//! `safe-decode` features, on its unsafe fast paths). One build has one feature set per
//! crate, so there is one `lz4_flex` row, configured by the `lz4_flex` line of
//! `benches/Cargo.toml`; a workspace-wide build that also compiles the conformance tests
//! (`cargo test --workspace`, whose dev-dependency keeps the default, safe features)
//! unifies the safe features back in, while the benchmark built on its own
//! (`cargo run -p arsenal-bench`) gets exactly this crate's.
//!
//! Unoptimised builds truncate every file to 64 KiB (see `datasets`).
//!
//! `bytes` is the uncompressed size both ways, so MB/s reads as lzbench's. The checksum
//! of a `compress` cell **is the compressed size** (the lzbench tables of
//! [`compression_tables`] derive the ratio from it); a `decompress` cell's checksum
//! fingerprints the output ([`fingerprint`]). Decompress cells compress their input
//! once, on their first (warm-up) call.
//!
//! **Memory rows** (after the timing runs, [`memory_rows`]): `compress/memory/html-1MiB/<impl>`,
//! the working set of a codec at its library's default level ([`MEMORY_COLUMNS`]: the
//! level `Backend::codec()` uses, and the peers at the same level) for one compress and
//! one decompress of 1 MiB of generated HTML ([`arsenal_conformance::compress::gen_html`]):
//! the peak growth of the resident set ([`crate::footprint::peak_resident`]) from before
//! the codec is made until both calls returned, with the input and output buffers
//! allocated and touched beforehand. A peak, not what is left afterwards: snappy and
//! brotli's one-shot calls allocate their working memory inside each call and hold none
//! between calls, zstd, LZ4 frames, libdeflate and ISA-L keep contexts; the peak counts
//! both alike. Page-granular (4 KiB); stack use is not counted.
//!
//! **Verification** (once per cell, before any timing; see [`crate::harness::Case`]):
//! - `compress`: the first iteration's output is decompressed by a reference decoder
//!   (the library's own, called raw; for the peers the C library of their format:
//!   lz4 for `lz4_flex`, snappy for `snap`, libdeflate's zlib decoder for `miniz_oxide`
//!   and `zlib-rs`) and compared byte for byte with the input; an `arsenal:<lib>/<level>`
//!   cell's compressed size must also equal `raw:<lib>/<level>`'s on the same input, and
//!   its frame be the same bytes (same library, same parameters: the `arsenal/raw`
//!   ratio compares the same work).
//! - `decompress`: the checksum must be the input's fingerprint, and the first
//!   iteration's output, then a second decompression into a fresh buffer, are compared
//!   byte for byte with the input.

mod raw_brotli;
mod raw_isal;
mod raw_libdeflate;
mod raw_lz4;
mod raw_snappy;
mod raw_zstd;
mod tables;

pub use tables::compression_tables;

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::peak_resident;
use crate::harness::{Case, Registry};
use crate::report::{MemoryRow, Unit};
use crate::strategy::pick;
use arsenal_compress::backend::{
    brotli::Brotli, isal::Isal, libdeflate::Libdeflate, lz4, snappy::Snappy, zstd::Zstd,
};
use arsenal_compress::{Codec, DeflateFormat};
use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

/// The first part of every cell id of this domain.
const NAME: &str = "compress";

/// The compression domain: lzbench-style tables, MB/s.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "Compression",
    register,
    unit: |_op| Some(Unit::MegabytesPerSecond),
    tables: |results, _machine| compression_tables(results),
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-compress",
        pick: pick::<arsenal_compress::Backend>,
    }),
    reads_data: true,
    ..Domain::EMPTY
};

/// A named input.
type Dataset = (String, Rc<Vec<u8>>);

/// The datasets: every corpus file, then `all`. Unoptimised builds (the bench smoke
/// run of scripts/test) use the first 64 KiB of each file: their numbers mean nothing
/// anyway, and the pure-Rust peers are slow without optimisation.
fn datasets(data: Option<&Path>) -> Vec<Dataset> {
    let limit = if cfg!(debug_assertions) {
        64 << 10
    } else {
        usize::MAX
    };
    with_all(
        arsenal_conformance::compress::corpus(data)
            .into_iter()
            .map(|sample| (sample.name, sample.bytes))
            .collect(),
        limit,
    )
}

/// Truncates every file to `limit` bytes and appends `all`, their concatenation.
fn with_all(files: Vec<(String, Vec<u8>)>, limit: usize) -> Vec<Dataset> {
    let mut out: Vec<Dataset> = files
        .into_iter()
        .map(|(name, mut bytes)| {
            bytes.truncate(limit);
            (name, Rc::new(bytes))
        })
        .collect();
    let all: Vec<u8> = out.iter().flat_map(|(_, b)| b.iter().copied()).collect();
    out.push(("all".to_owned(), Rc::new(all)));
    out
}

/// A cheap fingerprint of decompressed output: its length and 64 sampled 8-byte words.
///
/// ```
/// use arsenal_bench::compress::fingerprint;
///
/// assert_eq!(fingerprint(b"abcdefgh"), fingerprint(b"abcdefgh"));
/// assert_ne!(fingerprint(b"abcdefgh"), fingerprint(b"abcdefgx"));
/// ```
pub fn fingerprint(out: &[u8]) -> u64 {
    let mut h = out.len() as u64;
    if out.len() >= 8 {
        let step = (out.len() / 64).max(1);
        let mut i = 0;
        while i + 8 <= out.len() {
            let w = u64::from_le_bytes(out[i..i + 8].try_into().expect("8 bytes"));
            h = (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
            i += step * 8;
        }
    }
    h
}

/// `Ok` when `got` is `want` byte for byte, else where they first differ.
fn same_bytes(what: &str, got: &[u8], want: &[u8]) -> Result<(), String> {
    if let Some(at) = got.iter().zip(want).position(|(a, b)| a != b) {
        return Err(format!(
            "{what}: byte {at} is {:#04x}, the input's {:#04x}",
            got[at], want[at]
        ));
    }
    if got.len() != want.len() {
        return Err(format!(
            "{what}: {} bytes, the input has {}",
            got.len(),
            want.len()
        ));
    }
    Ok(())
}

/// One implementation of the matrix: compresses into / decompresses from reusable
/// buffers. Errors panic (the harness turns a panic into a FAILED cell).
trait Imp {
    /// Compresses `src` into `dst`; returns the compressed size `n`: the frame is
    /// `dst[..n]` (an implementation may keep `dst` longer between calls, so that it is
    /// not re-initialised every call).
    fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize;
    /// Decompresses `src` into `dst`, whose capacity is at least `original`; returns the
    /// decompressed size `n`: the output is `dst[..n]`.
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize;
}

/// `dst` as a slice of `len` bytes, its contents from earlier calls left in place: it is
/// zero-filled only where it grows (once per buffer, not per iteration).
fn reuse(dst: &mut Vec<u8>, len: usize) -> &mut [u8] {
    if dst.len() < len {
        dst.resize(len, 0);
    }
    &mut dst[..len]
}

/// An `arsenal-compress` codec.
struct Arsenal<C: Codec>(C);

impl<C: Codec> Imp for Arsenal<C> {
    fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        self.0.compress_append(src, dst).expect("arsenal compress")
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        dst.clear();
        let n = self
            .0
            .decompress_uninit(src, &mut dst.spare_capacity_mut()[..original])
            .expect("arsenal decompress");
        // SAFETY: `decompress_uninit` initialised the first `n` bytes of the spare capacity.
        unsafe { dst.set_len(n) };
        n
    }
}

macro_rules! raw_imp {
    ($ty:ty) => {
        impl Imp for $ty {
            fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
                <$ty>::compress(self, src, dst)
            }
            fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, _original: usize) -> usize {
                <$ty>::decompress(self, src, dst)
            }
        }
    };
}
raw_imp!(raw_zstd::Raw);
raw_imp!(raw_lz4::Raw);
raw_imp!(raw_lz4::RawBlock);
raw_imp!(raw_snappy::Raw);
raw_imp!(raw_brotli::Raw);
raw_imp!(raw_libdeflate::Raw);
raw_imp!(raw_isal::Raw);

/// `lz4_flex`'s block format with our 4-byte little-endian size prefix.
struct Lz4Flex;
impl Imp for Lz4Flex {
    fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        let out = reuse(dst, 4 + lz4_flex::block::get_maximum_output_size(src.len()));
        out[..4].copy_from_slice(&(src.len() as u32).to_le_bytes());
        4 + lz4_flex::block::compress_into(src, &mut out[4..]).expect("lz4_flex compress")
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        lz4_flex::block::decompress_into(&src[4..], reuse(dst, original))
            .expect("lz4_flex decompress")
    }
}

/// `snap`'s raw Snappy format.
struct Snap(snap::raw::Encoder, snap::raw::Decoder);
impl Imp for Snap {
    fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        let out = reuse(dst, snap::raw::max_compress_len(src.len()));
        self.0.compress(src, out).expect("snap compress")
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        self.1
            .decompress(src, reuse(dst, original))
            .expect("snap decompress")
    }
}

/// `ruzstd` (decompression only; input from `arsenal:zstd`).
struct Ruzstd(ruzstd::decoding::FrameDecoder);
impl Imp for Ruzstd {
    fn compress(&mut self, _src: &[u8], _dst: &mut Vec<u8>) -> usize {
        unreachable!("ruzstd rows only decompress")
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        self.0
            .decode_all(src, reuse(dst, original))
            .expect("ruzstd decompress")
    }
}

/// `miniz_oxide`, zlib format.
struct Miniz {
    c: Box<miniz_oxide::deflate::core::CompressorOxide>,
    d: Box<miniz_oxide::inflate::core::DecompressorOxide>,
}
impl Miniz {
    fn new(level: u8) -> Miniz {
        let mut c = Box::<miniz_oxide::deflate::core::CompressorOxide>::default();
        c.set_format_and_level(miniz_oxide::DataFormat::Zlib, level);
        Miniz {
            c,
            d: Box::default(),
        }
    }
}
impl Imp for Miniz {
    fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        use miniz_oxide::deflate::core::{compress, TDEFLFlush, TDEFLStatus};
        self.c.reset();
        // Stored blocks in the worst case, plus the zlib header and trailer.
        let bound = src.len() + src.len() / 1000 + 64 + 5 * (src.len() / 16384 + 1);
        let (status, _, n) = compress(&mut self.c, src, reuse(dst, bound), TDEFLFlush::Finish);
        assert_eq!(status, TDEFLStatus::Done, "miniz_oxide compress");
        n
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        use miniz_oxide::inflate::core::{decompress, inflate_flags as f};
        use miniz_oxide::inflate::TINFLStatus;
        self.d.init();
        let flags = f::TINFL_FLAG_PARSE_ZLIB_HEADER | f::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let (status, _, n) = decompress(&mut self.d, src, reuse(dst, original), 0, flags);
        assert_eq!(status, TINFLStatus::Done, "miniz_oxide decompress");
        n
    }
}

/// zlib-rs through its zlib-compatible C API (`libz-rs-sys`), zlib format: one deflate
/// and one inflate `z_stream`, initialised once and reset per call (boxed: zlib's state
/// points back at its stream, which must not move).
struct ZlibRs {
    deflate: Box<libz_rs_sys::z_stream>,
    inflate: Box<libz_rs_sys::z_stream>,
}

impl ZlibRs {
    fn new(level: i32) -> ZlibRs {
        use libz_rs_sys as z;
        let mut deflate = Box::<z::z_stream>::default();
        let mut inflate = Box::<z::z_stream>::default();
        let size = std::mem::size_of::<z::z_stream>() as i32;
        // SAFETY: both streams are default-initialised (null allocator functions: zlib-rs
        // installs its own), boxed so they never move; `zlibVersion` is a C string.
        let (d, i) = unsafe {
            (
                z::deflateInit_(&mut *deflate, level, z::zlibVersion(), size),
                z::inflateInit_(&mut *inflate, z::zlibVersion(), size),
            )
        };
        assert_eq!(
            (d, i),
            (z::Z_OK, z::Z_OK),
            "zlib-rs deflateInit/inflateInit"
        );
        ZlibRs { deflate, inflate }
    }
}

impl Imp for ZlibRs {
    fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        use libz_rs_sys as z;
        let s: &mut z::z_stream = &mut self.deflate;
        // SAFETY: the stream was initialised in `new` and has not moved.
        let bound = unsafe { z::deflateBound(s, src.len() as _) } as usize;
        dst.clear();
        dst.reserve(bound);
        s.next_in = src.as_ptr();
        s.avail_in = u32::try_from(src.len()).expect("input < 4 GiB");
        s.next_out = dst.as_mut_ptr();
        s.avail_out = u32::try_from(bound).expect("output < 4 GiB");
        // SAFETY: input readable for `avail_in` bytes, output writable for `avail_out`
        // (spare capacity of `dst`); the stream is live.
        let (reset, rc) = unsafe { (z::deflateReset(s), z::deflate(s, z::Z_FINISH)) };
        assert_eq!(
            (reset, rc),
            (z::Z_OK, z::Z_STREAM_END),
            "zlib-rs deflateReset/deflate"
        );
        let n = bound - s.avail_out as usize;
        // SAFETY: deflate initialised the first `n` ≤ `bound` bytes.
        unsafe { dst.set_len(n) };
        n
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        use libz_rs_sys as z;
        dst.clear();
        let s: &mut z::z_stream = &mut self.inflate;
        s.next_in = src.as_ptr();
        s.avail_in = u32::try_from(src.len()).expect("input < 4 GiB");
        s.next_out = dst.as_mut_ptr();
        s.avail_out = u32::try_from(original).expect("output < 4 GiB");
        // SAFETY: input readable for `avail_in` bytes, output writable for `avail_out`
        // (`dst` has capacity for `original` bytes: the caller's contract).
        let (reset, rc) = unsafe { (z::inflateReset(s), z::inflate(s, z::Z_FINISH)) };
        assert_eq!(
            (reset, rc),
            (z::Z_OK, z::Z_STREAM_END),
            "zlib-rs inflateReset/inflate"
        );
        let n = original - s.avail_out as usize;
        // SAFETY: inflate initialised the first `n` ≤ `original` bytes.
        unsafe { dst.set_len(n) };
        n
    }
}

impl Drop for ZlibRs {
    fn drop(&mut self) {
        // SAFETY: both streams were initialised in `new` and are ended once.
        unsafe {
            libz_rs_sys::deflateEnd(&mut *self.deflate);
            libz_rs_sys::inflateEnd(&mut *self.inflate);
        }
    }
}

/// lzbench's reference row: a copy.
struct Memcpy;
impl Imp for Memcpy {
    fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        dst.extend_from_slice(src);
        dst.len()
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, _original: usize) -> usize {
        dst.clear();
        dst.extend_from_slice(src);
        dst.len()
    }
}

type MakeImp = Rc<dyn Fn() -> Box<dyn Imp>>;

/// One column: name, how to build it, which decoder verifies its compressed output,
/// which column's compressed size it must match, and which implementation's frames its
/// decompress rows read (`None`: its own).
struct Column {
    imp: String,
    make: MakeImp,
    /// Decodes this column's compressed output for the round-trip check (the library
    /// called raw, or for a peer the C library of its format).
    decoder: MakeImp,
    /// `(raw column name, its constructor)`: for `arsenal:` columns, whose compressed
    /// output must equal the raw library's (same size, same bytes).
    same_frame_as: Option<(String, MakeImp)>,
    frames_from: Option<MakeImp>,
    compress: bool,
}

fn make(f: impl Fn() -> Box<dyn Imp> + 'static) -> MakeImp {
    Rc::new(f)
}

/// A column compressing with `imp` whose output `decoder` must decode.
fn col(imp: impl Into<String>, make_imp: MakeImp, decoder: &MakeImp) -> Column {
    Column {
        imp: imp.into(),
        make: make_imp,
        decoder: Rc::clone(decoder),
        same_frame_as: None,
        frames_from: None,
        compress: true,
    }
}

/// The `arsenal:<lib>/<level>` and `raw:<lib>/<level>` columns of one library and level
/// (`name` is `<lib>/<level>` or `<lib>`): both round-trip through the raw library, and
/// the arsenal column must produce the raw column's frame (size, then bytes).
fn pair(v: &mut Vec<Column>, name: &str, arsenal: MakeImp, raw: MakeImp) {
    let raw_name = format!("raw:{name}");
    v.push(Column {
        same_frame_as: Some((raw_name.clone(), Rc::clone(&raw))),
        ..col(format!("arsenal:{name}"), arsenal, &raw)
    });
    v.push(col(raw_name, Rc::clone(&raw), &raw));
}

fn columns() -> Vec<Column> {
    let mut v = Vec::new();
    for level in [1, 3, 9] {
        let zstd = make(move || Box::new(Arsenal(Zstd::with_level(level).expect("zstd level"))));
        pair(
            &mut v,
            &format!("zstd/{level}"),
            Rc::clone(&zstd),
            make(move || Box::new(raw_zstd::Raw::new(level))),
        );
        v.push(Column {
            frames_from: Some(zstd),
            compress: false,
            ..col(
                format!("peer:ruzstd/{level}"),
                make(|| Box::new(Ruzstd(ruzstd::decoding::FrameDecoder::new()))),
                &make(move || Box::new(raw_zstd::Raw::new(level))),
            )
        });
    }
    pair(
        &mut v,
        "lz4/0",
        make(|| Box::new(Arsenal(lz4::Lz4::with_level(0).expect("lz4 level")))),
        make(|| Box::new(raw_lz4::Raw::new(0))),
    );
    for level in [1, 9] {
        pair(
            &mut v,
            &format!("lz4-block/{level}"),
            make(move || {
                Box::new(Arsenal(
                    lz4::Lz4Block::with_level(level).expect("lz4 level"),
                ))
            }),
            make(move || Box::new(raw_lz4::RawBlock::new(level))),
        );
    }
    let lz4_block = make(|| Box::new(raw_lz4::RawBlock::new(1)));
    v.push(col("peer:lz4_flex", make(|| Box::new(Lz4Flex)), &lz4_block));
    let snappy = make(|| Box::new(raw_snappy::Raw::new(0)));
    pair(
        &mut v,
        "snappy",
        make(|| Box::new(Arsenal(Snappy::default()))),
        Rc::clone(&snappy),
    );
    v.push(col(
        "peer:snap",
        make(|| Box::new(Snap(snap::raw::Encoder::new(), snap::raw::Decoder::new()))),
        &snappy,
    ));
    for level in [1, 6] {
        pair(
            &mut v,
            &format!("brotli/{level}"),
            make(move || Box::new(Arsenal(Brotli::with_level(level).expect("brotli level")))),
            make(move || Box::new(raw_brotli::Raw::new(level))),
        );
    }
    for level in [1, 6] {
        let libdeflate = make(move || Box::new(raw_libdeflate::Raw::new(level)));
        pair(
            &mut v,
            &format!("libdeflate/{level}"),
            make(move || {
                Box::new(Arsenal(
                    Libdeflate::new(DeflateFormat::Zlib, level).expect("libdeflate level"),
                ))
            }),
            Rc::clone(&libdeflate),
        );
        v.push(col(
            format!("peer:miniz_oxide/{level}"),
            make(move || Box::new(Miniz::new(level as u8))),
            &libdeflate,
        ));
        v.push(col(
            format!("peer:zlib-rs/{level}"),
            make(move || Box::new(ZlibRs::new(level))),
            &libdeflate,
        ));
    }
    for level in [1, 3] {
        pair(
            &mut v,
            &format!("isal/{level}"),
            make(move || {
                Box::new(Arsenal(
                    Isal::new(DeflateFormat::Zlib, level).expect("isal level"),
                ))
            }),
            make(move || Box::new(raw_isal::Raw::new(level))),
        );
    }
    let memcpy = make(|| Box::new(Memcpy));
    v.push(col("ref:memcpy", Rc::clone(&memcpy), &memcpy));
    v
}

/// The columns of the memory rows: every library at its default level (zstd 3, LZ4
/// frames 0, LZ4 block 1, brotli 6, libdeflate 6, ISA-L 1, snappy), and the peers at the
/// level of the format's library (`ruzstd/3` decodes `arsenal:zstd/3`'s frames).
pub const MEMORY_COLUMNS: [&str; 19] = [
    "arsenal:zstd/3",
    "raw:zstd/3",
    "peer:ruzstd/3",
    "arsenal:lz4/0",
    "raw:lz4/0",
    "arsenal:lz4-block/1",
    "raw:lz4-block/1",
    "peer:lz4_flex",
    "arsenal:snappy",
    "raw:snappy",
    "peer:snap",
    "arsenal:brotli/6",
    "raw:brotli/6",
    "arsenal:libdeflate/6",
    "raw:libdeflate/6",
    "peer:miniz_oxide/6",
    "peer:zlib-rs/6",
    "arsenal:isal/1",
    "raw:isal/1",
];

/// The input of the memory rows: its size, and the dataset name.
const MEMORY_INPUT: (usize, &str) = (1 << 20, "html-1MiB");

/// Measurements per column; the row keeps their median.
const MEMORY_REPEATS: usize = 3;

/// Peak resident growth of one codec made by `column` compressing `input` and
/// decompressing the frame (its own, or `frames_from`'s); `None` when the round trip is
/// wrong or the resident set cannot be read.
fn working_set(column: &Column, input: &[u8]) -> Option<usize> {
    let frame = match &column.frames_from {
        Some(other) => {
            let mut frame = Vec::new();
            let n = other().compress(input, &mut frame);
            frame.truncate(n);
            Some(frame)
        }
        None => None,
    };
    // Room for any codec's bound, touched now so that the peak counts no buffer page.
    let touched = |capacity: usize| {
        let mut buffer = vec![1u8; capacity];
        buffer.clear();
        buffer
    };
    let mut packed = touched(input.len() + input.len() / 2 + (64 << 10));
    let mut back = touched(input.len() + (64 << 10));
    let (_, bytes) = peak_resident(|| {
        let mut imp = (column.make)();
        let src: &[u8] = match &frame {
            Some(frame) => frame,
            None => {
                let n = imp.compress(input, &mut packed);
                &packed[..n]
            }
        };
        let m = imp.decompress(src, &mut back, input.len());
        (back.get(..m) == Some(input)).then_some(imp)
    })?;
    Some(bytes)
}

/// The `compress/memory/html-1MiB` rows (see the module docs; measured after the timing
/// runs, with no other thread running).
pub fn memory_rows() -> Vec<MemoryRow> {
    let (len, dataset) = MEMORY_INPUT;
    let input = arsenal_conformance::compress::gen_html(11, len);
    let columns = columns();
    let what = format!(
        "codec (compressor + decompressor) through one compress and one decompress of {} \
         MiB of generated HTML at its library's default level: peak resident-set growth \
         (VmHWM after clear_refs, free heap trimmed first) from before the codec is made \
         to after both calls, buffers touched beforehand; median of {MEMORY_REPEATS}",
        len >> 20
    );
    MEMORY_COLUMNS
        .iter()
        .map(|&imp| {
            let bytes = columns.iter().find(|c| c.imp == imp).and_then(|column| {
                let mut runs: Vec<usize> = (0..MEMORY_REPEATS)
                    .map(|_| working_set(column, &input))
                    .collect::<Option<_>>()?;
                runs.sort_unstable();
                Some(runs[runs.len() / 2] as f64)
            });
            MemoryRow {
                domain: NAME.to_owned(),
                dataset: dataset.to_owned(),
                what: what.clone(),
                imp: imp.to_owned(),
                items: 1,
                bytes_per_item: bytes,
            }
        })
        .collect()
}

/// Registers every `compress/*` cell, on the corpus under `data` (else generated
/// stand-ins).
pub fn register(reg: &mut Registry, data: Option<&Path>) {
    register_datasets(reg, &datasets(data));
}

/// A compress cell's state, built on its first call: the implementation, its output
/// buffer and the last compressed size.
type CompressState = Option<(Box<dyn Imp>, Vec<u8>, usize)>;

/// A decompress cell's state, built on its first call: the implementation, the frame it
/// reads, its output buffer and the last decompressed size.
type DecompressState = Option<(Box<dyn Imp>, Vec<u8>, Vec<u8>, usize)>;

/// Registers every cell on `sets`.
fn register_datasets(reg: &mut Registry, sets: &[Dataset]) {
    let cols = columns();
    for (name, input) in sets {
        for c in cols.iter().filter(|c| c.compress) {
            reg.add(compress_case(name, input, c));
        }
    }
    for (name, input) in sets {
        for c in &cols {
            reg.add(decompress_case(name, input, c));
        }
    }
}

fn compress_case(name: &str, input: &Rc<Vec<u8>>, c: &Column) -> Case {
    let state: Rc<RefCell<CompressState>> = Rc::default();
    let run = {
        let (state, input, make) = (Rc::clone(&state), Rc::clone(input), Rc::clone(&c.make));
        move || {
            let mut state = state.borrow_mut();
            let (imp, out, n) = state.get_or_insert_with(|| {
                (
                    make(),
                    Vec::with_capacity(input.len() + (input.len() >> 3) + 4096),
                    0,
                )
            });
            *n = imp.compress(&input, out);
            *n as u64
        }
    };
    let (input_for_check, decoder) = (Rc::clone(input), Rc::clone(&c.decoder));
    let same_frame_as = c.same_frame_as.clone();
    let check = move || {
        let input = &input_for_check;
        let state = state.borrow();
        let (_, out, n) = state.as_ref().ok_or("no iteration ran")?;
        let frame = &out[..*n];
        let mut back = Vec::with_capacity(input.len());
        let m = decoder().decompress(frame, &mut back, input.len());
        same_bytes(
            "round trip through the reference decoder",
            &back[..m],
            input,
        )?;
        if let Some((raw_name, raw)) = &same_frame_as {
            let mut raw_out = Vec::new();
            let raw_n = raw().compress(input, &mut raw_out);
            if raw_n != *n {
                return Err(format!(
                    "compressed size {n} differs from {raw_name}'s {raw_n} (same library and level)"
                ));
            }
            if let Some(at) = frame.iter().zip(&raw_out).position(|(a, b)| a != b) {
                return Err(format!(
                    "the frame differs from {raw_name}'s at byte {at} (same size {n}): \
                     not the same parameters"
                ));
            }
        }
        Ok(())
    };
    Case::new(
        NAME,
        "compress",
        name,
        c.imp.as_str(),
        input.len() as u64,
        1,
        run,
    )
    .verify(check)
}

fn decompress_case(name: &str, input: &Rc<Vec<u8>>, c: &Column) -> Case {
    let state: Rc<RefCell<DecompressState>> = Rc::default();
    let run = {
        let (state, input, make) = (Rc::clone(&state), Rc::clone(input), Rc::clone(&c.make));
        let frames_from = c.frames_from.clone();
        move || {
            let mut state = state.borrow_mut();
            let (imp, frame, out, n) = state.get_or_insert_with(|| {
                let mut imp = make();
                let mut frame = Vec::new();
                let size = match &frames_from {
                    Some(other) => other().compress(&input, &mut frame),
                    None => imp.compress(&input, &mut frame),
                };
                frame.truncate(size);
                (imp, frame, Vec::with_capacity(input.len()), 0)
            });
            *n = imp.decompress(frame, out, input.len());
            fingerprint(&out[..*n])
        }
    };
    let input_for_check = Rc::clone(input);
    let check = move || {
        let input = &input_for_check;
        let mut state = state.borrow_mut();
        let (imp, frame, out, n) = state.as_mut().ok_or("no iteration ran")?;
        same_bytes("first iteration's output", &out[..*n], input)?;
        let mut fresh = Vec::with_capacity(input.len());
        let m = imp.decompress(frame, &mut fresh, input.len());
        same_bytes("output in a fresh buffer", &fresh[..m], input)
    };
    Case::new(
        NAME,
        "decompress",
        name,
        c.imp.as_str(),
        input.len() as u64,
        1,
        run,
    )
    .expect(fingerprint(input))
    .verify(check)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{verify_cases, Progress, Status};

    /// Small generated datasets: every file of the generated corpus, cut to 8 KiB.
    fn small_sets() -> Vec<Dataset> {
        with_all(
            arsenal_conformance::compress::generated_corpus()
                .into_iter()
                .map(|s| (s.name, s.bytes))
                .collect(),
            8 << 10,
        )
    }

    #[test]
    fn every_cell_verifies_on_generated_data() {
        let mut reg = Registry::new();
        register_datasets(&mut reg, &small_sets());
        let rows = verify_cases(reg.into_cases(), &mut Progress::hidden());
        let failed: Vec<_> = rows
            .iter()
            .filter(|r| r.status != Status::Verified)
            .map(|r| format!("{}: {:?}", r.id, r.error))
            .collect();
        assert!(failed.is_empty(), "{failed:#?}");
        // The compressed sizes of one library and level agree; decompress checksums
        // are equal across a row.
        let checksum = |id: &str| rows.iter().find(|r| r.id == id).and_then(|r| r.checksum);
        assert_eq!(
            checksum("compress/compress/all/arsenal:zstd/3"),
            checksum("compress/compress/all/raw:zstd/3")
        );
        assert_eq!(
            checksum("compress/decompress/all/peer:ruzstd/3"),
            checksum("compress/decompress/all/raw:brotli/6")
        );
    }

    #[test]
    fn memory_columns_exist_and_measure() {
        let cols = columns();
        for imp in MEMORY_COLUMNS {
            assert!(cols.iter().any(|c| c.imp == imp), "{imp}");
        }
        // A wrong round trip gives no number.
        let memcpy = make(|| Box::new(Memcpy));
        let mut wrong = col("peer:wrong", make(|| Box::new(Memcpy)), &memcpy);
        wrong.frames_from = Some(make(|| Box::new(raw_zstd::Raw::new(3))));
        assert_eq!(working_set(&wrong, b"zstd frames are not the input"), None);
        let input = arsenal_conformance::compress::gen_html(11, 64 << 10);
        let column = cols.iter().find(|c| c.imp == "arsenal:zstd/3").unwrap();
        assert!(working_set(column, &input).is_some());
    }

    /// A codec whose output is wrong makes its cells FAILED, not timed.
    #[test]
    fn wrong_output_fails_the_cell() {
        /// Memcpy that flips byte 9 of everything it writes (a byte the decompress
        /// checksum's sampled words skip: only the full comparison sees it).
        struct Corrupt;
        impl Imp for Corrupt {
            fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
                let n = Memcpy.compress(src, dst);
                dst[9] ^= 1;
                n
            }
            fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
                Memcpy.decompress(src, dst, original)
            }
        }
        let memcpy = make(|| Box::new(Memcpy));
        let column = col("peer:corrupt", make(|| Box::new(Corrupt)), &memcpy);
        let input = Rc::new(b"some input bytes".repeat(10));
        let rows = verify_cases(
            vec![
                compress_case("x", &input, &column),
                decompress_case("x", &input, &column),
            ],
            &mut Progress::hidden(),
        );
        for row in &rows {
            assert_eq!(row.status, Status::Failed, "{row:?}");
            assert!(row.error.as_deref().unwrap().contains("byte 9 "), "{row:?}");
        }
    }

    /// An arsenal column whose size differs from its raw library's fails.
    #[test]
    fn arsenal_size_must_match_raw() {
        let memcpy = make(|| Box::new(Memcpy));
        let zstd = make(|| Box::new(raw_zstd::Raw::new(3)));
        let mut cols = Vec::new();
        // "arsenal:memcpy" decodes with memcpy but must match zstd's size: it cannot.
        pair(&mut cols, "memcpy", memcpy, zstd);
        cols[0].decoder = make(|| Box::new(Memcpy));
        let input = Rc::new(b"abcabcabc".repeat(100));
        let row = &verify_cases(
            vec![compress_case("x", &input, &cols[0])],
            &mut Progress::hidden(),
        )[0];
        assert_eq!(row.status, Status::Failed);
        assert!(
            row.error.as_deref().unwrap().contains("raw:memcpy's"),
            "{row:?}"
        );
    }
}
