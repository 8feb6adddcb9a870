//! Finds Concurrency Kit 0.7.x through `arsenal-build` (Debian's `libck-dev` ships a
//! pkg-config file; the system paths are a fallback) and compiles our shim, which exports
//! the header-only (`static inline`) functions the bindings declare.
fn main() {
    let found = arsenal_build::Library::new("ck")
        .header("ck_ring.h")
        .lib_names(&["ck"])
        .pkg_config("ck", "0.7", "0.8")
        .system_paths(true)
        .version_probe("ck_md.h", &["CK_VERSION"])
        .debian_packages(&["libck-dev"])
        .find();
    println!("cargo:rerun-if-changed=shim/ck_shim.c");
    found
        .shim_build()
        .file("shim/ck_shim.c")
        .compile("arsenal_ck_shim");
    found.link();
    found.emit_metadata();
}
