//! serde deserialisation of one record: structs by header name (or by position),
//! tuples and sequences by position, fields as scalars, strings, unit enum variants or
//! `Option`s.

use std::fmt;

use serde::de::value::{BytesDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use crate::record::ByteRecord;

/// Why a record did not deserialise (boxed: deserialisers return it through every
/// field's `Result`, which stays small this way).
#[derive(Debug)]
pub(crate) struct DeError(Box<DeProblem>);

#[derive(Debug)]
pub(crate) struct DeProblem {
    pub(crate) message: String,
    /// A field that had to be a string was not UTF-8.
    pub(crate) utf8: bool,
}

impl DeError {
    #[cold]
    fn new(message: String, utf8: bool) -> DeError {
        DeError(Box::new(DeProblem { message, utf8 }))
    }

    /// The problem, unboxed.
    pub(crate) fn into_problem(self) -> DeProblem {
        *self.0
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> DeError {
        DeError::new(msg.to_string(), false)
    }
}

/// `record` as a `T`; `headers` name the fields when present.
pub(crate) fn from_record<T: de::DeserializeOwned>(
    record: &ByteRecord,
    headers: Option<&ByteRecord>,
) -> Result<T, DeError> {
    let mut de = RecordDe {
        record,
        headers,
        next: 0,
    };
    T::deserialize(&mut de)
}

struct RecordDe<'r> {
    record: &'r ByteRecord,
    headers: Option<&'r ByteRecord>,
    next: usize,
}

impl<'r> RecordDe<'r> {
    fn next_field(&mut self) -> Result<FieldDe<'r>, DeError> {
        let i = self.next;
        let bytes = self.record.get(i).ok_or_else(|| {
            DeError::new(
                format!("the record has {} fields, too few", self.record.len()),
                false,
            )
        })?;
        self.next += 1;
        Ok(FieldDe {
            bytes,
            index: i,
            name: self.headers.and_then(|h| h.get(i)),
        })
    }
}

macro_rules! forward_to_field {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
                self.next_field()?.$method(visitor)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for &mut RecordDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.headers.is_some() {
            visitor.visit_map(self)
        } else {
            visitor.visit_seq(self)
        }
    }

    forward_to_field! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_identifier
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_some(self)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.next_field()?.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_seq(self)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_seq(self)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_seq(self)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.headers.is_none() {
            return Err(de::Error::custom(
                "a map needs a header row to name its keys",
            ));
        }
        visitor.visit_map(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_any(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.next_field()?.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }
}

impl<'de> de::SeqAccess<'de> for RecordDe<'_> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        if self.next >= self.record.len() {
            return Ok(None);
        }
        let field = self.next_field()?;
        let (index, name) = (field.index, field.name);
        seed.deserialize(field)
            .map(Some)
            .map_err(|e| e.within(index, name))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.record.len() - self.next)
    }
}

impl<'de> de::MapAccess<'de> for RecordDe<'_> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        let Some(headers) = self.headers else {
            return Ok(None);
        };
        if self.next >= self.record.len() {
            return Ok(None);
        }
        // The header's bytes: derived field identifiers match bytes without a UTF-8
        // check per record.
        let name = headers.get(self.next).unwrap_or_default();
        let key: BytesDeserializer<'_, DeError> = BytesDeserializer::new(name);
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let field = self.next_field()?;
        let (index, name) = (field.index, field.name);
        seed.deserialize(field).map_err(|e| e.within(index, name))
    }
}

impl DeError {
    /// The same error, naming the field (its index and header).
    #[cold]
    fn within(mut self, index: usize, name: Option<&[u8]>) -> DeError {
        self.0.message = match name {
            Some(name) => format!(
                "field {index} ({:?}): {}",
                String::from_utf8_lossy(name),
                self.0.message
            ),
            None => format!("field {index}: {}", self.0.message),
        };
        self
    }
}

/// One field.
struct FieldDe<'r> {
    bytes: &'r [u8],
    index: usize,
    name: Option<&'r [u8]>,
}

impl FieldDe<'_> {
    fn text(&self) -> Result<&str, DeError> {
        std::str::from_utf8(self.bytes).map_err(|e| DeError::new(format!("not UTF-8: {e}"), true))
    }

    fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, DeError>
    where
        T::Err: fmt::Display,
    {
        let text = self.text()?;
        text.parse()
            .map_err(|e| DeError::new(format!("{text:?} is not {what}: {e}"), false))
    }
}

macro_rules! parse_number {
    ($($method:ident $visit:ident $ty:ty),*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
                visitor.$visit(self.parse::<$ty>(stringify!($ty))?)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for FieldDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text()?)
    }

    parse_number! {
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16,
        deserialize_i32 visit_i32 i32, deserialize_i64 visit_i64 i64,
        deserialize_i128 visit_i128 i128, deserialize_u8 visit_u8 u8,
        deserialize_u16 visit_u16 u16, deserialize_u32 visit_u32 u32,
        deserialize_u64 visit_u64 u64, deserialize_u128 visit_u128 u128,
        deserialize_f32 visit_f32 f32, deserialize_f64 visit_f64 f64,
        deserialize_bool visit_bool bool
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        let text = self.text()?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c),
            _ => Err(de::Error::custom(format!("{text:?} is not one character"))),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text()?)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_str(self.text()?)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_bytes(self.bytes)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_bytes(self.bytes)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.bytes.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.bytes.is_empty() {
            visitor.visit_unit()
        } else {
            Err(de::Error::custom("a unit field must be empty"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        let text: StrDeserializer<'_, DeError> = self.text()?.into_deserializer();
        visitor.visit_enum(text)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    fn deserialize_seq<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, DeError> {
        Err(nested())
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, DeError> {
        Err(nested())
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, DeError> {
        Err(nested())
    }

    fn deserialize_map<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, DeError> {
        Err(nested())
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, DeError> {
        Err(nested())
    }
}

#[cold]
fn nested() -> DeError {
    de::Error::custom("a field cannot hold a sequence, map or struct")
}
