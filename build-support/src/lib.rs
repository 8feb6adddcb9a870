//! `arsenal-build`: the one place every `sys/<lib>-sys/build.rs` finds or compiles its C or
//! C++ library.
//!
//! A build script describes the library once with [`Library`]'s builder and calls
//! [`Library::find`], which walks a fixed ladder (first hit wins) and returns a [`Found`]
//! that compiles the shim, links the library and exports `DEP_<LINKS>_*` metadata:
//!
//! ```no_run
//! // sys/yyjson-sys/build.rs
//! fn main() {
//!     let found = arsenal_build::Library::new("yyjson")
//!         .header("yyjson.h")
//!         .lib_names(&["yyjson"])
//!         .pkg_config("yyjson", "0.8.0", "0.11.0")
//!         .source("src/yyjson.c", &["src/yyjson.c"], &["src"])
//!         .version_probe(
//!             "yyjson.h",
//!             &["YYJSON_VERSION_MAJOR", "YYJSON_VERSION_MINOR", "YYJSON_VERSION_PATCH"],
//!         )
//!         .debian_packages(&["libyyjson-dev"])
//!         .find();
//!     found.shim_build().file("shim/yyjson_shim.c").compile("arsenal_yyjson_shim");
//!     found.link(); // after the shim: the shim must come first on the link line
//!     found.emit_metadata();
//! }
//! ```
//!
//! # The ladder
//!
//! `<LIB>` is the library name upper-cased with `-` turned into `_` (`YYJSON`, `SIMDJSON`).
//! `<root>` is the workspace root: `ARSENAL_ROOT`, else the first ancestor of
//! `CARGO_MANIFEST_DIR` whose `Cargo.toml` declares `[workspace]`. `<deps>` is
//! `ARSENAL_DEPS_DIR`, else `<root>/.deps`.
//!
//! | rung | route | when |
//! |------|-------|------|
//! | 1 | [`Route::EnvSource`] | `<LIB>_SRC_DIR` names a source tree: compiled like `vendored` |
//! | 1 | [`Route::Env`] | `<LIB>_DIR` (a prefix with `include/` and `lib64/`, `lib/<multiarch>/` or `lib/`) and/or `<LIB>_INCLUDE_DIR` + `<LIB>_LIB_DIR` name a prebuilt library |
//! | 2 | [`Route::Vendored`] | `<root>/vendor/<lib>` holds the configured sentinel file and `<LIB>_NO_VENDOR` is unset: compiled with `cc` |
//! | 3 | [`Route::System`] | pkg-config finds a version in `[min, max)` |
//! | 3 | [`Route::System`] | only with [`Library::system_paths`]: a system prefix (`/usr/local`, then `/usr`) has the header in `include/` and a library in `lib64/`, `lib/<multiarch>/` or `lib/` (for libraries that ship no `.pc` file) |
//! | 3 | [`Route::DepsSource`] | `<deps>/src/<lib>` holds the sentinel: compiled with `cc` |
//! | 3 | [`Route::DepsPrebuilt`] | `<deps>/root/usr/include` has the header and `<deps>/root/usr/lib/<multiarch>` (or `usr/lib`) a library (static preferred) |
//! | 4 | — | nothing: [`find`](Library::find) panics naming `git submodule update --init vendor/<lib>`, `scripts/bootstrap`, the Debian packages and the variables below |
//!
//! Explicit variables never fall through: if they point at nothing (a missing directory,
//! no header, no library file) the build fails saying so.
//!
//! Source builds (`env-source`, `vendored`, `deps-source`) compile the configured files
//! (sorted; a directory entry means every C/C++ file in it) with `warnings(false)`,
//! `-fvisibility=hidden` where supported, cargo's opt level, the configured defines, and a
//! config header written to `OUT_DIR` if the library asks for one
//! ([`Library::config_header`]). The archive is `OUT_DIR/lib<name>_arsenal.a`.
//!
//! # Environment variables
//!
//! | variable | effect |
//! |----------|--------|
//! | `<LIB>_DIR` | prefix of a prebuilt library (`include/`, `lib64/`, `lib/<multiarch>/`, `lib/`) |
//! | `<LIB>_INCLUDE_DIR` | directory holding the library's header (overrides `<LIB>_DIR/include`) |
//! | `<LIB>_LIB_DIR` | directory holding the library file (overrides `<LIB>_DIR/lib…`) |
//! | `<LIB>_SRC_DIR` | source tree to compile (same layout as `vendor/<lib>`) |
//! | `<LIB>_STATIC` | `1`: link a prebuilt library statically; `0`: dynamically. Unset: dynamic preferred for `env`/`system` (pkg-config and system paths), static for `deps-prebuilt` |
//! | `<LIB>_NO_VENDOR` | skip `vendor/<lib>` even when checked out |
//! | `ARSENAL_ROOT` | workspace root (holds `vendor/`) |
//! | `ARSENAL_DEPS_DIR` | the prefix `scripts/bootstrap` fills (default `<root>/.deps`) |
//! | `CXXSTDLIB` | C++ standard library to link for C++ libraries (empty: none) |
//! | `PKG_CONFIG_PATH`, … | read by the [`pkg_config`] crate for the system rung |
//!
//! [`find`](Library::find) emits `cargo::rerun-if-env-changed` for every variable it read,
//! and `cargo::rerun-if-changed` for the files it uses (and for `vendor/<lib>` when that was
//! skipped, so initialising the submodule rebuilds).
//!
//! # Build log
//!
//! Every build prints `arsenal-build: <lib>: route=<route> version=<v> (<where>)`, both as a
//! plain line and as a `cargo::warning` so `cargo build` shows each library's route. Rungs
//! tried are printed as plain lines; on a fallback route (`system`, `deps-source`,
//! `deps-prebuilt`) they are repeated as warnings.
//!
//! All cargo instructions use the `cargo::` syntax (Rust 1.77+); metadata is
//! `cargo::metadata=KEY=VALUE`.

#![warn(missing_docs)]
// The crate example is a whole build.rs, so its `fn main` is the point.
#![allow(clippy::needless_doctest_main)]

mod env;
mod error;
mod found;
mod target;
mod version;

use std::cell::Cell;
use std::fs;
use std::path::{Path, PathBuf};

