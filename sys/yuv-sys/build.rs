//! Finds libyuv through `arsenal-build`. Debian's `libyuv-dev` ships no pkg-config file,
//! so the system paths are the route (`libyuv.h` + `libyuv.so`); libyuv is C++ with an
//! `extern "C"` API, so the C++ runtime is linked too (`libyuv.so` also needs it).
fn main() {
    let found = arsenal_build::Library::new("yuv")
        .cpp(true)
        .header("libyuv.h")
        .lib_names(&["yuv"])
        .system_paths(true)
        .version_probe("libyuv/version.h", &["LIBYUV_VERSION"])
        .debian_packages(&["libyuv-dev"])
        .find();
    found.link();
    found.emit_metadata();
}
