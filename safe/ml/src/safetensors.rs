//! A memory-mapped loader (and a small writer) for the
//! [safetensors](https://huggingface.co/docs/safetensors) format: an 8-byte little-endian
//! header length `N`, `N` bytes of JSON naming each tensor's dtype, shape and byte range,
//! then the tensors' bytes back to back.
//!
//! [`SafeTensors::open`] maps the file and checks the header completely before any
//! tensor is read: the JSON, every dtype, that each shape's byte size equals its range,
//! that the ranges tile the data exactly (no gap, no overlap, nothing past the end) and
//! that nothing overflows, that no name appears twice. A file that fails any check is an [`ErrorKind::Format`]
//! error. [`TensorView::as_f32`] borrows the mapped bytes as `&[f32]` when the tensor is
//! `F32` and 4-byte aligned (the [`Writer`] starts the data at a multiple of 16 bytes, so
//! its `F32` tensors are aligned unless an odd-sized tensor precedes them), and
//! converts (`F16`, `BF16`, unaligned `F32`) otherwise.
//!
//! ```
//! use arsenal_ml::safetensors::{SafeTensors, Writer};
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("w.safetensors");
//! let mut w = Writer::new();
//! w.add_f32("layer0.weight", &[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0])?;
//! w.write_file(&path)?;
//! let st = SafeTensors::open(&path)?;
//! let t = st.tensor("layer0.weight")?;
//! assert_eq!(t.shape(), &[2, 3]);
//! assert!(t.as_f32_slice().is_some()); // zero-copy
//! assert_eq!(&*t.as_f32()?, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
//! # Ok::<(), arsenal_ml::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use crate::error::{Error, ErrorKind, Result, CHECKS};
use crate::quant::f16_to_f32;

/// The largest JSON header accepted (the reference implementation's limit): 100 MB.
pub const MAX_HEADER_LEN: u64 = 100_000_000;

/// A tensor's element type, as named in the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dtype {
    /// `BOOL` (one byte).
    Bool,
    /// `U8`.
    U8,
    /// `I8`.
    I8,
    /// `F8_E4M3`.
    F8E4M3,
    /// `F8_E5M2`.
    F8E5M2,
    /// `I16`.
    I16,
    /// `U16`.
    U16,
    /// `F16` (IEEE half).
    F16,
    /// `BF16` (bfloat16).
    BF16,
    /// `I32`.
    I32,
    /// `U32`.
    U32,
    /// `F32`.
    F32,
    /// `F64`.
    F64,
    /// `I64`.
    I64,
    /// `U64`.
    U64,
}

impl Dtype {
    const ALL: [(Dtype, &'static str, usize); 15] = [
        (Dtype::Bool, "BOOL", 1),
        (Dtype::U8, "U8", 1),
        (Dtype::I8, "I8", 1),
        (Dtype::F8E4M3, "F8_E4M3", 1),
        (Dtype::F8E5M2, "F8_E5M2", 1),
        (Dtype::I16, "I16", 2),
        (Dtype::U16, "U16", 2),
        (Dtype::F16, "F16", 2),
        (Dtype::BF16, "BF16", 2),
        (Dtype::I32, "I32", 4),
        (Dtype::U32, "U32", 4),
        (Dtype::F32, "F32", 4),
        (Dtype::F64, "F64", 8),
        (Dtype::I64, "I64", 8),
        (Dtype::U64, "U64", 8),
    ];

    /// Bytes per element.
    pub fn size(self) -> usize {
        Self::ALL.iter().find(|e| e.0 == self).map_or(1, |e| e.2)
    }

    /// The header's name (`"F32"`, ...).
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|e| e.0 == self).map_or("?", |e| e.1)
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Dtype {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::ALL
            .iter()
            .find(|e| e.1 == s)
            .map(|e| e.0)
            .ok_or_else(|| format_error(format!("unknown dtype {s:?}")))
    }
}

