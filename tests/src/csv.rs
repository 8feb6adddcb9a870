//! The CSV suite, run once per backend by [`csv_conformance!`](crate::csv_conformance):
//! the same records as the `csv` crate on a table of edge cases and on generated files
//! (block boundaries at every offset, quoted fields spanning blocks, one-byte reads),
//! the same records and errors as the scalar reference on any bytes, errors with the
//! right kind, line and column, the limits at their maximum, and serde.

use std::io::{self, Read};

use arsenal_csv::{Backend, ByteRecord, ErrorKind, Position, ReaderBuilder};

/// One record, or an error's kind and position.
pub type Item = Result<Vec<Vec<u8>>, (ErrorKind, Option<Position>)>;

/// A reader that returns at most `chunk` bytes per `read`.
#[derive(Debug)]
pub struct Trickle<'a> {
    data: &'a [u8],
    chunk: usize,
}

impl<'a> Trickle<'a> {
    /// `data`, `chunk` bytes at a time.
    pub fn new(data: &'a [u8], chunk: usize) -> Trickle<'a> {
        Trickle { data, chunk }
    }
}

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.chunk.min(out.len()).min(self.data.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Every record and error of `source` read by `backend` (no header row, not strict,
/// `capacity`-byte buffer), in order.
pub fn read_all(backend: Backend, source: impl Read, capacity: usize) -> Vec<Item> {
    let mut reader = ReaderBuilder::new()
        .backend(backend)
        .has_headers(false)
        .strict(false)
        .buffer_capacity(capacity)
        .from_reader(source)
        .expect("valid settings");
    let mut record = ByteRecord::new();
    let mut out = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => out.push(Ok(record.iter().map(<[u8]>::to_vec).collect())),
            Ok(false) => return out,
            Err(e) => out.push(Err((e.kind(), e.position()))),
        }
        assert!(out.len() <= 1 << 24, "a reader that never ends");
    }
}

/// The records of the `csv` crate (no header row, flexible).
pub fn csv_crate(data: &[u8]) -> Vec<Vec<Vec<u8>>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut record = csv::ByteRecord::new();
    let mut out = Vec::new();
    while reader
        .read_byte_record(&mut record)
        .expect("a flexible csv reader fails only on I/O")
    {
        out.push(record.iter().map(<[u8]>::to_vec).collect());
    }
    out
}

/// Checks `backend` against the `csv` crate on `data`: the same records, except that
/// where the input ends inside a quoted field the csv crate returns that last record and
/// we return an [`ErrorKind::UnclosedQuote`] instead.
pub fn check_against_csv_crate(backend: Backend, data: &[u8]) {
    let ours = read_all(backend, data, 1 << 16);
    let theirs = csv_crate(data);
    let (records, unclosed): (Vec<_>, Vec<_>) = ours.into_iter().partition(Result::is_ok);
    let records: Vec<Vec<Vec<u8>>> = records.into_iter().map(Result::unwrap).collect();
    let show = String::from_utf8_lossy(data);
    match unclosed.as_slice() {
        [] => assert_eq!(records, theirs, "{backend} on {show:?}"),
        [Err((ErrorKind::UnclosedQuote, Some(_)))] => {
            assert_eq!(records.len() + 1, theirs.len(), "{backend} on {show:?}");
            assert_eq!(records, theirs[..records.len()], "{backend} on {show:?}");
        }
        other => panic!("{backend} on {show:?}: unexpected errors {other:?}"),
    }
}

/// The edge cases: the `csv` crate's documented behaviour (RFC 4180 quoting, `""`
/// escapes, CRLF, lone CR, empty fields and lines, trailing delimiters, no final line
/// end, a byte-order mark, multibyte UTF-8, stray quotes).
pub const EDGE_CASES: &[&[u8]] = &[
    b"",
    b"\n",
    b"\r\n\r\n",
    b"a",
    b"a\n",
    b"a,b,c\n1,2,3\n",
    b"a,b,c\r\n1,2,3\r\n",
    b"a,b\r1,2\r",
    b"a,b\n\n\n1,2\n",
    b"a,b\r\n\r\n1,2",
    b",\n,,\n",
    b"a,\n,b\n",
    b"\"\"\n",
    b"\"\",\"\"\n",
    b"\"a,b\",c\n",
    b"\"a\nb\",\"c\r\nd\"\n",
    b"\"a\"\"b\"\n",
    b"\"\"\"\"\n",
    b"\"\"\"a\"\"\"\n",
    b"a\"b,c\n",
    b"a\"\"b\n",
    b"\"ab\"cd,e\n",
    b"\"ab\" ,c\n",
    b" \"a\",b\n",
    b"\"a\"\"\n",
    b"a,\"b\n",
    b"\"\n",
    b"\xEF\xBB\xBFa,b\n1,2\n",
    b"\xEF\xBB\xBF\"a\",b\n",
    b"\xEF\xBB",
    b"h\xC3\xA9llo,w\xC3\xB6rld,\xE2\x82\xAC,\xF0\x9F\x98\x80\n",
    b"a,b,\n",
    b"a;b,c\n",
    b"\t,\x00,\xFF\n",
];

