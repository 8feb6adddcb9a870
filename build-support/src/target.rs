//! What the target looks like on disk: Debian multiarch directories, library file names,
//! the C++ standard library.

use crate::env::Env;

/// The target as far as the search cares, read from cargo's build-script variables.
#[derive(Debug, Clone, Default)]
pub(crate) struct Target {
    /// `TARGET`, e.g. `x86_64-unknown-linux-gnu` (empty when unknown).
    pub(crate) triple: String,
    /// `CARGO_CFG_TARGET_ARCH`, e.g. `x86_64`.
    pub(crate) arch: Option<String>,
}

impl Target {
    pub(crate) fn from_env(env: &dyn Env) -> Self {
        Target {
            triple: env.var("TARGET").unwrap_or_default(),
            arch: env.var("CARGO_CFG_TARGET_ARCH"),
        }
    }

    fn is_msvc(&self) -> bool {
        self.triple.contains("msvc")
    }

    fn is_windows(&self) -> bool {
        self.triple.contains("windows")
    }

    fn is_apple(&self) -> bool {
        self.triple.contains("apple")
    }

    /// The Debian multiarch tuple (`x86_64-linux-gnu`), if the target is Linux.
    pub(crate) fn multiarch(&self) -> Option<String> {
        debian_multiarch(
            self.arch.as_deref(),
            Some(self.triple.as_str()).filter(|t| !t.is_empty()),
        )
    }

    /// File names a static archive called `name` may have.
    pub(crate) fn static_file_names(&self, name: &str) -> Vec<String> {
        if self.is_msvc() {
            vec![format!("{name}.lib")]
        } else {
            vec![format!("lib{name}.a")]
        }
    }

    /// File names a shared library (or its import library) called `name` may have; only
    /// the unversioned development name, since that is what `-l` finds.
    pub(crate) fn dynamic_file_names(&self, name: &str) -> Vec<String> {
        if self.is_msvc() {
            vec![format!("{name}.dll.lib"), format!("{name}.lib")]
        } else if self.is_windows() {
            vec![format!("lib{name}.dll.a")]
        } else if self.is_apple() {
            vec![format!("lib{name}.dylib")]
        } else {
            vec![format!("lib{name}.so")]
        }
    }

    /// The C++ standard library to link for C++ libraries: `CXXSTDLIB` when set (empty
    /// means none), else the target's usual one.
    pub(crate) fn cxx_stdlib(&self, env: &dyn Env) -> Option<String> {
        if let Some(explicit) = env.var("CXXSTDLIB") {
            return Some(explicit).filter(|s| !s.is_empty());
        }
        let t = self.triple.as_str();
        if t.contains("msvc") {
            None
        } else if t.contains("android") {
            Some("c++_shared".into())
        } else if t.contains("apple") || t.contains("freebsd") || t.contains("openbsd") {
            Some("c++".into())
        } else {
            Some("stdc++".into())
        }
    }
}

/// The Debian multiarch tuple for a Linux target, from cargo's `CARGO_CFG_TARGET_ARCH`
/// (`target_arch`) refined by the `TARGET` triple (`target`) for endianness and float ABI.
/// `None` when the triple names another OS, or when neither input is known.
pub(crate) fn debian_multiarch(target_arch: Option<&str>, target: Option<&str>) -> Option<String> {
    let triple = target.unwrap_or("");
    if !triple.is_empty() && !triple.contains("linux") {
        return None;
    }
    let first = triple.split('-').next().unwrap_or("");
    let arch = match target_arch {
        Some(arch) => arch.to_string(),
        None => rust_arch_from_triple(first)?,
    };
    let tuple = match arch.as_str() {
        "x86_64" if triple.ends_with("gnux32") => "x86_64-linux-gnux32".to_string(),
        "x86_64" => "x86_64-linux-gnu".to_string(),
        "x86" => "i386-linux-gnu".to_string(),
        "aarch64" => "aarch64-linux-gnu".to_string(),
        "arm" if triple.contains("eabihf") => "arm-linux-gnueabihf".to_string(),
        "arm" => "arm-linux-gnueabi".to_string(),
        "powerpc64" if first.starts_with("powerpc64le") => "powerpc64le-linux-gnu".to_string(),
        "powerpc64" => "powerpc64-linux-gnu".to_string(),
        "powerpc" => "powerpc-linux-gnu".to_string(),
        "s390x" => "s390x-linux-gnu".to_string(),
        "riscv64" => "riscv64-linux-gnu".to_string(),
        "loongarch64" => "loongarch64-linux-gnu".to_string(),
        "mips64" if first.starts_with("mips64el") => "mips64el-linux-gnuabi64".to_string(),
        "mips64" => "mips64-linux-gnuabi64".to_string(),
        "mips" if first.starts_with("mipsel") => "mipsel-linux-gnu".to_string(),
        "mips" => "mips-linux-gnu".to_string(),
        other => format!("{other}-linux-gnu"),
    };
    Some(tuple)
}

