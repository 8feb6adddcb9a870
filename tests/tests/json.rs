//! The JSON conformance suite, once per enabled backend.

#[cfg(feature = "simdjson")]
arsenal_conformance::json_conformance!(simdjson, arsenal_json::Simdjson);
#[cfg(feature = "yyjson")]
arsenal_conformance::json_conformance!(yyjson, arsenal_json::Yyjson);

/// Both backends agree with each other on every standard document.
#[cfg(all(feature = "simdjson", feature = "yyjson"))]
#[test]
fn backends_agree_on_datasets() {
    use arsenal_conformance::json::{parse_to_serde, parse_to_string};
    let dir = arsenal_conformance::data::data_dir();
    for ds in arsenal_conformance::data::json_datasets(dir.as_deref()) {
        let a = parse_to_serde::<arsenal_json::Simdjson>(&ds.bytes).expect("simdjson");
        let b = parse_to_serde::<arsenal_json::Yyjson>(&ds.bytes).expect("yyjson");
        assert!(a == b, "{}: backends disagree", ds.name);
        let sa = parse_to_string::<arsenal_json::Simdjson>(&ds.bytes).expect("simdjson");
        let sb = parse_to_string::<arsenal_json::Yyjson>(&ds.bytes).expect("yyjson");
        assert!(sa == sb, "{}: serializations differ", ds.name);
    }
}

/// An owned document can be shared across threads (`Send + Sync`) and read in parallel.
#[cfg(any(feature = "simdjson", feature = "yyjson"))]
#[test]
fn owned_documents_are_shared_across_threads() {
    use arsenal_json::JsonValue;
    for backend in arsenal_json::Backend::available() {
        let doc = std::sync::Arc::new(
            arsenal_json::parse_with_options(
                backend,
                br#"{"xs": [1, 2, 3], "s": "shared"}"#,
                &arsenal_json::ParseOptions::default(),
            )
            .expect("parse"),
        );
        let sums: Vec<i64> = (0..4)
            .map(|_| {
                let doc = std::sync::Arc::clone(&doc);
                std::thread::spawn(move || {
                    let xs = doc.root().get("xs").expect("xs");
                    xs.array_iter()
                        .expect("array")
                        .filter_map(|v| v.as_i64())
                        .sum()
                })
            })
            .map(|t| t.join().expect("thread"))
            .collect();
        assert_eq!(sums, [6, 6, 6, 6], "{backend}");
    }
}
