//! CSV (`arsenal-csv`): any bytes through both backends, under settings chosen by the
//! input.

use std::io::Read;

use arsenal_csv::{Backend, ByteRecord, ErrorKind, Position, ReaderBuilder, StringRecord};

/// One record, or an error's kind and position.
type Item = Result<Vec<Vec<u8>>, (ErrorKind, Option<Position>)>;

/// A reader that returns at most `chunk` bytes per `read`.
struct Trickle<'a> {
    data: &'a [u8],
    chunk: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.chunk.min(out.len()).min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// The settings the first two bytes choose.
struct Settings {
    delimiter: u8,
    has_headers: bool,
    strict: bool,
    capacity: usize,
    max_record_bytes: usize,
    max_fields: usize,
    chunk: usize,
}

impl Settings {
    fn from(a: u8, b: u8) -> Settings {
        Settings {
            delimiter: [b',', b';', b'\t', b'|', b' ', 0xFF, 0, b'a'][usize::from(a & 7)],
            has_headers: a & 8 != 0,
            strict: a & 16 != 0,
            capacity: [64, 100, 4096, 1 << 17][usize::from((a >> 5) & 3)],
            max_record_bytes: if a & 128 != 0 {
                usize::from(b & 63)
            } else {
                usize::MAX
            },
            max_fields: if b & 64 != 0 {
                usize::from(b & 7)
            } else {
                usize::MAX
            },
            chunk: if b & 128 != 0 {
                1 + usize::from(b & 15)
            } else {
                usize::MAX
            },
        }
    }

    fn builder(&self, backend: Backend) -> ReaderBuilder {
        let mut builder = ReaderBuilder::new();
        builder
            .backend(backend)
            .delimiter(self.delimiter)
            .has_headers(self.has_headers)
            .strict(self.strict)
            .buffer_capacity(self.capacity)
            .max_record_bytes(self.max_record_bytes)
            .max_fields(self.max_fields);
        builder
    }
}

fn records(settings: &Settings, backend: Backend, data: &[u8]) -> (Option<Vec<u8>>, Vec<Item>) {
    let source = Trickle {
        data,
        chunk: settings.chunk,
    };
    let mut reader = settings
        .builder(backend)
        .from_reader(source)
        .expect("valid settings");
    let headers = reader
        .headers()
        .ok()
        .flatten()
        .map(|h| h.iter().flatten().copied().collect());
    let mut record = ByteRecord::new();
    let mut out = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => out.push(Ok(record.iter().map(<[u8]>::to_vec).collect())),
            Ok(false) => break,
            Err(e) => {
                assert!(e.position().is_some(), "{backend}: {e} without a position");
                out.push(Err((e.kind(), e.position())));
            }
        }
        assert!(
            out.len() <= data.len() + 1,
            "{backend}: more records than bytes"
        );
    }
    (headers, out)
}

/// `csv_parse`: the first two bytes choose the settings (delimiter, header row, strict,
/// buffer size, record and field limits, bytes per `read`), the rest is the CSV. Both
/// backends must return the same records and the same errors (kind and position), never
/// panic, never return more records than there are bytes, and give every input error a
/// position; then [`StringRecord`]s and serde (into `Vec<String>` and a tuple of optional
/// numbers) must agree between backends too.
pub fn csv_parse(data: &[u8]) {
    let (settings, body) = match data {
        [a, b, rest @ ..] => (Settings::from(*a, *b), rest),
        _ => (Settings::from(0, 0), data),
    };
    let simd = records(&settings, Backend::Simd, body);
    let scalar = records(&settings, Backend::Scalar, body);
    assert_eq!(simd, scalar, "the backends disagree");

    let strings = |backend: Backend| -> Vec<Result<StringRecord, ErrorKind>> {
        let mut reader = settings
            .builder(backend)
            .from_slice(body)
            .expect("valid settings");
        reader
            .records()
            .map(|r| r.map_err(|e| e.kind()))
            .take(1 << 16)
            .collect()
    };
    assert_eq!(strings(Backend::Simd), strings(Backend::Scalar));

    type Row = (Option<i64>, Option<f64>, Option<bool>);
    let as_strings = |backend: Backend| -> Vec<Result<Vec<String>, ErrorKind>> {
        let mut reader = settings
            .builder(backend)
            .from_slice(body)
            .expect("valid settings");
        reader
            .deserialize()
            .map(|r| r.map_err(|e| e.kind()))
            .collect()
    };
    assert_eq!(as_strings(Backend::Simd), as_strings(Backend::Scalar));
    let as_rows = |backend: Backend| -> Vec<Result<String, ErrorKind>> {
        let mut reader = settings
            .builder(backend)
            .from_slice(body)
            .expect("valid settings");
        reader
            .deserialize::<Row>()
            .map(|r| r.map(|row| format!("{row:?}")).map_err(|e| e.kind()))
            .collect()
    };
    assert_eq!(as_rows(Backend::Simd), as_rows(Backend::Scalar));
}

/// Seeds for `csv_parse`: RFC 4180 files with quotes, escapes, CRLF, a byte-order mark,
/// multibyte UTF-8, stray quotes, an unclosed quote, ragged rows, each under a few
/// settings.
pub fn csv_seeds() -> Vec<(String, Vec<u8>)> {
    let files: &[(&str, &[u8])] = &[
        ("simple", b"a,b,c\n1,2,3\n4,5,6\n"),
        (
            "quoted",
            b"name,text\r\nx,\"a, \"\"b\"\"\r\nc\"\r\ny,\"\"\r\n",
        ),
        ("bom", b"\xEF\xBB\xBFid,v\n1,\xC3\xA9\n2,\xE2\x82\xAC\n"),
        ("stray", b"a,b\nx\"y,\"p\"q\n\"\"\"\",z\n"),
        ("unclosed", b"a,b\n1,\"open\n2,3\n"),
        ("ragged", b"a,b\n1\n1,2,3\n,\n"),
        ("numbers", b"i,f,b\n-3,2.5,true\n,1e9,false\n7,,\n"),
        ("empty-lines", b"\n\r\na\r\r\n\nb\n"),
    ];
    let mut seeds = Vec::new();
    for (name, file) in files {
        for (tag, settings) in [
            ("default", [8u8 | 16, 0]),
            ("small", [0, 128 | 3]),
            ("limits", [128 | 16, 64 | 2 | 12]),
        ] {
            let mut seed = settings.to_vec();
            seed.extend_from_slice(file);
            seeds.push((format!("{name}_{tag}"), seed));
        }
    }
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_hold_the_property() {
        for (_, seed) in csv_seeds() {
            csv_parse(&seed);
        }
        csv_parse(b"");
        csv_parse(b"\x00");
    }
}
