//! Arsenal's binary filter format: `b"ARSF"`, a version byte (1), a kind byte, then the
//! filter's own fields, little-endian, with nothing after them.

use crate::{err, Backend, ErrorKind, Result};

const MAGIC: &[u8; 4] = b"ARSF";
const VERSION: u8 = 1;

fn code(kind: Backend) -> u8 {
    match kind {
        Backend::BinaryFuse8 => 1,
        Backend::BinaryFuse16 => 2,
        Backend::Xor8 => 3,
        Backend::Xor16 => 4,
        Backend::Bloom => 5,
        Backend::Cuckoo => 6,
        Backend::Quotient8 => 7,
        Backend::Quotient16 => 8,
        Backend::Ribbon8 => 9,
        Backend::Ribbon16 => 10,
    }
}

fn kind_of(code: u8) -> Option<Backend> {
    Backend::ALL
        .iter()
        .copied()
        .find(|&b| self::code(b) == code)
}

/// The header of a filter of `kind`.
pub(crate) fn header(kind: Backend, capacity: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(6 + capacity);
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    out.push(code(kind));
    out
}

/// The kind named by a serialised filter's header.
pub(crate) fn peek_kind(bytes: &[u8]) -> Result<Backend> {
    if bytes.len() < 6 || &bytes[..4] != MAGIC {
        return Err(err(
            ErrorKind::Corrupt,
            Backend::BinaryFuse8,
            "not an Arsenal filter (bad magic)",
        ));
    }
    if bytes[4] != VERSION {
        return Err(err(
            ErrorKind::Corrupt,
            Backend::BinaryFuse8,
            format!("unsupported filter format version {}", bytes[4]),
        ));
    }
    kind_of(bytes[5]).ok_or_else(|| {
        err(
            ErrorKind::Corrupt,
            Backend::BinaryFuse8,
            format!("unknown filter kind {}", bytes[5]),
        )
    })
}

/// Reads the fields of one filter kind, every read bounds-checked.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    kind: Backend,
}

impl<'a> Reader<'a> {
    /// Checks the header names `kind`, and reads what follows it.
    pub(crate) fn new(bytes: &'a [u8], kind: Backend) -> Result<Self> {
        let found = peek_kind(bytes)?;
        if found != kind {
            return Err(err(
                ErrorKind::Corrupt,
                kind,
                format!("the bytes hold a {found} filter, not {kind}"),
            ));
        }
        Ok(Reader {
            bytes: &bytes[6..],
            kind,
        })
    }

    pub(crate) fn corrupt(&self, message: impl Into<String>) -> crate::Error {
        err(ErrorKind::Corrupt, self.kind, message)
    }

    pub(crate) fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.bytes.len() < n {
            return Err(self.corrupt("truncated"));
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    pub(crate) fn u64(&mut self) -> Result<u64> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }

    /// A count of elements of `size` bytes that must all be present in the input: never
    /// trusted to allocate more than the input holds.
    pub(crate) fn count(&mut self, size: usize) -> Result<usize> {
        let n = self.u64()?;
        let n = usize::try_from(n).map_err(|_| self.corrupt("length does not fit usize"))?;
        match n.checked_mul(size) {
            Some(bytes) if bytes <= self.bytes.len() => Ok(n),
            _ => Err(self.corrupt(format!("length {n} exceeds the input"))),
        }
    }

    /// Ends the read: trailing bytes are an error.
    pub(crate) fn finish(self) -> Result<()> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(self.corrupt(format!("{} trailing bytes", self.bytes.len())))
        }
    }
}
