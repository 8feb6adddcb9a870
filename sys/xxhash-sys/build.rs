//! Finds xxHash 0.8.x through `arsenal-build` (Debian's `libxxhash-dev` ships a pkg-config
//! file and a static archive that exports the XXH32/XXH64/XXH3 functions; the system paths
//! are a fallback). No shim: every function the bindings declare is a real export.
fn main() {
    let found = arsenal_build::Library::new("xxhash")
        .header("xxhash.h")
        .lib_names(&["xxhash"])
        .pkg_config("libxxhash", "0.8", "0.9")
        .system_paths(true)
        .version_probe(
            "xxhash.h",
            &[
                "XXH_VERSION_MAJOR",
                "XXH_VERSION_MINOR",
                "XXH_VERSION_RELEASE",
            ],
        )
        .debian_packages(&["libxxhash-dev"])
        .find();
    found.link();
    found.emit_metadata();
}
