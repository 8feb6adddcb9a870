//! JSON rows of the matrix: `json/{parse,parse_walk}/{api-response,twitter,citm_catalog,canada}/<impl>`
//! (the three standard datasets named `<name>-generated` when generated, see below;
//! `api-response` is a small document generated in code, [`api_response`], the same
//! with and without a data directory: the matrix's small-input row, for `Latency`).
//!
//! | impl | what one iteration does |
//! |---|---|
//! | `arsenal:simdjson` | [`arsenal_json::Simdjson`] parser reused, `parse_padded` (no input copy) |
//! | `raw:simdjson` | simdjson's C++ `dom::parser`, reused, on the same padded buffer (benches/native) |
//! | `arsenal:yyjson` | [`arsenal_json::Yyjson`] `parse` |
//! | `raw:yyjson` | `yyjson_read` + `yyjson_doc_free`, and the walk, in C (benches/native) |
//! | `peer:serde_json` | `serde_json::from_slice::<Value>` |
//! | `peer:simd-json` | `simd_json::fill_tape` with reused `Buffers` and tape, on a fresh copy of the input |
//! | `peer:sonic-rs` | `sonic_rs::from_slice::<Value>` |
//!
//! `parse` builds the document and drops it; `parse_walk` also visits every value,
//! counting values and string bytes (keys included) and summing numbers, so nothing
//! can be skipped.
//!
//! **Peers as their authors benchmark them.** simd-json keeps its `Buffers` (and here
//! its tape too) from one parse to the next, as its README's `to_tape_with_buffers`
//! benchmark does; it parses in place, so each iteration first copies the input into a
//! reused scratch buffer (one `memcpy` of the document: its authors' criterion setup
//! makes that copy outside the timing, which this harness cannot). sonic-rs parses
//! with `from_slice` (UTF-8 validated, like every other row; its published numbers use
//! it) and picks its SIMD kernels at compile time only: with `-C target-cpu=native`
//! (the harness's `native` profile) on x86-64 it runs AVX2 + PCLMULQDQ, else an SSE2
//! fallback; simdjson and simd-json choose their kernels at run time (see [`DOMAIN`]'s
//! note for what a report's build had).
//!
//! **Verification.** Every implementation computes the same checksums, from one
//! reference reading of the dataset by serde_json (`float_roundtrip`), done once
//! outside the timing:
//! - `parse`: the root's summary, [`root_summary`]: its kind code `<< 32 |` its number
//!   of elements or members;
//! - `parse_walk`: [`walk_checksum`], `values << 32 | string bytes`; and the sum of all
//!   numbers, which each iteration leaves in the cell and a check compares with the
//!   reference's (relative tolerance 1e-12 of the sum of magnitudes).
//!
//! **Memory rows** (after the timing runs, [`memory_rows`]):
//! `json/memory/twitter-generated/<impl>`, bytes held per input byte by a parser and
//! the document it parsed, on the generated twitter-like document (generated in both
//! data situations, so the row's id is the same in both): the heap bytes in use (glibc
//! `mallinfo2`, which sees the C libraries' `malloc`/`new` and Rust's allocations
//! alike) while the parser and its document are alive, minus before the parser was
//! made, / input bytes. `arsenal:<backend>` parses through the crate's
//! `Backend::parser()` (what `Backend::for_strategy` users get; for simdjson that
//! includes the padded copy of the input the parser keeps), `raw:simdjson` a
//! `dom::parser` on the caller's padded buffer, `raw:yyjson` `yyjson_read_opts` (not
//! in place), the peers as their rows parse (simd-json: its input copy, `Buffers` and
//! tape).
//!
//! A rejected document gives [`PARSE_ERROR`] (`u64::MAX`), which no expected checksum
//! equals: such a cell is `FAILED`, not timed. `peer:serde_json` is the reference
//! itself (its cells check that the timed path agrees with the reference reading).

use std::cell::Cell;
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

use crate::domain::{Domain, Memory, Selection};
use crate::footprint::heap_in_use;
use crate::harness::{Case, Registry};
use crate::machine::Machine;
use crate::report::MemoryRow;
use crate::strategy::pick;
use arsenal_json::{Document, JsonValue, Kind, PaddedBytes, Parser};

const NAME: &str = "json";