pub use crate::env::{Env, ProcessEnv};
pub use crate::error::{Attempt, FindError};
pub use crate::found::{Found, LinkKind, Route};
#[cfg(feature = "bindgen")]
pub use bindgen;
pub use cc;

use crate::env::{is_set_by_cargo, parse_flag, RecordingEnv};
use crate::found::{archive_name, display_path};
use crate::target::Target;

/// Where the search looks besides the environment: the workspace root, the bootstrap
/// prefix and the build script's output directory.
///
/// [`Library::find`] builds it with [`Context::from_env`]; tests build it by hand.
///
/// ```
/// use arsenal_build::Context;
/// let ctx = Context {
///     root: Some("/work/main".into()),
///     deps_dir: Some("/work/main/.deps".into()),
///     ..Context::new("/tmp/out")
/// };
/// assert!(!ctx.probe_version);
/// ```
#[derive(Debug, Clone)]
pub struct Context {
    /// The workspace root (holds `vendor/`); `None` skips the vendored rung.
    pub root: Option<PathBuf>,
    /// The prefix `scripts/bootstrap` fills; `None` skips the deps rungs.
    pub deps_dir: Option<PathBuf>,
    /// Where generated files (config header, version probe, source archive) go.
    pub out_dir: PathBuf,
    /// Run the header version probe (it runs the C/C++ preprocessor through `cc`, which
    /// needs cargo's build-script environment: `TARGET`, `HOST`, `OPT_LEVEL`).
    pub probe_version: bool,
    /// Installation prefixes searched, in order, by the system-paths rung of libraries that
    /// opt in with [`Library::system_paths`]: `<prefix>/include` for the header,
    /// `<prefix>/lib64`, `<prefix>/lib/<multiarch>` and `<prefix>/lib` for the library.
    /// Empty skips that rung.
    pub system_prefixes: Vec<PathBuf>,
}

impl Context {
    /// A context with no root, no deps dir, no system prefixes and version probing off:
    /// nothing outside the directories given is searched (pkg-config aside).
    pub fn new(out_dir: impl Into<PathBuf>) -> Self {
        Context {
            root: None,
            deps_dir: None,
            out_dir: out_dir.into(),
            probe_version: false,
            system_prefixes: Vec::new(),
        }
    }

    /// The context of a build script: root from `ARSENAL_ROOT` or the ancestors of
    /// `CARGO_MANIFEST_DIR`, deps dir from `ARSENAL_DEPS_DIR` or `<root>/.deps`, `OUT_DIR`,
    /// version probing on, and the system prefixes [`default_system_prefixes`]. Fails when `ARSENAL_ROOT` / `ARSENAL_DEPS_DIR` are set to
    /// something that is not a directory, or `OUT_DIR` is unset.
    pub fn from_env(env: &dyn Env) -> Result<Self, FindError> {
        let root = match non_empty(env, "ARSENAL_ROOT") {
            Some(root) => Some(existing_dir("ARSENAL_ROOT", &root)?),
            None => non_empty(env, "CARGO_MANIFEST_DIR")
                .and_then(|dir| find_workspace_root(Path::new(&dir))),
        };
        let deps_dir = match non_empty(env, "ARSENAL_DEPS_DIR") {
            Some(deps) => Some(existing_dir("ARSENAL_DEPS_DIR", &deps)?),
            None => root.as_ref().map(|r| r.join(".deps")),
        };
        let out_dir = non_empty(env, "OUT_DIR").ok_or_else(|| FindError::InvalidEnv {
            var: "OUT_DIR".into(),
            message: "not set; Library::find must run inside a build script".into(),
        })?;
        Ok(Context {
            root,
            deps_dir,
            out_dir: PathBuf::from(out_dir),
            probe_version: true,
            system_prefixes: default_system_prefixes(),
        })
    }
}

/// The prefixes a Unix C compiler and linker search by default, in their order:
/// `/usr/local` (whose headers shadow `/usr`'s on the default include path), then `/usr`.
/// Empty where the build machine is not Unix.
///
/// ```
/// # #[cfg(unix)]
/// assert_eq!(
///     arsenal_build::default_system_prefixes(),
///     vec![std::path::PathBuf::from("/usr/local"), "/usr".into()]
/// );
/// ```
pub fn default_system_prefixes() -> Vec<PathBuf> {
    if cfg!(unix) {
        vec![PathBuf::from("/usr/local"), PathBuf::from("/usr")]
    } else {
        Vec::new()
    }
}

/// The first of `start` and its ancestors whose `Cargo.toml` declares `[workspace]`.
///
/// (`vendor/` itself is no marker: git creates the directories of uninitialised
/// submodules on clone, but an archive or a copy may lack them.)
pub fn find_workspace_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|toml| toml.lines().any(|l| l.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
}

fn non_empty(env: &dyn Env, key: &str) -> Option<String> {
    env.var(key).filter(|v| !v.trim().is_empty())
}

fn existing_dir(var: &str, value: &str) -> Result<PathBuf, FindError> {
    let path = PathBuf::from(value);
    if path.is_dir() {
        Ok(path)
    } else {
        Err(FindError::InvalidEnv {
            var: var.into(),
            message: format!("{value} is not a directory"),
        })
    }
}

#[derive(Debug, Clone)]
struct PkgConfigSpec {
    name: String,
    min: String,
    max_exclusive: String,
}

#[derive(Debug, Clone)]
struct SourceSpec {
    sentinel: String,
    files: Vec<String>,
    include_dirs: Vec<String>,
}

#[derive(Debug, Clone)]
struct VersionProbe {
    header: String,
    macros: Vec<String>,
}

/// A library file found in a prebuilt prefix.
struct LibHit {
    dir: PathBuf,
    name: String,
    kind: LinkKind,
    file: PathBuf,
}

/// A description of one C/C++ library and how to find or build it; see the
/// [crate docs](crate) for the ladder [`find`](Library::find) walks.
///
/// ```no_run
/// let found = arsenal_build::Library::new("simdjson")
///     .cpp(true)
///     .header("simdjson.h")
///     .lib_names(&["simdjson_static", "simdjson"])
///     .pkg_config("simdjson", "3.0.0", "4.0.0")
///     .source("singleheader/simdjson.cpp", &["singleheader/simdjson.cpp"], &["singleheader"])
///     .version_probe("simdjson.h", &["SIMDJSON_VERSION"])
///     .debian_packages(&["libsimdjson-dev"])
///     .find();
/// ```
#[derive(Debug, Clone)]
pub struct Library {
    name: String,
    env_prefix: String,
    header: Option<String>,
    lib_names: Vec<String>,
    pkg_config: Option<PkgConfigSpec>,
    debian_packages: Vec<String>,
    cpp: bool,
    source: Option<SourceSpec>,
    defines: Vec<(String, Option<String>)>,
    version_probe: Option<VersionProbe>,
    config_header: Option<(String, String)>,
    system_paths: bool,
    not_found_help: Option<String>,
}

