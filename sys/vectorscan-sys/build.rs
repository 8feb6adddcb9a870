//! Finds Vectorscan 5.4.x through `arsenal-build` (Debian's `libvectorscan-dev` ships
//! the pkg-config file `libhs`; the system paths are a fallback). Vectorscan is C++:
//! `cpp(true)` makes the link line add the C++ standard library, which a static
//! `libhs.a` needs.
fn main() {
    let found = arsenal_build::Library::new("hs")
        .header("hs/hs.h")
        .lib_names(&["hs"])
        .pkg_config("libhs", "5.4", "5.5")
        .system_paths(true)
        .cpp(true)
        .version_probe("hs/hs.h", &["HS_MAJOR", "HS_MINOR", "HS_PATCH"])
        .debian_packages(&["libvectorscan-dev"])
        .find();
    found.link();
    found.emit_metadata();
}
