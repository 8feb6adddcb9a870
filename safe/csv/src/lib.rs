//! CSV reading in native Rust: a SIMD parser and a scalar state machine behind one
//! streaming [`Reader`].
//!
//! | backend | how | when |
//! |---|---|---|
//! | [`Backend::Simd`] | 64-byte blocks: bitmaps of quotes, delimiters and line ends (AVX2, or portable SWAR), quoted regions by prefix-xor (`pclmulqdq` carry-less multiply, or shift-xor), carried across blocks; a structural index of field and record ends ("parsing gigabytes of JSON per second", Langdale & Lemire, applied to CSV by Ge, Li, Langdale et al.) | default, every CPU |
//! | [`Backend::Scalar`] | a byte-at-a-time state machine (RFC 4180 with the `csv` crate's lenient rules) | the reference; the SIMD backend hands it the records with stray quotes |
//!
//! Both give the same records and the same errors on every input (the conformance
//! suite and the fuzz target check it). No C library fits: the fast CSV parsers are
//! research code or parts of larger C++ systems, so this is our own, measured in the
//! matrix's `csv` rows against the `csv` crate (`docs/csv.md` has the numbers).
//!
//! The [`Reader`] reads any [`std::io::Read`] (no `BufReader` needed), reuses a
//! [`ByteRecord`] per call for speed, checks UTF-8 for [`StringRecord`]s and, with the
//! `serde` feature (default), deserialises records into structs by header name. Errors
//! carry the line and column of the problem: an unclosed quote, a ragged row
//! ([`ReaderBuilder::strict`]), invalid UTF-8, a record over the limits.
//!
//! ```
//! use arsenal_csv::{Backend, ByteRecord, ErrorKind, ReaderBuilder};
//!
//! let data = b"id,name\n1,\"Smith, \"\"J\"\"\"\n2,Lee\n3\n";
//! for backend in Backend::available() {
//!     let mut reader = ReaderBuilder::new().backend(backend).from_slice(data)?;
//!     let mut record = ByteRecord::new();
//!     assert!(reader.read_byte_record(&mut record)?);
//!     assert_eq!(record.get(1), Some(&b"Smith, \"J\""[..]));
//!     assert!(reader.read_byte_record(&mut record)?);
//!     let err = reader.read_byte_record(&mut record).unwrap_err();
//!     assert_eq!(err.kind(), ErrorKind::RaggedRow { expected: 2, got: 1 });
//!     assert_eq!(err.line(), Some(4));
//!     assert!(!reader.read_byte_record(&mut record)?);
//! }
//! # Ok::<(), arsenal_csv::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]

mod backend {
    pub(crate) mod scalar;
    pub(crate) mod simd;
}
#[cfg(feature = "serde")]
mod de;
mod error;
mod reader;
mod record;

pub use error::{Error, ErrorKind, Position, Result};
#[cfg(feature = "serde")]
pub use reader::Deserialized;
pub use reader::{ByteRecords, Reader, ReaderBuilder, StringRecords};
pub use record::{ByteRecord, ByteRecordIter, StringRecord};

arsenal_core::backends! {
    /// The CSV parsers this crate has (native Rust, always built).
    domain = "csv";
    pub enum Backend {
        /// 64-byte blocks, bitmaps and prefix-xor quote masks (AVX2 + PCLMULQDQ when the
        /// CPU has them, portable SWAR otherwise).
        Simd = "simd",
        /// A byte-at-a-time state machine.
        Scalar = "scalar",
    }
}

impl arsenal_core::Select for Backend {
    /// Both, SIMD first: it runs on every CPU (its portable kernel where AVX2 is
    /// missing).
    fn available() -> Vec<Backend> {
        vec![Backend::Simd, Backend::Scalar]
    }

    /// `Throughput`, `MaximalSpeed` and `Latency`: SIMD (`csv/parse/text`,
    /// `csv/parse/numeric`, `csv/parse/small`); `MinimalMemory`: scalar, which keeps no
    /// index next to the buffer (`csv/memory/numeric`); `Balanced`: SIMD, the default.
    fn for_strategy(strategy: arsenal_core::Strategy) -> Backend {
        use arsenal_core::Strategy::*;
        match strategy {
            MinimalMemory => Backend::Scalar,
            _ => Backend::Simd,
        }
    }

    fn evidence(strategy: arsenal_core::Strategy) -> Option<&'static str> {
        use arsenal_core::Strategy::*;
        match strategy {
            Balanced => None,
            Throughput => Some("csv/parse/text"),
            MaximalSpeed => Some("csv/parse/numeric"),
            Latency => Some("csv/parse/small"),
            MinimalMemory => Some("csv/memory/numeric"),
        }
    }
}

