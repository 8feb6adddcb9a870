//! Unit tests of the ladder: fake prefixes and source trees in temp dirs, the environment
//! passed as a map (never the process environment: tests run in parallel threads).

use super::*;
use std::collections::BTreeMap;
use tempfile::TempDir;

const TARGET: &str = "x86_64-unknown-linux-gnu";

struct Fixture {
    tmp: TempDir,
    env: BTreeMap<String, String>,
}

impl Fixture {
    fn new() -> Self {
        let tmp = tempfile::tempdir().expect("create temp dir");
        fs::create_dir_all(tmp.path().join("root/vendor")).expect("mkdir vendor");
        fs::write(tmp.path().join("root/Cargo.toml"), "[workspace]\n").expect("write Cargo.toml");
        fs::create_dir_all(tmp.path().join("out")).expect("mkdir out");
        let mut env = BTreeMap::new();
        env.insert("TARGET".to_string(), TARGET.to_string());
        env.insert("CARGO_CFG_TARGET_ARCH".to_string(), "x86_64".to_string());
        Fixture { tmp, env }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// Creates a file (and its parents) under the temp dir.
    fn touch(&self, rel: &str) -> PathBuf {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        fs::write(&path, "/* fake */\n").expect("write file");
        path
    }

    fn mkdir(&self, rel: &str) -> PathBuf {
        let path = self.path(rel);
        fs::create_dir_all(&path).expect("mkdir");
        path
    }

    fn set(&mut self, key: &str, value: impl AsRef<Path>) {
        self.env
            .insert(key.to_string(), value.as_ref().display().to_string());
    }

    fn ctx(&self) -> Context {
        Context {
            root: Some(self.path("root")),
            deps_dir: Some(self.path("root/.deps")),
            ..Context::new(self.path("out"))
        }
    }

    fn find(&self, lib: &Library) -> Result<Found, FindError> {
        lib.find_with(&self.env, &self.ctx())
    }

    /// A source tree for `foo` at `rel` (sentinel `src/foo.c`, header `src/foo.h`).
    fn source_tree(&self, rel: &str) -> PathBuf {
        self.touch(&format!("{rel}/src/foo.c"));
        self.touch(&format!("{rel}/src/foo_extra.c"));
        self.touch(&format!("{rel}/src/foo.h"));
        self.path(rel)
    }
}

/// A C library `foo` with every rung configured except pkg-config (which would ask the
/// real system).
fn foo() -> Library {
    Library::new("foo")
        .header("foo.h")
        .lib_names(&["foo_static", "foo"])
        .source("src/foo.c", &["src/foo_extra.c", "src/foo.c"], &["src"])
        .version_probe("foo.h", &["FOO_MAJOR", "FOO_MINOR"])
        .debian_packages(&["libfoo-dev"])
}

fn expect_invalid_env(result: Result<Found, FindError>, expected_var: &str) -> String {
    match result {
        Err(err @ FindError::InvalidEnv { .. }) => {
            let FindError::InvalidEnv { var, .. } = &err else {
                unreachable!()
            };
            assert_eq!(var, expected_var);
            let text = err.to_string();
            assert!(text.contains(expected_var), "{text}");
            text
        }
        other => panic!("expected InvalidEnv({expected_var}), got {other:?}"),
    }
}

fn attempt_rungs(found: &Found) -> Vec<&'static str> {
    found.attempts().iter().map(|a| a.rung).collect()
}

// ---- rung 1: explicit environment ------------------------------------------------------

#[test]
fn env_include_and_lib_dir_give_env_route() {
    let mut fx = Fixture::new();
    fx.touch("prefix/inc/foo.h");
    fx.touch("prefix/libs/libfoo.a");
    fx.set("FOO_INCLUDE_DIR", fx.path("prefix/inc"));
    fx.set("FOO_LIB_DIR", fx.path("prefix/libs"));
    // A checked-out vendor tree must not win over explicit variables.
    fx.source_tree("root/vendor/foo");

    let found = fx.find(&foo()).expect("found via env");
    assert_eq!(found.route, Route::Env);
    assert_eq!(found.include_dirs, vec![fx.path("prefix/inc")]);
    assert_eq!(found.lib_dirs(), &[fx.path("prefix/libs")]);
    assert_eq!(found.link_libs(), &[(LinkKind::Static, "foo".to_string())]);
    assert_eq!(found.root, fx.path("prefix"));
    assert!(found.attempts().is_empty());
    assert!(found.sources().is_empty());
    assert!(found.version.is_none(), "probing is off in tests");
}

#[test]
fn env_prefers_dynamic_unless_static_requested() {
    let mut fx = Fixture::new();
    fx.touch("p/include/foo.h");
    fx.touch("p/lib/libfoo.a");
    fx.touch("p/lib/libfoo.so");
    fx.set("FOO_DIR", fx.path("p"));
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.link_libs(), &[(LinkKind::Dynamic, "foo".to_string())]);

    fx.set("FOO_STATIC", "1");
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.link_libs(), &[(LinkKind::Static, "foo".to_string())]);
}

