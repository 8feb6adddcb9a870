//! The scalar backend: one record at a time, a byte at a time, through the state machine
//! of RFC 4180 with the `csv` crate's lenient rules. It is also the reference the SIMD
//! backend falls back to for records its fast path does not take (stray quotes, the last
//! record of the input, errors), so both report the same records and errors.

use crate::record::ByteRecord;

/// What parsing from a position found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// A record, now in the `ByteRecord`: its first byte `start` (line ends before it
    /// skipped), `end` the position of its line end (or of the end of the input) and
    /// `next` the position after that line end.
    Record {
        start: usize,
        end: usize,
        next: usize,
    },
    /// Only line ends up to the end of the input: no more records.
    End,
    /// The buffer ends inside the record that starts at `start`: read more.
    NeedMore { start: usize },
    /// The input ends inside the quoted field opened at `quote`, in the record starting
    /// at `start`.
    Unclosed { start: usize, quote: usize },
}

/// Where [`parse`] stopped inside a record for more input, to go on from there (so a
/// source returning a byte per `read` costs linear time, not quadratic).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resume {
    /// The next byte to read, from the record's first byte.
    offset: usize,
    state: State,
    /// The start of the current field in the record's data.
    field: usize,
    /// The last opening quote, from the record's first byte.
    quote: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StartField,
    InField,
    InQuoted,
    /// A quote seen inside a quoted field: it closes the field or, doubled, is a quote.
    QuoteInQuoted,
}

/// Parses one record of `buf` from `pos` into `record` (cleared first). `eof`: `buf`
/// holds everything up to the end of the input. With `resume` set (by the previous call,
/// which returned [`Outcome::NeedMore`] with `pos` the record's first byte), goes on
/// where that call stopped, `record` holding what it read; on `NeedMore` inside a
/// record, sets it.
pub(crate) fn parse(
    buf: &[u8],
    mut pos: usize,
    eof: bool,
    delimiter: u8,
    record: &mut ByteRecord,
    resume: &mut Option<Resume>,
) -> Outcome {
    let start;
    let mut state = State::StartField;
    let mut quote;
    let mut field = 0;
    if let Some(stopped) = resume.take() {
        start = pos;
        pos = start + stopped.offset;
        state = stopped.state;
        field = stopped.field;
        quote = start + stopped.quote;
    } else {
        record.clear();
        // Empty lines are skipped, as the csv crate does.
        while pos < buf.len() && matches!(buf[pos], b'\n' | b'\r') {
            pos += 1;
        }
        start = pos;
        quote = start;
        if pos == buf.len() {
            return if eof {
                Outcome::End
            } else {
                Outcome::NeedMore { start }
            };
        }
    }
    while pos < buf.len() {
        let b = buf[pos];
        match state {
            State::StartField | State::InField => {
                if b == delimiter {
                    record.end_field(field);
                    field = record.data.len();
                    state = State::StartField;
                } else if b == b'\n' || b == b'\r' {
                    record.end_field(field);
                    return Outcome::Record {
                        start,
                        end: pos,
                        next: pos + 1,
                    };
                } else if b == b'"' && state == State::StartField {
                    quote = pos;
                    state = State::InQuoted;
                } else {
                    record.data.push(b);
                    state = State::InField;
                }
            }
            State::InQuoted => {
                if b == b'"' {
                    state = State::QuoteInQuoted;
                } else {
                    record.data.push(b);
                }
            }
            State::QuoteInQuoted => {
                if b == b'"' {
                    record.data.push(b'"');
                    state = State::InQuoted;
                } else if b == delimiter {
                    record.end_field(field);
                    field = record.data.len();
                    state = State::StartField;
                } else if b == b'\n' || b == b'\r' {
                    record.end_field(field);
                    return Outcome::Record {
                        start,
                        end: pos,
                        next: pos + 1,
                    };
                } else {
                    // `"ab"c`: the csv crate keeps the byte and goes on unquoted.
                    record.data.push(b);
                    state = State::InField;
                }
            }
        }
        pos += 1;
    }
    if !eof {
        *resume = Some(Resume {
            offset: pos - start,
            state,
            field,
            quote: quote - start,
        });
        return Outcome::NeedMore { start };
    }
    if state == State::InQuoted {
        return Outcome::Unclosed { start, quote };
    }
    record.end_field(field);
    Outcome::Record {
        start,
        end: pos,
        next: pos,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(input: &[u8]) -> (Outcome, Vec<Vec<u8>>) {
        let mut record = ByteRecord::new();
        let outcome = parse(input, 0, true, b',', &mut record, &mut None);
        (outcome, record.iter().map(<[u8]>::to_vec).collect())
    }

    #[test]
    fn state_machine() {
        let (o, f) = fields(b"\r\n\na,\"b\"\"c\",d\"e\r\nx");
        assert_eq!(
            o,
            Outcome::Record {
                start: 3,
                end: 15,
                next: 16
            }
        );
        assert_eq!(f, [&b"a"[..], b"b\"c", b"d\"e"]);
        let (o, f) = fields(b"\"ab\"cd,");
        assert_eq!(
            o,
            Outcome::Record {
                start: 0,
                end: 7,
                next: 7
            }
        );
        assert_eq!(f, [&b"abcd"[..], b""]);
        assert_eq!(fields(b"a,\"b").0, Outcome::Unclosed { start: 0, quote: 2 });
        assert_eq!(fields(b"\n\r\n").0, Outcome::End);
        let mut record = ByteRecord::new();
        let mut resume = None;
        assert_eq!(
            parse(b"\na,\"b", 0, false, b',', &mut record, &mut resume),
            Outcome::NeedMore { start: 1 }
        );
        assert!(resume.is_some());
        assert_eq!(
            parse(b"a,\"b\"\"c\"\n", 0, false, b',', &mut record, &mut resume),
            Outcome::Record {
                start: 0,
                end: 8,
                next: 9
            }
        );
        assert_eq!(record, ByteRecord::from(vec!["a", "b\"c"]));
    }
}
