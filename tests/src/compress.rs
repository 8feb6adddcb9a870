//! The compression conformance suite, generic over `arsenal_compress`'s traits, and the
//! compression data sets shared with the benchmark.
//!
//! [`compress_conformance!`](crate::compress_conformance) instantiates the one-shot suite
//! for one codec; [`compress_streaming_conformance!`](crate::compress_streaming_conformance)
//! adds the streaming suite. Data: the Snappy benchmark corpus
//! (`compression/snappy-testdata` under [`data_dir`]) when present, else generated
//! stand-ins of the same character (text, HTML, URLs, binary, incompressible).

use crate::data::{data_dir, Rng};
use arsenal_compress::{Codec, Compress, ErrorKind, Streaming};
use std::io::{Read, Write};
use std::path::Path;

/// A named input of the compression suite and benchmark.
#[derive(Debug, Clone)]
pub struct Sample {
    /// File name (`alice29.txt`, ...) or generated name (`gen-text`, ...).
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// `true` when generated because the corpus was absent.
    pub generated: bool,
}

/// The Snappy corpus files the suite and the benchmark use (the `baddata*` files are
/// corrupt inputs, see [`bad_snappy_files`]).
pub const CORPUS_FILES: &[&str] = &[
    "alice29.txt",
    "asyoulik.txt",
    "fireworks.jpeg",
    "geo.protodata",
    "html",
    "html_x_4",
    "kppkn.gtb",
    "lcet10.txt",
    "paper-100k.pdf",
    "plrabn12.txt",
    "urls.10K",
];

/// `compression/snappy-testdata` under `dir`, if it exists.
pub fn corpus_dir(dir: Option<&Path>) -> Option<std::path::PathBuf> {
    let d = dir?.join("compression").join("snappy-testdata");
    d.is_dir().then_some(d)
}

/// Every corpus file of [`CORPUS_FILES`] read from `dir` (see [`data_dir`]); when the
/// corpus is absent, generated stand-ins (text, HTML, URLs, binary records,
/// incompressible bytes).
pub fn corpus(dir: Option<&Path>) -> Vec<Sample> {
    if let Some(d) = corpus_dir(dir) {
        let files: Vec<Sample> = CORPUS_FILES
            .iter()
            .filter_map(|f| {
                std::fs::read(d.join(f)).ok().map(|bytes| Sample {
                    name: (*f).to_owned(),
                    bytes,
                    generated: false,
                })
            })
            .collect();
        if !files.is_empty() {
            return files;
        }
    }
    generated_corpus()
}

/// The generated stand-ins for the corpus (deterministic).
pub fn generated_corpus() -> Vec<Sample> {
    let s = |name: &str, bytes: Vec<u8>| Sample {
        name: name.to_owned(),
        bytes,
        generated: true,
    };
    vec![
        s("gen-text", gen_text(1, 400 << 10)),
        s("gen-html", gen_html(2, 300 << 10)),
        s("gen-urls", gen_urls(3, 600 << 10)),
        s("gen-records", gen_records(4, 300 << 10)),
        s("gen-random", gen_random(5, 120 << 10)),
    ]
}

/// The `baddata*.snappy` files (corrupt snappy inputs), if the corpus is present.
pub fn bad_snappy_files(dir: Option<&Path>) -> Vec<Sample> {
    let Some(d) = corpus_dir(dir) else {
        return Vec::new();
    };
    (1..=3)
        .filter_map(|i| {
            let name = format!("baddata{i}.snappy");
            std::fs::read(d.join(&name)).ok().map(|bytes| Sample {
                name,
                bytes,
                generated: false,
            })
        })
        .collect()
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "a",
    "to",
    "in",
    "is",
    "you",
    "that",
    "it",
    "he",
    "was",
    "for",
    "on",
    "are",
    "as",
    "with",
    "his",
    "they",
    "I",
    "at",
    "be",
    "this",
    "have",
    "from",
    "or",
    "one",
    "had",
    "by",
    "word",
    "but",
    "not",
    "what",
    "all",
    "were",
    "we",
    "when",
    "your",
    "can",
    "said",
    "Alice",
    "rabbit",
    "queen",
    "compression",
    "dictionary",
    "frame",
    "window",
];

