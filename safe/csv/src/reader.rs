//! The streaming reader shared by both backends: buffering, limits, headers, positions.

use std::io;

use crate::backend::scalar::{self, Outcome};
use crate::backend::simd::{Index, Kernel};
use crate::error::{Error, ErrorKind, Position, Result, CHECKS};
use crate::record::{ByteRecord, StringRecord};
use crate::Backend;

/// The buffer's initial size (it grows only for a record longer than it).
const DEFAULT_CAPACITY: usize = 32 * 1024;
/// The UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Settings of a [`Reader`].
///
/// ```
/// use arsenal_csv::{Backend, ReaderBuilder};
///
/// let mut reader = ReaderBuilder::new()
///     .delimiter(b';')
///     .has_headers(false)
///     .backend(Backend::Scalar)
///     .from_slice(b"1;2\n3;4\n".as_slice())?;
/// let rows: Vec<_> = reader.records().collect::<Result<_, _>>()?;
/// assert_eq!(rows[1].get(1), Some("4"));
/// # Ok::<(), arsenal_csv::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ReaderBuilder {
    delimiter: u8,
    has_headers: bool,
    strict: bool,
    backend: Backend,
    max_record_bytes: usize,
    max_fields: usize,
    capacity: usize,
}

impl Default for ReaderBuilder {
    fn default() -> ReaderBuilder {
        ReaderBuilder::new()
    }
}

impl ReaderBuilder {
    /// The defaults: `,`, a header row, strict, the default backend
    /// ([`Backend::for_strategy`]`(Balanced)`), no limits.
    pub fn new() -> ReaderBuilder {
        ReaderBuilder {
            delimiter: b',',
            has_headers: true,
            strict: true,
            backend: Backend::for_strategy(arsenal_core::Strategy::Balanced),
            max_record_bytes: usize::MAX,
            max_fields: usize::MAX,
            capacity: DEFAULT_CAPACITY,
        }
    }

    /// The field delimiter (default `,`). Not `"`, `\n` or `\r`
    /// ([`ErrorKind::InvalidArgument`] when the reader is built).
    pub fn delimiter(&mut self, delimiter: u8) -> &mut ReaderBuilder {
        self.delimiter = delimiter;
        self
    }

    /// Whether the first record is a header row (default `true`): it is not returned as
    /// a record but by [`Reader::headers`], and names struct fields for
    /// `Reader::deserialize` (feature `serde`).
    pub fn has_headers(&mut self, yes: bool) -> &mut ReaderBuilder {
        self.has_headers = yes;
        self
    }

    /// Whether a record with a different number of fields than the first one is an
    /// [`ErrorKind::RaggedRow`] (default `true`, as the `csv` crate's non-flexible
    /// default).
    pub fn strict(&mut self, yes: bool) -> &mut ReaderBuilder {
        self.strict = yes;
        self
    }

    /// The backend (default: [`Backend::Simd`]).
    pub fn backend(&mut self, backend: Backend) -> &mut ReaderBuilder {
        self.backend = backend;
        self
    }

    /// The longest record, in bytes from its first byte to its line end (default and
    /// `usize::MAX`: no limit). A longer record is an [`ErrorKind::RecordTooLarge`]
    /// after at most this many bytes plus one buffer have been read for it.
    pub fn max_record_bytes(&mut self, bytes: usize) -> &mut ReaderBuilder {
        self.max_record_bytes = bytes;
        self
    }

    /// The most fields in a record (default and `usize::MAX`: no limit); a record with
    /// more is an [`ErrorKind::TooManyFields`].
    pub fn max_fields(&mut self, fields: usize) -> &mut ReaderBuilder {
        self.max_fields = fields;
        self
    }

    /// The initial buffer size in bytes (default 32 KiB; at least 64 are used).
    pub fn buffer_capacity(&mut self, bytes: usize) -> &mut ReaderBuilder {
        self.capacity = bytes;
        self
    }