#[cold]
fn format_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Format, CHECKS, message)
}

/// One tensor's header entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TensorInfo {
    /// Its name.
    pub name: String,
    /// Element type.
    pub dtype: Dtype,
    /// Dimensions (empty for a scalar).
    pub shape: Vec<usize>,
    /// Byte range within the data section.
    pub range: std::ops::Range<usize>,
}

/// A tensor's header entry and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct TensorView<'a> {
    info: &'a TensorInfo,
    bytes: &'a [u8],
}

impl<'a> TensorView<'a> {
    /// Its name.
    pub fn name(&self) -> &'a str {
        &self.info.name
    }

    /// Element type.
    pub fn dtype(&self) -> Dtype {
        self.info.dtype
    }

    /// Dimensions.
    pub fn shape(&self) -> &'a [usize] {
        &self.info.shape
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.bytes.len() / self.info.dtype.size()
    }

    /// Whether it has no elements.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Its raw little-endian bytes (borrowed from the mapping).
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The `F32` data borrowed in place, when the dtype is `F32` and the bytes are 4-byte
    /// aligned; `None` otherwise.
    pub fn as_f32_slice(&self) -> Option<&'a [f32]> {
        if self.info.dtype != Dtype::F32 || cfg!(target_endian = "big") {
            return None;
        }
        // SAFETY: any 4 bytes are a valid f32; align_to only returns a non-empty middle
        // of properly aligned, in-bounds f32s.
        let (head, mid, tail) = unsafe { self.bytes.align_to::<f32>() };
        (head.is_empty() && tail.is_empty()).then_some(mid)
    }

    /// The data as `f32`: borrowed when [`TensorView::as_f32_slice`] can, else converted
    /// from `F32` (unaligned), `F16`, `BF16` or `F64` (rounded). Other dtypes are
    /// [`ErrorKind::InvalidArgument`].
    pub fn as_f32(&self) -> Result<Cow<'a, [f32]>> {
        if let Some(s) = self.as_f32_slice() {
            return Ok(Cow::Borrowed(s));
        }
        let b = self.bytes;
        let v: Vec<f32> = match self.info.dtype {
            Dtype::F32 => b
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            Dtype::F16 => b
                .chunks_exact(2)
                .map(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]])))
                .collect(),
            Dtype::BF16 => b
                .chunks_exact(2)
                .map(|c| f32::from_bits((u16::from_le_bytes([c[0], c[1]]) as u32) << 16))
                .collect(),
            Dtype::F64 => b
                .chunks_exact(8)
                .map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])) as f32)
                .collect(),
            other => {
                return Err(Error::invalid(format!(
                    "tensor {:?} is {other}, not a float type",
                    self.info.name
                )))
            }
        };
        Ok(Cow::Owned(v))
    }
}

/// The bytes behind a [`SafeTensors`]: a read-only mapping or an owned buffer.
enum Storage {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl Storage {
    fn bytes(&self) -> &[u8] {
        match self {
            Storage::Mapped(m) => m,
            Storage::Owned(v) => v,
        }
    }
}

/// A parsed safetensors file: the validated header, and the bytes (memory-mapped by
/// [`SafeTensors::open`]).
pub struct SafeTensors {
    storage: Storage,
    data_start: usize,
    tensors: Vec<TensorInfo>,
    index: HashMap<String, usize>,
    metadata: BTreeMap<String, String>,
}

impl fmt::Debug for SafeTensors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SafeTensors")
            .field("tensors", &self.tensors)
            .field("metadata", &self.metadata)
            .finish_non_exhaustive()
    }
}