/// The JSON domain.
///
/// ```
/// let mut registry = arsenal_bench::harness::Registry::new();
/// (arsenal_bench::json::DOMAIN.register)(&mut registry, None);
/// assert!(registry.ids().contains(&"json/parse/twitter-generated/raw:simdjson".to_owned()));
/// assert!(registry.ids().contains(&"json/parse/api-response/arsenal:yyjson".to_owned()));
/// ```
pub const DOMAIN: Domain = Domain {
    name: NAME,
    title: "JSON parsing",
    register,
    note,
    memory: Memory::After(memory_rows),
    select: Some(Selection {
        krate: "arsenal-json",
        pick: pick::<arsenal_json::Backend>,
    }),
    reads_data: true,
    ..Domain::EMPTY
};

/// The name of the small-document dataset, [`api_response`].
pub const SMALL_DATASET: &str = "api-response";

/// The small document of the `json/*/api-response` rows: an API response of a few
/// hundred bytes (status, request id, paging, three user records with strings, numbers,
/// booleans, an array, an escaped string and a null), generated in code so that it is
/// the same with and without a data directory.
///
/// ```
/// let doc = arsenal_bench::json::api_response();
/// assert!((300..1000).contains(&doc.len()), "{}", doc.len());
/// let value: serde_json::Value = serde_json::from_str(&doc).unwrap();
/// assert_eq!(value["data"].as_array().map(Vec::len), Some(3));
/// ```
pub fn api_response() -> String {
    let users: Vec<String> = (0..3u32)
        .map(|i| {
            format!(
                r#"{{"id":{},"login":"user{i}","name":"User Number {i}","email":"user{i}@example.com","active":{},"score":{},"roles":["reader"{}],"last_seen":"2026-11-27T10:0{i}:00Z"}}"#,
                1001 + i,
                i % 2 == 0,
                97.5 - f64::from(i) * 3.25,
                if i == 0 { r#","admin""# } else { "" },
            )
        })
        .collect();
    format!(
        r#"{{"status":"ok","request_id":"4f1c9a2e-7b3d-4e21-9c0a-5d6e7f809a1b","page":{{"number":1,"size":3,"total":42,"next":"/v1/users?page=2"}},"data":[{}],"note":"line one\nline \"two\"","error":null}}"#,
        users.join(",")
    )
}

/// The checksum of an iteration whose parser rejected the document; no expected
/// checksum equals it (kind codes and value counts stay far below 2³²).
pub const PARSE_ERROR: u64 = u64::MAX;

/// The `parse` checksum: the root's kind code (null 1, bool 2, number 3, string 4,
/// array 5, object 6) `<< 32 |` its number of elements or members (0 for a scalar).
///
/// ```
/// use arsenal_bench::json::root_summary;
/// use arsenal_json::Kind;
///
/// assert_eq!(root_summary(Kind::Object, 2), (6 << 32) | 2);
/// ```
pub fn root_summary(kind: Kind, len: usize) -> u64 {
    let code: u64 = match kind {
        Kind::Null => 1,
        Kind::Bool => 2,
        Kind::Number => 3,
        Kind::String => 4,
        Kind::Array => 5,
        Kind::Object => 6,
    };
    (code << 32) | len as u64
}

/// The `parse_walk` checksum: `values << 32 | string_bytes` (keys included).
///
/// ```
/// assert_eq!(arsenal_bench::json::walk_checksum(5, 4), (5 << 32) | 4);
/// ```
pub fn walk_checksum(values: u64, string_bytes: u64) -> u64 {
    (values << 32) | string_bytes
}

mod native {
    extern "C" {
        pub fn arsenal_bench_sj_new() -> *mut core::ffi::c_void;
        pub fn arsenal_bench_sj_free(p: *mut core::ffi::c_void);
        pub fn arsenal_bench_sj_parse(p: *mut core::ffi::c_void, buf: *const u8, len: usize)
            -> u64;
        pub fn arsenal_bench_sj_parse_walk(
            p: *mut core::ffi::c_void,
            buf: *const u8,
            len: usize,
            number_sum: *mut f64,
        ) -> u64;
        pub fn arsenal_bench_yy_parse(buf: *const core::ffi::c_char, len: usize) -> u64;
        pub fn arsenal_bench_yy_parse_walk(
            buf: *const core::ffi::c_char,
            len: usize,
            number_sum: *mut f64,
        ) -> u64;
    }
}

/// A simdjson C++ parser owned by a benchmark closure.
struct RawSimdjson(*mut core::ffi::c_void);

impl RawSimdjson {
    fn new() -> Option<Self> {
        // SAFETY: plain constructor of our benchmark shim; null on allocation failure.
        let p = unsafe { native::arsenal_bench_sj_new() };
        (!p.is_null()).then_some(RawSimdjson(p))
    }

    /// The parser pointer. (A method, so closures capture the owner, not the field:
    /// capturing only the pointer would drop and free the parser early.)
    fn ptr(&self) -> *mut core::ffi::c_void {
        self.0
    }
}

impl Drop for RawSimdjson {
    fn drop(&mut self) {
        // SAFETY: created by arsenal_bench_sj_new, freed once.
        unsafe { native::arsenal_bench_sj_free(self.0) }
    }
}

/// Which operation a cell does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Parse,
    ParseWalk,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Parse => "parse",
            Op::ParseWalk => "parse_walk",
        }
    }
}

