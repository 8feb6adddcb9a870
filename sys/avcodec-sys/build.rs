//! Finds libavcodec 59.x and libavutil 57.x (FFmpeg 5.1) through `arsenal-build`
//! (Debian's `libavcodec-dev` and `libavutil-dev` ship `libavcodec.pc` / `libavutil.pc`;
//! the system paths are a fallback), compiles our shim `shim/arsenal_avcodec.c` (the
//! send/receive loop, `AVFrame` flattened into a struct of ours, and an H.264 encoder
//! through libx264) and links both dynamically.
fn main() {
    let avcodec = arsenal_build::Library::new("avcodec")
        .header("libavcodec/avcodec.h")
        .lib_names(&["avcodec"])
        .pkg_config("libavcodec", "59", "60")
        .system_paths(true)
        .debian_packages(&["libavcodec-dev"])
        .find();
    let avutil = arsenal_build::Library::new("avutil")
        .header("libavutil/frame.h")
        .lib_names(&["avutil"])
        .pkg_config("libavutil", "57", "58")
        .system_paths(true)
        .debian_packages(&["libavutil-dev"])
        .find();
    println!("cargo:rerun-if-changed=shim/arsenal_avcodec.c");
    avcodec
        .shim_build()
        .file("shim/arsenal_avcodec.c")
        .compile("arsenal_avcodec_shim");
    avcodec.link();
    avutil.link();
    avcodec.emit_metadata();
}
