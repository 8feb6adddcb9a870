//! Finds libdivide 3.x and compiles our shim `shim/arsenal_libdivide.c` against it.
//! libdivide is header-only and Debian's `libdivide-dev` ships neither a pkg-config file
//! nor a library, so `arsenal_build::Library` (which needs a library file on its system
//! rung) does not apply: this script looks for `libdivide.h` in `LIBDIVIDE_INCLUDE_DIR`
//! when set (and fails if it is not there), else in `<ARSENAL_DEPS_DIR or .deps>/include`
//! and the system prefixes of `arsenal_build::default_system_prefixes`. The shim is
//! compiled once per level: on x86-64 with `-mavx512f` and `LIBDIVIDE_AVX512`, with
//! `-mavx2` and `LIBDIVIDE_AVX2`, and without flags (libdivide's scalar code, the exported
//! generators and the dispatchers); elsewhere only the scalar copy.
use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-env-changed=LIBDIVIDE_INCLUDE_DIR");
    println!("cargo::rerun-if-env-changed=ARSENAL_DEPS_DIR");
    println!("cargo::rerun-if-changed=shim/arsenal_libdivide.c");
    let include = match std::env::var_os("LIBDIVIDE_INCLUDE_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.join("libdivide.h").is_file(),
                "LIBDIVIDE_INCLUDE_DIR={} has no libdivide.h",
                dir.display()
            );
            dir
        }
        None => {
            let ctx = arsenal_build::Context::from_env(&arsenal_build::ProcessEnv)
                .unwrap_or_else(|e| panic!("arsenal-build: {e}"));
            let mut dirs: Vec<PathBuf> = ctx.deps_dir.iter().map(|d| d.join("include")).collect();
            dirs.extend(ctx.system_prefixes.iter().map(|p| p.join("include")));
            dirs.iter()
                .find(|d| d.join("libdivide.h").is_file())
                .cloned()
                .unwrap_or_else(|| {
                    panic!(
                        "libdivide.h not found in {dirs:?}: install Debian's libdivide-dev \
                         (scripts/bootstrap) or set LIBDIVIDE_INCLUDE_DIR"
                    )
                })
        }
    };
    let header = include.join("libdivide.h");
    println!("cargo::rerun-if-changed={}", header.display());
    let text = std::fs::read_to_string(&header).unwrap_or_default();
    let version = text
        .lines()
        .find_map(|l| l.strip_prefix("#define LIBDIVIDE_VERSION \""))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("unknown")
        .to_string();
    assert!(
        version.starts_with("3.") || version.starts_with("4.") || version.starts_with("5."),
        "libdivide {version} at {}: the shim needs 3.0 or later",
        header.display()
    );
    println!(
        "cargo::warning=arsenal-build: libdivide: route=system version={version} ({})",
        include.display()
    );
    let x86_64 = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("x86_64");
    let levels: &[(&str, &[&str])] = if x86_64 {
        &[("0", &[]), ("2", &["-mavx2"]), ("3", &["-mavx512f"])]
    } else {
        &[("0", &[])]
    };
    for &(level, flags) in levels {
        let mut build = arsenal_build::cc::Build::new();
        build
            .include(&include)
            .warnings(true)
            .file("shim/arsenal_libdivide.c")
            .define("ARSENAL_LD_LEVEL", level);
        for flag in flags {
            build.flag(flag);
        }
        build.compile(&format!("arsenal_libdivide_{level}"));
    }
    println!("cargo::metadata=include={}", include.display());
    println!("cargo::metadata=version={version}");
    println!("cargo::metadata=route=system");
}
