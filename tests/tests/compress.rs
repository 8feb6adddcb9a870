//! The compression conformance suite, once per codec, plus cross-format checks against
//! pure-Rust implementations of the same formats and the command-line tools.
#![cfg(any(
    feature = "zstd",
    feature = "lz4",
    feature = "snappy",
    feature = "brotli",
    feature = "libdeflate",
    feature = "isal"
))]

#[allow(unused_imports)]
use arsenal_compress::{Codec, Compress, Decompress, DeflateFormat, Streaming};

#[cfg(feature = "zstd")]
mod zstd {
    use super::*;
    use arsenal_compress::backend::zstd::Zstd;
    arsenal_conformance::compress_conformance!(
        oneshot,
        Zstd,
        make = Zstd::with_level,
        checksummed = true
    );
    arsenal_conformance::compress_streaming_conformance!(
        stream,
        Zstd,
        tool = ("zstd", ["-q", "-c"], ["-q", "-d", "-c"])
    );

    /// Frames of every level decode with ruzstd (the pure-Rust decoder).
    #[test]
    fn ruzstd_reads_our_frames() {
        for level in [-5, 1, 3, 19] {
            let mut c = Zstd::with_level(level).unwrap();
            let mut ours_d = Zstd::default();
            arsenal_conformance::compress::cross_check(
                "zstd/ruzstd",
                &mut |b| c.compress(b).unwrap(),
                &mut |b, n| ours_d.decompress(b, n).unwrap(),
                // ruzstd compresses (fastest level only) and decompresses.
                &mut |b| {
                    ruzstd::encoding::compress_to_vec(
                        b,
                        ruzstd::encoding::CompressionLevel::Fastest,
                    )
                },
                &mut |b, n| {
                    let mut out = vec![0u8; n];
                    let got = ruzstd::decoding::FrameDecoder::new()
                        .decode_all(b, &mut out)
                        .unwrap();
                    out.truncate(got);
                    out
                },
            );
        }
    }
}

#[cfg(feature = "lz4")]
mod lz4 {
    use super::*;
    use arsenal_compress::backend::lz4::{Lz4, Lz4Block};
    arsenal_conformance::compress_conformance!(
        frame,
        Lz4,
        make = Lz4::with_level,
        checksummed = true
    );
    arsenal_conformance::compress_conformance!(
        block,
        Lz4Block,
        make = Lz4Block::with_level,
        checksummed = false
    );
    arsenal_conformance::compress_streaming_conformance!(
        stream,
        Lz4,
        tool = ("lz4", ["-q", "-c"], ["-q", "-d", "-c"])
    );

    /// Size-prefixed blocks are lz4_flex's `compress_prepend_size` format, both ways.
    #[test]
    fn lz4_flex_block_compat() {
        let mut c = Lz4Block::default();
        let mut d = Lz4Block::default();
        arsenal_conformance::compress::cross_check(
            "lz4-block/lz4_flex",
            &mut |b| c.compress(b).unwrap(),
            &mut |b, n| d.decompress(b, n).unwrap(),
            &mut |b| lz4_flex::block::compress_prepend_size(b),
            &mut |b, _| lz4_flex::block::decompress_size_prepended(b).unwrap(),
        );
    }

    /// LZ4 frames are lz4_flex's frame format, both ways.
    #[test]
    fn lz4_flex_frame_compat() {
        use std::io::{Read, Write};
        let mut c = Lz4::default();
        let mut d = Lz4::default();
        arsenal_conformance::compress::cross_check(
            "lz4/lz4_flex-frame",
            &mut |b| c.compress(b).unwrap(),
            &mut |b, n| d.decompress(b, n).unwrap(),
            &mut |b| {
                let mut w = lz4_flex::frame::FrameEncoder::new(Vec::new());
                w.write_all(b).unwrap();
                w.finish().unwrap()
            },
            &mut |b, _| {
                let mut out = Vec::new();
                lz4_flex::frame::FrameDecoder::new(b)
                    .read_to_end(&mut out)
                    .unwrap();
                out
            },
        );
    }
}

#[cfg(feature = "snappy")]
mod snappy {
    use super::*;
    use arsenal_compress::backend::snappy::{Snappy, SnappyFramed};
    arsenal_conformance::compress_conformance!(
        raw,
        Snappy,
        make = Snappy::with_level,
        checksummed = false
    );
    arsenal_conformance::compress_conformance!(
        framed,
        SnappyFramed,
        make = SnappyFramed::with_level,
        checksummed = true,
        end_marker = false
    );
    arsenal_conformance::compress_streaming_conformance!(stream, SnappyFramed);

