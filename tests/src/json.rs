//! The JSON conformance suite, generic over [`arsenal_json::Parser`].
//!
//! Instantiate it for a backend with [`json_conformance!`](crate::json_conformance).

use crate::data::{data_dir, json_datasets, Rng};
use arsenal_json::{Document, ErrorKind, JsonValue, Kind, Number, ParseOptions, Parser};
use std::path::Path;

/// Counts from running the JSONTestSuite `test_parsing` directory.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SuiteCounts {
    /// `y_*` cases accepted / total.
    pub y_ok: usize,
    /// `y_*` total.
    pub y_total: usize,
    /// `n_*` cases rejected.
    pub n_rejected: usize,
    /// `n_*` total.
    pub n_total: usize,
    /// `i_*` cases accepted.
    pub i_accepted: usize,
    /// `i_*` cases rejected (with an `Err`, never a crash).
    pub i_rejected: usize,
    /// Failures: `y` rejected or `n` accepted, with file name and detail.
    pub failures: Vec<String>,
}

/// Compares our value tree with serde_json's. Strict (same types, same numbers)
/// except for one documented difference: both C backends read `-0` as the integer 0,
/// where serde_json reads the float -0.0.
pub fn same_value(ours: &serde_json::Value, theirs: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (ours, theirs) {
        (V::Number(a), V::Number(b)) => {
            a == b
                || (a.as_u64() == Some(0)
                    && b.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative()))
        }
        (V::Array(a), V::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y))
        }
        (V::Object(a), V::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, va), (kb, vb))| ka == kb && same_value(va, vb))
        }
        _ => ours == theirs,
    }
}

/// Parses `json` with a fresh `P` and converts the root to `serde_json::Value`.
pub fn parse_to_serde<P: Parser>(json: &[u8]) -> arsenal_json::Result<serde_json::Value> {
    let mut parser = P::with_options(ParseOptions::default())?;
    let doc = parser.parse(json)?;
    arsenal_json::to_serde_value(doc.root())
}

/// Parses then serializes compactly.
pub fn parse_to_string<P: Parser>(json: &[u8]) -> arsenal_json::Result<String> {
    let mut parser = P::with_options(ParseOptions::default())?;
    let doc = parser.parse(json)?;
    Ok(arsenal_json::to_string(doc.root()))
}