impl Library {
    /// A library called `name` (`"yyjson"`): the name of `vendor/<name>`, `<deps>/src/<name>`
    /// and, upper-cased with `-` → `_`, the prefix of its environment variables.
    pub fn new(name: &str) -> Self {
        Library {
            name: name.to_string(),
            env_prefix: name.to_ascii_uppercase().replace('-', "_"),
            header: None,
            lib_names: Vec::new(),
            pkg_config: None,
            debian_packages: Vec::new(),
            cpp: false,
            source: None,
            defines: Vec::new(),
            version_probe: None,
            config_header: None,
            system_paths: false,
            not_found_help: None,
        }
    }

    /// The prefix of the library's environment variables when it differs from its name
    /// (libaco lives in `vendor/libaco` but reads `ACO_SRC_DIR`, `ACO_DIR`, ...).
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// let env = BTreeMap::from([("ACO_SRC_DIR".to_string(), "/nonexistent".to_string())]);
    /// let err = arsenal_build::Library::new("libaco")
    ///     .env_prefix("ACO")
    ///     .source("aco.c", &["aco.c"], &["."])
    ///     .find_with(&env, &arsenal_build::Context::new(std::env::temp_dir()))
    ///     .unwrap_err();
    /// assert!(err.to_string().contains("ACO_SRC_DIR"));
    /// ```
    pub fn env_prefix(mut self, prefix: &str) -> Self {
        self.env_prefix = prefix.to_string();
        self
    }

    /// Replaces the "get it with one of" lines of the not-found message, for libraries
    /// with only one way in (libaco: the submodule or `ACO_SRC_DIR`; no distribution
    /// packages it, so `scripts/bootstrap` cannot help).
    pub fn not_found_help(mut self, help: &str) -> Self {
        self.not_found_help = Some(help.to_string());
        self
    }

    /// Look the library up with pkg-config as `name`, accepting versions in
    /// `[min, max_exclusive)`. Without it the system rung is skipped.
    pub fn pkg_config(mut self, name: &str, min: &str, max_exclusive: &str) -> Self {
        self.pkg_config = Some(PkgConfigSpec {
            name: name.to_string(),
            min: min.to_string(),
            max_exclusive: max_exclusive.to_string(),
        });
        self
    }

    /// After pkg-config, also look in the system's standard directories
    /// ([`Context::system_prefixes`]: `/usr/local`, then `/usr`), for libraries whose
    /// packages ship no pkg-config file (Debian's `libhttp-parser-dev`). A prefix counts
    /// when `<prefix>/include` has the [`header`](Library::header) and `<prefix>/lib64`,
    /// `<prefix>/lib/<multiarch>` or `<prefix>/lib` a library file (shared preferred, as
    /// for pkg-config; `<LIB>_STATIC` decides). The route is [`Route::System`]; its version
    /// comes from the [`version_probe`](Library::version_probe). When cross-compiling
    /// (`HOST` ≠ `TARGET`) only `<prefix>/lib/<multiarch>` of the target is searched.
    ///
    /// ```no_run
    /// let found = arsenal_build::Library::new("http_parser")
    ///     .header("http_parser.h")
    ///     .system_paths(true)
    ///     .debian_packages(&["libhttp-parser-dev"])
    ///     .find();
    /// ```
    pub fn system_paths(mut self, yes: bool) -> Self {
        self.system_paths = yes;
        self
    }

    /// A header (relative to an include dir, e.g. `"yyjson.h"`) that must exist for an
    /// include dir to count.
    pub fn header(mut self, rel: &str) -> Self {
        self.header = Some(rel.to_string());
        self
    }

    /// Link names to look for in prebuilt directories, in order of preference
    /// (`["simdjson_static", "simdjson"]` accepts `libsimdjson_static.a`, `libsimdjson.a`,
    /// `libsimdjson.so`, ...). Defaults to the library's name.
    pub fn lib_names(mut self, names: &[&str]) -> Self {
        self.lib_names = names.iter().map(|n| n.to_string()).collect();
        self
    }

    /// Debian packages that provide the library, named in the not-found message.
    pub fn debian_packages(mut self, pkgs: &[&str]) -> Self {
        self.debian_packages = pkgs.iter().map(|p| p.to_string()).collect();
        self
    }

    /// The library is C++: source builds, the version probe and the shim compile as C++17,
    /// and linking adds the C++ standard library.
    pub fn cpp(mut self, yes: bool) -> Self {
        self.cpp = yes;
        self
    }

    /// How to compile the library from a source tree. All paths are relative to the
    /// tree's root: `sentinel` is a file whose presence marks a usable tree (an
    /// uninitialised submodule is an empty directory), `files` the sources to compile (a
    /// directory means all its `.c`/`.cc`/`.cpp`/`.cxx` files), `include_dirs` the include
    /// path. Without it the source rungs are skipped.
    pub fn source(mut self, sentinel: &str, files: &[&str], include_dirs: &[&str]) -> Self {
        self.source = Some(SourceSpec {
            sentinel: sentinel.to_string(),
            files: files.iter().map(|f| f.to_string()).collect(),
            include_dirs: include_dirs.iter().map(|d| d.to_string()).collect(),
        });
        self
    }

    /// A preprocessor definition for source builds (also applied to the shim and version
    /// probe of source routes).
    pub fn define(mut self, key: &str, value: Option<&str>) -> Self {
        self.defines
            .push((key.to_string(), value.map(str::to_string)));
        self
    }

    /// A header to write into `OUT_DIR` for source builds (e.g. a generated `config.h`),
    /// at `rel_path` inside a directory that goes first on the include path.
    pub fn config_header(mut self, rel_path: &str, contents: &str) -> Self {
        self.config_header = Some((rel_path.to_string(), contents.to_string()));
        self
    }

