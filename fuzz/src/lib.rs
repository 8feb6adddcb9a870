//! The properties behind Arsenal's fuzz targets, shared by the cargo-fuzz targets in
//! `fuzz_targets/` (nightly + libFuzzer) and by the stable `replay` binary, so a corpus
//! or crash file is checked by exactly the same code either way.
//!
//! | target | property |
//! |---|---|
//! | `json_simdjson` | [`json_simdjson`]: `arsenal_conformance::json::fuzz_one` with simdjson, plus `parse_padded` agrees with `parse` |
//! | `json_yyjson` | [`json_yyjson`]: `arsenal_conformance::json::fuzz_one` with yyjson |
//! | `json_cross` | [`json_cross`]: simdjson and yyjson agree on the input |
//! | `http_llhttp` | [`http_llhttp`]: `arsenal_conformance::http::fuzz_one` with llhttp |
//! | `http_picohttpparser` | [`http_picohttpparser`]: the same with picohttpparser |
//! | `http_parser` | [`http_parser`]: the same with http_parser |
//! | `http_cross` | [`http_cross`]: the three HTTP backends give identical outcomes |
//! | `compress_zstd` | [`compress::compress_zstd`]: one-shot decode, round trip, streaming (see [`compress`]) |
//! | `compress_lz4` | [`compress::compress_lz4`]: the same for the LZ4 frame format |
//! | `compress_lz4_block` | [`compress::compress_lz4_block`]: one-shot decode and round trip of LZ4 blocks |
//! | `compress_snappy` | [`compress::compress_snappy`]: the same for raw snappy |
//! | `compress_snappy_framed` | [`compress::compress_snappy_framed`]: one-shot and streaming, snappy framing format |
//! | `compress_brotli` | [`compress::compress_brotli`]: one-shot and streaming |
//! | `compress_libdeflate` | [`compress::compress_libdeflate`]: decode as raw/zlib/gzip, round trip |
//! | `compress_isal` | [`compress::compress_isal`]: the same plus streaming |
//! | `int_leb128` | [`compress::int_leb128`]: LEB128 decoding consistent, round trips |
//! | `int_stream_vbyte` | [`compress::int_stream_vbyte`]: Stream VByte variants agree, round trips |
//!
//! Each property panics when violated; libFuzzer turns the panic into a crash artifact.
//! One parser per backend is kept per thread and reused across inputs, as an application
//! would (simdjson keeps its buffers between parses, so reuse is part of what is tested;
//! the HTTP parsers are reset between inputs and reused for pipelined messages).
//!
//! The properties are strict: the one difference allowed is the documented one,
//! integers beyond 64 bits (simdjson rejects them with `ErrorKind::Number`, yyjson reads
//! doubles), in `json_cross` only. The HTTP properties allow no difference at all:
//! arsenal-http promises the same verdict from every backend. See fuzz/README.md.
// No unsafe code, except in `ops`: driving an allocator through its raw interface is
// unsafe by nature (each block there carries its SAFETY reasoning).
#![deny(unsafe_code)]

use arsenal_conformance::http::{self as http_suite, CrossParsers};
use arsenal_conformance::json::fuzz_one;
use arsenal_http::backend::HeadParser;
use arsenal_http::{HttpParser, HttpParserC, Limits, Llhttp, Picohttpparser};
use arsenal_json::{
    Document, ErrorKind, JsonValue, Kind, Number, PaddedBytes, ParseOptions, Parser, Simdjson,
    Yyjson,
};
use std::cell::RefCell;

pub mod audio;
pub mod bitmap;
pub mod cache;
pub mod compress;
#[cfg(feature = "crypto")]
pub mod crypto;
pub mod csv;
pub mod filter;
pub mod graph;
pub mod heap;
pub mod map;
pub mod ml;
#[allow(unsafe_code)]
pub mod ops;
pub mod sketch;
pub mod sort;
pub mod text;
pub mod tree;
pub mod video;