/// English-like text of `len` bytes.
pub fn gen_text(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len + 16);
    while out.len() < len {
        let w = WORDS[rng.below(WORDS.len() as u64) as usize];
        out.extend_from_slice(w.as_bytes());
        out.push(match rng.below(12) {
            0 => b'\n',
            1 => b',',
            _ => b' ',
        });
    }
    out.truncate(len);
    out
}

/// HTML-like markup of `len` bytes.
pub fn gen_html(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len + 256);
    while out.len() < len {
        let id = rng.below(10_000);
        let text = gen_text(rng.next_u64(), 20 + rng.below(60) as usize);
        out.extend_from_slice(
            format!("<div class=\"item c{}\"><a href=\"/p/{id}\">", rng.below(8)).as_bytes(),
        );
        out.extend_from_slice(&text);
        out.extend_from_slice(b"</a></div>\n");
    }
    out.truncate(len);
    out
}

/// A URL list of `len` bytes.
pub fn gen_urls(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let hosts = [
        "www.example.com",
        "news.example.org",
        "cdn.example.net",
        "a.b.c.example.io",
    ];
    let mut out = Vec::with_capacity(len + 128);
    while out.len() < len {
        let h = hosts[rng.below(hosts.len() as u64) as usize];
        out.extend_from_slice(
            format!(
                "http://{h}/{}/{}/{:x}.html\n",
                WORDS[rng.below(WORDS.len() as u64) as usize],
                rng.below(1000),
                rng.next_u64() >> 40
            )
            .as_bytes(),
        );
    }
    out.truncate(len);
    out
}

/// Binary records (protobuf-like: small integers, repeated tags) of `len` bytes.
pub fn gen_records(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len + 32);
    while out.len() < len {
        out.extend_from_slice(&[0x08, rng.below(128) as u8, 0x12, 4]);
        out.extend_from_slice(&(rng.below(1 << 20) as u32).to_le_bytes());
        out.extend_from_slice(&[0x1a, 2, b'o', b'k']);
    }
    out.truncate(len);
    out
}