#[test]
fn env_dir_searches_lib64_then_multiarch_then_lib() {
    let mut fx = Fixture::new();
    fx.touch("p/include/foo.h");
    fx.touch("p/lib/libfoo.so");
    fx.touch("p/lib/x86_64-linux-gnu/libfoo.so");
    fx.set("FOO_DIR", fx.path("p"));
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.route, Route::Env);
    assert_eq!(found.lib_dirs(), &[fx.path("p/lib/x86_64-linux-gnu")]);

    fx.touch("p/lib64/libfoo_static.so");
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.lib_dirs(), &[fx.path("p/lib64")]);
    assert_eq!(
        found.link_libs(),
        &[(LinkKind::Dynamic, "foo_static".to_string())]
    );
}

#[test]
fn env_pointing_at_nothing_fails_naming_the_variable() {
    let mut fx = Fixture::new();
    fx.set("FOO_INCLUDE_DIR", fx.path("nowhere/include"));
    fx.set("FOO_LIB_DIR", fx.path("nowhere/lib"));
    let text = expect_invalid_env(fx.find(&foo()), "FOO_INCLUDE_DIR");
    assert!(text.contains("nowhere"), "{text}");

    let mut fx = Fixture::new();
    fx.set("FOO_DIR", fx.path("missing-prefix"));
    expect_invalid_env(fx.find(&foo()), "FOO_DIR");
}

#[test]
fn env_without_header_fails() {
    let mut fx = Fixture::new();
    fx.mkdir("p/include");
    fx.touch("p/lib/libfoo.a");
    fx.set("FOO_DIR", fx.path("p"));
    let text = expect_invalid_env(fx.find(&foo()), "FOO_DIR");
    assert!(text.contains("foo.h"), "{text}");
}

#[test]
fn env_without_library_file_fails() {
    let mut fx = Fixture::new();
    fx.touch("p/include/foo.h");
    fx.mkdir("p/lib");
    fx.set("FOO_INCLUDE_DIR", fx.path("p/include"));
    fx.set("FOO_LIB_DIR", fx.path("p/lib"));
    let text = expect_invalid_env(fx.find(&foo()), "FOO_LIB_DIR");
    assert!(text.contains("libfoo.a"), "{text}");
    assert!(text.contains("libfoo_static.so"), "{text}");
}

#[test]
fn env_static_requested_but_only_shared_fails() {
    let mut fx = Fixture::new();
    fx.touch("p/include/foo.h");
    fx.touch("p/lib/libfoo.so");
    fx.set("FOO_DIR", fx.path("p"));
    fx.set("FOO_STATIC", "1");
    let text = expect_invalid_env(fx.find(&foo()), "FOO_DIR");
    assert!(text.contains("FOO_STATIC=1"), "{text}");
}

#[test]
fn env_include_dir_alone_is_incomplete() {
    let mut fx = Fixture::new();
    fx.touch("p/include/foo.h");
    fx.set("FOO_INCLUDE_DIR", fx.path("p/include"));
    let text = expect_invalid_env(fx.find(&foo()), "FOO_INCLUDE_DIR");
    assert!(text.contains("FOO_LIB_DIR"), "{text}");
}

#[test]
fn bad_static_value_fails() {
    let mut fx = Fixture::new();
    fx.set("FOO_STATIC", "sometimes");
    expect_invalid_env(fx.find(&foo()), "FOO_STATIC");
}

#[test]
fn env_src_dir_compiles_that_tree() {
    let mut fx = Fixture::new();
    let tree = fx.source_tree("elsewhere/foo");
    fx.set("FOO_SRC_DIR", &tree);
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.route, Route::EnvSource);
    assert_eq!(found.root, tree);
    assert_eq!(found.include_dirs, vec![tree.join("src")]);
    assert_eq!(
        found.sources(),
        &[tree.join("src/foo.c"), tree.join("src/foo_extra.c")]
    );
}

#[test]
fn env_src_dir_without_sentinel_fails() {
    let mut fx = Fixture::new();
    fx.mkdir("elsewhere/empty");
    fx.set("FOO_SRC_DIR", fx.path("elsewhere/empty"));
    let text = expect_invalid_env(fx.find(&foo()), "FOO_SRC_DIR");
    assert!(text.contains("src/foo.c"), "{text}");
}

#[test]
fn env_src_dir_and_prefix_conflict() {
    let mut fx = Fixture::new();
    let tree = fx.source_tree("elsewhere/foo");
    fx.set("FOO_SRC_DIR", &tree);
    fx.set("FOO_DIR", &tree);
    expect_invalid_env(fx.find(&foo()), "FOO_SRC_DIR");
}

