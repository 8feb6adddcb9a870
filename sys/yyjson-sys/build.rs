//! Finds yyjson through `arsenal-build`, compiles our shim for its `static inline`
//! functions, and (feature `bindgen`) regenerates the bindings into `OUT_DIR`.
fn main() {
    let found = arsenal_build::Library::new("yyjson")
        .header("yyjson.h")
        .lib_names(&["yyjson"])
        .pkg_config("yyjson", "0.8.0", "0.11.0")
        .source("src/yyjson.c", &["src/yyjson.c"], &["src"])
        .version_probe(
            "yyjson.h",
            &[
                "YYJSON_VERSION_MAJOR",
                "YYJSON_VERSION_MINOR",
                "YYJSON_VERSION_PATCH",
            ],
        )
        .debian_packages(&["libyyjson-dev"])
        .find();
    println!("cargo:rerun-if-changed=shim/arsenal_yyjson.c");
    found
        .shim_build()
        .file("shim/arsenal_yyjson.c")
        .compile("arsenal_yyjson_shim");
    found.link();
    found.emit_metadata();
    #[cfg(feature = "bindgen")]
    generate(&found);
}

/// The crate's allowlists (the shared flags are pinned in `arsenal_build::Found::bindgen`);
/// `scripts/regen-bindings` copies the result to `src/bindings.rs`.
#[cfg(feature = "bindgen")]
fn generate(found: &arsenal_build::Found) {
    found.bindgen("yyjson.h", |builder| {
        builder
            .allowlist_function("yyjson_(read_opts|version|doc_get_read_size|locate_pos)")
            .allowlist_type("yyjson_(doc|val|val_uni|read_err|read_flag|read_code|alc)")
            .allowlist_var("YYJSON_(READ_.*|TYPE_.*|SUBTYPE_.*|TAG_BIT|VERSION_.*)")
    });
}
