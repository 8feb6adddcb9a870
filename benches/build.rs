//! Build script of `arsenal-bench`.
//!
//! Part 1 records how the benchmark was built, as `ARSENAL_*` variables that
//! `src/machine.rs` reads with `env!` (and `OUT_DIR/libraries.tsv`, read with
//! `include_str!`), so every report names the code it times: the compilers, the cargo
//! profile, the flags (`RUSTFLAGS`, `CFLAGS`, `CXXFLAGS`) and the CPU they target, the
//! git commit, and each library's version and route. Part 2 compiles the domains' raw
//! C/C++ callers (`native/`), only for the domains enabled as cargo features.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The domains of the matrix; each is a cargo feature of this crate.
const DOMAINS: &[&str] = &[
    "json", "http", "coro", "sync", "alloc", "mem", "compress", "hash",
];

fn main() {
    record_toolchain();
    record_flags();
    record_git_commit();
    record_libraries();

    // ---------------------------------------------------------------------------------
    // Domain natives below: one function per domain, called only when it is enabled.
    // ---------------------------------------------------------------------------------
    if feature("json") {
        build_json_natives();
    }
    if feature("http") {
        build_http_natives();
    }
    if feature("map") {
        build_map_natives();
    }
    if feature("tree") {
        build_tree_natives();
    }
    // coro and sync: nothing to compile. The raw:<coroutine library> rows call
    // make_fcontext/jump_fcontext, mco_*, swapcontext and aco_* directly from Rust, and the
    // raw:ck-* rows call arsenal-ck-sys's exported shim functions (ck's inline functions
    // have no other symbol), all without our wrapper.
}

/// Whether the cargo feature `name` of this crate is enabled.
fn feature(name: &str) -> bool {
    env::var_os(format!(
        "CARGO_FEATURE_{}",
        name.to_uppercase().replace('-', "_")
    ))
    .is_some()
}

