//! Helpers shared by the backends' unit tests: generated inputs, the snappy-testdata
//! corpus, command-line cross-checks and the checks every codec's tests repeat.
#![cfg(test)]
// Each helper serves some backends; builds with only a few backend features use fewer.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::{Codec, Error, ErrorKind, Streaming};

/// `len` pseudo-random (incompressible) bytes from an xorshift64 generator seeded with `seed`.
pub(crate) fn xorshift(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as u8
        })
        .collect()
}

/// `len` bytes of repetitive English-like text (words, spaces, commas, newlines).
pub(crate) fn text(len: usize) -> Vec<u8> {
    let words = ["alpha ", "beta ", "gamma ", "delta\n", "epsilon ", "zeta, "];
    let mut out = Vec::with_capacity(len);
    let mut i = 0usize;
    while out.len() < len {
        out.extend_from_slice(words[(i * 7 + i / 5) % words.len()].as_bytes());
        i += 1;
    }
    out.truncate(len);
    out
}

/// Every file of the snappy-testdata corpus (`$ARSENAL_DATA`, else the workspace's
/// `../shared/data`, under `compression/snappy-testdata`) with its bytes, sorted by path;
/// `None`, after printing why, when the corpus is absent.
pub(crate) fn corpus() -> Option<Vec<(PathBuf, Vec<u8>)>> {
    let data = std::env::var_os("ARSENAL_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"));
    let dir = data.join("compression/snappy-testdata");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("skipping: {} absent", dir.display());
        return None;
    };
    let mut files: Vec<_> = entries
        .map(|entry| {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    files.sort();
    Some(files)
}

/// Runs `cmd args`, feeding `input` on stdin from another thread, and returns its stdout;
/// `None` when `cmd` is not installed. Asserts that the tool succeeded.
pub(crate) fn run_tool(cmd: &str, args: &[&str], input: &[u8]) -> Option<Vec<u8>> {
    let mut child = Command::new(cmd)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "{cmd} {args:?}: {}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    Some(out.stdout)
}

/// Asserts that one-shot decompression of every proper prefix of `packed` fails with
/// `Truncated` or `Corrupt`.
pub(crate) fn assert_truncations_fail<C: Codec>(c: &mut C, packed: &[u8], what: &str) {
    for len in 0..packed.len() {
        let e = c.decompress(&packed[..len], 1 << 20).unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::Truncated | ErrorKind::Corrupt),
            "{what}: cut at {len}: {e}"
        );
    }
}

/// Compresses `data` through `c.writer`, one `write_all` per `chunk` bytes, flushing
/// after the piece numbered `flush_after` (or before finishing, when there are fewer
/// pieces), and returns the finished stream.
pub(crate) fn write_in_chunks<C: Streaming>(
    c: &C,
    data: &[u8],
    chunk: usize,
    flush_after: Option<usize>,
) -> Vec<u8> {
    let mut w = c.writer(Vec::new()).unwrap();
    let mut flushed = false;
    for (i, piece) in data.chunks(chunk).enumerate() {
        w.write_all(piece).unwrap();
        if flush_after == Some(i) {
            w.flush().unwrap();
            flushed = true;
        }
    }
    if flush_after.is_some() && !flushed {
        w.flush().unwrap();
    }
    w.finish().unwrap()
}

/// Decompresses `packed` through `c.reader` (at most `limit` bytes) with `read` calls
/// into a `chunk`-byte buffer.
pub(crate) fn read_in_chunks<C: Streaming>(
    c: &C,
    packed: &[u8],
    limit: u64,
    chunk: usize,
) -> Vec<u8> {
    let mut r = c.reader(packed, limit).unwrap();
    let mut out = Vec::new();
    let mut buf = vec![0u8; chunk];
    loop {
        let n = r.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    out
}

/// Compresses `data` with `c.encoder()` into a 3-byte output buffer, asserting progress
/// on every `encode` call, and returns the finished stream.
pub(crate) fn encode_with_tiny_output<C: Streaming>(c: &C, data: &[u8]) -> Vec<u8> {
    use crate::stream::StreamEncoder;
    let mut enc = c.encoder().unwrap();
    let mut packed = Vec::new();
    let mut input = data;
    let mut out = [0u8; 3];
    while !input.is_empty() {
        let (consumed, written) = enc.encode(input, &mut out).unwrap();
        assert!(consumed + written > 0, "encode made no progress");
        packed.extend_from_slice(&out[..written]);
        input = &input[consumed..];
    }
    loop {
        let (written, done) = enc.finish(&mut out).unwrap();
        packed.extend_from_slice(&out[..written]);
        if done {
            break;
        }
    }
    packed
}

/// The error of reading all of `packed` through `c.reader` with `limit`; panics if the
/// read succeeds.
pub(crate) fn read_error<C: Streaming>(c: &C, packed: &[u8], limit: u64) -> std::io::Error {
    c.reader(packed, limit)
        .unwrap()
        .read_to_end(&mut Vec::new())
        .unwrap_err()
}

/// Asserts that reading `packed` through `c.reader` with `limit` fails with this crate's
/// `OutputLimit` inside the `io::Error`.
pub(crate) fn assert_reader_over_limit<C: Streaming>(c: &C, packed: &[u8], limit: u64) {
    let e = read_error(c, packed, limit);
    let inner = e.get_ref().and_then(|e| e.downcast_ref::<Error>());
    assert_eq!(
        inner.map(Error::kind),
        Some(ErrorKind::OutputLimit),
        "limit {limit}: {e}"
    );
}

/// Round-trips every corpus file through `C::with_level` at each of `levels`, leaving
/// out the (level, file size) pairs for which `skip` is true; a no-op without the corpus.
pub(crate) fn assert_corpus_round_trips<C: Codec>(
    levels: &[i32],
    skip: impl Fn(i32, usize) -> bool,
) {
    let Some(files) = corpus() else { return };
    for (path, data) in files {
        for &level in levels {
            if skip(level, data.len()) {
                continue;
            }
            let mut c = C::with_level(level).unwrap();
            let packed = c.compress(&data).unwrap();
            assert_eq!(
                c.decompress(&packed, data.len()).unwrap(),
                data,
                "{} at {level}",
                path.display()
            );
        }
    }
}