/// Rust's `target_arch` for the first component of a triple.
fn rust_arch_from_triple(first: &str) -> Option<String> {
    let arch = match first {
        "" => return None,
        "i386" | "i586" | "i686" => "x86",
        a if a.starts_with("arm") || a.starts_with("thumb") => "arm",
        a if a.starts_with("powerpc64") => "powerpc64",
        a if a.starts_with("riscv64") => "riscv64",
        a if a.starts_with("mips64") => "mips64",
        a if a.starts_with("mips") => "mips",
        a => a,
    };
    Some(arch.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn multiarch_from_arch_and_triple() {
        let ma = |arch: Option<&str>, triple: Option<&str>| debian_multiarch(arch, triple);
        assert_eq!(
            ma(Some("x86_64"), Some("x86_64-unknown-linux-gnu")).as_deref(),
            Some("x86_64-linux-gnu")
        );
        assert_eq!(
            ma(Some("aarch64"), Some("aarch64-unknown-linux-gnu")).as_deref(),
            Some("aarch64-linux-gnu")
        );
        assert_eq!(
            ma(Some("x86"), Some("i686-unknown-linux-gnu")).as_deref(),
            Some("i386-linux-gnu")
        );
        assert_eq!(
            ma(Some("arm"), Some("armv7-unknown-linux-gnueabihf")).as_deref(),
            Some("arm-linux-gnueabihf")
        );
        assert_eq!(
            ma(Some("arm"), Some("arm-unknown-linux-gnueabi")).as_deref(),
            Some("arm-linux-gnueabi")
        );
        assert_eq!(
            ma(Some("powerpc64"), Some("powerpc64le-unknown-linux-gnu")).as_deref(),
            Some("powerpc64le-linux-gnu")
        );
        assert_eq!(
            ma(Some("riscv64"), Some("riscv64gc-unknown-linux-gnu")).as_deref(),
            Some("riscv64-linux-gnu")
        );
    }

    #[test]
    fn multiarch_from_one_input_only() {
        assert_eq!(
            debian_multiarch(None, Some("x86_64-unknown-linux-gnu")).as_deref(),
            Some("x86_64-linux-gnu")
        );
        assert_eq!(
            debian_multiarch(None, Some("i686-unknown-linux-gnu")).as_deref(),
            Some("i386-linux-gnu")
        );
        assert_eq!(
            debian_multiarch(Some("aarch64"), None).as_deref(),
            Some("aarch64-linux-gnu")
        );
        assert_eq!(debian_multiarch(None, None), None);
    }

    #[test]
    fn no_multiarch_off_linux() {
        assert_eq!(
            debian_multiarch(Some("aarch64"), Some("aarch64-apple-darwin")),
            None
        );
        assert_eq!(
            debian_multiarch(Some("x86_64"), Some("x86_64-pc-windows-msvc")),
            None
        );
    }

    #[test]
    fn library_file_names() {
        let linux = Target {
            triple: "x86_64-unknown-linux-gnu".into(),
            arch: Some("x86_64".into()),
        };
        assert_eq!(linux.static_file_names("foo"), vec!["libfoo.a"]);
        assert_eq!(linux.dynamic_file_names("foo"), vec!["libfoo.so"]);
        let mac = Target {
            triple: "aarch64-apple-darwin".into(),
            arch: Some("aarch64".into()),
        };
        assert_eq!(mac.dynamic_file_names("foo"), vec!["libfoo.dylib"]);
        let msvc = Target {
            triple: "x86_64-pc-windows-msvc".into(),
            arch: Some("x86_64".into()),
        };
        assert_eq!(msvc.static_file_names("foo"), vec!["foo.lib"]);
    }

    #[test]
    fn cxx_stdlib_per_target() {
        let empty = BTreeMap::new();
        let t = |triple: &str| Target {
            triple: triple.into(),
            arch: None,
        };
        assert_eq!(
            t("x86_64-unknown-linux-gnu").cxx_stdlib(&empty).as_deref(),
            Some("stdc++")
        );
        assert_eq!(
            t("aarch64-apple-darwin").cxx_stdlib(&empty).as_deref(),
            Some("c++")
        );
        assert_eq!(t("x86_64-pc-windows-msvc").cxx_stdlib(&empty), None);
        let mut env = BTreeMap::new();
        env.insert("CXXSTDLIB".to_string(), "c++".to_string());
        assert_eq!(
            t("x86_64-unknown-linux-gnu").cxx_stdlib(&env).as_deref(),
            Some("c++")
        );
        env.insert("CXXSTDLIB".to_string(), String::new());
        assert_eq!(t("x86_64-unknown-linux-gnu").cxx_stdlib(&env), None);
    }
}
