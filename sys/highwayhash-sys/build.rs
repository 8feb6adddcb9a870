//! Finds HighwayHash through `arsenal-build` (Debian's `libhighwayhash-dev` ships no
//! pkg-config file: the system paths are searched) and compiles our C++ shim twice: the
//! portable translation unit (one-shot dispatch and the portable streaming state) and the
//! AVX2 one (the AVX2 streaming state), chosen between at run time.
fn main() {
    let found = arsenal_build::Library::new("highwayhash")
        .cpp(true)
        .header("highwayhash/highwayhash.h")
        .lib_names(&["highwayhash"])
        .system_paths(true)
        .debian_packages(&["libhighwayhash-dev"])
        .find();
    for file in ["shim/hh_shim.cc", "shim/hh_shim_avx2.cc", "shim/hh_cat.h"] {
        println!("cargo:rerun-if-changed={file}");
    }
    found
        .shim_build()
        .file("shim/hh_shim.cc")
        .compile("arsenal_highwayhash_shim");
    let target_arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if target_arch == "x86_64" {
        // The flags highwayhash's own AVX2 target is built with.
        found
            .shim_build()
            .flag("-mavx2")
            .flag("-mfma")
            .flag("-mbmi")
            .flag("-mbmi2")
            .file("shim/hh_shim_avx2.cc")
            .compile("arsenal_highwayhash_shim_avx2");
    }
    found.link();
    found.emit_metadata();
}