    /// A reader of `source`.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] for a delimiter that is `"`, `\n` or `\r`;
    /// [`ErrorKind::OutOfMemory`] when the buffer cannot be allocated.
    pub fn from_reader<R: io::Read>(&self, source: R) -> Result<Reader<R>> {
        if matches!(self.delimiter, b'"' | b'\n' | b'\r') {
            return Err(Error::new(
                ErrorKind::InvalidArgument,
                CHECKS,
                format!(
                    "the delimiter {:?} is a quote or a line end",
                    char::from(self.delimiter)
                ),
            ));
        }
        let capacity = self.capacity.max(64);
        let mut buf = Vec::new();
        buf.try_reserve_exact(capacity).map_err(|_| {
            Error::new(
                ErrorKind::OutOfMemory,
                CHECKS,
                format!("a buffer of {capacity} bytes"),
            )
        })?;
        buf.resize(capacity, 0);
        Ok(Reader {
            source,
            buf,
            pos: 0,
            end: 0,
            eof: false,
            done: false,
            bom_checked: false,
            base: 0,
            lines_at_base: 0,
            line_start_at_base: 0,
            options: self.clone(),
            kernel: Kernel::detect(),
            index: Index::default(),
            index_synced: false,
            partial: None,
            scalar_resume: None,
            headers: None,
            expected: None,
            records: 0,
            last_start: 0,
        })
    }

    /// A reader of a byte slice. Its buffer is the smaller of the
    /// [`buffer_capacity`](Self::buffer_capacity) and the slice's length plus 64 bytes.
    ///
    /// # Errors
    /// As [`from_reader`](Self::from_reader).
    pub fn from_slice<'a>(&self, input: &'a [u8]) -> Result<Reader<&'a [u8]>> {
        // A slice shorter than the buffer fits whole in one of its own length (plus a
        // block of slack): allocating and zeroing 32 KiB would dominate a small file.
        let mut fitted = self.clone();
        fitted.capacity = self.capacity.min(input.len().saturating_add(64));
        fitted.from_reader(input)
    }
}

/// A CSV reader over any [`io::Read`] (buffered internally: no `BufReader` needed).
///
/// Formats: RFC 4180 fields, quoted with `"` (a doubled `""` inside is one quote), the
/// delimiter of [`ReaderBuilder::delimiter`], records ending at `\n`, `\r\n` or a lone
/// `\r`, the last one with or without a line end; empty lines are skipped and a UTF-8
/// byte-order mark at the start is dropped. Lenient as the `csv` crate: a quote in the
/// middle of an unquoted field is an ordinary byte, and bytes after a closing quote join
/// the field (`"ab"c` is `abc`). Unlike the `csv` crate, a quoted field still open at
/// the end of the input is an error ([`ErrorKind::UnclosedQuote`]).
///
/// ```
/// use arsenal_csv::Reader;
///
/// let data = "city,pop\r\n\"Paris, FR\",2100000\r\nOslo,709000\r\n";
/// let mut reader = Reader::from_slice(data.as_bytes());
/// assert_eq!(reader.headers()?.unwrap().get(1), Some(&b"pop"[..]));
/// let mut record = arsenal_csv::ByteRecord::new();
/// let mut names = Vec::new();
/// while reader.read_byte_record(&mut record)? {
///     names.push(String::from_utf8(record.get(0).unwrap().to_vec()).unwrap());
/// }
/// assert_eq!(names, ["Paris, FR", "Oslo"]);
/// # Ok::<(), arsenal_csv::Error>(())
/// ```
#[derive(Debug)]
pub struct Reader<R> {
    source: R,
    /// The buffer: `buf[pos..end]` is read and not yet consumed.
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// The source returned end of file.
    eof: bool,
    /// No more records (end of input, or a fatal error).
    done: bool,
    bom_checked: bool,
    /// The input offset of `buf[0]`.
    base: u64,
    /// `\n` bytes before `buf[0]`.
    lines_at_base: u64,
    /// The input offset where the line holding `buf[0]` starts.
    line_start_at_base: u64,
    options: ReaderBuilder,
    pub(crate) kernel: Kernel,
    /// The SIMD backend's structural index, valid from `pos` when `index_synced`.
    index: Index,
    index_synced: bool,
    /// The SIMD backend stopped inside a record for more input (its fields so far are
    /// in the caller's record).
    partial: Option<Partial>,
    /// The same for the scalar backend.
    scalar_resume: Option<scalar::Resume>,
    headers: Option<ByteRecord>,
    /// The number of fields of the first record (strict readers).
    expected: Option<usize>,
    /// Records read so far (the header row included).
    records: u64,
    /// The buffer offset of the last record's first byte.
    last_start: usize,
}