impl SafeTensors {
    /// Maps `path` read-only and validates its header.
    ///
    /// The mapping is shared with the file: if another process truncates or rewrites the
    /// file while it is mapped, reads may fault (`SIGBUS`) — the usual contract of
    /// memory-mapped model files; use [`SafeTensors::from_bytes`] to own a copy instead.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let file = std::fs::File::open(path.as_ref())?;
        // SAFETY: a read-only private mapping of a file we opened; the documented
        // contract above covers concurrent modification by other processes.
        let map = unsafe { memmap2::Mmap::map(&file) }?;
        Self::parse(Storage::Mapped(map))
    }

    /// Validates a safetensors image held in memory (owned).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self> {
        Self::parse(Storage::Owned(bytes))
    }

    fn parse(storage: Storage) -> Result<Self> {
        let (data_start, tensors, metadata) = parse_header(storage.bytes())?;
        let mut index = HashMap::with_capacity(tensors.len());
        for (i, t) in tensors.iter().enumerate() {
            if index.insert(t.name.clone(), i).is_some() {
                return Err(format_error(format!("tensor {:?} appears twice", t.name)));
            }
        }
        Ok(SafeTensors {
            storage,
            data_start,
            tensors,
            index,
            metadata,
        })
    }

    /// Every tensor's header entry, in file order.
    pub fn tensors(&self) -> &[TensorInfo] {
        &self.tensors
    }

    /// The tensor names, in file order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tensors.iter().map(|t| t.name.as_str())
    }

    /// The `__metadata__` string map.
    pub fn metadata(&self) -> &BTreeMap<String, String> {
        &self.metadata
    }

    /// A tensor by name; [`ErrorKind::NotFound`] when there is none.
    pub fn tensor(&self, name: &str) -> Result<TensorView<'_>> {
        let i = *self.index.get(name).ok_or_else(|| {
            Error::new(
                ErrorKind::NotFound,
                CHECKS,
                format!("no tensor named {name:?}"),
            )
        })?;
        let info = &self.tensors[i];
        let bytes = &self.storage.bytes()[self.data_start..][info.range.clone()];
        Ok(TensorView { info, bytes })
    }

    /// Whether the bytes are a memory mapping (rather than an owned buffer).
    pub fn is_mapped(&self) -> bool {
        matches!(self.storage, Storage::Mapped(_))
    }
}

type Header = (usize, Vec<TensorInfo>, BTreeMap<String, String>);

/// Parses and validates the header of `bytes`: returns where the data starts, the
/// tensors sorted by offset, and the metadata.
fn parse_header(bytes: &[u8]) -> Result<Header> {
    let Some(len_bytes) = bytes.get(..8) else {
        return Err(format_error(format!(
            "{} bytes: too short for the 8-byte header length",
            bytes.len()
        )));
    };
    let n = u64::from_le_bytes(len_bytes.try_into().unwrap_or([0; 8]));
    if n > MAX_HEADER_LEN {
        return Err(format_error(format!(
            "header length {n} is over the {MAX_HEADER_LEN}-byte limit"
        )));
    }
    let n = n as usize; // <= 1e8
    let header = bytes.get(8..8 + n).ok_or_else(|| {
        format_error(format!(
            "header length {n} runs past the end of the {}-byte file",
            bytes.len()
        ))
    })?;
    let data_start = 8 + n;
    let data_len = bytes.len() - data_start;
    let text = std::str::from_utf8(header)
        .map_err(|e| format_error(format!("header is not UTF-8: {e}")))?;
    if !text.starts_with('{') {
        return Err(format_error("header does not start with '{'"));
    }
    // One pass over the JSON straight into the entries (no intermediate value tree).
    let RawHeader {
        tensors: raw,
        metadata,
    } = serde_json::from_str(text.trim_end_matches(' '))
        .map_err(|e| format_error(format!("header JSON: {e}")))?;
    let mut tensors = Vec::with_capacity(raw.len());
    for (name, entry) in raw {
        tensors.push(parse_entry(name, entry)?);
    }
    tensors.sort_by_key(|t| (t.range.start, t.range.end));
    // The ranges must tile [0, data_len) exactly.
    let mut at = 0usize;
    for t in &tensors {
        if t.range.start != at {
            return Err(format_error(format!(
                "tensor {:?} starts at byte {}, expected {at} (gap or overlap)",
                t.name, t.range.start
            )));
        }
        at = t.range.end;
    }
    if at != data_len {
        return Err(format_error(format!(
            "tensors cover {at} bytes, the data section has {data_len}"
        )));
    }
    Ok((data_start, tensors, metadata))
}