/// The include directories a -sys crate exported (`DEP_<LINKS>_INCLUDE`), i.e. the very
/// headers of the library build it found.
fn dep_includes(links: &str) -> Vec<PathBuf> {
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

/// Compiles the `raw:abseil` caller against the Abseil headers arsenal-absl-sys found (the
/// libraries are linked by that crate).
fn build_map_natives() {
    println!("cargo:rerun-if-changed=native/raw_absl.cpp");
    cc::Build::new()
        .cpp(true)
        .std("c++17")
        .includes(dep_includes("ABSL_FLAT_HASH_MAP"))
        .file("native/raw_absl.cpp")
        .warnings(false)
        .compile("arsenal_bench_raw_absl");
}

/// Compiles the tree rows' `raw:abseil` caller (`absl::btree_map`, header-only) against
/// the Abseil headers arsenal-absl-sys found.
fn build_tree_natives() {
    println!("cargo:rerun-if-changed=native/raw_absl_btree.cpp");
    cc::Build::new()
        .cpp(true)
        .std("c++17")
        .includes(dep_includes("ABSL_FLAT_HASH_MAP"))
        .file("native/raw_absl_btree.cpp")
        .warnings(false)
        .compile("arsenal_bench_raw_absl_btree");
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
/// `ARSENAL_CXX_VERSION`, `ARSENAL_BUILD_PROFILE`, `ARSENAL_TARGET` and
/// `ARSENAL_DOMAINS`.
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

    set_env("ARSENAL_RUSTC_VERSION", &rustc_version);
    set_env("ARSENAL_CC_VERSION", &cc_version);
    set_env("ARSENAL_CXX_VERSION", &cxx_version);
    set_env("ARSENAL_BUILD_PROFILE", &build_profile());
    set_env("ARSENAL_TARGET", &target);
    let enabled: Vec<&str> = DOMAINS.iter().copied().filter(|d| feature(d)).collect();
    set_env("ARSENAL_DOMAINS", &enabled.join(","));
}

/// `<profile> (opt-level N, debug D)`. Cargo's `PROFILE` says only `release` or
/// `debug`; the profile's own name (e.g. `matrix`) is the output directory that holds
/// `OUT_DIR` (`<target>/<profile>/build/<pkg>/out`).
fn build_profile() -> String {
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    let dir_name = out_dir
        .ancestors()
        .nth(3)
        .and_then(Path::file_name)
        .map(|name| name.to_string_lossy().into_owned());
    let profile = match dir_name.as_deref() {
        // `--target <triple>` adds a level: <target>/<triple>/<profile>/build/...
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => env::var("PROFILE").unwrap_or_else(|_| "unknown".to_owned()),
    };
    let opt_level = env::var("OPT_LEVEL").unwrap_or_else(|_| "?".to_owned());
    let debug = env::var("DEBUG").unwrap_or_else(|_| "?".to_owned());
    format!("{profile} (opt-level {opt_level}, debug {debug})")
}

/// Emits `ARSENAL_RUSTFLAGS`, `ARSENAL_CFLAGS`, `ARSENAL_CXXFLAGS`,
/// `ARSENAL_TARGET_FEATURES` and `ARSENAL_BUILD_FLAVOR` (see `Machine::build_flavor`).
fn record_flags() {
    let target = env::var("TARGET").unwrap_or_default();
    println!("cargo:rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let rustflags: Vec<String> = env::var("CARGO_ENCODED_RUSTFLAGS")
        .unwrap_or_default()
        .split('\x1f')
        .filter(|flag| !flag.is_empty())
        .map(str::to_owned)
        .collect();
    let cflags = flags_from_env("CFLAGS", &target);
    let cxxflags = flags_from_env("CXXFLAGS", &target);
    set_env("ARSENAL_RUSTFLAGS", &rustflags.join(" "));
    set_env("ARSENAL_CFLAGS", &cflags);
    set_env("ARSENAL_CXXFLAGS", &cxxflags);

    // The features rustc enables for the target (this script runs on the host, so its
    // own cfg!(target_feature) would describe the wrong compilation).
    const INTERESTING: &[&str] = &[
        "sse2",
        "sse3",
        "ssse3",
        "sse4.1",
        "sse4.2",
        "popcnt",
        "avx",
        "avx2",
        "fma",
        "bmi1",
        "bmi2",
        "lzcnt",
        "aes",
        "pclmulqdq",
        "sha",
        "vpclmulqdq",
        "avx512f",
        "avx512bw",
        "avx512cd",
        "avx512dq",
        "avx512vl",
        "avx512vbmi",
        "avx512vbmi2",
        "neon",
        "crc",
    ];
    let enabled = env::var("CARGO_CFG_TARGET_FEATURE").unwrap_or_default();
    let enabled: Vec<&str> = enabled.split(',').collect();
    let features: Vec<&str> = INTERESTING
        .iter()
        .copied()
        .filter(|feature| enabled.contains(feature))
        .collect();
    set_env("ARSENAL_TARGET_FEATURES", &features.join(","));

    let rust_cpu = last_value(&rustflags.join(" "), &["-Ctarget-cpu=", "target-cpu="]);
    let c_cpu = last_value(&cflags, &["-march="]);
    let cxx_cpu = last_value(&cxxflags, &["-march="]);
    set_env(
        "ARSENAL_BUILD_FLAVOR",
        &flavor(rust_cpu.as_deref(), c_cpu.as_deref(), cxx_cpu.as_deref()),
    );
}

/// The value of the last flag starting with one of `prefixes` (`-C target-cpu=x` is
/// passed as two words, `-C` and `target-cpu=x`).
fn last_value(flags: &str, prefixes: &[&str]) -> Option<String> {
    flags
        .split_whitespace()
        .filter_map(|flag| prefixes.iter().find_map(|p| flag.strip_prefix(p)))
        .next_back()
        .map(str::to_owned)
}

/// `portable`, `native`, `default` or `mixed (...)` from the CPUs named to rustc and
/// to the C and C++ compilers.
fn flavor(rust: Option<&str>, c: Option<&str>, cxx: Option<&str>) -> String {
    match (rust, c, cxx) {
        (None, None, None) => "default".to_owned(),
        (Some("native"), Some("native"), Some("native")) => "native".to_owned(),
        (Some("x86-64"), Some("x86-64"), Some("x86-64")) => "portable".to_owned(),
        _ => format!(
            "mixed (Rust target-cpu={}, C -march={}, C++ -march={})",
            rust.unwrap_or("default"),
            c.unwrap_or("default"),
            cxx.unwrap_or("default")
        ),
    }
}

/// The flags the `cc` crate reads for `var` (`CFLAGS`/`CXXFLAGS`): `<VAR>_<target>`,
/// `<VAR>_<target_with_underscores>`, `TARGET_<VAR>` and `<VAR>`, joined in that order.
fn flags_from_env(var: &str, target: &str) -> String {
    let candidates = [
        format!("{var}_{target}"),
        format!("{var}_{}", target.replace('-', "_")),
        format!("TARGET_{var}"),
        var.to_owned(),
    ];
    let mut flags = Vec::new();
    for name in candidates {
        println!("cargo:rerun-if-env-changed={name}");
        if let Ok(value) = env::var(&name) {
            if !value.trim().is_empty() {
                flags.push(value.trim().to_owned());
            }
        }
    }
    flags.join(" ")
}

/// Emits `ARSENAL_GIT_COMMIT`: `.git/HEAD` and the ref it names (loose or in
/// `packed-refs`), read directly; `unknown` without a git directory.
fn record_git_commit() {
    let root = workspace_root();
    let git = git_dir(&root);
    let commit = git.as_deref().and_then(|git| {
        let head_file = git.join("HEAD");
        watch(&head_file);
        let head = fs::read_to_string(&head_file).ok()?;
        let head = head.trim();
        let Some(reference) = head.strip_prefix("ref: ") else {
            return Some(head.to_owned()); // detached HEAD
        };
        let loose = git.join(reference);
        watch(&loose);
        let packed = git.join("packed-refs");
        watch(&packed);
        fs::read_to_string(&loose)
            .ok()
            .map(|text| text.trim().to_owned())
            .or_else(|| {
                fs::read_to_string(&packed).ok()?.lines().find_map(|line| {
                    let (hash, name) = line.split_once(' ')?;
                    (name.trim() == reference).then(|| hash.to_owned())
                })
            })
    });
    set_env(
        "ARSENAL_GIT_COMMIT",
        commit
            .as_deref()
            .filter(|c| !c.is_empty())
            .unwrap_or("unknown"),
    );
}

/// `.git` of the workspace: a directory, or a file `gitdir: <path>` (worktrees,
/// submodules).
fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot_git = root.join(".git");
    if dot_git.is_dir() {
        return Some(dot_git);
    }
    let text = fs::read_to_string(&dot_git).ok()?;
    let path = PathBuf::from(text.trim().strip_prefix("gitdir:")?.trim());
    Some(if path.is_absolute() {
        path
    } else {
        root.join(path)
    })
}

/// Reruns the script when `path` changes; only for files that exist (cargo reruns on
/// every build for a missing one).
fn watch(path: &Path) {
    if path.exists() {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    manifest
        .parent()
        .map_or(manifest.clone(), Path::to_path_buf)
}

/// Where a library's version and route come from.
enum Source {
    /// One of our -sys crates (links key, crate): `DEP_<LINKS>_VERSION` and `_ROUTE`.
    Links(&'static str, &'static str),
    /// A crates.io -sys crate that compiles the library's bundled source.
    Bundled(&'static str),
    /// A pure-Rust peer crate.
    Peer(&'static str),
}

/// Every library behind the rows, by domain.
const LIBRARIES: &[(&str, &str, Source)] = &[
    (
        "json",
        "simdjson",
        Source::Links("SIMDJSON", "arsenal-simdjson-sys"),
    ),
    (
        "json",
        "yyjson",
        Source::Links("YYJSON", "arsenal-yyjson-sys"),
    ),
    ("json", "serde_json", Source::Peer("serde_json")),
    ("json", "simd-json", Source::Peer("simd-json")),
    ("json", "sonic-rs", Source::Peer("sonic-rs")),
    (
        "http",
        "llhttp",
        Source::Links("LLHTTP", "arsenal-llhttp-sys"),
    ),
    (
        "http",
        "http_parser",
        Source::Links("HTTP_PARSER", "arsenal-http-parser-sys"),
    ),
    (
        "http",
        "picohttpparser",
        Source::Bundled("picohttpparser-sys"),
    ),
    ("http", "httparse", Source::Peer("httparse")),
    (
        "coro",
        "boost_context (fcontext)",
        Source::Links("BOOST_CONTEXT", "arsenal-fcontext-sys"),
    ),
    (
        "coro",
        "minicoro",
        Source::Links("MINICORO", "arsenal-minicoro-sys"),
    ),
    ("coro", "libaco", Source::Links("ACO", "arsenal-aco-sys")),
    ("coro", "corosensei", Source::Peer("corosensei")),
    (
        "sync",
        "ck (Concurrency Kit)",
        Source::Links("CK", "arsenal-ck-sys"),
    ),
    ("sync", "crossbeam", Source::Peer("crossbeam")),
    ("sync", "rtrb", Source::Peer("rtrb")),
    ("sync", "parking_lot", Source::Peer("parking_lot")),
    ("alloc", "mimalloc", Source::Bundled("libmimalloc-sys")),
    ("alloc", "jemalloc", Source::Bundled("tikv-jemalloc-sys")),
    ("alloc", "rpmalloc", Source::Bundled("rpmalloc-sys")),
    ("alloc", "snmalloc", Source::Bundled("snmalloc-sys")),
    ("compress", "zstd", Source::Bundled("zstd-sys")),
    ("compress", "lz4", Source::Bundled("lz4-sys")),
    (
        "compress",
        "snappy",
        Source::Links("SNAPPY", "arsenal-snappy-sys"),
    ),
    ("compress", "brotli", Source::Bundled("brotlic-sys")),
    ("compress", "libdeflate", Source::Bundled("libdeflate-sys")),
    ("compress", "isa-l", Source::Bundled("isal-sys")),
    ("compress", "lz4_flex", Source::Peer("lz4_flex")),
    ("compress", "snap", Source::Peer("snap")),
    ("compress", "ruzstd", Source::Peer("ruzstd")),
    ("compress", "miniz_oxide", Source::Peer("miniz_oxide")),
    ("compress", "zlib-rs", Source::Peer("libz-rs-sys")),
    (
        "hash",
        "xxhash",
        Source::Links("XXHASH", "arsenal-xxhash-sys"),
    ),
    (
        "hash",
        "highwayhash",
        Source::Links("HIGHWAYHASH", "arsenal-highwayhash-sys"),
    ),
    ("hash", "libsodium", Source::Bundled("libsodium-sys-stable")),
    ("hash", "blake3 (C/asm)", Source::Bundled("blake3")),
    ("hash", "xxhash-rust", Source::Peer("xxhash-rust")),
    ("hash", "twox-hash", Source::Peer("twox-hash")),
    ("hash", "foldhash", Source::Peer("foldhash")),
    ("hash", "ahash", Source::Peer("ahash")),
    ("hash", "rapidhash", Source::Peer("rapidhash")),
    (
        "map",
        "abseil (flat_hash_map)",
        Source::Links("ABSL_FLAT_HASH_MAP", "arsenal-absl-sys"),
    ),
    ("map", "hashbrown", Source::Peer("hashbrown")),
    (
        "tree",
        "abseil (btree_map)",
        Source::Links("ABSL_FLAT_HASH_MAP", "arsenal-absl-sys"),
    ),
    ("map", "foldhash", Source::Peer("foldhash")),
    ("map", "ahash", Source::Peer("ahash")),
];

/// Writes `OUT_DIR/libraries.tsv`: the libraries of the enabled domains with their
/// version, route and how they were built (see `machine::Library`).
fn record_libraries() {
    let lock_path = workspace_root().join("Cargo.lock");
    watch(&lock_path);
    let lock = fs::read_to_string(&lock_path).unwrap_or_default();
    let debian = Path::new("/etc/debian_version").exists();
    let mut tsv = String::new();
    for (domain, name, source) in LIBRARIES {
        if !feature(domain) {
            continue;
        }
        let (kind, package, version, route, build) = match *source {
            Source::Links(links, package) => {
                let dep = |key: &str| {
                    let var = format!("DEP_{links}_{key}");
                    println!("cargo:rerun-if-env-changed={var}");
                    env::var(var).ok().filter(|v| !v.is_empty())
                };
                let Some(route) = dep("ROUTE") else {
                    continue; // not a dependency of this build (e.g. libaco without its feature)
                };
                let version = dep("VERSION").unwrap_or_else(|| "unknown".to_owned());
                let build = match route.as_str() {
                    "deps-prebuilt" => "prebuilt (Debian)".to_owned(),
                    "system" if debian => "prebuilt (Debian)".to_owned(),
                    "system" => "prebuilt (system)".to_owned(),
                    "env" => "prebuilt (from <LIB>_DIR)".to_owned(),
                    _ => "source".to_owned(),
                };
                ("c", package, version, route, build)
            }
            Source::Bundled(package) => (
                "c",
                package,
                lock_version(&lock, package),
                "crates.io".to_owned(),
                "source".to_owned(),
            ),
            Source::Peer(package) => (
                "peer",
                package,
                lock_version(&lock, package),
                "crates.io".to_owned(),
                "rust".to_owned(),
            ),
        };
        tsv.push_str(&[*name, domain, kind, package, &version, &route, &build].join("\t"));
        tsv.push('\n');
    }
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("libraries.tsv"), tsv).expect("cannot write OUT_DIR/libraries.tsv");
}

/// The version(s) of `package` in `Cargo.lock` text (several joined by `, `), or
/// `unknown`.
fn lock_version(lock: &str, package: &str) -> String {
    let mut versions = Vec::new();
    let mut name: Option<&str> = None;
    for line in lock.lines() {
        let line = line.trim();
        if line == "[[package]]" {
            name = None;
        } else if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"'));
        } else if let Some(value) = line.strip_prefix("version = ") {
            if name == Some(package) {
                versions.push(value.trim_matches('"').to_owned());
            }
        }
    }
    if versions.is_empty() {
        "unknown".to_owned()
    } else {
        versions.join(", ")
    }
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