    /// Raw snappy is `snap::raw`'s format, the framing format `snap::write/read`'s,
    /// both ways (there is no snappy command-line tool in Debian).
    #[test]
    fn snap_compat() {
        use std::io::{Read, Write};
        let mut c = Snappy::default();
        let mut d = Snappy::default();
        arsenal_conformance::compress::cross_check(
            "snappy/snap",
            &mut |b| c.compress(b).unwrap(),
            &mut |b, n| d.decompress(b, n).unwrap(),
            &mut |b| snap::raw::Encoder::new().compress_vec(b).unwrap(),
            &mut |b, _| snap::raw::Decoder::new().decompress_vec(b).unwrap(),
        );
        let mut c = SnappyFramed::default();
        let mut d = SnappyFramed::default();
        arsenal_conformance::compress::cross_check(
            "snappy-framed/snap",
            &mut |b| c.compress(b).unwrap(),
            &mut |b, n| d.decompress(b, n).unwrap(),
            &mut |b| {
                let mut w = snap::write::FrameEncoder::new(Vec::new());
                w.write_all(b).unwrap();
                w.into_inner().unwrap()
            },
            &mut |b, _| {
                let mut out = Vec::new();
                snap::read::FrameDecoder::new(b)
                    .read_to_end(&mut out)
                    .unwrap();
                out
            },
        );
    }

    /// The corpus's corrupt files are rejected by the raw decoder.
    #[test]
    fn baddata_files_rejected() {
        let bad = arsenal_conformance::compress::bad_snappy_files(
            arsenal_conformance::data::data_dir().as_deref(),
        );
        if bad.is_empty() {
            eprintln!("snappy-testdata absent: baddata checks skipped");
        }
        let mut d = Snappy::default();
        for f in bad {
            let e = d.decompress(&f.bytes, 1 << 24).unwrap_err();
            assert_eq!(
                e.kind(),
                arsenal_compress::ErrorKind::Corrupt,
                "{}: {e}",
                f.name
            );
        }
    }
}

#[cfg(feature = "brotli")]
mod brotli {
    use super::*;
    use arsenal_compress::backend::brotli::Brotli;
    arsenal_conformance::compress_conformance!(
        oneshot,
        Brotli,
        make = Brotli::with_level,
        checksummed = false
    );
    arsenal_conformance::compress_streaming_conformance!(
        stream,
        Brotli,
        tool = ("brotli", ["-c"], ["-d", "-c"])
    );
}

#[cfg(any(feature = "libdeflate", feature = "isal"))]
fn miniz_check(label: &str, format: DeflateFormat, c: &mut dyn Codec, d: &mut dyn Codec) {
    use miniz_oxide::{deflate, inflate};
    type Comp = fn(&[u8], u8) -> Vec<u8>;
    type Decomp = fn(&[u8]) -> Vec<u8>;
    let (comp, decomp): (Comp, Decomp) = match format {
        DeflateFormat::Raw => (deflate::compress_to_vec, |b| {
            inflate::decompress_to_vec(b).unwrap()
        }),
        DeflateFormat::Zlib => (deflate::compress_to_vec_zlib, |b| {
            inflate::decompress_to_vec_zlib(b).unwrap()
        }),
        DeflateFormat::Gzip => return,
    };
    arsenal_conformance::compress::cross_check(
        label,
        &mut |b| c.compress(b).unwrap(),
        &mut |b, n| d.decompress(b, n).unwrap(),
        &mut |b| comp(b, 6),
        &mut |b, _| decomp(b),
    );
}

#[cfg(feature = "libdeflate")]
mod libdeflate {
    use super::*;
    use arsenal_compress::backend::libdeflate::Libdeflate;
    arsenal_conformance::compress_conformance!(
        gzip,
        Libdeflate,
        make = Libdeflate::with_level,
        checksummed = true
    );

    #[test]
    fn zlib_every_level_and_corrupt() {
        let make = |level| Libdeflate::new(DeflateFormat::Zlib, level);
        let proto = make(6).unwrap();
        arsenal_conformance::compress::round_trip_levels(&make, &proto);
        arsenal_conformance::compress::output_limit(&make, &proto);
        arsenal_conformance::compress::corrupt_input(&make, &proto, true);
    }

    #[test]
    fn raw_every_level_and_corrupt() {
        let make = |level| Libdeflate::new(DeflateFormat::Raw, level);
        let proto = make(6).unwrap();
        arsenal_conformance::compress::round_trip_levels(&make, &proto);
        arsenal_conformance::compress::output_limit(&make, &proto);
        arsenal_conformance::compress::corrupt_input(&make, &proto, false);
    }

