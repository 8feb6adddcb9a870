//! Finds simdjson (vendored submodule, env, system, or the bootstrap prefix)
//! through `arsenal-build`, then compiles our C++ shim against it.
fn main() {
    let found = arsenal_build::Library::new("simdjson")
        .cpp(true)
        .header("simdjson.h")
        .lib_names(&["simdjson_static", "simdjson"])
        .pkg_config("simdjson", "3.0.0", "4.0.0")
        .source(
            "singleheader/simdjson.cpp",
            &["singleheader/simdjson.cpp"],
            &["singleheader"],
        )
        .version_probe("simdjson.h", &["SIMDJSON_VERSION"])
        .define("SIMDJSON_THREADS_ENABLED", Some("1"))
        .debian_packages(&["libsimdjson-dev"])
        .find();
    println!("cargo:rerun-if-changed=shim/arsenal_simdjson.cpp");
    // The prebuilt Debian archive is compiled with threads enabled, which changes
    // dom::parser's layout: the shim must agree (source builds get the same define).
    found
        .shim_build()
        .define("SIMDJSON_THREADS_ENABLED", "1")
        .file("shim/arsenal_simdjson.cpp")
        .compile("arsenal_simdjson_shim");
    found.link();
    found.emit_metadata();
    // API differences by version, as cfgs (see the crate docs).
    found.emit_version_cfgs(&[("simdjson_bigint_error", (3, 8, 0))]);
}