/// Incompressible bytes.
pub fn gen_random(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Small generated inputs every level is checked on: empty, one byte, a run, text,
/// incompressible, and a mix that crosses 64 KiB block boundaries.
pub fn small_inputs() -> Vec<(&'static str, Vec<u8>)> {
    let mut mixed = gen_text(7, 70_000);
    mixed.extend_from_slice(&gen_random(8, 70_000));
    mixed.resize(mixed.len() + 70_000, 0);
    vec![
        ("empty", Vec::new()),
        ("one-byte", vec![b'x']),
        ("zeros-4k", vec![0; 4096]),
        ("text-64k", gen_text(9, 64 << 10)),
        ("random-64k", gen_random(10, 64 << 10)),
        ("mixed-210k", mixed),
    ]
}

/// The levels a suite checks: every level in `min..=max`, except that very negative
/// "fast" levels (zstd goes down to -131072) are sampled.
pub fn levels_to_check(levels: arsenal_compress::Levels) -> Vec<i32> {
    let mut v: Vec<i32> = (levels.min.max(-7)..=levels.max).collect();
    if levels.min < -7 {
        v.insert(0, levels.min);
    }
    v
}

fn check_round_trip<C: Codec + ?Sized>(c: &mut C, what: &str, input: &[u8]) -> Vec<u8> {
    let packed = c.compress(input).unwrap_or_else(|e| {
        panic!(
            "{} level {}: compress {what}: {e}",
            Compress::name(&*c),
            c.level()
        )
    });
    let bound = c.compress_bound(input.len()).unwrap();
    assert!(
        packed.len() <= bound,
        "{what}: {} > bound {bound}",
        packed.len()
    );
    let back = c.decompress(&packed, input.len()).unwrap_or_else(|e| {
        panic!(
            "{} level {}: decompress {what}: {e}",
            Compress::name(&*c),
            c.level()
        )
    });
    assert!(
        back == input,
        "{} level {}: {what} does not round-trip",
        Compress::name(&*c),
        c.level()
    );
    // Into an exact slice, and into a bound-sized slice.
    let mut exact = vec![0u8; input.len()];
    assert_eq!(c.decompress_into(&packed, &mut exact).unwrap(), input.len());
    assert!(exact == input);
    let mut dst = vec![0u8; bound];
    let n = c.compress_into(input, &mut dst).unwrap();
    let again = c.decompress(&dst[..n], input.len()).unwrap();
    assert!(
        again == input,
        "{what}: compress_into output does not round-trip"
    );
    packed
}

/// Every level ([`levels_to_check`]) on [`small_inputs`], plus a 4 KiB sample of every
/// corpus file; a fresh codec per level and one codec reused across inputs.
pub fn round_trip_levels<C: Codec>(make: &dyn Fn(i32) -> arsenal_compress::Result<C>, proto: &C) {
    let inputs = small_inputs();
    let corpus = corpus(data_dir().as_deref());
    for level in levels_to_check(proto.levels()) {
        let mut c = make(level).unwrap_or_else(|e| panic!("level {level}: {e}"));
        assert_eq!(c.level(), level);
        for (name, input) in &inputs {
            check_round_trip(&mut c, name, input);
        }
        for s in &corpus {
            let n = s.bytes.len().min(4096);
            check_round_trip(&mut c, &s.name, &s.bytes[..n]);
        }
    }
}

/// Levels outside the range are refused with [`ErrorKind::InvalidLevel`].
pub fn invalid_levels<C: Codec>(make: &dyn Fn(i32) -> arsenal_compress::Result<C>, proto: &C) {
    let l = proto.levels();
    assert!(l.contains(l.default));
    for bad in [
        l.max.saturating_add(1),
        l.min.saturating_sub(1),
        i32::MAX,
        i32::MIN,
    ] {
        if l.contains(bad) {
            continue;
        }
        match make(bad) {
            Err(e) => assert_eq!(e.kind(), ErrorKind::InvalidLevel, "level {bad}: {e}"),
            Ok(_) => panic!("level {bad} accepted outside {l:?}"),
        }
    }
}

/// Every corpus file, whole, at the fastest, default and strongest level (strongest
/// levels of the slow codecs on the first 256 KiB), with the compression ratio printed.
pub fn round_trip_corpus<C: Codec>(make: &dyn Fn(i32) -> arsenal_compress::Result<C>, proto: &C) {
    let dir = data_dir();
    let corpus = corpus(dir.as_deref());
    if corpus.iter().any(|s| s.generated) {
        eprintln!("compress suite: snappy-testdata absent, using generated stand-ins");
    }
    let l = proto.levels();
    let mut levels = vec![l.min.max(-5), l.default, l.max];
    levels.dedup();
    for level in levels {
        let mut c = make(level).unwrap();
        for s in &corpus {
            let input = if level == l.max && l.max > 9 {
                &s.bytes[..s.bytes.len().min(256 << 10)]
            } else {
                &s.bytes[..]
            };
            let packed = check_round_trip(&mut c, &s.name, input);
            eprintln!(
                "{} level {level}: {} {} -> {} ({:.3})",
                Compress::name(&c),
                s.name,
                input.len(),
                packed.len(),
                packed.len() as f64 / input.len().max(1) as f64
            );
        }
        // The concatenation of the corpus, as the benchmark's `all` dataset.
        if level != l.max {
            let all: Vec<u8> = corpus
                .iter()
                .flat_map(|s| s.bytes.iter().copied())
                .collect();
            check_round_trip(&mut c, "concatenation", &all);
        }
    }
}

/// 64 MiB of mixed data (text, runs, incompressible blocks) at the fastest and the
/// default level.
pub fn round_trip_64mib<C: Codec>(make: &dyn Fn(i32) -> arsenal_compress::Result<C>, proto: &C) {
    let mut big = Vec::with_capacity(64 << 20);
    let mut i = 0u64;
    while big.len() < 64 << 20 {
        match i % 4 {
            0 => big.extend_from_slice(&gen_text(i, 1 << 20)),
            1 => big.resize(big.len() + (1 << 20), i as u8),
            2 => big.extend_from_slice(&gen_random(i, 1 << 20)),
            _ => big.extend_from_slice(&gen_html(i, 1 << 20)),
        }
        i += 1;
    }
    let l = proto.levels();
    for level in [l.min.max(-1), l.default] {
        let mut c = make(level).unwrap();
        let packed = c.compress(&big).unwrap();
        let back = c.decompress(&packed, big.len()).unwrap();
        assert!(
            back == big,
            "{} level {level}: 64 MiB round trip",
            Compress::name(&c)
        );
    }
}

/// The decompression output limit: exactly the size passes, one byte less gives
/// [`ErrorKind::OutputLimit`] (also for `decompress_into`), and a 64 MiB run of zeros
/// (a small "bomb") is refused at a 1 MiB limit without producing it.
pub fn output_limit<C: Codec>(make: &dyn Fn(i32) -> arsenal_compress::Result<C>, proto: &C) {
    let mut c = make_like(make, proto);
    for (name, input) in small_inputs() {
        if input.is_empty() {
            continue;
        }
        let packed = c.compress(&input).unwrap();
        assert_eq!(c.decompress(&packed, input.len()).unwrap(), input);
        let e = c.decompress(&packed, input.len() - 1).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutputLimit, "{name}: {e}");
        let mut small = vec![0u8; input.len() - 1];
        let e = c.decompress_into(&packed, &mut small).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::OutputLimit, "{name} into: {e}");
    }
    let zeros = vec![0u8; 64 << 20];
    let bomb = c.compress(&zeros).unwrap();
    let t = std::time::Instant::now();
    let e = c.decompress(&bomb, 1 << 20).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::OutputLimit, "bomb: {e}");
    eprintln!(
        "{}: 64 MiB of zeros -> {} bytes; refused at a 1 MiB limit in {:?}",
        Compress::name(&c),
        bomb.len(),
        t.elapsed()
    );
}

