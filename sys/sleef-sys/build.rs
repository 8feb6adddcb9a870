//! Finds SLEEF 3.x through `arsenal-build` (Debian's `libsleef-dev` ships a pkg-config file,
//! `sleef.pc`; the system paths are a fallback) and compiles our shim `shim/arsenal_sleef.c`
//! once per level: on x86-64 with `-mavx512f` (SLEEF's `*avx512f` functions), with
//! `-mavx2 -mfma` (`*avx2`) and without flags (SLEEF's scalar functions and the
//! dispatchers); elsewhere only the scalar copy.
fn main() {
    let found = arsenal_build::Library::new("sleef")
        .header("sleef.h")
        .lib_names(&["sleef"])
        .pkg_config("sleef", "3.4", "4")
        .system_paths(true)
        .version_probe(
            "sleef.h",
            &[
                "SLEEF_VERSION_MAJOR",
                "SLEEF_VERSION_MINOR",
                "SLEEF_VERSION_PATCHLEVEL",
            ],
        )
        .debian_packages(&["libsleef-dev"])
        .find();
    println!("cargo:rerun-if-changed=shim/arsenal_sleef.c");
    let x86_64 = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("x86_64");
    let levels: &[(&str, &[&str])] = if x86_64 {
        &[
            ("0", &[]),
            ("2", &["-mavx2", "-mfma"]),
            ("3", &["-mavx512f"]),
        ]
    } else {
        &[("0", &[])]
    };
    for &(level, flags) in levels {
        let mut build = found.shim_build();
        build
            .file("shim/arsenal_sleef.c")
            .define("ARSENAL_SLEEF_LEVEL", level);
        for flag in flags {
            build.flag(flag);
        }
        build.compile(&format!("arsenal_sleef_{level}"));
    }
    found.link();
    found.emit_metadata();
}