thread_local! {
    static SIMDJSON: RefCell<Simdjson> = RefCell::new(new_parser());
    static YYJSON: RefCell<Yyjson> = RefCell::new(new_parser());
    static LLHTTP: RefCell<[Llhttp; 2]> = RefCell::new(http_parsers());
    static PICOHTTPPARSER: RefCell<[Picohttpparser; 2]> = RefCell::new(http_parsers());
    static HTTP_PARSER: RefCell<[HttpParserC; 2]> = RefCell::new(http_parsers());
    static HTTP_CROSS: RefCell<[CrossParsers; 2]> = RefCell::new(
        [CrossParsers::new(Limits::default()), CrossParsers::new(http_suite::small_limits())]
    );
}

/// One HTTP parser with the default limits and one with
/// [`small_limits`](arsenal_conformance::http::small_limits) (so that the limit checks are
/// reached by short inputs).
fn http_parsers<H: HeadParser>() -> [HttpParser<H>; 2] {
    let new = |limits: Limits| {
        HttpParser::<H>::with_limits(limits)
            .unwrap_or_else(|e| panic!("{}: cannot create a parser: {e}", H::NAME))
    };
    [new(Limits::default()), new(http_suite::small_limits())]
}

fn new_parser<P: Parser>() -> P {
    P::with_options(ParseOptions::default())
        .unwrap_or_else(|e| panic!("{}: cannot create a parser: {e}", P::BACKEND))
}

/// A fuzz property: panics when `input` violates it.
pub type Property = fn(&[u8]);

/// Every fuzz target's name and property, in the order `scripts/fuzz` runs them.
pub const TARGETS: &[(&str, Property)] = &[
    ("json_simdjson", json_simdjson),
    ("json_yyjson", json_yyjson),
    ("json_cross", json_cross),
    ("http_llhttp", http_llhttp),
    ("http_picohttpparser", http_picohttpparser),
    ("http_parser", http_parser),
    ("http_cross", http_cross),
    ("http_chunked", http_chunked),
    ("compress_zstd", compress::compress_zstd),
    ("compress_lz4", compress::compress_lz4),
    ("compress_lz4_block", compress::compress_lz4_block),
    ("compress_snappy", compress::compress_snappy),
    ("compress_snappy_framed", compress::compress_snappy_framed),
    ("compress_brotli", compress::compress_brotli),
    ("compress_libdeflate", compress::compress_libdeflate),
    #[cfg(feature = "isal")]
    ("compress_isal", compress::compress_isal),
    ("int_leb128", compress::int_leb128),
    ("int_stream_vbyte", compress::int_stream_vbyte),
    ("alloc_ops", ops::alloc_ops),
    ("sync_queues", ops::sync_queues),
    ("ml_safetensors", ml::ml_safetensors),
    ("ml_blocks", ml::ml_blocks),
    ("audio_flac", audio::audio_flac),
    ("audio_opus", audio::audio_opus),
    ("audio_ogg_opus", audio::audio_ogg_opus),
    ("audio_vorbis", audio::audio_vorbis),
    ("video_dav1d", video::video_dav1d),
    ("video_aom", video::video_aom),
    ("video_vpx", video::video_vpx),
    ("video_h264", video::video_h264),
    ("video_ivf", video::video_ivf),
    ("video_obu", video::video_obu),
    #[cfg(feature = "crypto")]
    ("crypto_open_boringssl", crypto::crypto_open_boringssl),
    #[cfg(feature = "crypto")]
    ("crypto_open_aws_lc", crypto::crypto_open_aws_lc),
    #[cfg(feature = "crypto")]
    ("crypto_open_libsodium", crypto::crypto_open_libsodium),
    #[cfg(feature = "crypto")]
    ("crypto_verify_boringssl", crypto::crypto_verify_boringssl),
    #[cfg(feature = "crypto")]
    ("crypto_verify_aws_lc", crypto::crypto_verify_aws_lc),
    #[cfg(feature = "crypto")]
    ("crypto_verify_libsodium", crypto::crypto_verify_libsodium),
    #[cfg(feature = "crypto")]
    ("crypto_verify_liboqs", crypto::crypto_verify_liboqs),
    #[cfg(feature = "crypto")]
    ("crypto_kem", crypto::crypto_kem),
    ("filter_decode", filter::filter_decode),
    ("filter_build", filter::filter_build),
    ("cache_trace", cache::cache_trace),
    ("cache_ops", cache::cache_ops),
    ("sketch_decode", sketch::sketch_decode),
    ("bitmap_portable", bitmap::bitmap_portable),
    ("map_ops", map::map_ops),
    ("heap_ops", heap::heap_ops),
    ("sort_ops", sort::sort_ops),
    ("text_search", text::text_search),
    ("text_vectorscan_compile", text::text_vectorscan_compile),
    ("csv_parse", csv::csv_parse),
    ("tree_ops", tree::tree_ops),
    ("graph_edges", graph::graph_edges),
];