/// A codec like `proto` (same format) at its default level.
fn make_like<C: Codec>(make: &dyn Fn(i32) -> arsenal_compress::Result<C>, proto: &C) -> C {
    make(proto.levels().default).unwrap()
}

/// Corrupt input: the `baddata*.snappy` files, every truncation of a small frame,
/// and single-bit flips. Nothing may crash; truncations must give `Err`; for formats
/// with checksums (`checksummed`) a flipped frame must fail or decode to the original
/// (flips of bits the format ignores), for the others (raw snappy, LZ4 blocks, raw
/// deflate, brotli) any bounded result is allowed; at least some flips must fail.
pub fn corrupt_input<C: Codec>(
    make: &dyn Fn(i32) -> arsenal_compress::Result<C>,
    proto: &C,
    checksummed: bool,
) {
    corrupt_input_with(make, proto, checksummed, true)
}

/// [`corrupt_input`] for formats with or without an end marker: without one (the Snappy
/// framing format may end after any chunk), a truncation exactly at a chunk boundary
/// decodes to a prefix of the input, which is accepted; every other cut must fail.
pub fn corrupt_input_with<C: Codec>(
    make: &dyn Fn(i32) -> arsenal_compress::Result<C>,
    proto: &C,
    checksummed: bool,
    end_marker: bool,
) {
    let mut c = make_like(make, proto);
    for bad in bad_snappy_files(data_dir().as_deref()) {
        // Not this codec's format either: must be an Err or (for formats without a
        // magic number) a bounded result; never a crash.
        let r = c.decompress(&bad.bytes, 1 << 20);
        if let Ok(out) = r {
            assert!(out.len() <= 1 << 20);
        }
    }
    let input = gen_text(11, 3000);
    let packed = c.compress(&input).unwrap();
    for len in 0..packed.len() {
        match c.decompress(&packed[..len], 1 << 16) {
            Err(_) => {}
            Ok(out) if !end_marker && input.starts_with(&out) => {}
            Ok(out) => panic!(
                "{}: truncation to {len}/{} bytes decoded to {} bytes",
                Compress::name(&c),
                packed.len(),
                out.len()
            ),
        }
    }
    let mut failed = 0;
    let mut flips = 0;
    for pos in 0..packed.len() {
        for bit in [0u8, 3, 7] {
            let mut m = packed.clone();
            m[pos] ^= 1 << bit;
            flips += 1;
            match c.decompress(&m, 1 << 16) {
                Err(_) => failed += 1,
                // A flip the format ignores (e.g. deflate's padding bits) may decode to
                // the original; with checksums, nothing else may be accepted.
                Ok(out) => assert!(
                    !checksummed || out == input || (!end_marker && input.starts_with(&out)),
                    "{}: bit {bit} of byte {pos} flipped, wrong output accepted despite checksums",
                    Compress::name(&c)
                ),
            }
        }
    }
    assert!(
        failed > 0,
        "{}: no bit flip was detected",
        Compress::name(&c)
    );
    eprintln!(
        "{}: {failed}/{flips} bit flips rejected",
        Compress::name(&c)
    );
    // The codec is still usable after errors.
    check_round_trip(&mut c, "after errors", &input);
}

