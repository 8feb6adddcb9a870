//! CSV rows of the matrix: `csv/<op>/<dataset>/<impl>`.
//!
//! | op | datasets | one iteration | bytes | checksum |
//! |---|---|---|---|---|
//! | `parse` | `numeric`, `text`, `quoted` (16 MiB each; 128 MiB with `arsenal-bench --large`), `small` (4 KiB) | a new reader over the in-memory file, every record read into one reused record | the file | records, fields, and per field its length, first and last byte, folded; equal to the `csv` crate's, computed once |
//! | `deserialize` | `numeric` | every record into a struct of 8 numbers (3 integers, 4 floats, 1 unsigned), by header name | the file | Σ of the values (floats by bit pattern of their running sum), equal to the `csv` crate's |
//!
//! Datasets, generated: `numeric` (an id, integers and floats with 4 decimals, 8
//! columns, LF), `text` (8 columns of 1–6 words, no quotes, LF), `quoted` (8 quoted
//! columns of words, a third with commas, some with `""` escapes or line ends, CRLF),
//! `small` (the first 4 KiB of `numeric`, cut at a line end).
//!
//! Impls: `arsenal:simd` and `arsenal:scalar` (arsenal-csv's two backends, a
//! `ByteRecord` reused per call), `peer:csv` (the `csv` crate: `read_byte_record` with a
//! reused `ByteRecord`, and `ByteRecord::deserialize` for `deserialize`, as its docs
//! recommend for speed), `peer:simd-csv` (the `simd-csv` crate's `Reader` with a reused
//! `ByteRecord`, its documented allocation-amortising loop; it has no serde, so its
//! `deserialize` cell is unsupported). No `raw:` row: no C library (see arsenal-csv's
//! docs).
//!
//! **Memory rows** `csv/memory/numeric/<impl>`: heap bytes held by a reader after it
//! read the `numeric` file (buffer, index, records).

use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use arsenal_csv::{Backend, ByteRecord, ReaderBuilder};

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::held_by;
use crate::harness::{rng, Case, Registry};
use crate::report::MemoryRow;
use crate::strategy::pick;

const NAME: &str = "csv";

/// The CSV domain of the matrix.
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "CSV parsing",
    register,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-csv",
        pick: pick::<arsenal_csv::Backend>,
    }),
    ..Domain::EMPTY
};

const WORDS: &[&str] = &[
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliett",
    "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
    "uniform", "victor", "whiskey", "xray", "yankee", "zulu", "é", "€",
];

/// About `bytes` of numeric rows, header first.
fn numeric(bytes: usize, seed: u64) -> Vec<u8> {
    let mut next = rng(seed);
    let mut out = b"id,a,b,c,d,e,f,g\n".to_vec();
    let mut id = 0u64;
    while out.len() < bytes {
        id += 1;
        let row = format!(
            "{id},{},{},{:.4},{:.4},{},{:.4},{:.4}\n",
            next() % 1_000_000,
            (next() % 2_000_000) as i64 - 1_000_000,
            (next() % 100_000_000) as f64 / 1e4,
            -((next() % 10_000_000) as f64) / 1e4,
            next() % 1_000,
            (next() % 1_000_000) as f64 / 1e4,
            (next() % 1_000_000_000) as f64 / 1e4,
        );
        out.extend_from_slice(row.as_bytes());
    }
    out
}

/// About `bytes` of rows of words; quoted (with commas, `""` and line ends, CRLF) or
/// not (LF).
fn words(bytes: usize, seed: u64, quoted: bool) -> Vec<u8> {
    let mut next = rng(seed);
    let mut out = b"c0,c1,c2,c3,c4,c5,c6,c7".to_vec();
    let eol: &[u8] = if quoted { b"\r\n" } else { b"\n" };
    out.extend_from_slice(eol);
    while out.len() < bytes {
        for col in 0..8 {
            if col > 0 {
                out.push(b',');
            }
            if quoted {
                out.push(b'"');
            }
            for w in 0..1 + next() % 6 {
                if w > 0 {
                    out.extend_from_slice(if quoted && next().is_multiple_of(3) {
                        b", "
                    } else {
                        b" "
                    });
                }
                out.extend_from_slice(WORDS[(next() % WORDS.len() as u64) as usize].as_bytes());
            }
            if quoted {
                match next() % 20 {
                    0 | 1 => out.extend_from_slice(b" \"\"quoted\"\""),
                    2 => out.extend_from_slice(b"\nnext line"),
                    _ => {}
                }
                out.push(b'"');
            }
        }
        out.extend_from_slice(eol);
    }
    out
}