/// What one iteration produced.
#[derive(Clone, Copy, Debug)]
enum Parsed {
    /// `parse`: the [`root_summary`].
    Root(u64),
    /// `parse_walk`: the [`walk_checksum`] and the sum of the numbers.
    Walk { checksum: u64, number_sum: f64 },
}

/// Walk totals, for the value types that have no walker of their own.
#[derive(Clone, Copy, Debug, Default)]
struct Totals {
    values: u64,
    string_bytes: u64,
    number_sum: f64,
    /// Sum of the numbers' magnitudes (the reference's tolerance scale).
    magnitude_sum: f64,
}

impl Totals {
    fn parsed(&self) -> Parsed {
        Parsed::Walk {
            checksum: walk_checksum(self.values, self.string_bytes),
            number_sum: self.number_sum,
        }
    }

    fn number(&mut self, n: f64) {
        self.number_sum += n;
        self.magnitude_sum += n.abs();
    }

    fn serde_json(&mut self, v: &serde_json::Value) {
        use serde_json::Value;
        self.values += 1;
        match v {
            Value::Number(n) => self.number(n.as_f64().unwrap_or(0.0)),
            Value::String(s) => self.string_bytes += s.len() as u64,
            Value::Array(a) => a.iter().for_each(|c| self.serde_json(c)),
            Value::Object(o) => o.iter().for_each(|(k, c)| {
                self.string_bytes += k.len() as u64;
                self.serde_json(c)
            }),
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn simd_json(&mut self, v: simd_json::tape::Value<'_, '_>) {
        use simd_json::prelude::*;
        self.values += 1;
        match v.value_type() {
            ValueType::Array => {
                if let Some(a) = v.as_array() {
                    a.iter().for_each(|c| self.simd_json(c));
                }
            }
            ValueType::Object => {
                if let Some(o) = v.as_object() {
                    o.iter().for_each(|(k, c)| {
                        self.string_bytes += k.len() as u64;
                        self.simd_json(c)
                    });
                }
            }
            ValueType::String => self.string_bytes += v.as_str().map_or(0, str::len) as u64,
            ValueType::I64
            | ValueType::U64
            | ValueType::F64
            | ValueType::I128
            | ValueType::U128 => self.number(v.cast_f64().unwrap_or(0.0)),
            _ => {}
        }
    }

    fn sonic(&mut self, v: &sonic_rs::Value) {
        use sonic_rs::{JsonContainerTrait, JsonType, JsonValueTrait};
        self.values += 1;
        match v.get_type() {
            JsonType::Number => self.number(v.as_f64().unwrap_or(0.0)),
            JsonType::String => self.string_bytes += v.as_str().map_or(0, str::len) as u64,
            JsonType::Array => {
                if let Some(a) = v.as_array() {
                    a.iter().for_each(|c| self.sonic(c));
                }
            }
            JsonType::Object => {
                if let Some(o) = v.as_object() {
                    o.iter().for_each(|(k, c)| {
                        self.string_bytes += k.len() as u64;
                        self.sonic(c)
                    });
                }
            }
            JsonType::Null | JsonType::Boolean => {}
        }
    }
}

/// The root summary and walk of an arsenal-json document (the library's own walker).
fn arsenal_parsed<'d, V: JsonValue<'d>>(root: V, op: Op) -> Parsed {
    match op {
        Op::Parse => Parsed::Root(root_summary(root.kind(), root.len().unwrap_or(0))),
        Op::ParseWalk => {
            let stats = arsenal_json::walk(root);
            Parsed::Walk {
                checksum: walk_checksum(stats.values, stats.string_bytes),
                number_sum: stats.number_sum,
            }
        }
    }
}

fn serde_json_root(v: &serde_json::Value) -> u64 {
    use serde_json::Value;
    match v {
        Value::Null => root_summary(Kind::Null, 0),
        Value::Bool(_) => root_summary(Kind::Bool, 0),
        Value::Number(_) => root_summary(Kind::Number, 0),
        Value::String(_) => root_summary(Kind::String, 0),
        Value::Array(a) => root_summary(Kind::Array, a.len()),
        Value::Object(o) => root_summary(Kind::Object, o.len()),
    }
}

fn simd_json_root(v: simd_json::tape::Value<'_, '_>) -> u64 {
    use simd_json::prelude::*;
    match v.value_type() {
        ValueType::Null => root_summary(Kind::Null, 0),
        ValueType::Bool => root_summary(Kind::Bool, 0),
        ValueType::String => root_summary(Kind::String, 0),
        ValueType::Array => root_summary(Kind::Array, v.as_array().map_or(0, |a| a.len())),
        ValueType::Object => root_summary(Kind::Object, v.as_object().map_or(0, |o| o.len())),
        ValueType::I64 | ValueType::U64 | ValueType::F64 | ValueType::I128 | ValueType::U128 => {
            root_summary(Kind::Number, 0)
        }
        _ => PARSE_ERROR,
    }
}

fn sonic_root(v: &sonic_rs::Value) -> u64 {
    use sonic_rs::{JsonContainerTrait, JsonType, JsonValueTrait};
    match v.get_type() {
        JsonType::Null => root_summary(Kind::Null, 0),
        JsonType::Boolean => root_summary(Kind::Bool, 0),
        JsonType::Number => root_summary(Kind::Number, 0),
        JsonType::String => root_summary(Kind::String, 0),
        JsonType::Array => root_summary(Kind::Array, v.as_array().map_or(0, |a| a.len())),
        JsonType::Object => root_summary(Kind::Object, v.as_object().map_or(0, |o| o.len())),
    }
}

/// What every implementation must find in a dataset: serde_json's reading of it.
#[derive(Clone, Copy, Debug)]
struct Reference {
    root: u64,
    walk: Totals,
}

impl Reference {
    fn of(bytes: &[u8]) -> Result<Reference, String> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| format!("serde_json rejected it: {e}"))?;
        let mut walk = Totals::default();
        walk.serde_json(&value);
        Ok(Reference {
            root: serde_json_root(&value),
            walk,
        })
    }
}