    /// Detect the version by preprocessing `#include <header>` followed by `macros`
    /// (with `cc::Build::try_expand`): the expanded values are joined with `.`, string
    /// literals unquoted. simdjson: `["SIMDJSON_VERSION"]` → `3.12.3`; yyjson:
    /// `["YYJSON_VERSION_MAJOR", "YYJSON_VERSION_MINOR", "YYJSON_VERSION_PATCH"]` →
    /// `0.10.0`. The system route takes pkg-config's version instead.
    pub fn version_probe(mut self, header: &str, macros: &[&str]) -> Self {
        self.version_probe = Some(VersionProbe {
            header: header.to_string(),
            macros: macros.iter().map(|m| m.to_string()).collect(),
        });
        self
    }

    /// Runs the ladder in a build script: reads the process environment, prints the route
    /// and every rung tried, emits `cargo::rerun-if-env-changed` for each variable read and
    /// `cargo::rerun-if-changed` for the files used.
    ///
    /// # Panics
    ///
    /// When nothing is found (the message names the submodule command,
    /// `scripts/bootstrap`, the Debian packages and the variables) or an explicit variable
    /// points at nothing.
    pub fn find(self) -> Found {
        let process = ProcessEnv;
        let env = RecordingEnv::new(&process);
        let result = Context::from_env(&env).and_then(|ctx| self.find_with(&env, &ctx));
        for key in env.keys() {
            if !is_set_by_cargo(&key) {
                println!("cargo::rerun-if-env-changed={key}");
            }
        }
        match result {
            Ok(found) => {
                for line in found.report_lines() {
                    println!("{line}");
                }
                found
            }
            Err(err) => panic!("\n{err}\n"),
        }
    }

    /// The ladder itself, with the environment and directories passed in. Prints nothing
    /// (the pkg-config crate may print its own `rerun-if-env-changed` lines) and compiles
    /// nothing; it runs the preprocessor only when `ctx.probe_version` is set. Source
    /// routes write the config header (if any) into `ctx.out_dir`.
    ///
    /// The pkg-config rung reads its own variables (`PKG_CONFIG_PATH`, …) from the process
    /// environment, as the [`pkg_config`] crate does.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use arsenal_build::{Context, FindError, Library};
    ///
    /// let out = std::env::temp_dir();
    /// let err = Library::new("nonesuch")
    ///     .header("nonesuch.h")
    ///     .debian_packages(&["libnonesuch-dev"])
    ///     .find_with(&BTreeMap::new(), &Context::new(out))
    ///     .unwrap_err();
    /// assert!(matches!(err, FindError::NotFound { .. }));
    /// assert!(err.to_string().contains("libnonesuch-dev"));
    /// ```
    pub fn find_with(&self, env: &dyn Env, ctx: &Context) -> Result<Found, FindError> {
        let target = Target::from_env(env);
        let statik = self.static_preference(env)?;
        let mut attempts = Vec::new();

        let mut found = if let Some(found) =
            self.rung_env(env, ctx, &target, statik, &mut attempts)?
        {
            found
        } else if let Some(found) = self.rung_vendored(env, ctx, &mut attempts)? {
            found
        } else if let Some(found) = self.rung_system(ctx, &target, statik, &mut attempts) {
            found
        } else if let Some(found) = self.rung_system_paths(env, ctx, &target, statik, &mut attempts)
        {
            found
        } else if let Some(found) = self.rung_deps_source(ctx, &mut attempts)? {
            found
        } else if let Some(found) = self.rung_deps_prebuilt(ctx, &target, statik, &mut attempts) {
            found
        } else {
            return Err(FindError::NotFound {
                library: self.name.clone(),
                attempts,
                help: self.help(ctx),
            });
        };

        found.attempts = attempts;
        if self.cpp {
            found.cxx_stdlib = target.cxx_stdlib(env);
        }
        if found.version.is_none() && ctx.probe_version && self.version_probe.is_some() {
            match self.probe_version(&found, &ctx.out_dir) {
                Ok(version) => found.version = Some(version),
                Err(err) => found.warnings.push(format!("version probe failed: {err}")),
            }
        }
        if let (Some(version), Some(pc)) = (&found.version, &self.pkg_config) {
            if version::in_range(version, &pc.min, &pc.max_exclusive) == Some(false) {
                found.warnings.push(format!(
                    "version {version} is outside the supported range [{}, {})",
                    pc.min, pc.max_exclusive
                ));
            }
        }
        self.add_watch_paths(&mut found, ctx);
        Ok(found)
    }

    fn var_name(&self, suffix: &str) -> String {
        format!("{}_{suffix}", self.env_prefix)
    }

    fn link_names(&self) -> Vec<String> {
        if self.lib_names.is_empty() {
            vec![self.name.clone()]
        } else {
            self.lib_names.clone()
        }
    }

    fn static_preference(&self, env: &dyn Env) -> Result<Option<bool>, FindError> {
        let var = self.var_name("STATIC");
        match env.var(&var) {
            None => Ok(None),
            Some(value) => parse_flag(&value)
                .map(Some)
                .map_err(|value| FindError::InvalidEnv {
                    var,
                    message: format!("`{value}` is not 1/0/true/false/yes/no/on/off"),
                }),
        }
    }