/// The fold of one field into the checksum.
#[inline(always)]
fn fold(h: u64, field: &[u8]) -> u64 {
    let first = field.first().copied().unwrap_or(0) as u64;
    let last = field.last().copied().unwrap_or(0) as u64;
    (h ^ field.len() as u64 ^ (first << 32) ^ (last << 48)).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The checksum of a parse: records, fields and the fold of every field, as one number
/// ([`Digest::finish`]). Every engine's loop feeds it the same way.
#[derive(Default)]
struct Digest {
    h: u64,
    records: u64,
    fields: u64,
}

impl Digest {
    #[inline(always)]
    fn record<'a>(&mut self, fields: impl IntoIterator<Item = &'a [u8]>) {
        self.records += 1;
        for field in fields {
            self.fields += 1;
            self.h = fold(self.h, field);
        }
    }

    fn finish(&self) -> u64 {
        self.h ^ (self.records << 40) ^ self.fields
    }
}

fn parse_arsenal(data: &[u8], backend: Backend) -> u64 {
    let mut reader = ReaderBuilder::new()
        .backend(backend)
        .has_headers(false)
        .from_slice(data)
        .expect("default settings");
    let mut record = ByteRecord::new();
    let mut digest = Digest::default();
    while reader.read_byte_record(&mut record).expect("valid CSV") {
        digest.record(&record);
    }
    digest.finish()
}

fn parse_csv_crate(data: &[u8]) -> u64 {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(data);
    let mut record = csv::ByteRecord::new();
    let mut digest = Digest::default();
    while reader.read_byte_record(&mut record).expect("valid CSV") {
        digest.record(&record);
    }
    digest.finish()
}

fn parse_simd_csv(data: &[u8]) -> u64 {
    let mut reader = simd_csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(data);
    let mut record = simd_csv::ByteRecord::new();
    let mut digest = Digest::default();
    while reader.read_byte_record(&mut record).expect("valid CSV") {
        digest.record(record.iter());
    }
    digest.finish()
}

/// A row of the `numeric` file.
#[derive(serde::Deserialize)]
struct Row {
    id: u64,
    a: u32,
    b: i64,
    c: f64,
    d: f64,
    e: u16,
    f: f64,
    g: f64,
}

/// The `deserialize` checksum of rows.
#[derive(Default)]
struct Sum {
    ints: u64,
    floats: f64,
}

impl Sum {
    #[inline(always)]
    fn add(&mut self, row: &Row) {
        self.ints = self
            .ints
            .wrapping_add(row.id)
            .wrapping_add(u64::from(row.a))
            .wrapping_add(row.b as u64)
            .wrapping_add(u64::from(row.e));
        self.floats += row.c + row.d + row.f + row.g;
    }
    fn finish(&self) -> u64 {
        self.ints ^ self.floats.to_bits()
    }
}

fn deserialize_arsenal(data: &[u8], backend: Backend) -> u64 {
    let mut reader = ReaderBuilder::new()
        .backend(backend)
        .from_slice(data)
        .expect("default settings");
    let mut record = ByteRecord::new();
    let mut sum = Sum::default();
    while let Some(row) = reader
        .read_deserialize::<Row>(&mut record)
        .expect("numeric rows")
    {
        sum.add(&row);
    }
    sum.finish()
}

fn deserialize_csv_crate(data: &[u8]) -> u64 {
    let mut reader = csv::Reader::from_reader(data);
    let headers = reader.byte_headers().expect("a header row").clone();
    let mut record = csv::ByteRecord::new();
    let mut sum = Sum::default();
    while reader.read_byte_record(&mut record).expect("valid CSV") {
        let row: Row = record.deserialize(Some(&headers)).expect("numeric rows");
        sum.add(&row);
    }
    sum.finish()
}

type ParseFn = fn(&[u8]) -> u64;

