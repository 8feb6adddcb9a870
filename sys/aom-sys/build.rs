//! Finds libaom 3.x through `arsenal-build` (Debian's `libaom-dev` ships `aom.pc`; the
//! system paths are a fallback), compiles our shim `shim/arsenal_aom.c` (the decoder
//! calls behind libaom's ABI-versioned macros, and `aom_image_t` copied into a flat
//! struct of ours, so Rust never mirrors libaom's struct layouts) and links libaom
//! dynamically.
fn main() {
    let found = arsenal_build::Library::new("aom")
        .header("aom/aom_decoder.h")
        .lib_names(&["aom"])
        .pkg_config("aom", "3", "4")
        .system_paths(true)
        .debian_packages(&["libaom-dev"])
        .find();
    println!("cargo:rerun-if-changed=shim/arsenal_aom.c");
    found
        .shim_build()
        .file("shim/arsenal_aom.c")
        .compile("arsenal_aom_shim");
    found.link();
    found.emit_metadata();
}
