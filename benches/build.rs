//! Build script of `arsenal-bench`.
//!
//! Part 1 records the toolchain that builds the benchmark (rustc, the C and C++
//! compilers, the cargo profile and target) as `ARSENAL_*` variables that
//! `src/machine.rs` reads with `env!`, so every report names the compilers behind the
//! code it times. Part 2 is for the domains' native code (raw C/C++ callers).

use std::env;
use std::process::Command;

fn main() {
    record_toolchain();

    // ---------------------------------------------------------------------------------
    // Domain natives below: one function per domain, called from here.
    // ---------------------------------------------------------------------------------
    build_json_natives();
    build_http_natives();
    // coro and sync: nothing to compile. The raw:<coroutine library> rows call
    // make_fcontext/jump_fcontext, mco_*, swapcontext and aco_* directly from Rust, and the
    // raw:ck-* rows call arsenal-ck-sys's exported shim functions (ck's inline functions
    // have no other symbol), all without our wrapper.
}

/// The include directories a -sys crate exported (`DEP_<LINKS>_INCLUDE`), i.e. the very
/// headers of the library build it found.
fn dep_includes(links: &str) -> Vec<std::path::PathBuf> {
    let var = format!("DEP_{links}_INCLUDE");
    println!("cargo:rerun-if-env-changed={var}");
    let value = env::var_os(&var).unwrap_or_else(|| panic!("{var} not set by the -sys crate"));
    env::split_paths(&value).collect()
}

/// Compiles the `raw:<http parser>` callers against the headers the -sys crates found.
fn build_http_natives() {
    for (file, links) in [("raw_llhttp", "LLHTTP"), ("raw_http_parser", "HTTP_PARSER")] {
        println!("cargo:rerun-if-changed=native/{file}.c");
        cc::Build::new()
            .includes(dep_includes(links))
            .file(format!("native/{file}.c"))
            .compile(&format!("arsenal_bench_{file}"));
    }
}

/// Compiles the `raw:simdjson` / `raw:yyjson` callers (benches/native) against the very
/// headers the -sys crates found (their `DEP_<LINKS>_INCLUDE` metadata); the libraries
/// themselves are linked by those -sys crates.
fn build_json_natives() {
    for file in ["native/raw_simdjson.cpp", "native/raw_yyjson.c"] {
        println!("cargo:rerun-if-changed={file}");
    }
    let mut cpp = cc::Build::new();
    cpp.cpp(true)
        .std("c++17")
        .define("SIMDJSON_THREADS_ENABLED", "1") // must match arsenal-simdjson-sys
        .includes(dep_includes("SIMDJSON"))
        .file("native/raw_simdjson.cpp")
        .warnings(false)
        .compile("arsenal_bench_raw_simdjson");
    cc::Build::new()
        .includes(dep_includes("YYJSON"))
        .file("native/raw_yyjson.c")
        .compile("arsenal_bench_raw_yyjson");
}

/// Emits `cargo:rustc-env` for `ARSENAL_RUSTC_VERSION`, `ARSENAL_CC_VERSION`,
/// `ARSENAL_CXX_VERSION`, `ARSENAL_BUILD_PROFILE` and `ARSENAL_TARGET`.
fn record_toolchain() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = env::var("TARGET").unwrap_or_default();

    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    println!("cargo:rerun-if-env-changed=RUSTC");
    let rustc_version = version_line(&rustc, "-V");

    let cc = compiler_from_env("CC", &target).unwrap_or_else(|| "cc".to_owned());
    let cxx = compiler_from_env("CXX", &target).unwrap_or_else(|| "c++".to_owned());
    let cc_version = version_line(&cc, "--version");
    let cxx_version = version_line(&cxx, "--version");

    let profile = env::var("PROFILE").unwrap_or_else(|_| "unknown".to_owned());
    let opt_level = env::var("OPT_LEVEL").unwrap_or_else(|_| "?".to_owned());

    set_env("ARSENAL_RUSTC_VERSION", &rustc_version);
    set_env("ARSENAL_CC_VERSION", &cc_version);
    set_env("ARSENAL_CXX_VERSION", &cxx_version);
    set_env(
        "ARSENAL_BUILD_PROFILE",
        &format!("{profile} (opt-level {opt_level})"),
    );
    set_env("ARSENAL_TARGET", &target);
}

/// The compiler the `cc` crate would pick from the environment, in its order:
/// `<VAR>_<target>`, `<VAR>_<target_with_underscores>`, `TARGET_<VAR>`, `<VAR>`.
fn compiler_from_env(var: &str, target: &str) -> Option<String> {
    let candidates = [
        format!("{var}_{target}"),
        format!("{var}_{}", target.replace('-', "_")),
        format!("TARGET_{var}"),
        var.to_owned(),
    ];
    let mut found = None;
    for name in candidates {
        println!("cargo:rerun-if-env-changed={name}");
        if found.is_none() {
            found = env::var(&name)
                .ok()
                .filter(|value| !value.trim().is_empty());
        }
    }
    found
}

/// First non-empty output line of `command flag` (the command may carry a wrapper or
/// arguments, e.g. `ccache gcc`), or a note saying why there is none.
fn version_line(command: &str, flag: &str) -> String {
    let mut words = command.split_whitespace();
    let Some(program) = words.next() else {
        return "unknown (empty command)".to_owned();
    };
    match Command::new(program).args(words).arg(flag).output() {
        Ok(output) => {
            let text = if output.stdout.is_empty() {
                output.stderr
            } else {
                output.stdout
            };
            String::from_utf8_lossy(&text)
                .lines()
                .map(str::trim)
                .find(|line| !line.is_empty())
                .map(str::to_owned)
                .unwrap_or_else(|| format!("unknown ({command} {flag} printed nothing)"))
        }
        Err(err) => format!("unknown ({command}: {err})"),
    }
}

fn set_env(key: &str, value: &str) {
    // A newline would end the directive early.
    let value = value.replace(['\n', '\r'], " ");
    println!("cargo:rustc-env={key}={value}");
}