/// Compresses with `ours` and decompresses with `theirs`, and the other way round, on
/// the small inputs and a corpus sample.
pub fn cross_check(
    label: &str,
    ours_c: &mut dyn FnMut(&[u8]) -> Vec<u8>,
    ours_d: &mut dyn FnMut(&[u8], usize) -> Vec<u8>,
    theirs_c: &mut dyn FnMut(&[u8]) -> Vec<u8>,
    theirs_d: &mut dyn FnMut(&[u8], usize) -> Vec<u8>,
) {
    let mut inputs: Vec<(String, Vec<u8>)> = small_inputs()
        .into_iter()
        .map(|(n, b)| (n.to_owned(), b))
        .collect();
    for s in corpus(data_dir().as_deref()).into_iter().take(4) {
        inputs.push((s.name, s.bytes));
    }
    for (name, input) in &inputs {
        let a = ours_c(input);
        assert!(
            theirs_d(&a, input.len()) == *input,
            "{label}: theirs cannot read ours ({name})"
        );
        let b = theirs_c(input);
        assert!(
            ours_d(&b, input.len()) == *input,
            "{label}: ours cannot read theirs ({name})"
        );
    }
}

/// Runs `cmd args` with `input` on stdin and returns stdout, or `None` (with a message)
/// if the tool is not installed.
pub fn run_tool(cmd: &str, args: &[&str], input: &[u8]) -> Option<Vec<u8>> {
    use std::process::{Command, Stdio};
    let mut child = match Command::new(cmd)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("cross-tool check skipped: `{cmd}` not runnable ({e}); scripts/bootstrap installs it");
            return None;
        }
    };
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "`{cmd} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out.stdout)
}

