//! serde bridge: a `Deserializer` over any backend's parsed value.

use crate::error::{Error, ErrorKind, Result};
use crate::value::{JsonValue, Kind, Number};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

/// The serde bridge (and [`to_serde_value`](crate::to_serde_value)) fails with
/// [`ErrorKind::Depth`] on arrays/objects nested `RECURSION_LIMIT` levels deep or more:
/// they recurse, so this bounds their stack use. The same rule as serde_json's (which
/// accepts at most 127 nested levels), so whatever one accepts, the other does.
pub const RECURSION_LIMIT: usize = 128;

/// Deserializes a `T` from a parsed value of any backend.
///
/// Strings borrow from the document when `T` asks for `&str`.
///
/// ```
/// use std::collections::BTreeMap;
/// let doc = arsenal_json::parse(br#"{"a": 1, "b": 2}"#)?;
/// let map: BTreeMap<&str, u8> = arsenal_json::from_value(doc.root())?;
/// assert_eq!(map["b"], 2);
/// # Ok::<(), arsenal_json::Error>(())
/// ```
pub fn from_value<'de, J: JsonValue<'de>, T: de::Deserialize<'de>>(value: J) -> Result<T> {
    T::deserialize(Deserializer::new(value))
}

/// A serde `Deserializer` over one value; see [`from_value`].
#[derive(Debug, Clone, Copy)]
pub struct Deserializer<J> {
    value: J,
    depth_left: usize,
}

impl<J> Deserializer<J> {
    /// Wraps `value` with the default [`RECURSION_LIMIT`].
    pub fn new(value: J) -> Self {
        Deserializer {
            value,
            depth_left: RECURSION_LIMIT - 1,
        }
    }

    fn child(&self, value: J) -> Self {
        Deserializer {
            value,
            depth_left: self.depth_left - 1,
        }
    }
}

fn type_error(kind: Kind, exp: &str) -> Error {
    Error::new(
        ErrorKind::Type,
        "serde",
        format!("invalid type: {kind}, expected {exp}"),
    )
}

impl<'de, J: JsonValue<'de>> Deserializer<J> {
    fn enter(&self) -> Result<()> {
        if self.depth_left == 0 {
            return Err(Error::new(
                ErrorKind::Depth,
                "serde",
                format!("recursion limit of {RECURSION_LIMIT} levels exceeded"),
            ));
        }
        Ok(())
    }
}

impl<'de, J: JsonValue<'de>> de::Deserializer<'de> for Deserializer<J> {
    type Error = Error;

    fn deserialize_any<Vis: Visitor<'de>>(self, visitor: Vis) -> Result<Vis::Value> {
        match self.value.kind() {
            Kind::Null => visitor.visit_unit(),
            Kind::Bool => visitor.visit_bool(self.value.as_bool().unwrap_or(false)),
            Kind::Number => match self.value.as_number() {
                Some(Number::PosInt(n)) => visitor.visit_u64(n),
                Some(Number::NegInt(n)) => visitor.visit_i64(n),
                Some(Number::Float(f)) => visitor.visit_f64(f),
                None => Err(type_error(Kind::Number, "a number")),
            },
            Kind::String => visitor.visit_borrowed_str(self.value.as_str().unwrap_or("")),
            Kind::Array => {
                self.enter()?;
                let iter = self
                    .value
                    .array_iter()
                    .ok_or_else(|| type_error(Kind::Array, "array"))?;
                let mut seq = SeqAccess { iter, parent: self };
                let out = visitor.visit_seq(&mut seq)?;
                match seq.iter.next() {
                    None => Ok(out),
                    Some(_) => Err(de::Error::invalid_length(
                        self.value.len().unwrap_or(0),
                        &"fewer elements in array",
                    )),
                }
            }
            Kind::Object => {
                self.enter()?;
                let iter = self
                    .value
                    .object_iter()
                    .ok_or_else(|| type_error(Kind::Object, "object"))?;
                let mut map = MapAccess {
                    iter,
                    pending: None,
                    parent: self,
                };
                visitor.visit_map(&mut map)
            }
        }
    }

    fn deserialize_option<Vis: Visitor<'de>>(self, visitor: Vis) -> Result<Vis::Value> {
        if self.value.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<Vis: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: Vis,
    ) -> Result<Vis::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<Vis: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: Vis,
    ) -> Result<Vis::Value> {
        match self.value.kind() {
            Kind::String => {
                let s = self.value.as_str().unwrap_or("");
                visitor.visit_enum(s.into_deserializer())
            }
            Kind::Object => {
                self.enter()?;
                let mut members = self
                    .value
                    .object_iter()
                    .ok_or_else(|| type_error(Kind::Object, "object"))?;
                match (members.next(), members.next()) {
                    (Some((variant, value)), None) => visitor.visit_enum(EnumAccess {
                        variant,
                        value: self.child(value),
                    }),
                    _ => Err(Error::new(
                        ErrorKind::Type,
                        "serde",
                        "expected an object with exactly one key for an enum variant",
                    )),
                }
            }
            other => Err(type_error(other, "string or single-key object for an enum")),
        }
    }

    fn deserialize_ignored_any<Vis: Visitor<'de>>(self, visitor: Vis) -> Result<Vis::Value> {
        // Skipping needs no recursion: the document is already parsed.
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct SeqAccess<J: Copy, I> {
    iter: I,
    parent: Deserializer<J>,
}