/// The property for `name`, if it is a target.
pub fn property(name: &str) -> Option<Property> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|&(_, p)| p)
}

/// A parse outcome in comparable form: the compact serialization, or the error kind.
fn outcome<P: Parser>(parser: &mut P, input: &[u8]) -> Result<String, ErrorKind> {
    parser
        .parse(input)
        .map(|d| arsenal_json::to_string(d.root()))
        .map_err(|e| e.kind())
}

/// `fuzz_one` with simdjson; then the no-copy `parse_padded` path must give exactly what
/// `parse` gives: the same document, or an error of the same kind.
pub fn json_simdjson(input: &[u8]) {
    SIMDJSON.with_borrow_mut(|parser| {
        fuzz_one(parser, input);
        let copied = outcome(parser, input);
        let padded = PaddedBytes::from(input);
        let direct = parser
            .parse_padded(&padded)
            .map(|d| arsenal_json::to_string(d.root()))
            .map_err(|e| e.kind());
        assert!(
            copied == direct,
            "simdjson on {input:?}: parse gave {copied:?} but parse_padded gave {direct:?}"
        );
    });
}

/// `fuzz_one` with yyjson.
pub fn json_yyjson(input: &[u8]) {
    YYJSON.with_borrow_mut(|parser| fuzz_one(parser, input));
}

/// simdjson and yyjson parse `input` the same way: both reject it (with
/// `ErrorKind::Empty` from both exactly when the input is blank; other error kinds are
/// not compared, see below), or both accept it with the same document (same compact serialization,
/// which keeps member order, duplicate keys and number types at any depth, and equal
/// `to_serde_value` results).
///
/// The one exception is documented in `arsenal_conformance`: integers beyond 64 bits,
/// which simdjson rejects (`ErrorKind::Number`, its BIGINT_ERROR) and yyjson reads as
/// doubles. Required for it: simdjson's error is `Number`, the input holds an integer
/// literal of at least 19 digits, and yyjson's tree holds a float of magnitude at least
/// 2^63. (`-0` is the integer 0 in both, so it needs no exception.)
pub fn json_cross(input: &[u8]) {
    SIMDJSON.with_borrow_mut(|simdjson| {
        YYJSON.with_borrow_mut(|yyjson| cross_check(simdjson, yyjson, input));
    });
}

fn cross_check(simdjson: &mut Simdjson, yyjson: &mut Yyjson, input: &[u8]) {
    match (simdjson.parse(input), yyjson.parse(input)) {
        // Error kinds are not compared, only that both reject: each backend reports the
        // first problem it detects, and they look in different orders (simdjson checks
        // UTF-8 and the structure of the whole input before reading any value, yyjson
        // reads in one pass), so the kinds differ on many invalid inputs. Seen by this
        // target on the seed corpus: `[1,` Syntax/Truncated, `[1e400` Syntax/Number,
        // `-(` Number/Syntax, `"\x1d` Truncated/Encoding, `\xEF\xBB` Encoding/Syntax
        // (simdjson's kind first). The one kind that depends on the input alone is
        // `Empty` (nothing but whitespace after an optional BOM): required of both.
        (Err(a), Err(b)) => {
            let blank = is_blank(input);
            for e in [&a, &b] {
                assert!(
                    (e.kind() == ErrorKind::Empty) == blank,
                    "on {input:?} (blank: {blank}): {e}"
                );
            }
        }
        (Ok(a), Ok(b)) => {
            let (a, b) = (a.root(), b.root());
            let (text_a, text_b) = (arsenal_json::to_string(a), arsenal_json::to_string(b));
            assert!(
                text_a == text_b,
                "backends disagree on {input:?}:\n simdjson {text_a}\n yyjson   {text_b}"
            );
            match (
                arsenal_json::to_serde_value(a),
                arsenal_json::to_serde_value(b),
            ) {
                (Ok(x), Ok(y)) => assert!(x == y, "to_serde_value differs on {input:?}"),
                // Nested RECURSION_LIMIT levels or more: the same error from both.
                (Err(x), Err(y)) => assert_eq!(x.kind(), y.kind(), "on {input:?}"),
                (x, y) => panic!("to_serde_value: simdjson {x:?}, yyjson {y:?} on {input:?}"),
            }
        }
        (Err(e), Ok(doc)) => {
            let root = doc.root();
            let big_integer = e.kind() == ErrorKind::Number
                && has_long_integer_literal(input)
                && has_float_beyond_i64(root);
            assert!(
                big_integer,
                "simdjson rejects ({e}) what yyjson accepts, and not as a >64-bit integer: \
                 {input:?} -> {}",
                arsenal_json::to_string(root)
            );
        }
        (Ok(doc), Err(e)) => panic!(
            "yyjson rejects ({e}) what simdjson accepts: {input:?} -> {}",
            arsenal_json::to_string(doc.root())
        ),
    }
}