impl Backend {
    /// A reader of `source` with this backend and otherwise default settings.
    ///
    /// ```
    /// let mut reader = arsenal_csv::Backend::Scalar.reader(b"a\n1\n".as_slice())?;
    /// assert_eq!(reader.records().count(), 1);
    /// # Ok::<(), arsenal_csv::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorKind::OutOfMemory`] when the buffer cannot be allocated.
    pub fn reader<R: std::io::Read>(self, source: R) -> Result<Reader<R>> {
        ReaderBuilder::new().backend(self).from_reader(source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_shape() {
        arsenal_core::select::check_shape::<Backend>();
    }

    fn all(backend: Backend, data: &[u8]) -> Vec<Result<ByteRecord>> {
        let mut reader = ReaderBuilder::new()
            .backend(backend)
            .has_headers(false)
            .strict(false)
            .buffer_capacity(64)
            .from_slice(data)
            .unwrap();
        let mut out = Vec::new();
        let mut record = ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => out.push(Ok(record.clone())),
                Ok(false) => break,
                Err(e) => out.push(Err(e)),
            }
        }
        out
    }

    #[test]
    fn every_backend_parses() {
        let data = b"\xEF\xBB\xBFa,\"b,\"\"c\"\"\r\nd\"\n\ne,f\"g\"h,\"i\"j\n,\r\"k\"";
        let expected: Vec<ByteRecord> = vec![
            ByteRecord::from(vec![&b"a"[..], b"b,\"c\"\r\nd"]),
            ByteRecord::from(vec![&b"e"[..], b"f\"g\"h", b"ij"]),
            ByteRecord::from(vec![&b""[..], b""]),
            ByteRecord::from(vec![&b"k"[..]]),
        ];
        for backend in Backend::available() {
            let got: Vec<ByteRecord> = all(backend, data).into_iter().map(|r| r.unwrap()).collect();
            assert_eq!(got, expected, "{backend}");
        }
    }

    #[test]
    fn backends_agree_on_random_bytes() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..3_000 {
            let len = (round * 7) % 300;
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    b"\"\",,\n\r ab"[(x % 9) as usize]
                })
                .collect();
            let simd = all(Backend::Simd, &data);
            let scalar = all(Backend::Scalar, &data);
            let simple = |v: &[Result<ByteRecord>]| -> Vec<Result<ByteRecord, (ErrorKind, Option<Position>)>> {
                v.iter()
                    .map(|r| r.clone().map_err(|e| (e.kind(), e.position())))
                    .collect()
            };
            assert_eq!(
                simple(&simd),
                simple(&scalar),
                "{:?}",
                String::from_utf8_lossy(&data)
            );
        }
    }

    #[test]
    fn kernels_agree() {
        let data: Vec<u8> = (0..5_000u32)
            .flat_map(|i| format!("{i},\"q \"\"{i}\"\" x\",\"a\nb\",t{i}\n").into_bytes())
            .collect();
        for kernel in backend::simd::Kernel::all_usable() {
            let mut reader = ReaderBuilder::new()
                .has_headers(false)
                .from_slice(&data)
                .unwrap();
            reader.kernel = kernel;
            let records: Vec<ByteRecord> = reader.byte_records().map(|r| r.unwrap()).collect();
            assert_eq!(records.len(), 5_000);
            assert_eq!(records[7].get(1), Some(&b"q \"7\" x"[..]));
            assert_eq!(records[7].get(2), Some(&b"a\nb"[..]));
        }
    }

    #[test]
    fn limits() {
        for backend in Backend::available() {
            let long = format!("a,b\n{}\n", "x".repeat(1000));
            let mut reader = ReaderBuilder::new()
                .backend(backend)
                .has_headers(false)
                .max_record_bytes(100)
                .buffer_capacity(64)
                .from_slice(long.as_bytes())
                .unwrap();
            let mut record = ByteRecord::new();
            assert!(reader.read_byte_record(&mut record).unwrap());
            let err = reader.read_byte_record(&mut record).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::RecordTooLarge);
            assert_eq!((err.line(), err.column()), (Some(2), Some(1)));
            assert!(!reader.read_byte_record(&mut record).unwrap());
            let mut reader = ReaderBuilder::new()
                .backend(backend)
                .max_fields(2)
                .max_record_bytes(usize::MAX)
                .strict(false)
                .from_slice(b"a,b\n1,2,3\n4,5\n")
                .unwrap();
            let got: Vec<_> = reader
                .byte_records()
                .map(|r| r.map_err(|e| e.kind()))
                .collect();
            assert_eq!(got.len(), 2);
            assert_eq!(got[0], Err(ErrorKind::TooManyFields));
            assert_eq!(got[1], Ok(ByteRecord::from(vec!["4", "5"])));
        }
        let err = ReaderBuilder::new()
            .delimiter(b'"')
            .from_slice(b"")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }
}