#[test]
fn empty_variables_count_as_unset() {
    let mut fx = Fixture::new();
    fx.set("FOO_DIR", "");
    fx.source_tree("root/vendor/foo");
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.route, Route::Vendored);
}

// ---- rung 2: vendor/<lib> ----------------------------------------------------------------

#[test]
fn vendored_tree_with_sentinel_is_compiled_from_source() {
    let fx = Fixture::new();
    let tree = fx.source_tree("root/vendor/foo");
    let found = fx
        .find(&foo().define("FOO_FEATURE", Some("1")))
        .expect("found");
    assert_eq!(found.route, Route::Vendored);
    assert_eq!(found.root, tree);
    assert_eq!(found.include_dirs, vec![tree.join("src")]);
    // Sorted, whatever order the config listed them in.
    assert_eq!(
        found.sources(),
        &[tree.join("src/foo.c"), tree.join("src/foo_extra.c")]
    );
    assert_eq!(found.lib_dirs(), &[fx.path("out")]);
    assert_eq!(
        found.link_libs(),
        &[(LinkKind::Static, "foo_arsenal".to_string())]
    );
    assert_eq!(
        found.defines(),
        &[("FOO_FEATURE".to_string(), Some("1".to_string()))]
    );
    assert_eq!(attempt_rungs(&found), vec!["env"]);
    assert!(found
        .summary()
        .ends_with("route=vendored version=unknown (vendor/foo)"));
}

#[test]
fn uninitialised_submodule_falls_through() {
    let fx = Fixture::new();
    fx.mkdir("root/vendor/foo"); // what a fresh clone leaves
    fx.source_tree("root/.deps/src/foo");
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.route, Route::DepsSource);
    let vendored = &found.attempts()[1];
    assert_eq!(vendored.rung, "vendored");
    assert!(
        vendored
            .outcome
            .contains("git submodule update --init vendor/foo"),
        "{vendored}"
    );
    // Initialising the submodule later must rerun the build script.
    assert!(found.rerun_paths.contains(&fx.path("root/vendor/foo")));
}

#[test]
fn no_vendor_skips_a_checked_out_tree() {
    let mut fx = Fixture::new();
    fx.source_tree("root/vendor/foo");
    fx.source_tree("root/.deps/src/foo");
    fx.set("FOO_NO_VENDOR", "1");
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.route, Route::DepsSource);
    assert!(found.attempts()[1].outcome.contains("FOO_NO_VENDOR"));

    fx.set("FOO_NO_VENDOR", "0");
    assert_eq!(fx.find(&foo()).expect("found").route, Route::Vendored);
}

#[test]
fn directory_entries_expand_to_their_sources() {
    let fx = Fixture::new();
    fx.touch("root/vendor/bar/include/bar.h");
    fx.touch("root/vendor/bar/src/b.c");
    fx.touch("root/vendor/bar/src/a.c");
    fx.touch("root/vendor/bar/src/notes.txt");
    fx.touch("root/vendor/bar/src/c.cpp");
    let lib = Library::new("bar")
        .header("bar.h")
        .source("include/bar.h", &["src"], &["include"]);
    let found = fx.find(&lib).expect("found");
    let names: Vec<_> = found
        .sources()
        .iter()
        .map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    assert_eq!(
        names,
        vec![Some("a.c".into()), Some("b.c".into()), Some("c.cpp".into())]
    );
}

#[test]
fn missing_listed_source_is_an_error() {
    let fx = Fixture::new();
    fx.source_tree("root/vendor/foo");
    let lib = foo().source("src/foo.c", &["src/foo.c", "src/gone.c"], &["src"]);
    match fx.find(&lib) {
        Err(FindError::InvalidSourceTree { message, .. }) => {
            assert!(message.contains("src/gone.c"), "{message}")
        }
        other => panic!("expected InvalidSourceTree, got {other:?}"),
    }
}

#[test]
fn config_header_is_written_to_out_dir_and_searched_first() {
    let fx = Fixture::new();
    let tree = fx.source_tree("root/vendor/foo");
    let lib = foo().config_header("foo_config.h", "#define FOO_CONFIGURED 1\n");
    let found = fx.find(&lib).expect("found");
    let config_dir = fx.path("out/arsenal-foo-config");
    assert_eq!(
        found.include_dirs,
        vec![config_dir.clone(), tree.join("src")]
    );
    let written = fs::read_to_string(config_dir.join("foo_config.h")).expect("config header");
    assert_eq!(written, "#define FOO_CONFIGURED 1\n");
}

#[test]
fn no_workspace_root_skips_vendored() {
    let fx = Fixture::new();
    fx.source_tree("root/vendor/foo");
    let ctx = Context::new(fx.path("out"));
    let err = foo().find_with(&fx.env, &ctx).expect_err("nothing found");
    assert!(err.to_string().contains("no workspace root"), "{err}");
}

// ---- rung 3: the bootstrap prefix ----------------------------------------------------------