/// Registers every JSON cell on the small document ([`api_response`]) and the standard
/// datasets (from `data` or generated).
pub fn register(reg: &mut Registry, data: Option<&Path>) {
    let mut datasets = vec![(SMALL_DATASET.to_owned(), api_response().into_bytes())];
    datasets.extend(
        arsenal_conformance::data::json_datasets(data)
            .into_iter()
            .map(|ds| {
                let name = if ds.generated {
                    format!("{}-generated", ds.name)
                } else {
                    ds.name.to_owned()
                };
                (name, ds.bytes)
            }),
    );
    for (name, bytes) in datasets {
        let reference = Reference::of(&bytes);
        let input = Rc::new(PaddedBytes::from_vec(bytes));
        for op in [Op::Parse, Op::ParseWalk] {
            let mut cells = Cells {
                reg: &mut *reg,
                op,
                dataset: &name,
                input: &input,
                reference: reference.as_ref().ok().copied(),
            };
            if let Err(why) = &reference {
                for imp in IMPLS {
                    cells.fail(imp, format!("no reference checksum: {why}"));
                }
                continue;
            }
            register_op(&mut cells);
        }
    }
}

/// Every implementation, in registration order.
const IMPLS: [&str; 7] = [
    "arsenal:simdjson",
    "raw:simdjson",
    "arsenal:yyjson",
    "raw:yyjson",
    "peer:serde_json",
    "peer:simd-json",
    "peer:sonic-rs",
];

/// The cells of one (operation, dataset) being registered.
struct Cells<'a> {
    reg: &'a mut Registry,
    op: Op,
    dataset: &'a str,
    input: &'a Rc<PaddedBytes>,
    /// `None` when the reference could not read the dataset.
    reference: Option<Reference>,
}

