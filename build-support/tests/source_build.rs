//! End to end through the real C/C++ compiler: the version probe (`cc::Build::try_expand`)
//! and the source build in `Found::link`.
//!
//! `cc` reads `TARGET`, `HOST` and `OPT_LEVEL` from the process environment, so this file
//! holds exactly one test: setting process variables is only safe with no other test
//! threads running.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use arsenal_build::{Context, Library, LinkKind, Route};

fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("run rustc -vV");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV prints the host")
        .trim()
        .to_string()
}

/// The archive exists and names `symbol` (in its symbol table or an object's strings).
fn archive_mentions(path: &Path, symbol: &str) -> bool {
    let bytes = fs::read(path).unwrap_or_default();
    bytes.windows(symbol.len()).any(|w| w == symbol.as_bytes())
}

fn write(path: &Path, contents: &str) {
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, contents).expect("write");
}

#[test]
fn probe_version_and_compile_c_and_cpp_sources() {
    let host = host_triple();
    for (key, value) in [
        ("TARGET", host.as_str()),
        ("HOST", host.as_str()),
        ("OPT_LEVEL", "0"),
        ("DEBUG", "false"),
    ] {
        std::env::set_var(key, value);
    }

    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("ws");
    let out = tmp.path().join("out");
    fs::create_dir_all(&out).expect("mkdir out");
    write(&root.join("Cargo.toml"), "[workspace]\n");

    // A C library with numeric version macros and a config header.
    write(
        &root.join("vendor/fakec/include/fakec.h"),
        "#include \"fakec_config.h\"\n#define FAKEC_VERSION_MAJOR 1\n#define FAKEC_VERSION_MINOR (2)\n#define FAKEC_VERSION_PATCH 3u\nint fakec_answer(void);\n",
    );
    write(
        &root.join("vendor/fakec/src/fakec.c"),
        "#include \"fakec.h\"\nint fakec_answer(void) { return FAKEC_ANSWER + FAKEC_EXTRA; }\n",
    );
    // A C++ library with a string version.
    write(
        &root.join("vendor/fakecpp/single/fakecpp.h"),
        "#include <string>\n#define FAKECPP_VERSION \"3.4.5\"\nstd::string fakecpp_name();\n",
    );
    write(
        &root.join("vendor/fakecpp/single/fakecpp.cpp"),
        "#include \"fakecpp.h\"\n#include <optional>\nstd::string fakecpp_name() { std::optional<std::string> s{\"x\"}; return *s; }\n",
    );

    let mut env = BTreeMap::new();
    env.insert("TARGET".to_string(), host.clone());
    let ctx = Context {
        root: Some(root.clone()),
        deps_dir: None,
        out_dir: out.clone(),
        probe_version: true,
        system_prefixes: Vec::new(),
    };

    let c_lib = Library::new("fakec")
        .header("fakec.h")
        .source("src/fakec.c", &["src/fakec.c"], &["include"])
        .define("FAKEC_ANSWER", Some("41"))
        .config_header("fakec_config.h", "#define FAKEC_EXTRA 1\n")
        .version_probe(
            "fakec.h",
            &[
                "FAKEC_VERSION_MAJOR",
                "FAKEC_VERSION_MINOR",
                "FAKEC_VERSION_PATCH",
            ],
        );
    let found = c_lib.find_with(&env, &ctx).expect("found fakec");
    assert_eq!(found.route, Route::Vendored);
    assert_eq!(
        found.version.as_deref(),
        Some("1.2.3"),
        "{:?}",
        found.warnings()
    );
    assert!(found.version_at_least(1, 2, 3));
    found.link();
    assert!(archive_mentions(
        &out.join("libfakec_arsenal.a"),
        "fakec_answer"
    ));
    // The shim sees the same include path and defines.
    let shim = tmp.path().join("shim.c");
    write(
        &shim,
        "#include <fakec.h>\nint shim_answer(void) { return fakec_answer() + FAKEC_ANSWER - FAKEC_EXTRA; }\n",
    );
    found
        .shim_build()
        .file(&shim)
        .out_dir(&out)
        .cargo_metadata(false)
        .try_compile("fakec_shim")
        .expect("shim compiles");

    let cpp_lib = Library::new("fakecpp")
        .cpp(true)
        .header("fakecpp.h")
        .source("single/fakecpp.cpp", &["single/fakecpp.cpp"], &["single"])
        .version_probe("fakecpp.h", &["FAKECPP_VERSION"]);
    let found = cpp_lib.find_with(&env, &ctx).expect("found fakecpp");
    assert_eq!(
        found.version.as_deref(),
        Some("3.4.5"),
        "{:?}",
        found.warnings()
    );
    assert_eq!(
        found.link_libs(),
        &[(LinkKind::Static, "fakecpp_arsenal".to_string())]
    );
    found.link(); // C++17 (std::optional) must compile
    assert!(archive_mentions(
        &out.join("libfakecpp_arsenal.a"),
        "fakecpp_name"
    ));

    // A probe for macros the header lacks leaves the version unknown, with a warning.
    let found = Library::new("fakec")
        .header("fakec.h")
        .source("src/fakec.c", &["src/fakec.c"], &["include"])
        .config_header("fakec_config.h", "#define FAKEC_EXTRA 1\n")
        .version_probe("fakec.h", &["FAKEC_NO_SUCH_MACRO"])
        .pkg_config("fakec", "1.0.0", "2.0.0")
        .find_with(&env, &ctx)
        .expect("found fakec");
    assert_eq!(found.version, None);
    assert!(
        found
            .warnings()
            .iter()
            .any(|w| w.contains("version probe failed")),
        "{:?}",
        found.warnings()
    );
}