/// Runs every case of JSONTestSuite's `test_parsing` directory under `dir`.
/// For accepted `y_` cases the value tree must also equal serde_json's.
pub fn run_json_test_suite<P: Parser>(dir: &Path) -> SuiteCounts {
    let mut counts = SuiteCounts::default();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("read JSONTestSuite dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut parser = P::with_options(ParseOptions::default()).expect("parser");
    for file in files {
        let name = file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(&file).expect("read case");
        let result = parser.parse(&bytes).map(|doc| {
            // Touch every value: exercises the UTF-8 debug assertions on each string.
            arsenal_json::walk(doc.root());
            arsenal_json::to_serde_value(doc.root())
        });
        match name.as_bytes()[0] {
            b'y' => {
                counts.y_total += 1;
                match result {
                    Ok(Ok(v)) => {
                        counts.y_ok += 1;
                        if let Ok(expected) = serde_json::from_slice::<serde_json::Value>(&bytes) {
                            if !same_value(&v, &expected) {
                                counts
                                    .failures
                                    .push(format!("{name}: value differs from serde_json"));
                            }
                        }
                    }
                    Ok(Err(e)) | Err(e) => counts.failures.push(format!("{name}: rejected: {e}")),
                }
            }
            b'n' => {
                counts.n_total += 1;
                match result {
                    Err(_) => counts.n_rejected += 1,
                    Ok(_) => counts
                        .failures
                        .push(format!("{name}: accepted invalid JSON")),
                }
            }
            _ => match result {
                Ok(_) => counts.i_accepted += 1,
                Err(_) => counts.i_rejected += 1,
            },
        }
    }
    counts
}

/// Small built-in accept/reject cases (written for this project), used when the
/// JSONTestSuite is not available and as a fast extra check always.
pub const BUILTIN_ACCEPT: &[&str] = &[
    "0",
    "-0",
    "1.5e-3",
    "\"\"",
    "[]",
    "{}",
    "null",
    "true",
    " [ 1 , 2 ] ",
    "{\"a\":{\"b\":[{}]}}",
    "\"\\u00e9\\ud83d\\ude80\"",
    "[-9223372036854775808, 18446744073709551615]",
    "1E+2",
];
/// Invalid documents every backend must reject.
pub const BUILTIN_REJECT: &[&str] = &[
    "",
    " ",
    "[",
    "]",
    "[1,]",
    "{\"a\" 1}",
    "{a:1}",
    "01",
    "1.",
    ".5",
    "+1",
    "[1 2]",
    "nul",
    "tru",
    "\"abc",
    "\"\\x\"",
    "[\"\t\"]",
    "{\"a\":1,}",
    "[1]x",
    "NaN",
    "Infinity",
    "'a'",
    "\"\\ud800\"",
    "\"\\udc00\"",
];

/// Asserts the built-in accept/reject lists.
pub fn check_builtin_cases<P: Parser>() {
    let mut parser = P::with_options(ParseOptions::default()).expect("parser");
    for case in BUILTIN_ACCEPT {
        let got = parser
            .parse(case.as_bytes())
            .map(|d| arsenal_json::to_serde_value(d.root()));
        let expected: serde_json::Value = serde_json::from_str(case).expect("serde_json accepts");
        match got {
            Ok(Ok(v)) => assert!(
                same_value(&v, &expected),
                "{}: {case:?}: {v} vs {expected}",
                P::BACKEND
            ),
            other => panic!("{}: rejected valid {case:?}: {other:?}", P::BACKEND),
        }
    }
    for case in BUILTIN_REJECT {
        assert!(
            parser.parse(case.as_bytes()).is_err(),
            "{}: accepted invalid {case:?}",
            P::BACKEND
        );
    }
    // A leading UTF-8 byte order mark is skipped by every backend (RFC 8259 allows it).
    let with_bom = parser
        .parse(b"\xEF\xBB\xBF{\"a\":[1]}")
        .map(|d| arsenal_json::to_string(d.root()));
    assert_eq!(
        with_bom.as_deref(),
        Ok("{\"a\":[1]}"),
        "{}: BOM",
        P::BACKEND
    );
    // Only one is: a second BOM is a syntax error (fuzzing found simdjson 3.12, which
    // skips one itself, taking two).
    let twice = parser
        .parse(b"\xEF\xBB\xBF\xEF\xBB\xBF{\"x\":22}")
        .map(|_| ());
    assert_eq!(
        twice.map_err(|e| e.kind()),
        Err(ErrorKind::Syntax),
        "{}: two BOMs",
        P::BACKEND
    );
    // Empty input, with or without a BOM and whitespace, is `Empty` for every backend.
    for empty in [&b""[..], b" \n\t ", b"\xEF\xBB\xBF", b"\xEF\xBB\xBF  "] {
        let kind = parser.parse(empty).map(|_| ()).map_err(|e| e.kind());
        assert_eq!(kind, Err(ErrorKind::Empty), "{}: {empty:?}", P::BACKEND);
    }
    // Invalid UTF-8, in strings and outside them.
    for bad in [
        &b"\"\xff\""[..],
        b"[\"\xc3\x28\"]",
        b"\"\xed\xa0\x80\"",
        b"\xfe[1]",
        b"[1]\x80",
    ] {
        let e = parser
            .parse(bad)
            .expect_err("invalid UTF-8 must be rejected");
        assert!(
            matches!(e.kind(), ErrorKind::Encoding | ErrorKind::Syntax),
            "{}: {bad:?} -> {e}",
            P::BACKEND
        );
    }
}

/// The big documents: value tree equals serde_json's, and parse -> serialize -> parse
/// is the identity (same serialized text, same tree).
pub fn check_datasets_against_serde_json<P: Parser>() {
    let dir = data_dir();
    for ds in json_datasets(dir.as_deref()) {
        if ds.generated {
            eprintln!(
                "note: {} not found in shared data; using a generated document",
                ds.name
            );
        }
        let expected: serde_json::Value = serde_json::from_slice(&ds.bytes).expect("serde_json");
        let got = parse_to_serde::<P>(&ds.bytes).unwrap_or_else(|e| panic!("{}: {e}", ds.name));
        assert!(
            same_value(&got, &expected),
            "{} ({}): value tree differs from serde_json",
            ds.name,
            P::BACKEND
        );
        let once = parse_to_string::<P>(&ds.bytes).expect("serialize");
        let twice = parse_to_string::<P>(once.as_bytes()).expect("reparse serialized");
        assert_eq!(
            once.len(),
            twice.len(),
            "{}: serialize is not stable",
            ds.name
        );
        assert!(
            once == twice,
            "{}: parse -> serialize -> parse is not the identity",
            ds.name
        );
        let reparsed: serde_json::Value = serde_json::from_str(&once).expect("output is JSON");
        assert!(
            same_value(&reparsed, &expected),
            "{}: serialized output means something else",
            ds.name
        );
        // Compact output of serde_json and ours agree on everything but float spelling:
        // check on a float-free document.
        if ds.name == "citm_catalog" && !ds.generated {
            assert_eq!(once, serde_json::to_string(&expected).expect("serde_json"));
        }
    }
}

/// Hostile inputs: never a crash; errors with the right kind, or documented results.
pub fn check_hostile_inputs<P: Parser>() {
    let mut parser = P::with_options(ParseOptions::default()).expect("parser");
    // 100 000 nested arrays, unterminated and terminated.
    let open = "[".repeat(100_000);
    let e = parser
        .parse(open.as_bytes())
        .expect_err("unterminated nesting");
    assert!(
        matches!(
            e.kind(),
            ErrorKind::Depth | ErrorKind::Truncated | ErrorKind::Syntax
        ),
        "{e}"
    );
    let closed = format!("{open}{}", "]".repeat(100_000));
    let e = parser
        .parse(closed.as_bytes())
        .expect_err("deeper than max_depth");
    assert_eq!(e.kind(), ErrorKind::Depth, "{e}");
    let objects = "{\"a\":".repeat(100_000) + "1" + &"}".repeat(100_000);
    assert_eq!(
        parser.parse(objects.as_bytes()).unwrap_err().kind(),
        ErrorKind::Depth
    );
    // Exactly at the limit is fine, one more is not.
    let mut limited = P::with_options(ParseOptions::default().max_depth(64)).expect("parser");
    let at = format!("{}{}", "[".repeat(64), "]".repeat(64));
    assert!(
        limited.parse(at.as_bytes()).is_ok(),
        "depth 64 within max_depth 64"
    );
    let over = format!("{}{}", "[".repeat(65), "]".repeat(65));
    assert_eq!(
        limited.parse(over.as_bytes()).unwrap_err().kind(),
        ErrorKind::Depth
    );
    // Every value is a level, scalars included: 63 arrays around a scalar fit in 64,
    // 64 arrays around one do not (the same rule for every backend).
    let depth_of = |p: &mut P, doc: &str| p.parse(doc.as_bytes()).map(|_| ()).map_err(|e| e.kind());
    let scalar_at = |arrays: usize| format!("{}1{}", "[".repeat(arrays), "]".repeat(arrays));
    let object_at = |n: usize| format!("{}{{\"k\":1}}{}", "[".repeat(n), "]".repeat(n));
    assert_eq!(depth_of(&mut limited, &scalar_at(63)), Ok(()));
    assert_eq!(
        depth_of(&mut limited, &scalar_at(64)),
        Err(ErrorKind::Depth)
    );
    assert_eq!(depth_of(&mut limited, &object_at(62)), Ok(()));
    assert_eq!(
        depth_of(&mut limited, &object_at(63)),
        Err(ErrorKind::Depth)
    );
    // Documents long enough for yyjson's depth scan, the deep part at the end or start.
    let long_tail = |deep: String| format!("[{}{deep}]", "0,".repeat(200));
    let long_head = |deep: String| format!("[{deep}{}]", ",0".repeat(200));
    assert_eq!(depth_of(&mut limited, &long_tail(scalar_at(62))), Ok(()));
    assert_eq!(
        depth_of(&mut limited, &long_tail(scalar_at(63))),
        Err(ErrorKind::Depth)
    );
    assert_eq!(depth_of(&mut limited, &long_head(object_at(61))), Ok(()));
    assert_eq!(
        depth_of(&mut limited, &long_head(object_at(62))),
        Err(ErrorKind::Depth)
    );

    // Errors do not depend on earlier inputs (a reused parser must not read stale bytes
    // of a previous document past the end of this one).
    let invalid: [&[u8]; 4] = [b"[184,16,[184,1809]", b"[1,2", b"{\"a\":tru", b"[\"abc"];
    for bad in invalid {
        let fresh = P::with_options(ParseOptions::default())
            .expect("parser")
            .parse(bad)
            .map(|_| ())
            .unwrap_err();
        let long = ",".repeat(4096); // stale commas past the end would change the error
        let _ = parser.parse(long.as_bytes());
        let reused = parser.parse(bad).map(|_| ()).unwrap_err();
        assert_eq!(fresh.kind(), reused.kind(), "{}: {bad:?}", P::BACKEND);
    }

    // Truncations of a real document: every prefix that cuts a value is an error.
    let doc = br#"{"a":[1,2.5,"x\u00e9y",{"b":null,"c":[true,false]}],"d":-1e10}"#;
    for cut in 1..doc.len() {
        let prefix = &doc[..cut];
        if serde_json::from_slice::<serde_json::Value>(prefix).is_err() {
            assert!(
                parser.parse(prefix).is_err(),
                "{}: accepted prefix {cut}",
                P::BACKEND
            );
        }
    }

    // A 64 MiB string: accepted within the default limits, length preserved.
    let big_len = 64 << 20;
    let mut big = Vec::with_capacity(big_len + 2);
    big.push(b'"');
    big.resize(big_len + 1, b'a');
    big.push(b'"');
    {
        let parsed = parser
            .parse(&big)
            .expect("64 MiB string within default limits");
        assert_eq!(parsed.root().as_str().map(str::len), Some(big_len));
    }
    // ...and rejected with TooLarge when the input limit is lower.
    let mut small =
        P::with_options(ParseOptions::default().max_input_len(1 << 20)).expect("parser");
    assert_eq!(small.parse(&big).unwrap_err().kind(), ErrorKind::TooLarge);

    // Numbers beyond i64/u64/f64.
    let n = |text: &str, parser: &mut P| -> Result<Number, ErrorKind> {
        parser
            .parse(text.as_bytes())
            .map(|d| d.root().as_number().expect("a number"))
            .map_err(|e| e.kind())
    };
    assert_eq!(
        n("-9223372036854775808", &mut parser),
        Ok(Number::NegInt(i64::MIN))
    );
    assert_eq!(
        n("18446744073709551615", &mut parser),
        Ok(Number::PosInt(u64::MAX))
    );
    for too_big in [
        "18446744073709551616",
        "-9223372036854775809",
        "1e999999999999999999",
    ] {
        // Documented: yyjson reads integers beyond 64 bits as doubles; simdjson rejects
        // them (BIGINT_ERROR). Overflowing doubles are rejected by both.
        match n(too_big, &mut parser) {
            Ok(Number::Float(f)) => {
                assert!(f.is_finite() && too_big.contains("9223") || f > 1.8e19)
            }
            Err(kind) => assert_eq!(kind, ErrorKind::Number, "{too_big}"),
            other => panic!("{too_big}: {other:?}"),
        }
    }
    for inf in ["1e400", "-1e400", "[1.7976931348623159e308]"] {
        assert!(
            parser.parse(inf.as_bytes()).is_err(),
            "{}: accepted {inf}",
            P::BACKEND
        );
    }
    assert_eq!(n("1e-400", &mut parser), Ok(Number::Float(0.0)));
}

/// Runs `fuzz_one` over deterministic mutations of small valid documents: the property
/// the fuzz targets check, replayed in the normal test run.
pub fn check_mutations<P: Parser>(iterations: usize) {
    const ALPHABET: &[u8] = b"[]{}\",:0-.eE\\ u\xff";
    let seeds: Vec<Vec<u8>> = BUILTIN_ACCEPT
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .chain(std::iter::once(
            br#"{"k":[1,-2,3.25e2,"s\n\u00e9",true,false,null,{"n":{}}]}"#.to_vec(),
        ))
        .collect();
    let mut rng = Rng::new(42);
    let mut parser = P::with_options(ParseOptions::default()).expect("parser");
    for i in 0..iterations {
        let mut input = seeds[i % seeds.len()].clone();
        for _ in 0..=rng.below(4) {
            let pos = rng.below(input.len() as u64 + 1) as usize;
            match rng.below(3) {
                0 if pos < input.len() => input[pos] = rng.below(256) as u8,
                1 => input.insert(pos, ALPHABET[rng.below(ALPHABET.len() as u64) as usize]),
                _ if pos < input.len() => {
                    input.remove(pos);
                }
                _ => {}
            }
        }
        fuzz_one(&mut parser, &input);
    }
}

/// The fuzz property for one input: parsing never crashes; an accepted document walks
/// and serializes to JSON that reparses (with the same backend) to the same text; when it
/// converts to a `serde_json::Value` (nesting below [`RECURSION_LIMIT`]) serde_json reads
/// the serialized text as the same tree, and equals serde_json's tree of the input
/// whenever serde_json accepts the input.
///
/// [`RECURSION_LIMIT`]: arsenal_json::RECURSION_LIMIT
pub fn fuzz_one<P: Parser>(parser: &mut P, input: &[u8]) {
    let (text, ours) = {
        let Ok(doc) = parser.parse(input) else { return };
        let root = doc.root();
        arsenal_json::walk(root);
        (
            arsenal_json::to_string(root),
            arsenal_json::to_serde_value(root),
        )
    };
    let again = parser
        .parse(text.as_bytes())
        .map(|doc| arsenal_json::to_string(doc.root()))
        .unwrap_or_else(|e| panic!("{}: rejected its own output ({e}): {text}", P::BACKEND));
    assert_eq!(
        again,
        text,
        "{}: serialize/reparse is not stable",
        P::BACKEND
    );
    match ours {
        Ok(ours) => {
            let reparsed: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| {
                panic!(
                    "{}: serde_json rejects our output ({e}): {text}",
                    P::BACKEND
                )
            });
            assert!(
                same_value(&ours, &reparsed),
                "{}: output means something else",
                P::BACKEND
            );
            if let Ok(theirs) = serde_json::from_slice::<serde_json::Value>(input) {
                assert!(
                    same_value(&ours, &theirs),
                    "{}: disagrees with serde_json on {input:?}: {ours} vs {theirs}",
                    P::BACKEND
                );
            }
        }
        Err(e) => assert_eq!(
            e.kind(),
            ErrorKind::Depth,
            "{}: to_serde_value: {e}",
            P::BACKEND
        ),
    }
}

