//! Finds KissFFT 131 through `arsenal-build`: Debian's `libkissfft-dev` ships
//! `kissfft-float.pc` (`-lkissfft-float`, `kiss_fft_scalar` = `float`).
fn main() {
    let found = arsenal_build::Library::new("kissfft-float")
        .header("kiss_fft.h")
        .lib_names(&["kissfft-float"])
        .pkg_config("kissfft-float", "131", "132")
        .debian_packages(&["libkissfft-dev"])
        .find();
    found.link();
    found.emit_metadata();
}