    /// gzip members decode with `gzip -d` and `gzip`'s output decodes with us.
    #[test]
    fn gzip_tool_compat() {
        let mut c = Libdeflate::default();
        for (name, input) in arsenal_conformance::compress::small_inputs() {
            let ours = c.compress(&input).unwrap();
            let Some(back) = arsenal_conformance::compress::run_tool("gzip", &["-d", "-c"], &ours)
            else {
                return;
            };
            assert!(back == input, "gzip cannot read our {name}");
            let theirs =
                arsenal_conformance::compress::run_tool("gzip", &["-c", "-n"], &input).unwrap();
            assert!(
                c.decompress(&theirs, input.len()).unwrap() == input,
                "we cannot read gzip's {name}"
            );
        }
    }

    #[test]
    fn miniz_oxide_compat() {
        for format in [DeflateFormat::Raw, DeflateFormat::Zlib] {
            let mut c = Libdeflate::new(format, 6).unwrap();
            let mut d = Libdeflate::new(format, 6).unwrap();
            miniz_check("libdeflate/miniz_oxide", format, &mut c, &mut d);
        }
    }
}

#[cfg(feature = "isal")]
mod isal {
    use super::*;
    use arsenal_compress::backend::isal::Isal;
    arsenal_conformance::compress_conformance!(
        gzip,
        Isal,
        make = Isal::with_level,
        checksummed = true
    );
    arsenal_conformance::compress_streaming_conformance!(
        stream,
        Isal,
        tool = ("gzip", ["-c", "-n"], ["-d", "-c"])
    );

    #[test]
    fn zlib_and_raw_every_level_corrupt_and_streaming() {
        for (format, checksummed) in [(DeflateFormat::Zlib, true), (DeflateFormat::Raw, false)] {
            let make = move |level| Isal::new(format, level);
            let proto = make(1).unwrap();
            arsenal_conformance::compress::round_trip_levels(&make, &proto);
            arsenal_conformance::compress::output_limit(&make, &proto);
            arsenal_conformance::compress::corrupt_input(&make, &proto, checksummed);
            arsenal_conformance::compress::streaming(&make, &proto);
        }
    }

    #[test]
    fn miniz_oxide_compat() {
        for format in [DeflateFormat::Raw, DeflateFormat::Zlib] {
            let mut c = Isal::new(format, 1).unwrap();
            let mut d = Isal::new(format, 1).unwrap();
            miniz_check("isal/miniz_oxide", format, &mut c, &mut d);
        }
    }

    /// ISA-L and libdeflate read each other's output in all three formats.
    #[cfg(feature = "libdeflate")]
    #[test]
    fn libdeflate_compat() {
        use arsenal_compress::backend::libdeflate::Libdeflate;
        for format in [DeflateFormat::Raw, DeflateFormat::Zlib, DeflateFormat::Gzip] {
            let mut i = Isal::new(format, 2).unwrap();
            let mut i2 = Isal::new(format, 2).unwrap();
            let mut l = Libdeflate::new(format, 9).unwrap();
            let mut l2 = Libdeflate::new(format, 9).unwrap();
            arsenal_conformance::compress::cross_check(
                "isal/libdeflate",
                &mut |b| i.compress(b).unwrap(),
                &mut |b, n| i2.decompress(b, n).unwrap(),
                &mut |b| l.compress(b).unwrap(),
                &mut |b, n| l2.decompress(b, n).unwrap(),
            );
        }
    }
}

/// Run-time choice: every available backend round-trips, by value and by name (in any
/// case); backends whose feature is off are refused, not replaced.
#[test]
fn every_backend_by_name() {
    use arsenal_compress::Backend;
    let input = arsenal_conformance::compress::gen_text(5, 20_000);
    for backend in Backend::available() {
        let by_name: Backend = backend.name().to_uppercase().parse().unwrap();
        assert_eq!(by_name, backend);
        let mut c = by_name.codec().unwrap();
        let packed = c.compress(&input).unwrap();
        assert_eq!(
            c.decompress(&packed, input.len()).unwrap(),
            input,
            "{backend}"
        );
    }
    for backend in Backend::ALL {
        if !backend.is_available() {
            let e = backend.codec().unwrap_err();
            assert_eq!(e.kind(), arsenal_compress::ErrorKind::Unsupported);
        }
    }
}

/// Every strategy's backend is available and round-trips the corpus's smallest file.
#[test]
fn every_strategy_backend_round_trips() {
    use arsenal_compress::Backend;
    let input = arsenal_conformance::compress::gen_text(9, 100 << 10);
    // By name: this crate does not depend on arsenal-core, which defines `Strategy`.
    for strategy in [
        "throughput",
        "latency",
        "balanced",
        "minimal-memory",
        "maximal-speed",
    ] {
        let backend = Backend::for_strategy(strategy.parse().unwrap());
        assert!(backend.is_available(), "{strategy}: {backend}");
        let mut c = backend.codec().unwrap();
        let packed = c.compress(&input).unwrap();
        assert_eq!(
            c.decompress(&packed, input.len()).unwrap(),
            input,
            "{strategy}"
        );
    }
}
