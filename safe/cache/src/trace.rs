//! Reading and generating request traces (one `u64` key per request).

use crate::{Error, ErrorKind, Result};

/// Parses a text trace with one non-negative integer key per line, as the LIRS paper's
/// traces (Jiang & Zhang 2002) are distributed: blank lines and lines starting with `*`
/// are skipped; surrounding spaces, tabs and `\r` are ignored.
///
/// # Errors
/// [`ErrorKind::Corrupt`] naming the first line that is not such a key (a sign, a
/// fraction, text, or a number above `u64::MAX`).
///
/// ```
/// let keys = arsenal_cache::trace::parse_lirs(b"17\n*\n\n 3\r\n17\n")?;
/// assert_eq!(keys, [17, 3, 17]);
/// assert!(arsenal_cache::trace::parse_lirs(b"1\nx\n").is_err());
/// # Ok::<(), arsenal_cache::Error>(())
/// ```
pub fn parse_lirs(text: &[u8]) -> Result<Vec<u64>> {
    let mut keys = Vec::with_capacity(text.len() / 8);
    for (n, line) in text.split(|&b| b == b'\n').enumerate() {
        let line = line.trim_ascii();
        if line.is_empty() || line[0] == b'*' {
            continue;
        }
        let key = std::str::from_utf8(line)
            .ok()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<u64>().ok())
            .ok_or_else(|| {
                let shown = String::from_utf8_lossy(&line[..line.len().min(40)]).into_owned();
                Error::new(
                    ErrorKind::Corrupt,
                    "lirs-trace",
                    format!("line {}: not a non-negative integer key: {shown:?}", n + 1),
                )
            })?;
        keys.push(key);
    }
    Ok(keys)
}

/// Parses a binary trace of big-endian signed 32-bit keys, the format of the cache2k
/// traces (decompressed). Keys map to `u64` through their 32-bit pattern (`-1` becomes
/// `0xffff_ffff`), so distinct keys stay distinct.
///
/// # Errors
/// [`ErrorKind::Corrupt`] when the length is not a multiple of 4.
///
/// ```
/// let keys = arsenal_cache::trace::parse_cache2k(&[0, 0, 0, 5, 0xff, 0xff, 0xff, 0xff])?;
/// assert_eq!(keys, [5, 0xffff_ffff]);
/// assert!(arsenal_cache::trace::parse_cache2k(&[0, 0, 0]).is_err());
/// # Ok::<(), arsenal_cache::Error>(())
/// ```
pub fn parse_cache2k(bytes: &[u8]) -> Result<Vec<u64>> {
    if bytes.len() % 4 != 0 {
        return Err(Error::new(
            ErrorKind::Corrupt,
            "cache2k-trace",
            format!(
                "{} bytes is not a whole number of 32-bit keys ({} trailing)",
                bytes.len(),
                bytes.len() % 4
            ),
        ));
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|c| u64::from(u32::from_be_bytes([c[0], c[1], c[2], c[3]])))
        .collect())
}

/// The number of distinct keys in `trace`.
pub fn distinct(trace: &[u64]) -> usize {
    trace.iter().collect::<std::collections::HashSet<_>>().len()
}

/// A deterministic trace of `n` requests over `keys` distinct keys (0..keys) drawn from
/// a Zipf distribution with exponent `s` (P(rank r) ∝ 1/rᵗ with t = `s`), the ranks
/// shuffled over the key space by a fixed permutation; `seed` picks the stream.
///
/// Uses an inverse-CDF table (8 bytes per key).
///
/// # Errors
/// [`ErrorKind::Parameter`] when `keys` is 0 or above 2³², or `s` is negative or not
/// finite.
///
/// ```
/// let t = arsenal_cache::trace::zipf(10_000, 1_000, 0.99, 1)?;
/// assert_eq!(t.len(), 10_000);
/// assert!(t.iter().all(|&k| k < 1_000));
/// # Ok::<(), arsenal_cache::Error>(())
/// ```
pub fn zipf(n: usize, keys: u64, s: f64, seed: u64) -> Result<Vec<u64>> {
    if keys == 0 || keys > 1 << 32 || !s.is_finite() || s < 0.0 {
        return Err(Error::new(
            ErrorKind::Parameter,
            "zipf",
            format!("need 1 ≤ keys ≤ 2^32 and a finite exponent ≥ 0 (keys {keys}, s {s})"),
        ));
    }
    let mut cdf = Vec::with_capacity(keys as usize);
    let mut sum = 0.0f64;
    for r in 1..=keys {
        sum += (r as f64).powf(-s);
        cdf.push(sum);
    }
    let mut state = seed ^ 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        // splitmix64
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mask = keys.next_power_of_two() - 1;
    let shift = (mask.count_ones() / 2).max(1);
    let permute = |r: u64| {
        // Multiply by an odd constant, xorshift, multiply: each step is a bijection of
        // 0..=mask, so walking the cycle until the value is below `keys` is one of
        // 0..keys.
        let mut x = r;
        loop {
            x = x.wrapping_mul(0x5851_f42d_4c95_7f2d) & mask;
            x ^= x >> shift;
            x = x.wrapping_mul(0x2545_f491_4f6c_dd1d) & mask;
            if x < keys {
                return x;
            }
        }
    };
    Ok((0..n)
        .map(|_| {
            let u = (next() >> 11) as f64 / (1u64 << 53) as f64 * sum;
            let r = cdf.partition_point(|&c| c <= u) as u64;
            permute(r.min(keys - 1))
        })
        .collect())
}

