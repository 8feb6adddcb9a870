//! Compression rows of the matrix, lzbench-style:
//! `compress/<compress|decompress>/<file>/<impl>[/level]` on every file of the Snappy
//! benchmark corpus (`compression/snappy-testdata`) plus `all`, their concatenation
//! (generated stand-ins when the corpus is absent).
//!
//! | impl | what one iteration does |
//! |---|---|
//! | `arsenal:<lib>/<level>` | the `arsenal-compress` codec (`Compress::compress_into` / `Decompress::decompress_into`, context reused) |
//! | `raw:<lib>/<level>` | the same C library called directly with the same parameters (`raw_<lib>.rs`) |
//! | `peer:lz4_flex`, `peer:snap` | pure-Rust LZ4 block (size-prefixed, as `arsenal:lz4-block`) and raw Snappy |
//! | `peer:ruzstd` (decompress) | pure-Rust zstd decoder, on the frames of `arsenal:zstd/<level>` |
//! | `peer:miniz_oxide/<l>`, `peer:zlib-rs/<l>` | pure-Rust zlib-format deflate, like `arsenal:libdeflate`/`arsenal:isal` rows (which use the zlib format) |
//! | `peer:memcpy` | copies the input (lzbench's reference row) |
//!
//! Unoptimised builds truncate every file to 64 KiB (see `datasets`).
//!
//! `bytes` is the uncompressed size both ways, so MB/s reads as lzbench's. The checksum
//! of a `compress` cell **is the compressed size** (equal for `arsenal:` and `raw:` of
//! one library and level; the report's lzbench table derives the ratio from it); a
//! `decompress` cell's checksum fingerprints the output (equal across every cell of a
//! row, since all must reproduce the file). Decompress cells compress their input once,
//! on their first (warm-up) call.

mod raw_brotli;
mod raw_isal;
mod raw_libdeflate;
mod raw_lz4;
mod raw_snappy;
mod raw_zstd;

use crate::harness::{Case, Registry};
use arsenal_compress::backend::{
    brotli::Brotli, isal::Isal, libdeflate::Libdeflate, lz4, snappy::Snappy, zstd::Zstd,
};
use arsenal_compress::{Codec, DeflateFormat};
use std::path::Path;
use std::rc::Rc;

const DOMAIN: &str = "compress";

/// The datasets: every corpus file, then `all`. Unoptimised builds (the bench smoke
/// run of scripts/test) use the first 64 KiB of each file: their numbers mean nothing
/// anyway, and the pure-Rust peers are slow without optimisation.
fn datasets(data: Option<&Path>) -> Vec<(String, Rc<Vec<u8>>)> {
    let mut corpus = arsenal_conformance::compress::corpus(data);
    if cfg!(debug_assertions) {
        for s in &mut corpus {
            s.bytes.truncate(64 << 10);
        }
    }
    let all: Vec<u8> = corpus
        .iter()
        .flat_map(|s| s.bytes.iter().copied())
        .collect();
    let mut out: Vec<(String, Rc<Vec<u8>>)> = corpus
        .into_iter()
        .map(|s| (s.name, Rc::new(s.bytes)))
        .collect();
    out.push(("all".to_owned(), Rc::new(all)));
    out
}

/// A cheap fingerprint of decompressed output: its length and 64 sampled 8-byte words.
pub fn fingerprint(out: &[u8]) -> u64 {
    let mut h = out.len() as u64;
    if out.len() >= 8 {
        let step = (out.len() / 64).max(1);
        let mut i = 0;
        while i + 8 <= out.len() {
            let w = u64::from_le_bytes(out[i..i + 8].try_into().unwrap());
            h = (h ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
            i += step * 8;
        }
    }
    h
}

/// One implementation of the matrix: compresses into / decompresses from reusable buffers.
trait Imp {
    /// Compresses `src` into `dst` (cleared first); returns the compressed size.
    fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize;
    /// Decompresses `src` into `dst` (cleared first; capacity ≥ the original size).
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize;
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
        assert_eq!(n, original);
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
        dst.clear();
        dst.resize(4 + lz4_flex::block::get_maximum_output_size(src.len()), 0);
        dst[..4].copy_from_slice(&(src.len() as u32).to_le_bytes());
        let n = lz4_flex::block::compress_into(src, &mut dst[4..]).expect("lz4_flex");
        dst.truncate(4 + n);
        4 + n
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        dst.clear();
        dst.resize(original, 0);
        lz4_flex::block::decompress_into(&src[4..], dst).expect("lz4_flex")
    }
}