impl Cells<'_> {
    fn fail(&mut self, imp: &str, why: String) {
        let case = Case::failed(NAME, self.op.name(), self.dataset, imp, why);
        self.reg.add(case);
    }

    /// Adds a cell: `run` does one iteration (`None`: the parser rejected the input).
    /// Its checksum must be the reference's; for `parse_walk`, so must its number sum.
    fn add(&mut self, imp: &str, mut run: impl FnMut() -> Option<Parsed> + 'static) {
        let Some(reference) = self.reference else {
            return self.fail(imp, "no reference checksum".to_owned());
        };
        let number_sum = Rc::new(Cell::new(f64::NAN));
        let sink = Rc::clone(&number_sum);
        let case = Case::new(
            NAME,
            self.op.name(),
            self.dataset,
            imp,
            self.input.len() as u64,
            1,
            move || match run() {
                Some(Parsed::Root(summary)) => summary,
                Some(Parsed::Walk {
                    checksum,
                    number_sum,
                }) => {
                    sink.set(number_sum);
                    checksum
                }
                None => PARSE_ERROR,
            },
        );
        self.reg.add(match self.op {
            Op::Parse => case.expect(reference.root),
            Op::ParseWalk => {
                let want = reference.walk;
                let tolerance = 1e-12 * want.magnitude_sum.max(1.0);
                case.expect(walk_checksum(want.values, want.string_bytes))
                    .verify(move || {
                        let got = number_sum.get();
                        if (got - want.number_sum).abs() <= tolerance {
                            Ok(())
                        } else {
                            Err(format!(
                                "number sum {got} differs from the reference's {}",
                                want.number_sum
                            ))
                        }
                    })
            }
        });
    }
}

fn register_op(cells: &mut Cells<'_>) {
    let op = cells.op;
    let walk = op == Op::ParseWalk;

    match arsenal_json::Simdjson::new() {
        Ok(mut parser) => {
            let input = Rc::clone(cells.input);
            cells.add("arsenal:simdjson", move || {
                let doc = parser.parse_padded(&input).ok()?;
                Some(arsenal_parsed(doc.root(), op))
            });
        }
        Err(e) => cells.fail("arsenal:simdjson", e.to_string()),
    }

    match RawSimdjson::new() {
        Some(parser) => {
            let input = Rc::clone(cells.input);
            cells.add("raw:simdjson", move || {
                let mut number_sum = 0.0;
                // SAFETY: `input` is a PaddedBytes (64 zero bytes after len, >=
                // SIMDJSON_PADDING), the parser is live and used by this closure only.
                let r = unsafe {
                    if walk {
                        native::arsenal_bench_sj_parse_walk(
                            parser.ptr(),
                            input.as_ptr(),
                            input.len(),
                            &mut number_sum,
                        )
                    } else {
                        native::arsenal_bench_sj_parse(parser.ptr(), input.as_ptr(), input.len())
                    }
                };
                from_native(r, walk, number_sum)
            });
        }
        None => cells.fail("raw:simdjson", "could not allocate a dom::parser".into()),
    }

    match arsenal_json::Yyjson::new() {
        Ok(mut parser) => {
            let input = Rc::clone(cells.input);
            cells.add("arsenal:yyjson", move || {
                let doc = parser.parse(&input).ok()?;
                Some(arsenal_parsed(doc.root(), op))
            });
        }
        Err(e) => cells.fail("arsenal:yyjson", e.to_string()),
    }

    let input = Rc::clone(cells.input);
    cells.add("raw:yyjson", move || {
        let mut number_sum = 0.0;
        // SAFETY: input is valid for len bytes; the C caller only reads it.
        let r = unsafe {
            if walk {
                native::arsenal_bench_yy_parse_walk(
                    input.as_ptr().cast(),
                    input.len(),
                    &mut number_sum,
                )
            } else {
                native::arsenal_bench_yy_parse(input.as_ptr().cast(), input.len())
            }
        };
        from_native(r, walk, number_sum)
    });

    let input = Rc::clone(cells.input);
    cells.add("peer:serde_json", move || {
        let v: serde_json::Value = serde_json::from_slice(&input).ok()?;
        Some(if walk {
            let mut t = Totals::default();
            t.serde_json(&v);
            t.parsed()
        } else {
            Parsed::Root(serde_json_root(&v))
        })
    });

    // simd-json parses in place: each iteration copies the input into `scratch` first.
    // Its `Buffers` and its tape (`reset` keeps the allocation, with a fresh lifetime)
    // persist from one iteration to the next.
    let input = Rc::clone(cells.input);
    let mut scratch = Vec::with_capacity(input.len());
    let mut buffers = simd_json::Buffers::new(input.len());
    let mut kept_tape: Option<simd_json::Tape<'static>> = Some(simd_json::Tape::null().reset());
    cells.add("peer:simd-json", move || {
        scratch.clear();
        scratch.extend_from_slice(&input);
        let mut tape = kept_tape
            .take()
            .unwrap_or_else(simd_json::Tape::null)
            .reset();
        let parsed = simd_json::fill_tape(&mut scratch, &mut buffers, &mut tape)
            .ok()
            .map(|()| {
                let root = tape.as_value();
                if walk {
                    let mut t = Totals::default();
                    t.simd_json(root);
                    t.parsed()
                } else {
                    Parsed::Root(simd_json_root(root))
                }
            });
        kept_tape = Some(tape.reset());
        parsed
    });

    let input = Rc::clone(cells.input);
    cells.add("peer:sonic-rs", move || {
        let v: sonic_rs::Value = sonic_rs::from_slice(&input).ok()?;
        Some(if walk {
            let mut t = Totals::default();
            t.sonic(&v);
            t.parsed()
        } else {
            Parsed::Root(sonic_root(&v))
        })
    });
}

