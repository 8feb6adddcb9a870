//! JSON rows of the matrix: `json/{parse,parse_walk}/{twitter,citm_catalog,canada}/<impl>`.
//!
//! | impl | what one iteration does |
//! |---|---|
//! | `arsenal:simdjson` | [`arsenal_json::Simdjson`] parser reused, `parse_padded` (no input copy) |
//! | `raw:simdjson` | simdjson's C++ `dom::parser` on the same padded buffer (benches/native) |
//! | `arsenal:yyjson` | [`arsenal_json::Yyjson`] `parse` |
//! | `raw:yyjson` | `yyjson_read_opts` + `yyjson_doc_free` through arsenal-yyjson-sys; the walk in C |
//! | `peer:serde_json` | `serde_json::from_slice::<Value>` |
//! | `peer:simd-json` | `simd_json::to_borrowed_value` on a fresh copy (it parses in place) |
//! | `peer:sonic-rs` | `sonic_rs::from_slice::<Value>` |
//!
//! `parse` builds the document and drops it; `parse_walk` also visits every value,
//! counting values and string bytes (keys included) and summing numbers, so nothing
//! can be skipped. The checksum of `parse_walk` (values + string bytes) is the same for
//! every implementation on the same dataset.

use crate::harness::{Case, Registry};
use arsenal_json::{Document, JsonValue, PaddedBytes, Parser};
use std::hint::black_box;
use std::path::Path;
use std::rc::Rc;

const DOMAIN: &str = "json";

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

/// Registers every JSON cell on the standard datasets (from `data` or generated).
pub fn register(reg: &mut Registry, data: Option<&Path>) {
    for ds in arsenal_conformance::data::json_datasets(data) {
        let name = if ds.generated {
            format!("{}-generated", ds.name)
        } else {
            ds.name.to_owned()
        };
        let input = Rc::new(PaddedBytes::from_vec(ds.bytes));
        for op in ["parse", "parse_walk"] {
            register_cell(reg, op, &name, &input);
        }
    }
}

fn register_cell(reg: &mut Registry, op: &'static str, dataset: &str, input: &Rc<PaddedBytes>) {
    let walk = op == "parse_walk";
    let bytes = input.len() as u64;
    let case = |imp: &str, run: Box<dyn FnMut() -> u64>| {
        Case::new(DOMAIN, op, dataset, imp, bytes, 1, run)
    };
    let fail = |imp: &str, why: String| Case::failed(DOMAIN, op, dataset, imp, why);

    // arsenal:simdjson
    match arsenal_json::Simdjson::new() {
        Ok(mut parser) => {
            let input = Rc::clone(input);
            reg.add(case(
                "arsenal:simdjson",
                Box::new(move || match parser.parse_padded(&input) {
                    Ok(doc) if walk => walk_checksum(arsenal_json::walk(doc.root())),
                    Ok(doc) => doc.root().kind() as u64 + 1,
                    Err(_) => 0,
                }),
            ));
        }
        Err(e) => reg.add(fail("arsenal:simdjson", e.to_string())),
    }

    // raw:simdjson
    match RawSimdjson::new() {
        Some(parser) => {
            let input = Rc::clone(input);
            reg.add(case(
                "raw:simdjson",
                Box::new(move || {
                    let mut sum = 0.0;
                    // SAFETY: `input` is a PaddedBytes (64 zero bytes after len, >=
                    // SIMDJSON_PADDING), the parser is live and used by this closure only.
                    let r = unsafe {
                        if walk {
                            native::arsenal_bench_sj_parse_walk(
                                parser.ptr(),
                                input.as_ptr(),
                                input.len(),
                                &mut sum,
                            )
                        } else {
                            native::arsenal_bench_sj_parse(
                                parser.ptr(),
                                input.as_ptr(),
                                input.len(),
                            )
                        }
                    };
                    black_box(sum);
                    r
                }),
            ));
        }
        None => reg.add(fail(
            "raw:simdjson",
            "could not allocate a dom::parser".into(),
        )),
    }

    // arsenal:yyjson
    match arsenal_json::Yyjson::new() {
        Ok(mut parser) => {
            let input = Rc::clone(input);
            reg.add(case(
                "arsenal:yyjson",
                Box::new(move || match parser.parse(&input) {
                    Ok(doc) if walk => walk_checksum(arsenal_json::walk(doc.root())),
                    Ok(doc) => doc.root().kind() as u64 + 1,
                    Err(_) => 0,
                }),
            ));
        }
        Err(e) => reg.add(fail("arsenal:yyjson", e.to_string())),
    }

    // raw:yyjson
    {
        let input = Rc::clone(input);
        reg.add(case(
            "raw:yyjson",
            Box::new(move || {
                if walk {
                    let mut sum = 0.0;
                    // SAFETY: input is valid for len bytes; the C walker only reads it.
                    let r = unsafe {
                        native::arsenal_bench_yy_parse_walk(
                            input.as_ptr().cast(),
                            input.len(),
                            &mut sum,
                        )
                    };
                    black_box(sum);
                    return r;
                }
                use arsenal_yyjson_sys as yy;
                // SAFETY: without INSITU yyjson only reads the input; null allocator and
                // null error pointer are allowed; the document is freed right away.
                unsafe {
                    let doc = yy::yyjson_read_opts(
                        input.as_ptr().cast_mut().cast(),
                        input.len(),
                        yy::YYJSON_READ_NOFLAG,
                        std::ptr::null(),
                        std::ptr::null_mut(),
                    );
                    if doc.is_null() {
                        return 0;
                    }
                    let tag = (*(*doc).root).tag & 7;
                    yy::arsenal_yyjson_doc_free(doc);
                    tag
                }
            }),
        ));
    }

    // peer:serde_json
    {
        let input = Rc::clone(input);
        reg.add(case(
            "peer:serde_json",
            Box::new(
                move || match serde_json::from_slice::<serde_json::Value>(&input) {
                    Ok(v) if walk => {
                        let mut t = Totals::default();
                        t.serde_json(&v);
                        t.checksum()
                    }
                    Ok(v) => v.is_object() as u64 + 1,
                    Err(_) => 0,
                },
            ),
        ));
    }

    // peer:simd-json (parses in place: each iteration copies the input first, which is
    // how it must be used when the caller keeps the original)
    {
        let input = Rc::clone(input);
        let mut scratch = Vec::with_capacity(input.len());
        reg.add(case(
            "peer:simd-json",
            Box::new(move || {
                scratch.clear();
                scratch.extend_from_slice(&input);
                match simd_json::to_borrowed_value(&mut scratch) {
                    Ok(v) if walk => {
                        let mut t = Totals::default();
                        t.simd_json(&v);
                        t.checksum()
                    }
                    Ok(v) => matches!(v, simd_json::BorrowedValue::Object(_)) as u64 + 1,
                    Err(_) => 0,
                }
            }),
        ));
    }

    // peer:sonic-rs
    {
        let input = Rc::clone(input);
        reg.add(case(
            "peer:sonic-rs",
            Box::new(
                move || match sonic_rs::from_slice::<sonic_rs::Value>(&input) {
                    Ok(v) if walk => {
                        let mut t = Totals::default();
                        t.sonic(&v);
                        t.checksum()
                    }
                    Ok(v) => sonic_rs::JsonValueTrait::is_object(&v) as u64 + 1,
                    Err(_) => 0,
                },
            ),
        ));
    }
}