/// A file of `rows` random records: numbers, words, quoted fields with delimiters,
/// line ends and `""` escapes, empty fields, CRLF and LF line ends.
pub fn generated(rows: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut out = Vec::new();
    for _ in 0..rows {
        for field in 0..5 {
            if field > 0 {
                out.push(b',');
            }
            match next() % 6 {
                0 => out.extend_from_slice((next() % 100_000).to_string().as_bytes()),
                1 => out.extend_from_slice(
                    format!("{:.3}", (next() % 1_000_000) as f64 / 7.0).as_bytes(),
                ),
                2 => {
                    let len = next() % 40;
                    out.extend((0..len).map(|_| b'a' + (next() % 26) as u8));
                }
                3 => {
                    out.push(b'"');
                    let len = next() % 150;
                    for _ in 0..len {
                        out.extend_from_slice(match next() % 12 {
                            0 => b",",
                            1 => b"\"\"",
                            2 => b"\n",
                            3 => b"\r\n",
                            4 => "é".as_bytes(),
                            _ => b"x",
                        });
                    }
                    out.push(b'"');
                }
                4 => {}
                _ => out.extend_from_slice("€uro".as_bytes()),
            }
        }
        out.extend_from_slice(if next() % 4 == 0 { b"\r\n" } else { b"\n" });
    }
    out
}

/// Edge cases against the `csv` crate.
pub fn edge_cases(backend: Backend) {
    for case in EDGE_CASES {
        check_against_csv_crate(backend, case);
    }
}

/// Generated files against the `csv` crate, whole and read a few bytes at a time, with
/// buffers small enough that records straddle refills.
pub fn generated_files(backend: Backend) {
    for seed in 1..4 {
        let data = generated(3_000, seed);
        check_against_csv_crate(backend, &data);
        let whole = read_all(backend, data.as_slice(), 1 << 16);
        assert_eq!(read_all(backend, Trickle::new(&data, 1), 64), whole);
        assert_eq!(read_all(backend, Trickle::new(&data, 97), 100), whole);
        assert_eq!(read_all(Backend::Scalar, data.as_slice(), 1 << 16), whole);
    }
}

/// A field, then a quoted field, starting at every offset of the 64-byte blocks, and
/// quoted fields from 0 to 200 bytes long (opening in one block, closing blocks later).
pub fn block_boundaries(backend: Backend) {
    for offset in 0..130 {
        for len in [0usize, 1, 2, 63, 64, 65, 130, 200] {
            let mut data = vec![b'x'; offset];
            data.extend_from_slice(b",\"");
            for i in 0..len {
                data.push(if i % 17 == 5 { b',' } else { b'q' });
            }
            data.extend_from_slice(b"\"\"\",y\r\n");
            data.extend(std::iter::repeat(b'z').take(offset % 70));
            data.extend_from_slice(b",\"a\"\"\n");
            check_against_csv_crate(backend, &data);
            let records = read_all(backend, data.as_slice(), 64);
            assert_eq!(records.len(), 2);
            let first = records[0].as_ref().unwrap();
            assert_eq!(first[0].len(), offset);
            assert_eq!(first[1].len(), len + 1);
            assert_eq!(
                records[1],
                Err((ErrorKind::UnclosedQuote, records[1].clone().unwrap_err().1))
            );
        }
    }
}

/// Records of 200 KB (a quoted field with delimiters, line ends and `""`, an unquoted
/// one) from a source returning 1 or 3 bytes per `read`: the same records, in time
/// linear in the input (a parser that restarted the record at every `read` would take
/// ~10¹⁰ steps here).
pub fn long_records_trickle(backend: Backend) {
    let mut data = b"h1,h2\n\"".to_vec();
    for i in 0..20_000 {
        data.extend_from_slice(if i % 7 == 0 {
            b"a,\"\"\nb\r\n"
        } else {
            b"0123456789"
        });
    }
    data.extend_from_slice(b"\",");
    data.extend(std::iter::repeat(b'x').take(200_000));
    data.extend_from_slice(b"\n1,2\n");
    let whole = read_all(backend, data.as_slice(), 1 << 15);
    assert_eq!(whole.len(), 3);
    assert_eq!(whole[1].as_ref().unwrap()[1].len(), 200_000);
    for chunk in [1, 3] {
        assert_eq!(
            read_all(backend, Trickle::new(&data, chunk), 1 << 15),
            whole
        );
    }
    check_against_csv_crate(backend, &data);
}