    /// Rung 1: `<LIB>_SRC_DIR`, `<LIB>_DIR`, `<LIB>_INCLUDE_DIR`, `<LIB>_LIB_DIR`.
    fn rung_env(
        &self,
        env: &dyn Env,
        ctx: &Context,
        target: &Target,
        statik: Option<bool>,
        attempts: &mut Vec<Attempt>,
    ) -> Result<Option<Found>, FindError> {
        let (src_var, dir_var, inc_var, lib_var) = (
            self.var_name("SRC_DIR"),
            self.var_name("DIR"),
            self.var_name("INCLUDE_DIR"),
            self.var_name("LIB_DIR"),
        );
        let src = non_empty(env, &src_var);
        let dir = non_empty(env, &dir_var);
        let inc = non_empty(env, &inc_var);
        let lib = non_empty(env, &lib_var);

        if let Some(src) = src {
            if dir.is_some() || inc.is_some() || lib.is_some() {
                return Err(FindError::InvalidEnv {
                    var: src_var,
                    message: format!(
                        "set together with {dir_var}/{inc_var}/{lib_var}; set either a source \
                         tree or a prebuilt library, not both"
                    ),
                });
            }
            let Some(spec) = &self.source else {
                return Err(FindError::InvalidEnv {
                    var: src_var,
                    message: format!("{} has no source build configured", self.name),
                });
            };
            let tree = existing_dir(&src_var, &src)?;
            if !tree.join(&spec.sentinel).is_file() {
                return Err(FindError::InvalidEnv {
                    var: src_var,
                    message: format!(
                        "{src} has no {} (not a {} source tree?)",
                        spec.sentinel, self.name
                    ),
                });
            }
            let location = format!("{src_var}={src}");
            return self
                .source_found(Route::EnvSource, spec, tree, location, ctx)
                .map(Some);
        }

        if dir.is_none() && inc.is_none() && lib.is_none() {
            attempts.push(Attempt {
                rung: "env",
                outcome: format!("none of {dir_var}, {inc_var}, {lib_var}, {src_var} is set"),
            });
            return Ok(None);
        }

        let prefix = match &dir {
            Some(dir) => Some(existing_dir(&dir_var, dir)?),
            None => None,
        };
        // A header-less library (its declarations live in the -sys crate, e.g. Boost.Context's
        // fcontext) needs no include directory: `<LIB>_LIB_DIR` alone, or a `<LIB>_DIR`
        // prefix without `include/`, is enough.
        let header_less = self.header.is_none();
        let include = match (&inc, &prefix) {
            (Some(inc), _) => Some((existing_dir(&inc_var, inc)?, &inc_var)),
            (None, Some(prefix)) if header_less && !prefix.join("include").is_dir() => None,
            (None, Some(prefix)) => Some((prefix.join("include"), &dir_var)),
            (None, None) if header_less => None,
            (None, None) => {
                return Err(FindError::InvalidEnv {
                    var: lib_var.clone(),
                    message: format!(
                        "set without {inc_var}; set {inc_var} too, or {dir_var} to a prefix \
                         with include/ and lib/"
                    ),
                })
            }
        };
        let mut rerun_paths = Vec::new();
        if let Some((include_dir, include_var)) = &include {
            if !include_dir.is_dir() {
                return Err(FindError::InvalidEnv {
                    var: (*include_var).clone(),
                    message: format!("{} is not a directory", include_dir.display()),
                });
            }
            if let Some(header) = &self.header {
                let path = include_dir.join(header);
                if !path.is_file() {
                    return Err(FindError::InvalidEnv {
                        var: (*include_var).clone(),
                        message: format!("{} has no {header}", include_dir.display()),
                    });
                }
                rerun_paths.push(path);
            }
        }
        let include_dir = include.map(|(dir, _)| dir);

        let (lib_dirs, lib_dirs_var) = match (&lib, &prefix) {
            (Some(lib), _) => (vec![existing_dir(&lib_var, lib)?], &lib_var),
            (None, Some(prefix)) => (prefix_lib_dirs(prefix, target), &dir_var),
            (None, None) => {
                return Err(FindError::InvalidEnv {
                    var: inc_var.clone(),
                    message: format!(
                        "set without {lib_var}; set {lib_var} too, or {dir_var} to a prefix \
                         with include/ and lib/"
                    ),
                })
            }
        };
        let order: &[LinkKind] = match statik {
            Some(true) => &[LinkKind::Static],
            Some(false) => &[LinkKind::Dynamic],
            None => &[LinkKind::Dynamic, LinkKind::Static],
        };
        let names = self.link_names();
        let Some(hit) = find_lib_file(&lib_dirs, &names, order, target) else {
            return Err(FindError::InvalidEnv {
                var: lib_dirs_var.clone(),
                message: format!(
                    "no {} in {}{}",
                    candidate_files(&names, order, target).join(" / "),
                    join_display(&lib_dirs),
                    match statik {
                        Some(s) => format!(" ({}={})", self.var_name("STATIC"), u8::from(s)),
                        None => String::new(),
                    }
                ),
            });
        };
        let root = match (&prefix, &include_dir) {
            (Some(prefix), _) => prefix.clone(),
            (None, Some(inc)) => inc.parent().map_or_else(|| inc.clone(), Path::to_path_buf),
            (None, None) => hit
                .dir
                .parent()
                .map_or_else(|| hit.dir.clone(), Path::to_path_buf),
        };
        Ok(Some(self.prebuilt_found(
            Route::Env,
            root,
            include_dir.into_iter().collect(),
            hit,
            rerun_paths,
            ctx,
        )))
    }

    /// Rung 2: `<root>/vendor/<lib>`.
    fn rung_vendored(
        &self,
        env: &dyn Env,
        ctx: &Context,
        attempts: &mut Vec<Attempt>,
    ) -> Result<Option<Found>, FindError> {
        let mut skip = |outcome: String| {
            attempts.push(Attempt {
                rung: "vendored",
                outcome,
            });
            Ok(None)
        };
        let Some(spec) = &self.source else {
            return skip("no source build configured".into());
        };
        let Some(root) = &ctx.root else {
            return skip(
                "no workspace root (no ancestor whose Cargo.toml has [workspace]; set ARSENAL_ROOT)"
                    .into(),
            );
        };
        let no_vendor = self.var_name("NO_VENDOR");
        if let Some(value) = env.var(&no_vendor) {
            if parse_flag(&value).unwrap_or(true) {
                return skip(format!("{no_vendor} is set"));
            }
        }
        let tree = root.join("vendor").join(&self.name);
        let shown = display_path(&tree, Some(root));
        if tree.join(&spec.sentinel).is_file() {
            return self
                .source_found(Route::Vendored, spec, tree, shown, ctx)
                .map(Some);
        }
        if tree.is_dir() {
            skip(format!(
                "{shown} has no {} (submodule not initialised: git submodule update --init vendor/{})",
                spec.sentinel, self.name
            ))
        } else {
            skip(format!("{shown} does not exist"))
        }
    }

