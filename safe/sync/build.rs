//! Declares `cfg(loom)`, under which the native MPSC queue uses loom's primitives for
//! model checking (`tests/loom_mpsc.rs`).
fn main() {
    println!("cargo::rustc-check-cfg=cfg(loom)");
}
