//! Finds Highway's contrib library (vqsort) through `arsenal-build` (pkg-config
//! `libhwy-contrib`; Debian bookworm's `libhwy-dev` 1.0.3 ships it as a shared library
//! with run-time dispatch over SSE4/AVX2/AVX-512) and compiles our C++ shim
//! `shim/arsenal_vqsort.cc` against its headers. vqsort is a multi-file C++ build with
//! per-target compilation units, so there is no vendored route: Debian's package (or
//! another install found through `PKG_CONFIG_PATH`).
fn main() {
    let found = arsenal_build::Library::new("hwy_contrib")
        .cpp(true)
        .header("hwy/contrib/sort/vqsort.h")
        .lib_names(&["hwy_contrib", "hwy"])
        .pkg_config("libhwy-contrib", "1.0.3", "2")
        .debian_packages(&["libhwy-dev"])
        .find();
    println!("cargo:rerun-if-changed=shim/arsenal_vqsort.cc");
    found
        .shim_build()
        .file("shim/arsenal_vqsort.cc")
        .compile("arsenal_vqsort_shim");
    found.link();
    // The shim also calls libhwy itself (hwy::SupportedTargets); libhwy-contrib.pc lists
    // only -lhwy_contrib.
    println!("cargo:rustc-link-lib=hwy");
    found.emit_metadata();
}
