//! Nothing to find: crates.io's `minicoro-sys` compiles and links minicoro. This script only
//! exports the version of the C code it compiles (minicoro-sys 0.8.1 bundles minicoro
//! 0.1.3) as `DEP_MINICORO_VERSION`, as every Arsenal -sys crate does.
fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::metadata=version=0.1.3");
    println!("cargo::metadata=route=crates-io");
}