impl<'a> Reader<&'a [u8]> {
    /// A reader of `input` with the default settings ([`ReaderBuilder::new`]).
    pub fn from_slice(input: &'a [u8]) -> Reader<&'a [u8]> {
        ReaderBuilder::new()
            .from_slice(input)
            .expect("the default settings are valid and the buffer is at most 32 KiB")
    }
}

impl<R: io::Read> Reader<R> {
    /// A reader of `source` with the default settings ([`ReaderBuilder::new`]).
    ///
    /// # Panics
    /// Only if the 32 KiB buffer cannot be allocated (use
    /// [`ReaderBuilder::from_reader`] for an `Err` instead).
    pub fn new(source: R) -> Reader<R> {
        ReaderBuilder::new()
            .from_reader(source)
            .expect("the default settings are valid and the default buffer is small")
    }

    /// The backend parsing the records.
    pub fn backend(&self) -> Backend {
        self.options.backend
    }

    /// The instruction set of the SIMD backend on this CPU: `"avx2+pclmulqdq"` or
    /// `"portable"`.
    pub fn simd_kernel(&self) -> &'static str {
        self.kernel.name()
    }

    /// The header row: `None` when the reader has none ([`ReaderBuilder::has_headers`]),
    /// an empty record when the input is empty.
    ///
    /// # Errors
    /// As [`read_byte_record`](Self::read_byte_record), for the first record.
    pub fn headers(&mut self) -> Result<Option<&ByteRecord>> {
        if self.options.has_headers && self.headers.is_none() {
            self.read_headers()?;
        }
        Ok(self.headers.as_ref())
    }

    fn read_headers(&mut self) -> Result<()> {
        let mut headers = ByteRecord::new();
        self.read_checked(&mut headers)?;
        self.headers = Some(headers);
        Ok(())
    }

    /// Reads the next record into `record` (replacing its fields); `Ok(false)` at the
    /// end of the input.
    ///
    /// After an error in a record ([`ErrorKind::RaggedRow`],
    /// [`ErrorKind::TooManyFields`]) the next call reads the record after it; after an
    /// [`ErrorKind::Io`], [`ErrorKind::RecordTooLarge`] or [`ErrorKind::UnclosedQuote`]
    /// there are no further records.
    ///
    /// # Errors
    /// The [`ErrorKind`]s above, with the [`Position`] of the problem.
    pub fn read_byte_record(&mut self, record: &mut ByteRecord) -> Result<bool> {
        if self.options.has_headers && self.headers.is_none() {
            self.read_headers()?;
        }
        self.read_checked(record)
    }

    /// Reads the next record into `record`, checking that it is UTF-8.
    ///
    /// # Errors
    /// As [`read_byte_record`](Self::read_byte_record), and [`ErrorKind::Utf8`] (the
    /// record is skipped).
    pub fn read_string_record(&mut self, record: &mut StringRecord) -> Result<bool> {
        let mut bytes = std::mem::take(record).into_byte_record();
        let more = self.read_byte_record(&mut bytes)?;
        match StringRecord::from_byte_record(bytes) {
            Ok(checked) => {
                *record = checked;
                Ok(more)
            }
            Err((mut bytes, field)) => {
                bytes.clear();
                *record = StringRecord::from_byte_record(bytes).unwrap_or_default();
                Err(self.record_error(ErrorKind::Utf8, format!("field {field} is not UTF-8")))
            }
        }
    }

