//! The result of a search and what a build script does with it.

use std::cell::Cell;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::Attempt;
use crate::version;

/// The rung of the ladder that supplied the library.
///
/// `Display` gives the name used in build logs and in `DEP_<LINKS>_ROUTE`:
/// `env`, `env-source`, `vendored`, `system`, `deps-source`, `deps-prebuilt`.
///
/// ```
/// use arsenal_build::Route;
/// assert_eq!(Route::DepsPrebuilt.to_string(), "deps-prebuilt");
/// assert!(Route::Vendored.is_source());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    /// A prebuilt library named by `<LIB>_DIR` / `<LIB>_INCLUDE_DIR` / `<LIB>_LIB_DIR`.
    Env,
    /// A source tree named by `<LIB>_SRC_DIR`, compiled with `cc`.
    EnvSource,
    /// The git submodule `vendor/<lib>`, compiled with `cc`.
    Vendored,
    /// The system library, found through pkg-config or, for libraries that opt in with
    /// [`Library::system_paths`](crate::Library::system_paths), in the system prefixes.
    System,
    /// A source tree under `<deps>/src/<lib>` (from `scripts/bootstrap`), compiled with `cc`.
    DepsSource,
    /// Debian's prebuilt library unpacked under `<deps>/root/usr` by `scripts/bootstrap`.
    DepsPrebuilt,
}

impl Route {
    /// The route's name, as `Display` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            Route::Env => "env",
            Route::EnvSource => "env-source",
            Route::Vendored => "vendored",
            Route::System => "system",
            Route::DepsSource => "deps-source",
            Route::DepsPrebuilt => "deps-prebuilt",
        }
    }

    /// The library is compiled from source by [`Found::link`].
    pub fn is_source(self) -> bool {
        matches!(self, Route::EnvSource | Route::Vendored | Route::DepsSource)
    }

    /// A fallback: neither asked for explicitly nor the default vendored build, so the
    /// build log warns about every rung that was skipped on the way.
    pub fn is_fallback(self) -> bool {
        matches!(
            self,
            Route::System | Route::DepsSource | Route::DepsPrebuilt
        )
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a library is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// A static archive (`cargo::rustc-link-lib=static=…`).
    Static,
    /// A shared library (`cargo::rustc-link-lib=dylib=…`).
    Dynamic,
}

impl LinkKind {
    /// The kind as `rustc-link-lib` spells it: `static` or `dylib`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Static => "static",
            LinkKind::Dynamic => "dylib",
        }
    }
}

impl fmt::Display for LinkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LinkKind::Static => "static",
            LinkKind::Dynamic => "dynamic",
        })
    }
}

/// A library that [`Library::find`](crate::Library::find) found: where its headers are, how
/// to link it, and which version it is.
///
/// A build script compiles its shim with [`shim_build`](Found::shim_build), then calls
/// [`link`](Found::link) (shim first, library second: that is the link order static
/// archives need) and [`emit_metadata`](Found::emit_metadata).
#[derive(Debug, Clone)]
pub struct Found {
    /// The rung that supplied the library.
    pub route: Route,
    /// Directories to put on the include path when compiling against the library (for
    /// source routes the written config header's directory comes first).
    pub include_dirs: Vec<PathBuf>,
    /// The library's version, from the header probe (or pkg-config for the system route);
    /// `None` when it could not be determined or probing was off.
    pub version: Option<String>,
    /// The source tree (source routes) or installation prefix (prebuilt routes).
    pub root: PathBuf,
    pub(crate) name: String,
    pub(crate) cpp: bool,
    pub(crate) sources: Vec<PathBuf>,
    pub(crate) lib_dirs: Vec<PathBuf>,
    pub(crate) libs: Vec<(LinkKind, String)>,
    pub(crate) defines: Vec<(String, Option<String>)>,
    pub(crate) cxx_stdlib: Option<String>,
    pub(crate) out_dir: PathBuf,
    pub(crate) location: String,
    pub(crate) attempts: Vec<Attempt>,
    pub(crate) warnings: Vec<String>,
    pub(crate) rerun_paths: Vec<PathBuf>,
    pub(crate) compiled: Cell<bool>,
}

impl Found {
    /// The library's name as given to [`Library::new`](crate::Library::new).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The library is C++ (its shim and source build use `-std=c++17`; linking adds the
    /// C++ standard library).
    pub fn is_cpp(&self) -> bool {
        self.cpp
    }

    /// Source files [`link`](Found::link) compiles (source routes; empty otherwise), sorted.
    pub fn sources(&self) -> &[PathBuf] {
        &self.sources
    }

    /// Directories [`link`](Found::link) adds to the native library search path.
    pub fn lib_dirs(&self) -> &[PathBuf] {
        &self.lib_dirs
    }