/// Malformed input: the kind, line and column of each error, and what follows it.
pub fn malformed(backend: Backend) {
    let read = |data: &[u8], strict: bool| -> Vec<Result<Vec<String>, (ErrorKind, u64, u64)>> {
        let mut reader = ReaderBuilder::new()
            .backend(backend)
            .strict(strict)
            .from_slice(data)
            .unwrap();
        reader
            .records()
            .map(|r| {
                r.map(|rec| rec.iter().map(str::to_owned).collect())
                    .map_err(|e| (e.kind(), e.line().unwrap(), e.column().unwrap()))
            })
            .collect()
    };
    // Unclosed quote: the position of the opening quote (line 3, after a quoted line
    // end inside the second record).
    let got = read(b"h1,h2\n1,\"a\nb\"\n2,x\"y\n3,\"open\n", true);
    assert_eq!(got.len(), 3);
    assert_eq!(got[1], Ok(vec!["2".to_owned(), "x\"y".to_owned()]));
    assert_eq!(got[2], Err((ErrorKind::UnclosedQuote, 5, 3)));
    // Ragged rows: the record's line, column 1; reading goes on after them.
    let got = read(b"a,b\r\n1,2\r\n3\r\n4,5,6\r\n7,8", true);
    assert_eq!(
        got,
        vec![
            Ok(vec!["1".to_owned(), "2".to_owned()]),
            Err((
                ErrorKind::RaggedRow {
                    expected: 2,
                    got: 1
                },
                3,
                1
            )),
            Err((
                ErrorKind::RaggedRow {
                    expected: 2,
                    got: 3
                },
                4,
                1
            )),
            Ok(vec!["7".to_owned(), "8".to_owned()]),
        ]
    );
    assert_eq!(read(b"a,b\n3\n4,5,6\n", false).len(), 2);
    // Invalid UTF-8 in a StringRecord: the record's position, then the next record.
    let got = read(b"a\nok\n\xFF\xFE\nlast\n", true);
    assert_eq!(got[1], Err((ErrorKind::Utf8, 3, 1)));
    assert_eq!(got[2], Ok(vec!["last".to_owned()]));
    // A byte-order mark is not counted in columns.
    let got = read(b"\xEF\xBB\xBFa,b\n1,\"2", true);
    assert_eq!(got, vec![Err((ErrorKind::UnclosedQuote, 2, 3))]);
    // A delimiter that is a quote or a line end.
    for bad in [b'"', b'\n', b'\r'] {
        let err = ReaderBuilder::new()
            .delimiter(bad)
            .from_slice(b"a")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }
}

/// A reader that fails once its data is read (ten bytes per call before that).
struct Failing<'a> {
    data: &'a [u8],
}

impl Read for Failing<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.data.is_empty() {
            return Err(io::Error::new(io::ErrorKind::ConnectionReset, "gone"));
        }
        let n = out.len().min(self.data.len()).min(10);
        out[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

/// Limits: `usize::MAX` is no limit, small limits give their errors at the right
/// record, an impossible buffer is an `Err`, and a failing source an `Io` error.
pub fn limits(backend: Backend) {
    let data = generated(500, 9);
    let unlimited = ReaderBuilder::new()
        .backend(backend)
        .has_headers(false)
        .strict(false)
        .max_record_bytes(usize::MAX)
        .max_fields(usize::MAX)
        .from_slice(&data)
        .unwrap()
        .byte_records()
        .count();
    assert_eq!(unlimited, csv_crate(&data).len());
    let err = ReaderBuilder::new()
        .buffer_capacity(usize::MAX)
        .from_reader(&b""[..])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OutOfMemory);
    // A slice needs no buffer larger than itself: the same capacity reads it.
    let fitted = ReaderBuilder::new()
        .backend(backend)
        .has_headers(false)
        .buffer_capacity(usize::MAX)
        .from_slice(&data)
        .unwrap()
        .byte_records()
        .count();
    assert_eq!(fitted, unlimited);
    let mut reader = ReaderBuilder::new()
        .backend(backend)
        .has_headers(false)
        .max_record_bytes(0)
        .from_slice(b"\n\na\n")
        .unwrap();
    let err = reader.byte_records().next().unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RecordTooLarge);
    assert_eq!((err.line(), err.column()), (Some(3), Some(1)));
    assert!(reader.byte_records().next().is_none());
    let mut reader = ReaderBuilder::new()
        .backend(backend)
        .has_headers(false)
        .max_fields(0)
        .strict(false)
        .from_slice(b"a\n\"\"\n")
        .unwrap();
    let kinds: Vec<_> = reader
        .byte_records()
        .map(|r| r.unwrap_err().kind())
        .collect();
    assert_eq!(kinds, [ErrorKind::TooManyFields, ErrorKind::TooManyFields]);
    let mut reader = ReaderBuilder::new()
        .backend(backend)
        .from_reader(Failing {
            data: b"a,b\n1,2\n3,4",
        })
        .unwrap();
    // The records before the failure depend on how far the backend reads ahead (the
    // SIMD backend indexes whole 64-byte blocks): a prefix, then the error, then nothing.
    let got: Vec<_> = reader.byte_records().collect();
    assert!((1..=2).contains(&got.len()));
    if got.len() == 2 {
        assert_eq!(got[0].as_ref().unwrap(), &ByteRecord::from(vec!["1", "2"]));
    }
    let err = got.last().unwrap().as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io(io::ErrorKind::ConnectionReset));
    assert_eq!(
        io::Error::from(err.clone()).kind(),
        io::ErrorKind::ConnectionReset
    );
}

