//! Finds Abseil through `arsenal-build` (pkg-config `absl_flat_hash_map`, which lists
//! every Abseil library the Swiss table needs: Debian's `libabsl-dev` ships them as shared
//! libraries; `btree_map` is header-only) and compiles our C++ shims `shim/arsenal_absl.cc`
//! (flat_hash_map) and `shim/arsenal_absl_btree.cc` (btree_map) against its headers.
//! Abseil has no single-file source build, so there is no vendored route: Debian's package
//! (bookworm 20220623, trixie 20240722) or another install found through
//! `PKG_CONFIG_PATH`.
fn main() {
    let found = arsenal_build::Library::new("absl_flat_hash_map")
        .cpp(true)
        .header("absl/container/flat_hash_map.h")
        .pkg_config("absl_flat_hash_map", "20220623", "20300000")
        .debian_packages(&["libabsl-dev"])
        .find();
    println!("cargo:rerun-if-changed=shim/arsenal_absl.cc");
    println!("cargo:rerun-if-changed=shim/arsenal_absl_btree.cc");
    found
        .shim_build()
        .file("shim/arsenal_absl.cc")
        .file("shim/arsenal_absl_btree.cc")
        .compile("arsenal_absl_shim");
    found.link();
    found.emit_metadata();
}