    /// Rung 3a: pkg-config.
    fn rung_system(
        &self,
        ctx: &Context,
        target: &Target,
        statik: Option<bool>,
        attempts: &mut Vec<Attempt>,
    ) -> Option<Found> {
        let Some(pc) = &self.pkg_config else {
            attempts.push(Attempt {
                rung: "system",
                outcome: "no pkg-config name configured".into(),
            });
            return None;
        };
        let want_static = statik.unwrap_or(false);
        let probed = pkg_config::Config::new()
            .range_version(pc.min.as_str()..pc.max_exclusive.as_str())
            .cargo_metadata(false)
            .env_metadata(true)
            .statik(want_static)
            .probe(&pc.name);
        let lib = match probed {
            Ok(lib) => lib,
            Err(err) => {
                attempts.push(Attempt {
                    rung: "system",
                    outcome: format!(
                        "pkg-config {} in [{}, {}): {}",
                        pc.name,
                        pc.min,
                        pc.max_exclusive,
                        condense_pkg_config_error(&err.to_string())
                    ),
                });
                return None;
            }
        };
        let variable = |name: &str| {
            pkg_config::get_variable(&pc.name, name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(PathBuf::from)
        };
        let prefix = variable("prefix").unwrap_or_else(|| PathBuf::from("/usr"));
        let mut include_dirs = lib.include_paths.clone();
        if let Some(dir) = variable("includedir") {
            if !include_dirs.contains(&dir) {
                include_dirs.push(dir);
            }
        }
        let mut lib_dirs = lib.link_paths.clone();
        let libdir = variable("libdir");
        let mut libs = Vec::new();
        for name in &lib.libs {
            let mut kind = LinkKind::Dynamic;
            if want_static {
                let static_names = target.static_file_names(name);
                let found_in = lib_dirs
                    .iter()
                    .chain(libdir.iter())
                    .find(|d| static_names.iter().any(|f| d.join(f).is_file()))
                    .cloned();
                if let Some(dir) = found_in {
                    kind = LinkKind::Static;
                    if !lib_dirs.contains(&dir) {
                        lib_dirs.push(dir);
                    }
                }
            }
            libs.push((kind, name.clone()));
        }
        let mut warnings = Vec::new();
        if !lib.link_files.is_empty() {
            warnings.push(format!(
                "pkg-config listed library files that are not linked: {}",
                join_display(&lib.link_files)
            ));
        }
        let defines = lib
            .defines
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let kind = libs.first().map_or(LinkKind::Dynamic, |(kind, _)| *kind);
        Some(Found {
            route: Route::System,
            include_dirs,
            version: Some(lib.version.clone()).filter(|v| !v.is_empty()),
            root: prefix.clone(),
            name: self.name.clone(),
            cpp: self.cpp,
            sources: Vec::new(),
            lib_dirs,
            libs,
            defines,
            cxx_stdlib: None,
            out_dir: ctx.out_dir.clone(),
            location: format!(
                "pkg-config {}, prefix {}, {kind}",
                pc.name,
                prefix.display()
            ),
            attempts: Vec::new(),
            warnings,
            rerun_paths: Vec::new(),
            compiled: Cell::new(false),
        })
    }

    /// Rung 3a': the system prefixes, for libraries without a pkg-config file. Records no
    /// attempt for libraries that did not opt in (it is not one of their rungs).
    fn rung_system_paths(
        &self,
        env: &dyn Env,
        ctx: &Context,
        target: &Target,
        statik: Option<bool>,
        attempts: &mut Vec<Attempt>,
    ) -> Option<Found> {
        if !self.system_paths {
            return None;
        }
        let mut skip = |outcome: String| {
            attempts.push(Attempt {
                rung: "system-paths",
                outcome,
            });
            None
        };
        if ctx.system_prefixes.is_empty() {
            return skip("no system prefixes configured".into());
        }
        // A cross build must not pick the host's own libraries from lib/ or lib64/.
        let cross = matches!(
            (non_empty(env, "HOST"), non_empty(env, "TARGET")),
            (Some(host), Some(target)) if host != target
        );
        let multiarch = target.multiarch();
        if cross && multiarch.is_none() {
            return skip("cross-compiling to a target without a multiarch directory".into());
        }
        let order: &[LinkKind] = match statik {
            Some(true) => &[LinkKind::Static],
            Some(false) => &[LinkKind::Dynamic],
            None => &[LinkKind::Dynamic, LinkKind::Static],
        };
        let names = self.link_names();
        let mut misses = Vec::new();
        for prefix in &ctx.system_prefixes {
            let include_dir = prefix.join("include");
            let mut rerun_paths = Vec::new();
            if let Some(header) = &self.header {
                let path = include_dir.join(header);
                if !path.is_file() {
                    misses.push(format!("no {}", path.display()));
                    continue;
                }
                rerun_paths.push(path);
            } else if !include_dir.is_dir() {
                misses.push(format!("no {}", include_dir.display()));
                continue;
            }
            let lib_dirs = match (&multiarch, cross) {
                (Some(ma), true) => vec![prefix.join("lib").join(ma)],
                _ => prefix_lib_dirs(prefix, target),
            };
            match find_lib_file(&lib_dirs, &names, order, target) {
                Some(hit) => {
                    return Some(self.prebuilt_found(
                        Route::System,
                        prefix.clone(),
                        vec![include_dir],
                        hit,
                        rerun_paths,
                        ctx,
                    ))
                }
                None => misses.push(format!(
                    "{} has {} but no {} in {}",
                    prefix.display(),
                    if self.header.is_some() {
                        "the header"
                    } else {
                        "include/"
                    },
                    candidate_files(&names, order, target).join(" / "),
                    join_display(&lib_dirs)
                )),
            }
        }
        skip(misses.join("; "))
    }

    /// Rung 3b: `<deps>/src/<lib>`.
    fn rung_deps_source(
        &self,
        ctx: &Context,
        attempts: &mut Vec<Attempt>,
    ) -> Result<Option<Found>, FindError> {
        let mut skip = |outcome: String| {
            attempts.push(Attempt {
                rung: "deps-source",
                outcome,
            });
            Ok(None)
        };
        let Some(spec) = &self.source else {
            return skip("no source build configured".into());
        };
        let Some(deps) = &ctx.deps_dir else {
            return skip("no deps dir (set ARSENAL_DEPS_DIR or ARSENAL_ROOT)".into());
        };
        let tree = deps.join("src").join(&self.name);
        let shown = display_path(&tree, ctx.root.as_deref());
        if tree.join(&spec.sentinel).is_file() {
            return self
                .source_found(Route::DepsSource, spec, tree, shown, ctx)
                .map(Some);
        }
        skip(format!("{shown} has no {}", spec.sentinel))
    }

    /// Rung 3c: `<deps>/root/usr`.
    fn rung_deps_prebuilt(
        &self,
        ctx: &Context,
        target: &Target,
        statik: Option<bool>,
        attempts: &mut Vec<Attempt>,
    ) -> Option<Found> {
        let mut skip = |outcome: String| {
            attempts.push(Attempt {
                rung: "deps-prebuilt",
                outcome,
            });
            None
        };
        let Some(deps) = &ctx.deps_dir else {
            return skip("no deps dir (set ARSENAL_DEPS_DIR or ARSENAL_ROOT)".into());
        };
        let shown = |p: &Path| display_path(p, ctx.root.as_deref());
        let prefix = deps.join("root").join("usr");
        let include_dir = prefix.join("include");
        let mut rerun_paths = Vec::new();
        if let Some(header) = &self.header {
            let path = include_dir.join(header);
            if !path.is_file() {
                return skip(format!("{} has no {header}", shown(&include_dir)));
            }
            rerun_paths.push(path);
        } else if !include_dir.is_dir() {
            return skip(format!("{} does not exist", shown(&include_dir)));
        }
        // Prefer static: a Debian .so may need a newer glibc than this machine has.
        let order: &[LinkKind] = match statik {
            Some(true) => &[LinkKind::Static],
            Some(false) => &[LinkKind::Dynamic],
            None => &[LinkKind::Static, LinkKind::Dynamic],
        };
        let lib_dirs = debian_lib_dirs(&prefix, target);
        let names = self.link_names();
        let Some(hit) = find_lib_file(&lib_dirs, &names, order, target) else {
            let dirs: Vec<String> = lib_dirs.iter().map(|d| shown(d)).collect();
            return skip(format!(
                "no {} in {}",
                candidate_files(&names, order, target).join(" / "),
                dirs.join(", ")
            ));
        };
        Some(self.prebuilt_found(
            Route::DepsPrebuilt,
            prefix,
            vec![include_dir],
            hit,
            rerun_paths,
            ctx,
        ))
    }

    fn prebuilt_found(
        &self,
        route: Route,
        root: PathBuf,
        include_dirs: Vec<PathBuf>,
        hit: LibHit,
        mut rerun_paths: Vec<PathBuf>,
        ctx: &Context,
    ) -> Found {
        let location = format!(
            "{}, {}",
            display_path(&hit.file, ctx.root.as_deref()),
            hit.kind
        );
        rerun_paths.push(hit.file);
        Found {
            route,
            include_dirs,
            version: None,
            root,
            name: self.name.clone(),
            cpp: self.cpp,
            sources: Vec::new(),
            lib_dirs: vec![hit.dir],
            libs: vec![(hit.kind, hit.name)],
            defines: Vec::new(),
            cxx_stdlib: None,
            out_dir: ctx.out_dir.clone(),
            location,
            attempts: Vec::new(),
            warnings: Vec::new(),
            rerun_paths,
            compiled: Cell::new(false),
        }
    }

    fn source_found(
        &self,
        route: Route,
        spec: &SourceSpec,
        tree: PathBuf,
        location: String,
        ctx: &Context,
    ) -> Result<Found, FindError> {
        let mut include_dirs = Vec::new();
        let mut rerun_paths = vec![tree.join(&spec.sentinel)];
        if let Some((rel, contents)) = &self.config_header {
            let dir = ctx.out_dir.join(format!("arsenal-{}-config", self.name));
            write_if_changed(&dir.join(rel), contents)?;
            include_dirs.push(dir);
        }
        for rel in &spec.include_dirs {
            let dir = tree.join(rel);
            if !dir.is_dir() {
                return Err(FindError::InvalidSourceTree {
                    path: tree,
                    message: format!("include directory {rel} is missing"),
                });
            }
            rerun_paths.push(dir.clone());
            include_dirs.push(dir);
        }
        if let Some(header) = &self.header {
            if !include_dirs.iter().any(|d| d.join(header).is_file()) {
                return Err(FindError::InvalidSourceTree {
                    path: tree,
                    message: format!(
                        "none of its include directories ({}) holds {header}",
                        spec.include_dirs.join(", ")
                    ),
                });
            }
        }
        let sources = resolve_sources(&tree, &spec.files)?;
        rerun_paths.extend(sources.iter().cloned());
        rerun_paths.sort();
        rerun_paths.dedup();
        Ok(Found {
            route,
            include_dirs,
            version: None,
            root: tree,
            name: self.name.clone(),
            cpp: self.cpp,
            sources,
            lib_dirs: vec![ctx.out_dir.clone()],
            libs: vec![(LinkKind::Static, archive_name(&self.name))],
            defines: self.defines.clone(),
            cxx_stdlib: None,
            out_dir: ctx.out_dir.clone(),
            location,
            attempts: Vec::new(),
            warnings: Vec::new(),
            rerun_paths,
            compiled: Cell::new(false),
        })
    }

    /// Directories whose change could make an earlier rung win next time.
    fn add_watch_paths(&self, found: &mut Found, ctx: &Context) {
        let mut watch = Vec::new();
        if matches!(
            found.route,
            Route::System | Route::DepsSource | Route::DepsPrebuilt
        ) && self.source.is_some()
        {
            if let Some(root) = &ctx.root {
                watch.push(root.join("vendor").join(&self.name));
            }
        }
        if found.route == Route::DepsPrebuilt && self.source.is_some() {
            if let Some(deps) = &ctx.deps_dir {
                watch.push(deps.join("src"));
            }
        }
        found
            .rerun_paths
            .extend(watch.into_iter().filter(|p| p.is_dir()));
    }

    fn probe_version(&self, found: &Found, out_dir: &Path) -> Result<String, String> {
        let Some(probe) = &self.version_probe else {
            return Err("no version probe configured".into());
        };
        let ext = if self.cpp { "cpp" } else { "c" };
        let path = out_dir.join(format!("{}_version_probe.{ext}", archive_name(&self.name)));
        write_if_changed(&path, &version::probe_source(&probe.header, &probe.macros))
            .map_err(|e| e.to_string())?;
        let mut build = cc::Build::new();
        build
            .cargo_metadata(false)
            .warnings(false)
            .cpp(self.cpp)
            .out_dir(out_dir)
            .includes(&found.include_dirs)
            .file(&path);
        if self.cpp {
            build.std("c++17");
        }
        for (key, value) in &found.defines {
            build.define(key, value.as_deref());
        }
        let expanded = build.try_expand().map_err(|e| e.to_string())?;
        version::parse_version_probe(&String::from_utf8_lossy(&expanded), probe.macros.len())
            .ok_or_else(|| {
                format!(
                    "{} does not define {} as numbers or string literals",
                    probe.header,
                    probe.macros.join(", ")
                )
            })
    }

    /// The "get it with one of" lines of the not-found message.
    fn help(&self, ctx: &Context) -> String {
        if let Some(help) = &self.not_found_help {
            return help.clone();
        }
        let p = &self.env_prefix;
        let name = &self.name;
        let mut lines = Vec::new();
        if self.source.is_some() {
            lines.push(format!(
                "  - git submodule update --init vendor/{name}   (compiles the pinned upstream sources)"
            ));
        }
        let deps = ctx.deps_dir.as_deref().map_or_else(
            || ".deps".to_string(),
            |d| display_path(d, ctx.root.as_deref()),
        );
        let packages = self.debian_packages.join(" ");
        if packages.is_empty() {
            lines.push(format!("  - scripts/bootstrap   (fills {deps}/)"));
        } else if self.system_paths && self.pkg_config.is_none() {
            let prefixes = if ctx.system_prefixes.is_empty() {
                "/usr/local, /usr".to_string()
            } else {
                join_display(&ctx.system_prefixes)
            };
            lines.push(format!(
                "  - scripts/bootstrap   (installs {packages} with apt-get, as root or through sudo)"
            ));
            lines.push(format!(
                "  - apt-get install {packages}   (system-wide; found in include/ and \
                 lib/<multiarch>/ of {prefixes})"
            ));
        } else {
            lines.push(format!(
                "  - scripts/bootstrap   (unpacks Debian's {packages} into {deps}/, no root needed)"
            ));
            if let Some(pc) = &self.pkg_config {
                lines.push(format!(
                    "  - apt-get install {packages}   (system-wide; found through pkg-config as `{}`)",
                    pc.name
                ));
            }
        }
        lines.push(format!(
            "  - set {p}_SRC_DIR to a {name} source tree, or {p}_DIR to an installed prefix \
             (or {p}_INCLUDE_DIR and {p}_LIB_DIR); {p}_STATIC=1 links it statically, \
             {p}_NO_VENDOR=1 skips vendor/{name}"
        ));
        lines.join("\n")
    }
}

/// `lib64`, `lib/<multiarch>` and `lib` under an installation prefix.
fn prefix_lib_dirs(prefix: &Path, target: &Target) -> Vec<PathBuf> {
    let mut dirs = vec![prefix.join("lib64")];
    if let Some(multiarch) = target.multiarch() {
        dirs.push(prefix.join("lib").join(multiarch));
    }
    dirs.push(prefix.join("lib"));
    dirs
}

/// `lib/<multiarch>` and `lib` under a Debian `usr` prefix.
fn debian_lib_dirs(usr: &Path, target: &Target) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(multiarch) = target.multiarch() {
        dirs.push(usr.join("lib").join(multiarch));
    }
    dirs.push(usr.join("lib"));
    dirs
}