const PARSERS: &[(&str, ParseFn)] = &[
    ("arsenal:simd", |d| parse_arsenal(d, Backend::Simd)),
    ("arsenal:scalar", |d| parse_arsenal(d, Backend::Scalar)),
    ("peer:csv", parse_csv_crate),
    ("peer:simd-csv", parse_simd_csv),
];

const DESERIALIZERS: &[(&str, ParseFn)] = &[
    ("arsenal:simd", |d| deserialize_arsenal(d, Backend::Simd)),
    ("arsenal:scalar", |d| {
        deserialize_arsenal(d, Backend::Scalar)
    }),
    ("peer:csv", deserialize_csv_crate),
];

fn datasets() -> Vec<(&'static str, Rc<Vec<u8>>)> {
    let size = if crate::harness::large() {
        128 << 20
    } else {
        16 << 20
    };
    let numeric_file = numeric(size, 1);
    let mut small = numeric_file[..4096].to_vec();
    let cut = small.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    small.truncate(cut);
    vec![
        ("numeric", Rc::new(numeric_file)),
        ("text", Rc::new(words(size, 2, false))),
        ("quoted", Rc::new(words(size, 3, true))),
        ("small", Rc::new(small)),
    ]
}

fn register(reg: &mut Registry, _data: Option<&Path>) {
    for (dataset, data) in datasets() {
        let want = parse_csv_crate(&data);
        for &(imp, parse) in PARSERS {
            let data = Rc::clone(&data);
            let bytes = data.len() as u64;
            reg.add(
                Case::new(NAME, "parse", dataset, imp, bytes, 1, move || {
                    parse(black_box(&data))
                })
                .expect(want),
            );
        }
        if dataset == "numeric" {
            let want = deserialize_csv_crate(&data);
            for &(imp, deserialize) in DESERIALIZERS {
                let data = Rc::clone(&data);
                let bytes = data.len() as u64;
                reg.add(
                    Case::new(NAME, "deserialize", dataset, imp, bytes, 1, move || {
                        deserialize(black_box(&data))
                    })
                    .expect(want),
                );
            }
            reg.add(Case::unsupported(
                NAME,
                "deserialize",
                dataset,
                "peer:simd-csv",
                "simd-csv has no serde support",
            ));
        }
    }
}

/// Heap bytes held by a reader (with its record) after reading the `numeric` file.
pub fn memory_rows() -> Vec<MemoryRow> {
    let data = numeric(16 << 20, 1);
    let data = data.as_slice();
    let mut rows = Vec::new();
    let mut row = |imp: &str, held: Option<usize>| {
        rows.push(MemoryRow {
            domain: NAME.to_owned(),
            dataset: "numeric".to_owned(),
            what: "a reader and its reused record after reading the 16 MiB numeric file: heap bytes held".to_owned(),
            imp: imp.to_owned(),
            items: 1,
            bytes_per_item: held.map(|b| b as f64),
        });
    };
    for (imp, backend) in [
        ("arsenal:simd", Backend::Simd),
        ("arsenal:scalar", Backend::Scalar),
    ] {
        let held = held_by(|| {
            let mut reader = ReaderBuilder::new()
                .backend(backend)
                .from_slice(data)
                .ok()?;
            let mut record = ByteRecord::new();
            while reader.read_byte_record(&mut record).ok()? {}
            Some((reader, record))
        });
        row(imp, held.map(|r| r.1));
    }
    let held = held_by(|| {
        let mut reader = csv::Reader::from_reader(data);
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).ok()? {}
        Some((reader, record))
    });
    row("peer:csv", held.map(|r| r.1));
    let held = held_by(|| {
        let mut reader = simd_csv::Reader::from_reader(data);
        let mut record = simd_csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).ok()? {}
        Some((reader, record))
    });
    row("peer:simd-csv", held.map(|r| r.1));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_impl_agrees_on_small_files() {
        for data in [
            numeric(20_000, 5),
            words(20_000, 6, false),
            words(20_000, 7, true),
        ] {
            let want = parse_csv_crate(&data);
            for &(imp, parse) in PARSERS {
                assert_eq!(parse(&data), want, "{imp}");
            }
        }
        let data = numeric(20_000, 8);
        let want = deserialize_csv_crate(&data);
        for &(imp, deserialize) in DESERIALIZERS {
            assert_eq!(deserialize(&data), want, "{imp}");
        }
    }
}