/// `arsenal_conformance::http::fuzz_one` with llhttp, default and small limits: in every
/// mode (request; response to GET; response to GET at end of input) no crash, complete
/// messages inside the bytes they consumed, pipelined messages parse on with the same
/// parser, and feeding the input in pieces gives exactly the one-piece result.
pub fn http_llhttp(input: &[u8]) {
    LLHTTP.with_borrow_mut(|parsers| {
        parsers
            .iter_mut()
            .for_each(|p| http_suite::fuzz_one(p, input))
    });
}

/// [`http_llhttp`]'s property with picohttpparser.
pub fn http_picohttpparser(input: &[u8]) {
    PICOHTTPPARSER.with_borrow_mut(|parsers| {
        parsers
            .iter_mut()
            .for_each(|p| http_suite::fuzz_one(p, input))
    });
}

/// [`http_llhttp`]'s property with http_parser.
pub fn http_parser(input: &[u8]) {
    HTTP_PARSER.with_borrow_mut(|parsers| {
        parsers
            .iter_mut()
            .for_each(|p| http_suite::fuzz_one(p, input))
    });
}

/// llhttp, picohttpparser and http_parser give identical outcomes on `input`, with the
/// default and with small limits, in every mode, pipelined messages included: the same
/// complete messages (method, target, version, status, reason, headers, body and its
/// chunks, trailers, consumed), `Partial` from all, or errors of the same `ErrorKind`.
/// No exception.
pub fn http_cross(input: &[u8]) {
    HTTP_CROSS.with_borrow_mut(|cross| cross.iter_mut().for_each(|c| c.check(input)));
}

/// The fixed head of [`http_chunked`]'s requests.
pub const CHUNKED_HEAD: &[u8] = b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";

thread_local! {
    /// One parser per backend with the limits lifted (`u64::MAX` body, `usize::MAX`
    /// chunk line and chunk count), and one with small limits.
    static HTTP_CHUNKED: RefCell<[CrossParsers; 2]> = RefCell::new([
        CrossParsers::new(
            Limits::default()
                .max_body_len(u64::MAX)
                .max_chunk_line_len(usize::MAX)
                .max_chunks(usize::MAX),
        ),
        CrossParsers::new(
            http_suite::small_limits()
                .max_chunk_line_len(16)
                .max_chunks(4),
        ),
    ]);
}

/// The chunked decoder alone: [`CHUNKED_HEAD`] followed by the input as the body,
/// through every backend, with unlimited and with small limits, whole and in pieces:
/// no panic, and the same verdict from every backend (the same body and chunks and
/// trailers, `Partial`, or the same `ErrorKind`).
pub fn http_chunked(input: &[u8]) {
    let mut message = CHUNKED_HEAD.to_vec();
    message.extend_from_slice(input);
    HTTP_CHUNKED.with_borrow_mut(|cross| cross.iter_mut().for_each(|c| c.check(&message)));
}