    /// Libraries [`link`](Found::link) links, in order (the C++ standard library, added
    /// after them for C++ libraries, is not listed). Source routes link the archive
    /// `<name>_arsenal` that `link` compiles.
    pub fn link_libs(&self) -> &[(LinkKind, String)] {
        &self.libs
    }

    /// Preprocessor definitions used for source builds and the shim.
    pub fn defines(&self) -> &[(String, Option<String>)] {
        &self.defines
    }

    /// The rungs tried before the one that found the library.
    pub fn attempts(&self) -> &[Attempt] {
        &self.attempts
    }

    /// Things worth a `cargo::warning` (failed version probe, version outside the
    /// supported range, ...).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The one-line summary printed to the build log, e.g.
    /// `arsenal-build: yyjson: route=vendored version=0.10.0 (vendor/yyjson)`.
    pub fn summary(&self) -> String {
        format!(
            "arsenal-build: {}: route={} version={} ({})",
            self.name,
            self.route,
            self.version.as_deref().unwrap_or("unknown"),
            self.location
        )
    }

    /// The version is at least `major.minor.patch`; `false` when the version is unknown.
    ///
    /// ```
    /// # fn demo(found: &arsenal_build::Found) {
    /// if found.version_at_least(0, 10, 0) {
    ///     // use the 0.10 API
    /// }
    /// # }
    /// ```
    pub fn version_at_least(&self, major: u32, minor: u32, patch: u32) -> bool {
        self.version.as_deref().is_some_and(|v| {
            version::compare(v, &format!("{major}.{minor}.{patch}"))
                .is_some_and(|o| o != std::cmp::Ordering::Less)
        })
    }

    /// A `cc::Build` for the sys crate's own shim: include dirs, defines, C++ mode with
    /// `-std=c++17` for C++ libraries, cargo's opt level, and warnings on (it is our code).
    ///
    /// ```no_run
    /// # fn demo(found: &arsenal_build::Found) {
    /// found.shim_build().file("shim/yyjson_shim.c").compile("arsenal_yyjson_shim");
    /// found.link();
    /// # }
    /// ```
    pub fn shim_build(&self) -> cc::Build {
        let mut build = cc::Build::new();
        build
            .cpp(self.cpp)
            .includes(&self.include_dirs)
            .warnings(true);
        if self.cpp {
            // `link()` adds the C++ standard library once, after the library itself.
            build.std("c++17").cpp_link_stdlib(None);
        }
        for (key, value) in &self.defines {
            build.define(key, value.as_deref());
        }
        build
    }

    /// Links the library: source routes first compile it into
    /// `OUT_DIR/lib<name>_arsenal.a` (once per `Found`); then every route emits
    /// `cargo::rustc-link-search` / `cargo::rustc-link-lib`, and C++ libraries the C++
    /// standard library (`CXXSTDLIB` overrides it).
    ///
    /// Call it after compiling the shim, so the shim comes before the library on the link
    /// line. Panics with the compiler's message when the source build fails.
    pub fn link(&self) {
        if self.route.is_source() && !self.compiled.replace(true) {
            self.compile_sources();
        }
        for line in self.link_lines() {
            println!("{line}");
        }
    }

    fn compile_sources(&self) {
        let mut build = cc::Build::new();
        build
            .cpp(self.cpp)
            .cpp_link_stdlib(None)
            .cargo_metadata(false)
            .out_dir(&self.out_dir)
            .files(&self.sources)
            .includes(&self.include_dirs)
            .warnings(false)
            .extra_warnings(false)
            .flag_if_supported("-fvisibility=hidden");
        if self.cpp {
            build.std("c++17");
        }
        for (key, value) in &self.defines {
            build.define(key, value.as_deref());
        }
        if let Err(err) = build.try_compile(&self.archive_name()) {
            panic!(
                "arsenal-build: compiling {} from {} ({}) failed: {err}",
                self.name,
                self.root.display(),
                self.route
            );
        }
    }

    pub(crate) fn archive_name(&self) -> String {
        archive_name(&self.name)
    }

