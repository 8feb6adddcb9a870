//! Compiles libaco from `vendor/libaco` (or `ACO_SRC_DIR`) with our macro shim. libaco is
//! packaged by neither Debian nor crates.io, so there is no other route.
fn main() {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if arch != "x86_64" && arch != "x86" {
        panic!("\narsenal-aco-sys: libaco's context switch (acosw.S) supports x86 and x86-64 only, not {arch}; build arsenal-coro without its `libaco` feature.\n");
    }
    let found = arsenal_build::Library::new("libaco")
        .env_prefix("ACO")
        .header("aco.h")
        .source("aco.c", &["aco.c", "acosw.S"], &["."])
        .version_probe(
            "aco.h",
            &[
                "ACO_VERSION_MAJOR",
                "ACO_VERSION_MINOR",
                "ACO_VERSION_PATCH",
            ],
        )
        .not_found_help(
            "  - run `git submodule update --init vendor/libaco` (or set ACO_SRC_DIR to a libaco \
             source tree holding aco.c, aco.h and acosw.S)\n  \
             libaco is not packaged by Debian or crates.io: the submodule (or ACO_SRC_DIR) is \
             the only way to build it; without it, build arsenal-coro without `libaco`.",
        )
        .find();
    println!("cargo::rerun-if-changed=shim/arsenal_aco.c");
    let mut build = found.shim_build();
    if found.route.is_source() {
        // libaco's sources and our shim in one archive. The assembly needs an explicit
        // non-executable-stack note (upstream's .S has none).
        build
            .files(found.sources())
            .flag_if_supported("-fvisibility=hidden")
            .flag("-Wa,--noexecstack")
            .warnings(false);
    }
    build.file("shim/arsenal_aco.c").compile("arsenal_aco");
    if !found.route.is_source() {
        found.link();
    }
    found.emit_metadata();
}