impl<'de, J: JsonValue<'de>, I: Iterator<Item = J>> de::SeqAccess<'de> for SeqAccess<J, I> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        match self.iter.next() {
            Some(v) => seed.deserialize(self.parent.child(v)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.parent.value.len()
    }
}

struct MapAccess<J: Copy, I> {
    iter: I,
    pending: Option<J>,
    parent: Deserializer<J>,
}

impl<'de, J: JsonValue<'de>, I: Iterator<Item = (&'de str, J)>> de::MapAccess<'de>
    for MapAccess<J, I>
{
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        match self.iter.next() {
            Some((key, value)) => {
                self.pending = Some(value);
                seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
                    .map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value> {
        let value = self
            .pending
            .take()
            .ok_or_else(|| Error::new(ErrorKind::Custom, "serde", "value requested before key"))?;
        seed.deserialize(self.parent.child(value))
    }

    fn size_hint(&self) -> Option<usize> {
        self.parent.value.len()
    }
}

struct EnumAccess<'de, J> {
    variant: &'de str,
    value: Deserializer<J>,
}

impl<'de, J: JsonValue<'de>> de::EnumAccess<'de> for EnumAccess<'de, J> {
    type Error = Error;
    type Variant = Deserializer<J>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant)> {
        let variant = seed.deserialize(de::value::BorrowedStrDeserializer::<Error>::new(
            self.variant,
        ))?;
        Ok((variant, self.value))
    }
}

impl<'de, J: JsonValue<'de>> de::VariantAccess<'de> for Deserializer<J> {
    type Error = Error;

    fn unit_variant(self) -> Result<()> {
        if self.value.is_null() {
            Ok(())
        } else {
            Err(type_error(self.value.kind(), "null for a unit variant"))
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self)
    }

    fn tuple_variant<Vis: Visitor<'de>>(self, _len: usize, visitor: Vis) -> Result<Vis::Value> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<Vis: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: Vis,
    ) -> Result<Vis::Value> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

#[cfg(test)]
mod tests {
    use crate::{from_slice, ErrorKind};
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item<'a> {
        id: u32,
        #[serde(borrow)]
        name: &'a str,
        tags: Vec<String>,
        score: Option<f64>,
        kind: Kind,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Kind {
        A,
        B(i8),
        C { x: bool },
    }

    #[test]
    fn structs_enums_options_and_borrowed_strings() {
        for backend in &crate::Backend::available() {
            let doc = crate::parse_with_options(
                *backend,
                br#"[{"id": 1, "name": "n", "tags": ["t"], "score": null, "kind": "A"},
                     {"id": 2, "name": "m", "tags": [], "score": 0.5, "kind": {"B": -3}},
                     {"id": 3, "name": "o", "tags": [], "kind": {"C": {"x": true}}}]"#,
                &crate::ParseOptions::default(),
            )
            .unwrap();
            let items: Vec<Item<'_>> = crate::from_value(doc.root()).unwrap();
            assert_eq!(items[0].kind, Kind::A);
            assert_eq!(items[1].kind, Kind::B(-3));
            assert_eq!(items[1].score, Some(0.5));
            assert_eq!(
                items[2],
                Item {
                    id: 3,
                    name: "o",
                    tags: vec![],
                    score: None,
                    kind: Kind::C { x: true }
                }
            );
        }
    }

    #[test]
    fn type_and_range_errors_are_errs() {
        let e = from_slice::<Vec<u8>>(b"[1, 256]").unwrap_err();
        assert!(e.to_string().contains("256"), "{e}");
        let e = from_slice::<String>(b"12").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Type);
    }

    #[test]
    fn recursion_limit_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let e = from_slice::<serde_json::Value>(deep.as_bytes()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Depth);
        // The same boundary as serde_json: 127 levels are accepted, 128 are not.
        for (levels, ok) in [(127, true), (128, false)] {
            let doc = format!("{}{}", "[".repeat(levels), "]".repeat(levels));
            assert_eq!(
                from_slice::<serde_json::Value>(doc.as_bytes()).is_ok(),
                ok,
                "{levels}"
            );
            assert_eq!(
                serde_json::from_str::<serde_json::Value>(&doc).is_ok(),
                ok,
                "{levels}"
            );
        }
    }
}
