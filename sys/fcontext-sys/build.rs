//! Finds Boost.Context's `libboost_context` through `arsenal-build`. Boost ships no
//! pkg-config file and we deliberately use no Boost header (the three fcontext functions
//! are declared in `src/lib.rs`), so the library is found header-less: `BOOST_CONTEXT_DIR`
//! / `BOOST_CONTEXT_LIB_DIR`, then the system's `lib/<multiarch>/libboost_context.*`, then
//! the `.deps` prefix `scripts/bootstrap` fills from Debian's libboost-context1.83-dev.
fn main() {
    let mut found = arsenal_build::Library::new("boost_context")
        .lib_names(&["boost_context"])
        .system_paths(true)
        .debian_packages(&["libboost-context1.83-dev"])
        .find();
    if found.version.is_none() {
        found.version = cmake_package_version(found.lib_dirs());
        if let Some(version) = &found.version {
            // The route line above said "unknown": no header to probe.
            println!(
                "cargo:warning=arsenal-build: boost_context: version={version} \
                 (from its cmake/boost_context-{version} directory)"
            );
        }
    }
    let version = found.version.clone().unwrap_or_else(|| "unknown".into());
    println!("cargo::rustc-env=ARSENAL_BOOST_CONTEXT_VERSION={version}");
    found.link();
    found.emit_metadata();
}

/// Boost installs `cmake/boost_context-X.Y.Z/` next to the library; its name is the only
/// version record that needs no Boost header.
fn cmake_package_version(lib_dirs: &[std::path::PathBuf]) -> Option<String> {
    lib_dirs.iter().find_map(|dir| {
        std::fs::read_dir(dir.join("cmake"))
            .ok()?
            .filter_map(|entry| entry.ok())
            .find_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let version = name.strip_prefix("boost_context-")?;
                version
                    .split('.')
                    .all(|part| part.parse::<u32>().is_ok())
                    .then(|| version.to_string())
            })
    })
}