/// The seed inputs of the HTTP targets (`scripts/fuzz` writes them to
/// `fuzz/corpus/http` through `replay --seed-http`): every input of
/// `tests/data/http_cases.json` (`case_NN_<name>.http`), the pipelines the mutation test
/// starts from, and a few more pipelined, chunked and limit-edge messages
/// (`arsenal_*.http`).
pub fn http_seeds() -> Vec<(String, Vec<u8>)> {
    let cases = http_suite::cases();
    let mut seeds: Vec<(String, Vec<u8>)> = cases
        .iter()
        .enumerate()
        .map(|(i, case)| {
            let slug: String = case
                .name
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            (format!("case_{i:02}_{slug}.http"), case.input.clone())
        })
        .collect();
    // The mutation seeds after the data file's inputs: two mixed pipelines.
    for (i, extra) in http_suite::mutation_seeds()
        .into_iter()
        .skip(cases.len())
        .enumerate()
    {
        seeds.push((format!("arsenal_pipeline_{i}.http"), extra));
    }
    let headers = |n: usize| -> String { (0..n).map(|i| format!("X-{i}: v\r\n")).collect() };
    let own: [(&str, String); 8] = [
        (
            "arsenal_pipelined_chunked.http",
            "POST /a HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n\
             4;a=b;c=\"d e\"\r\nwiki\r\n5\r\npedia\r\n0\r\nExpires: never\r\nX-T: 1\r\n\r\n\
             GET /b HTTP/1.1\r\nHost: h\r\n\r\n"
                .to_owned(),
        ),
        (
            "arsenal_continue_then_ok.http",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\
             HTTP/1.1 304 Not Modified\r\nETag: \"x\"\r\n\r\n"
                .to_owned(),
        ),
        (
            "arsenal_response_until_close.http",
            "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nthe rest of the connection"
                .to_owned(),
        ),
        (
            "arsenal_response_chunked_trailers.http",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
             1a\r\nabcdefghijklmnopqrstuvwxyz\r\n0;last\r\nDigest: x\r\n\r\n"
                .to_owned(),
        ),
        // Around the header limits: small_limits() allows 4, the default 100.
        (
            "arsenal_4_headers.http",
            format!("GET / HTTP/1.1\r\n{}\r\n", headers(4)),
        ),
        (
            "arsenal_5_headers.http",
            format!("GET / HTTP/1.1\r\n{}\r\n", headers(5)),
        ),
        (
            "arsenal_100_headers.http",
            format!("GET / HTTP/1.1\r\n{}\r\n", headers(100)),
        ),
        (
            "arsenal_101_headers.http",
            format!("GET / HTTP/1.1\r\n{}\r\n", headers(101)),
        ),
    ];
    seeds.extend(own.into_iter().map(|(n, s)| (n.to_owned(), s.into_bytes())));
    seeds
}

/// Whether `input` is empty or JSON whitespace only, after an optional UTF-8 byte order
/// mark (which both backends skip): what `ErrorKind::Empty` means.
fn is_blank(input: &[u8]) -> bool {
    let rest = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    rest.iter().all(|b| b" \t\n\r".contains(b))
}

/// Whether `input` has a token `-?[1-9][0-9]*` long enough to exceed 64 bits: at least
/// 20 digits, or 19 after a minus sign (i64::MIN has 19 digits). Tokens inside strings
/// count too: this is only a necessary condition.
fn has_long_integer_literal(input: &[u8]) -> bool {
    let is_number_byte = |b: &u8| b.is_ascii_digit() || b"+-.eE".contains(b);
    input
        .split(|b| !is_number_byte(b))
        .any(|token| match token.strip_prefix(b"-") {
            Some(digits) => digits.len() >= 19 && is_integer(digits),
            None => token.len() >= 20 && is_integer(token),
        })
}

fn is_integer(digits: &[u8]) -> bool {
    digits.first().is_some_and(|&d| d != b'0') && digits.iter().all(u8::is_ascii_digit)
}