#[test]
fn deps_source_tree_is_used() {
    let fx = Fixture::new();
    let tree = fx.source_tree("root/.deps/src/foo");
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.route, Route::DepsSource);
    assert_eq!(found.root, tree);
    assert_eq!(
        attempt_rungs(&found),
        vec!["env", "vendored", "system"],
        "{:?}",
        found.attempts()
    );
    assert!(
        found.summary().contains("(.deps/src/foo)"),
        "{}",
        found.summary()
    );
}

#[test]
fn deps_prebuilt_prefers_static_in_the_multiarch_dir() {
    let fx = Fixture::new();
    fx.touch("root/.deps/root/usr/include/foo.h");
    fx.touch("root/.deps/root/usr/lib/x86_64-linux-gnu/libfoo.so");
    fx.touch("root/.deps/root/usr/lib/x86_64-linux-gnu/libfoo.a");
    fx.touch("root/.deps/root/usr/lib/libfoo_static.a");
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.route, Route::DepsPrebuilt);
    assert_eq!(found.root, fx.path("root/.deps/root/usr"));
    assert_eq!(
        found.include_dirs,
        vec![fx.path("root/.deps/root/usr/include")]
    );
    assert_eq!(
        found.lib_dirs(),
        &[fx.path("root/.deps/root/usr/lib/x86_64-linux-gnu")]
    );
    assert_eq!(found.link_libs(), &[(LinkKind::Static, "foo".to_string())]);
    assert_eq!(
        attempt_rungs(&found),
        vec!["env", "vendored", "system", "deps-source"]
    );
    assert!(
        found
            .summary()
            .contains("(.deps/root/usr/lib/x86_64-linux-gnu/libfoo.a, static)"),
        "{}",
        found.summary()
    );
}

#[test]
fn deps_prebuilt_falls_back_to_usr_lib_and_honours_static_0() {
    let mut fx = Fixture::new();
    fx.touch("root/.deps/root/usr/include/foo.h");
    fx.touch("root/.deps/root/usr/lib/libfoo_static.a");
    fx.touch("root/.deps/root/usr/lib/libfoo.so");
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.lib_dirs(), &[fx.path("root/.deps/root/usr/lib")]);
    assert_eq!(
        found.link_libs(),
        &[(LinkKind::Static, "foo_static".to_string())]
    );

    fx.set("FOO_STATIC", "0");
    let found = fx.find(&foo()).expect("found");
    assert_eq!(found.link_libs(), &[(LinkKind::Dynamic, "foo".to_string())]);
}

#[test]
fn deps_prebuilt_multiarch_follows_the_target() {
    let mut fx = Fixture::new();
    fx.set("TARGET", "aarch64-unknown-linux-gnu");
    fx.set("CARGO_CFG_TARGET_ARCH", "aarch64");
    fx.touch("root/.deps/root/usr/include/foo.h");
    fx.touch("root/.deps/root/usr/lib/x86_64-linux-gnu/libfoo.a");
    fx.touch("root/.deps/root/usr/lib/aarch64-linux-gnu/libfoo.a");
    let found = fx.find(&foo()).expect("found");
    assert_eq!(
        found.lib_dirs(),
        &[fx.path("root/.deps/root/usr/lib/aarch64-linux-gnu")]
    );
}

#[test]
fn deps_prebuilt_without_library_falls_through_to_not_found() {
    let fx = Fixture::new();
    fx.touch("root/.deps/root/usr/include/foo.h");
    let err = fx.find(&foo()).expect_err("nothing found");
    let FindError::NotFound { attempts, .. } = &err else {
        panic!("expected NotFound, got {err:?}");
    };
    let last = attempts.last().expect("attempts");
    assert_eq!(last.rung, "deps-prebuilt");
    assert!(last.outcome.contains("libfoo.a"), "{last}");
}

#[test]
fn deps_dir_override_is_used() {
    let fx = Fixture::new();
    let deps = fx.mkdir("custom-deps");
    fx.touch("custom-deps/root/usr/include/foo.h");
    fx.touch("custom-deps/root/usr/lib/libfoo.a");
    let ctx = Context {
        deps_dir: Some(deps),
        ..fx.ctx()
    };
    let found = foo().find_with(&fx.env, &ctx).expect("found");
    assert_eq!(found.route, Route::DepsPrebuilt);
}

// ---- rung 3: system paths (libraries without a pkg-config file) ----------------------------

/// A context whose system prefixes are `sys/usr/local` and `sys/usr` under the temp dir.
fn system_ctx(fx: &Fixture) -> Context {
    Context {
        system_prefixes: vec![fx.path("sys/usr/local"), fx.path("sys/usr")],
        ..fx.ctx()
    }
}

/// `foo` without a source build, opted in to the system paths.
fn foo_system() -> Library {
    Library::new("foo")
        .header("foo.h")
        .system_paths(true)
        .debian_packages(&["libfoo-dev"])
}