/// A tensor's entry as written in the header.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    dtype: String,
    shape: Vec<u64>,
    data_offsets: [u64; 2],
}

/// The header: tensors in file order of appearance, and `__metadata__`.
struct RawHeader {
    tensors: Vec<(String, RawEntry)>,
    metadata: BTreeMap<String, String>,
}

impl<'de> serde::Deserialize<'de> for RawHeader {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawHeader;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object of tensor entries")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<RawHeader, A::Error> {
                let mut tensors = Vec::with_capacity(map.size_hint().unwrap_or(0));
                let mut metadata = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "__metadata__" {
                        if metadata.is_some() {
                            return Err(serde::de::Error::custom("__metadata__ appears twice"));
                        }
                        metadata = Some(map.next_value::<BTreeMap<String, String>>()?);
                    } else {
                        let entry = map.next_value::<RawEntry>()?;
                        tensors.push((key, entry));
                    }
                }
                Ok(RawHeader {
                    tensors,
                    metadata: metadata.unwrap_or_default(),
                })
            }
        }
        d.deserialize_map(V)
    }
}

fn parse_entry(name: String, entry: RawEntry) -> Result<TensorInfo> {
    let bad = |what: &str| format_error(format!("tensor {name:?}: {what}"));
    let dtype: Dtype = entry.dtype.parse()?;
    let shape: Vec<usize> = entry
        .shape
        .iter()
        .map(|&d| usize::try_from(d).ok())
        .collect::<Option<_>>()
        .ok_or_else(|| bad("a dimension does not fit usize"))?;
    let off = |v: u64| usize::try_from(v).map_err(|_| bad("data_offsets do not fit usize"));
    let (start, end) = (off(entry.data_offsets[0])?, off(entry.data_offsets[1])?);
    if end < start {
        return Err(bad("data_offsets end before they start"));
    }
    let bytes = shape
        .iter()
        .try_fold(dtype.size(), |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| bad("shape's byte size overflows"))?;
    if bytes != end - start {
        return Err(bad(&format!(
            "{dtype} {shape:?} is {bytes} bytes but data_offsets span {}",
            end - start
        )));
    }
    Ok(TensorInfo {
        name,
        dtype,
        shape,
        range: start..end,
    })
}

/// Builds a safetensors image: tensors in the order added, back to back (the format
/// allows no gaps), after a header padded with spaces so that the data section starts
/// at a multiple of 16 bytes.
#[derive(Debug, Default, Clone)]
pub struct Writer {
    entries: Vec<(String, Dtype, Vec<usize>, Vec<u8>)>,
    metadata: BTreeMap<String, String>,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a `__metadata__` entry.
    pub fn metadata(&mut self, key: &str, value: &str) -> &mut Self {
        self.metadata.insert(key.to_owned(), value.to_owned());
        self
    }

    /// Adds a tensor from its little-endian bytes; its byte length must be the shape's.
    pub fn add(&mut self, name: &str, dtype: Dtype, shape: &[usize], bytes: &[u8]) -> Result<()> {
        let want = shape
            .iter()
            .try_fold(dtype.size(), |acc, &d| acc.checked_mul(d))
            .ok_or_else(|| Error::new(ErrorKind::TooLarge, CHECKS, "shape overflows"))?;
        crate::error::expect_len(name, bytes.len(), want)?;
        if name == "__metadata__" || self.entries.iter().any(|e| e.0 == name) {
            return Err(Error::invalid(format!(
                "duplicate or reserved tensor name {name:?}"
            )));
        }
        self.entries
            .push((name.to_owned(), dtype, shape.to_vec(), bytes.to_vec()));
        Ok(())
    }