/// Our frames decode with the command-line tool (`tool decompress_args`) and the tool's
/// frames (`tool compress_args`) decode with us, one-shot and through the stream reader.
pub fn cross_tool<C: Streaming>(
    make: &dyn Fn(i32) -> arsenal_compress::Result<C>,
    proto: &C,
    tool: &str,
    compress_args: &[&str],
    decompress_args: &[&str],
) {
    let mut c = make_like(make, proto);
    let mut inputs: Vec<(String, Vec<u8>)> = small_inputs()
        .into_iter()
        .map(|(n, b)| (n.to_owned(), b))
        .collect();
    for s in corpus(data_dir().as_deref()).into_iter().take(3) {
        inputs.push((s.name, s.bytes));
    }
    for (name, input) in &inputs {
        let ours = c.compress(input).unwrap();
        let Some(back) = run_tool(tool, decompress_args, &ours) else {
            return;
        };
        assert!(back == *input, "{tool} cannot read our {name}");
        let mut w = c.writer(Vec::new()).unwrap();
        for chunk in input.chunks(7919) {
            w.write_all(chunk).unwrap();
        }
        let streamed = w.finish().unwrap();
        let back = run_tool(tool, decompress_args, &streamed).unwrap();
        assert!(back == *input, "{tool} cannot read our streamed {name}");
        let theirs = run_tool(tool, compress_args, input).unwrap();
        let mut r = c.reader(&theirs[..], input.len() as u64).unwrap();
        let mut got = Vec::new();
        r.read_to_end(&mut got)
            .unwrap_or_else(|e| panic!("our reader on {tool}'s {name}: {e}"));
        assert!(got == *input, "we cannot stream-read {tool}'s {name}");
        // One-shot decoding of the tool's frame works when the tool records the size or
        // the codec does not need it.
        let one = c
            .decompress(&theirs, input.len())
            .unwrap_or_else(|e| panic!("{tool}'s {name}: {e}"));
        assert!(one == *input);
    }
}

/// Streaming: writes in odd chunk sizes (and with flushes) decode one-shot and through
/// the reader with 1-byte and odd-sized reads; concatenated frames are read in sequence;
/// a truncated stream is `UnexpectedEof`; the reader's limit holds.
pub fn streaming<C: Streaming>(make: &dyn Fn(i32) -> arsenal_compress::Result<C>, proto: &C) {
    streaming_with(make, proto, true)
}

/// [`streaming`], with the concatenated-frames part only when `concatenation` is set
/// (concatenation is part of the zstd, LZ4, gzip and Snappy framing formats, not of zlib
/// or raw DEFLATE streams).
pub fn streaming_with<C: Streaming>(
    make: &dyn Fn(i32) -> arsenal_compress::Result<C>,
    proto: &C,
    concatenation: bool,
) {
    let c = make_like(make, proto);
    let mut oneshot = make_like(make, proto);
    for (name, input) in small_inputs() {
        for chunk in [1usize, 7, 4096, 100_003] {
            if chunk == 1 && input.len() > 5000 {
                continue;
            }
            let mut w = c.writer(Vec::new()).unwrap();
            for (i, piece) in input.chunks(chunk).enumerate() {
                w.write_all(piece).unwrap();
                if i % 3 == 1 {
                    w.flush().unwrap();
                }
            }
            let packed = w.finish().unwrap();
            let back = oneshot
                .decompress(&packed, input.len())
                .unwrap_or_else(|e| panic!("{name}/{chunk}: one-shot of streamed: {e}"));
            assert!(back == input, "{name}: chunk {chunk}");
            let mut r = c.reader(&packed[..], input.len() as u64).unwrap();
            let mut got = Vec::new();
            let mut buf = vec![0u8; if chunk == 1 { 1 } else { 1000 }];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 {
                    break;
                }
                got.extend_from_slice(&buf[..n]);
            }
            assert!(got == input, "{name}: reader after chunk {chunk}");
        }
    }
    let a = gen_text(21, 50_000);
    let b = gen_html(22, 30_000);
    if concatenation {
        let mut two = oneshot.compress(&a).unwrap();
        two.extend_from_slice(&oneshot.compress(&b).unwrap());
        let mut got = Vec::new();
        c.reader(&two[..], 1 << 20)
            .unwrap()
            .read_to_end(&mut got)
            .unwrap();
        assert!(
            got.len() == a.len() + b.len() && got[..a.len()] == a[..] && got[a.len()..] == b[..]
        );
        let mut first = Vec::new();
        c.reader(&two[..], 1 << 20)
            .unwrap()
            .multi_frame(false)
            .read_to_end(&mut first)
            .unwrap();
        assert!(first == a);
    }
    let packed = oneshot.compress(&a).unwrap();
    for cut in [1, packed.len() / 2, packed.len() - 1] {
        let mut out = Vec::new();
        let e = c
            .reader(&packed[..cut], 1 << 20)
            .unwrap()
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(
            matches!(
                e.kind(),
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData
            ),
            "cut {cut}: {e}"
        );
    }
    let mut out = Vec::new();
    let e = c
        .reader(&packed[..], 1000)
        .unwrap()
        .read_to_end(&mut out)
        .unwrap_err();
    let inner = e
        .get_ref()
        .and_then(|x| x.downcast_ref::<arsenal_compress::Error>())
        .unwrap();
    assert_eq!(inner.kind(), ErrorKind::OutputLimit);
    assert!(out.len() <= 1000);
    let mut out = Vec::new();
    let e = c
        .reader(&[][..], 1000)
        .unwrap()
        .read_to_end(&mut out)
        .unwrap_err();
    assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
}