/// Whether the tree below `value` holds a float of magnitude >= 2^63 (what an integer
/// literal beyond i64/u64 becomes when read as a double). Iterative: any depth.
fn has_float_beyond_i64<'d, V: JsonValue<'d>>(value: V) -> bool {
    const TWO_POW_63: f64 = (1u64 << 63) as f64;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v.kind() {
            Kind::Number => {
                if let Some(Number::Float(f)) = v.as_number() {
                    if f.abs() >= TWO_POW_63 {
                        return true;
                    }
                }
            }
            Kind::Array => stack.extend(v.array_iter().into_iter().flatten()),
            Kind::Object => stack.extend(v.object_iter().into_iter().flatten().map(|(_, v)| v)),
            Kind::Null | Kind::Bool | Kind::String => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_integer_literals() {
        assert!(has_long_integer_literal(b"[18446744073709551616]"));
        assert!(has_long_integer_literal(b"-9223372036854775809"));
        assert!(!has_long_integer_literal(b"1844674407370955161"));
        assert!(!has_long_integer_literal(b"[1.8446744073709551616]"));
        assert!(!has_long_integer_literal(b"1e18446744073709551616"));
        assert!(!has_long_integer_literal(b"00000000000000000000001"));
    }

    #[test]
    fn blank_inputs() {
        for blank in [&b""[..], b" \t\r\n", b"\xEF\xBB\xBF", b"\xEF\xBB\xBF\n"] {
            assert!(is_blank(blank), "{blank:?}");
        }
        for not_blank in [
            &b"\x0C"[..],
            b"\xEF\xBB",
            b" \xEF\xBB\xBF",
            b"0",
            b"\xC2\xA0",
        ] {
            assert!(!is_blank(not_blank), "{not_blank:?}");
        }
    }

    fn nested(depth: usize, inner: &str) -> Vec<u8> {
        format!("{}{inner}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
    }

    /// `fuzz_one` compares with serde_json whenever `to_serde_value` succeeds, which
    /// relies on both refusing the same nesting: 127 levels pass, 128 do not.
    #[test]
    fn recursion_limit_is_serde_json_s() {
        let mut parser = new_parser::<Yyjson>();
        for depth in [1, 126, 127, 128, 129, 500] {
            let input = nested(depth, "1");
            let serde = serde_json::from_slice::<serde_json::Value>(&input).is_ok();
            let doc = parser.parse(&input).expect("within max_depth");
            let ours = arsenal_json::to_serde_value(doc.root());
            assert_eq!(ours.is_ok(), serde, "depth {depth}");
            assert_eq!(
                serde,
                depth < arsenal_json::RECURSION_LIMIT,
                "depth {depth}"
            );
            if let Err(e) = ours {
                assert_eq!(e.kind(), ErrorKind::Depth);
            }
        }
    }

    /// Both backends count every value as a level (root = 1, `[[1]]` is 3) and reject
    /// more than `max_depth` (1024) levels with `ErrorKind::Depth`.
    #[test]
    fn same_depth_rule() {
        let (mut s, mut y) = (new_parser::<Simdjson>(), new_parser::<Yyjson>());
        for (input, ok) in [
            (nested(1023, "1"), true),
            (nested(1024, ""), true),
            (nested(1024, "1"), false),
            (nested(1025, ""), false),
        ] {
            let expected = if ok { Ok(()) } else { Err(ErrorKind::Depth) };
            assert_eq!(outcome(&mut s, &input).map(drop), expected);
            assert_eq!(outcome(&mut y, &input).map(drop), expected);
        }
    }

    /// Every input of the data file is a seed, under a name of its own.
    #[test]
    fn http_seeds_hold_every_case() {
        let seeds = http_seeds();
        let cases = http_suite::cases();
        assert!(seeds.len() > cases.len());
        for case in &cases {
            assert!(seeds.iter().any(|(_, s)| *s == case.input), "{}", case.name);
        }
        let mut names: Vec<_> = seeds.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), seeds.len());
    }

    #[test]
    fn properties_hold_on_edges() {
        for input in [
            &b"18446744073709551616"[..],
            b"[-9223372036854775809]",
            b"{\"a\":[1,-0,100000000000000000000000000000]}",
            b"-0",
            b"[1.5,\"x\",{}]",
            b"[1,",
            b"",
            b" ",
            b"\xEF\xBB\xBF{\"a\":[1]}",
            b"\xEF\xBB\xBF",
            b"\xEF\xBB",
            &nested(127, "1"),
            &nested(128, ""),
            &nested(128, "1"),
            &nested(500, "1"),
            &nested(1023, "1"),
            &nested(1024, ""),
            &nested(1024, "1"),
            &nested(1025, ""),
        ] {
            for (name, property) in TARGETS {
                if name.starts_with("json_") {
                    property(input);
                }
            }
        }
    }
}
