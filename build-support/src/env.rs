//! Access to environment variables, abstracted so the search can be tested without
//! touching the process environment.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Where the search reads its environment variables from.
///
/// [`Library::find`](crate::Library::find) uses [`ProcessEnv`]; tests hand
/// [`Library::find_with`](crate::Library::find_with) a map instead, so they never set process
/// variables (tests run in parallel threads).
///
/// ```
/// use std::collections::BTreeMap;
/// use arsenal_build::Env;
///
/// let mut env = BTreeMap::new();
/// env.insert("YYJSON_NO_VENDOR".to_string(), "1".to_string());
/// assert_eq!(env.var("YYJSON_NO_VENDOR").as_deref(), Some("1"));
/// assert_eq!(env.var("YYJSON_DIR"), None);
/// ```
pub trait Env {
    /// The value of `key`, or `None` when it is unset (or not valid Unicode).
    fn var(&self, key: &str) -> Option<String>;
}

/// The real process environment (`std::env::var`).
///
/// ```
/// use arsenal_build::{Env, ProcessEnv};
/// let _maybe_path = ProcessEnv.var("PATH");
/// ```
#[derive(Debug, Default, Clone, Copy)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok()
    }
}

impl Env for BTreeMap<String, String> {
    fn var(&self, key: &str) -> Option<String> {
        self.get(key).cloned()
    }
}

impl<S: std::hash::BuildHasher> Env for HashMap<String, String, S> {
    fn var(&self, key: &str) -> Option<String> {
        self.get(key).cloned()
    }
}

impl<E: Env + ?Sized> Env for &E {
    fn var(&self, key: &str) -> Option<String> {
        (**self).var(key)
    }
}

/// Wraps another [`Env`] and remembers every key read, so `find()` can emit
/// `cargo::rerun-if-env-changed` for exactly those.
pub(crate) struct RecordingEnv<'a> {
    inner: &'a dyn Env,
    read: RefCell<BTreeSet<String>>,
}

impl<'a> RecordingEnv<'a> {
    pub(crate) fn new(inner: &'a dyn Env) -> Self {
        RecordingEnv {
            inner,
            read: RefCell::new(BTreeSet::new()),
        }
    }

    /// The keys read so far, sorted.
    pub(crate) fn keys(&self) -> Vec<String> {
        self.read.borrow().iter().cloned().collect()
    }
}

impl Env for RecordingEnv<'_> {
    fn var(&self, key: &str) -> Option<String> {
        self.read.borrow_mut().insert(key.to_string());
        self.inner.var(key)
    }
}

/// Variables cargo sets for build scripts itself: watching them is pointless.
pub(crate) fn is_set_by_cargo(key: &str) -> bool {
    key.starts_with("CARGO_")
        || matches!(
            key,
            "OUT_DIR"
                | "TARGET"
                | "HOST"
                | "PROFILE"
                | "OPT_LEVEL"
                | "DEBUG"
                | "NUM_JOBS"
                | "RUSTC"
        )
}

/// Reads a yes/no variable: `1`, `true`, `yes`, `on` are yes; `0`, `false`, `no`, `off` and
/// the empty string are no (case-insensitive). Anything else is `Err(value)`.
pub(crate) fn parse_flag(value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recording_env_remembers_reads() {
        let mut map = BTreeMap::new();
        map.insert("A".to_string(), "1".to_string());
        let rec = RecordingEnv::new(&map);
        assert_eq!(rec.var("B"), None);
        assert_eq!(rec.var("A").as_deref(), Some("1"));
        assert_eq!(rec.keys(), vec!["A".to_string(), "B".to_string()]);
    }

    #[test]
    fn flags() {
        assert_eq!(parse_flag("1"), Ok(true));
        assert_eq!(parse_flag("YES"), Ok(true));
        assert_eq!(parse_flag("0"), Ok(false));
        assert_eq!(parse_flag(""), Ok(false));
        assert!(parse_flag("maybe").is_err());
    }

    #[test]
    fn cargo_vars_are_not_watched() {
        assert!(is_set_by_cargo("CARGO_MANIFEST_DIR"));
        assert!(is_set_by_cargo("OUT_DIR"));
        assert!(!is_set_by_cargo("YYJSON_DIR"));
        assert!(!is_set_by_cargo("ARSENAL_ROOT"));
    }
}
