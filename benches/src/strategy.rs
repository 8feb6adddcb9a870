//! `arsenal-bench --strategy-table FILE`: what each domain crate's
//! `Backend::for_strategy` picks on this machine, the benchmark row it names as evidence
//! ([`Select::evidence`]), and the fastest `arsenal:` implementation measured in that row
//! in a results file, with disagreements flagged.
//!
//! A crate's pick is its documented, measured answer; this table checks it against the
//! numbers of one run. A disagreement is a prompt to look (one noisy run, another
//! machine, a pick that weighs more than one row), not necessarily a bug.

use arsenal::{Select, Strategy};

use crate::domain::Domain;
use crate::harness::{library_of, ImplKind};
use crate::report::{markdown_table, Report, Table};

/// One domain crate with a `Backend` enum.
struct Crate {
    /// The crate's name, e.g. `arsenal-json`.
    name: &'static str,
    /// Its pick and evidence for a strategy, and the names of its available backends.
    pick: fn(Strategy) -> Pick,
}

/// What a crate picks for a strategy.
struct Pick {
    backend: String,
    evidence: Option<&'static str>,
    available: Vec<String>,
}

#[cfg_attr(
    not(any(
        feature = "json",
        feature = "http",
        feature = "coro",
        feature = "sync",
        feature = "alloc",
        feature = "mem",
        feature = "compress",
        feature = "hash"
    )),
    allow(dead_code)
)]
fn pick<B: Select>(strategy: Strategy) -> Pick {
    Pick {
        backend: B::for_strategy(strategy).to_string(),
        evidence: B::evidence(strategy),
        available: B::available().iter().map(ToString::to_string).collect(),
    }
}

/// The domain crates compiled into this build whose `Backend` implements [`Select`].
const CRATES: &[Crate] = &[
    #[cfg(feature = "json")]
    Crate {
        name: "arsenal-json",
        pick: pick::<arsenal_json::Backend>,
    },
    #[cfg(feature = "http")]
    Crate {
        name: "arsenal-http",
        pick: pick::<arsenal_http::Backend>,
    },
    #[cfg(feature = "coro")]
    Crate {
        name: "arsenal-coro",
        pick: pick::<arsenal_coro::Backend>,
    },
    #[cfg(feature = "sync")]
    Crate {
        name: "arsenal-sync",
        pick: pick::<arsenal_sync::Backend>,
    },
    #[cfg(feature = "alloc")]
    Crate {
        name: "arsenal-alloc",
        pick: pick::<arsenal_alloc::Backend>,
    },
    #[cfg(feature = "mem")]
    Crate {
        name: "arsenal-memops",
        pick: pick::<arsenal_memops::Backend>,
    },
    #[cfg(feature = "compress")]
    Crate {
        name: "arsenal-compress",
        pick: pick::<arsenal_compress::Backend>,
    },
    #[cfg(feature = "hash")]
    Crate {
        name: "arsenal-hash",
        pick: pick::<arsenal_hash::Backend>,
    },
];

/// Whether the backend `picked` is the library of the implementation `imp`, given the
/// crate's other backends: `yes` when the library (without a `/level` or `/param`
/// suffix) is the picked backend's name; `NO` when it is another backend's name;
/// `variant` when it names a variant of the picked backend (`ck` and `ck-spsc`,
/// `libdeflate-gzip` and `libdeflate`) and of no other; `NO` when only of another;
/// `?` when it is named after no backend at all.
///
/// ```
/// use arsenal_bench::strategy::agreement;
///
/// let compress = ["zstd", "lz4", "lz4-block", "libdeflate-gzip"].map(String::from);
/// assert_eq!(agreement("zstd", &compress, "arsenal:zstd/3"), "yes");
/// assert_eq!(agreement("lz4-block", &compress, "arsenal:lz4/0"), "NO");
/// assert_eq!(agreement("libdeflate-gzip", &compress, "arsenal:libdeflate/6"), "variant");
/// assert_eq!(agreement("zstd", &compress, "arsenal:memcpy"), "?");
/// ```
pub fn agreement(picked: &str, backends: &[String], imp: &str) -> &'static str {
    let library = library_of(imp);
    let base = library.split('/').next().unwrap_or(library);
    let exact = |name: &str| base.eq_ignore_ascii_case(name);
    let variant = |name: &str| {
        let of = |long: &str, short: &str| {
            long.len() > short.len()
                && long.as_bytes()[..short.len()].eq_ignore_ascii_case(short.as_bytes())
                && matches!(long.as_bytes()[short.len()], b'-' | b'_')
        };
        of(base, name) || of(name, base)
    };
    let others = || {
        backends
            .iter()
            .filter(|name| !name.eq_ignore_ascii_case(picked))
    };
    if exact(picked) {
        "yes"
    } else if others().any(|name| exact(name)) {
        "NO"
    } else if variant(picked) {
        "variant"
    } else if others().any(|name| variant(name)) {
        "NO"
    } else {
        "?"
    }
}