/// A C caller's result: `PARSE_ERROR` is a rejection, else a root summary or a walk
/// checksum with its number sum.
fn from_native(r: u64, walk: bool, number_sum: f64) -> Option<Parsed> {
    match (r, walk) {
        (PARSE_ERROR, _) => None,
        (checksum, true) => Some(Parsed::Walk {
            checksum,
            number_sum: black_box(number_sum),
        }),
        (summary, false) => Some(Parsed::Root(summary)),
    }
}

/// The dataset of the memory rows: the generated twitter-like document, generated with
/// and without a data directory so that the rows' ids (`json/memory/twitter-generated`)
/// are the same in both.
pub const MEMORY_DATASET: &str = "twitter-generated";

/// Heap bytes in use added by `parse`, with what it returns alive (`None`: a setup or
/// parse failure, or no heap counter).
fn held<T>(parse: impl FnOnce() -> Option<T>) -> Option<usize> {
    let before = heap_in_use()?;
    let kept = parse()?;
    let after = heap_in_use()?;
    drop(kept);
    Some(after.saturating_sub(before))
}

/// The `json/memory/twitter-generated` rows: heap bytes a parser and the document it
/// parsed hold, per input byte (see the module docs; measured after the timing runs).
pub fn memory_rows() -> Vec<MemoryRow> {
    let json = arsenal_conformance::data::gen_twitter_like().into_bytes();
    let padded = PaddedBytes::from_vec(json.clone());
    let values = match Reference::of(&json) {
        Ok(reference) => reference.root,
        Err(_) => PARSE_ERROR,
    };
    let mut measured: Vec<(String, Option<usize>)> = Vec::new();
    for backend in arsenal_json::Backend::available() {
        let bytes = (|| {
            let before = heap_in_use()?;
            let mut parser = backend.parser().ok()?;
            let doc = parser.parse(&json).ok()?;
            let after = heap_in_use()?;
            let root = doc.root();
            (root_summary(root.kind(), root.len().unwrap_or(0)) == values)
                .then(|| after.saturating_sub(before))
        })();
        measured.push((format!("arsenal:{backend}"), bytes));
    }
    measured.push((
        "raw:simdjson".to_owned(),
        held(|| {
            let parser = RawSimdjson::new()?;
            // SAFETY: `padded` is a PaddedBytes (64 zero bytes after its length), the
            // parser is live; the document stays in the parser until it is dropped.
            let root = unsafe {
                native::arsenal_bench_sj_parse(parser.ptr(), padded.as_ptr(), padded.len())
            };
            (root == values).then_some(parser)
        }),
    ));
    measured.push((
        "raw:yyjson".to_owned(),
        held(|| {
            /// A yyjson document, freed on drop.
            struct Doc(*mut arsenal_yyjson_sys::yyjson_doc);
            impl Drop for Doc {
                fn drop(&mut self) {
                    // SAFETY: read by yyjson_read_opts below, freed once.
                    unsafe { arsenal_yyjson_sys::arsenal_yyjson_doc_free(self.0) }
                }
            }
            // SAFETY: without YYJSON_READ_INSITU yyjson only reads the buffer (the
            // pointer is `*mut` for the in-situ mode); default allocator, no error report.
            let doc = unsafe {
                arsenal_yyjson_sys::yyjson_read_opts(
                    json.as_ptr().cast_mut().cast(),
                    json.len(),
                    0,
                    std::ptr::null(),
                    std::ptr::null_mut(),
                )
            };
            (!doc.is_null()).then_some(Doc(doc))
        }),
    ));
    measured.push((
        "peer:serde_json".to_owned(),
        held(|| serde_json::from_slice::<serde_json::Value>(&json).ok()),
    ));
    measured.push((
        "peer:simd-json".to_owned(),
        held(|| {
            let mut scratch = json.clone();
            let mut buffers = simd_json::Buffers::new(scratch.len());
            let mut tape = simd_json::Tape::null();
            simd_json::fill_tape(&mut scratch, &mut buffers, &mut tape).ok()?;
            let root = simd_json_root(tape.as_value());
            let tape = tape.reset();
            (root == values).then_some((scratch, buffers, tape))
        }),
    ));
    measured.push((
        "peer:sonic-rs".to_owned(),
        held(|| sonic_rs::from_slice::<sonic_rs::Value>(&json).ok()),
    ));
    let what = format!(
        "input byte of the generated twitter-like document ({} bytes): heap bytes in use \
         (glibc mallinfo2) while a parser and the document it parsed are alive, minus \
         before, / input bytes",
        json.len()
    );
    measured
        .into_iter()
        .map(|(imp, bytes)| MemoryRow {
            domain: NAME.to_owned(),
            dataset: MEMORY_DATASET.to_owned(),
            what: what.clone(),
            imp,
            items: json.len() as u64,
            bytes_per_item: bytes.map(|b| b as f64 / json.len() as f64),
        })
        .collect()
}