/// Instantiates the one-shot suite for one codec type as `#[test]`s in a module.
///
/// `compress_conformance!(name, Type, make = |level| ..., checksummed = bool)`, optionally
/// followed by `, end_marker = false` for formats that may end after any chunk.
#[macro_export]
macro_rules! compress_conformance {
    ($name:ident, $ty:ty, make = $make:expr, checksummed = $sum:expr) => {
        $crate::compress_conformance!(
            $name,
            $ty,
            make = $make,
            checksummed = $sum,
            end_marker = true
        );
    };
    ($name:ident, $ty:ty, make = $make:expr, checksummed = $sum:expr, end_marker = $end:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            use arsenal_compress::Codec as _;

            fn make(level: i32) -> arsenal_compress::Result<$ty> {
                let f: fn(i32) -> arsenal_compress::Result<$ty> = $make;
                f(level)
            }
            fn proto() -> $ty {
                <$ty>::default()
            }

            #[test]
            fn round_trip_every_level() {
                $crate::compress::round_trip_levels(&make, &proto());
            }
            #[test]
            fn invalid_levels() {
                $crate::compress::invalid_levels(&make, &proto());
            }
            #[test]
            fn round_trip_corpus() {
                $crate::compress::round_trip_corpus(&make, &proto());
            }
            #[test]
            fn round_trip_64mib() {
                $crate::compress::round_trip_64mib(&make, &proto());
            }
            #[test]
            fn output_limit() {
                $crate::compress::output_limit(&make, &proto());
            }
            #[test]
            fn corrupt_input() {
                $crate::compress::corrupt_input_with(&make, &proto(), $sum, $end);
            }
            #[test]
            fn boxed_dyn_codec() {
                let mut boxed: Box<dyn arsenal_compress::Codec> = Box::new(proto());
                let c: &mut dyn arsenal_compress::Codec = &mut *boxed;
                let input = $crate::compress::gen_text(3, 10_000);
                let packed = arsenal_compress::Compress::compress(c, &input).unwrap();
                let back = arsenal_compress::Decompress::decompress(c, &packed, input.len());
                assert_eq!(back.unwrap(), input);
                assert_eq!(
                    arsenal_compress::Compress::name(c),
                    arsenal_compress::Compress::name(&proto())
                );
            }
        }
    };
}

/// Adds the streaming suite (and, with `tool = (cmd, [compress args], [decompress args])`,
/// the command-line cross-check) for a [`Streaming`] codec.
#[macro_export]
macro_rules! compress_streaming_conformance {
    ($name:ident, $ty:ty) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn streaming() {
                $crate::compress::streaming(&<$ty as arsenal_compress::Codec>::with_level, &<$ty>::default());
            }
        }
    };
    ($name:ident, $ty:ty, tool = ($cmd:expr, [$($ca:expr),*], [$($da:expr),*])) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn streaming() {
                $crate::compress::streaming(&<$ty as arsenal_compress::Codec>::with_level, &<$ty>::default());
            }
            #[test]
            fn cross_tool() {
                $crate::compress::cross_tool(
                    &<$ty as arsenal_compress::Codec>::with_level,
                    &<$ty>::default(),
                    $cmd,
                    &[$($ca),*],
                    &[$($da),*],
                );
            }
        }
    };
}
