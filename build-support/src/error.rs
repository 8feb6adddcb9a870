//! Why a search failed, and what each rung saw.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// One rung of the ladder that was tried and did not give the library.
///
/// `Display` reads `rung: outcome`, e.g.
/// `vendored: vendor/yyjson has no src/yyjson.c (submodule not initialised?)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The rung: `env`, `vendored`, `system` (pkg-config), `system-paths`, `deps-source` or
    /// `deps-prebuilt`.
    pub rung: &'static str,
    /// What it found instead, on one line.
    pub outcome: String,
}

impl fmt::Display for Attempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rung, self.outcome)
    }
}

/// Why [`Library::find_with`](crate::Library::find_with) found nothing usable.
///
/// [`Library::find`](crate::Library::find) panics with this error's `Display` text.
#[derive(Debug)]
#[non_exhaustive]
pub enum FindError {
    /// An explicitly set variable (e.g. `YYJSON_INCLUDE_DIR`) points at nothing usable, or
    /// a variable the search needs (`OUT_DIR`) is missing. Explicit settings never fall
    /// through to the next rung.
    InvalidEnv {
        /// The variable, e.g. `YYJSON_LIB_DIR`.
        var: String,
        /// What is wrong with it (a sentence that names the path involved).
        message: String,
    },
    /// A source tree passed its sentinel check but does not match the library's source
    /// configuration (a listed file or include directory is missing).
    InvalidSourceTree {
        /// The tree's root.
        path: PathBuf,
        /// What is missing.
        message: String,
    },
    /// Reading a directory or writing the config header failed.
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// No rung found the library (rung 4 of the ladder).
    NotFound {
        /// The library's name.
        library: String,
        /// Every rung tried, in order.
        attempts: Vec<Attempt>,
        /// How to get the library: the submodule command, `scripts/bootstrap`, Debian
        /// packages and the environment variables, one per line.
        help: String,
    },
}

impl fmt::Display for FindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FindError::InvalidEnv { var, message } => {
                write!(f, "arsenal-build: {var}: {message}")
            }
            FindError::InvalidSourceTree { path, message } => write!(
                f,
                "arsenal-build: source tree {}: {message}",
                path.display()
            ),
            FindError::Io { path, source } => {
                write!(f, "arsenal-build: {}: {source}", path.display())
            }
            FindError::NotFound {
                library,
                attempts,
                help,
            } => {
                writeln!(
                    f,
                    "arsenal-build: could not find the C library `{library}`."
                )?;
                writeln!(f, "Tried, in order:")?;
                for attempt in attempts {
                    writeln!(f, "  - {attempt}")?;
                }
                writeln!(f, "Get it with one of:")?;
                write!(f, "{help}")
            }
        }
    }
}

impl std::error::Error for FindError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FindError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