/// The strategy table as Markdown: per crate, one row per strategy.
pub fn table(report: &Report, domains: &[Domain]) -> String {
    let mut out = format!(
        "# Backend::for_strategy against the results\n\n\
         Results: {} (profile {}, build {}, commit {}). Per crate and strategy: the backend \
         picked on this machine, the benchmark row its crate names as evidence \
         (Select::evidence; none for balanced, the documented priority), and the fastest \
         arsenal: implementation of that row in the results. agrees: yes; variant (a variant \
         of the picked library); NO (another backend of the crate is faster there); ? (the \
         fastest is named after no backend); – (no evidence row, or the row is not in the \
         results).\n\n",
        report.machine.cpu_model,
        report.machine.profile,
        report.machine.build_flavor,
        report.machine.git_commit
    );
    let mut disagreements = 0;
    let mut missing = 0;
    for krate in CRATES {
        let mut table: Table = vec![[
            "strategy",
            "picks",
            "evidence row",
            "fastest arsenal",
            "value",
            "agrees",
        ]
        .map(str::to_owned)
        .to_vec()];
        for strategy in Strategy::ALL {
            let Pick {
                backend: picked,
                evidence,
                available,
            } = (krate.pick)(strategy);
            let fastest = evidence.and_then(|row| report.fastest(row, ImplKind::Arsenal, domains));
            if evidence.is_some() && fastest.is_none() {
                missing += 1;
            }
            let agrees = match &fastest {
                None => "–",
                Some((imp, _)) => agreement(&picked, &available, imp),
            };
            if agrees == "NO" {
                disagreements += 1;
            }
            let (imp, value) = fastest.unwrap_or_else(|| ("–".to_owned(), "–".to_owned()));
            table.push(vec![
                strategy.to_string(),
                picked,
                evidence.map_or_else(|| "–".to_owned(), shorten),
                imp,
                value,
                agrees.to_owned(),
            ]);
        }
        out.push_str(&format!("## {}\n\n", krate.name));
        out.push_str(&markdown_table(&table));
    }
    out.push_str(&format!(
        "{disagreements} disagreement(s) (NO); {missing} evidence row(s) not in the results file.\n"
    ));
    out
}

/// An evidence row for a table cell: a memory table's long heading cut to its start.
fn shorten(row: &str) -> String {
    const MAX: usize = 40;
    if row.chars().count() <= MAX {
        row.to_owned()
    } else {
        let mut cut: String = row.chars().take(MAX - 1).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_ignores_levels_and_case() {
        let names = |list: &[&str]| list.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        let coro = names(&["fcontext", "minicoro", "ucontext"]);
        assert_eq!(agreement("fcontext", &coro, "arsenal:FContext"), "yes");
        assert_eq!(agreement("fcontext", &coro, "arsenal:ucontext"), "NO");
        let sync = names(&["ck", "native"]);
        assert_eq!(agreement("ck", &sync, "arsenal:ck-spsc"), "variant");
        assert_eq!(agreement("native", &sync, "arsenal:ck-mpmc"), "NO");
        assert_eq!(agreement("native", &sync, "arsenal:mpsc"), "?");
        let http = names(&["llhttp", "http_parser"]);
        assert_eq!(
            agreement("http_parser", &http, "arsenal:http_parser"),
            "yes"
        );
        assert_eq!(shorten("coro/switch/round-trip"), "coro/switch/round-trip");
        assert_eq!(shorten(&"x".repeat(50)).chars().count(), 40);
    }
}
