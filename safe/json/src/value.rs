//! The value API every backend implements, and what is built once on top of it.

use std::fmt;

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `null`
    Null,
    /// `true` or `false`
    Bool,
    /// A number (see [`Number`] for how it was stored).
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Null => "null",
            Kind::Bool => "boolean",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
        })
    }
}

/// A JSON number as the backend stored it, normalised the way `serde_json` does:
/// integers `>= 0` are [`Number::PosInt`], negative integers [`Number::NegInt`], and
/// everything with a fraction or exponent (or an integer too large for the backend's
/// integer types, where the backend accepts it) is [`Number::Float`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A non-negative integer.
    PosInt(u64),
    /// A negative integer.
    NegInt(i64),
    /// A floating-point number.
    Float(f64),
}

impl Number {
    /// Normalises a signed integer.
    #[inline]
    pub fn from_i64(v: i64) -> Number {
        if v >= 0 {
            Number::PosInt(v as u64)
        } else {
            Number::NegInt(v)
        }
    }

    /// The value as `i64` if it is an integer that fits.
    #[inline]
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::PosInt(v) => i64::try_from(v).ok(),
            Number::NegInt(v) => Some(v),
            Number::Float(_) => None,
        }
    }

    /// The value as `u64` if it is a non-negative integer.
    #[inline]
    pub fn as_u64(self) -> Option<u64> {
        match self {
            Number::PosInt(v) => Some(v),
            _ => None,
        }
    }

    /// The value as `f64` (integers are converted, possibly losing precision).
    #[inline]
    pub fn as_f64(self) -> f64 {
        match self {
            Number::PosInt(v) => v as f64,
            Number::NegInt(v) => v as f64,
            Number::Float(v) => v,
        }
    }
}

/// A read-only view of one JSON value inside a parsed document.
///
/// Values are small `Copy` handles that borrow the document (`'d`). Every backend
/// implements this trait; [serialization](crate::to_string), the
/// [serde bridge](crate::from_value) and [`to_serde_value`](crate::to_serde_value) are
/// written once on top of it.
///
/// ```
/// use arsenal_json::{JsonValue, Kind};
/// let doc = arsenal_json::parse(br#"{"user": {"name": "ada", "langs": ["en", "fr"]}}"#)?;
/// let user = doc.root().get("user").expect("key");
/// assert_eq!(user.kind(), Kind::Object);
/// assert_eq!(user.get("name").and_then(|v| v.as_str()), Some("ada"));
/// let langs: Vec<&str> = user.get("langs").unwrap().array_iter().unwrap()
///     .filter_map(|v| v.as_str()).collect();
/// assert_eq!(langs, ["en", "fr"]);
/// # Ok::<(), arsenal_json::Error>(())
/// ```
pub trait JsonValue<'d>: Copy + Sized + fmt::Debug {
    /// Iterator over an array's elements.
    type ArrayIter: Iterator<Item = Self>;
    /// Iterator over an object's members, in document order.
    type ObjectIter: Iterator<Item = (&'d str, Self)>;

    /// The JSON type.
    fn kind(&self) -> Kind;
    /// The boolean, if this is `true`/`false`.
    fn as_bool(&self) -> Option<bool>;
    /// The number, if this is a number.
    fn as_number(&self) -> Option<Number>;
    /// The string, if this is a string (always valid UTF-8: both backends validate).
    fn as_str(&self) -> Option<&'d str>;
    /// The elements, if this is an array.
    fn array_iter(&self) -> Option<Self::ArrayIter>;
    /// The members, if this is an object.
    fn object_iter(&self) -> Option<Self::ObjectIter>;
    /// Number of elements (array) or members (object); `None` for scalars.
    fn len(&self) -> Option<usize>;

    /// `true` for `null`.
    #[inline]
    fn is_null(&self) -> bool {
        self.kind() == Kind::Null
    }
    /// `true` for an empty array or object; `None` for scalars.
    #[inline]
    fn is_empty(&self) -> Option<bool> {
        self.len().map(|n| n == 0)
    }
    /// The value as `i64`, if it is an integer that fits.
    #[inline]
    fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }
    /// The value as `u64`, if it is a non-negative integer.
    #[inline]
    fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }
    /// The value as `f64`, if it is a number.
    #[inline]
    fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }
    /// The member named `key` (first match in document order), if this is an object.
    fn get(&self, key: &str) -> Option<Self> {
        self.object_iter()?.find(|(k, _)| *k == key).map(|(_, v)| v)
    }
    /// The element at `index`, if this is an array that long.
    fn at(&self, index: usize) -> Option<Self> {
        self.array_iter()?.nth(index)
    }
}

/// Totals computed by [`walk`]: visits every value once.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WalkStats {
    /// Number of values (scalars, arrays and objects, not counting keys).
    pub values: u64,
    /// Sum of all string lengths in bytes, keys included.
    pub string_bytes: u64,
    /// Sum of all numbers, as `f64`.
    pub number_sum: f64,
}

/// Visits every value of the tree below `value` without recursion and returns totals.
/// Used by the benchmark's `parse_walk` rows and by tests to compare backends.
///
/// ```
/// let doc = arsenal_json::parse(br#"{"a": [1, 2.5, "xyz"]}"#)?;
/// let stats = arsenal_json::walk(doc.root());
/// assert_eq!(stats.values, 5);
/// assert_eq!(stats.string_bytes, 4); // "a" + "xyz"
/// assert_eq!(stats.number_sum, 3.5);
/// # Ok::<(), arsenal_json::Error>(())
/// ```
pub fn walk<'d, V: JsonValue<'d>>(value: V) -> WalkStats {
    enum Frame<A, O> {
        Array(A),
        Object(O),
    }
    /// Counts one value; returns the frame to descend into for a container.
    #[inline(always)]
    fn visit<'d, V: JsonValue<'d>>(
        v: V,
        stats: &mut WalkStats,
    ) -> Option<Frame<V::ArrayIter, V::ObjectIter>> {
        stats.values += 1;
        match v.kind() {
            Kind::Number => stats.number_sum += v.as_f64().unwrap_or(0.0),
            Kind::String => stats.string_bytes += v.as_str().map_or(0, str::len) as u64,
            Kind::Array => return v.array_iter().map(Frame::Array),
            Kind::Object => return v.object_iter().map(Frame::Object),
            Kind::Null | Kind::Bool => {}
        }
        None
    }
    let mut stats = WalkStats::default();
    // One frame per open container (not per element): memory is bounded by the depth.
    // Scalars are handled in the inner loops; only containers push a frame.
    let mut stack: Vec<Frame<V::ArrayIter, V::ObjectIter>> = Vec::new();
    stack.extend(visit(value, &mut stats));
    while let Some(top) = stack.last_mut() {
        let deeper = match top {
            Frame::Array(it) => it.find_map(|child| visit(child, &mut stats)),
            Frame::Object(it) => it.find_map(|(key, child)| {
                stats.string_bytes += key.len() as u64;
                visit(child, &mut stats)
            }),
        };
        match deeper {
            Some(frame) => stack.push(frame),
            None => {
                stack.pop();
            }
        }
    }
    stats
}
