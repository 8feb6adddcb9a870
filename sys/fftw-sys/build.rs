//! Finds FFTW 3.3 through `arsenal-build` (Debian's `libfftw3-dev` ships `fftw3.pc` and
//! `fftw3f.pc`; the system paths are a fallback) and links both precisions dynamically.
//!
//! Not the crates.io `fftw` crate's default `source` feature: it builds FFTW without its
//! SIMD codelets, which would be unfair to FFTW. Debian's build has SSE2 and AVX codelets
//! (its version string: `fftw-3.3.10-sse2-avx`).
fn main() {
    for (name, lib) in [("fftw3f", "fftw3f"), ("fftw3", "fftw3")] {
        let found = arsenal_build::Library::new(name)
            .header("fftw3.h")
            .lib_names(&[lib])
            .pkg_config(name, "3.3", "3.4")
            .system_paths(true)
            .debian_packages(&["libfftw3-dev"])
            .find();
        found.link();
        if name == "fftw3" {
            found.emit_metadata();
        }
    }
}
