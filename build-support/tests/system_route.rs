//! The system rung, through the real `pkg-config` and a temporary `.pc` file.
//!
//! The pkg-config crate reads `PKG_CONFIG_PATH` from the process environment, so this file
//! holds exactly one test: setting process variables is only safe with no other test
//! threads running. Skipped (with a note) where no `pkg-config` binary is installed.

use std::collections::BTreeMap;
use std::fs;
use std::process::Command;

use arsenal_build::{Context, FindError, Library, LinkKind, Route};

#[test]
fn pkg_config_rung_honours_the_version_range_and_static() {
    if Command::new("pkg-config")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no pkg-config binary");
        return;
    }
    let tmp = tempfile::tempdir().expect("temp dir");
    let prefix = tmp.path().join("prefix");
    let pc_dir = tmp.path().join("pc");
    fs::create_dir_all(prefix.join("include")).expect("mkdir");
    fs::create_dir_all(prefix.join("lib")).expect("mkdir");
    fs::create_dir_all(&pc_dir).expect("mkdir");
    fs::write(prefix.join("include/arsenalfake.h"), "").expect("write header");
    fs::write(prefix.join("lib/libarsenalfake.a"), "").expect("write lib");
    fs::write(
        pc_dir.join("arsenalfake.pc"),
        format!(
            "prefix={}\nincludedir=${{prefix}}/include\nlibdir=${{prefix}}/lib\n\n\
             Name: arsenalfake\nDescription: test\nVersion: 1.2.3\n\
             Cflags: -I${{includedir}} -DARSENAL_FAKE=1\nLibs: -L${{libdir}} -larsenalfake\n",
            prefix.display()
        ),
    )
    .expect("write .pc");
    std::env::set_var("PKG_CONFIG_PATH", &pc_dir);
    std::env::set_var("PKG_CONFIG_LIBDIR", &pc_dir);

    let out = tmp.path().join("out");
    let ctx = Context::new(&out);
    let lib = |min: &str, max: &str| {
        Library::new("arsenalfake")
            .header("arsenalfake.h")
            .pkg_config("arsenalfake", min, max)
    };

    let mut env = BTreeMap::new();
    let found = lib("1.0.0", "2.0.0").find_with(&env, &ctx).expect("found");
    assert_eq!(found.route, Route::System);
    assert_eq!(found.version.as_deref(), Some("1.2.3"));
    assert_eq!(found.root, prefix);
    assert!(found.include_dirs.contains(&prefix.join("include")));
    assert_eq!(
        found.link_libs(),
        &[(LinkKind::Dynamic, "arsenalfake".to_string())]
    );
    assert!(found
        .defines()
        .contains(&("ARSENAL_FAKE".to_string(), Some("1".to_string()))));

    env.insert("ARSENALFAKE_STATIC".to_string(), "1".to_string());
    let found = lib("1.0.0", "2.0.0").find_with(&env, &ctx).expect("found");
    assert_eq!(
        found.link_libs(),
        &[(LinkKind::Static, "arsenalfake".to_string())]
    );
    assert!(found.lib_dirs().contains(&prefix.join("lib")));

    let err = lib("2.0.0", "3.0.0")
        .find_with(&env, &ctx)
        .expect_err("1.2.3 is out of range");
    let FindError::NotFound { attempts, .. } = &err else {
        panic!("expected NotFound, got {err:?}");
    };
    let system = attempts
        .iter()
        .find(|a| a.rung == "system")
        .expect("system rung");
    assert!(system.outcome.contains("arsenalfake"), "{system}");
}