#[test]
fn system_paths_find_header_and_shared_library_in_a_prefix() {
    let mut fx = Fixture::new();
    fx.touch("sys/usr/include/foo.h");
    fx.touch("sys/usr/lib/x86_64-linux-gnu/libfoo.so");
    fx.touch("sys/usr/lib/x86_64-linux-gnu/libfoo.a");
    let found = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect("found");
    assert_eq!(found.route, Route::System);
    assert_eq!(found.root, fx.path("sys/usr"));
    assert_eq!(found.include_dirs, vec![fx.path("sys/usr/include")]);
    assert_eq!(found.lib_dirs(), &[fx.path("sys/usr/lib/x86_64-linux-gnu")]);
    assert_eq!(found.link_libs(), &[(LinkKind::Dynamic, "foo".to_string())]);
    assert_eq!(attempt_rungs(&found), vec!["env", "vendored", "system"]);
    assert!(
        found.summary().contains("route=system")
            && found
                .summary()
                .ends_with("lib/x86_64-linux-gnu/libfoo.so, dynamic)"),
        "{}",
        found.summary()
    );
    assert!(found
        .rerun_paths
        .contains(&fx.path("sys/usr/include/foo.h")));
    assert!(found.route.is_fallback());

    fx.set("FOO_STATIC", "1");
    let found = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect("found");
    assert_eq!(found.link_libs(), &[(LinkKind::Static, "foo".to_string())]);
}

#[test]
fn system_paths_search_lib64_multiarch_then_lib() {
    let fx = Fixture::new();
    fx.touch("sys/usr/include/foo.h");
    fx.touch("sys/usr/lib/libfoo.so");
    let found = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect("found");
    assert_eq!(found.lib_dirs(), &[fx.path("sys/usr/lib")]);
    fx.touch("sys/usr/lib/x86_64-linux-gnu/libfoo.so");
    let found = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect("found");
    assert_eq!(found.lib_dirs(), &[fx.path("sys/usr/lib/x86_64-linux-gnu")]);
}

#[test]
fn system_paths_take_header_and_library_from_the_same_prefix() {
    let fx = Fixture::new();
    // /usr/local has a header but no library: /usr, which has both, is used.
    fx.touch("sys/usr/local/include/foo.h");
    fx.touch("sys/usr/include/foo.h");
    fx.touch("sys/usr/lib/x86_64-linux-gnu/libfoo.so");
    let found = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect("found");
    assert_eq!(found.root, fx.path("sys/usr"));
    assert_eq!(found.include_dirs, vec![fx.path("sys/usr/include")]);

    // Once /usr/local has both, it wins (its headers shadow /usr's for the compiler).
    fx.touch("sys/usr/local/lib/libfoo.so");
    let found = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect("found");
    assert_eq!(found.root, fx.path("sys/usr/local"));
    assert_eq!(found.include_dirs, vec![fx.path("sys/usr/local/include")]);
    assert_eq!(found.lib_dirs(), &[fx.path("sys/usr/local/lib")]);
}

#[test]
fn system_paths_are_only_searched_for_libraries_that_opt_in() {
    let fx = Fixture::new();
    fx.touch("sys/usr/include/foo.h");
    fx.touch("sys/usr/lib/libfoo.so");
    let err = foo()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect_err("foo() does not opt in");
    let FindError::NotFound { attempts, .. } = &err else {
        panic!("expected NotFound, got {err:?}");
    };
    assert!(attempts.iter().all(|a| a.rung != "system-paths"), "{err}");
}

#[test]
fn system_paths_rank_after_vendored_and_before_the_deps_prefix() {
    let fx = Fixture::new();
    fx.touch("sys/usr/include/foo.h");
    fx.touch("sys/usr/lib/libfoo.so");
    fx.source_tree("root/.deps/src/foo");
    let lib = foo().system_paths(true);
    let found = lib.find_with(&fx.env, &system_ctx(&fx)).expect("found");
    assert_eq!(found.route, Route::System);

    fx.source_tree("root/vendor/foo");
    let found = lib.find_with(&fx.env, &system_ctx(&fx)).expect("found");
    assert_eq!(found.route, Route::Vendored);
}

#[test]
fn system_paths_miss_explains_each_prefix_and_falls_through() {
    let fx = Fixture::new();
    fx.touch("sys/usr/include/foo.h");
    fx.mkdir("sys/usr/lib");
    fx.touch("root/.deps/root/usr/include/foo.h");
    fx.touch("root/.deps/root/usr/lib/libfoo.a");
    let found = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect("found");
    assert_eq!(found.route, Route::DepsPrebuilt);
    let miss = found
        .attempts()
        .iter()
        .find(|a| a.rung == "system-paths")
        .expect("system-paths attempt");
    assert!(
        miss.outcome.contains(&format!(
            "no {}",
            fx.path("sys/usr/local/include/foo.h").display()
        )),
        "{miss}"
    );
    assert!(
        miss.outcome
            .contains("has the header but no libfoo.so / libfoo.a"),
        "{miss}"
    );
}