/// `snap`'s raw Snappy format.
struct Snap(snap::raw::Encoder, snap::raw::Decoder);
impl Imp for Snap {
    fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        dst.resize(snap::raw::max_compress_len(src.len()), 0);
        let n = self.0.compress(src, dst).expect("snap");
        dst.truncate(n);
        n
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        dst.clear();
        dst.resize(original, 0);
        self.1.decompress(src, dst).expect("snap")
    }
}

/// `ruzstd` (decompression only; input from `arsenal:zstd`).
struct Ruzstd(ruzstd::decoding::FrameDecoder);
impl Imp for Ruzstd {
    fn compress(&mut self, _src: &[u8], _dst: &mut Vec<u8>) -> usize {
        unreachable!("ruzstd rows only decompress")
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        dst.clear();
        dst.resize(original, 0);
        self.0.decode_all(src, dst).expect("ruzstd")
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
        dst.clear();
        dst.resize(
            src.len() + src.len() / 1000 + 64 + 5 * (src.len() / 16384 + 1),
            0,
        );
        let (status, _, out) = compress(&mut self.c, src, dst, TDEFLFlush::Finish);
        assert_eq!(status, TDEFLStatus::Done, "miniz_oxide compress");
        dst.truncate(out);
        out
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        use miniz_oxide::inflate::core::{decompress, inflate_flags as f};
        use miniz_oxide::inflate::TINFLStatus;
        self.d.init();
        dst.clear();
        dst.resize(original, 0);
        let flags = f::TINFL_FLAG_PARSE_ZLIB_HEADER | f::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let (status, _, out) = decompress(&mut self.d, src, dst, 0, flags);
        assert_eq!(status, TINFLStatus::Done, "miniz_oxide decompress");
        out
    }
}

