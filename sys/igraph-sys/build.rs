//! Finds igraph 0.10.x through `arsenal-build` (Debian's `libigraph-dev` 0.10.2 ships
//! `igraph.pc`, whose include directory is `/usr/include/igraph`) and compiles our C shim
//! `shim/arsenal_igraph.c`, which owns the `igraph_t` and its vectors so that Rust never
//! depends on igraph's struct layouts or its vector macros. igraph is a large CMake build
//! with generated sources: no vendored route, Debian's package (or another install found
//! through `PKG_CONFIG_PATH`).
fn main() {
    let found = arsenal_build::Library::new("igraph")
        .header("igraph.h")
        .lib_names(&["igraph"])
        .pkg_config("igraph", "0.10", "0.11")
        .debian_packages(&["libigraph-dev"])
        .find();
    println!("cargo:rerun-if-changed=shim/arsenal_igraph.c");
    found
        .shim_build()
        .file("shim/arsenal_igraph.c")
        .compile("arsenal_igraph_shim");
    found.link();
    found.emit_metadata();
}