fn walk_checksum(s: arsenal_json::WalkStats) -> u64 {
    black_box(s.number_sum);
    s.values + s.string_bytes
}

/// The same totals as [`arsenal_json::walk`], for the peers' value types.
#[derive(Default)]
struct Totals {
    values: u64,
    string_bytes: u64,
    number_sum: f64,
}

impl Totals {
    fn checksum(&self) -> u64 {
        black_box(self.number_sum);
        self.values + self.string_bytes
    }

    fn serde_json(&mut self, v: &serde_json::Value) {
        use serde_json::Value;
        self.values += 1;
        match v {
            Value::Number(n) => self.number_sum += n.as_f64().unwrap_or(0.0),
            Value::String(s) => self.string_bytes += s.len() as u64,
            Value::Array(a) => a.iter().for_each(|c| self.serde_json(c)),
            Value::Object(o) => o.iter().for_each(|(k, c)| {
                self.string_bytes += k.len() as u64;
                self.serde_json(c)
            }),
            Value::Null | Value::Bool(_) => {}
        }
    }

    fn simd_json(&mut self, v: &simd_json::BorrowedValue<'_>) {
        use simd_json::{BorrowedValue as V, StaticNode as S};
        self.values += 1;
        match v {
            V::Static(S::I64(n)) => self.number_sum += *n as f64,
            V::Static(S::U64(n)) => self.number_sum += *n as f64,
            V::Static(S::F64(n)) => self.number_sum += *n,
            V::Static(_) => {}
            V::String(s) => self.string_bytes += s.len() as u64,
            V::Array(a) => a.iter().for_each(|c| self.simd_json(c)),
            V::Object(o) => o.iter().for_each(|(k, c)| {
                self.string_bytes += k.len() as u64;
                self.simd_json(c)
            }),
        }
    }

    fn sonic(&mut self, v: &sonic_rs::Value) {
        use sonic_rs::{JsonContainerTrait, JsonType, JsonValueTrait};
        self.values += 1;
        match v.get_type() {
            JsonType::Number => self.number_sum += v.as_f64().unwrap_or(0.0),
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