    pub(crate) fn link_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for dir in &self.lib_dirs {
            lines.push(format!("cargo::rustc-link-search=native={}", dir.display()));
        }
        for (kind, lib) in &self.libs {
            lines.push(format!("cargo::rustc-link-lib={}={lib}", kind.as_str()));
        }
        if self.cpp {
            if let Some(stdlib) = &self.cxx_stdlib {
                lines.push(format!("cargo::rustc-link-lib={stdlib}"));
            }
        }
        lines
    }

    /// Exports the search result to dependents (`links` must be set in the sys crate's
    /// `Cargo.toml`): `include` (include dirs joined with the platform's path separator),
    /// `root`, `version` (when known) and `route`, seen by dependents' build scripts as
    /// `DEP_<LINKS>_INCLUDE`, `DEP_<LINKS>_ROOT`, `DEP_<LINKS>_VERSION`, `DEP_<LINKS>_ROUTE`.
    pub fn emit_metadata(&self) {
        for line in self.metadata_lines() {
            println!("{line}");
        }
    }

    pub(crate) fn metadata_lines(&self) -> Vec<String> {
        let include = match std::env::join_paths(&self.include_dirs) {
            Ok(joined) => joined.to_string_lossy().into_owned(),
            Err(err) => panic!(
                "arsenal-build: {}: cannot export include dirs {:?}: {err}",
                self.name, self.include_dirs
            ),
        };
        let mut lines = vec![
            format!("cargo::metadata=include={include}"),
            format!("cargo::metadata=root={}", self.root.display()),
        ];
        if let Some(version) = &self.version {
            lines.push(format!("cargo::metadata=version={version}"));
        }
        lines.push(format!("cargo::metadata=route={}", self.route));
        lines
    }

    /// Declares each cfg with `cargo::rustc-check-cfg` and turns on those whose minimum
    /// version the library meets. An unknown version turns none on (with a warning).
    ///
    /// ```no_run
    /// # fn demo(found: &arsenal_build::Found) {
    /// found.emit_version_cfgs(&[("yyjson_0_10", (0, 10, 0))]);
    /// // src/lib.rs: #[cfg(yyjson_0_10)] ...
    /// # }
    /// ```
    pub fn emit_version_cfgs(&self, cfgs: &[(&str, (u32, u32, u32))]) {
        for line in self.version_cfg_lines(cfgs) {
            println!("{line}");
        }
    }

    pub(crate) fn version_cfg_lines(&self, cfgs: &[(&str, (u32, u32, u32))]) -> Vec<String> {
        let mut lines = Vec::new();
        for (name, (major, minor, patch)) in cfgs {
            lines.push(format!("cargo::rustc-check-cfg=cfg({name})"));
            if self.version_at_least(*major, *minor, *patch) {
                lines.push(format!("cargo::rustc-cfg={name}"));
            }
        }
        if self.version.is_none() && !cfgs.is_empty() {
            lines.push(format!(
                "cargo::warning=arsenal-build: {}: version unknown, so the version cfgs stay off",
                self.name
            ));
        }
        lines
    }

    /// The build-log lines `find()` prints: every rung tried, the route (also as a
    /// warning so `cargo build` shows it), warnings, and `rerun-if-changed` paths.
    pub(crate) fn report_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for attempt in &self.attempts {
            lines.push(format!("arsenal-build: {}: tried {attempt}", self.name));
        }
        let summary = self.summary();
        lines.push(summary.clone());
        lines.push(format!("cargo::warning={summary}"));
        if self.route.is_fallback() {
            for attempt in &self.attempts {
                lines.push(format!(
                    "cargo::warning=arsenal-build: {}: skipped {attempt}",
                    self.name
                ));
            }
        }
        for warning in &self.warnings {
            lines.push(format!(
                "cargo::warning=arsenal-build: {}: {warning}",
                self.name
            ));
        }
        for path in &self.rerun_paths {
            lines.push(format!("cargo::rerun-if-changed={}", path.display()));
        }
        lines
    }
}

/// The archive a source build produces: `lib<archive_name>.a`.
pub(crate) fn archive_name(name: &str) -> String {
    format!("{}_arsenal", name.replace(['-', '.'], "_"))
}

/// `path` relative to `root` when inside it, for shorter log lines.
pub(crate) fn display_path(path: &Path, root: Option<&Path>) -> String {
    match root.and_then(|r| path.strip_prefix(r).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

#[cfg(feature = "bindgen")]
impl Found {
    /// Generates bindings for `header` (as included by C code, e.g. `"yyjson.h"`) into
    /// `OUT_DIR/bindings.rs` with the flags every Arsenal -sys crate pins (core types,
    /// layout tests, no comments, merged extern blocks, this library's include dirs);
    /// `configure` adds the crate's allowlists. `scripts/regen-bindings` copies the result
    /// to the crate's `src/bindings.rs`. Panics with a clear message on failure (build
    /// scripts report errors by panicking).
    pub fn bindgen(
        &self,
        header: &str,
        configure: impl FnOnce(bindgen::Builder) -> bindgen::Builder,
    ) {
        let mut builder = bindgen::Builder::default()
            .header_contents("wrapper.h", &format!("#include <{header}>\n"))
            .use_core()
            .layout_tests(true)
            .generate_comments(false)
            .merge_extern_blocks(true);
        for dir in &self.include_dirs {
            builder = builder.clang_arg(format!("-I{}", dir.display()));
        }
        let out = std::path::PathBuf::from(
            std::env::var("OUT_DIR").expect("OUT_DIR is set for build scripts"),
        );
        configure(builder)
            .generate()
            .unwrap_or_else(|e| panic!("bindgen failed on {header}: {e}"))
            .write_to_file(out.join("bindings.rs"))
            .expect("write OUT_DIR/bindings.rs");
    }
}