    /// The records as [`ByteRecord`]s.
    pub fn byte_records(&mut self) -> ByteRecords<'_, R> {
        ByteRecords {
            reader: self,
            record: ByteRecord::new(),
        }
    }

    /// The records as [`StringRecord`]s.
    pub fn records(&mut self) -> StringRecords<'_, R> {
        StringRecords {
            reader: self,
            record: StringRecord::new(),
        }
    }

    /// The records deserialised into `T`: struct fields by header name when the reader
    /// has a header row, by position otherwise; tuples and vectors by position. Fields
    /// hold numbers, `bool` (`true`/`false`), `char`, strings, unit enum variants by
    /// name, or `Option`s of these (an empty field is `None`).
    ///
    /// ```
    /// #[derive(serde::Deserialize, Debug, PartialEq)]
    /// struct Row {
    ///     name: String,
    ///     score: f64,
    ///     rank: Option<u32>,
    /// }
    ///
    /// let mut reader = arsenal_csv::Reader::from_slice(b"rank,name,score\n,ann,2.5\n1,bob,3\n");
    /// let rows: Vec<Row> = reader.deserialize().collect::<Result<_, _>>()?;
    /// assert_eq!(rows[0], Row { name: "ann".into(), score: 2.5, rank: None });
    /// assert_eq!(rows[1].rank, Some(1));
    /// # Ok::<(), arsenal_csv::Error>(())
    /// ```
    #[cfg(feature = "serde")]
    pub fn deserialize<T: serde::de::DeserializeOwned>(&mut self) -> Deserialized<'_, R, T> {
        Deserialized {
            reader: self,
            record: ByteRecord::new(),
            _type: std::marker::PhantomData,
        }
    }

    /// Reads the next record and deserialises it into `T` (see
    /// [`deserialize`](Self::deserialize)); `Ok(None)` at the end of the input.
    ///
    /// # Errors
    /// As [`read_byte_record`](Self::read_byte_record), and [`ErrorKind::Deserialize`]
    /// or [`ErrorKind::Utf8`] (the record is skipped).
    #[cfg(feature = "serde")]
    pub fn read_deserialize<T: serde::de::DeserializeOwned>(
        &mut self,
        record: &mut ByteRecord,
    ) -> Result<Option<T>> {
        if !self.read_byte_record(record)? {
            return Ok(None);
        }
        let headers = if self.options.has_headers {
            self.headers.as_ref()
        } else {
            None
        };
        match crate::de::from_record(record, headers) {
            Ok(value) => Ok(Some(value)),
            Err(e) => {
                let e = e.into_problem();
                let kind = if e.utf8 {
                    ErrorKind::Utf8
                } else {
                    ErrorKind::Deserialize
                };
                Err(self.record_error(kind, e.message))
            }
        }
    }

    /// Reads one record and applies the limits and the strict check.
    fn read_checked(&mut self, record: &mut ByteRecord) -> Result<bool> {
        if !self.read_raw(record)? {
            return Ok(false);
        }
        if record.len() > self.options.max_fields {
            return Err(self.record_error(
                ErrorKind::TooManyFields,
                format!(
                    "{} fields, more than the limit of {}",
                    record.len(),
                    self.options.max_fields
                ),
            ));
        }
        if self.options.strict {
            match self.expected {
                None => self.expected = Some(record.len()),
                Some(expected) if expected != record.len() => {
                    let got = record.len();
                    return Err(self.record_error(
                        ErrorKind::RaggedRow { expected, got },
                        format!("{got} fields where the first record has {expected}"),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(true)
    }

    /// An error about the last record read, at its first byte.
    #[cold]
    fn record_error(&mut self, kind: ErrorKind, message: String) -> Error {
        let at = self.position(self.last_start, self.records.saturating_sub(1));
        Error::new(kind, self.options.backend.name(), message).at(at)
    }

    /// Parses one record; `Ok(false)` at the end of the input.
    fn read_raw(&mut self, record: &mut ByteRecord) -> Result<bool> {
        if self.done {
            record.clear();
            return Ok(false);
        }
        if !self.bom_checked {
            while self.end - self.pos < BOM.len() && !self.eof {
                self.fill()?;
            }
            if self.buf[self.pos..self.end].starts_with(BOM) {
                self.pos += BOM.len();
                self.line_start_at_base = self.base + self.pos as u64;
                self.index_synced = false;
            }
            self.bom_checked = true;
        }
        loop {
            let outcome = match self.options.backend {
                Backend::Scalar => scalar::parse(
                    &self.buf[..self.end],
                    self.pos,
                    self.eof,
                    self.options.delimiter,
                    record,
                    &mut self.scalar_resume,
                ),
                Backend::Simd => self.simd_parse(record),
            };
            match outcome {
                Outcome::Record { start, end, next } => {
                    self.pos = next;
                    self.last_start = start;
                    self.records += 1;
                    if end - start > self.options.max_record_bytes {
                        return Err(self.too_large(start));
                    }
                    return Ok(true);
                }
                Outcome::End => {
                    self.pos = self.end;
                    self.done = true;
                    record.clear();
                    return Ok(false);
                }
                Outcome::NeedMore { start } => {
                    self.pos = start;
                    // The record already has more than the limit (the SIMD backend
                    // leaves at most 64 bytes unindexed: both backends agree).
                    if self.end - start > self.options.max_record_bytes.saturating_add(65) {
                        self.last_start = start;
                        self.records += 1;
                        return Err(self.too_large(start));
                    }
                    self.fill()?;
                }
                Outcome::Unclosed { start, quote } => {
                    self.last_start = start;
                    self.records += 1;
                    self.done = true;
                    record.clear();
                    if self.end - start > self.options.max_record_bytes {
                        return Err(self.too_large(start));
                    }
                    let at = self.position(quote, self.records - 1);
                    self.pos = self.end;
                    return Err(Error::new(
                        ErrorKind::UnclosedQuote,
                        self.options.backend.name(),
                        "the input ends inside this quoted field",
                    )
                    .at(at));
                }
            }
        }
    }

    #[cold]
    fn too_large(&mut self, start: usize) -> Error {
        self.done = true;
        let at = self.position(start, self.records - 1);
        Error::new(
            ErrorKind::RecordTooLarge,
            self.options.backend.name(),
            format!(
                "a record longer than the limit of {} bytes",
                self.options.max_record_bytes
            ),
        )
        .at(at)
    }

    /// The SIMD backend: fields from the structural index while it lasts; the scalar
    /// state machine for the record holding a stray quote and for the last record.
    fn simd_parse(&mut self, record: &mut ByteRecord) -> Outcome {
        let mut start = self.pos;
        let mut field_start = start;
        let mut escaped = false;
        match self.partial.take() {
            // More input for the record the last call left: its fields so far stay in
            // `record`, and the index goes on where it stopped (see `fill`).
            Some(partial) if self.index_synced => {
                field_start = start + partial.field_offset;
                escaped = partial.escaped;
            }
            _ => {
                record.clear();
                if !self.index_synced {
                    self.index.reset(self.pos);
                    self.index_synced = true;
                }
            }
        }
        let buf = &self.buf[..self.end];
        loop {
            let pending = &self.index.seps[self.index.cursor..];
            for (k, &entry) in pending.iter().enumerate() {
                // Positions index `buf`, so they fit a usize.
                let at = (entry >> 3) as usize;
                let is_end = entry & 1 == 1;
                if is_end && at == start && record.bounds.is_empty() {
                    // An empty line (or the `\n` of a `\r\n`).
                    start = at + 1;
                    field_start = start;
                    continue;
                }
                // Bounds relative to the record's first byte, until its bytes are copied;
                // a quoted field without `""` loses its quotes here, one with `""` in
                // `unquote`.
                let (from, to) = (field_start - start, at - start);
                match entry & 6 {
                    0 => record.bounds.push((from, to)),
                    2 => record.bounds.push((from + 1, to - 1)),
                    _ => {
                        escaped = true;
                        record.bounds.push((from, to));
                    }
                }
                if is_end {
                    self.index.cursor += k + 1;
                    record.data.extend_from_slice(&buf[start..at]);
                    if escaped {
                        unquote(record);
                    }
                    return Outcome::Record {
                        start,
                        end: at,
                        next: at + 1,
                    };
                }
                field_start = at + 1;
            }
            self.index.cursor = self.index.seps.len();
            if !self
                .index
                .index_more(self.kernel, buf, self.eof, self.options.delimiter)
            {
                if self.index.stray.is_some() || self.index.complete {
                    self.index_synced = false;
                    // A record needing more input starts over (from the index) then.
                    return scalar::parse(
                        buf,
                        start,
                        self.eof,
                        self.options.delimiter,
                        record,
                        &mut None,
                    );
                }
                self.partial = Some(Partial {
                    field_offset: field_start - start,
                    escaped,
                });
                return Outcome::NeedMore { start };
            }
        }
    }

    /// Drops the consumed bytes and reads more (growing the buffer when it is full).
    fn fill(&mut self) -> Result<()> {
        if self.pos > 0 {
            let dropped = &self.buf[..self.pos];
            let newlines = count_newlines(dropped);
            if newlines > 0 {
                let last = dropped.iter().rposition(|&b| b == b'\n').unwrap_or(0);
                self.line_start_at_base = self.base + last as u64 + 1;
            }
            self.lines_at_base += newlines;
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.base += self.pos as u64;
            self.last_start = self.last_start.saturating_sub(self.pos);
            // The SIMD index (when it stopped for more input) moves with the bytes.
            self.index.shift(self.pos);
            self.pos = 0;
        }
        if self.end == self.buf.len() {
            let grown = self.buf.len().checked_mul(2).ok_or_else(|| {
                Error::new(
                    ErrorKind::OutOfMemory,
                    CHECKS,
                    "record buffer size overflow",
                )
            })?;
            self.buf
                .try_reserve_exact(grown - self.buf.len())
                .map_err(|_| {
                    Error::new(
                        ErrorKind::OutOfMemory,
                        CHECKS,
                        format!("a record buffer of {grown} bytes"),
                    )
                })?;
            self.buf.resize(grown, 0);
        }
        loop {
            match self.source.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.end += n.min(self.buf.len() - self.end),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    let at = self.position(self.pos, self.records);
                    return Err(Error::new(
                        ErrorKind::Io(e.kind()),
                        self.options.backend.name(),
                        e.to_string(),
                    )
                    .at(at));
                }
            }
            return Ok(());
        }
    }

    /// The position of buffer offset `at`.
    fn position(&self, at: usize, record: u64) -> Position {
        let at = at.min(self.end);
        let before = &self.buf[..at];
        let line = self.lines_at_base + count_newlines(before) + 1;
        let line_start = match before.iter().rposition(|&b| b == b'\n') {
            Some(i) => self.base + i as u64 + 1,
            None => self.line_start_at_base,
        };
        let byte = self.base + at as u64;
        Position {
            line,
            column: byte.saturating_sub(line_start) + 1,
            byte,
            record,
        }
    }
}

/// Unescapes the fields of a record copied raw that still start with a quote (the
/// quoted fields holding `""`; each ends with its closing quote, as the index checked):
/// an unescaped copy goes at the end of `data` and the field's bounds point to it.
fn unquote(record: &mut ByteRecord) {
    for i in 0..record.bounds.len() {
        let (start, end) = record.bounds[i];
        if end - start < 2 || record.data[start] != b'"' {
            continue;
        }
        let (inner, inner_end) = (start + 1, end - 1);
        let copy = record.data.len();
        let mut at = inner;
        while let Some(k) = record.data[at..inner_end].iter().position(|&b| b == b'"') {
            record.data.extend_from_within(at..at + k + 1);
            at += k + 2;
        }
        if at < inner_end {
            record.data.extend_from_within(at..inner_end);
        }
        record.bounds[i] = (copy, record.data.len());
    }
}

/// The number of `\n` bytes (in 128-byte chunks, which the compiler vectorises).
fn count_newlines(bytes: &[u8]) -> u64 {
    let chunks = bytes.chunks_exact(128);
    let tail = chunks.remainder();
    let mut n: u64 = chunks
        .map(|chunk| {
            let in_chunk = chunk.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'));
            u64::from(in_chunk)
        })
        .sum();
    n += tail.iter().filter(|&&b| b == b'\n').count() as u64;
    n
}

/// Where the SIMD backend stopped inside a record for more input.
#[derive(Debug, Clone, Copy)]
struct Partial {
    /// The start of the field being read, from the record's first byte.
    field_offset: usize,
    /// A field so far holds `""`.
    escaped: bool,
}

/// The records of a [`Reader`] as [`ByteRecord`]s ([`Reader::byte_records`]).
#[derive(Debug)]
pub struct ByteRecords<'r, R> {
    reader: &'r mut Reader<R>,
    record: ByteRecord,
}

impl<R: io::Read> Iterator for ByteRecords<'_, R> {
    type Item = Result<ByteRecord>;
    fn next(&mut self) -> Option<Result<ByteRecord>> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(true) => Some(Ok(self.record.clone())),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// The records of a [`Reader`] as [`StringRecord`]s ([`Reader::records`]).
#[derive(Debug)]
pub struct StringRecords<'r, R> {
    reader: &'r mut Reader<R>,
    record: StringRecord,
}

impl<R: io::Read> Iterator for StringRecords<'_, R> {
    type Item = Result<StringRecord>;
    fn next(&mut self) -> Option<Result<StringRecord>> {
        match self.reader.read_string_record(&mut self.record) {
            Ok(true) => Some(Ok(self.record.clone())),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// The records of a [`Reader`] deserialised into `T` ([`Reader::deserialize`]).
#[cfg(feature = "serde")]
#[derive(Debug)]
pub struct Deserialized<'r, R, T> {
    reader: &'r mut Reader<R>,
    record: ByteRecord,
    _type: std::marker::PhantomData<fn() -> T>,
}

#[cfg(feature = "serde")]
impl<R: io::Read, T: serde::de::DeserializeOwned> Iterator for Deserialized<'_, R, T> {
    type Item = Result<T>;
    fn next(&mut self) -> Option<Result<T>> {
        self.reader.read_deserialize(&mut self.record).transpose()
    }
}