#[test]
fn system_paths_need_prefixes() {
    let fx = Fixture::new();
    let err = foo_system()
        .find_with(&fx.env, &fx.ctx())
        .expect_err("no prefixes");
    assert!(
        err.to_string()
            .contains("system-paths: no system prefixes configured"),
        "{err}"
    );
}

#[test]
fn system_paths_when_cross_compiling_use_only_the_target_multiarch_dir() {
    let mut fx = Fixture::new();
    fx.set("HOST", TARGET);
    fx.set("TARGET", "aarch64-unknown-linux-gnu");
    fx.set("CARGO_CFG_TARGET_ARCH", "aarch64");
    fx.touch("sys/usr/include/foo.h");
    fx.touch("sys/usr/lib/libfoo.so"); // the host's
    fx.touch("sys/usr/lib/x86_64-linux-gnu/libfoo.so"); // the host's too
    let err = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect_err("no aarch64 library");
    assert!(err.to_string().contains("aarch64-linux-gnu"), "{err}");

    fx.touch("sys/usr/lib/aarch64-linux-gnu/libfoo.so");
    let found = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect("found");
    assert_eq!(
        found.lib_dirs(),
        &[fx.path("sys/usr/lib/aarch64-linux-gnu")]
    );

    fx.set("TARGET", "aarch64-apple-darwin");
    let err = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect_err("no multiarch dir off Linux");
    assert!(err.to_string().contains("without a multiarch"), "{err}");
}

#[test]
fn system_paths_not_found_message_names_apt_get() {
    let fx = Fixture::new();
    let text = foo_system()
        .find_with(&fx.env, &system_ctx(&fx))
        .expect_err("nothing")
        .to_string();
    for needle in [
        "system-paths: no ",
        "scripts/bootstrap   (installs libfoo-dev with apt-get",
        "apt-get install libfoo-dev   (system-wide; found in include/ and lib/<multiarch>/ of ",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!text.contains("unpacks Debian's"), "{text}");
}

// ---- rung 4: nothing -----------------------------------------------------------------------

