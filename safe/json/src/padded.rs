//! Input buffers with the zeroed tail that SIMD parsers read past the end.

use std::fmt;
use std::ops::Deref;

/// An owned byte buffer followed by [`PaddedBytes::PADDING`] zero bytes.
///
/// simdjson reads up to 64 bytes past the end of its input; with a `PaddedBytes` it can
/// parse in place ([`Parser::parse_padded`](crate::Parser::parse_padded)) instead of
/// first copying into its own padded buffer. Other backends accept it too.
///
/// ```
/// use arsenal_json::{PaddedBytes, Parser, Document, JsonValue};
/// let input = PaddedBytes::from(&b"[1, 2, 3]"[..]);
/// assert_eq!(input.len(), 9);
/// let mut parser = arsenal_json::DefaultParser::new()?;
/// let doc = parser.parse_padded(&input)?;
/// assert_eq!(doc.root().len(), Some(3));
/// # Ok::<(), arsenal_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PaddedBytes {
    // Invariant: buf.len() == len + PADDING and buf[len..] is all zero.
    buf: Vec<u8>,
    len: usize,
}

impl PaddedBytes {
    /// Bytes of zeroed padding kept after the contents (simdjson needs 64).
    pub const PADDING: usize = 64;

    /// Takes ownership of `bytes`, appending the padding (reallocates only if the
    /// vector lacks the capacity).
    pub fn from_vec(mut bytes: Vec<u8>) -> Self {
        let len = bytes.len();
        bytes.resize(len + Self::PADDING, 0);
        PaddedBytes { buf: bytes, len }
    }

    /// Reads a whole file into a padded buffer.
    pub fn read(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let size = std::fs::metadata(path)
            .map(|m| m.len() as usize)
            .unwrap_or(0);
        let mut buf = Vec::with_capacity(size + Self::PADDING);
        std::io::Read::read_to_end(&mut std::fs::File::open(path)?, &mut buf)?;
        Ok(Self::from_vec(buf))
    }

    /// The contents, without the padding.
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Gives back the contents as a `Vec` (the padding removed).
    pub fn into_vec(mut self) -> Vec<u8> {
        self.buf.truncate(self.len);
        self.buf
    }
}

impl Deref for PaddedBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl AsRef<[u8]> for PaddedBytes {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl From<&[u8]> for PaddedBytes {
    fn from(bytes: &[u8]) -> Self {
        let mut buf = Vec::with_capacity(bytes.len() + Self::PADDING);
        buf.extend_from_slice(bytes);
        Self::from_vec(buf)
    }
}

impl From<Vec<u8>> for PaddedBytes {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from_vec(bytes)
    }
}

impl From<&str> for PaddedBytes {
    fn from(s: &str) -> Self {
        Self::from(s.as_bytes())
    }
}

impl fmt::Debug for PaddedBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PaddedBytes")
            .field("len", &self.len)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::PaddedBytes;

    #[test]
    fn padding_is_zero_and_hidden() {
        let p = PaddedBytes::from(&b"abc"[..]);
        assert_eq!(&*p, b"abc");
        assert_eq!(p.buf.len(), 3 + PaddedBytes::PADDING);
        assert!(p.buf[3..].iter().all(|&b| b == 0));
        assert_eq!(p.into_vec(), b"abc");
    }

    #[cfg(feature = "simdjson")]
    #[test]
    fn padding_covers_simdjson() {
        // SAFETY: returns the SIMDJSON_PADDING constant.
        let needed = unsafe { arsenal_simdjson_sys::arsenal_sj_padding() };
        assert!(
            PaddedBytes::PADDING >= needed,
            "simdjson needs {needed} bytes of padding"
        );
    }
}