fn file_names(target: &Target, kind: LinkKind, name: &str) -> Vec<String> {
    match kind {
        LinkKind::Static => target.static_file_names(name),
        LinkKind::Dynamic => target.dynamic_file_names(name),
    }
}

/// The first library file in preference order: link kind, then directory, then name.
fn find_lib_file(
    dirs: &[PathBuf],
    names: &[String],
    order: &[LinkKind],
    target: &Target,
) -> Option<LibHit> {
    for &kind in order {
        for dir in dirs {
            for name in names {
                for file in file_names(target, kind, name) {
                    let path = dir.join(&file);
                    if path.is_file() {
                        return Some(LibHit {
                            dir: dir.clone(),
                            name: name.clone(),
                            kind,
                            file: path,
                        });
                    }
                }
            }
        }
    }
    None
}

fn candidate_files(names: &[String], order: &[LinkKind], target: &Target) -> Vec<String> {
    order
        .iter()
        .flat_map(|&kind| names.iter().flat_map(move |n| file_names(target, kind, n)))
        .collect()
}

fn join_display(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_c_or_cpp_source(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("c" | "cc" | "cpp" | "cxx")
    )
}

/// The configured sources, resolved against `tree`, directories expanded, sorted.
fn resolve_sources(tree: &Path, files: &[String]) -> Result<Vec<PathBuf>, FindError> {
    let mut sources = Vec::new();
    for rel in files {
        let path = tree.join(rel);
        if path.is_dir() {
            let entries = fs::read_dir(&path).map_err(|source| FindError::Io {
                path: path.clone(),
                source,
            })?;
            for entry in entries {
                let entry = entry.map_err(|source| FindError::Io {
                    path: path.clone(),
                    source,
                })?;
                let file = entry.path();
                if file.is_file() && is_c_or_cpp_source(&file) {
                    sources.push(file);
                }
            }
        } else if path.is_file() {
            sources.push(path);
        } else {
            return Err(FindError::InvalidSourceTree {
                path: tree.to_path_buf(),
                message: format!("source {rel} is missing"),
            });
        }
    }
    sources.sort();
    sources.dedup();
    if sources.is_empty() {
        return Err(FindError::InvalidSourceTree {
            path: tree.to_path_buf(),
            message: "no C/C++ source files to compile".into(),
        });
    }
    Ok(sources)
}

/// Writes `contents` unless the file already holds exactly that (keeps mtimes stable).
fn write_if_changed(path: &Path, contents: &str) -> Result<(), FindError> {
    let io_err = |source| FindError::Io {
        path: path.to_path_buf(),
        source,
    };
    if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err)?;
    }
    fs::write(path, contents).map_err(io_err)
}

/// The useful line of a pkg-config error: the first line of its stderr when there is one.
fn condense_pkg_config_error(message: &str) -> String {
    let stderr = message
        .split_once("--- stderr")
        .and_then(|(_, rest)| rest.lines().map(str::trim).find(|l| !l.is_empty()));
    stderr
        .or_else(|| message.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("failed")
        .to_string()
}

#[cfg(test)]
mod tests;