#[test]
fn nothing_found_explains_every_way_to_get_the_library() {
    let fx = Fixture::new();
    fx.mkdir("root/vendor/foo");
    let err = fx
        .find(&foo().pkg_config("foo-nonexistent-arsenal-test", "1.0.0", "2.0.0"))
        .expect_err("nothing found");
    let text = err.to_string();
    for needle in [
        "could not find the C library `foo`",
        "git submodule update --init vendor/foo",
        "scripts/bootstrap",
        "libfoo-dev",
        "apt-get install libfoo-dev",
        "FOO_DIR",
        "FOO_SRC_DIR",
        "FOO_INCLUDE_DIR",
        "FOO_LIB_DIR",
        "FOO_STATIC",
        "FOO_NO_VENDOR",
        "env:",
        "vendored:",
        "system: pkg-config foo-nonexistent-arsenal-test in [1.0.0, 2.0.0)",
        "deps-source:",
        "deps-prebuilt:",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

// ---- Context -------------------------------------------------------------------------------

#[test]
fn workspace_root_is_the_first_ancestor_with_a_workspace_cargo_toml() {
    let fx = Fixture::new();
    let crate_dir = fx.mkdir("root/sys/foo-sys");
    fx.touch("root/sys/foo-sys/Cargo.toml");
    assert_eq!(find_workspace_root(&crate_dir), Some(fx.path("root")));
    // No vendor/ directory needed (an archive of the repository has none).
    fs::remove_dir_all(fx.path("root/vendor")).expect("rm vendor");
    assert_eq!(find_workspace_root(&crate_dir), Some(fx.path("root")));
    assert_eq!(find_workspace_root(&fx.path("out")), None);
}

#[test]
fn context_from_env() {
    let mut fx = Fixture::new();
    fx.mkdir("root/sys/foo-sys");
    fx.set("CARGO_MANIFEST_DIR", fx.path("root/sys/foo-sys"));
    fx.set("OUT_DIR", fx.path("out"));
    let ctx = Context::from_env(&fx.env).expect("context");
    assert_eq!(ctx.root, Some(fx.path("root")));
    assert_eq!(ctx.deps_dir, Some(fx.path("root/.deps")));
    assert_eq!(ctx.out_dir, fx.path("out"));
    assert!(ctx.probe_version);
    assert_eq!(ctx.system_prefixes, default_system_prefixes());
    assert!(Context::new(fx.path("out")).system_prefixes.is_empty());

    let other = fx.mkdir("other-root");
    fx.set("ARSENAL_ROOT", &other);
    fx.set("ARSENAL_DEPS_DIR", fx.path("out"));
    let ctx = Context::from_env(&fx.env).expect("context");
    assert_eq!(ctx.root, Some(other));
    assert_eq!(ctx.deps_dir, Some(fx.path("out")));

    fx.set("ARSENAL_DEPS_DIR", fx.path("missing"));
    assert!(matches!(
        Context::from_env(&fx.env),
        Err(FindError::InvalidEnv { var, .. }) if var == "ARSENAL_DEPS_DIR"
    ));
    fx.env.remove("ARSENAL_DEPS_DIR");
    fx.env.remove("OUT_DIR");
    assert!(matches!(
        Context::from_env(&fx.env),
        Err(FindError::InvalidEnv { var, .. }) if var == "OUT_DIR"
    ));
}

// ---- Found ---------------------------------------------------------------------------------

fn vendored_found(lib: Library) -> (Fixture, Found) {
    let fx = Fixture::new();
    fx.source_tree("root/vendor/foo");
    let found = fx.find(&lib).expect("found");
    (fx, found)
}

#[test]
fn version_at_least_compares_numerically() {
    let (_fx, mut found) = vendored_found(foo());
    assert!(!found.version_at_least(0, 0, 0), "unknown version");
    found.version = Some("0.10.0".into());
    assert!(found.version_at_least(0, 10, 0));
    assert!(found.version_at_least(0, 9, 12));
    assert!(!found.version_at_least(0, 10, 1));
    assert!(!found.version_at_least(1, 0, 0));
    found.version = Some("3.12".into());
    assert!(found.version_at_least(3, 12, 0));
    assert!(!found.version_at_least(3, 12, 1));
    found.version = Some("garbage".into());
    assert!(!found.version_at_least(0, 0, 0));
}

#[test]
fn version_cfgs_are_declared_and_enabled_by_version() {
    let (_fx, mut found) = vendored_found(foo());
    found.version = Some("0.10.0".into());
    let lines = found.version_cfg_lines(&[("foo_0_9", (0, 9, 0)), ("foo_0_11", (0, 11, 0))]);
    assert_eq!(
        lines,
        vec![
            "cargo::rustc-check-cfg=cfg(foo_0_9)",
            "cargo::rustc-cfg=foo_0_9",
            "cargo::rustc-check-cfg=cfg(foo_0_11)",
        ]
    );
    found.version = None;
    let lines = found.version_cfg_lines(&[("foo_0_9", (0, 9, 0))]);
    assert_eq!(lines[0], "cargo::rustc-check-cfg=cfg(foo_0_9)");
    assert!(lines[1].starts_with("cargo::warning="));
}

#[test]
fn metadata_lines_export_include_root_version_route() {
    let (fx, mut found) = vendored_found(foo().config_header("cfg.h", ""));
    found.version = Some("1.2.3".into());
    let lines = found.metadata_lines();
    let include = std::env::join_paths([
        fx.path("out/arsenal-foo-config"),
        fx.path("root/vendor/foo/src"),
    ])
    .expect("join");
    assert_eq!(
        lines,
        vec![
            format!("cargo::metadata=include={}", include.to_string_lossy()),
            format!(
                "cargo::metadata=root={}",
                fx.path("root/vendor/foo").display()
            ),
            "cargo::metadata=version=1.2.3".to_string(),
            "cargo::metadata=route=vendored".to_string(),
        ]
    );
}

#[test]
fn link_lines_add_the_cpp_stdlib_after_the_library() {
    let (fx, found) = vendored_found(foo().cpp(true));
    assert!(found.is_cpp());
    assert_eq!(
        found.link_lines(),
        vec![
            format!(
                "cargo::rustc-link-search=native={}",
                fx.path("out").display()
            ),
            "cargo::rustc-link-lib=static=foo_arsenal".to_string(),
            "cargo::rustc-link-lib=stdc++".to_string(),
        ]
    );
    let (_fx, c_found) = vendored_found(foo());
    assert_eq!(c_found.link_lines().len(), 2);
}

#[test]
fn report_prints_route_and_warns_on_fallbacks_only() {
    let (_fx, found) = vendored_found(foo());
    let lines = found.report_lines();
    assert!(lines
        .contains(&"arsenal-build: foo: route=vendored version=unknown (vendor/foo)".to_string()));
    assert!(lines.contains(
        &"cargo::warning=arsenal-build: foo: route=vendored version=unknown (vendor/foo)"
            .to_string()
    ));
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("cargo::warning="))
            .count(),
        1,
        "{lines:#?}"
    );
    assert!(lines
        .iter()
        .any(|l| l.starts_with("arsenal-build: foo: tried env: ")));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("cargo::rerun-if-changed=") && l.ends_with("src/foo.c")));

    let fx = Fixture::new();
    fx.source_tree("root/.deps/src/foo");
    let found = fx.find(&foo()).expect("found");
    let warnings: Vec<_> = found
        .report_lines()
        .into_iter()
        .filter(|l| l.starts_with("cargo::warning="))
        .collect();
    assert!(
        warnings
            .iter()
            .any(|l| l.contains("skipped vendored: vendor/foo does not exist")),
        "{warnings:#?}"
    );
    assert!(warnings.iter().any(|l| l.contains("route=deps-source")));
}

