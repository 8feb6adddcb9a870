//! Finds libvpx 1.x through `arsenal-build` (Debian's `libvpx-dev` ships `vpx.pc`; the
//! system paths are a fallback), compiles our shim `shim/arsenal_vpx.c` (the VP9 decoder
//! calls behind libvpx's ABI-versioned macros, and `vpx_image_t` copied into a flat
//! struct of ours) and links libvpx dynamically.
fn main() {
    let found = arsenal_build::Library::new("vpx")
        .header("vpx/vpx_decoder.h")
        .lib_names(&["vpx"])
        .pkg_config("vpx", "1.8", "2")
        .system_paths(true)
        .debian_packages(&["libvpx-dev"])
        .find();
    println!("cargo:rerun-if-changed=shim/arsenal_vpx.c");
    found
        .shim_build()
        .file("shim/arsenal_vpx.c")
        .compile("arsenal_vpx_shim");
    found.link();
    found.emit_metadata();
}
