//! Records: [`ByteRecord`] (fields as bytes) and [`StringRecord`] (UTF-8 checked).

use std::fmt;

/// One record: its fields as byte strings, unescaped (`""` inside a quoted field is one
/// `"`, the enclosing quotes are gone). Reuse one record across
/// [`Reader::read_byte_record`](crate::Reader::read_byte_record) calls to avoid
/// allocating per record.
///
/// ```
/// use arsenal_csv::ByteRecord;
///
/// let record = ByteRecord::from(vec!["a", "", "c"]);
/// assert_eq!(record.len(), 3);
/// assert_eq!(record.get(2), Some(&b"c"[..]));
/// assert_eq!(record.iter().collect::<Vec<_>>(), [&b"a"[..], b"", b"c"]);
/// ```
#[derive(Clone, Default)]
pub struct ByteRecord {
    /// The fields' bytes (the SIMD backend copies a record's raw bytes in one piece and
    /// points into them, so bytes between fields may be delimiters or quotes).
    pub(crate) data: Vec<u8>,
    /// Each field's start and end in `data`.
    pub(crate) bounds: Vec<(usize, usize)>,
}

impl PartialEq for ByteRecord {
    fn eq(&self, other: &ByteRecord) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for ByteRecord {}

impl std::hash::Hash for ByteRecord {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.len().hash(state);
        for field in self {
            field.hash(state);
        }
    }
}

impl ByteRecord {
    /// An empty record.
    pub fn new() -> ByteRecord {
        ByteRecord::default()
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// Field `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let &(start, end) = self.bounds.get(i)?;
        self.data.get(start..end)
    }

    /// The fields in order.
    pub fn iter(&self) -> ByteRecordIter<'_> {
        ByteRecordIter {
            record: self,
            next: 0,
        }
    }

    /// Removes every field (the memory is kept).
    pub fn clear(&mut self) {
        self.data.clear();
        self.bounds.clear();
    }

    /// Appends a field.
    pub fn push_field(&mut self, field: &[u8]) {
        let start = self.data.len();
        self.data.extend_from_slice(field);
        self.bounds.push((start, self.data.len()));
    }

    /// Ends the field built from the bytes appended to `data` since `start`.
    #[inline]
    pub(crate) fn end_field(&mut self, start: usize) {
        self.bounds.push((start, self.data.len()));
    }
}

impl fmt::Debug for ByteRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.iter().map(|field| String::from_utf8_lossy(field)))
            .finish()
    }
}

impl<T: AsRef<[u8]>> From<Vec<T>> for ByteRecord {
    fn from(fields: Vec<T>) -> ByteRecord {
        fields.iter().map(AsRef::as_ref).collect()
    }
}

impl<'a> FromIterator<&'a [u8]> for ByteRecord {
    fn from_iter<I: IntoIterator<Item = &'a [u8]>>(iter: I) -> ByteRecord {
        let mut record = ByteRecord::new();
        for field in iter {
            record.push_field(field);
        }
        record
    }
}

impl<'a> IntoIterator for &'a ByteRecord {
    type Item = &'a [u8];
    type IntoIter = ByteRecordIter<'a>;
    fn into_iter(self) -> ByteRecordIter<'a> {
        self.iter()
    }
}

/// The fields of a [`ByteRecord`], in order.
#[derive(Debug, Clone)]
pub struct ByteRecordIter<'a> {
    record: &'a ByteRecord,
    next: usize,
}

impl<'a> Iterator for ByteRecordIter<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        let field = self.record.get(self.next)?;
        self.next += 1;
        Some(field)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.record.len() - self.next;
        (left, Some(left))
    }
}

impl ExactSizeIterator for ByteRecordIter<'_> {}

/// A record whose fields are valid UTF-8.
///
/// ```
/// use arsenal_csv::{ByteRecord, StringRecord};
///
/// let record = StringRecord::from_byte_record(ByteRecord::from(vec!["x", "ÿ"])).unwrap();
/// assert_eq!(record.iter().collect::<Vec<_>>(), ["x", "ÿ"]);
/// let bad = ByteRecord::from(vec![&b"\xff"[..]]);
/// assert!(StringRecord::from_byte_record(bad).is_err());
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct StringRecord(ByteRecord);

impl StringRecord {
    /// An empty record.
    pub fn new() -> StringRecord {
        StringRecord::default()
    }

    /// Checks that every field of `record` is UTF-8.
    ///
    /// # Errors
    /// The record back, with the index of the first field that is not UTF-8.
    pub fn from_byte_record(record: ByteRecord) -> Result<StringRecord, (ByteRecord, usize)> {
        if let Ok(text) = std::str::from_utf8(&record.data) {
            // The buffer is UTF-8: a field is not only where its bounds cut a character.
            let cut =
                |&(a, b): &(usize, usize)| !text.is_char_boundary(a) || !text.is_char_boundary(b);
            return match record.bounds.iter().position(cut) {
                Some(bad) => Err((record, bad)),
                None => Ok(StringRecord(record)),
            };
        }
        // Bytes between fields (delimiters, quotes) are not UTF-8: check field by field.
        match record.iter().position(|f| std::str::from_utf8(f).is_err()) {
            Some(bad) => Err((record, bad)),
            None => Ok(StringRecord(record)),
        }
    }

    /// The number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the record has no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Field `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&str> {
        // SAFETY: `from_byte_record` checked that every field is UTF-8, and the record
        // is never changed afterwards except by `push_field` with a `&str`.
        self.0
            .get(i)
            .map(|field| unsafe { std::str::from_utf8_unchecked(field) })
    }

    /// The fields in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i).unwrap_or_default())
    }

    /// Appends a field.
    pub fn push_field(&mut self, field: &str) {
        self.0.push_field(field.as_bytes());
    }

    /// The record as bytes.
    pub fn as_byte_record(&self) -> &ByteRecord {
        &self.0
    }

    /// The record as bytes, by value.
    pub fn into_byte_record(self) -> ByteRecord {
        self.0
    }
}

impl fmt::Debug for StringRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: AsRef<str>> From<Vec<T>> for StringRecord {
    fn from(fields: Vec<T>) -> StringRecord {
        let mut record = StringRecord::new();
        for field in &fields {
            record.push_field(field.as_ref());
        }
        record
    }
}
