//! Finds OpenBLAS 0.3.x through `arsenal-build` (Debian's `libopenblas-dev` ships
//! `openblas.pc`; the system paths are a fallback) and links it dynamically.
//!
//! Not `openblas-src`: its `system` route still build-depends on `openblas-build`, which
//! refuses to compile without a TLS stack for downloading (`rustls` or `native-tls`), a
//! network client in an offline build.
fn main() {
    let found = arsenal_build::Library::new("openblas")
        .header("cblas.h")
        .lib_names(&["openblas"])
        .pkg_config("openblas", "0.3", "0.4")
        .system_paths(true)
        .debian_packages(&["libopenblas-dev"])
        .find();
    found.link();
    found.emit_metadata();
}
