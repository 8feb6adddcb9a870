//! The fuzz crate is a workspace of its own (`fuzz/`, as cargo-fuzz expects), so the
//! main workspace's `[profile.dev*]` sections do not reach it: `fuzz/Cargo.toml` carries
//! a copy. `scripts/test` builds the fuzz crate's replay binary in the main workspace's
//! target directory, where Cargo reuses what test-all compiled (every C library) only if
//! the two profiles agree for the packages both graphs hold. This test keeps the copy
//! exact: the same `[profile.dev]` and `[profile.dev.build-override]`, and the same
//! `[profile.dev.package.<name>]` section for every package in `fuzz/Cargo.lock`, no more;
//! and `fuzz/Cargo.lock` resolves every shared package exactly as `Cargo.lock` does (a
//! different version of one build dependency changes the build of every -sys crate).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// A file of the repository, by its path from the workspace root.
fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    fs::read_to_string(root.join(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// The `[profile.dev*]` sections of a manifest: header to its setting lines (comments and
/// blank lines left out).
fn dev_profile_sections(manifest: &str) -> BTreeMap<String, Vec<String>> {
    let mut sections = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            current = line.starts_with("[profile.dev").then(|| line.to_owned());
            if let Some(header) = &current {
                sections.entry(header.clone()).or_insert_with(Vec::new);
            }
        } else if let Some(header) = &current {
            if !line.is_empty() && !line.starts_with('#') {
                sections
                    .get_mut(header)
                    .expect("inserted at its header")
                    .push(line.to_owned());
            }
        }
    }
    sections
}

/// The package name of a `[profile.dev.package.<name>]` header.
fn package_of(header: &str) -> Option<&str> {
    header
        .strip_prefix("[profile.dev.package.")?
        .strip_suffix(']')
        .map(|name| name.trim_matches('"'))
}

#[test]
fn fuzz_profile_matches_the_workspace() {
    let workspace = dev_profile_sections(&read("Cargo.toml"));
    let fuzz = dev_profile_sections(&read("fuzz/Cargo.toml"));
    let fuzz_packages: BTreeSet<String> = read("fuzz/Cargo.lock")
        .lines()
        .filter_map(|line| line.strip_prefix("name = "))
        .map(|name| name.trim_matches('"').to_owned())
        .collect();
    assert!(
        fuzz_packages.contains("arsenal-fuzz"),
        "fuzz/Cargo.lock unread"
    );
    assert!(workspace.contains_key("[profile.dev]"));

    let expected: BTreeMap<&String, &Vec<String>> = workspace
        .iter()
        .filter(|(header, _)| package_of(header).map_or(true, |name| fuzz_packages.contains(name)))
        .collect();
    let copied: BTreeMap<&String, &Vec<String>> = fuzz.iter().collect();
    assert_eq!(
        copied, expected,
        "fuzz/Cargo.toml's [profile.dev*] sections must equal the main workspace's for the \
         packages in fuzz/Cargo.lock (copy them over)"
    );
}

/// A lockfile's packages: (name, version) to the (name, version) of each dependency.
type Resolution = BTreeMap<(String, String), BTreeSet<(String, String)>>;

/// Reads a lockfile's `[[package]]` entries. A dependency is written `name` when the lock
/// holds one version of it and `name version` otherwise.
fn resolution(lock: &str) -> Resolution {
    let entries: Vec<(String, String, Vec<String>)> = lock
        .split("[[package]]")
        .skip(1)
        .map(|entry| {
            let field = |key: &str| {
                entry
                    .lines()
                    .find_map(|line| line.strip_prefix(key))
                    .map(|value| value.trim_matches('"').to_owned())
                    .unwrap_or_default()
            };
            let dependencies = entry
                .split_once("dependencies = [")
                .map(|(_, list)| {
                    list.split(']')
                        .next()
                        .unwrap_or_default()
                        .lines()
                        .map(|line| line.trim().trim_end_matches(',').trim_matches('"'))
                        .filter(|dep| !dep.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            (field("name = "), field("version = "), dependencies)
        })
        .collect();
    let version_of = |dep: &str| -> (String, String) {
        let mut words = dep.split(' ');
        let name = words.next().unwrap_or_default().to_owned();
        let version = words.next().map(str::to_owned).unwrap_or_else(|| {
            let mut versions = entries.iter().filter(|(n, _, _)| *n == name);
            let (_, version, _) = versions.next().expect("a dependency the lock holds");
            assert!(
                versions.next().is_none(),
                "{name}: several versions, none named"
            );
            version.clone()
        });
        (name, version)
    };
    entries
        .iter()
        .map(|(name, version, dependencies)| {
            let resolved = dependencies.iter().map(|dep| version_of(dep)).collect();
            ((name.clone(), version.clone()), resolved)
        })
        .collect()
}

#[test]
fn fuzz_lock_resolves_like_the_workspace() {
    let workspace = resolution(&read("Cargo.lock"));
    let fuzz = resolution(&read("fuzz/Cargo.lock"));
    assert!(workspace.len() > 100 && fuzz.len() > 100);
    let fix = "copy Cargo.lock to fuzz/Cargo.lock and run \
               `cargo metadata --manifest-path fuzz/Cargo.toml` (it prunes what fuzz does not use)";
    // Only the fuzzing crates themselves are the fuzz workspace's own.
    const FUZZ_ONLY: [&str; 4] = [
        "arsenal-fuzz",
        "arbitrary",
        "derive_arbitrary",
        "libfuzzer-sys",
    ];
    for ((name, version), dependencies) in &fuzz {
        match workspace.get(&(name.clone(), version.clone())) {
            // The same versions of its dependencies (the workspace's entry may list more:
            // a member's dev-dependencies and optional ones), hence the same build.
            Some(ours) => assert!(
                dependencies.is_subset(ours),
                "{name} {version} depends on {:?} in fuzz/Cargo.lock: {fix}",
                dependencies.difference(ours).collect::<Vec<_>>()
            ),
            None => assert!(
                FUZZ_ONLY.contains(&name.as_str()),
                "{name} {version} is in fuzz/Cargo.lock, not in Cargo.lock: {fix}"
            ),
        }
    }
}

#[test]
fn sections_are_read_with_their_settings() {
    let manifest = "[package]\nname = \"x\"\n\n[profile.dev]\n# why\ndebug = false\n\n\
                    [profile.dev.package.\"a-b\"]\nopt-level = 2\n[profile.release]\ndebug = 1\n";
    let sections = dev_profile_sections(manifest);
    assert_eq!(sections.len(), 2);
    assert_eq!(sections["[profile.dev]"], ["debug = false"]);
    assert_eq!(sections["[profile.dev.package.\"a-b\"]"], ["opt-level = 2"]);
    assert_eq!(package_of("[profile.dev.package.\"a-b\"]"), Some("a-b"));
    assert_eq!(package_of("[profile.dev]"), None);
}