/// A trace file's key format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Text, one key per line ([`parse_lirs`]).
    Lirs,
    /// Big-endian signed 32-bit keys ([`parse_cache2k`]).
    Cache2k,
}

impl Format {
    /// Parses decompressed trace bytes in this format.
    ///
    /// # Errors
    /// As [`parse_lirs`] and [`parse_cache2k`].
    pub fn parse(self, bytes: &[u8]) -> Result<Vec<u64>> {
        match self {
            Format::Lirs => parse_lirs(bytes),
            Format::Cache2k => parse_cache2k(bytes),
        }
    }
}

/// Reads a trace file: gzip (`.gz`) and xz (`.xz`) files are decompressed (at most
/// `max_bytes` of output: a file that expands further is refused), any other name is
/// read as it is; then the keys are parsed as `format`.
///
/// ```no_run
/// use arsenal_cache::trace::{load, Format};
/// let keys = load("../shared/data/cache-traces/lirs/multi2.trace.gz".as_ref(), Format::Lirs, 1 << 30)?;
/// # Ok::<(), arsenal_cache::Error>(())
/// ```
///
/// # Errors
/// [`ErrorKind::Io`] when the file cannot be read, [`ErrorKind::Corrupt`] for a
/// malformed compressed stream, output beyond `max_bytes`, or malformed keys.
#[cfg(feature = "compressed-traces")]
pub fn load(path: &std::path::Path, format: Format, max_bytes: usize) -> Result<Vec<u64>> {
    use std::io::Read;
    let name = path.display().to_string();
    let io_err = |e: std::io::Error| Error::new(ErrorKind::Io, "trace", format!("{name}: {e}"));
    let file = std::io::BufReader::new(std::fs::File::open(path).map_err(io_err)?);
    let limit = u64::try_from(max_bytes)
        .unwrap_or(u64::MAX)
        .saturating_add(1);
    let too_big = || {
        Error::new(
            ErrorKind::Corrupt,
            "trace",
            format!("{name}: decompresses to more than {max_bytes} bytes"),
        )
    };
    let mut bytes = Vec::new();
    match path.extension().and_then(|e| e.to_str()) {
        Some("gz") => {
            flate2::bufread::MultiGzDecoder::new(file)
                .take(limit)
                .read_to_end(&mut bytes)
                .map_err(|e| Error::new(ErrorKind::Corrupt, "gzip", format!("{name}: {e}")))?;
        }
        Some("xz") => {
            let mut out = Bounded {
                bytes: &mut bytes,
                max: max_bytes,
            };
            let mut input = file;
            lzma_rs::xz_decompress(&mut input, &mut out).map_err(|e| match e {
                lzma_rs::error::Error::IoError(io)
                    if io.kind() == std::io::ErrorKind::FileTooLarge =>
                {
                    too_big()
                }
                lzma_rs::error::Error::IoError(io)
                    if io.kind() != std::io::ErrorKind::UnexpectedEof =>
                {
                    io_err(io)
                }
                e => Error::new(ErrorKind::Corrupt, "xz", format!("{name}: {e}")),
            })?;
        }
        _ => {
            file.take(limit).read_to_end(&mut bytes).map_err(io_err)?;
        }
    }
    if bytes.len() > max_bytes {
        return Err(too_big());
    }
    format.parse(&bytes)
}

/// A `Write` into a vector that refuses to grow past `max` bytes.
#[cfg(feature = "compressed-traces")]
struct Bounded<'a> {
    bytes: &'a mut Vec<u8>,
    max: usize,
}

#[cfg(feature = "compressed-traces")]
impl std::io::Write for Bounded<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.max - self.bytes.len() {
            return Err(std::io::ErrorKind::FileTooLarge.into());
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
