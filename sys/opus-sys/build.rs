//! Finds libopus 1.x through `arsenal-build` (Debian's `libopus-dev` ships `opus.pc`; the
//! system paths are a fallback) and links it dynamically.
//!
//! Not `audiopus_sys`/`opus`: our own declarations (a dozen functions) keep the build on
//! the system library with no bundled copy and no cmake.
fn main() {
    let found = arsenal_build::Library::new("opus")
        .header("opus/opus.h")
        .lib_names(&["opus"])
        .pkg_config("opus", "1.1", "2")
        .system_paths(true)
        .debian_packages(&["libopus-dev"])
        .find();
    found.link();
    found.emit_metadata();
}
