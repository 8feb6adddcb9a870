//! Finds llhttp 9.x through `arsenal-build` (8.x is refused: see `reject_8x`), compiles
//! our shim, and (feature `bindgen`) regenerates the bindings into `OUT_DIR`.
fn main() {
    let found = arsenal_build::Library::new("llhttp")
        .header("llhttp.h")
        .lib_names(&["llhttp"])
        .pkg_config("libllhttp", "9.0.0", "10.0.0")
        .source(
            "src/llhttp.c",
            &["src/api.c", "src/http.c", "src/llhttp.c"],
            &["include"],
        )
        .version_probe(
            "llhttp.h",
            &[
                "LLHTTP_VERSION_MAJOR",
                "LLHTTP_VERSION_MINOR",
                "LLHTTP_VERSION_PATCH",
            ],
        )
        .debian_packages(&["libllhttp-dev"])
        .find();
    reject_8x(&found);
    println!("cargo:rerun-if-changed=shim/arsenal_llhttp.c");
    found
        .shim_build()
        .file("shim/arsenal_llhttp.c")
        .compile("arsenal_llhttp_shim");
    found.link();
    found.emit_metadata();
    #[cfg(feature = "bindgen")]
    generate(&found);
}

/// llhttp 8.x (e.g. Debian bookworm's `node-llhttp` 8.1.0 sources) has a different
/// `llhttp_t` layout, so the 9.x bindings would read the wrong fields. (pkg-config's range
/// already skips it; the other routes only know the version from the header probe.)
fn reject_8x(found: &arsenal_build::Found) {
    if let Some(version) = found.version.as_deref() {
        if !found.version_at_least(9, 0, 0) {
            panic!(
                "\narsenal-llhttp-sys needs llhttp 9.x but found llhttp {version} \
                 (route={}, {}).\n\
                 llhttp before 9.0 is not supported: 8.x's llhttp_t stores lenient_flags as \
                 uint8_t (9.x: uint16_t), which moves upgrade/finish/flags/status_code, and it \
                 lacks the 9.x llhttp_set_lenient_* functions (version, data_after_close, \
                 optional_lf_after_cr, optional_cr_before_lf, optional_crlf_after_chunk, \
                 spaces_after_chunk_size).\n\
                 Use llhttp 9.x instead: `git submodule update --init vendor/llhttp` \
                 (release/v9.2.1), or `scripts/bootstrap` (Debian trixie libllhttp-dev 9.2.1 \
                 into .deps/), or point LLHTTP_SRC_DIR (a tree with src/llhttp.c and \
                 include/llhttp.h) or LLHTTP_DIR at a 9.x release.\n",
                found.route,
                found.root.display()
            );
        }
    }
}

/// The crate's allowlists (the shared flags are pinned in `arsenal_build::Found::bindgen`);
/// `scripts/regen-bindings` copies the result to `src/bindings.rs`.
#[cfg(feature = "bindgen")]
fn generate(found: &arsenal_build::Found) {
    found.bindgen("llhttp.h", |builder| {
        builder
            // `llhttp_[a-z]` leaves out the internal `llhttp__internal_init/execute`.
            .allowlist_function("llhttp_[a-z].*")
            .allowlist_type("llhttp_[a-z].*")
            .allowlist_var("LLHTTP_VERSION_.*")
            // C enumerators keep their C names (`HPE_OK`, `HTTP_GET`, `F_CHUNKED`, ...).
            .prepend_enum_name(false)
            .derive_default(true)
    });
}