#[test]
fn route_names() {
    let all = [
        (Route::Env, "env"),
        (Route::EnvSource, "env-source"),
        (Route::Vendored, "vendored"),
        (Route::System, "system"),
        (Route::DepsSource, "deps-source"),
        (Route::DepsPrebuilt, "deps-prebuilt"),
    ];
    for (route, name) in all {
        assert_eq!(route.to_string(), name);
    }
    assert_eq!(archive_name("simd-json"), "simd_json_arsenal");
}

#[test]
fn pkg_config_error_is_condensed_to_one_line() {
    let long = "`pkg-config --libs --cflags yyjson` did not exit successfully: exit status: 1\nerror: could not find system library 'yyjson'\n\n--- stderr\nPackage yyjson was not found in the pkg-config search path.\nPerhaps you should add...\n";
    assert_eq!(
        condense_pkg_config_error(long),
        "Package yyjson was not found in the pkg-config search path."
    );
    assert_eq!(
        condense_pkg_config_error("Could not run `pkg-config`\nmore"),
        "Could not run `pkg-config`"
    );
}

// ---- header-less libraries (declarations written in the -sys crate) ---------------------

fn headerless() -> Library {
    Library::new("bar_ctx")
        .lib_names(&["bar_ctx"])
        .system_paths(true)
        .debian_packages(&["libbar-ctx-dev"])
}

#[test]
fn header_less_library_accepts_lib_dir_alone() {
    let mut fx = Fixture::new();
    fx.touch("p/lib/libbar_ctx.a");
    fx.set("BAR_CTX_LIB_DIR", fx.path("p/lib"));
    let found = fx.find(&headerless()).expect("found");
    assert_eq!(found.route, Route::Env);
    assert!(found.include_dirs.is_empty(), "{:?}", found.include_dirs);
    assert_eq!(found.lib_dirs(), [fx.path("p/lib")]);
    assert_eq!(
        found.link_libs(),
        [(LinkKind::Static, "bar_ctx".to_string())]
    );
    assert_eq!(found.root, fx.path("p"));
}

#[test]
fn header_less_library_accepts_a_prefix_without_include() {
    let mut fx = Fixture::new();
    fx.touch("p/lib/libbar_ctx.so");
    fx.set("BAR_CTX_DIR", fx.path("p"));
    let found = fx.find(&headerless()).expect("found");
    assert_eq!(found.route, Route::Env);
    assert!(found.include_dirs.is_empty());
    assert_eq!(
        found.link_libs(),
        [(LinkKind::Dynamic, "bar_ctx".to_string())]
    );
    // Still no library file: the variable is named.
    let mut fx = Fixture::new();
    fx.mkdir("q/lib");
    fx.set("BAR_CTX_LIB_DIR", fx.path("q/lib"));
    let text = expect_invalid_env(fx.find(&headerless()), "BAR_CTX_LIB_DIR");
    assert!(text.contains("libbar_ctx.a"), "{text}");
}

#[test]
fn header_less_library_is_found_in_the_deps_prefix() {
    let fx = Fixture::new();
    fx.mkdir("root/.deps/root/usr/include");
    fx.touch("root/.deps/root/usr/lib/x86_64-linux-gnu/libbar_ctx.a");
    let ctx = fx.ctx();
    let found = headerless().find_with(&fx.env, &ctx).expect("found");
    assert_eq!(found.route, Route::DepsPrebuilt);
    assert_eq!(
        found.link_libs(),
        [(LinkKind::Static, "bar_ctx".to_string())]
    );
}

#[test]
fn env_prefix_and_not_found_help_override_the_defaults() {
    let mut fx = Fixture::new();
    let lib = || {
        Library::new("libfoo")
            .env_prefix("FOO")
            .source("src/foo.c", &["src/foo.c"], &["src"])
            .not_found_help("  - only: git submodule update --init vendor/libfoo")
    };
    // vendor/<name> is still keyed by the name, the variables by the prefix.
    let err = fx.find(&lib()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("only: git submodule update --init vendor/libfoo"),
        "{text}"
    );
    assert!(!text.contains("scripts/bootstrap"), "{text}");
    fx.source_tree("srcdir");
    fx.set("FOO_SRC_DIR", fx.path("srcdir"));
    let found = fx.find(&lib()).expect("found through FOO_SRC_DIR");
    assert_eq!(found.route, Route::EnvSource);
    fx.env.remove("FOO_SRC_DIR");
    fx.source_tree("root/vendor/libfoo");
    let found = fx.find(&lib()).expect("found in vendor/libfoo");
    assert_eq!(found.route, Route::Vendored);
}
