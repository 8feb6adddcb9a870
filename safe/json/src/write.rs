//! Compact JSON serialization of any [`JsonValue`], without recursion.

use crate::value::{JsonValue, Kind, Number};
use std::io;

/// Writes `value` as compact JSON (no whitespace) to `out`.
///
/// Numbers keep their stored type: integers print as integers, floats with the shortest
/// representation that parses back to the same `f64` (so parse → serialize → parse is
/// the identity). Strings are escaped as JSON requires (`"`, `\`, control characters).
/// Works at any nesting depth (an explicit stack, no recursion).
///
/// ```
/// let doc = arsenal_json::parse(br#" { "a" : [ 1 , 2.5e3 , "x\"y" ] } "#)?;
/// let mut out = Vec::new();
/// arsenal_json::to_writer(doc.root(), &mut out)?;
/// assert_eq!(out, br#"{"a":[1,2500.0,"x\"y"]}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_writer<'d, V: JsonValue<'d>, W: io::Write>(value: V, mut out: W) -> io::Result<()> {
    let mut buf = Vec::with_capacity(16 * 1024);
    write_value(value, &mut buf);
    out.write_all(&buf)?;
    out.flush()
}

/// Serializes `value` as compact JSON into a `String`.
///
/// ```
/// let doc = arsenal_json::parse(br#"[true, null, -7, "\u00e9"]"#)?;
/// assert_eq!(arsenal_json::to_string(doc.root()), r#"[true,null,-7,"é"]"#);
/// # Ok::<(), arsenal_json::Error>(())
/// ```
pub fn to_string<'d, V: JsonValue<'d>>(value: V) -> String {
    let mut buf = Vec::new();
    write_value(value, &mut buf);
    // Every byte written is either ASCII punctuation/digits or copied from a `&str`.
    String::from_utf8(buf).expect("serializer writes UTF-8 only")
}

enum Frame<A, O> {
    Array(A, bool),
    Object(O, bool),
}

/// Appends the compact JSON form of `value` to `buf`.
pub(crate) fn write_value<'d, V: JsonValue<'d>>(value: V, buf: &mut Vec<u8>) {
    let mut stack: Vec<Frame<V::ArrayIter, V::ObjectIter>> = Vec::new();
    let mut next = Some(value);
    loop {
        if let Some(v) = next.take() {
            match v.kind() {
                Kind::Array => {
                    buf.push(b'[');
                    if let Some(it) = v.array_iter() {
                        stack.push(Frame::Array(it, true));
                    }
                }
                Kind::Object => {
                    buf.push(b'{');
                    if let Some(it) = v.object_iter() {
                        stack.push(Frame::Object(it, true));
                    }
                }
                _ => write_scalar(v, buf),
            }
        }
        let Some(top) = stack.last_mut() else { return };
        match top {
            Frame::Array(it, first) => match it.next() {
                Some(child) => {
                    if !*first {
                        buf.push(b',');
                    }
                    *first = false;
                    next = Some(child);
                }
                None => {
                    buf.push(b']');
                    stack.pop();
                }
            },
            Frame::Object(it, first) => match it.next() {
                Some((key, child)) => {
                    if !*first {
                        buf.push(b',');
                    }
                    *first = false;
                    write_str(key, buf);
                    buf.push(b':');
                    next = Some(child);
                }
                None => {
                    buf.push(b'}');
                    stack.pop();
                }
            },
        }
    }
}

fn write_scalar<'d, V: JsonValue<'d>>(v: V, buf: &mut Vec<u8>) {
    match v.kind() {
        Kind::Null => buf.extend_from_slice(b"null"),
        Kind::Bool => {
            let s: &[u8] = if v.as_bool() == Some(true) {
                b"true"
            } else {
                b"false"
            };
            buf.extend_from_slice(s)
        }
        Kind::Number => match v.as_number() {
            Some(Number::PosInt(n)) => {
                buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes())
            }
            Some(Number::NegInt(n)) => {
                buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes())
            }
            Some(Number::Float(f)) if f.is_finite() => {
                buf.extend_from_slice(ryu::Buffer::new().format_finite(f).as_bytes())
            }
            // Neither backend produces non-finite numbers (they reject them); JSON has
            // no spelling for them, so write null like serde_json does.
            _ => buf.extend_from_slice(b"null"),
        },
        Kind::String => write_str(v.as_str().unwrap_or(""), buf),
        Kind::Array | Kind::Object => unreachable!("containers are handled by write_value"),
    }
}

/// Writes `s` as a JSON string literal.
pub(crate) fn write_str(s: &str, buf: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => &[],
            _ => continue,
        };
        buf.extend_from_slice(&bytes[start..i]);
        if escape.is_empty() {
            buf.extend_from_slice(b"\\u00");
            buf.push(HEX[(b >> 4) as usize]);
            buf.push(HEX[(b & 0xf) as usize]);
        } else {
            buf.extend_from_slice(escape);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::write_str;

    #[test]
    fn escapes_control_quote_backslash() {
        let mut out = Vec::new();
        write_str("a\"b\\c\n\u{1}é", &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a\\\"b\\\\c\\n\\u0001é\""
        );
    }
}
