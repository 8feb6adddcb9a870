//! Finds snappy 1.1.x through `arsenal-build` (Debian's `libsnappy-dev` ships a
//! pkg-config file; the system paths are a fallback). snappy is C++: `cpp(true)` makes
//! the link line add the C++ standard library, which a static `libsnappy.a` needs.
fn main() {
    let found = arsenal_build::Library::new("snappy")
        .header("snappy-c.h")
        .lib_names(&["snappy"])
        .pkg_config("snappy", "1.1", "1.3")
        .system_paths(true)
        .cpp(true)
        .version_probe(
            "snappy-stubs-public.h",
            &["SNAPPY_MAJOR", "SNAPPY_MINOR", "SNAPPY_PATCHLEVEL"],
        )
        .debian_packages(&["libsnappy-dev"])
        .find();
    found.link();
    found.emit_metadata();
}