/// Truncations and random byte changes of valid files: never a panic, the same records
/// and errors as the scalar reference, and the `csv` crate's records.
pub fn hostile(backend: Backend) {
    let data = generated(60, 4);
    for cut in (0..data.len()).step_by(7) {
        let part = &data[..cut];
        assert_eq!(
            read_all(backend, part, 64),
            read_all(Backend::Scalar, part, 64)
        );
        check_against_csv_crate(backend, part);
    }
    let mut x = 77u64;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..300 {
        let mut bad = data.clone();
        for _ in 0..1 + next() % 8 {
            let at = (next() % bad.len() as u64) as usize;
            bad[at] = b"\",\r\n\xFFa"[(next() % 6) as usize];
        }
        assert_eq!(
            read_all(backend, bad.as_slice(), 64),
            read_all(Backend::Scalar, bad.as_slice(), 64)
        );
        check_against_csv_crate(backend, &bad);
    }
}

/// A row of the serde check.
#[derive(Debug, PartialEq, serde::Deserialize)]
pub struct Row {
    /// A string.
    pub name: String,
    /// A float.
    pub score: f64,
    /// An optional integer (empty: `None`).
    pub rank: Option<u32>,
    /// A boolean.
    pub ok: bool,
    /// A unit enum by name.
    pub kind: Kind,
}

/// A unit enum of the serde check.
#[derive(Debug, PartialEq, serde::Deserialize)]
pub enum Kind {
    /// One.
    Red,
    /// Another.
    Blue,
}

/// serde: structs by header name (any column order), tuples by position, the same
/// values as the `csv` crate's serde, and a bad number as an error at its line.
pub fn serde_records(backend: Backend) {
    let data = b"ok,rank,name,score,kind\ntrue,,\"Lee, A\",2.5,Red\nfalse,7,Bo,-1e3,Blue\n";
    let mut reader = ReaderBuilder::new()
        .backend(backend)
        .from_slice(data)
        .unwrap();
    let ours: Vec<Row> = reader.deserialize().collect::<Result<_, _>>().unwrap();
    let theirs: Vec<Row> = csv::Reader::from_reader(&data[..])
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ours, theirs);
    assert_eq!(ours[0].rank, None);
    assert_eq!(ours[1].kind, Kind::Blue);

    let mut reader = ReaderBuilder::new()
        .backend(backend)
        .has_headers(false)
        .from_slice(b"1,x,2.5\n2,y,z\n3,w,1\n")
        .unwrap();
    let got: Vec<_> = reader.deserialize::<(u8, String, f32)>().collect();
    assert_eq!(got[0].as_ref().unwrap(), &(1, "x".to_owned(), 2.5));
    let err = got[1].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Deserialize);
    assert_eq!((err.line(), err.column()), (Some(2), Some(1)));
    assert!(err.message().contains("field 2"), "{}", err.message());
    assert_eq!(got[2].as_ref().unwrap(), &(3, "w".to_owned(), 1.0));
}

/// Instantiates the CSV suite for one backend: `csv_conformance!(simd, Backend::Simd)`.
#[macro_export]
macro_rules! csv_conformance {
    ($name:ident, $backend:expr) => {
        mod $name {
            use $crate::csv;

            #[test]
            fn edge_cases_match_csv_crate() {
                csv::edge_cases($backend);
            }

            #[test]
            fn generated_files_match_csv_crate() {
                csv::generated_files($backend);
            }

            #[test]
            fn block_boundaries() {
                csv::block_boundaries($backend);
            }

            #[test]
            fn long_records_trickle() {
                csv::long_records_trickle($backend);
            }

            #[test]
            fn malformed_input_errors() {
                csv::malformed($backend);
            }

            #[test]
            fn limits() {
                csv::limits($backend);
            }

            #[test]
            fn hostile_input() {
                csv::hostile($backend);
            }

            #[test]
            fn serde_records() {
                csv::serde_records($backend);
            }
        }
    };
}