/// Which kernels the SIMD parsers had in the build that produced the results.
fn note(machine: &Machine) -> Option<String> {
    let has = |feature: &str| machine.target_features.iter().any(|f| f == feature);
    let sonic = if machine.arch != "x86_64" {
        "peer:sonic-rs chose its kernels at compile time for this target"
    } else if has("avx2") && has("pclmulqdq") {
        "peer:sonic-rs ran its AVX2 + PCLMULQDQ kernels (compiled in: target-cpu)"
    } else {
        "peer:sonic-rs ran its SSE2 fallback: it picks SIMD at compile time only, and this \
         build did not enable AVX2 + PCLMULQDQ (build with -C target-cpu=native, the native \
         profile, to compare it at its best)"
    };
    Some(format!(
        "{sonic}. simdjson and simd-json choose their SIMD kernels at run time; yyjson and \
         serde_json use none. peer:simd-json copies the input before each parse (it parses \
         in place; its authors' benchmark makes that copy outside the timing)."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::{verify_cases, Progress, Status};

    /// Small documents covering every kind, escapes, nesting and numbers of each type.
    const DOCS: [&[u8]; 4] = [
        br#"{"a": [1, -2, 3.5, 1e3, 18446744073709551615], "b\n\u00e9": {"c": null, "d": true}, "e": "x\"y"}"#,
        br#"[[], {}, [[["deep"]]], "", 0.1, -0.0]"#,
        br#""just a string""#,
        b"42",
    ];

    fn rows_for(bytes: &[u8]) -> Vec<crate::harness::BenchResult> {
        let reference = Reference::of(bytes).unwrap();
        let input = Rc::new(PaddedBytes::from_vec(bytes.to_vec()));
        let mut registry = Registry::new();
        for op in [Op::Parse, Op::ParseWalk] {
            register_op(&mut Cells {
                reg: &mut registry,
                op,
                dataset: "doc",
                input: &input,
                reference: Some(reference),
            });
        }
        assert_eq!(registry.len(), 2 * IMPLS.len());
        verify_cases(registry.into_cases(), &mut Progress::hidden())
    }

    #[test]
    fn every_implementation_agrees_with_the_reference() {
        for doc in DOCS {
            for row in rows_for(doc) {
                assert_eq!(
                    row.status,
                    Status::Verified,
                    "{} on {}: {:?}",
                    row.id,
                    String::from_utf8_lossy(doc),
                    row.error
                );
            }
        }
    }

    #[test]
    fn reference_reads_a_document() {
        let r = Reference::of(DOCS[0]).unwrap();
        assert_eq!(r.root, root_summary(Kind::Object, 3));
        // object, array + 5 numbers, object + null + bool, string = 11 values.
        assert_eq!(r.walk.values, 11);
        // keys a, "b\né" (4 bytes), c, d, e; string x"y (3 bytes).
        assert_eq!(r.walk.string_bytes, 1 + 4 + 1 + 1 + 1 + 3);
        assert!(Reference::of(b"[1,").is_err());
    }

    /// A cell whose parser rejects the input returns PARSE_ERROR and is FAILED; so is
    /// one whose walk misses a number.
    #[test]
    fn a_rejection_or_a_wrong_sum_fails() {
        // DOCS[1]'s numbers are small: a sum off by one is far outside the tolerance.
        let reference = Reference::of(DOCS[1]).unwrap();
        let input = Rc::new(PaddedBytes::from_vec(b"[1, 2".to_vec()));
        let mut registry = Registry::new();
        register_op(&mut Cells {
            reg: &mut registry,
            op: Op::Parse,
            dataset: "broken",
            input: &input,
            reference: Some(reference),
        });
        let mut cells = Cells {
            reg: &mut registry,
            op: Op::ParseWalk,
            dataset: "doc",
            input: &input,
            reference: Some(reference),
        };
        let mut short = reference.walk;
        short.number_sum -= 1.0;
        cells.add("peer:wrong-sum", move || Some(short.parsed()));
        let rows = verify_cases(registry.into_cases(), &mut Progress::hidden());
        assert_eq!(rows.len(), IMPLS.len() + 1);
        for row in &rows {
            assert_eq!(row.status, Status::Failed, "{}", row.id);
        }
        assert!(rows[IMPLS.len()]
            .error
            .as_deref()
            .unwrap()
            .contains("number sum"));
        let rejected = rows[0].error.as_deref().unwrap();
        assert!(rejected.contains(&PARSE_ERROR.to_string()), "{rejected}");
    }

    #[test]
    fn generated_datasets_verify() {
        let mut registry = Registry::new();
        (DOMAIN.register)(&mut registry, None);
        // The smallest generated dataset is enough to run every cell once.
        registry.retain_matching(&regex::Regex::new("/twitter-generated/").unwrap());
        assert_eq!(registry.len(), 2 * IMPLS.len());
        for row in verify_cases(registry.into_cases(), &mut Progress::hidden()) {
            assert_eq!(row.status, Status::Verified, "{}: {:?}", row.id, row.error);
        }
    }

    #[test]
    fn the_small_document_verifies_in_both_data_situations() {
        let dir = tempfile::tempdir().unwrap();
        let small = regex::Regex::new("/api-response/").unwrap();
        for data in [None, Some(dir.path())] {
            let mut registry = Registry::new();
            (DOMAIN.register)(&mut registry, data);
            registry.retain_matching(&small);
            assert_eq!(registry.len(), 2 * IMPLS.len());
            for row in verify_cases(registry.into_cases(), &mut Progress::hidden()) {
                assert_eq!(row.status, Status::Verified, "{}: {:?}", row.id, row.error);
            }
        }
        let doc = api_response();
        assert_eq!(
            Reference::of(doc.as_bytes()).unwrap().root,
            root_summary(Kind::Object, 6)
        );
    }

    #[test]
    fn memory_rows_cover_every_implementation() {
        let rows = memory_rows();
        let imps: Vec<&str> = rows.iter().map(|row| row.imp.as_str()).collect();
        assert_eq!(
            imps,
            [
                "arsenal:simdjson",
                "arsenal:yyjson",
                "raw:simdjson",
                "raw:yyjson",
                "peer:serde_json",
                "peer:simd-json",
                "peer:sonic-rs"
            ]
        );
        for row in &rows {
            assert!(
                row.bytes_per_item.is_some_and(f64::is_finite),
                "{}: {:?}",
                row.id(),
                row.bytes_per_item
            );
            assert!(row.id().starts_with("json/memory/twitter-generated/"));
        }
    }
}