    /// Adds an `F32` tensor.
    pub fn add_f32(&mut self, name: &str, shape: &[usize], data: &[f32]) -> Result<()> {
        let bytes: Vec<u8> = data.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.add(name, Dtype::F32, shape, &bytes)
    }

    /// The file image. The data section starts at a multiple of 16 bytes; tensors follow
    /// one another without gaps (the format requires it), so every `F32` tensor is 4-byte
    /// aligned in the image and in a mapping of it.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut header = serde_json::Map::new();
        if !self.metadata.is_empty() {
            header.insert(
                "__metadata__".into(),
                serde_json::Value::Object(
                    self.metadata
                        .iter()
                        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                        .collect(),
                ),
            );
        }
        let mut at = 0usize;
        for (name, dtype, shape, bytes) in &self.entries {
            header.insert(
                name.clone(),
                serde_json::json!({
                    "dtype": dtype.name(),
                    "shape": shape,
                    "data_offsets": [at, at + bytes.len()],
                }),
            );
            at += bytes.len();
        }
        let mut text = serde_json::Value::Object(header).to_string().into_bytes();
        while !(8 + text.len()).is_multiple_of(16) {
            text.push(b' ');
        }
        let mut out = Vec::with_capacity(8 + text.len() + at);
        out.extend_from_slice(&(text.len() as u64).to_le_bytes());
        out.extend_from_slice(&text);
        for e in &self.entries {
            out.extend_from_slice(&e.3);
        }
        out
    }

    /// Writes the image to `path`.
    pub fn write_file(&self, path: impl AsRef<Path>) -> Result<()> {
        std::fs::write(path, self.to_bytes())?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(header: &str, data: &[u8]) -> Vec<u8> {
        let mut v = (header.len() as u64).to_le_bytes().to_vec();
        v.extend_from_slice(header.as_bytes());
        v.extend_from_slice(data);
        v
    }

    #[test]
    fn round_trip_mapped_zero_copy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.safetensors");
        let mut w = Writer::new();
        w.metadata("format", "pt");
        w.add("odd", Dtype::U8, &[3], &[1, 2, 3]).unwrap();
        w.add_f32("a", &[2, 2], &[1.0, -2.0, 3.5, 4.0]).unwrap();
        let half: Vec<u8> = [0x3c00u16, 0xc000, 0x0001, 0x7c00]
            .iter()
            .flat_map(|h| h.to_le_bytes())
            .collect();
        w.add("h", Dtype::F16, &[4], &half).unwrap();
        let bf: Vec<u8> = [0x3f80u16, 0xc040]
            .iter()
            .flat_map(|h| h.to_le_bytes())
            .collect();
        w.add("b", Dtype::BF16, &[2], &bf).unwrap();
        w.write_file(&path).unwrap();
        let st = SafeTensors::open(&path).unwrap();
        assert!(st.is_mapped());
        assert_eq!(st.metadata().get("format").map(String::as_str), Some("pt"));
        assert_eq!(st.names().collect::<Vec<_>>(), ["odd", "a", "h", "b"]);
        let a = st.tensor("a").unwrap();
        // "odd" (3 bytes) comes first, so "a" starts unaligned: converted, not borrowed.
        assert_eq!(
            a.as_f32_slice().is_some(),
            (a.bytes().as_ptr() as usize).is_multiple_of(4)
        );
        assert_eq!(&*a.as_f32().unwrap(), &[1.0, -2.0, 3.5, 4.0]);
        let h = st.tensor("h").unwrap().as_f32().unwrap();
        assert_eq!(&h[..2], &[1.0, -2.0]);
        assert_eq!(h[2], 2f32.powi(-24));
        assert_eq!(h[3], f32::INFINITY);
        assert_eq!(&*st.tensor("b").unwrap().as_f32().unwrap(), &[1.0, -3.0]);
        assert_eq!(st.tensor("nope").unwrap_err().kind(), ErrorKind::NotFound);
        assert_eq!(
            st.tensor("odd").unwrap().as_f32().unwrap_err().kind(),
            ErrorKind::InvalidArgument
        );

        let mut w = Writer::new();
        w.add_f32("x", &[3], &[1.0, 2.0, 3.0]).unwrap();
        let st = SafeTensors::from_bytes(w.to_bytes()).unwrap();
        assert!(!st.is_mapped());
        let dir2 = tempfile::tempdir().unwrap();
        let p2 = dir2.path().join("x.safetensors");
        w.write_file(&p2).unwrap();
        let st = SafeTensors::open(&p2).unwrap();
        assert!(
            st.tensor("x").unwrap().as_f32_slice().is_some(),
            "aligned F32 is zero-copy"
        );
    }

    #[test]
    fn hostile_headers_are_format_errors() {
        let f32x2 = [0u8; 8];
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            vec![1, 2, 3],
            u64::MAX.to_le_bytes().to_vec(),
            (MAX_HEADER_LEN + 1).to_le_bytes().to_vec(),
            image("", &[]),
            image("[]", &[]),
            image("{", &[]),
            image("{\"a\":1}", &[]),
            image(
                r#"{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#,
                &f32x2,
            ),
            image(
                r#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
                &f32x2,
            ),
            image(
                r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}"#,
                &f32x2,
            ),
            image(
                r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#,
                &f32x2,
            ),
            image(
                r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                &f32x2,
            ),
            image(
                r#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#,
                &f32x2,
            ),
            image(
                r#"{"a":{"dtype":"F32","shape":[18446744073709551615,18446744073709551615],"data_offsets":[0,8]}}"#,
                &f32x2,
            ),
            image(
                r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                &f32x2,
            ),
            image(
                r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
                &f32x2,
            ), // 4 bytes left over
            image(r#"{"__metadata__":{"k":1}}"#, &[]),
            image(
                r#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                &f32x2,
            ),
            image(
                r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}}"#,
                &f32x2,
            ),
            image(
                r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551615]}}"#,
                &f32x2,
            ),
        ];
        for (i, bytes) in cases.into_iter().enumerate() {
            let err = SafeTensors::from_bytes(bytes).expect_err(&format!("case {i}"));
            assert_eq!(err.kind(), ErrorKind::Format, "case {i}: {err}");
        }
        // Header length past the file, with a plausible size.
        let mut v = 100u64.to_le_bytes().to_vec();
        v.extend_from_slice(b"{}");
        assert_eq!(
            SafeTensors::from_bytes(v).unwrap_err().kind(),
            ErrorKind::Format
        );
        // The empty file image is valid: no tensors.
        assert!(SafeTensors::from_bytes(image("{}", &[]))
            .unwrap()
            .tensors()
            .is_empty());
    }

    #[test]
    fn f16_conversion_is_exact() {
        for h in 0..=u16::MAX {
            let v = f16_to_f32(h);
            let exp = (h >> 10) & 0x1f;
            if exp == 0x1f && h & 0x3ff != 0 {
                assert!(v.is_nan());
                continue;
            }
            // Reference: sign * 2^(e-15) * (1 + f/1024), or subnormal f * 2^-24.
            let f = (h & 0x3ff) as f64;
            let mag = match exp {
                0 => f * 2f64.powi(-24),
                0x1f => f64::INFINITY,
                e => 2f64.powi(e as i32 - 15) * (1.0 + f / 1024.0),
            };
            let want = if h & 0x8000 != 0 { -mag } else { mag };
            assert_eq!(v as f64, want, "{h:#06x}");
            assert_eq!(v.is_sign_negative(), h & 0x8000 != 0, "{h:#06x}");
        }
    }
}