/// Basic value API behaviour on a known document.
pub fn check_value_api<P: Parser>() {
    let mut parser = P::with_options(ParseOptions::default()).expect("parser");
    let doc = parser
        .parse(br#"{"s":"str","i":-5,"u":7,"f":0.25,"t":true,"n":null,"a":[1,[2],{}],"o":{"x":1,"x":2}}"#)
        .expect("parse");
    let root = doc.root();
    assert_eq!(root.kind(), Kind::Object);
    assert_eq!(root.len(), Some(8));
    assert_eq!(root.get("s").and_then(|v| v.as_str()), Some("str"));
    assert_eq!(root.get("i").and_then(|v| v.as_i64()), Some(-5));
    assert_eq!(root.get("i").and_then(|v| v.as_u64()), None);
    assert_eq!(root.get("u").and_then(|v| v.as_u64()), Some(7));
    assert_eq!(root.get("f").and_then(|v| v.as_f64()), Some(0.25));
    assert_eq!(root.get("f").and_then(|v| v.as_i64()), None);
    assert_eq!(root.get("t").and_then(|v| v.as_bool()), Some(true));
    assert!(root.get("n").is_some_and(|v| v.is_null()));
    assert!(root.get("missing").is_none());
    let a = root.get("a").expect("a");
    assert_eq!(a.len(), Some(3));
    assert_eq!(a.at(1).and_then(|v| v.len()), Some(1));
    assert_eq!(a.at(2).and_then(|v| v.is_empty()), Some(true));
    assert!(a.at(3).is_none());
    assert!(a.get("x").is_none(), "get on an array");
    // Duplicate keys: get returns the first, iteration shows both in order.
    let o = root.get("o").expect("o");
    assert_eq!(o.get("x").and_then(|v| v.as_i64()), Some(1));
    let members: Vec<_> = o
        .object_iter()
        .expect("object")
        .map(|(k, v)| (k, v.as_i64()))
        .collect();
    assert_eq!(members, [("x", Some(1)), ("x", Some(2))]);
    // A saturating container count (> 0xFFFFFF elements is too large for a test; a
    // long array still reports its exact length).
    drop(doc);
    let long = format!("[{}0]", "0,".repeat(100_000));
    let doc = parser.parse(long.as_bytes()).expect("long array");
    assert_eq!(doc.root().len(), Some(100_001));
    assert_eq!(doc.root().array_iter().map(Iterator::count), Some(100_001));
}

/// Instantiates the JSON conformance suite as `#[test]`s for one backend type.
#[macro_export]
macro_rules! json_conformance {
    ($name:ident, $parser:ty) => {
        mod $name {
            use $crate::json as suite;

            #[test]
            fn json_test_suite() {
                let Some(dir) = $crate::data::data_dir()
                    .map(|d| d.join("json/JSONTestSuite/test_parsing"))
                    .filter(|d| d.is_dir())
                else {
                    eprintln!("note: JSONTestSuite not found; running built-in cases only");
                    suite::check_builtin_cases::<$parser>();
                    return;
                };
                let c = suite::run_json_test_suite::<$parser>(&dir);
                eprintln!(
                    "{}: JSONTestSuite y {}/{} accepted, n {}/{} rejected, i {} accepted + {} rejected, no crash",
                    stringify!($name), c.y_ok, c.y_total, c.n_rejected, c.n_total, c.i_accepted, c.i_rejected
                );
                assert!(c.failures.is_empty(), "failures: {:#?}", c.failures);
                assert!(c.y_total > 0 && c.n_total > 0, "empty JSONTestSuite directory");
            }

            #[test]
            fn builtin_cases() {
                suite::check_builtin_cases::<$parser>();
            }

            #[test]
            fn datasets_match_serde_json() {
                suite::check_datasets_against_serde_json::<$parser>();
            }

            #[test]
            fn hostile_inputs() {
                suite::check_hostile_inputs::<$parser>();
            }

            #[test]
            fn mutations_never_crash() {
                suite::check_mutations::<$parser>(20_000);
            }

            #[test]
            fn value_api() {
                suite::check_value_api::<$parser>();
            }
        }
    };
}