/// zlib-rs through its zlib-compatible C API (`libz-rs-sys`), zlib format.
struct ZlibRs(i32);
impl Imp for ZlibRs {
    fn compress(&mut self, src: &[u8], dst: &mut Vec<u8>) -> usize {
        dst.clear();
        let bound = libz_rs_sys::compressBound(src.len() as _) as usize;
        dst.reserve(bound);
        let mut len = bound as libz_rs_sys::uLongf;
        // SAFETY: `dst` has `bound` bytes of capacity, `src` is a valid slice; zlib's
        // `compress2` writes at most `len` bytes and stores the written size in `len`.
        let rc = unsafe {
            libz_rs_sys::compress2(
                dst.as_mut_ptr(),
                &mut len,
                src.as_ptr(),
                src.len() as _,
                self.0,
            )
        };
        assert_eq!(rc, libz_rs_sys::Z_OK, "zlib-rs compress2");
        // SAFETY: `compress2` initialised `len` (≤ capacity) bytes.
        unsafe { dst.set_len(len as usize) };
        len as usize
    }
    fn decompress(&mut self, src: &[u8], dst: &mut Vec<u8>, original: usize) -> usize {
        dst.clear();
        let mut len = original as libz_rs_sys::uLongf;
        // SAFETY: `dst` has `original` bytes of capacity (the caller's contract); zlib's
        // `uncompress` writes at most `len` bytes and stores the written size in `len`.
        let rc = unsafe {
            libz_rs_sys::uncompress(dst.as_mut_ptr(), &mut len, src.as_ptr(), src.len() as _)
        };
        assert_eq!(rc, libz_rs_sys::Z_OK, "zlib-rs uncompress");
        // SAFETY: `uncompress` initialised `len` bytes.
        unsafe { dst.set_len(len as usize) };
        len as usize
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

/// A decompress cell's state: the implementation, the frame it reads, the output buffer.
type DecompressState = (Box<dyn Imp>, Vec<u8>, Vec<u8>);

/// One column: name, how to build it, and which implementation's frames its decompress
/// rows read (`None`: its own).
struct Column {
    imp: String,
    make: MakeImp,
    frames_from: Option<MakeImp>,
    compress: bool,
}

fn col(imp: impl Into<String>, make: impl Fn() -> Box<dyn Imp> + 'static) -> Column {
    Column {
        imp: imp.into(),
        make: Rc::new(make),
        frames_from: None,
        compress: true,
    }
}

fn columns() -> Vec<Column> {
    let mut v = Vec::new();
    for level in [1, 3, 9] {
        v.push(col(format!("arsenal:zstd/{level}"), move || {
            Box::new(Arsenal(Zstd::with_level(level).unwrap()))
        }));
        v.push(col(format!("raw:zstd/{level}"), move || {
            Box::new(raw_zstd::Raw::new(level))
        }));
        let zstd: MakeImp = Rc::new(move || Box::new(Arsenal(Zstd::with_level(level).unwrap())));
        v.push(Column {
            imp: format!("peer:ruzstd/{level}"),
            make: Rc::new(|| Box::new(Ruzstd(ruzstd::decoding::FrameDecoder::new()))),
            frames_from: Some(zstd),
            compress: false,
        });
    }
    v.push(col("arsenal:lz4/0", || {
        Box::new(Arsenal(lz4::Lz4::with_level(0).unwrap()))
    }));
    v.push(col("raw:lz4/0", || Box::new(raw_lz4::Raw::new(0))));
    for level in [1, 9] {
        v.push(col(format!("arsenal:lz4-block/{level}"), move || {
            Box::new(Arsenal(lz4::Lz4Block::with_level(level).unwrap()))
        }));
        v.push(col(format!("raw:lz4-block/{level}"), move || {
            Box::new(raw_lz4::RawBlock::new(level))
        }));
    }
    v.push(col("peer:lz4_flex", || Box::new(Lz4Flex)));
    v.push(col("arsenal:snappy", || {
        Box::new(Arsenal(Snappy::default()))
    }));
    v.push(col("raw:snappy", || Box::new(raw_snappy::Raw::new(0))));
    v.push(col("peer:snap", || {
        Box::new(Snap(snap::raw::Encoder::new(), snap::raw::Decoder::new()))
    }));
    for level in [1, 6] {
        v.push(col(format!("arsenal:brotli/{level}"), move || {
            Box::new(Arsenal(Brotli::with_level(level).unwrap()))
        }));
        v.push(col(format!("raw:brotli/{level}"), move || {
            Box::new(raw_brotli::Raw::new(level))
        }));
    }
    for level in [1, 6] {
        v.push(col(format!("arsenal:libdeflate/{level}"), move || {
            Box::new(Arsenal(
                Libdeflate::new(DeflateFormat::Zlib, level).unwrap(),
            ))
        }));
        v.push(col(format!("raw:libdeflate/{level}"), move || {
            Box::new(raw_libdeflate::Raw::new(level))
        }));
        v.push(col(format!("peer:miniz_oxide/{level}"), move || {
            Box::new(Miniz::new(level as u8))
        }));
        v.push(col(format!("peer:zlib-rs/{level}"), move || {
            Box::new(ZlibRs(level))
        }));
    }
    for level in [1, 3] {
        v.push(col(format!("arsenal:isal/{level}"), move || {
            Box::new(Arsenal(Isal::new(DeflateFormat::Zlib, level).unwrap()))
        }));
        v.push(col(format!("raw:isal/{level}"), move || {
            Box::new(raw_isal::Raw::new(level))
        }));
    }
    v.push(col("peer:memcpy", || Box::new(Memcpy)));
    v
}

/// Registers every `compress/*` cell.
pub fn register(reg: &mut Registry, data: Option<&Path>) {
    let sets = datasets(data);
    let cols = columns();
    for (name, input) in &sets {
        for c in cols.iter().filter(|c| c.compress) {
            let input = Rc::clone(input);
            let make = Rc::clone(&c.make);
            let mut state: Option<(Box<dyn Imp>, Vec<u8>)> = None;
            reg.add(Case::new(
                DOMAIN,
                "compress",
                name.as_str(),
                c.imp.as_str(),
                input.len() as u64,
                1,
                move || {
                    let (imp, out) = state.get_or_insert_with(|| {
                        (
                            make(),
                            Vec::with_capacity(input.len() + (input.len() >> 3) + 4096),
                        )
                    });
                    imp.compress(&input, out) as u64
                },
            ));
        }
    }
    for (name, input) in &sets {
        for c in &cols {
            let input = Rc::clone(input);
            let make = Rc::clone(&c.make);
            let frames_from = c.frames_from.clone();
            // (implementation, its compressed frame, output buffer), built on the first call.
            let mut state: Option<DecompressState> = None;
            reg.add(Case::new(
                DOMAIN,
                "decompress",
                name.as_str(),
                c.imp.as_str(),
                input.len() as u64,
                1,
                move || {
                    let (imp, frame, out) = state.get_or_insert_with(|| {
                        let mut imp = make();
                        let mut frame = Vec::new();
                        match &frames_from {
                            Some(other) => other().compress(&input, &mut frame),
                            None => imp.compress(&input, &mut frame),
                        };
                        (imp, frame, Vec::with_capacity(input.len()))
                    });
                    let n = imp.decompress(frame, out, input.len());
                    debug_assert_eq!(&out[..], &input[..]);
                    fingerprint(&out[..n])
                },
            ));
        }
    }
}
