//! Finds http_parser 2.9.x through `arsenal-build` (Debian's `libhttp-parser-dev` ships no
//! pkg-config file, so it opts in to the system paths) and (feature `bindgen`) regenerates
//! the bindings into `OUT_DIR`. There is no shim: the API has no inline functions.
fn main() {
    let found = arsenal_build::Library::new("http_parser")
        .header("http_parser.h")
        .lib_names(&["http_parser"])
        .system_paths(true)
        .version_probe(
            "http_parser.h",
            &[
                "HTTP_PARSER_VERSION_MAJOR",
                "HTTP_PARSER_VERSION_MINOR",
                "HTTP_PARSER_VERSION_PATCH",
            ],
        )
        .debian_packages(&["libhttp-parser-dev"])
        .find();
    require_2_9(&found);
    found.link();
    found.emit_metadata();
    #[cfg(feature = "bindgen")]
    generate(&found);
}

/// The bindings describe the 2.9 `struct http_parser` (its first 32-bit bitfield word gained
/// `uses_transfer_encoding` and `allow_chunked_length` in 2.9.3/2.9.4) and the 2.9 API
/// (`http_parser_set_max_header_size`); 3.x does not exist. An unknown version (probe
/// failed) passes: the smoke test checks `http_parser_version()` at run time.
fn require_2_9(found: &arsenal_build::Found) {
    if let Some(version) = found.version.as_deref() {
        if !found.version_at_least(2, 9, 0) || found.version_at_least(3, 0, 0) {
            panic!(
                "\narsenal-http-parser-sys needs http_parser 2.9.x, but {}\n\
                 http_parser {version} is not supported. Install Debian's libhttp-parser-dev \
                 (2.9.4: `scripts/bootstrap` or `apt-get install libhttp-parser-dev`), or point \
                 HTTP_PARSER_DIR (or HTTP_PARSER_INCLUDE_DIR and HTTP_PARSER_LIB_DIR) at a 2.9 \
                 build.\n",
                found.summary()
            );
        }
    }
}

/// The crate's allowlists (the shared flags are pinned in `arsenal_build::Found::bindgen`);
/// `scripts/regen-bindings` copies the result to `src/bindings.rs`.
#[cfg(feature = "bindgen")]
fn generate(found: &arsenal_build::Found) {
    found.bindgen("http_parser.h", |builder| {
        builder
            .allowlist_function("http_.*")
            .allowlist_type("http_.*|flags")
            // Not HTTP_PARSER_STRICT: the header's default (1) says nothing about how the
            // library was compiled (Debian: 0), so exporting it would mislead.
            .allowlist_var("HTTP_PARSER_VERSION_.*|HTTP_MAX_HEADER_SIZE")
            // C enumerators keep their C names (`HPE_OK`, `HTTP_GET`, `F_CHUNKED`, ...).
            .prepend_enum_name(false)
            .derive_default(true)
    });
}
